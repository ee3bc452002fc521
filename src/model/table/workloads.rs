//! Rows of the workload controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and
//! CronJob.

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::labels::{format_label_selector, format_labels, selector_string};
use super::{Options, Row, age_of, container_cells, name_of};
use crate::model::duration::human_duration;

/// `printDeployment`: NAME, READY (`ready/desired`), UP-TO-DATE and AVAILABLE (integers in
/// `string` columns), AGE; wide: CONTAINERS, IMAGES, SELECTOR. The selector is rendered
/// without `<none>` (empty when it selects everything) and `<invalid>` when it is invalid.
pub(super) fn deployment(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let mut cells: Vec<Value> = vec![
        name_of(o),
        format!(
            "{}/{}",
            status.get("readyReplicas").int(),
            spec.get("replicas").int()
        )
        .into(),
        status.get("updatedReplicas").int().into(),
        status.get("availableReplicas").int().into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.extend(container_cells(template_containers(spec)));
        let selector =
            selector_string(spec.get("selector")).unwrap_or_else(|()| "<invalid>".to_string());
        cells.push(selector.into());
    }
    row(cells)
}

/// `printReplicaSet`: NAME, DESIRED, CURRENT, READY (integers), AGE; wide: CONTAINERS,
/// IMAGES, SELECTOR.
pub(super) fn replica_set(object: &Value, now: Timestamp, options: Options) -> Row {
    replicated(object, now, options, format_label_selector)
}

/// The row of a ReplicaSet or a ReplicationController, whose selectors are written apart (a
/// label selector; a map of labels).
fn replicated(
    object: &Value,
    now: Timestamp,
    options: Options,
    selector: fn(Field<'_>) -> String,
) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let mut cells: Vec<Value> = vec![
        name_of(o),
        spec.get("replicas").int().into(),
        status.get("replicas").int().into(),
        status.get("readyReplicas").int().into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.extend(container_cells(template_containers(spec)));
        cells.push(selector(spec.get("selector")).into());
    }
    row(cells)
}

/// `printReplicationController`: NAME, DESIRED, CURRENT, READY, AGE; wide: CONTAINERS,
/// IMAGES, SELECTOR (a map).
pub(super) fn replication_controller(object: &Value, now: Timestamp, options: Options) -> Row {
    replicated(object, now, options, format_labels)
}

/// `printStatefulSet`: NAME, READY (`ready/desired`), AGE; wide: CONTAINERS, IMAGES.
pub(super) fn stateful_set(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let mut cells: Vec<Value> = vec![
        name_of(o),
        format!(
            "{}/{}",
            status.get("readyReplicas").int(),
            spec.get("replicas").int()
        )
        .into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.extend(container_cells(template_containers(spec)));
    }
    row(cells)
}

/// `printDaemonSet`: NAME, DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE (integers), NODE
/// SELECTOR (the template's nodeSelector), AGE; wide: CONTAINERS, IMAGES, SELECTOR.
pub(super) fn daemon_set(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let mut cells: Vec<Value> = vec![name_of(o)];
    for counter in [
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "updatedNumberScheduled",
        "numberAvailable",
    ] {
        cells.push(status.get(counter).int().into());
    }
    cells.push(format_labels(spec.at(&["template", "spec", "nodeSelector"])).into());
    cells.push(age_of(o, now));
    if options.wide {
        cells.extend(container_cells(template_containers(spec)));
        cells.push(format_label_selector(spec.get("selector")).into());
    }
    row(cells)
}

/// `printJob`: NAME, STATUS, COMPLETIONS (a string), DURATION, AGE; wide: CONTAINERS, IMAGES,
/// SELECTOR.
pub(super) fn job(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let succeeded = status.get("succeeded").int();
    let completions = match spec.get("completions").opt_int() {
        Some(completions) => format!("{succeeded}/{completions}"),
        None => match spec.get("parallelism").int() {
            parallelism if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let duration = match (
        status.get("startTime").time(),
        status.get("completionTime").time(),
    ) {
        (None, _) => String::new(),
        (Some(start), None) => human_duration(now.duration_since(start)),
        (Some(start), Some(end)) => human_duration(end.duration_since(start)),
    };
    let mut cells: Vec<Value> = vec![
        name_of(o),
        job_status(o).into(),
        completions.into(),
        duration.into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.extend(container_cells(template_containers(spec)));
        cells.push(format_label_selector(spec.get("selector")).into());
    }
    row(cells)
}

/// The Job's STATUS: the first of Complete, Failed, Terminating (being deleted), Suspended,
/// FailureTarget, SuccessCriteriaMet that holds, else Running.
fn job_status(o: Field<'_>) -> &'static str {
    let conditions = o.at(&["status", "conditions"]);
    // `hasJobCondition`: the first condition of the type decides.
    let has = |type_: &str| {
        conditions
            .items()
            .find(|c| c.get("type").str() == type_)
            .is_some_and(|c| c.get("status").str() == "True")
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if o.at(&["metadata", "deletionTimestamp"]).is_set() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// `printCronJob`: NAME, SCHEDULE, TIMEZONE, SUSPEND (`True`/`False`/`<unset>`, a string in a
/// `boolean` column), ACTIVE (an integer), LAST SCHEDULE, AGE; wide: CONTAINERS, IMAGES,
/// SELECTOR of the job template.
pub(super) fn cron_job(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let (spec, status) = (o.get("spec"), o.get("status"));
    let last_schedule = status.get("lastScheduleTime");
    let last_schedule = if last_schedule.is_set() {
        crate::model::duration::age(last_schedule.time(), now)
    } else {
        "<none>".to_string()
    };
    let time_zone = spec.get("timeZone").opt_str().unwrap_or("<none>");
    let suspend = match spec.get("suspend").opt_bool() {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let job_spec = spec.at(&["jobTemplate", "spec"]);
    let mut cells: Vec<Value> = vec![
        name_of(o),
        spec.get("schedule").str().into(),
        time_zone.into(),
        suspend.into(),
        Value::from(status.get("active").len() as u64),
        last_schedule.into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.extend(container_cells(template_containers(job_spec)));
        cells.push(format_label_selector(job_spec.get("selector")).into());
    }
    row(cells)
}

/// `spec.template.spec.containers` of a controller spec.
fn template_containers(spec: Field<'_>) -> Field<'_> {
    spec.at(&["template", "spec", "containers"])
}

fn row(cells: Vec<Value>) -> Row {
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// `printHorizontalPodAutoscaler`: NAME, REFERENCE (`Kind/name`), TARGETS (`cpu: 45%/80%`,
/// `<unknown>` for a value not read yet), MINPODS, MAXPODS, REPLICAS, AGE.
pub(super) fn horizontal_pod_autoscaler(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let spec = o.get("spec");
    let reference = format!(
        "{}/{}",
        spec.at(&["scaleTargetRef", "kind"]).str(),
        spec.at(&["scaleTargetRef", "name"]).str()
    );
    let current = o.at(&["status", "currentMetrics"]);
    let targets: Vec<String> = spec
        .get("metrics")
        .items()
        .filter(|m| m.get("type").str() == "Resource")
        .map(|m| {
            let name = m.at(&["resource", "name"]).str();
            let read = current
                .items()
                .find(|c| c.at(&["resource", "name"]).str() == name);
            let target = m.at(&["resource", "target"]);
            let (now_text, goal) = match target.get("averageUtilization").opt_int() {
                Some(goal) => (
                    read.and_then(|c| {
                        c.at(&["resource", "current", "averageUtilization"])
                            .opt_int()
                    })
                    .map(|u| format!("{u}%"))
                    .unwrap_or_else(|| "<unknown>".into()),
                    format!("{goal}%"),
                ),
                None => (
                    read.and_then(|c| c.at(&["resource", "current", "averageValue"]).opt_str())
                        .unwrap_or("<unknown>")
                        .to_string(),
                    target.get("averageValue").str().to_string(),
                ),
            };
            format!("{name}: {now_text}/{goal}")
        })
        .collect();
    let targets = if targets.is_empty() {
        "<none>".to_string()
    } else if targets.len() > 2 {
        format!(
            "{} + {} more...",
            targets[..2].join(", "),
            targets.len() - 2
        )
    } else {
        targets.join(", ")
    };
    let min = match spec.get("minReplicas").opt_int() {
        Some(min) => min.to_string(),
        None => "<unset>".to_string(),
    };
    row(vec![
        name_of(o),
        reference.into(),
        targets.into(),
        min.into(),
        spec.get("maxReplicas").int().into(),
        o.at(&["status", "currentReplicas"]).int().into(),
        age_of(o, now),
    ])
}
