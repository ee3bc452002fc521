//! Fitting a pane's columns to the terminal: each column as wide as its widest cell on screen
//! (up to its cap), cut with `…` rather than silently, the least important dropped first when
//! the room is short, and the columns scrolled sideways (left/right) past the pinned ones.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;
use unicode_width::UnicodeWidthChar;

use crate::app::columns::ColumnSpec;
use crate::model::health::Health;

/// The gap between two columns.
pub(super) const GAP: u16 = 1;

/// A row's cells (one per column, in the columns' order) and the health that colours it.
pub(super) type GridRow<'a> = (Vec<Line<'a>>, Health);

/// What the table draws: the header, the widths, the rows with their cells cut to fit, and
/// what did not fit.
pub(super) struct Fitted<'a> {
    /// Where each column shown is in the pane's columns.
    pub shown: Vec<usize>,
    pub header: Vec<String>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<(Vec<Cell<'a>>, Health)>,
    /// Columns of the set shown that did not fit (dropped, or off to either side).
    pub hidden: usize,
    /// The wide set is scrolled: columns are off to the left.
    pub left: bool,
    /// Columns are off to the right.
    pub right: bool,
}

/// The columns to draw in `room` cells of width: the usual set (or the wide one) fitted.
pub(super) fn fit<'a>(
    specs: &[ColumnSpec],
    rows: Vec<GridRow<'a>>,
    room: u16,
    wide: bool,
    offset: usize,
) -> Fitted<'a> {
    let natural: Vec<u16> = specs
        .iter()
        .enumerate()
        .map(|(at, spec)| {
            let widest = rows
                .iter()
                .map(|(cells, _)| cells.get(at).map_or(0, Line::width))
                .max()
                .unwrap_or(0);
            let header = spec.name.chars().count();
            widest.max(header).min(spec.cap as usize).max(header) as u16
        })
        .collect();
    let floor: Vec<u16> = specs
        .iter()
        .zip(&natural)
        .map(|(spec, natural)| {
            let header = spec.name.chars().count() as u16;
            (*natural).min(spec.floor.max(header))
        })
        .collect();
    let in_set: Vec<usize> = (0..specs.len())
        .filter(|at| wide || !specs[*at].wide)
        .collect();
    // Scrolled sideways (or the wide set): in their order from the offset on; otherwise the
    // usual set fitted by importance.
    let (shown, widths, left, right) = if wide || offset > 0 {
        scrolled(specs, &in_set, &natural, &floor, room, offset)
    } else {
        by_priority(specs, &in_set, &natural, &floor, room)
    };
    let hidden = in_set.len() - shown.len();
    let header = shown
        .iter()
        .zip(&widths)
        .map(|(at, width)| {
            let line = cut(Line::from(specs[*at].name.as_str()), *width);
            line.spans.iter().map(|s| s.content.as_ref()).collect()
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|(cells, health)| {
            let mut cells: Vec<Option<Line<'a>>> = cells.into_iter().map(Some).collect();
            let row = shown
                .iter()
                .zip(&widths)
                .map(|(at, width)| {
                    let line = cells
                        .get_mut(*at)
                        .and_then(Option::take)
                        .unwrap_or_default();
                    Cell::from(cut(line, *width))
                })
                .collect();
            (row, health)
        })
        .collect();
    Fitted {
        shown,
        header,
        widths: widths.into_iter().map(Constraint::Length).collect(),
        rows,
        hidden,
        left,
        right,
    }
}

/// The usual set, most important first: the columns that matter most (priority 0 and 1: the
/// name, the status, an event's reason, object and message) ask for their natural width, the
/// others for their floor; a column that does not fit is cut to its floor, or dropped with all
/// the less important ones when even that does not fit. What room is left goes back to the
/// cut columns, most important first (those it makes whole before the others), and then to the
/// column that fills.
fn by_priority(
    specs: &[ColumnSpec],
    in_set: &[usize],
    natural: &[u16],
    floor: &[u16],
    room: u16,
) -> (Vec<usize>, Vec<u16>, bool, bool) {
    let mut order: Vec<usize> = in_set.to_vec();
    order.sort_by_key(|at| (specs[*at].priority, *at));
    let mut given: Vec<(usize, u16)> = Vec::new();
    let mut used: u32 = 0;
    for at in order {
        let gap = if given.is_empty() { 0 } else { GAP as u32 };
        let ask = if specs[at].priority <= 1 {
            natural[at]
        } else {
            floor[at]
        };
        let left = (room as u32).saturating_sub(used + gap);
        let width = if ask as u32 <= left {
            ask
        } else if floor[at] as u32 <= left {
            floor[at]
        } else if given.is_empty() {
            // Not even the most important column fits: it takes the room there is.
            left as u16
        } else {
            // It goes, and every column less important than it.
            break;
        };
        used += gap + width as u32;
        given.push((at, width));
    }
    let mut spare = (room as u32).saturating_sub(used);
    // First the cut columns the room makes whole, then the rest as far as it goes.
    for whole_only in [true, false] {
        for (at, width) in given.iter_mut() {
            let missing = natural[*at].saturating_sub(*width) as u32;
            if whole_only && missing > spare {
                continue;
            }
            let more = missing.min(spare);
            *width += more as u16;
            spare -= more;
        }
    }
    if spare > 0
        && let Some((_, width)) = given.iter_mut().find(|(at, _)| specs[*at].fill)
    {
        *width += spare as u16;
    }
    given.sort_by_key(|(at, _)| *at);
    let (shown, widths) = given.into_iter().unzip();
    (shown, widths, false, false)
}

/// The wide set: the pinned columns (cut to their floors if they would take more than two
/// thirds of the room), then the others from `offset` on at their natural
/// widths while they fit, the last one cut if at least a few characters of it fit.
fn scrolled(
    specs: &[ColumnSpec],
    in_set: &[usize],
    natural: &[u16],
    floor: &[u16],
    room: u16,
    offset: usize,
) -> (Vec<usize>, Vec<u16>, bool, bool) {
    let pinned: Vec<usize> = in_set
        .iter()
        .copied()
        .filter(|at| specs[*at].pinned)
        .collect();
    let movable: Vec<usize> = in_set
        .iter()
        .copied()
        .filter(|at| !specs[*at].pinned)
        .collect();
    let offset = offset.min(movable.len().saturating_sub(1));
    let mut shown: Vec<(usize, u16)> = Vec::new();
    let used = |shown: &[(usize, u16)]| -> u32 {
        shown.iter().map(|(_, w)| *w as u32).sum::<u32>()
            + GAP as u32 * shown.len().saturating_sub(1) as u32
    };
    for at in &pinned {
        shown.push((*at, natural[*at]));
    }
    // The pinned columns leave at least a third of the room to scroll through.
    if used(&shown) > room as u32 * 2 / 3 {
        for (at, width) in shown.iter_mut() {
            *width = floor[*at];
        }
    }
    let mut right = false;
    for at in movable.iter().skip(offset) {
        let gap = if shown.is_empty() { 0 } else { GAP as u32 };
        let left_room = (room as u32).saturating_sub(used(&shown) + gap);
        if natural[*at] as u32 <= left_room {
            shown.push((*at, natural[*at]));
        } else {
            if left_room >= 4 {
                shown.push((*at, left_room as u16));
            }
            right = true;
            break;
        }
    }
    // In the drawn order: the pinned columns keep their places before the others.
    shown.sort_by_key(|(at, _)| (!specs[*at].pinned, *at));
    let (shown, widths) = shown.into_iter().unzip();
    (shown, widths, offset > 0, right)
}

/// `line` cut to `width` cells, ending in `…` when anything was cut.
pub(super) fn cut(line: Line<'_>, width: u16) -> Line<'_> {
    let width = width as usize;
    if line.width() <= width {
        return line;
    }
    let style = line.style;
    let alignment = line.alignment;
    let mut spans: Vec<Span<'_>> = Vec::new();
    let mut used = 0;
    let budget = width.saturating_sub(1);
    let mut last_style = Style::default();
    'spans: for span in line.spans {
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > budget {
                if !kept.is_empty() {
                    spans.push(Span::styled(kept, span.style));
                }
                last_style = span.style;
                break 'spans;
            }
            used += w;
            kept.push(c);
        }
        last_style = span.style;
        spans.push(Span::styled(kept, span.style));
    }
    if width > 0 {
        spans.push(Span::styled("…", last_style));
    }
    let mut cut = Line::from(spans).style(style);
    cut.alignment = alignment;
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, priority: u8, cap: u16, floor: u16) -> ColumnSpec {
        ColumnSpec {
            name: name.to_string(),
            priority,
            cap,
            floor,
            wide: false,
            pinned: false,
            fill: false,
            custom: None,
        }
    }

    fn text(row: &(Vec<Cell<'_>>, Health)) -> usize {
        row.0.len()
    }

    #[test]
    fn a_cut_cell_ends_in_an_ellipsis_and_keeps_its_style() {
        let line = Line::from(vec![
            Span::raw("kafka-"),
            Span::styled("connect-tm-7f9", Style::new().bold()),
        ]);
        let cut = cut(line, 10);
        assert_eq!(cut.width(), 10);
        let shown: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(shown, "kafka-con…");
        assert_eq!(cut.spans.last().unwrap().style, Style::new().bold());
        assert_eq!(super::cut(Line::from("short"), 10).width(), 5);
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_and_the_least_important_go_first() {
        let specs = [
            spec("NAME", 0, 63, 16),
            spec("STATUS", 1, 32, 10),
            spec("IP", 8, 39, 15),
            spec("AGE", 5, 8, 8),
        ];
        let rows = vec![(
            vec![
                Line::from("web-1"),
                Line::from("Running"),
                Line::from("10.0.0.1"),
                Line::from("5m"),
            ],
            Health::Healthy,
        )];
        let all = fit(&specs, rows.clone(), 80, false, 0);
        assert_eq!(all.header, ["NAME", "STATUS", "IP", "AGE"]);
        assert_eq!(all.widths, [5, 7, 8, 3].map(Constraint::Length));
        assert_eq!(all.hidden, 0);
        // 20 cells: NAME (5) STATUS (7) AGE (3) and two gaps = 17; IP would need 9 more.
        let some = fit(&specs, rows, 20, false, 0);
        assert_eq!(some.header, ["NAME", "STATUS", "AGE"]);
        assert_eq!(some.hidden, 1);
        assert_eq!(text(&some.rows[0]), 3);
    }

    #[test]
    fn a_long_name_is_cut_to_its_floor_before_a_column_is_dropped() {
        let specs = [spec("NAME", 0, 63, 16), spec("AGE", 5, 8, 8)];
        let rows = vec![(
            vec![
                Line::from("kafka-connect-tm-7f9c8d6b5-abcde"),
                Line::from("5m"),
            ],
            Health::Healthy,
        )];
        let fitted = fit(&specs, rows, 24, false, 0);
        assert_eq!(fitted.header, ["NAME", "AGE"]);
        assert_eq!(
            fitted.widths,
            [Constraint::Length(20), Constraint::Length(3)]
        );
    }

    #[test]
    fn the_wide_set_scrolls_past_the_pinned_columns() {
        let mut name = spec("NAME", 0, 63, 16);
        name.pinned = true;
        let mut labels = spec("LABELS", 9, 120, 20);
        labels.wide = true;
        let specs = [
            name,
            spec("STATUS", 1, 32, 10),
            spec("AGE", 5, 8, 8),
            labels,
        ];
        let rows = vec![(
            vec![
                Line::from("web-1"),
                Line::from("Running"),
                Line::from("5m"),
                Line::from("app=web,tier=front,version=v4,team=shop"),
            ],
            Health::Healthy,
        )];
        let first = fit(&specs, rows.clone(), 30, true, 0);
        assert_eq!(first.header, ["NAME", "STATUS", "AGE", "LABELS"]);
        assert!(first.right && !first.left);
        let scrolled = fit(&specs, rows, 30, true, 2);
        assert_eq!(scrolled.header, ["NAME", "LABELS"]);
        assert!(scrolled.left);
    }
}
