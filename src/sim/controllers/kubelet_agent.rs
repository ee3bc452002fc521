//! The kubelets: for each pod bound to a Ready node, write the status the node would report,
//! record the events it would record, and finish graceful deletions.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::owned::{pods, resource};
use crate::sim::events::{EventType, kubelet, record};
use crate::sim::kubelet::{Surroundings, missing_volume, report};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, is_ready, time_text};

/// How long a container takes to stop after SIGTERM here (the grace period is the upper bound).
const STOP_SECONDS: i64 = 2;

/// The shell an attach session talked to was an ephemeral container's own process and exited
/// with `code`: the container has ended, and is never restarted.
pub fn ephemeral_container_exited(
    sim: &Sim,
    namespace: &str,
    pod_name: &str,
    uid: &str,
    container: &str,
    code: i32,
) {
    let now = time_text(sim.now());
    let _ = sim.store.modify(pods(), namespace, pod_name, |pod| {
        if pod["metadata"]["uid"].as_str() != Some(uid) {
            return false;
        }
        let Some(status) = pod
            .at_mut("/status/ephemeralContainerStatuses")
            .and_then(Value::as_array_mut)
            .and_then(|list| list.iter_mut().find(|s| s["name"] == container))
        else {
            return false;
        };
        let Some(started) = status.at("/state/running/startedAt").cloned() else {
            return false;
        };
        status["state"] = json!({"terminated": {
            "exitCode": code,
            "reason": if code == 0 { "Completed" } else { "Error" },
            "startedAt": started,
            "finishedAt": now,
            "containerID": status["containerID"].clone(),
        }});
        status["ready"] = json!(false);
        status["started"] = json!(false);
        true
    });
}

/// Updates one pod; returns when it next needs looking at.
pub fn reconcile(sim: &Sim, namespace: &str, pod_name: &str) -> Option<Timestamp> {
    let pod = sim.store.get(pods(), namespace, pod_name)?;
    let node_name = pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let now = sim.now();
    let node = if node_name.is_empty() {
        None
    } else {
        sim.store.get(resource("", "nodes"), "", &node_name)
    };
    let ready_node = node.as_ref().is_some_and(|n| is_ready(n));
    if let Some(deadline) = pod
        .at("/metadata/deletionTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok())
    {
        // A pod on a node that is not reporting stays Terminating: nobody can confirm it stopped.
        if !node_name.is_empty() && !ready_node {
            return None;
        }
        let finalizers = pod
            .at("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        let grace = pod
            .at("/metadata/deletionGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        // Any int64 grace period: the earliest instant is the closest the clock gets.
        let began = deadline
            .checked_sub(SignedDuration::from_secs(grace))
            .unwrap_or(Timestamp::MIN);
        let stubborn = pod
            .at("/spec/containers")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter().any(|c| {
                    crate::sim::behavior::ignores_sigterm(c["image"].as_str().unwrap_or(""))
                })
            });
        let gone_at = if stubborn {
            deadline
        } else {
            deadline.min(
                began
                    .checked_add(SignedDuration::from_secs(STOP_SECONDS))
                    .unwrap_or(Timestamp::MAX),
            )
        };
        if now < gone_at {
            return Some(gone_at);
        }
        // The kubelet reports the stopped containers, then removes the pod.
        let stopped = time_text(now);
        let _ = sim.store.modify(pods(), namespace, pod_name, |pod| {
            let mut changed = false;
            for list in ["initContainerStatuses", "containerStatuses"] {
                for status in pod.at_mut(&format!("/status/{list}")).and_then(Value::as_array_mut).into_iter().flatten().filter_map(Value::as_object_mut) {
                    let state = status.get("state").cloned().unwrap_or_default();
                    if state.at("/terminated").is_some() {
                        continue;
                    }
                    let started = state.at("/running/startedAt").cloned().unwrap_or(json!(stopped));
                    status.insert("state".into(), json!({"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": stopped}}));
                    status.insert("ready".into(), json!(false));
                    status.insert("started".into(), json!(false));
                    changed = true;
                }
            }
            if let Some(conditions) = pod.at_mut("/status/conditions").and_then(Value::as_array_mut) {
                for c in conditions.iter_mut().filter(|c| c["type"] == "Ready" || c["type"] == "ContainersReady") {
                    if c["status"] != "False" {
                        c["status"] = json!("False");
                        c["reason"] = json!("PodCompleted");
                        c["lastTransitionTime"] = json!(stopped);
                        changed = true;
                    }
                }
            }
            changed
        });
        if finalizers {
            return None;
        }
        let _ = sim.store.remove(pods(), namespace, pod_name);
        return None;
    }
    if node_name.is_empty() || !ready_node {
        return None;
    }
    let phase = pod
        .at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Finished pods are final.
    if matches!(phase, "Succeeded" | "Failed") {
        return None;
    }
    let host_ip = node
        .as_deref()
        .and_then(crate::sim::addressing::internal_ip_of)
        .unwrap_or_default()
        .to_string();
    let config_maps = resource("", "configmaps");
    let secrets = resource("", "secrets");
    let config_map_exists = |name: &str| sim.store.get(config_maps, namespace, name).is_some();
    let secret_exists = |name: &str| sim.store.get(secrets, namespace, name).is_some();
    let env = Surroundings {
        config_map_exists: &config_map_exists,
        secret_exists: &secret_exists,
        host_ip: &host_ip,
        creating_reason: "ContainerCreating",
    };
    // The pod as the kubelet reports it: copied only when it is the first report (most are
    // of a running pod, and a pod is a hundred allocations to copy).
    let mut current = std::borrow::Cow::Borrowed(&*pod);
    // The status is the kubelet's to write: one that is not an object is reported afresh.
    if !current["status"].is_object() {
        current.to_mut()["status"] = json!({});
    }
    if current.at("/status/startTime").is_none() {
        current.to_mut()["status"]["startTime"] = json!(crate::sim::state::time_text(now));
    }
    if current.at("/status/podIP").is_none()
        && let Some(node) = &node
    {
        let alive = |namespace: &str, name: &str, uid: &str| {
            sim.store
                .get(pods(), namespace, name)
                .is_some_and(|p| p["metadata"]["uid"] == uid)
        };
        if let Some(ip) = sim.pod_addresses.assign(&node_name, node, &current, alive) {
            current.to_mut()["status"]["podIP"] = json!(ip);
        }
    }
    let outcome = report(&current, now, &env);
    let old_status = &pod["status"];
    let mut new_status = outcome.status;
    // Keep the scheduler's and other components' conditions' readiness gates untouched.
    if let Some(old) = old_status["conditions"].as_array() {
        let known: Vec<Value> = new_status["conditions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut merged = known.clone();
        for c in old
            .iter()
            .filter(|c| !known.iter().any(|k| k["type"] == c["type"]))
        {
            merged.push(c.clone());
        }
        new_status["conditions"] = json!(merged);
    }
    if new_status != *old_status {
        let _ = sim.store.modify(pods(), namespace, pod_name, |pod| {
            pod["status"] = new_status.clone();
            true
        });
        emit_events(sim, &current, old_status, &new_status, &node_name, &env);
    }
    outcome.next_change
}

/// The events a kubelet records when container states change.
fn emit_events(
    sim: &Sim,
    pod: &Value,
    old: &Value,
    new: &Value,
    node: &str,
    env: &Surroundings<'_>,
) {
    let source = kubelet(node);
    if let Some(message) = missing_volume(pod, env) {
        record(
            sim,
            pod,
            None,
            EventType::Warning,
            "FailedMount",
            &message,
            source,
        );
    }
    for list in ["initContainerStatuses", "containerStatuses"] {
        for status in new[list].as_array().into_iter().flatten() {
            let name = status["name"].as_str().unwrap_or("");
            let field = format!(
                "spec.{}{{{name}}}",
                if list == "containerStatuses" {
                    "containers"
                } else {
                    "initContainers"
                }
            );
            let before = old[list]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["name"] == name));
            let image = status["image"].as_str().unwrap_or("");
            let started = status.at("/state/running/startedAt");
            if started.is_some() && before.and_then(|b| b.at("/state/running/startedAt")) != started
            {
                if before.is_none_or(|b| {
                    b["restartCount"].as_i64().unwrap_or(0) == 0
                        && b.at("/state/running").is_none()
                        && status["restartCount"].as_i64().unwrap_or(0) == 0
                }) {
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                        source,
                    );
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Pulled",
                        &format!(
                            "Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting). Image size: 48213472 bytes."
                        ),
                        source,
                    );
                } else {
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Pulled",
                        &format!("Container image \"{image}\" already present on machine"),
                        source,
                    );
                }
                record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Normal,
                    "Created",
                    &format!("Created container: {name}"),
                    source,
                );
                record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Normal,
                    "Started",
                    &format!("Started container {name}"),
                    source,
                );
            }
            let reason = status
                .at("/state/waiting/reason")
                .and_then(Value::as_str)
                .unwrap_or("");
            let old_reason = before
                .and_then(|b| b.at("/state/waiting/reason"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let message = status
                .at("/state/waiting/message")
                .and_then(Value::as_str)
                .unwrap_or("");
            let changed = reason != old_reason
                || status["restartCount"] != before.map_or(json!(0), |b| b["restartCount"].clone());
            if !changed {
                continue;
            }
            match reason {
                "CrashLoopBackOff" => record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Warning,
                    "BackOff",
                    &format!(
                        "Back-off restarting failed container {name} in pod {}",
                        pod["metadata"]["name"].as_str().unwrap_or("")
                    ),
                    source,
                ),
                "ErrImagePull" => {
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Warning,
                        "Failed",
                        &format!("Failed to pull image \"{image}\": {message}"),
                        source,
                    );
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Warning,
                        "Failed",
                        "Error: ErrImagePull",
                        source,
                    );
                }
                "ImagePullBackOff" => {
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "BackOff",
                        &format!("Back-off pulling image \"{image}\""),
                        source,
                    );
                    record(
                        sim,
                        pod,
                        Some(&field),
                        EventType::Warning,
                        "Failed",
                        "Error: ImagePullBackOff",
                        source,
                    );
                }
                "CreateContainerConfigError" => record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Warning,
                    "Failed",
                    &format!("Error: {message}"),
                    source,
                ),
                "InvalidImageName" => record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Warning,
                    "InspectFailed",
                    message,
                    source,
                ),
                _ => {}
            }
        }
        // Readiness probes that keep failing.
        for status in new[list].as_array().into_iter().flatten() {
            if status.at("/state/running").is_some()
                && status["ready"] == false
                && status["started"] == true
            {
                let name = status["name"].as_str().unwrap_or("");
                let field = format!(
                    "spec.{}{{{name}}}",
                    if list == "containerStatuses" {
                        "containers"
                    } else {
                        "initContainers"
                    }
                );
                record(
                    sim,
                    pod,
                    Some(&field),
                    EventType::Warning,
                    "Unhealthy",
                    "Readiness probe failed: HTTP probe failed with statuscode: 503",
                    source,
                );
            }
        }
    }
}
