//! The explorer at 50,000 pods: absorbing the initial list, drawing the pods pane (only the
//! visible rows are built), a filter keystroke, and triage's findings (of generated pods, and of
//! the simulator's seeded cluster, which runs as its own process).
//! `cargo bench --bench explorer`. Allocates with mimalloc, as the binary does.

use jiff::Timestamp;
use kscope::app::action::Action;
use kscope::app::state::{App, Pane, SortColumn};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::ui::{draw, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "support/sim_process.rs"]
mod sim_process;
use sim_process::{cluster_size, start_sim};

const PODS: usize = 50_000;

// As the binary allocates.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn pod(i: usize) -> Value {
    let statuses = [
        "Running",
        "Running",
        "Running",
        "Running",
        "CrashLoopBackOff",
        "Pending",
    ];
    let waiting = statuses[i % statuses.len()];
    let state = if waiting == "Running" {
        json!({"running": {"startedAt": "2026-11-20T10:00:00Z"}})
    } else {
        json!({"waiting": {"reason": waiting}})
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("svc-{:04}-{:05}", i / 100, i), "namespace": format!("load-{:02}", i / 2500), "uid": format!("uid-{i}"),
                     "creationTimestamp": "2026-11-14T10:00:00Z", "labels": {"app": format!("svc-{:04}", i / 100)}},
        "spec": {"nodeName": format!("worker-{}", i % 500), "containers": [{"name": "app", "image": "registry.example.com/load/app:1.0.0"}]},
        "status": {"phase": "Running", "podIP": format!("10.244.{}.{}", i % 250, i % 200), "qosClass": "Burstable",
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "app", "ready": waiting == "Running", "restartCount": i % 7, "state": state,
                                          "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-21T09:50:00Z"}}}]}
    })
}

fn loaded(pods: &[Value]) -> App {
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().expect("time");
    let mut app = App::new("bench", None, now);
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for object in pods {
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, object));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    app
}

fn frame(app: &App, terminal: &mut Terminal<TestBackend>, theme: &Theme) {
    terminal.draw(|f| draw(f, app, theme)).expect("draws");
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3)]
fn absorb_initial_list_of_50k_pods(bencher: divan::Bencher) {
    let pods: Vec<Value> = (0..PODS).map(pod).collect();
    bencher
        .counter(divan::counter::ItemsCount::new(PODS))
        .bench_local(|| loaded(divan::black_box(&pods)));
}

#[divan::bench(sample_count = 20)]
fn draw_pods_pane_of_50k_at_160x50(bencher: divan::Bencher) {
    let pods: Vec<Value> = (0..PODS).map(pod).collect();
    let mut app = loaded(&pods);
    app.pane = Pane::Pods;
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    bencher.bench_local(|| frame(&app, &mut terminal, &theme));
}

/// The same pane sorted by a column read from each pod (RESTARTS, STATUS, AGE): every frame
/// orders the 50,000 keys again.
#[divan::bench(sample_count = 10, args = [SortColumn::Restarts, SortColumn::Status, SortColumn::Age])]
fn draw_pods_pane_of_50k_sorted(bencher: divan::Bencher, column: SortColumn) {
    let pods: Vec<Value> = (0..PODS).map(pod).collect();
    let mut app = loaded(&pods);
    app.pane = Pane::Pods;
    app.apply(Action::Sort(column));
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    bencher.bench_local(|| frame(&app, &mut terminal, &theme));
}

/// One keystroke typed into the filter line (a character, then its erase) re-filters 50,000
/// pods and draws the next frame, as the runtime does.
fn filter_keystroke(bencher: divan::Bencher, typed: &str, clock_moves: bool) {
    let pods: Vec<Value> = (0..PODS).map(pod).collect();
    let mut app = loaded(&pods);
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    app.apply(Action::FilterMode);
    for c in typed.chars() {
        app.apply(Action::Type(c));
    }
    let mut toggle = false;
    bencher.bench_local(|| {
        toggle = !toggle;
        if clock_moves {
            // A tick between keystrokes: every age may have changed.
            app.tick(app.now + jiff::SignedDuration::from_secs(1));
        }
        app.apply(if toggle {
            Action::Type('1')
        } else {
            Action::Erase
        });
        frame(&app, &mut terminal, &theme);
    });
}

#[divan::bench(sample_count = 20)]
fn filter_regex_keystroke_then_frame_at_50k(bencher: divan::Bencher) {
    filter_keystroke(bencher, "svc-04", false);
}

#[divan::bench(sample_count = 20)]
fn filter_regex_keystroke_after_a_tick_then_frame_at_50k(bencher: divan::Bencher) {
    filter_keystroke(bencher, "svc-04", true);
}

#[divan::bench(sample_count = 20)]
fn filter_fuzzy_keystroke_then_frame_at_50k(bencher: divan::Bencher) {
    filter_keystroke(bencher, "-f svc04", false);
}

#[divan::bench(sample_count = 20)]
fn filter_fuzzy_keystroke_after_a_tick_then_frame_at_50k(bencher: divan::Bencher) {
    filter_keystroke(bencher, "-f svc04", true);
}

/// Triage's findings of 50,000 typed pods (a third of them failing, every one restarted in the
/// last hour): the model alone.
#[divan::bench(sample_count = 10)]
fn findings_of_50k_pods(bencher: divan::Bencher) {
    use kscope::model::findings::{TriageInput, triage};
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().expect("time");
    let pods: Vec<kscope::model::pod::Pod> = (0..PODS)
        .map(|i| kscope::model::watched::decode_pod(&pod(i).to_string()))
        .collect();
    let pods: Vec<&kscope::model::pod::Pod> = pods.iter().collect();
    bencher
        .counter(divan::counter::ItemsCount::new(PODS))
        .bench_local(|| {
            triage(&TriageInput {
                pods: divan::black_box(&pods),
                nodes: &[],
                namespaces: &[],
                events: &[],
                workloads: &[],
                now,
                pod_hints: true,
                readings: None,
                ready_pods: &[],
            })
        });
}

/// Triage's findings of the simulator's own cluster (`kscope sim --nodes 500 --pods 50000`, its
/// seeded problems among the generated pods), read as `kscope triage -A` reads it: the model
/// alone. SIM_PODS / SIM_NODES change the size; `cargo test --benches` uses 1,000 pods.
#[divan::bench(sample_count = 10)]
fn findings_of_the_seeded_50k_cluster(bencher: divan::Bencher) {
    use kscope::cluster::connect::{ClusterTarget, PluginTerminal, connect};
    use kscope::cluster::fetch::list_scope_pages;
    use kscope::model::findings::{READ, object_for_triage, triage_objects};
    let (_, pods, nodes) = cluster_size();
    let sim = start_sim(pods, nodes);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let objects = runtime.block_on(async {
        let target = ClusterTarget {
            kubeconfig: Some(sim.kubeconfig()),
            context: None,
        };
        let connection = connect(&target, PluginTerminal::Shared)
            .await
            .expect("connects");
        let mut objects = Vec::new();
        for kind in READ {
            list_scope_pages(&connection, kind, None, |items| {
                for item in items {
                    objects.push(object_for_triage(kind, item.get())?);
                }
                Ok(())
            })
            .await
            .expect("lists");
        }
        objects
    });
    drop(sim);
    let now = Timestamp::now();
    bencher
        .counter(divan::counter::ItemsCount::new(pods))
        .bench_local(|| triage_objects(divan::black_box(&objects), now));
}

/// The explorer's refresh of its findings after a change at 50,000 pods: the changed pod
/// absorbed, and the pods that can be in a finding unpacked and typed, then triaged. The
/// change's message is made outside the time measured.
#[divan::bench(sample_count = 10)]
fn refresh_findings_after_a_change_at_50k(bencher: divan::Bencher) {
    let pods: Vec<Value> = (0..PODS).map(pod).collect();
    let mut app = loaded(&pods);
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().expect("time");
    bencher
        .with_inputs(|| ClusterMessage::applied(WatchedKind::Pods, &pods[7]))
        .bench_local_values(|change| {
            app.on_cluster(change);
            app.tick(now);
            divan::black_box(app.triage.findings.len())
        });
}
