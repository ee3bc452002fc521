//! Port-forwarding as kubectl does it, without IO: the pod a Service or workload forwards to
//! (kubectl's `AttachablePodForObject`: the pods its selector picks, most active first), a
//! Service port resolved to the pod's target port, and what a running forward reports.

use super::pod::Pod;

/// A port the dialog offers: where it goes on the pod, and the local port it defaults to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortChoice {
    /// How the dialog shows it: `80/TCP http (nginx)`, or for a Service `80 → 8080 (http)`.
    pub label: String,
    /// The pod's port the connections reach.
    pub remote: u16,
    /// The local port by default: the same number as the port named (a Service's own port,
    /// as `kubectl port-forward svc/x 80` listens on 80).
    pub local: u16,
}

/// What a running forward reports to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardEvent {
    /// Listening on this address (a free port when the default one was taken).
    Listening(String),
    /// Connections open and made so far, bytes received from the pod and sent to it.
    Traffic {
        active: u64,
        total: u64,
        bytes_in: u64,
        bytes_out: u64,
    },
    /// A connection failed (the forward goes on listening).
    Failed(String),
    /// The forward stopped for good: why.
    Ended(String),
}

/// The ports a pod's containers declare, TCP only (port-forwarding is TCP), each defaulting
/// to the same local number.
pub fn pod_ports(pod: &Pod) -> Vec<PortChoice> {
    pod.spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter().filter(|c| c.is_sidecar()))
        .flat_map(|container| {
            container.ports.iter().filter_map(move |port| {
                let number = u16::try_from(port.container_port).ok().filter(|n| *n > 0)?;
                let protocol = if port.protocol.is_empty() {
                    "TCP"
                } else {
                    &port.protocol
                };
                (protocol == "TCP").then(|| PortChoice {
                    label: if port.name.is_empty() {
                        format!("{number}/TCP ({})", container.name)
                    } else {
                        format!("{number}/TCP {} ({})", port.name, container.name)
                    },
                    remote: number,
                    local: number,
                })
            })
        })
        .collect()
}

/// A Service's TCP ports, each resolved to the pod's port as `kubectl port-forward svc/x`
/// resolves it: `targetPort` a number (absent or 0: the port itself), or a name looked up
/// among the pod's container ports. A name the pod does not declare is left out with why.
pub fn service_ports(service: &serde_json::Value, pod: &Pod) -> (Vec<PortChoice>, Vec<String>) {
    let mut choices = Vec::new();
    let mut problems = Vec::new();
    let ports = service
        .pointer("/spec/ports")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    for port in ports {
        let protocol = port["protocol"].as_str().unwrap_or("TCP");
        let Some(number) = port["port"].as_u64().and_then(|n| u16::try_from(n).ok()) else {
            continue;
        };
        if protocol != "TCP" {
            continue;
        }
        let name = port["name"].as_str().unwrap_or("");
        let target = match &port["targetPort"] {
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| *n > 0)
                .unwrap_or(number),
            serde_json::Value::String(named) => match named_container_port(pod, named) {
                Some(found) => found,
                None => {
                    problems.push(format!(
                        "port {number}: pod {} declares no container port named {named}",
                        pod.metadata.name
                    ));
                    continue;
                }
            },
            _ => number,
        };
        choices.push(PortChoice {
            label: if name.is_empty() {
                format!("{number} → {target}")
            } else {
                format!("{number} → {target} ({name})")
            },
            remote: target,
            local: number,
        });
    }
    (choices, problems)
}

/// The number of the container port named `name` in the pod (kubectl's
/// `LookupContainerPortNumberByName`).
fn named_container_port(pod: &Pod, name: &str) -> Option<u16> {
    pod.spec
        .containers
        .iter()
        .flat_map(|c| &c.ports)
        .find(|p| p.name == name)
        .and_then(|p| u16::try_from(p.container_port).ok())
}

/// The pod kubectl forwards to among those a selector picks: the most active first, as
/// `sort.Reverse(podutils.ActivePods)` orders them (assigned to a node, Running before
/// Unknown before Pending, ready, fewer restarts, older), skipping pods being deleted.
pub fn most_active<'a>(pods: impl IntoIterator<Item = &'a Pod>) -> Option<&'a Pod> {
    pods.into_iter()
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .filter(|pod| !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed"))
        .max_by(|a, b| activity(a).cmp(&activity(b)))
}

/// How active a pod is, greater is more (ActivePods' order, reversed).
fn activity(
    pod: &Pod,
) -> (
    bool,
    u8,
    bool,
    std::cmp::Reverse<i64>,
    std::cmp::Reverse<i64>,
) {
    let phase = match pod.status.phase.as_str() {
        "Running" => 2,
        "Unknown" => 1,
        _ => 0,
    };
    let ready = pod
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    let restarts: i64 = pod
        .status
        .container_statuses
        .iter()
        .map(|c| i64::from(c.restart_count))
        .sum();
    let created = pod
        .metadata
        .creation_timestamp
        .map_or(i64::MAX, |t| t.as_second());
    (
        !pod.spec.node_name.is_empty(),
        phase,
        ready,
        std::cmp::Reverse(restarts),
        std::cmp::Reverse(created),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, phase: &str, ready: bool, restarts: i32, created: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "shop", "creationTimestamp": created},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "web", "image": "nginx",
                "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 53, "protocol": "UDP"}]}]},
            "status": {"phase": phase,
                "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
                "containerStatuses": [{"name": "web", "restartCount": restarts}]},
        }))
        .unwrap()
    }

    #[test]
    fn the_most_active_pod_is_forwarded_to() {
        let pending = pod("a", "Pending", false, 0, "2026-01-01T00:00:00Z");
        let unready = pod("b", "Running", false, 0, "2026-01-01T00:00:00Z");
        let restarted = pod("c", "Running", true, 3, "2026-01-01T00:00:00Z");
        let young = pod("d", "Running", true, 0, "2026-01-02T00:00:00Z");
        let old = pod("e", "Running", true, 0, "2026-01-01T00:00:00Z");
        let all = [&pending, &unready, &restarted, &young, &old];
        assert_eq!(most_active(all).unwrap().metadata.name, "e");
        assert_eq!(
            most_active([&pending, &unready, &restarted, &young])
                .unwrap()
                .metadata
                .name,
            "d"
        );
        assert_eq!(
            most_active([&pending, &unready]).unwrap().metadata.name,
            "b"
        );
        assert!(most_active([]).is_none());
    }

    #[test]
    fn ports_of_a_pod_and_of_a_service_resolved_to_the_pod() {
        let web = pod("web-1", "Running", true, 0, "2026-01-01T00:00:00Z");
        assert_eq!(
            pod_ports(&web),
            vec![PortChoice {
                label: "8080/TCP http (web)".into(),
                remote: 8080,
                local: 8080
            }]
        );
        let service = json!({"spec": {"ports": [
            {"name": "web", "port": 80, "targetPort": "http"},
            {"port": 9090, "targetPort": 9091},
            {"port": 7070},
            {"name": "admin", "port": 81, "targetPort": "admin"},
            {"port": 53, "protocol": "UDP"},
        ]}});
        let (choices, problems) = service_ports(&service, &web);
        assert_eq!(
            choices,
            vec![
                PortChoice {
                    label: "80 → 8080 (web)".into(),
                    remote: 8080,
                    local: 80
                },
                PortChoice {
                    label: "9090 → 9091".into(),
                    remote: 9091,
                    local: 9090
                },
                PortChoice {
                    label: "7070 → 7070".into(),
                    remote: 7070,
                    local: 7070
                },
            ]
        );
        assert_eq!(
            problems,
            vec!["port 81: pod web-1 declares no container port named admin"]
        );
    }
}
