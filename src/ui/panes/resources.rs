//! The panes of any other kind: the columns the server's Table output gives.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>, index: usize) -> Columns<'a> {
    let View {
        app,
        wide,
        all_namespaces,
        ..
    } = view;
    // The columns and cells exactly as the API server printed them; AGE kept current.
    let table = &app.tables[index];
    let shown: Vec<(usize, &crate::model::table_feed::TableColumn)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.priority == 0 || wide)
        .collect();
    let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = view
        .on_screen()
        .map(|key| {
            let row = &table.rows[*key];
            let cells = shown
                .iter()
                .map(|(at, column)| {
                    if column.name.eq_ignore_ascii_case("age") && row.created.is_some() {
                        age(row.created, app.now)
                    } else {
                        row.cells
                            .get(*at)
                            .map(crate::app::tables::cell_text)
                            .unwrap_or_default()
                    }
                })
                .collect();
            (cells, *key)
        })
        .collect();
    let names = shown
        .iter()
        .map(|(_, column)| column.name.clone())
        .collect();
    printed_columns(
        view,
        names,
        printed,
        all_namespaces && table.resource.namespaced,
    )
}
