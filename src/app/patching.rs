//! Patch (`p`) and edit (`e`): the patch is composed (in `$EDITOR` or inline), sent first with
//! server dry-run, shown as a diff, and applied only on `y`. A 409 conflict on apply offers to
//! re-apply the same change onto the object as it now is; nothing is overwritten silently.

use super::request::{EditorJob, Purpose, Request};
use super::state::{App, Mode};
use crate::model::kind::Target;
use crate::model::patch_review::PatchOutcome;
use crate::model::strategic_merge::PatchType;

/// The patch types, as the user picks them.
pub fn type_name(patch_type: PatchType) -> &'static str {
    match patch_type {
        PatchType::StrategicMerge => "strategic merge",
        PatchType::Merge => "merge",
        PatchType::Json => "JSON",
    }
}

impl App {
    /// `p`: choose the patch type (the default suits the kind) and how to write it.
    pub fn start_patch(&mut self) {
        if self.refused_in_read_only("patch refused") {
            return;
        }
        let Some((target, key, _)) = self.subject() else {
            self.message = Some("nothing selected".into());
            return;
        };
        let patch_type = match &target {
            Target::Kind(_) => PatchType::StrategicMerge,
            Target::Resource(info) => {
                crate::model::patch_text::default_patch_type(&info.group, !target.is_built_in())
            }
        };
        self.mode = Mode::PatchCompose {
            target,
            key,
            patch_type,
            inline: None,
        };
    }

    /// `e`: the whole object in `$EDITOR`, sent as a patch of what changed.
    pub fn start_edit(&mut self) {
        if self.refused_in_read_only("edit refused") {
            return;
        }
        // The object is read whole first, off the screen's loop; the editor opens when it
        // arrives (esc before then cancels).
        match self.subject() {
            Some((target, key, title)) => {
                self.fetch_selected(target, key, title, Purpose::Editor(EditorJob::Edit))
            }
            None => self.message = Some("nothing selected".into()),
        }
    }

    /// A key while composing a patch: 1/2/3 pick the type, `e` opens the editor, `i` types it
    /// inline, enter sends the inline text.
    pub fn compose_key(&mut self, key: char) {
        let Mode::PatchCompose {
            target,
            key: object,
            patch_type,
            inline,
        } = &mut self.mode
        else {
            return;
        };
        if let Some(text) = inline {
            text.push(key);
            return;
        }
        match key {
            '1' => *patch_type = PatchType::StrategicMerge,
            '2' => *patch_type = PatchType::Merge,
            '3' => *patch_type = PatchType::Json,
            'i' => *inline = Some(String::new()),
            'e' => {
                let (target, key) = (target.clone(), object.clone());
                let purpose = Purpose::Editor(EditorJob::Patch(*patch_type));
                self.fetch_selected(target.clone(), key.clone(), target.title(&key), purpose);
            }
            _ => {}
        }
    }

    /// Backspace while typing an inline patch.
    pub fn compose_erase(&mut self) {
        if let Mode::PatchCompose {
            inline: Some(text), ..
        } = &mut self.mode
        {
            text.pop();
        }
    }

    /// Enter while typing an inline patch: it is checked here first, then by the server.
    pub fn compose_submit(&mut self) {
        let Mode::PatchCompose {
            target,
            key,
            patch_type,
            inline: Some(text),
        } = &self.mode
        else {
            return;
        };
        match crate::model::patch_text::parse_patch(*patch_type, text) {
            Ok(Some(patch)) => {
                let request = Request::PreviewPatch {
                    target: target.clone(),
                    key: key.clone(),
                    patch_type: *patch_type,
                    patch,
                };
                self.requests.push(request);
                self.mode = Mode::Normal;
                self.message = Some("checking the patch with the API server (dry run)...".into());
            }
            Ok(None) => self.message = Some("the patch is empty".into()),
            Err(error) => self.message = Some(format!("not a valid patch: {error}")),
        }
    }

    /// The runtime's report on a patch.
    pub fn patch_outcome(&mut self, outcome: PatchOutcome) {
        match outcome {
            PatchOutcome::Previewed(review) if review.diff.is_empty() => {
                self.message = Some(format!(
                    "the {} patch changes nothing (checked with a server dry run)",
                    type_name(review.patch_type)
                ));
                self.mode = Mode::Normal;
            }
            PatchOutcome::Previewed(review) => {
                self.message = None;
                self.mode = Mode::PatchReview { review, scroll: 0 };
            }
            PatchOutcome::Unchanged(text) | PatchOutcome::Applied(text) => {
                self.message = Some(text);
                self.mode = Mode::Normal;
                self.reopen_view();
            }
            PatchOutcome::Conflict { review, message } => {
                self.message = Some(message);
                self.mode = Mode::PatchConflict { review };
            }
            PatchOutcome::Failed(text) => {
                self.message = Some(text);
                self.mode = Mode::Normal;
                self.reopen_view();
            }
        }
    }

    /// `y` on a reviewed patch: apply it.
    pub fn apply_reviewed(&mut self) {
        let Mode::PatchReview { review, .. } = std::mem::replace(&mut self.mode, Mode::Normal)
        else {
            return;
        };
        self.message = Some("applying the patch...".into());
        self.requests.push(Request::ApplyPatch(review));
    }

    /// `r` after a conflict: the same change, previewed again onto the object as it now is.
    pub fn reapply_after_conflict(&mut self) {
        let Mode::PatchConflict { review } = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        self.message = Some("reading the object again to re-apply the change...".into());
        self.requests.push(Request::Repreview(review));
    }
}
