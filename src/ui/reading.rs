//! What the reading views (YAML, describe, explain) and the log view share: the styles of a
//! search match and of the one `n`/`N` moved to, a line with its matches highlighted, and the
//! search line at the bottom of the view.

use std::ops::Range;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::theme::Theme;
use crate::app::reader::Reader;

/// A search match's style, and the current match's.
pub(super) fn match_styles(theme: &Theme) -> (Style, Style) {
    let reversed = Style::new().add_modifier(Modifier::REVERSED);
    let highlight = if theme.selected == Style::new() {
        reversed
    } else {
        theme.selected
    };
    let current = if theme.title == Style::new() || theme.title == highlight {
        highlight.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        theme.title
    };
    (highlight, current)
}

/// `line` with the bytes of each match (ranges in the line's text) in the match style, the
/// current one in its own.
pub(super) fn highlight<'a, 'r>(
    line: Line<'a>,
    matches: impl Iterator<Item = (bool, &'r Range<usize>)>,
    theme: &Theme,
) -> Line<'a> {
    let matches: Vec<(bool, Range<usize>)> = matches.map(|(c, r)| (c, r.clone())).collect();
    if matches.is_empty() {
        return line;
    }
    let (highlight, current) = match_styles(theme);
    let style_at = |at: usize| {
        matches
            .iter()
            .find(|(_, range)| range.contains(&at))
            .map(|(is_current, _)| if *is_current { current } else { highlight })
    };
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut offset = 0;
    for span in line.spans {
        let text = span.content.as_ref();
        // Split the span where the highlight starts or stops.
        let mut piece = String::new();
        let mut piece_style: Option<Option<Style>> = None;
        for (i, c) in text.char_indices() {
            let style = style_at(offset + i);
            if piece_style.is_some_and(|s| s != style) {
                let extra = piece_style.flatten();
                spans.push(Span::styled(
                    std::mem::take(&mut piece),
                    extra.map_or(span.style, |e| span.style.patch(e)),
                ));
            }
            piece_style = Some(style);
            piece.push(c);
        }
        if !piece.is_empty() {
            let extra = piece_style.flatten();
            spans.push(Span::styled(
                piece,
                extra.map_or(span.style, |e| span.style.patch(e)),
            ));
        }
        offset += text.len();
    }
    let mut highlighted = Line::from(spans).style(line.style);
    highlighted.alignment = line.alignment;
    highlighted
}

/// A reading view's frame: its title (cut with `…` to the width), and the search line at the
/// bottom.
pub(super) fn frame_of<'a>(title: &str, width: u16, reader: &Reader, theme: &Theme) -> Block<'a> {
    let title = super::columns::cut(
        Line::from(Span::styled(format!(" {title} "), theme.header)),
        width.saturating_sub(2),
    );
    let block = Block::default().borders(Borders::ALL).title(title);
    match search_title(reader, theme) {
        Some(line) => block.title_bottom(line),
        None => block,
    }
}

/// The bottom title of a reading view: the search line being typed, or the last search and
/// where in its matches the view is.
fn search_title<'a>(reader: &Reader, theme: &Theme) -> Option<Line<'a>> {
    if let Some(line) = &reader.typing {
        return Some(Line::from(vec![
            Span::styled(" /", theme.key),
            Span::raw(format!("{}▏", line.text())),
            Span::styled("  enter searches, esc gives up ", theme.muted),
        ]));
    }
    let search = reader.search.as_ref()?;
    Some(Line::from(vec![
        Span::styled(" /", theme.key),
        Span::raw(search.query.clone()),
        Span::styled(format!("  {}  n/N ", search.count()), theme.muted),
    ]))
}
