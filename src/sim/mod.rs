//! The simulated cluster: an in-memory Kubernetes API server on loopback that speaks the real
//! wire protocol (discovery, list/watch, the three patch types, eviction, logs, Tables), seeded
//! with a believable cluster and kept alive by simple controllers. It backs `kscope demo`,
//! `kscope sim`, and every integration test.

mod addressing;
mod admission;
mod aggregated_discovery;
mod api_error;
mod behavior;
mod certificates;
mod churn;
mod component_status;
mod controllers;
mod decoding;
mod deletion;
mod discovery;
mod event_conversion;
mod event_ttl;
mod events;
mod eviction;
mod fields;
mod handler;
mod kubelet;
mod limit_ranger;
mod list;
mod list_body;
mod logs;
mod managed;
mod metrics;
mod openapi;
mod pod_defaults;
pub(crate) mod pod_tally;
mod pointer;
mod portforward;
mod priority;
mod program;
mod program_log;
mod protobuf;
mod query;
mod quota_admission;
mod rbac;
mod registry;
mod request_log;
mod resource;
mod rng;
mod route;
mod scale;
mod scenario;
mod schema;
mod serving;
mod shell;
mod state;
mod store;
mod stream;
mod table_output;
mod tls;
mod validation;
mod watch;
mod webhooks;
mod write;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use addressing::MAX_NODES;
pub use rbac::{ADMIN, PRESETS, SimUser};
pub use scenario::ClusterShape;
pub use state::Sim;

/// A running simulator.
pub struct RunningSim {
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// The admin's bearer token (the kubeconfig's `kscope-sim` context).
    pub token: String,
    /// The other users' names and tokens, each with a context of its own.
    pub users: Vec<(String, String)>,
    /// The certificate authority that signed the serving certificate (PEM).
    pub ca_pem: String,
    ca_der: Vec<u8>,
    /// The shared state (for tests that inspect or change the cluster directly).
    pub sim: Arc<Sim>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
    /// Dropped (with the simulator, or on `stop`), it ends the controllers' thread.
    controllers: Option<oneshot::Sender<()>>,
}

/// Starts the simulator on `listen` (port 0 picks a free port) with the seeded cluster.
pub async fn start(listen: SocketAddr, shape: ClusterShape) -> Result<RunningSim> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let token = fresh_token()?;
    let mut certificate = tls::generate(address)?;
    let sim = Sim::new(token.clone(), address.to_string(), shape.seed);
    let mut users: Vec<(String, String)> = Vec::new();
    for user in &shape.users {
        if users.iter().any(|(name, _)| *name == user.name) {
            continue;
        }
        let token = fresh_token()?;
        sim.users.add(
            token.clone(),
            rbac::UserInfo::authenticated(&user.name, Vec::new()),
        );
        users.push((user.name.clone(), token));
    }
    let _ = sim.ca_pem.set(certificate.ca_pem.clone());
    if let Some(authority) = certificate.authority.take() {
        let _ = sim.authority.set(authority);
    }
    let work = scenario::seed(&sim, &shape);
    // The controllers' indexes of pods are made before the cluster answers, as
    // kube-controller-manager's controllers start once their informers have synced: made at
    // first use, at 51,539 pods they took the controllers' thread 0.2 s in the first seconds,
    // while the first clients listed.
    pod_tally::Tallied::read(&sim.requested, &sim, |_| ());
    pod_tally::Tallied::read(&sim.controlled, &sim, |_| ());
    let warming = sim.clone();
    tokio::task::spawn_blocking(move || warming.usage.warm(&warming));
    sim.loops_yield
        .store(shape.loops_yield, std::sync::atomic::Ordering::Relaxed);
    let controllers = spawn_controllers(sim.clone(), shape.churn, shape.event_ttl, work)?;
    let router = axum::Router::new()
        .fallback(handler::handle)
        .with_state(sim.clone());
    let (shutdown, stopped) = oneshot::channel::<()>();
    let listener = tls::TlsListener::new(listener, &certificate)?;
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningSim {
        url: format!("https://{address}"),
        token,
        users,
        ca_pem: certificate.ca_pem.clone(),
        ca_der: certificate.ca_der.clone(),
        sim,
        shutdown: Some(shutdown),
        server,
        controllers: Some(controllers),
    })
}

/// Runs the controllers on a thread of their own, at a lower priority than the threads that
/// answer requests where the shape asks it (`ClusterShape::loops_yield`), until the returned
/// sender is dropped. A cluster's control loops run on other machines than its clients, and
/// its API server answers while they work; here they share the machine, and under
/// `--churn 200` at 51,539 pods they keep a core busy: at the same priority, a client's first
/// list (and the client itself, on a small machine) waited for them.
fn spawn_controllers(
    sim: Arc<Sim>,
    churn: f64,
    event_ttl: std::time::Duration,
    work: controllers::Work,
) -> Result<oneshot::Sender<()>> {
    let (stop, stopped) = oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the controllers' runtime")?;
    std::thread::Builder::new()
        .name("sim-controllers".into())
        .spawn(move || {
            lower_this_threads_priority(&sim);
            runtime.block_on(async move {
                tokio::select! {
                    _ = controllers::run(sim, churn, event_ttl, work) => {}
                    _ = stopped => {}
                }
            });
        })
        .context("cannot start the controllers' thread")?;
    Ok(stop)
}

/// Gives the calling thread (the controllers', metrics-server's) the lowest priority, a nice
/// value of 19 (Linux sets it per thread), where the simulator's shape asks it
/// (`ClusterShape::loops_yield`); elsewhere, and where the system refuses, the thread keeps its
/// priority. At 10, under `--churn 200` the control loops still took 0.06–0.14 s of
/// the cores while a client loaded 51,539 pods in 0.6 s; at 19, 0.06 s in four runs of five.
pub(crate) fn lower_this_threads_priority(sim: &Sim) {
    if !sim.loops_yield.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `who` 0 is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

impl RunningSim {
    /// A kubeconfig (YAML) whose current context, `kscope-sim`, is the admin's, with a context
    /// `NAME@kscope-sim` for each other user.
    pub fn kubeconfig(&self) -> String {
        let mut contexts = String::from(
            "- name: kscope-sim\n  context:\n    cluster: kscope-sim\n    user: kscope-sim\n    namespace: default\n",
        );
        let mut users = format!("- name: kscope-sim\n  user:\n    token: {}\n", self.token);
        for (name, token) in &self.users {
            let context = SimUser::context(name);
            contexts.push_str(&format!(
                "- name: {context}\n  context:\n    cluster: kscope-sim\n    user: {context}\n    namespace: default\n"
            ));
            users.push_str(&format!("- name: {context}\n  user:\n    token: {token}\n"));
        }
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: kscope-sim\nclusters:\n- name: kscope-sim\n  cluster:\n    server: {url}\n    certificate-authority-data: {ca}\ncontexts:\n{contexts}users:\n{users}preferences: {{}}\n",
            url = self.url,
            ca = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &self.ca_pem),
        )
    }

    /// A kube client for this simulator.
    pub fn client(&self) -> Result<kube::Client> {
        let mut config = kube::Config::new(self.url.parse().context("simulator URL")?);
        config.default_namespace = "default".to_string();
        config.auth_info.token = Some(self.token.clone().into());
        config.root_cert = Some(vec![self.ca_der.clone()]);
        kube::Client::try_from(config).context("cannot build a client for the simulator")
    }

    /// Stops serving and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.controllers.take();
        // Open watches would hold a graceful shutdown for their whole timeout; a second is
        // plenty for requests in flight.
        if tokio::time::timeout(std::time::Duration::from_secs(1), &mut self.server)
            .await
            .is_err()
        {
            self.server.abort();
        }
    }
}

/// A token nobody can guess: 128 bits from a CSPRNG, the one the TLS stack already draws its
/// keys from (ring's SystemRandom, the operating system's getrandom), so it is as portable as
/// TLS itself and needs no crate of its own.
fn fresh_token() -> Result<String> {
    let mut bytes = [0u8; 16];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("the system's random source failed"))
        .context("cannot make the token")?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_128_random_bits() {
        let first = super::fresh_token().expect("a token");
        let second = super::fresh_token().expect("a token");
        assert_eq!(first.len(), 32);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }
}
