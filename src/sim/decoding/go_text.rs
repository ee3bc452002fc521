//! Values written as Go's fmt, strconv and encoding/json write them, for error messages that
//! quote them the way the API server's do.

use std::fmt::Write;

use serde_json::Value;

/// strconv.Quote (fmt's `%q` of a string): double quotes, Go's escapes for quotes, backslashes
/// and control characters, printable Unicode kept.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = if (c as u32) <= 0xffff {
                    write!(out, "\\u{:04x}", c as u32)
                } else {
                    write!(out, "\\U{:08x}", c as u32)
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// fmt's `%v` (and `%+v`) of a decoded JSON value (`map[string]interface{}` and friends): maps
/// as `map[k:v ...]` with sorted keys, lists as `[a b]`, strings bare, nil as `<nil>`.
pub fn go_format(value: &Value) -> String {
    let mut out = String::new();
    format_into(value, &mut out);
    out
}

fn format_into(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // serde_json's map iterates in key order, as fmt prints Go maps.
            out.push_str("map[");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                format_into(item, out);
            }
            out.push(']');
        }
    }
}

/// A JSON number as Go holds it after decoding a patch (an int64 when it is whole and fits,
/// else a float64) printed with `%v`, which is strconv's 'g' with the shortest digits: in
/// exponent form when the exponent is below -4 or 6 and up (fmt.Println(1e6) prints 1e+06).
fn go_number(number: &serde_json::Number) -> String {
    if let Some(n) = number.as_i64() {
        return n.to_string();
    }
    let Some(f) = number.as_f64() else {
        return number.to_string();
    };
    if f == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` gives the shortest digits that read back: "1.5e-7", "1e21".
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let plain = f.to_string();
    plain.strip_suffix(".0").unwrap_or(&plain).to_string()
}

/// encoding/json's Marshal of a decoded JSON value: compact, object keys sorted (serde_json's
/// map keeps them so), and `<`, `>`, `&`, U+2028 and U+2029 escaped as Go escapes them for
/// HTML safety.
pub fn go_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_as_strconv_quote() {
        assert_eq!(go_quote("x"), "\"x\"");
        assert_eq!(go_quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\x01\"");
        assert_eq!(go_quote("héllo"), "\"héllo\"");
    }

    #[test]
    fn formats_maps_as_fmt_prints_them() {
        assert_eq!(go_format(&json!({"spec": "x"})), "map[spec:x]");
        assert_eq!(
            go_format(&json!({"spec": {"replicas": "three", "b": [1, true, null]}})),
            "map[spec:map[b:[1 true <nil>] replicas:three]]"
        );
        assert_eq!(go_format(&json!(1.5)), "1.5");
        assert_eq!(go_format(&json!(1e21)), "1e+21");
        assert_eq!(go_format(&json!(0.00001)), "1e-05");
        assert_eq!(go_format(&json!(123456.0)), "123456");
        assert_eq!(go_format(&json!(1234567.0)), "1.234567e+06");
        assert_eq!(go_format(&json!(0.0001)), "0.0001");
    }

    #[test]
    fn marshals_as_encoding_json() {
        assert_eq!(
            go_json(&json!({"b": "<&>", "a": 1})),
            r#"{"a":1,"b":"\u003c\u0026\u003e"}"#
        );
    }
}
