use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::*;

fn now() -> Timestamp {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

fn list(value: Value) -> ResourceList {
    read_list(Some(&value))
}

fn pod(name: &str, containers: Value) -> Value {
    json!({"metadata": {"name": name, "namespace": "ns"}, "spec": {"containers": containers}, "status": {"phase": "Running"}})
}

fn quota(name: &str, hard: Value, used: Value) -> QuotaState {
    QuotaState::of(&json!({
        "metadata": {"name": name},
        "spec": {"hard": hard},
        "status": {"hard": hard, "used": used},
    }))
}

#[test]
fn a_pod_uses_its_containers_requests_and_limits_under_every_name_quotas_give_them() {
    let pod = pod(
        "web",
        json!([
            {"name": "a", "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}},
            {"name": "b", "resources": {"requests": {"cpu": "0.25", "memory": "256Mi", "nvidia.com/gpu": "1"}}},
        ]),
    );
    let used = usage("", "pods", &pod, now());
    let shown: Vec<String> = used.iter().map(|(n, q)| format!("{n}={q}")).collect();
    assert_eq!(
        shown,
        [
            "count/pods=1",
            "cpu=500m",
            "limits.cpu=500m",
            "limits.memory=256Mi",
            "memory=384Mi",
            "pods=1",
            "requests.cpu=500m",
            "requests.memory=384Mi",
            "requests.nvidia.com/gpu=1",
        ]
    );
}

#[test]
fn a_finished_pod_or_one_past_its_grace_period_only_counts_as_an_object() {
    let mut done = pod(
        "done",
        json!([{"name": "c", "resources": {"requests": {"cpu": "1"}}}]),
    );
    done["status"]["phase"] = json!("Succeeded");
    assert_eq!(
        usage("", "pods", &done, now()).keys().collect::<Vec<_>>(),
        ["count/pods"]
    );
    let mut stuck = pod(
        "stuck",
        json!([{"name": "c", "resources": {"requests": {"cpu": "1"}}}]),
    );
    stuck["metadata"]["deletionTimestamp"] = json!("2026-03-01T11:00:00Z");
    stuck["metadata"]["deletionGracePeriodSeconds"] = json!(30);
    assert!(!usage("", "pods", &stuck, now()).contains_key("pods"));
    stuck["metadata"]["deletionTimestamp"] = json!("2026-03-01T11:59:50Z");
    assert!(usage("", "pods", &stuck, now()).contains_key("pods"));
}

#[test]
fn the_largest_init_container_beside_the_sidecars_counts_when_it_asks_more() {
    let mut pod = pod(
        "p",
        json!([{"name": "app", "resources": {"requests": {"cpu": "500m"}}}]),
    );
    pod["spec"]["initContainers"] = json!([
        {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
        {"name": "migrate", "resources": {"requests": {"cpu": "2"}}},
    ]);
    assert_eq!(
        usage("", "pods", &pod, now())["requests.cpu"].to_string(),
        "2100m"
    );
}

#[test]
fn a_quota_on_compute_resources_needs_every_container_to_name_them() {
    let quotas = [quota(
        "compute",
        json!({"limits.cpu": "2", "limits.memory": "1Gi", "requests.cpu": "1"}),
        json!({"limits.cpu": "0", "limits.memory": "0", "requests.cpu": "0"}),
    )];
    let pod = pod(
        "x",
        json!([
            {"name": "c2", "resources": {"requests": {"cpu": "100m"}}},
            {"name": "c1", "resources": {}},
        ]),
    );
    let refusal = check(&quotas, "", "pods", &pod, None, now()).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "failed quota: compute: must specify limits.cpu for: c1,c2; limits.memory for: c1,c2; requests.cpu for: c1"
    );
}

#[test]
fn a_pod_over_the_quota_is_refused_with_what_it_asked_what_is_used_and_the_limit() {
    let quotas = [quota(
        "compute",
        json!({"pods": "10", "requests.cpu": "2", "requests.memory": "4Gi"}),
        json!({"pods": "4", "requests.cpu": "1800m", "requests.memory": "1Gi"}),
    )];
    let web = pod(
        "web-abc",
        json!([{"name": "nginx", "resources": {"requests": {"cpu": "500m", "memory": "256Mi"}}}]),
    );
    let refusal = check(&quotas, "", "pods", &web, None, now()).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1800m, limited: requests.cpu=2"
    );
    // One that fits is charged to the quota; it must still name the memory the quota limits.
    assert_eq!(
        check(&quotas, "", "pods", &pod_with_cpu("100m"), None, now())
            .unwrap_err()
            .to_string(),
        "failed quota: compute: must specify requests.memory for: c"
    );
    let small = pod(
        "small",
        json!([{"name": "c", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]),
    );
    let charges = check(&quotas, "", "pods", &small, None, now()).unwrap();
    assert_eq!(charges.len(), 1);
    assert_eq!(
        pretty_print(&charges[0].used),
        "pods=5,requests.cpu=1900m,requests.memory=1088Mi"
    );
}

fn pod_with_cpu(cpu: &str) -> Value {
    pod(
        "small",
        json!([{"name": "c", "resources": {"requests": {"cpu": cpu}}}]),
    )
}

#[test]
fn a_quota_not_yet_counted_matches_nothing_and_one_half_counted_refuses() {
    let uncounted =
        QuotaState::of(&json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "1"}}}));
    assert_eq!(
        check(&[uncounted], "", "pods", &pod_with_cpu("1"), None, now()),
        Ok(Vec::new())
    );
    let half = quota(
        "q",
        json!({"pods": "1", "requests.cpu": "1"}),
        json!({"pods": "0"}),
    );
    assert_eq!(
        check(&[half], "", "pods", &pod_with_cpu("1"), None, now())
            .unwrap_err()
            .to_string(),
        "status unknown for quota: q, resources: pods,requests.cpu"
    );
}

#[test]
fn object_counts_and_services_are_charged_by_their_own_names() {
    let quotas = [quota(
        "objects",
        json!({"configmaps": "2", "count/deployments.apps": "1", "services.nodeports": "1"}),
        json!({"configmaps": "2", "count/deployments.apps": "0", "services.nodeports": "0"}),
    )];
    let config_map = json!({"metadata": {"name": "cm"}});
    assert_eq!(
        check(&quotas, "", "configmaps", &config_map, None, now())
            .unwrap_err()
            .to_string(),
        "exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2"
    );
    let deployment = json!({"metadata": {"name": "d"}});
    let charges = check(&quotas, "apps", "deployments", &deployment, None, now()).unwrap();
    assert_eq!(charges[0].used["count/deployments.apps"].to_string(), "1");
    let node_port = json!({"metadata": {"name": "s"}, "spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 443}]}});
    assert_eq!(
        check(&quotas, "", "services", &node_port, None, now())
            .unwrap_err()
            .to_string(),
        "exceeded quota: objects, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1"
    );
    // An update is charged what it adds: a ClusterIP Service becoming a NodePort one.
    let cluster_ip =
        json!({"metadata": {"name": "s"}, "spec": {"type": "ClusterIP", "ports": [{"port": 80}]}});
    let one_port =
        json!({"metadata": {"name": "s"}, "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
    let charges = check(&quotas, "", "services", &one_port, Some(&cluster_ip), now()).unwrap();
    assert_eq!(
        pretty_print(&charges[0].used),
        "configmaps=2,count/deployments.apps=0,services.nodeports=1"
    );
}

#[test]
fn the_controller_sums_each_tracked_resource_over_the_namespace_zero_when_nothing_counts() {
    let hard = list(json!({
        "pods": "10", "count/pods": "20", "requests.cpu": "2", "limits.memory": "2Gi",
        "secrets": "5", "requests.storage": "10Gi", "fast.storageclass.storage.k8s.io/requests.storage": "1Ti",
        "count/widgets.example.com": "3",
    }));
    let running = pod(
        "a",
        json!([{"name": "c", "resources": {"requests": {"cpu": "250m"}, "limits": {"memory": "128Mi"}}}]),
    );
    let mut failed = pod(
        "b",
        json!([{"name": "c", "resources": {"requests": {"cpu": "1"}}}]),
    );
    failed["status"]["phase"] = json!("Failed");
    let claim = json!({"metadata": {"name": "data"}, "spec": {"storageClassName": "fast", "resources": {"requests": {"storage": "1.5Gi"}}}});
    let used = used(&hard, &[], now(), |group, plural| match (group, plural) {
        ("", "pods") => Some(vec![Arc::new(running.clone()), Arc::new(failed.clone())]),
        ("", "persistentvolumeclaims") => Some(vec![Arc::new(claim.clone())]),
        ("", "secrets") => Some(Vec::new()),
        _ => None,
    });
    assert_eq!(
        pretty_print(&used),
        "count/pods=2,fast.storageclass.storage.k8s.io/requests.storage=1536Mi,limits.memory=128Mi,pods=1,requests.cpu=250m,requests.storage=1536Mi,secrets=0"
    );
}

#[test]
fn scopes_pick_pods_and_a_scoped_quota_counts_nothing_else() {
    let scoped = json!({"spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort"], "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["low"]}]}}});
    let scopes = scopes(&scoped);
    let mut best_effort = pod("a", json!([{"name": "c"}]));
    best_effort["spec"]["priorityClassName"] = json!("low");
    assert!(matches_scopes("", "pods", &best_effort, &scopes));
    let mut burstable = pod(
        "b",
        json!([{"name": "c", "resources": {"requests": {"cpu": "1"}}}]),
    );
    burstable["spec"]["priorityClassName"] = json!("low");
    assert!(!matches_scopes("", "pods", &burstable, &scopes));
    best_effort["spec"]["priorityClassName"] = json!("high");
    assert!(!matches_scopes("", "pods", &best_effort, &scopes));
    assert!(!matches_scopes("", "configmaps", &json!({}), &scopes));
}

#[test]
fn quota_resources_name_the_objects_they_count() {
    let counted = |name: &str| counted_resource(name).map(|(g, p)| format!("{g}/{p}"));
    assert_eq!(counted("requests.cpu").as_deref(), Some("/pods"));
    assert_eq!(
        counted("requests.ephemeral-storage").as_deref(),
        Some("/pods")
    );
    assert_eq!(
        counted("requests.storage").as_deref(),
        Some("/persistentvolumeclaims")
    );
    assert_eq!(
        counted("count/deployments.apps").as_deref(),
        Some("apps/deployments")
    );
    assert_eq!(counted("configmaps").as_deref(), Some("/configmaps"));
    assert_eq!(
        counted("services.loadbalancers").as_deref(),
        Some("/services")
    );
    assert_eq!(
        counted("requests.example.com/fpga").as_deref(),
        Some("/pods")
    );
    assert_eq!(counted("bogus"), None);
}

#[test]
fn lists_read_numbers_and_strings_and_write_canonical_text() {
    let read = list(json!({"cpu": "2000m", "memory": "1024Mi", "pods": 10, "bad": "x"}));
    assert_eq!(
        list_json(&read),
        json!({"cpu": "2", "memory": "1Gi", "pods": "10"})
    );
    assert!(equals(
        &read,
        &list(json!({"cpu": "2", "memory": "1Gi", "pods": "1e1"}))
    ));
}
