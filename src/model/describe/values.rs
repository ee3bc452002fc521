//! Values formatted as kubectl's describers format them: times, booleans, selectors, label maps,
//! host:port pairs.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::raw::Raw;
use crate::model::manifest::typed_value;
use crate::model::selector::{LabelSelector, LabelSelectorSpec};

/// Go's `time.RFC1123Z` layout, `Mon, 02 Jan 2006 15:04:05 -0700`, in UTC. An absent time is Go's
/// zero time, which kubectl prints as such (`Mon, 01 Jan 0001 00:00:00 +0000`).
pub(super) fn rfc1123z(time: Option<Timestamp>) -> String {
    // Go's zero time: 0001-01-01T00:00:00Z.
    const GO_ZERO_TIME_SECONDS: i64 = -62_135_596_800;
    let time = time.unwrap_or_else(|| {
        Timestamp::from_second(GO_ZERO_TIME_SECONDS).expect("year 1 is within range")
    });
    time.to_zoned(TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// kubectl's `printBool`.
pub(super) fn print_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// kubectl's `printBoolPtr`: `<unset>` for an absent boolean.
pub(super) fn print_bool_ptr(value: Option<bool>) -> &'static str {
    value.map_or("<unset>", print_bool)
}

/// kubectl's `stringOrNone`.
pub(super) fn string_or_none(text: &str) -> &str {
    if text.is_empty() { "<none>" } else { text }
}

/// A `spec.selector` converted as `metav1.LabelSelectorAsSelector` does: absent matches nothing,
/// `{}` everything (both print as the empty string).
pub(super) fn label_selector(selector: Raw<'_>) -> Result<LabelSelector, String> {
    let spec = match selector.value() {
        Some(value) => {
            Some(typed_value::<LabelSelectorSpec>(value).map_err(|error| format!("{error:#}"))?)
        }
        None => None,
    };
    LabelSelector::from_optional_spec(spec.as_ref()).map_err(|error| error.to_string())
}

/// `metav1.FormatLabelSelector`: the selector's text, `<none>` if empty, `<error>` if invalid.
pub(super) fn format_label_selector(selector: Raw<'_>) -> String {
    match label_selector(selector) {
        Ok(selector) => {
            let text = selector.to_string();
            if text.is_empty() {
                "<none>".to_string()
            } else {
                text
            }
        }
        Err(_) => "<error>".to_string(),
    }
}

/// `labels.FormatLabels`: `k=v` pairs sorted by key and joined by commas, or `<none>`.
pub(super) fn format_labels(labels: &BTreeMap<&str, &str>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Go's `net.JoinHostPort`: IPv6 hosts in brackets.
pub(super) fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Go's `%q` for the strings describe quotes (paths): double quotes, with `"`, `\` and control
/// characters escaped.
pub(super) fn go_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            control if control.is_control() => {
                quoted.push_str(&format!("\\x{:02x}", u32::from(control)));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// Go's `%v` of a string slice: `[a b c]`.
pub(super) fn go_string_slice<'a>(items: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(" "))
}
