//! The watch stream as a pane of its own: it opens following the newest change, its filter
//! applies, and each line acts on its object (or says the object is gone).

use kscope::app::state::{App, Mode, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use serde_json::{Value, json};

use crate::support::explorer::{example_objects, loaded_app, press};

fn example(name: &str) -> Value {
    example_objects()
        .into_iter()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap()
}

fn named(name: &str, mut pod: Value, phase_note: &str) -> Value {
    pod["metadata"]["name"] = json!(name);
    pod["metadata"]["uid"] = json!(format!("uid-{name}"));
    pod["metadata"]["annotations"] = json!({"note": phase_note});
    pod
}

/// Names of the stream lines shown and the selected one.
fn lines(app: &App) -> (Vec<String>, String) {
    let shown: Vec<String> = app
        .visible_stream()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    let selected = shown.get(app.selection()).cloned().unwrap_or_default();
    (shown, selected)
}

#[test]
fn the_stream_follows_the_newest_line_until_the_cursor_moves_and_then_stays_on_its_line() {
    let mut app = loaded_app();
    let base = example("checkout-7d9f8b6c5-x2k4q");
    for name in ["a-1", "b-2", "c-3"] {
        app.on_cluster(ClusterMessage::applied(
            WatchedKind::Pods,
            &named(name, base.clone(), "x"),
        ));
    }
    press(&mut app, ":stream<enter>");
    assert_eq!(app.pane, Pane::Stream);
    let (shown, selected) = lines(&app);
    assert_eq!(shown.len(), 3);
    assert_eq!(selected, "shop/c-3", "opens on the newest");
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &named("d-4", base.clone(), "x"),
    ));
    assert_eq!(lines(&app).1, "shop/d-4", "follows");
    press(&mut app, "k");
    assert_eq!(lines(&app).1, "shop/c-3");
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &named("e-5", base.clone(), "x"),
    ));
    assert_eq!(lines(&app).1, "shop/c-3", "a line chosen stays chosen");
    press(&mut app, "G");
    assert_eq!(lines(&app).1, "shop/e-5");
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &named("f-6", base, "x"),
    ));
    assert_eq!(lines(&app).1, "shop/f-6", "G follows again");
}

#[test]
fn the_streams_filter_applies_and_its_lines_act_on_their_objects() {
    let mut app = loaded_app();
    let pod = example("checkout-7d9f8b6c5-x2k4q");
    let mut ready = pod.clone();
    ready["status"]["containerStatuses"][0]["state"] =
        json!({"running": {"startedAt": "2026-11-21T09:59:00Z"}});
    ready["status"]["containerStatuses"][0]["ready"] = json!(true);
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &ready));
    let node = example("worker-4");
    app.on_cluster(ClusterMessage::applied(WatchedKind::Nodes, &node));
    press(&mut app, ":stream<enter>");
    assert_eq!(lines(&app).0.len(), 2);
    press(&mut app, "/running<enter>");
    assert_eq!(lines(&app).0, ["shop/checkout-7d9f8b6c5-x2k4q"]);
    // x explains the line's pod; d describes it; y opens its YAML.
    press(&mut app, "x");
    assert!(matches!(app.mode, Mode::Explain { .. }), "{:?}", app.mode);
    press(&mut app, "<esc>d");
    assert!(
        matches!(&app.mode, Mode::Describe { title, .. } if title == "pod shop/checkout-7d9f8b6c5-x2k4q"),
        "{:?}",
        app.mode
    );
    press(&mut app, "<esc>y");
    assert!(
        matches!(app.mode, Mode::Yaml { .. } | Mode::Fetching { .. }),
        "{:?}",
        app.mode
    );
    press(&mut app, "<esc>");
    app.requests.clear();
    // ctrl-d asks to delete that pod, named.
    press(&mut app, "<c-d>");
    assert!(matches!(app.mode, Mode::Prompt { .. }), "{:?}", app.mode);
    press(&mut app, "<esc>");
    // enter opens the pod in the pods pane, the cursor on it.
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert_eq!(
        app.selected_object().map(|(_, key, _)| key.1),
        Some("checkout-7d9f8b6c5-x2k4q".to_string())
    );
    // Once the pod is deleted, its lines say so instead of acting on another object.
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Stream);
    app.on_cluster(ClusterMessage::deleted(WatchedKind::Pods, &ready));
    press(&mut app, "/<c-u>modified.*pod<enter>");
    assert_eq!(lines(&app).0, ["shop/checkout-7d9f8b6c5-x2k4q"]);
    press(&mut app, "x");
    assert_eq!(
        app.message.as_deref(),
        Some("pod shop/checkout-7d9f8b6c5-x2k4q is gone")
    );
    press(&mut app, "<c-d>");
    assert!(matches!(app.mode, Mode::Normal));
    assert!(app.requests.is_empty(), "{:?}", app.requests);
}

#[test]
fn a_stream_lines_delete_is_refused_in_read_only() {
    let mut app = loaded_app();
    app.readonly = true;
    let base = example("checkout-7d9f8b6c5-x2k4q");
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &named("a-1", base, "x"),
    ));
    press(&mut app, ":stream<enter><c-d>");
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.mode);
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.starts_with("read-only:")),
        "{:?}",
        app.message
    );
    assert!(app.requests.is_empty());
}
