//! A pod as the explorer keeps it, worked out where the watch decodes it: on the watch's
//! workers, so the loop's thread only shares its strings and stores it. At 51,539 pods the
//! loop spent 4.5 µs a pod taking one in, most of it working out the row and dropping the
//! typed pod (freeing on one thread what another had allocated); it is now a third of that.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::health::{Health, pod_health};
use super::packed_text::PackedText;
use super::pod::Pod;
use super::pod_resources::{Reserved, reserved};
use super::pod_row::wide_cells;
use super::pod_status::pod_columns;

/// What the panes, the filter, the owner tree and triage read of a pod without unpacking it,
/// and its JSON text packed.
#[derive(Debug, Clone)]
pub struct WatchedPod {
    pub namespace: String,
    pub name: String,
    /// READY, `ready/total`.
    pub ready: String,
    pub status: String,
    pub restart_count: i64,
    /// The latest termination among the containers whose restarts are counted (RESTARTS'
    /// `(5m ago)` is worded from it when drawn).
    pub last_restart: Option<Timestamp>,
    pub ip: String,
    /// NODE and NOMINATED NODE as printed (`<none>` when unset).
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
    pub health: Health,
    /// A container's last run ended OOMKilled (triage reads such a pod even once it runs).
    pub oom_killed: bool,
    /// `spec.nodeName` as written (empty when unscheduled).
    pub node_name: String,
    /// The uid of its controller owner, when it names one.
    pub controller_uid: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub created: Option<Timestamp>,
    pub qos_class: String,
    pub reserved: Reserved,
    pub phase: String,
    pub restart_policy: String,
    pub scheduler_name: String,
    pub service_account_name: String,
    pub host_network: bool,
    pub text: PackedText,
}

/// The clock the row is worked out at. Nothing kept depends on it: AGE and RESTARTS' `ago`
/// are worded when drawn, from `created` and `last_restart`, at the app's own clock.
const NO_CLOCK: Timestamp = Timestamp::UNIX_EPOCH;

impl WatchedPod {
    /// The pod's row and fields, its strings moved out of the typed pod.
    pub fn new(pod: Pod, text: PackedText) -> Self {
        // The row's cells without its name, namespace and AGE: those are the pod's own
        // fields, and AGE is worded when drawn.
        let columns = pod_columns(&pod, NO_CLOCK, &mut ());
        let cells = wide_cells(&pod);
        let health = pod_health(&columns);
        let reserved = reserved(&pod);
        let oom_killed = pod
            .status
            .container_statuses
            .iter()
            .chain(&pod.status.init_container_statuses)
            .any(|c| {
                c.last_state
                    .terminated
                    .as_ref()
                    .is_some_and(|t| t.reason == "OOMKilled")
            });
        let controller_uid = pod
            .metadata
            .controller()
            .filter(|owner| !owner.uid.is_empty())
            .map(|owner| owner.uid.clone());
        let Pod {
            metadata,
            spec,
            status,
        } = pod;
        WatchedPod {
            namespace: metadata.namespace,
            name: metadata.name,
            ready: columns.ready,
            status: columns.status,
            restart_count: columns.restart_count,
            last_restart: columns.last_restart,
            ip: cells.ip,
            node: cells.node,
            nominated_node: cells.nominated_node,
            readiness_gates: cells.readiness_gates,
            health,
            oom_killed,
            node_name: spec.node_name,
            controller_uid,
            labels: metadata.labels,
            created: metadata.creation_timestamp,
            qos_class: status.qos_class,
            reserved,
            phase: status.phase,
            restart_policy: spec.restart_policy,
            scheduler_name: spec.scheduler_name,
            service_account_name: spec.service_account_name,
            host_network: spec.host_network,
            text,
        }
    }
}
