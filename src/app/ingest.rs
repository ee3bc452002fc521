//! What the watches say, taken into the state: objects applied and deleted, lists begun and
//! done, failures, and the answers to the app's requests.

use super::resources::Key;
use super::state::{App, WatchHealth};
use super::stream::{Change, StreamLine};
use crate::model::health::Health;
use crate::model::inbox::ClusterMessage;
use crate::model::kind::WatchedKind;
use crate::model::table_feed::TableMessage;
use crate::model::watched::WatchedObject;

impl App {
    /// Applies a message from a watch.
    pub fn on_cluster(&mut self, message: ClusterMessage) {
        self.dirty = true;
        if matches!(
            message,
            ClusterMessage::Applied { .. }
                | ClusterMessage::Deleted { .. }
                | ClusterMessage::Synced { .. }
        ) {
            // Worked out again on the next tick, not on this message's path.
            self.triage.stale = true;
            if let super::state::Mode::Xray(view) = &mut self.mode {
                view.stale = true;
            }
        }
        if let ClusterMessage::Applied { kind, .. } | ClusterMessage::Deleted { kind, .. } =
            &message
            && self.synced.get(kind) == Some(&true)
        {
            self.triage.history.count_event();
        }
        self.note_for_triage(&message);
        match message {
            ClusterMessage::Listing { kind } => {
                // A relist replaces what we had; until it completes the old data stays visible.
                self.synced.insert(kind, false);
                // What the list does not name is dropped once it is in; with nothing held
                // (the first list) there is nothing to drop, and 50,000 keys need not be kept.
                if self.resources.holds_any(kind) {
                    self.listed.insert(kind, Default::default());
                } else {
                    self.listed.remove(&kind);
                }
                if !matches!(self.health.get(&kind), Some(WatchHealth::Stale { .. })) {
                    self.health.insert(kind, WatchHealth::Syncing);
                }
            }
            ClusterMessage::Synced { kind } => {
                if let Some(listed) = self.listed.remove(&kind) {
                    self.resources.keep_only(kind, &listed);
                }
                self.synced.insert(kind, true);
                self.health.insert(kind, WatchHealth::Live);
            }
            ClusterMessage::Failed {
                kind,
                error,
                forbidden,
            } => {
                let since = match self.health.get(&kind) {
                    Some(WatchHealth::Stale { since, .. }) => *since,
                    _ => self.now,
                };
                self.health.insert(
                    kind,
                    WatchHealth::Stale {
                        since,
                        error,
                        forbidden,
                    },
                );
            }
            ClusterMessage::ServerVersion(version) => self.server_version = Some(version),
            ClusterMessage::Metrics(reading) => {
                if let crate::model::metrics::MetricsReading::Nodes(nodes) = reading.as_ref() {
                    self.triage.history.record_usage(nodes, self.now);
                }
                if let Some(replaced) = self.metrics.take(*reading) {
                    self.discarded.push(replaced);
                }
            }
            ClusterMessage::MetricsServed(served) => self.metrics.served = served,
            ClusterMessage::Applied { kind, object } => {
                if let Some(listed) = self.listed.get_mut(&kind) {
                    listed.insert(object.key());
                }
                self.flowing_again(kind);
                self.applied(kind, object)
            }
            ClusterMessage::Deleted { kind, key } => {
                self.flowing_again(kind);
                self.deleted(kind, key)
            }
            // A watch's batch: its messages in order.
            ClusterMessage::Batch(messages) => {
                for message in messages {
                    self.on_cluster(message);
                }
            }
            ClusterMessage::Forward { id, event } => {
                if let Some(line) = self.forwards.report(id, event) {
                    self.message = Some(line);
                }
            }
            ClusterMessage::Fetched {
                target,
                key,
                result,
                events,
            } => self.fetched(target, key, result, events),
            ClusterMessage::Discovered(resources) => self.discovered = resources,
            ClusterMessage::OperationDone(result) => self.operation_done(result),
            ClusterMessage::DrainPlanned(plan) => self.drain_planned(plan),
            ClusterMessage::Drain(progress) => self.drain_progress(*progress),
            ClusterMessage::Logs {
                generation,
                message,
            } => self.log_message(generation, message),
            ClusterMessage::Patch(outcome) => self.patch_outcome(outcome),
            ClusterMessage::Table(message) => {
                let name = match &message {
                    TableMessage::Columns { resource, .. }
                    | TableMessage::Listing { resource }
                    | TableMessage::Row { resource, .. }
                    | TableMessage::Deleted { resource, .. }
                    | TableMessage::Synced { resource }
                    | TableMessage::Failed { resource, .. } => resource.clone(),
                };
                let now = self.now;
                if let Some(table) = self.tables.iter_mut().find(|t| t.name() == name) {
                    table.on_message(message, now);
                }
            }
        }
    }

    /// Events flow: a watch that resumed after failing (from its resource version, without a
    /// new list) is live again, not stale for good.
    fn flowing_again(&mut self, kind: WatchedKind) {
        if self.live(kind) && matches!(self.health.get(&kind), Some(WatchHealth::Stale { .. })) {
            self.health.insert(kind, WatchHealth::Live);
        }
    }

    pub(crate) fn live(&self, kind: WatchedKind) -> bool {
        self.synced.get(&kind).copied().unwrap_or(false)
    }

    pub(crate) fn applied(&mut self, kind: WatchedKind, object: WatchedObject) {
        let now = self.now;
        let live = self.live(kind);
        match object {
            WatchedObject::Pod(pod) => {
                // The key is copied only for a change streamed: while a list is taken in, the
                // pod's own moves into the map.
                let key = live.then(|| (pod.namespace.clone(), pod.name.clone()));
                let before = self.resources.apply_pod(*pod);
                if let Some(key) = key {
                    let entry = &self.resources.pods[&key];
                    let (health, after) = (entry.health, &entry.row);
                    let (change, detail) = match before {
                        None => (Change::Added, after.status.to_string()),
                        Some(before)
                            if before.status != after.status || before.ready != after.ready =>
                        {
                            (
                                Change::Modified,
                                format!(
                                    "{} {} -> {} {}",
                                    before.ready, before.status, after.ready, after.status
                                ),
                            )
                        }
                        Some(before) if before.restart_count != after.restart_count => (
                            Change::Modified,
                            format!(
                                "restarts {} -> {}",
                                before.restart_count, after.restart_count
                            ),
                        ),
                        Some(_) => (Change::Modified, after.status.to_string()),
                    };
                    self.stream.push(StreamLine {
                        at: now,
                        change,
                        kind: "pod",
                        name: format!("{}/{}", key.0, key.1),
                        detail,
                        health,
                        object: WatchedKind::Pods,
                        key,
                        seq: 0,
                    });
                }
            }
            WatchedObject::Node { node, text } => {
                let (key, before, after) = self.resources.apply_node(*node, text, now);
                if live {
                    let health = self.resources.nodes[&key].health;
                    let (change, detail) = match before {
                        None => (Change::Added, after),
                        Some(before) if before != after => {
                            (Change::Modified, format!("{before} -> {after}"))
                        }
                        Some(_) => (Change::Modified, after),
                    };
                    self.stream.push(StreamLine {
                        at: now,
                        change,
                        kind: "node",
                        name: key.1.clone(),
                        detail,
                        health,
                        object: WatchedKind::Nodes,
                        key,
                        seq: 0,
                    });
                }
            }
            WatchedObject::Namespace { namespace, text } => {
                let (key, before, after) = self.resources.apply_namespace(*namespace, text);
                if live {
                    let health = self.resources.namespaces[&key].health;
                    let change = if before.is_none() {
                        Change::Added
                    } else {
                        Change::Modified
                    };
                    let detail = match before {
                        Some(before) if before != after => format!("{before} -> {after}"),
                        _ => after,
                    };
                    self.stream.push(StreamLine {
                        at: now,
                        change,
                        kind: "namespace",
                        name: key.1.clone(),
                        detail,
                        health,
                        object: WatchedKind::Namespaces,
                        key,
                        seq: 0,
                    });
                }
            }
            WatchedObject::Event(event) => {
                self.resources.apply_event(*event);
            }
            WatchedObject::Other(object) => {
                let key = crate::model::watched::key_of(&object);
                let before = self
                    .resources
                    .generic
                    .entry(kind)
                    .or_default()
                    .insert(key.clone(), std::sync::Arc::new(object));
                if live {
                    let change = if before.is_none() {
                        Change::Added
                    } else {
                        Change::Modified
                    };
                    self.stream.push(StreamLine {
                        at: now,
                        change,
                        kind: kind_word(kind),
                        name: format!("{}/{}", key.0, key.1),
                        detail: String::new(),
                        health: Health::Healthy,
                        object: kind,
                        key,
                        seq: 0,
                    });
                }
            }
        }
    }

    pub(crate) fn deleted(&mut self, kind: WatchedKind, key: Key) {
        // The selected object going: note its row first, so its neighbour takes the cursor.
        let selected_goes =
            self.pane.kind() == Some(kind) && self.cursor().key.as_ref() == Some(&key);
        if selected_goes {
            self.settle();
        }
        // A mark of a deleted object has nothing left to name.
        for (pane, marks) in self.marks.iter_mut() {
            if pane.kind() == Some(kind) {
                marks.remove(&key);
            }
        }
        self.remove_deleted(kind, key);
        if selected_goes {
            self.settle();
        }
    }

    pub(crate) fn remove_deleted(&mut self, kind: WatchedKind, key: Key) {
        let (kind_name, name) = match kind {
            WatchedKind::Pods => {
                self.resources.remove_pod(&key);
                ("pod", format!("{}/{}", key.0, key.1))
            }
            WatchedKind::Nodes => {
                self.resources.remove_node(&key);
                ("node", key.1.clone())
            }
            WatchedKind::Namespaces => {
                self.resources.namespaces.remove(&key);
                ("namespace", key.1.clone())
            }
            WatchedKind::Events => {
                self.resources.events.remove(&key);
                return;
            }
            kind => {
                if let Some(objects) = self.resources.generic.get_mut(&kind) {
                    objects.remove(&key);
                }
                (kind_word(kind), format!("{}/{}", key.0, key.1))
            }
        };
        if self.live(kind) {
            self.stream.push(StreamLine {
                at: self.now,
                change: Change::Deleted,
                kind: kind_name,
                name,
                detail: String::new(),
                health: Health::Unknown,
                object: kind,
                key,
                seq: 0,
            });
        }
    }
}

/// The kind as one lowercase word for the stream.
fn kind_word(kind: WatchedKind) -> &'static str {
    kind.info().word
}
