//! kubectl's `-o custom-columns`: a column named by a header and a JSONPath expression
//! (`NAME:.metadata.name`, `TAINTS:.spec.taints`), its cells printed as kubectl prints them —
//! each value as Go's `%v` prints the decoded JSON (`map[effect:NoSchedule key:k]`, `[a b]`),
//! several values joined by commas, `<none>` when nothing matches.

use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use serde_json::Value;

/// One custom column: its header and its parsed expression.
#[derive(Debug, Clone)]
pub struct CustomColumn {
    pub header: String,
    /// The expression as written.
    pub expression: String,
    query: JpQuery,
}

impl PartialEq for CustomColumn {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header && self.expression == other.expression
    }
}

impl CustomColumn {
    /// Reads `HEADER:EXPRESSION` as kubectl's custom-columns does.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (header, expression) = spec
            .split_once(':')
            .ok_or_else(|| format!("{spec:?} is not HEADER:JSONPATH"))?;
        if header.trim().is_empty() {
            return Err(format!("{spec:?} has no header before the ':'"));
        }
        Self::new(header, expression)
    }

    /// A column of `header` printing `expression` (kubectl's relaxed form: `{.a.b}`, `.a.b`
    /// or `a.b`).
    pub fn new(header: &str, expression: &str) -> Result<Self, String> {
        let relaxed = relaxed(expression)
            .ok_or_else(|| format!("{expression:?} is not a JSONPath expression"))?;
        let query = parse_json_path(&relaxed).map_err(|e| {
            format!(
                "{expression:?} is not a JSONPath expression{}",
                parse_problem(&e.to_string())
            )
        })?;
        Ok(Self {
            header: header.trim().to_uppercase(),
            expression: expression.to_string(),
            query,
        })
    }

    /// The cell for `object`, as kubectl prints it.
    pub fn cell(&self, object: &Value) -> String {
        let found = js_path_process(&self.query, object).unwrap_or_default();
        if found.is_empty() {
            return "<none>".to_string();
        }
        found
            .iter()
            .map(|r| go_value(r.clone().val()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The parser's multi-line report in one line: where, and what it expected.
fn parse_problem(report: &str) -> String {
    let at = report
        .split("-->")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|place| place.split(':').nth(1))
        .and_then(|column| column.parse::<usize>().ok());
    let expected = report
        .lines()
        .find_map(|line| line.trim().strip_prefix("= "))
        .unwrap_or("");
    match at {
        // The column counts the `$` put in front.
        Some(at) => format!(
            " (at character {}{}{expected})",
            at.saturating_sub(1),
            if expected.is_empty() { "" } else { ": " }
        ),
        None => String::new(),
    }
}

/// kubectl's `RelaxedJSONPathExpression` into RFC 9535 form: the braces dropped, a leading `.`
/// added when missing, `$` for the object; a field name RFC 9535 cannot write after a dot
/// (`app.kubernetes.io/name`, kubectl's `\.` escapes, a `-`) becomes a bracketed name.
fn relaxed(expression: &str) -> Option<String> {
    let trimmed = expression.trim();
    let inner = match trimmed.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}')?,
        None => trimmed,
    }
    .trim();
    if inner.is_empty() {
        return None;
    }
    let inner = inner.strip_prefix('$').unwrap_or(inner);
    let inner = if inner.starts_with('.') || inner.starts_with('[') {
        inner.to_string()
    } else {
        format!(".{inner}")
    };
    let mut out = String::from("$");
    let chars: Vec<char> = inner.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        match chars[at] {
            '[' => {
                // Copied through to its closing bracket (quotes may hold a `]`).
                let mut quote: Option<char> = None;
                while at < chars.len() {
                    let c = chars[at];
                    out.push(c);
                    at += 1;
                    match (quote, c) {
                        (None, '\'' | '"') => quote = Some(c),
                        (Some(q), c) if c == q => quote = None,
                        (None, ']') => break,
                        _ => {}
                    }
                }
            }
            '.' => {
                at += 1;
                if chars.get(at) == Some(&'.') {
                    out.push_str("..");
                    at += 1;
                    if chars.get(at) == Some(&'[') {
                        continue;
                    }
                } else {
                    out.push('.');
                }
                let mut name = String::new();
                while at < chars.len() && chars[at] != '.' && chars[at] != '[' {
                    if chars[at] == '\\' && chars.get(at + 1) == Some(&'.') {
                        name.push('.');
                        at += 2;
                    } else {
                        name.push(chars[at]);
                        at += 1;
                    }
                }
                let plain = name == "*"
                    || name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !name.starts_with(|c: char| c.is_ascii_digit());
                if plain {
                    out.push_str(&name);
                } else {
                    // `.name` → `['name']` (`..name` → `..['name']`).
                    if out.ends_with("..") {
                        out.push_str(&format!(
                            "['{}']",
                            name.replace('\\', "\\\\").replace('\'', "\\'")
                        ));
                    } else {
                        out.pop();
                        out.push_str(&format!(
                            "['{}']",
                            name.replace('\\', "\\\\").replace('\'', "\\'")
                        ));
                    }
                }
            }
            c => {
                out.push(c);
                at += 1;
            }
        }
    }
    Some(out)
}

/// A JSON value as Go's `%v` prints it decoded into `interface{}` (maps with sorted keys).
fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", go_value(&map[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node() -> Value {
        json!({"metadata": {"name": "cp-1", "labels": {"b": "2", "a": "1"}},
               "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
               "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                         {"type": "Ready", "status": "True"}],
                          "capacity": {"cpu": "4"}, "allocatable": {"pods": 110}}})
    }

    fn cell(spec: &str) -> String {
        CustomColumn::parse(spec).unwrap().cell(&node())
    }

    #[test]
    fn values_print_as_kubectl_prints_them() {
        assert_eq!(cell("NAME:.metadata.name"), "cp-1");
        assert_eq!(
            cell("TAINTS:.spec.taints"),
            "[map[effect:NoSchedule key:node-role.kubernetes.io/control-plane]]"
        );
        assert_eq!(cell("L:.metadata.labels"), "map[a:1 b:2]");
        assert_eq!(
            cell("READY:.status.conditions[?(@.type==\"Ready\")].status"),
            "True"
        );
        assert_eq!(
            cell("TYPES:.status.conditions[*].type"),
            "MemoryPressure,Ready"
        );
        assert_eq!(cell("PODS:{.status.allocatable.pods}"), "110");
        assert_eq!(cell("X:.spec.unschedulable"), "<none>");
        assert_eq!(cell("CPU:status.capacity.cpu"), "4");
        // kubectl's escaped dots, and names RFC 9535 cannot write after a dot.
        assert_eq!(
            relaxed(r".metadata.labels.topology\.kubernetes\.io/zone").unwrap(),
            "$.metadata.labels['topology.kubernetes.io/zone']"
        );
        assert_eq!(
            relaxed("{.a.app-name[0].b}").unwrap(),
            "$.a['app-name'][0].b"
        );
        assert_eq!(relaxed("..name").unwrap(), "$..name");
        assert_eq!(
            relaxed(".items[?(@.a=='x.y')].b").unwrap(),
            "$.items[?(@.a=='x.y')].b"
        );
        let zone = json!({"metadata": {"labels": {"topology.kubernetes.io/zone": "eu-1a"}}});
        assert_eq!(
            CustomColumn::parse(r"ZONE:.metadata.labels.topology\.kubernetes\.io/zone")
                .unwrap()
                .cell(&zone),
            "eu-1a"
        );
    }

    #[test]
    fn bad_columns_say_what_is_wrong() {
        assert!(
            CustomColumn::parse("NAME")
                .unwrap_err()
                .contains("HEADER:JSONPATH")
        );
        assert!(
            CustomColumn::parse(":.a")
                .unwrap_err()
                .contains("no header")
        );
        let error = CustomColumn::parse("A:.spec[").unwrap_err();
        assert!(
            error.contains("not a JSONPath expression (at character"),
            "{error}"
        );
        assert!(!error.contains('\n'), "one line: {error}");
        assert_eq!(CustomColumn::parse("age:.a").unwrap().header, "AGE");
    }
}
