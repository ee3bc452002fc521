//! The row of a core/v1 Event (`printEvent`).

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::{Options, Row};
use crate::model::duration::{age, is_zero_time};

/// LAST SEEN, TYPE, REASON, OBJECT, [SUBOBJECT, SOURCE], MESSAGE, [FIRST SEEN, COUNT, NAME].
///
/// FIRST SEEN is `firstTimestamp`, else `eventTime`; LAST SEEN is `lastTimestamp`, else FIRST
/// SEEN; an event series overrides LAST SEEN and COUNT. COUNT is an integer in a `string`
/// column, 1 for a singleton event without a count.
pub(super) fn event(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let first_timestamp = o.get("firstTimestamp").time();
    let first_seen = if first_timestamp.is_none_or(is_zero_time) {
        age(o.get("eventTime").time(), now)
    } else {
        age(first_timestamp, now)
    };
    let last_timestamp = o.get("lastTimestamp").time();
    let mut last_seen = if last_timestamp.is_none_or(is_zero_time) {
        first_seen.clone()
    } else {
        age(last_timestamp, now)
    };
    let series = o.get("series");
    let mut count = o.get("count").int();
    if series.is_set() {
        last_seen = age(series.get("lastObservedTime").time(), now);
        count = series.get("count").int();
    } else if count == 0 {
        count = 1;
    }

    let involved = o.get("involvedObject");
    let kind = involved.get("kind").str().to_lowercase();
    let name = involved.get("name").str();
    let target = if name.is_empty() {
        kind
    } else {
        format!("{kind}/{name}")
    };
    let message = o.get("message").str().trim().to_string();
    let mut cells: Vec<Value> = vec![
        last_seen.into(),
        o.get("type").str().into(),
        o.get("reason").str().into(),
        target.into(),
    ];
    if options.wide {
        cells.extend([
            involved.get("fieldPath").str().into(),
            source(o).into(),
            message.into(),
            first_seen.into(),
            count.into(),
            o.at(&["metadata", "name"]).str().into(),
        ]);
    } else {
        cells.push(message.into());
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// `formatEventSource`: `component, host`, falling back to `reportingComponent` and
/// `reportingInstance` (the v1 JSON names of ReportingController and ReportingInstance).
fn source(o: Field<'_>) -> String {
    let first_non_empty = |a: &'static str, b: &'static str| {
        let preferred = o.at(&["source", a]).str();
        if preferred.is_empty() {
            o.get(b).str()
        } else {
            preferred
        }
    };
    let component = first_non_empty("component", "reportingComponent");
    let instance = first_non_empty("host", "reportingInstance");
    if instance.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {instance}")
    }
}
