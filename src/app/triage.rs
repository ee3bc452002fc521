//! The triage view's state: the findings of what the watches hold (`model::findings`), worked
//! out again when objects have changed, planned on the clock's tick (once a second at most,
//! never on a keystroke's path) and worked out on triage's worker (`findings_job`), and the
//! findings resolved lately, kept a while to be shown greyed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};

use super::findings_job::{FindingsJob, JobId, WorkedFindings};
use super::interned::LabelSet;
use super::pod_readings::{PodChanges, PodReadings};
use super::pulse::{Pulse, PulseHistory};
use super::resources::{Key, MaybeDown};
use super::state::{App, Drill, Mode, Pane};
use crate::model::event::Event;
use crate::model::findings::Finding;
use crate::model::health::Health;
use crate::model::inbox::ClusterMessage;
use crate::model::kind::WatchedKind;
use crate::model::packed_text::PackedText;
use crate::model::watched::WatchedObject;
use serde_json::Value;

/// How long a resolved finding stays on the list.
pub const RESOLVED_FOR: SignedDuration = SignedDuration::from_secs(2 * 60);
/// A running pod whose container was OOMKilled this recently is read (it is a finding).
const RECENT_RESTART: SignedDuration = SignedDuration::from_secs(60 * 60);

/// The findings now and those resolved lately.
#[derive(Debug, Default)]
pub struct Triage {
    /// Ranked, most urgent first.
    pub findings: Vec<Finding>,
    /// Findings no longer true, with when they stopped, newest first.
    pub resolved: Vec<(Finding, Timestamp)>,
    /// The counts worked out with them.
    pub pulse: Pulse,
    /// The pulse's last minutes.
    pub history: PulseHistory,
    /// What was read of the pods that may be down, kept between refreshes (lent to the job
    /// while one is out).
    pub readings: PodReadings,
    /// The pods changed since the last job was planned (handed to the next).
    pub(crate) changes: PodChanges,
    /// The job handed to the worker and not yet answered: no other is planned meanwhile.
    pub(crate) working: Option<JobId>,
    /// The job planned, until the runtime takes it.
    pub(crate) job: Option<Box<FindingsJob>>,
    /// When the findings were last worked out; None before the first time.
    pub computed: Option<Timestamp>,
    /// Objects changed since.
    pub(crate) stale: bool,
    /// The pod explainer's next steps of the pods' findings the view has shown, by id;
    /// emptied when the findings are worked out again.
    pub(crate) pod_hints: HashMap<String, Vec<String>>,
}

impl Triage {
    /// The findings and then the resolved ones, as the view lists them.
    pub fn lines(&self) -> impl Iterator<Item = (&Finding, Option<Timestamp>)> {
        self.findings
            .iter()
            .map(|f| (f, None))
            .chain(self.resolved.iter().map(|(f, at)| (f, Some(*at))))
    }

    /// How many lines the view lists.
    pub fn len(&self) -> usize {
        self.findings.len() + self.resolved.len()
    }

    /// The next steps of a finding: its own, or the pod explainer's for one of its pods once
    /// the view has asked for them (`App::explain_finding`).
    pub fn hints<'a>(&'a self, finding: &'a Finding) -> &'a [String] {
        if finding.hints.is_empty() {
            self.pod_hints
                .get(&finding.id)
                .map(Vec::as_slice)
                .unwrap_or(&[])
        } else {
            &finding.hints
        }
    }

    /// Whether the view lists nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A pod row's READINESS GATES (`<none>` or `ready/total`) all met.
fn gates_ready(gates: &str) -> bool {
    gates
        .split_once('/')
        .is_none_or(|(ready, total)| ready == total)
}

impl App {
    /// Works the findings out again if objects changed since the last time (or readings aged);
    /// lets resolved ones older than `RESOLVED_FOR` go. With a worker (`findings_on_worker`)
    /// the work is planned here and handed over (`take_findings_job`), one at a time;
    /// otherwise it is done at once.
    pub fn refresh_findings(&mut self) {
        let now = self.now;
        let before = self.triage.resolved.len();
        self.triage
            .resolved
            .retain(|(_, at)| now.duration_since(*at) < RESOLVED_FOR);
        if before != self.triage.resolved.len() {
            self.dirty = true;
        }
        if self.triage.working.is_some() {
            return;
        }
        // Causes also turn on time (a pod still starting becomes a finding after two
        // minutes; evidence names ages): worked out again as readings age, changes or not.
        let aged = self
            .triage
            .computed
            .is_none_or(|at| now.duration_since(at) >= super::pod_readings::REREAD_AFTER);
        if !self.triage.stale && !aged {
            return;
        }
        // Before the pods are listed, "no problems" would be a claim nobody checked.
        if self.synced.get(&WatchedKind::Pods) != Some(&true) {
            return;
        }
        let job = self.plan_findings();
        self.triage.stale = false;
        if self.findings_on_worker {
            self.triage.working = Some(job.id);
            self.triage.job = Some(Box::new(job));
        } else {
            let worked = job.work_out();
            self.take_findings(worked);
        }
    }

    /// The findings' work planned for the worker, once (the runtime hands it over).
    pub fn take_findings_job(&mut self) -> Option<Box<FindingsJob>> {
        self.triage.job.take()
    }

    /// The worker's answer to a job. Only the answer to this app's job out is taken: one to
    /// a job planned before a switch of context (another app's) is dropped.
    pub fn findings_worked(&mut self, worked: WorkedFindings) {
        if self.triage.working == Some(worked.id) {
            self.triage.working = None;
            self.take_findings(worked);
        }
    }

    fn take_findings(&mut self, worked: WorkedFindings) {
        let WorkedFindings {
            id: _,
            now,
            findings,
            readings,
            pulse,
        } = worked;
        self.triage.readings = readings;
        self.triage.pulse = pulse;
        let current: HashSet<&str, RandomState> = findings.iter().map(|f| f.id.as_str()).collect();
        let mut resolved: Vec<(Finding, Timestamp)> = std::mem::take(&mut self.triage.findings)
            .into_iter()
            .filter(|f| !current.contains(f.id.as_str()))
            .map(|f| (f, now))
            .collect();
        resolved.extend(
            std::mem::take(&mut self.triage.resolved)
                .into_iter()
                .filter(|(f, _)| !current.contains(f.id.as_str())),
        );
        self.triage.findings = findings;
        self.triage.resolved = resolved;
        self.triage.pod_hints.clear();
        self.triage.computed = Some(now);
        self.dirty = true;
    }

    /// What working the findings out reads, gathered from what the watches hold. Only pods
    /// that can be part of one are read: those not healthy, OOMKilled lately, or on a node
    /// that is not Ready (kept as they change: `Resources::maybe_down`); and of those the job
    /// reads only the ones changed or aged since the last time (`PodReadings::take_in`). Pods
    /// are typed for the other causes only where those read them:
    /// on nodes that are down, and, when workloads or Services are held, in their namespaces.
    fn plan_findings(&mut self) -> FindingsJob {
        let now = self.now;
        let resources = &self.resources;
        let down = resources.down_nodes();
        let recent = |restart: Option<Timestamp>| {
            restart.is_some_and(|at| now.duration_since(at) < RECENT_RESTART)
        };
        let candidates: Vec<(&Arc<Key>, &MaybeDown)> = resources
            .maybe_down()
            .iter()
            .filter(|(_, p)| {
                !matches!(p.health, Health::Healthy | Health::Done)
                    || down.contains(&*p.node_name)
                    || (p.oom_killed && recent(p.last_restart))
            })
            .collect();
        let workloads: Vec<(&'static str, Arc<Value>)> = resources
            .generic
            .iter()
            .flat_map(|(kind, objects)| {
                objects
                    .values()
                    .map(move |object| (kind.kind_name(), object.clone()))
            })
            .collect();
        let workload_namespaces: HashSet<&str, RandomState> = workloads
            .iter()
            .filter_map(|(_, object)| object.pointer("/metadata/namespace")?.as_str())
            .collect();
        let typed: Vec<PackedText> = candidates
            .iter()
            .filter(|(key, p)| {
                down.contains(&*p.node_name) || workload_namespaces.contains(key.0.as_str())
            })
            .map(|(_, p)| p.text.clone())
            .collect();
        // The Services' endpoints: the pods typed above are the ones that may be down; the
        // others in the Services' namespaces are read from their rows (Running with every
        // container and readiness gate ready is the Ready condition).
        let service_namespaces: BTreeSet<&str> = workloads
            .iter()
            .filter(|(kind, _)| *kind == "Service")
            .filter_map(|(_, object)| object.pointer("/metadata/namespace")?.as_str())
            .collect();
        let ready_pods: Vec<(String, Vec<LabelSet>)> = service_namespaces
            .iter()
            .map(|namespace| {
                let labels = resources
                    .pods
                    .range((namespace.to_string(), String::new())..)
                    .take_while(|((held, _), _)| held == namespace)
                    .filter(|(_, p)| {
                        p.health == Health::Healthy
                            && gates_ready(&p.row.readiness_gates)
                            && !down.contains(&*p.node_name)
                    })
                    .map(|(_, p)| p.labels.clone())
                    .collect();
                (namespace.to_string(), labels)
            })
            .collect();
        FindingsJob {
            id: JobId::next(),
            now,
            readings: std::mem::take(&mut self.triage.readings),
            candidates: candidates
                .into_iter()
                .map(|(key, p)| (key.clone(), p.text.clone()))
                .collect(),
            changes: std::mem::take(&mut self.triage.changes),
            typed,
            nodes: resources.nodes.values().map(|n| n.object.clone()).collect(),
            namespaces: resources
                .namespaces
                .values()
                .map(|n| n.object.clone())
                .collect(),
            events: resources.events.shared().cloned().collect(),
            workloads,
            ready_pods,
            pulse: self.pulse(),
        }
    }

    /// Tells the pods' readings which pods a message changes: a pod, or an event about one.
    pub(crate) fn note_for_triage(&mut self, message: &ClusterMessage) {
        let readings = &mut self.triage.changes;
        match message {
            ClusterMessage::Listing {
                kind: WatchedKind::Pods,
            } => readings.all_changed(),
            ClusterMessage::Applied {
                kind: WatchedKind::Pods,
                object,
            } => readings.changed_with(|| object.key()),
            ClusterMessage::Deleted {
                kind: WatchedKind::Pods,
                key,
            } => readings.changed(key.clone()),
            ClusterMessage::Applied {
                kind: WatchedKind::Events,
                object: WatchedObject::Event(event),
            } if event.involved_object.kind == "Pod" => readings.changed((
                event.involved_object.namespace.clone(),
                event.involved_object.name.clone(),
            )),
            _ => {}
        }
    }

    /// `:triage`: the findings, worked out now if objects changed.
    pub(crate) fn open_triage(&mut self) {
        // Claims stuck Pending are findings: their watch starts with the view, not at launch.
        self.health
            .entry(WatchedKind::PersistentVolumeClaims)
            .or_insert(super::state::WatchHealth::Syncing);
        self.refresh_findings();
        self.mode = Mode::Triage { selected: 0 };
        self.explain_finding(0);
    }

    /// The pod explainer's next steps for the finding on line `selected`, from its first pod
    /// the watches still hold, kept until the findings are worked out again.
    pub(crate) fn explain_finding(&mut self, selected: usize) {
        let Some((finding, _)) = self.triage.lines().nth(selected) else {
            return;
        };
        if !finding.hints.is_empty() || self.triage.pod_hints.contains_key(&finding.id) {
            return;
        }
        let id = finding.id.clone();
        let Some((key, entry)) = finding
            .members
            .iter()
            .filter(|m| m.kind == "Pod")
            .find_map(|m| {
                let key = (m.namespace.clone(), m.name.clone());
                self.resources.pods.get(&key).map(|entry| (key, entry))
            })
        else {
            return;
        };
        let pod = entry.pod();
        let events: Vec<&Event> = self
            .resources
            .events
            .values()
            .filter(|e| e.involved_object.namespace == key.0 && e.is_about("Pod", &pod.metadata))
            .collect();
        let hints = crate::model::findings::pod_hints(&pod, &events, self.now);
        self.triage.pod_hints.insert(id, hints);
    }

    /// The finding under the view's cursor.
    pub fn selected_finding(&self, selected: usize) -> Option<(&Finding, Option<Timestamp>)> {
        self.triage.lines().nth(selected)
    }

    /// `enter` on a finding: its pods as a pods pane (every pane key works there), else its
    /// nodes, namespaces or workloads in their pane with the cursor on the first.
    pub(crate) fn open_finding(&mut self, selected: usize) {
        let Some((finding, _)) = self.selected_finding(selected) else {
            return;
        };
        let finding = finding.clone();
        let pods: BTreeSet<Key> = finding
            .members
            .iter()
            .filter(|m| m.kind == "Pod")
            .map(|m| (m.namespace.clone(), m.name.clone()))
            .collect();
        self.mode = Mode::Normal;
        self.leave();
        self.filter.clear();
        if !pods.is_empty() {
            self.pane = Pane::Pods;
            self.drill = Some(Drill::Members {
                title: finding.cause.clone(),
                keys: pods,
            });
            self.select(0);
            return;
        }
        let Some(first) = finding.members.first() else {
            return;
        };
        let pane = match WatchedKind::named(&first.kind.to_ascii_lowercase()) {
            Some(kind) => Pane::of_kind(kind),
            None => {
                self.message = Some(format!("{} cannot be opened here", first.display()));
                return;
            }
        };
        if let Pane::Kind(kind) = pane {
            self.health
                .entry(kind)
                .or_insert(super::state::WatchHealth::Syncing);
        }
        self.pane = pane;
        self.drill = None;
        if self
            .namespace
            .as_ref()
            .is_some_and(|n| *n != first.namespace)
            && !first.namespace.is_empty()
        {
            self.set_namespace(None);
        }
        self.cursors.insert(
            pane,
            super::selection::Cursor {
                key: Some((first.namespace.clone(), first.name.clone())),
                row: 0,
            },
        );
        self.settle();
    }
}
