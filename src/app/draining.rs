//! `r` on a node: the drain dialog (kubectl's options), the plan, the confirmation, and the
//! drain's live progress, driven by the runtime's messages.

use super::drain_view::{DrainView, DrainViewOutcome};
use super::request::Request;
use super::state::{App, Mode};
use crate::model::drain::DrainPlan;
use crate::model::drain_progress::DrainProgress;

impl App {
    /// Opens the drain dialog for the selected node (refused in read-only mode).
    pub fn start_drain(&mut self) {
        if self.refused_in_read_only("drain refused") {
            return;
        }
        match self.subject() {
            Some((target, (_, node), _)) if target.can().drainable => {
                self.mode = Mode::Drain(Box::new(DrainView::new(node)));
            }
            _ => self.message = Some("drain works on nodes (:nodes)".into()),
        }
    }

    /// A key typed into the drain dialog's form.
    pub fn drain_key(&mut self, key: crossterm::event::KeyEvent) {
        let Mode::Drain(view) = &mut self.mode else {
            return;
        };
        let outcome = view.on_key(key);
        self.drain_outcome(outcome);
    }

    /// An action of the drain dialog's keymap context.
    pub fn drain_action(&mut self, action: &super::action::Action) {
        let Mode::Drain(view) = &mut self.mode else {
            return;
        };
        let outcome = view.on_action(action);
        self.drain_outcome(outcome);
    }

    fn drain_outcome(&mut self, outcome: DrainViewOutcome) {
        let Mode::Drain(view) = &mut self.mode else {
            return;
        };
        let node = view.node.clone();
        match outcome {
            DrainViewOutcome::Nothing => {}
            DrainViewOutcome::Close => self.mode = Mode::Normal,
            DrainViewOutcome::Plan(options) => {
                self.requests.push(Request::PlanDrain { node, options })
            }
            DrainViewOutcome::Start(options) => {
                self.requests.push(Request::Drain { node, options })
            }
            DrainViewOutcome::Cancel => self.requests.push(Request::CancelDrain),
        }
    }

    /// The plan the runtime worked out (or why it could not).
    pub fn drain_planned(&mut self, plan: Result<Box<DrainPlan>, String>) {
        if let Mode::Drain(view) = &mut self.mode {
            match plan {
                Ok(plan) => view.on_plan(*plan),
                Err(error) => view.on_plan_failed(error),
            }
        }
    }

    /// A step of the running drain; its end is also said in the footer, in case the dialog
    /// was closed.
    pub fn drain_progress(&mut self, progress: DrainProgress) {
        if let DrainProgress::Finished(summary) = &progress {
            self.message = Some(summary.text.clone());
        }
        if let Mode::Drain(view) = &mut self.mode {
            view.on_progress(progress);
        }
    }
}
