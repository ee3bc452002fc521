//! Objects as a watch delivers them, decoded once on the watch's own task (off the UI thread)
//! straight from the response bytes into the types the app keeps; objects named by their key.
//!
//! Why not kube-rs's `DynamicObject`: it parses every object into a JSON tree (metadata typed,
//! the rest flattened) that we then walked again to build our types; at 50,000 pods that double
//! decode, and the trees kept for the YAML view, dominated start-up time and memory. Here the
//! watch reads each object's raw text into its type, and a pod's or node's text is kept as
//! written less its bulk (managed fields, the last-applied copy): a pod's packed.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use memchr::memmem;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::event::Event;
use super::kind::WatchedKind;
use super::namespace::Namespace;
use super::node::Node;
use super::packed_text::Packer;
use super::pod::Pod;
use super::watched_pod::WatchedPod;

/// (namespace, name).
pub type Key = (String, String);

/// An annotation kubectl writes with a copy of the whole applied object: large, and read by
/// nothing the explorer shows from memory.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A watched object, typed for the kinds the explorer computes rows for.
#[derive(Debug, Clone)]
pub enum WatchedObject {
    /// A pod's row and fields, worked out from it typed, and its JSON text, packed: at tens of
    /// thousands of pods the packed text is what is kept (a sixteenth of the typed form's
    /// size), read again when explained or described.
    Pod(Box<WatchedPod>),
    /// A node typed, and as compact JSON text (for the user's custom columns).
    Node {
        node: Box<Node>,
        text: Box<str>,
    },
    Namespace {
        namespace: Box<Namespace>,
        text: Box<str>,
    },
    Event(Box<Event>),
    /// Any other kind, as JSON (its rows come from the API server's printer columns).
    Other(Value),
}

impl WatchedObject {
    /// Decodes an object of `kind` from its JSON text (see `typed`).
    pub fn decode(kind: WatchedKind, text: &str) -> Self {
        Self::decode_packing(kind, text, &mut Packer::default())
    }

    /// The same, a pod's text packed by `packer` (a watch's, so that its pods share one
    /// dictionary). A text that is not JSON reads as an empty object.
    pub fn decode_packing(kind: WatchedKind, text: &str, packer: &mut Packer) -> Self {
        Self::read_packing(kind, text, packer)
            .or_else(|| Self::read_packing(kind, "{}", packer))
            .expect("an empty object is JSON")
    }

    /// The same, or None when the text is not JSON: a watch's object taken from its line
    /// unread (`cluster::watch_lines`) is checked by being typed, not walked once more first.
    pub fn read_packing(kind: WatchedKind, text: &str, packer: &mut Packer) -> Option<Self> {
        Some(match kind {
            WatchedKind::Pods => WatchedObject::Pod(Box::new(WatchedPod::new(
                read_kept_pod(text)?,
                packer.pack(&without_bulk(text)),
            ))),
            WatchedKind::Nodes => WatchedObject::Node {
                node: Box::new(typed_if_json(text)?),
                text: without_bulk(text).into_owned().into_boxed_str(),
            },
            WatchedKind::Namespaces => WatchedObject::Namespace {
                namespace: Box::new(typed_if_json(text)?),
                text: without_bulk(text).into_owned().into_boxed_str(),
            },
            WatchedKind::Events => WatchedObject::Event(Box::new(typed_if_json(text)?)),
            _ => {
                let mut value: Value = serde_json::from_str(text).ok()?;
                if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                    metadata.remove("managedFields");
                }
                WatchedObject::Other(value)
            }
        })
    }

    /// The same from a parsed object (tests and fixtures hand objects over this way).
    pub fn from_value(kind: WatchedKind, value: &Value) -> Self {
        Self::decode(kind, &value.to_string())
    }

    /// (namespace, name).
    pub fn key(&self) -> Key {
        let meta = match self {
            WatchedObject::Pod(pod) => return (pod.namespace.clone(), pod.name.clone()),
            WatchedObject::Node { node, .. } => &node.metadata,
            WatchedObject::Namespace { namespace, .. } => &namespace.metadata,
            WatchedObject::Event(event) => &event.metadata,
            WatchedObject::Other(value) => return key_of(value),
        };
        (meta.namespace.clone(), meta.name.clone())
    }
}

/// An object typed from its text: the typed path reads the text directly; an object it cannot
/// read (a `null` where a value belongs, say) goes through the tolerant path that reads `null`
/// as absent and leaves a field of the wrong type at its default.
pub(crate) fn typed<T: DeserializeOwned + Default>(text: &str) -> T {
    typed_if_json(text).unwrap_or_default()
}

/// The same, or None when the text is not JSON at all.
fn typed_if_json<T: DeserializeOwned + Default>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok().or_else(|| {
        let value = serde_json::from_str::<Value>(text).ok()?;
        Some(super::manifest::typed_value(&value).unwrap_or_default())
    })
}

/// A pod typed from its text, without the last-applied copy.
pub fn decode_pod(text: &str) -> Pod {
    read_pod(text).unwrap_or_default()
}

/// A pod typed from its packed text (`decode_pod`).
pub fn unpack_pod(text: &super::packed_text::PackedText) -> Pod {
    decode_pod(&text.unpack())
}

/// A pod read for what the explorer keeps of it (`WatchedPod`), and no more (`pod_lean`); a
/// text the lean read refuses (a `null` where a value belongs, say) is read the tolerant way.
/// None when the text is not JSON.
fn read_kept_pod(text: &str) -> Option<Pod> {
    match serde_json::from_str::<super::pod_lean::LeanPod>(text) {
        Ok(lean) => Some(lean.into_pod()),
        Err(_) => read_pod(text),
    }
}

/// The same, or None when the text is not JSON.
fn read_pod(text: &str) -> Option<Pod> {
    let mut pod: Pod = typed_if_json(text)?;
    pod.metadata.annotations.remove(LAST_APPLIED);
    Some(pod)
}

/// (namespace, name) of an object as JSON.
pub fn key_of(object: &Value) -> Key {
    let text = |field: &str| {
        object
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (text("namespace"), text("name"))
}

/// The object's text without `metadata.managedFields` and the last-applied annotation: the
/// bulk of a real object that nothing shown from memory reads. The other fields are passed
/// through as the server wrote them, without building a tree.
pub fn without_bulk(text: &str) -> Cow<'_, str> {
    // Searched with memchr's vectorised finders, built once: at 50,000 pods the standard
    // library's search cost as much as packing the text.
    static MANAGED_FIELDS: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("\"managedFields\""));
    static LAST_APPLIED_KEY: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(LAST_APPLIED));
    let bytes = text.as_bytes();
    if MANAGED_FIELDS.find(bytes).is_none() && LAST_APPLIED_KEY.find(bytes).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        rewrite_field(text, "metadata", |metadata| {
            let metadata = without_field(metadata, "managedFields")?;
            rewrite_field(&metadata, "annotations", |annotations| {
                without_field(annotations, LAST_APPLIED)
            })
        })
        .unwrap_or_else(|| text.to_string()),
    )
}

/// An object's fields in order, each value as its raw text.
fn fields(text: &str) -> Option<Vec<(String, &RawValue)>> {
    serde_json::from_str::<Fields<'_>>(text).ok().map(|f| f.0)
}

/// The object `text` with field `name`'s value replaced by what `change` makes of it.
fn rewrite_field(
    text: &str,
    name: &str,
    change: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let mut changed = Vec::new();
    for (key, value) in fields(text)? {
        let value = if key == name {
            std::borrow::Cow::Owned(change(value.get())?)
        } else {
            std::borrow::Cow::Borrowed(value.get())
        };
        changed.push((key, value));
    }
    Some(object_text(&changed))
}

/// The object `text` without field `name`.
fn without_field(text: &str, name: &str) -> Option<String> {
    let kept: Vec<(String, std::borrow::Cow<'_, str>)> = fields(text)?
        .into_iter()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key, std::borrow::Cow::Borrowed(value.get())))
        .collect();
    Some(object_text(&kept))
}

fn object_text(fields: &[(String, std::borrow::Cow<'_, str>)]) -> String {
    let mut out = String::from("{");
    for (index, (key, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).unwrap_or_default());
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    fields.push((key, value));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pod_is_read_straight_into_its_type_without_the_last_applied_copy() {
        let text = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "7",
                         "annotations": {LAST_APPLIED: "{...}", "team": "a"}},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "app"}]}
        })
        .to_string();
        let object = WatchedObject::decode(WatchedKind::Pods, &text);
        assert_eq!(object.key(), ("shop".into(), "web".into()));
        let WatchedObject::Pod(pod) = object else {
            panic!("a pod");
        };
        assert_eq!(pod.node_name, "worker-1");
        // No status yet: kubectl prints the empty phase as it is.
        assert_eq!((pod.ready.as_str(), pod.status.as_str()), ("0/1", ""));
        assert!(!pod.text.unpack().contains(LAST_APPLIED));
        assert_eq!(decode_pod(&text).metadata.annotations.len(), 1);
    }

    #[test]
    fn managed_fields_and_the_last_applied_copy_are_cut_from_the_text_kept() {
        let text =
            json!({"kind": "Pod", "metadata": {"name": "web", "managedFields": [{"manager": "x"}],
            "annotations": {LAST_APPLIED: "{\"big\":1}", "team": "a"}, "labels": {"app": "web"}},
            "spec": {"nodeName": "n1"}})
            .to_string();
        let kept: Value = serde_json::from_str(&without_bulk(&text)).expect("still JSON");
        assert_eq!(
            kept,
            json!({"kind": "Pod", "metadata": {"name": "web", "annotations": {"team": "a"},
                   "labels": {"app": "web"}}, "spec": {"nodeName": "n1"}})
        );
        // Text without either is kept as it came.
        let plain = r#"{"kind":"Pod","metadata":{"name":"a"}}"#;
        assert_eq!(without_bulk(plain), plain);
    }

    #[test]
    fn nulls_and_wrong_types_take_the_tolerant_path() {
        let text = r#"{"metadata":{"name":"web","namespace":null,"labels":null},
                       "spec":{"nodeName":"n1","containers":null}}"#;
        let WatchedObject::Pod(pod) = WatchedObject::decode(WatchedKind::Pods, text) else {
            panic!("a pod");
        };
        assert_eq!(pod.name, "web");
        assert_eq!(pod.node_name, "n1");
    }

    #[test]
    fn other_kinds_stay_json_without_managed_fields() {
        let value = json!({"kind": "Deployment", "metadata": {"name": "d", "namespace": "x",
                           "managedFields": [{"manager": "kubectl"}]}, "spec": {"replicas": 2}});
        let object = WatchedObject::from_value(WatchedKind::Deployments, &value);
        let WatchedObject::Other(value) = &object else {
            panic!("json");
        };
        assert!(value.pointer("/metadata/managedFields").is_none());
        assert_eq!(object.key(), ("x".into(), "d".into()));
    }
}
