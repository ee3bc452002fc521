//! The log of a container running a program its spec names (`program.rs`): what the program
//! wrote in the run asked for, with the kubelet's options, and followed until it exits.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use tokio::sync::mpsc;

use super::handler::stream;
use super::logs::{LogOptions, Run, find_run};
use super::program::Program;
use super::state::Sim;

/// The container's environment as its processes see it (for `env` and `$VAR`).
pub fn environment(sim: &Sim, pod: &Value, container: &str) -> Vec<(String, String)> {
    let ca = sim.ca_pem.get().cloned().unwrap_or_default();
    super::shell::container::build(sim, pod, container, &ca)
        .map(|(view, _)| view.env)
        .unwrap_or_default()
}

/// How many of the program's lines the run had written by `now`.
fn written(program: &Program, run: &Run, now: Timestamp) -> usize {
    if run.finished.is_some_and(|finished| finished <= now) {
        return program.lines.len();
    }
    program.written_by(now.duration_since(run.started).as_secs())
}

/// Lines `from..upto` as the log shows them: each physical line with its time.
fn physical_lines(
    program: &Program,
    run: &Run,
    range: std::ops::Range<usize>,
    env: &[(String, String)],
) -> Vec<(Timestamp, String)> {
    let mut out = Vec::new();
    for index in range {
        let at = run.started + SignedDuration::from_secs(program.lines[index].at);
        let text = program.text(index, run.started, env);
        out.extend(text.split_inclusive('\n').map(|l| (at, l.to_string())));
    }
    out
}

fn stamped((at, text): (Timestamp, String), timestamps: bool) -> String {
    if timestamps {
        format!("{} {text}", at.strftime("%Y-%m-%dT%H:%M:%S%.9fZ"))
    } else {
        text
    }
}

/// GET pods/{name}/log of a container running `program`.
pub fn serve(
    sim: Arc<Sim>,
    pod: &Value,
    container: String,
    program: Program,
    run: Run,
    options: &LogOptions,
) -> Response {
    let now = sim.now();
    let env = environment(&sim, pod, &container);
    let upto = written(&program, &run, now);
    let cutoff = options.cutoff(now);
    let mut lines: Vec<(Timestamp, String)> = physical_lines(&program, &run, 0..upto, &env)
        .into_iter()
        .filter(|(at, _)| cutoff.is_none_or(|c| *at >= c))
        .collect();
    if let Some(tail) = options.tail_lines {
        let tail = tail.max(0) as usize;
        if lines.len() > tail {
            lines.drain(..lines.len() - tail);
        }
    }
    let mut text: String = lines
        .into_iter()
        .map(|line| stamped(line, options.timestamps))
        .collect();
    if let Some(limit) = options.limit_bytes
        && text.len() > limit
    {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    if !options.follow || run.finished.is_some() {
        return stream("text/plain", Body::from(text));
    }
    let (sender, receiver) = mpsc::unbounded_channel::<String>();
    let _ = sender.send(text);
    let namespace = pod["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let timestamps = options.timestamps;
    tokio::spawn(follow(
        sim, namespace, name, container, program, run, upto, timestamps, sender,
    ));
    let body = Body::from_stream(futures::stream::unfold(
        receiver,
        |mut receiver| async move {
            receiver
                .recv()
                .await
                .map(|text| (Ok::<_, std::io::Error>(Bytes::from(text)), receiver))
        },
    ));
    stream("text/plain", body)
}

/// Sends what the run writes after its first `sent` lines, until it exits, restarts, or its
/// pod goes away.
#[allow(clippy::too_many_arguments)]
pub async fn follow(
    sim: Arc<Sim>,
    namespace: String,
    pod_name: String,
    container: String,
    program: Program,
    run: Run,
    mut sent: usize,
    timestamps: bool,
    out: mpsc::UnboundedSender<String>,
) {
    let Some(pods) = super::resource::find_built_in("", "v1", "pods") else {
        return;
    };
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
        let upto = written(&program, &latest, sim.now());
        if upto > sent {
            let env = environment(&sim, &pod, &container);
            let text: String = physical_lines(&program, &latest, sent..upto, &env)
                .into_iter()
                .map(|line| stamped(line, timestamps))
                .collect();
            if out.send(text).is_err() {
                return;
            }
            sent = upto;
        }
        if latest.finished.is_some() {
            return;
        }
    }
}
