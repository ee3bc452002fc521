//! The drain dialog of one node: choosing kubectl's options, reading the plan, confirming, and
//! following the drain pod by pod.
//!
//! Pure state, driven by keys and by what the runtime hands back: the plan it computed for the
//! chosen options ([`DrainView::on_plan`]) and the running drain's messages
//! ([`DrainView::on_progress`], from `cluster::drain::spawn_drain`). What the user asks of the
//! runtime comes back from [`DrainView::on_key`] as a [`DrainViewOutcome`].

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::drain::{BlockReason, Decision, DrainOptions, DrainPlan, SkipReason};
use crate::model::drain_progress::{
    CordonOutcome, DrainProgress, DrainSummary, EVICTION_RETRY_DELAY, PodState, go_duration,
};

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

/// One row of the options form, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionRow {
    /// `--grace-period`, in seconds; -1 leaves each pod its own.
    GracePeriod,
    /// `--timeout`, in seconds; 0 waits forever.
    Timeout,
    /// `--ignore-daemonsets`.
    IgnoreDaemonSets,
    /// `--delete-emptydir-data`.
    DeleteEmptyDirData,
    /// `--force`.
    Force,
    /// `--disable-eviction`.
    DisableEviction,
    /// Not an option: asks for the plan.
    ShowPlan,
}

impl OptionRow {
    pub const ALL: [OptionRow; 7] = [
        OptionRow::GracePeriod,
        OptionRow::Timeout,
        OptionRow::IgnoreDaemonSets,
        OptionRow::DeleteEmptyDirData,
        OptionRow::Force,
        OptionRow::DisableEviction,
        OptionRow::ShowPlan,
    ];

    /// The row's name; the unblocking hints name options by it.
    pub fn label(self) -> &'static str {
        match self {
            OptionRow::GracePeriod => "grace period",
            OptionRow::Timeout => "timeout",
            OptionRow::IgnoreDaemonSets => "ignore DaemonSet pods",
            OptionRow::DeleteEmptyDirData => "delete emptyDir data",
            OptionRow::Force => "force",
            OptionRow::DisableEviction => "disable eviction",
            OptionRow::ShowPlan => "Show plan",
        }
    }

    /// Whether the row holds a number typed in seconds.
    pub fn is_number(self) -> bool {
        matches!(self, OptionRow::GracePeriod | OptionRow::Timeout)
    }

    /// The value of a flag row (`None` for the number rows and "Show plan").
    pub fn flag_value(self, options: &DrainOptions) -> Option<bool> {
        match self {
            OptionRow::IgnoreDaemonSets => Some(options.ignore_daemonsets),
            OptionRow::DeleteEmptyDirData => Some(options.delete_emptydir_data),
            OptionRow::Force => Some(options.force),
            OptionRow::DisableEviction => Some(options.disable_eviction),
            OptionRow::GracePeriod | OptionRow::Timeout | OptionRow::ShowPlan => None,
        }
    }

    /// The row's kubectl flag with its value (`--grace-period=-1`, `--timeout=0s`) or, for a
    /// flag row, the bare flag (`--force`) whether it is set or not.
    pub fn flag(self, options: &DrainOptions) -> Option<String> {
        Some(match self {
            OptionRow::GracePeriod => format!("--grace-period={}", grace_period_value(options)),
            OptionRow::Timeout => format!("--timeout={}", timeout_value(options)),
            OptionRow::IgnoreDaemonSets => "--ignore-daemonsets".to_string(),
            OptionRow::DeleteEmptyDirData => "--delete-emptydir-data".to_string(),
            OptionRow::Force => "--force".to_string(),
            OptionRow::DisableEviction => "--disable-eviction".to_string(),
            OptionRow::ShowPlan => return None,
        })
    }

    /// What the row's current value means.
    pub fn meaning(self, options: &DrainOptions) -> String {
        match self {
            OptionRow::GracePeriod => match options.requested_grace_period_seconds() {
                None => "each pod's own terminationGracePeriodSeconds".to_string(),
                Some(seconds) => format!("{seconds}s for every pod"),
            },
            OptionRow::Timeout => match options.timeout {
                None => "wait forever".to_string(),
                Some(timeout) => format!("give up after {}", go_duration(timeout)),
            },
            OptionRow::IgnoreDaemonSets => "leave DaemonSet pods in place".to_string(),
            OptionRow::DeleteEmptyDirData => {
                "remove pods with emptyDir volumes (their data is lost)".to_string()
            }
            OptionRow::Force => "also remove pods that declare no controller".to_string(),
            OptionRow::DisableEviction => {
                "DELETE instead of evicting (bypasses PodDisruptionBudgets)".to_string()
            }
            OptionRow::ShowPlan => {
                "what the drain would do to each pod (changes nothing)".to_string()
            }
        }
    }

    /// Whether `text`, typed into this number row, is a value it can hold (or on the way to
    /// one: a lone `-` in the grace period).
    fn accepts(self, text: &str) -> bool {
        match self {
            OptionRow::GracePeriod => text == "-" || text.parse::<i64>().is_ok(),
            OptionRow::Timeout => text
                .parse::<u64>()
                .is_ok_and(|seconds| seconds <= MAX_TIMEOUT_SECONDS),
            _ => false,
        }
    }
}

/// `--grace-period`'s value as kubectl takes it: -1 for each pod's own.
fn grace_period_value(options: &DrainOptions) -> i64 {
    options.requested_grace_period_seconds().unwrap_or(-1)
}

/// `--timeout`'s value as kubectl prints a Go duration: `0s` for forever.
fn timeout_value(options: &DrainOptions) -> String {
    go_duration(options.timeout.unwrap_or(Duration::ZERO))
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

    pub fn on_key(&mut self, key: KeyEvent) -> DrainViewOutcome {
        // Chords belong to the app (ctrl-c quits), not to the dialog.
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return DrainViewOutcome::Nothing;
        }
        match self.stage {
            DrainStage::Options => self.on_options_key(key.code),
            DrainStage::Planned(_) => self.on_plan_key(key.code),
            DrainStage::Running => match key.code {
                // Once: the drain answers a cancel with its summary, which ends the stage.
                KeyCode::Esc if !self.cancelling => {
                    self.cancelling = true;
                    DrainViewOutcome::Cancel
                }
                code => {
                    self.scroll_by_key(code, self.pods.len());
                    DrainViewOutcome::Nothing
                }
            },
            DrainStage::Finished(_) => match key.code {
                KeyCode::Esc | KeyCode::Enter => DrainViewOutcome::Close,
                code => {
                    self.scroll_by_key(code, self.pods.len());
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

    fn on_options_key(&mut self, code: KeyCode) -> DrainViewOutcome {
        if self.editing.is_some() {
            self.on_number_key(code);
            return DrainViewOutcome::Nothing;
        }
        if self.planning {
            return match code {
                KeyCode::Esc => DrainViewOutcome::Close,
                _ => DrainViewOutcome::Nothing,
            };
        }
        match code {
            KeyCode::Esc => DrainViewOutcome::Close,
            KeyCode::Char('j') | KeyCode::Down => {
                self.field = (self.field + 1).min(OptionRow::ALL.len() - 1);
                DrainViewOutcome::Nothing
            }
            KeyCode::Char('k') | KeyCode::Up => {
                self.field = self.field.saturating_sub(1);
                DrainViewOutcome::Nothing
            }
            KeyCode::Char('p') => self.ask_for_plan(),
            KeyCode::Char(' ') | KeyCode::Enter => {
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

    fn on_plan_key(&mut self, code: KeyCode) -> DrainViewOutcome {
        let DrainStage::Planned(plan) = &self.stage else {
            return DrainViewOutcome::Nothing;
        };
        match code {
            KeyCode::Char('y') | KeyCode::Char('Y') if plan.can_proceed() => {
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
            KeyCode::Esc
            | KeyCode::Enter
            | KeyCode::Backspace
            | KeyCode::Char('n')
            | KeyCode::Char('N') => {
                self.stage = DrainStage::Options;
                self.scroll = 0;
                DrainViewOutcome::Nothing
            }
            code => {
                let rows = plan.pods.len();
                self.scroll_by_key(code, rows);
                DrainViewOutcome::Nothing
            }
        }
    }

    /// j/k (and the arrows) scroll a table of `rows` rows by one; the view keeps the last row
    /// in sight.
    fn scroll_by_key(&mut self, code: KeyCode, rows: usize) {
        match code {
            KeyCode::Char('j') | KeyCode::Down => {
                self.scroll = (self.scroll + 1).min(rows.saturating_sub(1));
            }
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
    }
}

/// The DECISION column: what happens to the pod, and for a skipped or blocked one the kind of
/// reason.
pub fn decision_text(decision: Decision) -> &'static str {
    match decision {
        Decision::Evict => "evict",
        Decision::Delete => "delete",
        Decision::Skip(SkipReason::MirrorPod) => "skip: mirror pod",
        Decision::Skip(SkipReason::DaemonSet) => "skip: DaemonSet",
        Decision::Skip(SkipReason::AlreadyDeleted) => "skip: already deleted",
        Decision::Blocked(BlockReason::Unmanaged) => "blocked: unmanaged",
        Decision::Blocked(BlockReason::LocalStorage) => "blocked: local storage",
        Decision::Blocked(BlockReason::DaemonSet) => "blocked: DaemonSet",
        Decision::Blocked(BlockReason::DaemonSetMissing) => "blocked: DaemonSet gone",
        Decision::Blocked(BlockReason::DaemonSetUnreadable) => "blocked: DaemonSet unreadable",
    }
}

/// For a blocked plan, which option would unblock it, once per reason, in the order of the
/// first pod blocked for each.
pub fn unblock_hints(plan: &DrainPlan) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    for pod in plan.blocked_pods() {
        let Decision::Blocked(reason) = pod.decision else {
            continue;
        };
        let hint = match reason {
            BlockReason::Unmanaged => format!(
                "use {} to delete pods that declare no controller",
                OptionRow::Force.label()
            ),
            BlockReason::LocalStorage => format!(
                "use {} to remove pods with emptyDir volumes (their data is lost)",
                OptionRow::DeleteEmptyDirData.label()
            ),
            BlockReason::DaemonSet => format!(
                "use {} to leave DaemonSet pods in place",
                OptionRow::IgnoreDaemonSets.label()
            ),
            BlockReason::DaemonSetMissing => format!(
                "use {} to delete pods whose DaemonSet is gone",
                OptionRow::Force.label()
            ),
            BlockReason::DaemonSetUnreadable => {
                "no option helps: kubectl must be able to read the pod's DaemonSet".to_string()
            }
        };
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    hints
}

/// A pod's state as the running table shows it.
pub fn pod_state_text(state: &PodState) -> String {
    let retry = go_duration(EVICTION_RETRY_DELAY);
    match state {
        PodState::Pending => "Pending".to_string(),
        PodState::Evicting => "Evicting".to_string(),
        PodState::BlockedByBudget { budget, .. } if budget.is_empty() => {
            format!("blocked by a PodDisruptionBudget: retrying every {retry}")
        }
        PodState::BlockedByBudget {
            budget,
            allowed,
            current,
            desired,
            expected,
            ..
        } => format!(
            "blocked by PodDisruptionBudget {budget} (allowed {allowed}, current {current}, desired {desired}, expected {expected}): retrying every {retry}"
        ),
        // kubectl's line already says it will retry.
        PodState::Retrying(line) => line.clone(),
        PodState::Deleting => "Deleting".to_string(),
        PodState::Deleted => "Deleted".to_string(),
        PodState::Skipped(line) => format!("Skipped: {line}"),
        PodState::Failed(message) => format!("Failed: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEvent;
    use jiff::Timestamp;

    use super::*;
    use crate::model::drain::{DaemonSetLookup, plan_drain};
    use crate::model::meta::{ObjectMeta, OwnerReference};
    use crate::model::pod::Pod;

    const NODE: &str = "worker-1";

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn press(view: &mut DrainView, keys: &str) -> Vec<DrainViewOutcome> {
        keys.chars()
            .map(|c| view.on_key(key(KeyCode::Char(c))))
            .collect()
    }

    fn pod(namespace: &str, name: &str, controller: Option<(&str, &str)>) -> Pod {
        let mut pod = Pod {
            metadata: ObjectMeta {
                namespace: namespace.to_string(),
                name: name.to_string(),
                ..ObjectMeta::default()
            },
            ..Pod::default()
        };
        pod.spec.node_name = NODE.to_string();
        pod.status.phase = "Running".to_string();
        if let Some((kind, owner)) = controller {
            pod.metadata.owner_references.push(OwnerReference {
                api_version: "apps/v1".to_string(),
                kind: kind.to_string(),
                name: owner.to_string(),
                uid: "u-1".to_string(),
                controller: Some(true),
            });
        }
        pod
    }

    fn plan(pods: &[Pod], options: &DrainOptions) -> DrainPlan {
        let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
        plan_drain(NODE, pods, options, &|_, _| DaemonSetLookup::Exists, now).unwrap()
    }

    fn managed_pods() -> Vec<Pod> {
        vec![
            pod("shop", "web-1", Some(("ReplicaSet", "web-7d"))),
            pod("shop", "cart-0", Some(("StatefulSet", "cart"))),
            pod("kube-system", "proxy-x", Some(("DaemonSet", "proxy"))),
        ]
    }

    /// A view past the form, showing the plan of `pods` for its options.
    fn planned(pods: &[Pod], options: DrainOptions) -> DrainView {
        let mut view = DrainView::new(NODE.to_string());
        view.options = options;
        assert_eq!(
            view.on_key(key(KeyCode::Char('p'))),
            DrainViewOutcome::Plan(view.options.clone())
        );
        view.on_plan(plan(pods, &view.options));
        view
    }

    fn ignoring_daemon_sets() -> DrainOptions {
        DrainOptions {
            ignore_daemonsets: true,
            ..DrainOptions::default()
        }
    }

    #[test]
    fn a_new_view_has_kubectls_defaults() {
        let view = DrainView::new(NODE.to_string());
        assert_eq!(view.stage, DrainStage::Options);
        assert_eq!(view.options, DrainOptions::default());
        assert_eq!(view.options.requested_grace_period_seconds(), None);
        assert_eq!(view.options.timeout, None);
        assert!(!view.options.ignore_daemonsets);
        assert!(!view.options.delete_emptydir_data);
        assert!(!view.options.force);
        assert!(!view.options.disable_eviction);
        assert_eq!(
            OptionRow::GracePeriod.flag(&view.options).as_deref(),
            Some("--grace-period=-1")
        );
        assert_eq!(
            OptionRow::Timeout.flag(&view.options).as_deref(),
            Some("--timeout=0s")
        );
        assert_eq!(
            view.kubectl_command(),
            "kubectl drain worker-1 --grace-period=-1 --timeout=0s"
        );
        assert_eq!(view.selected_row(), OptionRow::GracePeriod);
    }

    #[test]
    fn space_and_enter_toggle_the_flags() {
        let mut view = DrainView::new(NODE.to_string());
        press(&mut view, "jj ");
        assert_eq!(view.selected_row(), OptionRow::IgnoreDaemonSets);
        assert!(view.options.ignore_daemonsets);
        view.on_key(key(KeyCode::Down));
        view.on_key(key(KeyCode::Enter));
        assert!(view.options.delete_emptydir_data);
        press(&mut view, "j j ");
        assert!(view.options.force);
        assert!(view.options.disable_eviction);
        assert_eq!(
            view.kubectl_command(),
            "kubectl drain worker-1 --grace-period=-1 --timeout=0s --ignore-daemonsets --delete-emptydir-data --force --disable-eviction"
        );
        // A second toggle turns it off; k moves back up and stops at the first row.
        press(&mut view, "k ");
        assert!(!view.options.force);
        press(&mut view, "kkkkkkkk");
        assert_eq!(view.field, 0);
        press(&mut view, "jjjjjjjjjj");
        assert_eq!(view.selected_row(), OptionRow::ShowPlan);
    }

    #[test]
    fn numbers_are_typed_kept_with_enter_and_undone_with_esc() {
        let mut view = DrainView::new(NODE.to_string());
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.editing.as_deref(), Some(""));
        // Letters are not seconds; j does not move while typing.
        press(&mut view, "1x2j0");
        assert_eq!(view.editing.as_deref(), Some("120"));
        view.on_key(key(KeyCode::Backspace));
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.editing, None);
        assert_eq!(view.options.grace_period_seconds, Some(12));
        assert_eq!(
            OptionRow::GracePeriod.meaning(&view.options),
            "12s for every pod"
        );

        // -1 goes back to each pod's own.
        press(&mut view, " -1");
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.options.grace_period_seconds, None);

        // Esc leaves the value as it was; so does enter with nothing typed.
        press(&mut view, "j 90");
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));
        assert_eq!(
            OptionRow::Timeout.flag(&view.options).as_deref(),
            Some("--timeout=1m30s")
        );
        press(&mut view, " 5");
        assert_eq!(
            view.on_key(key(KeyCode::Esc)),
            DrainViewOutcome::Nothing,
            "esc while typing does not close the dialog"
        );
        assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));
        view.on_key(key(KeyCode::Char(' ')));
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));

        // 0 waits forever again; a minus sign is no timeout.
        press(&mut view, " -0");
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.options.timeout, None);
    }

    #[test]
    fn a_number_too_big_for_kubectl_is_refused_digit_by_digit() {
        let mut view = DrainView::new(NODE.to_string());
        press(&mut view, "j 99999999999");
        assert_eq!(view.editing.as_deref(), Some("999999999"));
        view.on_key(key(KeyCode::Enter));
        assert_eq!(view.options.timeout, Some(Duration::from_secs(999_999_999)));
        press(&mut view, "k 99999999999999999999");
        assert_eq!(view.editing, Some("9".repeat(18)));
    }

    #[test]
    fn p_or_the_last_row_asks_for_the_plan_and_esc_closes() {
        let mut view = DrainView::new(NODE.to_string());
        press(&mut view, "jj ");
        assert_eq!(
            view.on_key(key(KeyCode::Char('p'))),
            DrainViewOutcome::Plan(ignoring_daemon_sets())
        );
        assert!(view.planning);
        // The options stay as asked with until the plan comes.
        press(&mut view, "j ");
        assert_eq!(view.options, ignoring_daemon_sets());

        let mut view = DrainView::new(NODE.to_string());
        press(&mut view, "jjjjjj");
        assert_eq!(view.selected_row(), OptionRow::ShowPlan);
        assert_eq!(
            view.on_key(key(KeyCode::Enter)),
            DrainViewOutcome::Plan(DrainOptions::default())
        );
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);

        let mut view = DrainView::new(NODE.to_string());
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);
    }

    #[test]
    fn a_failed_plan_is_shown_on_the_form() {
        let mut view = DrainView::new(NODE.to_string());
        press(&mut view, "p");
        view.on_plan_failed("pods is forbidden".to_string());
        assert!(!view.planning);
        assert_eq!(view.plan_error.as_deref(), Some("pods is forbidden"));
        assert_eq!(view.stage, DrainStage::Options);
        press(&mut view, "jj ");
        assert!(
            view.options.ignore_daemonsets,
            "the form takes changes again"
        );
    }

    #[test]
    fn the_plan_arrives_and_y_starts_the_drain() {
        let mut view = planned(&managed_pods(), ignoring_daemon_sets());
        let DrainStage::Planned(plan) = &view.stage else {
            panic!("{:?}", view.stage);
        };
        assert!(plan.can_proceed());
        assert!(!view.planning);
        assert_eq!(
            view.prompt().as_deref(),
            Some("Drain node worker-1: cordon it and evict 2 pods? [y/N]")
        );
        assert_eq!(
            view.on_key(key(KeyCode::Char('y'))),
            DrainViewOutcome::Start(ignoring_daemon_sets())
        );
        assert_eq!(view.stage, DrainStage::Running);
        assert_eq!(
            view.pods,
            vec![
                ("shop".into(), "web-1".into(), PodState::Pending),
                ("shop".into(), "cart-0".into(), PodState::Pending),
            ]
        );
        // A second y starts nothing.
        assert_eq!(
            view.on_key(key(KeyCode::Char('y'))),
            DrainViewOutcome::Nothing
        );
    }

    #[test]
    fn the_prompt_says_delete_and_counts_one_pod() {
        let options = DrainOptions {
            disable_eviction: true,
            ..ignoring_daemon_sets()
        };
        let view = planned(&managed_pods()[..1], options);
        assert_eq!(
            view.prompt().as_deref(),
            Some("Drain node worker-1: cordon it and delete 1 pod? [y/N]")
        );
    }

    #[test]
    fn no_is_the_default_and_goes_back_to_the_options() {
        for code in [
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Char('n'),
            KeyCode::Char('N'),
        ] {
            let mut view = planned(&managed_pods(), ignoring_daemon_sets());
            assert_eq!(
                view.on_key(key(code)),
                DrainViewOutcome::Nothing,
                "{code:?}"
            );
            assert_eq!(view.stage, DrainStage::Options, "{code:?}");
            assert_eq!(view.options, ignoring_daemon_sets());
            // The form works again, and asks for a new plan.
            press(&mut view, "jjjj ");
            assert_eq!(
                view.on_key(key(KeyCode::Char('p'))),
                DrainViewOutcome::Plan(DrainOptions {
                    force: true,
                    ..ignoring_daemon_sets()
                })
            );
        }
    }

    #[test]
    fn a_blocked_plan_takes_no_y_and_says_which_option_unblocks_it() {
        let pods = [
            pod("shop", "web-1", Some(("ReplicaSet", "web-7d"))),
            pod("default", "debug", None),
            pod("kube-system", "proxy-x", Some(("DaemonSet", "proxy"))),
            pod("default", "debug-2", None),
        ];
        let mut view = planned(&pods, DrainOptions::default());
        let DrainStage::Planned(plan) = &view.stage else {
            panic!("{:?}", view.stage);
        };
        assert!(!plan.can_proceed());
        assert_eq!(
            unblock_hints(plan),
            vec![
                "use force to delete pods that declare no controller",
                "use ignore DaemonSet pods to leave DaemonSet pods in place",
            ]
        );
        assert_eq!(view.prompt(), None);
        for c in ['y', 'Y'] {
            assert_eq!(
                view.on_key(key(KeyCode::Char(c))),
                DrainViewOutcome::Nothing
            );
            assert!(matches!(view.stage, DrainStage::Planned(_)));
        }
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Nothing);
        assert_eq!(view.stage, DrainStage::Options);
    }

    #[test]
    fn a_plan_arriving_past_the_form_is_ignored() {
        let mut view = planned(&managed_pods(), ignoring_daemon_sets());
        let shown = view.stage.clone();
        view.on_plan(plan(&managed_pods()[..1], &ignoring_daemon_sets()));
        assert_eq!(view.stage, shown);
    }

    fn running() -> DrainView {
        let mut view = planned(&managed_pods(), ignoring_daemon_sets());
        view.on_key(key(KeyCode::Char('y')));
        view
    }

    fn budget_refusal() -> PodState {
        PodState::BlockedByBudget {
            budget: "cart-pdb".into(),
            message: "error when evicting pods/\"cart-0\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.".into(),
            allowed: 0,
            current: 2,
            desired: 2,
            expected: 2,
        }
    }

    fn pod_progress(namespace: &str, name: &str, state: PodState) -> DrainProgress {
        DrainProgress::Pod {
            namespace: namespace.into(),
            name: name.into(),
            state,
        }
    }

    #[test]
    fn progress_updates_each_pod_in_plan_order() {
        let mut view = running();
        view.on_progress(DrainProgress::Cordoned);
        assert_eq!(view.cordon.as_deref(), Some("node/worker-1 cordoned"));
        // The drain's own plan: a pod appeared since the preview.
        let mut pods = managed_pods();
        pods.push(pod("shop", "web-2", Some(("ReplicaSet", "web-7d"))));
        view.on_progress(DrainProgress::Planned(plan(&pods, &ignoring_daemon_sets())));
        view.on_progress(pod_progress("shop", "web-2", PodState::Evicting));
        view.on_progress(pod_progress("shop", "cart-0", budget_refusal()));
        view.on_progress(pod_progress("shop", "web-1", PodState::Evicting));
        view.on_progress(pod_progress("shop", "web-1", PodState::Deleted));
        assert_eq!(view.stage, DrainStage::Running);
        assert_eq!(
            view.pods,
            vec![
                ("shop".into(), "web-1".into(), PodState::Deleted),
                ("shop".into(), "cart-0".into(), budget_refusal()),
                ("shop".into(), "web-2".into(), PodState::Evicting),
            ]
        );
        assert_eq!(view.counts_text(), "1 evicted, 1 blocked, 0 failed of 3");
        assert_eq!(
            pod_state_text(&budget_refusal()),
            "blocked by PodDisruptionBudget cart-pdb (allowed 0, current 2, desired 2, expected 2): retrying every 5s"
        );

        view.on_progress(pod_progress(
            "shop",
            "web-2",
            PodState::Failed("context deadline exceeded".into()),
        ));
        view.on_progress(pod_progress(
            "shop",
            "cart-0",
            PodState::Skipped(
                "pod \"cart-0\" has DeletionTimestamp older than 5 seconds, skipping".into(),
            ),
        ));
        assert_eq!(
            view.counts(),
            DrainCounts {
                removed: 1,
                blocked: 0,
                failed: 1,
                skipped: 1,
                total: 3
            }
        );
        assert_eq!(
            view.counts_text(),
            "1 evicted, 0 blocked, 1 failed, 1 skipped of 3"
        );
    }

    #[test]
    fn the_cordon_line_is_kubectls() {
        let mut view = running();
        view.on_progress(DrainProgress::AlreadyCordoned);
        assert_eq!(
            view.cordon.as_deref(),
            Some("node/worker-1 already cordoned")
        );
        assert!(!view.cordon_failed);
        let mut view = running();
        let line = "error: unable to cordon node \"worker-1\": nodes is forbidden";
        view.on_progress(DrainProgress::CordonFailed(line.into()));
        assert_eq!(view.cordon.as_deref(), Some(line));
        assert!(view.cordon_failed);
    }

    fn summary(cancelled: bool, failed: usize, text: &str) -> DrainSummary {
        DrainSummary {
            evicted: 1,
            deleted: 0,
            failed,
            skipped: 1,
            cancelled,
            node_left_cordoned: true,
            text: text.into(),
        }
    }

    #[test]
    fn esc_cancels_once_and_the_summary_ends_the_drain() {
        let mut view = running();
        view.on_progress(DrainProgress::Cordoned);
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Cancel);
        assert!(view.cancelling);
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Nothing);
        let cancelled = summary(
            true,
            0,
            "drain cancelled: node worker-1 stays cordoned; 1 pod was evicted, 1 not",
        );
        view.on_progress(DrainProgress::Finished(cancelled.clone()));
        assert_eq!(view.stage, DrainStage::Finished(cancelled.clone()));
        assert!(!view.drained());
        // Nothing after the end changes it.
        view.on_progress(pod_progress("shop", "web-1", PodState::Deleted));
        assert_eq!(view.stage, DrainStage::Finished(cancelled));
        assert_eq!(view.state_of("shop", "web-1"), Some(&PodState::Pending));
        assert_eq!(
            view.on_key(key(KeyCode::Char('y'))),
            DrainViewOutcome::Nothing
        );
        assert_eq!(view.on_key(key(KeyCode::Enter)), DrainViewOutcome::Close);
    }

    #[test]
    fn a_drain_that_removed_every_pod_is_drained() {
        let mut view = running();
        view.on_progress(DrainProgress::Cordoned);
        view.on_progress(DrainProgress::Planned(plan(
            &managed_pods(),
            &ignoring_daemon_sets(),
        )));
        for name in ["web-1", "cart-0"] {
            view.on_progress(pod_progress("shop", name, PodState::Deleted));
        }
        view.on_progress(DrainProgress::Finished(summary(
            false,
            0,
            "node/worker-1 drained",
        )));
        assert!(view.drained());
        assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);
    }

    #[test]
    fn ctrl_chords_are_left_to_the_app() {
        let mut view = DrainView::new(NODE.to_string());
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(view.on_key(ctrl_c), DrainViewOutcome::Nothing);
        assert_eq!(view.on_key(ctrl_j), DrainViewOutcome::Nothing);
        assert_eq!(view.field, 0);
    }

    #[test]
    fn decisions_read_as_their_kind() {
        assert_eq!(decision_text(Decision::Evict), "evict");
        assert_eq!(
            decision_text(Decision::Skip(SkipReason::MirrorPod)),
            "skip: mirror pod"
        );
        assert_eq!(
            decision_text(Decision::Blocked(BlockReason::LocalStorage)),
            "blocked: local storage"
        );
    }
}
