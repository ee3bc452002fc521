//! The events pane: type, reason, the object, the message, count and when last seen.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View { app, theme, .. } = view;
    let rows = view
        .on_screen()
        .map(|key| {
            let event = &app.resources.events[*key];
            let health = if event.type_ == "Warning" {
                Health::Failing
            } else {
                Health::Healthy
            };
            let object = format!(
                "{}/{}",
                event.involved_object.kind.to_lowercase(),
                event.involved_object.name
            );
            (
                vec![
                    Cell::from(age(event.last_seen(), app.now)),
                    Cell::from(Span::styled(event.type_.clone(), theme.health(health))),
                    Cell::from(event.reason.clone()),
                    Cell::from(object),
                    Cell::from(event.count.unwrap_or(1).to_string()),
                    Cell::from(event.message.clone()),
                ],
                health,
            )
        })
        .collect();
    (
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"]
            .map(String::from)
            .to_vec(),
        vec![
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(18),
            Constraint::Length(32),
            Constraint::Length(5),
            Constraint::Min(20),
        ],
        rows,
    )
}
