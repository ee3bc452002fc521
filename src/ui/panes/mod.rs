//! One module per pane kind: each gives the cells of its rows on screen, one per column the
//! app names for the pane (`App::columns`), in that order; `ui::columns` fits them.

pub(super) mod events;
pub(super) mod namespaces;
pub(super) mod nodes;
pub(super) mod pods;
pub(super) mod resources;
pub(super) mod stream;
pub(super) mod workloads;

use super::columns::GridRow;
use super::tables::{View, name_cell};
use crate::model::duration::{age, human_duration};
use crate::model::health::Health;
use crate::model::kind::WatchedKind;
use ratatui::text::{Line, Span};

/// A printed kind's rows (the API server's printer columns, or its Table's): each column's cell
/// found by its header among the printer's (`names`), NAMESPACE from the key, a user's column
/// from the JSON, the name highlighted for a fuzzy filter.
/// A printed row: its cells (in the printer's column order), its key and its JSON (for the
/// user's custom columns).
type Printed<'a> = (
    Vec<String>,
    &'a crate::app::resources::Key,
    Option<&'a serde_json::Value>,
);

fn printed_rows<'a>(
    view: View<'a>,
    names: &[String],
    printed: Vec<Printed<'a>>,
) -> Vec<GridRow<'a>> {
    printed
        .into_iter()
        .map(|(cells, key, json)| {
            let row = view
                .specs
                .iter()
                .map(|spec| {
                    if let Some(cell) = custom_cell(spec, json) {
                        return cell;
                    }
                    // The printers have no NAMESPACE column: kubectl adds it, from the key.
                    if spec.name == "NAMESPACE" {
                        return Line::from(key.0.clone());
                    }
                    let at = names
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(&spec.name));
                    match at.and_then(|at| cells.get(at).map(|c| (at, c))) {
                        Some((0, cell)) if *cell == key.1 => name_cell(cell, view.app, view.theme),
                        Some((_, cell)) => Line::from(cell.clone()),
                        None => Line::default(),
                    }
                })
                .collect();
            (row, Health::Healthy)
        })
        .collect()
}

/// A row's cells in the columns' order: a user's column from the row's JSON (`json`, read only
/// when the pane has one), the others from `cell` by their header.
fn row_cells<'a>(
    view: &View<'a>,
    json: impl FnOnce() -> Option<serde_json::Value>,
    mut cell: impl FnMut(&str) -> Line<'a>,
) -> Vec<Line<'a>> {
    let json = view
        .specs
        .iter()
        .any(|c| c.custom.is_some())
        .then(json)
        .flatten();
    view.specs
        .iter()
        .map(|spec| custom_cell(spec, json.as_ref()).unwrap_or_else(|| cell(&spec.name)))
        .collect()
}

/// A user's column's cell: its expression's values in the row's JSON.
fn custom_cell<'a>(
    spec: &crate::app::columns::ColumnSpec,
    json: Option<&serde_json::Value>,
) -> Option<Line<'a>> {
    let custom = spec.custom.as_ref()?;
    Some(Line::from(match json {
        Some(json) => custom.cell(json),
        None => "<none>".to_string(),
    }))
}

/// A usage reading as k9s prints it: CPU in millicores, memory in MiB; `n/a` without one.
fn usage_text(value: Option<i64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

/// Labels as `kubectl get --show-labels` prints them.
fn labels_text<'a>(labels: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let text = labels
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}
