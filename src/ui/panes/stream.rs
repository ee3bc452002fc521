//! The watch stream: each change with its time, what changed and the transition.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View {
        app,
        theme,
        first,
        height,
        ..
    } = view;
    let rows = app
        .visible_stream()
        .into_iter()
        .skip(first)
        .take(height)
        .map(|line| {
            (
                vec![
                    Cell::from(line.at.strftime("%H:%M:%S").to_string()),
                    Cell::from(line.change.as_str()),
                    Cell::from(line.kind),
                    Cell::from(line.name.clone()),
                    Cell::from(Span::styled(line.detail.clone(), theme.health(line.health))),
                ],
                line.health,
            )
        })
        .collect();
    (
        ["TIME", "CHANGE", "KIND", "NAME", "DETAIL"]
            .map(String::from)
            .to_vec(),
        vec![
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Min(24),
            Constraint::Min(20),
        ],
        rows,
    )
}
