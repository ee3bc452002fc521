//! The namespaces pane's cells: each namespace's phase, its pods and age, and its labels.

use super::*;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View { app, theme, .. } = view;
    view.on_screen()
        .map(|key| {
            let namespace = &app.resources.namespaces[*key];
            let json = json_for(&view, &namespace.text);
            let cells = view
                .specs
                .iter()
                .map(|spec| {
                    if let Some(cell) = custom_cell(spec, json.as_ref()) {
                        return cell;
                    }
                    match spec.name.as_str() {
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
                        "AGE" => {
                            Line::from(age(namespace.object.metadata.creation_timestamp, app.now))
                        }
                        "LABELS" => Line::from(labels_text(&namespace.object.metadata.labels)),
                        _ => Line::default(),
                    }
                })
                .collect();
            (cells, namespace.health)
        })
        .collect()
}
