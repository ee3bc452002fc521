use serde_json::{Value, json};

use super::*;

fn range(limits: Value) -> Value {
    let mut range = json!({"metadata": {"name": "limits"}, "spec": {"limits": limits}});
    default_items(&mut range);
    range
}

fn pod(containers: Value) -> Value {
    json!({"metadata": {"name": "x"}, "spec": {"containers": containers}})
}

#[test]
fn a_container_item_defaults_its_limit_to_the_max_and_its_request_to_the_limit_or_the_min() {
    let range = range(json!([
        {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}, "default": {"memory": "512Mi"}},
        {"type": "Pod", "max": {"cpu": "4"}},
    ]));
    assert_eq!(
        range["spec"]["limits"][0]["default"],
        json!({"cpu": "2", "memory": "512Mi"})
    );
    assert_eq!(
        range["spec"]["limits"][0]["defaultRequest"],
        json!({"cpu": "2", "memory": "512Mi"})
    );
    assert!(range["spec"]["limits"][1].get("default").is_none());
}

#[test]
fn containers_get_what_they_do_not_set_and_the_pod_says_so() {
    let range = range(json!([{"type": "Container",
        "default": {"cpu": "500m", "memory": "512Mi"},
        "defaultRequest": {"cpu": "250m", "memory": "256Mi"}}]));
    let mut pod = pod(json!([
        {"name": "nginx", "resources": {}},
        {"name": "sidecar", "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "100m"}}},
    ]));
    apply_defaults(&range, &mut pod);
    assert_eq!(
        pod["spec"]["containers"][0]["resources"],
        json!({"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}})
    );
    assert_eq!(
        pod["spec"]["containers"][1]["resources"],
        json!({"limits": {"cpu": "100m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}})
    );
    assert_eq!(
        pod["metadata"]["annotations"][ANNOTATION],
        "LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx; memory request for container sidecar; memory limit for container sidecar"
    );
    // Nothing to set, nothing said.
    let mut set = pod.clone();
    set["metadata"] = json!({"name": "y"});
    apply_defaults(&range, &mut set);
    assert!(set["metadata"].get("annotations").is_none());
}

#[test]
fn containers_outside_the_range_are_refused_in_the_plugins_words() {
    let range = range(json!([{"type": "Container",
        "max": {"cpu": "2"}, "min": {"memory": "64Mi"}, "maxLimitRequestRatio": {"cpu": "2"}}]));
    let over = pod(json!([{"name": "c", "resources": {
        "requests": {"cpu": "1", "memory": "128Mi"}, "limits": {"cpu": "3"}}}]));
    assert_eq!(
        check_pod(&range, &over),
        Err("[maximum cpu usage per Container is 2, but limit is 3, cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000]".into())
    );
    let no_request = pod(json!([{"name": "c", "resources": {
        "requests": {"cpu": "1"}, "limits": {"cpu": "1500m"}}}]));
    assert_eq!(
        check_pod(&range, &no_request),
        Err("minimum memory usage per Container is 64Mi.  No request is specified".into())
    );
    let fits = pod(json!([{"name": "c", "resources": {
        "requests": {"cpu": "1", "memory": "64Mi"}, "limits": {"cpu": "2"}}}]));
    assert_eq!(check_pod(&range, &fits), Ok(()));
}

#[test]
fn pod_items_limit_the_pods_totals_and_claim_items_the_storage_asked_for() {
    let range = range(json!([
        {"type": "Pod", "max": {"memory": "1Gi"}},
        {"type": "PersistentVolumeClaim", "max": {"storage": "10Gi"}, "min": {"storage": "1Gi"}},
    ]));
    let big = pod(json!([
        {"name": "a", "resources": {"requests": {"memory": "512Mi"}, "limits": {"memory": "768Mi"}}},
        {"name": "b", "resources": {"requests": {"memory": "256Mi"}, "limits": {"memory": "512Mi"}}},
    ]));
    assert_eq!(
        check_pod(&range, &big),
        Err("maximum memory usage per Pod is 1Gi, but limit is 1280Mi".into())
    );
    let claim = json!({"spec": {"resources": {"requests": {"storage": "20Gi"}}}});
    assert_eq!(
        check_claim(&range, &claim),
        Err("maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi".into())
    );
}

#[test]
fn a_range_whose_bounds_contradict_each_other_is_invalid() {
    let range = range(json!([
        {"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}},
        {"type": "Container", "max": {"memory": "1Gi"}},
        {"type": "Pod", "default": {"cpu": "1"}},
    ]));
    let problems = validate(&range);
    assert!(problems.contains(&Problem::Invalid {
        field: "spec.limits[0].min[cpu]".into(),
        value: r#"resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}"#.into(),
        detail: "min value 2 is greater than max value 1".into(),
    }), "{problems:#?}");
    assert!(problems.contains(&Problem::Duplicate {
        field: "spec.limits[1].type".into(),
        value: "Container".into(),
    }));
    assert!(problems.contains(&Problem::Forbidden {
        field: "spec.limits[2].default".into(),
        detail: "may not be specified when `type` is 'Pod'".into(),
    }));
}
