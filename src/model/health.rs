//! How healthy a printed status is, as a type, so that views colour statuses without matching
//! strings themselves.

use serde::Serialize;

use super::pod_status::PodColumns;

/// A coarse reading of a status for colour and sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Health {
    /// Running and ready, or a node that is Ready.
    Healthy,
    /// On its way: scheduling, creating, initialising, terminating.
    Progressing,
    /// Finished as intended.
    Done,
    /// Needs attention.
    Failing,
    /// The truth is not known (a node stopped reporting).
    Unknown,
}

/// Reads a pod's health from its computed columns.
pub fn pod_health(columns: &PodColumns) -> Health {
    let status = columns.status.as_str();
    match status {
        "Running" if columns.ready_containers == columns.total_containers => Health::Healthy,
        "Running" | "NotReady" => Health::Failing,
        "Completed" | "Succeeded" => Health::Done,
        "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" | "SchedulingGated" => {
            Health::Progressing
        }
        "Unknown" | "" => Health::Unknown,
        s if is_init_progress(s) => Health::Progressing,
        _ => Health::Failing,
    }
}

/// `Init:N/M` is progress; any other `Init:` reason is a failure.
fn is_init_progress(status: &str) -> bool {
    status
        .strip_prefix("Init:")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(done, total)| {
            done.bytes().all(|b| b.is_ascii_digit()) && total.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Reads a node's health from its printed STATUS.
pub fn node_health(status: &str) -> Health {
    match status.split(',').next().unwrap_or("") {
        "Ready" if status.contains("SchedulingDisabled") => Health::Progressing,
        "Ready" => Health::Healthy,
        "NotReady" => Health::Failing,
        _ => Health::Unknown,
    }
}

/// Reads a namespace's health from its phase.
pub fn namespace_health(phase: &str) -> Health {
    match phase {
        "Active" => Health::Healthy,
        "Terminating" => Health::Progressing,
        _ => Health::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(status: &str, ready: i64, total: i64) -> PodColumns {
        PodColumns {
            ready: format!("{ready}/{total}"),
            ready_containers: ready,
            total_containers: total,
            status: status.to_string(),
            restarts: "0".into(),
            restart_count: 0,
            last_restart: None,
        }
    }

    #[test]
    fn readings() {
        assert_eq!(pod_health(&columns("Running", 2, 2)), Health::Healthy);
        assert_eq!(pod_health(&columns("Running", 1, 2)), Health::Failing);
        assert_eq!(pod_health(&columns("Init:1/3", 0, 1)), Health::Progressing);
        assert_eq!(
            pod_health(&columns("Init:CrashLoopBackOff", 0, 1)),
            Health::Failing
        );
        assert_eq!(pod_health(&columns("Completed", 0, 1)), Health::Done);
        assert_eq!(pod_health(&columns("OOMKilled", 0, 1)), Health::Failing);
        assert_eq!(pod_health(&columns("Unknown", 0, 1)), Health::Unknown);
        assert_eq!(node_health("Ready"), Health::Healthy);
        assert_eq!(node_health("Ready,SchedulingDisabled"), Health::Progressing);
        assert_eq!(node_health("NotReady,SchedulingDisabled"), Health::Failing);
        assert_eq!(node_health("Unknown"), Health::Unknown);
        assert_eq!(namespace_health("Terminating"), Health::Progressing);
    }
}
