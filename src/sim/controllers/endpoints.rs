//! The endpoints controller: each Service with a selector lists its pods' addresses, ready
//! and not ready. An Endpoints is created right after its Service, so it is as old as it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::owned::{is_ready, pods, resource};
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;

/// Reconciles the Endpoints of every Service in one namespace.
pub fn reconcile(sim: &Sim, namespace: &str) {
    let services = resource("", "services");
    let endpoints = resource("", "endpoints");
    let (all, _, _) = sim.store.list(services, Some(namespace), None, |_| true, 0);
    if all.is_empty() {
        return;
    }
    let (namespace_pods, _, _) = sim.store.list(
        pods(),
        Some(namespace),
        None,
        |p| p.at("/metadata/deletionTimestamp").is_none() && p.at("/status/podIP").is_some(),
        0,
    );
    for service in all {
        let Some(selector) = service
            .at("/spec/selector")
            .and_then(Value::as_object)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let name = service
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let selector: BTreeMap<&str, &str> = selector
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("")))
            .collect();
        let mut ready = Vec::new();
        let mut not_ready = Vec::new();
        let mut slice_endpoints = Vec::new();
        for pod in namespace_pods.iter().filter(|p| {
            selector.iter().all(|(k, v)| {
                p.at("/metadata/labels")
                    .and_then(|l| l.get(*k))
                    .and_then(Value::as_str)
                    == Some(*v)
            })
        }) {
            let address = json!({
                "ip": pod["status"]["podIP"],
                "nodeName": pod["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "namespace": namespace, "name": pod["metadata"]["name"], "uid": pod["metadata"]["uid"]},
            });
            let pod_ready = is_ready(pod);
            slice_endpoints.push(json!({
                "addresses": [pod["status"]["podIP"]],
                "conditions": {"ready": pod_ready, "serving": pod_ready, "terminating": false},
                "nodeName": pod["spec"]["nodeName"],
                "targetRef": address["targetRef"],
            }));
            if pod_ready {
                ready.push(address)
            } else {
                not_ready.push(address)
            }
        }
        let ports: Vec<Value> = service
            .at("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                let port = p["targetPort"]
                    .as_i64()
                    .or_else(|| p["port"].as_i64())
                    .unwrap_or(0);
                let mut entry =
                    json!({"port": port, "protocol": p["protocol"].as_str().unwrap_or("TCP")});
                if let Some(name) = p["name"].as_str() {
                    entry["name"] = json!(name);
                }
                entry
            })
            .collect();
        let mut subset = json!({"ports": ports});
        if !ready.is_empty() {
            subset["addresses"] = json!(ready);
        }
        if !not_ready.is_empty() {
            subset["notReadyAddresses"] = json!(not_ready);
        }
        let subsets = if ready.is_empty() && not_ready.is_empty() {
            json!([])
        } else {
            json!([subset])
        };
        slice(sim, &service, &name, namespace, slice_endpoints, &ports);
        match sim.store.get(endpoints, namespace, &name) {
            Some(_) => {
                let _ = sim.store.modify(endpoints, namespace, &name, |e| {
                    if e["subsets"] == subsets {
                        return false;
                    }
                    e["subsets"] = subsets.clone();
                    true
                });
            }
            None => {
                let object = json!({
                    "apiVersion": "v1", "kind": "Endpoints",
                    "metadata": {"name": name, "namespace": namespace, "labels": service["metadata"]["labels"]},
                    "subsets": subsets,
                });
                let _ = create_beside(sim, endpoints, &service, object);
            }
        }
    }
}

/// The Service's EndpointSlice, as the EndpointSlice controller keeps it beside the Endpoints:
/// its pods' addresses with their conditions, labelled with the Service's name.
fn slice(
    sim: &Sim,
    service: &Value,
    name: &str,
    namespace: &str,
    endpoints: Vec<Value>,
    ports: &[Value],
) {
    let slices = resource("discovery.k8s.io", "endpointslices");
    let ports: Vec<Value> = ports
        .iter()
        .map(|p| json!({"name": p.get("name").cloned().unwrap_or(json!("")), "port": p["port"], "protocol": p["protocol"]}))
        .collect();
    let (existing, _, _) = sim.store.list(
        slices,
        Some(namespace),
        None,
        |s| {
            s.at("/metadata/labels/kubernetes.io~1service-name")
                .and_then(Value::as_str)
                == Some(name)
        },
        1,
    );
    match existing.first() {
        Some(current) => {
            let slice_name = current["metadata"]["name"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let _ = sim.store.modify(slices, namespace, &slice_name, |s| {
                if s["endpoints"] == json!(endpoints) && s["ports"] == json!(ports) {
                    return false;
                }
                s["endpoints"] = json!(endpoints);
                s["ports"] = json!(ports);
                true
            });
        }
        None => {
            let object = json!({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {
                    "name": format!("{name}-{}", sim.with_rng(|r| r.suffix(5))),
                    "namespace": namespace,
                    "generateName": format!("{name}-"),
                    "labels": {
                        "kubernetes.io/service-name": name,
                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                    },
                    "ownerReferences": [{
                        "apiVersion": "v1", "kind": "Service", "name": name,
                        "uid": service["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
                    }],
                },
                "addressType": "IPv4",
                "endpoints": endpoints,
                "ports": ports,
            });
            let _ = create_beside(sim, slices, service, object);
        }
    }
}

/// Creates `object` for `service` with the Service's creationTimestamp: the controller creates
/// it as soon as the Service exists, which for a seeded cluster is weeks before the sim started.
fn create_beside(
    sim: &Sim,
    resource: &'static crate::sim::resource::ResourceType,
    service: &Value,
    mut object: Value,
) -> Result<(), crate::sim::api_error::ApiError> {
    let namespace = service["metadata"]["namespace"]
        .as_str()
        .map(str::to_string);
    crate::sim::admission::admit_create(sim, resource, namespace.as_deref(), &mut object)?;
    if let Some(created) = service.at("/metadata/creationTimestamp") {
        object["metadata"]["creationTimestamp"] = created.clone();
    }
    // A name taken meanwhile is the next reconcile's to settle.
    let _ = sim.store.create(resource, object);
    Ok(())
}
