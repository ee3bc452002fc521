//! `kscope explain`: read objects from a file, standard input or the cluster, and explain them.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use serde_json::Value;

use super::explain_text::{Palette, write_explanation};
use super::{ExplainArgs, OutputFormat};
use crate::cluster::connect::{ClusterTarget, PluginTerminal, connect};
use crate::cluster::fetch::{events_about, get_object, list_in_namespace};
use crate::model::explanation::EXPLAINED_KINDS;
use crate::model::explanation::explanations;
use crate::model::kind::WatchedKind;
use crate::model::manifest::{SUPPORTED, parse_objects};
use crate::model::workload_explain::pod_selector;

/// Runs the subcommand.
pub fn run(args: &ExplainArgs) -> Result<()> {
    let now = args.now.unwrap_or_else(Timestamp::now);
    let objects = match (&args.filename, &args.target) {
        (Some(path), _) => {
            let (text, source) = super::read_input(path)?;
            let objects = parse_objects(&text).with_context(|| source.clone())?;
            if objects.is_empty() {
                bail!("{source}: no objects found");
            }
            objects
        }
        (None, Some(target)) => fetch_live(args, target)?,
        (None, None) => unreachable!("clap requires a target or a file"),
    };
    let mut explanations = explanations(&objects, now).peekable();
    if explanations.peek().is_none() {
        bail!("nothing to explain: the input holds only Events");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.output {
        OutputFormat::Json => {
            // One JSON object per line, so several objects stream to line-oriented tools.
            for explanation in explanations {
                serde_json::to_writer(&mut out, &explanation).context("cannot write the output")?;
                writeln!(out).context("cannot write the output")?;
            }
        }
        OutputFormat::Text => {
            let palette = Palette::for_stream(std::io::stdout().is_terminal());
            for (index, explanation) in explanations.enumerate() {
                if index > 0 {
                    writeln!(out)?;
                }
                write_explanation(&mut out, &explanation, &palette)?;
            }
        }
    }
    out.flush().context("cannot write the output")?;
    Ok(())
}

/// Reads the live object (and, for a pod, the events about it) through the kubeconfig.
fn fetch_live(args: &ExplainArgs, target: &str) -> Result<Vec<crate::model::manifest::KubeObject>> {
    let (kind, name) = parse_target(target)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let cluster = ClusterTarget {
        kubeconfig: args.kubeconfig.clone(),
        context: args.context.clone(),
    };
    let documents = runtime.block_on(async {
        let connection = connect(&cluster, PluginTerminal::Shared).await?;
        let namespace = if kind.namespaced() {
            args.namespace
                .clone()
                .unwrap_or_else(|| connection.default_namespace.clone())
        } else {
            String::new()
        };
        let object = get_object(&connection, kind, &namespace, name).await?;
        // Events only add evidence: an explanation without them is still right.
        let events = events_about(&connection, kind, &namespace, name)
            .await
            .unwrap_or_default();
        let mut documents: Vec<Value> = std::iter::once(object.clone()).chain(events).collect();
        if EXPLAINED_KINDS.contains(&kind.kind_name()) {
            // A workload is explained with its pods, what it owns and its namespace's events.
            if let Some(selector) = pod_selector(kind.kind_name(), &object) {
                let selector = selector.to_string();
                documents.extend(
                    list_in_namespace(&connection, WatchedKind::Pods, &namespace, Some(&selector))
                        .await?,
                );
            }
            if let Some(controlled) = kind.info().can.controls {
                documents
                    .extend(list_in_namespace(&connection, controlled, &namespace, None).await?);
            }
            documents.extend(
                list_in_namespace(&connection, WatchedKind::Events, &namespace, None)
                    .await
                    .unwrap_or_default(),
            );
        }
        anyhow::Ok(documents)
    })?;
    let list = serde_json::json!({"kind": "List", "items": documents});
    parse_objects(&list.to_string())
        .with_context(|| format!("{} \"{name}\" from the API server", kind.info().singular))
}

/// `NAME` (a pod), or `KIND/NAME` with kubectl's names and short names for the kind.
fn parse_target(target: &str) -> Result<(WatchedKind, &str)> {
    let (kind, name) = match target.split_once('/') {
        None => (WatchedKind::Pods, target),
        Some((word, name)) => match WatchedKind::named(word) {
            Some(kind @ (WatchedKind::Pods | WatchedKind::Nodes | WatchedKind::Namespaces)) => {
                (kind, name)
            }
            Some(kind) if EXPLAINED_KINDS.contains(&kind.kind_name()) => (kind, name),
            _ => bail!(
                "cannot explain \"{}\": kscope explains {SUPPORTED} (pod/NAME, node/NAME, deploy/NAME, svc/NAME ...)",
                word.to_ascii_lowercase()
            ),
        },
    };
    if name.is_empty() || name.contains('/') {
        bail!(
            "\"{target}\" is not a valid name: use POD or KIND/NAME (node/NAME, deploy/NAME ...)"
        );
    }
    Ok((kind, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("web-1").unwrap(), (WatchedKind::Pods, "web-1"));
        assert_eq!(
            parse_target("po/web-1").unwrap(),
            (WatchedKind::Pods, "web-1")
        );
        assert_eq!(parse_target("node/n1").unwrap(), (WatchedKind::Nodes, "n1"));
        assert_eq!(
            parse_target("NS/kube-system").unwrap(),
            (WatchedKind::Namespaces, "kube-system")
        );
        assert!(
            parse_target("cm/web")
                .unwrap_err()
                .to_string()
                .contains("cannot explain \"cm\"")
        );
        assert!(parse_target("pod/").is_err());
        assert!(parse_target("pod/a/b").is_err());
    }
}
