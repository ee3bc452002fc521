//! What a pod reserves: its CPU and memory requests and limits as the scheduler and `kubectl
//! describe node` count them (Kubernetes' `resourcehelper.PodRequests` / `PodLimits`): the
//! app containers and the sidecars together, or the largest init container with the sidecars
//! started before it, whichever is more; the pod-level `spec.resources` when set.

use serde_json::Value;

use super::metrics::Usage;
use super::pod::{Pod, ResourceRequirements};
use super::quantity::Quantity;
use super::resource_list::{self, ResourceList, add, raise};

/// A pod's requests and limits (zero where none is set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reserved {
    pub requests: Usage,
    pub limits: Usage,
}

fn amount(resources: &ResourceRequirements, limits: bool) -> Usage {
    let read = |name: &str| {
        let limit = resources.limits.get(name);
        let value = if limits {
            limit
        } else {
            // API defaulting copies a limit into a missing request.
            resources.requests.get(name).or(limit)
        };
        value.and_then(Quantity::nanos).unwrap_or(0)
    };
    Usage {
        cpu_millis: (read("cpu") / 1_000_000) as i64,
        memory_bytes: (read("memory") / 1_000_000_000) as i64,
    }
}

fn plus(a: Usage, b: Usage) -> Usage {
    Usage {
        cpu_millis: a.cpu_millis + b.cpu_millis,
        memory_bytes: a.memory_bytes + b.memory_bytes,
    }
}

fn max(a: Usage, b: Usage) -> Usage {
    Usage {
        cpu_millis: a.cpu_millis.max(b.cpu_millis),
        memory_bytes: a.memory_bytes.max(b.memory_bytes),
    }
}

fn total(pod: &Pod, limits: bool) -> Usage {
    if let Some(resources) = &pod.spec.resources {
        let pod_level = amount(resources, limits);
        if pod_level != Usage::default() {
            return pod_level;
        }
    }
    let mut running = pod.spec.containers.iter().fold(Usage::default(), |sum, c| {
        plus(sum, amount(&c.resources, limits))
    });
    let mut sidecars = Usage::default();
    let mut largest_init = Usage::default();
    for init in &pod.spec.init_containers {
        let own = amount(&init.resources, limits);
        if init.is_sidecar() {
            sidecars = plus(sidecars, own);
            running = plus(running, own);
            largest_init = max(largest_init, sidecars);
        } else {
            largest_init = max(largest_init, plus(own, sidecars));
        }
    }
    max(running, largest_init)
}

/// What `pod` requests and is limited to.
pub fn reserved(pod: &Pod) -> Reserved {
    Reserved {
        requests: total(pod, false),
        limits: total(pod, true),
    }
}

/// Every resource a raw pod's spec requests (`which` is `requests`) or is limited to (`limits`),
/// as `resourcehelper.PodRequests` / `PodLimits` sum them, overhead aside: the app containers
/// and the sidecars together, or the largest init container beside the sidecars started before
/// it, whichever is more; then the pod-level CPU, memory and huge pages where set. Exact
/// quantities in apimachinery's formats, for what prints them (quota usage, limit ranges).
pub(crate) fn spec_totals(pod: &Value, which: &str) -> ResourceList {
    let containers = |list: &str| {
        pod.pointer(&format!("/spec/{list}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    let own =
        |container: &Value| resource_list::read(container.pointer(&format!("/resources/{which}")));
    let mut total = containers("containers").fold(ResourceList::new(), |sum, c| add(&sum, &own(c)));
    let mut sidecars = ResourceList::new();
    let mut largest_init = ResourceList::new();
    for init in containers("initContainers") {
        let resources = own(init);
        if init.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            total = add(&total, &resources);
            sidecars = add(&sidecars, &resources);
            raise(&mut largest_init, &sidecars);
        } else {
            raise(&mut largest_init, &add(&resources, &sidecars));
        }
    }
    raise(&mut total, &largest_init);
    for (name, quantity) in resource_list::read(pod.pointer(&format!("/spec/resources/{which}"))) {
        if name == "cpu" || name == "memory" || name.starts_with("hugepages-") {
            total.insert(name, quantity);
        }
    }
    total
}

/// `used` as a percentage of `of` (k9s's %CPU/R and the like), or `None` when nothing is
/// reserved (k9s prints `n/a`).
pub fn percent(used: i64, of: i64) -> Option<i64> {
    (of > 0).then(|| (used as i128 * 100 / of as i128) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(json: serde_json::Value) -> Pod {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn containers_add_up_and_a_limit_stands_in_for_a_missing_request() {
        let pod = pod(serde_json::json!({"spec": {"containers": [
            {"name": "a", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
        ]}}));
        let reserved = reserved(&pod);
        assert_eq!(reserved.requests.cpu_millis, 1250);
        assert_eq!(reserved.requests.memory_bytes, (64 + 1024) << 20);
        assert_eq!(reserved.limits.cpu_millis, 1000);
        assert_eq!(reserved.limits.memory_bytes, (128 + 1024) << 20);
    }

    #[test]
    fn the_largest_init_container_counts_when_it_needs_more_and_sidecars_run_alongside() {
        let pod = pod(serde_json::json!({"spec": {
            "initContainers": [
                {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
                {"name": "migrate", "resources": {"requests": {"cpu": "2"}}},
            ],
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "500m"}}}],
        }}));
        // migrate runs beside the proxy: 2100m, more than app + proxy (600m).
        assert_eq!(reserved(&pod).requests.cpu_millis, 2100);
    }

    #[test]
    fn pod_level_resources_decide_when_set() {
        let pod = pod(serde_json::json!({"spec": {
            "resources": {"requests": {"cpu": "3"}},
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "500m"}}}],
        }}));
        assert_eq!(reserved(&pod).requests.cpu_millis, 3000);
    }

    #[test]
    fn percentages_are_whole_and_absent_without_a_reservation() {
        assert_eq!(percent(125, 250), Some(50));
        assert_eq!(percent(999, 1000), Some(99));
        assert_eq!(percent(300, 200), Some(150));
        assert_eq!(percent(5, 0), None);
    }
}
