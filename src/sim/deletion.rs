//! Delete: one object or a collection, with the API server's preconditions, graceful deletion
//! (pods get a grace period and their kubelet's Killing events), finalizers holding an object
//! until they are removed, and garbage collection of what an object owns.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_error::ApiError;
use super::fields;
use super::query::Query;
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::{Sim, time_text};
use super::write::{namespace_of, store_error};
use crate::sim::pointer::Pointer;

/// `DeleteOptions` from the body and the query.
struct DeleteOptions {
    grace_period: Option<i64>,
    propagation: String,
    dry_run: bool,
    precondition_uid: Option<String>,
    precondition_revision: Option<String>,
}

/// The propagation policy of a DELETE that names none: the strategy's
/// `DefaultGarbageCollectionPolicy`, `Orphan` for v1 ReplicationControllers (what deleting
/// one did before the garbage collector; kubectl always names a policy), `Background` for the
/// rest.
fn default_propagation(resource: &ResourceType) -> &'static str {
    if resource.group.is_empty() && resource.kind == "ReplicationController" {
        "Orphan"
    } else {
        "Background"
    }
}

/// The options of a DELETE: its body (JSON, or protobuf as client-go's typed clients send it,
/// `kubectl drain --disable-eviction` among them) and its query.
fn delete_options(
    resource: &ResourceType,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<DeleteOptions, ApiError> {
    let undecodable = |e: &dyn std::fmt::Display| {
        ApiError::bad_request(format!("the DeleteOptions could not be decoded: {e}"))
    };
    let media = content_type.split(';').next().unwrap_or("").trim();
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else if media == super::protobuf::MEDIA_TYPE {
        super::protobuf::decode(body).map_err(|e| undecodable(&e))?
    } else {
        serde_json::from_slice(body).map_err(|e| undecodable(&e))?
    };
    // orphanDependents is the deprecated spelling of the Orphan policy.
    let orphan = match body["orphanDependents"].as_bool() {
        Some(true) => Some("Orphan".to_string()),
        Some(false) => Some("Background".to_string()),
        None => None,
    };
    Ok(DeleteOptions {
        grace_period: query
            .grace_period_seconds
            .or_else(|| body["gracePeriodSeconds"].as_i64()),
        propagation: query
            .propagation_policy
            .clone()
            .or_else(|| body["propagationPolicy"].as_str().map(str::to_string))
            .or(orphan)
            .unwrap_or_else(|| default_propagation(resource).to_string()),
        dry_run: query.dry_run
            || body["dryRun"]
                .as_array()
                .is_some_and(|d| d.iter().any(|v| v == "All")),
        precondition_uid: body
            .at("/preconditions/uid")
            .and_then(Value::as_str)
            .map(str::to_string),
        precondition_revision: body
            .at("/preconditions/resourceVersion")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// DELETE one object.
pub fn delete(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let options = delete_options(target.resource, query, content_type, body)?;
    super::priority::refuse_delete(target.resource, name)?;
    delete_object(sim, target.resource, namespace_of(target), name, &options)
}

/// DELETE a collection (with selectors).
pub fn delete_collection(
    sim: &Sim,
    target: &ResourceRoute,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let options = delete_options(target.resource, query, content_type, body)?;
    let filter = super::list::Filter::new(target.resource, query)?;
    let (objects, _, _) = sim.store.list(
        target.resource,
        target.namespace.as_deref(),
        None,
        |o| filter.matches(o),
        0,
    );
    let mut items = Vec::new();
    for object in objects {
        let (namespace, name) = super::store::object_key(&object);
        if let Ok(deleted) = delete_object(sim, target.resource, &namespace, &name, &options) {
            items.push(deleted);
        }
    }
    Ok(json!({
        "kind": format!("{}List", target.resource.kind),
        "apiVersion": target.resource.api_version(),
        "metadata": {"resourceVersion": sim.store.revision().to_string()},
        "items": items,
    }))
}

/// Deletes one object as a DELETE with default options would (for controllers).
pub fn delete_default(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: &str,
    name: &str,
    grace_period: Option<i64>,
) -> Result<Value, ApiError> {
    let options = DeleteOptions {
        grace_period,
        propagation: "Background".into(),
        dry_run: false,
        precondition_uid: None,
        precondition_revision: None,
    };
    delete_object(sim, resource, namespace, name, &options)
}

fn delete_object(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<Value, ApiError> {
    let current = sim
        .store
        .get(resource, namespace, name)
        .ok_or_else(|| ApiError::not_found(resource, name))?;
    if let Some(uid) = &options.precondition_uid
        && current.at("/metadata/uid").and_then(Value::as_str) != Some(uid.as_str())
    {
        return Err(ApiError::conflict(resource, name));
    }
    if let Some(rv) = &options.precondition_revision
        && current
            .at("/metadata/resourceVersion")
            .and_then(Value::as_str)
            != Some(rv.as_str())
    {
        return Err(ApiError::conflict(resource, name));
    }
    let now = sim.now();
    // Foreground and Orphan deletion are finished by the garbage collector: the object keeps a
    // finalizer until its dependents are gone (or no longer owned).
    let collector_finalizer = match options.propagation.as_str() {
        "Foreground" => Some(FOREGROUND_FINALIZER),
        "Orphan" => Some(ORPHAN_FINALIZER),
        _ => None,
    };
    let finalizers = collector_finalizer.is_some()
        || current
            .at("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
    // What stays behind: graceful pods, objects with finalizers, and namespaces.
    let grace = if resource.kind == "Pod" && resource.group.is_empty() {
        pod_grace_period(&current, options.grace_period)
    } else {
        0
    };
    let graceful =
        grace > 0 || finalizers || (resource.kind == "Namespace" && resource.group.is_empty());
    if options.dry_run {
        return Ok((*current).clone());
    }
    if graceful {
        let already = current.at("/metadata/deletionTimestamp").is_some();
        // A grace period of any int64 must not overflow the clock (Go's time.Add wraps; the
        // latest instant is the closest this side of it).
        let deadline = time_text(
            now.checked_add(jiff::SignedDuration::from_secs(grace))
                .unwrap_or(jiff::Timestamp::MAX),
        );
        let stored = sim
            .store
            .modify(resource, namespace, name, |object| {
                let Some(metadata) = fields::object_at(object, &["metadata"]) else {
                    return false;
                };
                // A second delete may shorten the grace period but never lengthen it.
                let shorter = metadata
                    .get("deletionGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .is_none_or(|g| grace < g);
                if !already || shorter {
                    metadata.insert("deletionTimestamp".into(), json!(deadline));
                    metadata.insert("deletionGracePeriodSeconds".into(), json!(grace));
                }
                if resource.kind == "Namespace" {
                    fields::set(object, &["status", "phase"], json!("Terminating"));
                }
                if let Some(finalizer) = collector_finalizer {
                    add_finalizer(object, finalizer);
                }
                true
            })
            .map_err(|e| store_error(resource, name, e))?;
        if resource.kind == "Pod" && !already {
            record_killing(sim, &stored);
        }
        return Ok((*stored).clone());
    }
    let removed = sim
        .store
        .remove(resource, namespace, name)
        .map_err(|e| store_error(resource, name, e))?;
    if resource.kind == "CustomResourceDefinition" {
        sim.registry.remove_definition(&removed);
    }
    if options.propagation != "Orphan" {
        collect_dependents(sim, &removed);
    }
    Ok((*removed).clone())
}

/// The finalizer of an object waiting for its blocking dependents to be deleted.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// The finalizer of an object whose dependents are to be orphaned before it goes.
pub const ORPHAN_FINALIZER: &str = "orphan";

fn add_finalizer(object: &mut Value, finalizer: &str) {
    let Some(metadata) = fields::object_at(object, &["metadata"]) else {
        return;
    };
    let list = metadata.entry("finalizers").or_insert(json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    if let Some(list) = list.as_array_mut()
        && !list.iter().any(|f| f == finalizer)
    {
        list.push(json!(finalizer));
    }
}

/// Deletes a dependent for the garbage collector: in the foreground when it has dependents of
/// its own (so its owner waits for them too), else in the background.
pub fn delete_dependent(
    sim: &Sim,
    resource: &'static ResourceType,
    dependent: &Value,
    foreground: bool,
) {
    let (namespace, name) = super::store::object_key(dependent);
    let options = DeleteOptions {
        grace_period: None,
        propagation: if foreground {
            "Foreground"
        } else {
            "Background"
        }
        .into(),
        dry_run: false,
        precondition_uid: dependent
            .at("/metadata/uid")
            .and_then(Value::as_str)
            .map(str::to_string),
        precondition_revision: None,
    };
    let _ = delete_object(sim, resource, &namespace, &name, &options);
}

/// Every object whose ownerReferences name `uid`, with its type: of the types still served
/// (a custom type's objects outlive its definition in the store) that can be written.
pub fn dependents_of(sim: &Sim, uid: &str) -> Vec<(&'static ResourceType, Arc<Value>)> {
    let served = sim.registry.all();
    sim.store
        .dependents(uid)
        .into_iter()
        .filter(|(resource, _)| {
            resource.writable && served.iter().any(|r| std::ptr::eq(*r, *resource))
        })
        .collect()
}

/// The kubelet's Killing event for each container of a pod being deleted.
fn record_killing(sim: &Sim, pod: &Value) {
    use super::events::{EventType, kubelet, record};
    let node = pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for container in pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = container["name"].as_str().unwrap_or("");
        record(
            sim,
            pod,
            Some(&format!("spec.containers{{{name}}}")),
            EventType::Normal,
            "Killing",
            &format!("Stopping container {name}"),
            kubelet(&node),
        );
    }
}

/// The grace period a pod deletion gets: the request's, else the pod's own (30 s by default).
/// Pods that never reached a node, or already finished, go at once.
fn pod_grace_period(pod: &Value, requested: Option<i64>) -> i64 {
    let unscheduled = pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty();
    let phase = pod
        .at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if unscheduled || matches!(phase, "Succeeded" | "Failed") {
        return 0;
    }
    requested
        .filter(|g| *g >= 0)
        .or_else(|| {
            pod.at("/spec/terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
        })
        .unwrap_or(30)
        .max(0)
}

/// Deletes (in the background) every object owned by `owner`.
pub fn collect_dependents(sim: &Sim, owner: &Value) {
    let Some(uid) = owner.at("/metadata/uid").and_then(Value::as_str) else {
        return;
    };
    let options = DeleteOptions {
        grace_period: None,
        propagation: "Background".into(),
        dry_run: false,
        precondition_uid: None,
        precondition_revision: None,
    };
    for (resource, dependent) in dependents_of(sim, uid) {
        let (namespace, name) = super::store::object_key(&dependent);
        let _ = delete_object(sim, resource, &namespace, &name, &options);
    }
}

/// An object being deleted whose last finalizer was just removed goes away now.
pub(super) fn finish_if_released(sim: &Sim, resource: &'static ResourceType, stored: &Value) {
    let deleting = stored.at("/metadata/deletionTimestamp").is_some();
    let finalizers = stored
        .at("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty());
    // Pods are removed by their kubelet; namespaces by the namespace controller.
    if deleting && !finalizers && !matches!(resource.kind, "Pod" | "Namespace") {
        let (namespace, name) = super::store::object_key(stored);
        if let Ok(removed) = sim.store.remove(resource, &namespace, &name) {
            collect_dependents(sim, &removed);
        }
    }
}
