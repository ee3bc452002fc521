//! Table output for any served type: the built-in kinds' printer columns from `model::table`,
//! a custom resource's additionalPrinterColumns, and the server's default (Name, Created At)
//! for everything else.

use serde_json::{Value, json};

use super::api_error::ApiError;
use super::query::Query;
use super::resource::ResourceType;
use super::state::Sim;
use crate::model::table::{IncludeObject, table};
use crate::sim::pointer::Pointer;

/// The `includeObject` query parameter (default: Metadata).
#[derive(Debug, Clone, Copy)]
pub struct IncludeObjectParam(pub IncludeObject);

impl Default for IncludeObjectParam {
    fn default() -> Self {
        Self(IncludeObject::Metadata)
    }
}

impl IncludeObjectParam {
    /// Reads `includeObject`.
    pub fn from_query(query: &Query) -> Result<Self, ApiError> {
        match query.include_object.as_deref() {
            None | Some("Metadata") | Some("") => Ok(Self(IncludeObject::Metadata)),
            Some("Object") => Ok(Self(IncludeObject::Object)),
            Some("None") => Ok(Self(IncludeObject::None)),
            Some(other) => Err(ApiError::bad_request(format!(
                "includeObject: Unsupported value: \"{other}\": supported values: \"Metadata\", \"None\", \"Object\""
            ))),
        }
    }
}

/// A Table of `objects` (already in the client's version) of `resource`.
pub fn table_for<T: std::borrow::Borrow<Value>>(
    sim: &Sim,
    resource: &ResourceType,
    objects: &[T],
    include: IncludeObjectParam,
) -> Value {
    let now = sim.now();
    let built_in = resource.group.is_empty() || resource.is_built_in();
    if built_in && let Some(table) = table(resource.kind, objects, now, include.0) {
        return table;
    }
    let columns = if built_in {
        vec![created_at()]
    } else {
        printer_columns(sim, resource)
    };
    let definitions: Vec<Value> = std::iter::once(json!({
        "name": "Name", "type": "string", "format": "name",
        "description": "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        "priority": 0
    }))
    .chain(columns.iter().map(|c| {
        json!({"name": c.name, "type": c.type_, "format": "", "description": c.description, "priority": c.priority})
    }))
    .collect();
    let rows: Vec<Value> = objects
        .iter()
        .map(|object| {
            let object = object.borrow();
            let mut cells = vec![object.at("/metadata/name").cloned().unwrap_or(json!(""))];
            if built_in {
                // The API server's default table convertor writes the creation time itself
                // (RFC 3339, UTC), where a custom resource's date column is an age.
                cells.push(
                    object
                        .at("/metadata/creationTimestamp")
                        .cloned()
                        .unwrap_or(Value::Null),
                );
            } else {
                for column in &columns {
                    cells.push(column_cell(column, object, now));
                }
            }
            let mut row = json!({"cells": cells});
            match include.0 {
                IncludeObject::None => {}
                IncludeObject::Metadata => {
                    row["object"] = json!({
                        "kind": "PartialObjectMetadata",
                        "apiVersion": "meta.k8s.io/v1",
                        "metadata": object["metadata"],
                    })
                }
                IncludeObject::Object => row["object"] = object.clone(),
            }
            row
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {},
        "columnDefinitions": definitions,
        "rows": rows,
    })
}

struct PrinterColumn {
    name: String,
    type_: String,
    description: String,
    priority: i64,
    json_path: String,
}

/// The default table convertor's second column.
fn created_at() -> PrinterColumn {
    PrinterColumn {
        name: "Created At".into(),
        type_: "date".into(),
        description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata".into(),
        priority: 0,
        json_path: ".metadata.creationTimestamp".into(),
    }
}

/// A CRD's additionalPrinterColumns for the served version, else the default Created At.
fn printer_columns(sim: &Sim, resource: &ResourceType) -> Vec<PrinterColumn> {
    let default = || vec![created_at()];
    let Some(crds) = sim.resource_of("apiextensions.k8s.io/v1", "CustomResourceDefinition") else {
        return default();
    };
    let name = format!("{}.{}", resource.plural, resource.group);
    let Some(crd) = sim.store.get(crds, "", &name) else {
        return default();
    };
    let version = crd["spec"]["versions"]
        .as_array()
        .and_then(|versions| versions.iter().find(|v| v["name"] == resource.version));
    let Some(columns) = version.and_then(|v| v["additionalPrinterColumns"].as_array()) else {
        return default();
    };
    let mut out: Vec<PrinterColumn> = columns
        .iter()
        .map(|c| PrinterColumn {
            name: c["name"].as_str().unwrap_or("").to_string(),
            type_: c["type"].as_str().unwrap_or("string").to_string(),
            description: c["description"].as_str().unwrap_or("").to_string(),
            priority: c["priority"].as_i64().unwrap_or(0),
            json_path: c["jsonPath"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    if out.is_empty() {
        out = default();
    }
    out
}

/// A cell from a simple JSONPath: dotted fields, `[n]` indexes, and `[?(@.f=="v")]` filters,
/// typed as the API server's CRD table convertor types it: a `string` column prints any value as
/// text (`"3"`, not `3`), and the other types keep only a value of their type.
fn column_cell(column: &PrinterColumn, object: &Value, now: jiff::Timestamp) -> Value {
    let value = evaluate(&column.json_path, object);
    match (column.type_.as_str(), value) {
        (_, None | Some(Value::Null)) => Value::Null,
        ("date", Some(Value::String(text))) => {
            let age = text
                .parse::<jiff::Timestamp>()
                .ok()
                .map(|t| crate::model::duration::age(Some(t), now));
            json!(age.unwrap_or(text))
        }
        ("string", Some(Value::String(text))) => Value::String(text),
        ("string", Some(other)) => Value::String(other.to_string()),
        ("integer", Some(Value::Number(n))) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or(Value::Null, |i| json!(i)),
        ("number", Some(Value::Number(n))) => Value::Number(n),
        ("boolean", Some(Value::Bool(b))) => Value::Bool(b),
        _ => Value::Null,
    }
}

fn evaluate(path: &str, object: &Value) -> Option<Value> {
    let mut current = object.clone();
    let mut rest = path
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('.');
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inside = &after[..end];
            rest = after[end + 1..].trim_start_matches('.');
            if let Some(filter) = inside
                .strip_prefix("?(@.")
                .and_then(|f| f.strip_suffix(')'))
            {
                let (field, wanted) = filter.split_once("==")?;
                let wanted = wanted.trim().trim_matches('"').trim_matches('\'');
                current = current
                    .as_array()?
                    .iter()
                    .find(|item| item.get(field.trim()).and_then(Value::as_str) == Some(wanted))?
                    .clone();
            } else {
                let index: usize = inside.parse().ok()?;
                current = current.get(index)?.clone();
            }
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let field = &rest[..end];
        current = current.get(field)?.clone();
        rest = rest[end..].trim_start_matches('.');
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths() {
        let object = json!({"status": {"conditions": [{"type": "A", "status": "False"}, {"type": "Ready", "status": "True"}]}, "spec": {"n": 3}});
        assert_eq!(evaluate(".spec.n", &object), Some(json!(3)));
        assert_eq!(
            evaluate(".status.conditions[?(@.type==\"Ready\")].status", &object),
            Some(json!("True"))
        );
        assert_eq!(
            evaluate(".status.conditions[0].type", &object),
            Some(json!("A"))
        );
        assert_eq!(evaluate(".status.missing", &object), None);
        assert_eq!(evaluate(".status.conditions[9]", &object), None);
    }

    #[test]
    fn cells_are_typed_as_the_crd_table_convertor_types_them() {
        let object = json!({"spec": {"count": 3, "ratio": 1.5, "on": true, "name": "x"}});
        let cell = |type_: &str, path: &str| {
            let column = PrinterColumn {
                name: "c".into(),
                type_: type_.into(),
                description: String::new(),
                priority: 0,
                json_path: path.into(),
            };
            column_cell(&column, &object, jiff::Timestamp::UNIX_EPOCH)
        };
        assert_eq!(cell("string", ".spec.count"), json!("3"));
        assert_eq!(cell("string", ".spec.on"), json!("true"));
        assert_eq!(cell("string", ".spec.name"), json!("x"));
        assert_eq!(cell("integer", ".spec.count"), json!(3));
        assert_eq!(cell("integer", ".spec.ratio"), json!(1));
        assert_eq!(cell("integer", ".spec.name"), Value::Null);
        assert_eq!(cell("number", ".spec.ratio"), json!(1.5));
        assert_eq!(cell("boolean", ".spec.on"), json!(true));
        assert_eq!(cell("string", ".spec.missing"), Value::Null);
    }
}
