//! `kscope sim --log-requests`: one line on standard error per request once its answer has been
//! sent (or the client went away): the verb, the path and query, the HTTP version, the status,
//! the bytes of the body, the time to the first byte and to the last. A client's start-up can then be read as
//! the server saw it: which lists and watches, how big, how slow.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Method, Uri, Version};
use axum::response::Response;
use futures::StreamExt;

/// What is known of a request when its answer starts; written out when the body is done.
struct Entry {
    method: Method,
    uri: Uri,
    version: Version,
    status: u16,
    bytes: usize,
    started: Instant,
    first_byte_ms: u128,
}

impl Entry {
    /// A method, not `entry.bytes +=`: the closure below must own the whole entry (and drop it
    /// with the body), not just copy the count.
    fn count(&mut self, bytes: usize) {
        self.bytes += bytes;
    }
}

impl Drop for Entry {
    /// A streamed answer (a watch) ends when the client drops it, so the line is written when
    /// the body goes, however it goes.
    fn drop(&mut self) {
        eprintln!(
            "{} {} {:?} {} {} B first {} ms last {} ms",
            self.method,
            // An HTTP/2 request's URI carries the scheme and authority too.
            self.uri.path_and_query().map_or("/", |p| p.as_str()),
            self.version,
            self.status,
            self.bytes,
            self.first_byte_ms,
            self.started.elapsed().as_millis()
        );
    }
}

/// The response with its body counted; the line is written when the body ends or is dropped.
pub fn logged(
    (method, uri, version): (Method, Uri, Version),
    started: Instant,
    response: Response,
) -> Response {
    let (parts, body) = response.into_parts();
    let mut entry = Entry {
        method,
        uri,
        version,
        status: parts.status.as_u16(),
        bytes: 0,
        started,
        first_byte_ms: started.elapsed().as_millis(),
    };
    let counted = body.into_data_stream().map(move |chunk| {
        if let Ok(chunk) = &chunk {
            entry.count(chunk.len());
        }
        chunk
    });
    Response::from_parts(parts, Body::from_stream(counted))
}
