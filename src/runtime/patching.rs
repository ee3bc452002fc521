//! Patches and edits, below the app: the object fetched, the text written in `$EDITOR`, the
//! patch previewed with a server dry run, applied, and re-previewed after a conflict.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::cluster::actions::ObjectRef;
use crate::cluster::patch::{patch_object, preview};
use crate::model::api_error::ApiErrorKind;
use crate::model::inbox::ClusterMessage;
use crate::model::kind::Target;
use crate::model::patch_review::{PatchOutcome, PatchReview};
use crate::model::strategic_merge::PatchType;

/// The editor the user chose: `$KSCOPE_EDITOR`, `$VISUAL`, `$EDITOR`, else `vi`; it may carry
/// arguments (`code --wait`), so it runs through the shell.
pub fn run_editor(path: &Path) -> Result<()> {
    let editor = ["KSCOPE_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("kscope-editor")
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor {editor}"))?;
    anyhow::ensure!(status.success(), "the editor {editor} exited with {status}");
    Ok(())
}

/// Previews `patch` (dry run) and reports it, or why it failed.
pub fn spawn_preview(
    client: kube::Client,
    review: PatchReview,
    sender: UnboundedSender<ClusterMessage>,
) {
    tokio::spawn(async move {
        let target = ObjectRef::of(&review.target, &review.key);
        let outcome = match preview(&client, &target, review.patch_type, &review.patch).await {
            Ok(checked) => PatchOutcome::Previewed(Box::new(PatchReview {
                diff: checked.diff,
                ..review
            })),
            Err(failure) => PatchOutcome::Failed(failure.line()),
        };
        let _ = sender.send(ClusterMessage::Patch(outcome));
    });
}

/// Applies a reviewed patch; a 409 comes back as a conflict to re-apply from.
pub fn spawn_apply(
    client: kube::Client,
    review: PatchReview,
    sender: UnboundedSender<ClusterMessage>,
) {
    tokio::spawn(async move {
        let target = ObjectRef::of(&review.target, &review.key);
        let outcome =
            match patch_object(&client, &target, review.patch_type, &review.patch, false).await {
                Ok(_) => PatchOutcome::Applied(format!(
                    "{} {}",
                    target.kubectl_name(),
                    if review.from_edit {
                        "edited"
                    } else {
                        "patched"
                    }
                )),
                Err(failure) if failure.kind == ApiErrorKind::Conflict => PatchOutcome::Conflict {
                    message: format!(
                        "{}: r re-applies your change onto the new version, any other key drops it",
                        failure.line()
                    ),
                    review: Box::new(review),
                },
                Err(failure) => PatchOutcome::Failed(failure.line()),
            };
        let _ = sender.send(ClusterMessage::Patch(outcome));
    });
}

/// After a conflict: the same change, with the resource version of the object as it now is,
/// previewed again (the user confirms once more before it is applied).
pub fn spawn_repreview(
    client: kube::Client,
    server: String,
    mut review: PatchReview,
    sender: UnboundedSender<ClusterMessage>,
) {
    tokio::spawn(async move {
        match crate::cluster::fetch::get_target(&client, &server, &review.target, &review.key).await
        {
            Ok(fresh) => {
                if let (Some(version), Some(metadata)) = (
                    fresh.pointer("/metadata/resourceVersion").cloned(),
                    review
                        .patch
                        .get_mut("metadata")
                        .and_then(Value::as_object_mut),
                ) && metadata.contains_key("resourceVersion")
                {
                    metadata.insert("resourceVersion".into(), version);
                }
                spawn_preview(client, review, sender);
            }
            Err(error) => {
                let _ = sender.send(ClusterMessage::Patch(PatchOutcome::Failed(format!(
                    "{error:#}"
                ))));
            }
        }
    });
}

/// The patch an edited object makes, as `kubectl edit` sends it, or why there is none.
pub fn edit_patch(
    object: &Value,
    edited: &str,
    target: &Target,
) -> Result<Option<(PatchType, Value)>, String> {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    crate::model::patch_text::edit_to_patch(object, edited, kind, target.is_built_in())
}
