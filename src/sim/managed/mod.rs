//! Field managers, as the API server keeps them in `metadata.managedFields`: who set each field
//! of an object, by an update (a create, PUT or patch: the fields it changed) or by a
//! server-side apply (the fields its configuration names). An apply sets what it names, takes
//! out what the same manager applied before and no longer names (when nobody else owns it),
//! and is refused with a 409 naming each field another manager set to another value, unless
//! forced, which takes those fields over.

mod paths;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::query::Query;
use super::resource::ResourceType;
use crate::model::strategic_merge::PatchTags;
use crate::sim::pointer::Pointer;
use paths::{Path, display, fields_of, from_tree, is_leaf, remove_at, to_tree, value_at};

/// One entry of `metadata.managedFields`.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    manager: String,
    /// `Apply` or `Update`.
    operation: String,
    api_version: String,
    time: Value,
    subresource: Option<String>,
    fields: BTreeSet<Path>,
}

impl Entry {
    fn read(value: &Value) -> Option<Entry> {
        Some(Entry {
            manager: value.get("manager")?.as_str()?.to_string(),
            operation: value.get("operation")?.as_str()?.to_string(),
            api_version: value
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            time: value.get("time").cloned().unwrap_or(Value::Null),
            subresource: value
                .get("subresource")
                .and_then(Value::as_str)
                .map(str::to_string),
            fields: value.get("fieldsV1").map(from_tree).unwrap_or_default(),
        })
    }

    fn write(&self) -> Value {
        let mut entry = Map::new();
        entry.insert("manager".into(), json!(self.manager));
        entry.insert("operation".into(), json!(self.operation));
        entry.insert("apiVersion".into(), json!(self.api_version));
        if !self.time.is_null() {
            entry.insert("time".into(), self.time.clone());
        }
        entry.insert("fieldsType".into(), json!("FieldsV1"));
        entry.insert("fieldsV1".into(), to_tree(&self.fields));
        if let Some(subresource) = &self.subresource {
            entry.insert("subresource".into(), json!(subresource));
        }
        Value::Object(entry)
    }

    /// How conflicts name it: an applier by name, an updater with the version it wrote.
    fn named(&self) -> String {
        let mut name = format!("{:?}", self.manager);
        if let Some(subresource) = &self.subresource {
            name.push_str(&format!(" with subresource {subresource:?}"));
        }
        if self.operation == "Update" {
            name.push_str(&format!(" using {}", self.api_version));
        }
        name
    }

    fn is(&self, manager: &str, operation: &str) -> bool {
        self.manager == manager && self.operation == operation && self.subresource.is_none()
    }
}

fn entries_of(object: &Value) -> Vec<Entry> {
    object
        .at("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|entries| entries.iter().filter_map(Entry::read).collect())
        .unwrap_or_default()
}

fn set_entries(object: &mut Value, entries: &[Entry]) {
    let written: Vec<Value> = entries
        .iter()
        .filter(|e| !e.fields.is_empty())
        .map(Entry::write)
        .collect();
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        if written.is_empty() {
            metadata.remove("managedFields");
        } else {
            metadata.insert("managedFields".into(), Value::Array(written));
        }
    }
}

fn tags_of(resource: &ResourceType) -> PatchTags {
    PatchTags::of_kind(resource.group, resource.kind)
}

/// Who writes: the `fieldManager` asked for, else the client's name from its User-Agent (up to
/// the first `/`), as the API server names a manager nobody named.
pub fn manager_of(query: &Query) -> String {
    if let Some(manager) = query.raw.get("fieldManager").filter(|m| !m.is_empty()) {
        return manager.clone();
    }
    query
        .user_agent
        .as_deref()
        .and_then(|agent| agent.split('/').next())
        .filter(|name| !name.is_empty())
        .unwrap_or("unknown")
        .to_string()
}

/// Records an update by `manager` that turned `before` (none for a create) into `object`: the
/// fields it changed become its own and no longer anyone else's; fields it took out are no
/// longer anyone's. The client's own `managedFields` are not taken: they are the server's.
pub fn record_update(
    object: &mut Value,
    before: Option<&Value>,
    manager: &str,
    resource: &ResourceType,
    now: &str,
) {
    let tags = tags_of(resource);
    let after = fields_of(object, tags);
    let (mut entries, previous) = match before {
        Some(before) => (entries_of(before), fields_of(before, tags)),
        None => (Vec::new(), BTreeSet::new()),
    };
    let changed: BTreeSet<Path> = after
        .iter()
        .filter(|path| {
            !previous.contains(*path)
                || (is_leaf(&after, path)
                    && before.and_then(|b| value_at(b, path)) != value_at(object, path))
        })
        .cloned()
        .collect();
    let removed: BTreeSet<Path> = previous.difference(&after).cloned().collect();
    if changed.is_empty() && removed.is_empty() {
        set_entries(object, &entries);
        return;
    }
    for entry in &mut entries {
        entry.fields.retain(|path| !removed.contains(path));
        if !entry.is(manager, "Update") {
            entry.fields.retain(|path| !changed.contains(path));
        }
    }
    let api_version = resource.api_version();
    match entries.iter_mut().find(|e| e.is(manager, "Update")) {
        Some(entry) => {
            entry.fields.extend(changed);
            entry.time = json!(now);
            entry.api_version = api_version;
        }
        None => entries.push(Entry {
            manager: manager.to_string(),
            operation: "Update".into(),
            api_version,
            time: json!(now),
            subresource: None,
            fields: changed,
        }),
    }
    set_entries(object, &entries);
}

/// A server-side apply of `applied` by `manager` to `live` (none when the object does not exist
/// yet): the object to store, with its managed fields.
pub fn apply(
    live: Option<&Value>,
    applied: &Value,
    manager: &str,
    force: bool,
    resource: &ResourceType,
    now: &str,
) -> Result<Value, ApiError> {
    let tags = tags_of(resource);
    let applying = fields_of(applied, tags);
    let entry = Entry {
        manager: manager.to_string(),
        operation: "Apply".into(),
        api_version: resource.api_version(),
        time: json!(now),
        subresource: None,
        fields: applying.clone(),
    };
    let Some(live) = live else {
        let mut object = applied.clone();
        set_entries(&mut object, &[entry]);
        return Ok(object);
    };
    let mut entries = entries_of(live);
    // Fields another manager set to something else are conflicts, unless forced.
    let mut conflicts: Vec<(String, Path)> = Vec::new();
    for other in entries.iter_mut().filter(|e| !e.is(manager, "Apply")) {
        let contested: Vec<Path> = applying
            .iter()
            .filter(|path| {
                other.fields.contains(*path)
                    && is_leaf(&applying, path)
                    && value_at(live, path) != value_at(applied, path)
            })
            .cloned()
            .collect();
        if force {
            other.fields.retain(|path| !contested.contains(path));
        } else {
            conflicts.extend(contested.into_iter().map(|p| (other.named(), p)));
        }
    }
    if !conflicts.is_empty() {
        return Err(conflict_error(conflicts));
    }
    let mut object = live.clone();
    merge_into(&mut object, applied, tags, true);
    // What this manager applied before and no longer names goes, unless another owns it.
    let before: BTreeSet<Path> = entries
        .iter()
        .find(|e| e.is(manager, "Apply"))
        .map(|e| e.fields.clone())
        .unwrap_or_default();
    let others: Vec<&BTreeSet<Path>> = entries
        .iter()
        .filter(|e| !e.is(manager, "Apply"))
        .map(|e| &e.fields)
        .collect();
    // An item goes with its fields: a field under one already taken out is not looked for.
    let mut taken: Vec<&Path> = Vec::new();
    for path in before.difference(&applying) {
        if taken.iter().any(|t| path.starts_with(t)) {
            continue;
        }
        let owned_elsewhere = others
            .iter()
            .any(|fields| fields.iter().any(|owned| owned.starts_with(path)));
        if !owned_elsewhere && remove_at(&mut object, path) {
            taken.push(path);
            prune_empty(&mut object, &path[..path.len() - 1], &others, &applying);
        }
    }
    match entries.iter_mut().find(|e| e.is(manager, "Apply")) {
        Some(existing) => *existing = entry,
        None => entries.push(entry),
    }
    set_entries(&mut object, &entries);
    Ok(object)
}

/// Takes out the list or map at `path` (and the ones holding it) when a removal left it
/// empty and nobody owns it.
fn prune_empty(
    object: &mut Value,
    path: &[String],
    others: &[&BTreeSet<Path>],
    applying: &BTreeSet<Path>,
) {
    let mut path = path.to_vec();
    while !path.is_empty() {
        let empty = match value_at(object, &path) {
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Object(map)) => map.is_empty(),
            _ => false,
        };
        let owned = applying.contains(&path) || others.iter().any(|f| f.contains(&path));
        if !empty || owned || !remove_at(object, &path) {
            return;
        }
        path.pop();
    }
}

/// Merges the applied configuration into the object: objects field by field, lists merged by
/// key item by item, sets value by value, anything else replaced.
fn merge_into(object: &mut Value, applied: &Value, tags: PatchTags, root: bool) {
    let (Some(target), Some(source)) = (object.as_object_mut(), applied.as_object()) else {
        *object = applied.clone();
        return;
    };
    for (key, value) in source {
        if root && key == "status" {
            continue;
        }
        if root && key == "metadata" {
            // Identity and the server's own fields are not the applier's.
            let mut metadata = value.clone();
            if let Some(map) = metadata.as_object_mut() {
                map.retain(|k, _| {
                    !matches!(
                        k.as_str(),
                        "uid"
                            | "resourceVersion"
                            | "generation"
                            | "creationTimestamp"
                            | "managedFields"
                            | "deletionTimestamp"
                    )
                });
            }
            let field = tags.field(key);
            merge_into(
                target.entry(key.clone()).or_insert_with(|| json!({})),
                &metadata,
                field.inner,
                false,
            );
            continue;
        }
        let field = tags.field(key);
        let existing = target.entry(key.clone()).or_insert(Value::Null);
        match (existing, value) {
            (existing @ Value::Object(_), Value::Object(inner))
                if !inner.is_empty() && key != "selector" =>
            {
                merge_into(existing, value, field.inner, false);
            }
            (Value::Array(items), Value::Array(incoming)) if field.merge_key.is_some() => {
                let keys =
                    crate::model::strategic_merge::list_map_keys(field.merge_key.expect("checked"));
                for item in incoming {
                    let key = paths::key_of(item, &keys);
                    match items
                        .iter_mut()
                        .find(|i| key.is_some() && paths::key_of(i, &keys) == key)
                    {
                        Some(current) => merge_into(current, item, field.inner, false),
                        None => items.push(item.clone()),
                    }
                }
            }
            (Value::Array(items), Value::Array(incoming))
                if field.strategy.is_some_and(|s| s.starts_with("merge"))
                    && incoming.iter().all(|i| !i.is_object()) =>
            {
                for item in incoming {
                    if !items.contains(item) {
                        items.push(item.clone());
                    }
                }
            }
            (existing, _) => *existing = value.clone(),
        }
    }
}

/// The API server's 409 for an apply that would overrule other managers.
fn conflict_error(mut conflicts: Vec<(String, Path)>) -> ApiError {
    conflicts.sort();
    let message = if let [(manager, path)] = conflicts.as_slice() {
        format!(
            "Apply failed with 1 conflict: conflict with {manager}: {}",
            display(path)
        )
    } else {
        let mut lines = Vec::new();
        let mut last: Option<&str> = None;
        for (manager, path) in &conflicts {
            if last != Some(manager.as_str()) {
                lines.push(format!("conflicts with {manager}:"));
                last = Some(manager);
            }
            lines.push(format!("- {}", display(path)));
        }
        format!(
            "Apply failed with {} conflicts: {}",
            conflicts.len(),
            lines.join("\n")
        )
    };
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|(manager, path)| {
            json!({
                "reason": "FieldManagerConflict",
                "message": format!("conflict with {manager}"),
                "field": display(path),
            })
        })
        .collect();
    let mut error = ApiError::new(409, "Conflict", message);
    error.details = Some(json!({ "causes": causes }));
    error
}

#[cfg(test)]
mod tests;
