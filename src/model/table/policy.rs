//! The row of a PodDisruptionBudget (`printPodDisruptionBudget`).

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::{Row, age_of, name_of};

/// NAME, MIN AVAILABLE, MAX UNAVAILABLE (the int-or-string as written, `N/A` when unset),
/// ALLOWED DISRUPTIONS (an integer), AGE.
pub(super) fn pod_disruption_budget(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let spec = o.get("spec");
    Row {
        cells: vec![
            name_of(o),
            int_or_string(spec.get("minAvailable")).into(),
            int_or_string(spec.get("maxUnavailable")).into(),
            o.at(&["status", "disruptionsAllowed"]).int().into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}

/// `intstr.IntOrString.String()`, or `N/A` for an unset value (or one that is neither an
/// integer nor a string, which the API would have rejected).
fn int_or_string(field: Field<'_>) -> String {
    if let Some(text) = field.opt_str() {
        return text.to_string();
    }
    match field.value().and_then(Value::as_i64) {
        Some(number) => number.to_string(),
        None => "N/A".to_string(),
    }
}
