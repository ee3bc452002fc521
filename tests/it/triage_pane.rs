//! The `:triage` view: findings worked out from what the watches hold, live as objects change
//! (appearing, growing, resolving and kept greyed a while), `enter` to a finding's pods as a
//! pods pane where the pane's keys work, the problem count in every pane's header; drawn at
//! 80x24 and 120x40.

use crate::support;

use jiff::{SignedDuration, Timestamp};
use kscope::app::state::{App, Drill, Mode, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use serde_json::{Value, json};
use support::explorer::{EXPLORER_NOW, example_objects, loaded_app, press, screen};

fn now() -> Timestamp {
    EXPLORER_NOW.parse().unwrap()
}

fn example_pod(name_prefix: &str) -> Value {
    example_objects()
        .into_iter()
        .find(|o| {
            o["kind"] == "Pod"
                && o["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with(name_prefix)
        })
        .expect("the example pod")
}

/// The OOMKilled checkout pod, running again and ready, its restart long gone.
fn checkout_running_again() -> Value {
    let mut checkout = example_pod("checkout-");
    checkout["status"] = json!({
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [{"name": "checkout", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2026-11-21T08:00:00Z"}}}],
    });
    checkout
}

fn causes(app: &App) -> Vec<String> {
    app.triage
        .findings
        .iter()
        .map(|f| f.cause.clone())
        .collect()
}

fn finding<'a>(app: &'a App, cause: &str) -> &'a kscope::model::findings::Finding {
    app.triage
        .findings
        .iter()
        .find(|f| f.cause == cause)
        .unwrap_or_else(|| panic!("{cause} in {:?}", causes(app)))
}

#[test]
fn findings_appear_grow_and_resolve_as_objects_change() {
    let mut app = loaded_app();
    assert!(
        app.triage.computed.is_none(),
        "not worked out on a message's path"
    );
    app.tick(now());
    assert_eq!(app.triage.findings.len(), 8, "{:?}", causes(&app)); // The pulse: every pod counted by health, the one node not Ready.
    let pulse = app.triage.pulse;
    let total = pulse.healthy + pulse.progressing + pulse.failing + pulse.unknown + pulse.done;
    assert_eq!(total, 7);
    assert_eq!((pulse.nodes_ready, pulse.nodes), (0, 1));
    let healthy_before = pulse.healthy;

    assert_eq!(finding(&app, "OOMKilled (memory limit 256Mi)").pods, 1);
    // The pod on the lost node is the node's, not a finding of its own.
    let node = finding(&app, "node unreachable");
    assert!(node.members.iter().any(|m| m.name == "cache-2"));

    // A second pod of web cannot pull the same image: the finding grows.
    let mut twin = example_pod("web-");
    twin["metadata"]["name"] = json!("web-5c8d7f9b4-zz9zz");
    twin["metadata"]["uid"] = json!("twin-uid");
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &twin));
    // The registry's answer to its pulls, as to the first pod's.
    for mut event in example_objects()
        .into_iter()
        .filter(|o| o["kind"] == "Event" && o["involvedObject"]["name"] == "web-5c8d7f9b4-lq2mz")
    {
        let name = format!("twin.{}", event["metadata"]["name"].as_str().unwrap());
        event["metadata"]["name"] = json!(name);
        event["involvedObject"]["name"] = json!("web-5c8d7f9b4-zz9zz");
        event["involvedObject"]["uid"] = json!("twin-uid");
        app.on_cluster(ClusterMessage::applied(WatchedKind::Events, &event));
    }
    assert_eq!(
        finding(&app, "image not found: nginx:1.27-alpne").pods,
        1,
        "worked out again on the tick, not on the message"
    );
    app.tick(now() + SignedDuration::from_secs(1));
    assert_eq!(finding(&app, "image not found: nginx:1.27-alpne").pods, 2);

    // checkout runs again and is ready, its restart long gone: the finding is resolved, kept
    // greyed for a while, then let go.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &checkout_running_again(),
    ));
    app.tick(now() + SignedDuration::from_secs(2));
    assert!(!causes(&app).contains(&"OOMKilled (memory limit 256Mi)".to_string()));
    assert_eq!(app.triage.resolved.len(), 1);
    assert_eq!(app.triage.pulse.healthy, healthy_before + 1);
    assert_eq!(
        app.triage.resolved[0].0.cause,
        "OOMKilled (memory limit 256Mi)"
    );
    // Its BackOff events of the last minutes stay: no finding holds them now, so they are a
    // burst of their own until they age out of the window.
    assert!(
        causes(&app).contains(&"Warning events: BackOff ×31".to_string()),
        "{:?}",
        causes(&app)
    );
    assert_eq!(app.triage.findings.len(), 8);
    app.tick(now() + SignedDuration::from_secs(200));
    assert!(app.triage.resolved.is_empty(), "let go after a while");

    // It breaks again: found again.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &example_pod("checkout-"),
    ));
    app.tick(now() + SignedDuration::from_secs(201));
    assert_eq!(app.triage.findings.len(), 8);
    // Deleted pods leave their findings.
    app.on_cluster(ClusterMessage::deleted(
        WatchedKind::Pods,
        &example_pod("orders-"),
    ));
    app.tick(now() + SignedDuration::from_secs(202));
    assert!(
        !causes(&app)
            .iter()
            .any(|c| c.starts_with("init container migrate"))
    );
}

/// With a worker, the tick plans the work and hands it over; the findings come with the
/// worker's answer. No second job is planned while one is out, a change made meanwhile is read
/// by the next, and an answer to another app's job (one planned before a switch of context)
/// is dropped.
#[test]
fn findings_worked_out_apart_arrive_with_the_answer_and_only_their_apps() {
    let mut app = loaded_app();
    app.findings_on_worker = true;
    app.tick(now());
    assert!(app.triage.computed.is_none(), "not worked out on the tick");
    let job = app.take_findings_job().expect("a job planned on the tick");
    assert!(app.take_findings_job().is_none(), "handed over once");

    // A second pod of web cannot pull its image, while the job is out.
    let mut twin = example_pod("web-");
    twin["metadata"]["name"] = json!("web-5c8d7f9b4-zz9zz");
    twin["metadata"]["uid"] = json!("twin-uid");
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &twin));
    app.tick(now() + SignedDuration::from_secs(1));
    assert!(app.take_findings_job().is_none(), "one job out at a time");

    app.findings_worked(job.work_out());
    assert_eq!(app.triage.computed, Some(now()));
    assert_eq!(app.triage.findings.len(), 8, "{:?}", causes(&app));
    // The web pods in findings.
    let web = |app: &App| {
        app.triage
            .findings
            .iter()
            .flat_map(|f| &f.members)
            .filter(|m| m.kind == "Pod" && m.name.starts_with("web-"))
            .count()
    };
    assert_eq!(web(&app), 1, "the job read what was there when planned");

    // The next tick reads the pod changed meanwhile.
    app.tick(now() + SignedDuration::from_secs(2));
    let job = app
        .take_findings_job()
        .expect("planned again: a pod changed");
    app.findings_worked(job.work_out());
    assert_eq!(web(&app), 2);

    // A job out when the context is switched: its answer is not the new app's.
    app.on_cluster(ClusterMessage::deleted(
        WatchedKind::Pods,
        &example_pod("orders-"),
    ));
    app.tick(now() + SignedDuration::from_secs(3));
    let old = app.take_findings_job().expect("planned: a pod went");
    app.switched_context("other".into(), None, vec!["other".into()]);
    assert!(app.findings_on_worker, "the new app works apart too");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for pod in example_objects().iter().filter(|o| o["kind"] == "Pod") {
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, pod));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    app.tick(now() + SignedDuration::from_secs(4));
    let new = app.take_findings_job().expect("the new app's job");
    app.findings_worked(old.work_out());
    assert!(
        app.triage.computed.is_none(),
        "the old app's answer is dropped"
    );
    app.findings_worked(new.work_out());
    assert_eq!(
        app.triage.computed,
        Some(now() + SignedDuration::from_secs(4))
    );
}

#[test]
fn enter_opens_a_findings_pods_where_the_panes_keys_work() {
    let mut app = loaded_app();
    app.tick(now());
    press(&mut app, ":triage<enter>");
    assert!(matches!(app.mode, Mode::Triage { selected: 0 }));
    press(&mut app, "jjjjjjjjjjjjj");
    assert!(
        matches!(app.mode, Mode::Triage { selected } if selected == app.triage.len() - 1),
        "stays in bounds"
    );
    press(&mut app, "<esc>:triage<enter>");
    // The first finding: the image web cannot pull.
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Pods);
    assert!(
        matches!(&app.drill, Some(Drill::Members { title, .. }) if title == "image not found: nginx:1.27-alpne")
    );
    let shown: Vec<String> = app.visible_pods().iter().map(|k| k.1.clone()).collect();
    assert_eq!(shown, ["web-5c8d7f9b4-lq2mz"]);
    assert_eq!(
        app.breadcrumb(),
        ["Triage", "image not found: nginx:1.27-alpne", "Pods"]
    );
    // A pane key: the explainer of the member.
    press(&mut app, "x");
    assert!(matches!(app.mode, Mode::Explain { .. }));
    press(&mut app, "<esc><esc>");
    assert_eq!(app.drill, None, "esc goes back");

    // A finding of a namespace opens the namespaces pane on it.
    press(&mut app, ":triage<enter>");
    let last = app.triage.len() - 1;
    for _ in 0..last {
        press(&mut app, "j");
    }
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Namespaces);
    let selected = app.visible_namespaces()[app.selection()].1.clone();
    assert_eq!(selected, "legacy-billing");
}

#[test]
fn the_view_and_the_header_count_at_two_sizes() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = loaded_app();
        app.tick(now());
        press(&mut app, ":triage<enter>j");
        insta::assert_snapshot!(
            format!("triage_{width}x{height}"),
            screen(&mut app, width, height)
        );
    }
    // Every pane's header counts the problems.
    let mut app = loaded_app();
    app.tick(now());
    press(&mut app, ":nodes<enter>");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.lines().next().unwrap().contains("8 problems"),
        "{text}"
    );
}

#[test]
fn nothing_is_claimed_before_the_pods_are_listed() {
    let mut app = App::new("test-context", None, now());
    press(&mut app, ":triage<enter>");
    assert!(matches!(app.mode, Mode::Triage { .. }));
    app.tick(now());
    assert!(app.triage.computed.is_none());
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Reading the cluster..."), "{text}");
    assert!(!text.contains("problem"), "{text}");

    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &example_pod("checkout-"),
    ));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    app.tick(now());
    assert_eq!(causes(&app), ["OOMKilled (memory limit 256Mi)"]);
    let text = screen(&mut app, 80, 24);
    assert!(text.lines().next().unwrap().contains("1 problem"), "{text}");
}

#[test]
fn a_pod_is_read_again_when_it_or_an_event_about_it_changes_or_its_reading_ages() {
    let mut app = loaded_app();
    app.tick(now());
    let read_at_first = app.triage.readings.last_read;
    assert!(read_at_first > 0);
    // Nothing changed: nothing read again.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Nodes,
        &example_objects()
            .into_iter()
            .find(|o| o["kind"] == "Node")
            .unwrap(),
    ));
    app.tick(now() + SignedDuration::from_secs(1));
    assert_eq!(app.triage.readings.last_read, 0);

    // A pod still within its start-up is no finding until it has been down for two minutes:
    // found then with no change to it, as its reading ages.
    let mut starting = example_pod("checkout-");
    starting["metadata"]["name"] = json!("starting-1");
    starting["metadata"]["uid"] = json!("uid-starting-1");
    starting["metadata"]["creationTimestamp"] = json!(now().to_string());
    starting["metadata"]["ownerReferences"] = json!([]);
    starting["status"]["containerStatuses"][0]["restartCount"] = json!(0);
    starting["status"]["containerStatuses"][0]["lastState"] = json!({});
    starting["status"]["containerStatuses"][0]["state"] =
        json!({"waiting": {"reason": "ContainerCreating"}});
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &starting));
    app.tick(now() + SignedDuration::from_secs(2));
    assert_eq!(app.triage.readings.last_read, 1, "the new pod alone");
    let about_starting = |app: &App| {
        app.triage
            .findings
            .iter()
            .any(|f| f.members.iter().any(|m| m.name == "starting-1"))
    };
    assert!(!about_starting(&app), "{:?}", causes(&app));
    app.tick(now() + SignedDuration::from_secs(3 * 60));
    assert!(about_starting(&app), "{:?}", causes(&app));

    // An event about it changes its cause: a missing ConfigMap, read from FailedMount.
    let event = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "starting-1.1", "namespace": starting["metadata"]["namespace"], "uid": "uid-ev-starting-1",
                     "creationTimestamp": now().to_string()},
        "involvedObject": {"kind": "Pod", "namespace": starting["metadata"]["namespace"], "name": "starting-1", "uid": "uid-starting-1"},
        "type": "Warning", "reason": "FailedMount", "count": 3,
        "message": "MountVolume.SetUp failed for volume \"settings\" : configmap \"starting-settings\" not found",
        "firstTimestamp": now().to_string(), "lastTimestamp": now().to_string(),
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Events, &event));
    app.tick(now() + SignedDuration::from_secs(3 * 60 + 1));
    assert_eq!(app.triage.readings.last_read, 1, "that pod alone");
    assert!(
        causes(&app).contains(&"missing ConfigMap starting-settings".to_string()),
        "{:?}",
        causes(&app)
    );
}

#[test]
fn the_pulse_draws_the_nodes_usage_against_allocatable_and_the_event_rate() {
    use kscope::model::metrics::{MetricsReading, Usage, UsageMap};
    let mut app = loaded_app();
    for mut node in example_objects()
        .into_iter()
        .filter(|o| o["kind"] == "Node")
    {
        node["status"]["allocatable"] = json!({"cpu": "4", "memory": "16Gi"});
        app.on_cluster(ClusterMessage::applied(WatchedKind::Nodes, &node));
    }
    app.on_cluster(ClusterMessage::MetricsServed(true));
    app.tick(now());
    press(&mut app, ":triage<enter>");
    assert!(
        app.wanted_metrics().nodes,
        "the pulse reads the nodes' usage"
    );
    assert!(!app.wanted_metrics().pods);
    let nodes: Vec<String> = app.resources.nodes.keys().map(|k| k.1.clone()).collect();
    for (second, cpu) in [(0, 1_000), (15, 2_500)] {
        let usage: UsageMap<String> = nodes
            .iter()
            .map(|name| {
                (
                    name.clone(),
                    Usage {
                        cpu_millis: cpu / nodes.len() as i64,
                        memory_bytes: 1 << 30,
                    },
                )
            })
            .collect();
        app.now = now() + SignedDuration::from_secs(second);
        app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Nodes(
            usage,
        ))));
    }
    // Ten changes over two seconds.
    app.tick(now() + SignedDuration::from_secs(15));
    for i in 0..10 {
        let mut pod = example_pod("checkout-");
        pod["metadata"]["labels"]["change"] = json!(i.to_string());
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    }
    app.tick(now() + SignedDuration::from_secs(17));
    let text = screen(&mut app, 120, 40);
    let trend = text.lines().nth(3).expect("the pulse's second line");
    let allocatable = app.triage.pulse.allocatable;
    assert!(allocatable.cpu_millis > 0, "{allocatable:?}");
    let cores = |millis: i64| millis as f64 / 1000.0;
    let used = 2_500 / nodes.len() as i64 * nodes.len() as i64;
    let of = allocatable.cpu_millis;
    assert!(
        trend.contains(&format!(
            "cpu {:.2}/{} cores {}%",
            cores(used),
            cores(of),
            (used * 100 + of / 2) / of
        )),
        "{trend}"
    );
    assert!(
        trend.contains(&format!(
            "memory {}.0Gi/{}.0Gi",
            nodes.len(),
            16 * nodes.len()
        )),
        "{trend}"
    );
    assert!(trend.contains("events 5/s"), "{trend}");
    assert!(
        trend.contains('▁') || trend.contains('█'),
        "sparklines: {trend}"
    );
}

#[test]
fn a_service_whose_pods_are_ready_is_no_finding_though_its_pods_are_not_typed() {
    let mut app = loaded_app();
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "api-1", "namespace": "shop", "uid": "uid-api-1",
                     "creationTimestamp": "2026-11-20T10:00:00Z", "labels": {"app": "api"}},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "api", "image": "api:1"}]},
        "status": {"phase": "Running", "podIP": "10.244.1.50",
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "api", "ready": true, "restartCount": 0,
                                          "state": {"running": {"startedAt": "2026-11-20T10:00:05Z"}}}]}
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Services,
    });
    for (name, app_label) in [("api", "api"), ("ghost", "ghost")] {
        let service = json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-svc-{name}"),
                         "creationTimestamp": "2026-11-20T10:00:00Z"},
            "spec": {"type": "ClusterIP", "selector": {"app": app_label}, "ports": [{"port": 80}]}
        });
        app.on_cluster(ClusterMessage::applied(WatchedKind::Services, &service));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Services,
    });
    app.tick(now());
    let services: Vec<&str> = app
        .triage
        .findings
        .iter()
        .filter(|f| f.is_service_down())
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(services, ["service-endpoints/shop/ghost"]);
}

#[test]
fn the_view_watches_claims_and_finds_one_stuck_pending() {
    let mut app = loaded_app();
    assert!(
        !app.wanted_watches()
            .contains(&WatchedKind::PersistentVolumeClaims),
        "not at launch"
    );
    app.tick(now());
    press(&mut app, ":triage<enter>");
    assert!(
        app.wanted_watches()
            .contains(&WatchedKind::PersistentVolumeClaims)
    );
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::PersistentVolumeClaims,
    });
    let claim = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "archive", "namespace": "shop", "uid": "uid-archive",
                     "creationTimestamp": (now() - SignedDuration::from_secs(1800)).to_string()},
        "spec": {"storageClassName": "fast-ssd"}, "status": {"phase": "Pending"}});
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::PersistentVolumeClaims,
        &claim,
    ));
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::PersistentVolumeClaims,
    });
    let event = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "archive.1", "namespace": "shop", "uid": "uid-ev-archive"},
        "involvedObject": {"kind": "PersistentVolumeClaim", "namespace": "shop", "name": "archive", "uid": "uid-archive"},
        "type": "Warning", "reason": "ProvisioningFailed", "count": 40,
        "message": "storageclass.storage.k8s.io \"fast-ssd\" not found",
        "firstTimestamp": (now() - SignedDuration::from_secs(1700)).to_string(),
        "lastTimestamp": now().to_string(),
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Events, &event));
    app.tick(now() + SignedDuration::from_secs(1));
    let finding = finding(
        &app,
        "volume claim Pending: storageclass.storage.k8s.io \"fast-ssd\" not found",
    );
    assert_eq!(finding.members[0].name, "archive");
}

#[test]
fn while_a_filter_is_typed_the_findings_wait_for_the_prompt_to_close() {
    let mut app = loaded_app();
    app.tick(now());
    assert_eq!(finding(&app, "OOMKilled (memory limit 256Mi)").pods, 1);
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &checkout_running_again(),
    ));
    press(&mut app, "/chec");
    assert!(matches!(app.mode, Mode::Filter { .. }));
    app.tick(now() + SignedDuration::from_secs(1));
    assert!(
        causes(&app).contains(&"OOMKilled (memory limit 256Mi)".to_string()),
        "not worked out while keys are typed"
    );
    press(&mut app, "<enter>");
    app.tick(now() + SignedDuration::from_secs(2));
    assert!(!causes(&app).contains(&"OOMKilled (memory limit 256Mi)".to_string()));
}

#[test]
fn while_keys_are_typed_the_findings_are_worked_out_at_most_every_few_seconds() {
    let mut app = loaded_app();
    app.tick(now());
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &checkout_running_again(),
    ));
    app.tick_while_typing(now() + SignedDuration::from_secs(1));
    assert!(
        causes(&app).contains(&"OOMKilled (memory limit 256Mi)".to_string()),
        "not worked out a second after the last time"
    );
    app.tick_while_typing(now() + kscope::app::state::FINDINGS_WHILE_TYPING);
    assert!(!causes(&app).contains(&"OOMKilled (memory limit 256Mi)".to_string()));
}
