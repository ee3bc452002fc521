//! The pod evaluator (`pkg/quota/v1/evaluator/core/pods.go`): a pod uses `count/pods` for as
//! long as it is stored, and `pods` and its compute resources (requests and limits as the
//! scheduler sums them) only while it has not finished; the containers must name the compute
//! resources a quota limits; scopes pick pods by deadline, QoS class or priority class.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::{ResourceList, ScopeRequirement, add, read_list};
use crate::model::go_quantity::GoQuantity;
use crate::model::pod_resources::spec_totals;

/// The resources the pod evaluator tracks by name.
const POD_RESOURCES: [&str; 11] = [
    "count/pods",
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];

/// The resources a quota makes every container name (`validationSet`): quotas on CPU and memory
/// have required explicit requests since before QoS classes existed.
const MUST_BE_NAMED: [&str; 6] = [
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// `helper.IsExtendedResourceName`: a resource outside the `kubernetes.io` domains.
fn is_extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/") && !name.starts_with("requests.")
}

/// Whether the pod evaluator tracks `name`: its own resources, huge pages, and extended
/// resources as `requests.NAME`.
pub(super) fn tracks(name: &str) -> bool {
    POD_RESOURCES.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
        || name.strip_prefix("requests.").is_some_and(is_extended)
}

/// `QuotaV1Pod`: a finished pod, or one whose deletion grace period has run out (on a lost
/// node, say), no longer uses its compute resources.
fn counts_compute(pod: &Value, now: Timestamp) -> bool {
    if matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    ) {
        return false;
    }
    let deleted = pod
        .pointer("/metadata/deletionTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok());
    let grace = pod
        .pointer("/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_i64);
    match (deleted, grace) {
        (Some(deleted), Some(grace)) => now <= deleted + SignedDuration::from_secs(grace),
        _ => true,
    }
}

/// `podComputeUsageHelper`: `pods`, and each compute resource under the names quotas give it.
fn compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("pods".into(), GoQuantity::units(1));
    for resource in ["cpu", "memory", "ephemeral-storage"] {
        if let Some(request) = requests.get(resource) {
            usage.insert(resource.into(), *request);
            usage.insert(format!("requests.{resource}"), *request);
        }
        if let Some(limit) = limits.get(resource) {
            usage.insert(format!("limits.{resource}"), *limit);
        }
    }
    for (resource, request) in requests {
        if resource.starts_with("hugepages-") {
            usage.insert(resource.clone(), *request);
            usage.insert(format!("requests.{resource}"), *request);
        }
        if is_extended(resource) {
            usage.insert(format!("requests.{resource}"), *request);
        }
    }
    usage
}

fn containers<'a>(pod: &'a Value, list: &str) -> impl Iterator<Item = &'a Value> {
    pod.pointer(&format!("/spec/{list}"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `resourcehelper.PodRequests` or `PodLimits` (`which` is `requests` or `limits`): the spec's
/// totals and the pod's overhead (added to a limit only where there is one).
fn pod_total(pod: &Value, which: &str) -> ResourceList {
    let mut total = spec_totals(pod, which);
    for (name, quantity) in read_list(pod.pointer("/spec/overhead")) {
        if which == "requests" {
            total
                .entry(name)
                .and_modify(|q| q.add(quantity))
                .or_insert(quantity);
        } else if let Some(limit) = total.get_mut(&name) {
            limit.add(quantity);
        }
    }
    total
}

/// `PodUsageFunc`: `count/pods` always; `pods` and the compute resources while it counts.
pub(super) fn usage(pod: &Value, now: Timestamp) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("count/pods".into(), GoQuantity::units(1));
    if !counts_compute(pod, now) {
        return usage;
    }
    add(
        &usage,
        &compute_usage(&pod_total(pod, "requests"), &pod_total(pod, "limits")),
    )
}

/// `Constraints`: every container and init container names each compute resource the quota
/// limits (`required`), or the pod is refused with what is missing for whom:
/// `must specify limits.cpu for: c1; requests.cpu for: c1,c2`.
pub(super) fn constraints(required: &[&String], pod: &Value) -> Result<(), String> {
    let required: Vec<&str> = required
        .iter()
        .map(|name| name.as_str())
        .filter(|name| MUST_BE_NAMED.contains(name))
        .collect();
    let mut missing: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for container in containers(pod, "containers").chain(containers(pod, "initContainers")) {
        let named = compute_usage(
            &read_list(container.pointer("/resources/requests")),
            &read_list(container.pointer("/resources/limits")),
        );
        for resource in &required {
            if !named.contains_key(*resource) {
                missing
                    .entry(resource)
                    .or_default()
                    .insert(container["name"].as_str().unwrap_or(""));
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|(resource, names)| {
            format!(
                "{resource} for: {}",
                names.iter().copied().collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    Err(format!("must specify {}", parts.join("; ")))
}

/// `podMatchesScopeFunc`.
pub(super) fn matches_scope(pod: &Value, scope: &ScopeRequirement) -> bool {
    let terminating = pod
        .pointer("/spec/activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|seconds| seconds >= 0);
    match scope.scope.as_str() {
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        "BestEffort" => is_best_effort(pod),
        "NotBestEffort" => !is_best_effort(pod),
        "PriorityClass" => {
            let class = pod
                .pointer("/spec/priorityClassName")
                .and_then(Value::as_str)
                .unwrap_or("");
            // Matched as a label selector over {PriorityClass: class}, a key always present.
            match scope.operator.as_str() {
                "Exists" => !class.is_empty(),
                "In" => scope.values.iter().any(|v| v == class),
                "NotIn" => !scope.values.iter().any(|v| v == class),
                _ => false,
            }
        }
        "CrossNamespacePodAffinity" => uses_cross_namespace_affinity(pod),
        _ => false,
    }
}

/// BestEffort: no container asks for or is limited to any CPU or memory.
fn is_best_effort(pod: &Value) -> bool {
    let named = |list: Option<&Value>| {
        read_list(list)
            .iter()
            .any(|(name, q)| (name == "cpu" || name == "memory") && !q.is_zero())
    };
    !containers(pod, "containers")
        .chain(containers(pod, "initContainers"))
        .any(|c| named(c.pointer("/resources/requests")) || named(c.pointer("/resources/limits")))
        && !named(pod.pointer("/spec/resources/requests"))
        && !named(pod.pointer("/spec/resources/limits"))
}

/// A pod (anti-)affinity term naming other namespaces or selecting them.
fn uses_cross_namespace_affinity(pod: &Value) -> bool {
    let terms = ["podAffinity", "podAntiAffinity"]
        .into_iter()
        .flat_map(|kind| {
            let required = pod
                .pointer(&format!(
                    "/spec/affinity/{kind}/requiredDuringSchedulingIgnoredDuringExecution"
                ))
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            let preferred = pod
                .pointer(&format!(
                    "/spec/affinity/{kind}/preferredDuringSchedulingIgnoredDuringExecution"
                ))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|weighted| weighted.get("podAffinityTerm"));
            required.chain(preferred)
        });
    terms.into_iter().any(|term| {
        term.get("namespaceSelector").is_some()
            || term
                .get("namespaces")
                .and_then(Value::as_array)
                .is_some_and(|n| !n.is_empty())
    })
}
