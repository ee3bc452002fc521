//! What kube-rs's watcher handles: an object's raw text and the few metadata fields the
//! watcher reads; the text is decoded by `model::watched` on the watch's own task.

use std::fmt;

use kube::api::ApiResource;
use kube::core::{DynamicResourceScope, ObjectMeta, Resource};
use serde::de::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::model::watched::Key;

/// What kube-rs's watcher handles: the object's raw text, and the few metadata fields the
/// watcher itself reads (the resource version it resumes from).
#[derive(Clone)]
pub struct WireObject {
    pub text: Box<RawValue>,
    metadata: ObjectMeta,
}

impl WireObject {
    /// (namespace, name).
    pub fn key(&self) -> Key {
        (
            self.metadata.namespace.clone().unwrap_or_default(),
            self.metadata.name.clone().unwrap_or_default(),
        )
    }
}

impl fmt::Debug for WireObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WireObject")
            .field("namespace", &self.metadata.namespace)
            .field("name", &self.metadata.name)
            .field("resourceVersion", &self.metadata.resource_version)
            .finish()
    }
}

impl<'de> Deserialize<'de> for WireObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Head {
            #[serde(default)]
            metadata: HeadMeta,
        }
        #[derive(serde::Deserialize, Default)]
        #[serde(rename_all = "camelCase", default)]
        struct HeadMeta {
            name: Option<String>,
            namespace: Option<String>,
            resource_version: Option<String>,
            uid: Option<String>,
        }
        let text = Box::<RawValue>::deserialize(deserializer)?;
        // A second, shallow pass over the text: everything but these four fields is skipped.
        let head: Head = serde_json::from_str(text.get()).map_err(serde::de::Error::custom)?;
        let metadata = ObjectMeta {
            name: head.metadata.name,
            namespace: head.metadata.namespace,
            resource_version: head.metadata.resource_version,
            uid: head.metadata.uid,
            ..ObjectMeta::default()
        };
        Ok(WireObject { text, metadata })
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
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
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
        assert_eq!(wire.metadata.resource_version.as_deref(), Some("42"));
        assert_eq!(wire.metadata.name.as_deref(), Some("a"));
        assert!(wire.text.get().contains("\"labels\""));
    }
}
