//! metrics.k8s.io: CPU and memory usage for running pods and for nodes, made up from each
//! container's requests and a steady per-container wobble, as metrics-server would report.

use axum::response::Response;
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::handler::json as json_response;
use super::list::Filter;
use super::query::Query;
use super::resource::find_built_in;
use super::route::ResourceRoute;
use super::state::{Sim, is_ready, time_text};

/// GET on metrics.k8s.io nodes or pods.
pub fn serve(sim: &Sim, target: &ResourceRoute, query: &Query) -> Result<Response, ApiError> {
    let now = sim.now();
    let timestamp = time_text(now);
    let pods = find_built_in("", "v1", "pods").expect("pods are served");
    let nodes = find_built_in("", "v1", "nodes").expect("nodes are served");
    let window = "20.036s";
    // A node that stopped reporting reports no metrics, for itself or its pods.
    let ready_nodes: std::collections::HashSet<String> = sim
        .store
        .list(nodes, None, None, |_| true, 0)
        .0
        .iter()
        .filter(|n| is_ready(n))
        .filter_map(|n| {
            n.pointer("/metadata/name")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let running = |namespace: Option<&str>| {
        sim.store
            .list(
                pods,
                namespace,
                None,
                |p| {
                    p.pointer("/status/phase").and_then(Value::as_str) == Some("Running")
                        && p.pointer("/spec/nodeName")
                            .and_then(Value::as_str)
                            .is_some_and(|n| ready_nodes.contains(n))
                },
                0,
            )
            .0
    };
    match target.resource.plural {
        "pods" => {
            let filter = Filter::new(pods, query)?;
            let items: Vec<Value> = running(target.namespace.as_deref())
                .iter()
                .filter(|p| filter.matches(p))
                .map(|pod| pod_metrics(pod, &timestamp, window))
                .collect();
            let items = match &target.name {
                Some(name) => {
                    return items
                        .into_iter()
                        .find(|m| m.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
                        .map(json_response)
                        .ok_or_else(|| ApiError::not_found(target.resource, name));
                }
                None => items,
            };
            Ok(json_response(json!({
                "kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {}, "items": items
            })))
        }
        _ => {
            let all_running = running(None);
            let filter = Filter::new(nodes, query)?;
            let (node_list, _, _) = sim.store.list(nodes, None, None, |n| filter.matches(n), 0);
            let items: Vec<Value> = node_list
                .iter()
                // A node that is not Ready reports no metrics.
                .filter(|node| is_ready(node))
                .map(|node| {
                    let name = node.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
                    let (mut cpu, mut memory) = (150_000_000u64, 900 * 1024 * 1024u64);
                    for pod in all_running.iter().filter(|p| p.pointer("/spec/nodeName").and_then(Value::as_str) == Some(name)) {
                        for (_, c, m) in container_usage(pod) {
                            cpu += c;
                            memory += m;
                        }
                    }
                    json!({
                        "metadata": {"name": name, "creationTimestamp": timestamp, "labels": node["metadata"]["labels"]},
                        "timestamp": timestamp, "window": window,
                        "usage": {"cpu": format!("{}n", cpu), "memory": format!("{}Ki", memory / 1024)}
                    })
                })
                .collect();
            if let Some(name) = &target.name {
                return items
                    .into_iter()
                    .find(|m| m.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
                    .map(json_response)
                    .ok_or_else(|| ApiError::not_found(target.resource, name));
            }
            Ok(json_response(json!({
                "kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {}, "items": items
            })))
        }
    }
}

fn pod_metrics(pod: &Value, timestamp: &str, window: &str) -> Value {
    let containers: Vec<Value> = container_usage(pod)
        .into_iter()
        .map(|(name, cpu, memory)| json!({"name": name, "usage": {"cpu": format!("{cpu}n"), "memory": format!("{}Ki", memory / 1024)}}))
        .collect();
    json!({
        "metadata": {
            "name": pod["metadata"]["name"], "namespace": pod["metadata"]["namespace"],
            "creationTimestamp": timestamp, "labels": pod["metadata"]["labels"]
        },
        "timestamp": timestamp, "window": window, "containers": containers
    })
}

/// (container, cpu nanocores, memory bytes) for each running container: a share of its request
/// (or a small default), steady for a given container.
fn container_usage(pod: &Value) -> Vec<(String, u64, u64)> {
    let uid = pod
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    pod.pointer("/spec/containers")
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
                        c.pointer(&format!("/resources/requests/{resource}"))
                            .and_then(|q| {
                                crate::model::quantity::Quantity(
                                    q.as_str().map_or_else(|| q.to_string(), str::to_string),
                                )
                                .nanos()
                            })
                            .map_or(default, |n| (n.max(0) as u128 / 1_000_000_000) as u64)
                    };
                    let cpu_nanocores = c
                        .pointer("/resources/requests/cpu")
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
