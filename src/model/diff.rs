//! A line diff of two texts, for showing what a patch or an edit changes before it is sent.
//!
//! The lines come from `similar` (Myers, as GNU `diff -u` that `kubectl diff` runs), grouped
//! into hunks with `context` unchanged lines around each change. [`object_diff`] renders two
//! objects as YAML first, leaving out what every write changes (the resource version, the
//! generation, managedFields) and masking a Secret's values as `kubectl diff` does.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

/// The context `diff -u` (and so `kubectl diff`) shows around a change.
pub const DEFAULT_CONTEXT: usize = 3;

/// What a line of a diff says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// In both texts (context).
    Same,
    /// Only in the text after.
    Added,
    /// Only in the text before.
    Removed,
    /// The header of a hunk: `@@ -first,count +first,count @@`.
    Hunk,
}

/// One line of a diff, without its end of line and without the `+`/`-`/` ` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub text: String,
}

impl DiffLine {
    /// The line as `diff -u` prints it (`+`, `-` or a space, then the text; hunks as they are).
    pub fn unified_text(&self) -> String {
        match self.kind {
            DiffKind::Same => format!(" {}", self.text),
            DiffKind::Added => format!("+{}", self.text),
            DiffKind::Removed => format!("-{}", self.text),
            DiffKind::Hunk => self.text.clone(),
        }
    }
}

/// The unified diff of two texts, line by line, with `context` unchanged lines around each
/// change; empty when the texts have the same lines.
pub fn unified(before: &str, after: &str, context: usize) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(before, after);
    let mut lines = Vec::new();
    for group in diff.grouped_ops(context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        lines.push(DiffLine {
            kind: DiffKind::Hunk,
            text: format!(
                "@@ -{} +{} @@",
                hunk_range(old.start, old.len()),
                hunk_range(new.start, new.len())
            ),
        });
        for op in &group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => DiffKind::Same,
                    ChangeTag::Insert => DiffKind::Added,
                    ChangeTag::Delete => DiffKind::Removed,
                };
                let text = change.value();
                let text = text.strip_suffix('\n').unwrap_or(text);
                let text = text.strip_suffix('\r').unwrap_or(text);
                lines.push(DiffLine {
                    kind,
                    text: text.to_string(),
                });
            }
        }
    }
    lines
}

/// A hunk range as GNU diff writes it: 1-based, the count left out when it is 1, and an empty
/// range named by the line before it.
fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

/// The diff of two versions of an object, as YAML, with what every write changes left out and a
/// Secret's values masked (see [`comparable`] and [`mask_secret_values`]).
pub fn object_diff(before: &Value, after: &Value, context: usize) -> Vec<DiffLine> {
    let (mut before, mut after) = (comparable(before), comparable(after));
    mask_secret_values(&mut before, &mut after);
    unified(&yaml(&before), &yaml(&after), context)
}

/// The object without what the API server changes on every write (metadata.resourceVersion,
/// metadata.generation) and without metadata.managedFields, which nobody reads in a diff.
pub fn comparable(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in ["managedFields", "resourceVersion", "generation"] {
            metadata.remove(field);
        }
    }
    object
}

/// `kubectl diff`'s mask for Secrets: every value of `data` (and `stringData`) becomes `***`,
/// and a value that differs between the two becomes `*** (before)` and `*** (after)`, so the
/// diff shows which keys changed without showing a secret.
pub fn mask_secret_values(before: &mut Value, after: &mut Value) {
    let is_secret = |object: &Value| object.get("kind").and_then(Value::as_str) == Some("Secret");
    if !is_secret(before) && !is_secret(after) {
        return;
    }
    // The last-applied copy carries the values too (`stringData` in plain text).
    let pointer = "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration";
    let old_copy = before.pointer(pointer).cloned();
    let new_copy = after.pointer(pointer).cloned();
    let changed = old_copy != new_copy;
    for (object, mark) in [(&mut *before, "*** (before)"), (&mut *after, "*** (after)")] {
        if let Some(copy) = object.pointer_mut(pointer) {
            *copy = Value::String(if changed { mark } else { "***" }.to_string());
        }
    }
    for field in ["data", "stringData"] {
        let old = before.get(field).and_then(Value::as_object).cloned();
        let new = after.get(field).and_then(Value::as_object).cloned();
        if let Some(values) = before.get_mut(field).and_then(Value::as_object_mut) {
            for (key, value) in values.iter_mut() {
                let changed = new
                    .as_ref()
                    .and_then(|new| new.get(key))
                    .is_some_and(|other| other != value);
                *value = Value::String(if changed { "*** (before)" } else { "***" }.to_string());
            }
        }
        if let Some(values) = after.get_mut(field).and_then(Value::as_object_mut) {
            for (key, value) in values.iter_mut() {
                let changed = old
                    .as_ref()
                    .and_then(|old| old.get(key))
                    .is_some_and(|other| other != value);
                *value = Value::String(if changed { "*** (after)" } else { "***" }.to_string());
            }
        }
    }
}

/// An object as YAML (keys in order, as serde_json keeps them).
pub fn yaml(object: &Value) -> String {
    super::yaml::to_string(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_secrets_last_applied_copy_is_masked_in_a_diff() {
        let annotated = |copy: &str| {
            json!({"kind": "Secret", "metadata": {"name": "db", "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": copy}},
                "data": {"password": "czNjcjN0"}})
        };
        let before = annotated("{\"stringData\":{\"password\":\"s3cr3t\"}}");
        let after = annotated("{\"stringData\":{\"password\":\"n3w\"}}");
        let text: String = object_diff(&before, &after, 3)
            .iter()
            .map(|line| format!("{line:?}\n"))
            .collect();
        assert!(!text.contains("s3cr3t") && !text.contains("n3w"), "{text}");
        assert!(
            text.contains("*** (before)") && text.contains("*** (after)"),
            "{text}"
        );
    }

    fn deployment(replicas: u32, image: &str) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "41", "generation": 3,
                "managedFields": [{"manager": "kubectl", "operation": "Update"}]},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80}]}]}
                }
            }
        })
    }

    fn rendered(lines: &[DiffLine]) -> String {
        lines
            .iter()
            .map(|line| line.unified_text() + "\n")
            .collect()
    }

    #[test]
    fn a_replica_and_image_change_of_a_deployment() {
        let before = deployment(3, "nginx:1.27");
        let mut after = deployment(5, "nginx:1.28");
        // A write changes these; the diff must not show them.
        after["metadata"]["resourceVersion"] = json!("42");
        after["metadata"]["generation"] = json!(4);
        let lines = object_diff(&before, &after, DEFAULT_CONTEXT);
        assert_eq!(
            rendered(&lines),
            "\
@@ -4,7 +4,7 @@
   name: web
   namespace: shop
 spec:
-  replicas: 3
+  replicas: 5
   selector:
     matchLabels:
       app: web
@@ -14,7 +14,7 @@
         app: web
     spec:
       containers:
-      - image: nginx:1.27
+      - image: nginx:1.28
         name: nginx
         ports:
         - containerPort: 80
"
        );
        assert!(!rendered(&lines).contains("managedFields"));
    }

    #[test]
    fn hunks_join_when_their_context_overlaps_and_ranges_read_as_diff_u() {
        let before = "a\nb\nc\nd\ne\n";
        let after = "a\nB\nc\nD\ne\nf\n";
        assert_eq!(
            rendered(&unified(before, after, 1)),
            "@@ -1,5 +1,6 @@\n a\n-b\n+B\n c\n-d\n+D\n e\n+f\n"
        );
        assert_eq!(
            rendered(&unified("", "x\n", 3)),
            "@@ -0,0 +1 @@\n+x\n",
            "an empty range is named by the line before it"
        );
        assert!(unified("same\n", "same\n", 3).is_empty());
        // A last line without an end of line compares equal to the text, not to "x\n".
        assert_eq!(
            unified("x", "y", 0),
            [
                DiffLine {
                    kind: DiffKind::Hunk,
                    text: "@@ -1 +1 @@".into()
                },
                DiffLine {
                    kind: DiffKind::Removed,
                    text: "x".into()
                },
                DiffLine {
                    kind: DiffKind::Added,
                    text: "y".into()
                },
            ]
        );
    }

    #[test]
    fn secret_values_are_masked_as_kubectl_diff_masks_them() {
        let before = json!({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "czNjcjN0", "user": "YWRtaW4="}});
        let after = json!({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "bmV3", "user": "YWRtaW4=", "token": "dA=="}});
        let text = rendered(&object_diff(&before, &after, 3));
        assert!(
            !text.contains("czNjcjN0") && !text.contains("bmV3"),
            "{text}"
        );
        assert!(
            text.contains("-  password: '*** (before)'")
                || text.contains("-  password: \"*** (before)\""),
            "{text}"
        );
        assert!(
            text.contains("+  password: '*** (after)'")
                || text.contains("+  password: \"*** (after)\""),
            "{text}"
        );
        assert!(
            text.contains("+  token: '***'") || text.contains("+  token: \"***\""),
            "{text}"
        );
        assert!(
            text.contains("   user: '***'") || text.contains("   user: \"***\""),
            "{text}"
        );
    }
}
