use serde_json::json;

use super::paths::{display, fields_of, from_tree, to_tree};
use super::*;
use crate::sim::resource::find_built_in;

fn deployments() -> &'static ResourceType {
    find_built_in("apps", "v1", "deployments").expect("served")
}

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": "u1", "labels": {"app": "web"}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": image,
                                                       "ports": [{"containerPort": 80}]}]}}},
        "status": {"replicas": 1}
    })
}

#[test]
fn an_objects_fields_are_written_as_the_api_server_writes_fields_v1() {
    let fields = fields_of(
        &deployment(2, "nginx"),
        PatchTags::of_kind("apps", "Deployment"),
    );
    let tree = to_tree(&fields);
    assert_eq!(
        tree,
        json!({
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {
                "f:replicas": {},
                "f:selector": {},
                "f:template": {
                    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                    "f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {
                        ".": {}, "f:image": {}, "f:name": {},
                        "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}
                    }}}
                }
            }
        }),
        "identity, status and the server's metadata are nobody's"
    );
    assert_eq!(from_tree(&tree), fields);
    let image: Vec<String> = [
        "f:spec",
        "f:template",
        "f:spec",
        "f:containers",
        "k:{\"name\":\"web\"}",
        "f:image",
    ]
    .map(str::to_string)
    .to_vec();
    assert_eq!(
        display(&image),
        ".spec.template.spec.containers[name=\"web\"].image"
    );
}

#[test]
fn an_update_owns_what_it_changed_and_takes_it_from_the_others() {
    let resource = deployments();
    let mut created = deployment(2, "nginx");
    record_update(&mut created, None, "kubectl-create", resource, "t1");
    let mut scaled = deployment(3, "nginx");
    scaled["metadata"]["managedFields"] = created["metadata"]["managedFields"].clone();
    record_update(&mut scaled, Some(&created), "hpa", resource, "t2");
    let entries = entries_of(&scaled);
    assert_eq!(entries.len(), 2);
    let replicas: Path = vec!["f:spec".into(), "f:replicas".into()];
    assert!(!entries[0].fields.contains(&replicas));
    assert_eq!(entries[1].manager, "hpa");
    assert_eq!(entries[1].fields, BTreeSet::from([replicas]));
    // Nothing changed: nobody's fields move.
    let mut again = scaled.clone();
    record_update(&mut again, Some(&scaled), "other", resource, "t3");
    assert_eq!(entries_of(&again), entries);
}

#[test]
fn an_apply_conflicts_with_other_values_shares_equal_ones_and_force_takes_over() {
    let resource = deployments();
    let mut live = deployment(3, "nginx");
    record_update(&mut live, None, "kubectl-create", resource, "t1");
    // Equal values are shared, not a conflict.
    let same = apply(
        Some(&live),
        &deployment(3, "nginx"),
        "ci",
        false,
        resource,
        "t2",
    )
    .expect("no conflict");
    assert_eq!(entries_of(&same).len(), 2);
    let error = apply(
        Some(&live),
        &deployment(2, "nginx:2"),
        "ci",
        false,
        resource,
        "t2",
    )
    .expect_err("two conflicts");
    assert_eq!(error.code, 409);
    assert_eq!(
        error.message,
        "Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image"
    );
    let forced = apply(
        Some(&live),
        &deployment(2, "nginx:2"),
        "ci",
        true,
        resource,
        "t2",
    )
    .expect("forced");
    assert_eq!(forced["spec"]["replicas"], 2);
    let creator = &entries_of(&forced)[0];
    assert!(
        !creator
            .fields
            .contains(&vec!["f:spec".to_string(), "f:replicas".to_string()])
    );
}

#[test]
fn an_item_the_applier_no_longer_names_goes_with_its_fields() {
    let resource = deployments();
    let first = apply(None, &deployment(2, "nginx"), "ci", false, resource, "t1").unwrap();
    let mut without_ports = deployment(2, "nginx");
    without_ports["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .unwrap()
        .remove("ports");
    let second = apply(Some(&first), &without_ports, "ci", false, resource, "t2").unwrap();
    assert_eq!(
        second["spec"]["template"]["spec"]["containers"][0],
        json!({"name": "web", "image": "nginx"}),
        "the port item and the emptied list are gone"
    );
    assert_eq!(
        second["status"],
        json!({"replicas": 1}),
        "status is not the applier's"
    );
}

/// Ports are keyed by number and protocol, as upstream's list-map keys say: 53/TCP and 53/UDP
/// are two items, each kept and owned on its own through applies and removals.
#[test]
fn ports_of_one_number_and_two_protocols_are_two_items() {
    let resource = deployments();
    let with_ports = |ports: Value| {
        let mut object = deployment(1, "coredns");
        object["spec"]["template"]["spec"]["containers"][0]["ports"] = ports;
        object
    };
    let both = with_ports(json!([
        {"containerPort": 53, "protocol": "TCP", "name": "dns-tcp"},
        {"containerPort": 53, "protocol": "UDP", "name": "dns"}
    ]));
    let first = apply(None, &both, "ci", false, resource, "t1").unwrap();
    let renamed = with_ports(json!([
        {"containerPort": 53, "protocol": "TCP", "name": "dnstcp"},
        {"containerPort": 53, "protocol": "UDP", "name": "dns"}
    ]));
    let second = apply(Some(&first), &renamed, "ci", false, resource, "t2").unwrap();
    let ports = &second["spec"]["template"]["spec"]["containers"][0]["ports"];
    assert_eq!(
        ports,
        &json!([
            {"containerPort": 53, "protocol": "TCP", "name": "dnstcp"},
            {"containerPort": 53, "protocol": "UDP", "name": "dns"}
        ])
    );
    let owned = to_tree(&fields_of(
        &second,
        PatchTags::of_kind("apps", "Deployment"),
    ));
    let port_keys: Vec<&String> =
        owned["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["f:ports"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
    assert_eq!(
        port_keys,
        [
            "k:{\"containerPort\":53,\"protocol\":\"TCP\"}",
            "k:{\"containerPort\":53,\"protocol\":\"UDP\"}"
        ]
    );
    // The UDP port no longer applied goes, the TCP one stays; a port without a protocol is TCP's.
    let tcp_only = with_ports(json!([{"containerPort": 53, "name": "dnstcp"}]));
    let third = apply(Some(&second), &tcp_only, "ci", false, resource, "t3").unwrap();
    // (The protocol no longer applied is taken out here; the write's defaulting puts TCP back.)
    assert_eq!(
        third["spec"]["template"]["spec"]["containers"][0]["ports"],
        json!([{"containerPort": 53, "name": "dnstcp"}])
    );
}
