//! The DaemonSet controller: one pod on every node the pod template may run on.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::owned::{
    Creations, is_active, is_ready, name, owned_by, pod_from_template, pods, resource,
    template_hash, uid, write_status,
};
use super::scheduler::{node_selector_matches, tolerates_all};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;
use crate::sim::write::create_object;

/// The tolerations the DaemonSet controller adds to every daemon pod.
fn daemon_tolerations() -> Vec<Value> {
    let mut tolerations: Vec<Value> = ["not-ready", "unreachable"]
        .iter()
        .map(|k| json!({"key": format!("node.kubernetes.io/{k}"), "operator": "Exists", "effect": "NoExecute"}))
        .collect();
    tolerations.extend(
        ["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"]
            .iter()
            .map(|k| json!({"key": format!("node.kubernetes.io/{k}"), "operator": "Exists", "effect": "NoSchedule"})),
    );
    tolerations
}

/// Reconciles every DaemonSet (nodes changed).
pub fn reconcile_all(sim: &Sim) {
    let sets = resource("apps", "daemonsets");
    let (all, _, _) = sim.store.list(sets, None, None, |_| true, 0);
    for set in all {
        let (namespace, set_name) = crate::sim::store::object_key(&set);
        let _ = reconcile(sim, &namespace, &set_name);
    }
}

/// Reconciles one DaemonSet; a pod the API server refused is a `FailedCreate` event and the
/// set is tried again later.
pub fn reconcile(sim: &Sim, namespace: &str, set_name: &str) -> Creations {
    let sets = resource("apps", "daemonsets");
    let Some(set) = sim.store.get(sets, namespace, set_name) else {
        return Creations::Done;
    };
    if set.at("/metadata/deletionTimestamp").is_some() {
        return Creations::Done;
    }
    let mut creations = Creations::Done;
    let hash = template_hash(&set["spec"]["template"]);
    // A template spec that is not an object schedules like an empty one; the pods made from it
    // are then refused by admission, as the API server would refuse them.
    let mut template_spec = set
        .at("/spec/template/spec")
        .filter(|spec| spec.is_object())
        .cloned()
        .unwrap_or(json!({}));
    let mut tolerations = template_spec["tolerations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    tolerations.extend(daemon_tolerations());
    template_spec["tolerations"] = json!(tolerations);
    let (nodes, _, _) = sim
        .store
        .list(resource("", "nodes"), None, None, |_| true, 0);
    let eligible: Vec<&Arc<Value>> = nodes
        .iter()
        .filter(|node| {
            tolerates_all(&template_spec, node) && node_selector_matches(&template_spec, node)
        })
        .collect();
    // The nodes the set's active pods run on, looked up rather than searched for each node:
    // 500 nodes against 500 pods was a quarter of a million comparisons at every change of one
    // of its pods, and under churn the controllers' core was busy with little else.
    let mut owned = owned_by(sim, pods(), namespace, uid(&set));
    let covered: HashSet<&str> = active_nodes(&owned).collect();
    let mut created = false;
    for node in &eligible {
        let node_name = name(node);
        if covered.contains(node_name) {
            continue;
        }
        let pod_name = format!("{set_name}-{}", sim.with_rng(|r| r.suffix(5)));
        let mut pod = pod_from_template(
            &set,
            "/spec/template",
            &pod_name,
            &[
                ("controller-revision-hash", hash.as_str()),
                ("pod-template-generation", "1"),
            ],
        );
        // pod_from_template always gives the pod an object for a spec.
        pod["spec"]["tolerations"] = template_spec["tolerations"].clone();
        pod["spec"]["nodeName"] = json!(node_name);
        pod["spec"]["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}}});
        match create_object(sim, pods(), Some(namespace), pod) {
            Ok(_) => {
                created = true;
                record(
                    sim,
                    &set,
                    None,
                    EventType::Normal,
                    "SuccessfulCreate",
                    &format!("Created pod: {pod_name}"),
                    controller("daemonset-controller"),
                );
            }
            Err(error) => {
                super::owned::record_failed_create(sim, &set, &error, "daemonset-controller");
                if !super::owned::namespace_terminating(&error) {
                    creations = Creations::Refused;
                }
            }
        }
    }
    drop(covered);
    // Read again only if it has pods it did not have: under churn most rounds create none, and
    // each read is a look-up of every one of its pods (one a node).
    if created {
        owned = owned_by(sim, pods(), namespace, uid(&set));
    }
    let eligible_names: HashSet<&str> = eligible.iter().map(|node| name(node)).collect();
    let scheduled: Vec<_> = owned
        .iter()
        .filter(|p| {
            is_active(p)
                && p.at("/spec/nodeName")
                    .and_then(Value::as_str)
                    .is_some_and(|node| eligible_names.contains(node))
        })
        .collect();
    let ready = scheduled.iter().filter(|p| is_ready(p)).count();
    let status = json!({
        "currentNumberScheduled": scheduled.len(),
        "desiredNumberScheduled": eligible.len(),
        "numberMisscheduled": 0,
        "numberReady": ready,
        "numberAvailable": ready,
        "numberUnavailable": eligible.len().saturating_sub(ready),
        "updatedNumberScheduled": scheduled.len(),
        "observedGeneration": set.at("/metadata/generation").cloned().unwrap_or(json!(1)),
    });
    write_status(sim, sets, namespace, set_name, status);
    // Pods left on nodes that are gone.
    let node_names: HashSet<&str> = nodes.iter().map(|node| name(node)).collect();
    for pod in owned.iter().filter(|p| {
        let node = p.at("/spec/nodeName").and_then(Value::as_str).unwrap_or("");
        is_active(p) && !node_names.contains(node)
    }) {
        let _ = delete_default(sim, pods(), namespace, name(pod), None);
    }
    creations
}

/// The nodes `pods` that are still active run on.
fn active_nodes(pods: &[Arc<Value>]) -> impl Iterator<Item = &str> {
    pods.iter()
        .filter(|pod| is_active(pod))
        .filter_map(|pod| pod.at("/spec/nodeName").and_then(Value::as_str))
}
