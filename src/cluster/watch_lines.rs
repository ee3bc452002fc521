//! A watch whose initial list the server streams (`sendInitialEvents`), read line by line from
//! the answer's bytes: each object of the initial list is handed to the decoder as the text the
//! line holds, unread. kube-rs's watcher copied each line into a `String`, walked the object
//! once to copy it into a `RawValue` and once more for its metadata, before the decoder walked
//! it again to type it: at 51,539 pods that was a fifth of a load's CPU, on the one task that
//! reads the watch. The decoder's typing is what checks the text (`WatchedObject::read_packing`).
//!
//! Every other line (bookmarks, changes once the list is in, errors) is read as kube-rs reads
//! it, and the watch goes on as kube-rs's watcher does: from the last resource version when the
//! answer ends, from a new list when the server no longer holds that version (410 Gone) or when
//! the list had not been completed. A server that refuses `sendInitialEvents` is left to
//! kube-rs's watcher, which lists in pages (`watch.rs`).

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use kube::Client;
use kube::api::{ApiResource, WatchEvent, WatchParams};
use kube::core::Resource;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc::Sender;

use super::api_error::answered_error;
use super::body::next_frame;
use super::decode::WireObject;
use super::discovery::ApiResourceOf;
use super::watch::{RETRY, Step, failure_step, log_listed};
use crate::model::kind::WatchedKind;

/// How a streamed watch ended.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ended {
    /// The server does not stream lists (it refused `sendInitialEvents`).
    Refused,
    /// Nobody reads the watch any more.
    Closed,
}

/// How long a watch's answer may stay silent before it is taken as lost: the server ends a
/// watch after `timeoutSeconds` (kube's 290) and sends bookmarks meanwhile; as kube-rs waits.
const IDLE: Duration = Duration::from_secs(290 + 5);

/// The start of the line of an object added, as the API server writes it (Go's encoder writes
/// the event's fields in order, without spaces).
const ADDED: &[u8] = br#"{"type":"ADDED","object":"#;

/// What one line of a watch's answer holds.
#[derive(Debug)]
pub enum Line {
    /// An object of the initial list, its text as the line holds it (read, and checked for
    /// being UTF-8, by the decoder): the answer's bytes shared, not copied.
    Listed(Bytes),
    Event(Box<WatchEvent<WireObject>>),
    /// A Status written in place of an event.
    Status(Box<kube::core::Status>),
    Unreadable(serde_json::Error),
    /// An empty line, or one the answer ended in the middle of.
    Nothing,
}

/// Reads one line (without its newline). While the initial list comes in (`listing`), an added
/// object's text is taken as it stands; anything else is read as kube-rs reads it.
pub fn read_line(line: Bytes, listing: bool) -> Line {
    let text = line.trim_ascii();
    if text.is_empty() {
        return Line::Nothing;
    }
    if listing
        && let Some(object) = text
            .strip_prefix(ADDED)
            .and_then(|rest| rest.strip_suffix(b"}"))
        && object.starts_with(b"{")
    {
        return Line::Listed(line.slice_ref(object));
    }
    match serde_json::from_slice::<WatchEvent<WireObject>>(text) {
        Ok(event) => Line::Event(Box::new(event)),
        // A line cut short where the answer ended.
        Err(error) if error.is_eof() => Line::Nothing,
        // A Status is read as one when it says a code (kube-rs takes any object that is not
        // an event for one, and a line that is neither then reads as code 0, no message).
        Err(error) => match serde_json::from_slice::<kube::core::Status>(text) {
            Ok(status) if status.code != 0 => Line::Status(Box::new(status)),
            _ => Line::Unreadable(error),
        },
    }
}

/// An answer's bytes as they arrive, cut into lines. A line that arrived whole in one piece of
/// the answer is handed on as a slice of that piece (hyper's read buffer), not copied: at
/// 51,539 pods, copying every piece into a buffer of lines was 3 % of a load's CPU. Only a
/// line split across pieces is put together in a buffer of its own.
#[derive(Debug, Default)]
pub struct Lines {
    /// The start of a line whose end has not arrived yet.
    partial: BytesMut,
    /// What of the last piece has not been cut into lines yet.
    piece: Bytes,
}

impl Lines {
    /// Adds a piece that arrived (once the lines before it have been taken).
    pub fn push(&mut self, piece: Bytes) {
        self.hold_rest();
        self.piece = piece;
    }

    /// The next complete line (without its newline), if one has arrived.
    pub fn next_line(&mut self) -> Option<Bytes> {
        let Some(end) = memchr::memchr(b'\n', &self.piece) else {
            self.hold_rest();
            return None;
        };
        if self.partial.is_empty() {
            let mut line = self.piece.split_to(end + 1);
            line.truncate(end);
            return Some(line);
        }
        self.partial.extend_from_slice(&self.piece[..end]);
        bytes::Buf::advance(&mut self.piece, end + 1);
        Some(self.partial.split().freeze())
    }

    /// Keeps what is left of the piece as the start of the next line.
    fn hold_rest(&mut self) {
        if !self.piece.is_empty() {
            self.partial.extend_from_slice(&self.piece);
            self.piece = Bytes::new();
        }
    }

    /// What arrived after the last newline (a line the answer ended in the middle of).
    #[cfg(test)]
    pub fn rest(&mut self) -> &[u8] {
        self.hold_rest();
        &self.partial
    }
}

/// Watches `kind` (in `namespace`, or everywhere), its initial list streamed, sending what
/// happens to `steps` as kube-rs's watcher events (the initial list's objects as `Step::Listed`).
/// Goes on until the server refuses to stream lists or nobody reads the steps.
pub(super) async fn watch_streamed(
    client: &Client,
    kind: WatchedKind,
    namespace: Option<&str>,
    steps: &Sender<Step>,
) -> Ended {
    let resource: ApiResource = kind.api_resource();
    let scope = namespace.filter(|_| kind.namespaced());
    let path = <WireObject as Resource>::url_path(&resource, scope);
    let mut watch = Watch {
        kind,
        steps,
        version: None,
        listing: None,
    };
    let mut failed = false;
    loop {
        if failed {
            tokio::time::sleep(RETRY).await;
        }
        failed = match watch.answer(client, &path).await {
            Answered::Ended => false,
            Answered::Cut | Answered::Failed => true,
            Answered::Refused => return Ended::Refused,
            Answered::Closed => return Ended::Closed,
        };
        if steps.is_closed() {
            return Ended::Closed;
        }
    }
}

/// A streamed watch's state between its answers.
struct Watch<'a> {
    kind: WatchedKind,
    steps: &'a Sender<Step>,
    /// The resource version to resume from; None: the list is read (again) first.
    version: Option<String>,
    /// While the initial list comes in: when it began and how many objects it has brought
    /// (for the log: what a slow start spent its time on).
    listing: Option<(Instant, usize)>,
}

/// How one answer ended.
enum Answered {
    /// As answers do (the server's timeout, a dropped connection): asked again at once.
    Ended,
    /// Before the list it was bringing was complete: listed again after a pause.
    Cut,
    /// With a failure, said: asked again after a pause.
    Failed,
    Refused,
    Closed,
}

impl Watch<'_> {
    /// Asks for the watch (from the last version, or with the initial list) and reads the
    /// answer until it ends.
    async fn answer(&mut self, client: &Client, path: &str) -> Answered {
        let list = self.version.is_none();
        let params = WatchParams {
            send_initial_events: list,
            ..WatchParams::default()
        };
        let request = match kube::core::Request::new(path)
            .watch(&params, self.version.as_deref().unwrap_or("0"))
        {
            Ok(mut request) => {
                // As kube asks for a watch: not compressed (a gzip member per event, which its
                // decompression cannot read past the first).
                request.headers_mut().insert(
                    http::header::ACCEPT_ENCODING,
                    http::HeaderValue::from_static("identity"),
                );
                request
            }
            Err(error) => {
                let error = kube::Error::BuildRequest(error);
                return self.failed(watcher::Error::WatchStartFailed(error)).await;
            }
        };
        let answer = match client.send(request.map(kube::client::Body::from)).await {
            Ok(answer) => answer,
            Err(error) => return self.failed(watcher::Error::WatchStartFailed(error)).await,
        };
        let code = answer.status();
        let mut body = answer.into_body();
        if !code.is_success() {
            let mut bytes = Vec::new();
            while let Some(Ok(frame)) = next_frame(&mut body).await {
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            // A server without the WatchList feature refuses `sendInitialEvents` (422, or 400
            // before its validation knew the field).
            if list && matches!(code.as_u16(), 400 | 422) {
                return Answered::Refused;
            }
            let error = answered_error(code, &bytes);
            let answered = self.failed(watcher::Error::WatchStartFailed(error)).await;
            if code == http::StatusCode::GONE {
                // The version asked for is no longer held: listed again.
                self.version = None;
            }
            return answered;
        }
        if list {
            self.listing = Some((Instant::now(), 0));
            if self.send(Step::Event(Box::new(Event::Init))).await.is_err() {
                return Answered::Closed;
            }
        }
        let ended = self.read(&mut body).await;
        // A list cut short is read again whole; a watch resumes where it was.
        if self.listing.take().is_some() {
            self.version = None;
            if matches!(ended, Answered::Ended) {
                return Answered::Cut;
            }
        }
        ended
    }

    /// Reads an answer's lines until it ends.
    async fn read(&mut self, body: &mut kube::client::Body) -> Answered {
        let mut lines = Lines::default();
        loop {
            let data = match tokio::time::timeout(IDLE, next_frame(body)).await {
                // Silent for too long, or ended: asked again.
                Err(_) | Ok(None) => return Answered::Ended,
                Ok(Some(Err(error))) => {
                    // A watch the server or the network ended mid-answer is resumed, as
                    // kube-rs resumes it; any other failure is said.
                    if ended_early(&error) {
                        return Answered::Ended;
                    }
                    let error = kube::Error::ReadEvents(std::io::Error::other(error));
                    return self.failed(watcher::Error::WatchFailed(error)).await;
                }
                Ok(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => data,
                    Err(_) => continue,
                },
            };
            lines.push(data);
            while let Some(line) = lines.next_line() {
                let line = read_line(line, self.listing.is_some());
                if let Some(ended) = self.take(line).await {
                    return ended;
                }
            }
        }
    }

    /// Takes one line in; what ends the answer, if it does.
    async fn take(&mut self, line: Line) -> Option<Answered> {
        let step = match line {
            Line::Nothing => return None,
            Line::Listed(text) => {
                self.count_listed();
                Step::Listed(text)
            }
            Line::Status(status) => {
                let error = watcher::Error::WatchFailed(kube::Error::Api(status));
                return self.said(error).await;
            }
            Line::Unreadable(error) => {
                let error = watcher::Error::WatchFailed(kube::Error::SerdeError(error));
                return self.said(error).await;
            }
            Line::Event(event) => match *event {
                WatchEvent::Added(object) | WatchEvent::Modified(object)
                    if self.listing.is_some() =>
                {
                    self.count_listed();
                    Step::Event(Box::new(Event::InitApply(object)))
                }
                // The API says a streamed list has none.
                WatchEvent::Deleted(_) if self.listing.is_some() => return None,
                WatchEvent::Bookmark(bookmark) => {
                    let version = bookmark.metadata.resource_version;
                    let ends_list = bookmark
                        .metadata
                        .annotations
                        .contains_key("k8s.io/initial-events-end");
                    match self.listing {
                        Some((began, objects)) if ends_list => {
                            log_listed(self.kind, objects, began, "streamed");
                            self.listing = None;
                            self.version = Some(version);
                            Step::Event(Box::new(Event::InitDone))
                        }
                        Some(_) => return None,
                        None => {
                            self.version = Some(version);
                            return None;
                        }
                    }
                }
                WatchEvent::Added(object) | WatchEvent::Modified(object) => {
                    if !self.resumes_from(&object) {
                        return Some(self.failed(watcher::Error::NoResourceVersion).await);
                    }
                    Step::Event(Box::new(Event::Apply(object)))
                }
                WatchEvent::Deleted(object) => {
                    if !self.resumes_from(&object) {
                        return Some(self.failed(watcher::Error::NoResourceVersion).await);
                    }
                    Step::Event(Box::new(Event::Delete(object)))
                }
                WatchEvent::Error(status) => {
                    let gone = status.code == 410;
                    let error = watcher::Error::WatchError(status);
                    if gone {
                        // The server no longer holds the version: listed again.
                        let answered = self.failed(error).await;
                        self.version = None;
                        self.listing = None;
                        return Some(answered);
                    }
                    return self.said(error).await;
                }
            },
        };
        match self.send(step).await {
            Ok(()) => None,
            Err(()) => Some(Answered::Closed),
        }
    }

    /// Counts an object of the list coming in.
    fn count_listed(&mut self) {
        if let Some((_, objects)) = &mut self.listing {
            *objects += 1;
        }
    }

    /// Notes the resource version a change carries; without one the watch cannot resume, and
    /// is listed again (as kube-rs's watcher does).
    fn resumes_from(&mut self, object: &WireObject) -> bool {
        match object.meta().resource_version.as_deref() {
            Some(version) if !version.is_empty() => {
                self.version = Some(version.to_string());
                true
            }
            _ => {
                self.version = None;
                false
            }
        }
    }

    async fn send(&self, step: Step) -> Result<(), ()> {
        self.steps.send(step).await.map_err(|_| ())
    }

    /// Says a failure; the answer is read on.
    async fn said(&self, error: watcher::Error) -> Option<Answered> {
        match self.say(&error).await {
            Ok(()) => None,
            Err(()) => Some(Answered::Closed),
        }
    }

    /// Says a failure that ends the answer.
    async fn failed(&self, error: watcher::Error) -> Answered {
        match self.say(&error).await {
            Ok(()) => Answered::Failed,
            Err(()) => Answered::Closed,
        }
    }

    async fn say(&self, error: &watcher::Error) -> Result<(), ()> {
        // Until the first list is in, a streamed list's failures are the list's.
        let listed = self.version.is_some();
        self.send(failure_step(self.kind, error, listed)).await
    }
}

/// Whether reading an answer failed because it ended early (the server closed a watch, or
/// the connection dropped), as kube-rs tells: an unexpected EOF in the error's chain, or the
/// chunk decoder's words for one.
fn ended_early(error: &kube::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(link) = cause {
        if link
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::UnexpectedEof)
        {
            return true;
        }
        cause = link.source();
    }
    error.to_string().contains("unexpected EOF during chunk")
}

#[cfg(test)]
#[path = "watch_lines_tests.rs"]
mod tests;
