//! metrics.k8s.io: CPU and memory usage for running pods and for nodes, made up from each
//! container's requests and a steady per-container wobble, as metrics-server would report.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::response::Response;
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::handler::{json as json_response, json_bytes};
use super::list::Filter;
use super::pod_tally::{PodTally, Tallied};
use super::query::Query;
use super::resource::find_built_in;
use super::route::ResourceRoute;
use super::state::{Sim, is_ready, time_text};
use crate::sim::pointer::Pointer;

/// What each running pod uses, and each node's sum, kept current from the store's changes: a
/// request reads the changes since the last one (or everything, once, or when the history no
/// longer reaches back), so it costs its answer, not every pod for every node.
#[derive(Default)]
pub struct UsageIndex {
    inner: Mutex<Tallied<Usage>>,
}

#[derive(Default)]
struct Usage {
    /// Running pods by (namespace, name): their node and containers' usage.
    pods: HashMap<(String, String), PodUsage>,
    /// Per node: CPU nanocores and memory bytes of its running pods.
    nodes: HashMap<String, (u64, u64)>,
}

struct PodUsage {
    node: String,
    containers: Vec<(String, u64, u64)>,
}

impl UsageIndex {
    /// Builds the sums now rather than on the first request (0.6 s at 50,000 pods, which the
    /// first NodeMetrics list would wait for).
    pub fn warm(&self, sim: &Sim) {
        Tallied::read(&self.inner, sim, |_| ());
    }
}

impl PodTally for Usage {
    fn forget(&mut self, key: &(String, String)) {
        if let Some(pod) = self.pods.remove(key)
            && let Some((cpu, memory)) = self.nodes.get_mut(&pod.node)
        {
            for (_, c, m) in &pod.containers {
                *cpu -= c;
                *memory -= m;
            }
        }
    }

    /// Adds a pod if it is running on a node.
    fn count(&mut self, key: (String, String), pod: &Value) {
        if pod.at("/status/phase").and_then(Value::as_str) != Some("Running") {
            return;
        }
        let Some(node) = pod.at("/spec/nodeName").and_then(Value::as_str) else {
            return;
        };
        let containers = container_usage(pod);
        let (cpu, memory) = self.nodes.entry(node.to_string()).or_default();
        for (_, c, m) in &containers {
            *cpu += c;
            *memory += m;
        }
        let node = node.to_string();
        self.pods.insert(key, PodUsage { node, containers });
    }
}

/// `serve` on a thread of its own, at the controllers' lower priority (`spawn_controllers`):
/// metrics-server is a process of its own on the cluster's machines, and here it shares the
/// client's. A PodMetrics list of 51,539 pods keeps nearly two cores busy for a quarter of a
/// second; on a runtime worker at the client's priority, a key typed into the client meanwhile
/// waited for it (a filter's first key drawn in 31 ms, against 2 to 5 ms otherwise).
pub async fn serve_apart(
    sim: Arc<Sim>,
    target: ResourceRoute,
    query: Query,
) -> Result<Response, ApiError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("sim-metrics".into())
        .spawn(move || {
            super::lower_this_threads_priority(&sim);
            let _ = answer.send(serve(&sim, &target, &query));
        })
        .map_err(|error| ApiError::internal(format!("cannot serve metrics: {error}")))?;
    answered
        .await
        .map_err(|_| ApiError::internal("the metrics request was not answered"))?
}

/// GET on metrics.k8s.io nodes or pods.
pub fn serve(sim: &Sim, target: &ResourceRoute, query: &Query) -> Result<Response, ApiError> {
    let now = sim.now();
    let timestamp = time_text(now);
    let pods = find_built_in("", "v1", "pods").expect("pods are served");
    let nodes = find_built_in("", "v1", "nodes").expect("nodes are served");
    let window = "20.036s";
    let mut tallied = sim
        .usage
        .inner
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let usage = tallied.current(sim);
    // A node that stopped reporting reports no metrics, for itself or its pods.
    let node_list = match (&target.resource.plural, &target.name) {
        (&"nodes", Some(name)) => sim.store.get(nodes, "", name).into_iter().collect(),
        (&"nodes", None) => {
            let filter = Filter::new(nodes, query)?;
            sim.store
                .list(nodes, None, None, |n| filter.matches(n), 0)
                .0
        }
        _ => sim.store.list(nodes, None, None, |_| true, 0).0,
    };
    let ready_nodes: HashMap<&str, &Value> = node_list
        .iter()
        .filter(|n| is_ready(n))
        .filter_map(|n| Some((n.at("/metadata/name")?.as_str()?, n.as_ref())))
        .collect();
    match target.resource.plural {
        "pods" => {
            let filter = Filter::new(pods, query)?;
            // The containers' usage of a pod metrics-server reports: running on a ready node,
            // and picked by the request's selectors.
            let usage_of = |pod: &Value| {
                let key = crate::sim::store::object_key(pod);
                usage
                    .pods
                    .get(&key)
                    .filter(|u| ready_nodes.contains_key(u.node.as_str()))
                    .filter(|_| filter.matches(pod))
                    .map(|u| u.containers.clone())
            };
            if let Some(name) = &target.name {
                let namespace = target.namespace.as_deref().unwrap_or_default();
                let pod = sim.store.get(pods, namespace, name);
                let reported = pod.as_ref().and_then(|pod| Some((pod, usage_of(pod)?)));
                return reported
                    .map(|(pod, containers)| {
                        let item = pod_metrics(pod, &containers, &timestamp, window);
                        json_bytes(serde_json::to_vec(&item).expect("metrics serialise"))
                    })
                    .ok_or_else(|| ApiError::not_found(target.resource, name));
            }
            // The pods reported and their usages are gathered under the lock; the answer (16.7
            // MB at 50,000 pods) is written after it is let go, straight from borrowed parts.
            let namespace = target.namespace.as_deref();
            let (all, _, _) = sim.store.list(pods, namespace, None, |_| true, 0);
            let reported: Vec<Reported> = all
                .into_iter()
                .filter_map(|pod| {
                    let containers = usage_of(&pod)?;
                    Some((pod, containers))
                })
                .collect();
            drop(ready_nodes);
            drop(tallied);
            let list = PodMetricsList {
                kind: "PodMetricsList",
                api_version: "metrics.k8s.io/v1beta1",
                metadata: Empty {},
                items: Items(&reported, &timestamp, window),
            };
            let body = serde_json::to_vec(&list).expect("metrics serialise");
            Ok(json_bytes(body))
        }
        _ => {
            let item = |(name, node): (&&str, &&Value)| {
                // The node's own processes, then its running pods.
                let (cpu, memory) = usage.nodes.get(*name).copied().unwrap_or_default();
                let (cpu, memory) = (150_000_000 + cpu, 900 * 1024 * 1024 + memory);
                json!({
                    "metadata": {"name": name, "creationTimestamp": timestamp, "labels": node["metadata"]["labels"]},
                    "timestamp": timestamp, "window": window,
                    "usage": {"cpu": format!("{}n", cpu), "memory": format!("{}Ki", memory / 1024)}
                })
            };
            if let Some(name) = &target.name {
                return ready_nodes
                    .get_key_value(name.as_str())
                    .map(item)
                    .map(json_response)
                    .ok_or_else(|| ApiError::not_found(target.resource, name));
            }
            // In the list's order (by name), as metrics-server sorts them.
            let items: Vec<Value> = node_list
                .iter()
                .filter_map(|n| ready_nodes.get_key_value(n.at("/metadata/name")?.as_str()?))
                .map(item)
                .collect();
            Ok(json_response(json!({
                "kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {}, "items": items
            })))
        }
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PodMetricsList<'a> {
    kind: &'static str,
    api_version: &'static str,
    metadata: Empty,
    items: Items<'a>,
}

#[derive(serde::Serialize)]
struct Empty {}

/// A pod reported, with its containers' (name, CPU nanocores, memory bytes).
type Reported = (std::sync::Arc<Value>, Vec<(String, u64, u64)>);

/// The reported pods, each written as `pod_metrics` lays it out, without a tree per pod.
struct Items<'a>(&'a [Reported], &'a str, &'a str);

impl serde::Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Items(pods, timestamp, window) = *self;
        serializer.collect_seq(
            pods.iter()
                .map(|(pod, containers)| pod_metrics(pod, containers, timestamp, window)),
        )
    }
}

#[derive(serde::Serialize)]
struct PodMetricsItem<'a> {
    metadata: ItemMeta<'a>,
    timestamp: &'a str,
    window: &'a str,
    containers: Vec<ContainerItem<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemMeta<'a> {
    name: &'a Value,
    namespace: &'a Value,
    creation_timestamp: &'a str,
    labels: &'a Value,
}

#[derive(serde::Serialize)]
struct ContainerItem<'a> {
    name: &'a str,
    usage: ContainerUsage,
}

#[derive(serde::Serialize)]
struct ContainerUsage {
    cpu: String,
    memory: String,
}

/// A pod's PodMetrics, in metrics-server's field order.
fn pod_metrics<'a>(
    pod: &'a Value,
    containers: &'a [(String, u64, u64)],
    timestamp: &'a str,
    window: &'a str,
) -> PodMetricsItem<'a> {
    PodMetricsItem {
        metadata: ItemMeta {
            name: &pod["metadata"]["name"],
            namespace: &pod["metadata"]["namespace"],
            creation_timestamp: timestamp,
            labels: &pod["metadata"]["labels"],
        },
        timestamp,
        window,
        containers: containers
            .iter()
            .map(|(name, cpu, memory)| ContainerItem {
                name,
                usage: ContainerUsage {
                    cpu: format!("{cpu}n"),
                    memory: format!("{}Ki", memory / 1024),
                },
            })
            .collect(),
    }
}

/// (container, cpu nanocores, memory bytes) for each running container: a share of its request
/// (or a small default), steady for a given container.
/// Each container's name, CPU nanocores and memory bytes, as metrics-server would report them.
pub fn container_usage(pod: &Value) -> Vec<(String, u64, u64)> {
    let uid = pod
        .at("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    pod.at("/spec/containers")
        .and_then(Value::as_array)
        .map(|containers| {
            containers
                .iter()
                .map(|c| {
                    let name = c["name"].as_str().unwrap_or("").to_string();
                    let h = uid
                        .bytes()
                        .chain(name.bytes())
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                        });
                    let share = 20 + h % 70;
                    let request = |resource: &str, default: u64| {
                        c.at(&format!("/resources/requests/{resource}"))
                            .and_then(|q| {
                                crate::model::quantity::Quantity(
                                    q.as_str().map_or_else(|| q.to_string(), str::to_string),
                                )
                                .nanos()
                            })
                            .map_or(default, |n| (n.max(0) as u128 / 1_000_000_000) as u64)
                    };
                    let cpu_nanocores = c
                        .at("/resources/requests/cpu")
                        .and_then(|q| {
                            crate::model::quantity::Quantity(
                                q.as_str().map_or_else(|| q.to_string(), str::to_string),
                            )
                            .nanos()
                        })
                        .map_or(50_000_000u64, |n| n.max(0) as u64);
                    let memory = request("memory", 64 * 1024 * 1024);
                    (name, cpu_nanocores * share / 100, memory * share / 100)
                })
                .collect()
        })
        .unwrap_or_default()
}
