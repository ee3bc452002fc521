//! What a user writes as a patch or an edited object, turned into the patch to send.
//!
//! [`parse_patch`] reads a patch of a chosen type (YAML or JSON, with comments) and checks its
//! shape locally, so a typo is named on one line before anything reaches the API server.
//! [`template`] is the commented text an editor opens with, and [`edit_to_patch`] turns an edited
//! object into the patch `kubectl edit` would send for it.

use serde_json::{Map, Value};

use super::manifest::parse_documents;
use super::strategic_merge::{
    ObjectKind, PatchType, create_merge_patch, create_strategic_merge_patch,
};

/// The operations of RFC 6902, in its order.
const JSON_PATCH_OPS: [&str; 6] = ["add", "remove", "replace", "move", "copy", "test"];

/// The API server refuses longer JSON patches (413).
const MAX_JSON_PATCH_OPERATIONS: usize = 10_000;

/// kubectl's refusal when an edit changes what identifies the object.
pub const IDENTITY_CHANGED: &str = "At least one of apiVersion, kind and name was changed";

/// kubectl's words when an edit changes nothing.
pub const EDIT_CANCELLED: &str = "Edit cancelled, no changes made.";

/// The first lines of the text `kubectl edit` opens (without its promise to reopen the file
/// with the failures, which is the caller's to keep or not).
pub const EDIT_HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit.\n#\n";

/// The patch type kubectl's `patch` and `edit` use: strategic merge for the kinds the API server
/// serves itself, merge patch for custom resources (and other groups), which have no merge keys
/// and answer a strategic merge patch with 415.
pub fn default_patch_type(group: &str, is_custom_resource: bool) -> PatchType {
    let api_version = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    if is_custom_resource || ObjectKind::new(&api_version, "").is_custom() {
        PatchType::Merge
    } else {
        PatchType::StrategicMerge
    }
}

/// The patch in `text`, checked for the shape its type needs; `None` when the text holds nothing
/// but comments and blank lines (the user wrote nothing, so nothing is sent).
///
/// YAML and JSON are both accepted, as kubectl's `-p` accepts them; lines starting with `#` are
/// comments in either (a JSON string cannot span lines, so such a line is never inside one).
pub fn parse_patch(patch_type: PatchType, text: &str) -> Result<Option<Value>, String> {
    let Some(patch) = parse_one_document(text, "patch")? else {
        return Ok(None);
    };
    match patch_type {
        PatchType::Json => check_json_patch(&patch)?,
        PatchType::Merge | PatchType::StrategicMerge => {
            if !patch.is_object() {
                return Err(format!(
                    "a {} is an object of the fields to change, found {}",
                    type_noun(patch_type),
                    type_name(&patch)
                ));
            }
            if patch_type == PatchType::StrategicMerge {
                check_directives(&patch, &mut String::new())?;
            }
        }
    }
    Ok(Some(patch))
}

/// The one YAML or JSON document in `text`, or `None` when it has none.
fn parse_one_document(text: &str, what: &str) -> Result<Option<Value>, String> {
    let uncommented: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let trimmed = uncommented.trim_start_matches('\u{feff}').trim_start();
    let documents = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // Flow-style YAML (`{spec: {replicas: 3}}`) also starts so; kubectl reads it as YAML,
        // which a leading document marker makes `parse_documents` do.
        parse_documents(trimmed).or_else(|json_error| {
            parse_documents(&format!("---\n{trimmed}")).map_err(|_| json_error.to_string())
        })?
    } else {
        // YAML keeps its own comments, which may sit inside a block scalar as text.
        parse_documents(text).map_err(|error| error.to_string())?
    };
    match documents.len() {
        0 => Ok(None),
        1 => Ok(documents.into_iter().next()),
        count => Err(format!(
            "the {what} has {count} documents; write one (without `---` between parts)"
        )),
    }
}

/// An RFC 6902 patch: a list of operations, each with a known `op`, a `path` that is a JSON
/// pointer, and the `value` or `from` its op needs. Operations are numbered from 1.
fn check_json_patch(patch: &Value) -> Result<(), String> {
    let Value::Array(operations) = patch else {
        return Err(format!(
            "a JSON patch is a list of operations ({{op, path, value}}), found {}",
            type_name(patch)
        ));
    };
    if operations.len() > MAX_JSON_PATCH_OPERATIONS {
        return Err(format!(
            "the JSON patch has {} operations; the API server accepts at most {MAX_JSON_PATCH_OPERATIONS}",
            operations.len()
        ));
    }
    let known = JSON_PATCH_OPS.join(", ");
    for (index, operation) in operations.iter().enumerate() {
        let number = index + 1;
        let Value::Object(fields) = operation else {
            return Err(format!(
                "operation {number}: expected an object with \"op\" and \"path\", found {}",
                type_name(operation)
            ));
        };
        let op = match fields.get("op") {
            None | Some(Value::Null) => {
                return Err(format!(
                    "operation {number}: \"op\" is missing (one of {known})"
                ));
            }
            Some(Value::String(op)) if JSON_PATCH_OPS.contains(&op.as_str()) => op.as_str(),
            Some(Value::String(op)) => {
                return Err(format!(
                    "operation {number}: \"op\": \"{op}\" is not one of {known}"
                ));
            }
            Some(other) => {
                return Err(format!(
                    "operation {number}: \"op\" must be a string, found {}",
                    type_name(other)
                ));
            }
        };
        check_pointer(number, fields, "path", op)?;
        if matches!(op, "move" | "copy") {
            check_pointer(number, fields, "from", op)?;
        }
        if matches!(op, "add" | "replace" | "test") && !fields.contains_key("value") {
            return Err(format!("operation {number}: \"{op}\" needs a \"value\""));
        }
    }
    Ok(())
}

/// `fields[name]` is an RFC 6901 JSON pointer: empty, or `/` and reference tokens in which `~`
/// is only ever `~0` or `~1`.
fn check_pointer(
    number: usize,
    fields: &Map<String, Value>,
    name: &str,
    op: &str,
) -> Result<(), String> {
    let pointer = match fields.get(name) {
        None | Some(Value::Null) => {
            return Err(format!("operation {number}: \"{op}\" needs a \"{name}\""));
        }
        Some(Value::String(pointer)) => pointer,
        Some(other) => {
            return Err(format!(
                "operation {number}: \"{name}\" must be a string, found {}",
                type_name(other)
            ));
        }
    };
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!(
            "operation {number}: \"{name}\": \"{pointer}\" is not a JSON pointer: it must start with \"/\" (as /spec/replicas)"
        ));
    }
    let mut rest = pointer.as_str();
    while let Some(at) = rest.find('~') {
        rest = &rest[at + 1..];
        if !(rest.starts_with('0') || rest.starts_with('1')) {
            return Err(format!(
                "operation {number}: \"{name}\": \"{pointer}\" is not a JSON pointer: \"~\" must be followed by 0 or 1 (~1 is \"/\", ~0 is \"~\")"
            ));
        }
    }
    Ok(())
}

/// The strategic merge directives in `value` have values the API server knows: `$patch` is
/// replace, delete or merge; `$retainKeys`, `$setElementOrder/…` and
/// `$deleteFromPrimitiveList/…` are lists. `path` is where `value` sits, for the message.
fn check_directives(value: &Value, path: &mut String) -> Result<(), String> {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!("{path}: ")
                };
                if key == "$patch" {
                    match field.as_str() {
                        Some("replace" | "delete" | "merge") => {}
                        Some(other) => {
                            return Err(format!(
                                "{at}\"$patch\": \"{other}\" is not one of replace, delete, merge"
                            ));
                        }
                        None => {
                            return Err(format!(
                                "{at}\"$patch\" must be replace, delete or merge, found {}",
                                type_name(field)
                            ));
                        }
                    }
                } else if (key == "$retainKeys"
                    || key.starts_with("$setElementOrder/")
                    || key.starts_with("$deleteFromPrimitiveList/"))
                    && !field.is_array()
                {
                    return Err(format!(
                        "{at}\"{key}\" must be a list, found {}",
                        type_name(field)
                    ));
                }
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                check_directives(field, path)?;
                path.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                check_directives(item, path)?;
                path.truncate(length);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The commented text an editor opens with to write a patch of `patch_type` for `object`: what
/// the type does, and an example with the object's own paths and current values (so that
/// uncommenting it sends no change until a value is edited). Every line starts with `#`, so the
/// text as it is parses as no patch at all.
pub fn template(patch_type: PatchType, object: &Value) -> String {
    let facts = ExampleFacts::of(object);
    let mut out = String::new();
    let mut line = |text: &str| {
        if text.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(text);
            out.push('\n');
        }
    };
    line(&format!(
        "{} for {}.",
        capitalised(type_noun(patch_type)),
        describe_object(object)
    ));
    match patch_type {
        PatchType::StrategicMerge => {
            line("Write only the fields to change, as YAML or JSON. Lines starting with '#' are");
            line("ignored; a file with nothing else sends nothing.");
            line("");
            line("Maps merge field by field; a field set to null is removed.");
            line("Lists of keyed items merge item by item on their merge key (containers, env and");
            line(
                "volumes by name, a container's ports by containerPort, ...): list only the items",
            );
            line("you change, each with its key. Any other list is replaced whole.");
            line("To remove an item from a merged list, name it and add $patch: delete, e.g.");
            if let Some(container) = &facts.container {
                line(&format!(
                    "  {{{}: [{{name: {}, $patch: delete}}]{}",
                    container.path.join(": {"),
                    plain_or_quoted(&container.name),
                    "}".repeat(container.path.len())
                ));
            } else {
                line(
                    "  {spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}}",
                );
            }
            line("To replace a map or a merged list whole instead, add $patch: replace to it.");
        }
        PatchType::Merge => {
            line("Write only the fields to change, as YAML or JSON. Lines starting with '#' are");
            line("ignored; a file with nothing else sends nothing.");
            line("");
            line("Maps merge field by field; a field set to null is removed.");
            line("A list is replaced whole: write every item it should keep. (A strategic merge");
            line("or JSON patch can change one item of a list; custom resources take only merge");
            line("and JSON patches.)");
        }
        PatchType::Json => {
            line(
                "Write a list of operations, as JSON or YAML, applied in order and all or nothing.",
            );
            line("Lines starting with '#' are ignored; a file with nothing else sends nothing.");
            line("");
            line(&format!(
                "op is one of {}; path (and from, for",
                JSON_PATCH_OPS.join(", ")
            ));
            line("move and copy) is a JSON pointer: /spec/replicas, list items by index");
            line("(/spec/template/spec/containers/0), \"-\" to append, ~1 for a '/' in a key.");
            line(
                "add, replace and test need a value. A test that does not match refuses the whole",
            );
            line("patch, which guards against a change made meanwhile.");
        }
    }
    line("");
    if facts.invents_a_label(patch_type) {
        line("Example (write your own values, then remove the '# ' before each line):");
    } else {
        line("Example (the current values: change them, then remove the '# ' before each line):");
    }
    for example in example_lines(patch_type, &facts) {
        line(&example);
    }
    out
}

/// The text `kubectl edit` opens for `object`: its header, then the object as YAML without
/// managedFields (kubectl hides them too).
pub fn edit_text(object: &Value) -> String {
    let mut object = object.clone();
    strip_managed_fields(&mut object);
    // A Secret's last-applied copy carries its values, `stringData` in plain text: it is not
    // shown, and the edit leaves it as it is (see `edit_to_patch`).
    if is_secret(&object) {
        take_last_applied(&mut object);
    }
    let yaml = super::yaml::to_string(&object);
    format!("{EDIT_HEADER}{yaml}")
}

/// The patch `kubectl edit` sends for an object edited as `edited_text`: a strategic merge patch
/// of what changed for a built-in kind, a merge patch for a custom resource. `None` when nothing
/// changed, or when the text was emptied (kubectl cancels the edit both times).
///
/// Changing apiVersion, kind or name is refused with kubectl's message, and so is moving the
/// object to another namespace (an emptied namespace means the original one, as for kubectl).
/// Status changes are kept: the API server ignores them on the main resource, as it does for
/// kubectl. Unlike kubectl, the patch carries the original `metadata.resourceVersion`, so an
/// object changed meanwhile is refused with 409 rather than overwritten.
pub fn edit_to_patch(
    original: &Value,
    edited_text: &str,
    kind: &str,
    builtin: bool,
) -> Result<Option<(PatchType, Value)>, String> {
    let Some(mut edited) = parse_one_document(edited_text, "edited text")? else {
        return Ok(None);
    };
    if !edited.is_object() {
        return Err(format!(
            "the edited text is {}, not an object",
            type_name(&edited)
        ));
    }
    let mut original = original.clone();
    strip_managed_fields(&mut original);
    strip_managed_fields(&mut edited);
    // The Secret's last-applied copy was left out of the text: it stays as it is.
    if is_secret(&original)
        && let Some(copy) = take_last_applied(&mut original.clone())
        && edited
            .pointer(&format!(
                "/metadata/annotations/{}",
                LAST_APPLIED.replace('/', "~1")
            ))
            .is_none()
        && let Some(metadata) = edited.get_mut("metadata").and_then(Value::as_object_mut)
    {
        let annotations = metadata
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(annotations) = annotations.as_object_mut() {
            annotations.insert(LAST_APPLIED.to_string(), copy);
        }
    }

    let metadata_field = |object: &Value, field: &str| {
        object
            .pointer(&format!("/metadata/{field}"))
            .cloned()
            .unwrap_or(Value::Null)
    };
    if edited.get("apiVersion") != original.get("apiVersion")
        || edited.get("kind") != original.get("kind")
        || metadata_field(&edited, "name") != metadata_field(&original, "name")
    {
        return Err(IDENTITY_CHANGED.to_string());
    }
    if let Some(namespace) = original.pointer("/metadata/namespace").cloned() {
        match metadata_field(&edited, "namespace") {
            Value::Null => edited["metadata"]["namespace"] = namespace,
            Value::String(text) if text.is_empty() => edited["metadata"]["namespace"] = namespace,
            changed if changed != namespace => {
                return Err(format!(
                    "the namespace from the provided object {} does not match the namespace {}",
                    changed, namespace
                ));
            }
            _ => {}
        }
    }
    if let Some(uid) = original.pointer("/metadata/uid")
        && edited.pointer("/metadata/uid") != Some(uid)
    {
        // kubectl finds the original of an edited object by its uid.
        return Err(
            "no original object found for the edited object: its metadata.uid was changed"
                .to_string(),
        );
    }
    if edited == original {
        return Ok(None);
    }

    let (patch_type, mut patch) = if builtin {
        let api_version = original
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let object_kind = ObjectKind::built_in(api_version, kind);
        let patch = create_strategic_merge_patch(&object_kind, &original, &edited)
            .map_err(|error| format!("cannot compute the patch for this edit: {error}"))?;
        (PatchType::StrategicMerge, patch)
    } else {
        (PatchType::Merge, create_merge_patch(&original, &edited))
    };
    if patch.as_object().is_some_and(Map::is_empty) {
        return Ok(None);
    }
    // An edited resourceVersion is the user's precondition; otherwise the one they saw is.
    if let Some(version) = original.pointer("/metadata/resourceVersion")
        && !patch
            .pointer("/metadata/resourceVersion")
            .is_some_and(Value::is_string)
    {
        let metadata = patch
            .as_object_mut()
            .and_then(|patch| {
                patch
                    .entry("metadata")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
            })
            .ok_or("cannot compute the patch for this edit: metadata is not an object")?;
        metadata.insert("resourceVersion".to_string(), version.clone());
    }
    Ok(Some((patch_type, patch)))
}

/// The annotation in which `kubectl apply` keeps a copy of what it applied.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn is_secret(object: &Value) -> bool {
    object.get("kind").and_then(Value::as_str) == Some("Secret")
}

/// Removes the last-applied annotation, and gives it back.
fn take_last_applied(object: &mut Value) -> Option<Value> {
    object
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
        .and_then(|annotations| annotations.remove(LAST_APPLIED))
}

fn strip_managed_fields(object: &mut Value) {
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
}

/// What an example can change on this object, with its current values.
struct ExampleFacts {
    /// `spec.replicas`, when the object has it.
    replicas: Option<Value>,
    /// The first container of the object's pod (template).
    container: Option<ContainerFacts>,
    /// For an object without a pod, the first scalar field of its content (not metadata or
    /// status).
    field: Option<(Vec<String>, Value)>,
    /// The first label, for an object with neither.
    label: Option<(String, Value)>,
}

struct ContainerFacts {
    /// The keys down to the containers list (`spec`, `template`, `spec`, `containers`).
    path: Vec<String>,
    name: String,
    image: Value,
}

/// Where a pod's containers sit in the kinds that hold one: a Pod, a pod template (the
/// workloads), a job template (CronJob).
const CONTAINER_PATHS: [&[&str]; 3] = [
    &["spec", "containers"],
    &["spec", "template", "spec", "containers"],
    &[
        "spec",
        "jobTemplate",
        "spec",
        "template",
        "spec",
        "containers",
    ],
];

impl ExampleFacts {
    fn of(object: &Value) -> ExampleFacts {
        let replicas = object
            .pointer("/spec/replicas")
            .filter(|value| value.is_number())
            .cloned();
        let container = CONTAINER_PATHS.iter().find_map(|path| {
            let pointer: String = path.iter().map(|key| format!("/{key}")).collect();
            let first = object.pointer(&pointer)?.as_array()?.first()?;
            Some(ContainerFacts {
                path: path.iter().map(|key| key.to_string()).collect(),
                name: first.get("name")?.as_str()?.to_string(),
                image: first.get("image").cloned().unwrap_or(Value::Null),
            })
        });
        let field = if replicas.is_none() && container.is_none() {
            object.as_object().and_then(|fields| {
                fields
                    .iter()
                    .filter(|(key, _)| {
                        !matches!(key.as_str(), "apiVersion" | "kind" | "metadata" | "status")
                    })
                    // A Secret's values are never an example.
                    .filter(|(key, _)| {
                        !(is_secret(object) && matches!(key.as_str(), "data" | "stringData"))
                    })
                    .find_map(|(key, value)| first_scalar(value, vec![key.clone()]))
            })
        } else {
            None
        };
        let label = object
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .and_then(|labels| labels.iter().next())
            .map(|(key, value)| (key.clone(), value.clone()));
        ExampleFacts {
            replicas,
            container,
            field,
            label,
        }
    }

    /// Whether the example adds a made-up label, having nothing of the object's own to show.
    fn invents_a_label(&self, patch_type: PatchType) -> bool {
        self.label.is_none()
            && self
                .scalar_changes(patch_type != PatchType::Merge)
                .iter()
                .any(|(path, _)| path.first().is_some_and(|key| key == "metadata"))
    }

    /// The example's changes as (keys, value), besides the container's image when
    /// `with_container` (a merge patch cannot change one item of a list).
    fn scalar_changes(&self, with_container: bool) -> Vec<(Vec<String>, Value)> {
        let mut changes = Vec::new();
        if let Some(replicas) = &self.replicas {
            changes.push((vec!["spec".into(), "replicas".into()], replicas.clone()));
        }
        if changes.is_empty()
            && let Some((path, value)) = &self.field
        {
            changes.push((path.clone(), value.clone()));
        }
        if changes.is_empty() && !(with_container && self.container.is_some()) {
            let (key, value) = self
                .label
                .clone()
                .unwrap_or_else(|| ("example".to_string(), Value::String("value".into())));
            changes.push((vec!["metadata".into(), "labels".into(), key], value));
        }
        changes
    }
}

/// The first scalar beneath `value` (maps only, in key order), with its keys.
fn first_scalar(value: &Value, path: Vec<String>) -> Option<(Vec<String>, Value)> {
    match value {
        Value::Object(fields) => fields.iter().find_map(|(key, value)| {
            let mut path = path.clone();
            path.push(key.clone());
            first_scalar(value, path)
        }),
        Value::Array(_) | Value::Null => None,
        scalar => Some((path, scalar.clone())),
    }
}

/// The example lines (without their `# `) for a patch type.
fn example_lines(patch_type: PatchType, facts: &ExampleFacts) -> Vec<String> {
    if patch_type == PatchType::Json {
        let mut operations = Vec::new();
        for (path, value) in facts.scalar_changes(true) {
            let pointer = pointer_of(&path);
            if facts.label.is_none() && path.first().is_some_and(|key| key == "metadata") {
                // No labels yet: the map itself must be added.
                let mut labels = Map::new();
                labels.insert(path[2].clone(), value.clone());
                operations.push(operation("add", "/metadata/labels", &Value::Object(labels)));
                continue;
            }
            operations.push(operation("test", &pointer, &value));
            operations.push(operation("replace", &pointer, &value));
        }
        if let Some(container) = &facts.container {
            let mut path = container.path.clone();
            path.extend(["0".to_string(), "image".to_string()]);
            operations.push(operation("replace", &pointer_of(&path), &container.image));
        }
        let count = operations.len();
        let mut lines = vec!["[".to_string()];
        for (index, operation) in operations.into_iter().enumerate() {
            let comma = if index + 1 < count { "," } else { "" };
            lines.push(format!("  {operation}{comma}"));
        }
        lines.push("]".to_string());
        return lines;
    }
    let mut example = Value::Object(Map::new());
    let with_container = patch_type == PatchType::StrategicMerge;
    for (path, value) in facts.scalar_changes(with_container) {
        set_path(&mut example, &path, value);
    }
    if with_container && let Some(container) = &facts.container {
        let mut item = Map::new();
        item.insert("name".into(), Value::String(container.name.clone()));
        item.insert("image".into(), container.image.clone());
        set_path(
            &mut example,
            &container.path,
            Value::Array(vec![Value::Object(item)]),
        );
    }
    super::yaml::to_string(&NameFirst(&example))
        .lines()
        .map(str::to_string)
        .collect()
}

/// A value serialized with `name` first in each map (as people write list items), the other
/// keys in their order.
struct NameFirst<'a>(&'a Value);

impl serde::Serialize for NameFirst<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                let mut entries: Vec<_> = fields.iter().collect();
                entries.sort_by_key(|(key, _)| key.as_str() != "name");
                for (key, value) in entries {
                    map.serialize_entry(key, &NameFirst(value))?;
                }
                map.end()
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&NameFirst(item))?;
                }
                seq.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}

fn operation(op: &str, path: &str, value: &Value) -> String {
    format!(
        "{{\"op\": \"{op}\", \"path\": {}, \"value\": {}}}",
        Value::String(path.to_string()),
        value
    )
}

/// The RFC 6901 pointer of a path of keys.
fn pointer_of(path: &[String]) -> String {
    path.iter()
        .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn set_path(target: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut here = target;
    for key in parents {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        here = here
            .as_object_mut()
            .expect("made an object above")
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(map) = here.as_object_mut() {
        map.insert(last.clone(), value);
    }
}

fn plain_or_quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '$'))
        && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '$')
        && !text.contains(": ")
        && !text.ends_with(':')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        Value::String(text.to_string()).to_string()
    }
}

/// `deployment "web" in namespace "shop"`.
fn describe_object(object: &Value) -> String {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("object")
        .to_lowercase();
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
    {
        Some(namespace) if !namespace.is_empty() => {
            format!("{kind} \"{name}\" in namespace \"{namespace}\"")
        }
        _ => format!("{kind} \"{name}\""),
    }
}

fn type_noun(patch_type: PatchType) -> &'static str {
    match patch_type {
        PatchType::Json => "JSON patch",
        PatchType::Merge => "merge patch",
        PatchType::StrategicMerge => "strategic merge patch",
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::strategic_merge::apply_patch;
    use serde_json::json;

    #[test]
    fn a_secrets_values_stay_out_of_templates_and_its_last_applied_copy_out_of_the_edit() {
        let secret = json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "namespace": "shop", "resourceVersion": "7",
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration":
                        "{\"stringData\":{\"password\":\"s3cr3t\"}}",
                    "team": "a"}},
            "type": "Opaque",
            "data": {"password": "czNjcjN0"}
        });
        for patch_type in [PatchType::StrategicMerge, PatchType::Merge, PatchType::Json] {
            let text = template(patch_type, &secret);
            assert!(
                !text.contains("czNjcjN0") && !text.contains("s3cr3t"),
                "{patch_type:?}: {text}"
            );
        }
        let text = edit_text(&secret);
        assert!(
            !text.contains("s3cr3t") && !text.contains("last-applied"),
            "{text}"
        );
        assert_eq!(edit_to_patch(&secret, &text, "Secret", true), Ok(None));
        let edited = text.replace("team: a", "team: b");
        let (_, patch) = edit_to_patch(&secret, &edited, "Secret", true)
            .unwrap()
            .expect("a change");
        assert!(!patch.to_string().contains("last-applied"), "{patch}");
        assert!(patch.to_string().contains("\"team\":\"b\""), "{patch}");
    }

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "name": "web", "namespace": "shop", "uid": "d9c1", "resourceVersion": "41", "generation": 1,
                "labels": {"app": "web"},
                "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1"}]
            },
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [
                        {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]},
                        {"name": "log-shipper", "image": "fluent-bit:3.1"}
                    ]}
                }
            },
            "status": {"replicas": 3, "readyReplicas": 3}
        })
    }

    fn ceph_cluster() -> Value {
        json!({
            "apiVersion": "ceph.rook.io/v1", "kind": "CephCluster",
            "metadata": {"name": "rook-ceph", "namespace": "rook-ceph", "uid": "c3", "resourceVersion": "7"},
            "spec": {"dataDirHostPath": "/var/lib/rook", "mon": {"count": 3}, "cephVersion": {"image": "quay.io/ceph/ceph:v19.2.2"}}
        })
    }

    fn parse_error(patch_type: PatchType, text: &str) -> String {
        parse_patch(patch_type, text).expect_err("the patch is refused")
    }

    #[test]
    fn json_patch_operations_are_checked_one_by_one() {
        let error = |text: &str| parse_error(PatchType::Json, text);
        assert_eq!(
            error(
                r#"[{"op":"replace","path":"/spec/replicas","value":3},{"op":"rep","path":"/spec/replicas","value":4}]"#
            ),
            r#"operation 2: "op": "rep" is not one of add, remove, replace, move, copy, test"#
        );
        assert_eq!(
            error(r#"[{"path":"/spec/replicas","value":3}]"#),
            r#"operation 1: "op" is missing (one of add, remove, replace, move, copy, test)"#
        );
        assert_eq!(
            error(r#"[{"op":3,"path":"/a"}]"#),
            r#"operation 1: "op" must be a string, found a number"#
        );
        assert_eq!(
            error(r#"[{"op":"replace","path":"spec/replicas","value":3}]"#),
            r#"operation 1: "path": "spec/replicas" is not a JSON pointer: it must start with "/" (as /spec/replicas)"#
        );
        assert_eq!(
            error(r#"[{"op":"remove","path":"/metadata/labels/a~2b"}]"#),
            r#"operation 1: "path": "/metadata/labels/a~2b" is not a JSON pointer: "~" must be followed by 0 or 1 (~1 is "/", ~0 is "~")"#
        );
        assert_eq!(
            error(r#"[{"op":"remove"}]"#),
            r#"operation 1: "remove" needs a "path""#
        );
        assert_eq!(
            error(r#"[{"op":"test","path":"/spec/replicas"}]"#),
            r#"operation 1: "test" needs a "value""#
        );
        assert_eq!(
            error(
                r#"[{"op":"remove","path":"/a"},{"op":"remove","path":"/b"},{"op":"move","path":"/a"}]"#
            ),
            r#"operation 3: "move" needs a "from""#
        );
        assert_eq!(
            error(r#"[{"op":"copy","from":"a","path":"/b"}]"#),
            r#"operation 1: "from": "a" is not a JSON pointer: it must start with "/" (as /spec/replicas)"#
        );
        assert_eq!(
            error(r#"["replace"]"#),
            r#"operation 1: expected an object with "op" and "path", found a string"#
        );
        assert_eq!(
            error(r#"{"spec":{"replicas":3}}"#),
            "a JSON patch is a list of operations ({op, path, value}), found an object"
        );
        // A null value is a value; `~0`, `~1` and the root pointer are pointers.
        let valid = r#"[{"op":"add","path":"/metadata/labels/a~1b~0c","value":null},{"op":"test","path":"","value":{}}]"#;
        assert!(parse_patch(PatchType::Json, valid).unwrap().is_some());
        assert_eq!(parse_patch(PatchType::Json, "[]").unwrap(), Some(json!([])));
    }

    #[test]
    fn yaml_json_and_comments_are_read_as_kubectl_reads_a_patch() {
        let expected = json!({"spec": {"replicas": 3}});
        for text in [
            "spec:\n  replicas: 3 # three\n",
            "# a comment\n{\"spec\": {\"replicas\": 3}}\n",
            "{\"spec\":\n# between lines of JSON\n  {\"replicas\": 3}}",
            "{spec: {replicas: 3}}",
            "---\nspec:\n  replicas: 3\n",
        ] {
            for patch_type in [PatchType::Merge, PatchType::StrategicMerge] {
                assert_eq!(
                    parse_patch(patch_type, text).unwrap(),
                    Some(expected.clone()),
                    "{text}"
                );
            }
        }
        let json_patch = "# replace\n- op: replace\n  path: /spec/replicas\n  value: 3\n";
        assert_eq!(
            parse_patch(PatchType::Json, json_patch).unwrap(),
            Some(json!([{"op": "replace", "path": "/spec/replicas", "value": 3}]))
        );
        // A comment-like line inside a block scalar is text, kept.
        let script = "data:\n  run.sh: |\n    #!/bin/sh\n    # says hello\n    echo hello\n";
        assert_eq!(
            parse_patch(PatchType::StrategicMerge, script).unwrap(),
            Some(json!({"data": {"run.sh": "#!/bin/sh\n# says hello\necho hello\n"}}))
        );
        // Nothing but comments (an untouched template) is no patch.
        assert_eq!(
            parse_patch(PatchType::Merge, "# nothing\n\n  # at all\n").unwrap(),
            None
        );
        assert_eq!(parse_patch(PatchType::Json, "").unwrap(), None);
    }

    #[test]
    fn merge_patches_are_objects_with_known_directives() {
        assert_eq!(
            parse_error(PatchType::Merge, "- a\n- b\n"),
            "a merge patch is an object of the fields to change, found a list"
        );
        assert_eq!(
            parse_error(PatchType::StrategicMerge, "3"),
            "a strategic merge patch is an object of the fields to change, found a number"
        );
        assert_eq!(
            parse_error(
                PatchType::StrategicMerge,
                "spec:\n  template:\n    spec:\n      containers:\n      - name: nginx\n        $patch: remove\n"
            ),
            r#"spec.template.spec.containers[0]: "$patch": "remove" is not one of replace, delete, merge"#
        );
        assert_eq!(
            parse_error(PatchType::StrategicMerge, "$patch: 1\n"),
            r#""$patch" must be replace, delete or merge, found a number"#
        );
        assert_eq!(
            parse_error(
                PatchType::StrategicMerge,
                "spec:\n  $setElementOrder/containers: nginx\n"
            ),
            r#"spec: "$setElementOrder/containers" must be a list, found a string"#
        );
        assert_eq!(
            parse_error(PatchType::Merge, "a: 1\n---\nb: 2\n"),
            "the patch has 2 documents; write one (without `---` between parts)"
        );
        let yaml = parse_error(PatchType::Merge, "spec: [unclosed\n");
        assert!(
            yaml.starts_with("not valid YAML: ") && !yaml.contains('\n'),
            "{yaml}"
        );
        let json = parse_error(PatchType::Merge, "{\"spec\": {\"replicas\": 3}");
        assert!(
            json.starts_with("not valid JSON: ") && !json.contains('\n'),
            "{json}"
        );
        // What YAML reads (a trailing comma in a flow map) is accepted, as kubectl's -p is.
        assert_eq!(
            parse_patch(PatchType::Merge, "{\"spec\": {\"replicas\": 3,}}").unwrap(),
            Some(json!({"spec": {"replicas": 3}}))
        );
    }

    #[test]
    fn the_default_patch_type_is_strategic_for_built_in_kinds_only() {
        assert_eq!(default_patch_type("", false), PatchType::StrategicMerge);
        assert_eq!(default_patch_type("apps", false), PatchType::StrategicMerge);
        assert_eq!(default_patch_type("ceph.rook.io", true), PatchType::Merge);
        assert_eq!(default_patch_type("apps", true), PatchType::Merge);
        // An aggregated API's group is not one the API server serves itself.
        assert_eq!(
            default_patch_type("metrics.k8s.io", false),
            PatchType::Merge
        );
    }

    /// The template with its example uncommented: every line after the "Example" line loses
    /// its "# ".
    fn uncommented_example(template: &str) -> String {
        let mut lines = template.lines();
        for line in lines.by_ref() {
            if line.starts_with("# Example") {
                break;
            }
        }
        lines
            .map(|line| format!("{}\n", line.strip_prefix("# ").expect("an example line")))
            .collect()
    }

    #[test]
    fn the_strategic_template_of_a_deployment_names_its_container() {
        let text = template(PatchType::StrategicMerge, &deployment());
        assert_eq!(
            text,
            "\
# Strategic merge patch for deployment \"web\" in namespace \"shop\".
# Write only the fields to change, as YAML or JSON. Lines starting with '#' are
# ignored; a file with nothing else sends nothing.
#
# Maps merge field by field; a field set to null is removed.
# Lists of keyed items merge item by item on their merge key (containers, env and
# volumes by name, a container's ports by containerPort, ...): list only the items
# you change, each with its key. Any other list is replaced whole.
# To remove an item from a merged list, name it and add $patch: delete, e.g.
#   {spec: {template: {spec: {containers: [{name: nginx, $patch: delete}]}}}}
# To replace a map or a merged list whole instead, add $patch: replace to it.
#
# Example (the current values: change them, then remove the '# ' before each line):
# spec:
#   replicas: 3
#   template:
#     spec:
#       containers:
#       - name: nginx
#         image: nginx:1.27
"
        );
        let example = uncommented_example(&text);
        assert_eq!(
            parse_patch(PatchType::StrategicMerge, &example).unwrap(),
            Some(
                json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}})
            )
        );
        // The delete example in the explanation is a valid patch too.
        let delete = text
            .lines()
            .find(|line| line.contains("$patch: delete}"))
            .unwrap()
            .trim_start_matches('#')
            .trim();
        let delete = parse_patch(PatchType::StrategicMerge, delete)
            .unwrap()
            .unwrap();
        let kind = ObjectKind::new("apps/v1", "Deployment");
        let patched = apply_patch(
            &kind,
            &deployment(),
            PatchType::StrategicMerge,
            delete.to_string().as_bytes(),
        )
        .unwrap();
        assert_eq!(
            patched["spec"]["template"]["spec"]["containers"],
            json!([{"name": "log-shipper", "image": "fluent-bit:3.1"}])
        );
    }

    #[test]
    fn the_json_patch_template_uses_the_objects_paths() {
        let text = template(PatchType::Json, &deployment());
        let example = uncommented_example(&text);
        assert_eq!(
            example,
            "\
[
  {\"op\": \"test\", \"path\": \"/spec/replicas\", \"value\": 3},
  {\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3},
  {\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\": \"nginx:1.27\"}
]
"
        );
        assert!(text.lines().all(|line| line.starts_with('#')), "{text}");
    }

    /// Every template parses as no patch as it is, and its uncommented example is a valid patch
    /// that changes nothing until a value is edited.
    #[test]
    fn templates_parse_back_and_their_examples_change_nothing() {
        let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "shop", "labels": {"app.kubernetes.io/name": "shop"}}, "data": {"LOG_LEVEL": "info"}});
        let bare = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder", "namespace": "ci"}});
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "d", "labels": {"run": "p"}}, "spec": {"containers": [{"name": "main", "image": "busybox"}], "dnsPolicy": "ClusterFirst"}});
        let cron = json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "namespace": "d"}, "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "tick", "image": "busybox:1.36"}]}}}}}});
        let cases = [
            (deployment(), true),
            (ceph_cluster(), false),
            (config_map, true),
            (bare, true),
            (pod, true),
            (cron, true),
        ];
        for (object, builtin) in cases {
            let api_version = object["apiVersion"].as_str().unwrap();
            let kind_name = object["kind"].as_str().unwrap();
            let kind = if builtin {
                ObjectKind::built_in(api_version, kind_name)
            } else {
                ObjectKind::custom(api_version, kind_name)
            };
            let types: &[PatchType] = if builtin {
                &[PatchType::StrategicMerge, PatchType::Merge, PatchType::Json]
            } else {
                &[PatchType::Merge, PatchType::Json]
            };
            for &patch_type in types {
                let text = template(patch_type, &object);
                assert_eq!(parse_patch(patch_type, &text).unwrap(), None, "{text}");
                let example = uncommented_example(&text);
                let patch = parse_patch(patch_type, &example)
                    .unwrap_or_else(|error| panic!("{error}\n{example}"))
                    .unwrap_or_else(|| panic!("no example in\n{text}"));
                assert!(patch != json!({}) && patch != json!([]), "{text}");
                let patched = apply_patch(&kind, &object, patch_type, patch.to_string().as_bytes())
                    .unwrap_or_else(|error| panic!("{error}\n{example}"));
                // Only an object without labels gets one added, as its example.
                let mut expected = object.clone();
                if object.pointer("/metadata/labels").is_none()
                    && patched.pointer("/metadata/labels").is_some()
                {
                    expected["metadata"]["labels"] = json!({"example": "value"});
                }
                assert_eq!(patched, expected, "{kind_name} {patch_type:?}:\n{example}");
            }
        }
        let ceph = template(PatchType::Merge, &ceph_cluster());
        assert!(
            ceph.contains("#   cephVersion:\n#     image: quay.io/ceph/ceph:v19.2.2\n"),
            "{ceph}"
        );
        let merge = template(PatchType::Merge, &deployment());
        assert!(
            !merge.contains("containers:\n"),
            "a merge patch would replace the list:\n{merge}"
        );
    }

    fn edited(change: impl FnOnce(&mut Value)) -> String {
        let mut object = deployment();
        change(&mut object);
        edit_text(&object)
    }

    #[test]
    fn an_edit_sends_the_strategic_merge_patch_of_what_changed() {
        let text = edited(|object| {
            object["spec"]["replicas"] = json!(5);
            object["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        });
        assert!(
            text.starts_with(EDIT_HEADER) && !text.contains("managedFields"),
            "{text}"
        );
        let (patch_type, patch) = edit_to_patch(&deployment(), &text, "Deployment", true)
            .unwrap()
            .expect("a patch");
        assert_eq!(patch_type, PatchType::StrategicMerge);
        assert_eq!(
            patch,
            json!({
                "metadata": {"resourceVersion": "41"},
                "spec": {"replicas": 5, "template": {"spec": {
                    "$setElementOrder/containers": [{"name": "nginx"}, {"name": "log-shipper"}],
                    "containers": [{"image": "nginx:1.28", "name": "nginx"}]
                }}}
            })
        );
        // The same patch kubectl edit computes (CreateTwoWayMergePatch), plus the precondition.
        let mut original = deployment();
        original["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("managedFields");
        let modified = parse_documents(&text).unwrap().remove(0);
        let mut expected = create_strategic_merge_patch(
            &ObjectKind::new("apps/v1", "Deployment"),
            &original,
            &modified,
        )
        .unwrap();
        expected["metadata"] = json!({"resourceVersion": "41"});
        assert_eq!(patch, expected);
        // Applied, it gives the edited object (managedFields kept, as the server keeps them).
        let patched = apply_patch(
            &ObjectKind::new("apps/v1", "Deployment"),
            &deployment(),
            patch_type,
            patch.to_string().as_bytes(),
        )
        .unwrap();
        assert_eq!(patched["spec"]["replicas"], 5);
        assert_eq!(
            patched["spec"]["template"]["spec"]["containers"][0]["image"],
            "nginx:1.28"
        );
        assert_eq!(
            patched["spec"]["template"]["spec"]["containers"][1]["name"],
            "log-shipper"
        );
    }

    #[test]
    fn an_edit_of_a_custom_resource_sends_a_merge_patch() {
        let mut object = ceph_cluster();
        object["spec"]["mon"]["count"] = json!(5);
        object["spec"]
            .as_object_mut()
            .unwrap()
            .remove("dataDirHostPath");
        let result =
            edit_to_patch(&ceph_cluster(), &edit_text(&object), "CephCluster", false).unwrap();
        assert_eq!(
            result,
            Some((
                PatchType::Merge,
                json!({"metadata": {"resourceVersion": "7"}, "spec": {"dataDirHostPath": null, "mon": {"count": 5}}})
            ))
        );
    }

    #[test]
    fn an_edit_cannot_change_what_identifies_the_object() {
        let refused = |change: fn(&mut Value)| {
            edit_to_patch(&deployment(), &edited(change), "Deployment", true).unwrap_err()
        };
        assert_eq!(
            refused(|o| o["metadata"]["name"] = json!("web2")),
            IDENTITY_CHANGED
        );
        assert_eq!(
            refused(|o| o["kind"] = json!("StatefulSet")),
            IDENTITY_CHANGED
        );
        assert_eq!(
            refused(|o| o["apiVersion"] = json!("apps/v1beta2")),
            IDENTITY_CHANGED
        );
        assert_eq!(
            refused(|o| {
                o.as_object_mut().unwrap().remove("apiVersion");
            }),
            IDENTITY_CHANGED
        );
        assert_eq!(
            refused(|o| o["metadata"]["namespace"] = json!("other")),
            r#"the namespace from the provided object "other" does not match the namespace "shop""#
        );
        assert_eq!(
            refused(|o| o["metadata"]["uid"] = json!("x")),
            "no original object found for the edited object: its metadata.uid was changed"
        );
        let custom = ceph_cluster();
        let mut renamed = custom.clone();
        renamed["metadata"]["name"] = json!("other");
        assert_eq!(
            edit_to_patch(&custom, &edit_text(&renamed), "CephCluster", false).unwrap_err(),
            IDENTITY_CHANGED
        );
        let error = edit_to_patch(&deployment(), "- a list\n", "Deployment", true).unwrap_err();
        assert_eq!(error, "the edited text is a list, not an object");
    }

    #[test]
    fn an_edit_that_changes_nothing_is_cancelled() {
        let untouched = edit_text(&deployment());
        assert_eq!(
            edit_to_patch(&deployment(), &untouched, "Deployment", true),
            Ok(None)
        );
        let recommented = untouched.replace(EDIT_HEADER, "# my own comment\n");
        assert_eq!(
            edit_to_patch(&deployment(), &recommented, "Deployment", true),
            Ok(None)
        );
        // An emptied file cancels too, as does one that is only comments.
        assert_eq!(
            edit_to_patch(&deployment(), "", "Deployment", true),
            Ok(None)
        );
        assert_eq!(
            edit_to_patch(&deployment(), EDIT_HEADER, "Deployment", true),
            Ok(None)
        );
        // An emptied namespace is the original one, as kubectl fills it in.
        let no_namespace = edited(|o| {
            o["metadata"].as_object_mut().unwrap().remove("namespace");
        });
        assert_eq!(
            edit_to_patch(&deployment(), &no_namespace, "Deployment", true),
            Ok(None)
        );
        // The managedFields shown or not make no change.
        let mut with_fields = deployment();
        with_fields["metadata"]["managedFields"] = json!([{"manager": "someone-else"}]);
        let shown = format!(
            "{EDIT_HEADER}{}",
            serde_saphyr::to_string(&with_fields).unwrap()
        );
        assert_eq!(
            edit_to_patch(&deployment(), &shown, "Deployment", true),
            Ok(None)
        );
        assert_eq!(EDIT_CANCELLED, "Edit cancelled, no changes made.");
    }

    /// Strings that YAML could read as something else survive the trip through the editor, so an
    /// untouched edit stays no change.
    #[test]
    fn the_edit_text_reads_back_as_the_same_object() {
        let mut object = deployment();
        object["metadata"]["annotations"] = json!({
            "octal": "0644", "exp": "1e3", "bool": "true", "yes": "yes", "null": "null", "tilde": "~",
            "empty": "", "time": "12:30", "lines": "one\ntwo\n", "lead": " x", "trail": "x ",
            "hash": "# not a comment", "colon": "a: b", "quote": "'\"", "unicode": "héllo ✓",
            "float": "1.0", "hex": "0x1F", "dash": "-", "brace": "{a}", "number": "12"
        });
        object["spec"]["progressDeadlineSeconds"] = json!(600);
        object["spec"]["ratio"] = json!(0.5);
        object["spec"]["whole"] = json!(1.0);
        object["spec"]["paused"] = json!(false);
        object["spec"]["nothing"] = json!(null);
        let text = edit_text(&object);
        assert_eq!(
            edit_to_patch(&object, &text, "Deployment", true),
            Ok(None),
            "{text}"
        );
    }
}
