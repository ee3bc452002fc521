//! The namespaces pane: each namespace's phase and age.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View { app, theme, .. } = view;
    let rows = view
        .on_screen()
        .map(|key| {
            let namespace = &app.resources.namespaces[*key];
            let pods = app
                .resources
                .pods
                .keys()
                .filter(|(ns, _)| ns == &key.1)
                .count();
            (
                vec![
                    name_cell(&key.1, app, theme),
                    Cell::from(Span::styled(
                        namespace.object.status.phase.clone(),
                        theme.health(namespace.health),
                    )),
                    Cell::from(pods.to_string()),
                    Cell::from(age(namespace.object.metadata.creation_timestamp, app.now)),
                ],
                namespace.health,
            )
        })
        .collect();
    (
        ["NAME", "STATUS", "PODS", "AGE"].map(String::from).to_vec(),
        vec![
            Constraint::Min(20),
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(7),
        ],
        rows,
    )
}
