//! Rows of Services, Endpoints, Ingresses, IngressClasses and NetworkPolicies
//! (`printService`, `printEndpoints`, `printIngress`, `printIngressClass`,
//! `printNetworkPolicy`).

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::labels::format_labels;
use super::{Options, Row, age_of, name_of};

/// How many bytes of load-balancer addresses a narrow (non-wide) table shows.
const LOAD_BALANCER_WIDTH: usize = 16;

/// How many endpoints the ENDPOINTS cell lists before `+ N more...`.
const MAX_ENDPOINTS: usize = 3;

/// NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE; wide: SELECTOR.
pub(super) fn service(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let spec = o.get("spec");
    // Upstream reads clusterIPs[0]; a v1 object that only sets the older clusterIP (the API
    // server always keeps both) shows that one.
    let cluster_ip = spec
        .get("clusterIPs")
        .items()
        .next()
        .map(Field::str)
        .or_else(|| spec.get("clusterIP").opt_str().filter(|ip| !ip.is_empty()))
        .unwrap_or("<none>");
    let ports = port_string(spec.get("ports"));
    let mut cells: Vec<Value> = vec![
        name_of(o),
        spec.get("type").str().into(),
        cluster_ip.into(),
        external_ip(o, options.wide).into(),
        if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports
        }
        .into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.push(format_labels(spec.get("selector")).into());
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// `getServiceExternalIP`.
fn external_ip(o: Field<'_>, wide: bool) -> String {
    let spec = o.get("spec");
    let external_ips = spec.get("externalIPs").strings();
    match spec.get("type").str() {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_addresses(o.at(&["status", "loadBalancer", "ingress"]), wide);
            if !external_ips.is_empty() {
                let mut all: Vec<&str> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(','));
                }
                all.extend(external_ips);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => spec.get("externalName").str().to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// `loadBalancerStatusStringer`: each ingress's IP, else its hostname, sorted and
/// deduplicated; a narrow table clips the list to 16 bytes.
fn load_balancer_addresses(ingress: Field<'_>, wide: bool) -> String {
    let addresses: BTreeSet<&str> = ingress
        .items()
        .filter_map(|entry| {
            [entry.get("ip").str(), entry.get("hostname").str()]
                .into_iter()
                .find(|a| !a.is_empty())
        })
        .collect();
    let joined = addresses.into_iter().collect::<Vec<_>>().join(",");
    if !wide && joined.len() > LOAD_BALANCER_WIDTH {
        let mut cut = LOAD_BALANCER_WIDTH - 3;
        // Go slices bytes; stay on a character boundary so a non-ASCII hostname cannot panic.
        while !joined.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &joined[..cut])
    } else {
        joined
    }
}

/// `makePortString`: `port/protocol`, or `port:nodePort/protocol` when a node port is set.
fn port_string(ports: Field<'_>) -> String {
    ports
        .items()
        .map(|port| {
            let number = port.get("port").int();
            let protocol = port.get("protocol").str();
            let node_port = port.get("nodePort").int();
            if node_port > 0 {
                format!("{number}:{node_port}/{protocol}")
            } else {
                format!("{number}/{protocol}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// NAME, ENDPOINTS, AGE.
pub(super) fn endpoints(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    Row {
        cells: vec![
            name_of(o),
            format_endpoints(o.get("subsets")).into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}

/// `formatEndpoints` with all ports: up to three `ip:port` (or bare IPs for a subset without
/// ports), then `+ N more...`; `<none>` without subsets.
fn format_endpoints(subsets: Field<'_>) -> String {
    if subsets.len() == 0 {
        return "<none>".to_string();
    }
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for subset in subsets.items() {
        let addresses: Vec<&str> = subset
            .get("addresses")
            .items()
            .map(|a| a.get("ip").str())
            .collect();
        if subset.get("ports").len() == 0 {
            // Headless services may have no ports.
            count += addresses.len();
            for ip in &addresses {
                if list.len() == MAX_ENDPOINTS {
                    more = true;
                    break;
                }
                list.push(ip.to_string());
            }
            continue;
        }
        for port in subset.get("ports").items() {
            count += addresses.len();
            for ip in &addresses {
                if list.len() == MAX_ENDPOINTS {
                    more = true;
                    break;
                }
                list.push(join_host_port(ip, port.get("port").int()));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count.saturating_sub(MAX_ENDPOINTS))
    } else {
        joined
    }
}

/// `net.JoinHostPort`: IPv6 addresses are bracketed.
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// How many hosts the HOSTS cell names before `+ N more...`.
const MAX_HOSTS: usize = 4;

/// NAME, CLASS (`spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation,
/// else `<none>`), HOSTS (`*` for a rule without one), ADDRESS (the load balancer's IPs and
/// host names), PORTS (`80`, `80, 443` with TLS), AGE.
pub(super) fn ingress(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let spec = o.get("spec");
    let class = spec
        .get("ingressClassName")
        .opt_str()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            o.at(&["metadata", "annotations", "kubernetes.io/ingress.class"])
                .opt_str()
        })
        .unwrap_or("<none>");
    let hosts: Vec<&str> = spec
        .get("rules")
        .items()
        .map(|rule| match rule.get("host").str() {
            "" => "*",
            host => host,
        })
        .collect();
    let hosts = if hosts.is_empty() {
        "*".to_string()
    } else if hosts.len() > MAX_HOSTS {
        format!(
            "{} + {} more...",
            hosts[..MAX_HOSTS].join(","),
            hosts.len() - MAX_HOSTS
        )
    } else {
        hosts.join(",")
    };
    let addresses: Vec<&str> = o
        .at(&["status", "loadBalancer", "ingress"])
        .items()
        .filter_map(|i| {
            i.get("ip")
                .opt_str()
                .filter(|s| !s.is_empty())
                .or_else(|| i.get("hostname").opt_str())
        })
        .collect();
    let ports = if spec.get("tls").len() > 0 {
        "80, 443"
    } else {
        "80"
    };
    Row {
        cells: vec![
            name_of(o),
            class.into(),
            hosts.into(),
            addresses.join(",").into(),
            ports.into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}

/// NAME, CONTROLLER, PARAMETERS (`Kind/name`, with its API group first when it has one, or
/// `<none>`), AGE.
pub(super) fn ingress_class(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let parameters = o.at(&["spec", "parameters"]);
    let parameters = match parameters.object() {
        Some(_) => {
            let kind_name = format!(
                "{}/{}",
                parameters.get("kind").str(),
                parameters.get("name").str()
            );
            match parameters.get("apiGroup").opt_str() {
                Some(group) if !group.is_empty() => format!("{group}/{kind_name}"),
                _ => kind_name,
            }
        }
        None => "<none>".to_string(),
    };
    Row {
        cells: vec![
            name_of(o),
            o.at(&["spec", "controller"]).str().into(),
            parameters.into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}

/// NAME, POD-SELECTOR (`<none>` for one that selects every pod), AGE.
pub(super) fn network_policy(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    Row {
        cells: vec![
            name_of(o),
            super::labels::format_label_selector(o.at(&["spec", "podSelector"])).into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}

/// How many addresses the ENDPOINTS cell of an EndpointSlice lists before `+ N more...`.
const MAX_SLICE_ADDRESSES: usize = 3;

/// NAME, ADDRESSTYPE, PORTS (`<unset>` without any), ENDPOINTS (the first three addresses,
/// `<unset>` without any), AGE.
pub(super) fn endpoint_slice(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let ports: Vec<String> = o
        .get("ports")
        .items()
        .map(|p| match p.get("port").opt_int() {
            Some(port) => port.to_string(),
            None => "<unset>".to_string(),
        })
        .collect();
    let addresses: Vec<&str> = o
        .get("endpoints")
        .items()
        .flat_map(|e| e.get("addresses").strings())
        .collect();
    let endpoints = if addresses.is_empty() {
        "<unset>".to_string()
    } else if addresses.len() > MAX_SLICE_ADDRESSES {
        format!(
            "{} + {} more...",
            addresses[..MAX_SLICE_ADDRESSES].join(","),
            addresses.len() - MAX_SLICE_ADDRESSES
        )
    } else {
        addresses.join(",")
    };
    Row {
        cells: vec![
            name_of(o),
            o.get("addressType").str().into(),
            if ports.is_empty() {
                "<unset>".to_string()
            } else {
                ports.join(",")
            }
            .into(),
            endpoints.into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}
