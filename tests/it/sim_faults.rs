//! The simulator under faults, judged by the real kubectl: requests no client should send and
//! objects no API server would store must be answered the way a real API server answers them
//! (a Status, never a dropped connection), and must never stop the controllers that keep the
//! cluster alive.

use crate::support;

use std::time::Duration;

use serde_json::{Value, json};
use support::kubectl::{Cluster, Table};

/// The longest the tests wait for the cluster to reach a state; far longer than the simulator
/// needs, so that only a wrong cluster fails.
const SETTLE: Duration = Duration::from_secs(45);

/// The names of the pods of `namespace` matching `selector` that are not being deleted.
fn live_pod_names(c: &Cluster, namespace: &str, selector: &str) -> Result<Vec<String>, String> {
    let run = c.kubectl(&["get", "pods", "-n", namespace, "-l", selector]);
    if run.code != Some(0) {
        return Err(run.to_string());
    }
    let Some(table) = Table::parse(&run.stdout) else {
        return Ok(Vec::new());
    };
    Ok(table
        .rows
        .iter()
        .filter(|r| r.get("STATUS") != "Terminating")
        .map(|r| r.get("NAME").to_string())
        .collect())
}

/// Waits until `count` live pods match `selector`; returns their names.
fn wait_for_pods(c: &Cluster, namespace: &str, selector: &str, count: usize) -> Vec<String> {
    c.wait_for(
        &format!("{count} live pods {selector} in {namespace}"),
        SETTLE,
        || match live_pod_names(c, namespace, selector) {
            Ok(names) if names.len() == count => Ok(names),
            Ok(names) => Err(format!("{names:?}")),
            Err(run) => Err(run),
        },
    )
}

/// The controllers still work: a scaled Deployment gets its pods, and a deleted pod of a
/// ReplicaSet is replaced.
fn assert_controllers_reconcile(c: &Cluster) {
    c.kubectl(&["scale", "deployment/cart", "-n", "shop", "--replicas=4"])
        .ok();
    wait_for_pods(c, "shop", "app=cart", 4);
    let before = wait_for_pods(c, "shop", "app=web", 3);
    c.kubectl(&["delete", "pod", &before[0], "-n", "shop", "--wait=false"])
        .ok();
    c.wait_for("a replacement web pod", SETTLE, || {
        match live_pod_names(c, "shop", "app=web") {
            Ok(names) if names.len() == 3 && !names.contains(&before[0]) => Ok(()),
            Ok(names) => Err(format!("{names:?}")),
            Err(run) => Err(run),
        }
    });
}

// ---------------------------------------------------------------------------------------------
// No request or object stops the controllers, and no request goes unanswered.

#[test]
fn controllers_go_on_past_objects_of_the_wrong_shape() {
    let c = Cluster::start();
    let sim = &c.sim().sim;
    // Objects no API server would store, put straight into the store as a bug, a type
    // without a schema or an older simulator might have left them: a pod waiting for a node
    // whose spec is a string (the scheduler used to panic binding it: `cannot access key
    // "nodeName" in JSON string`), a running pod whose status is a list, a Deployment whose
    // template is a string.
    let pods = sim.resource_of("v1", "Pod").expect("pods are served");
    let deployments = sim
        .resource_of("apps/v1", "Deployment")
        .expect("deployments are served");
    let bad = [
        (
            pods,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "spec-is-a-string", "namespace": "shop", "uid": "u-1"},
                "spec": "x", "status": {"phase": "Pending"}}),
        ),
        (
            pods,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "status-is-a-list", "namespace": "shop", "uid": "u-2"},
                "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx:1.27"}]},
                "status": ["x"]}),
        ),
        (
            deployments,
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "template-is-a-string", "namespace": "shop", "uid": "u-3", "generation": 1},
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "t"}}, "template": "x"}}),
        ),
    ];
    for (resource, object) in bad {
        sim.store
            .create(resource, object)
            .expect("the object is stored");
    }
    assert_controllers_reconcile(&c);
}

#[test]
fn requests_that_used_to_panic_a_handler_are_answered() {
    let c = Cluster::start();
    // A grace period or a sinceSeconds as large as an int64 goes: they used to overflow the
    // clock and panic the handler, and the client saw its connection dropped.
    let pod = wait_for_pods(&c, "shop", "app=web", 3)[0].clone();
    c.kubectl(&[
        "get",
        "--raw",
        &format!("/api/v1/namespaces/shop/pods/{pod}/log?sinceSeconds=9223372036854775807"),
    ])
    .ok();
    let deleted = c
        .kubectl(&[
            "delete",
            "--raw",
            &format!("/api/v1/namespaces/shop/pods/{pod}?gracePeriodSeconds=9223372036854775807"),
        ])
        .ok();
    let object: Value = serde_json::from_str(&deleted.stdout).expect("the pod as JSON");
    assert!(
        object.pointer("/metadata/deletionTimestamp").is_some(),
        "the pod is being deleted:\n{deleted}"
    );
    assert_controllers_reconcile(&c);
}
