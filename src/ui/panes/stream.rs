//! The watch stream's cells: each change with its time, what changed and the transition.

use super::*;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View {
        app,
        theme,
        first,
        height,
        ..
    } = view;
    app.visible_stream()
        .into_iter()
        .skip(first)
        .take(height)
        .map(|line| {
            let cells = view
                .specs
                .iter()
                .map(|spec| match spec.name.as_str() {
                    "TIME" => Line::from(line.at.strftime("%H:%M:%S").to_string()),
                    "CHANGE" => Line::from(line.change.as_str()),
                    "KIND" => Line::from(line.kind),
                    "NAME" => Line::from(line.name.clone()),
                    "DETAIL" => {
                        Line::from(Span::styled(line.detail.clone(), theme.health(line.health)))
                    }
                    _ => Line::default(),
                })
                .collect();
            (cells, line.health)
        })
        .collect()
}
