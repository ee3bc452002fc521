//! The namespace controller: deleting a namespace deletes everything in it, reports what
//! remains (and which finalizers hold it) in the namespace's conditions, and removes the
//! namespace once it is empty.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::owned::resource;
use crate::sim::deletion::delete_default;
use crate::sim::fields::object_at;
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};

/// Reconciles one namespace.
pub fn reconcile(sim: &Sim, name: &str) {
    let namespaces = resource("", "namespaces");
    let Some(namespace) = sim.store.get(namespaces, "", name) else {
        return;
    };
    if namespace.at("/metadata/deletionTimestamp").is_none() {
        return;
    }
    let mut remaining: BTreeMap<String, usize> = BTreeMap::new();
    let mut finalizers: BTreeMap<String, usize> = BTreeMap::new();
    for resource_type in sim
        .registry
        .all()
        .into_iter()
        .filter(|r| r.namespaced && r.writable && r.group != "events.k8s.io")
    {
        let (objects, _, _) = sim.store.list(resource_type, Some(name), None, |_| true, 0);
        for object in objects {
            let object_name = object
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if object.at("/metadata/deletionTimestamp").is_none() {
                let _ = delete_default(sim, resource_type, name, &object_name, None);
            }
            if sim.store.get(resource_type, name, &object_name).is_some() {
                *remaining
                    .entry(resource_type.qualified_plural())
                    .or_default() += 1;
                for finalizer in object
                    .at("/metadata/finalizers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    *finalizers
                        .entry(finalizer.as_str().unwrap_or("").to_string())
                        .or_default() += 1;
                }
            }
        }
    }
    let now = time_text(sim.now());
    let condition = |type_: &str, ok: bool, reason: &str, message: String| json!({"type": type_, "status": if ok { "True" } else { "False" }, "reason": reason, "message": message, "lastTransitionTime": now});
    let remaining_message = remaining
        .iter()
        .map(|(r, n)| format!("{r} has {n} resource instances"))
        .collect::<Vec<_>>()
        .join(", ");
    let finalizer_message = finalizers
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect::<Vec<_>>()
        .join(", ");
    let conditions = json!([
        condition(
            "NamespaceDeletionDiscoveryFailure",
            false,
            "ResourcesDiscovered",
            "All resources successfully discovered".into()
        ),
        condition(
            "NamespaceDeletionGroupVersionParsingFailure",
            false,
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed".into()
        ),
        condition(
            "NamespaceDeletionContentFailure",
            false,
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization".into()
        ),
        if remaining.is_empty() {
            condition(
                "NamespaceContentRemaining",
                false,
                "ContentRemoved",
                "All content successfully removed".into(),
            )
        } else {
            condition(
                "NamespaceContentRemaining",
                true,
                "SomeResourcesRemain",
                format!("Some resources are remaining: {remaining_message}"),
            )
        },
        if finalizers.is_empty() {
            condition(
                "NamespaceFinalizersRemaining",
                false,
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished".into(),
            )
        } else {
            condition(
                "NamespaceFinalizersRemaining",
                true,
                "SomeFinalizersRemain",
                format!(
                    "Some content in the namespace has finalizers remaining: {finalizer_message}"
                ),
            )
        },
    ]);
    let _ = sim.store.modify(namespaces, "", name, |ns| {
        let same = ns
            .at("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|old| {
                old.len() == 5
                    && old
                        .iter()
                        .zip(conditions.as_array().into_iter().flatten())
                        .all(|(a, b)| {
                            a["type"] == b["type"]
                                && a["status"] == b["status"]
                                && a["message"] == b["message"]
                        })
            });
        if same {
            return false;
        }
        let Some(status) = object_at(ns, &["status"]) else {
            return false;
        };
        status.insert("conditions".into(), conditions.clone());
        status.insert("phase".into(), json!("Terminating"));
        true
    });
    if remaining.is_empty() {
        let _ = sim.store.remove(namespaces, "", name);
    }
}
