//! Wire and data details of the simulator as the real kubectl meets them: objects as the API
//! server and its controllers leave them, aggregated discovery, and HTTP/2 where a client
//! offers it.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::kubectl::{Cluster, Table};
use support::sim_process::SimProcess;

fn json_of(c: &Cluster, args: &[&str]) -> Value {
    let run = c.kubectl(args).ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

#[test]
fn endpoints_are_as_old_as_their_services_and_the_api_server_has_its_own() {
    let c = Cluster::start();
    let run = c
        .kubectl(&["get", "endpoints", "-n", "default", "kubernetes"])
        .ok();
    let table = run.table();
    assert_eq!(
        table.row("NAME", "kubernetes").get("ENDPOINTS"),
        "10.0.1.10:6443",
        "{run}"
    );
    // The control plane's InternalIP, where the API server's host-network pod runs.
    let node = json_of(&c, &["get", "node", "cp-1", "-o", "json"]);
    assert_eq!(node["status"]["addresses"][0]["address"], "10.0.1.10");
    let services = json_of(&c, &["get", "services", "-A", "-o", "json"]);
    let endpoints = json_of(&c, &["get", "endpoints", "-A", "-o", "json"]);
    let items = services["items"].as_array().expect("services");
    assert!(items.len() >= 4, "{services}");
    for service in items {
        let (namespace, name) = (
            &service["metadata"]["namespace"],
            &service["metadata"]["name"],
        );
        let Some(found) = endpoints["items"]
            .as_array()
            .expect("endpoints")
            .iter()
            .find(|e| &e["metadata"]["namespace"] == namespace && &e["metadata"]["name"] == name)
        else {
            assert!(
                service["spec"]["selector"].is_null(),
                "{namespace}/{name} has a selector and no Endpoints"
            );
            continue;
        };
        assert_eq!(
            found["metadata"]["creationTimestamp"], service["metadata"]["creationTimestamp"],
            "{namespace}/{name}"
        );
    }
}

#[test]
fn ports_are_defaulted_as_the_api_server_defaults_them() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "deployment",
        "web",
        "--image=nginx:1.27",
        "--port=80",
    ])
    .ok();
    // The history is the Deployment controller's ReplicaSet, made once it has seen the Deployment.
    let history = c.wait_for("revision 1 of deploy/web", Duration::from_secs(30), || {
        let run = c.kubectl(&["rollout", "history", "deploy/web", "--revision=1"]);
        if run.stdout.contains("Port:") {
            Ok(run)
        } else {
            Err(run.to_string())
        }
    });
    assert!(history.stdout.contains("Port:\t80/TCP"), "{history}");
    let deployment = json_of(&c, &["get", "deploy", "web", "-o", "json"]);
    let port = &deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0];
    assert_eq!(
        port,
        &serde_json::json!({"containerPort": 80, "protocol": "TCP"})
    );
    // A port added by a patch is defaulted too, as every object the API server decodes.
    c.kubectl(&[
        "patch",
        "deploy",
        "web",
        "--type=json",
        "-p",
        r#"[{"op": "add", "path": "/spec/template/spec/containers/0/ports/-", "value": {"containerPort": 9090}}]"#,
    ])
    .ok();
    let deployment = json_of(&c, &["get", "deploy", "web", "-o", "json"]);
    let port = &deployment["spec"]["template"]["spec"]["containers"][0]["ports"][1];
    assert_eq!(
        port,
        &serde_json::json!({"containerPort": 9090, "protocol": "TCP"})
    );

    // Sent as they are, past kubectl's client-side defaulting and validation.
    let create = |path: &str, object: Value| {
        c.kubectl_stdin(
            &["create", "--raw", path, "-f", "-"],
            object.to_string().as_bytes(),
        )
        .ok();
    };
    let pods = "/api/v1/namespaces/default/pods";
    create(
        pods,
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "on-host"}, "spec": {"hostNetwork": true, "containers": [
            {"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 8080}]},
            {"name": "d", "image": "nginx:1.27", "ports": [{"containerPort": 53, "protocol": "UDP", "hostPort": 5353}]},
        ]}}),
    );
    create(
        pods,
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "in-pod-network"}, "spec": {"containers": [
            {"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 8080}]},
        ]}}),
    );
    create(
        "/api/v1/namespaces/default/services",
        serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]}}),
    );
    let pod = json_of(&c, &["get", "pod", "on-host", "-o", "json"]);
    let containers = &pod["spec"]["containers"];
    assert_eq!(
        containers[0]["ports"][0],
        serde_json::json!({"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"})
    );
    assert_eq!(
        containers[1]["ports"][0],
        serde_json::json!({"containerPort": 53, "hostPort": 5353, "protocol": "UDP"})
    );
    let pod = json_of(&c, &["get", "pod", "in-pod-network", "-o", "json"]);
    assert_eq!(
        pod["spec"]["containers"][0]["ports"][0],
        serde_json::json!({"containerPort": 8080, "protocol": "TCP"}),
        "no hostPort off the host's network"
    );
    let service = json_of(&c, &["get", "service", "web", "-o", "json"]);
    assert_eq!(
        service["spec"]["ports"][0],
        serde_json::json!({"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80})
    );
}

/// The pods on `node`: namespace/name, whether a DaemonSet owns it, its grace period.
fn pods_on(c: &Cluster, node: &str) -> Vec<(String, bool, i64)> {
    let selector = format!("spec.nodeName={node}");
    let pods = json_of(
        c,
        &[
            "get",
            "pods",
            "-A",
            "--field-selector",
            &selector,
            "-o",
            "json",
        ],
    );
    pods["items"]
        .as_array()
        .expect("pods")
        .iter()
        .map(|p| {
            let name = format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap_or(""),
                p["metadata"]["name"].as_str().unwrap_or("")
            );
            let daemon = p["metadata"]["ownerReferences"]
                .as_array()
                .is_some_and(|o| o.iter().any(|r| r["kind"] == "DaemonSet"));
            let grace = p["spec"]["terminationGracePeriodSeconds"]
                .as_i64()
                .unwrap_or(30);
            (name, daemon, grace)
        })
        .collect()
}

#[test]
fn drain_without_eviction_deletes_with_protobuf_delete_options() {
    let c = Cluster::start();
    // A node whose pods stop within the default grace period (one pod has an hour's).
    let (node, before) = ["worker-1", "worker-2", "worker-3"]
        .into_iter()
        .map(|node| (node, pods_on(&c, node)))
        .find(|(_, pods)| {
            pods.iter().any(|(_, daemon, _)| !daemon)
                && pods.iter().all(|(_, _, grace)| *grace <= 30)
        })
        .expect("a worker whose pods stop within 30 s");
    // kubectl's typed client sends each DELETE's options as protobuf.
    let run = c
        .kubectl(&[
            "drain",
            node,
            "--disable-eviction",
            "--ignore-daemonsets",
            "--force",
            "--delete-emptydir-data",
            "--timeout=60s",
        ])
        .ok();
    run.stdout_has(&format!("node/{node} cordoned"))
        .stdout_has(&format!("node/{node} drained"));
    for (pod, _, _) in before.iter().filter(|(_, daemon, _)| !daemon) {
        let name = pod.split('/').nth(1).unwrap_or("");
        run.stdout_has(&format!("pod/{name} deleted"));
    }
    let after = pods_on(&c, node);
    assert!(
        after.iter().all(|(_, daemon, _)| *daemon),
        "only DaemonSet pods stay on {node}: {after:?}\n{run}"
    );
}

#[test]
fn debug_adds_an_ephemeral_container_and_unserved_subresources_are_404() {
    let c = Cluster::start();
    let container = c
        .kubectl(&[
            "get",
            "pod",
            "netshoot",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.containers[0].name}",
        ])
        .ok();
    let target = format!("--target={}", container.stdout);
    // Ephemeral containers are served, so kubectl adds one.
    let run = c
        .kubectl(&[
            "debug",
            "netshoot",
            "-n",
            "shop",
            "--image=busybox",
            &target,
        ])
        .ok();
    run.stdout_has("Defaulting debug container name to debugger-");
    assert!(!run.stderr.contains("panic"), "{run}");
    // A subresource a type does not serve is the API server's 404 for an unknown path.
    let daemon_set = c
        .kubectl(&[
            "get",
            "daemonsets",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .ok();
    c.kubectl(&[
        "get",
        "--raw",
        &format!(
            "/apis/apps/v1/namespaces/kube-system/daemonsets/{}/scale",
            daemon_set.stdout
        ),
    ])
    .fails()
    .stderr_has("the server could not find the requested resource");
}

// ---------------------------------------------------------------------------------------------
// Discovery and HTTP/2, as the real kubectl meets them at its default flags.

/// Whether a request-log line is a request for one group-version's resource list
/// (`/api/v1`, `/apis/apps/v1`): what kubectl asks for without aggregated discovery.
fn is_group_version_discovery(line: &str) -> bool {
    let Some(path) = line.split(' ').nth(1) else {
        return false;
    };
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(segments.as_slice(), ["api", "v1"] | ["apis", _, _])
}

#[test]
fn kubectl_discovers_through_aggregated_discovery_over_http2() {
    let sim = SimProcess::start(&["--log-requests"]);
    let (code, out, err) = sim.kubectl(&["api-resources"]);
    assert_eq!(code, Some(0), "{err}");
    let table = Table::parse(&out).expect("api-resources prints a table");
    let row = |name: &str| {
        table
            .find("NAME", |n| n == name)
            .unwrap_or_else(|| panic!("no {name}:\n{out}"))
    };
    let pods = row("pods");
    assert_eq!(
        (
            pods.get("SHORTNAMES"),
            pods.get("APIVERSION"),
            pods.get("NAMESPACED"),
            pods.get("KIND")
        ),
        ("po", "v1", "true", "Pod")
    );
    assert_eq!(row("deployments").get("APIVERSION"), "apps/v1");
    assert_eq!(row("nodes").get("NAMESPACED"), "false");
    // The seeded cluster's custom resources are discovered beside the built-ins.
    assert_eq!(row("cephclusters").get("APIVERSION"), "ceph.rook.io/v1");
    let (code, _, err) = sim.kubectl(&["get", "pods", "-A"]);
    assert_eq!(code, Some(0), "{err}");
    let log = sim.stderr();
    // kubectl asks /api and /apis for the aggregated documents, over HTTP/2, and no
    // group-version's list.
    assert!(
        log.contains("GET /api?timeout=32s HTTP/2.0 200"),
        "no aggregated /api over HTTP/2:\n{log}"
    );
    assert!(
        log.contains("GET /apis?timeout=32s HTTP/2.0 200"),
        "no aggregated /apis over HTTP/2:\n{log}"
    );
    let per_group_version: Vec<&str> = log
        .lines()
        .filter(|l| is_group_version_discovery(l))
        .collect();
    assert!(
        per_group_version.is_empty(),
        "kubectl read group-versions one by one: {per_group_version:?}"
    );
    assert!(
        log.lines()
            .filter(|l| l.starts_with("GET /api/v1/pods?"))
            .all(|l| l.contains(" HTTP/2.0 200 ")),
        "{log}"
    );

    // A CRD's kind is discovered once it is created, and no longer once it is deleted.
    let crd = sim.dir.path().join("crd.json");
    std::fs::write(
        &crd,
        serde_json::json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]},
                "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
            }
        })
        .to_string(),
    )
    .expect("the CRD is written");
    let crd = crd.display().to_string();
    let (code, _, err) = sim.kubectl(&["apply", "-f", &crd]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = sim.kubectl(&["api-resources", "--api-group=example.com"]);
    assert_eq!(code, Some(0), "{err}");
    let widgets = Table::parse(&out).expect("a table");
    let widgets = widgets.row("NAME", "widgets");
    assert_eq!(
        (
            widgets.get("SHORTNAMES"),
            widgets.get("APIVERSION"),
            widgets.get("KIND")
        ),
        ("wd", "example.com/v1", "Widget")
    );
    let (code, _, err) = sim.kubectl(&["get", "wd"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = sim.kubectl(&["delete", "-f", &crd]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = sim.kubectl(&["api-resources", "--api-group=example.com"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("widgets"), "{out}");

    // An exec's upgrade is made over a connection of its own, in HTTP/1.1.
    let (code, pod, err) = sim.kubectl(&[
        "get",
        "pods",
        "-n",
        "shop",
        "-l",
        "app=web",
        "--field-selector",
        "status.phase=Running",
        "-o",
        "jsonpath={.items[0].metadata.name}",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = sim.kubectl(&["exec", "-n", "shop", &pod, "--", "ls", "/etc"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.lines().any(|l| l == "hostname"), "{out}");
    let log = sim.stderr();
    let exec = log
        .lines()
        .find(|l| l.contains(&format!("/pods/{pod}/exec?")))
        .unwrap_or_else(|| panic!("no exec in the log:\n{log}"));
    assert!(exec.contains(" HTTP/1.1 101 "), "{exec}");
}

/// A TLS session with the simulator offering `protocols` by ALPN, and the protocol agreed.
async fn tls_session(
    sim: &kscope::sim::RunningSim,
    protocols: &[&[u8]],
) -> (
    tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
    Option<Vec<u8>>,
) {
    use base64::Engine as _;
    let pem: String = sim
        .ca_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(pem)
        .expect("the CA's DER");
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der.into()).expect("the CA is a certificate");
    let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
    let address = sim.url.trim_start_matches("https://").to_string();
    let tcp = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("a name");
    let tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("a TLS session");
    let agreed = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    (tls, agreed)
}

/// A response's status, version, content type and body.
async fn read(
    response: hyper::Response<hyper::body::Incoming>,
) -> (u16, http::Version, String, Vec<u8>) {
    let (status, version) = (response.status().as_u16(), response.version());
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = crate::support::body_bytes(response.into_body()).await;
    (status, version, content_type, bytes)
}

fn get(sim: &kscope::sim::RunningSim, path: &str, accept: &str) -> hyper::Request<String> {
    hyper::Request::get(format!("{}{path}", sim.url))
        .header("authorization", format!("Bearer {}", sim.token))
        .header("accept", accept)
        .body(String::new())
        .expect("a request")
}

const KUBECTL_DISCOVERY: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

#[tokio::test]
async fn http2_is_spoken_to_clients_that_offer_it_and_http1_to_the_others() {
    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        kscope::sim::ClusterShape::default(),
    )
    .await
    .expect("the simulator starts");
    let executor = hyper_util::rt::TokioExecutor::new();

    // Offered h2 (as Go's clients offer it, first), HTTP/2 is agreed and spoken.
    let (tls, agreed) = tls_session(&sim, &[b"h2", b"http/1.1"]).await;
    assert_eq!(agreed.as_deref(), Some(&b"h2"[..]));
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(executor, hyper_util::rt::TokioIo::new(tls))
            .await
            .expect("an HTTP/2 connection");
    tokio::spawn(connection);
    let (status, version, content_type, body) = read(
        sender
            .send_request(get(&sim, "/apis", KUBECTL_DISCOVERY))
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!((status, version), (200, http::Version::HTTP_2));
    assert_eq!(
        content_type,
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    );
    let groups: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(groups["kind"], "APIGroupDiscoveryList");
    let apps = groups["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|g| g["metadata"]["name"] == "apps")
        .expect("the apps group");
    assert_eq!(apps["versions"][0]["freshness"], "Current");
    // Plain JSON still gets the legacy document, on the same connection.
    let (status, _, content_type, body) = read(
        sender
            .send_request(get(&sim, "/apis", "application/json, */*"))
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let legacy: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(legacy["kind"], "APIGroupList");
    // The OpenAPI v2 document in protobuf, as client-go's OpenAPISchema asks for it.
    let (status, _, content_type, body) = read(
        sender
            .send_request(get(
                &sim,
                "/openapi/v2",
                "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
            ))
            .await
            .expect("an answer"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        content_type,
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    );
    assert_eq!(body[..5], [0x0a, 0x03, b'2', b'.', b'0'], "swagger: 2.0");

    // Offered only HTTP/1.1, or nothing (as a WebSocket client's upgrade), HTTP/1.1.
    for offered in [&[&b"http/1.1"[..]][..], &[]] {
        let (tls, agreed) = tls_session(&sim, offered).await;
        assert_eq!(agreed.as_deref(), offered.first().copied());
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
                .await
                .expect("an HTTP/1.1 connection");
        tokio::spawn(connection);
        let mut request = get(&sim, "/version", "application/json");
        *request.uri_mut() = "/version".parse().expect("a path");
        let (status, version, _, body) =
            read(sender.send_request(request).await.expect("an answer")).await;
        assert_eq!((status, version), (200, http::Version::HTTP_11));
        let version: Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(version["major"], "1");
    }
    sim.stop().await;
}

/// The length-prefixed frames of a protobuf watch stream.
fn frames(mut stream: &[u8]) -> Vec<&[u8]> {
    let mut frames = Vec::new();
    while !stream.is_empty() {
        let length = u32::from_be_bytes(stream[..4].try_into().expect("a length")) as usize;
        frames.push(&stream[4..4 + length]);
        stream = &stream[4 + length..];
    }
    frames
}

#[tokio::test]
async fn pods_are_served_as_protobuf_to_a_client_that_asks_for_it_first() {
    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        kscope::sim::ClusterShape::default(),
    )
    .await
    .expect("the simulator starts");
    let (tls, _) = tls_session(&sim, &[b"http/1.1"]).await;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
            .await
            .expect("an HTTP/1.1 connection");
    tokio::spawn(connection);
    const PROTOBUF: &str = "application/vnd.kubernetes.protobuf, application/json";
    let mut ask = async |path: &str, accept: &str| {
        let mut request = get(&sim, path, accept);
        *request.uri_mut() = path.parse().expect("a path");
        read(sender.send_request(request).await.expect("an answer")).await
    };
    let (_, _, content_type, body) = ask("/api/v1/pods", "application/json").await;
    assert_eq!(content_type, "application/json");
    let list: Value = serde_json::from_slice(&body).expect("JSON");
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|pod| pod["metadata"]["name"].as_str().expect("a name"))
        .collect();
    assert!(names.len() >= 50, "{}", names.len());

    // A list, with the magic and the PodList's type in its envelope.
    let (status, _, content_type, body) = ask("/api/v1/pods", PROTOBUF).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/vnd.kubernetes.protobuf")
    );
    assert!(
        body.starts_with(b"k8s\0\x0a\x0d\x0a\x02v1\x12\x07PodList"),
        "{:?}",
        &body[..20]
    );
    assert!(
        body.len() < list.to_string().len() / 2,
        "{} bytes",
        body.len()
    );

    // A streamed list: one ADDED frame a pod, each holding the pod's own body, then the
    // bookmark that ends the initial events.
    let (status, _, content_type, body) = ask(
        "/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1",
        PROTOBUF,
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/vnd.kubernetes.protobuf;stream=watch")
    );
    let frames = frames(&body);
    let added: Vec<&[u8]> = frames
        .iter()
        .copied()
        .filter(|f| f.starts_with(b"\x0a\x05ADDED"))
        .collect();
    assert_eq!(added.len(), names.len());
    for (frame, name) in added.iter().zip(&names) {
        let contains = |needle: &[u8]| frame.windows(needle.len()).any(|w| w == needle);
        assert!(contains(b"k8s\0") && contains(name.as_bytes()), "{name}");
    }
    let bookmark = frames
        .iter()
        .find(|f| f.starts_with(b"\x0a\x08BOOKMARK"))
        .expect("the initial events' end");
    assert!(
        bookmark
            .windows(b"k8s.io/initial-events-end".len())
            .any(|w| w == b"k8s.io/initial-events-end")
    );

    // Other kinds, and JSON asked for first, are answered as JSON.
    for (path, accept) in [
        ("/api/v1/nodes", PROTOBUF),
        (
            "/api/v1/pods",
            "application/json, application/vnd.kubernetes.protobuf",
        ),
    ] {
        let (status, _, content_type, _) = ask(path, accept).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "application/json"),
            "{path} {accept}"
        );
    }
}
