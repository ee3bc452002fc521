//! The explorer against a big cluster, end to end: `kscope sim` runs as its own process (so its
//! memory is not counted here), and this process does what `kscope` does at start — watch the
//! pods and absorb them into the app — then reports:
//! - the time from starting the watch to a populated pods pane (the initial list synced),
//! - the time of the raw list call it is judged against (one GET of every pod, body read),
//! - resident memory added by the populated app,
//! - the cost of absorbing a stream of watch events (CPU time per event).
//!
//! `cargo bench --bench explorer_scale` (SIM_PODS / SIM_NODES, default 50,000 and 500; a plain
//! `cargo test --benches` run uses 1,000 pods). Prints figures; asserts nothing about time.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use kscope::app::state::{App, Pane};
use kscope::cluster::connect::{ClusterTarget, PluginTerminal, connect};
use kscope::cluster::watch::spawn_watch;
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use kscope::ui::{draw, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn status_kilobytes(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse().ok()))
        .unwrap_or(0.0)
}

fn resident_megabytes() -> f64 {
    status_kilobytes("VmRSS:") / 1024.0
}

/// CPU time (user + system) this process has used.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

struct Sim {
    child: Child,
    kubeconfig: tempfile::TempDir,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sim(pods: usize, nodes: usize, churn: f64) -> Sim {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kubeconfig");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["sim", "--listen", "127.0.0.1:0", "--write-kubeconfig"])
        .arg(&path)
        .args(["--pods", &pods.to_string(), "--nodes", &nodes.to_string()])
        .args(["--churn", &churn.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kscope sim starts");
    // The sim prints one line once it serves.
    let mut out = child.stdout.take().expect("stdout");
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while std::io::Read::read(&mut out, &mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    eprintln!("{}", String::from_utf8_lossy(&line));
    Sim {
        child,
        kubeconfig: dir,
    }
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let pods = if benching {
        env("SIM_PODS", 50_000)
    } else {
        1_000
    };
    let nodes = if benching { env("SIM_NODES", 500) } else { 20 };
    // Background changes compete with this process for the machine's cores, so the figures
    // are taken on a quiet cluster unless SIM_CHURN asks otherwise.
    let churn = env("SIM_CHURN", 0) as f64;
    let sim = start_sim(pods, nodes, churn);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let target = ClusterTarget {
            kubeconfig: Some(sim.kubeconfig.path().join("kubeconfig")),
            context: None,
        };
        let connection = connect(&target, PluginTerminal::Shared)
            .await
            .expect("connects");
        let client = connection.client;
        // Warm the connection (TLS, discovery-free) so neither measurement pays for it.
        client.apiserver_version().await.expect("version");
        let baseline = resident_megabytes();

        let started = Instant::now();
        let (sender, mut messages) = tokio::sync::mpsc::unbounded_channel();
        let watch = spawn_watch(
            client.clone(),
            WatchedKind::Pods,
            None,
            kscope::cluster::watch::ListStrategy::default(),
            sender,
        );
        let mut app = App::new("bench", None, Timestamp::now());
        app.pane = Pane::Pods;
        while let Some(message) = messages.recv().await {
            let synced = matches!(message, ClusterMessage::Synced { .. });
            app.on_cluster(message);
            if synced {
                break;
            }
        }
        let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
        terminal
            .draw(|f| draw(f, &app, &Theme::dark()))
            .expect("draws");
        let populated = started.elapsed();
        let shown = app.resources.pods.len();
        let resident = resident_megabytes();
        // What of that is freed memory the allocator has not returned yet.
        // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
        unsafe { libc::malloc_trim(0) };
        let trimmed = resident_megabytes();

        // The live stream for a while, absorbed as the runtime loop does it: a frame only when
        // something changed. On a quiet cluster this is the idle cost.
        let cpu_before = cpu_time();
        let window = Instant::now();
        let mut events = 0usize;
        let mut frames = 0usize;
        let mut last_frame = Instant::now();
        let mut dirty = false;
        while window.elapsed() < Duration::from_secs(if benching { 20 } else { 3 }) {
            match tokio::time::timeout(Duration::from_millis(33), messages.recv()).await {
                Ok(Some(message)) => {
                    events += 1;
                    dirty = true;
                    app.on_cluster(message);
                    while let Ok(message) = messages.try_recv() {
                        events += 1;
                        app.on_cluster(message);
                    }
                }
                Ok(None) => break,
                Err(_) => {}
            }
            if dirty && last_frame.elapsed() >= Duration::from_millis(33) {
                dirty = false;
                terminal
                    .draw(|f| draw(f, &app, &Theme::dark()))
                    .expect("draws");
                frames += 1;
                last_frame = Instant::now();
            }
        }
        let busy = cpu_time() - cpu_before;
        let spent = window.elapsed();
        watch.abort();

        let started = Instant::now();
        let request = http::Request::get("/api/v1/pods")
            .body(Vec::new())
            .expect("request");
        let body = client.request_text(request).await.expect("raw list");
        let raw = started.elapsed();

        // 1,000 watch events a second, as the watch task and the loop handle them: decode each
        // object's text, absorb it, and draw at most ~30 frames a second. The objects are the
        // cluster's own pods, each event a new status for one of them.
        let listed: serde_json::Value = serde_json::from_str(&body).expect("a pod list");
        let texts: Vec<String> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .take(2_000)
            .enumerate()
            .map(|(i, pod)| {
                let mut pod = pod.clone();
                pod["metadata"]["resourceVersion"] = serde_json::json!(format!("9{i}"));
                if let Some(status) = pod.pointer_mut("/status/containerStatuses/0") {
                    status["restartCount"] = serde_json::json!(i % 9);
                }
                pod.to_string()
            })
            .collect();
        let rate = 1_000usize;
        let seconds = if benching { 10 } else { 2 };
        let cpu_before = cpu_time();
        let window = Instant::now();
        let mut sent = 0usize;
        let mut stream_frames = 0usize;
        let mut last_frame = Instant::now();
        while window.elapsed() < Duration::from_secs(seconds) {
            let due = (window.elapsed().as_secs_f64() * rate as f64) as usize;
            while sent < due {
                let text = &texts[sent % texts.len()];
                let object = kscope::model::watched::WatchedObject::decode(WatchedKind::Pods, text);
                app.on_cluster(ClusterMessage::Applied {
                    kind: WatchedKind::Pods,
                    object,
                });
                sent += 1;
            }
            if last_frame.elapsed() >= Duration::from_millis(33) {
                terminal
                    .draw(|f| draw(f, &app, &Theme::dark()))
                    .expect("draws");
                stream_frames += 1;
                last_frame = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let stream_busy = cpu_time() - cpu_before;
        let stream_spent = window.elapsed();

        println!(
            "pods shown: {shown}\n\
             populated pods pane: {:.2} s\n\
             raw list call (GET /api/v1/pods, {:.1} MB): {:.2} s  (ratio {:.2})\n\
             resident memory: {:.0} MB before the watch, {:.0} MB populated (+{:.0} MB), \
             {:.0} MB once freed pages are returned\n\
             live stream: {events} watch events in {:.1} s ({:.0}/s), {frames} frames, \
             CPU {:.1}% of a core\n\
             1,000 events/s (decode + absorb + frames): {sent} events in {:.1} s, \
             {stream_frames} frames, CPU {:.1}% of a core",
            populated.as_secs_f64(),
            body.len() as f64 / 1e6,
            raw.as_secs_f64(),
            populated.as_secs_f64() / raw.as_secs_f64(),
            baseline,
            resident,
            resident - baseline,
            trimmed,
            spent.as_secs_f64(),
            events as f64 / spent.as_secs_f64(),
            100.0 * busy.as_secs_f64() / spent.as_secs_f64(),
            stream_spent.as_secs_f64(),
            100.0 * stream_busy.as_secs_f64() / stream_spent.as_secs_f64(),
        );
    });
}
