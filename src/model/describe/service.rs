//! kubectl's Service describer, with the endpoints behind each port.
//!
//! kubectl reads endpoints from the Service's EndpointSlices (labelled
//! `kubernetes.io/service-name`); older versions read its Endpoints object. Either may be among
//! the related objects; slices win when both are.

use serde_json::Value;

use super::metadata::{annotations_multiline, labels_multiline, name_and_namespace};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::{format_labels, join_host_port};

/// The label that ties an EndpointSlice to its Service.
const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// kubectl shows at most this many endpoints per port, then `+ N more...`.
const MAX_ENDPOINTS_SHOWN: usize = 3;

pub(super) fn describe_service(service: Raw<'_>, related: &[&Value], w: &mut DescribeWriter) {
    let metadata = service.at("metadata");
    let spec = service.at("spec");
    name_and_namespace(w, metadata);
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(
        w,
        0,
        "Selector:\t{}\n",
        format_labels(&spec.at("selector").string_map())
    );
    put!(w, 0, "Type:\t{}\n", spec.at("type").str());
    if let Some(policy) = spec.at("ipFamilyPolicy").opt_str() {
        put!(w, 0, "IP Family Policy:\t{policy}\n");
    }
    put!(
        w,
        0,
        "IP Families:\t{}\n",
        joined_or_none(spec.at("ipFamilies"))
    );
    put!(w, 0, "IP:\t{}\n", spec.at("clusterIP").str());
    put!(w, 0, "IPs:\t{}\n", joined_or_none(spec.at("clusterIPs")));
    if !spec.at("externalIPs").is_empty() {
        put!(w, 0, "External IPs:\t{}\n", joined(spec.at("externalIPs")));
    }
    let load_balancer_ip = spec.at("loadBalancerIP").str();
    if !load_balancer_ip.is_empty() {
        put!(w, 0, "Desired LoadBalancer IP:\t{load_balancer_ip}\n");
    }
    let external_name = spec.at("externalName").str();
    if !external_name.is_empty() {
        put!(w, 0, "External Name:\t{external_name}\n");
    }
    let ingress = service.at("status").at("loadBalancer").at("ingress");
    if !ingress.is_empty() {
        put!(w, 0, "LoadBalancer Ingress:\t{}\n", ingress_text(ingress));
    }
    let endpoints = Endpoints::of(service, related);
    for port in spec.at("ports").items() {
        let protocol = port.at("protocol").str();
        let name = match port.at("name").str() {
            "" => "<unset>",
            name => name,
        };
        put!(
            w,
            0,
            "Port:\t{name}\t{}/{protocol}\n",
            port.at("port").int()
        );
        // A zero IntOrString (absent) is the integer 0.
        let target = port
            .at("targetPort")
            .int_or_string()
            .unwrap_or_else(|| "0".to_string());
        put!(w, 0, "TargetPort:\t{target}/{protocol}\n");
        if let Some(app_protocol) = port.at("appProtocol").opt_str() {
            put!(w, 0, "AppProtocol:\t{app_protocol}\n");
        }
        let node_port = port.at("nodePort").int();
        if node_port != 0 {
            put!(w, 0, "NodePort:\t{name}\t{node_port}/{protocol}\n");
        }
        put!(
            w,
            0,
            "Endpoints:\t{}\n",
            endpoints.for_port(port.at("name").str())
        );
    }
    put!(
        w,
        0,
        "Session Affinity:\t{}\n",
        spec.at("sessionAffinity").str()
    );
    let external_policy = spec.at("externalTrafficPolicy").str();
    if !external_policy.is_empty() {
        put!(w, 0, "External Traffic Policy:\t{external_policy}\n");
    }
    if let Some(internal_policy) = spec.at("internalTrafficPolicy").opt_str() {
        put!(w, 0, "Internal Traffic Policy:\t{internal_policy}\n");
    }
    let health_check_node_port = spec.at("healthCheckNodePort").int();
    if health_check_node_port != 0 {
        put!(w, 0, "HealthCheck NodePort:\t{health_check_node_port}\n");
    }
    if !spec.at("loadBalancerSourceRanges").is_empty() {
        put!(
            w,
            0,
            "LoadBalancer Source Ranges:\t{}\n",
            joined(spec.at("loadBalancerSourceRanges"))
        );
    }
    if let Some(distribution) = spec.at("trafficDistribution").opt_str() {
        put!(w, 0, "Traffic Distribution:\t{distribution}\n");
    }
}

fn joined(list: Raw<'_>) -> String {
    list.items().map(Raw::str).collect::<Vec<_>>().join(",")
}

fn joined_or_none(list: Raw<'_>) -> String {
    if list.is_empty() {
        "<none>".to_string()
    } else {
        joined(list)
    }
}

/// kubectl's `buildIngressString`: IPs (with their mode) or hostnames.
fn ingress_text(ingress: Raw<'_>) -> String {
    ingress
        .items()
        .map(|entry| match entry.at("ip").str() {
            "" => entry.at("hostname").str().to_string(),
            ip => match entry.at("ipMode").opt_str() {
                Some(mode) => format!("{ip} ({mode})"),
                None => ip.to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a Service's endpoints come from.
enum Endpoints<'a> {
    Slices(Vec<Raw<'a>>),
    Legacy(Raw<'a>),
    Unknown,
}

impl<'a> Endpoints<'a> {
    fn of(service: Raw<'a>, related: &'a [&'a Value]) -> Self {
        let metadata = service.at("metadata");
        let (name, namespace) = (metadata.at("name").str(), metadata.at("namespace").str());
        let in_namespace = |object: &Raw<'_>| {
            let object_namespace = object.at("metadata").at("namespace").str();
            object_namespace.is_empty() || namespace.is_empty() || object_namespace == namespace
        };
        let related = related.iter().map(|value| Raw::new(value));
        let slices: Vec<Raw<'a>> = related
            .clone()
            .filter(|object| {
                object.at("kind").str() == "EndpointSlice"
                    && in_namespace(object)
                    && object
                        .at("metadata")
                        .at("labels")
                        .at(SERVICE_NAME_LABEL)
                        .str()
                        == name
            })
            .collect();
        if !slices.is_empty() {
            return Endpoints::Slices(slices);
        }
        related
            .filter(|object| {
                object.at("kind").str() == "Endpoints"
                    && in_namespace(object)
                    && object.at("metadata").at("name").str() == name
            })
            .map(Endpoints::Legacy)
            .next()
            .unwrap_or(Endpoints::Unknown)
    }

    /// The ready endpoints serving the port named `port_name`, as `ip:port` (kubectl's
    /// `formatEndpointSlices` / `formatEndpoints`): `<none>` when there is nothing to list from,
    /// empty when nothing is ready.
    fn for_port(&self, port_name: &str) -> String {
        // Each candidate: its address (ip, or ip:port) and whether it is ready.
        let mut candidates: Vec<(String, bool)> = Vec::new();
        match self {
            Endpoints::Unknown => return "<none>".to_string(),
            Endpoints::Slices(slices) => {
                for slice in slices {
                    // A nil readiness is unknown, which consumers should read as ready.
                    let endpoints = || {
                        slice.at("endpoints").items().filter_map(|endpoint| {
                            let address = endpoint.at("addresses").items().next()?.str();
                            let ready = endpoint.at("conditions").at("ready").opt_bool();
                            Some((address, ready != Some(false)))
                        })
                    };
                    if slice.at("ports").is_empty() {
                        // A headless Service may have no ports.
                        candidates.extend(endpoints().map(|(a, ready)| (a.to_string(), ready)));
                        continue;
                    }
                    for port in slice.at("ports").items() {
                        if port.at("name").str() == port_name {
                            let number = port.at("port").int().to_string();
                            candidates.extend(
                                endpoints().map(|(a, ready)| (join_host_port(a, &number), ready)),
                            );
                        }
                    }
                }
            }
            Endpoints::Legacy(endpoints) => {
                let subsets: Vec<Raw<'_>> = endpoints.at("subsets").items().collect();
                if subsets.is_empty() {
                    return "<none>".to_string();
                }
                for subset in subsets {
                    let addresses = || subset.at("addresses").items().map(|a| a.at("ip").str());
                    if subset.at("ports").is_empty() {
                        candidates.extend(addresses().map(|a| (a.to_string(), true)));
                        continue;
                    }
                    for port in subset.at("ports").items() {
                        if port.at("name").str() == port_name {
                            let number = port.at("port").int().to_string();
                            candidates
                                .extend(addresses().map(|a| (join_host_port(a, &number), true)));
                        }
                    }
                }
            }
        }
        let mut shown: Vec<String> = Vec::new();
        let (mut more, mut count) = (false, 0);
        for (address, ready) in candidates {
            // As kubectl, the list counts as full once it holds the maximum, even if no further
            // endpoint is ready.
            if shown.len() == MAX_ENDPOINTS_SHOWN {
                more = true;
            }
            if !ready {
                continue;
            }
            if !more {
                shown.push(address);
            }
            count += 1;
        }
        let text = shown.join(",");
        if more {
            format!("{text} + {} more...", count - MAX_ENDPOINTS_SHOWN)
        } else {
            text
        }
    }
}
