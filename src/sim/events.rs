//! Recording Events as the cluster's components do: one Event per object, reason and message,
//! whose count and lastTimestamp grow when it happens again.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use super::resource::find_built_in;
use super::state::{Sim, time_text};

/// Where each (object, reason, message) was recorded, so repeats are counted, not duplicated.
#[derive(Default)]
pub struct EventIndex {
    names: Mutex<HashMap<EventKey, (String, String)>>,
}

/// (object uid, reason, message): what makes two events the same event.
type EventKey = (String, String, String);

impl EventIndex {
    /// Forgets Events that are gone (expired), so a repeat records a new one and the index
    /// does not outgrow the Events stored.
    pub fn forget(&self, gone: &std::collections::HashSet<(String, String)>) {
        self.names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, event| !gone.contains(event));
    }
}

/// Normal or Warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

/// Who reports an event: a component, and for a kubelet its node.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

/// The kubelet on `node`.
pub fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node),
    }
}

/// A control-plane component.
pub fn controller(component: &str) -> Source<'_> {
    Source {
        component,
        host: None,
    }
}

/// When an event happened and how often: its first and last time and its count.
#[derive(Debug, Clone, Copy)]
pub struct Occurrences {
    pub first: jiff::Timestamp,
    pub last: jiff::Timestamp,
    pub count: i64,
}

/// Records an event about `object` (and one of its containers, by field path), or counts a
/// repeat of an identical one.
pub fn record(
    sim: &Sim,
    object: &Value,
    field_path: Option<&str>,
    type_: EventType,
    reason: &str,
    message: &str,
    source: Source<'_>,
) {
    let now = sim.now();
    record_history(
        sim,
        object,
        field_path,
        type_,
        reason,
        message,
        source,
        Occurrences {
            first: now,
            last: now,
            count: 1,
        },
    );
}

/// Records an event with its history (for a seeded cluster that has been running a while).
#[allow(clippy::too_many_arguments)]
pub fn record_history(
    sim: &Sim,
    object: &Value,
    field_path: Option<&str>,
    type_: EventType,
    reason: &str,
    message: &str,
    source: Source<'_>,
    occurrences: Occurrences,
) {
    let (component, host) = (source.component, source.host);
    let events = find_built_in("", "v1", "events").expect("events are served");
    let metadata = &object["metadata"];
    let uid = metadata["uid"].as_str().unwrap_or("").to_string();
    let name = metadata["name"].as_str().unwrap_or("").to_string();
    let namespace = metadata["namespace"]
        .as_str()
        .filter(|n| !n.is_empty())
        .unwrap_or("default")
        .to_string();
    let now = time_text(occurrences.last);
    let first = time_text(occurrences.first);
    let key = (uid.clone(), reason.to_string(), message.to_string());
    let existing = sim
        .events
        .names
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    if let Some((ns, event_name)) = existing {
        let updated = sim.store.modify(events, &ns, &event_name, |event| {
            let count = event["count"].as_i64().unwrap_or(1);
            event["count"] = json!(count + occurrences.count);
            event["lastTimestamp"] = json!(now);
            true
        });
        if updated.is_ok() {
            return;
        }
    }
    let event_name = format!("{name}.{:016x}", sim.with_rng(|r| r.next_u64()));
    let mut involved = json!({
        "kind": object["kind"],
        "namespace": metadata["namespace"],
        "name": name,
        "uid": uid,
        "apiVersion": object["apiVersion"],
        "resourceVersion": metadata["resourceVersion"],
    });
    if let Some(path) = field_path {
        involved["fieldPath"] = json!(path);
    }
    let mut source = json!({"component": component});
    if let Some(host) = host {
        source["host"] = json!(host);
    }
    let event = json!({
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {
            "name": event_name,
            "namespace": namespace,
            "uid": sim.with_rng(|r| r.uuid()),
            "creationTimestamp": first,
        },
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": first,
        "lastTimestamp": now,
        "count": occurrences.count,
        "type": match type_ { EventType::Normal => "Normal", EventType::Warning => "Warning" },
        "eventTime": null,
        "reportingComponent": component,
        "reportingInstance": host.unwrap_or(""),
    });
    if sim.store.create(events, event).is_ok() {
        sim.events
            .names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (namespace, event_name));
    }
}
