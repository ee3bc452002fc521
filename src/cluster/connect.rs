//! A client from a kubeconfig, resolved the way kubectl resolves it; a credential plugin run
//! off the runtime's workers and given a time limit.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use kube::Client;
use kube::config::{Config, ExecInteractiveMode, KubeConfigOptions, Kubeconfig};

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

/// How long a credential plugin may take to give a credential: kube-rs runs the plugin up to
/// three times while it builds a client, so this bounds them all.
pub const PLUGIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether a kubeconfig's credential plugin may use the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluginTerminal {
    /// Before the screen opens: a plugin may prompt and print (a login URL), as under kubectl.
    Shared,
    /// The explorer's screen is open: its keys and its drawing are the explorer's, so the
    /// plugin gets neither (it would take keys from the screen and print over it).
    Withheld,
}

/// A kubeconfig read and checked, whose client is not built yet: building it runs the
/// context's credential plugin, if it has one, which may take long.
pub struct Pending {
    config: Config,
    context: String,
    contexts: Vec<String>,
    /// The credential plugin's command, as the kubeconfig names it.
    plugin: Option<String>,
}

/// Builds a client: `--kubeconfig`, else `$KUBECONFIG` (several files merged), else
/// `~/.kube/config`, else the in-cluster service account.
pub async fn connect(target: &ClusterTarget, terminal: PluginTerminal) -> Result<Connection> {
    prepare(target, terminal).await?.connect().await
}

/// Reads the kubeconfig and checks what can be checked without the cluster: the context, the
/// certificate authority, whether the plugin can run without the terminal.
pub async fn prepare(target: &ClusterTarget, terminal: PluginTerminal) -> Result<Pending> {
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
            check_certificate_authority(&kubeconfig, &context_name)
                .with_context(|| format!("context \"{context_name}\" in {source}"))?;
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
    let plugin = config
        .auth_info
        .exec
        .as_ref()
        .map(|exec| exec.command.clone().unwrap_or_default());
    if terminal == PluginTerminal::Withheld
        && let Some(exec) = &mut config.auth_info.exec
    {
        if exec.interactive_mode == Some(ExecInteractiveMode::Always) {
            bail!(
                "credential plugin \"{}\" of context \"{context_name}\" needs a terminal (interactiveMode: Always), and the explorer's screen holds it; start kscope with --context {context_name} to log in first",
                plugin.as_deref().unwrap_or_default()
            );
        }
        // The plugin is told (in KUBERNETES_EXEC_INFO) that nobody can answer it, and gets no
        // standard input or error.
        exec.interactive_mode = Some(ExecInteractiveMode::Never);
    }
    // Fail fast on an unreachable server rather than hang an incident.
    config.connect_timeout = Some(Duration::from_secs(10));
    config.read_timeout = Some(Duration::from_secs(30));
    Ok(Pending {
        config,
        context: context_name,
        contexts,
        plugin,
    })
}

impl Pending {
    /// The context's credential plugin (its command), when it has one.
    pub fn plugin(&self) -> Option<&str> {
        self.plugin.as_deref()
    }

    /// The kubeconfig context in use.
    pub fn context(&self) -> &str {
        &self.context
    }

    /// Builds the client, its credential plugin given `PLUGIN_TIMEOUT`.
    pub async fn connect(self) -> Result<Connection> {
        self.connect_within(PLUGIN_TIMEOUT).await
    }

    /// Builds the client. kube-rs runs a credential plugin with `std::process` while it builds
    /// (blocking whichever thread it is on), so with a plugin the client is built on a thread
    /// of its own while this waits at most `limit`; a plugin that never answers leaves only
    /// that thread waiting, which ends with the process.
    pub async fn connect_within(self, limit: Duration) -> Result<Connection> {
        let server = self.config.cluster_url.to_string();
        let default_namespace = self.config.default_namespace.clone();
        let built = match &self.plugin {
            None => Client::try_from(self.config),
            Some(plugin) => {
                let (sender, receiver) = tokio::sync::oneshot::channel();
                let runtime = tokio::runtime::Handle::current();
                let config = self.config;
                std::thread::Builder::new()
                    .name("credential-plugin".into())
                    .spawn(move || {
                        // kube-rs starts the client's request buffer as a task while it builds.
                        let _entered = runtime.enter();
                        let _ = sender.send(Client::try_from(config));
                    })
                    .context("cannot start a thread for the credential plugin")?;
                match tokio::time::timeout(limit, receiver).await {
                    Ok(Ok(built)) => built,
                    Ok(Err(_)) => {
                        bail!("credential plugin \"{plugin}\" ended the thread it ran on")
                    }
                    Err(_) => bail!(
                        "credential plugin \"{plugin}\" did not answer within {}s",
                        limit.as_secs()
                    ),
                }
            }
        };
        let client = built.map_err(|error| {
            let cause = match &self.plugin {
                Some(plugin) => super::api_error::plugin_error(&error, plugin),
                None => None,
            };
            anyhow!(
                "cannot build a client for {server}: {}",
                cause.unwrap_or_else(|| super::api_error::unreached(&error))
            )
        })?;
        Ok(Connection {
            client,
            context: self.context,
            default_namespace,
            server,
            contexts: self.contexts,
        })
    }
}

/// Checks the certificate authority of the context's cluster as kube-rs will use it: data
/// that holds no certificate would otherwise be taken as trusting nothing, and every call
/// would then fail as if the server's certificate were signed by an unknown authority.
fn check_certificate_authority(kubeconfig: &Kubeconfig, context: &str) -> Result<()> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let cluster_name = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .map(|c| c.cluster.as_str());
    let Some((cluster_name, cluster)) = cluster_name.and_then(|name| {
        kubeconfig
            .clusters
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.cluster.as_ref())
            .map(|cluster| (name, cluster))
    }) else {
        // kube-rs names a missing cluster itself.
        return Ok(());
    };
    let (what, bytes) = if let Some(data) = &cluster.certificate_authority_data {
        let what = format!("certificate-authority-data of cluster \"{cluster_name}\"");
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|error| anyhow!("cannot read {what}: not base64 ({error})"))?;
        (what, bytes)
    } else if let Some(path) = &cluster.certificate_authority {
        let what = format!("certificate-authority {path} of cluster \"{cluster_name}\"");
        let bytes = std::fs::read(path).map_err(|error| anyhow!("cannot read {what}: {error}"))?;
        (what, bytes)
    } else {
        return Ok(());
    };
    let mut roots = rustls::RootCertStore::empty();
    for (number, certificate) in CertificateDer::pem_slice_iter(&bytes).enumerate() {
        let certificate =
            certificate.map_err(|error| anyhow!("cannot read {what}: not PEM ({error})"))?;
        roots.add(certificate).map_err(|_| {
            anyhow!(
                "cannot read {what}: certificate {} in it is not an X.509 certificate",
                number + 1
            )
        })?;
    }
    if roots.is_empty() {
        bail!("cannot read {what}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)");
    }
    Ok(())
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

#[cfg(test)]
#[path = "connect_tests.rs"]
mod tests;
