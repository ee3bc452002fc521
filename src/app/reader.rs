//! Reading a long text: the YAML, describe and explain views. The top line shown; a search typed
//! after `/` (smart case: case-insensitive unless the query has a capital; a regex when it
//! parses as one, else the literal text), every match highlighted, `n` / `N` to the next and
//! previous (wrapping, the view moved so the match shows); `g` / `G` and the page keys.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

use super::line::{LineEdit, LineInput};

/// Lines kept above a match the view moves to, so it is read in its context.
const CONTEXT: usize = 3;

/// A reading view's place and search.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// The first line shown.
    pub top: usize,
    /// The search line while it is typed.
    pub typing: Option<LineInput>,
    /// The last search submitted.
    pub search: Option<TextSearch>,
}

/// A search over the view's lines and where it matched.
#[derive(Debug, Clone)]
pub struct TextSearch {
    pub query: String,
    pattern: Regex,
    /// Each match: its line and its bytes there, in reading order.
    pub matches: Vec<(usize, Range<usize>)>,
    /// The match the view was moved to.
    pub current: Option<usize>,
}

impl TextSearch {
    /// A search for `query`: a smart-case regex, or the literal text when it is not one.
    pub fn new(query: &str) -> Self {
        let insensitive = !query.chars().any(char::is_uppercase);
        let pattern = RegexBuilder::new(query)
            .case_insensitive(insensitive)
            .build()
            .or_else(|_| {
                RegexBuilder::new(&regex::escape(query))
                    .case_insensitive(insensitive)
                    .build()
            })
            .unwrap_or_else(|_| Regex::new("$^").expect("a regex that matches nothing"));
        Self {
            query: query.to_string(),
            pattern,
            matches: Vec::new(),
            current: None,
        }
    }

    /// Finds the matches in `lines` (again, when the text changed).
    pub fn find<S: AsRef<str>>(&mut self, lines: &[S]) {
        self.matches = lines
            .iter()
            .enumerate()
            .flat_map(|(at, line)| {
                self.pattern
                    .find_iter(line.as_ref())
                    .filter(|m| !m.is_empty())
                    .map(move |m| (at, m.range()))
            })
            .collect();
        self.current = None;
    }

    /// The matches on line `at` (for the highlight).
    pub fn on_line(&self, at: usize) -> impl Iterator<Item = (bool, &Range<usize>)> {
        let current = self.current;
        self.matches
            .iter()
            .enumerate()
            .filter(move |(_, (line, _))| *line == at)
            .map(move |(index, (_, range))| (Some(index) == current, range))
    }

    /// `3/12`, or `no match`.
    pub fn count(&self) -> String {
        match (self.current, self.matches.len()) {
            (_, 0) => "no match".to_string(),
            (Some(current), total) => format!("{}/{total}", current + 1),
            (None, total) => format!("{total} matches"),
        }
    }
}

impl Reader {
    /// Whether the search line is being typed (every key is text then).
    pub fn is_typing(&self) -> bool {
        self.typing.is_some()
    }

    /// Starts typing a search (up recalls the earlier ones).
    pub fn start_search(&mut self) {
        self.typing = Some(LineInput::default());
    }

    /// A key typed into the search line.
    pub fn edit(&mut self, edit: LineEdit, history: &[String]) {
        if let Some(line) = &mut self.typing {
            line.edit(edit, history);
        }
    }

    /// Stops typing without searching.
    pub fn cancel(&mut self) {
        self.typing = None;
    }

    /// Runs the typed search over `lines` and moves to its first match at or after the top.
    /// Returns the query (for the history), or None when nothing was typed.
    pub fn submit<S: AsRef<str>>(&mut self, lines: &[S], page: usize) -> Option<String> {
        let query = self.typing.take()?.text().to_string();
        if query.is_empty() {
            self.search = None;
            return None;
        }
        let mut search = TextSearch::new(&query);
        search.find(lines);
        let first = search
            .matches
            .iter()
            .position(|(line, _)| *line >= self.top)
            .or((!search.matches.is_empty()).then_some(0));
        self.search = Some(search);
        if let Some(first) = first {
            self.go_to(first, lines.len(), page);
        }
        Some(query)
    }

    /// Finds the search's matches again in changed `lines` (a Secret revealed, managedFields
    /// shown).
    pub fn refind<S: AsRef<str>>(&mut self, lines: &[S]) {
        if let Some(search) = &mut self.search {
            search.find(lines);
        }
    }

    /// The next match (or the previous one), wrapping around the text.
    pub fn next_match(&mut self, forward: bool, lines: usize, page: usize) -> bool {
        let Some(search) = &self.search else {
            return false;
        };
        let total = search.matches.len();
        if total == 0 {
            return false;
        }
        let next = match search.current {
            Some(current) if forward => (current + 1) % total,
            Some(current) => (current + total - 1) % total,
            None if forward => 0,
            None => total - 1,
        };
        self.go_to(next, lines, page);
        true
    }

    fn go_to(&mut self, index: usize, lines: usize, page: usize) {
        if let Some(search) = &mut self.search {
            search.current = Some(index);
            let line = search.matches[index].0;
            // Moved only when the match is off the page.
            if line < self.top || line >= self.top + page.max(1) {
                self.top = line.saturating_sub(CONTEXT);
            }
            self.top = self.top.min(lines.saturating_sub(1));
        }
    }

    /// Moves by `delta` lines (negative: up), staying within the text.
    pub fn scroll(&mut self, delta: isize, lines: usize) {
        let top = self.top as isize + delta;
        self.top = (top.max(0) as usize).min(lines.saturating_sub(1));
    }

    /// The first line, or the last page.
    pub fn to_end(&mut self, bottom: bool, lines: usize, page: usize) {
        self.top = if bottom {
            lines.saturating_sub(page.max(1))
        } else {
            0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<String> {
        (0..100)
            .map(|n| {
                if n % 25 == 5 {
                    format!("  image: Registry/web:{n}")
                } else {
                    format!("line {n}")
                }
            })
            .collect()
    }

    fn typed(reader: &mut Reader, text: &str) {
        reader.start_search();
        reader.edit(LineEdit::DeleteToStart, &[]);
        for c in text.chars() {
            reader.edit(LineEdit::Insert(c), &[]);
        }
    }

    #[test]
    fn a_search_goes_to_its_first_match_and_n_wraps_around() {
        let lines = lines();
        let mut reader = Reader::default();
        typed(&mut reader, "image");
        assert_eq!(reader.submit(&lines, 20).as_deref(), Some("image"));
        let search = reader.search.as_ref().unwrap();
        assert_eq!(search.matches.len(), 4);
        assert_eq!(search.count(), "1/4");
        // Line 5 is on the first page: the view stays.
        assert_eq!(reader.top, 0);
        reader.next_match(true, lines.len(), 20);
        assert_eq!(reader.top, 27, "line 30 with three lines of context");
        reader.next_match(true, lines.len(), 20);
        reader.next_match(true, lines.len(), 20);
        assert_eq!(reader.search.as_ref().unwrap().count(), "4/4");
        reader.next_match(true, lines.len(), 20);
        assert_eq!(reader.search.as_ref().unwrap().count(), "1/4", "wraps");
        reader.next_match(false, lines.len(), 20);
        assert_eq!(
            reader.search.as_ref().unwrap().count(),
            "4/4",
            "N wraps back"
        );
        assert_eq!(reader.top, 77);
    }

    #[test]
    fn smart_case_and_literal_fallback() {
        let lines = lines();
        let mut reader = Reader::default();
        typed(&mut reader, "registry");
        reader.submit(&lines, 20);
        assert_eq!(reader.search.as_ref().unwrap().matches.len(), 4);
        typed(&mut reader, "registry/Web");
        reader.submit(&lines, 20);
        assert_eq!(
            reader.search.as_ref().unwrap().matches.len(),
            0,
            "a capital makes it case-sensitive"
        );
        typed(&mut reader, "web:(5");
        reader.submit(&lines, 20);
        let search = reader.search.as_ref().unwrap();
        assert_eq!(search.matches.len(), 0, "not a regex: the literal text");
        assert_eq!(search.count(), "no match");
        typed(&mut reader, "web:[57]");
        reader.submit(&lines, 20);
        assert_eq!(reader.search.as_ref().unwrap().matches.len(), 2);
        assert_eq!(
            reader.search.as_ref().unwrap().on_line(5).count(),
            1,
            "line 5 has one"
        );
    }

    #[test]
    fn top_and_bottom_stay_within_the_text() {
        let mut reader = Reader::default();
        reader.to_end(true, 100, 20);
        assert_eq!(reader.top, 80);
        reader.scroll(50, 100);
        assert_eq!(reader.top, 99);
        reader.scroll(-500, 100);
        assert_eq!(reader.top, 0);
        reader.to_end(true, 5, 20);
        assert_eq!(reader.top, 0);
    }
}
