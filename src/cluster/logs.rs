//! Container logs, tailed: one `pods/log` stream per (pod, container), split into lines,
//! batched per chunk the server sends, and resumed where it broke off when a followed stream
//! drops. The app gets `LogMessage`s; nothing here knows how they are shown.

use crate::model::inbox::one_line;
use crate::model::log_stream::{
    ContainerChoice, LogLine, LogMessage, LogRequest, Since, StreamState,
};
use std::sync::Arc;
use std::time::Duration;

use futures::AsyncBufReadExt;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use kube::Client;
use kube::api::{Api, LogParams};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::{JoinHandle, JoinSet};

/// The first wait before reconnecting a dropped stream; it doubles up to `BACKOFF_MAX`.
const BACKOFF_START: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Reads the logs `request` names and sends them to `sender`, one stream per (pod, container).
/// The task ends when every stream has ended or failed, or when the receiver is gone; aborting
/// it stops every stream.
pub fn spawn_log_tail(
    client: Client,
    request: LogRequest,
    sender: UnboundedSender<LogMessage>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let api: Api<Pod> = Api::namespaced(client, &request.namespace);
        let request = Arc::new(request);
        let mut streams = JoinSet::new();
        for pod in &request.pods {
            let pod: Arc<str> = Arc::from(pod.as_str());
            let containers = match &request.container {
                ContainerChoice::One(name) => vec![name.clone()],
                ContainerChoice::All => match api.get(&pod).await {
                    Ok(object) => containers_that_log(&object),
                    Err(error) => {
                        let message = LogMessage::Status {
                            pod,
                            container: Arc::from(""),
                            state: StreamState::Failed(error_text(&error)),
                        };
                        if sender.send(message).is_err() {
                            return;
                        }
                        continue;
                    }
                },
            };
            for container in containers {
                let stream = ContainerStream {
                    api: api.clone(),
                    request: request.clone(),
                    pod: pod.clone(),
                    container: Arc::from(container),
                    sender: sender.clone(),
                };
                streams.spawn(stream.run());
            }
        }
        while streams.join_next().await.is_some() {}
    })
}

/// The containers `kubectl logs --all-containers` reads, in its order, leaving out init and
/// ephemeral containers that have never run (their logs do not exist; asking gives an error).
/// Regular containers are always read: one not started yet is waited for when following.
pub fn containers_that_log(pod: &Pod) -> Vec<String> {
    let status = pod.status.as_ref();
    let has_run = |statuses: Option<&Vec<k8s_openapi::api::core::v1::ContainerStatus>>,
                   name: &str| {
        statuses.into_iter().flatten().any(|s| {
            s.name == name
                && (s.restart_count > 0
                    || s.state
                        .as_ref()
                        .is_some_and(|state| state.running.is_some() || state.terminated.is_some())
                    || s.last_state
                        .as_ref()
                        .is_some_and(|state| state.terminated.is_some()))
        })
    };
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| &c.name)
        .filter(|name| {
            has_run(
                status.and_then(|s| s.init_container_statuses.as_ref()),
                name,
            )
        });
    let regular = spec.containers.iter().map(|c| &c.name);
    let ephemeral = spec
        .ephemeral_containers
        .iter()
        .flatten()
        .map(|c| &c.name)
        .filter(|name| {
            has_run(
                status.and_then(|s| s.ephemeral_container_statuses.as_ref()),
                name,
            )
        });
    init.chain(regular).chain(ephemeral).cloned().collect()
}

/// One (pod, container) log, read until it ends, fails or nobody listens.
struct ContainerStream {
    api: Api<Pod>,
    request: Arc<LogRequest>,
    pod: Arc<str>,
    container: Arc<str>,
    sender: UnboundedSender<LogMessage>,
}

/// How one connection's reading stopped.
enum ReadEnd {
    /// The server closed the stream cleanly.
    Closed,
    /// The connection broke; the text is one line.
    Broken(String),
    /// The receiver is gone.
    Unheard,
}

impl ContainerStream {
    async fn run(self) {
        // A previous run has ended: its log is read once, whatever `follow` says.
        let follow = self.request.follow && !self.request.previous;
        let mut position = Position::default();
        if let Some(Since::Time(since)) = self.request.since {
            position.skip = Some((since, 0));
        }
        let mut splitter = LineSplitter::default();
        let mut attempt: u32 = 0;
        let mut streamed = false;
        loop {
            position.resume();
            let params = self.params(follow, &position);
            let connected = tokio::select! {
                biased;
                () = self.sender.closed() => return,
                connected = self.api.log_stream(&self.pod, &params) => connected,
            };
            let error = match connected {
                Ok(reader) => {
                    if !self.status(StreamState::Streaming) {
                        return;
                    }
                    streamed = true;
                    let delivered_before = position.delivered;
                    let end = self.read(reader, &mut splitter, &mut position).await;
                    if position.delivered > delivered_before {
                        attempt = 0;
                    }
                    match end {
                        ReadEnd::Unheard => return,
                        // A followed stream closes when its container stops; one that
                        // still runs (a restart, or a server that ends long streams) is read
                        // on, its unfinished line coming again whole.
                        ReadEnd::Closed if follow && self.container_running().await => {
                            splitter.discard();
                            "the server closed the log stream while the container runs".to_string()
                        }
                        ReadEnd::Closed => {
                            // The last line may lack its newline (limitBytes, or a program
                            // that died mid-line): the log is over, so it is a line.
                            if let Some(line) = splitter.finish() {
                                let batch = self.admit_lines(std::iter::once(line), &mut position);
                                if !batch.is_empty()
                                    && self.sender.send(LogMessage::Lines(batch)).is_err()
                                {
                                    return;
                                }
                            }
                            self.status(StreamState::Ended);
                            return;
                        }
                        ReadEnd::Broken(error) => {
                            // The unfinished line comes again whole: the resumed stream starts
                            // at the last complete line's instant.
                            splitter.discard();
                            if !follow {
                                self.status(StreamState::Failed(error));
                                return;
                            }
                            error
                        }
                    }
                }
                Err(error) => {
                    let text = error_text(&error);
                    match classify(&error) {
                        Failure::Retry if follow => text,
                        Failure::Gone if streamed => {
                            self.status(StreamState::Ended);
                            return;
                        }
                        _ => {
                            self.status(StreamState::Failed(text));
                            return;
                        }
                    }
                }
            };
            attempt += 1;
            if !self.status(StreamState::Reconnecting { attempt, error }) {
                return;
            }
            tokio::select! {
                biased;
                () = self.sender.closed() => return,
                () = tokio::time::sleep(backoff(attempt)) => {}
            }
        }
    }

    /// The request for the next connection: the user's options the first time, and from the
    /// last line seen (and no tail) once lines have arrived.
    fn params(&self, follow: bool, position: &Position) -> LogParams {
        let request = &self.request;
        let mut params = LogParams {
            container: Some(self.container.to_string()),
            follow,
            previous: request.previous,
            // Always: resuming needs each line's instant, and so does interleaving.
            timestamps: true,
            tail_lines: request.tail_lines,
            ..LogParams::default()
        };
        match request.since {
            Some(Since::Seconds(seconds)) => params.since_seconds = Some(seconds),
            Some(Since::Time(time)) => params.since_time = Some(whole_second(time)),
            None => {}
        }
        if let Some(last) = position.last_at {
            params.tail_lines = None;
            params.since_seconds = None;
            params.since_time = Some(whole_second(last));
        }
        params
    }

    /// Reads one connection to its end, sending a batch per chunk.
    async fn read(
        &self,
        reader: impl futures::AsyncBufRead,
        splitter: &mut LineSplitter,
        position: &mut Position,
    ) -> ReadEnd {
        let mut reader = Box::pin(reader);
        loop {
            let batch = tokio::select! {
                biased;
                () = self.sender.closed() => return ReadEnd::Unheard,
                read = reader.fill_buf() => match read {
                    Ok([]) => return ReadEnd::Closed,
                    Ok(chunk) => {
                        let length = chunk.len();
                        let mut lines = Vec::new();
                        splitter.split(chunk, |line| lines.push(line));
                        let batch = self.admit_lines(lines.into_iter(), position);
                        reader.consume_unpin(length);
                        batch
                    }
                    Err(error) => return ReadEnd::Broken(super::api_error::unreached(&error)),
                },
            };
            if !batch.is_empty() && self.sender.send(LogMessage::Lines(batch)).is_err() {
                return ReadEnd::Unheard;
            }
        }
    }

    /// Raw lines as `LogLine`s, leaving out those a resumed stream repeats.
    fn admit_lines(
        &self,
        lines: impl Iterator<Item = Vec<u8>>,
        position: &mut Position,
    ) -> Vec<LogLine> {
        lines
            .filter_map(|raw| {
                let (at, text) = decode_line(&raw, self.request.timestamps);
                position.admit(at).then(|| LogLine {
                    pod: self.pod.clone(),
                    container: self.container.clone(),
                    text,
                    at,
                })
            })
            .collect()
    }

    /// Whether the container is running now (so a closed stream is to be resumed). A pod that
    /// is gone is not; a pod that cannot be read is given the benefit of the doubt.
    async fn container_running(&self) -> bool {
        let pod = match self.api.get(&self.pod).await {
            Ok(pod) => pod,
            Err(error) => return !matches!(classify(&error), Failure::Gone),
        };
        let Some(status) = pod.status else {
            return false;
        };
        [
            status.container_statuses,
            status.init_container_statuses,
            status.ephemeral_container_statuses,
        ]
        .into_iter()
        .flatten()
        .flatten()
        .find(|s| *s.name == *self.container)
        .and_then(|s| s.state)
        .is_some_and(|state| state.running.is_some())
    }

    /// Sends a state change; false when nobody listens any more.
    fn status(&self, state: StreamState) -> bool {
        self.sender
            .send(LogMessage::Status {
                pod: self.pod.clone(),
                container: self.container.clone(),
                state,
            })
            .is_ok()
    }
}

/// What to do after a failed request.
enum Failure {
    /// Worth trying again: the network, the server being busy or failing, or a container that
    /// has not started yet.
    Retry,
    /// The pod is not there (404).
    Gone,
    /// The request itself is wrong (no such container, no previous run, forbidden).
    Final,
}

fn classify(error: &kube::Error) -> Failure {
    match error {
        kube::Error::Api(status) => match status.code {
            404 => Failure::Gone,
            // The kubelet's words for a container that is not running yet.
            400 if status.message.contains("is waiting to start") => Failure::Retry,
            429 | 500.. => Failure::Retry,
            _ => Failure::Final,
        },
        _ => Failure::Retry,
    }
}

fn backoff(attempt: u32) -> Duration {
    BACKOFF_START
        .saturating_mul(1 << attempt.saturating_sub(1).min(5))
        .min(BACKOFF_MAX)
}

/// `time` cut to its second: kube-rs rounds `sinceTime` to the second, and rounding up would
/// skip the lines of that last half second; the lines before `time` are left out here instead.
fn whole_second(time: Timestamp) -> Timestamp {
    Timestamp::from_second(time.as_second()).unwrap_or(time)
}

/// An error as one line: the API server's message verbatim, else why it was not reached.
fn error_text(error: &kube::Error) -> String {
    one_line(&super::api_error::error_text(error))
}

/// The kubelet's timestamp prefix parsed off a raw line (`2024-05-01T10:00:00.123456789Z text`),
/// and the text (keeping the prefix when it is wanted), invalid UTF-8 replaced.
fn decode_line(raw: &[u8], keep_timestamp: bool) -> (Option<Timestamp>, String) {
    let split = raw.iter().position(|b| *b == b' ');
    let at = split.and_then(|space| {
        std::str::from_utf8(&raw[..space])
            .ok()
            .and_then(|prefix| prefix.parse::<Timestamp>().ok())
    });
    let text = match (at, split) {
        (Some(_), Some(space)) if !keep_timestamp => &raw[space + 1..],
        _ => raw,
    };
    (at, String::from_utf8_lossy(text).into_owned())
}

/// The longest line kept whole, in bytes (`KSCOPE_LOG_LINE_BYTES`, 64 KiB by default): a line
/// that never ends (a binary dump, a runaway writer) must not grow without bound.
fn line_limit() -> usize {
    std::env::var("KSCOPE_LOG_LINE_BYTES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|bytes| *bytes > 0)
        .unwrap_or(64 * 1024)
}

/// Cuts a byte stream into lines at `\n`, holding an unfinished last line until its end comes;
/// a line longer than the limit keeps its first bytes and says how many were cut.
#[derive(Debug)]
struct LineSplitter {
    partial: Vec<u8>,
    /// Bytes of the current line beyond the limit, dropped.
    cut: usize,
    limit: usize,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::with_limit(line_limit())
    }
}

impl LineSplitter {
    fn with_limit(limit: usize) -> Self {
        LineSplitter {
            partial: Vec::new(),
            cut: 0,
            limit,
        }
    }

    /// Hands each complete line of `chunk` (without `\n` or a trailing `\r`) to `line`.
    fn split(&mut self, chunk: &[u8], mut line: impl FnMut(Vec<u8>)) {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            self.keep(&rest[..end]);
            line(self.take_line());
            rest = &rest[end + 1..];
        }
        self.keep(rest);
    }

    /// Keeps what fits of `bytes` in the current line, counting the rest as cut.
    fn keep(&mut self, bytes: &[u8]) {
        let room = self
            .limit
            .saturating_sub(self.partial.len())
            .min(bytes.len());
        self.partial.extend_from_slice(&bytes[..room]);
        self.cut += bytes.len() - room;
    }

    /// The current line, ended: a trailing `\r` dropped, a cut said at its end.
    fn take_line(&mut self) -> Vec<u8> {
        let mut whole = std::mem::take(&mut self.partial);
        if self.cut > 0 {
            whole.extend_from_slice(format!(" … [{} more bytes cut]", self.cut).as_bytes());
            self.cut = 0;
        } else if whole.last() == Some(&b'\r') {
            whole.pop();
        }
        whole
    }

    /// The unfinished line, if any, once the stream is over.
    fn finish(&mut self) -> Option<Vec<u8>> {
        (!self.partial.is_empty()).then(|| self.take_line())
    }

    fn discard(&mut self) {
        self.partial.clear();
        self.cut = 0;
    }
}

/// Where a stream is, so a resumed one repeats nothing: the last line's instant, how many lines
/// carried exactly that instant, and, while resuming, what the server sends again.
#[derive(Debug, Default)]
struct Position {
    last_at: Option<Timestamp>,
    at_last: usize,
    /// While resuming: lines before this instant, and the first N lines at it, were delivered.
    skip: Option<(Timestamp, usize)>,
    /// Lines delivered in all, to tell a connection that brought news from one that did not.
    delivered: u64,
}

impl Position {
    /// Before a connection: once lines have arrived, the next stream starts from the last one's
    /// instant, and what it sends again up to there is to be skipped.
    fn resume(&mut self) {
        if let Some(last) = self.last_at {
            self.skip = Some((last, self.at_last));
        }
    }

    /// Whether a line stamped `at` is new; records it if so.
    fn admit(&mut self, at: Option<Timestamp>) -> bool {
        let Some(at) = at else {
            // Nothing to compare: a line without a readable stamp is passed on.
            self.delivered += 1;
            return true;
        };
        if let Some((after, remaining)) = &mut self.skip {
            if at < *after {
                return false;
            }
            if at == *after && *remaining > 0 {
                *remaining -= 1;
                return false;
            }
            self.skip = None;
        }
        if self.last_at == Some(at) {
            self.at_last += 1;
        } else {
            self.last_at = Some(at);
            self.at_last = 1;
        }
        self.delivered += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_never_ends_is_cut_at_the_limit_and_says_so() {
        let mut splitter = LineSplitter::with_limit(8);
        let mut lines = Vec::new();
        for _ in 0..1000 {
            splitter.split(&[b'x'; 1024], |line| lines.push(line));
        }
        assert!(lines.is_empty());
        assert_eq!(splitter.partial.len(), 8, "what is held stays at the limit");
        splitter.split(b"\nshort\r\n", |line| lines.push(line));
        assert_eq!(
            lines,
            [
                format!("xxxxxxxx … [{} more bytes cut]", 1024 * 1000 - 8).into_bytes(),
                b"short".to_vec()
            ]
        );
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn lines_are_cut_at_newlines_and_an_unfinished_one_waits() {
        let mut splitter = LineSplitter::default();
        let mut lines = Vec::new();
        splitter.split(b"one\ntw", |l| lines.push(l));
        splitter.split(b"o\r\nthr", |l| lines.push(l));
        splitter.split(b"ee\n\nfour", |l| lines.push(l));
        assert_eq!(
            lines,
            vec![
                b"one".to_vec(),
                b"two".to_vec(),
                b"three".to_vec(),
                b"".to_vec()
            ]
        );
        assert_eq!(splitter.finish(), Some(b"four".to_vec()));
        assert_eq!(splitter.finish(), None);
    }

    #[test]
    fn the_timestamp_prefix_is_parsed_and_kept_only_when_asked() {
        let raw = b"2024-05-01T10:00:00.123456789Z hello world";
        let (at, text) = decode_line(raw, false);
        assert_eq!(at, Some(ts("2024-05-01T10:00:00.123456789Z")));
        assert_eq!(text, "hello world");
        let (_, text) = decode_line(raw, true);
        assert_eq!(text, "2024-05-01T10:00:00.123456789Z hello world");
        let (at, text) = decode_line(b"no stamp here", false);
        assert_eq!((at, text.as_str()), (None, "no stamp here"));
        let (_, text) = decode_line(b"2024-05-01T10:00:00Z bad \xff byte", false);
        assert_eq!(text, "bad \u{fffd} byte");
    }

    #[test]
    fn a_resumed_stream_repeats_nothing_even_from_the_whole_second() {
        let mut position = Position::default();
        for at in ["10:00:00.2", "10:00:00.5", "10:00:00.5"] {
            assert!(position.admit(Some(ts(&format!("2024-05-01T{at}Z")))));
        }
        // Resumed from 10:00:00 (sinceTime is whole seconds): everything up to the two lines at
        // .5 comes again, then a third line at .5 and later ones are new.
        position.resume();
        let again = ["10:00:00.2", "10:00:00.5", "10:00:00.5"];
        for at in again {
            assert!(
                !position.admit(Some(ts(&format!("2024-05-01T{at}Z")))),
                "{at}"
            );
        }
        assert!(position.admit(Some(ts("2024-05-01T10:00:00.5Z"))));
        assert!(position.admit(Some(ts("2024-05-01T10:00:01Z"))));
        assert_eq!(position.delivered, 5);
    }

    #[test]
    fn backoff_doubles_from_one_second_to_thirty() {
        let waits: Vec<u64> = (1..=8).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn since_time_is_cut_not_rounded() {
        assert_eq!(
            whole_second(ts("2024-05-01T10:00:00.9Z")),
            ts("2024-05-01T10:00:00Z")
        );
    }
}
