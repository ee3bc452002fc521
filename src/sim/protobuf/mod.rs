//! Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`), decoded to the
//! JSON the simulator stores.
//!
//! client-go's typed clients send protobuf (kubernetes PR #125314), so `kubectl create job
//! --from=cronjob/x`, `kubectl create deployment`, `kubectl drain` (Eviction) and friends POST it.
//! The body is the magic `k8s\0` and a `runtime.Unknown` envelope: typeMeta {apiVersion=1,
//! kind=2}, raw=2 (the object's own message), contentEncoding=3, contentType=4. The object is
//! decoded by walking `sim::schema`, whose field names are the JSON names; the special messages
//! (Time, Quantity, IntOrString, ...) become the JSON scalars their Go types marshal to.

mod decode;
mod encode;
pub(in crate::sim) mod wire;

use std::fmt;

use serde_json::Value;

/// The media type of a Kubernetes protobuf body.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// Why a protobuf body could not be decoded: one line, naming where when it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtobufError {
    /// The JSON path of the field being decoded, outermost first.
    path: Vec<String>,
    message: String,
}

impl ProtobufError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, inside the named field.
    fn within(mut self, field: &str) -> Self {
        self.path.insert(0, field.to_string());
        self
    }
}

impl fmt::Display for ProtobufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path.join("."), self.message)
        }
    }
}

impl std::error::Error for ProtobufError {}

/// Decodes a Kubernetes protobuf body (magic, `runtime.Unknown` envelope, object) into the
/// equivalent JSON object, `apiVersion` and `kind` included.
pub fn decode(body: &[u8]) -> Result<Value, ProtobufError> {
    decode::decode_body(body, 0)
}

pub use encode::{encode_body, encode_list, encode_watch_event};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod encode_tests;
