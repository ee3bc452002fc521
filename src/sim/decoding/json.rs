//! Go's encoding/json decoding an object into its kind's Go type, as the API server's JSON
//! serializer does (sigs.k8s.io/json, a copy of encoding/json): a value of the wrong JSON type
//! for its field is an `UnmarshalTypeError`, the first of which is the decode's error.
//!
//! Go reports the first error in the order of the document. The objects here are serde_json
//! values, whose keys are sorted: that is the order kubectl and Go's json.Marshal write, and the
//! order of every object that has gone through a patch; a body with two wrong fields written in
//! another order gets the other one named.

use serde_json::{Map, Value};

use super::custom::{decode_base64, decode_custom, json_kind};
use crate::sim::schema::{Field, Kind, Shape, named_type};

/// The structure a value is decoded into: the Go struct's name and its fields.
#[derive(Clone, Copy)]
pub struct Struct {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// The first error of decoding `object` into `root`, worded as Go words it.
pub fn first_error(root: Struct, object: &Value) -> Option<String> {
    let mut decoder = Decoder::default();
    let result = match object {
        Value::Object(map) => decoder.structure(root, map),
        other => Err(decoder.type_error(&json_kind(other), &format!("v1.{}", root.name))),
    };
    result.err()
}

/// The first error of decoding `value` as a Go value of `kind` (and Go type `go_type`) with
/// nothing around it, as `json.Unmarshal(data, &objectMeta)` does.
pub fn first_error_as(kind: Kind, go_type: &str, value: &Value) -> Option<String> {
    Decoder::default()
        .value(value, kind, Shape::Opt, go_type)
        .err()
}

/// Where the decoder is, for the error's context (encoding/json's `errorContext`): the
/// innermost struct whose field is being decoded, and the JSON names of the fields from the
/// root (list items and map values add nothing).
#[derive(Default)]
struct Decoder {
    structure: Option<&'static str>,
    fields: Vec<String>,
}

impl Decoder {
    /// `UnmarshalTypeError.Error()` with the context `addErrorContext` gives it.
    fn type_error(&self, value: &str, go_type: &str) -> String {
        match self.structure {
            Some(structure) => format!(
                "json: cannot unmarshal {value} into Go struct field {structure}.{} of type {go_type}",
                self.fields.join(".")
            ),
            None => format!("json: cannot unmarshal {value} into Go value of type {go_type}"),
        }
    }

    fn value(
        &mut self,
        value: &Value,
        kind: Kind,
        shape: Shape,
        go_type: &str,
    ) -> Result<(), String> {
        // A null leaves any Go value as it is.
        if value.is_null() {
            return Ok(());
        }
        match shape {
            Shape::Rep => {
                let Value::Array(items) = value else {
                    return Err(self.type_error(&json_kind(value), go_type));
                };
                let element = element_type(go_type, kind);
                items
                    .iter()
                    .try_for_each(|item| self.value(item, kind, Shape::Opt, &element))
            }
            Shape::Map => {
                let Value::Object(map) = value else {
                    return Err(self.type_error(&json_kind(value), go_type));
                };
                let element = element_type(go_type, kind);
                map.values()
                    .try_for_each(|item| self.value(item, kind, Shape::Opt, &element))
            }
            _ => self.single(value, kind, go_type),
        }
    }

    fn single(&mut self, value: &Value, kind: Kind, go_type: &str) -> Result<(), String> {
        if let Some(verdict) = decode_custom(kind, value) {
            return verdict;
        }
        let fits = match (kind, value) {
            (Kind::Str, Value::String(_)) | (Kind::Bool, Value::Bool(_)) => true,
            (Kind::I32 | Kind::I64, Value::Number(number)) => {
                let whole = number
                    .as_i64()
                    .filter(|n| matches!(kind, Kind::I64) || i32::try_from(*n).is_ok());
                // literalStore: a number that is not a whole one in range names itself.
                return match whole {
                    Some(_) => Ok(()),
                    None => Err(self.type_error(&format!("number {number}"), go_type)),
                };
            }
            // A []byte is base64 text (or, rarely, a list of byte values).
            (Kind::Bytes, Value::String(text)) => return decode_base64(text),
            (Kind::Bytes, Value::Array(items)) => {
                return items.iter().try_for_each(|item| match item.as_u64() {
                    Some(byte) if byte <= 255 => Ok(()),
                    _ if item.is_number() => {
                        Err(self.type_error(&format!("number {item}"), "uint8"))
                    }
                    _ => Err(self.type_error(&json_kind(item), "uint8")),
                });
            }
            (Kind::Msg(message), Value::Object(map)) => {
                return self.structure(
                    Struct {
                        name: message.name,
                        fields: message.fields,
                    },
                    map,
                );
            }
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(self.type_error(&json_kind(value), go_type))
        }
    }

    /// The fields of a struct, in the document's order; unknown ones are skipped, as the API
    /// server's (non-strict) decoding skips them.
    fn structure(&mut self, structure: Struct, map: &Map<String, Value>) -> Result<(), String> {
        for (key, item) in map {
            let Some((declared_in, field)) = find_field(structure, key) else {
                continue;
            };
            let outer = self.structure.replace(structure.name);
            self.fields.push(key.clone());
            let result = self.value(
                item,
                field.kind,
                field.shape,
                &field_type(declared_in, field),
            );
            self.fields.pop();
            self.structure = outer;
            result?;
        }
        Ok(())
    }
}

/// The field a JSON key names: one of the struct's own, else one promoted from an embedded
/// (`inline`) struct, with the name of the struct that declares it.
pub fn find_field(structure: Struct, key: &str) -> Option<(&'static str, &'static Field)> {
    if let Some(field) = structure
        .fields
        .iter()
        .find(|f| f.shape != Shape::Inline && f.name == key)
    {
        return Some((structure.name, field));
    }
    structure
        .fields
        .iter()
        .find_map(|f| match (f.shape, f.kind) {
            (Shape::Inline, Kind::Msg(inner)) => find_field(
                Struct {
                    name: inner.name,
                    fields: inner.fields,
                },
                key,
            ),
            _ => None,
        })
}

/// A field's Go type as reflection prints it: its named type, else what its kind and shape
/// make (`[]v1.Container`, `map[string]string`, `*int32` printed as `int32`).
pub fn field_type(declared_in: &str, field: &Field) -> String {
    if let Some(named) = named_type(declared_in, field.name) {
        return named.to_string();
    }
    match field.shape {
        Shape::Rep => format!("[]{}", kind_type(field.kind)),
        Shape::Map => format!("map[string]{}", kind_type(field.kind)),
        _ => kind_type(field.kind),
    }
}

/// The Go type of one value of a kind.
pub fn kind_type(kind: Kind) -> String {
    match kind {
        Kind::Str => "string".into(),
        Kind::Bool => "bool".into(),
        Kind::I32 => "int32".into(),
        Kind::I64 => "int64".into(),
        Kind::Bytes => "[]uint8".into(),
        Kind::Time => "v1.Time".into(),
        Kind::MicroTime => "v1.MicroTime".into(),
        Kind::Duration => "v1.Duration".into(),
        Kind::Quantity => "resource.Quantity".into(),
        Kind::IntOrString => "intstr.IntOrString".into(),
        Kind::RawExtension => "runtime.RawExtension".into(),
        Kind::FieldsV1 => "v1.FieldsV1".into(),
        Kind::Msg(message) => format!("v1.{}", message.name),
    }
}

/// The Go type of a list's items or a map's values, from the collection's type (`[]v1.Capability`
/// gives `v1.Capability`); a named collection (`v1.ResourceList`) gives its kind's type.
pub fn element_type(collection: &str, kind: Kind) -> String {
    if let Some(item) = collection.strip_prefix("[]") {
        return item.to_string();
    }
    if let Some(rest) = collection.strip_prefix("map[") {
        let mut depth = 1;
        for (index, c) in rest.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        return rest[index + 1..].to_string();
                    }
                }
                _ => {}
            }
        }
    }
    kind_type(kind)
}
