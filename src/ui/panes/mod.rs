//! One module per pane kind: each gives its header, column widths and the rows on screen.

pub(super) mod events;
pub(super) mod namespaces;
pub(super) mod nodes;
pub(super) mod pods;
pub(super) mod resources;
pub(super) mod stream;
pub(super) mod workloads;

use super::tables::{Columns, View, name_cell, usage_cells};
use crate::model::duration::{age, human_duration};
use crate::model::health::Health;
use crate::model::kind::WatchedKind;
use ratatui::layout::Constraint;
use ratatui::text::Span;
use ratatui::widgets::Cell;

/// The columns of a printed pane (the API server's printer columns, or its Table's): NAMESPACE
/// when all namespaces are shown, then each column as wide as its longest cell on screen (up
/// to a cap), the first one taking what is left.
fn printed_columns<'a>(
    view: View<'a>,
    names: Vec<String>,
    printed: Vec<(Vec<String>, &'a crate::app::resources::Key)>,
    namespaced: bool,
) -> Columns<'a> {
    const WIDEST: usize = 48;
    let mut header: Vec<String> = Vec::new();
    let mut widths = Vec::new();
    if namespaced {
        header.push("NAMESPACE".to_string());
        widths.push(Constraint::Length(16));
    }
    for (index, name) in names.into_iter().enumerate() {
        let longest = printed
            .iter()
            .map(|(cells, _)| cells.get(index).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0);
        let width = longest.max(name.len()).min(WIDEST) as u16;
        widths.push(if index == 0 {
            Constraint::Min(width)
        } else {
            Constraint::Length(width)
        });
        header.push(name.to_uppercase());
    }
    let rows = printed
        .into_iter()
        .map(|(cells, key)| {
            let mut row: Vec<Cell<'_>> = Vec::new();
            if namespaced {
                row.push(Cell::from(key.0.clone()));
            }
            row.extend(cells.into_iter().enumerate().map(|(at, cell)| {
                if at == 0 && cell == key.1 {
                    name_cell(&cell, view.app, view.theme)
                } else {
                    Cell::from(cell)
                }
            }));
            (row, Health::Healthy)
        })
        .collect();
    (header, widths, rows)
}
