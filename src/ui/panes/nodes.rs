//! The nodes pane: STATUS, ROLES, AGE, VERSION, the pods on each, and CPU/MEM.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View {
        app, theme, wide, ..
    } = view;
    let mut header: Vec<String> = ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "PODS"]
        .map(String::from)
        .to_vec();
    let mut widths = vec![
        Constraint::Min(14),
        Constraint::Length(26),
        Constraint::Length(15),
        Constraint::Length(7),
        Constraint::Length(10),
        Constraint::Length(5),
    ];
    if app.metrics.is_some() {
        header.extend(["CPU(m)", "MEM(Mi)"].map(String::from));
        widths.extend([Constraint::Length(7), Constraint::Length(8)]);
    }
    if wide {
        header.push("TAINTS".to_string());
        widths.push(Constraint::Min(30));
    }
    let rows = view
        .on_screen()
        .map(|key| {
            let node = &app.resources.nodes[*key];
            let pods = app
                .resources
                .pods
                .values()
                .filter(|p| p.node_name == key.1)
                .count();
            let mut cells = vec![
                name_cell(&key.1, app, theme),
                Cell::from(Span::styled(node.status.clone(), theme.health(node.health))),
                Cell::from(node.roles.clone()),
                Cell::from(age(node.object.metadata.creation_timestamp, app.now)),
                Cell::from(node.object.status.node_info.kubelet_version.clone()),
                Cell::from(pods.to_string()),
            ];
            if let Some(metrics) = &app.metrics {
                let (cpu, memory) = usage_cells(metrics.nodes.get(&key.1).copied());
                cells.extend([Cell::from(cpu), Cell::from(memory)]);
            }
            if wide {
                let taints: Vec<String> = node
                    .object
                    .spec
                    .taints
                    .iter()
                    .map(|t| t.display())
                    .collect();
                cells.push(Cell::from(taints.join(", ")));
            }
            (cells, node.health)
        })
        .collect();
    (header, widths, rows)
}
