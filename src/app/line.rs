//! The command and filter lines: a line editor (tui-input's) with a history recalled by up/down.

use tui_input::{Input, InputRequest};

/// An edit of a typed line, as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEdit {
    Insert(char),
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    DeleteBack,
    DeleteForward,
    DeleteWordBack,
    DeleteToStart,
    DeleteToEnd,
    /// The previous line of the history (up).
    Older,
    /// The next line of the history, and at its end what was being typed (down).
    Newer,
}

/// A line being typed.
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    input: Input,
    /// Where in the history up/down is, and what was typed before going there.
    recalled: Option<(usize, String)>,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        Self {
            input: Input::new(text.to_string()),
            recalled: None,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Applies an edit; `history` is oldest first.
    pub fn edit(&mut self, edit: LineEdit, history: &[String]) {
        let request = match edit {
            LineEdit::Insert(c) => InputRequest::InsertChar(c),
            LineEdit::Left => InputRequest::GoToPrevChar,
            LineEdit::Right => InputRequest::GoToNextChar,
            LineEdit::WordLeft => InputRequest::GoToPrevWord,
            LineEdit::WordRight => InputRequest::GoToNextWord,
            LineEdit::Home => InputRequest::GoToStart,
            LineEdit::End => InputRequest::GoToEnd,
            LineEdit::DeleteBack => InputRequest::DeletePrevChar,
            LineEdit::DeleteForward => InputRequest::DeleteNextChar,
            LineEdit::DeleteWordBack => InputRequest::DeletePrevWord,
            LineEdit::DeleteToStart => InputRequest::DeleteFromStart,
            LineEdit::DeleteToEnd => InputRequest::DeleteTillEnd,
            LineEdit::Older => return self.recall(history, true),
            LineEdit::Newer => return self.recall(history, false),
        };
        self.input.handle(request);
    }

    fn recall(&mut self, history: &[String], older: bool) {
        let at = match (&self.recalled, older) {
            (None, true) if !history.is_empty() => history.len() - 1,
            (None, _) => return,
            (Some((at, _)), true) => at.saturating_sub(1),
            (Some((at, _)), false) if at + 1 < history.len() => at + 1,
            (Some((_, typed)), false) => {
                self.input = Input::new(typed.clone());
                self.recalled = None;
                return;
            }
        };
        let typed = match self.recalled.take() {
            Some((_, typed)) => typed,
            None => self.text().to_string(),
        };
        self.input = Input::new(history[at].clone());
        self.recalled = Some((at, typed));
    }
}

/// Keeps a submitted line at the end of a history (without repeating the last one, at most 100).
pub fn remember(history: &mut Vec<String>, line: &str) {
    let line = line.trim();
    if line.is_empty() || history.last().is_some_and(|last| last == line) {
        return;
    }
    history.push(line.to_string());
    if history.len() > 100 {
        history.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: &mut LineInput, text: &str) {
        for c in text.chars() {
            line.edit(LineEdit::Insert(c), &[]);
        }
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut line = LineInput::default();
        typed(&mut line, "web v4");
        line.edit(LineEdit::WordLeft, &[]);
        line.edit(LineEdit::Left, &[]);
        typed(&mut line, ".*");
        assert_eq!(line.text(), "web.* v4");
        line.edit(LineEdit::End, &[]);
        line.edit(LineEdit::DeleteWordBack, &[]);
        assert_eq!(line.text(), "web.* ");
        line.edit(LineEdit::Home, &[]);
        line.edit(LineEdit::DeleteForward, &[]);
        assert_eq!(line.text(), "eb.* ");
        line.edit(LineEdit::End, &[]);
        line.edit(LineEdit::DeleteToStart, &[]);
        assert_eq!(line.text(), "");
    }

    #[test]
    fn up_and_down_walk_the_history_and_come_back_to_the_typed_line() {
        let history = vec!["first".to_string(), "second".to_string()];
        let mut line = LineInput::default();
        typed(&mut line, "dra");
        line.edit(LineEdit::Older, &history);
        assert_eq!(line.text(), "second");
        line.edit(LineEdit::Older, &history);
        line.edit(LineEdit::Older, &history);
        assert_eq!(line.text(), "first");
        line.edit(LineEdit::Newer, &history);
        assert_eq!(line.text(), "second");
        line.edit(LineEdit::Newer, &history);
        assert_eq!(line.text(), "dra");
    }

    #[test]
    fn the_history_keeps_no_repeats_or_blanks() {
        let mut history = Vec::new();
        remember(&mut history, "web");
        remember(&mut history, "web");
        remember(&mut history, "  ");
        remember(&mut history, "cart");
        assert_eq!(history, ["web", "cart"]);
    }
}
