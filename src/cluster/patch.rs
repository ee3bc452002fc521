//! Sending a patch to one object, for real or as a server-side dry run, and previewing what it
//! would change.
//!
//! The preview asks the API server itself (`dryRun=All`) rather than applying the patch
//! locally: admission, defaulting and validation then show in it exactly as they will when the
//! patch is sent.

use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::Value;

use super::actions::ObjectRef;
use super::api_error::api_error;
use crate::model::api_error::ApiError;
use crate::model::diff::{DEFAULT_CONTEXT, DiffLine, object_diff};
use crate::model::strategic_merge::PatchType;

/// The field manager our writes are recorded under (kubectl's are `kubectl-patch`,
/// `kubectl-edit`).
pub const FIELD_MANAGER: &str = "kscope";

/// What a patch would do: the object now, the object the API server answered for the dry run,
/// and the diff between them as YAML (the resource version, generation and managedFields left
/// out, a Secret's values masked; empty when the patch changes nothing). `before` and `after`
/// lack managedFields only, so `before` keeps the resourceVersion the preview was made against.
#[derive(Debug, Clone)]
pub struct Preview {
    pub before: Value,
    pub after: Value,
    pub diff: Vec<DiffLine>,
}

/// PATCHes the target and returns the object the API server answered with (managedFields
/// removed). With `dry_run`, the server runs everything but storing (`dryRun=All`).
pub async fn patch_object(
    client: &kube::Client,
    target: &ObjectRef,
    patch_type: PatchType,
    patch: &Value,
    dry_run: bool,
) -> Result<Value, ApiError> {
    let call = format!(
        "patch {}{}",
        target.described(),
        if dry_run { " (server dry run)" } else { "" }
    );
    let body = match patch_type {
        PatchType::Json => Patch::Json(
            serde_json::from_value::<json_patch::Patch>(patch.clone()).map_err(|error| {
                ApiError::unreadable(
                    &call,
                    &format!("not a list of JSON patch operations: {error}"),
                )
            })?,
        ),
        PatchType::Merge => Patch::Merge(patch.clone()),
        PatchType::StrategicMerge => Patch::Strategic(patch.clone()),
    };
    let params = PatchParams {
        dry_run,
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    let object = target
        .api(client)
        .patch(&target.name, &params, &body)
        .await
        .map_err(|error| api_error(&call, &error))?;
    to_value(&call, &object)
}

/// What `patch` would change on the target: GETs the object, sends the patch with
/// `dryRun=All`, and diffs the two. A patch the server refuses fails here as it would when sent.
pub async fn preview(
    client: &kube::Client,
    target: &ObjectRef,
    patch_type: PatchType,
    patch: &Value,
) -> Result<Preview, ApiError> {
    let call = format!("get {}", target.described());
    let object = target
        .api(client)
        .get(&target.name)
        .await
        .map_err(|error| api_error(&call, &error))?;
    let before = to_value(&call, &object)?;
    let after = patch_object(client, target, patch_type, patch, true).await?;
    let diff = object_diff(&before, &after, DEFAULT_CONTEXT);
    Ok(Preview {
        before,
        after,
        diff,
    })
}

fn to_value(call: &str, object: &DynamicObject) -> Result<Value, ApiError> {
    let mut value = serde_json::to_value(object)
        .map_err(|error| ApiError::unreadable(call, &format!("cannot read the answer: {error}")))?;
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
    Ok(value)
}
