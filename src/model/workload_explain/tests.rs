use serde_json::json;

use super::*;

fn now() -> Timestamp {
    "2026-11-21T10:00:00Z".parse().unwrap()
}

fn pod(value: Value) -> Pod {
    serde_json::from_value(value).unwrap()
}

fn event(value: Value) -> Event {
    serde_json::from_value(value).unwrap()
}

/// A pod of `app` in shop: running ready, or waiting with `reason`.
fn app_pod(name: &str, app: &str, waiting: Option<&str>) -> Pod {
    let (ready, state) = match waiting {
        None => (
            "True",
            json!({"running": {"startedAt": "2026-11-21T09:00:00Z"}}),
        ),
        Some(reason) => ("False", json!({"waiting": {"reason": reason}})),
    };
    pod(json!({
        "metadata": {"name": name, "namespace": "shop", "labels": {"app": app},
                     "creationTimestamp": "2026-11-21T09:00:00Z"},
        "spec": {"containers": [{"name": "app", "image": "shop/app:v2",
                                  "ports": [{"name": "http", "containerPort": 8080}]}]},
        "status": {"phase": if waiting.is_some() { "Pending" } else { "Running" },
                   "conditions": [{"type": "Ready", "status": ready}],
                   "containerStatuses": [{"name": "app", "ready": ready == "True",
                                          "restartCount": 0, "state": state}]},
    }))
}

fn deployment(status: Value, spec_extra: Value) -> Value {
    let mut spec = json!({"replicas": 3, "selector": {"matchLabels": {"app": "checkout"}},
                          "template": {"metadata": {"labels": {"app": "checkout"}}}});
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
        spec.extend(extra.clone());
    }
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "shop", "uid": "d-1", "generation": 4,
                     "creationTimestamp": "2026-11-01T10:00:00Z"},
        "spec": spec,
        "status": status,
    })
}

fn step<'a>(explained: &'a WorkloadExplanation, field: &str) -> &'a Step {
    explained
        .steps
        .iter()
        .find(|s| s.field == field)
        .unwrap_or_else(|| panic!("no step {field}: {:#?}", explained.steps))
}

fn hinted(explained: &WorkloadExplanation, words: &[&str]) {
    assert!(
        explained
            .hints
            .iter()
            .any(|h| words.iter().all(|w| h.contains(w))),
        "no hint with {words:?}: {:#?}",
        explained.hints
    );
}

#[test]
fn a_complete_rollout_traces_each_column_to_its_field() {
    let object = deployment(
        json!({"observedGeneration": 4, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 3,
               "availableReplicas": 3,
               "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                              {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}),
        json!({}),
    );
    let explained = explain_deployment(&object, &Related::default(), now());
    assert_eq!(explained.status, "rollout complete, all replicas available");
    assert_eq!(explained.health, Health::Healthy);
    assert_eq!(
        explained.columns,
        [
            Column {
                name: "READY".into(),
                value: "3/3".into()
            },
            Column {
                name: "UP-TO-DATE".into(),
                value: "3".into()
            },
            Column {
                name: "AVAILABLE".into(),
                value: "3".into()
            },
        ]
    );
    assert_eq!(step(&explained, "READY").value, "3/3");
    assert_eq!(step(&explained, "spec.replicas").value, "3");
    // The default strategy: 25% surge rounds up to 1, 25% unavailable rounds down to 0.
    let strategy = step(&explained, "spec.strategy.rollingUpdate");
    assert_eq!(strategy.value, "maxSurge 1, maxUnavailable 0");
    assert!(strategy.rule.contains("at most 4 pods"), "{strategy:?}");
    assert!(strategy.rule.contains("at least 3 stay available"));
    assert!(explained.hints.is_empty(), "{:?}", explained.hints);
}

#[test]
fn a_stuck_rollout_names_the_deadline_and_the_failing_new_pods() {
    let object = deployment(
        json!({"observedGeneration": 4, "replicas": 4, "readyReplicas": 2, "updatedReplicas": 2,
               "availableReplicas": 2,
               "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                               "message": "ReplicaSet \"checkout-7d9\" has timed out progressing."}]}),
        json!({"progressDeadlineSeconds": 300, "strategy": {"type": "RollingUpdate",
               "rollingUpdate": {"maxSurge": 2, "maxUnavailable": "50%"}}}),
    );
    let pods = [
        app_pod("checkout-7d9-a", "checkout", Some("ImagePullBackOff")),
        app_pod("checkout-7d9-b", "checkout", Some("CrashLoopBackOff")),
        app_pod("checkout-5c4-x", "checkout", None),
        app_pod("cart-1", "cart", Some("CrashLoopBackOff")),
    ];
    let pods: Vec<&Pod> = pods.iter().collect();
    let related = Related {
        pods: &pods,
        ..Related::default()
    };
    let explained = explain_deployment(&object, &related, now());
    assert_eq!(explained.status, "rollout stuck: ProgressDeadlineExceeded");
    assert_eq!(explained.health, Health::Failing);
    hinted(
        &explained,
        &["progressDeadlineSeconds (300s)", "rollout undo"],
    );
    // Only its own pods, and only those not running ready, each with its own reason.
    let names: Vec<&str> = explained.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["checkout-7d9-a", "checkout-7d9-b"]);
    assert_eq!(explained.members[0].status, "ImagePullBackOff");
    assert!(
        explained.members[0].why.contains("cannot pull its image"),
        "{:?}",
        explained.members[0]
    );
    hinted(&explained, &["2 pods hold it back", "ImagePullBackOff 1"]);
    let strategy = step(&explained, "spec.strategy.rollingUpdate");
    // 50% of 3 rounds down.
    assert_eq!(strategy.value, "maxSurge 2, maxUnavailable 1");
}

#[test]
fn a_replica_failure_from_a_quota_says_what_refuses_the_pods() {
    let object = deployment(
        json!({"observedGeneration": 4, "replicas": 1, "updatedReplicas": 1,
               "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                               "message": "pods \"checkout-7d9-x\" is forbidden: exceeded quota: compute, requested: cpu=2, used: cpu=9, limited: cpu=10"}]}),
        json!({}),
    );
    let explained = explain_deployment(&object, &Related::default(), now());
    assert_eq!(explained.status, "cannot create pods: FailedCreate");
    hinted(
        &explained,
        &["exceeded quota", "ResourceQuota", "lower their requests"],
    );
}

#[test]
fn a_paused_or_unseen_deployment_says_so() {
    let paused = deployment(
        json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 1, "readyReplicas": 3,
               "availableReplicas": 3}),
        json!({"paused": true}),
    );
    let explained = explain_deployment(&paused, &Related::default(), now());
    assert_eq!(explained.status, "rollout paused");
    hinted(
        &explained,
        &["kubectl rollout resume deployment/checkout -n shop"],
    );
    let unseen = deployment(json!({"observedGeneration": 3}), json!({}));
    let explained = explain_deployment(&unseen, &Related::default(), now());
    assert_eq!(
        explained.status,
        "waiting for the controller to see the new spec"
    );
    assert_eq!(
        step(&explained, "status.observedGeneration").value,
        "3 < metadata.generation 4"
    );
}

#[test]
fn a_rolling_deployment_lists_its_replica_sets_newest_first() {
    let object = deployment(
        json!({"observedGeneration": 4, "replicas": 4, "readyReplicas": 3, "updatedReplicas": 1,
               "availableReplicas": 3}),
        json!({}),
    );
    let rs = |name: &str, revision: &str, replicas: i64, owner: &str| {
        json!({"kind": "ReplicaSet", "metadata": {"name": name, "namespace": "shop",
               "annotations": {"deployment.kubernetes.io/revision": revision},
               "ownerReferences": [{"kind": "Deployment", "name": "checkout", "uid": owner, "controller": true}]},
               "spec": {"replicas": replicas}, "status": {"replicas": replicas, "readyReplicas": replicas}})
    };
    let owned = [
        rs("checkout-old", "3", 3, "d-1"),
        rs("checkout-new", "4", 1, "d-1"),
        rs("someone-else", "9", 1, "d-2"),
    ];
    let owned: Vec<&Value> = owned.iter().collect();
    let related = Related {
        owned: &owned,
        ..Related::default()
    };
    let explained = explain_deployment(&object, &related, now());
    assert_eq!(explained.status, "rolling out: 1 of 3 new replicas updated");
    assert_eq!(explained.health, Health::Progressing);
    let sets: Vec<&str> = explained
        .steps
        .iter()
        .filter(|s| s.field.starts_with("ReplicaSet "))
        .map(|s| s.field.as_str())
        .collect();
    assert_eq!(sets, ["ReplicaSet checkout-new", "ReplicaSet checkout-old"]);
}

#[test]
fn a_replica_set_failing_to_create_pods_quotes_the_event() {
    let object = json!({"kind": "ReplicaSet",
        "metadata": {"name": "web-1", "namespace": "shop", "uid": "r-1"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"replicas": 0}});
    let events = [event(json!({
        "metadata": {"name": "e1", "namespace": "shop"},
        "involvedObject": {"kind": "ReplicaSet", "name": "web-1", "namespace": "shop", "uid": "r-1"},
        "reason": "FailedCreate", "type": "Warning",
        "message": "Error creating: pods \"web-1-x\" is forbidden: error looking up service account shop/web: serviceaccount \"web\" not found",
        "lastTimestamp": "2026-11-21T09:59:00Z"}))];
    let events: Vec<&Event> = events.iter().collect();
    let related = Related {
        events: &events,
        ..Related::default()
    };
    let explained = explain_replica_set(&object, &related, now());
    assert_eq!(explained.status, "creating pods: 0 of 2");
    hinted(
        &explained,
        &["Creating pods fails", "serviceaccount \"web\" not found"],
    );
    assert_eq!(step(&explained, "DESIRED").value, "2");
}

#[test]
fn an_ordered_stateful_set_waits_on_its_first_unready_pod() {
    let object = json!({"kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop", "uid": "s-1", "generation": 2},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "db"}}},
        "status": {"observedGeneration": 2, "replicas": 2, "readyReplicas": 1,
                   "currentRevision": "db-1", "updateRevision": "db-1", "updatedReplicas": 2}});
    let pods = [
        app_pod("db-0", "db", None),
        app_pod("db-1", "db", Some("CrashLoopBackOff")),
    ];
    let pods: Vec<&Pod> = pods.iter().collect();
    let related = Related {
        pods: &pods,
        ..Related::default()
    };
    let explained = explain_stateful_set(&object, &related, now());
    assert_eq!(explained.status, "waiting on db-1 (CrashLoopBackOff)");
    hinted(&explained, &["db-1 is not ready", "OrderedReady"]);
    hinted(
        &explained,
        &[
            "db-2 does not exist yet",
            "once the pods before it are ready",
        ],
    );
    assert_eq!(step(&explained, "READY").value, "1/3");
}

#[test]
fn a_daemon_set_missing_nodes_and_an_empty_one_say_why() {
    let object = json!({"kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system", "uid": "ds-1"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"spec": {"nodeSelector": {"gpu": "true"}}}},
        "status": {"desiredNumberScheduled": 4, "currentNumberScheduled": 3, "numberReady": 3,
                   "updatedNumberScheduled": 4, "numberAvailable": 3, "numberMisscheduled": 1}});
    let explained = explain_daemon_set(&object, &Related::default(), now());
    assert_eq!(explained.status, "3 of 4 nodes have an available pod");
    hinted(&explained, &["1 node should run a pod but do not"]);
    hinted(&explained, &["1 node run a pod they should not"]);
    assert_eq!(
        step(&explained, "spec.template.spec.nodeSelector").value,
        "gpu=true"
    );
    let none = json!({"kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
        "status": {"desiredNumberScheduled": 0}});
    let explained = explain_daemon_set(&none, &Related::default(), now());
    assert!(explained.status.starts_with("no node is eligible"));
}

fn job(status: Value, spec: Value) -> Value {
    json!({"kind": "Job",
        "metadata": {"name": "etl", "namespace": "batch", "uid": "j-1",
                     "creationTimestamp": "2026-11-21T09:00:00Z"},
        "spec": spec, "status": status})
}

#[test]
fn a_job_over_its_backoff_limit_lists_its_failed_pods() {
    let object = job(
        json!({"failed": 3, "conditions": [
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
             "message": "Job has reached the specified backoff limit"}]}),
        json!({"backoffLimit": 2, "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "j-1"}}}),
    );
    let failed = pod(json!({
        "metadata": {"name": "etl-x", "namespace": "batch",
                     "labels": {"batch.kubernetes.io/controller-uid": "j-1"}},
        "spec": {"containers": [{"name": "etl"}]},
        "status": {"phase": "Failed", "containerStatuses": [{"name": "etl", "restartCount": 0,
            "state": {"terminated": {"exitCode": 2, "reason": "Error",
                                      "finishedAt": "2026-11-21T09:10:00Z"}}}]},
    }));
    let pods = [&failed];
    let related = Related {
        pods: &pods,
        ..Related::default()
    };
    let explained = explain_job(&object, &related, now());
    assert_eq!(explained.status, "failed: BackoffLimitExceeded");
    assert_eq!(explained.health, Health::Failing);
    hinted(
        &explained,
        &["failed 3 times", "backoffLimit 2", "kubectl logs"],
    );
    assert_eq!(explained.members.len(), 1);
    assert!(explained.members[0].why.contains("exit code 2"));
    assert!(
        step(&explained, "status.failed")
            .rule
            .contains("backoffLimit (2)")
    );
}

#[test]
fn a_job_past_its_deadline_or_suspended_says_so() {
    let object = job(
        json!({"conditions": [{"type": "Failed", "status": "True", "reason": "DeadlineExceeded"}]}),
        json!({"activeDeadlineSeconds": 600}),
    );
    let explained = explain_job(&object, &Related::default(), now());
    assert_eq!(explained.status, "failed: DeadlineExceeded");
    hinted(&explained, &["activeDeadlineSeconds (600s)"]);
    let object = job(
        json!({"conditions": [{"type": "Suspended", "status": "True"}]}),
        json!({"suspend": true}),
    );
    let explained = explain_job(&object, &Related::default(), now());
    assert_eq!(explained.status, "suspended");
    hinted(&explained, &["\"suspend\":false"]);
    let running = job(json!({"active": 1, "failed": 1}), json!({}));
    let explained = explain_job(&running, &Related::default(), now());
    assert_eq!(
        explained.status,
        "running, 1 failure of backoffLimit 6 used"
    );
}

fn cron_job(spec: Value, status: Value) -> Value {
    let mut base = json!({"schedule": "*/15 * * * *"});
    if let (Some(base), Some(extra)) = (base.as_object_mut(), spec.as_object()) {
        base.extend(extra.clone());
    }
    json!({"kind": "CronJob",
        "metadata": {"name": "report", "namespace": "batch", "uid": "c-1"},
        "spec": base, "status": status})
}

#[test]
fn a_suspended_cron_job_and_one_missing_its_schedule() {
    let suspended = cron_job(json!({"suspend": true}), json!({}));
    let explained = explain_cron_job(&suspended, &Related::default(), now());
    assert_eq!(explained.status, "suspended");
    assert_eq!(step(&explained, "SUSPEND").value, "True");
    hinted(&explained, &["no Jobs are made"]);
    let missing = cron_job(
        json!({"startingDeadlineSeconds": 30}),
        json!({"lastScheduleTime": "2026-11-21T06:00:00Z"}),
    );
    let events = [event(json!({
        "metadata": {"name": "e", "namespace": "batch"},
        "involvedObject": {"kind": "CronJob", "name": "report", "namespace": "batch", "uid": "c-1"},
        "reason": "TooManyMissedTimes", "type": "Warning",
        "message": "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"}))];
    let events: Vec<&Event> = events.iter().collect();
    let related = Related {
        events: &events,
        ..Related::default()
    };
    let explained = explain_cron_job(&missing, &related, now());
    assert_eq!(explained.status, "missing schedules: TooManyMissedTimes");
    assert_eq!(explained.health, Health::Failing);
    hinted(
        &explained,
        &["misses its schedule", "startingDeadlineSeconds"],
    );
}

#[test]
fn a_cron_job_whose_jobs_fail_lists_them() {
    let object = cron_job(
        json!({"concurrencyPolicy": "Forbid"}),
        json!({"lastScheduleTime": "2026-11-21T09:45:00Z", "active": [{"name": "report-2"}]}),
    );
    let owned_job = |name: &str, condition: Value| {
        json!({"kind": "Job", "metadata": {"name": name, "namespace": "batch",
               "creationTimestamp": "2026-11-21T09:30:00Z",
               "ownerReferences": [{"kind": "CronJob", "name": "report", "uid": "c-1", "controller": true}]},
               "status": {"conditions": [condition]}})
    };
    let owned = [
        owned_job(
            "report-1",
            json!({"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}),
        ),
        owned_job("report-2", json!({"type": "Complete", "status": "False"})),
    ];
    let owned: Vec<&Value> = owned.iter().collect();
    let related = Related {
        owned: &owned,
        ..Related::default()
    };
    let explained = explain_cron_job(&object, &related, now());
    assert_eq!(explained.status, "its Jobs fail");
    assert_eq!(explained.members[0].name, "report-1");
    assert!(explained.members[0].why.starts_with("BackoffLimitExceeded"));
    // Forbid with a Job still running: the next runs are skipped.
    assert_eq!(explained.members[1].status, "Running");
    hinted(&explained, &["Forbid", "skipped"]);
    assert_eq!(step(&explained, "ACTIVE").value, "1");
}

fn service(selector: Value, target_port: Value) -> Value {
    json!({"kind": "Service",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.5", "selector": selector,
                 "ports": [{"name": "http", "port": 80, "targetPort": target_port}]}})
}

#[test]
fn a_service_with_ready_pods_and_one_without_endpoints() {
    let pods = [
        app_pod("web-a", "web", None),
        app_pod("web-b", "web", Some("CrashLoopBackOff")),
        app_pod("webapp-1", "webapp", None),
    ];
    let pods: Vec<&Pod> = pods.iter().collect();
    let related = Related {
        pods: &pods,
        ..Related::default()
    };
    let explained = explain_service(
        &service(json!({"app": "web"}), json!("http")),
        &related,
        now(),
    );
    assert_eq!(explained.status, "1 of 2 pods ready");
    assert_eq!(step(&explained, "pods selected").value, "2 (1 ready)");
    assert_eq!(explained.members[0].name, "web-b");
    // A misspelled selector: no endpoints, and the pods that come close are named.
    let explained = explain_service(
        &service(json!({"app": "wbe"}), json!(8080)),
        &related,
        now(),
    );
    assert_eq!(
        explained.status,
        "no endpoints: the selector matches no pods"
    );
    hinted(
        &explained,
        &["No pod in shop has the labels app=wbe", "web-a"],
    );
    // None ready: no endpoints.
    let lonely = [app_pod("web-b", "web", Some("CrashLoopBackOff"))];
    let lonely: Vec<&Pod> = lonely.iter().collect();
    let related = Related {
        pods: &lonely,
        ..Related::default()
    };
    let explained = explain_service(
        &service(json!({"app": "web"}), json!(8080)),
        &related,
        now(),
    );
    assert_eq!(explained.status, "no endpoints: 0 of 1 pods ready");
    assert_eq!(explained.health, Health::Failing);
}

#[test]
fn a_service_whose_target_port_no_container_declares_is_named() {
    let pods = [app_pod("web-a", "web", None)];
    let pods: Vec<&Pod> = pods.iter().collect();
    let related = Related {
        pods: &pods,
        ..Related::default()
    };
    let explained = explain_service(
        &service(json!({"app": "web"}), json!("metrics")),
        &related,
        now(),
    );
    hinted(&explained, &["targetPort metrics", "refused"]);
    let explained = explain_service(
        &service(json!({"app": "web"}), json!(9090)),
        &related,
        now(),
    );
    hinted(&explained, &["targetPort 9090"]);
    let explained = explain_service(
        &service(json!({"app": "web"}), json!(8080)),
        &related,
        now(),
    );
    assert!(explained.hints.is_empty(), "{:?}", explained.hints);
    assert_eq!(explained.status, "1 pod ready");
}

#[test]
fn a_service_without_a_selector_or_an_external_name() {
    let external = json!({"kind": "Service", "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"type": "ExternalName", "externalName": "db.example.com"}});
    let explained = explain_service(&external, &Related::default(), now());
    assert_eq!(explained.status, "a DNS alias for db.example.com");
    let manual = json!({"kind": "Service", "metadata": {"name": "legacy", "namespace": "shop"},
        "spec": {"ports": [{"port": 80}]}});
    let explained = explain_service(&manual, &Related::default(), now());
    assert_eq!(explained.status, "endpoints managed by hand");
    hinted(&explained, &["kubernetes.io/service-name=legacy"]);
}

#[test]
fn the_json_shape_names_the_kind_and_every_part() {
    let object = deployment(json!({"observedGeneration": 4}), json!({}));
    let explained = crate::model::explanation::explain_workload(
        "Deployment",
        &object,
        &Related::default(),
        now(),
    )
    .unwrap();
    let json = serde_json::to_value(&explained).unwrap();
    assert_eq!(json["kind"], "Deployment");
    assert_eq!(json["name"], "checkout");
    assert_eq!(json["columns"][0], json!({"name": "READY", "value": "0/3"}));
    assert!(json["steps"].as_array().unwrap().len() > 5);
    assert!(json["hints"].is_array() && json["members"].is_array());
    assert!(json.get("health").is_none());
}
