//! The defaults the API server gives a pod spec, in a pod and in every workload's template: on
//! creation, and on every update and patch, as it defaults every object it decodes (restart and
//! DNS policies, image pull policy by tag, termination message, probes' timings, container
//! ports' protocol and, on the host's network, host port; a missing request from its limit);
//! a pod's own (tolerations of DefaultTolerationSeconds, priority, phase) and its QoS class.

use serde_json::{Value, json};

use super::admission::ensure_object;
use super::resource::ResourceType;
use crate::model::manifest::parse_typed;
use crate::model::pod::Pod;
use crate::model::qos::compute_qos;
use crate::sim::pointer::Pointer;

/// The pod spec defaults an update or patch gets: the API server defaults every object it
/// decodes, so a container or port added later is defaulted as one sent at creation.
pub fn default_pod_specs(resource: &ResourceType, object: &mut Value) {
    let pointer = match (resource.group, resource.kind) {
        ("", "Pod") => "/spec",
        ("", "PodTemplate") => "/template/spec",
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("", "ReplicationController")
        | ("batch", "Job") => "/spec/template/spec",
        ("batch", "CronJob") => "/spec/jobTemplate/spec/template/spec",
        _ => return,
    };
    if let Some(spec) = object.at_mut(pointer) {
        default_pod_spec(spec);
    }
}

/// A workload's pod template at `pointer`: its metadata an object, its spec defaulted.
pub(super) fn default_template(object: &mut Value, pointer: &str) {
    if let Some(template) = object.at_mut(pointer) {
        if !template.get("metadata").is_some_and(Value::is_object) {
            template["metadata"] = json!({});
        }
        if let Some(spec) = template.get_mut("spec") {
            default_pod_spec(spec);
        }
    }
}

fn default_pod_spec(spec: &mut Value) {
    let Some(spec) = spec.as_object_mut() else {
        return;
    };
    spec.entry("restartPolicy").or_insert(json!("Always"));
    spec.entry("terminationGracePeriodSeconds")
        .or_insert(json!(30));
    spec.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
    spec.entry("schedulerName")
        .or_insert(json!("default-scheduler"));
    spec.entry("securityContext").or_insert(json!({}));
    let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        if let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) {
            for container in containers.iter_mut().filter_map(Value::as_object_mut) {
                let image = container
                    .get("image")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let policy = if image.ends_with(":latest")
                    || !image.rsplit('/').next().unwrap_or("").contains(':')
                {
                    "Always"
                } else {
                    "IfNotPresent"
                };
                container.entry("imagePullPolicy").or_insert(json!(policy));
                container
                    .entry("terminationMessagePath")
                    .or_insert(json!("/dev/termination-log"));
                container
                    .entry("terminationMessagePolicy")
                    .or_insert(json!("File"));
                container.entry("resources").or_insert(json!({}));
                // A port's protocol is TCP unless said; on the host's network the container's
                // port is the host's too (SetDefaults_ContainerPort, defaultHostNetworkPorts).
                for port in container
                    .get_mut("ports")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object_mut)
                {
                    port.entry("protocol").or_insert(json!("TCP"));
                    if host_network
                        && port.get("hostPort").and_then(Value::as_i64).unwrap_or(0) == 0
                        && let Some(container_port) = port.get("containerPort").cloned()
                    {
                        port.insert("hostPort".into(), container_port);
                    }
                }
                for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                    if let Some(probe) = container.get_mut(probe).and_then(Value::as_object_mut) {
                        probe.entry("timeoutSeconds").or_insert(json!(1));
                        probe.entry("periodSeconds").or_insert(json!(10));
                        probe.entry("successThreshold").or_insert(json!(1));
                        probe.entry("failureThreshold").or_insert(json!(3));
                        if let Some(get) = probe.get_mut("httpGet").and_then(Value::as_object_mut) {
                            get.entry("scheme").or_insert(json!("HTTP"));
                            get.entry("path").or_insert(json!("/"));
                        }
                    }
                }
                // Defaulting copies limits into missing requests.
                if let Some(resources) = container
                    .get_mut("resources")
                    .and_then(Value::as_object_mut)
                    && let Some(limits) =
                        resources.get("limits").and_then(Value::as_object).cloned()
                {
                    let requests = resources.entry("requests").or_insert(json!({}));
                    if let Some(requests) = requests.as_object_mut() {
                        for (name, quantity) in limits {
                            requests.entry(name).or_insert(quantity);
                        }
                    }
                }
            }
        }
    }
}

/// A new pod's defaults: its spec's, its own, Pending, and its QoS class.
pub(super) fn default_pod(object: &mut Value) {
    if let Some(spec) = object.get_mut("spec") {
        default_pod_spec(spec);
        if let Some(spec) = spec.as_object_mut() {
            spec.entry("enableServiceLinks").or_insert(json!(true));
            spec.entry("preemptionPolicy")
                .or_insert(json!("PreemptLowerPriority"));
            spec.entry("priority").or_insert(json!(0));
            let tolerations = spec.entry("tolerations").or_insert(json!([]));
            if let Some(tolerations) = tolerations.as_array_mut() {
                // The DefaultTolerationSeconds admission plugin.
                for key in [
                    "node.kubernetes.io/not-ready",
                    "node.kubernetes.io/unreachable",
                ] {
                    let present = tolerations.iter().any(|t| {
                        t["key"] == key
                            || (t["key"].as_str().unwrap_or("").is_empty()
                                && t["operator"] == "Exists")
                    });
                    if !present {
                        tolerations.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}));
                    }
                }
            }
        }
    }
    ensure_object(object, "status")
        .entry("phase")
        .or_insert(json!("Pending"));
    set_qos_class(object);
}

/// `status.qosClass` from the pod's spec.
pub(super) fn set_qos_class(object: &mut Value) {
    let qos = parse_typed::<Pod>(&object.to_string()).map(|pod| compute_qos(&pod).as_str());
    if let Ok(qos) = qos {
        ensure_object(object, "status").insert("qosClass".into(), json!(qos));
    }
}
