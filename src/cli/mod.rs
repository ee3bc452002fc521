//! The command line: argument parsing, exit codes, and the subcommands.

mod explain;
mod explain_text;
mod explorer;
mod log_file;
mod sim;
mod triage;
mod triage_text;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;

/// A keyboard-driven terminal explorer for Kubernetes that explains what it shows.
#[derive(Debug, Parser)]
#[command(name = "kscope", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub explorer: ExplorerArgs,
}

/// `kscope [--kubeconfig P] [--context C] [-n NS | -A] [--readonly] [--theme T]`: the explorer
/// on a real cluster.
#[derive(Debug, Args)]
pub struct ExplorerArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Show one namespace (default: the context's namespace).
    #[arg(
        short = 'n',
        long,
        value_name = "NS",
        conflicts_with = "all_namespaces"
    )]
    pub namespace: Option<String>,
    /// Show every namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Refuse every change to the cluster: drains, deletes, patches, edits, scaling, ...
    #[arg(long)]
    pub readonly: bool,
    /// Open on the triage view: what is broken, grouped by cause (`:triage`).
    #[arg(long)]
    pub triage: bool,
    /// Use the mouse: the wheel moves the selection, a click selects a row (a second click
    /// opens it). Off by default so the terminal's own text selection keeps working.
    #[arg(long)]
    pub mouse: bool,
    /// Colours: dark (default; monochrome when NO_COLOR is set), light, high-contrast,
    /// monochrome, or NAME for <config dir>/themes/NAME.yaml.
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
}

/// `kscope demo [--nodes N] [--pods N] [--churn PER_SEC] [--seed S]`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Nodes in the demo cluster (at least 4).
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub nodes: usize,
    /// Extra generated pods.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub pods: usize,
    /// Background changes per second.
    #[arg(long, value_name = "PER_SEC", default_value_t = 2.0)]
    pub churn: f64,
    /// Seed for names and the generated cluster.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Refuse every change to the demo cluster (as `kscope --readonly`).
    #[arg(long)]
    pub readonly: bool,
    /// Open on the triage view (as `kscope --triage`).
    #[arg(long)]
    pub triage: bool,
    /// Use the mouse (as `kscope --mouse`).
    #[arg(long)]
    pub mouse: bool,
    /// Colours: dark (default; monochrome when NO_COLOR is set), light, high-contrast,
    /// monochrome, or NAME for <config dir>/themes/NAME.yaml.
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain why a pod, node, namespace, workload or Service shows what kubectl prints, and
    /// what to do next.
    Explain(ExplainArgs),
    /// Serve the simulated cluster on loopback until interrupted; any Kubernetes client
    /// (kubectl included) can use the kubeconfig it writes.
    Sim(SimArgs),
    /// The explorer on a simulated cluster started in this process: try kscope without a cluster.
    Demo(DemoArgs),
    /// What is broken now, grouped by cause, ranked by impact, with evidence and next steps;
    /// exits 3 when something is found.
    Triage(TriageArgs),
}

/// `kscope triage [-n NS | -A] [-f FILE] [-o text|json|markdown] [--now RFC3339]`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    /// One namespace (default: the context's namespace); with -f, only its findings.
    #[arg(
        short = 'n',
        long,
        value_name = "NS",
        conflicts_with = "all_namespaces"
    )]
    pub namespace: Option<String>,
    /// Every namespace, and the nodes.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Triage a dump (`kubectl get pods,nodes,ns,events,deploy,rs,sts,ds,jobs,cronjobs,svc -A
    /// -o yaml`) instead of the cluster; `-` reads standard input.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filename: Option<PathBuf>,
    /// Output format: text for people, json (one finding per line), markdown for a channel.
    #[arg(short = 'o', long, value_enum, default_value_t = TriageFormat::Text)]
    pub output: TriageFormat,
    /// The clock to measure ages against (RFC 3339), for reproducible output.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<Timestamp>,
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
}

/// `kscope triage -o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TriageFormat {
    Text,
    Json,
    Markdown,
}

/// `kscope sim --listen 127.0.0.1:PORT --write-kubeconfig PATH [--nodes N] [--pods N] [--churn PER_SEC] [--seed S] [--event-ttl DURATION] [--user NAME[:CLUSTERROLE]]...`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// Write a kubeconfig for the simulated cluster to this file.
    #[arg(long, value_name = "PATH")]
    pub write_kubeconfig: Option<PathBuf>,
    /// Nodes in the cluster (at least 4: a control plane, workers, one cordoned, one NotReady).
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub nodes: usize,
    /// Extra generated pods, for scale work.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub pods: usize,
    /// Background changes per second (restarts, readiness flaps, scaling, rollouts).
    #[arg(long, value_name = "PER_SEC", default_value_t = 0.0)]
    pub churn: f64,
    /// Seed for names and the generated cluster.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// How long an Event is kept after it was last written, as the API server's --event-ttl
    /// (a Go duration such as 1h, 90m or 2s; 0 keeps them for ever).
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_event_ttl)]
    pub event_ttl: std::time::Duration,
    /// Write a line per request to standard error once answered: verb, path, status, bytes,
    /// time to the first and last byte.
    #[arg(long)]
    pub log_requests: bool,
    /// Feature gates, as kube-apiserver's flag takes them: `WatchList=false` serves no streamed
    /// lists (a watch asking for sendInitialEvents is refused, as by a server without the gate).
    #[arg(long, value_name = "GATE=BOOL,...", value_parser = parse_feature_gates)]
    pub feature_gates: Option<FeatureGates>,
    /// Another user (repeatable), with a token and a kubeconfig context NAME@kscope-sim of its
    /// own, bound cluster-wide to CLUSTERROLE (without one it may do only what every
    /// authenticated user may, until someone binds it a role). The kubeconfig's default
    /// context, kscope-sim, is the cluster admin; every run also has the users `viewer`
    /// (ClusterRole view: reads workloads, not Secrets) and `no-secrets` (ClusterRole
    /// no-secrets: edit without Secrets, and reading nodes).
    #[arg(long = "user", value_name = "NAME[:CLUSTERROLE]")]
    pub users: Vec<crate::sim::SimUser>,
}

/// The API server's feature gates the sim knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureGates {
    pub watch_list: bool,
}

impl Default for FeatureGates {
    fn default() -> Self {
        Self { watch_list: true }
    }
}

/// `--feature-gates`: `Name=bool` pairs, comma-separated, as kube-apiserver reads them.
fn parse_feature_gates(text: &str) -> Result<FeatureGates, String> {
    let mut gates = FeatureGates::default();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("missing bool value for {pair}"))?;
        let enabled: bool = value
            .trim()
            .parse()
            .map_err(|_| format!("invalid value of {name}={value}, err: strconv.ParseBool: parsing {value:?}: invalid syntax"))?;
        match name.trim() {
            "WatchList" => gates.watch_list = enabled,
            other => return Err(format!("unrecognized feature gate: {other}")),
        }
    }
    Ok(gates)
}

/// `--event-ttl`: a Go duration, as kube-apiserver reads its flag, that is not negative.
fn parse_event_ttl(text: &str) -> Result<std::time::Duration, String> {
    let duration = crate::model::duration::parse_go_duration(text)?;
    std::time::Duration::try_from(duration).map_err(|_| "must not be negative".to_string())
}

/// `kscope explain (POD [-n NS] | -f FILE | -f -) [-o text|json] [--now RFC3339]`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["target", "filename"]))]
pub struct ExplainArgs {
    /// The live object to explain: POD, pod/NAME, node/NAME, ns/NAME, deploy/NAME, rs/NAME,
    /// sts/NAME, ds/NAME, job/NAME, cj/NAME or svc/NAME.
    pub target: Option<String>,
    /// Read objects from a YAML or JSON file (Pods, Nodes, Namespaces, workloads, Services,
    /// Lists; Events as evidence, pods and owned objects as members); `-` reads standard input.
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "FILE",
        conflicts_with = "namespace"
    )]
    pub filename: Option<PathBuf>,
    /// Namespace of the live pod (default: the context's namespace).
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// The clock to measure ages against (RFC 3339), for reproducible output.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<Timestamp>,
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
}

/// `-o text` for people, `-o json` for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// The text of `-f PATH` (`-` for standard input), and how errors name where it came from.
fn read_input(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    use anyhow::Context;
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        Ok((text, "standard input".to_string()))
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok((text, path.display().to_string()))
    }
}

fn parse_now(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|e| format!("not an RFC 3339 time such as 2026-01-01T00:00:00Z: {e}"))
}

/// Runs kscope with the process arguments; returns the exit code (0 ok, 1 runtime error,
/// 2 bad usage).
pub fn main() -> ExitCode {
    crate::runtime::mark_start();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
        Err(error) => error.exit(),
    };
    let result = match cli.command {
        // 3 tells a script or a cron job that something was found.
        Some(Command::Triage(args)) => match triage::run(&args) {
            Ok(true) => return ExitCode::from(3),
            Ok(false) => Ok(()),
            Err(error) => Err(error),
        },
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Sim(args)) => sim::run(&args),
        Some(Command::Demo(args)) => explorer::run_demo(&args),
        None => explorer::run(&cli.explorer),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "kscope: error: {}", one_line(&error));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line.
fn one_line(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        // Some causes draw a source snippet under their first line; the first line is the cause.
        let full = cause.to_string();
        let text = full
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("")
            .to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// A reader that closed our pipe (`kscope explain ... | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
