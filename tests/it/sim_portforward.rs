//! Port-forward into the simulator's pods, judged by the real kubectl at its default flags
//! (SPDY/3.1 tunneled in a WebSocket), by kubectl's plain SPDY fallback and by kube-rs
//! (`v4.channel.k8s.io`): HTTP from the image's web server, echo on other ports, the runtime's
//! words for a port nothing listens on, and a forward whose pod goes away.

use std::time::Duration;

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
    let listed = pods
        .list(
            &kube::api::ListParams::default()
                .labels("app=web")
                .fields("status.phase=Running"),
        )
        .await
        .expect("pods");
    let pod = listed.items[0].metadata.name.clone().expect("a name");
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
