//! Cordon, uncordon and drain, carried out against the cluster as kubectl does them
//! (`k8s.io/kubectl/pkg/drain`), reporting each step as a message rather than printing it.
//!
//! What to remove is decided by [`plan_drain`](crate::model::drain::plan_drain); this module
//! does the IO around it: the cordon patch, the pod list and DaemonSet reads the plan needs, the
//! evictions (or deletions) in parallel, and the wait for each pod to be gone.
//!
//! kube-rs's default client retries a 429 itself, up to 15 times with a back-off that grows to
//! minutes, so a refused eviction would not be seen until the retries run out. A refused
//! eviction is the one answer a drain must see at once (to show the budget that holds it), and
//! no request body can opt out of that retry layer, so:
//! - the caller should pass a client built with `Config::default_retry = false`, which answers
//!   every 429 at once with the server's message and budget name;
//! - with any other client, an eviction still unanswered after [`RETRYING_CLIENT_PROBE`] is taken
//!   to be a 429 being retried when a disruption budget of the pod allows no disruption: the
//!   budget is shown from its status and the attempt dropped, to be made again after the retry
//!   delay as kubectl does.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, Patch, PatchParams};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::model::drain::{
    DaemonSetLookup, Decision, DrainOptions, DrainPlan, InvalidPodSelector, plan_drain,
};
use crate::model::drain_progress::{
    CordonOutcome, DrainProgress, DrainSummary, EVICTION_RETRY_DELAY, PodState, go_duration,
};
use crate::model::pod::Pod;
use crate::model::selector::{LabelSelector, LabelSelectorSpec};

mod cordon;
mod eviction;

pub use cordon::set_unschedulable;
use cordon::{CordonError, change_unschedulable};
#[cfg(test)]
use eviction::budget_name_in;
use eviction::{error_text, is_not_found, kubectl_error_line};

/// kubectl's pause between two looks at a pod it waits for.
const WAIT_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// How long an eviction may go unanswered before the pod's disruption budgets are read, in case
/// the client is retrying a 429 out of sight (see the module comment). An eviction is answered
/// in milliseconds; this is long past that and short against kubectl's 5 s retry delay.
pub const RETRYING_CLIENT_PROBE: Duration = Duration::from_secs(2);
/// kubectl lists the node's pods in pages of this many (`--chunk-size`).
const LIST_CHUNK_SIZE: usize = 500;
/// The API server's message when an eviction would violate a disruption budget.
const BUDGET_REFUSAL_MESSAGE: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";
/// The cause reason a budget refusal carries (`policyv1.DisruptionBudgetCause`).
const DISRUPTION_BUDGET_CAUSE: &str = "DisruptionBudget";
/// The cause reason of a 403 for a pod in a terminating namespace.
const NAMESPACE_TERMINATING_CAUSE: &str = "NamespaceTerminating";
/// What Go's context says when a deadline passed; kubectl 1.37 ends a timed-out wait with it.
const DEADLINE_EXCEEDED: &str = "context deadline exceeded";

// ---------------------------------------------------------------------------------------------
// Drain: messages
// ---------------------------------------------------------------------------------------------

/// A drain running in the background.
pub struct DrainHandle {
    pub task: JoinHandle<()>,
    cancel: watch::Sender<bool>,
}

impl DrainHandle {
    /// Stops the drain: no further eviction is started and nothing more is waited for; the
    /// last message is a cancelled [`DrainSummary`]. Evictions already granted go on in the
    /// cluster, and the node stays cordoned. Dropping the handle does not cancel.
    pub fn cancel(&self) {
        let _ = self.cancel.send(true);
    }
}

// ---------------------------------------------------------------------------------------------
// Drain: the run
// ---------------------------------------------------------------------------------------------

/// Drains `node` in the background as `kubectl drain` does, sending each step to `sender`:
/// cordon; list the node's pods and plan; unless the plan is blocked, evict (or delete) the
/// pods in parallel, retrying refused evictions every 5 s; wait for each to be gone, within
/// `options.timeout`; finish with kubectl's line.
pub fn spawn_drain(
    client: kube::Client,
    node: String,
    options: DrainOptions,
    sender: UnboundedSender<DrainProgress>,
) -> DrainHandle {
    let (cancel, mut cancelled) = watch::channel(false);
    let task = tokio::spawn(async move {
        let reporter = Reporter {
            sender,
            node: node.clone(),
            tally: Mutex::new(Tally::default()),
        };
        let drain = Drain {
            client,
            node,
            options,
            reporter: &reporter,
        };
        // Dropping the run on a cancel drops every eviction and wait in flight with it.
        let summary = tokio::select! {
            summary = drain.run() => summary,
            () = cancel_requested(&mut cancelled) => reporter.cancelled_summary(),
        };
        reporter.send(DrainProgress::Finished(summary));
    });
    DrainHandle { task, cancel }
}

/// The plan `kubectl drain` would follow for `node` with `options`, read from the cluster
/// (the node's pods, and the DaemonSets they name), without changing anything: what the drain
/// dialog shows before it asks for confirmation.
pub async fn plan(
    client: kube::Client,
    node: String,
    options: DrainOptions,
) -> Result<DrainPlan, String> {
    let (sender, _) = tokio::sync::mpsc::unbounded_channel();
    let reporter = Reporter {
        sender,
        node: node.clone(),
        tally: Mutex::new(Tally::default()),
    };
    let drain = Drain {
        client,
        node,
        options,
        reporter: &reporter,
    };
    match drain.plan().await {
        Ok((_, plan)) => Ok(plan),
        Err(PlanFailure::Pods(error)) => Err(error),
        Err(PlanFailure::Selector(invalid)) => Err(format!("error: {invalid}")),
    }
}

/// Resolves when a cancel is asked for; never when the handle was dropped without one.
async fn cancel_requested(cancelled: &mut watch::Receiver<bool>) {
    if cancelled.wait_for(|cancel| *cancel).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// A pod the drain removes, with what it needs to know about it.
#[derive(Debug, Clone)]
struct Target {
    namespace: String,
    name: String,
    /// Tells the pod from a new one of the same name (a StatefulSet's replacement).
    uid: String,
    /// Its deletion was requested already (matters for a terminating namespace's 403).
    deleting: bool,
}

impl Target {
    fn key(&self) -> (String, String) {
        (self.namespace.clone(), self.name.clone())
    }
}

/// How the pods are removed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Removal {
    /// POST `pods/NAME/eviction` with an `Eviction` of this apiVersion (`policy/v1`, or
    /// `policy/v1beta1` on servers that only have that).
    Evict {
        api_version: String,
    },
    Delete,
}

/// What a drain has done so far, kept for the summary (a cancel needs it mid-run).
#[derive(Debug, Default)]
struct Tally {
    cordoned: bool,
    deleting_instead: bool,
    to_remove: usize,
    plan_skipped: usize,
    /// Pods whose eviction or deletion the server accepted (or that were gone already).
    accepted: BTreeSet<(String, String)>,
    removed: usize,
    wait_skipped: usize,
    /// Per failed pod, kubectl's error, in the order they happened.
    errors: Vec<String>,
}

/// Sends messages and keeps the tally.
struct Reporter {
    sender: UnboundedSender<DrainProgress>,
    node: String,
    tally: Mutex<Tally>,
}

impl Reporter {
    fn send(&self, progress: DrainProgress) {
        // Nobody listening is no reason to stop a drain: kubectl's would go on unwatched too.
        let _ = self.sender.send(progress);
    }

    fn with_tally<T>(&self, change: impl FnOnce(&mut Tally) -> T) -> T {
        let mut tally = self
            .tally
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        change(&mut tally)
    }

    fn pod(&self, target: &Target, state: PodState) {
        match &state {
            PodState::Deleted => self.with_tally(|t| {
                t.accepted.insert(target.key());
                t.removed += 1;
            }),
            PodState::Skipped(_) => self.with_tally(|t| t.wait_skipped += 1),
            PodState::Failed(error) => self.with_tally(|t| t.errors.push(error.clone())),
            _ => {}
        }
        self.send(DrainProgress::Pod {
            namespace: target.namespace.clone(),
            name: target.name.clone(),
            state,
        });
    }

    fn accepted(&self, target: &Target) {
        self.with_tally(|t| t.accepted.insert(target.key()));
    }

    /// A drain that ended before any pod was removed, with kubectl's line.
    fn stopped(&self, text: String) -> DrainSummary {
        self.with_tally(|t| DrainSummary {
            evicted: 0,
            deleted: 0,
            failed: 0,
            skipped: t.plan_skipped,
            cancelled: false,
            node_left_cordoned: t.cordoned,
            text,
        })
    }

    /// The summary once every removal has ended.
    fn finished_summary(&self) -> DrainSummary {
        self.with_tally(|t| {
            let text = match aggregate(&t.errors) {
                None => format!("node/{} drained", self.node),
                Some(error) => drain_failure_line(&self.node, &error),
            };
            let (evicted, deleted) = if t.deleting_instead {
                (0, t.removed)
            } else {
                (t.removed, 0)
            };
            DrainSummary {
                evicted,
                deleted,
                failed: t.errors.len(),
                skipped: t.plan_skipped + t.wait_skipped,
                cancelled: false,
                node_left_cordoned: t.cordoned,
                text,
            }
        })
    }

    /// The summary when the drain was cancelled: pods whose removal the server accepted count
    /// as removed, as they go on terminating.
    fn cancelled_summary(&self) -> DrainSummary {
        self.with_tally(|t| {
            let removed = t.accepted.len();
            let not_removed = t.to_remove.saturating_sub(removed);
            let verb = if t.deleting_instead {
                "deleted"
            } else {
                "evicted"
            };
            let pods = if removed == 1 {
                "1 pod was".to_string()
            } else {
                format!("{removed} pods were")
            };
            let node_state = if t.cordoned {
                "stays cordoned"
            } else {
                "was not cordoned"
            };
            let (evicted, deleted) = if t.deleting_instead {
                (0, removed)
            } else {
                (removed, 0)
            };
            DrainSummary {
                evicted,
                deleted,
                failed: t.errors.len(),
                skipped: t.plan_skipped + t.wait_skipped,
                cancelled: true,
                node_left_cordoned: t.cordoned,
                text: format!(
                    "drain cancelled: node {} {node_state}; {pods} {verb}, {not_removed} not",
                    self.node
                ),
            }
        })
    }
}

/// kubectl's line for a node it could not drain.
fn drain_failure_line(node: &str, error: &str) -> String {
    format!("error: unable to drain node \"{node}\" due to error: {error}, continuing command...")
}

/// Errors as apimachinery's `NewAggregate` prints them: the one message, or `[a, b]` with
/// repeats dropped.
fn aggregate(errors: &[String]) -> Option<String> {
    let mut unique: Vec<&str> = Vec::new();
    for error in errors {
        if !unique.contains(&error.as_str()) {
            unique.push(error);
        }
    }
    match unique.as_slice() {
        [] => None,
        [only] => Some((*only).to_string()),
        many => Some(format!("[{}]", many.join(", "))),
    }
}

struct Drain<'a> {
    client: kube::Client,
    node: String,
    options: DrainOptions,
    reporter: &'a Reporter,
}

/// Why no plan could be made.
enum PlanFailure {
    /// The node's pods could not be listed.
    Pods(String),
    Selector(InvalidPodSelector),
}

impl Drain<'_> {
    /// The node's pods and the plan for them, as kubectl decides it: the DaemonSets the pods
    /// name are read first (a missing one matters).
    async fn plan(&self) -> Result<(Vec<Pod>, DrainPlan), PlanFailure> {
        let pods = self.pods_on_node().await.map_err(PlanFailure::Pods)?;
        let daemon_sets = self.daemon_sets_of(&pods).await;
        let lookup = |namespace: &str, name: &str| {
            daemon_sets
                .get(&(namespace.to_string(), name.to_string()))
                .cloned()
                .unwrap_or(DaemonSetLookup::Exists)
        };
        let plan = plan_drain(&self.node, &pods, &self.options, &lookup, Timestamp::now())
            .map_err(PlanFailure::Selector)?;
        Ok((pods, plan))
    }

    async fn run(&self) -> DrainSummary {
        let node = self.node.as_str();
        // kubectl refuses a bad --pod-selector before it touches anything.
        if let Some(text) = self
            .options
            .pod_selector
            .as_deref()
            .filter(|s| !s.is_empty())
            && let Err(error) = LabelSelector::parse(text)
        {
            let invalid = InvalidPodSelector {
                selector: text.to_string(),
                error,
            };
            return self.reporter.stopped(format!("error: {invalid}"));
        }

        match change_unschedulable(&self.client, node, true, false).await {
            Ok(outcome) => {
                self.reporter.with_tally(|t| t.cordoned = true);
                self.reporter.send(if outcome.changed {
                    DrainProgress::Cordoned
                } else {
                    DrainProgress::AlreadyCordoned
                });
            }
            // kubectl resolves the node before anything else and stops when it cannot.
            Err(CordonError::Read(error)) => {
                return self.reporter.stopped(kubectl_error_line(&error));
            }
            Err(CordonError::Write(error)) => {
                self.reporter.send(DrainProgress::CordonFailed(format!(
                    "error: unable to cordon node \"{node}\": {error}"
                )));
            }
        }

        let (pods, plan) = match self.plan().await {
            Ok(planned) => planned,
            Err(PlanFailure::Pods(error)) => {
                return self.reporter.stopped(drain_failure_line(node, &error));
            }
            Err(PlanFailure::Selector(invalid)) => {
                return self.reporter.stopped(format!("error: {invalid}"));
            }
        };
        let skipped = plan
            .pods
            .iter()
            .filter(|pod| matches!(pod.decision, Decision::Skip(_)))
            .count();
        let targets: Vec<Target> = plan
            .pods_to_remove()
            .iter()
            .filter_map(|planned| {
                pods.iter()
                    .find(|pod| {
                        pod.metadata.namespace == planned.namespace
                            && pod.metadata.name == planned.name
                    })
                    .map(|pod| Target {
                        namespace: pod.metadata.namespace.clone(),
                        name: pod.metadata.name.clone(),
                        uid: pod.metadata.uid.clone(),
                        deleting: pod.metadata.deletion_timestamp.is_some(),
                    })
            })
            .collect();
        self.reporter.with_tally(|t| {
            t.plan_skipped = skipped;
            t.to_remove = targets.len();
            t.deleting_instead = self.options.disable_eviction;
        });
        let failure = plan.failure_line();
        self.reporter.send(DrainProgress::Planned(plan));
        if let Some(line) = failure {
            return self.reporter.stopped(line);
        }
        if targets.is_empty() {
            return self.reporter.finished_summary();
        }
        for target in &targets {
            self.reporter.pod(target, PodState::Pending);
        }

        let removal = if self.options.disable_eviction {
            Removal::Delete
        } else {
            match self.eviction_support().await {
                Ok(removal) => removal,
                Err(error) => return self.reporter.stopped(drain_failure_line(node, &error)),
            }
        };
        self.reporter
            .with_tally(|t| t.deleting_instead = removal == Removal::Delete);
        let deadline = self.options.timeout.map(|timeout| Instant::now() + timeout);
        match &removal {
            Removal::Evict { api_version } => {
                futures::future::join_all(
                    targets
                        .iter()
                        .map(|target| self.evict_and_wait(target, api_version, deadline)),
                )
                .await;
            }
            Removal::Delete => self.delete_and_wait(&targets).await,
        }
        self.reporter.finished_summary()
    }

    /// The node's pods as kubectl lists them: every namespace, field selector
    /// `spec.nodeName=NODE`, label selector `--pod-selector`, in pages.
    async fn pods_on_node(&self) -> Result<Vec<Pod>, String> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct ListMeta {
            #[serde(rename = "continue")]
            next: String,
        }
        #[derive(Deserialize)]
        struct PodList {
            #[serde(default)]
            items: Vec<Pod>,
            #[serde(default)]
            metadata: ListMeta,
        }
        let field_selector = format!("spec.nodeName={}", self.node);
        let label_selector = self.options.pod_selector.clone().unwrap_or_default();
        let limit = LIST_CHUNK_SIZE.to_string();
        let mut pods = Vec::new();
        let mut next = String::new();
        loop {
            // kubectl's query, in its order.
            let mut query = vec![("fieldSelector", field_selector.as_str())];
            if !label_selector.is_empty() {
                query.push(("labelSelector", label_selector.as_str()));
            }
            query.push(("limit", limit.as_str()));
            if !next.is_empty() {
                query.push(("continue", next.as_str()));
            }
            let query = serde_urlencoded::to_string(&query).map_err(|e| e.to_string())?;
            let request = http::Request::get(format!("/api/v1/pods?{query}"))
                .body(Vec::new())
                .map_err(|e| e.to_string())?;
            let text = self
                .client
                .request_text(request)
                .await
                .map_err(|error| error_text(&error))?;
            let page: PodList = serde_json::from_str(&text)
                .map_err(|error| format!("the pod list could not be read: {error}"))?;
            pods.extend(page.items);
            if page.metadata.next.is_empty() {
                return Ok(pods);
            }
            next = page.metadata.next;
        }
    }

    /// Whether each DaemonSet that controls a pod exists, read once per DaemonSet (kubectl
    /// reads it for every such pod).
    async fn daemon_sets_of(&self, pods: &[Pod]) -> BTreeMap<(String, String), DaemonSetLookup> {
        let owners: BTreeSet<(String, String)> = pods
            .iter()
            .filter_map(|pod| {
                let owner = pod.metadata.controller()?;
                (owner.kind == "DaemonSet" && owner.api_version == "apps/v1")
                    .then(|| (pod.metadata.namespace.clone(), owner.name.clone()))
            })
            .collect();
        let mut found = BTreeMap::new();
        for (namespace, name) in owners {
            let path = format!("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}");
            let lookup = match self.get_text(&path).await {
                Ok(_) => DaemonSetLookup::Exists,
                Err(error) if is_not_found(&error) => DaemonSetLookup::NotFound,
                Err(error) => DaemonSetLookup::Failed(error_text(&error)),
            };
            found.insert((namespace, name), lookup);
        }
        found
    }
}

#[cfg(test)]
#[path = "drain_tests.rs"]
mod tests;
