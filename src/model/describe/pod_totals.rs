//! What a pod requests and is limited to, as `kubectl describe node` counts it
//! (`resourcehelper.PodRequests` and `PodLimits` of Kubernetes' component helpers), for every
//! resource and with each quantity's format, which decides how the totals print.
//!
//! The app containers and sidecars add up; an init container counts with the sidecars started
//! before it, and the pod takes the larger of the two. Pod-level `spec.resources` replace the
//! containers' CPU, memory and huge pages; the pod's overhead is added. Counted "with status",
//! a container's resources are the largest of its spec, what the kubelet allocated and what it
//! actuated (an in-place resize in progress), or only the latter two when the resize is
//! infeasible.

use std::collections::BTreeMap;

use super::pod::is_pod_level_resource;
use super::raw::Raw;
use crate::model::go_quantity::GoQuantity;

/// A `ResourceList`: quantities by resource name.
pub(super) type ResourceList<'a> = BTreeMap<&'a str, GoQuantity>;

/// Requests or limits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Requests,
    Limits,
}

impl Side {
    fn field(self) -> &'static str {
        match self {
            Side::Requests => "requests",
            Side::Limits => "limits",
        }
    }
}

/// A raw `ResourceList` (quantities that do not parse are left out).
pub(super) fn resource_list(raw: Raw<'_>) -> ResourceList<'_> {
    raw.entries()
        .into_iter()
        .filter_map(|(name, quantity)| Some((name, quantity.go_quantity()?)))
        .collect()
}

/// `addResourceList`: adds each quantity of `more` to `list`.
pub(super) fn add_resources<'a>(list: &mut ResourceList<'a>, more: &ResourceList<'a>) {
    for (name, quantity) in more {
        list.entry(name)
            .and_modify(|total| total.add(*quantity))
            .or_insert(*quantity);
    }
}

/// `maxResourceList`: raises each quantity of `list` to that of `other` where it is larger (a
/// tie keeps the one already there, with its format).
fn max_resources<'a>(list: &mut ResourceList<'a>, other: &ResourceList<'a>) {
    for (name, quantity) in other {
        match list.get(name) {
            Some(current) if quantity.compare(*current).is_le() => {}
            _ => {
                list.insert(name, *quantity);
            }
        }
    }
}

/// `resourcehelper.PodRequests`, with status resources when `with_status`.
pub(super) fn pod_requests<'a>(pod: Raw<'a>, with_status: bool) -> ResourceList<'a> {
    let mut requests = container_totals(pod, Side::Requests, with_status);
    let pod_level = pod.at("spec").at("resources").at("requests");
    if sets_pod_level_resources(pod_level) {
        apply_pod_level(&mut requests, pod_level);
    }
    add_resources(&mut requests, &resource_list(pod.at("spec").at("overhead")));
    requests
}

/// `resourcehelper.PodLimits`, with status resources when `with_status`.
pub(super) fn pod_limits<'a>(pod: Raw<'a>, with_status: bool) -> ResourceList<'a> {
    let mut limits = container_totals(pod, Side::Limits, with_status);
    let pod_level = pod.at("spec").at("resources");
    if sets_pod_level_resources(pod_level.at("requests"))
        || sets_pod_level_resources(pod_level.at("limits"))
    {
        apply_pod_level(&mut limits, pod_level.at("limits"));
    }
    // The overhead is added only to limits that are set.
    for (name, overhead) in resource_list(pod.at("spec").at("overhead")) {
        if let Some(limit) = limits.get_mut(name).filter(|limit| !limit.is_zero()) {
            limit.add(overhead);
        }
    }
    limits
}

fn sets_pod_level_resources(list: Raw<'_>) -> bool {
    list.entries()
        .iter()
        .any(|(name, _)| is_pod_level_resource(name))
}

fn apply_pod_level<'a>(list: &mut ResourceList<'a>, pod_level: Raw<'a>) {
    for (name, quantity) in resource_list(pod_level) {
        if is_pod_level_resource(name) {
            list.insert(name, quantity);
        }
    }
}

/// `AggregateContainerRequests` / `AggregateContainerLimits`.
fn container_totals<'a>(pod: Raw<'a>, side: Side, with_status: bool) -> ResourceList<'a> {
    let spec = aggregate(pod, |container, _| {
        resource_list(container.at("resources").at(side.field()))
    });
    if !with_status {
        return spec;
    }
    let infeasible = resize_infeasible(pod);
    // What the kubelet actuated, else allocated (requests only), else the spec unless the
    // resize cannot be done.
    let actuated = aggregate(pod, |container, status| {
        let reported = status.map(|status| status.at("resources").at(side.field()));
        let allocated = status.map(|status| status.at("allocatedResources"));
        if let Some(reported) = reported.filter(|reported| reported.exists()) {
            resource_list(reported)
        } else if let Some(allocated) =
            allocated.filter(|allocated| side == Side::Requests && allocated.exists())
        {
            resource_list(allocated)
        } else if infeasible {
            ResourceList::new()
        } else {
            resource_list(container.at("resources").at(side.field()))
        }
    });
    let mut total = if infeasible {
        ResourceList::new()
    } else {
        spec
    };
    max_resources(&mut total, &actuated);
    if side == Side::Requests {
        let allocated = aggregate(pod, |container, status| {
            match status.map(|status| status.at("allocatedResources")) {
                Some(allocated) if allocated.exists() => resource_list(allocated),
                _ if infeasible => ResourceList::new(),
                _ => resource_list(container.at("resources").at("requests")),
            }
        });
        max_resources(&mut total, &allocated);
    }
    total
}

/// Whether the pod's `PodResizePending` condition (the first) says the resize is infeasible.
fn resize_infeasible(pod: Raw<'_>) -> bool {
    pod.at("status")
        .at("conditions")
        .items()
        .find(|condition| condition.at("type").str() == "PodResizePending")
        .is_some_and(|condition| condition.at("reason").str() == "Infeasible")
}

/// `aggregateContainerResourcesByFn`: the app containers and sidecars added up, against the
/// largest need of an init container (itself plus the sidecars started before it).
fn aggregate<'a>(
    pod: Raw<'a>,
    resources_of: impl Fn(Raw<'a>, Option<Raw<'a>>) -> ResourceList<'a>,
) -> ResourceList<'a> {
    let spec = pod.at("spec");
    let status_of = |name: &str| {
        let status = pod.at("status");
        status
            .at("containerStatuses")
            .items()
            .chain(status.at("initContainerStatuses").items())
            .find(|status| status.at("name").str() == name)
    };
    let mut total = ResourceList::new();
    for container in spec.at("containers").items() {
        let own = resources_of(container, status_of(container.at("name").str()));
        add_resources(&mut total, &own);
    }
    let mut sidecars = ResourceList::new();
    let mut init_peak = ResourceList::new();
    for container in spec.at("initContainers").items() {
        let own = resources_of(container, status_of(container.at("name").str()));
        let need = if container.at("restartPolicy").str() == "Always" {
            add_resources(&mut total, &own);
            add_resources(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut need = own;
            add_resources(&mut need, &sidecars);
            need
        };
        max_resources(&mut init_peak, &need);
    }
    max_resources(&mut total, &init_peak);
    total
}
