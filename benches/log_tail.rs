//! Throughput of the log tail: a simulated pod that logs fast (`kscope/log-flood:RATE`) is
//! followed through `spawn_log_tail` into a `LogBuffer`, as the explorer will.
//!
//! `cargo bench --bench log_tail` follows 20,000 lines a second (LOG_RATE) for 10 s
//! (LOG_SECONDS), then a flood of 200,000 a second (LOG_MAX_RATE) for 5 s to see the ceiling.
//! Prints lines a second received (over the channel) and absorbed (by the buffer, per second
//! spent pushing), the lag behind the newest line, resident memory at the start, when the ring
//! filled and at the end, and whether it kept up. Asserts nothing about time.
//!
//! The simulator runs in this process on the same two worker threads, so the figures include
//! producing, serving and TLS-encrypting the lines as well as reading them.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use kscope::app::log_buffer::{DEFAULT_CAPACITY, LogBuffer};
use kscope::cluster::logs::spawn_log_tail;
use kscope::model::log_stream::{ContainerChoice, LogMessage, LogRequest};
use kscope::sim::{ClusterShape, RunningSim, start};
use kube::Api;
use kube::api::PostParams;
use serde_json::json;
use tokio::sync::mpsc;

/// The rate the explorer must sustain.
const GOAL: f64 = 20_000.0;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn resident_megabytes() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A running flood pod named `name` writing `rate` lines a second while followed.
async fn flood_pod(sim: &RunningSim, name: &str, rate: u64) {
    let pods: Api<Pod> = Api::namespaced(sim.client().expect("client"), "default");
    let pod: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": "worker-1",
                 "containers": [{"name": "flood", "image": format!("kscope/log-flood:{rate}")}]}
    }))
    .expect("a pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("the pod is created");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pod = pods.get(name).await.expect("the pod");
        let running = pod
            .status
            .and_then(|s| s.container_statuses)
            .into_iter()
            .flatten()
            .any(|s| s.state.is_some_and(|state| state.running.is_some()));
        if running {
            return;
        }
        assert!(Instant::now() < deadline, "the flood pod never ran");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What one run measured.
struct Figures {
    received: u64,
    seconds: f64,
    batches: u64,
    absorbing: Duration,
    worst_lag: Duration,
    last_lag: Duration,
    rss_start: f64,
    rss_full: Option<(f64, f64)>,
    rss_end: f64,
    kept: usize,
    dropped: u64,
}

/// Follows `pod` for `seconds` into a fresh buffer.
async fn follow(sim: &RunningSim, pod: &str, seconds: u64) -> Figures {
    let client = sim.client().expect("client");
    let mut request = LogRequest::following(
        "default",
        vec![pod.to_string()],
        ContainerChoice::One("flood".into()),
    );
    // Only the flood itself: the generated history before it is not what is measured.
    request.tail_lines = Some(0);
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let mut buffer = LogBuffer::new(DEFAULT_CAPACITY);
    let rss_start = resident_megabytes();
    let task = spawn_log_tail(client, request, sender);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut figures = Figures {
        received: 0,
        seconds: 0.0,
        batches: 0,
        absorbing: Duration::ZERO,
        worst_lag: Duration::ZERO,
        last_lag: Duration::ZERO,
        rss_start,
        rss_full: None,
        rss_end: 0.0,
        kept: 0,
        dropped: 0,
    };
    while let Ok(Some(message)) = tokio::time::timeout_at(until.into(), receiver.recv()).await {
        if let LogMessage::Lines(lines) = &message {
            figures.received += lines.len() as u64;
            figures.batches += 1;
            if let Some(at) = lines.last().and_then(|l| l.at) {
                let lag = Timestamp::now()
                    .duration_since(at)
                    .unsigned_abs()
                    .min(Duration::from_secs(3600));
                figures.last_lag = lag;
                figures.worst_lag = figures.worst_lag.max(lag);
            }
        }
        let absorbing = Instant::now();
        buffer.apply(message);
        figures.absorbing += absorbing.elapsed();
        if figures.rss_full.is_none() && buffer.len() == buffer.capacity() {
            figures.rss_full = Some((started.elapsed().as_secs_f64(), resident_megabytes()));
        }
    }
    figures.seconds = started.elapsed().as_secs_f64();
    task.abort();
    figures.rss_end = resident_megabytes();
    figures.kept = buffer.len();
    figures.dropped = buffer.dropped();
    figures
}

fn report(what: &str, rate: u64, f: &Figures) {
    let received = f.received as f64 / f.seconds;
    let absorbed = f.received as f64 / f.absorbing.as_secs_f64().max(1e-9);
    println!(
        "{what}: flood of {rate} lines/s followed for {:.1} s",
        f.seconds
    );
    println!(
        "  received {} lines = {received:.0} lines/s in {} batches ({:.0} lines a batch)",
        f.received,
        f.batches,
        f.received as f64 / f.batches.max(1) as f64
    );
    println!(
        "  absorbed by the buffer at {absorbed:.0} lines/s ({:.1} ms of pushing in all, {:.2}% of the time)",
        f.absorbing.as_secs_f64() * 1e3,
        100.0 * f.absorbing.as_secs_f64() / f.seconds
    );
    println!(
        "  lag behind the newest line: {:.0} ms at the end, {:.0} ms at worst",
        f.last_lag.as_secs_f64() * 1e3,
        f.worst_lag.as_secs_f64() * 1e3
    );
    let full = f
        .rss_full
        .map_or("the ring did not fill".to_string(), |(at, rss)| {
            format!("{rss:.0} MB when the ring filled at {at:.1} s")
        });
    println!(
        "  resident memory: {:.0} MB at the start, {full}, {:.0} MB at the end; {} lines kept, {} dropped",
        f.rss_start, f.rss_end, f.kept, f.dropped
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and stays quick.
    let benching = std::env::args().any(|a| a == "--bench");
    let rate = env("LOG_RATE", GOAL as u64);
    let seconds = if benching { env("LOG_SECONDS", 10) } else { 1 };
    let max_rate = env("LOG_MAX_RATE", 200_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let sim = start(
            "127.0.0.1:0".parse().expect("address"),
            ClusterShape::default(),
        )
        .await
        .expect("the simulator starts");
        flood_pod(&sim, "flood", rate).await;
        let steady = follow(&sim, "flood", seconds).await;
        report("steady", rate, &steady);
        let received = steady.received as f64 / steady.seconds;
        // The last second can be short of lines still in flight; judge on 95%.
        let kept_up = received >= 0.95 * GOAL.min(rate as f64) && steady.last_lag.as_secs() < 1;
        println!(
            "  kept up with {GOAL:.0} lines/s: {}",
            if rate as f64 >= GOAL && kept_up {
                "yes"
            } else if kept_up {
                "yes, but the flood was slower than the goal (LOG_RATE)"
            } else {
                "NO"
            }
        );
        if benching {
            flood_pod(&sim, "torrent", max_rate).await;
            let ceiling = follow(&sim, "torrent", 5).await;
            report("ceiling", max_rate, &ceiling);
        }
        sim.stop().await;
    });
}
