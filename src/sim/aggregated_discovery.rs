//! Aggregated discovery: `/api` and `/apis` answered with one `APIGroupDiscoveryList`
//! (apidiscovery.k8s.io/v2) holding every group, version and resource, when the client's
//! `Accept` asks for it first, as kubectl does (`application/json;g=apidiscovery.k8s.io;v=v2;
//! as=APIGroupDiscoveryList,application/json`); it then needs no request per group-version.
//!
//! The documents are made from the legacy resource lists (`discovery::resources`), as the API
//! server converts its `APIResource`s (`ConvertGroupVersionIntoToDiscovery` in
//! k8s.io/apiserver pkg/endpoints/installer.go), so the two always agree, CRDs included.

use std::hash::{Hash, Hasher};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::discovery;
use super::registry::Registry;
use super::resource::find_built_in;

/// The group of the discovery types.
const GROUP: &str = "apidiscovery.k8s.io";
/// The kind a client asks to receive.
const KIND: &str = "APIGroupDiscoveryList";

/// The version of the aggregated document the client asks for before any other answer it
/// accepts (`v2`, or `v2beta1`, whose shape is the same), or `None` for the legacy documents.
/// Clauses are taken in the order the API server's negotiation takes them; one asking for the
/// aggregated document in protobuf is passed over (only its JSON is served), so a client
/// offering both gets the JSON.
pub fn requested(accept: &str) -> Option<&'static str> {
    for clause in super::handler::accept_clauses(accept) {
        let media_type = clause.split(';').next().unwrap_or("").trim();
        let parameter = |name: &str| parameters(clause).find(|(k, _)| *k == name).map(|p| p.1);
        match media_type {
            "application/json"
                if parameter("as") == Some(KIND) && parameter("g") == Some(GROUP) =>
            {
                match parameter("v") {
                    Some("v2") => return Some("v2"),
                    Some("v2beta1") => return Some("v2beta1"),
                    _ => continue,
                }
            }
            // Plain JSON (or anything): the legacy document.
            "application/json" | "*/*" | "application/*" if parameter("as").is_none() => {
                return None;
            }
            _ => continue,
        }
    }
    None
}

/// A media type's parameters.
fn parameters(clause: &str) -> impl Iterator<Item = (&str, &str)> {
    clause.split(';').skip(1).filter_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        Some((key.trim(), value.trim().trim_matches('"')))
    })
}

/// `/api` aggregated: the core group, named "".
pub fn core(registry: &Registry, version: &str) -> Value {
    let versions: Vec<Value> = discovery::resources(registry, "", "v1")
        .map(|list| version_document(registry, "", "v1", &list))
        .into_iter()
        .collect();
    list(version, vec![json!({"metadata": {}, "versions": versions})])
}

/// `/apis` aggregated: every other group, in the order of the legacy `/apis`.
pub fn groups(registry: &Registry, version: &str) -> Value {
    let items = discovery::group_versions(registry)
        .into_iter()
        .map(|(group, versions)| {
            let versions: Vec<Value> = versions
                .iter()
                .filter_map(|v| {
                    discovery::resources(registry, &group, v)
                        .map(|list| version_document(registry, &group, v, &list))
                })
                .collect();
            json!({"metadata": {"name": group}, "versions": versions})
        })
        .collect();
    list(version, items)
}

fn list(version: &str, items: Vec<Value>) -> Value {
    json!({
        "kind": KIND,
        "apiVersion": format!("{GROUP}/{version}"),
        "metadata": {},
        "items": items,
    })
}

/// One group-version's `APIVersionDiscovery`, from its legacy `APIResourceList`: the resources
/// first, then each subresource (`pods/log`) under its resource.
fn version_document(registry: &Registry, group: &str, version: &str, legacy: &Value) -> Value {
    let listed = legacy["resources"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    // A custom resource's kinds are named with their group and version, as the CRD handler
    // names them; the built-ins' carry what their legacy entry carries (nothing but a
    // subresource's own, such as autoscaling/v1 Scale).
    let custom = |name: &str| {
        let plural = name.split('/').next().unwrap_or(name);
        find_built_in(group, version, plural).is_none()
            && registry.find(group, version, plural).is_some()
    };
    let kind_of = |entry: &Value, name: &str| {
        let text = |key: &str| entry[key].as_str().unwrap_or("").to_string();
        let (mut kind_group, mut kind_version) = (text("group"), text("version"));
        if custom(name) && kind_group.is_empty() && kind_version.is_empty() {
            (kind_group, kind_version) = (group.to_string(), version.to_string());
        }
        json!({"group": kind_group, "version": kind_version, "kind": text("kind")})
    };
    let scope = |entry: &Value| {
        if entry["namespaced"].as_bool().unwrap_or(false) {
            "Namespaced"
        } else {
            "Cluster"
        }
    };
    let mut resources: Vec<Value> = Vec::new();
    for entry in listed {
        let name = entry["name"].as_str().unwrap_or("");
        if name.contains('/') {
            continue;
        }
        let mut resource = json!({
            "resource": name,
            "responseKind": kind_of(entry, name),
            "scope": scope(entry),
            "singularResource": entry["singularName"],
            "verbs": entry["verbs"],
        });
        for key in ["shortNames", "categories"] {
            if entry[key].as_array().is_some_and(|a| !a.is_empty()) {
                resource[key] = entry[key].clone();
            }
        }
        resources.push(resource);
    }
    for entry in listed {
        let name = entry["name"].as_str().unwrap_or("");
        let Some((parent, subresource)) = name.split_once('/') else {
            continue;
        };
        let index = match resources.iter().position(|r| r["resource"] == parent) {
            Some(index) => index,
            None => {
                // A subresource without its resource gets a parent with an empty kind, as
                // old clients need one.
                resources.push(json!({
                    "resource": parent,
                    "responseKind": {"group": "", "version": "", "kind": ""},
                    "scope": scope(entry),
                }));
                resources.len() - 1
            }
        };
        let found = &mut resources[index];
        if !found["subresources"].is_array() {
            found["subresources"] = json!([]);
        }
        if let Some(subresources) = found["subresources"].as_array_mut() {
            subresources.push(json!({
                "subresource": subresource,
                "responseKind": kind_of(entry, name),
                "verbs": entry["verbs"],
            }));
        }
    }
    json!({"version": version, "resources": resources, "freshness": "Current"})
}

/// The answer: the document in the type asked for, with the `ETag` the API server sets (its
/// cache-busting: a client sending it back in `If-None-Match` gets a 304 while nothing changed)
/// and `Vary: Accept`, as `/api` answers two documents.
pub fn response(document: &Value, version: &str, request: &HeaderMap) -> Response {
    let body = document.to_string();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016X}\"", hasher.finish());
    let content_type = format!("application/json;g={GROUP};v={version};as={KIND}");
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::ETAG, etag.clone()),
        (header::VARY, "Accept".to_string()),
        (header::CACHE_CONTROL, "public".to_string()),
    ];
    let unchanged = request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|given| given.as_bytes() == etag.as_bytes());
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (StatusCode::OK, headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBECTL: &str =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    #[test]
    fn the_accept_header_chooses_the_document() {
        assert_eq!(requested(KUBECTL), Some("v2"));
        assert_eq!(
            requested("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"),
            Some("v2beta1")
        );
        assert_eq!(requested("application/json"), None);
        assert_eq!(requested("application/json, */*"), None);
        assert_eq!(requested(""), None);
        // Protobuf is not served: the JSON after it is.
        assert_eq!(
            requested(
                "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
            ),
            Some("v2")
        );
        // Quality first, then order.
        assert_eq!(
            requested(
                "application/json;q=0.9,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
            ),
            Some("v2")
        );
        assert_eq!(
            requested(
                "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
            ),
            None
        );
        // A Table is not a discovery document.
        assert_eq!(
            requested("application/json;as=Table;v=v1;g=meta.k8s.io"),
            None
        );
    }

    #[test]
    fn the_core_group_holds_pods_with_their_subresources() {
        let registry = Registry::new();
        let document = core(&registry, "v2");
        assert_eq!(document["kind"], "APIGroupDiscoveryList");
        assert_eq!(document["apiVersion"], "apidiscovery.k8s.io/v2");
        let items = document["items"].as_array().expect("items");
        assert_eq!(items.len(), 1);
        assert!(items[0]["metadata"].get("name").is_none());
        let version = &items[0]["versions"][0];
        assert_eq!(version["version"], "v1");
        assert_eq!(version["freshness"], "Current");
        let resources = version["resources"].as_array().expect("resources");
        let pods = resources
            .iter()
            .find(|r| r["resource"] == "pods")
            .expect("pods");
        assert_eq!(
            pods["responseKind"],
            json!({"group": "", "version": "", "kind": "Pod"})
        );
        assert_eq!(pods["scope"], "Namespaced");
        assert_eq!(pods["singularResource"], "pod");
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["categories"], json!(["all"]));
        assert!(
            pods["verbs"]
                .as_array()
                .expect("verbs")
                .contains(&json!("watch"))
        );
        let sub = |name: &str| {
            pods["subresources"]
                .as_array()
                .expect("subresources")
                .iter()
                .find(|s| s["subresource"] == name)
                .unwrap_or_else(|| panic!("no pods/{name}"))
                .clone()
        };
        assert_eq!(
            sub("eviction")["responseKind"],
            json!({"group": "policy", "version": "v1", "kind": "Eviction"})
        );
        assert_eq!(sub("eviction")["verbs"], json!(["create"]));
        assert_eq!(sub("log")["verbs"], json!(["get"]));
        assert_eq!(sub("exec")["responseKind"]["kind"], "PodExecOptions");
        assert!(
            resources
                .iter()
                .all(|r| !r["resource"].as_str().expect("a name").contains('/')),
            "subresources are not resources"
        );
        let nodes = resources
            .iter()
            .find(|r| r["resource"] == "nodes")
            .expect("nodes");
        assert_eq!(nodes["scope"], "Cluster");
        // Secrets have no short names: none is written.
        let secrets = resources
            .iter()
            .find(|r| r["resource"] == "secrets")
            .expect("secrets");
        assert!(secrets.get("shortNames").is_none());
    }

    #[test]
    fn groups_follow_the_registry_and_custom_kinds_name_their_group() {
        let registry = Registry::new();
        registry.add_definition(&json!({"spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": true}]
        }}));
        let document = groups(&registry, "v2");
        let items = document["items"].as_array().expect("items");
        let names: Vec<&str> = items
            .iter()
            .map(|i| i["metadata"]["name"].as_str().expect("a name"))
            .collect();
        let legacy = discovery::groups(&registry);
        let legacy_names: Vec<&str> = legacy["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| g["name"].as_str().expect("a name"))
            .collect();
        assert_eq!(names, legacy_names);
        let apps = items
            .iter()
            .find(|i| i["metadata"]["name"] == "apps")
            .expect("apps");
        let deployments = apps["versions"][0]["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|r| r["resource"] == "deployments")
            .expect("deployments");
        let scale = deployments["subresources"]
            .as_array()
            .expect("subresources")
            .iter()
            .find(|s| s["subresource"] == "scale")
            .expect("scale");
        assert_eq!(
            scale["responseKind"],
            json!({"group": "autoscaling", "version": "v1", "kind": "Scale"})
        );
        let widgets = &items
            .iter()
            .find(|i| i["metadata"]["name"] == "example.com")
            .expect("the CRD's group")["versions"][0]["resources"][0];
        assert_eq!(widgets["resource"], "widgets");
        assert_eq!(
            widgets["responseKind"],
            json!({"group": "example.com", "version": "v1", "kind": "Widget"})
        );
        assert_eq!(widgets["shortNames"], json!(["wd"]));
        assert_eq!(widgets["categories"], json!(["all"]));
        assert_eq!(
            widgets["subresources"][0]["responseKind"],
            json!({"group": "example.com", "version": "v1", "kind": "Widget"})
        );
        registry.remove_definition(
            &json!({"spec": {"group": "example.com", "names": {"plural": "widgets"}}}),
        );
        let after = groups(&registry, "v2");
        assert!(
            after["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|i| i["metadata"]["name"] != "example.com")
        );
    }

    #[test]
    fn an_unchanged_document_is_not_sent_again() {
        let registry = Registry::new();
        let document = core(&registry, "v2");
        let first = response(&document, "v2", &HeaderMap::new());
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(
            first.headers()[header::CONTENT_TYPE],
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
        );
        let etag = first.headers()[header::ETAG].clone();
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            response(&document, "v2", &again).status(),
            StatusCode::NOT_MODIFIED
        );
        let mut stale = HeaderMap::new();
        stale.insert(
            header::IF_NONE_MATCH,
            header::HeaderValue::from_static("\"0\""),
        );
        assert_eq!(response(&document, "v2", &stale).status(), StatusCode::OK);
    }
}
