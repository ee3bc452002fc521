//! `shift-f` and `:pf` in the explorer's state machine: the dialog's ports and local port,
//! the pod a Service forwards to, the forwards' pane and its stop, the read-only refusal;
//! and both drawn (TestBackend snapshots).

use crate::support;

use jiff::Timestamp;
use kscope::app::request::{ForwardSpec, Request};
use kscope::app::state::{App, Mode};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::port_forward::ForwardEvent;
use kscope::ui::{draw, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use support::explorer::press;

fn pod(name: &str, uid: &str, ready: bool, created: &str) -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "uid": uid, "labels": {"app": "web"},
                     "creationTimestamp": created},
        "spec": {"nodeName": "worker-1", "containers": [
            {"name": "nginx", "image": "nginx:1.27", "ports": [{"name": "http", "containerPort": 80}]},
            {"name": "exporter", "image": "prom/exporter", "ports": [{"name": "metrics", "containerPort": 9113}]},
        ]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]},
    })
}

fn app() -> App {
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
    let mut app = App::new("test", Some("shop".into()), now);
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Listing { kind });
    }
    for pod in [
        pod("web-1", "u-1", false, "2026-11-21T08:00:00Z"),
        pod("web-2", "u-2", true, "2026-11-21T09:00:00Z"),
    ] {
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    }
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    app
}

fn forwards_asked(app: &mut App) -> Vec<ForwardSpec> {
    std::mem::take(&mut app.requests)
        .into_iter()
        .filter_map(|r| match r {
            Request::Forward(spec) => Some(spec),
            _ => None,
        })
        .collect()
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(frame, app, &Theme::monochrome()))
        .unwrap();
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
fn shift_f_on_a_pod_offers_its_ports_and_forwards_the_one_chosen() {
    let mut app = app();
    press(&mut app, "F");
    let Mode::Forward(dialog) = &app.mode else {
        panic!("no dialog: {:?} {:?}", app.mode, app.message)
    };
    assert_eq!(dialog.title, "pod shop/web-1");
    let labels: Vec<&str> = dialog.ports.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        ["80/TCP http (nginx)", "9113/TCP metrics (exporter)"]
    );
    assert_eq!(dialog.local, "80");
    insta::assert_snapshot!("forward_dialog_80x24", screen(&app));
    // Down: the next port, its local default with it.
    press(&mut app, "j");
    let Mode::Forward(dialog) = &app.mode else {
        panic!()
    };
    assert_eq!((dialog.selected, dialog.local.as_str()), (1, "9113"));
    press(&mut app, "<enter>");
    let asked = forwards_asked(&mut app);
    assert_eq!(
        asked,
        vec![ForwardSpec {
            id: 1,
            namespace: "shop".into(),
            pod: "web-1".into(),
            uid: Some("u-1".into()),
            remote: 9113,
            address: "127.0.0.1".into(),
            local: 9113,
            any_free: true,
        }]
    );
    assert!(matches!(app.mode, Mode::Normal));
    // A typed local port is used as typed (no fallback when it is taken).
    press(&mut app, "F18080<enter>");
    let asked = forwards_asked(&mut app);
    assert_eq!(
        (
            asked[0].id,
            asked[0].local,
            asked[0].remote,
            asked[0].any_free
        ),
        (2, 18080, 80, false)
    );
    // A port that is no port is said so, and the dialog stays.
    press(&mut app, "F<bs><bs><bs><enter>");
    assert!(forwards_asked(&mut app).is_empty());
    let Mode::Forward(dialog) = &app.mode else {
        panic!()
    };
    assert_eq!(
        dialog.notes,
        ["a local port is a number from 1 to 65535 (not \"\")"]
    );
    press(&mut app, "<esc>");
    assert_eq!(app.message.as_deref(), Some("port-forward cancelled"));
}

#[test]
fn a_service_forwards_to_its_most_active_pod_on_the_target_port() {
    let mut app = app();
    let service = json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "uid": "s-1"},
        "spec": {"selector": {"app": "web"}, "ports": [{"name": "web", "port": 8080, "targetPort": "http"}]},
    });
    press(&mut app, ":svc<enter>");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Services,
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Services, &service));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Services,
    });
    press(&mut app, "F");
    let Mode::Forward(dialog) = &app.mode else {
        panic!("no dialog: {:?}", app.message)
    };
    // web-2 is ready, web-1 is not: kubectl picks the ready one.
    assert_eq!(dialog.title, "service shop/web → pod shop/web-2");
    assert_eq!(dialog.local, "8080");
    press(&mut app, "<enter>");
    let asked = forwards_asked(&mut app);
    assert_eq!(
        (asked[0].pod.as_str(), asked[0].remote, asked[0].local),
        ("web-2", 80, 8080)
    );
}

#[test]
fn the_forwards_pane_counts_and_stops_a_forward_after_a_yes() {
    let mut app = app();
    press(&mut app, "F<enter>");
    let spec = forwards_asked(&mut app).remove(0);
    app.on_cluster(ClusterMessage::Forward {
        id: spec.id,
        event: ForwardEvent::Listening("127.0.0.1:80".into()),
    });
    app.on_cluster(ClusterMessage::Forward {
        id: spec.id,
        event: ForwardEvent::Traffic {
            active: 1,
            total: 3,
            bytes_in: 2048,
            bytes_out: 120,
        },
    });
    press(&mut app, "F<down><enter>");
    let second = forwards_asked(&mut app).remove(0);
    app.on_cluster(ClusterMessage::Forward {
        id: second.id,
        event: ForwardEvent::Ended("pod shop/web-1 is gone; stopped listening".into()),
    });
    app.tick("2026-11-21T10:02:00Z".parse().unwrap());
    press(&mut app, ":pf<enter>");
    assert!(matches!(
        app.mode,
        Mode::Forwards {
            selected: 0,
            confirming: false
        }
    ));
    insta::assert_snapshot!("forwards_pane_80x24", screen(&app));
    // ctrl-d asks; anything but y keeps it running.
    press(&mut app, "<c-d>");
    assert!(matches!(
        app.mode,
        Mode::Forwards {
            confirming: true,
            ..
        }
    ));
    insta::assert_snapshot!("forwards_pane_confirm_80x24", screen(&app));
    press(&mut app, "n");
    assert!(app.requests.is_empty());
    assert_eq!(app.message.as_deref(), Some("the forward keeps running"));
    press(&mut app, "<c-d>y");
    assert_eq!(app.requests, vec![Request::StopForward(spec.id)]);
    assert_eq!(app.forwards.list[0].ended.as_deref(), Some("stopped"));
    // An ended forward is taken off the list by ctrl-d, without a question.
    app.requests.clear();
    press(&mut app, "j<c-d>");
    assert_eq!(app.forwards.list.len(), 1);
    assert!(app.requests.is_empty());
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn the_footer_says_when_the_default_port_was_taken_or_the_forward_could_not_start() {
    let mut app = app();
    press(&mut app, "F<enter>");
    let spec = forwards_asked(&mut app).remove(0);
    app.on_cluster(ClusterMessage::Forward {
        id: spec.id,
        event: ForwardEvent::Listening("127.0.0.1:41234".into()),
    });
    assert_eq!(
        app.message.as_deref(),
        Some("127.0.0.1:80 was taken: forwarding 127.0.0.1:41234 → shop/web-1:80")
    );
    assert_eq!(app.forwards.list[0].local, "127.0.0.1:41234");
    press(&mut app, "F8080<enter>");
    let spec = forwards_asked(&mut app).remove(0);
    let refusal =
        "unable to listen on port 8080: listen tcp4 127.0.0.1:8080: bind: address already in use";
    app.on_cluster(ClusterMessage::Forward {
        id: spec.id,
        event: ForwardEvent::Ended(refusal.into()),
    });
    assert_eq!(
        app.message.as_deref(),
        Some(format!("port-forward 127.0.0.1:8080: {refusal}").as_str())
    );
}

#[test]
fn port_forward_is_refused_in_read_only_mode_and_where_there_is_no_pod() {
    let mut app = app();
    app.readonly = true;
    press(&mut app, "F");
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: port-forward refused (kscope was started with --readonly)")
    );
    assert!(matches!(app.mode, Mode::Normal));
    app.readonly = false;
    press(&mut app, ":no<enter>F");
    assert!(matches!(app.mode, Mode::Normal));
    assert!(forwards_asked(&mut app).is_empty());
}
