//! A whole `kubectl get pods` row: the computed columns, AGE, and the `-o wide` cells.

use jiff::Timestamp;

use super::duration::age;
use super::pod::Pod;
use super::pod_status::{PodColumns, pod_columns};

/// One row of `kubectl get pods -o wide`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    pub name: String,
    pub namespace: String,
    pub columns: PodColumns,
    pub age: String,
    pub ip: String,
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
    /// The table-row condition the printer attaches to finished pods: `(reason, message)`.
    pub completed: Option<(&'static str, &'static str)>,
}

/// Builds the row for `pod` as the API server's table printer does.
pub fn pod_row(pod: &Pod, now: Timestamp) -> PodRow {
    let WideCells {
        ip,
        node,
        nominated_node,
        readiness_gates,
    } = wide_cells(pod);
    let completed = match pod.status.phase.as_str() {
        "Succeeded" => Some(("Succeeded", "The pod has completed successfully.")),
        "Failed" => Some(("Failed", "The pod failed.")),
        _ => None,
    };
    PodRow {
        name: pod.metadata.name.clone(),
        namespace: pod.metadata.namespace.clone(),
        columns: pod_columns(pod, now, &mut ()),
        age: age(pod.metadata.creation_timestamp, now),
        ip,
        node,
        nominated_node,
        readiness_gates,
        completed,
    }
}

/// The cells `-o wide` adds to a pod's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideCells {
    pub ip: String,
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
}

/// The cells `-o wide` adds, as the printer words them (`<none>` for an empty one).
pub fn wide_cells(pod: &Pod) -> WideCells {
    let status = &pod.status;
    // v1 → internal conversion fills podIPs from podIP only when podIPs is empty.
    let ip = none_if_empty(
        status
            .pod_ips
            .first()
            .map_or(status.pod_ip.as_str(), |ip| ip.ip.as_str()),
    );
    let readiness_gates = if pod.spec.readiness_gates.is_empty() {
        "<none>".to_string()
    } else {
        let passing = pod
            .spec
            .readiness_gates
            .iter()
            .filter(|gate| {
                status
                    .conditions
                    .iter()
                    .find(|c| c.type_ == gate.condition_type)
                    .is_some_and(|c| c.status == "True")
            })
            .count();
        format!("{passing}/{}", pod.spec.readiness_gates.len())
    };
    WideCells {
        ip,
        node: none_if_empty(&pod.spec.node_name),
        nominated_node: none_if_empty(&status.nominated_node_name),
        readiness_gates,
    }
}

/// kubectl's `<none>` for an empty cell.
pub fn none_if_empty(value: &str) -> String {
    if value.is_empty() {
        "<none>".to_string()
    } else {
        value.to_string()
    }
}
