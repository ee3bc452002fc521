//! ReplicationControllers in the simulator, judged by the real kubectl at its default flags:
//! the replication manager creates and deletes their pods (named `NAME-xxxxx`, controlled by
//! the RC), `get rc` counts them, `scale rc` and `delete rc` reach the pods, and a quota that
//! refuses a pod leaves the RC its `FailedCreate` events and `ReplicaFailure` condition.

use std::time::Duration;

use crate::support;
use support::kubectl::{Cluster, Run};

/// Far longer than the simulator needs, so that only a wrong cluster fails.
const SETTLE: Duration = Duration::from_secs(45);

/// An RC whose selector and labels are left to the API server's defaults.
fn rc(name: &str, namespace: &str, replicas: u32) -> String {
    format!(
        "apiVersion: v1\nkind: ReplicationController\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  replicas: {replicas}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
    )
}

fn jsonpath(c: &Cluster, args: &[&str], path: &str) -> String {
    let expression = format!("jsonpath={path}");
    let mut all = args.to_vec();
    all.extend(["-o", expression.as_str()]);
    c.kubectl(&all).ok().stdout
}

/// Waits until `get rc` shows `columns` for DESIRED, CURRENT and READY.
fn wait_counts(c: &Cluster, namespace: &str, name: &str, columns: (&str, &str, &str)) -> Run {
    c.wait_for(&format!("rc {name} at {columns:?}"), SETTLE, || {
        let run = c.kubectl(&["get", "rc", name, "-n", namespace]);
        let table = run.table();
        match table.rows.first() {
            Some(row) if (row.get("DESIRED"), row.get("CURRENT"), row.get("READY")) == columns => {
                Ok(run)
            }
            _ => Err(run.to_string()),
        }
    })
}

/// The names of the pods labelled `app=NAME` that are not being deleted.
fn pod_names(c: &Cluster, namespace: &str, name: &str) -> Vec<String> {
    let names = jsonpath(
        c,
        &["get", "pods", "-n", namespace, "-l", &format!("app={name}")],
        r#"{range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}"#,
    );
    names
        .lines()
        .filter(|line| line.split_whitespace().count() == 1)
        .map(|line| line.trim().to_string())
        .collect()
}

#[test]
fn a_replication_controller_keeps_its_pods_and_scales_and_deletes_them() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "rcs"]).ok();
    c.kubectl_stdin(&["create", "-f", "-"], rc("frontend", "rcs", 3).as_bytes())
        .ok()
        .stdout_has("replicationcontroller/frontend created");
    // The API server's defaults: the selector and labels are the template's.
    assert_eq!(
        jsonpath(
            &c,
            &["get", "rc", "frontend", "-n", "rcs"],
            "{.spec.selector.app} {.metadata.labels.app} {.metadata.generation}"
        ),
        "frontend frontend 1"
    );

    let listed = wait_counts(&c, "rcs", "frontend", ("3", "3", "3"));
    assert_eq!(
        listed.table().headers,
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "{listed}"
    );
    let pods = pod_names(&c, "rcs", "frontend");
    assert_eq!(pods.len(), 3, "{pods:?}");
    for pod in &pods {
        let suffix = pod.strip_prefix("frontend-").expect("named after the RC");
        assert_eq!(suffix.len(), 5, "{pod}");
        assert!(
            suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{pod}"
        );
    }
    let owner = jsonpath(
        &c,
        &["get", "pod", &pods[0], "-n", "rcs"],
        "{.metadata.ownerReferences[0].apiVersion} {.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller} {.metadata.ownerReferences[0].blockOwnerDeletion}",
    );
    assert_eq!(owner, "v1 ReplicationController frontend true true");
    assert_eq!(
        jsonpath(
            &c,
            &["get", "rc", "frontend", "-n", "rcs"],
            "{.status.replicas} {.status.fullyLabeledReplicas} {.status.readyReplicas} {.status.availableReplicas} {.status.observedGeneration}"
        ),
        "3 3 3 3 1"
    );
    c.kubectl(&["get", "events", "-n", "rcs"])
        .ok()
        .stdout_has("SuccessfulCreate")
        .stdout_has("replicationcontroller/frontend")
        .stdout_has(&format!("Created pod: {}", pods[0]));
    c.kubectl(&["describe", "rc", "frontend", "-n", "rcs"])
        .ok()
        .stdout_has("Selector:     app=frontend")
        .stdout_has("Replicas:     3 current / 3 desired")
        .stdout_has("Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed")
        .stdout_has("replication-controller  Created pod: frontend-");

    // A pod deleted by hand is replaced.
    c.kubectl(&["delete", "pod", &pods[0], "-n", "rcs", "--wait=false"])
        .ok();
    c.wait_for("a replacement pod", SETTLE, || {
        let now = pod_names(&c, "rcs", "frontend");
        if now.len() == 3 && !now.contains(&pods[0]) {
            Ok(())
        } else {
            Err(format!("{now:?}"))
        }
    });

    c.kubectl(&["scale", "rc", "frontend", "-n", "rcs", "--replicas=1"])
        .ok()
        .stdout_has("replicationcontroller/frontend scaled");
    wait_counts(&c, "rcs", "frontend", ("1", "1", "1"));
    c.wait_for("two pods deleted", SETTLE, || {
        let now = pod_names(&c, "rcs", "frontend");
        if now.len() == 1 {
            Ok(())
        } else {
            Err(format!("{now:?}"))
        }
    });
    assert_eq!(
        jsonpath(
            &c,
            &["get", "rc", "frontend", "-n", "rcs"],
            "{.metadata.generation} {.status.observedGeneration}"
        ),
        "2 2"
    );
    c.kubectl(&["get", "events", "-n", "rcs"])
        .ok()
        .stdout_has("SuccessfulDelete");
    // The scale subresource's selector is the RC's label map as a selector string.
    let scale = c
        .kubectl(&[
            "get",
            "--raw",
            "/api/v1/namespaces/rcs/replicationcontrollers/frontend/scale",
        ])
        .ok();
    let scale: serde_json::Value = serde_json::from_str(&scale.stdout).expect("a Scale");
    assert_eq!(
        (&scale["spec"]["replicas"], &scale["status"]["selector"]),
        (&serde_json::json!(1), &serde_json::json!("app=frontend"))
    );

    c.kubectl(&["delete", "rc", "frontend", "-n", "rcs"])
        .ok()
        .stdout_has(r#"replicationcontroller "frontend" deleted"#);
    c.wait_for("the RC's pods gone", SETTLE, || {
        let run = c.kubectl(&[
            "get",
            "pods",
            "-n",
            "rcs",
            "-l",
            "app=frontend",
            "-o",
            "name",
        ]);
        if run.stdout.trim().is_empty() {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
}

/// Waits until the RC `name` is gone and its pods are left running without an owner.
fn wait_orphaned(c: &Cluster, namespace: &str, name: &str, pods: usize) {
    c.wait_for(&format!("{name}'s pods without an owner"), SETTLE, || {
        let owners = jsonpath(
            c,
            &["get", "pods", "-n", namespace, "-l", &format!("app={name}")],
            "{.items[*].metadata.ownerReferences}",
        );
        let rcs = c
            .kubectl(&["get", "rc", "-n", namespace, "-o", "name"])
            .ok();
        if owners.is_empty() && !rcs.stdout.contains(name) {
            Ok(())
        } else {
            Err(format!("{owners} / {rcs}"))
        }
    });
    assert_eq!(pod_names(c, namespace, name).len(), pods);
}

#[test]
fn an_rc_deleted_with_its_pods_orphaned_leaves_them_running() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "orph"]).ok();
    for name in ["keep", "legacy"] {
        c.kubectl_stdin(&["create", "-f", "-"], rc(name, "orph", 2).as_bytes())
            .ok();
        wait_counts(&c, "orph", name, ("2", "2", "2"));
    }
    c.kubectl(&["delete", "rc", "keep", "-n", "orph", "--cascade=orphan"])
        .ok();
    wait_orphaned(&c, "orph", "keep", 2);
    // A DELETE naming no propagation policy orphans a v1 RC's pods, as before the garbage
    // collector (kubectl names one; a bare client does not).
    c.kubectl(&[
        "delete",
        "--raw",
        "/api/v1/namespaces/orph/replicationcontrollers/legacy",
    ])
    .ok();
    wait_orphaned(&c, "orph", "legacy", 2);
}

#[test]
fn an_rc_whose_template_breaks_the_rules_is_invalid() {
    let c = Cluster::start();
    let manifest = "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: bad}\nspec:\n  selector: {app: other}\n  template:\n    metadata:\n      labels: {app: bad}\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: web\n        image: nginx\n";
    c.kubectl_stdin(&["create", "-f", "-"], manifest.as_bytes())
        .fails()
        .stderr_has(r#"The ReplicationController "bad" is invalid"#)
        .stderr_has(
            r#"spec.template.metadata.labels: Invalid value: {"app":"bad"}: `selector` does not match template `labels`"#,
        )
        .stderr_has(
            r#"spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always""#,
        );
}

#[test]
fn an_rc_past_its_quota_is_refused_pods_with_failed_create_and_replica_failure() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "rcq"]).ok();
    c.kubectl(&["create", "quota", "pods", "-n", "rcq", "--hard=pods=1"])
        .ok();
    c.wait_for("the quota counted", SETTLE, || {
        let used = jsonpath(
            &c,
            &["get", "quota", "pods", "-n", "rcq"],
            "{.status.used.pods}",
        );
        if used == "0" { Ok(()) } else { Err(used) }
    });
    c.kubectl_stdin(&["create", "-f", "-"], rc("capped", "rcq", 2).as_bytes())
        .ok();
    let events = c.wait_for("the RC's FailedCreate event", SETTLE, || {
        let run = c.kubectl(&[
            "get",
            "events",
            "-n",
            "rcq",
            "--field-selector",
            "reason=FailedCreate",
        ]);
        if run.stdout.contains("FailedCreate") {
            Ok(run)
        } else {
            Err(run.to_string())
        }
    });
    events
        .stdout_has("Warning   FailedCreate")
        .stdout_has("replicationcontroller/capped")
        .stdout_has(r#"Error creating: pods "capped-"#)
        .stdout_has(
            "is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1",
        );
    wait_counts(&c, "rcq", "capped", ("2", "1", "1"));
    assert_eq!(
        jsonpath(
            &c,
            &["get", "rc", "capped", "-n", "rcq"],
            "{.status.conditions[0].type} {.status.conditions[0].status} {.status.conditions[0].reason}"
        ),
        "ReplicaFailure True FailedCreate"
    );
    let message = jsonpath(
        &c,
        &["get", "rc", "capped", "-n", "rcq"],
        "{.status.conditions[0].message}",
    );
    assert!(
        message.starts_with(r#"pods "capped-"#)
            && message.ends_with(
                "is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1"
            ),
        "{message}"
    );
    c.kubectl(&["describe", "rc", "capped", "-n", "rcq"])
        .ok()
        .stdout_has("ReplicaFailure   True    FailedCreate")
        .stdout_has("Warning  FailedCreate");

    // Raised, the next try after the back-off creates the second pod and the failure goes.
    c.kubectl(&[
        "patch",
        "resourcequota",
        "pods",
        "-n",
        "rcq",
        "-p",
        r#"{"spec":{"hard":{"pods":"3"}}}"#,
    ])
    .ok();
    wait_counts(&c, "rcq", "capped", ("2", "2", "2"));
    c.wait_for("the ReplicaFailure condition gone", SETTLE, || {
        let conditions = jsonpath(
            &c,
            &["get", "rc", "capped", "-n", "rcq"],
            "{.status.conditions}",
        );
        if conditions.contains("ReplicaFailure") {
            Err(conditions)
        } else {
            Ok(())
        }
    });
}
