//! What the explorer asks of the cluster follows what is on screen: metrics.k8s.io only while a
//! usage column is in sight (or the pane is sorted by usage) and once the pane's list is in,
//! the events once the pods are listed.

use crate::support;

use jiff::Timestamp;
use kscope::app::state::{App, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::metrics::WantedMetrics;
use kscope::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::explorer::{EXPLORER_NOW, example_objects, press};

/// Draws a frame at `width` x `height` and tells the app what it showed, as the runtime does.
fn draw(app: &mut App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut drawn = None;
    terminal
        .draw(|frame| drawn = kscope::ui::draw_frame(frame, app, &Theme::dark()).pane)
        .unwrap();
    let columns = drawn.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
    app.drawn(drawn);
    columns
}

/// A fresh app that has been told of `kinds`' objects among the examples, each list done.
fn listed(app: &mut App, kinds: &[WatchedKind]) {
    for kind in kinds {
        app.on_cluster(ClusterMessage::Listing { kind: *kind });
    }
    for object in example_objects() {
        let kind = match object["kind"].as_str() {
            Some("Pod") => WatchedKind::Pods,
            Some("Node") => WatchedKind::Nodes,
            _ => continue,
        };
        if kinds.contains(&kind) {
            app.on_cluster(ClusterMessage::applied(kind, &object));
        }
    }
    for kind in kinds {
        app.on_cluster(ClusterMessage::Synced { kind: *kind });
    }
}

const NOTHING: WantedMetrics = WantedMetrics {
    pods: false,
    nodes: false,
};
const PODS: WantedMetrics = WantedMetrics {
    pods: true,
    nodes: false,
};
const NODES: WantedMetrics = WantedMetrics {
    pods: false,
    nodes: true,
};

#[test]
fn usage_is_read_only_while_its_columns_are_in_sight_and_once_the_list_is_in() {
    let now: Timestamp = EXPLORER_NOW.parse().unwrap();
    let mut app = App::new("test-context", None, now);
    assert!(!draw(&mut app, 160, 50).contains(&"CPU".to_string()));
    assert_eq!(
        app.wanted_metrics(),
        NOTHING,
        "nothing says metrics are served"
    );

    app.on_cluster(ClusterMessage::MetricsServed(true));
    assert!(draw(&mut app, 160, 50).contains(&"CPU".to_string()));
    assert_eq!(
        app.wanted_metrics(),
        NOTHING,
        "the pods' list comes first: a slow metrics answer must not hold it back"
    );

    listed(&mut app, &[WatchedKind::Pods, WatchedKind::Nodes]);
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), PODS, "CPU and MEM in sight");

    // Not while a filter is typed (the last reading stays on screen); once it is applied, again.
    press(&mut app, "/web");
    assert!(draw(&mut app, 160, 50).contains(&"CPU".to_string()));
    assert_eq!(app.wanted_metrics(), NOTHING, "a filter being typed");
    press(&mut app, "<enter>");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), PODS, "the filter applied");
    press(&mut app, "/<esc>");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), PODS, "the prompt closed");

    // Too narrow for any usage column: nothing to read, unless the pods are sorted by usage.
    let narrow = draw(&mut app, 70, 24);
    assert!(
        !narrow
            .iter()
            .any(|c| c.starts_with("CPU") || c.starts_with("MEM") || c.starts_with('%')),
        "{narrow:?}"
    );
    assert_eq!(app.wanted_metrics(), NOTHING);
    press(&mut app, "C");
    assert_eq!(app.wanted_metrics(), PODS, "sorted by CPU");
    press(&mut app, "N");
    assert_eq!(app.wanted_metrics(), NOTHING);

    // Another pane: what the last frame showed of the pods pane does not count for it.
    draw(&mut app, 160, 50);
    press(&mut app, ":nodes<enter>");
    assert_eq!(app.pane, Pane::Nodes);
    assert_eq!(app.wanted_metrics(), NOTHING, "not drawn yet");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), NODES);

    // A view over the pane hides its columns.
    press(&mut app, ":pods<enter>");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), PODS);
    press(&mut app, "?");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), NOTHING, "the help covers the pane");
    press(&mut app, "<esc>");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), PODS);

    // A pane without usage columns.
    press(&mut app, ":ns<enter>");
    draw(&mut app, 160, 50);
    assert_eq!(app.wanted_metrics(), NOTHING);
}

#[test]
fn a_reading_fills_only_its_own_columns_and_the_columns_stay_without_discovery() {
    use kscope::model::metrics::{MetricsReading, Usage};
    let now: Timestamp = EXPLORER_NOW.parse().unwrap();
    let mut app = App::new("test-context", None, now);
    listed(&mut app, &[WatchedKind::Pods, WatchedKind::Nodes]);
    let (key, _) = app.resources.pods.iter().next().unwrap();
    let key = key.clone();
    let used = Usage {
        cpu_millis: 250,
        memory_bytes: 64 << 20,
    };
    app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Pods(
        kscope::model::metrics::UsageMap::from_iter([(key.clone(), used)]),
    ))));
    assert_eq!(app.metrics.pod(&key), Some(used));
    assert!(app.take_discarded().is_empty(), "nothing replaced yet");
    assert!(draw(&mut app, 160, 50).contains(&"CPU".to_string()));
    // The next reading replaces it; the one replaced is set aside for the runtime to free off
    // the loop's thread.
    let later = Usage {
        cpu_millis: 300,
        ..used
    };
    app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Pods(
        kscope::model::metrics::UsageMap::from_iter([(key.clone(), later)]),
    ))));
    assert_eq!(app.metrics.pod(&key), Some(later));
    assert_eq!(app.take_discarded().len(), 1);
    assert!(app.take_discarded().is_empty(), "handed over once");
    press(&mut app, ":nodes<enter>");
    assert!(
        !draw(&mut app, 160, 50).contains(&"CPU".to_string()),
        "no NodeMetrics read, none served"
    );
}

#[test]
fn the_events_are_listed_once_the_pods_are_or_at_once_on_their_pane() {
    let now: Timestamp = EXPLORER_NOW.parse().unwrap();
    let mut app = App::new("test-context", None, now);
    let wanted = app.wanted_watches();
    assert!(wanted.contains(&WatchedKind::Pods) && wanted.contains(&WatchedKind::Nodes));
    assert!(!wanted.contains(&WatchedKind::Events));
    listed(&mut app, &[WatchedKind::Pods]);
    assert!(app.wanted_watches().contains(&WatchedKind::Events));

    // A pods list that fails does not hold the events back.
    let mut failing = App::new("test-context", None, now);
    failing.on_cluster(ClusterMessage::Failed {
        kind: WatchedKind::Pods,
        error: "list pods: forbidden".into(),
        forbidden: true,
    });
    assert!(failing.wanted_watches().contains(&WatchedKind::Events));

    let mut on_events = App::new("test-context", None, now);
    press(&mut on_events, ":events<enter>");
    assert!(on_events.wanted_watches().contains(&WatchedKind::Events));
}

#[test]
fn the_pods_filter_texts_are_gathered_on_the_ticks_once_listed_while_their_pane_is_open() {
    let now: Timestamp = EXPLORER_NOW.parse().unwrap();
    let second = jiff::SignedDuration::from_secs(1);
    let mut app = App::new("test-context", None, now);
    app.tick(now + second);
    assert!(!app.resources.pod_rows_made(), "nothing to gather yet");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    app.tick(now + 2 * second);
    assert!(
        !app.resources.pod_rows_made(),
        "not while the list comes in"
    );
    listed(&mut app, &[WatchedKind::Pods]);
    app.tick(now + 3 * second);
    assert!(app.resources.pod_rows_made());

    // Elsewhere than the pods pane they are left for a filter to gather.
    let mut on_nodes = App::new("test-context", None, now);
    listed(&mut on_nodes, &[WatchedKind::Pods, WatchedKind::Nodes]);
    press(&mut on_nodes, ":nodes<enter>");
    assert_eq!(on_nodes.pane, Pane::Nodes);
    on_nodes.tick(now + second);
    assert!(!on_nodes.resources.pod_rows_made());
}
