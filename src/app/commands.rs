//! Commands typed after `:` (panes, kinds, contexts, `:delete-failed`), their completion, and
//! the namespace scope and context they change.

use super::request::{Effect, Request};
use super::state::{App, Pane, WatchHealth};
use crate::model::inbox::one_line;

impl App {
    /// `:ctx` lists the contexts; `:ctx NAME` asks the runtime to connect to one, and `:ctx`
    /// of the current one to read the kubeconfig again (a rotated token or certificate takes
    /// effect). The screen keeps the current cluster until the new connection is made.
    pub(crate) fn choose_context(&mut self, name: Option<&str>) {
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
            Some(name) => {
                self.effects.push(Effect::SwitchContext(name.to_string()));
                self.switching = Some(name.to_string());
                self.message = Some(if name == self.context {
                    format!("reloading the kubeconfig for context {name}...")
                } else {
                    format!("connecting to context {name}...")
                });
            }
        }
    }

    /// The runtime connected to `context` (the kubeconfig listing `contexts`): everything
    /// shown is of the new connection from now on.
    pub fn switched_context(
        &mut self,
        context: String,
        namespace: Option<String>,
        contexts: Vec<String>,
    ) {
        let reloaded = context == self.context;
        let mut fresh = App::new(context.clone(), namespace, self.now);
        fresh.contexts = contexts;
        fresh.readonly = self.readonly;
        fresh.findings_on_worker = self.findings_on_worker;
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
        fresh.views = std::mem::take(&mut self.views);
        if reloaded {
            // The same cluster: the namespaces chosen before are still there.
            fresh.favourites = std::mem::take(&mut self.favourites);
        }
        fresh.message = Some(if reloaded {
            format!("reloaded the kubeconfig for context {context}")
        } else {
            format!("switched to context {context}")
        });
        *self = fresh;
    }

    /// Connecting to another context failed: the current one stays.
    pub fn context_failed(&mut self, error: String) {
        self.switching = None;
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

    pub(crate) fn run_command(&mut self, command: &str) {
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
        if matches!(name, "triage" | "problems") {
            self.open_triage();
            return;
        }
        if matches!(name, "xray" | "x") {
            self.xray_command(words.next());
            return;
        }
        if matches!(name, "pf" | "port-forward" | "portforwards") {
            self.open_forwards();
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
                if pane == Pane::Stream {
                    // The stream opens on the newest change, following.
                    self.stream.cursor = None;
                }
                if let Pane::Kind(kind) = pane {
                    // First visit: the runtime starts this kind's watch, and the watch of what
                    // it controls (for its explanation and description).
                    self.health.entry(kind).or_insert(WatchHealth::Syncing);
                    if let Some(controlled) = kind.info().can.controls {
                        self.health
                            .entry(controlled)
                            .or_insert(WatchHealth::Syncing);
                    }
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
        // name), then the stream, triage, xray, `pf` and `ctx`.
        let mut names: Vec<String> = crate::model::kind::KINDS
            .iter()
            .map(|info| match info.short_names.first() {
                Some(short) if !info.from_start => short,
                _ => info.plural,
            })
            .chain(["stream", "triage", "xray", "pf", "ctx"])
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
    pub(crate) fn open_table(&mut self, resource: crate::model::resource_info::ResourceInfo) {
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
}
