//! A pod read for what the explorer keeps of it (`WatchedPod`): the fields its row, health,
//! reservations and the panes read, and no others. A watch reads every pod of the cluster this
//! way as it arrives; the rest of the text (tolerations, images, ports, probes, annotations,
//! conditions' times and messages, ...) is walked over without being built. At 51,539 pods,
//! building those fields and freeing them again was a fifth of the decoding's time.
//!
//! What is read here is what `WatchedPod::new` reads of a `Pod`: a test decodes pods both ways
//! and compares what is kept, so a field the row comes to read and this one skips shows there.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::meta::{Condition, ObjectMeta, OwnerReference};
use super::pod::{
    Container, ContainerState, ContainerStatus, Pod, PodIp, PodSpec, PodStatus, ReadinessGate,
    ResourceRequirements,
};

/// A pod, as far as `WatchedPod::new` reads it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct LeanPod {
    metadata: LeanMeta,
    spec: LeanSpec,
    status: LeanStatus,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeanMeta {
    name: String,
    namespace: String,
    #[serde(deserialize_with = "super::time::optional")]
    creation_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    deletion_timestamp: Option<Timestamp>,
    labels: BTreeMap<String, String>,
    owner_references: Vec<LeanOwner>,
}

/// An owner, for whether it is the controller and its uid.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LeanOwner {
    uid: String,
    controller: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeanSpec {
    containers: Vec<LeanContainer>,
    init_containers: Vec<LeanContainer>,
    node_name: String,
    readiness_gates: Vec<ReadinessGate>,
    restart_policy: String,
    scheduler_name: String,
    service_account_name: String,
    host_network: bool,
    resources: Option<ResourceRequirements>,
}

/// A container, for its name, whether it is a sidecar, and what it reserves.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeanContainer {
    name: String,
    restart_policy: Option<String>,
    resources: ResourceRequirements,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeanStatus {
    phase: String,
    reason: String,
    conditions: Vec<LeanCondition>,
    init_container_statuses: Vec<LeanContainerStatus>,
    container_statuses: Vec<LeanContainerStatus>,
    #[serde(rename = "podIP")]
    pod_ip: String,
    #[serde(rename = "podIPs")]
    pod_ips: Vec<PodIp>,
    nominated_node_name: String,
    qos_class: String,
}

/// A pod condition without its times and message.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LeanCondition {
    #[serde(rename = "type")]
    type_: String,
    status: String,
    reason: String,
}

/// A container's status without its image and ids.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeanContainerStatus {
    name: String,
    ready: bool,
    started: Option<bool>,
    restart_count: i32,
    state: ContainerState,
    last_state: ContainerState,
}

impl LeanPod {
    /// The pod as a `Pod` holding these fields and nothing else: for `WatchedPod::new`, and
    /// for nothing that reads more of a pod.
    pub(super) fn into_pod(self) -> Pod {
        let LeanPod {
            metadata,
            spec,
            status,
        } = self;
        let container = |c: LeanContainer| Container {
            name: c.name,
            restart_policy: c.restart_policy,
            resources: c.resources,
            ..Container::default()
        };
        let container_status = |c: LeanContainerStatus| ContainerStatus {
            name: c.name,
            ready: c.ready,
            started: c.started,
            restart_count: c.restart_count,
            state: c.state,
            last_state: c.last_state,
            ..ContainerStatus::default()
        };
        Pod {
            metadata: ObjectMeta {
                name: metadata.name,
                namespace: metadata.namespace,
                creation_timestamp: metadata.creation_timestamp,
                deletion_timestamp: metadata.deletion_timestamp,
                labels: metadata.labels,
                owner_references: metadata
                    .owner_references
                    .into_iter()
                    .map(|owner| OwnerReference {
                        uid: owner.uid,
                        controller: owner.controller,
                        ..OwnerReference::default()
                    })
                    .collect(),
                ..ObjectMeta::default()
            },
            spec: PodSpec {
                containers: spec.containers.into_iter().map(container).collect(),
                init_containers: spec.init_containers.into_iter().map(container).collect(),
                node_name: spec.node_name,
                readiness_gates: spec.readiness_gates,
                restart_policy: spec.restart_policy,
                scheduler_name: spec.scheduler_name,
                service_account_name: spec.service_account_name,
                host_network: spec.host_network,
                resources: spec.resources,
                ..PodSpec::default()
            },
            status: PodStatus {
                phase: status.phase,
                reason: status.reason,
                conditions: status
                    .conditions
                    .into_iter()
                    .map(|c| Condition {
                        type_: c.type_,
                        status: c.status,
                        reason: c.reason,
                        ..Condition::default()
                    })
                    .collect(),
                init_container_statuses: status
                    .init_container_statuses
                    .into_iter()
                    .map(container_status)
                    .collect(),
                container_statuses: status
                    .container_statuses
                    .into_iter()
                    .map(container_status)
                    .collect(),
                pod_ip: status.pod_ip,
                pod_ips: status.pod_ips,
                nominated_node_name: status.nominated_node_name,
                qos_class: status.qos_class,
                ..PodStatus::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::manifest::parse_documents;
    use crate::model::packed_text::PackedText;
    use crate::model::watched::decode_pod;
    use crate::model::watched_pod::WatchedPod;

    /// What the explorer keeps of a pod read in full, and read lean.
    fn kept_both_ways(text: &str) -> (String, String) {
        let packed = PackedText::from(text);
        let lean: LeanPod = serde_json::from_str(text).expect("reads lean");
        (
            format!("{:?}", WatchedPod::new(decode_pod(text), packed.clone())),
            format!("{:?}", WatchedPod::new(lean.into_pod(), packed)),
        )
    }

    /// A pod with a value in every field the row, health and reservations read, and in
    /// fields they do not.
    const EVERY_FIELD: &str = r#"{
      "apiVersion": "v1", "kind": "Pod",
      "metadata": {
        "name": "web-1", "namespace": "shop", "uid": "u-1", "resourceVersion": "42",
        "creationTimestamp": "2026-11-20T10:00:00Z", "deletionTimestamp": "2026-11-21T09:00:00Z",
        "deletionGracePeriodSeconds": 30,
        "labels": {"app": "web", "tier": "front"},
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "a": "b"},
        "finalizers": ["example.com/hold"],
        "ownerReferences": [
          {"apiVersion": "v1", "kind": "ConfigMap", "name": "other", "uid": "u-other"},
          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc", "uid": "u-rs",
           "controller": true, "blockOwnerDeletion": true}
        ],
        "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]
      },
      "spec": {
        "nodeName": "worker-1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "serviceAccountName": "web", "hostNetwork": true, "priorityClassName": "high",
        "terminationGracePeriodSeconds": 30, "nodeSelector": {"disk": "ssd"},
        "readinessGates": [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}],
        "schedulingGates": [{"name": "hold"}],
        "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
        "affinity": {"nodeAffinity": {}},
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}],
        "resources": {"requests": {"cpu": "2"}},
        "initContainers": [
          {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
           "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}},
          {"name": "migrate", "image": "tool", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}
        ],
        "containers": [
          {"name": "app", "image": "web:1", "ports": [{"containerPort": 80, "protocol": "TCP"}],
           "env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
           "readinessProbe": {"httpGet": {"path": "/"}}, "stdin": true, "tty": true,
           "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}},
          {"name": "log", "image": "busybox"}
        ]
      },
      "status": {
        "phase": "Running", "reason": "NodeLost", "message": "gone", "qosClass": "Burstable",
        "hostIP": "10.0.0.1", "podIP": "10.1.0.1", "podIPs": [{"ip": "10.1.0.1"}, {"ip": "fd00::1"}],
        "nominatedNodeName": "worker-2", "startTime": "2026-11-20T10:00:01Z",
        "conditions": [
          {"type": "example.com/lb", "status": "True", "lastTransitionTime": "2026-11-20T10:00:05Z"},
          {"type": "Ready", "status": "False", "reason": "ContainersNotReady", "message": "m"},
          {"type": "PodScheduled", "status": "True", "reason": "SchedulingGated"}
        ],
        "initContainerStatuses": [
          {"name": "proxy", "ready": true, "started": true, "restartCount": 2, "image": "envoy",
           "state": {"running": {"startedAt": "2026-11-20T10:00:02Z"}},
           "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
             "finishedAt": "2026-11-20T10:30:00Z"}}},
          {"name": "migrate", "ready": false, "restartCount": 0,
           "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}
        ],
        "containerStatuses": [
          {"name": "app", "ready": false, "started": false, "restartCount": 5, "containerID": "c://1",
           "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
           "lastState": {"terminated": {"exitCode": 1, "signal": 9, "reason": "Error",
             "startedAt": "2026-11-21T08:00:00Z", "finishedAt": "2026-11-21T08:59:00Z"}}},
          {"name": "log", "ready": true, "restartCount": 0, "state": {"running": {}}}
        ]
      }
    }"#;

    #[test]
    fn what_is_kept_of_a_pod_read_lean_is_what_is_kept_of_it_read_in_full() {
        let mut texts = vec![EVERY_FIELD.to_string()];
        // Every pod of the upstream printer's cases, and of the shipped examples.
        let cases: Vec<serde_json::Value> =
            serde_saphyr::from_str(include_str!("testdata/print_pod_cases.yaml"))
                .expect("pod cases parse");
        texts.extend(cases.iter().map(|case| case["pod"].to_string()));
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
        for entry in std::fs::read_dir(examples).expect("examples") {
            let text = std::fs::read_to_string(entry.expect("an example").path()).expect("read");
            for document in parse_documents(&text).expect("YAML") {
                let items = document["items"].as_array().cloned();
                for object in items.unwrap_or_else(|| vec![document]) {
                    if object["kind"] == "Pod" {
                        texts.push(object.to_string());
                    }
                }
            }
        }
        assert!(texts.len() >= 50, "{} pods", texts.len());
        for text in &texts {
            let (full, lean) = kept_both_ways(text);
            assert_eq!(full, lean, "{text}");
        }
        // The pod with every field is read, not defaulted both ways.
        let (_, lean) = kept_both_ways(EVERY_FIELD);
        for read in [
            "status: \"Unknown\"",
            "restart_count: 7",
            "ready: \"2/3\"",
            "readiness_gates: \"1/2\"",
            "oom_killed: true",
            "controller_uid: Some(\"u-rs\")",
            "nominated_node: \"worker-2\"",
            "host_network: true",
            "cpu_millis: 2000",
        ] {
            assert!(lean.contains(read), "{read} in {lean}");
        }
    }
}
