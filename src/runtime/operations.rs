//! Carries out a confirmed operation with the cluster's action calls, and answers with the
//! server's words.

use jiff::Timestamp;
use kube::Client;

use crate::app::operation::Operation;
use crate::cluster::actions::{self, DeleteChoice, ObjectRef};

/// Runs `operation`; `Ok` is kubectl's line for it, `Err` one line with the server's words.
pub async fn run(client: Client, operation: Operation) -> Result<String, String> {
    let text = |outcome: actions::ActionOutcome| match outcome.warning {
        Some(warning) => format!("{} ({warning})", outcome.message),
        None => outcome.message,
    };
    match operation {
        Operation::Cordon { node } => {
            crate::cluster::drain::set_unschedulable(&client, &node, true, false)
                .await
                .map(|outcome| outcome.text())
        }
        Operation::Uncordon { node } => {
            crate::cluster::drain::set_unschedulable(&client, &node, false, false)
                .await
                .map(|outcome| outcome.text())
        }
        Operation::Delete {
            objects,
            grace_period_seconds,
            force,
        } => {
            let refs: Vec<ObjectRef> = objects
                .iter()
                .map(|c| ObjectRef::of(&c.target, &c.key).with_uid(c.uid.clone()))
                .collect();
            delete_all(
                client,
                refs,
                DeleteChoice {
                    grace_period_seconds,
                    force,
                },
            )
            .await
        }
        Operation::DeleteFailedPods { pods, .. } => {
            let refs = pods
                .iter()
                .map(|(c, _)| ObjectRef::of(&c.target, &c.key).with_uid(c.uid.clone()))
                .collect();
            delete_all(client, refs, DeleteChoice::default()).await
        }
        Operation::Scale {
            target,
            key,
            replicas,
            ..
        } => actions::scale(&client, &ObjectRef::of(&target, &key), replicas, false)
            .await
            .map(text),
        Operation::RestartRollout { target, key } => actions::restart_rollout(
            &client,
            &ObjectRef::of(&target, &key),
            Timestamp::now(),
            false,
        )
        .await
        .map(text),
        Operation::SetImage {
            target,
            key,
            container,
            image,
        } => actions::set_image(
            &client,
            &ObjectRef::of(&target, &key),
            &container,
            &image,
            false,
        )
        .await
        .map(text),
        Operation::JobFromCronJob { namespace, cronjob } => actions::create_job_from_cronjob(
            &client,
            &namespace,
            &cronjob,
            None,
            Timestamp::now(),
            false,
        )
        .await
        .map(text),
    }
}

/// Deletes several objects in parallel; one line for all: how many went, and the first failure.
async fn delete_all(
    client: Client,
    refs: Vec<ObjectRef>,
    choice: DeleteChoice,
) -> Result<String, String> {
    let total = refs.len();
    let (sender, mut results) = tokio::sync::mpsc::unbounded_channel();
    actions::delete_many(&client, refs, choice, false, sender).await;
    let mut deleted = Vec::new();
    let mut failed = Vec::new();
    while let Ok((_, result)) = results.try_recv() {
        match result {
            Ok(outcome) => deleted.push(outcome.message),
            Err(error) => failed.push(error),
        }
    }
    match (total, deleted.len(), failed.first()) {
        (1, 1, None) => Ok(deleted.remove(0)),
        (_, _, None) => Ok(format!("{} of {total} deleted", deleted.len())),
        (_, _, Some(first)) => Err(format!(
            "{} of {total} deleted, {} failed: {first}",
            deleted.len(),
            failed.len()
        )),
    }
}
