//! Schema-driven encoding of the stored JSON objects to protobuf, as the API server answers a
//! client that asks for `application/vnd.kubernetes.protobuf` (client-go's informers and typed
//! clients do, for the built-in kinds).
//!
//! The mirror of `decode.rs`: each key of an object written under its field's number. A stored
//! object holds only fields its kind's Go type has (every write went through the decoding
//! check), so a JSON field the schema does not know is refused here rather than dropped: an
//! answer that silently lost a field would be worse than JSON.

use base64::Engine;
use serde_json::{Map, Value};

use super::ProtobufError;
use super::decode::MAGIC;
use super::wire::{WireType, write_key, write_len_field, write_varint, write_varint_field};
use crate::sim::schema::{Field, Kind, Message, Shape, kind_schema, list_meta};

/// Appends `object` as a protobuf body: the magic, then a `runtime.Unknown` envelope naming its
/// apiVersion and kind around the object's message. The object's own `apiVersion` and `kind`
/// (a stored object may lack them) are not read: the envelope says them.
pub fn encode_body(
    api_version: &str,
    kind: &str,
    object: &Value,
    out: &mut Vec<u8>,
) -> Result<(), ProtobufError> {
    let schema = schema_of(api_version, kind)?;
    envelope(api_version, kind, out, |out| {
        message(schema, as_object(object)?, out, TYPE_META)
    })
}

/// Appends a list as a protobuf body: `{kind}List` around its ListMeta and its items' messages.
pub fn encode_list<'a>(
    api_version: &str,
    kind: &str,
    metadata: &Value,
    items: impl IntoIterator<Item = &'a Value>,
    out: &mut Vec<u8>,
) -> Result<(), ProtobufError> {
    let schema = schema_of(api_version, kind)?;
    envelope(api_version, &format!("{kind}List"), out, |out| {
        nested(out, 1, |out| {
            message(list_meta(), as_object(metadata)?, out, &[])
        })?;
        for item in items {
            nested(out, 2, |out| {
                message(schema, as_object(item)?, out, TYPE_META)
            })?;
        }
        Ok(())
    })
}

/// The keys of a top-level object that its message does not hold: the envelope names them.
const TYPE_META: &[&str] = &["apiVersion", "kind"];

fn schema_of(api_version: &str, kind: &str) -> Result<&'static Message, ProtobufError> {
    kind_schema(api_version, kind).ok_or_else(|| {
        ProtobufError::new(format!(
            "no protobuf schema for kind {kind:?} in apiVersion {api_version:?}"
        ))
    })
}

fn as_object(value: &Value) -> Result<&Map<String, Value>, ProtobufError> {
    value
        .as_object()
        .ok_or_else(|| mismatch("an object", value))
}

/// The magic and a `runtime.Unknown` around the message `write` appends, its fields written as
/// Go's marshaller writes them, empty ones included.
fn envelope(
    api_version: &str,
    kind: &str,
    out: &mut Vec<u8>,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), ProtobufError>,
) -> Result<(), ProtobufError> {
    out.extend_from_slice(MAGIC);
    nested(out, 1, |out| {
        string(out, 1, api_version);
        string(out, 2, kind);
        Ok(())
    })?;
    nested(out, 2, write)?;
    string(out, 3, "");
    string(out, 4, "");
    Ok(())
}

/// A watch event as a protobuf watch stream frames it: its length (four bytes, big-endian), then
/// a `metav1.WatchEvent` {type=1, object=2 (a RawExtension holding the object's own body)}.
pub fn encode_watch_event(
    event: &str,
    api_version: &str,
    kind: &str,
    object: &Value,
    out: &mut Vec<u8>,
) -> Result<(), ProtobufError> {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    string(out, 1, event);
    nested(out, 2, |out| {
        nested(out, 1, |out| encode_body(api_version, kind, object, out))
    })?;
    let length = u32::try_from(out.len() - at - 4)
        .map_err(|_| ProtobufError::new("a watch event over 4 GiB"))?;
    out[at..at + 4].copy_from_slice(&length.to_be_bytes());
    Ok(())
}

/// A message's fields from a JSON object. `ignored` are keys the message does not hold (a
/// top-level object's apiVersion and kind, which the envelope names); any other key that is
/// no field of the message, nor of one inlined in it, is refused.
fn message(
    schema: &'static Message,
    object: &Map<String, Value>,
    out: &mut Vec<u8>,
    ignored: &[&str],
) -> Result<(), ProtobufError> {
    fields_of(schema, object, out, Some(ignored))
}

/// Writes the fields of `schema` that `object` holds, in the order of the object's keys (a
/// decoder takes fields in any order), each key looked up once: each field looked up in the
/// object, and each key checked against every field, it took twice the time of writing the
/// same pods as JSON. `ignored` is None for an inlined message, whose walk passes over its
/// outer message's keys.
fn fields_of(
    schema: &'static Message,
    object: &Map<String, Value>,
    out: &mut Vec<u8>,
    ignored: Option<&[&str]>,
) -> Result<(), ProtobufError> {
    for (key, value) in object {
        match schema.named(key) {
            Some(field) => field_value(field, value, out).map_err(|e| e.within(field.name))?,
            None => {
                if let Some(ignored) = ignored
                    && !ignored.contains(&key.as_str())
                    && !inlined_knows(schema, key)
                {
                    return Err(ProtobufError::new(format!(
                        "{} has no field {key:?} in the protobuf schema",
                        schema.name
                    )));
                }
            }
        }
    }
    for field in schema.fields.iter().filter(|f| f.shape == Shape::Inline) {
        let Kind::Msg(inner) = field.kind else {
            return Err(ProtobufError::new("an inlined field must be a message").within(field.name));
        };
        nested(out, field.number, |out| fields_of(inner, object, out, None))
            .map_err(|e| e.within(field.name))?;
    }
    Ok(())
}

/// Whether a JSON key is a field of a message inlined in this one (at any depth).
fn inlined_knows(schema: &'static Message, key: &str) -> bool {
    schema
        .fields
        .iter()
        .any(|field| match (field.shape, field.kind) {
            (Shape::Inline, Kind::Msg(inner)) => {
                inner.named(key).is_some() || inlined_knows(inner, key)
            }
            _ => false,
        })
}

fn field_value(field: &Field, value: &Value, out: &mut Vec<u8>) -> Result<(), ProtobufError> {
    match field.shape {
        Shape::Rep => match value {
            Value::Null => Ok(()),
            Value::Array(items) => {
                // proto2, as Kubernetes' generated.proto is: repeated scalars are not packed.
                for item in items {
                    single(field.kind, field.number, item, out)?;
                }
                Ok(())
            }
            other => Err(mismatch("an array", other)),
        },
        Shape::Map => match value {
            Value::Null => Ok(()),
            // The entries in key order, as Go's generated marshallers sort them.
            Value::Object(entries) => {
                for (key, item) in entries {
                    nested(out, field.number, |out| {
                        string(out, 1, key);
                        single(field.kind, 2, item, out)
                    })
                    .map_err(|e| e.within(key))?;
                }
                Ok(())
            }
            other => Err(mismatch("an object", other)),
        },
        _ if value.is_null() => Ok(()),
        _ => single(field.kind, field.number, value, out),
    }
}

/// One value of a field, under its number.
fn single(kind: Kind, number: u32, value: &Value, out: &mut Vec<u8>) -> Result<(), ProtobufError> {
    match kind {
        Kind::Str => string(out, number, str_of(value)?),
        Kind::Bool => {
            let b = value
                .as_bool()
                .ok_or_else(|| mismatch("a boolean", value))?;
            write_varint_field(out, number, u64::from(b));
        }
        Kind::I32 | Kind::I64 => {
            let n = value
                .as_i64()
                .ok_or_else(|| mismatch("an integer", value))?;
            // A negative int32 or int64 is its 64-bit two's complement, ten bytes.
            write_varint_field(out, number, n as u64);
        }
        Kind::Bytes => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(str_of(value)?)
                .map_err(|e| ProtobufError::new(format!("bytes are not base64: {e}")))?;
            write_len_field(out, number, &bytes);
        }
        Kind::Time | Kind::MicroTime => {
            let text = str_of(value)?;
            let time: jiff::Timestamp = text
                .parse()
                .map_err(|e| ProtobufError::new(format!("time {text:?}: {e}")))?;
            // Both fields always, as Go's marshaller writes a Timestamp (an empty message is
            // a zero Time, which is null in JSON).
            nested(out, number, |out| {
                write_varint_field(out, 1, time.as_second() as u64);
                write_varint_field(out, 2, i64::from(time.subsec_nanosecond()) as u64);
                Ok(())
            })?;
        }
        Kind::Duration => {
            return Err(ProtobufError::new(
                "durations are not encoded: no served kind has one",
            ));
        }
        Kind::Quantity => nested(out, number, |out| {
            string(out, 1, str_of(value)?);
            Ok(())
        })?,
        Kind::IntOrString => nested(out, number, |out| {
            match value {
                Value::Number(n) => {
                    let n = n.as_i64().ok_or_else(|| mismatch("an integer", value))?;
                    write_varint_field(out, 1, 0);
                    write_varint_field(out, 2, i64::from(n as i32) as u64);
                }
                Value::String(s) => {
                    write_varint_field(out, 1, 1);
                    string(out, 3, s);
                }
                other => return Err(mismatch("a number or a string", other)),
            }
            Ok(())
        })?,
        Kind::RawExtension | Kind::FieldsV1 => nested(out, number, |out| {
            let raw = serde_json::to_vec(value)
                .map_err(|e| ProtobufError::new(format!("embedded JSON: {e}")))?;
            write_len_field(out, 1, &raw);
            Ok(())
        })?,
        Kind::Msg(inner) => {
            let object = value
                .as_object()
                .ok_or_else(|| mismatch("an object", value))?;
            nested(out, number, |out| message(inner, object, out, &[]))?;
        }
    }
    Ok(())
}

fn str_of(value: &Value) -> Result<&str, ProtobufError> {
    value.as_str().ok_or_else(|| mismatch("a string", value))
}

fn mismatch(expected: &str, found: &Value) -> ProtobufError {
    let found = crate::model::strategic_merge::describe(found);
    ProtobufError::new(format!("expected {expected}, found {found}"))
}

fn string(out: &mut Vec<u8>, number: u32, text: &str) {
    write_len_field(out, number, text.as_bytes());
}

/// A length-delimited field whose content `write` appends: written in place after a one-byte
/// length, which is widened afterwards when the content is 128 bytes or more (no buffer of its
/// own for each nested message).
fn nested(
    out: &mut Vec<u8>,
    number: u32,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), ProtobufError>,
) -> Result<(), ProtobufError> {
    write_key(out, number, WireType::Len);
    let at = out.len();
    out.push(0);
    write(out)?;
    let length = out.len() - at - 1;
    if length < 0x80 {
        out[at] = length as u8;
        return Ok(());
    }
    let mut prefix = Vec::with_capacity(5);
    write_varint(&mut prefix, length as u64);
    out.splice(at..at + 1, prefix);
    Ok(())
}
