//! The ReplicaSet controller, which is also the replication manager of ReplicationControllers
//! (as upstream's, one controller over either kind): keeps `spec.replicas` pods running,
//! replacing pods that fail or are deleted, and reports how many are ready and available. It
//! finds its pods by their controller reference, so a set's selector form (a LabelSelector, an
//! RC's plain label map) plays no part here. Pods are created in slow-start
//! batches (1, 2, 4...), stopping after a batch in which the API server refused one (a quota, a
//! LimitRange, a policy): each refusal is a `FailedCreate` event, the set carries the
//! `ReplicaFailure` condition until a round creates what it wants, and the caller tries again
//! later.

use serde_json::{Value, json};

use super::owned::{
    Creations, is_active, is_ready, name, namespace_terminating, owned_by, owned_pod_counts,
    pod_from_template, pods, record_failed_create, replicas, resource, uid, write_status,
};
use crate::sim::api_error::ApiError;
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pointer::Pointer;
use crate::sim::resource::ResourceType;
use crate::sim::state::{Sim, time_text};
use crate::sim::write::create_object;

/// The kinds this controller keeps replicas of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replicated {
    ReplicaSet,
    ReplicationController,
}

impl Replicated {
    /// The kind by its name, as owner references and the work queue spell it.
    pub fn from_kind(kind: &str) -> Option<Self> {
        match kind {
            "ReplicaSet" => Some(Self::ReplicaSet),
            "ReplicationController" => Some(Self::ReplicationController),
            _ => None,
        }
    }

    fn resource(self) -> &'static ResourceType {
        match self {
            Self::ReplicaSet => resource("apps", "replicasets"),
            Self::ReplicationController => resource("", "replicationcontrollers"),
        }
    }

    /// The event source each is recorded under in kube-controller-manager.
    fn component(self) -> &'static str {
        match self {
            Self::ReplicaSet => "replicaset-controller",
            Self::ReplicationController => "replication-controller",
        }
    }
}

/// Reconciles one ReplicaSet or ReplicationController.
pub fn reconcile(sim: &Sim, kind: Replicated, namespace: &str, rs_name: &str) -> Creations {
    let replica_sets = kind.resource();
    let Some(rs) = sim.store.get(replica_sets, namespace, rs_name) else {
        return Creations::Done;
    };
    if rs.at("/metadata/deletionTimestamp").is_some() {
        return Creations::Done;
    }
    let want = replicas(&rs) as usize;
    // Most rounds find the replicas wanted (a pod became ready or not): the counts say so
    // without reading the pods.
    let (active, ready) = owned_pod_counts(sim, namespace, uid(&rs));
    let (active, ready, refused) = if active == want {
        (active, ready, None)
    } else {
        scale(sim, kind, &rs, namespace, want)
    };
    let mut status = json!({
        "replicas": active,
        "fullyLabeledReplicas": active,
        "readyReplicas": ready,
        "availableReplicas": ready,
        "observedGeneration": rs.at("/metadata/generation").cloned().unwrap_or(json!(1)),
    });
    let conditions = failure_conditions(sim, &rs, refused.as_ref());
    if !conditions.is_empty() {
        status["conditions"] = json!(conditions);
    }
    write_status(sim, replica_sets, namespace, rs_name, status);
    if refused.is_some() {
        Creations::Refused
    } else {
        Creations::Done
    }
}

/// Creates or deletes pods towards `want` active ones. Returns how many are active and ready
/// then, and the first creation the API server refused.
fn scale(
    sim: &Sim,
    kind: Replicated,
    rs: &Value,
    namespace: &str,
    want: usize,
) -> (usize, usize, Option<ApiError>) {
    let component = kind.component();
    let rs_name = name(rs);
    let owned = owned_by(sim, pods(), namespace, uid(rs));
    let mut active: Vec<_> = owned.iter().filter(|p| is_active(p)).cloned().collect();
    let mut refused: Option<ApiError> = None;
    if active.len() < want {
        let mut missing = want - active.len();
        let mut batch = 1;
        while missing > 0 && refused.is_none() {
            for _ in 0..batch.min(missing) {
                let pod_name = format!("{rs_name}-{}", sim.with_rng(|r| r.suffix(5)));
                let pod = pod_from_template(rs, "/spec/template", &pod_name, &[]);
                match create_object(sim, pods(), Some(namespace), pod) {
                    Ok(created) => {
                        record(
                            sim,
                            rs,
                            None,
                            EventType::Normal,
                            "SuccessfulCreate",
                            &format!("Created pod: {pod_name}"),
                            controller(component),
                        );
                        active.push(created);
                    }
                    Err(error) => {
                        record_failed_create(sim, rs, &error, component);
                        if !namespace_terminating(&error) {
                            refused.get_or_insert(error);
                        }
                    }
                }
            }
            missing -= batch.min(missing);
            batch *= 2;
        }
    } else if active.len() > want {
        // Not-ready pods go first, then the newest.
        active.sort_by_cached_key(|p| {
            (
                is_ready(p),
                std::cmp::Reverse(
                    p.at("/metadata/creationTimestamp")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ),
            )
        });
        for pod in active.drain(..active.len() - want) {
            let pod_name = name(&pod).to_string();
            if delete_default(sim, pods(), namespace, &pod_name, None).is_ok() {
                record(
                    sim,
                    rs,
                    None,
                    EventType::Normal,
                    "SuccessfulDelete",
                    &format!("Deleted pod: {pod_name}"),
                    controller(component),
                );
            }
        }
    }
    let ready = active.iter().filter(|p| is_ready(p)).count();
    (active.len(), ready, refused)
}

/// The set's conditions after a round (`calculateStatus`): `ReplicaFailure` added when a
/// creation was refused and it has none (its message the API server's), kept as it is while
/// refusals go on, removed after a round without one.
fn failure_conditions(sim: &Sim, rs: &Value, refused: Option<&ApiError>) -> Vec<Value> {
    let mut conditions: Vec<Value> = rs
        .at("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let present = conditions.iter().any(|c| c["type"] == "ReplicaFailure");
    match refused {
        Some(error) if !present => conditions.push(json!({
            "type": "ReplicaFailure",
            "status": "True",
            "lastTransitionTime": time_text(sim.now()),
            "reason": "FailedCreate",
            "message": error.message,
        })),
        None => conditions.retain(|c| c["type"] != "ReplicaFailure"),
        Some(_) => {}
    }
    conditions
}
