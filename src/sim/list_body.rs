//! A list's JSON body, sent as its items are encoded. The API server has done so since
//! Kubernetes 1.33 (KEP-5116, streaming collection encoding, on by default, stable in 1.34): the
//! first bytes leave while the rest is still being encoded, and the whole list is never held at
//! once. Before, the sim wrote all of a 51,539-pod list (123 MB) before its first byte, and a
//! client's read began a quarter of a second late. A list that fits one chunk goes whole, with
//! its length, as Go's HTTP server answers a handler that wrote little.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::response::Response;
use serde_json::Value;
use tokio::sync::mpsc;

use super::event_conversion::present;
use super::handler::{json_bytes, streamed_from};
use super::resource::ResourceType;

/// The size of a chunk: written, then sent while the next is encoded.
pub(super) const CHUNK: usize = 256 * 1024;

/// A chunk's room: the item that fills a chunk goes past `CHUNK`, and a chunk made with no
/// room for it was copied into one twice as large.
pub(super) const ROOM: usize = CHUNK + 64 * 1024;

/// Chunks encoded ahead of what the connection has taken: the API server's encoder writes into
/// the connection and waits when it is full, so it runs only a little ahead of its client.
const AHEAD: usize = 4;

/// The items of a list, encoded in order.
struct Items {
    resource: &'static ResourceType,
    /// The objects are stored in another version than the one asked for (events.k8s.io/v1
    /// Events over core Events): each is presented in the version asked for.
    converted: bool,
    objects: Vec<Arc<Value>>,
    next: usize,
}

impl Items {
    /// Encodes items into `chunk` until it is full; whether every item is written.
    fn fill(&mut self, chunk: &mut Vec<u8>) -> Result<bool, serde_json::Error> {
        while let Some(object) = self.objects.get(self.next) {
            if chunk.len() >= CHUNK {
                return Ok(false);
            }
            if self.next > 0 {
                chunk.push(b',');
            }
            if self.converted {
                serde_json::to_writer(&mut *chunk, &present(self.resource, object))?;
            } else {
                serde_json::to_writer(&mut *chunk, object.as_ref())?;
            }
            self.next += 1;
        }
        chunk.extend_from_slice(b"]}");
        Ok(true)
    }
}

/// Answers the list whose text up to its items' `[` is `head`. A list larger than a chunk is
/// encoded on a blocking thread (a runtime worker would be held for the whole list) and sent a
/// chunk at a time; the encoding stops when the client goes away.
pub fn respond(
    resource: &'static ResourceType,
    converted: bool,
    head: Vec<u8>,
    objects: Vec<Arc<Value>>,
) -> Result<Response, serde_json::Error> {
    let mut items = Items {
        resource,
        converted,
        objects,
        next: 0,
    };
    let mut first = head;
    if items.fill(&mut first)? {
        return Ok(json_bytes(first));
    }
    let (sender, receiver) = mpsc::channel::<Result<Bytes, Infallible>>(AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut chunk = first;
        loop {
            let sent = Bytes::from(std::mem::replace(&mut chunk, Vec::with_capacity(ROOM)));
            if sender.blocking_send(Ok(sent)).is_err() {
                return;
            }
            match items.fill(&mut chunk) {
                Ok(false) => {}
                Ok(true) => {
                    let _ = sender.blocking_send(Ok(Bytes::from(chunk)));
                    return;
                }
                // A stored object is JSON; should one fail to encode, the answer ends short and
                // the client sees a list cut off, as when an API server's encoder fails midway.
                Err(error) => {
                    tracing::error!("a list's item could not be encoded: {error}");
                    return;
                }
            }
        }
    });
    Ok(streamed_from("application/json", receiver))
}
