//! The table of the current pane. Only the rows that fit are built, so a pane of 50,000 pods
//! costs what a screenful does.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme::Theme;
use crate::app::scroll::window;
use crate::app::state::{App, Drill, Pane};
use crate::model::duration::{age, human_duration};
use crate::model::health::Health;

/// CPU in millicores and memory in MiB, or "-" without a reading.
fn usage_cells(usage: Option<crate::model::metrics::Usage>) -> (String, String) {
    match usage {
        Some(usage) => (
            usage.cpu_millis.to_string(),
            (usage.memory_bytes / (1024 * 1024)).to_string(),
        ),
        None => ("-".to_string(), "-".to_string()),
    }
}

/// A row's cells and the health that colours it.
type TableRow<'a> = (Vec<Cell<'a>>, Health);

/// Draws the pane's table in `area`.
pub fn draw_pane(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let height = super::page_rows(frame.area());
    let wide = area.width >= 140;
    let all_namespaces = app.namespace.is_none();
    // The rows are listed once per frame; the cursor is found among them by its object.
    let keys = app.visible_keys();
    let count = if app.pane == Pane::Stream {
        app.stream.lines.len()
    } else {
        keys.len()
    };
    let selected = if app.pane == Pane::Stream {
        app.selection()
    } else {
        app.selection_in(&keys)
    };
    let pod_keys = if app.pane == Pane::Pods {
        keys.clone()
    } else {
        Vec::new()
    };
    let (first, _) = window(selected, count, height);
    let mut title = match app.pane {
        Pane::Table(index) => format!(
            " {} ",
            app.tables
                .get(index)
                .map(|t| t.resource.kind.clone())
                .unwrap_or_default()
        ),
        pane => format!(" {} ", pane.title()),
    };
    match &app.drill {
        Some(Drill::Node(node)) => title = format!(" Pods on {node} "),
        Some(Drill::Workload {
            title: workload, ..
        }) => title = format!(" Pods of {workload} "),
        None => {}
    }
    if let Some(namespace) = &app.namespace
        && matches!(app.pane, Pane::Pods | Pane::Events)
        && app.drill.is_none()
    {
        title = format!(" {} ({namespace}) ", app.pane.title());
    }
    title.push_str(&format!("[{count}] "));
    if let Some(marks) = app.marks_here() {
        title.push_str(&format!("{} marked ", marks.len()));
    }
    if let Some((column, descending)) = app.sort.get(&app.pane) {
        title.push_str(&format!(
            "by {}{} ",
            format!("{column:?}").to_lowercase(),
            if *descending { ", reversed" } else { "" }
        ));
    }
    let (header, widths, rows): (Vec<String>, Vec<Constraint>, Vec<TableRow<'_>>) = match app.pane {
        Pane::Pods => {
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
            let status_width = pod_keys
                .iter()
                .skip(first)
                .take(height)
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
            let keys = &pod_keys;
            let rows = keys
                .iter()
                .skip(first)
                .take(height)
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
                        Cell::from(key.1.clone()),
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
        Pane::Nodes => {
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
            let rows = app
                .visible_nodes()
                .iter()
                .skip(first)
                .take(height)
                .map(|key| {
                    let node = &app.resources.nodes[*key];
                    let pods = app
                        .resources
                        .pods
                        .values()
                        .filter(|p| p.node_name == key.1)
                        .count();
                    let mut cells = vec![
                        Cell::from(key.1.clone()),
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
        Pane::Namespaces => {
            let rows = app
                .visible_namespaces()
                .iter()
                .skip(first)
                .take(height)
                .map(|key| {
                    let namespace = &app.resources.namespaces[*key];
                    let pods = app
                        .resources
                        .pods
                        .keys()
                        .filter(|(ns, _)| ns == &key.1)
                        .count();
                    (
                        vec![
                            Cell::from(key.1.clone()),
                            Cell::from(Span::styled(
                                namespace.object.status.phase.clone(),
                                theme.health(namespace.health),
                            )),
                            Cell::from(pods.to_string()),
                            Cell::from(age(namespace.object.metadata.creation_timestamp, app.now)),
                        ],
                        namespace.health,
                    )
                })
                .collect();
            (
                ["NAME", "STATUS", "PODS", "AGE"].map(String::from).to_vec(),
                vec![
                    Constraint::Min(20),
                    Constraint::Length(12),
                    Constraint::Length(6),
                    Constraint::Length(7),
                ],
                rows,
            )
        }
        Pane::Events => {
            let rows = app
                .visible_events()
                .iter()
                .skip(first)
                .take(height)
                .map(|key| {
                    let event = &app.resources.events[*key];
                    let health = if event.type_ == "Warning" {
                        Health::Failing
                    } else {
                        Health::Healthy
                    };
                    let object = format!(
                        "{}/{}",
                        event.involved_object.kind.to_lowercase(),
                        event.involved_object.name
                    );
                    (
                        vec![
                            Cell::from(age(event.last_seen(), app.now)),
                            Cell::from(Span::styled(event.type_.clone(), theme.health(health))),
                            Cell::from(event.reason.clone()),
                            Cell::from(object),
                            Cell::from(event.count.unwrap_or(1).to_string()),
                            Cell::from(event.message.clone()),
                        ],
                        health,
                    )
                })
                .collect();
            (
                ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"]
                    .map(String::from)
                    .to_vec(),
                vec![
                    Constraint::Length(9),
                    Constraint::Length(8),
                    Constraint::Length(18),
                    Constraint::Length(32),
                    Constraint::Length(5),
                    Constraint::Min(20),
                ],
                rows,
            )
        }
        Pane::Kind(kind) => {
            // The API server's printer columns for this kind, printed from the raw objects
            // on screen; wide columns only when there is room.
            let definitions: Vec<_> = crate::model::table::columns(kind.kind_name())
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.priority == 0 || wide)
                .collect();
            let keys = app.visible_objects(kind);
            let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = keys
                .iter()
                .skip(first)
                .take(height)
                .map(|key| {
                    let raw = &app.resources.generic[&kind][*key];
                    let all = crate::model::table::cells(kind.kind_name(), raw, app.now)
                        .unwrap_or_default();
                    let all_columns =
                        crate::model::table::columns(kind.kind_name()).unwrap_or_default();
                    let cells = all_columns
                        .iter()
                        .zip(all)
                        .filter(|(c, _)| c.priority == 0 || wide)
                        .map(|(_, v)| match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        })
                        .collect();
                    (cells, *key)
                })
                .collect();
            let mut header: Vec<String> = Vec::new();
            let mut widths = Vec::new();
            if all_namespaces && kind.namespaced() {
                header.push("NAMESPACE".to_string());
                widths.push(Constraint::Length(16));
            }
            for (index, definition) in definitions.iter().enumerate() {
                let longest = printed
                    .iter()
                    .map(|(cells, _)| cells.get(index).map_or(0, |c| c.chars().count()))
                    .max()
                    .unwrap_or(0);
                let width = longest.max(definition.name.len()).min(48) as u16;
                widths.push(if index == 0 {
                    Constraint::Min(width)
                } else {
                    Constraint::Length(width)
                });
            }
            header.extend(definitions.iter().map(|d| d.name.to_uppercase()));
            let rows = printed
                .into_iter()
                .map(|(cells, key)| {
                    let mut row: Vec<Cell<'_>> = Vec::new();
                    if all_namespaces && kind.namespaced() {
                        row.push(Cell::from(key.0.clone()));
                    }
                    row.extend(cells.into_iter().map(Cell::from));
                    (row, Health::Healthy)
                })
                .collect();
            (header, widths, rows)
        }
        Pane::Table(index) => {
            // The columns and cells exactly as the API server printed them; AGE kept current.
            let table = &app.tables[index];
            let shown: Vec<(usize, &crate::model::table_feed::TableColumn)> = table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.priority == 0 || wide)
                .collect();
            let keys = app.visible_table_rows(index);
            let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = keys
                .iter()
                .skip(first)
                .take(height)
                .map(|key| {
                    let row = &table.rows[*key];
                    let cells = shown
                        .iter()
                        .map(|(at, column)| {
                            if column.name.eq_ignore_ascii_case("age") && row.created.is_some() {
                                age(row.created, app.now)
                            } else {
                                row.cells
                                    .get(*at)
                                    .map(crate::app::tables::cell_text)
                                    .unwrap_or_default()
                            }
                        })
                        .collect();
                    (cells, *key)
                })
                .collect();
            let namespaced = all_namespaces && table.resource.namespaced;
            let mut header: Vec<String> = Vec::new();
            let mut widths = Vec::new();
            if namespaced {
                header.push("NAMESPACE".to_string());
                widths.push(Constraint::Length(16));
            }
            for (index, (_, column)) in shown.iter().enumerate() {
                let longest = printed
                    .iter()
                    .map(|(cells, _)| cells.get(index).map_or(0, |c| c.chars().count()))
                    .max()
                    .unwrap_or(0);
                let width = longest.max(column.name.len()).min(48) as u16;
                widths.push(if index == 0 {
                    Constraint::Min(width)
                } else {
                    Constraint::Length(width)
                });
                header.push(column.name.to_uppercase());
            }
            let rows = printed
                .into_iter()
                .map(|(cells, key)| {
                    let mut row: Vec<Cell<'_>> = Vec::new();
                    if namespaced {
                        row.push(Cell::from(key.0.clone()));
                    }
                    row.extend(cells.into_iter().map(Cell::from));
                    (row, Health::Healthy)
                })
                .collect();
            (header, widths, rows)
        }
        Pane::Stream => {
            if app.stream.paused {
                title.push_str(&format!("paused, {} missed ", app.stream.missed));
            }
            let rows = app
                .stream
                .lines
                .iter()
                .skip(first)
                .take(height)
                .map(|line| {
                    (
                        vec![
                            Cell::from(line.at.strftime("%H:%M:%S").to_string()),
                            Cell::from(line.change.as_str()),
                            Cell::from(line.kind),
                            Cell::from(line.name.clone()),
                            Cell::from(Span::styled(
                                line.detail.clone(),
                                theme.health(line.health),
                            )),
                        ],
                        line.health,
                    )
                })
                .collect();
            (
                ["TIME", "CHANGE", "KIND", "NAME", "DETAIL"]
                    .map(String::from)
                    .to_vec(),
                vec![
                    Constraint::Length(8),
                    Constraint::Length(8),
                    Constraint::Length(9),
                    Constraint::Min(24),
                    Constraint::Min(20),
                ],
                rows,
            )
        }
    };
    let selected_in_window = selected.saturating_sub(first);
    // Rows marked for a delete of several stand out (bold, in the key colour).
    let marked: Vec<bool> = match app.marks_here() {
        None => Vec::new(),
        Some(marks) => keys
            .iter()
            .skip(first)
            .take(height)
            .map(|key| marks.contains_key(*key))
            .collect(),
    };
    let rows: Vec<Row<'_>> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (cells, _))| {
            let row = Row::new(cells);
            if i == selected_in_window && app.pane != Pane::Stream {
                row.style(theme.selected)
            } else if marked.get(i).copied().unwrap_or(false) {
                row.style(theme.key.add_modifier(ratatui::style::Modifier::BOLD))
            } else {
                row
            }
        })
        .collect();
    let empty = rows.is_empty();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::from(Span::styled(title, theme.header))),
        )
        .column_spacing(1);
    frame.render_widget(table, area);
    if empty {
        let message = match app.pane_health() {
            Some(crate::app::state::WatchHealth::Syncing) => " loading...",
            _ => " nothing to show",
        };
        let inner = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Span::styled(message, theme.muted)),
            inner,
        );
    }
}
