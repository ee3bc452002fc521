//! The simulator under faults, judged by the real kubectl: requests no client should send and
//! objects no API server would store must be answered the way a real API server answers them
//! (a Status, never a dropped connection), and must never stop the controllers that keep the
//! cluster alive.

use crate::support;

use std::time::Duration;

use serde_json::{Value, json};
use support::kubectl::{Cluster, Table};
use support::sim_process::SimProcess;

/// The longest the tests wait for the cluster to reach a state; far longer than the simulator
/// needs, so that only a wrong cluster fails.
const SETTLE: Duration = Duration::from_secs(45);

/// The names of the pods of `namespace` matching `selector` that are not being deleted.
fn live_pod_names(c: &Cluster, namespace: &str, selector: &str) -> Result<Vec<String>, String> {
    let run = c.kubectl(&["get", "pods", "-n", namespace, "-l", selector]);
    if run.code != Some(0) {
        return Err(run.to_string());
    }
    let Some(table) = Table::parse(&run.stdout) else {
        return Ok(Vec::new());
    };
    Ok(table
        .rows
        .iter()
        .filter(|r| r.get("STATUS") != "Terminating")
        .map(|r| r.get("NAME").to_string())
        .collect())
}

/// Waits until `count` live pods match `selector`; returns their names.
fn wait_for_pods(c: &Cluster, namespace: &str, selector: &str, count: usize) -> Vec<String> {
    c.wait_for(
        &format!("{count} live pods {selector} in {namespace}"),
        SETTLE,
        || match live_pod_names(c, namespace, selector) {
            Ok(names) if names.len() == count => Ok(names),
            Ok(names) => Err(format!("{names:?}")),
            Err(run) => Err(run),
        },
    )
}

/// The controllers still work: a scaled Deployment gets its pods, and a deleted pod of a
/// ReplicaSet is replaced.
fn assert_controllers_reconcile(c: &Cluster) {
    c.kubectl(&["scale", "deployment/cart", "-n", "shop", "--replicas=4"])
        .ok();
    wait_for_pods(c, "shop", "app=cart", 4);
    let before = wait_for_pods(c, "shop", "app=web", 3);
    c.kubectl(&["delete", "pod", &before[0], "-n", "shop", "--wait=false"])
        .ok();
    c.wait_for("a replacement web pod", SETTLE, || {
        match live_pod_names(c, "shop", "app=web") {
            Ok(names) if names.len() == 3 && !names.contains(&before[0]) => Ok(()),
            Ok(names) => Err(format!("{names:?}")),
            Err(run) => Err(run),
        }
    });
}

// ---------------------------------------------------------------------------------------------
// No request or object stops the controllers, and no request goes unanswered.

#[test]
fn controllers_go_on_past_objects_of_the_wrong_shape() {
    let c = Cluster::start();
    let sim = &c.sim().sim;
    // Objects no API server would store, put straight into the store as a bug, a type
    // without a schema or an older simulator might have left them: a pod waiting for a node
    // whose spec is a string (the scheduler used to panic binding it: `cannot access key
    // "nodeName" in JSON string`), a running pod whose status is a list, a Deployment whose
    // template is a string.
    let pods = sim.resource_of("v1", "Pod").expect("pods are served");
    let deployments = sim
        .resource_of("apps/v1", "Deployment")
        .expect("deployments are served");
    let bad = [
        (
            pods,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "spec-is-a-string", "namespace": "shop", "uid": "u-1"},
                "spec": "x", "status": {"phase": "Pending"}}),
        ),
        (
            pods,
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "status-is-a-list", "namespace": "shop", "uid": "u-2"},
                "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx:1.27"}]},
                "status": ["x"]}),
        ),
        (
            deployments,
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "template-is-a-string", "namespace": "shop", "uid": "u-3", "generation": 1},
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "t"}}, "template": "x"}}),
        ),
    ];
    for (resource, object) in bad {
        sim.store
            .create(resource, object)
            .expect("the object is stored");
    }
    assert_controllers_reconcile(&c);
}

#[test]
fn requests_that_used_to_panic_a_handler_are_answered() {
    let c = Cluster::start();
    // A grace period or a sinceSeconds as large as an int64 goes: they used to overflow the
    // clock and panic the handler, and the client saw its connection dropped.
    let pod = wait_for_pods(&c, "shop", "app=web", 3)[0].clone();
    c.kubectl(&[
        "get",
        "--raw",
        &format!("/api/v1/namespaces/shop/pods/{pod}/log?sinceSeconds=9223372036854775807"),
    ])
    .ok();
    let deleted = c
        .kubectl(&[
            "delete",
            "--raw",
            &format!("/api/v1/namespaces/shop/pods/{pod}?gracePeriodSeconds=9223372036854775807"),
        ])
        .ok();
    let object: Value = serde_json::from_str(&deleted.stdout).expect("the pod as JSON");
    assert!(
        object.pointer("/metadata/deletionTimestamp").is_some(),
        "the pod is being deleted:\n{deleted}"
    );
    assert_controllers_reconcile(&c);
}

// ---------------------------------------------------------------------------------------------
// Every write is decoded into its kind's Go type and validated, as the API server does.

/// `kubectl patch` of one object, expected to fail; its standard error.
fn refused_patch(c: &Cluster, object: &str, patch_type: &str, patch: &str) -> String {
    c.kubectl(&[
        "patch", object, "-n", "shop", "--type", patch_type, "-p", patch,
    ])
    .fails()
    .stderr
}

#[test]
fn wrongly_typed_patches_are_refused_as_the_api_server_refuses_them() {
    let c = Cluster::start();
    // JSON and merge patches: the patched object does not decode (handlers/patch.go's
    // jsonPatcher), a 422 Invalid on the field "patch" whose value is the patched object.
    for (patch, decode_error) in [
        (
            r#"{"spec":"x"}"#,
            "json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec",
        ),
        (
            r#"{"spec":{"containers":"x"}}"#,
            "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
        ),
        (
            r#"{"metadata":{"labels":"x"}}"#,
            "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string",
        ),
    ] {
        let stderr = refused_patch(&c, "pod/orders-0", "merge", patch);
        assert!(
            stderr.starts_with(r#"The request is invalid: patch: Invalid value: "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","#),
            "{patch}: {stderr}"
        );
        assert!(
            stderr.trim_end().ends_with(decode_error),
            "{patch}: {stderr}"
        );
    }
    let stderr = refused_patch(
        &c,
        "deployment/web",
        "json",
        r#"[{"op":"replace","path":"/spec/replicas","value":"three"}]"#,
    );
    assert!(
        stderr.trim_end().ends_with("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
        "{stderr}"
    );
    // Strategic merge patches (kubectl's default): the patched map does not convert to the Go
    // type (applyPatchToObject), and the value shown is the patch printed as a Go map.
    for (patch, expected) in [
        (
            r#"{"spec":{"replicas":"three"}}"#,
            r#"The request is invalid: patch: Invalid value: "map[spec:map[replicas:three]]": unrecognized type: int32"#,
        ),
        (
            r#"{"spec":{"template":"x"}}"#,
            r#"The request is invalid: patch: Invalid value: "map[spec:map[template:x]]": cannot restore struct from: string"#,
        ),
    ] {
        let stderr = refused_patch(&c, "deployment/web", "strategic", patch);
        assert_eq!(stderr.trim_end(), expected, "{patch}");
    }
    // Nothing of a refused patch was stored.
    let pod = c
        .kubectl(&["get", "pod", "orders-0", "-n", "shop", "-o", "json"])
        .ok();
    let pod: Value = serde_json::from_str(&pod.stdout).expect("the pod as JSON");
    assert!(pod["spec"]["containers"].is_array(), "{pod}");
    assert!(pod["metadata"]["labels"].is_object(), "{pod}");
    let replicas = c
        .kubectl(&[
            "get",
            "deployment",
            "web",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .ok();
    assert_eq!(replicas.stdout, "3", "{replicas}");
    assert_controllers_reconcile(&c);
}

/// Writes `object` to a file for `kubectl create -f` or `replace -f`.
fn manifest(dir: &tempfile::TempDir, name: &str, object: &Value) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, object.to_string()).expect("the manifest is written");
    path.display().to_string()
}

#[test]
fn wrongly_typed_or_incomplete_objects_are_not_created() {
    let c = Cluster::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    // kubectl's own validation would refuse these before sending them: the server's answer is
    // what these look at.
    let create = |file: &str| {
        c.kubectl(&["create", "--validate=false", "-f", file])
            .fails()
            .stderr
    };
    let pod = |name: &str, spec: Value| json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"}, "spec": spec});
    // A body that does not decode: handlers/create.go's transformDecodeError, a 400.
    let file = manifest(&dir, "spec.json", &pod("spec-is-a-string", json!("x")));
    assert_eq!(
        create(&file).trim_end(),
        format!(
            "Error from server (BadRequest): error when creating \"{file}\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec"
        )
    );
    let file = manifest(
        &dir,
        "containers.json",
        &pod("containers-is-a-string", json!({"containers": "x"})),
    );
    assert!(
        create(&file).contains("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"),
    );
    // Decoded but invalid: validation's 422, every error at once.
    let file = manifest(&dir, "empty.json", &pod("no-containers", json!({})));
    assert_eq!(
        create(&file).trim_end(),
        "The Pod \"no-containers\" is invalid: spec.containers: Required value"
    );
    let file = manifest(
        &dir,
        "unnamed.json",
        &pod("unnamed", json!({"containers": [{"image": "nginx:1.27"}]})),
    );
    assert_eq!(
        create(&file).trim_end(),
        "The Pod \"unnamed\" is invalid: spec.containers[0].name: Required value"
    );
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "unselected", "namespace": "shop"},
        "spec": {"template": {"metadata": {"labels": {"app": "unselected"}},
                 "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}
    });
    let file = manifest(&dir, "unselected.json", &deployment);
    assert_eq!(
        create(&file).trim_end(),
        "The Deployment \"unselected\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: {\"app\":\"unselected\"}: `selector` does not match template `labels`"
    );
    // A replace whose replicas is a string: the same 400 as a create.
    let mut web: Value = serde_json::from_str(
        &c.kubectl(&["get", "deployment", "web", "-n", "shop", "-o", "json"])
            .ok()
            .stdout,
    )
    .expect("the deployment as JSON");
    web["spec"]["replicas"] = json!("three");
    let file = manifest(&dir, "web.json", &web);
    let replaced = c
        .kubectl(&["replace", "--validate=false", "-f", &file])
        .fails();
    replaced.stderr_has("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
    let none = c
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "shop",
            "-o",
            "name",
            "spec-is-a-string",
            "containers-is-a-string",
            "no-containers",
            "unnamed",
            "--ignore-not-found",
        ])
        .ok();
    assert_eq!(none.stdout, "", "nothing was created:\n{none}");
    assert_controllers_reconcile(&c);
}

// ---------------------------------------------------------------------------------------------
// Events expire.

#[test]
fn events_expire_after_the_event_ttl() {
    let sim = SimProcess::start(&["--event-ttl", "2s"]);
    let (code, seeded, err) = sim.kubectl(&["get", "events", "-A", "-o", "name"]);
    assert_eq!(code, Some(0), "{err}");
    let seeded: Vec<&str> = seeded.lines().collect();
    assert!(!seeded.is_empty(), "the seeded cluster has events");
    let (code, _, err) = sim.kubectl(&["create", "namespace", "ttl"]);
    assert_eq!(code, Some(0), "{err}");
    let probe = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "probe", "namespace": "ttl"},
        "involvedObject": {"kind": "Namespace", "name": "ttl", "apiVersion": "v1"},
        "reason": "Probing", "message": "how long an event lives", "type": "Normal"
    });
    let file = manifest(&sim.dir, "probe.json", &probe);
    let (code, created_at, err) = sim.kubectl(&[
        "create",
        "-f",
        &file,
        "-o",
        "jsonpath={.metadata.resourceVersion}",
    ]);
    assert_eq!(code, Some(0), "{err}");
    // A watch from the create's revision sees the expiry, however late it starts: the API
    // server's TTL deletion is a DELETED event like any other.
    let mut watch = sim
        .command(&[
            "get",
            "--raw",
            &format!("/api/v1/namespaces/ttl/events?watch=1&resourceVersion={created_at}&timeoutSeconds=60"),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kubectl watches");
    let stdout = watch.stdout.take().expect("piped stdout");
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let deleted = lines.recv_timeout(SETTLE);
    let _ = watch.kill();
    let _ = watch.wait();
    let deleted: Value = serde_json::from_str(&deleted.expect("a watch event within the limit"))
        .expect("a watch event as JSON");
    assert_eq!(deleted["type"], "DELETED", "{deleted}");
    assert_eq!(deleted["object"]["metadata"]["name"], "probe", "{deleted}");
    let (code, _, err) = sim.kubectl(&["get", "event", "probe", "-n", "ttl"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err.trim_end(),
        "Error from server (NotFound): events \"probe\" not found"
    );
    // The seeded events nobody wrote again are gone too.
    let (_, now, _) = sim.kubectl(&["get", "events", "-A", "-o", "name"]);
    let kept = seeded
        .iter()
        .filter(|name| now.lines().any(|n| n == **name))
        .count();
    assert!(
        kept < seeded.len(),
        "{kept} of {} seeded events are left",
        seeded.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets, lists and the request limits, as the API server has them.

#[test]
fn a_patched_secrets_string_data_goes_into_its_data() {
    use base64::Engine;
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "secret",
        "generic",
        "login",
        "-n",
        "shop",
        "--from-literal=user=admin",
    ])
    .ok();
    // Strategic (kubectl's default) and merge patches: the API server converts the patched
    // Secret as it converts every write, stringData into data, and does not store stringData.
    for (patch_type, key, value) in [
        ("strategic", "password", "s3cr3t"),
        ("merge", "user", "root"),
    ] {
        let patch = json!({"stringData": {key: value}}).to_string();
        c.kubectl(&[
            "patch", "secret", "login", "-n", "shop", "--type", patch_type, "-p", &patch,
        ])
        .ok();
        let secret = c
            .kubectl(&["get", "secret", "login", "-n", "shop", "-o", "json"])
            .ok();
        let secret: Value = serde_json::from_str(&secret.stdout).expect("the secret as JSON");
        assert!(secret.get("stringData").is_none(), "{secret}");
        let stored = secret["data"][key].as_str().unwrap_or_default();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(stored)
            .expect("base64");
        assert_eq!(decoded, value.as_bytes(), "{secret}");
    }
}

#[test]
fn a_list_checks_its_resource_version_as_the_api_server_does() {
    let c = Cluster::start();
    // storage.ValidateListOptions: a 400 wrapping the versioner's error.
    let list = c
        .kubectl(&[
            "get",
            "--raw",
            "/api/v1/namespaces/shop/pods?resourceVersion=abc",
        ])
        .fails();
    assert_eq!(
        list.stderr.trim_end(),
        r#"Error from server (BadRequest): invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#
    );
    let first_page = c
        .kubectl(&["get", "--raw", "/api/v1/namespaces/shop/pods?limit=1"])
        .ok();
    let first_page: Value = serde_json::from_str(&first_page.stdout).expect("a list as JSON");
    let token = first_page["metadata"]["continue"]
        .as_str()
        .expect("a continue token");
    let paged = c
        .kubectl(&[
            "get",
            "--raw",
            &format!("/api/v1/namespaces/shop/pods?limit=1&resourceVersion=5&continue={token}"),
        ])
        .fails();
    assert_eq!(
        paged.stderr.trim_end(),
        "Error from server (BadRequest): specifying resource version is not allowed when using continue"
    );
    // A watch parses it the same way, but the watch cache hands the error up as no Status,
    // which the API server answers as a 500 without a reason.
    let watch = c
        .kubectl(&[
            "get",
            "--raw",
            "/api/v1/namespaces/shop/pods?watch=1&resourceVersion=abc",
        ])
        .fails();
    assert_eq!(
        watch.stderr.trim_end(),
        r#"Error from server: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#
    );
    // A number is a list as before.
    c.kubectl(&[
        "get",
        "--raw",
        "/api/v1/namespaces/shop/pods?resourceVersion=0",
    ])
    .ok();
}
