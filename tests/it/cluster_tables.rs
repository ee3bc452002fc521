//! Discovery and server-side Table watches against the in-process simulated cluster: which
//! resources a word names, and the columns and rows the API server prints for any kind, kept
//! live by the watch.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kscope::cluster::discovery::{ApiResourceOf, discover};
use kscope::cluster::table_watch::spawn_table_watch;
use kscope::model::resource_info::{ResourceInfo, completions, resolve};
use kscope::model::table_feed::{TableColumn, TableMessage};
use kscope::model::watched::Key;
use kscope::sim::{ClusterShape, RunningSim};
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long one awaited message may take; generous, as the machine may be busy.
const MESSAGE_LIMIT: Duration = Duration::from_secs(30);

async fn start() -> RunningSim {
    kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape::default(),
    )
    .await
    .expect("the simulator starts")
}

async fn resources_of(sim: &RunningSim) -> Vec<ResourceInfo> {
    let client = sim.client().expect("a client for the simulator");
    discover(&client).await.expect("discovery")
}

fn find<'a>(resources: &'a [ResourceInfo], group: &str, plural: &str) -> &'a ResourceInfo {
    resources
        .iter()
        .find(|r| r.group == group && r.plural == plural)
        .unwrap_or_else(|| panic!("{plural}.{group} is discovered"))
}

/// The next message, or a panic naming what was awaited.
async fn next(receiver: &mut UnboundedReceiver<TableMessage>, what: &str) -> TableMessage {
    tokio::time::timeout(MESSAGE_LIMIT, receiver.recv())
        .await
        .unwrap_or_else(|_| panic!("no message within {MESSAGE_LIMIT:?} while waiting for {what}"))
        .unwrap_or_else(|| panic!("the watch ended while waiting for {what}"))
}

/// The first message `wanted` accepts, skipping the others.
async fn next_matching(
    receiver: &mut UnboundedReceiver<TableMessage>,
    what: &str,
    wanted: impl Fn(&TableMessage) -> bool,
) -> TableMessage {
    loop {
        let message = next(receiver, what).await;
        if let TableMessage::Failed { error, .. } = &message {
            panic!("the watch failed while waiting for {what}: {error}");
        }
        if wanted(&message) {
            return message;
        }
    }
}

/// The table as first listed: its columns and its rows by key.
struct Listed {
    resource: String,
    columns: Vec<TableColumn>,
    rows: BTreeMap<Key, Vec<Value>>,
}

impl Listed {
    /// The names of the columns `kubectl get` shows (priority 0), upper-cased as it prints them.
    fn headers(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.priority == 0)
            .map(|c| c.name.to_uppercase())
            .collect()
    }

    fn cell(&self, key: (&str, &str), column: &str) -> Value {
        let index = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .unwrap_or_else(|| panic!("a column {column}"));
        self.rows[&(key.0.to_string(), key.1.to_string())][index].clone()
    }
}

/// Reads the messages of the first list: Listing, Columns, the rows, Synced.
async fn listed(receiver: &mut UnboundedReceiver<TableMessage>) -> Listed {
    let TableMessage::Listing { resource } = next(receiver, "Listing").await else {
        panic!("a list begins with Listing");
    };
    let mut table = Listed {
        resource,
        columns: Vec::new(),
        rows: BTreeMap::new(),
    };
    loop {
        match next(receiver, "the listed rows").await {
            TableMessage::Columns { resource, columns } => {
                assert_eq!(resource, table.resource);
                table.columns = columns;
            }
            TableMessage::Row {
                resource,
                key,
                cells,
                ..
            } => {
                assert_eq!(resource, table.resource);
                assert_eq!(cells.len(), table.columns.len(), "a cell for each column");
                table.rows.insert(key, cells);
            }
            TableMessage::Synced { resource } => {
                assert_eq!(resource, table.resource);
                return table;
            }
            other => panic!("unexpected while listing: {other:?}"),
        }
    }
}

fn key(namespace: &str, name: &str) -> Key {
    (namespace.to_string(), name.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_finds_built_in_and_custom_resources_with_their_names() {
    let sim = start().await;
    let resources = resources_of(&sim).await;

    let pods = find(&resources, "", "pods");
    assert_eq!(pods.short_names, ["po"]);
    assert!(pods.namespaced);
    assert_eq!(pods.kind, "Pod");
    let deployments = find(&resources, "apps", "deployments");
    assert!(deployments.short_names.contains(&"deploy".to_string()));
    assert!(deployments.namespaced);
    assert_eq!(deployments.api_resource().api_version, "apps/v1");
    let nodes = find(&resources, "", "nodes");
    assert!(!nodes.namespaced);
    let ceph = find(&resources, "ceph.rook.io", "cephclusters");
    assert!(ceph.namespaced);
    assert_eq!(
        (ceph.kind.as_str(), ceph.singular.as_str()),
        ("CephCluster", "cephcluster")
    );
    assert!(
        ceph.names()
            .contains(&"cephclusters.ceph.rook.io".to_string())
    );

    assert!(
        resources.iter().all(|r| !r.plural.contains('/')),
        "no subresources"
    );
    assert!(
        resources
            .iter()
            .all(|r| r.verbs.iter().any(|v| v == "list") && r.verbs.iter().any(|v| v == "watch")),
        "only what can be listed and watched"
    );
    // metrics.k8s.io serves `pods` and `nodes` too, but they cannot be watched.
    assert!(resources.iter().all(|r| r.group != "metrics.k8s.io"));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn words_resolve_as_kubectl_resolves_them() {
    let sim = start().await;
    let resources = resources_of(&sim).await;
    let resolved = |word: &str| resolve(&resources, word).map(|r| r.qualified_plural());

    assert_eq!(resolved("po").as_deref(), Some("pods"));
    assert_eq!(resolved("deploy").as_deref(), Some("deployments.apps"));
    assert_eq!(resolved("Deployment").as_deref(), Some("deployments.apps"));
    assert_eq!(resolved("PODS").as_deref(), Some("pods"));
    for word in [
        "cephclusters",
        "cephcluster",
        "CephCluster",
        "cephclusters.ceph.rook.io",
    ] {
        assert_eq!(
            resolved(word).as_deref(),
            Some("cephclusters.ceph.rook.io"),
            "{word}"
        );
    }
    // Core events and events.k8s.io share the name; kubectl takes the core group's.
    assert_eq!(resolved("events").as_deref(), Some("events"));
    assert_eq!(
        resolved("events.events.k8s.io").as_deref(),
        Some("events.events.k8s.io")
    );
    assert_eq!(resolved("frobnicators"), None);
    assert_eq!(resolved("pods.ceph.rook.io"), None);

    let completed = completions(&resources, "de");
    for name in ["deploy", "deployment", "deployments", "deployments.apps"] {
        assert!(
            completed.contains(&name.to_string()),
            "{name} in {completed:?}"
        );
    }
    assert!(completed.iter().all(|name| name.starts_with("de")));
    let mut sorted = completed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(completed, sorted, "sorted, without repeats");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_watch_of_deployments_shows_the_printer_columns_and_follows_changes() {
    let sim = start().await;
    let client = sim.client().expect("a client");
    let resources = resources_of(&sim).await;
    let deployments = resolve(&resources, "deploy").expect("deployments").clone();
    let (sender, mut receiver) = unbounded_channel();
    let watch = spawn_table_watch(client.clone(), deployments, None, sender);

    let table = listed(&mut receiver).await;
    assert_eq!(table.resource, "deployments.apps");
    assert_eq!(
        table.headers(),
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    );
    assert_eq!(table.columns[0].format, "name");
    assert!(
        table
            .columns
            .iter()
            .any(|c| c.name == "Images" && c.priority == 1)
    );
    assert!(table.rows.contains_key(&key("shop", "checkout")));
    assert!(
        table.rows.keys().any(|(namespace, _)| namespace != "shop"),
        "every namespace"
    );
    assert_eq!(table.cell(("shop", "checkout"), "Name"), json!("checkout"));

    let api: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    api.patch(
        "checkout",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"replicas": 3}})),
    )
    .await
    .expect("the scale is accepted");
    let ready_column = table
        .columns
        .iter()
        .position(|c| c.name == "Ready")
        .expect("a Ready column");
    next_matching(&mut receiver, "the scaled row", |message| {
        matches!(message, TableMessage::Row { key: k, cells, created, .. }
            if *k == key("shop", "checkout")
                && created.is_some()
                && cells[ready_column].as_str().is_some_and(|ready| ready.ends_with("/3")))
    })
    .await;

    api.delete("checkout", &DeleteParams::default())
        .await
        .expect("the delete is accepted");
    next_matching(&mut receiver, "the deleted row", |message| {
        matches!(message, TableMessage::Deleted { resource, key: k }
            if resource == "deployments.apps" && *k == key("shop", "checkout"))
    })
    .await;

    // Without a receiver the watch ends by itself.
    drop(receiver);
    tokio::time::timeout(MESSAGE_LIMIT, watch)
        .await
        .expect("the watch ends once nobody listens")
        .expect("the watch task does not panic");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_resource_shows_its_additional_printer_columns() {
    let sim = start().await;
    let client = sim.client().expect("a client");
    let resources = resources_of(&sim).await;
    let ceph = resolve(&resources, "cephclusters.ceph.rook.io")
        .expect("cephclusters")
        .clone();

    let (sender, mut receiver) = unbounded_channel();
    let _watch = spawn_table_watch(client.clone(), ceph.clone(), None, sender);
    let everywhere = listed(&mut receiver).await;
    assert_eq!(everywhere.resource, "cephclusters.ceph.rook.io");
    assert_eq!(
        everywhere.headers(),
        [
            "NAME",
            "DATADIRHOSTPATH",
            "MONCOUNT",
            "AGE",
            "PHASE",
            "MESSAGE",
            "HEALTH"
        ]
    );
    assert_eq!(
        everywhere.rows.keys().cloned().collect::<Vec<_>>(),
        [
            key("rook-ceph", "rook-ceph"),
            key("rook-ceph-legacy", "legacy")
        ]
    );
    let rook = ("rook-ceph", "rook-ceph");
    assert_eq!(
        everywhere.cell(rook, "DataDirHostPath"),
        json!("/var/lib/rook")
    );
    assert_eq!(everywhere.cell(rook, "MonCount"), json!("3"));
    assert_eq!(everywhere.cell(rook, "Phase"), json!("Ready"));
    assert_eq!(everywhere.cell(rook, "Health"), json!("HEALTH_OK"));

    // Scoped to one namespace, only its objects are listed and watched.
    let (sender, mut receiver) = unbounded_channel();
    let _scoped = spawn_table_watch(client.clone(), ceph, Some("rook-ceph".into()), sender);
    let scoped = listed(&mut receiver).await;
    assert_eq!(
        scoped.rows.keys().cloned().collect::<Vec<_>>(),
        [key("rook-ceph", "rook-ceph")]
    );
    let clusters = Api::<kube::api::DynamicObject>::namespaced_with(
        client.clone(),
        "rook-ceph",
        &find(&resources, "ceph.rook.io", "cephclusters").api_resource(),
    );
    clusters
        .patch(
            "rook-ceph",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"mon": {"count": 5}}})),
        )
        .await
        .expect("the patch is accepted");
    let mon_count = scoped
        .columns
        .iter()
        .position(|c| c.name == "MonCount")
        .expect("a MonCount column");
    next_matching(&mut receiver, "the patched cluster", |message| {
        matches!(message, TableMessage::Row { key: k, cells, .. }
            if *k == key("rook-ceph", "rook-ceph") && cells[mon_count] == json!("5"))
    })
    .await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_scopes_only_namespaced_resources_and_failures_are_reported() {
    let sim = start().await;
    let client = sim.client().expect("a client");
    let resources = resources_of(&sim).await;

    // Nodes are not in namespaces: a namespace does not narrow them.
    let nodes = resolve(&resources, "no").expect("nodes").clone();
    let (sender, mut receiver) = unbounded_channel();
    let _nodes = spawn_table_watch(client.clone(), nodes, Some("shop".into()), sender);
    let table = listed(&mut receiver).await;
    assert_eq!(table.resource, "nodes");
    assert_eq!(table.rows.len(), ClusterShape::default().nodes);
    assert!(table.rows.keys().all(|(namespace, _)| namespace.is_empty()));
    assert_eq!(table.headers()[..2], ["NAME", "STATUS"]);

    // Pods in one namespace only.
    let pods = resolve(&resources, "po").expect("pods").clone();
    let (sender, mut receiver) = unbounded_channel();
    let _pods = spawn_table_watch(client.clone(), pods, Some("shop".into()), sender);
    let table = listed(&mut receiver).await;
    assert!(!table.rows.is_empty());
    assert!(table.rows.keys().all(|(namespace, _)| namespace == "shop"));

    // A resource the server does not serve fails with one line, and is retried.
    let missing = ResourceInfo {
        group: "example.com".into(),
        version: "v1".into(),
        kind: "Widget".into(),
        plural: "widgets".into(),
        singular: "widget".into(),
        short_names: Vec::new(),
        namespaced: true,
        verbs: vec!["list".into(), "watch".into()],
    };
    let (sender, mut receiver) = unbounded_channel();
    let _missing = spawn_table_watch(client, missing, None, sender);
    for attempt in ["the first failure", "the retried failure"] {
        let TableMessage::Failed {
            resource,
            error,
            forbidden,
        } = next(&mut receiver, attempt).await
        else {
            panic!("a failure");
        };
        assert_eq!(resource, "widgets.example.com");
        assert!(error.starts_with("list widgets.example.com: "), "{error}");
        assert!(error.contains("404"), "{error}");
        assert!(!error.contains('\n'));
        assert!(!forbidden);
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrative_kinds_open_by_their_short_names_in_kubectls_columns() {
    let sim = start().await;
    let client = sim.client().expect("a client");
    let resources = resources_of(&sim).await;
    // `:pc` is a pane of PriorityClasses with the API server's columns and cells.
    let classes = resolve(&resources, "pc")
        .expect("pc names PriorityClasses")
        .clone();
    assert_eq!(classes.plural, "priorityclasses");
    let (sender, mut receiver) = unbounded_channel();
    let _watch = spawn_table_watch(client.clone(), classes, None, sender);
    let pane = listed(&mut receiver).await;
    assert_eq!(
        pane.headers(),
        ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
    );
    assert_eq!(
        pane.cell(("", "system-node-critical"), "Value"),
        json!(2000001000)
    );
    assert_eq!(
        pane.cell(("", "system-node-critical"), "Global-Default"),
        json!(false)
    );
    // `:csr` likewise, empty until a request is made.
    let requests = resolve(&resources, "csr").expect("csr names CertificateSigningRequests");
    assert_eq!(requests.plural, "certificatesigningrequests");
    let (sender, mut receiver) = unbounded_channel();
    let _watch = spawn_table_watch(client.clone(), requests.clone(), None, sender);
    let pane = listed(&mut receiver).await;
    assert_eq!(
        pane.headers(),
        [
            "NAME",
            "AGE",
            "SIGNERNAME",
            "REQUESTOR",
            "REQUESTEDDURATION",
            "CONDITION"
        ]
    );
    assert!(pane.rows.is_empty());
    // ComponentStatuses cannot be watched, so no pane offers them.
    assert!(resolve(&resources, "cs").is_none());
    sim.stop().await;
}
