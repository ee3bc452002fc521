//! The Events section that ends every description.

use std::fmt::Write;

use jiff::Timestamp;

use crate::model::duration::age;
use crate::model::event::Event;

/// Events about an object, oldest first, as describe lists them.
pub(super) fn event_lines(out: &mut String, events: &[&Event], now: Timestamp) {
    let _ = writeln!(out, "Events:");
    if events.is_empty() {
        let _ = writeln!(out, "  <none>");
        return;
    }
    let mut sorted: Vec<&&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.last_seen());
    let _ = writeln!(out, "  {:<8} {:<22} {:<8} Message", "Type", "Reason", "Age");
    for event in sorted {
        let seen = age(event.last_seen(), now);
        let count = event.count.unwrap_or(1);
        let when = if count > 1 {
            format!("{seen} (x{count})")
        } else {
            seen
        };
        let _ = writeln!(
            out,
            "  {:<8} {:<22} {:<8} {}",
            event.type_, event.reason, when, event.message
        );
    }
}
