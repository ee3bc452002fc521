//! What a log tail reads (`kubectl logs` options for a pod or a workload's pods) and what it
//! tells the explorer: lines, and how each (pod, container) stream stands.

use std::sync::Arc;

use jiff::Timestamp;

/// Lines asked for when a log is followed, as k9s opens one (the whole log can be megabytes).
pub const DEFAULT_FOLLOW_TAIL_LINES: i64 = 1000;
/// Which containers of each pod to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerChoice {
    /// The container of this name.
    One(String),
    /// Every container, as `kubectl logs --all-containers`: the init containers that have run,
    /// then the containers, then the ephemeral containers that have run.
    All,
}

/// Where the log starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// The last this many seconds (`sinceSeconds`).
    Seconds(i64),
    /// Lines stamped at or after this instant (`sinceTime`; the API only takes whole seconds,
    /// so the lines of the second before it are dropped here).
    Time(Timestamp),
}

/// What to read: `kubectl logs` options for one pod or a workload's pods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRequest {
    pub namespace: String,
    /// One pod, or the pods of a workload.
    pub pods: Vec<String>,
    pub container: ContainerChoice,
    /// The previous (terminated) run of each container; never followed.
    pub previous: bool,
    /// Whether `LogLine::text` keeps the kubelet's timestamp prefix (as `kubectl --timestamps`).
    pub timestamps: bool,
    pub since: Option<Since>,
    /// The last N lines; `None` is the whole log.
    pub tail_lines: Option<i64>,
    pub follow: bool,
}

impl LogRequest {
    /// Following `container` of `pods` from their last `DEFAULT_FOLLOW_TAIL_LINES` lines, as
    /// k9s opens a log.
    pub fn following(
        namespace: impl Into<String>,
        pods: Vec<String>,
        container: ContainerChoice,
    ) -> Self {
        LogRequest {
            namespace: namespace.into(),
            pods,
            container,
            previous: false,
            timestamps: false,
            since: None,
            tail_lines: Some(DEFAULT_FOLLOW_TAIL_LINES),
            follow: true,
        }
    }
}

/// One line of one container's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Shared by every line of the stream, so a full buffer holds the names once.
    pub pod: Arc<str>,
    pub container: Arc<str>,
    /// The line without its newline (and without a trailing `\r`), invalid UTF-8 replaced;
    /// with the kubelet's timestamp prefix only when the request asked for timestamps.
    pub text: String,
    /// When the kubelet received the line (its timestamp prefix, which is always asked for),
    /// so lines of several streams can be interleaved; `None` if the prefix did not parse.
    pub at: Option<Timestamp>,
}

/// How one (pod, container) stream stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamState {
    /// Connected: lines flow (again).
    Streaming,
    /// The log is complete: read to its end, or the followed container stopped for good or
    /// its pod is gone.
    Ended,
    /// The stream dropped, or the container has not started yet; the next try waits for a
    /// back-off of 1 s doubling to 30 s. `error` is one line.
    Reconnecting { attempt: u32, error: String },
    /// The stream cannot be read: the API server's (or kubelet's) words, on one line.
    Failed(String),
}

/// What a log tail tells the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogMessage {
    /// The lines of one chunk the server sent, all of one stream, in order. Batched because a
    /// busy log is tens of thousands of lines a second and a message each would be the cost.
    Lines(Vec<LogLine>),
    /// A stream's state changed. `container` is empty when the pod itself could not be read to
    /// list its containers.
    Status {
        pod: Arc<str>,
        container: Arc<str>,
        state: StreamState,
    },
}
