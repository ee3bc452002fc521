//! Create, update and patch: the write verbs that store an object, with the API server's
//! decoding, validation, preconditions and status-subresource rules (deleting is
//! `sim::deletion`).

use std::sync::Arc;

use serde_json::{Value, json};

use super::admission::{admit_create, admit_dry_run_create, check_envelope};
use super::api_error::ApiError;
use super::decoding;
use super::fields;
use super::managed;
use super::openapi;
use super::query::Query;
use super::rbac::{UserInfo, confirm_no_escalation};
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::{Sim, time_text};
use super::store::{StoreError, object_revision};
use super::validation::validate;
use crate::model::strategic_merge::{ObjectKind, PatchType, apply_patch};
use crate::sim::pointer::Pointer;

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
    let media = media_type(content_type);
    match media {
        media if is_json(media) => serde_json::from_slice(body).map_err(|e| {
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

/// The media type of a `Content-Type`, without its parameters.
fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

/// Whether `read_body` reads a body of this media type as JSON (none given is taken as JSON).
fn is_json(media: &str) -> bool {
    matches!(media, "application/json" | "" | "*/*")
}

/// A body's text when it is JSON, as `read_body` reads it.
fn json_text<'a>(content_type: &str, body: &'a [u8]) -> Option<&'a [u8]> {
    is_json(media_type(content_type)).then_some(body)
}

pub(super) fn store_error(resource: &ResourceType, name: &str, error: StoreError) -> ApiError {
    match error {
        StoreError::AlreadyExists => ApiError::already_exists(resource, name),
        StoreError::NotFound => ApiError::not_found(resource, name),
        StoreError::Conflict => ApiError::conflict(resource, name),
    }
}

fn name_of(object: &Value) -> String {
    object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// POST to a collection.
pub fn create(
    sim: &Sim,
    user: &UserInfo,
    target: &ResourceRoute,
    query: &Query,
    content_type: &str,
    body: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Value, ApiError> {
    let validation = openapi::field_validation(query, openapi::Write::Create)?;
    let mut object = read_body(content_type, body)?;
    decoding::check_body(target.resource, body, &object)?;
    warnings.extend(openapi::check_fields(
        sim,
        target.resource,
        &mut object,
        validation,
        openapi::Sent::Object(json_text(content_type, body)),
    )?);
    let mut resource = target.resource;
    if resource.group == "events.k8s.io" {
        check_envelope(resource, &mut object)?;
        object = super::event_conversion::to_core(&object);
        resource = super::list::storage_of(resource);
    }
    super::certificates::set_requestor(resource, user, &mut object);
    confirm_no_escalation(sim, user, resource, namespace_of(target), &object, None)?;
    let manager = managed::manager_of(query);
    if query.dry_run {
        admit_dry_run_create(sim, resource, target.namespace.as_deref(), &mut object)?;
        managed::record_update(&mut object, None, &manager, resource, &time_text(sim.now()));
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
    let stored = create_object_by(
        sim,
        resource,
        target.namespace.as_deref(),
        object,
        Created::By(&manager),
    )?;
    Ok(super::event_conversion::present(target.resource, &stored))
}

/// Admits and stores a new object, as a POST would (controllers create through here too).
pub fn create_object(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    object: Value,
) -> Result<Arc<Value>, ApiError> {
    create_object_by(sim, resource, namespace, object, Created::Unmanaged)
}

/// Whose fields a new object's are.
enum Created<'a> {
    /// The simulator's own controllers keep no managed fields.
    Unmanaged,
    /// A client's create: every field the object has is its manager's.
    By(&'a str),
    /// A server-side apply: these managed fields, worked out from what it applied.
    Applied(Value),
}

/// Admits and stores a new object, with its managed fields.
fn create_object_by(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    mut object: Value,
    created: Created<'_>,
) -> Result<Arc<Value>, ApiError> {
    admit_create(sim, resource, namespace, &mut object)?;
    match created {
        Created::Unmanaged => {}
        Created::By(manager) => {
            managed::record_update(&mut object, None, manager, resource, &time_text(sim.now()))
        }
        Created::Applied(entries) => {
            fields::set(&mut object, &["metadata", "managedFields"], entries);
        }
    }
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
        match current.at(&format!("/metadata/{field}")) {
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
        Some("ephemeralcontainers") => {
            // Only the ephemeral containers change through /ephemeralcontainers.
            let mut out = current.clone();
            let ephemeral = incoming
                .at("/spec/ephemeralContainers")
                .cloned()
                .unwrap_or(json!([]));
            fields::set(&mut out, &["spec", "ephemeralContainers"], ephemeral);
            fields::set(
                &mut out,
                &["metadata", "resourceVersion"],
                incoming["metadata"]["resourceVersion"].clone(),
            );
            out
        }
        Some("approval") => {
            // Only the conditions change through /approval.
            let mut out = current.clone();
            match incoming.at("/status/conditions") {
                Some(conditions) => {
                    fields::set(&mut out, &["status", "conditions"], conditions.clone());
                }
                None => {
                    if let Some(status) = out.get_mut("status").and_then(Value::as_object_mut) {
                        status.remove("conditions");
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
                .at("/spec/finalizers")
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
                && let Some(generation) = current.at("/metadata/generation").and_then(Value::as_i64)
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

/// Who a write's fields are recorded under.
enum Ownership {
    /// An update: the fields it changed become the query's manager's.
    Update,
    /// A server-side apply: the incoming object carries its managed fields, worked out.
    Applied,
}

/// Writes `incoming` over the stored object, with an optional resourceVersion precondition.
#[allow(clippy::too_many_arguments)]
fn write_over(
    sim: &Sim,
    user: &UserInfo,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    incoming: Value,
    current: &Value,
    ownership: Ownership,
) -> Result<Arc<Value>, ApiError> {
    let resource = target.resource;
    let expected = match incoming
        .at("/metadata/resourceVersion")
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
    let applied_fields = incoming.at("/metadata/managedFields").cloned();
    let mut merged = merge_write(resource, target.subresource.as_deref(), current, incoming);
    super::certificates::prepare_update(
        sim,
        user,
        resource,
        target.subresource.as_deref(),
        current,
        &mut merged,
    )?;
    if target.subresource.is_none() {
        super::priority::admit_update(sim, resource, current, &mut merged)?;
        super::priority::check_update(resource, current, &merged)?;
        super::webhooks::prepare_update(resource.group, current, &mut merged);
        super::pod_defaults::default_pod_specs(resource, &mut merged);
        match ownership {
            Ownership::Update => managed::record_update(
                &mut merged,
                Some(current),
                &managed::manager_of(query),
                resource,
                &time_text(sim.now()),
            ),
            Ownership::Applied => match applied_fields {
                Some(entries) => {
                    fields::set(&mut merged, &["metadata", "managedFields"], entries);
                }
                None => {
                    if let Some(metadata) =
                        merged.get_mut("metadata").and_then(Value::as_object_mut)
                    {
                        metadata.remove("managedFields");
                    }
                }
            },
        }
    }
    if target.subresource.as_deref() == Some("ephemeralcontainers") {
        super::pod_defaults::default_pod_specs(resource, &mut merged);
        super::validation::ephemeral_containers(resource, name, current, &merged)?;
    }
    // Validation of the object as it would be stored; status and finalize writes change
    // nothing it looks at.
    if target.subresource.is_none() {
        validate(resource, &merged)?;
        confirm_no_escalation(
            sim,
            user,
            resource,
            namespace_of(target),
            &merged,
            Some(current),
        )?;
        if resource.namespaced {
            let namespace = namespace_of(target);
            super::limit_ranger::validate(sim, resource, namespace, &merged, true)?;
            super::quota_admission::admit(
                sim,
                resource,
                namespace,
                &merged,
                Some(current),
                query.dry_run,
            )?;
        }
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
    super::deletion::finish_if_released(sim, resource, &stored);
    Ok(stored)
}

/// PUT.
#[allow(clippy::too_many_arguments)]
pub fn update(
    sim: &Sim,
    user: &UserInfo,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Arc<Value>, ApiError> {
    let validation = openapi::field_validation(query, openapi::Write::Update)?;
    let mut incoming = read_body(content_type, body)?;
    decoding::check_body(target.resource, body, &incoming)?;
    warnings.extend(openapi::check_fields(
        sim,
        target.resource,
        &mut incoming,
        validation,
        openapi::Sent::Object(json_text(content_type, body)),
    )?);
    check_envelope(target.resource, &mut incoming)?;
    let body_name = name_of(&incoming);
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({name})"
        )));
    }
    let current = current(sim, target, name)?;
    write_over(
        sim,
        user,
        target,
        name,
        query,
        incoming,
        &current,
        Ownership::Update,
    )
}

/// PATCH with any of the three patch types.
#[allow(clippy::too_many_arguments)]
pub fn patch(
    sim: &Sim,
    user: &UserInfo,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Arc<Value>, ApiError> {
    let resource = target.resource;
    let validation = openapi::field_validation(query, openapi::Write::Patch)?;
    if content_type.split(';').next().map(str::trim) == Some("application/apply-patch+yaml") {
        return server_side_apply(sim, user, target, name, query, body, validation, warnings);
    }
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
            list_continue: None,
        })?;
        // The patched object is decoded into the kind's Go type before anything else reads it.
        decoding::check_patched(resource, patch_type, body, &patched)?;
        let mut patched = patched;
        let unknown = openapi::check_fields(
            sim,
            resource,
            &mut patched,
            validation,
            openapi::Sent::Patch(patch_type, body),
        )?;
        if name_of(&patched) != name {
            return Err(ApiError::bad_request(
                "metadata.name: the name of a patched object cannot change",
            ));
        }
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
        match write_over(
            sim,
            user,
            target,
            name,
            query,
            patched,
            &current,
            Ownership::Update,
        ) {
            Err(error) if error.code == 409 && !precondition => continue,
            other => {
                warnings.extend(unknown);
                return other;
            }
        }
    }
    Err(ApiError::conflict(resource, name))
}

/// PATCH with `application/apply-patch+yaml`: the configuration applied by its field manager
/// (`managed::apply`), creating the object when there is none.
#[allow(clippy::too_many_arguments)]
fn server_side_apply(
    sim: &Sim,
    user: &UserInfo,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    body: &[u8],
    validation: openapi::FieldValidation,
    warnings: &mut Vec<String>,
) -> Result<Arc<Value>, ApiError> {
    let resource = target.resource;
    let Some(manager) = query.raw.get("fieldManager").filter(|m| !m.is_empty()) else {
        return Err(ApiError::new(
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
        ));
    };
    let force = query.raw.get("force").is_some_and(|f| f == "true");
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    let mut applied: Value = crate::model::yaml::from_str(text)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    if !applied.is_object() {
        return Err(ApiError::bad_request(
            "error decoding YAML: the applied configuration is not an object",
        ));
    }
    let (api_version, kind) = (
        applied["apiVersion"].as_str().unwrap_or(""),
        applied["kind"].as_str().unwrap_or(""),
    );
    if api_version != resource.api_version() || kind != resource.kind {
        return Err(ApiError::bad_request(format!(
            "the configuration applied is a {kind} of {api_version:?}; this endpoint serves {} of {:?}",
            resource.kind,
            resource.api_version()
        )));
    }
    let body_name = name_of(&applied);
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({name})"
        )));
    }
    fields::set(&mut applied, &["metadata", "name"], json!(name));
    if let Some(namespace) = &target.namespace {
        fields::set(&mut applied, &["metadata", "namespace"], json!(namespace));
    }
    let unknown = openapi::check_fields(
        sim,
        resource,
        &mut applied,
        validation,
        openapi::Sent::Applied,
    )?;
    let now = time_text(sim.now());
    for _ in 0..5 {
        let current = match current(sim, target, name) {
            Err(error) if error.code == 404 => {
                let mut object = managed::apply(None, &applied, manager, force, resource, &now)?;
                super::certificates::set_requestor(resource, user, &mut object);
                confirm_no_escalation(sim, user, resource, namespace_of(target), &object, None)?;
                let entries = object["metadata"]["managedFields"].clone();
                if query.dry_run {
                    let mut object = object;
                    admit_dry_run_create(sim, resource, target.namespace.as_deref(), &mut object)?;
                    fields::set(&mut object, &["metadata", "managedFields"], entries);
                    return Ok(Arc::new(object));
                }
                match create_object_by(
                    sim,
                    resource,
                    target.namespace.as_deref(),
                    object,
                    Created::Applied(entries),
                ) {
                    Err(error) if error.code == 409 => continue,
                    other => {
                        warnings.extend(unknown);
                        return other;
                    }
                }
            }
            other => other?,
        };
        let mut merged = managed::apply(Some(&current), &applied, manager, force, resource, &now)?;
        fields::set(
            &mut merged,
            &["metadata", "resourceVersion"],
            current["metadata"]["resourceVersion"].clone(),
        );
        match write_over(
            sim,
            user,
            target,
            name,
            query,
            merged,
            &current,
            Ownership::Applied,
        ) {
            Err(error) if error.code == 409 => continue,
            other => {
                warnings.extend(unknown);
                return other;
            }
        }
    }
    Err(ApiError::conflict(resource, name))
}

/// Whether the patch body itself carries a resourceVersion (a precondition).
fn body_sets_revision(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).ok().is_some_and(|v| {
        v.at("/metadata/resourceVersion")
            .is_some_and(|rv| !rv.is_null())
    })
}

fn is_custom(resource: &ResourceType) -> bool {
    !resource.is_built_in()
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
        .at("/target/name")
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
                .at("/spec/nodeName")
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
