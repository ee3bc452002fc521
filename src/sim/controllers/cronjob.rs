//! The CronJob controller: creates a Job for each scheduled time, and keeps the history short.

use serde_json::{Value, json};

use super::cron::Schedule;
use super::owned::{name, owned_by, owner_reference, resource, uid};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};
use crate::sim::write::create_object;

fn finished(job: &Value, type_: &str) -> bool {
    job.at("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == type_ && c["status"] == "True")
        })
}

/// Reconciles every CronJob.
pub fn reconcile_all(sim: &Sim) {
    let cronjobs = resource("batch", "cronjobs");
    let jobs = resource("batch", "jobs");
    let now = sim.now();
    let (all, _, _) = sim.store.list(cronjobs, None, None, |_| true, 0);
    for cronjob in all {
        let (namespace, cron_name) = crate::sim::store::object_key(&cronjob);
        let owned = owned_by(sim, jobs, &namespace, uid(&cronjob));
        let schedule = cronjob
            .at("/spec/schedule")
            .and_then(Value::as_str)
            .and_then(Schedule::parse);
        let suspended = cronjob.at("/spec/suspend").and_then(Value::as_bool) == Some(true);
        let last = cronjob
            .at("/status/lastScheduleTime")
            .or_else(|| cronjob.at("/metadata/creationTimestamp"))
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .unwrap_or(now);
        let mut last_schedule = cronjob.at("/status/lastScheduleTime").cloned();
        if let (Some(schedule), false) = (schedule, suspended)
            && let Some(due) = schedule.latest_between(last, now)
        {
            let job_name = format!("{cron_name}-{}", due.as_second() / 60);
            let template = cronjob
                .at("/spec/jobTemplate")
                .cloned()
                .unwrap_or(json!({}));
            let mut metadata = template.get("metadata").cloned().unwrap_or(json!({}));
            metadata["name"] = json!(job_name);
            metadata["namespace"] = json!(namespace);
            metadata["ownerReferences"] = json!([owner_reference(&cronjob)]);
            metadata["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] =
                json!(time_text(due));
            let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": template.get("spec").cloned().unwrap_or(json!({}))});
            if create_object(sim, jobs, Some(&namespace), job).is_ok() {
                record(
                    sim,
                    &cronjob,
                    None,
                    EventType::Normal,
                    "SuccessfulCreate",
                    &format!("Created job {job_name}"),
                    controller("cronjob-controller"),
                );
            }
            last_schedule = Some(json!(time_text(due)));
        }
        // History limits.
        for (type_, limit_field, default) in [
            ("Complete", "successfulJobsHistoryLimit", 3),
            ("Failed", "failedJobsHistoryLimit", 1),
        ] {
            let limit = cronjob
                .at(&format!("/spec/{limit_field}"))
                .and_then(Value::as_i64)
                .unwrap_or(default)
                .max(0) as usize;
            let mut done: Vec<_> = owned.iter().filter(|j| finished(j, type_)).collect();
            if done.len() > limit {
                done.sort_by_key(|j| {
                    j.at("/metadata/creationTimestamp")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                });
                for job in done.iter().take(done.len() - limit) {
                    let _ = delete_default(sim, jobs, &namespace, name(job), None);
                    record(
                        sim,
                        &cronjob,
                        None,
                        EventType::Normal,
                        "SawCompletedJob",
                        &format!("Saw completed job: {}, condition: {type_}", name(job)),
                        controller("cronjob-controller"),
                    );
                }
            }
        }
        let active: Vec<Value> = owned
            .iter()
            .filter(|j| !finished(j, "Complete") && !finished(j, "Failed"))
            .map(|j| json!({"kind": "Job", "namespace": namespace, "name": name(j), "uid": uid(j), "apiVersion": "batch/v1"}))
            .collect();
        let last_successful = owned
            .iter()
            .filter(|j| finished(j, "Complete"))
            .filter_map(|j| j.at("/status/completionTime").cloned())
            .max_by_key(|t| t.as_str().unwrap_or("").to_string());
        let mut status = json!({});
        if !active.is_empty() {
            status["active"] = json!(active);
        }
        if let Some(last) = last_schedule {
            status["lastScheduleTime"] = last;
        }
        if let Some(last) = last_successful {
            status["lastSuccessfulTime"] = last;
        }
        super::owned::write_status(sim, cronjobs, &namespace, &cron_name, status);
    }
}
