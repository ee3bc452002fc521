//! Triage: every problem among the objects in scope a person would act on, grouped by its
//! cause (five OOMKilled pods of one Deployment are one finding; a missing ConfigMap read by two
//! workloads is one finding naming both; pods lost with their node are members of the node's
//! finding), explained with evidence and next steps, and ranked by impact. Pure: the objects
//! come typed (workloads and Services as JSON, as the explainer reads them) and the clock is
//! passed in.

mod claims;
mod cluster;
mod pods;

pub use pods::{EventsByPod, PodReading, events_by_pod, events_by_pod_among, read_pod};
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde_json::Value;

use super::event::Event;
use super::kind::WatchedKind;
use super::manifest::KubeObject;
use super::namespace::Namespace;
use super::node::Node;
use super::pod::Pod;
use super::selector::Labels;

/// How urgently a finding asks for attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Serving or running is broken now: pods down, a node lost, a Service with no endpoints.
    Critical,
    /// Degraded or heading there: pressure, evictions, a stuck namespace, bursts of warnings.
    Warning,
    /// Worth knowing in an incident: a node cordoned for long.
    Info,
}

impl Severity {
    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One object a finding is about, by its identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Affected {
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

impl Affected {
    fn new(kind: &str, namespace: &str, name: &str, uid: &str) -> Self {
        Affected {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            uid: uid.to_string(),
        }
    }

    /// `kind/name`, lower case as kubectl names objects (`deployment/web`).
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }
}

/// Where a finding sits: a namespace (none for cluster-scoped causes) and the workloads whose
/// pods it takes down.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<Affected>,
}

impl Scope {
    /// `shop/checkout`, `payments: api, ledger`, `data-infra +2 namespaces`, or `cluster`.
    pub fn display(&self) -> String {
        match (self.namespaces.as_slice(), self.workloads.as_slice()) {
            ([], []) => "cluster".to_string(),
            ([namespace], []) => namespace.clone(),
            ([namespace], [workload]) => format!("{namespace}/{}", workload.name),
            ([namespace], workloads) => {
                let names: Vec<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
                format!("{namespace}: {}", names.join(", "))
            }
            ([], workloads) => {
                let names: Vec<String> = workloads
                    .iter()
                    .map(|w| format!("{}/{}", w.namespace, w.name))
                    .collect();
                names.join(", ")
            }
            ([first, rest @ ..], _) => format!("{first} +{} namespaces", rest.len()),
        }
    }
}

/// One cause, the objects it affects, and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable while the cause lasts, so a live view follows a finding as it grows and shrinks.
    pub id: String,
    pub severity: Severity,
    /// The cause in a few words (`OOMKilled (memory limit 256Mi)`).
    pub cause: String,
    pub scope: Scope,
    /// The objects it is about: pods, nodes, workloads, Services, namespaces.
    pub members: Vec<Affected>,
    /// How many pods it takes down or holds.
    pub pods: usize,
    /// The earliest evidence of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// True when the earliest evidence is under five minutes old.
    pub new: bool,
    /// What was read to conclude it, one fact a line.
    pub evidence: Vec<String>,
    /// Next steps, from the explainers.
    pub hints: Vec<String>,
}

impl Finding {
    /// How many objects it affects.
    pub fn affected(&self) -> usize {
        self.members.len()
    }

    /// `1 pod`, `5 pods`, or `2 objects` when it holds no pods.
    pub fn impact(&self) -> String {
        let (count, what) = if self.pods > 0 {
            (self.pods, "pod")
        } else {
            (self.affected(), "object")
        };
        format!("{count} {what}{}", if count == 1 { "" } else { "s" })
    }

    /// `25m`, `25m, new`, or `-` when nothing says since when.
    pub fn since_text(&self, now: Timestamp) -> String {
        match self.since {
            Some(since) => {
                let age = super::duration::human_duration(now.duration_since(since));
                if self.new { format!("{age}, new") } else { age }
            }
            None => "-".to_string(),
        }
    }

    /// Whether it is the no-ready-endpoints finding of a Service (ranked first: traffic is lost).
    pub fn is_service_down(&self) -> bool {
        self.id.starts_with("service-endpoints/")
    }
}

/// A finding is new while its evidence is younger than this.
pub const NEW_FOR: SignedDuration = SignedDuration::from_secs(5 * 60);

/// The objects triage reads.
#[derive(Clone, Copy)]
pub struct TriageInput<'a> {
    pub pods: &'a [&'a Pod],
    pub nodes: &'a [&'a Node],
    pub namespaces: &'a [&'a Namespace],
    pub events: &'a [&'a Event],
    /// Workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) and Services,
    /// with their kind, as JSON; empty when they are not at hand (the explorer watches pods,
    /// nodes, namespaces and events).
    pub workloads: &'a [(&'a str, &'a Value)],
    pub now: Timestamp,
    /// Whether pods' findings get the pod explainer's next steps now (for one member each).
    /// A view that shows one finding at a time asks for them when it is selected instead
    /// (`pod_hints`): at thousands of failing pods they are most of the cost.
    pub pod_hints: bool,
    /// The pods' readings, when a live view keeps them (`read_pod`): the pods' own causes are
    /// grouped from these, and `pods` are only what the other causes read (pods on nodes that
    /// are down, pods of failed Jobs, the pods of workloads and Services).
    pub readings: Option<&'a [&'a PodReading]>,
    /// Pods Ready and not being deleted that are not in `pods` (a live view types only the pods
    /// that may be down), by namespace and labels: the endpoints the Services have.
    pub ready_pods: &'a [(&'a str, &'a dyn Labels)],
}

/// The pod explainer's next steps for one member of a pod's finding, with the events about it:
/// the explainer's hints without its trace (the steps are not shown here, and at thousands of
/// findings recording them was most of their cost).
pub fn pod_hints(pod: &Pod, events: &[&Event], now: Timestamp) -> Vec<String> {
    let columns = super::pod_status::pod_columns(pod, now, &mut ());
    hints_with_columns(pod, &columns, events, now)
}

/// `pod_hints`, the pod's columns read already.
fn hints_with_columns(
    pod: &Pod,
    columns: &super::pod_status::PodColumns,
    events: &[&Event],
    now: Timestamp,
) -> Vec<String> {
    let qos = super::qos::pod_qos(pod, &mut ());
    super::pod_hints::pod_hints(&super::pod_hints::HintInput {
        pod,
        columns,
        qos: &qos,
        events,
        now,
    })
}

/// The findings among `input`'s objects, most urgent first.
pub fn triage(input: &TriageInput<'_>) -> Vec<Finding> {
    let mut builder = Builder::default();
    cluster::nodes(input, &mut builder);
    cluster::failed_jobs(input, &mut builder);
    claims::claims(input, &mut builder);
    pods::pods(input, &mut builder);
    cluster::workloads(input, &mut builder);
    cluster::services(input, &mut builder);
    cluster::namespaces(input, &mut builder);
    cluster::event_bursts(input, &mut builder);
    builder.finish(input.now)
}

/// `triage` over objects read from a file or an API answer.
pub fn triage_objects(objects: &[KubeObject], now: Timestamp) -> Vec<Finding> {
    let mut pods = Vec::new();
    let mut nodes = Vec::new();
    let mut namespaces = Vec::new();
    let mut events = Vec::new();
    let mut workloads = Vec::new();
    for object in objects {
        match object {
            KubeObject::Pod(pod) => pods.push(pod.as_ref()),
            KubeObject::Node(node) => nodes.push(node.as_ref()),
            KubeObject::Namespace(namespace) => namespaces.push(namespace.as_ref()),
            KubeObject::Event(event) => events.push(event.as_ref()),
            KubeObject::Workload(kind, object) => workloads.push((kind.as_str(), object.as_ref())),
        }
    }
    triage(&TriageInput {
        pods: &pods,
        nodes: &nodes,
        namespaces: &namespaces,
        events: &events,
        workloads: &workloads,
        now,
        pod_hints: true,
        readings: None,
        ready_pods: &[],
    })
}

/// What triage reads from the API server; Events are evidence only, so a refusal to list them
/// leaves the findings right if less explained.
pub const READ: [WatchedKind; 12] = [
    WatchedKind::Namespaces,
    WatchedKind::Nodes,
    WatchedKind::Pods,
    WatchedKind::Deployments,
    WatchedKind::ReplicaSets,
    WatchedKind::StatefulSets,
    WatchedKind::DaemonSets,
    WatchedKind::Jobs,
    WatchedKind::CronJobs,
    WatchedKind::Services,
    WatchedKind::PersistentVolumeClaims,
    WatchedKind::Events,
];

/// Documents (`READ`'s kinds, each with its kind set) as the objects triage reads: claims are
/// read as JSON, as triage reads them, the rest typed as the explainers read them. Each
/// document is typed where it stands (a dump's hundreds of megabytes are not written out and
/// read again as one list).
pub fn objects_for_triage(documents: Vec<Value>) -> anyhow::Result<Vec<KubeObject>> {
    let mut objects = Vec::with_capacity(documents.len());
    for (index, document) in documents.into_iter().enumerate() {
        if document.get("kind").and_then(Value::as_str)
            == Some(WatchedKind::PersistentVolumeClaims.kind_name())
        {
            objects.push(KubeObject::Workload(
                "PersistentVolumeClaim".into(),
                Box::new(document),
            ));
        } else {
            objects.extend(super::manifest::objects_of(
                document,
                &format!("items[{index}]"),
            )?);
        }
    }
    Ok(objects)
}

/// One object of `kind` as the API server wrote it (a list's item: its kind may be left off),
/// as triage reads it: pods, nodes, namespaces and events typed as the watches type them,
/// workloads, Services and claims as JSON with their kind.
pub fn object_for_triage(kind: WatchedKind, text: &str) -> anyhow::Result<KubeObject> {
    use super::watched::{decode_pod, typed};
    Ok(match kind {
        WatchedKind::Pods => KubeObject::Pod(Box::new(decode_pod(text))),
        WatchedKind::Nodes => KubeObject::Node(Box::new(typed(text))),
        WatchedKind::Namespaces => KubeObject::Namespace(Box::new(typed(text))),
        WatchedKind::Events => KubeObject::Event(Box::new(typed(text))),
        other => {
            let mut value: Value = serde_json::from_str(text)?;
            if let Value::Object(map) = &mut value {
                map.insert("kind".into(), Value::String(other.kind_name().into()));
            }
            KubeObject::Workload(other.kind_name().into(), Box::new(value))
        }
    })
}

/// Findings under construction, by id, with the pods already placed under a root cause.
/// foldhash: at thousands of down pods every pod is hashed a few times here, and the keys are
/// the cluster's own names, so SipHash's DoS resistance buys nothing.
#[derive(Default)]
struct Builder {
    findings: Vec<Finding>,
    by_id: HashMap<String, usize, RandomState>,
    /// Pods (namespace, name) that are members of a finding already, and its index.
    placed: HashMap<(String, String), usize, RandomState>,
    /// Workloads (kind, namespace, name) whose pods are under a finding, and those findings' ids.
    covered: HashMap<(String, String, String), Vec<String>, RandomState>,
}

impl Builder {
    /// The finding with `id`, made by `make` if it is not there yet.
    fn entry(&mut self, id: &str, make: impl FnOnce() -> Finding) -> &mut Finding {
        let index = self.index(id, make);
        &mut self.findings[index]
    }

    /// The index of the finding with `id`, made by `make` if it is not there yet.
    fn index(&mut self, id: &str, make: impl FnOnce() -> Finding) -> usize {
        match self.by_id.get(id) {
            Some(index) => *index,
            None => self.add(id.to_string(), make()),
        }
    }

    /// `index`, the id owned (kept by the finding when it is made).
    fn index_owned(&mut self, id: String, make: impl FnOnce() -> Finding) -> usize {
        match self.by_id.get(&id) {
            Some(index) => *index,
            None => self.add(id, make()),
        }
    }

    fn add(&mut self, id: String, mut finding: Finding) -> usize {
        let index = self.findings.len();
        self.by_id.insert(id.clone(), index);
        finding.id = id;
        self.findings.push(finding);
        index
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Finding> {
        let index = *self.by_id.get(id)?;
        Some(&mut self.findings[index])
    }

    /// The id of the finding pod `namespace/name` is a member of.
    fn placed_in(&self, namespace: &str, name: &str) -> Option<&str> {
        if self.placed.is_empty() {
            return None;
        }
        self.placed
            .get(&(namespace.to_string(), name.to_string()))
            .map(|index| self.findings[*index].id.as_str())
    }

    fn is_placed(&self, namespace: &str, name: &str) -> bool {
        self.placed_in(namespace, name).is_some()
    }

    /// Records pod `namespace/name` (of `workload`, if managed) as a member of finding `id`.
    fn place(&mut self, namespace: &str, name: &str, workload: Option<&Affected>, id: &str) {
        if let Some(index) = self.by_id.get(id).copied() {
            self.place_at(namespace, name, workload, index);
        }
    }

    /// `place`, the finding by its index.
    fn place_at(&mut self, namespace: &str, name: &str, workload: Option<&Affected>, index: usize) {
        self.placed
            .insert((namespace.to_string(), name.to_string()), index);
        if let Some(workload) = workload {
            let id = &self.findings[index].id;
            let key = (
                workload.kind.clone(),
                workload.namespace.clone(),
                workload.name.clone(),
            );
            let ids = self.covered.entry(key).or_default();
            if !ids.iter().any(|known| known == id) {
                ids.push(id.clone());
            }
        }
    }

    /// The ids of the findings holding pods of the workload `kind/name` in `namespace`.
    fn covering(&self, kind: &str, namespace: &str, name: &str) -> Vec<String> {
        self.covered
            .get(&(kind.to_string(), namespace.to_string(), name.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    fn finish(self, now: Timestamp) -> Vec<Finding> {
        let mut findings = self.findings;
        for finding in &mut findings {
            finding.members.sort();
            finding.members.dedup();
            finding.scope.namespaces.sort();
            finding.scope.namespaces.dedup();
            finding.scope.workloads.sort();
            finding.scope.workloads.dedup();
            dedup_keep_order(&mut finding.evidence);
            dedup_keep_order(&mut finding.hints);
            finding.new = finding
                .since
                .is_some_and(|since| now.duration_since(since) < NEW_FOR);
        }
        rank(findings)
    }
}

/// Services left without endpoints first, then severity, pods affected, workloads affected,
/// objects affected, the most recent first, and the id so equal findings keep one order.
/// Their indices are sorted, and each finding moved once into its place (a finding is a few
/// hundred bytes: a sort moving them was much of the cost at thousands of findings).
fn rank(findings: Vec<Finding>) -> Vec<Finding> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_unstable_by(|a, b| {
        let (a, b) = (&findings[*a], &findings[*b]);
        b.is_service_down()
            .cmp(&a.is_service_down())
            .then(a.severity.cmp(&b.severity))
            .then(b.pods.cmp(&a.pods))
            .then(b.scope.workloads.len().cmp(&a.scope.workloads.len()))
            .then(b.members.len().cmp(&a.members.len()))
            .then(b.since.cmp(&a.since))
            .then(a.id.cmp(&b.id))
    });
    let mut findings: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|index| findings[index].take())
        .collect()
}

fn dedup_keep_order(lines: &mut Vec<String>) {
    // Most findings have a line or two: compared in place, nothing allocated.
    if lines.len() <= 16 {
        let mut index = 0;
        while index < lines.len() {
            if lines[..index].contains(&lines[index]) {
                lines.remove(index);
            } else {
                index += 1;
            }
        }
        return;
    }
    let mut seen = std::collections::HashSet::new();
    lines.retain(|line| seen.insert(line.clone()));
}

/// The earlier of two optional times.
fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A finding with nothing in it yet.
fn blank(severity: Severity, cause: String) -> Finding {
    Finding {
        id: String::new(),
        severity,
        cause,
        scope: Scope::default(),
        members: Vec::new(),
        pods: 0,
        since: None,
        new: false,
        evidence: Vec::new(),
        hints: Vec::new(),
    }
}
