//! Cordon and uncordon, as `kubectl cordon` / `uncordon` do them.

use super::*;

/// Why a cordon failed: reading the node (kubectl stops there) or writing it (kubectl reports
/// it and drains anyway).
pub(super) enum CordonError {
    Read(kube::Error),
    Write(String),
}

/// Cordons (`unschedulable = true`) or uncordons a node as `kubectl cordon` / `uncordon` do: the
/// node is read, nothing is sent when it already has the value ("already cordoned"), else a
/// strategic merge patch of `spec.unschedulable` (with `dryRun=All` when `dry_run`). An error is
/// one line naming the call, with the server's message verbatim.
pub async fn set_unschedulable(
    client: &kube::Client,
    node: &str,
    unschedulable: bool,
    dry_run: bool,
) -> Result<CordonOutcome, String> {
    change_unschedulable(client, node, unschedulable, dry_run)
        .await
        .map_err(|error| match error {
            CordonError::Read(error) => format!("get node \"{node}\": {}", error_text(&error)),
            CordonError::Write(text) => format!("patch node \"{node}\": {text}"),
        })
}

pub(super) async fn change_unschedulable(
    client: &kube::Client,
    node: &str,
    unschedulable: bool,
    dry_run: bool,
) -> Result<CordonOutcome, CordonError> {
    let nodes: Api<Node> = Api::all(client.clone());
    let current = nodes.get(node).await.map_err(CordonError::Read)?;
    let was = current
        .spec
        .and_then(|spec| spec.unschedulable)
        .unwrap_or(false);
    let mut outcome = CordonOutcome {
        node: node.to_string(),
        unschedulable,
        changed: false,
        dry_run,
    };
    if was == unschedulable {
        return Ok(outcome);
    }
    // kubectl's two-way merge of the node before and after: the field is `omitempty`, so
    // uncordoning removes it rather than writing `false`.
    let value = if unschedulable {
        json!(true)
    } else {
        Value::Null
    };
    let patch = json!({"spec": {"unschedulable": value}});
    let params = PatchParams {
        dry_run,
        ..PatchParams::default()
    };
    nodes
        .patch(node, &params, &Patch::Strategic(&patch))
        .await
        .map_err(|error| CordonError::Write(error_text(&error)))?;
    outcome.changed = true;
    Ok(outcome)
}
