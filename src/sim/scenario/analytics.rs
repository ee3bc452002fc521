//! The seeded `analytics` namespace: a LimitRange gives the containers that name no resources
//! their defaults, and a quota on requested CPU holds the dashboards Deployment one replica
//! short since it was scaled up two hours ago: its ReplicaSet's third pod is refused
//! (`FailedCreate`, combined from similar events, and the `ReplicaFailure` condition).

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::{Seeder, ago, resource};
use crate::sim::events::{EventType, Occurrences, controller, record_combined_history};
use crate::sim::pointer::Pointer;

/// When the Deployment was scaled from two replicas to three.
const SCALED_AGO: i64 = 2 * 3600;

impl Seeder<'_> {
    pub(super) fn analytics(&self) {
        let age = 4 * 86400;
        self.put(
            resource("", "limitranges"),
            json!({"metadata": {"name": "defaults", "namespace": "analytics"}, "spec": {"limits": [{
                "type": "Container",
                "default": {"cpu": "500m", "memory": "512Mi"},
                "defaultRequest": {"cpu": "250m", "memory": "256Mi"},
                "max": {"cpu": "2", "memory": "2Gi"},
            }]}}),
            age,
        );
        let template = self.template(
            json!({"app": "dashboards"}),
            json!([{"name": "grafana", "image": "grafana/grafana:11.6.0", "ports": [{"containerPort": 3000}]}]),
            json!({}),
        );
        let pods = self.deployment(
            "analytics",
            "dashboards",
            2,
            template,
            age,
            &["worker-1", "worker-3"],
        );
        self.put(resource("", "services"), json!({"metadata": {"name": "dashboards", "namespace": "analytics"}, "spec": {"selector": {"app": "dashboards"}, "ports": [{"name": "http", "port": 80, "targetPort": 3000}]}}), age);
        let Some(rs_name) = pods
            .first()
            .and_then(|p| p.at("/metadata/ownerReferences/0/name"))
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        // Scaled up by hand; the third pod has been refused ever since.
        let _ = self.sim.store.modify(
            resource("apps", "deployments"),
            "analytics",
            "dashboards",
            |d| {
                d["spec"]["replicas"] = json!(3);
                d["metadata"]["generation"] = json!(2);
                true
            },
        );
        let refused = format!(
            "pods \"{rs_name}-{}\" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m",
            self.sim.with_rng(|r| r.suffix(5))
        );
        let since = ago(self.now, SCALED_AGO);
        let stored = self.sim.store.modify(
            resource("apps", "replicasets"),
            "analytics",
            &rs_name,
            |rs| {
                rs["spec"]["replicas"] = json!(3);
                rs["metadata"]["generation"] = json!(2);
                rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] =
                    json!("3");
                rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] = json!("4");
                rs["status"]["conditions"] = json!([{
                    "type": "ReplicaFailure", "status": "True", "lastTransitionTime": since,
                    "reason": "FailedCreate", "message": refused,
                }]);
                true
            },
        );
        self.put(
            resource("", "resourcequotas"),
            json!({"metadata": {"name": "compute", "namespace": "analytics"}, "spec": {"hard": {
                "pods": "10", "requests.cpu": "500m", "requests.memory": "1Gi",
                "limits.cpu": "2", "limits.memory": "2Gi",
            }}}),
            age,
        );
        // Every retry since, one each half minute once the controller's back-off grew, counted
        // in the one Event that combines them (the first ten, each naming its pod, expired).
        if let Ok(rs) = stored {
            let latest = format!(
                "Error creating: pods \"{rs_name}-{}\" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m",
                self.sim.with_rng(|r| r.suffix(5))
            );
            record_combined_history(
                self.sim,
                &rs,
                EventType::Warning,
                "FailedCreate",
                &latest,
                controller("replicaset-controller"),
                Occurrences {
                    first: self.now - SignedDuration::from_secs(SCALED_AGO - 20),
                    last: self.now - SignedDuration::from_secs(20),
                    count: (SCALED_AGO - 40) / 30,
                },
            );
        }
    }
}
