//! Reading fields of a raw JSON object the way Go's decoder fills a typed one: an absent field,
//! `null`, or a value of the wrong type reads as the zero value, so a partial object never fails.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

/// A field of a raw object, possibly absent.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Raw<'a>(Option<&'a Value>);

impl<'a> Raw<'a> {
    pub(super) fn new(value: &'a Value) -> Self {
        Raw(Some(value).filter(|value| !value.is_null()))
    }

    /// The field `key` of this object (absent if this is not an object).
    pub(super) fn at(self, key: &str) -> Raw<'a> {
        Raw(self
            .0
            .and_then(|value| value.get(key))
            .filter(|value| !value.is_null()))
    }

    /// The value, if present and not `null`.
    pub(super) fn value(self) -> Option<&'a Value> {
        self.0
    }

    /// Whether the field is present and not `null` (Go's non-nil pointer).
    pub(super) fn exists(self) -> bool {
        self.0.is_some()
    }

    pub(super) fn opt_str(self) -> Option<&'a str> {
        self.0.and_then(Value::as_str)
    }

    /// The string, or `""`.
    pub(super) fn str(self) -> &'a str {
        self.opt_str().unwrap_or("")
    }

    pub(super) fn opt_int(self) -> Option<i64> {
        let value = self.0?;
        value
            .as_i64()
            .or_else(|| value.as_u64().map(|n| i64::try_from(n).unwrap_or(i64::MAX)))
            .or_else(|| {
                value
                    .as_f64()
                    .filter(|n| n.fract() == 0.0)
                    .map(|n| n as i64)
            })
    }

    /// The integer, or 0.
    pub(super) fn int(self) -> i64 {
        self.opt_int().unwrap_or(0)
    }

    pub(super) fn opt_bool(self) -> Option<bool> {
        self.0.and_then(Value::as_bool)
    }

    /// The boolean, or `false`.
    pub(super) fn bool(self) -> bool {
        self.opt_bool().unwrap_or(false)
    }

    /// An RFC 3339 time, or `None` (absent or unreadable).
    pub(super) fn time(self) -> Option<Timestamp> {
        self.opt_str()?.parse().ok()
    }

    /// The elements of an array (none if this is not an array).
    pub(super) fn items(self) -> impl Iterator<Item = Raw<'a>> {
        self.0
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(Raw::new)
    }

    /// The entries of an object, sorted by key (as kubectl sorts map keys before printing).
    pub(super) fn entries(self) -> Vec<(&'a str, Raw<'a>)> {
        let mut entries: Vec<(&'a str, Raw<'a>)> = self
            .0
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.as_str(), Raw::new(value)))
            .collect();
        entries.sort_by_key(|(key, _)| *key);
        entries
    }

    /// Whether the field is absent, or an empty array, object or string (Go's `len(x) == 0`).
    pub(super) fn is_empty(self) -> bool {
        match self.0 {
            None => true,
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Object(entries)) => entries.is_empty(),
            Some(Value::String(text)) => text.is_empty(),
            Some(_) => false,
        }
    }

    /// A `map[string]string` such as labels, sorted by key; non-string values are skipped.
    pub(super) fn string_map(self) -> BTreeMap<&'a str, &'a str> {
        self.entries()
            .into_iter()
            .filter_map(|(key, value)| Some((key, value.opt_str()?)))
            .collect()
    }

    /// An `IntOrString` (a port, `maxSurge`, `minAvailable`) as Go's `String()` prints it.
    pub(super) fn int_or_string(self) -> Option<String> {
        match self.0? {
            Value::String(text) => Some(text.clone()),
            number @ Value::Number(_) => Some(number.to_string()),
            _ => None,
        }
    }

    /// A quantity as written: a string, or a bare number.
    pub(super) fn quantity(self) -> Option<String> {
        self.int_or_string()
    }

    /// A quantity field, parsed as apimachinery parses it.
    pub(super) fn go_quantity(self) -> Option<crate::model::go_quantity::GoQuantity> {
        crate::model::go_quantity::GoQuantity::parse(&self.quantity()?)
    }
}
