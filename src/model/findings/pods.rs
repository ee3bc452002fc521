//! Pods by the cause that keeps them down: each failing pod read once (its printed columns, its
//! containers' states, its events) into a cause, and pods of one cause grouped: by workload for
//! what is the workload's own (a crash, a probe), across workloads for what they share (an image,
//! a missing ConfigMap or Secret).

use std::borrow::Cow;
use std::collections::HashMap;

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};

use super::{Affected, Builder, Severity, TriageInput, blank, earliest};
use crate::model::event::Event;
use crate::model::health::{Health, pod_health};
use crate::model::pod::{ContainerStatus, Pod, StateTerminated};
use crate::model::pod_hints::{PullFailure, latest_event, pull_failure};
use crate::model::pod_status::{PodColumns, pod_columns};
use crate::model::spread::map_in_parts;

/// A pod still coming up is not a finding until it has been so for this long.
const SETTLING: SignedDuration = SignedDuration::from_secs(2 * 60);
/// An init container running this long is taken as not finishing.
const INIT_STUCK: SignedDuration = SignedDuration::from_secs(5 * 60);
/// A container OOMKilled this recently is a finding even once it runs again.
const RECENT_OOM: SignedDuration = SignedDuration::from_secs(60 * 60);
/// The evidence lines kept per finding; the members list has them all.
const EVIDENCE_LINES: usize = 6;

/// Why one pod is down, and how it groups with others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PodCause {
    pub severity: Severity,
    /// The cause in a few words.
    pub cause: String,
    /// What pods share to be one finding.
    pub group: Group,
    /// The fact read from this pod.
    pub evidence: String,
    pub since: Option<Timestamp>,
}

/// What a cause is grouped by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Group {
    /// The pod's workload (or the pod itself when unmanaged).
    Workload,
    /// An image and how pulling it fails, wherever it is used.
    Image(String),
    /// A ConfigMap or Secret missing from a namespace, whoever reads it.
    Missing { kind: &'static str, name: String },
    /// Finalizers holding deleted pods.
    Finalizers(String),
}

/// What triage reads of one pod that may be down: who it is, its workload, and the cause that
/// keeps it down with the id of the finding it joins. A live view keeps these between refreshes
/// and reads a pod again only when it, or an event about it, changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodReading {
    pod: Affected,
    workload: Option<Affected>,
    /// `None` when the pod is healthy, done, or still within normal start-up.
    cause: Option<(String, PodCause)>,
}

impl PodReading {
    /// Whether the pod is down for a cause of its own.
    pub fn is_down(&self) -> bool {
        self.cause.is_some()
    }
}

/// Pod events by the pod's (namespace, name). foldhash: every pod read is looked up here.
pub type EventsByPod<'a> = HashMap<(&'a str, &'a str), Vec<&'a Event>, RandomState>;

/// The Pod events of `events` by the pod's (namespace, name).
pub fn events_by_pod<'a>(events: &[&'a Event]) -> EventsByPod<'a> {
    events_by_pod_among(events, |_| true)
}

/// The Pod events of `events` about the pods `wanted` keeps, by the pod's (namespace, name):
/// under churn most of 20,000 Events are about pods, and a refresh reads a few of them.
pub fn events_by_pod_among<'a>(
    events: &[&'a Event],
    wanted: impl Fn((&str, &str)) -> bool,
) -> EventsByPod<'a> {
    let mut by_pod: EventsByPod = HashMap::default();
    for event in events {
        let about = &event.involved_object;
        let pod = (about.namespace.as_str(), about.name.as_str());
        if about.kind == "Pod" && wanted(pod) {
            by_pod.entry(pod).or_default().push(event);
        }
    }
    by_pod
}

/// Reads `pod` (its printed columns, its containers' states, the events about it: those of
/// `events` naming it, this pod and not an earlier one of its name) into its cause.
pub fn read_pod(pod: &Pod, events: &[&Event], now: Timestamp) -> PodReading {
    match read_down_pod(pod, events, now) {
        Some((reading, _)) => reading,
        None => PodReading {
            pod: pod_member(pod),
            workload: owner_workload(pod),
            cause: None,
        },
    }
}

/// `read_pod` for a pod that is down, with the columns read (its hints read them again);
/// `None`, and nothing kept, for one that is not.
fn read_down_pod(pod: &Pod, events: &[&Event], now: Timestamp) -> Option<(PodReading, PodColumns)> {
    let meta = &pod.metadata;
    let columns = pod_columns(pod, now, &mut ());
    let events: Vec<&Event> = events
        .iter()
        .copied()
        .filter(|e| e.is_about("Pod", meta))
        .collect();
    let cause = pod_cause(pod, &columns, &events, now)?;
    let workload = owner_workload(pod);
    let id = match &cause.group {
        Group::Workload => {
            let (kind, name) = workload
                .as_ref()
                .map(|w| (w.kind.as_str(), w.name.as_str()))
                .unwrap_or(("Pod", meta.name.as_str()));
            format!("pods/{}/{kind}/{name}/{}", meta.namespace, cause.cause)
        }
        Group::Image(image) => format!("image/{}/{image}", cause.cause),
        Group::Missing { kind, name } => format!("missing/{}/{kind}/{name}", meta.namespace),
        Group::Finalizers(finalizers) => {
            format!("finalizers/{}/{finalizers}", meta.namespace)
        }
    };
    let reading = PodReading {
        pod: pod_member(pod),
        workload,
        cause: Some((id, cause)),
    };
    Some((reading, columns))
}

fn pod_member(pod: &Pod) -> Affected {
    let meta = &pod.metadata;
    Affected::new("Pod", &meta.namespace, &meta.name, &meta.uid)
}

/// Pods read on one thread before a part of them is worth a thread of its own.
const PODS_WORTH_A_THREAD: usize = 2048;
/// Pods' hints made on one thread before a part of them is worth a thread of its own.
const HINTS_WORTH_A_THREAD: usize = 256;

/// Places every failing pod not already under a root cause (its node, its failed Job): the
/// readings given, or the pods read now.
pub(super) fn pods(input: &TriageInput<'_>, builder: &mut Builder) {
    // Only the passes before this one place pods under root causes (a node, a Job): with
    // none placed, no pod needs looking up.
    let earlier = !builder.placed.is_empty();
    if let Some(readings) = input.readings {
        for reading in readings {
            place(Cow::Borrowed(*reading), builder, earlier);
        }
        return;
    }
    let now = input.now;
    let events_by_pod = events_by_pod(input.events);
    let unplaced: Vec<&Pod>;
    let pods = if earlier {
        unplaced = input
            .pods
            .iter()
            .copied()
            .filter(|pod| !builder.is_placed(&pod.metadata.namespace, &pod.metadata.name))
            .collect();
        &unplaced
    } else {
        input.pods
    };
    // Read on every core, in the pods' order: most pods are up, and only those down are kept.
    let down = map_in_parts(pods, PODS_WORTH_A_THREAD, |part| {
        part.iter()
            .filter_map(|pod| {
                let (reading, columns) = read_down_pod(pod, events_of(&events_by_pod, pod), now)?;
                Some((*pod, reading, columns))
            })
            .collect()
    });
    builder.placed.reserve(down.len());
    builder.findings.reserve(down.len());
    builder.by_id.reserve(down.len());
    // One member of each finding (the first) gets the explainer's next steps: they name it.
    let mut representatives: Vec<(usize, &Pod, PodColumns)> = Vec::new();
    for (pod, reading, columns) in down {
        if let Some(index) = place(Cow::Owned(reading), builder, false) {
            representatives.push((index, pod, columns));
        }
    }
    if !input.pod_hints {
        return;
    }
    let hints = map_in_parts(&representatives, HINTS_WORTH_A_THREAD, |part| {
        part.iter()
            .map(|(_, pod, columns)| {
                super::hints_with_columns(pod, columns, events_of(&events_by_pod, pod), now)
            })
            .collect()
    });
    for ((index, _, _), hints) in representatives.iter().zip(hints) {
        builder.findings[*index].hints.extend(hints);
    }
}

/// The events of `by_pod` (`events_by_pod`) about `pod`.
fn events_of<'m>(by_pod: &'m EventsByPod<'m>, pod: &'m Pod) -> &'m [&'m Event] {
    if by_pod.is_empty() {
        return &[];
    }
    by_pod
        .get(&(pod.metadata.namespace.as_str(), pod.metadata.name.as_str()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Adds a down pod to its cause's finding, unless a root cause holds it already (looked up
/// when `earlier` passes placed pods); the finding's index when the pod is its first member.
/// An owned reading is moved into the finding, a borrowed one copied.
fn place(reading: Cow<'_, PodReading>, builder: &mut Builder, earlier: bool) -> Option<usize> {
    let (_, cause) = reading.cause.as_ref()?;
    if earlier && builder.is_placed(&reading.pod.namespace, &reading.pod.name) {
        return None;
    }
    let (severity, since) = (cause.severity, cause.since);
    let (id, cause, pod, workload) = match reading {
        Cow::Owned(PodReading {
            pod,
            workload,
            cause: Some((id, cause)),
        }) => (id, Cow::Owned(cause), pod, workload),
        Cow::Borrowed(PodReading {
            pod,
            workload,
            cause: Some((id, cause)),
        }) => (
            id.clone(),
            Cow::Borrowed(cause),
            pod.clone(),
            workload.clone(),
        ),
        _ => return None,
    };
    let index = builder.index_owned(id, || blank(severity, cause.cause.clone()));
    builder.place_at(&pod.namespace, &pod.name, workload.as_ref(), index);
    let finding = &mut builder.findings[index];
    let first = finding.members.is_empty();
    finding.severity = finding.severity.min(severity);
    finding.scope.namespaces.push(pod.namespace.clone());
    finding.members.push(pod);
    finding.pods += 1;
    if let Some(workload) = workload {
        finding.scope.workloads.push(workload);
    }
    finding.since = earliest(finding.since, since);
    if finding.evidence.len() < EVIDENCE_LINES {
        finding.evidence.push(match cause {
            Cow::Owned(cause) => cause.evidence,
            Cow::Borrowed(cause) => cause.evidence.clone(),
        });
    }
    first.then_some(index)
}

/// The workload a pod belongs to: its controller, a ReplicaSet read as its Deployment (by the
/// pod-template-hash suffix the Deployment controller gives it). `None` for an unmanaged pod
/// or a static pod (owned by its node).
pub(super) fn owner_workload(pod: &Pod) -> Option<Affected> {
    let owner = pod.metadata.controller()?;
    let namespace = &pod.metadata.namespace;
    match owner.kind.as_str() {
        "Node" => None,
        "ReplicaSet" => {
            let hash = pod
                .metadata
                .labels
                .get("pod-template-hash")
                .map(String::as_str)
                .unwrap_or("");
            match owner
                .name
                .strip_suffix(hash)
                .and_then(|n| n.strip_suffix('-'))
            {
                Some(deployment) if !hash.is_empty() && !deployment.is_empty() => {
                    Some(Affected::new("Deployment", namespace, deployment, ""))
                }
                _ => Some(Affected::new(
                    "ReplicaSet",
                    namespace,
                    &owner.name,
                    &owner.uid,
                )),
            }
        }
        kind => Some(Affected::new(kind, namespace, &owner.name, &owner.uid)),
    }
}

/// Why `pod` is down, or `None` when it is healthy, done, or still within normal start-up.
pub(super) fn pod_cause(
    pod: &Pod,
    columns: &PodColumns,
    events: &[&Event],
    now: Timestamp,
) -> Option<PodCause> {
    let health = pod_health(columns);
    let status = columns.status.as_str();
    let name = &pod.metadata.name;
    let line = |detail: &str| {
        let mut text = format!(
            "pod {name}: {status}, {} ready, {} restarts",
            columns.ready, columns.restarts
        );
        if !detail.is_empty() {
            text.push_str("; ");
            text.push_str(detail);
        }
        text
    };
    let not_ready_since = not_ready_since(pod);
    let workload = |severity, cause: String, evidence: String, since| {
        Some(PodCause {
            severity,
            cause,
            group: Group::Workload,
            evidence,
            since,
        })
    };

    if let Some(deadline) = pod.metadata.deletion_timestamp {
        // deletionTimestamp is when the grace period ends: before then, terminating is normal.
        if deadline >= now {
            return None;
        }
        let overdue = crate::model::duration::human_duration(now.duration_since(deadline));
        if !pod.metadata.finalizers.is_empty() {
            let finalizers = pod.metadata.finalizers.join(", ");
            return Some(PodCause {
                severity: Severity::Warning,
                cause: format!("stuck Terminating: finalizer {finalizers}"),
                group: Group::Finalizers(finalizers.clone()),
                evidence: line(&format!(
                    "grace period ended {overdue} ago; metadata.finalizers: {finalizers}"
                )),
                since: Some(deadline),
            });
        }
        return workload(
            Severity::Warning,
            "stuck Terminating".to_string(),
            line(&format!(
                "grace period ended {overdue} ago; the kubelet on {} has not confirmed the containers stopped",
                if pod.spec.node_name.is_empty() {
                    "(no node)"
                } else {
                    &pod.spec.node_name
                }
            )),
            Some(deadline),
        );
    }
    match pod.status.reason.as_str() {
        "Evicted" => {
            let resource = pod
                .status
                .message
                .split("low on resource: ")
                .nth(1)
                .and_then(|rest| rest.split(['.', ',']).next())
                .map(str::trim)
                .filter(|r| !r.is_empty());
            let cause = match resource {
                Some(resource) => format!("Evicted: node low on {resource}"),
                None => "Evicted".to_string(),
            };
            return workload(
                Severity::Warning,
                cause,
                line(pod.status.message.trim()),
                not_ready_since,
            );
        }
        reason
            if reason.starts_with("OutOf")
                || reason == "UnexpectedAdmissionError"
                || reason == "NodeAffinity" =>
        {
            return workload(
                Severity::Warning,
                format!("rejected by the kubelet: {reason}"),
                line(pod.status.message.trim()),
                not_ready_since,
            );
        }
        _ => {}
    }
    if matches!(health, Health::Healthy | Health::Done) {
        return recent_oom(pod, columns, now, &line);
    }
    if status == "SchedulingGated" {
        let gates: Vec<&str> = pod
            .spec
            .scheduling_gates
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        if !settled(pod, now) {
            return None;
        }
        return workload(
            Severity::Warning,
            format!("scheduling gated: {}", gates.join(", ")),
            line("spec.schedulingGates is not empty"),
            pod.metadata.creation_timestamp,
        );
    }
    if let Some(scheduled) = pod
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
    {
        let message = latest_event(events, "FailedScheduling")
            .map(|e| e.message.trim().to_string())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| scheduled.message.trim().to_string());
        let reasons = scheduler_reasons(&message);
        let cause = if reasons.is_empty() {
            "unschedulable".to_string()
        } else {
            format!("unschedulable: {}", reasons.join(", "))
        };
        // The first FailedScheduling is the earliest evidence; the condition's time moves
        // each time the scheduler tries again.
        let first_failure = events
            .iter()
            .filter(|e| e.reason == "FailedScheduling")
            .filter_map(|e| e.first_timestamp.or(e.event_time))
            .min();
        return workload(
            Severity::Critical,
            cause,
            line(&format!("scheduler: {message}")),
            earliest(first_failure, scheduled.last_transition_time)
                .or(pod.metadata.creation_timestamp),
        );
    }
    // The containers: init containers first, as the kubelet runs them.
    let init = pod.status.init_container_statuses.iter().map(|s| (s, true));
    let main = pod.status.container_statuses.iter().map(|s| (s, false));
    for (container, is_init) in init.chain(main) {
        if let Some(cause) = container_cause(pod, container, is_init, events, now, &line) {
            return Some(PodCause {
                since: cause.since.or(not_ready_since),
                ..cause
            });
        }
    }
    if status == "ContainerCreating" || status == "Pending" || status == "PodInitializing" {
        if let Some(cause) = mount_failure(pod, events, &line) {
            return Some(cause);
        }
        if !settled(pod, now) {
            return None;
        }
        let sandbox = latest_event(events, "FailedCreatePodSandBox")
            .map(|e| format!("FailedCreatePodSandBox: {}", e.message.trim()))
            .unwrap_or_default();
        return workload(
            Severity::Warning,
            format!("stuck {status}"),
            line(&sandbox),
            pod.metadata.creation_timestamp,
        );
    }
    if status == "Running" && columns.ready_containers < columns.total_containers {
        let probe_failing = pod.status.container_statuses.iter().any(|c| {
            !c.ready
                && c.state.running.is_some()
                && pod
                    .container_spec(&c.name)
                    .is_some_and(|s| s.readiness_probe.is_some())
        });
        let since = not_ready_since.or(pod.metadata.creation_timestamp);
        if since.is_some_and(|since| now.duration_since(since) < SETTLING) {
            return None;
        }
        let unhealthy = latest_event(events, "Unhealthy")
            .map(|e| format!("Unhealthy: {}", e.message.trim()))
            .unwrap_or_default();
        let cause = if probe_failing {
            "readiness probe failing"
        } else {
            "running but not ready"
        };
        return workload(
            Severity::Critical,
            cause.to_string(),
            line(&unhealthy),
            since,
        );
    }
    if status == "Unknown" {
        return workload(
            Severity::Critical,
            "pod status Unknown".to_string(),
            line(pod.status.message.trim()),
            not_ready_since,
        );
    }
    if health == Health::Failing {
        let cause = if pod.status.reason.is_empty() {
            format!("pod {status}")
        } else {
            format!("pod {}", pod.status.reason)
        };
        return workload(
            Severity::Critical,
            cause,
            line(pod.status.message.trim()),
            not_ready_since,
        );
    }
    None
}

/// A container's own failure, if it has one.
fn container_cause(
    pod: &Pod,
    status: &ContainerStatus,
    init: bool,
    events: &[&Event],
    now: Timestamp,
    line: &dyn Fn(&str) -> String,
) -> Option<PodCause> {
    let spec = if init {
        pod.init_container_spec(&status.name)
    } else {
        pod.container_spec(&status.name)
    };
    // Written only into the texts of a cause found: most containers have none.
    let who = Who {
        init,
        name: &status.name,
    };
    let prefix = Prefix(who);
    let image = spec
        .map(|c| c.image.as_str())
        .filter(|i| !i.is_empty())
        .unwrap_or(&status.image);
    let memory_limit = || {
        spec.and_then(|c| c.resources.limits.get("memory"))
            .map(|q| format!("memory limit {q}"))
            .unwrap_or_else(|| "no memory limit".to_string())
    };
    let crashed = |terminated: &StateTerminated, what: &str| -> PodCause {
        if terminated.reason == "OOMKilled" {
            PodCause {
                severity: Severity::Critical,
                cause: format!("{prefix}OOMKilled ({})", memory_limit()),
                group: Group::Workload,
                evidence: line(&format!(
                    "{who} {what} OOMKilled (exit code {}), {}",
                    terminated.exit_code,
                    memory_limit()
                )),
                since: None,
            }
        } else {
            let exit = exit_words(terminated);
            PodCause {
                severity: Severity::Critical,
                cause: format!("{prefix}{} ({exit})", crash_word(init, what)),
                group: Group::Workload,
                evidence: line(&format!("{who} {what} {exit}")),
                since: None,
            }
        }
    };
    if let Some(waiting) = &status.state.waiting {
        let message = waiting.message.trim();
        match waiting.reason.as_str() {
            "CrashLoopBackOff" => {
                return Some(match &status.last_state.terminated {
                    Some(last) => crashed(last, "last ended"),
                    None => PodCause {
                        severity: Severity::Critical,
                        cause: format!("{prefix}CrashLoopBackOff"),
                        group: Group::Workload,
                        evidence: line(message),
                        since: None,
                    },
                });
            }
            "ErrImagePull" | "ImagePullBackOff" => {
                // The registry's words: the latest pull failure that names its cause (the
                // kubelet's later `Error: ImagePullBackOff` events do not).
                let pull_event = events
                    .iter()
                    .filter(|e| e.reason == "Failed" && e.message.contains("ull"))
                    .filter(|e| pull_failure(&e.message) != PullFailure::Other)
                    .max_by_key(|e| e.last_seen())
                    .or_else(|| {
                        events
                            .iter()
                            .filter(|e| e.reason == "Failed" && e.message.contains("ull"))
                            .max_by_key(|e| e.last_seen())
                    });
                let words = pull_event.map(|e| e.message.as_str()).unwrap_or(message);
                let failure = match pull_failure(words) {
                    PullFailure::NotFound => "image not found",
                    PullFailure::Unauthorized => "image pull unauthorized",
                    PullFailure::Unreachable => "registry unreachable",
                    PullFailure::RateLimited => "image pull rate-limited",
                    PullFailure::Other => "image pull failing",
                };
                return Some(PodCause {
                    severity: Severity::Critical,
                    cause: format!("{failure}: {image}"),
                    group: Group::Image(image.to_string()),
                    evidence: line(&format!(
                        "{who} {}: {}",
                        waiting.reason,
                        words.trim().trim_end_matches('.')
                    )),
                    since: None,
                });
            }
            "InvalidImageName" => {
                return Some(PodCause {
                    severity: Severity::Critical,
                    cause: format!("invalid image name: {image}"),
                    group: Group::Image(image.to_string()),
                    evidence: line(&format!("{who} InvalidImageName: {message}")),
                    since: None,
                });
            }
            "CreateContainerConfigError" => {
                if let Some((kind, name)) = missing_reference(message) {
                    return Some(missing(kind, name, line(&format!("{who}: {message}"))));
                }
                return Some(PodCause {
                    severity: Severity::Critical,
                    cause: format!("{prefix}CreateContainerConfigError"),
                    group: Group::Workload,
                    evidence: line(&format!("{who}: {message}")),
                    since: None,
                });
            }
            "CreateContainerError" | "RunContainerError" | "StartError" | "ContainerCannotRun" => {
                return Some(PodCause {
                    severity: Severity::Critical,
                    cause: format!("{prefix}cannot start: {}", waiting.reason),
                    group: Group::Workload,
                    evidence: line(&format!("{who}: {message}")),
                    since: None,
                });
            }
            _ => return None,
        }
    }
    if let Some(terminated) = &status.state.terminated
        && terminated.exit_code != 0
    {
        return Some(crashed(terminated, "ended"));
    }
    if init
        && let Some(running) = &status.state.running
        && let Some(started) = running.started_at
        && now.duration_since(started) >= INIT_STUCK
        && !spec.is_some_and(|c| c.is_sidecar())
    {
        let running_for = crate::model::duration::human_duration(now.duration_since(started));
        return Some(PodCause {
            severity: Severity::Critical,
            cause: format!("init container {} not finishing", status.name),
            group: Group::Workload,
            evidence: line(&format!("{who} has been running for {running_for}")),
            since: Some(started),
        });
    }
    None
}

/// `container NAME` or `init container NAME`, as evidence names a container.
#[derive(Clone, Copy)]
struct Who<'a> {
    init: bool,
    name: &'a str,
}

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.init {
            f.write_str("init ")?;
        }
        write!(f, "container {}", self.name)
    }
}

/// What a cause starts with: `init container NAME: ` for an init container, nothing for
/// another.
#[derive(Clone, Copy)]
struct Prefix<'a>(Who<'a>);

impl std::fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.init {
            write!(f, "{}: ", self.0)?;
        }
        Ok(())
    }
}

/// `OOMKilled` restarts of a pod that runs again: the limit is too low or memory leaks.
fn recent_oom(
    pod: &Pod,
    columns: &PodColumns,
    now: Timestamp,
    line: &dyn Fn(&str) -> String,
) -> Option<PodCause> {
    if columns.status != "Running" {
        return None;
    }
    let status = pod.status.container_statuses.iter().find(|c| {
        c.last_state.terminated.as_ref().is_some_and(|t| {
            t.reason == "OOMKilled"
                && t.finished_at
                    .is_some_and(|at| now.duration_since(at) < RECENT_OOM)
        })
    })?;
    let last = status.last_state.terminated.as_ref()?;
    let limit = pod
        .container_spec(&status.name)
        .and_then(|c| c.resources.limits.get("memory"))
        .map(|q| format!("memory limit {q}"))
        .unwrap_or_else(|| "no memory limit".to_string());
    Some(PodCause {
        severity: Severity::Warning,
        cause: format!("OOMKilled ({limit})"),
        group: Group::Workload,
        evidence: line(&format!(
            "container {} restarted after OOMKilled (exit code {}), {limit}",
            status.name, last.exit_code
        )),
        since: last.finished_at,
    })
}

/// A volume whose ConfigMap or Secret is missing holds the pod in ContainerCreating.
fn mount_failure(pod: &Pod, events: &[&Event], line: &dyn Fn(&str) -> String) -> Option<PodCause> {
    let event = latest_event(events, "FailedMount")?;
    let message = event.message.trim();
    let cause = match missing_reference(message) {
        Some((kind, name)) => missing(kind, name, line(&format!("FailedMount: {message}"))),
        None => PodCause {
            severity: Severity::Critical,
            cause: "volume cannot be mounted".to_string(),
            group: Group::Workload,
            evidence: line(&format!("FailedMount: {message}")),
            since: None,
        },
    };
    Some(PodCause {
        since: event.first_timestamp.or(pod.metadata.creation_timestamp),
        ..cause
    })
}

fn missing(kind: &'static str, name: String, evidence: String) -> PodCause {
    PodCause {
        severity: Severity::Critical,
        cause: format!("missing {kind} {name}"),
        group: Group::Missing { kind, name },
        evidence,
        since: None,
    }
}

/// `configmap "x" not found` / `secret "y" not found`, as the kubelet words them.
pub(super) fn missing_reference(message: &str) -> Option<(&'static str, String)> {
    for (word, kind) in [("configmap \"", "ConfigMap"), ("secret \"", "Secret")] {
        let lower = message.to_ascii_lowercase();
        if let Some(start) = lower.find(word) {
            let rest = &message[start + word.len()..];
            let (name, after) = rest.split_once('"')?;
            if after.trim_start().starts_with("not found") && !name.is_empty() {
                return Some((kind, name.to_string()));
            }
        }
    }
    None
}

/// The scheduler's reasons without their node counts: `0/6 nodes are available: 1 node(s) had
/// untolerated taint {..}, 5 Insufficient cpu. preemption: ...` → `untolerated taint {..}`,
/// `Insufficient cpu`.
pub(super) fn scheduler_reasons(message: &str) -> Vec<String> {
    let Some((_, reasons)) = message.split_once("are available: ") else {
        return Vec::new();
    };
    let reasons = reasons.split(" preemption:").next().unwrap_or(reasons);
    reasons
        .trim()
        .trim_end_matches('.')
        .split(", ")
        .map(|reason| {
            let reason = reason.trim();
            let reason = match reason.split_once(' ') {
                Some((count, rest)) if count.bytes().all(|b| b.is_ascii_digit()) => rest,
                _ => reason,
            };
            let reason = reason.strip_prefix("node(s) had ").unwrap_or(reason);
            // `untolerated taint {key: value}` → `untolerated taint key` (or `key=value`).
            let reason = match reason.split_once('{') {
                Some((before, taint)) => {
                    let taint = taint.trim_end_matches('}');
                    let taint = match taint.split_once(": ") {
                        Some((key, "")) | Some((key, " ")) => key.to_string(),
                        Some((key, value)) => format!("{key}={}", value.trim()),
                        None => taint.trim_end_matches(':').to_string(),
                    };
                    format!("{before}{taint}")
                }
                None => reason.to_string(),
            };
            reason.trim_end_matches('.').to_string()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn crash_word(init: bool, what: &str) -> &'static str {
    match (init, what) {
        (_, "last ended") => "CrashLoopBackOff",
        (true, _) => "failed",
        (false, _) => "exited",
    }
}

/// `exit code 1` or `signal 9`, with the runtime's reason when it gives one.
fn exit_words(terminated: &StateTerminated) -> String {
    let code = if terminated.signal != 0 {
        format!("signal {}", terminated.signal)
    } else {
        format!("exit code {}", terminated.exit_code)
    };
    if terminated.reason.is_empty() || terminated.reason == "Error" {
        code
    } else {
        format!("{}, {code}", terminated.reason)
    }
}

/// When the pod's Ready condition last became something other than True.
fn not_ready_since(pod: &Pod) -> Option<Timestamp> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready" && c.status != "True")
        .and_then(|c| c.last_transition_time)
}

/// Whether the pod has existed long enough that still coming up is a problem.
fn settled(pod: &Pod, now: Timestamp) -> bool {
    pod.metadata
        .creation_timestamp
        .is_none_or(|created| now.duration_since(created) >= SETTLING)
}
