//! Reading objects from text as users hand them to us: YAML or JSON, one object, several
//! documents, or a `List`.

use anyhow::{Context, Result, anyhow, bail};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::event::Event;
use super::namespace::Namespace;
use super::node::Node;
use super::pod::Pod;

/// An object kscope can explain, or use as evidence.
#[derive(Debug, Clone)]
pub enum KubeObject {
    Pod(Box<Pod>),
    Node(Box<Node>),
    Namespace(Box<Namespace>),
    Event(Box<Event>),
    /// A workload or Service (`Deployment`, `Job`, ...), kept as JSON as the explainer reads it.
    Workload(String, Box<Value>),
}

/// What `kscope explain` reads, for its error.
pub const SUPPORTED: &str = "Pods, Nodes, Namespaces, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs and Services";

/// Parses YAML or JSON text into untyped documents, in order. Empty documents are skipped.
pub fn parse_documents(text: &str) -> Result<Vec<Value>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let mut documents = Vec::new();
        for document in serde_json::Deserializer::from_str(trimmed).into_iter::<Value>() {
            documents.push(document.map_err(|e| anyhow!("not valid JSON: {e}"))?);
        }
        return Ok(documents);
    }
    let documents: Vec<Value> =
        super::yaml::documents(text).map_err(|e| anyhow!("not valid YAML: {e}"))?;
    Ok(documents.into_iter().filter(|d| !d.is_null()).collect())
}

/// The objects of one parsed document (a List expanded), `place` naming it in errors.
pub fn objects_of(document: Value, place: &str) -> Result<Vec<KubeObject>> {
    let mut objects = Vec::new();
    collect_objects(document, place, &mut objects)?;
    Ok(objects)
}

/// Parses text into objects, expanding Lists. `source` names the input in errors.
pub fn parse_objects(text: &str) -> Result<Vec<KubeObject>> {
    let mut objects = Vec::new();
    let documents = parse_documents(text)?;
    let many = documents.len() > 1;
    for (index, document) in documents.into_iter().enumerate() {
        let place = if many {
            format!("document {}", index + 1)
        } else {
            String::new()
        };
        collect_objects(document, &place, &mut objects)?;
    }
    Ok(objects)
}

fn collect_objects(mut document: Value, place: &str, objects: &mut Vec<KubeObject>) -> Result<()> {
    let Value::Object(map) = &mut document else {
        bail!(
            "{}expected an object with a kind, found {}",
            prefix(place),
            type_name(&document)
        );
    };
    let kind = match map.get("kind") {
        Some(Value::String(kind)) => kind.clone(),
        Some(other) => bail!(
            "{}kind: expected a string, found {}",
            prefix(place),
            type_name(other)
        ),
        None => bail!("{}the object has no kind", prefix(place)),
    };
    if kind == "List" || (kind.ends_with("List") && map.contains_key("items")) {
        // Taken, not copied: a dump's items are most of its memory.
        let items = match map.get_mut("items") {
            Some(Value::Array(items)) => std::mem::take(items),
            None | Some(Value::Null) => Vec::new(),
            Some(other) => bail!(
                "{}items: expected a list, found {}",
                prefix(place),
                type_name(other)
            ),
        };
        // Typed lists (PodList) leave kind off their items.
        let item_kind = kind
            .strip_suffix("List")
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        for (index, mut item) in items.into_iter().enumerate() {
            if let (Some(item_kind), Value::Object(item_map)) = (&item_kind, &mut item) {
                item_map
                    .entry("kind")
                    .or_insert_with(|| Value::String(item_kind.clone()));
            }
            let item_place = if place.is_empty() {
                format!("items[{index}]")
            } else {
                format!("{place} items[{index}]")
            };
            collect_objects(item, &item_place, objects)?;
        }
        return Ok(());
    }
    let name = map
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let at = if name.is_empty() {
        format!("{}{kind}", prefix(place))
    } else {
        format!("{}{kind} \"{name}\"", prefix(place))
    };
    let object = match kind.as_str() {
        "Pod" => KubeObject::Pod(Box::new(typed(document, &at)?)),
        "Node" => KubeObject::Node(Box::new(typed(document, &at)?)),
        "Namespace" => KubeObject::Namespace(Box::new(typed(document, &at)?)),
        "Event" => KubeObject::Event(Box::new(typed(document, &at)?)),
        other if super::explanation::EXPLAINED_KINDS.contains(&other) => {
            KubeObject::Workload(other.to_string(), Box::new(document))
        }
        other => bail!(
            "{}kind {other} is not supported: kscope explains {} (and reads Events as evidence)",
            prefix(place),
            SUPPORTED
        ),
    };
    objects.push(object);
    Ok(())
}

/// Converts an untyped object into `T`, naming the exact field path on a type error.
fn typed<T: DeserializeOwned>(mut document: Value, at: &str) -> Result<T> {
    // Go's decoder reads `null` as the zero value; serde's defaults only cover absent fields.
    strip_nulls(&mut document);
    serde_path_to_error::deserialize(document).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            anyhow!("{at}: {inner}")
        } else {
            anyhow!("{at}: {path}: {inner}")
        }
    })
}

/// Reads an untyped object (as a client receives it) into `T`, naming the field on error.
pub fn typed_value<T: DeserializeOwned>(value: &Value) -> Result<T> {
    typed(value.clone(), "object")
}

/// Parses one typed object from YAML or JSON text (for tests and fixtures).
pub fn parse_typed<T: DeserializeOwned>(text: &str) -> Result<T> {
    let mut documents = parse_documents(text)?;
    let document = documents
        .drain(..)
        .next()
        .context("no document in the text")?;
    typed(document, "object")
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn prefix(place: &str) -> String {
    if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    }
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

    fn kinds(text: &str) -> Vec<&'static str> {
        parse_objects(text)
            .unwrap()
            .iter()
            .map(|o| match o {
                KubeObject::Pod(_) => "Pod",
                KubeObject::Node(_) => "Node",
                KubeObject::Namespace(_) => "Namespace",
                KubeObject::Event(_) => "Event",
                KubeObject::Workload(..) => "Workload",
            })
            .collect()
    }

    #[test]
    fn reads_yaml_json_lists_and_streams() {
        assert_eq!(kinds("kind: Pod\nmetadata: {name: a}"), ["Pod"]);
        assert_eq!(
            kinds("---\nkind: Pod\n---\n---\nkind: Node\n"),
            ["Pod", "Node"]
        );
        assert_eq!(
            kinds(r#"{"kind":"Pod"}{"kind":"Namespace"}"#),
            ["Pod", "Namespace"]
        );
        assert_eq!(
            kinds("kind: List\nitems: [{kind: Pod}, {kind: Event}, {kind: Node}]"),
            ["Pod", "Event", "Node"]
        );
        assert_eq!(
            kinds("kind: PodList\nitems: [{metadata: {name: a}}]"),
            ["Pod"]
        );
        assert_eq!(kinds("kind: List\nitems: null"), Vec::<&str>::new());
        assert_eq!(kinds(""), Vec::<&str>::new());
    }

    #[test]
    fn nulls_read_as_absent() {
        let objects = parse_objects(
            r#"{"kind":"Pod","metadata":{"name":"a","creationTimestamp":null,"labels":null},"spec":{"containers":null},"status":{"phase":null}}"#,
        )
        .unwrap();
        let KubeObject::Pod(pod) = &objects[0] else {
            panic!()
        };
        assert_eq!(pod.metadata.name, "a");
        assert!(pod.spec.containers.is_empty());
    }

    #[test]
    fn legacy_octal_reads_as_kubectl_does() {
        let docs = parse_documents("mode: 0644\nzero: 0\n").unwrap();
        assert_eq!(docs[0]["mode"], 420);
        assert_eq!(docs[0]["zero"], 0);
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        let docs = parse_documents("a: n\nb: yes\nc: on\nd: true\ne: False\n").unwrap();
        assert_eq!(docs[0]["a"], "n");
        assert_eq!(docs[0]["b"], "yes");
        assert_eq!(docs[0]["c"], "on");
        assert_eq!(docs[0]["d"], true);
        assert_eq!(docs[0]["e"], false);
    }

    #[test]
    fn errors_name_the_place_and_field() {
        let error = |text: &str| parse_objects(text).unwrap_err().to_string();
        assert_eq!(
            error("kind: ConfigMap"),
            "kind ConfigMap is not supported: kscope explains Pods, Nodes, Namespaces, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs and Services (and reads Events as evidence)"
        );
        assert!(error("metadata: {}").contains("the object has no kind"));
        assert!(error("- a\n- b").contains("expected an object with a kind, found a list"));
        let e = error(
            "kind: Pod\nmetadata: {name: web}\nstatus:\n  containerStatuses:\n  - restartCount: lots\n",
        );
        assert!(e.starts_with("Pod \"web\": status.containerStatuses[0].restartCount: invalid type: string \"lots\""), "{e}");
        let e = error("kind: List\nitems:\n- kind: Pod\n- kind: Pod\n  spec: {containers: 3}\n");
        assert!(
            e.starts_with("items[1]: Pod: spec.containers: invalid type: integer `3`"),
            "{e}"
        );
        let e = error("kind: Pod\n---\nkind: Node\nspec: {unschedulable: maybe}\n");
        assert!(
            e.starts_with("document 2: Node: spec.unschedulable: invalid type"),
            "{e}"
        );
        assert!(error("{\"kind\": \"Pod\",").starts_with("not valid JSON: "));
        assert!(error("kind: [unclosed").starts_with("not valid YAML: "));
        assert!(!error("kind: [unclosed").contains('\n'));
    }
}
