//! Which resources the API server serves (custom resources included), read from its discovery
//! documents; and the resource kube-rs's dynamic calls need for a kind the explorer names.

use anyhow::Context;
use futures::StreamExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIResource, APIResourceList};
use kube::Client;
use kube::api::ApiResource;

use crate::model::kind::{Target, WatchedKind};
use crate::model::resource_info::ResourceInfo;

/// How many group documents are asked for at once: a cluster serves dozens of groups, and
/// asking one after another would make start-up wait for each round trip.
const CONCURRENT_GROUP_REQUESTS: usize = 8;

/// What the API server serves.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub resources: Vec<ResourceInfo>,
    /// metrics.k8s.io answered and serves PodMetrics and NodeMetrics. They are left out of
    /// `resources` (they cannot be watched), but say whether the usage columns can be filled.
    pub metrics: bool,
}

/// The resources the API server serves (see `discover_all`).
pub async fn discover(client: &Client) -> anyhow::Result<Vec<ResourceInfo>> {
    Ok(discover_all(client).await?.resources)
}

/// Reads the legacy discovery documents: `/api/v1` and the preferred version of every group
/// under `/apis`. A group whose document cannot be read (an aggregated API that is down answers
/// 503) is left out rather than failing the rest. Core resources come first, then the groups in
/// the order the server lists them, which is the order of its own priorities.
///
/// Not `kube::discovery::Discovery`: it fails as a whole when one group fails, and it drops the
/// short names that `:po` and `:deploy` need.
pub async fn discover_all(client: &Client) -> anyhow::Result<Discovery> {
    let core = client
        .list_core_api_resources("v1")
        .await
        .context("discovery of /api/v1")?;
    let groups = client
        .list_api_groups()
        .await
        .context("discovery of /apis")?;
    let mut resources = from_document("", "v1", core);
    let preferred: Vec<(String, String, String)> = groups
        .groups
        .into_iter()
        .filter_map(|group| {
            let version = group
                .preferred_version
                .or_else(|| group.versions.into_iter().next())?;
            Some((group.name, version.version, version.group_version))
        })
        .collect();
    let documents: Vec<_> = futures::stream::iter(preferred)
        .map(|(group, version, group_version)| async move {
            let document = client.list_api_group_resources(&group_version).await;
            (group, version, document)
        })
        .buffered(CONCURRENT_GROUP_REQUESTS)
        .collect()
        .await;
    let mut metrics = false;
    for (group, version, document) in documents {
        if let Ok(document) = document {
            if group == "metrics.k8s.io" {
                let served = |name: &str| document.resources.iter().any(|r| r.name == name);
                metrics = served("pods") && served("nodes");
            }
            resources.extend(from_document(&group, &version, document));
        }
    }
    Ok(Discovery { resources, metrics })
}

fn from_document(group: &str, version: &str, document: APIResourceList) -> Vec<ResourceInfo> {
    document
        .resources
        .into_iter()
        .filter_map(|resource| from_discovery(group, version, resource))
        .collect()
}

/// A top-level resource from a discovery document, or `None` for a subresource (`pods/log`)
/// or one that cannot be both listed and watched (metrics, reviews).
fn from_discovery(group: &str, version: &str, resource: APIResource) -> Option<ResourceInfo> {
    let can = |verb: &str| resource.verbs.iter().any(|v| v == verb);
    if resource.name.contains('/') || !can("list") || !can("watch") {
        return None;
    }
    // Some servers leave singularName empty; kubectl falls back to the kind in lower case.
    let singular = if resource.singular_name.is_empty() {
        resource.kind.to_lowercase()
    } else {
        resource.singular_name
    };
    Some(ResourceInfo {
        group: group.to_string(),
        version: version.to_string(),
        kind: resource.kind,
        plural: resource.name,
        singular,
        short_names: resource.short_names.unwrap_or_default(),
        namespaced: resource.namespaced,
        verbs: resource.verbs,
    })
}

/// The resource kube-rs's dynamic API calls need.
pub trait ApiResourceOf {
    fn api_resource(&self) -> ApiResource;
}

impl ApiResourceOf for ResourceInfo {
    fn api_resource(&self) -> ApiResource {
        ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            api_version: self.api_version(),
            kind: self.kind.clone(),
            plural: self.plural.clone(),
        }
    }
}

impl ApiResourceOf for WatchedKind {
    fn api_resource(&self) -> ApiResource {
        let info = self.info();
        ApiResource {
            group: info.group.into(),
            version: info.version.into(),
            api_version: self.api_version(),
            kind: info.name.into(),
            plural: info.plural.into(),
        }
    }
}

impl ApiResourceOf for Target {
    fn api_resource(&self) -> ApiResource {
        match self {
            Target::Kind(kind) => kind.api_resource(),
            Target::Resource(info) => info.api_resource(),
        }
    }
}
