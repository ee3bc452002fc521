//! The nodes pane's cells: kubectl's columns, the pods on each, the usage (also as a share of
//! what the node can allocate, as k9s shows it), and `-o wide`'s columns and the taints.

use super::*;
use crate::model::pod_resources::percent;
use crate::model::quantity::Quantity;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View { app, theme, .. } = view;
    let wants = |name: &str| view.specs.iter().any(|c| c.name == name);
    // The pods on each node, counted once for the rows on screen.
    let mut pods: std::collections::HashMap<&str, usize> =
        view.on_screen().map(|key| (key.1.as_str(), 0)).collect();
    if wants("PODS") {
        for pod in app.resources.pods.values() {
            if let Some(count) = pods.get_mut(&*pod.node_name) {
                *count += 1;
            }
        }
    }
    view.on_screen()
        .map(|key| {
            let node = &app.resources.nodes[*key];
            let usage = app.metrics.node(&key.1);
            let allocatable = |name: &str| {
                node.object
                    .status
                    .allocatable
                    .get(name)
                    .and_then(Quantity::nanos)
                    .unwrap_or(0)
            };
            let wide = view
                .specs
                .iter()
                .any(|c| c.wide)
                .then(|| crate::model::node_status::node_row(&node.object, app.now, &mut ()));
            let wide_cell = |pick: fn(&crate::model::node_status::NodeRow) -> &String| {
                Line::from(wide.as_ref().map(pick).cloned().unwrap_or_default())
            };
            let cells = row_cells(
                &view,
                || serde_json::from_str(&node.text).ok(),
                |name| match name {
                    "NAME" => name_cell(&key.1, app, theme),
                    "STATUS" => {
                        Line::from(Span::styled(node.status.clone(), theme.health(node.health)))
                    }
                    "ROLES" => Line::from(node.roles.clone()),
                    "AGE" => Line::from(age(node.object.metadata.creation_timestamp, app.now)),
                    "VERSION" => Line::from(node.object.status.node_info.kubelet_version.clone()),
                    "PODS" => {
                        Line::from(pods.get(key.1.as_str()).copied().unwrap_or(0).to_string())
                    }
                    "CPU" => Line::from(usage_text(usage.map(|u| u.cpu_millis))),
                    "MEM" => Line::from(usage_text(usage.map(|u| u.memory_bytes >> 20))),
                    "%CPU" => Line::from(usage_text(usage.and_then(|u| {
                        percent(u.cpu_millis, (allocatable("cpu") / 1_000_000) as i64)
                    }))),
                    "%MEM" => Line::from(usage_text(usage.and_then(|u| {
                        percent(
                            u.memory_bytes,
                            (allocatable("memory") / 1_000_000_000) as i64,
                        )
                    }))),
                    "INTERNAL-IP" => wide_cell(|r| &r.internal_ip),
                    "EXTERNAL-IP" => wide_cell(|r| &r.external_ip),
                    "OS-IMAGE" => wide_cell(|r| &r.os_image),
                    "KERNEL-VERSION" => wide_cell(|r| &r.kernel_version),
                    "CONTAINER-RUNTIME" => wide_cell(|r| &r.container_runtime),
                    "TAINTS" => {
                        let taints: Vec<String> = node
                            .object
                            .spec
                            .taints
                            .iter()
                            .map(|t| t.display())
                            .collect();
                        Line::from(if taints.is_empty() {
                            "<none>".to_string()
                        } else {
                            taints.join(",")
                        })
                    }
                    _ => Line::default(),
                },
            );
            (cells, node.health)
        })
        .collect()
}
