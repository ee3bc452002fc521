//! The layout of kubectl's describe output: its prefix writer (two spaces per level) feeding Go's
//! `text/tabwriter` as kubectl configures it (minimum width 0, padding 2, padded with spaces).
//!
//! A tab ends a cell. Consecutive lines that have a cell in the same column form a block, and every
//! cell of a block is padded to the block's widest cell plus two; a line with fewer cells ends the
//! block. That is why `Name:` and `Labels:` align while a section title such as `Containers:` (no
//! tab) starts a new alignment below it.

/// Spaces added after the widest cell of a column block (kubectl's `padding` of 2).
const PADDING: usize = 2;

/// Collects describe text and lays it out on [`flush`](Self::flush) and
/// [`finish`](Self::finish).
#[derive(Debug, Default)]
pub(super) struct DescribeWriter {
    /// Text not laid out yet.
    text: String,
    /// Text laid out by earlier flushes.
    laid_out: String,
    /// Levels added to every write: kubectl's nested prefix writer, which also indents
    /// `WriteLine`.
    indent: usize,
}

impl DescribeWriter {
    pub(super) fn new() -> Self {
        DescribeWriter::default()
    }

    /// kubectl's `PrefixWriter.Write`: two spaces per level, then the text, with the characters
    /// kubectl escapes so that object content cannot drive the terminal.
    pub(super) fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level + self.indent {
            self.text.push_str("  ");
        }
        for character in text.chars() {
            match character {
                '\x1b' => self.text.push_str("^["),
                '\r' => self.text.push_str("\\r"),
                other => self.text.push(other),
            }
        }
    }

    /// kubectl's `PrefixWriter.WriteLine`: the text and a newline, indented only when nested.
    pub(super) fn write_line(&mut self, text: &str) {
        self.write(0, &format!("{text}\n"));
    }

    /// Runs `write` with every level raised by `levels` (kubectl's `NewNestedPrefixWriter`).
    pub(super) fn nested(&mut self, levels: usize, write: impl FnOnce(&mut Self)) {
        self.indent += levels;
        write(self);
        self.indent -= levels;
    }

    /// Go's `tabwriter.Writer.Flush`: lays out what was written so far, so that what follows
    /// is aligned on its own.
    pub(super) fn flush(&mut self) {
        self.laid_out.push_str(&layout(&self.text));
        self.text.clear();
    }

    /// The text, laid out in columns.
    pub(super) fn finish(mut self) -> String {
        self.flush();
        self.laid_out
    }
}

/// Go's `tabwriter.Writer` output for `text`, with kubectl's settings.
pub(super) fn layout(text: &str) -> String {
    let lines: Vec<Vec<Cell<'_>>> = text
        .split('\n')
        .map(|line| line.split('\t').map(Cell::new).collect())
        .collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut widths = Vec::new();
    format_block(&lines, &mut widths, 0, lines.len(), &mut out);
    out
}

/// One cell: its text and its width in characters (Go counts runes).
struct Cell<'a> {
    text: &'a str,
    width: usize,
}

impl<'a> Cell<'a> {
    fn new(text: &'a str) -> Self {
        Cell {
            text,
            width: text.chars().count(),
        }
    }
}

/// Go's `Writer.format`: writes lines `start..end`, whose columns left of `widths.len()` are
/// already sized, sizing each block of the next column and recursing into it.
fn format_block(
    lines: &[Vec<Cell<'_>>],
    widths: &mut Vec<usize>,
    start: usize,
    end: usize,
    out: &mut String,
) {
    let column = widths.len();
    // The last cell of a line is the text after its last tab, which belongs to no column.
    let has_column = |line: usize| column + 1 < lines[line].len();
    let mut unwritten = start;
    let mut line = start;
    while line < end {
        if !has_column(line) {
            line += 1;
            continue;
        }
        write_lines(lines, widths, unwritten, line, out);
        let block_start = line;
        let mut width = 0;
        while line < end && has_column(line) {
            width = width.max(lines[line][column].width + PADDING);
            line += 1;
        }
        widths.push(width);
        format_block(lines, widths, block_start, line, out);
        widths.pop();
        unwritten = line;
    }
    write_lines(lines, widths, unwritten, end, out);
}

/// Go's `Writer.writeLines`: each sized cell padded to its column's width, the last cell as is.
fn write_lines(
    lines: &[Vec<Cell<'_>>],
    widths: &[usize],
    start: usize,
    end: usize,
    out: &mut String,
) {
    for (index, line) in lines.iter().enumerate().take(end).skip(start) {
        for (column, cell) in line.iter().enumerate() {
            out.push_str(cell.text);
            if let Some(width) = widths.get(column) {
                for _ in cell.width..*width {
                    out.push(' ');
                }
            }
        }
        // The text after the last newline is an unterminated line: it gets no newline.
        if index + 1 < lines.len() {
            out.push('\n');
        }
    }
}
