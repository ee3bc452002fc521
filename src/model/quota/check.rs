//! The ResourceQuota admission plugin's check (`CheckRequest` in
//! `plugin/pkg/admission/resourcequota/controller.go`): the quotas an object falls under, the
//! compute resources its containers must name, and whether what it uses fits in what each quota
//! has left by its `status.used`; what it is charged to each, or why it is refused.

use std::fmt;

use jiff::Timestamp;
use serde_json::Value;

use super::{
    ResourceList, ScopeRequirement, add, evaluator, mask, matches_scopes, pretty_print, read_list,
    scopes, tracks, usage,
};

/// A quota as admission reads it: its limits and usage as its status last recorded them.
#[derive(Debug, Clone)]
pub(crate) struct QuotaState {
    pub name: String,
    pub hard: ResourceList,
    pub used: ResourceList,
    pub scopes: Vec<ScopeRequirement>,
}

impl QuotaState {
    pub(crate) fn of(quota: &Value) -> Self {
        QuotaState {
            name: quota
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            hard: read_list(quota.pointer("/status/hard")),
            used: read_list(quota.pointer("/status/used")),
            scopes: scopes(quota),
        }
    }
}

/// Why admission refuses an object; printed as the API server's error after
/// `pods "web-x" is forbidden: `.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// The containers do not name what the quota limits.
    Failed { quota: String, reason: String },
    /// The quota has not been counted yet for what the object would use.
    StatusUnknown {
        quota: String,
        resources: Vec<String>,
    },
    /// The object would use a negative amount.
    Negative(Vec<String>),
    /// The object would take the quota over its limit.
    Exceeded {
        quota: String,
        requested: ResourceList,
        used: ResourceList,
        limited: ResourceList,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Failed { quota, reason } => write!(f, "failed quota: {quota}: {reason}"),
            Refusal::StatusUnknown { quota, resources } => write!(
                f,
                "status unknown for quota: {quota}, resources: {}",
                sorted(resources)
            ),
            Refusal::Negative(resources) => write!(
                f,
                "quota usage is negative for resource(s): {}",
                sorted(resources)
            ),
            Refusal::Exceeded {
                quota,
                requested,
                used,
                limited,
            } => write!(
                f,
                "exceeded quota: {quota}, requested: {}, used: {}, limited: {}",
                pretty_print(requested),
                pretty_print(used),
                pretty_print(limited)
            ),
        }
    }
}

/// `prettyPrintResourceNames`.
fn sorted(names: &[String]) -> String {
    let mut names = names.to_vec();
    names.sort();
    names.join(",")
}

/// What one quota is charged: its `status.used` once the object is stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Charge {
    /// The quota's place in the list checked.
    pub index: usize,
    pub used: ResourceList,
}

/// Checks an object of `group`/`plural` being created (`old` is `None`) or updated against the
/// namespace's quotas, in order; the charges to make, or the first refusal. An update is charged
/// what it adds over the stored object.
pub(crate) fn check(
    quotas: &[QuotaState],
    group: &str,
    plural: &str,
    object: &Value,
    old: Option<&Value>,
    now: Timestamp,
) -> Result<Vec<Charge>, Refusal> {
    let mut interesting = Vec::new();
    for (index, quota) in quotas.iter().enumerate() {
        // A quota the controller has not counted yet has no `status.hard`, and matches nothing.
        let tracked: Vec<&String> = quota
            .hard
            .keys()
            .filter(|name| tracks(group, plural, name))
            .collect();
        if tracked.is_empty() || !matches_scopes(group, plural, object, &quota.scopes) {
            continue;
        }
        if evaluator(group, plural) == super::Evaluator::Pods
            && let Err(reason) = super::pod::constraints(&tracked, object)
        {
            return Err(Refusal::Failed {
                quota: quota.name.clone(),
                reason,
            });
        }
        let unknown: Vec<String> = tracked
            .iter()
            .filter(|name| !quota.used.contains_key(**name))
            .map(|name| (*name).clone())
            .collect();
        if !unknown.is_empty() {
            return Err(Refusal::StatusUnknown {
                quota: quota.name.clone(),
                resources: tracked.iter().map(|name| (*name).clone()).collect(),
            });
        }
        interesting.push(index);
    }
    if interesting.is_empty() {
        return Ok(Vec::new());
    }
    let mut delta = usage(group, plural, object, now);
    let negative: Vec<String> = delta
        .iter()
        .filter(|(_, quantity)| quantity.is_negative())
        .map(|(name, _)| name.clone())
        .collect();
    if !negative.is_empty() {
        return Err(Refusal::Negative(negative));
    }
    if let Some(old) = old {
        // `SubtractWithNonNegativeResult`: only what the update adds.
        let before = usage(group, plural, old, now);
        for (name, quantity) in delta.iter_mut() {
            if let Some(previous) = before.get(name) {
                quantity.sub(*previous);
                if quantity.is_negative() {
                    *quantity = crate::model::go_quantity::GoQuantity::default();
                }
            }
        }
    }
    delta.retain(|_, quantity| !quantity.is_zero());
    if delta.is_empty() {
        return Ok(Vec::new());
    }
    let mut charges = Vec::new();
    for index in interesting {
        let quota = &quotas[index];
        let requested = mask(&delta, quota.hard.keys());
        let new_used = add(&quota.used, &requested);
        let exceeded: Vec<&String> = requested
            .keys()
            .filter(|name| {
                quota
                    .hard
                    .get(*name)
                    .is_some_and(|hard| new_used[*name].compare(*hard).is_gt())
            })
            .collect();
        if !exceeded.is_empty() {
            return Err(Refusal::Exceeded {
                quota: quota.name.clone(),
                requested: mask(&requested, exceeded.iter().copied()),
                used: mask(&quota.used, exceeded.iter().copied()),
                limited: mask(&quota.hard, exceeded.iter().copied()),
            });
        }
        charges.push(Charge {
            index,
            used: new_used,
        });
    }
    Ok(charges)
}
