//! The column definitions of each built-in kind, as the API server's printers declare them
//! (`AddHandlers` in kubernetes/pkg/printers/internalversion/printers.go).

use serde::{Deserialize, Serialize};

use super::descriptions as doc;

/// One column of a Table (`metav1.TableColumnDefinition`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnDefinition {
    /// The column header, e.g. `Name` or `Nominated Node` (kubectl upper-cases it).
    pub name: String,
    /// The OpenAPI type of the column: `string`, `integer`, `number` or `boolean`. The cells do
    /// not always agree: several `string` columns carry integers.
    #[serde(rename = "type")]
    pub type_: String,
    /// An OpenAPI format hint: `name` for the column holding the object's name, else empty.
    pub format: String,
    /// What the column shows.
    pub description: String,
    /// 0 for the default columns, 1 for the columns only `-o wide` shows.
    pub priority: i32,
}

/// The names of the kinds this module prints, in the order upstream registers them.
pub const KINDS: [&str; 34] = [
    "Pod",
    "PodDisruptionBudget",
    "ReplicaSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Service",
    "StatefulSet",
    "Endpoints",
    "Node",
    "Event",
    "Namespace",
    "Secret",
    "ServiceAccount",
    "Deployment",
    "ConfigMap",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "Ingress",
    "IngressClass",
    "NetworkPolicy",
    "EndpointSlice",
    "HorizontalPodAutoscaler",
    "ReplicationController",
    "ResourceQuota",
    "RoleBinding",
    "ClusterRoleBinding",
    "CertificateSigningRequest",
    "PriorityClass",
    "ComponentStatus",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
];

const CONTAINERS: &str = "Names of each container in the template.";
const IMAGES: &str = "Images referenced by each container in the template.";

/// A column as upstream writes it: name, type, format, priority, description.
pub(super) type Spec = (&'static str, &'static str, &'static str, i32, &'static str);

pub(super) const NAME: Spec = ("Name", "string", "name", 0, doc::META_NAME);
pub(super) const AGE: Spec = ("Age", "string", "", 0, doc::META_CREATION_TIMESTAMP);

fn specs(kind: &str) -> Option<Vec<Spec>> {
    let s = |name, type_, description| (name, type_, "", 0, description);
    let wide = |name, type_, description| (name, type_, "", 1, description);
    let specs = match kind {
        "Pod" => vec![
            NAME,
            s(
                "Ready",
                "string",
                "The aggregate readiness state of this pod for accepting traffic.",
            ),
            s(
                "Status",
                "string",
                "The aggregate status of the containers in this pod.",
            ),
            s(
                "Restarts",
                "string",
                "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
            ),
            AGE,
            wide("IP", "string", doc::POD_STATUS_POD_IP),
            wide("Node", "string", doc::POD_SPEC_NODE_NAME),
            wide(
                "Nominated Node",
                "string",
                doc::POD_STATUS_NOMINATED_NODE_NAME,
            ),
            wide("Readiness Gates", "string", doc::POD_SPEC_READINESS_GATES),
        ],
        "PersistentVolumeClaim" => vec![
            NAME,
            s(
                "Status",
                "string",
                "The phase of the claim, Terminating once it is being deleted.",
            ),
            s("Volume", "string", "The volume bound to the claim."),
            s("Capacity", "string", "The capacity of the bound volume."),
            s(
                "Access Modes",
                "string",
                "The access modes of the bound volume.",
            ),
            s("StorageClass", "string", "The storage class of the claim."),
            s(
                "VolumeAttributesClass",
                "string",
                "The volume attributes class of the claim.",
            ),
            AGE,
            wide(
                "VolumeMode",
                "string",
                "Whether the volume is a filesystem or a block device.",
            ),
        ],
        "PersistentVolume" => vec![
            NAME,
            s("Capacity", "string", "The size of the volume."),
            s("Access Modes", "string", "The access modes of the volume."),
            s(
                "Reclaim Policy",
                "string",
                "What happens to the volume when released from its claim.",
            ),
            s(
                "Status",
                "string",
                "The phase of the volume, Terminating once it is being deleted.",
            ),
            s("Claim", "string", "The claim bound to the volume."),
            s("StorageClass", "string", "The storage class of the volume."),
            s(
                "VolumeAttributesClass",
                "string",
                "The volume attributes class of the volume.",
            ),
            s("Reason", "string", "The reason the volume is in its phase."),
            AGE,
            wide(
                "VolumeMode",
                "string",
                "Whether the volume is a filesystem or a block device.",
            ),
        ],
        "StorageClass" => vec![
            NAME,
            s(
                "Provisioner",
                "string",
                "Indicates the type of the provisioner.",
            ),
            s(
                "ReclaimPolicy",
                "string",
                "Indicates the type of the reclaim policy.",
            ),
            s(
                "VolumeBindingMode",
                "string",
                "VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound",
            ),
            s(
                "AllowVolumeExpansion",
                "string",
                "Indicates whether the storage class allow volume expand",
            ),
            AGE,
        ],
        "Ingress" => vec![
            NAME,
            s(
                "Class",
                "string",
                "The name of the IngressClass cluster resource.",
            ),
            s(
                "Hosts",
                "string",
                "Hosts that incoming requests are matched against before the ingress rule",
            ),
            s(
                "Address",
                "string",
                "Address is a list containing ingress points for the load-balancer",
            ),
            s("Ports", "string", "Ports of TLS configurations that open"),
            AGE,
        ],
        "IngressClass" => vec![
            NAME,
            s(
                "Controller",
                "string",
                "Controller that is responsible for handling this class",
            ),
            s(
                "Parameters",
                "string",
                "A reference to a resource with additional parameters",
            ),
            AGE,
        ],
        "NetworkPolicy" => vec![
            NAME,
            s(
                "Pod-Selector",
                "string",
                "Selects the pods to which this NetworkPolicy object applies. An empty podSelector selects all pods in this namespace.",
            ),
            AGE,
        ],
        "HorizontalPodAutoscaler" => vec![
            NAME,
            s(
                "Reference",
                "string",
                "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.",
            ),
            s(
                "Targets",
                "string",
                "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).",
            ),
            s(
                "MinPods",
                "string",
                "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.",
            ),
            s(
                "MaxPods",
                "integer",
                "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
            ),
            s(
                "Replicas",
                "integer",
                "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
            ),
            AGE,
        ],
        "EndpointSlice" => vec![
            NAME,
            s(
                "AddressType",
                "string",
                "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type.",
            ),
            s(
                "Ports",
                "string",
                "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list.",
            ),
            s(
                "Endpoints",
                "string",
                "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.",
            ),
            AGE,
        ],
        "ResourceQuota" => vec![
            NAME,
            s(
                "Request",
                "string",
                "Request represents a minimum amount of cpu/memory that a container may consume.",
            ),
            s(
                "Limit",
                "string",
                "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
            ),
            AGE,
        ],
        "ReplicationController" => vec![
            NAME,
            s(
                "Desired",
                "integer",
                "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
            ),
            s(
                "Current",
                "integer",
                "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
            ),
            s(
                "Ready",
                "integer",
                "The number of ready replicas for this replication controller.",
            ),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide(
                "Selector",
                "string",
                "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
            ),
        ],
        "RoleBinding" | "ClusterRoleBinding" => {
            let (role, scope) = if kind == "RoleBinding" {
                (doc::ROLE_BINDING_ROLE_REF, "roleBinding")
            } else {
                (doc::CLUSTER_ROLE_BINDING_ROLE_REF, "clusterRoleBinding")
            };
            let [users, groups, service_accounts] = match scope {
                "roleBinding" => [
                    "Users in the roleBinding",
                    "Groups in the roleBinding",
                    "ServiceAccounts in the roleBinding",
                ],
                _ => [
                    "Users in the clusterRoleBinding",
                    "Groups in the clusterRoleBinding",
                    "ServiceAccounts in the clusterRoleBinding",
                ],
            };
            vec![
                NAME,
                s("Role", "string", role),
                AGE,
                wide("Users", "string", users),
                wide("Groups", "string", groups),
                wide("ServiceAccounts", "string", service_accounts),
            ]
        }
        "PodDisruptionBudget" => vec![
            NAME,
            s(
                "Min Available",
                "string",
                "The minimum number of pods that must be available.",
            ),
            s(
                "Max Unavailable",
                "string",
                "The maximum number of pods that may be unavailable.",
            ),
            s(
                "Allowed Disruptions",
                "integer",
                "Calculated number of pods that may be disrupted at this time.",
            ),
            AGE,
        ],
        "ReplicaSet" => vec![
            NAME,
            s("Desired", "integer", doc::REPLICA_SET_SPEC_REPLICAS),
            s("Current", "integer", doc::REPLICA_SET_STATUS_REPLICAS),
            s("Ready", "integer", doc::REPLICA_SET_STATUS_READY_REPLICAS),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide("Selector", "string", doc::REPLICA_SET_SPEC_SELECTOR),
        ],
        "DaemonSet" => vec![
            NAME,
            s("Desired", "integer", doc::DAEMON_SET_STATUS_DESIRED),
            s("Current", "integer", doc::DAEMON_SET_STATUS_CURRENT),
            s("Ready", "integer", doc::DAEMON_SET_STATUS_READY),
            s("Up-to-date", "integer", doc::DAEMON_SET_STATUS_UPDATED),
            s("Available", "integer", doc::DAEMON_SET_STATUS_AVAILABLE),
            s("Node Selector", "string", doc::POD_SPEC_NODE_SELECTOR),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide("Selector", "string", doc::DAEMON_SET_SPEC_SELECTOR),
        ],
        "Job" => vec![
            NAME,
            s("Status", "string", "Status of the job."),
            s("Completions", "string", doc::JOB_STATUS_SUCCEEDED),
            s("Duration", "string", "Time required to complete the job."),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide("Selector", "string", doc::JOB_SPEC_SELECTOR),
        ],
        "CronJob" => vec![
            NAME,
            s("Schedule", "string", doc::CRON_JOB_SPEC_SCHEDULE),
            s("Timezone", "string", doc::CRON_JOB_SPEC_TIME_ZONE),
            s("Suspend", "boolean", doc::CRON_JOB_SPEC_SUSPEND),
            s("Active", "integer", doc::CRON_JOB_STATUS_ACTIVE),
            s(
                "Last Schedule",
                "string",
                doc::CRON_JOB_STATUS_LAST_SCHEDULE_TIME,
            ),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide("Selector", "string", doc::JOB_SPEC_SELECTOR),
        ],
        "Service" => vec![
            NAME,
            s("Type", "string", doc::SERVICE_SPEC_TYPE),
            s("Cluster-IP", "string", doc::SERVICE_SPEC_CLUSTER_IP),
            s("External-IP", "string", doc::SERVICE_SPEC_EXTERNAL_IPS),
            s("Port(s)", "string", doc::SERVICE_SPEC_PORTS),
            AGE,
            wide("Selector", "string", doc::SERVICE_SPEC_SELECTOR),
        ],
        "StatefulSet" => vec![
            NAME,
            s("Ready", "string", "Number of the pod with ready state"),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
        ],
        "Endpoints" => vec![NAME, s("Endpoints", "string", doc::ENDPOINTS_SUBSETS), AGE],
        "Node" => vec![
            NAME,
            s("Status", "string", "The status of the node"),
            s("Roles", "string", "The roles of the node"),
            AGE,
            s("Version", "string", doc::NODE_INFO_KUBELET_VERSION),
            wide("Internal-IP", "string", doc::NODE_STATUS_ADDRESSES),
            wide("External-IP", "string", doc::NODE_STATUS_ADDRESSES),
            wide("OS-Image", "string", doc::NODE_INFO_OS_IMAGE),
            wide("Kernel-Version", "string", doc::NODE_INFO_KERNEL_VERSION),
            wide(
                "Container-Runtime",
                "string",
                doc::NODE_INFO_CONTAINER_RUNTIME_VERSION,
            ),
        ],
        "Event" => vec![
            s("Last Seen", "string", doc::EVENT_LAST_TIMESTAMP),
            s("Type", "string", doc::EVENT_TYPE),
            s("Reason", "string", doc::EVENT_REASON),
            s("Object", "string", doc::EVENT_INVOLVED_OBJECT),
            wide("Subobject", "string", doc::OBJECT_REFERENCE_FIELD_PATH),
            wide("Source", "string", doc::EVENT_SOURCE),
            s("Message", "string", doc::EVENT_MESSAGE),
            wide("First Seen", "string", doc::EVENT_FIRST_TIMESTAMP),
            wide("Count", "string", doc::EVENT_COUNT),
            ("Name", "string", "name", 1, doc::META_NAME),
        ],
        "Namespace" => vec![
            NAME,
            s("Status", "string", "The status of the namespace"),
            AGE,
        ],
        "Secret" => vec![
            NAME,
            s("Type", "string", doc::SECRET_TYPE),
            s("Data", "string", doc::SECRET_DATA),
            AGE,
        ],
        "ServiceAccount" => vec![NAME, AGE],
        "Deployment" => vec![
            NAME,
            s("Ready", "string", "Number of the pod with ready state"),
            s(
                "Up-to-date",
                "string",
                doc::DEPLOYMENT_STATUS_UPDATED_REPLICAS,
            ),
            s(
                "Available",
                "string",
                doc::DEPLOYMENT_STATUS_AVAILABLE_REPLICAS,
            ),
            AGE,
            wide("Containers", "string", CONTAINERS),
            wide("Images", "string", IMAGES),
            wide("Selector", "string", doc::DEPLOYMENT_SPEC_SELECTOR),
        ],
        "ConfigMap" => vec![NAME, s("Data", "string", doc::CONFIG_MAP_DATA), AGE],
        _ => return super::admin::specs(kind),
    };
    Some(specs)
}

/// The columns the API server declares for `kind` (e.g. `Deployment`), wide columns included
/// with priority 1, or `None` for a kind this module does not print.
pub fn columns(kind: &str) -> Option<Vec<ColumnDefinition>> {
    let specs = specs(kind)?;
    Some(
        specs
            .into_iter()
            .map(
                |(name, type_, format, priority, description)| ColumnDefinition {
                    name: name.to_string(),
                    type_: type_.to_string(),
                    format: format.to_string(),
                    description: description.to_string(),
                    priority,
                },
            )
            .collect(),
    )
}
