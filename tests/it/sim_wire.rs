//! Wire and data details of the simulator as the real kubectl meets them: objects as the API
//! server and its controllers leave them.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::kubectl::Cluster;

fn json_of(c: &Cluster, args: &[&str]) -> Value {
    let run = c.kubectl(args).ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

#[test]
fn endpoints_are_as_old_as_their_services_and_the_api_server_has_its_own() {
    let c = Cluster::start();
    let run = c
        .kubectl(&["get", "endpoints", "-n", "default", "kubernetes"])
        .ok();
    let table = run.table();
    assert_eq!(
        table.row("NAME", "kubernetes").get("ENDPOINTS"),
        "10.0.1.10:6443",
        "{run}"
    );
    // The control plane's InternalIP, where the API server's host-network pod runs.
    let node = json_of(&c, &["get", "node", "cp-1", "-o", "json"]);
    assert_eq!(node["status"]["addresses"][0]["address"], "10.0.1.10");
    let services = json_of(&c, &["get", "services", "-A", "-o", "json"]);
    let endpoints = json_of(&c, &["get", "endpoints", "-A", "-o", "json"]);
    let items = services["items"].as_array().expect("services");
    assert!(items.len() >= 4, "{services}");
    for service in items {
        let (namespace, name) = (
            &service["metadata"]["namespace"],
            &service["metadata"]["name"],
        );
        let Some(found) = endpoints["items"]
            .as_array()
            .expect("endpoints")
            .iter()
            .find(|e| &e["metadata"]["namespace"] == namespace && &e["metadata"]["name"] == name)
        else {
            assert!(
                service["spec"]["selector"].is_null(),
                "{namespace}/{name} has a selector and no Endpoints"
            );
            continue;
        };
        assert_eq!(
            found["metadata"]["creationTimestamp"], service["metadata"]["creationTimestamp"],
            "{namespace}/{name}"
        );
    }
}

#[test]
fn ports_are_defaulted_as_the_api_server_defaults_them() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "deployment",
        "web",
        "--image=nginx:1.27",
        "--port=80",
    ])
    .ok();
    // The history is the Deployment controller's ReplicaSet, made once it has seen the Deployment.
    let history = c.wait_for("revision 1 of deploy/web", Duration::from_secs(30), || {
        let run = c.kubectl(&["rollout", "history", "deploy/web", "--revision=1"]);
        if run.stdout.contains("Port:") {
            Ok(run)
        } else {
            Err(run.to_string())
        }
    });
    assert!(history.stdout.contains("Port:\t80/TCP"), "{history}");
    let deployment = json_of(&c, &["get", "deploy", "web", "-o", "json"]);
    let port = &deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0];
    assert_eq!(
        port,
        &serde_json::json!({"containerPort": 80, "protocol": "TCP"})
    );
    // A port added by a patch is defaulted too, as every object the API server decodes.
    c.kubectl(&[
        "patch",
        "deploy",
        "web",
        "--type=json",
        "-p",
        r#"[{"op": "add", "path": "/spec/template/spec/containers/0/ports/-", "value": {"containerPort": 9090}}]"#,
    ])
    .ok();
    let deployment = json_of(&c, &["get", "deploy", "web", "-o", "json"]);
    let port = &deployment["spec"]["template"]["spec"]["containers"][0]["ports"][1];
    assert_eq!(
        port,
        &serde_json::json!({"containerPort": 9090, "protocol": "TCP"})
    );

    // Sent as they are, past kubectl's client-side defaulting and validation.
    let create = |path: &str, object: Value| {
        c.kubectl_stdin(
            &["create", "--raw", path, "-f", "-"],
            object.to_string().as_bytes(),
        )
        .ok();
    };
    let pods = "/api/v1/namespaces/default/pods";
    create(
        pods,
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "on-host"}, "spec": {"hostNetwork": true, "containers": [
            {"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 8080}]},
            {"name": "d", "image": "nginx:1.27", "ports": [{"containerPort": 53, "protocol": "UDP", "hostPort": 5353}]},
        ]}}),
    );
    create(
        pods,
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "in-pod-network"}, "spec": {"containers": [
            {"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 8080}]},
        ]}}),
    );
    create(
        "/api/v1/namespaces/default/services",
        serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]}}),
    );
    let pod = json_of(&c, &["get", "pod", "on-host", "-o", "json"]);
    let containers = &pod["spec"]["containers"];
    assert_eq!(
        containers[0]["ports"][0],
        serde_json::json!({"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"})
    );
    assert_eq!(
        containers[1]["ports"][0],
        serde_json::json!({"containerPort": 53, "hostPort": 5353, "protocol": "UDP"})
    );
    let pod = json_of(&c, &["get", "pod", "in-pod-network", "-o", "json"]);
    assert_eq!(
        pod["spec"]["containers"][0]["ports"][0],
        serde_json::json!({"containerPort": 8080, "protocol": "TCP"}),
        "no hostPort off the host's network"
    );
    let service = json_of(&c, &["get", "service", "web", "-o", "json"]);
    assert_eq!(
        service["spec"]["ports"][0],
        serde_json::json!({"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80})
    );
}

/// The pods on `node`: namespace/name, whether a DaemonSet owns it, its grace period.
fn pods_on(c: &Cluster, node: &str) -> Vec<(String, bool, i64)> {
    let selector = format!("spec.nodeName={node}");
    let pods = json_of(
        c,
        &[
            "get",
            "pods",
            "-A",
            "--field-selector",
            &selector,
            "-o",
            "json",
        ],
    );
    pods["items"]
        .as_array()
        .expect("pods")
        .iter()
        .map(|p| {
            let name = format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap_or(""),
                p["metadata"]["name"].as_str().unwrap_or("")
            );
            let daemon = p["metadata"]["ownerReferences"]
                .as_array()
                .is_some_and(|o| o.iter().any(|r| r["kind"] == "DaemonSet"));
            let grace = p["spec"]["terminationGracePeriodSeconds"]
                .as_i64()
                .unwrap_or(30);
            (name, daemon, grace)
        })
        .collect()
}

#[test]
fn drain_without_eviction_deletes_with_protobuf_delete_options() {
    let c = Cluster::start();
    // A node whose pods stop within the default grace period (one pod has an hour's).
    let (node, before) = ["worker-1", "worker-2", "worker-3"]
        .into_iter()
        .map(|node| (node, pods_on(&c, node)))
        .find(|(_, pods)| {
            pods.iter().any(|(_, daemon, _)| !daemon)
                && pods.iter().all(|(_, _, grace)| *grace <= 30)
        })
        .expect("a worker whose pods stop within 30 s");
    // kubectl's typed client sends each DELETE's options as protobuf.
    let run = c
        .kubectl(&[
            "drain",
            node,
            "--disable-eviction",
            "--ignore-daemonsets",
            "--force",
            "--delete-emptydir-data",
            "--timeout=60s",
        ])
        .ok();
    run.stdout_has(&format!("node/{node} cordoned"))
        .stdout_has(&format!("node/{node} drained"));
    for (pod, _, _) in before.iter().filter(|(_, daemon, _)| !daemon) {
        let name = pod.split('/').nth(1).unwrap_or("");
        run.stdout_has(&format!("pod/{name} deleted"));
    }
    let after = pods_on(&c, node);
    assert!(
        after.iter().all(|(_, daemon, _)| *daemon),
        "only DaemonSet pods stay on {node}: {after:?}\n{run}"
    );
}

#[test]
fn debug_adds_an_ephemeral_container_and_unserved_subresources_are_404() {
    let c = Cluster::start();
    let container = c
        .kubectl(&[
            "get",
            "pod",
            "netshoot",
            "-n",
            "shop",
            "-o",
            "jsonpath={.spec.containers[0].name}",
        ])
        .ok();
    let target = format!("--target={}", container.stdout);
    // Ephemeral containers are served, so kubectl adds one.
    let run = c
        .kubectl(&[
            "debug",
            "netshoot",
            "-n",
            "shop",
            "--image=busybox",
            &target,
        ])
        .ok();
    run.stdout_has("Defaulting debug container name to debugger-");
    assert!(!run.stderr.contains("panic"), "{run}");
    // A subresource a type does not serve is the API server's 404 for an unknown path.
    let daemon_set = c
        .kubectl(&[
            "get",
            "daemonsets",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .ok();
    c.kubectl(&[
        "get",
        "--raw",
        &format!(
            "/apis/apps/v1/namespaces/kube-system/daemonsets/{}/scale",
            daemon_set.stdout
        ),
    ])
    .fails()
    .stderr_has("the server could not find the requested resource");
}
