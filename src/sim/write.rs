//! Create, update, patch and delete: the write verbs, with the API server's preconditions,
//! status-subresource rules, graceful deletion and garbage collection.

use std::sync::Arc;

use serde_json::{Value, json};

use super::admission::{admit_create, check_envelope};
use super::api_error::ApiError;
use super::decoding;
use super::fields;
use super::query::Query;
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::{Sim, time_text};
use super::store::{StoreError, object_revision};
use super::validation::validate;
use crate::model::strategic_merge::{ObjectKind, PatchType, apply_patch};

/// The namespace a request addresses ("" for cluster-scoped types).
pub fn namespace_of(target: &ResourceRoute) -> &str {
    target.namespace.as_deref().unwrap_or("")
}

/// The stored object a request names, or 404.
pub fn current(sim: &Sim, target: &ResourceRoute, name: &str) -> Result<Arc<Value>, ApiError> {
    sim.store
        .get(target.resource, namespace_of(target), name)
        .ok_or_else(|| ApiError::not_found(target.resource, name))
}

/// Reads a request body as JSON (or YAML, which kubectl may send for some commands).
pub fn read_body(content_type: &str, body: &[u8]) -> Result<Value, ApiError> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    match media {
        "application/json" | "" | "*/*" => serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body of the request could not be decoded as JSON: {e}"
            ))
        }),
        "application/yaml" => {
            let text = std::str::from_utf8(body)
                .map_err(|_| ApiError::bad_request("the body of the request is not UTF-8"))?;
            crate::model::manifest::parse_documents(text)
                .map_err(|e| {
                    ApiError::bad_request(format!(
                        "the body of the request could not be decoded as YAML: {e}"
                    ))
                })?
                .into_iter()
                .next()
                .ok_or_else(|| ApiError::bad_request("the body of the request is empty"))
        }
        "application/vnd.kubernetes.protobuf" => super::protobuf::decode(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body of the request could not be decoded as protobuf: {e}"
            ))
        }),
        other => Err(ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format ({other}) - accepted media types include: application/json, application/yaml"
        ))),
    }
}

fn store_error(resource: &ResourceType, name: &str, error: StoreError) -> ApiError {
    match error {
        StoreError::AlreadyExists => ApiError::already_exists(resource, name),
        StoreError::NotFound => ApiError::not_found(resource, name),
        StoreError::Conflict => ApiError::conflict(resource, name),
    }
}

fn name_of(object: &Value) -> String {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// POST to a collection.
pub fn create(
    sim: &Sim,
    target: &ResourceRoute,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let mut object = read_body(content_type, body)?;
    decoding::check_body(target.resource, body, &object)?;
    let mut resource = target.resource;
    if resource.group == "events.k8s.io" {
        check_envelope(resource, &mut object)?;
        object = super::event_conversion::to_core(&object);
        resource = super::list::storage_of(resource);
    }
    if query.dry_run {
        admit_create(sim, resource, target.namespace.as_deref(), &mut object)?;
        let name = name_of(&object);
        if sim
            .store
            .get(resource, namespace_of(target), &name)
            .is_some()
        {
            return Err(ApiError::already_exists(resource, &name));
        }
        return Ok(super::event_conversion::present(target.resource, &object));
    }
    let stored = create_object(sim, resource, target.namespace.as_deref(), object)?;
    Ok(super::event_conversion::present(target.resource, &stored))
}

/// Admits and stores a new object, as a POST would (controllers create through here too).
pub fn create_object(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    mut object: Value,
) -> Result<Arc<Value>, ApiError> {
    admit_create(sim, resource, namespace, &mut object)?;
    let name = name_of(&object);
    let stored = sim
        .store
        .create(resource, object)
        .map_err(|e| store_error(resource, &name, e))?;
    if resource.kind == "CustomResourceDefinition" {
        sim.registry.add_definition(&stored);
    }
    Ok(stored)
}

/// Which parts of an object a write may change, by subresource.
fn merge_write(
    resource: &ResourceType,
    subresource: Option<&str>,
    current: &Value,
    mut incoming: Value,
) -> Value {
    // Identity and server-owned metadata always come from the stored object.
    for field in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "name",
        "namespace",
    ] {
        match current.pointer(&format!("/metadata/{field}")) {
            Some(value) => {
                fields::set(&mut incoming, &["metadata", field], value.clone());
            }
            None => {
                if let Some(metadata) = incoming.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    metadata.remove(field);
                }
            }
        }
    }
    incoming["apiVersion"] = current["apiVersion"].clone();
    incoming["kind"] = current["kind"].clone();
    let has_status = resource.subresources.contains(&"status");
    match subresource {
        Some("status") => {
            // Only status changes through /status.
            let status = incoming.get("status").cloned();
            let mut out = current.clone();
            match status {
                Some(status) => out["status"] = status,
                None => {
                    if let Some(map) = out.as_object_mut() {
                        map.remove("status");
                    }
                }
            }
            fields::set(
                &mut out,
                &["metadata", "resourceVersion"],
                incoming["metadata"]["resourceVersion"].clone(),
            );
            out
        }
        Some("finalize") => {
            let mut out = current.clone();
            let finalizers = incoming
                .pointer("/spec/finalizers")
                .cloned()
                .unwrap_or(json!([]));
            fields::set(&mut out, &["spec", "finalizers"], finalizers);
            out
        }
        _ => {
            if has_status {
                match current.get("status") {
                    Some(status) => incoming["status"] = status.clone(),
                    None => {
                        if let Some(map) = incoming.as_object_mut() {
                            map.remove("status");
                        }
                    }
                }
            }
            if current.get("spec") != incoming.get("spec")
                && let Some(generation) = current
                    .pointer("/metadata/generation")
                    .and_then(Value::as_i64)
            {
                fields::set(
                    &mut incoming,
                    &["metadata", "generation"],
                    json!(generation.saturating_add(1)),
                );
            }
            incoming
        }
    }
}

/// Writes `incoming` over the stored object, with an optional resourceVersion precondition.
fn write_over(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    incoming: Value,
    current: &Value,
) -> Result<Arc<Value>, ApiError> {
    let resource = target.resource;
    let expected = match incoming
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
    {
        Some(rv) if !rv.is_empty() => Some(rv.parse::<u64>().map_err(|_| {
            ApiError::invalid(
                resource,
                name,
                "metadata.resourceVersion",
                &format!("Invalid value: \"{rv}\": must be a number"),
            )
        })?),
        _ => None,
    };
    let merged = merge_write(resource, target.subresource.as_deref(), current, incoming);
    // Validation of the object as it would be stored; status and finalize writes change
    // nothing it looks at.
    if target.subresource.is_none() {
        validate(resource, &merged)?;
    }
    if query.dry_run {
        if expected.is_some_and(|e| e != object_revision(current)) {
            return Err(ApiError::conflict(resource, name));
        }
        return Ok(Arc::new(merged));
    }
    let stored = sim
        .store
        .update(resource, merged, expected)
        .map_err(|e| store_error(resource, name, e))?;
    finish_if_released(sim, resource, &stored);
    Ok(stored)
}

/// PUT.
pub fn update(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Arc<Value>, ApiError> {
    let mut incoming = read_body(content_type, body)?;
    decoding::check_body(target.resource, body, &incoming)?;
    check_envelope(target.resource, &mut incoming)?;
    let body_name = name_of(&incoming);
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({name})"
        )));
    }
    let current = current(sim, target, name)?;
    write_over(sim, target, name, query, incoming, &current)
}

/// PATCH with any of the three patch types.
pub fn patch(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Arc<Value>, ApiError> {
    let resource = target.resource;
    let patch_type = PatchType::from_content_type(content_type).ok_or_else(|| {
        ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{}",
            if is_custom(resource) { "" } else { ", application/strategic-merge-patch+json" }
        ))
    })?;
    let kind = ObjectKind::new(&resource.api_version(), resource.kind);
    // Without a resourceVersion in the patch, a conflicting concurrent write is retried.
    for _ in 0..5 {
        let current = current(sim, target, name)?;
        let patched = apply_patch(&kind, &current, patch_type, body).map_err(|e| ApiError {
            code: e.http_status(),
            reason: e.status_reason(),
            message: e.status_message(),
            details: None,
        })?;
        // The patched object is decoded into the kind's Go type before anything else reads it.
        decoding::check_patched(resource, patch_type, body, &patched)?;
        if name_of(&patched) != name {
            return Err(ApiError::bad_request(
                "metadata.name: the name of a patched object cannot change",
            ));
        }
        let mut patched = patched;
        // The conversion every write goes through (a Secret's stringData into its data).
        check_envelope(resource, &mut patched)?;
        let precondition = body_sets_revision(body);
        if !precondition {
            fields::set(
                &mut patched,
                &["metadata", "resourceVersion"],
                current["metadata"]["resourceVersion"].clone(),
            );
        }
        match write_over(sim, target, name, query, patched, &current) {
            Err(error) if error.code == 409 && !precondition => continue,
            other => return other,
        }
    }
    Err(ApiError::conflict(resource, name))
}

/// Whether the patch body itself carries a resourceVersion (a precondition).
fn body_sets_revision(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).ok().is_some_and(|v| {
        v.pointer("/metadata/resourceVersion")
            .is_some_and(|rv| !rv.is_null())
    })
}

fn is_custom(resource: &ResourceType) -> bool {
    !super::resource::BUILT_IN
        .iter()
        .any(|r| std::ptr::eq(r, resource))
}

/// `DeleteOptions` from the body and the query.
struct DeleteOptions {
    grace_period: Option<i64>,
    propagation: String,
    dry_run: bool,
    precondition_uid: Option<String>,
    precondition_revision: Option<String>,
}

fn delete_options(query: &Query, body: &[u8]) -> Result<DeleteOptions, ApiError> {
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!("the DeleteOptions could not be decoded: {e}"))
        })?
    };
    Ok(DeleteOptions {
        grace_period: query
            .grace_period_seconds
            .or_else(|| body["gracePeriodSeconds"].as_i64()),
        propagation: query
            .propagation_policy
            .clone()
            .or_else(|| body["propagationPolicy"].as_str().map(str::to_string))
            .unwrap_or_else(|| "Background".to_string()),
        dry_run: query.dry_run
            || body["dryRun"]
                .as_array()
                .is_some_and(|d| d.iter().any(|v| v == "All")),
        precondition_uid: body
            .pointer("/preconditions/uid")
            .and_then(Value::as_str)
            .map(str::to_string),
        precondition_revision: body
            .pointer("/preconditions/resourceVersion")
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
    body: &[u8],
) -> Result<Value, ApiError> {
    let options = delete_options(query, body)?;
    delete_object(sim, target.resource, namespace_of(target), name, &options)
}

/// DELETE a collection (with selectors).
pub fn delete_collection(
    sim: &Sim,
    target: &ResourceRoute,
    query: &Query,
    body: &[u8],
) -> Result<Value, ApiError> {
    let options = delete_options(query, body)?;
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
        && current.pointer("/metadata/uid").and_then(Value::as_str) != Some(uid.as_str())
    {
        return Err(ApiError::conflict(resource, name));
    }
    if let Some(rv) = &options.precondition_revision
        && current
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            != Some(rv.as_str())
    {
        return Err(ApiError::conflict(resource, name));
    }
    let now = sim.now();
    let finalizers = current
        .pointer("/metadata/finalizers")
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
        let already = current.pointer("/metadata/deletionTimestamp").is_some();
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

/// The kubelet's Killing event for each container of a pod being deleted.
fn record_killing(sim: &Sim, pod: &Value) {
    use super::events::{EventType, kubelet, record};
    let node = pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for container in pod
        .pointer("/spec/containers")
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
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty();
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if unscheduled || matches!(phase, "Succeeded" | "Failed") {
        return 0;
    }
    requested
        .filter(|g| *g >= 0)
        .or_else(|| {
            pod.pointer("/spec/terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
        })
        .unwrap_or(30)
        .max(0)
}

/// Deletes (in the background) every object owned by `owner`.
pub fn collect_dependents(sim: &Sim, owner: &Value) {
    let Some(uid) = owner.pointer("/metadata/uid").and_then(Value::as_str) else {
        return;
    };
    let options = DeleteOptions {
        grace_period: None,
        propagation: "Background".into(),
        dry_run: false,
        precondition_uid: None,
        precondition_revision: None,
    };
    for resource in sim.registry.all().into_iter().filter(|r| r.writable) {
        let (dependents, _, _) = sim.store.list(
            resource,
            None,
            None,
            |object| {
                object
                    .pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|owners| owners.iter().any(|o| o["uid"] == uid))
            },
            0,
        );
        for dependent in dependents {
            let (namespace, name) = super::store::object_key(&dependent);
            let _ = delete_object(sim, resource, &namespace, &name, &options);
        }
    }
}

/// An object being deleted whose last finalizer was just removed goes away now.
fn finish_if_released(sim: &Sim, resource: &'static ResourceType, stored: &Value) {
    let deleting = stored.pointer("/metadata/deletionTimestamp").is_some();
    let finalizers = stored
        .pointer("/metadata/finalizers")
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

/// POST pods/{name}/binding: the scheduler's way to set a pod's node.
pub fn bind(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    content_type: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let binding = read_body(content_type, body)?;
    let node = binding
        .pointer("/target/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if node.is_empty() {
        return Err(ApiError::invalid(
            target.resource,
            name,
            "target.name",
            "Required value",
        ));
    }
    let resource = target.resource;
    let mut conflict = false;
    let mut shapeless = false;
    sim.store
        .modify(resource, namespace_of(target), name, |pod| {
            if pod
                .pointer("/spec/nodeName")
                .and_then(Value::as_str)
                .is_some_and(|n| !n.is_empty())
            {
                conflict = true;
                return false;
            }
            shapeless = !fields::set(pod, &["spec", "nodeName"], json!(node));
            !shapeless
        })
        .map_err(|e| store_error(resource, name, e))?;
    if conflict {
        return Err(ApiError::conflict(resource, name));
    }
    if shapeless {
        return Err(ApiError::internal(format!(
            "pods \"{name}\" has no object for a spec to bind"
        )));
    }
    Ok(
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
    )
}
