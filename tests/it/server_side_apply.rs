//! Server-side apply and field managers, judged by the real kubectl at its default flags and
//! by the official Python client: an apply creates, records its manager, takes out what it no
//! longer names while another manager's fields stay; a field another manager set is a 409
//! naming it, until `--force-conflicts`.

use std::process::Command;

use crate::support;
use support::kubectl::Cluster;

const APPLIED: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
  namespace: default
  labels: {app: ssa-web, tier: front}
spec:
  replicas: 2
  selector: {matchLabels: {app: ssa-web}}
  template:
    metadata: {labels: {app: ssa-web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: A, value: \"1\"}]
";

fn managers(c: &Cluster) -> String {
    c.kubectl(&[
        "get",
        "deploy",
        "ssa-web",
        "-o",
        "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}",
    ])
    .ok()
    .stdout
}

#[test]
fn kubectl_applies_server_side_with_managers_conflicts_and_force() {
    let c = Cluster::start();
    let file = c.write_kubeconfig("ssa.yaml", APPLIED);
    let file = file.to_str().unwrap();
    c.kubectl(&["apply", "--server-side", "-f", file])
        .ok()
        .stdout_has("deployment.apps/ssa-web serverside-applied");
    assert_eq!(managers(&c).trim(), "kubectl/Apply");
    let fields = c
        .kubectl(&[
            "get",
            "deploy",
            "ssa-web",
            "-o",
            "jsonpath={.metadata.managedFields[0].fieldsV1}",
        ])
        .ok()
        .stdout;
    let fields: serde_json::Value = serde_json::from_str(&fields).expect("fieldsV1 is JSON");
    assert_eq!(
        fields["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["f:image"],
        serde_json::json!({}),
        "{fields}"
    );
    assert_eq!(fields["f:metadata"]["f:labels"]["."], serde_json::json!({}));

    // Another manager sets replicas: applying 2 again is a conflict naming it.
    c.kubectl(&[
        "patch",
        "deploy",
        "ssa-web",
        "-p",
        r#"{"spec":{"replicas":3}}"#,
    ])
    .ok();
    c.kubectl(&["apply", "--server-side", "-f", file])
        .fails()
        .stderr_has(
            r#"Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas"#,
        );
    c.kubectl(&["apply", "--server-side", "--force-conflicts", "-f", file])
        .ok();
    let replicas = c
        .kubectl(&[
            "get",
            "deploy",
            "ssa-web",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .ok()
        .stdout;
    assert_eq!(replicas, "2");

    // A field the applier no longer names goes; another manager's stays.
    c.kubectl(&["set", "env", "deploy/ssa-web", "B=2"]).ok();
    let without = APPLIED
        .replace(", tier: front", "")
        .replace("        env: [{name: A, value: \"1\"}]\n", "");
    let file = c.write_kubeconfig("ssa-without.yaml", &without);
    c.kubectl(&["apply", "--server-side", "-f", file.to_str().unwrap()])
        .ok();
    let left = c
        .kubectl(&[
            "get",
            "deploy",
            "ssa-web",
            "-o",
            "jsonpath={.metadata.labels} {.spec.template.spec.containers[0].env}",
        ])
        .ok()
        .stdout;
    assert_eq!(left, r#"{"app":"ssa-web"} [{"name":"B","value":"2"}]"#);
    assert_eq!(managers(&c).trim(), "kubectl/Apply kubectl-set/Update");
}

#[test]
fn the_python_client_applies_server_side() {
    let c = Cluster::start();
    let script = r#"
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
api = client.CoreV1Api()
body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa-cm", "namespace": "default"}, "data": {"a": "1"}}
first = api.patch_namespaced_config_map("ssa-cm", "default", body, field_manager="py", _content_type="application/apply-patch+yaml")
api.patch_namespaced_config_map("ssa-cm", "default", {"data": {"a": "2"}})
try:
    api.patch_namespaced_config_map("ssa-cm", "default", body, field_manager="py", _content_type="application/apply-patch+yaml")
    conflict = None
except ApiException as e:
    conflict = {"status": e.status, "body": json.loads(e.body)}
print(json.dumps({"managers": [m.manager for m in first.metadata.managed_fields], "conflict": conflict}))
"#;
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(c.kubeconfig())
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let result: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(result["managers"], serde_json::json!(["py"]), "{result}");
    assert_eq!(result["conflict"]["status"], 409, "{result}");
    let cause = &result["conflict"]["body"]["details"]["causes"][0];
    assert_eq!(cause["reason"], "FieldManagerConflict", "{result}");
    assert_eq!(cause["field"], ".data.a", "{result}");
    assert!(
        cause["message"]
            .as_str()
            .unwrap()
            .starts_with("conflict with \"OpenAPI-Generator\" using v1"),
        "{result}"
    );
}
