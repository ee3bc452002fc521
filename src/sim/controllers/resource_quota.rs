//! The resource quota controller: each quota's `status.hard` is its `spec.hard`, and its
//! `status.used` what the objects stored in its namespace use of those resources
//! (`model::quota::used`), written when either changed. It looks at a namespace when something
//! in it changed, and at every quota on the controller's resync period, which mends a charge
//! admission made for an object that was then not stored.

use serde_json::json;

use super::owned::resource;
use crate::model::quota;
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;

/// Recounts the quotas of one namespace.
pub fn reconcile(sim: &Sim, namespace: &str) {
    let quotas = resource("", "resourcequotas");
    let stored = sim.store.list(quotas, Some(namespace), None, |_| true, 0).0;
    let now = sim.now();
    for object in stored {
        if object.at("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        let hard = quota::read_list(object.at("/spec/hard"));
        let scopes = quota::scopes(&object);
        let used = quota::used(&hard, &scopes, now, |group, plural| {
            // Events are not counted by quota at all.
            if group.is_empty() && plural == "events" {
                return None;
            }
            let served = sim
                .registry
                .all()
                .into_iter()
                .find(|r| r.group == group && r.plural == plural && r.namespaced)?;
            Some(sim.store.list(served, Some(namespace), None, |_| true, 0).0)
        });
        let recorded_hard = quota::read_list(object.at("/status/hard"));
        let recorded_used = quota::read_list(object.at("/status/used"));
        let counted = object.at("/status/hard").is_some() && object.at("/status/used").is_some();
        if counted && quota::equals(&hard, &recorded_hard) && quota::equals(&used, &recorded_used) {
            continue;
        }
        let status = json!({"hard": quota::list_json(&hard), "used": quota::list_json(&used)});
        // Only over the quota it read: an admission's charge made meanwhile stands (the
        // object it charged for brings the namespace back once stored, the resync if never).
        let mut counted_quota = (*object).clone();
        counted_quota["status"] = status;
        let _ = sim.store.update(
            quotas,
            counted_quota,
            Some(crate::sim::store::object_revision(&object)),
        );
    }
}
