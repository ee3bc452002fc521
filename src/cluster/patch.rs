//! Sending a patch to one object, for real or as a server-side dry run, and previewing what it
//! would change.
//!
//! The preview asks the API server itself (`dryRun=All`) rather than applying the patch
//! locally: admission, defaulting and validation then show in it exactly as they will when the
//! patch is sent.

use std::fmt;

use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::Value;

use super::actions::ObjectRef;
use crate::model::diff::{DEFAULT_CONTEXT, DiffLine, object_diff};
use crate::model::strategic_merge::PatchType;

/// The field manager our writes are recorded under (kubectl's are `kubectl-patch`,
/// `kubectl-edit`).
pub const FIELD_MANAGER: &str = "kscope";

/// Why a patch (or its preview) failed, on one line naming the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchFailure {
    /// The API server answered 409 Conflict: the object changed since the resourceVersion the
    /// patch carries. The caller may fetch it again and offer the edit anew.
    pub conflict: bool,
    /// The HTTP status of the API server's answer; `None` when it was not reached.
    pub code: Option<u16>,
    /// `patch deployment "web" in namespace "shop": the API server answered 422: …`, the
    /// server's Status message quoted as it sent it.
    pub message: String,
}

impl fmt::Display for PatchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchFailure {}

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
) -> Result<Value, PatchFailure> {
    let call = format!(
        "patch {}{}",
        target.described(),
        if dry_run { " (server dry run)" } else { "" }
    );
    let body = match patch_type {
        PatchType::Json => Patch::Json(
            serde_json::from_value::<json_patch::Patch>(patch.clone()).map_err(|error| {
                PatchFailure {
                    conflict: false,
                    code: None,
                    message: format!("{call}: not a list of JSON patch operations: {error}"),
                }
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
        .map_err(|error| failure(&call, error))?;
    to_value(&call, &object)
}

/// What `patch` would change on the target: GETs the object, sends the patch with
/// `dryRun=All`, and diffs the two. A patch the server refuses fails here as it would when sent.
pub async fn preview(
    client: &kube::Client,
    target: &ObjectRef,
    patch_type: PatchType,
    patch: &Value,
) -> Result<Preview, PatchFailure> {
    let call = format!("get {}", target.described());
    let object = target
        .api(client)
        .get(&target.name)
        .await
        .map_err(|error| failure(&call, error))?;
    let before = to_value(&call, &object)?;
    let after = patch_object(client, target, patch_type, patch, true).await?;
    let diff = object_diff(&before, &after, DEFAULT_CONTEXT);
    Ok(Preview {
        before,
        after,
        diff,
    })
}

fn to_value(call: &str, object: &DynamicObject) -> Result<Value, PatchFailure> {
    let mut value = serde_json::to_value(object).map_err(|error| PatchFailure {
        conflict: false,
        code: None,
        message: format!("{call}: cannot read the answer: {error}"),
    })?;
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
    Ok(value)
}

/// One line naming the call: the API server's Status message as it sent it (its lines joined),
/// with the HTTP code; or why the server was not reached.
fn failure(call: &str, error: kube::Error) -> PatchFailure {
    match error {
        kube::Error::Api(status) => {
            let message = status
                .message
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            PatchFailure {
                conflict: status.code == 409,
                code: Some(status.code),
                message: format!("{call}: the API server answered {}: {message}", status.code),
            }
        }
        other => {
            let mut causes: Vec<String> = Vec::new();
            let chain =
                std::iter::successors(Some(&other as &dyn std::error::Error), |e| e.source());
            for cause in chain.map(ToString::to_string) {
                // kube's errors repeat their source in their own text.
                if !causes.iter().any(|known| known.contains(&cause)) {
                    causes.push(cause);
                }
            }
            PatchFailure {
                conflict: false,
                code: None,
                message: format!("{call}: cannot reach the API server: {}", causes.join(": ")),
            }
        }
    }
}

/// A patch checked by the server (dry run), waiting for `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchReview {
    pub target: crate::model::kind::Target,
    pub key: crate::model::watched::Key,
    pub patch_type: PatchType,
    pub patch: Value,
    pub diff: Vec<DiffLine>,
    /// Made by `e` (the whole object edited) rather than `p`.
    pub from_edit: bool,
}

/// What the runtime reports about a patch it previewed or applied.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchOutcome {
    Previewed(Box<PatchReview>),
    /// The editor was closed without a change (kubectl's words).
    Unchanged(String),
    Applied(String),
    /// The object changed since the patch was made (409): the review to re-apply from.
    Conflict {
        review: Box<PatchReview>,
        message: String,
    },
    Failed(String),
}
