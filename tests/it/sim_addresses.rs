//! Addresses of a generated cluster past 255 nodes: every node InternalIP, pod CIDR, pod IP
//! and host IP is an IPv4 address, the nodes' are unique, and each pod's IP lies in its
//! node's pod CIDR.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

use k8s_openapi::api::core::v1::{Node, Pod};
use kscope::sim::ClusterShape;
use kube::Api;
use kube::api::ListParams;

fn ipv4(text: &str) -> Ipv4Addr {
    text.parse()
        .unwrap_or_else(|_| panic!("{text:?} is not an IPv4 address"))
}

/// A /24 as (network, prefix length).
fn cidr(text: &str) -> (Ipv4Addr, u32) {
    let (network, prefix) = text
        .split_once('/')
        .unwrap_or_else(|| panic!("{text:?} is not a CIDR"));
    let prefix: u32 = prefix.parse().expect("a prefix length");
    let network = ipv4(network);
    assert_eq!(
        u32::from(network) & !(u32::MAX << (32 - prefix)),
        0,
        "{text}"
    );
    (network, prefix)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_600_node_cluster_has_valid_unique_addresses() {
    let shape = ClusterShape {
        nodes: 600,
        pods: 3000,
        ..ClusterShape::default()
    };
    let sim = kscope::sim::start("127.0.0.1:0".parse().expect("an address"), shape)
        .await
        .expect("the simulator starts");
    let client = sim.client().expect("a client");
    let nodes = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await
        .expect("nodes");
    assert_eq!(nodes.items.len(), 600);
    let mut internal_ips = HashSet::new();
    let mut pod_cidrs = HashSet::new();
    let mut by_node = HashMap::new();
    for node in &nodes.items {
        let name = node.metadata.name.clone().expect("a name");
        let addresses = node.status.as_ref().and_then(|s| s.addresses.as_ref());
        let internal = addresses
            .into_iter()
            .flatten()
            .find(|a| a.type_ == "InternalIP")
            .expect("an InternalIP");
        assert!(
            internal_ips.insert(ipv4(&internal.address)),
            "{name}: duplicate InternalIP"
        );
        let spec = node.spec.as_ref().expect("a spec");
        let pod_cidr = spec.pod_cidr.clone().expect("a podCIDR");
        assert_eq!(spec.pod_cidrs.as_deref(), Some(&[pod_cidr.clone()][..]));
        let block = cidr(&pod_cidr);
        assert_eq!(block.1, 24, "{pod_cidr}");
        assert!(
            pod_cidrs.insert(block.0),
            "{name}: duplicate podCIDR {pod_cidr}"
        );
        by_node.insert(name, (ipv4(&internal.address), block));
    }
    let pods = Api::<Pod>::all(client)
        .list(&ListParams::default())
        .await
        .expect("pods");
    assert!(pods.items.len() >= 3000, "{}", pods.items.len());
    let mut pod_ips = HashSet::new();
    let mut placed = 0;
    for pod in &pods.items {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let spec = pod.spec.as_ref().expect("a spec");
        let Some(node) = spec.node_name.as_ref() else {
            continue;
        };
        let (host, (network, _)) = by_node[node];
        let Some(status) = pod.status.as_ref() else {
            continue;
        };
        if let Some(host_ip) = &status.host_ip {
            assert_eq!(ipv4(host_ip), host, "{name} on {node}");
            let host_ips: Vec<&str> = status
                .host_ips
                .iter()
                .flatten()
                .map(|h| h.ip.as_str())
                .collect();
            assert_eq!(host_ips, [host_ip.as_str()], "{name}");
        }
        let Some(pod_ip) = &status.pod_ip else {
            continue;
        };
        let ip = ipv4(pod_ip);
        let pod_ips_listed: Vec<&str> = status
            .pod_ips
            .iter()
            .flatten()
            .map(|p| p.ip.as_str())
            .collect();
        assert_eq!(pod_ips_listed, [pod_ip.as_str()], "{name}");
        if spec.host_network == Some(true) {
            assert_eq!(
                ip, host,
                "{name}: a host-network pod has its node's address"
            );
            continue;
        }
        assert_eq!(
            u32::from(ip) & (u32::MAX << 8),
            u32::from(network),
            "{name}: {ip} outside {node}'s {network}/24"
        );
        assert!(pod_ips.insert(ip), "{name}: duplicate pod IP {ip}");
        placed += 1;
    }
    assert!(placed >= 3000, "{placed} pods with a pod IP");
    sim.stop().await;
}
