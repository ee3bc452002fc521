//! The table of the current pane. Only the rows that fit are built, so a pane of 50,000 pods
//! costs what a screenful does.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::panes;
use super::theme::Theme;
use crate::app::resources::Key;
use crate::app::scroll::window;
use crate::app::state::{App, Drill, Pane};
use crate::model::health::Health;

/// CPU in millicores and memory in MiB, or "-" without a reading.
pub(super) fn usage_cells(usage: Option<crate::model::metrics::Usage>) -> (String, String) {
    match usage {
        Some(usage) => (
            usage.cpu_millis.to_string(),
            (usage.memory_bytes / (1024 * 1024)).to_string(),
        ),
        None => ("-".to_string(), "-".to_string()),
    }
}

/// A NAME cell, the characters a fuzzy filter matched underlined in the key colour.
pub(super) fn name_cell<'a>(name: &str, app: &App, theme: &Theme) -> Cell<'a> {
    let matched = app.filter.matched_chars(name);
    if matched.is_empty() {
        return Cell::from(name.to_string());
    }
    let hit = theme
        .key
        .add_modifier(ratatui::style::Modifier::BOLD | ratatui::style::Modifier::UNDERLINED);
    let spans: Vec<Span<'a>> = name
        .chars()
        .enumerate()
        .map(|(at, c)| {
            if matched.binary_search(&at).is_ok() {
                Span::styled(c.to_string(), hit)
            } else {
                Span::raw(c.to_string())
            }
        })
        .collect();
    Cell::from(Line::from(spans))
}

/// A row's cells and the health that colours it.
pub(super) type TableRow<'a> = (Vec<Cell<'a>>, Health);

/// A pane's header, column widths and the rows on screen.
pub(super) type Columns<'a> = (Vec<String>, Vec<Constraint>, Vec<TableRow<'a>>);

/// What a pane's columns are drawn from: the app, the rows shown (in order), the window of
/// them on screen, and the room.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub area: Rect,
    pub keys: &'a [&'a Key],
    pub first: usize,
    pub height: usize,
    pub wide: bool,
    pub all_namespaces: bool,
}

impl<'a> View<'a> {
    /// The keys of the rows on screen, in order.
    pub fn on_screen(&self) -> impl Iterator<Item = &'a &'a Key> + 'a {
        self.keys.iter().skip(self.first).take(self.height)
    }
}

/// Draws the pane's table in `area`.
pub fn draw_pane(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let height = super::page_rows(frame.area());
    let wide = area.width >= 140;
    let all_namespaces = app.namespace.is_none();
    // The rows are listed once per frame; the cursor is found among them by its object.
    let keys = app.visible_keys();
    let count = if app.pane == Pane::Stream {
        app.visible_stream().len()
    } else {
        keys.len()
    };
    let selected = if app.pane == Pane::Stream {
        app.selection()
    } else {
        app.selection_in(&keys)
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
        Some(Drill::Owned { title: owner, .. }) => {
            title = format!(" {} of {owner} ", app.pane.title())
        }
        None => {}
    }
    if let Some(namespace) = &app.namespace
        && matches!(app.pane, Pane::Pods | Pane::Events)
        && app.drill.is_none()
    {
        title = format!(" {} ({namespace}) ", app.pane.title());
    }
    title.push_str(&format!("[{count}] "));
    if app.pane == Pane::Stream && app.stream.paused {
        title.push_str(&format!("paused, {} missed ", app.stream.missed));
    } else if app.pane == Pane::Stream && app.stream.cursor.is_none() {
        title.push_str("following ");
    }
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
    let view = View {
        app,
        theme,
        area,
        keys: &keys,
        first,
        height,
        wide,
        all_namespaces,
    };
    let (header, widths, rows) = match app.pane {
        Pane::Pods => panes::pods::columns(view),
        Pane::Nodes => panes::nodes::columns(view),
        Pane::Namespaces => panes::namespaces::columns(view),
        Pane::Events => panes::events::columns(view),
        Pane::Kind(kind) => panes::workloads::columns(view, kind),
        Pane::Table(index) => panes::resources::columns(view, index),
        Pane::Stream => panes::stream::columns(view),
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
            if i == selected_in_window {
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
