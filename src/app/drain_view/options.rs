//! The drain dialog's form: kubectl's options, one row each, with what each means.

use super::*;

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
    pub(super) fn accepts(self, text: &str) -> bool {
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
pub(super) fn grace_period_value(options: &DrainOptions) -> i64 {
    options.requested_grace_period_seconds().unwrap_or(-1)
}

/// `--timeout`'s value as kubectl prints a Go duration: `0s` for forever.
pub(super) fn timeout_value(options: &DrainOptions) -> String {
    go_duration(options.timeout.unwrap_or(Duration::ZERO))
}
