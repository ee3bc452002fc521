//! One watch per kind and scope (kube-rs watchers), turned into messages for the app: objects
//! applied and deleted, when the initial list is complete, and how healthy the watch is.

use futures::StreamExt;
use kube::Client;
use kube::api::Api;
use kube::runtime::watcher::{self, Event};

use super::decode::WireObject;
use super::discovery::ApiResourceOf;
use crate::model::kind::WatchedKind;
use crate::model::watched::{Key, WatchedObject};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// What a watch tells the app.
#[derive(Debug, Clone)]
pub enum ClusterMessage {
    /// A (re)list began: the objects that follow replace what the app had.
    Listing { kind: WatchedKind },
    /// An object was added or changed.
    Applied {
        kind: WatchedKind,
        object: WatchedObject,
    },
    /// An object was deleted.
    Deleted { kind: WatchedKind, key: Key },
    /// The initial list is complete; from now on changes are live.
    Synced { kind: WatchedKind },
    /// The watch failed; it retries with backoff. The text is one line.
    Failed {
        kind: WatchedKind,
        error: String,
        forbidden: bool,
    },
    /// The API server's version (`v1.35.0`).
    ServerVersion(String),
    /// A reading of metrics.k8s.io.
    Metrics(Box<super::metrics::MetricsSnapshot>),
    /// A mutation finished: kubectl's line on success, the server's words on failure.
    OperationDone(Result<String, String>),
    /// What became of a patch or an edit (previewed, applied, conflicting, failed).
    Patch(super::patch::PatchOutcome),
    /// Lines or stream states of the log tail started as `generation`.
    Logs {
        generation: u64,
        message: super::logs::LogMessage,
    },
    /// The plan for a drain, or why it could not be made.
    DrainPlanned(Result<Box<crate::model::drain::DrainPlan>, String>),
    /// A step of the running drain.
    Drain(Box<super::drain::DrainProgress>),
    /// The resources the API server serves (for `:kind` and completion).
    Discovered(Vec<crate::model::resource_info::ResourceInfo>),
    /// What a table watch of another kind saw.
    Table(super::table_watch::TableMessage),
    /// The answer to a GET the app asked for: the whole object, or a one-line error.
    Fetched {
        target: crate::model::kind::Target,
        key: Key,
        result: Result<Box<serde_json::Value>, String>,
    },
}

/// Asks the API server for its version once, retrying every few seconds until it answers.
pub fn spawn_version(client: Client, sender: UnboundedSender<ClusterMessage>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Ok(info) = client.apiserver_version().await {
                let _ = sender.send(ClusterMessage::ServerVersion(info.git_version));
                return;
            }
            if sender.is_closed() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    })
}

impl ClusterMessage {
    /// An object added or changed, from its JSON (tests and fixtures hand objects over this way).
    pub fn applied(kind: WatchedKind, object: &serde_json::Value) -> Self {
        ClusterMessage::Applied {
            kind,
            object: WatchedObject::from_value(kind, object),
        }
    }

    /// An object deleted, named by its JSON.
    pub fn deleted(kind: WatchedKind, object: &serde_json::Value) -> Self {
        ClusterMessage::Deleted {
            kind,
            key: crate::model::watched::key_of(object),
        }
    }
}

/// Starts watching `kind` (in `namespace`, or everywhere) and sends what happens to `sender`.
/// The task ends when the receiver is gone.
pub fn spawn_watch(
    client: Client,
    kind: WatchedKind,
    namespace: Option<String>,
    sender: UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    /// What the watch hands its decoder, in order.
    enum Step {
        Event(Box<Event<WireObject>>),
        Failed { error: String, forbidden: bool },
    }
    // Objects are decoded on a task of their own, so decoding one page overlaps with fetching
    // the next (the list comes in pages, each asked for once the last has arrived).
    let (steps, mut received) = tokio::sync::mpsc::unbounded_channel::<Step>();
    let decoder = tokio::spawn(async move {
        while let Some(step) = received.recv().await {
            let message = match step {
                Step::Event(event) => match *event {
                    Event::Init => ClusterMessage::Listing { kind },
                    Event::InitApply(object) | Event::Apply(object) => ClusterMessage::Applied {
                        kind,
                        object: WatchedObject::decode(kind, object.text.get()),
                    },
                    Event::InitDone => ClusterMessage::Synced { kind },
                    Event::Delete(object) => ClusterMessage::Deleted {
                        kind,
                        key: object.key(),
                    },
                },
                Step::Failed { error, forbidden } => ClusterMessage::Failed {
                    kind,
                    error,
                    forbidden,
                },
            };
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        // The decoder goes with this task, whether it ends or is aborted.
        struct AbortOnDrop(JoinHandle<()>);
        impl Drop for AbortOnDrop {
            fn drop(&mut self) {
                self.0.abort();
            }
        }
        let _decoder = AbortOnDrop(decoder);
        let resource = kind.api_resource();
        let api: Api<WireObject> = match (&namespace, kind.namespaced()) {
            (Some(namespace), true) => Api::namespaced_with(client, namespace, &resource),
            _ => Api::all_with(client, &resource),
        };
        let mut stream = watcher::watcher(api, watcher::Config::default()).boxed();
        while let Some(event) = stream.next().await {
            let step = match event {
                Ok(event) => Step::Event(Box::new(event)),
                Err(error) => {
                    let text = error.to_string();
                    tracing::warn!(kind = kind.plural(), error = %text, "watch failed; retrying");
                    Step::Failed {
                        forbidden: text.contains("403")
                            || text.to_lowercase().contains("forbidden"),
                        error: one_line(&text),
                    }
                }
            };
            let failed = matches!(step, Step::Failed { .. });
            if steps.send(step).is_err() {
                return;
            }
            if failed {
                // The watcher retries on its next poll; wait so a dead server is not hammered.
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
        }
    })
}

/// A message on one line: every run of whitespace (newlines included) becomes one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
