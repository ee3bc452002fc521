//! A node's STATUS and ROLES as kubectl prints them, the rest of its row, and why.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};

use super::duration::{age, human_duration};
use super::meta::{Condition, Taint};
use super::node::Node;
use super::pod_row::none_if_empty;
use super::pod_status::{shown, timestamp_shown};
use super::trace::{Step, Trace};

const ROLE_LABEL_PREFIX: &str = "node-role.kubernetes.io/";
const ROLE_LABEL: &str = "kubernetes.io/role";

/// How long pods tolerate `not-ready` / `unreachable` by default (DefaultTolerationSeconds).
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// One row of `kubectl get nodes -o wide`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub name: String,
    pub status: String,
    pub roles: String,
    pub age: String,
    pub version: String,
    pub internal_ip: String,
    pub external_ip: String,
    pub os_image: String,
    pub kernel_version: String,
    pub container_runtime: String,
}

/// Computes the node's row at `now`, recording how STATUS and ROLES were decided.
pub fn node_row(node: &Node, now: Timestamp, trace: &mut impl Trace) -> NodeRow {
    let status = node_status(node, now, trace);
    let roles = node_roles(node, trace);
    let info = &node.status.node_info;
    let address = |type_: &str| {
        none_if_empty(
            node.status
                .addresses
                .iter()
                .find(|a| a.type_ == type_)
                .map_or("", |a| a.address.as_str()),
        )
    };
    let unknown_if_empty = |value: &str| {
        if value.is_empty() {
            "<unknown>".to_string()
        } else {
            value.to_string()
        }
    };
    let mut kernel_version = unknown_if_empty(&info.kernel_version);
    if !info.architecture.is_empty() {
        kernel_version = format!("{kernel_version} ({})", info.architecture);
    }
    NodeRow {
        name: node.metadata.name.clone(),
        status,
        roles,
        age: age(node.metadata.creation_timestamp, now),
        version: info.kubelet_version.clone(),
        internal_ip: address("InternalIP"),
        external_ip: address("ExternalIP"),
        os_image: unknown_if_empty(&info.os_image),
        kernel_version,
        container_runtime: unknown_if_empty(&info.container_runtime_version),
    }
}

/// The Ready condition as the printer finds it: the last condition of type Ready wins.
pub fn ready_condition(node: &Node) -> Option<(usize, &Condition)> {
    node.status
        .conditions
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| c.type_ == "Ready")
}

fn node_status(node: &Node, now: Timestamp, trace: &mut impl Trace) -> String {
    let mut parts = Vec::new();
    match ready_condition(node) {
        Some((index, ready)) => {
            let word = if ready.status == "True" {
                "Ready"
            } else {
                "NotReady"
            };
            parts.push(word);
            trace.record(|| {
                Step::new(
                    format!("status.conditions[{index}].status"),
                    shown(&ready.status),
                    match ready.status.as_str() {
                        "True" => "the Ready condition is True: STATUS is Ready".to_string(),
                        "Unknown" => "the Ready condition is Unknown (the node stopped reporting): kubectl prints NotReady".to_string(),
                        _ => format!("the Ready condition is not True: STATUS is NotReady{}", reason_suffix(ready)),
                    },
                )
            });
            if let Some(heartbeat) = ready.last_heartbeat_time {
                trace.record(|| {
                    Step::new(
                        format!("status.conditions[{index}].lastHeartbeatTime"),
                        timestamp_shown(Some(heartbeat), now),
                        "when the kubelet last reported this condition",
                    )
                });
            }
        }
        None => {
            parts.push("Unknown");
            trace.record(|| {
                Step::new(
                    "status.conditions[type=Ready]",
                    "(absent)",
                    "no Ready condition has been reported: STATUS is Unknown",
                )
            });
        }
    }
    if node.spec.unschedulable {
        parts.push("SchedulingDisabled");
        trace.record(|| {
            Step::new(
                "spec.unschedulable",
                "true",
                "the node is cordoned: STATUS gains SchedulingDisabled",
            )
        });
    }
    let status = parts.join(",");
    trace.record(|| Step::new("STATUS", &status, "the final STATUS"));
    status
}

fn node_roles(node: &Node, trace: &mut impl Trace) -> String {
    let mut roles = BTreeSet::new();
    for (key, value) in &node.metadata.labels {
        if let Some(role) = key
            .strip_prefix(ROLE_LABEL_PREFIX)
            .filter(|r| !r.is_empty())
        {
            roles.insert(role.to_string());
            trace.record(|| {
                Step::new(
                    format!("metadata.labels[\"{key}\"]"),
                    shown(value),
                    format!("a {ROLE_LABEL_PREFIX}* label names the role {role:?} (its value is ignored)"),
                )
            });
        } else if key == ROLE_LABEL && !value.is_empty() {
            roles.insert(value.clone());
            trace.record(|| {
                Step::new(
                    format!("metadata.labels[\"{key}\"]"),
                    value,
                    format!("the {ROLE_LABEL} label names the role {value:?}"),
                )
            });
        }
    }
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    };
    trace.record(|| {
        Step::new(
            "ROLES",
            &roles,
            "roles from node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted",
        )
    });
    roles
}

fn reason_suffix(condition: &Condition) -> String {
    match (condition.reason.is_empty(), condition.message.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(" ({})", condition.reason),
        (true, false) => format!(" ({})", condition.message),
        (false, false) => format!(" ({}: {})", condition.reason, condition.message),
    }
}

/// Likely causes and next steps for the node's state, each with the evidence behind it.
pub fn node_hints(node: &Node, now: Timestamp) -> Vec<String> {
    let mut hints = Vec::new();
    let name = &node.metadata.name;
    let taint = |key: &str| {
        node.spec
            .taints
            .iter()
            .find(|t| t.key == key && t.effect == "NoExecute")
    };
    match ready_condition(node) {
        None => hints.push(format!(
            "No Ready condition: the kubelet on {name} has never reported status (a node that is still registering, or whose kubelet cannot reach the API server). Check the kubelet on the machine: `systemctl status kubelet`, `journalctl -u kubelet`."
        )),
        Some((_, ready)) if ready.status == "Unknown" => {
            let heartbeat = ready
                .last_heartbeat_time
                .map(|t| format!("last heartbeat {} ago", human_duration(now.duration_since(t))))
                .unwrap_or_else(|| "no heartbeat recorded".to_string());
            let detail = [heartbeat, ready.reason.clone(), ready.message.trim_end_matches('.').to_string()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            hints.push(format!(
                "The kubelet stopped reporting ({detail}). The node controller marks a node Unknown when no heartbeat arrives within node-monitor-grace-period (40s; 50s since Kubernetes 1.32) and taints it node.kubernetes.io/unreachable:NoExecute. Check the machine, its network path to the API server, and the kubelet (`journalctl -u kubelet`).",
            ));
            hints.push(eviction_timer(taint("node.kubernetes.io/unreachable"), "unreachable", now));
        }
        Some((_, ready)) if ready.status != "True" => {
            hints.push(format!(
                "The kubelet reports the node not ready{}. Common causes: the container runtime or CNI network plugin is down, or the kubelet cannot start. Check `journalctl -u kubelet` and the runtime on the machine.",
                reason_suffix(ready)
            ));
            hints.push(eviction_timer(taint("node.kubernetes.io/not-ready"), "not-ready", now));
        }
        Some(_) => {}
    }
    for condition in &node.status.conditions {
        let (what, taint_key) = match condition.type_.as_str() {
            "MemoryPressure" => (
                "memory is low: the kubelet evicts pods, BestEffort first",
                "node.kubernetes.io/memory-pressure",
            ),
            "DiskPressure" => (
                "disk space or inodes are low: the kubelet garbage-collects images and evicts pods",
                "node.kubernetes.io/disk-pressure",
            ),
            "PIDPressure" => (
                "process IDs are running out: the kubelet evicts pods",
                "node.kubernetes.io/pid-pressure",
            ),
            "NetworkUnavailable" => (
                "the node's network is not configured (CNI / routes)",
                "node.kubernetes.io/network-unavailable",
            ),
            _ => continue,
        };
        if condition.status == "True" {
            hints.push(format!(
                "{} is True{}: {what}. New pods are kept off by the taint {taint_key}:NoSchedule.",
                condition.type_,
                reason_suffix(condition)
            ));
        }
    }
    if node.spec.unschedulable {
        hints.push(format!(
            "The node is cordoned (spec.unschedulable: true): running pods stay, new pods are not scheduled here. When maintenance is over: `kubectl uncordon {name}`."
        ));
    }
    let custom: Vec<String> = node
        .spec
        .taints
        .iter()
        .filter(|t| !t.key.starts_with("node.kubernetes.io/") && t.effect != "PreferNoSchedule")
        .map(|t| t.display())
        .collect();
    if !custom.is_empty() {
        hints.push(format!(
            "Taints keep pods without a matching toleration off this node: {}.",
            custom.join(", ")
        ));
    }
    hints
}

fn eviction_timer(taint: Option<&Taint>, key: &str, now: Timestamp) -> String {
    let default = SignedDuration::from_secs(DEFAULT_TOLERATION_SECONDS);
    match taint.and_then(|t| t.time_added) {
        Some(added) => {
            let deadline = added.checked_add(default).unwrap_or(Timestamp::MAX);
            if deadline <= now {
                format!(
                    "The taint node.kubernetes.io/{key}:NoExecute was added {} ago: pods with the default {DEFAULT_TOLERATION_SECONDS}s toleration have been evicted (pods with a longer or unbounded toleration stay). Pods managed by controllers are recreated elsewhere; pods that stay show Terminating or Unknown until the node returns or they are force-deleted.",
                    human_duration(now.duration_since(added))
                )
            } else {
                format!(
                    "The taint node.kubernetes.io/{key}:NoExecute was added {} ago: pods with the default {DEFAULT_TOLERATION_SECONDS}s toleration will be evicted in {}.",
                    human_duration(now.duration_since(added)),
                    human_duration(deadline.duration_since(now))
                )
            }
        }
        None => format!(
            "The node controller taints such a node node.kubernetes.io/{key}:NoExecute; pods tolerate it for {DEFAULT_TOLERATION_SECONDS}s by default, then they are evicted and recreated elsewhere by their controllers."
        ),
    }
}

#[cfg(test)]
#[path = "node_status_tests.rs"]
mod tests;
