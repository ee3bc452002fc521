//! Port-forward over SPDY/3.1, as kubectl speaks it: on an upgraded HTTP connection
//! (`Upgrade: SPDY/3.1`, the fallback and older clients), or tunneled in a WebSocket's binary
//! messages (`SPDY/3.1+portforward.k8s.io`, kubectl's default since 1.31), which the API
//! server's tunneling handler relays to the kubelet's SPDY server unchanged.

pub mod frame;
mod session;

use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::target::PodTarget;

/// The stream protocol the kubelet's port-forward speaks (`X-Stream-Protocol-Version`).
pub const PROTOCOL: &str = "portforward.k8s.io";
/// The WebSocket subprotocol of the tunnel.
pub const TUNNEL_PROTOCOL: &str = "SPDY/3.1+portforward.k8s.io";

/// Serves a session on an upgraded HTTP connection.
pub async fn serve_upgraded(upgraded: hyper::upgrade::Upgraded, target: PodTarget) {
    session::serve(hyper_util::rt::TokioIo::new(upgraded), target).await;
}

/// Serves a session whose bytes travel in a WebSocket's binary messages; the WebSocket closes
/// normally (which the client reads as the end of the connection) when the session ends.
pub async fn serve_tunneled(mut socket: WebSocket, target: PodTarget) {
    let (mut ours, theirs) = tokio::io::duplex(256 << 10);
    let session = tokio::spawn(session::serve(theirs, target));
    let mut chunk = vec![0u8; 64 << 10];
    let client_left = loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Binary(bytes))) => {
                    if ours.write_all(&bytes).await.is_err() {
                        break false;
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Text(_))) => {}
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break true,
            },
            read = ours.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break false,
                Ok(n) => {
                    if socket.send(Message::Binary(chunk[..n].to_vec().into())).await.is_err() {
                        break true;
                    }
                }
            },
        }
    };
    // The session reads the end of its stream and closes its connections.
    drop(ours);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), session).await;
    if !client_left {
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: close_code::NORMAL,
                reason: "".into(),
            })))
            .await;
    }
}
