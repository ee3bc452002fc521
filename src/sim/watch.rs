//! WATCH: a stream of ADDED / MODIFIED / DELETED events (and BOOKMARKs), resumable from a
//! resourceVersion, with 410 Gone when that version is older than the history kept.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use super::api_error::ApiError;
use super::event_conversion::present;
use super::handler::{Representation, stream};
use super::list::{Filter, storage_of};
use super::query::Query;
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::Sim;
use super::store::{Change, ChangeType};
use super::table_output::{IncludeObjectParam, table_for};

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
        sender,
    };
    let initial = revision.is_none_or(|r| r == 0) || query.send_initial_events;
    let timeout = query
        .timeout_seconds
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs);
    let send_initial_events = query.send_initial_events;
    tokio::spawn(async move {
        let _ =
            tokio::time::timeout(timeout, watch.run(revision, initial, send_initial_events)).await;
    });
    let body = Body::from_stream(futures::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    ));
    Ok(stream("application/json", body))
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
    sender: mpsc::Sender<Result<Bytes, Infallible>>,
}

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
            for object in objects {
                self.send_event("ADDED", &object).await?;
            }
            if initial_events_end {
                self.send_bookmark(listed_at, true).await?;
            }
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
                    self.send_line(json!({"type": "ERROR", "object": status}))
                        .await?;
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
                    }
                    // A watcher too slow to keep up is closed; its client resumes or relists.
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return Some(()),
                },
                _ = ticker.tick() => {
                    if self.bookmarks {
                        let current = self.sim.store.revision();
                        self.send_bookmark(current, false).await?;
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
            let encoded = change.encoded();
            let mut line = Vec::with_capacity(encoded.len() + 32);
            line.extend_from_slice(b"{\"type\":\"");
            line.extend_from_slice(event.as_bytes());
            line.extend_from_slice(b"\",\"object\":");
            line.extend_from_slice(&encoded);
            line.extend_from_slice(b"}\n");
            return self.sender.send(Ok(Bytes::from(line))).await.ok();
        }
        let object = change.object.clone();
        self.send_event(event, &object).await
    }

    async fn send_event(&mut self, event: &str, object: &Value) -> Option<()> {
        let object = present(self.resource, object);
        let object = match self.representation {
            Representation::Object => object,
            Representation::Table => {
                let mut table = table_for(
                    &self.sim,
                    self.resource,
                    std::slice::from_ref(&object),
                    self.include,
                );
                table["metadata"] = json!({"resourceVersion": object.pointer("/metadata/resourceVersion").cloned().unwrap_or(json!(""))});
                // Column definitions go with the first event only, as the API server sends them.
                if self.columns_sent {
                    table["columnDefinitions"] = json!([]);
                }
                self.columns_sent = true;
                table
            }
        };
        self.send_line(json!({"type": event, "object": object}))
            .await
    }

    async fn send_bookmark(&mut self, revision: u64, initial_events_end: bool) -> Option<()> {
        let mut metadata = json!({"resourceVersion": revision.to_string()});
        if initial_events_end {
            metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let object = json!({
            "kind": self.resource.kind,
            "apiVersion": self.resource.api_version(),
            "metadata": metadata,
        });
        self.send_line(json!({"type": "BOOKMARK", "object": object}))
            .await
    }

    async fn send_line(&mut self, line: Value) -> Option<()> {
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        self.sender.send(Ok(Bytes::from(bytes))).await.ok()
    }
}
