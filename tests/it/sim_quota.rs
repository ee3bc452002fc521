//! ResourceQuotas and LimitRanges in the simulator, judged by the real kubectl at default flags:
//! `kubectl create quota` and its columns, usage counted by the quota controller, pods refused
//! at admission in the API server's words (`exceeded quota`, `failed quota: ... must specify`),
//! a LimitRange's defaults applied and its maximum enforced, a Deployment scaled past a quota
//! (the ReplicaSet's FailedCreate events and ReplicaFailure condition) catching up once the
//! quota is raised, and the seeded namespace a quota holds a replica short.

use std::time::Duration;

use crate::support;
use support::kubectl::{Cluster, Run};

fn jsonpath(c: &Cluster, args: &[&str], path: &str) -> String {
    let expression = format!("jsonpath={path}");
    let mut all = args.to_vec();
    all.extend(["-o", expression.as_str()]);
    c.kubectl(&all).ok().stdout
}

/// Waits until the quota controller has counted `quota` in `namespace` to `pods` pods.
fn wait_counted(c: &Cluster, namespace: &str, quota: &str, pods: &str) {
    c.wait_for(
        &format!("quota {namespace}/{quota} counting {pods} pods"),
        Duration::from_secs(20),
        || {
            let used = jsonpath(
                c,
                &["get", "quota", quota, "-n", namespace],
                "{.status.used.pods}",
            );
            if used == pods { Ok(()) } else { Err(used) }
        },
    );
}

fn pod(name: &str, namespace: &str, cpu: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  containers:\n  - name: {name}\n    image: nginx\n    resources:\n      requests: {{cpu: {cpu}, memory: 256Mi}}\n      limits: {{cpu: '1', memory: 512Mi}}\n"
    )
}

fn apply(c: &Cluster, manifest: &str) -> Run {
    c.kubectl_stdin(&["apply", "-f", "-"], manifest.as_bytes())
}

#[test]
fn quotas_count_what_their_namespace_uses_and_refuse_what_goes_over() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "qt"]).ok();
    c.kubectl(&[
        "create",
        "quota",
        "compute",
        "-n",
        "qt",
        "--hard=pods=3,requests.cpu=1,requests.memory=1Gi,limits.cpu=2,limits.memory=2Gi",
    ])
    .ok()
    .stdout_has("resourcequota/compute created");
    wait_counted(&c, "qt", "compute", "0");
    let quotas = c.kubectl(&["get", "quota", "-n", "qt"]).ok().table();
    assert_eq!(quotas.headers, ["NAME", "REQUEST", "LIMIT", "AGE"]);
    let compute = quotas.row("NAME", "compute");
    assert_eq!(
        compute.get("REQUEST"),
        "pods: 0/3, requests.cpu: 0/1, requests.memory: 0/1Gi"
    );
    assert_eq!(
        compute.get("LIMIT"),
        "limits.cpu: 0/2, limits.memory: 0/2Gi"
    );

    // Containers must name what the quota limits.
    c.kubectl(&["run", "bare", "-n", "qt", "--image=nginx"])
        .fails()
        .stderr_has(r#"Error from server (Forbidden): pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: bare; limits.memory for: bare; requests.cpu for: bare; requests.memory for: bare"#);

    apply(&c, &pod("p1", "qt", "500m")).ok();
    let compute = c.kubectl(&["get", "quota", "compute", "-n", "qt"]).ok();
    let row = compute.table();
    assert_eq!(
        row.row("NAME", "compute").get("REQUEST"),
        "pods: 1/3, requests.cpu: 500m/1, requests.memory: 256Mi/1Gi",
        "{compute}"
    );
    apply(&c, &pod("p2", "qt", "800m"))
        .fails()
        .stderr_has(r#"pods "p2" is forbidden: exceeded quota: compute, requested: requests.cpu=800m, used: requests.cpu=500m, limited: requests.cpu=1"#);
    // A server dry run is checked, and charged nothing.
    c.kubectl_stdin(
        &["apply", "--dry-run=server", "-f", "-"],
        pod("p3", "qt", "800m").as_bytes(),
    )
    .fails()
    .stderr_has("exceeded quota: compute");
    c.kubectl_stdin(
        &["apply", "--dry-run=server", "-f", "-"],
        pod("p3", "qt", "100m").as_bytes(),
    )
    .ok();
    assert_eq!(
        jsonpath(
            &c,
            &["get", "quota", "compute", "-n", "qt"],
            "{.status.used.requests\\.cpu}"
        ),
        "500m"
    );

    let described = c
        .kubectl(&["describe", "quota", "compute", "-n", "qt"])
        .ok();
    described
        .stdout_has("Namespace:       qt")
        .stdout_has("Resource         Used   Hard")
        .stdout_has("limits.cpu       1      2")
        .stdout_has("limits.memory    512Mi  2Gi")
        .stdout_has("pods             1      3")
        .stdout_has("requests.cpu     500m   1");

    // A pod that goes is no longer counted.
    c.kubectl(&["delete", "pod", "p1", "-n", "qt", "--wait=false"])
        .ok();
    wait_counted(&c, "qt", "compute", "0");
}

#[test]
fn a_limit_range_gives_containers_its_defaults_and_refuses_what_is_over_its_maximum() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "lr"]).ok();
    apply(
        &c,
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: lr}\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m, memory: 512Mi}\n    defaultRequest: {cpu: 250m, memory: 256Mi}\n    max: {cpu: '2', memory: 1Gi}\n",
    )
    .ok();
    let ranges = c.kubectl(&["get", "limits", "-n", "lr"]).ok().table();
    assert_eq!(ranges.headers, ["NAME", "CREATED AT"]);
    assert!(
        ranges
            .row("NAME", "defaults")
            .get("CREATED AT")
            .ends_with('Z'),
        "an RFC 3339 time"
    );
    c.kubectl(&["describe", "limitrange", "defaults", "-n", "lr"])
        .ok()
        .stdout_has("Container   cpu       -    2    250m             500m           -")
        .stdout_has("Container   memory    -    1Gi  256Mi            512Mi          -");

    c.kubectl(&["run", "plain", "-n", "lr", "--image=nginx"])
        .ok();
    let resources = jsonpath(
        &c,
        &["get", "pod", "plain", "-n", "lr"],
        "{.spec.containers[0].resources.limits.cpu} {.spec.containers[0].resources.limits.memory} {.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory} {.status.qosClass}",
    );
    assert_eq!(resources, "500m 512Mi 250m 256Mi Burstable");
    assert_eq!(
        jsonpath(
            &c,
            &["get", "pod", "plain", "-n", "lr"],
            "{.metadata.annotations.kubernetes\\.io/limit-ranger}"
        ),
        "LimitRanger plugin set: cpu, memory request for container plain; cpu, memory limit for container plain"
    );

    c.kubectl(&[
        "run",
        "big",
        "-n",
        "lr",
        "--image=nginx",
        r#"--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"3"}}}]}}"#,
    ])
    .fails()
    .stderr_has(r#"Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 2, but limit is 3"#);

    // A range whose bounds contradict each other is invalid.
    apply(
        &c,
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: bad, namespace: lr}\nspec:\n  limits:\n  - type: Container\n    min: {cpu: '2'}\n    max: {cpu: '1'}\n",
    )
    .fails()
    .stderr_has(r#"The LimitRange "bad" is invalid"#)
    .stderr_has("spec.limits[0].min[cpu]: Invalid value: resource.Quantity{")
    .stderr_has("min value 2 is greater than max value 1");
}

#[test]
fn a_deployment_past_its_quota_is_refused_pods_until_the_quota_is_raised() {
    let c = Cluster::start();
    c.kubectl(&["create", "namespace", "rq"]).ok();
    c.kubectl(&["create", "quota", "pods", "-n", "rq", "--hard=pods=2"])
        .ok();
    wait_counted(&c, "rq", "pods", "0");
    c.kubectl(&[
        "create",
        "deployment",
        "web",
        "-n",
        "rq",
        "--image=nginx",
        "--replicas=3",
    ])
    .ok();
    let events = c.wait_for(
        "the ReplicaSet's FailedCreate event",
        Duration::from_secs(20),
        || {
            let run = c.kubectl(&[
                "get",
                "events",
                "-n",
                "rq",
                "--field-selector",
                "reason=FailedCreate",
            ]);
            if run.stdout.contains("FailedCreate") {
                Ok(run)
            } else {
                Err(run.to_string())
            }
        },
    );
    events
        .stdout_has("Warning   FailedCreate")
        .stdout_has(r#"Error creating: pods "web-"#)
        .stdout_has(
            "is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2",
        );
    let sets = c.kubectl(&["get", "rs", "-n", "rq"]).ok();
    let table = sets.table();
    let row = &table.rows[0];
    assert_eq!(
        (row.get("DESIRED"), row.get("CURRENT")),
        ("3", "2"),
        "{sets}"
    );
    let described = c.kubectl(&["describe", "rs", "-n", "rq"]).ok();
    described
        .stdout_has("ReplicaFailure   True    FailedCreate")
        .stdout_has("Warning  FailedCreate")
        .stdout_has("exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2");
    // The Deployment takes its set's failure on its own next sync, as the controller does.
    c.wait_for(
        "the Deployment's ReplicaFailure condition",
        Duration::from_secs(20),
        || {
            let run = c.kubectl(&["describe", "deployment", "web", "-n", "rq"]);
            if run.stdout.contains("ReplicaFailure   True    FailedCreate") {
                Ok(run)
            } else {
                Err(run.to_string())
            }
        },
    )
    .stdout_has("(2/3 replicas created)");

    // Raised, the ReplicaSet's next try creates the third pod and the failure is gone.
    c.kubectl(&[
        "patch",
        "resourcequota",
        "pods",
        "-n",
        "rq",
        "-p",
        r#"{"spec":{"hard":{"pods":"5"}}}"#,
    ])
    .ok();
    c.wait_for("the third replica", Duration::from_secs(60), || {
        let run = c.kubectl(&["get", "rs", "-n", "rq"]);
        match run
            .table()
            .rows
            .first()
            .map(|r| r.get("CURRENT").to_string())
        {
            Some(current) if current == "3" => Ok(()),
            _ => Err(run.to_string()),
        }
    });
    c.wait_for(
        "the ReplicaFailure condition gone",
        Duration::from_secs(20),
        || {
            let conditions = jsonpath(
                &c,
                &["get", "rs", "-n", "rq"],
                "{.items[0].status.conditions}",
            );
            if conditions.contains("ReplicaFailure") {
                Err(conditions)
            } else {
                Ok(())
            }
        },
    );
    wait_counted(&c, "rq", "pods", "3");
}

#[test]
fn the_seeded_quota_holds_the_dashboards_a_replica_short() {
    let c = Cluster::start();
    let quotas = c.kubectl(&["get", "quota", "-A"]).ok().table();
    let compute = quotas.row("NAME", "compute");
    assert_eq!(compute.get("NAMESPACE"), "analytics");
    assert_eq!(
        compute.get("REQUEST"),
        "pods: 2/10, requests.cpu: 500m/500m, requests.memory: 512Mi/1Gi"
    );
    assert_eq!(
        compute.get("LIMIT"),
        "limits.cpu: 1/2, limits.memory: 1Gi/2Gi"
    );
    let sets = c.kubectl(&["get", "rs", "-n", "analytics"]).ok();
    let row = &sets.table().rows[0];
    assert_eq!(
        (row.get("DESIRED"), row.get("CURRENT"), row.get("READY")),
        ("3", "2", "2"),
        "{sets}"
    );
    c.kubectl(&["get", "events", "-n", "analytics"])
        .ok()
        .stdout_has("(combined from similar events): Error creating: pods \"dashboards-")
        .stdout_has("exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m");
    // The LimitRange gave the seeded pods their requests.
    assert_eq!(
        jsonpath(
            &c,
            &["get", "pods", "-n", "analytics"],
            "{.items[*].spec.containers[0].resources.requests.cpu}"
        ),
        "250m 250m"
    );
}
