//! kubectl's `describePod`: a pod from its raw JSON, field by field in kubectl's order.

use jiff::Timestamp;

use super::containers::{ContainerContext, describe_containers, resources};
use super::metadata::{
    annotations_multiline, controlled_by_line, labels_multiline, name_and_namespace,
    tolerations_multiline,
};
use super::pod_template::{scheduling_group, topology_spread_constraints};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::rfc1123z;
use super::volumes::volumes;
use crate::model::duration::age;

/// A pod's sections are not indented (kubectl's `space`, which a template's are).
const POD_SPACE: &str = "";

/// Everything above the Events section.
pub(super) fn describe_pod(w: &mut DescribeWriter, pod: Raw<'_>, now: Timestamp) {
    let metadata = pod.at("metadata");
    let spec = pod.at("spec");
    let status = pod.at("status");
    name_and_namespace(w, metadata);
    if let Some(priority) = spec.at("priority").opt_int() {
        put!(w, 0, "Priority:\t{priority}\n");
    }
    for (title, field) in [
        ("Priority Class Name", "priorityClassName"),
        ("Runtime Class Name", "runtimeClassName"),
        ("Service Account", "serviceAccountName"),
    ] {
        let value = spec.at(field).str();
        if !value.is_empty() {
            put!(w, 0, "{title}:\t{value}\n");
        }
    }
    match spec.at("nodeName").str() {
        "" => w.write(0, "Node:\t<none>\n"),
        node => put!(w, 0, "Node:\t{node}/{}\n", status.at("hostIP").str()),
    }
    if status.at("startTime").exists() {
        put!(
            w,
            0,
            "Start Time:\t{}\n",
            rfc1123z(status.at("startTime").time())
        );
    }
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    pod_status(w, pod, now);
    let seccomp = spec.at("securityContext").at("seccompProfile");
    if seccomp.exists() {
        let kind = seccomp.at("type").str();
        put!(w, 0, "SeccompProfile:\t{kind}\n");
        if kind == "Localhost" {
            put!(
                w,
                0,
                "LocalhostProfile:\t{}\n",
                seccomp.at("localhostProfile").str()
            );
        }
    }
    put!(w, 0, "IP:\t{}\n", status.at("podIP").str());
    pod_ips(w, status.at("podIPs"));
    controlled_by_line(w, metadata);
    let nominated = status.at("nominatedNodeName").str();
    if !nominated.is_empty() {
        put!(w, 0, "NominatedNodeName:\t{nominated}\n");
    }
    if spec.at("resources").exists() {
        w.write(0, "Resources:\n");
        resources(w, spec.at("resources"), 1);
    }
    containers(w, pod);
    readiness_gates(w, spec.at("readinessGates"), status.at("conditions"));
    let conditions = status.at("conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for condition in conditions.items() {
            put!(
                w,
                1,
                "{} \t{} \n",
                condition.at("type").str(),
                condition.at("status").str()
            );
        }
    }
    volumes(w, spec.at("volumes"), POD_SPACE);
    put!(w, 0, "QoS Class:\t{}\n", qos_class(pod));
    labels_multiline(w, "Node-Selectors", spec.at("nodeSelector"));
    tolerations_multiline(w, "Tolerations", spec.at("tolerations"));
    topology_spread_constraints(w, spec.at("topologySpreadConstraints"), POD_SPACE);
    scheduling_group(w, spec.at("schedulingGroup"), POD_SPACE);
}

/// `Status:` (how long a pod still being deleted has had to stop, and its grace period), then
/// the reason and message.
fn pod_status(w: &mut DescribeWriter, pod: Raw<'_>, now: Timestamp) {
    let metadata = pod.at("metadata");
    let status = pod.at("status");
    let phase = status.at("phase").str();
    let deletion = metadata.at("deletionTimestamp");
    if deletion.exists() && phase != "Failed" && phase != "Succeeded" {
        put!(
            w,
            0,
            "Status:\tTerminating (lasts {})\n",
            age(deletion.time(), now)
        );
        put!(
            w,
            0,
            "Termination Grace Period:\t{}s\n",
            metadata.at("deletionGracePeriodSeconds").int()
        );
    } else {
        put!(w, 0, "Status:\t{phase}\n");
    }
    for (title, field) in [("Reason", "reason"), ("Message", "message")] {
        let value = status.at(field).str();
        if !value.is_empty() {
            put!(w, 0, "{title}:\t{value}\n");
        }
    }
}

/// kubectl's `describePodIPs`.
fn pod_ips(w: &mut DescribeWriter, pod_ips: Raw<'_>) {
    if pod_ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
        return;
    }
    w.write(0, "IPs:\n");
    for ip in pod_ips.items() {
        put!(w, 1, "IP:\t{}\n", ip.at("ip").str());
    }
}

/// Init, app and ephemeral containers, each with its own statuses.
fn containers(w: &mut DescribeWriter, pod: Raw<'_>) {
    let spec = pod.at("spec");
    let status = pod.at("status");
    for (label, field, statuses, always) in [
        (
            "Init Containers",
            "initContainers",
            "initContainerStatuses",
            false,
        ),
        ("Containers", "containers", "containerStatuses", true),
        (
            "Ephemeral Containers",
            "ephemeralContainers",
            "ephemeralContainerStatuses",
            false,
        ),
    ] {
        if !always && spec.at(field).is_empty() {
            continue;
        }
        let context = ContainerContext {
            statuses: Some(status.at(statuses)),
            pod: Some(pod),
        };
        describe_containers(w, label, spec.at(field), context, POD_SPACE);
    }
}

/// `Readiness Gates:`: each gate's condition type and the status of that condition, if any.
fn readiness_gates(w: &mut DescribeWriter, gates: Raw<'_>, conditions: Raw<'_>) {
    if gates.is_empty() {
        return;
    }
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for gate in gates.items() {
        let condition_type = gate.at("conditionType").str();
        let status = conditions
            .items()
            .find(|condition| condition.at("type").str() == condition_type)
            .map_or("<none>", |condition| condition.at("status").str());
        put!(w, 1, "{condition_type} \t{status} \n");
    }
}

/// kubectl's `GetPodQOS`: `status.qosClass`, else computed from the resources as the API server
/// would (`ComputePodQOS`).
fn qos_class(pod: Raw<'_>) -> &str {
    let recorded = pod.at("status").at("qosClass").str();
    if !recorded.is_empty() {
        return recorded;
    }
    let spec = pod.at("spec");
    let pod_level = spec.at("resources");
    let sets_pod_level = ["requests", "limits"].iter().any(|field| {
        pod_level
            .at(field)
            .entries()
            .iter()
            .any(|(name, _)| is_pod_level_resource(name))
    });
    if sets_pod_level {
        return requirements_qos(pod_level);
    }
    let mut pod_qos = None;
    for container in spec
        .at("initContainers")
        .items()
        .chain(spec.at("containers").items())
    {
        let container_qos = requirements_qos(container.at("resources"));
        match pod_qos {
            _ if container_qos == BURSTABLE => return BURSTABLE,
            None => pod_qos = Some(container_qos),
            Some(qos) if qos != container_qos => return BURSTABLE,
            Some(_) => {}
        }
    }
    pod_qos.unwrap_or(BEST_EFFORT)
}

const GUARANTEED: &str = "Guaranteed";
const BURSTABLE: &str = "Burstable";
const BEST_EFFORT: &str = "BestEffort";

/// Whether pod-level `spec.resources` may set this resource (CPU, memory, huge pages).
pub(super) fn is_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

/// The class one set of requirements reads as: CPU and memory requests equal to their limits and
/// not zero is Guaranteed, none at all BestEffort, anything else Burstable.
fn requirements_qos(resources: Raw<'_>) -> &'static str {
    let requests = resources.at("requests");
    let limits = resources.at("limits");
    if requests.is_empty() && limits.is_empty() {
        return BEST_EFFORT;
    }
    let quantity = |list: Raw<'_>, name: &str| list.at(name).go_quantity().unwrap_or_default();
    let mut qos = None;
    for name in ["cpu", "memory"] {
        let request = quantity(requests, name);
        let limit = quantity(limits, name);
        let resource_qos = if request.compare(limit).is_ne() {
            BURSTABLE
        } else if request.is_zero() {
            BEST_EFFORT
        } else {
            GUARANTEED
        };
        match qos {
            _ if resource_qos == BURSTABLE => return BURSTABLE,
            None => qos = Some(resource_qos),
            Some(seen) if seen != resource_qos => return BURSTABLE,
            Some(_) => {}
        }
    }
    qos.unwrap_or(BEST_EFFORT)
}
