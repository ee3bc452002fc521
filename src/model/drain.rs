//! What `kubectl drain` would do to each pod on a node, decided without touching the cluster.
//!
//! This is kubectl's pod filter chain (`k8s.io/kubectl/pkg/drain`, `filters.go` and
//! `GetPodsForDeletion` in `drain.go`, as shipped in kubectl 1.37) rule for rule, with its
//! messages word for word, so that the plan shown before a drain is the drain kubectl runs:
//!
//! 1. **skip deleted**: with `--skip-wait-for-delete-timeout=N` (N > 0), a pod whose
//!    `deletionTimestamp` is more than N whole seconds old is skipped silently.
//! 2. **DaemonSet**: a pod whose controller is an `apps/v1` `DaemonSet` and that has not finished
//!    is never removed (its DaemonSet would recreate it at once): without `--ignore-daemonsets`
//!    it blocks the drain, with it a warning names it. kubectl reads the DaemonSet first; when it
//!    is gone the pod blocks the drain unless `--force`, which removes the orphan.
//! 3. **mirror**: a static pod's mirror (annotation `kubernetes.io/config.mirror`) is skipped
//!    silently; the API server cannot remove it.
//! 4. **local storage**: a pod with an `emptyDir` volume that has not finished blocks the drain
//!    unless `--delete-emptydir-data`.
//! 5. **unreplicated**: a pod that has not finished and declares no controller blocks the drain
//!    unless `--force`, which removes it with a warning.
//!
//! The chain stops at the first filter that keeps the pod, and only the last filter's message is
//! kept (which is why `deleting Pods with local storage` is never printed). A finished pod
//! (phase `Succeeded` or `Failed`) passes the DaemonSet, local storage and controller checks.
//! If any pod blocks, kubectl removes nothing from the node.
//!
//! Two things kubectl leaves to chance are fixed here: kubectl groups its errors and warnings in
//! a Go map, so their order changes from run to run; the plan orders groups by the first pod
//! (in list order) of each.

use std::fmt;

use jiff::Timestamp;

use super::duration::is_zero_time;
use super::pod::Pod;
use super::selector::{LabelSelector, SelectorError};

/// kubectl's error message for a running DaemonSet pod without `--ignore-daemonsets`.
const DAEMON_SET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
/// kubectl's warning for DaemonSet pods left in place with `--ignore-daemonsets`.
const DAEMON_SET_WARNING: &str = "ignoring DaemonSet-managed Pods";
/// kubectl's error message for a pod with `emptyDir` data without `--delete-emptydir-data`.
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
/// kubectl's warning for pods with `emptyDir` data; always overwritten by the next filter, so
/// kubectl never prints it. Kept so the chain's "last message wins" rule is visible here too.
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
/// kubectl's error message for a pod with no controller without `--force`.
const UNMANAGED_FATAL: &str = "Pods that declare no controller (use --force to override)";
/// kubectl's warning for pods with no controller removed because of `--force`.
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";
/// The annotation the kubelet puts on the API copy of a static pod.
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// Only this apiVersion of a `DaemonSet` controller makes a pod DaemonSet-managed: kubectl 1.37
/// compares the whole apiVersion (older kubectl looked at the kind alone), so a pod owned by an
/// `extensions/v1beta1` or `apps/v1beta2` DaemonSet is treated like any other controlled pod and
/// evicted, as kubectl 1.37.1 does against the simulator.
const DAEMON_SET_API_VERSION: &str = "apps/v1";
/// The grace period the API server gives a pod whose spec does not set one.
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// The most whole seconds a Go `time.Duration` holds: kubectl's age arithmetic saturates there.
const GO_MAX_DURATION_SECONDS: i64 = i64::MAX / 1_000_000_000;

/// The options of `kubectl drain` that shape the plan (flag names in the comments).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainOptions {
    /// `--grace-period`: `Some(n)` with n ≥ 0 is sent as `gracePeriodSeconds`; `None` or a
    /// negative value (kubectl's default, -1) leaves each pod its own grace period.
    pub grace_period_seconds: Option<i64>,
    /// `--timeout`: how long the whole evict/delete phase may take; `None` (kubectl's 0) waits
    /// forever. It does not change which pods are removed.
    pub timeout: Option<std::time::Duration>,
    /// `--ignore-daemonsets`: leave DaemonSet pods in place instead of refusing to drain.
    pub ignore_daemonsets: bool,
    /// `--delete-emptydir-data` (formerly `--delete-local-data`): allow removing pods with
    /// `emptyDir` volumes, whose data is lost.
    pub delete_emptydir_data: bool,
    /// `--force`: allow removing pods that declare no controller, and DaemonSet pods whose
    /// DaemonSet is gone.
    pub force: bool,
    /// `--disable-eviction`: DELETE pods instead of evicting them (bypasses disruption budgets).
    pub disable_eviction: bool,
    /// `--skip-wait-for-delete-timeout`: when > 0, pods whose deletion was requested more than
    /// this many seconds ago are skipped.
    pub skip_wait_for_delete_timeout_seconds: i64,
    /// `--pod-selector`: only pods whose labels match are considered (`None` or empty: all).
    pub pod_selector: Option<String>,
}

impl DrainOptions {
    /// The `gracePeriodSeconds` kubectl puts in its eviction or delete options, if any.
    pub fn requested_grace_period_seconds(&self) -> Option<i64> {
        self.grace_period_seconds.filter(|seconds| *seconds >= 0)
    }
}

/// What reading a pod's DaemonSet found (kubectl GETs it for every running DaemonSet pod).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaemonSetLookup {
    Exists,
    /// 404: the pod is an orphan.
    NotFound,
    /// Any other failure, with the error text kubectl would print (e.g. a 403's message).
    Failed(String),
}

impl From<bool> for DaemonSetLookup {
    fn from(exists: bool) -> Self {
        if exists {
            DaemonSetLookup::Exists
        } else {
            DaemonSetLookup::NotFound
        }
    }
}

/// What happens to one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Removed through the eviction API (which honours PodDisruptionBudgets).
    Evict,
    /// Removed with a plain DELETE (`--disable-eviction`).
    Delete,
    /// Left where it is; the drain goes on.
    Skip(SkipReason),
    /// Cannot be removed with these options; while any pod is blocked nothing on the node is
    /// removed.
    Blocked(BlockReason),
}

/// Why a pod is left in place without stopping the drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Its deletion was requested longer ago than `--skip-wait-for-delete-timeout`.
    AlreadyDeleted,
    /// Managed by a DaemonSet, and `--ignore-daemonsets` was given.
    DaemonSet,
    /// The mirror of a static pod; only the kubelet's manifest can remove it.
    MirrorPod,
}

/// Why a pod stops the drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockReason {
    /// Managed by an existing DaemonSet, without `--ignore-daemonsets`.
    DaemonSet,
    /// Its DaemonSet does not exist (anymore), without `--force`.
    DaemonSetMissing,
    /// Reading its DaemonSet failed for another reason.
    DaemonSetUnreadable,
    /// Has `emptyDir` volumes, without `--delete-emptydir-data`.
    LocalStorage,
    /// Declares no controller, without `--force`.
    Unmanaged,
}

/// One pod of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPod {
    pub namespace: String,
    pub name: String,
    pub decision: Decision,
    /// Why, in a sentence or two: the rule that decided and, when blocked, the option that would
    /// change it.
    pub reason: String,
    /// The message kubectl files this pod under: a warning for a removed or skipped pod, the
    /// error for a blocked one; `None` when kubectl says nothing about it.
    pub kubectl_message: Option<String>,
    /// For a removed pod, the grace period it gets: `--grace-period` when ≥ 0, else the pod's
    /// `terminationGracePeriodSeconds` (30 when unset).
    pub grace_period_seconds: Option<i64>,
}

impl PlannedPod {
    /// `namespace/name`, as kubectl lists pods in its messages.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Whether the drain removes this pod (evicts or deletes it).
    pub fn is_removed(&self) -> bool {
        matches!(self.decision, Decision::Evict | Decision::Delete)
    }
}

/// The drain of one node, decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainPlan {
    pub node: String,
    /// Every pod on the node that the pod selector lets through, in the order given.
    pub pods: Vec<PlannedPod>,
    /// kubectl's errors, one per message: `cannot delete <message>: ns/a, ns/b`.
    pub errors: Vec<String>,
    /// kubectl's warnings, one per message: `<message>: ns/a, ns/b`. kubectl prints them only
    /// when no pod is blocked; they are kept here either way, to show what would follow.
    pub warnings: Vec<String>,
}

impl DrainPlan {
    /// Whether the drain removes pods at all: no pod is blocked.
    pub fn can_proceed(&self) -> bool {
        self.errors.is_empty()
    }

    /// The pods the drain evicts or deletes, in order; none while any pod is blocked, as kubectl
    /// removes nothing then (the pods it would remove once unblocked are those of
    /// [`pods`](Self::pods) that [`is_removed`](PlannedPod::is_removed)).
    pub fn pods_to_remove(&self) -> Vec<&PlannedPod> {
        if !self.can_proceed() {
            return Vec::new();
        }
        self.pods.iter().filter(|pod| pod.is_removed()).collect()
    }

    /// The pods that stop the drain.
    pub fn blocked_pods(&self) -> Vec<&PlannedPod> {
        self.pods
            .iter()
            .filter(|pod| matches!(pod.decision, Decision::Blocked(_)))
            .collect()
    }

    /// The warnings as kubectl joins them after `Warning: ` on standard error (when it prints
    /// them: see [`warnings`](Self::warnings)).
    pub fn warning_text(&self) -> Option<String> {
        (!self.warnings.is_empty()).then(|| self.warnings.join("; "))
    }

    /// The errors aggregated as apimachinery's `NewAggregate` prints them: the one message, or
    /// `[first, second]` with repeats dropped.
    pub fn error_text(&self) -> Option<String> {
        let mut unique: Vec<&str> = Vec::new();
        for error in &self.errors {
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

    /// The line kubectl prints on standard error when this node cannot be drained.
    pub fn failure_line(&self) -> Option<String> {
        self.error_text().map(|error| {
            format!(
                "error: unable to drain node \"{}\" due to error: {error}, continuing command...",
                self.node
            )
        })
    }

    /// What `kubectl drain --dry-run=client` prints on standard output for the pods (kubectl
    /// says "evicting" even with `--disable-eviction`, as its dry run never looks).
    pub fn dry_run_lines(&self) -> Vec<String> {
        self.pods_to_remove()
            .iter()
            .map(|pod| format!("evicting pod {} (dry run)", pod.key()))
            .collect()
    }
}

/// The pod selector could not be parsed; kubectl refuses to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPodSelector {
    pub selector: String,
    pub error: SelectorError,
}

impl fmt::Display for InvalidPodSelector {
    // kubectl's own words, placeholder included; the parse error is in `source()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("--pod-selector=<pod_selector> must be a valid label selector")
    }
}

impl std::error::Error for InvalidPodSelector {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Decides what `kubectl drain <node>` does to each pod at `now`.
///
/// `pods` may hold more than the node's pods: like kubectl's list (field selector
/// `spec.nodeName=<node>`, label selector `--pod-selector`), the plan keeps only the pods on
/// `node` that the selector matches, in the order given. `daemon_set` answers kubectl's GET of a
/// DaemonSet by namespace and name; it is asked only about running DaemonSet pods.
pub fn plan_drain(
    node: &str,
    pods: &[Pod],
    options: &DrainOptions,
    daemon_set: &dyn Fn(&str, &str) -> DaemonSetLookup,
    now: Timestamp,
) -> Result<DrainPlan, InvalidPodSelector> {
    let selector = match options.pod_selector.as_deref() {
        None | Some("") => LabelSelector::everything(),
        Some(text) => LabelSelector::parse(text).map_err(|error| InvalidPodSelector {
            selector: text.to_string(),
            error,
        })?,
    };
    let planned: Vec<PlannedPod> = pods
        .iter()
        .filter(|pod| pod.spec.node_name == node && selector.matches(&pod.metadata.labels))
        .map(|pod| plan_pod(pod, options, daemon_set, now))
        .collect();
    let errors = grouped(&planned, true)
        .into_iter()
        .map(|(message, pods)| {
            // The no-controller message once began with "cannot delete" itself; kubectl 1.36+
            // adds the prefix only when the message lacks it.
            if message.to_lowercase().starts_with("cannot delete") {
                format!("{message}: {pods}")
            } else {
                format!("cannot delete {message}: {pods}")
            }
        })
        .collect();
    let warnings = grouped(&planned, false)
        .into_iter()
        .map(|(message, pods)| format!("{message}: {pods}"))
        .collect();
    Ok(DrainPlan {
        node: node.to_string(),
        pods: planned,
        errors,
        warnings,
    })
}

/// The pods' messages grouped (errors of blocked pods, or warnings of the others), each group
/// with its pods joined by ", ", groups in order of their first pod.
fn grouped(pods: &[PlannedPod], blocked: bool) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for pod in pods {
        if matches!(pod.decision, Decision::Blocked(_)) != blocked {
            continue;
        }
        let Some(message) = &pod.kubectl_message else {
            continue;
        };
        // kubectl files an error without text under "unexpected error".
        let message = if blocked && message.is_empty() {
            "unexpected error"
        } else {
            message.as_str()
        };
        match groups.iter_mut().find(|(m, _)| m == message) {
            Some((_, keys)) => keys.push(pod.key()),
            None => groups.push((message.to_string(), vec![pod.key()])),
        }
    }
    groups
        .into_iter()
        .map(|(message, keys)| (message, keys.join(", ")))
        .collect()
}

/// What one filter says about a pod.
enum Verdict {
    /// Removable as far as this filter goes; the note says why when the filter had a say.
    Pass {
        note: Option<String>,
        warning: Option<&'static str>,
    },
    /// Kept, or blocking: the chain stops here.
    Stop {
        decision: Decision,
        message: Option<String>,
        note: String,
    },
}

fn pass() -> Verdict {
    Verdict::Pass {
        note: None,
        warning: None,
    }
}

fn pass_noting(note: String) -> Verdict {
    Verdict::Pass {
        note: Some(note),
        warning: None,
    }
}

/// Runs kubectl's filter chain on one pod.
fn plan_pod(
    pod: &Pod,
    options: &DrainOptions,
    daemon_set: &dyn Fn(&str, &str) -> DaemonSetLookup,
    now: Timestamp,
) -> PlannedPod {
    let filters: [&dyn Fn() -> Verdict; 5] = [
        &|| skip_deleted_filter(pod, options, now),
        &|| daemon_set_filter(pod, options, daemon_set),
        &|| mirror_pod_filter(pod),
        &|| local_storage_filter(pod, options),
        &|| unreplicated_filter(pod, options),
    ];
    let mut notes: Vec<String> = Vec::new();
    // Only the last filter's message survives, as in kubectl's loop.
    let mut last_warning: Option<&'static str> = None;
    for filter in filters {
        match filter() {
            Verdict::Pass { note, warning } => {
                notes.extend(note);
                last_warning = warning;
            }
            Verdict::Stop {
                decision,
                message,
                note,
            } => {
                return PlannedPod {
                    namespace: pod.metadata.namespace.clone(),
                    name: pod.metadata.name.clone(),
                    decision,
                    reason: note,
                    kubectl_message: message,
                    grace_period_seconds: None,
                };
            }
        }
    }
    if notes.is_empty() {
        notes.push(match pod.metadata.controller() {
            Some(owner) => format!("managed by {} {}", owner.kind, owner.name),
            None => "removable".to_string(),
        });
    }
    let grace_period = options
        .requested_grace_period_seconds()
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    PlannedPod {
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        decision: if options.disable_eviction {
            Decision::Delete
        } else {
            Decision::Evict
        },
        reason: notes.join("; "),
        kubectl_message: last_warning.map(str::to_string),
        grace_period_seconds: Some(grace_period),
    }
}

/// Whole seconds since the pod's deletion was requested, as kubectl counts them (Go's
/// `int(now.Sub(t).Seconds())`: truncated toward zero, saturating like `time.Duration`); `None`
/// when no deletion was requested.
fn seconds_since_deletion(pod: &Pod, now: Timestamp) -> Option<i64> {
    let requested = pod.metadata.deletion_timestamp?;
    if is_zero_time(requested) {
        return None;
    }
    Some(
        now.duration_since(requested)
            .as_secs()
            .clamp(-GO_MAX_DURATION_SECONDS, GO_MAX_DURATION_SECONDS),
    )
}

fn skip_deleted_filter(pod: &Pod, options: &DrainOptions, now: Timestamp) -> Verdict {
    let timeout = options.skip_wait_for_delete_timeout_seconds;
    match seconds_since_deletion(pod, now) {
        Some(age) if timeout > 0 && age > timeout => Verdict::Stop {
            decision: Decision::Skip(SkipReason::AlreadyDeleted),
            message: None,
            note: format!(
                "its deletion was requested {age}s ago, more than --skip-wait-for-delete-timeout={timeout}: kubectl leaves it alone"
            ),
        },
        _ => pass(),
    }
}

fn daemon_set_filter(
    pod: &Pod,
    options: &DrainOptions,
    daemon_set: &dyn Fn(&str, &str) -> DaemonSetLookup,
) -> Verdict {
    let Some(owner) = pod.metadata.controller() else {
        return pass();
    };
    if owner.kind != "DaemonSet" || owner.api_version != DAEMON_SET_API_VERSION {
        return pass();
    }
    if pod.is_finished() {
        return pass_noting(format!(
            "finished ({}), so its DaemonSet does not keep it",
            pod.status.phase
        ));
    }
    let namespace = pod.metadata.namespace.as_str();
    let lookup_error = match daemon_set(namespace, &owner.name) {
        DaemonSetLookup::Exists => None,
        DaemonSetLookup::NotFound => {
            // The API server's 404 text, which kubectl uses as the message.
            let error = format!("daemonsets.apps \"{}\" not found", owner.name);
            if options.force {
                // kubectl's warning here is overwritten by the filters after it, so it is never
                // printed; the note keeps the reason.
                return pass_noting(format!(
                    "its DaemonSet {namespace}/{} is gone; removed because of --force",
                    owner.name
                ));
            }
            Some((
                BlockReason::DaemonSetMissing,
                error,
                "; --force removes such orphans",
            ))
        }
        DaemonSetLookup::Failed(error) => Some((BlockReason::DaemonSetUnreadable, error, "")),
    };
    if let Some((why, error, hint)) = lookup_error {
        return Verdict::Stop {
            decision: Decision::Blocked(why),
            note: format!(
                "kubectl reads its DaemonSet {namespace}/{} first: {error}{hint}",
                owner.name
            ),
            message: Some(error),
        };
    }
    if options.ignore_daemonsets {
        Verdict::Stop {
            decision: Decision::Skip(SkipReason::DaemonSet),
            message: Some(DAEMON_SET_WARNING.to_string()),
            note: format!(
                "managed by DaemonSet {}: left in place (--ignore-daemonsets), as its DaemonSet would recreate it",
                owner.name
            ),
        }
    } else {
        Verdict::Stop {
            decision: Decision::Blocked(BlockReason::DaemonSet),
            message: Some(DAEMON_SET_FATAL.to_string()),
            note: format!(
                "managed by DaemonSet {}, which would recreate it at once: --ignore-daemonsets leaves it in place",
                owner.name
            ),
        }
    }
}

fn mirror_pod_filter(pod: &Pod) -> Verdict {
    if pod.metadata.annotations.contains_key(MIRROR_POD_ANNOTATION) {
        Verdict::Stop {
            decision: Decision::Skip(SkipReason::MirrorPod),
            message: None,
            note: format!(
                "mirror of a static pod (annotation {MIRROR_POD_ANNOTATION}): the kubelet runs it from a file, the API cannot remove it"
            ),
        }
    } else {
        pass()
    }
}

fn local_storage_filter(pod: &Pod, options: &DrainOptions) -> Verdict {
    let volumes: Vec<&str> = pod
        .spec
        .volumes
        .iter()
        .filter(|volume| volume.empty_dir.is_some())
        .map(|volume| volume.name.as_str())
        .collect();
    if volumes.is_empty() {
        return pass();
    }
    let volumes = volumes.join(", ");
    if pod.is_finished() {
        return pass_noting(format!(
            "finished ({}), so its emptyDir data ({volumes}) does not keep it",
            pod.status.phase
        ));
    }
    if options.delete_emptydir_data {
        Verdict::Pass {
            note: Some(format!(
                "its emptyDir data ({volumes}) is deleted (--delete-emptydir-data)"
            )),
            warning: Some(LOCAL_STORAGE_WARNING),
        }
    } else {
        Verdict::Stop {
            decision: Decision::Blocked(BlockReason::LocalStorage),
            message: Some(LOCAL_STORAGE_FATAL.to_string()),
            note: format!(
                "has emptyDir data ({volumes}) that removal would delete: --delete-emptydir-data allows it"
            ),
        }
    }
}

fn unreplicated_filter(pod: &Pod, options: &DrainOptions) -> Verdict {
    if pod.metadata.controller().is_some() {
        return pass();
    }
    if pod.is_finished() {
        return pass_noting(format!(
            "finished ({}), so declaring no controller does not keep it",
            pod.status.phase
        ));
    }
    if options.force {
        Verdict::Pass {
            note: Some(
                "declares no controller, so nothing recreates it; removed because of --force"
                    .to_string(),
            ),
            warning: Some(UNMANAGED_WARNING),
        }
    } else {
        Verdict::Stop {
            decision: Decision::Blocked(BlockReason::Unmanaged),
            message: Some(UNMANAGED_FATAL.to_string()),
            note:
                "declares no controller, so nothing would recreate it: --force allows removing it"
                    .to_string(),
        }
    }
}

#[cfg(test)]
#[path = "drain_tests.rs"]
mod tests;
