//! Triage's work of a tick, apart from the loop: the pods that changed read again, then
//! `model::findings::triage` over everything. At 51,539 pods under `kscope sim --churn 200` it
//! took 30 to 100 ms each second, and a key pressed meanwhile waited for it. The loop plans
//! the work (`App::refresh_findings`) and hands it over with what it reads, shared rather than
//! copied (`Arc`s, the pods' packed texts), and the readings kept between refreshes; the
//! worker's answer brings the readings back with the findings (`App::findings_worked`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde_json::Value;

use super::interned::LabelSet;
use super::pod_readings::{PodChanges, PodReadings};
use super::pulse::Pulse;
use super::resources::Key;
use crate::model::event::Event;
use crate::model::findings::{Finding, TriageInput, triage};
use crate::model::namespace::Namespace;
use crate::model::node::Node;
use crate::model::packed_text::PackedText;
use crate::model::pod::Pod;
use crate::model::selector::Labels;

/// Numbers the jobs of the whole process: an answer is taken only by the app that asked for
/// it, and only for its last job (an app after a switch of context is a new app).
static JOBS: AtomicU64 = AtomicU64::new(0);

/// A job's number, unique in the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobId(u64);

impl JobId {
    pub(super) fn next() -> Self {
        JobId(JOBS.fetch_add(1, Ordering::Relaxed))
    }
}

/// What one working out of the findings reads, owned.
#[derive(Debug)]
pub struct FindingsJob {
    pub(super) id: JobId,
    pub(super) now: Timestamp,
    /// The readings kept, lent to the job.
    pub(super) readings: PodReadings,
    /// The pods that can be down, in the pods' order.
    pub(super) candidates: Vec<(Arc<Key>, PackedText)>,
    /// The pods changed since the last job.
    pub(super) changes: PodChanges,
    /// The pods the other causes read (on nodes that are down, in namespaces with workloads or
    /// Services), typed by the job.
    pub(super) typed: Vec<PackedText>,
    pub(super) nodes: Vec<Arc<Node>>,
    pub(super) namespaces: Vec<Arc<Namespace>>,
    pub(super) events: Vec<Arc<Event>>,
    /// Workloads and Services, with their kind.
    pub(super) workloads: Vec<(&'static str, Arc<Value>)>,
    /// The labels of the pods Ready in the Services' namespaces, by namespace.
    pub(super) ready_pods: Vec<(String, Vec<LabelSet>)>,
    /// Counted on the loop when the job was planned.
    pub(super) pulse: Pulse,
}

/// The findings a job worked out, with the readings it was lent.
#[derive(Debug)]
pub struct WorkedFindings {
    pub(super) id: JobId,
    pub(super) now: Timestamp,
    pub(super) findings: Vec<Finding>,
    pub(super) readings: PodReadings,
    pub(super) pulse: Pulse,
}

impl FindingsJob {
    /// Reads the pods planned and works the findings out.
    pub fn work_out(self) -> WorkedFindings {
        let FindingsJob {
            id,
            now,
            mut readings,
            candidates,
            changes,
            typed,
            nodes,
            namespaces,
            events,
            workloads,
            ready_pods,
            pulse,
        } = self;
        let events: Vec<&Event> = events.iter().map(|event| &**event).collect();
        let pods: Vec<Pod> = typed
            .iter()
            .map(crate::model::watched::unpack_pod)
            .collect();
        let pods: Vec<&Pod> = pods.iter().collect();
        let nodes: Vec<&Node> = nodes.iter().map(|node| &**node).collect();
        let namespaces: Vec<&Namespace> = namespaces.iter().map(|n| &**n).collect();
        let workloads: Vec<(&str, &Value)> = workloads
            .iter()
            .map(|(kind, object)| (*kind, &**object))
            .collect();
        let ready_pods: Vec<(&str, &dyn Labels)> = ready_pods
            .iter()
            .flat_map(|(namespace, labels)| {
                labels
                    .iter()
                    .map(move |labels| (namespace.as_str(), labels as &dyn Labels))
            })
            .collect();
        let read = readings.take_in(&candidates, changes, &events, now);
        let findings = triage(&TriageInput {
            pods: &pods,
            nodes: &nodes,
            namespaces: &namespaces,
            events: &events,
            workloads: &workloads,
            now,
            pod_hints: false,
            readings: Some(&read),
            ready_pods: &ready_pods,
        });
        drop(read);
        WorkedFindings {
            id,
            now,
            findings,
            readings,
            pulse,
        }
    }
}
