//! `kubectl describe`-style text for the objects the explorer shows: the fields a person reads
//! first, then conditions and the object's recent events.
//!
//! Every kind is described from its raw JSON, field by field as kubectl's describers
//! (`k8s.io/kubectl/pkg/describe`) print them, laid out by a port of Go's `text/tabwriter` with
//! kubectl's settings so columns align exactly as kubectl's do. Kinds kubectl has no describer for
//! (custom resources, Events) get its generic describer.
//!
//! What kubectl looks up with extra API calls (a Deployment's ReplicaSets, a controller's pods, a
//! Service's endpoints, a Namespace's quotas, a Node's lease and pods) comes from the caller as
//! `related` objects; the functions here do no IO. Times are printed in UTC, where kubectl uses
//! the local time zone.
//!
//! Every description ends with kubectl's Events section (`events_for_describe` picks the events
//! kubectl would look up), also for the kinds whose kubectl describer prints none.

/// kubectl's `PrefixWriter.Write`: formats the text and writes it at an indentation level.
macro_rules! put {
    ($writer:expr, $level:expr, $($format:tt)*) => {
        $writer.write($level, &format!($($format)*))
    };
}

mod config;
mod containers;
mod events;
mod generic;
mod go_sort;
mod metadata;
mod namespace;
mod node;
mod node_resources;
mod pod;
mod pod_template;
mod pod_totals;
mod policy;
mod raw;
mod service;
mod tabwriter;
mod values;
mod volumes;
mod workloads;

#[cfg(test)]
mod pod_node_tests;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use serde_json::Value;

use super::event::Event;
use raw::Raw;
use tabwriter::DescribeWriter;

pub use events::events_for_describe;

/// Any object, given as raw JSON, described as `kubectl describe` would, with its events.
///
/// Parts that kubectl finds with further API calls (ReplicaSets, pods, endpoints, quotas) print as
/// if none were found; use [`describe_object_with`] to supply them.
pub fn describe_object(raw: &Value, events: &[&Event], now: Timestamp) -> String {
    describe_object_with(raw, &[], events, now)
}

/// [`describe_object`], with the objects kubectl would look up alongside it: the ReplicaSets of a
/// Deployment; the pods of a ReplicaSet, StatefulSet or DaemonSet (for "Pods Status"); the
/// EndpointSlices or Endpoints of a Service; the ResourceQuotas and LimitRanges of a Namespace;
/// the Lease and the pods of a Node (listed in the order given, as the API server lists them).
/// Objects that do not belong to the described one are ignored, so a caller may pass a superset.
pub fn describe_object_with(
    raw: &Value,
    related: &[&Value],
    events: &[&Event],
    now: Timestamp,
) -> String {
    let object = Raw::new(raw);
    let mut writer = DescribeWriter::new();
    match builtin_kind(object) {
        Some("Pod") => pod::describe_pod(&mut writer, object, now),
        Some("Node") => node::describe_node(&mut writer, object, related, now),
        Some("Namespace") => namespace::describe_namespace(object, related, &mut writer),
        Some("Deployment") => workloads::describe_deployment(object, related, &mut writer),
        Some("ReplicaSet") => workloads::describe_replica_set(object, related, &mut writer),
        Some("StatefulSet") => workloads::describe_stateful_set(object, related, &mut writer),
        Some("DaemonSet") => workloads::describe_daemon_set(object, related, &mut writer),
        Some("Job") => workloads::describe_job(object, &mut writer),
        Some("CronJob") => workloads::describe_cron_job(object, &mut writer),
        Some("Service") => service::describe_service(object, related, &mut writer),
        Some("ConfigMap") => config::describe_config_map(object, &mut writer),
        Some("Secret") => config::describe_secret(object, &mut writer),
        Some("PodDisruptionBudget") => policy::describe_pod_disruption_budget(object, &mut writer),
        // kubectl registers no describer for Events (core or events.k8s.io), so it describes them
        // with the generic one, as it does custom resources.
        _ => generic::describe_generic(object, &mut writer),
    }
    events::describe_events(&mut writer, events, now);
    writer.finish()
}

/// The kind, if it is one of the built-in kinds described field by field. kubectl picks a
/// describer by group and kind, so a custom resource that reuses a built-in kind's name in its own
/// group is described generically; an object without `apiVersion` is taken at its kind.
fn builtin_kind(object: Raw<'_>) -> Option<&str> {
    let kind = object.at("kind").str();
    let group = match kind {
        "Pod" | "Node" | "Namespace" | "Service" | "ConfigMap" | "Secret" => "",
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps",
        "Job" | "CronJob" => "batch",
        "PodDisruptionBudget" => "policy",
        _ => return None,
    };
    let api_version = object.at("apiVersion").str();
    let object_group = match api_version.split_once('/') {
        Some((group, _version)) => group,
        None => "",
    };
    (api_version.is_empty() || object_group == group).then_some(kind)
}
