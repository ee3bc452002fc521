//! The drain's words: what the plan decided for a pod, what would unblock it, where a pod
//! being removed stands.

use super::*;

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
