//! Selection, marks and actions as object identities; history; views that own their keys;
//! bindings that the footer and the help follow. The state machine driven by keys and watch
//! messages, without a terminal.

use crate::support;

use kscope::app::operation::Operation;
use kscope::app::request::Request;
use kscope::app::state::{App, Drill, Mode, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};
use support::explorer::{loaded_app, press};

fn pod(namespace: &str, name: &str, uid: &str, restarts: i64, ready: bool) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": uid,
                     "creationTimestamp": "2026-11-21T09:00:00Z", "labels": {"app": name}},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": "nginx"}]},
        "status": {"phase": "Running", "containerStatuses": [{
            "name": "app", "ready": ready, "restartCount": restarts, "image": "nginx",
            "imageID": "", "state": {"running": {"startedAt": "2026-11-21T09:00:00Z"}}}]}
    })
}

fn deployment(namespace: &str, name: &str, uid: &str, replicas: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "uid": uid,
                     "creationTimestamp": "2026-11-20T09:00:00Z"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "app", "image": "nginx"}]}}},
        "status": {"replicas": replicas, "readyReplicas": replicas,
                   "availableReplicas": replicas, "updatedReplicas": replicas}
    })
}

fn service(namespace: &str, name: &str, uid: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": namespace, "uid": uid,
                     "creationTimestamp": "2026-11-20T09:00:00Z"},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80}], "clusterIP": "10.0.0.1"}
    })
}

/// An app with deployments and services listed, as their watches would deliver them.
fn app_with_workloads() -> App {
    let mut app = loaded_app();
    for (kind, objects) in [
        (
            WatchedKind::Deployments,
            vec![
                deployment("shop", "cart", "uid-cart", 2),
                deployment("shop", "web", "uid-web-deploy", 3),
                deployment("batch", "etl", "uid-etl", 1),
            ],
        ),
        (
            WatchedKind::Services,
            vec![
                service("shop", "web", "uid-web-svc"),
                service("shop", "cart", "uid-cart-svc"),
            ],
        ),
    ] {
        app.on_cluster(ClusterMessage::Listing { kind });
        for object in &objects {
            app.on_cluster(ClusterMessage::applied(kind, object));
        }
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    app
}

fn selected(app: &App) -> Option<(String, String)> {
    app.selected_object().map(|(_, key, _)| key)
}

fn key(namespace: &str, name: &str) -> Option<(String, String)> {
    Some((namespace.to_string(), name.to_string()))
}

pub(crate) fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| kscope::ui::draw(frame, app, &kscope::ui::theme::Theme::monochrome()))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            format!("{}\n", line.trim_end())
        })
        .collect()
}

#[test]
fn the_cursor_stays_on_its_object_when_rows_move_under_it() {
    let mut app = loaded_app();
    press(&mut app, "jjj");
    let chosen = selected(&app);
    let (namespace, name) = chosen.clone().unwrap();
    // New pods sort before it, in its namespace and in an earlier one.
    for (ns, name) in [
        ("a-first", "zz"),
        (namespace.as_str(), "aaa-new"),
        ("aa", "b"),
    ] {
        app.on_cluster(ClusterMessage::applied(
            WatchedKind::Pods,
            &pod(ns, name, &format!("uid-{name}"), 0, true),
        ));
        assert_eq!(selected(&app), chosen, "after {ns}/{name} was added");
    }
    // A re-sort moves its row; the cursor goes with it.
    press(&mut app, "R");
    assert_eq!(selected(&app), chosen);
    press(&mut app, "N");
    assert_eq!(selected(&app), chosen);
    // A filter that keeps it, typed and cleared, keeps it.
    press(&mut app, &format!("/{}<enter>", &name[..3]));
    assert_eq!(selected(&app), chosen);
    press(&mut app, "<esc>");
    assert_eq!(selected(&app), chosen);
    // And `d` describes it, not whatever row it used to be.
    press(&mut app, "d");
    let Mode::Describe { title, .. } = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert_eq!(title, &format!("pod {namespace}/{name}"));
}

#[test]
fn when_the_selected_object_goes_its_neighbour_takes_the_cursor_and_the_footer_says_so() {
    let mut app = loaded_app();
    press(&mut app, "jj");
    let gone = selected(&app).unwrap();
    let keys: Vec<_> = app.visible_pods().into_iter().cloned().collect();
    let neighbour = keys[3].clone();
    app.on_cluster(ClusterMessage::Deleted {
        kind: WatchedKind::Pods,
        key: gone.clone(),
    });
    assert_eq!(selected(&app), Some(neighbour.clone()));
    let message = app.message.clone().unwrap_or_default();
    assert_eq!(
        message,
        format!(
            "pod {}/{} is gone; the cursor moved to pod {}/{}",
            gone.0, gone.1, neighbour.0, neighbour.1
        )
    );
}

#[derive(Debug, Clone)]
enum Change {
    /// A new pod (namespace, name).
    Add(u8, u8),
    /// A pod (by index among those shown) restarts or changes readiness.
    Modify(usize, i64, bool),
    /// A pod other than the selected one is deleted (by index).
    Delete(usize),
    Sort(char),
    Filter(u8),
    ClearFilter,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (0u8..6, 0u8..40).prop_map(|(n, p)| Change::Add(n, p)),
        4 => (0usize..64, 0i64..20, any::<bool>()).prop_map(|(i, r, ready)| Change::Modify(i, r, ready)),
        2 => (0usize..64).prop_map(Change::Delete),
        2 => prop::sample::select(vec!['N', 'A', 'S', 'R']).prop_map(Change::Sort),
        1 => (0u8..6).prop_map(Change::Filter),
        1 => Just(Change::ClearFilter),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Across 1,000 live updates, sorts and filter changes the cursor never moves onto another
    /// object while its own is shown; only a filter that hides it, or its deletion, moves it.
    #[test]
    fn the_cursor_never_moves_to_another_object_under_churn(
        start in 0usize..7,
        changes in prop::collection::vec(change(), 1000),
    ) {
        let mut app = loaded_app();
        for _ in 0..start {
            press(&mut app, "j");
        }
        // A frame pins the cursor to the object shown under it.
        app.settle();
        let mut tracked = selected(&app);
        for change in changes {
            let shown: Vec<(String, String)> =
                app.visible_pods().into_iter().cloned().collect();
            match &change {
                Change::Add(n, p) => {
                    let namespace = format!("ns-{n}");
                    let name = format!("pod-{p}");
                    app.on_cluster(ClusterMessage::applied(
                        WatchedKind::Pods,
                        &pod(&namespace, &name, &format!("uid-{n}-{p}"), 0, true),
                    ));
                }
                Change::Modify(index, restarts, ready) => {
                    if let Some((namespace, name)) = shown.get(index % shown.len().max(1)) {
                        app.on_cluster(ClusterMessage::applied(
                            WatchedKind::Pods,
                            &pod(namespace, name, &format!("uid-{namespace}-{name}"), *restarts, *ready),
                        ));
                    }
                }
                Change::Delete(index) => {
                    if let Some(victim) = shown.get(index % shown.len().max(1))
                        && Some(victim) != tracked.as_ref()
                    {
                        app.on_cluster(ClusterMessage::Deleted {
                            kind: WatchedKind::Pods,
                            key: victim.clone(),
                        });
                    }
                }
                Change::Sort(column) => press(&mut app, &column.to_string()),
                Change::Filter(n) => press(&mut app, &format!("/ns-{n}<enter>")),
                Change::ClearFilter => press(&mut app, "<esc>"),
            }
            app.settle();
            let now_shown: Vec<(String, String)> =
                app.visible_pods().into_iter().cloned().collect();
            match &tracked {
                Some(object) if now_shown.contains(object) => {
                    let now = selected(&app);
                    prop_assert_eq!(now.as_ref(), Some(object), "after {:?}", change);
                }
                // Hidden by a filter: the cursor is on a row shown, and that object is followed.
                _ => tracked = selected(&app),
            }
        }
    }
}

/// A pod whose RESTARTS, STATUS and AGE each take one of a few values, so sorts meet ties.
fn sortable_pod(namespace: &str, name: &str, restarts: i64, waiting: u8, minute: u8) -> Value {
    let state = match waiting % 3 {
        0 => json!({"running": {"startedAt": "2026-11-21T09:00:00Z"}}),
        1 => json!({"waiting": {"reason": "CrashLoopBackOff"}}),
        _ => json!({"waiting": {"reason": "ImagePullBackOff"}}),
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": format!("uid-{namespace}-{name}"),
                     "creationTimestamp": format!("2026-11-21T09:{minute:02}:00Z")},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": "nginx"}]},
        "status": {"phase": "Running", "containerStatuses": [{
            "name": "app", "ready": waiting.is_multiple_of(3), "restartCount": restarts, "image": "nginx",
            "imageID": "", "state": state}]}
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A sorted pods pane, filtered or not, orders its pods as comparing each pod's value does,
    /// pods of equal value in namespace and name order (reversed when the column is chosen
    /// again): the sort reads each pod once, by walking the map beside the keys.
    #[test]
    fn a_sorted_pods_pane_orders_pods_by_their_values(
        pods in prop::collection::vec((0u8..4, 0u8..80, 0i64..4, 0u8..3, 0u8..4), 1..120),
        column in prop::sample::select(vec!['A', 'S', 'R']),
        reversed in any::<bool>(),
        filter in prop::option::of(0u8..4),
    ) {
        let mut app = loaded_app();
        for (namespace, name, restarts, waiting, minute) in &pods {
            app.on_cluster(ClusterMessage::applied(
                WatchedKind::Pods,
                &sortable_pod(&format!("ns-{namespace}"), &format!("pod-{name}"), *restarts, *waiting, *minute),
            ));
        }
        if let Some(namespace) = filter {
            press(&mut app, &format!("/ns-{namespace}<enter>"));
        }
        let unsorted: Vec<(String, String)> = app.visible_pods().into_iter().cloned().collect();
        press(&mut app, &column.to_string());
        if reversed {
            press(&mut app, &column.to_string());
        }
        let sorted: Vec<(String, String)> = app.visible_pods().into_iter().cloned().collect();
        let mut expected = unsorted.clone();
        let entries = &app.resources.pods;
        match column {
            'A' => expected.sort_by_key(|k| std::cmp::Reverse(entries[k].created)),
            'S' => expected.sort_by(|a, b| entries[a].row.status.cmp(&entries[b].row.status)),
            _ => expected.sort_by_key(|k| std::cmp::Reverse(entries[k].row.restart_count)),
        }
        if reversed {
            expected.reverse();
        }
        prop_assert_eq!(sorted, expected);
    }
}

#[test]
fn marks_belong_to_their_kind_and_a_delete_names_only_them() {
    let mut app = app_with_workloads();
    press(&mut app, ":svc<enter>");
    // Services in order: shop/cart, shop/web. Mark web.
    press(&mut app, "j<space>");
    assert_eq!(app.marks_here().map(|m| m.len()), Some(1));
    press(&mut app, ":deploy<enter>");
    assert!(app.marks_here().is_none(), "the deployments have no marks");
    press(&mut app, "/cart<enter>");
    assert_eq!(selected(&app), key("shop", "cart"));
    press(&mut app, "<c-d><enter>");
    let Mode::Confirm { operation, .. } = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert_eq!(
        operation.plan()[1].trim(),
        "deployment shop/cart",
        "the selected deployment, not the service's namesake: {:?}",
        operation.plan()
    );
    press(&mut app, "n");
    // Back on services, the mark is still there and still names the service.
    press(&mut app, ":svc<enter><c-d><enter>");
    let Mode::Confirm { operation, .. } = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert_eq!(operation.plan()[1].trim(), "service shop/web");
    let screen = screen(&app, 120, 30);
    assert!(screen.contains("1 marked"), "{screen}");
}

#[test]
fn a_change_confirmed_for_an_object_replaced_meanwhile_is_refused() {
    let mut app = app_with_workloads();
    press(&mut app, ":deploy<enter>/web<enter>s");
    // The prompt starts with the current count; replace it.
    let Mode::Prompt { text, .. } = &mut app.mode else {
        panic!("{:?}", app.mode);
    };
    text.clear();
    press(&mut app, "5<enter>");
    assert!(matches!(app.mode, Mode::Confirm { .. }), "{:?}", app.mode);
    // Meanwhile the deployment is deleted and created again under the same name.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Deployments,
        &deployment("shop", "web", "uid-web-2", 1),
    ));
    press(&mut app, "y");
    assert!(
        !app.requests.iter().any(|r| matches!(r, Request::Run(_))),
        "nothing is sent: {:?}",
        app.requests
    );
    assert_eq!(
        app.message.as_deref(),
        Some(
            "refused: deployment shop/web was replaced since it was chosen (uid uid-web-deploy is now uid-web-2); nothing was sent"
        )
    );
}

#[test]
fn a_delete_confirmed_for_an_object_gone_meanwhile_is_refused_and_a_marked_one_carries_its_uid() {
    let mut app = app_with_workloads();
    press(&mut app, ":deploy<enter>");
    // Mark batch/etl (the first row), then it goes away before the confirmation is answered.
    press(&mut app, "<space><c-d><enter>");
    app.on_cluster(ClusterMessage::Deleted {
        kind: WatchedKind::Deployments,
        key: ("batch".into(), "etl".into()),
    });
    press(&mut app, "y");
    assert!(app.requests.is_empty(), "{:?}", app.requests);
    assert_eq!(
        app.message.as_deref(),
        Some("refused: deployment batch/etl was deleted since it was chosen; nothing was sent")
    );
    // A delete that goes through names each object with the uid it was chosen with, which the
    // API server checks as a precondition.
    press(&mut app, "g<c-d><enter>y");
    let [Request::Run(Operation::Delete { objects, .. })] = app.requests.as_slice() else {
        panic!("{:?}", app.requests);
    };
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].uid.as_deref(), Some("uid-cart"));
}

#[test]
fn a_drill_down_and_esc_return_to_the_pane_with_its_selection_and_filter() {
    let mut app = app_with_workloads();
    press(&mut app, ":nodes<enter>");
    let node = selected(&app);
    press(&mut app, "<enter>");
    assert!(matches!(app.drill, Some(Drill::Node(_))));
    assert_eq!(
        app.breadcrumb(),
        [
            "Nodes".to_string(),
            node.clone().unwrap().1,
            "Pods".to_string()
        ]
    );
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Nodes);
    assert_eq!(selected(&app), node);

    press(&mut app, ":deploy<enter>/e<enter>j");
    let web = selected(&app);
    assert_eq!(web, key("shop", "web"));
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert_eq!(
        app.breadcrumb(),
        ["Deployments", "shop/web", "Pods"].map(String::from)
    );
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Deployments));
    assert_eq!(app.filter.text(), "e", "the pane's filter is restored");
    assert_eq!(selected(&app), web);
    // esc clears that filter first, then goes back to the nodes.
    press(&mut app, "<esc>");
    assert_eq!(app.filter.text(), "");
    assert_eq!(selected(&app), web, "clearing a filter keeps the cursor");
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Nodes);
}

#[test]
fn dash_toggles_the_last_two_views_and_brackets_go_back_and_forward() {
    let mut app = app_with_workloads();
    press(&mut app, ":nodes<enter>:svc<enter>");
    press(&mut app, "[");
    assert_eq!(app.pane, Pane::Nodes);
    press(&mut app, "[");
    assert_eq!(app.pane, Pane::Pods);
    press(&mut app, "[");
    assert_eq!(app.message.as_deref(), Some("nothing to go back to"));
    press(&mut app, "]");
    assert_eq!(app.pane, Pane::Nodes);
    press(&mut app, "]");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Services));
    press(&mut app, "]");
    assert_eq!(app.message.as_deref(), Some("nothing to go forward to"));
    press(&mut app, "-");
    assert_eq!(app.pane, Pane::Nodes);
    press(&mut app, "-");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Services));
    // After going back from a drill-down, `-` returns to it.
    press(&mut app, ":nodes<enter><enter>");
    let drill = app.drill.clone();
    assert!(matches!(drill, Some(Drill::Node(_))));
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Nodes);
    press(&mut app, "-");
    assert_eq!((app.pane, app.drill.clone()), (Pane::Pods, drill));
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Nodes);
}

#[test]
fn every_view_swallows_a_command_typed_into_it() {
    // Each view, opened from the pods pane (or where it lives); `:deploy` typed into it opens
    // the deployments, and no key of it reaches the view or the pane (no editor, no describe).
    let openers: [(&str, &str); 7] = [
        ("help", "?"),
        ("explain", "x"),
        ("describe", "d"),
        ("containers", "<enter>"),
        ("logs", "l"),
        ("drain dialog", ":nodes<enter>r"),
        ("cordon confirmation", ":nodes<enter>c"),
    ];
    for (view, keys) in openers {
        let mut app = app_with_workloads();
        press(&mut app, keys);
        assert!(
            !matches!(app.mode, Mode::Normal),
            "{view}: opened ({:?})",
            app.message
        );
        app.requests.clear();
        press(&mut app, ":deploy<enter>");
        assert_eq!(
            app.pane,
            Pane::Kind(WatchedKind::Deployments),
            "{view}: the command ran"
        );
        assert!(matches!(app.mode, Mode::Normal), "{view}: {:?}", app.mode);
        assert!(
            app.requests
                .iter()
                .all(|r| matches!(r, Request::StopLogs | Request::CancelDrain)),
            "{view}: nothing else was asked: {:?}",
            app.requests
        );
    }
    // A prompt is a text field: the command is typed into it and is no value, so it is
    // refused there, and nothing of it reaches the pane.
    let mut app = app_with_workloads();
    press(&mut app, "<c-d>:deploy<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.mode);
    assert!(app.requests.is_empty(), "{:?}", app.requests);
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .starts_with("a grace period is"),
        "{:?}",
        app.message
    );
    // The YAML view of an object the watches hold whole.
    let mut app = app_with_workloads();
    press(&mut app, ":deploy<enter>y");
    assert!(matches!(app.mode, Mode::Yaml { .. }));
    press(&mut app, ":svc<enter>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Services));
    assert!(app.requests.is_empty(), "{:?}", app.requests);
    // esc on the command line returns to the view it was typed over.
    press(&mut app, "d:dep<esc>");
    assert!(matches!(app.mode, Mode::Describe { .. }), "{:?}", app.mode);
}

#[test]
fn a_change_from_a_view_applies_to_the_object_it_shows_even_if_the_cursor_moved() {
    let mut app = app_with_workloads();
    press(&mut app, ":deploy<enter>y");
    let Mode::Yaml { title, .. } = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert_eq!(title, "deployment batch/etl");
    // A new deployment sorts first while the view is open.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Deployments,
        &deployment("a-team", "api", "uid-api", 1),
    ));
    press(&mut app, "s");
    let Mode::Prompt { prompt, .. } = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert_eq!(
        prompt.question(),
        "replicas for deployment batch/etl (now 1)"
    );
}

#[test]
fn the_footer_and_the_help_follow_the_bindings_and_read_only_shows_in_the_header() {
    let mut app = loaded_app();
    let screen_before = screen(&app, 100, 30);
    assert!(screen_before.contains(" q quit"), "{screen_before}");
    app.keymap
        .apply("quit: [ctrl-x]\nnodes:\n  drain: [D]\n", "test")
        .unwrap();
    let footer = screen(&app, 100, 30);
    assert!(footer.contains(" ctrl-x quit"), "{footer}");
    assert!(!footer.contains(" q quit"), "{footer}");
    press(&mut app, ":nodes<enter>");
    let nodes = screen(&app, 100, 30);
    assert!(nodes.contains(" D drain"), "{nodes}");
    press(&mut app, "?");
    let help = screen(&app, 120, 80);
    assert!(help.contains(" ctrl-x "), "{help}");
    assert!(help.contains(" D "), "{help}");
    press(&mut app, "<esc>");
    // A view's keys are rebound in its own context, and its footer says so.
    app.keymap
        .apply("describe:\n  back: [Q]\n  down: [n]\n", "test")
        .unwrap();
    press(&mut app, "d");
    let describe = screen(&app, 100, 30);
    assert!(describe.contains(" Q close  n down"), "{describe}");
    press(&mut app, "<esc>");
    assert!(
        matches!(app.mode, Mode::Describe { .. }),
        "esc no longer closes it"
    );
    press(&mut app, "Q");
    assert!(matches!(app.mode, Mode::Normal));
    assert!(!screen(&app, 100, 30).contains("read-only"));
    app.readonly = true;
    let header = screen(&app, 100, 30);
    assert!(
        header.lines().next().unwrap().contains("read-only"),
        "{header}"
    );
}

#[test]
fn the_log_view_and_the_drain_dialog_take_their_keys_from_the_keymap() {
    let mut app = loaded_app();
    app.keymap
        .apply("logs:\n  wrap: [W]\ndrain:\n  plan: [P]\n", "test")
        .unwrap();
    press(&mut app, "l");
    let Mode::Logs(view) = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert!(!view.wrap);
    press(&mut app, "w");
    let Mode::Logs(view) = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert!(!view.wrap, "w is no longer wrap");
    press(&mut app, "W");
    let Mode::Logs(view) = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert!(view.wrap, "W is");
    press(&mut app, "<esc>:nodes<enter>r");
    assert!(matches!(app.mode, Mode::Drain(_)));
    app.requests.clear();
    press(&mut app, "p");
    assert!(app.requests.is_empty(), "p no longer plans");
    press(&mut app, "P");
    assert!(
        matches!(app.requests.as_slice(), [Request::PlanDrain { .. }]),
        "{:?}",
        app.requests
    );
}
