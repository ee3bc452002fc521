//! What a node's kubelet reports for a pod, as a function of time: containers created,
//! started, crashing with back-off, pulling images, waiting on missing configuration, and
//! the pod's phase and conditions. Being a function of (pod, now), the same code fast-forwards
//! seeded pods that "started" days ago and advances live ones.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::behavior::{Behavior, behavior};
use super::state::time_text;
use crate::sim::pointer::Pointer;

/// Seconds from the kubelet seeing a pod to its first container starting.
const CREATE_SECONDS: i64 = 2;
/// Back-off after a container exits: 10 s doubling up to 5 minutes, as the kubelet does.
const BACKOFF_START: i64 = 10;
const BACKOFF_MAX: i64 = 300;

/// What the kubelet needs to know beyond the pod itself.
pub struct Surroundings<'a> {
    pub config_map_exists: &'a dyn Fn(&str) -> bool,
    pub secret_exists: &'a dyn Fn(&str) -> bool,
    pub host_ip: &'a str,
    /// What a container not yet started waits on (set by `report`).
    pub creating_reason: &'a str,
}

/// The kubelet's report on a pod at `now`.
pub struct Report {
    /// The new `status` (phase, conditions, container statuses).
    pub status: Value,
    /// When the report will next change by itself, if ever.
    pub next_change: Option<Timestamp>,
}

/// One container's state at a moment.
struct ContainerView {
    state: Value,
    last_state: Value,
    restarts: i64,
    ready: bool,
    started: bool,
    /// Finished for good (will not restart).
    done: Option<i32>,
    next_change: Option<Timestamp>,
}

fn at(start: Timestamp, seconds: i64) -> Timestamp {
    start
        .checked_add(SignedDuration::from_secs(seconds))
        .unwrap_or(Timestamp::MAX)
}

fn backoff(k: i64) -> i64 {
    if k >= 5 {
        BACKOFF_MAX
    } else {
        (BACKOFF_START << k).min(BACKOFF_MAX)
    }
}

fn go_duration(seconds: i64) -> String {
    if seconds >= 60 {
        format!("{}m{}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}

fn terminated(exit_code: i32, reason: &str, started: Timestamp, finished: Timestamp) -> Value {
    json!({"terminated": {
        "exitCode": exit_code, "reason": reason,
        "startedAt": time_text(started), "finishedAt": time_text(finished),
        "containerID": format!("containerd://{:x}", started.as_second() ^ i64::from(exit_code)),
    }})
}

/// A program that may exit: how long it runs and how it ends.
struct Program<'a> {
    name: &'a str,
    pod_ref: &'a str,
    run_seconds: i64,
    exit_code: i32,
    reason: &'a str,
    ready_while_running: bool,
}

/// Runs `program` under a restart policy from `start`, as seen at `now`.
fn run_program(
    program: &Program<'_>,
    restart: &str,
    start: Timestamp,
    now: Timestamp,
) -> ContainerView {
    let Program {
        name,
        pod_ref,
        run_seconds,
        exit_code,
        reason,
        ready_while_running,
    } = *program;
    let restarts_after = match restart {
        "Never" => false,
        "OnFailure" => exit_code != 0,
        _ => true,
    };
    let mut run_start = start;
    let mut k: i64 = 0;
    let mut last: Value = json!({});
    loop {
        let run_end = at(run_start, run_seconds.max(1));
        if now < run_end {
            let ready_at = at(run_start, 1);
            let ready = ready_while_running && now >= ready_at;
            return ContainerView {
                state: json!({"running": {"startedAt": time_text(run_start)}}),
                last_state: last,
                restarts: k,
                ready,
                started: true,
                done: None,
                next_change: Some(if ready_while_running && !ready {
                    ready_at
                } else {
                    run_end
                }),
            };
        }
        let ended = terminated(exit_code, reason, run_start, run_end);
        if !restarts_after {
            return ContainerView {
                state: ended,
                last_state: last,
                restarts: k,
                ready: false,
                started: false,
                done: Some(exit_code),
                next_change: None,
            };
        }
        let wait = backoff(k);
        let next_start = at(run_end, wait);
        if now < next_start {
            return ContainerView {
                state: json!({"waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": format!("back-off {} restarting failed container={name} pod={pod_ref}", go_duration(wait)),
                }}),
                last_state: ended,
                restarts: k,
                ready: false,
                started: false,
                done: None,
                next_change: Some(next_start),
            };
        }
        // Once the back-off is at its cap, whole cycles can be skipped arithmetically.
        if wait == BACKOFF_MAX {
            let cycle = run_seconds.max(1) + BACKOFF_MAX;
            let skip = (now.duration_since(next_start).as_secs() / cycle).max(0);
            if skip > 1 {
                let skipped = skip - 1;
                run_start = at(next_start, skipped * cycle);
                k += 1 + skipped;
                let previous_end = at(run_start, -BACKOFF_MAX);
                last = terminated(
                    exit_code,
                    reason,
                    at(previous_end, -run_seconds.max(1)),
                    previous_end,
                );
                continue;
            }
        }
        last = ended;
        run_start = next_start;
        k += 1;
    }
}

/// A container's view at `now` when it was allowed to start at `start`.
fn container_view(
    container: &Value,
    pod_ref: &str,
    restart: &str,
    start: Timestamp,
    now: Timestamp,
    env: &Surroundings<'_>,
) -> ContainerView {
    let name = container["name"].as_str().unwrap_or("");
    let image = container["image"].as_str().unwrap_or("");
    let waiting = |reason: &str, message: String, next: Option<Timestamp>| ContainerView {
        state: json!({"waiting": {"reason": reason, "message": message}}),
        last_state: json!({}),
        restarts: 0,
        ready: false,
        started: false,
        done: None,
        next_change: next,
    };
    if now < start {
        return ContainerView {
            state: json!({"waiting": {"reason": env.creating_reason}}),
            last_state: json!({}),
            restarts: 0,
            ready: false,
            started: false,
            done: None,
            next_change: Some(start),
        };
    }
    let program = |run_seconds, exit_code, reason, ready_while_running| Program {
        name,
        pod_ref,
        run_seconds,
        exit_code,
        reason,
        ready_while_running,
    };
    if let Some(missing) = missing_env_reference(container, env) {
        return waiting("CreateContainerConfigError", missing, None);
    }
    // A program the spec names runs in place of the image's own, once the image is pulled.
    let behavior = match behavior(image) {
        unpulled @ (Behavior::InvalidName | Behavior::PullNotFound) => unpulled,
        from_image => super::program::read(container).map_or(from_image, |p| p.behavior()),
    };
    match behavior {
        Behavior::InvalidName => waiting(
            "InvalidImageName",
            format!(
                "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"
            ),
            None,
        ),
        Behavior::PullNotFound => {
            // Pull attempts back off like restarts; each failure shows ErrImagePull briefly.
            let mut attempt = start;
            let mut k = 0;
            loop {
                let next = at(attempt, backoff(k));
                if now < next {
                    let failing = now < at(attempt, 3);
                    let qualified = if image.contains('/') {
                        image.to_string()
                    } else {
                        format!("docker.io/library/{image}")
                    };
                    return if failing {
                        waiting(
                            "ErrImagePull",
                            format!(
                                "rpc error: code = NotFound desc = failed to pull and unpack image \"{qualified}\": failed to resolve reference \"{qualified}\": {qualified}: not found"
                            ),
                            Some(at(attempt, 3)),
                        )
                    } else {
                        waiting(
                            "ImagePullBackOff",
                            format!("Back-off pulling image \"{image}\""),
                            Some(next),
                        )
                    };
                }
                attempt = next;
                k += 1;
                if k > 10_000 {
                    return waiting(
                        "ImagePullBackOff",
                        format!("Back-off pulling image \"{image}\""),
                        None,
                    );
                }
            }
        }
        Behavior::Serve => run_program(
            &program(i64::MAX / 4, 0, "Completed", true),
            "Never",
            start,
            now,
        ),
        Behavior::NeverReady => run_program(
            &program(i64::MAX / 4, 0, "Completed", false),
            "Never",
            start,
            now,
        ),
        Behavior::Crash {
            run_seconds,
            exit_code,
            oom,
        } => run_program(
            &program(
                run_seconds,
                exit_code,
                if oom { "OOMKilled" } else { "Error" },
                true,
            ),
            restart,
            start,
            now,
        ),
        Behavior::Complete { run_seconds } => run_program(
            &program(run_seconds, 0, "Completed", true),
            restart,
            start,
            now,
        ),
        Behavior::Fail {
            run_seconds,
            exit_code,
        } => run_program(
            &program(run_seconds, exit_code, "Error", true),
            restart,
            start,
            now,
        ),
    }
}

/// The first env reference to a ConfigMap or Secret that does not exist, as the kubelet words it.
fn missing_env_reference(container: &Value, env: &Surroundings<'_>) -> Option<String> {
    let optional = |r: &Value| r["optional"].as_bool() == Some(true);
    for var in container["env"].as_array().into_iter().flatten() {
        if let Some(r) = var
            .at("/valueFrom/configMapKeyRef")
            .filter(|r| !optional(r))
        {
            let name = r["name"].as_str().unwrap_or("");
            if !(env.config_map_exists)(name) {
                return Some(format!("configmap \"{name}\" not found"));
            }
        }
        if let Some(r) = var.at("/valueFrom/secretKeyRef").filter(|r| !optional(r)) {
            let name = r["name"].as_str().unwrap_or("");
            if !(env.secret_exists)(name) {
                return Some(format!("secret \"{name}\" not found"));
            }
        }
    }
    for source in container["envFrom"].as_array().into_iter().flatten() {
        if let Some(r) = source.get("configMapRef").filter(|r| !optional(r)) {
            let name = r["name"].as_str().unwrap_or("");
            if !(env.config_map_exists)(name) {
                return Some(format!("configmap \"{name}\" not found"));
            }
        }
        if let Some(r) = source.get("secretRef").filter(|r| !optional(r)) {
            let name = r["name"].as_str().unwrap_or("");
            if !(env.secret_exists)(name) {
                return Some(format!("secret \"{name}\" not found"));
            }
        }
    }
    None
}

/// The first volume whose ConfigMap or Secret is missing, as the FailedMount event words it.
pub fn missing_volume(pod: &Value, env: &Surroundings<'_>) -> Option<String> {
    for volume in pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let volume_name = volume["name"].as_str().unwrap_or("");
        if let Some(source) = volume
            .get("secret")
            .filter(|s| s["optional"].as_bool() != Some(true))
        {
            let name = source["secretName"].as_str().unwrap_or("");
            if !(env.secret_exists)(name) {
                return Some(format!(
                    "MountVolume.SetUp failed for volume \"{volume_name}\" : secret \"{name}\" not found"
                ));
            }
        }
        if let Some(source) = volume
            .get("configMap")
            .filter(|s| s["optional"].as_bool() != Some(true))
        {
            let name = source["name"].as_str().unwrap_or("");
            if !(env.config_map_exists)(name) {
                return Some(format!(
                    "MountVolume.SetUp failed for volume \"{volume_name}\" : configmap \"{name}\" not found"
                ));
            }
        }
    }
    None
}

fn status_entry(container: &Value, view: &ContainerView) -> Value {
    let image = container["image"].as_str().unwrap_or("");
    let mut entry = json!({
        "name": container["name"],
        "image": image,
        "imageID": "",
        "ready": view.ready,
        "restartCount": view.restarts,
        "started": view.started,
        "state": view.state,
        "lastState": view.last_state,
    });
    // A container that ever ran keeps its IDs, also while it waits to restart.
    if view.state.get("running").is_some()
        || view.state.get("terminated").is_some()
        || view.last_state.get("terminated").is_some()
    {
        entry["imageID"] = json!(format!("{image}@sha256:{:064x}", image.len()));
        entry["containerID"] = json!(format!(
            "containerd://{:064x}",
            image.len() as u64 * 7919 + view.restarts as u64
        ));
    }
    entry
}

fn condition(type_: &str, ok: bool, reason: Option<&str>, since: Timestamp) -> Value {
    let mut c = json!({
        "type": type_,
        "status": if ok { "True" } else { "False" },
        "lastProbeTime": null,
        "lastTransitionTime": time_text(since),
    });
    if let (false, Some(reason)) = (ok, reason) {
        c["reason"] = json!(reason);
    }
    c
}

/// The kubelet's status for a pod bound to a Ready node, at `now`.
pub fn report(pod: &Value, now: Timestamp, surroundings: &Surroundings<'_>) -> Report {
    let status = &pod["status"];
    let started = status["startTime"]
        .as_str()
        .and_then(|t| t.parse::<Timestamp>().ok())
        .unwrap_or(now);
    let restart = pod
        .at("/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("Always");
    let pod_ref = format!(
        "{}_{}({})",
        pod.at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or(""),
        pod.at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or(""),
        pod.at("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or("")
    );
    let mut next_change: Option<Timestamp> = None;
    let mut soonest = |t: Option<Timestamp>| {
        // The end of time is "never".
        if let Some(t) = t.filter(|t| *t > now && *t != Timestamp::MAX) {
            next_change = Some(next_change.map_or(t, |n: Timestamp| n.min(t)));
        }
    };
    let empty = Vec::new();
    let init_specs = pod
        .at("/spec/initContainers")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let app_specs = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    // Before its first container starts, a pod is creating containers, or initialising.
    let env = &Surroundings {
        creating_reason: if init_specs.is_empty() {
            "ContainerCreating"
        } else {
            "PodInitializing"
        },
        ..*surroundings
    };

    let mount_blocked = missing_volume(pod, env);
    let mut cursor = at(started, CREATE_SECONDS);
    let mut init_statuses = Vec::new();
    let mut initialized = true;
    let mut init_failed = false;
    let mut sidecars_ready = true;
    if mount_blocked.is_some() {
        initialized = false;
    }
    for spec in init_specs {
        let sidecar = spec["restartPolicy"].as_str() == Some("Always");
        if !initialized || mount_blocked.is_some() {
            let view = ContainerView {
                state: json!({"waiting": {"reason": "PodInitializing"}}),
                last_state: json!({}),
                restarts: 0,
                ready: false,
                started: false,
                done: None,
                next_change: None,
            };
            init_statuses.push(status_entry(spec, &view));
            continue;
        }
        let policy = if sidecar {
            "Always"
        } else if restart == "Never" {
            "Never"
        } else {
            "OnFailure"
        };
        let view = container_view(spec, &pod_ref, policy, cursor, now, env);
        soonest(view.next_change);
        if sidecar {
            sidecars_ready &= view.ready;
            if view.started {
                cursor = at(cursor, 1);
            } else {
                initialized = false;
            }
        } else {
            match (view.done, view.state.get("terminated")) {
                (Some(0), _) => {
                    cursor = view.state["terminated"]["finishedAt"]
                        .as_str()
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(cursor);
                }
                (Some(_), Some(_)) => {
                    initialized = false;
                    init_failed = true;
                }
                _ => initialized = false,
            }
        }
        init_statuses.push(status_entry(spec, &view));
    }

    let mut app_statuses = Vec::new();
    let mut all_ready = initialized && sidecars_ready;
    let mut all_done = initialized;
    let mut any_failed = false;
    let mut any_running = false;
    for spec in app_specs {
        let view = if !initialized || mount_blocked.is_some() {
            ContainerView {
                state: json!({"waiting": {"reason": if mount_blocked.is_some() || init_specs.is_empty() { "ContainerCreating" } else { "PodInitializing" }}}),
                last_state: json!({}),
                restarts: 0,
                ready: false,
                started: false,
                done: None,
                next_change: None,
            }
        } else {
            container_view(spec, &pod_ref, restart, cursor, now, env)
        };
        soonest(view.next_change);
        all_ready &= view.ready;
        any_running |= view.state.get("running").is_some();
        match view.done {
            Some(code) => any_failed |= code != 0,
            None => all_done = false,
        }
        app_statuses.push(status_entry(spec, &view));
    }
    // Ephemeral containers start when the kubelet first sees them, run once, and count for
    // neither the phase nor readiness.
    let mut ephemeral_statuses = Vec::new();
    for spec in pod
        .at("/spec/ephemeralContainers")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let seen = status["ephemeralContainerStatuses"]
            .as_array()
            .and_then(|list| list.iter().find(|s| s["name"] == spec["name"]));
        // One that ended (its program, or its shell when the session left it) stays ended.
        if let Some(ended) = seen.filter(|s| s.at("/state/terminated").is_some()) {
            ephemeral_statuses.push(ended.clone());
            continue;
        }
        let first_start = seen
            .and_then(|s| {
                ["/state/running/startedAt", "/state/terminated/startedAt"]
                    .iter()
                    .find_map(|p| s.at(p))
            })
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<Timestamp>().ok())
            .unwrap_or(now);
        let view = container_view(spec, &pod_ref, "Never", first_start, now, env);
        soonest(view.next_change);
        ephemeral_statuses.push(status_entry(spec, &view));
    }
    let phase = if init_failed && restart == "Never" {
        "Failed"
    } else if initialized && all_done && !app_specs.is_empty() {
        if any_failed { "Failed" } else { "Succeeded" }
    } else if initialized
        && (any_running
            || app_statuses
                .iter()
                .any(|s| s["restartCount"].as_i64().unwrap_or(0) > 0))
    {
        "Running"
    } else {
        "Pending"
    };
    let since = started;
    let ready_gates_ok = true;
    let mut conditions = vec![
        condition(
            "PodReadyToStartContainers",
            mount_blocked.is_none(),
            None,
            since,
        ),
        condition(
            "Initialized",
            initialized || phase == "Succeeded",
            Some("ContainersNotInitialized"),
            since,
        ),
        condition(
            "Ready",
            all_ready && ready_gates_ok && phase == "Running",
            Some(if phase == "Succeeded" {
                "PodCompleted"
            } else {
                "ContainersNotReady"
            }),
            since,
        ),
        condition(
            "ContainersReady",
            all_ready && phase == "Running",
            Some(if phase == "Succeeded" {
                "PodCompleted"
            } else {
                "ContainersNotReady"
            }),
            since,
        ),
        condition("PodScheduled", true, None, since),
    ];
    // Transition times: keep the old one when a condition did not change.
    if let Some(old) = status["conditions"].as_array() {
        for c in conditions.iter_mut() {
            if let Some(previous) = old.iter().find(|o| o["type"] == c["type"]) {
                if previous["status"] == c["status"] {
                    c["lastTransitionTime"] = previous["lastTransitionTime"].clone();
                } else {
                    c["lastTransitionTime"] = json!(time_text(now));
                }
            }
        }
    }
    let mut out = json!({
        "phase": phase,
        "conditions": conditions,
        "hostIP": env.host_ip,
        "hostIPs": [{"ip": env.host_ip}],
        "startTime": time_text(started),
        "qosClass": status["qosClass"],
    });
    if let Some(ip) = status.get("podIP").filter(|ip| ip.is_string()) {
        out["podIP"] = ip.clone();
        out["podIPs"] = json!([{"ip": ip}]);
    }
    if !init_statuses.is_empty() {
        out["initContainerStatuses"] = json!(init_statuses);
    }
    out["containerStatuses"] = json!(app_statuses);
    if !ephemeral_statuses.is_empty() {
        out["ephemeralContainerStatuses"] = json!(ephemeral_statuses);
    }
    if mount_blocked.is_some() {
        // Volumes are retried; look again soon.
        soonest(Some(at(now, 10)));
    }
    Report {
        status: out,
        next_change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Surroundings<'static> {
        Surroundings {
            config_map_exists: &|name| name != "missing",
            secret_exists: &|_| true,
            host_ip: "10.0.0.2",
            creating_reason: "ContainerCreating",
        }
    }

    fn pod(containers: Value, init: Value) -> Value {
        json!({
            "metadata": {"name": "p", "namespace": "n", "uid": "u"},
            "spec": {"restartPolicy": "Always", "containers": containers, "initContainers": init},
            "status": {"startTime": "2026-01-01T00:00:00Z", "podIP": "10.244.1.5"}
        })
    }

    fn report_at(pod: &Value, seconds: i64) -> Report {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        report(pod, at(start, seconds), &env())
    }

    fn columns(report: &Report, pod: &Value) -> (String, String, String) {
        let pod: crate::model::pod::Pod = crate::model::manifest::parse_typed(
            &json!({"spec": pod["spec"], "status": report.status}).to_string(),
        )
        .unwrap();
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let c = crate::model::pod_status::pod_columns(&pod, now, &mut ());
        (
            c.ready,
            c.status,
            c.restarts.split(' ').next().unwrap_or("").to_string(),
        )
    }

    #[test]
    fn serving_container_starts_and_becomes_ready() {
        let p = pod(json!([{"name": "web", "image": "nginx:1.27"}]), json!([]));
        assert_eq!(
            columns(&report_at(&p, 1), &p),
            ("0/1".into(), "ContainerCreating".into(), "0".into())
        );
        assert_eq!(columns(&report_at(&p, 2), &p).1, "Running");
        let r = report_at(&p, 10);
        assert_eq!(
            columns(&r, &p),
            ("1/1".into(), "Running".into(), "0".into())
        );
        assert_eq!(r.next_change, None, "a ready server is steady");
    }

    #[test]
    fn oom_crash_loop_backs_off() {
        let p = pod(
            json!([{"name": "c", "image": "registry.example.com/shop/checkout:1.14.2"}]),
            json!([]),
        );
        assert_eq!(columns(&report_at(&p, 50), &p).1, "Running");
        assert_eq!(
            columns(&report_at(&p, 100), &p),
            ("0/1".into(), "CrashLoopBackOff".into(), "0".into())
        );
        assert_eq!(
            columns(&report_at(&p, 110), &p).1,
            "Running",
            "restarted after 10s"
        );
        let day = report_at(&p, 86_400);
        let restarts: i64 = columns(&day, &p).2.parse().unwrap();
        assert!((200..230).contains(&restarts), "{restarts}");
        assert_eq!(
            day.status["containerStatuses"][0]["lastState"]["terminated"]["reason"],
            "OOMKilled"
        );
    }

    #[test]
    fn missing_config_and_bad_images() {
        let p = pod(
            json!([{"name": "a", "image": "x:1", "envFrom": [{"configMapRef": {"name": "missing"}}]}]),
            json!([]),
        );
        assert_eq!(
            columns(&report_at(&p, 30), &p).1,
            "CreateContainerConfigError"
        );
        let p = pod(
            json!([{"name": "a", "image": "nginx:1.27-alpne"}]),
            json!([]),
        );
        assert_eq!(columns(&report_at(&p, 3), &p).1, "ErrImagePull");
        assert_eq!(columns(&report_at(&p, 8), &p).1, "ImagePullBackOff");
        let p = pod(json!([{"name": "a", "image": "Bad Image"}]), json!([]));
        assert_eq!(columns(&report_at(&p, 8), &p).1, "InvalidImageName");
    }

    #[test]
    fn init_containers_run_in_order() {
        let p = pod(
            json!([{"name": "app", "image": "nginx:1.27"}]),
            json!([{"name": "a", "image": "busybox:1.37"}, {"name": "b", "image": "registry.example.com/shop/orders:5.1.0-migrate"}]),
        );
        assert_eq!(columns(&report_at(&p, 3), &p).1, "Init:0/2");
        assert_eq!(columns(&report_at(&p, 9), &p).1, "Init:1/2");
        assert_eq!(columns(&report_at(&p, 25), &p).1, "Init:CrashLoopBackOff");
        let p = pod(
            json!([{"name": "app", "image": "nginx:1.27"}]),
            json!([{"name": "wait", "image": "registry.example.com/tools/wait-for:1.2"}]),
        );
        assert_eq!(columns(&report_at(&p, 600), &p).1, "Init:0/1");
    }

    #[test]
    fn jobs_complete_or_fail() {
        let mut p = pod(
            json!([{"name": "r", "image": "registry.example.com/batch/nightly-report:2.3.0"}]),
            json!([]),
        );
        p["spec"]["restartPolicy"] = json!("Never");
        let r = report_at(&p, 100);
        assert_eq!(r.status["phase"], "Succeeded");
        assert_eq!(columns(&r, &p).1, "Completed");
        let mut p = pod(
            json!([{"name": "e", "image": "registry.example.com/batch/etl:0.9.4"}]),
            json!([]),
        );
        p["spec"]["restartPolicy"] = json!("Never");
        let r = report_at(&p, 100);
        assert_eq!(r.status["phase"], "Failed");
        assert_eq!(columns(&r, &p).1, "Error");
    }

    #[test]
    fn programs_from_the_spec_exit_under_the_restart_policy() {
        let mut p = pod(
            json!([{"name": "t", "image": "busybox", "command": ["sh", "-c", "echo bye; exit 3"]}]),
            json!([]),
        );
        p["spec"]["restartPolicy"] = json!("Never");
        let r = report_at(&p, 10);
        assert_eq!(r.status["phase"], "Failed");
        assert_eq!(
            r.status["containerStatuses"][0]["state"]["terminated"]["exitCode"],
            3
        );
        assert_eq!(columns(&r, &p).1, "Error");
        // Always: an echo that exits 0 is restarted, and backs off.
        let p = pod(
            json!([{"name": "t", "image": "busybox", "args": ["echo", "hi"]}]),
            json!([]),
        );
        assert_eq!(columns(&report_at(&p, 4), &p).1, "CrashLoopBackOff");
        assert_eq!(
            report_at(&p, 4).status["containerStatuses"][0]["lastState"]["terminated"]["reason"],
            "Completed"
        );
        // The image decides what is not a known program.
        let p = pod(
            json!([{"name": "w", "image": "busybox", "args": ["sleep", "infinity"]}]),
            json!([]),
        );
        assert_eq!(columns(&report_at(&p, 600), &p).1, "Running");
    }

    #[test]
    fn ephemeral_containers_start_when_seen_and_stay_ended() {
        let mut p = pod(json!([{"name": "web", "image": "nginx:1.27"}]), json!([]));
        p["spec"]["ephemeralContainers"] =
            json!([{"name": "debugger", "image": "busybox", "command": ["echo", "hi"]}]);
        let first = report_at(&p, 100);
        let started = &first.status["ephemeralContainerStatuses"][0];
        assert_eq!(
            started["state"]["running"]["startedAt"],
            "2026-01-01T00:01:40Z"
        );
        assert_eq!(first.status["phase"], "Running");
        p["status"] = first.status.clone();
        let later = report_at(&p, 300);
        let ended = &later.status["ephemeralContainerStatuses"][0]["state"]["terminated"];
        assert_eq!(ended["exitCode"], 0);
        assert_eq!(ended["startedAt"], "2026-01-01T00:01:40Z");
        p["status"] = later.status.clone();
        assert_eq!(
            report_at(&p, 900).status["ephemeralContainerStatuses"],
            later.status["ephemeralContainerStatuses"]
        );
    }

    #[test]
    fn sidecar_not_ready_keeps_pod_unready() {
        let p = pod(
            json!([{"name": "gw", "image": "registry.example.com/edge/gateway:0.9.1"}]),
            json!([{"name": "proxy", "image": "envoyproxy/envoy:v1.32.0-rc1", "restartPolicy": "Always"}]),
        );
        let r = report_at(&p, 60);
        assert_eq!(
            columns(&r, &p),
            ("1/2".into(), "Running".into(), "0".into())
        );
    }
}
