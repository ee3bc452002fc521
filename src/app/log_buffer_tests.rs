//! Tests of `log_buffer.rs`.

use super::*;

fn line(pod: &str, text: &str) -> LogLine {
    LogLine {
        pod: Arc::from(pod),
        container: Arc::from("main"),
        text: text.to_string(),
        at: None,
    }
}

fn filled(capacity: usize, count: usize) -> LogBuffer {
    let mut buffer = LogBuffer::new(capacity);
    buffer.extend((0..count).map(|i| line("web-0", &format!("line {i}"))));
    buffer
}

fn texts(buffer: &LogBuffer) -> Vec<&str> {
    buffer
        .iter_range(0..buffer.len())
        .map(|l| l.text.as_str())
        .collect()
}

#[test]
fn the_ring_keeps_the_newest_lines_and_counts_the_rest() {
    let buffer = filled(3, 5);
    assert_eq!(buffer.len(), 3);
    assert_eq!(buffer.dropped(), 2);
    assert_eq!(texts(&buffer), vec!["line 2", "line 3", "line 4"]);
    assert_eq!(buffer.get(0).map(|l| l.text.as_str()), Some("line 2"));
    assert_eq!(buffer.get(3), None);
    let middle: Vec<&str> = buffer.iter_range(1..10).map(|l| &*l.text).collect();
    assert_eq!(middle, vec!["line 3", "line 4"]);
    assert_eq!(LogBuffer::default().capacity(), DEFAULT_CAPACITY);
}

#[test]
fn following_shows_the_last_screenful_and_a_paused_view_stays_on_its_line() {
    let mut buffer = filled(100, 30);
    assert!(buffer.follow_tail());
    assert_eq!(buffer.top(10), 20);
    buffer.pause(10);
    assert!(buffer.paused());
    buffer.extend((30..40).map(|i| line("web-0", &format!("line {i}"))));
    assert_eq!(buffer.top(10), 20, "new lines do not move a paused view");
    buffer.scroll_by(-5, 10);
    assert_eq!(buffer.top(10), 15);
    buffer.scroll_by(1000, 10);
    assert_eq!(buffer.top(10), 30, "no further than the last screenful");
    buffer.scroll_by(-1000, 10);
    assert_eq!(buffer.top(10), 0);
    buffer.resume();
    assert_eq!(buffer.top(10), 30);
}

#[test]
fn a_paused_view_keeps_its_line_while_the_ring_turns() {
    let mut buffer = filled(10, 10);
    buffer.scroll_to(5, 3);
    assert_eq!(buffer.get(buffer.top(3)).map(|l| &*l.text), Some("line 5"));
    buffer.extend((10..13).map(|i| line("web-0", &format!("line {i}"))));
    assert_eq!(buffer.get(buffer.top(3)).map(|l| &*l.text), Some("line 5"));
    // Once the anchored line falls out, the view shows the oldest line kept.
    buffer.extend((13..20).map(|i| line("web-0", &format!("line {i}"))));
    assert_eq!(buffer.top(3), 0);
}

#[test]
fn search_is_smart_case() {
    let mut buffer = LogBuffer::new(100);
    for text in [
        "GET /healthz",
        "get /orders",
        "POST /Orders",
        "déjà vu",
        "DÉJÀ VU",
    ] {
        buffer.push(line("web-0", text));
    }
    assert_eq!(buffer.search("get"), 2, "all lowercase ignores case");
    assert_eq!(buffer.search("GET"), 1, "a capital makes it exact");
    assert_eq!(buffer.search("orders"), 2);
    assert_eq!(buffer.search("Orders"), 1);
    assert_eq!(buffer.search("déjà"), 2, "beyond ASCII too");
    assert_eq!(buffer.matches().collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(buffer.highlights("Déjà, déjà"), vec![0..6, 8..14]);
    assert_eq!(buffer.search(""), 0);
    assert_eq!(buffer.pattern().map(Pattern::text), None);
}

#[test]
fn next_and_previous_match_wrap_around() {
    let mut buffer = LogBuffer::new(100);
    for i in 0..10 {
        let text = if i % 3 == 0 { "error: x" } else { "ok" };
        buffer.push(line("web-0", text));
    }
    assert_eq!(buffer.search("error"), 4);
    assert_eq!(buffer.next_match(0), Some(3));
    assert_eq!(buffer.next_match(3), Some(6));
    assert_eq!(buffer.next_match(9), Some(0), "wraps to the first");
    assert_eq!(buffer.previous_match(9), Some(6));
    assert_eq!(buffer.previous_match(3), Some(0));
    assert_eq!(buffer.previous_match(0), Some(9), "wraps to the last");
    assert!(buffer.is_match(6) && !buffer.is_match(7));
    assert_eq!(buffer.search("nothing"), 0);
    assert_eq!(buffer.next_match(0), None);
    assert_eq!(buffer.previous_match(0), None);
}

#[test]
fn matches_follow_new_lines_and_the_ring() {
    let mut buffer = LogBuffer::new(4);
    buffer.push(line("web-0", "error one"));
    buffer.push(line("web-0", "fine"));
    assert_eq!(buffer.search("error"), 1);
    buffer.push(line("web-0", "error two"));
    assert_eq!(buffer.match_count(), 2);
    buffer.push(line("web-0", "fine"));
    buffer.push(line("web-0", "fine"));
    // "error one" fell out; "error two" is now at index 1.
    assert_eq!(buffer.dropped(), 1);
    assert_eq!(buffer.matches().collect::<Vec<_>>(), vec![1]);
    assert_eq!(buffer.next_match(3), Some(1));
}

#[test]
fn pods_get_stable_colours_in_order_of_first_line() {
    let mut buffer = LogBuffer::new(2);
    for pod in ["web-b", "web-a", "web-b", "web-c", "web-a"] {
        buffer.push(line(pod, "x"));
    }
    assert_eq!(buffer.pod_colour("web-b"), Some(0));
    assert_eq!(buffer.pod_colour("web-a"), Some(1));
    assert_eq!(buffer.pod_colour("web-c"), Some(2));
    assert_eq!(buffer.pod_colour("web-d"), None);
    assert!(buffer.several_streams());
}

#[test]
fn saved_lines_say_whose_they_are_only_when_there_are_several_streams() {
    let mut one = LogBuffer::new(10);
    one.extend([line("web-0", "a"), line("web-0", "b")]);
    let mut out = Vec::new();
    assert_eq!(one.write_to(&mut out).unwrap(), 2);
    assert_eq!(String::from_utf8(out).unwrap(), "a\nb\n");
    let mut two = LogBuffer::new(10);
    two.extend([line("web-0", "a"), line("web-1", "b")]);
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("web.log");
    assert_eq!(two.save_to(&path).unwrap(), 2);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[pod/web-0/main] a\n[pod/web-1/main] b\n"
    );
}

#[test]
fn statuses_keep_the_latest_state_per_stream() {
    let mut buffer = LogBuffer::new(10);
    let status = |pod: &str, state| LogMessage::Status {
        pod: Arc::from(pod),
        container: Arc::from("main"),
        state,
    };
    buffer.apply(status("web-0", StreamState::Streaming));
    buffer.apply(status("web-1", StreamState::Streaming));
    buffer.apply(status("web-0", StreamState::Ended));
    buffer.apply(LogMessage::Lines(vec![line("web-0", "a")]));
    let states: Vec<_> = buffer.states().map(|(p, _, s)| (p, s.clone())).collect();
    assert_eq!(
        states,
        vec![
            ("web-0", StreamState::Ended),
            ("web-1", StreamState::Streaming)
        ]
    );
    assert_eq!(buffer.len(), 1);
}

#[test]
fn pretty_json_indents_objects_as_written() {
    let pretty = pretty_json(
            r#"{"ts":"2024-05-01","level":"info","n":1.50,"tags":[],"o":{"a":[1,2]},"s":"a:b,{\"c\"}"}"#,
        )
        .expect("a JSON object");
    assert_eq!(
        pretty,
        r#"{
  "ts": "2024-05-01",
  "level": "info",
  "n": 1.50,
  "tags": [],
  "o": {
    "a": [
      1,
      2
    ]
  },
  "s": "a:b,{\"c\"}"
}"#
    );
    assert_eq!(
        pretty_json(r#"2024-05-01T10:00:00.5Z {"a":{}}"#).as_deref(),
        Some("2024-05-01T10:00:00.5Z {\n  \"a\": {}\n}")
    );
    assert_eq!(pretty_json("plain text"), None);
    assert_eq!(pretty_json("[1,2]"), None, "only objects");
    assert_eq!(pretty_json(r#"{"cut": "#), None);
    assert_eq!(pretty_json(r#"{"a":1} trailing"#), None);
}
