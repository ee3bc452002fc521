//! The pods pane: kubectl's columns (NAMESPACE when all namespaces, NAME, READY, STATUS,
//! RESTARTS, AGE), and IP, NODE, QOS and CPU/MEM when there is room.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View {
        app,
        theme,
        area,
        wide,
        all_namespaces,
        ..
    } = view;
    // Under 100 columns STATUS keeps its full width and RESTARTS drops its "(… ago)".
    let narrow = area.width < 100;
    let mut header: Vec<String> = vec![];
    let mut widths = vec![];
    if all_namespaces {
        header.push("NAMESPACE".to_string());
        widths.push(Constraint::Length(if narrow { 10 } else { 16 }));
    }
    header.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"].map(String::from));
    // STATUS as wide as the longest on screen, so NAME keeps the room.
    let status_width = view
        .on_screen()
        .map(|key| app.resources.pods[*key].row.columns.status.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 32) as u16;
    widths.extend([
        Constraint::Min(16),
        Constraint::Length(5),
        Constraint::Length(status_width),
        Constraint::Length(if narrow { 8 } else { 14 }),
        Constraint::Length(6),
    ]);
    if wide {
        header.extend(["IP", "NODE", "QOS"].map(String::from));
        widths.extend([
            Constraint::Length(15),
            Constraint::Length(14),
            Constraint::Length(11),
        ]);
        if app.metrics.is_some() {
            header.extend(["CPU(m)", "MEM(Mi)"].map(String::from));
            widths.extend([Constraint::Length(7), Constraint::Length(8)]);
        }
    }
    let rows = view
        .on_screen()
        .map(|key| {
            let pod = &app.resources.pods[*key];
            let columns = &pod.row.columns;
            // RESTARTS' "(5m ago)" is measured now, not when the pod last changed.
            let restarts = match columns.last_restart {
                Some(at) if columns.restart_count != 0 && !narrow => {
                    format!(
                        "{} ({} ago)",
                        columns.restart_count,
                        human_duration(app.now.duration_since(at))
                    )
                }
                _ => columns.restart_count.to_string(),
            };
            let mut cells = Vec::new();
            if all_namespaces {
                cells.push(Cell::from(key.0.clone()));
            }
            cells.extend([
                name_cell(&key.1, app, theme),
                Cell::from(columns.ready.clone()),
                Cell::from(Span::styled(
                    columns.status.clone(),
                    theme.health(pod.health),
                )),
                Cell::from(restarts),
                Cell::from(age(pod.created, app.now)),
            ]);
            if wide {
                let qos = if pod.qos_class.is_empty() {
                    "<none>".to_string()
                } else {
                    pod.qos_class.clone()
                };
                cells.extend([
                    Cell::from(pod.row.ip.clone()),
                    Cell::from(pod.row.node.clone()),
                    Cell::from(qos),
                ]);
                if let Some(metrics) = &app.metrics {
                    let (cpu, memory) = usage_cells(metrics.pods.get(*key).copied());
                    cells.extend([Cell::from(cpu), Cell::from(memory)]);
                }
            }
            (cells, pod.health)
        })
        .collect();
    (header, widths, rows)
}
