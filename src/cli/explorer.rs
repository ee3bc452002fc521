//! `kscope` and `kscope demo`: the explorer, on a kubeconfig's cluster or on the simulated one.

use anyhow::{Context, Result, bail};

use super::{DemoArgs, ExplorerArgs};
use crate::app::keymap::Keymap;
use crate::cluster::connect::{ClusterTarget, Connection, PluginTerminal, prepare};
use crate::sim::{ClusterShape, MAX_NODES, start};
use crate::ui::theme::{ColourSupport, Theme};

/// The theme `--theme` names (else dark), as the terminal can show it. A theme named on the
/// command line wins over NO_COLOR, as the NO_COLOR convention asks of explicit options.
fn theme(name: Option<&str>) -> Result<Theme> {
    let var = |key: &str| std::env::var(key).ok();
    let no_color = name.is_none().then(|| var("NO_COLOR")).flatten();
    let support = ColourSupport::from_env_values(
        no_color.as_deref(),
        var("COLORTERM").as_deref(),
        var("TERM").as_deref(),
    );
    let theme = match name {
        Some(name) => Theme::named(name, Theme::user_themes_dir().as_deref())?,
        None => Theme::dark(),
    };
    Ok(Theme::for_terminal(theme, support))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(crate::runtime::priority::worker_started)
        .on_thread_stop(crate::runtime::priority::worker_stopped)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn require_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        bail!(
            "the explorer needs a terminal (stdout is not one); for output to a pipe use `kscope explain`"
        );
    }
    Ok(())
}

/// `kscope`: the explorer on the cluster the kubeconfig names.
pub fn run(args: &ExplorerArgs) -> Result<()> {
    // A bad keymap, views file, config or theme is reported before anything else happens.
    let keymap = Keymap::load()?;
    let views = crate::app::views::Views::load()?;
    let settings = crate::app::settings::Settings::load()?;
    let theme = theme(args.theme.as_deref())?;
    require_terminal()?;
    super::log_file::start_logging()?;
    runtime()?.block_on(async {
        // Connecting checks the kubeconfig and context before the screen changes, so that an
        // error is one readable line.
        let target = ClusterTarget {
            kubeconfig: args.kubeconfig.clone(),
            context: args.context.clone(),
        };
        let connection = connect_announcing_plugin(&target).await?;
        let namespace = if args.all_namespaces {
            None
        } else {
            Some(
                args.namespace
                    .clone()
                    .unwrap_or(connection.default_namespace.clone()),
            )
        };
        crate::runtime::run(
            connection,
            Some(target),
            namespace,
            crate::runtime::Options {
                readonly: args.readonly,
                mouse: args.mouse,
                views,
                triage: args.triage,
                open: settings.open.clone(),
            },
            theme,
            keymap,
        )
        .await
    })
}

/// How long a credential plugin may work before the terminal says what is being waited for.
const PLUGIN_NOTICE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Connects before the screen opens, the credential plugin free to prompt on the terminal as
/// under kubectl. A slow plugin (a login in a browser, a cloud CLI) is named on standard error
/// so the wait is not a blank terminal; ctrl-c ends it, the terminal being still as the user's
/// shell left it.
async fn connect_announcing_plugin(target: &ClusterTarget) -> Result<Connection> {
    let pending = prepare(target, PluginTerminal::Shared).await?;
    let Some(plugin) = pending.plugin().map(str::to_string) else {
        return pending.connect().await;
    };
    let context = pending.context().to_string();
    let connecting = pending.connect();
    tokio::pin!(connecting);
    tokio::select! {
        connected = &mut connecting => connected,
        () = tokio::time::sleep(PLUGIN_NOTICE_AFTER) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "kscope: waiting for credential plugin \"{plugin}\" of context \"{context}\" (ctrl-c stops)"
            );
            connecting.await
        }
    }
}

/// `kscope demo`: starts the simulated cluster in this process and explores it.
pub fn run_demo(args: &DemoArgs) -> Result<()> {
    if args.nodes < 4 {
        bail!(
            "--nodes {}: the demo cluster needs at least 4 nodes",
            args.nodes
        );
    }
    if args.nodes > MAX_NODES {
        bail!(
            "--nodes {}: the demo cluster has room for at most {MAX_NODES} nodes (a /24 of pod addresses each in 10.128.0.0/9)",
            args.nodes
        );
    }
    if !args.churn.is_finite() || args.churn < 0.0 {
        bail!(
            "--churn {}: must be a number of changes per second, 0 or more",
            args.churn
        );
    }
    // A bad keymap, views file, config or theme is reported before anything else happens.
    let keymap = Keymap::load()?;
    let views = crate::app::views::Views::load()?;
    let settings = crate::app::settings::Settings::load()?;
    let theme = theme(args.theme.as_deref())?;
    require_terminal()?;
    super::log_file::start_logging()?;
    runtime()?.block_on(async {
        let shape = ClusterShape {
            nodes: args.nodes,
            pods: args.pods,
            churn: args.churn,
            seed: args.seed,
            loops_yield: true,
            ..ClusterShape::default()
        };
        let sim = start("127.0.0.1:0".parse().expect("a valid address"), shape).await?;
        let connection = crate::cluster::connect::Connection {
            client: sim.client()?,
            context: "kscope-demo".to_string(),
            default_namespace: "default".to_string(),
            server: sim.url.clone(),
            contexts: Vec::new(),
        };
        let result = crate::runtime::run(
            connection,
            None,
            None,
            crate::runtime::Options {
                readonly: args.readonly,
                mouse: args.mouse,
                views,
                triage: args.triage,
                open: settings.open.clone(),
            },
            theme,
            keymap,
        )
        .await;
        sim.stop().await;
        result
    })
}
