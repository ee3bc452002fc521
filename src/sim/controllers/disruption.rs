//! The disruption controller: each PodDisruptionBudget's healthy and desired counts and how
//! many disruptions it allows right now.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::owned::{is_active, is_ready, pods, resource};
use crate::model::selector::{LabelSelector, LabelSelectorSpec};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};

fn labels(object: &Value) -> BTreeMap<String, String> {
    object
        .at("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// An int-or-percent against a total, rounding up as the controller does.
fn scaled(value: &Value, total: i64) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let percent: i64 = s.strip_suffix('%')?.parse().ok()?;
            Some((percent * total + 99) / 100)
        }
        _ => None,
    }
}

/// Reconciles the budgets of one namespace.
pub fn reconcile(sim: &Sim, namespace: &str) {
    let budgets = resource("policy", "poddisruptionbudgets");
    let (all, _, _) = sim.store.list(budgets, Some(namespace), None, |_| true, 0);
    if all.is_empty() {
        return;
    }
    let (namespace_pods, _, _) = sim.store.list(pods(), Some(namespace), None, |_| true, 0);
    let now = sim.now();
    for budget in all {
        let name = budget
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let selector = budget
            .at("/spec/selector")
            .and_then(|s| serde_json::from_value::<LabelSelectorSpec>(s.clone()).ok())
            .and_then(|spec| LabelSelector::from_spec(&spec).ok())
            .unwrap_or_else(LabelSelector::nothing);
        let matching: Vec<&Value> = namespace_pods
            .iter()
            .map(|p| p.as_ref())
            .filter(|p| is_active(p) && selector.matches(&labels(p)))
            .collect();
        let expected = matching.len() as i64;
        let healthy = matching.iter().filter(|p| is_ready(p)).count() as i64;
        let desired = match (
            budget.at("/spec/minAvailable"),
            budget.at("/spec/maxUnavailable"),
        ) {
            (Some(min), _) => scaled(min, expected).unwrap_or(0),
            (None, Some(max)) => expected - scaled(max, expected).unwrap_or(0),
            (None, None) => expected.min(1),
        }
        .max(0);
        // Evictions the budget already granted count until those pods are gone (or 2 minutes).
        let mut disrupted = budget
            .at("/status/disruptedPods")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        disrupted.retain(|pod, at| {
            let still_there = matching
                .iter()
                .any(|p| p.at("/metadata/name").and_then(Value::as_str) == Some(pod));
            let recent = at
                .as_str()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .is_some_and(|t| now.duration_since(t).as_secs() < 120);
            still_there && recent
        });
        let allowed = (healthy - disrupted.len() as i64 - desired).max(0);
        let old_conditions = budget
            .at("/status/conditions")
            .cloned()
            .unwrap_or(json!([]));
        let ok = allowed > 0;
        let since = old_conditions
            .as_array()
            .and_then(|cs| {
                cs.iter().find(|c| {
                    c["type"] == "DisruptionAllowed"
                        && c["status"] == if ok { "True" } else { "False" }
                })
            })
            .map(|c| c["lastTransitionTime"].clone())
            .unwrap_or(json!(time_text(now)));
        let mut status = json!({
            "observedGeneration": budget.at("/metadata/generation").cloned().unwrap_or(json!(1)),
            "disruptionsAllowed": allowed,
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "expectedPods": expected,
            "conditions": [{
                "type": "DisruptionAllowed",
                "status": if ok { "True" } else { "False" },
                "reason": if ok { "SufficientPods" } else { "InsufficientPods" },
                "message": "",
                "observedGeneration": budget.at("/metadata/generation").cloned().unwrap_or(json!(1)),
                "lastTransitionTime": since,
            }],
        });
        if !disrupted.is_empty() {
            status["disruptedPods"] = Value::Object(disrupted);
        }
        super::owned::write_status(sim, budgets, namespace, &name, status);
    }
}
