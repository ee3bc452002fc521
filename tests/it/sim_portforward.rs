//! Port-forward into the simulator's pods, judged by the real kubectl at its default flags
//! (SPDY/3.1 tunneled in a WebSocket), by kubectl's plain SPDY fallback and by kube-rs
//! (`v4.channel.k8s.io`): HTTP from the image's web server, echo on other ports, the runtime's
//! words for a port nothing listens on, and a forward whose pod goes away.

use std::io::{Read, Write};
use std::time::Duration;

use crate::support;
use support::kubectl::{Cluster, Stream};

/// `kubectl port-forward -n NAMESPACE TARGET :REMOTE` (kubectl picks the local port), with
/// `env` set: the running kubectl and its local port, once it says it is forwarding.
fn forward(
    c: &Cluster,
    env: &[(&str, &str)],
    namespace: &str,
    target: &str,
    remote: u16,
    extra: &[&str],
) -> (Stream, u16) {
    let remote_arg = format!(":{remote}");
    let mut args = vec!["port-forward", "-n", namespace, target, remote_arg.as_str()];
    args.extend_from_slice(extra);
    let mut stream = c.spawn_with_env(env, &args);
    let prefix = "Forwarding from 127.0.0.1:";
    let line = stream.wait_for_line("naming the local port", Duration::from_secs(30), |l| {
        l.starts_with(prefix)
    });
    let port = line[prefix.len()..]
        .split(' ')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no local port in {line:?}"));
    assert!(line.ends_with(&format!("-> {remote}")), "{line}");
    (stream, port)
}

/// One HTTP/1.1 GET through the forwarded local port, on its own TCP connection.
fn get(port: u16, path: &str) -> String {
    let mut connection =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("the local port accepts");
    connection
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("a read timeout");
    write!(
        connection,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("request written");
    let mut response = String::new();
    let _ = connection.read_to_string(&mut response);
    response
}

#[test]
fn sim_portforward_kubectl_tunnels_spdy_in_a_websocket() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let (mut stream, port) = forward(&c, &[], "shop", &format!("pod/{pod}"), 80, &["-v=4"]);
    let response = get(port, "/");
    assert!(
        response.starts_with("HTTP/1.1 200 OK\r\n")
            && response.contains("<h1>Welcome to nginx!</h1>"),
        "{response}\n{}",
        stream.report()
    );
    // A second connection over the same forward.
    let response = get(port, "/healthz");
    assert!(response.ends_with("\r\n\r\nok"), "{response}");
    let response = get(port, "/missing");
    assert!(
        response.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{response}"
    );
    stream.wait_for_line("for the third connection", Duration::from_secs(10), |l| {
        l == format!("Handling connection for {port}")
    });
    let stderr = stream.stderr();
    // kubectl's default: the WebSocket tunnel, not its SPDY fallback.
    assert!(
        stderr.contains("tunneling_dialer.go")
            && stderr.contains("\"Negotiation complete\" protocol=\"portforward.k8s.io\""),
        "{}",
        stream.report()
    );
    assert!(!stderr.contains("fallback"), "{}", stream.report());
    assert!(stream.running(), "{}", stream.report());
}

#[test]
fn sim_portforward_kubectl_plain_spdy_fallback() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let (mut stream, port) = forward(
        &c,
        &[("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false")],
        "shop",
        &format!("pod/{pod}"),
        80,
        &["-v=6"],
    );
    for path in ["/", "/index.html"] {
        let response = get(port, path);
        assert!(
            response.contains("<h1>Welcome to nginx!</h1>"),
            "{response}"
        );
    }
    let stderr = stream.stderr();
    assert!(
        !stderr.contains("tunneling_dialer.go")
            && stderr.contains("verb=\"POST\"")
            && stderr.contains("status=\"101 Switching Protocols\""),
        "{}",
        stream.report()
    );
    assert!(stream.running(), "{}", stream.report());
}

#[test]
fn sim_portforward_kubectl_to_a_service_and_an_echo_port() {
    let c = Cluster::start();
    // kubectl resolves the Service to a pod behind it, and the Service port to its target.
    let (_web, port) = forward(&c, &[], "shop", "svc/web", 80, &[]);
    let response = get(port, "/healthz");
    assert!(response.ends_with("\r\n\r\nok"), "{response}");

    // A port that does not speak HTTP echoes what it is sent.
    c.kubectl(&["run", "cache", "-n", "default", "--image=redis:7.4"])
        .ok();
    c.wait_for("the redis pod to run", Duration::from_secs(60), || {
        let run = c.kubectl(&[
            "get",
            "pod",
            "cache",
            "-n",
            "default",
            "-o",
            "jsonpath={.status.phase}",
        ]);
        if run.stdout == "Running" {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
    let (redis, port) = forward(&c, &[], "default", "pod/cache", 6379, &[]);
    let mut connection =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("the local port accepts");
    connection
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("a read timeout");
    connection.write_all(b"PING\r\n").expect("written");
    let mut echoed = [0u8; 6];
    connection
        .read_exact(&mut echoed)
        .unwrap_or_else(|e| panic!("no echo: {e}\n{}", redis.report()));
    assert_eq!(&echoed, b"PING\r\n");
}

#[test]
fn sim_portforward_kubectl_port_without_a_listener() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let (mut stream, port) = forward(&c, &[], "shop", &format!("pod/{pod}"), 81, &[]);
    let response = get(port, "/");
    assert_eq!(response, "", "{}", stream.report());
    // kubectl prints the kubelet's error and, since the error closes the connection, exits.
    let code = stream.wait_exit(Duration::from_secs(15));
    assert_eq!(code, Some(1), "{}", stream.report());
    let stderr = stream.stderr();
    for needle in [
        "\"An error occurred forwarding\" err=\"error forwarding port 81 to pod ",
        ", uid : failed to execute portforward in network namespace \\\"/var/run/netns/cni-",
        "failed to connect to localhost:81 inside namespace \\\"",
        "IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect: connection refused",
        "error: lost connection to pod",
    ] {
        assert!(
            stderr.contains(needle),
            "{needle:?} missing:\n{}",
            stream.report()
        );
    }
}

#[test]
fn sim_portforward_kubectl_ends_when_the_pod_is_deleted() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let (mut stream, port) = forward(&c, &[], "shop", &format!("pod/{pod}"), 80, &[]);
    assert!(get(port, "/healthz").ends_with("ok"));
    c.kubectl(&[
        "delete",
        "pod",
        "-n",
        "shop",
        &pod,
        "--grace-period=0",
        "--force",
    ])
    .ok();
    let code = stream.wait_exit(Duration::from_secs(15));
    assert_eq!(code, Some(1), "{}", stream.report());
    assert!(
        stream.stderr().contains("error: lost connection to pod"),
        "{}",
        stream.report()
    );
}

/// An HTTP/1.1 GET over `stream`, read to its end (the request closes the connection).
async fn http_get<S>(stream: &mut S, path: &str) -> String
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request written");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("response read");
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_portforward_through_kube_rs() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::Api;

    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        Default::default(),
    )
    .await
    .expect("the simulator starts");
    let client = sim.client().expect("a client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let pod = support::kubectl::running_web_pod(&pods).await;
    let work = async {
        let mut forwarder = pods.portforward(&pod, &[80]).await.expect("forward opens");
        let mut stream = forwarder.take_stream(80).expect("port 80's stream");
        let response = http_get(&mut stream, "/").await;
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(
            response.contains("<h1>Welcome to nginx!</h1>"),
            "{response}"
        );
        // The connection's end closes the WebSocket, as the kubelet closes it once every
        // port's connection has ended.
        drop(stream);
        let _ = forwarder.join().await;

        // Two ports in one request: each has its own connection.
        let mut forwarder = pods
            .portforward(&pod, &[80, 81])
            .await
            .expect("forward opens");
        let error = forwarder.take_error(81).expect("port 81's errors");
        let message = error.await.expect("an error for port 81");
        assert!(
            message.starts_with("error forwarding port 81 to pod ")
                && message.contains(", uid : failed to execute portforward in network namespace \"/var/run/netns/cni-")
                && message.contains("failed to connect to localhost:81 inside namespace")
                && message.contains("IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect: connection refused"),
            "{message}"
        );
        let mut stream = forwarder.take_stream(80).expect("port 80's stream");
        let response = http_get(&mut stream, "/healthz").await;
        assert!(response.ends_with("\r\n\r\nok"), "{response}");
        drop(stream);
        drop(forwarder);

        // The pod goes away during a forward: the forward ends, with the runtime's error.
        let mut forwarder = pods.portforward(&pod, &[80]).await.expect("forward opens");
        let error = forwarder.take_error(80).expect("port 80's errors");
        pods.delete(
            &pod,
            &kube::api::DeleteParams {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .await
        .expect("pod deleted");
        let message = tokio::time::timeout(Duration::from_secs(10), error)
            .await
            .expect("the forward ends when the pod goes away")
            .expect("an error for port 80");
        assert!(message.contains("connection reset by peer"), "{message}");
        let _ = tokio::time::timeout(Duration::from_secs(10), forwarder.join())
            .await
            .expect("the forward's task ends");
    };
    tokio::time::timeout(Duration::from_secs(60), work)
        .await
        .expect("port-forward through kube-rs finishes");
    sim.stop().await;
}
