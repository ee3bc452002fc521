//! A client from a kubeconfig, resolved the way kubectl resolves it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use kube::Client;
use kube::config::{Config, KubeConfigOptions, Kubeconfig};

/// Where the user pointed us: `--kubeconfig` and `--context`.
#[derive(Debug, Clone, Default)]
pub struct ClusterTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

/// A connected client and the namespace its context defaults to.
pub struct Connection {
    pub client: Client,
    /// The kubeconfig context in use ("in-cluster" without a kubeconfig).
    pub context: String,
    pub default_namespace: String,
    /// The API server's URL, for error messages.
    pub server: String,
    /// Every context of the kubeconfig in use (none in a cluster or the demo), to switch to.
    pub contexts: Vec<String>,
}

/// Builds a client: `--kubeconfig`, else `$KUBECONFIG` (several files merged), else
/// `~/.kube/config`, else the in-cluster service account.
pub async fn connect(target: &ClusterTarget) -> Result<Connection> {
    let mut context_name = "in-cluster".to_string();
    let mut contexts = Vec::new();
    let mut config = match load_kubeconfig(target)? {
        Some((kubeconfig, source)) => {
            contexts = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
            context_name = target
                .context
                .clone()
                .or_else(|| kubeconfig.current_context.clone())
                .unwrap_or_default();
            if let Some(context) = &target.context
                && !kubeconfig.contexts.iter().any(|c| &c.name == context)
            {
                let known: Vec<&str> = kubeconfig.contexts.iter().map(|c| c.name.as_str()).collect();
                bail!(
                    "context \"{context}\" not found in {source} (contexts: {})",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                );
            }
            let options = KubeConfigOptions {
                context: target.context.clone(),
                ..KubeConfigOptions::default()
            };
            Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .with_context(|| format!("cannot use {source}"))?
        }
        None => Config::incluster().context(
            "no kubeconfig found ($KUBECONFIG and ~/.kube/config are absent) and not running in a cluster",
        )?,
    };
    // Fail fast on an unreachable server rather than hang an incident.
    config.connect_timeout = Some(Duration::from_secs(10));
    config.read_timeout = Some(Duration::from_secs(30));
    let server = config.cluster_url.to_string();
    let default_namespace = config.default_namespace.clone();
    let client =
        Client::try_from(config).with_context(|| format!("cannot build a client for {server}"))?;
    Ok(Connection {
        client,
        context: context_name,
        default_namespace,
        server,
        contexts,
    })
}

/// Reads the kubeconfig the user meant, with a name for it in errors. `None` means none exists
/// and no path was given explicitly.
fn load_kubeconfig(target: &ClusterTarget) -> Result<Option<(Kubeconfig, String)>> {
    if let Some(path) = &target.kubeconfig {
        let source = format!("kubeconfig {}", path.display());
        let kubeconfig =
            Kubeconfig::read_from(path).with_context(|| format!("cannot read {source}"))?;
        return Ok(Some((kubeconfig, source)));
    }
    if let Some(paths) = std::env::var_os("KUBECONFIG").filter(|p| !p.is_empty()) {
        let mut merged: Option<Kubeconfig> = None;
        for path in std::env::split_paths(&paths).filter(|p| !p.as_os_str().is_empty()) {
            if !path.exists() {
                // kubectl skips missing files in KUBECONFIG.
                continue;
            }
            let one = Kubeconfig::read_from(&path).with_context(|| {
                format!(
                    "cannot read kubeconfig {} (from $KUBECONFIG)",
                    path.display()
                )
            })?;
            merged = Some(match merged {
                None => one,
                Some(earlier) => earlier
                    .merge(one)
                    .context("cannot merge the files in $KUBECONFIG")?,
            });
        }
        return Ok(merged.map(|k| (k, "the kubeconfig from $KUBECONFIG".to_string())));
    }
    let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
        return Ok(None);
    };
    let path = home.join(".kube").join("config");
    if !path.exists() {
        return Ok(None);
    }
    let source = format!("kubeconfig {}", path.display());
    let kubeconfig =
        Kubeconfig::read_from(&path).with_context(|| format!("cannot read {source}"))?;
    Ok(Some((kubeconfig, source)))
}
