//! A pod, described from its typed model.

use std::fmt::Write;

use jiff::Timestamp;

use super::events::event_lines;
use super::metadata::joined_labels;
use crate::model::duration::human_duration;
use crate::model::event::Event;
use crate::model::pod::{ContainerState, Pod};
use crate::model::pod_row::pod_row;

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
    let _ = writeln!(out, "Labels:           {}", joined_labels(meta, ", "));
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
