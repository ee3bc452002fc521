//! Findings about the cluster's other objects: nodes (lost, not ready, under pressure, cordoned
//! for long) with the pods they take down, failed Jobs with their pods, workloads short of
//! replicas that no pod finding explains, CronJobs missing their schedules, Services without a
//! ready endpoint, namespaces stuck Terminating, and bursts of Warning events nothing else
//! explains.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::pods::owner_workload;
use super::{Affected, Builder, Severity, TriageInput, blank, earliest};
use crate::model::duration::human_duration;
use crate::model::event::Event;
use crate::model::explanation::explain_workload;
use crate::model::health::Health;
use crate::model::meta::ObjectMeta;
use crate::model::namespace_status::namespace_hints;
use crate::model::node_status::{node_hints, ready_condition};
use crate::model::pod::Pod;
use crate::model::workload_explain::{Related, pod_selector};

/// A node cordoned for less than this is taken as being worked on, not forgotten.
const CORDONED_LONG: SignedDuration = SignedDuration::from_secs(60 * 60);
/// A namespace Terminating for less than this is still deleting its content.
const TERMINATING_LONG: SignedDuration = SignedDuration::from_secs(5 * 60);
/// Warning events seen within this window count towards a burst.
const BURST_WINDOW: SignedDuration = SignedDuration::from_secs(10 * 60);
/// How many Warning events of one reason in one namespace make a burst.
const BURST_COUNT: i64 = 10;
/// The node conditions that are trouble when True.
const PRESSURES: [&str; 4] = [
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "NetworkUnavailable",
];

/// Lost and not-ready nodes (with every pod still on them), pressure, long cordons.
pub(super) fn nodes(input: &TriageInput<'_>, builder: &mut Builder) {
    let now = input.now;
    let mut down: HashMap<&str, String> = HashMap::new();
    for node in input.nodes {
        let meta = &node.metadata;
        let member = Affected::new("Node", "", &meta.name, &meta.uid);
        let ready = ready_condition(node).map(|(_, c)| c);
        let cause = match ready.map(|c| c.status.as_str()) {
            Some("True") => None,
            Some("False") => Some("node NotReady"),
            _ => Some("node unreachable"),
        };
        if let Some(cause) = cause {
            let id = format!("node/{}", meta.name);
            let finding = builder.entry(&id, || blank(Severity::Critical, cause.to_string()));
            finding.members.push(member.clone());
            finding.since = ready.and_then(|c| c.last_transition_time);
            finding.evidence.push(match ready {
                Some(c) => format!(
                    "node {}: Ready={} {}{}{}",
                    meta.name,
                    c.status,
                    c.reason,
                    if c.message.is_empty() { "" } else { ": " },
                    c.message.trim()
                ),
                None => format!("node {}: no Ready condition reported", meta.name),
            });
            finding.hints.extend(node_hints(node, now));
            down.insert(meta.name.as_str(), id);
        }
        for pressure in PRESSURES {
            let Some(condition) = node
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == pressure && c.status == "True")
            else {
                continue;
            };
            let id = format!("node-condition/{pressure}");
            let finding = builder.entry(&id, || blank(Severity::Warning, pressure.to_string()));
            finding.members.push(member.clone());
            finding.since = earliest(finding.since, condition.last_transition_time);
            finding.evidence.push(format!(
                "node {}: {pressure}=True {}: {}",
                meta.name,
                condition.reason,
                condition.message.trim()
            ));
            finding.hints.extend(node_hints(node, now));
        }
        if node.spec.unschedulable {
            let since = node
                .spec
                .taints
                .iter()
                .find(|t| t.key == "node.kubernetes.io/unschedulable")
                .and_then(|t| t.time_added);
            if since.is_some_and(|since| now.duration_since(since) < CORDONED_LONG) {
                continue;
            }
            let finding = builder.entry("cordoned", || {
                blank(Severity::Info, "cordoned (SchedulingDisabled)".to_string())
            });
            finding.members.push(member);
            finding.since = earliest(finding.since, since);
            finding.evidence.push(match since {
                Some(since) => format!(
                    "node {}: spec.unschedulable true for {}",
                    meta.name,
                    human_duration(now.duration_since(since))
                ),
                None => format!("node {}: spec.unschedulable true", meta.name),
            });
            finding.hints.push(format!(
                "New pods are not scheduled on a cordoned node. When its maintenance is done, `kubectl uncordon {}` (u in the nodes pane).",
                meta.name
            ));
        }
    }
    if down.is_empty() {
        return;
    }
    // Every pod still on a lost node is affected by it: its true state is not known.
    for pod in input.pods {
        let Some(id) = down.get(pod.spec.node_name.as_str()) else {
            continue;
        };
        if matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
            continue;
        }
        let meta = &pod.metadata;
        let workload = owner_workload(pod);
        let id = id.clone();
        if let Some(finding) = builder.get_mut(&id) {
            finding
                .members
                .push(Affected::new("Pod", &meta.namespace, &meta.name, &meta.uid));
            finding.pods += 1;
            if meta.deletion_timestamp.is_some() || !pod.status.reason.is_empty() {
                let evidence = format!(
                    "pod {}/{}: {}",
                    meta.namespace,
                    meta.name,
                    if pod.status.reason.is_empty() {
                        "Terminating, waiting for the node to confirm".to_string()
                    } else {
                        format!("{}: {}", pod.status.reason, pod.status.message.trim())
                    }
                );
                if finding.evidence.len() < 6 {
                    finding.evidence.push(evidence);
                }
            }
        }
        builder.place(&meta.namespace, &meta.name, workload.as_ref(), &id);
    }
}

/// Failed Jobs, each with its pods (their failures are the Job's, not findings of their own).
pub(super) fn failed_jobs(input: &TriageInput<'_>, builder: &mut Builder) {
    for (kind, object) in input.workloads {
        if *kind != "Job" {
            continue;
        }
        let conditions = conditions(object);
        let failed = ["Failed", "FailureTarget"].iter().find_map(|type_| {
            conditions
                .iter()
                .find(|c| c.0 == *type_ && c.1 == "True")
                .cloned()
        });
        let Some(failed) = failed else {
            continue;
        };
        let meta = metadata(object);
        let id = format!("job/{}/{}", meta.namespace, meta.name);
        let cause = if failed.2.is_empty() {
            "Job failed".to_string()
        } else {
            format!("Job failed: {}", failed.2)
        };
        let pods: Vec<&Pod> = input
            .pods
            .iter()
            .copied()
            .filter(|p| {
                p.metadata.namespace == meta.namespace
                    && p.metadata
                        .controller()
                        .is_some_and(|o| o.kind == "Job" && o.name == meta.name)
            })
            .collect();
        let job = Affected::new("Job", &meta.namespace, &meta.name, &meta.uid);
        let explained = explain_workload(
            "Job",
            object,
            &Related {
                pods: &pods,
                owned: &[],
                events: input.events,
            },
            input.now,
        );
        let finding = builder.entry(&id, || blank(Severity::Critical, cause));
        finding.members.push(job.clone());
        finding.scope.namespaces.push(meta.namespace.clone());
        finding.scope.workloads.push(job.clone());
        if let Some(owner) = meta.controller().filter(|o| o.kind == "CronJob") {
            finding.scope.workloads.push(Affected::new(
                "CronJob",
                &meta.namespace,
                &owner.name,
                &owner.uid,
            ));
        }
        finding.since = failed.3;
        finding.evidence.push(format!(
            "job {}: {}=True {}: {}",
            meta.name, failed.0, failed.2, failed.4
        ));
        if let Some((_, explained)) = explained.as_ref().and_then(|e| e.workload()) {
            for member in explained.members.iter().take(5) {
                finding.evidence.push(format!(
                    "pod {}: {}: {}",
                    member.name, member.status, member.why
                ));
            }
            finding.hints.extend(explained.hints.iter().cloned());
        }
        for pod in &pods {
            finding.members.push(Affected::new(
                "Pod",
                &pod.metadata.namespace,
                &pod.metadata.name,
                &pod.metadata.uid,
            ));
            finding.pods += 1;
        }
        for pod in pods {
            builder.place(&pod.metadata.namespace, &pod.metadata.name, Some(&job), &id);
        }
    }
}

/// Workloads short of ready replicas or stuck in a rollout: named on the findings of their
/// pods when there are some (the pods' cause is the root), a finding of their own otherwise;
/// CronJobs that miss their schedules.
pub(super) fn workloads(input: &TriageInput<'_>, builder: &mut Builder) {
    if input.workloads.is_empty() {
        return;
    }
    let owned: Vec<&Value> = input.workloads.iter().map(|(_, o)| *o).collect();
    let pods_by_namespace = pods_by_namespace(input.pods);
    for (kind, object) in input.workloads {
        let meta = metadata(object);
        if *kind == "ReplicaSet" && meta.controller().is_some() {
            continue;
        }
        let shortfall = match *kind {
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => shortfall(kind, object),
            "CronJob" => None,
            _ => continue,
        };
        let stuck = conditions(object)
            .into_iter()
            .find(|c| c.0 == "Progressing" && c.2 == "ProgressDeadlineExceeded");
        let refused = refused_creation(object);
        if shortfall.is_none() && stuck.is_none() && *kind != "CronJob" {
            continue;
        }
        let this = Affected::new(kind, &meta.namespace, &meta.name, &meta.uid);
        let covering = builder.covering(kind, &meta.namespace, &meta.name);
        if *kind != "CronJob" && !covering.is_empty() {
            // The pods' findings are the root cause: the workload is named there.
            for id in covering {
                if let Some(finding) = builder.get_mut(&id) {
                    finding.members.push(this.clone());
                    if let Some((ready, wanted)) = shortfall {
                        finding
                            .evidence
                            .push(format!("{}: {ready}/{wanted} ready", this.display()));
                    }
                    if let Some(stuck) = &stuck {
                        finding
                            .evidence
                            .push(format!("{}: {}", this.display(), stuck.4));
                    }
                }
            }
            continue;
        }
        let pods = pods_by_namespace
            .get(meta.namespace.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let Some(explained) = explain_workload(
            kind,
            object,
            &Related {
                pods,
                owned: &owned,
                events: input.events,
            },
            input.now,
        ) else {
            continue;
        };
        let Some((_, explained)) = explained.workload() else {
            continue;
        };
        if explained.health != Health::Failing {
            continue;
        }
        if *kind == "CronJob" && !explained.status.starts_with("missing schedules") {
            // Its failing Jobs are findings of their own, naming it.
            continue;
        }
        let (severity, pods_short, cause) = match (shortfall, &stuck) {
            (_, Some(_)) => (
                Severity::Critical,
                shortfall.map_or(0, |(r, w)| w - r),
                "rollout stuck: ProgressDeadlineExceeded".to_string(),
            ),
            (Some((ready, wanted)), None) => (
                if ready == 0 {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                wanted - ready,
                match &refused {
                    Some(why) => format!("cannot create pods: {why}"),
                    None => format!("replicas unavailable ({ready}/{wanted} ready)"),
                },
            ),
            (None, None) => (Severity::Warning, 0, explained.status.clone()),
        };
        let id = format!("workload/{}/{kind}/{}", meta.namespace, meta.name);
        let finding = builder.entry(&id, || blank(severity, cause));
        finding.members.push(this.clone());
        if refused.is_some() {
            // The ReplicaSets whose pods are refused, and their FailedCreate events, are this.
            for (_, rs) in input.workloads.iter().filter(|(k, _)| *k == "ReplicaSet") {
                let rs_meta = metadata(rs);
                if rs_meta.controller().is_some_and(|c| c.uid == meta.uid)
                    && refused_creation(rs).is_some()
                {
                    finding.members.push(Affected::new(
                        "ReplicaSet",
                        &rs_meta.namespace,
                        &rs_meta.name,
                        &rs_meta.uid,
                    ));
                }
            }
        }
        finding.scope.namespaces.push(meta.namespace.clone());
        finding.scope.workloads.push(this.clone());
        finding.pods = pods_short.max(0) as usize;
        finding.since = stuck.as_ref().and_then(|s| s.3).or_else(|| {
            refused.as_ref().and_then(|_| {
                conditions(object)
                    .into_iter()
                    .find(|c| c.0 == "ReplicaFailure")
                    .and_then(|c| c.3)
            })
        });
        finding
            .evidence
            .push(format!("{}: {}", this.display(), explained.status));
        for member in explained.members.iter().take(5) {
            finding.evidence.push(format!(
                "{} {}: {}: {}",
                member.kind.to_ascii_lowercase(),
                member.name,
                member.status,
                member.why
            ));
        }
        finding.hints.extend(explained.hints.iter().cloned());
    }
}

/// Why the API server refuses the pods a workload's controller creates, from its
/// `ReplicaFailure` condition: the refusal without the refused pod's generated name
/// (`exceeded quota: compute, requested: ...`), so that every retry reads the same.
fn refused_creation(object: &Value) -> Option<String> {
    let (_, _, _, _, message) = conditions(object)
        .into_iter()
        .find(|c| c.0 == "ReplicaFailure" && c.1 == "True")?;
    let why = message
        .split_once(" is forbidden: ")
        .map_or(message.as_str(), |(_, why)| why);
    Some(why.trim_end_matches('.').to_string())
}

/// (ready, wanted) when a workload has fewer ready replicas than it wants.
fn shortfall(kind: &str, object: &Value) -> Option<(i64, i64)> {
    let int = |pointer: &str| object.pointer(pointer).and_then(Value::as_i64);
    let (ready, wanted) = match kind {
        "DaemonSet" => (
            int("/status/numberReady").unwrap_or(0),
            int("/status/desiredNumberScheduled").unwrap_or(0),
        ),
        "Deployment" => (
            int("/status/availableReplicas").unwrap_or(0),
            int("/spec/replicas").unwrap_or(1),
        ),
        _ => (
            int("/status/readyReplicas").unwrap_or(0),
            int("/spec/replicas").unwrap_or(1),
        ),
    };
    (ready < wanted).then_some((ready, wanted))
}

/// Services with a selector whose pods are none of them ready: traffic to them fails.
pub(super) fn services(input: &TriageInput<'_>, builder: &mut Builder) {
    if !input.workloads.iter().any(|(kind, _)| *kind == "Service") {
        return;
    }
    let pods_by_namespace = pods_by_namespace(input.pods);
    for (kind, object) in input.workloads {
        if *kind != "Service"
            || object.pointer("/spec/type").and_then(Value::as_str) == Some("ExternalName")
        {
            continue;
        }
        let Some(selector) = pod_selector("Service", object) else {
            continue;
        };
        let meta = metadata(object);
        let in_namespace = pods_by_namespace
            .get(meta.namespace.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let selected: Vec<&Pod> = in_namespace
            .iter()
            .copied()
            .filter(|p| selector.matches(&p.metadata.labels))
            .collect();
        let ready_elsewhere = input
            .ready_pods
            .iter()
            .any(|(namespace, labels)| *namespace == meta.namespace && selector.matches(*labels));
        if ready_elsewhere || selected.iter().any(|p| is_ready(p)) {
            continue;
        }
        let id = format!("service-endpoints/{}/{}", meta.namespace, meta.name);
        let service = Affected::new("Service", &meta.namespace, &meta.name, &meta.uid);
        let finding = builder.entry(&id, || {
            blank(
                Severity::Critical,
                "Service without ready endpoints".to_string(),
            )
        });
        finding.members.push(service.clone());
        finding.scope.namespaces.push(meta.namespace.clone());
        finding.pods = selected.len();
        finding.evidence.push(if selected.is_empty() {
            format!(
                "service {}: selector {selector} matches no pods in {}",
                meta.name, meta.namespace
            )
        } else {
            format!(
                "service {}: selector {selector} matches {} pods, none of them Ready",
                meta.name,
                selected.len()
            )
        });
        // The causes its pods are down for, as found above.
        let mut causes: Vec<String> = Vec::new();
        let mut since = None;
        let mut workloads = Vec::new();
        for pod in &selected {
            if let Some(workload) = owner_workload(pod) {
                workloads.push(workload);
            }
            let place = builder.placed_in(&pod.metadata.namespace, &pod.metadata.name);
            if let Some(cause) = place.and_then(|id| builder.findings.get(*builder.by_id.get(id)?))
            {
                since = earliest(since, cause.since);
                if !causes.contains(&cause.cause) {
                    causes.push(cause.cause.clone());
                }
            }
        }
        let explained = explain_workload(
            "Service",
            object,
            &Related {
                pods: in_namespace,
                owned: &[],
                events: input.events,
            },
            input.now,
        );
        let finding = builder.get_mut(&id).expect("entered above");
        finding.scope.workloads.extend(workloads);
        finding.since = since;
        for cause in causes {
            finding.evidence.push(format!("its pods are down: {cause}"));
        }
        if let Some((_, explained)) = explained.as_ref().and_then(|e| e.workload()) {
            finding.hints.extend(explained.hints.iter().cloned());
        }
    }
}

/// `pods` by their namespace. foldhash: every pod of the cluster is hashed here.
fn pods_by_namespace<'a>(pods: &[&'a Pod]) -> HashMap<&'a str, Vec<&'a Pod>, RandomState> {
    let mut by_namespace: HashMap<&str, Vec<&Pod>, RandomState> = HashMap::default();
    for pod in pods {
        by_namespace
            .entry(pod.metadata.namespace.as_str())
            .or_default()
            .push(pod);
    }
    by_namespace
}

/// Ready and not being deleted: what the endpoints controller publishes as ready.
fn is_ready(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_none()
        && pod
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
}

/// Namespaces Terminating for longer than deleting their content takes.
pub(super) fn namespaces(input: &TriageInput<'_>, builder: &mut Builder) {
    for namespace in input.namespaces {
        if namespace.status.phase != "Terminating" {
            continue;
        }
        let meta = &namespace.metadata;
        let since = meta.deletion_timestamp;
        if since.is_some_and(|since| input.now.duration_since(since) < TERMINATING_LONG) {
            continue;
        }
        let id = format!("namespace/{}", meta.name);
        let finding = builder.entry(&id, || {
            blank(Severity::Warning, "namespace stuck Terminating".to_string())
        });
        finding
            .members
            .push(Affected::new("Namespace", "", &meta.name, &meta.uid));
        finding.scope.namespaces.push(meta.name.clone());
        finding.since = since;
        if !namespace.spec.finalizers.is_empty() {
            finding.evidence.push(format!(
                "namespace {}: spec.finalizers {}",
                meta.name,
                namespace.spec.finalizers.join(", ")
            ));
        }
        for condition in namespace
            .status
            .conditions
            .iter()
            .filter(|c| c.status == "True")
        {
            finding.evidence.push(format!(
                "namespace {}: {}=True {}: {}",
                meta.name,
                condition.type_,
                condition.reason,
                condition.message.trim()
            ));
        }
        finding.hints.extend(namespace_hints(namespace, input.now));
    }
}

/// Warning events of one reason in one namespace, many in the last minutes, about objects no
/// finding already holds.
pub(super) fn event_bursts(input: &TriageInput<'_>, builder: &mut Builder) {
    if input.events.is_empty() {
        return;
    }
    // foldhash: every member of every finding is hashed here.
    let held: HashSet<(&str, &str, &str), RandomState> = builder
        .findings
        .iter()
        .flat_map(|f| f.members.iter())
        .map(|m| (m.kind.as_str(), m.namespace.as_str(), m.name.as_str()))
        .collect();
    let mut bursts: HashMap<(&str, &str), Vec<&Event>> = HashMap::new();
    for event in input.events {
        if event.type_ != "Warning"
            || event
                .last_seen()
                .is_none_or(|seen| input.now.duration_since(seen) > BURST_WINDOW)
        {
            continue;
        }
        let object = &event.involved_object;
        let namespace = if object.kind == "Node" {
            ""
        } else {
            object.namespace.as_str()
        };
        if held.contains(&(object.kind.as_str(), namespace, object.name.as_str())) {
            continue;
        }
        bursts
            .entry((event.metadata.namespace.as_str(), event.reason.as_str()))
            .or_default()
            .push(event);
    }
    let mut bursts: Vec<_> = bursts.into_iter().collect();
    bursts.sort_by(|a, b| a.0.cmp(&b.0));
    for ((namespace, reason), events) in bursts {
        let total: i64 = events.iter().map(|e| e.count.unwrap_or(1).max(1)).sum();
        if total < BURST_COUNT {
            continue;
        }
        let id = format!("events/{namespace}/{reason}");
        let finding = builder.entry(&id, || {
            blank(
                Severity::Warning,
                format!("Warning events: {reason} ×{total}"),
            )
        });
        if !namespace.is_empty() {
            finding.scope.namespaces.push(namespace.to_string());
        }
        for event in &events {
            let object = &event.involved_object;
            finding.members.push(Affected::new(
                &object.kind,
                if object.kind == "Node" {
                    ""
                } else {
                    &object.namespace
                },
                &object.name,
                &object.uid,
            ));
            finding.since = earliest(
                finding.since,
                event
                    .first_timestamp
                    .or(event.event_time)
                    .or(event.last_seen()),
            );
        }
        if let Some(latest) = events.iter().max_by_key(|e| e.last_seen()) {
            finding.evidence.push(format!(
                "latest: {} {}/{}: {}",
                latest.reason,
                latest.involved_object.kind.to_ascii_lowercase(),
                latest.involved_object.name,
                latest.message.trim()
            ));
        }
        finding.hints.push(format!(
            "Read them in order: `kubectl get events{} --field-selector type=Warning,reason={reason} --sort-by=.lastTimestamp`.",
            if namespace.is_empty() {
                " -A".to_string()
            } else {
                format!(" -n {namespace}")
            }
        ));
    }
}

/// (type, status, reason, lastTransitionTime, message) of each of `status.conditions`.
fn conditions(object: &Value) -> Vec<(String, String, String, Option<Timestamp>, String)> {
    let text = |c: &Value, key: &str| c.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(|conditions| {
            conditions
                .iter()
                .map(|c| {
                    (
                        text(c, "type"),
                        text(c, "status"),
                        text(c, "reason"),
                        c.get("lastTransitionTime")
                            .and_then(Value::as_str)
                            .and_then(|t| t.parse().ok()),
                        text(c, "message"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn metadata(object: &Value) -> ObjectMeta {
    object
        .get("metadata")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default()
}
