//! Panes of any other kind (`:cephclusters`, `:ingresses`, ...): the rows and columns the API
//! server prints for it, kept as its table watch delivers them.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use serde_json::Value;

use super::resources::Key;
use super::state::WatchHealth;
use crate::model::resource_info::ResourceInfo;
use crate::model::table_feed::{TableColumn, TableMessage};

/// One row: the server's cells, and when the object was made (so AGE stays current).
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub cells: Vec<Value>,
    pub created: Option<Timestamp>,
    /// The object's uid, when the server sent its metadata (identity for actions).
    pub uid: Option<String>,
    /// The object's labels, when the server sent its metadata.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// One kind shown through the server's Table output.
#[derive(Debug, Clone)]
pub struct ResourceTable {
    pub resource: ResourceInfo,
    pub columns: Vec<TableColumn>,
    pub rows: BTreeMap<Key, TableRow>,
    pub health: WatchHealth,
    /// During a (re)list, the rows it delivered: the others are gone when it completes.
    listed: Option<HashSet<Key>>,
}

impl ResourceTable {
    pub fn new(resource: ResourceInfo) -> Self {
        Self {
            resource,
            columns: Vec::new(),
            rows: BTreeMap::new(),
            health: WatchHealth::Syncing,
            listed: None,
        }
    }

    /// The qualified plural its watch reports under (`cephclusters.ceph.rook.io`).
    pub fn name(&self) -> String {
        self.resource.qualified_plural()
    }

    /// Takes one message of its watch.
    pub fn on_message(&mut self, message: TableMessage, now: Timestamp) {
        match message {
            TableMessage::Columns { columns, .. } => self.columns = columns,
            TableMessage::Listing { .. } => {
                self.listed = Some(HashSet::new());
                if !matches!(self.health, WatchHealth::Stale { .. }) {
                    self.health = WatchHealth::Syncing;
                }
            }
            TableMessage::Row {
                key,
                cells,
                created,
                uid,
                labels,
                ..
            } => {
                if let Some(listed) = &mut self.listed {
                    listed.insert(key.clone());
                }
                self.rows.insert(
                    key,
                    TableRow {
                        cells,
                        created,
                        uid,
                        labels,
                    },
                );
            }
            TableMessage::Deleted { key, .. } => {
                self.rows.remove(&key);
            }
            TableMessage::Synced { .. } => {
                if let Some(listed) = self.listed.take() {
                    self.rows.retain(|key, _| listed.contains(key));
                }
                self.health = WatchHealth::Live;
            }
            TableMessage::Failed {
                error, forbidden, ..
            } => {
                let since = match &self.health {
                    WatchHealth::Stale { since, .. } => *since,
                    _ => now,
                };
                self.health = WatchHealth::Stale {
                    since,
                    error,
                    forbidden,
                };
            }
        }
    }
}

/// A cell as text: strings as they are, numbers and booleans as JSON writes them, nothing for null.
pub fn cell_text(cell: &Value) -> String {
    match cell {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
