//! The Go type of each field whose type is a named one (`v1.RestartPolicy`, `v1.ResourceList`,
//! `types.UID`, `[]v1.Capability`), as Go's reflection prints it in a JSON decoding error
//! (`json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type
//! v1.RestartPolicy`). Every other field's type follows from its [`Kind`](super::Kind) and
//! [`Shape`](super::Shape): `string`, `int32`, `[]v1.Container`, `map[string]string`.
//!
//! Transcribed from the Go field types of the same sources as the schema (`k8s.io/api` core/v1,
//! apps/v1, batch/v1, policy/v1, autoscaling/v1 and `k8s.io/apimachinery` meta/v1), pointers
//! left out as the decoder reports the value's type.

/// (struct, JSON field name, Go type), sorted by struct and field for a binary search.
static NAMED: &[(&str, &str, &str)] = &[
    ("AppArmorProfile", "type", "v1.AppArmorProfileType"),
    ("AttachedVolume", "name", "v1.UniqueVolumeName"),
    (
        "AzureDiskVolumeSource",
        "cachingMode",
        "v1.AzureDataDiskCachingMode",
    ),
    ("AzureDiskVolumeSource", "kind", "v1.AzureDataDiskKind"),
    ("Capabilities", "add", "[]v1.Capability"),
    ("Capabilities", "drop", "[]v1.Capability"),
    ("Condition", "status", "v1.ConditionStatus"),
    ("ConfigMapNodeConfigSource", "uid", "types.UID"),
    ("Container", "imagePullPolicy", "v1.PullPolicy"),
    ("Container", "restartPolicy", "v1.ContainerRestartPolicy"),
    (
        "Container",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("ContainerPort", "protocol", "v1.Protocol"),
    ("ContainerResizePolicy", "resourceName", "v1.ResourceName"),
    (
        "ContainerResizePolicy",
        "restartPolicy",
        "v1.ResourceResizeRestartPolicy",
    ),
    (
        "ContainerRestartRule",
        "action",
        "v1.ContainerRestartRuleAction",
    ),
    (
        "ContainerRestartRuleOnExitCodes",
        "operator",
        "v1.ContainerRestartRuleOnExitCodesOperator",
    ),
    ("ContainerStatus", "allocatedResources", "v1.ResourceList"),
    ("ContainerStatus", "stopSignal", "v1.Signal"),
    ("CronJobSpec", "concurrencyPolicy", "v1.ConcurrencyPolicy"),
    ("DaemonSetCondition", "status", "v1.ConditionStatus"),
    ("DaemonSetCondition", "type", "v1.DaemonSetConditionType"),
    (
        "DaemonSetUpdateStrategy",
        "type",
        "v1.DaemonSetUpdateStrategyType",
    ),
    (
        "DeleteOptions",
        "propagationPolicy",
        "v1.DeletionPropagation",
    ),
    ("DeploymentCondition", "status", "v1.ConditionStatus"),
    ("DeploymentCondition", "type", "v1.DeploymentConditionType"),
    ("DeploymentStrategy", "type", "v1.DeploymentStrategyType"),
    ("EmptyDirVolumeSource", "medium", "v1.StorageMedium"),
    ("EndpointPort", "protocol", "v1.Protocol"),
    (
        "EphemeralContainerCommon",
        "imagePullPolicy",
        "v1.PullPolicy",
    ),
    (
        "EphemeralContainerCommon",
        "restartPolicy",
        "v1.ContainerRestartPolicy",
    ),
    (
        "EphemeralContainerCommon",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("HTTPGetAction", "scheme", "v1.URIScheme"),
    ("HostPathVolumeSource", "type", "v1.HostPathType"),
    ("ImageVolumeSource", "pullPolicy", "v1.PullPolicy"),
    ("JobCondition", "status", "v1.ConditionStatus"),
    ("JobCondition", "type", "v1.JobConditionType"),
    ("JobSpec", "completionMode", "v1.CompletionMode"),
    ("JobSpec", "podReplacementPolicy", "v1.PodReplacementPolicy"),
    (
        "LabelSelectorRequirement",
        "operator",
        "v1.LabelSelectorOperator",
    ),
    ("Lifecycle", "stopSignal", "v1.Signal"),
    ("LimitRangeItem", "default", "v1.ResourceList"),
    ("LimitRangeItem", "defaultRequest", "v1.ResourceList"),
    ("LimitRangeItem", "max", "v1.ResourceList"),
    ("LimitRangeItem", "maxLimitRequestRatio", "v1.ResourceList"),
    ("LimitRangeItem", "min", "v1.ResourceList"),
    ("LimitRangeItem", "type", "v1.LimitType"),
    ("LoadBalancerIngress", "ipMode", "v1.LoadBalancerIPMode"),
    (
        "ManagedFieldsEntry",
        "operation",
        "v1.ManagedFieldsOperationType",
    ),
    (
        "ModifyVolumeStatus",
        "status",
        "v1.PersistentVolumeClaimModifyVolumeStatus",
    ),
    ("NamespaceCondition", "status", "v1.ConditionStatus"),
    ("NamespaceCondition", "type", "v1.NamespaceConditionType"),
    ("NamespaceSpec", "finalizers", "[]v1.FinalizerName"),
    ("NamespaceStatus", "phase", "v1.NamespacePhase"),
    ("NodeAddress", "type", "v1.NodeAddressType"),
    ("NodeCondition", "status", "v1.ConditionStatus"),
    ("NodeCondition", "type", "v1.NodeConditionType"),
    (
        "NodeSelectorRequirement",
        "operator",
        "v1.NodeSelectorOperator",
    ),
    ("NodeStatus", "allocatable", "v1.ResourceList"),
    ("NodeStatus", "capacity", "v1.ResourceList"),
    ("NodeStatus", "phase", "v1.NodePhase"),
    ("NodeStatus", "volumesInUse", "[]v1.UniqueVolumeName"),
    ("ObjectMeta", "uid", "types.UID"),
    ("ObjectReference", "uid", "types.UID"),
    ("OwnerReference", "uid", "types.UID"),
    (
        "PersistentVolumeClaimCondition",
        "status",
        "v1.ConditionStatus",
    ),
    (
        "PersistentVolumeClaimCondition",
        "type",
        "v1.PersistentVolumeClaimConditionType",
    ),
    (
        "PersistentVolumeClaimSpec",
        "accessModes",
        "[]v1.PersistentVolumeAccessMode",
    ),
    (
        "PersistentVolumeClaimSpec",
        "volumeMode",
        "v1.PersistentVolumeMode",
    ),
    (
        "PersistentVolumeClaimStatus",
        "accessModes",
        "[]v1.PersistentVolumeAccessMode",
    ),
    (
        "PersistentVolumeClaimStatus",
        "allocatedResourceStatuses",
        "map[v1.ResourceName]v1.ClaimResourceStatus",
    ),
    (
        "PersistentVolumeClaimStatus",
        "allocatedResources",
        "v1.ResourceList",
    ),
    ("PersistentVolumeClaimStatus", "capacity", "v1.ResourceList"),
    (
        "PersistentVolumeClaimStatus",
        "phase",
        "v1.PersistentVolumeClaimPhase",
    ),
    ("PodCondition", "status", "v1.ConditionStatus"),
    ("PodCondition", "type", "v1.PodConditionType"),
    (
        "PodDisruptionBudgetSpec",
        "unhealthyPodEvictionPolicy",
        "v1.UnhealthyPodEvictionPolicyType",
    ),
    (
        "PodFailurePolicyOnExitCodesRequirement",
        "operator",
        "v1.PodFailurePolicyOnExitCodesOperator",
    ),
    (
        "PodFailurePolicyOnPodConditionsPattern",
        "status",
        "v1.ConditionStatus",
    ),
    (
        "PodFailurePolicyOnPodConditionsPattern",
        "type",
        "v1.PodConditionType",
    ),
    (
        "PodFailurePolicyRule",
        "action",
        "v1.PodFailurePolicyAction",
    ),
    ("PodOS", "name", "v1.OSName"),
    ("PodReadinessGate", "conditionType", "v1.PodConditionType"),
    (
        "PodSecurityContext",
        "fsGroupChangePolicy",
        "v1.PodFSGroupChangePolicy",
    ),
    (
        "PodSecurityContext",
        "seLinuxChangePolicy",
        "v1.PodSELinuxChangePolicy",
    ),
    (
        "PodSecurityContext",
        "supplementalGroupsPolicy",
        "v1.SupplementalGroupsPolicy",
    ),
    ("PodSpec", "dnsPolicy", "v1.DNSPolicy"),
    ("PodSpec", "overhead", "v1.ResourceList"),
    ("PodSpec", "preemptionPolicy", "v1.PreemptionPolicy"),
    ("PodSpec", "restartPolicy", "v1.RestartPolicy"),
    ("PodStatus", "allocatedResources", "v1.ResourceList"),
    ("PodStatus", "phase", "v1.PodPhase"),
    ("PodStatus", "qosClass", "v1.PodQOSClass"),
    ("PodStatus", "resize", "v1.PodResizeStatus"),
    ("PortStatus", "protocol", "v1.Protocol"),
    ("Preconditions", "uid", "types.UID"),
    ("ReplicaSetCondition", "status", "v1.ConditionStatus"),
    ("ReplicaSetCondition", "type", "v1.ReplicaSetConditionType"),
    (
        "ReplicationControllerCondition",
        "status",
        "v1.ConditionStatus",
    ),
    (
        "ReplicationControllerCondition",
        "type",
        "v1.ReplicationControllerConditionType",
    ),
    ("ResourceHealth", "health", "v1.ResourceHealthStatus"),
    ("ResourceHealth", "resourceID", "v1.ResourceID"),
    ("ResourceQuotaSpec", "hard", "v1.ResourceList"),
    ("ResourceQuotaSpec", "scopes", "[]v1.ResourceQuotaScope"),
    ("ResourceQuotaStatus", "hard", "v1.ResourceList"),
    ("ResourceQuotaStatus", "used", "v1.ResourceList"),
    ("ResourceRequirements", "limits", "v1.ResourceList"),
    ("ResourceRequirements", "requests", "v1.ResourceList"),
    ("ResourceStatus", "name", "v1.ResourceName"),
    (
        "ScopedResourceSelectorRequirement",
        "operator",
        "v1.ScopeSelectorOperator",
    ),
    (
        "ScopedResourceSelectorRequirement",
        "scopeName",
        "v1.ResourceQuotaScope",
    ),
    ("SeccompProfile", "type", "v1.SeccompProfileType"),
    ("Secret", "type", "v1.SecretType"),
    ("SecurityContext", "procMount", "v1.ProcMountType"),
    ("ServicePort", "protocol", "v1.Protocol"),
    (
        "ServiceSpec",
        "externalTrafficPolicy",
        "v1.ServiceExternalTrafficPolicy",
    ),
    (
        "ServiceSpec",
        "internalTrafficPolicy",
        "v1.ServiceInternalTrafficPolicy",
    ),
    ("ServiceSpec", "ipFamilies", "[]v1.IPFamily"),
    ("ServiceSpec", "ipFamilyPolicy", "v1.IPFamilyPolicy"),
    ("ServiceSpec", "sessionAffinity", "v1.ServiceAffinity"),
    ("ServiceSpec", "type", "v1.ServiceType"),
    ("StatefulSetCondition", "status", "v1.ConditionStatus"),
    (
        "StatefulSetCondition",
        "type",
        "v1.StatefulSetConditionType",
    ),
    (
        "StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenDeleted",
        "v1.PersistentVolumeClaimRetentionPolicyType",
    ),
    (
        "StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenScaled",
        "v1.PersistentVolumeClaimRetentionPolicyType",
    ),
    (
        "StatefulSetSpec",
        "podManagementPolicy",
        "v1.PodManagementPolicyType",
    ),
    (
        "StatefulSetUpdateStrategy",
        "type",
        "v1.StatefulSetUpdateStrategyType",
    ),
    ("Status", "reason", "v1.StatusReason"),
    ("StatusCause", "reason", "v1.CauseType"),
    ("StatusDetails", "uid", "types.UID"),
    ("Taint", "effect", "v1.TaintEffect"),
    ("Toleration", "effect", "v1.TaintEffect"),
    ("Toleration", "operator", "v1.TolerationOperator"),
    (
        "TopologySpreadConstraint",
        "nodeAffinityPolicy",
        "v1.NodeInclusionPolicy",
    ),
    (
        "TopologySpreadConstraint",
        "nodeTaintsPolicy",
        "v1.NodeInclusionPolicy",
    ),
    (
        "TopologySpreadConstraint",
        "whenUnsatisfiable",
        "v1.UnsatisfiableConstraintAction",
    ),
    ("UncountedTerminatedPods", "failed", "[]types.UID"),
    ("UncountedTerminatedPods", "succeeded", "[]types.UID"),
    ("VolumeMount", "mountPropagation", "v1.MountPropagationMode"),
    (
        "VolumeMount",
        "recursiveReadOnly",
        "v1.RecursiveReadOnlyMode",
    ),
    (
        "VolumeMountStatus",
        "recursiveReadOnly",
        "v1.RecursiveReadOnlyMode",
    ),
    ("VolumeResourceRequirements", "limits", "v1.ResourceList"),
    ("VolumeResourceRequirements", "requests", "v1.ResourceList"),
];

/// The Go type of `field` of the struct named `message`, if it is a named type.
pub fn named_type(message: &str, field: &str) -> Option<&'static str> {
    NAMED
        .binary_search_by(|(m, f, _)| (*m, *f).cmp(&(message, field)))
        .ok()
        .map(|index| NAMED[index].2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_for_the_binary_search() {
        assert!(
            NAMED
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
        );
        assert_eq!(
            named_type("PodSpec", "restartPolicy"),
            Some("v1.RestartPolicy")
        );
        assert_eq!(named_type("PodSpec", "containers"), None);
    }
}
