//! The Job controller: runs pods until `completions` succeed, up to `parallelism` at once,
//! and gives up after `backoffLimit` failures.

use std::sync::Arc;

use serde_json::{Value, json};

use super::owned::{
    Creations, is_active, is_ready, owned_by, pod_from_template, pods, resource, uid,
};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};
use crate::sim::write::create_object;

fn phase(pod: &Value) -> &str {
    pod.at("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn has_condition(job: &Value, type_: &str) -> bool {
    job.at("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == type_ && c["status"] == "True")
        })
}

/// Reconciles one Job; a pod the API server refused is a `FailedCreate` event and the Job is
/// tried again later.
pub fn reconcile(sim: &Sim, namespace: &str, job_name: &str) -> Creations {
    let jobs = resource("batch", "jobs");
    let Some(job) = sim.store.get(jobs, namespace, job_name) else {
        return Creations::Done;
    };
    if job.at("/metadata/deletionTimestamp").is_some()
        || has_condition(&job, "Complete")
        || has_condition(&job, "Failed")
    {
        return Creations::Done;
    }
    let mut creations = Creations::Done;
    let completions = job
        .at("/spec/completions")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let parallelism = job
        .at("/spec/parallelism")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let backoff_limit = job
        .at("/spec/backoffLimit")
        .and_then(Value::as_i64)
        .unwrap_or(6);
    let suspended = job.at("/spec/suspend").and_then(Value::as_bool) == Some(true);
    let owned = owned_by(sim, pods(), namespace, uid(&job));
    let succeeded = owned.iter().filter(|p| phase(p) == "Succeeded").count() as i64;
    let failed = owned.iter().filter(|p| phase(p) == "Failed").count() as i64;
    let mut active = owned.iter().filter(|p| is_active(p)).count() as i64;
    let now = time_text(sim.now());
    let start_time = job.at("/status/startTime").cloned().unwrap_or(json!(now));
    let mut status = json!({
        "startTime": start_time,
        "active": active,
        "succeeded": succeeded,
        "failed": failed,
        "ready": owned.iter().filter(|p| is_active(p) && is_ready(p)).count(),
        "terminating": owned.iter().filter(|p| p.at("/metadata/deletionTimestamp").is_some()).count(),
        "uncountedTerminatedPods": {},
    });
    let uid_text = uid(&job).to_string();
    if succeeded >= completions {
        status["active"] = json!(0);
        status["completionTime"] = json!(now);
        status["conditions"] = json!([
            {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": now, "lastTransitionTime": now},
            {"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": now, "lastTransitionTime": now},
        ]);
        record(
            sim,
            &job,
            None,
            EventType::Normal,
            "Completed",
            "Job completed",
            controller("job-controller"),
        );
    } else if failed > backoff_limit || past_backoff_limit_on_failure(&job, &owned, backoff_limit) {
        for pod in owned.iter().filter(|p| is_active(p)) {
            let _ = delete_default(sim, pods(), namespace, super::owned::name(pod), None);
        }
        status["active"] = json!(0);
        status["conditions"] = json!([
            {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": now, "lastTransitionTime": now},
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": now, "lastTransitionTime": now},
        ]);
        record(
            sim,
            &job,
            None,
            EventType::Warning,
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
            controller("job-controller"),
        );
    } else if !suspended {
        while active < parallelism && active + succeeded < completions {
            let pod_name = format!("{job_name}-{}", sim.with_rng(|r| r.suffix(5)));
            let pod = pod_from_template(
                &job,
                "/spec/template",
                &pod_name,
                &crate::sim::admission::job_labels(&uid_text, job_name),
            );
            if let Err(error) = create_object(sim, pods(), Some(namespace), pod) {
                super::owned::record_failed_create(sim, &job, &error, "job-controller");
                if !super::owned::namespace_terminating(&error) {
                    creations = Creations::Refused;
                }
                break;
            }
            record(
                sim,
                &job,
                None,
                EventType::Normal,
                "SuccessfulCreate",
                &format!("Created pod: {pod_name}"),
                controller("job-controller"),
            );
            active += 1;
        }
        status["active"] = json!(active);
    }
    let _ = sim.store.modify(jobs, namespace, job_name, |job| {
        // Keep fields a finished job already reported.
        if job["status"] == status {
            return false;
        }
        job["status"] = status.clone();
        true
    });
    creations
}

/// With restartPolicy OnFailure a failing container is restarted in its pod rather than the pod
/// failing, so the restarts of the active pods' containers count against backoffLimit, as the
/// Job controller's pastBackoffLimitOnFailure counts them.
fn past_backoff_limit_on_failure(job: &Value, pods: &[Arc<Value>], backoff_limit: i64) -> bool {
    if job
        .at("/spec/template/spec/restartPolicy")
        .and_then(Value::as_str)
        != Some("OnFailure")
    {
        return false;
    }
    let restarts: i64 = pods
        .iter()
        .filter(|p| matches!(phase(p), "Running" | "Pending"))
        .flat_map(|p| {
            ["initContainerStatuses", "containerStatuses"]
                .into_iter()
                .filter_map(|list| p["status"][list].as_array())
                .flatten()
                .map(|s| s["restartCount"].as_i64().unwrap_or(0))
                .collect::<Vec<_>>()
        })
        .sum();
    if backoff_limit == 0 {
        restarts > 0
    } else {
        restarts >= backoff_limit
    }
}
