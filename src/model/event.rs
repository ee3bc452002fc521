//! Events, read from core/v1 or events.k8s.io/v1, as evidence for explanations.

use jiff::Timestamp;
use serde::Deserialize;

use super::meta::ObjectMeta;

/// An Event. events.k8s.io/v1 names (`regarding`, `note`, `deprecatedCount`, ...) are read
/// into the core/v1 fields they replaced.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    pub metadata: ObjectMeta,
    #[serde(alias = "regarding")]
    pub involved_object: ObjectReference,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    #[serde(alias = "note")]
    pub message: String,
    #[serde(alias = "deprecatedCount")]
    pub count: Option<i64>,
    #[serde(deserialize_with = "super::time::optional")]
    #[serde(alias = "deprecatedFirstTimestamp")]
    pub first_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    #[serde(alias = "deprecatedLastTimestamp")]
    pub last_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    pub event_time: Option<Timestamp>,
    /// Who reported it (`source.component`, the field selector's `source`).
    pub source: Option<EventSource>,
    #[serde(alias = "reportingController")]
    pub reporting_component: Option<String>,
}

/// `source` of a core/v1 Event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventSource {
    pub component: String,
    pub host: String,
}

/// `involvedObject` / `regarding`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectReference {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub field_path: String,
}

impl Event {
    /// When the event was last seen: lastTimestamp, else eventTime, else creation.
    pub fn last_seen(&self) -> Option<Timestamp> {
        self.last_timestamp
            .or(self.event_time)
            .or(self.metadata.creation_timestamp)
    }

    /// Whether this event is about the object of the given kind, namespace and name (and uid,
    /// when both sides know it).
    pub fn is_about(&self, kind: &str, meta: &ObjectMeta) -> bool {
        let object = &self.involved_object;
        object.kind == kind
            && object.name == meta.name
            && (object.namespace.is_empty() || object.namespace == meta.namespace)
            && (object.uid.is_empty() || meta.uid.is_empty() || object.uid == meta.uid)
    }
}
