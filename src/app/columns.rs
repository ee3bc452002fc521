//! The columns of each pane: their order (k9s's for pods), which matter most when the room is
//! short, how wide a cell may be before it is cut, which only the wide set shows (`ctrl-w`),
//! and the sideways scroll (left/right) past the pinned columns. The UI measures the cells on screen
//! and fits these columns to the terminal (`ui::columns`).

use super::state::{App, Pane};
use super::views::ViewColumn;
use crate::model::custom_columns::CustomColumn;
use crate::model::kind::WatchedKind;

/// One column of a pane.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// The header, as kubectl and k9s print it (upper case).
    pub name: String,
    /// Lower is kept longer: when the row does not fit, the highest is dropped first.
    pub priority: u8,
    /// The widest a cell is shown; longer text ends in `…`.
    pub cap: u16,
    /// The narrowest the column is cut to before a less important column is dropped instead.
    pub floor: u16,
    /// Shown only in the wide set (`ctrl-w`).
    pub wide: bool,
    /// Stays on screen when the wide set scrolls sideways (the object's namespace and name).
    pub pinned: bool,
    /// Takes the room the others leave (a message, a detail).
    pub fill: bool,
    /// A user's column (`views.yaml`): its cells are its JSONPath expression's values.
    pub custom: Option<CustomColumn>,
}

impl ColumnSpec {
    fn new(name: &str, priority: u8, cap: u16) -> Self {
        Self {
            name: name.to_string(),
            priority,
            cap,
            floor: cap,
            wide: false,
            pinned: false,
            fill: false,
            custom: None,
        }
    }

    /// May be cut down to `floor` characters (ending in `…`) before columns are dropped.
    fn cut_to(mut self, floor: u16) -> Self {
        self.floor = floor;
        self
    }

    fn wide(mut self) -> Self {
        self.wide = true;
        self
    }

    fn pinned(mut self) -> Self {
        self.pinned = true;
        self
    }

    fn fill(mut self) -> Self {
        self.fill = true;
        self
    }
}

/// The widest NAME shown: a Kubernetes name is at most 253 characters, but one that long is
/// better read in the YAML view than given the whole screen.
pub const NAME_CAP: u16 = 63;

fn namespace() -> ColumnSpec {
    ColumnSpec::new("NAMESPACE", 3, 32).cut_to(12).pinned()
}

fn name(priority: u8) -> ColumnSpec {
    ColumnSpec::new("NAME", priority, NAME_CAP)
        .cut_to(16)
        .pinned()
}

/// The pods pane, in k9s's order: NAMESPACE NAME READY STATUS RESTARTS CPU MEM %CPU/R %CPU/L
/// %MEM/R %MEM/L IP NODE AGE, then the wide set.
fn pods(all_namespaces: bool, metrics: bool) -> Vec<ColumnSpec> {
    let mut columns = Vec::new();
    if all_namespaces {
        columns.push(namespace());
    }
    columns.extend([
        name(0),
        ColumnSpec::new("READY", 2, 7),
        ColumnSpec::new("STATUS", 1, 32).cut_to(10),
        ColumnSpec::new("RESTARTS", 4, 14),
    ]);
    if metrics {
        columns.extend([
            ColumnSpec::new("CPU", 6, 8),
            ColumnSpec::new("MEM", 6, 8),
            ColumnSpec::new("%CPU/R", 9, 6),
            ColumnSpec::new("%CPU/L", 10, 6),
            ColumnSpec::new("%MEM/R", 9, 6),
            ColumnSpec::new("%MEM/L", 10, 6),
        ]);
    }
    columns.extend([
        ColumnSpec::new("IP", 8, 39).cut_to(15),
        ColumnSpec::new("NODE", 7, NAME_CAP).cut_to(12),
        ColumnSpec::new("AGE", 5, 8),
        ColumnSpec::new("QOS", 11, 10).wide(),
        ColumnSpec::new("NOMINATED NODE", 12, NAME_CAP)
            .cut_to(14)
            .wide(),
        ColumnSpec::new("READINESS GATES", 12, 15).wide(),
        ColumnSpec::new("LABELS", 13, 120).cut_to(20).wide().fill(),
    ]);
    columns
}

/// The nodes pane: kubectl's columns, the pods on each and their usage, then the wide set.
fn nodes(metrics: bool) -> Vec<ColumnSpec> {
    let mut columns = vec![
        name(0),
        ColumnSpec::new("STATUS", 1, 40).cut_to(8),
        ColumnSpec::new("ROLES", 4, 32).cut_to(8),
        ColumnSpec::new("AGE", 3, 8),
        ColumnSpec::new("VERSION", 6, 20).cut_to(8),
        ColumnSpec::new("PODS", 5, 6),
    ];
    if metrics {
        columns.extend([
            ColumnSpec::new("CPU", 7, 8),
            ColumnSpec::new("MEM", 7, 8),
            ColumnSpec::new("%CPU", 8, 5),
            ColumnSpec::new("%MEM", 8, 5),
        ]);
    }
    columns.extend([
        ColumnSpec::new("INTERNAL-IP", 9, 39).cut_to(15).wide(),
        ColumnSpec::new("EXTERNAL-IP", 10, 39).cut_to(11).wide(),
        ColumnSpec::new("OS-IMAGE", 11, 40).cut_to(10).wide(),
        ColumnSpec::new("KERNEL-VERSION", 11, 40).cut_to(10).wide(),
        ColumnSpec::new("CONTAINER-RUNTIME", 11, 40)
            .cut_to(10)
            .wide(),
        ColumnSpec::new("TAINTS", 12, 120).cut_to(20).fill(),
    ]);
    columns
}

fn namespaces() -> Vec<ColumnSpec> {
    vec![
        name(0),
        ColumnSpec::new("STATUS", 1, 12),
        ColumnSpec::new("PODS", 3, 6),
        ColumnSpec::new("AGE", 2, 8),
        ColumnSpec::new("LABELS", 4, 120).cut_to(20).wide().fill(),
    ]
}

/// The events pane: as `kubectl get events` prints them, the message taking what is left.
fn events(all_namespaces: bool) -> Vec<ColumnSpec> {
    let mut columns = Vec::new();
    if all_namespaces {
        columns.push(namespace());
    }
    columns.extend([
        ColumnSpec::new("LAST SEEN", 1, 9),
        ColumnSpec::new("TYPE", 1, 7),
        ColumnSpec::new("REASON", 0, 40).cut_to(12),
        ColumnSpec::new("OBJECT", 2, 80).cut_to(16).pinned(),
        ColumnSpec::new("COUNT", 5, 5),
        ColumnSpec::new("SOURCE", 6, 40).cut_to(10).wide(),
        ColumnSpec::new("FIRST SEEN", 6, 10).wide(),
        ColumnSpec::new("MESSAGE", 2, 1024).cut_to(16).fill(),
    ]);
    columns
}

fn stream() -> Vec<ColumnSpec> {
    vec![
        ColumnSpec::new("TIME", 1, 8),
        ColumnSpec::new("CHANGE", 2, 8),
        ColumnSpec::new("KIND", 3, 12).cut_to(6),
        ColumnSpec::new("NAME", 0, 2 * NAME_CAP).cut_to(16).pinned(),
        ColumnSpec::new("DETAIL", 0, 1024).cut_to(12).fill(),
    ]
}

/// A printed kind's columns (the API server's Table): the name column first and pinned, the
/// others in the server's order, less important the further right, `-o wide`'s in the wide set.
fn printed<'a>(
    namespaced: bool,
    columns: impl Iterator<Item = (&'a str, bool, bool)>,
) -> Vec<ColumnSpec> {
    let mut specs = Vec::new();
    if namespaced {
        specs.push(namespace());
    }
    for (at, (header, wide, is_name)) in columns.enumerate() {
        let header = header.to_uppercase();
        let priority = if is_name || at == 0 {
            0
        } else {
            (at as u8).saturating_add(3)
        };
        let mut spec = if is_name || at == 0 {
            name(0)
        } else if header == "AGE" {
            ColumnSpec::new("AGE", 2, 8)
        } else {
            ColumnSpec::new(&header, priority, 48).cut_to((header.len() as u16).max(8))
        };
        spec.name = header;
        if wide {
            spec = spec.wide();
        }
        specs.push(spec);
    }
    specs
}

impl App {
    /// The current pane's columns in the order they are drawn: the user's set for its kind
    /// (`views.yaml`), else the pane's own, the wide set included.
    pub fn columns(&self) -> Vec<ColumnSpec> {
        match self
            .pane
            .kind()
            .and_then(|kind| self.views.columns.get(&kind))
        {
            Some(chosen) => self.chosen_columns(chosen),
            None => self.columns_of_pane(),
        }
    }

    /// A user's set: the pane's own columns named by header (all in the usual set now; NAMESPACE
    /// only when all namespaces are shown), the custom ones reading their expressions; the
    /// further right, the less important.
    fn chosen_columns(&self, chosen: &[ViewColumn]) -> Vec<ColumnSpec> {
        let own = self.columns_of_pane();
        chosen
            .iter()
            .enumerate()
            .filter_map(|(at, column)| {
                let priority = (at as u8).saturating_add(1);
                match column {
                    ViewColumn::Known(header) => {
                        let mut spec = own.iter().find(|c| &c.name == header)?.clone();
                        spec.wide = false;
                        if spec.priority > 0 {
                            spec.priority = priority;
                        }
                        Some(spec)
                    }
                    ViewColumn::Custom(custom) => {
                        let mut spec = ColumnSpec::new(&custom.header, priority, 1024)
                            .cut_to((custom.header.len() as u16).max(12));
                        spec.custom = Some(custom.clone());
                        Some(spec)
                    }
                }
            })
            .collect()
    }

    /// The pane's own columns, the wide set included, in the order they are drawn.
    pub fn columns_of_pane(&self) -> Vec<ColumnSpec> {
        let all_namespaces = self.namespace.is_none();
        match self.pane {
            Pane::Pods => pods(all_namespaces, self.metrics.for_pods()),
            Pane::Nodes => nodes(self.metrics.for_nodes()),
            Pane::Namespaces => namespaces(),
            Pane::Events => events(all_namespaces),
            Pane::Stream => stream(),
            Pane::Kind(kind) => printed_kind(kind, all_namespaces),
            Pane::Table(index) => match self.tables.get(index) {
                Some(table) => printed(
                    all_namespaces && table.resource.namespaced,
                    table
                        .columns
                        .iter()
                        .map(|c| (c.name.as_str(), c.priority > 0, c.format == "name")),
                ),
                None => Vec::new(),
            },
        }
    }

    /// Shows or hides the wide set of columns (`ctrl-w`).
    pub fn toggle_wide(&mut self) {
        self.wide = !self.wide;
        self.column_offset = 0;
        self.message = Some(if self.wide {
            "wide columns (as -o wide): left/right scroll when they do not fit".to_string()
        } else {
            "the usual columns: the least important hidden when they do not fit".to_string()
        });
    }

    /// Scrolls the columns sideways by one (left/right), keeping the pinned ones.
    pub fn scroll_columns(&mut self, right: bool) {
        let scrollable = self
            .columns()
            .iter()
            .filter(|c| !c.pinned && (self.wide || !c.wide))
            .count();
        self.column_offset = if right {
            (self.column_offset + 1).min(scrollable.saturating_sub(1))
        } else {
            self.column_offset.saturating_sub(1)
        };
    }
}

fn printed_kind(kind: WatchedKind, all_namespaces: bool) -> Vec<ColumnSpec> {
    let definitions = crate::model::table::columns(kind.kind_name()).unwrap_or_default();
    printed(
        all_namespaces && kind.namespaced(),
        definitions
            .iter()
            .map(|c| (c.name.as_str(), c.priority > 0, c.format == "name")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_follow_k9s_order_and_name_matters_most() {
        let names: Vec<String> = pods(true, true).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names[..15],
            [
                "NAMESPACE",
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "CPU",
                "MEM",
                "%CPU/R",
                "%CPU/L",
                "%MEM/R",
                "%MEM/L",
                "IP",
                "NODE",
                "AGE",
                "QOS"
            ]
        );
        let columns = pods(true, true);
        let most = columns.iter().min_by_key(|c| c.priority).unwrap();
        assert_eq!(most.name, "NAME");
        let least = columns
            .iter()
            .filter(|c| !c.wide)
            .max_by_key(|c| c.priority)
            .unwrap();
        assert!(least.name.starts_with('%'), "{least:?}");
    }

    #[test]
    fn ctrl_w_shows_the_wide_set_and_the_sideways_scroll_stops_at_the_last_column() {
        let mut app = App::new("ctx", None, jiff::Timestamp::UNIX_EPOCH);
        app.scroll_columns(true);
        assert_eq!(app.column_offset, 1);
        app.toggle_wide();
        assert!(app.wide);
        assert_eq!(app.column_offset, 0, "a new set starts at its first column");
        // Pods without metrics, all namespaces: READY STATUS RESTARTS IP NODE AGE QOS
        // NOMINATED NODE READINESS GATES LABELS scroll; NAMESPACE and NAME stay.
        for _ in 0..30 {
            app.scroll_columns(true);
        }
        assert_eq!(app.column_offset, 9);
        app.scroll_columns(false);
        assert_eq!(app.column_offset, 8);
        app.toggle_wide();
        assert!(!app.wide);
        assert_eq!(app.column_offset, 0);
    }

    #[test]
    fn a_printed_kind_pins_its_name_and_puts_wide_columns_in_the_wide_set() {
        let columns = printed_kind(WatchedKind::Deployments, true);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "NAMESPACE",
                "NAME",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "AGE",
                "CONTAINERS",
                "IMAGES",
                "SELECTOR"
            ]
        );
        assert!(columns[1].pinned && columns[0].pinned);
        assert!(columns[6..].iter().all(|c| c.wide));
        assert!(columns[..6].iter().all(|c| !c.wide));
    }
}
