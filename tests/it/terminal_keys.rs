//! `s` and `a` in the explorer's state machine: which pod and container the session names,
//! the choice among several containers, and the refusals.

use crate::support;

use jiff::Timestamp;
use kscope::app::request::{Effect, SessionKind, TerminalSession};
use kscope::app::state::{App, Mode};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use serde_json::json;
use support::explorer::press;

fn pod(
    name: &str,
    uid: &str,
    containers: serde_json::Value,
    annotations: serde_json::Value,
) -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "uid": uid, "annotations": annotations,
                     "creationTimestamp": "2026-11-21T09:00:00Z"},
        "spec": {"nodeName": "worker-1", "containers": containers},
        "status": {"phase": "Running"},
    })
}

fn app_with(pods: &[serde_json::Value]) -> App {
    let mut app = App::new(
        "test",
        Some("shop".into()),
        "2026-11-21T10:00:00Z".parse::<Timestamp>().unwrap(),
    );
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Listing { kind });
    }
    for pod in pods {
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, pod));
    }
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    app
}

fn sessions(app: &mut App) -> Vec<TerminalSession> {
    std::mem::take(&mut app.effects)
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Terminal(session) => Some(*session),
            _ => None,
        })
        .collect()
}

#[test]
fn s_on_a_pod_of_one_container_opens_a_shell_naming_the_pod_as_chosen() {
    let mut app = app_with(&[pod(
        "web-1",
        "u-1",
        json!([{"name": "nginx", "image": "nginx:1.27"}]),
        json!({}),
    )]);
    press(&mut app, "s");
    assert_eq!(
        sessions(&mut app),
        vec![TerminalSession {
            kind: SessionKind::Shell,
            namespace: "shop".into(),
            pod: "web-1".into(),
            uid: Some("u-1".into()),
            container: "nginx".into(),
            stdin: true,
            tty: true,
        }]
    );
    assert_eq!(
        app.message.as_deref(),
        Some("shell in shop/web-1 (nginx): connecting...")
    );
}

#[test]
fn several_containers_are_chosen_from_starting_on_the_default_one() {
    let containers = json!([
        {"name": "app", "image": "nginx:1.27"},
        {"name": "proxy", "image": "envoyproxy/envoy:v1.32.0", "stdin": true, "tty": true},
    ]);
    let mut app = app_with(&[pod(
        "web-1",
        "u-1",
        containers.clone(),
        json!({"kubectl.kubernetes.io/default-container": "proxy"}),
    )]);
    press(&mut app, "s");
    assert!(sessions(&mut app).is_empty());
    assert!(
        matches!(app.mode, Mode::Containers { selected: 1, .. }),
        "{:?}",
        app.mode
    );
    assert_eq!(
        app.message.as_deref(),
        Some("pod shop/web-1 has 2 containers: choose one and press s again")
    );
    // The default is where the cursor starts; the user may choose another.
    press(&mut app, "a");
    let attach = sessions(&mut app);
    assert_eq!(
        (attach[0].container.as_str(), attach[0].stdin, attach[0].tty),
        ("proxy", true, true)
    );
    press(&mut app, "k");
    press(&mut app, "a");
    let attach = sessions(&mut app);
    // Attach without stdin or a TTY in the spec reads the output only.
    assert_eq!(
        (attach[0].container.as_str(), attach[0].stdin, attach[0].tty),
        ("app", false, false)
    );

    // Without the annotation the first container is the default.
    let mut app = app_with(&[pod("web-2", "u-2", containers, json!({}))]);
    press(&mut app, "s");
    assert!(
        matches!(app.mode, Mode::Containers { selected: 0, .. }),
        "{:?}",
        app.mode
    );
}

#[test]
fn shell_and_attach_are_refused_in_read_only_mode_and_off_pods() {
    let mut app = app_with(&[pod(
        "web-1",
        "u-1",
        json!([{"name": "nginx", "image": "nginx:1.27"}]),
        json!({}),
    )]);
    app.readonly = true;
    press(&mut app, "s");
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: shell refused (kscope was started with --readonly)")
    );
    press(&mut app, "a");
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: attach refused (kscope was started with --readonly)")
    );
    assert!(sessions(&mut app).is_empty());
    app.readonly = false;
    press(&mut app, ":no<enter>");
    press(&mut app, "a");
    // On the nodes pane, `a` means nothing of its own: no session is asked for.
    assert!(sessions(&mut app).is_empty());
}
