//! Jobs (STATUS, COMPLETIONS: the pods run to success against backoffLimit and the deadline)
//! and CronJobs (SUSPEND, ACTIVE, LAST SCHEDULE: the Jobs made on schedule).

use super::*;
use crate::model::duration::human_duration;

/// A Job's state from its conditions, as kubectl's STATUS column reads them.
fn job_state(object: &Value) -> (String, Option<Condition>) {
    let all = conditions(object);
    for type_ in [
        "Failed",
        "Complete",
        "Suspended",
        "FailureTarget",
        "SuccessCriteriaMet",
    ] {
        if let Some(c) = condition(&all, type_).filter(|c| c.status == "True") {
            return (type_.to_string(), Some(c.clone()));
        }
    }
    ("Running".to_string(), None)
}

/// Explains a Job.
pub fn explain_job(object: &Value, related: &Related<'_>, now: Timestamp) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed("Job", object, now, &["Status", "Completions", "Duration"]);
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let parallelism = int(object, "/spec/parallelism").unwrap_or(1);
    let completions = int(object, "/spec/completions");
    let succeeded = int(object, "/status/succeeded").unwrap_or(0);
    let failed = int(object, "/status/failed").unwrap_or(0);
    let active = int(object, "/status/active").unwrap_or(0);
    let backoff_limit = int(object, "/spec/backoffLimit").unwrap_or(6);
    steps.push(Step::new(
        "spec.completions",
        completions.map_or("<unset>".to_string(), |c| c.to_string()),
        match completions {
            Some(_) => "pods that must succeed",
            None => {
                "unset: the Job is done when one pod succeeds and the others end (a work queue)"
            }
        },
    ));
    steps.push(Step::new(
        "spec.parallelism",
        parallelism.to_string(),
        "pods run at once (1 when unset)",
    ));
    steps.push(Step::new(
        "status.succeeded",
        succeeded.to_string(),
        "pods that ended with exit code 0",
    ));
    steps.push(Step::new(
        "COMPLETIONS",
        value_of(&columns, "COMPLETIONS"),
        "status.succeeded / spec.completions",
    ));
    steps.push(Step::new(
        "status.active",
        active.to_string(),
        "pods running or pending now",
    ));
    steps.push(Step::new(
        "status.failed",
        failed.to_string(),
        format!(
            "pods that failed; at more than spec.backoffLimit ({backoff_limit}) the Job fails, retries waiting 10s, 20s, 40s … up to 6m between them"
        ),
    ));
    if let Some(deadline) = int(object, "/spec/activeDeadlineSeconds") {
        steps.push(Step::new(
            "spec.activeDeadlineSeconds",
            deadline.to_string(),
            "the Job fails once it has run this long, whatever its pods do",
        ));
    }
    let suspended = flag(object, "/spec/suspend");
    if suspended {
        steps.push(Step::new(
            "spec.suspend",
            "true",
            "no pods run until it is resumed; running ones were stopped",
        ));
    }
    condition_steps(&conditions(object), &mut steps);
    let (state, reason) = job_state(object);
    steps.push(Step::new(
        "STATUS",
        value_of(&columns, "STATUS"),
        "the first of the Failed, Complete, Suspended conditions that is True; else Running",
    ));
    let (_, members) = pods_of("Job", object, &meta, related, now);
    let reason_word = reason.as_ref().map(|c| c.reason.as_str()).unwrap_or("");
    let (status, health) = match state.as_str() {
        "Failed" | "FailureTarget" => {
            match reason_word {
                "BackoffLimitExceeded" => hints.push(format!(
                    "Its pods failed {} (backoffLimit {backoff_limit}). Why they fail is above; `kubectl logs -n {} job/{}` shows a pod's output. Fix the cause, then delete the Job and run it again (from its CronJob: t).",
                    plural(failed, "time"),
                    meta.namespace,
                    meta.name
                )),
                "DeadlineExceeded" => hints.push(format!(
                    "It ran longer than activeDeadlineSeconds ({}s) and was stopped: make the work faster or the deadline longer.",
                    int(object, "/spec/activeDeadlineSeconds").unwrap_or(0)
                )),
                "PodFailurePolicy" => hints.push(format!(
                    "A pod failure matched a FailJob rule of spec.podFailurePolicy: {}",
                    reason.as_ref().map(|c| c.message.as_str()).unwrap_or("")
                )),
                _ => {}
            }
            (
                format!(
                    "failed: {}",
                    if reason_word.is_empty() {
                        "Failed"
                    } else {
                        reason_word
                    }
                ),
                Health::Failing,
            )
        }
        "Complete" | "SuccessCriteriaMet" => ("complete".to_string(), Health::Done),
        "Suspended" => {
            hints.push(format!(
                "It is suspended: `kubectl patch job {} -n {} -p '{{\"spec\":{{\"suspend\":false}}}}'` resumes it.",
                meta.name, meta.namespace
            ));
            ("suspended".to_string(), Health::Progressing)
        }
        _ if failed > 0 => {
            hints.push(format!(
                "{} failed so far; the Job fails after {}. The failing pods' reasons are above.",
                plural(failed, "pod"),
                plural(backoff_limit + 1, "failure")
            ));
            (
                format!(
                    "running, {} of backoffLimit {backoff_limit} used",
                    plural(failed, "failure")
                ),
                Health::Failing,
            )
        }
        _ => (
            format!("running: {succeeded} succeeded, {active} active"),
            Health::Progressing,
        ),
    };
    if let Some(summary) = members_summary(&members)
        && health == Health::Progressing
    {
        hints.push(summary);
    }
    explained(meta, (status, health), columns, steps, hints, members)
}

/// Explains a CronJob: its schedule, whether it runs, and the Jobs it made.
pub fn explain_cron_job(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed(
        "CronJob",
        object,
        now,
        &["Schedule", "Suspend", "Active", "Last Schedule"],
    );
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let schedule = text(object, "/spec/schedule");
    let zone = text(object, "/spec/timeZone");
    steps.push(Step::new(
        "spec.schedule",
        schedule,
        if zone.is_empty() {
            "cron syntax, in the controller manager's time zone (spec.timeZone unset)".to_string()
        } else {
            format!("cron syntax, in {zone}")
        },
    ));
    let suspended = flag(object, "/spec/suspend");
    steps.push(Step::new(
        "SUSPEND",
        value_of(&columns, "SUSPEND"),
        if suspended {
            "spec.suspend: no new Jobs are made until it is false; running ones go on"
        } else {
            "spec.suspend: Jobs are made on schedule"
        },
    ));
    let active = object
        .pointer("/status/active")
        .and_then(Value::as_array)
        .map(|a| a.len())
        .unwrap_or(0);
    steps.push(Step::new(
        "ACTIVE",
        active.to_string(),
        "status.active: the Jobs it made that are still running",
    ));
    let last = object
        .pointer("/status/lastScheduleTime")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok());
    steps.push(Step::new(
        "LAST SCHEDULE",
        value_of(&columns, "LAST SCHEDULE"),
        "status.lastScheduleTime: when it last made a Job",
    ));
    let last_success = object
        .pointer("/status/lastSuccessfulTime")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok());
    if let Some(at) = last_success {
        steps.push(Step::new(
            "status.lastSuccessfulTime",
            format!("{} ago", human_duration(now.duration_since(at))),
            "when a Job it made last completed",
        ));
    }
    let policy = match text(object, "/spec/concurrencyPolicy") {
        "" => "Allow",
        other => other,
    };
    steps.push(Step::new(
        "spec.concurrencyPolicy",
        policy,
        match policy {
            "Forbid" => "a run is skipped while the previous Job still runs",
            "Replace" => "a new run replaces the Job still running",
            _ => "runs may overlap",
        },
    ));
    if let Some(deadline) = int(object, "/spec/startingDeadlineSeconds") {
        steps.push(Step::new(
            "spec.startingDeadlineSeconds",
            deadline.to_string(),
            "a run that cannot start within this long after its time is counted as missed",
        ));
    }
    let mut jobs = owned_by(related, &meta.uid);
    jobs.sort_by_key(|j| {
        j.pointer("/metadata/creationTimestamp")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    });
    let mut members = Vec::new();
    for job in &jobs {
        let (state, reason) = job_state(job);
        let job_meta = metadata(job);
        let why = match (&state[..], &reason) {
            ("Failed", Some(c)) => format!("{}: {}", c.reason, c.message),
            ("Running", _) => format!(
                "running for {}",
                human_duration(now.duration_since(job_meta.creation_timestamp.unwrap_or(now)))
            ),
            _ => state.clone(),
        };
        if state == "Failed" || (state == "Running" && policy == "Forbid") {
            members.push(Member {
                kind: "Job".to_string(),
                namespace: job_meta.namespace,
                name: job_meta.name,
                status: state,
                why,
            });
        }
    }
    steps.push(Step::new(
        "Jobs it owns",
        jobs.len().to_string(),
        format!(
            "kept by successfulJobsHistoryLimit ({}) and failedJobsHistoryLimit ({})",
            int(object, "/spec/successfulJobsHistoryLimit").unwrap_or(3),
            int(object, "/spec/failedJobsHistoryLimit").unwrap_or(1)
        ),
    ));
    let events = events_about(related, "CronJob", &meta);
    let missed = events.iter().rev().find(|e| {
        matches!(
            e.reason.as_str(),
            "TooManyMissedTimes" | "MissSchedule" | "FailedNeedsStart" | "FailedCreate"
        )
    });
    let failed_jobs = members.iter().filter(|m| m.status == "Failed").count();
    let (status, health) = if suspended {
        hints.push(format!(
            "It is suspended: no Jobs are made. `kubectl patch cronjob {} -n {} -p '{{\"spec\":{{\"suspend\":false}}}}'` resumes it.",
            meta.name, meta.namespace
        ));
        ("suspended".to_string(), Health::Progressing)
    } else if let Some(event) = missed {
        hints.push(format!(
            "It misses its schedule: {} {}. A controller manager that was down, a startingDeadlineSeconds too short or Forbid with a long-running Job are the usual causes.",
            event.reason,
            event.message.trim_end_matches('.')
        ));
        (
            format!("missing schedules: {}", event.reason),
            Health::Failing,
        )
    } else if failed_jobs > 0 {
        hints.push(format!(
            "{} it made failed (listed above): enter opens its Jobs, x on one explains it.",
            plural(failed_jobs as i64, "Job")
        ));
        ("its Jobs fail".to_string(), Health::Failing)
    } else if last.is_none() {
        ("not scheduled yet".to_string(), Health::Progressing)
    } else if active > 0 {
        (
            format!("running {}", plural(active as i64, "Job")),
            Health::Progressing,
        )
    } else {
        ("scheduled, last run fine".to_string(), Health::Healthy)
    };
    if policy == "Forbid" && active > 0 {
        hints.push(
            "concurrencyPolicy Forbid: while the running Job lasts, its next runs are skipped."
                .to_string(),
        );
    }
    explained(meta, (status, health), columns, steps, hints, members)
}
