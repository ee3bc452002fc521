//! kubectl's `DescribePodTemplate`: the pod template of a workload (labels, containers with
//! image, ports, command, resources, probes, environment and mounts; volumes; scheduling), and
//! the scheduling parts it shares with a pod's description.
//!
//! A template has no container statuses, so no state, readiness or restart lines are printed, and
//! field references in the environment resolve to nothing, as in kubectl.

use super::containers::{ContainerContext, describe_containers};
use super::go_sort::go_sort;
use super::metadata::{annotations_multiline, labels_multiline, tolerations_multiline};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::format_label_selector;
use super::volumes::volumes;

/// The indent of the sections of a template (kubectl's `space`).
const TEMPLATE_SPACE: &str = "  ";

/// `Pod Template:` and everything below it.
pub(super) fn describe_pod_template(w: &mut DescribeWriter, template: Raw<'_>) {
    let metadata = template.at("metadata");
    let spec = template.at("spec");
    w.write(0, "Pod Template:\n");
    labels_multiline(w, "  Labels", metadata.at("labels"));
    if !metadata.at("annotations").is_empty() {
        annotations_multiline(w, "  Annotations", metadata.at("annotations"));
    }
    let service_account = spec.at("serviceAccountName").str();
    if !service_account.is_empty() {
        put!(w, 1, "Service Account:\t{service_account}\n");
    }
    let none = ContainerContext::default();
    if !spec.at("initContainers").is_empty() {
        describe_containers(
            w,
            "Init Containers",
            spec.at("initContainers"),
            none,
            TEMPLATE_SPACE,
        );
    }
    describe_containers(w, "Containers", spec.at("containers"), none, TEMPLATE_SPACE);
    volumes(w, spec.at("volumes"), TEMPLATE_SPACE);
    topology_spread_constraints(w, spec.at("topologySpreadConstraints"), TEMPLATE_SPACE);
    let priority_class = spec.at("priorityClassName").str();
    if !priority_class.is_empty() {
        put!(w, 1, "Priority Class Name:\t{priority_class}\n");
    }
    labels_multiline(w, "  Node-Selectors", spec.at("nodeSelector"));
    tolerations_multiline(w, "  Tolerations", spec.at("tolerations"));
    scheduling_group(w, spec.at("schedulingGroup"), TEMPLATE_SPACE);
}

/// kubectl's `describeTopologySpreadConstraints`, sorted by topology key.
pub(super) fn topology_spread_constraints(
    w: &mut DescribeWriter,
    constraints: Raw<'_>,
    space: &str,
) {
    let mut constraints: Vec<Raw<'_>> = constraints.items().collect();
    if constraints.is_empty() {
        return;
    }
    go_sort(&mut constraints, |a, b| {
        a.at("topologyKey").str() < b.at("topologyKey").str()
    });
    put!(w, 0, "{space}Topology Spread Constraints:\t");
    for (index, constraint) in constraints.into_iter().enumerate() {
        if index != 0 {
            put!(w, 0, "{space}\t");
        }
        put!(
            w,
            0,
            "{}:{} when max skew {} is exceeded",
            constraint.at("topologyKey").str(),
            constraint.at("whenUnsatisfiable").str(),
            constraint.at("maxSkew").int()
        );
        if constraint.at("labelSelector").exists() {
            put!(
                w,
                0,
                " for selector {}",
                format_label_selector(constraint.at("labelSelector"))
            );
        }
        w.write(0, "\n");
    }
}

/// kubectl's `describeSchedulingGroup`, when the spec has one.
pub(super) fn scheduling_group(w: &mut DescribeWriter, group: Raw<'_>, space: &str) {
    if !group.exists() {
        return;
    }
    put!(w, 0, "{space}SchedulingGroup:\n");
    put!(w, 1, "PodGroupName:\t{}\n", group.at("podGroupName").str());
}
