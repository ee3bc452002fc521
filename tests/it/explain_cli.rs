//! `kscope explain` as a user runs it: the built binary, on files, stdin, bad input, bad usage,
//! and a live cluster over loopback.

use crate::support;

use std::collections::HashMap;

use kscope::model::manifest::parse_documents;
use serde_json::Value;
use support::fixed_api_server::FixedApiServer;
use support::{NOW, assert_one_line_error, kscope, stderr, stdout};

fn example(name: &str) -> String {
    format!("assets/examples/{name}.yaml")
}

#[test]
fn crashloop_example_says_why_and_what_to_do() {
    let output = kscope(
        &[
            "explain",
            "-f",
            &example("crashloop-oomkilled"),
            "--now",
            NOW,
        ],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("Pod shop/checkout-7d9f8b6c5-x2k4q  CrashLoopBackOff\n"),
        "{text}"
    );
    assert!(
        text.contains("READY 0/1   RESTARTS 7 (2m12s ago)   QoS Burstable"),
        "{text}"
    );
    assert!(
        text.contains("status.containerStatuses[0].state.waiting.reason = CrashLoopBackOff"),
        "{text}"
    );
    assert!(text.contains("OOMKilled (exit code 137)"), "{text}");
    assert!(text.contains("memory limit is 256Mi"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped");
}

#[test]
fn json_output_has_the_contract_fields_for_each_object() {
    let output = kscope(
        &[
            "explain",
            "-f",
            &example("terminating-stuck"),
            "-o",
            "json",
            "--now",
            NOW,
        ],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), 2);
    let pod = &lines[0];
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["name"], "cache-2");
    assert_eq!(pod["ready"], "1/1");
    assert_eq!(pod["status"], "Unknown");
    assert_eq!(pod["restarts"], "0");
    assert_eq!(pod["qos"], "BestEffort");
    let steps = pod["steps"].as_array().expect("steps");
    assert!(
        steps
            .iter()
            .any(|s| s["field"] == "metadata.deletionTimestamp"
                && s["rule"].as_str().unwrap().contains("NodeLost"))
    );
    for step in steps {
        assert!(step["field"].is_string() && step["value"].is_string() && step["rule"].is_string());
    }
    assert!(
        pod["hints"]
            .as_array()
            .expect("hints")
            .iter()
            .all(Value::is_string)
    );
    let node = &lines[1];
    assert_eq!(node["kind"], "Node");
    assert_eq!(node["status"], "NotReady");
    assert_eq!(node["roles"], "worker");
    assert_eq!(node["age"], "81d");
    assert_eq!(node["version"], "v1.35.1");
    assert!(
        node["hints"][1]
            .as_str()
            .unwrap()
            .contains("300s toleration have been evicted")
    );
}

#[test]
fn reads_standard_input_and_namespaces() {
    let yaml = std::fs::read_to_string(example("namespace-terminating")).unwrap();
    let output = kscope(
        &["explain", "-f", "-", "-o", "json", "--now", NOW],
        &yaml,
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ns: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(ns["kind"], "Namespace");
    assert_eq!(ns["status"], "Terminating");
    assert!(
        ns["hints"][0]
            .as_str()
            .unwrap()
            .contains("strimzi.io/topic-operator")
    );
}

#[test]
fn colour_on_a_terminal_is_off_with_no_color_and_pipes() {
    // Not a terminal here, so plain; and NO_COLOR must not turn anything on.
    let output = kscope(
        &["explain", "-f", &example("missing-configmap"), "--now", NOW],
        "",
        &[("NO_COLOR", "1")],
    );
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn bad_input_gets_one_line_naming_what_and_where() {
    let run = |stdin: &str| kscope(&["explain", "-f", "-", "--now", NOW], stdin, &[]);
    assert_one_line_error(&run("kind: [unclosed"), "standard input: not valid YAML");
    assert_one_line_error(&run("{\"kind\": \"Pod\""), "standard input: not valid JSON");
    assert_one_line_error(
        &run("kind: ConfigMap\nmetadata: {name: web}"),
        "kind ConfigMap is not supported",
    );
    assert_one_line_error(
        &run(
            "kind: Pod\nmetadata: {name: web}\nstatus: {containerStatuses: [{restartCount: many}]}",
        ),
        "Pod \"web\": status.containerStatuses[0].restartCount: invalid type: string \"many\"",
    );
    assert_one_line_error(&run(""), "standard input: no objects found");
    assert_one_line_error(
        &run("kind: Event\nmetadata: {name: e}"),
        "nothing to explain: the input holds only Events",
    );
    let missing = kscope(
        &["explain", "-f", "assets/examples/no-such-file.yaml"],
        "",
        &[],
    );
    assert_one_line_error(&missing, "cannot read assets/examples/no-such-file.yaml");
}

#[test]
fn bad_usage_exits_two() {
    for args in [
        vec!["explain"],
        vec!["explain", "web", "-f", "x.yaml"],
        vec!["explain", "-f", "x.yaml", "-n", "shop"],
        vec!["explain", "web", "-o", "yaml"],
        vec!["explain", "web", "--now", "yesterday"],
        vec!["frobnicate"],
    ] {
        let output = kscope(&args, "", &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let output = kscope(&["explain", "cm/web"], "", &[]);
    assert_one_line_error(&output, "cannot explain \"cm\"");
}

/// The crashloop example's pod and event, as the API server would return them.
fn live_routes() -> HashMap<String, String> {
    let text = std::fs::read_to_string(example("crashloop-oomkilled")).unwrap();
    let list = parse_documents(&text).unwrap().remove(0);
    let items = list["items"].as_array().unwrap();
    let node_text = std::fs::read_to_string(example("terminating-stuck")).unwrap();
    let node = parse_documents(&node_text).unwrap().remove(0)["items"][1].clone();
    HashMap::from([
        ("/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5-x2k4q".to_string(), items[0].to_string()),
        (
            "/api/v1/namespaces/shop/events".to_string(),
            serde_json::json!({"kind": "EventList", "apiVersion": "v1", "metadata": {}, "items": [items[1]]}).to_string(),
        ),
        ("/api/v1/nodes/worker-4".to_string(), node.to_string()),
    ])
}

#[test]
fn live_pod_through_a_kubeconfig() {
    let server = FixedApiServer::start(live_routes());
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    server.write_kubeconfig(&kubeconfig, "shop");
    let kubeconfig = kubeconfig.to_str().unwrap();

    // The context's namespace is the default, as with kubectl.
    let output = kscope(
        &[
            "explain",
            "checkout-7d9f8b6c5-x2k4q",
            "--kubeconfig",
            kubeconfig,
            "--now",
            NOW,
            "-o",
            "json",
        ],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pod: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(
        (pod["status"].as_str(), pod["restarts"].as_str()),
        (Some("CrashLoopBackOff"), Some("7 (2m12s ago)"))
    );
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .all(|r| r.ends_with("auth=Bearer kscope-test-token")),
        "{requests:?}"
    );
    assert!(
        requests.iter().any(|r| r.starts_with("GET /api/v1/namespaces/shop/events?") && r.contains("fieldSelector=involvedObject.kind%3DPod%2CinvolvedObject.name%3Dcheckout-7d9f8b6c5-x2k4q")),
        "{requests:?}"
    );

    // KUBECONFIG and --context work the same way; a node by kind/name.
    let output = kscope(
        &[
            "explain",
            "node/worker-4",
            "--context",
            "test",
            "--now",
            NOW,
        ],
        "",
        &[("KUBECONFIG", kubeconfig)],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("Node worker-4  NotReady\n"),
        "{}",
        stdout(&output)
    );

    // -n overrides the context's namespace: here the pod is not found there.
    let output = kscope(
        &[
            "explain",
            "checkout-7d9f8b6c5-x2k4q",
            "-n",
            "default",
            "--kubeconfig",
            kubeconfig,
        ],
        "",
        &[],
    );
    assert_one_line_error(
        &output,
        "get pod \"checkout-7d9f8b6c5-x2k4q\" in namespace \"default\": the API server answered 404: the server could not find the requested resource",
    );
}

#[test]
fn cluster_problems_get_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = FixedApiServer::start(live_routes());
    let kubeconfig = dir.path().join("config");
    server.write_kubeconfig(&kubeconfig, "shop");
    let kubeconfig = kubeconfig.to_str().unwrap();

    let output = kscope(
        &[
            "explain",
            "web",
            "--kubeconfig",
            kubeconfig,
            "--context",
            "prod",
        ],
        "",
        &[],
    );
    assert_one_line_error(&output, "context \"prod\" not found in kubeconfig");
    assert!(stderr(&output).contains("(contexts: test)"));

    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, "this: [is not a kubeconfig").unwrap();
    let output = kscope(
        &["explain", "web", "--kubeconfig", garbage.to_str().unwrap()],
        "",
        &[],
    );
    assert_one_line_error(
        &output,
        &format!("cannot read kubeconfig {}", garbage.display()),
    );

    let output = kscope(
        &["explain", "web", "--kubeconfig", "/nonexistent/kubeconfig"],
        "",
        &[],
    );
    assert_one_line_error(&output, "cannot read kubeconfig /nonexistent/kubeconfig");

    let output = kscope(&["explain", "web"], "", &[]);
    assert_one_line_error(&output, "no kubeconfig found");

    // Nothing listens on port 1 of loopback.
    let unreachable = dir.path().join("unreachable");
    std::fs::write(
        &unreachable,
        std::fs::read_to_string(kubeconfig)
            .unwrap()
            .replace(&server.url, "http://127.0.0.1:1"),
    )
    .unwrap();
    let output = kscope(
        &[
            "explain",
            "web",
            "--kubeconfig",
            unreachable.to_str().unwrap(),
        ],
        "",
        &[],
    );
    assert_one_line_error(
        &output,
        "get pod \"web\" in namespace \"shop\": cannot reach the API server at http://127.0.0.1:1/",
    );

    // A wrong token is refused by the server.
    let wrong_token = dir.path().join("wrong-token");
    std::fs::write(
        &wrong_token,
        std::fs::read_to_string(kubeconfig)
            .unwrap()
            .replace("kscope-test-token", "nope"),
    )
    .unwrap();
    let output = kscope(
        &[
            "explain",
            "web",
            "--kubeconfig",
            wrong_token.to_str().unwrap(),
        ],
        "",
        &[],
    );
    assert_one_line_error(
        &output,
        "get pod \"web\" in namespace \"shop\": You must be logged in to the server (Unauthorized)",
    );
}

/// `kscope explain deploy/NAME` against the simulator: the Deployment read live with its pods,
/// ReplicaSets and events; the JSON names the kind, the columns kubectl prints for it (read
/// from the real kubectl on the same cluster) and the pod that holds it back. The same objects
/// piped from `kubectl get -o json` explain the same way.
#[test]
fn a_deployment_is_explained_live_and_from_kubectl_json() {
    let cluster = support::kubectl::Cluster::start();
    let kubeconfig = cluster.kubeconfig().to_str().unwrap().to_string();
    let printed = cluster
        .kubectl(&["get", "deployment", "gateway", "-n", "edge"])
        .ok()
        .table();
    let row = printed
        .find("NAME", |name| name == "gateway")
        .expect("kubectl lists the gateway");
    let (ready, available) = (
        row.get("READY").to_string(),
        row.get("AVAILABLE").to_string(),
    );
    let output = kscope(
        &[
            "explain",
            "deploy/gateway",
            "-n",
            "edge",
            "-o",
            "json",
            "--kubeconfig",
            &kubeconfig,
        ],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(json["kind"], "Deployment");
    assert_eq!(json["name"], "gateway");
    assert_eq!(json["namespace"], "edge");
    assert_eq!(json["columns"][0]["name"], "READY");
    assert_eq!(json["columns"][0]["value"], ready.as_str());
    assert_eq!(json["columns"][2]["value"], available.as_str());
    let steps = json["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["field"]
            .as_str()
            .unwrap()
            .starts_with("ReplicaSet gateway-")),
        "its ReplicaSet is read: {steps:#?}"
    );
    // The seeded gateway's pod is not ready: it is named with its own reason.
    let members = json["members"].as_array().unwrap();
    assert_eq!(members.len(), 1, "{json:#}");
    assert!(members[0]["name"].as_str().unwrap().starts_with("gateway-"));
    assert!(!members[0]["why"].as_str().unwrap().is_empty());

    // The same from kubectl's JSON on standard input.
    let listed = cluster
        .kubectl(&[
            "get",
            "deployments,replicasets,pods,events",
            "-n",
            "edge",
            "-o",
            "json",
        ])
        .ok();
    let output = kscope(&["explain", "-f", "-", "-o", "json"], &listed.stdout, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let explained: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let gateway = explained
        .iter()
        .find(|e| e["kind"] == "Deployment" && e["name"] == "gateway")
        .expect("the Deployment is explained");
    assert_eq!(gateway["columns"], json["columns"]);
    assert_eq!(gateway["members"][0]["name"], members[0]["name"]);
    assert!(
        explained.iter().any(|e| e["kind"] == "ReplicaSet"),
        "ReplicaSets are explained too"
    );
}

/// What `kubectl get pods -A -o yaml` writes for 20,000 pods (one in seven cannot pull its image),
/// with an Event about one of them: read whole from standard input, every pod explained in order.
#[test]
fn a_dump_of_twenty_thousand_pods_is_read_whole_from_standard_input() {
    let mut dump = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..20_000 {
        let (phase, ready, state) = if i % 7 == 0 {
            (
                "Pending",
                "false",
                "waiting: {reason: ImagePullBackOff, message: 'Back-off pulling image'}",
            )
        } else {
            (
                "Running",
                "true",
                "running: {startedAt: '2026-11-20T10:01:00Z'}",
            )
        };
        dump.push_str(&format!(
            "- apiVersion: v1
  kind: Pod
  metadata:
    name: app-{i:05}
    namespace: load-{:02}
    uid: uid-{i}
    creationTimestamp: \"2026-11-20T10:00:00Z\"
    labels: {{app: app-{}}}
  spec:
    nodeName: worker-{}
    containers:
    - name: app
      image: registry.example.com/app:1.0
      resources: {{requests: {{cpu: 100m, memory: 128Mi}}}}
  status:
    phase: {phase}
    conditions: [{{type: Ready, status: \"{}\"}}]
    containerStatuses:
    - name: app
      ready: {ready}
      restartCount: {}
      image: registry.example.com/app:1.0
      imageID: \"\"
      state: {{{state}}}
",
            i % 40,
            i / 100,
            i % 50,
            if ready == "true" { "True" } else { "False" },
            i % 3
        ));
    }
    dump.push_str(
        "- apiVersion: v1
  kind: Event
  metadata: {name: app-19999.1, namespace: load-39}
  involvedObject: {kind: Pod, name: app-19999, namespace: load-39, uid: uid-19999}
  reason: Failed
  type: Warning
  message: 'Failed to pull image \"registry.example.com/app:1.0\": not found'
  count: 3
  lastTimestamp: \"2026-11-21T09:59:00Z\"
",
    );
    let output = kscope(&["explain", "-f", "-", "--now", NOW], &dump, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("Pod ")).collect();
    assert_eq!(headers.len(), 20_000);
    assert_eq!(headers[0], "Pod load-00/app-00000  ImagePullBackOff");
    assert_eq!(headers[1], "Pod load-01/app-00001  Running");
    assert_eq!(
        headers
            .iter()
            .filter(|h| h.ends_with("ImagePullBackOff"))
            .count(),
        20_000_usize.div_ceil(7)
    );
    // The one Event is read as evidence for its pod.
    let last = &text[text.rfind("Pod load-39/app-19999").expect("the last pod")..];
    assert!(last.contains("not found"), "{last}");
}
