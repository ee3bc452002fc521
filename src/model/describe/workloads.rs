//! The workload describers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob.
//!
//! kubectl lists a controller's pods (and a Deployment's ReplicaSets) by its selector and keeps
//! those it controls; here they come from the caller's `related` objects, filtered the same way.

use std::collections::BTreeMap;

use serde_json::Value;

use super::metadata::{
    annotations_multiline, controlled_by_line, labels_multiline, labels_multiline_with_indent,
    name_and_namespace,
};
use super::pod_template::describe_pod_template;
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::{
    format_label_selector, format_labels, go_string_slice, label_selector, print_bool_ptr, rfc1123z,
};
use crate::model::duration::human_duration;

/// The API server's default for `spec.replicas` of Deployments, ReplicaSets and StatefulSets
/// (kubectl dereferences the field, which a served object always has).
const DEFAULT_REPLICAS: i64 = 1;

/// The label the Deployment controller adds to the pod template of each ReplicaSet.
const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

pub(super) fn describe_deployment(deployment: Raw<'_>, related: &[&Value], w: &mut DescribeWriter) {
    let metadata = deployment.at("metadata");
    let spec = deployment.at("spec");
    let status = deployment.at("status");
    name_and_namespace(w, metadata);
    put!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(metadata.at("creationTimestamp").time())
    );
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(w, 0, "Selector:\t{}\n", selector_text(spec.at("selector")));
    put!(
        w,
        0,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        spec.at("replicas").opt_int().unwrap_or(DEFAULT_REPLICAS),
        status.at("updatedReplicas").int(),
        status.at("replicas").int(),
        status.at("availableReplicas").int(),
        status.at("unavailableReplicas").int()
    );
    let strategy = spec.at("strategy");
    put!(w, 0, "StrategyType:\t{}\n", strategy.at("type").str());
    put!(
        w,
        0,
        "MinReadySeconds:\t{}\n",
        spec.at("minReadySeconds").int()
    );
    let rolling_update = strategy.at("rollingUpdate");
    if rolling_update.exists() {
        // Go's String() of a nil *IntOrString is "<nil>".
        let or_nil = |field: &str| {
            rolling_update
                .at(field)
                .int_or_string()
                .unwrap_or_else(|| "<nil>".to_string())
        };
        put!(
            w,
            0,
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            or_nil("maxUnavailable"),
            or_nil("maxSurge")
        );
    }
    describe_pod_template(w, spec.at("template"));
    conditions_with_reason(w, status.at("conditions"));
    let (old, new) = replica_sets_of(deployment, related);
    put!(w, 0, "OldReplicaSets:\t{}\n", replica_sets_text(&old));
    put!(w, 0, "NewReplicaSet:\t{}\n", replica_sets_text(&new));
}

pub(super) fn describe_replica_set(
    replica_set: Raw<'_>,
    related: &[&Value],
    w: &mut DescribeWriter,
) {
    let metadata = replica_set.at("metadata");
    let spec = replica_set.at("spec");
    name_and_namespace(w, metadata);
    put!(
        w,
        0,
        "Selector:\t{}\n",
        format_label_selector(spec.at("selector"))
    );
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    controlled_by_line(w, metadata);
    put!(
        w,
        0,
        "Replicas:\t{} current / {} desired\n",
        replica_set.at("status").at("replicas").int(),
        spec.at("replicas").opt_int().unwrap_or(DEFAULT_REPLICAS)
    );
    put!(
        w,
        0,
        "Pods Status:\t{}\n",
        pods_status(replica_set, related)
    );
    describe_pod_template(w, spec.at("template"));
    conditions_with_reason(w, replica_set.at("status").at("conditions"));
}

pub(super) fn describe_stateful_set(
    stateful_set: Raw<'_>,
    related: &[&Value],
    w: &mut DescribeWriter,
) {
    let metadata = stateful_set.at("metadata");
    let spec = stateful_set.at("spec");
    name_and_namespace(w, metadata);
    put!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(metadata.at("creationTimestamp").time())
    );
    put!(w, 0, "Selector:\t{}\n", selector_text(spec.at("selector")));
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(
        w,
        0,
        "Replicas:\t{} desired | {} total\n",
        spec.at("replicas").opt_int().unwrap_or(DEFAULT_REPLICAS),
        stateful_set.at("status").at("replicas").int()
    );
    let strategy = spec.at("updateStrategy");
    put!(w, 0, "Update Strategy:\t{}\n", strategy.at("type").str());
    let rolling_update = strategy.at("rollingUpdate");
    // kubectl prints maxUnavailable only along with a partition.
    if let Some(partition) = rolling_update.at("partition").opt_int() {
        put!(w, 1, "Partition:\t{partition}\n");
        if let Some(max_unavailable) = rolling_update.at("maxUnavailable").int_or_string() {
            put!(w, 1, "MaxUnavailable:\t{max_unavailable}\n");
        }
    }
    put!(
        w,
        0,
        "Pods Status:\t{}\n",
        pods_status(stateful_set, related)
    );
    describe_pod_template(w, spec.at("template"));
    volume_claim_templates(w, spec.at("volumeClaimTemplates"));
}

pub(super) fn describe_daemon_set(daemon_set: Raw<'_>, related: &[&Value], w: &mut DescribeWriter) {
    let metadata = daemon_set.at("metadata");
    let spec = daemon_set.at("spec");
    let status = daemon_set.at("status");
    name_and_namespace(w, metadata);
    put!(w, 0, "Selector:\t{}\n", selector_text(spec.at("selector")));
    put!(
        w,
        0,
        "Node-Selector:\t{}\n",
        format_labels(
            &spec
                .at("template")
                .at("spec")
                .at("nodeSelector")
                .string_map()
        )
    );
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    // kubectl writes these counts without a tab, so they are not aligned with anything.
    for (title, field) in [
        (
            "Desired Number of Nodes Scheduled",
            "desiredNumberScheduled",
        ),
        (
            "Current Number of Nodes Scheduled",
            "currentNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            "updatedNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            "numberAvailable",
        ),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ] {
        put!(w, 0, "{title}: {}\n", status.at(field).int());
    }
    put!(w, 0, "Pods Status:\t{}\n", pods_status(daemon_set, related));
    describe_pod_template(w, spec.at("template"));
}

pub(super) fn describe_job(job: Raw<'_>, w: &mut DescribeWriter) {
    let metadata = job.at("metadata");
    let spec = job.at("spec");
    let status = job.at("status");
    name_and_namespace(w, metadata);
    match label_selector(spec.at("selector")) {
        Ok(selector) => put!(w, 0, "Selector:\t{selector}\n"),
        Err(error) => put!(w, 0, "Selector:\tFailed to get selector: {error}\n"),
    }
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    controlled_by_line(w, metadata);
    if let Some(parallelism) = spec.at("parallelism").opt_int() {
        put!(w, 0, "Parallelism:\t{parallelism}\n");
    }
    match spec.at("completions").opt_int() {
        Some(completions) => put!(w, 0, "Completions:\t{completions}\n"),
        None => w.write(0, "Completions:\t<unset>\n"),
    }
    let completion_mode = spec.at("completionMode").opt_str();
    if let Some(mode) = completion_mode {
        put!(w, 0, "Completion Mode:\t{mode}\n");
    }
    if let Some(suspend) = spec.at("suspend").opt_bool() {
        put!(w, 0, "Suspend:\t{suspend}\n");
    }
    if let Some(limit) = spec.at("backoffLimit").opt_int() {
        put!(w, 0, "Backoff Limit:\t{limit}\n");
    }
    if let Some(ttl) = spec.at("ttlSecondsAfterFinished").opt_int() {
        put!(w, 0, "TTL Seconds After Finished:\t{ttl}\n");
    }
    let start = status.at("startTime").time();
    let completion = status.at("completionTime").time();
    if start.is_some() {
        put!(w, 0, "Start Time:\t{}\n", rfc1123z(start));
    }
    if completion.is_some() {
        put!(w, 0, "Completed At:\t{}\n", rfc1123z(completion));
    }
    if let (Some(start), Some(completion)) = (start, completion) {
        put!(
            w,
            0,
            "Duration:\t{}\n",
            human_duration(completion.duration_since(start))
        );
    }
    if let Some(deadline) = spec.at("activeDeadlineSeconds").opt_int() {
        put!(w, 0, "Active Deadline Seconds:\t{deadline}s\n");
    }
    let (active, succeeded, failed) = (
        status.at("active").int(),
        status.at("succeeded").int(),
        status.at("failed").int(),
    );
    match status.at("ready").opt_int() {
        None => put!(
            w,
            0,
            "Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"
        ),
        Some(ready) => put!(
            w,
            0,
            "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} \
             Failed\n"
        ),
    }
    if completion_mode == Some("Indexed") {
        put!(
            w,
            0,
            "Completed Indexes:\t{}\n",
            cap_indexes(status.at("completedIndexes").str(), 50)
        );
    }
    describe_pod_template(w, spec.at("template"));
}

/// kubectl's `capIndexesListOrNone`: the list cut after the first comma past `soft_limit`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    match indexes
        .char_indices()
        .find(|(index, character)| *index >= soft_limit && *character == ',')
    {
        Some((comma, _)) => format!("{}...", &indexes[..=comma]),
        None => indexes.to_string(),
    }
}

pub(super) fn describe_cron_job(cron_job: Raw<'_>, w: &mut DescribeWriter) {
    let metadata = cron_job.at("metadata");
    let spec = cron_job.at("spec");
    let status = cron_job.at("status");
    name_and_namespace(w, metadata);
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(w, 0, "Schedule:\t{}\n", spec.at("schedule").str());
    put!(
        w,
        0,
        "Concurrency Policy:\t{}\n",
        spec.at("concurrencyPolicy").str()
    );
    put!(
        w,
        0,
        "Suspend:\t{}\n",
        print_bool_ptr(spec.at("suspend").opt_bool())
    );
    put!(
        w,
        0,
        "Time Zone:\t{}\n",
        spec.at("timeZone").opt_str().unwrap_or("<unset>")
    );
    for (title, field) in [
        ("Successful Job History Limit", "successfulJobsHistoryLimit"),
        ("Failed Job History Limit", "failedJobsHistoryLimit"),
    ] {
        put!(
            w,
            0,
            "{title}:\t{}\n",
            unset_or(spec.at(field).opt_int(), "")
        );
    }
    put!(
        w,
        0,
        "Starting Deadline Seconds:\t{}\n",
        unset_or(spec.at("startingDeadlineSeconds").opt_int(), "s")
    );
    job_template(w, spec.at("jobTemplate"));
    let last_schedule = status.at("lastScheduleTime").time();
    put!(
        w,
        0,
        "Last Schedule Time:\t{}\n",
        last_schedule.map_or("<unset>".to_string(), |time| rfc1123z(Some(time)))
    );
    let active: Vec<&str> = status
        .at("active")
        .items()
        .map(|job| job.at("name").str())
        .collect();
    let active = if active.is_empty() {
        "<none>".to_string()
    } else {
        active.join(", ")
    };
    put!(w, 0, "Active Jobs:\t{active}\n");
}

/// A number with a unit, or `<unset>`.
fn unset_or(value: Option<i64>, unit: &str) -> String {
    value.map_or("<unset>".to_string(), |value| format!("{value}{unit}"))
}

/// kubectl's `describeJobTemplate`.
fn job_template(w: &mut DescribeWriter, template: Raw<'_>) {
    let spec = template.at("spec");
    if spec.at("selector").exists() {
        match label_selector(spec.at("selector")) {
            Ok(selector) => put!(w, 0, "Selector:\t{selector}\n"),
            Err(error) => put!(w, 0, "Selector:\tFailed to get selector: {error}\n"),
        }
    } else {
        w.write(0, "Selector:\t<unset>\n");
    }
    put!(
        w,
        0,
        "Parallelism:\t{}\n",
        unset_or(spec.at("parallelism").opt_int(), "")
    );
    put!(
        w,
        0,
        "Completions:\t{}\n",
        unset_or(spec.at("completions").opt_int(), "")
    );
    if let Some(deadline) = spec.at("activeDeadlineSeconds").opt_int() {
        put!(w, 0, "Active Deadline Seconds:\t{deadline}s\n");
    }
    describe_pod_template(w, spec.at("template"));
}

/// `metav1.LabelSelectorAsSelector(...).String()`; the Deployment, StatefulSet and DaemonSet
/// describers fail on an invalid selector, where this prints `<error>`.
fn selector_text(selector: Raw<'_>) -> String {
    label_selector(selector).map_or("<error>".to_string(), |selector| selector.to_string())
}

/// `Conditions:` as the Deployment and ReplicaSet describers print them: type, status, reason.
fn conditions_with_reason(w: &mut DescribeWriter, conditions: Raw<'_>) {
    if conditions.is_empty() {
        return;
    }
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for condition in conditions.items() {
        put!(
            w,
            1,
            "{} \t{}\t{}\n",
            condition.at("type").str(),
            condition.at("status").str(),
            condition.at("reason").str()
        );
    }
}

/// kubectl's `describeVolumeClaimTemplates` for a StatefulSet.
fn volume_claim_templates(w: &mut DescribeWriter, templates: Raw<'_>) {
    if templates.is_empty() {
        w.write(0, "Volume Claims:\t<none>\n");
        return;
    }
    w.write(0, "Volume Claims:\n");
    for claim in templates.items() {
        let metadata = claim.at("metadata");
        let spec = claim.at("spec");
        put!(w, 1, "Name:\t{}\n", metadata.at("name").str());
        let storage_class = spec.at("storageClassName").opt_str().unwrap_or_else(|| {
            metadata
                .at("annotations")
                .at("volume.beta.kubernetes.io/storage-class")
                .str()
        });
        put!(w, 1, "StorageClass:\t{storage_class}\n");
        labels_multiline_with_indent(w, "  ", "Labels", metadata.at("labels"));
        labels_multiline_with_indent(w, "  ", "Annotations", metadata.at("annotations"));
        let capacity = spec
            .at("resources")
            .at("requests")
            .at("storage")
            .quantity()
            .unwrap_or_else(|| "<default>".to_string());
        put!(w, 1, "Capacity:\t{capacity}\n");
        put!(
            w,
            1,
            "Access Modes:\t{}\n",
            go_string_slice(spec.at("accessModes").items().map(Raw::str))
        );
    }
}

/// Whether `child` is controlled by `owner`: by uid when both have one, else by kind and name,
/// in the owner's namespace.
fn is_controlled_by(child: Raw<'_>, owner: Raw<'_>) -> bool {
    let owner_metadata = owner.at("metadata");
    let child_metadata = child.at("metadata");
    let owner_namespace = owner_metadata.at("namespace").str();
    let child_namespace = child_metadata.at("namespace").str();
    if !owner_namespace.is_empty()
        && !child_namespace.is_empty()
        && owner_namespace != child_namespace
    {
        return false;
    }
    let Some(controller) = child_metadata
        .at("ownerReferences")
        .items()
        .find(|reference| reference.at("controller").bool())
    else {
        return false;
    };
    let (owner_uid, controller_uid) = (owner_metadata.at("uid").str(), controller.at("uid").str());
    if !owner_uid.is_empty() && !controller_uid.is_empty() {
        return owner_uid == controller_uid;
    }
    controller.at("kind").str() == owner.at("kind").str()
        && controller.at("name").str() == owner_metadata.at("name").str()
}

/// The related objects of `kind` that kubectl's list by the owner's selector would return and
/// that the owner controls. kubectl lists with the selector's text, so a selector that prints
/// empty (absent, `{}`, or one kubectl could not convert) lists everything.
fn owned<'a>(owner: Raw<'a>, kind: &'a str, related: &'a [&'a Value]) -> Vec<Raw<'a>> {
    let selector = label_selector(owner.at("spec").at("selector"))
        .ok()
        .filter(|selector| !selector.to_string().is_empty());
    related
        .iter()
        .map(|value| Raw::new(value))
        .filter(|child| child.at("kind").str() == kind && is_controlled_by(*child, owner))
        .filter(|child| {
            selector.as_ref().is_none_or(|selector| {
                let labels: BTreeMap<String, String> = child
                    .at("metadata")
                    .at("labels")
                    .string_map()
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value.to_string()))
                    .collect();
                selector.matches(&labels)
            })
        })
        .collect()
}

/// kubectl's `getPodStatusForController`: the owned pods counted by phase.
fn pods_status(owner: Raw<'_>, related: &[&Value]) -> String {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for pod in owned(owner, "Pod", related) {
        match pod.at("status").at("phase").str() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

/// A Deployment's ReplicaSets as kubectl's `GetAllReplicaSets` splits them: the new one is the
/// oldest whose pod template equals the Deployment's (ignoring the hash label); all others are old,
/// in order of creation.
fn replica_sets_of<'a>(
    deployment: Raw<'a>,
    related: &'a [&'a Value],
) -> (Vec<Raw<'a>>, Vec<Raw<'a>>) {
    let mut replica_sets = owned(deployment, "ReplicaSet", related);
    replica_sets.sort_by(|a, b| {
        let key = |rs: &Raw<'_>| {
            (
                rs.at("metadata").at("creationTimestamp").time(),
                rs.at("metadata").at("name").str().to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let template = comparable_template(deployment.at("spec").at("template"));
    let new_index = replica_sets.iter().position(|replica_set| {
        comparable_template(replica_set.at("spec").at("template")) == template
    });
    let new = new_index
        .map(|index| vec![replica_sets.remove(index)])
        .unwrap_or_default();
    (replica_sets, new)
}

/// A pod template as kubectl compares them (`EqualIgnoreHash`, a semantic deep equality): without
/// the hash label, and with zero values (null, "", 0, false, empty lists and maps) dropped, as
/// they are equal to absent fields in Go's typed objects.
fn comparable_template(template: Raw<'_>) -> Value {
    let mut template = template.value().cloned().unwrap_or(Value::Null);
    if let Some(labels) = template
        .get_mut("metadata")
        .and_then(|metadata| metadata.get_mut("labels"))
        .and_then(Value::as_object_mut)
    {
        labels.remove(POD_TEMPLATE_HASH_LABEL);
    }
    drop_zero_values(&mut template);
    template
}

fn drop_zero_values(value: &mut Value) {
    match value {
        Value::Object(entries) => {
            for child in entries.values_mut() {
                drop_zero_values(child);
            }
            entries.retain(|_, child| !is_zero_value(child));
        }
        Value::Array(items) => items.iter_mut().for_each(drop_zero_values),
        _ => {}
    }
}

fn is_zero_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(flag) => !flag,
        Value::Number(number) => number.as_f64() == Some(0.0),
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(entries) => entries.is_empty(),
    }
}

/// kubectl's `printReplicaSetsByLabels`: `name (current/desired replicas created)`, or `<none>`.
fn replica_sets_text(replica_sets: &[Raw<'_>]) -> String {
    if replica_sets.is_empty() {
        return "<none>".to_string();
    }
    replica_sets
        .iter()
        .map(|replica_set| {
            format!(
                "{} ({}/{} replicas created)",
                replica_set.at("metadata").at("name").str(),
                replica_set.at("status").at("replicas").int(),
                replica_set
                    .at("spec")
                    .at("replicas")
                    .opt_int()
                    .unwrap_or(DEFAULT_REPLICAS)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
