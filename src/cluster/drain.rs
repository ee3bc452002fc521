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
// Cordon and uncordon
// ---------------------------------------------------------------------------------------------

/// Why a cordon failed: reading the node (kubectl stops there) or writing it (kubectl reports
/// it and drains anyway).
enum CordonError {
    Read(kube::Error),
    Write(String),
}

/// Cordons (`unschedulable = true`) or uncordons a node as `kubectl cordon` / `uncordon` do: the
/// node is read, nothing is sent when it already has the value ("already cordoned"), else a
/// strategic merge patch of `spec.unschedulable` (with `dryRun=All` when `dry_run`). An error is
/// one line naming the call, with the server's message verbatim.
pub async fn set_unschedulable(
    client: &kube::Client,
    node: &str,
    unschedulable: bool,
    dry_run: bool,
) -> Result<CordonOutcome, String> {
    change_unschedulable(client, node, unschedulable, dry_run)
        .await
        .map_err(|error| match error {
            CordonError::Read(error) => format!("get node \"{node}\": {}", error_text(&error)),
            CordonError::Write(text) => format!("patch node \"{node}\": {text}"),
        })
}

async fn change_unschedulable(
    client: &kube::Client,
    node: &str,
    unschedulable: bool,
    dry_run: bool,
) -> Result<CordonOutcome, CordonError> {
    let nodes: Api<Node> = Api::all(client.clone());
    let current = nodes.get(node).await.map_err(CordonError::Read)?;
    let was = current
        .spec
        .and_then(|spec| spec.unschedulable)
        .unwrap_or(false);
    let mut outcome = CordonOutcome {
        node: node.to_string(),
        unschedulable,
        changed: false,
        dry_run,
    };
    if was == unschedulable {
        return Ok(outcome);
    }
    // kubectl's two-way merge of the node before and after: the field is `omitempty`, so
    // uncordoning removes it rather than writing `false`.
    let value = if unschedulable {
        json!(true)
    } else {
        Value::Null
    };
    let patch = json!({"spec": {"unschedulable": value}});
    let params = PatchParams {
        dry_run,
        ..PatchParams::default()
    };
    nodes
        .patch(node, &params, &Patch::Strategic(&patch))
        .await
        .map_err(|error| CordonError::Write(error_text(&error)))?;
    outcome.changed = true;
    Ok(outcome)
}

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

    /// kubectl's `CheckEvictionSupport`: the `pods/eviction` subresource of core v1, with the
    /// group and version of its `Eviction`; plain deletion when the server has none.
    async fn eviction_support(&self) -> Result<Removal, String> {
        let resources = self
            .client
            .list_core_api_resources("v1")
            .await
            .map_err(|error| error_text(&error))?;
        Ok(resources
            .resources
            .iter()
            .find(|resource| {
                resource.name == "pods/eviction"
                    && resource.kind == "Eviction"
                    && resource.group.as_deref().is_some_and(|g| !g.is_empty())
                    && resource.version.as_deref().is_some_and(|v| !v.is_empty())
            })
            .map_or(Removal::Delete, |resource| {
                let version = resource.version.as_deref().unwrap_or_default();
                // kubectl sends policy/v1 where the server has it, else the v1beta1 body.
                let api_version = if resource.group.as_deref() == Some("policy") && version == "v1"
                {
                    "policy/v1"
                } else {
                    "policy/v1beta1"
                };
                Removal::Evict {
                    api_version: api_version.to_string(),
                }
            }))
    }

    /// One pod's eviction, retried as kubectl retries it, then the wait for the pod to go.
    async fn evict_and_wait(&self, target: &Target, api_version: &str, deadline: Option<Instant>) {
        let reporter = self.reporter;
        let (name, namespace) = (target.name.as_str(), target.namespace.as_str());
        let mut deleting = target.deleting;
        reporter.pod(target, PodState::Evicting);
        // After a refusal the pod shows the refusal until an attempt is granted, rather than
        // flickering back to Evicting on every attempt.
        let mut refused = false;
        loop {
            if passed(deadline) {
                reporter.pod(target, PodState::Failed(self.global_timeout(target)));
                return;
            }
            match self.post_eviction(target, api_version, deadline).await {
                Attempt::Accepted => break,
                Attempt::Gone => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Attempt::Refused(status) => {
                    let error = status.message.clone();
                    if status.code == 429 {
                        let line = format!(
                            "error when evicting pods/\"{name}\" -n \"{namespace}\" (will retry after 5s): {error}"
                        );
                        let state = match self.budget_refusal(target, &status, line.clone()).await {
                            Some(blocked) => blocked,
                            None => PodState::Retrying(line),
                        };
                        reporter.pod(target, state);
                    } else if status.code == 403 && has_cause(&status, NAMESPACE_TERMINATING_CAUSE)
                    {
                        // The eviction never succeeds there; a pod already being deleted is
                        // waited for, any other is asked for again until it is.
                        if deleting {
                            break;
                        }
                        reporter.pod(
                            target,
                            PodState::Retrying(format!(
                                "error when evicting pod \"{name}\" from terminating namespace \"{namespace}\" (will retry after 5s): {error}"
                            )),
                        );
                    } else {
                        reporter.pod(
                            target,
                            PodState::Failed(format!(
                                "error when evicting pods/\"{name}\" -n \"{namespace}\": {error}"
                            )),
                        );
                        return;
                    }
                }
                Attempt::RefusedOutOfSight(blocked) => reporter.pod(target, blocked),
                Attempt::Unreachable(error) => {
                    reporter.pod(
                        target,
                        PodState::Failed(format!(
                            "error when evicting pods/\"{name}\" -n \"{namespace}\": {error}"
                        )),
                    );
                    return;
                }
                Attempt::DeadlinePassed => {
                    reporter.pod(target, PodState::Failed(self.global_timeout(target)));
                    return;
                }
            }
            refused = true;
            tokio::time::sleep(EVICTION_RETRY_DELAY).await;
            // kubectl reads the pod again before the next attempt, and keeps the copy it had
            // when that fails.
            if let Ok(pod) = self.get_pod(target).await {
                deleting = pod.metadata.deletion_timestamp.is_some();
            }
        }
        reporter.accepted(target);
        if refused {
            reporter.pod(target, PodState::Evicting);
        }
        self.wait_until_gone(target, deadline).await;
    }

    /// kubectl's error for an eviction not started before `--timeout` ran out.
    fn global_timeout(&self, target: &Target) -> String {
        let timeout = self.options.timeout.unwrap_or(Duration::MAX);
        format!(
            "error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {}",
            target.name,
            target.namespace,
            go_duration(timeout)
        )
    }

    /// One eviction request. An answer slower than [`RETRYING_CLIENT_PROBE`] may be a 429 the
    /// client is retrying out of sight: the pod's budgets are read then, and a budget that
    /// allows no disruption ends the attempt as a refusal.
    async fn post_eviction(
        &self,
        target: &Target,
        api_version: &str,
        deadline: Option<Instant>,
    ) -> Attempt {
        let mut delete_options = json!({});
        if let Some(seconds) = self.options.requested_grace_period_seconds() {
            delete_options["gracePeriodSeconds"] = json!(seconds);
        }
        let eviction = json!({
            "apiVersion": api_version,
            "kind": "Eviction",
            "metadata": {"name": target.name, "namespace": target.namespace},
            "deleteOptions": delete_options,
        });
        let request = http::Request::post(format!(
            "/api/v1/namespaces/{}/pods/{}/eviction",
            target.namespace, target.name
        ))
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(eviction.to_string().into_bytes());
        let request = match request {
            Ok(request) => request,
            Err(error) => return Attempt::Unreachable(error.to_string()),
        };
        let answer = self.client.request_text(request);
        tokio::pin!(answer);
        loop {
            tokio::select! {
                result = &mut answer => {
                    return match result {
                        Ok(_) => Attempt::Accepted,
                        Err(kube::Error::Api(status)) if status.code == 404 => Attempt::Gone,
                        Err(kube::Error::Api(status)) => Attempt::Refused(status),
                        Err(error) => Attempt::Unreachable(error_text(&error)),
                    };
                }
                () = tokio::time::sleep(RETRYING_CLIENT_PROBE) => {
                    let pod = match self.get_pod(target).await {
                        Ok(pod) => pod,
                        Err(_) => continue,
                    };
                    if let Some(budget) = self.refusing_budget_of(&pod).await {
                        let line = format!(
                            "error when evicting pods/\"{}\" -n \"{}\" (will retry after 5s): {BUDGET_REFUSAL_MESSAGE}",
                            target.name, target.namespace
                        );
                        return Attempt::RefusedOutOfSight(blocked_by(&budget, line));
                    }
                }
                () = until(deadline) => return Attempt::DeadlinePassed,
            }
        }
    }

    /// The budget a 429 names (its `DisruptionBudget` cause), or else the one budget that
    /// selects the pod, as a [`PodState::BlockedByBudget`] with its status read now; `None`
    /// when the 429 is not a budget's.
    async fn budget_refusal(
        &self,
        target: &Target,
        status: &kube::core::Status,
        line: String,
    ) -> Option<PodState> {
        let cause = status.details.as_ref().and_then(|d| {
            d.causes
                .iter()
                .find(|c| c.reason == DISRUPTION_BUDGET_CAUSE)
        });
        if cause.is_none() && !status.message.contains("disruption budget") {
            return None;
        }
        let named = cause.and_then(|c| budget_name_in(&c.message));
        let budget = match named {
            Some(name) => {
                let budgets: Api<PodDisruptionBudget> =
                    Api::namespaced(self.client.clone(), &target.namespace);
                budgets.get(name).await.ok()
            }
            None => None,
        };
        let budget = match budget {
            Some(budget) => Some(budget),
            None => match self.get_pod(target).await {
                Ok(pod) => self.budgets_selecting(&pod).await.into_iter().next(),
                Err(_) => None,
            },
        };
        match budget {
            Some(budget) => Some(blocked_by(&budget, line)),
            // A budget we cannot read: the refusal is still the budget's.
            None => Some(PodState::BlockedByBudget {
                budget: named.unwrap_or_default().to_string(),
                message: line,
                allowed: 0,
                current: 0,
                desired: 0,
                expected: 0,
            }),
        }
    }

    /// The pod's one budget when it allows no disruption now (as the API server decides: a pod
    /// that is not running, or is being deleted, needs no budget).
    async fn refusing_budget_of(&self, pod: &Pod) -> Option<PodDisruptionBudget> {
        let phase = pod.status.phase.as_str();
        if matches!(phase, "Succeeded" | "Failed" | "Pending")
            || pod.metadata.deletion_timestamp.is_some()
        {
            return None;
        }
        let mut budgets = self.budgets_selecting(pod).await;
        if budgets.len() != 1 {
            return None;
        }
        let budget = budgets.remove(0);
        let allowed = budget
            .status
            .as_ref()
            .map_or(0, |status| status.disruptions_allowed);
        (allowed <= 0).then_some(budget)
    }

    /// The PodDisruptionBudgets of the pod's namespace whose selector matches it (policy/v1:
    /// no selector selects nothing, an empty one everything).
    async fn budgets_selecting(&self, pod: &Pod) -> Vec<PodDisruptionBudget> {
        let budgets: Api<PodDisruptionBudget> =
            Api::namespaced(self.client.clone(), &pod.metadata.namespace);
        let Ok(list) = budgets.list(&Default::default()).await else {
            return Vec::new();
        };
        list.items
            .into_iter()
            .filter(|budget| {
                let spec: Option<LabelSelectorSpec> = budget
                    .spec
                    .as_ref()
                    .and_then(|spec| spec.selector.as_ref())
                    .and_then(|selector| serde_json::to_value(selector).ok())
                    .and_then(|value| serde_json::from_value(value).ok());
                LabelSelector::from_optional_spec(spec.as_ref())
                    .is_ok_and(|selector| selector.matches(&pod.metadata.labels))
            })
            .collect()
    }

    /// kubectl's delete path: DELETE each pod in turn, stopping at the first failure other
    /// than NotFound, then wait for those deleted. (kubectl stops waiting altogether on that
    /// failure; the pods already deleted are still followed here, so their rows end.)
    async fn delete_and_wait(&self, targets: &[Target]) {
        let reporter = self.reporter;
        let mut deleted = Vec::new();
        for target in targets {
            reporter.pod(target, PodState::Deleting);
            let path = format!(
                "/api/v1/namespaces/{}/pods/{}",
                target.namespace, target.name
            );
            let mut options = json!({});
            if let Some(seconds) = self.options.requested_grace_period_seconds() {
                options["gracePeriodSeconds"] = json!(seconds);
            }
            let request = http::Request::delete(path)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(options.to_string().into_bytes());
            let result = match request {
                Ok(request) => self.client.request_text(request).await,
                Err(error) => {
                    reporter.pod(target, PodState::Failed(error.to_string()));
                    break;
                }
            };
            match result {
                Ok(_) => {
                    reporter.accepted(target);
                    deleted.push(target);
                }
                Err(error) if is_not_found(&error) => {
                    reporter.pod(target, PodState::Deleted);
                }
                Err(error) => {
                    reporter.pod(target, PodState::Failed(error_text(&error)));
                    break;
                }
            }
        }
        // kubectl's wait here is bounded by --timeout from when it starts.
        let deadline = self.options.timeout.map(|timeout| Instant::now() + timeout);
        futures::future::join_all(
            deleted
                .into_iter()
                .map(|target| self.wait_until_gone(target, deadline)),
        )
        .await;
    }

    /// Polls the pod every second (the first look at once) until it is gone or replaced by a
    /// pod of the same name with another UID.
    async fn wait_until_gone(&self, target: &Target, deadline: Option<Instant>) {
        let reporter = self.reporter;
        let wait_error = |error: &str| {
            format!(
                "error when waiting for pod \"{}\" in namespace \"{}\" to terminate: {error}",
                target.name, target.namespace
            )
        };
        let skip_after = self.options.skip_wait_for_delete_timeout_seconds;
        loop {
            match self.get_pod(target).await {
                Err(error) if is_not_found(&error) => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Err(error) => {
                    reporter.pod(target, PodState::Failed(wait_error(&error_text(&error))));
                    return;
                }
                Ok(pod) if pod.metadata.uid != target.uid => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Ok(pod) => {
                    let requested_long_ago = pod.metadata.deletion_timestamp.is_some_and(|at| {
                        skip_after > 0 && Timestamp::now().duration_since(at).as_secs() > skip_after
                    });
                    if requested_long_ago {
                        reporter.pod(
                            target,
                            PodState::Skipped(format!(
                                "pod \"{}\" has DeletionTimestamp older than {skip_after} seconds, skipping",
                                target.name
                            )),
                        );
                        return;
                    }
                }
            }
            if passed(deadline) {
                reporter.pod(target, PodState::Failed(wait_error(DEADLINE_EXCEEDED)));
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(WAIT_POLL_INTERVAL) => {}
                () = until(deadline) => {}
            }
        }
    }

    async fn get_pod(&self, target: &Target) -> Result<Pod, kube::Error> {
        let text = self
            .get_text(&format!(
                "/api/v1/namespaces/{}/pods/{}",
                target.namespace, target.name
            ))
            .await?;
        serde_json::from_str(&text).map_err(kube::Error::SerdeError)
    }

    async fn get_text(&self, path: &str) -> Result<String, kube::Error> {
        let request = http::Request::get(path)
            .body(Vec::new())
            .map_err(kube::Error::HttpError)?;
        self.client.request_text(request).await
    }
}

/// How one eviction request ended.
enum Attempt {
    /// 2xx: the pod is being deleted.
    Accepted,
    /// 404: the pod is gone already.
    Gone,
    /// Any other answer of the API server.
    Refused(Box<kube::core::Status>),
    /// No answer while a budget of the pod allows no disruption: a 429 the client retries.
    RefusedOutOfSight(PodState),
    /// No answer at all (connection, TLS, a body that does not decode).
    Unreachable(String),
    /// `--timeout` ran out while waiting for the answer.
    DeadlinePassed,
}

/// A [`PodState::BlockedByBudget`] from a budget's status.
fn blocked_by(budget: &PodDisruptionBudget, message: String) -> PodState {
    let status = budget.status.clone().unwrap_or_default();
    PodState::BlockedByBudget {
        budget: budget.metadata.name.clone().unwrap_or_default(),
        message,
        allowed: status.disruptions_allowed,
        current: status.current_healthy,
        desired: status.desired_healthy,
        expected: status.expected_pods,
    }
}

/// The budget's name in the API server's `DisruptionBudget` cause: "The disruption budget NAME
/// needs N healthy pods and has M currently" (or "… NAME is still being processed by the
/// server.").
fn budget_name_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("The disruption budget ")?;
    let name = rest.split_whitespace().next()?;
    (!name.is_empty()).then_some(name)
}

fn has_cause(status: &kube::core::Status, reason: &str) -> bool {
    status
        .details
        .as_ref()
        .is_some_and(|d| d.causes.iter().any(|c| c.reason == reason))
}

fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 404)
}

/// Whether the deadline (if any) has passed.
fn passed(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|deadline| Instant::now() >= deadline)
}

/// Resolves at the deadline; never without one.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// An error as Go's `err.Error()` reads: the server's message verbatim for an API error, else
/// the chain of causes.
fn error_text(error: &kube::Error) -> String {
    if let kube::Error::Api(status) = error {
        return status.message.clone();
    }
    let mut causes: Vec<String> = Vec::new();
    let chain = std::iter::successors(Some(error as &dyn std::error::Error), |e| e.source());
    for cause in chain.map(ToString::to_string) {
        if !causes.iter().any(|seen| seen.contains(&cause)) {
            causes.push(cause);
        }
    }
    causes.join(": ")
}

/// kubectl's line for a failed call: `Error from server (Reason): message` for an API error,
/// else `error: …`.
fn kubectl_error_line(error: &kube::Error) -> String {
    super::api_error::api_error("", error).kubectl()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go_prints_them() {
        for (duration, text) in [
            (Duration::ZERO, "0s"),
            (Duration::from_secs(15), "15s"),
            (Duration::from_secs(60), "1m0s"),
            (Duration::from_secs(3600), "1h0m0s"),
            (Duration::from_millis(1500), "1.5s"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_micros(1500), "1.5ms"),
            (Duration::from_nanos(42), "42ns"),
            (Duration::from_secs(90), "1m30s"),
            (Duration::MAX, "2562047h47m16.854775807s"),
        ] {
            assert_eq!(go_duration(duration), text, "{duration:?}");
        }
    }

    #[test]
    fn the_budget_name_is_read_from_the_servers_cause() {
        assert_eq!(
            budget_name_in(
                "The disruption budget cart-pdb needs 2 healthy pods and has 2 currently"
            ),
            Some("cart-pdb")
        );
        assert_eq!(
            budget_name_in("The disruption budget web is still being processed by the server."),
            Some("web")
        );
        assert_eq!(budget_name_in("something else"), None);
    }

    #[test]
    fn errors_aggregate_as_apimachinery_prints_them() {
        assert_eq!(aggregate(&[]), None);
        assert_eq!(aggregate(&["a".into(), "a".into()]), Some("a".into()));
        assert_eq!(
            aggregate(&["a".into(), "b".into(), "a".into()]),
            Some("[a, b]".into())
        );
    }

    #[test]
    fn cordon_lines_are_kubectls() {
        let mut outcome = CordonOutcome {
            node: "w".into(),
            unschedulable: true,
            changed: true,
            dry_run: false,
        };
        assert_eq!(outcome.text(), "node/w cordoned");
        outcome.changed = false;
        assert_eq!(outcome.text(), "node/w already cordoned");
        outcome.unschedulable = false;
        outcome.dry_run = true;
        assert_eq!(outcome.text(), "node/w already uncordoned (server dry run)");
    }
}
