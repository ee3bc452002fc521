//! kubectl's `describeNodeResource`: the node's pods that have not finished, each with its CPU and
//! memory requests and limits as a share of what the node can allocate, then their totals per
//! resource.

use jiff::Timestamp;

use super::pod_totals::{ResourceList, add_resources, pod_limits, pod_requests, resource_list};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use crate::model::duration::age;
use crate::model::go_quantity::go_int64;

/// The resources every node reports, listed before any huge pages or extended resources.
const STANDARD_RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// `Non-terminated Pods:` and `Allocated resources:`.
pub(super) fn describe_node_resources(
    w: &mut DescribeWriter,
    node: Raw<'_>,
    pods: &[Raw<'_>],
    now: Timestamp,
) {
    put!(w, 0, "Non-terminated Pods:\t({} in total)\n", pods.len());
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let status = node.at("status");
    let allocatable = if status.at("allocatable").is_empty() {
        resource_list(status.at("capacity"))
    } else {
        resource_list(status.at("allocatable"))
    };
    let of = |list: &ResourceList<'_>, name: &str| list.get(name).copied().unwrap_or_default();
    let allocatable_cpu = of(&allocatable, "cpu").milli_value();
    let allocatable_memory = of(&allocatable, "memory").value();
    for pod in pods {
        let requests = pod_requests(*pod, true);
        let limits = pod_limits(*pod, true);
        let cpu_share = |list: &ResourceList<'_>| {
            let cpu = of(list, "cpu");
            (cpu, share(cpu.milli_value(), allocatable_cpu))
        };
        let memory_share = |list: &ResourceList<'_>| {
            let memory = of(list, "memory");
            (memory, share(memory.value(), allocatable_memory))
        };
        let (cpu_request, cpu_request_share) = cpu_share(&requests);
        let (cpu_limit, cpu_limit_share) = cpu_share(&limits);
        let (memory_request, memory_request_share) = memory_share(&requests);
        let (memory_limit, memory_limit_share) = memory_share(&limits);
        let metadata = pod.at("metadata");
        put!(
            w,
            1,
            "{}\t{}\t\t{cpu_request} ({cpu_request_share}%)\t{cpu_limit} ({cpu_limit_share}%)\t\
             {memory_request} ({memory_request_share}%)\t{memory_limit} ({memory_limit_share}%)\t\
             {}\n",
            metadata.at("namespace").str(),
            metadata.at("name").str(),
            age(metadata.at("creationTimestamp").time(), now)
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    let (requests, limits) = totals(pods);
    for resource in STANDARD_RESOURCES {
        let allocatable = if resource == "cpu" {
            allocatable_cpu
        } else {
            of(&allocatable, resource).value()
        };
        total_line(w, resource, &requests, &limits, allocatable);
    }
    let mut huge_pages = Vec::new();
    let mut extended = Vec::new();
    for name in allocatable.keys() {
        if name.starts_with("hugepages-") {
            huge_pages.push(*name);
        } else if !STANDARD_RESOURCES.contains(name) && *name != "pods" {
            extended.push(*name);
        }
    }
    for resource in huge_pages {
        total_line(
            w,
            resource,
            &requests,
            &limits,
            of(&allocatable, resource).value(),
        );
    }
    for resource in extended {
        put!(
            w,
            1,
            "{resource}\t{}\t{}\n",
            of(&requests, resource),
            of(&limits, resource)
        );
    }
}

/// A `Resource  Requests (n%)  Limits (n%)` line; CPU is compared in thousandths, the rest in
/// units, and a resource the node cannot allocate counts as 0%.
fn total_line(
    w: &mut DescribeWriter,
    resource: &str,
    requests: &ResourceList<'_>,
    limits: &ResourceList<'_>,
    allocatable: i64,
) {
    let amount = |list: &ResourceList<'_>| {
        let quantity = list.get(resource).copied().unwrap_or_default();
        let used = if resource == "cpu" {
            quantity.milli_value()
        } else {
            quantity.value()
        };
        let percent = if allocatable == 0 {
            0
        } else {
            share(used, allocatable)
        };
        (quantity, percent)
    };
    let (request, request_share) = amount(requests);
    let (limit, limit_share) = amount(limits);
    put!(
        w,
        1,
        "{resource}\t{request} ({request_share}%)\t{limit} ({limit_share}%)\n"
    );
}

/// kubectl's percentage: a float division truncated, as Go converts it (a node that can
/// allocate none of a resource gives Go's conversion of NaN or infinity).
fn share(used: i64, allocatable: i64) -> i64 {
    go_int64(used as f64 / allocatable as f64 * 100.0)
}

/// `getPodsTotalRequestsAndLimits`: the pods' requests and limits added up, counted from their
/// specs.
fn totals<'a>(pods: &[Raw<'a>]) -> (ResourceList<'a>, ResourceList<'a>) {
    let mut requests = ResourceList::new();
    let mut limits = ResourceList::new();
    for pod in pods {
        add_resources(&mut requests, &pod_requests(*pod, false));
        add_resources(&mut limits, &pod_limits(*pod, false));
    }
    (requests, limits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::go_quantity::GoQuantity;

    #[test]
    fn shares_truncate_and_follow_go_for_nothing_allocatable() {
        assert_eq!(share(900, 7910), 11);
        assert_eq!(share(0, 0), i64::MIN);
        assert_eq!(GoQuantity::default().to_string(), "0");
    }
}
