//! Server-side Table output (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): the
//! columns and cells kubectl shows for each built-in kind.
//!
//! This is the API server's table printer (kubernetes/pkg/printers/internalversion, Kubernetes
//! 1.35) replayed over raw v1 JSON. The server always prints wide: every row carries the
//! priority-1 cells too, and kubectl drops them unless asked for `-o wide`. Cells keep the
//! JSON types upstream gives them, which do not always match the column's declared type (a
//! Deployment's `Up-to-date` column is a `string` column of integers).
//!
//! Objects are read leniently: absent fields and fields of the wrong type read as Go's zero
//! value (so an absent `spec.replicas` prints 0, not the API default of 1), and no input panics.

mod admin;
mod column;
mod core_kinds;
mod descriptions;
mod event;
mod field;
mod labels;
mod network;
mod policy;
mod rbac;
mod storage;
mod typed;
mod workloads;

#[cfg(test)]
mod tests;

use jiff::Timestamp;
use serde_json::{Map, Value, json};

pub use column::{ColumnDefinition, KINDS, columns};

/// What each row's `object` holds: the `includeObject` query parameter of a Table request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncludeObject {
    /// `includeObject=None`: `object` is `null`.
    None,
    /// `includeObject=Metadata`, the server's default: a `PartialObjectMetadata` holding the
    /// object's metadata.
    #[default]
    Metadata,
    /// `includeObject=Object`: the whole object.
    Object,
}

/// One printed row before it becomes JSON: the cells and the row conditions.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Row {
    pub cells: Vec<Value>,
    pub conditions: Vec<Value>,
}

/// The printer's options; the server always prints wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    /// Append the priority-1 cells (and print load-balancer addresses unclipped).
    pub wide: bool,
}

const SERVER: Options = Options { wide: true };

/// Prints one object of `kind` as upstream's print function does with `options`.
pub(crate) fn print(kind: &str, object: &Value, now: Timestamp, options: Options) -> Option<Row> {
    let row = match kind {
        "Pod" => core_kinds::pod(object, now, options),
        "Node" => core_kinds::node(object, now, options),
        "Namespace" => core_kinds::namespace(object, now),
        "ConfigMap" => core_kinds::config_map(object, now),
        "Secret" => core_kinds::secret(object, now),
        "ServiceAccount" => core_kinds::service_account(object, now),
        "ResourceQuota" => core_kinds::resource_quota(object, now),
        "Event" => event::event(object, now, options),
        "Service" => network::service(object, now, options),
        "Endpoints" => network::endpoints(object, now),
        "Deployment" => workloads::deployment(object, now, options),
        "ReplicaSet" => workloads::replica_set(object, now, options),
        "StatefulSet" => workloads::stateful_set(object, now, options),
        "DaemonSet" => workloads::daemon_set(object, now, options),
        "Job" => workloads::job(object, now, options),
        "CronJob" => workloads::cron_job(object, now, options),
        "PodDisruptionBudget" => policy::pod_disruption_budget(object, now),
        "PersistentVolumeClaim" => storage::persistent_volume_claim(object, now, options),
        "PersistentVolume" => storage::persistent_volume(object, now, options),
        "StorageClass" => storage::storage_class(object, now),
        "Ingress" => network::ingress(object, now),
        "IngressClass" => network::ingress_class(object, now),
        "NetworkPolicy" => network::network_policy(object, now),
        "EndpointSlice" => network::endpoint_slice(object, now),
        "HorizontalPodAutoscaler" => workloads::horizontal_pod_autoscaler(object, now),
        "ReplicationController" => workloads::replication_controller(object, now, options),
        "RoleBinding" | "ClusterRoleBinding" => rbac::binding(object, now, options),
        _ => return admin::print(kind, object, now, options.wide),
    };
    Some(row)
}

/// The cells of `object`'s row, in the order of `columns(kind)`, as the API server computes
/// them at `now`; `None` for a kind this module does not print.
pub fn cells(kind: &str, object: &Value, now: Timestamp) -> Option<Vec<Value>> {
    print(kind, object, now, SERVER).map(|row| row.cells)
}

/// A complete `meta.k8s.io/v1` Table of `objects` (all of `kind`), as the API server answers a
/// Table request. The caller fills `metadata.resourceVersion` and `metadata.continue`.
pub fn table<T: std::borrow::Borrow<Value>>(
    kind: &str,
    objects: &[T],
    now: Timestamp,
    include_object: IncludeObject,
) -> Option<Value> {
    let columns = columns(kind)?;
    let rows = objects
        .iter()
        .map(|object| {
            let object = object.borrow();
            let row = print(kind, object, now, SERVER).unwrap_or_default();
            let mut json_row = Map::new();
            json_row.insert("cells".into(), Value::Array(row.cells));
            if !row.conditions.is_empty() {
                json_row.insert("conditions".into(), Value::Array(row.conditions));
            }
            json_row.insert("object".into(), row_object(kind, object, include_object));
            Value::Object(json_row)
        })
        .collect::<Vec<_>>();
    Some(json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {},
        "columnDefinitions": columns,
        "rows": rows,
    }))
}

/// The row's `object` for the `includeObject` choice.
fn row_object(kind: &str, object: &Value, include_object: IncludeObject) -> Value {
    match include_object {
        IncludeObject::None => Value::Null,
        IncludeObject::Metadata => {
            let metadata = object
                .get("metadata")
                .filter(|m| m.is_object())
                .cloned()
                .unwrap_or_else(|| json!({}));
            json!({
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": metadata,
            })
        }
        IncludeObject::Object => {
            let mut object = object.clone();
            if let Value::Object(map) = &mut object {
                if !map.get("kind").is_some_and(Value::is_string) {
                    map.insert("kind".into(), kind.into());
                }
                if !map.get("apiVersion").is_some_and(Value::is_string) {
                    map.insert("apiVersion".into(), api_version(kind).into());
                }
            }
            object
        }
    }
}

/// The group/version each printed kind is served at.
fn api_version(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps/v1",
        "Job" | "CronJob" => "batch/v1",
        "PodDisruptionBudget" => "policy/v1",
        "RoleBinding" | "ClusterRoleBinding" => "rbac.authorization.k8s.io/v1",
        "StorageClass" => "storage.k8s.io/v1",
        "Ingress" | "IngressClass" | "NetworkPolicy" => "networking.k8s.io/v1",
        "EndpointSlice" => "discovery.k8s.io/v1",
        "HorizontalPodAutoscaler" => "autoscaling/v2",
        "CertificateSigningRequest" => "certificates.k8s.io/v1",
        "PriorityClass" => "scheduling.k8s.io/v1",
        "MutatingWebhookConfiguration"
        | "ValidatingWebhookConfiguration"
        | "ValidatingAdmissionPolicy" => "admissionregistration.k8s.io/v1",
        _ => "v1",
    }
}

/// `translateTimestampSince` of the object's creation time.
fn age_of(object: field::Field<'_>, now: Timestamp) -> Value {
    Value::String(crate::model::duration::age(
        object.at(&["metadata", "creationTimestamp"]).time(),
        now,
    ))
}

/// The object's name.
fn name_of(object: field::Field<'_>) -> Value {
    Value::String(object.at(&["metadata", "name"]).str().to_string())
}

/// `layoutContainerCells`: container names and images, each joined by `,`.
fn container_cells(containers: field::Field<'_>) -> [Value; 2] {
    let names: Vec<&str> = containers.items().map(|c| c.get("name").str()).collect();
    let images: Vec<&str> = containers.items().map(|c| c.get("image").str()).collect();
    [names.join(",").into(), images.join(",").into()]
}
