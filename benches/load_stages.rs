//! What the explorer's load costs per pod, stage by stage, and its CPU under a stream of
//! changes. The user's figures (the built binary in a pseudo-terminal against `kscope sim`)
//! are `benches/pty_load.py`'s; this one says where they go. `kscope sim` runs as its own
//! process and is asked for its pods once; each pod is then put through what a watch and the
//! loop do with it, one stage at a time, on this thread:
//! - the watch line read as the watch reads an initial list's (`watch_lines::read_line`: the
//!   object's text taken as the line holds it),
//! - the object decoded and its text packed (the watch's decoder task),
//! - taken into the app (the loop), and a frame of the pods pane drawn at 160x50,
//! - 1,000 changes a second decoded, taken in and drawn at most every 33 ms, as CPU of a core;
//! - triage's first findings, and the same changes with the clock's tick once a second, which
//!   works out the findings again (the pods changed read again).
//!
//! `cargo bench --bench load_stages` (SIM_PODS / SIM_NODES, default 50,000 and 500; a plain
//! `cargo test --benches` run uses 1,000 pods). Allocates with mimalloc, as the binary does.
//! Prints figures; asserts nothing about time.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use kscope::app::state::{App, Pane};
use kscope::cluster::watch_lines::{Line, read_line};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::packed_text::Packer;
use kscope::model::watched::WatchedObject;
use kscope::ui::{draw, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/sim_process.rs"]
mod sim_process;
use sim_process::{cluster_size, cpu_time, fetch, list_items, start_sim};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints a stage's time per pod.
fn stage(name: &str, spent: Duration, pods: usize) {
    println!(
        "{name:<52} {:>7.2} µs/pod  ({:.0} ms)",
        spent.as_secs_f64() * 1e6 / pods as f64,
        spent.as_secs_f64() * 1e3
    );
}

fn main() {
    let (benching, pods, nodes) = cluster_size();
    let sim = start_sim(pods, nodes);
    let list = fetch(&sim, &["/api/v1/pods"]).remove(0);
    drop(sim);

    let items = list_items(&list);
    let n = items.len();
    // Each pod as the API server writes it on a watch.
    let lines: Vec<String> = items
        .iter()
        .map(|item| format!(r#"{{"type":"ADDED","object":{}}}"#, item.get()))
        .collect();
    println!(
        "{n} pods, {:.1} MB as watch lines\n",
        lines.iter().map(String::len).sum::<usize>() as f64 / 1e6
    );

    let started = Instant::now();
    let texts: Vec<bytes::Bytes> = lines
        .iter()
        .filter_map(
            |line| match read_line(bytes::Bytes::copy_from_slice(line.as_bytes()), true) {
                Line::Listed(text) => Some(text),
                _ => None,
            },
        )
        .collect();
    assert_eq!(texts.len(), n, "every line read as a listed object");
    stage("watch line read (the watch's task)", started.elapsed(), n);

    let started = Instant::now();
    let mut packer = Packer::default();
    let objects: Vec<WatchedObject> = texts
        .iter()
        .map(|text| {
            let text = std::str::from_utf8(text).expect("UTF-8");
            WatchedObject::read_packing(WatchedKind::Pods, text, &mut packer).expect("JSON")
        })
        .collect();
    let decoded = started.elapsed();
    stage("decoded and its text packed (the decoder task)", decoded, n);
    // The same stage in its two parts, to say which one to work on.
    let started = Instant::now();
    let mut packer = Packer::default();
    let packed: Vec<_> = texts
        .iter()
        .map(|text| {
            let text = std::str::from_utf8(text).expect("UTF-8");
            packer.pack(&kscope::model::watched::without_bulk(text))
        })
        .collect();
    let packing = started.elapsed();
    stage(
        "  of which the pod read and its row worked out",
        decoded.saturating_sub(packing),
        n,
    );
    stage("  of which its text packed", packing, n);
    let packed_bytes: usize = packed.iter().map(|p| p.packed_len()).sum();
    let text_bytes: usize = texts.iter().map(|t| t.len()).sum();
    println!(
        "{:<52} {:>7} B/pod  (of {} B as written)",
        "  the text as packed",
        packed_bytes / n,
        text_bytes / n
    );
    drop(packed);
    drop(texts);

    let mut app = App::new("bench", None, Timestamp::now());
    app.pane = Pane::Pods;
    let started = Instant::now();
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for object in objects {
        app.on_cluster(ClusterMessage::Applied {
            kind: WatchedKind::Pods,
            object,
        });
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    stage("taken into the app (the loop)", started.elapsed(), n);

    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    let theme = Theme::dark();
    let frames = 20;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|f| draw(f, &app, &theme)).expect("draws");
    }
    println!(
        "{:<52} {:>7.2} ms",
        format!("a frame of the pods pane at 160x50, {n} pods"),
        started.elapsed().as_secs_f64() * 1e3 / frames as f64
    );

    // 1,000 changes a second, as the watch task and the loop handle them: each a pod of the
    // cluster with a new status, decoded, taken in, and drawn at most every 33 ms.
    let changed: Vec<String> = items
        .iter()
        .take(2_000)
        .enumerate()
        .map(|(i, item)| {
            let mut pod: serde_json::Value = serde_json::from_str(item.get()).expect("a pod");
            pod["metadata"]["resourceVersion"] = serde_json::json!(format!("9{i}"));
            if let Some(status) = pod.pointer_mut("/status/containerStatuses/0") {
                status["restartCount"] = serde_json::json!(i % 9);
            }
            pod.to_string()
        })
        .collect();
    let seconds = if benching { 10 } else { 2 };
    churn(
        &mut app,
        &mut terminal,
        &mut packer,
        &changed,
        seconds,
        false,
    );

    // Triage: the first findings (every pod that may be down read), then with the clock's tick
    // once a second while the changes flow (only the pods changed read again).
    let started = Instant::now();
    app.tick(Timestamp::now());
    println!(
        "{:<52} {:>7.2} ms  ({} findings, {} pods read)",
        format!("triage's first findings of {n} pods"),
        started.elapsed().as_secs_f64() * 1e3,
        app.triage.findings.len(),
        app.triage.readings.last_read
    );
    churn(
        &mut app,
        &mut terminal,
        &mut packer,
        &changed,
        seconds,
        true,
    );
}

/// 1,000 changes a second for `seconds`, decoded, taken in, and drawn at most every 33 ms
/// (with the clock's tick once a second, which works out the findings again, when `ticking`);
/// prints the CPU it took.
fn churn(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    packer: &mut Packer,
    changed: &[String],
    seconds: u64,
    ticking: bool,
) {
    let theme = Theme::dark();
    let rate = 1_000usize;
    let cpu_before = cpu_time();
    let window = Instant::now();
    let (mut sent, mut drawn, mut ticks) = (0usize, 0usize, 0usize);
    let mut refreshes = Duration::ZERO;
    let mut last_frame = Instant::now();
    let mut last_tick = Instant::now();
    while window.elapsed() < Duration::from_secs(seconds) {
        let due = (window.elapsed().as_secs_f64() * rate as f64) as usize;
        while sent < due {
            let text = &changed[sent % changed.len()];
            let object = WatchedObject::decode_packing(WatchedKind::Pods, text, packer);
            app.on_cluster(ClusterMessage::Applied {
                kind: WatchedKind::Pods,
                object,
            });
            sent += 1;
        }
        if ticking && last_tick.elapsed() >= Duration::from_secs(1) {
            let started = Instant::now();
            app.tick(Timestamp::now());
            refreshes += started.elapsed();
            ticks += 1;
            last_tick = Instant::now();
        }
        if last_frame.elapsed() >= Duration::from_millis(33) {
            terminal.draw(|f| draw(f, app, &theme)).expect("draws");
            drawn += 1;
            last_frame = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let busy = cpu_time() - cpu_before;
    let spent = window.elapsed();
    let what = if ticking {
        "1,000 changes/s decoded, taken in, triaged, drawn"
    } else {
        "1,000 changes/s decoded, taken in, drawn"
    };
    println!(
        "{what:<52} {:>7.1} % of a core  ({sent} changes, {drawn} frames in {:.1} s)",
        100.0 * busy.as_secs_f64() / spent.as_secs_f64(),
        spent.as_secs_f64()
    );
    if ticking {
        println!(
            "{:<52} {:>7.2} ms  ({} pods read in the last)",
            "  a tick's findings, on average",
            refreshes.as_secs_f64() * 1e3 / ticks.max(1) as f64,
            app.triage.readings.last_read
        );
    }
}
