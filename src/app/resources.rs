//! The objects the watches have delivered, by kind, with what the tables need precomputed when
//! an object changes (not on every frame): a pod as its row's cells and fields, worked out where
//! the watch decoded it (`model::watched_pod`), and its text packed.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashSet};

use super::interned::{Interned, LabelSet};
use std::sync::Arc;

use jiff::Timestamp;
use serde_json::Value;

pub use super::pod_search::SearchTexts;
use crate::model::event::Event;
use crate::model::health::{Health, namespace_health, node_health};
use crate::model::kind::WatchedKind;
use crate::model::namespace::Namespace;
use crate::model::node::Node;
use crate::model::node_status::node_row;
use crate::model::packed_text::PackedText;
use crate::model::pod::Pod;
use crate::model::watched_pod::WatchedPod;

pub use crate::model::watched::Key;

/// A pod: its row, the few fields the panes filter and sort by, and the whole pod as packed
/// JSON text, read again when it is explained or described (a sixteenth of the typed form's
/// size, which matters at tens of thousands of pods). The texts many pods repeat are shared
/// (`Interned`).
#[derive(Debug, Clone)]
pub struct PodEntry {
    pub row: PodCells,
    pub health: Health,
    /// A container's last run ended OOMKilled (triage reads such a pod even once it runs).
    pub oom_killed: bool,
    pub node_name: Arc<str>,
    /// The uid of its controller (a ReplicaSet, StatefulSet, DaemonSet or Job), shared by the
    /// pods it owns: the owner tree links by it.
    pub controller: Option<Arc<str>>,
    pub labels: LabelSet,
    pub created: Option<Timestamp>,
    pub qos_class: Arc<str>,
    /// Its CPU and memory requests and limits (for the usage as percentages of them).
    pub reserved: crate::model::pod_resources::Reserved,
    /// The fields the API server lets a pod field selector (`-f`) read, besides name,
    /// namespace, node, IP and nominated node (which the row and key hold).
    pub selectable: PodSelectable,
    /// The whole pod as JSON, packed (see `model::packed_text`).
    pub text: PackedText,
}

/// What a pod's row shows (`model::pod_row`'s `get pods -o wide` row, less what the key and
/// `created` give), each text but the IP shared with the pods that show the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodCells {
    /// READY, `ready/total`.
    pub ready: Arc<str>,
    pub status: Arc<str>,
    pub restart_count: i64,
    /// The latest termination among the containers whose restarts are counted.
    pub last_restart: Option<Timestamp>,
    pub ip: Box<str>,
    pub node: Arc<str>,
    pub nominated_node: Arc<str>,
    pub readiness_gates: Arc<str>,
}

/// A pod's fields for field selectors that the row does not hold. The same few values repeat
/// across thousands of pods, so each is shared (see `Interned`).
#[derive(Debug, Clone, Default)]
pub struct PodSelectable {
    pub phase: Arc<str>,
    pub restart_policy: Arc<str>,
    pub scheduler_name: Arc<str>,
    pub service_account_name: Arc<str>,
    pub host_network: bool,
}

impl PodEntry {
    /// The value of a field a pod field selector may name, as the API server's
    /// `PodToSelectableFields` gives it; `None` for a field the server refuses.
    pub fn selectable_field(&self, key: &Key, field: &str) -> Option<String> {
        let none_is_empty = |text: &str| {
            if text == "<none>" {
                String::new()
            } else {
                text.to_string()
            }
        };
        Some(match field {
            "metadata.name" => key.1.clone(),
            "metadata.namespace" => key.0.clone(),
            "spec.nodeName" => self.node_name.to_string(),
            "spec.restartPolicy" => self.selectable.restart_policy.to_string(),
            "spec.schedulerName" => self.selectable.scheduler_name.to_string(),
            "spec.serviceAccountName" => self.selectable.service_account_name.to_string(),
            "spec.hostNetwork" => self.selectable.host_network.to_string(),
            "status.phase" => self.selectable.phase.to_string(),
            "status.podIP" => none_is_empty(&self.row.ip),
            "status.nominatedNodeName" => none_is_empty(&self.row.nominated_node),
            _ => return None,
        })
    }

    /// The row's columns but AGE as the filter reads them (namespace, name, READY, STATUS,
    /// RESTARTS, IP, NODE, QoS class), written at the end of `out`. Written only while a filter
    /// reads them (`SearchTexts`), not kept with each pod.
    pub fn write_search(&self, key: &Key, out: &mut String) {
        for column in [&*key.0, &*key.1, &*self.row.ready, &*self.row.status] {
            out.push_str(column);
            out.push(' ');
        }
        crate::model::duration::push_number(out, self.row.restart_count);
        for column in [&*self.row.ip, &*self.row.node, &*self.qos_class] {
            out.push(' ');
            out.push_str(column);
        }
    }

    /// The whole pod, typed.
    pub fn pod(&self) -> Pod {
        crate::model::watched::unpack_pod(&self.text)
    }

    /// The whole pod as JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.text.unpack()).ok()
    }
}

/// A node and what its row shows.
#[derive(Debug, Clone)]
pub struct NodeEntry {
    /// Shared with triage's worker.
    pub object: Arc<Node>,
    pub status: String,
    pub roles: String,
    pub health: Health,
    /// The node as compact JSON (for the user's custom columns).
    pub text: Box<str>,
}

impl NodeEntry {
    /// Not Ready (NotReady, or its readiness unknown): its pods are triage's to read.
    pub fn down(&self) -> bool {
        !matches!(self.health, Health::Healthy | Health::Progressing)
    }
}

/// A namespace and its health.
#[derive(Debug, Clone)]
pub struct NamespaceEntry {
    /// Shared with triage's worker.
    pub object: Arc<Namespace>,
    pub health: Health,
    /// The namespace as compact JSON (for the user's custom columns).
    pub text: Box<str>,
}

/// A pod triage may read (not healthy and not done, OOMKilled once, or on a node that is not
/// Ready): what its plan looks at, shared with the pod's entry (`Resources::maybe_down`).
#[derive(Debug, Clone)]
pub struct MaybeDown {
    pub health: Health,
    pub oom_killed: bool,
    pub last_restart: Option<Timestamp>,
    pub node_name: Arc<str>,
    pub text: PackedText,
}

impl MaybeDown {
    fn of(entry: &PodEntry, down_nodes: &HashSet<Arc<str>>) -> Option<Self> {
        (!matches!(entry.health, Health::Healthy | Health::Done)
            || entry.oom_killed
            || down_nodes.contains(&entry.node_name))
        .then(|| MaybeDown {
            health: entry.health,
            oom_killed: entry.oom_killed,
            last_restart: entry.row.last_restart,
            node_name: entry.node_name.clone(),
            text: entry.text.clone(),
        })
    }
}

/// The pods by key, each entry boxed: the map's nodes hold a slot for 11 entries and are two
/// thirds full on average, so an entry inline (360 bytes) left a third of 18 MB empty at
/// 51,539 pods.
pub type PodMap = BTreeMap<Key, Box<PodEntry>>;

/// Everything watched.
#[derive(Debug, Default)]
pub struct Resources {
    pub pods: PodMap,
    pub nodes: BTreeMap<Key, NodeEntry>,
    pub namespaces: BTreeMap<Key, NamespaceEntry>,
    pub events: super::event_store::EventStore,
    /// Other kinds, as JSON: their rows are printed from it for the rows on screen. Each
    /// object shared with triage's worker.
    pub generic: std::collections::HashMap<WatchedKind, BTreeMap<Key, Arc<Value>>>,
    interned: Interned,
    tally: PodTally,
    /// Counts the changes to `pods`, so the filter's copy of their texts knows it is stale.
    pod_changes: u64,
    search_texts: std::cell::RefCell<SearchTexts>,
}

impl Resources {
    /// The pods' filter texts with their AGE at `now` (`SearchTexts::rows`), brought current
    /// first if the pods changed or an age reads differently.
    pub fn pod_rows_with_ages(&self, now: Timestamp) -> std::cell::Ref<'_, SearchTexts> {
        self.search_texts
            .borrow_mut()
            .bring_current(&self.pods, self.pod_changes, now);
        self.search_texts.borrow()
    }

    /// Gathers up to `rows` more of the pods' filter texts, or brings them current once whole
    /// (`SearchTexts::make_some`). True when they are made.
    pub fn ready_pod_rows(&self, now: Timestamp, rows: usize) -> bool {
        self.search_texts
            .borrow_mut()
            .make_some(&self.pods, self.pod_changes, now, rows)
    }

    /// How many times the pods' filter texts were gathered whole on a read.
    #[cfg(test)]
    pub(super) fn pod_rows_gathered(&self) -> usize {
        self.search_texts.borrow().gathered
    }

    /// Whether the pods' filter texts are made (a filter opens on them without gathering).
    pub fn pod_rows_made(&self) -> bool {
        self.search_texts.borrow().made()
    }

    /// Whether any object of `kind` is held.
    pub fn holds_any(&self, kind: WatchedKind) -> bool {
        match kind {
            WatchedKind::Pods => !self.pods.is_empty(),
            WatchedKind::Nodes => !self.nodes.is_empty(),
            WatchedKind::Namespaces => !self.namespaces.is_empty(),
            WatchedKind::Events => !self.events.is_empty(),
            other => self.generic.get(&other).is_some_and(|o| !o.is_empty()),
        }
    }

    /// The pods triage may read, in the pods' order.
    pub fn maybe_down(&self) -> &BTreeMap<Arc<Key>, MaybeDown> {
        &self.tally.maybe_down
    }

    /// The names of the nodes held that are not Ready (`NodeEntry::down`).
    pub fn down_nodes(&self) -> &HashSet<Arc<str>> {
        &self.tally.down_nodes
    }

    /// How many pods have `health`.
    pub fn pods_with_health(&self, health: Health) -> usize {
        self.tally.by_health[health_index(health)]
    }

    /// Removes a pod.
    pub fn remove_pod(&mut self, key: &Key) {
        if let Some(before) = self.pods.remove(key) {
            self.tally.changed(key, Some(&before), None);
        }
        self.pod_changes += 1;
        self.search_texts.get_mut().note_changed(key);
    }

    /// Drops the objects of `kind` not in `keys` (what a relist no longer delivered).
    pub fn keep_only(&mut self, kind: WatchedKind, keys: &HashSet<Key>) {
        match kind {
            WatchedKind::Pods => {
                self.pods.retain(|k, _| keys.contains(k));
                self.tally.maybe_down.retain(|k, _| keys.contains(&**k));
                self.tally.by_health = [0; 5];
                for pod in self.pods.values() {
                    self.tally.by_health[health_index(pod.health)] += 1;
                }
                self.pod_changes += 1;
                self.search_texts.get_mut().forget_changes();
            }
            WatchedKind::Nodes => {
                self.nodes.retain(|k, _| keys.contains(k));
                self.nodes_changed();
            }
            WatchedKind::Namespaces => self.namespaces.retain(|k, _| keys.contains(k)),
            WatchedKind::Events => self.events.keep_only(keys),
            kind => {
                if let Some(objects) = self.generic.get_mut(&kind) {
                    objects.retain(|k, _| keys.contains(k));
                }
            }
        }
    }

    /// Stores a pod, returning its previous row (for the watch stream).
    pub fn apply_pod(&mut self, pod: WatchedPod) -> Option<PodCells> {
        let interned = &mut self.interned;
        let row = PodCells {
            ready: interned.get(&pod.ready),
            status: interned.get(&pod.status),
            restart_count: pod.restart_count,
            last_restart: pod.last_restart,
            ip: pod.ip.into_boxed_str(),
            node: interned.get(&pod.node),
            nominated_node: interned.get(&pod.nominated_node),
            readiness_gates: interned.get(&pod.readiness_gates),
        };
        let key = (pod.namespace, pod.name);
        self.pod_changes += 1;
        self.search_texts.get_mut().note_changed(&key);
        let entry = PodEntry {
            row,
            health: pod.health,
            oom_killed: pod.oom_killed,
            node_name: interned.get(&pod.node_name),
            controller: pod.controller_uid.map(|uid| interned.get(&uid)),
            labels: LabelSet::new(&pod.labels, interned),
            created: pod.created,
            qos_class: interned.get(&pod.qos_class),
            reserved: pod.reserved,
            selectable: PodSelectable {
                phase: interned.get(&pod.phase),
                restart_policy: interned.get(&pod.restart_policy),
                scheduler_name: interned.get(&pod.scheduler_name),
                service_account_name: interned.get(&pod.service_account_name),
                host_network: pod.host_network,
            },
            text: pod.text,
        };
        // One search of the map, not one to read the pod it replaces and one to store it: while
        // a list of 51,539 pods is taken in, each comparing keys down a tree that deep.
        match self.pods.entry(key) {
            Entry::Occupied(mut stored) => {
                self.tally
                    .changed(stored.key(), Some(stored.get()), Some(&entry));
                let previous = std::mem::replace(stored.get_mut(), Box::new(entry));
                Some(previous.row)
            }
            Entry::Vacant(place) => {
                self.tally.changed(place.key(), None, Some(&entry));
                place.insert(Box::new(entry));
                None
            }
        }
    }

    /// Stores a node, returning its previous and new STATUS.
    pub fn apply_node(
        &mut self,
        object: Node,
        text: Box<str>,
        now: Timestamp,
    ) -> (Key, Option<String>, String) {
        let key = (String::new(), object.metadata.name.clone());
        let row = node_row(&object, now, &mut ());
        let health = node_health(&row.status);
        let status = row.status.clone();
        let was_down = self.node_down(&key.1);
        let previous = self.nodes.insert(
            key.clone(),
            NodeEntry {
                object: Arc::new(object),
                status: row.status,
                roles: row.roles,
                health,
                text,
            },
        );
        if was_down != self.node_down(&key.1) {
            self.nodes_changed();
        }
        (key, previous.map(|n| n.status), status)
    }

    /// Stores a namespace, returning its previous and new phase.
    pub fn apply_namespace(
        &mut self,
        object: Namespace,
        text: Box<str>,
    ) -> (Key, Option<String>, String) {
        let key = (String::new(), object.metadata.name.clone());
        let health = namespace_health(&object.status.phase);
        let phase = object.status.phase.clone();
        let previous = self.namespaces.insert(
            key.clone(),
            NamespaceEntry {
                object: Arc::new(object),
                health,
                text,
            },
        );
        (key, previous.map(|n| n.object.status.phase.clone()), phase)
    }

    /// Stores an event (letting the oldest go beyond what is kept: `EventStore`).
    pub fn apply_event(&mut self, event: Event) -> Key {
        let key = (
            event.metadata.namespace.clone(),
            event.metadata.name.clone(),
        );
        self.events.insert(key.clone(), event);
        key
    }
}

/// What is kept of the pods as they (and their nodes) change, so it is not found by a pass
/// over them all: the pods triage may read (at 51,539 pods the pass took 3 to 7 ms of the
/// loop each second), and how many pods have each health, for the pulse.
#[derive(Debug, Default)]
struct PodTally {
    /// Each key shared with the jobs of triage's worker.
    maybe_down: BTreeMap<Arc<Key>, MaybeDown>,
    /// By `health_index`.
    by_health: [usize; 5],
    /// The nodes held that are not Ready.
    down_nodes: HashSet<Arc<str>>,
}

impl PodTally {
    /// Pod `key` went from `before` to `after` (None: not held).
    fn changed(&mut self, key: &Key, before: Option<&PodEntry>, after: Option<&PodEntry>) {
        if let Some(before) = before {
            self.by_health[health_index(before.health)] -= 1;
        }
        if let Some(after) = after {
            self.by_health[health_index(after.health)] += 1;
        }
        self.place(key, after);
    }

    /// In `maybe_down` or not, as `pod` is now.
    fn place(&mut self, key: &Key, pod: Option<&PodEntry>) {
        match pod.and_then(|pod| MaybeDown::of(pod, &self.down_nodes)) {
            Some(maybe) => match self.maybe_down.get_mut(key) {
                Some(kept) => *kept = maybe,
                None => {
                    self.maybe_down.insert(Arc::new(key.clone()), maybe);
                }
            },
            None => {
                self.maybe_down.remove(key);
            }
        }
    }
}

impl Resources {
    /// Whether `name`'s node, held, is not Ready.
    fn node_down(&self, name: &str) -> bool {
        self.nodes
            .get(&(String::new(), name.to_string()))
            .is_some_and(NodeEntry::down)
    }

    /// The nodes not Ready may have changed: the pods on those that did are placed again
    /// (a pass over the pods, as seldom as nodes come and go or change their readiness).
    fn nodes_changed(&mut self) {
        let down: HashSet<Arc<str>> = self
            .nodes
            .iter()
            .filter(|(_, node)| node.down())
            .map(|((_, name), _)| Arc::from(name.as_str()))
            .collect();
        if down == self.tally.down_nodes {
            return;
        }
        let moved: HashSet<Arc<str>> = down
            .symmetric_difference(&self.tally.down_nodes)
            .cloned()
            .collect();
        self.tally.down_nodes = down;
        for (key, pod) in &self.pods {
            if moved.contains(&pod.node_name) {
                self.tally.place(key, Some(pod));
            }
        }
    }

    /// Removes a node.
    pub fn remove_node(&mut self, key: &Key) {
        let was_down = self.node_down(&key.1);
        self.nodes.remove(key);
        if was_down {
            self.nodes_changed();
        }
    }
}

/// Where a health is counted in `PodTally::by_health`.
fn health_index(health: Health) -> usize {
    match health {
        Health::Healthy => 0,
        Health::Progressing => 1,
        Health::Done => 2,
        Health::Failing => 3,
        Health::Unknown => 4,
    }
}
