//! Readings of metrics.k8s.io: CPU and memory used, by pod and by node, and how often a
//! reading can change.

use std::collections::HashMap;

/// Usages by pod or node. foldhash: a reading of 50,000 pods is keyed every 15 s, and the
/// names come from the API server, so SipHash's DoS resistance buys nothing.
pub type UsageMap<K> = HashMap<K, Usage, foldhash::fast::RandomState>;
use std::time::Duration;

use serde_json::Value;

use super::quantity::Quantity;
use super::watched::Key;

/// CPU in millicores and memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

impl Usage {
    /// Adds a metrics.k8s.io `usage` object (`{cpu, memory}` quantities).
    pub fn add(&mut self, usage: &Value) {
        self.add_quantities(
            usage.get("cpu").and_then(Value::as_str),
            usage.get("memory").and_then(Value::as_str),
        );
    }

    /// Adds a CPU and a memory quantity as metrics.k8s.io writes them (`12m`, `34Mi`); an
    /// absent or unreadable one adds nothing.
    pub fn add_quantities(&mut self, cpu: Option<&str>, memory: Option<&str>) {
        let read = |quantity: Option<&str>| {
            quantity
                .and_then(|q| Quantity(q.to_string()).nanos())
                .unwrap_or(0)
        };
        self.cpu_millis += (read(cpu) / 1_000_000) as i64;
        self.memory_bytes += (read(memory) / 1_000_000_000) as i64;
    }
}

/// One list read from metrics.k8s.io.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricsReading {
    /// PodMetrics: each pod's containers summed, by (namespace, name).
    Pods(UsageMap<Key>),
    /// NodeMetrics, by node name.
    Nodes(UsageMap<String>),
}

/// Which lists of metrics.k8s.io the app wants read now: the runtime has them read while it
/// does, and not at all otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WantedMetrics {
    /// PodMetrics (of the namespace watched, or all).
    pub pods: bool,
    /// NodeMetrics.
    pub nodes: bool,
}

/// What the app knows of metrics.k8s.io: whether the cluster serves it, and the last reading
/// of each list (kept when its columns leave the screen, shown again if they come back).
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    /// Discovery found metrics.k8s.io answering (a metrics-server, or another adapter).
    pub served: bool,
    pub pods: Option<UsageMap<Key>>,
    pub nodes: Option<UsageMap<String>>,
}

impl Metrics {
    /// The pods' usage columns have something to show, or will have.
    pub fn for_pods(&self) -> bool {
        self.served || self.pods.is_some()
    }

    /// The nodes' usage columns have something to show, or will have.
    pub fn for_nodes(&self) -> bool {
        self.served || self.nodes.is_some()
    }

    pub fn pod(&self, key: &Key) -> Option<Usage> {
        self.pods.as_ref()?.get(key).copied()
    }

    pub fn node(&self, name: &str) -> Option<Usage> {
        self.nodes.as_ref()?.get(name).copied()
    }

    /// Takes a reading in place of the last one of its list, and gives that one back.
    pub fn take(&mut self, reading: MetricsReading) -> Option<MetricsReading> {
        match reading {
            MetricsReading::Pods(pods) => self.pods.replace(pods).map(MetricsReading::Pods),
            MetricsReading::Nodes(nodes) => self.nodes.replace(nodes).map(MetricsReading::Nodes),
        }
    }
}

/// A duration as Go prints one (`time.Duration.String`, which metrics.k8s.io's `window` is
/// written with: `20.036s`, `1m0s`, `500ms`), as `time.ParseDuration` reads it; None for a
/// negative or unreadable one.
pub fn parse_go_duration(text: &str) -> Option<Duration> {
    let text = text.strip_prefix('+').unwrap_or(text);
    if text == "0" {
        return Some(Duration::ZERO);
    }
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let mut rest = text;
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_end..];
        nanos += number * scale;
    }
    Some(Duration::from_nanos(nanos.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_read_as_go_reads_them() {
        let read = |text| parse_go_duration(text).map(|d| d.as_millis());
        assert_eq!(read("20.036s"), Some(20_036));
        assert_eq!(read("1m0s"), Some(60_000));
        assert_eq!(read("1m30.5s"), Some(90_500));
        assert_eq!(read("500ms"), Some(500));
        assert_eq!(read("1h"), Some(3_600_000));
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("0s"), Some(0));
        assert_eq!(read("-1s"), None);
        assert_eq!(read("15"), None);
        assert_eq!(read("15x"), None);
        assert_eq!(read(""), None);
    }

    #[test]
    fn a_reading_replaces_only_its_own_list() {
        let mut metrics = Metrics::default();
        assert!(!metrics.for_pods());
        let used = Usage {
            cpu_millis: 5,
            memory_bytes: 7,
        };
        metrics.take(MetricsReading::Nodes(UsageMap::from_iter([(
            "n1".to_string(),
            used,
        )])));
        metrics.take(MetricsReading::Pods(UsageMap::from_iter([(
            ("ns".to_string(), "p".to_string()),
            used,
        )])));
        metrics.take(MetricsReading::Pods(UsageMap::default()));
        assert_eq!(metrics.node("n1"), Some(used));
        assert_eq!(metrics.pod(&("ns".to_string(), "p".to_string())), None);
        assert!(metrics.for_pods() && metrics.for_nodes() && !metrics.served);
    }
}
