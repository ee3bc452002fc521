//! Deployments (READY, UP-TO-DATE, AVAILABLE and the rollout, as `kubectl rollout status`
//! reads it) and ReplicaSets (DESIRED, CURRENT, READY).

use super::*;

const REVISION: &str = "deployment.kubernetes.io/revision";

/// Explains a Deployment: its numbers, the rollout, the ReplicaSets it owns and its pods.
pub fn explain_deployment(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed(
        "Deployment",
        object,
        now,
        &["Ready", "Up-to-date", "Available"],
    );
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let desired = int(object, "/spec/replicas").unwrap_or(1);
    let ready = int(object, "/status/readyReplicas").unwrap_or(0);
    let updated = int(object, "/status/updatedReplicas").unwrap_or(0);
    let available = int(object, "/status/availableReplicas").unwrap_or(0);
    let current = int(object, "/status/replicas").unwrap_or(0);
    let min_ready = int(object, "/spec/minReadySeconds").unwrap_or(0);
    steps.push(Step::new(
        "spec.replicas",
        desired.to_string(),
        "the pods wanted (1 when unset)",
    ));
    steps.push(Step::new(
        "status.readyReplicas",
        ready.to_string(),
        "the Deployment's pods whose Ready condition is True",
    ));
    steps.push(Step::new(
        "READY",
        value_of(&columns, "READY"),
        "status.readyReplicas / spec.replicas",
    ));
    steps.push(Step::new(
        "status.updatedReplicas",
        updated.to_string(),
        "pods made from the current pod template (the newest ReplicaSet)",
    ));
    steps.push(Step::new(
        "UP-TO-DATE",
        value_of(&columns, "UP-TO-DATE"),
        "status.updatedReplicas",
    ));
    steps.push(Step::new(
        "status.availableReplicas",
        available.to_string(),
        format!(
            "pods ready for at least minReadySeconds ({min_ready}s){}",
            if min_ready > 0 {
                ": a pod just turned ready is not yet available"
            } else {
                ""
            }
        ),
    ));
    steps.push(Step::new(
        "AVAILABLE",
        value_of(&columns, "AVAILABLE"),
        "status.availableReplicas",
    ));
    let seen = generation_seen(object, &mut steps);
    let paused = flag(object, "/spec/paused");
    if paused {
        steps.push(Step::new(
            "spec.paused",
            "true",
            "the controller does not roll out template changes while paused",
        ));
        hints.push(format!(
            "The rollout is paused: `kubectl rollout resume deployment/{} -n {}` lets it go on.",
            meta.name, meta.namespace
        ));
    }
    // The strategy: how far a rollout may go below and above the desired count.
    let strategy = text(object, "/spec/strategy/type");
    if strategy == "Recreate" {
        steps.push(Step::new(
            "spec.strategy.type",
            "Recreate",
            "every old pod is stopped before any new one starts: the Deployment is unavailable during a rollout",
        ));
    } else {
        let surge = resolve_percent(
            object.pointer("/spec/strategy/rollingUpdate/maxSurge"),
            "25%",
            desired,
            true,
        );
        let mut unavailable = resolve_percent(
            object.pointer("/spec/strategy/rollingUpdate/maxUnavailable"),
            "25%",
            desired,
            false,
        );
        if surge == 0 && unavailable == 0 {
            unavailable = 1;
        }
        steps.push(Step::new(
            "spec.strategy.rollingUpdate",
            format!("maxSurge {surge}, maxUnavailable {unavailable}"),
            format!(
                "during a rollout at most {} pods exist and at least {} stay available (25% each when unset; surge rounds up, unavailable down)",
                desired + surge,
                (desired - unavailable).max(0)
            ),
        ));
    }
    let conditions = conditions(object);
    condition_steps(&conditions, &mut steps);
    // The ReplicaSets it owns: the newest revision is the current template.
    let mut sets = owned_by(related, &meta.uid);
    sets.sort_by_key(|rs| {
        std::cmp::Reverse(
            metadata(rs)
                .annotations
                .get(REVISION)
                .and_then(|r| r.parse::<i64>().ok())
                .unwrap_or(0),
        )
    });
    for (at, rs) in sets.iter().enumerate() {
        let rs_meta = metadata(rs);
        let revision = rs_meta
            .annotations
            .get(REVISION)
            .cloned()
            .unwrap_or_default();
        let replicas = int(rs, "/status/replicas").unwrap_or(0);
        let rs_ready = int(rs, "/status/readyReplicas").unwrap_or(0);
        let wanted = int(rs, "/spec/replicas").unwrap_or(0);
        if at > 0 && wanted == 0 && replicas == 0 {
            continue;
        }
        steps.push(Step::new(
            format!("ReplicaSet {}", rs_meta.name),
            format!(
                "revision {revision}, {} ({rs_ready} ready) of {wanted} wanted",
                plural(replicas, "pod")
            ),
            if at == 0 {
                "the newest revision: its pods are the up-to-date ones".to_string()
            } else {
                "an older revision: scaled down as the new one becomes available".to_string()
            },
        ));
    }
    let (_, members) = pods_of("Deployment", object, &meta, related, now);
    // What it is doing, as `kubectl rollout status` would say it.
    let progressing = condition(&conditions, "Progressing");
    let failure = condition(&conditions, "ReplicaFailure").filter(|c| c.status == "True");
    let stuck =
        progressing.is_some_and(|c| c.status == "False" && c.reason == "ProgressDeadlineExceeded");
    let (status, health) = if stuck {
        (
            "rollout stuck: ProgressDeadlineExceeded".to_string(),
            Health::Failing,
        )
    } else if let Some(failure) = failure {
        (
            format!("cannot create pods: {}", failure.reason),
            Health::Failing,
        )
    } else if !seen {
        (
            "waiting for the controller to see the new spec".to_string(),
            Health::Progressing,
        )
    } else if paused {
        ("rollout paused".to_string(), Health::Progressing)
    } else if updated < desired {
        (
            format!("rolling out: {updated} of {desired} new replicas updated"),
            Health::Progressing,
        )
    } else if current > updated {
        (
            format!(
                "rolling out: {} old replicas pending termination",
                current - updated
            ),
            Health::Progressing,
        )
    } else if available < updated {
        (
            format!("rolling out: {available} of {updated} updated replicas available"),
            if members.is_empty() {
                Health::Progressing
            } else {
                Health::Failing
            },
        )
    } else if desired == 0 {
        ("scaled to zero".to_string(), Health::Done)
    } else {
        (
            "rollout complete, all replicas available".to_string(),
            Health::Healthy,
        )
    };
    if stuck {
        let deadline = int(object, "/spec/progressDeadlineSeconds").unwrap_or(600);
        hints.push(format!(
            "The rollout has made no progress for progressDeadlineSeconds ({deadline}s): the new pods do not become available. Their reasons are above; fix the template (or `kubectl rollout undo deployment/{} -n {}` to go back to the previous revision).",
            meta.name, meta.namespace
        ));
    }
    if let Some(failure) = failure {
        hints.push(replica_failure_hint(failure));
    }
    if let Some(summary) = members_summary(&members) {
        hints.push(summary);
    } else if available < desired && !paused && seen && desired > 0 && failure.is_none() {
        hints.push(format!(
            "{} of {desired} wanted are available and no pod of it is failing: the controller is still creating or replacing pods (watch the ReplicaSets above and the events).",
            available
        ));
    }
    explained(meta, (status, health), columns, steps, hints, members)
}

/// Explains a ReplicaSet: DESIRED, CURRENT, READY and why pods are missing.
pub fn explain_replica_set(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed("ReplicaSet", object, now, &["Desired", "Current", "Ready"]);
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let desired = int(object, "/spec/replicas").unwrap_or(1);
    let current = int(object, "/status/replicas").unwrap_or(0);
    let ready = int(object, "/status/readyReplicas").unwrap_or(0);
    steps.push(Step::new(
        "DESIRED",
        desired.to_string(),
        "spec.replicas (1 when unset)",
    ));
    steps.push(Step::new(
        "CURRENT",
        current.to_string(),
        "status.replicas: the pods it has created that are not being deleted",
    ));
    steps.push(Step::new(
        "READY",
        ready.to_string(),
        "status.readyReplicas: its pods whose Ready condition is True",
    ));
    if let Some(owner) = meta.controller() {
        steps.push(Step::new(
            "metadata.ownerReferences",
            format!("{} {}", owner.kind, owner.name),
            "its replicas are set by its owner: scale the owner, not the ReplicaSet",
        ));
    }
    let conditions = conditions(object);
    condition_steps(&conditions, &mut steps);
    let failure = condition(&conditions, "ReplicaFailure").filter(|c| c.status == "True");
    let (_, members) = pods_of("ReplicaSet", object, &meta, related, now);
    let (status, health) = if let Some(failure) = failure {
        (
            format!("cannot create pods: {}", failure.reason),
            Health::Failing,
        )
    } else if current < desired {
        (
            format!("creating pods: {current} of {desired}"),
            Health::Progressing,
        )
    } else if ready < desired {
        (
            format!("{ready} of {desired} pods ready"),
            if members.is_empty() {
                Health::Progressing
            } else {
                Health::Failing
            },
        )
    } else if desired == 0 {
        ("scaled to zero".to_string(), Health::Done)
    } else {
        ("all pods ready".to_string(), Health::Healthy)
    };
    if let Some(failure) = failure {
        hints.push(replica_failure_hint(failure));
    } else if current < desired {
        let events = events_about(related, "ReplicaSet", &meta);
        if let Some(event) = events.iter().rev().find(|e| e.reason == "FailedCreate") {
            hints.push(format!(
                "Creating pods fails: {}.",
                event.message.trim_end_matches('.')
            ));
        }
    }
    if let Some(summary) = members_summary(&members) {
        hints.push(summary);
    }
    explained(meta, (status, health), columns, steps, hints, members)
}

/// What a ReplicaFailure condition says, and what to do about it (a quota, a policy, a
/// missing service account).
pub(super) fn replica_failure_hint(failure: &Condition) -> String {
    let message = failure.message.trim_end_matches('.');
    let advice = if message.contains("exceeded quota") {
        " A ResourceQuota refuses the pods: lower their requests or limits, or raise the quota (`kubectl describe resourcequota -n NAMESPACE`)."
    } else if message.contains("forbidden") || message.contains("denied") {
        " Admission refuses the pods (a policy or webhook): the message names the rule."
    } else if message.contains("serviceaccount") {
        " The service account the template names does not exist yet."
    } else {
        ""
    };
    format!(
        "The controller cannot create pods ({}): {message}.{advice}",
        failure.reason
    )
}
