//! The objects the watches have delivered, by kind, with what the tables need precomputed when
//! an object changes (not on every frame). Only the typed objects are kept: the YAML view fetches
//! the full object when it opens.

use std::collections::{BTreeMap, HashSet};

use super::interned::{Interned, LabelSet};
use std::sync::Arc;

use jiff::Timestamp;
use serde_json::Value;

use super::row_texts::{ROWS_WORTH_A_THREAD, RowTexts, cores};
use crate::model::duration::{age_lasts, write_age};
use crate::model::event::Event;
use crate::model::health::{Health, namespace_health, node_health, pod_health};
use crate::model::kind::WatchedKind;
use crate::model::namespace::Namespace;
use crate::model::node::Node;
use crate::model::node_status::node_row;
use crate::model::packed_text::PackedText;
use crate::model::pod::Pod;
use crate::model::pod_row::{PodRow, pod_row};

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
    /// The row's columns but AGE, as the filter reads them, made when the pod changes so a
    /// keystroke at 50,000 pods does not build them again.
    pub search: Box<str>,
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

impl PodCells {
    fn new(row: PodRow, interned: &mut Interned) -> Self {
        PodCells {
            ready: interned.get(&row.columns.ready),
            status: interned.get(&row.columns.status),
            restart_count: row.columns.restart_count,
            last_restart: row.columns.last_restart,
            ip: row.ip.into_boxed_str(),
            node: interned.get(&row.node),
            nominated_node: interned.get(&row.nominated_node),
            readiness_gates: interned.get(&row.readiness_gates),
        }
    }
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

    /// The whole pod, typed.
    pub fn pod(&self) -> Pod {
        crate::model::watched::decode_pod(&self.text.unpack())
    }

    /// The whole pod as JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.text.unpack()).ok()
    }
}

/// A node and what its row shows.
#[derive(Debug, Clone)]
pub struct NodeEntry {
    pub object: Node,
    pub status: String,
    pub roles: String,
    pub health: Health,
    /// The node as compact JSON (for the user's custom columns).
    pub text: Box<str>,
}

/// A namespace and its health.
#[derive(Debug, Clone)]
pub struct NamespaceEntry {
    pub object: Namespace,
    pub health: Health,
    /// The namespace as compact JSON (for the user's custom columns).
    pub text: Box<str>,
}

/// Everything watched.
#[derive(Debug, Default)]
pub struct Resources {
    pub pods: BTreeMap<Key, PodEntry>,
    pub nodes: BTreeMap<Key, NodeEntry>,
    pub namespaces: BTreeMap<Key, NamespaceEntry>,
    pub events: super::event_store::EventStore,
    /// Other kinds, as JSON: their rows are printed from it for the rows on screen.
    pub generic: std::collections::HashMap<WatchedKind, BTreeMap<Key, Value>>,
    interned: Interned,
    /// Counts the changes to `pods`, so the filter's copy of their texts knows it is stale.
    pod_changes: u64,
    search_texts: std::cell::RefCell<SearchTexts>,
}

/// The pods' filter texts in the map's order, in one buffer made again when the pods changed,
/// and the same rows with AGE after them, made from that buffer when the clock moved (ages
/// change with it; copying one buffer is quick where gathering 50,000 strings is not).
#[derive(Debug, Default)]
pub struct SearchTexts {
    /// The `pod_changes` the columns were made at (None: never).
    columns_at: Option<u64>,
    /// Each pod's columns but AGE (`PodEntry::search`).
    columns: RowTexts,
    /// Each pod's creation time, for its AGE.
    created: Vec<Option<Timestamp>>,
    /// What the rows with ages were made from (None: never).
    rows_at: Option<RowsAt>,
    /// Each pod's columns and AGE, as the row shows them.
    rows: RowTexts,
    /// Where the rows are cut in parts of equal size, one per core, to be filtered in parallel:
    /// each part's first row and its key.
    cuts: Vec<(usize, Key)>,
}

/// When the rows with ages were made and how long their texts stay true.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RowsAt {
    /// The `pod_changes` they were made at.
    pod_changes: u64,
    /// The time their ages were read at.
    made: Timestamp,
    /// The first time one of their ages reads differently (None: never).
    until: Option<Timestamp>,
}

impl RowsAt {
    fn holds(&self, pod_changes: u64, now: Timestamp) -> bool {
        self.pod_changes == pod_changes
            && self.made <= now
            && self.until.is_none_or(|until| now < until)
    }
}

impl SearchTexts {
    /// Each pod's columns but AGE; a row starts with the namespace and the name.
    pub fn columns(&self) -> &RowTexts {
        &self.columns
    }

    /// Each pod's columns and AGE (as of the last `Resources::pod_rows_with_ages`).
    pub fn rows(&self) -> &RowTexts {
        &self.rows
    }

    /// Each part's first row (but the first part's) and its key.
    pub fn cuts(&self) -> &[(usize, Key)] {
        &self.cuts
    }

    /// The rows were made at `pod_changes`, with the ages of `now`: until when they hold.
    fn rows_made(&mut self, pod_changes: u64, now: Timestamp) {
        let until = self
            .created
            .iter()
            .filter_map(|created| age_lasts(*created, now))
            .min()
            .map(|lasts| now + lasts);
        self.rows_at = Some(RowsAt {
            pod_changes,
            made: now,
            until,
        });
    }

    /// Moves the rows' ages from `made` to `now` by writing each age that reads differently
    /// over the old one. False when one cannot be (its text changed length: "9m59s" to "10m"):
    /// the rows must then be made again, whatever was written.
    fn age_rows_in_place(&mut self, made: Timestamp, now: Timestamp) -> bool {
        let (mut was, mut age) = (String::new(), String::new());
        for (index, created) in self.created.iter().enumerate() {
            let changed = age_lasts(*created, made).is_some_and(|lasts| made + lasts <= now);
            if !changed {
                continue;
            }
            was.clear();
            write_age(&mut was, *created, made);
            age.clear();
            write_age(&mut age, *created, now);
            if was.len() != age.len() || !self.rows.replace_row_end(index, &was, &age) {
                return false;
            }
        }
        true
    }
}

impl Resources {
    /// The pods' filter texts in the map's order (their columns but AGE), made again first if
    /// the pods changed.
    pub fn pod_search_texts(&self) -> std::cell::Ref<'_, SearchTexts> {
        let stale = self.search_texts.borrow().columns_at != Some(self.pod_changes);
        if stale {
            self.make_search_texts(&mut self.search_texts.borrow_mut(), None);
        }
        self.search_texts.borrow()
    }

    /// Gathers the pods' columns again, and with `ages_at` their rows with AGE in the same pass
    /// (under churn a keystroke makes both again: one pass over the pods, not a second copy).
    fn make_search_texts(&self, search: &mut SearchTexts, ages_at: Option<Timestamp>) {
        search.columns.clear();
        search.created.clear();
        search.cuts.clear();
        search.rows_at = None;
        if ages_at.is_some() {
            search.rows.clear();
        }
        let parts = (self.pods.len() / ROWS_WORTH_A_THREAD).clamp(1, cores());
        let part = self.pods.len().div_ceil(parts);
        for (index, (key, pod)) in self.pods.iter().enumerate() {
            if index > 0 && index % part == 0 {
                search.cuts.push((index, key.clone()));
            }
            search.columns.push_row(|out| out.push_str(&pod.search));
            if let Some(now) = ages_at {
                search.rows.push_row(|out| {
                    out.push_str(&pod.search);
                    out.push(' ');
                    write_age(out, pod.created, now);
                });
            }
            search.created.push(pod.created);
        }
        search.columns_at = Some(self.pod_changes);
        if let Some(now) = ages_at {
            search.rows_made(self.pod_changes, now);
        }
    }

    /// The pods' filter texts with their AGE at `now` (`SearchTexts::rows`), made again only
    /// when the pods changed or one of the ages reads differently: on a cluster of pods days
    /// old, once an hour.
    pub fn pod_rows_with_ages(&self, now: Timestamp) -> std::cell::Ref<'_, SearchTexts> {
        if self.search_texts.borrow().columns_at != Some(self.pod_changes) {
            self.make_search_texts(&mut self.search_texts.borrow_mut(), Some(now));
            return self.search_texts.borrow();
        }
        let holds = self
            .search_texts
            .borrow()
            .rows_at
            .is_some_and(|at| at.holds(self.pod_changes, now));
        if !holds {
            let mut search = self.search_texts.borrow_mut();
            let search = &mut *search;
            // Only the clock moved: the ages that read differently are written over their old
            // texts (at 50,000 pods a copy of every row took a keystroke's budget each second
            // while any pod was under ten minutes old).
            let aged_in_place = search.rows_at.is_some_and(|at| {
                at.pod_changes == self.pod_changes
                    && at.made <= now
                    && search.age_rows_in_place(at.made, now)
            });
            if !aged_in_place {
                let created = &search.created;
                search.rows.copy_rows_adding(&search.columns, |index, out| {
                    out.push(' ');
                    write_age(out, created[index], now);
                });
            }
            search.rows_made(self.pod_changes, now);
        }
        self.search_texts.borrow()
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

    /// Removes a pod.
    pub fn remove_pod(&mut self, key: &Key) {
        self.pods.remove(key);
        self.pod_changes += 1;
    }

    /// Drops the objects of `kind` not in `keys` (what a relist no longer delivered).
    pub fn keep_only(&mut self, kind: WatchedKind, keys: &HashSet<Key>) {
        match kind {
            WatchedKind::Pods => {
                self.pods.retain(|k, _| keys.contains(k));
                self.pod_changes += 1;
            }
            WatchedKind::Nodes => self.nodes.retain(|k, _| keys.contains(k)),
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
    pub fn apply_pod(
        &mut self,
        pod: Pod,
        text: PackedText,
        now: Timestamp,
    ) -> (Key, Option<PodCells>, PodCells) {
        let row = pod_row(&pod, now);
        let health = pod_health(&row.columns);
        let reserved = crate::model::pod_resources::reserved(&pod);
        let oom_killed = pod
            .status
            .container_statuses
            .iter()
            .chain(&pod.status.init_container_statuses)
            .any(|c| {
                c.last_state
                    .terminated
                    .as_ref()
                    .is_some_and(|t| t.reason == "OOMKilled")
            });
        let Pod {
            metadata,
            spec,
            status,
            ..
        } = pod;
        let controller = metadata
            .controller()
            .filter(|owner| !owner.uid.is_empty())
            .map(|owner| self.interned.get(&owner.uid));
        let key = (metadata.namespace, metadata.name);
        let search = {
            let mut search = String::with_capacity(128);
            for column in [&key.0, &key.1, &row.columns.ready, &row.columns.status] {
                search.push_str(column);
                search.push(' ');
            }
            crate::model::duration::push_number(&mut search, row.columns.restart_count);
            for column in [&row.ip, &row.node, &status.qos_class] {
                search.push(' ');
                search.push_str(column);
            }
            search.into_boxed_str()
        };
        self.pod_changes += 1;
        let row = PodCells::new(row, &mut self.interned);
        let previous = self.pods.insert(
            key.clone(),
            PodEntry {
                row: row.clone(),
                health,
                oom_killed,
                node_name: self.interned.get(&spec.node_name),
                controller,
                labels: LabelSet::new(&metadata.labels, &mut self.interned),
                created: metadata.creation_timestamp,
                qos_class: self.interned.get(&status.qos_class),
                reserved,
                selectable: PodSelectable {
                    phase: self.interned.get(&status.phase),
                    restart_policy: self.interned.get(&spec.restart_policy),
                    scheduler_name: self.interned.get(&spec.scheduler_name),
                    service_account_name: self.interned.get(&spec.service_account_name),
                    host_network: spec.host_network,
                },
                text,
                search,
            },
        );
        (key, previous.map(|p| p.row), row)
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
        let previous = self.nodes.insert(
            key.clone(),
            NodeEntry {
                object,
                status: row.status,
                roles: row.roles,
                health,
                text,
            },
        );
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
                object,
                health,
                text,
            },
        );
        (key, previous.map(|n| n.object.status.phase), phase)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, created: &str) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"namespace": "shop", "name": name, "creationTimestamp": created},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx"}]},
            "status": {"phase": "Running"},
        }))
        .expect("a pod")
    }

    /// The rows with ages, however the clock moved them on (in place, or made again), read as
    /// rows made at that time from nothing.
    #[test]
    fn rows_with_ages_moved_on_by_the_clock_read_as_if_made_then() {
        let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let created = [
            "2026-12-03T09:59:58Z",
            "2026-12-03T09:58:01Z",
            "2026-12-03T09:50:30Z",
            "2026-12-03T07:00:00Z",
            "2026-11-20T10:00:00Z",
        ];
        let mut moved = Resources::default();
        for (index, at) in created.iter().enumerate() {
            moved.apply_pod(pod(&format!("p{index}"), at), "{}".into(), start);
        }
        let mut now = start;
        for step in [1, 1, 58, 1, 20, 600, 1, 3600, 86_400] {
            now += jiff::SignedDuration::from_secs(step);
            let rows: Vec<String> = moved
                .pod_rows_with_ages(now)
                .rows()
                .iter()
                .map(str::to_string)
                .collect();
            let lower: Vec<String> = {
                let search = moved.pod_rows_with_ages(now);
                let lower = search.rows().lowercase();
                (0..rows.len()).map(|i| lower.row(i).to_string()).collect()
            };
            let mut fresh = Resources::default();
            for (index, at) in created.iter().enumerate() {
                fresh.apply_pod(pod(&format!("p{index}"), at), "{}".into(), start);
            }
            let search = fresh.pod_rows_with_ages(now);
            let expected: Vec<&str> = search.rows().iter().collect();
            assert_eq!(rows, expected, "after {step} s more");
            let fresh_lower = search.rows().lowercase();
            let expected_lower: Vec<&str> = (0..rows.len()).map(|i| fresh_lower.row(i)).collect();
            assert_eq!(lower, expected_lower, "lowercase after {step} s more");
        }
    }
}
