//! StatefulSets (READY, the ordered start and the rolling update by revision) and DaemonSets
//! (DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE: one pod per eligible node).

use super::*;

/// The ordinal of a StatefulSet's pod (`web-3` → 3).
fn ordinal(set: &str, pod: &str) -> Option<i64> {
    pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()
}

/// Explains a StatefulSet.
pub fn explain_stateful_set(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed("StatefulSet", object, now, &["Ready"]);
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let desired = int(object, "/spec/replicas").unwrap_or(1);
    let ready = int(object, "/status/readyReplicas").unwrap_or(0);
    let current = int(object, "/status/replicas").unwrap_or(0);
    let updated = int(object, "/status/updatedReplicas").unwrap_or(0);
    steps.push(Step::new(
        "spec.replicas",
        desired.to_string(),
        "the pods wanted, named NAME-0 … NAME-(n-1) (1 when unset)",
    ));
    steps.push(Step::new(
        "status.readyReplicas",
        ready.to_string(),
        "its pods whose Ready condition is True",
    ));
    steps.push(Step::new(
        "READY",
        value_of(&columns, "READY"),
        "status.readyReplicas / spec.replicas",
    ));
    let ordered = text(object, "/spec/podManagementPolicy") != "Parallel";
    steps.push(Step::new(
        "spec.podManagementPolicy",
        if ordered { "OrderedReady" } else { "Parallel" },
        if ordered {
            "pods start one at a time in ordinal order, each only once the one before is Running and Ready"
        } else {
            "pods start and stop all at once"
        },
    ));
    let update_strategy = match text(object, "/spec/updateStrategy/type") {
        "" => "RollingUpdate",
        other => other,
    };
    let partition = int(object, "/spec/updateStrategy/rollingUpdate/partition").unwrap_or(0);
    let current_revision = text(object, "/status/currentRevision");
    let update_revision = text(object, "/status/updateRevision");
    steps.push(Step::new(
        "spec.updateStrategy",
        if partition > 0 {
            format!("{update_strategy}, partition {partition}")
        } else {
            update_strategy.to_string()
        },
        if update_strategy == "OnDelete" {
            "a template change reaches a pod only when the pod is deleted".to_string()
        } else if partition > 0 {
            format!("only pods with an ordinal of {partition} or more get a new template")
        } else {
            "pods are replaced from the highest ordinal down, each once the one before is ready"
                .to_string()
        },
    ));
    let rolling = !update_revision.is_empty() && current_revision != update_revision;
    if !update_revision.is_empty() {
        steps.push(Step::new(
            "status.updateRevision",
            format!("{update_revision} ({updated} of {desired} pods on it)"),
            if rolling {
                format!("a rolling update from {current_revision} is in progress")
            } else {
                "no update in progress: currentRevision is the same".to_string()
            },
        ));
    }
    generation_seen(object, &mut steps);
    condition_steps(&conditions(object), &mut steps);
    let (pods, mut members) = pods_of("StatefulSet", object, &meta, related, now);
    members.sort_by_key(|m| ordinal(&meta.name, &m.name).unwrap_or(i64::MAX));
    // With OrderedReady, the lowest pod that is missing or not ready holds back every later one.
    let present: Vec<i64> = pods
        .iter()
        .filter_map(|p| ordinal(&meta.name, &p.metadata.name))
        .collect();
    let missing = (0..desired).find(|n| !present.contains(n));
    let blocking = members
        .first()
        .and_then(|m| ordinal(&meta.name, &m.name).map(|n| (n, m.clone())));
    let (status, health) = if ready >= desired && !rolling && current == desired {
        if desired == 0 {
            ("scaled to zero".to_string(), Health::Done)
        } else {
            ("all pods ready".to_string(), Health::Healthy)
        }
    } else if let Some((n, member)) = blocking.as_ref().filter(|_| ordered) {
        hints.push(format!(
            "{}-{n} is not ready ({}): with OrderedReady, pods after it wait for it. {}",
            meta.name, member.status, member.why
        ));
        (
            format!("waiting on {}-{n} ({})", meta.name, member.status),
            Health::Failing,
        )
    } else if rolling {
        (
            format!("rolling update: {updated} of {desired} pods updated"),
            Health::Progressing,
        )
    } else {
        (
            format!("{ready} of {desired} pods ready"),
            if members.is_empty() {
                Health::Progressing
            } else {
                Health::Failing
            },
        )
    };
    if let Some(n) = missing.filter(|_| current < desired) {
        let events = events_about(related, "StatefulSet", &meta);
        let failed = events.iter().rev().find(|e| e.reason == "FailedCreate");
        hints.push(match failed {
            Some(event) => format!(
                "{}-{n} does not exist: creating it fails: {}.",
                meta.name,
                event.message.trim_end_matches('.')
            ),
            None => format!(
                "{}-{n} does not exist yet{}.",
                meta.name,
                if ordered && n > 0 {
                    " (it is created once the pods before it are ready)"
                } else {
                    ""
                }
            ),
        });
    }
    // The pod holding the others back is named already; a summary would repeat it.
    if !status.starts_with("waiting on")
        && let Some(summary) = members_summary(&members)
    {
        hints.push(summary);
    }
    explained(meta, (status, health), columns, steps, hints, members)
}

/// Explains a DaemonSet.
pub fn explain_daemon_set(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed(
        "DaemonSet",
        object,
        now,
        &["Desired", "Current", "Ready", "Up-to-date", "Available"],
    );
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let desired = int(object, "/status/desiredNumberScheduled").unwrap_or(0);
    let current = int(object, "/status/currentNumberScheduled").unwrap_or(0);
    let ready = int(object, "/status/numberReady").unwrap_or(0);
    let updated = int(object, "/status/updatedNumberScheduled").unwrap_or(0);
    let available = int(object, "/status/numberAvailable").unwrap_or(0);
    let misscheduled = int(object, "/status/numberMisscheduled").unwrap_or(0);
    steps.push(Step::new(
        "DESIRED",
        desired.to_string(),
        "status.desiredNumberScheduled: the nodes that should run one of its pods (matching its nodeSelector and affinity, tolerating their taints)",
    ));
    steps.push(Step::new(
        "CURRENT",
        current.to_string(),
        "status.currentNumberScheduled: the nodes running one of its pods that should",
    ));
    steps.push(Step::new(
        "READY",
        ready.to_string(),
        "status.numberReady: nodes whose pod is Ready",
    ));
    steps.push(Step::new(
        "UP-TO-DATE",
        updated.to_string(),
        "status.updatedNumberScheduled: nodes running the current template",
    ));
    steps.push(Step::new(
        "AVAILABLE",
        available.to_string(),
        "status.numberAvailable: nodes whose pod has been ready for minReadySeconds",
    ));
    let node_selector = object
        .pointer("/spec/template/spec/nodeSelector")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    steps.push(Step::new(
        "spec.template.spec.nodeSelector",
        if node_selector.is_empty() {
            "<none>".to_string()
        } else {
            node_selector
        },
        "which nodes are eligible (with affinity and tolerations)",
    ));
    if misscheduled > 0 {
        steps.push(Step::new(
            "status.numberMisscheduled",
            misscheduled.to_string(),
            "nodes running one of its pods that should not (their labels or taints changed)",
        ));
    }
    let update_strategy = match text(object, "/spec/updateStrategy/type") {
        "" => "RollingUpdate",
        other => other,
    };
    if update_strategy == "OnDelete" {
        steps.push(Step::new(
            "spec.updateStrategy.type",
            "OnDelete",
            "a template change reaches a node's pod only when that pod is deleted",
        ));
    } else {
        let unavailable = resolve_percent(
            object.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable"),
            "1",
            desired,
            false,
        );
        steps.push(Step::new(
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
            unavailable.to_string(),
            "nodes whose pod may be down at once during an update (1 when unset)",
        ));
    }
    let (_, members) = pods_of("DaemonSet", object, &meta, related, now);
    if current < desired {
        let events = events_about(related, "DaemonSet", &meta);
        let failed = events.iter().rev().find(|e| e.reason == "FailedCreate");
        hints.push(format!(
            "{} should run a pod but do not{}",
            plural(desired - current, "node"),
            match failed {
                Some(event) => format!(": {}.", event.message.trim_end_matches('.')),
                None => ": the controller is creating them (a node just joined) or the pods cannot be created; the events say which.".to_string(),
            }
        ));
    }
    if misscheduled > 0 {
        hints.push(format!(
            "{} run a pod they should not: the controller removes those pods.",
            plural(misscheduled, "node")
        ));
    }
    if let Some(summary) = members_summary(&members) {
        hints.push(summary);
    }
    let (status, health) = if desired == 0 {
        (
            "no node is eligible: check the nodeSelector, affinity and the nodes' taints"
                .to_string(),
            Health::Failing,
        )
    } else if updated < desired && update_strategy != "OnDelete" {
        (
            format!("rolling update: {updated} of {desired} nodes updated"),
            Health::Progressing,
        )
    } else if available < desired {
        (
            format!("{available} of {desired} nodes have an available pod"),
            if members.is_empty() {
                Health::Progressing
            } else {
                Health::Failing
            },
        )
    } else {
        (
            format!("running on all {}", plural(desired, "eligible node")),
            Health::Healthy,
        )
    };
    explained(meta, (status, health), columns, steps, hints, members)
}
