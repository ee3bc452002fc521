//! kubectl's `describeNode`: a node from its raw JSON, with its lease and the pods on it when the
//! caller has them.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::Value;

use super::containers::quantity_text;
use super::go_sort::go_sort;
use super::metadata::{annotations_multiline, labels_multiline};
use super::node_resources::describe_node_resources;
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::rfc1123z;

/// Where the kubelets' leases live.
const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";

/// The label prefix that names a role (`node-role.kubernetes.io/control-plane`).
const NODE_ROLE_PREFIX: &str = "node-role.kubernetes.io/";

/// The older label whose value names a role.
const NODE_ROLE_LABEL: &str = "kubernetes.io/role";

/// Everything above the Events section. `related` may hold the node's Lease (in
/// `kube-node-lease`, named after the node) and pods: those on the node that have not finished
/// are listed, in the order given. Without a lease the Lease section is left out, as kubectl does
/// when it has no way to read leases.
pub(super) fn describe_node(
    w: &mut DescribeWriter,
    node: Raw<'_>,
    related: &[&Value],
    now: Timestamp,
) {
    let metadata = node.at("metadata");
    let spec = node.at("spec");
    let status = node.at("status");
    let name = metadata.at("name").str();
    put!(w, 0, "Name:\t{name}\n");
    put!(w, 0, "Roles:\t{}\n", roles(metadata.at("labels")));
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(metadata.at("creationTimestamp").time())
    );
    taints(w, spec.at("taints"));
    put!(
        w,
        0,
        "Unschedulable:\t{}\n",
        spec.at("unschedulable").bool()
    );
    let related: Vec<Raw<'_>> = related.iter().map(|object| Raw::new(object)).collect();
    if let Some(lease) = related.iter().find(|object| is_lease_of(**object, name)) {
        describe_lease(w, lease.at("spec"));
    }
    conditions(w, status.at("conditions"));
    w.write(0, "Addresses:\n");
    for address in status.at("addresses").items() {
        put!(
            w,
            1,
            "{}:\t{}\n",
            address.at("type").str(),
            address.at("address").str()
        );
    }
    for (title, field) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
        let list = status.at(field);
        if list.is_empty() {
            continue;
        }
        put!(w, 0, "{title}:\n");
        for (resource, quantity) in list.entries() {
            put!(w, 0, "  {resource}:\t{}\n", quantity_text(quantity));
        }
    }
    system_info(w, status.at("nodeInfo"));
    let pod_cidr = spec.at("podCIDR").str();
    if !pod_cidr.is_empty() {
        put!(w, 0, "PodCIDR:\t{pod_cidr}\n");
    }
    let pod_cidrs: Vec<&str> = spec.at("podCIDRs").items().map(Raw::str).collect();
    if !pod_cidrs.is_empty() {
        put!(w, 0, "PodCIDRs:\t{}\n", pod_cidrs.join(","));
    }
    let provider_id = spec.at("providerID").str();
    if !provider_id.is_empty() {
        put!(w, 0, "ProviderID:\t{provider_id}\n");
    }
    let pods: Vec<Raw<'_>> = related
        .iter()
        .copied()
        .filter(|object| is_running_on(*object, name))
        .collect();
    describe_node_resources(w, node, &pods, now);
}

/// kubectl's `findNodeRoles`: from `node-role.kubernetes.io/ROLE` labels and the value of a
/// `kubernetes.io/role` label, sorted and joined by commas; `<none>` if there are none.
fn roles(labels: Raw<'_>) -> String {
    let mut roles = BTreeSet::new();
    for (key, value) in labels.string_map() {
        if let Some(role) = key.strip_prefix(NODE_ROLE_PREFIX) {
            if !role.is_empty() {
                roles.insert(role);
            }
        } else if key == NODE_ROLE_LABEL && !value.is_empty() {
            roles.insert(value);
        }
    }
    if roles.is_empty() {
        return "<none>".to_string();
    }
    roles.into_iter().collect::<Vec<_>>().join(",")
}

/// kubectl's `printNodeTaintsMultiline`: sorted by effect then key, as `key=value:effect`.
fn taints(w: &mut DescribeWriter, taints: Raw<'_>) {
    w.write(0, "Taints:\t");
    let mut taints: Vec<Raw<'_>> = taints.items().collect();
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let sort_key =
        |taint: &Raw<'_>| format!("{},{}", taint.at("effect").str(), taint.at("key").str());
    go_sort(&mut taints, |a, b| sort_key(a) < sort_key(b));
    for (index, taint) in taints.into_iter().enumerate() {
        if index != 0 {
            w.write(0, "\t");
        }
        let key = taint.at("key").str();
        let effect = taint.at("effect").str();
        match taint.at("value").str() {
            "" => put!(w, 0, "{key}:{effect}\n"),
            value => put!(w, 0, "{key}={value}:{effect}\n"),
        }
    }
}

fn is_lease_of(object: Raw<'_>, node: &str) -> bool {
    let metadata = object.at("metadata");
    object.at("kind").str() == "Lease"
        && metadata.at("namespace").str() == NODE_LEASE_NAMESPACE
        && metadata.at("name").str() == node
}

/// kubectl's `describeNodeLease`.
fn describe_lease(w: &mut DescribeWriter, spec: Raw<'_>) {
    w.write(0, "Lease:\n");
    let holder = spec.at("holderIdentity").opt_str().unwrap_or("<unset>");
    put!(w, 1, "HolderIdentity:\t{holder}\n");
    for (title, field) in [("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")] {
        let time = spec.at(field);
        let text = if time.exists() {
            rfc1123z(time.time())
        } else {
            "<unset>".to_string()
        };
        put!(w, 1, "{title}:\t{text}\n");
    }
}

/// The conditions table, when the node has conditions.
fn conditions(w: &mut DescribeWriter, conditions: Raw<'_>) {
    if conditions.is_empty() {
        return;
    }
    w.write(
        0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
    );
    w.write(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for condition in conditions.items() {
        put!(
            w,
            1,
            "{} \t{} \t{} \t{} \t{} \t{}\n",
            condition.at("type").str(),
            condition.at("status").str(),
            rfc1123z(condition.at("lastHeartbeatTime").time()),
            rfc1123z(condition.at("lastTransitionTime").time()),
            condition.at("reason").str(),
            condition.at("message").str()
        );
    }
}

fn system_info(w: &mut DescribeWriter, info: Raw<'_>) {
    w.write(0, "System Info:\n");
    for (title, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        put!(w, 0, "  {title}:\t{}\n", info.at(field).str());
    }
}

/// The pods kubectl lists for a node: bound to it and neither Succeeded nor Failed. Items of a
/// list may come without their kind.
fn is_running_on(object: Raw<'_>, node: &str) -> bool {
    let phase = object.at("status").at("phase").str();
    matches!(object.at("kind").str(), "Pod" | "")
        && object.at("spec").at("nodeName").str() == node
        && phase != "Succeeded"
        && phase != "Failed"
}
