//! The pods pane's cells: kubectl's columns in k9s's order, the usage against the requests
//! and limits, and the wide set (QoS, nominated node, readiness gates, labels).

use super::*;
use crate::model::pod_resources::percent;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View {
        app, theme, area, ..
    } = view;
    // Under 100 columns RESTARTS drops its "(… ago)".
    let narrow = area.width < 100;
    view.on_screen()
        .map(|key| {
            let pod = &app.resources.pods[*key];
            let columns = &pod.row;
            let usage = app.metrics.pod(key);
            let reserved = pod.reserved;
            let cells = row_cells(
                &view,
                || pod.json(),
                |name| match name {
                    "NAMESPACE" => Line::from(key.0.clone()),
                    "NAME" => name_cell(&key.1, app, theme),
                    "READY" => Line::from(columns.ready.to_string()),
                    "STATUS" => Line::from(Span::styled(
                        columns.status.to_string(),
                        theme.health(pod.health),
                    )),
                    // RESTARTS' "(5m ago)" is measured now, not when the pod last changed.
                    "RESTARTS" => Line::from(match columns.last_restart {
                        Some(at) if columns.restart_count != 0 && !narrow => format!(
                            "{} ({} ago)",
                            columns.restart_count,
                            human_duration(app.now.duration_since(at))
                        ),
                        _ => columns.restart_count.to_string(),
                    }),
                    "CPU" => Line::from(usage_text(usage.map(|u| u.cpu_millis))),
                    "MEM" => Line::from(usage_text(usage.map(|u| u.memory_bytes >> 20))),
                    "%CPU/R" => {
                        percent_cell(usage.map(|u| u.cpu_millis), reserved.requests.cpu_millis)
                    }
                    "%CPU/L" => {
                        percent_cell(usage.map(|u| u.cpu_millis), reserved.limits.cpu_millis)
                    }
                    "%MEM/R" => percent_cell(
                        usage.map(|u| u.memory_bytes),
                        reserved.requests.memory_bytes,
                    ),
                    "%MEM/L" => {
                        percent_cell(usage.map(|u| u.memory_bytes), reserved.limits.memory_bytes)
                    }
                    "IP" => Line::from(pod.row.ip.to_string()),
                    "NODE" => Line::from(pod.row.node.to_string()),
                    "AGE" => Line::from(age(pod.created, app.now)),
                    "QOS" => Line::from(if pod.qos_class.is_empty() {
                        "<none>".to_string()
                    } else {
                        pod.qos_class.to_string()
                    }),
                    "NOMINATED NODE" => Line::from(pod.row.nominated_node.to_string()),
                    "READINESS GATES" => Line::from(pod.row.readiness_gates.to_string()),
                    "LABELS" => Line::from(labels_text(pod.labels.iter())),
                    _ => Line::default(),
                },
            );
            (cells, pod.health)
        })
        .collect()
}

/// Usage as a percentage of a request or limit; `n/a` when none is set or nothing is read.
fn percent_cell<'a>(used: Option<i64>, of: i64) -> Line<'a> {
    Line::from(match used.and_then(|used| percent(used, of)) {
        Some(p) => p.to_string(),
        None => "n/a".to_string(),
    })
}
