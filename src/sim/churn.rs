//! Background churn: a steady stream of the changes a busy cluster makes (readiness flaps,
//! pod restarts, scaling, rollouts, events), so that watches have something to show.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::events::{EventType, kubelet, record};
use super::fields;
use super::resource::find_built_in;
use super::rng::Rng;
use super::state::{Sim, time_text};
use super::store::object_key;
use crate::sim::pointer::Pointer;

/// How often the lists churn picks from are refreshed.
const REFRESH: Duration = Duration::from_secs(5);

/// Picks of a pod until one is running: a churned action is made on a running pod (most are).
const PICKS: usize = 8;

/// The most replicas a Deployment the churn scales or restarts has, before and after. Rolling out
/// the generated 100-replica Deployments ten times a second (at `--churn 200`) asked the
/// controllers to replace a thousand pods a second, which no control plane does
/// (kube-controller-manager's clients are held to 20 requests a second): their work grew
/// without bound as the rollouts piled up, and took a core from the clients the cluster serves.
const MOST_REPLICAS: i64 = 8;

/// The churn generator.
pub struct Churn {
    per_second: f64,
    budget: f64,
    rng: Rng,
    /// The pods as they were at the last refresh: which are running is read when one is picked.
    pods: Vec<Arc<Value>>,
    deployments: Vec<(String, String)>,
    since_refresh: Duration,
}

impl Churn {
    /// `per_second` actions a second (0 = none).
    pub fn new(per_second: f64, seed: u64) -> Self {
        Self {
            per_second: per_second.max(0.0),
            budget: 0.0,
            rng: Rng::new(seed),
            pods: Vec::new(),
            deployments: Vec::new(),
            since_refresh: REFRESH,
        }
    }

    /// Makes the changes due in the last `elapsed`.
    pub fn step(&mut self, sim: &Sim, elapsed: Duration) {
        if self.per_second <= 0.0 {
            return;
        }
        self.since_refresh += elapsed;
        if self.since_refresh >= REFRESH {
            self.refresh(sim);
        }
        self.budget += self.per_second * elapsed.as_secs_f64();
        while self.budget >= 1.0 {
            self.budget -= 1.0;
            self.act(sim);
        }
    }

    fn refresh(&mut self, sim: &Sim) {
        self.since_refresh = Duration::ZERO;
        let pods = find_built_in("", "v1", "pods").expect("pods");
        let deployments = find_built_in("apps", "v1", "deployments").expect("deployments");
        // Taken whole under the store's lock (a copy of each pod's pointer), and read outside
        // it: at 51,539 pods, reading each one's phase there held every request for tens of
        // milliseconds every few seconds, and copying each key for the list cost more than the
        // churn's actions.
        self.pods = sim.store.list(pods, None, None, |_| true, 0).0;
        self.deployments = sim
            .store
            .list(
                deployments,
                None,
                None,
                |d| {
                    d.at("/metadata/namespace")
                        .and_then(Value::as_str)
                        .is_none_or(|n| n != "kube-system")
                        && d.at("/spec/replicas")
                            .and_then(Value::as_i64)
                            .is_some_and(|r| r <= MOST_REPLICAS)
                },
                0,
            )
            .0
            .iter()
            .map(|d| object_key(d))
            .collect();
    }

    fn act(&mut self, sim: &Sim) {
        let pods = find_built_in("", "v1", "pods").expect("pods");
        let deployments = find_built_in("apps", "v1", "deployments").expect("deployments");
        let roll = self.rng.below(100);
        if self.pods.is_empty() {
            return;
        }
        let running = |p: &Value| {
            p.at("/status/phase").and_then(Value::as_str) == Some("Running")
                && p.at("/metadata/deletionTimestamp").is_none()
        };
        let Some(pod) = (0..PICKS)
            .map(|_| self.rng.pick(&self.pods))
            .find(|pod| running(pod))
        else {
            return;
        };
        let (namespace, name) = object_key(pod);
        match roll {
            // A readiness probe fails once; the kubelet reports it ready again on its next pass.
            0..=54 => {
                let now = time_text(sim.now());
                let flapped = sim.store.modify(pods, &namespace, &name, |pod| {
                    let Some(statuses) = pod
                        .at_mut("/status/containerStatuses")
                        .and_then(Value::as_array_mut)
                    else {
                        return false;
                    };
                    let Some(first) = statuses.first_mut() else {
                        return false;
                    };
                    if first["ready"] != true {
                        return false;
                    }
                    first["ready"] = json!(false);
                    if let Some(conditions) = pod
                        .at_mut("/status/conditions")
                        .and_then(Value::as_array_mut)
                    {
                        for c in conditions
                            .iter_mut()
                            .filter(|c| c["type"] == "Ready" || c["type"] == "ContainersReady")
                        {
                            c["status"] = json!("False");
                            c["reason"] = json!("ContainersNotReady");
                            c["lastTransitionTime"] = json!(now);
                        }
                    }
                    true
                });
                if let Ok(pod) = flapped {
                    let node = pod
                        .at("/spec/nodeName")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let container = pod
                        .at("/spec/containers/0/name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    record(
                        sim,
                        &pod,
                        Some(&format!("spec.containers{{{container}}}")),
                        EventType::Warning,
                        "Unhealthy",
                        "Readiness probe failed: Get \"http://10.244.1.7:8080/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                        kubelet(&node),
                    );
                }
            }
            // A pod of a ReplicaSet is deleted; its controller replaces it.
            55..=79 => {
                let owned = sim.store.get(pods, &namespace, &name).is_some_and(|p| {
                    p.at("/metadata/ownerReferences/0/kind")
                        .and_then(Value::as_str)
                        == Some("ReplicaSet")
                });
                if owned {
                    let _ = super::deletion::delete_default(sim, pods, &namespace, &name, Some(1));
                }
            }
            // A deployment scales by one, within a small range of its size.
            80..=94 => {
                if self.deployments.is_empty() {
                    return;
                }
                let (namespace, name) = self.rng.pick(&self.deployments).clone();
                let up = self.rng.chance(0.5);
                let _ = sim.store.modify(deployments, &namespace, &name, |d| {
                    let replicas = d.at("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
                    let next = if up {
                        replicas.saturating_add(1)
                    } else {
                        replicas.saturating_sub(1)
                    };
                    if !(1..=MOST_REPLICAS).contains(&next) {
                        return false;
                    }
                    let generation = d
                        .at("/metadata/generation")
                        .and_then(Value::as_i64)
                        .unwrap_or(1);
                    fields::set(d, &["spec", "replicas"], json!(next))
                        && fields::set(
                            d,
                            &["metadata", "generation"],
                            json!(generation.saturating_add(1)),
                        )
                });
            }
            // A rollout restart, as `kubectl rollout restart` does it, of a small Deployment.
            _ => {
                if self.deployments.is_empty() {
                    return;
                }
                let (namespace, name) = self.rng.pick(&self.deployments).clone();
                let now = time_text(sim.now());
                let _ = sim.store.modify(deployments, &namespace, &name, |d| {
                    let generation = d
                        .at("/metadata/generation")
                        .and_then(Value::as_i64)
                        .unwrap_or(1);
                    fields::set(
                        d,
                        &[
                            "spec",
                            "template",
                            "metadata",
                            "annotations",
                            "kubectl.kubernetes.io/restartedAt",
                        ],
                        json!(now),
                    ) && fields::set(
                        d,
                        &["metadata", "generation"],
                        json!(generation.saturating_add(1)),
                    )
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{ClusterShape, seed};

    fn generations(sim: &Sim) -> Vec<(String, i64, i64)> {
        let deployments = find_built_in("apps", "v1", "deployments").expect("deployments");
        let (all, _, _) = sim.store.list(deployments, None, None, |_| true, 0);
        all.iter()
            .map(|d| {
                (
                    object_key(d).1,
                    d.at("/spec/replicas").and_then(Value::as_i64).unwrap_or(0),
                    d.at("/metadata/generation")
                        .and_then(Value::as_i64)
                        .unwrap_or(1),
                )
            })
            .collect()
    }

    #[test]
    fn only_small_deployments_are_scaled_or_rolled_out() {
        let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 1);
        let shape = ClusterShape {
            pods: 300,
            ..Default::default()
        };
        let _ = seed(&sim, &shape);
        let before = generations(&sim);
        let large = before
            .iter()
            .filter(|(_, replicas, _)| *replicas > 8)
            .count();
        assert_eq!(large, 3, "{before:?}");
        let mut churn = Churn::new(200.0, 7);
        for _ in 0..50 {
            churn.step(&sim, Duration::from_millis(200));
        }
        let after = generations(&sim);
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(_, a)| a)
            .collect();
        // 2,000 actions, a fifth of them on Deployments: many are changed, none of the large.
        assert!(changed.len() > 3, "{changed:?}");
        assert!(
            changed
                .iter()
                .all(|(_, replicas, _)| (1..=8).contains(replicas)),
            "{changed:?}"
        );
        for ((name, replicas, generation), (_, replicas_after, generation_after)) in
            before.iter().zip(&after)
        {
            if *replicas > 8 {
                assert_eq!(
                    (replicas, generation),
                    (replicas_after, generation_after),
                    "{name}"
                );
            }
        }
    }
}
