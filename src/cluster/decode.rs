//! What kube-rs's watcher handles: an object's raw text and the few metadata fields the
//! watcher reads; the text is decoded by `model::watched` on the watch's own task.

use std::fmt;
use std::sync::OnceLock;

use kube::api::ApiResource;
use kube::core::{DynamicResourceScope, ObjectMeta, Resource};
use serde::de::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::model::watched::Key;

/// What kube-rs's watcher handles: the object's raw text, and the few metadata fields the
/// watcher itself reads (the resource version it resumes from), read from the text when first
/// asked for. The watcher asks for them of a change, never of an object of the initial list
/// (streamed or paged): reading them for each of 51,539 pods as they came in was 4 % of the
/// load's CPU, and four strings a pod, for nothing.
#[derive(Clone)]
pub struct WireObject {
    pub text: Box<RawValue>,
    metadata: OnceLock<ObjectMeta>,
}

impl WireObject {
    /// (namespace, name).
    pub fn key(&self) -> Key {
        let metadata = self.meta();
        (
            metadata.namespace.clone().unwrap_or_default(),
            metadata.name.clone().unwrap_or_default(),
        )
    }
}

impl fmt::Debug for WireObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let metadata = self.meta();
        f.debug_struct("WireObject")
            .field("namespace", &metadata.namespace)
            .field("name", &metadata.name)
            .field("resourceVersion", &metadata.resource_version)
            .finish()
    }
}

impl<'de> Deserialize<'de> for WireObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        // An object's text is checked for being one; its fields are the decoder's.
        if !text.get().starts_with('{') {
            return Err(serde::de::Error::custom(format!(
                "expected an object, found {}",
                text.get().chars().take(40).collect::<String>()
            )));
        }
        Ok(WireObject {
            text,
            metadata: OnceLock::new(),
        })
    }
}

/// The metadata the watcher reads, from an object's text. A `metadata` that is not an object
/// (a server's error) reads as none: a change without a resource version, which the watcher
/// reports and lists again after.
fn metadata_of(text: &RawValue) -> ObjectMeta {
    let head = head_of(text.get()).unwrap_or_default();
    ObjectMeta {
        name: head.name,
        namespace: head.namespace,
        resource_version: head.resource_version,
        uid: head.uid,
        ..ObjectMeta::default()
    }
}

/// The four fields of `metadata` the watcher reads.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct HeadMeta {
    name: Option<String>,
    namespace: Option<String>,
    resource_version: Option<String>,
    uid: Option<String>,
}

/// Reads an object's `metadata` and stops there: the server writes it before `spec` and
/// `status`, so the rest of the text (nine tenths of a pod) is not walked a second time.
fn head_of(text: &str) -> serde_json::Result<HeadMeta> {
    use serde::de::{IgnoredAny, MapAccess, Visitor};

    /// Ends the walk once `metadata` is read: an error serde_json passes up unchanged.
    const READ: &str = "kscope: metadata read";

    struct Head<'a>(&'a mut Option<HeadMeta>);
    impl<'de> Visitor<'de> for Head<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "metadata" {
                    *self.0 = Some(map.next_value()?);
                    return Err(serde::de::Error::custom(READ));
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }

    let mut head = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match deserializer.deserialize_map(Head(&mut head)) {
        Ok(()) => Ok(head.unwrap_or_default()),
        Err(_) if head.is_some() => Ok(head.unwrap_or_default()),
        Err(error) => Err(error),
    }
}

impl Resource for WireObject {
    type DynamicType = ApiResource;
    type Scope = DynamicResourceScope;

    fn kind(resource: &ApiResource) -> std::borrow::Cow<'_, str> {
        resource.kind.as_str().into()
    }
    fn group(resource: &ApiResource) -> std::borrow::Cow<'_, str> {
        resource.group.as_str().into()
    }
    fn version(resource: &ApiResource) -> std::borrow::Cow<'_, str> {
        resource.version.as_str().into()
    }
    fn api_version(resource: &ApiResource) -> std::borrow::Cow<'_, str> {
        resource.api_version.as_str().into()
    }
    fn plural(resource: &ApiResource) -> std::borrow::Cow<'_, str> {
        resource.plural.as_str().into()
    }
    fn meta(&self) -> &ObjectMeta {
        self.metadata.get_or_init(|| metadata_of(&self.text))
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        self.meta();
        self.metadata.get_mut().expect("read just above")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_object_carries_what_the_watcher_reads() {
        let wire: WireObject = serde_json::from_str(
            r#"{"kind":"Pod","metadata":{"name":"a","namespace":"b","resourceVersion":"42",
                "labels":{"x":"y"}},"status":{}}"#,
        )
        .expect("decodes");
        // Not read until the watcher asks (it never asks of an initial list's objects).
        assert!(wire.metadata.get().is_none());
        assert_eq!(wire.meta().resource_version.as_deref(), Some("42"));
        assert_eq!(wire.meta().name.as_deref(), Some("a"));
        assert_eq!(wire.key(), ("b".to_string(), "a".to_string()));
        assert!(wire.text.get().contains("\"labels\""));
        let mut wire = wire;
        wire.meta_mut().resource_version = Some("43".into());
        assert_eq!(wire.meta().resource_version.as_deref(), Some("43"));
    }

    #[test]
    fn metadata_is_read_wherever_it_stands() {
        // Last, after fields holding the same names; and absent.
        let wire: WireObject = serde_json::from_str(
            r#"{"spec":{"metadata":{"name":"not-this"},"name":"nor-this"},"metadata":{"name":"a","uid":"u1"}}"#,
        )
        .expect("decodes");
        assert_eq!(wire.meta().name.as_deref(), Some("a"));
        assert_eq!(wire.meta().uid.as_deref(), Some("u1"));
        let bare: WireObject = serde_json::from_str(r#"{"kind":"Pod"}"#).expect("decodes");
        assert_eq!(bare.meta().name, None);
        // A metadata that is not an object reads as none: no resource version, which the
        // watcher reports of a change.
        let odd: WireObject = serde_json::from_str(r#"{"metadata":7}"#).expect("decodes");
        assert_eq!(odd.meta().resource_version, None);
        // An object that is not one is the server's error, and said.
        let error = serde_json::from_str::<WireObject>("[1, 2]").expect_err("not an object");
        assert!(
            error
                .to_string()
                .contains("expected an object, found [1, 2]"),
            "{error}"
        );
    }
}
