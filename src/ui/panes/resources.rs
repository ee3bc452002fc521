//! The cells of any other kind: as the server's Table output gives them, AGE kept current.

use super::*;

pub(in crate::ui) fn rows<'a>(view: View<'a>, index: usize) -> Vec<GridRow<'a>> {
    let app = view.app;
    let table = &app.tables[index];
    let printed = view
        .on_screen()
        .map(|key| {
            let row = &table.rows[*key];
            let cells = table
                .columns
                .iter()
                .enumerate()
                .map(|(at, column)| {
                    if column.name.eq_ignore_ascii_case("age") && row.created.is_some() {
                        age(row.created, app.now)
                    } else {
                        row.cells
                            .get(at)
                            .map(crate::app::tables::cell_text)
                            .unwrap_or_default()
                    }
                })
                .collect();
            (cells, *key, None)
        })
        .collect();
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    printed_rows(view, &names, printed)
}
