//! `kscope sim` run as its own process (the built binary, as a user runs it), killed when
//! dropped, with a kubectl of its own and what the simulator writes to standard error (its
//! request log, with `--log-requests`) kept for the test to read.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the simulator may take to start serving.
const START: Duration = Duration::from_secs(45);

pub struct SimProcess {
    child: Child,
    /// A private directory: the kubeconfig, kubectl's home and cache, the test's files.
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
    stderr: Arc<Mutex<String>>,
}

impl SimProcess {
    /// Starts `kscope sim` on a free port with `extra` arguments and waits until it serves.
    pub fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let kubeconfig = dir.path().join("kubeconfig");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kscope"))
            .args(["sim", "--listen", "127.0.0.1:0", "--write-kubeconfig"])
            .arg(&kubeconfig)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kscope sim starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, ready) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let collected = stderr.clone();
        let err = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut text = collected.lock().unwrap_or_else(|p| p.into_inner());
                text.push_str(&line);
                text.push('\n');
            }
        });
        let line = ready.recv_timeout(START).unwrap_or_default();
        assert!(
            line.starts_with("kscope sim: serving"),
            "kscope sim did not start: {line:?}"
        );
        Self {
            child,
            dir,
            kubeconfig,
            stderr,
        }
    }

    /// kubectl with this simulator's kubeconfig, its own home and cache directory.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(super::kubectl::kubectl_path());
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"))
            .args(args)
            .env_remove("KUBECONFIG")
            .env("HOME", self.dir.path());
        command
    }

    /// Runs kubectl to completion; its exit code, standard output and standard error.
    pub fn kubectl(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let output = self.command(args).output().expect("kubectl runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// What the simulator has written to standard error so far (a line per answered request
    /// with `--log-requests`).
    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
