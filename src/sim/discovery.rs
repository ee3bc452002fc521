//! Discovery documents: `/version`, `/api`, `/apis`, and each group version's resource list,
//! in the legacy (non-aggregated) format every client understands.

use serde_json::{Value, json};

use super::registry::Registry;
use super::resource::ResourceType;

/// The Kubernetes version the simulator reports: the printer behaviour `model/` implements.
pub const SERVER_MINOR: &str = "35";

/// `/version`.
pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": SERVER_MINOR,
        "emulationMajor": "1",
        "emulationMinor": SERVER_MINOR,
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "34",
        "gitVersion": format!("v1.{SERVER_MINOR}.0+kscope-sim"),
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.25.0",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// `/api`.
pub fn core_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]
    })
}

/// The API groups (the core group aside) and their versions, in the registry's order.
pub fn group_versions(registry: &Registry) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for resource in registry.all() {
        if resource.group.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(g, _)| g == resource.group) {
            Some((_, versions)) => {
                if !versions.iter().any(|v| v == resource.version) {
                    versions.push(resource.version.to_string());
                }
            }
            None => groups.push((
                resource.group.to_string(),
                vec![resource.version.to_string()],
            )),
        }
    }
    groups
}

fn group_document(group: &str, versions: &[String]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
        .collect();
    json!({
        "name": group,
        "versions": versions,
        "preferredVersion": versions.first().cloned().unwrap_or(Value::Null),
    })
}

/// `/apis`.
pub fn groups(registry: &Registry) -> Value {
    let groups: Vec<Value> = group_versions(registry)
        .iter()
        .map(|(group, versions)| group_document(group, versions))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/apis/{group}`, or `None` if no such group is served.
pub fn group(registry: &Registry, name: &str) -> Option<Value> {
    let groups = group_versions(registry);
    let (group, versions) = groups.iter().find(|(g, _)| g == name)?;
    let mut document = group_document(group, versions);
    document["kind"] = json!("APIGroup");
    document["apiVersion"] = json!("v1");
    Some(document)
}

/// `/api/v1` or `/apis/{group}/{version}`, or `None` if nothing is served there.
pub fn resources(registry: &Registry, group: &str, version: &str) -> Option<Value> {
    let types: Vec<&ResourceType> = registry
        .all()
        .into_iter()
        .filter(|r| r.group == group && r.version == version)
        .collect();
    if types.is_empty() {
        return None;
    }
    let mut list = Vec::new();
    for resource in types {
        list.push(json!({
            "name": resource.plural,
            "singularName": resource.singular,
            "namespaced": resource.namespaced,
            "kind": resource.kind,
            "verbs": resource.verbs(),
            "shortNames": resource.short_names,
            "categories": resource.categories,
        }));
        for sub in resource.subresources {
            list.push(subresource(resource, sub));
        }
    }
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": list,
    }))
}

fn subresource(resource: &ResourceType, sub: &str) -> Value {
    let name = format!("{}/{sub}", resource.plural);
    let mut document = json!({
        "name": name,
        "singularName": "",
        "namespaced": resource.namespaced,
        "kind": resource.kind,
        "verbs": ["get", "patch", "update"],
    });
    match sub {
        "scale" => {
            document["group"] = json!("autoscaling");
            document["version"] = json!("v1");
            document["kind"] = json!("Scale");
        }
        // kubectl drain looks for exactly this to choose eviction over deletion.
        "eviction" => {
            document["group"] = json!("policy");
            document["version"] = json!("v1");
            document["kind"] = json!("Eviction");
            document["verbs"] = json!(["create"]);
        }
        "binding" => {
            document["kind"] = json!("Binding");
            document["verbs"] = json!(["create"]);
        }
        "log" => {
            document["verbs"] = json!(["get"]);
        }
        "exec" | "attach" => {
            document["kind"] = json!(if sub == "exec" {
                "PodExecOptions"
            } else {
                "PodAttachOptions"
            });
            document["verbs"] = json!(["create", "get"]);
        }
        "portforward" => {
            document["kind"] = json!("PodPortForwardOptions");
            document["verbs"] = json!(["create", "get"]);
        }
        "finalize" => {
            document["verbs"] = json!(["update"]);
        }
        _ => {}
    }
    document
}
