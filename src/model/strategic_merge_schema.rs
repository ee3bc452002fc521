//! The `patchStrategy` and `patchMergeKey` struct tags of the built-in types, as a table.
//!
//! The API server reads these tags from the Go structs by reflection; we have no structs, so the
//! table names each tagged struct ([`Ty`]) and lists, per field, the strategy, the merge key and the
//! struct the field holds. A field missing from the table has the default strategy: a map merges
//! key by key and a list is replaced whole. That default is also what the API server does for the
//! many untagged fields, so only tagged fields and the path down to them need an entry.
//!
//! Sources: `k8s.io/api` `core/v1/types.go`, `apps/v1/types.go`, `batch/v1/types.go`,
//! `policy/v1/types.go`, `admissionregistration/v1/types.go` and `k8s.io/apimachinery/pkg/apis/meta/v1/types.go`. Deliberately absent:
//! `NodeSpec.taints`, `PodSpec.tolerations`, `Container.args`/`command`/`envFrom`,
//! `ServiceAccount.imagePullSecrets`, `NamespaceSpec.finalizers` and `Endpoints.subsets` carry no
//! tag, so the API server replaces them whole.

/// A Go struct with tagged fields somewhere beneath it, or [`Ty::Plain`] for everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    /// A map, or a struct with no tagged field beneath it.
    Plain,
    /// A top-level object we know only the metadata of (ConfigMap, Secret, Event, Endpoints, and
    /// built-in kinds outside the table).
    Object,
    ObjectMeta,
    Pod,
    PodSpec,
    PodStatus,
    Container,
    /// The `PodTemplate` kind (its pod template sits at `template`).
    PodTemplate,
    PodTemplateSpec,
    /// ReplicaSet, StatefulSet, DaemonSet, Job and ReplicationController: a pod template in the
    /// spec, conditions in the status.
    Workload,
    WorkloadSpec,
    Deployment,
    DeploymentSpec,
    /// A status whose only tagged field is `conditions`, merged by `type`.
    ConditionsStatus,
    CronJob,
    CronJobSpec,
    JobTemplateSpec,
    Node,
    NodeSpec,
    NodeStatus,
    Service,
    ServiceSpec,
    Namespace,
    ServiceAccount,
    PodDisruptionBudget,
    PodDisruptionBudgetSpec,
    /// A MutatingWebhookConfiguration or ValidatingWebhookConfiguration: webhooks by name.
    WebhookConfiguration,
    /// The `MergeItem` struct of upstream's `patch_test.go`, so its cases port unchanged.
    #[cfg(test)]
    MergeItem,
    /// The `RetainKeysMergeItem` struct of upstream's `patch_test.go`.
    #[cfg(test)]
    RetainKeysMergeItem,
}

/// How a field merges (the `patchStrategy` tag, without `retainKeys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strategy {
    /// No tag: maps merge key by key, lists are replaced whole.
    Default,
    /// `merge`: lists merge element by element (by the merge key for lists of maps).
    Merge,
    /// `replace`: the value is replaced whole, even a map.
    Replace,
}

/// What the tags of one field say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Field {
    pub strategy: Strategy,
    /// The `retainKeys` strategy: a two-way diff lists the keys to keep in `$retainKeys`.
    pub retain_keys: bool,
    /// `patchMergeKey`, for merged lists of maps.
    pub merge_key: Option<&'static str>,
    /// The struct the field holds (for a list, the struct of its elements).
    pub ty: Ty,
}

const fn plain(ty: Ty) -> Field {
    Field {
        strategy: Strategy::Default,
        retain_keys: false,
        merge_key: None,
        ty,
    }
}

const fn merge_by(key: &'static str, ty: Ty) -> Field {
    Field {
        strategy: Strategy::Merge,
        retain_keys: false,
        merge_key: Some(key),
        ty,
    }
}

/// `patchStrategy:"merge,retainKeys"` with a merge key.
const fn merge_retaining_keys_by(key: &'static str, ty: Ty) -> Field {
    Field {
        strategy: Strategy::Merge,
        retain_keys: true,
        merge_key: Some(key),
        ty,
    }
}

const fn merge_primitives() -> Field {
    Field {
        strategy: Strategy::Merge,
        retain_keys: false,
        merge_key: None,
        ty: Ty::Plain,
    }
}

const fn replace(ty: Ty) -> Field {
    Field {
        strategy: Strategy::Replace,
        retain_keys: false,
        merge_key: None,
        ty,
    }
}

const fn retain_keys(ty: Ty) -> Field {
    Field {
        strategy: Strategy::Default,
        retain_keys: true,
        merge_key: None,
        ty,
    }
}

/// The struct of a top-level object, by API group (any version: the tags do not change between
/// versions) and kind.
pub(super) fn root(group: &str, kind: &str) -> Ty {
    match (group, kind) {
        ("", "Pod") => Ty::Pod,
        ("", "PodTemplate") => Ty::PodTemplate,
        ("", "ReplicationController")
        | ("apps" | "extensions", "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("batch", "Job") => Ty::Workload,
        ("apps" | "extensions", "Deployment") => Ty::Deployment,
        ("batch", "CronJob") => Ty::CronJob,
        ("", "Node") => Ty::Node,
        ("", "Service") => Ty::Service,
        ("", "Namespace") => Ty::Namespace,
        ("", "ServiceAccount") => Ty::ServiceAccount,
        ("policy", "PodDisruptionBudget") => Ty::PodDisruptionBudget,
        (
            "admissionregistration.k8s.io",
            "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration",
        ) => Ty::WebhookConfiguration,
        _ => Ty::Object,
    }
}

/// The tags of field `key` of struct `ty`.
pub(super) fn field(ty: Ty, key: &str) -> Field {
    use Ty::*;
    match (ty, key) {
        (
            Object | Pod | PodTemplate | Workload | Deployment | CronJob | Node | Service
            | Namespace | ServiceAccount | PodDisruptionBudget | PodTemplateSpec | JobTemplateSpec
            | WebhookConfiguration,
            "metadata",
        ) => plain(ObjectMeta),
        (ObjectMeta, "finalizers") => merge_primitives(),
        (ObjectMeta, "ownerReferences") => merge_by("uid", Plain),

        (Pod, "spec") | (PodTemplateSpec, "spec") => plain(PodSpec),
        (Pod, "status") => plain(PodStatus),
        (PodTemplate, "template") | (WorkloadSpec | DeploymentSpec, "template") => {
            plain(PodTemplateSpec)
        }
        (PodSpec, "containers" | "initContainers" | "ephemeralContainers") => {
            merge_by("name", Container)
        }
        (PodSpec, "volumes" | "resourceClaims") => merge_retaining_keys_by("name", Plain),
        (PodSpec, "imagePullSecrets" | "schedulingGates") => merge_by("name", Plain),
        (PodSpec, "hostAliases") => merge_by("ip", Plain),
        (PodSpec, "topologySpreadConstraints") => merge_by("topologyKey", Plain),
        (Container, "ports") => merge_by("containerPort", Plain),
        (Container, "env") => merge_by("name", Plain),
        (Container, "volumeMounts") => merge_by("mountPath", Plain),
        (Container, "volumeDevices") => merge_by("devicePath", Plain),
        (PodStatus, "conditions") => merge_by("type", Plain),
        (PodStatus, "podIPs" | "hostIPs") => merge_by("ip", Plain),
        (PodStatus, "resourceClaimStatuses") => merge_retaining_keys_by("name", Plain),

        (Workload, "spec") => plain(WorkloadSpec),
        (Deployment, "spec") => plain(DeploymentSpec),
        (DeploymentSpec, "strategy") => retain_keys(Plain),
        (Workload | Deployment | Service | Namespace | PodDisruptionBudget, "status") => {
            plain(ConditionsStatus)
        }
        (ConditionsStatus, "conditions") => merge_by("type", Plain),
        (CronJob, "spec") => plain(CronJobSpec),
        (CronJobSpec, "jobTemplate") => plain(JobTemplateSpec),
        (JobTemplateSpec, "spec") => plain(WorkloadSpec),

        (Node, "spec") => plain(NodeSpec),
        (Node, "status") => plain(NodeStatus),
        (NodeSpec, "podCIDRs") => merge_primitives(),
        (NodeStatus, "conditions" | "addresses") => merge_by("type", Plain),
        (Service, "spec") => plain(ServiceSpec),
        (ServiceSpec, "ports") => merge_by("port", Plain),
        (ServiceAccount, "secrets") => merge_by("name", Plain),
        (PodDisruptionBudget, "spec") => plain(PodDisruptionBudgetSpec),
        (WebhookConfiguration, "webhooks") => merge_by("name", Plain),
        (PodDisruptionBudgetSpec, "selector") => replace(Plain),

        #[cfg(test)]
        (MergeItem, "mergingList" | "mergeItemPtr") => merge_by("name", MergeItem),
        #[cfg(test)]
        (MergeItem | RetainKeysMergeItem, "mergingIntList") => merge_primitives(),
        #[cfg(test)]
        (MergeItem | RetainKeysMergeItem, "nonMergingList") => plain(MergeItem),
        #[cfg(test)]
        (MergeItem, "replacingItem") => replace(Plain),
        #[cfg(test)]
        (MergeItem, "retainKeysMap") => retain_keys(RetainKeysMergeItem),
        #[cfg(test)]
        (MergeItem, "retainKeysMergingList") => merge_retaining_keys_by("name", MergeItem),
        #[cfg(test)]
        (RetainKeysMergeItem, "mergingList") => merge_by("name", MergeItem),

        _ => plain(Plain),
    }
}
