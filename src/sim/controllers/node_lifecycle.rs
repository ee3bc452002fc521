//! The node lifecycle controller's eviction side: pods on a node tainted NoExecute are deleted
//! once their toleration runs out (300 s by default). On a node that stopped reporting they
//! then stay Terminating, as in a real cluster.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::owned::{is_active, name, pods, resource};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pod_tally::Tallied;
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;

/// The active pods bound to a node, in the store's order: found through the scheduler's index
/// (every 5 s, reading all 51,539 pods' fields for the one NotReady node had taken the
/// controllers' thread 100 ms, on a quiet cluster).
fn active_pods_on(sim: &Sim, node: &str) -> Vec<Arc<Value>> {
    let mut keys = Tallied::read(&sim.requested, sim, |requested| requested.pods_on(node));
    keys.sort_unstable();
    keys.into_iter()
        .filter_map(|(namespace, name)| sim.store.get(pods(), &namespace, &name))
        .filter(|pod| is_active(pod))
        .collect()
}

/// When the pod was bound to its node: its PodScheduled condition's time, else its creation.
fn bound_at(pod: &Value) -> Option<Timestamp> {
    let scheduled = pod
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "PodScheduled" && c["status"] == "True")
        .and_then(|c| c["lastTransitionTime"].as_str());
    scheduled
        .or_else(|| {
            pod.at("/metadata/creationTimestamp")
                .and_then(Value::as_str)
        })
        .and_then(|t| t.parse().ok())
}

/// Looks at every NoExecute-tainted node.
pub fn reconcile(sim: &Sim) {
    let now = sim.now();
    let (nodes, _, _) = sim
        .store
        .list(resource("", "nodes"), None, None, |_| true, 0);
    for node in nodes {
        let taints: Vec<&Value> = node
            .at("/spec/taints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| t["effect"] == "NoExecute")
            .collect();
        if taints.is_empty() {
            continue;
        }
        let node_name = name(&node);
        for pod in active_pods_on(sim, node_name) {
            let bound = bound_at(&pod);
            let expired = taints.iter().any(|taint| {
                let added = taint["timeAdded"]
                    .as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok())
                    .unwrap_or(now);
                // A toleration's time runs from when the taint manager first saw the pod on
                // the tainted node: the taint's time for a pod there before it, the pod's
                // binding for one bound after (`taint_eviction.go` starts a pod's timer when it
                // first processes it).
                let since = bound.map_or(added, |bound| bound.max(added));
                let toleration = pod
                    .at("/spec/tolerations")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|t| {
                        (t["key"] == taint["key"]
                            || (t["key"].as_str().unwrap_or("").is_empty()
                                && t["operator"] == "Exists"))
                            && (t["effect"] == "NoExecute"
                                || t["effect"].as_str().unwrap_or("").is_empty())
                    });
                match toleration {
                    None => true,
                    Some(t) => t["tolerationSeconds"].as_i64().is_some_and(|s| {
                        since
                            .checked_add(SignedDuration::from_secs(s))
                            .is_ok_and(|at| at <= now)
                    }),
                }
            });
            if expired {
                let (namespace, pod_name) = crate::sim::store::object_key(&pod);
                if delete_default(sim, pods(), &namespace, &pod_name, None).is_ok() {
                    record(
                        sim,
                        &pod,
                        None,
                        EventType::Normal,
                        "TaintManagerEviction",
                        &format!("Marking for deletion Pod {namespace}/{pod_name}"),
                        controller("taint-eviction-controller"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A pod bound to `node` a while ago (before the taint).
    fn pod(name: &str, node: &str, tolerations: Value, phase: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "default"},
               "spec": {"nodeName": node, "tolerations": tolerations,
                        "containers": [{"name": "app", "image": "nginx"}]},
               "status": {"phase": phase, "conditions": [
                   {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2019-06-01T00:00:00Z"}]}})
    }

    fn being_deleted(sim: &Sim, name: &str) -> bool {
        sim.store
            .get(pods(), "default", name)
            .is_none_or(|p| p.at("/metadata/deletionTimestamp").is_some())
    }

    /// On a node tainted NoExecute, the active pods that do not tolerate the taint, or whose
    /// toleration has run out, are deleted; those that tolerate it, pods elsewhere and pods
    /// that finished are left, and a pod bound there later is found too: at once when it does
    /// not tolerate the taint, its toleration's time counted from its binding when it does.
    #[test]
    fn pods_on_a_node_tainted_no_execute_are_evicted_past_their_toleration() {
        let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 3);
        let nodes = resource("", "nodes");
        let long_ago = "2020-01-01T00:00:00Z";
        for (name, taints) in [
            (
                "down",
                json!([{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": long_ago}]),
            ),
            ("up", json!([])),
        ] {
            sim.store
                .create(
                    nodes,
                    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
                                      "spec": {"taints": taints}}),
                )
                .expect("node");
        }
        let unreachable = |seconds: Value| {
            json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                    "effect": "NoExecute", "tolerationSeconds": seconds}])
        };
        for p in [
            pod("intolerant", "down", json!([]), "Running"),
            pod("expired", "down", unreachable(json!(300)), "Running"),
            pod("tolerant", "down", unreachable(Value::Null), "Running"),
            pod("finished", "down", json!([]), "Succeeded"),
            pod("elsewhere", "up", json!([]), "Running"),
        ] {
            sim.store.create(pods(), p).expect("pod");
        }
        reconcile(&sim);
        assert!(being_deleted(&sim, "intolerant"));
        assert!(being_deleted(&sim, "expired"));
        for kept in ["tolerant", "finished", "elsewhere"] {
            assert!(!being_deleted(&sim, kept), "{kept}");
        }
        let bound_now = |mut pod: Value| {
            pod["status"]["conditions"][0]["lastTransitionTime"] =
                json!(crate::sim::state::time_text(sim.now()));
            pod
        };
        sim.store
            .create(
                pods(),
                bound_now(pod("later", "down", json!([]), "Running")),
            )
            .expect("pod");
        sim.store
            .create(
                pods(),
                bound_now(pod("late", "down", unreachable(json!(300)), "Running")),
            )
            .expect("pod");
        reconcile(&sim);
        assert!(being_deleted(&sim, "later"));
        assert!(!being_deleted(&sim, "late"), "its 300 s have only begun");
        assert!(!being_deleted(&sim, "tolerant"));
    }
}
