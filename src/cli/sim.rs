//! `kscope sim`: the simulated cluster, headless, until SIGINT or SIGTERM.

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::SimArgs;
use crate::sim::{ClusterShape, MAX_NODES, start};

/// Runs the subcommand.
pub fn run(args: &SimArgs) -> Result<()> {
    if args.nodes < 4 {
        bail!(
            "--nodes {}: the simulated cluster needs at least 4 nodes (a control plane, workers, one cordoned, one NotReady)",
            args.nodes
        );
    }
    if args.nodes > MAX_NODES {
        bail!(
            "--nodes {}: the simulated cluster has room for at most {MAX_NODES} nodes (a /24 of pod addresses each in 10.128.0.0/9)",
            args.nodes
        );
    }
    if !args.churn.is_finite() || args.churn < 0.0 {
        bail!(
            "--churn {}: must be a number of changes per second, 0 or more",
            args.churn
        );
    }
    let mut users = crate::sim::SimUser::presets();
    for user in &args.users {
        if users.iter().any(|u| u.name == user.name) {
            bail!("--user {}: there is already a user of that name", user.name);
        }
        users.push(user.clone());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let shape = ClusterShape {
            nodes: args.nodes,
            pods: args.pods,
            churn: args.churn,
            seed: args.seed,
            event_ttl: args.event_ttl,
            users,
            loops_yield: true,
        };
        let started = std::time::Instant::now();
        let sim = start(args.listen, shape).await?;
        sim.sim
            .log_requests
            .store(args.log_requests, std::sync::atomic::Ordering::Relaxed);
        let gates = args.feature_gates.unwrap_or_default();
        sim.sim
            .watch_list
            .store(gates.watch_list, std::sync::atomic::Ordering::Relaxed);
        if let Some(path) = &args.write_kubeconfig {
            write_private(path, &sim.kubeconfig())
                .with_context(|| format!("cannot write the kubeconfig to {}", path.display()))?;
        }
        let mut out = std::io::stdout();
        writeln!(
            out,
            "kscope sim: serving {} ({} nodes, seeded in {} ms){}",
            sim.url,
            args.nodes,
            started.elapsed().as_millis(),
            args.write_kubeconfig
                .as_ref()
                .map(|p| format!("; kubeconfig written to {}", p.display()))
                .unwrap_or_default()
        )?;
        out.flush()?;
        wait_for_shutdown().await?;
        sim.stop().await;
        anyhow::Ok(())
    })
}

/// A kubeconfig holds a credential: only its owner may read it.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

async fn wait_for_shutdown() -> Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.context("cannot listen for SIGINT")?,
        _ = terminate.recv() => {}
    }
    Ok(())
}
