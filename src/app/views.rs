//! The user's column sets, as k9s's views file and kubectl's `-o custom-columns` have them:
//! `views.yaml` in the config directory (or `$KSCOPE_VIEWS`) names, per kind, the columns its
//! pane shows — a column the pane already has, by its header (`STATUS`), or a header and a
//! JSONPath expression (`TAINTS:.spec.taints`). A bad entry fails at start, naming the file and
//! the entry.
//!
//! ```yaml
//! views:
//!   nodes:
//!     columns: [NAME, STATUS, "TAINTS:.spec.taints", "ZONE:.metadata.labels.topology\.kubernetes\.io/zone"]
//!   pods:
//!     columns: [NAMESPACE, NAME, STATUS, "IMAGE:.spec.containers[*].image", NODE, AGE]
//! ```

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

use crate::model::custom_columns::CustomColumn;
use crate::model::kind::WatchedKind;

/// One column of a user's set.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewColumn {
    /// A column the pane has, by its header.
    Known(String),
    /// A header and a JSONPath expression.
    Custom(CustomColumn),
}

/// The user's column sets, by kind.
#[derive(Debug, Clone, Default)]
pub struct Views {
    pub columns: HashMap<WatchedKind, Vec<ViewColumn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    views: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    columns: Vec<String>,
}

/// The kinds whose panes keep each object's JSON, which a custom column reads.
fn reads_json(kind: WatchedKind) -> bool {
    kind != WatchedKind::Events
}

impl Views {
    /// The user's file, if there is one: `$KSCOPE_VIEWS`, else `views.yaml` in the config
    /// directory.
    pub fn load() -> Result<Self> {
        match super::user_file("KSCOPE_VIEWS", "views.yaml") {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read views {}", path.display()))?;
                Self::parse(&text, &format!("views {}", path.display()))
            }
            None => Ok(Self::default()),
        }
    }

    /// Reads a views file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let file: File = crate::model::yaml::from_str(text).map_err(|e| {
            anyhow!("{source}: expected `views: {{KIND: {{columns: [HEADER or HEADER:JSONPATH, ...]}}}}`: {e}")
        })?;
        let mut views = Views::default();
        for (name, entry) in file.views {
            let kind = WatchedKind::named(&name)
                .ok_or_else(|| anyhow!("{source}: views.{name}: no such kind"))?;
            if !reads_json(kind) {
                bail!("{source}: views.{name}: the events pane takes no custom columns");
            }
            if entry.columns.is_empty() {
                bail!("{source}: views.{name}.columns: no columns");
            }
            let known = known_headers(kind);
            let mut columns = Vec::new();
            for (at, column) in entry.columns.iter().enumerate() {
                let place = format!("{source}: views.{name}.columns[{at}] {column:?}");
                let column = if column.contains(':') {
                    ViewColumn::Custom(
                        CustomColumn::parse(column).map_err(|e| anyhow!("{place}: {e}"))?,
                    )
                } else {
                    let header = column.trim().to_uppercase();
                    if !known.contains(&header) {
                        bail!(
                            "{place}: the {} pane has no such column (it has {}; a custom one is HEADER:JSONPATH)",
                            kind.info().plural,
                            known.join(" ")
                        );
                    }
                    ViewColumn::Known(header)
                };
                columns.push(column);
            }
            views.columns.insert(kind, columns);
        }
        Ok(views)
    }
}

/// The headers of a kind's pane (its wide set and NAMESPACE included).
fn known_headers(kind: WatchedKind) -> Vec<String> {
    let pane = super::state::Pane::of_kind(kind);
    let mut app = super::state::App::new("", None, jiff::Timestamp::UNIX_EPOCH);
    app.pane = pane;
    // Every column it can show: all namespaces and metrics on.
    app.metrics.served = true;
    app.columns_of_pane().into_iter().map(|c| c.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_custom_columns_per_kind() {
        let views = Views::parse(
            "views:\n  nodes:\n    columns: [name, STATUS, 'TAINTS:.spec.taints']\n  deploy:\n    columns: [NAME, 'IMAGES:.spec.template.spec.containers[*].image']\n",
            "views test.yaml",
        )
        .unwrap();
        let nodes = &views.columns[&WatchedKind::Nodes];
        assert_eq!(nodes[0], ViewColumn::Known("NAME".into()));
        assert!(matches!(&nodes[2], ViewColumn::Custom(c) if c.header == "TAINTS"));
        assert_eq!(views.columns[&WatchedKind::Deployments].len(), 2);
    }

    #[test]
    fn a_bad_entry_names_the_file_and_the_entry() {
        let error = |text: &str| {
            Views::parse(text, "views /x/views.yaml")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("views:\n  gizmos:\n    columns: [NAME]\n"),
            "views /x/views.yaml: views.gizmos: no such kind"
        );
        let e = error("views:\n  pods:\n    columns: [NAME, COLOUR]\n");
        assert!(
            e.starts_with("views /x/views.yaml: views.pods.columns[1] \"COLOUR\": the pods pane has no such column"),
            "{e}"
        );
        let e = error("views:\n  nodes:\n    columns: ['T:.spec[']\n");
        assert!(
            e.contains("views.nodes.columns[0]") && e.contains("not a JSONPath"),
            "{e}"
        );
        let e = error("views:\n  nodes:\n    colums: [NAME]\n");
        assert!(e.starts_with("views /x/views.yaml: expected"), "{e}");
        let e = error("views:\n  events:\n    columns: [REASON]\n");
        assert!(e.contains("takes no custom columns"), "{e}");
    }
}
