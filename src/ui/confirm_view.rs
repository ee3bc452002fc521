//! The confirmation of a mutation: what it will do, and `y` to do it (anything else declines).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::operation::Operation;

/// Draws the confirmation of `operation` in the middle of `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, operation: &Operation, theme: &Theme) {
    let plan = operation.plan();
    let width = area.width.saturating_sub(4).min(90);
    let mut lines: Vec<Line<'_>> = plan
        .iter()
        .map(|line| Line::from(Span::raw(line.clone())))
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {}? ", operation.verb()),
            theme.failing.add_modifier(Modifier::BOLD),
        ),
        Span::styled("y", theme.key),
        Span::raw(" yes   "),
        Span::styled("any other key", theme.key),
        Span::raw(" no (the default)"),
    ]));
    // Two lines to spare for what wraps.
    let height = lines.len() as u16 + 4;
    draw_box(
        frame,
        area,
        (width, height),
        lines,
        Span::styled(" Confirm ", theme.failing),
    );
}

/// Draws `lines` in a bordered box of `width` x `height` (at most the area's) in the middle of
/// `area`, over what is there, with `title` on its border.
pub(super) fn draw_box(
    frame: &mut Frame,
    area: Rect,
    (width, height): (u16, u16),
    lines: Vec<Line>,
    title: Span,
) {
    let height = height.min(area.height);
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}
