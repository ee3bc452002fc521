//! A reading of metrics.k8s.io: CPU and memory used, by pod and by node.

use std::collections::HashMap;

use serde_json::Value;

use super::quantity::Quantity;

/// CPU in millicores and memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

impl Usage {
    /// Adds a metrics.k8s.io `usage` object (`{cpu, memory}` quantities).
    pub fn add(&mut self, usage: &Value) {
        let read = |field: &str| {
            usage
                .get(field)
                .and_then(Value::as_str)
                .and_then(|q| Quantity(q.to_string()).nanos())
                .unwrap_or(0)
        };
        self.cpu_millis += (read("cpu") / 1_000_000) as i64;
        self.memory_bytes += (read("memory") / 1_000_000_000) as i64;
    }
}

/// One reading of the cluster's usage.
#[derive(Debug, Clone, Default)]
pub struct MetricsSnapshot {
    /// By (namespace, pod name).
    pub pods: HashMap<(String, String), Usage>,
    /// By node name.
    pub nodes: HashMap<String, Usage>,
}
