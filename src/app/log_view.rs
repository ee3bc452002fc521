//! The log tail view's state: the lines (a `LogBuffer`), how they are shown (wrap, pretty
//! JSON, timestamps), the search being typed, and the keys. A key that changes what the
//! stream reads (container, previous run, since) answers with the request to restart it with;
//! `s` answers with the file to save to. The runtime carries those out, so nothing here does
//! IO.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;

use super::action::Action;
use crate::app::log_buffer::LogBuffer;
use crate::model::log_stream::{
    ContainerChoice, DEFAULT_FOLLOW_TAIL_LINES, LogMessage, LogRequest, Since, StreamState,
};

/// The `0`–`5` presets: where the log starts, as (key, `since`, `tail_lines`).
const SINCE_PRESETS: [(Option<i64>, Option<i64>); 6] = [
    (None, Some(DEFAULT_FOLLOW_TAIL_LINES)),
    (Some(60), None),
    (Some(5 * 60), None),
    (Some(15 * 60), None),
    (Some(60 * 60), None),
    (None, None),
];

/// The keymap context of the log view.
pub const LOGS: &str = "logs";

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
    /// A key, with the built-in keys of the `logs` context (the app passes its own keymap's
    /// action to [`LogView::on_action`]); while a search is typed, the key is text.
    pub fn on_key(&mut self, key: KeyEvent, page: usize) -> LogViewOutcome {
        if self.search_input.is_some() {
            self.message = None;
            self.on_search_key(key, page);
            return LogViewOutcome::Nothing;
        }
        let chord = (key.code, key.modifiers.contains(KeyModifiers::CONTROL));
        match super::keymap::Keymap::builtin().view_action(LOGS, chord) {
            Some(action) => self.on_action(&action, page),
            None => LogViewOutcome::Nothing,
        }
    }

    /// Whether a search is being typed (keys are text then).
    pub fn typing(&self) -> bool {
        self.search_input.is_some()
    }

    /// What an action of the `logs` keymap context does to the view.
    pub fn on_action(&mut self, action: &Action, page: usize) -> LogViewOutcome {
        let page = page.max(1);
        self.message = None;
        match action {
            Action::Back if self.buffer.pattern().is_some() => {
                self.buffer.clear_search();
                self.current_match = None;
            }
            Action::Back => return LogViewOutcome::Close,
            Action::Down => self.scroll_down(1, page),
            Action::Up => self.buffer.scroll_by(-1, page),
            Action::PageDown => self.scroll_down(page, page),
            Action::PageUp => self.buffer.scroll_by(-(page as isize), page),
            Action::Top => self.buffer.scroll_to(0, page),
            Action::Bottom => self.buffer.resume(),
            Action::Pause => {
                if self.buffer.follow_tail() {
                    self.buffer.pause(page);
                } else {
                    self.buffer.resume();
                }
            }
            Action::Wrap => self.wrap = !self.wrap,
            Action::PrettyJson => self.pretty_json = !self.pretty_json,
            Action::Timestamps => self.show_timestamps = !self.show_timestamps,
            Action::PreviousRun => {
                let mut request = self.request.clone();
                request.previous = !request.previous;
                // A previous run has ended: there is nothing to follow.
                request.follow = self.follow_live && !request.previous;
                return self.restart(request);
            }
            Action::NextContainer => return self.cycle_container(),
            Action::Since(preset) => return self.since_preset(*preset),
            Action::Search => self.search_input = Some(String::new()),
            Action::NextMatch => self.next_match(page),
            Action::PreviousMatch => self.previous_match(page),
            Action::SaveLines => {
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

    fn since_preset(&mut self, preset: u8) -> LogViewOutcome {
        let Some((seconds, tail_lines)) = SINCE_PRESETS.get(usize::from(preset)) else {
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
#[path = "log_view_tests.rs"]
mod tests;
