//! The Events section that ends a description, as kubectl's `DescribeEvents` prints it, and the
//! events kubectl's describers look up for an object.

use jiff::Timestamp;
use serde_json::Value;

use super::go_sort::go_sort;
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use crate::model::duration::{age, is_zero_time};
use crate::model::event::Event;
use crate::model::meta::ObjectMeta;

/// The annotation a static pod's mirror carries: the UID the kubelet records its events under.
const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// kubectl's `DescribeEvents`: `Events:  <none>` in the current alignment, or a table of its own
/// (kubectl flushes before it), sorted by last timestamp as Go's unstable sort leaves them.
pub(super) fn describe_events(w: &mut DescribeWriter, events: &[&Event], now: Timestamp) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted = events.to_vec();
    go_sort(&mut sorted, |a, b| a.last_timestamp < b.last_timestamp);
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for event in sorted {
        let first_seen = match event.event_time {
            Some(time) if !is_zero_time(time) => age(Some(time), now),
            _ => age(event.first_timestamp, now),
        };
        let count = event.count.unwrap_or(0);
        let interval = if count > 1 {
            format!(
                "{} (x{count} over {first_seen})",
                age(event.last_timestamp, now)
            )
        } else {
            first_seen
        };
        let source = match event
            .source
            .as_ref()
            .map(|source| source.component.as_str())
        {
            Some(component) if !component.is_empty() => component,
            _ => event.reporting_component.as_deref().unwrap_or(""),
        };
        let message = event.message.trim();
        let field_path = &event.involved_object.field_path;
        let message = if field_path.is_empty() {
            message.to_string()
        } else {
            format!("{field_path}: {message}")
        };
        put!(
            w,
            1,
            "{}\t{}\t{interval}\t{source}\t{message}\n",
            event.type_,
            event.reason
        );
    }
}

/// The events kubectl's describer finds for `object` among `events` (given in the order the API
/// server lists them), in the order it prints them before sorting.
///
/// A pod's are those in its namespace about its name, namespace and UID (a static pod's mirror:
/// the UID in its `kubernetes.io/config.mirror` annotation), of any kind. A node's are those in
/// every namespace about a Node of its name with no namespace: first with its UID (the
/// controllers'), then with its name as UID (the kubelet's). Any other object's are those about
/// its kind, name and namespace (and UID, when both sides know it).
pub fn events_for_describe<'a>(
    object: &Value,
    events: impl IntoIterator<Item = &'a Event> + Clone,
) -> Vec<&'a Event> {
    let raw = Raw::new(object);
    let metadata = raw.at("metadata");
    let name = metadata.at("name").str();
    let namespace = metadata.at("namespace").str();
    let uid = metadata.at("uid").str();
    let kind = raw.at("kind").str();
    let group = raw
        .at("apiVersion")
        .str()
        .split_once('/')
        .map(|(group, _)| group);
    let involves = |event: &Event, kind: Option<&str>, namespace: &str, uid: &str| {
        let object = &event.involved_object;
        object.name == name
            && object.namespace == namespace
            && kind.is_none_or(|kind| object.kind == kind)
            && (uid.is_empty() || object.uid == uid)
    };
    match (group, kind) {
        (None, "Pod") => {
            let uid = metadata
                .at("annotations")
                .at(MIRROR_POD_ANNOTATION)
                .opt_str()
                .unwrap_or(uid);
            events
                .into_iter()
                .filter(|event| {
                    event.metadata.namespace == namespace && involves(event, None, namespace, uid)
                })
                .collect()
        }
        (None, "Node") => {
            let by_uid = events
                .clone()
                .into_iter()
                .filter(|event| involves(event, Some("Node"), "", uid));
            let by_name = events
                .into_iter()
                .filter(|event| involves(event, Some("Node"), "", name));
            by_uid.chain(by_name).collect()
        }
        _ => {
            let meta = ObjectMeta {
                name: name.to_string(),
                namespace: namespace.to_string(),
                uid: uid.to_string(),
                ..Default::default()
            };
            events
                .into_iter()
                .filter(|event| event.is_about(kind, &meta))
                .collect()
        }
    }
}
