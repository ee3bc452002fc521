//! Every upstream printer case for the kinds this module prints, replayed from `testdata/`, plus
//! the Table document's shape and odd-input robustness.

use std::collections::BTreeMap;

use jiff::Timestamp;
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;

/// The clock the transcribed cases were written against.
const NOW: &str = "2026-01-01T00:00:00Z";

fn now() -> Timestamp {
    NOW.parse().expect("fixed clock")
}

#[derive(Deserialize)]
struct CaseFile {
    kind: String,
    cases: Vec<Case>,
}

/// One upstream test case: one object and its cells, or a list and its rows.
#[derive(Deserialize)]
struct Case {
    case: String,
    wide: bool,
    object: Option<Value>,
    cells: Option<Vec<Value>>,
    #[serde(default)]
    objects: Vec<Value>,
    #[serde(default)]
    rows: Vec<Vec<Value>>,
}

const CASE_FILES: [(&str, &str, usize); 14] = [
    (
        "Service",
        include_str!("../testdata/print_service_cases.yaml"),
        14,
    ),
    (
        "Endpoints",
        include_str!("../testdata/print_endpoints_cases.yaml"),
        4,
    ),
    (
        "Deployment",
        include_str!("../testdata/print_deployment_cases.yaml"),
        2,
    ),
    (
        "ReplicaSet",
        include_str!("../testdata/print_replicaset_cases.yaml"),
        3,
    ),
    (
        "StatefulSet",
        include_str!("../testdata/print_statefulset_cases.yaml"),
        2,
    ),
    (
        "DaemonSet",
        include_str!("../testdata/print_daemonset_cases.yaml"),
        3,
    ),
    ("Job", include_str!("../testdata/print_job_cases.yaml"), 12),
    (
        "CronJob",
        include_str!("../testdata/print_cronjob_cases.yaml"),
        6,
    ),
    (
        "PodDisruptionBudget",
        include_str!("../testdata/print_poddisruptionbudget_cases.yaml"),
        3,
    ),
    (
        "Event",
        include_str!("../testdata/print_event_cases.yaml"),
        9,
    ),
    (
        "Namespace",
        include_str!("../testdata/print_namespace_cases.yaml"),
        2,
    ),
    (
        "Secret",
        include_str!("../testdata/print_secret_cases.yaml"),
        2,
    ),
    (
        "ServiceAccount",
        include_str!("../testdata/print_serviceaccount_cases.yaml"),
        2,
    ),
    (
        "ConfigMap",
        include_str!("../testdata/print_configmap_cases.yaml"),
        3,
    ),
];

fn load(kind: &str, text: &str) -> Vec<Case> {
    let file: CaseFile =
        serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{kind} cases parse: {e}"));
    assert_eq!(file.kind, kind);
    file.cases
}

/// Compares a printed row with upstream's, cell by cell and type by type; `null` is a cell
/// upstream leaves unchecked.
fn compare(case: &str, got: &[Value], want: &[Value], failures: &mut Vec<String>) {
    if got.len() != want.len() {
        failures.push(format!(
            "{case}: {} cells, want {}: got {got:?}",
            got.len(),
            want.len()
        ));
        return;
    }
    for (index, (got, want)) in got.iter().zip(want).enumerate() {
        if !want.is_null() && got != want {
            failures.push(format!("{case}: cell {index}: want {want}, got {got}"));
        }
    }
}

#[test]
fn every_upstream_print_case() {
    let mut failures = Vec::new();
    for (kind, text, expected_cases) in CASE_FILES {
        let cases = load(kind, text);
        assert_eq!(cases.len(), expected_cases, "{kind}: every case loads");
        let columns = columns(kind).expect("a printed kind");
        for case in &cases {
            let options = Options { wide: case.wide };
            let pairs: Vec<(&Value, &Vec<Value>)> = match (&case.object, &case.cells) {
                (Some(object), Some(cells)) => vec![(object, cells)],
                _ => case.objects.iter().zip(&case.rows).collect(),
            };
            assert!(
                !pairs.is_empty()
                    && (case.object.is_some() || case.objects.len() == case.rows.len()),
                "{}: a case needs object+cells or objects+rows",
                case.case
            );
            for (object, want) in pairs {
                let row = print(kind, object, now(), options).expect("a printed kind");
                compare(&case.case, &row.cells, want, &mut failures);
                let shown = columns
                    .iter()
                    .filter(|c| case.wide || c.priority == 0)
                    .count();
                assert_eq!(row.cells.len(), shown, "{}: one cell per column", case.case);
                assert!(
                    row.conditions.is_empty(),
                    "{}: no row conditions",
                    case.case
                );
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct PodCase {
    case: String,
    pod: Value,
    expect: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct NodeCase {
    case: String,
    node: Value,
    expect: BTreeMap<String, Value>,
}

/// The pod cases the model already replays, now through the Table cells and row conditions.
#[test]
fn every_upstream_pod_case_as_cells() {
    let cases: Vec<PodCase> =
        serde_saphyr::from_str(include_str!("../testdata/print_pod_cases.yaml")).unwrap();
    assert!(cases.len() >= 43);
    let columns = [
        "name",
        "ready",
        "status",
        "restarts",
        "age",
        "ip",
        "node",
        "nominatedNode",
        "readinessGates",
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let row = print("Pod", &case.pod, now(), SERVER).unwrap();
        assert_eq!(row.cells.len(), 9, "{}", case.case);
        for (column, want) in &case.expect {
            let got = if column == "conditions" {
                Value::Array(row.conditions.clone())
            } else {
                let index = columns
                    .iter()
                    .position(|c| c == column)
                    .unwrap_or_else(|| panic!("{}: unknown column {column}", case.case));
                row.cells[index].clone()
            };
            if &got != want {
                failures.push(format!("{}: {column}: want {want}, got {got}", case.case));
            }
        }
        if !case.expect.contains_key("conditions") && !row.conditions.is_empty() {
            failures.push(format!("{}: unexpected row conditions", case.case));
        }
        // RESTARTS is a string in every row, with or without a last restart time.
        assert!(row.cells[3].is_string(), "{}", case.case);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The node cases the model already replays, now through the Table cells.
#[test]
fn every_upstream_node_case_as_cells() {
    let cases: Vec<NodeCase> =
        serde_saphyr::from_str(include_str!("../testdata/print_node_cases.yaml")).unwrap();
    assert!(cases.len() >= 29);
    let columns = [
        "name",
        "status",
        "roles",
        "age",
        "version",
        "internalIP",
        "externalIP",
        "osImage",
        "kernelVersion",
        "containerRuntime",
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let cells = cells("Node", &case.node, now()).unwrap();
        assert_eq!(cells.len(), 10, "{}", case.case);
        for (column, want) in &case.expect {
            let index = columns
                .iter()
                .position(|c| c == column)
                .unwrap_or_else(|| panic!("{}: unknown column {column}", case.case));
            if &cells[index] != want {
                failures.push(format!(
                    "{}: {column}: want {want}, got {}",
                    case.case, cells[index]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Upstream's column definitions, as `name:type:format:priority`.
#[test]
fn columns_match_upstream_definitions() {
    let want: [(&str, &str); 18] = [
        (
            "Pod",
            "Name:string:name:0 Ready:string::0 Status:string::0 Restarts:string::0 Age:string::0 IP:string::1 Node:string::1 Nominated_Node:string::1 Readiness_Gates:string::1",
        ),
        (
            "PodDisruptionBudget",
            "Name:string:name:0 Min_Available:string::0 Max_Unavailable:string::0 Allowed_Disruptions:integer::0 Age:string::0",
        ),
        (
            "ReplicaSet",
            "Name:string:name:0 Desired:integer::0 Current:integer::0 Ready:integer::0 Age:string::0 Containers:string::1 Images:string::1 Selector:string::1",
        ),
        (
            "DaemonSet",
            "Name:string:name:0 Desired:integer::0 Current:integer::0 Ready:integer::0 Up-to-date:integer::0 Available:integer::0 Node_Selector:string::0 Age:string::0 Containers:string::1 Images:string::1 Selector:string::1",
        ),
        (
            "Job",
            "Name:string:name:0 Status:string::0 Completions:string::0 Duration:string::0 Age:string::0 Containers:string::1 Images:string::1 Selector:string::1",
        ),
        (
            "CronJob",
            "Name:string:name:0 Schedule:string::0 Timezone:string::0 Suspend:boolean::0 Active:integer::0 Last_Schedule:string::0 Age:string::0 Containers:string::1 Images:string::1 Selector:string::1",
        ),
        (
            "Service",
            "Name:string:name:0 Type:string::0 Cluster-IP:string::0 External-IP:string::0 Port(s):string::0 Age:string::0 Selector:string::1",
        ),
        (
            "StatefulSet",
            "Name:string:name:0 Ready:string::0 Age:string::0 Containers:string::1 Images:string::1",
        ),
        (
            "Endpoints",
            "Name:string:name:0 Endpoints:string::0 Age:string::0",
        ),
        (
            "Node",
            "Name:string:name:0 Status:string::0 Roles:string::0 Age:string::0 Version:string::0 Internal-IP:string::1 External-IP:string::1 OS-Image:string::1 Kernel-Version:string::1 Container-Runtime:string::1",
        ),
        (
            "Event",
            "Last_Seen:string::0 Type:string::0 Reason:string::0 Object:string::0 Subobject:string::1 Source:string::1 Message:string::0 First_Seen:string::1 Count:string::1 Name:string:name:1",
        ),
        (
            "Namespace",
            "Name:string:name:0 Status:string::0 Age:string::0",
        ),
        (
            "Secret",
            "Name:string:name:0 Type:string::0 Data:string::0 Age:string::0",
        ),
        ("ServiceAccount", "Name:string:name:0 Age:string::0"),
        (
            "Deployment",
            "Name:string:name:0 Ready:string::0 Up-to-date:string::0 Available:string::0 Age:string::0 Containers:string::1 Images:string::1 Selector:string::1",
        ),
        (
            "ConfigMap",
            "Name:string:name:0 Data:string::0 Age:string::0",
        ),
        (
            "PersistentVolumeClaim",
            "Name:string:name:0 Status:string::0 Volume:string::0 Capacity:string::0 Access_Modes:string::0 StorageClass:string::0 VolumeAttributesClass:string::0 Age:string::0 VolumeMode:string::1",
        ),
        (
            "ResourceQuota",
            "Name:string:name:0 Request:string::0 Limit:string::0 Age:string::0",
        ),
    ];
    for (kind, want) in want {
        let got = columns(kind)
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}:{}:{}:{}",
                    c.name.replace(' ', "_"),
                    c.type_,
                    c.format,
                    c.priority
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(got, want, "{kind}");
        assert!(
            columns(kind)
                .unwrap()
                .iter()
                .all(|c| !c.description.is_empty()),
            "{kind}: every column is described"
        );
    }
    assert_eq!(KINDS.len(), 34);
    assert!(KINDS.iter().all(|kind| columns(kind).is_some()));
    assert!(columns("LimitRange").is_none());
    assert!(cells("LimitRange", &json!({}), now()).is_none());
    assert!(table::<Value>("pod", &[], now(), IncludeObject::None).is_none());
}

#[test]
fn descriptions_are_upstream_swagger_docs() {
    let pod = columns("Pod").unwrap();
    assert_eq!(
        pod[0].description,
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    );
    assert!(
        pod[4]
            .description
            .starts_with("CreationTimestamp is a timestamp representing the server time")
    );
    assert!(
        pod[4]
            .description
            .contains("UTC.\n\nPopulated by the system.")
    );
    let event = columns("Event").unwrap();
    assert_eq!(
        event[8].description,
        "The number of times this event has occurred."
    );
    assert!(
        event[4]
            .description
            .starts_with("If referring to a piece of an object")
    );
    let job = columns("Job").unwrap();
    assert_eq!(job[1].description, "Status of the job.");
}

#[test]
fn column_definitions_serialize_as_metav1() {
    let column = &columns("Pod").unwrap()[5];
    let json = serde_json::to_value(column).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["description", "format", "name", "priority", "type"],
        "exactly the metav1.TableColumnDefinition fields"
    );
    assert_eq!(json["name"], "IP");
    assert_eq!(json["type"], "string");
    assert_eq!(json["format"], "");
    assert_eq!(json["priority"], 1);
}

/// A `meta.k8s.io/v1` Table as a client reads it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Table {
    kind: String,
    api_version: String,
    metadata: serde_json::Map<String, Value>,
    column_definitions: Vec<ColumnDefinition>,
    rows: Vec<TableRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableRow {
    cells: Vec<Value>,
    #[serde(default)]
    conditions: Vec<TableRowCondition>,
    object: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableRowCondition {
    #[serde(rename = "type")]
    type_: String,
    status: String,
    reason: String,
    message: String,
}

fn read_table(value: Value) -> Table {
    serde_json::from_value(value).expect("a meta.k8s.io/v1 Table")
}

/// Every transcribed object, by kind.
fn all_objects() -> Vec<(&'static str, Vec<Value>)> {
    CASE_FILES
        .iter()
        .map(|(kind, text, _)| {
            let objects = load(kind, text)
                .into_iter()
                .flat_map(|case| case.object.into_iter().chain(case.objects))
                .collect();
            (*kind, objects)
        })
        .collect()
}

#[test]
fn tables_deserialize_with_one_cell_per_column() {
    for (kind, objects) in all_objects() {
        let table = read_table(table(kind, &objects, now(), IncludeObject::default()).unwrap());
        assert_eq!(table.kind, "Table");
        assert_eq!(table.api_version, "meta.k8s.io/v1");
        assert!(table.metadata.is_empty());
        assert_eq!(table.column_definitions, columns(kind).unwrap());
        assert_eq!(table.rows.len(), objects.len(), "{kind}");
        for (row, object) in table.rows.iter().zip(&objects) {
            assert_eq!(row.cells.len(), table.column_definitions.len(), "{kind}");
            assert_eq!(row.cells, cells(kind, object, now()).unwrap());
            assert_eq!(row.object["kind"], "PartialObjectMetadata");
            assert_eq!(row.object["apiVersion"], "meta.k8s.io/v1");
            let metadata = object.get("metadata").cloned().unwrap_or_else(|| json!({}));
            assert_eq!(row.object["metadata"], metadata);
        }
    }
    let empty = read_table(table::<Value>("Pod", &[], now(), IncludeObject::Object).unwrap());
    assert!(empty.rows.is_empty());
    assert_eq!(empty.column_definitions.len(), 9);
}

#[test]
fn include_object_choices() {
    let deployment =
        json!({"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"replicas": 2}});
    let row = |include| {
        let mut table = table(
            "Deployment",
            std::slice::from_ref(&deployment),
            now(),
            include,
        )
        .unwrap();
        table["rows"][0].take()
    };
    assert_eq!(row(IncludeObject::None)["object"], Value::Null);
    assert!(row(IncludeObject::None).get("object").is_some());
    assert_eq!(
        row(IncludeObject::Metadata)["object"],
        json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": {"name": "web", "labels": {"app": "web"}},
        })
    );
    let full = row(IncludeObject::Object)["object"].clone();
    assert_eq!(full["kind"], "Deployment");
    assert_eq!(full["apiVersion"], "apps/v1");
    assert_eq!(full["spec"], deployment["spec"]);
    // A kind and apiVersion already there are kept.
    let typed = json!({"kind": "Job", "apiVersion": "batch/v1", "metadata": {"name": "j"}});
    let jobs = table(
        "Job",
        std::slice::from_ref(&typed),
        now(),
        IncludeObject::Object,
    )
    .unwrap();
    assert_eq!(jobs["rows"][0]["object"], typed);
    // Without metadata the partial object has an empty one.
    let odd = table("ConfigMap", &[json!(7)], now(), IncludeObject::Metadata).unwrap();
    assert_eq!(odd["rows"][0]["object"]["metadata"], json!({}));
    assert_eq!(IncludeObject::default(), IncludeObject::Metadata);
}

#[test]
fn finished_pods_carry_the_completed_condition() {
    let pods = [
        json!({"metadata": {"name": "done"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}}),
        json!({"metadata": {"name": "broke"}, "status": {"phase": "Failed"}}),
        json!({"metadata": {"name": "up"}, "status": {"phase": "Running"}}),
    ];
    let table = read_table(table("Pod", &pods, now(), IncludeObject::None).unwrap());
    let conditions: Vec<Vec<(String, String, String, String)>> = table
        .rows
        .iter()
        .map(|row| {
            row.conditions
                .iter()
                .map(|c| {
                    (
                        c.type_.clone(),
                        c.status.clone(),
                        c.reason.clone(),
                        c.message.clone(),
                    )
                })
                .collect()
        })
        .collect();
    let completed = |reason: &str, message: &str| {
        vec![(
            "Completed".to_string(),
            "True".to_string(),
            reason.to_string(),
            message.to_string(),
        )]
    };
    assert_eq!(
        conditions,
        [
            completed("Succeeded", "The pod has completed successfully."),
            completed("Failed", "The pod failed."),
            vec![],
        ]
    );
    let raw = table_json_rows("Pod", &pods);
    assert!(
        raw[2].get("conditions").is_none(),
        "no empty conditions list"
    );
}

fn table_json_rows(kind: &str, objects: &[Value]) -> Vec<Value> {
    table(kind, objects, now(), IncludeObject::None).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone()
}

/// Details the upstream tests do not pin down, checked against upstream's code.
#[test]
fn printer_details_beyond_the_upstream_cases() {
    let cell = |kind: &str, object: Value| cells(kind, &object, now()).unwrap();
    // Services: clusterIP when clusterIPs is empty, type-less services, IPv6 endpoints.
    let service = cell(
        "Service",
        json!({"metadata": {"name": "s"}, "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1", "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "nodePort": 30443, "protocol": "TCP"}]}}),
    );
    assert_eq!(service[2], "10.0.0.1");
    assert_eq!(service[4], "80/TCP,443:30443/TCP");
    assert_eq!(service[6], "<none>");
    let untyped = cell("Service", json!({"spec": {}}));
    assert_eq!(
        untyped[1..5],
        [
            json!(""),
            json!("<none>"),
            json!("<unknown>"),
            json!("<none>")
        ]
    );
    let lb = cell(
        "Service",
        json!({"spec": {"type": "LoadBalancer"}, "status": {"loadBalancer": {"ingress": [{"hostname": "b.example.com"}, {"ip": "1.1.1.1"}, {"ip": "1.1.1.1"}, {}]}}}),
    );
    assert_eq!(lb[3], "1.1.1.1,b.example.com", "sorted, deduplicated, wide");
    let endpoints = cell(
        "Endpoints",
        json!({"subsets": [
            {"addresses": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}], "ports": [{"port": 80}, {"port": 443}]},
            {"addresses": [{"ip": "10.0.0.9"}]},
        ]}),
    );
    assert_eq!(
        endpoints[1],
        "10.0.0.1:80,[fd00::1]:80,10.0.0.1:443 + 2 more..."
    );
    let emptied = cell("Endpoints", json!({"subsets": [{}]}));
    assert_eq!(emptied[1], "");
    // Jobs: parallelism without completions, deletion versus completion, first condition wins.
    let job = cell(
        "Job",
        json!({"spec": {"parallelism": 3}, "status": {"succeeded": 1, "conditions": [
            {"type": "Complete", "status": "False"}, {"type": "Complete", "status": "True"},
            {"type": "Failed", "status": "True"}]}}),
    );
    assert_eq!(job[1..3], [json!("Failed"), json!("1/1 of 3")]);
    let deleted = cell(
        "Job",
        json!({"metadata": {"deletionTimestamp": "2025-12-31T23:00:00Z"}, "status": {"conditions": [{"type": "Complete", "status": "True"}]}}),
    );
    assert_eq!(deleted[1], "Complete");
    // CronJobs: no suspend field, ACTIVE counts the list, a zero last-schedule time.
    let cron = cell(
        "CronJob",
        json!({"spec": {"schedule": "@daily", "suspend": true}, "status": {"active": [{}, {}], "lastScheduleTime": "0001-01-01T00:00:00Z"}}),
    );
    assert_eq!(cron[3..6], [json!("True"), json!(2), json!("<unknown>")]);
    assert_eq!(cell("CronJob", json!({}))[3], "<unset>");
    // Deployments render their selector without <none>, and <invalid> when it is invalid.
    assert_eq!(cell("Deployment", json!({}))[7], "");
    assert_eq!(
        cell(
            "Deployment",
            json!({"spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Bogus"}]}}})
        )[7],
        "<invalid>"
    );
    assert_eq!(cell("ReplicaSet", json!({}))[7], "<none>");
    assert_eq!(
        cell(
            "ReplicaSet",
            json!({"spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Bogus"}]}}})
        )[7],
        "<error>"
    );
    // DaemonSet NODE SELECTOR is the template's nodeSelector.
    let ds = cell(
        "DaemonSet",
        json!({"spec": {"template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux", "a": "b"}}}}}),
    );
    assert_eq!(ds[6], "a=b,kubernetes.io/os=linux");
    // PDB percentages print as written.
    let pdb = cell(
        "PodDisruptionBudget",
        json!({"spec": {"minAvailable": "50%"}}),
    );
    assert_eq!(pdb[1..4], [json!("50%"), json!("N/A"), json!(0)]);
    // A claim shows its volume's capacity and modes once bound, the beta class annotation first.
    let pending = cell(
        "PersistentVolumeClaim",
        json!({"spec": {"storageClassName": "fast", "resources": {"requests": {"storage": "5Gi"}}},
               "status": {"phase": "Pending"}}),
    );
    assert_eq!(
        pending[1..7],
        ["Pending", "", "", "", "fast", "<unset>"].map(|t| json!(t))
    );
    let bound = cell(
        "PersistentVolumeClaim",
        json!({"metadata": {"annotations": {"volume.beta.kubernetes.io/storage-class": "old"}},
               "spec": {"volumeName": "pv-1", "storageClassName": "fast", "volumeMode": "Block"},
               "status": {"phase": "Bound", "capacity": {"storage": "10Gi"},
                          "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"]}}),
    );
    assert_eq!(
        bound[1..6],
        [
            json!("Bound"),
            json!("pv-1"),
            json!("10Gi"),
            json!("RWO,RWX"),
            json!("old")
        ]
    );
    assert_eq!(bound[8], "Block");
    // Secrets count stringData keys as the conversion into data would.
    let secret = cell(
        "Secret",
        json!({"type": "Opaque", "data": {"a": "eA=="}, "stringData": {"a": "x", "b": "y"}}),
    );
    assert_eq!(secret[2], 2);
    // Events: a series with no count, an involved object without a name, trimmed messages.
    let event = cell(
        "Event",
        json!({"involvedObject": {"kind": "Node"}, "message": "  hi \n", "series": {}}),
    );
    assert_eq!(event[0], "<unknown>");
    assert_eq!(event[3], "node");
    assert_eq!(event[5], "");
    assert_eq!(event[6], "hi");
    assert_eq!(event[8], 0);
    // Namespace, ConfigMap, ServiceAccount.
    assert_eq!(
        cell(
            "Namespace",
            json!({"metadata": {"name": "ns"}, "status": {"phase": "Terminating"}})
        ),
        [json!("ns"), json!("Terminating"), json!("<unknown>")]
    );
    assert_eq!(cell("ConfigMap", json!({"binaryData": {"b": ""}}))[1], 1);
    assert_eq!(cell("ServiceAccount", json!({})).len(), 2);
    // ResourceQuotas: status.hard in name order, limits.* apart, canonical, 0 when not counted.
    let quota = cell(
        "ResourceQuota",
        json!({"metadata": {"name": "compute"},
               "status": {"hard": {"requests.cpu": "2000m", "pods": "10", "limits.cpu": "4", "count/deployments.apps": 5, "limits.memory": "4Gi"},
                          "used": {"requests.cpu": "500m", "pods": "3", "limits.cpu": "1", "count/deployments.apps": "1"}}}),
    );
    assert_eq!(
        quota[..3],
        [
            json!("compute"),
            json!("count/deployments.apps: 1/5, pods: 3/10, requests.cpu: 500m/2"),
            json!("limits.cpu: 1/4, limits.memory: 0/4Gi"),
        ]
    );
    assert_eq!(
        cell("ResourceQuota", json!({}))[1..3],
        [json!(""), json!("")]
    );
}

/// Values no field expects: every kind still prints one cell per column.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(-3),
        json!(1.5),
        json!("text"),
        json!([1, "a", null, {}]),
        json!({}),
        json!({"nested": {"deeper": [null]}}),
    ]
}

/// Puts `value` at every field path the printers read, one object per path, and in place of
/// the whole object, of `metadata`, `spec` and `status`.
fn odd_objects(value: &Value) -> Vec<Value> {
    let paths: &[&[&str]] = &[
        &[],
        &["metadata"],
        &["metadata", "name"],
        &["metadata", "creationTimestamp"],
        &["metadata", "deletionTimestamp"],
        &["spec"],
        &["status"],
        &["spec", "replicas"],
        &["spec", "selector"],
        &["spec", "selector", "matchLabels"],
        &["spec", "selector", "matchExpressions"],
        &["spec", "template"],
        &["spec", "template", "spec", "containers"],
        &["spec", "template", "spec", "nodeSelector"],
        &["spec", "containers"],
        &["spec", "ports"],
        &["spec", "type"],
        &["spec", "clusterIPs"],
        &["spec", "externalIPs"],
        &["spec", "completions"],
        &["spec", "parallelism"],
        &["spec", "suspend"],
        &["spec", "timeZone"],
        &["spec", "jobTemplate"],
        &["spec", "minAvailable"],
        &["status", "conditions"],
        &["status", "loadBalancer"],
        &["status", "containerStatuses"],
        &["status", "startTime"],
        &["status", "completionTime"],
        &["status", "active"],
        &["status", "lastScheduleTime"],
        &["status", "readyReplicas"],
        &["subsets"],
        &["data"],
        &["binaryData"],
        &["stringData"],
        &["involvedObject"],
        &["series"],
        &["source"],
        &["count"],
        &["firstTimestamp"],
        &["eventTime"],
    ];
    paths
        .iter()
        .map(|path| {
            let mut object = json!({
                "metadata": {"name": "x", "creationTimestamp": "2025-12-31T00:00:00Z"},
                "spec": {"type": "LoadBalancer", "selector": {"matchLabels": {"a": "b"}},
                         "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}},
                "status": {"conditions": [{"type": "Ready", "status": "True"}]},
                "subsets": [{"addresses": [{"ip": "1.2.3.4"}], "ports": [{"port": 1}]}],
            });
            set(&mut object, path, value.clone());
            object
        })
        .collect()
}

fn set(object: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *object = value;
        return;
    };
    let mut current = object;
    for key in parents {
        if !current.get(*key).is_some_and(Value::is_object) {
            current[*key] = json!({});
        }
        current = &mut current[*key];
    }
    current[*last] = value;
}

#[test]
fn odd_input_prints_a_full_row() {
    for kind in KINDS {
        let width = columns(kind).unwrap().len();
        for value in odd_values() {
            for object in odd_objects(&value) {
                let cells = cells(kind, &object, now()).unwrap();
                assert_eq!(cells.len(), width, "{kind}: {object}");
                // Cells are strings and integers, and a PriorityClass's Global-Default is
                // upstream's boolean.
                assert!(
                    cells
                        .iter()
                        .all(|c| c.is_string() || c.is_i64() || c.is_u64() || c.is_boolean())
                );
            }
        }
        let table = read_table(table(kind, &odd_values(), now(), IncludeObject::Object).unwrap());
        assert_eq!(table.rows.len(), odd_values().len());
        assert!(table.rows.iter().all(|row| row.cells.len() == width));
    }
}

/// Arbitrary JSON, a few levels deep.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z0-9:/., -]{0,12}".prop_map(Value::from),
        Just(json!("2025-12-31T23:00:00Z")),
        Just(json!("0001-01-01T00:00:00Z")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("metadata".to_string()),
                    Just("spec".to_string()),
                    Just("status".to_string()),
                    Just("name".to_string()),
                    Just("containers".to_string()),
                    Just("conditions".to_string()),
                    Just("selector".to_string()),
                    Just("matchExpressions".to_string()),
                    Just("ports".to_string()),
                    Just("subsets".to_string()),
                    Just("addresses".to_string()),
                    Just("series".to_string()),
                    Just("type".to_string()),
                    "[a-zA-Z]{1,8}",
                ],
                inner,
                0..5,
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_json_never_panics(object in arbitrary_json()) {
        for kind in KINDS {
            let cells = cells(kind, &object, now()).unwrap();
            prop_assert_eq!(cells.len(), columns(kind).unwrap().len());
        }
    }
}
