//! The explorer's inbox: every message the cluster side sends the app (watch events, answers
//! to requests, progress of long actions), as plain data.

use super::kind::WatchedKind;
use super::watched::{Key, WatchedObject};

/// What the cluster tells the explorer: the watches, and the answers to its requests.
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
    /// A list read from metrics.k8s.io.
    Metrics(Box<super::metrics::MetricsReading>),
    /// Whether discovery found metrics.k8s.io served (the usage columns then appear).
    MetricsServed(bool),
    /// A mutation finished: kubectl's line on success, the server's words on failure.
    OperationDone(Result<String, String>),
    /// What became of a patch or an edit (previewed, applied, conflicting, failed).
    Patch(super::patch_review::PatchOutcome),
    /// Lines or stream states of the log tail started as `generation`.
    Logs {
        generation: u64,
        message: super::log_stream::LogMessage,
    },
    /// The plan for a drain, or why it could not be made.
    DrainPlanned(Result<Box<super::drain::DrainPlan>, String>),
    /// A step of the running drain.
    Drain(Box<super::drain_progress::DrainProgress>),
    /// The resources the API server serves (for `:kind` and completion).
    Discovered(Vec<super::resource_info::ResourceInfo>),
    /// What a table watch of another kind saw.
    Table(super::table_feed::TableMessage),
    /// The answer to a GET the app asked for: the whole object, or a one-line error.
    Fetched {
        target: super::kind::Target,
        key: Key,
        result: Result<Box<serde_json::Value>, String>,
        /// For a description: the Events naming the object, as the API server lists them
        /// (None: not asked for, or not listed).
        events: Option<Vec<super::event::Event>>,
    },
    /// What the port-forward numbered `id` reports.
    Forward {
        id: u64,
        event: super::port_forward::ForwardEvent,
    },
    /// Several of a watch's messages, in order: a batch it decoded, sent at once. Sent one by
    /// one, the 51,539 pods of a list woke the loop's thread 4,700 to 19,000 times.
    Batch(Vec<ClusterMessage>),
}

impl ClusterMessage {
    /// `messages` as one message (the one itself when alone).
    pub fn batch(mut messages: Vec<ClusterMessage>) -> Self {
        if messages.len() == 1 {
            messages.pop().expect("one")
        } else {
            ClusterMessage::Batch(messages)
        }
    }

    /// The messages this one holds, in order (itself when it is no batch).
    pub fn into_each(self) -> Vec<ClusterMessage> {
        match self {
            ClusterMessage::Batch(messages) => messages,
            other => vec![other],
        }
    }

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
            key: super::watched::key_of(object),
        }
    }
}

/// A message on one line: every run of whitespace (newlines included) becomes one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
