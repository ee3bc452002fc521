//! The control loops that keep the simulated cluster alive: a scheduler, the nodes' kubelets,
//! the workload, disruption, endpoints, namespace and node-lifecycle controllers, the
//! certificate signer, and the garbage collector's Foreground and Orphan deletion. They run as
//! one task (on a thread of its own, see `sim::spawn_controllers`) that wakes on store changes
//! and on timers, and only looks at what changed.

mod autoscaler;
mod cron;
mod cronjob;
mod daemonset;
mod deployment;
mod disruption;
mod endpoints;
mod garbage_collector;
mod job;
mod kubelet_agent;
mod namespace;
mod node_leases;
mod node_lifecycle;
pub(crate) mod owned;
mod replicaset;
mod resource_quota;
pub(crate) mod scheduler;
mod signer;
mod statefulset;
mod volumes;
mod work;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::broadcast::error::RecvError;

use super::churn::Churn;
use super::event_ttl::EventTtl;
use super::state::Sim;
use crate::sim::pointer::Pointer;
pub use kubelet_agent::ephemeral_container_exited;
pub use owned::{
    owner_reference as owner_reference_of, pod_from_template as pod_from_template_of,
    template_hash as template_hash_of,
};
pub use work::Work;

/// How often the loop reconciles what changed.
const TICK: Duration = Duration::from_millis(200);

/// Runs every controller until the task is aborted, starting from `work` (what seeding left
/// pending). `churn` is background changes per second; Events expire `event_ttl` after their
/// last write (never when zero).
pub async fn run(sim: Arc<Sim>, churn: f64, event_ttl: Duration, mut work: Work) {
    let mut changes = sim.store.subscribe();
    let mut events = EventTtl::new(event_ttl);
    events.everything(&sim, Instant::now());
    let mut churn = Churn::new(churn, sim.with_rng(|r| r.next_u64()));
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            change = changes.recv() => match change {
                Ok(change) => {
                    work.note(&change);
                    events.note(&change, Instant::now());
                }
                // Missed changes: look at everything once more.
                Err(RecvError::Lagged(_)) => {
                    work.everything(&sim);
                    events.everything(&sim, Instant::now());
                }
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                // Changes that arrived since the last tick are part of this round.
                let now = Instant::now();
                while let Ok(change) = changes.try_recv() {
                    work.note(&change);
                    events.note(&change, now);
                }
                guarded(|| "event expiry".into(), || events.expire(&sim, now));
                reconcile(&sim, &mut work);
                guarded(|| "background churn".into(), || churn.step(&sim, TICK));
            }
        }
    }
}

/// One round: every controller handles what is dirty or due, each look at one object guarded
/// so that a panic costs only that look.
pub fn reconcile(sim: &Sim, work: &mut Work) {
    let now = sim.now();
    work.fire_timers(now);
    for name in work.take_namespaces() {
        guarded(
            || format!("namespace controller, namespace {name}"),
            || namespace::reconcile(sim, &name),
        );
    }
    for (resource, namespace, name) in work.take_collections() {
        guarded(
            || format!("garbage collector, {} {namespace}/{name}", resource.kind),
            || garbage_collector::reconcile(sim, resource, &namespace, &name),
        );
    }
    // Quotas are counted before the owners create pods against them.
    let (mut quota_namespaces, everywhere) = work.take_quota_namespaces();
    if everywhere {
        let quotas = owned::resource("", "resourcequotas");
        let (all, _, _) = sim.store.list(quotas, None, None, |_| true, 0);
        quota_namespaces.extend(all.iter().map(|q| super::store::object_key(q).0));
    }
    for namespace in quota_namespaces {
        guarded(
            || format!("resource quota controller, namespace {namespace}"),
            || resource_quota::reconcile(sim, &namespace),
        );
    }
    for (kind, namespace, name) in work.take_owners() {
        let mut creations = owned::Creations::Done;
        guarded(
            || format!("{kind} controller, {namespace}/{name}"),
            || {
                creations = match kind.as_str() {
                    "Deployment" => {
                        deployment::reconcile(sim, &namespace, &name);
                        owned::Creations::Done
                    }
                    "StatefulSet" => statefulset::reconcile(sim, &namespace, &name),
                    "DaemonSet" => daemonset::reconcile(sim, &namespace, &name),
                    "Job" => job::reconcile(sim, &namespace, &name),
                    // ReplicaSets and ReplicationControllers.
                    other => replicaset::Replicated::from_kind(other)
                        .map_or(owned::Creations::Done, |replicated| {
                            replicaset::reconcile(sim, replicated, &namespace, &name)
                        }),
                }
            },
        );
        match creations {
            owned::Creations::Refused => work.creation_refused(&kind, &namespace, &name, now),
            owned::Creations::Done => work.creations_done(&kind, &namespace, &name),
        }
    }
    if work.take_nodes_changed() {
        guarded(
            || "DaemonSet controller, every set".into(),
            || daemonset::reconcile_all(sim),
        );
        work.retry_unscheduled();
    }
    if work.take_cron_due() {
        guarded(
            || "CronJob controller".into(),
            || cronjob::reconcile_all(sim),
        );
        guarded(
            || "node lifecycle controller".into(),
            || node_lifecycle::reconcile(sim),
        );
        guarded(|| "node leases".into(), || node_leases::reconcile(sim));
        guarded(
            || "horizontal pod autoscaler".into(),
            || autoscaler::reconcile_all(sim),
        );
        work.schedule_cron(now);
    }
    let mut nodes = None;
    for (namespace, name) in work.take_pods() {
        guarded(
            || format!("scheduler, pod {namespace}/{name}"),
            || scheduler::reconcile(sim, work, &mut nodes, &namespace, &name),
        );
        let mut next = None;
        guarded(
            || format!("kubelet, pod {namespace}/{name}"),
            || next = kubelet_agent::reconcile(sim, &namespace, &name),
        );
        if let Some(next) = next {
            work.pod_timer(next, namespace, name);
        }
    }
    let (mut claim_namespaces, everywhere) = work.take_claim_namespaces();
    if everywhere {
        let claims = owned::resource("", "persistentvolumeclaims");
        let (all, _, _) = sim.store.list(claims, None, None, |_| true, 0);
        claim_namespaces.extend(all.iter().map(|c| {
            c.at("/metadata/namespace")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string()
        }));
    }
    for namespace in claim_namespaces {
        guarded(
            || format!("persistent volume controller, namespace {namespace}"),
            || volumes::reconcile(sim, &namespace),
        );
    }
    for name in work.take_certificate_requests() {
        guarded(
            || format!("certificate signer, request {name}"),
            || signer::reconcile(sim, &name),
        );
    }
    for namespace in work.take_budget_namespaces() {
        guarded(
            || format!("disruption controller, namespace {namespace}"),
            || disruption::reconcile(sim, &namespace),
        );
        guarded(
            || format!("endpoints controller, namespace {namespace}"),
            || endpoints::reconcile(sim, &namespace),
        );
    }
}

/// Runs one controller's look at one object. The controllers are written to take objects of
/// any shape; should one still panic (a shape nobody foresaw, a bug), the panic is logged and
/// costs that look only, as a Kubernetes controller logs a failed sync and goes on, instead of
/// ending the one task every controller runs on. The store stays consistent: a write is a
/// single insert made after its closure returns.
fn guarded(what: impl FnOnce() -> String, look: impl FnOnce()) {
    if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(look)) {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!("{} panicked and was skipped: {message}", what());
    }
}

#[cfg(test)]
mod tests;
