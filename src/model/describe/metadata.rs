//! The metadata lines every describer prints: labels, annotations (one per line, aligned), the
//! controller, and the tolerations and node selectors of pod templates.

use super::go_sort::go_sort;
use super::raw::Raw;
use super::tabwriter::DescribeWriter;

/// kubectl skips this annotation everywhere: it repeats the whole object.
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Annotations longer than this (key, `: ` and value) are printed on their own lines, cut.
const MAX_ANNOTATION_LEN: usize = 140;

/// kubectl's `printLabelsMultiline`: `Title:` then one `key=value` per line, sorted, aligned in
/// the value column; `<none>` if there are none.
pub(super) fn labels_multiline(w: &mut DescribeWriter, title: &str, labels: Raw<'_>) {
    labels_multiline_with_indent(w, "", title, labels);
}

/// kubectl's `printLabelsMultilineWithIndent` with an inner indent of one tab.
pub(super) fn labels_multiline_with_indent(
    w: &mut DescribeWriter,
    initial_indent: &str,
    title: &str,
    labels: Raw<'_>,
) {
    put!(w, 0, "{initial_indent}{title}:\t");
    let labels = labels.string_map();
    if labels.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (index, (key, value)) in labels.iter().enumerate() {
        if index != 0 {
            w.write(0, initial_indent);
            w.write(0, "\t");
        }
        put!(w, 0, "{key}={value}\n");
    }
}

/// kubectl's `printAnnotationsMultiline`: like labels, as `key: value`; a long or multi-line
/// value goes below its key, each line cut at 140 characters.
pub(super) fn annotations_multiline(w: &mut DescribeWriter, title: &str, annotations: Raw<'_>) {
    put!(w, 0, "{title}:\t");
    let annotations: Vec<(&str, &str)> = annotations
        .string_map()
        .into_iter()
        .filter(|(key, _)| *key != LAST_APPLIED_ANNOTATION)
        .collect();
    if annotations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let indent = "\t";
    for (index, (key, value)) in annotations.into_iter().enumerate() {
        if index != 0 {
            w.write(0, indent);
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            put!(w, 0, "{key}:\n");
            for line in value.split('\n') {
                put!(
                    w,
                    0,
                    "{indent}  {}\n",
                    shorten(line, MAX_ANNOTATION_LEN - 2)
                );
            }
        } else {
            put!(w, 0, "{key}: {value}\n");
        }
    }
}

/// kubectl's `shorten`: at most `max_bytes` bytes then `...` (cut at a character boundary, where
/// Go would cut inside a character).
pub(super) fn shorten(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// kubectl's `printController`: `Kind/name` of the owner marked as controller.
pub(super) fn controlled_by(metadata: Raw<'_>) -> Option<String> {
    let owner = metadata
        .at("ownerReferences")
        .items()
        .find(|owner| owner.at("controller").bool())?;
    Some(format!(
        "{}/{}",
        owner.at("kind").str(),
        owner.at("name").str()
    ))
}

/// Writes `Controlled By:` if the object has a controller.
pub(super) fn controlled_by_line(w: &mut DescribeWriter, metadata: Raw<'_>) {
    if let Some(controller) = controlled_by(metadata) {
        put!(w, 0, "Controlled By:\t{controller}\n");
    }
}

/// kubectl's `printTolerationsMultilineWithIndent`: one toleration per line, sorted by key (with
/// Go's unstable sort).
pub(super) fn tolerations_multiline(w: &mut DescribeWriter, title: &str, tolerations: Raw<'_>) {
    put!(w, 0, "{title}:\t");
    let mut tolerations: Vec<Raw<'_>> = tolerations.items().collect();
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    go_sort(&mut tolerations, |a, b| {
        a.at("key").str() < b.at("key").str()
    });
    for (index, toleration) in tolerations.into_iter().enumerate() {
        if index != 0 {
            w.write(0, "\t");
        }
        let key = toleration.at("key").str();
        let value = toleration.at("value").str();
        let effect = toleration.at("effect").str();
        let mut text = key.to_string();
        if !value.is_empty() {
            text.push('=');
            text.push_str(value);
        }
        if !effect.is_empty() {
            text.push(':');
            text.push_str(effect);
        }
        // An empty key with operator Exists tolerates everything.
        if toleration.at("operator").str() == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                text.push_str(" op=Exists");
            } else {
                text.push_str("op=Exists");
            }
        }
        if let Some(seconds) = toleration.at("tolerationSeconds").opt_int() {
            text.push_str(&format!(" for {seconds}s"));
        }
        put!(w, 0, "{text}\n");
    }
}

/// The common head of most describers: `Name:` and `Namespace:`.
pub(super) fn name_and_namespace(w: &mut DescribeWriter, metadata: Raw<'_>) {
    put!(w, 0, "Name:\t{}\n", metadata.at("name").str());
    put!(w, 0, "Namespace:\t{}\n", metadata.at("namespace").str());
}
