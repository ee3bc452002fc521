//! Wire and data details of the simulator as the real kubectl meets them: objects as the API
//! server and its controllers leave them.

use crate::support;

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
