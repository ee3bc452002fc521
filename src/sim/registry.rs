//! The resource types being served right now: the built-ins plus those CRDs define.

use std::sync::RwLock;

use serde_json::Value;

use super::resource::{BUILT_IN, ResourceType, custom};

/// The served types. CRDs add to it when created.
pub struct Registry {
    custom: RwLock<Vec<&'static ResourceType>>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// Only the built-in types.
    pub fn new() -> Self {
        Self {
            custom: RwLock::new(Vec::new()),
        }
    }

    /// Every served type, built-ins first.
    pub fn all(&self) -> Vec<&'static ResourceType> {
        let custom = self.custom.read().unwrap_or_else(|p| p.into_inner());
        BUILT_IN.iter().chain(custom.iter().copied()).collect()
    }

    /// The type served at group/version/plural.
    pub fn find(&self, group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
        self.all()
            .into_iter()
            .find(|r| r.group == group && r.version == version && r.plural == plural)
    }

    /// The type of a kind in an apiVersion.
    pub fn find_kind(&self, api_version: &str, kind: &str) -> Option<&'static ResourceType> {
        self.all()
            .into_iter()
            .find(|r| r.kind == kind && r.api_version() == api_version)
    }

    /// Serves the types a CustomResourceDefinition defines (each served version).
    pub fn add_definition(&self, crd: &Value) {
        let spec = &crd["spec"];
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        let group = text(&spec["group"]);
        let names = &spec["names"];
        let plural = text(&names["plural"]);
        let kind = text(&names["kind"]);
        if group.is_empty() || plural.is_empty() || kind.is_empty() {
            return;
        }
        let singular = names["singular"]
            .as_str()
            .map_or_else(|| kind.to_lowercase(), str::to_string);
        let strings = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let short_names = strings(&names["shortNames"]);
        let categories = strings(&names["categories"]);
        let namespaced = spec["scope"].as_str() != Some("Cluster");
        let versions: Vec<String> = spec["versions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|v| v["served"].as_bool().unwrap_or(true))
                    .filter_map(|v| v["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut served = self.custom.write().unwrap_or_else(|p| p.into_inner());
        for version in versions {
            if served
                .iter()
                .any(|r| r.group == group && r.version == version && r.plural == plural)
            {
                continue;
            }
            served.push(custom(
                &group,
                &version,
                &plural,
                &singular,
                &kind,
                namespaced,
                &short_names,
                &categories,
            ));
        }
    }

    /// Stops serving the types of a deleted CustomResourceDefinition.
    pub fn remove_definition(&self, crd: &Value) {
        let group = crd["spec"]["group"].as_str().unwrap_or("");
        let plural = crd["spec"]["names"]["plural"].as_str().unwrap_or("");
        let mut custom = self.custom.write().unwrap_or_else(|p| p.into_inner());
        custom.retain(|r| !(r.group == group && r.plural == plural));
    }
}
