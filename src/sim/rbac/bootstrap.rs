//! The roles and bindings a cluster starts with: the user-facing ClusterRoles `cluster-admin`,
//! `admin`, `edit` and `view` with rules as Kubernetes' bootstrap policy aggregates them
//! (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go; `view` also reads
//! metrics.k8s.io, as metrics-server's aggregated reader role adds), the three `system:` roles
//! every authenticated user holds (discovery, its own reviews, the health and version paths),
//! `cluster-admin` bound to `system:masters`, and the simulator's users bound to their roles.

use serde_json::{Value, json};

use super::rbac;
use super::rule::PolicyRule;
use super::users::SimUser;
use crate::sim::resource::ResourceType;

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn rule(verbs: &[&str], group: &str, resources: &[&str]) -> PolicyRule {
    let owned = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect();
    PolicyRule {
        verbs: owned(verbs),
        api_groups: vec![group.to_string()],
        resources: owned(resources),
        ..PolicyRule::default()
    }
}

fn paths(verbs: &[&str], urls: &[&str]) -> PolicyRule {
    let owned = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect();
    PolicyRule {
        verbs: owned(verbs),
        non_resource_urls: owned(urls),
        ..PolicyRule::default()
    }
}

/// `view`: reading what a namespace's workloads are made of, but not Secrets.
fn view() -> Vec<PolicyRule> {
    vec![
        rule(
            READ,
            "",
            &[
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
            ],
        ),
        rule(
            READ,
            "",
            &[
                "limitranges",
                "resourcequotas",
                "bindings",
                "events",
                "pods/status",
                "resourcequotas/status",
                "namespaces/status",
                "replicationcontrollers/status",
                "pods/log",
            ],
        ),
        rule(READ, "", &["namespaces"]),
        rule(READ, "discovery.k8s.io", &["endpointslices"]),
        rule(
            READ,
            "apps",
            &[
                "controllerrevisions",
                "statefulsets",
                "statefulsets/status",
                "statefulsets/scale",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/status",
                "deployments/scale",
                "replicasets",
                "replicasets/status",
                "replicasets/scale",
            ],
        ),
        rule(
            READ,
            "autoscaling",
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
        ),
        rule(
            READ,
            "batch",
            &["jobs", "cronjobs", "cronjobs/status", "jobs/status"],
        ),
        rule(
            READ,
            "extensions",
            &[
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
                "networkpolicies",
            ],
        ),
        rule(
            READ,
            "policy",
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
        ),
        rule(
            READ,
            "networking.k8s.io",
            &["networkpolicies", "ingresses", "ingresses/status"],
        ),
        rule(READ, "metrics.k8s.io", &["pods", "nodes"]),
    ]
}

/// What `edit` adds to `view`: changing workloads, pods (exec, attach, port-forward included),
/// services, config and Secrets; not roles, bindings or quotas.
fn edit_only() -> Vec<PolicyRule> {
    vec![
        rule(
            READ,
            "",
            &[
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
                "secrets",
                "services/proxy",
            ],
        ),
        rule(&["impersonate"], "", &["serviceaccounts"]),
        rule(
            WRITE,
            "",
            &[
                "pods",
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
            ],
        ),
        rule(&["create"], "", &["pods/eviction"]),
        rule(
            WRITE,
            "",
            &[
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/proxy",
                "persistentvolumeclaims",
                "configmaps",
                "secrets",
                "events",
            ],
        ),
        rule(&["create"], "", &["serviceaccounts/token"]),
        rule(
            WRITE,
            "apps",
            &[
                "statefulsets",
                "statefulsets/scale",
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "replicasets",
                "replicasets/scale",
            ],
        ),
        rule(WRITE, "autoscaling", &["horizontalpodautoscalers"]),
        rule(WRITE, "batch", &["jobs", "cronjobs"]),
        rule(
            WRITE,
            "extensions",
            &[
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "ingresses",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
                "networkpolicies",
            ],
        ),
        rule(WRITE, "policy", &["poddisruptionbudgets"]),
        rule(
            WRITE,
            "networking.k8s.io",
            &["networkpolicies", "ingresses"],
        ),
        rule(READ_WRITE, "coordination.k8s.io", &["leases"]),
    ]
}

fn edit() -> Vec<PolicyRule> {
    let mut rules = edit_only();
    rules.extend(view());
    rules
}

/// `admin`: `edit`, and the namespace's Roles and RoleBindings.
fn admin() -> Vec<PolicyRule> {
    let mut rules = edit();
    rules.push(rule(
        &["create"],
        "authorization.k8s.io",
        &["localsubjectaccessreviews"],
    ));
    rules.push(rule(
        READ_WRITE,
        "rbac.authorization.k8s.io",
        &["roles", "rolebindings"],
    ));
    rules
}

/// `no-secrets`, the simulator's own: `edit` without Secrets, and reading the nodes, so that
/// a user may work with everything in the cluster but never see a Secret's data.
fn no_secrets() -> Vec<PolicyRule> {
    let mut rules: Vec<PolicyRule> = edit()
        .into_iter()
        .map(|mut rule| {
            rule.resources.retain(|r| r != "secrets");
            rule
        })
        .collect();
    rules.push(rule(READ, "", &["nodes"]));
    rules
}

fn cluster_admin() -> Vec<PolicyRule> {
    vec![rule(&["*"], "*", &["*"]), paths(&["*"], &["*"])]
}

fn discovery() -> Vec<PolicyRule> {
    vec![paths(
        &["get"],
        &[
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
            "/healthz",
            "/livez",
            "/openapi",
            "/openapi/*",
            "/readyz",
            "/version",
            "/version/",
        ],
    )]
}

fn basic_user() -> Vec<PolicyRule> {
    vec![
        rule(
            &["create"],
            "authorization.k8s.io",
            &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        ),
        rule(
            &["create"],
            "authentication.k8s.io",
            &["selfsubjectreviews"],
        ),
    ]
}

fn public_info_viewer() -> Vec<PolicyRule> {
    vec![paths(
        &["get"],
        &["/healthz", "/livez", "/readyz", "/version", "/version/"],
    )]
}

fn bootstrapped(name: &str) -> Value {
    json!({
        "name": name,
        "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
        "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
    })
}

fn cluster_role(name: &str, rules: Vec<PolicyRule>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": bootstrapped(name),
        "rules": rules.iter().map(PolicyRule::to_json).collect::<Vec<_>>(),
    })
}

fn cluster_role_binding(metadata: Value, role: &str, subjects: Vec<Value>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": metadata,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

fn subject(kind: &str, name: &str) -> Value {
    json!({"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name})
}

/// The name of the ClusterRoleBinding that gives a simulator user its role (user names have
/// no `:`, so it meets no default binding's name).
pub fn user_binding_name(user: &str) -> String {
    format!("kscope-sim:{user}")
}

/// Every role and binding to store at start, in order.
pub fn objects(users: &[SimUser]) -> Vec<(&'static ResourceType, Value)> {
    let roles = rbac("clusterroles");
    let bindings = rbac("clusterrolebindings");
    let mut objects = vec![
        (roles, cluster_role("cluster-admin", cluster_admin())),
        (roles, cluster_role("admin", admin())),
        (roles, cluster_role("edit", edit())),
        (roles, cluster_role("view", view())),
        (roles, cluster_role("system:discovery", discovery())),
        (roles, cluster_role("system:basic-user", basic_user())),
        (
            roles,
            cluster_role("system:public-info-viewer", public_info_viewer()),
        ),
        (roles, {
            let mut role = cluster_role("no-secrets", no_secrets());
            role["metadata"] = json!({"name": "no-secrets"});
            role
        }),
    ];
    for (name, groups) in [
        ("cluster-admin", &["system:masters"][..]),
        ("system:discovery", &["system:authenticated"][..]),
        ("system:basic-user", &["system:authenticated"][..]),
        (
            "system:public-info-viewer",
            &["system:authenticated", "system:unauthenticated"][..],
        ),
    ] {
        let subjects = groups.iter().map(|g| subject("Group", g)).collect();
        objects.push((
            bindings,
            cluster_role_binding(bootstrapped(name), name, subjects),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for user in users {
        let Some(role) = &user.cluster_role else {
            continue;
        };
        if !seen.insert(user.name.as_str()) {
            continue;
        }
        objects.push((
            bindings,
            cluster_role_binding(
                json!({"name": user_binding_name(&user.name)}),
                role,
                vec![subject("User", &user.name)],
            ),
        ));
    }
    objects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_reads_workloads_but_not_secrets_and_edit_writes_them() {
        let can = |rules: &[PolicyRule], verb: &str, group: &str, resource: &str| {
            let attributes = super::super::Attributes {
                verb: verb.into(),
                target: super::super::Target::Resource {
                    group: group.into(),
                    resource: resource.into(),
                    subresource: String::new(),
                    namespace: "default".into(),
                    name: String::new(),
                },
            };
            rules.iter().any(|r| r.allows(&attributes))
        };
        let view = view();
        assert!(can(&view, "list", "", "pods"));
        assert!(can(&view, "watch", "apps", "deployments"));
        assert!(!can(&view, "list", "", "secrets"));
        assert!(!can(&view, "create", "apps", "deployments"));
        let edit = edit();
        assert!(can(&edit, "list", "", "secrets"));
        assert!(can(&edit, "create", "apps", "deployments"));
        assert!(!can(&edit, "create", "rbac.authorization.k8s.io", "roles"));
        assert!(can(
            &admin(),
            "create",
            "rbac.authorization.k8s.io",
            "roles"
        ));
        let no_secrets = no_secrets();
        assert!(!can(&no_secrets, "get", "", "secrets"));
        assert!(can(&no_secrets, "delete", "", "configmaps"));
        assert!(can(&no_secrets, "list", "", "nodes"));
    }
}
