//! A pod's containers (init, sidecar, app) with their states, and the Events about the pod:
//! the drill-down from a pod.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Clear, Row, Table};

use super::theme::Theme;
use crate::app::resources::Key;
use crate::app::state::App;
use crate::model::container_rows::container_rows;
use crate::model::duration::age;
use crate::model::health::Health;

/// Draws the containers of the pod `key` over `area`, `selected` highlighted.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    key: &Key,
    selected: usize,
    theme: &Theme,
) {
    frame.render_widget(Clear, area);
    let title = format!(" pod {}/{}: containers and events ", key.0, key.1);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(entry) = app.resources.pods.get(key) else {
        frame.render_widget(
            ratatui::widgets::Paragraph::new("The pod is gone (deleted since it was opened)."),
            inner,
        );
        return;
    };
    let pod = entry.pod();
    let rows = container_rows(&pod, app.now);
    let selected = selected.min(rows.len().saturating_sub(1));
    let [containers, events] = Layout::vertical([
        Constraint::Length(rows.len() as u16 + 2),
        Constraint::Min(0),
    ])
    .areas(inner);
    let table_rows: Vec<Row<'_>> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let style = if index == selected {
                theme.selected
            } else {
                ratatui::style::Style::default()
            };
            Row::new(vec![
                Cell::from(row.name.clone()),
                Cell::from(row.role.as_str()),
                Cell::from(if row.ready { "true" } else { "false" }),
                Cell::from(Span::styled(row.state.clone(), theme.health(row.health))),
                Cell::from(row.restarts.to_string()),
                Cell::from(row.last_termination.clone()),
                Cell::from(row.image.clone()),
            ])
            .style(style)
        })
        .collect();
    let header = Row::new(
        [
            "NAME",
            "ROLE",
            "READY",
            "STATE",
            "RESTARTS",
            "LAST TERMINATION",
            "IMAGE",
        ]
        .map(|h| Cell::from(Span::styled(h, theme.header))),
    );
    frame.render_widget(
        Table::new(
            table_rows,
            [
                Constraint::Length(18),
                Constraint::Length(7),
                Constraint::Length(5),
                Constraint::Length(30),
                Constraint::Length(8),
                Constraint::Length(30),
                Constraint::Min(10),
            ],
        )
        .header(header),
        containers,
    );
    let mut about: Vec<_> = app
        .resources
        .events
        .values()
        .filter(|e| e.is_about("Pod", &pod.metadata))
        .collect();
    about.sort_by_key(|e| e.last_seen());
    let shown = (events.height as usize).saturating_sub(2);
    let event_rows: Vec<Row<'_>> = about
        .iter()
        .rev()
        .take(shown)
        .rev()
        .map(|event| {
            let health = if event.type_ == "Warning" {
                Health::Failing
            } else {
                Health::Healthy
            };
            Row::new(vec![
                Cell::from(age(event.last_seen(), app.now)),
                Cell::from(Span::styled(event.type_.clone(), theme.health(health))),
                Cell::from(event.reason.clone()),
                Cell::from(event.count.unwrap_or(1).to_string()),
                Cell::from(event.message.clone()),
            ])
        })
        .collect();
    let title = if about.is_empty() {
        " Events: none "
    } else {
        " Events "
    };
    frame.render_widget(
        Table::new(
            event_rows,
            [
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(18),
                Constraint::Length(5),
                Constraint::Min(10),
            ],
        )
        .header(Row::new(
            ["LAST SEEN", "TYPE", "REASON", "COUNT", "MESSAGE"]
                .map(|h| Cell::from(Span::styled(h, theme.header))),
        ))
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(Span::styled(title, theme.title)),
        ),
        events,
    );
}
