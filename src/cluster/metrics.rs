//! Usage from metrics.k8s.io, read every 15 seconds while the API serves it (metrics are not
//! watchable). A cluster without metrics-server is asked again only every few minutes.

use crate::model::metrics::{MetricsSnapshot, Usage};
use std::time::Duration;

use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::model::inbox::ClusterMessage;

const INTERVAL: Duration = Duration::from_secs(15);
const ABSENT_INTERVAL: Duration = Duration::from_secs(180);

fn resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "metrics.k8s.io".into(),
        version: "v1beta1".into(),
        api_version: "metrics.k8s.io/v1beta1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// Usage by pod from a PodMetrics list's text.
pub fn pod_usage(
    body: &[u8],
) -> Result<std::collections::HashMap<(String, String), Usage>, serde_json::Error> {
    let list: kube::core::ObjectList<DynamicObject> = serde_json::from_slice(body)?;
    let mut pods = std::collections::HashMap::new();
    for pod in list {
        let key = (
            pod.metadata.namespace.clone().unwrap_or_default(),
            pod.metadata.name.clone().unwrap_or_default(),
        );
        let mut usage = Usage::default();
        for container in pod
            .data
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            usage.add(&container["usage"]);
        }
        pods.insert(key, usage);
    }
    Ok(pods)
}

/// GETs a list of metrics.k8s.io (`pods` in `namespace` or everywhere, or `nodes`), as text.
async fn list_text(
    client: &Client,
    plural: &str,
    namespace: Option<&str>,
) -> Result<String, kube::Error> {
    let path = match namespace {
        Some(namespace) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/{plural}"),
        None => format!("/apis/metrics.k8s.io/v1beta1/{plural}"),
    };
    let request = kube::core::Request::new(path)
        .list(&ListParams::default())
        .map_err(kube::Error::BuildRequest)?;
    client.request_text(request).await
}

async fn read(client: &Client, namespace: Option<&str>) -> Result<MetricsSnapshot, kube::Error> {
    let text = list_text(client, "pods", namespace).await?;
    let pods = pod_usage(text.as_bytes()).map_err(kube::Error::SerdeError)?;
    drop(text);
    let nodes: Api<DynamicObject> =
        Api::all_with(client.clone(), &resource("NodeMetrics", "nodes"));
    let mut snapshot = MetricsSnapshot {
        pods,
        ..MetricsSnapshot::default()
    };
    for node in nodes.list(&ListParams::default()).await? {
        let mut usage = Usage::default();
        usage.add(&node.data["usage"]);
        snapshot
            .nodes
            .insert(node.metadata.name.clone().unwrap_or_default(), usage);
    }
    Ok(snapshot)
}

/// Reads metrics periodically and sends each snapshot.
pub fn spawn_metrics(
    client: Client,
    namespace: Option<String>,
    sender: UnboundedSender<ClusterMessage>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let wait = match read(&client, namespace.as_deref()).await {
                Ok(snapshot) => {
                    if sender
                        .send(ClusterMessage::Metrics(Box::new(snapshot)))
                        .is_err()
                    {
                        return;
                    }
                    INTERVAL
                }
                Err(_) => ABSENT_INTERVAL,
            };
            tokio::time::sleep(wait).await;
        }
    })
}
