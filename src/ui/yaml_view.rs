//! The YAML view: the object as the API server has it, keys highlighted, Secrets masked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use serde_json::Value;

use super::theme::Theme;
use crate::app::yaml::{decoded_secret, yaml_text};

/// Draws `raw` as YAML over `area`.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    raw: &Value,
    revealed: bool,
    scroll: usize,
    theme: &Theme,
) {
    let secret = raw.get("kind").and_then(Value::as_str) == Some("Secret");
    let text = if revealed {
        yaml_text(&decoded_secret(raw), true)
    } else {
        yaml_text(raw, false)
    };
    let lines: Vec<Line<'_>> = text
        .lines()
        .skip(scroll)
        .take(area.height as usize)
        .map(|line| highlight(line, theme))
        .collect();
    let hint = match (secret, revealed) {
        (true, false) => " x reveal values, c copy, esc close ",
        (true, true) => " x hide values, c copy, esc close ",
        _ => " j/k scroll, c copy, esc close ",
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" {title} "), theme.header))
                .title_bottom(hint),
        ),
        area,
    );
}

/// Keys in the key style, comments muted, the rest plain.
fn highlight<'a>(line: &'a str, theme: &Theme) -> Line<'a> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return Line::from(Span::styled(line, theme.muted));
    }
    let body_start = line.len() - trimmed.len() + if trimmed.starts_with("- ") { 2 } else { 0 };
    match line[body_start..]
        .find(": ")
        .or_else(|| line.ends_with(':').then(|| line.len() - body_start - 1))
    {
        Some(colon)
            if !line[body_start..body_start + colon].contains(' ')
                || line[body_start..].starts_with('"') =>
        {
            let key_end = body_start + colon;
            Line::from(vec![
                Span::raw(&line[..body_start]),
                Span::styled(&line[body_start..key_end], theme.key),
                Span::raw(&line[key_end..]),
            ])
        }
        _ => Line::from(Span::raw(line)),
    }
}
