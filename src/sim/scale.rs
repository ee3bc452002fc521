//! The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets, StatefulSets and
//! ReplicationControllers.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_error::ApiError;
use super::fields;
use super::query::Query;
use super::route::ResourceRoute;
use super::state::Sim;
use super::write::{current, namespace_of, read_body};
use crate::model::strategic_merge::{ObjectKind, PatchType, apply_patch};
use crate::sim::pointer::Pointer;

fn scale_of(object: &Value) -> Value {
    // A ReplicationController's selector is the label map itself.
    let labels_pointer = if object["kind"] == "ReplicationController" {
        "/spec/selector"
    } else {
        "/spec/selector/matchLabels"
    };
    let selector = object
        .at(labels_pointer)
        .and_then(Value::as_object)
        .map(|labels| {
            labels
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": object["metadata"]["name"],
            "namespace": object["metadata"]["namespace"],
            "uid": object["metadata"]["uid"],
            "resourceVersion": object["metadata"]["resourceVersion"],
            "creationTimestamp": object["metadata"]["creationTimestamp"],
        },
        "spec": {"replicas": object.at("/spec/replicas").cloned().unwrap_or(json!(1))},
        "status": {
            "replicas": object.at("/status/replicas").cloned().unwrap_or(json!(0)),
            "selector": selector,
        }
    })
}

/// GET .../scale.
pub fn get(sim: &Sim, target: &ResourceRoute, name: &str) -> Result<Value, ApiError> {
    Ok(scale_of(&*current(sim, target, name)?))
}

/// How a client writes a Scale: a whole object (PUT) or a patch, with the body's content type.
#[derive(Debug, Clone, Copy)]
pub enum ScaleWrite<'a> {
    Replace(&'a str),
    Patch(&'a str),
}

/// PUT or PATCH of .../scale: only spec.replicas changes.
pub fn update(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    write: ScaleWrite<'_>,
    body: &[u8],
) -> Result<Value, ApiError> {
    let object: Arc<Value> = current(sim, target, name)?;
    let scale = scale_of(&object);
    let desired = match write {
        ScaleWrite::Replace(content_type) => read_body(content_type, body)?,
        ScaleWrite::Patch(content_type) => {
            let patch_type = PatchType::from_content_type(content_type).ok_or_else(|| {
                ApiError::unsupported_media_type(format!("unsupported patch type {content_type}"))
            })?;
            apply_patch(
                &ObjectKind::new("autoscaling/v1", "Scale"),
                &scale,
                patch_type,
                body,
            )
            .map_err(|e| ApiError::bad_request(e.to_string()))?
        }
    };
    let replicas = desired
        .at("/spec/replicas")
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            ApiError::invalid(target.resource, name, "spec.replicas", "Required value")
        })?;
    if replicas < 0 {
        return Err(ApiError::invalid(
            target.resource,
            name,
            "spec.replicas",
            &format!("Invalid value: {replicas}: must be greater than or equal to 0"),
        ));
    }
    if let Some(rv) = desired
        .at("/metadata/resourceVersion")
        .and_then(Value::as_str)
        && !rv.is_empty()
        && Some(rv)
            != object
                .at("/metadata/resourceVersion")
                .and_then(Value::as_str)
    {
        return Err(ApiError::conflict(target.resource, name));
    }
    if query.dry_run {
        let mut preview = scale;
        preview["spec"]["replicas"] = json!(replicas);
        return Ok(preview);
    }
    let mut shapeless = false;
    let stored = sim
        .store
        .modify(target.resource, namespace_of(target), name, |object| {
            if !fields::set(object, &["spec", "replicas"], json!(replicas)) {
                shapeless = true;
                return false;
            }
            if let Some(generation) = object.at("/metadata/generation").and_then(Value::as_i64) {
                fields::set(
                    object,
                    &["metadata", "generation"],
                    json!(generation.saturating_add(1)),
                );
            }
            true
        })
        .map_err(|_| ApiError::not_found(target.resource, name))?;
    if shapeless {
        return Err(ApiError::internal(format!(
            "{} \"{name}\" has no object for a spec to scale",
            target.resource.qualified_plural()
        )));
    }
    Ok(scale_of(&stored))
}
