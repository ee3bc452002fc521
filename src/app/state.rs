//! The explorer's state and how actions and cluster messages change it.

use crate::model::inbox::one_line;
use std::collections::HashMap;

use jiff::Timestamp;

use super::action::Action;
use super::request::{Purpose, Request};
use super::resources::{Key, Resources};
use super::stream::{Change, Stream, StreamLine};
use crate::model::explanation::{Explanation, explain_namespace, explain_node, explain_pod};
use crate::model::health::Health;
use crate::model::inbox::ClusterMessage;
use crate::model::kind::Target;
use crate::model::kind::{PodSelection, WatchedKind};
use crate::model::table_feed::TableMessage;
use crate::model::watched::WatchedObject;

/// The panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Pods,
    Nodes,
    Namespaces,
    Events,
    Stream,
    /// A workload or configuration kind, shown with the API server's printer columns.
    Kind(WatchedKind),
    /// Any other kind, through the server's Table output (an index into `App::tables`).
    Table(usize),
}

impl Pane {
    /// The pane a command names (`pods`, `po`, `deploy`, ...): the stream, or a kind of the
    /// registry.
    pub fn from_command(command: &str) -> Option<Pane> {
        match command.trim() {
            "stream" | "watch" | "changes" => Some(Pane::Stream),
            word => WatchedKind::named(word).map(Pane::of_kind),
        }
    }

    /// The pane of a kind.
    pub fn of_kind(kind: WatchedKind) -> Pane {
        match kind {
            WatchedKind::Pods => Pane::Pods,
            WatchedKind::Nodes => Pane::Nodes,
            WatchedKind::Namespaces => Pane::Namespaces,
            WatchedKind::Events => Pane::Events,
            kind => Pane::Kind(kind),
        }
    }

    /// The title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Stream => "Watch stream",
            Pane::Table(_) => "Resources",
            pane => pane.kind().map_or("", |kind| kind.info().title),
        }
    }

    /// The watch that feeds it.
    pub fn kind(self) -> Option<WatchedKind> {
        match self {
            Pane::Pods => Some(WatchedKind::Pods),
            Pane::Nodes => Some(WatchedKind::Nodes),
            Pane::Namespaces => Some(WatchedKind::Namespaces),
            Pane::Events => Some(WatchedKind::Events),
            Pane::Stream => None,
            Pane::Kind(kind) => Some(kind),
            Pane::Table(_) => None,
        }
    }
}

/// What the keyboard is doing.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Command(String),
    Filter(String),
    /// Every key, scrolled.
    Help {
        scroll: usize,
    },
    Explain {
        explanation: Box<Explanation>,
        scroll: usize,
    },
    /// `kubectl describe`-style text of a pod or node.
    Describe {
        title: String,
        text: String,
        scroll: usize,
        /// The object described: the changes started from this view apply to it.
        subject: Option<Box<(Target, Key)>>,
    },
    /// A log tail.
    Logs(Box<super::log_view::LogView>),
    /// The drain dialog: options, plan, confirmation, live progress.
    Drain(Box<super::drain_view::DrainView>),
    /// A pod's containers and its events (enter on a pod).
    Containers {
        key: Key,
        selected: usize,
    },
    /// Composing a patch: its type, and the inline text once `i` is pressed.
    PatchCompose {
        target: Target,
        key: Key,
        patch_type: crate::model::strategic_merge::PatchType,
        inline: Option<String>,
    },
    /// A patch the server checked (dry run), shown as a diff, waiting for `y`.
    PatchReview {
        review: Box<crate::model::patch_review::PatchReview>,
        scroll: usize,
    },
    /// Applying hit a conflict (the object changed): `r` re-applies onto the new version.
    PatchConflict {
        review: Box<crate::model::patch_review::PatchReview>,
    },
    /// A mutation waiting for `y` (anything else declines).
    Confirm {
        operation: super::operation::Operation,
        /// The objects it names, as they were when it was proposed.
        chosen: Vec<super::operation::Chosen>,
    },
    /// A value an operation needs, being typed.
    Prompt {
        prompt: super::operation::Prompt,
        text: String,
    },
    /// Waiting for an object the cluster is asked for (its YAML, say).
    Fetching {
        title: String,
        target: Target,
        key: Key,
        purpose: Purpose,
    },
    /// An object's YAML; a Secret's values show only when `revealed`.
    Yaml {
        title: String,
        raw: Box<serde_json::Value>,
        revealed: bool,
        scroll: usize,
        /// The object shown: the changes started from this view apply to it.
        subject: Option<Box<(Target, Key)>>,
    },
}

/// The health of one watch, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchHealth {
    Syncing,
    Live,
    /// Failing since the given time; the last data is kept and shown as stale.
    Stale {
        since: Timestamp,
        error: String,
        forbidden: bool,
    },
}

/// A column the pods pane can be sorted by (shift+N, A, S, R).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Age,
    Status,
    Restarts,
    Cpu,
    Memory,
}

/// A pods pane narrowed to one node, namespace or workload (by drilling down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    Node(String),
    /// The pods a workload selects: its title (`deployment shop/web`), namespace and
    /// `spec.selector` as JSON.
    Workload {
        title: String,
        namespace: String,
        selector: String,
    },
}

/// The whole state.
#[derive(Debug)]
pub struct App {
    pub context: String,
    /// The API server's version, once known.
    pub server_version: Option<String>,
    /// The last metrics reading, if the cluster serves metrics.k8s.io.
    pub metrics: Option<crate::model::metrics::MetricsSnapshot>,
    /// The namespace scope, or all namespaces.
    pub namespace: Option<String>,
    pub pane: Pane,
    pub mode: Mode,
    pub resources: Resources,
    pub health: HashMap<WatchedKind, WatchHealth>,
    pub filter: String,
    pub drill: Option<Drill>,
    /// Each pane's sort column and direction (reversed when true); absent is the pane's own
    /// order (namespace then name; events by last seen).
    pub sort: HashMap<Pane, (SortColumn, bool)>,
    /// Each pane's cursor: the object selected (see `selection.rs`).
    pub cursors: HashMap<Pane, super::selection::Cursor>,
    /// Where the user has been (esc, `-`, `[`, `]`).
    pub history: super::history::History,
    pub stream: Stream,
    pub now: Timestamp,
    /// Rows of the table area, set by the view, for paging.
    pub page_rows: usize,
    /// What the API server serves, once discovery has answered (for `:kind`).
    pub discovered: Vec<crate::model::resource_info::ResourceInfo>,
    /// Panes of other kinds opened so far.
    pub tables: Vec<super::tables::ResourceTable>,
    /// The view a change was started from (YAML or describe), opened again once it is done.
    pub reopen: Option<(Target, Key, String, Purpose)>,
    /// Which log tail the log view shows (lines of earlier ones are dropped).
    pub log_generation: u64,
    /// How many lines a log view keeps (the oldest go first).
    pub log_lines: usize,
    /// Mutations are refused (`--readonly`).
    pub readonly: bool,
    /// Objects marked with `space` for a delete of several, per pane's kind.
    pub marks: HashMap<Pane, super::selection::Marks>,
    /// The view under the command line, when `:` was typed in one (esc returns to it).
    pub under: Option<Box<Mode>>,
    /// The object an action started from a view (YAML, describe) applies to: the one the
    /// view shows, whatever the pane's cursor is on.
    pub(crate) focus: Option<(Target, Key, String)>,
    /// The keys in force, for the footer and the help.
    pub keymap: super::keymap::Keymap,
    /// The kubeconfig's contexts (`:ctx NAME` switches).
    pub contexts: Vec<String>,
    /// Namespaces chosen before, numbered 1 to 9 in this order (`0` is all namespaces).
    pub favourites: Vec<String>,
    /// A one-line message for the footer (an unknown command, say).
    pub message: Option<String>,
    /// Text to put on the clipboard; the runtime sends it to the terminal and clears it.
    pub clipboard: Option<String>,
    /// What the runtime should ask the cluster for; it takes them after each update.
    pub requests: Vec<Request>,
    pub quit: bool,
    /// Whether anything changed since the last frame.
    pub dirty: bool,
    /// Kinds whose initial list is done (their later changes go to the stream).
    synced: HashMap<WatchedKind, bool>,
    /// During a (re)list, the keys it has delivered: what it did not deliver is gone.
    listed: HashMap<WatchedKind, std::collections::HashSet<Key>>,
}

impl App {
    /// A fresh state for `context`, scoped to `namespace` (None = all namespaces).
    pub fn new(context: impl Into<String>, namespace: Option<String>, now: Timestamp) -> Self {
        Self {
            context: context.into(),
            server_version: None,
            metrics: None,
            namespace: namespace.clone(),
            pane: Pane::Pods,
            mode: Mode::Normal,
            resources: Resources::default(),
            health: WatchedKind::from_start()
                .map(|k| (k, WatchHealth::Syncing))
                .collect(),
            filter: String::new(),
            drill: None,
            sort: HashMap::new(),
            cursors: HashMap::new(),
            history: Default::default(),
            stream: Stream::default(),
            now,
            page_rows: 20,
            discovered: Vec::new(),
            tables: Vec::new(),
            reopen: None,
            log_generation: 0,
            log_lines: super::log_buffer::DEFAULT_CAPACITY,
            readonly: false,
            marks: HashMap::new(),
            under: None,
            focus: None,
            keymap: Default::default(),
            contexts: Vec::new(),
            favourites: namespace.iter().cloned().collect(),
            message: None,
            clipboard: None,
            requests: Vec::new(),
            quit: false,
            dirty: true,
            synced: HashMap::new(),
            listed: HashMap::new(),
        }
    }

    /// `:ctx` lists the contexts; `:ctx NAME` asks the runtime to connect to one. The screen
    /// keeps the current cluster until the new one answers.
    fn choose_context(&mut self, name: Option<&str>) {
        let list = || {
            if self.contexts.is_empty() {
                "no kubeconfig contexts here".to_string()
            } else {
                format!("contexts: {}", self.contexts.join(", "))
            }
        };
        match name {
            None => self.message = Some(format!("{} (current: {})", list(), self.context)),
            Some(name) if !self.contexts.iter().any(|c| c == name) => {
                self.message = Some(format!("unknown context \"{name}\"; {}", list()))
            }
            Some(name) if name == self.context => {
                self.message = Some(format!("already on context {name}"))
            }
            Some(name) => {
                self.requests.push(Request::SwitchContext(name.to_string()));
                self.message = Some(format!("connecting to context {name}..."));
            }
        }
    }

    /// The runtime connected to `context`: everything shown is of the new cluster from now on.
    pub fn switched_context(&mut self, context: String, namespace: Option<String>) {
        let mut fresh = App::new(context.clone(), namespace, self.now);
        fresh.contexts = std::mem::take(&mut self.contexts);
        fresh.readonly = self.readonly;
        fresh.log_lines = self.log_lines;
        fresh.pane = match self.pane {
            // The other cluster may not serve that kind.
            Pane::Table(_) => Pane::Pods,
            // Kinds are watched again on first visit; the pane itself carries over.
            Pane::Kind(kind) => {
                fresh.health.insert(kind, WatchHealth::Syncing);
                Pane::Kind(kind)
            }
            pane => pane,
        };
        fresh.page_rows = self.page_rows;
        fresh.keymap = std::mem::take(&mut self.keymap);
        fresh.message = Some(format!("switched to context {context}"));
        *self = fresh;
    }

    /// Connecting to another context failed: the current one stays.
    pub fn context_failed(&mut self, error: String) {
        self.message = Some(format!("context not switched: {}", one_line(&error)));
        self.dirty = true;
    }

    /// The most favourites kept, as in k9s (keys 1 to 9).
    const FAVOURITES: usize = 9;

    /// Scopes every pane to `namespace` (None: all); a namespace chosen becomes a favourite.
    pub fn set_namespace(&mut self, namespace: Option<String>) {
        if let Some(name) = &namespace
            && !self.favourites.contains(name)
        {
            self.favourites.insert(0, name.clone());
            self.favourites.truncate(Self::FAVOURITES);
        }
        self.namespace = namespace;
        self.keep_or_first();
    }

    /// The clock moved on (ages and "ago" texts change).
    pub fn tick(&mut self, now: Timestamp) {
        self.now = now;
        self.dirty = true;
    }

    /// The kinds the panes opened so far need watched.
    pub fn wanted_watches(&self) -> Vec<WatchedKind> {
        let mut kinds: Vec<WatchedKind> = WatchedKind::from_start().collect();
        let opened: Vec<WatchedKind> = self
            .health
            .keys()
            .filter(|k| !kinds.contains(k))
            .copied()
            .collect();
        kinds.extend(opened);
        kinds
    }

    /// Keys of the objects of a workload kind shown, in order.
    pub fn visible_objects(&self, kind: WatchedKind) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        self.resources
            .generic
            .get(&kind)
            .map(|objects| {
                let mut keys: Vec<&Key> = objects
                    .keys()
                    .filter(|(namespace, _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
                    .filter(|(_, name)| filter.is_empty() || matches_filter(name, &filter))
                    .collect();
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
            })
            .unwrap_or_default()
    }

    /// Keys of the pods shown, in order.
    pub fn visible_pods(&self) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        let labels = self
            .filter
            .strip_prefix("-l")
            .map(|text| crate::model::selector::LabelSelector::parse(text.trim()));
        // `/-f status.phase=Running`: a field selector over the fields the API server allows for
        // pods; a field it refuses matches nothing, as the server would refuse the list.
        let fields = self
            .filter
            .strip_prefix("-f")
            .map(|text| crate::model::selector::FieldSelector::parse(text.trim()));
        let workload = match &self.drill {
            Some(Drill::Workload { selector, .. }) => Some(
                serde_json::from_str::<crate::model::selector::LabelSelectorSpec>(selector)
                    .ok()
                    .and_then(|spec| crate::model::selector::LabelSelector::from_spec(&spec).ok())
                    .unwrap_or_else(crate::model::selector::LabelSelector::nothing),
            ),
            _ => None,
        };
        let mut keys: Vec<&Key> = self
            .resources
            .pods
            .iter()
            .filter(|((namespace, _), _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
            .filter(|((pod_namespace, _), pod)| match &self.drill {
                Some(Drill::Node(node)) => &pod.node_name == node,
                Some(Drill::Workload { namespace, .. }) => {
                    pod_namespace == namespace
                        && workload.as_ref().is_some_and(|s| s.matches(&pod.labels))
                }
                None => true,
            })
            .filter(|(key, pod)| match (&labels, &fields) {
                // `/-l app=web,tier!=db`: a label selector, as kubectl's -l reads it.
                (Some(Ok(selector)), _) => selector.matches(&pod.labels),
                (_, Some(Ok(selector))) => {
                    selector
                        .requirements()
                        .iter()
                        .all(|r| pod.selectable_field(key, r.field()).is_some())
                        && selector.matches(|field| pod.selectable_field(key, field))
                }
                (Some(Err(_)), _) | (_, Some(Err(_))) => false,
                (None, None) => filter.is_empty() || matches_filter(&key.1, &filter),
            })
            .map(|(key, _)| key)
            .collect();
        self.sort_pods(&mut keys);
        keys
    }

    /// Orders pods by the chosen column (the default, namespace then name, is the map's order).
    fn sort_pods(&self, keys: &mut [&Key]) {
        let Some(&(column, descending)) = self.sort.get(&Pane::Pods) else {
            return;
        };
        let pods = &self.resources.pods;
        match column {
            SortColumn::Name => keys.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
            // Newest first reads as "age ascending", as kubectl users expect of AGE.
            SortColumn::Age => keys.sort_by_key(|k| std::cmp::Reverse(pods[*k].created)),
            SortColumn::Status => keys.sort_by(|a, b| {
                pods[*a]
                    .row
                    .columns
                    .status
                    .cmp(&pods[*b].row.columns.status)
            }),
            SortColumn::Restarts => {
                keys.sort_by_key(|k| std::cmp::Reverse(pods[*k].row.columns.restart_count))
            }
            SortColumn::Cpu | SortColumn::Memory => {
                let usage = |k: &Key| {
                    self.metrics
                        .as_ref()
                        .and_then(|m| m.pods.get(k))
                        .copied()
                        .unwrap_or_default()
                };
                if column == SortColumn::Cpu {
                    keys.sort_by_key(|k| std::cmp::Reverse(usage(k).cpu_millis));
                } else {
                    keys.sort_by_key(|k| std::cmp::Reverse(usage(k).memory_bytes));
                }
            }
        }
        if descending {
            keys.reverse();
        }
    }

    /// Keys of the nodes shown.
    pub fn visible_nodes(&self) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        let mut keys: Vec<&Key> = self
            .resources
            .nodes
            .keys()
            .filter(|(_, name)| filter.is_empty() || matches_filter(name, &filter))
            .collect();
        if let Some(&(column, descending)) = self.sort.get(&Pane::Nodes) {
            let nodes = &self.resources.nodes;
            let usage = |k: &Key| {
                self.metrics
                    .as_ref()
                    .and_then(|m| m.nodes.get(&k.1))
                    .copied()
                    .unwrap_or_default()
            };
            match column {
                SortColumn::Name => {}
                SortColumn::Age => keys.sort_by_key(|k| {
                    std::cmp::Reverse(nodes[*k].object.metadata.creation_timestamp)
                }),
                SortColumn::Status => keys.sort_by(|a, b| nodes[*a].status.cmp(&nodes[*b].status)),
                SortColumn::Cpu => keys.sort_by_key(|k| std::cmp::Reverse(usage(k).cpu_millis)),
                SortColumn::Memory => {
                    keys.sort_by_key(|k| std::cmp::Reverse(usage(k).memory_bytes))
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
    fn sortable(&self, column: SortColumn) -> bool {
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
    fn sort_by<T: Ord>(
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
            SortColumn::Age => keys.sort_by_key(|k| std::cmp::Reverse(created(k))),
            SortColumn::Status => keys.sort_by_key(|k| status(k)),
            _ => {}
        }
        if descending {
            keys.reverse();
        }
    }

    /// Keys of the namespaces shown.
    pub fn visible_namespaces(&self) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        let mut keys: Vec<&Key> = self
            .resources
            .namespaces
            .keys()
            .filter(|(_, name)| filter.is_empty() || matches_filter(name, &filter))
            .collect();
        let namespaces = &self.resources.namespaces;
        self.sort_by(
            Pane::Namespaces,
            &mut keys,
            |k| namespaces[k].object.metadata.creation_timestamp,
            |k| namespaces[k].object.status.phase.clone(),
        );
        keys
    }

    /// Keys of the events shown, most recent last.
    pub fn visible_events(&self) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        let mut keys: Vec<&Key> = self
            .resources
            .events
            .iter()
            .filter(|((namespace, _), _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
            .filter(|(_, event)| {
                filter.is_empty()
                    || matches_filter(&event.involved_object.name, &filter)
                    || matches_filter(&event.reason.to_lowercase(), &filter)
            })
            .map(|(key, _)| key)
            .collect();
        keys.sort_by_key(|key| self.resources.events[*key].last_seen());
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
            Pane::Stream => None,
        }?;
        let target = match self.pane {
            Pane::Table(index) => Target::Resource(self.tables.get(index)?.resource.clone()),
            pane => Target::Kind(pane.kind()?),
        };
        let title = target.title(&key);
        Some((target, key, title))
    }

    /// Opens again (read anew from the API server) the view a change was started from.
    pub fn reopen_view(&mut self) {
        if let Some((target, key, title, purpose)) = self.reopen.take() {
            let message = self.message.take();
            self.fetch_selected(target, key, title, purpose);
            self.message = message;
        }
    }

    /// Asks the cluster for the selected object whole, to show it for `purpose` once it arrives.
    pub(crate) fn fetch_selected(
        &mut self,
        target: Target,
        key: Key,
        title: String,
        purpose: Purpose,
    ) {
        self.requests.push(Request::Fetch {
            target: target.clone(),
            key: key.clone(),
            purpose,
        });
        self.mode = Mode::Fetching {
            title,
            target,
            key,
            purpose,
        };
    }

    /// Opens the YAML of the selected object: at once for kinds kept whole, else once fetched.
    fn open_yaml(&mut self) {
        let Some((target, key, title)) = self.selected_object() else {
            self.message = Some("nothing selected".to_string());
            return;
        };
        let kept = match &target {
            Target::Kind(kind) => self.resources.generic.get(kind).and_then(|o| o.get(&key)),
            Target::Resource(_) => None,
        };
        match kept {
            Some(raw) => {
                self.mode = Mode::Yaml {
                    title,
                    raw: Box::new(raw.clone()),
                    revealed: false,
                    scroll: 0,
                    subject: Some(Box::new((target, key))),
                }
            }
            None => self.fetch_selected(target, key, title, Purpose::Yaml),
        }
    }

    /// A fetched object arrived: show it if it is still wanted.
    fn fetched(
        &mut self,
        target: Target,
        key: Key,
        result: Result<Box<serde_json::Value>, String>,
    ) {
        let Mode::Fetching {
            title,
            target: wanted_target,
            key: wanted_key,
            purpose,
        } = &self.mode
        else {
            return;
        };
        if *wanted_target != target || *wanted_key != key {
            return;
        }
        let (title, purpose) = (title.clone(), *purpose);
        match (purpose, result) {
            (Purpose::Yaml, Ok(raw)) => {
                self.mode = Mode::Yaml {
                    title,
                    raw,
                    revealed: false,
                    scroll: 0,
                    subject: Some(Box::new((target, key))),
                }
            }
            (Purpose::Describe, Ok(raw)) => {
                let kind = match target {
                    Target::Kind(kind) => Some(kind),
                    Target::Resource(_) => None,
                };
                let text = self.describe_raw(kind, &raw);
                self.mode = Mode::Describe {
                    title,
                    text,
                    scroll: 0,
                    subject: Some(Box::new((target, key))),
                }
            }
            (Purpose::Editor(job), Ok(object)) => {
                self.mode = Mode::Normal;
                self.requests
                    .push(Request::OpenEditor(Box::new(super::request::Editing {
                        job,
                        target,
                        key,
                        object: *object,
                    })));
            }
            (Purpose::Editor(_), Err(error)) => {
                self.mode = Mode::Normal;
                self.message = Some(error);
                self.reopen_view();
            }
            (_, Err(error)) => {
                self.mode = Mode::Normal;
                self.message = Some(error);
            }
        }
    }

    /// How many rows the current pane shows.
    pub fn row_count(&self) -> usize {
        match self.pane {
            Pane::Pods => self.visible_pods().len(),
            Pane::Nodes => self.visible_nodes().len(),
            Pane::Namespaces => self.visible_namespaces().len(),
            Pane::Events => self.visible_events().len(),
            Pane::Stream => self.stream.lines.len(),
            Pane::Kind(kind) => self.visible_objects(kind).len(),
            Pane::Table(index) => self.visible_table_rows(index).len(),
        }
    }

    /// Applies a user action.
    pub fn apply(&mut self, action: Action) {
        self.dirty = true;
        self.message = None;
        self.route(action);
        self.settle();
    }

    /// `:` typed in a view: the command line opens over it (esc returns to the view). A
    /// confirmation or a reviewed patch is declined first: a command never answers yes.
    fn command_over_view(&mut self) {
        match &self.mode {
            Mode::Confirm { .. } => self.confirm(false),
            Mode::PatchReview { .. } | Mode::PatchConflict { .. } => {
                self.message = Some("change not applied".into());
                self.mode = Mode::Normal;
            }
            _ => {}
        }
        let view = std::mem::replace(&mut self.mode, Mode::Command(String::new()));
        self.under = match view {
            Mode::Normal | Mode::Command(_) | Mode::Filter(_) => None,
            view => Some(Box::new(view)),
        };
    }

    /// Runs the command typed; the view it was typed over closes when the command goes
    /// somewhere, and comes back when it did not (an unknown command, `:ctx`).
    fn submit_command(&mut self, command: &str) {
        let before = self.location();
        self.mode = Mode::Normal;
        self.run_command(command);
        let Some(view) = self.under.take() else {
            return;
        };
        if matches!(self.mode, Mode::Normal) && self.location() == before && !self.quit {
            self.mode = *view;
        } else if matches!(*view, Mode::Logs(_)) {
            self.requests.push(Request::StopLogs);
        }
    }

    /// Leaves the command or filter line: back to the view it was typed over, if any.
    fn close_line(&mut self) {
        self.mode = match self.under.take() {
            Some(view) => *view,
            None => Mode::Normal,
        };
    }

    /// Sends an action to the view or pane that has the keyboard.
    fn route(&mut self, action: Action) {
        match (&mut self.mode, action) {
            (_, Action::Quit) => self.quit = true,
            (
                Mode::Help { .. }
                | Mode::Explain { .. }
                | Mode::Describe { .. }
                | Mode::Yaml { .. }
                | Mode::Fetching { .. }
                | Mode::Containers { .. }
                | Mode::Logs(_)
                | Mode::Drain(_)
                | Mode::Confirm { .. }
                | Mode::PatchCompose { .. }
                | Mode::PatchReview { .. }
                | Mode::PatchConflict { .. },
                Action::CommandMode,
            ) => self.command_over_view(),
            (Mode::Confirm { .. }, Action::Confirm(yes)) => self.confirm(yes),
            (Mode::PatchCompose { .. }, Action::Type(c)) => self.compose_key(c),
            (Mode::PatchCompose { .. }, Action::Erase) => self.compose_erase(),
            (Mode::PatchCompose { .. }, Action::Submit) => self.compose_submit(),
            (Mode::PatchCompose { .. }, Action::Back) => {
                self.mode = Mode::Normal;
                self.reopen_view();
            }
            (Mode::PatchReview { .. }, Action::Confirm(true)) => self.apply_reviewed(),
            (Mode::PatchReview { .. }, Action::Confirm(false)) => {
                self.mode = Mode::Normal;
                self.message = Some("patch not applied".into());
                self.reopen_view();
            }
            (Mode::PatchReview { scroll, .. }, Action::Down) => *scroll += 1,
            (Mode::PatchReview { scroll, .. }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::PatchReview { scroll, .. }, Action::PageDown) => *scroll += 10,
            (Mode::PatchReview { scroll, .. }, Action::PageUp) => {
                *scroll = scroll.saturating_sub(10)
            }
            (Mode::PatchConflict { .. }, Action::Confirm(true)) => self.reapply_after_conflict(),
            (Mode::PatchConflict { .. }, Action::Confirm(false)) => {
                self.mode = Mode::Normal;
                self.message = Some("change dropped; the object keeps its new version".into());
                self.reopen_view();
            }
            (Mode::Prompt { text, .. }, Action::Type(c)) => text.push(c),
            (Mode::Prompt { text, .. }, Action::Erase) => {
                text.pop();
            }
            (Mode::Prompt { .. }, Action::Submit) => self.answer(),
            (Mode::Prompt { .. }, Action::Back) => {
                self.mode = Mode::Normal;
                self.reopen_view();
            }
            (Mode::Command(text) | Mode::Filter(text), Action::Type(c)) => text.push(c),
            (Mode::Command(text), Action::Complete) => {
                let text = text.clone();
                if let Some(first) = self.command_completions(&text).into_iter().next() {
                    self.mode = Mode::Command(first);
                }
            }
            (Mode::Command(text) | Mode::Filter(text), Action::Erase) => {
                text.pop();
            }
            (Mode::Command(text), Action::Submit) => {
                let command = std::mem::take(text);
                self.submit_command(&command);
            }
            (Mode::Filter(text), Action::Submit) => {
                self.filter = std::mem::take(text);
                self.mode = Mode::Normal;
                self.keep_or_first();
            }
            (Mode::Command(_) | Mode::Filter(_), Action::Back) => self.close_line(),
            (Mode::Describe { scroll, .. }, Action::Down) => *scroll += 1,
            (Mode::Describe { scroll, .. }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::Describe { scroll, .. }, Action::PageDown) => *scroll += 10,
            (Mode::Describe { scroll, .. }, Action::PageUp) => *scroll = scroll.saturating_sub(10),
            (Mode::Help { .. }, Action::Back)
            | (Mode::Explain { .. }, Action::Back)
            | (Mode::Describe { .. }, Action::Back) => self.mode = Mode::Normal,
            (Mode::Yaml { raw, revealed, .. }, Action::Reveal)
                if raw.get("kind").and_then(serde_json::Value::as_str) == Some("Secret") =>
            {
                *revealed = !*revealed;
            }
            (
                Mode::Yaml {
                    raw,
                    revealed,
                    title,
                    ..
                },
                Action::Copy,
            ) => {
                let source = if *revealed {
                    crate::app::yaml::decoded_secret(raw)
                } else {
                    (**raw).clone()
                };
                self.clipboard = Some(crate::app::yaml::yaml_text(&source, *revealed));
                self.message = Some(format!("copied the YAML of {title}"));
            }
            (Mode::Logs(_), Action::Key(key)) => self.log_key(key),
            (Mode::Drain(_), Action::Key(key)) => self.drain_key(key),
            (Mode::Containers { .. }, Action::Logs) => self.start_logs(),
            (Mode::Containers { selected, .. }, Action::Down) => *selected += 1,
            (Mode::Containers { selected, .. }, Action::Up) => {
                *selected = selected.saturating_sub(1)
            }
            (Mode::Containers { .. }, Action::Explain) => {
                // The explainer of the pod whose containers are shown.
                self.mode = Mode::Normal;
                self.explain_selected();
            }
            (Mode::Yaml { .. }, Action::Back)
            | (Mode::Fetching { .. }, Action::Back)
            | (Mode::Containers { .. }, Action::Back) => self.mode = Mode::Normal,
            (Mode::Yaml { scroll, .. }, Action::Down) => *scroll += 1,
            (Mode::Yaml { scroll, .. }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::Yaml { scroll, .. }, Action::PageDown) => *scroll += 10,
            (Mode::Yaml { scroll, .. }, Action::PageUp) => *scroll = scroll.saturating_sub(10),
            (Mode::Help { scroll }, Action::Down) => *scroll += 1,
            (Mode::Help { scroll }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::Help { scroll }, Action::PageDown) => *scroll += 10,
            (Mode::Help { scroll }, Action::PageUp) => *scroll = scroll.saturating_sub(10),
            (Mode::Explain { scroll, .. }, Action::Down) => *scroll += 1,
            (Mode::Explain { scroll, .. }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::Explain { scroll, .. }, Action::PageDown) => *scroll += 10,
            (Mode::Explain { scroll, .. }, Action::PageUp) => *scroll = scroll.saturating_sub(10),
            (
                Mode::Yaml { subject, .. } | Mode::Describe { subject, .. },
                action @ (Action::Edit
                | Action::Patch
                | Action::Scale
                | Action::RestartRollout
                | Action::SetImage
                | Action::Delete
                | Action::Drain
                | Action::Cordon
                | Action::Uncordon
                | Action::TriggerJob),
            ) => {
                let subject = subject.clone();
                let purpose = if matches!(self.mode, Mode::Yaml { .. }) {
                    Purpose::Yaml
                } else {
                    Purpose::Describe
                };
                // The change applies to the object the view shows, wherever the pane's cursor
                // is; without one (an old view), to nothing.
                let Some(subject) = subject else {
                    self.message = Some("this view names no object to change".into());
                    return;
                };
                let (target, key) = *subject;
                let title = target.title(&key);
                self.reopen = Some((target.clone(), key.clone(), title.clone(), purpose));
                self.focus = Some((target, key, title));
                self.mode = Mode::Normal;
                self.normal(action);
                self.focus = None;
                if matches!(self.mode, Mode::Normal) && self.requests.is_empty() {
                    // Refused or nothing to do: back to the view as it was asked for.
                    self.reopen_view();
                }
            }
            (Mode::Normal, action) => self.normal(action),
            _ => {}
        }
    }

    fn normal(&mut self, action: Action) {
        let row = self.selection();
        let page = self.page_rows.max(1);
        match action {
            Action::Up => self.select(row.saturating_sub(1)),
            Action::Down => self.select(row + 1),
            Action::PageUp => self.select(row.saturating_sub(page)),
            Action::PageDown => self.select(row + page),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::CommandMode => self.mode = Mode::Command(String::new()),
            Action::FilterMode => self.mode = Mode::Filter(self.filter.clone()),
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Pause if self.pane == Pane::Stream => self.stream.paused = !self.stream.paused,
            Action::Pause => self.message = Some("only the stream pauses (:stream)".into()),
            Action::Mark if self.pane == Pane::Stream => {
                self.message = Some("the stream's lines cannot be marked".into())
            }
            Action::Mark => {
                self.toggle_mark();
                self.select(row + 1);
            }
            Action::Delete => self.start_delete(),
            Action::Drain => self.start_drain(),
            Action::Cordon => self.start_cordon(true),
            Action::Scale => self.start_scale(),
            Action::RestartRollout => self.start_restart(),
            Action::SetImage => self.start_set_image(),
            Action::TriggerJob => self.start_job_from_cronjob(),
            Action::Uncordon => self.start_cordon(false),
            Action::Patch => self.start_patch(),
            Action::Logs => self.start_logs(),
            Action::Edit => self.start_edit(),
            Action::Sort(column) => {
                if !self.sortable(column) {
                    self.message = Some(format!(
                        "{} cannot be sorted by {}",
                        self.pane.title(),
                        format!("{column:?}").to_lowercase()
                    ));
                    return;
                }
                // The same key again flips the direction.
                let next = match self.sort.get(&self.pane) {
                    Some((current, descending)) if *current == column => (column, !descending),
                    _ => (column, false),
                };
                // The cursor stays on its object, wherever the new order puts it.
                self.sort.insert(self.pane, next);
            }
            Action::AllNamespaces => self.set_namespace(None),
            Action::Favourite(number) => {
                match self
                    .favourites
                    .get(usize::from(number).wrapping_sub(1))
                    .cloned()
                {
                    Some(namespace) => self.set_namespace(Some(namespace)),
                    None => {
                        self.message = Some(format!(
                            "no favourite namespace {number} yet (choose one in :ns with enter)"
                        ))
                    }
                }
            }
            // esc: clears the filter first, then goes back where the user came from.
            Action::Back => {
                if !self.filter.is_empty() {
                    self.filter.clear();
                } else if !self.go_back() && self.drill.take().is_none() && self.pane != Pane::Pods
                {
                    self.pane = Pane::Pods;
                }
            }
            Action::HistoryBack => self.step(App::go_back, "nothing to go back to"),
            Action::HistoryForward => self.step(App::go_forward, "nothing to go forward to"),
            Action::LastView => self.step(App::toggle_last, "no other view yet"),
            Action::Explain => self.explain_selected(),
            Action::Describe => self.describe_selected(),
            Action::Yaml => self.open_yaml(),
            Action::Copy => match self.selected_object() {
                Some((_, (_, name), title)) => {
                    self.clipboard = Some(name);
                    self.message = Some(format!("copied the name of {title}"));
                }
                None => self.message = Some("nothing selected".to_string()),
            },
            Action::Enter => self.enter(),
            Action::Click(row) => {
                // The table's rows start below the header line, its border and its column titles.
                const FIRST_ROW: u16 = 3;
                let count = self.row_count();
                let (first, _) = super::scroll::window(self.selection(), count, page);
                let Some(offset) = row.checked_sub(FIRST_ROW) else {
                    return;
                };
                let clicked = first + usize::from(offset);
                if clicked >= count || usize::from(offset) >= page {
                    return;
                }
                if clicked == self.selection() {
                    self.enter();
                } else {
                    self.select(clicked);
                }
            }
            _ => {}
        }
    }

    fn run_command(&mut self, command: &str) {
        let command = command.trim();
        if matches!(command, "q" | "q!" | "quit") {
            self.quit = true;
            return;
        }
        let mut words = command.split_whitespace();
        let name = words.next().unwrap_or("");
        if matches!(name, "delete-failed" | "clean") {
            self.start_delete_failed();
            return;
        }
        if matches!(name, "ctx" | "context" | "contexts") {
            self.choose_context(words.next());
            return;
        }
        match Pane::from_command(name) {
            Some(pane) => {
                self.leave();
                self.pane = pane;
                self.drill = None;
                self.filter.clear();
                if let Pane::Kind(kind) = pane {
                    // First visit: the runtime starts this kind's watch.
                    self.health.entry(kind).or_insert(WatchHealth::Syncing);
                }
                // `:pods NAMESPACE` scopes to a namespace, as in k9s.
                if let Some(namespace) = words.next() {
                    self.set_namespace(if namespace == "all" || namespace == "-A" {
                        None
                    } else {
                        Some(namespace.to_string())
                    });
                }
            }
            None => match crate::model::resource_info::resolve(&self.discovered, name).cloned() {
                Some(resource) => {
                    self.leave();
                    self.open_table(resource);
                    if let Some(namespace) = words.next() {
                        self.set_namespace(if namespace == "all" || namespace == "-A" {
                            None
                        } else {
                            Some(namespace.to_string())
                        });
                    }
                }
                None if self.discovered.is_empty() => {
                    self.message = Some(format!(
                        "unknown command :{command} (the API server's kinds are not known yet)"
                    ))
                }
                None => {
                    self.message = Some(format!(
                        "unknown command :{command} (try :pods, :nodes, :ns, :events, :stream, or any kind the API server serves)"
                    ))
                }
            },
        }
    }

    /// What `:` could complete `text` to: the panes' names, then every kind the API server
    /// serves (plural, singular, short names).
    pub fn command_completions(&self, text: &str) -> Vec<String> {
        if text.contains(' ') {
            return Vec::new();
        }
        // The registry's kinds (the core panes by plural, the others by kubectl's short
        // name), then the stream and `ctx`.
        let mut names: Vec<String> = crate::model::kind::KINDS
            .iter()
            .map(|info| match info.short_names.first() {
                Some(short) if !info.from_start => short,
                _ => info.plural,
            })
            .chain(["stream", "ctx"])
            .filter(|n| n.starts_with(text))
            .map(|n| n.to_string())
            .collect();
        for name in crate::model::resource_info::completions(&self.discovered, text) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Opens the pane of a kind shown through the server's Table output; its watch starts on
    /// first visit.
    fn open_table(&mut self, resource: crate::model::resource_info::ResourceInfo) {
        let name = resource.qualified_plural();
        let index = match self.tables.iter().position(|t| t.name() == name) {
            Some(index) => index,
            None => {
                self.requests.push(Request::WatchTable(resource.clone()));
                self.tables
                    .push(super::tables::ResourceTable::new(resource));
                self.tables.len() - 1
            }
        };
        self.pane = Pane::Table(index);
        self.drill = None;
        self.filter.clear();
    }

    /// Keys of the rows of table pane `index` shown, in order.
    pub fn visible_table_rows(&self, index: usize) -> Vec<&Key> {
        let filter = self.filter.to_lowercase();
        self.tables
            .get(index)
            .map(|table| {
                let mut keys: Vec<&Key> = table
                    .rows
                    .keys()
                    .filter(|(namespace, _)| {
                        namespace.is_empty()
                            || self.namespace.as_ref().is_none_or(|n| n == namespace)
                    })
                    .filter(|(_, name)| filter.is_empty() || matches_filter(name, &filter))
                    .collect();
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
            })
            .unwrap_or_default()
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

    /// The health of the watch behind the current pane.
    pub fn pane_health(&self) -> Option<&WatchHealth> {
        match self.pane {
            Pane::Table(index) => self.tables.get(index).map(|t| &t.health),
            pane => pane.kind().and_then(|kind| self.health.get(&kind)),
        }
    }

    fn enter(&mut self) {
        match self.pane {
            Pane::Nodes => {
                if let Some((_, name)) =
                    self.visible_nodes().get(self.selection()).cloned().cloned()
                {
                    self.leave();
                    self.pane = Pane::Pods;
                    self.filter.clear();
                    self.drill = Some(Drill::Node(name));
                    self.select(0);
                }
            }
            Pane::Namespaces => {
                if let Some((_, name)) = self
                    .visible_namespaces()
                    .get(self.selection())
                    .cloned()
                    .cloned()
                {
                    // As in k9s: a namespace chosen here becomes the scope and a favourite.
                    self.leave();
                    self.pane = Pane::Pods;
                    self.filter.clear();
                    self.drill = None;
                    self.set_namespace(Some(name));
                }
            }
            Pane::Pods => {
                if let Some(key) = self.visible_pods().get(self.selection()) {
                    self.mode = Mode::Containers {
                        key: (*key).clone(),
                        selected: 0,
                    };
                }
            }
            Pane::Kind(kind) => self.open_workload(kind),
            _ => {}
        }
    }

    /// A workload's pods, through its selector.
    pub(crate) fn open_workload(&mut self, kind: WatchedKind) {
        let Some(key) = self
            .visible_objects(kind)
            .get(self.selection())
            .cloned()
            .cloned()
        else {
            return;
        };
        let raw = &self.resources.generic[&kind][&key];
        let selector = match kind.can().pods {
            PodSelection::LabelSelector => raw.pointer("/spec/selector").cloned(),
            // A Service selects by plain labels.
            PodSelection::Labels => raw
                .pointer("/spec/selector")
                .map(|labels| serde_json::json!({"matchLabels": labels})),
            PodSelection::None => None,
        };
        match selector {
            Some(selector) => {
                self.leave();
                self.drill = Some(Drill::Workload {
                    title: format!("{} {}/{}", kind.kind_name().to_lowercase(), key.0, key.1),
                    namespace: key.0.clone(),
                    selector: selector.to_string(),
                });
                self.pane = Pane::Pods;
                self.filter.clear();
                self.select(0);
            }
            None => self.message = Some(format!("{} select no pods", kind.plural())),
        }
    }

    fn describe_selected(&mut self) {
        let row = self.selection();
        let subject = self
            .selected_object()
            .map(|(target, key, _)| Box::new((target, key)));
        let events_about = |kind: &str,
                            meta: &crate::model::meta::ObjectMeta|
         -> Vec<&crate::model::event::Event> {
            self.resources
                .events
                .values()
                .filter(|e| e.is_about(kind, meta))
                .collect()
        };
        let described = match self.pane {
            Pane::Pods => self.visible_pods().get(row).map(|key| {
                let pod = &self.resources.pods[*key].pod();
                (
                    format!("pod {}/{}", key.0, key.1),
                    crate::model::describe::describe_pod(
                        pod,
                        &events_about("Pod", &pod.metadata),
                        self.now,
                    ),
                )
            }),
            Pane::Nodes => self.visible_nodes().get(row).map(|key| {
                let node = &self.resources.nodes[*key].object;
                (
                    format!("node {}", key.1),
                    crate::model::describe::describe_node(
                        node,
                        &events_about("Node", &node.metadata),
                        self.now,
                    ),
                )
            }),
            Pane::Kind(kind) => self.visible_objects(kind).get(row).map(|key| {
                let raw = &self.resources.generic[&kind][*key];
                let title = Target::Kind(kind).title(key);
                (title, self.describe_raw(Some(kind), raw))
            }),
            // Kept typed only: the object is fetched whole, then described.
            Pane::Namespaces | Pane::Events | Pane::Table(_) => {
                match self.selected_object() {
                    Some((target, key, title)) => {
                        self.fetch_selected(target, key, title, Purpose::Describe)
                    }
                    None => self.message = Some("nothing selected".to_string()),
                }
                return;
            }
            Pane::Stream => None,
        };
        match described {
            Some((title, text)) => {
                self.mode = Mode::Describe {
                    title,
                    text,
                    scroll: 0,
                    subject,
                }
            }
            None => self.message = Some("nothing selected".to_string()),
        }
    }

    /// `kubectl describe` of an object given whole, with the objects it owns that the watches
    /// hold (a Deployment's ReplicaSets, a workload's pods) and the Events about it.
    fn describe_raw(&self, kind: Option<WatchedKind>, raw: &serde_json::Value) -> String {
        let key = crate::model::watched::key_of(raw);
        let uid = raw
            .pointer("/metadata/uid")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        let meta = crate::model::meta::ObjectMeta {
            name: key.1.clone(),
            namespace: key.0.clone(),
            uid: uid.to_string(),
            ..Default::default()
        };
        let kind_name = raw
            .get("kind")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(kind.map_or("", WatchedKind::kind_name));
        let events: Vec<&crate::model::event::Event> = self
            .resources
            .events
            .values()
            .filter(|e| e.is_about(kind_name, &meta))
            .collect();
        let in_namespace =
            |objects: Option<&std::collections::BTreeMap<Key, serde_json::Value>>| {
                objects
                    .into_iter()
                    .flat_map(|o| o.iter())
                    .filter(|((namespace, _), _)| *namespace == key.0)
                    .map(|(_, v)| v.clone())
                    .collect::<Vec<_>>()
            };
        let related: Vec<serde_json::Value> = match kind.unwrap_or(WatchedKind::Events) {
            WatchedKind::Deployments => {
                in_namespace(self.resources.generic.get(&WatchedKind::ReplicaSets))
            }
            WatchedKind::ReplicaSets | WatchedKind::StatefulSets | WatchedKind::DaemonSets => self
                .resources
                .pods
                .range((key.0.clone(), String::new())..)
                .take_while(|((namespace, _), _)| *namespace == key.0)
                .filter_map(|(_, pod)| serde_json::from_str(&pod.text).ok())
                .collect(),
            _ => Vec::new(),
        };
        let related: Vec<&serde_json::Value> = related.iter().collect();
        crate::model::describe::describe_object_with(raw, &related, &events, self.now)
    }

    fn explain_selected(&mut self) {
        let row = self.selection();
        let explanation = match self.pane {
            Pane::Pods => self.visible_pods().get(row).map(|key| {
                let pod = &self.resources.pods[*key].pod();
                let events: Vec<_> = self
                    .resources
                    .events
                    .values()
                    .filter(|e| e.is_about("Pod", &pod.metadata))
                    .collect();
                Explanation::Pod(explain_pod(pod, &events, self.now))
            }),
            Pane::Nodes => self.visible_nodes().get(row).map(|key| {
                Explanation::Node(explain_node(&self.resources.nodes[*key].object, self.now))
            }),
            Pane::Namespaces => self.visible_namespaces().get(row).map(|key| {
                Explanation::Namespace(explain_namespace(
                    &self.resources.namespaces[*key].object,
                    self.now,
                ))
            }),
            _ => None,
        };
        match explanation {
            Some(explanation) => {
                self.mode = Mode::Explain {
                    explanation: Box::new(explanation),
                    scroll: 0,
                }
            }
            None => {
                self.message =
                    Some("nothing to explain here: select a pod, node or namespace".to_string())
            }
        }
    }

    /// Applies a message from a watch.
    pub fn on_cluster(&mut self, message: ClusterMessage) {
        self.dirty = true;
        match message {
            ClusterMessage::Listing { kind } => {
                // A relist replaces what we had; until it completes the old data stays visible.
                self.synced.insert(kind, false);
                self.listed.insert(kind, Default::default());
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
            ClusterMessage::Metrics(snapshot) => self.metrics = Some(*snapshot),
            ClusterMessage::Applied { kind, object } => {
                if let Some(listed) = self.listed.get_mut(&kind) {
                    listed.insert(object.key());
                }
                self.applied(kind, object)
            }
            ClusterMessage::Deleted { kind, key } => self.deleted(kind, key),
            ClusterMessage::Fetched {
                target,
                key,
                result,
            } => self.fetched(target, key, result),
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

    fn live(&self, kind: WatchedKind) -> bool {
        self.synced.get(&kind).copied().unwrap_or(false)
    }

    fn applied(&mut self, kind: WatchedKind, object: WatchedObject) {
        let now = self.now;
        let live = self.live(kind);
        match object {
            WatchedObject::Pod { pod, text } => {
                let (key, before, after) = self.resources.apply_pod(*pod, text, now);
                if live {
                    let health = self.resources.pods[&key].health;
                    let (change, detail) = match before {
                        None => (Change::Added, after.columns.status.clone()),
                        Some(before)
                            if before.columns.status != after.columns.status
                                || before.columns.ready != after.columns.ready =>
                        {
                            (
                                Change::Modified,
                                format!(
                                    "{} {} -> {} {}",
                                    before.columns.ready,
                                    before.columns.status,
                                    after.columns.ready,
                                    after.columns.status
                                ),
                            )
                        }
                        Some(before)
                            if before.columns.restart_count != after.columns.restart_count =>
                        {
                            (
                                Change::Modified,
                                format!(
                                    "restarts {} -> {}",
                                    before.columns.restart_count, after.columns.restart_count
                                ),
                            )
                        }
                        Some(_) => (Change::Modified, after.columns.status.clone()),
                    };
                    self.stream.push(StreamLine {
                        at: now,
                        change,
                        kind: "pod",
                        name: format!("{}/{}", key.0, key.1),
                        detail,
                        health,
                    });
                }
            }
            WatchedObject::Node(node) => {
                let (key, before, after) = self.resources.apply_node(*node, now);
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
                        name: key.1,
                        detail,
                        health,
                    });
                }
            }
            WatchedObject::Namespace(namespace) => {
                let (key, before, after) = self.resources.apply_namespace(*namespace);
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
                        name: key.1,
                        detail,
                        health,
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
                    .insert(key.clone(), object);
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
                    });
                }
            }
        }
    }

    fn deleted(&mut self, kind: WatchedKind, key: Key) {
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

    fn remove_deleted(&mut self, kind: WatchedKind, key: Key) {
        let (kind_name, name) = match kind {
            WatchedKind::Pods => {
                self.resources.pods.remove(&key);
                ("pod", format!("{}/{}", key.0, key.1))
            }
            WatchedKind::Nodes => {
                self.resources.nodes.remove(&key);
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
            });
        }
    }
}

/// The kind as one lowercase word for the stream.
fn kind_word(kind: WatchedKind) -> &'static str {
    kind.info().word
}

/// Substring match, or every typed character in order (a small fuzzy match).
fn matches_filter(name: &str, filter: &str) -> bool {
    if name.contains(filter) {
        return true;
    }
    let mut chars = name.chars();
    filter.chars().all(|wanted| chars.any(|c| c == wanted))
}
