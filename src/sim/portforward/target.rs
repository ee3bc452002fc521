//! The pod end of a forward: connecting to one of its ports as the container runtime does
//! inside the pod's network namespace, the runtime's words when nothing listens, and the
//! moment the pod goes away (deleted, replaced or no longer running).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::DuplexStream;

use crate::sim::pointer::Pointer;
use crate::sim::serving;
use crate::sim::state::Sim;

/// Bytes buffered in each direction of an in-memory connection.
const BUFFER: usize = 64 << 10;

/// A pod as the runtime knows it: the sandbox a forward enters.
#[derive(Clone)]
pub struct PodTarget {
    sim: Arc<Sim>,
    namespace: String,
    name: String,
    uid: String,
}

impl PodTarget {
    pub fn new(sim: Arc<Sim>, namespace: &str, pod: &Value) -> Self {
        PodTarget {
            sim,
            namespace: namespace.to_string(),
            name: pod["metadata"]["name"].as_str().unwrap_or("").to_string(),
            uid: pod["metadata"]["uid"].as_str().unwrap_or("").to_string(),
        }
    }

    /// The pod's sandbox id (64 hex digits, stable for the pod), which the runtime's streaming
    /// server names as the pod in its messages.
    pub fn sandbox(&self) -> String {
        hex_digest(&self.uid, 0, 4)
    }

    /// The sandbox's network namespace, as the CNI names it.
    fn netns(&self) -> String {
        let h = hex_digest(&self.uid, 1, 2);
        format!(
            "/var/run/netns/cni-{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// The pod as it is now, if it is still this pod.
    fn pod(&self) -> Option<Arc<Value>> {
        self.sim
            .get("v1", "Pod", &self.namespace, &self.name)
            .filter(|p| p["metadata"]["uid"].as_str() == Some(self.uid.as_str()))
    }

    /// Connects to `port` inside the pod: the client end of the connection, or what the
    /// kubelet writes on the error stream when nothing listens there.
    pub fn connect(&self, port: u16) -> Result<DuplexStream, String> {
        let listener = self
            .pod()
            .and_then(|pod| serving::listener(&pod, port))
            .ok_or_else(|| self.refused(port))?;
        let (client, server) = tokio::io::duplex(BUFFER);
        // The session watches the pod and, when it goes away, reports the reset and drops its
        // end, which ends this one too: the connection never ends first on its own, as a
        // clean close the client would take for the server's.
        tokio::spawn(serving::serve(listener, server));
        Ok(client)
    }

    /// The kubelet's error for a port nothing listens on (containerd's dial of both loopback
    /// addresses, wrapped by its port-forward and by the streaming server).
    pub fn refused(&self, port: u16) -> String {
        let sandbox = self.sandbox();
        self.failed(
            port,
            &format!(
                "failed to connect to localhost:{port} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused "
            ),
        )
    }

    /// The kubelet's error for a connection the pod's end reset (the pod was stopped).
    pub fn reset(&self, port: u16) -> String {
        let local = 32768 + (port as u32 * 7919) % 28000;
        self.failed(
            port,
            &format!(
                "read tcp4 127.0.0.1:{local}->127.0.0.1:{port}: read: connection reset by peer"
            ),
        )
    }

    fn failed(&self, port: u16, cause: &str) -> String {
        format!(
            "error forwarding port {port} to pod {}, uid : failed to execute portforward in network namespace \"{}\": {cause}",
            self.sandbox(),
            self.netns()
        )
    }

    /// Resolves when the pod is gone or replaced, or none of its containers runs any more.
    pub async fn gone(&self) {
        loop {
            let running = self.pod().is_some_and(|pod| {
                pod["status"]["containerStatuses"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|s| s.at("/state/running").is_some())
            });
            if !running {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// `words` 64-bit words of a digest of `text` (FNV-1a, salted), as hex.
fn hex_digest(text: &str, salt: u64, words: u64) -> String {
    (0..words)
        .map(|i| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (salt * 31 + i).wrapping_mul(0x9e37_79b9);
            for b in text.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        })
        .collect()
}
