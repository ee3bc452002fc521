//! The help overlay: every key, made from the bindings in force.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::keymap::{Keymap, help_lines};

/// Draws the help over `area`, scrolled by `scroll` lines (j/k) when it does not fit.
pub fn draw(frame: &mut Frame<'_>, area: Rect, keymap: &Keymap, scroll: usize, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(96);
    // The key column shrinks on narrow terminals; descriptions wrap under themselves.
    let key_width = (width as usize / 2).min(34);
    let description_width = (width as usize).saturating_sub(key_width + 4).max(10);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (keys, what) in help_lines(keymap) {
        let options = textwrap::Options::new(description_width)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        let pieces = textwrap::wrap(&what, options);
        let pieces = if pieces.is_empty() {
            vec![std::borrow::Cow::Borrowed("")]
        } else {
            pieces
        };
        for (index, piece) in pieces.into_iter().enumerate() {
            let key_cell = if index == 0 {
                format!(" {keys:<key_width$} ")
            } else {
                " ".repeat(key_width + 2)
            };
            lines.push(Line::from(vec![
                Span::styled(key_cell, theme.key),
                Span::raw(piece.into_owned()),
            ]));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let fits = (height as usize).saturating_sub(2);
    let scroll = scroll.min(lines.len().saturating_sub(fits));
    let title = if lines.len() > fits {
        format!(
            " Keys (esc to close; j/k scroll: {}-{} of {}) ",
            scroll + 1,
            (scroll + fits).min(lines.len()),
            lines.len()
        )
    } else {
        " Keys (esc to close) ".to_string()
    };
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}
