//! The owner tree: one line per object, its branch glyphs, a fold mark, its kind's short name,
//! its name and its status in its health's colour.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::columns::cut;
use super::theme::Theme;
use crate::app::scroll::window;
use crate::app::xray::XrayView;

/// Draws the tree over `area`, the cursor's line highlighted.
pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &XrayView, theme: &Theme) {
    frame.render_widget(Clear, area);
    let title = format!(" {} ({} lines) ", view.title(), view.lines.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if view.lines.is_empty() {
        let text = if view.stale {
            "Reading the cluster..."
        } else {
            "Nothing of this kind in the namespace scope."
        };
        frame.render_widget(Paragraph::new(text), inner);
        return;
    }
    let height = usize::from(inner.height);
    let (first, _) = window(view.row, view.lines.len(), height);
    let lines: Vec<Line<'_>> = view
        .lines
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(index, line)| {
            let mark = match (line.children, line.folded) {
                (false, _) => "  ",
                (true, false) => "▾ ",
                (true, true) => "▸ ",
            };
            let drawn = Line::from(vec![
                Span::styled(line.guides.clone(), theme.muted),
                Span::styled(mark, theme.muted),
                Span::styled(format!("{:<7}", line.subject.abbreviation()), theme.key),
                Span::raw(line.name.clone()),
                Span::raw("  "),
                Span::styled(line.status.clone(), theme.health(line.health)),
            ]);
            let drawn = cut(drawn, inner.width);
            if index == view.row {
                drawn.style(theme.selected)
            } else {
                drawn
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
