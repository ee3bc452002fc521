//! Likely causes and next steps for a pod's status, each backed by evidence read from the pod
//! (and from its events, when we have them).

use jiff::Timestamp;

use super::duration::human_duration;
use super::event::Event;
use super::pod::{Container, ContainerStatus, Pod, StateTerminated};
use super::pod_status::{PodColumns, quoted};
use super::qos::Qos;

/// Everything the hints may draw on.
pub struct HintInput<'a> {
    pub pod: &'a Pod,
    pub columns: &'a PodColumns,
    pub qos: &'a Qos,
    /// Events about this pod, any order.
    pub events: &'a [&'a Event],
    pub now: Timestamp,
}

/// The hints for one pod, most relevant first, without duplicates.
pub fn pod_hints(input: &HintInput<'_>) -> Vec<String> {
    let mut hints = Vec::new();
    pod_level_hints(input, &mut hints);
    container_hints(input, &mut hints);
    if input.qos.disagrees {
        hints.push(format!(
            "status.qosClass says {} but the spec now reads as {}: the class is fixed when the pod is created (an in-place resize does not change it). Eviction order and the OOM score follow the recorded class.",
            input.qos.shown, input.qos.computed
        ));
    }
    let mut seen = std::collections::HashSet::new();
    hints.retain(|hint| seen.insert(hint.clone()));
    hints
}

fn pod_level_hints(input: &HintInput<'_>, hints: &mut Vec<String>) {
    let pod = input.pod;
    let name = &pod.metadata.name;
    let namespace_flag = namespace_flag(pod);
    let status = input.columns.status.as_str();
    let message = &pod.status.message;
    match status {
        "Terminating" => hints.push(terminating_hint(input)),
        "Unknown" if pod.status.reason == "NodeLost" => hints.push(format!(
            "The pod's node {} stopped reporting (status.reason NodeLost) and the pod is being deleted, but no kubelet can confirm that its containers stopped. Check the node: `kubectl get node {}`. If the machine is gone for good, `kubectl delete pod {name}{namespace_flag} --grace-period=0 --force` removes the record (for a StatefulSet pod, only once you are sure the old one is not running).",
            quoted(&pod.spec.node_name),
            pod.spec.node_name
        )),
        "Evicted" => hints.push(format!(
            "The kubelet evicted the pod to reclaim node resources{}. Evicted pods stay as records; their controller has already created a replacement. QoS {} (BestEffort pods go first, then Burstable pods using more than they request). Set requests close to real usage; clean up with `kubectl delete pod {name}{namespace_flag}`.",
            evidence_suffix(message),
            input.qos.shown
        )),
        s if s.starts_with("OutOf") || pod.status.reason == "UnexpectedAdmissionError" || pod.status.reason == "NodeAffinity" => hints.push(format!(
            "The kubelet on {} refused to admit the pod ({s}{}): the node did not have the allocatable resources its requests need when it arrived, usually because the scheduler's view was stale or static pods took the room. The pod will not be retried (phase {}); a controller replaces it on another node. Delete this record with `kubectl delete pod {name}{namespace_flag}`.",
            quoted(&pod.spec.node_name),
            evidence_suffix(message),
            pod.status.phase
        )),
        "SchedulingGated" => {
            let gates: Vec<&str> = pod.spec.scheduling_gates.iter().map(|g| g.name.as_str()).collect();
            hints.push(format!(
                "The scheduler will not consider the pod until spec.schedulingGates is empty{}. The controller that added the gates removes them when its condition is met (a queue admitting the workload, a quota); check that controller.",
                if gates.is_empty() { String::new() } else { format!(" (gates: {})", gates.join(", ")) }
            ));
        }
        "Pending" => hints.push(pending_hint(input)),
        "Completed" => hints.push(format!(
            "Every container exited with code 0 (phase {}): the pod's work is done. It stays for its logs (`kubectl logs {name}{namespace_flag}`); a Job's ttlSecondsAfterFinished removes finished pods automatically.",
            pod.status.phase
        )),
        "NotReady" => hints.push(format!(
            "One container completed while another is still running, and the pod is not Ready. {}",
            readiness_detail(input)
        )),
        s if s.starts_with("Init:") && s[5..].contains('/') => {
            if let Some(running) = pod
                .status
                .init_container_statuses
                .iter()
                .find(|c| c.state.terminated.as_ref().is_none_or(|t| t.exit_code != 0))
            {
                let state = if running.state.running.is_some() { "is running" } else { "has not started yet" };
                hints.push(format!(
                    "Initialisation is under way ({} init containers done): init container {} {state}, and the app containers wait until it finishes. Follow it with `kubectl logs {name}{namespace_flag} -c {} -f`; an init container that never exits (waiting on a dependency) holds the pod here.",
                    &s[5..],
                    quoted(&running.name),
                    if running.name.is_empty() { "NAME" } else { &running.name }
                ));
            }
        }
        "PodInitializing" => hints.push(
            "Init containers have finished and the app containers are being started; this normally passes in seconds.".to_string(),
        ),
        "Running" if input.columns.ready_containers < input.columns.total_containers => hints.push(format!(
            "Running but not ready ({}): the pod receives no Service traffic until every container is ready. {}",
            input.columns.ready,
            readiness_detail(input)
        )),
        _ => {}
    }
}

fn terminating_hint(input: &HintInput<'_>) -> String {
    let pod = input.pod;
    let name = &pod.metadata.name;
    let grace = pod
        .metadata
        .deletion_grace_period_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30);
    // deletionTimestamp is when the grace period ends.
    let overdue = pod
        .metadata
        .deletion_timestamp
        .filter(|deadline| *deadline < input.now)
        .map(|deadline| human_duration(input.now.duration_since(deadline)));
    let mut text = match &overdue {
        None => format!(
            "Deletion was requested; the containers get {grace}s to stop after SIGTERM before they are killed. This is normal while the grace period runs."
        ),
        Some(late) => format!(
            "Deletion was requested and the {grace}s grace period ended {late} ago, yet the pod is still here."
        ),
    };
    if !pod.metadata.finalizers.is_empty() {
        text.push_str(&format!(
            " metadata.finalizers holds {}: the controllers owning them must remove them before the pod object goes away.",
            pod.metadata.finalizers.join(", ")
        ));
    } else if overdue.is_some() {
        text.push_str(&format!(
            " No finalizer holds it, so the kubelet on {} has not confirmed that the containers stopped: is the node Ready (`kubectl get node {}`)? If the node is gone, `kubectl delete pod {name}{} --grace-period=0 --force` removes the record.",
            quoted(&pod.spec.node_name),
            pod.spec.node_name,
            namespace_flag(pod)
        ));
    }
    text
}

fn pending_hint(input: &HintInput<'_>) -> String {
    let pod = input.pod;
    let scheduled = pod
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "PodScheduled");
    let failed_scheduling = latest_event(input.events, "FailedScheduling");
    if let Some(condition) = scheduled.filter(|c| c.status == "False") {
        let mut text = format!(
            "The scheduler cannot place the pod ({}{}).",
            if condition.reason.is_empty() {
                "PodScheduled=False"
            } else {
                &condition.reason
            },
            evidence_suffix(&condition.message)
        );
        if let Some(event) = failed_scheduling.filter(|e| e.message != condition.message) {
            text.push_str(&format!(
                " Latest FailedScheduling event: {}.",
                event.message.trim_end_matches('.')
            ));
        }
        text.push_str(&scheduling_constraints(pod));
        return text;
    }
    if let Some(event) = failed_scheduling {
        return format!(
            "The scheduler cannot place the pod (FailedScheduling: {}).{}",
            event.message.trim_end_matches('.'),
            scheduling_constraints(pod)
        );
    }
    if !pod.spec.node_name.is_empty() {
        return format!(
            "The pod is bound to {} but its containers have not been created yet: the kubelet may be pulling images or mounting volumes. Watch the events (`kubectl describe pod {}{}`).",
            quoted(&pod.spec.node_name),
            pod.metadata.name,
            namespace_flag(pod)
        );
    }
    format!(
        "The pod has not been scheduled yet and no scheduling failure is recorded; if it stays Pending, check that a scheduler is running{}.",
        scheduling_constraints(pod)
    )
}

/// What in the spec narrows where the pod may run.
fn scheduling_constraints(pod: &Pod) -> String {
    let mut parts = Vec::new();
    let requests: Vec<String> = pod
        .spec
        .containers
        .iter()
        .flat_map(|c| c.resources.requests.iter())
        .filter(|(name, _)| *name == "cpu" || *name == "memory")
        .map(|(name, quantity)| format!("{name} {quantity}"))
        .collect();
    if !requests.is_empty() {
        parts.push(format!("it requests {}", requests.join(", ")));
    }
    if !pod.spec.node_selector.is_empty() {
        let selector: Vec<String> = pod
            .spec
            .node_selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        parts.push(format!("its nodeSelector needs {}", selector.join(", ")));
    }
    if pod.spec.affinity.is_some() {
        parts.push("it has affinity rules".to_string());
    }
    if !pod.spec.tolerations.is_empty() {
        let tolerations: Vec<String> = pod
            .spec
            .tolerations
            .iter()
            .map(|t| {
                if t.key.is_empty() {
                    "everything".to_string()
                } else {
                    t.key.clone()
                }
            })
            .collect();
        parts.push(format!("it tolerates {}", tolerations.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(
            " Compare with what nodes offer (`kubectl describe nodes`: allocatable, taints, labels): {}.",
            parts.join("; ")
        )
    }
}

fn readiness_detail(input: &HintInput<'_>) -> String {
    let pod = input.pod;
    let mut parts = Vec::new();
    for status in &pod.status.init_container_statuses {
        let Some(spec) = pod
            .init_container_spec(&status.name)
            .filter(|c| c.is_sidecar())
        else {
            continue;
        };
        if status.started == Some(true) && !status.ready {
            parts.push(match spec.readiness_probe {
                Some(_) => format!(
                    "sidecar {} runs but its readiness probe is failing",
                    quoted(&status.name)
                ),
                None => format!(
                    "sidecar {} has started but is not ready",
                    quoted(&status.name)
                ),
            });
        }
    }
    for status in &pod.status.container_statuses {
        if status.ready && status.state.running.is_some() {
            continue;
        }
        if status.state.running.is_some() {
            let probe = pod
                .container_spec(&status.name)
                .and_then(|c| c.readiness_probe.as_ref());
            parts.push(match probe {
                Some(_) => format!("container {} runs but its readiness probe is failing", quoted(&status.name)),
                None => format!("container {} runs but is not ready (no readiness probe: it may still be starting)", quoted(&status.name)),
            });
        }
    }
    for gate in &pod.spec.readiness_gates {
        let condition = pod
            .status
            .conditions
            .iter()
            .find(|c| c.type_ == gate.condition_type);
        if condition.is_none_or(|c| c.status != "True") {
            parts.push(format!(
                "readiness gate {} is {}: the controller that owns it (a load balancer controller, typically) has not marked it True",
                gate.condition_type,
                condition.map_or("missing", |c| c.status.as_str())
            ));
        }
    }
    if let Some(event) = latest_event(input.events, "Unhealthy") {
        parts.push(format!("latest probe failure: {}", event.message.trim()));
    }
    if parts.is_empty() {
        "Check the Ready condition's message in `kubectl describe pod`.".to_string()
    } else {
        let mut text = parts.join("; ");
        text.push('.');
        upper_first(&text)
    }
}

fn container_hints(input: &HintInput<'_>, hints: &mut Vec<String>) {
    let pod = input.pod;
    for status in &pod.status.init_container_statuses {
        let spec = pod.init_container_spec(&status.name);
        container_problem(input, status, spec, true, hints);
    }
    for status in &pod.status.container_statuses {
        let spec = pod.container_spec(&status.name);
        container_problem(input, status, spec, false, hints);
    }
}

fn container_problem(
    input: &HintInput<'_>,
    status: &ContainerStatus,
    spec: Option<&Container>,
    init: bool,
    hints: &mut Vec<String>,
) {
    let pod = input.pod;
    let what = if init { "Init container" } else { "Container" };
    let name = quoted(&status.name);
    let logs = format!(
        "`kubectl logs {}{} -c {}",
        pod.metadata.name,
        namespace_flag(pod),
        if status.name.is_empty() {
            "NAME"
        } else {
            &status.name
        }
    );
    let image = spec
        .map(|c| c.image.as_str())
        .filter(|i| !i.is_empty())
        .unwrap_or(&status.image);
    if let Some(waiting) = &status.state.waiting {
        let message = evidence_suffix(&waiting.message);
        match waiting.reason.as_str() {
            "CrashLoopBackOff" => {
                let last = status.last_state.terminated.as_ref();
                let mut text = format!(
                    "{what} {name} keeps crashing: restarted {} times, and the kubelet waits longer before each restart (up to 5 minutes).",
                    status.restart_count
                );
                if let Some(last) = last {
                    text.push_str(&format!(" Its last run ended {}.", termination_summary(last, input.now)));
                    text.push_str(&exit_advice(last, spec, input.qos, &logs));
                } else {
                    text.push_str(&format!(" Read why it exits: {logs} --previous`."));
                }
                hints.push(text);
            }
            "ErrImagePull" | "ImagePullBackOff" => {
                let secrets: Vec<&str> = pod.spec.image_pull_secrets.iter().map(|s| s.name.as_str()).collect();
                let pull_event = latest_event(input.events, "Failed").filter(|e| e.message.contains("ull"));
                // The registry's own words (the event's, else the status message) say which
                // failure this is; the status word alone does not.
                let evidence = pull_event.map(|e| e.message.as_str()).unwrap_or(waiting.message.as_str());
                let secrets_text = if secrets.is_empty() { "(none set)".to_string() } else { secrets.join(", ") };
                let cause = match pull_failure(evidence) {
                    PullFailure::NotFound => ". The registry has no such image (not found): check the repository and tag for typos, and that the tag was pushed (the registry answered, so it is reachable).".to_string(),
                    PullFailure::Unauthorized => format!(
                        ". The registry refused it (unauthorized): either the image is private and imagePullSecrets {secrets_text} lack valid credentials for its registry, or the repository does not exist (Docker Hub answers both the same way)."
                    ),
                    PullFailure::Unreachable => ". The node cannot reach the registry (network, DNS or proxy): check egress from the node to the registry host.".to_string(),
                    PullFailure::RateLimited => ". The registry is rate-limiting this node's pulls (toomanyrequests): authenticate with imagePullSecrets or use a mirror.".to_string(),
                    PullFailure::Other => format!(
                        ". Check that the repository and tag exist and are spelled right, that the node can reach the registry, and for a private registry that imagePullSecrets {secrets_text} hold valid credentials."
                    ),
                };
                hints.push(format!(
                    "{what} {name} cannot pull its image {}{}{message}{cause}{}",
                    quoted(image),
                    if waiting.reason == "ImagePullBackOff" { " (the kubelet is backing off between attempts)" } else { "" },
                    pull_event.map(|e| format!(" Latest pull failure: {}.", e.message.trim_end_matches('.'))).unwrap_or_default()
                ));
            }
            "InvalidImageName" => hints.push(format!(
                "{what} {name} names an image the runtime cannot parse: {}{message}. Fix spec.{}[].image (a reference like registry/repo:tag or repo@sha256:digest, lowercase, no spaces).",
                quoted(image),
                if init { "initContainers" } else { "containers" }
            )),
            "CreateContainerConfigError" => hints.push(format!(
                "{what} {name} cannot be configured{message}. {}",
                missing_reference_advice(pod, spec)
            )),
            "CreateContainerError" | "RunContainerError" | "StartError" | "ContainerCannotRun" => hints.push(format!(
                "The runtime could not start {what_lower} {name} ({}){message}. Usually the command or entrypoint does not exist in the image, is not executable, or a mount conflicts; check spec command/args and the image.",
                waiting.reason,
                what_lower = what.to_lowercase()
            )),
            "ContainerCreating" => {
                let blocker = ["FailedMount", "FailedAttachVolume", "FailedCreatePodSandBox"]
                    .iter()
                    .find_map(|reason| latest_event(input.events, reason));
                hints.push(match blocker {
                    Some(event) => format!(
                        "{what} {name} is still being created; it is blocked: {} {}.",
                        event.reason,
                        event.message.trim_end_matches('.')
                    ),
                    None => format!(
                        "{what} {name} is still being created: the kubelet is pulling {} or mounting volumes. If this lasts minutes, the events say why (FailedMount, FailedCreatePodSandBox).",
                        quoted(image)
                    ),
                });
            }
            _ => {}
        }
        return;
    }
    if let Some(terminated) = &status.state.terminated
        && terminated.exit_code != 0
    {
        hints.push(format!(
            "{what} {name} {}.{}",
            termination_summary(terminated, input.now),
            exit_advice(terminated, spec, input.qos, &logs)
        ));
        return;
    }
    // Running (or finished cleanly) but restarted earlier: say why the last run ended.
    if status.restart_count > 0
        && let Some(last) = &status.last_state.terminated
    {
        hints.push(format!(
            "{what} {name} has restarted {} times; its previous run ended {}.{}",
            status.restart_count,
            termination_summary(last, input.now),
            exit_advice(last, spec, input.qos, &logs)
        ));
    }
}

/// "with OOMKilled (exit code 137) 2m ago".
fn termination_summary(terminated: &StateTerminated, now: Timestamp) -> String {
    let when = terminated
        .finished_at
        .map(|t| format!(" {} ago", human_duration(now.duration_since(t))))
        .unwrap_or_default();
    let reason = if terminated.reason.is_empty() {
        String::new()
    } else {
        format!("{} ", terminated.reason)
    };
    if terminated.signal != 0 {
        format!("with {reason}(signal {}){when}", terminated.signal)
    } else {
        format!("with {reason}(exit code {}){when}", terminated.exit_code)
    }
}

/// What an exit means and what to do about it.
fn exit_advice(
    terminated: &StateTerminated,
    spec: Option<&Container>,
    qos: &Qos,
    logs: &str,
) -> String {
    if terminated.reason == "OOMKilled" {
        let limit = spec
            .and_then(|c| c.resources.limits.get("memory"))
            .map(|q| format!("its memory limit is {q}"))
            .unwrap_or_else(|| {
                "it has no memory limit, so the node itself ran out of memory".to_string()
            });
        let request = spec
            .and_then(|c| c.resources.requests.get("memory"))
            .map(|q| format!(", request {q}"))
            .unwrap_or_default();
        return format!(
            " The kernel killed it for using too much memory: {limit}{request}, QoS {}. Raise the limit if the workload needs it, or find the leak: {logs} --previous`.",
            qos.shown
        );
    }
    if matches!(
        terminated.reason.as_str(),
        "StartError" | "ContainerCannotRun"
    ) {
        return format!(
            " The runtime could not start the process{}: usually the command or entrypoint does not exist in the image or is not executable; check command/args and the image.",
            evidence_suffix(&terminated.message)
        );
    }
    match terminated.exit_code {
        137 => format!(
            " Exit 137 is SIGKILL: a failed liveness probe (see Unhealthy events), an OOM kill outside the container's limit, or a kill after the termination grace period. Last output: {logs} --previous`."
        ),
        143 => format!(
            " Exit 143 is SIGTERM: something stopped it (a liveness probe, a rollout, a deletion). Last output: {logs} --previous`."
        ),
        126 | 127 => format!(
            " Exit {} means the command {} in the image: check command/args. {logs} --previous` shows the shell's error.",
            terminated.exit_code,
            if terminated.exit_code == 127 {
                "was not found"
            } else {
                "could not be executed"
            }
        ),
        _ => format!(
            " The application exited on its own{}: read its last output with {logs} --previous`.",
            if terminated.message.is_empty() {
                String::new()
            } else {
                format!(" (termination message: {})", terminated.message.trim())
            }
        ),
    }
}

/// Names the ConfigMaps and Secrets a container needs, from its env, envFrom and volumes.
fn missing_reference_advice(pod: &Pod, spec: Option<&Container>) -> String {
    let mut references = Vec::new();
    if let Some(container) = spec {
        for env in &container.env {
            if let Some(source) = &env.value_from {
                if let Some(r) = source
                    .config_map_key_ref
                    .as_ref()
                    .filter(|r| r.optional != Some(true))
                {
                    references.push(format!("ConfigMap {} (key {})", r.name, r.key));
                }
                if let Some(r) = source
                    .secret_key_ref
                    .as_ref()
                    .filter(|r| r.optional != Some(true))
                {
                    references.push(format!("Secret {} (key {})", r.name, r.key));
                }
            }
        }
        for env_from in &container.env_from {
            if let Some(r) = env_from
                .config_map_ref
                .as_ref()
                .filter(|r| r.optional != Some(true))
            {
                references.push(format!("ConfigMap {}", r.name));
            }
            if let Some(r) = env_from
                .secret_ref
                .as_ref()
                .filter(|r| r.optional != Some(true))
            {
                references.push(format!("Secret {}", r.name));
            }
        }
    }
    let namespace = if pod.metadata.namespace.is_empty() {
        "its namespace".to_string()
    } else {
        format!("namespace {}", pod.metadata.namespace)
    };
    if references.is_empty() {
        format!(
            "A ConfigMap or Secret (or one of its keys) that the container's env refers to is missing from {namespace}; create it, fix the reference, or mark it optional."
        )
    } else {
        format!(
            "It reads {}: check each exists in {namespace} with `kubectl get configmap,secret{}`, then create it, fix the reference, or mark it optional.",
            references.join(", "),
            namespace_flag(pod)
        )
    }
}

/// Why an image pull failed, from the registry's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullFailure {
    NotFound,
    Unauthorized,
    Unreachable,
    RateLimited,
    Other,
}

/// Reads which pull failure a registry's or kubelet's message describes.
pub fn pull_failure(message: &str) -> PullFailure {
    let m = message.to_lowercase();
    if m.contains("toomanyrequests") || m.contains("rate limit") {
        PullFailure::RateLimited
    } else if m.contains("not found") || m.contains("manifest unknown") || m.contains("notfound") {
        PullFailure::NotFound
    } else if m.contains("unauthorized")
        || m.contains("authentication required")
        || m.contains("access denied")
        || m.contains("denied")
        || m.contains("403 forbidden")
    {
        PullFailure::Unauthorized
    } else if m.contains("i/o timeout")
        || m.contains("no such host")
        || m.contains("connection refused")
        || m.contains("dial tcp")
        || m.contains("context deadline exceeded")
    {
        PullFailure::Unreachable
    } else {
        PullFailure::Other
    }
}

/// The latest of `events` with `reason`.
pub fn latest_event<'a>(events: &[&'a Event], reason: &str) -> Option<&'a Event> {
    events
        .iter()
        .filter(|e| e.reason == reason)
        .max_by_key(|e| e.last_seen())
        .copied()
}

/// `: message`, or nothing for an empty message.
fn evidence_suffix(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn namespace_flag(pod: &Pod) -> String {
    if pod.metadata.namespace.is_empty() {
        String::new()
    } else {
        format!(" -n {}", pod.metadata.namespace)
    }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "pod_hints_tests.rs"]
mod tests;
