//! YAML, read and written the one way kubectl does, over serde-saphyr with the same options
//! everywhere (objects, keymaps, themes): YAML 1.1 octal numbers (`defaultMode: 0644` is 420)
//! and YAML 1.2 booleans only (names like `n`, `no`, `on` stay strings).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The options every reader here uses, for `text`. The parser's budget grows with the input
/// (every node, event and document takes at least a byte of it), so any dump a user's
/// `kubectl get -o yaml` writes is read whole, while the alias checks still stop a YAML bomb.
fn options(text: &str) -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! { legacy_octal_numbers: true, strict_booleans: true };
    let size = text.len();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = budget.max_reader_input_bytes.map(|bytes| bytes.max(size));
    budget.max_events = budget.max_events.max(2 * size);
    budget.max_nodes = budget.max_nodes.max(size);
    budget.max_documents = budget.max_documents.max(size);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(size);
    budget.max_total_comment_bytes = budget.max_total_comment_bytes.max(size);
    options.budget = Some(budget);
    options
}

/// One document.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_saphyr::from_str_with_options(text, options(text)).map_err(|e| first_line(&e.to_string()))
}

/// Every document of a stream (`---` between them).
pub fn documents(text: &str) -> Result<Vec<Value>, String> {
    serde_saphyr::from_multiple_with_options(text, options(text))
        .map_err(|e| first_line(&e.to_string()))
}

/// A value as block YAML, keys in the value's order.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_saphyr::to_string(value)
        .unwrap_or_else(|error| format!("# cannot show this as YAML: {error}\n"))
}

/// The first line of a parser's message, without its `error: ` prefix.
fn first_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_of_any_size_is_read_whole() {
        // 100,000 items of three nodes each: past the parser's default of 250,000 nodes.
        let text: String = std::iter::once("kind: List\nitems:\n".to_string())
            .chain((0..100_000).map(|i| format!("- name: pod-{i}\n")))
            .collect();
        let list = &documents(&text).expect("read whole")[0];
        assert_eq!(list["items"].as_array().map(Vec::len), Some(100_000));
        assert_eq!(list["items"][99_999]["name"], "pod-99999");
    }

    #[test]
    fn octal_modes_and_plain_names_read_as_kubectl_reads_them() {
        let value: Value = from_str("mode: 0644\nname: n\nenabled: true\nkey: on\n").unwrap();
        assert_eq!(value["mode"], 420);
        assert_eq!(value["name"], "n");
        assert_eq!(value["enabled"], true);
        assert_eq!(value["key"], "on");
        assert_eq!(documents("a: 1\n---\nb: 2\n").unwrap().len(), 2);
        assert!(from_str::<Value>("a: [").unwrap_err().len() < 200);
    }
}
