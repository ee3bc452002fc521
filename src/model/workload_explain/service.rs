//! Services: which pods the selector picks, which of them are ready (the endpoints), whether
//! their containers listen on the target ports, and why there are no endpoints when there are none.

use super::*;

/// Whether a pod's Ready condition is True (what makes it an endpoint).
fn ready(pod: &Pod) -> bool {
    pod.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

/// Explains a Service.
pub fn explain_service(
    object: &Value,
    related: &Related<'_>,
    now: Timestamp,
) -> WorkloadExplanation {
    let meta = metadata(object);
    let columns = printed(
        "Service",
        object,
        now,
        &["Type", "Cluster-IP", "External-IP", "Port(s)"],
    );
    let mut steps = Vec::new();
    let mut hints = Vec::new();
    let type_ = match text(object, "/spec/type") {
        "" => "ClusterIP",
        other => other,
    };
    steps.push(Step::new(
        "spec.type",
        type_,
        match type_ {
            "ExternalName" => "a DNS name (CNAME) for another host: no pods, no proxying",
            "NodePort" => "reachable on every node's port as well as on its cluster IP",
            "LoadBalancer" => "an external load balancer in front of a node port",
            _ => "reachable inside the cluster on its cluster IP",
        },
    ));
    if type_ == "ExternalName" {
        let target = text(object, "/spec/externalName");
        return WorkloadExplanation {
            name: meta.name,
            namespace: meta.namespace,
            health: Health::Healthy,
            status: format!("a DNS alias for {target}"),
            columns,
            steps,
            hints,
            members: Vec::new(),
        };
    }
    if type_ == "LoadBalancer" {
        let ingress = object
            .pointer("/status/loadBalancer/ingress")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        steps.push(Step::new(
            "status.loadBalancer.ingress",
            if ingress { "set" } else { "<none>" },
            if ingress {
                "the load balancer's address (EXTERNAL-IP)"
            } else {
                "no address yet: EXTERNAL-IP shows <pending>"
            },
        ));
        if !ingress {
            hints.push(
                "No load balancer has been assigned: the cluster needs a load-balancer controller (a cloud provider, MetalLB …); its events on the Service say why it has not."
                    .to_string(),
            );
        }
    }
    let selector = pod_selector("Service", object);
    let Some(selector) = selector else {
        steps.push(Step::new(
            "spec.selector",
            "<none>",
            "the Service picks no pods itself: its endpoints are whatever EndpointSlices name it",
        ));
        hints.push(format!(
            "Without a selector, traffic goes to the addresses in the EndpointSlices labelled kubernetes.io/service-name={}; nothing keeps them current but whoever wrote them.",
            meta.name
        ));
        return WorkloadExplanation {
            name: meta.name,
            namespace: meta.namespace,
            health: Health::Unknown,
            status: "endpoints managed by hand".to_string(),
            columns,
            steps,
            hints,
            members: Vec::new(),
        };
    };
    steps.push(Step::new(
        "spec.selector",
        selector.to_string(),
        "the pods of its namespace with these labels are its backends",
    ));
    let pods = selected_pods(related, &meta.namespace, Some(&selector));
    let ready_pods: Vec<&&Pod> = pods.iter().filter(|p| ready(p)).collect();
    steps.push(Step::new(
        "pods selected",
        format!("{} ({} ready)", pods.len(), ready_pods.len()),
        "only ready pods receive traffic (publishNotReadyAddresses aside)",
    ));
    // Each port's target must be a port the pods' containers listen on.
    let ports = object
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for port in &ports {
        let number = int(port, "/port").unwrap_or(0);
        let target = port.get("targetPort").cloned().unwrap_or(Value::Null);
        let (shown, found) = match &target {
            Value::String(name) => (
                name.clone(),
                pods.iter().any(|p| {
                    p.spec
                        .containers
                        .iter()
                        .any(|c| c.ports.iter().any(|cp| &cp.name == name))
                }),
            ),
            Value::Number(n) => (
                n.to_string(),
                pods.is_empty()
                    || pods.iter().any(|p| {
                        // A port need not be declared to be listened on: only a name must be.
                        p.spec.containers.iter().all(|c| c.ports.is_empty())
                            || p.spec.containers.iter().any(|c| {
                                c.ports
                                    .iter()
                                    .any(|cp| Some(cp.container_port) == n.as_i64())
                            })
                    }),
            ),
            _ => (number.to_string(), true),
        };
        steps.push(Step::new(
            format!("spec.ports[{}]", text(port, "/name")),
            format!("{number} → {shown}"),
            if found {
                "the Service's port and the pods' port it forwards to (targetPort)"
            } else {
                "no container of the selected pods declares this target port"
            },
        ));
        if !found && !pods.is_empty() {
            hints.push(format!(
                "targetPort {shown} matches no port the selected pods' containers declare: connections to port {number} will be refused. Fix spec.ports[].targetPort or the containers' ports."
            ));
        }
    }
    let members: Vec<Member> = pods
        .iter()
        .filter(|p| !ready(p))
        .filter_map(|pod| pod_member(pod, related, now))
        .collect();
    let (status, health) = if pods.is_empty() {
        // Pods that share some of the selector's labels are likely what was meant.
        let near: Vec<String> = related
            .pods
            .iter()
            .filter(|p| p.metadata.namespace == meta.namespace)
            .filter(|p| {
                selector
                    .requirements()
                    .iter()
                    .any(|r| p.metadata.labels.contains_key(r.key()))
            })
            .take(3)
            .map(|p| p.metadata.name.clone())
            .collect();
        hints.push(format!(
            "No pod in {} has the labels {selector}: the Service has no endpoints and connections to it fail.{}",
            meta.namespace,
            if near.is_empty() {
                " Check the selector against the pods' labels (`kubectl get pods --show-labels`)."
                    .to_string()
            } else {
                format!(
                    " Pods with some of these label keys but other values: {} — the selector or their labels is likely misspelled.",
                    near.join(", ")
                )
            }
        ));
        (
            "no endpoints: the selector matches no pods".to_string(),
            Health::Failing,
        )
    } else if ready_pods.is_empty() {
        hints.push(format!(
            "None of its {} is ready, so it has no endpoints and connections fail. Why each is not ready is above.",
            plural(pods.len() as i64, "pod")
        ));
        (
            format!("no endpoints: 0 of {} pods ready", pods.len()),
            Health::Failing,
        )
    } else if ready_pods.len() < pods.len() {
        if let Some(summary) = members_summary(&members) {
            hints.push(summary);
        }
        (
            format!("{} of {} pods ready", ready_pods.len(), pods.len()),
            Health::Progressing,
        )
    } else {
        (
            format!("{} ready", plural(pods.len() as i64, "pod")),
            Health::Healthy,
        )
    };
    explained(meta, (status, health), columns, steps, hints, members)
}
