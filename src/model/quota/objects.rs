//! The Service and PersistentVolumeClaim evaluators (`pkg/quota/v1/evaluator/core`): a Service
//! uses `services`, its node ports and load balancer; a claim uses `persistentvolumeclaims` and
//! its storage request, in all and in its storage class.

use serde_json::Value;

use super::{ResourceList, read_list};
use crate::model::go_quantity::GoQuantity;

const SERVICE_RESOURCES: [&str; 4] = [
    "services",
    "count/services",
    "services.loadbalancers",
    "services.nodeports",
];

/// What a quota names a storage class's resources with: `CLASS.storageclass.storage.k8s.io/`.
const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";

pub(super) fn service_tracks(name: &str) -> bool {
    SERVICE_RESOURCES.contains(&name)
}

pub(super) fn service_usage(service: &Value) -> ResourceList {
    let ports = service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let (node_ports, load_balancers) = match service.pointer("/spec/type").and_then(Value::as_str) {
        Some("NodePort") => (ports.len(), 0),
        Some("LoadBalancer") => {
            // Without node ports allocated, only those asked for by number count.
            let allocated = service
                .pointer("/spec/allocateLoadBalancerNodePorts")
                .and_then(Value::as_bool)
                != Some(false);
            let node_ports = if allocated {
                ports.len()
            } else {
                ports
                    .iter()
                    .filter(|p| p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) > 0)
                    .count()
            };
            (node_ports, 1)
        }
        _ => (0, 0),
    };
    let count = |n: usize| GoQuantity::units(n as i64);
    [
        ("services", count(1)),
        ("services.nodeports", count(node_ports)),
        ("services.loadbalancers", count(load_balancers)),
    ]
    .into_iter()
    .map(|(name, quantity)| (name.to_string(), quantity))
    .collect()
}

pub(super) fn claim_tracks(name: &str) -> bool {
    matches!(
        name,
        "persistentvolumeclaims" | "count/persistentvolumeclaims" | "requests.storage"
    ) || name
        .split_once(STORAGE_CLASS_SUFFIX)
        .is_some_and(|(_, resource)| {
            resource == "requests.storage" || resource == "persistentvolumeclaims"
        })
}

pub(super) fn claim_usage(claim: &Value) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("persistentvolumeclaims".into(), GoQuantity::units(1));
    let class = claim
        .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .or_else(|| claim.pointer("/spec/storageClassName"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !class.is_empty() {
        usage.insert(
            format!("{class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"),
            GoQuantity::units(1),
        );
    }
    // What is asked for, or what an expansion already allocated, whichever is more; counted
    // in whole bytes.
    let requested = read_list(claim.pointer("/spec/resources/requests"))
        .get("storage")
        .copied();
    let allocated = read_list(claim.pointer("/status/allocatedResources"))
        .get("storage")
        .copied();
    let storage = match (requested, allocated) {
        (Some(r), Some(a)) if a.compare(r).is_gt() => Some(a),
        (Some(r), _) => Some(r),
        (None, a) => a,
    };
    if let Some(storage) = storage.map(GoQuantity::round_up_to_units) {
        usage.insert("requests.storage".into(), storage);
        if !class.is_empty() {
            usage.insert(
                format!("{class}{STORAGE_CLASS_SUFFIX}requests.storage"),
                storage,
            );
        }
    }
    usage
}
