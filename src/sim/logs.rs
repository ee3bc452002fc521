//! Container logs (`pods/log`): believable lines generated from what each container runs,
//! deterministic for a pod, with the kubelet's options and its error messages.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use tokio::sync::mpsc;

use super::api_error::ApiError;
use super::handler::{stream, streamed_from};
use super::query::Query;
use super::route::ResourceRoute;
use super::state::Sim;
use super::write::{current, namespace_of};
use crate::sim::pointer::Pointer;

/// Seconds between two generated lines of one container.
const LINE_INTERVAL_SECONDS: i64 = 2;
/// The most lines one request returns without tailLines, so a long-running container's log
/// stays a reasonable size.
const MAX_LINES: i64 = 5_000;
/// A pod annotation that makes the simulated kubelet drop every followed log stream of the pod
/// after this many seconds, as a proxy's idle timeout or a network cut would (the connection is
/// aborted, not closed cleanly): how tests see a client resume a stream.
pub const FOLLOW_DROP_ANNOTATION: &str = "sim.kscope.dev/log-follow-drop-seconds";
/// How often a log flood writes a chunk.
const FLOOD_TICK: Duration = Duration::from_millis(10);

/// The options of a log request.
pub struct LogOptions {
    container: Option<String>,
    pub follow: bool,
    previous: bool,
    pub timestamps: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub since_time: Option<Timestamp>,
    pub limit_bytes: Option<usize>,
}

impl LogOptions {
    /// The earliest line time shown: the later of sinceSeconds and sinceTime, as the kubelet
    /// keeps lines stamped at or after it.
    pub fn cutoff(&self, now: Timestamp) -> Option<Timestamp> {
        [
            self.since_seconds.map(|since| {
                now.checked_sub(SignedDuration::from_secs(since))
                    .unwrap_or(Timestamp::MIN)
            }),
            self.since_time,
        ]
        .into_iter()
        .flatten()
        .max()
    }
}

fn options(query: &Query) -> Result<LogOptions, ApiError> {
    let flag = |key: &str| query.raw.get(key).is_some_and(|v| v == "true" || v == "1");
    let number = |key: &str| -> Result<Option<i64>, ApiError> {
        query
            .raw
            .get(key)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("{key}: invalid value {v:?}")))
            })
            .transpose()
    };
    let since = number("sinceSeconds")?;
    if since.is_some_and(|s| s < 1) {
        return Err(ApiError::invalid(
            super::resource::find_built_in("", "v1", "pods").expect("pods"),
            "",
            "sinceSeconds",
            "Invalid value: must be greater than 0",
        ));
    }
    Ok(LogOptions {
        container: query
            .raw
            .get("container")
            .cloned()
            .filter(|c| !c.is_empty()),
        follow: flag("follow"),
        previous: flag("previous"),
        timestamps: flag("timestamps"),
        tail_lines: number("tailLines")?,
        since_seconds: since,
        since_time: query
            .raw
            .get("sinceTime")
            .map(|t| {
                t.parse::<Timestamp>()
                    .map_err(|_| ApiError::bad_request(format!("sinceTime: invalid value {t:?}")))
            })
            .transpose()?,
        limit_bytes: number("limitBytes")?.map(|b| b.max(0) as usize),
    })
}

/// One run of a container: when it started, when (if) it ended, and how.
pub struct Run {
    pub started: Timestamp,
    pub finished: Option<Timestamp>,
    exit: Option<(i64, String)>,
}

/// GET pods/{name}/log.
pub fn serve(
    sim: Arc<Sim>,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
) -> Result<Response, ApiError> {
    let options = options(query)?;
    let pod = current(&sim, target, name)?;
    let container = choose_container(&pod, name, options.container.as_deref())?;
    let image = container_image(&pod, &container);
    let run = find_run(&pod, name, &container, options.previous)?;
    if let Some(program) =
        super::shell::container::container_spec(&pod, &container).and_then(super::program::read)
    {
        return Ok(super::program_log::serve(
            sim, &pod, container, program, run, &options,
        ));
    }
    let now = sim.now();
    let seed = format!("{}/{}/{}", namespace_of(target), name, container);
    let mut lines = render(&seed, &image, &run, now, &options);
    if let Some(limit) = options.limit_bytes {
        let mut total = 0;
        lines.retain(|line| {
            total += line.len();
            total <= limit
        });
    }
    let text: String = lines.concat();
    let follow = options.follow && run.finished.is_none();
    if !follow {
        return Ok(stream("text/plain", Body::from(text)));
    }
    let drop_after = pod
        .at("/metadata/annotations")
        .and_then(|a| a.get(FOLLOW_DROP_ANNOTATION))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let flood_rate = super::behavior::log_flood_rate(&image);
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    let namespace = namespace_of(target).to_string();
    let pod_name = name.to_string();
    let pods = target.resource;
    // The first line not in `text`, from the same `now` (a later clock could skip a line).
    let mut next = line_index(&run, now) + 1;
    tokio::spawn(async move {
        if sender.send(Ok(Bytes::from(text))).await.is_err() {
            return;
        }
        let deadline = drop_after.map(|d| tokio::time::Instant::now() + d);
        if let Some(rate) = flood_rate {
            flood(&sender, rate, options.timestamps, deadline).await;
            return;
        }
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                let _ = sender.send(Err(dropped())).await;
                return;
            }
            // The stream ends when the pod goes away or its container stops.
            let Some(pod) = sim.store.get(pods, &namespace, &pod_name) else {
                return;
            };
            let Ok(latest) = find_run(&pod, &pod_name, &container, false) else {
                return;
            };
            if latest.started != run.started {
                return;
            }
            // `latest` knows when the run finished, so no line is written after its end.
            let upto = line_index(&latest, sim.now());
            while next <= upto {
                let line = format_line(&seed, &image, &run, next, options.timestamps);
                if sender.send(Ok(Bytes::from(line))).await.is_err() {
                    return;
                }
                next += 1;
            }
            if latest.finished.is_some() {
                // Its last words, as a followed log shows them before it ends.
                let last = exit_text(&image, &latest, sim.now(), options.timestamps).concat();
                let _ = sender.send(Ok(Bytes::from(last))).await;
                return;
            }
        }
    });
    Ok(streamed_from("text/plain", receiver))
}

/// The error that makes hyper abort the response mid-body, as a cut connection looks.
fn dropped() -> std::io::Error {
    std::io::Error::other("log stream dropped (sim.kscope.dev/log-follow-drop-seconds)")
}

/// A log flood's followed lines: `rate` a second, stamped `rate` apart from the moment the
/// follow began, written in chunks every `FLOOD_TICK`. The rate is a ceiling: a client slower
/// than it holds the flood back (the channel is bounded), so a benchmark sees what it absorbs.
async fn flood(
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    rate: u32,
    timestamps: bool,
    deadline: Option<tokio::time::Instant>,
) {
    let began = tokio::time::Instant::now();
    let began_at = Timestamp::now();
    let nanos_per_line = 1_000_000_000 / i64::from(rate);
    // A chunk is at most a tenth of a second of lines, so one send never holds seconds of text.
    let most_per_chunk = u64::from(rate / 10).max(1);
    let mut sent: u64 = 0;
    let mut tick = tokio::time::interval(FLOOD_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            let _ = sender.send(Err(dropped())).await;
            return;
        }
        let due = (began.elapsed().as_secs_f64() * f64::from(rate)) as u64;
        let upto = due.min(sent + most_per_chunk);
        if upto <= sent {
            continue;
        }
        let mut chunk = String::with_capacity((upto - sent) as usize * 160);
        for seq in sent..upto {
            let at = began_at + SignedDuration::from_nanos(seq as i64 * nanos_per_line);
            if timestamps {
                let _ = write!(chunk, "{} ", at.strftime("%Y-%m-%dT%H:%M:%S%.9fZ"));
            }
            let _ = writeln!(
                chunk,
                "{{\"level\":\"info\",\"msg\":\"flood\",\"seq\":{seq},\"pad\":\"the quick brown fox jumps over the lazy dog\"}}"
            );
        }
        sent = upto;
        if sender.send(Ok(Bytes::from(chunk))).await.is_err() {
            return;
        }
    }
}

fn container_names(pod: &Value, list: &str) -> Vec<String> {
    pod["spec"][list]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn choose_container(pod: &Value, name: &str, requested: Option<&str>) -> Result<String, ApiError> {
    let containers = container_names(pod, "containers");
    let init = container_names(pod, "initContainers");
    let ephemeral = container_names(pod, "ephemeralContainers");
    match requested {
        Some(requested) => {
            if containers
                .iter()
                .chain(&init)
                .chain(&ephemeral)
                .any(|c| c == requested)
            {
                Ok(requested.to_string())
            } else {
                Err(ApiError::bad_request(format!(
                    "container {requested} is not valid for pod {name}"
                )))
            }
        }
        None if containers.len() == 1 => Ok(containers[0].clone()),
        None => {
            let mut message = format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            );
            if !init.is_empty() {
                message.push_str(&format!(
                    " or one of the init containers: [{}]",
                    init.join(" ")
                ));
            }
            Err(ApiError::bad_request(message))
        }
    }
}

fn container_image(pod: &Value, container: &str) -> String {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|list| pod["spec"][list].as_array())
        .flatten()
        .find(|c| c["name"] == container)
        .and_then(|c| c["image"].as_str())
        .unwrap_or("")
        .to_string()
}

fn time_at(value: &Value) -> Option<Timestamp> {
    value.as_str().and_then(|t| t.parse().ok())
}

pub fn find_run(pod: &Value, name: &str, container: &str, previous: bool) -> Result<Run, ApiError> {
    let status = [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .filter_map(|list| pod["status"][list].as_array())
    .flatten()
    .find(|s| s["name"] == container);
    let waiting_error = |reason: &str| {
        ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
        ))
    };
    if pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let Some(status) = status else {
        return Err(waiting_error("ContainerCreating"));
    };
    let terminated_run = |state: &Value| -> Option<Run> {
        let t = state.get("terminated")?;
        Some(Run {
            started: time_at(&t["startedAt"]).or_else(|| time_at(&t["finishedAt"]))?,
            finished: time_at(&t["finishedAt"]),
            exit: Some((
                t["exitCode"].as_i64().unwrap_or(0),
                t["reason"].as_str().unwrap_or("").to_string(),
            )),
        })
    };
    if previous {
        return terminated_run(&status["lastState"]).ok_or_else(|| {
            ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{name}\" not found"
            ))
        });
    }
    if let Some(running) = status.at("/state/running") {
        let started = time_at(&running["startedAt"]).unwrap_or_else(Timestamp::now);
        return Ok(Run {
            started,
            finished: None,
            exit: None,
        });
    }
    if let Some(run) = terminated_run(&status["state"]) {
        return Ok(run);
    }
    // A container waiting to restart shows its last run's log.
    let reason = status
        .at("/state/waiting/reason")
        .and_then(Value::as_str)
        .unwrap_or("ContainerCreating");
    if let Some(run) = terminated_run(&status["lastState"]) {
        return Ok(run);
    }
    Err(waiting_error(reason))
}

/// Index of the last line written by `now`.
fn line_index(run: &Run, now: Timestamp) -> i64 {
    let end = run.finished.unwrap_or(now).min(now);
    (end.duration_since(run.started).as_secs() / LINE_INTERVAL_SECONDS).max(0)
}

fn render(seed: &str, image: &str, run: &Run, now: Timestamp, options: &LogOptions) -> Vec<String> {
    let last = line_index(run, now);
    let mut first = (last - MAX_LINES + 1).max(0);
    let cutoff = options.cutoff(now);
    if let Some(cutoff) = cutoff {
        let interval = i128::from(LINE_INTERVAL_SECONDS) * 1_000_000_000;
        let since_start = cutoff.duration_since(run.started).as_nanos();
        let index =
            since_start.div_euclid(interval) + i128::from(since_start.rem_euclid(interval) != 0);
        first = first.max(index.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64);
    }
    let mut lines: Vec<String> = (first..=last)
        .map(|i| format_line(seed, image, run, i, options.timestamps))
        .collect();
    if cutoff.is_none_or(|c| run.finished.unwrap_or(now) >= c) {
        lines.extend(exit_text(image, run, now, options.timestamps));
    }
    if let Some(tail) = options.tail_lines {
        let tail = tail.max(0) as usize;
        if lines.len() > tail {
            lines.drain(..lines.len() - tail);
        }
    }
    lines
}

/// The lines a run that has ended printed as it died, stamped with its end.
fn exit_text(image: &str, run: &Run, now: Timestamp, timestamps: bool) -> Vec<String> {
    let Some((code, reason)) = &run.exit else {
        return Vec::new();
    };
    let at = run.finished.unwrap_or(now);
    exit_lines(image, *code, reason)
        .into_iter()
        .map(|text| {
            if timestamps {
                format!("{} {text}\n", at.strftime("%Y-%m-%dT%H:%M:%S%.9fZ"))
            } else {
                format!("{text}\n")
            }
        })
        .collect()
}

fn hash(text: &str, index: i64) -> u64 {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes().chain(index.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn format_line(seed: &str, image: &str, run: &Run, index: i64, timestamps: bool) -> String {
    let at = run.started + SignedDuration::from_secs(index * LINE_INTERVAL_SECONDS);
    let h = hash(seed, index);
    let text = line_text(image, at, index, h);
    if timestamps {
        format!("{} {text}\n", at.strftime("%Y-%m-%dT%H:%M:%S%.9fZ"))
    } else {
        format!("{text}\n")
    }
}

fn line_text(image: &str, at: Timestamp, index: i64, h: u64) -> String {
    const PATHS: &[&str] = &[
        "/",
        "/api/v1/orders",
        "/api/v1/cart",
        "/healthz",
        "/static/app.js",
        "/api/v1/users/42",
        "/metrics",
    ];
    const STATUS: &[u16] = &[200, 200, 200, 200, 201, 204, 304, 404, 500];
    let path = PATHS[(h % PATHS.len() as u64) as usize];
    let status = STATUS[((h >> 8) % STATUS.len() as u64) as usize];
    let ip = format!("10.244.{}.{}", (h >> 16) % 8, 2 + (h >> 24) % 250);
    let ms = 1 + (h >> 32) % 400;
    let repository = image
        .rsplit('/')
        .next()
        .unwrap_or(image)
        .split([':', '@'])
        .next()
        .unwrap_or("");
    match repository {
        "nginx" => format!(
            "{ip} - - [{}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"kube-probe/1.35\"",
            at.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            (h >> 40) % 4096
        ),
        "redis" => format!(
            "1:M {} * {}",
            at.strftime("%d %b %Y %H:%M:%S%.3f"),
            if index % 10 == 0 {
                "Background saving started by pid 42".to_string()
            } else {
                format!("{} changes in 60 seconds. Saving...", 1 + h % 100)
            }
        ),
        "postgres" => format!(
            "{} UTC [{}] LOG:  {}",
            at.strftime("%Y-%m-%d %H:%M:%S%.3f"),
            100 + h % 900,
            if index % 7 == 0 {
                "checkpoint starting: time".to_string()
            } else {
                format!(
                    "duration: {}.{:03} ms  statement: SELECT * FROM orders WHERE id = {}",
                    ms,
                    h % 1000,
                    h % 10_000
                )
            }
        ),
        "busybox" | "alpine" => format!("tick {index}"),
        _ => {
            let level = if status >= 500 {
                "error"
            } else if status == 404 {
                "warn"
            } else {
                "info"
            };
            format!(
                "{{\"ts\":\"{}\",\"level\":\"{level}\",\"msg\":\"request handled\",\"method\":\"GET\",\"path\":\"{path}\",\"status\":{status},\"duration_ms\":{ms},\"remote\":\"{ip}\"}}",
                at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            )
        }
    }
}

/// What a container prints as it dies.
fn exit_lines(image: &str, code: i64, reason: &str) -> Vec<String> {
    let repository = image
        .rsplit('/')
        .next()
        .unwrap_or(image)
        .split([':', '@'])
        .next()
        .unwrap_or("");
    match (reason, code) {
        ("Completed", _) | (_, 0) => vec!["{\"level\":\"info\",\"msg\":\"work finished, exiting\"}".to_string()],
        ("OOMKilled", _) => vec![
            "{\"level\":\"warn\",\"msg\":\"heap usage high\",\"heap_mb\":241}".to_string(),
            "{\"level\":\"warn\",\"msg\":\"heap usage high\",\"heap_mb\":255}".to_string(),
        ],
        _ if repository.contains("orders") || repository.contains("migrate") => vec![
            "Running migrations...".to_string(),
            "Error: connection to database failed: dial tcp 10.96.14.7:5432: connect: connection refused".to_string(),
            "migration aborted".to_string(),
        ],
        _ => vec![
            "{\"level\":\"error\",\"msg\":\"fatal: configuration invalid\",\"error\":\"missing required setting PAYMENT_GATEWAY_URL\"}".to_string(),
            "panic: configuration invalid".to_string(),
            String::new(),
            "goroutine 1 [running]:".to_string(),
            "main.main()".to_string(),
            "\t/src/cmd/server/main.go:57 +0x1c5".to_string(),
        ],
    }
}

/// The lines a running container writes from now on (no backlog), as `attach` shows them:
/// sent until the container stops (its last words included) or the pod goes away.
pub async fn live_output(
    sim: Arc<Sim>,
    namespace: String,
    pod_name: String,
    container: String,
    out: mpsc::UnboundedSender<String>,
) {
    let Some(pods) = super::resource::find_built_in("", "v1", "pods") else {
        return;
    };
    let Some(pod) = sim.store.get(pods, &namespace, &pod_name) else {
        return;
    };
    let Ok(run) = find_run(&pod, &pod_name, &container, false) else {
        return;
    };
    if let Some(program) =
        super::shell::container::container_spec(&pod, &container).and_then(super::program::read)
    {
        let sent = program.written_by(sim.now().duration_since(run.started).as_secs());
        let follow = super::program_log::follow(
            sim.clone(),
            namespace,
            pod_name,
            container,
            program,
            run,
            sent,
            false,
            out,
        );
        return follow.await;
    }
    let image = container_image(&pod, &container);
    let seed = format!("{namespace}/{pod_name}/{container}");
    let mut next = line_index(&run, sim.now()) + 1;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Some(pod) = sim.store.get(pods, &namespace, &pod_name) else {
            return;
        };
        let Ok(latest) = find_run(&pod, &pod_name, &container, false) else {
            return;
        };
        if latest.started != run.started {
            return;
        }
        let upto = line_index(&latest, sim.now());
        while next <= upto {
            if out
                .send(format_line(&seed, &image, &run, next, false))
                .is_err()
            {
                return;
            }
            next += 1;
        }
        if latest.finished.is_some() {
            let _ = out.send(exit_text(&image, &latest, sim.now(), false).concat());
            return;
        }
    }
}
