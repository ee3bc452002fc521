//! The API types whose Go types decode themselves (an `UnmarshalJSON` method): timestamps,
//! quantities, int-or-strings and raw JSON. Both of the API server's decoders hand them the
//! value's JSON and report their error as it is, without a field path: these errors come from
//! a second, inner `encoding/json` decode or from the type's own parser.

use serde_json::Value;

use super::go_text::go_quote;
use crate::sim::schema::Kind;

/// `resource.ErrFormatWrong` (k8s.io/apimachinery/pkg/api/resource/quantity.go).
const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `resource.ErrSuffix`.
const QUANTITY_SUFFIX: &str = "unable to parse quantity's suffix";

/// The word Go's decoder uses for a JSON value's type in "cannot unmarshal X into ...".
pub fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

/// The error of a decode into a plain Go value, as the inner `json.Unmarshal` of an
/// `UnmarshalJSON` method reports it: no struct, no field path.
fn into_go_value(value: &str, go_type: &str) -> String {
    format!("json: cannot unmarshal {value} into Go value of type {go_type}")
}

/// Whether `kind` decodes itself, and if so, its verdict on `value` (never null: a null is
/// always accepted before this is asked).
pub fn decode_custom(kind: Kind, value: &Value) -> Option<Result<(), String>> {
    let verdict = match kind {
        // metav1.Time / MicroTime: `json.Unmarshal(b, &str)`, then time.Parse.
        Kind::Time | Kind::MicroTime => match value {
            Value::String(text) => parse_time(text, kind),
            other => Err(into_go_value(&json_kind(other), "string")),
        },
        // resource.Quantity: the JSON text without its quotes, trimmed, to ParseQuantity; a
        // number is read as its digits, anything else fails its format.
        Kind::Quantity => match value {
            Value::String(text) => parse_quantity(text.trim()),
            Value::Number(number) => parse_quantity(&number.to_string()),
            other => parse_quantity(&other.to_string()),
        },
        // intstr.IntOrString: a string, else `json.Unmarshal(value, &intstr.IntVal)`.
        Kind::IntOrString => match value {
            Value::String(_) => Ok(()),
            Value::Number(number) => match number.as_i64() {
                Some(n) if i32::try_from(n).is_ok() => Ok(()),
                _ => Err(into_go_value(&format!("number {number}"), "int32")),
            },
            other => Err(into_go_value(&json_kind(other), "int32")),
        },
        // metav1.Duration: a string for time.ParseDuration; no served kind has one.
        Kind::Duration => match value {
            Value::String(_) => Ok(()),
            other => Err(into_go_value(&json_kind(other), "string")),
        },
        // runtime.RawExtension, metav1.FieldsV1: any JSON at all.
        Kind::RawExtension | Kind::FieldsV1 => Ok(()),
        _ => return None,
    };
    Some(verdict)
}

/// time.Parse with time.RFC3339 (Time) or metav1.RFC3339Micro (MicroTime). The error names the
/// layout's first element, which is exact for text that is no timestamp at all (Go names the
/// first element that failed; for a nearly right timestamp that is a later one).
fn parse_time(text: &str, kind: Kind) -> Result<(), String> {
    if text.parse::<jiff::Timestamp>().is_ok() {
        return Ok(());
    }
    let layout = match kind {
        Kind::MicroTime => "2006-01-02T15:04:05.000000Z07:00",
        _ => "2006-01-02T15:04:05Z07:00",
    };
    Err(format!(
        "parsing time {} as {}: cannot parse {} as \"2006\"",
        go_quote(text),
        go_quote(layout),
        go_quote(text)
    ))
}

/// resource.ParseQuantity's verdict: its scanner (`parseQuantityString`) for the format, then
/// the suffix, which must be a known one.
pub fn parse_quantity(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(QUANTITY_FORMAT.into());
    }
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes[0], b'-' | b'+'));
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    at = digits(at);
    if bytes.get(at) == Some(&b'.') {
        at = digits(at + 1);
    }
    let suffix_start = at;
    while at < bytes.len() && b"eEinumkKMGTP".contains(&bytes[at]) {
        at += 1;
    }
    if at < bytes.len() && matches!(bytes[at], b'-' | b'+') {
        at += 1;
    }
    if digits(at) != bytes.len() {
        return Err(QUANTITY_FORMAT.into());
    }
    let suffix = &text[suffix_start..];
    let known = matches!(
        suffix,
        "" | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
            | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
    ) || (suffix.len() > 1
        && matches!(suffix.as_bytes()[0], b'e' | b'E')
        && suffix[1..].parse::<i64>().is_ok());
    if known {
        Ok(())
    } else {
        Err(QUANTITY_SUFFIX.into())
    }
}

/// A `[]byte` from a JSON string: standard base64 with padding, as encoding/json decodes it
/// (`base64.StdEncoding.Decode`, which skips line breaks); the error is base64's own.
pub fn decode_base64(text: &str) -> Result<(), String> {
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| !matches!(b, b'\r' | b'\n'))
        .map(|(_, b)| b)
        .collect();
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    // base64.CorruptInputError counts positions in the input, line breaks included.
    let position = |kept: usize| {
        text.bytes()
            .enumerate()
            .filter(|(_, b)| !matches!(b, b'\r' | b'\n'))
            .nth(kept)
            .map_or(text.len(), |(i, _)| i)
    };
    let corrupt = |kept: usize| {
        Err(format!(
            "illegal base64 data at input byte {}",
            position(kept)
        ))
    };
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    let body = bytes.len() - padding;
    if let Some(bad) = bytes[..body].iter().position(|b| !alphabet(*b)) {
        return corrupt(bad);
    }
    if padding > 2 || !bytes.len().is_multiple_of(4) {
        // Go stops at the first incomplete quantum: the byte after the last complete one, or
        // where the padding is wrong.
        let complete = body / 4 * 4;
        return corrupt(if padding > 2 {
            body + 2
        } else {
            complete.min(bytes.len())
        });
    }
    if padding > 0 && body % 4 == 1 {
        return corrupt(body);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_as_parse_quantity_takes_them() {
        for good in [
            "1", "100m", "1.5Gi", "0.5", "1e3", "2E-2", "+1", "-1", "1.", "5E", "1k",
        ] {
            assert_eq!(parse_quantity(good), Ok(()), "{good}");
        }
        for (bad, error) in [
            ("", QUANTITY_FORMAT),
            ("abc", QUANTITY_FORMAT),
            ("true", QUANTITY_FORMAT),
            ("5Gb", QUANTITY_FORMAT),
            ("1.2.3", QUANTITY_FORMAT),
            ("1kk", QUANTITY_SUFFIX),
            ("1e", QUANTITY_SUFFIX),
            ("1Ki3", QUANTITY_SUFFIX),
        ] {
            assert_eq!(parse_quantity(bad), Err(error.to_string()), "{bad}");
        }
    }

    #[test]
    fn int_or_string_and_time() {
        assert_eq!(
            decode_custom(Kind::IntOrString, &json!("25%")),
            Some(Ok(()))
        );
        assert_eq!(decode_custom(Kind::IntOrString, &json!(8080)), Some(Ok(())));
        assert_eq!(
            decode_custom(Kind::IntOrString, &json!(true)),
            Some(Err(
                "json: cannot unmarshal bool into Go value of type int32".into()
            ))
        );
        assert_eq!(
            decode_custom(Kind::IntOrString, &json!(1.5)),
            Some(Err(
                "json: cannot unmarshal number 1.5 into Go value of type int32".into()
            ))
        );
        assert_eq!(
            decode_custom(Kind::Time, &json!("2026-01-01T00:00:00Z")),
            Some(Ok(()))
        );
        assert_eq!(
            decode_custom(Kind::Time, &json!("yesterday")),
            Some(Err("parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"".into()))
        );
        assert_eq!(
            decode_custom(Kind::Time, &json!(5)),
            Some(Err(
                "json: cannot unmarshal number into Go value of type string".into()
            ))
        );
        assert_eq!(decode_custom(Kind::Str, &json!(5)), None);
    }

    #[test]
    fn base64_as_encoding_json_decodes_it() {
        assert_eq!(decode_base64("aGVsbG8="), Ok(()));
        assert_eq!(decode_base64("aGVs\nbG8="), Ok(()));
        assert_eq!(decode_base64(""), Ok(()));
        assert_eq!(
            decode_base64("!!!!"),
            Err("illegal base64 data at input byte 0".into())
        );
        assert_eq!(
            decode_base64("aGVsbG8"),
            Err("illegal base64 data at input byte 4".into())
        );
    }
}
