//! A node, described from its typed model.

use std::fmt::Write;

use jiff::Timestamp;

use super::events::event_lines;
use super::metadata::joined_labels;
use crate::model::duration::age;
use crate::model::event::Event;
use crate::model::node::Node;

/// A node, described.
pub fn describe_node(node: &Node, events: &[&Event], now: Timestamp) -> String {
    let mut out = String::new();
    let meta = &node.metadata;
    let _ = writeln!(out, "Name:               {}", meta.name);
    let _ = writeln!(
        out,
        "Labels:             {}",
        joined_labels(meta, "\n                    ")
    );
    let _ = writeln!(
        out,
        "CreationTimestamp:  {}",
        meta.creation_timestamp
            .map_or("<unset>".to_string(), |t| t.to_string())
    );
    let taints: Vec<String> = node.spec.taints.iter().map(|t| t.display()).collect();
    let _ = writeln!(
        out,
        "Taints:             {}",
        if taints.is_empty() {
            "<none>".to_string()
        } else {
            taints.join("\n                    ")
        }
    );
    let _ = writeln!(out, "Unschedulable:      {}", node.spec.unschedulable);
    let _ = writeln!(out, "Conditions:");
    let _ = writeln!(
        out,
        "  {:<20} {:<8} {:<18} {:<28} Message",
        "Type", "Status", "LastHeartbeat", "Reason"
    );
    for condition in &node.status.conditions {
        let heartbeat = age(condition.last_heartbeat_time, now);
        let _ = writeln!(
            out,
            "  {:<20} {:<8} {:<18} {:<28} {}",
            condition.type_, condition.status, heartbeat, condition.reason, condition.message
        );
    }
    let _ = writeln!(out, "Addresses:");
    for address in &node.status.addresses {
        let _ = writeln!(out, "  {}:  {}", address.type_, address.address);
    }
    let info = &node.status.node_info;
    let _ = writeln!(out, "System Info:");
    let _ = writeln!(out, "  Kernel Version:             {}", info.kernel_version);
    let _ = writeln!(out, "  OS Image:                   {}", info.os_image);
    let _ = writeln!(
        out,
        "  Container Runtime Version:  {}",
        info.container_runtime_version
    );
    let _ = writeln!(
        out,
        "  Kubelet Version:            {}",
        info.kubelet_version
    );
    for (title, values) in [
        ("Capacity:", &node.status.capacity),
        ("Allocatable:", &node.status.allocatable),
    ] {
        let _ = writeln!(out, "{title}");
        for (name, quantity) in values {
            let _ = writeln!(out, "  {name}:  {quantity}");
        }
    }
    event_lines(&mut out, events, now);
    out
}
