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

/// A printed kind's rows (the API server's printer columns, or its Table's): NAMESPACE when
/// the columns start with it, then the printed cells, the name highlighted for a fuzzy filter.
fn printed_rows<'a>(
    view: View<'a>,
    printed: Vec<(Vec<String>, &'a crate::app::resources::Key)>,
) -> Vec<GridRow<'a>> {
    let namespaced = view.specs.first().is_some_and(|c| c.name == "NAMESPACE");
    printed
        .into_iter()
        .map(|(cells, key)| {
            let mut row: Vec<Line<'a>> = Vec::new();
            if namespaced {
                row.push(Line::from(key.0.clone()));
            }
            row.extend(cells.into_iter().enumerate().map(|(at, cell)| {
                if at == 0 && cell == key.1 {
                    name_cell(&cell, view.app, view.theme)
                } else {
                    Line::from(cell)
                }
            }));
            (row, Health::Healthy)
        })
        .collect()
}

/// A usage reading as k9s prints it: CPU in millicores, memory in MiB; `n/a` without one.
fn usage_text(value: Option<i64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

/// Labels as `kubectl get --show-labels` prints them.
fn labels_text(labels: &std::collections::BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
