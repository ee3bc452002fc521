//! A patch the API server checked with a dry run, shown as a diff until the user answers, and
//! what became of it.

use serde_json::Value;

use super::diff::DiffLine;
use super::kind::Target;
use super::strategic_merge::PatchType;
use super::watched::Key;

/// A patch checked by the server (dry run), waiting for `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchReview {
    pub target: Target,
    pub key: Key,
    pub patch_type: PatchType,
    pub patch: Value,
    pub diff: Vec<DiffLine>,
    /// Made by `e` (the whole object edited) rather than `p`.
    pub from_edit: bool,
}

impl PatchReview {
    /// A patch not checked yet (no diff): what is sent for the server's dry run.
    pub fn unchecked(
        target: Target,
        key: Key,
        patch_type: PatchType,
        patch: Value,
        from_edit: bool,
    ) -> Self {
        PatchReview {
            target,
            key,
            patch_type,
            patch,
            diff: Vec::new(),
            from_edit,
        }
    }
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
