//! The explorer's state: the panes, the view that has the keyboard, the scope and what the
//! watches hold. How actions change it is in `router.rs`; how the cluster's messages do, in
//! `ingest.rs`.

use super::filter::Filter;
use super::line::LineInput;
use super::reader::Reader;
use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::request::{Purpose, Request};
use super::resources::{Key, Resources};
use super::stream::Stream;
use crate::model::explanation::Explanation;
use crate::model::kind::{Target, WatchedKind};

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
    /// The command line (`:`).
    Command(LineInput),
    /// The filter line (`/`), applied as it is typed; esc puts back the filter from `before`.
    Filter {
        line: LineInput,
        before: Filter,
    },
    /// Every key, scrolled.
    Help {
        scroll: usize,
    },
    Explain {
        explanation: Box<Explanation>,
        reader: Reader,
    },
    /// `kubectl describe`-style text of a pod or node.
    Describe {
        title: String,
        text: String,
        reader: Reader,
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
    /// The triage view: the findings, the one under `selected` explained (`:triage`).
    Triage {
        selected: usize,
    },
    /// The owner tree (`:xray KIND`, `X` on an object).
    Xray(Box<super::xray::XrayView>),
    /// The port-forward dialog (`shift-f`).
    Forward(Box<super::forward_dialog::ForwardDialog>),
    /// The port-forwards (`:pf`); `confirming` while ctrl-d waits for y.
    Forwards {
        selected: usize,
        confirming: bool,
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
        /// metadata.managedFields shown (`m`; hidden by default, as kubectl hides them).
        managed_fields: bool,
        reader: Reader,
        /// The object shown: the changes started from this view apply to it.
        subject: Option<Box<(Target, Key)>>,
    },
}

impl Mode {
    /// The reader of a view that reads a long text (YAML, describe, explain).
    pub fn reader(&self) -> Option<&Reader> {
        match self {
            Mode::Explain { reader, .. }
            | Mode::Describe { reader, .. }
            | Mode::Yaml { reader, .. } => Some(reader),
            _ => None,
        }
    }

    pub(crate) fn reader_mut(&mut self) -> Option<&mut Reader> {
        match self {
            Mode::Explain { reader, .. }
            | Mode::Describe { reader, .. }
            | Mode::Yaml { reader, .. } => Some(reader),
            _ => None,
        }
    }

    /// The lines a reading view shows, as its search reads them.
    pub fn reading_lines(&self) -> Vec<String> {
        match self {
            Mode::Explain { explanation, .. } => {
                super::explain_lines::explanation_lines(explanation)
                    .iter()
                    .map(|line| line.text())
                    .collect()
            }
            Mode::Describe { text, .. } => text.lines().map(str::to_string).collect(),
            Mode::Yaml {
                raw,
                revealed,
                managed_fields,
                ..
            } => super::yaml::view_text(raw, *revealed, *managed_fields)
                .lines()
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }
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
    /// The objects of a kind's pane an owner controls (a CronJob's Jobs), by owner reference:
    /// the owner's title (`cronjob batch/report`), namespace and uid.
    Owned {
        title: String,
        namespace: String,
        uid: String,
    },
    /// The pods of a triage finding, by key: its cause is the title.
    Members {
        title: String,
        keys: std::collections::BTreeSet<Key>,
    },
}

/// The pods' filter texts gathered on each tick until they are whole: about 2 ms of the loop's
/// time (all 51,539 pods' took 18 to 24 ms at once), and thirteen ticks at that many pods.
pub const FILTER_ROWS_A_TICK: usize = 4096;

/// While keys are being typed, triage's findings are worked out at most this often.
pub const FINDINGS_WHILE_TYPING: SignedDuration = SignedDuration::from_secs(5);

/// The pods' and nodes' columns that show metrics.k8s.io's usage.
const USAGE_COLUMNS: &[&str] = &[
    "CPU", "MEM", "%CPU/R", "%CPU/L", "%MEM/R", "%MEM/L", "%CPU", "%MEM",
];

/// The whole state.
#[derive(Debug)]
pub struct App {
    pub context: String,
    /// The API server's version, once known.
    pub server_version: Option<String>,
    /// Whether the cluster serves metrics.k8s.io, and the last reading of each list.
    pub metrics: crate::model::metrics::Metrics,
    /// The metrics readings replaced by newer ones, for the runtime to free off the loop's
    /// thread (`take_discarded`): a PodMetrics reading of 51,539 pods is a map of as many
    /// pairs of strings, and freed on the loop's thread it would stand between a key and its
    /// frame.
    pub(super) discarded: Vec<crate::model::metrics::MetricsReading>,
    /// The pane the last frame showed and the headers of its columns that fitted (None while
    /// a view covers it): metrics are read only while a usage column is in sight.
    pub drawn: Option<(Pane, Vec<String>)>,
    /// The namespace scope, or all namespaces.
    pub namespace: Option<String>,
    pub pane: Pane,
    pub mode: Mode,
    pub resources: Resources,
    pub health: HashMap<WatchedKind, WatchHealth>,
    pub filter: Filter,
    /// Filters, commands and searches submitted, oldest first (up/down in their lines).
    pub filter_history: Vec<String>,
    pub command_history: Vec<String>,
    pub search_history: Vec<String>,
    pub drill: Option<Drill>,
    /// Each pane's sort column and direction (reversed when true); absent is the pane's own
    /// order (namespace then name; events by last seen).
    pub sort: HashMap<Pane, (SortColumn, bool)>,
    /// Each pane's cursor: the object selected (see `selection.rs`).
    pub cursors: HashMap<Pane, super::selection::Cursor>,
    /// Where the user has been (esc, `-`, `[`, `]`).
    pub history: super::history::History,
    pub stream: Stream,
    /// The findings of what the watches hold (`:triage`, and the header's problem count).
    pub triage: super::triage::Triage,
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
    /// The wide set of columns is shown (`ctrl-w`).
    pub wide: bool,
    /// The user's column sets (`views.yaml`).
    pub views: super::views::Views,
    /// How many unpinned columns are scrolled off to the left (0: the usual set fits by
    /// importance).
    pub column_offset: usize,
    /// Objects marked with `space` for a delete of several, per pane's kind.
    pub marks: HashMap<Pane, super::selection::Marks>,
    /// The view under the command line, when `:` was typed in one (esc returns to it).
    pub under: Option<Box<Mode>>,
    /// The object an action started from a view (YAML, describe) applies to: the one the
    /// view shows, whatever the pane's cursor is on.
    pub(crate) focus: Option<(Target, Key, String)>,
    /// The owner tree a view was opened from (explain, logs, a confirmation...): shown again
    /// when that view closes.
    pub xray_under: Option<Box<super::xray::XrayView>>,
    /// The port-forwards started (`:pf`).
    pub forwards: super::forwards::Forwards,
    /// The keys in force, for the footer and the help.
    pub keymap: super::keymap::Keymap,
    /// The kubeconfig's contexts (`:ctx NAME` switches).
    pub contexts: Vec<String>,
    /// The context being connected to (its credentials being got), while the screen still
    /// shows the current one.
    pub switching: Option<String>,
    /// Namespaces chosen before, numbered 1 to 9 in this order (`0` is all namespaces).
    pub favourites: Vec<String>,
    /// A one-line message for the footer (an unknown command, say).
    pub message: Option<String>,
    /// What the runtime should do itself (the editor, the clipboard, a file, a context
    /// switch); it takes them after each update.
    pub effects: Vec<super::request::Effect>,
    /// What the runtime should ask the cluster for; it takes them after each update.
    pub requests: Vec<Request>,
    /// Whether triage's findings are worked out on the runtime's worker (it takes each job
    /// with `take_findings_job`) rather than at once, on the caller's path.
    pub findings_on_worker: bool,
    pub quit: bool,
    /// Whether anything changed since the last frame.
    pub dirty: bool,
    /// Kinds whose initial list is done (their later changes go to the stream).
    pub(super) synced: HashMap<WatchedKind, bool>,
    /// During a (re)list, the keys it has delivered: what it did not deliver is gone.
    pub(super) listed: HashMap<WatchedKind, std::collections::HashSet<Key>>,
}

impl App {
    /// The readings replaced since this was last asked.
    pub fn take_discarded(&mut self) -> Vec<crate::model::metrics::MetricsReading> {
        std::mem::take(&mut self.discarded)
    }

    /// A fresh state for `context`, scoped to `namespace` (None = all namespaces).
    pub fn new(context: impl Into<String>, namespace: Option<String>, now: Timestamp) -> Self {
        Self {
            context: context.into(),
            server_version: None,
            metrics: Default::default(),
            discarded: Vec::new(),
            drawn: None,
            namespace: namespace.clone(),
            pane: Pane::Pods,
            mode: Mode::Normal,
            resources: Resources::default(),
            health: WatchedKind::from_start()
                .map(|k| (k, WatchHealth::Syncing))
                .collect(),
            filter: Filter::default(),
            filter_history: Vec::new(),
            command_history: Vec::new(),
            search_history: Vec::new(),
            drill: None,
            sort: HashMap::new(),
            cursors: HashMap::new(),
            history: Default::default(),
            stream: Stream::default(),
            triage: Default::default(),
            now,
            page_rows: 20,
            discovered: Vec::new(),
            tables: Vec::new(),
            reopen: None,
            log_generation: 0,
            log_lines: super::log_buffer::DEFAULT_CAPACITY,
            readonly: false,
            wide: false,
            views: Default::default(),
            column_offset: 0,
            marks: HashMap::new(),
            under: None,
            focus: None,
            xray_under: None,
            forwards: Default::default(),
            keymap: Default::default(),
            contexts: Vec::new(),
            switching: None,
            favourites: namespace.iter().cloned().collect(),
            message: None,
            effects: Vec::new(),
            requests: Vec::new(),
            findings_on_worker: false,
            quit: false,
            dirty: true,
            synced: HashMap::new(),
            listed: HashMap::new(),
        }
    }

    /// The clock moved on (ages and "ago" texts change).
    pub fn tick(&mut self, now: Timestamp) {
        self.tick_with(now, false);
    }

    /// The clock's tick while keys are being typed (one came a moment ago): triage's findings
    /// are worked out at most every `FINDINGS_WHILE_TYPING`. Their work is the worker's, but
    /// planning it and taking in its answer (and the frame that shows it) are the loop's: 1 to
    /// 4 ms at 51,539 pods under `--churn 200`, which a key typed right after would wait for.
    pub fn tick_while_typing(&mut self, now: Timestamp) {
        self.tick_with(now, true);
    }

    fn tick_with(&mut self, now: Timestamp, typing: bool) {
        self.now = now;
        self.dirty = true;
        self.ready_rows_for_filter();
        self.triage.history.tick(now);
        // While a filter is typed, each key is answered before triage's part of the second:
        // the findings catch up on the first tick after the prompt closes.
        let waited = self
            .triage
            .computed
            .is_none_or(|at| now.duration_since(at) >= FINDINGS_WHILE_TYPING);
        if !matches!(self.mode, Mode::Filter { .. }) && (!typing || waited) {
            self.refresh_findings();
        }
        self.refresh_xray();
    }

    /// While a filter is typed (or a regex applies) on the pods, their rows with the ages of
    /// now are made when the prompt opens and when the clock moves, between keystrokes, rather
    /// than on the next keystroke's path. Otherwise, once the pods are listed and while their
    /// pane is open, they are gathered `FILTER_ROWS_A_TICK` at a time and then kept current, so
    /// the prompt opens on rows already made.
    pub(crate) fn ready_rows_for_filter(&self) {
        if self.pane != Pane::Pods {
            return;
        }
        let typing = matches!(self.mode, Mode::Filter { .. });
        if typing || self.filter.scans() {
            drop(self.resources.pod_rows_with_ages(self.now));
        } else if self.synced.get(&WatchedKind::Pods) == Some(&true) {
            self.resources.ready_pod_rows(self.now, FILTER_ROWS_A_TICK);
        }
    }

    /// The kinds the panes opened so far need watched. The events are read by explanations,
    /// descriptions and their own pane, not by the first screen: they are listed once the pods
    /// are (or at once on the events pane), so they do not compete with the pods' list.
    pub fn wanted_watches(&self) -> Vec<WatchedKind> {
        let pods_in = self.health.get(&WatchedKind::Pods) != Some(&WatchHealth::Syncing);
        let events_now = pods_in || self.pane == Pane::Events;
        let mut kinds: Vec<WatchedKind> = WatchedKind::from_start().collect();
        let opened: Vec<WatchedKind> = self
            .health
            .keys()
            .filter(|k| !kinds.contains(k))
            .copied()
            .collect();
        kinds.extend(opened);
        kinds.retain(|kind| *kind != WatchedKind::Events || events_now);
        kinds
    }

    /// Whether the kind the pane shows is still being listed and some of it is in (until its
    /// first rows are shown, every frame counts).
    pub fn listing(&self) -> bool {
        self.pane.kind().is_some_and(|kind| {
            self.health.get(&kind) == Some(&WatchHealth::Syncing) && self.resources.holds_any(kind)
        })
    }

    /// Whether every watch started has delivered its first list (or failed to).
    pub fn first_lists_in(&self) -> bool {
        !self.health.is_empty()
            && self
                .health
                .values()
                .all(|health| *health != WatchHealth::Syncing)
    }

    /// What the frame just drawn showed (see `drawn`).
    pub fn drawn(&mut self, drawn: Option<(Pane, Vec<String>)>) {
        self.drawn = drawn;
    }

    /// Which metrics lists to read now: PodMetrics while the pods pane shows a usage column
    /// (or is sorted by usage), NodeMetrics likewise on the nodes pane; and only once the
    /// pane's own list is in, so a slow metrics answer never holds the list back; none while
    /// a filter is typed.
    pub fn wanted_metrics(&self) -> crate::model::metrics::WantedMetrics {
        let mut wanted = crate::model::metrics::WantedMetrics::default();
        // While a filter is typed, no reading is asked for: at 50,000 pods a PodMetrics list is
        // 16.8 MB read on a thread beside the loop (and the server's work), and a key typed as
        // one was read waited for its turn (10 to 100 ms under churn on two cores). The last
        // reading stays on screen; the next is read once the prompt closes, when it is due.
        if matches!(self.mode, Mode::Filter { .. }) {
            return wanted;
        }
        if matches!(self.mode, Mode::Triage { .. }) {
            // The pulse's CPU and memory: the nodes' usage, a list as long as the nodes.
            wanted.nodes = self.metrics.for_nodes()
                && self.health.get(&WatchedKind::Nodes) == Some(&WatchHealth::Live);
            return wanted;
        }
        let (kind, served) = match self.pane {
            Pane::Pods => (WatchedKind::Pods, self.metrics.for_pods()),
            Pane::Nodes => (WatchedKind::Nodes, self.metrics.for_nodes()),
            _ => return wanted,
        };
        let listed = self.health.get(&kind) != Some(&WatchHealth::Syncing);
        let in_sight = match &self.drawn {
            Some((pane, columns)) if *pane == self.pane => columns
                .iter()
                .any(|header| USAGE_COLUMNS.contains(&header.as_str())),
            _ => false,
        };
        let sorted = matches!(
            self.sort.get(&self.pane),
            Some((SortColumn::Cpu | SortColumn::Memory, _))
        );
        let want = served && listed && (in_sight || sorted);
        match self.pane {
            Pane::Pods => wanted.pods = want,
            _ => wanted.nodes = want,
        }
        wanted
    }

    /// The health of the watch behind the current pane.
    pub fn pane_health(&self) -> Option<&WatchHealth> {
        match self.pane {
            Pane::Table(index) => self.tables.get(index).map(|t| &t.health),
            pane => pane.kind().and_then(|kind| self.health.get(&kind)),
        }
    }
}
