//! The port-forward dialog (a box over the pane) and the `:pf` view (the forwards as a table
//! over the body).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table};

use super::theme::Theme;
use crate::app::forward_dialog::{ADDRESS, ForwardDialog};
use crate::app::state::App;
use crate::model::duration::human_duration;

/// The dialog in the middle of `area`.
pub fn draw_dialog(frame: &mut Frame<'_>, area: Rect, dialog: &ForwardDialog, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(80);
    let mut lines = vec![
        Line::from(Span::styled(dialog.title.clone(), theme.title)),
        Line::default(),
        Line::from(Span::styled("port", theme.muted)),
    ];
    for (index, port) in dialog.ports.iter().enumerate() {
        let chosen = index == dialog.selected;
        lines.push(Line::from(vec![
            Span::raw(if chosen { " › " } else { "   " }),
            Span::styled(
                port.label.clone(),
                if chosen {
                    theme.selected
                } else {
                    ratatui::style::Style::default()
                },
            ),
        ]));
    }
    lines.push(Line::default());
    let port = &dialog.ports[dialog.selected];
    let default = if dialog.typed {
        String::new()
    } else {
        " (a free one if taken)".to_string()
    };
    lines.push(Line::from(vec![
        Span::styled("local  ", theme.muted),
        Span::styled(
            format!("{ADDRESS}:{}", dialog.local),
            theme.key.add_modifier(Modifier::BOLD),
        ),
        Span::styled("_", theme.muted),
        Span::styled(default, theme.muted),
        Span::raw(format!(
            "  →  {}/{}:{}",
            dialog.namespace, dialog.pod, port.remote
        )),
    ]));
    for note in &dialog.notes {
        lines.push(Line::from(Span::styled(note.clone(), theme.failing)));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("up/down", theme.key),
        Span::raw(" port  "),
        Span::styled("0-9", theme.key),
        Span::raw(" local port  "),
        Span::styled("enter", theme.key),
        Span::raw(" start  "),
        Span::styled("esc", theme.key),
        Span::raw(" cancel"),
    ]));
    let height = lines.len() as u16 + 2;
    super::confirm_view::draw_box(
        frame,
        area,
        (width, height),
        lines,
        Span::styled(" Port-forward ", theme.title),
    );
}

/// Bytes as people read them: `512 B`, `3.4 KiB`, `12.0 MiB`.
fn bytes(count: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if count < 1024 {
        return format!("{count} B");
    }
    let mut value = count as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The forwards, over the whole body.
pub fn draw_forwards(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    selected: usize,
    confirming: bool,
    theme: &Theme,
) {
    frame.render_widget(Clear, area);
    let forwards = &app.forwards.list;
    let header = Row::new(
        ["LOCAL", "→ POD:PORT", "CONN", "IN", "OUT", "AGE", "STATE"]
            .map(|h| Span::styled(h, theme.header)),
    );
    let rows: Vec<Row<'_>> = forwards
        .iter()
        .enumerate()
        .map(|(index, forward)| {
            let state = match (&forward.ended, &forward.last_error) {
                (Some(why), _) => Span::styled(why.clone(), theme.failing),
                (None, Some(error)) => {
                    Span::styled(format!("last error: {error}"), theme.progressing)
                }
                (None, None) => Span::styled("listening", theme.healthy),
            };
            let row = Row::new(vec![
                Span::raw(forward.local.clone()),
                Span::raw(format!(
                    "→ {}/{}:{}",
                    forward.namespace, forward.pod, forward.remote
                )),
                Span::raw(format!("{}/{}", forward.active, forward.total)),
                Span::raw(bytes(forward.bytes_in)),
                Span::raw(bytes(forward.bytes_out)),
                Span::raw(human_duration(app.now.duration_since(forward.started))),
                state,
            ]);
            if index == selected {
                row.style(theme.selected)
            } else {
                row
            }
        })
        .collect();
    let title = format!(
        " Port-forwards [{} running of {}] ",
        app.forwards.running(),
        forwards.len()
    );
    // Under the table, the selected forward's state in full (a long error does not fit its
    // cell), or the question while ctrl-d waits for y.
    let [table_area, question] =
        ratatui::layout::Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title));
    if forwards.is_empty() {
        block = block.title_bottom(Span::styled(
            " none yet: shift-f on a pod, service or workload starts one ",
            theme.muted,
        ));
    }
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(15),
                Constraint::Fill(2),
                Constraint::Length(5),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(4),
                Constraint::Fill(1),
            ],
        )
        .header(header)
        .block(block),
        table_area,
    );
    if !confirming && let Some(forward) = forwards.get(selected) {
        let state = match (&forward.ended, &forward.last_error) {
            (Some(why), _) => format!(" {}: {why}", forward.local),
            (None, Some(error)) => format!(" {}: last error: {error}", forward.local),
            (None, None) => format!(" {}: listening", forward.local),
        };
        frame.render_widget(Paragraph::new(Span::styled(state, theme.muted)), question);
    }
    if confirming && let Some(forward) = forwards.get(selected) {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!(
                        " stop the forward {} → {}/{}:{}? ",
                        forward.local, forward.namespace, forward.pod, forward.remote
                    ),
                    theme.failing.add_modifier(Modifier::BOLD),
                ),
                Span::styled("y", theme.key),
                Span::raw(" yes   "),
                Span::styled("any other key", theme.key),
                Span::raw(" no (the default)"),
            ])),
            question,
        );
    }
}
