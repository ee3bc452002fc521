//! The objects the watches have delivered, by kind, with what the tables need precomputed when
//! an object changes (not on every frame).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::event::Event;
use crate::model::health::{Health, namespace_health, node_health, pod_health};
use crate::model::namespace::Namespace;
use crate::model::node::Node;
use crate::model::node_status::node_row;
use crate::model::pod::Pod;
use crate::model::pod_row::{PodRow, pod_row};

/// (namespace, name).
pub type Key = (String, String);

/// One object: its raw JSON (for the YAML view) and its typed reading. The raw object is kept
/// as compact JSON text: a few kilobytes a pod instead of the tens a parsed value costs.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub raw: Box<str>,
    pub object: T,
}

impl<T> Entry<T> {
    fn new(raw: &Value, object: T) -> Self {
        Self {
            raw: raw.to_string().into_boxed_str(),
            object,
        }
    }

    /// The raw object, parsed again.
    pub fn raw_value(&self) -> Value {
        serde_json::from_str(&self.raw).unwrap_or(Value::Null)
    }
}

/// A pod and its row.
#[derive(Debug, Clone)]
pub struct PodEntry {
    pub entry: Entry<Pod>,
    pub row: PodRow,
    pub health: Health,
}

/// A node and what its row shows.
#[derive(Debug, Clone)]
pub struct NodeEntry {
    pub entry: Entry<Node>,
    pub status: String,
    pub roles: String,
    pub health: Health,
}

/// A namespace and its health.
#[derive(Debug, Clone)]
pub struct NamespaceEntry {
    pub entry: Entry<Namespace>,
    pub health: Health,
}

/// Everything watched.
#[derive(Debug, Default)]
pub struct Resources {
    pub pods: BTreeMap<Key, PodEntry>,
    pub nodes: BTreeMap<Key, NodeEntry>,
    pub namespaces: BTreeMap<Key, NamespaceEntry>,
    pub events: BTreeMap<Key, Entry<Event>>,
    /// Other kinds, raw: their rows are printed from the raw object for the rows on screen.
    pub generic:
        std::collections::HashMap<crate::cluster::watch::WatchedKind, BTreeMap<Key, Value>>,
}

/// (namespace, name) of a raw object.
pub fn key_of(raw: &Value) -> Key {
    let text = |f: &str| {
        raw.pointer(&format!("/metadata/{f}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (text("namespace"), text("name"))
}

fn typed<T: DeserializeOwned + Default>(raw: &Value) -> T {
    // The API server only sends valid objects; a field we cannot read is left at its default.
    crate::model::manifest::typed_value(raw).unwrap_or_default()
}

impl Resources {
    /// Stores a pod, returning its previous row (for the watch stream).
    pub fn apply_pod(&mut self, raw: Value, now: Timestamp) -> (Key, Option<PodRow>, PodRow) {
        let key = key_of(&raw);
        let object: Pod = typed(&raw);
        let row = pod_row(&object, now);
        let health = pod_health(&row.columns);
        let previous = self.pods.insert(
            key.clone(),
            PodEntry {
                entry: Entry::new(&raw, object),
                row: row.clone(),
                health,
            },
        );
        (key, previous.map(|p| p.row), row)
    }

    /// Stores a node, returning its previous and new STATUS.
    pub fn apply_node(&mut self, raw: Value, now: Timestamp) -> (Key, Option<String>, String) {
        let key = key_of(&raw);
        let object: Node = typed(&raw);
        let row = node_row(&object, now, &mut ());
        let health = node_health(&row.status);
        let status = row.status.clone();
        let previous = self.nodes.insert(
            key.clone(),
            NodeEntry {
                entry: Entry::new(&raw, object),
                status: row.status,
                roles: row.roles,
                health,
            },
        );
        (key, previous.map(|n| n.status), status)
    }

    /// Stores a namespace, returning its previous and new phase.
    pub fn apply_namespace(&mut self, raw: Value) -> (Key, Option<String>, String) {
        let key = key_of(&raw);
        let object: Namespace = typed(&raw);
        let health = namespace_health(&object.status.phase);
        let phase = object.status.phase.clone();
        let previous = self.namespaces.insert(
            key.clone(),
            NamespaceEntry {
                entry: Entry::new(&raw, object),
                health,
            },
        );
        (key, previous.map(|n| n.entry.object.status.phase), phase)
    }

    /// Stores an event.
    pub fn apply_event(&mut self, raw: Value) -> Key {
        let key = key_of(&raw);
        let object: Event = typed(&raw);
        self.events.insert(key.clone(), Entry::new(&raw, object));
        key
    }
}
