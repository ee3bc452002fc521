//! Rows' filter texts laid end to end in one buffer, each ended by a newline: a filter keystroke
//! searches one buffer once instead of 50,000 separately allocated strings one by one (the per-row
//! calls and their cache misses were most of a keystroke's time).

/// The rows of one part of a keystroke's work, which a core claims (`claim_parts`): fewer are
/// quicker done on the core at hand than handed to another.
pub const ROWS_WORTH_A_THREAD: usize = 4096;

/// A change to rows kept in order: before the old row `at` a new row is added (`adds`), and the
/// old row `at` is dropped (`drops`); an object changed is both. Edits come in the rows' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowEdit {
    pub at: usize,
    pub drops: bool,
    pub adds: bool,
}

/// A step of rows edited in order (`walk_edits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditStep {
    /// The old rows in this range stay, in order.
    Keep(std::ops::Range<usize>),
    /// Edit number N's new row comes next.
    Add(usize),
}

/// Walks `edits` over `len` old rows in order, saying which old rows stay and where each new
/// row goes: what the rows' texts and anything kept beside them (a creation time a row) both
/// follow, so they stay row for row alike.
pub fn walk_edits(edits: &[RowEdit], len: usize, mut step: impl FnMut(EditStep)) {
    let mut next = 0;
    for (number, edit) in edits.iter().enumerate() {
        if edit.at > next {
            step(EditStep::Keep(next..edit.at));
            next = edit.at;
        }
        if edit.adds {
            step(EditStep::Add(number));
        }
        if edit.drops && edit.at >= next {
            next = edit.at + 1;
        }
    }
    if len > next {
        step(EditStep::Keep(next..len));
    }
}

/// The texts of a pane's rows, in the pane's order, as written (a filter without capitals
/// matches them case-insensitively).
#[derive(Debug, Default)]
pub struct RowTexts {
    written: Buffer,
    /// The rows the last edit left, emptied with their room kept: the next edit writes into
    /// them. Memory freshly asked of the system is faulted in a page at a time, and at 50,000
    /// rows that was most of a keystroke's time under churn (3,000 faults, 160 ms on a busy
    /// 2-core machine).
    spare: Buffer,
}

/// Rows end to end, each ended by a newline, and where each is.
#[derive(Debug, Default)]
struct Buffer {
    text: String,
    /// Each row's text in `text` (its newline excluded).
    spans: Vec<(u32, u32)>,
}

impl Buffer {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// Ends the row written since `start`.
    fn end_row(&mut self, start: u32) {
        self.spans.push((start, self.text.len() as u32));
        self.text.push('\n');
    }

    /// Copies the rows `rows` of `from`, with their newlines, to the end.
    fn copy_rows(&mut self, from: &Buffer, rows: std::ops::Range<usize>) {
        if rows.is_empty() {
            return;
        }
        let start = from.spans[rows.start].0;
        let end = from.spans[rows.end - 1].1 as usize + 1;
        let at = self.text.len() as u32;
        self.text.push_str(&from.text[start as usize..end]);
        self.spans.extend(
            from.spans[rows]
                .iter()
                .map(|&(row_start, row_end)| (row_start - start + at, row_end - start + at)),
        );
    }

    fn rows(&self) -> Rows<'_> {
        Rows {
            text: &self.text,
            spans: &self.spans,
        }
    }
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
    /// Forgets every row (their room is kept).
    pub fn clear(&mut self) {
        self.written.clear();
    }

    /// Adds a row, written by `write`.
    pub fn push_row(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.written.text.len() as u32;
        write(&mut self.written.text);
        self.written.end_row(start);
    }

    /// Applies `edits` (in the rows' order), `write` writing the text of edit number N's new row:
    /// the rows between edits are copied in runs, not one by one, into the spare buffer, which
    /// then becomes the rows. Under churn a
    /// keystroke edits the few hundred rows whose pods changed instead of gathering 50,000 again.
    pub fn edit(&mut self, edits: &[RowEdit], mut write: impl FnMut(usize, &mut String)) {
        let mut written = std::mem::take(&mut self.spare);
        written.clear();
        written
            .text
            .reserve(self.written.text.len() + edits.len() * 128);
        written
            .spans
            .reserve(self.written.spans.len() + edits.len());
        walk_edits(edits, self.written.spans.len(), |step| match step {
            EditStep::Keep(rows) => written.copy_rows(&self.written, rows),
            EditStep::Add(number) => {
                let start = written.text.len() as u32;
                write(number, &mut written.text);
                written.end_row(start);
            }
        });
        self.spare = std::mem::replace(&mut self.written, written);
    }

    /// Rewrites the ends of rows: of each row `ends` names (in the rows' order, with how many of
    /// its bytes stay), `write` writes what follows its bytes kept (`write(N, out)` for the Nth);
    /// the other rows are copied in runs, into the spare buffer, which then becomes the rows.
    /// The rows' AGE moving on, tens of thousands at once on a cluster of fresh pods, is one
    /// pass with no text allocated a row.
    pub fn rewrite_ends(
        &mut self,
        ends: &[(usize, usize)],
        mut write: impl FnMut(usize, &mut String),
    ) {
        let mut written = std::mem::take(&mut self.spare);
        written.clear();
        written
            .text
            .reserve(self.written.text.len() + ends.len() * 8);
        written.spans.reserve(self.written.spans.len());
        let mut next = 0;
        for (number, &(row, kept)) in ends.iter().enumerate() {
            written.copy_rows(&self.written, next..row);
            let start = self.written.spans[row].0 as usize;
            let at = written.text.len() as u32;
            written
                .text
                .push_str(&self.written.text[start..start + kept]);
            write(number, &mut written.text);
            written.end_row(at);
            next = row + 1;
        }
        written.copy_rows(&self.written, next..self.written.spans.len());
        self.spare = std::mem::replace(&mut self.written, written);
    }

    /// Readies the spare buffer for an edit of rows as many as these, with room to grow: the
    /// room is written once, so its pages are in memory before a keystroke needs them (on a
    /// virtual machine a page first touched can cost tens of microseconds; a keystroke's edit
    /// into fresh buffers took 93 ms at 50,000 rows).
    pub fn ready_spare(&mut self) {
        let rows = &self.written;
        let spare = &mut self.spare;
        let text = rows.text.len() + rows.text.len() / 8 + 4096;
        if spare.text.capacity() < text {
            spare.text = "\0".repeat(text);
            spare.text.clear();
        }
        let spans = rows.spans.len() + rows.spans.len() / 8 + 64;
        if spare.spans.capacity() < spans {
            spare.spans = vec![(1, 1); spans];
            spare.spans.clear();
        }
    }

    /// Writes `end` over row `index`'s end, which reads `was` (as many bytes): an AGE moving
    /// on. False, changing nothing, otherwise.
    pub fn replace_row_end(&mut self, index: usize, was: &str, end: &str) -> bool {
        let Some(&(start, row_end)) = self.written.spans.get(index) else {
            return false;
        };
        let row = &self.written.text[start as usize..row_end as usize];
        if was.len() != end.len() || !row.ends_with(was) {
            return false;
        }
        let row_end = row_end as usize;
        self.written
            .text
            .replace_range(row_end - end.len()..row_end, end);
        true
    }

    pub fn len(&self) -> usize {
        self.written.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.written.spans.is_empty()
    }

    /// The rows' texts in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let rows = self.rows();
        (0..self.len()).map(move |i| rows.row(i))
    }

    /// The rows as written.
    pub fn rows(&self) -> Rows<'_> {
        self.written.rows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_back_as_written() {
        let mut texts = RowTexts::default();
        for row in ["Shop WEB-1 Running", "", "İstanbul Ünit"] {
            texts.push_row(|out| out.push_str(row));
        }
        assert_eq!(
            texts.iter().collect::<Vec<_>>(),
            ["Shop WEB-1 Running", "", "İstanbul Ünit"]
        );
        texts.push_row(|out| out.push_str("NEW"));
        assert_eq!(texts.rows().row(3), "NEW");
        assert_eq!(
            texts.rows().text,
            "Shop WEB-1 Running\n\nİstanbul Ünit\nNEW\n"
        );
    }

    #[test]
    fn a_row_end_is_written_over_only_where_it_reads_what_was_said() {
        let mut rows = RowTexts::default();
        for row in ["Shop WEB-1 5m30s", "db 119s", "x 9m59s"] {
            rows.push_row(|out| out.push_str(row));
        }
        assert!(rows.replace_row_end(0, "5m30s", "5m31s"));
        assert!(rows.replace_row_end(1, "119s", "2m0s"));
        // Not what the row ends with, a length that differs, a row that is not there: refused.
        assert!(!rows.replace_row_end(2, "8m59s", "9m00s"));
        assert!(!rows.replace_row_end(2, "9m59s", "10m"));
        assert!(!rows.replace_row_end(3, "", ""));
        assert_eq!(
            rows.iter().collect::<Vec<_>>(),
            ["Shop WEB-1 5m31s", "db 2m0s", "x 9m59s"]
        );
        assert_eq!(rows.rows().text, "Shop WEB-1 5m31s\ndb 2m0s\nx 9m59s\n");
    }

    #[test]
    fn rows_ends_rewritten_keep_their_starts_and_the_rows_between() {
        let mut rows = RowTexts::default();
        for row in ["a 9s", "b 9s", "Ünit 59m", "d 1d", "e 9m59s"] {
            rows.push_row(|out| out.push_str(row));
        }
        let ends = [(0, 2), (2, "Ünit ".len()), (4, 2)];
        let new = ["10s", "1h", "10m"];
        rows.rewrite_ends(&ends, |number, out| out.push_str(new[number]));
        assert_eq!(
            rows.iter().collect::<Vec<_>>(),
            ["a 10s", "b 9s", "Ünit 1h", "d 1d", "e 10m"]
        );
        assert_eq!(rows.rows().text, "a 10s\nb 9s\nÜnit 1h\nd 1d\ne 10m\n");
        // Again, into the buffer the first rewrite left spare.
        rows.rewrite_ends(&[(1, 2)], |_, out| out.push_str("10s"));
        assert_eq!(rows.rows().text, "a 10s\nb 10s\nÜnit 1h\nd 1d\ne 10m\n");
    }

    /// Applies `changes` (at an old row: 0 adds a row before it, 1 replaces it, 2 drops it) to
    /// `texts`, which holds `rows`, and returns the rows they should then hold.
    fn edit_as_said(
        texts: &mut RowTexts,
        rows: &[String],
        changes: Vec<(usize, u8, String)>,
    ) -> Vec<String> {
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
            edits.push(RowEdit {
                at: *at,
                drops: *what > 0,
                adds: *what < 2,
            });
        }
        expected.extend(rows[next..].iter().cloned());
        let mut adds = written.iter();
        let numbered: Vec<Option<&String>> = edits
            .iter()
            .map(|edit| if edit.adds { adds.next() } else { None })
            .collect();
        texts.edit(&edits, |number, out| {
            out.push_str(numbered[number].unwrap())
        });
        expected
    }

    proptest::proptest! {
        /// Rows edited read as the rows written whole after the same changes.
        #[test]
        fn edited_rows_read_as_if_written_whole(
            rows in proptest::collection::vec("[a-cA-C İé0-9]{0,6}", 0..10),
            changes in proptest::collection::vec((0usize..12, 0u8..3, "[a-cA-CÜ0-9]{0,5}"), 0..8),
            again in proptest::collection::vec((0usize..12, 0u8..3, "[a-cA-CÜ0-9]{0,5}"), 0..8),
        ) {
            let mut texts = RowTexts::default();
            for row in &rows {
                texts.push_row(|out| out.push_str(row));
            }
            // Twice: the second edit writes into the buffers the first left.
            let edited = edit_as_said(&mut texts, &rows, changes);
            let edited = edit_as_said(&mut texts, &edited, again);
            proptest::prop_assert_eq!(texts.iter().collect::<Vec<_>>(), edited.clone());
            let whole: String = edited.iter().map(|row| format!("{row}\n")).collect();
            proptest::prop_assert_eq!(texts.rows().text, whole);
        }
    }
}
