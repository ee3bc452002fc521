//! Events are stored once, in core/v1 form, and shown in events.k8s.io/v1 form when asked for
//! through that group, as the API server converts between the two versions.

use serde_json::{Map, Value, json};

use super::resource::ResourceType;

/// The object as a client of `resource` sees it.
pub fn present(resource: &ResourceType, object: &Value) -> Value {
    if resource.group != "events.k8s.io" {
        return object.clone();
    }
    let mut out = Map::new();
    out.insert("kind".into(), json!("Event"));
    out.insert("apiVersion".into(), json!("events.k8s.io/v1"));
    out.insert("metadata".into(), object["metadata"].clone());
    let copy = |out: &mut Map<String, Value>, from: &str, to: &str| {
        if let Some(value) = object.get(from).filter(|v| !v.is_null()) {
            out.insert(to.into(), value.clone());
        }
    };
    copy(&mut out, "involvedObject", "regarding");
    copy(&mut out, "related", "related");
    copy(&mut out, "message", "note");
    copy(&mut out, "reason", "reason");
    copy(&mut out, "type", "type");
    copy(&mut out, "action", "action");
    copy(&mut out, "reportingComponent", "reportingController");
    copy(&mut out, "reportingInstance", "reportingInstance");
    copy(&mut out, "count", "deprecatedCount");
    copy(&mut out, "firstTimestamp", "deprecatedFirstTimestamp");
    copy(&mut out, "lastTimestamp", "deprecatedLastTimestamp");
    copy(&mut out, "source", "deprecatedSource");
    let event_time = object
        .get("eventTime")
        .filter(|v| !v.is_null())
        .cloned()
        .or_else(|| {
            object
                .get("firstTimestamp")
                .filter(|v| !v.is_null())
                .cloned()
        })
        .unwrap_or(Value::Null);
    out.insert("eventTime".into(), event_time);
    if let Some(series) = object.get("series").filter(|v| !v.is_null()) {
        out.insert("series".into(), series.clone());
    }
    Value::Object(out)
}

/// An events.k8s.io/v1 Event written by a client, in the stored core/v1 form.
pub fn to_core(object: &Value) -> Value {
    let mut out = Map::new();
    out.insert("kind".into(), json!("Event"));
    out.insert("apiVersion".into(), json!("v1"));
    out.insert("metadata".into(), object["metadata"].clone());
    let copy = |out: &mut Map<String, Value>, from: &str, to: &str| {
        if let Some(value) = object.get(from).filter(|v| !v.is_null()) {
            out.insert(to.into(), value.clone());
        }
    };
    copy(&mut out, "regarding", "involvedObject");
    copy(&mut out, "related", "related");
    copy(&mut out, "note", "message");
    copy(&mut out, "reason", "reason");
    copy(&mut out, "type", "type");
    copy(&mut out, "action", "action");
    copy(&mut out, "reportingController", "reportingComponent");
    copy(&mut out, "reportingInstance", "reportingInstance");
    copy(&mut out, "deprecatedCount", "count");
    copy(&mut out, "deprecatedFirstTimestamp", "firstTimestamp");
    copy(&mut out, "deprecatedLastTimestamp", "lastTimestamp");
    copy(&mut out, "deprecatedSource", "source");
    copy(&mut out, "eventTime", "eventTime");
    copy(&mut out, "series", "series");
    Value::Object(out)
}
