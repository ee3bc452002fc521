//! The documents themselves: `/openapi/v2` (every definition and path in one), and per
//! group-version the `/openapi/v3/...` documents, each holding its paths and the schemas they
//! reach. Custom resources' come from their CRDs' `openAPIV3Schema`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::definitions::{Definitions, definition_name, list_name};
use super::paths::{Version, resource_paths};
use crate::sim::resource::ResourceType;

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// A resource type with the schema of its kind: a built-in's by name in the definitions, or a
/// custom resource's from its CRD.
pub struct Served<'a> {
    pub resource: &'a ResourceType,
    pub schema: Schema,
}

/// Where a served kind's schema comes from.
pub enum Schema {
    BuiltIn(&'static str),
    /// A custom resource: its CRD's openAPIV3Schema for the version (absent when it has none).
    Custom(Option<Value>),
}

impl Served<'_> {
    /// `api/v1` or `apis/apps/v1`, the document's path under `/openapi/v3/`.
    pub fn group_version_path(&self) -> String {
        if self.resource.group.is_empty() {
            format!("api/{}", self.resource.version)
        } else {
            format!("apis/{}/{}", self.resource.group, self.resource.version)
        }
    }

    fn definition(&self) -> String {
        match self.schema {
            Schema::BuiltIn(name) => name.to_string(),
            Schema::Custom(_) => custom_definition_name(self.resource),
        }
    }
}

/// A custom resource's definition name: its group reversed, version, kind
/// (`com.example.v1.Widget`), as the API server names it.
pub fn custom_definition_name(resource: &ResourceType) -> String {
    let group: Vec<&str> = resource.group.split('.').rev().collect();
    format!("{}.{}.{}", group.join("."), resource.version, resource.kind)
}

/// The served built-in kinds that have a schema.
pub fn built_in(resources: &[&'static ResourceType]) -> Vec<Served<'static>> {
    resources
        .iter()
        .filter_map(|resource| {
            definition_name(resource).map(|name| Served {
                resource,
                schema: Schema::BuiltIn(name),
            })
        })
        .collect()
}

/// The definitions a custom resource adds: its kind (the CRD's schema with the standard
/// apiVersion, kind and metadata) and its list.
fn custom_definitions(served: &Served, schema: Option<&Value>) -> Definitions {
    let resource = served.resource;
    let name = custom_definition_name(resource);
    let mut kind = match schema {
        Some(Value::Object(schema)) => schema.clone(),
        _ => Map::from_iter([
            ("type".to_string(), json!("object")),
            (
                "x-kubernetes-preserve-unknown-fields".to_string(),
                json!(true),
            ),
        ]),
    };
    let properties = kind
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut standard = Map::from_iter([
        (
            "apiVersion".to_string(),
            json!({"description": "APIVersion defines the versioned schema of this representation of an object.", "type": "string"}),
        ),
        (
            "kind".to_string(),
            json!({"description": "Kind is a string value representing the REST resource this object represents.", "type": "string"}),
        ),
        (
            "metadata".to_string(),
            json!({"description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", "$ref": format!("#/definitions/{OBJECT_META}")}),
        ),
    ]);
    for (key, value) in properties {
        if key != "metadata" {
            standard.insert(key, value);
        }
    }
    kind.insert("properties".into(), Value::Object(standard));
    kind.insert(
        "x-kubernetes-group-version-kind".into(),
        json!([{"group": resource.group, "kind": resource.kind, "version": resource.version}]),
    );
    let list = json!({
        "description": format!("{}List is a list of {}", resource.kind, resource.kind),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": format!("#/definitions/{name}")}},
            "kind": {"type": "string"},
            "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"},
        },
        "x-kubernetes-group-version-kind": [{"group": resource.group, "kind": format!("{}List", resource.kind), "version": resource.version}],
    });
    Definitions::from_iter([(list_name(&name), list), (name, Value::Object(kind))])
}

/// Every definition of the served kinds, the custom ones added to the built-in ones.
fn all_definitions(built_in: &Definitions, served: &[&Served]) -> Definitions {
    let mut definitions = built_in.clone();
    for kind in served {
        if let Schema::Custom(schema) = &kind.schema {
            definitions.extend(custom_definitions(kind, schema.as_ref()));
        }
    }
    definitions
}

/// The v2 document: every served kind's paths and every definition.
pub fn v2(built_in: &Definitions, served: &[Served]) -> Value {
    let kinds: Vec<&Served> = served.iter().collect();
    let definitions = all_definitions(built_in, &kinds);
    let mut paths = Map::new();
    for kind in served {
        let name = kind.definition();
        paths.extend(resource_paths(
            Version::V2,
            kind.resource,
            &name,
            &list_name(&name),
        ));
    }
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": crate::sim::discovery::version()["gitVersion"]},
        "paths": paths,
        "definitions": definitions,
        "security": [{"BearerToken": []}],
        "securityDefinitions": {"BearerToken": {"description": "Bearer Token authentication", "in": "header", "name": "authorization", "type": "apiKey"}},
    })
}

/// The served kinds by their group-version's path, in order.
pub fn by_group_version<'a, 'b>(served: &'b [Served<'a>]) -> BTreeMap<String, Vec<&'b Served<'a>>> {
    let mut groups: BTreeMap<String, Vec<&Served>> = BTreeMap::new();
    for kind in served {
        groups
            .entry(kind.group_version_path())
            .or_default()
            .push(kind);
    }
    groups
}

/// The v3 document of one group-version: its kinds' paths and the schemas they reach, with
/// references to `#/components/schemas/` (a reference beside a description wrapped in
/// `allOf`, as the API server writes it).
pub fn v3(built_in: &Definitions, kinds: &[&Served]) -> Value {
    let definitions = all_definitions(built_in, kinds);
    let mut paths = Map::new();
    let mut wanted = vec![
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status".to_string(),
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch".to_string(),
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions".to_string(),
    ];
    for kind in kinds {
        let name = kind.definition();
        paths.extend(resource_paths(
            Version::V3,
            kind.resource,
            &name,
            &list_name(&name),
        ));
        wanted.push(list_name(&name));
        wanted.push(name);
    }
    let mut schemas = Map::new();
    while let Some(name) = wanted.pop() {
        if schemas.contains_key(&name) {
            continue;
        }
        let Some(definition) = definitions.get(&name) else {
            continue;
        };
        references(definition, &mut wanted);
        schemas.insert(name, to_v3(definition));
    }
    let schemas: BTreeMap<String, Value> = schemas.into_iter().collect();
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": crate::sim::discovery::version()["gitVersion"]},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"BearerToken": {"description": "Bearer Token authentication", "in": "header", "name": "authorization", "type": "apiKey"}},
        },
    })
}

/// The names of the definitions `schema` refers to, anywhere in it.
fn references(schema: &Value, into: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            {
                into.push(name.to_string());
            }
            map.values().for_each(|v| references(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, into)),
        _ => {}
    }
}

/// A v2 schema as v3 writes it: references into components, a reference with siblings in an
/// `allOf`.
pub fn to_v3(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), to_v3(v))).collect();
            if let Some(Value::String(reference)) = out.remove("$ref") {
                let reference = reference
                    .strip_prefix("#/definitions/")
                    .map_or(reference.clone(), |name| Version::V3.reference(name));
                if out.is_empty() {
                    out.insert("$ref".into(), reference.into());
                } else {
                    out.insert("allOf".into(), json!([{"$ref": reference}]));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_v3).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_wraps_described_references_and_points_into_components() {
        let schema = json!({
            "properties": {
                "spec": {"description": "d", "$ref": "#/definitions/a.B"},
                "items": {"type": "array", "items": {"$ref": "#/definitions/a.C"}},
            }
        });
        assert_eq!(
            to_v3(&schema),
            json!({
                "properties": {
                    "spec": {"description": "d", "allOf": [{"$ref": "#/components/schemas/a.B"}]},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/a.C"}},
                }
            })
        );
    }

    #[test]
    fn custom_resources_are_named_by_their_reversed_group() {
        let resource = crate::sim::resource::custom(
            "stable.example.com",
            "v1",
            "crontabs",
            "crontab",
            "CronTab",
            true,
            &[],
            &[],
        );
        assert_eq!(
            custom_definition_name(resource),
            "com.example.stable.v1.CronTab"
        );
        let served = Served {
            resource,
            schema: Schema::Custom(Some(json!({
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {"cronSpec": {"type": "string"}}}},
            }))),
        };
        let built_in = super::super::definitions::generate();
        let document = v3(&built_in, &[&served]);
        let kind = &document["components"]["schemas"]["com.example.stable.v1.CronTab"];
        assert_eq!(
            kind["properties"]["spec"]["properties"]["cronSpec"]["type"],
            "string"
        );
        assert_eq!(
            kind["properties"]["metadata"]["allOf"][0]["$ref"],
            "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        );
        assert!(document["components"]["schemas"][OBJECT_META].is_object());
        assert!(
            document["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]
                ["patch"]
                .is_object()
        );
    }
}
