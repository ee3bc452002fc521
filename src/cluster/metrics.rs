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

async fn read(client: &Client, namespace: Option<&str>) -> Result<MetricsSnapshot, kube::Error> {
    let pods: Api<DynamicObject> = match namespace {
        Some(namespace) => {
            Api::namespaced_with(client.clone(), namespace, &resource("PodMetrics", "pods"))
        }
        None => Api::all_with(client.clone(), &resource("PodMetrics", "pods")),
    };
    let nodes: Api<DynamicObject> =
        Api::all_with(client.clone(), &resource("NodeMetrics", "nodes"));
    let mut snapshot = MetricsSnapshot::default();
    for pod in pods.list(&ListParams::default()).await? {
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
        snapshot.pods.insert(key, usage);
    }
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
