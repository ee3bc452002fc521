//! What each pod costs the explorer in memory, part by part, counted by the allocator: the
//! bytes asked for and still held (not the RSS, which also holds what the allocator keeps
//! after a free). `kscope sim` runs as its own process; this one lists its pods and its
//! PodMetrics once, then measures:
//! - a pod as the watch hands it to the app (typed and text), and as the app keeps it, with
//!   each part of what it keeps (row, labels, filter text, JSON text, key, map node),
//! - the pods' filter texts laid end to end, and a frame of the pods pane,
//! - a PodMetrics reading: the bytes held at its peak while read, and what stays.
//!
//! `cargo bench --bench pod_memory` (SIM_PODS / SIM_NODES, default 50,000 and 500; a plain
//! `cargo test --benches` run uses 1,000 pods). Prints figures; asserts nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use jiff::Timestamp;
use kscope::app::state::{App, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::watched::WatchedObject;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/sim_process.rs"]
mod sim_process;
use sim_process::{cluster_size, fetch, list_items, start_sim};

/// Counts the bytes and blocks held, and the most bytes held since the last reset.
struct Counting;

static BYTES: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: isize) {
    let now = BYTES.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as the trait requires.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            grew(layout.size() as isize);
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: a block this allocator gave out, with its layout.
        unsafe { System.dealloc(block, layout) };
        BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: as `GlobalAlloc::realloc` requires of its caller.
        let moved = unsafe { System.realloc(block, layout, size) };
        if !moved.is_null() {
            grew(size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes and blocks held now.
fn held() -> (isize, isize) {
    (
        BYTES.load(Ordering::Relaxed),
        BLOCKS.load(Ordering::Relaxed),
    )
}

/// What building `make` left held, per pod: bytes, and blocks (each costs the allocator's
/// header too: 8 to 16 bytes with glibc).
fn cost<T>(pods: usize, make: impl FnOnce() -> T) -> (T, f64, f64) {
    let before = held();
    let made = make();
    let after = held();
    let per = |d: isize| d as f64 / pods as f64;
    (made, per(after.0 - before.0), per(after.1 - before.1))
}

fn line(part: &str, bytes: f64, blocks: f64, pods: usize) {
    println!(
        "{part:<44} {bytes:>8.0} B/pod {blocks:>6.1} blocks/pod {:>8.1} MB at {pods} pods",
        bytes * pods as f64 / 1e6
    );
}

fn main() {
    let (_, pods, nodes) = cluster_size();
    let sim = start_sim(pods, nodes);
    let mut answers = fetch(
        &sim,
        &[
            "/api/v1/pods",
            "/apis/metrics.k8s.io/v1beta1/pods",
            "/api/v1/events",
        ],
    )
    .into_iter();
    let (pod_list, metrics_list, event_list) = (
        answers.next().expect("pods"),
        answers.next().expect("metrics"),
        answers.next().expect("events"),
    );
    drop(sim);

    let items = list_items(&pod_list);
    let n = items.len();
    println!(
        "{n} pods; the list {:.1} MB, {} B/pod as listed (managedFields included)",
        pod_list.len() as f64 / 1e6,
        pod_list.len() / n
    );

    // As the watch's decoder hands them over: the typed pod and its text.
    let before = held();
    let mut packer = kscope::model::packed_text::Packer::default();
    let (decoded, bytes, blocks) = cost(n, || {
        items
            .iter()
            .map(|raw| WatchedObject::decode_packing(WatchedKind::Pods, raw.get(), &mut packer))
            .collect::<Vec<_>>()
    });
    line("a pod decoded (typed + text, in flight)", bytes, blocks, n);

    // As the app keeps them.
    let mut app = App::new("bench", None, Timestamp::now());
    app.pane = Pane::Pods;
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for object in decoded {
        app.on_cluster(ClusterMessage::Applied {
            kind: WatchedKind::Pods,
            object,
        });
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    let after = held();
    let kept = (after.0 - before.0) as f64 / n as f64;
    let kept_blocks = (after.1 - before.1) as f64 / n as f64;
    line(
        "a pod as the app keeps it (all below)",
        kept,
        kept_blocks,
        n,
    );

    // Each part, measured as a copy of that part of every pod.
    let pods_kept = &app.resources.pods;
    let mut parts = 0.0;
    let mut part = |name: &str, (_, bytes, blocks): (Box<dyn std::any::Any>, f64, f64)| {
        parts += bytes;
        line(&format!("  {name}"), bytes, blocks, n);
    };
    part(
        "JSON text, packed",
        cost(n, || {
            Box::new(
                pods_kept
                    .values()
                    .map(|p| p.text.clone())
                    .collect::<Vec<_>>(),
            ) as Box<_>
        }),
    );
    part(
        "row (PodCells)",
        cost(n, || {
            Box::new(
                pods_kept
                    .values()
                    .map(|p| p.row.clone())
                    .collect::<Vec<_>>(),
            ) as Box<_>
        }),
    );
    part(
        "labels (strings shared)",
        cost(n, || {
            Box::new(
                pods_kept
                    .values()
                    .map(|p| p.labels.clone())
                    .collect::<Vec<_>>(),
            ) as Box<_>
        }),
    );
    part(
        "node name, QoS class (shared)",
        cost(n, || {
            Box::new(
                pods_kept
                    .values()
                    .map(|p| (p.node_name.clone(), p.qos_class.clone()))
                    .collect::<Vec<_>>(),
            ) as Box<_>
        }),
    );
    part(
        "key (namespace, name)",
        cost(n, || {
            Box::new(pods_kept.keys().cloned().collect::<Vec<_>>()) as Box<_>
        }),
    );
    line(
        "  the rest (the entry, map nodes, shared strings)",
        kept - parts,
        0.0,
        n,
    );

    println!(
        "{:<44} {:>8} B (boxed, beside the map's nodes)",
        "  of which a PodEntry",
        std::mem::size_of::<kscope::app::resources::PodEntry>()
    );
    let ((), bytes, blocks) = cost(n, || {
        drop(app.resources.pod_rows_with_ages(app.now));
    });
    line(
        "the pods' filter texts (rows with AGE, spare)",
        bytes,
        blocks,
        n,
    );

    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    PEAK.store(held().0, Ordering::Relaxed);
    let base = held().0;
    let ((), bytes, _) = cost(n, || {
        terminal
            .draw(|frame| kscope::ui::draw(frame, &app, &kscope::ui::theme::Theme::dark()))
            .map(drop)
            .expect("draws");
    });
    line("a frame of the pods pane (held after)", bytes, 0.0, n);
    println!(
        "{:<44} {:>8.1} MB",
        "  at its peak",
        (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6
    );

    // The Events, as the app keeps them (at most `event_store::KEPT_PER_TYPE` of a type).
    let events = list_items(&event_list);
    let decoded: Vec<WatchedObject> = events
        .iter()
        .map(|raw| WatchedObject::decode(WatchedKind::Events, raw.get()))
        .collect();
    let mut app = App::new("bench", None, Timestamp::now());
    let ((), bytes, blocks) = cost(events.len(), || {
        for object in decoded {
            app.on_cluster(ClusterMessage::Applied {
                kind: WatchedKind::Events,
                object,
            });
        }
    });
    println!(
        "{} events; the list {} B/event as listed; as the app keeps them {bytes:.0} B/event \
         {blocks:.1} blocks/event, {:.1} MB at the {} kept",
        events.len(),
        event_list.len() / events.len().max(1),
        bytes * 2.0 * kscope::app::event_store::KEPT_PER_TYPE as f64 / 1e6,
        2 * kscope::app::event_store::KEPT_PER_TYPE
    );

    // A PodMetrics reading as the metrics poll reads it.
    println!(
        "PodMetrics list {:.1} MB ({} B/pod)",
        metrics_list.len() as f64 / 1e6,
        metrics_list.len() / n
    );
    let base = held().0;
    PEAK.store(base, Ordering::Relaxed);
    let (reading, bytes, blocks) = cost(n, || {
        kscope::cluster::metrics::pod_usage(std::io::BufReader::with_capacity(
            64 * 1024,
            metrics_list.as_bytes(),
        ))
        .expect("a PodMetrics list")
    });
    line("a PodMetrics reading (held after)", bytes, blocks, n);
    println!(
        "{:<44} {:>8.1} MB ({} pods read)",
        "  at its peak (besides the answer's bytes)",
        (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6,
        reading.usage.len()
    );
}
