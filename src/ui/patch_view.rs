//! Patching: choosing the patch type and how to write it, the server-checked diff waiting for
//! `y`, and the conflict that offers to re-apply.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::patching::type_name;
use crate::model::diff::DiffKind;
use crate::model::kind::Target;
use crate::model::patch_review::PatchReview;
use crate::model::strategic_merge::PatchType;

fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The patch type and how to write it (`e` editor, `i` inline).
pub fn draw_compose(
    frame: &mut Frame<'_>,
    area: Rect,
    target: &Target,
    key: &(String, String),
    patch_type: PatchType,
    inline: Option<&str>,
    theme: &Theme,
) {
    let choice = |number: &'static str, kind: PatchType| {
        let style = if kind == patch_type {
            theme.selected
        } else {
            theme.muted
        };
        Line::from(vec![
            Span::styled(format!(" {number} "), theme.key),
            Span::styled(format!("{} patch", type_name(kind)), style),
        ])
    };
    let mut lines = vec![
        choice("1", PatchType::StrategicMerge),
        choice("2", PatchType::Merge),
        choice("3", PatchType::Json),
        Line::default(),
    ];
    match inline {
        Some(text) => lines.push(Line::from(vec![
            Span::styled(" patch: ", theme.title),
            Span::raw(text.to_string()),
            Span::styled("_", theme.muted),
        ])),
        None => lines.push(Line::from(vec![
            Span::styled(" e", theme.key),
            Span::raw(" write it in $EDITOR (from a template)   "),
            Span::styled("i", theme.key),
            Span::raw(" type it here   "),
            Span::styled("esc", theme.key),
            Span::raw(" cancel"),
        ])),
    }
    lines.push(Line::from(Span::styled(
        " the patch is checked with a server dry run and shown as a diff before anything changes",
        theme.muted,
    )));
    let popup = centred(area, 96, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Patch {} ", target.title(key)),
            theme.title,
        ))),
        popup,
    );
}

/// The diff the server's dry run gave, and `y` to apply it.
pub fn draw_review(
    frame: &mut Frame<'_>,
    area: Rect,
    review: &PatchReview,
    scroll: usize,
    theme: &Theme,
) {
    frame.render_widget(Clear, area);
    let lines: Vec<Line<'_>> = review
        .diff
        .iter()
        .skip(scroll)
        .map(|line| {
            let style = match line.kind {
                DiffKind::Added => theme.healthy,
                DiffKind::Removed => theme.failing,
                DiffKind::Hunk => theme.muted,
                DiffKind::Same => ratatui::style::Style::default(),
            };
            Line::from(Span::styled(line.unified_text(), style))
        })
        .collect();
    let title = format!(
        " {} of {} (server dry run): y applies, any other key cancels ",
        if review.from_edit {
            "Edit".to_string()
        } else {
            format!("{} patch", type_name(review.patch_type))
        },
        review.target.title(&review.key)
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            title,
            theme.failing.add_modifier(Modifier::BOLD),
        ))),
        area,
    );
}

/// The object changed before the patch was applied.
pub fn draw_conflict(frame: &mut Frame<'_>, area: Rect, review: &PatchReview, theme: &Theme) {
    let lines = vec![
        Line::from(format!(
            " {} changed on the server after your change was made.",
            review.target.title(&review.key)
        )),
        Line::from(" Nothing was overwritten."),
        Line::default(),
        Line::from(vec![
            Span::styled(" r", theme.key),
            Span::raw(" re-apply your change onto the new version (shown again before it is sent)"),
        ]),
        Line::from(vec![
            Span::styled(" any other key", theme.key),
            Span::raw(" drop your change"),
        ]),
    ];
    let popup = centred(area, 90, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Conflict (409) ", theme.failing)),
        ),
        popup,
    );
}
