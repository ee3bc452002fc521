//! Resource quotas as the API server and the resource quota controller count them
//! (kubernetes `pkg/quota/v1` and its evaluators): what one object uses of each quota resource
//! (`pods`, `requests.cpu`, `services.nodeports`, `count/deployments.apps`...), which quotas an
//! object falls under (their scopes), the sums a quota's `status.used` holds, and the admission
//! check that refuses what would go over `status.hard`, in the API server's words.
//!
//! Usage is kept as apimachinery keeps it: exact quantities that print canonically, a sum in the
//! format of its first non-zero term (`384Mi`, `750m`), resources in name order.

mod check;
mod objects;
mod pod;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

pub(crate) use check::{QuotaState, check};

use super::go_quantity::GoQuantity;
pub(crate) use super::resource_list::{
    ResourceList, add, equals, mask, read as read_list, to_json as list_json,
};

/// The admission plugin's `prettyPrint`: `name=value` in name order, joined by `,`.
pub(crate) fn pretty_print(list: &ResourceList) -> String {
    list.iter()
        .map(|(name, quantity)| format!("{name}={quantity}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The kinds of object the quota system has an evaluator for, by the resource they are served
/// as. Anything else is counted by the generic object count evaluator (`count/RESOURCE.GROUP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evaluator {
    Pods,
    Services,
    Claims,
    Objects,
}

fn evaluator(group: &str, plural: &str) -> Evaluator {
    match (group, plural) {
        ("", "pods") => Evaluator::Pods,
        ("", "services") => Evaluator::Services,
        ("", "persistentvolumeclaims") => Evaluator::Claims,
        _ => Evaluator::Objects,
    }
}

/// `count/RESOURCE` for the core group, `count/RESOURCE.GROUP` otherwise.
fn object_count_name(group: &str, plural: &str) -> String {
    if group.is_empty() {
        format!("count/{plural}")
    } else {
        format!("count/{plural}.{group}")
    }
}

/// The resources quota has long counted by their bare names: `configmaps` as `count/configmaps`.
const LEGACY_COUNTS: [&str; 4] = [
    "configmaps",
    "secrets",
    "replicationcontrollers",
    "resourcequotas",
];

/// Whether the evaluator of objects served as `group`/`plural` tracks quota resource `name`
/// (`MatchingResources`).
pub(crate) fn tracks(group: &str, plural: &str, name: &str) -> bool {
    if name == object_count_name(group, plural) {
        return true;
    }
    match evaluator(group, plural) {
        Evaluator::Pods => pod::tracks(name),
        Evaluator::Services => objects::service_tracks(name),
        Evaluator::Claims => objects::claim_tracks(name),
        Evaluator::Objects => group.is_empty() && LEGACY_COUNTS.contains(&plural) && name == plural,
    }
}

/// The resource (group, plural) whose objects a quota resource counts, when there is one:
/// `requests.cpu` counts pods, `count/deployments.apps` Deployments.
pub(crate) fn counted_resource(name: &str) -> Option<(String, String)> {
    if let Some(counted) = name.strip_prefix("count/") {
        let (plural, group) = counted.split_once('.').unwrap_or((counted, ""));
        return Some((group.to_string(), plural.to_string()));
    }
    if LEGACY_COUNTS.contains(&name) {
        return Some((String::new(), name.to_string()));
    }
    [
        ("", "pods"),
        ("", "services"),
        ("", "persistentvolumeclaims"),
    ]
    .into_iter()
    .find(|(group, plural)| tracks(group, plural, name))
    .map(|(group, plural)| (group.to_string(), plural.to_string()))
}

/// What one object of `group`/`plural` uses (`Evaluator.Usage`), at `now` (a pod past its
/// deletion grace period no longer uses compute resources).
pub(crate) fn usage(group: &str, plural: &str, object: &Value, now: Timestamp) -> ResourceList {
    let mut used = match evaluator(group, plural) {
        Evaluator::Pods => pod::usage(object, now),
        Evaluator::Services => objects::service_usage(object),
        Evaluator::Claims => objects::claim_usage(object),
        Evaluator::Objects => {
            let mut used = ResourceList::new();
            if group.is_empty() && LEGACY_COUNTS.contains(&plural) {
                used.insert(plural.to_string(), GoQuantity::units(1));
            }
            used
        }
    };
    used.insert(object_count_name(group, plural), GoQuantity::units(1));
    used
}

/// One requirement of a quota's scopes: a scope in `spec.scopes` (operator Exists) or one of
/// `spec.scopeSelector.matchExpressions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScopeRequirement {
    pub scope: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A quota's scopes, from its spec (`getScopeSelectorsFromQuota`).
pub(crate) fn scopes(quota: &Value) -> Vec<ScopeRequirement> {
    let text = |value: &Value| value.as_str().unwrap_or("").to_string();
    let listed = quota
        .pointer("/spec/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|scope| ScopeRequirement {
            scope: text(scope),
            operator: "Exists".into(),
            values: Vec::new(),
        });
    let selected = quota
        .pointer("/spec/scopeSelector/matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|expression| ScopeRequirement {
            scope: text(&expression["scopeName"]),
            operator: text(&expression["operator"]),
            values: expression["values"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect(),
        });
    listed.chain(selected).collect()
}

/// Whether an object falls under every scope (`MatchingScopes`): only pods are scoped, so a
/// scoped quota counts nothing else.
pub(crate) fn matches_scopes(
    group: &str,
    plural: &str,
    object: &Value,
    scopes: &[ScopeRequirement],
) -> bool {
    if scopes.is_empty() {
        return true;
    }
    evaluator(group, plural) == Evaluator::Pods
        && scopes.iter().all(|scope| pod::matches_scope(object, scope))
}

/// A quota's `status.used` for its `hard` resources, from every object in its namespace that
/// each tracked resource counts (`CalculateUsage`): zero where nothing is counted, resources no
/// evaluator tracks left out. `objects` lists a resource's objects in the namespace, `None` when
/// the resource is not served.
pub(crate) fn used(
    hard: &ResourceList,
    scopes: &[ScopeRequirement],
    now: Timestamp,
    mut objects: impl FnMut(&str, &str) -> Option<Vec<std::sync::Arc<Value>>>,
) -> ResourceList {
    let mut by_resource: BTreeMap<(String, String), Vec<&String>> = BTreeMap::new();
    for name in hard.keys() {
        if let Some(resource) = counted_resource(name) {
            by_resource.entry(resource).or_default().push(name);
        }
    }
    let mut used = ResourceList::new();
    for ((group, plural), names) in by_resource {
        let Some(listed) = objects(&group, &plural) else {
            continue;
        };
        let mut sum: ResourceList = names
            .iter()
            .map(|name| ((*name).clone(), GoQuantity::default()))
            .collect();
        for object in listed
            .iter()
            .filter(|o| matches_scopes(&group, &plural, o, scopes))
        {
            sum = add(&sum, &usage(&group, &plural, object, now));
        }
        used.extend(mask(&sum, names));
    }
    used
}
