//! The garbage collector's part in Foreground and Orphan deletion: an object being deleted
//! with the `foregroundDeletion` finalizer has its dependents deleted and keeps the finalizer
//! until none that blocks it (`blockOwnerDeletion`) is left; one with the `orphan` finalizer
//! has its ownerReferences taken off its dependents. The finalizer then goes, and with the
//! last one the object. (Background deletion is done when the owner goes: `deletion.rs`.)

use serde_json::Value;

use crate::sim::deletion::{
    FOREGROUND_FINALIZER, ORPHAN_FINALIZER, delete_dependent, dependents_of, finish_if_released,
};
use crate::sim::pointer::Pointer;
use crate::sim::resource::ResourceType;
use crate::sim::state::Sim;

/// Whether an object is being deleted with a finalizer the garbage collector removes.
pub fn awaits_collector(object: &Value) -> bool {
    object.at("/metadata/deletionTimestamp").is_some()
        && object
            .at("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| {
                f.iter()
                    .any(|f| f == FOREGROUND_FINALIZER || f == ORPHAN_FINALIZER)
            })
}

fn has_finalizer(object: &Value, finalizer: &str) -> bool {
    object
        .at("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().any(|f| f == finalizer))
}

/// Whether `dependent` names `uid` as an owner it blocks the deletion of.
fn blocks(dependent: &Value, uid: &str) -> bool {
    dependent
        .at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|owners| {
            owners
                .iter()
                .any(|o| o["uid"] == uid && o["blockOwnerDeletion"].as_bool() == Some(true))
        })
}

/// Takes `finalizer` off the object; the object goes if it was the last.
fn release(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: &str,
    name: &str,
    finalizer: &str,
) {
    let stored = sim.store.modify(resource, namespace, name, |object| {
        let Some(list) = object
            .at_mut("/metadata/finalizers")
            .and_then(Value::as_array_mut)
        else {
            return false;
        };
        let before = list.len();
        list.retain(|f| f != finalizer);
        list.len() != before
    });
    if let Ok(stored) = stored {
        finish_if_released(sim, resource, &stored);
    }
}

/// Looks at one object waiting for the collector.
pub fn reconcile(sim: &Sim, resource: &'static ResourceType, namespace: &str, name: &str) {
    let Some(owner) = sim.store.get(resource, namespace, name) else {
        return;
    };
    if !awaits_collector(&owner) {
        return;
    }
    let Some(uid) = owner.at("/metadata/uid").and_then(Value::as_str) else {
        return;
    };
    let dependents = dependents_of(sim, uid);
    if has_finalizer(&owner, ORPHAN_FINALIZER) {
        for (kind, dependent) in &dependents {
            let (dependent_namespace, dependent_name) = crate::sim::store::object_key(dependent);
            let _ = sim
                .store
                .modify(kind, &dependent_namespace, &dependent_name, |object| {
                    let Some(owners) = object
                        .at_mut("/metadata/ownerReferences")
                        .and_then(Value::as_array_mut)
                    else {
                        return false;
                    };
                    owners.retain(|o| o["uid"] != uid);
                    if owners.is_empty()
                        && let Some(metadata) = object["metadata"].as_object_mut()
                    {
                        metadata.remove("ownerReferences");
                    }
                    true
                });
        }
        release(sim, resource, namespace, name, ORPHAN_FINALIZER);
        return;
    }
    let mut waiting = false;
    for (kind, dependent) in &dependents {
        if dependent.at("/metadata/deletionTimestamp").is_none() {
            let dependent_uid = dependent["metadata"]["uid"].as_str().unwrap_or("");
            let has_own = !dependents_of(sim, dependent_uid).is_empty();
            delete_dependent(sim, kind, dependent, has_own);
        }
        waiting |= blocks(dependent, uid);
    }
    if !waiting {
        release(sim, resource, namespace, name, FOREGROUND_FINALIZER);
    }
}
