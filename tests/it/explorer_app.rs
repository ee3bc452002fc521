//! The explorer's state machine, as (starting state, keys, expected state), without a terminal.

use crate::support;

use kscope::app::state::{App, Drill, Mode, Pane, WatchHealth};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::Target;
use kscope::model::kind::WatchedKind;
use support::explorer::{answer_requests, example_objects, loaded_app, press, screen};

fn selected_pod(app: &App) -> String {
    let keys = app.visible_pods();
    let (namespace, name) = keys[app.selection()];
    format!("{namespace}/{name}")
}

#[test]
fn starts_on_pods_sorted_by_namespace_and_name() {
    let app = loaded_app();
    assert_eq!(app.pane, Pane::Pods);
    assert_eq!(app.health[&WatchedKind::Pods], WatchHealth::Live);
    let keys: Vec<String> = app
        .visible_pods()
        .iter()
        .map(|(n, p)| format!("{n}/{p}"))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 7);
}

#[test]
fn moves_and_stays_in_bounds() {
    let mut app = loaded_app();
    press(&mut app, "k");
    assert_eq!(app.selection(), 0);
    press(&mut app, "jj");
    assert_eq!(app.selection(), 2);
    press(&mut app, "G");
    assert_eq!(app.selection(), 6);
    press(&mut app, "j<down>");
    assert_eq!(app.selection(), 6);
    press(&mut app, "g");
    assert_eq!(app.selection(), 0);
}

#[test]
fn commands_switch_panes_and_report_unknown_ones() {
    let mut app = loaded_app();
    press(&mut app, ":no<enter>");
    assert_eq!(app.pane, Pane::Nodes);
    press(&mut app, ":events<enter>");
    assert_eq!(app.pane, Pane::Events);
    press(&mut app, ":frobnicate<enter>");
    assert_eq!(app.pane, Pane::Events);
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("unknown command :frobnicate")
    );
    press(&mut app, ":pods shop<enter>");
    assert_eq!(
        (app.pane, app.namespace.as_deref()),
        (Pane::Pods, Some("shop"))
    );
    assert!(app.visible_pods().iter().all(|(ns, _)| ns == "shop"));
    press(&mut app, "0");
    assert_eq!(app.namespace, None);
    press(&mut app, ":q<enter>");
    assert!(app.quit);
}

#[test]
fn filter_narrows_and_escape_clears() {
    let mut app = loaded_app();
    press(&mut app, "/check<enter>");
    assert_eq!(app.filter.text(), "check");
    assert_eq!(app.visible_pods().len(), 1);
    assert_eq!(selected_pod(&app), "shop/checkout-7d9f8b6c5-x2k4q");
    press(&mut app, "/<bs><bs><bs><bs><bs>zzz<enter>");
    assert_eq!(app.visible_pods().len(), 0);
    press(&mut app, "<esc>");
    assert_eq!(app.filter.text(), "");
    assert_eq!(app.visible_pods().len(), 7);
}

#[test]
fn drills_from_a_node_to_its_pods_and_back() {
    let mut app = loaded_app();
    press(&mut app, ":nodes<enter>");
    assert_eq!(app.visible_nodes().len(), 1);
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert_eq!(app.drill, Some(Drill::Node("worker-4".into())));
    assert_eq!(app.visible_pods().len(), 1);
    assert_eq!(selected_pod(&app), "data-infra/cache-2");
    press(&mut app, "<esc>");
    assert_eq!(app.drill, None);
    assert_eq!(app.visible_pods().len(), 7);
}

#[test]
fn explains_the_selected_pod_with_its_events() {
    let mut app = loaded_app();
    press(&mut app, "/checkout<enter>x");
    let Mode::Explain { explanation, .. } = &app.mode else {
        panic!("explain view open")
    };
    let json = serde_json::to_value(explanation.as_ref()).unwrap();
    assert_eq!(json["status"], "CrashLoopBackOff");
    assert!(json["hints"][0].as_str().unwrap().contains("OOMKilled"));
    press(&mut app, "jj");
    assert_eq!(app.mode.reader().unwrap().top, 2);
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Normal));
    press(&mut app, ":ns<enter>x");
    assert!(
        matches!(&app.mode, Mode::Explain { explanation, .. } if serde_json::to_value(explanation.as_ref()).unwrap()["status"] == "Terminating")
    );
}

#[test]
fn watch_stream_records_transitions_once_live() {
    let mut app = loaded_app();
    assert!(app.stream.lines.is_empty(), "the initial list is not news");
    let mut pod = example_objects()
        .into_iter()
        .find(|o| o["metadata"]["name"] == "checkout-7d9f8b6c5-x2k4q")
        .unwrap();
    pod["status"]["containerStatuses"][0]["state"] =
        serde_json::json!({"running": {"startedAt": "2026-11-21T09:59:00Z"}});
    pod["status"]["containerStatuses"][0]["ready"] = serde_json::json!(true);
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    let line = app.stream.lines.back().unwrap();
    assert_eq!(
        (line.change.as_str(), line.kind, line.name.as_str()),
        ("MODIFIED", "pod", "shop/checkout-7d9f8b6c5-x2k4q")
    );
    assert_eq!(line.detail, "0/1 CrashLoopBackOff -> 1/1 Running");
    press(&mut app, ":stream<enter> ");
    assert!(app.stream.paused);
    app.on_cluster(ClusterMessage::deleted(WatchedKind::Pods, &pod));
    assert_eq!((app.stream.lines.len(), app.stream.missed), (1, 1));
    assert!(
        app.resources
            .pods
            .keys()
            .all(|(_, n)| n != "checkout-7d9f8b6c5-x2k4q")
    );
}

#[test]
fn a_failing_watch_keeps_its_data_and_says_so() {
    let mut app = loaded_app();
    app.on_cluster(ClusterMessage::Failed {
        kind: WatchedKind::Pods,
        error: "connection refused".into(),
        forbidden: false,
    });
    assert!(
        matches!(&app.health[&WatchedKind::Pods], WatchHealth::Stale { error, .. } if error == "connection refused")
    );
    assert_eq!(app.visible_pods().len(), 7);
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    assert!(
        matches!(app.health[&WatchedKind::Pods], WatchHealth::Stale { .. }),
        "stale until the relist completes"
    );
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    assert_eq!(app.health[&WatchedKind::Pods], WatchHealth::Live);
}

/// The runtime's threads yield to the loop once this holds (`runtime::priority`).
#[test]
fn the_first_lists_are_in_once_every_watch_started_has_listed_or_failed() {
    let mut app = App::new("kscope-sim", None, jiff::Timestamp::now());
    assert!(!app.first_lists_in(), "nothing listed yet");
    let started: Vec<WatchedKind> = app.health.keys().copied().collect();
    assert!(started.contains(&WatchedKind::Nodes) && started.len() > 1);
    for &kind in &started {
        app.on_cluster(ClusterMessage::Listing { kind });
    }
    assert!(!app.first_lists_in());
    for &kind in started.iter().filter(|kind| **kind != WatchedKind::Nodes) {
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    assert!(!app.first_lists_in(), "the nodes are still listed");
    app.on_cluster(ClusterMessage::Failed {
        kind: WatchedKind::Nodes,
        error: "nodes is forbidden".into(),
        forbidden: true,
    });
    assert!(app.first_lists_in());
}

#[test]
fn a_watch_that_resumes_without_a_relist_is_live_again_when_events_flow() {
    let mut app = loaded_app();
    app.on_cluster(ClusterMessage::Failed {
        kind: WatchedKind::Pods,
        error: "connection reset".into(),
        forbidden: false,
    });
    assert!(matches!(
        app.health[&WatchedKind::Pods],
        WatchHealth::Stale { .. }
    ));
    // The watcher resumes from its resource version: no list, just the next event.
    let pod = example_objects()
        .into_iter()
        .find(|o| o["kind"] == "Pod")
        .unwrap();
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    assert_eq!(app.health[&WatchedKind::Pods], WatchHealth::Live);
}

#[test]
fn workload_panes_open_on_demand_and_drill_to_their_pods() {
    let mut app = loaded_app();
    assert!(!app.wanted_watches().contains(&WatchedKind::Deployments));
    press(&mut app, ":deploy<enter>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Deployments));
    assert!(
        app.wanted_watches().contains(&WatchedKind::Deployments),
        "opening the pane asks for its watch"
    );
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Deployments,
    });
    let deployment = serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "shop", "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "checkout"}}},
        "status": {"replicas": 1, "readyReplicas": 0, "updatedReplicas": 1}
    });
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Deployments,
        &deployment,
    ));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Deployments,
    });
    assert_eq!(app.row_count(), 1);
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert!(
        matches!(&app.drill, Some(Drill::Workload { title, .. }) if title == "deployment shop/checkout")
    );
    let pods: Vec<String> = app.visible_pods().iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(pods, ["checkout-7d9f8b6c5-x2k4q"]);
    press(&mut app, ":cm<enter><enter>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::ConfigMaps));
}

#[test]
fn yaml_view_masks_secrets_until_asked_and_copies() {
    let mut app = loaded_app();
    press(&mut app, ":secrets<enter>");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Secrets,
    });
    let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "shop"}, "type": "Opaque", "data": {"password": "czNjcjN0"}});
    app.on_cluster(ClusterMessage::applied(WatchedKind::Secrets, &secret));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Secrets,
    });
    press(&mut app, "y");
    assert!(
        matches!(&app.mode, Mode::Yaml { title, revealed: false, .. } if title == "secret shop/db")
    );
    // What the runtime puts on the clipboard, taken as it does after each update.
    let copied = |app: &mut App| match app.effects.pop() {
        Some(kscope::app::request::Effect::Copy(text)) => Some(text),
        _ => None,
    };
    press(&mut app, "c");
    let copied_yaml = copied(&mut app).expect("copied");
    let copied_text = &copied_yaml;
    assert!(
        copied_text.contains("********") && !copied_text.contains("czNjcjN0"),
        "{copied_text}"
    );
    press(&mut app, "xc");
    assert!(copied(&mut app).unwrap().contains("password: s3cr3t"));
    press(&mut app, "<esc>c");
    assert_eq!(
        copied(&mut app).as_deref(),
        Some("db"),
        "outside the YAML view, c copies the name"
    );
}

#[test]
fn pods_sort_by_column_and_reverse() {
    let mut app = loaded_app();
    let names = |app: &kscope::app::state::App| -> Vec<String> {
        app.visible_pods().iter().map(|(_, n)| n.clone()).collect()
    };
    press(&mut app, "R");
    assert_eq!(
        names(&app)[..2],
        [
            "orders-0".to_string(),
            "checkout-7d9f8b6c5-x2k4q".to_string()
        ],
        "most restarts first"
    );
    press(&mut app, "A");
    assert_eq!(names(&app)[0], "web-5c8d7f9b4-lq2mz", "newest first");
    press(&mut app, "A");
    assert_eq!(names(&app)[0], "cache-2", "oldest first when reversed");
    press(&mut app, "N");
    let sorted = names(&app);
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected);
}

#[test]
fn describe_of_a_pod_shows_its_last_termination_and_events() {
    let mut app = loaded_app();
    press(&mut app, "/check<enter>d");
    assert!(
        matches!(&app.mode, Mode::Describe { title, text, .. } if title == "pod shop/checkout-7d9f8b6c5-x2k4q" && text.contains("OOMKilled") && text.contains("BackOff"))
    );
    // The stream has nothing to describe.
    press(&mut app, "<esc>:stream<enter>d");
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.message.as_deref(), Some("nothing selected"));
}

/// An Event about the checkout pod, last seen at `seen`.
fn checkout_event(name: &str, reason: &str, seen: &str) -> serde_json::Value {
    serde_json::json!({
        "kind": "Event", "apiVersion": "v1",
        "metadata": {"name": name, "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "checkout-7d9f8b6c5-x2k4q", "namespace": "shop",
            "uid": "4b1f9f7e-2f0a-4a59-9a53-2f5a1c1b7e01"},
        "type": "Warning", "reason": reason, "message": format!("{reason} happened"),
        "lastTimestamp": seen, "count": 1,
    })
}

#[test]
fn once_old_events_are_let_go_describe_lists_the_objects_events_from_the_server() {
    let mut app = loaded_app();
    // A store keeping one Warning: the pod's BackOff is let go when a newer Warning comes.
    app.resources.events = kscope::app::event_store::EventStore::keeping(1);
    let backoff = example_objects()
        .into_iter()
        .find(|o| o["kind"] == "Event" && o["reason"] == "BackOff")
        .unwrap();
    app.on_cluster(ClusterMessage::applied(WatchedKind::Events, &backoff));
    let newer = checkout_event("checkout.newer", "Unhealthy", "2026-11-21T09:59:00Z");
    app.on_cluster(ClusterMessage::applied(WatchedKind::Events, &newer));
    assert_eq!(app.resources.events.let_go(), 1);
    assert_eq!(app.resources.events.len(), 1);
    press(&mut app, ":events<enter>");
    assert!(screen(&mut app, 120, 20).contains("Events [1] newest kept, 1 older let go"));
    // Described, the pod is read again with the Events naming it, as kubectl lists them.
    press(&mut app, ":pods<enter>/check<enter>d");
    let Mode::Fetching { target, key, .. } = app.mode.clone() else {
        panic!("fetching: {:?}", app.mode);
    };
    assert!(matches!(
        app.requests.as_slice(),
        [kscope::app::request::Request::Fetch {
            purpose: kscope::app::request::Purpose::Describe,
            ..
        }]
    ));
    app.requests.clear();
    let pod = example_objects()
        .into_iter()
        .find(|o| o["kind"] == "Pod" && o["metadata"]["name"] == key.1.as_str())
        .unwrap();
    let listed = [
        backoff,
        newer,
        checkout_event("other", "Gone", "2026-11-21T09:58:00Z"),
    ]
    .iter()
    .map(|event| serde_json::from_value(event.clone()).unwrap())
    .map(|mut event: kscope::model::event::Event| {
        // An Event naming another pod of that name (another uid) is not about this one.
        if event.metadata.name == "other" {
            event.involved_object.uid = "another".into();
        }
        event
    })
    .collect();
    app.on_cluster(ClusterMessage::Fetched {
        target,
        key,
        result: Ok(Box::new(pod)),
        events: Some(listed),
    });
    let Mode::Describe { text, .. } = &app.mode else {
        panic!("described: {:?}", app.mode);
    };
    assert!(text.contains("BackOff"), "{text}");
    assert!(text.contains("Unhealthy happened"), "{text}");
    assert!(!text.contains("Gone happened"), "{text}");
}

#[test]
fn metrics_readings_sort_pods_by_memory() {
    use kscope::model::metrics::{MetricsReading, Usage};
    let mut app = loaded_app();
    let mut pods = kscope::model::metrics::UsageMap::default();
    pods.insert(
        ("shop".into(), "orders-0".into()),
        Usage {
            cpu_millis: 5,
            memory_bytes: 10 << 20,
        },
    );
    pods.insert(
        ("edge".into(), "gateway-84f5d-9vj2c".into()),
        Usage {
            cpu_millis: 900,
            memory_bytes: 600 << 20,
        },
    );
    app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Pods(
        pods,
    ))));
    press(&mut app, "M");
    let names: Vec<String> = app.visible_pods().iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(
        names[..2],
        ["gateway-84f5d-9vj2c".to_string(), "orders-0".to_string()]
    );
    press(&mut app, "C");
    assert_eq!(app.visible_pods()[0].1, "gateway-84f5d-9vj2c");
}

#[test]
fn yaml_of_a_pod_is_fetched_whole_and_a_late_or_failed_answer_is_handled() {
    let mut app = loaded_app();
    press(&mut app, "/orders<enter>y");
    let Mode::Fetching { target, key, .. } = app.mode.clone() else {
        panic!("waiting for the API server: {:?}", app.mode);
    };
    assert_eq!(target, Target::Kind(WatchedKind::Pods));
    assert_eq!(
        app.requests,
        [kscope::app::request::Request::Fetch {
            target: target.clone(),
            key: key.clone(),
            purpose: kscope::app::request::Purpose::Yaml
        }]
    );
    // An answer about another object (an earlier request) changes nothing.
    app.on_cluster(ClusterMessage::Fetched {
        target,
        key: ("shop".into(), "other".into()),
        result: Ok(Box::new(serde_json::json!({"kind": "Pod"}))),
        events: None,
    });
    assert!(matches!(app.mode, Mode::Fetching { .. }));
    answer_requests(&mut app);
    assert!(
        matches!(&app.mode, Mode::Yaml { raw, .. } if raw["metadata"]["name"] == key.1.as_str()),
        "{:?}",
        app.mode
    );
    // The pod vanished meanwhile: the error is the footer's message and the table is back.
    press(&mut app, "<esc>y");
    let Mode::Fetching { target, key, .. } = app.mode.clone() else {
        panic!("fetching");
    };
    app.requests.clear();
    app.on_cluster(ClusterMessage::Fetched {
        target,
        key,
        result: Err("get pod \"orders-1\" in namespace \"shop\": not found".into()),
        events: None,
    });
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(
        app.message.as_deref(),
        Some("get pod \"orders-1\" in namespace \"shop\": not found")
    );
    // esc while waiting goes back; the late answer is then ignored.
    press(&mut app, "y<esc>");
    assert!(matches!(app.mode, Mode::Normal));
    answer_requests(&mut app);
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn namespaces_chosen_become_favourites_on_the_number_keys() {
    let mut app = loaded_app();
    assert!(app.favourites.is_empty());
    press(&mut app, "1");
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .contains("no favourite namespace 1")
    );
    // Choosing a namespace in :ns scopes every pane to it, as in k9s.
    press(&mut app, ":ns<enter><enter>");
    let chosen = app.namespace.clone().expect("scoped");
    assert_eq!(app.pane, Pane::Pods);
    assert_eq!(app.favourites, std::slice::from_ref(&chosen));
    press(&mut app, ":pods payments<enter>");
    assert_eq!(app.namespace.as_deref(), Some("payments"));
    assert_eq!(app.favourites, ["payments".to_string(), chosen.clone()]);
    // Numbers stay put when used: 2 is still the first namespace chosen.
    press(&mut app, "2");
    assert_eq!(app.namespace.as_deref(), Some(chosen.as_str()));
    press(&mut app, "1");
    assert_eq!(app.namespace.as_deref(), Some("payments"));
    press(&mut app, "0");
    assert_eq!(app.namespace, None);
    assert_eq!(app.favourites.len(), 2);
}

#[test]
fn a_relist_drops_what_it_no_longer_delivers() {
    let mut app = loaded_app();
    let pods = app.resources.pods.len();
    assert!(pods > 2);
    let kept: Vec<serde_json::Value> = example_objects()
        .into_iter()
        .filter(|o| o["kind"] == "Pod")
        .take(2)
        .collect();
    // The watch lost its place (410 Gone) and lists again: until the list is complete the old
    // rows stay; then the pods deleted meanwhile are gone.
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for pod in &kept {
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, pod));
    }
    assert_eq!(app.resources.pods.len(), pods);
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    assert_eq!(app.resources.pods.len(), 2);
    assert_eq!(app.health[&WatchedKind::Pods], WatchHealth::Live);
}

#[test]
fn a_watchs_batch_is_taken_in_as_its_messages_in_order() {
    let mut app = loaded_app();
    let pods = app.resources.pods.len();
    let kept: Vec<serde_json::Value> = example_objects()
        .into_iter()
        .filter(|o| o["kind"] == "Pod")
        .take(2)
        .collect();
    // A relist in one batch, as a watch sends what it decoded together: listing, the objects,
    // and the end of the list, in order.
    let mut batch = vec![ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    }];
    batch.extend(
        kept.iter()
            .map(|pod| ClusterMessage::applied(WatchedKind::Pods, pod)),
    );
    batch.push(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    assert!(pods > 2);
    app.on_cluster(ClusterMessage::batch(batch));
    assert_eq!(app.resources.pods.len(), 2);
    assert_eq!(app.health[&WatchedKind::Pods], WatchHealth::Live);
    // One message alone is no batch.
    let one = ClusterMessage::batch(vec![ClusterMessage::Synced {
        kind: WatchedKind::Nodes,
    }]);
    assert!(matches!(one, ClusterMessage::Synced { .. }));
    assert_eq!(one.into_each().len(), 1);
}

#[test]
fn contexts_are_listed_and_switching_is_asked_of_the_runtime() {
    let mut app = loaded_app();
    press(&mut app, ":ctx<enter>");
    assert_eq!(
        app.message.as_deref(),
        Some("no kubeconfig contexts here (current: test-context)")
    );
    app.contexts = vec!["test-context".into(), "prod".into()];
    press(&mut app, ":ctx staging<enter>");
    assert_eq!(
        app.message.as_deref(),
        Some("unknown context \"staging\"; contexts: test-context, prod")
    );
    assert!(app.requests.is_empty());
    press(&mut app, ":ctx prod<enter>");
    assert_eq!(
        app.effects,
        [kscope::app::request::Effect::SwitchContext("prod".into())]
    );
    // Until the runtime has connected, the old cluster stays on screen, and the header says
    // which context is being authenticated to.
    assert!(!app.resources.pods.is_empty());
    assert_eq!(app.switching.as_deref(), Some("prod"));
    press(&mut app, ":deploy<enter>");
    app.switched_context(
        "prod".into(),
        Some("default".into()),
        vec!["test-context".into(), "prod".into(), "new".into()],
    );
    assert_eq!(app.context, "prod");
    assert_eq!(app.switching, None);
    assert_eq!(app.message.as_deref(), Some("switched to context prod"));
    assert!(app.resources.pods.is_empty());
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Deployments));
    assert!(app.wanted_watches().contains(&WatchedKind::Deployments));
    // The kubeconfig was read again: a context added to it since is there.
    assert_eq!(app.contexts, ["test-context", "prod", "new"]);
    assert_eq!(app.namespace.as_deref(), Some("default"));
    press(&mut app, ":ctx test-context<enter>");
    app.context_failed("cannot reach\n the API server".into());
    assert_eq!(
        app.message.as_deref(),
        Some("context not switched: cannot reach the API server")
    );
    assert_eq!(app.switching, None);
}

#[test]
fn the_current_context_is_reloaded_from_the_kubeconfig() {
    let mut app = loaded_app();
    app.contexts = vec!["test-context".into()];
    app.views = kscope::app::views::Views::parse("views:\n  nodes:\n    columns: [NAME]\n", "test")
        .unwrap();
    app.set_namespace(Some("shop".into()));
    app.effects.clear();
    press(&mut app, ":ctx test-context<enter>");
    assert_eq!(
        app.effects,
        [kscope::app::request::Effect::SwitchContext(
            "test-context".into()
        )]
    );
    assert_eq!(
        app.message.as_deref(),
        Some("reloading the kubeconfig for context test-context...")
    );
    app.switched_context(
        "test-context".into(),
        Some("shop".into()),
        vec!["test-context".into()],
    );
    assert_eq!(
        app.message.as_deref(),
        Some("reloaded the kubeconfig for context test-context")
    );
    assert_eq!(app.switching, None);
    // The user's own settings outlive the connection: column sets, and (the same cluster)
    // the namespaces chosen before.
    assert_eq!(app.views.columns.len(), 1);
    assert_eq!(app.favourites, ["shop"]);
}

#[test]
fn describe_works_on_every_kind_with_what_the_watches_hold() {
    let mut app = loaded_app();
    press(&mut app, ":deploy<enter>");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Deployments,
    });
    let deployment = serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "shop", "uid": "d-1", "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "checkout"}},
                 "template": {"metadata": {"labels": {"app": "checkout"}}, "spec": {"containers": [{"name": "app", "image": "shop/checkout:1.4"}]}}},
        "status": {"replicas": 1, "readyReplicas": 0, "updatedReplicas": 1, "unavailableReplicas": 1}
    });
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Deployments,
        &deployment,
    ));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Deployments,
    });
    press(&mut app, "d");
    let Mode::Describe { title, text, .. } = &app.mode else {
        panic!("described at once: {:?}", app.mode);
    };
    assert_eq!(title, "deployment shop/checkout");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Name:") && l.ends_with(" checkout")),
        "{text}"
    );
    assert!(
        text.contains("1 desired | 1 updated | 1 total | 0 available | 1 unavailable"),
        "{text}"
    );
    assert!(text.contains("shop/checkout:1.4"), "{text}");
    // Namespaces are kept typed: the whole object is fetched, then described.
    press(&mut app, "<esc>:ns<enter>d");
    assert!(matches!(app.mode, Mode::Fetching { .. }), "{:?}", app.mode);
    answer_requests(&mut app);
    let Mode::Describe { text, .. } = &app.mode else {
        panic!("described once fetched: {:?}", app.mode);
    };
    assert!(text.starts_with("Name:"), "{text}");
    assert!(text.contains("Status:"), "{text}");
}

fn ceph_clusters() -> kscope::model::resource_info::ResourceInfo {
    kscope::model::resource_info::ResourceInfo {
        group: "ceph.rook.io".into(),
        version: "v1".into(),
        kind: "CephCluster".into(),
        plural: "cephclusters".into(),
        singular: "cephcluster".into(),
        short_names: vec![],
        namespaced: true,
        verbs: vec!["list".into(), "watch".into()],
    }
}

#[test]
fn any_kind_the_server_serves_opens_with_its_own_columns() {
    use kscope::model::table_feed::{TableColumn, TableMessage};
    let mut app = loaded_app();
    press(&mut app, ":cephclusters<enter>");
    assert!(
        app.message.as_deref().unwrap().contains("not known yet"),
        "before discovery answers"
    );
    app.on_cluster(ClusterMessage::Discovered(vec![ceph_clusters()]));
    press(&mut app, ":ceph");
    assert_eq!(
        app.command_completions("ceph"),
        ["cephcluster", "cephclusters", "cephclusters.ceph.rook.io"]
    );
    press(&mut app, "<bs><bs><bs><bs>cephcluster<enter>");
    assert_eq!(app.pane, Pane::Table(0));
    assert_eq!(
        app.requests,
        [kscope::app::request::Request::WatchTable(ceph_clusters())]
    );
    let resource = "cephclusters.ceph.rook.io".to_string();
    let column = |name: &str, priority| TableColumn {
        name: name.into(),
        kind: "string".into(),
        format: String::new(),
        priority,
        description: String::new(),
    };
    for message in [
        TableMessage::Listing {
            resource: resource.clone(),
        },
        TableMessage::Columns {
            resource: resource.clone(),
            columns: vec![column("Name", 0), column("Phase", 0), column("Age", 0)],
        },
        TableMessage::Row {
            resource: resource.clone(),
            key: ("rook-ceph".into(), "main".into()),
            cells: vec![
                serde_json::json!("main"),
                serde_json::json!("Ready"),
                serde_json::json!("3d"),
            ],
            created: Some("2026-11-20T10:00:00Z".parse().unwrap()),
            uid: None,
            labels: Default::default(),
        },
        TableMessage::Synced {
            resource: resource.clone(),
        },
    ] {
        app.on_cluster(ClusterMessage::Table(message));
    }
    assert_eq!(app.row_count(), 1);
    assert_eq!(app.pane_health(), Some(&WatchHealth::Live));
    // Scoped to another namespace, the row is not shown; the same kind again reuses the pane.
    press(&mut app, ":cephclusters shop<enter>");
    assert_eq!(app.pane, Pane::Table(0));
    assert_eq!(app.row_count(), 0);
    // YAML and describe fetch the object whole through its discovered resource.
    press(&mut app, "0y");
    assert!(
        matches!(&app.mode, Mode::Fetching { target: Target::Resource(r), key, .. } if r.kind == "CephCluster" && key.1 == "main"),
        "{:?}",
        app.mode
    );
    let cluster = serde_json::json!({"apiVersion": "ceph.rook.io/v1", "kind": "CephCluster",
        "metadata": {"name": "main", "namespace": "rook-ceph"}, "spec": {"mon": {"count": 3}}});
    app.on_cluster(ClusterMessage::Fetched {
        target: Target::Resource(ceph_clusters()),
        key: ("rook-ceph".into(), "main".into()),
        result: Ok(Box::new(cluster.clone())),
        events: None,
    });
    assert!(matches!(&app.mode, Mode::Yaml { raw, .. } if **raw == cluster));
    press(&mut app, "<esc>d");
    app.on_cluster(ClusterMessage::Fetched {
        target: Target::Resource(ceph_clusters()),
        key: ("rook-ceph".into(), "main".into()),
        result: Ok(Box::new(cluster)),
        events: None,
    });
    assert!(
        matches!(&app.mode, Mode::Describe { text, .. } if text.contains("CephCluster") && text.contains("Count:")),
        "{:?}",
        app.mode
    );
    press(&mut app, "<esc>");
    app.requests.clear();
    app.on_cluster(ClusterMessage::Table(TableMessage::Failed {
        resource,
        error: "forbidden (403): cannot list resource \"cephclusters\"".into(),
        forbidden: true,
    }));
    assert!(matches!(
        app.pane_health(),
        Some(WatchHealth::Stale {
            forbidden: true,
            ..
        })
    ));
    assert_eq!(app.row_count(), 1, "the last rows stay");
}

#[test]
fn a_filter_starting_with_dash_l_is_a_label_selector() {
    let mut app = loaded_app();
    let with_app_label = |app: &kscope::app::state::App, value: &str| {
        app.resources
            .pods
            .values()
            .filter(|p| p.labels.get("app") == Some(value))
            .count()
    };
    let checkout = with_app_label(&app, "checkout");
    assert!(checkout > 0);
    press(&mut app, "/-l app=checkout<enter>");
    assert_eq!(app.visible_pods().len(), checkout);
    press(&mut app, "<esc>/-l app in (checkout),app!=web<enter>");
    assert_eq!(app.visible_pods().len(), checkout);
    // A selector kubectl would refuse shows nothing rather than everything.
    press(&mut app, "<esc>/-l app==(<enter>");
    assert_eq!(app.visible_pods().len(), 0);
}

#[test]
fn enter_on_a_pod_opens_its_containers_and_x_explains_it() {
    let mut app = loaded_app();
    press(&mut app, "/check<enter><enter>");
    let Mode::Containers { key, selected } = app.mode.clone() else {
        panic!("containers: {:?}", app.mode);
    };
    assert_eq!(key.1, "checkout-7d9f8b6c5-x2k4q");
    assert_eq!(selected, 0);
    press(&mut app, "jk");
    assert!(matches!(app.mode, Mode::Containers { selected: 0, .. }));
    press(&mut app, "x");
    assert!(matches!(app.mode, Mode::Explain { .. }), "{:?}", app.mode);
    press(&mut app, "<esc><enter><esc>");
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn every_pane_sorts_by_the_columns_it_has() {
    let mut app = loaded_app();
    press(&mut app, ":ns<enter>");
    let names = |app: &kscope::app::state::App| -> Vec<String> {
        app.visible_namespaces()
            .iter()
            .map(|k| k.1.clone())
            .collect()
    };
    let before = names(&app);
    press(&mut app, "N");
    assert_eq!(names(&app), before, "name order is the map's");
    press(&mut app, "N");
    let mut reversed = before.clone();
    reversed.reverse();
    assert_eq!(names(&app), reversed);
    press(&mut app, "R");
    assert_eq!(
        app.message.as_deref(),
        Some("Namespaces cannot be sorted by restarts")
    );
    // Events: newest first by default is the reverse of last seen; S groups Normal before Warning.
    press(&mut app, ":events<enter>S");
    let types: Vec<String> = app
        .visible_events()
        .iter()
        .map(|k| app.resources.events[*k].type_.clone())
        .collect();
    let mut sorted = types.clone();
    sorted.sort();
    assert_eq!(types, sorted);
    assert!(app.sort.contains_key(&Pane::Events));
    assert!(
        !app.sort.contains_key(&Pane::Pods),
        "each pane keeps its own order"
    );
}

#[test]
fn a_filter_starting_with_dash_capital_f_is_a_field_selector() {
    let mut app = loaded_app();
    let running = app
        .resources
        .pods
        .values()
        .filter(|p| &*p.selectable.phase == "Running")
        .count();
    assert!(running > 0 && running < app.resources.pods.len());
    press(&mut app, "/-F status.phase=Running<enter>");
    assert_eq!(app.visible_pods().len(), running);
    press(
        &mut app,
        "<esc>/-F status.phase!=Running,metadata.namespace=shop<enter>",
    );
    assert!(
        app.visible_pods()
            .iter()
            .all(|(namespace, _)| namespace == "shop")
    );
    let node = app
        .resources
        .pods
        .values()
        .next()
        .unwrap()
        .node_name
        .clone();
    press(&mut app, &format!("<esc>/-F spec.nodeName={node}<enter>"));
    assert!(!app.visible_pods().is_empty());
    // A field the API server does not index for pods matches nothing, as the server refuses it.
    press(&mut app, "<esc>/-F spec.containers=app<enter>");
    assert!(app.visible_pods().is_empty());
}

fn with_deployment(app: &mut kscope::app::state::App) {
    press(app, ":deploy<enter>");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Deployments,
    });
    let deployment = serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "shop", "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "checkout"}},
                 "template": {"spec": {"containers": [{"name": "app", "image": "shop/checkout:1.4"}]}}},
        "status": {"replicas": 2}
    });
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Deployments,
        &deployment,
    ));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Deployments,
    });
}

#[test]
fn scale_asks_for_replicas_shows_what_it_will_do_and_runs_only_on_y() {
    use kscope::app::operation::{Operation, Prompt};
    use kscope::app::request::Request;
    let mut app = loaded_app();
    with_deployment(&mut app);
    press(&mut app, "s");
    assert!(
        matches!(&app.mode, Mode::Prompt { prompt: Prompt::Replicas { .. }, text } if text == "2"),
        "the current count to edit: {:?}",
        app.mode
    );
    press(&mut app, "<bs>x<enter>");
    assert_eq!(
        app.message.as_deref(),
        Some("replicas must be a whole number, 0 or more (not \"x\")")
    );
    press(&mut app, "s<bs>5<enter>");
    let Mode::Confirm { operation, .. } = app.mode.clone() else {
        panic!("confirm: {:?}", app.mode);
    };
    assert_eq!(
        operation.plan(),
        ["scale deployment shop/checkout 2 → 5 replicas"]
    );
    // Enter is no: the default is not to.
    press(&mut app, "<enter>");
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.message.as_deref(), Some("scale cancelled"));
    assert!(app.requests.is_empty());
    press(&mut app, "s<bs>5<enter>y");
    assert_eq!(
        app.requests,
        [Request::Run(Operation::Scale {
            target: Target::Kind(WatchedKind::Deployments),
            key: ("shop".into(), "checkout".into()),
            from: Some(2),
            replicas: 5
        })]
    );
    app.on_cluster(ClusterMessage::OperationDone(Ok(
        "deployment.apps/checkout scaled".into(),
    )));
    assert_eq!(
        app.message.as_deref(),
        Some("deployment.apps/checkout scaled")
    );
}

#[test]
fn read_only_refuses_every_change_and_says_so() {
    let mut app = loaded_app();
    app.readonly = true;
    with_deployment(&mut app);
    for keys in ["s", "r", "i", "<c-d>"] {
        press(&mut app, keys);
        assert!(matches!(app.mode, Mode::Normal), "{keys}: {:?}", app.mode);
        assert!(
            app.message.as_deref().unwrap().starts_with("read-only:"),
            "{keys}: {:?}",
            app.message
        );
    }
    press(&mut app, ":nodes<enter>c");
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: cordon refused (kscope was started with --readonly)")
    );
    let evicted = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-evicted", "namespace": "shop", "uid": "u-evicted"},
        "spec": {"containers": [{"name": "app", "image": "web"}]},
        "status": {"phase": "Failed", "reason": "Evicted"}
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &evicted));
    press(&mut app, ":delete-failed<enter>");
    assert!(matches!(app.mode, Mode::Normal), "{:?}", app.mode);
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: delete refused (kscope was started with --readonly)")
    );
    assert!(app.requests.is_empty());
}

#[test]
fn marked_pods_are_deleted_together_with_the_grace_period_asked() {
    use kscope::app::operation::Operation;
    use kscope::app::request::Request;
    let mut app = loaded_app();
    press(&mut app, "g<space><space>");
    assert_eq!(app.marks_here().map(|m| m.len()), Some(2));
    press(&mut app, "<c-d>");
    assert!(matches!(app.mode, Mode::Prompt { .. }));
    press(&mut app, "!<enter>");
    let Mode::Confirm { operation, .. } = app.mode.clone() else {
        panic!("confirm: {:?}", app.mode);
    };
    let plan = operation.plan();
    assert_eq!(
        plan[0],
        "delete 2 objects at once (--force --grace-period=0):"
    );
    assert!(
        plan.last()
            .unwrap()
            .starts_with("Immediate deletion does not wait")
    );
    press(&mut app, "y");
    let [
        Request::Run(Operation::Delete {
            objects,
            force: true,
            grace_period_seconds: Some(0),
        }),
    ] = app.requests.as_slice()
    else {
        panic!("{:?}", app.requests);
    };
    assert_eq!(objects.len(), 2);
    assert!(
        app.marks_here().is_none(),
        "marks are used up by the delete"
    );
}

#[test]
fn nodes_cordon_with_c_and_uncordon_with_u() {
    use kscope::app::operation::Operation;
    let mut app = loaded_app();
    press(&mut app, ":nodes<enter>c");
    assert!(
        matches!(&app.mode, Mode::Confirm { operation: Operation::Cordon { node }, .. } if !node.is_empty())
    );
    press(&mut app, "n");
    press(&mut app, "u");
    assert!(matches!(
        &app.mode,
        Mode::Confirm {
            operation: Operation::Uncordon { .. },
            ..
        }
    ));
    press(&mut app, "<esc>:deploy<enter>");
    with_deployment(&mut app);
    press(&mut app, "i");
    assert!(matches!(&app.mode, Mode::Prompt { text, .. } if text == "app=shop/checkout:1.4"));
    press(&mut app, "<esc>r");
    assert!(matches!(
        &app.mode,
        Mode::Confirm {
            operation: Operation::RestartRollout { .. },
            ..
        }
    ));
    press(&mut app, "n:delete-failed<enter>");
    assert_eq!(app.message.as_deref(), Some("no pods in phase Failed"));
    let evicted = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-evicted", "namespace": "shop", "uid": "u-evicted",
                     "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"containers": [{"name": "app", "image": "web"}]},
        "status": {"phase": "Failed", "reason": "Evicted", "message": "low on memory"}
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &evicted));
    press(&mut app, ":delete-failed<enter>");
    let Mode::Confirm {
        operation:
            operation @ Operation::DeleteFailedPods {
                namespace: None,
                pods,
            },
        ..
    } = &app.mode
    else {
        panic!("{:?}", app.mode);
    };
    // Exactly the Failed pods held now, each named with its status and kept with its uid.
    let failed: Vec<_> = app
        .resources
        .pods
        .iter()
        .filter(|(_, p)| &*p.selectable.phase == "Failed")
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!failed.is_empty());
    assert_eq!(
        pods.iter().map(|(c, _)| c.key.clone()).collect::<Vec<_>>(),
        failed
    );
    assert!(pods.iter().all(|(c, _)| c.uid.is_some()));
    let plan = operation.plan();
    assert_eq!(
        plan[0],
        format!(
            "delete {} pod{} in phase Failed in all namespaces:",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" }
        )
    );
    assert!(
        plan[1].starts_with(&format!("  pod {}/{} (", failed[0].0, failed[0].1)),
        "{plan:?}"
    );
    assert_eq!(plan[1], "  pod shop/web-evicted (Evicted)");
    press(&mut app, "n");
}

#[test]
fn a_patch_is_composed_checked_by_the_server_reviewed_and_only_then_applied() {
    use kscope::app::request::Request;
    use kscope::model::patch_review::{PatchOutcome, PatchReview};
    use kscope::model::strategic_merge::PatchType;
    let mut app = loaded_app();
    with_deployment(&mut app);
    press(&mut app, "p");
    assert!(matches!(
        app.mode,
        Mode::PatchCompose {
            patch_type: PatchType::StrategicMerge,
            inline: None,
            ..
        }
    ));
    press(&mut app, "2i{\"spec\": {\"replicas\": 4<enter>");
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("not a valid patch:"),
        "{:?}",
        app.message
    );
    assert!(app.requests.is_empty(), "nothing is sent before it parses");
    press(&mut app, "}}<enter>");
    let [
        Request::PreviewPatch {
            patch_type: PatchType::Merge,
            patch,
            ..
        },
    ] = app.requests.as_slice()
    else {
        panic!("{:?}", app.requests);
    };
    assert_eq!(*patch, serde_json::json!({"spec": {"replicas": 4}}));
    app.requests.clear();
    let review = PatchReview {
        target: Target::Kind(WatchedKind::Deployments),
        key: ("shop".into(), "checkout".into()),
        patch_type: PatchType::Merge,
        patch: serde_json::json!({"spec": {"replicas": 4}}),
        diff: kscope::model::diff::unified("spec:\n  replicas: 2\n", "spec:\n  replicas: 4\n", 3),
        from_edit: false,
    };
    app.on_cluster(ClusterMessage::Patch(PatchOutcome::Previewed(Box::new(
        review.clone(),
    ))));
    assert!(matches!(app.mode, Mode::PatchReview { .. }));
    press(&mut app, "n");
    assert_eq!(app.message.as_deref(), Some("patch not applied"));
    app.on_cluster(ClusterMessage::Patch(PatchOutcome::Previewed(Box::new(
        review.clone(),
    ))));
    press(&mut app, "y");
    assert_eq!(
        app.requests,
        [Request::ApplyPatch(Box::new(review.clone()))]
    );
    app.requests.clear();
    // The object changed meanwhile: nothing is overwritten; r previews the change again.
    app.on_cluster(ClusterMessage::Patch(PatchOutcome::Conflict {
        review: Box::new(review.clone()),
        message: "conflict (409)".into(),
    }));
    assert!(matches!(app.mode, Mode::PatchConflict { .. }));
    press(&mut app, "r");
    assert_eq!(app.requests, [Request::Repreview(Box::new(review))]);
    // Edit reads the object whole first (off the screen's loop), then asks the runtime to
    // open the editor on it; read-only refuses both.
    app.requests.clear();
    press(&mut app, "e");
    assert!(matches!(
        app.requests.as_slice(),
        [Request::Fetch {
            purpose: kscope::app::request::Purpose::Editor(kscope::app::request::EditorJob::Edit),
            ..
        }]
    ));
    assert!(matches!(app.mode, Mode::Fetching { .. }));
    press(&mut app, "<esc>");
    app.requests.clear();
    app.readonly = true;
    press(&mut app, "pe");
    assert!(app.requests.is_empty());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("read-only: edit refused")
    );
}

#[test]
fn l_follows_a_pods_logs_and_lines_of_a_replaced_tail_are_dropped() {
    use kscope::app::request::Request;
    use kscope::model::log_stream::{ContainerChoice, LogLine, LogMessage};
    let mut app = loaded_app();
    press(&mut app, "/check<enter>l");
    let Mode::Logs(view) = &app.mode else {
        panic!("logs: {:?}", app.mode);
    };
    assert_eq!(view.title, "logs shop/checkout-7d9f8b6c5-x2k4q (checkout)");
    let [
        Request::TailLogs {
            generation,
            request,
        },
    ] = app.requests.as_slice()
    else {
        panic!("{:?}", app.requests);
    };
    assert_eq!(request.pods, ["checkout-7d9f8b6c5-x2k4q"]);
    assert_eq!(request.container, ContainerChoice::One("checkout".into()));
    assert!(request.follow);
    let generation = *generation;
    app.requests.clear();
    let line = |text: &str| {
        LogMessage::Lines(vec![LogLine {
            pod: "checkout-7d9f8b6c5-x2k4q".into(),
            container: "checkout".into(),
            text: text.into(),
            at: None,
        }])
    };
    app.on_cluster(ClusterMessage::Logs {
        generation,
        message: line("started"),
    });
    app.on_cluster(ClusterMessage::Logs {
        generation: generation - 1,
        message: line("stale"),
    });
    let Mode::Logs(view) = &app.mode else {
        panic!()
    };
    assert_eq!(view.buffer.len(), 1);
    // p asks for the previous run: a new tail, whose generation the old lines no longer match.
    press(&mut app, "p");
    assert!(
        matches!(app.requests.as_slice(), [Request::TailLogs { generation: g, request }] if *g == generation + 1 && request.previous)
    );
    app.on_cluster(ClusterMessage::Logs {
        generation,
        message: line("late line of the old tail"),
    });
    let Mode::Logs(view) = &app.mode else {
        panic!()
    };
    assert_eq!(view.buffer.len(), 0);
    app.requests.clear();
    press(&mut app, "q");
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.requests, [Request::StopLogs]);
}

#[test]
fn r_on_a_node_opens_the_drain_dialog_and_asks_for_a_plan_first() {
    use kscope::app::request::Request;
    let mut app = loaded_app();
    press(&mut app, ":nodes<enter>r");
    let Mode::Drain(view) = &app.mode else {
        panic!("drain: {:?}", app.mode);
    };
    let node = view.node.clone();
    press(&mut app, "p");
    let [
        Request::PlanDrain {
            node: planned,
            options,
        },
    ] = app.requests.as_slice()
    else {
        panic!("{:?}", app.requests);
    };
    assert_eq!(planned, &node);
    assert!(
        !options.force && !options.ignore_daemonsets,
        "kubectl's defaults"
    );
    app.requests.clear();
    app.on_cluster(ClusterMessage::DrainPlanned(Err(
        "list pods: connection refused".into(),
    )));
    assert!(matches!(app.mode, Mode::Drain(_)));
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Normal));
    app.readonly = true;
    press(&mut app, "r");
    assert_eq!(
        app.message.as_deref(),
        Some("read-only: drain refused (kscope was started with --readonly)")
    );
}

#[test]
fn a_change_started_from_the_yaml_view_reads_the_object_again_when_done() {
    use kscope::app::request::{Purpose, Request};
    let mut app = loaded_app();
    with_deployment(&mut app);
    press(&mut app, "y");
    assert!(matches!(app.mode, Mode::Yaml { .. }));
    press(&mut app, "s<bs>3<enter>y");
    assert!(matches!(app.requests.as_slice(), [Request::Run(_)]));
    app.requests.clear();
    app.on_cluster(ClusterMessage::OperationDone(Ok(
        "deployment.apps/checkout scaled".into(),
    )));
    assert!(
        matches!(&app.mode, Mode::Fetching { purpose: Purpose::Yaml, key, .. } if key.1 == "checkout"),
        "{:?}",
        app.mode
    );
    assert!(matches!(
        app.requests.as_slice(),
        [Request::Fetch {
            purpose: Purpose::Yaml,
            ..
        }]
    ));
    assert_eq!(
        app.message.as_deref(),
        Some("deployment.apps/checkout scaled")
    );
    // Declined from the description: the description comes back, read anew.
    app.requests.clear();
    app.mode = Mode::Normal;
    press(&mut app, "ds<bs>4<enter>n");
    assert!(
        matches!(
            &app.mode,
            Mode::Fetching {
                purpose: Purpose::Describe,
                ..
            }
        ),
        "{:?}",
        app.mode
    );
}

#[test]
fn a_click_selects_the_row_under_it_and_a_second_click_opens_it() {
    use kscope::app::action::Action;
    let mut app = loaded_app();
    app.page_rows = 20;
    // Screen row 3 is the first table row (below the header, the border and the titles).
    app.apply(Action::Click(5));
    assert_eq!(app.selection(), 2);
    app.apply(Action::Click(1));
    assert_eq!(app.selection(), 2, "a click on the titles selects nothing");
    app.apply(Action::Click(40));
    assert_eq!(app.selection(), 2, "nor one below the last row");
    app.apply(Action::Click(5));
    assert!(
        matches!(app.mode, Mode::Containers { .. }),
        "{:?}",
        app.mode
    );
}

/// The reading views search as the log view does: `/` with highlight, `n`/`N` wrapping, `g`/`G`;
/// the YAML view shows managedFields on `m`.
#[test]
fn yaml_describe_and_explain_views_search_and_move() {
    let mut app = loaded_app();
    // Describe: the pod's lines, searched; the search line takes `:` and `n` as text.
    press(&mut app, "/checkout<enter>d");
    answer_requests(&mut app);
    let lines = app.mode.reading_lines();
    assert!(lines.len() > 20, "{lines:?}");
    press(&mut app, "/limits<enter>");
    let search = app.mode.reader().unwrap().search.clone().expect("a search");
    assert!(!search.matches.is_empty());
    assert_eq!(search.current, Some(0));
    assert!(lines[search.matches[0].0].contains("Limits"), "smart case");
    press(&mut app, "G");
    assert_eq!(
        app.mode.reader().unwrap().top,
        lines.len().saturating_sub(app.page_rows.max(1))
    );
    press(&mut app, "g");
    assert_eq!(app.mode.reader().unwrap().top, 0);
    press(&mut app, "/image:<enter>");
    let search = app.mode.reader().unwrap().search.clone().unwrap();
    assert_eq!(search.query, "image:", "`:` is text in the search line");
    let total = search.matches.len();
    assert!(total >= 1);
    press(&mut app, "N");
    assert_eq!(
        app.mode.reader().unwrap().search.as_ref().unwrap().current,
        Some((total - 1) % total)
    );
    // esc while typing gives up the search line; esc again closes the view.
    press(&mut app, "/x<esc>");
    assert!(matches!(app.mode, Mode::Describe { .. }));
    assert!(!app.mode.reader().unwrap().is_typing());
    press(&mut app, "<esc>");
    assert!(matches!(app.mode, Mode::Normal));

    // Explain: the same keys over the explanation's lines.
    press(&mut app, "x/container<enter>");
    let search = app.mode.reader().unwrap().search.clone().unwrap();
    assert!(search.matches.len() >= 2, "{search:?}");
    press(&mut app, "n");
    assert_eq!(
        app.mode.reader().unwrap().search.as_ref().unwrap().current,
        Some(1)
    );
    press(&mut app, "<esc>");

    // YAML: managedFields hidden, then shown on `m`.
    press(&mut app, "y");
    let mut object = kscope::model::manifest::parse_documents(
        &std::fs::read_to_string("assets/examples/crashloop-oomkilled.yaml").unwrap(),
    )
    .unwrap()
    .remove(0)["items"][0]
        .clone();
    object["metadata"]["managedFields"] =
        serde_json::json!([{"manager": "kubectl-client-side-apply", "operation": "Update"}]);
    let key = (
        "shop".to_string(),
        object["metadata"]["name"].as_str().unwrap().to_string(),
    );
    for request in std::mem::take(&mut app.requests) {
        if let kscope::app::request::Request::Fetch { target, .. } = request {
            app.on_cluster(kscope::model::inbox::ClusterMessage::Fetched {
                target,
                key: key.clone(),
                result: Ok(Box::new(object.clone())),
                events: None,
            });
        }
    }
    assert!(matches!(app.mode, Mode::Yaml { .. }));
    assert!(
        !app.mode
            .reading_lines()
            .iter()
            .any(|l| l.contains("managedFields"))
    );
    press(&mut app, "m");
    assert!(
        app.mode
            .reading_lines()
            .iter()
            .any(|l| l.contains("managedFields"))
    );
    press(&mut app, "/kubectl-client<enter>");
    assert_eq!(
        app.mode
            .reader()
            .unwrap()
            .search
            .as_ref()
            .unwrap()
            .matches
            .len(),
        1
    );
    press(&mut app, "m");
    assert_eq!(
        app.mode
            .reader()
            .unwrap()
            .search
            .as_ref()
            .unwrap()
            .matches
            .len(),
        0,
        "the search is found again in the text shown"
    );
}
