//! The explorer's object actions: delete (one or many), scale, restart a rollout, set an image,
//! and run a CronJob now. Each sends what the matching kubectl command (1.37) sends — the same
//! verb, path, patch type, patch body, query and field manager — so that the cluster, its audit
//! log and its admission webhooks cannot tell kscope from kubectl; each answers with kubectl's
//! success line, or one line naming the call with the API server's message verbatim.
//!
//! Every mutation takes `dry_run`: the request goes to the API server with `dryRun=All`, which
//! admits and validates it without storing anything, and the success line ends as kubectl's
//! `--dry-run=server` does (` (server dry run)`).

use crate::model::deletion::FORCE_DELETE_WARNING;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use jiff::Timestamp;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams,
    Preconditions, PropagationPolicy,
};
use kube::{Client, Resource};

use super::discovery::ApiResourceOf;

mod cronjob;

#[cfg(test)]
use cronjob::{NAME_SUFFIX_ALPHABET, NAME_SUFFIX_LENGTH, random_suffix};
pub use cronjob::{create_job_from_cronjob, job_from_cronjob, manual_job_name};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc::UnboundedSender;

use crate::model::kind::WatchedKind;
use crate::model::resource_info::ResourceInfo;
use crate::model::strategic_merge::{ObjectKind, create_strategic_merge_patch};

/// How many deletions of a multiple selection are in flight at once: enough to clear a page of
/// evicted pods quickly, few enough not to trip the API server's priority and fairness limits.
const CONCURRENT_DELETES: usize = 8;

/// The pod template annotation whose change makes a workload roll out again.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// The field managers kubectl's commands write with, so `managedFields` reads the same.
const ROLLOUT_MANAGER: &str = "kubectl-rollout";
const SET_MANAGER: &str = "kubectl-set";

/// Pods asked for per page when listing failed pods (kubectl's default chunk size).
const LIST_CHUNK: u32 = 500;

/// One object an action is aimed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub resource: ApiResource,
    pub namespaced: bool,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
    /// The uid the object had when the user chose it: a delete sends it as a precondition,
    /// so the API server refuses an object that took the name since.
    pub uid: Option<String>,
}

impl ObjectRef {
    /// An object of a kind the explorer watches.
    pub fn watched(kind: WatchedKind, namespace: &str, name: &str) -> Self {
        Self::new(kind.api_resource(), kind.namespaced(), namespace, name)
    }

    /// An object of a kind found by discovery (custom resources too).
    pub fn discovered(info: &ResourceInfo, namespace: &str, name: &str) -> Self {
        Self::new(info.api_resource(), info.namespaced, namespace, name)
    }

    /// The object `key` of a fetch target (a watched kind or a discovered one).
    pub fn of(target: &crate::model::kind::Target, key: &crate::model::watched::Key) -> Self {
        match target {
            crate::model::kind::Target::Kind(kind) => Self::watched(*kind, &key.0, &key.1),
            crate::model::kind::Target::Resource(info) => Self::discovered(info, &key.0, &key.1),
        }
    }

    fn new(resource: ApiResource, namespaced: bool, namespace: &str, name: &str) -> Self {
        Self {
            resource,
            namespaced,
            namespace: if namespaced {
                namespace.to_string()
            } else {
                String::new()
            },
            name: name.to_string(),
            uid: None,
        }
    }

    /// The same object, only as long as it has this uid.
    pub fn with_uid(mut self, uid: Option<String>) -> Self {
        self.uid = uid;
        self
    }

    /// `deployment.apps` or `pod`: the kind in lower case, qualified by its group, as kubectl
    /// names objects in what it prints.
    pub fn kind_and_group(&self) -> String {
        let kind = self.resource.kind.to_lowercase();
        if self.resource.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.resource.group)
        }
    }

    /// `deployment.apps/web`: how kubectl's name printer names the object.
    pub fn kubectl_name(&self) -> String {
        format!("{}/{}", self.kind_and_group(), self.name)
    }

    /// `deployment "web" in namespace "shop"`, for error messages.
    pub fn described(&self) -> String {
        let noun = self.resource.kind.to_lowercase();
        if self.namespaced {
            format!(
                "{noun} \"{}\" in namespace \"{}\"",
                self.name, self.namespace
            )
        } else {
            format!("{noun} \"{}\"", self.name)
        }
    }

    pub(super) fn api(&self, client: &Client) -> Api<DynamicObject> {
        if self.namespaced {
            Api::namespaced_with(client.clone(), &self.namespace, &self.resource)
        } else {
            Api::all_with(client.clone(), &self.resource)
        }
    }

    fn object_kind(&self) -> ObjectKind {
        ObjectKind::new(&self.resource.api_version, &self.resource.kind)
    }
}

/// What an action did, in kubectl's words.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOutcome {
    /// The object acted on (for a Job run from a CronJob, the Job created).
    pub target: ObjectRef,
    /// kubectl's line on standard output: `deployment.apps/web scaled`, `pod "x" deleted from
    /// shop namespace`, ending in ` (server dry run)` for a dry run.
    pub message: String,
    /// kubectl's warning on standard error, if it prints one (without its `Warning: `).
    pub warning: Option<String>,
    /// The API server's answer: the object as written (or as it would be, for a dry run), the
    /// Scale for a scale; `None` when nothing was sent or the server answered with a Status.
    pub object: Option<Value>,
    pub dry_run: bool,
}

impl ActionOutcome {
    fn new(target: ObjectRef, message: String, dry_run: bool, object: Option<Value>) -> Self {
        let message = if dry_run {
            format!("{message} (server dry run)")
        } else {
            message
        };
        Self {
            target,
            message,
            warning: None,
            object,
            dry_run,
        }
    }
}

/// How to delete, as `kubectl delete`'s `--grace-period` and `--force`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteChoice {
    /// `None` (or negative) leaves the object's own grace period.
    pub grace_period_seconds: Option<i64>,
    /// Grace period 0: the object is removed from the API at once, without waiting for its
    /// containers to stop.
    pub force: bool,
}

impl DeleteChoice {
    /// The grace period kubectl sends for these flags: `--force` means 0; 0 without `--force`
    /// becomes 1 ("to prevent accidental data loss"); negative means the object's default.
    fn grace_period(self) -> Result<Option<i64>, &'static str> {
        match (self.force, self.grace_period_seconds) {
            (true, Some(seconds)) if seconds > 0 => {
                Err("a forced deletion cannot also have a grace period greater than 0")
            }
            (true, _) => Ok(Some(0)),
            (false, Some(0)) => Ok(Some(1)),
            (false, Some(seconds)) if seconds < 0 => Ok(None),
            (false, seconds) => Ok(seconds),
        }
    }
}

/// `kubectl delete KIND NAME [--grace-period=N] [--force]`: DELETE with background propagation
/// (kubectl's default `--cascade=background`), so owned objects are garbage-collected after the
/// owner is gone rather than before.
pub async fn delete(
    client: &Client,
    target: &ObjectRef,
    choice: DeleteChoice,
    dry_run: bool,
) -> Result<ActionOutcome, String> {
    let call = format!("delete {}", target.described());
    let grace = choice
        .grace_period()
        .map_err(|reason| format!("{call}: {reason}"))?;
    let params = DeleteParams {
        dry_run,
        grace_period_seconds: grace.map(|seconds| u32::try_from(seconds).unwrap_or(u32::MAX)),
        propagation_policy: Some(PropagationPolicy::Background),
        preconditions: target.uid.clone().map(|uid| Preconditions {
            uid: Some(uid),
            resource_version: None,
        }),
    };
    let answer = target
        .api(client)
        .delete(&target.name, &params)
        .await
        .map_err(|error| api_error(&call, error))?;
    let operation = if grace == Some(0) {
        "force deleted"
    } else {
        "deleted"
    };
    let mut message = format!(
        "{} \"{}\" {operation}",
        target.kind_and_group(),
        target.name
    );
    if target.namespaced {
        message.push_str(&format!(" from {} namespace", target.namespace));
    }
    let object = answer.left().and_then(|o| serde_json::to_value(o).ok());
    let mut outcome = ActionOutcome::new(target.clone(), message, dry_run, object);
    if choice.force && grace == Some(0) {
        outcome.warning = Some(FORCE_DELETE_WARNING.to_string());
    }
    Ok(outcome)
}

/// Deletes every target, a few at a time, sending each outcome to `progress` as it arrives
/// (in completion order, not the order given). Returns when all are done.
pub async fn delete_many(
    client: &Client,
    targets: Vec<ObjectRef>,
    choice: DeleteChoice,
    dry_run: bool,
    progress: UnboundedSender<(ObjectRef, Result<ActionOutcome, String>)>,
) {
    futures::stream::iter(targets)
        .for_each_concurrent(CONCURRENT_DELETES, |target| {
            let progress = progress.clone();
            async move {
                let result = delete(client, &target, choice, dry_run).await;
                // A closed receiver means nobody waits for the answers; the deletions go on.
                let _ = progress.send((target, result));
            }
        })
        .await;
}

/// The pods in `namespace` (or everywhere) that have finished for good and only take space:
/// phase Failed, which covers evicted pods (Failed, reason `Evicted`), pods a kubelet rejected
/// (`OutOfcpu`, `NodeAffinity`...) and containers that exited in error under
/// `restartPolicy: Never`. Succeeded pods are left: they are a Job's record of success.
/// Listed as `kubectl get pods --field-selector=status.phase=Failed` lists them, in pages.
pub async fn finished_pods(
    client: &Client,
    namespace: Option<&str>,
) -> Result<Vec<ObjectRef>, String> {
    let resource = WatchedKind::Pods.api_resource();
    let (api, call): (Api<DynamicObject>, String) = match namespace {
        Some(namespace) => (
            Api::namespaced_with(client.clone(), namespace, &resource),
            format!("list failed pods in namespace \"{namespace}\""),
        ),
        None => (
            Api::all_with(client.clone(), &resource),
            "list failed pods in all namespaces".to_string(),
        ),
    };
    let mut params = ListParams::default()
        .fields("status.phase=Failed")
        .limit(LIST_CHUNK);
    let mut pods = Vec::new();
    loop {
        let page = api
            .list(&params)
            .await
            .map_err(|error| api_error(&call, error))?;
        for pod in &page.items {
            // The server filters already; this keeps the promise if a server ignored the field.
            if pod.data.pointer("/status/phase").and_then(Value::as_str) == Some("Failed") {
                pods.push(ObjectRef::watched(
                    WatchedKind::Pods,
                    pod.metadata.namespace.as_deref().unwrap_or_default(),
                    pod.metadata.name.as_deref().unwrap_or_default(),
                ));
            }
        }
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    Ok(pods)
}

/// `kubectl scale KIND NAME --replicas=N`: a JSON merge patch `{"spec":{"replicas":N}}` of the
/// object's scale subresource (deployments, replica sets, stateful sets, and custom resources
/// that declare one). A kind without one is refused by the API server (404).
pub async fn scale(
    client: &Client,
    target: &ObjectRef,
    replicas: i32,
    dry_run: bool,
) -> Result<ActionOutcome, String> {
    let call = format!("scale {}", target.described());
    if replicas < 0 {
        // kubectl refuses this before sending anything.
        return Err(format!(
            "{call}: the replica count must be greater than or equal to 0, not {replicas}"
        ));
    }
    let params = PatchParams {
        dry_run,
        ..PatchParams::default()
    };
    let patch = json!({"spec": {"replicas": replicas}});
    let scale = target
        .api(client)
        .patch_scale(&target.name, &params, &Patch::Merge(&patch))
        .await
        .map_err(|error| api_error(&call, error))?;
    let message = format!("{} scaled", target.kubectl_name());
    let object = serde_json::to_value(scale).ok();
    Ok(ActionOutcome::new(target.clone(), message, dry_run, object))
}

/// `kubectl rollout restart KIND NAME` for deployments, daemon sets and stateful sets: the pod
/// template gets the annotation `kubectl.kubernetes.io/restartedAt` = `now` (RFC 3339, whole
/// seconds), which changes the template and so rolls out new pods. Sent as kubectl sends it: the
/// object is read, changed, and the two-way strategic merge patch between them is sent.
pub async fn restart_rollout(
    client: &Client,
    target: &ObjectRef,
    now: Timestamp,
    dry_run: bool,
) -> Result<ActionOutcome, String> {
    let call = format!("restart {}", target.described());
    let original = get(client, target, &call).await?;
    let patch =
        restart_patch(target, &original, now).map_err(|reason| format!("{call}: {reason}"))?;
    let object =
        send_strategic_patch(client, target, &call, patch, ROLLOUT_MANAGER, dry_run).await?;
    let message = format!("{} restarted", target.kubectl_name());
    Ok(ActionOutcome::new(
        target.clone(),
        message,
        dry_run,
        Some(object),
    ))
}

/// The strategic merge patch `kubectl rollout restart` sends for `object` at `now`: the two-way
/// patch from the object as read to the object with the `restartedAt` annotation set; an error
/// (kubectl's words) for a kind it cannot restart, a paused Deployment, or nothing to change.
pub fn restart_patch(target: &ObjectRef, object: &Value, now: Timestamp) -> Result<Value, String> {
    let restartable = matches!(target.resource.group.as_str(), "apps" | "extensions")
        && matches!(
            target.resource.kind.as_str(),
            "Deployment" | "DaemonSet" | "StatefulSet"
        );
    if !restartable {
        return Err("restarting is not supported".into());
    }
    if target.resource.kind == "Deployment"
        && object.pointer("/spec/paused").and_then(Value::as_bool) == Some(true)
    {
        return Err("can't restart paused deployment (run rollout resume first)".into());
    }
    let mut modified = object.clone();
    let template = modified
        .pointer_mut("/spec/template")
        .and_then(Value::as_object_mut)
        .ok_or("the object has no pod template")?;
    let metadata = object_entry(template, "metadata");
    let annotations = object_entry(metadata, "annotations");
    annotations.insert(RESTARTED_AT.to_string(), json!(restarted_at_text(now)));
    let patch = create_strategic_merge_patch(&target.object_kind(), object, &modified)
        .map_err(|error| error.to_string())?;
    if patch.as_object().is_some_and(Map::is_empty) {
        // A second restart within the same second: the template already says so.
        return Err(format!(
            "failed to create patch for {}: empty patch",
            target.name
        ));
    }
    Ok(patch)
}

/// The `restartedAt` text for `now`: Go's `time.RFC3339` (whole seconds). kubectl formats its
/// local time; kscope formats UTC (`Z`), the same text when kubectl runs in UTC.
pub fn restarted_at_text(now: Timestamp) -> String {
    now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `kubectl set image KIND NAME CONTAINER=IMAGE`: every container and init container named
/// `container` (`*` names them all) in the pod template (workloads, Jobs, CronJobs) or the pod
/// itself gets `image`; sent as the two-way strategic merge patch between the object read and
/// the object changed, which lists the containers' order in `$setElementOrder/containers`.
/// When the image is already set there is nothing to send, and nothing is sent (as kubectl).
pub async fn set_image(
    client: &Client,
    target: &ObjectRef,
    container: &str,
    image: &str,
    dry_run: bool,
) -> Result<ActionOutcome, String> {
    let call = format!("set image of {}", target.described());
    let original = get(client, target, &call).await?;
    let Some(patch) = set_image_patch(target, &original, container, image)
        .map_err(|reason| format!("{call}: {reason}"))?
    else {
        let message = format!("{} image unchanged", target.kubectl_name());
        return Ok(ActionOutcome::new(target.clone(), message, dry_run, None));
    };
    let object = send_strategic_patch(client, target, &call, patch, SET_MANAGER, dry_run).await?;
    let message = format!("{} image updated", target.kubectl_name());
    Ok(ActionOutcome::new(
        target.clone(),
        message,
        dry_run,
        Some(object),
    ))
}

/// The strategic merge patch `kubectl set image` sends for `object`: the two-way patch from the
/// object as read to the object with the image set, `None` when the image is already set; an
/// error (kubectl's words) for a kind without pods or an unknown container.
pub fn set_image_patch(
    target: &ObjectRef,
    object: &Value,
    container: &str,
    image: &str,
) -> Result<Option<Value>, String> {
    let not_a_pod = || "the object is not a pod or does not have a pod template".to_string();
    let pointer = pod_spec_pointer(&target.resource).ok_or_else(not_a_pod)?;
    let mut modified = object.clone();
    let spec = modified
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .ok_or_else(not_a_pod)?;
    let in_init = set_container_image(spec, "initContainers", container, image);
    let in_main = set_container_image(spec, "containers", container, image);
    if !in_init && !in_main {
        return Err(format!("unable to find container named \"{container}\""));
    }
    let patch = create_strategic_merge_patch(&target.object_kind(), object, &modified)
        .map_err(|error| error.to_string())?;
    Ok(Some(patch).filter(|patch| patch.as_object().is_none_or(|p| !p.is_empty())))
}

/// Where the pod spec sits in an object of this kind, as kubectl's `UpdatePodSpecForObject`
/// knows it; `None` for kinds without one (custom resources included).
fn pod_spec_pointer(resource: &ApiResource) -> Option<&'static str> {
    match (resource.group.as_str(), resource.kind.as_str()) {
        ("", "Pod") => Some("/spec"),
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "DaemonSet" | "ReplicaSet")
        | ("apps", "StatefulSet")
        | ("batch", "Job") => Some("/spec/template/spec"),
        ("batch", "CronJob") => Some("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

/// Sets the image of the containers of `list` named `name` (all for `*`); whether any matched.
fn set_container_image(spec: &mut Map<String, Value>, list: &str, name: &str, image: &str) -> bool {
    let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) else {
        return false;
    };
    let mut found = false;
    for container in containers {
        if name == "*" || container.get("name").and_then(Value::as_str) == Some(name) {
            container["image"] = json!(image);
            found = true;
        }
    }
    found
}

/// GETs the object whole, as JSON.
async fn get(client: &Client, target: &ObjectRef, call: &str) -> Result<Value, String> {
    let object = target
        .api(client)
        .get(&target.name)
        .await
        .map_err(|error| api_error(call, error))?;
    serde_json::to_value(object).map_err(|error| format!("{call}: {error}"))
}

/// PATCHes with a strategic merge patch under kubectl's field manager; the object answered.
async fn send_strategic_patch(
    client: &Client,
    target: &ObjectRef,
    call: &str,
    patch: Value,
    field_manager: &str,
    dry_run: bool,
) -> Result<Value, String> {
    let params = PatchParams {
        dry_run,
        field_manager: Some(field_manager.to_string()),
        ..PatchParams::default()
    };
    let object = target
        .api(client)
        .patch(&target.name, &params, &Patch::Strategic(patch))
        .await
        .map_err(|error| api_error(call, error))?;
    serde_json::to_value(object).map_err(|error| format!("{call}: {error}"))
}

/// One line: the call, then the API server's code and message as it wrote them, or why it
/// could not be asked.
fn api_error(call: &str, error: kube::Error) -> String {
    super::api_error::api_error(call, &error).line()
}

/// The object stored under `key`, made one if missing or not an object.
fn object_entry<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(inner) => inner,
        _ => unreachable!("made an object above"),
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
