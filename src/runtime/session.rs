//! One cluster connection's background work: a watch per kind and scope, the version, the
//! metrics reader (reading what the app wants), and the requests the app made. Replaced whole when the context changes, so
//! nothing of the old cluster can reach the new screen (each session has its own channel).

use std::collections::HashMap;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::request::Request;
use crate::app::state::App;
use crate::cluster::connect::Connection;
use crate::cluster::discovery::discover_all;
use crate::cluster::metrics::spawn_metrics;
use crate::cluster::table_watch::spawn_table_watch;
use crate::cluster::watch::{ListStrategy, spawn_watch};
use crate::model::inbox::ClusterMessage;
use crate::model::kind::WatchedKind;
use crate::model::metrics::WantedMetrics;
use crate::model::resource_info::ResourceInfo;

pub struct Session {
    pub connection: Connection,
    pub messages: mpsc::UnboundedReceiver<ClusterMessage>,
    sender: mpsc::UnboundedSender<ClusterMessage>,
    /// The namespace the namespaced watches cover (None: all).
    scope: Option<String>,
    watches: HashMap<WatchedKind, JoinHandle<()>>,
    /// The log tail (its task and forwarder), replaced when the view asks for another.
    log_tail: Option<[JoinHandle<()>; 2]>,
    /// The drain running, if any (to cancel it), and its forwarder.
    drain: Option<(crate::cluster::drain::DrainHandle, JoinHandle<()>)>,
    /// Table watches of other kinds: the resource, and the watch and its forwarder.
    tables: Vec<(ResourceInfo, [JoinHandle<()>; 2])>,
    /// What the app wants of metrics.k8s.io, told to the metrics reader.
    metrics_wanted: watch::Sender<WantedMetrics>,
    /// The metrics reader, over the scope of the namespaced watches.
    metrics: JoinHandle<()>,
    /// How this server's initial lists are read (streamed or in pages), learned by the first
    /// watch that asks.
    lists: ListStrategy,
    background: Vec<JoinHandle<()>>,
    /// The port-forwards running (each its listener and its forwarder), by number; they run
    /// while the user navigates and stop with the session.
    forwards: HashMap<u64, [JoinHandle<()>; 2]>,
}

impl Session {
    pub fn start(connection: Connection, scope: Option<String>) -> Self {
        let (sender, messages) = mpsc::unbounded_channel();
        tracing::info!(context = %connection.context, server = %connection.server, scope = ?scope, "session started");
        let client = connection.client.clone();
        let background = vec![
            spawn_discovery(client.clone(), sender.clone()),
            crate::cluster::watch::spawn_version(client.clone(), sender.clone()),
        ];
        let (metrics_wanted, wanted) = watch::channel(WantedMetrics::default());
        let metrics = spawn_metrics(client, scope.clone(), wanted, sender.clone());
        Session {
            connection,
            messages,
            sender,
            scope,
            watches: HashMap::new(),
            tables: Vec::new(),
            log_tail: None,
            drain: None,
            metrics_wanted,
            metrics,
            lists: ListStrategy::default(),
            background,
            forwards: HashMap::new(),
        }
    }

    /// Brings the watches in line with the app: a watch for each kind it needs, over a scope
    /// that covers its namespace. Watching every namespace covers any; a narrower watch is
    /// replaced when the app leaves its namespace (the relist then drops what is out of scope).
    pub fn follow(&mut self, app: &App) {
        let covered = self.scope.is_none() || self.scope == app.namespace;
        if !covered {
            self.scope = app.namespace.clone();
            self.watches.retain(|kind, watch| {
                if kind.namespaced() {
                    watch.abort();
                    false
                } else {
                    true
                }
            });
            let rescoped: Vec<ResourceInfo> = self
                .tables
                .iter()
                .filter(|(resource, _)| resource.namespaced)
                .map(|(resource, _)| resource.clone())
                .collect();
            self.tables.retain(|(resource, tasks)| {
                if resource.namespaced {
                    tasks.iter().for_each(JoinHandle::abort);
                }
                !resource.namespaced
            });
            for resource in rescoped {
                self.watch_table(resource);
            }
            self.metrics.abort();
            self.metrics = spawn_metrics(
                self.connection.client.clone(),
                self.scope.clone(),
                self.metrics_wanted.subscribe(),
                self.sender.clone(),
            );
        }
        let wanted = app.wanted_metrics();
        self.metrics_wanted.send_if_modified(|now| {
            let changed = *now != wanted;
            *now = wanted;
            changed
        });
        for kind in app.wanted_watches() {
            let client = &self.connection.client;
            let (scope, sender, lists) = (&self.scope, &self.sender, &self.lists);
            self.watches.entry(kind).or_insert_with(|| {
                spawn_watch(
                    client.clone(),
                    kind,
                    scope.clone(),
                    lists.clone(),
                    sender.clone(),
                )
            });
        }
    }

    /// Watches another kind as Tables; its messages join the session's stream.
    fn watch_table(&mut self, resource: ResourceInfo) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let watch = spawn_table_watch(
            self.connection.client.clone(),
            resource.clone(),
            self.scope.clone(),
            sender,
        );
        let forwarder = forward(receiver, self.sender.clone(), ClusterMessage::Table);
        self.tables.push((resource, [watch, forwarder]));
    }

    fn stop_logs(&mut self) {
        if let Some(tasks) = self.log_tail.take() {
            tasks.iter().for_each(JoinHandle::abort);
        }
    }

    /// Where answers to this session's requests go.
    pub fn sender(&self) -> mpsc::UnboundedSender<ClusterMessage> {
        self.sender.clone()
    }

    /// Carries out one of the app's requests on a task of its own; the answer comes back as a
    /// message, so a slow API server never holds up the screen.
    pub fn carry_out(&mut self, request: Request) {
        match request {
            Request::Fetch {
                target,
                key,
                purpose,
            } => {
                let client = self.connection.client.clone();
                let server = self.connection.server.clone();
                let sender = self.sender.clone();
                tokio::spawn(async move {
                    use crate::cluster::fetch::{events_naming, get_target};
                    let result = get_target(&client, &server, &target, &key)
                        .await
                        .map(Box::new)
                        .map_err(|error| error.to_string());
                    // A description lists the object's Events as kubectl's does; without
                    // them (a 403 on Events) it is made from those the watch kept.
                    let events = match (&result, purpose) {
                        (Ok(_), crate::app::request::Purpose::Describe) => {
                            events_naming(&client, &server, &key).await.ok()
                        }
                        _ => None,
                    };
                    let _ = sender.send(ClusterMessage::Fetched {
                        target,
                        key,
                        result,
                        events,
                    });
                });
            }
            Request::WatchTable(resource) => self.watch_table(resource),
            Request::TailLogs {
                generation,
                request,
            } => {
                self.stop_logs();
                let (sender, receiver) = mpsc::unbounded_channel();
                let tail = crate::cluster::logs::spawn_log_tail(
                    self.connection.client.clone(),
                    request,
                    sender,
                );
                let forwarder = forward(receiver, self.sender.clone(), move |message| {
                    ClusterMessage::Logs {
                        generation,
                        message,
                    }
                });
                self.log_tail = Some([tail, forwarder]);
            }
            Request::StopLogs => self.stop_logs(),
            Request::Forward(spec) => {
                let id = spec.id;
                let (sender, receiver) = mpsc::unbounded_channel();
                let listener = crate::cluster::port_forward::spawn_forward(
                    self.connection.client.clone(),
                    spec,
                    sender,
                );
                let forwarder = forward(receiver, self.sender.clone(), move |event| {
                    ClusterMessage::Forward { id, event }
                });
                self.forwards.insert(id, [listener, forwarder]);
            }
            Request::StopForward(id) => {
                if let Some(tasks) = self.forwards.remove(&id) {
                    tasks.iter().for_each(JoinHandle::abort);
                }
            }
            Request::PlanDrain { node, options } => {
                let client = self.connection.client.clone();
                let sender = self.sender.clone();
                tokio::spawn(async move {
                    let plan = crate::cluster::drain::plan(client, node, options).await;
                    let _ = sender.send(ClusterMessage::DrainPlanned(plan.map(Box::new)));
                });
            }
            Request::Drain { node, options } => {
                let (sender, receiver) = mpsc::unbounded_channel();
                let handle = crate::cluster::drain::spawn_drain(
                    self.connection.client.clone(),
                    node,
                    options,
                    sender,
                );
                let forwarder = forward(receiver, self.sender.clone(), |progress| {
                    ClusterMessage::Drain(Box::new(progress))
                });
                self.drain = Some((handle, forwarder));
            }
            Request::CancelDrain => {
                if let Some((handle, _)) = &self.drain {
                    handle.cancel();
                }
            }
            Request::PreviewPatch {
                target,
                key,
                patch_type,
                patch,
            } => super::patching::spawn_preview(
                self.connection.client.clone(),
                crate::model::patch_review::PatchReview::unchecked(
                    target, key, patch_type, patch, false,
                ),
                self.sender.clone(),
            ),
            Request::ApplyPatch(review) => super::patching::spawn_apply(
                self.connection.client.clone(),
                *review,
                self.sender.clone(),
            ),
            Request::Repreview(review) => super::patching::spawn_repreview(
                self.connection.client.clone(),
                self.connection.server.clone(),
                *review,
                self.sender.clone(),
            ),
            Request::Run(operation) => {
                let client = self.connection.client.clone();
                let sender = self.sender.clone();
                tokio::spawn(async move {
                    let result = super::operations::run(client, operation).await;
                    let _ = sender.send(ClusterMessage::OperationDone(result));
                });
            } // The runtime replaces the whole session for this one.
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for watch in self.watches.values() {
            watch.abort();
        }
        for task in &self.background {
            task.abort();
        }
        self.metrics.abort();
        for (_, tasks) in &self.tables {
            tasks.iter().for_each(JoinHandle::abort);
        }
        self.stop_logs();
        for tasks in self.forwards.values() {
            tasks.iter().for_each(JoinHandle::abort);
        }
        // A drain in flight is cancelled with its session: the node stays cordoned.
        if let Some((handle, forwarder)) = &self.drain {
            handle.cancel();
            forwarder.abort();
        }
    }
}

/// Passes what a task reports on to the session's channel, as the app's messages; ends when
/// either side is gone.
fn forward<T: Send + 'static>(
    mut receiver: mpsc::UnboundedReceiver<T>,
    sender: mpsc::UnboundedSender<ClusterMessage>,
    message: impl Fn(T) -> ClusterMessage + Send + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(item) = receiver.recv().await {
            if sender.send(message(item)).is_err() {
                return;
            }
        }
    })
}

/// Asks the API server what it serves, retrying every 10 s until it answers.
fn spawn_discovery(
    client: kube::Client,
    sender: mpsc::UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Ok(discovery) = discover_all(&client).await {
                let _ = sender.send(ClusterMessage::Discovered(discovery.resources));
                let _ = sender.send(ClusterMessage::MetricsServed(discovery.metrics));
                return;
            }
            if sender.is_closed() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        }
    })
}
