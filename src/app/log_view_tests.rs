//! Tests of `log_view.rs`.

use std::sync::Arc;

use super::*;
use crate::model::log_stream::LogLine;

const PAGE: usize = 10;

fn press(view: &mut LogView, code: KeyCode) -> LogViewOutcome {
    view.on_key(KeyEvent::new(code, KeyModifiers::NONE), PAGE)
}

fn typed(view: &mut LogView, text: &str) {
    for c in text.chars() {
        press(view, KeyCode::Char(c));
    }
}

fn line(pod: &str, text: &str) -> LogLine {
    LogLine {
        pod: Arc::from(pod),
        container: Arc::from("app"),
        text: text.to_string(),
        at: None,
    }
}

/// `web-1`'s log (containers app and sidecar) with `count` lines, every fifth an error.
fn view_with(count: usize) -> LogView {
    let request = LogRequest::following(
        "shop",
        vec!["web-1".to_string()],
        ContainerChoice::One("app".to_string()),
    );
    let mut view = LogView::new(
        "logs shop/web-1 (app)".to_string(),
        request,
        vec!["app".to_string(), "sidecar".to_string()],
        1000,
    );
    view.on_message(LogMessage::Lines(
        (0..count)
            .map(|i| {
                let kind = if i % 5 == 0 { "error" } else { "ok" };
                line("web-1", &format!("{kind} {i}"))
            })
            .collect(),
    ));
    view
}

fn top_text(view: &LogView) -> String {
    let top = view.buffer.top(PAGE);
    view.buffer.get(top).expect("a line").text.clone()
}

#[test]
fn esc_and_q_close() {
    let mut view = view_with(3);
    assert_eq!(press(&mut view, KeyCode::Char('q')), LogViewOutcome::Close);
    assert_eq!(press(&mut view, KeyCode::Esc), LogViewOutcome::Close);
}

#[test]
fn scrolling_up_pauses_and_big_g_follows_the_tail_again() {
    let mut view = view_with(100);
    assert!(view.buffer.follow_tail());
    press(&mut view, KeyCode::Char('j'));
    assert!(
        view.buffer.follow_tail(),
        "down at the tail keeps following"
    );
    press(&mut view, KeyCode::Char('k'));
    assert!(view.buffer.paused());
    assert_eq!(top_text(&view), "ok 89");
    press(&mut view, KeyCode::PageUp);
    assert_eq!(top_text(&view), "ok 79");
    press(&mut view, KeyCode::Down);
    assert_eq!(top_text(&view), "error 80");
    press(&mut view, KeyCode::Char('g'));
    assert_eq!(top_text(&view), "error 0");
    press(&mut view, KeyCode::Char('G'));
    assert!(view.buffer.follow_tail());
    assert_eq!(top_text(&view), "error 90");
    press(&mut view, KeyCode::Char(' '));
    assert!(view.buffer.paused());
    assert_eq!(top_text(&view), "error 90", "pausing keeps the view");
    press(&mut view, KeyCode::Char(' '));
    assert!(view.buffer.follow_tail());
}

#[test]
fn display_toggles_need_no_restart() {
    let mut view = view_with(3);
    for (key, flag) in [('w', 0), ('J', 1), ('t', 2)] {
        assert_eq!(
            press(&mut view, KeyCode::Char(key)),
            LogViewOutcome::Nothing
        );
        let flags = [view.wrap, view.pretty_json, view.show_timestamps];
        assert!(flags[flag], "{key}");
    }
    assert_eq!(view.buffer.len(), 3);
}

#[test]
fn c_cycles_all_then_each_container_then_all() {
    let mut view = view_with(3);
    view.request.container = ContainerChoice::All;
    let mut chosen = Vec::new();
    for _ in 0..3 {
        match press(&mut view, KeyCode::Char('c')) {
            LogViewOutcome::Restart(request) => chosen.push(request.container),
            other => panic!("expected a restart, got {other:?}"),
        }
    }
    assert_eq!(
        chosen,
        vec![
            ContainerChoice::One("app".to_string()),
            ContainerChoice::One("sidecar".to_string()),
            ContainerChoice::All,
        ]
    );
    assert_eq!(view.request.container, ContainerChoice::All);
    assert_eq!(view.title, "logs shop/web-1 (all)");
    assert!(view.buffer.is_empty(), "the old stream's lines are gone");
    view.containers.truncate(1);
    assert_eq!(
        press(&mut view, KeyCode::Char('c')),
        LogViewOutcome::Nothing
    );
    assert_eq!(view.message.as_deref(), Some("app is the only container"));
}

#[test]
fn p_reads_the_previous_run_without_following_and_back() {
    let mut view = view_with(3);
    let LogViewOutcome::Restart(request) = press(&mut view, KeyCode::Char('p')) else {
        panic!("expected a restart");
    };
    assert!(request.previous && !request.follow);
    assert_eq!(view.request, request);
    let LogViewOutcome::Restart(request) = press(&mut view, KeyCode::Char('p')) else {
        panic!("expected a restart");
    };
    assert!(!request.previous && request.follow);
}

#[test]
fn digits_choose_where_the_log_starts() {
    let mut view = view_with(3);
    assert_eq!(view.since_label(), "tail");
    assert_eq!(
        press(&mut view, KeyCode::Char('0')),
        LogViewOutcome::Nothing
    );
    let LogViewOutcome::Restart(request) = press(&mut view, KeyCode::Char('1')) else {
        panic!("expected a restart");
    };
    assert_eq!(request.since, Some(Since::Seconds(60)));
    assert_eq!(request.tail_lines, None);
    assert_eq!(view.since_label(), "1m");
    let labels: Vec<String> = ['2', '3', '4', '5', '0']
        .into_iter()
        .map(|digit| {
            press(&mut view, KeyCode::Char(digit));
            view.since_label()
        })
        .collect();
    assert_eq!(labels, vec!["5m", "15m", "1h", "all", "tail"]);
    assert_eq!(view.request.tail_lines, Some(DEFAULT_FOLLOW_TAIL_LINES));
}

#[test]
fn a_typed_search_shows_the_newest_match_and_n_moves_between_matches() {
    let mut view = view_with(100);
    press(&mut view, KeyCode::Char('/'));
    typed(&mut view, "errox");
    press(&mut view, KeyCode::Backspace);
    typed(&mut view, "r");
    assert_eq!(view.search_input.as_deref(), Some("error"));
    assert_eq!(
        view.buffer.match_count(),
        0,
        "nothing is searched before Enter"
    );
    press(&mut view, KeyCode::Enter);
    assert_eq!(view.search_input, None);
    assert_eq!(view.buffer.match_count(), 20);
    // Following: the newest match (line 95) is on screen, so the view stays on the tail.
    assert_eq!(view.current_match_index(), Some(95));
    assert_eq!(view.match_position(), Some(20));
    assert!(view.buffer.follow_tail());
    press(&mut view, KeyCode::Char('N'));
    assert_eq!(view.current_match_index(), Some(90));
    assert!(view.buffer.follow_tail(), "90 is still on screen");
    for _ in 0..11 {
        press(&mut view, KeyCode::Char('N'));
    }
    assert_eq!(view.current_match_index(), Some(35));
    assert!(view.buffer.paused(), "an off-screen match moves the view");
    let top = view.buffer.top(PAGE);
    assert!((top..top + PAGE).contains(&35));
    press(&mut view, KeyCode::Char('n'));
    assert_eq!(view.current_match_index(), Some(40));
    assert_eq!(view.match_position(), Some(9));
    // Esc clears the search first, then closes.
    assert_eq!(press(&mut view, KeyCode::Esc), LogViewOutcome::Nothing);
    assert!(view.buffer.pattern().is_none());
    assert_eq!(view.match_position(), None);
    assert_eq!(press(&mut view, KeyCode::Esc), LogViewOutcome::Close);
}

#[test]
fn typing_a_search_takes_every_key_and_esc_only_cancels_it() {
    let mut view = view_with(10);
    press(&mut view, KeyCode::Char('/'));
    assert_eq!(
        press(&mut view, KeyCode::Char('q')),
        LogViewOutcome::Nothing
    );
    typed(&mut view, "s1");
    assert_eq!(view.search_input.as_deref(), Some("qs1"));
    assert_eq!(press(&mut view, KeyCode::Esc), LogViewOutcome::Nothing);
    assert_eq!(view.search_input, None);
    assert!(view.buffer.pattern().is_none());
    press(&mut view, KeyCode::Char('n'));
    assert_eq!(view.message.as_deref(), Some("no search: / to search"));
}

#[test]
fn a_paused_search_goes_to_the_first_match_from_the_top() {
    let mut view = view_with(100);
    press(&mut view, KeyCode::Char('g'));
    press(&mut view, KeyCode::Char('j'));
    press(&mut view, KeyCode::Char('/'));
    typed(&mut view, "error");
    press(&mut view, KeyCode::Enter);
    assert_eq!(view.current_match_index(), Some(5));
    press(&mut view, KeyCode::Char('/'));
    typed(&mut view, "nothing");
    press(&mut view, KeyCode::Enter);
    assert_eq!(view.current_match_index(), None);
    assert_eq!(
        view.message.as_deref(),
        Some("no line matches \"nothing\" yet")
    );
}

#[test]
fn s_saves_under_kscope_logs_named_after_the_pod() {
    let mut view = view_with(3);
    let LogViewOutcome::Save(path) = press(&mut view, KeyCode::Char('s')) else {
        panic!("expected a save");
    };
    assert_eq!(
        path.parent().and_then(|p| p.file_name()),
        Some(std::ffi::OsStr::new("kscope-logs"))
    );
    let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
    assert!(name.starts_with("shop-web-1-app-") && name.ends_with(".log"));
    let now: Timestamp = "2024-05-01T10:00:00.5Z".parse().expect("a timestamp");
    assert_eq!(
        view.save_file_name(now),
        "shop-web-1-app-20240501T100000Z.log"
    );
    view.request.pods = vec!["web-1".into(), "web-2".into(), "web-3".into()];
    view.request.container = ContainerChoice::All;
    view.request.previous = true;
    assert_eq!(
        view.save_file_name(now),
        "shop-web-1+2-all-previous-20240501T100000Z.log"
    );
}

#[test]
fn the_summary_names_streams_in_trouble_and_counts_the_rest() {
    let mut view = view_with(0);
    assert_eq!(view.stream_summary(), "connecting");
    let status = |pod: &str, container: &str, state| LogMessage::Status {
        pod: Arc::from(pod),
        container: Arc::from(container),
        state,
    };
    view.on_message(status("web-1", "app", StreamState::Streaming));
    assert_eq!(view.stream_summary(), "streaming");
    view.on_message(status(
        "web-1",
        "app",
        StreamState::Failed("container \"app\" not found".to_string()),
    ));
    assert_eq!(view.stream_summary(), "failed: container \"app\" not found");
    view.request.pods = vec!["web-1".into(), "web-2".into(), "web-3".into()];
    view.on_message(status("web-2", "app", StreamState::Streaming));
    view.on_message(status("web-3", "app", StreamState::Streaming));
    view.on_message(status(
        "web-3",
        "app",
        StreamState::Reconnecting {
            attempt: 2,
            error: "connection reset".to_string(),
        },
    ));
    assert_eq!(
        view.stream_summary(),
        "web-1/app failed: container \"app\" not found, \
             web-3/app reconnecting (attempt 2: connection reset), 1 streaming"
    );
}
