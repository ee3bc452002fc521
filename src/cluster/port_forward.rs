//! A port-forward: a local TCP listener whose every connection opens kube-rs's
//! `Api::<Pod>::portforward` to the pod's port and copies both ways, counting the bytes. It
//! reports what it does as `ForwardEvent`s, looks at the pod every few seconds, and stops
//! listening (saying so) when the pod is gone, replaced or finished, rather than taking
//! connections it can no longer serve.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::{JoinHandle, JoinSet};

use crate::app::request::ForwardSpec;
use crate::model::port_forward::ForwardEvent;

/// How often the pod is looked at.
const POD_CHECK: Duration = Duration::from_secs(2);
/// How often the counts are reported (when they changed).
const REPORT: Duration = Duration::from_millis(500);

#[derive(Default)]
struct Counts {
    active: AtomicU64,
    total: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
}

impl Counts {
    fn event(&self) -> ForwardEvent {
        ForwardEvent::Traffic {
            active: self.active.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
        }
    }
}

/// Binds the local port (a free one when the default one is taken) and forwards until
/// aborted or the pod goes; every report goes to `sender`.
pub fn spawn_forward(
    client: kube::Client,
    spec: ForwardSpec,
    sender: UnboundedSender<ForwardEvent>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let listener = match bind(&spec).await {
            Ok(listener) => listener,
            Err(error) => {
                let _ = sender.send(ForwardEvent::Ended(error));
                return;
            }
        };
        if let Ok(address) = listener.local_addr() {
            let _ = sender.send(ForwardEvent::Listening(address.to_string()));
        }
        let pods: Api<Pod> = Api::namespaced(client, &spec.namespace);
        let counts = Arc::new(Counts::default());
        let (errors, mut failed) = mpsc::unbounded_channel::<String>();
        let mut connections = JoinSet::new();
        let mut check = tokio::time::interval(POD_CHECK);
        let mut report = tokio::time::interval(REPORT);
        let mut reported = counts.event();
        let ended = loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        counts.total.fetch_add(1, Ordering::Relaxed);
                        counts.active.fetch_add(1, Ordering::Relaxed);
                        let (pods, counts, errors) = (pods.clone(), counts.clone(), errors.clone());
                        let (pod, port) = (spec.pod.clone(), spec.remote);
                        connections.spawn(async move {
                            if let Err(error) = connect(&pods, &pod, port, stream, &counts).await {
                                let _ = errors.send(error);
                            }
                            counts.active.fetch_sub(1, Ordering::Relaxed);
                        });
                    }
                    Err(error) => {
                        let _ = sender.send(ForwardEvent::Failed(format!("accept: {error}")));
                    }
                },
                Some(error) = failed.recv() => {
                    let _ = sender.send(ForwardEvent::Failed(error));
                }
                _ = report.tick() => {
                    let now = counts.event();
                    if now != reported {
                        reported = now.clone();
                        if sender.send(now).is_err() {
                            break None;
                        }
                    }
                }
                _ = check.tick() => {
                    if let Some(why) = pod_gone(&pods, &spec).await {
                        break Some(why);
                    }
                }
                Some(_) = connections.join_next() => {}
            }
        };
        drop(listener);
        connections.abort_all();
        if let Some(why) = ended {
            let _ = sender.send(counts.event());
            let _ = sender.send(ForwardEvent::Ended(why));
        }
    })
}

/// The listener on the address and port asked for; when that port is the default one and is
/// taken, on a free one instead.
async fn bind(spec: &ForwardSpec) -> Result<TcpListener, String> {
    match TcpListener::bind((spec.address.as_str(), spec.local)).await {
        Ok(listener) => Ok(listener),
        Err(_) if spec.any_free => TcpListener::bind((spec.address.as_str(), 0))
            .await
            .map_err(|error| format!("unable to listen on any port of {}: {error}", spec.address)),
        // kubectl's words for a port it cannot listen on.
        Err(error) => Err(format!(
            "unable to listen on port {}: listen tcp4 {}:{}: bind: {}",
            spec.local,
            spec.address,
            spec.local,
            bind_error_text(&error)
        )),
    }
}

/// Go's text for the usual bind failures.
fn bind_error_text(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => "address already in use".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Why the forward must stop: the pod is gone, replaced or finished. A failed look says
/// nothing (the next one will tell).
async fn pod_gone(pods: &Api<Pod>, spec: &ForwardSpec) -> Option<String> {
    let title = format!("pod {}/{}", spec.namespace, spec.pod);
    match pods.get_opt(&spec.pod).await {
        Ok(None) => Some(format!("{title} is gone; stopped listening")),
        Ok(Some(pod)) => {
            let uid = pod.metadata.uid.as_deref().unwrap_or("");
            if spec.uid.as_deref().is_some_and(|then| then != uid) {
                return Some(format!(
                    "{title} was replaced (another uid); stopped listening"
                ));
            }
            let phase = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("");
            matches!(phase, "Succeeded" | "Failed")
                .then(|| format!("{title} has ended (phase {phase}); stopped listening"))
        }
        Err(_) => None,
    }
}

/// One connection: a port-forward stream to the pod, copied both ways until either side
/// closes; the pod side's error channel is the connection's error.
async fn connect(
    pods: &Api<Pod>,
    pod: &str,
    port: u16,
    stream: TcpStream,
    counts: &Counts,
) -> Result<(), String> {
    let mut forwarder = pods.portforward(pod, &[port]).await.map_err(|error| {
        format!(
            "port-forward to {pod}:{port}: {}",
            super::api_error::error_text(&error)
        )
    })?;
    let upstream = forwarder
        .take_stream(port)
        .ok_or_else(|| format!("port-forward to {pod}:{port}: no stream"))?;
    let error = forwarder.take_error(port);
    let (mut from_pod, mut to_pod) = tokio::io::split(upstream);
    let (mut from_client, mut to_client) = stream.into_split();
    let outward = copy_counting(&mut from_client, &mut to_pod, &counts.bytes_out);
    let inward = copy_counting(&mut from_pod, &mut to_client, &counts.bytes_in);
    // The pod side closing ends the connection; the client closing ends what it sends.
    let (_, _) = tokio::join!(outward, inward);
    let reported = match error {
        Some(error) => tokio::time::timeout(Duration::from_millis(200), error)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    forwarder.abort();
    match reported {
        Some(message) => Err(message),
        None => Ok(()),
    }
}

/// Copies until the reader ends, counting, then closes the writer's side.
async fn copy_counting(
    reader: &mut (impl AsyncRead + Unpin),
    writer: &mut (impl AsyncWrite + Unpin),
    count: &AtomicU64,
) -> std::io::Result<()> {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = reader.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        writer.write_all(&buffer[..read]).await?;
        count.fetch_add(read as u64, Ordering::Relaxed);
    }
    writer.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_taken_default_port_falls_back_to_a_free_one_a_typed_one_fails() {
        let taken = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = taken.local_addr().unwrap().port();
        let mut spec = ForwardSpec {
            id: 1,
            namespace: "shop".into(),
            pod: "web-1".into(),
            uid: None,
            remote: 80,
            address: "127.0.0.1".into(),
            local: port,
            any_free: true,
        };
        let listener = bind(&spec).await.unwrap();
        assert_ne!(listener.local_addr().unwrap().port(), port);
        spec.any_free = false;
        assert_eq!(
            bind(&spec).await.unwrap_err(),
            format!(
                "unable to listen on port {port}: listen tcp4 127.0.0.1:{port}: bind: address already in use"
            )
        );
    }
}
