//! Privilege escalation prevention, as the API server's RBAC storage applies it: a user may
//! write a Role or ClusterRole only with permissions it already holds (or with `escalate` on
//! it), and bind a role only if it holds every permission the role grants (or has `bind` on
//! it); `system:masters` may do both (pkg/registry/rbac/*/policybased and
//! pkg/registry/rbac/validation/policy_comparator.go).

use serde_json::Value;

use super::rule::PolicyRule;
use super::{Attributes, Target, UserInfo, authorize, rbac, rules_for};
use crate::sim::api_error::ApiError;
use crate::sim::resource::ResourceType;
use crate::sim::state::Sim;

/// Refuses storing `object` (a Role, ClusterRole or binding, as it would be stored) when it
/// would give away permissions `user` does not hold. `previous` is the stored object on an
/// update: one that leaves the rules (or the role reference and subjects) as they were is not
/// checked.
pub fn confirm_no_escalation(
    sim: &Sim,
    user: &UserInfo,
    resource: &ResourceType,
    namespace: &str,
    object: &Value,
    previous: Option<&Value>,
) -> Result<(), ApiError> {
    if resource.group != "rbac.authorization.k8s.io"
        || user.groups.iter().any(|g| g == "system:masters")
    {
        return Ok(());
    }
    let name = object["metadata"]["name"].as_str().unwrap_or("");
    let unchanged = |fields: &[&str]| {
        previous.is_some_and(|previous| fields.iter().all(|f| previous.get(*f) == object.get(*f)))
    };
    let forbidden = |reason: String| ApiError::forbidden_object(resource, name, &reason);
    let rules = match resource.kind {
        "Role" | "ClusterRole" => {
            if unchanged(&["rules", "aggregationRule"])
                || allowed(sim, user, "escalate", resource.plural, namespace, name)
            {
                return Ok(());
            }
            PolicyRule::of_role(object)
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            if unchanged(&["roleRef", "subjects"]) {
                return Ok(());
            }
            let role_kind = object["roleRef"]["kind"].as_str().unwrap_or("");
            let role_name = object["roleRef"]["name"].as_str().unwrap_or("");
            let (plural, role_namespace) = match role_kind {
                "ClusterRole" => ("clusterroles", ""),
                "Role" => ("roles", namespace),
                _ => return Ok(()),
            };
            if allowed(sim, user, "bind", plural, namespace, role_name) {
                return Ok(());
            }
            let singular = if plural == "roles" {
                "role"
            } else {
                "clusterrole"
            };
            let role = sim
                .store
                .get(rbac(plural), role_namespace, role_name)
                .ok_or_else(|| {
                    forbidden(format!(
                        "{singular}.rbac.authorization.k8s.io \"{role_name}\" not found"
                    ))
                })?;
            PolicyRule::of_role(&role)
        }
        _ => return Ok(()),
    };
    let (held, errors) = rules_for(sim, user, namespace);
    let missing = missing_rights(&held, &rules);
    if missing.is_empty() {
        return Ok(());
    }
    let mut described: Vec<String> = compact(missing).iter().map(compact_string).collect();
    described.sort();
    described.dedup();
    let groups: Vec<String> = user.groups.iter().map(|g| format!("{g:?}")).collect();
    let mut reason = format!(
        "user {:?} (groups=[{}]) is attempting to grant RBAC permissions not currently held:\n{}",
        user.name,
        groups.join(" "),
        described.join("\n")
    );
    match errors.as_slice() {
        [] => {}
        [one] => reason.push_str(&format!("; resolution errors: [{one}]")),
        many => reason.push_str(&format!("; resolution errors: [[{}]]", many.join(", "))),
    }
    Err(forbidden(reason))
}

/// Whether the authorizer allows `verb` (`escalate`, `bind`) on an RBAC object.
fn allowed(
    sim: &Sim,
    user: &UserInfo,
    verb: &str,
    plural: &str,
    namespace: &str,
    name: &str,
) -> bool {
    let attributes = Attributes {
        verb: verb.into(),
        target: Target::Resource {
            group: "rbac.authorization.k8s.io".into(),
            resource: plural.into(),
            subresource: String::new(),
            namespace: namespace.into(),
            name: name.into(),
        },
    };
    authorize(sim, user, &attributes).allowed
}

/// The atomic permissions of `requested` no rule in `held` covers (`Covers`).
pub fn missing_rights(held: &[PolicyRule], requested: &[PolicyRule]) -> Vec<PolicyRule> {
    requested
        .iter()
        .flat_map(breakdown)
        .filter(|wanted| !held.iter().any(|owner| covers(owner, wanted)))
        .collect()
}

/// One rule per group, resource, verb and name, and per URL and verb (`BreakdownRule`).
fn breakdown(rule: &PolicyRule) -> Vec<PolicyRule> {
    let one = |items: &String| vec![items.clone()];
    let mut atoms = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let base = PolicyRule {
                    verbs: one(verb),
                    api_groups: one(group),
                    resources: one(resource),
                    ..PolicyRule::default()
                };
                if rule.resource_names.is_empty() {
                    atoms.push(base);
                } else {
                    for name in &rule.resource_names {
                        atoms.push(PolicyRule {
                            resource_names: one(name),
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    for url in &rule.non_resource_urls {
        for verb in &rule.verbs {
            atoms.push(PolicyRule {
                verbs: one(verb),
                non_resource_urls: one(url),
                ..PolicyRule::default()
            });
        }
    }
    atoms
}

fn has(set: &[String], item: &str) -> bool {
    set.iter().any(|s| s == item)
}

fn has_all(set: &[String], items: &[String]) -> bool {
    items.iter().all(|i| has(set, i))
}

/// Whether `owner` covers the atomic rule `wanted` (`ruleCovers`).
fn covers(owner: &PolicyRule, wanted: &PolicyRule) -> bool {
    let verbs = has(&owner.verbs, "*") || has_all(&owner.verbs, &wanted.verbs);
    let groups = has(&owner.api_groups, "*") || has_all(&owner.api_groups, &wanted.api_groups);
    let resources = has(&owner.resources, "*")
        || wanted.resources.iter().all(|path| {
            has(&owner.resources, path)
                || path
                    .split_once('/')
                    .is_some_and(|(_, sub)| has(&owner.resources, &format!("*/{sub}")))
        });
    let urls = wanted.non_resource_urls.iter().all(|path| {
        owner.non_resource_urls.iter().any(|o| {
            o == path
                || o.strip_suffix('*')
                    .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
        })
    });
    let names = if wanted.resource_names.is_empty() {
        owner.resource_names.is_empty()
    } else {
        owner.resource_names.is_empty() || has_all(&owner.resource_names, &wanted.resource_names)
    };
    verbs && groups && resources && urls && names
}

/// Atomic rules on the same group, resource and name merged into one with their verbs
/// (`CompactRules`).
fn compact(rules: Vec<PolicyRule>) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::new();
    for rule in rules {
        let simple = rule.api_groups.len() == 1
            && rule.resources.len() == 1
            && rule.resource_names.len() <= 1
            && rule.non_resource_urls.is_empty();
        if simple
            && let Some(existing) = out.iter_mut().find(|r| {
                r.non_resource_urls.is_empty()
                    && r.api_groups == rule.api_groups
                    && r.resources == rule.resources
                    && r.resource_names == rule.resource_names
            })
        {
            existing.verbs.extend(rule.verbs);
        } else {
            out.push(rule);
        }
    }
    out
}

/// `CompactString`: `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`.
fn compact_string(rule: &PolicyRule) -> String {
    let quoted = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        format!("[{}]", items.join(" "))
    };
    let mut parts = Vec::new();
    for (label, items) in [
        ("APIGroups", &rule.api_groups),
        ("Resources", &rule.resources),
        ("NonResourceURLs", &rule.non_resource_urls),
        ("ResourceNames", &rule.resource_names),
        ("Verbs", &rule.verbs),
    ] {
        if !items.is_empty() {
            parts.push(format!("{label}:{}", quoted(items)));
        }
    }
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: Value) -> PolicyRule {
        PolicyRule::from_json(&value)
    }

    #[test]
    fn held_rules_cover_what_they_allow_and_nothing_more() {
        let held = vec![
            rule(
                json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "*/status"]}),
            ),
            rule(
                json!({"verbs": ["*"], "apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"]}),
            ),
            rule(json!({"verbs": ["get"], "nonResourceURLs": ["/api/*"]})),
        ];
        let covered = |wanted: Value| missing_rights(&held, &[rule(wanted)]).is_empty();
        assert!(covered(
            json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]})
        ));
        assert!(covered(
            json!({"verbs": ["list"], "apiGroups": [""], "resources": ["pods/status", "services/status"]})
        ));
        assert!(!covered(
            json!({"verbs": ["delete"], "apiGroups": [""], "resources": ["pods"]})
        ));
        assert!(!covered(
            json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]})
        ));
        assert!(covered(
            json!({"verbs": ["delete"], "apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"]})
        ));
        // A rule for every deployment is more than one for `web`.
        assert!(!covered(
            json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments"]})
        ));
        assert!(covered(
            json!({"verbs": ["get"], "nonResourceURLs": ["/api/v1"]})
        ));
        assert!(!covered(
            json!({"verbs": ["get"], "nonResourceURLs": ["/apis"]})
        ));
    }

    #[test]
    fn missing_rights_are_described_as_compact_strings() {
        let held = vec![rule(
            json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}),
        )];
        let wanted = rule(
            json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "secrets"]}),
        );
        let missing: Vec<String> = compact(missing_rights(&held, &[wanted]))
            .iter()
            .map(compact_string)
            .collect();
        assert_eq!(
            missing,
            [
                r#"{APIGroups:[""], Resources:["pods"], Verbs:["list"]}"#,
                r#"{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}"#,
            ]
        );
        let all = rule(json!({"verbs": ["*"], "nonResourceURLs": ["*"]}));
        assert_eq!(
            compact_string(&missing_rights(&held, &[all])[0]),
            r#"{NonResourceURLs:["*"], Verbs:["*"]}"#
        );
    }
}
