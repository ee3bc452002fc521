//! Schema-driven decoding of protobuf messages to JSON.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::ProtobufError;
use super::wire::{Reader, WireType};
use crate::sim::schema::{Field, Kind, Message, Shape, kind_schema};

/// The prefix of every Kubernetes protobuf body.
pub const MAGIC: &[u8] = b"k8s\0";

/// Messages nested deeper than this are refused.
const MAX_DEPTH: usize = 64;

/// The magic, then a `runtime.Unknown` envelope around the object.
pub fn decode_body(body: &[u8], depth: usize) -> Result<Value, ProtobufError> {
    let Some(envelope) = body.strip_prefix(MAGIC) else {
        return Err(ProtobufError::new(
            "the body does not start with the Kubernetes protobuf prefix \"k8s\\x00\"",
        ));
    };
    if envelope.is_empty() {
        return Err(ProtobufError::new("the body is empty after its prefix"));
    }
    decode_unknown(envelope, depth)
}

/// `runtime.Unknown`: typeMeta {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4.
fn decode_unknown(data: &[u8], depth: usize) -> Result<Value, ProtobufError> {
    let (mut api_version, mut kind) = (String::new(), String::new());
    let (mut raw, mut encoding, mut content_type): (&[u8], String, String) =
        (&[], String::new(), String::new());
    let mut r = Reader::new(data);
    while !r.is_empty() {
        let (number, wire_type) = r.key()?;
        match (number, wire_type) {
            (1, WireType::Len) => {
                let mut meta = Reader::new(r.len_delimited()?);
                while !meta.is_empty() {
                    match meta.key()? {
                        (1, WireType::Len) => api_version = text(meta.len_delimited()?),
                        (2, WireType::Len) => kind = text(meta.len_delimited()?),
                        (_, other) => meta.skip(other)?,
                    }
                }
            }
            (2, WireType::Len) => raw = r.len_delimited()?,
            (3, WireType::Len) => encoding = text(r.len_delimited()?),
            (4, WireType::Len) => content_type = text(r.len_delimited()?),
            (1..=4, other) => {
                return Err(ProtobufError::new(format!(
                    "envelope field {number} has wire type {}",
                    other.name()
                )));
            }
            (_, other) => r.skip(other)?,
        }
    }
    if !encoding.is_empty() {
        return Err(ProtobufError::new(format!(
            "content encoding {encoding:?} is not supported"
        )));
    }
    if kind.is_empty() || api_version.is_empty() {
        return Err(ProtobufError::new(format!(
            "the envelope does not name the object's apiVersion and kind (apiVersion {api_version:?}, kind {kind:?})"
        )));
    }
    match content_type.as_str() {
        "" | super::MEDIA_TYPE => {}
        "application/json" => {
            let mut object: Value = serde_json::from_slice(raw).map_err(|e| {
                ProtobufError::new(format!("the enveloped JSON object is invalid: {e}"))
            })?;
            if let Some(object) = object.as_object_mut() {
                object.entry("apiVersion").or_insert(json!(api_version));
                object.entry("kind").or_insert(json!(kind));
            }
            return Ok(object);
        }
        other => {
            return Err(ProtobufError::new(format!(
                "enveloped content type {other:?} is not supported"
            )));
        }
    }
    let Some(schema) = kind_schema(&api_version, &kind) else {
        return Err(ProtobufError::new(format!(
            "no protobuf schema for kind {kind:?} in apiVersion {api_version:?}; send it as JSON"
        )));
    };
    let mut object = Map::new();
    object.insert("apiVersion".into(), json!(api_version));
    object.insert("kind".into(), json!(kind));
    decode_fields(schema, raw, depth + 1, &mut object)?;
    Ok(Value::Object(object))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Decodes the fields of one message into `out` (merging, as protobuf merges repeated
/// occurrences of a message field).
fn decode_fields(
    message: &Message,
    data: &[u8],
    depth: usize,
    out: &mut Map<String, Value>,
) -> Result<(), ProtobufError> {
    if depth > MAX_DEPTH {
        return Err(ProtobufError::new(format!(
            "messages nest deeper than {MAX_DEPTH} levels"
        )));
    }
    let mut r = Reader::new(data);
    while !r.is_empty() {
        let (number, wire_type) = r
            .key()
            .map_err(|e| ProtobufError::new(format!("in {}: {e}", message.name)))?;
        let Some(field) = message.field(number) else {
            r.skip(wire_type)
                .map_err(|e| e.within(&format!("<unknown field {number}>")))?;
            continue;
        };
        decode_field(field, wire_type, &mut r, depth, out).map_err(|e| e.within(field.name))?;
    }
    Ok(())
}

fn decode_field(
    field: &Field,
    wire_type: WireType,
    r: &mut Reader<'_>,
    depth: usize,
    out: &mut Map<String, Value>,
) -> Result<(), ProtobufError> {
    match field.shape {
        Shape::Inline => {
            let Kind::Msg(inner) = field.kind else {
                return Err(ProtobufError::new("an inlined field must be a message"));
            };
            let bytes = len(wire_type, r)?;
            decode_fields(inner, bytes, depth + 1, out)
        }
        Shape::Rep => {
            let mut items = Vec::new();
            if wire_type == WireType::Len && is_varint(field.kind) {
                // Packed scalars.
                let mut packed = Reader::new(r.len_delimited()?);
                while !packed.is_empty() {
                    items.push(varint_value(field.kind, packed.varint()?));
                }
            } else {
                items.push(element(field.kind, wire_type, r, depth)?);
            }
            let slot = out
                .entry(field.name)
                .or_insert_with(|| Value::Array(Vec::new()));
            match slot {
                Value::Array(existing) => existing.extend(items),
                other => *other = Value::Array(items),
            }
            Ok(())
        }
        Shape::Map => {
            let (key, value) = map_entry(field.kind, len(wire_type, r)?, depth + 1)?;
            let slot = out
                .entry(field.name)
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(map) = slot {
                map.insert(key, value);
            }
            Ok(())
        }
        Shape::Opt | Shape::Defaulted | Shape::Ptr | Shape::Req => {
            if let Kind::Msg(inner) = field.kind {
                let bytes = len(wire_type, r)?;
                let slot = out
                    .entry(field.name)
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(object) = slot {
                    decode_fields(inner, bytes, depth + 1, object)?;
                    if field.shape == Shape::Defaulted && object.is_empty() {
                        out.remove(field.name);
                    }
                }
                return Ok(());
            }
            match value(field.kind, wire_type, r, depth)? {
                Some(v) if field.shape == Shape::Opt && is_zero(field.kind, &v) => {
                    out.remove(field.name);
                }
                Some(v) => {
                    out.insert(field.name.to_string(), v);
                }
                None => {
                    out.remove(field.name);
                }
            }
            Ok(())
        }
    }
}

/// One element of a repeated field (a null for an empty Time).
fn element(
    kind: Kind,
    wire_type: WireType,
    r: &mut Reader<'_>,
    depth: usize,
) -> Result<Value, ProtobufError> {
    if let Kind::Msg(inner) = kind {
        let mut object = Map::new();
        decode_fields(inner, len(wire_type, r)?, depth + 1, &mut object)?;
        return Ok(Value::Object(object));
    }
    Ok(value(kind, wire_type, r, depth)?.unwrap_or(Value::Null))
}

/// A `{key=1, value=2}` map entry; a missing value is the zero value of its kind.
fn map_entry(kind: Kind, data: &[u8], depth: usize) -> Result<(String, Value), ProtobufError> {
    let mut key = String::new();
    let mut entry_value = None;
    let mut r = Reader::new(data);
    while !r.is_empty() {
        match r.key()? {
            (1, WireType::Len) => key = text(r.len_delimited()?),
            (1, other) => {
                return Err(ProtobufError::new(format!(
                    "map key has wire type {}",
                    other.name()
                )));
            }
            (2, wire_type) => {
                entry_value =
                    Some(element(kind, wire_type, &mut r, depth).map_err(|e| e.within(&key))?);
            }
            (_, other) => r.skip(other)?,
        }
    }
    let entry_value = entry_value.unwrap_or_else(|| zero(kind));
    Ok((key, entry_value))
}

/// A single value; `None` for a zero Time or an empty raw object (JSON null).
fn value(
    kind: Kind,
    wire_type: WireType,
    r: &mut Reader<'_>,
    depth: usize,
) -> Result<Option<Value>, ProtobufError> {
    match kind {
        Kind::Bool | Kind::I32 | Kind::I64 => {
            if wire_type != WireType::Varint {
                return Err(wrong_type(WireType::Varint, wire_type));
            }
            Ok(Some(varint_value(kind, r.varint()?)))
        }
        Kind::Str => Ok(Some(Value::String(text(len(wire_type, r)?)))),
        Kind::Bytes => Ok(Some(Value::String(
            base64::engine::general_purpose::STANDARD.encode(len(wire_type, r)?),
        ))),
        Kind::Time | Kind::MicroTime => {
            let data = len(wire_type, r)?;
            if data.is_empty() {
                return Ok(None);
            }
            let (seconds, nanos) = timestamp(data)?;
            Ok(Some(Value::String(rfc3339(
                seconds,
                nanos,
                matches!(kind, Kind::MicroTime),
            )?)))
        }
        Kind::Duration => {
            let mut nanos = 0i64;
            let mut m = Reader::new(len(wire_type, r)?);
            while !m.is_empty() {
                match m.key()? {
                    (1, WireType::Varint) => nanos = m.varint()? as i64,
                    (1, other) => return Err(wrong_type(WireType::Varint, other)),
                    (_, other) => m.skip(other)?,
                }
            }
            Ok(Some(Value::String(go_duration(nanos))))
        }
        Kind::Quantity => {
            let mut quantity = String::from("0");
            let mut m = Reader::new(len(wire_type, r)?);
            while !m.is_empty() {
                match m.key()? {
                    (1, WireType::Len) => quantity = text(m.len_delimited()?),
                    (1, other) => return Err(wrong_type(WireType::Len, other)),
                    (_, other) => m.skip(other)?,
                }
            }
            if quantity.is_empty() {
                quantity = "0".into();
            }
            Ok(Some(Value::String(quantity)))
        }
        Kind::IntOrString => {
            let (mut type_, mut int_val, mut str_val) = (0u64, 0i64, String::new());
            let mut m = Reader::new(len(wire_type, r)?);
            while !m.is_empty() {
                match m.key()? {
                    (1, WireType::Varint) => type_ = m.varint()?,
                    (2, WireType::Varint) => int_val = i64::from(m.varint()? as i32),
                    (3, WireType::Len) => str_val = text(m.len_delimited()?),
                    (1 | 2, other) => return Err(wrong_type(WireType::Varint, other)),
                    (3, other) => return Err(wrong_type(WireType::Len, other)),
                    (_, other) => m.skip(other)?,
                }
            }
            match type_ {
                0 => Ok(Some(json!(int_val))),
                1 => Ok(Some(Value::String(str_val))),
                other => Err(ProtobufError::new(format!(
                    "IntOrString has unknown type {other}"
                ))),
            }
        }
        Kind::RawExtension | Kind::FieldsV1 => {
            let mut raw: &[u8] = &[];
            let mut m = Reader::new(len(wire_type, r)?);
            while !m.is_empty() {
                match m.key()? {
                    (1, WireType::Len) => raw = m.len_delimited()?,
                    (1, other) => return Err(wrong_type(WireType::Len, other)),
                    (_, other) => m.skip(other)?,
                }
            }
            if raw.is_empty() {
                return Ok(None);
            }
            if raw.starts_with(MAGIC) {
                return decode_body(raw, depth + 1).map(Some);
            }
            serde_json::from_slice(raw)
                .map(Some)
                .map_err(|e| ProtobufError::new(format!("embedded JSON is invalid: {e}")))
        }
        Kind::Msg(inner) => {
            let mut object = Map::new();
            decode_fields(inner, len(wire_type, r)?, depth + 1, &mut object)?;
            Ok(Some(Value::Object(object)))
        }
    }
}

fn len<'a>(wire_type: WireType, r: &mut Reader<'a>) -> Result<&'a [u8], ProtobufError> {
    if wire_type != WireType::Len {
        return Err(wrong_type(WireType::Len, wire_type));
    }
    r.len_delimited()
}

fn wrong_type(expected: WireType, got: WireType) -> ProtobufError {
    ProtobufError::new(format!(
        "expected a {} value, found {}",
        expected.name(),
        got.name()
    ))
}

fn is_varint(kind: Kind) -> bool {
    matches!(kind, Kind::Bool | Kind::I32 | Kind::I64)
}

fn varint_value(kind: Kind, raw: u64) -> Value {
    match kind {
        Kind::Bool => Value::Bool(raw != 0),
        // Go truncates an int32 varint to its low 32 bits.
        Kind::I32 => json!(raw as i32),
        _ => json!(raw as i64),
    }
}

/// Whether a scalar is its kind's Go zero value (so a non-pointer field holding it was unset).
fn is_zero(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (Kind::Quantity, Value::String(s)) => s.is_empty() || s == "0",
        (Kind::Duration, Value::String(s)) => s == "0s",
        (_, Value::String(s)) => s.is_empty(),
        (_, Value::Bool(b)) => !b,
        (_, Value::Number(n)) => n.as_i64() == Some(0),
        (_, Value::Null) => true,
        (_, Value::Array(a)) => a.is_empty(),
        (_, Value::Object(o)) => o.is_empty(),
    }
}

/// The JSON of a kind's zero value (for a map entry without a value).
fn zero(kind: Kind) -> Value {
    match kind {
        Kind::Str | Kind::Bytes => json!(""),
        Kind::Bool => json!(false),
        Kind::I32 | Kind::I64 | Kind::IntOrString => json!(0),
        Kind::Quantity => json!("0"),
        Kind::Duration => json!("0s"),
        Kind::Time | Kind::MicroTime | Kind::RawExtension | Kind::FieldsV1 => Value::Null,
        Kind::Msg(_) => json!({}),
    }
}

/// A `{seconds=1, nanos=2}` timestamp.
fn timestamp(data: &[u8]) -> Result<(i64, i64), ProtobufError> {
    let (mut seconds, mut nanos) = (0i64, 0i64);
    let mut m = Reader::new(data);
    while !m.is_empty() {
        match m.key()? {
            (1, WireType::Varint) => seconds = m.varint()? as i64,
            (2, WireType::Varint) => nanos = i64::from(m.varint()? as i32),
            (1 | 2, other) => return Err(wrong_type(WireType::Varint, other)),
            (_, other) => m.skip(other)?,
        }
    }
    Ok((seconds, nanos))
}

/// RFC 3339 in UTC as meta/v1 Time (whole seconds) or MicroTime (six fractional digits)
/// marshal it; years outside 0..=9999 are refused, as Go's marshaller refuses them.
fn rfc3339(seconds: i64, nanos: i64, micros: bool) -> Result<String, ProtobufError> {
    let total = i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    let secs = total.div_euclid(1_000_000_000);
    let sub = total.rem_euclid(1_000_000_000);
    let (days, of_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return Err(ProtobufError::new(format!(
            "time {seconds}s is outside the years 0 to 9999"
        )));
    }
    let (h, m, s) = (of_day / 3600, of_day % 3600 / 60, of_day % 60);
    Ok(if micros {
        format!(
            "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{:06}Z",
            sub / 1000
        )
    } else {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i128) -> (i128, i128, i128) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

/// A duration in nanoseconds as Go's `time.Duration.String` writes it ("1m30s", "1.5ms").
pub fn go_duration(nanos: i64) -> String {
    let negative = nanos < 0;
    let u = nanos.unsigned_abs();
    let text = if u < 1_000_000_000 {
        let (precision, unit) = match u {
            0 => return "0s".into(),
            1..1_000 => (0, "ns"),
            1_000..1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        let (whole, fraction) = split_fraction(u, precision);
        format!("{whole}{fraction}{unit}")
    } else {
        let (whole_seconds, fraction) = split_fraction(u, 9);
        let (seconds, minutes) = (whole_seconds % 60, whole_seconds / 60);
        let (minutes, hours) = (minutes % 60, minutes / 60);
        if hours > 0 {
            format!("{hours}h{minutes}m{seconds}{fraction}s")
        } else if minutes > 0 {
            format!("{minutes}m{seconds}{fraction}s")
        } else {
            format!("{seconds}{fraction}s")
        }
    };
    if negative { format!("-{text}") } else { text }
}

/// `v / 10^precision` and the fraction as ".123" without trailing zeros ("" when none).
fn split_fraction(v: u64, precision: u32) -> (u64, String) {
    let scale = 10u64.pow(precision);
    let (whole, part) = (v / scale, v % scale);
    if part == 0 {
        return (whole, String::new());
    }
    let digits = format!("{part:0width$}", width = precision as usize);
    (whole, format!(".{}", digits.trim_end_matches('0')))
}
