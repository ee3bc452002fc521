//! WATCH: a stream of ADDED / MODIFIED / DELETED events (and BOOKMARKs), resumable from a
//! resourceVersion, with 410 Gone when that version is older than the history kept.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use super::api_error::ApiError;
use super::event_conversion::present;
use super::handler::{Representation, streamed_from};
use super::list::{Filter, storage_of};
use super::query::Query;
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::Sim;
use super::store::{Change, ChangeType};
use super::table_output::{IncludeObjectParam, table_for};
use crate::sim::pointer::Pointer;

/// How long a watch lasts when the client does not say (the API server picks 30–60 minutes).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// How often a quiet watch that allows bookmarks gets one.
const BOOKMARK_INTERVAL: Duration = Duration::from_secs(10);

/// Starts a watch and returns its streaming response.
pub fn serve(
    sim: Arc<Sim>,
    target: &ResourceRoute,
    query: &Query,
    representation: Representation,
) -> Result<Response, ApiError> {
    let resource = target.resource;
    let filter = Filter::new(resource, query)?;
    // The watch cache parses the resourceVersion and hands its error up unconverted
    // (Cacher.Watch), so the API server answers it as an error that is no Status: a 500
    // without a reason, whose message is the error's (responsewriters.ErrorToAPIStatus).
    let revision = query.revision().map_err(ApiError::unknown)?;
    let include = IncludeObjectParam::from_query(query)?;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, Infallible>>(256);
    let watch = Watch {
        sim,
        resource,
        storage: storage_of(resource),
        namespace: target.namespace.clone(),
        filter,
        representation,
        include,
        bookmarks: query.allow_watch_bookmarks,
        columns_sent: false,
        batch: Vec::new(),
        sender,
    };
    // Without sendInitialEvents, a watch from no version (or "0") starts with the current
    // objects, as synthetic ADDED events; with it, the parameter says.
    let initial = query
        .send_initial_events
        .unwrap_or(revision.is_none_or(|r| r == 0));
    let timeout = query
        .timeout_seconds
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs);
    let send_initial_events = query.send_initial_events == Some(true);
    tokio::spawn(async move {
        let _ =
            tokio::time::timeout(timeout, watch.run(revision, initial, send_initial_events)).await;
    });
    let content_type = match representation {
        Representation::Protobuf => "application/vnd.kubernetes.protobuf;stream=watch",
        Representation::Object | Representation::Table => "application/json",
    };
    Ok(streamed_from(content_type, receiver))
}

struct Watch {
    sim: Arc<Sim>,
    resource: &'static ResourceType,
    storage: &'static ResourceType,
    namespace: Option<String>,
    filter: Filter,
    representation: Representation,
    include: IncludeObjectParam,
    bookmarks: bool,
    columns_sent: bool,
    /// Lines written but not yet sent: events are sent in batches while more are at hand and
    /// flushed once the watch has caught up, as the API server's watch handler flushes only when
    /// no further event is waiting (a list of 50,000 pods is not 50,000 writes).
    batch: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, Infallible>>,
}

/// A batch this large is sent at once, caught up or not: a streamed list's chunk.
const BATCH_BYTES: usize = super::list_body::CHUNK;

impl Watch {
    async fn run(
        mut self,
        revision: Option<u64>,
        initial: bool,
        initial_events_end: bool,
    ) -> Option<()> {
        let (backlog, mut receiver, mut last) = if initial {
            // Subscribe before listing; changes the list already reflects are skipped below.
            let receiver = self.sim.store.subscribe();
            let (objects, listed_at, _) = self.sim.store.list(
                self.storage,
                self.namespace.as_deref(),
                None,
                |o| self.filter.matches(o),
                0,
            );
            // Written on a thread of its own, each batch sent as it is made: on the runtime's
            // worker the connection's task, woken by a batch, waited in that worker's slot
            // (where no other worker takes it from) until the channel filled, and at 50,000
            // pods the first byte left after 64 MB and 160 ms, as the API server's never does.
            let (watch, written) = tokio::task::spawn_blocking(move || {
                let written = self.write_initial(&objects, listed_at, initial_events_end);
                (self, written)
            })
            .await
            .ok()?;
            self = watch;
            written?;
            (Vec::new(), receiver, listed_at)
        } else {
            let from = revision.unwrap_or(0);
            match self.sim.store.watch_from(Some(from)) {
                Ok((backlog, receiver)) => (backlog, receiver, from),
                Err(too_old) => {
                    let status = ApiError::gone(format!(
                        "too old resource version: {} ({})",
                        too_old.requested, too_old.oldest
                    ))
                    .status();
                    self.write_error(status).await?;
                    return Some(());
                }
            }
        };
        for change in backlog {
            if change.revision > last {
                last = change.revision;
                self.deliver(&change).await?;
            }
        }
        self.flush().await?;
        let mut ticker = tokio::time::interval(BOOKMARK_INTERVAL);
        ticker.tick().await;
        loop {
            tokio::select! {
                received = receiver.recv() => match received {
                    Ok(change) => {
                        if change.revision > last {
                            last = change.revision;
                            self.deliver(&change).await?;
                        }
                        if receiver.is_empty() {
                            self.flush().await?;
                        }
                    }
                    // A watcher too slow to keep up is closed; its client resumes or relists.
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return Some(()),
                },
                _ = ticker.tick() => {
                    if self.bookmarks {
                        let current = self.sim.store.revision();
                        self.send_bookmark(current, false).await?;
                        self.flush().await?;
                    } else if self.sender.is_closed() {
                        return Some(());
                    }
                }
            }
        }
    }

    async fn deliver(&mut self, change: &Change) -> Option<()> {
        if !std::ptr::eq(change.resource, self.storage) {
            return Some(());
        }
        if let Some(namespace) = &self.namespace
            && &change.namespace != namespace
        {
            return Some(());
        }
        let now_matches = self.filter.matches(&change.object);
        let before_matched = change
            .previous
            .as_ref()
            .is_some_and(|p| self.filter.matches(p));
        let event = match change.change {
            ChangeType::Added if now_matches => "ADDED",
            ChangeType::Modified if now_matches && before_matched => "MODIFIED",
            ChangeType::Modified if now_matches => "ADDED",
            ChangeType::Modified if before_matched => "DELETED",
            ChangeType::Deleted if now_matches || before_matched => "DELETED",
            _ => return Some(()),
        };
        let plain = matches!(self.representation, Representation::Object)
            && std::ptr::eq(self.resource, self.storage);
        if plain {
            // The JSON the store keeps of the change, written once for every watcher.
            let encoded = change.encoded();
            self.batch_event(event, |batch| {
                batch.extend_from_slice(&encoded);
                Some(())
            })?;
            return self.sent_if_full().await;
        }
        let object = change.object.clone();
        self.send_event(event, &object).await
    }

    /// The initial list's events, then its bookmark when asked, each batch sent when full and
    /// the rest at the end; from a blocking thread. `None` once the client is gone.
    fn write_initial(
        &mut self,
        objects: &[Arc<Value>],
        listed_at: u64,
        initial_events_end: bool,
    ) -> Option<()> {
        for object in objects {
            self.write_event("ADDED", object)?;
            if self.batch.len() >= BATCH_BYTES {
                self.send_blocking()?;
            }
        }
        if initial_events_end {
            self.write_bookmark(listed_at, true)?;
        }
        self.send_blocking()
    }

    /// Sends what is batched, waiting for room; from a blocking thread. `None` once the client
    /// is gone.
    fn send_blocking(&mut self) -> Option<()> {
        if self.batch.is_empty() {
            return (!self.sender.is_closed()).then_some(());
        }
        // After a full batch, the next is made with room for the event that fills it, as a
        // list's chunk is: grown from nothing, each batch of an initial list was moved as it
        // doubled, into fresh pages each time, on the way to twice the size it needed. After
        // the last (a small list's, or the end of one), the live changes' batches start small.
        let room = if self.batch.len() >= BATCH_BYTES {
            Vec::with_capacity(super::list_body::ROOM)
        } else {
            Vec::new()
        };
        let batch = std::mem::replace(&mut self.batch, room);
        self.sender.blocking_send(Ok(Bytes::from(batch))).ok()
    }

    async fn send_event(&mut self, event: &str, object: &Value) -> Option<()> {
        self.write_event(event, object)?;
        self.sent_if_full().await
    }

    /// Adds an event's line (or protobuf frame) to the batch.
    fn write_event(&mut self, event: &str, object: &Value) -> Option<()> {
        if matches!(self.representation, Representation::Protobuf) {
            return self.write_frame(
                event,
                &self.resource.api_version(),
                self.resource.kind,
                object,
            );
        }
        if matches!(self.representation, Representation::Object)
            && std::ptr::eq(self.resource, self.storage)
        {
            // Written straight from the stored object: no copy of it, no tree for the line.
            return self.batch_event(event, |batch| serde_json::to_writer(batch, object).ok());
        }
        let object = present(self.resource, object);
        let object = match self.representation {
            Representation::Object | Representation::Protobuf => object,
            Representation::Table => {
                let mut table = table_for(
                    &self.sim,
                    self.resource,
                    std::slice::from_ref(&object),
                    self.include,
                );
                table["metadata"] = json!({"resourceVersion": object.at("/metadata/resourceVersion").cloned().unwrap_or(json!(""))});
                // Column definitions go with the first event only, as the API server sends them.
                if self.columns_sent {
                    table["columnDefinitions"] = json!([]);
                }
                self.columns_sent = true;
                table
            }
        };
        self.write_line(json!({"type": event, "object": object}))
    }

    async fn send_bookmark(&mut self, revision: u64, initial_events_end: bool) -> Option<()> {
        self.write_bookmark(revision, initial_events_end)?;
        self.sent_if_full().await
    }

    fn write_bookmark(&mut self, revision: u64, initial_events_end: bool) -> Option<()> {
        let mut metadata = json!({"resourceVersion": revision.to_string()});
        if initial_events_end {
            metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let object = json!({
            "kind": self.resource.kind,
            "apiVersion": self.resource.api_version(),
            "metadata": metadata,
        });
        if matches!(self.representation, Representation::Protobuf) {
            return self.write_frame(
                "BOOKMARK",
                &self.resource.api_version(),
                self.resource.kind,
                &object,
            );
        }
        self.write_line(json!({"type": "BOOKMARK", "object": object}))
    }

    /// Adds an ERROR event holding `status`, then sends what is batched.
    async fn write_error(&mut self, status: Value) -> Option<()> {
        if matches!(self.representation, Representation::Protobuf) {
            self.write_frame("ERROR", "v1", "Status", &status)?;
        } else {
            self.write_line(json!({"type": "ERROR", "object": status}))?;
        }
        self.flush().await
    }

    /// Adds an event as a protobuf watch stream frames it. An object the schema cannot encode
    /// ends the watch (`None`), as the API server ends one whose encoder failed: the client
    /// watches again.
    fn write_frame(
        &mut self,
        event: &str,
        api_version: &str,
        kind: &str,
        object: &Value,
    ) -> Option<()> {
        let at = self.batch.len();
        match super::protobuf::encode_watch_event(event, api_version, kind, object, &mut self.batch)
        {
            Ok(()) => Some(()),
            Err(error) => {
                self.batch.truncate(at);
                tracing::error!("a watch event could not be encoded: {error}");
                None
            }
        }
    }

    fn write_line(&mut self, line: Value) -> Option<()> {
        serde_json::to_writer(&mut self.batch, &line).ok()?;
        self.batch.push(b'\n');
        Some(())
    }

    /// Adds the line of an event whose object `write_object` writes as JSON.
    fn batch_event(
        &mut self,
        event: &str,
        write_object: impl FnOnce(&mut Vec<u8>) -> Option<()>,
    ) -> Option<()> {
        self.batch.extend_from_slice(b"{\"type\":\"");
        self.batch.extend_from_slice(event.as_bytes());
        self.batch.extend_from_slice(b"\",\"object\":");
        write_object(&mut self.batch)?;
        self.batch.extend_from_slice(b"}\n");
        Some(())
    }

    /// Sends the batch if it has grown large; `None` once the client is gone.
    async fn sent_if_full(&mut self) -> Option<()> {
        if self.batch.len() >= BATCH_BYTES {
            self.flush().await?;
        }
        Some(())
    }

    /// Sends what is batched; `None` once the client is gone.
    async fn flush(&mut self) -> Option<()> {
        if self.batch.is_empty() {
            return if self.sender.is_closed() {
                None
            } else {
                Some(())
            };
        }
        let batch = std::mem::take(&mut self.batch);
        self.sender.send(Ok(Bytes::from(batch))).await.ok()
    }
}
