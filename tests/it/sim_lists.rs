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
    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape::default(),
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

/// Everything a watch sends until its initial list is complete: the objects applied.
async fn initial_list(receiver: &mut UnboundedReceiver<ClusterMessage>) -> usize {
    let mut applied = 0;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), receiver.recv())
            .await
            .expect("the initial list within 20 s")
            .expect("the watch is running");
        match message {
            ClusterMessage::Listing { .. } => applied = 0,
            ClusterMessage::Applied { .. } => applied += 1,
            ClusterMessage::Synced { .. } => return applied,
            ClusterMessage::Failed { error, .. } => panic!("the watch failed: {error}"),
            _ => {}
        }
    }
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
