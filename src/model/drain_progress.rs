//! How a running drain reports itself: each step, each pod's state, and how it ended.

use std::time::Duration;

use super::drain::DrainPlan;

/// kubectl's pause between two eviction attempts refused with 429 (or by a terminating
/// namespace).
pub const EVICTION_RETRY_DELAY: Duration = Duration::from_secs(5);

/// One step of a drain, in the order they happen; [`Finished`](DrainProgress::Finished) is
/// always the last message.
#[derive(Debug, Clone, PartialEq)]
pub enum DrainProgress {
    /// The node was cordoned (`node/NAME cordoned`).
    Cordoned,
    /// The node was cordoned already.
    AlreadyCordoned,
    /// The cordon patch failed; kubectl's line (`error: unable to cordon node "N": …`). As
    /// kubectl does, the drain goes on.
    CordonFailed(String),
    /// What the drain does to each pod on the node.
    Planned(DrainPlan),
    /// A pod the plan removes changed state.
    Pod {
        namespace: String,
        name: String,
        state: PodState,
    },
    Finished(DrainSummary),
}

/// Where one pod the plan removes stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodState {
    /// Not started yet.
    Pending,
    /// Its eviction is being asked for, or was granted and the pod is terminating.
    Evicting,
    /// The eviction was refused because a PodDisruptionBudget allows no disruption now; it is
    /// asked for again every 5 s. The numbers are the budget's status as last read.
    BlockedByBudget {
        budget: String,
        /// kubectl's line for the refusal (`error when evicting pods/"P" -n "NS" (will retry
        /// after 5s): …`), with the server's message.
        message: String,
        /// `status.disruptionsAllowed`.
        allowed: i32,
        /// `status.currentHealthy`.
        current: i32,
        /// `status.desiredHealthy`.
        desired: i32,
        /// `status.expectedPods`.
        expected: i32,
    },
    /// Refused for a reason that passes (a 429 without a budget, a terminating namespace);
    /// asked for again every 5 s. kubectl's line for it.
    Retrying(String),
    /// Its DELETE is being sent, or was accepted and the pod is terminating.
    Deleting,
    /// Gone (or replaced by a new pod of the same name).
    Deleted,
    /// Its deletion was requested longer ago than `--skip-wait-for-delete-timeout`, so the drain
    /// stops waiting for it; kubectl's line.
    Skipped(String),
    /// kubectl's error for this pod.
    Failed(String),
}

/// How a drain ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainSummary {
    /// Pods removed through the Eviction API (after a cancel: whose eviction was granted).
    pub evicted: usize,
    /// Pods removed with DELETE (after a cancel: whose deletion was accepted).
    pub deleted: usize,
    pub failed: usize,
    /// Pods the plan leaves in place, and pods no longer waited for
    /// (`--skip-wait-for-delete-timeout`).
    pub skipped: usize,
    pub cancelled: bool,
    /// The drain never uncordons: the node stays cordoned unless cordoning it failed.
    pub node_left_cordoned: bool,
    /// kubectl's last line: `node/NAME drained`, `error: unable to drain node "NAME" …`, or what
    /// a cancel left.
    pub text: String,
}

/// What [`set_unschedulable`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CordonOutcome {
    pub node: String,
    /// The value asked for: `true` cordons, `false` uncordons.
    pub unschedulable: bool,
    /// `false` when the node already had that value, so nothing was sent.
    pub changed: bool,
    /// The patch was sent with `dryRun=All`: the server checked it and stored nothing.
    pub dry_run: bool,
}

impl CordonOutcome {
    /// kubectl's line: `node/NAME cordoned`, `node/NAME already uncordoned`, with
    /// ` (server dry run)` after a dry run.
    pub fn text(&self) -> String {
        let verb = if self.unschedulable {
            "cordoned"
        } else {
            "uncordoned"
        };
        let already = if self.changed { "" } else { "already " };
        let dry_run = if self.dry_run {
            " (server dry run)"
        } else {
            ""
        };
        format!("node/{} {already}{verb}{dry_run}", self.node)
    }
}

/// A duration as Go's `time.Duration.String` prints it (`15s`, `1m0s`, `1.5s`, `250ms`), which
/// kubectl uses for `--timeout` in its messages. Durations beyond Go's range print as its
/// largest one, as kubectl's "forever" is `math.MaxInt64` nanoseconds.
pub fn go_duration(duration: Duration) -> String {
    let nanos = u64::try_from(duration.as_nanos()).unwrap_or(i64::MAX as u64);
    let nanos = nanos.min(i64::MAX as u64);
    if nanos == 0 {
        return "0s".to_string();
    }
    if nanos < 1_000_000_000 {
        let (unit, scale) = if nanos < 1_000 {
            ("ns", 1)
        } else if nanos < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{}{unit}", decimal(nanos / scale, nanos % scale, scale));
    }
    let seconds = nanos / 1_000_000_000;
    let fraction = nanos % 1_000_000_000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let seconds = format!("{}s", decimal(seconds, fraction, 1_000_000_000));
    if hours > 0 {
        format!("{hours}h{minutes}m{seconds}")
    } else if minutes > 0 {
        format!("{minutes}m{seconds}")
    } else {
        seconds
    }
}

/// `whole.fraction` with the fraction's trailing zeros dropped (and the point with them).
fn decimal(whole: u64, fraction: u64, scale: u64) -> String {
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = scale.ilog10() as usize;
    let fraction = format!("{fraction:0digits$}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}
