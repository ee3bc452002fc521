//! Scale figures for the simulated API server: seeding, resident memory, listing 50,000 pods
//! end to end through a real client, and watch events delivered to 10 watchers.
//!
//! `cargo bench --bench sim_scale` (pods and nodes from SIM_PODS / SIM_NODES, default 50,000
//! and 500). Prints figures; asserts nothing about time.

use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kscope::sim::{ClusterShape, start};
use kube::Api;
use kube::api::{ListParams, WatchEvent, WatchParams};
use serde_json::json;

fn env(name: &str, default: usize) -> usize {
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
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test --benches` run passes nothing and
    // should stay quick.
    let benching = std::env::args().any(|a| a == "--bench");
    let pods = if benching {
        env("SIM_PODS", 50_000)
    } else {
        1_000
    };
    let nodes = if benching { env("SIM_NODES", 500) } else { 20 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let before = resident_megabytes();
        let started = Instant::now();
        let sim = start("127.0.0.1:0".parse().expect("address"), ClusterShape { nodes, pods, ..ClusterShape::default() })
            .await
            .expect("the simulator starts");
        let seeded = started.elapsed();
        let rss = resident_megabytes();
        let client = sim.client().expect("client");
        let api: Api<Pod> = Api::all(client.clone());
        let mut list_times = Vec::new();
        let mut count = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let list = api.list(&ListParams::default()).await.expect("list");
            list_times.push(t.elapsed());
            count = list.items.len();
        }
        let t = Instant::now();
        let mut paged = 0;
        let mut params = ListParams::default().limit(500);
        loop {
            let page = api.list(&params).await.expect("page");
            paged += page.items.len();
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        let paged_time = t.elapsed();

        // Ten watchers from now; then a burst of changes made directly in the store.
        let watchers = 10;
        let changes = if benching { 20_000 } else { 500 };
        let list = api.list(&ListParams::default().limit(1)).await.expect("list");
        let revision = list.metadata.resource_version.unwrap_or_default();
        let mut handles = Vec::new();
        for _ in 0..watchers {
            let api = api.clone();
            let revision = revision.clone();
            handles.push(tokio::spawn(async move {
                let mut stream = api.watch(&WatchParams::default().timeout(290), &revision).await.expect("watch").boxed();
                let mut seen = 0;
                while seen < changes {
                    match tokio::time::timeout(Duration::from_secs(60), stream.next()).await {
                        Ok(Some(Ok(WatchEvent::Modified(_)))) => seen += 1,
                        Ok(Some(Ok(_))) => {}
                        _ => break,
                    }
                }
                (seen, Instant::now())
            }));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let pods_type = sim.sim.resource_of("v1", "Pod").expect("pods");
        let names: Vec<(String, String)> = sim
            .sim
            .store
            .list(pods_type, None, None, |_| true, 0)
            .0
            .iter()
            .map(|p| (p["metadata"]["namespace"].as_str().unwrap_or("").to_string(), p["metadata"]["name"].as_str().unwrap_or("").to_string()))
            .collect();
        let burst = Instant::now();
        for i in 0..changes {
            let (namespace, name) = &names[i % names.len()];
            let _ = sim.sim.store.modify(pods_type, namespace, name, |pod| {
                pod["metadata"]["annotations"]["bench.kscope.dev/tick"] = json!(i.to_string());
                true
            });
        }
        let mut delivered = 0;
        let mut last = burst;
        for handle in handles {
            let (seen, at) = handle.await.expect("watcher");
            delivered += seen;
            last = last.max(at);
        }
        let fanout = last.duration_since(burst);
        println!("sim_scale: {pods} generated pods ({count} in all), {nodes} nodes");
        println!("  seeding:                 {:>9.0} ms", seeded.as_secs_f64() * 1000.0);
        println!("  resident memory:         {:>9.0} MB (process before start: {before:.0} MB)", rss);
        for (i, t) in list_times.iter().enumerate() {
            println!("  list all pods (run {}):   {:>9.0} ms", i + 1, t.as_secs_f64() * 1000.0);
        }
        println!("  list in pages of 500:    {:>9.0} ms ({paged} pods)", paged_time.as_secs_f64() * 1000.0);
        println!(
            "  watch fan-out:           {delivered} of {} events to {watchers} watchers in {:.0} ms = {:.0} events/s delivered",
            changes * watchers,
            fanout.as_secs_f64() * 1000.0,
            delivered as f64 / fanout.as_secs_f64()
        );
        sim.stop().await;
    });
}
