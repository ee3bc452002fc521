//! `kscope triage`: the findings of the whole cluster (or a namespace, or a dump) without the
//! explorer, for people, programs and incident channels.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use serde_json::Value;

use super::explain_text::Palette;
use super::triage_text::{write_markdown, write_text};
use super::{TriageArgs, TriageFormat};
use crate::cluster::connect::{ClusterTarget, PluginTerminal, connect};
use crate::cluster::fetch::list_scope_pages;
use crate::model::findings::{
    Finding, READ, object_for_triage, objects_for_triage, triage_objects,
};
use crate::model::kind::WatchedKind;
use crate::model::manifest::KubeObject;

/// Runs the subcommand; `Ok(true)` when something was found.
pub fn run(args: &TriageArgs) -> Result<bool> {
    let now = args.now.unwrap_or_else(Timestamp::now);
    let (objects, namespace) = match &args.filename {
        Some(path) => {
            let (text, source) = super::read_input(path)?;
            let objects = parse_dump(&text).with_context(|| source.clone())?;
            if objects.is_empty() {
                bail!("{source}: no objects found");
            }
            (objects, args.namespace.clone())
        }
        None => fetch_live(args)?,
    };
    let mut findings = triage_objects(&objects, now);
    if let Some(namespace) = &namespace {
        findings.retain(|f| touches(f, namespace));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.output {
        TriageFormat::Json => {
            // One finding per line, so a script reads them as they come.
            for finding in &findings {
                serde_json::to_writer(&mut out, finding).context("cannot write the output")?;
                writeln!(out).context("cannot write the output")?;
            }
        }
        TriageFormat::Text => {
            let palette = Palette::for_stream(std::io::stdout().is_terminal());
            write_text(&mut out, &findings, now, &palette).context("cannot write the output")?;
        }
        TriageFormat::Markdown => {
            write_markdown(&mut out, &findings, now).context("cannot write the output")?;
        }
    }
    out.flush().context("cannot write the output")?;
    Ok(!findings.is_empty())
}

/// Whether a finding is about something in `namespace` (a node's finding is, when it holds
/// pods of the namespace).
fn touches(finding: &Finding, namespace: &str) -> bool {
    finding.scope.namespaces.iter().any(|n| n == namespace)
        || finding.members.iter().any(|m| m.namespace == namespace)
}

/// A dump as `kubectl get ... -o yaml` writes it: the kinds triage reads are kept, any other
/// (ConfigMaps, Endpoints, ...) is passed over rather than refused.
fn parse_dump(text: &str) -> Result<Vec<KubeObject>> {
    let documents = crate::model::manifest::parse_documents(text)?;
    let mut kept = Vec::new();
    for document in documents {
        let mut items = match document.get("items") {
            Some(_) if is_list(&document) => match document {
                Value::Object(mut map) => match map.remove("items") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            },
            _ => vec![document],
        };
        items.retain(|item| {
            let kind = item.get("kind").and_then(Value::as_str).unwrap_or("");
            READ.iter().any(|k| k.kind_name() == kind) || kind.is_empty()
        });
        kept.extend(items);
    }
    objects_for_triage(kept)
}

fn is_list(document: &Value) -> bool {
    document
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind == "List" || kind.ends_with("List"))
}

/// Lists what triage reads in the scope asked for, through the kubeconfig.
fn fetch_live(args: &TriageArgs) -> Result<(Vec<KubeObject>, Option<String>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let cluster = ClusterTarget {
        kubeconfig: args.kubeconfig.clone(),
        context: args.context.clone(),
    };
    let (objects, namespace) = runtime.block_on(async {
        let connection = connect(&cluster, PluginTerminal::Shared).await?;
        let namespace = if args.all_namespaces {
            None
        } else {
            Some(
                args.namespace
                    .clone()
                    .unwrap_or_else(|| connection.default_namespace.clone()),
            )
        };
        let mut objects = Vec::new();
        for kind in READ {
            // A page's objects are typed as they come, so a big cluster is never held as
            // text and values at once.
            let before = objects.len();
            let listed = list_scope_pages(&connection, kind, namespace.as_deref(), |items| {
                for item in items {
                    objects.push(object_for_triage(kind, item.get())?);
                }
                Ok(())
            })
            .await;
            match (kind, listed) {
                (_, Ok(())) => {}
                // Evidence only, or what a reader of workloads may not list (nodes, claims):
                // the pods' findings stand without them, and the user is told what is left out.
                (
                    WatchedKind::Events
                    | WatchedKind::Nodes
                    | WatchedKind::Namespaces
                    | WatchedKind::PersistentVolumeClaims,
                    Err(error),
                ) => {
                    objects.truncate(before);
                    eprintln!(
                        "kscope: {} left out: {}",
                        kind.kind_name(),
                        format!("{error:#}").lines().next().unwrap_or("")
                    )
                }
                (_, Err(error)) => return Err(error),
            }
        }
        anyhow::Ok((objects, namespace))
    })?;
    Ok((objects, namespace))
}
