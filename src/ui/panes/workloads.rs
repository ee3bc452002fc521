//! The panes of the workload and configuration kinds: the API server's printer columns.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>, kind: WatchedKind) -> Columns<'a> {
    let View {
        app,
        keys,
        first,
        height,
        wide,
        all_namespaces,
        ..
    } = view;
    // The API server's printer columns for this kind, printed from the raw objects
    // on screen; wide columns only when there is room.
    let definitions: Vec<_> = crate::model::table::columns(kind.kind_name())
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.priority == 0 || wide)
        .collect();
    let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = keys
        .iter()
        .skip(first)
        .take(height)
        .map(|key| {
            let raw = &app.resources.generic[&kind][*key];
            let all =
                crate::model::table::cells(kind.kind_name(), raw, app.now).unwrap_or_default();
            let all_columns = crate::model::table::columns(kind.kind_name()).unwrap_or_default();
            let cells = all_columns
                .iter()
                .zip(all)
                .filter(|(c, _)| c.priority == 0 || wide)
                .map(|(_, v)| match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            (cells, *key)
        })
        .collect();
    let mut header: Vec<String> = Vec::new();
    let mut widths = Vec::new();
    if all_namespaces && kind.namespaced() {
        header.push("NAMESPACE".to_string());
        widths.push(Constraint::Length(16));
    }
    for (index, definition) in definitions.iter().enumerate() {
        let longest = printed
            .iter()
            .map(|(cells, _)| cells.get(index).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0);
        let width = longest.max(definition.name.len()).min(48) as u16;
        widths.push(if index == 0 {
            Constraint::Min(width)
        } else {
            Constraint::Length(width)
        });
    }
    header.extend(definitions.iter().map(|d| d.name.to_uppercase()));
    let rows = printed
        .into_iter()
        .map(|(cells, key)| {
            let mut row: Vec<Cell<'_>> = Vec::new();
            if all_namespaces && kind.namespaced() {
                row.push(Cell::from(key.0.clone()));
            }
            row.extend(cells.into_iter().map(Cell::from));
            (row, Health::Healthy)
        })
        .collect();
    (header, widths, rows)
}
