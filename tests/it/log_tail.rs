//! The log tail against the simulated cluster: lines in order and batched, every container of
//! a pod with its name, previous runs, tails, timestamps, the server's errors, a followed
//! container that ends, and a dropped stream resumed without repeating a line.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::Pod;
use kscope::cluster::logs::spawn_log_tail;
use kscope::model::log_stream::{ContainerChoice, LogLine, LogMessage, LogRequest, StreamState};
use kscope::sim::RunningSim;
use kube::api::{Api, ListParams, PostParams};
use kube::{Client, ResourceExt};
use serde_json::json;
use tokio::sync::mpsc;

/// How long a tail may take to say what the test waits for.
const LIMIT: Duration = Duration::from_secs(30);
/// The annotation that makes the simulator drop followed streams (see `src/sim/logs.rs`).
const FOLLOW_DROP_ANNOTATION: &str = "sim.kscope.dev/log-follow-drop-seconds";

async fn start() -> RunningSim {
    kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        kscope::sim::ClusterShape::default(),
    )
    .await
    .expect("the simulator starts")
}

fn client_of(sim: &RunningSim) -> Client {
    sim.client().expect("a client for the simulator")
}

/// The name of a live pod of `app` in `namespace`.
async fn pod_of(client: &Client, namespace: &str, app: &str) -> String {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    pods.list(&ListParams::default().labels(&format!("app={app}")))
        .await
        .expect("pods list")
        .items
        .into_iter()
        .find(|p| p.metadata.deletion_timestamp.is_none())
        .unwrap_or_else(|| panic!("a pod of {app}"))
        .name_any()
}

fn request(namespace: &str, pod: &str, container: ContainerChoice) -> LogRequest {
    LogRequest {
        namespace: namespace.to_string(),
        pods: vec![pod.to_string()],
        container,
        previous: false,
        timestamps: false,
        since: None,
        tail_lines: None,
        follow: false,
    }
}

/// What a tail said, gathered.
#[derive(Debug, Default)]
struct Heard {
    lines: Vec<LogLine>,
    batches: usize,
    /// (pod, container, state), in order.
    states: Vec<(String, String, StreamState)>,
}

impl Heard {
    fn lines_of(&self, container: &str) -> Vec<&LogLine> {
        self.lines
            .iter()
            .filter(|l| &*l.container == container)
            .collect()
    }

    fn last_state_of(&self, container: &str) -> Option<&StreamState> {
        self.states
            .iter()
            .rev()
            .find(|(_, c, _)| c == container)
            .map(|(_, _, s)| s)
    }

    fn settled(&self) -> usize {
        self.states
            .iter()
            .filter(|(_, _, s)| matches!(s, StreamState::Ended | StreamState::Failed(_)))
            .count()
    }
}

/// Runs `request` until `done` says so (or the task ends), within `LIMIT`.
async fn tail_until(client: &Client, request: LogRequest, done: impl Fn(&Heard) -> bool) -> Heard {
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let task = spawn_log_tail(client.clone(), request, sender);
    let mut heard = Heard::default();
    let deadline = tokio::time::Instant::now() + LIMIT;
    while !done(&heard) {
        match tokio::time::timeout_at(deadline, receiver.recv()).await {
            Ok(Some(LogMessage::Lines(lines))) => {
                assert!(!lines.is_empty(), "no empty batches");
                heard.batches += 1;
                heard.lines.extend(lines);
            }
            Ok(Some(LogMessage::Status {
                pod,
                container,
                state,
            })) => heard
                .states
                .push((pod.to_string(), container.to_string(), state)),
            Ok(None) => break,
            Err(_) => panic!("gave up after {LIMIT:?}; heard {heard:#?}"),
        }
    }
    task.abort();
    heard
}

/// Until every one of `streams` has ended or failed.
fn settled(streams: usize) -> impl Fn(&Heard) -> bool {
    move |heard| heard.settled() >= streams
}

fn assert_in_order_two_seconds_apart(lines: &[&LogLine]) {
    for pair in lines.windows(2) {
        let (a, b) = (pair[0].at.expect("a time"), pair[1].at.expect("a time"));
        assert_eq!(
            b.duration_since(a),
            SignedDuration::from_secs(2),
            "consecutive lines, none repeated or missing: {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_containers_lines_arrive_in_order_with_the_tail_asked_for() {
    let sim = start().await;
    let client = client_of(&sim);
    let web = pod_of(&client, "shop", "web").await;
    let mut asked = request("shop", &web, ContainerChoice::One("nginx".into()));
    asked.tail_lines = Some(40);
    let heard = tail_until(&client, asked, settled(1)).await;
    assert_eq!(heard.lines.len(), 40, "{heard:#?}");
    assert_eq!(
        heard.states.iter().map(|s| &s.2).collect::<Vec<_>>(),
        vec![&StreamState::Streaming, &StreamState::Ended]
    );
    let lines: Vec<&LogLine> = heard.lines.iter().collect();
    assert_in_order_two_seconds_apart(&lines);
    for line in &lines {
        assert_eq!((&*line.pod, &*line.container), (web.as_str(), "nginx"));
        assert!(line.text.contains("\"GET "), "an nginx line: {line:?}");
        assert!(
            line.text.starts_with("10.244."),
            "no timestamp unless asked: {line:?}"
        );
    }
    // The same lines kubectl logs --tail shows (the log may have grown by a line since).
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let params = kube::api::LogParams {
        container: Some("nginx".into()),
        tail_lines: Some(45),
        ..Default::default()
    };
    let direct = pods.logs(&web, &params).await.expect("the log");
    let ours: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    assert!(direct.contains(&ours), "{direct}\n---\n{ours}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timestamps_are_parsed_and_shown_when_asked() {
    let sim = start().await;
    let client = client_of(&sim);
    let web = pod_of(&client, "shop", "web").await;
    let mut asked = request("shop", &web, ContainerChoice::One("nginx".into()));
    asked.tail_lines = Some(3);
    asked.timestamps = true;
    let heard = tail_until(&client, asked, settled(1)).await;
    assert_eq!(heard.lines.len(), 3, "{heard:#?}");
    let now = Timestamp::now();
    for line in &heard.lines {
        let at = line.at.expect("the kubelet's time");
        let (prefix, rest) = line.text.split_once(' ').expect("a prefix");
        assert_eq!(
            prefix.parse::<Timestamp>().expect("RFC 3339"),
            at,
            "{line:?}"
        );
        assert!(rest.starts_with("10.244."), "{line:?}");
        assert!(at <= now && now.duration_since(at) < SignedDuration::from_secs(60));
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_containers_arrive_with_their_names() {
    let sim = start().await;
    let client = client_of(&sim);
    // gateway: a sidecar (an init container that keeps running) and the gateway.
    let gateway = pod_of(&client, "edge", "gateway").await;
    let mut asked = request("edge", &gateway, ContainerChoice::All);
    asked.tail_lines = Some(5);
    let heard = tail_until(&client, asked, settled(2)).await;
    for container in ["proxy", "gateway"] {
        let lines = heard.lines_of(container);
        assert_eq!(lines.len(), 5, "{container}: {heard:#?}");
        assert!(lines.iter().all(|l| *l.pod == *gateway));
        assert_in_order_two_seconds_apart(&lines);
        assert_eq!(heard.last_state_of(container), Some(&StreamState::Ended));
    }
    let containers: BTreeSet<&str> = heard.lines.iter().map(|l| &*l.container).collect();
    assert_eq!(containers, BTreeSet::from(["gateway", "proxy"]));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_containers_leaves_out_init_containers_that_never_ran() {
    let sim = start().await;
    let client = client_of(&sim);
    // orders-0: its migration init container crash-loops, so warm-cache never ran and the
    // orders container waits to start.
    let mut asked = request("shop", "orders-0", ContainerChoice::All);
    asked.tail_lines = Some(20);
    let heard = tail_until(&client, asked, settled(2)).await;
    let streams: BTreeSet<&str> = heard.states.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(streams, BTreeSet::from(["migrate", "orders"]), "{heard:#?}");
    assert!(
        heard
            .lines_of("migrate")
            .iter()
            .any(|l| l.text.contains("migration aborted")),
        "{heard:#?}"
    );
    assert_eq!(
        heard.last_state_of("orders"),
        Some(&StreamState::Failed(
            "container \"orders\" in pod \"orders-0\" is waiting to start: PodInitializing".into()
        )),
        "{heard:#?}"
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_run_of_a_crash_looping_container() {
    let sim = start().await;
    let client = client_of(&sim);
    let checkout = pod_of(&client, "shop", "checkout").await;
    let mut asked = request("shop", &checkout, ContainerChoice::One("checkout".into()));
    asked.previous = true;
    // Following a previous run makes no sense; it is read once and ends.
    asked.follow = true;
    let heard = tail_until(&client, asked, settled(1)).await;
    assert!(
        heard
            .lines
            .iter()
            .any(|l| l.text.contains("heap usage high")),
        "the OOM-killed run's last words: {heard:#?}"
    );
    assert_eq!(heard.last_state_of("checkout"), Some(&StreamState::Ended));

    // A container that never restarted has no previous run: the server says so.
    let web = pod_of(&client, "shop", "web").await;
    let mut asked = request("shop", &web, ContainerChoice::One("nginx".into()));
    asked.previous = true;
    let heard = tail_until(&client, asked, settled(1)).await;
    assert_eq!(
        heard.last_state_of("nginx"),
        Some(&StreamState::Failed(format!(
            "previous terminated container \"nginx\" in pod \"{web}\" not found"
        )))
    );
    assert!(heard.lines.is_empty());
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_container_fails_with_the_servers_words_even_when_following() {
    let sim = start().await;
    let client = client_of(&sim);
    let web = pod_of(&client, "shop", "web").await;
    let mut asked = request("shop", &web, ContainerChoice::One("sidecar".into()));
    asked.follow = true;
    let heard = tail_until(&client, asked, settled(1)).await;
    assert_eq!(
        heard.states,
        vec![(
            web.clone(),
            "sidecar".to_string(),
            StreamState::Failed(format!("container sidecar is not valid for pod {web}"))
        )]
    );
    // A pod that does not exist, with all containers: the pod cannot be read.
    let heard = tail_until(
        &client,
        request("shop", "no-such-pod", ContainerChoice::All),
        settled(1),
    )
    .await;
    assert_eq!(
        heard.states,
        vec![(
            "no-such-pod".to_string(),
            String::new(),
            StreamState::Failed("pods \"no-such-pod\" not found".into())
        )]
    );
    sim.stop().await;
}

/// Creates a pod on worker-1 that runs `image`, with `annotations`.
async fn create_pod(client: &Client, name: &str, image: &str, annotations: serde_json::Value) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "default");
    let pod: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "annotations": annotations},
        "spec": {"nodeName": "worker-1", "restartPolicy": "Never",
                 "containers": [{"name": "main", "image": image}]}
    }))
    .expect("a pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("the pod is created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_container_that_finishes_ends_its_stream_with_its_last_words() {
    let sim = start().await;
    let client = client_of(&sim);
    // busybox runs five seconds: ticks at 0, 2 and 4 s, then it exits.
    create_pod(&client, "short", "busybox:1.37", json!({})).await;
    let asked = LogRequest::following("default", vec!["short".into()], ContainerChoice::All);
    let heard = tail_until(&client, asked, settled(1)).await;
    let texts: Vec<&str> = heard.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "tick 0",
            "tick 1",
            "tick 2",
            "{\"level\":\"info\",\"msg\":\"work finished, exiting\"}"
        ],
        "{heard:#?}"
    );
    assert_eq!(heard.last_state_of("main"), Some(&StreamState::Ended));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_stream_reconnects_and_resumes_without_repeating_a_line() {
    let sim = start().await;
    let client = client_of(&sim);
    // The simulator cuts this pod's followed streams after 2.5 s; a line comes every 2 s.
    create_pod(
        &client,
        "flaky",
        "nginx:1.27",
        json!({FOLLOW_DROP_ANNOTATION: "2.5"}),
    )
    .await;
    let mut asked = LogRequest::following(
        "default",
        vec!["flaky".into()],
        ContainerChoice::One("main".into()),
    );
    asked.tail_lines = None;
    // Two drops, and lines from the third connection on.
    let heard = tail_until(&client, asked, |heard| {
        let connections = heard
            .states
            .iter()
            .filter(|s| s.2 == StreamState::Streaming)
            .count();
        connections >= 3 && heard.lines.len() >= 5
    })
    .await;
    let drops: Vec<&String> = heard
        .states
        .iter()
        .filter_map(|s| match &s.2 {
            StreamState::Reconnecting { error, .. } if !error.contains("waiting to start") => {
                Some(error)
            }
            _ => None,
        })
        .collect();
    assert!(drops.len() >= 2, "{heard:#?}");
    assert!(
        drops.iter().all(|e| !e.contains('\n')),
        "one line: {drops:?}"
    );
    let lines: Vec<&LogLine> = heard.lines.iter().collect();
    assert_eq!(lines[0].at, lines.iter().filter_map(|l| l.at).min());
    assert_in_order_two_seconds_apart(&lines);
    let texts: BTreeSet<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts.len(), lines.len(), "no line twice");
    sim.stop().await;
}

/// A loopback API server whose one container log is a 100 MiB line without a newline until its
/// end, then a short line (plain HTTP, chunked, as the kubelet streams through the API server).
fn serve_one_huge_line() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                let mut out = stream;
                let _ = out.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                );
                let mut chunk = |bytes: &[u8]| {
                    let _ = write!(out, "{:x}\r\n", bytes.len());
                    let _ = out.write_all(bytes);
                    out.write_all(b"\r\n")
                };
                let _ = chunk(b"2026-11-21T10:00:00.000000000Z ");
                let block = vec![b'x'; 1 << 20];
                for _ in 0..100 {
                    if chunk(&block).is_err() {
                        return;
                    }
                }
                let _ = chunk(b"\n2026-11-21T10:00:01.000000000Z after\n");
                let _ = out.write_all(b"0\r\n\r\n");
            });
        }
    });
    url
}

/// A 100 MiB line is kept as its first 64 KiB and says how much was cut; the line after it
/// arrives whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_mebibyte_line_is_cut_at_the_limit_and_the_next_one_arrives() {
    let url = serve_one_huge_line();
    let mut config = kube::Config::new(url.parse().unwrap());
    config.default_namespace = "lab".into();
    let client = Client::try_from(config).expect("a client");
    let heard = tail_until(
        &client,
        request("lab", "big", ContainerChoice::One("c".into())),
        settled(1),
    )
    .await;
    let texts: Vec<&str> = heard.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "{:?}", heard.states);
    // The limit counts the line as the kubelet sent it, timestamp prefix included.
    let (kept, said) = texts[0]
        .split_once(' ')
        .expect("the kept bytes, then what was cut");
    assert!(
        kept.bytes().all(|b| b == b'x'),
        "only the line's own bytes kept"
    );
    let prefix = "2026-11-21T10:00:00.000000000Z ".len();
    assert_eq!(kept.len(), 64 * 1024 - prefix, "the first 64 KiB kept");
    assert_eq!(
        said,
        format!("… [{} more bytes cut]", 100 * (1 << 20) - kept.len())
    );
    assert_eq!(texts[1], "after");
}
