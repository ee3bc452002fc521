//! The LimitRanger admission plugin: a new pod's containers get their namespace's LimitRanges'
//! defaults (the mutating half, before the pod's QoS class is worked out), then a pod or a
//! claim outside a range's bounds is refused with a 403 in the plugin's words (the validating
//! half, before ResourceQuota). Pod updates are left alone, as upstream: containers' resources
//! cannot change after creation.

use serde_json::Value;

use super::api_error::ApiError;
use super::resource::{ResourceType, find_built_in};
use super::state::Sim;
use crate::model::limit_range;
use crate::sim::pointer::Pointer;

/// The namespace's LimitRanges, in name order.
fn ranges(sim: &Sim, namespace: &str) -> Vec<std::sync::Arc<Value>> {
    let Some(limit_ranges) = find_built_in("", "v1", "limitranges") else {
        return Vec::new();
    };
    sim.store
        .list(limit_ranges, Some(namespace), None, |_| true, 0)
        .0
}

fn handles(resource: &ResourceType) -> bool {
    resource.group.is_empty() && matches!(resource.kind, "Pod" | "PersistentVolumeClaim")
}

/// The mutating half: a new pod's defaults.
pub fn default_pod(sim: &Sim, resource: &ResourceType, namespace: &str, pod: &mut Value) {
    if !(resource.group.is_empty() && resource.kind == "Pod") {
        return;
    }
    for range in ranges(sim, namespace) {
        limit_range::apply_defaults(&range, pod);
    }
}

/// The validating half: the first range a new pod, or a new or changed claim, falls outside of
/// refuses it.
pub fn validate(
    sim: &Sim,
    resource: &ResourceType,
    namespace: &str,
    object: &Value,
    updating: bool,
) -> Result<(), ApiError> {
    if !handles(resource) || (updating && resource.kind == "Pod") {
        return Ok(());
    }
    for range in ranges(sim, namespace) {
        let checked = if resource.kind == "Pod" {
            limit_range::check_pod(&range, object)
        } else {
            limit_range::check_claim(&range, object)
        };
        if let Err(reason) = checked {
            let name = object
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            return Err(ApiError::forbidden_object(resource, name, &reason));
        }
    }
    Ok(())
}
