//! The Deployment controller: one ReplicaSet per pod template (named by its hash), the new one
//! scaled up and the old ones down as new pods become ready, revisions, and status.

use std::sync::Arc;

use serde_json::{Value, json};

use super::owned::{
    name, owned_by, owner_reference, replicas, resource, template_hash, uid, write_status,
};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::fields;
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};
use crate::sim::write::create_object;

fn revision(object: &Value) -> i64 {
    object
        .at("/metadata/annotations/deployment.kubernetes.io~1revision")
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn status_number(object: &Value, field: &str) -> i64 {
    object
        .at(&format!("/status/{field}"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// Reconciles one Deployment.
pub fn reconcile(sim: &Sim, namespace: &str, deployment_name: &str) {
    let deployments = resource("apps", "deployments");
    let replica_sets = resource("apps", "replicasets");
    let Some(deployment) = sim.store.get(deployments, namespace, deployment_name) else {
        return;
    };
    if deployment.at("/metadata/deletionTimestamp").is_some() {
        return;
    }
    let want = replicas(&deployment);
    let template = deployment
        .at("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let hash = template_hash(&template);
    let owned = owned_by(sim, replica_sets, namespace, uid(&deployment));
    let max_revision = owned.iter().map(|rs| revision(rs)).max().unwrap_or(0);
    // The ReplicaSet whose template is the Deployment's, its hash label aside (the controller's
    // EqualIgnoreHash): after a rollback the old one is found and used again.
    let current = owned
        .iter()
        .find(|rs| {
            rs.at("/spec/template")
                .is_some_and(|t| equal_ignoring_hash(t, &template))
        })
        .or_else(|| {
            owned.iter().find(|rs| {
                rs.at("/metadata/labels/pod-template-hash")
                    .and_then(Value::as_str)
                    == Some(hash.as_str())
            })
        })
        .cloned();
    let new_rs = match current {
        Some(rs) => {
            let max_old = owned
                .iter()
                .filter(|other| uid(other) != uid(&rs))
                .map(|other| revision(other))
                .max()
                .unwrap_or(0);
            bump_revision(sim, namespace, &rs, max_old + 1).unwrap_or(rs)
        }
        None => {
            let mut template = template.clone();
            let mut selector = deployment
                .at("/spec/selector")
                .cloned()
                .unwrap_or(json!({}));
            // A template or selector that is not made of objects cannot be labelled: the
            // Deployment waits until it is fixed, as the real controller cannot decode it.
            let labelled = fields::set(
                &mut template,
                &["metadata", "labels", "pod-template-hash"],
                json!(hash),
            ) && fields::set(
                &mut selector,
                &["matchLabels", "pod-template-hash"],
                json!(hash),
            );
            if !labelled {
                tracing::warn!(
                    "deployment {namespace}/{deployment_name}: its template or selector is not an object; skipped"
                );
                return;
            }
            let labels = template["metadata"]["labels"].clone();
            let rs_name = format!("{deployment_name}-{hash}");
            let rs = json!({
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {
                    "name": rs_name,
                    "namespace": namespace,
                    "labels": labels,
                    "annotations": {
                        "deployment.kubernetes.io/revision": (max_revision + 1).to_string(),
                        "deployment.kubernetes.io/desired-replicas": want.to_string(),
                        "deployment.kubernetes.io/max-replicas": (want + (want + 3) / 4).to_string(),
                    },
                    "ownerReferences": [owner_reference(&deployment)],
                },
                "spec": {"replicas": 0, "selector": selector, "template": template},
            });
            match create_object(sim, replica_sets, Some(namespace), rs) {
                Ok(rs) => rs,
                Err(_) => return,
            }
        }
    };
    let new_name = name(&new_rs).to_string();
    // Rolling update: the new ReplicaSet grows within maxSurge, the old ones shrink as far as
    // maxUnavailable allows; Recreate empties the old ones before the new one starts.
    let old: Vec<_> = owned
        .iter()
        .filter(|rs| name(rs) != new_name)
        .cloned()
        .collect();
    let recreate = deployment.at("/spec/strategy/type").and_then(Value::as_str) == Some("Recreate");
    let (max_surge, max_unavailable) = surge_and_unavailable(&deployment, want);
    let old_spec: i64 = old.iter().map(|rs| replicas(rs)).sum();
    let old_running: i64 = old.iter().map(|rs| status_number(rs, "replicas")).sum();
    let current_new = replicas(&new_rs);
    let new_target = if current_new >= want || old_spec == 0 {
        want
    } else if recreate {
        if old_running == 0 { want } else { 0 }
    } else {
        (current_new + (want + max_surge - old_spec - current_new).max(0)).min(want)
    };
    scale(
        sim,
        &deployment,
        namespace,
        &new_name,
        current_new,
        new_target,
    );
    let new_ready = status_number(&new_rs, "readyReplicas");
    let new_unavailable = (new_target - new_ready).max(0);
    let mut can_scale_down = if recreate {
        old_spec
    } else {
        (old_spec + new_target - (want - max_unavailable) - new_unavailable).max(0)
    };
    let mut old_total = 0;
    let mut old_idle = Vec::new();
    let mut oldest_first = old.clone();
    oldest_first.sort_by_key(|rs| revision(rs));
    for rs in &oldest_first {
        let old_name = name(rs).to_string();
        let down = replicas(rs).min(can_scale_down);
        can_scale_down -= down;
        let target = replicas(rs) - down;
        scale(sim, &deployment, namespace, &old_name, replicas(rs), target);
        old_total += status_number(rs, "replicas");
        if target == 0 && status_number(rs, "replicas") == 0 {
            old_idle.push((revision(rs), old_name));
        }
    }
    // Keep revisionHistoryLimit old ReplicaSets.
    let limit = deployment
        .at("/spec/revisionHistoryLimit")
        .and_then(Value::as_i64)
        .unwrap_or(10)
        .max(0) as usize;
    if old_idle.len() > limit {
        old_idle.sort();
        for (_, old_name) in old_idle.iter().take(old_idle.len() - limit) {
            let _ = delete_default(sim, replica_sets, namespace, old_name, None);
        }
    }
    let updated = status_number(&new_rs, "replicas");
    let ready: i64 = owned
        .iter()
        .map(|rs| status_number(rs, "readyReplicas"))
        .sum();
    let total = updated + old_total;
    let now = time_text(sim.now());
    let available = ready;
    let complete = updated == want && new_ready == want && old_total == 0;
    let old_conditions = deployment
        .at("/status/conditions")
        .cloned()
        .unwrap_or(json!([]));
    let condition = |type_: &str, ok: bool, reason: &str, message: String| {
        let status = if ok { "True" } else { "False" };
        let since = old_conditions
            .as_array()
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c["type"] == type_ && c["status"] == status)
            })
            .map(|c| c["lastTransitionTime"].clone())
            .unwrap_or(json!(now));
        json!({"type": type_, "status": status, "reason": reason, "message": message, "lastUpdateTime": since, "lastTransitionTime": since})
    };
    let mut status = json!({
        "observedGeneration": deployment.at("/metadata/generation").cloned().unwrap_or(json!(1)),
        "replicas": total,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": available,
        "conditions": [
            if available >= want {
                condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.".into())
            } else {
                condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.".into())
            },
            if complete {
                condition("Progressing", true, "NewReplicaSetAvailable", format!("ReplicaSet \"{new_name}\" has successfully progressed."))
            } else {
                condition("Progressing", true, "ReplicaSetUpdated", format!("ReplicaSet \"{new_name}\" is progressing."))
            },
        ],
    });
    if total > available {
        status["unavailableReplicas"] = json!(total - available);
    }
    // A ReplicaSet's ReplicaFailure, the new one's first, is the Deployment's too.
    if let Some(failure) = std::iter::once(&new_rs)
        .chain(owned.iter())
        .filter_map(|rs| rs.at("/status/conditions")?.as_array())
        .flatten()
        .find(|c| c["type"] == "ReplicaFailure" && c["status"] == "True")
        && let Some(conditions) = status["conditions"].as_array_mut()
    {
        conditions.push(json!({
            "type": "ReplicaFailure", "status": "True",
            "lastUpdateTime": failure["lastTransitionTime"],
            "lastTransitionTime": failure["lastTransitionTime"],
            "reason": failure["reason"], "message": failure["message"],
        }));
    }
    write_status(sim, deployments, namespace, deployment_name, status);
    let new_revision = revision(&new_rs).max(1).to_string();
    let _ = sim
        .store
        .modify(deployments, namespace, deployment_name, |d| {
            if d.at("/metadata/annotations/deployment.kubernetes.io~1revision")
                .and_then(Value::as_str)
                == Some(new_revision.as_str())
            {
                return false;
            }
            let Some(metadata) = fields::object_at(d, &["metadata"]) else {
                return false;
            };
            let annotations = metadata.entry("annotations").or_insert(json!({}));
            if !annotations.is_object() {
                *annotations = json!({});
            }
            fields::set(
                annotations,
                &["deployment.kubernetes.io/revision"],
                json!(new_revision),
            )
        });
}

/// Whether two pod templates are the same but for the `pod-template-hash` label.
fn equal_ignoring_hash(a: &Value, b: &Value) -> bool {
    let without_hash = |t: &Value| {
        let mut t = t.clone();
        if let Some(labels) = t.at_mut("/metadata/labels").and_then(Value::as_object_mut) {
            labels.remove("pod-template-hash");
            if labels.is_empty() {
                t["metadata"].as_object_mut().map(|m| m.remove("labels"));
            }
        }
        t
    };
    without_hash(a) == without_hash(b)
}

/// Gives a ReplicaSet that becomes the Deployment's new one again (a rollback) the next
/// revision, keeping its old numbers in `deployment.kubernetes.io/revision-history`, as the
/// controller's SetNewReplicaSetAnnotations does. The ReplicaSet as written, if it changed.
fn bump_revision(sim: &Sim, namespace: &str, rs: &Value, next: i64) -> Option<Arc<Value>> {
    let old = revision(rs);
    if old >= next {
        return None;
    }
    let history_key = "deployment.kubernetes.io/revision-history";
    let history = rs
        .at("/metadata/annotations")
        .and_then(|a| a.get(history_key))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let had_revision = rs
        .at("/metadata/annotations/deployment.kubernetes.io~1revision")
        .is_some();
    let replica_sets = resource("apps", "replicasets");
    let mut changed = false;
    let _ = sim.store.modify(replica_sets, namespace, name(rs), |rs| {
        changed = fields::set(
            rs,
            &[
                "metadata",
                "annotations",
                "deployment.kubernetes.io/revision",
            ],
            json!(next.to_string()),
        );
        if changed && had_revision {
            let history = if history.is_empty() {
                old.to_string()
            } else {
                format!("{history},{old}")
            };
            fields::set(
                rs,
                &["metadata", "annotations", history_key],
                json!(history),
            );
        }
        changed
    });
    if !changed {
        return None;
    }
    sim.store.get(replica_sets, namespace, name(rs))
}

/// maxSurge (rounded up) and maxUnavailable (rounded down) for `want` replicas; both zero is
/// not allowed, so unavailability becomes 1.
fn surge_and_unavailable(deployment: &Value, want: i64) -> (i64, i64) {
    let resolve = |value: Option<&Value>, round_up: bool| -> i64 {
        match value.unwrap_or(&json!("25%")) {
            Value::Number(n) => n.as_i64().unwrap_or(0),
            Value::String(text) => match text.strip_suffix('%').and_then(|p| p.parse::<i64>().ok())
            {
                Some(percent) if round_up => (percent * want + 99) / 100,
                Some(percent) => percent * want / 100,
                None => text.parse().unwrap_or(0),
            },
            _ => 0,
        }
    };
    let rolling = deployment.at("/spec/strategy/rollingUpdate");
    let surge = resolve(rolling.and_then(|r| r.get("maxSurge")), true).max(0);
    let mut unavailable = resolve(rolling.and_then(|r| r.get("maxUnavailable")), false).max(0);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

/// Sets a ReplicaSet's replicas and records the deployment controller's event.
fn scale(sim: &Sim, deployment: &Value, namespace: &str, rs_name: &str, from: i64, to: i64) {
    if from == to {
        return;
    }
    let replica_sets = resource("apps", "replicasets");
    let _ = sim.store.modify(replica_sets, namespace, rs_name, |rs| {
        fields::set(rs, &["spec", "replicas"], json!(to))
            && fields::set(
                rs,
                &[
                    "metadata",
                    "annotations",
                    "deployment.kubernetes.io/desired-replicas",
                ],
                json!(replicas(deployment).to_string()),
            )
    });
    let verb = if to > from { "up" } else { "down" };
    record(
        sim,
        deployment,
        None,
        EventType::Normal,
        "ScalingReplicaSet",
        &format!("Scaled {verb} replica set {rs_name} from {from} to {to}"),
        controller("deployment-controller"),
    );
}
