//! Recording Events as the cluster's components do (client-go's event correlator): one Event
//! per object, reason and message, whose count and lastTimestamp grow when it happens again;
//! and once an object has had ten different messages of one reason within ten minutes (a
//! ReplicaSet's `FailedCreate`, each naming another pod), one Event `(combined from similar
//! events): ` with the latest message, counting them.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use serde_json::{Value, json};

use super::resource::find_built_in;
use super::state::{Sim, time_text};

/// Where each (object, reason, message) was recorded, so repeats are counted, not duplicated.
#[derive(Default)]
pub struct EventIndex {
    names: Mutex<HashMap<EventKey, (String, String)>>,
    similar: Mutex<HashMap<SimilarKey, Similar>>,
    /// How many similar-event records wait before the old ones are pruned again: twice what
    /// the last pruning kept, so a cluster with thousands of recent ones does not walk them all
    /// for every event it records.
    prune_above: std::sync::atomic::AtomicUsize,
}

/// (object uid, reason, message): what makes two events the same event.
type EventKey = (String, String, String);

/// (object uid, type, reason, component, host): what makes two events similar.
type SimilarKey = (String, &'static str, String, String, String);

/// The different messages of similar events lately, and when the last came.
#[derive(Default)]
struct Similar {
    messages: HashSet<String>,
    last: Option<Timestamp>,
}

/// The event correlator's aggregation: this many different messages...
const SIMILAR_MESSAGES: usize = 10;
/// ...each within this long of the one before.
const SIMILAR_WINDOW: SignedDuration = SignedDuration::from_secs(600);
/// The message of an Event standing for similar ones, before the latest one's.
const COMBINED: &str = "(combined from similar events): ";

impl EventIndex {
    /// Notes an event's message among those similar to it; whether it is now one too many to
    /// be an Event of its own.
    fn combines(&self, key: SimilarKey, message: &str, now: Timestamp) -> bool {
        let mut similar = self.similar.lock().unwrap_or_else(|p| p.into_inner());
        let prune_above = self.prune_above.load(std::sync::atomic::Ordering::Relaxed);
        if similar.len() > prune_above.max(4096) {
            similar.retain(|_, s| {
                s.last
                    .is_some_and(|last| now.duration_since(last) <= SIMILAR_WINDOW)
            });
            self.prune_above
                .store(similar.len() * 2, std::sync::atomic::Ordering::Relaxed);
        }
        let record = similar.entry(key).or_default();
        if record
            .last
            .is_none_or(|last| now.duration_since(last) > SIMILAR_WINDOW)
        {
            record.messages.clear();
        }
        record.messages.insert(message.to_string());
        record.last = Some(now);
        if record.messages.len() < SIMILAR_MESSAGES {
            return false;
        }
        // The set stays below the threshold, as the correlator's does.
        if let Some(any) = record.messages.iter().next().cloned() {
            record.messages.remove(&any);
        }
        true
    }
}

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
/// repeat of an identical one; the tenth different message of a reason within ten minutes goes
/// to the Event combining them.
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
    let once = Occurrences {
        first: now,
        last: now,
        count: 1,
    };
    let similar = (
        object["metadata"]["uid"].as_str().unwrap_or("").to_string(),
        type_name(type_),
        reason.to_string(),
        source.component.to_string(),
        source.host.unwrap_or("").to_string(),
    );
    if sim.events.combines(similar, message, now) {
        let combined = format!("{COMBINED}{message}");
        write(
            sim, object, field_path, type_, reason, &combined, source, once, COMBINED,
        );
    } else {
        record_history(
            sim, object, field_path, type_, reason, message, source, once,
        );
    }
}

fn type_name(type_: EventType) -> &'static str {
    match type_ {
        EventType::Normal => "Normal",
        EventType::Warning => "Warning",
    }
}

/// Records the history of an event that stands for similar ones (`(combined from similar
/// events): ` and the latest message), which later similar events are counted in.
#[allow(clippy::too_many_arguments)]
pub fn record_combined_history(
    sim: &Sim,
    object: &Value,
    type_: EventType,
    reason: &str,
    message: &str,
    source: Source<'_>,
    occurrences: Occurrences,
) {
    let uid = object["metadata"]["uid"].as_str().unwrap_or("").to_string();
    // As if the similar messages seen lately had already reached the threshold.
    let key = (
        uid,
        type_name(type_),
        reason.to_string(),
        source.component.to_string(),
        source.host.unwrap_or("").to_string(),
    );
    {
        let mut similar = sim.events.similar.lock().unwrap_or_else(|p| p.into_inner());
        let record = similar.entry(key).or_default();
        record.messages = (1..SIMILAR_MESSAGES).map(|i| format!("{i}")).collect();
        record.last = Some(occurrences.last);
    }
    let combined = format!("{COMBINED}{message}");
    write(
        sim,
        object,
        None,
        type_,
        reason,
        &combined,
        source,
        occurrences,
        COMBINED,
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
    write(
        sim,
        object,
        field_path,
        type_,
        reason,
        message,
        source,
        occurrences,
        message,
    );
}

/// Writes an event, or counts it in the Event it repeats: the one of the same object and
/// reason recorded under `counted_as` (its message, or the combined events' prefix), whose
/// message becomes this one's.
#[allow(clippy::too_many_arguments)]
fn write(
    sim: &Sim,
    object: &Value,
    field_path: Option<&str>,
    type_: EventType,
    reason: &str,
    message: &str,
    source: Source<'_>,
    occurrences: Occurrences,
    counted_as: &str,
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
    let key = (uid.clone(), reason.to_string(), counted_as.to_string());
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
            event["message"] = json!(message);
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
        "type": type_name(type_),
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
