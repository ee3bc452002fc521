//! The explainer: why the selected object shows its status, step by step, and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::explain_lines::{Part, explanation_lines, explanation_title};
use crate::app::reader::Reader;
use crate::model::explanation::Explanation;
use crate::model::health::Health;

/// Draws the explanation over `area` from the reader's top line (long lines wrap), its
/// search's matches highlighted.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    explanation: &Explanation,
    reader: &Reader,
    theme: &Theme,
) {
    let lines: Vec<Line<'_>> = explanation_lines(explanation)
        .into_iter()
        .enumerate()
        .skip(reader.top)
        .take(area.height as usize)
        .map(|(at, line)| {
            let styled = Line::from(
                line.0
                    .into_iter()
                    .map(|(part, text)| Span::styled(text, style(part, theme)))
                    .collect::<Vec<_>>(),
            );
            match &reader.search {
                Some(search) => super::reading::highlight(styled, search.on_line(at), theme),
                None => styled,
            }
        })
        .collect();
    let block =
        super::reading::frame_of(&explanation_title(explanation), area.width, reader, theme);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

/// A part's style in the theme.
fn style(part: Part, theme: &Theme) -> Style {
    match part {
        Part::Summary(health) => theme.health(health).add_modifier(Modifier::BOLD),
        Part::Heading | Part::Result => theme.header,
        Part::Muted => theme.muted,
        Part::Plain => Style::default(),
        Part::Failing => theme.health(Health::Failing),
    }
}
