//! Pods, nodes and the Events section, described as kubectl describes them (the whole of it is
//! checked against the real kubectl in `tests/it/describe_kubectl.rs`).

use jiff::Timestamp;
use serde_json::json;

use super::tests::{assert_lines, web_deployment};
use super::*;
use crate::model::manifest::parse_typed;

fn now() -> Timestamp {
    "2026-11-21T10:00:00Z".parse().unwrap()
}

/// Lines joined with newlines, plus the final newline kubectl ends with.
fn lines_of(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn describe(object: &serde_json::Value) -> String {
    describe_object(object, &[], now())
}

#[test]
fn a_pod_without_status_reads_like_kubectl_describe() {
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "nginx",
            "resources": {"requests": {"cpu": "0.5", "memory": "1Gi"},
                          "limits": {"cpu": "500m", "memory": "1024Mi"}}}]}
    });
    assert_eq!(
        describe(&pod),
        lines_of(&[
            "Name:         web",
            "Namespace:    shop",
            "Node:         <none>",
            "Labels:       <none>",
            "Annotations:  <none>",
            "Status:       ",
            "IP:           ",
            "IPs:          <none>",
            "Containers:",
            "  app:",
            "    Image:      nginx",
            "    Port:       <none>",
            "    Host Port:  <none>",
            "    Limits:",
            "      cpu:     500m",
            "      memory:  1Gi",
            "    Requests:",
            "      cpu:        500m",
            "      memory:     1Gi",
            "    Environment:  <none>",
            "    Mounts:       <none>",
            "Volumes:          <none>",
            "QoS Class:        Guaranteed",
            "Node-Selectors:   <none>",
            "Tolerations:      <none>",
            "Events:           <none>",
        ])
    );
}

#[test]
fn a_node_lists_its_unfinished_pods_and_their_totals() {
    let node = json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "n1", "creationTimestamp": "2026-11-01T10:00:00Z",
            "labels": {"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "edge"}},
        "spec": {"taints": [{"key": "b", "effect": "NoSchedule"},
                            {"key": "a", "value": "x", "effect": "NoSchedule"}]},
        "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "example.com/gpu": "1"}}
    });
    let pod = |name: &str, phase: &str, cpu: &str| {
        json!({"kind": "Pod", "metadata": {"name": name, "namespace": "shop",
                "creationTimestamp": "2026-11-21T09:00:00Z"},
            "spec": {"nodeName": "n1", "containers": [{"name": "c",
                "resources": {"requests": {"cpu": cpu, "memory": "0.5Gi"}}}]},
            "status": {"phase": phase}})
    };
    let lease = json!({"kind": "Lease", "metadata": {"name": "n1", "namespace": "kube-node-lease"},
        "spec": {"holderIdentity": "n1", "renewTime": "2026-11-21T09:59:50.123456Z"}});
    let running = pod("a", "Running", "0.25");
    let pending = pod("b", "Pending", "1");
    let done = pod("c", "Succeeded", "1");
    let text = describe_object_with(&node, &[&lease, &running, &pending, &done], &[], now());
    let expected_tail = lines_of(&[
        "Lease:",
        "  HolderIdentity:  n1",
        "  AcquireTime:     <unset>",
        "  RenewTime:       Sat, 21 Nov 2026 09:59:50 +0000",
        "Addresses:",
        "Allocatable:",
        "  cpu:              2",
        "  example.com/gpu:  1",
        "  memory:           4Gi",
        "System Info:",
        "  Machine ID:                 ",
        "  System UUID:                ",
        "  Boot ID:                    ",
        "  Kernel Version:             ",
        "  OS Image:                   ",
        "  Operating System:           ",
        "  Architecture:               ",
        "  Container Runtime Version:  ",
        "  Kubelet Version:            ",
        "Non-terminated Pods:          (2 in total)",
        "  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
        "  ---------                   ----    ------------  ----------  ---------------  -------------  ---",
        "  shop                        a       250m (12%)    0 (0%)      512Mi (12%)      0 (0%)         60m",
        "  shop                        b       1 (50%)       0 (0%)      512Mi (12%)      0 (0%)         60m",
        "Allocated resources:",
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
        "  Resource           Requests     Limits",
        "  --------           --------     ------",
        "  cpu                1250m (62%)  0 (0%)",
        "  memory             1Gi (25%)    0 (0%)",
        "  ephemeral-storage  0 (0%)       0 (0%)",
        "  example.com/gpu    0            0",
        "Events:              <none>",
    ]);
    assert!(text.ends_with(&expected_tail), "{text}");
    assert_lines(
        &text,
        &[
            "Roles:              edge,worker",
            "Taints:             a=x:NoSchedule",
            "                    b:NoSchedule",
            "Unschedulable:      false",
        ],
    );
}

#[test]
fn events_end_every_description_as_kubectl_prints_them() {
    let scaled: Event = parse_typed(
        "involvedObject: {kind: Deployment, name: web}\ntype: Normal\nreason: ScalingReplicaSet\nmessage: 'Scaled up replica set web-7c9d to 3 '\nsource: {component: deployment-controller}\nfirstTimestamp: '2026-11-21T09:40:00Z'\nlastTimestamp: '2026-11-21T09:58:00Z'\ncount: 4",
    )
    .unwrap();
    let pulled: Event = parse_typed(
        "involvedObject: {kind: Pod, name: web-1, fieldPath: 'spec.containers{nginx}'}\ntype: Normal\nreason: Pulled\nmessage: Pulled\nreportingComponent: kubelet\neventTime: '2026-11-21T09:59:00.000001Z'\nlastTimestamp: '2026-11-21T09:30:00Z'",
    )
    .unwrap();
    let unknown: Event = parse_typed(
        "involvedObject: {kind: Deployment, name: web}\ntype: Warning\nreason: Odd\nmessage: no times",
    )
    .unwrap();
    let text = describe_object(&web_deployment(), &[&scaled, &pulled, &unknown], now());
    // Flushed first, so the table aligns on its own; sorted by last timestamp; the From column is
    // the source, else the reporting controller; the age is when first seen (its event time, if
    // any), with the count and the last time when there were several.
    assert!(
        text.ends_with(&lines_of(&[
            "NewReplicaSet:   <none>",
            "Events:",
            "  Type     Reason             Age               From                   Message",
            "  ----     ------             ----              ----                   -------",
            "  Warning  Odd                <unknown>                                no times",
            "  Normal   Pulled             59s               kubelet                spec.containers{nginx}: Pulled",
            "  Normal   ScalingReplicaSet  2m (x4 over 20m)  deployment-controller  Scaled up replica set web-7c9d to 3",
        ])),
        "{text}"
    );
}

#[test]
fn the_events_described_are_those_kubectl_looks_up() {
    let event = |namespace: &str, kind: &str, name: &str, involved_namespace: &str, uid: &str| {
        parse_typed::<Event>(&format!(
            "metadata: {{name: e, namespace: '{namespace}'}}\ninvolvedObject: {{kind: '{kind}', name: '{name}', namespace: '{involved_namespace}', uid: '{uid}'}}\nreason: '{kind}/{uid}'"
        ))
        .unwrap()
    };
    let reasons = |chosen: Vec<&Event>| -> Vec<String> {
        chosen.iter().map(|event| event.reason.clone()).collect()
    };
    // A static pod's events are recorded under the UID of its manifest, not of its mirror.
    let mirror = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "etcd-cp-1",
        "namespace": "kube-system", "uid": "mirror-uid",
        "annotations": {"kubernetes.io/config.mirror": "file-hash"}}});
    let pod_events = [
        event(
            "kube-system",
            "Pod",
            "etcd-cp-1",
            "kube-system",
            "file-hash",
        ),
        event(
            "kube-system",
            "Pod",
            "etcd-cp-1",
            "kube-system",
            "mirror-uid",
        ),
        event("default", "Pod", "etcd-cp-1", "kube-system", "file-hash"),
    ];
    assert_eq!(
        reasons(events_for_describe(&mirror, &pod_events)),
        ["Pod/file-hash"]
    );
    // A node's: the controllers' (under its UID) first, then the kubelet's (under its name).
    let node = json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "worker-1", "uid": "node-uid"}});
    let node_events = [
        event("default", "Node", "worker-1", "", "worker-1"),
        event("default", "Node", "worker-1", "", "node-uid"),
        event("default", "Node", "worker-1", "default", "node-uid"),
        event("default", "Pod", "worker-1", "", "node-uid"),
    ];
    assert_eq!(
        reasons(events_for_describe(&node, &node_events)),
        ["Node/node-uid", "Node/worker-1"]
    );
}
