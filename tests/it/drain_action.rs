//! Cordon, uncordon and drain carried out against the simulated cluster: each test starts a
//! fresh simulator, runs `kscope::cluster::drain` against it and reads the messages and the
//! cluster afterwards.
//!
//! The seeded cluster: `worker-1`..`worker-3` are Ready and schedulable, `worker-4` is cordoned,
//! `worker-5` NotReady; the two `cart` pods (shop) are covered by `cart-pdb` (minAvailable 2),
//! so evicting either is refused; `netshoot` declares no controller and has an emptyDir
//! volume; `db-migration` is already terminating with a grace period of an hour.
//!
//! Nothing here asserts how long anything takes; waits are bounded generously only so that a
//! broken drain fails instead of hanging.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kscope::cluster::drain::{DrainHandle, set_unschedulable, spawn_drain};
use kscope::model::drain::{Decision, DrainOptions, DrainPlan};
use kscope::model::drain_progress::{DrainProgress, DrainSummary, PodState};
use kscope::sim::{ClusterShape, RunningSim};
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kube::{Client, ResourceExt};
use serde_json::json;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long one drain message may take to arrive (evictions are retried every 5 s).
const MESSAGE_LIMIT: Duration = Duration::from_secs(60);

/// The server's message for an eviction a budget refuses.
const BUDGET_REFUSAL: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

async fn start() -> RunningSim {
    kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape::default(),
    )
    .await
    .expect("the simulator starts")
}

/// A client that hands 429s back at once, as a drain client should be built.
async fn client_without_retries(sim: &RunningSim) -> Client {
    let kubeconfig =
        kube::config::Kubeconfig::from_yaml(&sim.kubeconfig()).expect("the kubeconfig parses");
    let mut config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("a config from the kubeconfig");
    config.default_retry = false;
    Client::try_from(config).expect("a client")
}

fn all_options() -> DrainOptions {
    DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        force: true,
        ..DrainOptions::default()
    }
}

/// A drain under way: its handle and everything it has said so far.
struct Running {
    handle: DrainHandle,
    messages: UnboundedReceiver<DrainProgress>,
    seen: Vec<DrainProgress>,
}

fn drain(client: &Client, node: &str, options: DrainOptions) -> Running {
    let (sender, messages) = unbounded_channel();
    let handle = spawn_drain(client.clone(), node.to_string(), options, sender);
    Running {
        handle,
        messages,
        seen: Vec::new(),
    }
}

impl Running {
    /// The next message, or a panic naming what was awaited and what came before.
    async fn next(&mut self, what: &str) -> DrainProgress {
        let message = tokio::time::timeout(MESSAGE_LIMIT, self.messages.recv())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no drain message within {MESSAGE_LIMIT:?} awaiting {what}: {:#?}",
                    self.seen
                )
            })
            .unwrap_or_else(|| {
                panic!(
                    "the drain stopped talking awaiting {what}: {:#?}",
                    self.seen
                )
            });
        self.seen.push(message.clone());
        message
    }

    /// Reads messages until `wanted` holds for everything seen so far.
    async fn until(&mut self, what: &str, wanted: impl Fn(&[DrainProgress]) -> bool) {
        while !wanted(&self.seen) {
            if let DrainProgress::Finished(summary) = self.next(what).await {
                panic!(
                    "the drain finished awaiting {what}: {summary:#?}\n{:#?}",
                    self.seen
                );
            }
        }
    }

    /// Reads messages to the end; the summary, after checking nothing follows it.
    async fn finish(&mut self) -> DrainSummary {
        loop {
            if let DrainProgress::Finished(summary) = self.next("the end of the drain").await {
                let task = &mut self.handle.task;
                tokio::time::timeout(MESSAGE_LIMIT, task)
                    .await
                    .expect("the drain task ends after its summary")
                    .expect("the drain task does not panic");
                assert!(
                    self.messages.try_recv().is_err(),
                    "nothing follows Finished: {:#?}",
                    self.seen
                );
                return summary;
            }
        }
    }

    fn plan(&self) -> DrainPlan {
        self.seen
            .iter()
            .find_map(|message| match message {
                DrainProgress::Planned(plan) => Some(plan.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no plan among {:#?}", self.seen))
    }
}

/// Every state each pod went through, by `namespace/name`.
fn pod_states(messages: &[DrainProgress]) -> BTreeMap<String, Vec<PodState>> {
    let mut states: BTreeMap<String, Vec<PodState>> = BTreeMap::new();
    for message in messages {
        if let DrainProgress::Pod {
            namespace,
            name,
            state,
        } = message
        {
            states
                .entry(format!("{namespace}/{name}"))
                .or_default()
                .push(state.clone());
        }
    }
    states
}

/// How many times the pod was refused by a budget.
fn budget_refusals(messages: &[DrainProgress], key: &str) -> usize {
    pod_states(messages).get(key).map_or(0, |states| {
        states
            .iter()
            .filter(|s| matches!(s, PodState::BlockedByBudget { .. }))
            .count()
    })
}

fn removed_keys(plan: &DrainPlan) -> BTreeSet<String> {
    plan.pods_to_remove().iter().map(|pod| pod.key()).collect()
}

async fn is_cordoned(client: &Client, node: &str) -> bool {
    let nodes: Api<Node> = Api::all(client.clone());
    let node = nodes.get(node).await.expect("the node exists");
    node.spec
        .and_then(|spec| spec.unschedulable)
        .unwrap_or(false)
}

async fn pods_on(client: &Client, node: &str) -> Vec<Pod> {
    let pods: Api<Pod> = Api::all(client.clone());
    pods.list(&ListParams::default().fields(&format!("spec.nodeName={node}")))
        .await
        .expect("pods list")
        .items
}

fn key_of(pod: &Pod) -> String {
    format!("{}/{}", pod.namespace().unwrap_or_default(), pod.name_any())
}

fn is_cart(pod: &Pod) -> bool {
    pod.namespace().as_deref() == Some("shop") && pod.name_any().starts_with("cart-")
}

/// A Ready, schedulable worker with no cart pod and no pod already being deleted: draining it
/// with `--ignore-daemonsets --delete-emptydir-data --force` succeeds.
async fn worker_without_cart_pods(client: &Client) -> String {
    for node in ["worker-1", "worker-2", "worker-3"] {
        let pods = pods_on(client, node).await;
        let busy = pods
            .iter()
            .any(|pod| is_cart(pod) || pod.metadata.deletion_timestamp.is_some());
        if !busy && !is_cordoned(client, node).await {
            return node.to_string();
        }
    }
    panic!("every Ready worker hosts a cart pod or a terminating one");
}

/// A cart pod (`namespace/name`) and its node, on a node with no pod already being deleted.
async fn cart_pod_and_node(client: &Client) -> (String, String) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let cart = pods
        .list(&ListParams::default().labels("app=cart"))
        .await
        .expect("cart pods")
        .items;
    for pod in cart {
        let node = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .unwrap_or_default();
        let terminating = pods_on(client, &node)
            .await
            .iter()
            .any(|p| p.metadata.deletion_timestamp.is_some());
        if !node.is_empty() && !terminating {
            return (key_of(&pod), node);
        }
    }
    panic!("no cart pod on a node without terminating pods");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_removes_every_planned_pod_and_reports_the_node_drained() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let node = worker_without_cart_pods(&client).await;
    let mut running = drain(&client, &node, all_options());
    let summary = running.finish().await;

    assert_eq!(
        running.seen[0],
        DrainProgress::Cordoned,
        "{:#?}",
        running.seen
    );
    assert!(
        matches!(running.seen[1], DrainProgress::Planned(_)),
        "{:#?}",
        running.seen
    );
    let plan = running.plan();
    assert!(plan.can_proceed(), "{plan:#?}");
    let removed = removed_keys(&plan);
    assert!(removed.len() >= 3, "{plan:#?}");
    let states = pod_states(&running.seen);
    assert_eq!(
        states.keys().cloned().collect::<BTreeSet<_>>(),
        removed,
        "exactly the planned pods are touched"
    );
    for (pod, seen) in &states {
        assert_eq!(seen.first(), Some(&PodState::Pending), "{pod}: {seen:?}");
        assert!(seen.contains(&PodState::Evicting), "{pod}: {seen:?}");
        assert_eq!(seen.last(), Some(&PodState::Deleted), "{pod}: {seen:?}");
    }
    let skipped = plan
        .pods
        .iter()
        .filter(|pod| matches!(pod.decision, Decision::Skip(_)))
        .count();
    assert_eq!(
        summary,
        DrainSummary {
            evicted: removed.len(),
            deleted: 0,
            failed: 0,
            skipped,
            cancelled: false,
            node_left_cordoned: true,
            text: format!("node/{node} drained"),
        }
    );
    assert!(is_cordoned(&client, &node).await);
    // What stays: the pods the plan leaves in place (DaemonSet pods), and nothing it removed.
    let left: BTreeSet<String> = pods_on(&client, &node).await.iter().map(key_of).collect();
    assert!(left.is_disjoint(&removed), "{left:?}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_refusal_is_shown_and_retried_until_the_drain_is_cancelled() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let (cart, node) = cart_pod_and_node(&client).await;
    let mut running = drain(&client, &node, all_options());
    running.until("the plan", |seen| seen.len() >= 2).await;
    let removed = removed_keys(&running.plan());
    assert!(removed.contains(&cart), "{removed:?}");
    // Every other pod goes (a StatefulSet pod comes back under its name, with a new UID); the
    // cart pod is refused, and asked for again.
    running
        .until(
            "every other pod deleted and the cart pod refused twice",
            |seen| {
                let states = pod_states(seen);
                removed.iter().filter(|key| **key != cart).all(|key| {
                    states
                        .get(key)
                        .is_some_and(|s| s.last() == Some(&PodState::Deleted))
                }) && budget_refusals(seen, &cart) >= 2
            },
        )
        .await;
    let states = pod_states(&running.seen);
    let refusal = states[&cart]
        .iter()
        .rev()
        .find(|s| matches!(s, PodState::BlockedByBudget { .. }))
        .expect("a refusal")
        .clone();
    let (namespace, name) = cart.split_once('/').expect("namespace/name");
    let PodState::BlockedByBudget {
        budget,
        message,
        allowed,
        desired,
        expected,
        ..
    } = refusal
    else {
        unreachable!()
    };
    assert_eq!(budget, "cart-pdb");
    assert_eq!(
        message,
        format!(
            "error when evicting pods/\"{name}\" -n \"{namespace}\" (will retry after 5s): {BUDGET_REFUSAL}"
        )
    );
    assert_eq!((allowed, desired, expected), (0, 2, 2));
    assert!(
        !states[&cart].contains(&PodState::Deleted),
        "{:?}",
        states[&cart]
    );

    running.handle.cancel();
    let summary = running.finish().await;
    let evicted = removed.len() - 1;
    assert_eq!(
        summary,
        DrainSummary {
            evicted,
            deleted: 0,
            failed: 0,
            skipped: summary.skipped,
            cancelled: true,
            node_left_cordoned: true,
            text: format!(
                "drain cancelled: node {node} stays cordoned; {evicted} pods were evicted, 1 not"
            ),
        }
    );
    assert!(is_cordoned(&client, &node).await);
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let still = pods.get(name).await.expect("the cart pod stays");
    assert!(still.metadata.deletion_timestamp.is_none());
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_retries_429_itself_still_shows_the_budget_at_once() {
    let sim = start().await;
    // kube's default client: it retries 429s out of sight with a back-off of minutes.
    let client = sim.client().expect("a client");
    let (cart, node) = cart_pod_and_node(&client).await;
    let options = DrainOptions {
        pod_selector: Some("app=cart".into()),
        ..all_options()
    };
    let mut running = drain(&client, &node, options);
    running
        .until("the cart pod refused twice", |seen| {
            budget_refusals(seen, &cart) >= 2
        })
        .await;
    let states = pod_states(&running.seen);
    assert!(
        states[&cart].iter().any(|s| matches!(
            s,
            PodState::BlockedByBudget { budget, allowed: 0, desired: 2, .. } if budget == "cart-pdb"
        )),
        "{:?}",
        states[&cart]
    );
    running.handle.cancel();
    let summary = running.finish().await;
    assert!(summary.cancelled, "{summary:#?}");
    assert_eq!(
        summary.text,
        format!("drain cancelled: node {node} stays cordoned; 0 pods were evicted, 1 not")
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_plan_ends_with_kubectls_error_and_removes_nothing() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let node = worker_without_cart_pods(&client).await;
    // Without --ignore-daemonsets the DaemonSet pods block the drain.
    let options = DrainOptions {
        delete_emptydir_data: true,
        force: true,
        ..DrainOptions::default()
    };
    let mut running = drain(&client, &node, options);
    let summary = running.finish().await;
    let plan = running.plan();
    assert!(!plan.can_proceed(), "{plan:#?}");
    let line = plan.failure_line().expect("kubectl's error");
    assert!(
        line.starts_with(&format!(
            "error: unable to drain node \"{node}\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
        )),
        "{line}"
    );
    assert_eq!(summary.text, line);
    assert_eq!(
        (summary.evicted, summary.deleted, summary.failed),
        (0, 0, 0)
    );
    assert!(!summary.cancelled && summary.node_left_cordoned);
    assert!(
        pod_states(&running.seen).is_empty(),
        "no pod is touched: {:#?}",
        running.seen
    );
    // As kubectl does, the node was cordoned first and stays so.
    assert_eq!(running.seen[0], DrainProgress::Cordoned);
    assert!(is_cordoned(&client, &node).await);
    let left: BTreeSet<String> = pods_on(&client, &node).await.iter().map(key_of).collect();
    for pod in plan.pods.iter().filter(|pod| pod.is_removed()) {
        assert!(left.contains(&pod.key()), "{} stays: {left:?}", pod.key());
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_eviction_deletes_the_pods() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let node = worker_without_cart_pods(&client).await;
    let options = DrainOptions {
        disable_eviction: true,
        grace_period_seconds: Some(1),
        ..all_options()
    };
    let mut running = drain(&client, &node, options);
    let summary = running.finish().await;
    let removed = removed_keys(&running.plan());
    let states = pod_states(&running.seen);
    assert_eq!(states.keys().cloned().collect::<BTreeSet<_>>(), removed);
    for (pod, seen) in &states {
        assert_eq!(
            seen.as_slice(),
            [PodState::Pending, PodState::Deleting, PodState::Deleted],
            "{pod}"
        );
    }
    assert_eq!(
        (summary.evicted, summary.deleted, summary.failed),
        (0, removed.len(), 0)
    );
    assert_eq!(summary.text, format!("node/{node} drained"));
    assert!(is_cordoned(&client, &node).await);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cordon_uncordon_and_already_cordoned() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let outcome = set_unschedulable(&client, "worker-1", true, false)
        .await
        .expect("cordon");
    assert_eq!(outcome.text(), "node/worker-1 cordoned");
    assert!(outcome.changed);
    assert!(is_cordoned(&client, "worker-1").await);

    let again = set_unschedulable(&client, "worker-1", true, false)
        .await
        .expect("cordon again");
    assert!(!again.changed);
    assert_eq!(again.text(), "node/worker-1 already cordoned");

    // A server dry run is checked by the server and changes nothing.
    let dry = set_unschedulable(&client, "worker-1", false, true)
        .await
        .expect("uncordon, dry run");
    assert_eq!(dry.text(), "node/worker-1 uncordoned (server dry run)");
    assert!(is_cordoned(&client, "worker-1").await);

    let uncordoned = set_unschedulable(&client, "worker-1", false, false)
        .await
        .expect("uncordon");
    assert_eq!(uncordoned.text(), "node/worker-1 uncordoned");
    let nodes: Api<Node> = Api::all(client.clone());
    let node = nodes.get("worker-1").await.expect("the node");
    // The API drops the field when false, as kubectl's patch removes it.
    assert_eq!(node.spec.and_then(|s| s.unschedulable), None);
    let already = set_unschedulable(&client, "worker-1", false, false)
        .await
        .expect("uncordon again");
    assert_eq!(already.text(), "node/worker-1 already uncordoned");

    // The seeded cordoned node.
    let seeded = set_unschedulable(&client, "worker-4", true, false)
        .await
        .expect("cordon the cordoned node");
    assert_eq!(seeded.text(), "node/worker-4 already cordoned");

    let missing = set_unschedulable(&client, "no-such-node", true, false)
        .await
        .expect_err("no such node");
    assert_eq!(
        missing,
        "get node \"no-such-node\": nodes \"no-such-node\" not found"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_that_vanishes_before_its_eviction_counts_as_deleted() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let (cart, node) = cart_pod_and_node(&client).await;
    let options = DrainOptions {
        pod_selector: Some("app=cart".into()),
        ..all_options()
    };
    let mut running = drain(&client, &node, options);
    // Planned, and refused: the pod is between its plan and a granted eviction.
    running
        .until("the cart pod refused", |seen| {
            budget_refusals(seen, &cart) >= 1
        })
        .await;
    let (namespace, name) = cart.split_once('/').expect("namespace/name");
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    pods.delete(name, &DeleteParams::default().grace_period(0))
        .await
        .expect("the pod is deleted");
    let summary = running.finish().await;
    let states = pod_states(&running.seen);
    assert_eq!(states[&cart].last(), Some(&PodState::Deleted), "{states:?}");
    assert!(
        !states[&cart]
            .iter()
            .any(|s| matches!(s, PodState::Failed(_))),
        "{states:?}"
    );
    assert_eq!((summary.evicted, summary.failed), (1, 0), "{summary:#?}");
    assert_eq!(summary.text, format!("node/{node} drained"));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_under_two_budgets_fails_with_the_servers_message() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let (cart, node) = cart_pod_and_node(&client).await;
    let budgets: Api<PodDisruptionBudget> = Api::namespaced(client.clone(), "shop");
    let second: PodDisruptionBudget = serde_json::from_value(json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "cart-pdb-too", "namespace": "shop"},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "cart"}}}
    }))
    .expect("a budget");
    budgets
        .create(&PostParams::default(), &second)
        .await
        .expect("the second budget is created");
    let options = DrainOptions {
        pod_selector: Some("app=cart".into()),
        ..all_options()
    };
    let mut running = drain(&client, &node, options);
    let summary = running.finish().await;
    let (namespace, name) = cart.split_once('/').expect("namespace/name");
    let error = format!(
        "error when evicting pods/\"{name}\" -n \"{namespace}\": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    );
    let states = pod_states(&running.seen);
    assert_eq!(
        states[&cart].last(),
        Some(&PodState::Failed(error.clone())),
        "{states:?}"
    );
    assert_eq!(
        summary.text,
        format!(
            "error: unable to drain node \"{node}\" due to error: {error}, continuing command..."
        )
    );
    assert_eq!((summary.evicted, summary.failed), (0, 1));
    assert!(is_cordoned(&client, &node).await);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_still_there_at_the_timeout_fails_in_kubectls_words() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    // Already terminating, with an hour's grace period and a program that ignores SIGTERM.
    let pods: Api<Pod> = Api::namespaced(client.clone(), "data-infra");
    let migration = pods
        .list(&ListParams::default().labels("app=db-migration"))
        .await
        .expect("pods list")
        .items
        .into_iter()
        .next()
        .expect("the db-migration pod");
    let name = migration.name_any();
    let node = migration
        .spec
        .and_then(|spec| spec.node_name)
        .expect("a node");
    let options = DrainOptions {
        pod_selector: Some("app=db-migration".into()),
        force: true,
        timeout: Some(Duration::from_secs(2)),
        ..DrainOptions::default()
    };
    let mut running = drain(&client, &node, options);
    let summary = running.finish().await;
    let error = format!(
        "error when waiting for pod \"{name}\" in namespace \"data-infra\" to terminate: context deadline exceeded"
    );
    let states = pod_states(&running.seen);
    assert_eq!(
        states[&format!("data-infra/{name}")].last(),
        Some(&PodState::Failed(error.clone())),
        "{states:?}"
    );
    assert_eq!(
        summary.text,
        format!(
            "error: unable to drain node \"{node}\" due to error: {error}, continuing command..."
        )
    );
    assert_eq!((summary.evicted, summary.failed), (0, 1));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_pod_selector_stops_before_anything_changes() {
    let sim = start().await;
    let client = client_without_retries(&sim).await;
    let node = worker_without_cart_pods(&client).await;
    let options = DrainOptions {
        pod_selector: Some("app in (".into()),
        ..all_options()
    };
    let mut running = drain(&client, &node, options);
    let summary = running.finish().await;
    assert_eq!(
        summary.text,
        "error: --pod-selector=<pod_selector> must be a valid label selector"
    );
    assert!(!summary.node_left_cordoned);
    assert_eq!(running.seen.len(), 1, "{:#?}", running.seen);
    assert!(!is_cordoned(&client, &node).await);
    sim.stop().await;
}
