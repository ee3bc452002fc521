//! kubectl's generic describer, for kinds without their own (custom resources, Events): name,
//! namespace, labels and annotations, then every other field as an indented tree, keys sorted and
//! split into words (`dataDirHostPath` → `Data Dir Host Path`).

use serde_json::Value;

use super::metadata::{annotations_multiline, labels_multiline, name_and_namespace};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;

/// Fields printed above the tree, or never (managed fields are bookkeeping).
const SKIPPED_PATHS: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// Words kubectl writes in capitals wherever they appear as a whole word of a key.
const COMMON_ACRONYMS: &[&str] = &["API", "URL", "UID", "GUID"];

pub(super) fn describe_generic(object: Raw<'_>, w: &mut DescribeWriter) {
    let metadata = object.at("metadata");
    name_and_namespace(w, metadata);
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    print_unstructured(w, 0, object, "");
}

/// kubectl's `printUnstructuredContent`: maps as `Key:` with their fields one level deeper, lists
/// as `Key:` with each element one level deeper (map elements run together, with no separator),
/// and scalars as `Key:\tvalue`.
fn print_unstructured(w: &mut DescribeWriter, level: usize, content: Raw<'_>, path: &str) {
    for (field, value) in content.entries() {
        let field_path = format!("{path}.{field}");
        if SKIPPED_PATHS.contains(&field_path.as_str()) {
            continue;
        }
        match value.value() {
            Some(Value::Object(_)) => {
                put!(w, level, "{}:\n", smart_label(field));
                print_unstructured(w, level + 1, value, &field_path);
            }
            Some(Value::Array(items)) => {
                put!(w, level, "{}:\n", smart_label(field));
                for item in items {
                    if item.is_object() {
                        print_unstructured(w, level + 1, Raw::new(item), &field_path);
                    } else {
                        put!(w, level + 1, "{}\n", go_value(item));
                    }
                }
            }
            scalar => {
                let text = scalar.map_or("<nil>".to_string(), go_value);
                put!(w, level, "{}:\t{text}\n", smart_label(field));
            }
        }
    }
}

/// kubectl's `smartLabelFor`: a camel-case key split into capitalised words, runs of capitals kept
/// together (`podCIDRs` → `Pod CIDRs`) and common acronyms in capitals (`apiVersion` →
/// `API Version`). A key with anything but letters and `-` is kept as it is.
pub(super) fn smart_label(field: &str) -> String {
    if field
        .chars()
        .any(|character| !character.is_alphabetic() && character != '-')
    {
        return field.to_string();
    }
    let parts = split_camel_case(field);
    let mut merged: Vec<String> = Vec::with_capacity(parts.len());
    let mut index = 0;
    while index < parts.len() {
        let part = &parts[index];
        // Two or more capitals followed by a capitalised word are one word: `CID` + `Rs`.
        if let Some(next) = parts.get(index + 1) {
            let all_upper = part
                .chars()
                .all(|character| !character.is_alphabetic() || character.is_uppercase());
            if part.len() >= 2 && all_upper && next.chars().next().is_some_and(char::is_uppercase) {
                merged.push(format!("{part}{next}"));
                index += 2;
                continue;
            }
        }
        merged.push(part.clone());
        index += 1;
    }
    merged
        .into_iter()
        .filter(|part| part != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if COMMON_ACRONYMS.contains(&upper.as_str()) {
                upper
            } else if part.to_lowercase() == part {
                title_case(&part)
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case(word: &str) -> String {
    let mut characters = word.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// `github.com/fatih/camelcase.Split`: runs of lower case, upper case, digits and other
/// characters, with the last capital of a run moved onto a following lower-case run
/// (`PDFLoader` → `PDF`, `Loader`).
fn split_camel_case(text: &str) -> Vec<String> {
    #[derive(PartialEq)]
    enum Class {
        Lower,
        Upper,
        Digit,
        Other,
    }
    let class_of = |character: char| {
        if character.is_lowercase() {
            Class::Lower
        } else if character.is_uppercase() {
            Class::Upper
        } else if character.is_numeric() {
            Class::Digit
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last_class = None;
    for character in text.chars() {
        let class = class_of(character);
        match runs.last_mut() {
            Some(run) if last_class.as_ref() == Some(&class) => run.push(character),
            _ => runs.push(vec![character]),
        }
        last_class = Some(class);
    }
    for index in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[index].first().is_some_and(|c| c.is_uppercase())
            && runs[index + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower && let Some(moved) = runs[index].pop() {
            runs[index + 1].insert(0, moved);
        }
    }
    runs.into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| run.into_iter().collect())
        .collect()
}

/// Go's `%v` of a value decoded from JSON as unstructured content: integers as int64, other
/// numbers as float64, lists as `[a b]`, maps as `map[k:v]`, null as `<nil>`.
pub(super) fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::String(text) => text.clone(),
        Value::Number(number) => match number.as_i64() {
            Some(integer) => integer.to_string(),
            None => go_float(number.as_f64().unwrap_or(0.0)),
        },
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(entries) => {
            let mut entries: Vec<(&String, &Value)> = entries.iter().collect();
            entries.sort_by_key(|(key, _)| *key);
            format!(
                "map[{}]",
                entries
                    .iter()
                    .map(|(key, value)| format!("{key}:{}", go_value(value)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// Go's `%v` of a float64 (`%g` with the shortest digits): exponent form when the decimal
/// exponent is below -4 or at least 6 (so `1e+06`), else plain decimals.
fn go_float(number: f64) -> String {
    if number.is_nan() {
        return "NaN".to_string();
    }
    if number.is_infinite() {
        return if number > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if number == 0.0 {
        return if number.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, as Go's shortest formatting does.
    let scientific = format!("{number:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes an integer exponent");
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let point = exponent + 1; // digits before the decimal point
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    };
    if negative { format!("-{body}") } else { body }
}
