//! The table of the current pane. Only the rows that fit are built, so a pane of 50,000 pods
//! costs what a screenful does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Row, Table};

use super::columns::{Fitted, fit};
use super::panes;
use super::theme::Theme;
use crate::app::columns::ColumnSpec;
use crate::app::resources::Key;
use crate::app::scroll::window;
use crate::app::state::{App, Drill, Pane};

/// A NAME cell, the characters a fuzzy filter matched underlined in the key colour.
pub(super) fn name_cell<'a>(name: &str, app: &App, theme: &Theme) -> Line<'a> {
    let matched = app.filter.matched_chars(name);
    if matched.is_empty() {
        return Line::from(name.to_string());
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
    Line::from(spans)
}

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
    /// The pane's columns (`App::columns`): the cells of a row are in this order.
    pub specs: &'a [ColumnSpec],
}

impl<'a> View<'a> {
    /// The keys of the rows on screen, in order.
    pub fn on_screen(&self) -> impl Iterator<Item = &'a &'a Key> + 'a {
        self.keys.iter().skip(self.first).take(self.height)
    }
}

/// Draws the pane's table in `area`; the headers of the columns that fitted.
pub fn draw_pane(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) -> Vec<String> {
    let height = super::page_rows(frame.area());
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
        Some(Drill::Members { title: cause, .. }) => title = format!(" Pods: {cause} "),
        None => {}
    }
    if let Some(namespace) = &app.namespace
        && matches!(app.pane, Pane::Pods | Pane::Events)
        && app.drill.is_none()
    {
        title = format!(" {} ({namespace}) ", app.pane.title());
    }
    title.push_str(&format!("[{count}] "));
    if app.pane == Pane::Events && app.resources.events.let_go() > 0 {
        title.push_str(&format!(
            "newest kept, {} older let go ",
            app.resources.events.let_go()
        ));
    }
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
    let specs = app.columns();
    let view = View {
        app,
        theme,
        area,
        keys: &keys,
        first,
        height,
        specs: &specs,
    };
    let rows = match app.pane {
        Pane::Pods => panes::pods::rows(view),
        Pane::Nodes => panes::nodes::rows(view),
        Pane::Namespaces => panes::namespaces::rows(view),
        Pane::Events => panes::events::rows(view),
        Pane::Kind(kind) => panes::workloads::rows(view, kind),
        Pane::Table(index) => panes::resources::rows(view, index),
        Pane::Stream => panes::stream::rows(view),
    };
    // The room inside the borders.
    let room = area.width.saturating_sub(2);
    let Fitted {
        shown,
        header,
        widths,
        rows,
        hidden,
        left,
        right,
    } = fit(&specs, rows, room, app.wide, app.column_offset);
    if app.wide {
        title.push_str("wide ");
    }
    match (left, right) {
        (true, true) => title.push_str("←→ "),
        (true, false) => title.push_str("← "),
        (false, true) => title.push_str("→ "),
        (false, false) if hidden > 0 => {
            let plural = if hidden == 1 { "" } else { "s" };
            title.push_str(&format!("+{hidden} column{plural} (→, ctrl-w) "));
        }
        (false, false) => {}
    }
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
    let shown = shown.into_iter().map(|at| specs[at].name.clone()).collect();
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
    shown
}
