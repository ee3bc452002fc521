//! The rows each pane shows, in order: the scope, the drill-down, the filter and the sort
//! applied to what the watches hold.

use jiff::Timestamp;

use std::ops::Bound;

use super::filter::Filter;
use super::resources::{Key, PodEntry, PodMap};
use super::row_text::{
    EventText, NamespaceText, NodeText, ObjectText, PodText, StreamText, TableText,
};
use super::state::{App, Drill, Pane, SortColumn};
use super::stream::StreamLine;
use crate::model::kind::{Target, WatchedKind};
use crate::model::selector::{LabelSelector, LabelSelectorSpec};
use crate::model::spread::claim_parts;

/// Which pods the pane's namespace and drill-down keep.
struct PodScope<'a> {
    namespace: Option<&'a str>,
    drill: Option<&'a Drill>,
    /// The selector of the workload drilled into.
    workload: Option<LabelSelector>,
}

impl<'a> PodScope<'a> {
    fn of(app: &'a App) -> Self {
        let workload = match &app.drill {
            Some(Drill::Workload { selector, .. }) => Some(
                serde_json::from_str::<LabelSelectorSpec>(selector)
                    .ok()
                    .and_then(|spec| LabelSelector::from_spec(&spec).ok())
                    .unwrap_or_else(LabelSelector::nothing),
            ),
            _ => None,
        };
        Self {
            namespace: app.namespace.as_deref(),
            drill: app.drill.as_ref(),
            workload,
        }
    }

    fn keeps(&self, key: &Key, pod: &PodEntry) -> bool {
        let pod_namespace = &key.0;
        if self.namespace.is_some_and(|n| n != pod_namespace) {
            return false;
        }
        match self.drill {
            Some(Drill::Node(node)) => *pod.node_name == **node,
            Some(Drill::Owned { .. }) => false,
            Some(Drill::Members { keys, .. }) => keys.contains(key),
            Some(Drill::Workload { namespace, .. }) => {
                pod_namespace == namespace
                    && self
                        .workload
                        .as_ref()
                        .is_some_and(|s| s.matches(&pod.labels))
            }
            None => true,
        }
    }
}

impl App {
    /// Keys of the objects of a workload kind shown, in order.
    pub fn visible_objects(&self, kind: WatchedKind) -> Vec<&Key> {
        let Some(objects) = self.resources.generic.get(&kind) else {
            return Vec::new();
        };
        let rows = objects
            .iter()
            .filter(|((namespace, _), _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
            .filter(|((namespace, _), object)| match &self.drill {
                Some(Drill::Owned {
                    namespace: owner_namespace,
                    uid,
                    ..
                }) => namespace == owner_namespace && owned_by(object, uid),
                _ => true,
            })
            .map(|(key, object)| {
                let text = ObjectText {
                    kind,
                    key,
                    object,
                    now: self.now,
                };
                (key, text)
            });
        let mut keys = self.filter.select(rows, kind.info().field_selectors);
        if self.filter.ranks() {
            return keys;
        }
        let created = |k: &Key| {
            objects[k]
                .pointer("/metadata/creationTimestamp")
                .and_then(serde_json::Value::as_str)
                .and_then(|t| t.parse::<Timestamp>().ok())
        };
        // STATUS of a workload: its ready count as the table prints it first.
        let status = |k: &Key| {
            crate::model::table::cells(kind.kind_name(), &objects[k], self.now)
                .and_then(|cells| cells.get(1).map(ToString::to_string))
                .unwrap_or_default()
        };
        self.sort_by(Pane::Kind(kind), &mut keys, created, status);
        keys
    }

    /// Keys of the pods shown, in order.
    pub fn visible_pods(&self) -> Vec<&Key> {
        let scope = PodScope::of(self);
        let pods = &self.resources.pods;
        if !self.filter.reads_row_text() {
            let rows = pods
                .iter()
                .filter(|(key, pod)| scope.keeps(key, pod))
                .map(|(key, pod)| {
                    (
                        key,
                        PodText {
                            key,
                            pod,
                            search: "",
                        },
                    )
                });
            let mut keys = self
                .filter
                .select(rows, WatchedKind::Pods.info().field_selectors);
            self.sort_pods(&mut keys);
            return keys;
        }
        // The row texts laid end to end: a regex searches them all at once, fuzzy scores the
        // names read there, on every core.
        if self.filter.scans() {
            let search = self.resources.pod_rows_with_ages(self.now);
            let kept = self.filter.scan(search.rows()).unwrap_or_default();
            let mut keys: Vec<&Key> = Vec::new();
            search.kept(pods, &kept, |key, pod| {
                if scope.keeps(key, pod) {
                    keys.push(key);
                }
            });
            self.sort_pods(&mut keys);
            return keys;
        }
        let search = self.resources.pod_rows_with_ages(self.now);
        let texts = search.rows();
        let filter = &self.filter;
        let score = |from: Bound<&Key>, to: Bound<&Key>, first: usize| {
            let rows = pods
                .range::<Key, _>((from, to))
                .enumerate()
                .filter(|(_, (key, pod))| scope.keeps(key, pod))
                .map(|(index, (key, pod))| {
                    let search = texts.rows().row(first + index);
                    (key, PodText { key, pod, search })
                });
            filter.scores(rows)
        };
        // The map cut where the texts were cut, each part scored by the core that claims it.
        let mut parts = Vec::new();
        let (mut from, mut first) = (Bound::Unbounded, 0);
        for (index, key) in search.cuts() {
            parts.push((from, Bound::Excluded(key), first));
            (from, first) = (Bound::Included(key), *index);
        }
        parts.push((from, Bound::Unbounded, first));
        let scored = claim_parts(parts.len(), |number| {
            let (from, to, first) = parts[number];
            score(from, to, first)
        });
        Filter::best_first(scored.concat())
    }

    /// Orders pods by the chosen column (the default, namespace then name, is the map's order).
    pub(crate) fn sort_pods<'a>(&'a self, keys: &mut [&'a Key]) {
        let Some(&(column, descending)) = self.sort.get(&Pane::Pods) else {
            return;
        };
        let pods = &self.resources.pods;
        let usage = |k: &Key| self.metrics.pod(k).unwrap_or_default();
        match column {
            SortColumn::Name => keys.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
            // Newest first reads as "age ascending", as kubectl users expect of AGE.
            SortColumn::Age => sort_pods_by(pods, keys, |pod| std::cmp::Reverse(pod.created)),
            SortColumn::Status => sort_pods_by(pods, keys, |pod| &pod.row.status),
            SortColumn::Restarts => {
                sort_pods_by(pods, keys, |pod| std::cmp::Reverse(pod.row.restart_count))
            }
            // Read from the metrics reading by key, not from the pods: each key's value once.
            SortColumn::Cpu => keys.sort_by_cached_key(|k| std::cmp::Reverse(usage(k).cpu_millis)),
            SortColumn::Memory => {
                keys.sort_by_cached_key(|k| std::cmp::Reverse(usage(k).memory_bytes))
            }
        }
        if descending {
            keys.reverse();
        }
    }

    /// Keys of the nodes shown.
    pub fn visible_nodes(&self) -> Vec<&Key> {
        let rows = self.resources.nodes.iter().map(|(key, node)| {
            let text = NodeText {
                key,
                node,
                now: self.now,
            };
            (key, text)
        });
        let mut keys = self
            .filter
            .select(rows, WatchedKind::Nodes.info().field_selectors);
        if self.filter.ranks() {
            return keys;
        }
        if let Some(&(column, descending)) = self.sort.get(&Pane::Nodes) {
            let nodes = &self.resources.nodes;
            let usage = |k: &Key| self.metrics.node(&k.1).unwrap_or_default();
            match column {
                SortColumn::Name => {}
                // Each key's value read once, not at each comparison.
                SortColumn::Age => keys.sort_by_cached_key(|k| {
                    std::cmp::Reverse(nodes[*k].object.metadata.creation_timestamp)
                }),
                SortColumn::Status => keys.sort_by_cached_key(|k| &nodes[*k].status),
                SortColumn::Cpu => {
                    keys.sort_by_cached_key(|k| std::cmp::Reverse(usage(k).cpu_millis))
                }
                SortColumn::Memory => {
                    keys.sort_by_cached_key(|k| std::cmp::Reverse(usage(k).memory_bytes))
                }
                SortColumn::Restarts => {}
            }
            if descending {
                keys.reverse();
            }
        }
        keys
    }

    /// Whether the current pane can be sorted by `column`.
    pub(crate) fn sortable(&self, column: SortColumn) -> bool {
        match self.pane {
            Pane::Pods => true,
            Pane::Nodes => column != SortColumn::Restarts,
            Pane::Namespaces | Pane::Events | Pane::Kind(_) | Pane::Table(_) => {
                matches!(
                    column,
                    SortColumn::Name | SortColumn::Age | SortColumn::Status
                )
            }
            Pane::Stream => false,
        }
    }

    /// Orders keys of a pane by name, age (newest first) or status, as chosen.
    pub(crate) fn sort_by<T: Ord>(
        &self,
        pane: Pane,
        keys: &mut [&Key],
        created: impl Fn(&Key) -> Option<Timestamp>,
        status: impl Fn(&Key) -> T,
    ) {
        let Some(&(column, descending)) = self.sort.get(&pane) else {
            return;
        };
        match column {
            SortColumn::Name => keys.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
            // Each key's value read once, not at each comparison (a lookup in the pane's map).
            SortColumn::Age => keys.sort_by_cached_key(|k| std::cmp::Reverse(created(k))),
            SortColumn::Status => keys.sort_by_cached_key(|k| status(k)),
            _ => {}
        }
        if descending {
            keys.reverse();
        }
    }

    /// Keys of the namespaces shown.
    pub fn visible_namespaces(&self) -> Vec<&Key> {
        let rows = self.resources.namespaces.iter().map(|(key, namespace)| {
            let text = NamespaceText {
                key,
                namespace,
                now: self.now,
            };
            (key, text)
        });
        let mut keys = self
            .filter
            .select(rows, WatchedKind::Namespaces.info().field_selectors);
        if self.filter.ranks() {
            return keys;
        }
        let namespaces = &self.resources.namespaces;
        self.sort_by(
            Pane::Namespaces,
            &mut keys,
            |k| namespaces[k].object.metadata.creation_timestamp,
            |k| namespaces[k].object.status.phase.clone(),
        );
        keys
    }

    /// Keys of the events shown, newest first.
    pub fn visible_events(&self) -> Vec<&Key> {
        let rows = self
            .resources
            .events
            .iter()
            .filter(|((namespace, _), _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
            .map(|(key, event)| {
                let text = EventText {
                    key,
                    event,
                    now: self.now,
                };
                (key, text)
            });
        let mut keys = self
            .filter
            .select(rows, WatchedKind::Events.info().field_selectors);
        if self.filter.ranks() {
            return keys;
        }
        keys.sort_by_key(|key| std::cmp::Reverse(self.resources.events[*key].last_seen()));
        let events = &self.resources.events;
        // AGE is the last time seen; STATUS the event's type (Normal, Warning).
        self.sort_by(
            Pane::Events,
            &mut keys,
            |k| events[k].last_seen(),
            |k| events[k].type_.clone(),
        );
        keys
    }

    /// The selected object: its kind, key and a title (`pod shop/web-1`).
    pub fn selected_object(&self) -> Option<(Target, Key, String)> {
        let row = self.selection();
        let key = match self.pane {
            Pane::Pods => self.visible_pods().get(row).map(|k| (*k).clone()),
            Pane::Nodes => self.visible_nodes().get(row).map(|k| (*k).clone()),
            Pane::Namespaces => self.visible_namespaces().get(row).map(|k| (*k).clone()),
            Pane::Events => self.visible_events().get(row).map(|k| (*k).clone()),
            Pane::Kind(kind) => self.visible_objects(kind).get(row).map(|k| (*k).clone()),
            Pane::Table(index) => self
                .visible_table_rows(index)
                .get(row)
                .map(|k| (*k).clone()),
            // The line's object, while the watches still hold it.
            Pane::Stream => {
                let line = *self.visible_stream().get(row)?;
                if self.holds(line.object, &line.key) != Some(true) {
                    return None;
                }
                let target = Target::Kind(line.object);
                let title = target.title(&line.key);
                return Some((target, line.key.clone(), title));
            }
        }?;
        let target = match self.pane {
            Pane::Table(index) => Target::Resource(self.tables.get(index)?.resource.clone()),
            pane => Target::Kind(pane.kind()?),
        };
        let title = target.title(&key);
        Some((target, key, title))
    }

    /// How many rows the current pane shows.
    pub fn row_count(&self) -> usize {
        match self.pane {
            Pane::Pods => self.visible_pods().len(),
            Pane::Nodes => self.visible_nodes().len(),
            Pane::Namespaces => self.visible_namespaces().len(),
            Pane::Events => self.visible_events().len(),
            Pane::Stream => self.visible_stream().len(),
            Pane::Kind(kind) => self.visible_objects(kind).len(),
            Pane::Table(index) => self.visible_table_rows(index).len(),
        }
    }

    /// Keys of the rows of table pane `index` shown, in order.
    pub fn visible_table_rows(&self, index: usize) -> Vec<&Key> {
        let Some(table) = self.tables.get(index) else {
            return Vec::new();
        };
        let rows = table
            .rows
            .iter()
            .filter(|((namespace, _), _)| {
                namespace.is_empty() || self.namespace.as_ref().is_none_or(|n| n == namespace)
            })
            .map(|(key, row)| (key, TableText { key, row }));
        let mut keys = self.filter.select(rows, &[]);
        if self.filter.ranks() {
            return keys;
        }
        // STATUS: the second column the server prints (READY, PHASE, ...).
        self.sort_by(
            Pane::Table(index),
            &mut keys,
            |k| table.rows[k].created,
            |k| {
                table.rows[k]
                    .cells
                    .get(1)
                    .map(super::tables::cell_text)
                    .unwrap_or_default()
            },
        );
        keys
    }

    /// The stream's lines shown, oldest first, through the filter.
    pub fn visible_stream(&self) -> Vec<&StreamLine> {
        let rows = self
            .stream
            .lines
            .iter()
            .map(|line| (line, StreamText { line }));
        self.filter.select(rows, &[])
    }

    /// What to say when an action finds nothing to act on: on the stream, that the line's
    /// object is gone.
    pub(crate) fn nothing_selected(&self) -> String {
        if self.pane == Pane::Stream
            && let Some(line) = self.visible_stream().get(self.selection())
        {
            return format!("{} {} is gone", line.kind, line.name);
        }
        "nothing selected".to_string()
    }

    /// Why the filter cannot apply to the current pane, in one line (a parse error, a field
    /// the API server does not index for the kind).
    pub fn filter_problem(&self) -> Option<String> {
        let fields = match self.pane {
            Pane::Table(_) | Pane::Stream => &[][..],
            pane => pane.kind().map(|k| k.info().field_selectors).unwrap_or(&[]),
        };
        self.filter.problem(fields)
    }

    /// Keys of the rows the current pane shows, in order (the stream has none).
    pub fn visible_keys(&self) -> Vec<&Key> {
        match self.pane {
            Pane::Pods => self.visible_pods(),
            Pane::Nodes => self.visible_nodes(),
            Pane::Namespaces => self.visible_namespaces(),
            Pane::Events => self.visible_events(),
            Pane::Kind(kind) => self.visible_objects(kind),
            Pane::Table(index) => self.visible_table_rows(index),
            Pane::Stream => Vec::new(),
        }
    }
}

/// Orders `keys` of pods by `value`, read once a pod, stably (pods of equal value keep their
/// order). The keys come from a walk of the map in its order (a filter keeps some of them), so
/// their pods are found by one more walk rather than a lookup each, let alone one at each
/// comparison: sorted by RESTARTS so, a frame of 50,000 pods took 155 ms, every frame.
fn sort_pods_by<'a, V: Ord>(
    pods: &'a PodMap,
    keys: &mut [&'a Key],
    value: impl Fn(&'a PodEntry) -> V,
) {
    let mut walk = pods.iter();
    let mut valued: Vec<(V, &'a Key)> = keys
        .iter()
        .map(|&key| {
            // The map's own key is met in the walk; one that is not (out of the map's order)
            // is looked up, and so are the keys after it.
            let pod = walk
                .by_ref()
                .find(|(k, _)| std::ptr::eq(*k, key))
                .map(|(_, pod)| &**pod)
                .unwrap_or_else(|| &*pods[key]);
            (value(pod), key)
        })
        .collect();
    valued.sort_by(|a, b| a.0.cmp(&b.0));
    for (slot, (_, key)) in keys.iter_mut().zip(valued) {
        *slot = key;
    }
}

/// Whether `object` names the object with `uid` among its owners.
fn owned_by(object: &serde_json::Value, uid: &str) -> bool {
    object
        .pointer("/metadata/ownerReferences")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|owners| owners.iter().any(|o| o["uid"] == uid))
}
