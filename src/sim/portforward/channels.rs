//! Port-forward over the WebSocket channel protocol the kubelet serves (what kube-rs speaks):
//! per requested port a data channel (2n) and an error channel (2n+1), each opened by the port
//! as two bytes little-endian; one connection per port, for the life of the WebSocket.

use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt, WriteHalf};
use tokio::sync::mpsc;

use super::target::PodTarget;

/// The subprotocols the kubelet's port-forward accepts over WebSocket.
pub const BINARY: &str = "v4.channel.k8s.io";
pub const BASE64: &str = "v4.base64.channel.k8s.io";

/// The first offered protocol the kubelet speaks ("" when none was offered): whether it is
/// base64, or the handshake's refusal.
pub fn negotiate(offered: &[String]) -> Result<(&'static str, bool), String> {
    if offered.is_empty() {
        return Ok(("", false));
    }
    offered
        .iter()
        .find_map(|o| match o.as_str() {
            BINARY => Some((BINARY, false)),
            BASE64 => Some((BASE64, true)),
            _ => None,
        })
        .ok_or_else(|| {
            format!(
                "requested protocol(s) are not supported: [{}]; supports [{BINARY} {BASE64}]",
                offered.join(" ")
            )
        })
}

/// The `ports` the request names (the API server passes them on to the kubelet as `port`),
/// checked in the kubelet's words.
pub fn ports(query: Option<&str>) -> Result<Vec<u16>, String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).map_err(|e| e.to_string())?;
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "ports" || k == "port")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        return Err("query parameter \"port\" is required".into());
    }
    let mut ports = Vec::new();
    for value in values {
        if value.is_empty() {
            return Err("query parameter \"port\" cannot be empty".into());
        }
        for p in value.split(',') {
            let port: u16 = p.parse().map_err(|e| {
                format!(
                    "unable to parse {value:?} as a port: strconv.ParseUint: parsing {p:?}: {e}"
                )
            })?;
            if port < 1 {
                return Err(format!("port {value:?} must be > 0"));
            }
            ports.push(port);
        }
    }
    Ok(ports)
}

/// What the per-port tasks hand to the socket's writer.
enum Out {
    Data(u8, Vec<u8>),
    /// A port's connection ended.
    Done(usize),
}

fn frame(base64: bool, channel: u8, data: &[u8]) -> Message {
    if base64 {
        let mut text = String::from(char::from(b'0' + channel));
        text.push_str(&base64::engine::general_purpose::STANDARD.encode(data));
        Message::Text(text.into())
    } else {
        let mut bytes = Vec::with_capacity(data.len() + 1);
        bytes.push(channel);
        bytes.extend_from_slice(data);
        Message::Binary(bytes.into())
    }
}

/// Runs the forward until every port's connection has ended, the client goes away or the pod
/// does.
pub async fn run(mut socket: WebSocket, target: PodTarget, ports: Vec<u16>, base64: bool) {
    let (out, mut outs) = mpsc::channel::<Out>(64);
    let mut writers: Vec<Option<WriteHalf<tokio::io::DuplexStream>>> = Vec::new();
    let mut open = 0usize;
    let mut tasks = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let (data, error) = (2 * i as u8, 2 * i as u8 + 1);
        for channel in [data, error] {
            if socket
                .send(frame(base64, channel, &port.to_le_bytes()))
                .await
                .is_err()
            {
                return;
            }
        }
        match target.connect(*port) {
            Ok(stream) => {
                let (mut reader, writer) = tokio::io::split(stream);
                writers.push(Some(writer));
                open += 1;
                let out = out.clone();
                let task = tokio::spawn(async move {
                    let mut buffer = vec![0u8; 32 << 10];
                    while let Ok(n) = reader.read(&mut buffer).await {
                        if n == 0
                            || out
                                .send(Out::Data(data, buffer[..n].to_vec()))
                                .await
                                .is_err()
                        {
                            break;
                        }
                    }
                    let _ = out.send(Out::Done(i)).await;
                });
                tasks.push(task.abort_handle());
            }
            Err(message) => {
                writers.push(None);
                let _ = socket.send(frame(base64, error, message.as_bytes())).await;
            }
        }
    }
    drop(out);
    let gone = target.gone();
    tokio::pin!(gone);
    while open > 0 {
        tokio::select! {
            incoming = socket.recv() => {
                let bytes = match incoming {
                    Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                    Some(Ok(Message::Text(text))) if base64 => {
                        let text = text.as_str().as_bytes();
                        let Some((&first, rest)) = text.split_first() else { continue };
                        let Ok(mut data) = base64::engine::general_purpose::STANDARD.decode(rest) else { continue };
                        data.insert(0, first.wrapping_sub(b'0'));
                        data
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Text(_))) => continue,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                };
                let Some((&channel, data)) = bytes.split_first() else { continue };
                // Only data channels carry the client's bytes; what arrives on an error
                // channel is read and dropped, as the kubelet does.
                if channel % 2 == 0
                    && let Some(Some(writer)) = writers.get_mut(usize::from(channel / 2))
                    && writer.write_all(data).await.is_err()
                {
                    writers[usize::from(channel / 2)] = None;
                }
            }
            Some(out) = outs.recv() => match out {
                Out::Data(channel, data) => {
                    if socket.send(frame(base64, channel, &data)).await.is_err() {
                        break;
                    }
                }
                Out::Done(i) => {
                    writers[i] = None;
                    open -= 1;
                }
            },
            () = &mut gone => {
                for (i, port) in ports.iter().enumerate() {
                    if writers[i].is_some() {
                        let message = target.reset(*port);
                        let _ = socket.send(frame(base64, 2 * i as u8 + 1, message.as_bytes())).await;
                    }
                }
                break;
            }
        }
    }
    // The pod's ends of the connections go with their readers.
    for task in &tasks {
        task.abort();
    }
    while let Ok(Out::Data(channel, data)) = outs.try_recv() {
        let _ = socket.send(frame(base64, channel, &data)).await;
    }
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: close_code::NORMAL,
            reason: "".into(),
        })))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_as_the_kubelet_reads_them() {
        assert_eq!(ports(Some("ports=80%2C1234")), Ok(vec![80, 1234]));
        assert_eq!(ports(Some("port=80&port=81")), Ok(vec![80, 81]));
        assert_eq!(
            ports(None),
            Err("query parameter \"port\" is required".into())
        );
        assert!(ports(Some("ports=0")).unwrap_err().contains("must be > 0"));
        assert!(ports(Some("ports=http")).is_err());
    }

    #[test]
    fn kube_rs_gets_v4() {
        let offered = vec!["v5.channel.k8s.io".to_string(), BINARY.to_string()];
        assert_eq!(negotiate(&offered), Ok((BINARY, false)));
        assert!(negotiate(&["v5.channel.k8s.io".into()]).is_err());
    }
}
