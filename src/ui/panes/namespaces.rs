//! The namespaces pane's cells: each namespace's phase, its pods and age, and its labels.

use super::*;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View { app, theme, .. } = view;
    view.on_screen()
        .map(|key| {
            let namespace = &app.resources.namespaces[*key];
            let cells = row_cells(
                &view,
                || serde_json::from_str(&namespace.text).ok(),
                |name| match name {
                    "NAME" => name_cell(&key.1, app, theme),
                    "STATUS" => Line::from(Span::styled(
                        namespace.object.status.phase.clone(),
                        theme.health(namespace.health),
                    )),
                    "PODS" => {
                        // The pods of one namespace are a range of the ordered map.
                        let from = (key.1.clone(), String::new());
                        let pods = app
                            .resources
                            .pods
                            .range(from..)
                            .take_while(|((ns, _), _)| ns == &key.1)
                            .count();
                        Line::from(pods.to_string())
                    }
                    "AGE" => Line::from(age(namespace.object.metadata.creation_timestamp, app.now)),
                    "LABELS" => Line::from(labels_text(
                        namespace
                            .object
                            .metadata
                            .labels
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str())),
                    )),
                    _ => Line::default(),
                },
            );
            (cells, namespace.health)
        })
        .collect()
}
