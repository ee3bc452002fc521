//! The Eviction API (`pods/{name}/eviction`, policy/v1): a deletion that honours
//! PodDisruptionBudgets, answering 429 when a budget would be violated.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::deletion::delete;
use super::fields;
use super::list::Filter;
use super::query::Query;
use super::resource::find_built_in;
use super::route::ResourceRoute;
use super::state::{Sim, time_text};
use super::write::{current, namespace_of, read_body};
use crate::model::selector::{LabelSelector, LabelSelectorSpec};
use crate::sim::pointer::Pointer;

/// POST pods/{name}/eviction.
pub fn evict(
    sim: &Sim,
    target: &ResourceRoute,
    name: &str,
    query: &Query,
    content_type: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let eviction = read_body(content_type, body)?;
    let body_name = eviction
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !body_name.is_empty() && body_name != name {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let namespace = namespace_of(target).to_string();
    let pod = current(sim, target, name)?;
    let delete_options = eviction.get("deleteOptions").cloned().unwrap_or(json!({}));
    let dry_run = query.dry_run
        || delete_options["dryRun"]
            .as_array()
            .is_some_and(|d| d.iter().any(|v| v == "All"));
    let phase = pod
        .at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Pods that are not running, or already going, need no budget.
    let ignore_budget = matches!(phase, "Succeeded" | "Failed" | "Pending")
        || pod.at("/metadata/deletionTimestamp").is_some();
    if !ignore_budget {
        let budgets =
            find_built_in("policy", "v1", "poddisruptionbudgets").expect("PDBs are served");
        let labels = pod
            .at("/metadata/labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let labels: std::collections::BTreeMap<String, String> = labels
            .into_iter()
            .map(|(k, v)| (k, v.as_str().unwrap_or("").to_string()))
            .collect();
        let everything = Filter::new(budgets, &Query::default())?;
        let (all, _, _) = sim.store.list(
            budgets,
            Some(&namespace),
            None,
            |b| everything.matches(b),
            0,
        );
        let matching: Vec<_> = all
            .into_iter()
            .filter(|budget| {
                let spec: Option<LabelSelectorSpec> = budget
                    .at("/spec/selector")
                    .and_then(|s| serde_json::from_value(s.clone()).ok());
                // A budget with no selector selects nothing; an empty one selects everything.
                spec.and_then(|spec| LabelSelector::from_spec(&spec).ok())
                    .is_some_and(|selector| selector.matches(&labels))
            })
            .collect();
        if matching.len() > 1 {
            return Err(ApiError::internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
        if let Some(budget) = matching.first() {
            let budget_name = budget
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let allowed = budget
                .at("/status/disruptionsAllowed")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if allowed <= 0 {
                return Err(ApiError::disruption_budget(
                    &budget_name,
                    budget
                        .at("/status/desiredHealthy")
                        .and_then(Value::as_i64)
                        .unwrap_or(0),
                    budget
                        .at("/status/currentHealthy")
                        .and_then(Value::as_i64)
                        .unwrap_or(0),
                ));
            }
            if !dry_run {
                let now = time_text(sim.now());
                let _ = sim
                    .store
                    .modify(budgets, &namespace, &budget_name, |budget| {
                        let Some(status) = fields::object_at(budget, &["status"]) else {
                            return false;
                        };
                        status.insert(
                            "disruptionsAllowed".into(),
                            json!(allowed.saturating_sub(1)),
                        );
                        let disrupted = status.entry("disruptedPods").or_insert(json!({}));
                        if !disrupted.is_object() {
                            *disrupted = json!({});
                        }
                        fields::set(disrupted, &[name], json!(now))
                    });
            }
        }
    }
    if !dry_run {
        let mut delete_query = query.clone();
        delete_query.dry_run = false;
        let options_body = delete_options.to_string();
        delete(
            sim,
            target,
            name,
            &delete_query,
            "application/json",
            options_body.as_bytes(),
        )?;
    }
    let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201});
    Ok((
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        status.to_string(),
    )
        .into_response())
}
