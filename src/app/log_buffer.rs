//! The lines of a log view: a ring of the newest lines (the oldest fall out, counted), where
//! the view is anchored (the tail, or a line the user scrolled to), a smart-case search kept
//! current as lines arrive, a colour per pod, and the lines saved to a file.
//!
//! Lines are numbered by arrival (`seq`, counting the ones that fell out), so an anchor or a
//! match keeps naming the same line while the ring turns; indexes handed out (`get`, `top`,
//! `next_match`) are positions among the lines kept now, 0 the oldest.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::model::log_stream::{LogLine, LogMessage, StreamState};

/// Lines kept unless the user asks otherwise (k9s keeps 5,000; a log at 20,000 lines a
/// second still leaves seconds to scroll back through).
pub const DEFAULT_CAPACITY: usize = 100_000;

/// A log view's lines and position.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    capacity: usize,
    /// Lines pushed out of the ring; also the `seq` of the oldest line kept.
    dropped: u64,
    follow_tail: bool,
    /// The `seq` of the top line shown while not following the tail.
    anchor: u64,
    search: Option<Search>,
    /// Each pod's colour number, in order of first appearance.
    pod_colours: HashMap<Arc<str>, usize>,
    /// Whether lines of more than one (pod, container) have arrived (then saved lines say whose
    /// they are).
    several_streams: bool,
    /// The latest state of each stream, in order of first report.
    states: Vec<(Arc<str>, Arc<str>, StreamState)>,
}

/// An active search: the pattern and the `seq`s of the lines it matches, oldest first.
#[derive(Debug, Clone)]
struct Search {
    pattern: Pattern,
    matches: VecDeque<u64>,
}

/// A plain-substring pattern with less's smart case: case-insensitive when it has no capital.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    /// Lowercased when the search ignores case.
    needle: String,
    ignore_case: bool,
}

impl Pattern {
    pub fn new(text: &str) -> Self {
        let ignore_case = !text.chars().any(char::is_uppercase);
        Pattern {
            text: text.to_string(),
            needle: if ignore_case {
                text.to_lowercase()
            } else {
                text.to_string()
            },
            ignore_case,
        }
    }

    /// The pattern as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn ignores_case(&self) -> bool {
        self.ignore_case
    }

    /// Whether `haystack` contains the pattern.
    pub fn is_in(&self, haystack: &str) -> bool {
        if self.needle.is_empty() {
            return false;
        }
        if !self.ignore_case {
            return haystack.contains(&self.needle);
        }
        if haystack.is_ascii() && self.needle.is_ascii() {
            // Most log lines are ASCII: compare in place rather than lowercase a copy of each.
            let needle = self.needle.as_bytes();
            return haystack
                .as_bytes()
                .windows(needle.len())
                .any(|window| window.eq_ignore_ascii_case(needle));
        }
        haystack.to_lowercase().contains(&self.needle)
    }

    /// Where the pattern occurs in `haystack` (byte ranges, not overlapping), for highlighting.
    pub fn ranges_in(&self, haystack: &str) -> Vec<Range<usize>> {
        if self.needle.is_empty() {
            return Vec::new();
        }
        if !self.ignore_case {
            return haystack
                .match_indices(&self.needle)
                .map(|(start, found)| start..start + found.len())
                .collect();
        }
        // Lowercasing can change a character's length, so compare character by character
        // from each boundary rather than map offsets of a lowercased copy back.
        let mut ranges = Vec::new();
        let mut start = 0;
        while start < haystack.len() {
            if let Some(length) = self.match_length_at(&haystack[start..]) {
                ranges.push(start..start + length);
                start += length.max(1);
            } else {
                start += haystack[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        ranges
    }

    /// The byte length of a case-insensitive match at the start of `text`, if there is one.
    fn match_length_at(&self, text: &str) -> Option<usize> {
        let mut needle = self.needle.chars().peekable();
        let mut length = 0;
        for c in text.chars() {
            if needle.peek().is_none() {
                break;
            }
            for lower in c.to_lowercase() {
                if needle.next() != Some(lower) {
                    return None;
                }
            }
            length += c.len_utf8();
        }
        needle.peek().is_none().then_some(length)
    }
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl LogBuffer {
    /// An empty buffer keeping at most `capacity` lines (at least one), following the tail.
    pub fn new(capacity: usize) -> Self {
        LogBuffer {
            lines: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            follow_tail: true,
            anchor: 0,
            search: None,
            pod_colours: HashMap::new(),
            several_streams: false,
            states: Vec::new(),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Lines kept now.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines that fell out of the ring to make room.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The line at `index` (0 the oldest kept).
    pub fn get(&self, index: usize) -> Option<&LogLine> {
        self.lines.get(index)
    }

    /// The kept lines in `range` (clamped to what is kept), oldest first.
    pub fn iter_range(&self, range: Range<usize>) -> impl Iterator<Item = &LogLine> {
        let end = range.end.min(self.lines.len());
        let start = range.start.min(end);
        self.lines.range(start..end)
    }

    /// What a log tail said: lines are kept, states recorded.
    pub fn apply(&mut self, message: LogMessage) {
        match message {
            LogMessage::Lines(lines) => self.extend(lines),
            LogMessage::Status {
                pod,
                container,
                state,
            } => self.set_state(pod, container, state),
        }
    }

    /// Keeps `lines`, in order.
    pub fn extend(&mut self, lines: impl IntoIterator<Item = LogLine>) {
        for line in lines {
            self.push(line);
        }
    }

    /// Keeps `line`, pushing the oldest out when full. The view does not move unless it
    /// follows the tail.
    pub fn push(&mut self, line: LogLine) {
        if self.lines.len() == self.capacity {
            self.lines.pop_front();
            self.dropped += 1;
            if let Some(search) = &mut self.search {
                while search
                    .matches
                    .front()
                    .is_some_and(|seq| *seq < self.dropped)
                {
                    search.matches.pop_front();
                }
            }
        }
        if !self.several_streams
            && let Some(first) = self.lines.front()
        {
            self.several_streams = first.pod != line.pod || first.container != line.container;
        }
        if !self.pod_colours.contains_key(&line.pod) {
            let next = self.pod_colours.len();
            self.pod_colours.insert(line.pod.clone(), next);
        }
        let seq = self.dropped + self.lines.len() as u64;
        if let Some(search) = &mut self.search
            && search.pattern.is_in(&line.text)
        {
            search.matches.push_back(seq);
        }
        self.lines.push_back(line);
    }

    /// Forgets every line (the count of dropped ones too) and the search's matches; pod colours
    /// and stream states stay.
    pub fn clear(&mut self) {
        self.dropped += self.lines.len() as u64;
        self.lines.clear();
        if let Some(search) = &mut self.search {
            search.matches.clear();
        }
        self.anchor = self.dropped;
    }

    // The view.

    /// Whether the view shows the newest lines as they come (else it is paused where it is).
    pub fn follow_tail(&self) -> bool {
        self.follow_tail
    }

    /// Whether new lines are kept without moving the view.
    pub fn paused(&self) -> bool {
        !self.follow_tail
    }

    /// Stops following the tail, keeping the view where it is for a view `height` lines tall.
    pub fn pause(&mut self, height: usize) {
        if self.follow_tail {
            self.anchor = self.seq_of(self.top(height));
            self.follow_tail = false;
        }
    }

    /// Follows the tail again.
    pub fn resume(&mut self) {
        self.follow_tail = true;
    }

    /// The index of the top line shown in a view `height` lines tall: the last screenful when
    /// following, else the anchored line (the oldest kept, if the anchored one fell out).
    pub fn top(&self, height: usize) -> usize {
        if self.follow_tail {
            return self.bottom_top(height);
        }
        (self.anchor.saturating_sub(self.dropped) as usize).min(self.lines.len().saturating_sub(1))
    }

    /// Moves the view by `delta` lines (negative is up, towards older lines), pausing it; the
    /// view stops at the first line and at the last screenful.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let top = self.top(height);
        let moved = top.saturating_add_signed(delta);
        self.scroll_to(moved, height);
    }

    /// Puts line `index` at the top of the view (clamped as `scroll_by`), pausing it.
    pub fn scroll_to(&mut self, index: usize, height: usize) {
        let top = index.min(self.bottom_top(height));
        self.anchor = self.seq_of(top);
        self.follow_tail = false;
    }

    /// Shows line `index` (a match, say): the view moves only if it is not on screen.
    pub fn reveal(&mut self, index: usize, height: usize) {
        let top = self.top(height);
        if index < top || index >= top + height.max(1) {
            let centred = index.saturating_sub(height / 2);
            self.scroll_to(centred, height);
        }
    }

    fn bottom_top(&self, height: usize) -> usize {
        self.lines.len().saturating_sub(height)
    }

    fn seq_of(&self, index: usize) -> u64 {
        self.dropped + index as u64
    }

    // Searching.

    /// Searches the kept lines, and from now on the lines that arrive, for `pattern` (plain
    /// text; ignoring case when it has no capital); returns how many lines match. An empty
    /// pattern ends the search.
    pub fn search(&mut self, pattern: &str) -> usize {
        if pattern.is_empty() {
            self.search = None;
            return 0;
        }
        let pattern = Pattern::new(pattern);
        let matches: VecDeque<u64> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| pattern.is_in(&line.text))
            .map(|(index, _)| self.seq_of(index))
            .collect();
        let count = matches.len();
        self.search = Some(Search { pattern, matches });
        count
    }

    pub fn clear_search(&mut self) {
        self.search = None;
    }

    /// The active search's pattern.
    pub fn pattern(&self) -> Option<&Pattern> {
        self.search.as_ref().map(|s| &s.pattern)
    }

    /// How many kept lines match the active search.
    pub fn match_count(&self) -> usize {
        self.search.as_ref().map_or(0, |s| s.matches.len())
    }

    /// The indexes of the kept lines that match, oldest first.
    pub fn matches(&self) -> impl Iterator<Item = usize> + '_ {
        let dropped = self.dropped;
        self.search
            .iter()
            .flat_map(|s| s.matches.iter())
            .map(move |seq| (seq - dropped) as usize)
    }

    /// Whether line `index` matches the active search.
    pub fn is_match(&self, index: usize) -> bool {
        let seq = self.seq_of(index);
        self.search
            .as_ref()
            .is_some_and(|s| s.matches.binary_search(&seq).is_ok())
    }

    /// The first matching line after `from`, wrapping around to the first match (as `n` in
    /// less with its wrap-search); `None` without matches.
    pub fn next_match(&self, from: usize) -> Option<usize> {
        let search = self.search.as_ref()?;
        let after = search
            .matches
            .partition_point(|seq| *seq <= self.seq_of(from));
        let seq = search.matches.get(after).or(search.matches.front())?;
        Some((seq - self.dropped) as usize)
    }

    /// The last matching line before `from`, wrapping around to the last match.
    pub fn previous_match(&self, from: usize) -> Option<usize> {
        let search = self.search.as_ref()?;
        let before = search
            .matches
            .partition_point(|seq| *seq < self.seq_of(from));
        let seq = before
            .checked_sub(1)
            .and_then(|i| search.matches.get(i))
            .or(search.matches.back())?;
        Some((seq - self.dropped) as usize)
    }

    /// Where the active search occurs in `text`, for highlighting.
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        self.search
            .as_ref()
            .map_or_else(Vec::new, |s| s.pattern.ranges_in(text))
    }

    // Pods and streams.

    /// The colour number of `pod` (0, 1, 2… in order of first line, never reused while the
    /// buffer lives; take it modulo the palette), `None` for a pod with no line yet.
    pub fn pod_colour(&self, pod: &str) -> Option<usize> {
        self.pod_colours.get(pod).copied()
    }

    /// Whether lines of more than one (pod, container) have arrived, so each needs a prefix
    /// saying whose it is.
    pub fn several_streams(&self) -> bool {
        self.several_streams
    }

    /// Records a stream's latest state.
    pub fn set_state(&mut self, pod: Arc<str>, container: Arc<str>, state: StreamState) {
        match self
            .states
            .iter_mut()
            .find(|(p, c, _)| *p == pod && *c == container)
        {
            Some((_, _, kept)) => *kept = state,
            None => self.states.push((pod, container, state)),
        }
    }

    /// Each stream's latest state, in order of first report: (pod, container, state).
    pub fn states(&self) -> impl Iterator<Item = (&str, &str, &StreamState)> {
        self.states
            .iter()
            .map(|(pod, container, state)| (&**pod, &**container, state))
    }

    // Saving.

    /// Writes every kept line, oldest first, one a line; prefixed `[pod/POD/CONTAINER] ` (as
    /// `kubectl logs --prefix`) when the lines come from several streams. Returns the count.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<usize> {
        for line in &self.lines {
            if self.several_streams {
                write!(out, "[pod/{}/{}] ", line.pod, line.container)?;
            }
            out.write_all(line.text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(self.lines.len())
    }

    /// Saves every kept line to `path` (created or truncated), as `write_to`.
    pub fn save_to(&self, path: &Path) -> std::io::Result<usize> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        let count = self.write_to(&mut out)?;
        out.flush()?;
        Ok(count)
    }
}

/// A line that is a JSON object, indented two spaces a level (as `jq .`), its keys in the
/// order written and its numbers as written; a kubelet timestamp prefix is kept in front.
/// `None` for anything else.
pub fn pretty_json(line: &str) -> Option<String> {
    let trimmed = line.trim();
    let (prefix, json) = match trimmed.split_once(' ') {
        Some((stamp, rest))
            if !trimmed.starts_with('{') && stamp.parse::<jiff::Timestamp>().is_ok() =>
        {
            (Some(stamp), rest.trim_start())
        }
        _ => (None, trimmed),
    };
    if !json.starts_with('{') {
        return None;
    }
    // Parsed only to check it is one whole JSON value; the text is re-indented as written,
    // since a map would sort the keys (serde_json keeps no order here) and reformat numbers.
    serde_json::from_str::<serde::de::IgnoredAny>(json).ok()?;
    let mut pretty = String::with_capacity(json.len() * 2);
    if let Some(stamp) = prefix {
        pretty.push_str(stamp);
        pretty.push(' ');
    }
    reindent(json, &mut pretty);
    Some(pretty)
}

/// Writes valid JSON `text` to `out` with two-space indentation.
fn reindent(text: &str, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                    chars.next();
                }
                if chars.peek().is_some_and(|next| matches!(next, '}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
#[path = "log_buffer_tests.rs"]
mod tests;
