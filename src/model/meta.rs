//! Object metadata and the shapes every kind shares (conditions, owner references).
//!
//! These types read objects the way the API server's Go decoder does: every field is optional,
//! unknown fields are ignored, and absent lists and maps are empty. They are deliberately our own
//! rather than k8s-openapi's, which require fields that hand-written manifests often omit.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

/// `metadata` of any object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub resource_version: String,
    #[serde(deserialize_with = "super::time::optional")]
    pub creation_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    pub deletion_timestamp: Option<Timestamp>,
    pub deletion_grace_period_seconds: Option<i64>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
    pub owner_references: Vec<OwnerReference>,
}

/// One entry of `metadata.ownerReferences`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
}

impl ObjectMeta {
    /// The owner reference marked `controller: true`, as the garbage collector and drain read it.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|owner| owner.controller == Some(true))
    }

    /// `namespace/name`, or just `name` for cluster-scoped objects.
    pub fn qualified_name(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }
}

/// A status condition; pods, nodes and namespaces use subsets of these fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    #[serde(deserialize_with = "super::time::optional")]
    pub last_transition_time: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    pub last_heartbeat_time: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    pub last_probe_time: Option<Timestamp>,
}

/// The first condition of the given type, as the printers and controllers look them up.
pub fn first_condition<'a>(
    conditions: &'a [Condition],
    type_: &str,
) -> Option<(usize, &'a Condition)> {
    conditions
        .iter()
        .enumerate()
        .find(|(_, condition)| condition.type_ == type_)
}

/// A taint on a node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
    #[serde(deserialize_with = "super::time::optional")]
    pub time_added: Option<Timestamp>,
}

impl Taint {
    /// `key=value:Effect`, as `kubectl describe node` prints it.
    pub fn display(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, true) => format!("{}={}", self.key, self.value),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }
}

/// A toleration in a pod spec.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// Whether this toleration tolerates the taint, by the scheduler's matching rules.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if !self.effect.is_empty() && self.effect != taint.effect {
            return false;
        }
        if self.key.is_empty() {
            // An empty key with operator Exists matches every taint.
            return self.operator == "Exists";
        }
        if self.key != taint.key {
            return false;
        }
        match self.operator.as_str() {
            "Exists" => true,
            "" | "Equal" => self.value == taint.value,
            _ => false,
        }
    }
}
