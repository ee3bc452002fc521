//! One watch per kind and scope, turned into messages for the app: objects applied and
//! deleted, when the initial list is complete, and how healthy the watch is. A server that
//! streams initial lists is watched line by line (`watch_lines`); one that lists in pages, by
//! kube-rs's watcher.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use kube::Client;
use kube::api::Api;
use kube::runtime::watcher::{self, Event};

use super::api_error::api_error;
use super::decode::WireObject;
use super::discovery::ApiResourceOf;
use super::watch_lines::{Ended, watch_streamed};
use crate::model::api_error::{ApiError, ApiErrorKind};
use crate::model::inbox::ClusterMessage;
use crate::model::kind::WatchedKind;
use crate::model::watched::WatchedObject;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

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

/// How a server's initial lists are read, learned once per server and shared by its watches:
/// streamed by one watch (`sendInitialEvents`, ended by the initial-events-end bookmark) where
/// the server serves that, else listed in pages. A server without the WatchList feature refuses
/// `sendInitialEvents` (422, or 400 before its validation knew the field): from then on its
/// watches list in pages, without asking again.
#[derive(Clone, Debug, Default)]
pub struct ListStrategy(Arc<AtomicBool>);

impl ListStrategy {
    /// Whether lists are read in pages (the server refused streaming).
    pub fn pages(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn refused_streaming(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Whether a paged list failed because its continue token expired (410 Gone): the pages were
/// read too slowly for the server's history.
fn continue_expired(error: &watcher::Error) -> bool {
    matches!(error, watcher::Error::InitialListFailed(kube::Error::Api(status)) if status.code == 410)
}

/// What kube-rs's watcher is asked for: pages, or (after a continue token expired) the whole
/// list in one answer, as client-go's pager falls back to a full list.
fn watch_config(whole: bool) -> watcher::Config {
    let config = watcher::Config::default();
    if whole {
        watcher::Config {
            page_size: None,
            ..config
        }
    } else {
        config
    }
}

/// How many of a watch's events may wait to be decoded.
const STEPS_AHEAD: usize = 256;

/// What the watch hands its decoder, in order.
pub(super) enum Step {
    Event(Box<Event<WireObject>>),
    /// An object of a streamed initial list, its text as the watch's line held it, unread
    /// (`watch_lines`): an `InitApply` that the decoder's typing checks (UTF-8 first).
    Listed(bytes::Bytes),
    Failed {
        error: String,
        forbidden: bool,
    },
}

/// How many steps are decoded together on one task.
const BATCH: usize = 64;

/// At most this many steps, with no batch in flight, are decoded on the decoder's own task.
const FEW: usize = 16;

/// Once a watch's list is in, its changes are taken at most this often while they keep up.
/// Under churn each change comes alone: taken as each came, a thousand changes a second woke
/// the decoder and the loop a thousand times each, and those wakes took the cores a key's frame
/// needed. Taken together, what came meanwhile is one batch, a few milliseconds later than it
/// could have been (a frame is drawn every 33 ms). A full batch is followed at once: a burst
/// (a namespace deleted) is not slowed.
const PACE: std::time::Duration = std::time::Duration::from_millis(10);

/// Whether the list is in after `steps`, given whether it was before: a list begins with
/// `Init` and is in at `InitDone`.
fn lists_in(steps: &[Step], mut listed: bool) -> bool {
    for step in steps {
        if let Step::Event(event) = step {
            match **event {
                Event::Init => listed = false,
                Event::InitDone => listed = true,
                _ => {}
            }
        }
    }
    listed
}

/// How many batches may be decoding at once (the runtime has two workers).
const BATCHES_IN_FLIGHT: usize = 3;

/// The messages of `steps`, in order.
pub(super) fn decode_steps(
    kind: WatchedKind,
    steps: Vec<Step>,
    packer: &mut crate::model::packed_text::Packer,
) -> Vec<ClusterMessage> {
    steps
        .into_iter()
        .map(|step| match step {
            Step::Event(event) => match *event {
                Event::Init => ClusterMessage::Listing { kind },
                Event::InitApply(object) | Event::Apply(object) => ClusterMessage::Applied {
                    kind,
                    object: WatchedObject::decode_packing(kind, object.text.get(), packer),
                },
                Event::InitDone => ClusterMessage::Synced { kind },
                Event::Delete(object) => ClusterMessage::Deleted {
                    kind,
                    key: object.key(),
                },
            },
            // Checked with vector instructions: every byte of a list's objects is checked
            // here, 123 MB at 51,539 pods, before it is read as JSON.
            Step::Listed(text) => match simdutf8::basic::from_utf8(&text)
                .ok()
                .and_then(|text| WatchedObject::read_packing(kind, text, packer))
            {
                Some(object) => ClusterMessage::Applied { kind, object },
                None => ClusterMessage::Failed {
                    kind,
                    error: ApiError::unreadable(
                        &format!("list {}", kind.plural()),
                        "an object in the answer is not JSON",
                    )
                    .line(),
                    forbidden: false,
                },
            },
            Step::Failed { error, forbidden } => ClusterMessage::Failed {
                kind,
                error,
                forbidden,
            },
        })
        .collect()
}

/// Decodes what a watch received, in batches on the runtime's workers, and sends the messages on
/// in the order the watch delivered them.
fn spawn_decoder(
    kind: WatchedKind,
    mut received: tokio::sync::mpsc::Receiver<Step>,
    sender: UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    // Decoding is most of a load's work (a pod typed and its text packed: 20 µs), so what has
    // arrived is decoded in batches on the runtime's workers at once, and their messages sent
    // on in the order the watch delivered them.
    tokio::spawn(async move {
        // The pods of one watch share the dictionary their texts are packed against; it is the
        // first pod's, chosen before any batch is decoded on another task.
        let mut packer = crate::model::packed_text::Packer::default();
        let mut in_flight: VecDeque<JoinHandle<Vec<ClusterMessage>>> = VecDeque::new();
        // Whether the watch's list is in: from then on its changes are taken at a pace.
        let mut listed = false;
        // When the next changes are taken, once a batch of them was taken that was not full.
        let mut paced: Option<tokio::time::Instant> = None;
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            if in_flight.is_empty() {
                if let Some(at) = paced.take() {
                    tokio::time::sleep_until(at).await;
                }
                if received.recv_many(&mut batch, BATCH).await == 0 {
                    return;
                }
            } else {
                while batch.len() < BATCH {
                    let Ok(step) = received.try_recv() else { break };
                    batch.push(step);
                }
            }
            let idle = batch.is_empty();
            listed = lists_in(&batch, listed);
            if listed && !idle && batch.len() < BATCH {
                paced = Some(tokio::time::Instant::now() + PACE);
            }
            if !idle {
                // A few changes (a watch's pace of them once its list is in) are decoded here:
                // handing them to another worker would cost more wakes than their decoding.
                let few = batch.len() <= FEW && in_flight.is_empty();
                if !few && (packer.has_dictionary() || kind != WatchedKind::Pods) {
                    let mut packer = packer.clone();
                    in_flight.push_back(tokio::spawn(async move {
                        decode_steps(kind, batch, &mut packer)
                    }));
                } else {
                    // Until a pod has chosen the dictionary every batch is decoded here too, so
                    // none is in flight and these go on at once, in order.
                    let messages = decode_steps(kind, batch, &mut packer);
                    if sender.send(ClusterMessage::batch(messages)).is_err() {
                        return;
                    }
                }
            }
            if idle || in_flight.len() >= BATCHES_IN_FLIGHT {
                let Some(handle) = in_flight.pop_front() else {
                    continue;
                };
                let Ok(messages) = handle.await else {
                    return;
                };
                if sender.send(ClusterMessage::batch(messages)).is_err() {
                    return;
                }
            }
        }
    })
}

/// Starts watching `kind` (in `namespace`, or everywhere) and sends what happens to `sender`.
/// The task ends when the receiver is gone.
pub fn spawn_watch(
    client: Client,
    kind: WatchedKind,
    namespace: Option<String>,
    lists: ListStrategy,
    sender: UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    // Objects are decoded off the watch's task, so decoding overlaps with reading what comes
    // next. Bounded: a streamed list arrives faster than it is decoded, and what waits here is
    // the objects' whole text; the watcher waits instead (the server holds the rest).
    let (steps, received) = tokio::sync::mpsc::channel::<Step>(STEPS_AHEAD);
    let decoder = spawn_decoder(kind, received, sender);
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
            (Some(namespace), true) => Api::namespaced_with(client.clone(), namespace, &resource),
            _ => Api::all_with(client.clone(), &resource),
        };
        // Whether the next initial list is read whole (its pages expired last time).
        let mut whole = false;
        // Whether the initial list is in: until it is, its failures are the list's.
        let mut listed = false;
        // When the initial list began and how many objects it has brought (for the log: what
        // a slow start spent its time on).
        let mut listing = (std::time::Instant::now(), 0usize);
        loop {
            // A server that streams lists is watched line by line (`watch_lines`) until it
            // refuses to; kube-rs's watcher lists in pages.
            if !lists.pages() {
                match watch_streamed(&client, kind, namespace.as_deref(), &steps).await {
                    Ended::Closed => return,
                    Ended::Refused => {
                        tracing::info!(
                            kind = kind.plural(),
                            "the server does not stream lists; listing in pages"
                        );
                        lists.refused_streaming();
                    }
                }
            }
            let mut stream = watcher::watcher(api.clone(), watch_config(whole)).boxed();
            let restart = loop {
                let Some(event) = stream.next().await else {
                    return;
                };
                let error = match event {
                    Ok(event) => {
                        match event {
                            Event::Init => {
                                listed = false;
                                listing = (std::time::Instant::now(), 0);
                            }
                            Event::InitApply(_) => listing.1 += 1,
                            Event::InitDone => {
                                let how = if whole { "whole" } else { "pages" };
                                log_listed(kind, listing.1, listing.0, how);
                                whole = false;
                                listed = true;
                            }
                            _ => {}
                        }
                        if steps.send(Step::Event(Box::new(event))).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    Err(error) => error,
                };
                if continue_expired(&error) && !whole {
                    tracing::info!(
                        kind = kind.plural(),
                        "the list's pages expired; listing whole"
                    );
                    whole = true;
                    break true;
                }
                if steps
                    .send(failure_step(kind, &error, listed))
                    .await
                    .is_err()
                {
                    return;
                }
                // The watcher retries on its next poll; wait so a dead server is not hammered.
                tokio::time::sleep(RETRY).await;
            };
            if !restart {
                return;
            }
        }
    })
}

/// How long a watch waits before asking again after a failure, so a dead server is not
/// hammered.
pub(super) const RETRY: std::time::Duration = std::time::Duration::from_secs(2);

/// Logs an initial list complete: how many objects, how long it took and how it was read
/// (what a slow start spent its time on).
pub(super) fn log_listed(
    kind: WatchedKind,
    objects: usize,
    began: std::time::Instant,
    how: &'static str,
) {
    tracing::info!(
        kind = kind.plural(),
        objects,
        milliseconds = began.elapsed().as_millis() as u64,
        how,
        "listed"
    );
}

/// A watch's failure as the step its decoder passes on (one line, and whether it was a 403),
/// logged.
pub(super) fn failure_step(kind: WatchedKind, error: &watcher::Error, listed: bool) -> Step {
    let failure = watch_failure(kind, error, listed);
    tracing::warn!(kind = kind.plural(), error = %failure.line(), "watch failed; retrying");
    Step::Failed {
        forbidden: failure.kind == ApiErrorKind::Forbidden,
        error: failure.line(),
    }
}

/// A watch's failure as the one API error type, its kind read from the answer's status.
fn watch_failure(kind: WatchedKind, error: &watcher::Error, listed: bool) -> ApiError {
    let plural = kind.plural();
    // A streamed initial list is a watch on the wire, and a list to the user.
    let verb = if listed { "watch" } else { "list" };
    match error {
        watcher::Error::InitialListFailed(error) => api_error(&format!("list {plural}"), error),
        watcher::Error::WatchStartFailed(error) | watcher::Error::WatchFailed(error) => {
            api_error(&format!("{verb} {plural}"), error)
        }
        watcher::Error::WatchError(status) => ApiError::answered(
            &format!("{verb} {plural}"),
            status.code,
            &status.reason,
            &status.message,
        ),
        watcher::Error::NoResourceVersion => ApiError::unreadable(
            &format!("watch {plural}"),
            "no metadata.resourceVersion in the answer (does the resource support watch?)",
        ),
    }
}

#[cfg(test)]
#[path = "watch_tests.rs"]
mod tests;
