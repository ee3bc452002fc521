//! The fields of an object as server-side apply names them: paths of elements written as
//! `metadata.managedFields[].fieldsV1` writes them (`f:spec`, `k:{"name":"web"}` for an item of
//! a list merged by key, `v:"a"` for a value of a set), the set of them an object holds, the
//! value at one, and the `fieldsV1` tree to and from a set.
//!
//! Which lists are merged by key and which are sets comes from the strategic merge table (the
//! patch tags the OpenAPI documents publish); other lists, selectors and empty objects are
//! atomic: one field. Maps of strings (labels, annotations, data) hold "." for themselves, as
//! list items do, so a manager can own the map apart from its keys.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::model::strategic_merge::PatchTags;

/// One field: its elements from the object's root.
pub type Path = Vec<String>;

/// Fields of an object no manager owns: identity and what the server writes.
const UNOWNED_METADATA: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

/// Fields that are maps of strings: they own themselves besides their keys (".").
const STRING_MAPS: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "data",
    "binaryData",
    "stringData",
    "limits",
    "requests",
];

/// The fields `object` sets, as paths (a list item and a map of strings are fields of their
/// own, besides what they hold). `status` is left out: writes to the object do not own it.
pub fn fields_of(object: &Value, tags: PatchTags) -> BTreeSet<Path> {
    let mut out = BTreeSet::new();
    if let Value::Object(map) = object {
        walk(map, tags, &mut Vec::new(), &mut out, true);
    }
    out
}

fn walk(
    map: &Map<String, Value>,
    tags: PatchTags,
    at: &mut Path,
    out: &mut BTreeSet<Path>,
    root: bool,
) {
    for (key, value) in map {
        if root && matches!(key.as_str(), "apiVersion" | "kind" | "status") {
            continue;
        }
        if at.len() == 1 && at[0] == "f:metadata" && UNOWNED_METADATA.contains(&key.as_str()) {
            continue;
        }
        let field = tags.field(key);
        at.push(format!("f:{key}"));
        match value {
            Value::Object(inner) if !inner.is_empty() && key != "selector" => {
                if STRING_MAPS.contains(&key.as_str()) {
                    out.insert(at.clone());
                }
                walk(inner, field.inner, at, out, false);
            }
            Value::Array(items) if keyed(items, field.merge_key).is_some() => {
                let keys =
                    crate::model::strategic_merge::list_map_keys(field.merge_key.expect("keyed"));
                for item in items {
                    let key = key_of(item, &keys).expect("keyed");
                    at.push(item_element(key));
                    out.insert(at.clone());
                    if let Value::Object(inner) = item {
                        walk(inner, field.inner, at, out, false);
                    }
                    at.pop();
                }
            }
            Value::Array(items) if is_set(items, field.strategy) => {
                for item in items {
                    at.push(value_element(item));
                    out.insert(at.clone());
                    at.pop();
                }
            }
            _ => {
                out.insert(at.clone());
            }
        }
        at.pop();
    }
}

/// The merge key of a list whose items are all objects carrying it.
fn keyed<'a>(items: &[Value], merge_key: Option<&'a str>) -> Option<&'a str> {
    let key = merge_key?;
    items
        .iter()
        .all(|item| item.get(key).is_some())
        .then_some(key)
}

/// An item's key: its value of each of `keys`, a protocol left out read as TCP, as the API
/// server defaults it (None when the item lacks the merge key itself).
pub fn key_of(item: &Value, keys: &[&str]) -> Option<Map<String, Value>> {
    let (first, rest) = keys.split_first()?;
    let mut key = Map::new();
    key.insert((*first).to_string(), item.get(*first)?.clone());
    for field in rest {
        if let Some(value) = field_or_default(item, field) {
            key.insert((*field).to_string(), value);
        }
    }
    Some(key)
}

/// `item[field]`, or the default the API server gives it (a port's protocol).
fn field_or_default(item: &Value, field: &str) -> Option<Value> {
    match item.get(field) {
        Some(value) => Some(value.clone()),
        None if field == "protocol" => Some(Value::String("TCP".into())),
        None => None,
    }
}

/// Whether `item` is the one a `k:` element's key names.
fn has_key(item: &Value, key: &Map<String, Value>) -> bool {
    key.iter()
        .all(|(field, value)| field_or_default(item, field).as_ref() == Some(value))
}

/// A list merged as a set: tagged merge, of scalars.
fn is_set(items: &[Value], strategy: Option<&str>) -> bool {
    strategy.is_some_and(|s| s.starts_with("merge"))
        && items
            .iter()
            .all(|item| !item.is_object() && !item.is_array())
}

/// `k:{"name":"web"}`, `k:{"containerPort":53,"protocol":"UDP"}`: a list item by its key.
pub fn item_element(key: Map<String, Value>) -> String {
    format!("k:{}", Value::Object(key))
}

/// `v:"a"`: a value of a set.
pub fn value_element(value: &Value) -> String {
    format!("v:{value}")
}

/// The value at `path` in `object`, if it is there.
pub fn value_at<'a>(object: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut node = object;
    for element in path {
        node = step(node, element)?;
    }
    Some(node)
}

fn step<'a>(node: &'a Value, element: &str) -> Option<&'a Value> {
    if let Some(key) = element.strip_prefix("f:") {
        return node.get(key);
    }
    let items = node.as_array()?;
    if let Some(key) = element.strip_prefix("k:") {
        let key: Map<String, Value> = serde_json::from_str(key).ok()?;
        return items.iter().find(|item| has_key(item, &key));
    }
    let value: Value = serde_json::from_str(element.strip_prefix("v:")?).ok()?;
    items.iter().find(|item| **item == value)
}

/// Takes the field at `path` out of `object`; true when it was there.
pub fn remove_at(object: &mut Value, path: &[String]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    let mut node = object;
    for element in parent {
        node = match step_mut(node, element) {
            Some(next) => next,
            None => return false,
        };
    }
    if let Some(key) = last.strip_prefix("f:") {
        return node
            .as_object_mut()
            .is_some_and(|map| map.remove(key).is_some());
    }
    let Some(items) = node.as_array_mut() else {
        return false;
    };
    let before = items.len();
    if let Some(key) = last.strip_prefix("k:") {
        let Ok(key) = serde_json::from_str::<Map<String, Value>>(key) else {
            return false;
        };
        items.retain(|item| !has_key(item, &key));
    } else if let Some(Ok(value)) = last.strip_prefix("v:").map(serde_json::from_str::<Value>) {
        items.retain(|item| *item != value);
    }
    items.len() != before
}

fn step_mut<'a>(node: &'a mut Value, element: &str) -> Option<&'a mut Value> {
    if let Some(key) = element.strip_prefix("f:") {
        return node.get_mut(key);
    }
    let items = node.as_array_mut()?;
    if let Some(key) = element.strip_prefix("k:") {
        let key: Map<String, Value> = serde_json::from_str(key).ok()?;
        return items.iter_mut().find(|item| has_key(item, &key));
    }
    let value: Value = serde_json::from_str(element.strip_prefix("v:")?).ok()?;
    items.iter_mut().find(|item| **item == value)
}

/// `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`,
/// `.metadata.finalizers[="x"]`: a path as conflicts name it.
pub fn display(path: &[String]) -> String {
    let mut text = String::new();
    for element in path {
        if let Some(key) = element.strip_prefix("f:") {
            text.push('.');
            text.push_str(key);
        } else if let Some(key) = element.strip_prefix("k:") {
            let key: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
            let parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
            text.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(value) = element.strip_prefix("v:") {
            text.push_str(&format!("[={value}]"));
        }
    }
    text
}

/// The `fieldsV1` tree of a set of fields: each element a key, `{}` for a field with nothing
/// beneath, "." for a field that holds others and is owned itself.
pub fn to_tree(fields: &BTreeSet<Path>) -> Value {
    let mut root = Map::new();
    for path in fields {
        let mut node = &mut root;
        for element in path {
            node = node
                .entry(element.clone())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("objects only");
        }
    }
    // A field owned with others beneath it says so with ".".
    for path in fields {
        let mut node = &mut root;
        for element in path {
            node = node
                .get_mut(element)
                .and_then(Value::as_object_mut)
                .expect("inserted above");
        }
        if !node.is_empty() {
            node.insert(".".into(), Value::Object(Map::new()));
        }
    }
    Value::Object(root)
}

/// The set of fields a `fieldsV1` tree names.
pub fn from_tree(tree: &Value) -> BTreeSet<Path> {
    let mut out = BTreeSet::new();
    if let Value::Object(map) = tree {
        read_tree(map, &mut Vec::new(), &mut out);
    }
    out
}

fn read_tree(map: &Map<String, Value>, at: &mut Path, out: &mut BTreeSet<Path>) {
    for (element, inner) in map {
        if element == "." {
            out.insert(at.clone());
            continue;
        }
        at.push(element.clone());
        match inner {
            Value::Object(inner) if !inner.is_empty() => read_tree(inner, at, out),
            _ => {
                out.insert(at.clone());
            }
        }
        at.pop();
    }
}

/// Whether `path` holds nothing else in `fields` (a leaf: its value is compared whole).
pub fn is_leaf(fields: &BTreeSet<Path>, path: &Path) -> bool {
    fields
        .range(path.clone()..)
        .nth(1)
        .is_none_or(|next| !next.starts_with(path))
}
