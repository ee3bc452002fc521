//! The simulator's controllers and kubelet honouring the spec, judged by the real kubectl at
//! its default flags: pods run the command their spec names, rollbacks bump revisions,
//! foreground deletion waits for dependents, and ephemeral containers run in a pod.

use crate::support;

use std::time::Duration;

use support::kubectl::{Cluster, Run};

/// Far longer than the simulator needs, so that only a wrong cluster fails.
const SETTLE: Duration = Duration::from_secs(45);

/// A pod's field read with a JSONPath.
fn pod_field(c: &Cluster, pod: &str, path: &str) -> Run {
    c.kubectl(&["get", "pod", pod, "-o", &format!("jsonpath={{{path}}}")])
}

/// Waits until the pod's STATUS column reads `status`.
fn wait_status(c: &Cluster, pod: &str, status: &str) {
    c.wait_for(&format!("{pod} to be {status}"), SETTLE, || {
        let run = c.kubectl(&["get", "pod", pod]);
        let table = run.table();
        match table.rows.first() {
            Some(row) if row.get("STATUS") == status => Ok(()),
            _ => Err(run.to_string()),
        }
    });
}

#[test]
fn a_pod_runs_its_args_and_completes() {
    let c = Cluster::start();
    c.kubectl(&[
        "run",
        "tmp",
        "--image=busybox",
        "--restart=Never",
        "--",
        "echo",
        "hi",
    ])
    .ok()
    .stdout_has("pod/tmp created");
    wait_status(&c, "tmp", "Completed");
    let phase = pod_field(&c, "tmp", ".status.phase").ok();
    assert_eq!(phase.stdout, "Succeeded", "{phase}");
    let code = pod_field(
        &c,
        "tmp",
        ".status.containerStatuses[0].state.terminated.exitCode",
    )
    .ok();
    assert_eq!(code.stdout, "0", "{code}");
    let logs = c.kubectl(&["logs", "tmp"]).ok();
    assert_eq!(logs.stdout, "hi\n", "{logs}");
}

#[test]
fn a_shell_script_exits_with_its_code() {
    let c = Cluster::start();
    c.kubectl(&[
        "run",
        "fails",
        "--image=busybox",
        "--restart=Never",
        "--",
        "sh",
        "-c",
        "echo bye; exit 3",
    ])
    .ok();
    wait_status(&c, "fails", "Error");
    let phase = pod_field(&c, "fails", ".status.phase").ok();
    assert_eq!(phase.stdout, "Failed", "{phase}");
    let code = pod_field(
        &c,
        "fails",
        ".status.containerStatuses[0].state.terminated.exitCode",
    )
    .ok();
    assert_eq!(code.stdout, "3", "{code}");
    c.kubectl(&["logs", "fails"]).ok().stdout_has("bye");
}

#[test]
fn a_container_that_keeps_exiting_backs_off() {
    let c = Cluster::start();
    c.kubectl(&["run", "loop", "--image=busybox", "--", "sh", "-c", "exit 1"])
        .ok();
    wait_status(&c, "loop", "CrashLoopBackOff");
    let restarts = pod_field(&c, "loop", ".status.containerStatuses[0].restartCount").ok();
    assert_ne!(restarts.stdout, "", "{restarts}");
    let last = pod_field(
        &c,
        "loop",
        ".status.containerStatuses[0].lastState.terminated.exitCode",
    )
    .ok();
    assert_eq!(last.stdout, "1", "{last}");
}

#[test]
fn jobs_succeed_or_fail_by_what_their_pods_run() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "job",
        "hello",
        "--image=busybox",
        "--",
        "echo",
        "hello",
    ])
    .ok();
    c.kubectl(&[
        "wait",
        "--for=condition=Complete",
        "job/hello",
        "--timeout=45s",
    ])
    .ok();
    c.kubectl(&["logs", "job/hello"]).ok().stdout_has("hello");
    let job = r#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"broken"},"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["sh","-c","exit 1"]}]}}}}"#;
    c.kubectl_stdin(&["create", "-f", "-"], job.as_bytes()).ok();
    c.kubectl(&[
        "wait",
        "--for=condition=Failed",
        "job/broken",
        "--timeout=45s",
    ])
    .ok();
}

/// The revisions `rollout history` lists.
fn revisions(c: &Cluster) -> Vec<String> {
    let history = c
        .kubectl(&["rollout", "history", "deployment/web", "-n", "shop"])
        .ok();
    history
        .lines()
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|r| r.parse::<u32>().is_ok())
        .map(str::to_string)
        .collect()
}

fn rolled_out(c: &Cluster) {
    c.kubectl(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "shop",
        "--timeout=60s",
    ])
    .ok()
    .stdout_has("successfully rolled out");
}

/// The image of the web Deployment's template.
fn web_image(c: &Cluster) -> String {
    pod_field_of(
        c,
        "deployment",
        "web",
        ".spec.template.spec.containers[0].image",
    )
}

fn pod_field_of(c: &Cluster, kind: &str, name: &str, path: &str) -> String {
    c.kubectl(&[
        "get",
        kind,
        name,
        "-n",
        "shop",
        "-o",
        &format!("jsonpath={{{path}}}"),
    ])
    .ok()
    .stdout
}

#[test]
fn rollout_undo_bumps_the_revision_each_time() {
    let c = Cluster::start();
    c.kubectl(&[
        "set",
        "image",
        "deployment/web",
        "nginx=nginx:1.28",
        "-n",
        "shop",
    ])
    .ok();
    rolled_out(&c);
    assert_eq!(revisions(&c), ["1", "2"]);
    c.kubectl(&["rollout", "undo", "deployment/web", "-n", "shop"])
        .ok()
        .stdout_has("deployment.apps/web rolled back");
    rolled_out(&c);
    assert_eq!(web_image(&c), "nginx:1.27");
    assert_eq!(revisions(&c), ["2", "3"]);
    // The first ReplicaSet is used again, with the next revision and its old one in history.
    let rs = c
        .kubectl(&[
            "get",
            "rs",
            "-n",
            "shop",
            "-l",
            "app=web",
            "-o",
            "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}{\"\\n\"}{end}",
        ])
        .ok();
    assert!(rs.stdout.contains("nginx:1.27 3 1"), "{rs}");
    assert_eq!(rs.lines().len(), 2, "{rs}");
    let undo = c
        .kubectl(&["rollout", "undo", "deployment/web", "-n", "shop"])
        .ok();
    assert!(!undo.stdout.contains("skipped"), "{undo}");
    rolled_out(&c);
    assert_eq!(web_image(&c), "nginx:1.28");
    assert_eq!(revisions(&c), ["3", "4"]);
    assert_eq!(
        pod_field_of(
            &c,
            "deployment",
            "web",
            ".metadata.annotations.deployment\\.kubernetes\\.io/revision"
        ),
        "4"
    );
}

/// A Deployment whose pods ignore SIGTERM and stop when their 5 s grace period ends, so its
/// deletion takes long enough to be watched.
const SLOW_TO_STOP: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"slow","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"slow"}},"template":{"metadata":{"labels":{"app":"slow"}},"spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"m","image":"registry.example.com/data/migrator:3.1.0"}]}}}}"#;

fn slow_deployment(c: &Cluster) {
    c.kubectl_stdin(&["create", "-f", "-"], SLOW_TO_STOP.as_bytes())
        .ok();
    c.kubectl(&["rollout", "status", "deployment/slow", "--timeout=60s"])
        .ok();
}

#[test]
fn foreground_deletion_waits_for_the_dependents() {
    let c = Cluster::start();
    slow_deployment(&c);
    let mut delete = c.spawn(&["delete", "deployment", "slow", "--cascade=foreground"]);
    // While its pods stop, the Deployment is there, being deleted, held by the finalizer.
    let (finalizers, pods) = c.wait_for(
        "the pods stopping under the held Deployment",
        SETTLE,
        || {
            let pods = c.kubectl(&["get", "pods", "-l", "app=slow"]);
            let statuses = pods.table();
            let stopping = !statuses.rows.is_empty()
                && statuses
                    .column("STATUS")
                    .iter()
                    .all(|s| *s == "Terminating");
            let held = c.kubectl(&[
                "get",
                "deployment",
                "slow",
                "-o",
                "jsonpath={.metadata.deletionTimestamp} {.metadata.finalizers}",
            ]);
            if stopping && held.code == Some(0) {
                Ok((held.stdout.clone(), pods))
            } else {
                Err(format!("{held}\n{pods}"))
            }
        },
    );
    assert!(
        finalizers.contains("[\"foregroundDeletion\"]") && finalizers.contains('T'),
        "{finalizers}\n{pods}"
    );
    assert!(
        delete.running(),
        "kubectl delete returned with pods still there"
    );
    assert_eq!(delete.wait_exit(SETTLE), Some(0), "{}", delete.report());
    c.kubectl(&["get", "deployment", "slow"])
        .fails()
        .stderr_has("deployments.apps \"slow\" not found");
    let left = c
        .kubectl(&["get", "rs,pods", "-l", "app=slow", "-o", "name"])
        .ok();
    assert_eq!(left.stdout, "", "{left}");
}

#[test]
fn orphan_deletion_leaves_the_dependents_unowned() {
    let c = Cluster::start();
    slow_deployment(&c);
    c.kubectl(&["delete", "deployment", "slow", "--cascade=orphan"])
        .ok();
    c.kubectl(&["get", "deployment", "slow"]).fails();
    let owners = c
        .kubectl(&[
            "get",
            "rs",
            "-l",
            "app=slow",
            "-o",
            "jsonpath={.items[*].metadata.name}:{.items[*].metadata.ownerReferences}",
        ])
        .ok();
    assert!(owners.stdout.starts_with("slow-"), "{owners}");
    assert!(owners.stdout.ends_with(':'), "{owners}");
    let pods = c.kubectl(&["get", "pods", "-l", "app=slow"]).ok();
    assert_eq!(
        pods.table().column("STATUS"),
        ["Running", "Running"],
        "{pods}"
    );
}

/// The ephemeral container of a pod's spec with that name, as JSON text.
fn ephemeral_state(c: &Cluster, pod: &str, container: &str) -> String {
    c.kubectl(&[
        "get",
        "pod",
        pod,
        "-n",
        "shop",
        "-o",
        &format!(
            "jsonpath={{.status.ephemeralContainerStatuses[?(@.name==\"{container}\")].state}}"
        ),
    ])
    .ok()
    .stdout
}

#[test]
fn debug_runs_an_ephemeral_container() {
    let c = Cluster::start();
    let resources = c.kubectl(&["get", "--raw", "/api/v1"]).ok();
    assert!(
        resources
            .stdout
            .contains("\"name\":\"pods/ephemeralcontainers\""),
        "{resources}"
    );
    let pod = c.web_pod();
    let debug = c
        .kubectl(&[
            "debug",
            &pod,
            "-n",
            "shop",
            "--image=busybox",
            "--target=nginx",
            "--",
            "echo",
            "hi",
        ])
        .ok();
    let name = format!("{}{}", debug.stdout, debug.stderr)
        .split("Defaulting debug container name to ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_else(|| panic!("no container name:\n{debug}"))
        .to_string();
    let target = c
        .kubectl(&[
            "get",
            "pod",
            &pod,
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.ephemeralContainers[0].targetContainerName}",
        ])
        .ok();
    assert_eq!(target.stdout, "nginx", "{target}");
    c.wait_for("the debug container to finish", SETTLE, || {
        let state = ephemeral_state(&c, &pod, &name);
        if state.contains("\"exitCode\":0") && state.contains("Completed") {
            Ok(())
        } else {
            Err(state)
        }
    });
    let logs = c.kubectl(&["logs", &pod, "-n", "shop", "-c", &name]).ok();
    assert_eq!(logs.stdout, "hi\n", "{logs}");
    // The pod's own containers run on.
    let ready = c.kubectl(&["get", "pod", &pod, "-n", "shop"]).ok().table();
    assert_eq!(ready.rows[0].get("STATUS"), "Running");
    // An ephemeral container may not be taken away again.
    let patch = r#"{"spec":{"ephemeralContainers":[]}}"#;
    c.kubectl(&[
        "patch",
        "pod",
        &pod,
        "-n",
        "shop",
        "--subresource=ephemeralcontainers",
        "--type=merge",
        "-p",
        patch,
    ])
    .fails()
    .stderr_has(&format!(
        "existing ephemeral containers \"{name}\" may not be removed"
    ));
}

#[test]
fn debug_attaches_to_its_shell_which_ends_it() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let session = c
        .kubectl_stdin(
            &[
                "debug",
                &pod,
                "-n",
                "shop",
                "-i",
                "--image=busybox",
                "--container=dbg",
            ],
            b"echo inside $HOSTNAME\nexit\n",
        )
        .ok();
    assert!(
        session.stdout.contains(&format!("inside {pod}")),
        "{session}"
    );
    // Its shell was its process: once the shell exits, the container has ended for good.
    c.wait_for("the debug container to end with its shell", SETTLE, || {
        let state = ephemeral_state(&c, &pod, "dbg");
        if state.contains("\"terminated\"") && state.contains("\"exitCode\":0") {
            Ok(())
        } else {
            Err(state)
        }
    });
    let again = c.kubectl(&["attach", &pod, "-n", "shop", "-c", "dbg"]);
    assert_ne!(again.code, Some(0), "{again}");
}

#[test]
fn run_interactive_shows_the_script_as_it_writes() {
    let c = Cluster::start();
    let run = c
        .kubectl_stdin(
            &[
                "run",
                "-i",
                "--rm",
                "--restart=Never",
                "talk",
                "--image=busybox",
                "--",
                "sh",
                "-c",
                "echo hi; sleep 3; echo there",
            ],
            b"",
        )
        .ok();
    assert!(run.stdout.contains("hi\nthere\n"), "{run}");
    run.stdout_has("pod \"talk\" deleted");
}

#[test]
fn an_on_failure_job_fails_when_its_restarts_reach_the_backoff_limit() {
    let c = Cluster::start();
    let job = r#"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"retries"},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox","command":["sh","-c","exit 1"]}]}}}}"#;
    c.kubectl_stdin(&["create", "-f", "-"], job.as_bytes()).ok();
    c.kubectl(&[
        "wait",
        "--for=condition=Failed",
        "job/retries",
        "--timeout=45s",
    ])
    .ok();
    let reason = c
        .kubectl(&[
            "get",
            "job",
            "retries",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}",
        ])
        .ok();
    assert_eq!(reason.stdout, "BackoffLimitExceeded", "{reason}");
}
