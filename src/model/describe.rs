//! `kubectl describe`-style text for the objects the explorer shows: the fields a person reads
//! first, then conditions and the object's recent events.

use std::fmt::Write;

use jiff::Timestamp;

use super::duration::{age, human_duration};
use super::event::Event;
use super::node::Node;
use super::pod::{ContainerState, Pod};
use super::pod_row::pod_row;

fn state_lines(out: &mut String, label: &str, state: &ContainerState, now: Timestamp) {
    if let Some(waiting) = &state.waiting {
        let _ = writeln!(out, "    {label:<14}Waiting");
        if !waiting.reason.is_empty() {
            let _ = writeln!(out, "      Reason:     {}", waiting.reason);
        }
        if !waiting.message.is_empty() {
            let _ = writeln!(out, "      Message:    {}", waiting.message);
        }
    } else if let Some(running) = &state.running {
        let _ = writeln!(out, "    {label:<14}Running");
        if let Some(started) = running.started_at {
            let _ = writeln!(
                out,
                "      Started:    {started} ({} ago)",
                human_duration(now.duration_since(started))
            );
        }
    } else if let Some(terminated) = &state.terminated {
        let _ = writeln!(out, "    {label:<14}Terminated");
        let _ = writeln!(
            out,
            "      Reason:     {}",
            if terminated.reason.is_empty() {
                "<none>"
            } else {
                &terminated.reason
            }
        );
        let _ = writeln!(out, "      Exit Code:  {}", terminated.exit_code);
        if terminated.signal != 0 {
            let _ = writeln!(out, "      Signal:     {}", terminated.signal);
        }
        if let Some(started) = terminated.started_at {
            let _ = writeln!(out, "      Started:    {started}");
        }
        if let Some(finished) = terminated.finished_at {
            let _ = writeln!(
                out,
                "      Finished:   {finished} ({} ago)",
                human_duration(now.duration_since(finished))
            );
        }
    } else if label == "State:" {
        let _ = writeln!(out, "    {label:<14}<none>");
    }
}

/// `key=value` labels joined by `separator`, or `<none>`.
fn labels(meta: &super::meta::ObjectMeta, separator: &str) -> String {
    if meta.labels.is_empty() {
        return "<none>".to_string();
    }
    meta.labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Events about an object, oldest first, as describe lists them.
fn event_lines(out: &mut String, events: &[&Event], now: Timestamp) {
    let _ = writeln!(out, "Events:");
    if events.is_empty() {
        let _ = writeln!(out, "  <none>");
        return;
    }
    let mut sorted: Vec<&&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.last_seen());
    let _ = writeln!(out, "  {:<8} {:<22} {:<8} Message", "Type", "Reason", "Age");
    for event in sorted {
        let seen = age(event.last_seen(), now);
        let count = event.count.unwrap_or(1);
        let when = if count > 1 {
            format!("{seen} (x{count})")
        } else {
            seen
        };
        let _ = writeln!(
            out,
            "  {:<8} {:<22} {:<8} {}",
            event.type_, event.reason, when, event.message
        );
    }
}

/// A pod, described.
pub fn describe_pod(pod: &Pod, events: &[&Event], now: Timestamp) -> String {
    let row = pod_row(pod, now);
    let meta = &pod.metadata;
    let mut out = String::new();
    let _ = writeln!(out, "Name:             {}", meta.name);
    let _ = writeln!(out, "Namespace:        {}", meta.namespace);
    let _ = writeln!(out, "Node:             {}", row.node);
    let _ = writeln!(
        out,
        "Start Time:       {}",
        pod.status
            .start_time
            .map_or("<unset>".to_string(), |t| t.to_string())
    );
    let _ = writeln!(out, "Labels:           {}", labels(meta, ", "));
    let _ = writeln!(out, "Status:           {}", row.columns.status);
    if !pod.status.reason.is_empty() {
        let _ = writeln!(out, "Reason:           {}", pod.status.reason);
    }
    if !pod.status.message.is_empty() {
        let _ = writeln!(out, "Message:          {}", pod.status.message);
    }
    let _ = writeln!(out, "IP:               {}", row.ip);
    if let Some(owner) = meta.controller() {
        let _ = writeln!(out, "Controlled By:    {}/{}", owner.kind, owner.name);
    }
    let _ = writeln!(
        out,
        "QoS Class:        {}",
        if pod.status.qos_class.is_empty() {
            "<none>"
        } else {
            &pod.status.qos_class
        }
    );
    for (title, specs, statuses) in [
        (
            "Init Containers:",
            &pod.spec.init_containers,
            &pod.status.init_container_statuses,
        ),
        (
            "Containers:",
            &pod.spec.containers,
            &pod.status.container_statuses,
        ),
    ] {
        if specs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}");
        for spec in specs {
            let _ = writeln!(out, "  {}:", spec.name);
            let _ = writeln!(out, "    Image:        {}", spec.image);
            if let Some(status) = statuses.iter().find(|s| s.name == spec.name) {
                state_lines(&mut out, "State:", &status.state, now);
                state_lines(&mut out, "Last State:", &status.last_state, now);
                let _ = writeln!(
                    out,
                    "    Ready:        {}",
                    if status.ready { "True" } else { "False" }
                );
                let _ = writeln!(out, "    Restart Count: {}", status.restart_count);
            }
            for (kind, values) in [
                ("Limits:", &spec.resources.limits),
                ("Requests:", &spec.resources.requests),
            ] {
                if !values.is_empty() {
                    let _ = writeln!(out, "    {kind}");
                    for (name, quantity) in values {
                        let _ = writeln!(out, "      {name}: {quantity}");
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "Conditions:");
    if pod.status.conditions.is_empty() {
        let _ = writeln!(out, "  <none>");
    }
    for condition in &pod.status.conditions {
        let _ = writeln!(out, "  {:<28}{}", condition.type_, condition.status);
    }
    event_lines(&mut out, events, now);
    out
}

/// A node, described.
pub fn describe_node(node: &Node, events: &[&Event], now: Timestamp) -> String {
    let mut out = String::new();
    let meta = &node.metadata;
    let _ = writeln!(out, "Name:               {}", meta.name);
    let _ = writeln!(
        out,
        "Labels:             {}",
        labels(meta, "\n                    ")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::manifest::parse_typed;

    #[test]
    fn a_crash_looping_pod_reads_like_kubectl_describe() {
        let pod: Pod = parse_typed(
            "metadata: {name: web, namespace: shop, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]}\nspec: {nodeName: n1, containers: [{name: app, image: 'nginx:1.27', resources: {limits: {memory: 256Mi}}}]}\nstatus: {phase: Running, qosClass: Burstable, conditions: [{type: Ready, status: 'False'}], containerStatuses: [{name: app, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff, message: back-off 40s}}, lastState: {terminated: {exitCode: 137, reason: OOMKilled, finishedAt: '2026-11-21T09:58:00Z'}}}]}",
        )
        .unwrap();
        let event: Event = parse_typed("involvedObject: {kind: Pod, name: web}\ntype: Warning\nreason: BackOff\nmessage: Back-off restarting failed container\ncount: 12\nlastTimestamp: '2026-11-21T09:59:00Z'").unwrap();
        let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
        let text = describe_pod(&pod, &[&event], now);
        for expected in [
            "Status:           CrashLoopBackOff",
            "Controlled By:    ReplicaSet/web-1",
            "    State:        Waiting\n      Reason:     CrashLoopBackOff",
            "    Last State:   Terminated\n      Reason:     OOMKilled\n      Exit Code:  137",
            "Restart Count: 4",
            "      memory: 256Mi",
            "  Ready                       False",
            "Warning  BackOff                60s (x12)",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
    }
}
