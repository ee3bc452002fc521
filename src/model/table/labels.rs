//! Label maps and label selectors as the printers render them: apimachinery's
//! `labels.FormatLabels`, `metav1.LabelSelectorAsSelector(...).String()` and
//! `metav1.FormatLabelSelector`.

use super::field::Field;

/// `labels.FormatLabels`: `k=v` pairs sorted by key, joined by `,`; `<none>` when empty.
pub(super) fn format_labels(map: Field<'_>) -> String {
    let joined = map
        .string_map()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    if joined.is_empty() {
        "<none>".to_string()
    } else {
        joined
    }
}

/// `metav1.FormatLabelSelector`: the selector's string, `<none>` when it selects everything or
/// nothing, `<error>` when it is invalid.
pub(super) fn format_label_selector(selector: Field<'_>) -> String {
    match selector_string(selector) {
        Ok(s) if s.is_empty() => "<none>".to_string(),
        Ok(s) => s,
        Err(()) => "<error>".to_string(),
    }
}

/// `metav1.LabelSelectorAsSelector(selector).String()`: requirements sorted by key (stably, so
/// `matchLabels` come before `matchExpressions` on the same key), `""` for an absent or empty
/// selector, `Err` when a requirement is invalid.
pub(super) fn selector_string(selector: Field<'_>) -> Result<String, ()> {
    if !selector.is_set() {
        return Ok(String::new());
    }
    let mut requirements: Vec<(String, String)> = Vec::new();
    for (key, value) in selector.get("matchLabels").string_map() {
        validate_key(key)?;
        validate_value(value)?;
        requirements.push((key.to_string(), format!("{key}={value}")));
    }
    for expression in selector.get("matchExpressions").items() {
        let key = expression.get("key").str();
        let values = expression.get("values").strings();
        validate_key(key)?;
        let text = match expression.get("operator").str() {
            op @ ("In" | "NotIn") => {
                if values.is_empty() {
                    return Err(());
                }
                let word = if op == "In" { "in" } else { "notin" };
                format!("{key} {word} ({})", sorted(&values).join(","))
            }
            "Exists" if values.is_empty() => key.to_string(),
            "DoesNotExist" if values.is_empty() => format!("!{key}"),
            _ => return Err(()),
        };
        for value in &values {
            validate_value(value)?;
        }
        requirements.push((key.to_string(), text));
    }
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(requirements
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(","))
}

fn sorted<'a>(values: &[&'a str]) -> Vec<&'a str> {
    let mut values = values.to_vec();
    values.sort_unstable();
    values
}

/// `validation.IsQualifiedName`: an optional DNS-subdomain prefix and `/`, then a name of at
/// most 63 characters of `[-A-Za-z0-9_.]` that starts and ends alphanumeric.
fn validate_key(key: &str) -> Result<(), ()> {
    let name = match key.split('/').collect::<Vec<_>>().as_slice() {
        [name] => *name,
        [prefix, name] => {
            if !is_dns1123_subdomain(prefix) {
                return Err(());
            }
            *name
        }
        _ => return Err(()),
    };
    if name.is_empty() || name.len() > 63 || !is_qualified_name_part(name) {
        return Err(());
    }
    Ok(())
}

/// `validation.IsValidLabelValue`: empty, or a qualified name part of at most 63 characters.
fn validate_value(value: &str) -> Result<(), ()> {
    if value.len() > 63 || !(value.is_empty() || is_qualified_name_part(value)) {
        return Err(());
    }
    Ok(())
}

fn is_qualified_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && !s.is_empty()
        && s.split('.').all(|label| {
            let bytes = label.as_bytes();
            let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
                return false;
            };
            let lower_alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
            lower_alnum(first)
                && lower_alnum(last)
                && bytes.iter().all(|b| lower_alnum(b) || *b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn selector(value: serde_json::Value) -> String {
        format_label_selector(Field::of(&value))
    }

    #[test]
    fn renders_like_apimachinery() {
        assert_eq!(selector(json!(null)), "<none>");
        assert_eq!(selector(json!({})), "<none>");
        assert_eq!(
            selector(json!({"matchLabels": {"b": "2", "a": "1"}})),
            "a=1,b=2"
        );
        assert_eq!(
            selector(json!({"matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["web", "cache"]},
                {"key": "env", "operator": "In", "values": ["prod"]},
                {"key": "gpu", "operator": "Exists"},
                {"key": "canary", "operator": "DoesNotExist"},
            ]})),
            "!canary,env in (prod),gpu,tier notin (cache,web)"
        );
        assert_eq!(
            selector(json!({"matchLabels": {"a": "1"}, "matchExpressions": [
                {"key": "a", "operator": "Exists"}]})),
            "a=1,a"
        );
        assert_eq!(
            selector(json!({"matchLabels": {"example.com/app": "x"}})),
            "example.com/app=x"
        );
    }

    #[test]
    fn invalid_selectors_are_errors() {
        for bad in [
            json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}),
            json!({"matchLabels": {"bad key": "x"}}),
            json!({"matchLabels": {"a": "bad value"}}),
            json!({"matchLabels": {"/a": "x"}}),
            json!({"matchLabels": {"a/b/c": "x"}}),
            json!({"matchLabels": {"Upper.com/a": "x"}}),
            json!({"matchLabels": {"a": "x".repeat(64)}}),
        ] {
            assert_eq!(selector(bad.clone()), "<error>", "{bad}");
        }
    }

    #[test]
    fn label_maps() {
        assert_eq!(format_labels(Field::of(&json!({}))), "<none>");
        assert_eq!(format_labels(Field::of(&json!(null))), "<none>");
        assert_eq!(
            format_labels(Field::of(&json!({"z": "1", "a": "2"}))),
            "a=2,z=1"
        );
    }
}
