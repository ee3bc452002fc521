//! Reading single objects, raw, so that no field is lost to a typed struct.

use anyhow::{Result, anyhow};
use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use serde_json::Value;

use super::connect::Connection;
use super::decode::Key;
use super::discovery::ResourceInfo;
use super::watch::WatchedKind;

/// A core/v1 kind we read by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreKind {
    Pod,
    Node,
    Namespace,
}

impl CoreKind {
    fn resource(self) -> ApiResource {
        let (kind, plural) = match self {
            CoreKind::Pod => ("Pod", "pods"),
            CoreKind::Node => ("Node", "nodes"),
            CoreKind::Namespace => ("Namespace", "namespaces"),
        };
        ApiResource {
            group: String::new(),
            version: "v1".to_string(),
            api_version: "v1".to_string(),
            kind: kind.to_string(),
            plural: plural.to_string(),
        }
    }

    /// The lowercase resource name kubectl uses in messages.
    pub fn noun(self) -> &'static str {
        match self {
            CoreKind::Pod => "pod",
            CoreKind::Node => "node",
            CoreKind::Namespace => "namespace",
        }
    }
}

/// GETs one object as raw JSON. `namespace` is used for namespaced kinds only.
pub async fn get_object(
    connection: &Connection,
    kind: CoreKind,
    namespace: &str,
    name: &str,
) -> Result<Value> {
    let resource = kind.resource();
    let api: Api<DynamicObject> = match kind {
        CoreKind::Pod => Api::namespaced_with(connection.client.clone(), namespace, &resource),
        _ => Api::all_with(connection.client.clone(), &resource),
    };
    let object = api.get(name).await.map_err(|error| {
        let place = if kind == CoreKind::Pod {
            format!("{} \"{name}\" in namespace \"{namespace}\"", kind.noun())
        } else {
            format!("{} \"{name}\"", kind.noun())
        };
        describe_error(&connection.server, &format!("get {place}"), error)
    })?;
    let mut value = serde_json::to_value(&object)?;
    if let Value::Object(map) = &mut value {
        map.insert("kind".into(), Value::String(resource.kind.clone()));
        map.insert("apiVersion".into(), Value::String("v1".into()));
    }
    Ok(value)
}

/// A kind to GET an object of: one the explorer watches, or any the API server serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Kind(WatchedKind),
    Resource(ResourceInfo),
}

impl Target {
    /// The resource for kube-rs's dynamic API, and whether it lives in namespaces.
    pub fn resource(&self) -> (ApiResource, bool) {
        match self {
            Target::Kind(kind) => (kind.resource(), kind.namespaced()),
            Target::Resource(info) => (info.api_resource(), info.namespaced),
        }
    }

    /// Whether Kubernetes serves the kind itself (not a custom resource).
    pub fn is_built_in(&self) -> bool {
        match self {
            Target::Kind(_) => true,
            Target::Resource(info) => info.is_built_in(),
        }
    }

    /// The object `key` of this kind as the explorer titles it: `pod shop/web-1`, `node n1`.
    pub fn title(&self, key: &Key) -> String {
        let kind = self.kind_name().to_lowercase();
        if key.0.is_empty() {
            format!("{kind} {}", key.1)
        } else {
            format!("{kind} {}/{}", key.0, key.1)
        }
    }

    /// The kind's name (`Pod`, `CephCluster`).
    pub fn kind_name(&self) -> String {
        match self {
            Target::Kind(kind) => kind.kind_name().to_string(),
            Target::Resource(info) => info.kind.clone(),
        }
    }
}

/// GETs one object of a kind, whole (managedFields removed, as the watches do).
pub async fn get_target(
    client: &kube::Client,
    server: &str,
    target: &Target,
    key: &Key,
) -> Result<Value> {
    let (resource, namespaced) = target.resource();
    let (namespace, name) = key;
    let api: Api<DynamicObject> = if namespaced {
        Api::namespaced_with(client.clone(), namespace, &resource)
    } else {
        Api::all_with(client.clone(), &resource)
    };
    let noun = resource.kind.to_lowercase();
    let place = if namespaced {
        format!("{noun} \"{name}\" in namespace \"{namespace}\"")
    } else {
        format!("{noun} \"{name}\"")
    };
    let object = api
        .get(name)
        .await
        .map_err(|error| describe_error(server, &format!("get {place}"), error))?;
    let mut value = serde_json::to_value(&object)?;
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
    Ok(value)
}

/// Lists the core/v1 Events about one object. Events are evidence, not essential: a caller
/// may carry on without them.
pub async fn events_about(
    connection: &Connection,
    kind: CoreKind,
    namespace: &str,
    name: &str,
) -> Result<Vec<Value>> {
    let resource = ApiResource {
        group: String::new(),
        version: "v1".to_string(),
        api_version: "v1".to_string(),
        kind: "Event".to_string(),
        plural: "events".to_string(),
    };
    let api: Api<DynamicObject> = if namespace.is_empty() {
        Api::all_with(connection.client.clone(), &resource)
    } else {
        Api::namespaced_with(connection.client.clone(), namespace, &resource)
    };
    let selector = format!(
        "involvedObject.kind={},involvedObject.name={name}",
        match kind {
            CoreKind::Pod => "Pod",
            CoreKind::Node => "Node",
            CoreKind::Namespace => "Namespace",
        }
    );
    let list = api
        .list(&ListParams::default().fields(&selector))
        .await
        .map_err(|error| describe_error(&connection.server, "list events", error))?;
    list.items
        .into_iter()
        .map(|event| {
            let mut value = serde_json::to_value(&event)?;
            if let Value::Object(map) = &mut value {
                map.insert("kind".into(), Value::String("Event".into()));
            }
            Ok(value)
        })
        .collect()
}

/// One line naming the call that failed and why, in kubectl's words where it has them.
pub fn describe_error(server: &str, call: &str, error: kube::Error) -> anyhow::Error {
    match error {
        kube::Error::Api(status) => match status.code {
            404 => anyhow!("{call}: not found"),
            401 => anyhow!(
                "{call}: unauthorized (401): the credentials in the kubeconfig were refused"
            ),
            403 => anyhow!("{call}: forbidden (403): {}", status.message),
            code => anyhow!("{call}: the API server answered {code}: {}", status.message),
        },
        other => {
            let chain =
                std::iter::successors(Some(&other as &dyn std::error::Error), |e| e.source())
                    .map(ToString::to_string)
                    .collect::<Vec<_>>();
            let mut causes: Vec<String> = Vec::new();
            for cause in chain {
                if !causes.iter().any(|c| c.contains(&cause)) {
                    causes.push(cause);
                }
            }
            anyhow!(
                "{call}: cannot reach the API server at {server}: {}",
                causes.join(": ")
            )
        }
    }
}
