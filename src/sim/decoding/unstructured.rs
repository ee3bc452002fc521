//! The API server's converter from decoded JSON to a Go struct
//! (`runtime.DefaultUnstructuredConverter.FromUnstructured`, k8s.io/apimachinery
//! pkg/runtime/converter.go), which a strategic merge patch's result goes through instead of
//! encoding/json. It walks the struct's fields in Go's order, stops at the first error, and
//! words its errors its own way: `cannot restore struct from: string`, `cannot restore slice
//! from map`, `cannot convert int64 to string`, and `unrecognized type: int32` for a value no
//! conversion applies to (a string for an int32 field, say).

use serde_json::{Map, Value};

use super::custom::{decode_base64, decode_custom};
use super::json::{Struct, element_type, field_type};
use crate::sim::schema::{Kind, Shape};

/// The first error converting `object` into `root`.
pub fn first_error(root: Struct, object: &Value) -> Option<String> {
    match object {
        Value::Object(map) => structure(root, map).err(),
        other => Some(format!(
            "cannot restore struct from: {}",
            reflect_kind(other)
        )),
    }
}

/// reflect.Kind of a decoded JSON value (integers are int64, other numbers float64).
fn reflect_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "invalid",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.as_i64().is_some() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    }
}

/// reflect.Type's String of a decoded JSON value.
fn reflect_type(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
        other => reflect_kind(other),
    }
}

/// structFromUnstructured: every field in Go's order, embedded structs from the same map.
fn structure(structure: Struct, map: &Map<String, Value>) -> Result<(), String> {
    for field in structure.fields {
        match (field.shape, field.kind) {
            (Shape::Inline, Kind::Msg(inner)) => self::structure(
                Struct {
                    name: inner.name,
                    fields: inner.fields,
                },
                map,
            )?,
            _ => {
                if let Some(item) = map.get(field.name) {
                    value(
                        item,
                        field.kind,
                        field.shape,
                        &field_type(structure.name, field),
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn value(value: &Value, kind: Kind, shape: Shape, go_type: &str) -> Result<(), String> {
    // An absent or null value leaves the field zero; a pointer is looked through.
    if value.is_null() {
        return Ok(());
    }
    match shape {
        Shape::Rep => {
            let Value::Array(items) = value else {
                return Err(format!("cannot restore slice from {}", reflect_kind(value)));
            };
            let element = element_type(go_type, kind);
            items
                .iter()
                .try_for_each(|item| self::value(item, kind, Shape::Opt, &element))
        }
        Shape::Map => {
            let Value::Object(map) = value else {
                return Err(format!("cannot restore map from {}", reflect_kind(value)));
            };
            let element = element_type(go_type, kind);
            map.values()
                .try_for_each(|item| self::value(item, kind, Shape::Opt, &element))
        }
        _ => single(value, kind, go_type),
    }
}

fn single(value: &Value, kind: Kind, go_type: &str) -> Result<(), String> {
    // Types with their own UnmarshalJSON get the value's JSON.
    if let Some(verdict) = decode_custom(kind, value) {
        return verdict;
    }
    match kind {
        Kind::Str | Kind::Bool | Kind::I32 | Kind::I64 => simple(value, kind, go_type),
        // sliceFromUnstructured: a []byte is stored as its base64 text.
        Kind::Bytes => match value {
            Value::String(text) => {
                decode_base64(text).map_err(|e| format!("error decoding from json: {e}"))
            }
            Value::Array(items) => items
                .iter()
                .try_for_each(|item| simple(item, Kind::I32, "uint8")),
            other => Err(format!("cannot restore slice from {}", reflect_kind(other))),
        },
        Kind::Msg(message) => match value {
            Value::Object(map) => structure(
                Struct {
                    name: message.name,
                    fields: message.fields,
                },
                map,
            ),
            other => Err(format!(
                "cannot restore struct from: {}",
                reflect_kind(other)
            )),
        },
        _ => Ok(()),
    }
}

/// fromUnstructured's simple types: assignable, or convertible within JSON's groups (an int64
/// into any integer, with no range check; a whole float64 into an integer); a convertible
/// value outside them is "cannot convert", one not convertible at all falls through to
/// "unrecognized type" with the destination's kind.
fn simple(value: &Value, kind: Kind, go_type: &str) -> Result<(), String> {
    let destination = match kind {
        Kind::Str => "string",
        Kind::Bool => "bool",
        Kind::I64 => "int64",
        _ if go_type == "uint8" => "uint8",
        _ => "int32",
    };
    let integer = destination != "string" && destination != "bool";
    let cannot_convert = || {
        Err(format!(
            "cannot convert {} to {go_type}",
            reflect_type(value)
        ))
    };
    match value {
        Value::String(_) if destination == "string" => Ok(()),
        Value::Bool(_) if destination == "bool" => Ok(()),
        Value::Number(n) if n.as_i64().is_some() => {
            if integer {
                Ok(())
            } else if destination == "string" {
                // Go converts an integer to a string (a rune), so it is convertible, but not
                // within JSON's groups.
                cannot_convert()
            } else {
                Err(format!("unrecognized type: {destination}"))
            }
        }
        Value::Number(n) if integer => match n.as_f64() {
            Some(f) if f == f.trunc() => Ok(()),
            _ => cannot_convert(),
        },
        _ => Err(format!("unrecognized type: {destination}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn simple_error(value: Value, kind: Kind, go_type: &str) -> Option<String> {
        simple(&value, kind, go_type).err()
    }

    #[test]
    fn simple_types_as_the_converter_converts_them() {
        assert_eq!(simple_error(json!("x"), Kind::Str, "string"), None);
        assert_eq!(simple_error(json!(3), Kind::I32, "int32"), None);
        assert_eq!(simple_error(json!(3.0), Kind::I32, "int32"), None);
        assert_eq!(
            simple_error(json!("three"), Kind::I32, "int32").as_deref(),
            Some("unrecognized type: int32")
        );
        assert_eq!(
            simple_error(json!(1.5), Kind::I32, "int32").as_deref(),
            Some("cannot convert float64 to int32")
        );
        assert_eq!(
            simple_error(json!(5), Kind::Str, "v1.RestartPolicy").as_deref(),
            Some("cannot convert int64 to v1.RestartPolicy")
        );
        assert_eq!(
            simple_error(json!(true), Kind::Str, "string").as_deref(),
            Some("unrecognized type: string")
        );
        assert_eq!(
            simple_error(json!(["x"]), Kind::Bool, "bool").as_deref(),
            Some("unrecognized type: bool")
        );
    }
}
