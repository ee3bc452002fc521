use jiff::Timestamp;
use serde_json::{Value, json};

use super::pods::{missing_reference, scheduler_reasons};
use super::*;
use crate::model::manifest::parse_objects;

const NOW: &str = "2026-03-01T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn ago(seconds: i64) -> String {
    (now() - jiff::SignedDuration::from_secs(seconds)).to_string()
}

fn run(objects: Vec<Value>) -> Vec<Finding> {
    let list = json!({"kind": "List", "items": objects});
    triage_objects(&parse_objects(&list.to_string()).unwrap(), now())
}

/// A pod of Deployment `deployment` (through its ReplicaSet) on `node`, with `status` merged in.
fn pod(namespace: &str, name: &str, deployment: Option<&str>, node: &str, status: Value) -> Value {
    let mut metadata = json!({"name": name, "namespace": namespace, "uid": format!("uid-{name}"), "creationTimestamp": ago(3600), "labels": {"app": deployment.unwrap_or(name)}});
    if let Some(deployment) = deployment {
        metadata["labels"]["pod-template-hash"] = json!("5d9f8");
        metadata["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{deployment}-5d9f8"), "uid": "rs-uid", "controller": true}]);
    }
    let mut pod = json!({
        "kind": "Pod", "metadata": metadata,
        "spec": {"nodeName": node, "containers": [{"name": "app", "image": "registry.example.com/app:1", "resources": {"limits": {"memory": "256Mi"}}}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": ago(600)}]},
    });
    merge(&mut pod["status"], status);
    pod
}

fn merge(target: &mut Value, patch: Value) {
    if let (Value::Object(target), Value::Object(patch)) = (target, patch) {
        for (key, value) in patch {
            target.insert(key, value);
        }
    }
}

fn waiting(reason: &str, message: &str) -> Value {
    json!({"containerStatuses": [{"name": "app", "ready": false, "restartCount": 0, "image": "registry.example.com/app:1", "state": {"waiting": {"reason": reason, "message": message}}}]})
}

fn ready_pod(namespace: &str, name: &str, app: &str, node: &str) -> Value {
    let mut pod = pod(
        namespace,
        name,
        Some(app),
        node,
        json!({"containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": ago(3600)}}}]}),
    );
    pod["status"]["conditions"] = json!([{"type": "Ready", "status": "True"}]);
    pod
}

fn node(name: &str, conditions: Value) -> Value {
    json!({"kind": "Node", "metadata": {"name": name, "uid": format!("uid-{name}")}, "status": {"conditions": conditions}})
}

fn ready_node(name: &str) -> Value {
    node(
        name,
        json!([{"type": "Ready", "status": "True", "reason": "KubeletReady"}]),
    )
}

fn event(
    namespace: &str,
    kind: &str,
    name: &str,
    type_: &str,
    reason: &str,
    message: &str,
    count: i64,
) -> Value {
    json!({"kind": "Event", "metadata": {"name": format!("{name}.{reason}"), "namespace": namespace}, "involvedObject": {"kind": kind, "namespace": namespace, "name": name}, "type": type_, "reason": reason, "message": message, "count": count, "firstTimestamp": ago(240), "lastTimestamp": ago(30)})
}

fn names(finding: &Finding, kind: &str) -> Vec<String> {
    finding
        .members
        .iter()
        .filter(|m| m.kind == kind)
        .map(|m| m.name.clone())
        .collect()
}

#[test]
fn a_healthy_cluster_has_no_findings() {
    let findings = run(vec![
        ready_node("worker-1"),
        ready_pod("shop", "web-1", "web", "worker-1"),
        json!({"kind": "Namespace", "metadata": {"name": "shop"}, "status": {"phase": "Active"}}),
    ]);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn five_oomkilled_pods_of_one_deployment_are_one_finding() {
    let oom = json!({"containerStatuses": [{"name": "app", "ready": false, "restartCount": 7, "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "finishedAt": ago(60)}}}]});
    let mut objects: Vec<Value> = (0..5)
        .map(|i| {
            pod(
                "shop",
                &format!("checkout-{i}"),
                Some("checkout"),
                "worker-1",
                oom.clone(),
            )
        })
        .collect();
    objects.push(ready_node("worker-1"));
    let findings = run(objects);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.cause, "OOMKilled (memory limit 256Mi)");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.pods, 5);
    assert_eq!(names(finding, "Pod").len(), 5);
    assert_eq!(finding.scope.display(), "shop/checkout");
    assert_eq!(
        finding.since,
        Some(now() - jiff::SignedDuration::from_secs(600))
    );
    assert!(
        finding.hints[0].contains("memory limit is 256Mi"),
        "{:?}",
        finding.hints
    );
}

#[test]
fn image_not_found_and_unauthorized_are_told_apart_and_name_the_image() {
    let mut missing = pod(
        "shop",
        "web-canary-1",
        Some("web-canary"),
        "w",
        waiting("ImagePullBackOff", "Back-off pulling image"),
    );
    missing["spec"]["containers"][0]["image"] = json!("nginx:1.27-alpne");
    let mut private = pod(
        "shop",
        "cart-1",
        Some("cart"),
        "w",
        waiting("ErrImagePull", "failed to pull"),
    );
    private["spec"]["containers"][0]["image"] = json!("registry.example.com/private:2");
    let findings = run(vec![
        missing,
        private,
        event(
            "shop",
            "Pod",
            "web-canary-1",
            "Warning",
            "Failed",
            "Failed to pull image \"nginx:1.27-alpne\": rpc error: code = NotFound desc = nginx:1.27-alpne: not found",
            3,
        ),
        event(
            "shop",
            "Pod",
            "web-canary-1",
            "Warning",
            "Failed",
            "Error: ImagePullBackOff",
            9,
        ),
        event(
            "shop",
            "Pod",
            "cart-1",
            "Warning",
            "Failed",
            "Failed to pull image \"registry.example.com/private:2\": 401 Unauthorized",
            3,
        ),
    ]);
    let causes: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
    assert!(
        causes.contains(&"image not found: nginx:1.27-alpne"),
        "{causes:?}"
    );
    assert!(
        causes.contains(&"image pull unauthorized: registry.example.com/private:2"),
        "{causes:?}"
    );
    assert_eq!(findings.len(), 2);
}

#[test]
fn a_missing_configmap_shared_by_two_workloads_is_one_finding_naming_both() {
    let error = waiting(
        "CreateContainerConfigError",
        "configmap \"api-settings\" not found",
    );
    let findings = run(vec![
        pod(
            "payments",
            "api-1",
            Some("payments-api"),
            "w",
            error.clone(),
        ),
        pod("payments", "worker-1", Some("payments-worker"), "w", error),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.cause, "missing ConfigMap api-settings");
    assert_eq!(finding.pods, 2);
    let workloads: Vec<&str> = finding
        .scope
        .workloads
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(workloads, ["payments-api", "payments-worker"]);
    assert_eq!(
        finding.scope.display(),
        "payments: payments-api, payments-worker"
    );
}

#[test]
fn a_missing_secret_volume_is_read_from_the_failed_mount() {
    let creating = waiting("ContainerCreating", "");
    let findings = run(vec![
        pod("payments", "ledger-1", Some("ledger"), "w", creating),
        event(
            "payments",
            "Pod",
            "ledger-1",
            "Warning",
            "FailedMount",
            "MountVolume.SetUp failed for volume \"tls\" : secret \"ledger-tls\" not found",
            4,
        ),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "missing Secret ledger-tls");
    assert_eq!(
        missing_reference("secret \"x\" not found"),
        Some(("Secret", "x".to_string()))
    );
    assert_eq!(
        missing_reference("couldn't find key password in Secret payments/db"),
        None
    );
}

#[test]
fn unschedulable_pods_carry_the_schedulers_reasons() {
    let message = "0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 5 Insufficient cpu. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.";
    let mut pending = pod("batch", "train-1", None, "", json!({"phase": "Pending"}));
    pending["status"]["conditions"] = json!([{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message, "lastTransitionTime": ago(60)}]);
    let findings = run(vec![pending]);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].cause,
        "unschedulable: untolerated taint node-role.kubernetes.io/control-plane, Insufficient cpu"
    );
    assert!(findings[0].evidence[0].contains(message));
    assert_eq!(
        scheduler_reasons(
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
        ),
        ["node(s) didn't match Pod's node affinity/selector"]
    );
}

#[test]
fn init_containers_failing_or_never_finishing() {
    let crashing = json!({"phase": "Pending", "initContainerStatuses": [{"name": "migrate", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(30)}}}], "containerStatuses": [{"name": "app", "ready": false, "state": {"waiting": {"reason": "PodInitializing"}}}]});
    let waiting_forever = json!({"phase": "Pending", "initContainerStatuses": [{"name": "wait-for-db", "ready": false, "state": {"running": {"startedAt": ago(1200)}}}], "containerStatuses": [{"name": "app", "ready": false, "state": {"waiting": {"reason": "PodInitializing"}}}]});
    let mut orders = pod("shop", "orders-0", None, "w", crashing);
    orders["spec"]["initContainers"] = json!([{"name": "migrate", "image": "orders:migrate"}]);
    let mut notifications = pod(
        "payments",
        "notifications-1",
        Some("notifications"),
        "w",
        waiting_forever,
    );
    notifications["spec"]["initContainers"] =
        json!([{"name": "wait-for-db", "image": "wait-for:1"}]);
    let findings = run(vec![orders, notifications]);
    let causes: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
    assert!(
        causes.contains(&"init container migrate: CrashLoopBackOff (exit code 1)"),
        "{causes:?}"
    );
    assert!(
        causes.contains(&"init container wait-for-db not finishing"),
        "{causes:?}"
    );
}

#[test]
fn a_failing_readiness_probe() {
    let mut running = pod(
        "shop",
        "indexer-1",
        Some("indexer"),
        "w",
        json!({"containerStatuses": [{"name": "app", "ready": false, "state": {"running": {"startedAt": ago(3600)}}}]}),
    );
    running["spec"]["containers"][0]["readinessProbe"] =
        json!({"httpGet": {"path": "/ready", "port": 9200}});
    let findings = run(vec![
        running,
        event(
            "shop",
            "Pod",
            "indexer-1",
            "Warning",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            200,
        ),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "readiness probe failing");
    assert!(findings[0].evidence[0].contains("statuscode: 503"));
}

#[test]
fn evicted_pods_with_the_resource() {
    let evicted = pod(
        "data",
        "spark-1",
        Some("spark"),
        "w",
        json!({"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 82Mi."}),
    );
    let findings = run(vec![evicted]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].cause, "Evicted: node low on memory");
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[test]
fn stuck_terminating_names_the_finalizer_and_not_while_the_grace_period_runs() {
    let mut held = ready_pod("shop", "web-1", "web", "w");
    held["metadata"]["deletionTimestamp"] = json!(ago(900));
    held["metadata"]["finalizers"] = json!(["example.com/cleanup"]);
    let mut graceful = ready_pod("shop", "web-2", "web", "w");
    graceful["metadata"]["deletionTimestamp"] =
        json!((now() + jiff::SignedDuration::from_secs(20)).to_string());
    let findings = run(vec![held, graceful]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        findings[0].cause,
        "stuck Terminating: finalizer example.com/cleanup"
    );
    assert_eq!(names(&findings[0], "Pod"), ["web-1"]);
}

#[test]
fn pods_on_an_unreachable_node_are_members_of_the_nodes_finding() {
    let mut lost = pod(
        "data",
        "cache-2",
        None,
        "worker-5",
        json!({"reason": "NodeLost", "message": "Node worker-5 which was running pod cache-2 is unresponsive"}),
    );
    lost["metadata"]["deletionTimestamp"] = json!(ago(60));
    let stale = ready_pod("data", "connect-1", "connect", "worker-5");
    let findings = run(vec![
        node(
            "worker-5",
            json!([{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status.", "lastTransitionTime": ago(400)}]),
        ),
        ready_node("worker-1"),
        lost,
        stale,
        ready_pod("data", "cache-0", "cache", "worker-1"),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.cause, "node unreachable");
    assert_eq!(names(finding, "Node"), ["worker-5"]);
    assert_eq!(names(finding, "Pod"), ["cache-2", "connect-1"]);
    assert_eq!(finding.pods, 2);
    assert!(finding.evidence.iter().any(|e| e.contains("NodeLost")));
}

#[test]
fn pressure_and_long_cordons_but_not_a_fresh_cordon() {
    let mut pressured = ready_node("worker-2");
    pressured["status"]["conditions"] = json!([{"type": "MemoryPressure", "status": "True", "reason": "KubeletHasInsufficientMemory", "message": "kubelet has insufficient memory available"}, {"type": "Ready", "status": "True"}]);
    let mut old_cordon = ready_node("worker-4");
    old_cordon["spec"] = json!({"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ago(3 * 3600)}]});
    let mut fresh_cordon = ready_node("worker-6");
    fresh_cordon["spec"] = json!({"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ago(120)}]});
    let findings = run(vec![pressured, old_cordon, fresh_cordon]);
    let causes: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
    assert_eq!(causes, ["MemoryPressure", "cordoned (SchedulingDisabled)"]);
    assert_eq!(names(&findings[1], "Node"), ["worker-4"]);
}

#[test]
fn a_namespace_stuck_terminating() {
    let findings = run(vec![
        json!({"kind": "Namespace", "metadata": {"name": "legacy", "deletionTimestamp": ago(7200)}, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Terminating", "conditions": [{"type": "NamespaceFinalizersRemaining", "status": "True", "reason": "SomeFinalizersRemain", "message": "Some content in the namespace has finalizers remaining: cephcluster.ceph.rook.io in 1 resource instances"}]}}),
        json!({"kind": "Namespace", "metadata": {"name": "going", "deletionTimestamp": ago(20)}, "status": {"phase": "Terminating"}}),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "namespace stuck Terminating");
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.contains("cephcluster.ceph.rook.io"))
    );
}

fn deployment(name: &str, replicas: i64, available: i64, conditions: Value) -> Value {
    json!({"kind": "Deployment", "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}")}, "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "app", "image": "app:1"}]}}}, "status": {"replicas": replicas, "availableReplicas": available, "unavailableReplicas": replicas - available, "conditions": conditions}})
}

#[test]
fn a_short_workload_is_named_on_its_pods_finding_or_found_on_its_own() {
    let crash = json!({"containerStatuses": [{"name": "app", "ready": false, "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"reason": "Error", "exitCode": 2, "finishedAt": ago(20)}}}]});
    let findings = run(vec![
        deployment("checkout", 2, 1, json!([])),
        pod("shop", "checkout-1", Some("checkout"), "w", crash),
        deployment(
            "stuck",
            3,
            3,
            json!([{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"stuck-6b\" has timed out progressing.", "lastTransitionTime": ago(900)}]),
        ),
    ]);
    let causes: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
    assert_eq!(
        causes,
        [
            "CrashLoopBackOff (exit code 2)",
            "rollout stuck: ProgressDeadlineExceeded"
        ],
        "{findings:#?}"
    );
    assert_eq!(names(&findings[0], "Deployment"), ["checkout"]);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e == "deployment/checkout: 1/2 ready")
    );
    assert_eq!(names(&findings[1], "Deployment"), ["stuck"]);
}

#[test]
fn a_workload_whose_pods_are_refused_says_why_without_the_refused_pods_name() {
    let refused = |pod: &str| {
        deployment(
            "dashboards",
            3,
            2,
            json!([{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "lastTransitionTime": ago(3600),
                    "message": format!("pods \"{pod}\" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m")}]),
        )
    };
    let mut set = json!({"kind": "ReplicaSet", "metadata": {"name": "dashboards-6d5c", "namespace": "shop", "uid": "rs-6d5c",
        "ownerReferences": [{"kind": "Deployment", "name": "dashboards", "uid": "uid-dashboards", "controller": true}]},
        "spec": {"replicas": 3}, "status": {"replicas": 2, "readyReplicas": 2}});
    set["status"]["conditions"] = refused("dashboards-6d5c-x2k9p")["status"]["conditions"].clone();
    let findings = run(vec![refused("dashboards-6d5c-x2k9p"), set]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(names(&findings[0], "ReplicaSet"), ["dashboards-6d5c"]);
    assert!(findings[0].since.is_some());
    assert_eq!(
        findings[0].cause,
        "cannot create pods: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m"
    );
    assert_eq!(findings[0].pods, 1);
    assert!(
        findings[0]
            .hints
            .iter()
            .any(|h| h.contains("raise the quota")),
        "{findings:#?}"
    );
    assert_eq!(
        run(vec![refused("dashboards-6d5c-7hq2z")])[0].cause,
        findings[0].cause
    );
}

#[test]
fn a_failed_job_holds_its_pods() {
    let job = json!({"kind": "Job", "metadata": {"name": "etl", "namespace": "batch", "uid": "job-uid"}, "spec": {"backoffLimit": 1, "selector": {"matchLabels": {"job-name": "etl"}}}, "status": {"failed": 2, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": ago(100)}]}});
    let failed_pod = |name: &str| {
        let mut p = pod(
            "batch",
            name,
            None,
            "w",
            json!({"phase": "Failed", "containerStatuses": [{"name": "app", "state": {"terminated": {"exitCode": 2, "reason": "Error"}}}]}),
        );
        p["metadata"]["labels"] = json!({"job-name": "etl"});
        p["metadata"]["ownerReferences"] =
            json!([{"kind": "Job", "name": "etl", "uid": "job-uid", "controller": true}]);
        p
    };
    let findings = run(vec![job, failed_pod("etl-a"), failed_pod("etl-b")]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "Job failed: BackoffLimitExceeded");
    assert_eq!(findings[0].pods, 2);
    assert_eq!(names(&findings[0], "Pod"), ["etl-a", "etl-b"]);
}

#[test]
fn a_service_without_ready_endpoints_comes_first_and_names_its_pods_cause() {
    let oom = json!({"containerStatuses": [{"name": "app", "ready": false, "restartCount": 7, "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]});
    let mut objects: Vec<Value> = (0..3)
        .map(|i| {
            pod(
                "shop",
                &format!("big-{i}"),
                Some("big"),
                "w",
                waiting("ImagePullBackOff", ""),
            )
        })
        .collect();
    objects.push(pod("shop", "checkout-1", Some("checkout"), "w", oom));
    objects.push(json!({"kind": "Service", "metadata": {"name": "checkout", "namespace": "shop"}, "spec": {"selector": {"app": "checkout"}}}));
    objects.push(json!({"kind": "Service", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"selector": {"app": "web"}}}));
    objects.push(ready_pod("shop", "web-1", "web", "w"));
    let findings = run(objects);
    let causes: Vec<&str> = findings.iter().map(|f| f.cause.as_str()).collect();
    assert_eq!(
        causes,
        [
            "Service without ready endpoints",
            "image pull failing: registry.example.com/app:1",
            "OOMKilled (memory limit 256Mi)"
        ],
        "{findings:#?}"
    );
    assert_eq!(names(&findings[0], "Service"), ["checkout"]);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e == "its pods are down: OOMKilled (memory limit 256Mi)")
    );
}

#[test]
fn a_burst_of_warning_events_nothing_else_explains() {
    let findings = run(vec![
        event(
            "shop",
            "Ingress",
            "web",
            "Warning",
            "SyncFailed",
            "could not sync",
            14,
        ),
        event("shop", "Ingress", "api", "Warning", "Rejected", "once", 2),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "Warning events: SyncFailed ×14");
    assert!(findings[0].new);
}

#[test]
fn cron_jobs_missing_their_schedules() {
    let cron = json!({"kind": "CronJob", "metadata": {"name": "report", "namespace": "batch", "uid": "cj"}, "spec": {"schedule": "*/15 * * * *", "jobTemplate": {"spec": {}}}, "status": {"lastScheduleTime": ago(7200)}});
    let findings = run(vec![
        cron,
        event(
            "batch",
            "CronJob",
            "report",
            "Warning",
            "TooManyMissedTimes",
            "too many missed start times: 101. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
            1,
        ),
    ]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].cause, "missing schedules: TooManyMissedTimes");
}

#[test]
fn a_claim_pending_on_a_missing_class_holds_the_pod_waiting_on_it() {
    let claim = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-db-0", "namespace": "shop", "uid": "uid-claim", "creationTimestamp": ago(1800)},
        "spec": {"storageClassName": "fast-ssd"}, "status": {"phase": "Pending"}});
    let mut waiting_pod = pod(
        "shop",
        "db-0",
        None,
        "",
        json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
               "message": "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."}]}),
    );
    waiting_pod["spec"]["volumes"] =
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}}]);
    let mut failed = event(
        "shop",
        "PersistentVolumeClaim",
        "data-db-0",
        "Warning",
        "ProvisioningFailed",
        "storageclass.storage.k8s.io \"fast-ssd\" not found",
        107,
    );
    failed["involvedObject"]["uid"] = json!("uid-claim");
    let list = json!({"kind": "List", "items": [waiting_pod, failed]});
    let mut objects = parse_objects(&list.to_string()).unwrap();
    objects.push(crate::model::manifest::KubeObject::Workload(
        "PersistentVolumeClaim".into(),
        Box::new(claim.clone()),
    ));
    let findings = triage_objects(&objects, now());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(
        finding.cause,
        "volume claim Pending: storageclass.storage.k8s.io \"fast-ssd\" not found"
    );
    assert_eq!(finding.severity, Severity::Critical, "a pod waits on it");
    assert_eq!(names(finding, "PersistentVolumeClaim"), ["data-db-0"]);
    assert_eq!(
        names(finding, "Pod"),
        ["db-0"],
        "the pod is under its claim"
    );
    assert!(finding.hints[0].contains("No StorageClass \"fast-ssd\" exists"));

    // Waiting for its first consumer, with no Warning, is no finding.
    let mut objects = parse_objects(&json!({"kind": "List", "items": []}).to_string()).unwrap();
    objects.push(crate::model::manifest::KubeObject::Workload(
        "PersistentVolumeClaim".into(),
        Box::new(claim),
    ));
    assert!(triage_objects(&objects, now()).is_empty());
}
