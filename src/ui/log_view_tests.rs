//! Tests of `log_view.rs`.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::*;
use crate::model::log_stream::{LogMessage, LogRequest};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 12;

fn line(pod: &str, text: &str) -> LogLine {
    LogLine {
        pod: Arc::from(pod),
        container: Arc::from("app"),
        text: text.to_string(),
        at: None,
    }
}

fn view_of(pods: &[&str], lines: Vec<LogLine>) -> LogView {
    let request = LogRequest::following(
        "shop",
        pods.iter().map(|p| p.to_string()).collect(),
        ContainerChoice::One("app".to_string()),
    );
    let mut view = LogView::new(
        "logs shop/web-1 (app)".to_string(),
        request,
        vec!["app".to_string()],
        100,
    );
    view.on_message(LogMessage::Lines(lines));
    view
}

fn press(view: &mut LogView, keys: &str) {
    // The lines the view shows: its border and footer taken off.
    let page = usize::from(HEIGHT - 3);
    for c in keys.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        view.on_key(KeyEvent::new(code, KeyModifiers::NONE), page);
    }
}

fn render(view: &LogView, theme: &Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    terminal
        .draw(|frame| draw(frame, frame.area(), view, Keymap::builtin(), theme))
        .expect("draws");
    terminal.backend().buffer().clone()
}

fn rows(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

/// The styles of the cells of `needle`'s first occurrence.
fn styles_of(buffer: &Buffer, needle: &str) -> Vec<Style> {
    for y in 0..buffer.area.height {
        let row: Vec<char> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().chars().next().unwrap_or(' '))
            .collect();
        let needle: Vec<char> = needle.chars().collect();
        if let Some(x) = row.windows(needle.len()).position(|cells| cells == needle) {
            return (x..x + needle.len())
                .map(|x| buffer[(x as u16, y)].style())
                .collect();
        }
    }
    panic!("{needle:?} is not on screen");
}

#[test]
fn lines_matches_and_footer_are_shown() {
    let theme = Theme::dark();
    let mut view = view_of(
        &["web-1"],
        vec![
            line("web-1", "starting up"),
            line("web-1", "GET /orders 500 error: db down"),
            line("web-1", "GET /healthz 200"),
            line("web-1", "error: retry"),
        ],
    );
    press(&mut view, "/error\n");
    let screen = render(&view, &theme);
    let text = rows(&screen);
    assert!(
        text[0].contains("logs shop/web-1 (app) · connecting"),
        "{text:?}"
    );
    for (row, expected) in ["starting up", "GET /orders", "GET /healthz", "error: retry"]
        .iter()
        .enumerate()
    {
        assert!(text[row + 1].contains(expected), "{text:?}");
    }
    // The match the view went to (the newest) stands out from the other.
    let other = styles_of(&screen, "error: db");
    assert!(
        other[..5]
            .iter()
            .all(|s| s.add_modifier.contains(Modifier::REVERSED))
    );
    assert!(!other[5].add_modifier.contains(Modifier::REVERSED));
    let current = styles_of(&screen, "error: retry");
    assert_eq!(current[0].bg, theme.title.bg);
    let footer = &text[usize::from(HEIGHT) - 2];
    assert!(
        footer.starts_with("│FOLLOWING  \"error\" 2 of 2 matches  4 lines"),
        "{footer}"
    );
    assert!(
        footer.contains("esc close  space pause  / search"),
        "{footer}"
    );
    assert!(footer.contains("w wrap off"), "{footer}");
}

#[test]
fn the_title_says_how_the_stream_failed() {
    let mut view = view_of(&["web-1"], Vec::new());
    view.on_message(LogMessage::Status {
        pod: Arc::from("web-1"),
        container: Arc::from("app"),
        state: StreamState::Failed(
            "previous terminated container \"app\" in pod \"web-1\" not found".to_string(),
        ),
    });
    let theme = Theme::dark();
    let screen = render(&view, &theme);
    let title = &rows(&screen)[0];
    assert!(
            title.contains(
                "logs shop/web-1 (app) · failed: previous terminated container \"app\" in pod \"web-1\" not found"
            ),
            "{title}"
        );
    assert_eq!(styles_of(&screen, "failed")[0].fg, theme.failing.fg);
}

#[test]
fn wrapping_continues_a_long_line_and_the_tail_stays_in_view() {
    let long = format!("begin {} end", "x".repeat(400));
    let mut lines = vec![line("web-1", "first")];
    lines.push(line("web-1", &long));
    lines.push(line("web-1", "last"));
    let mut view = view_of(&["web-1"], lines);
    let theme = Theme::dark();
    let text = rows(&render(&view, &theme));
    assert!(text[2].contains("begin xxx"));
    assert!(
        !text.iter().any(|row| row.contains("end")),
        "cut at the edge"
    );
    assert!(text[3].contains("last"));
    press(&mut view, "w");
    let text = rows(&render(&view, &theme));
    // 8 rows for lines: "first", the long line on three rows, "last"; following the tail,
    // the last line is on screen.
    assert!(text[1].contains("first"), "{text:?}");
    assert!(text[2].contains("begin xxx"));
    assert!(text[4].contains("x end"), "{text:?}");
    assert!(text[5].contains("last"), "{text:?}");
    assert!(text[usize::from(HEIGHT) - 2].contains("w wrap on"));
}

#[test]
fn several_pods_have_coloured_prefixes_and_the_footer_counts_dropped_lines() {
    let lines = (0..150)
        .map(|i| {
            line(
                if i % 2 == 0 { "web-1" } else { "web-2" },
                &format!("n {i}"),
            )
        })
        .collect();
    let view = view_of(&["web-1", "web-2"], lines);
    let theme = Theme::dark();
    let screen = render(&view, &theme);
    let text = rows(&screen);
    assert!(
        text[usize::from(HEIGHT) - 3].contains("web-2 n 149"),
        "{text:?}"
    );
    let first = styles_of(&screen, "web-1 n 14")[0].fg;
    let second = styles_of(&screen, "web-2 n 14")[0].fg;
    assert!(first.is_some() && second.is_some() && first != second);
    let footer = &text[usize::from(HEIGHT) - 2];
    assert!(footer.contains("50 dropped  100 lines"), "{footer}");
}

#[test]
fn timestamps_pretty_json_and_escapes_are_shown_as_asked() {
    let at = "2024-05-01T10:00:00.5Z".parse().expect("a timestamp");
    let mut stamped = line("web-1", "\u{1b}[32mok\u{1b}[0m\tdone");
    stamped.at = Some(at);
    let json = line("web-1", r#"{"level":"info","msg":"hi"}"#);
    let mut view = view_of(&["web-1"], vec![stamped, json]);
    let theme = Theme::dark();
    let text = rows(&render(&view, &theme));
    assert!(text[1].starts_with("│ok      done "), "{text:?}");
    press(&mut view, "tJ");
    let text = rows(&render(&view, &theme));
    assert!(
        text[1].starts_with("│2024-05-01T10:00:00.5Z ok"),
        "{text:?}"
    );
    assert!(text[2].starts_with("│{ "), "{text:?}");
    assert!(text[3].starts_with("│  \"level\": \"info\","), "{text:?}");
}

#[test]
fn a_narrow_footer_keeps_the_state_and_whole_keys() {
    let view = view_of(&["web-1"], vec![line("web-1", "a")]);
    let footer = footer_line(&view, Keymap::builtin(), &Theme::dark(), 40);
    let text: String = footer.spans.iter().map(|s| &*s.content).collect();
    assert_eq!(text, "FOLLOWING  1 line  │ esc close ");
}

#[test]
fn numbers_are_grouped_in_thousands() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1000), "1,000");
    assert_eq!(grouped(1234567), "1,234,567");
}
