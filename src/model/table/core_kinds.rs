//! Rows of the core kinds printed from the model's own columns (Pod, Node) and of the plain
//! core kinds (Namespace, ConfigMap, Secret, ServiceAccount).

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::field::Field;
use super::typed::lenient;
use super::{Options, Row, age_of, name_of};
use crate::model::go_quantity::GoQuantity;
use crate::model::node::Node;
use crate::model::node_status::node_row;
use crate::model::pod::Pod;
use crate::model::pod_row::pod_row;

/// `printPod`: NAME, READY, STATUS, RESTARTS (always a string), AGE; wide: IP, NODE,
/// NOMINATED NODE, READINESS GATES. Finished pods carry the `Completed` row condition.
pub(super) fn pod(object: &Value, now: Timestamp, options: Options) -> Row {
    let pod: Pod = lenient(object);
    let row = pod_row(&pod, now);
    let mut cells = vec![
        row.name.into(),
        row.columns.ready.into(),
        row.columns.status.into(),
        row.columns.restarts.into(),
        row.age.into(),
    ];
    if options.wide {
        cells.extend([
            row.ip.into(),
            row.node.into(),
            row.nominated_node.into(),
            row.readiness_gates.into(),
        ]);
    }
    let conditions = row
        .completed
        .map(|(reason, message)| {
            vec![json!({
                "type": "Completed",
                "status": "True",
                "reason": reason,
                "message": message,
            })]
        })
        .unwrap_or_default();
    Row { cells, conditions }
}

/// `printNode`: NAME, STATUS, ROLES, AGE, VERSION; wide: INTERNAL-IP, EXTERNAL-IP, OS-IMAGE,
/// KERNEL-VERSION, CONTAINER-RUNTIME.
pub(super) fn node(object: &Value, now: Timestamp, options: Options) -> Row {
    let node: Node = lenient(object);
    let row = node_row(&node, now, &mut ());
    let mut cells = vec![
        row.name.into(),
        row.status.into(),
        row.roles.into(),
        row.age.into(),
        row.version.into(),
    ];
    if options.wide {
        cells.extend([
            row.internal_ip.into(),
            row.external_ip.into(),
            row.os_image.into(),
            row.kernel_version.into(),
            row.container_runtime.into(),
        ]);
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// `printNamespace`: NAME, STATUS (the phase, as is), AGE.
pub(super) fn namespace(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    cells(vec![
        name_of(o),
        o.at(&["status", "phase"]).str().into(),
        age_of(o, now),
    ])
}

/// `printConfigMap`: NAME, DATA (an integer: keys of `data` plus keys of `binaryData`), AGE.
pub(super) fn config_map(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let count = map_len(o.get("data")) + map_len(o.get("binaryData"));
    cells(vec![name_of(o), Value::from(count), age_of(o, now)])
}

/// `printSecret`: NAME, TYPE, DATA (an integer), AGE. The v1 → internal conversion merges
/// `stringData` into `data`, so keys of both count once.
pub(super) fn secret(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let keys: BTreeSet<&String> = ["data", "stringData"]
        .into_iter()
        .filter_map(|field| o.get(field).object())
        .flat_map(|map| map.keys())
        .collect();
    cells(vec![
        name_of(o),
        o.get("type").str().into(),
        Value::from(keys.len() as u64),
        age_of(o, now),
    ])
}

/// `printServiceAccount`: NAME, AGE (upstream no longer prints a SECRETS column).
pub(super) fn service_account(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    cells(vec![name_of(o), age_of(o, now)])
}

/// `printResourceQuota`: NAME, REQUEST, LIMIT, AGE. Each resource of `status.hard`, in name
/// order, as `name: used/hard`, in LIMIT when its name is `limits.*` and in REQUEST otherwise
/// (`pods` and `count/*` included), joined by `, `; a resource not yet counted is used `0`.
pub(super) fn resource_quota(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let canonical = |field: Field<'_>| {
        let text = field
            .opt_str()
            .map(str::to_string)
            .or_else(|| {
                field
                    .value()
                    .filter(|v| v.is_number())
                    .map(Value::to_string)
            })
            .unwrap_or_default();
        GoQuantity::parse(&text).map_or(text, |q| q.to_string())
    };
    let mut requests = Vec::new();
    let mut limits = Vec::new();
    if let Some(hard) = o.at(&["status", "hard"]).object() {
        let mut names: Vec<&String> = hard.keys().collect();
        names.sort();
        for name in names {
            let used = o.at(&["status", "used", name.as_str()]);
            let used = if used.is_set() {
                canonical(used)
            } else {
                "0".to_string()
            };
            let hard = canonical(o.at(&["status", "hard", name.as_str()]));
            let column = match name.split_once('.') {
                Some(("limits", _)) => &mut limits,
                _ => &mut requests,
            };
            column.push(format!("{name}: {used}/{hard}"));
        }
    }
    cells(vec![
        name_of(o),
        requests.join(", ").into(),
        limits.join(", ").into(),
        age_of(o, now),
    ])
}

fn map_len(field: Field<'_>) -> u64 {
    field.object().map_or(0, |map| map.len() as u64)
}

fn cells(cells: Vec<Value>) -> Row {
    Row {
        cells,
        conditions: Vec::new(),
    }
}
