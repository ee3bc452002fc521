//! The drain dialog of one node: choosing kubectl's options, reading the plan, confirming, and
//! following the drain pod by pod.
//!
//! Pure state, driven by keys and by what the runtime hands back: the plan it computed for the
//! chosen options ([`DrainView::on_plan`]) and the running drain's messages
//! ([`DrainView::on_progress`], from `cluster::drain::spawn_drain`). What the user asks of the
//! runtime comes back from [`DrainView::on_key`] as a [`DrainViewOutcome`].

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::model::drain::{BlockReason, Decision, DrainOptions, DrainPlan, SkipReason};

/// The keymap context of the drain dialog.
pub const DRAIN: &str = "drain";

mod options;
mod words;

use crate::model::drain_progress::{
    CordonOutcome, DrainProgress, DrainSummary, EVICTION_RETRY_DELAY, PodState, go_duration,
};
pub use options::OptionRow;
pub use words::{decision_text, pod_state_text, unblock_hints};

/// The longest `--timeout` kubectl takes: a Go `time.Duration` (nanoseconds in an `int64`)
/// holds about 292 years. Longer would also overflow the runtime's deadline arithmetic.
pub const MAX_TIMEOUT_SECONDS: u64 = (i64::MAX / 1_000_000_000) as u64;

/// Where the dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrainStage {
    /// Choosing kubectl's options.
    Options,
    /// The plan for those options, computed by the runtime without changing anything, waiting
    /// for y/N.
    Planned(DrainPlan),
    /// The drain runs; the per-pod states are in [`DrainView::pods`].
    Running,
    /// The drain ended (drained, failed, or cancelled).
    Finished(DrainSummary),
}

/// The drain dialog of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainView {
    pub node: String,
    pub options: DrainOptions,
    pub stage: DrainStage,
    /// kubectl's cordon line (`node/NAME cordoned`, or the error when cordoning failed).
    pub cordon: Option<String>,
    /// Cordoning failed: kubectl drains anyway, and the node is not left cordoned.
    pub cordon_failed: bool,
    /// The pods the drain removes: namespace, name and latest state, in plan order.
    pub pods: Vec<(String, String, PodState)>,
    /// A cancel was asked for; the drain has not reported its end yet.
    pub cancelling: bool,
    /// The selected row of the options form (an index into [`OptionRow::ALL`]).
    pub field: usize,
    /// The number being typed into the selected row, as typed.
    pub editing: Option<String>,
    /// A plan was asked for and has not arrived: the options stay as they were asked with, so
    /// the plan shown is the plan of the options that a `y` starts.
    pub planning: bool,
    /// Why the last plan could not be made.
    pub plan_error: Option<String>,
    /// The plan the drain made when it ran (the cluster may have changed since the preview).
    pub run_plan: Option<DrainPlan>,
    /// The first row shown of the plan or pod table.
    pub scroll: usize,
}

/// What the dialog asks of the app and the runtime after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrainViewOutcome {
    Nothing,
    /// Close the dialog.
    Close,
    /// Compute the plan with these options (list the node's pods; no mutation) and hand it to
    /// [`DrainView::on_plan`].
    Plan(DrainOptions),
    /// Confirmed: run the drain with these options, feeding its messages to
    /// [`DrainView::on_progress`].
    Start(DrainOptions),
    /// Cancel the running drain (esc while running); it then reports a cancelled summary.
    Cancel,
}

/// How far the drain has got, counted from the pods' states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrainCounts {
    /// Pods gone (evicted or deleted).
    pub removed: usize,
    /// Pods whose removal is refused for now and retried (a disruption budget, or another
    /// passing refusal).
    pub blocked: usize,
    pub failed: usize,
    /// Pods no longer waited for (`--skip-wait-for-delete-timeout`).
    pub skipped: usize,
    /// Every pod the drain removes.
    pub total: usize,
}

impl DrainView {
    /// The dialog for `node` with kubectl's defaults: `--grace-period=-1` (each pod's own),
    /// `--timeout=0s` (forever), every flag off.
    pub fn new(node: String) -> Self {
        Self {
            node,
            options: DrainOptions::default(),
            stage: DrainStage::Options,
            cordon: None,
            cordon_failed: false,
            pods: Vec::new(),
            cancelling: false,
            field: 0,
            editing: None,
            planning: false,
            plan_error: None,
            run_plan: None,
            scroll: 0,
        }
    }

    /// The selected row of the options form.
    pub fn selected_row(&self) -> OptionRow {
        OptionRow::ALL[self.field.min(OptionRow::ALL.len() - 1)]
    }

    /// A key, with the built-in keys of the `drain` context (the app passes its own keymap's
    /// action to [`DrainView::on_action`]); while a number is typed, the key is text.
    pub fn on_key(&mut self, key: KeyEvent) -> DrainViewOutcome {
        // Chords belong to the app (ctrl-c quits), not to the dialog.
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return DrainViewOutcome::Nothing;
        }
        if self.typing() {
            self.on_number_key(key.code);
            return DrainViewOutcome::Nothing;
        }
        match super::keymap::Keymap::builtin().view_action(DRAIN, (key.code, false)) {
            Some(action) => self.on_action(&action),
            None => DrainViewOutcome::Nothing,
        }
    }

    /// Whether a number is being typed into the form (keys are text then).
    pub fn typing(&self) -> bool {
        self.editing.is_some() && matches!(self.stage, DrainStage::Options)
    }

    /// What an action of the `drain` keymap context does to the dialog.
    pub fn on_action(&mut self, action: &Action) -> DrainViewOutcome {
        match self.stage {
            DrainStage::Options => self.on_options_action(action),
            DrainStage::Planned(_) => self.on_plan_action(action),
            DrainStage::Running => match action {
                // Once: the drain answers a cancel with its summary, which ends the stage.
                Action::Back if !self.cancelling => {
                    self.cancelling = true;
                    DrainViewOutcome::Cancel
                }
                action => {
                    self.scroll_by(action, self.pods.len());
                    DrainViewOutcome::Nothing
                }
            },
            DrainStage::Finished(_) => match action {
                Action::Back | Action::Submit => DrainViewOutcome::Close,
                action => {
                    self.scroll_by(action, self.pods.len());
                    DrainViewOutcome::Nothing
                }
            },
        }
    }

    /// The plan the runtime computed for the options of the last [`DrainViewOutcome::Plan`].
    /// Ignored past the options form: a drain already under way has its own plan.
    pub fn on_plan(&mut self, plan: DrainPlan) {
        if self.stage != DrainStage::Options {
            return;
        }
        self.planning = false;
        self.plan_error = None;
        self.editing = None;
        self.scroll = 0;
        self.stage = DrainStage::Planned(plan);
    }

    /// The plan could not be computed (the pods could not be listed, a bad pod selector); the
    /// form shows why and takes changes again.
    pub fn on_plan_failed(&mut self, error: String) {
        if self.stage != DrainStage::Options {
            return;
        }
        self.planning = false;
        self.plan_error = Some(error);
    }

    /// One message of the running drain.
    pub fn on_progress(&mut self, progress: DrainProgress) {
        // Finished is a drain's last message; anything after it belongs to no drain shown here.
        if matches!(self.stage, DrainStage::Finished(_)) {
            return;
        }
        self.stage = DrainStage::Running;
        match progress {
            DrainProgress::Cordoned => self.cordoned(true),
            DrainProgress::AlreadyCordoned => self.cordoned(false),
            DrainProgress::CordonFailed(line) => {
                self.cordon = Some(line);
                self.cordon_failed = true;
            }
            DrainProgress::Planned(plan) => {
                self.pods = plan
                    .pods_to_remove()
                    .iter()
                    .map(|pod| {
                        let state = self
                            .state_of(&pod.namespace, &pod.name)
                            .cloned()
                            .unwrap_or(PodState::Pending);
                        (pod.namespace.clone(), pod.name.clone(), state)
                    })
                    .collect();
                self.run_plan = Some(plan);
            }
            DrainProgress::Pod {
                namespace,
                name,
                state,
            } => match self
                .pods
                .iter_mut()
                .find(|(ns, n, _)| *ns == namespace && *n == name)
            {
                Some(entry) => entry.2 = state,
                // Not in the plan shown: kept rather than lost, after the planned pods.
                None => self.pods.push((namespace, name, state)),
            },
            DrainProgress::Finished(summary) => self.stage = DrainStage::Finished(summary),
        }
    }

    /// kubectl's line for a cordon that worked (`changed`: the node was not cordoned before).
    fn cordoned(&mut self, changed: bool) {
        let outcome = CordonOutcome {
            node: self.node.clone(),
            unschedulable: true,
            changed,
            dry_run: false,
        };
        self.cordon = Some(outcome.text());
        self.cordon_failed = false;
    }

    /// The latest state of a pod the drain removes.
    pub fn state_of(&self, namespace: &str, name: &str) -> Option<&PodState> {
        self.pods
            .iter()
            .find(|(ns, n, _)| ns == namespace && n == name)
            .map(|(_, _, state)| state)
    }

    /// How far the drain has got.
    pub fn counts(&self) -> DrainCounts {
        let mut counts = DrainCounts {
            total: self.pods.len(),
            ..DrainCounts::default()
        };
        for (_, _, state) in &self.pods {
            match state {
                PodState::Deleted => counts.removed += 1,
                PodState::BlockedByBudget { .. } | PodState::Retrying(_) => counts.blocked += 1,
                PodState::Failed(_) => counts.failed += 1,
                PodState::Skipped(_) => counts.skipped += 1,
                PodState::Pending | PodState::Evicting | PodState::Deleting => {}
            }
        }
        counts
    }

    /// `3 evicted, 1 blocked, 0 failed of 12` (`deleted` with `--disable-eviction`; the pods
    /// no longer waited for only when there are any).
    pub fn counts_text(&self) -> String {
        let counts = self.counts();
        let removed = if self.options.disable_eviction {
            "deleted"
        } else {
            "evicted"
        };
        let skipped = if counts.skipped > 0 {
            format!(", {} skipped", counts.skipped)
        } else {
            String::new()
        };
        format!(
            "{} {removed}, {} blocked, {} failed{skipped} of {}",
            counts.removed, counts.blocked, counts.failed, counts.total
        )
    }

    /// What `kubectl drain` would be run with: the node, the grace period and timeout always,
    /// the flags that are set.
    pub fn kubectl_command(&self) -> String {
        let mut words = vec!["kubectl drain".to_string(), self.node.clone()];
        for row in OptionRow::ALL {
            if row.flag_value(&self.options) == Some(false) {
                continue;
            }
            words.extend(row.flag(&self.options));
        }
        words.join(" ")
    }

    /// The confirmation the plan asks for, when it can proceed:
    /// `Drain node X: cordon it and evict N pods? [y/N]`.
    pub fn prompt(&self) -> Option<String> {
        let DrainStage::Planned(plan) = &self.stage else {
            return None;
        };
        if !plan.can_proceed() {
            return None;
        }
        let removed = plan.pods_to_remove();
        let verb = if removed.iter().any(|pod| pod.decision == Decision::Delete) {
            "delete"
        } else {
            "evict"
        };
        let pods = if removed.len() == 1 { "pod" } else { "pods" };
        Some(format!(
            "Drain node {}: cordon it and {verb} {} {pods}? [y/N]",
            self.node,
            removed.len()
        ))
    }

    /// Whether the drain ended having removed every pod it meant to: its plan could proceed,
    /// nothing failed, it was not cancelled, and every pod is gone or no longer waited for.
    pub fn drained(&self) -> bool {
        let DrainStage::Finished(summary) = &self.stage else {
            return false;
        };
        !summary.cancelled
            && summary.failed == 0
            && self.run_plan.as_ref().is_some_and(DrainPlan::can_proceed)
            && self
                .pods
                .iter()
                .all(|(_, _, state)| matches!(state, PodState::Deleted | PodState::Skipped(_)))
    }

    fn on_options_action(&mut self, action: &Action) -> DrainViewOutcome {
        if self.planning {
            return match action {
                Action::Back => DrainViewOutcome::Close,
                _ => DrainViewOutcome::Nothing,
            };
        }
        match action {
            Action::Back => DrainViewOutcome::Close,
            Action::Down => {
                self.field = (self.field + 1).min(OptionRow::ALL.len() - 1);
                DrainViewOutcome::Nothing
            }
            Action::Up => {
                self.field = self.field.saturating_sub(1);
                DrainViewOutcome::Nothing
            }
            Action::ShowPlan => self.ask_for_plan(),
            Action::Submit => {
                let row = self.selected_row();
                match row {
                    OptionRow::ShowPlan => return self.ask_for_plan(),
                    OptionRow::GracePeriod | OptionRow::Timeout => {
                        self.editing = Some(String::new());
                    }
                    OptionRow::IgnoreDaemonSets => {
                        self.options.ignore_daemonsets = !self.options.ignore_daemonsets;
                    }
                    OptionRow::DeleteEmptyDirData => {
                        self.options.delete_emptydir_data = !self.options.delete_emptydir_data;
                    }
                    OptionRow::Force => self.options.force = !self.options.force,
                    OptionRow::DisableEviction => {
                        self.options.disable_eviction = !self.options.disable_eviction;
                    }
                }
                DrainViewOutcome::Nothing
            }
            _ => DrainViewOutcome::Nothing,
        }
    }

    fn ask_for_plan(&mut self) -> DrainViewOutcome {
        self.planning = true;
        self.plan_error = None;
        DrainViewOutcome::Plan(self.options.clone())
    }

    /// A key while a number is typed: digits (and a leading `-` for the grace period),
    /// backspace, enter keeps it, esc leaves the value as it was.
    fn on_number_key(&mut self, code: KeyCode) {
        let row = self.selected_row();
        let Some(text) = self.editing.as_mut() else {
            return;
        };
        match code {
            KeyCode::Char(digit) if digit.is_ascii_digit() => {
                text.push(digit);
                // A digit that would overflow the value is refused rather than wrapped.
                if !row.accepts(text) {
                    text.pop();
                }
            }
            KeyCode::Char('-') if row == OptionRow::GracePeriod && text.is_empty() => {
                text.push('-');
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Enter => {
                let text = self.editing.take().unwrap_or_default();
                self.keep_number(row, &text);
            }
            KeyCode::Esc => self.editing = None,
            _ => {}
        }
    }

    /// Stores a typed number; nothing typed (or a lone `-`) leaves the value as it was.
    fn keep_number(&mut self, row: OptionRow, text: &str) {
        match row {
            OptionRow::GracePeriod => {
                if let Ok(seconds) = text.parse::<i64>() {
                    // Any negative value means kubectl's default, kept as the default is.
                    self.options.grace_period_seconds = (seconds >= 0).then_some(seconds);
                }
            }
            OptionRow::Timeout => {
                if let Ok(seconds) = text.parse::<u64>() {
                    self.options.timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
                }
            }
            _ => {}
        }
    }

    fn on_plan_action(&mut self, action: &Action) -> DrainViewOutcome {
        let DrainStage::Planned(plan) = &self.stage else {
            return DrainViewOutcome::Nothing;
        };
        match action {
            Action::Confirm(true) if plan.can_proceed() => {
                // Running at once, so a second y cannot start a second drain; the drain's own
                // plan replaces these rows when it arrives.
                self.pods = plan
                    .pods_to_remove()
                    .iter()
                    .map(|pod| (pod.namespace.clone(), pod.name.clone(), PodState::Pending))
                    .collect();
                self.stage = DrainStage::Running;
                self.cancelling = false;
                self.cordon = None;
                self.cordon_failed = false;
                self.run_plan = None;
                self.scroll = 0;
                DrainViewOutcome::Start(self.options.clone())
            }
            // No is the default: enter declines.
            Action::Back | Action::Submit | Action::Confirm(false) => {
                self.stage = DrainStage::Options;
                self.scroll = 0;
                DrainViewOutcome::Nothing
            }
            action => {
                let rows = plan.pods.len();
                self.scroll_by(action, rows);
                DrainViewOutcome::Nothing
            }
        }
    }

    /// Down and up scroll a table of `rows` rows by one; the view keeps the last row in sight.
    fn scroll_by(&mut self, action: &Action, rows: usize) {
        match action {
            Action::Down => self.scroll = (self.scroll + 1).min(rows.saturating_sub(1)),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "drain_view_tests.rs"]
mod tests;
