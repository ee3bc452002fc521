//! The parts of a v1 Pod that printing, explaining and draining read.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::meta::{Condition, ObjectMeta, Toleration};
use super::quantity::Quantity;

/// A v1 Pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    pub status: PodStatus,
}

/// `spec` of a Pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub node_name: String,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<Toleration>,
    pub readiness_gates: Vec<ReadinessGate>,
    pub scheduling_gates: Vec<SchedulingGate>,
    pub volumes: Vec<Volume>,
    /// Pod-level resources (Kubernetes 1.32+); when set they decide the QoS class.
    pub resources: Option<ResourceRequirements>,
    pub image_pull_secrets: Vec<NameReference>,
    pub restart_policy: String,
    pub scheduler_name: String,
    pub service_account_name: String,
    pub host_network: bool,
    pub priority_class_name: String,
    pub termination_grace_period_seconds: Option<i64>,
    /// Its presence is evidence for scheduling hints.
    pub affinity: Option<Present>,
}

/// A field that is set (not absent, not `null`), read for its presence alone: its value is
/// skipped, not built (a probe as a JSON tree was a score of allocations, for each pod a watch
/// decodes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Present;

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Present)
    }
}

/// A container (app or init) in a pod spec.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub image: String,
    /// `Always` on an init container makes it a sidecar (restartable init container).
    pub restart_policy: Option<String>,
    pub resources: ResourceRequirements,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFromSource>,
    pub ports: Vec<ContainerPort>,
    /// Whether each probe is set (the hints and triage ask no more of them).
    pub readiness_probe: Option<Present>,
    pub liveness_probe: Option<Present>,
    pub startup_probe: Option<Present>,
    /// Whether the container keeps a stdin open (`attach` can write to it) and has a TTY.
    pub stdin: bool,
    pub tty: bool,
}

impl Container {
    /// Whether this init container is a sidecar: its restartPolicy is exactly `Always`.
    pub fn is_sidecar(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }
}

/// A port a container declares (`ports[]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    pub name: String,
    pub container_port: i64,
    pub protocol: String,
}

/// `resources` of a container or pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceRequirements {
    pub requests: BTreeMap<String, Quantity>,
    pub limits: BTreeMap<String, Quantity>,
}

/// A container environment variable; only references matter to us.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVar {
    pub name: String,
    pub value_from: Option<EnvVarSource>,
}

/// `env[].valueFrom`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVarSource {
    pub config_map_key_ref: Option<KeyReference>,
    pub secret_key_ref: Option<KeyReference>,
}

/// A reference to one key of a ConfigMap or Secret.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyReference {
    pub name: String,
    pub key: String,
    pub optional: Option<bool>,
}

/// `envFrom[]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvFromSource {
    pub config_map_ref: Option<NameReference>,
    pub secret_ref: Option<NameReference>,
}

/// A reference by name (optionally optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NameReference {
    pub name: String,
    pub optional: Option<bool>,
}

/// A pod volume; only the sources drain and hints care about are typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Volume {
    pub name: String,
    pub empty_dir: Option<Present>,
    pub config_map: Option<NameReference>,
    pub secret: Option<SecretVolumeSource>,
    pub persistent_volume_claim: Option<ClaimReference>,
}

/// `volumes[].secret`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecretVolumeSource {
    pub secret_name: String,
    pub optional: Option<bool>,
}

/// `volumes[].persistentVolumeClaim`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClaimReference {
    pub claim_name: String,
}

/// `spec.readinessGates[]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReadinessGate {
    pub condition_type: String,
}

/// `spec.schedulingGates[]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SchedulingGate {
    pub name: String,
}

/// `status` of a Pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodStatus {
    pub phase: String,
    pub reason: String,
    pub message: String,
    pub conditions: Vec<Condition>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    #[serde(rename = "podIP")]
    pub pod_ip: String,
    #[serde(rename = "podIPs")]
    pub pod_ips: Vec<PodIp>,
    #[serde(rename = "hostIP")]
    pub host_ip: String,
    pub nominated_node_name: String,
    pub qos_class: String,
    #[serde(deserialize_with = "super::time::optional")]
    pub start_time: Option<Timestamp>,
}

/// `status.podIPs[]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PodIp {
    pub ip: String,
}

/// The status of one container.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub name: String,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
    pub state: ContainerState,
    pub last_state: ContainerState,
    pub image: String,
}

/// One of waiting, running or terminated (a malformed status may carry several or none).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerState {
    pub waiting: Option<StateWaiting>,
    pub running: Option<StateRunning>,
    pub terminated: Option<StateTerminated>,
}

/// `state.waiting`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StateWaiting {
    pub reason: String,
    pub message: String,
}

/// `state.running`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StateRunning {
    #[serde(deserialize_with = "super::time::optional")]
    pub started_at: Option<Timestamp>,
}

/// `state.terminated`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StateTerminated {
    pub exit_code: i32,
    pub signal: i32,
    pub reason: String,
    pub message: String,
    #[serde(deserialize_with = "super::time::optional")]
    pub started_at: Option<Timestamp>,
    #[serde(deserialize_with = "super::time::optional")]
    pub finished_at: Option<Timestamp>,
}

impl StateTerminated {
    /// The reason as the printer words it: the reason, else `Signal:N`, else `ExitCode:N`.
    pub fn printed_reason(&self) -> String {
        if !self.reason.is_empty() {
            self.reason.clone()
        } else if self.signal != 0 {
            format!("Signal:{}", self.signal)
        } else {
            format!("ExitCode:{}", self.exit_code)
        }
    }

    /// The field `printed_reason` read (`reason`, `signal` or `exitCode`) and its value, for a
    /// trace of the decision.
    pub fn printed_from(&self) -> (&'static str, String) {
        if !self.reason.is_empty() {
            ("reason", self.reason.clone())
        } else if self.signal != 0 {
            ("signal", self.signal.to_string())
        } else {
            ("exitCode", self.exit_code.to_string())
        }
    }
}

impl Pod {
    /// The spec of the app container with this name.
    pub fn container_spec(&self, name: &str) -> Option<&Container> {
        self.spec.containers.iter().find(|c| c.name == name)
    }

    /// The spec of the init container with this name.
    pub fn init_container_spec(&self, name: &str) -> Option<&Container> {
        self.spec.init_containers.iter().find(|c| c.name == name)
    }

    /// Whether the pod is in a terminal phase (`Succeeded` or `Failed`).
    pub fn is_finished(&self) -> bool {
        matches!(self.status.phase.as_str(), "Succeeded" | "Failed")
    }
}
