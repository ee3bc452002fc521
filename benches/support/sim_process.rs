//! `kscope sim` as its own process for the benches (so its memory and CPU are not counted in
//! theirs), and what they read of their own process.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kscope::cluster::connect::{ClusterTarget, PluginTerminal, connect};

/// A number from the environment, or `default`.
fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Whether this is `cargo bench` (not `cargo test --benches`), and the cluster's size: pods
/// and nodes from SIM_PODS / SIM_NODES, 50,000 and 500 by default when benching, 1,000 and 20
/// otherwise.
pub fn cluster_size() -> (bool, usize, usize) {
    let benching = std::env::args().any(|a| a == "--bench");
    let (pods, nodes) = if benching {
        (env("SIM_PODS", 50_000), env("SIM_NODES", 500))
    } else {
        (env("SIM_PODS", 1_000), env("SIM_NODES", 20))
    };
    (benching, pods, nodes)
}

/// The items of a list, each as the server wrote it.
pub fn list_items(list: &str) -> Vec<&serde_json::value::RawValue> {
    #[derive(serde::Deserialize)]
    struct List<'a> {
        #[serde(borrow)]
        items: Vec<&'a serde_json::value::RawValue>,
    }
    serde_json::from_str::<List>(list).expect("a list").items
}

pub struct Sim {
    child: Child,
    kubeconfig: tempfile::TempDir,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sim {
    /// The kubeconfig the sim wrote, naming it.
    pub fn kubeconfig(&self) -> std::path::PathBuf {
        self.kubeconfig.path().join("kubeconfig")
    }
}

/// Starts the sim and returns once it serves.
pub fn start_sim(pods: usize, nodes: usize) -> Sim {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kubeconfig");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["sim", "--listen", "127.0.0.1:0", "--write-kubeconfig"])
        .arg(&path)
        .args(["--pods", &pods.to_string(), "--nodes", &nodes.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kscope sim starts");
    // The sim prints one line once it serves.
    let mut out = child.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    while std::io::Read::read(&mut out, &mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {}
    Sim {
        child,
        kubeconfig: dir,
    }
}

/// The answers to GETs of `paths`, in order, as the server sends them.
pub fn fetch(sim: &Sim, paths: &[&str]) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let target = ClusterTarget {
            kubeconfig: Some(sim.kubeconfig()),
            context: None,
        };
        let client = connect(&target, PluginTerminal::Shared)
            .await
            .expect("connects")
            .client;
        let mut answers = Vec::new();
        for path in paths {
            let request = http::Request::get(*path).body(Vec::new()).expect("request");
            answers.push(client.request_text(request).await.expect("answer"));
        }
        answers
    })
}

/// CPU time (user + system) this process has used.
#[allow(dead_code)]
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}
