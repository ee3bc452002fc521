//! The cells of the workload and configuration kinds: the API server's printer columns,
//! printed from the raw objects on screen.

use super::*;

pub(in crate::ui) fn rows<'a>(view: View<'a>, kind: WatchedKind) -> Vec<GridRow<'a>> {
    let app = view.app;
    let printed = view
        .on_screen()
        .map(|key| {
            let raw: &serde_json::Value = &app.resources.generic[&kind][*key];
            let cells = crate::model::table::cells(kind.kind_name(), raw, app.now)
                .unwrap_or_default()
                .into_iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            (cells, *key, Some(raw))
        })
        .collect();
    let names: Vec<String> = crate::model::table::columns(kind.kind_name())
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.name)
        .collect();
    printed_rows(view, &names, printed)
}
