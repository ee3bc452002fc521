//! Addresses as a cluster's network hands them out: node InternalIPs from the nodes' subnet,
//! one /24 per node from a cluster CIDR wide enough for every node (kube-controller-manager's
//! range allocator, `--cluster-cidr` with `--node-cidr-mask-size=24`), and pod IPs from their
//! node's /24 in turn (the host-local IPAM plugin: the next free address after the last one
//! handed out, skipping the network, gateway and broadcast addresses).

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Mutex;

use serde_json::Value;

use crate::sim::pointer::Pointer;

/// The nodes' subnet, 10.0.0.0/16; the first node is 10.0.1.10.
const FIRST_NODE: u32 = u32::from_be_bytes([10, 0, 1, 10]);
/// The pod network of a cluster of up to 256 nodes (kubeadm's and flannel's usual default).
const DEFAULT_CLUSTER_CIDR: u32 = u32::from_be_bytes([10, 244, 0, 0]);
/// The widest cluster CIDR handed out: 10.128.0.0/9, which leaves 10.0.0.0/16 to the nodes
/// and 10.96.0.0/12 to Services.
const WIDEST_PREFIX: u32 = 9;
/// The most nodes the addressing plan has room for: one /24 each in the widest cluster CIDR.
pub const MAX_NODES: usize = 1 << (24 - WIDEST_PREFIX);

/// The cluster CIDR for `nodes` nodes: 10.244.0.0/16 up to 256 nodes, beyond that the
/// narrowest block around 10.244.0.0 with a /24 for each node.
pub fn cluster_cidr(nodes: usize) -> (Ipv4Addr, u32) {
    let bits = nodes.max(1).next_power_of_two().trailing_zeros().max(8);
    let prefix = 24u32.saturating_sub(bits).max(WIDEST_PREFIX);
    let mask = u32::MAX << (32 - prefix);
    (Ipv4Addr::from(DEFAULT_CLUSTER_CIDR & mask), prefix)
}

/// The `index`th node's pod CIDR (a /24) in `cluster`.
pub fn node_pod_cidr(cluster: (Ipv4Addr, u32), index: usize) -> String {
    let network = Ipv4Addr::from(u32::from(cluster.0) + ((index as u32) << 8));
    format!("{network}/24")
}

/// The `index`th node's InternalIP.
pub fn node_internal_ip(index: usize) -> Ipv4Addr {
    Ipv4Addr::from(FIRST_NODE + index as u32)
}

/// A node's InternalIP as its status reports it.
pub fn internal_ip_of(node: &Value) -> Option<&str> {
    node.at("/status/addresses")
        .and_then(Value::as_array)?
        .iter()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
}

/// The network address of a node's pod CIDR (`spec.podCIDR`).
fn pod_network_of(node: &Value) -> Option<u32> {
    let cidr = node.at("/spec/podCIDR").and_then(Value::as_str)?;
    let (network, _) = cidr.split_once('/')?;
    network.parse::<Ipv4Addr>().ok().map(u32::from)
}

/// The hosts of a /24 that host-local hands to pods: .2 to .254 (.1 is the bridge's).
const FIRST_HOST: u32 = 2;
const LAST_HOST: u32 = 254;
const HOSTS: u32 = LAST_HOST - FIRST_HOST + 1;

/// Each node's handed-out pod addresses.
#[derive(Default)]
pub struct PodAddresses {
    nodes: Mutex<HashMap<String, NodeAddresses>>,
}

#[derive(Default)]
struct NodeAddresses {
    /// Where the search for a free address starts, the one after the last handed out (as
    /// an offset from the first host).
    next: u32,
    /// Host part → the pod holding it (namespace, name, uid).
    held: HashMap<u32, (String, String, String)>,
}

impl PodAddresses {
    /// A pod IP for `pod` on `node`: the host's own address for a `hostNetwork` pod, else the
    /// next free address of the node's pod CIDR. `alive(namespace, name, uid)` says whether an
    /// earlier holder still exists; a node whose every address is held by live pods reuses
    /// the next one, as nothing else is left.
    pub fn assign(
        &self,
        node_name: &str,
        node: &Value,
        pod: &Value,
        alive: impl Fn(&str, &str, &str) -> bool,
    ) -> Option<String> {
        if pod.at("/spec/hostNetwork").and_then(Value::as_bool) == Some(true) {
            return internal_ip_of(node).map(str::to_string);
        }
        let network = pod_network_of(node)?;
        let text = |field: &str| {
            pod.at(&format!("/metadata/{field}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let holder = (text("namespace"), text("name"), text("uid"));
        let mut nodes = self.nodes.lock().unwrap_or_else(|p| p.into_inner());
        let addresses = nodes.entry(node_name.to_string()).or_default();
        let candidate = |step: u32| FIRST_HOST + (addresses.next + step) % HOSTS;
        let host = (0..HOSTS)
            .map(candidate)
            .find(|host| match addresses.held.get(host) {
                None => true,
                Some((namespace, name, uid)) => !alive(namespace, name, uid),
            })
            .unwrap_or_else(|| candidate(0));
        addresses.next = (host - FIRST_HOST + 1) % HOSTS;
        addresses.held.insert(host, holder);
        Some(Ipv4Addr::from(network + host).to_string())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn small_clusters_keep_the_usual_pod_network() {
        let cluster = cluster_cidr(6);
        assert_eq!(cluster, (Ipv4Addr::new(10, 244, 0, 0), 16));
        assert_eq!(node_pod_cidr(cluster, 3), "10.244.3.0/24");
        assert_eq!(node_internal_ip(0), Ipv4Addr::new(10, 0, 1, 10));
        assert_eq!(cluster_cidr(256).1, 16);
    }

    #[test]
    fn big_clusters_get_a_wider_pod_network_with_room_for_every_node() {
        for nodes in [257, 500, 1024, 5000, MAX_NODES] {
            let (network, prefix) = cluster_cidr(nodes);
            assert!(1usize << (24 - prefix) >= nodes, "{nodes}: /{prefix}");
            let last = node_pod_cidr((network, prefix), nodes - 1);
            let (last, _) = last.split_once('/').expect("a CIDR");
            let last = u32::from(last.parse::<Ipv4Addr>().expect("IPv4"));
            let mask = u32::MAX << (32 - prefix);
            assert_eq!(
                last & mask,
                u32::from(network),
                "{nodes}: {network}/{prefix}"
            );
        }
        assert_eq!(cluster_cidr(500), (Ipv4Addr::new(10, 244, 0, 0), 15));
        assert_eq!(cluster_cidr(5000), (Ipv4Addr::new(10, 224, 0, 0), 11));
        assert_eq!(cluster_cidr(MAX_NODES), (Ipv4Addr::new(10, 128, 0, 0), 9));
        assert_eq!(
            node_internal_ip(MAX_NODES - 1),
            Ipv4Addr::new(10, 0, 129, 9)
        );
    }

    #[test]
    fn pods_get_the_next_free_address_of_their_node() {
        let addresses = PodAddresses::default();
        let node = json!({"spec": {"podCIDR": "10.244.7.0/24"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.1.17"}]}});
        let pod = |name: &str| json!({"metadata": {"namespace": "a", "name": name, "uid": name}});
        let alive_except = |gone: &'static str| move |_: &str, name: &str, _: &str| name != gone;
        let first = addresses.assign("n", &node, &pod("p0"), alive_except(""));
        assert_eq!(first.as_deref(), Some("10.244.7.2"));
        let mut seen = std::collections::HashSet::new();
        for i in 1..HOSTS {
            let ip = addresses
                .assign("n", &node, &pod(&format!("p{i}")), alive_except(""))
                .expect("an address");
            assert!(seen.insert(ip));
        }
        assert!(!seen.contains("10.244.7.2"));
        assert!(seen.contains("10.244.7.254"));
        // Every address is held; once p5 is gone, its address is the one left.
        let freed = addresses.assign("n", &node, &pod("q"), alive_except("p5"));
        assert_eq!(freed.as_deref(), Some("10.244.7.7"));
        let next = addresses.assign("n", &node, &pod("r"), alive_except(""));
        assert_eq!(
            next.as_deref(),
            Some("10.244.7.8"),
            "nothing is free: the next is reused"
        );
        let hostnet = json!({"metadata": {"name": "h"}, "spec": {"hostNetwork": true}});
        let host = addresses.assign("n", &node, &hostnet, alive_except(""));
        assert_eq!(host.as_deref(), Some("10.0.1.17"));
    }
}
