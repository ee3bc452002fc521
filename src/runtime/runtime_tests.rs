//! Tests of the runtime's own work: the file handed to `$EDITOR`, saving the log view, and a
//! session carrying out the app's requests against the simulated cluster.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use super::editor::EditorFile;
use super::session::Session;
use crate::app::request::{Purpose, Request};
use crate::app::state::App;
use crate::model::inbox::ClusterMessage;
use crate::model::kind::{Target, WatchedKind};

#[test]
fn the_editors_file_is_private_unpredictable_and_removed_after() {
    let first = EditorFile::create("data:\n  password: s3cr3t\n").unwrap();
    let second = EditorFile::create("x").unwrap();
    let path = first.path().to_path_buf();
    let directory = path.parent().unwrap().to_path_buf();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600,
        "only its owner reads the file"
    );
    assert_eq!(
        std::fs::metadata(&directory).unwrap().permissions().mode() & 0o777,
        0o700,
        "nobody else can enter the directory (or plant a link in it)"
    );
    assert_ne!(path, second.path(), "names are not predictable");
    assert_ne!(directory, second.path().parent().unwrap());
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("edit-") && name.ends_with(".yaml"),
        "{name}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "data:\n  password: s3cr3t\n"
    );
    drop(first);
    assert!(
        !path.exists() && !directory.exists(),
        "removed with its directory"
    );
}

#[test]
fn the_log_views_lines_are_saved_where_it_asks_and_it_says_so() {
    let mut app = App::new("test", None, "2026-11-21T10:00:00Z".parse().unwrap());
    let request = crate::model::log_stream::LogRequest::following(
        "shop",
        vec!["web".into()],
        crate::model::log_stream::ContainerChoice::All,
    );
    let mut view = crate::app::log_view::LogView::new("logs shop/web".into(), request, vec![], 100);
    view.on_message(crate::model::log_stream::LogMessage::Lines(vec![
        crate::model::log_stream::LogLine {
            pod: "web".into(),
            container: "app".into(),
            text: "hello".into(),
            at: None,
        },
    ]));
    app.mode = crate::app::state::Mode::Logs(Box::new(view));
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("new/dir/web.log");
    super::save_logs(&mut app, &path);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
    let crate::app::state::Mode::Logs(view) = &app.mode else {
        panic!("the view stays");
    };
    assert_eq!(
        view.message.as_deref(),
        Some(format!("saved 1 lines to {}", path.display()).as_str())
    );
}

/// A fresh simulator and a session on it, covering every namespace.
async fn session_on_a_sim() -> (crate::sim::RunningSim, Session) {
    let sim = crate::sim::start("127.0.0.1:0".parse().unwrap(), Default::default())
        .await
        .unwrap();
    let connection = crate::cluster::connect::Connection {
        client: sim.client().unwrap(),
        context: "test".into(),
        default_namespace: "default".into(),
        server: sim.url.clone(),
        contexts: Vec::new(),
    };
    (sim, Session::start(connection, None))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_carries_out_requests_on_tasks_and_answers_with_messages() {
    let (sim, mut session) = session_on_a_sim().await;
    session.carry_out(Request::Fetch {
        target: Target::Kind(WatchedKind::Deployments),
        key: ("shop".into(), "web".into()),
        purpose: Purpose::Yaml,
    });
    session.carry_out(Request::Fetch {
        target: Target::Kind(WatchedKind::Deployments),
        key: ("shop".into(), "nope".into()),
        purpose: Purpose::Yaml,
    });
    let mut found = None;
    let mut missing = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while found.is_none() || missing.is_none() {
        let message = tokio::time::timeout_at(deadline, session.messages.recv())
            .await
            .expect("answers arrive")
            .expect("the session is open");
        if let ClusterMessage::Fetched { key, result, .. } = message {
            if key.1 == "web" {
                found = Some(result);
            } else {
                missing = Some(result);
            }
        }
    }
    let web = found.unwrap().expect("the deployment");
    assert_eq!(web["kind"], "Deployment");
    assert_eq!(web["metadata"]["name"], "web");
    let error = missing.unwrap().expect_err("not found");
    assert!(
        error.starts_with(
            "get deployment \"nope\" in namespace \"shop\": the API server answered 404"
        ),
        "{error}"
    );
    drop(session);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_description_is_fetched_with_the_events_naming_its_object() {
    let (sim, mut session) = session_on_a_sim().await;
    let events: kube::Api<kube::api::DynamicObject> = kube::Api::namespaced_with(
        sim.client().unwrap(),
        "shop",
        &crate::cluster::discovery::ApiResourceOf::api_resource(&WatchedKind::Events),
    );
    for (name, about) in [("web.about", "web"), ("cart.about", "cart")] {
        let event: kube::api::DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": "shop"},
            "involvedObject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": about,
                "namespace": "shop"},
            "reason": "Checked", "message": format!("{about} checked"), "type": "Normal",
        }))
        .unwrap();
        events.create(&Default::default(), &event).await.unwrap();
    }
    for purpose in [Purpose::Describe, Purpose::Yaml] {
        session.carry_out(Request::Fetch {
            target: Target::Kind(WatchedKind::Deployments),
            key: ("shop".into(), "web".into()),
            purpose,
        });
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let listed = loop {
            let message = tokio::time::timeout_at(deadline, session.messages.recv())
                .await
                .expect("answers arrive")
                .expect("the session is open");
            if let ClusterMessage::Fetched { result, events, .. } = message {
                assert_eq!(result.unwrap()["metadata"]["name"], "web");
                break events;
            }
        };
        match purpose {
            Purpose::Describe => {
                let listed = listed.expect("listed for a description");
                let messages: Vec<&str> = listed.iter().map(|e| e.message.as_str()).collect();
                assert!(messages.contains(&"web checked"), "{messages:?}");
                assert!(!messages.contains(&"cart checked"), "{messages:?}");
            }
            _ => assert!(listed.is_none(), "only a description lists them"),
        }
    }
    drop(session);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_reads_the_metrics_the_app_wants_and_only_those() {
    use crate::app::state::{Pane, WatchHealth};
    use crate::model::metrics::MetricsReading;
    let (sim, mut session) = session_on_a_sim().await;
    let mut app = App::new("test", None, "2026-11-21T10:00:00Z".parse().unwrap());
    // Discovery tells whether metrics.k8s.io is served.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let next = async |session: &mut Session| {
        tokio::time::timeout_at(deadline, session.messages.recv())
            .await
            .expect("messages arrive")
            .expect("the session is open")
    };
    loop {
        if let ClusterMessage::MetricsServed(served) = next(&mut session).await {
            assert!(served, "the simulator serves metrics.k8s.io");
            app.on_cluster(ClusterMessage::MetricsServed(served));
            break;
        }
    }
    // The pods listed and their usage in sight: PodMetrics, and no NodeMetrics.
    app.health.insert(WatchedKind::Pods, WatchHealth::Live);
    app.drawn(Some((Pane::Pods, vec!["NAME".into(), "CPU".into()])));
    session.follow(&app);
    let pods = loop {
        if let ClusterMessage::Metrics(reading) = next(&mut session).await {
            break *reading;
        }
    };
    let MetricsReading::Pods(pods) = pods else {
        panic!("PodMetrics first: {pods:?}");
    };
    assert!(!pods.is_empty(), "the running pods' usage");
    // On the nodes pane with its usage in sight: NodeMetrics.
    app.pane = Pane::Nodes;
    app.health.insert(WatchedKind::Nodes, WatchHealth::Live);
    app.drawn(Some((Pane::Nodes, vec!["NAME".into(), "%CPU".into()])));
    session.follow(&app);
    let nodes = loop {
        if let ClusterMessage::Metrics(reading) = next(&mut session).await {
            break *reading;
        }
    };
    let MetricsReading::Nodes(nodes) = nodes else {
        panic!("NodeMetrics next, PodMetrics not again before a minute: {nodes:?}");
    };
    assert!(!nodes.is_empty(), "every ready node's usage");
    drop(session);
    sim.stop().await;
}

#[test]
fn a_list_coming_in_shows_its_first_rows_at_once_and_then_every_loading_frame() {
    use super::{FRAME, LOADING_FRAME, frame_every};
    use crate::model::watched::WatchedObject;
    let mut app = App::new("test", None, "2026-11-21T10:00:00Z".parse().unwrap());
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    // Nothing listed yet: the empty pane is no list coming in.
    assert!(!app.listing());
    assert_eq!(frame_every(app.listing(), false), FRAME);
    let pod = serde_json::json!({"metadata": {"namespace": "shop", "name": "web-1"}});
    app.on_cluster(ClusterMessage::Applied {
        kind: WatchedKind::Pods,
        object: WatchedObject::from_value(WatchedKind::Pods, &pod),
    });
    // The first rows are drawn as soon as any frame would be...
    assert!(app.listing());
    assert_eq!(frame_every(app.listing(), false), FRAME);
    // ...and once a frame showed the list coming in, the next waits a loading frame.
    assert_eq!(frame_every(app.listing(), true), LOADING_FRAME);
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    assert!(!app.listing());
    assert_eq!(frame_every(app.listing(), true), FRAME);
}
