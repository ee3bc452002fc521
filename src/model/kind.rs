//! The one registry of the kinds the explorer knows by itself: their names (as the API and
//! kubectl name them), scope, pane title and what can be done with their objects. Command
//! parsing, completion, capability checks, fetching, describing and the watches all read it;
//! adding a built-in kind is one entry here plus its columns in `table/`.

use super::resource_info::ResourceInfo;
use super::watched::Key;

/// The kinds the explorer watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WatchedKind {
    Pods,
    Nodes,
    Namespaces,
    Events,
    Deployments,
    ReplicaSets,
    StatefulSets,
    DaemonSets,
    Jobs,
    CronJobs,
    Services,
    ConfigMaps,
    Secrets,
    PodDisruptionBudgets,
    PersistentVolumeClaims,
}

/// How an object's pods are found from it (for drill-downs, logs and describe).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodSelection {
    /// It has no pods.
    None,
    /// A label selector (`matchLabels` / `matchExpressions`) at `spec.selector`.
    LabelSelector,
    /// Plain labels at `spec.selector` (a Service).
    Labels,
}

/// What can be done with an object of a kind, beyond reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `spec.replicas` through the scale subresource.
    pub scalable: bool,
    /// A rollout restart (the pod template's `restartedAt` annotation).
    pub restartable: bool,
    /// Where its containers are (a JSON pointer), for set image.
    pub containers: Option<&'static str>,
    /// How its pods are selected.
    pub pods: PodSelection,
    /// Cordon, uncordon and drain.
    pub drainable: bool,
    /// A Job can be made from it now.
    pub runs_jobs: bool,
    /// The kind of the objects it creates and owns (a Deployment's ReplicaSets, a CronJob's
    /// Jobs): watched with it, read by its explanation and description.
    pub controls: Option<WatchedKind>,
}

const NOTHING: Capabilities = Capabilities {
    scalable: false,
    restartable: false,
    containers: None,
    pods: PodSelection::None,
    drainable: false,
    runs_jobs: false,
    controls: None,
};

const TEMPLATE_CONTAINERS: Option<&str> = Some("/spec/template/spec/containers");

/// One kind: everything the explorer knows of it by itself.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    pub kind: WatchedKind,
    /// Empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// As the API names it (`Deployment`).
    pub name: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    /// kubectl's short names (`deploy`), and the pane's own (`dp`, as k9s has it).
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// The pane's title.
    pub title: &'static str,
    /// One short word for the stream's lines.
    pub word: &'static str,
    /// Watched from the start (else when its pane first opens).
    pub from_start: bool,
    pub can: Capabilities,
    /// The fields a field selector may name besides `metadata.name` and `metadata.namespace`
    /// (the API server's field label conversions for the kind).
    pub field_selectors: &'static [&'static str],
}

/// Every kind the explorer knows by itself, in the order `:` completes them.
pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: WatchedKind::Pods,
        group: "",
        version: "v1",
        name: "Pod",
        plural: "pods",
        singular: "pod",
        short_names: &["po"],
        namespaced: true,
        title: "Pods",
        word: "pod",
        from_start: true,
        can: Capabilities {
            containers: Some("/spec/containers"),
            ..NOTHING
        },
        field_selectors: &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
    },
    KindInfo {
        kind: WatchedKind::Nodes,
        group: "",
        version: "v1",
        name: "Node",
        plural: "nodes",
        singular: "node",
        short_names: &["no"],
        namespaced: false,
        title: "Nodes",
        word: "node",
        from_start: true,
        can: Capabilities {
            drainable: true,
            ..NOTHING
        },
        field_selectors: &["spec.unschedulable"],
    },
    KindInfo {
        kind: WatchedKind::Namespaces,
        group: "",
        version: "v1",
        name: "Namespace",
        plural: "namespaces",
        singular: "namespace",
        short_names: &["ns"],
        namespaced: false,
        title: "Namespaces",
        word: "namespace",
        from_start: true,
        can: NOTHING,
        field_selectors: &["status.phase"],
    },
    KindInfo {
        kind: WatchedKind::Events,
        group: "",
        version: "v1",
        name: "Event",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        namespaced: true,
        title: "Events",
        word: "event",
        from_start: true,
        can: NOTHING,
        field_selectors: &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
    },
    KindInfo {
        kind: WatchedKind::Deployments,
        group: "apps",
        version: "v1",
        name: "Deployment",
        plural: "deployments",
        singular: "deployment",
        short_names: &["deploy", "dp"],
        namespaced: true,
        title: "Deployments",
        word: "deploy",
        from_start: false,
        can: Capabilities {
            scalable: true,
            restartable: true,
            containers: TEMPLATE_CONTAINERS,
            pods: PodSelection::LabelSelector,
            controls: Some(WatchedKind::ReplicaSets),
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::ReplicaSets,
        group: "apps",
        version: "v1",
        name: "ReplicaSet",
        plural: "replicasets",
        singular: "replicaset",
        short_names: &["rs"],
        namespaced: true,
        title: "ReplicaSets",
        word: "rs",
        from_start: false,
        can: Capabilities {
            scalable: true,
            containers: TEMPLATE_CONTAINERS,
            pods: PodSelection::LabelSelector,
            ..NOTHING
        },
        field_selectors: &["status.replicas"],
    },
    KindInfo {
        kind: WatchedKind::StatefulSets,
        group: "apps",
        version: "v1",
        name: "StatefulSet",
        plural: "statefulsets",
        singular: "statefulset",
        short_names: &["sts"],
        namespaced: true,
        title: "StatefulSets",
        word: "sts",
        from_start: false,
        can: Capabilities {
            scalable: true,
            restartable: true,
            containers: TEMPLATE_CONTAINERS,
            pods: PodSelection::LabelSelector,
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::DaemonSets,
        group: "apps",
        version: "v1",
        name: "DaemonSet",
        plural: "daemonsets",
        singular: "daemonset",
        short_names: &["ds"],
        namespaced: true,
        title: "DaemonSets",
        word: "ds",
        from_start: false,
        can: Capabilities {
            restartable: true,
            containers: TEMPLATE_CONTAINERS,
            pods: PodSelection::LabelSelector,
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::Jobs,
        group: "batch",
        version: "v1",
        name: "Job",
        plural: "jobs",
        singular: "job",
        short_names: &[],
        namespaced: true,
        title: "Jobs",
        word: "job",
        from_start: false,
        can: Capabilities {
            containers: TEMPLATE_CONTAINERS,
            pods: PodSelection::LabelSelector,
            ..NOTHING
        },
        field_selectors: &["status.successful"],
    },
    KindInfo {
        kind: WatchedKind::CronJobs,
        group: "batch",
        version: "v1",
        name: "CronJob",
        plural: "cronjobs",
        singular: "cronjob",
        short_names: &["cj"],
        namespaced: true,
        title: "CronJobs",
        word: "cronjob",
        from_start: false,
        can: Capabilities {
            containers: Some("/spec/jobTemplate/spec/template/spec/containers"),
            runs_jobs: true,
            controls: Some(WatchedKind::Jobs),
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::Services,
        group: "",
        version: "v1",
        name: "Service",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        namespaced: true,
        title: "Services",
        word: "svc",
        from_start: false,
        can: Capabilities {
            pods: PodSelection::Labels,
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::ConfigMaps,
        group: "",
        version: "v1",
        name: "ConfigMap",
        plural: "configmaps",
        singular: "configmap",
        short_names: &["cm"],
        namespaced: true,
        title: "ConfigMaps",
        word: "configmap",
        from_start: false,
        can: NOTHING,
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::Secrets,
        group: "",
        version: "v1",
        name: "Secret",
        plural: "secrets",
        singular: "secret",
        short_names: &[],
        namespaced: true,
        title: "Secrets",
        word: "secret",
        from_start: false,
        can: NOTHING,
        field_selectors: &["type"],
    },
    KindInfo {
        kind: WatchedKind::PodDisruptionBudgets,
        group: "policy",
        version: "v1",
        name: "PodDisruptionBudget",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        short_names: &["pdb"],
        namespaced: true,
        title: "PodDisruptionBudgets",
        word: "pdb",
        from_start: false,
        can: Capabilities {
            pods: PodSelection::LabelSelector,
            ..NOTHING
        },
        field_selectors: &[],
    },
    KindInfo {
        kind: WatchedKind::PersistentVolumeClaims,
        group: "",
        version: "v1",
        name: "PersistentVolumeClaim",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        short_names: &["pvc"],
        namespaced: true,
        title: "PersistentVolumeClaims",
        word: "pvc",
        from_start: false,
        can: NOTHING,
        field_selectors: &[],
    },
];

impl WatchedKind {
    /// Everything the explorer knows of the kind.
    pub fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|info| info.kind == self)
            .expect("every kind has its registry entry")
    }

    /// Every kind, in the registry's order.
    pub fn all() -> impl Iterator<Item = WatchedKind> {
        KINDS.iter().map(|info| info.kind)
    }

    /// The kinds watched from the start: the core panes and the events that explain them.
    pub fn from_start() -> impl Iterator<Item = WatchedKind> {
        KINDS.iter().filter(|i| i.from_start).map(|i| i.kind)
    }

    /// The kind a word names as kubectl reads it: plural, singular, short name or kind, in
    /// any case.
    pub fn named(word: &str) -> Option<WatchedKind> {
        let word = word.trim();
        KINDS
            .iter()
            .find(|info| {
                info.plural.eq_ignore_ascii_case(word)
                    || info.singular.eq_ignore_ascii_case(word)
                    || info.name.eq_ignore_ascii_case(word)
                    || info
                        .short_names
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(word))
            })
            .map(|info| info.kind)
    }

    /// Whether the kind lives in namespaces (and so follows the namespace scope).
    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    /// The plural as kubectl names it.
    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    /// The kind as the API names it (`Deployment`).
    pub fn kind_name(self) -> &'static str {
        self.info().name
    }

    /// `v1` or `apps/v1`.
    pub fn api_version(self) -> String {
        let info = self.info();
        if info.group.is_empty() {
            info.version.to_string()
        } else {
            format!("{}/{}", info.group, info.version)
        }
    }

    /// What can be done with its objects.
    pub fn can(self) -> Capabilities {
        self.info().can
    }
}

/// A kind to ask the API server for an object of: one the explorer knows by itself, or any
/// the API server serves (found by discovery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Kind(WatchedKind),
    Resource(ResourceInfo),
}

impl Target {
    /// Whether Kubernetes serves the kind itself (not a custom resource).
    pub fn is_built_in(&self) -> bool {
        match self {
            Target::Kind(_) => true,
            Target::Resource(info) => info.is_built_in(),
        }
    }

    /// Whether its objects live in namespaces.
    pub fn namespaced(&self) -> bool {
        match self {
            Target::Kind(kind) => kind.namespaced(),
            Target::Resource(info) => info.namespaced,
        }
    }

    /// The object `key` of this kind as the explorer titles it: `pod shop/web-1`, `node n1`.
    pub fn title(&self, key: &Key) -> String {
        let kind = self.kind_name().to_lowercase();
        if key.0.is_empty() {
            format!("{kind} {}", key.1)
        } else {
            format!("{kind} {}/{}", key.0, key.1)
        }
    }

    /// The kind's name (`Pod`, `CephCluster`).
    pub fn kind_name(&self) -> String {
        match self {
            Target::Kind(kind) => kind.kind_name().to_string(),
            Target::Resource(info) => info.kind.clone(),
        }
    }

    /// What can be done with its objects (nothing is known of a discovered kind).
    pub fn can(&self) -> Capabilities {
        match self {
            Target::Kind(kind) => kind.can(),
            Target::Resource(_) => NOTHING,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_entry_and_its_words_name_only_it() {
        for info in KINDS {
            assert_eq!(info.kind.info().name, info.name);
            assert_eq!(KINDS.iter().filter(|i| i.kind == info.kind).count(), 1);
            for word in [info.plural, info.singular, info.name]
                .iter()
                .chain(info.short_names)
            {
                assert_eq!(WatchedKind::named(word), Some(info.kind), "{word}");
            }
        }
        assert_eq!(WatchedKind::named("PO"), Some(WatchedKind::Pods));
        assert_eq!(WatchedKind::named("cephclusters"), None);
    }

    #[test]
    fn capabilities_are_kubectls() {
        assert!(WatchedKind::Deployments.can().scalable);
        assert!(!WatchedKind::DaemonSets.can().scalable);
        assert!(WatchedKind::DaemonSets.can().restartable);
        assert!(!WatchedKind::ReplicaSets.can().restartable);
        assert!(WatchedKind::Nodes.can().drainable);
        assert!(WatchedKind::CronJobs.can().runs_jobs);
        assert_eq!(WatchedKind::Services.can().pods, PodSelection::Labels);
        assert_eq!(WatchedKind::Deployments.api_version(), "apps/v1");
        assert_eq!(WatchedKind::from_start().count(), 4);
    }
}
