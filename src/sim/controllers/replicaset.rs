//! The ReplicaSet controller: keeps `spec.replicas` pods running, replacing pods that fail or
//! are deleted, and reports how many are ready and available.

use serde_json::{Value, json};

use super::owned::{
    is_active, is_ready, name, owned_by, pod_from_template, pods, replicas, resource, uid,
    write_status,
};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::state::Sim;
use crate::sim::write::create_object;

/// Reconciles one ReplicaSet.
pub fn reconcile(sim: &Sim, namespace: &str, rs_name: &str) {
    let replica_sets = resource("apps", "replicasets");
    let Some(rs) = sim.store.get(replica_sets, namespace, rs_name) else {
        return;
    };
    if rs.pointer("/metadata/deletionTimestamp").is_some() {
        return;
    }
    let owned = owned_by(sim, pods(), namespace, uid(&rs));
    let mut active: Vec<_> = owned.iter().filter(|p| is_active(p)).cloned().collect();
    let want = replicas(&rs) as usize;
    if active.len() < want {
        for _ in active.len()..want {
            let pod_name = format!("{rs_name}-{}", sim.with_rng(|r| r.suffix(5)));
            let pod = pod_from_template(&rs, "/spec/template", &pod_name, &[]);
            if let Ok(created) = create_object(sim, pods(), Some(namespace), pod) {
                record(
                    sim,
                    &rs,
                    None,
                    EventType::Normal,
                    "SuccessfulCreate",
                    &format!("Created pod: {pod_name}"),
                    controller("replicaset-controller"),
                );
                active.push(created);
            }
        }
    } else if active.len() > want {
        // Not-ready pods go first, then the newest.
        active.sort_by_key(|p| {
            (
                is_ready(p),
                std::cmp::Reverse(
                    p.pointer("/metadata/creationTimestamp")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ),
            )
        });
        for pod in active.drain(..active.len() - want) {
            let pod_name = name(&pod).to_string();
            if delete_default(sim, pods(), namespace, &pod_name, None).is_ok() {
                record(
                    sim,
                    &rs,
                    None,
                    EventType::Normal,
                    "SuccessfulDelete",
                    &format!("Deleted pod: {pod_name}"),
                    controller("replicaset-controller"),
                );
            }
        }
    }
    let ready = active.iter().filter(|p| is_ready(p)).count();
    let status = json!({
        "replicas": active.len(),
        "fullyLabeledReplicas": active.len(),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "observedGeneration": rs.pointer("/metadata/generation").cloned().unwrap_or(json!(1)),
    });
    write_status(sim, replica_sets, namespace, rs_name, status);
}
