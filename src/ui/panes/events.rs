//! The events pane: NAMESPACE when all namespaces are shown, when last seen, type, reason, the
//! object, count and the message; REASON and OBJECT as wide as the longest on screen.

use super::*;
use crate::app::row_text::EventText;

pub(in crate::ui) fn columns<'a>(view: View<'a>) -> Columns<'a> {
    let View {
        app,
        theme,
        all_namespaces,
        ..
    } = view;
    let widest =
        |text: &dyn Fn(&crate::model::event::Event) -> usize, header: usize, cap: usize| {
            view.on_screen()
                .map(|key| text(&app.resources.events[*key]))
                .max()
                .unwrap_or(0)
                .max(header)
                .min(cap) as u16
        };
    let reason_width = widest(&|e| e.reason.chars().count(), 6, 40);
    let object_width = widest(&|e| EventText::object(e).chars().count(), 6, 60);
    let namespace_width = view
        .on_screen()
        .map(|key| key.0.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(9, 16) as u16;
    let rows = view
        .on_screen()
        .map(|key| {
            let event = &app.resources.events[*key];
            let health = if event.type_ == "Warning" {
                Health::Failing
            } else {
                Health::Healthy
            };
            let mut cells = Vec::new();
            if all_namespaces {
                cells.push(Cell::from(key.0.clone()));
            }
            cells.extend([
                Cell::from(age(event.last_seen(), app.now)),
                Cell::from(Span::styled(event.type_.clone(), theme.health(health))),
                Cell::from(event.reason.clone()),
                Cell::from(EventText::object(event)),
                Cell::from(event.count.unwrap_or(1).to_string()),
                Cell::from(event.message.clone()),
            ]);
            (cells, health)
        })
        .collect();
    let mut header = Vec::new();
    let mut widths = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE".to_string());
        widths.push(Constraint::Length(namespace_width));
    }
    header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"].map(String::from));
    widths.extend([
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(reason_width),
        Constraint::Length(object_width),
        Constraint::Length(5),
        // The message takes what is left: the columns before it are never squeezed.
        Constraint::Fill(1),
    ]);
    (header, widths, rows)
}
