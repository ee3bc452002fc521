//! Node heartbeats: each Ready node's kubelet renews its Lease in kube-node-lease every 10
//! seconds; a node that stopped reporting leaves its Lease to go stale.

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::owned::{name, resource};
use crate::sim::fields::set;
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, is_ready, micro_time_text};

const RENEW_SECONDS: i64 = 10;

/// Renews the leases of Ready nodes that are due.
pub fn reconcile(sim: &Sim) {
    let now = sim.now();
    let leases = resource("coordination.k8s.io", "leases");
    let (nodes, _, _) = sim
        .store
        .list(resource("", "nodes"), None, None, |_| true, 0);
    for node in nodes {
        if !is_ready(&node) {
            continue;
        }
        let _ = sim
            .store
            .modify(leases, "kube-node-lease", name(&node), |lease| {
                let renewed = lease
                    .at("/spec/renewTime")
                    .and_then(Value::as_str)
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok());
                if renewed.is_some_and(|t| {
                    now.duration_since(t) < SignedDuration::from_secs(RENEW_SECONDS)
                }) {
                    return false;
                }
                set(lease, &["spec", "renewTime"], json!(micro_time_text(now)))
            });
    }
}
