//! The log tail view's state: the lines (a `LogBuffer`), how they are shown (wrap, pretty
//! JSON, timestamps), the search being typed, and the keys. A key that changes what the
//! stream reads (container, previous run, since) answers with the request to restart it with;
//! `s` answers with the file to save to. The runtime carries those out, so nothing here does
//! IO.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;

use crate::app::log_buffer::LogBuffer;
use crate::model::log_stream::{
    ContainerChoice, DEFAULT_FOLLOW_TAIL_LINES, LogMessage, LogRequest, Since, StreamState,
};

/// The `0`–`5` presets: where the log starts, as (key, `since`, `tail_lines`).
const SINCE_PRESETS: [(char, Option<i64>, Option<i64>); 6] = [
    ('0', None, Some(DEFAULT_FOLLOW_TAIL_LINES)),
    ('1', Some(60), None),
    ('2', Some(5 * 60), None),
    ('3', Some(15 * 60), None),
    ('4', Some(60 * 60), None),
    ('5', None, None),
];

/// A log tail shown over the pane.
#[derive(Debug, Clone)]
pub struct LogView {
    /// What is shown, e.g. `logs shop/web-1 (app)`.
    pub title: String,
    /// What the stream reads now.
    pub request: LogRequest,
    pub buffer: LogBuffer,
    /// Long lines continue on the next rows (else they are cut at the edge).
    pub wrap: bool,
    /// Lines that are JSON objects shown indented.
    pub pretty_json: bool,
    /// Each line's instant shown in front of it. Lines always carry it (`LogLine::at`), so
    /// this changes only the display, never the stream.
    pub show_timestamps: bool,
    /// The search being typed after `/`, if any.
    pub search_input: Option<String>,
    /// The pod's containers, from its spec, for `c` to cycle through.
    pub containers: Vec<String>,
    /// One line for the footer (no match, a saved file); cleared by the next key.
    pub message: Option<String>,
    /// The match `n`/`N` last moved to, by arrival number (`buffer.dropped()` + index), so it
    /// names the same line while the ring turns.
    current_match: Option<u64>,
    /// Whether the stream follows when it reads the current run (a previous run never does).
    follow_live: bool,
}

/// What a key asks of the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogViewOutcome {
    Nothing,
    /// Leave the view (and stop its stream).
    Close,
    /// The stream must be restarted with this request (container, previous or since
    /// changed); the view has already emptied its buffer for it.
    Restart(LogRequest),
    /// Write the buffer to this file (`LogBuffer::save_to`; the directory may not exist yet).
    Save(PathBuf),
}

impl LogView {
    /// A view of `request`'s lines keeping at most `capacity` of them, following the tail.
    pub fn new(
        title: String,
        request: LogRequest,
        containers: Vec<String>,
        capacity: usize,
    ) -> Self {
        let follow_live = request.follow || request.previous;
        LogView {
            title,
            show_timestamps: request.timestamps,
            request,
            buffer: LogBuffer::new(capacity),
            wrap: false,
            pretty_json: false,
            search_input: None,
            containers,
            message: None,
            current_match: None,
            follow_live,
        }
    }

    /// Lines and stream states from the tail.
    pub fn on_message(&mut self, message: LogMessage) {
        self.buffer.apply(message);
    }

    /// Handles a key; `page` is how many lines the view shows.
    pub fn on_key(&mut self, key: KeyEvent, page: usize) -> LogViewOutcome {
        let page = page.max(1);
        self.message = None;
        if self.search_input.is_some() {
            self.on_search_key(key, page);
            return LogViewOutcome::Nothing;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc if self.buffer.pattern().is_some() => {
                self.buffer.clear_search();
                self.current_match = None;
            }
            KeyCode::Esc | KeyCode::Char('q') if !ctrl => return LogViewOutcome::Close,
            KeyCode::Char('j') | KeyCode::Down if !ctrl => self.scroll_down(1, page),
            KeyCode::Char('k') | KeyCode::Up if !ctrl => self.buffer.scroll_by(-1, page),
            KeyCode::PageDown => self.scroll_down(page, page),
            KeyCode::Char('f') if ctrl => self.scroll_down(page, page),
            KeyCode::PageUp => self.buffer.scroll_by(-(page as isize), page),
            KeyCode::Char('b') if ctrl => self.buffer.scroll_by(-(page as isize), page),
            KeyCode::Char('g') | KeyCode::Home if !ctrl => self.buffer.scroll_to(0, page),
            KeyCode::Char('G') | KeyCode::End if !ctrl => self.buffer.resume(),
            KeyCode::Char(' ') if !ctrl => {
                if self.buffer.follow_tail() {
                    self.buffer.pause(page);
                } else {
                    self.buffer.resume();
                }
            }
            KeyCode::Char('w') if !ctrl => self.wrap = !self.wrap,
            KeyCode::Char('J') if !ctrl => self.pretty_json = !self.pretty_json,
            KeyCode::Char('t') if !ctrl => self.show_timestamps = !self.show_timestamps,
            KeyCode::Char('p') if !ctrl => {
                let mut request = self.request.clone();
                request.previous = !request.previous;
                // A previous run has ended: there is nothing to follow.
                request.follow = self.follow_live && !request.previous;
                return self.restart(request);
            }
            KeyCode::Char('c') if !ctrl => return self.cycle_container(),
            KeyCode::Char(digit @ '0'..='5') if !ctrl => return self.since_preset(digit),
            KeyCode::Char('/') if !ctrl => self.search_input = Some(String::new()),
            KeyCode::Char('n') if !ctrl => self.next_match(page),
            KeyCode::Char('N') if !ctrl => self.previous_match(page),
            KeyCode::Char('s') if !ctrl => {
                return LogViewOutcome::Save(self.save_path(Timestamp::now()));
            }
            _ => {}
        }
        LogViewOutcome::Nothing
    }

    /// A key while the search is typed: Enter searches, Esc gives up.
    fn on_search_key(&mut self, key: KeyEvent, page: usize) {
        let Some(input) = &mut self.search_input else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.search_input = None,
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Enter => {
                let pattern = self.search_input.take().unwrap_or_default();
                self.apply_search(&pattern, page);
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => input.push(c),
            _ => {}
        }
    }

    /// Searches for `pattern` and shows a match: the newest when following the tail (it is
    /// what a tail is watched for), else the first from the top of the view.
    fn apply_search(&mut self, pattern: &str, page: usize) {
        self.current_match = None;
        if self.buffer.search(pattern) == 0 {
            if !pattern.is_empty() {
                self.message = Some(format!("no line matches \"{pattern}\" yet"));
            }
            return;
        }
        let found = if self.buffer.follow_tail() {
            self.buffer.previous_match(self.buffer.len())
        } else {
            let top = self.buffer.top(page);
            if self.buffer.is_match(top) {
                Some(top)
            } else {
                self.buffer.next_match(top)
            }
        };
        if let Some(index) = found {
            self.show_match(index, page);
        }
    }

    fn next_match(&mut self, page: usize) {
        let found = match self.current_match_index() {
            Some(current) => self.buffer.next_match(current),
            None => {
                let top = self.buffer.top(page);
                if self.buffer.is_match(top) {
                    Some(top)
                } else {
                    self.buffer.next_match(top)
                }
            }
        };
        self.go_to_match(found, page);
    }

    fn previous_match(&mut self, page: usize) {
        let found = match self.current_match_index() {
            Some(current) => self.buffer.previous_match(current),
            // The last match on screen or above it.
            None => {
                let bottom = (self.buffer.top(page) + page).min(self.buffer.len());
                self.buffer.previous_match(bottom)
            }
        };
        self.go_to_match(found, page);
    }

    fn go_to_match(&mut self, found: Option<usize>, page: usize) {
        match (found, self.buffer.pattern()) {
            (Some(index), _) => self.show_match(index, page),
            (None, Some(pattern)) => {
                self.message = Some(format!("no line matches \"{}\"", pattern.text()));
            }
            (None, None) => self.message = Some("no search: / to search".to_string()),
        }
    }

    fn show_match(&mut self, index: usize, page: usize) {
        self.current_match = Some(self.buffer.dropped() + index as u64);
        self.buffer.reveal(index, page);
    }

    /// The line `n`/`N` last moved to, while it is kept and still a match.
    pub fn current_match_index(&self) -> Option<usize> {
        let seq = self.current_match?;
        let index = usize::try_from(seq.checked_sub(self.buffer.dropped())?).ok()?;
        (index < self.buffer.len() && self.buffer.is_match(index)).then_some(index)
    }

    /// Which match (1 the oldest kept) `n`/`N` last moved to, for "3 of 12 matches".
    pub fn match_position(&self) -> Option<usize> {
        let current = self.current_match_index()?;
        self.buffer
            .matches()
            .position(|index| index == current)
            .map(|position| position + 1)
    }

    /// Moves the view down; a view following the tail is already at the bottom and keeps
    /// following (only moving up pauses it).
    fn scroll_down(&mut self, lines: usize, page: usize) {
        if self.buffer.paused() {
            self.buffer.scroll_by(lines as isize, page);
        }
    }

    /// All containers, then each in turn, then all again.
    fn cycle_container(&mut self) -> LogViewOutcome {
        if self.containers.len() < 2 {
            self.message = Some(match self.containers.first() {
                Some(only) => format!("{only} is the only container"),
                None => "no containers to choose from".to_string(),
            });
            return LogViewOutcome::Nothing;
        }
        let next = match &self.request.container {
            ContainerChoice::All => ContainerChoice::One(self.containers[0].clone()),
            ContainerChoice::One(current) => {
                match self.containers.iter().position(|name| name == current) {
                    Some(at) if at + 1 < self.containers.len() => {
                        ContainerChoice::One(self.containers[at + 1].clone())
                    }
                    _ => ContainerChoice::All,
                }
            }
        };
        let mut request = self.request.clone();
        request.container = next;
        self.restart(request)
    }

    fn since_preset(&mut self, digit: char) -> LogViewOutcome {
        let Some((_, seconds, tail_lines)) = SINCE_PRESETS.iter().find(|(key, ..)| *key == digit)
        else {
            return LogViewOutcome::Nothing;
        };
        let mut request = self.request.clone();
        request.since = seconds.map(Since::Seconds);
        request.tail_lines = *tail_lines;
        if request == self.request {
            return LogViewOutcome::Nothing;
        }
        self.restart(request)
    }

    /// Starts over with `request`: the old lines and stream states are dropped (the new stream
    /// sends its own), the search is kept for the lines to come.
    fn restart(&mut self, request: LogRequest) -> LogViewOutcome {
        let pattern = self.buffer.pattern().map(|p| p.text().to_string());
        self.buffer = LogBuffer::new(self.buffer.capacity());
        if let Some(pattern) = pattern {
            self.buffer.search(&pattern);
        }
        self.current_match = None;
        // A title that names the container, as `logs shop/web-1 (app)`, names the new choice.
        let old_suffix = format!("({})", self.container_label());
        if let Some(stem) = self.title.strip_suffix(&old_suffix) {
            self.title = format!("{stem}({})", container_label(&request.container));
        }
        self.request = request.clone();
        LogViewOutcome::Restart(request)
    }

    /// Where the log starts, in the words of the `0`–`5` presets: `tail`, `1m`, `all`...
    pub fn since_label(&self) -> String {
        match (self.request.since, self.request.tail_lines) {
            (None, Some(DEFAULT_FOLLOW_TAIL_LINES)) => "tail".to_string(),
            (None, Some(lines)) => format!("tail {lines}"),
            (None, None) => "all".to_string(),
            (Some(Since::Seconds(seconds)), _) if seconds % 3600 == 0 => {
                format!("{}h", seconds / 3600)
            }
            (Some(Since::Seconds(seconds)), _) if seconds % 60 == 0 => format!("{}m", seconds / 60),
            (Some(Since::Seconds(seconds)), _) => format!("{seconds}s"),
            (Some(Since::Time(time)), _) => format!("since {time}"),
        }
    }

    /// The container choice in a word: `all`, or the container's name.
    pub fn container_label(&self) -> &str {
        container_label(&self.request.container)
    }

    /// How the streams stand, for the title: the one stream's state, or the streams in
    /// trouble by name and the others counted (a workload can have dozens).
    pub fn stream_summary(&self) -> String {
        let states: Vec<(&str, &str, &StreamState)> = self.buffer.states().collect();
        match states.as_slice() {
            [] => return "connecting".to_string(),
            [(_, _, state)] => return state_text(state),
            _ => {}
        }
        let several_pods = self.request.pods.len() > 1;
        let mut parts = Vec::new();
        let (mut streaming, mut ended) = (0, 0);
        for (pod, container, state) in states {
            match state {
                StreamState::Streaming => streaming += 1,
                StreamState::Ended => ended += 1,
                troubled => {
                    let name = match (several_pods, container.is_empty()) {
                        (_, true) => pod.to_string(),
                        (true, false) => format!("{pod}/{container}"),
                        (false, false) => container.to_string(),
                    };
                    parts.push(format!("{name} {}", state_text(troubled)));
                }
            }
        }
        if streaming > 0 {
            parts.push(format!("{streaming} streaming"));
        }
        if ended > 0 {
            parts.push(format!("{ended} ended"));
        }
        parts.join(", ")
    }

    /// Where `s` saves: `kscope-logs/<namespace>-<pod>-<container>-<time>.log` in the data
    /// directory (the temporary directory if there is none).
    pub fn save_path(&self, now: Timestamp) -> PathBuf {
        let base = directories::ProjectDirs::from("dev", "kscope", "kscope")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(std::env::temp_dir);
        base.join("kscope-logs").join(self.save_file_name(now))
    }

    /// `<namespace>-<pod>-<container>-<UTC time>.log`; a workload's first pod and how many
    /// more, `-previous` for a previous run.
    pub fn save_file_name(&self, now: Timestamp) -> String {
        let pods = match self.request.pods.as_slice() {
            [] => "none".to_string(),
            [pod] => pod.clone(),
            [first, rest @ ..] => format!("{first}+{}", rest.len()),
        };
        let mut name = format!(
            "{}-{pods}-{}",
            self.request.namespace,
            self.container_label()
        );
        if self.request.previous {
            name.push_str("-previous");
        }
        // Kubernetes names cannot hold a path separator, but a file name must never do so.
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.+".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{name}-{}.log", now.strftime("%Y%m%dT%H%M%SZ"))
    }
}

fn container_label(choice: &ContainerChoice) -> &str {
    match choice {
        ContainerChoice::All => "all",
        ContainerChoice::One(name) => name,
    }
}

/// A stream's state in a few words: `streaming`, `reconnecting (attempt 2: connection
/// reset)`, `ended`, `failed: <the server's words>`.
pub fn state_text(state: &StreamState) -> String {
    match state {
        StreamState::Streaming => "streaming".to_string(),
        StreamState::Ended => "ended".to_string(),
        StreamState::Reconnecting { attempt, error } => {
            format!("reconnecting (attempt {attempt}: {error})")
        }
        StreamState::Failed(error) => format!("failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
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
}
