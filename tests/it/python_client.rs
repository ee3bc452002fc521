//! The official Python client (PyPI `kubernetes`, installed by `.ci/run`) judges the
//! simulator's streaming subresources: exec (stdout and stderr apart, the exit code from the
//! status channel) and port-forward (`v4.channel.k8s.io`), as it uses them on a real cluster,
//! `pods/ephemeralcontainers` with the kubelet running what it adds, and a namespace's quotas
//! (what they count, and the 403 for a pod over one).

use std::process::Command;

use crate::support;
use support::kubectl::Cluster;

/// Runs `tests/it/fixtures/NAME` with the cluster's kubeconfig and `args`; what it prints, as
/// JSON.
pub(crate) fn run_fixture(c: &Cluster, name: &str, args: &[&str]) -> serde_json::Value {
    let script = format!("{}/tests/it/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("python3")
        .arg(script)
        .arg(c.kubeconfig())
        .args(args)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "the Python client failed (`pip install kubernetes` if it is missing):\n{stderr}"
    );
    serde_json::from_slice(&run.stdout).expect("the script prints JSON")
}

#[test]
fn the_python_client_execs_and_forwards_in_the_simulator() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let result = run_fixture(&c, "python_client_streams.py", &["shop", &pod]);
    assert_eq!(result["stdout"], format!("{pod}\n"), "{result}");
    assert_eq!(result["stderr"], "to-stderr\n", "{result}");
    assert_eq!(result["returncode"], 3, "{result}");
    let forwarded = result["forwarded"].as_str().unwrap_or_default();
    assert!(forwarded.starts_with("HTTP/1.1 200 OK\r\n"), "{result}");
    assert!(forwarded.ends_with("ok"), "{result}");
    assert_eq!(result["forward_error"], serde_json::Value::Null, "{result}");
}

#[test]
fn the_python_client_adds_an_ephemeral_container() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let result = run_fixture(&c, "python_client_ephemeral.py", &["shop", &pod]);
    assert_eq!(result["before"], serde_json::Value::Null, "{result}");
    assert_eq!(result["exit_code"], 4, "{result}");
    assert_eq!(result["log"], "from-python\n", "{result}");
}

#[test]
fn the_python_client_discovers_and_lists_at_a_resource_version() {
    let c = Cluster::start();
    let result = run_fixture(&c, "python_client_lists.py", &["default"]);
    // Its discovery is the legacy one, still served beside the aggregated documents.
    assert_eq!(
        result["core_versions"],
        serde_json::json!(["v1"]),
        "{result}"
    );
    let groups = result["groups"].as_array().expect("groups");
    assert!(groups.contains(&"apps".into()), "{result}");
    assert!(
        result["apps"]
            .as_array()
            .expect("apps resources")
            .contains(&"deployments/scale".into()),
        "{result}"
    );
    // The list at its revision holds what the list held then; the latest holds the new one.
    assert_eq!(result["exact_revision"], result["revision"], "{result}");
    assert_eq!(result["exact"], result["then"], "{result}");
    assert!(
        result["latest"]
            .as_array()
            .expect("names")
            .contains(&"from-python".into()),
        "{result}"
    );
    assert_eq!(
        result["without_revision"],
        serde_json::json!({
            "status": 422,
            "reason": "Invalid",
            "message": "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
        }),
        "{result}"
    );
    assert_eq!(
        result["too_old"],
        serde_json::json!({
            "status": 410,
            "reason": "Expired",
            "message": "The resourceVersion for the provided list is too old.",
        }),
        "{result}"
    );
}

#[test]
fn the_python_client_reads_quota_usage_and_meets_its_refusal() {
    let c = Cluster::start();
    let result = run_fixture(&c, "python_client_quota.py", &["analytics"]);
    let quota = &result["quotas"][0];
    assert_eq!(quota["name"], "compute", "{result}");
    assert_eq!(quota["hard"]["requests.cpu"], "500m", "{result}");
    assert_eq!(quota["used"]["requests.cpu"], "500m", "{result}");
    assert_eq!(quota["used"]["pods"], "2", "{result}");
    assert_eq!(result["refusal"]["status"], 403, "{result}");
    assert_eq!(result["refusal"]["reason"], "Forbidden", "{result}");
    assert_eq!(
        result["refusal"]["message"],
        "pods \"one-more\" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m",
        "{result}"
    );
}
