//! The resource types the simulated API server serves, with what discovery says of each.

/// One resource type: where it lives in the API and what it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// Plural resource name, as in URLs (`pods`).
    pub plural: &'static str,
    /// Singular name (`pod`).
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    /// Subresources this type has (`status`, `scale`, `log`, `eviction`).
    pub subresources: &'static [&'static str],
    /// False for read-only resources (metrics).
    pub writable: bool,
    /// A review: created and answered at once, never stored (`SelfSubjectAccessReview`).
    pub review: bool,
}

impl ResourceType {
    /// Whether this is one of the API server's own kinds (`BUILT_IN`), not a custom resource.
    pub fn is_built_in(&self) -> bool {
        BUILT_IN.iter().any(|b| std::ptr::eq(b, self))
    }

    /// `v1` or `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `pods` or `deployments.apps`, as in error messages.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The verbs discovery advertises.
    pub fn verbs(&self) -> &'static [&'static str] {
        if self.review {
            &["create"]
        } else if self.writable {
            &[
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch",
            ]
        } else {
            &["get", "list"]
        }
    }
}

const ALL: &[&str] = &["all"];
const NONE: &[&str] = &[];

/// Every built-in resource type the simulator serves.
pub static BUILT_IN: &[ResourceType] = &[
    core(
        "namespaces",
        "namespace",
        "Namespace",
        false,
        &["ns"],
        NONE,
        &["status", "finalize"],
    ),
    core("nodes", "node", "Node", false, &["no"], NONE, &["status"]),
    core(
        "pods",
        "pod",
        "Pod",
        true,
        &["po"],
        ALL,
        &[
            "status",
            "log",
            "eviction",
            "binding",
            "exec",
            "attach",
            "portforward",
            "ephemeralcontainers",
        ],
    ),
    core("events", "event", "Event", true, &["ev"], NONE, NONE),
    core(
        "services",
        "service",
        "Service",
        true,
        &["svc"],
        ALL,
        &["status"],
    ),
    core(
        "endpoints",
        "endpoints",
        "Endpoints",
        true,
        &["ep"],
        NONE,
        NONE,
    ),
    core(
        "configmaps",
        "configmap",
        "ConfigMap",
        true,
        &["cm"],
        NONE,
        NONE,
    ),
    core("secrets", "secret", "Secret", true, NONE, NONE, NONE),
    core(
        "serviceaccounts",
        "serviceaccount",
        "ServiceAccount",
        true,
        &["sa"],
        NONE,
        NONE,
    ),
    group(
        "apps",
        "v1",
        "deployments",
        "deployment",
        "Deployment",
        &["deploy"],
        ALL,
        &["status", "scale"],
    ),
    group(
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        "ReplicaSet",
        &["rs"],
        ALL,
        &["status", "scale"],
    ),
    group(
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        "StatefulSet",
        &["sts"],
        ALL,
        &["status", "scale"],
    ),
    group(
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        "DaemonSet",
        &["ds"],
        ALL,
        &["status"],
    ),
    group("batch", "v1", "jobs", "job", "Job", NONE, ALL, &["status"]),
    group(
        "batch",
        "v1",
        "cronjobs",
        "cronjob",
        "CronJob",
        &["cj"],
        ALL,
        &["status"],
    ),
    group(
        "policy",
        "v1",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        "PodDisruptionBudget",
        &["pdb"],
        NONE,
        &["status"],
    ),
    group(
        "events.k8s.io",
        "v1",
        "events",
        "event",
        "Event",
        &["ev"],
        NONE,
        NONE,
    ),
    group(
        "coordination.k8s.io",
        "v1",
        "leases",
        "lease",
        "Lease",
        NONE,
        NONE,
        NONE,
    ),
    ResourceType {
        group: "apiextensions.k8s.io",
        version: "v1",
        plural: "customresourcedefinitions",
        singular: "customresourcedefinition",
        kind: "CustomResourceDefinition",
        namespaced: false,
        short_names: &["crd", "crds"],
        categories: &["api-extensions"],
        subresources: &["status"],
        writable: true,
        review: false,
    },
    ResourceType {
        group: "",
        version: "v1",
        plural: "componentstatuses",
        singular: "componentstatus",
        kind: "ComponentStatus",
        namespaced: false,
        short_names: &["cs"],
        categories: NONE,
        subresources: NONE,
        writable: false,
        review: false,
    },
    core(
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        true,
        &["pvc"],
        NONE,
        &["status"],
    ),
    core(
        "persistentvolumes",
        "persistentvolume",
        "PersistentVolume",
        false,
        &["pv"],
        NONE,
        &["status"],
    ),
    core(
        "replicationcontrollers",
        "replicationcontroller",
        "ReplicationController",
        true,
        &["rc"],
        ALL,
        &["status", "scale"],
    ),
    core(
        "resourcequotas",
        "resourcequota",
        "ResourceQuota",
        true,
        &["quota"],
        NONE,
        &["status"],
    ),
    core(
        "limitranges",
        "limitrange",
        "LimitRange",
        true,
        &["limits"],
        NONE,
        NONE,
    ),
    group(
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        "HorizontalPodAutoscaler",
        &["hpa"],
        ALL,
        &["status"],
    ),
    group(
        "discovery.k8s.io",
        "v1",
        "endpointslices",
        "endpointslice",
        "EndpointSlice",
        NONE,
        NONE,
        NONE,
    ),
    cluster_group(
        "storage.k8s.io",
        "storageclasses",
        "storageclass",
        "StorageClass",
        &["sc"],
    ),
    group(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        &["ing"],
        NONE,
        &["status"],
    ),
    cluster_group(
        "networking.k8s.io",
        "ingressclasses",
        "ingressclass",
        "IngressClass",
        NONE,
    ),
    group(
        "networking.k8s.io",
        "v1",
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        &["netpol"],
        NONE,
        NONE,
    ),
    ResourceType {
        group: "certificates.k8s.io",
        version: "v1",
        plural: "certificatesigningrequests",
        singular: "certificatesigningrequest",
        kind: "CertificateSigningRequest",
        namespaced: false,
        short_names: &["csr"],
        categories: NONE,
        subresources: &["status", "approval"],
        writable: true,
        review: false,
    },
    cluster_group(
        "scheduling.k8s.io",
        "priorityclasses",
        "priorityclass",
        "PriorityClass",
        &["pc"],
    ),
    cluster_group(
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        "mutatingwebhookconfiguration",
        "MutatingWebhookConfiguration",
        NONE,
    ),
    cluster_group(
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        "validatingwebhookconfiguration",
        "ValidatingWebhookConfiguration",
        NONE,
    ),
    ResourceType {
        group: "admissionregistration.k8s.io",
        version: "v1",
        plural: "validatingadmissionpolicies",
        singular: "validatingadmissionpolicy",
        kind: "ValidatingAdmissionPolicy",
        namespaced: false,
        short_names: NONE,
        categories: &["api-extensions"],
        subresources: &["status"],
        writable: true,
        review: false,
    },
    rbac("roles", "role", "Role", true),
    rbac("rolebindings", "rolebinding", "RoleBinding", true),
    rbac("clusterroles", "clusterrole", "ClusterRole", false),
    rbac(
        "clusterrolebindings",
        "clusterrolebinding",
        "ClusterRoleBinding",
        false,
    ),
    review(
        "authorization.k8s.io",
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        "SelfSubjectAccessReview",
    ),
    review(
        "authorization.k8s.io",
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        "SelfSubjectRulesReview",
    ),
    review(
        "authorization.k8s.io",
        "subjectaccessreviews",
        "subjectaccessreview",
        "SubjectAccessReview",
    ),
    review(
        "authentication.k8s.io",
        "selfsubjectreviews",
        "selfsubjectreview",
        "SelfSubjectReview",
    ),
    metrics("nodes", "node", "NodeMetrics", false),
    metrics("pods", "pod", "PodMetrics", true),
];

const fn core(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
    categories: &'static [&'static str],
    subresources: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group: "",
        version: "v1",
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        categories,
        subresources,
        writable: true,
        review: false,
    }
}

#[allow(clippy::too_many_arguments)]
const fn group(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    short_names: &'static [&'static str],
    categories: &'static [&'static str],
    subresources: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group,
        version,
        plural,
        singular,
        kind,
        namespaced: true,
        short_names,
        categories,
        subresources,
        writable: true,
        review: false,
    }
}

/// A cluster-scoped kind of a `v1` API group.
const fn cluster_group(
    group: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    short_names: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group,
        version: "v1",
        plural,
        singular,
        kind,
        namespaced: false,
        short_names,
        categories: NONE,
        subresources: NONE,
        writable: true,
        review: false,
    }
}

const fn metrics(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
) -> ResourceType {
    ResourceType {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural,
        singular,
        kind,
        namespaced,
        short_names: NONE,
        categories: NONE,
        subresources: NONE,
        writable: false,
        review: false,
    }
}

const fn rbac(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
) -> ResourceType {
    ResourceType {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        plural,
        singular,
        kind,
        namespaced,
        short_names: NONE,
        categories: NONE,
        subresources: NONE,
        writable: true,
        review: false,
    }
}

/// A cluster-scoped review type: only `create`, answered with the review's status.
const fn review(
    group: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
) -> ResourceType {
    ResourceType {
        group,
        version: "v1",
        plural,
        singular,
        kind,
        namespaced: false,
        short_names: NONE,
        categories: NONE,
        subresources: NONE,
        writable: true,
        review: true,
    }
}

/// A resource type defined at run time by a CustomResourceDefinition. Types live as long as the
/// process (there are few, and handlers hold `&'static` references to them).
#[allow(clippy::too_many_arguments)]
pub fn custom(
    group: &str,
    version: &str,
    plural: &str,
    singular: &str,
    kind: &str,
    namespaced: bool,
    short_names: &[String],
    categories: &[String],
) -> &'static ResourceType {
    let leak = |text: &str| -> &'static str { Box::leak(text.to_string().into_boxed_str()) };
    let short: Vec<&'static str> = short_names.iter().map(|s| leak(s)).collect();
    let categories: Vec<&'static str> = categories.iter().map(|s| leak(s)).collect();
    Box::leak(Box::new(ResourceType {
        group: leak(group),
        version: leak(version),
        plural: leak(plural),
        singular: leak(singular),
        kind: leak(kind),
        namespaced,
        short_names: Box::leak(short.into_boxed_slice()),
        categories: Box::leak(categories.into_boxed_slice()),
        subresources: &["status"],
        writable: true,
        review: false,
    }))
}

/// Finds a built-in type by group, version and plural.
pub fn find_built_in(group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
    BUILT_IN
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}
