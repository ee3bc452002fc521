//! The log tail view: a bordered overlay titled with how the streams stand, the lines on screen
//! (only those are built, so a 100,000-line buffer costs a screenful a frame), search matches
//! highlighted, each stream's prefix in its pod's colour, and a footer with the state and keys.

use crate::app::action::Action;
use crate::app::keymap::Keymap;
use crate::app::log_view::LOGS;
use std::borrow::Cow;
use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::log_buffer::pretty_json;
use crate::app::log_view::LogView;
use crate::model::log_stream::{ContainerChoice, LogLine, StreamState};

/// Columns between tab stops, as terminals set them.
const TAB_STOP: usize = 8;

/// Draws the log view over `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &LogView, keymap: &Keymap, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title_line(view, theme));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let [lines_area, footer_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let styles = LineStyles::new(theme);
    let rows = visible_rows(
        view,
        usize::from(lines_area.width),
        usize::from(lines_area.height),
        &styles,
    );
    frame.render_widget(Paragraph::new(rows), lines_area);
    let footer = footer_line(view, keymap, theme, usize::from(footer_area.width));
    frame.render_widget(Paragraph::new(footer), footer_area);
}

/// ` logs shop/web-1 (app) · streaming `, the streams' part in the colour of the worst one.
fn title_line(view: &LogView, theme: &Theme) -> Line<'static> {
    let mut worst = None;
    for (_, _, state) in view.buffer.states() {
        let rank = match state {
            StreamState::Failed(_) => 3,
            StreamState::Reconnecting { .. } => 2,
            StreamState::Streaming => 1,
            StreamState::Ended => 0,
        };
        worst = worst.max(Some(rank));
    }
    let state_style = match worst {
        Some(3) => theme.failing,
        Some(2) => theme.progressing,
        Some(1) => theme.healthy,
        Some(_) => theme.done,
        None => theme.muted,
    };
    Line::from(vec![
        Span::styled(format!(" {} ", view.title), theme.header),
        Span::styled("· ", theme.muted),
        Span::styled(format!("{} ", view.stream_summary()), state_style),
    ])
}

/// The state first, then as many keys as fit in `width` whole (the most used first), each
/// toggle with its setting.
fn footer_line(view: &LogView, keymap: &Keymap, theme: &Theme, width: usize) -> Line<'static> {
    if let Some(input) = &view.search_input {
        return Line::from(vec![
            Span::styled("/", theme.title),
            Span::raw(input.clone()),
            Span::styled("_", theme.muted),
            Span::styled("  enter", theme.key),
            Span::styled(" search ", theme.muted),
            Span::styled(" esc", theme.key),
            Span::styled(" cancel ", theme.muted),
        ]);
    }
    let buffer = &view.buffer;
    let mut spans = vec![if buffer.follow_tail() {
        Span::styled("FOLLOWING", theme.healthy.add_modifier(Modifier::BOLD))
    } else {
        Span::styled("PAUSED", theme.progressing.add_modifier(Modifier::BOLD))
    }];
    if view.request.previous {
        spans.push(Span::styled("  previous run", theme.progressing));
    }
    if let Some(pattern) = buffer.pattern() {
        let count = buffer.match_count();
        let matches = match view.match_position() {
            Some(position) => format!("{position} of {} matches", grouped(count as u64)),
            None if count == 1 => "1 match".to_string(),
            None => format!("{} matches", grouped(count as u64)),
        };
        spans.push(Span::styled(
            format!("  \"{}\" {matches}", pattern.text()),
            theme.progressing,
        ));
    }
    if buffer.dropped() > 0 {
        spans.push(Span::styled(
            format!("  {} dropped", grouped(buffer.dropped())),
            theme.muted,
        ));
    }
    let lines = match buffer.len() {
        1 => "  1 line".to_string(),
        count => format!("  {} lines", grouped(count as u64)),
    };
    spans.push(Span::styled(lines, theme.muted));
    if let Some(message) = &view.message {
        spans.push(Span::styled(format!("  {message}"), theme.progressing));
    }
    let on_off = |on: bool| if on { "on" } else { "off" };
    let searching = buffer.pattern().is_some();
    // The keys in force (the `logs` context).
    let key = |action: Action| keymap.view_key(LOGS, &action);
    let pair = |first: Action, second: Action| Some(format!("{}/{}", key(first)?, key(second)?));
    let since = |first: Action, last: Action| Some(format!("{}-{}", key(first)?, key(last)?));
    let hints = [
        key(Action::Back).map(|k| (k, "close".to_string())),
        key(Action::Pause).map(|k| {
            let what = if buffer.follow_tail() {
                "pause"
            } else {
                "follow"
            };
            (k, what.to_string())
        }),
        key(Action::Search).map(|k| (k, "search".to_string())),
        pair(Action::NextMatch, Action::PreviousMatch)
            .filter(|_| searching)
            .map(|k| (k, "match".to_string())),
        key(Action::Wrap).map(|k| (k, format!("wrap {}", on_off(view.wrap)))),
        key(Action::Timestamps).map(|k| (k, format!("time {}", on_off(view.show_timestamps)))),
        key(Action::PrettyJson).map(|k| (k, format!("json {}", on_off(view.pretty_json)))),
        key(Action::SaveLines).map(|k| (k, "save".to_string())),
        key(Action::NextContainer).map(|k| (k, format!("container {}", view.container_label()))),
        key(Action::PreviousRun)
            .map(|k| (k, format!("previous {}", on_off(view.request.previous)))),
        since(Action::Since(0), Action::Since(5))
            .map(|k| (k, format!("since {}", view.since_label()))),
        pair(Action::Top, Action::Bottom).map(|k| (k, "top/tail".to_string())),
    ];
    let separator = "  │";
    let mut used: usize =
        spans.iter().map(Span::width).sum::<usize>() + Span::raw(separator).width();
    let mut keys = Vec::new();
    for (key, what) in hints.into_iter().flatten() {
        let key = Span::styled(format!(" {key}"), theme.key);
        let what = Span::styled(format!(" {what} "), theme.muted);
        used += key.width() + what.width();
        if used > width {
            break;
        }
        keys.extend([key, what]);
    }
    if !keys.is_empty() {
        spans.push(Span::styled(separator, theme.muted));
        spans.extend(keys);
    }
    Line::from(spans)
}

/// The styles of a log line's parts.
struct LineStyles {
    /// Stream prefixes, by the pod's colour number modulo the length.
    palette: Vec<Style>,
    timestamp: Style,
    /// A search match, and the one `n`/`N` moved to.
    highlight: Style,
    current: Style,
}

impl LineStyles {
    fn new(theme: &Theme) -> Self {
        // The theme's distinct foreground colours (failing left out: a pod is not failing for
        // its colour), so a light or high-contrast theme gives colours that read on it.
        let mut colours = Vec::new();
        for style in [
            theme.key,
            theme.healthy,
            theme.progressing,
            theme.unknown,
            theme.yaml.number,
            theme.yaml.string,
            theme.yaml.literal,
            theme.header,
        ] {
            if let Some(colour) = style.fg
                && !colours.contains(&colour)
            {
                colours.push(colour);
            }
        }
        let palette = if colours.is_empty() {
            vec![theme.key]
        } else {
            colours.into_iter().map(|c| Style::new().fg(c)).collect()
        };
        let (highlight, current) = super::reading::match_styles(theme);
        LineStyles {
            palette,
            timestamp: theme.muted,
            highlight,
            current,
        }
    }
}

/// The rows on screen, `height` at most: the last lines when following the tail (counted from
/// the bottom, as wrapped or pretty-printed lines take several rows), else from the top line.
fn visible_rows(
    view: &LogView,
    width: usize,
    height: usize,
    styles: &LineStyles,
) -> Vec<Line<'static>> {
    let buffer = &view.buffer;
    if height == 0 || width == 0 || buffer.is_empty() {
        return Vec::new();
    }
    let current = view.current_match_index();
    let rows_of = |index: usize| {
        buffer
            .get(index)
            .map(|line| line_rows(view, line, width, styles, current == Some(index)))
            .unwrap_or_default()
    };
    if buffer.follow_tail() {
        let mut rows = VecDeque::new();
        let mut index = buffer.len();
        while index > 0 && rows.len() < height {
            index -= 1;
            for row in rows_of(index).into_iter().rev() {
                rows.push_front(row);
            }
        }
        let excess = rows.len().saturating_sub(height);
        rows.drain(..excess);
        rows.into()
    } else {
        let mut rows = Vec::new();
        let mut index = buffer.top(height);
        while index < buffer.len() && rows.len() < height {
            rows.extend(rows_of(index));
            index += 1;
        }
        rows.truncate(height);
        rows
    }
}

/// One log line as rows: the stream's prefix and the instant, then the text with its matches
/// highlighted; several rows when pretty-printed (continuations indented under the text) or
/// wrapped.
fn line_rows(
    view: &LogView,
    line: &LogLine,
    width: usize,
    styles: &LineStyles,
    is_current: bool,
) -> Vec<Line<'static>> {
    let buffer = &view.buffer;
    let mut lead = Vec::new();
    if buffer.several_streams() {
        let colour = buffer.pod_colour(&line.pod).unwrap_or(0) % styles.palette.len();
        lead.push(Span::styled(
            format!("{} ", stream_prefix(view, line)),
            styles.palette[colour],
        ));
    }
    // The text holds the kubelet's stamp only when the request asked for it; the instant is
    // shown (or not) from `at`, whatever the request said.
    let text = match (view.request.timestamps, line.at) {
        (true, Some(_)) => line.text.split_once(' ').map_or("", |(_, rest)| rest),
        _ => &line.text,
    };
    if view.show_timestamps
        && let Some(at) = line.at
    {
        lead.push(Span::styled(format!("{at} "), styles.timestamp));
    }
    let text = displayable(text);
    let pretty = if view.pretty_json {
        pretty_json(&text)
    } else {
        None
    };
    let texts: Vec<&str> = match &pretty {
        Some(pretty) => pretty.lines().collect(),
        None => vec![text.as_ref()],
    };
    let lead_width: usize = lead.iter().map(Span::width).sum();
    let match_style = if is_current {
        styles.current
    } else {
        styles.highlight
    };
    let mut rows = Vec::new();
    for (number, text) in texts.into_iter().enumerate() {
        let mut spans = if number == 0 {
            lead.clone()
        } else {
            vec![Span::raw(" ".repeat(lead_width))]
        };
        let mut end = 0;
        for range in buffer.highlights(text) {
            if range.start > end {
                spans.push(Span::raw(text[end..range.start].to_string()));
            }
            spans.push(Span::styled(text[range.clone()].to_string(), match_style));
            end = range.end;
        }
        if end < text.len() || spans.is_empty() {
            spans.push(Span::raw(text[end..].to_string()));
        }
        if view.wrap {
            rows.extend(wrapped(spans, width));
        } else {
            rows.push(Line::from(spans));
        }
    }
    rows
}

/// Whose line it is: the pod when several pods are read, the container when all of them are.
fn stream_prefix(view: &LogView, line: &LogLine) -> String {
    let several_pods = view.request.pods.len() > 1;
    let all_containers = view.request.container == ContainerChoice::All;
    match (several_pods, all_containers) {
        (true, true) => format!("{}/{}", line.pod, line.container),
        (true, false) => line.pod.to_string(),
        (false, _) => line.container.to_string(),
    }
}

/// `text` as a terminal shows it: tabs expanded to their stops, and ANSI escape sequences
/// (colours many programs log) and other control characters left out, since ratatui drops the
/// escape character but would show the rest of the sequence.
fn displayable(text: &str) -> Cow<'_, str> {
    if !text.contains(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len());
    let mut column = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => {
                let spaces = TAB_STOP - column % TAB_STOP;
                shown.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC (a window title, a hyperlink): up to BEL or ESC \.
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' {
                            chars.next_if_eq(&'\\');
                            break;
                        }
                    }
                }
                _ => {}
            },
            c if c.is_control() => {}
            c => {
                shown.push(c);
                column += 1;
            }
        }
    }
    Cow::Owned(shown)
}

/// `spans` cut into rows of at most `width` columns (at any character: a log line's words
/// are often longer than a row).
fn wrapped(spans: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut used = 0;
    let mut encoded = [0; 4];
    for span in spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let columns = Span::raw(&*c.encode_utf8(&mut encoded)).width();
            if used + columns > width && used > 0 {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)));
                used = 0;
            }
            piece.push(c);
            used += columns;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, span.style));
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(Line::from(row));
    }
    rows
}

/// `n` with thousands separators: `12,345`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
#[path = "log_view_tests.rs"]
mod tests;
