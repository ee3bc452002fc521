//! Initial lists as a big cluster serves them: streamed by one watch (`sendInitialEvents`, the
//! WatchList feature) or read in pages, the options checked as the API server checks them, and
//! the explorer's watches choosing between the two by what the server answers.

use std::time::Duration;

use axum::http::{Method, Request};
use kscope::cluster::watch::{ListStrategy, spawn_watch};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::sim::{ClusterShape, RunningSim};
use kube::Client;
use serde_json::Value;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

async fn start(watch_list: bool) -> RunningSim {
    start_with_pods(watch_list, 0).await
}

/// A simulator with `pods` generated pods besides the seeded ones.
async fn start_with_pods(watch_list: bool, pods: usize) -> RunningSim {
    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape {
            pods,
            ..ClusterShape::default()
        },
    )
    .await
    .expect("the simulator starts");
    sim.sim
        .watch_list
        .store(watch_list, std::sync::atomic::Ordering::Relaxed);
    sim
}

/// A raw GET answered as (status code, body).
async fn get(client: &Client, path: &str) -> (u16, Value) {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(Vec::new())
        .expect("a request");
    match client.request_text(request).await {
        Ok(text) => {
            // A watch answers lines; the first is enough here.
            let first = text.lines().next().unwrap_or("null");
            (200, serde_json::from_str(first).expect("JSON"))
        }
        Err(kube::Error::Api(status)) => (
            status.code,
            serde_json::to_value(&*status).expect("a status as JSON"),
        ),
        Err(error) => panic!("GET {path}: {error}"),
    }
}

const STREAMED: &str = "/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1";

#[tokio::test]
async fn a_server_without_watch_list_refuses_a_streamed_list_as_the_api_server_does() {
    let sim = start(false).await;
    let client = sim.client().expect("a client");
    let (code, status) = get(&client, STREAMED).await;
    assert_eq!(code, 422, "{status}");
    assert_eq!(status["reason"], "Invalid");
    assert_eq!(
        status["message"],
        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
    );
    assert_eq!(status["details"]["group"], "meta.k8s.io");
    assert_eq!(status["details"]["kind"], "ListOptions");
    assert_eq!(
        status["details"]["causes"][0]["reason"],
        "FieldValueForbidden"
    );
    assert_eq!(status["details"]["causes"][0]["field"], "sendInitialEvents");
    // A plain watch and a plain list are served.
    let (code, _) = get(&client, "/api/v1/pods?limit=1").await;
    assert_eq!(code, 200);
}

#[tokio::test]
async fn list_and_watch_options_are_checked_as_the_api_server_checks_them() {
    let sim = start(true).await;
    let client = sim.client().expect("a client");
    let cases = [
        (
            "/api/v1/pods?sendInitialEvents=true",
            "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list",
        ),
        (
            "/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true",
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ),
        (
            "/api/v1/pods?watch=true&resourceVersionMatch=NotOlderThan",
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ),
        (
            "/api/v1/pods?resourceVersionMatch=Exact",
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
        ),
        (
            "/api/v1/pods?resourceVersion=5&resourceVersionMatch=Newest",
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"",
        ),
    ];
    for (path, message) in cases {
        let (code, status) = get(&client, path).await;
        assert_eq!(code, 422, "{path}: {status}");
        assert_eq!(status["message"], message, "{path}");
    }
    // The streamed list itself: its first line is an object, its end a bookmark.
    let (code, first) = get(&client, STREAMED).await;
    assert_eq!(code, 200);
    assert_eq!(first["type"], "ADDED", "{first}");
}

/// The watch's messages, one at a time (a batch's in order), until `wanted` says what to
/// return; a failure of the watch fails the test.
async fn watch_until<T>(
    receiver: &mut UnboundedReceiver<ClusterMessage>,
    what: &str,
    mut wanted: impl FnMut(ClusterMessage) -> Option<T>,
) -> T {
    loop {
        let received = tokio::time::timeout(Duration::from_secs(20), receiver.recv())
            .await
            .unwrap_or_else(|_| panic!("{what} within 20 s"))
            .expect("the watch is running");
        for message in received.into_each() {
            if let ClusterMessage::Failed { error, .. } = &message {
                panic!("the watch failed: {error}");
            }
            if let Some(found) = wanted(message) {
                return found;
            }
        }
    }
}

/// Everything a watch sends until its initial list is complete: the objects applied.
async fn initial_list(receiver: &mut UnboundedReceiver<ClusterMessage>) -> usize {
    let mut applied = 0;
    watch_until(receiver, "the initial list", |message| {
        match message {
            ClusterMessage::Listing { .. } => applied = 0,
            ClusterMessage::Applied { .. } => applied += 1,
            ClusterMessage::Synced { .. } => return Some(applied),
            _ => {}
        }
        None
    })
    .await
}

#[tokio::test]
async fn the_explorer_streams_its_lists_and_reads_pages_from_a_server_that_refuses() {
    for watch_list in [true, false] {
        let sim = start(watch_list).await;
        let all: kube::Api<k8s_openapi::api::core::v1::Pod> =
            kube::Api::all(sim.client().expect("a client"));
        let pods = all
            .list(&Default::default())
            .await
            .expect("pods list")
            .items
            .len();
        let lists = ListStrategy::default();
        let (sender, mut receiver) = unbounded_channel();
        let client = sim.client().expect("a client");
        let watch = spawn_watch(client, WatchedKind::Pods, None, lists.clone(), sender);
        assert_eq!(
            initial_list(&mut receiver).await,
            pods,
            "watch list {watch_list}"
        );
        // Whether it had to fall back, learned for the server's other watches.
        assert_eq!(lists.pages(), !watch_list);
        // The refusal is no failure the user sees; changes keep coming either way.
        let (second_sender, mut second) = unbounded_channel();
        let nodes = spawn_watch(
            sim.client().expect("a client"),
            WatchedKind::Nodes,
            None,
            lists.clone(),
            second_sender,
        );
        assert!(initial_list(&mut second).await >= 4);
        watch.abort();
        nodes.abort();
    }
}

/// The next message about `name` in `default`, skipping others; a failure fails the test.
async fn next_about(
    receiver: &mut UnboundedReceiver<ClusterMessage>,
    name: &str,
    deleted: bool,
) -> ClusterMessage {
    let key = ("default".to_string(), name.to_string());
    watch_until(receiver, "the change", |message| match &message {
        ClusterMessage::Applied { object, .. } if !deleted && object.key() == key => Some(message),
        ClusterMessage::Deleted { key: gone, .. } if deleted && *gone == key => Some(message),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn changes_after_the_list_come_as_they_happen_streamed_or_paged() {
    use k8s_openapi::api::core::v1::Pod;
    for watch_list in [true, false] {
        let sim = start(watch_list).await;
        let client = sim.client().expect("a client");
        let pods: kube::Api<Pod> = kube::Api::namespaced(client.clone(), "default");
        let (sender, mut receiver) = unbounded_channel();
        let lists = ListStrategy::default();
        let watch = spawn_watch(client, WatchedKind::Pods, None, lists.clone(), sender);
        initial_list(&mut receiver).await;
        assert_eq!(lists.pages(), !watch_list);
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "late", "labels": {"app": "late"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}
        }))
        .expect("a pod");
        pods.create(&Default::default(), &pod)
            .await
            .expect("created");
        match next_about(&mut receiver, "late", false).await {
            ClusterMessage::Applied {
                object: kscope::model::watched::WatchedObject::Pod(pod),
                ..
            } => assert_eq!(pod.labels.get("app").map(String::as_str), Some("late")),
            other => panic!("{other:?}"),
        }
        pods.delete("late", &kube::api::DeleteParams::default().grace_period(0))
            .await
            .expect("deleted");
        next_about(&mut receiver, "late", true).await;
        watch.abort();
    }
}

/// Every page of a paged list, with the revision and remaining count each answered.
async fn pages(client: &Client, first: &str) -> Vec<Value> {
    let mut answers = Vec::new();
    let mut path = first.to_string();
    loop {
        let (code, page) = get(client, &path).await;
        assert_eq!(code, 200, "{page}");
        let token = page["metadata"]["continue"]
            .as_str()
            .unwrap_or("")
            .to_string();
        answers.push(page);
        if token.is_empty() {
            return answers;
        }
        path = format!("{first}&continue={token}");
    }
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            format!(
                "{}/{}",
                item["metadata"]["namespace"].as_str().unwrap_or(""),
                item["metadata"]["name"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[tokio::test]
async fn every_page_of_a_list_is_read_at_its_first_pages_revision() {
    let sim = start(true).await;
    let client = sim.client().expect("a client");
    let maps: kube::Api<k8s_openapi::api::core::v1::ConfigMap> = kube::Api::all(client.clone());
    let before: Vec<String> = names(&get(&client, "/api/v1/configmaps").await.1);
    assert!(before.len() >= 6, "{before:?}");
    // The first page, then changes behind it and ahead of it, then the other pages.
    let (_, first) = get(&client, "/api/v1/configmaps?limit=2").await;
    let revision = first["metadata"]["resourceVersion"].clone();
    assert_eq!(
        first["metadata"]["remainingItemCount"],
        before.len() - 2,
        "{first}"
    );
    let token = first["metadata"]["continue"].as_str().expect("a token");
    let last = before.last().expect("a last map").clone();
    let (namespace, name) = last.split_once('/').expect("namespace/name");
    kube::Api::<k8s_openapi::api::core::v1::ConfigMap>::namespaced(client.clone(), namespace)
        .delete(name, &Default::default())
        .await
        .expect("deleted");
    let added: k8s_openapi::api::core::v1::ConfigMap = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "zz-late", "namespace": "zz-late-ns"}, "data": {}
    }))
    .expect("a ConfigMap");
    let namespaces: kube::Api<k8s_openapi::api::core::v1::Namespace> =
        kube::Api::all(client.clone());
    namespaces
        .create(
            &Default::default(),
            &serde_json::from_value(serde_json::json!({"metadata": {"name": "zz-late-ns"}}))
                .expect("a Namespace"),
        )
        .await
        .expect("a namespace");
    kube::Api::<k8s_openapi::api::core::v1::ConfigMap>::namespaced(client.clone(), "zz-late-ns")
        .create(&Default::default(), &added)
        .await
        .expect("created");
    let rest = pages(
        &client,
        &format!("/api/v1/configmaps?limit=2&continue={token}"),
    )
    .await;
    let mut seen = names(&first);
    for page in &rest {
        assert_eq!(page["metadata"]["resourceVersion"], revision, "{page}");
        seen.extend(names(page));
    }
    // What the list held at its first page, no more, no less.
    assert_eq!(seen, before);
    // A new list sees the changes.
    let now = names(&get(&client, "/api/v1/configmaps").await.1);
    assert!(now.contains(&"zz-late-ns/zz-late".to_string()));
    assert!(!now.contains(&last));
    drop(maps);
}

#[tokio::test]
async fn a_continue_token_older_than_the_history_is_gone_as_the_api_server_says() {
    let sim = start(true).await;
    let client = sim.client().expect("a client");
    let everything = names(&get(&client, "/api/v1/configmaps").await.1);
    let (_, first) = get(&client, "/api/v1/configmaps?limit=2").await;
    let token = first["metadata"]["continue"].as_str().expect("a token");
    // A change, then a compaction past the first page's revision.
    let maps: kube::Api<k8s_openapi::api::core::v1::ConfigMap> =
        kube::Api::namespaced(client.clone(), "default");
    maps.create(
        &Default::default(),
        &serde_json::from_value(serde_json::json!({"metadata": {"name": "after"}}))
            .expect("a ConfigMap"),
    )
    .await
    .expect("created");
    sim.sim.store.compact();
    let (code, status) = get(
        &client,
        &format!("/api/v1/configmaps?limit=2&continue={token}"),
    )
    .await;
    assert_eq!(code, 410, "{status}");
    assert_eq!(status["reason"], "Expired");
    assert_eq!(
        status["message"],
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
    );
    // Its token continues where the list was, at the latest revision.
    let inconsistent = status["metadata"]["continue"].as_str().expect("a token on");
    let rest = pages(
        &client,
        &format!("/api/v1/configmaps?limit=2&continue={inconsistent}"),
    )
    .await;
    let mut seen = names(&first);
    seen.extend(rest.iter().flat_map(names));
    let mut expected = everything.clone();
    expected.push("default/after".to_string());
    expected.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_paged_list_whose_tokens_keep_expiring_is_read_whole_not_restarted_for_ever() {
    let sim = start_with_pods(false, 3000).await;
    let client = sim.client().expect("a client");
    let all: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::all(client.clone());
    let pods = all
        .list(&Default::default())
        .await
        .expect("pods")
        .items
        .len();
    // A cluster whose history is compacted past every page as soon as it is read.
    let compactor = {
        let sim = sim.sim.clone();
        let maps: kube::Api<k8s_openapi::api::core::v1::ConfigMap> =
            kube::Api::namespaced(client.clone(), "default");
        tokio::spawn(async move {
            for round in 0.. {
                let map = serde_json::from_value(serde_json::json!({
                    "metadata": {"name": format!("tick-{round}")}
                }))
                .expect("a ConfigMap");
                let _ = maps.create(&Default::default(), &map).await;
                sim.store.compact();
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let lists = ListStrategy::default();
    let (sender, mut receiver) = unbounded_channel();
    let watch = spawn_watch(client, WatchedKind::Pods, None, lists.clone(), sender);
    assert_eq!(initial_list(&mut receiver).await, pods);
    assert!(lists.pages());
    compactor.abort();
    watch.abort();
}

/// A client that takes a 504 as the answer it is, where kube's default policy retries it.
fn client_without_retries(sim: &RunningSim) -> Client {
    use base64::Engine as _;
    let pem: String = sim
        .ca_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(pem)
        .expect("the CA's DER");
    let mut config = kube::Config::new(sim.url.parse().expect("the simulator's URL"));
    config.auth_info.token = Some(sim.token.clone().into());
    config.root_cert = Some(vec![der]);
    config.default_retry = false;
    Client::try_from(config).expect("a client")
}

#[tokio::test]
async fn a_list_is_read_at_the_resource_version_it_names() {
    use k8s_openapi::api::core::v1::ConfigMap;
    let sim = start(true).await;
    let client = sim.client().expect("a client");
    let maps: kube::Api<ConfigMap> = kube::Api::namespaced(client.clone(), "default");
    let (code, then) = get(&client, "/api/v1/namespaces/default/configmaps").await;
    assert_eq!(code, 200, "{then}");
    let revision = then["metadata"]["resourceVersion"]
        .as_str()
        .expect("a resourceVersion")
        .to_string();
    let before = names(&then);
    let gone = before
        .first()
        .expect("a seeded ConfigMap in default")
        .clone();
    // Changes after the list: one ConfigMap added, one deleted.
    maps.create(
        &Default::default(),
        &serde_json::from_value(serde_json::json!({"metadata": {"name": "later"}}))
            .expect("a ConfigMap"),
    )
    .await
    .expect("created");
    maps.delete(gone.split('/').nth(1).unwrap_or(""), &Default::default())
        .await
        .expect("deleted");
    let at = |query: &str| format!("/api/v1/namespaces/default/configmaps?{query}");

    // Exact: the list as it was, at its revision.
    let (code, exact) = get(
        &client,
        &at(&format!(
            "resourceVersion={revision}&resourceVersionMatch=Exact"
        )),
    )
    .await;
    assert_eq!(code, 200, "{exact}");
    assert_eq!(exact["metadata"]["resourceVersion"], revision.as_str());
    assert_eq!(names(&exact), before);
    // A paged list at a resourceVersion is exact too (its legacy meaning), page after page.
    let (code, first) = get(&client, &at(&format!("resourceVersion={revision}&limit=1"))).await;
    assert_eq!(code, 200, "{first}");
    assert_eq!(first["metadata"]["resourceVersion"], revision.as_str());
    let token = first["metadata"]["continue"].as_str().unwrap_or("");
    let mut paged = names(&first);
    if !token.is_empty() {
        for page in pages(&client, &at(&format!("limit=1&continue={token}"))).await {
            paged.extend(names(&page));
        }
    }
    assert_eq!(paged, before);
    // NotOlderThan, or no match without a limit: the latest.
    for query in [
        format!("resourceVersion={revision}&resourceVersionMatch=NotOlderThan"),
        format!("resourceVersion={revision}"),
    ] {
        let (code, latest) = get(&client, &at(&query)).await;
        assert_eq!(code, 200, "{latest}");
        let latest = names(&latest);
        assert!(
            latest.contains(&"default/later".to_string()),
            "{query}: {latest:?}"
        );
        assert!(!latest.contains(&gone), "{query}: {latest:?}");
    }
    // A match without a resourceVersion is refused as the API server's validation refuses it.
    let (code, status) = get(&client, &at("resourceVersionMatch=Exact")).await;
    assert_eq!(code, 422, "{status}");
    assert_eq!(
        status["message"],
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"
    );

    // A revision the store has not reached is waited for (the controllers write about once
    // a second, and a write is made meanwhile)...
    let current: u64 = get(&client, &at("")).await.1["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|r| r.parse().ok())
        .expect("a revision");
    let writer = maps.clone();
    let write = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        writer
            .create(
                &Default::default(),
                &serde_json::from_value(serde_json::json!({"metadata": {"name": "awaited"}}))
                    .expect("a ConfigMap"),
            )
            .await
            .expect("created")
    });
    let next = current + 1;
    let (code, awaited) = get(
        &client,
        &at(&format!(
            "resourceVersion={next}&resourceVersionMatch=Exact"
        )),
    )
    .await;
    assert_eq!(code, 200, "{awaited}");
    assert_eq!(awaited["metadata"]["resourceVersion"], next.to_string());
    // ...and each revision's list holds what was written up to it.
    let written: u64 = write
        .await
        .expect("the write")
        .metadata
        .resource_version
        .and_then(|r| r.parse().ok())
        .expect("the write's revision");
    for (revision, holds) in [(written - 1, false), (written, true)] {
        let (code, list) = get(
            &client,
            &at(&format!(
                "resourceVersion={revision}&resourceVersionMatch=Exact"
            )),
        )
        .await;
        assert_eq!(code, 200, "{list}");
        assert_eq!(
            names(&list).contains(&"default/awaited".to_string()),
            holds,
            "at {revision}: {list}"
        );
    }
    // One it does not reach within three seconds is refused as the watch cache refuses it
    // (read without kube's retries, which would ask again on a 504).
    let far = written + 1000;
    let started = std::time::Instant::now();
    let (code, status) = get(
        &client_without_retries(&sim),
        &at(&format!("resourceVersion={far}&resourceVersionMatch=Exact")),
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(2900), "{status}");
    assert_eq!(code, 504, "{status}");
    assert_eq!(status["reason"], "Timeout");
    let message = status["message"].as_str().unwrap_or("");
    let current = message
        .strip_prefix(&format!(
            "Timeout: Too large resource version: {far}, current: "
        ))
        .and_then(|c| c.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{status}"));
    assert!(current >= written && current < far, "{status}");
    assert_eq!(status["details"]["retryAfterSeconds"], 1, "{status}");
    assert_eq!(
        status["details"]["causes"][0]["reason"], "ResourceVersionTooLarge",
        "{status}"
    );

    // Once the history no longer reaches the revision, the list is gone.
    sim.sim.store.compact();
    let (code, status) = get(
        &client,
        &at(&format!(
            "resourceVersion={revision}&resourceVersionMatch=Exact"
        )),
    )
    .await;
    assert_eq!(code, 410, "{status}");
    assert_eq!(status["reason"], "Expired");
    assert_eq!(
        status["message"],
        "The resourceVersion for the provided list is too old."
    );
}

/// A GET's status, its Content-Length if it said one, and its body's bytes.
async fn raw_get(client: &Client, path: &str) -> (u16, Option<usize>, Vec<u8>) {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(kube::client::Body::empty())
        .expect("a request");
    let response = client.send(request).await.expect("an answer");
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let status = response.status().as_u16();
    let bytes = crate::support::body_bytes(response.into_body()).await;
    (status, length, bytes)
}

/// As the API server has since Kubernetes 1.33 (streaming collection encoding), a list larger
/// than a chunk is sent as it is encoded, its length not said ahead; a small one goes whole,
/// with its length. Either reads as the list a client reads in pages.
#[tokio::test]
async fn a_large_list_is_sent_as_it_is_encoded_and_reads_as_the_same_list() {
    let sim = start_with_pods(true, 400).await;
    let client = sim.client().expect("a client");
    let (status, length, body) = raw_get(&client, "/api/v1/pods").await;
    assert_eq!(status, 200);
    assert!(body.len() > 256 * 1024, "{} bytes", body.len());
    assert_eq!(
        length,
        None,
        "a list of {} bytes said its length",
        body.len()
    );
    let whole: Value = serde_json::from_slice(&body).expect("the list is JSON");
    assert_eq!(whole["kind"], "PodList");
    assert_eq!(whole["apiVersion"], "v1");
    assert!(
        whole["metadata"]["resourceVersion"].is_string(),
        "{}",
        whole["metadata"]
    );
    let paged: Vec<String> = pages(&client, "/api/v1/pods?limit=150")
        .await
        .iter()
        .flat_map(names)
        .collect();
    assert!(paged.len() > 400, "{} pods", paged.len());
    assert_eq!(names(&whole), paged);

    let (status, length, body) = raw_get(&client, "/api/v1/namespaces").await;
    assert_eq!(status, 200);
    assert_eq!(length, Some(body.len()));
    let namespaces: Value = serde_json::from_slice(&body).expect("the list is JSON");
    assert_eq!(namespaces["kind"], "NamespaceList");
    assert!(names(&namespaces).iter().any(|n| n == "/default"));
}
