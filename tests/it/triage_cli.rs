//! `kscope triage`: the seeded simulator's problems, each once under its root cause, live and
//! from a `kubectl get -o yaml` dump; the exit codes; the text and Markdown forms.

use std::collections::HashMap;

use serde_json::Value;

use crate::support::{self, assert_one_line_error, kscope, stderr, stdout};

fn findings(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON finding per line"))
        .collect()
}

fn by_cause(findings: &[Value]) -> HashMap<String, &Value> {
    let mut map = HashMap::new();
    for finding in findings {
        let cause = finding["cause"].as_str().unwrap().to_string();
        assert!(
            map.insert(cause.clone(), finding).is_none(),
            "{cause} is listed once"
        );
    }
    map
}

fn member_names(finding: &Value, kind: &str) -> Vec<String> {
    finding["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// Every seeded problem once, with its count, under its root cause; no pod in two findings.
#[test]
fn triage_lists_each_seeded_problem_once_under_its_root_cause() {
    let cluster = support::kubectl::Cluster::start();
    let kubeconfig = cluster.kubeconfig().to_str().unwrap().to_string();
    let output = kscope(
        &["triage", "-A", "-o", "json", "--kubeconfig", &kubeconfig],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let listed = findings(&output);
    let causes = by_cause(&listed);
    let expected: &[(&str, usize, &str)] = &[
        ("node unreachable", 5, ""),
        ("Job failed: BackoffLimitExceeded", 2, "batch/etl-backfill"),
        ("missing ConfigMap api-settings", 1, "payments/payments-api"),
        ("missing Secret ledger-tls", 1, "payments/ledger"),
        ("image not found: nginx:1.27-alpne", 1, "shop/web-canary"),
        (
            "invalid image name: Registry.Example.com/Edge/Ingress:Latest",
            1,
            "edge/ingress",
        ),
        (
            "init container wait-for-db not finishing",
            1,
            "payments/notifications",
        ),
        (
            "init container migrate: CrashLoopBackOff (exit code 1)",
            1,
            "shop/orders",
        ),
        ("readiness probe failing", 1, "shop/search-indexer"),
        ("running but not ready", 1, "edge/gateway"),
        ("OOMKilled (memory limit 256Mi)", 1, "shop/checkout"),
        ("Evicted: node low on memory", 1, "data-infra/spark-history"),
        (
            "rejected by the kubelet: OutOfcpu",
            1,
            "data-infra/spark-history",
        ),
        (
            "scheduling gated: kueue.x-k8s.io/admission",
            1,
            "batch/quota-gated",
        ),
        ("namespace stuck Terminating", 0, ""),
        ("cordoned (SchedulingDisabled)", 0, ""),
        (
            "volume claim Pending: storageclass.storage.k8s.io \"fast-ssd\" not found",
            0,
            "",
        ),
        (
            "cannot create pods: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m",
            1,
            "analytics/dashboards",
        ),
    ];
    for (cause, pods, scope) in expected {
        let finding = causes
            .get(*cause)
            .unwrap_or_else(|| panic!("{cause} is found: {:#?}", causes.keys()));
        assert_eq!(finding["pods"], *pods as u64, "{cause}: {finding:#}");
        if !scope.is_empty() {
            let (namespace, workload) = scope.split_once('/').unwrap();
            assert!(
                finding["scope"]["namespaces"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from(namespace)),
                "{cause}: {finding:#}"
            );
            let named = finding["scope"]["workloads"]
                .as_array()
                .map(|w| w.iter().any(|w| w["name"] == workload))
                .unwrap_or(false)
                || member_names(finding, "Pod").iter().any(|p| p == workload);
            assert!(named, "{cause} names {workload}: {finding:#}");
        }
        assert!(
            !finding["hints"].as_array().unwrap().is_empty(),
            "{cause} says what to do"
        );
    }
    let unschedulable = listed
        .iter()
        .find(|f| f["cause"].as_str().unwrap().starts_with("unschedulable: "))
        .expect("the training job's pod is unschedulable");
    assert!(
        unschedulable["cause"]
            .as_str()
            .unwrap()
            .contains("didn't match Pod's node affinity/selector"),
        "{unschedulable:#}"
    );
    assert_eq!(
        listed.len(),
        expected.len() + 1,
        "nothing else: {:#?}",
        causes.keys()
    );

    // The lost node holds the pods stranded on it: they are not findings of their own.
    let node = causes["node unreachable"];
    assert_eq!(member_names(node, "Node"), ["worker-5"]);
    let stranded = member_names(node, "Pod");
    assert!(stranded.contains(&"cache-2".to_string()), "{stranded:?}");
    assert!(
        stranded.iter().any(|p| p.starts_with("kafka-connect-")),
        "{stranded:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for finding in &listed {
        for pod in member_names(finding, "Pod") {
            assert!(seen.insert(pod.clone()), "{pod} is in one finding only");
        }
    }
    assert_eq!(listed[0]["severity"], "critical");
    assert_eq!(listed.last().unwrap()["severity"], "info");

    // One namespace: only what touches it.
    let output = kscope(
        &[
            "triage",
            "-n",
            "payments",
            "-o",
            "json",
            "--kubeconfig",
            &kubeconfig,
        ],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let mut scoped: Vec<String> = findings(&output)
        .iter()
        .map(|f| f["cause"].as_str().unwrap().to_string())
        .collect();
    scoped.sort();
    assert_eq!(
        scoped,
        [
            "init container wait-for-db not finishing",
            "missing ConfigMap api-settings",
            "missing Secret ledger-tls"
        ]
    );

    // The same cluster dumped by kubectl and triaged offline finds the same causes.
    let dump = cluster
        .kubectl(&[
            "get",
            "pods,nodes,namespaces,events,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,services,persistentvolumeclaims,configmaps",
            "-A",
            "-o",
            "yaml",
        ])
        .ok();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.yaml");
    std::fs::write(&path, &dump.stdout).unwrap();
    let output = kscope(
        &["triage", "-f", path.to_str().unwrap(), "-o", "json"],
        "",
        &[],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let offline = findings(&output);
    let mut live_causes: Vec<&String> = causes.keys().collect();
    let offline_causes = by_cause(&offline);
    let mut offline_causes: Vec<&String> = offline_causes.keys().collect();
    live_causes.sort();
    offline_causes.sort();
    assert_eq!(offline_causes, live_causes);

    // Markdown for an incident channel: a heading and one numbered item per finding.
    let output = kscope(&["triage", "-f", "-", "-o", "markdown"], &dump.stdout, &[]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("### Triage at "), "{text}");
    assert!(
        text.contains(&format!("{} problems: ", listed.len())),
        "{text}"
    );
    let items = text
        .lines()
        .filter(|l| {
            l.split_once(". **")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .count();
    assert_eq!(items, listed.len(), "{text}");
    assert!(text.contains("   - next: "), "{text}");
}

/// Nothing found exits 0; text says so; bad input is one line naming it and exits 1.
#[test]
fn exit_codes_and_errors() {
    let healthy = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: web, namespace: shop}\n  spec: {nodeName: w, containers: [{name: web, image: nginx}]}\n  status:\n    phase: Running\n    conditions: [{type: Ready, status: 'True'}]\n    containerStatuses: [{name: web, ready: true, restartCount: 0, state: {running: {}}}]\n";
    let output = kscope(&["triage", "-f", "-"], healthy, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "no problems found\n");
    let output = kscope(&["triage", "-f", "-", "-o", "json"], healthy, &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");

    let broken = healthy.replace("restartCount: 0", "restartCount: lots");
    let output = kscope(&["triage", "-f", "-"], &broken, &[]);
    assert_one_line_error(&output, "items[0]");
    let output = kscope(&["triage", "-f", "/nonexistent/dump.yaml"], "", &[]);
    assert_one_line_error(&output, "cannot read /nonexistent/dump.yaml");
    let output = kscope(
        &["triage", "-A", "--kubeconfig", "/nonexistent/kubeconfig"],
        "",
        &[],
    );
    assert_one_line_error(&output, "cannot read kubeconfig /nonexistent/kubeconfig");
    let output = kscope(&["triage", "-o", "yaml"], "", &[]);
    assert_eq!(output.status.code(), Some(2));
}

/// A cluster bigger than a page (500 objects) is listed page by page and triaged whole: the
/// seeded problems in namespaces listed after the generated `load-NN` ones are all found.
#[test]
fn a_cluster_listed_in_pages_is_triaged_whole() {
    let small = support::kubectl::Cluster::start();
    let big = support::kubectl::Cluster::with_shape(kscope::sim::ClusterShape {
        nodes: 8,
        pods: 1200,
        ..Default::default()
    });
    let causes = |cluster: &support::kubectl::Cluster| {
        let kubeconfig = cluster.kubeconfig().to_str().unwrap().to_string();
        let output = kscope(
            &["triage", "-A", "-o", "json", "--kubeconfig", &kubeconfig],
            "",
            &[],
        );
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        let mut causes: Vec<(String, u64)> = findings(&output)
            .iter()
            .filter(|f| {
                f["scope"]["namespaces"]
                    .as_array()
                    .is_some_and(|n| n.iter().any(|n| n == "shop" || n == "payments"))
            })
            .map(|f| {
                (
                    f["cause"].as_str().unwrap().to_string(),
                    f["pods"].as_u64().unwrap(),
                )
            })
            .collect();
        causes.sort();
        causes
    };
    let seeded = causes(&small);
    assert!(seeded.len() >= 6, "{seeded:?}");
    assert_eq!(causes(&big), seeded);
}
