//! Tests of `actions.rs`.

use super::*;

#[test]
fn grace_periods_follow_kubectl() {
    let choice = |grace, force| DeleteChoice {
        grace_period_seconds: grace,
        force,
    };
    assert_eq!(choice(None, false).grace_period(), Ok(None));
    assert_eq!(choice(Some(-1), false).grace_period(), Ok(None));
    assert_eq!(choice(Some(0), false).grace_period(), Ok(Some(1)));
    assert_eq!(choice(Some(45), false).grace_period(), Ok(Some(45)));
    assert_eq!(choice(None, true).grace_period(), Ok(Some(0)));
    assert_eq!(choice(Some(0), true).grace_period(), Ok(Some(0)));
    assert!(choice(Some(5), true).grace_period().is_err());
}

#[test]
fn manual_job_names_stay_label_values() {
    assert_eq!(manual_job_name("report", "b2c4d"), "report-manual-b2c4d");
    let long = "c".repeat(52);
    let name = manual_job_name(&long, "b2c4d");
    assert_eq!(name.len(), 63);
    assert!(name.ends_with("-manual-b2c4d"));
}

#[test]
fn suffixes_use_the_name_alphabet_and_differ() {
    let now = Timestamp::UNIX_EPOCH;
    let suffixes: std::collections::HashSet<String> = (0..20).map(|_| random_suffix(now)).collect();
    assert!(suffixes.len() > 15, "{suffixes:?}");
    for suffix in &suffixes {
        assert_eq!(suffix.len(), NAME_SUFFIX_LENGTH);
        assert!(suffix.bytes().all(|b| NAME_SUFFIX_ALPHABET.contains(&b)));
    }
}

#[test]
fn restarted_at_is_rfc3339_in_whole_seconds() {
    let now: Timestamp = "2026-11-21T10:00:00.123456Z".parse().expect("a timestamp");
    assert_eq!(restarted_at_text(now), "2026-11-21T10:00:00Z");
}

#[test]
fn a_job_from_a_cronjob_carries_the_template_and_the_owner() {
    let cronjob = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "report", "namespace": "batch", "uid": "u-1"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {
            "metadata": {"labels": {"team": "data"}, "annotations": {"note": "x"}},
            "spec": {"backoffLimit": 2, "template": {"spec": {"containers": []}}}
        }}
    });
    let job = job_from_cronjob(&cronjob, "report-manual-b2c4d");
    assert_eq!(
        job,
        json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {
                "name": "report-manual-b2c4d", "namespace": "batch",
                "annotations": {"cronjob.kubernetes.io/instantiate": "manual", "note": "x"},
                "labels": {"team": "data"},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "report", "uid": "u-1", "controller": true}]
            },
            "spec": {"backoffLimit": 2, "template": {"spec": {"containers": []}}}
        })
    );
}

/// The seeded `orders` StatefulSet as the simulator serves it (the parts a patch reads).
fn orders() -> Value {
    let container = |name: &str, image: &str| {
        json!({"name": name, "image": image, "imagePullPolicy": "IfNotPresent", "resources": {},
                   "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"})
    };
    json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "orders", "namespace": "shop", "labels": {"app": "orders"}},
        "spec": {"replicas": 1, "template": {
            "metadata": {"labels": {"app": "orders"}},
            "spec": {
                "initContainers": [
                    container("migrate", "registry.example.com/shop/orders:5.1.0-migrate"),
                    container("warm-cache", "busybox:1.37"),
                ],
                "containers": [container("orders", "registry.example.com/shop/orders:5.1.0")],
            }
        }}
    })
}

/// Request bodies kubectl 1.37 sent for the same objects (`-v=9`), byte for byte.
#[test]
fn patches_are_the_bodies_kubectl_sends() {
    let target = ObjectRef::watched(WatchedKind::StatefulSets, "shop", "orders");
    let body = |patch: Value| serde_json::to_string(&patch).expect("JSON");
    let one = set_image_patch(&target, &orders(), "warm-cache", "busybox:1.38")
        .expect("a patch")
        .expect("a change");
    assert_eq!(
        body(one),
        r#"{"spec":{"template":{"spec":{"$setElementOrder/initContainers":[{"name":"migrate"},{"name":"warm-cache"}],"initContainers":[{"image":"busybox:1.38","name":"warm-cache"}]}}}}"#
    );
    let all = set_image_patch(&target, &orders(), "*", "busybox:1.38")
        .expect("a patch")
        .expect("a change");
    assert_eq!(
        body(all),
        r#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"orders"}],"$setElementOrder/initContainers":[{"name":"migrate"},{"name":"warm-cache"}],"containers":[{"image":"busybox:1.38","name":"orders"}],"initContainers":[{"image":"busybox:1.38","name":"migrate"},{"image":"busybox:1.38","name":"warm-cache"}]}}}}"#
    );
    assert_eq!(
        set_image_patch(&target, &orders(), "warm-cache", "busybox:1.37"),
        Ok(None)
    );
    assert_eq!(
        set_image_patch(&target, &orders(), "nope", "x:1"),
        Err("unable to find container named \"nope\"".to_string())
    );

    let now: Timestamp = "2026-11-22T02:15:46Z".parse().expect("a timestamp");
    let restart = restart_patch(&target, &orders(), now).expect("a patch");
    assert_eq!(
        body(restart),
        r#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T02:15:46Z"}}}}}"#
    );
}

#[test]
fn names_read_as_kubectl_prints_them() {
    let web = ObjectRef::watched(WatchedKind::Deployments, "shop", "web");
    assert_eq!(web.kubectl_name(), "deployment.apps/web");
    assert_eq!(web.described(), "deployment \"web\" in namespace \"shop\"");
    let node = ObjectRef::watched(WatchedKind::Nodes, "ignored", "worker-1");
    assert_eq!(node.namespace, "");
    assert_eq!(node.kubectl_name(), "node/worker-1");
    assert_eq!(node.described(), "node \"worker-1\"");
}
