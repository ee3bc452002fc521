//! What a watch of any kind as the API server's Tables tells the explorer: the columns, rows
//! added, changed and deleted, and how the watch stands.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::watched::Key;

/// One column of the server's Table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableColumn {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`.
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// `name` for the object's name column; otherwise mostly empty.
    #[serde(default, deserialize_with = "nullable")]
    pub format: String,
    /// 0 for the columns `kubectl get` shows, higher for those only `-o wide` shows.
    #[serde(default, deserialize_with = "nullable")]
    pub priority: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub description: String,
}

/// What a table watch tells the app. `resource` is the qualified plural (`pods`,
/// `cephclusters.ceph.rook.io`).
#[derive(Debug, Clone, PartialEq)]
pub enum TableMessage {
    /// The columns every row's cells follow, sent with each (re)list and whenever the server
    /// changes them.
    Columns {
        resource: String,
        columns: Vec<TableColumn>,
    },
    /// A (re)list began: the rows up to the next `Synced` replace what the app had.
    Listing { resource: String },
    /// A row added or changed.
    Row {
        resource: String,
        key: Key,
        cells: Vec<Value>,
        created: Option<jiff::Timestamp>,
        /// The object's uid, when the server sent its metadata.
        uid: Option<String>,
        /// The object's labels, when the server sent its metadata (for `-l` filters).
        labels: std::collections::BTreeMap<String, String>,
    },
    /// A row deleted.
    Deleted { resource: String, key: Key },
    /// The list is complete; from now on changes are live.
    Synced { resource: String },
    /// Listing or watching failed; it is retried with backoff. The text is one line.
    Failed {
        resource: String,
        error: String,
        forbidden: bool,
    },
}

/// Reads `null` as the default, as Go's decoder does (a Go server writes an empty slice as
/// `null`).
pub fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
