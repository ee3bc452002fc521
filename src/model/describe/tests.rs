//! Describe output checked against what kubectl prints for the same objects: whole texts where the
//! layout matters (column widths follow Go's tabwriter), key lines elsewhere.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::generic::{go_value, smart_label};
use super::tabwriter::layout;
use super::*;

fn now() -> Timestamp {
    "2026-11-21T10:00:00Z".parse().unwrap()
}

/// Lines joined with newlines, plus the final newline kubectl ends with.
fn lines_of(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn describe(object: &Value) -> String {
    describe_object(object, &[], now())
}

pub(super) fn assert_lines(text: &str, expected: &[&str]) {
    for line in expected {
        assert!(
            text.lines().any(|actual| actual == *line),
            "no line {line:?} in\n{text}"
        );
    }
}

pub(super) fn web_deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": "d-1",
            "creationTimestamp": "2026-11-20T08:00:00Z",
            "labels": {"app": "web", "tier": "frontend"},
            "annotations": {
                "deployment.kubernetes.io/revision": "2",
                "kubectl.kubernetes.io/last-applied-configuration": "{\"kind\":\"Deployment\"}"
            }},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [{
                        "name": "nginx", "image": "nginx:1.27",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        "env": [
                            {"name": "MODE", "value": "prod"},
                            {"name": "PASSWORD",
                             "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}
                        ],
                        "volumeMounts": [
                            {"name": "config", "mountPath": "/etc/nginx", "readOnly": true}
                        ]
                    }],
                    "volumes": [{"name": "config", "configMap": {"name": "nginx-conf"}}]
                }
            }
        },
        "status": {
            "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2,
            "unavailableReplicas": 1,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
            ]
        }
    })
}

#[test]
fn a_deployment_reads_like_kubectl_describe() {
    let expected = lines_of(&[
        "Name:                   web",
        "Namespace:              shop",
        "CreationTimestamp:      Fri, 20 Nov 2026 08:00:00 +0000",
        "Labels:                 app=web",
        "                        tier=frontend",
        "Annotations:            deployment.kubernetes.io/revision: 2",
        "Selector:               app=web",
        "Replicas:               3 desired | 3 updated | 3 total | 2 available | 1 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:  app=web",
        "  Containers:",
        "   nginx:",
        "    Image:      nginx:1.27",
        "    Port:       80/TCP",
        "    Host Port:  0/TCP",
        "    Environment:",
        "      MODE:      prod",
        "      PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
        "    Mounts:",
        "      /etc/nginx from config (ro)",
        "  Volumes:",
        "   config:",
        "    Type:          ConfigMap (a volume populated by a ConfigMap)",
        "    Name:          nginx-conf",
        "    Optional:      false",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        // The conditions rows and the ReplicaSet lines share one column block, as in kubectl.
        "Conditions:",
        "  Type           Status  Reason",
        "  ----           ------  ------",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    True    NewReplicaSetAvailable",
        "OldReplicaSets:  <none>",
        "NewReplicaSet:   <none>",
        "Events:          <none>",
    ]);
    assert_eq!(describe(&web_deployment()), expected);
}

fn replica_set(name: &str, owner_uid: &str, image: &str, created: &str, replicas: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "shop", "creationTimestamp": created,
            "labels": {"app": "web", "pod-template-hash": name.rsplit('-').next()},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                "uid": owner_uid, "controller": true}]},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web", "pod-template-hash": name.rsplit('-').next()}},
                "spec": {"containers": [{
                    "name": "nginx", "image": image,
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [
                        {"name": "MODE", "value": "prod"},
                        {"name": "PASSWORD",
                         "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}
                    ],
                    "volumeMounts": [
                        {"name": "config", "mountPath": "/etc/nginx", "readOnly": true}
                    ]
                }],
                "volumes": [{"name": "config", "configMap": {"name": "nginx-conf"}}]}}},
        "status": {"replicas": replicas}
    })
}

#[test]
fn a_deployment_names_its_new_and_old_replica_sets() {
    let current = replica_set("web-7c9d", "d-1", "nginx:1.27", "2026-11-20T09:00:00Z", 3);
    let oldest = replica_set("web-5d4f", "d-1", "nginx:1.25", "2026-11-01T09:00:00Z", 0);
    let older = replica_set("web-6b8c", "d-1", "nginx:1.26", "2026-11-10T09:00:00Z", 0);
    // Same template, but controlled by another Deployment (a different uid).
    let foreign = replica_set("web-1a2b", "d-2", "nginx:1.27", "2026-11-19T09:00:00Z", 3);
    let related = [&current, &older, &foreign, &oldest];
    let text = describe_object_with(&web_deployment(), &related, &[], now());
    assert_lines(
        &text,
        &[
            "OldReplicaSets:  web-5d4f (0/0 replicas created), web-6b8c (0/0 replicas created)",
            "NewReplicaSet:   web-7c9d (3/3 replicas created)",
        ],
    );
}

fn pod_of(name: &str, owner: (&str, &str, &str), labels: Value, phase: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "labels": labels,
            "ownerReferences": [{"kind": owner.0, "name": owner.1, "uid": owner.2,
                "controller": true}]},
        "status": {"phase": phase}
    })
}

#[test]
fn a_replica_set_counts_the_pods_it_controls_by_phase() {
    let replica_set = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-7c9d", "namespace": "shop", "uid": "rs-1",
            "labels": {"app": "web", "pod-template-hash": "7c9d"},
            "annotations": {"deployment.kubernetes.io/desired-replicas": "3"},
            "ownerReferences": [{"kind": "Deployment", "name": "web", "uid": "d-1",
                "controller": true}]},
        "spec": {"replicas": 4,
            "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7c9d"}},
            "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": "7c9d"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                    "resources": {"limits": {"memory": "256Mi"},
                                  "requests": {"cpu": "250m", "memory": "128Mi"}}}]}}},
        "status": {"replicas": 4, "conditions": [
            {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"}]}
    });
    let labels = json!({"app": "web", "pod-template-hash": "7c9d"});
    let owner = ("ReplicaSet", "web-7c9d", "rs-1");
    let pods = [
        pod_of("a", owner, labels.clone(), "Running"),
        pod_of("b", owner, labels.clone(), "Running"),
        pod_of("c", owner, labels.clone(), "Pending"),
        pod_of("d", owner, labels.clone(), "Failed"),
        // Matches the selector but belongs to another ReplicaSet.
        pod_of(
            "e",
            ("ReplicaSet", "web-7c9d", "rs-2"),
            labels.clone(),
            "Running",
        ),
        // Controlled, but no longer selected (its labels were edited).
        pod_of("f", owner, json!({"app": "debug"}), "Running"),
    ];
    let related: Vec<&Value> = pods.iter().collect();
    let expected = lines_of(&[
        "Name:           web-7c9d",
        "Namespace:      shop",
        "Selector:       app=web,pod-template-hash=7c9d",
        "Labels:         app=web",
        "                pod-template-hash=7c9d",
        "Annotations:    deployment.kubernetes.io/desired-replicas: 3",
        "Controlled By:  Deployment/web",
        "Replicas:       4 current / 4 desired",
        "Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 1 Failed",
        "Pod Template:",
        "  Labels:  app=web",
        "           pod-template-hash=7c9d",
        "  Containers:",
        "   nginx:",
        "    Image:      nginx:1.27",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Limits:",
        "      memory:  256Mi",
        "    Requests:",
        "      cpu:         250m",
        "      memory:      128Mi",
        "    Environment:   <none>",
        "    Mounts:        <none>",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "Conditions:",
        "  Type             Status  Reason",
        "  ----             ------  ------",
        "  ReplicaFailure   True    FailedCreate",
        "Events:            <none>",
    ]);
    assert_eq!(
        describe_object_with(&replica_set, &related, &[], now()),
        expected
    );
}

#[test]
fn a_stateful_set_shows_probes_partition_and_claim_templates() {
    let stateful_set = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop", "uid": "s-1",
            "creationTimestamp": "2026-11-20T08:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "db"}},
            "updateStrategy": {"type": "RollingUpdate",
                "rollingUpdate": {"partition": 1, "maxUnavailable": 1}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {
                "containers": [{"name": "pg", "image": "postgres:17",
                    "ports": [{"name": "pg", "containerPort": 5432, "protocol": "TCP"},
                              {"name": "metrics", "containerPort": 9187, "protocol": "TCP"}],
                    "readinessProbe": {"exec": {"command": ["pg_isready", "-U", "postgres"]},
                        "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1,
                        "failureThreshold": 3},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080,
                        "scheme": "HTTP"}, "initialDelaySeconds": 5, "periodSeconds": 10,
                        "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                    "startupProbe": {"tcpSocket": {"port": "pg"}, "periodSeconds": 5,
                        "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 30},
                    "volumeMounts": [{"name": "data", "mountPath": "/var/lib/postgresql",
                        "subPath": "pgdata"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                "resources": {"requests": {"storage": "10Gi"}}}}]},
        "status": {"replicas": 2}
    });
    let owner = ("StatefulSet", "db", "s-1");
    let pods = [
        pod_of("db-0", owner, json!({"app": "db"}), "Running"),
        pod_of("db-1", owner, json!({"app": "db"}), "Pending"),
    ];
    let related: Vec<&Value> = pods.iter().collect();
    let expected = lines_of(&[
        "Name:               db",
        "Namespace:          shop",
        "CreationTimestamp:  Fri, 20 Nov 2026 08:00:00 +0000",
        "Selector:           app=db",
        "Labels:             <none>",
        "Annotations:        <none>",
        "Replicas:           2 desired | 2 total",
        "Update Strategy:    RollingUpdate",
        "  Partition:        1",
        "  MaxUnavailable:   1",
        "Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "  Labels:  app=db",
        "  Containers:",
        "   pg:",
        // "Environment:" (no variables) is the widest cell of this block.
        "    Image:        postgres:17",
        "    Ports:        5432/TCP (pg), 9187/TCP (metrics)",
        "    Host Ports:   0/TCP (pg), 0/TCP (metrics)",
        "    Liveness:     http-get http://:8080/healthz delay=5s timeout=1s period=10s successThreshold=1 failureThreshold=3",
        "    Readiness:    exec [pg_isready -U postgres] delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3",
        "    Startup:      tcp-socket :pg delay=0s timeout=1s period=5s successThreshold=1 failureThreshold=30",
        "    Environment:  <none>",
        "    Mounts:",
        "      /var/lib/postgresql from data (rw,path=\"pgdata\")",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "Volume Claims:",
        "  Name:          data",
        "  StorageClass:  fast",
        "  Labels:        <none>",
        "  Annotations:   <none>",
        "  Capacity:      10Gi",
        "  Access Modes:  [ReadWriteOnce]",
        "Events:          <none>",
    ]);
    assert_eq!(
        describe_object_with(&stateful_set, &related, &[], now()),
        expected
    );
}

#[test]
fn a_daemon_set_prints_its_node_counts_unaligned() {
    let daemon_set = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "node-exporter", "namespace": "monitoring", "uid": "ds-1",
            "labels": {"app": "node-exporter"}},
        "spec": {"selector": {"matchLabels": {"app": "node-exporter"}},
            "template": {"metadata": {"labels": {"app": "node-exporter"}}, "spec": {
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "tolerations": [{"operator": "Exists"},
                    {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                     "effect": "NoSchedule"},
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300}],
                "containers": [{"name": "exporter", "image": "prom/node-exporter:v1.8.2",
                    "args": ["--path.rootfs=/host"],
                    "volumeMounts": [{"name": "root", "mountPath": "/host", "readOnly": true}]}],
                "volumes": [{"name": "root", "hostPath": {"path": "/", "type": ""}}]}}},
        "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3,
            "updatedNumberScheduled": 2, "numberAvailable": 3, "numberMisscheduled": 0}
    });
    let expected = lines_of(&[
        "Name:           node-exporter",
        "Namespace:      monitoring",
        "Selector:       app=node-exporter",
        "Node-Selector:  kubernetes.io/os=linux",
        "Labels:         app=node-exporter",
        "Annotations:    <none>",
        "Desired Number of Nodes Scheduled: 3",
        "Current Number of Nodes Scheduled: 3",
        "Number of Nodes Scheduled with Up-to-date Pods: 2",
        "Number of Nodes Scheduled with Available Pods: 3",
        "Number of Nodes Misscheduled: 0",
        "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "  Labels:  app=node-exporter",
        "  Containers:",
        "   exporter:",
        "    Image:      prom/node-exporter:v1.8.2",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Args:",
        "      --path.rootfs=/host",
        "    Environment:  <none>",
        "    Mounts:",
        "      /host from root (ro)",
        "  Volumes:",
        "   root:",
        "    Type:          HostPath (bare host directory volume)",
        "    Path:          /",
        "    HostPathType:  ",
        "  Node-Selectors:  kubernetes.io/os=linux",
        "  Tolerations:     op=Exists",
        "                   node-role.kubernetes.io/control-plane:NoSchedule op=Exists",
        "                   node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        "Events:            <none>",
    ]);
    assert_eq!(describe(&daemon_set), expected);
}

#[test]
fn a_finished_job_shows_its_duration_and_pod_statuses() {
    let job = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "backup-29000000", "namespace": "shop",
            "labels": {"batch.kubernetes.io/job-name": "backup-29000000"},
            "ownerReferences": [{"kind": "CronJob", "name": "backup", "controller": true}]},
        "spec": {"parallelism": 1, "completions": 3, "completionMode": "Indexed",
            "suspend": false, "backoffLimit": 6,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "j-1"}},
            "template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "backup", "image": "busybox"}]}}},
        "status": {"startTime": "2026-11-21T03:00:00Z", "completionTime": "2026-11-21T03:02:30Z",
            "succeeded": 3, "ready": 0, "completedIndexes": "0-2"}
    });
    let text = describe(&job);
    assert_lines(
        &text,
        &[
            "Name:               backup-29000000",
            "Selector:           batch.kubernetes.io/controller-uid=j-1",
            "Controlled By:      CronJob/backup",
            "Parallelism:        1",
            "Completions:        3",
            "Completion Mode:    Indexed",
            "Suspend:            false",
            "Backoff Limit:      6",
            "Start Time:         Sat, 21 Nov 2026 03:00:00 +0000",
            "Completed At:       Sat, 21 Nov 2026 03:02:30 +0000",
            "Duration:           2m30s",
            "Pods Statuses:      0 Active (0 Ready) / 3 Succeeded / 0 Failed",
            "Completed Indexes:  0-2",
        ],
    );
}

#[test]
fn a_cron_job_reads_like_kubectl_describe() {
    let cron_job = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "backup", "namespace": "shop"},
        "spec": {"schedule": "0 3 * * *", "concurrencyPolicy": "Forbid", "suspend": false,
            "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                "containers": [{"name": "backup", "image": "busybox",
                    "command": ["sh", "-c", "tar czf /backup/db.tgz /data"]}]}}}}},
        "status": {"lastScheduleTime": "2026-11-21T03:00:00Z",
            "active": [{"name": "backup-29000000"}]}
    });
    let expected = lines_of(&[
        "Name:                          backup",
        "Namespace:                     shop",
        "Labels:                        <none>",
        "Annotations:                   <none>",
        "Schedule:                      0 3 * * *",
        "Concurrency Policy:            Forbid",
        "Suspend:                       False",
        "Time Zone:                     <unset>",
        "Successful Job History Limit:  3",
        "Failed Job History Limit:      1",
        "Starting Deadline Seconds:     <unset>",
        "Selector:                      <unset>",
        "Parallelism:                   <unset>",
        "Completions:                   <unset>",
        "Pod Template:",
        "  Labels:  <none>",
        "  Containers:",
        "   backup:",
        "    Image:      busybox",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Command:",
        "      sh",
        "      -c",
        "      tar czf /backup/db.tgz /data",
        // The rest of the template aligns with the lines after it, up to the events.
        "    Environment:     <none>",
        "    Mounts:          <none>",
        "  Volumes:           <none>",
        "  Node-Selectors:    <none>",
        "  Tolerations:       <none>",
        "Last Schedule Time:  Sat, 21 Nov 2026 03:00:00 +0000",
        "Active Jobs:         backup-29000000",
        "Events:              <none>",
    ]);
    assert_eq!(describe(&cron_job), expected);
}

fn web_service() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
        "spec": {"type": "NodePort", "selector": {"app": "web"},
            "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"],
            "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
            "ports": [
                {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP",
                 "nodePort": 30080},
                {"name": "metrics", "port": 9090, "targetPort": 9090, "protocol": "TCP",
                 "nodePort": 30090}],
            "sessionAffinity": "None", "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster"}
    })
}

#[test]
fn a_service_reads_like_kubectl_describe() {
    let slice = json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "web-abcde", "namespace": "shop",
            "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                  {"name": "metrics", "port": 9090, "protocol": "TCP"}],
        "endpoints": [
            {"addresses": ["10.244.1.5"], "conditions": {"ready": true}},
            {"addresses": ["10.244.2.7"]},
            {"addresses": ["10.244.3.9"], "conditions": {"ready": false}}
        ]
    });
    let other_service = json!({
        "kind": "EndpointSlice",
        "metadata": {"name": "api-xyz", "namespace": "shop",
            "labels": {"kubernetes.io/service-name": "api"}},
        "ports": [{"name": "http", "port": 80}],
        "endpoints": [{"addresses": ["10.244.9.9"]}]
    });
    let expected = lines_of(&[
        "Name:                     web",
        "Namespace:                shop",
        "Labels:                   app=web",
        "Annotations:              <none>",
        "Selector:                 app=web",
        "Type:                     NodePort",
        "IP Family Policy:         SingleStack",
        "IP Families:              IPv4",
        "IP:                       10.96.12.34",
        "IPs:                      10.96.12.34",
        "Port:                     http  80/TCP",
        "TargetPort:               http/TCP",
        "NodePort:                 http  30080/TCP",
        "Endpoints:                10.244.1.5:8080,10.244.2.7:8080",
        "Port:                     metrics  9090/TCP",
        "TargetPort:               9090/TCP",
        "NodePort:                 metrics  30090/TCP",
        "Endpoints:                10.244.1.5:9090,10.244.2.7:9090",
        "Session Affinity:         None",
        "External Traffic Policy:  Cluster",
        "Internal Traffic Policy:  Cluster",
        "Events:                   <none>",
    ]);
    assert_eq!(
        describe_object_with(&web_service(), &[&other_service, &slice], &[], now()),
        expected
    );
    // Without its endpoints, kubectl's "found none" is what we print.
    assert_lines(
        &describe(&web_service()),
        &["Endpoints:                <none>"],
    );
}

#[test]
fn service_endpoints_come_from_an_endpoints_object_and_are_capped_at_three() {
    let endpoints = json!({
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "shop"},
        "subsets": [{
            "addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}, {"ip": "10.0.0.3"},
                          {"ip": "10.0.0.4"}, {"ip": "fd00::5"}],
            "ports": [{"name": "http", "port": 8080}, {"name": "metrics", "port": 9090}]
        }]
    });
    let text = describe_object_with(&web_service(), &[&endpoints], &[], now());
    assert_lines(
        &text,
        &[
            "Endpoints:                10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...",
            "Endpoints:                10.0.0.1:9090,10.0.0.2:9090,10.0.0.3:9090 + 2 more...",
        ],
    );
    let headless = json!({
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "namespace": "shop"},
        "subsets": [{"addresses": [{"ip": "fd00::5"}], "ports": [{"name": "http", "port": 80}]}]
    });
    let text = describe_object_with(&web_service(), &[&headless], &[], now());
    assert_lines(&text, &["Endpoints:                [fd00::5]:80"]);
}

#[test]
fn a_config_map_shows_every_value_and_binary_sizes() {
    let config_map = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "nginx-conf", "namespace": "shop"},
        "data": {"nginx.conf": "worker_processes 1;\nevents {}", "mode": "prod"},
        "binaryData": {"logo.png": "iVBORw0KGgo="}
    });
    let expected = lines_of(&[
        "Name:         nginx-conf",
        "Namespace:    shop",
        "Labels:       <none>",
        "Annotations:  <none>",
        "",
        "Data",
        "====",
        "mode:",
        "----",
        "prod",
        "",
        "nginx.conf:",
        "----",
        "worker_processes 1;",
        "events {}",
        "",
        "",
        "BinaryData",
        "====",
        "logo.png: 8 bytes",
        "",
        "Events:  <none>",
    ]);
    assert_eq!(describe(&config_map), expected);
}

#[test]
fn a_secret_shows_sizes_and_never_its_values() {
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "db"}},
        "type": "Opaque",
        // "hunter2" and "admin"
        "data": {"password": "aHVudGVyMg==", "username": "YWRtaW4="},
        "stringData": {"url": "postgres://admin:hunter2@db:5432"}
    });
    let expected = lines_of(&[
        "Name:         db",
        "Namespace:    shop",
        "Labels:       app=db",
        "Annotations:  <none>",
        "",
        "Type:  Opaque",
        "",
        "Data",
        "====",
        "password:  7 bytes",
        "url:       32 bytes",
        "username:  5 bytes",
        "Events:    <none>",
    ]);
    let text = describe(&secret);
    assert_eq!(text, expected);
    for value in [
        "aHVudGVyMg==",
        "hunter2",
        "YWRtaW4=",
        "admin",
        "postgres://",
    ] {
        assert!(!text.contains(value), "{value:?} revealed in\n{text}");
    }
    // kubectl prints a service account token in clear; we do not.
    let token = json!({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": "build-robot", "namespace": "ci"},
        "data": {"token": "ZXlKaGJHY2lPaUpTVXpJMU5pSjkuc2VjcmV0", "ca.crt": "Y2VydA=="}
    });
    let text = describe(&token);
    assert_lines(&text, &["ca.crt:  4 bytes", "token:   27 bytes"]);
    assert!(!text.contains("eyJhbGciOiJSUzI1NiJ9") && !text.contains("ZXlK"));
}

#[test]
fn a_terminating_namespace_shows_its_conditions_quotas_and_limits() {
    let namespace = json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "shop", "labels": {"kubernetes.io/metadata.name": "shop"}},
        "status": {"phase": "Terminating", "conditions": [{
            "type": "NamespaceContentRemaining", "status": "True",
            "lastTransitionTime": "2026-11-21T09:00:00Z", "reason": "SomeResourcesRemain",
            "message": "Some resources are remaining: pods. has 2 resource instances"}]}
    });
    let expected = lines_of(&[
        "Name:         shop",
        "Labels:       kubernetes.io/metadata.name=shop",
        "Annotations:  <none>",
        "Status:       Terminating",
        "Conditions:",
        "  Type                       Status  LastTransitionTime               Reason               Message",
        "  ----                       ------  ------------------               ------               -------",
        "  NamespaceContentRemaining  True    Sat, 21 Nov 2026 09:00:00 +0000  SomeResourcesRemain  Some resources are remaining: pods. has 2 resource instances",
        "",
        "No resource quota.",
        "",
        "No LimitRange resource.",
        "Events:  <none>",
    ]);
    assert_eq!(describe(&namespace), expected);

    let quota = json!({
        "apiVersion": "v1", "kind": "ResourceQuota",
        "metadata": {"name": "compute", "namespace": "shop"},
        "spec": {"scopes": ["NotBestEffort"]},
        "status": {"hard": {"pods": "10", "requests.cpu": "4"}, "used": {"pods": "3"}}
    });
    let limits = json!({
        "apiVersion": "v1", "kind": "LimitRange",
        "metadata": {"name": "defaults", "namespace": "shop"},
        "spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"},
            "defaultRequest": {"memory": "256Mi"}, "max": {"memory": "1Gi"}}]}
    });
    let elsewhere =
        json!({"kind": "ResourceQuota", "metadata": {"name": "x", "namespace": "other"}});
    let text = describe_object_with(&namespace, &[&elsewhere, &quota, &limits], &[], now());
    let tail: Vec<&str> = text
        .lines()
        .skip_while(|line| *line != "Resource Quotas")
        .collect();
    assert_eq!(
        tail,
        [
            "Resource Quotas",
            "  Name:    compute",
            "  Scopes:  NotBestEffort",
            "  * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
            "  Resource      Used  Hard",
            "  --------      ---   ---",
            "  pods          3     10",
            "  requests.cpu  0     4",
            "",
            "Resource Limits",
            " Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio",
            " ----       --------  ---  ---  ---------------  -------------  -----------------------",
            " Container  memory    -    1Gi  256Mi            512Mi          -",
            "Events:     <none>",
        ]
    );
}

#[test]
fn a_pod_disruption_budget_reads_like_kubectl_describe() {
    let budget = json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In",
                "values": ["frontend", "edge"]}]}},
        "status": {"disruptionsAllowed": 1, "currentHealthy": 3, "desiredHealthy": 2,
            "expectedPods": 3}
    });
    let expected = lines_of(&[
        "Name:           web",
        "Namespace:      shop",
        "Min available:  2",
        "Selector:       app=web,tier in (edge,frontend)",
        "Status:",
        "    Allowed disruptions:  1",
        "    Current:              3",
        "    Desired:              2",
        "    Total:                3",
        "Events:                   <none>",
    ]);
    assert_eq!(describe(&budget), expected);
    let by_percentage = json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"maxUnavailable": "50%", "selector": {}}
    });
    assert_lines(
        &describe(&by_percentage),
        &["Max unavailable:  50%", "Selector:         <none>"],
    );
}

#[test]
fn a_custom_resource_is_described_generically_like_kubectl() {
    let cluster = json!({
        "apiVersion": "ceph.rook.io/v1", "kind": "CephCluster",
        "metadata": {"name": "rook-ceph", "namespace": "rook-ceph", "uid": "c-1",
            "generation": 3, "creationTimestamp": "2026-11-01T00:00:00Z",
            "finalizers": ["cephcluster.ceph.rook.io"],
            "labels": {"app": "rook-ceph"},
            "managedFields": [{"manager": "kubectl", "operation": "Apply"}]},
        "spec": {
            "cephVersion": {"image": "quay.io/ceph/ceph:v19.2.0", "allowUnsupported": false},
            "dataDirHostPath": "/var/lib/rook",
            "mon": {"count": 3, "allowMultiplePerNode": false},
            "network": {"hostNetwork": null, "ipFamily": "IPv4"},
            "storage": {"useAllNodes": true,
                "nodes": [{"name": "node-a", "devices": [{"name": "sdb"}]},
                          {"name": "node-b", "devices": [{"name": "sdc"}]}]},
            "resources": {"mgr": {"limits": {"cpu": 1.5, "memory": "1Gi"}}},
            "healthCheck": {"daemonHealth": {"mon": {"interval": "45s"}}}
        },
        "status": {"phase": "Ready",
            "ceph": {"health": "HEALTH_OK", "capacity": {"bytesTotal": 107374182400_i64},
                "versions": {"mon": {"ceph version 19.2.0": 3}}},
            "conditions": [
                {"type": "Progressing", "status": "False", "reason": "ClusterProgressingCompleted"},
                {"type": "Ready", "status": "True", "reason": "ClusterCreated"}],
            "storage": {"deviceClasses": [{"name": "ssd"}], "osd": {"storeType": {"bluestore": 2}}}}
    });
    let expected = lines_of(&[
        "Name:         rook-ceph",
        "Namespace:    rook-ceph",
        "Labels:       app=rook-ceph",
        "Annotations:  <none>",
        "API Version:  ceph.rook.io/v1",
        "Kind:         CephCluster",
        "Metadata:",
        "  Creation Timestamp:  2026-11-01T00:00:00Z",
        "  Finalizers:",
        "    cephcluster.ceph.rook.io",
        "  Generation:  3",
        "  UID:         c-1",
        "Spec:",
        "  Ceph Version:",
        "    Allow Unsupported:  false",
        "    Image:              quay.io/ceph/ceph:v19.2.0",
        "  Data Dir Host Path:   /var/lib/rook",
        "  Health Check:",
        "    Daemon Health:",
        "      Mon:",
        "        Interval:  45s",
        "  Mon:",
        "    Allow Multiple Per Node:  false",
        "    Count:                    3",
        "  Network:",
        "    Host Network:  <nil>",
        "    Ip Family:     IPv4",
        "  Resources:",
        "    Mgr:",
        "      Limits:",
        "        Cpu:     1.5",
        "        Memory:  1Gi",
        "  Storage:",
        // List elements that are maps run together, as kubectl prints them.
        "    Nodes:",
        "      Devices:",
        "        Name:  sdb",
        "      Name:    node-a",
        "      Devices:",
        "        Name:       sdc",
        "      Name:         node-b",
        "    Use All Nodes:  true",
        "Status:",
        "  Ceph:",
        "    Capacity:",
        "      Bytes Total:  107374182400",
        "    Health:         HEALTH_OK",
        "    Versions:",
        "      Mon:",
        "        ceph version 19.2.0:  3",
        "  Conditions:",
        "    Reason:  ClusterProgressingCompleted",
        "    Status:  False",
        "    Type:    Progressing",
        "    Reason:  ClusterCreated",
        "    Status:  True",
        "    Type:    Ready",
        "  Phase:     Ready",
        "  Storage:",
        "    Device Classes:",
        "      Name:  ssd",
        "    Osd:",
        "      Store Type:",
        "        Bluestore:  2",
        "Events:             <none>",
    ]);
    assert_eq!(describe(&cluster), expected);
}

#[test]
fn a_built_in_kind_name_in_another_group_is_described_generically() {
    let custom = json!({
        "apiVersion": "example.com/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"replicas": 2}
    });
    assert_lines(
        &describe(&custom),
        &["API Version:  example.com/v1", "Spec:", "  Replicas:  2"],
    );
}

#[test]
fn events_are_described_generically_as_kubectl_has_no_event_describer() {
    let event = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "web.17a", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{app}"},
        "reason": "BackOff", "count": 3, "type": "Warning",
        "lastTimestamp": "2026-11-21T09:59:00Z"
    });
    let expected = lines_of(&[
        "Name:         web.17a",
        "Namespace:    shop",
        "Labels:       <none>",
        "Annotations:  <none>",
        "API Version:  v1",
        "Count:        3",
        "Involved Object:",
        "  Field Path:    spec.containers{app}",
        "  Kind:          Pod",
        "  Name:          web",
        "Kind:            Event",
        "Last Timestamp:  2026-11-21T09:59:00Z",
        "Metadata:",
        "Reason:  BackOff",
        "Type:    Warning",
        "Events:  <none>",
    ]);
    assert_eq!(describe(&event), expected);
}

#[test]
fn objects_without_spec_or_status_print_kubectls_zero_values() {
    let expected = lines_of(&[
        "Name:               web",
        "Namespace:          ",
        "CreationTimestamp:  Mon, 01 Jan 0001 00:00:00 +0000",
        "Labels:             <none>",
        "Annotations:        <none>",
        "Selector:           ",
        "Replicas:           1 desired | 0 updated | 0 total | 0 available | 0 unavailable",
        "StrategyType:       ",
        "MinReadySeconds:    0",
        "Pod Template:",
        "  Labels:  <none>",
        "  Containers: <none>",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "OldReplicaSets:    <none>",
        "NewReplicaSet:     <none>",
        "Events:            <none>",
    ]);
    assert_eq!(
        describe(&json!({"kind": "Deployment", "metadata": {"name": "web"}})),
        expected
    );
    for kind in [
        "Pod",
        "Node",
        "Namespace",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
        "ConfigMap",
        "Secret",
        "PodDisruptionBudget",
        "Event",
        "CephCluster",
    ] {
        for object in [
            json!({"kind": kind}),
            json!({"kind": kind, "metadata": null, "spec": null, "status": null}),
            // Wrong types read as zero values rather than failing.
            json!({"kind": kind, "metadata": {"name": 5, "labels": []}, "spec": "x", "status": 7}),
        ] {
            let text = describe(&object);
            let last_line = text.lines().last().unwrap_or_default();
            assert!(
                last_line.starts_with("Events:") && last_line.ends_with("  <none>"),
                "{kind}:\n{text}"
            );
            assert!(text.contains("<none>"), "{kind}:\n{text}");
        }
    }
    // Not even an object.
    assert!(describe(&json!(["a"])).starts_with("Name:         \n"));
}

#[test]
fn long_and_multi_line_annotations_go_below_their_key() {
    let long = "x".repeat(150);
    let config_map = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "n", "annotations": {
            "a/short": "yes", "b/long": long, "c/script": "line one\nline two\n"}}
    });
    let text = describe(&config_map);
    let expected_head = lines_of(&[
        "Name:         c",
        "Namespace:    n",
        "Labels:       <none>",
        "Annotations:  a/short: yes",
        "              b/long:",
        &format!("                {}...", "x".repeat(138)),
        "              c/script:",
        "                line one",
        "                line two",
    ]);
    assert!(text.starts_with(&expected_head), "{text}");
}

#[test]
fn template_details_follow_kubectl() {
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app": "api"},
                "matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]},
                                     {"key": "legacy", "operator": "DoesNotExist"}]},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
            "template": {"metadata": {"labels": {"app": "api"},
                    "annotations": {"prometheus.io/scrape": "true"}},
                "spec": {"serviceAccountName": "api", "priorityClassName": "high",
                    "initContainers": [{"name": "migrate", "image": "api:2", "args": ["migrate"]}],
                    "containers": [{"name": "api", "image": "api:2",
                        "envFrom": [{"configMapRef": {"name": "api-env"}},
                                    {"secretRef": {"name": "api-secrets", "optional": true},
                                     "prefix": "SECRET_"}],
                        "env": [
                            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                "fieldPath": "metadata.name"}}},
                            {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {
                                "resource": "limits.cpu", "divisor": "1m"}}},
                            {"name": "MEMORY_LIMIT", "valueFrom": {"resourceFieldRef": {
                                "resource": "limits.memory"}}},
                            {"name": "MEMORY_REQUEST_MI", "valueFrom": {"resourceFieldRef": {
                                "resource": "requests.memory", "divisor": "1Mi"}}},
                            {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "api-env",
                                "key": "level", "optional": true}}},
                            {"name": "BANNER", "value": "hello\nworld"}],
                        "resources": {"limits": {"cpu": "500m"},
                            "requests": {"memory": "200Mi"}},
                        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}],
                    "topologySpreadConstraints": [
                        {"topologyKey": "zone", "maxSkew": 1, "whenUnsatisfiable": "DoNotSchedule",
                         "labelSelector": {"matchLabels": {"app": "api"}}},
                        {"topologyKey": "host", "maxSkew": 2, "whenUnsatisfiable": "ScheduleAnyway"}],
                    "volumes": [
                        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}},
                        {"name": "token", "projected": {"sources": [
                            {"serviceAccountToken": {"path": "token"}},
                            {"configMap": {"name": "kube-root-ca.crt"}},
                            {"downwardAPI": {"items": []}}]}},
                        {"name": "data", "persistentVolumeClaim": {"claimName": "api-data"}},
                        {"name": "certs", "secret": {"secretName": "api-tls", "optional": true}},
                        {"name": "csi", "csi": {"driver": "secrets-store.csi.k8s.io",
                            "readOnly": true, "volumeAttributes": {"a": "1", "b": "2"}}}]}}}
    });
    let text = describe(&deployment);
    assert_lines(
        &text,
        &[
            "Selector:               app=api,!legacy,track notin (canary)",
            "RollingUpdateStrategy:  <nil> max unavailable, 1 max surge",
            "  Labels:           app=api",
            "  Annotations:      prometheus.io/scrape: true",
            "  Service Account:  api",
            "  Init Containers:",
            "   migrate:",
            "    Args:",
            "      migrate",
            "    SeccompProfile:  RuntimeDefault",
            "    Environment Variables from:",
            "      api-env      ConfigMap                     Optional: false",
            "      api-secrets  Secret with prefix 'SECRET_'  Optional: true",
            // A field reference has no value in a template: the cell is empty, then the source.
            "      POD_NAME:            (v1:metadata.name)",
            "      CPU_LIMIT:          500 (limits.cpu)",
            "      MEMORY_LIMIT:       node allocatable (limits.memory)",
            "      MEMORY_REQUEST_MI:  200 (requests.memory)",
            "      LEVEL:              <set to the key 'level' of config map 'api-env'>  Optional: true",
            "      BANNER:             hello",
            "                          world",
            "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
            "    Medium:     ",
            "    SizeLimit:  1Gi",
            "    Type:                    Projected (a volume that contains injected data from multiple sources)",
            "    TokenExpirationSeconds:  3600",
            "    ConfigMapName:           kube-root-ca.crt",
            "    Optional:                false",
            "    DownwardAPI:             true",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  api-data",
            "    ReadOnly:   false",
            "    SecretName:  api-tls",
            "    Optional:    true",
            "  Topology Spread Constraints:  host:ScheduleAnyway when max skew 2 is exceeded",
            "                                zone:DoNotSchedule when max skew 1 is exceeded for selector app=api",
            "  Priority Class Name:          high",
        ],
    );
    // The CSI volume's lines share a block with the constraints below it, whose title is the
    // widest cell (30 characters, padded to 32); kubectl indents each attribute by two levels
    // more, after the tab, and the continuation line's first cell is eight spaces.
    let padded = |cell: &str, rest: &str| format!("{cell:<32}{rest}");
    assert_lines(
        &text,
        &[
            &padded("    Driver:", "secrets-store.csi.k8s.io"),
            &padded("    VolumeAttributes:", "    a=1"),
            &padded("        ", "    b=2"),
        ],
    );
}

#[test]
fn the_layout_is_go_tabwriter_with_kubectls_settings() {
    // Blocks end at a line with fewer cells; the last cell of a line is never padded.
    assert_eq!(
        layout("a:\t1\nlonger:\t2\nsection\n  b:\t3\n"),
        "a:       1\nlonger:  2\nsection\n  b:  3\n"
    );
    // A column block nested inside another is sized by its own lines only.
    assert_eq!(
        layout("Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\nPort:\tmetrics-long\t9090/TCP\n"),
        "Port:        http  80/TCP\nTargetPort:  8080/TCP\nPort:        metrics-long  9090/TCP\n"
    );
    // Widths count characters, not bytes; empty cells are padded too.
    assert_eq!(layout("é:\tx\n\ty\n"), "é:  x\n    y\n");
    // Text after the last newline is kept, unterminated.
    assert_eq!(layout("a\tb"), "a  b");
}

#[test]
fn terminal_control_characters_are_escaped_as_kubectl_does() {
    let config_map = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "evil\u{1b}[2J", "namespace": "n"},
        "data": {"k": "a\r\nb"}
    });
    let text = describe(&config_map);
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
    assert_lines(&text, &["Name:         evil^[[2J", "a\\r"]);
}

#[test]
fn keys_are_split_into_words_as_kubectl_does() {
    for (key, label) in [
        ("apiVersion", "API Version"),
        ("uid", "UID"),
        ("creationTimestamp", "Creation Timestamp"),
        ("dataDirHostPath", "Data Dir Host Path"),
        ("clusterIP", "Cluster IP"),
        ("podCIDRs", "Pod CIDRs"),
        ("hostIPs", "Host I Ps"),
        ("imageURL", "Image URL"),
        ("x-kubernetes-list", "X - Kubernetes - List"),
        ("ceph_status", "ceph_status"),
        ("v1beta1", "v1beta1"),
        ("storage.class", "storage.class"),
    ] {
        assert_eq!(smart_label(key), label, "{key}");
    }
}

#[test]
fn values_print_as_gos_percent_v() {
    for (value, text) in [
        (json!(1.5), "1.5"),
        (json!(1000000.0), "1e+06"),
        (json!(123456.5), "123456.5"),
        (json!(1234567.5), "1.2345675e+06"),
        (json!(0.0001), "0.0001"),
        (json!(0.00001), "1e-05"),
        (json!(-2.5e-7), "-2.5e-07"),
        (json!(u64::MAX), "1.8446744073709552e+19"),
        (json!(-3), "-3"),
        (json!(null), "<nil>"),
        (json!(["a", 1, true]), "[a 1 true]"),
        (json!({"b": 2, "a": [1]}), "map[a:[1] b:2]"),
    ] {
        assert_eq!(go_value(&value), text, "{value}");
    }
}

#[test]
fn in_tree_volume_sources_print_their_fields_as_kubectl_does() {
    let job = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "legacy", "namespace": "n"},
        "spec": {"template": {"spec": {"containers": [], "volumes": [
            {"name": "share", "nfs": {"server": "nas", "path": "/exports"}},
            {"name": "fs", "cephfs": {"monitors": ["10.0.0.1:6789", "10.0.0.2:6789"],
                "user": "admin", "secretRef": {"name": "ceph"}}},
            {"name": "flex", "flexVolume": {"driver": "example/lvm",
                "options": {"size": "1G", "group": "vg0"}}},
            {"name": "lun", "iscsi": {"targetPortal": "10.0.0.9:3260", "iqn": "iqn.x", "lun": 0}},
            {"name": "mystery"}
        ]}}}
    });
    let text = describe(&job);
    let volumes: Vec<&str> = text
        .lines()
        .skip_while(|line| *line != "  Volumes:")
        .take_while(|line| !line.starts_with("  Node-Selectors:"))
        .collect();
    assert_eq!(
        volumes,
        [
            "  Volumes:",
            "   share:",
            "    Type:      NFS (an NFS mount that lasts the lifetime of a pod)",
            "    Server:    nas",
            "    Path:      /exports",
            "    ReadOnly:  false",
            "   fs:",
            "    Type:        CephFS (a CephFS mount on the host that shares a pod's lifetime)",
            "    Monitors:    [10.0.0.1:6789 10.0.0.2:6789]",
            "    Path:        ",
            "    User:        admin",
            "    SecretFile:  ",
            "    SecretRef:   &LocalObjectReference{Name:ceph,}",
            "    ReadOnly:    false",
            "   flex:",
            "    Type:       FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)",
            "    Driver:     example/lvm",
            "    FSType:     ",
            "    SecretRef:  nil",
            "    ReadOnly:   false",
            "    Options:    map[group:vg0 size:1G]",
            "   lun:",
            "    Type:               ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
            "    TargetPortal:       10.0.0.9:3260",
            "    IQN:                iqn.x",
            "    Lun:                0",
            // Sic: kubectl's label has no colon.
            "    ISCSIInterface      ",
            "    FSType:             ",
            "    ReadOnly:           false",
            "    Portals:            []",
            "    DiscoveryCHAPAuth:  false",
            "    SessionCHAPAuth:    false",
            "    SecretRef:          nil",
            "    InitiatorName:      <none>",
            "   mystery:",
            "  <unknown>",
        ]
    );
}
