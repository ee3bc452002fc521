//! `kubectl describe pod` and `kubectl describe node` against kscope's describer, line for line:
//! the real kubectl describes objects of the simulator, and kscope describes the same objects,
//! events and related objects, fetched with kubectl, with the function the explorer uses. Only
//! ages (which depend on the clock) are replaced, on both sides, before comparing.

use std::io::Write;
use std::sync::LazyLock;
use std::time::Duration;

use jiff::Timestamp;
use kscope::model::describe::{describe_object_with, events_for_describe};
use kscope::model::event::Event;
use regex::Regex;
use serde_json::{Value, json};

use crate::support::kubectl::Cluster;

/// Attempts at one comparison: the simulator's kubelets and controllers change objects and
/// record events as time passes, and an age may cross a unit between kubectl's clock and ours.
const ATTEMPTS: usize = 6;

/// A pod with what the seeded cluster's pods lack: a service account, a pod security profile,
/// readiness gates, a sidecar, several ports, a command, every kind of probe and environment
/// source, mounts, volumes, node selectors, tolerations and a spread constraint. Its quantities
/// are not written canonically (`0.25`, `0.5Gi`), as a user may write them.
const FEATURED_POD: &str = r#"{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "featured", "namespace": "shop", "labels": {"app": "featured"},
    "annotations": {"note": "hello", "script": "line one\nline two\n"}},
  "spec": {
    "serviceAccountName": "builder",
    "readinessGates": [{"conditionType": "example.com/ready"}],
    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
    "initContainers": [{"name": "proxy", "image": "busybox:1.37", "restartPolicy": "Always",
      "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}],
    "containers": [{
      "name": "app", "image": "busybox:1.37",
      "command": ["sh", "-c", "echo a\necho b"], "args": ["x"],
      "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"},
                {"containerPort": 9090, "protocol": "UDP", "hostPort": 9090}],
      "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}},
      "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTPS"},
        "initialDelaySeconds": 3},
      "startupProbe": {"tcpSocket": {"port": 8080}},
      "readinessProbe": {"grpc": {"port": 9090, "service": "svc"}},
      "envFrom": [{"configMapRef": {"name": "cm"}, "prefix": "P_"},
                  {"secretRef": {"name": "s", "optional": true}}],
      "env": [
        {"name": "A", "value": "line1\nline2"},
        {"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "NS", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
        {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
        {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "requests.memory"}}},
        {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        {"name": "C", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k", "optional": false}}}
      ],
      "resources": {"requests": {"cpu": "0.25", "memory": "100Mi", "ephemeral-storage": "1Gi"},
                    "limits": {"cpu": "1", "memory": "0.5Gi"}},
      "volumeMounts": [{"name": "data", "mountPath": "/data", "subPath": "x", "readOnly": true},
                       {"name": "cfg", "mountPath": "/etc/cfg"}]
    }],
    "volumes": [
      {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
      {"name": "cfg", "configMap": {"name": "cm"}},
      {"name": "token", "projected": {"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}
      ]}}
    ],
    "nodeSelector": {"kubernetes.io/os": "linux"},
    "tolerations": [{"operator": "Exists"},
                    {"key": "b", "operator": "Equal", "value": "v", "effect": "NoSchedule"}],
    "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone",
      "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "featured"}}}]
  }
}"#;

#[test]
fn describe_pod_matches_kubectl() {
    let cluster = Cluster::start();
    create(&cluster, FEATURED_POD);
    let pods = get_json(&cluster, &["get", "pods", "-A", "-o", "json"]);
    let pick = |namespace: &str, prefix: &str, matches: &dyn Fn(&Value) -> bool| {
        items(&pods)
            .iter()
            .find(|pod| {
                pod["metadata"]["namespace"] == namespace
                    && pod["metadata"]["name"]
                        .as_str()
                        .is_some_and(|name| name.starts_with(prefix))
                    && matches(pod)
            })
            .and_then(|pod| pod["metadata"]["name"].as_str())
            .unwrap_or_else(|| panic!("the seeded cluster has a pod {namespace}/{prefix}*"))
            .to_string()
    };
    let any = |_: &Value| true;
    let chosen = [
        // Init:CrashLoopBackOff, with a terminated last state and restarts.
        ("shop", pick("shop", "orders-0", &any)),
        // Running and ready, with limits and a readiness probe.
        (
            "shop",
            pick("shop", "web-", &|pod| pod["status"]["phase"] == "Running"),
        ),
        // Restarting, with events counted over time.
        ("shop", pick("shop", "checkout-", &any)),
        // Pending: no node fits.
        ("batch", pick("batch", "model-training-", &any)),
        // Completed and failed Job pods.
        ("batch", pick("batch", "report-", &any)),
        ("batch", pick("batch", "etl-backfill-", &any)),
        // On the NotReady node; one of them being deleted.
        ("data-infra", pick("data-infra", "cache-2", &any)),
        (
            "data-infra",
            pick("data-infra", "kafka-connect-", &|pod| {
                pod["spec"]["nodeName"] == "worker-5"
            }),
        ),
        // Evicted.
        (
            "data-infra",
            pick("data-infra", "spark-history-", &|pod| {
                pod["status"]["reason"] == "Evicted"
            }),
        ),
        // A static pod's mirror, and an init container still running.
        ("kube-system", pick("kube-system", "etcd-", &any)),
        ("payments", pick("payments", "notifications-", &any)),
        ("shop", "featured".to_string()),
    ];
    for (namespace, name) in chosen {
        compare(
            &cluster,
            &format!("pod {namespace}/{name}"),
            &["describe", "pod", &name, "-n", namespace],
            || {
                let pod = get_json(
                    &cluster,
                    &["get", "pod", &name, "-n", namespace, "-o", "json"],
                );
                let events = get_json(&cluster, &["get", "events", "-n", namespace, "-o", "json"]);
                (pod, Vec::new(), events)
            },
        );
    }
}

#[test]
fn describe_node_matches_kubectl() {
    let cluster = Cluster::start();
    create(&cluster, &node_events(&cluster).to_string());
    // Ready, cordoned, NotReady and the control plane (with its taint and static pods).
    for node in ["worker-1", "worker-4", "worker-5", "cp-1"] {
        compare(
            &cluster,
            &format!("node {node}"),
            &["describe", "node", node],
            || {
                let object = get_json(&cluster, &["get", "node", node, "-o", "json"]);
                let lease = get_json(
                    &cluster,
                    &["get", "lease", node, "-n", "kube-node-lease", "-o", "json"],
                );
                let pods = get_json(&cluster, &["get", "pods", "-A", "-o", "json"]);
                let events = get_json(&cluster, &["get", "events", "-A", "-o", "json"]);
                let mut related = vec![lease];
                related.extend(items(&pods));
                (object, related, events)
            },
        );
    }
}

/// Events about worker-1 as a kubelet records them (under the node's name as UID) and as the
/// node controller does (under its UID), most of them last seen at the same moment: more than
/// twelve ties, which Go's sort leaves in an order of its own.
fn node_events(cluster: &Cluster) -> Value {
    let node = get_json(cluster, &["get", "node", "worker-1", "-o", "json"]);
    let uid = node["metadata"]["uid"]
        .as_str()
        .expect("the node has a UID");
    let reasons = [
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
        "NodeReady",
        "Starting",
        "NodeAllocatableEnforced",
        "RegisteredNode",
        "RebootDetected",
        "NodeNotReady",
        "InvalidDiskCapacity",
        "ContainerGCFailed",
        "ImageGCFailed",
        "FreeDiskSpaceFailed",
        "NodeNotSchedulable",
        "NodeSchedulable",
    ];
    let events: Vec<Value> = reasons
        .iter()
        .enumerate()
        .map(|(index, reason)| {
            let from_kubelet = index % 3 != 0;
            let last_seen = if index % 4 == 0 {
                format!("2026-01-01T05:00:0{}Z", index % 10)
            } else {
                "2026-01-01T06:00:00Z".to_string()
            };
            json!({
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"name": format!("worker-1.{index:02}"), "namespace": "default"},
                "involvedObject": {"apiVersion": "v1", "kind": "Node", "name": "worker-1",
                    "uid": if from_kubelet { "worker-1" } else { uid }},
                "type": if index % 5 == 0 { "Warning" } else { "Normal" },
                "reason": reason,
                "message": format!("  Node worker-1 status is now: {reason} \n"),
                "source": if from_kubelet { json!({"component": "kubelet", "host": "worker-1"}) } else { json!({}) },
                "reportingComponent": if from_kubelet { "" } else { "node-controller" },
                "firstTimestamp": "2026-01-01T04:00:00Z",
                "lastTimestamp": last_seen,
                "count": if index % 2 == 0 { 3 } else { 1 },
            })
        })
        .collect();
    json!({"apiVersion": "v1", "kind": "List", "items": events})
}

/// Describes an object with kubectl and with kscope until both read the same cluster state (the
/// object, related objects and events unchanged around kubectl's run) and agree; panics with
/// both texts otherwise.
fn compare(
    cluster: &Cluster,
    what: &str,
    describe_args: &[&str],
    fetch: impl Fn() -> (Value, Vec<Value>, Value),
) {
    let mut last_difference = None;
    for _ in 0..ATTEMPTS {
        let before = fetch();
        let kubectl = cluster.kubectl(describe_args).ok().stdout;
        let now = Timestamp::now();
        if fetch() != before {
            // The cluster moved on while kubectl read it.
            std::thread::sleep(Duration::from_millis(300));
            continue;
        }
        let (object, related, event_list) = before;
        let events: Vec<Event> = items(&event_list)
            .into_iter()
            .map(|event| serde_json::from_value(event).expect("an Event"))
            .collect();
        let chosen = events_for_describe(&object, &events);
        let related: Vec<&Value> = related.iter().collect();
        let ours = describe_object_with(&object, &related, &chosen, now);
        if without_ages(&ours) == without_ages(&kubectl) {
            return;
        }
        last_difference = Some((kubectl, ours));
    }
    match last_difference {
        Some((kubectl, ours)) => panic!(
            "kscope's description of {what} differs from kubectl's (ages aside):\n{}\n\
             --- kubectl ---\n{kubectl}\n--- kscope ---\n{ours}",
            first_difference(&without_ages(&kubectl), &without_ages(&ours))
        ),
        None => panic!("{what} kept changing over {ATTEMPTS} attempts to describe it"),
    }
}

/// Ages as kubectl's `HumanDuration` prints them (`5m`, `2m12s`, `3h24m`, `32d`), where the text
/// puts them: an event's age and `(xN over AGE)`, how long a deletion lasts, and a pod's age
/// ending a node's pod row (after its limits' `(n%)`).
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    const AGE: &str = r"(?:\d+[smhdy](?:\d+[smhd])?|<invalid>)";
    Regex::new(&format!(
        r"(?m)(?:(?P<inline>\(lasts |\(x\d+ over |^  (?:Normal|Warning)\s+\S+\s+){AGE}|(?P<last>%\)\s+){AGE}$)"
    ))
    .expect("the age pattern compiles")
});

fn without_ages(text: &str) -> String {
    AGE.replace_all(text, "${inline}${last}<age>").into_owned()
}

/// The first line that differs, for the failure message.
fn first_difference(kubectl: &str, ours: &str) -> String {
    let mut kubectl_lines = kubectl.lines();
    let mut our_lines = ours.lines();
    for number in 1.. {
        match (kubectl_lines.next(), our_lines.next()) {
            (None, None) => break,
            (theirs, mine) if theirs != mine => {
                return format!(
                    "first difference at line {number}:\n  kubectl: {theirs:?}\n  kscope:  {mine:?}"
                );
            }
            _ => {}
        }
    }
    "the texts differ only in their line endings".to_string()
}

/// Creates the objects of `json` (one, or a List) with `kubectl create --raw`: a POST of each
/// object to its collection, as any client sends it.
fn create(cluster: &Cluster, json: &str) {
    let document: Value = serde_json::from_str(json).expect("test objects are JSON");
    let objects = match document["items"].as_array() {
        Some(items) => items.clone(),
        None => vec![document],
    };
    for object in objects {
        let plural = match object["kind"].as_str() {
            Some("Pod") => "pods",
            Some("Event") => "events",
            other => panic!("no collection for {other:?}"),
        };
        let namespace = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default");
        let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
        file.write_all(object.to_string().as_bytes())
            .expect("the object is written");
        let path = file.path().to_str().expect("a UTF-8 path");
        let url = format!("/api/v1/namespaces/{namespace}/{plural}");
        cluster.kubectl(&["create", "--raw", &url, "-f", path]).ok();
    }
}

fn get_json(cluster: &Cluster, args: &[&str]) -> Value {
    let run = cluster.kubectl(args).ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {run}"))
}

fn items(list: &Value) -> Vec<Value> {
    list["items"].as_array().cloned().unwrap_or_default()
}
