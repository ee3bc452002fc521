//! The panes of any other kind: the columns the server's Table output gives.

use super::*;

pub(in crate::ui) fn columns<'a>(view: View<'a>, index: usize) -> Columns<'a> {
    let View {
        app,
        keys,
        first,
        height,
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
    let printed: Vec<(Vec<String>, &crate::app::resources::Key)> = keys
        .iter()
        .skip(first)
        .take(height)
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
    let namespaced = all_namespaces && table.resource.namespaced;
    let mut header: Vec<String> = Vec::new();
    let mut widths = Vec::new();
    if namespaced {
        header.push("NAMESPACE".to_string());
        widths.push(Constraint::Length(16));
    }
    for (index, (_, column)) in shown.iter().enumerate() {
        let longest = printed
            .iter()
            .map(|(cells, _)| cells.get(index).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0);
        let width = longest.max(column.name.len()).min(48) as u16;
        widths.push(if index == 0 {
            Constraint::Min(width)
        } else {
            Constraint::Length(width)
        });
        header.push(column.name.to_uppercase());
    }
    let rows = printed
        .into_iter()
        .map(|(cells, key)| {
            let mut row: Vec<Cell<'_>> = Vec::new();
            if namespaced {
                row.push(Cell::from(key.0.clone()));
            }
            row.extend(cells.into_iter().map(Cell::from));
            (row, Health::Healthy)
        })
        .collect();
    (header, widths, rows)
}
