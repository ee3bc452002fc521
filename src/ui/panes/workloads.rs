//! The panes of the workload and configuration kinds: the API server's printer columns.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>, kind: WatchedKind) -> Columns<'a> {
    let View {
        app,
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
    let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = view
        .on_screen()
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
    let names = definitions.iter().map(|d| d.name.clone()).collect();
    printed_columns(view, names, printed, all_namespaces && kind.namespaced())
}
