//! The explainer's answer for one object: its printed columns, the steps that produced them,
//! and hints. This is the shape `kscope explain -o json` prints.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use super::duration::age;
use super::event::Event;
use super::health::{Health, namespace_health, node_health, pod_health};
use super::manifest::KubeObject;
use super::namespace::Namespace;
use super::namespace_status::{namespace_hints, namespace_row};
use super::node::Node;
use super::node_status::{node_hints, node_row};
use super::pod::Pod;
use super::pod_hints::{HintInput, pod_hints};
use super::pod_status::pod_columns;
use super::qos::pod_qos;
use super::trace::Step;
use super::workload_explain::{Related, WorkloadExplanation};

/// An explained object: a Pod, Node or Namespace, a workload or a Service.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
pub enum Explanation {
    Pod(PodExplanation),
    Node(NodeExplanation),
    Namespace(NamespaceExplanation),
    Deployment(WorkloadExplanation),
    ReplicaSet(WorkloadExplanation),
    StatefulSet(WorkloadExplanation),
    DaemonSet(WorkloadExplanation),
    Job(WorkloadExplanation),
    CronJob(WorkloadExplanation),
    Service(WorkloadExplanation),
}

/// The kinds explained from their JSON, and how.
pub const EXPLAINED_KINDS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Service",
];

impl Explanation {
    /// The workload (or Service) explanation inside, and its kind.
    pub fn workload(&self) -> Option<(&'static str, &WorkloadExplanation)> {
        Some(match self {
            Explanation::Deployment(w) => ("Deployment", w),
            Explanation::ReplicaSet(w) => ("ReplicaSet", w),
            Explanation::StatefulSet(w) => ("StatefulSet", w),
            Explanation::DaemonSet(w) => ("DaemonSet", w),
            Explanation::Job(w) => ("Job", w),
            Explanation::CronJob(w) => ("CronJob", w),
            Explanation::Service(w) => ("Service", w),
            _ => return None,
        })
    }
}

/// Explains a workload or Service of `kind` from its JSON, with the pods, owned objects and
/// events that bear on it; `None` for a kind the explainer does not know.
pub fn explain_workload(
    kind: &str,
    object: &serde_json::Value,
    related: &Related<'_>,
    now: Timestamp,
) -> Option<Explanation> {
    use super::workload_explain as w;
    Some(match kind {
        "Deployment" => Explanation::Deployment(w::explain_deployment(object, related, now)),
        "ReplicaSet" => Explanation::ReplicaSet(w::explain_replica_set(object, related, now)),
        "StatefulSet" => Explanation::StatefulSet(w::explain_stateful_set(object, related, now)),
        "DaemonSet" => Explanation::DaemonSet(w::explain_daemon_set(object, related, now)),
        "Job" => Explanation::Job(w::explain_job(object, related, now)),
        "CronJob" => Explanation::CronJob(w::explain_cron_job(object, related, now)),
        "Service" => Explanation::Service(w::explain_service(object, related, now)),
        _ => return None,
    })
}

/// Why a pod shows its READY, STATUS and RESTARTS.
#[derive(Debug, Clone, Serialize)]
pub struct PodExplanation {
    pub name: String,
    /// How healthy the status reads, for colour.
    #[serde(skip)]
    pub health: Health,
    pub namespace: String,
    pub ready: String,
    pub status: String,
    pub restarts: String,
    pub qos: String,
    pub age: String,
    pub node: String,
    pub steps: Vec<Step>,
    pub hints: Vec<String>,
}

/// Why a node shows its STATUS and ROLES.
#[derive(Debug, Clone, Serialize)]
pub struct NodeExplanation {
    pub name: String,
    /// How healthy the status reads, for colour.
    #[serde(skip)]
    pub health: Health,
    pub status: String,
    pub roles: String,
    pub age: String,
    pub version: String,
    pub steps: Vec<Step>,
    pub hints: Vec<String>,
}

/// Why a namespace shows its STATUS (and what holds it in Terminating).
#[derive(Debug, Clone, Serialize)]
pub struct NamespaceExplanation {
    pub name: String,
    /// How healthy the status reads, for colour.
    #[serde(skip)]
    pub health: Health,
    pub status: String,
    pub age: String,
    pub steps: Vec<Step>,
    pub hints: Vec<String>,
}

/// Explains a pod at `now`, using the events about it as evidence.
pub fn explain_pod(pod: &Pod, events: &[&Event], now: Timestamp) -> PodExplanation {
    let mut steps = Vec::new();
    let columns = pod_columns(pod, now, &mut steps);
    let qos = pod_qos(pod, &mut steps);
    let hints = pod_hints(&HintInput {
        pod,
        columns: &columns,
        qos: &qos,
        events,
        now,
    });
    PodExplanation {
        name: pod.metadata.name.clone(),
        health: pod_health(&columns),
        namespace: pod.metadata.namespace.clone(),
        ready: columns.ready,
        status: columns.status,
        restarts: columns.restarts,
        qos: qos.shown,
        age: age(pod.metadata.creation_timestamp, now),
        node: pod.spec.node_name.clone(),
        steps,
        hints,
    }
}

/// Explains a node at `now`.
pub fn explain_node(node: &Node, now: Timestamp) -> NodeExplanation {
    let mut steps = Vec::new();
    let row = node_row(node, now, &mut steps);
    NodeExplanation {
        name: row.name,
        health: node_health(&row.status),
        status: row.status,
        roles: row.roles,
        age: row.age,
        version: row.version,
        steps,
        hints: node_hints(node, now),
    }
}

/// Explains a namespace at `now`.
pub fn explain_namespace(namespace: &Namespace, now: Timestamp) -> NamespaceExplanation {
    let mut steps = Vec::new();
    let row = namespace_row(namespace, now, &mut steps);
    NamespaceExplanation {
        name: row.name,
        health: namespace_health(&row.status),
        status: row.status,
        age: row.age,
        steps,
        hints: namespace_hints(namespace, now),
    }
}

/// Explains every Pod, Node, Namespace, workload and Service among `objects`, in order; Events
/// among them serve as evidence for the objects they are about, and the pods, ReplicaSets and
/// Jobs among them as the members of the workloads that select or own them.
pub fn explain_objects(objects: &[KubeObject], now: Timestamp) -> Vec<Explanation> {
    explanations(objects, now).collect()
}

/// `explain_objects` one at a time, so a dump of thousands of objects is written as it is
/// explained rather than held whole.
pub fn explanations(objects: &[KubeObject], now: Timestamp) -> impl Iterator<Item = Explanation> {
    let events: Vec<&Event> = objects
        .iter()
        .filter_map(|object| match object {
            KubeObject::Event(event) => Some(event.as_ref()),
            _ => None,
        })
        .collect();
    // The events about pods by the pod's name: each pod reads its own few, not every event.
    let mut pod_events: HashMap<&str, Vec<&Event>> = HashMap::new();
    for event in &events {
        if event.involved_object.kind == "Pod" {
            pod_events
                .entry(event.involved_object.name.as_str())
                .or_default()
                .push(event);
        }
    }
    let pods: Vec<&Pod> = objects
        .iter()
        .filter_map(|object| match object {
            KubeObject::Pod(pod) => Some(pod.as_ref()),
            _ => None,
        })
        .collect();
    let owned: Vec<&serde_json::Value> = objects
        .iter()
        .filter_map(|object| match object {
            KubeObject::Workload(_, object) => Some(object.as_ref()),
            _ => None,
        })
        .collect();
    objects.iter().filter_map(move |object| match object {
        KubeObject::Pod(pod) => {
            let about: Vec<&Event> = pod_events
                .get(pod.metadata.name.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|e| e.is_about("Pod", &pod.metadata))
                .collect();
            Some(Explanation::Pod(explain_pod(pod, &about, now)))
        }
        KubeObject::Node(node) => Some(Explanation::Node(explain_node(node, now))),
        KubeObject::Namespace(namespace) => {
            Some(Explanation::Namespace(explain_namespace(namespace, now)))
        }
        KubeObject::Workload(kind, object) => {
            let related = Related {
                pods: &pods,
                owned: &owned,
                events: &events,
            };
            explain_workload(kind, object, &related, now)
        }
        KubeObject::Event(_) => None,
    })
}
