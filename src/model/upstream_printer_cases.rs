//! Every printPod and printNode case of the Kubernetes printer tests, replayed against our model.
//! The cases live in `testdata/` as v1 objects with the strings kubectl prints for them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::manifest::parse_typed;
use super::node::Node;
use super::node_status::node_row;
use super::pod::Pod;
use super::pod_row::pod_row;

/// The clock the transcribed cases were written against.
const NOW: &str = "2026-01-01T00:00:00Z";

#[derive(Deserialize)]
struct PodCase {
    case: String,
    pod: serde_json::Value,
    expect: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct NodeCase {
    case: String,
    node: serde_json::Value,
    expect: BTreeMap<String, String>,
}

fn now() -> Timestamp {
    NOW.parse().expect("fixed clock")
}

#[test]
fn every_upstream_print_pod_case() {
    let cases: Vec<PodCase> = serde_saphyr::from_str(include_str!("testdata/print_pod_cases.yaml"))
        .expect("pod cases parse");
    assert!(cases.len() >= 43, "all transcribed cases load");
    let mut failures = Vec::new();
    for case in &cases {
        let pod: Pod =
            parse_typed(&case.pod.to_string()).unwrap_or_else(|e| panic!("{}: {e}", case.case));
        let row = pod_row(&pod, now());
        for (column, want) in &case.expect {
            let got = match column.as_str() {
                "ready" => serde_json::json!(row.columns.ready),
                "status" => serde_json::json!(row.columns.status),
                "restarts" => serde_json::json!(row.columns.restarts),
                "age" => serde_json::json!(row.age),
                "ip" => serde_json::json!(row.ip),
                "node" => serde_json::json!(row.node),
                "nominatedNode" => serde_json::json!(row.nominated_node),
                "readinessGates" => serde_json::json!(row.readiness_gates),
                "conditions" => match row.completed {
                    Some((reason, message)) => serde_json::json!([{
                        "type": "Completed", "status": "True", "reason": reason, "message": message
                    }]),
                    None => serde_json::json!([]),
                },
                other => panic!("{}: unknown expected column {other}", case.case),
            };
            if &got != want {
                failures.push(format!("{}: {column}: want {want}, got {got}", case.case));
            }
        }
        // Finished pods carry the Completed row condition; nothing else does.
        if !case.expect.contains_key("conditions") && row.completed.is_some() {
            failures.push(format!("{}: unexpected Completed row condition", case.case));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_upstream_print_node_case() {
    let cases: Vec<NodeCase> =
        serde_saphyr::from_str(include_str!("testdata/print_node_cases.yaml"))
            .expect("node cases parse");
    assert!(cases.len() >= 29, "all transcribed cases load");
    let mut failures = Vec::new();
    for case in &cases {
        let node: Node =
            parse_typed(&case.node.to_string()).unwrap_or_else(|e| panic!("{}: {e}", case.case));
        let row = node_row(&node, now(), &mut ());
        for (column, want) in &case.expect {
            let got = match column.as_str() {
                "name" => &row.name,
                "status" => &row.status,
                "roles" => &row.roles,
                "age" => &row.age,
                "version" => &row.version,
                "internalIP" => &row.internal_ip,
                "externalIP" => &row.external_ip,
                "osImage" => &row.os_image,
                "kernelVersion" => &row.kernel_version,
                "containerRuntime" => &row.container_runtime,
                other => panic!("{}: unknown expected column {other}", case.case),
            };
            if got != want {
                failures.push(format!(
                    "{}: {column}: want {want:?}, got {got:?}",
                    case.case
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
