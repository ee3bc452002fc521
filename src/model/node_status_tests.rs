//! Node explanations and hints: which condition decided, the controller's timers, pressure,
//! cordon and taints.

use jiff::Timestamp;

use super::{node_hints, node_row};
use crate::model::manifest::parse_typed;
use crate::model::node::Node;

fn now() -> Timestamp {
    "2026-11-21T10:00:00Z".parse().unwrap()
}

fn node(yaml: &str) -> Node {
    parse_typed(yaml).expect("test node parses")
}

fn hints_of(yaml: &str) -> Vec<String> {
    node_hints(&node(yaml), now())
}

fn assert_hint(hints: &[String], evidence: &[&str]) {
    assert!(
        hints.iter().any(|h| evidence.iter().all(|e| h.contains(e))),
        "no hint holds all of {evidence:?}:\n{hints:#?}"
    );
}

#[test]
fn the_last_ready_condition_decides_and_the_trace_says_which() {
    let n = node(
        "metadata: {name: n}\nstatus: {conditions: [{type: Ready, status: 'False'}, {type: DiskPressure, status: 'True'}, {type: Ready, status: 'True', lastHeartbeatTime: '2026-11-21T09:59:50Z'}]}",
    );
    let mut steps = Vec::new();
    let row = node_row(&n, now(), &mut steps);
    assert_eq!(row.status, "Ready");
    assert_eq!(steps[0].field, "status.conditions[2].status");
    assert_eq!(steps[1].field, "status.conditions[2].lastHeartbeatTime");
    assert_eq!(steps[1].value, "2026-11-21T09:59:50Z (10s ago)");
}

#[test]
fn roles_are_traced_per_label() {
    let n = node(
        "metadata: {labels: {node-role.kubernetes.io/control-plane: '', kubernetes.io/role: infra, node-role.kubernetes.io/: x}}\nspec: {unschedulable: true}",
    );
    let mut steps = Vec::new();
    let row = node_row(&n, now(), &mut steps);
    assert_eq!(
        (row.status.as_str(), row.roles.as_str()),
        ("Unknown,SchedulingDisabled", "control-plane,infra")
    );
    let fields: Vec<&str> = steps.iter().map(|s| s.field.as_str()).collect();
    assert!(fields.contains(&"spec.unschedulable"), "{fields:?}");
    assert!(
        fields.contains(&"metadata.labels[\"kubernetes.io/role\"]"),
        "{fields:?}"
    );
    assert!(
        !fields.contains(&"metadata.labels[\"node-role.kubernetes.io/\"]"),
        "an empty role is no role"
    );
}

#[test]
fn unknown_node_cites_heartbeat_grace_and_eviction_timer() {
    let yaml = "metadata: {name: w4}\nspec: {taints: [{key: node.kubernetes.io/unreachable, effect: NoExecute, timeAdded: 'TIME'}]}\nstatus: {conditions: [{type: Ready, status: Unknown, reason: NodeStatusUnknown, message: Kubelet stopped posting node status., lastHeartbeatTime: '2026-11-21T09:57:00Z'}]}";
    let recent = hints_of(&yaml.replace("TIME", "2026-11-21T09:58:00Z"));
    assert_hint(
        &recent,
        &[
            "last heartbeat 3m ago",
            "NodeStatusUnknown",
            "node-monitor-grace-period",
            "unreachable:NoExecute",
        ],
    );
    assert_hint(&recent, &["added 2m ago", "will be evicted in 3m"]);
    let old = hints_of(&yaml.replace("TIME", "2026-11-21T09:00:00Z"));
    assert_hint(&old, &["added 60m ago", "have been evicted"]);
    let untainted = hints_of("status: {conditions: [{type: Ready, status: Unknown}]}");
    assert_hint(&untainted, &["no heartbeat recorded"]);
    assert_hint(&untainted, &["tolerate it for 300s by default"]);
}

#[test]
fn not_ready_names_the_kubelet_reason() {
    let hints = hints_of(
        "status: {conditions: [{type: Ready, status: 'False', reason: KubeletNotReady, message: 'container runtime network not ready: NetworkReady=false'}]}",
    );
    assert_hint(
        &hints,
        &["not ready", "KubeletNotReady", "NetworkReady=false"],
    );
    assert_hint(&hints, &["node.kubernetes.io/not-ready:NoExecute"]);
}

#[test]
fn missing_ready_condition() {
    assert_hint(
        &hints_of("metadata: {name: fresh}"),
        &["No Ready condition", "fresh"],
    );
}

#[test]
fn pressure_cordon_and_taints() {
    let hints = hints_of(
        "metadata: {name: n1}\nspec: {unschedulable: true, taints: [{key: dedicated, value: gpu, effect: NoSchedule}, {key: soft, effect: PreferNoSchedule}, {key: node.kubernetes.io/unschedulable, effect: NoSchedule}]}\nstatus: {conditions: [{type: Ready, status: 'True'}, {type: MemoryPressure, status: 'True', reason: KubeletHasInsufficientMemory}, {type: DiskPressure, status: 'False'}]}",
    );
    assert_hint(
        &hints,
        &[
            "MemoryPressure is True",
            "KubeletHasInsufficientMemory",
            "memory-pressure:NoSchedule",
        ],
    );
    assert!(!hints.iter().any(|h| h.contains("DiskPressure")));
    assert_hint(&hints, &["cordoned", "kubectl uncordon n1"]);
    assert_hint(&hints, &["dedicated=gpu:NoSchedule"]);
    assert!(
        !hints.iter().any(|h| h.contains("soft")),
        "PreferNoSchedule keeps nobody off"
    );
    assert!(hints_of("status: {conditions: [{type: Ready, status: 'True'}]}").is_empty());
}
