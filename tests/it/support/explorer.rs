//! A loaded explorer state and keys to drive it, for the explorer's tests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use kscope::app::keymap::action_for;
use kscope::app::request::Request;
use kscope::app::state::App;
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::model::manifest::parse_documents;
use serde_json::Value;

/// The clock of the examples.
pub const EXPLORER_NOW: &str = "2026-11-21T10:00:00Z";

/// Every object of the shipped examples, as watches would deliver them.
pub fn example_objects() -> Vec<Value> {
    let mut objects = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples")).unwrap()
    {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for document in parse_documents(&text).unwrap() {
            match document["items"].as_array() {
                Some(items) => objects.extend(items.iter().cloned()),
                None => objects.push(document),
            }
        }
    }
    objects
}

/// An app that has listed the examples and is live.
pub fn loaded_app() -> App {
    let now: Timestamp = EXPLORER_NOW.parse().unwrap();
    let mut app = App::new("test-context", None, now);
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Listing { kind });
    }
    for object in example_objects() {
        let kind = match object["kind"].as_str() {
            Some("Pod") => WatchedKind::Pods,
            Some("Node") => WatchedKind::Nodes,
            Some("Namespace") => WatchedKind::Namespaces,
            Some("Event") => WatchedKind::Events,
            _ => continue,
        };
        app.on_cluster(ClusterMessage::applied(kind, &object));
    }
    for kind in WatchedKind::from_start() {
        app.on_cluster(ClusterMessage::Synced { kind });
    }
    app
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses keys written as in k9s: single characters, or `<enter>`, `<esc>`, `<down>`.
pub fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while !rest.is_empty() {
        let (code, used) = if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').expect("closed key name");
            let code = match &after[..end] {
                name if name.starts_with("c-") => KeyCode::Char(name.chars().nth(2).expect("c-x")),
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "down" => KeyCode::Down,
                "up" => KeyCode::Up,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "bs" => KeyCode::Backspace,
                "space" => KeyCode::Char(' '),
                "tab" => KeyCode::Tab,
                other => panic!("unknown key <{other}>"),
            };
            (code, end + 2)
        } else {
            let c = rest.chars().next().unwrap();
            (KeyCode::Char(c), c.len_utf8())
        };
        // `<c-d>` is ctrl-d.
        let event = match rest.strip_prefix("<c-") {
            Some(after) if after.len() > 1 && after.as_bytes()[1] == b'>' => KeyEvent::new(
                KeyCode::Char(after.as_bytes()[0] as char),
                KeyModifiers::CONTROL,
            ),
            _ => key(code),
        };
        if let Some(action) = action_for(event, app) {
            app.apply(action);
        }
        rest = &rest[used..];
    }
}

/// Answers the app's requests from the examples, as the API server would: a GET of an object
/// the examples hold returns it, any other is not found.
pub fn answer_requests(app: &mut App) {
    let objects = example_objects();
    for request in std::mem::take(&mut app.requests) {
        let Request::Fetch { target, key, .. } = request else {
            continue;
        };
        let found = objects.iter().find(|o| {
            o["kind"] == target.kind_name().as_str()
                && o["metadata"]["name"] == key.1.as_str()
                && o["metadata"]["namespace"].as_str().unwrap_or("") == key.0
        });
        let result = match found {
            Some(object) => Ok(Box::new(object.clone())),
            None => Err(format!(
                "get {} \"{}\": not found",
                target.kind_name(),
                key.1
            )),
        };
        app.on_cluster(ClusterMessage::Fetched {
            target,
            key,
            result,
            events: None,
        });
    }
}

/// The app drawn at `width` x `height` in monochrome (its page size set as the runtime sets
/// it), as text: one line a row, trailing spaces trimmed.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    use kscope::ui::{draw, page_rows, theme::Theme};
    use ratatui::{Terminal, backend::TestBackend};
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    app.page_rows = page_rows(ratatui::layout::Rect::new(0, 0, width, height));
    terminal
        .draw(|frame| draw(frame, app, &Theme::monochrome()))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
