//! Rows' filter texts laid end to end in one buffer, each ended by a newline: a filter keystroke
//! searches one buffer once instead of 50,000 separately allocated strings one by one (the per-row
//! calls and their cache misses were most of a keystroke's time).

use std::sync::OnceLock;

/// Below this many rows a keystroke is quicker on one core than the cost of a thread.
pub const ROWS_WORTH_A_THREAD: usize = 4096;

/// The cores a keystroke's work is spread over (at most 8).
pub use crate::model::spread::cores;

/// A change to rows kept in order: before the old row `at` a new row is added (`adds`), and the
/// old row `at` is dropped (`drops`); an object changed is both. Edits come in the rows' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowEdit {
    pub at: usize,
    pub drops: bool,
    pub adds: bool,
}

/// The texts of a pane's rows, in the pane's order.
#[derive(Debug, Default)]
pub struct RowTexts {
    text: String,
    /// Each row's text in `text` (its newline excluded).
    spans: Vec<(u32, u32)>,
    /// The same rows lowercased, for a filter without capitals (made when first asked).
    lower: OnceLock<Lowered>,
}

#[derive(Debug)]
struct Lowered {
    text: String,
    spans: Vec<(u32, u32)>,
}

/// One buffer of rows: the text and where each row is in it.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub text: &'a str,
    pub spans: &'a [(u32, u32)],
}

impl<'a> Rows<'a> {
    /// The text of row `index`.
    pub fn row(&self, index: usize) -> &'a str {
        let (start, end) = self.spans[index];
        &self.text[start as usize..end as usize]
    }
}

impl RowTexts {
    /// Forgets every row.
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.lower.take();
    }

    /// Adds a row, written by `write`.
    pub fn push_row(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.text.len() as u32;
        write(&mut self.text);
        let end = self.text.len() as u32;
        self.text.push('\n');
        self.spans.push((start, end));
        self.lower.take();
    }

    /// Applies `edits` (in the rows' order), `write` writing the text of edit number N's new row:
    /// the rows between edits are copied in runs, not one by one, and their lowercase (if made)
    /// is edited alike. Under churn a keystroke edits the few hundred rows whose pods changed
    /// instead of gathering 50,000 again.
    pub fn edit(&mut self, edits: &[RowEdit], mut write: impl FnMut(usize, &mut String)) {
        let lower = self.lower.take();
        let room = |text: &String| text.len() + edits.len() * 64;
        let mut text = String::with_capacity(room(&self.text));
        let mut spans = Vec::with_capacity(self.spans.len() + edits.len());
        let mut lowered = lower.as_ref().map(|lower| Lowered {
            text: String::with_capacity(room(&lower.text)),
            spans: Vec::with_capacity(lower.spans.len() + edits.len()),
        });
        let mut next = 0;
        let copy_to = |next: usize,
                       to: usize,
                       text: &mut String,
                       spans: &mut Vec<_>,
                       lowered: &mut Option<Lowered>| {
            copy_rows(&self.text, &self.spans, next..to, text, spans);
            if let (Some(from), Some(into)) = (&lower, lowered) {
                copy_rows(
                    &from.text,
                    &from.spans,
                    next..to,
                    &mut into.text,
                    &mut into.spans,
                );
            }
        };
        for (number, edit) in edits.iter().enumerate() {
            if edit.at > next {
                copy_to(next, edit.at, &mut text, &mut spans, &mut lowered);
                next = edit.at;
            }
            if edit.adds {
                let start = text.len();
                write(number, &mut text);
                let end = text.len();
                text.push('\n');
                spans.push((start as u32, end as u32));
                if let Some(lowered) = &mut lowered {
                    let row = &text[start..end];
                    let lower_start = lowered.text.len() as u32;
                    if row.is_ascii() {
                        lowered
                            .text
                            .extend(row.chars().map(|c| c.to_ascii_lowercase()));
                    } else {
                        lowered.text.push_str(&row.to_lowercase());
                    }
                    lowered.spans.push((lower_start, lowered.text.len() as u32));
                    lowered.text.push('\n');
                }
            }
            if edit.drops && edit.at >= next {
                next = edit.at + 1;
            }
        }
        copy_to(next, self.spans.len(), &mut text, &mut spans, &mut lowered);
        self.text = text;
        self.spans = spans;
        if let Some(lowered) = lowered {
            self.lower = OnceLock::from(lowered);
        }
    }

    /// Makes these rows `from`'s rows, each followed by what `suffix` writes, and their
    /// lowercase alike: two copies of contiguous text and a few bytes a row.
    pub fn copy_rows_adding(
        &mut self,
        from: &RowTexts,
        mut suffix: impl FnMut(usize, &mut String),
    ) {
        let lowered = from.lowercase();
        self.text.clear();
        self.spans.clear();
        self.text.reserve(from.text.len() + from.len() * 8);
        let mut lower = Lowered {
            text: String::with_capacity(lowered.text.len() + from.len() * 8),
            spans: Vec::with_capacity(from.len()),
        };
        let written = from.rows();
        for index in 0..from.len() {
            let start = self.text.len() as u32;
            self.text.push_str(written.row(index));
            let added = self.text.len();
            suffix(index, &mut self.text);
            let end = self.text.len() as u32;
            self.text.push('\n');
            self.spans.push((start, end));
            let lower_start = lower.text.len() as u32;
            lower.text.push_str(lowered.row(index));
            let tail = &self.text[added..end as usize];
            if tail.bytes().any(|b| b.is_ascii_uppercase()) || !tail.is_ascii() {
                lower.text.push_str(&tail.to_lowercase());
            } else {
                lower.text.push_str(tail);
            }
            lower.spans.push((lower_start, lower.text.len() as u32));
            lower.text.push('\n');
        }
        self.lower = OnceLock::from(lower);
    }

    /// Writes `end` over row `index`'s end, which reads `was` (the same length), in the row and
    /// in its lowercase: an AGE moving on. Both must be lowercase ASCII, so the lowercase row
    /// ends alike. False, changing nothing, otherwise.
    pub fn replace_row_end(&mut self, index: usize, was: &str, end: &str) -> bool {
        let lowercase_ascii = |text: &str| {
            text.bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        };
        let Some(&(start, row_end)) = self.spans.get(index) else {
            return false;
        };
        let row = &self.text[start as usize..row_end as usize];
        if was.len() != end.len()
            || !lowercase_ascii(was)
            || !lowercase_ascii(end)
            || !row.ends_with(was)
        {
            return false;
        }
        let row_end = row_end as usize;
        self.text.replace_range(row_end - end.len()..row_end, end);
        if let Some(lower) = self.lower.get_mut() {
            let lower_end = lower.spans[index].1 as usize;
            lower
                .text
                .replace_range(lower_end - end.len()..lower_end, end);
        }
        true
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The rows' texts in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let rows = self.rows();
        (0..self.len()).map(move |i| rows.row(i))
    }

    /// The rows as written.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            text: &self.text,
            spans: &self.spans,
        }
    }

    /// The rows lowercased (Unicode lowercasing may change a row's length, hence spans of
    /// their own).
    pub fn lowercase(&self) -> Rows<'_> {
        let lowered = self.lower.get_or_init(|| {
            if self.text.is_ascii() {
                return Lowered {
                    text: self.text.to_ascii_lowercase(),
                    spans: self.spans.clone(),
                };
            }
            let mut text = String::with_capacity(self.text.len());
            let spans = self
                .iter()
                .map(|row| {
                    let start = text.len() as u32;
                    text.push_str(&row.to_lowercase());
                    let end = text.len() as u32;
                    text.push('\n');
                    (start, end)
                })
                .collect();
            Lowered { text, spans }
        });
        Rows {
            text: &lowered.text,
            spans: &lowered.spans,
        }
    }
}

/// Copies the rows `rows` of (`text`, `spans`), with their newlines, to the end of `out`.
fn copy_rows(
    text: &str,
    spans: &[(u32, u32)],
    rows: std::ops::Range<usize>,
    out: &mut String,
    out_spans: &mut Vec<(u32, u32)>,
) {
    if rows.is_empty() {
        return;
    }
    let from = spans[rows.start].0;
    let to = spans[rows.end - 1].1 as usize + 1;
    let at = out.len() as u32;
    out.push_str(&text[from as usize..to]);
    out_spans.extend(
        spans[rows]
            .iter()
            .map(|&(start, end)| (start - from + at, end - from + at)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_back_as_written_and_lowercased_alike() {
        let mut texts = RowTexts::default();
        for row in ["Shop WEB-1 Running", "", "İstanbul Ünit"] {
            texts.push_row(|out| out.push_str(row));
        }
        assert_eq!(
            texts.iter().collect::<Vec<_>>(),
            ["Shop WEB-1 Running", "", "İstanbul Ünit"]
        );
        let lower = texts.lowercase();
        let rows: Vec<&str> = (0..texts.len()).map(|i| lower.row(i)).collect();
        assert_eq!(rows, ["shop web-1 running", "", "i̇stanbul ünit"]);
        texts.push_row(|out| out.push_str("NEW"));
        assert_eq!(
            texts.lowercase().row(3),
            "new",
            "a row added is lowercased too"
        );
    }

    #[test]
    fn rows_copied_with_a_suffix_read_as_if_written_whole() {
        let mut columns = RowTexts::default();
        for row in ["Shop WEB-1", "", "İstanbul"] {
            columns.push_row(|out| out.push_str(row));
        }
        let mut rows = RowTexts::default();
        for _ in 0..2 {
            rows.copy_rows_adding(&columns, |index, out| {
                out.push_str([" 5M", " <unknown>", " Ünit"][index]);
            });
        }
        assert_eq!(
            rows.iter().collect::<Vec<_>>(),
            ["Shop WEB-1 5M", " <unknown>", "İstanbul Ünit"]
        );
        let lower = rows.lowercase();
        let lowered: Vec<&str> = (0..rows.len()).map(|i| lower.row(i)).collect();
        assert_eq!(lowered, ["shop web-1 5m", " <unknown>", "i̇stanbul ünit"]);
    }

    #[test]
    fn a_row_end_is_written_over_only_where_it_reads_what_was_said() {
        let mut rows = RowTexts::default();
        for row in ["Shop WEB-1 5m30s", "db 119s", "x 9m59s"] {
            rows.push_row(|out| out.push_str(row));
        }
        let _ = rows.lowercase();
        assert!(rows.replace_row_end(0, "5m30s", "5m31s"));
        assert!(rows.replace_row_end(1, "119s", "2m0s"));
        // Not what the row ends with, a length that differs, or not lowercase ASCII: refused.
        assert!(!rows.replace_row_end(2, "8m59s", "9m00s"));
        assert!(!rows.replace_row_end(2, "9m59s", "10m"));
        assert!(!rows.replace_row_end(2, "9m59s", "10M00"));
        assert!(!rows.replace_row_end(3, "", ""));
        assert_eq!(
            rows.iter().collect::<Vec<_>>(),
            ["Shop WEB-1 5m31s", "db 2m0s", "x 9m59s"]
        );
        let lower = rows.lowercase();
        let lowered: Vec<&str> = (0..rows.len()).map(|i| lower.row(i)).collect();
        assert_eq!(lowered, ["shop web-1 5m31s", "db 2m0s", "x 9m59s"]);
    }

    proptest::proptest! {
        /// Rows edited read as the rows written whole after the same changes, lowercase too.
        #[test]
        fn edited_rows_read_as_if_written_whole(
            rows in proptest::collection::vec("[a-cA-C İé0-9]{0,6}", 0..10),
            changes in proptest::collection::vec((0usize..12, 0u8..3, "[a-cA-CÜ0-9]{0,5}"), 0..8),
            lowered_first in proptest::bool::ANY,
        ) {
            let mut texts = RowTexts::default();
            for row in &rows {
                texts.push_row(|out| out.push_str(row));
            }
            if lowered_first {
                let _ = texts.lowercase();
            }
            // Each change at an old row: 0 adds a row before it, 1 replaces it, 2 drops it.
            let mut changes: Vec<_> = changes
                .into_iter()
                .filter(|(at, what, _)| *at < rows.len() || *what == 0 && *at == rows.len())
                .collect();
            changes.sort_by_key(|(at, what, _)| (*at, *what));
            changes.dedup_by_key(|(at, what, _)| (*at, *what > 0));
            let mut expected = Vec::new();
            let mut edits = Vec::new();
            let mut written = Vec::new();
            let mut next = 0;
            for (at, what, row) in &changes {
                expected.extend(rows[next..*at].iter().cloned());
                next = *at;
                if *what < 2 {
                    expected.push(row.clone());
                    written.push(row.clone());
                }
                if *what > 0 {
                    next = at + 1;
                }
                edits.push(RowEdit { at: *at, drops: *what > 0, adds: *what < 2 });
            }
            expected.extend(rows[next..].iter().cloned());
            let mut adds = written.iter();
            let numbered: Vec<Option<&String>> = edits
                .iter()
                .map(|edit| if edit.adds { adds.next() } else { None })
                .collect();
            texts.edit(&edits, |number, out| out.push_str(numbered[number].unwrap()));
            proptest::prop_assert_eq!(texts.iter().collect::<Vec<_>>(), expected.clone());
            let lower = texts.lowercase();
            let lowered: Vec<&str> = (0..texts.len()).map(|i| lower.row(i)).collect();
            let expected_lower: Vec<String> = expected.iter().map(|r| r.to_lowercase()).collect();
            proptest::prop_assert_eq!(lowered, expected_lower);
        }
    }
}
