//! The owner tree (`:xray KIND`, `X`): a Deployment down to its containers, a Service to the
//! pods it selects; the pane keys acting on the selected line (explain, logs of a container,
//! delete asking first) and the tree coming back when their view closes; `J` to the owner in
//! the tree and in the panes; the cursor on its object as pods come and go (a property test);
//! the view drawn.

use crate::support;

use jiff::{SignedDuration, Timestamp};
use kscope::app::state::{App, Mode, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::owner_tree::Subject;
use proptest::prelude::*;
use serde_json::{Value, json};
use support::explorer::{EXPLORER_NOW, press, screen};

fn now() -> Timestamp {
    EXPLORER_NOW.parse().unwrap()
}

fn owner(kind: &str, name: &str, uid: &str) -> Value {
    json!([{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid, "controller": true}])
}

fn deployment() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": "d-1",
            "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"readyReplicas": 1, "replicas": 2}})
}

fn replica_set() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-7d9", "namespace": "shop", "uid": "r-1",
            "creationTimestamp": "2026-11-20T10:00:00Z",
            "ownerReferences": owner("Deployment", "web", "d-1")},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"readyReplicas": 1, "replicas": 2}})
}

fn service() -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "uid": "s-1",
            "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10", "selector": {"app": "web"},
            "ports": [{"port": 80, "protocol": "TCP"}]}})
}

fn pod(name: &str, ready: bool) -> Value {
    let state = if ready {
        json!({"running": {"startedAt": "2026-11-21T09:00:00Z"}})
    } else {
        json!({"waiting": {"reason": "CrashLoopBackOff"}})
    };
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}"),
            "labels": {"app": "web"}, "creationTimestamp": "2026-11-21T09:00:00Z",
            "ownerReferences": owner("ReplicaSet", "web-7d9", "r-1")},
        "spec": {"nodeName": "worker-1", "containers": [
            {"name": "web", "image": "nginx:1.27"}, {"name": "log", "image": "busybox"}]},
        "status": {"phase": "Running", "podIP": "10.244.1.5",
            "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
            "containerStatuses": [
                {"name": "web", "ready": ready, "restartCount": if ready { 0 } else { 4 },
                    "image": "nginx:1.27", "state": state},
                {"name": "log", "ready": true, "restartCount": 0, "image": "busybox",
                    "state": {"running": {"startedAt": "2026-11-21T09:00:00Z"}}}]}})
}

fn node() -> Value {
    json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "worker-1", "uid": "n-1", "creationTimestamp": "2026-11-01T00:00:00Z"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
}

/// An app that has listed a Deployment, its ReplicaSet, two pods, a Service and a node.
fn app() -> App {
    let mut app = App::new("test-context", None, now());
    let objects = [
        (WatchedKind::Nodes, vec![node()]),
        (
            WatchedKind::Pods,
            vec![pod("web-7d9-a", true), pod("web-7d9-b", false)],
        ),
        (WatchedKind::Namespaces, vec![]),
        (WatchedKind::Events, vec![]),
        (WatchedKind::Deployments, vec![deployment()]),
        (WatchedKind::ReplicaSets, vec![replica_set()]),
        (WatchedKind::Services, vec![service()]),
    ];
    for (kind, list) in objects {
        app.on_cluster(ClusterMessage::Listing { kind });
        for object in &list {
            app.on_cluster(ClusterMessage::applied(kind, object));
        }
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    app
}

fn selected(app: &App) -> Subject {
    match &app.mode {
        Mode::Xray(view) => view.selected().expect("a line").subject.clone(),
        other => panic!("not the tree: {other:?}"),
    }
}

fn pod_subject(name: &str) -> Subject {
    Subject::Object(WatchedKind::Pods, ("shop".into(), name.into()))
}

#[test]
fn a_deployment_down_to_its_containers_drawn() {
    let mut app = app();
    press(&mut app, ":xray deploy<enter>");
    let Mode::Xray(view) = &app.mode else {
        panic!("the tree opens: {:?} {:?}", app.mode, app.message);
    };
    assert_eq!(view.lines.len(), 8, "{:?}", view.lines);
    insta::assert_snapshot!("xray_deployment_100x16", screen(&mut app, 100, 16));
    // A Service's pods, as its endpoints list them.
    press(&mut app, ":xray svc<enter>");
    let text = screen(&mut app, 100, 16);
    assert!(
        text.contains("svc    shop/web  ClusterIP, 1/2 pods ready"),
        "{text}"
    );
    press(&mut app, ":xray cm<enter>");
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .contains("no owner tree"),
        "{:?}",
        app.message
    );
}

#[test]
fn pane_keys_act_on_the_selected_line_and_its_view_returns_to_the_tree() {
    let mut app = app();
    press(&mut app, ":xray deploy<enter>jj");
    assert_eq!(selected(&app), pod_subject("web-7d9-a"));
    // The explainer of that pod; esc back to the tree, the cursor where it was.
    press(&mut app, "x");
    match &app.mode {
        Mode::Explain { explanation, .. } => {
            assert!(format!("{explanation:?}").contains("web-7d9-a"))
        }
        other => panic!("explained: {other:?}"),
    }
    press(&mut app, "<esc>");
    assert_eq!(selected(&app), pod_subject("web-7d9-a"));
    // A container's logs: that container, not the pod's first.
    press(&mut app, "jj");
    assert_eq!(
        selected(&app),
        Subject::Container(("shop".into(), "web-7d9-a".into()), "log".into())
    );
    press(&mut app, "l");
    match &app.mode {
        Mode::Logs(view) => assert!(view.title.contains("(log)"), "{}", view.title),
        other => panic!("logs: {other:?}"),
    }
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Xray(_)));
    // A delete names the pod (its grace period asked first) and waits; no keeps it and
    // returns to the tree.
    press(&mut app, "kk<c-d>");
    assert!(
        format!("{:?}", app.mode).contains("DeleteGrace")
            && format!("{:?}", app.mode).contains("uid-web-7d9-a"),
        "{:?}",
        app.mode
    );
    press(&mut app, "<enter>");
    match &app.mode {
        Mode::Confirm { chosen, .. } => {
            assert_eq!(chosen.len(), 1);
            assert!(format!("{chosen:?}").contains("web-7d9-a"), "{chosen:?}");
        }
        other => panic!("confirm: {other:?} {:?}", app.message),
    }
    // Asked over the tree, not over the pane underneath.
    insta::assert_snapshot!("xray_confirm_100x20", screen(&mut app, 100, 20));
    press(&mut app, "n");
    assert_eq!(selected(&app), pod_subject("web-7d9-a"));
    assert!(
        app.requests
            .iter()
            .all(|r| !format!("{r:?}").contains("Delete"))
    );
    // The panes underneath are as they were.
    assert_eq!(app.pane, Pane::Pods);
}

#[test]
fn folds_and_the_owner_key() {
    let mut app = app();
    press(&mut app, ":xray deploy<enter>jj");
    // J: the pod's ReplicaSet, then its Deployment.
    press(&mut app, "J");
    assert_eq!(
        selected(&app),
        Subject::Object(WatchedKind::ReplicaSets, ("shop".into(), "web-7d9".into()))
    );
    // left folds it; enter unfolds.
    press(&mut app, "<left>");
    let Mode::Xray(view) = &app.mode else {
        panic!()
    };
    assert_eq!(view.lines.len(), 2);
    press(&mut app, "<enter>");
    let Mode::Xray(view) = &app.mode else {
        panic!()
    };
    assert_eq!(view.lines.len(), 8);
    press(&mut app, "J");
    assert_eq!(
        selected(&app),
        Subject::Object(WatchedKind::Deployments, ("shop".into(), "web".into()))
    );
    press(&mut app, "J");
    assert_eq!(
        app.message.as_deref(),
        Some("deployment shop/web has no owner")
    );
    // X on a pod in the pods pane: its tree.
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Normal));
    press(&mut app, "X");
    let Mode::Xray(view) = &app.mode else {
        panic!("{:?}", app.message)
    };
    assert_eq!(view.title(), "xray pod shop/web-7d9-a");
    press(&mut app, "<esc>J");
    // J in the pods pane: the ReplicaSet's pane with the cursor on it.
    assert_eq!(
        app.pane,
        Pane::Kind(WatchedKind::ReplicaSets),
        "{:?}",
        app.message
    );
    assert_eq!(
        app.selected_object().map(|(_, key, _)| key.1),
        Some("web-7d9".to_string())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The cursor stays on its pod as other pods of the ReplicaSet come and go.
    #[test]
    fn the_cursor_stays_on_its_object_as_pods_come_and_go(
        changes in proptest::collection::vec((0u8..12, any::<bool>()), 1..40)
    ) {
        let mut app = app();
        press(&mut app, ":xray deploy<enter>jj");
        let chosen = pod_subject("web-7d9-a");
        prop_assert_eq!(selected(&app), chosen.clone());
        for (i, (name, add)) in changes.into_iter().enumerate() {
            let name = format!("web-7d9-p{name}");
            let object = pod(&name, add);
            if add {
                app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &object));
            } else {
                app.on_cluster(ClusterMessage::deleted(WatchedKind::Pods, &object));
            }
            app.tick(now() + SignedDuration::from_secs(i as i64 + 1));
            prop_assert_eq!(selected(&app), chosen.clone());
        }
    }
}
