//! The parts of a v1 Namespace that printing and explaining read.

use serde::Deserialize;

use super::meta::{Condition, ObjectMeta};

/// A v1 Namespace.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Namespace {
    pub metadata: ObjectMeta,
    pub spec: NamespaceSpec,
    pub status: NamespaceStatus,
}

/// `spec` of a Namespace: the finalizers the namespace controller must clear.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NamespaceSpec {
    pub finalizers: Vec<String>,
}

/// `status` of a Namespace.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NamespaceStatus {
    pub phase: String,
    pub conditions: Vec<Condition>,
}
