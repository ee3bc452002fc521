//! Who a request comes from and what it may do: bearer tokens authenticated to users
//! (`users.rs`), every request authorized against the stored Roles, ClusterRoles and their
//! bindings as the API server's RBAC authorizer decides (`rule.rs`), the default roles and
//! the users' bindings the cluster starts with (`bootstrap.rs`), and the review APIs that ask
//! the same questions (`reviews.rs`).

mod bootstrap;
mod escalation;
mod impersonation;
mod request;
mod reviews;
mod rule;
mod users;

use serde_json::{Value, json};

pub use bootstrap::objects as bootstrap_objects;
pub use escalation::confirm_no_escalation;
pub use impersonation::acting_user;
pub use request::attributes;
pub use reviews::create as create_review;
pub use rule::PolicyRule;
pub use users::{ADMIN, PRESETS, SimUser, UserInfo, Users};

use super::api_error::ApiError;
use super::resource::{ResourceType, find_built_in};
use super::state::Sim;

/// What a request asks to do, as the API server's request info names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`; for a
    /// path, the HTTP method in lower case.
    pub verb: String,
    pub target: Target,
}

/// What a request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Objects of a resource type (empty namespace: cluster-wide; empty name: no one object).
    Resource {
        group: String,
        resource: String,
        subresource: String,
        namespace: String,
        name: String,
    },
    /// Any other path: discovery, `/version`, `/openapi/v3`.
    NonResource { path: String },
}

/// The API server's verdict, and why (`RBAC: allowed by ClusterRoleBinding ...`, or the
/// bindings whose role could not be found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

fn rbac(plural: &str) -> &'static ResourceType {
    find_built_in("rbac.authorization.k8s.io", "v1", plural).expect("the RBAC types are built in")
}

/// Whether a binding's subject is this user (`appliesToUser`): a User by name, a Group the
/// user is in, a ServiceAccount by its `system:serviceaccount:NS:NAME` user name.
fn applies_to(subject: &Value, user: &UserInfo, binding_namespace: &str) -> bool {
    let name = subject["name"].as_str().unwrap_or("");
    match subject["kind"].as_str().unwrap_or("") {
        "User" => user.name == name,
        "Group" => user.groups.iter().any(|g| g == name),
        "ServiceAccount" => {
            let namespace = subject["namespace"]
                .as_str()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_namespace);
            user.name == format!("system:serviceaccount:{namespace}:{name}")
        }
        _ => false,
    }
}

/// `describeSubject`: how a reason names the subject that matched.
fn describe_subject(subject: &Value, binding_namespace: &str) -> String {
    let kind = subject["kind"].as_str().unwrap_or("");
    let name = subject["name"].as_str().unwrap_or("");
    if kind == "ServiceAccount" {
        let namespace = subject["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or(binding_namespace);
        format!("{kind} \"{name}/{namespace}\"")
    } else {
        format!("{kind} \"{name}\"")
    }
}

/// One binding that applies to the user, with its role's rules (or why they are missing).
struct Grant {
    /// `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`.
    source: String,
    rules: Result<Vec<PolicyRule>, String>,
}

/// Every binding that applies to `user` for a request in `namespace` ("" for cluster-wide):
/// the ClusterRoleBindings, then the namespace's RoleBindings, as `VisitRulesFor` walks them.
fn grants(sim: &Sim, user: &UserInfo, namespace: &str) -> Vec<Grant> {
    let mut grants = Vec::new();
    let (cluster_bindings, ..) =
        sim.store
            .list(rbac("clusterrolebindings"), None, None, |_| true, 0);
    for binding in &cluster_bindings {
        let Some(subject) = subjects(binding).find(|s| applies_to(s, user, "")) else {
            continue;
        };
        let role_name = binding["roleRef"]["name"].as_str().unwrap_or("");
        let role_kind = binding["roleRef"]["kind"].as_str().unwrap_or("");
        let rules = if role_kind == "ClusterRole" {
            sim.store
                .get(rbac("clusterroles"), "", role_name)
                .map(|role| PolicyRule::of_role(&role))
                .ok_or_else(|| {
                    format!("clusterrole.rbac.authorization.k8s.io \"{role_name}\" not found")
                })
        } else {
            Err(format!(
                "invalid role kind {role_kind:?} in ClusterRoleBinding {:?}",
                binding["metadata"]["name"].as_str().unwrap_or("")
            ))
        };
        grants.push(Grant {
            source: format!(
                "ClusterRoleBinding \"{}\" of {role_kind} \"{role_name}\" to {}",
                binding["metadata"]["name"].as_str().unwrap_or(""),
                describe_subject(subject, "")
            ),
            rules,
        });
    }
    if namespace.is_empty() {
        return grants;
    }
    let (bindings, ..) = sim
        .store
        .list(rbac("rolebindings"), Some(namespace), None, |_| true, 0);
    for binding in &bindings {
        let Some(subject) = subjects(binding).find(|s| applies_to(s, user, namespace)) else {
            continue;
        };
        let role_name = binding["roleRef"]["name"].as_str().unwrap_or("");
        let role_kind = binding["roleRef"]["kind"].as_str().unwrap_or("");
        let rules = match role_kind {
            "ClusterRole" => sim
                .store
                .get(rbac("clusterroles"), "", role_name)
                .map(|role| PolicyRule::of_role(&role))
                .ok_or_else(|| {
                    format!("clusterrole.rbac.authorization.k8s.io \"{role_name}\" not found")
                }),
            "Role" => sim
                .store
                .get(rbac("roles"), namespace, role_name)
                .map(|role| PolicyRule::of_role(&role))
                .ok_or_else(|| format!("role.rbac.authorization.k8s.io \"{role_name}\" not found")),
            other => Err(format!(
                "invalid role kind {other:?} in RoleBinding {:?}",
                binding["metadata"]["name"].as_str().unwrap_or("")
            )),
        };
        grants.push(Grant {
            source: format!(
                "RoleBinding \"{}/{namespace}\" of {role_kind} \"{role_name}\" to {}",
                binding["metadata"]["name"].as_str().unwrap_or(""),
                describe_subject(subject, namespace)
            ),
            rules,
        });
    }
    grants
}

fn subjects(binding: &Value) -> impl Iterator<Item = &Value> {
    binding["subjects"].as_array().into_iter().flatten()
}

/// Decides a request as the API server's authorizers do: `system:masters` may do anything (the
/// privileged-group authorizer that comes before RBAC, so no binding can lock it out); anyone
/// else as the RBAC authorizer decides, allowed by the first rule of a binding that applies,
/// otherwise refused with the bindings whose role is missing as the reason.
pub fn authorize(sim: &Sim, user: &UserInfo, attributes: &Attributes) -> Decision {
    if user.groups.iter().any(|g| g == "system:masters") {
        return Decision {
            allowed: true,
            reason: String::new(),
        };
    }
    let namespace = match &attributes.target {
        Target::Resource { namespace, .. } => namespace.as_str(),
        Target::NonResource { .. } => "",
    };
    let mut errors = Vec::new();
    for grant in grants(sim, user, namespace) {
        match grant.rules {
            Ok(rules) => {
                if rules.iter().any(|rule| rule.allows(attributes)) {
                    return Decision {
                        allowed: true,
                        reason: format!("RBAC: allowed by {}", grant.source),
                    };
                }
            }
            Err(error) => errors.push(error),
        }
    }
    let reason = match errors.len() {
        0 => String::new(),
        1 => format!("RBAC: {}", errors[0]),
        _ => format!("RBAC: [{}]", errors.join(", ")),
    };
    Decision {
        allowed: false,
        reason,
    }
}

/// Every rule that applies to `user` in `namespace` (cluster-wide ones included), and the
/// errors met finding them (`RulesFor`).
pub fn rules_for(sim: &Sim, user: &UserInfo, namespace: &str) -> (Vec<PolicyRule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for grant in grants(sim, user, namespace) {
        match grant.rules {
            Ok(found) => rules.extend(found),
            Err(error) => errors.push(error),
        }
    }
    (rules, errors)
}

/// The 403 the API server answers a refused request with (`responsewriters.Forbidden` and
/// `errors.NewForbidden`): `secrets is forbidden: User "viewer" cannot list resource "secrets"
/// in API group "" in the namespace "default"`, details naming the group and resource.
pub fn forbidden(user: &UserInfo, attributes: &Attributes, reason: &str) -> ApiError {
    let verb = &attributes.verb;
    let user = &user.name;
    let (message, details) = match &attributes.target {
        Target::NonResource { path } => (
            format!("forbidden: User \"{user}\" cannot {verb} path \"{path}\""),
            json!({}),
        ),
        Target::Resource {
            group,
            resource,
            subresource,
            namespace,
            name,
        } => {
            let shown = if subresource.is_empty() {
                resource.clone()
            } else {
                format!("{resource}/{subresource}")
            };
            let scope = if namespace.is_empty() {
                "at the cluster scope".to_string()
            } else {
                format!("in the namespace \"{namespace}\"")
            };
            let why = format!(
                "User \"{user}\" cannot {verb} resource \"{shown}\" in API group \"{group}\" {scope}"
            );
            let qualified = if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            let message = if name.is_empty() {
                format!("{qualified} is forbidden: {why}")
            } else {
                format!("{qualified} \"{name}\" is forbidden: {why}")
            };
            // StatusDetails leaves empty fields out.
            let mut details = serde_json::Map::new();
            for (field, value) in [("name", name), ("group", group), ("kind", resource)] {
                if !value.is_empty() {
                    details.insert(field.into(), json!(value));
                }
            }
            (message, Value::Object(details))
        }
    };
    let message = if reason.is_empty() {
        message
    } else {
        format!("{message}: {reason}")
    };
    let mut error = ApiError::forbidden(message);
    error.details = Some(details);
    error
}

/// Checks a request, answering a refusal with the API server's 403.
pub fn check(sim: &Sim, user: &UserInfo, attributes: &Attributes) -> Result<(), ApiError> {
    let decision = authorize(sim, user, attributes);
    if decision.allowed {
        Ok(())
    } else {
        Err(forbidden(user, attributes, &decision.reason))
    }
}
