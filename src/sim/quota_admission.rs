//! The ResourceQuota admission plugin, the last the API server runs: an object is checked
//! against its namespace's quotas as their status last counted them (`model::quota::check`)
//! and refused with a 403 in the API server's words (`exceeded quota: ...`, `failed quota:
//! ...`), or charged: each quota's `status.used` grows by what the object uses before the object
//! is stored, so the next request sees it at once. The resource quota controller recounts from
//! what is stored (`controllers::resource_quota`), which mends a charge whose object was then
//! not stored. A dry run is checked and never charged.

use serde_json::Value;

use super::api_error::ApiError;
use super::resource::{ResourceType, find_built_in};
use super::state::Sim;
use crate::model::quota::{self, QuotaState};
use crate::sim::pointer::Pointer;

/// How often a charge that lost a race with another write is tried again.
const ATTEMPTS: usize = 5;

/// Whether quota looks at objects of `resource` at all: namespaced kinds, Events aside (as the
/// API server's quota configuration ignores them).
fn handles(resource: &ResourceType) -> bool {
    resource.namespaced && !resource.review && resource.kind != "Event" && resource.writable
}

/// Checks, and unless `dry_run` charges, an object being created (`old` is `None`) or updated
/// (only Services and claims are charged on update, as their evaluators are).
pub fn admit(
    sim: &Sim,
    resource: &ResourceType,
    namespace: &str,
    object: &Value,
    old: Option<&Value>,
    dry_run: bool,
) -> Result<(), ApiError> {
    if !handles(resource)
        || (old.is_some()
            && !(resource.group.is_empty()
                && matches!(resource.kind, "Service" | "PersistentVolumeClaim")))
    {
        return Ok(());
    }
    let Some(quotas) = find_built_in("", "v1", "resourcequotas") else {
        return Ok(());
    };
    let name = object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    for _ in 0..ATTEMPTS {
        let stored = sim.store.list(quotas, Some(namespace), None, |_| true, 0).0;
        if stored.is_empty() {
            return Ok(());
        }
        let states: Vec<QuotaState> = stored.iter().map(|q| QuotaState::of(q)).collect();
        let charges = quota::check(
            &states,
            resource.group,
            resource.plural,
            object,
            old,
            sim.now(),
        )
        .map_err(|refusal| ApiError::forbidden_object(resource, name, &refusal.to_string()))?;
        if dry_run || charges.is_empty() {
            return Ok(());
        }
        let mut raced = false;
        for charge in charges {
            let mut charged = (*stored[charge.index]).clone();
            let expected = super::store::object_revision(&charged);
            charged["status"]["used"] = quota::list_json(&charge.used);
            if sim.store.update(quotas, charged, Some(expected)).is_err() {
                raced = true;
                break;
            }
        }
        if !raced {
            return Ok(());
        }
    }
    Err(ApiError::conflict(quotas, namespace))
}
