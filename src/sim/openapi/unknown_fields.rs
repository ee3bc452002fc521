//! The fields of an object its kind's schema does not declare: what the API server's strict
//! decoding reports (`unknown field "spec.containers[0].foo"`), for the `fieldValidation`
//! of creates, updates and patches. Built-in kinds are read against their OpenAPI definitions
//! (the Go types'), custom resources against their CRD's structural schema, where
//! `x-kubernetes-preserve-unknown-fields` keeps whatever is under it.

use serde_json::Value;

use super::definitions::Definitions;

/// Where the schemas a walk reads come from: definitions to resolve `$ref`s in.
struct Walk<'a> {
    definitions: &'a Definitions,
    unknown: Vec<String>,
}

/// Removes the field at `parts` (keys and `[index]`es) when it is there.
fn remove(value: &mut Value, parts: &[&str]) {
    match parts {
        [] => {}
        [last] => {
            if let Value::Object(map) = value {
                map.remove(*last);
            }
        }
        [part, rest @ ..] => {
            let next = match part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
                Some(index) => index.parse::<usize>().ok().and_then(|i| value.get_mut(i)),
                None => value.get_mut(*part),
            };
            if let Some(next) = next {
                remove(next, rest);
            }
        }
    }
}

/// Removes the unknown fields found (paths as [`unknown_fields`] writes them) from `object`,
/// as the decoder drops them. A key holding a dot or bracket is never unknown: those are map
/// keys, which every schema accepts.
pub fn prune(object: &mut Value, paths: &[String]) {
    for path in paths {
        let mut parts: Vec<&str> = Vec::new();
        for key in path.split('.') {
            let mut rest = key;
            if let Some(open) = rest.find('[') {
                parts.push(&rest[..open]);
                rest = &rest[open..];
                while let Some(close) = rest.find(']') {
                    parts.push(&rest[..=close]);
                    rest = &rest[close + 1..];
                }
            } else {
                parts.push(rest);
            }
        }
        remove(object, &parts);
    }
}

/// The unknown fields of `object` read against `schema` (a definition or an inline schema),
/// as paths in the decoder's form, in the order of the object's keys.
pub fn unknown_fields(definitions: &Definitions, schema: &Value, object: &Value) -> Vec<String> {
    let mut walk = Walk {
        definitions,
        unknown: Vec::new(),
    };
    walk.value(schema, object, "");
    walk.unknown
}

/// The unknown fields of a custom resource: the standard apiVersion, kind and metadata (an
/// ObjectMeta) at its root, the rest as its CRD's schema says.
pub fn unknown_custom_fields(
    definitions: &Definitions,
    schema: Option<&Value>,
    object: &Value,
) -> Vec<String> {
    let mut walk = Walk {
        definitions,
        unknown: Vec::new(),
    };
    let Value::Object(fields) = object else {
        return Vec::new();
    };
    let meta = serde_json::json!({"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"});
    for (key, value) in fields {
        match key.as_str() {
            "apiVersion" | "kind" => {}
            "metadata" => walk.value(&meta, value, key),
            _ => {
                if let Some(schema) = schema {
                    walk.property(schema, key, value, "");
                }
            }
        }
    }
    walk.unknown
}

impl<'a> Walk<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let definitions: &'a Definitions = self.definitions;
        let mut schema = schema;
        for _ in 0..8 {
            let reference = schema
                .get("$ref")
                .or_else(|| schema.get("allOf").and_then(|a| a.get(0)?.get("$ref")))
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next());
            match reference.and_then(|name| definitions.get(name)) {
                Some(resolved) => schema = resolved,
                None => break,
            }
        }
        schema
    }

    fn value(&mut self, schema: &'a Value, value: &Value, path: &str) {
        let schema = self.resolve(schema);
        match value {
            Value::Object(fields) => {
                let preserve = schema
                    .get("x-kubernetes-preserve-unknown-fields")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if schema.get("properties").is_some() {
                    for (key, child) in fields {
                        if schema["properties"].get(key).is_some() || !preserve {
                            self.property(schema, key, child, path);
                        }
                    }
                } else if let Some(values) =
                    schema.get("additionalProperties").filter(|v| v.is_object())
                {
                    for (key, child) in fields {
                        self.value(values, child, &join(path, key));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(element) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.value(element, item, &format!("{path}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }

    /// Field `key` of an object whose schema is `schema`.
    fn property(&mut self, schema: &'a Value, key: &str, value: &Value, path: &str) {
        let schema = self.resolve(schema);
        let path = join(path, key);
        match schema.get("properties").and_then(|p| p.get(key)) {
            Some(field) => self.value(field, value, &path),
            None if schema.get("properties").is_some() => self.unknown.push(path),
            None => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sim::openapi::definitions::generate;

    #[test]
    fn names_each_field_the_go_types_lack_with_its_path() {
        let definitions = generate();
        let pod = json!({"$ref": "#/definitions/io.k8s.api.core.v1.Pod"});
        let object = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"a": "b"}, "colour": "red"},
            "spec": {
                "containers": [
                    {"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "hostname": "x"}]},
                    {"name": "d", "image": "nginx", "imagePullPolicy": "Always", "foo": 1},
                ],
                "foo": {"bar": 1},
                "nodeSelector": {"anything": "goes"},
            },
        });
        assert_eq!(
            unknown_fields(&definitions, &pod, &object),
            [
                "metadata.colour",
                "spec.containers[0].ports[0].hostname",
                "spec.containers[1].foo",
                "spec.foo",
            ]
        );
        let fine = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": "1"}}}]}});
        assert!(unknown_fields(&definitions, &pod, &fine).is_empty());
    }

    #[test]
    fn pruning_drops_what_was_found_unknown() {
        let definitions = generate();
        let pod = json!({"$ref": "#/definitions/io.k8s.api.core.v1.Pod"});
        let mut object = json!({"spec": {"foo": 1, "containers": [{"name": "c", "bar": 2}]}});
        let unknown = unknown_fields(&definitions, &pod, &object);
        prune(&mut object, &unknown);
        assert_eq!(object, json!({"spec": {"containers": [{"name": "c"}]}}));
    }

    #[test]
    fn custom_resources_follow_their_structural_schema() {
        let definitions = generate();
        let schema = json!({
            "type": "object",
            "properties": {
                "spec": {"type": "object", "properties": {
                    "size": {"type": "integer"},
                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                    "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "string"}}}},
                }},
            },
        });
        let object = json!({
            "apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": "w", "bogus": 1},
            "spec": {"size": 1, "colour": "red", "free": {"any": {"thing": 1}}, "items": [{"n": "a", "m": "b"}]},
            "extra": true,
        });
        assert_eq!(
            unknown_custom_fields(&definitions, Some(&schema), &object),
            ["extra", "metadata.bogus", "spec.colour", "spec.items[0].m"]
        );
    }
}
