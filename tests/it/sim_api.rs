//! The simulator as a client sees it: each test starts a fresh simulated API server on
//! loopback and drives it with kube-rs (watchers, the three patch types, optimistic
//! concurrency, dry runs, eviction, logs, graceful deletion, Tables, selectors, paging,
//! errors and discovery), asserting what a real API server does.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use axum::http::{Method, Request};
use futures::{AsyncBufReadExt, Stream, StreamExt};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Node, Pod};
use kscope::sim::{ClusterShape, RunningSim};
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, EvictParams, GroupVersionKind, ListParams,
    LogParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::Status;
use kube::discovery::Discovery;
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher::{self, Event};
use kube::{Client, ResourceExt};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// How long a bounded poll waits before it gives up.
const POLL_LIMIT: Duration = Duration::from_secs(20);
/// How long one watch event may take to arrive.
const EVENT_LIMIT: Duration = Duration::from_secs(15);
/// The pause between two looks in a poll.
const POLL_INTERVAL: Duration = Duration::from_millis(150);

/// The media type kubectl asks for to get server-side printed Tables.
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";

/// A fresh simulator with the default seeded cluster, on a free loopback port.
async fn start() -> RunningSim {
    let shape = ClusterShape::default();
    kscope::sim::start("127.0.0.1:0".parse().expect("a socket address"), shape)
        .await
        .expect("the simulator starts")
}

fn client_of(sim: &RunningSim) -> Client {
    sim.client().expect("a client for the simulator")
}

/// A client from the simulator's kubeconfig that does not retry 429s itself (kube's default
/// client retries them up to 15 times with a backoff that grows to minutes), so a refused
/// eviction is seen as the API server answers it.
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

fn from_json<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the test object deserialises")
}

/// The Status of a failed request; panics if the request succeeded or failed otherwise.
fn api_status<T: std::fmt::Debug>(result: kube::Result<T>, what: &str) -> Status {
    match result {
        Err(kube::Error::Api(status)) => *status,
        other => panic!("{what}: expected an API error Status, got {other:?}"),
    }
}

/// Polls `look` until it returns `Some`, sleeping between tries; panics after `POLL_LIMIT`.
async fn poll<T, F, Fut>(what: &str, mut look: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    poll_showing(what, || {
        let looked = look();
        async move { looked.await.ok_or_else(String::new) }
    })
    .await
}

/// Polls `look` until it returns `Ok`, sleeping between tries; after `POLL_LIMIT` panics with
/// what the last try saw (its `Err`), so a failure says where things stood.
async fn poll_showing<T, F, Fut>(what: &str, mut look: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let deadline = tokio::time::Instant::now() + POLL_LIMIT;
    loop {
        let seen = match look().await {
            Ok(found) => return found,
            Err(seen) => seen,
        };
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up after {POLL_LIMIT:?} waiting for {what}; last seen: {seen}"
        );
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// The next item of a stream, or a panic naming what was awaited.
async fn next_item<S: Stream + Unpin>(stream: &mut S, what: &str) -> S::Item {
    tokio::time::timeout(EVENT_LIMIT, stream.next())
        .await
        .unwrap_or_else(|_| panic!("no event within {EVENT_LIMIT:?} while waiting for {what}"))
        .unwrap_or_else(|| panic!("the stream ended while waiting for {what}"))
}

/// `namespace/name` of every object.
fn keys<K: ResourceExt>(objects: &[K]) -> BTreeSet<String> {
    objects
        .iter()
        .map(|o| format!("{}/{}", o.namespace().unwrap_or_default(), o.name_any()))
        .collect()
}

fn names<K: ResourceExt>(objects: &[K]) -> BTreeSet<String> {
    objects.iter().map(ResourceExt::name_any).collect()
}

/// A minimal pod bound to `node` (so the scheduler leaves it alone) that runs and serves.
fn serving_pod(name: &str, node: &str) -> Pod {
    from_json(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"nodeName": node, "containers": [{"name": "main", "image": "nginx:1.27"}]}
    }))
}

/// Pods of `namespace` with `app=<app>` that are not being deleted.
async fn live_pods(pods: &Api<Pod>, app: &str) -> Vec<Pod> {
    pods.list(&ListParams::default().labels(&format!("app={app}")))
        .await
        .expect("pods list")
        .items
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect()
}

/// A raw GET with an Accept header, answered as text.
async fn get_text(client: &Client, path: &str, accept: &str) -> kube::Result<String> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header("Accept", accept)
        .body(Vec::new())
        .expect("a request");
    client.request_text(request).await
}

/// Reads watcher events until the initial list is complete; returns the names listed.
async fn initial_list<S>(stream: &mut S) -> BTreeSet<String>
where
    S: Stream<Item = watcher::Result<Event<Pod>>> + Unpin,
{
    let mut listed = BTreeSet::new();
    loop {
        match next_item(stream, "the initial list").await {
            Ok(Event::Init) => {}
            Ok(Event::InitApply(pod)) => {
                listed.insert(pod.name_any());
            }
            Ok(Event::InitDone) => return listed,
            Ok(Event::Apply(pod) | Event::Delete(pod)) => {
                panic!(
                    "{} arrived before the initial list was done",
                    pod.name_any()
                )
            }
            Err(error) => panic!("watcher error during the initial list: {error}"),
        }
    }
}

/// Reads watcher events until `pod_name` is applied in a state `wanted` accepts; a deletion
/// of that pod first is a failure (the events came out of order).
async fn await_apply<S>(
    stream: &mut S,
    pod_name: &str,
    what: &str,
    wanted: impl Fn(&Pod) -> bool,
) -> Pod
where
    S: Stream<Item = watcher::Result<Event<Pod>>> + Unpin,
{
    loop {
        match next_item(stream, what).await {
            Ok(Event::Apply(pod)) if pod.name_any() == pod_name && wanted(&pod) => return pod,
            Ok(Event::Delete(pod)) if pod.name_any() == pod_name => {
                panic!("{pod_name} was deleted while waiting for {what}")
            }
            Ok(_) => {}
            Err(error) => panic!("watcher error while waiting for {what}: {error}"),
        }
    }
}

fn label<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.labels().get(key).map(String::as_str)
}

fn store_names(store: &Store<Pod>) -> BTreeSet<String> {
    store.state().iter().map(|p| p.name_any()).collect()
}

// 1. watcher / reflector: the initial objects, then ADDED, MODIFIED, DELETED in order.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_sees_initial_pods_then_added_modified_deleted_in_order() {
    let sim = start().await;
    let client = client_of(&sim);
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let listed = pods.list(&ListParams::default()).await.expect("pods list");
    let expected = names(&listed.items);
    assert!(
        expected.len() >= 5,
        "the shop namespace is seeded with pods: {expected:?}"
    );
    let list_version = listed
        .metadata
        .resource_version
        .clone()
        .expect("a list resourceVersion");

    // A raw watch from the list's version reports the exact event types.
    let mut raw = pods
        .watch(&WatchParams::default(), &list_version)
        .await
        .expect("a raw watch starts")
        .boxed();

    let (store, writer) = reflector::store();
    let mut events = reflector::reflector(
        writer,
        watcher::watcher(pods.clone(), watcher::Config::default()),
    )
    .boxed();
    let initial = initial_list(&mut events).await;
    assert_eq!(
        initial, expected,
        "the watcher's initial list is the namespace's pods"
    );
    assert_eq!(
        store_names(&store),
        expected,
        "the reflector's store holds the initial pods"
    );

    pods.create(
        &PostParams::default(),
        &serving_pod("watch-probe", "worker-1"),
    )
    .await
    .expect("the pod is created");
    let added = await_apply(&mut events, "watch-probe", "the new pod", |_| true).await;
    assert_eq!(
        label(&added, "stage"),
        None,
        "the first event is the pod as created"
    );
    assert!(
        store_names(&store).contains("watch-probe"),
        "the store has the new pod"
    );

    let patch = json!({"metadata": {"labels": {"stage": "patched"}}});
    pods.patch(
        "watch-probe",
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .expect("the label patch applies");
    await_apply(&mut events, "watch-probe", "the labelled pod", |p| {
        label(p, "stage") == Some("patched")
    })
    .await;

    pods.delete("watch-probe", &DeleteParams::default().grace_period(0))
        .await
        .expect("the pod is deleted");
    loop {
        match next_item(&mut events, "the pod's deletion").await {
            Ok(Event::Delete(pod)) if pod.name_any() == "watch-probe" => break,
            Ok(_) => {}
            Err(error) => panic!("watcher error while waiting for the deletion: {error}"),
        }
    }
    assert!(
        !store_names(&store).contains("watch-probe"),
        "the store forgot the deleted pod"
    );

    // The raw events of the probe pod: ADDED first, MODIFIED (with the label among them),
    // DELETED last.
    let mut seen: Vec<(&'static str, bool)> = Vec::new();
    loop {
        let event = next_item(&mut raw, "the raw watch's DELETED event")
            .await
            .expect("a watch event");
        let (kind, pod) = match event {
            WatchEvent::Added(pod) => ("ADDED", pod),
            WatchEvent::Modified(pod) => ("MODIFIED", pod),
            WatchEvent::Deleted(pod) => ("DELETED", pod),
            WatchEvent::Bookmark(_) => continue,
            WatchEvent::Error(status) => panic!("error event on the raw watch: {status:?}"),
        };
        if pod.name_any() != "watch-probe" {
            continue;
        }
        seen.push((kind, label(&pod, "stage") == Some("patched")));
        if kind == "DELETED" {
            break;
        }
    }
    assert_eq!(
        seen.first(),
        Some(&("ADDED", false)),
        "ADDED comes first: {seen:?}"
    );
    let labelled = seen
        .iter()
        .position(|e| *e == ("MODIFIED", true))
        .unwrap_or_else(|| panic!("a MODIFIED event carries the label: {seen:?}"));
    assert!(
        seen[1..seen.len() - 1]
            .iter()
            .all(|(kind, _)| *kind == "MODIFIED"),
        "only MODIFIED events between ADDED and DELETED: {seen:?}"
    );
    assert!(
        seen[..labelled].iter().all(|(_, l)| !l) && seen[labelled..].iter().all(|(_, l)| *l),
        "the label appears once and stays: {seen:?}"
    );
    assert_eq!(
        seen.last(),
        Some(&("DELETED", true)),
        "DELETED comes last: {seen:?}"
    );
    // Open watches would hold the server's graceful shutdown until they time out.
    drop(raw);
    drop(events);
    sim.stop().await;
}

// 2. 410 Gone after a compaction, and a watcher that relists.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_watch_from_a_compacted_version_gets_410_gone() {
    let sim = start().await;
    let client = client_of(&sim);
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let version = pods
        .list(&ListParams::default())
        .await
        .expect("pods list")
        .metadata
        .resource_version
        .expect("a list resourceVersion");
    let config_maps: Api<ConfigMap> = Api::namespaced(client, "shop");
    config_maps
        .create(
            &PostParams::default(),
            &from_json(json!({"metadata": {"name": "bump"}})),
        )
        .await
        .expect("a write moves the revision on");
    sim.sim.store.compact();

    let mut raw = pods
        .watch(&WatchParams::default(), &version)
        .await
        .expect("the watch request itself succeeds; the error comes as an event")
        .boxed();
    match next_item(&mut raw, "the 410 error event")
        .await
        .expect("a watch event")
    {
        WatchEvent::Error(status) => {
            assert_eq!(status.code, 410, "{status:?}");
            assert_eq!(status.reason, "Expired", "{status:?}");
            assert!(
                status.message.contains("too old resource version"),
                "{status:?}"
            );
        }
        other => panic!("expected an ERROR event, got {other:?}"),
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_relists_after_410_gone_and_keeps_yielding_objects() {
    let sim = start().await;
    let client = client_of(&sim);
    // A quiet namespace: one pod held by a scheduling gate, which no controller changes once
    // the scheduler has recorded why it waits.
    let namespaces: Api<Namespace> = Api::all(client.clone());
    namespaces
        .create(
            &PostParams::default(),
            &from_json(json!({"metadata": {"name": "relist"}})),
        )
        .await
        .expect("the namespace is created");
    let pods: Api<Pod> = Api::namespaced(client.clone(), "relist");
    let gated: Pod = from_json(json!({
        "metadata": {"name": "gated"},
        "spec": {"schedulingGates": [{"name": "example.com/hold"}], "containers": [{"name": "main", "image": "nginx:1.27"}]}
    }));
    pods.create(&PostParams::default(), &gated)
        .await
        .expect("the gated pod is created");
    poll("the gated pod's PodScheduled condition", || async {
        let pod = pods.get("gated").await.ok()?;
        let conditions = pod.status?.conditions?;
        conditions
            .iter()
            .any(|c| c.type_ == "PodScheduled")
            .then_some(())
    })
    .await;

    // Each watch lasts a second, so the watcher soon resumes from its last resourceVersion.
    let mut events = watcher::watcher(pods.clone(), watcher::Config::default().timeout(1)).boxed();
    let first = initial_list(&mut events).await;
    assert_eq!(first, BTreeSet::from(["gated".to_string()]));

    let config_maps: Api<ConfigMap> = Api::namespaced(client, "shop");
    config_maps
        .create(
            &PostParams::default(),
            &from_json(json!({"metadata": {"name": "bump"}})),
        )
        .await
        .expect("a write moves the revision on");
    sim.sim.store.compact();

    // The resumed watch is refused with 410; the watcher reports it and lists again.
    let mut gone = None;
    loop {
        match next_item(&mut events, "the relist after the compaction").await {
            Err(watcher::Error::WatchError(status)) => {
                assert_eq!(status.code, 410, "{status:?}");
                gone = Some(status);
            }
            Err(error) => panic!("unexpected watcher error: {error}"),
            Ok(Event::Init) => break,
            Ok(event) => panic!("unexpected event before the relist: {event:?}"),
        }
    }
    let status = gone.expect("the watcher saw 410 Gone before relisting");
    assert!(
        status.message.contains("too old resource version"),
        "{status:?}"
    );
    let mut relisted = BTreeSet::new();
    loop {
        match next_item(&mut events, "the relist").await {
            Ok(Event::InitApply(pod)) => {
                relisted.insert(pod.name_any());
            }
            Ok(Event::InitDone) => break,
            other => panic!("unexpected item during the relist: {other:?}"),
        }
    }
    assert_eq!(
        relisted, first,
        "the relist yields the namespace's pods again"
    );

    pods.create(
        &PostParams::default(),
        &serving_pod("after-compaction", "worker-1"),
    )
    .await
    .expect("the pod is created");
    let mut applied = false;
    let deadline = tokio::time::Instant::now() + POLL_LIMIT;
    while !applied {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the new pod never reached the watcher"
        );
        // The one-second watches may end and resume; other items are fine too.
        if let Ok(Event::Apply(pod) | Event::InitApply(pod)) =
            next_item(&mut events, "the pod created after the relist").await
        {
            applied = pod.name_any() == "after-compaction";
        }
    }
    sim.stop().await;
}

// 3. The three patch types on a Deployment, and a strategic patch on a custom resource.

fn two_container_deployment(name: &str) -> Deployment {
    from_json(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [
                    {"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                     "env": [{"name": "MODE", "value": "production"}],
                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}},
                    {"name": "sidecar", "image": "registry.example.com/tools/wait-for:1.2", "args": ["--forever"]}
                ]}
            }
        }
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strategic_patch_changes_one_container_and_keeps_the_rest() {
    let sim = start().await;
    let deployments: Api<Deployment> = Api::namespaced(client_of(&sim), "shop");
    deployments
        .create(
            &PostParams::default(),
            &two_container_deployment("two-step"),
        )
        .await
        .expect("the deployment is created");
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.28"}]}}}});
    let patched = deployments
        .patch(
            "two-step",
            &PatchParams::default(),
            &Patch::Strategic(&patch),
        )
        .await
        .expect("the strategic merge patch applies");
    for deployment in [
        patched,
        deployments.get("two-step").await.expect("the deployment"),
    ] {
        let containers = deployment
            .spec
            .expect("spec")
            .template
            .spec
            .expect("pod spec")
            .containers;
        let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["app", "sidecar"], "both containers stay, in order");
        let app = &containers[0];
        assert_eq!(app.image.as_deref(), Some("nginx:1.28"));
        assert_eq!(
            app.ports.as_ref().map(|p| p[0].container_port),
            Some(80),
            "ports kept"
        );
        assert_eq!(
            app.env.as_ref().and_then(|e| e[0].value.as_deref()),
            Some("production"),
            "env kept"
        );
        let requests = app
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .expect("requests kept");
        assert_eq!(requests.get("cpu").map(|q| q.0.as_str()), Some("100m"));
        let sidecar = &containers[1];
        assert_eq!(
            sidecar.image.as_deref(),
            Some("registry.example.com/tools/wait-for:1.2")
        );
        assert_eq!(
            sidecar.args.as_deref(),
            Some(&["--forever".to_string()][..])
        );
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_patch_sets_labels_and_removes_with_null() {
    let sim = start().await;
    let deployments: Api<Deployment> = Api::namespaced(client_of(&sim), "shop");
    let patch = json!({"metadata": {"labels": {"tier": "frontend", "team": "storefront"}}});
    let patched = deployments
        .patch("web", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("the merge patch applies");
    let labels = patched.labels();
    assert_eq!(labels.get("tier").map(String::as_str), Some("frontend"));
    assert_eq!(labels.get("team").map(String::as_str), Some("storefront"));
    assert_eq!(
        labels.get("app").map(String::as_str),
        Some("web"),
        "other labels stay"
    );

    let patch = json!({"metadata": {"labels": {"team": null}}});
    deployments
        .patch("web", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("the merge patch applies");
    let web = deployments.get("web").await.expect("web");
    assert!(
        !web.labels().contains_key("team"),
        "null removes a key: {:?}",
        web.labels()
    );
    assert_eq!(
        web.labels().get("tier").map(String::as_str),
        Some("frontend")
    );
    assert_eq!(
        web.spec.and_then(|s| s.replicas),
        Some(3),
        "the spec is untouched"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_patch_adds_and_replaces() {
    let sim = start().await;
    let deployments: Api<Deployment> = Api::namespaced(client_of(&sim), "shop");
    let patch: json_patch::Patch = from_json(json!([
        {"op": "test", "path": "/spec/replicas", "value": 3},
        {"op": "add", "path": "/metadata/annotations/example.com~1owner", "value": "shop-team"},
        {"op": "replace", "path": "/spec/replicas", "value": 4}
    ]));
    let patched = deployments
        .patch("web", &PatchParams::default(), &Patch::<()>::Json(patch))
        .await
        .expect("the JSON patch applies");
    assert_eq!(
        patched
            .annotations()
            .get("example.com/owner")
            .map(String::as_str),
        Some("shop-team")
    );
    assert_eq!(
        patched
            .annotations()
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("1"),
        "the other annotations stay"
    );
    let web = deployments.get("web").await.expect("web");
    assert_eq!(web.spec.and_then(|s| s.replicas), Some(4));
    sim.stop().await;
}

/// A failed `test` operation: `handlers/patch.go` (jsonPatcher.applyJSPatch) answers
/// `errors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{},
/// "", err.Error(), 0, false)`, which `apimachinery/pkg/api/errors` turns into code 422, reason
/// Invalid, message "the server rejected our request due to an error in our request", no causes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_patch_with_a_failing_test_is_422_invalid_and_changes_nothing() {
    let sim = start().await;
    let deployments: Api<Deployment> = Api::namespaced(client_of(&sim), "shop");
    let before = deployments.get("web").await.expect("web");
    let patch: json_patch::Patch = from_json(json!([
        {"op": "test", "path": "/spec/replicas", "value": 99},
        {"op": "replace", "path": "/spec/replicas", "value": 5}
    ]));
    let status = api_status(
        deployments
            .patch("web", &PatchParams::default(), &Patch::<()>::Json(patch))
            .await,
        "a JSON patch whose test fails",
    );
    let after = deployments.get("web").await.expect("web");
    assert_eq!(
        after.spec.as_ref().and_then(|s| s.replicas),
        Some(3),
        "nothing was applied"
    );
    assert_eq!(
        after.resource_version(),
        before.resource_version(),
        "nothing was written"
    );
    assert_eq!(status.code, 422, "{status:?}");
    assert_eq!(status.reason, "Invalid", "{status:?}");
    assert_eq!(
        status.message, "the server rejected our request due to an error in our request",
        "the API server keeps only the generic message: {status:?}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strategic_patch_on_a_custom_resource_is_415() {
    let sim = start().await;
    let gvk = GroupVersionKind::gvk("ceph.rook.io", "v1", "CephCluster");
    let resource = ApiResource::from_gvk_with_plural(&gvk, "cephclusters");
    let clusters: Api<DynamicObject> =
        Api::namespaced_with(client_of(&sim), "rook-ceph", &resource);
    let patch = json!({"spec": {"mon": {"count": 5}}});
    let status = api_status(
        clusters
            .patch(
                "rook-ceph",
                &PatchParams::default(),
                &Patch::Strategic(&patch),
            )
            .await,
        "a strategic merge patch on a custom resource",
    );
    assert_eq!(status.code, 415, "{status:?}");
    assert_eq!(status.reason, "UnsupportedMediaType", "{status:?}");
    // A merge patch on the same object works.
    let patched = clusters
        .patch("rook-ceph", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("a merge patch on a custom resource applies");
    assert_eq!(patched.data["spec"]["mon"]["count"], json!(5));
    assert_eq!(
        patched.data["spec"]["dataDirHostPath"],
        json!("/var/lib/rook"),
        "the rest stays"
    );
    sim.stop().await;
}

// 4. Optimistic concurrency.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replace_with_a_stale_resource_version_is_409_conflict() {
    let sim = start().await;
    let config_maps: Api<ConfigMap> = Api::namespaced(client_of(&sim), "payments");
    let stale = config_maps
        .get("payments-config")
        .await
        .expect("the config map");
    let mut fresh = stale.clone();
    fresh
        .data
        .get_or_insert_default()
        .insert("LOG_LEVEL".into(), "debug".into());
    let written = config_maps
        .replace("payments-config", &PostParams::default(), &fresh)
        .await
        .expect("a replace with the current resourceVersion succeeds");
    assert_ne!(written.resource_version(), stale.resource_version());

    let mut late = stale.clone();
    late.data
        .get_or_insert_default()
        .insert("LOG_LEVEL".into(), "warn".into());
    let status = api_status(
        config_maps
            .replace("payments-config", &PostParams::default(), &late)
            .await,
        "a replace with a stale resourceVersion",
    );
    assert_eq!(status.code, 409, "{status:?}");
    assert_eq!(status.reason, "Conflict", "{status:?}");
    assert!(
        status.message.contains("the object has been modified"),
        "{status:?}"
    );
    let current = config_maps
        .get("payments-config")
        .await
        .expect("the config map");
    assert_eq!(
        current
            .data
            .as_ref()
            .and_then(|d| d.get("LOG_LEVEL"))
            .map(String::as_str),
        Some("debug"),
        "the stale write changed nothing"
    );
    sim.stop().await;
}

// 5. Dry run.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_create_patch_and_delete_change_nothing() {
    let sim = start().await;
    let client = client_of(&sim);
    let config_maps: Api<ConfigMap> = Api::namespaced(client.clone(), "shop");
    let dry_post = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    let draft: ConfigMap = from_json(json!({"metadata": {"name": "draft"}, "data": {"k": "v"}}));
    let created = config_maps
        .create(&dry_post, &draft)
        .await
        .expect("a dry-run create answers");
    assert_eq!(created.name_any(), "draft");
    assert_eq!(
        created
            .data
            .as_ref()
            .and_then(|d| d.get("k"))
            .map(String::as_str),
        Some("v")
    );
    let status = api_status(
        config_maps.get("draft").await,
        "the dry-run-created config map",
    );
    assert_eq!(
        status.code, 404,
        "a dry-run create stores nothing: {status:?}"
    );

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    let before = deployments.get("web").await.expect("web");
    let patch = json!({"spec": {"replicas": 7}, "metadata": {"labels": {"dry": "run"}}});
    let patched = deployments
        .patch(
            "web",
            &PatchParams::default().dry_run(),
            &Patch::Merge(&patch),
        )
        .await
        .expect("a dry-run patch answers");
    assert_eq!(
        patched.spec.as_ref().and_then(|s| s.replicas),
        Some(7),
        "the answer shows the change"
    );
    let after = deployments.get("web").await.expect("web");
    assert_eq!(
        after.spec.as_ref().and_then(|s| s.replicas),
        Some(3),
        "the stored object is unchanged"
    );
    assert!(!after.labels().contains_key("dry"));
    assert_eq!(after.resource_version(), before.resource_version());

    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let victim = live_pods(&pods, "web").await.remove(0).name_any();
    let deleted = pods
        .delete(&victim, &DeleteParams::default().dry_run())
        .await
        .expect("a dry-run delete answers");
    let answered = deleted
        .left()
        .expect("a dry-run delete of a pod answers with the pod");
    assert_eq!(answered.name_any(), victim);
    let web_deleted = deployments
        .delete("web", &DeleteParams::default().dry_run())
        .await
        .expect("a dry-run delete answers");
    assert!(web_deleted.is_left(), "the answer is the deployment");
    // Give the controllers a moment: a real deletion would show by now.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let still = pods.get(&victim).await.expect("the pod is still there");
    assert!(
        still.metadata.deletion_timestamp.is_none(),
        "the pod is not terminating"
    );
    let web = deployments.get("web").await.expect("web is still there");
    assert!(web.metadata.deletion_timestamp.is_none());
    assert_eq!(live_pods(&pods, "web").await.len(), 3);
    sim.stop().await;
}

// 6. Eviction.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evicting_a_web_pod_succeeds_and_the_replica_set_replaces_it() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let before = names(&live_pods(&pods, "web").await);
    assert_eq!(before.len(), 3, "{before:?}");
    let victim = before.iter().next().expect("a web pod").clone();
    let status = pods
        .evict(&victim, &EvictParams::default())
        .await
        .expect("the eviction is accepted");
    assert_eq!(status.code, 201, "{status:?}");
    assert!(status.is_success(), "{status:?}");

    poll("the evicted pod to go away", || async {
        match pods.get(&victim).await {
            Err(kube::Error::Api(status)) if status.code == 404 => Some(()),
            _ => None,
        }
    })
    .await;
    let after = poll("three web pods again, with a replacement", || async {
        let now = names(&live_pods(&pods, "web").await);
        (now.len() == 3 && !now.contains(&victim)).then_some(now)
    })
    .await;
    assert_eq!(
        after.difference(&before).count(),
        1,
        "one new pod: {before:?} -> {after:?}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evicting_a_cart_pod_is_refused_by_its_disruption_budget() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_without_retries(&sim).await, "shop");
    let cart = live_pods(&pods, "cart").await;
    assert_eq!(cart.len(), 2);
    let victim = cart[0].name_any();
    let status = api_status(
        pods.evict(&victim, &EvictParams::default()).await,
        "evicting a cart pod",
    );
    assert_eq!(status.code, 429, "{status:?}");
    assert_eq!(status.reason, "TooManyRequests", "{status:?}");
    assert_eq!(
        status.message, "Cannot evict pod as it would violate the pod's disruption budget.",
        "{status:?}"
    );
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.clone())
        .unwrap_or_default();
    let cause = causes
        .iter()
        .find(|c| c.reason == "DisruptionBudget")
        .unwrap_or_else(|| panic!("a DisruptionBudget cause: {status:?}"));
    assert!(
        cause
            .message
            .starts_with("The disruption budget cart-pdb needs 2 healthy pods and has "),
        "{cause:?}"
    );
    let still = pods.get(&victim).await.expect("the pod stays");
    assert!(still.metadata.deletion_timestamp.is_none());
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evicting_a_missing_pod_is_404() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let status = api_status(
        pods.evict("no-such-pod", &EvictParams::default()).await,
        "evicting a missing pod",
    );
    assert_eq!(status.code, 404, "{status:?}");
    assert_eq!(status.reason, "NotFound", "{status:?}");
    assert_eq!(
        status.message, "pods \"no-such-pod\" not found",
        "{status:?}"
    );
    sim.stop().await;
}

// 7. Logs.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_with_tail_lines() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let web = live_pods(&pods, "web").await.remove(0).name_any();
    let params = LogParams {
        tail_lines: Some(5),
        ..LogParams::default()
    };
    let text = pods.logs(&web, &params).await.expect("the log");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines.iter().all(|l| l.contains("\"GET ")),
        "nginx access log lines: {text}"
    );
    let all = pods
        .logs(&web, &LogParams::default())
        .await
        .expect("the whole log");
    assert!(all.ends_with(&text), "the tail is the end of the whole log");
    assert!(all.lines().count() > 5);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previous_logs_of_the_crash_looping_checkout_pod_show_the_crash() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let checkout = live_pods(&pods, "checkout").await.remove(0);
    let statuses = checkout
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.clone())
        .unwrap_or_default();
    assert!(
        statuses.iter().any(|s| s.restart_count > 0),
        "checkout has restarted: {statuses:?}"
    );
    let params = LogParams {
        previous: true,
        ..LogParams::default()
    };
    let previous = pods
        .logs(&checkout.name_any(), &params)
        .await
        .expect("the previous log");
    assert!(
        previous.contains("heap usage high"),
        "the OOM-killed run's last words: {previous}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_a_log_yields_new_lines() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let web = live_pods(&pods, "web").await.remove(0).name_any();
    let params = LogParams {
        follow: true,
        tail_lines: Some(1),
        ..LogParams::default()
    };
    let stream = pods.log_stream(&web, &params).await.expect("a log stream");
    let mut lines = stream.lines();
    let first = next_item(&mut lines, "the tail line")
        .await
        .expect("a line");
    assert!(first.contains("\"GET "), "{first}");
    // Lines come every two seconds; read for about three, and at most twenty.
    let mut new_lines = Vec::new();
    let started = tokio::time::Instant::now();
    while new_lines.is_empty() || started.elapsed() < Duration::from_secs(3) {
        assert!(
            started.elapsed() < POLL_LIMIT,
            "no new log line within {POLL_LIMIT:?}"
        );
        match tokio::time::timeout(Duration::from_millis(500), lines.next()).await {
            Ok(Some(line)) => new_lines.push(line.expect("a line")),
            Ok(None) => panic!("the followed log ended"),
            Err(_) => {}
        }
    }
    assert!(
        new_lines.iter().all(|l| l.contains("\"GET ")),
        "{new_lines:?}"
    );
    assert!(
        new_lines.iter().all(|l| *l != first),
        "new lines, not the tail again: {new_lines:?}"
    );
    drop(lines);
    // The server is fine after the client went away.
    pods.get(&web).await.expect("the server still answers");
    sim.stop().await;
}

// 8. Graceful deletion and garbage collection.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_running_pod_is_graceful() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let netshoot = pods.get("netshoot").await.expect("the netshoot pod");
    assert_eq!(
        netshoot.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Running")
    );
    let answer = pods
        .delete("netshoot", &DeleteParams::default())
        .await
        .expect("the delete is accepted");
    let answered = answer
        .left()
        .expect("a graceful delete answers with the pod");
    assert!(
        answered.metadata.deletion_timestamp.is_some(),
        "the answer is Terminating"
    );
    assert_eq!(answered.metadata.deletion_grace_period_seconds, Some(30));
    let terminating = pods
        .get("netshoot")
        .await
        .expect("the pod is still there, terminating");
    assert!(
        terminating.metadata.deletion_timestamp.is_some(),
        "deletionTimestamp is set"
    );
    let nodes: Api<Node> = Api::all(client_of(&sim));
    poll_showing("the deleted pod to disappear", || async {
        match pods.get("netshoot").await {
            Err(kube::Error::Api(status)) if status.code == 404 => Ok(()),
            Ok(pod) => {
                let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
                let ready = match &node {
                    Some(node) => nodes.get(node).await.ok().and_then(|n| {
                        n.status?.conditions?.into_iter().find(|c| c.type_ == "Ready")
                    }),
                    None => None,
                };
                Err(format!(
                    "the pod, deletionTimestamp {:?}, status {:?}; its node {node:?} Ready {ready:?}; now {}",
                    pod.metadata.deletion_timestamp,
                    pod.status,
                    jiff::Timestamp::now()
                ))
            }
            Err(other) => Err(format!("{other}")),
        }
    })
    .await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_with_grace_period_zero_removes_at_once() {
    let sim = start().await;
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    let victim = live_pods(&pods, "web").await.remove(0).name_any();
    pods.delete(&victim, &DeleteParams::default().grace_period(0))
        .await
        .expect("the delete is accepted");
    let status = api_status(pods.get(&victim).await, "the pod deleted with grace 0");
    assert_eq!(status.code, 404, "gone at once: {status:?}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_deployment_collects_its_replica_sets_and_pods() {
    let sim = start().await;
    let client = client_of(&sim);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    let replica_sets: Api<ReplicaSet> = Api::namespaced(client.clone(), "shop");
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let web = deployments.get("web").await.expect("web");
    let uid = web.uid().expect("a uid");
    let owned_sets = |sets: Vec<ReplicaSet>| -> Vec<ReplicaSet> {
        sets.into_iter()
            .filter(|rs| rs.owner_references().iter().any(|o| o.uid == uid))
            .collect()
    };
    let sets = owned_sets(
        replica_sets
            .list(&ListParams::default())
            .await
            .expect("replica sets")
            .items,
    );
    assert!(!sets.is_empty(), "web owns a ReplicaSet");
    assert_eq!(live_pods(&pods, "web").await.len(), 3);

    deployments
        .delete("web", &DeleteParams::default())
        .await
        .expect("the delete is accepted");
    poll("web's ReplicaSets and pods to be collected", || async {
        let sets = replica_sets.list(&ListParams::default()).await.ok()?.items;
        let left_sets = owned_sets(sets);
        let left_pods = pods
            .list(&ListParams::default().labels("app=web"))
            .await
            .ok()?
            .items;
        (left_sets.is_empty() && left_pods.is_empty()).then_some(())
    })
    .await;
    let status = api_status(deployments.get("web").await, "the deleted deployment");
    assert_eq!(status.code, 404);
    sim.stop().await;
}

// 9. Table output.

fn column_names(table: &Value) -> Vec<String> {
    table["columnDefinitions"]
        .as_array()
        .expect("columnDefinitions")
        .iter()
        .map(|c| c["name"].as_str().expect("a column name").to_string())
        .collect()
}

fn row_cells(table: &Value) -> Vec<Vec<Value>> {
    table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["cells"].as_array().expect("cells").clone())
        .collect()
}

async fn table(client: &Client, path: &str) -> Value {
    let text = get_text(client, path, TABLE).await.expect("a Table");
    let table: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(table["kind"], "Table", "{path}: {text}");
    assert_eq!(table["apiVersion"], "meta.k8s.io/v1", "{path}");
    table
}

fn assert_columns(table: &Value, wanted: &[&str]) -> Vec<String> {
    let columns = column_names(table);
    for name in wanted {
        assert!(
            columns.iter().any(|c| c == name),
            "column {name} in {columns:?}"
        );
    }
    for row in row_cells(table) {
        assert_eq!(row.len(), columns.len(), "one cell a column: {row:?}");
    }
    columns
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pods_as_a_table() {
    let sim = start().await;
    let client = client_of(&sim);
    let table = table(&client, "/api/v1/namespaces/shop/pods").await;
    let columns = assert_columns(
        &table,
        &["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"],
    );
    assert_eq!(columns[0], "Name");
    let at = |name: &str| columns.iter().position(|c| c == name).expect("a column");
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let listed = pods.list(&ListParams::default()).await.expect("pods").items;
    let rows = row_cells(&table);
    assert_eq!(rows.len(), listed.len(), "one row a pod");
    let row_names: BTreeSet<String> = rows
        .iter()
        .map(|r| r[0].as_str().expect("a name").to_string())
        .collect();
    assert_eq!(row_names, names(&listed));
    for row in &rows {
        let pod = listed
            .iter()
            .find(|p| p.name_any() == row[0])
            .expect("the row's pod");
        let node = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_else(|| "<none>".into());
        assert_eq!(row[at("Node")], json!(node), "{row:?}");
        let ip = pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_else(|| "<none>".into());
        assert_eq!(row[at("IP")], json!(ip), "{row:?}");
        let containers = pod.spec.as_ref().map_or(0, |s| s.containers.len());
        let ready = row[at("Ready")].as_str().expect("Ready is text");
        assert!(
            ready.ends_with(&format!("/{containers}")),
            "{ready} for {containers} containers"
        );
    }
    let checkout = rows
        .iter()
        .find(|r| r[0].as_str().is_some_and(|n| n.starts_with("checkout-")))
        .expect("the checkout row");
    let restarts = checkout[at("Restarts")]
        .as_str()
        .map_or_else(|| checkout[at("Restarts")].to_string(), str::to_string);
    assert!(
        !restarts.starts_with('0'),
        "checkout has restarted: {checkout:?}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_as_a_table() {
    let sim = start().await;
    let client = client_of(&sim);
    let nodes_table = table(&client, "/api/v1/nodes").await;
    let columns = assert_columns(&nodes_table, &["Name", "Status", "Roles", "Age", "Version"]);
    let status_at = columns.iter().position(|c| c == "Status").expect("Status");
    let nodes: Api<Node> = Api::all(client.clone());
    let listed = nodes
        .list(&ListParams::default())
        .await
        .expect("nodes")
        .items;
    let rows = row_cells(&nodes_table);
    let row_names: BTreeSet<String> = rows
        .iter()
        .map(|r| r[0].as_str().expect("a name").to_string())
        .collect();
    assert_eq!(row_names, names(&listed));
    let status_of = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .and_then(|r| r[status_at].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(status_of("worker-1"), "Ready");
    assert_eq!(status_of("worker-4"), "Ready,SchedulingDisabled");
    assert_eq!(status_of("worker-5"), "NotReady");
    sim.stop().await;
}

/// The web Deployment has had three ready pods for weeks, so `kubectl get deployments` shows
/// READY 3/3, UP-TO-DATE 3, AVAILABLE 3, and every row agrees with its object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployments_as_a_table() {
    let sim = start().await;
    let client = client_of(&sim);
    let deployments_table = table(&client, "/apis/apps/v1/namespaces/shop/deployments").await;
    let columns = assert_columns(
        &deployments_table,
        &["Name", "Ready", "Up-to-date", "Available", "Age"],
    );
    let ready_at = columns.iter().position(|c| c == "Ready").expect("Ready");
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    let listed = deployments
        .list(&ListParams::default())
        .await
        .expect("deployments")
        .items;
    let rows = row_cells(&deployments_table);
    let row_names: BTreeSet<String> = rows
        .iter()
        .map(|r| r[0].as_str().expect("a name").to_string())
        .collect();
    assert_eq!(row_names, names(&listed));
    let at = |name: &str| columns.iter().position(|c| c == name).expect("a column");
    for row in &rows {
        let deployment = listed
            .iter()
            .find(|d| d.name_any() == row[0])
            .expect("the row's deployment");
        let status = deployment.status.clone().unwrap_or_default();
        let wanted = deployment
            .spec
            .as_ref()
            .and_then(|s| s.replicas)
            .unwrap_or(1);
        let ready = format!("{}/{wanted}", status.ready_replicas.unwrap_or(0));
        assert_eq!(row[ready_at], json!(ready), "{row:?}");
    }
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    assert_eq!(
        live_pods(&pods, "web").await.len(),
        3,
        "web runs three pods"
    );
    let web = rows.iter().find(|r| r[0] == "web").expect("the web row");
    assert_eq!(web[ready_at], json!("3/3"), "READY: {web:?}");
    assert_eq!(web[at("Up-to-date")], json!(3), "UP-TO-DATE: {web:?}");
    assert_eq!(web[at("Available")], json!(3), "AVAILABLE: {web:?}");
    sim.stop().await;
}

// 10. Selectors and paging.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn label_and_field_selectors() {
    let sim = start().await;
    let client = client_of(&sim);
    let shop: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let web = shop
        .list(&ListParams::default().labels("app=web"))
        .await
        .expect("pods")
        .items;
    assert_eq!(web.len(), 3);
    assert!(web.iter().all(|p| label(p, "app") == Some("web")));

    let everywhere: Api<Pod> = Api::all(client);
    let all = everywhere
        .list(&ListParams::default())
        .await
        .expect("pods")
        .items;
    let on_worker_1 = everywhere
        .list(&ListParams::default().fields("spec.nodeName=worker-1"))
        .await
        .expect("pods")
        .items;
    let expected: Vec<Pod> = all
        .iter()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("worker-1"))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(keys(&on_worker_1), keys(&expected));

    let both = everywhere
        .list(
            &ListParams::default()
                .labels("app=web")
                .fields("spec.nodeName=worker-1"),
        )
        .await
        .expect("pods")
        .items;
    assert_eq!(
        both.len(),
        1,
        "one web pod runs on worker-1: {:?}",
        keys(&both)
    );

    let status = api_status(
        everywhere
            .list(&ListParams::default().fields("spec.containers.image=nginx"))
            .await,
        "an unsupported field selector",
    );
    assert_eq!(status.code, 400, "{status:?}");
    assert_eq!(status.reason, "BadRequest", "{status:?}");
    assert!(
        status.message.contains("field label not supported"),
        "{status:?}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_visits_every_pod_once() {
    let sim = start().await;
    let pods: Api<Pod> = Api::all(client_of(&sim));
    let all = keys(&pods.list(&ListParams::default()).await.expect("pods").items);
    assert!(
        all.len() > 10,
        "enough pods for several pages: {}",
        all.len()
    );
    let mut visited = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut params = ListParams::default().limit(5);
        if let Some(token) = &token {
            params = params.continue_token(token);
        }
        let page = pods.list(&params).await.expect("a page");
        assert!(
            page.items.len() <= 5,
            "at most the limit: {}",
            page.items.len()
        );
        pages += 1;
        assert!(pages <= all.len(), "paging does not end");
        visited.extend(keys(&page.items).into_iter());
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
        assert_eq!(page.items.len(), 5, "only the last page is short");
    }
    let unique: BTreeSet<String> = visited.iter().cloned().collect();
    assert_eq!(unique.len(), visited.len(), "no pod twice");
    assert_eq!(unique, all, "every pod once");
    assert_eq!(pages, all.len().div_ceil(5));
    sim.stop().await;
}

// 11. Errors.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_resource_path_is_a_404_status() {
    let sim = start().await;
    let client = client_of(&sim);
    for path in [
        "/api/v1/namespaces/shop/widgets",
        "/apis/example.com/v1/gadgets",
    ] {
        let status = api_status(get_text(&client, path, "application/json").await, path);
        assert_eq!(status.code, 404, "{path}: {status:?}");
        assert_eq!(status.reason, "NotFound", "{path}: {status:?}");
        assert_eq!(
            status.message, "the server could not find the requested resource",
            "{path}"
        );
        // Empty, not absent, as the API server's: a missing object's details name it.
        let details = status.details.expect("details");
        assert_eq!(details.name, "", "{path}");
        assert_eq!(details.kind, "", "{path}");
    }
    sim.stop().await;
}

/// The simulator's client configuration without its token.
async fn anonymous_config(sim: &RunningSim) -> kube::Config {
    let mut kubeconfig =
        kube::config::Kubeconfig::from_yaml(&sim.kubeconfig()).expect("the kubeconfig parses");
    for user in &mut kubeconfig.auth_infos {
        if let Some(auth) = user.auth_info.as_mut() {
            auth.token = None;
        }
    }
    kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default())
        .await
        .expect("a config without credentials")
}

/// The HTTP status of a raw request.
async fn request_status(client: &Client, request: http::Request<Vec<u8>>) -> u16 {
    match client.request_text(request).await {
        Ok(_) => 200,
        Err(kube::Error::Api(status)) => status.code,
        Err(other) => panic!("{other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_the_token_is_401() {
    let sim = start().await;
    let config = anonymous_config(&sim).await;
    assert!(config.root_cert.is_some(), "the CA is still trusted");
    let anonymous = Client::try_from(config).expect("a client");
    let pods: Api<Pod> = Api::namespaced(anonymous.clone(), "shop");
    let status = api_status(
        pods.list(&ListParams::default()).await,
        "a request without a token",
    );
    assert_eq!(status.code, 401, "{status:?}");
    assert_eq!(status.reason, "Unauthorized", "{status:?}");
    // A path that does not exist answers the same without a token: nothing is revealed.
    let request = http::Request::get("/apis/nothing.example.com/v1/widgets")
        .body(Vec::new())
        .unwrap();
    let unknown = request_status(&anonymous, request).await;
    assert_eq!(unknown, 401, "an unknown path without a token");
    let request = http::Request::get("/apis/nothing.example.com/v1/widgets")
        .body(Vec::new())
        .unwrap();
    assert_eq!(request_status(&client_of(&sim), request).await, 404);
    // The same request with the token works.
    let pods: Api<Pod> = Api::namespaced(client_of(&sim), "shop");
    pods.list(&ListParams::default())
        .await
        .expect("with the token");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_on_create_is_400() {
    let sim = start().await;
    let client = client_of(&sim);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/namespaces/shop/configmaps")
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(br#"{"metadata": {"name": "broken"#.to_vec())
        .expect("a request");
    let status = api_status(
        client.request_text(request).await,
        "a create with a malformed body",
    );
    assert_eq!(status.code, 400, "{status:?}");
    assert_eq!(status.reason, "BadRequest", "{status:?}");
    let config_maps: Api<ConfigMap> = Api::namespaced(client, "shop");
    let status = api_status(
        config_maps.get("broken").await,
        "the config map that was not created",
    );
    assert_eq!(status.code, 404);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_existing_object_is_409_already_exists() {
    let sim = start().await;
    let config_maps: Api<ConfigMap> = Api::namespaced(client_of(&sim), "payments");
    let existing: ConfigMap =
        from_json(json!({"metadata": {"name": "payments-config"}, "data": {"x": "y"}}));
    let status = api_status(
        config_maps.create(&PostParams::default(), &existing).await,
        "creating an object that exists",
    );
    assert_eq!(status.code, 409, "{status:?}");
    assert_eq!(status.reason, "AlreadyExists", "{status:?}");
    assert_eq!(
        status.message, "configmaps \"payments-config\" already exists",
        "{status:?}"
    );
    let kept = config_maps
        .get("payments-config")
        .await
        .expect("the config map");
    assert!(
        !kept.data.unwrap_or_default().contains_key("x"),
        "the existing object is untouched"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_3_mib_is_413() {
    let sim = start().await;
    let config_maps: Api<ConfigMap> = Api::namespaced(client_of(&sim), "shop");
    let huge: ConfigMap = from_json(json!({
        "metadata": {"name": "huge"},
        "data": {"blob": "x".repeat(3 * 1024 * 1024 + 512 * 1024)}
    }));
    let status = api_status(
        config_maps.create(&PostParams::default(), &huge).await,
        "a 3.5 MiB create",
    );
    assert_eq!(status.code, 413, "{status:?}");
    assert_eq!(status.reason, "RequestEntityTooLarge", "{status:?}");
    // handlers/rest.go limitedReadBody: NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d",
    // limit)), whose message is "Request entity too large: " + that.
    let missing = api_status(
        config_maps.get("huge").await,
        "the config map that was too large",
    );
    assert_eq!(missing.code, 404, "nothing was stored");
    sim.stop().await;
    assert_eq!(
        status.message, "Request entity too large: limit is 3145728",
        "{status:?}"
    );
}

// 12. Discovery.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_finds_core_apps_the_crd_and_metrics() {
    let sim = start().await;
    let discovery = Discovery::new(client_of(&sim))
        .run()
        .await
        .expect("discovery runs");
    let find = |group: &str, version: &str, kind: &str| {
        discovery
            .resolve_gvk(&GroupVersionKind::gvk(group, version, kind))
            .unwrap_or_else(|| panic!("{group}/{version} {kind} is discovered"))
    };
    let (pods, pod_caps) = find("", "v1", "Pod");
    assert_eq!(pods.plural, "pods");
    assert!(pod_caps.supports_operation("watch"), "{pod_caps:?}");
    let subresources: Vec<&str> = pod_caps
        .subresources
        .iter()
        .map(|(r, _)| r.plural.as_str())
        .collect();
    for sub in ["log", "eviction", "status"] {
        assert!(
            subresources.contains(&sub),
            "pods/{sub} is discovered: {subresources:?}"
        );
    }
    let (deployments, _) = find("apps", "v1", "Deployment");
    assert_eq!(deployments.plural, "deployments");
    let (clusters, caps) = find("ceph.rook.io", "v1", "CephCluster");
    assert_eq!(clusters.plural, "cephclusters");
    assert_eq!(caps.scope, kube::discovery::Scope::Namespaced);
    assert!(
        discovery.has_group("metrics.k8s.io"),
        "metrics.k8s.io is served"
    );
    let metrics = discovery.get("metrics.k8s.io").expect("the metrics group");
    let kinds: Vec<String> = metrics
        .recommended_resources()
        .into_iter()
        .map(|(r, _)| r.kind)
        .collect();
    assert!(kinds.iter().any(|k| k == "PodMetrics"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "NodeMetrics"), "{kinds:?}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secrets_string_data_is_stored_in_data_as_the_api_server_converts_it() {
    use k8s_openapi::api::core::v1::Secret;
    let sim = start().await;
    let secrets: Api<Secret> = Api::namespaced(client_of(&sim), "shop");
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "plain"},
        "data": {"user": "b2xk", "keep": "a2VlcA=="},
        "stringData": {"user": "admin", "password": "s3cr3t"}
    }))
    .unwrap();
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("created");
    let stored = secrets.get("plain").await.expect("stored");
    assert!(stored.string_data.is_none(), "stringData is not stored");
    let data = stored.data.expect("data");
    let text = |key: &str| String::from_utf8(data[key].0.clone()).unwrap();
    assert_eq!(text("user"), "admin", "stringData wins over data");
    assert_eq!(text("password"), "s3cr3t");
    assert_eq!(text("keep"), "keep");
    sim.stop().await;
}

/// A node's metrics are its own processes plus its running pods' usage, kept current as pods
/// come and go (not recomputed over every pod for every node on each request).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_metrics_add_up_the_running_pods_as_they_change() {
    use k8s_openapi::api::core::v1::Pod;
    let sim = start().await;
    let client = client_of(&sim);
    let get = |path: &str| {
        let client = client.clone();
        let request = http::Request::get(path).body(Vec::new()).unwrap();
        async move {
            let text = client.request_text(request).await.expect("metrics answer");
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON")
        }
    };
    let nanocores = |q: &serde_json::Value| {
        let text = q.as_str().expect("a quantity");
        text.strip_suffix('n')
            .expect("nanocores")
            .parse::<u64>()
            .unwrap()
    };
    let pods: Api<Pod> = Api::all(client.clone());
    // Node CPU minus the node's own 150m is the sum of its pods' reported CPU.
    let pods_cpu_of = |node: &str, pod_metrics: &serde_json::Value, list: &[Pod]| {
        let on_node: Vec<(String, String)> = list
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            .map(|p| {
                (
                    p.metadata.namespace.clone().unwrap(),
                    p.metadata.name.clone().unwrap(),
                )
            })
            .collect();
        pod_metrics["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| {
                let key = (
                    m["metadata"]["namespace"].as_str().unwrap().to_string(),
                    m["metadata"]["name"].as_str().unwrap().to_string(),
                );
                on_node.contains(&key)
            })
            .flat_map(|m| m["containers"].as_array().unwrap().clone())
            .map(|c| nanocores(&c["usage"]["cpu"]))
            .sum::<u64>()
    };
    let list = pods.list(&Default::default()).await.unwrap().items;
    let running_on_node = list
        .iter()
        .find(|p| {
            p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
                && p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("worker-1")
        })
        .expect("a running pod on worker-1");
    let node_cpu =
        nanocores(&get("/apis/metrics.k8s.io/v1beta1/nodes/worker-1").await["usage"]["cpu"]);
    let pod_metrics = get("/apis/metrics.k8s.io/v1beta1/pods").await;
    let before = pods_cpu_of("worker-1", &pod_metrics, &list);
    assert!(before > 0);
    assert_eq!(node_cpu, 150_000_000 + before);
    let in_list = get("/apis/metrics.k8s.io/v1beta1/nodes").await;
    let listed = in_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["metadata"]["name"] == "worker-1")
        .expect("worker-1 listed");
    assert_eq!(nanocores(&listed["usage"]["cpu"]), node_cpu);

    // A running pod goes: the node's sum follows.
    let namespace = running_on_node.metadata.namespace.clone().unwrap();
    let name = running_on_node.metadata.name.clone().unwrap();
    let gone: serde_json::Value = get(&format!(
        "/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}"
    ))
    .await;
    let gone_cpu: u64 = gone["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| nanocores(&c["usage"]["cpu"]))
        .sum();
    Api::<Pod>::namespaced(client.clone(), &namespace)
        .delete(&name, &kube::api::DeleteParams::default().grace_period(0))
        .await
        .expect("deleted");
    // Read the pods and their metrics after the node's, so a pod a controller adds meanwhile is
    // in both or in neither.
    let node_cpu =
        nanocores(&get("/apis/metrics.k8s.io/v1beta1/nodes/worker-1").await["usage"]["cpu"]);
    let list = pods.list(&Default::default()).await.unwrap().items;
    let pod_metrics = get("/apis/metrics.k8s.io/v1beta1/pods").await;
    let after = pods_cpu_of("worker-1", &pod_metrics, &list);
    assert!(
        !list
            .iter()
            .any(|p| p.metadata.uid == running_on_node.metadata.uid),
        "the pod is gone"
    );
    assert_eq!(
        node_cpu,
        150_000_000 + after,
        "before {before}, gone {gone_cpu}"
    );
    sim.stop().await;
}
