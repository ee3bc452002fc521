//! The explainer for workloads and Services: why a Deployment, StatefulSet, DaemonSet,
//! ReplicaSet, Job or CronJob shows its printed numbers (READY, UP-TO-DATE, AVAILABLE,
//! COMPLETIONS, ACTIVE, LAST SCHEDULE), and which pods a Service reaches. Each number is traced to
//! the fields it comes from, the conditions and strategy are read as the controllers read them,
//! and the pods (or Jobs) that keep the numbers short are listed with their own one-line reason.
//! Pure: the objects come as JSON (as the watches and `kscope explain` hold them), the clock is
//! passed in.

mod deployment;
mod jobs;
mod service;
mod sets;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::event::Event;
use super::health::Health;
use super::meta::ObjectMeta;
use super::pod::Pod;
use super::selector::{LabelSelector, LabelSelectorSpec};
use super::trace::Step;

pub use deployment::{explain_deployment, explain_replica_set};
pub use jobs::{explain_cron_job, explain_job};
pub use service::explain_service;
pub use sets::{explain_daemon_set, explain_stateful_set};

/// Why a workload (or a Service) shows its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadExplanation {
    pub name: String,
    pub namespace: String,
    /// How healthy it reads, for colour.
    #[serde(skip)]
    pub health: Health,
    /// What it is doing, in a few words (`rollout stuck: ProgressDeadlineExceeded`).
    pub status: String,
    /// The columns explained, as kubectl prints them.
    pub columns: Vec<Column>,
    pub steps: Vec<Step>,
    pub hints: Vec<String>,
    /// The pods (or Jobs) behind a short number, each with its own reason.
    pub members: Vec<Member>,
}

/// One printed column and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    pub value: String,
}

/// A pod or Job that keeps a number short, and why in one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub status: String,
    pub why: String,
}

/// What a workload is explained with: the pods, the objects it may own (ReplicaSets of a
/// Deployment, Jobs of a CronJob) and the events, from anywhere; each explainer picks its own
/// (same namespace, its selector, its owner references).
#[derive(Debug, Clone, Copy, Default)]
pub struct Related<'a> {
    pub pods: &'a [&'a Pod],
    pub owned: &'a [&'a Value],
    pub events: &'a [&'a Event],
}

/// The label selector that picks a workload's (or Service's) pods, from its JSON: `spec.selector`
/// as a LabelSelector, or a Service's plain map. `None` when it has none (a Service without a
/// selector) or it does not parse.
pub fn pod_selector(kind: &str, object: &Value) -> Option<LabelSelector> {
    let selector = object.pointer("/spec/selector")?;
    if kind == "Service" {
        let labels: std::collections::BTreeMap<String, String> =
            serde_json::from_value(selector.clone()).ok()?;
        if labels.is_empty() {
            return None;
        }
        return LabelSelector::from_set(&labels).ok();
    }
    let spec: LabelSelectorSpec = serde_json::from_value(selector.clone()).ok()?;
    LabelSelector::from_spec(&spec).ok()
}

fn metadata(object: &Value) -> ObjectMeta {
    object
        .get("metadata")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default()
}

fn int(object: &Value, pointer: &str) -> Option<i64> {
    object.pointer(pointer).and_then(Value::as_i64)
}

/// The string at `pointer`, or "" when there is none.
pub(crate) fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn flag(object: &Value, pointer: &str) -> bool {
    object
        .pointer(pointer)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// A condition of `status.conditions`, as read from JSON.
#[derive(Debug, Clone, Default)]
struct Condition {
    type_: String,
    status: String,
    reason: String,
    message: String,
}

fn conditions(object: &Value) -> Vec<Condition> {
    object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .map(|c| Condition {
                    type_: text(c, "/type").to_string(),
                    status: text(c, "/status").to_string(),
                    reason: text(c, "/reason").to_string(),
                    message: text(c, "/message").to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn condition<'a>(all: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    all.iter().find(|c| c.type_ == type_)
}

/// A step for each condition, as the controller set it.
fn condition_steps(all: &[Condition], steps: &mut Vec<Step>) {
    for c in all {
        let mut value = format!("{}={}", c.type_, c.status);
        if !c.reason.is_empty() {
            value.push_str(&format!(" ({})", c.reason));
        }
        steps.push(Step::new(
            "status.conditions",
            value,
            if c.message.is_empty() {
                "set by the controller".to_string()
            } else {
                c.message.clone()
            },
        ));
    }
}

/// The printed columns of `kind` that kubectl shows by default, with their cells.
fn printed(kind: &str, object: &Value, now: Timestamp, names: &[&str]) -> Vec<Column> {
    let columns = super::table::columns(kind).unwrap_or_default();
    let cells = super::table::cells(kind, object, now).unwrap_or_default();
    columns
        .iter()
        .zip(cells)
        .filter(|(c, _)| names.iter().any(|n| c.name.eq_ignore_ascii_case(n)))
        .map(|(c, v)| Column {
            name: c.name.to_uppercase(),
            value: match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            },
        })
        .collect()
}

/// A column's value among `columns`.
fn value_of(columns: &[Column], name: &str) -> String {
    columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.value.clone())
        .unwrap_or_default()
}

/// The pods of `namespace` that `selector` picks (none without a selector), in name order.
fn selected_pods<'a>(
    related: &Related<'a>,
    namespace: &str,
    selector: Option<&LabelSelector>,
) -> Vec<&'a Pod> {
    let Some(selector) = selector else {
        return Vec::new();
    };
    let mut pods: Vec<&Pod> = related
        .pods
        .iter()
        .copied()
        .filter(|p| p.metadata.namespace == namespace && selector.matches(&p.metadata.labels))
        .collect();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pods
}

/// The pods a workload's selector picks, and those of them holding its numbers back.
fn pods_of<'a>(
    kind: &str,
    object: &Value,
    meta: &ObjectMeta,
    related: &Related<'a>,
    now: Timestamp,
) -> (Vec<&'a Pod>, Vec<Member>) {
    let selector = pod_selector(kind, object);
    let pods = selected_pods(related, &meta.namespace, selector.as_ref());
    let members = pods
        .iter()
        .filter_map(|pod| pod_member(pod, related, now))
        .collect();
    (pods, members)
}

/// The explanation of the object `meta` names.
fn explained(
    meta: ObjectMeta,
    (status, health): (String, Health),
    columns: Vec<Column>,
    steps: Vec<Step>,
    hints: Vec<String>,
    members: Vec<Member>,
) -> WorkloadExplanation {
    WorkloadExplanation {
        name: meta.name,
        namespace: meta.namespace,
        health,
        status,
        columns,
        steps,
        hints,
        members,
    }
}

/// A step when the controller has not yet acted on the latest spec; whether it has.
fn generation_seen(object: &Value, steps: &mut Vec<Step>) -> bool {
    let generation = int(object, "/metadata/generation").unwrap_or(0);
    let observed = int(object, "/status/observedGeneration").unwrap_or(0);
    if observed < generation {
        steps.push(Step::new(
            "status.observedGeneration",
            format!("{observed} < metadata.generation {generation}"),
            "the controller has not yet acted on the latest spec: the numbers describe the one before",
        ));
    }
    observed >= generation
}

/// The objects among `related.owned` whose controller is `uid`.
fn owned_by<'a>(related: &Related<'a>, uid: &str) -> Vec<&'a Value> {
    related
        .owned
        .iter()
        .copied()
        .filter(|o| {
            !uid.is_empty()
                && metadata(o)
                    .owner_references
                    .iter()
                    .any(|r| r.uid == uid && r.controller.unwrap_or(false))
        })
        .collect()
}

/// The events about the object (kind, metadata), newest last.
fn events_about<'a>(related: &Related<'a>, kind: &str, meta: &ObjectMeta) -> Vec<&'a Event> {
    let mut events: Vec<&Event> = related
        .events
        .iter()
        .copied()
        .filter(|e| e.is_about(kind, meta))
        .collect();
    events.sort_by_key(|e| e.last_seen());
    events
}

/// A pod that is not running ready (or finished), with the first sentence of what its own
/// explanation says; `None` for a pod that is fine.
fn pod_member(pod: &Pod, related: &Related<'_>, now: Timestamp) -> Option<Member> {
    let events: Vec<&Event> = related
        .events
        .iter()
        .copied()
        .filter(|e| e.is_about("Pod", &pod.metadata))
        .collect();
    let explained = super::explanation::explain_pod(pod, &events, now);
    if matches!(explained.health, Health::Healthy | Health::Done) {
        return None;
    }
    let why = explained
        .hints
        .first()
        .map(|h| first_sentence(h))
        .unwrap_or_else(|| format!("{} ({} ready)", explained.status, explained.ready));
    Some(Member {
        kind: "Pod".to_string(),
        namespace: explained.namespace,
        name: explained.name,
        status: explained.status,
        why,
    })
}

/// The first sentence of a hint: what fits on one line of a list.
fn first_sentence(text: &str) -> String {
    let mut end = text.len();
    for (at, _) in text.match_indices(". ") {
        // Not a cut inside a quoted image or version ("v1.2. ").
        if at > 20 {
            end = at + 1;
            break;
        }
    }
    text[..end].to_string()
}

/// The one line that sums up the members that hold a number back: `2 pods hold it back
/// (CrashLoopBackOff 2)`.
fn members_summary(members: &[Member]) -> Option<String> {
    if members.is_empty() {
        return None;
    }
    let mut by_status: Vec<(String, usize)> = Vec::new();
    for m in members {
        match by_status.iter_mut().find(|(s, _)| *s == m.status) {
            Some((_, n)) => *n += 1,
            None => by_status.push((m.status.clone(), 1)),
        }
    }
    let kind = members[0].kind.to_lowercase();
    let (plural, verb) = if members.len() == 1 {
        ("", "holds")
    } else {
        ("s", "hold")
    };
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
    Some(format!(
        "{} {kind}{plural} {verb} it back ({}), each with its reason above: enter opens them, x on one explains it.",
        members.len(),
        statuses.join(", ")
    ))
}

/// An intOrString like maxSurge resolved against `replicas` as the controller resolves it
/// (a percentage rounded up for surge, down for unavailable).
fn resolve_percent(value: Option<&Value>, default: &str, replicas: i64, round_up: bool) -> i64 {
    let raw = match value {
        Some(Value::Number(n)) => return n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.clone(),
        _ => default.to_string(),
    };
    match raw.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
        Some(percent) => {
            let scaled = percent * replicas;
            if round_up {
                (scaled + 99) / 100
            } else {
                scaled / 100
            }
        }
        None => raw.parse().unwrap_or(0),
    }
}

fn plural(n: i64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests;
