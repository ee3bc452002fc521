//! The node lifecycle controller's eviction side: pods on a node tainted NoExecute are deleted
//! once their toleration runs out (300 s by default). On a node that stopped reporting they
//! then stay Terminating, as in a real cluster.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::owned::{is_active, name, pods, resource};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;

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
        let node_name = name(&node).to_string();
        let (on_node, _, _) = sim.store.list(
            pods(),
            None,
            None,
            |p| {
                is_active(p)
                    && p.at("/spec/nodeName").and_then(Value::as_str) == Some(node_name.as_str())
            },
            0,
        );
        for pod in on_node {
            let expired = taints.iter().any(|taint| {
                let added = taint["timeAdded"]
                    .as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok())
                    .unwrap_or(now);
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
                        added
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
