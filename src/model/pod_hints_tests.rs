//! Hints for every status a person meets in the pod lifecycle, each checked for its evidence.

use jiff::Timestamp;

use crate::model::explanation::{Explanation, PodExplanation, explain_objects};
use crate::model::manifest::parse_objects;

const NOW: &str = "2026-11-21T10:00:00Z";

/// Explains the first pod in `yaml` (Events in the same text are its evidence).
fn explain(yaml: &str) -> PodExplanation {
    let objects = parse_objects(yaml).expect("test input parses");
    let now: Timestamp = NOW.parse().unwrap();
    match explain_objects(&objects, now).into_iter().next() {
        Some(Explanation::Pod(pod)) => pod,
        other => panic!("expected a pod, got {other:?}"),
    }
}

/// Asserts the status and that some hint contains every one of `evidence`.
fn assert_hint(pod: &PodExplanation, status: &str, evidence: &[&str]) {
    assert_eq!(pod.status, status, "{:#?}", pod.steps);
    assert!(
        pod.hints
            .iter()
            .any(|hint| evidence.iter().all(|e| hint.contains(e))),
        "no hint holds all of {evidence:?}:\n{:#?}",
        pod.hints
    );
}

#[test]
fn completed() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: job-x, namespace: batch}\nspec: {containers: [{name: main}]}\nstatus:\n  phase: Succeeded\n  containerStatuses: [{name: main, state: {terminated: {exitCode: 0, reason: Completed}}}]",
    );
    assert_hint(
        &pod,
        "Completed",
        &[
            "exited with code 0",
            "phase Succeeded",
            "kubectl logs job-x -n batch",
        ],
    );
}

#[test]
fn container_creating_names_the_blocker_from_events() {
    let pod = explain(
        r#"
kind: List
items:
- kind: Pod
  metadata: {name: db-0, namespace: data}
  spec: {nodeName: n1, containers: [{name: db, image: "postgres:17"}]}
  status:
    phase: Pending
    containerStatuses: [{name: db, state: {waiting: {reason: ContainerCreating}}}]
- kind: Event
  metadata: {name: e1, namespace: data}
  involvedObject: {kind: Pod, name: db-0, namespace: data}
  reason: FailedMount
  type: Warning
  message: 'MountVolume.SetUp failed for volume "data" : secret "db-tls" not found'
  lastTimestamp: "2026-11-21T09:59:00Z"
"#,
    );
    assert_hint(
        &pod,
        "ContainerCreating",
        &["blocked", "FailedMount", "secret \"db-tls\" not found"],
    );
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: 'busybox:1.37'}]}\nstatus: {phase: Pending, containerStatuses: [{name: c, state: {waiting: {reason: ContainerCreating}}}]}",
    );
    assert_hint(
        &pod,
        "ContainerCreating",
        &["still being created", "\"busybox:1.37\""],
    );
}

#[test]
fn pod_initializing() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {initContainers: [{name: i}], containers: [{name: c}]}\nstatus:\n  phase: Pending\n  initContainerStatuses: [{name: i, state: {terminated: {exitCode: 0, reason: Completed}}}]\n  containerStatuses: [{name: c, state: {waiting: {reason: PodInitializing}}}]",
    );
    assert_hint(&pod, "PodInitializing", &["Init containers have finished"]);
}

#[test]
fn create_container_config_error_names_the_references() {
    let pod = explain(
        r#"
kind: Pod
metadata: {name: api, namespace: pay}
spec:
  containers:
  - name: api
    envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: optional-extra, optional: true}}]
    env: [{name: PW, valueFrom: {secretKeyRef: {name: db, key: password}}}]
status:
  phase: Pending
  containerStatuses: [{name: api, state: {waiting: {reason: CreateContainerConfigError, message: 'configmap "settings" not found'}}}]
"#,
    );
    assert_hint(
        &pod,
        "CreateContainerConfigError",
        &[
            "configmap \"settings\" not found",
            "ConfigMap settings",
            "Secret db (key password)",
            "-n pay",
        ],
    );
    assert!(
        !pod.hints.iter().any(|h| h.contains("optional-extra")),
        "optional references are not blamed"
    );
}

#[test]
fn image_pull_problems() {
    for reason in ["ErrImagePull", "ImagePullBackOff"] {
        let pod = explain(&format!(
            "kind: Pod\nmetadata: {{name: w}}\nspec: {{imagePullSecrets: [{{name: regcred}}], containers: [{{name: w, image: 'repo/app:v9'}}]}}\nstatus: {{phase: Pending, containerStatuses: [{{name: w, state: {{waiting: {{reason: {reason}, message: 'pull access denied'}}}}}}]}}"
        ));
        assert_hint(
            &pod,
            reason,
            &[
                "cannot pull its image \"repo/app:v9\"",
                "pull access denied",
                "regcred",
            ],
        );
    }
    // The pull error in the events decides the cause, not the status word.
    let with_event = |message: &str| {
        explain(&format!(
            "kind: List\nitems:\n- kind: Pod\n  metadata: {{name: w, namespace: s, uid: u1}}\n  spec: {{containers: [{{name: w, image: 'nginx:1.27-alpne'}}]}}\n  status: {{phase: Pending, containerStatuses: [{{name: w, state: {{waiting: {{reason: ImagePullBackOff, message: 'Back-off pulling image'}}}}}}]}}\n- kind: Event\n  metadata: {{name: e, namespace: s}}\n  involvedObject: {{kind: Pod, name: w, namespace: s, uid: u1}}\n  reason: Failed\n  type: Warning\n  message: '{message}'\n  lastTimestamp: '2026-11-21T09:59:00Z'"
        ))
    };
    let pod = with_event(
        "Failed to pull image \"nginx:1.27-alpne\": rpc error: code = NotFound desc = failed to resolve reference: docker.io/library/nginx:1.27-alpne: not found",
    );
    assert_hint(
        &pod,
        "ImagePullBackOff",
        &["no such image (not found)", "tag", "Latest pull failure"],
    );
    let pod = with_event(
        "Failed to pull image \"nginx:1.27-alpne\": failed to authorize: 401 Unauthorized",
    );
    assert_hint(
        &pod,
        "ImagePullBackOff",
        &["refused it (unauthorized)", "imagePullSecrets (none set)"],
    );
    let pod = with_event(
        "Failed to pull image \"nginx:1.27-alpne\": dial tcp: lookup registry-1.docker.io: no such host",
    );
    assert_hint(&pod, "ImagePullBackOff", &["cannot reach the registry"]);
    let pod = explain(
        "kind: Pod\nmetadata: {name: w}\nspec: {containers: [{name: w, image: 'Repo/App:V 1'}]}\nstatus: {phase: Pending, containerStatuses: [{name: w, state: {waiting: {reason: InvalidImageName}}}]}",
    );
    assert_hint(
        &pod,
        "InvalidImageName",
        &["cannot parse", "\"Repo/App:V 1\""],
    );
}

#[test]
fn init_progress_crashloop_and_error() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a, namespace: s}\nspec: {initContainers: [{name: wait-db}, {name: b}], containers: [{name: c}]}\nstatus:\n  phase: Pending\n  initContainerStatuses: [{name: wait-db, state: {running: {}}}, {name: b, state: {waiting: {reason: PodInitializing}}}]",
    );
    assert_hint(
        &pod,
        "Init:0/2",
        &[
            "0/2 init containers done",
            "\"wait-db\" is running",
            "kubectl logs a -n s -c wait-db -f",
        ],
    );

    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {initContainers: [{name: migrate}], containers: [{name: c}]}\nstatus:\n  phase: Pending\n  initContainerStatuses: [{name: migrate, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 2, reason: Error, finishedAt: '2026-11-21T09:59:00Z'}}}]",
    );
    assert_hint(
        &pod,
        "Init:CrashLoopBackOff",
        &[
            "Init container \"migrate\" keeps crashing",
            "Error (exit code 2) 60s ago",
            "--previous",
        ],
    );

    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {restartPolicy: Never, initContainers: [{name: migrate}], containers: [{name: c}]}\nstatus:\n  phase: Failed\n  initContainerStatuses: [{name: migrate, state: {terminated: {exitCode: 1, reason: Error}}}]",
    );
    assert_hint(
        &pod,
        "Init:Error",
        &["Init container \"migrate\" with Error (exit code 1)"],
    );
}

#[test]
fn crashloop_after_oomkill_cites_limit_and_qos() {
    let pod = explain(
        r#"
kind: Pod
metadata: {name: a}
spec: {containers: [{name: app, resources: {requests: {memory: 64Mi}, limits: {memory: 128Mi}}}]}
status:
  phase: Running
  qosClass: Burstable
  containerStatuses:
  - name: app
    restartCount: 9
    state: {waiting: {reason: CrashLoopBackOff}}
    lastState: {terminated: {exitCode: 137, reason: OOMKilled, finishedAt: "2026-11-21T09:58:00Z"}}
"#,
    );
    assert_hint(
        &pod,
        "CrashLoopBackOff",
        &[
            "restarted 9 times",
            "OOMKilled (exit code 137) 2m ago",
            "memory limit is 128Mi",
            "request 64Mi",
            "QoS Burstable",
        ],
    );
}

#[test]
fn oomkilled_without_a_limit_blames_the_node() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {restartPolicy: Never, containers: [{name: app}]}\nstatus: {phase: Failed, containerStatuses: [{name: app, state: {terminated: {exitCode: 137, reason: OOMKilled}}}]}",
    );
    assert_hint(&pod, "OOMKilled", &["no memory limit", "QoS BestEffort"]);
}

#[test]
fn start_and_run_errors() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: app}]}\nstatus: {phase: Running, containerStatuses: [{name: app, state: {waiting: {reason: RunContainerError, message: 'exec: \"/app\": permission denied'}}}]}",
    );
    assert_hint(
        &pod,
        "RunContainerError",
        &["could not start", "permission denied"],
    );
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {restartPolicy: Never, containers: [{name: app}]}\nstatus: {phase: Failed, containerStatuses: [{name: app, state: {terminated: {exitCode: 128, reason: StartError, message: 'exec: \"serve\": executable file not found in $PATH'}}}]}",
    );
    assert_hint(
        &pod,
        "StartError",
        &["could not start the process", "executable file not found"],
    );
}

#[test]
fn error_exit_codes() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {restartPolicy: Never, containers: [{name: app}]}\nstatus: {phase: Failed, containerStatuses: [{name: app, state: {terminated: {exitCode: 3, reason: Error}}}]}",
    );
    assert_hint(&pod, "Error", &["Error (exit code 3)", "exited on its own"]);
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {restartPolicy: Never, containers: [{name: app}]}\nstatus: {phase: Failed, containerStatuses: [{name: app, state: {terminated: {exitCode: 127}}}]}",
    );
    assert_hint(&pod, "ExitCode:127", &["was not found"]);
}

#[test]
fn unknown_on_a_lost_node() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a, namespace: d, deletionTimestamp: '2026-11-21T09:00:00Z'}\nspec: {nodeName: n9, containers: [{name: c}]}\nstatus: {phase: Running, reason: NodeLost}",
    );
    assert_hint(
        &pod,
        "Unknown",
        &[
            "node \"n9\" stopped reporting",
            "kubectl get node n9",
            "--grace-period=0 --force",
        ],
    );
}

#[test]
fn admission_failures() {
    for reason in ["OutOfcpu", "OutOfmemory"] {
        let pod = explain(&format!(
            "kind: Pod\nmetadata: {{name: a}}\nspec: {{nodeName: n1, containers: [{{name: c}}]}}\nstatus: {{phase: Failed, reason: {reason}, message: 'Pod was rejected: Node didn''t have enough resource: cpu, requested: 4000, used: 1000, capacity: 4000'}}"
        ));
        assert_hint(
            &pod,
            reason,
            &[
                "refused to admit",
                "\"n1\"",
                "requested: 4000",
                "will not be retried",
            ],
        );
    }
}

#[test]
fn evicted() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\nstatus: {phase: Failed, reason: Evicted, message: 'The node was low on resource: memory. Container c was using 1Gi, request is 0.'}",
    );
    assert_hint(
        &pod,
        "Evicted",
        &[
            "evicted the pod",
            "low on resource: memory",
            "QoS BestEffort",
        ],
    );
}

#[test]
fn terminating_within_grace_overdue_and_held_by_finalizers() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a, deletionTimestamp: '2026-11-21T10:00:20Z', deletionGracePeriodSeconds: 30}\nspec: {containers: [{name: c}]}\nstatus: {phase: Running}",
    );
    assert_hint(
        &pod,
        "Terminating",
        &["30s to stop", "normal while the grace period runs"],
    );
    let pod = explain(
        "kind: Pod\nmetadata: {name: a, deletionTimestamp: '2026-11-21T09:00:00Z', deletionGracePeriodSeconds: 30}\nspec: {nodeName: n2, containers: [{name: c}]}\nstatus: {phase: Running}",
    );
    assert_hint(
        &pod,
        "Terminating",
        &[
            "ended 60m ago",
            "No finalizer holds it",
            "kubectl get node n2",
        ],
    );
    let pod = explain(
        "kind: Pod\nmetadata: {name: a, deletionTimestamp: '2026-11-21T09:00:00Z', finalizers: [example.com/cleanup]}\nspec: {containers: [{name: c}]}\nstatus: {phase: Running}",
    );
    assert_hint(&pod, "Terminating", &["example.com/cleanup"]);
}

#[test]
fn pending_unschedulable_with_condition_events_and_constraints() {
    let pod = explain(
        r#"
kind: List
items:
- kind: Pod
  metadata: {name: big, namespace: ml, uid: u1}
  spec:
    nodeSelector: {disk: ssd}
    tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
    containers: [{name: c, resources: {requests: {cpu: "64"}}}]
  status:
    phase: Pending
    conditions: [{type: PodScheduled, status: "False", reason: Unschedulable, message: "0/3 nodes are available: 3 Insufficient cpu."}]
- kind: Event
  metadata: {name: e, namespace: ml}
  involvedObject: {kind: Pod, name: big, namespace: ml, uid: u1}
  reason: FailedScheduling
  message: "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu."
  lastTimestamp: "2026-11-21T09:59:00Z"
- kind: Event
  metadata: {name: other, namespace: ml}
  involvedObject: {kind: Pod, name: big, namespace: ml, uid: someone-else}
  reason: FailedScheduling
  message: "about an older pod of the same name"
"#,
    );
    assert_hint(
        &pod,
        "Pending",
        &[
            "Unschedulable",
            "3 Insufficient cpu",
            "untolerated taint",
            "cpu 64",
            "disk=ssd",
            "tolerates dedicated",
        ],
    );
    assert!(
        !pod.hints.iter().any(|h| h.contains("older pod")),
        "events of another uid are not evidence"
    );
}

#[test]
fn pending_bound_but_not_started() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {phase: Pending}",
    );
    assert_hint(&pod, "Pending", &["bound to \"n1\""]);
}

#[test]
fn scheduling_gated() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {schedulingGates: [{name: example.com/quota}], containers: [{name: c}]}\nstatus: {phase: Pending, conditions: [{type: PodScheduled, status: 'False', reason: SchedulingGated}]}",
    );
    assert_hint(
        &pod,
        "SchedulingGated",
        &["spec.schedulingGates", "example.com/quota"],
    );
}

#[test]
fn running_but_not_ready_probe_and_gates() {
    let pod = explain(
        r#"
kind: List
items:
- kind: Pod
  metadata: {name: web, namespace: d}
  spec:
    readinessGates: [{conditionType: target-health.elbv2.k8s.aws/web}]
    containers: [{name: web, readinessProbe: {httpGet: {path: /ready, port: 80}}}]
  status:
    phase: Running
    conditions: [{type: Ready, status: "False"}]
    containerStatuses: [{name: web, ready: false, state: {running: {}}}]
- kind: Event
  metadata: {name: e, namespace: d}
  involvedObject: {kind: Pod, name: web, namespace: d}
  reason: Unhealthy
  message: "Readiness probe failed: HTTP probe failed with statuscode: 503"
"#,
    );
    assert_hint(
        &pod,
        "Running",
        &[
            "Running but not ready (0/1)",
            "readiness probe is failing",
            "target-health.elbv2.k8s.aws/web is missing",
            "statuscode: 503",
        ],
    );
}

#[test]
fn not_ready_after_a_completed_container() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: setup}, {name: app}]}\nstatus:\n  phase: Running\n  containerStatuses: [{name: setup, state: {terminated: {exitCode: 0, reason: Completed}}}, {name: app, ready: false, state: {running: {}}}]",
    );
    assert_eq!(
        pod.status, "Completed",
        "app not ready: no running+ready container, so Completed stays"
    );
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: setup}, {name: app}]}\nstatus:\n  phase: Running\n  containerStatuses: [{name: setup, state: {terminated: {exitCode: 0, reason: Completed}}}, {name: app, ready: true, state: {running: {}}}]",
    );
    assert_hint(
        &pod,
        "NotReady",
        &["One container completed while another is still running"],
    );
}

#[test]
fn restarts_of_a_running_container_are_explained() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: app}]}\nstatus: {phase: Running, conditions: [{type: Ready, status: 'True'}], containerStatuses: [{name: app, ready: true, restartCount: 2, state: {running: {}}, lastState: {terminated: {exitCode: 143, reason: Error, finishedAt: '2026-11-21T08:00:00Z'}}}]}",
    );
    assert_hint(
        &pod,
        "Running",
        &["restarted 2 times", "exit code 143", "SIGTERM"],
    );
}

#[test]
fn qos_disagreement_is_a_hint() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: app, resources: {limits: {cpu: 1, memory: 1Gi}}}]}\nstatus: {phase: Running, qosClass: Burstable, conditions: [{type: Ready, status: 'True'}], containerStatuses: [{name: app, ready: true, state: {running: {}}}]}",
    );
    assert_eq!(pod.qos, "Burstable");
    assert_hint(
        &pod,
        "Running",
        &["status.qosClass says Burstable", "reads as Guaranteed"],
    );
}

#[test]
fn healthy_pods_get_no_hints() {
    let pod = explain(
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: app}]}\nstatus: {phase: Running, conditions: [{type: Ready, status: 'True'}], containerStatuses: [{name: app, ready: true, state: {running: {}}}]}",
    );
    assert_eq!(pod.status, "Running");
    assert!(pod.hints.is_empty(), "{:?}", pod.hints);
}
