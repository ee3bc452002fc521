//! Reading raw v1 JSON leniently: a missing field, a `null` or a value of the wrong type reads
//! as the Go zero value, so odd input yields cells instead of an error (the API server would
//! have rejected such an object before printing it).

use jiff::Timestamp;
use serde_json::{Map, Value};

/// A possibly absent JSON value, navigated field by field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field<'a>(Option<&'a Value>);

impl<'a> Field<'a> {
    /// The whole object.
    pub(super) fn of(value: &'a Value) -> Self {
        Field(Some(value).filter(|v| !v.is_null()))
    }

    /// The member `key` of an object; absent for anything else.
    pub(super) fn get(self, key: &str) -> Field<'a> {
        Field(
            self.0
                .and_then(|v| v.as_object())
                .and_then(|map| map.get(key))
                .filter(|v| !v.is_null()),
        )
    }

    /// Follows a path of members.
    pub(super) fn at(self, path: &[&str]) -> Field<'a> {
        path.iter().fold(self, |field, key| field.get(key))
    }

    /// Whether the field is present and not `null` (Go: a non-nil pointer).
    pub(super) fn is_set(self) -> bool {
        self.0.is_some()
    }

    /// The string, or `""`.
    pub(super) fn str(self) -> &'a str {
        self.opt_str().unwrap_or("")
    }

    /// The string, if the field is one.
    pub(super) fn opt_str(self) -> Option<&'a str> {
        self.0.and_then(Value::as_str)
    }

    /// The integer, or 0.
    pub(super) fn int(self) -> i64 {
        self.opt_int().unwrap_or(0)
    }

    /// The integer, if the field is one (integral floats such as `3.0` count).
    pub(super) fn opt_int(self) -> Option<i64> {
        let value = self.0?;
        value.as_i64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
    }

    /// The boolean, if the field is one.
    pub(super) fn opt_bool(self) -> Option<bool> {
        self.0.and_then(Value::as_bool)
    }

    /// The elements of an array, or none.
    pub(super) fn items(self) -> impl Iterator<Item = Field<'a>> + 'a {
        self.0
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(Field::of)
    }

    /// How many elements an array has (0 for anything else).
    pub(super) fn len(self) -> usize {
        self.0.and_then(Value::as_array).map_or(0, Vec::len)
    }

    /// The members of an object, if it is one.
    pub(super) fn object(self) -> Option<&'a Map<String, Value>> {
        self.0.and_then(Value::as_object)
    }

    /// The string elements of an array (other elements read as `""`).
    pub(super) fn strings(self) -> Vec<&'a str> {
        self.items().map(Field::str).collect()
    }

    /// A `map[string]string` (non-string values read as `""`), sorted by key.
    pub(super) fn string_map(self) -> Vec<(&'a str, &'a str)> {
        let mut entries: Vec<(&str, &str)> = self
            .object()
            .map(|map| {
                map.iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_unstable();
        entries
    }

    /// A timestamp (`metav1.Time` or `MicroTime`); absent or unparsable read as `None`. Go's
    /// zero time comes back as itself: `age` prints it as `<unknown>`.
    pub(super) fn time(self) -> Option<Timestamp> {
        crate::model::time::optional(self.0?).ok().flatten()
    }

    /// The raw value.
    pub(super) fn value(self) -> Option<&'a Value> {
        self.0
    }
}
