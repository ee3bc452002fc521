//! The events pane's cells: NAMESPACE when all namespaces are shown, when last seen, type,
//! reason, the object, count and the message (and in the wide set the source and first seen).

use super::*;
use crate::app::row_text::EventText;

pub(in crate::ui) fn rows<'a>(view: View<'a>) -> Vec<GridRow<'a>> {
    let View { app, theme, .. } = view;
    view.on_screen()
        .map(|key| {
            let event = &app.resources.events[*key];
            let health = if event.type_ == "Warning" {
                Health::Failing
            } else {
                Health::Healthy
            };
            let cells = view
                .specs
                .iter()
                .map(|spec| match spec.name.as_str() {
                    "NAMESPACE" => Line::from(key.0.clone()),
                    "LAST SEEN" => Line::from(age(event.last_seen(), app.now)),
                    "TYPE" => Line::from(Span::styled(event.type_.clone(), theme.health(health))),
                    "REASON" => Line::from(event.reason.clone()),
                    "OBJECT" => Line::from(EventText::object(event)),
                    "COUNT" => Line::from(event.count.unwrap_or(1).to_string()),
                    // kubectl's formatEventSource: the component, and the host when known.
                    "SOURCE" => Line::from(match &event.source {
                        Some(source) if !source.component.is_empty() => {
                            if source.host.is_empty() {
                                source.component.clone()
                            } else {
                                format!("{}, {}", source.component, source.host)
                            }
                        }
                        _ => event.reporting_component.clone().unwrap_or_default(),
                    }),
                    "FIRST SEEN" => {
                        Line::from(age(event.first_timestamp.or(event.event_time), app.now))
                    }
                    "MESSAGE" => Line::from(event.message.clone()),
                    _ => Line::default(),
                })
                .collect();
            (cells, health)
        })
        .collect()
}
