//! The kubelet's side of a SPDY/3.1 port-forward session on any byte stream (an upgraded
//! HTTP connection, or a WebSocket tunnel): the client opens an error stream and a data stream
//! per forwarded connection (`streamType`, `port`, `requestID` headers); once both are there
//! the data stream is joined to the port inside the pod, and a failure is written on the error
//! stream. Flow control: the client (moby/spdystream, under client-go) keeps no windows and
//! sends no WINDOW_UPDATE, so none are awaited here; SETTINGS and WINDOW_UPDATE are read and
//! set aside, PINGs answered.

use std::collections::HashMap;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::frame::{
    CANCEL, FLAG_FIN, Frame, FrameError, GOAWAY_OK, Headers, PROTOCOL_ERROR, Reader, Writer,
};
use crate::sim::portforward::target::PodTarget;

/// The largest DATA frame sent (Go's framer reads any length; this keeps frames modest).
const CHUNK: usize = 32 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamType {
    Error,
    Data,
}

/// What a SYN_STREAM asks for, checked as the kubelet checks it.
#[derive(Debug, PartialEq, Eq)]
struct Opened {
    kind: StreamType,
    port: u16,
    request: String,
}

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn opened(stream_id: u32, headers: &Headers) -> Result<Opened, String> {
    let port_text = header(headers, "port").unwrap_or("");
    if port_text.is_empty() {
        return Err("\"port\" header is required".into());
    }
    let port: u16 = port_text
        .parse()
        .map_err(|e| format!("unable to parse {port_text:?} as a port: {e}"))?;
    if port < 1 {
        return Err(format!("port {port_text:?} must be > 0"));
    }
    let kind = match header(headers, "streamType").unwrap_or("") {
        "" => return Err("\"streamType\" header is required".into()),
        "error" => StreamType::Error,
        "data" => StreamType::Data,
        other => return Err(format!("invalid stream type {other:?}")),
    };
    // Clients before requestID paired an error stream n with the data stream n+2.
    let request = match header(headers, "requestID") {
        Some(id) if !id.is_empty() => id.to_string(),
        _ if kind == StreamType::Error => stream_id.to_string(),
        _ => stream_id.saturating_sub(2).to_string(),
    };
    Ok(Opened {
        kind,
        port,
        request,
    })
}

/// A pair of streams for one forwarded connection.
#[derive(Default)]
struct Pair {
    port: u16,
    error: Option<u32>,
    data: Option<u32>,
    /// Bytes for the pod (None: the client closed its side), once connected.
    to_pod: Option<mpsc::UnboundedSender<Option<Vec<u8>>>>,
    task: Option<tokio::task::AbortHandle>,
}

fn fin(stream_id: u32) -> Frame {
    Frame::Data {
        stream_id,
        flags: FLAG_FIN,
        data: Vec::new(),
    }
}

/// Serves a session until the client goes away, says GOAWAY, or the pod goes away.
pub async fn serve<S>(io: S, target: PodTarget)
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (mut input, mut output) = tokio::io::split(io);
    let (frames, mut outgoing) = mpsc::unbounded_channel::<Frame>();
    let writer = tokio::spawn(async move {
        let mut writer = Writer::default();
        while let Some(frame) = outgoing.recv().await {
            let bytes = writer.encode(&frame);
            if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
                return;
            }
        }
        let _ = output.shutdown().await;
    });
    let (ended, mut ends) = mpsc::unbounded_channel::<String>();
    let mut reader = Reader::default();
    let mut buffer: Vec<u8> = Vec::with_capacity(64 << 10);
    let mut chunk = vec![0u8; 64 << 10];
    let mut pairs: HashMap<String, Pair> = HashMap::new();
    // Each stream's request, to route DATA and RST_STREAM.
    let mut streams: HashMap<u32, String> = HashMap::new();
    let mut last_stream = 0u32;
    let gone = target.gone();
    tokio::pin!(gone);
    'session: loop {
        tokio::select! {
            read = input.read(&mut chunk) => {
                let n = match read {
                    Ok(0) | Err(_) => break 'session,
                    Ok(n) => n,
                };
                buffer.extend_from_slice(&chunk[..n]);
                loop {
                    let (frame, used) = match reader.parse(&buffer) {
                        Ok(Some(parsed)) => parsed,
                        Ok(None) => break,
                        Err(FrameError(_)) => {
                            let _ = frames.send(Frame::GoAway {
                                last_good_stream_id: last_stream,
                                status: PROTOCOL_ERROR,
                            });
                            break 'session;
                        }
                    };
                    buffer.drain(..used);
                    match frame {
                        Frame::SynStream { stream_id, headers, .. } => {
                            last_stream = last_stream.max(stream_id);
                            let opened = match opened(stream_id, &headers) {
                                Ok(opened) => opened,
                                Err(_) => {
                                    let _ = frames.send(Frame::RstStream { stream_id, status: CANCEL });
                                    continue;
                                }
                            };
                            let _ = frames.send(Frame::SynReply { stream_id, flags: 0, headers: Vec::new() });
                            streams.insert(stream_id, opened.request.clone());
                            let pair = pairs.entry(opened.request.clone()).or_default();
                            match opened.kind {
                                StreamType::Error => pair.error = Some(stream_id),
                                StreamType::Data => {
                                    pair.data = Some(stream_id);
                                    pair.port = opened.port;
                                }
                            }
                            if let (Some(error), Some(data), None) = (pair.error, pair.data, &pair.to_pod) {
                                start(pair, &target, error, data, &frames, &ended, opened.request);
                            }
                        }
                        Frame::Data { stream_id, flags, data } => {
                            let Some(pair) = streams.get(&stream_id).and_then(|r| pairs.get(r)) else {
                                continue;
                            };
                            if pair.data != Some(stream_id) {
                                // The client writes nothing on the error stream but its FIN.
                                continue;
                            }
                            if let Some(to_pod) = &pair.to_pod {
                                if !data.is_empty() {
                                    let _ = to_pod.send(Some(data));
                                }
                                if flags & FLAG_FIN != 0 {
                                    let _ = to_pod.send(None);
                                }
                            }
                        }
                        Frame::RstStream { stream_id, .. } => {
                            if let Some(request) = streams.remove(&stream_id)
                                && let Some(pair) = pairs.remove(&request)
                            {
                                streams.retain(|_, r| *r != request);
                                if let Some(task) = pair.task {
                                    task.abort();
                                }
                            }
                        }
                        Frame::Ping { id } => {
                            let _ = frames.send(Frame::Ping { id });
                        }
                        Frame::GoAway { .. } => break 'session,
                        Frame::SynReply { .. }
                        | Frame::Headers { .. }
                        | Frame::Settings { .. }
                        | Frame::WindowUpdate { .. }
                        | Frame::Unknown { .. } => {}
                    }
                }
            }
            Some(request) = ends.recv() => {
                if let Some(pair) = pairs.remove(&request) {
                    streams.retain(|_, r| *r != request);
                    drop(pair);
                }
            }
            () = &mut gone => {
                // The pod's end of every open connection is reset; the kubelet reports it on
                // each error stream and the session ends.
                for pair in pairs.values() {
                    if let (Some(error), Some(data), Some(task)) = (pair.error, pair.data, &pair.task) {
                        task.abort();
                        let _ = frames.send(Frame::Data {
                            stream_id: error,
                            flags: 0,
                            data: target.reset(pair.port).into_bytes(),
                        });
                        let _ = frames.send(fin(error));
                        let _ = frames.send(fin(data));
                    }
                }
                let _ = frames.send(Frame::GoAway { last_good_stream_id: last_stream, status: GOAWAY_OK });
                break 'session;
            }
        }
    }
    for pair in pairs.values() {
        if let Some(task) = &pair.task {
            task.abort();
        }
    }
    drop(pairs);
    drop(frames);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
}

/// Joins a complete pair to the pod's port: bytes each way, then FIN on both streams when the
/// pod's end closes; the runtime's error on the error stream when nothing listens.
fn start(
    pair: &mut Pair,
    target: &PodTarget,
    error: u32,
    data: u32,
    frames: &mpsc::UnboundedSender<Frame>,
    ended: &mpsc::UnboundedSender<String>,
    request: String,
) {
    let (to_pod, mut for_pod) = mpsc::unbounded_channel::<Option<Vec<u8>>>();
    pair.to_pod = Some(to_pod);
    let frames = frames.clone();
    let ended = ended.clone();
    let connection = target.connect(pair.port);
    let task = tokio::spawn(async move {
        match connection {
            Err(message) => {
                let _ = frames.send(Frame::Data {
                    stream_id: error,
                    flags: 0,
                    data: message.into_bytes(),
                });
            }
            Ok(stream) => {
                let (mut from_pod, mut into_pod) = tokio::io::split(stream);
                let upstream = async move {
                    while let Some(Some(bytes)) = for_pod.recv().await {
                        if into_pod.write_all(&bytes).await.is_err() {
                            return;
                        }
                    }
                    // The client closed its side: so does the connection, half.
                    let _ = into_pod.shutdown().await;
                    std::future::pending::<()>().await;
                };
                let downstream = async {
                    let mut chunk = vec![0u8; CHUNK];
                    while let Ok(n) = from_pod.read(&mut chunk).await {
                        if n == 0 {
                            break;
                        }
                        let _ = frames.send(Frame::Data {
                            stream_id: data,
                            flags: 0,
                            data: chunk[..n].to_vec(),
                        });
                    }
                };
                tokio::select! {
                    () = upstream => {}
                    () = downstream => {}
                }
            }
        }
        let _ = frames.send(fin(data));
        let _ = frames.send(fin(error));
        let _ = ended.send(request);
    });
    pair.task = Some(task.abort_handle());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Headers {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn streams_are_checked_as_the_kubelet_checks_them() {
        let data = headers(&[("streamtype", "data"), ("port", "80"), ("requestid", "0")]);
        assert_eq!(
            opened(3, &data),
            Ok(Opened {
                kind: StreamType::Data,
                port: 80,
                request: "0".into()
            })
        );
        // Without requestID, the data stream n+2 pairs with the error stream n.
        let old = headers(&[("streamtype", "data"), ("port", "80")]);
        assert_eq!(opened(3, &old).unwrap().request, "1");
        assert_eq!(
            opened(1, &headers(&[("streamtype", "error")])),
            Err("\"port\" header is required".into())
        );
        assert_eq!(
            opened(1, &headers(&[("port", "0"), ("streamtype", "data")])),
            Err("port \"0\" must be > 0".into())
        );
        assert_eq!(
            opened(1, &headers(&[("port", "80"), ("streamtype", "nope")])),
            Err("invalid stream type \"nope\"".into())
        );
    }
}
