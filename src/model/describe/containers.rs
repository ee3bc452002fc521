//! kubectl's `describeContainers`, shared by pods and pod templates: each container's image,
//! ports, command, state (a pod's), resources, probes, environment and mounts.

use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::{
    go_quote, go_string_slice, join_host_port, print_bool, rfc1123z, string_or_none,
};
use crate::model::quantity::Quantity;

/// What a pod adds to the description of its containers: their statuses (state, readiness,
/// restarts) and itself, from which field references in the environment take their values. A
/// template has neither.
#[derive(Clone, Copy, Default)]
pub(super) struct ContainerContext<'a> {
    pub(super) statuses: Option<Raw<'a>>,
    pub(super) pod: Option<Raw<'a>>,
}

/// kubectl's `describeContainers`: `Label:` then each container; `space` is the indent of a
/// template's section (`"  "`), under which names are indented one more space.
pub(super) fn describe_containers(
    w: &mut DescribeWriter,
    label: &str,
    containers: Raw<'_>,
    context: ContainerContext<'_>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    put!(w, 0, "{space}{label}:{none}\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for container in containers.items() {
        let name = container.at("name").str();
        // Go fills a map from the statuses, so a repeated name takes the last.
        let status = context.statuses.and_then(|statuses| {
            statuses
                .items()
                .filter(|status| status.at("name").str() == name)
                .last()
        });
        put!(w, 1, "{name_indent}{name}:\n");
        if let Some(status) = status {
            put!(w, 2, "Container ID:\t{}\n", status.at("containerID").str());
        }
        put!(w, 2, "Image:\t{}\n", container.at("image").str());
        if let Some(status) = status {
            put!(w, 2, "Image ID:\t{}\n", status.at("imageID").str());
        }
        ports(w, container.at("ports"));
        seccomp_profile(w, container.at("securityContext").at("seccompProfile"));
        command(w, container);
        if let Some(status) = status {
            container_state(w, status);
        }
        resources(w, container.at("resources"), 2);
        probes(w, container);
        if !container.at("envFrom").is_empty() {
            environment_from(w, container.at("envFrom"));
        }
        environment(w, container, context.pod);
        mounts(w, container);
    }
}

/// kubectl's `describeContainerState`: the state, the last one if it terminated, readiness and
/// restarts.
fn container_state(w: &mut DescribeWriter, status: Raw<'_>) {
    state(w, "State", status.at("state"));
    if status.at("lastState").at("terminated").exists() {
        state(w, "Last State", status.at("lastState"));
    }
    put!(w, 2, "Ready:\t{}\n", print_bool(status.at("ready").bool()));
    put!(
        w,
        2,
        "Restart Count:\t{}\n",
        status.at("restartCount").int()
    );
}

/// kubectl's `describeStatus`: a state with no field set reads as waiting.
fn state(w: &mut DescribeWriter, title: &str, state: Raw<'_>) {
    let running = state.at("running");
    let waiting = state.at("waiting");
    let terminated = state.at("terminated");
    if running.exists() {
        put!(w, 2, "{title}:\tRunning\n");
        put!(
            w,
            3,
            "Started:\t{}\n",
            rfc1123z(running.at("startedAt").time())
        );
    } else if waiting.exists() {
        put!(w, 2, "{title}:\tWaiting\n");
        let reason = waiting.at("reason").str();
        if !reason.is_empty() {
            put!(w, 3, "Reason:\t{reason}\n");
        }
    } else if terminated.exists() {
        put!(w, 2, "{title}:\tTerminated\n");
        let reason = terminated.at("reason").str();
        if !reason.is_empty() {
            put!(w, 3, "Reason:\t{reason}\n");
        }
        let message = terminated.at("message").str();
        if !message.is_empty() {
            put!(w, 3, "Message:\t{message}\n");
        }
        put!(w, 3, "Exit Code:\t{}\n", terminated.at("exitCode").int());
        let signal = terminated.at("signal").int();
        if signal > 0 {
            put!(w, 3, "Signal:\t{signal}\n");
        }
        put!(
            w,
            3,
            "Started:\t{}\n",
            rfc1123z(terminated.at("startedAt").time())
        );
        put!(
            w,
            3,
            "Finished:\t{}\n",
            rfc1123z(terminated.at("finishedAt").time())
        );
    } else {
        put!(w, 2, "{title}:\tWaiting\n");
    }
}

/// `Port:`/`Ports:` and `Host Port:`/`Host Ports:`: plural only when there are several.
fn ports(w: &mut DescribeWriter, ports: Raw<'_>) {
    let describe = |number_field: &str| {
        ports
            .items()
            .map(|port| {
                let text = format!(
                    "{}/{}",
                    port.at(number_field).int(),
                    port.at("protocol").str()
                );
                match port.at("name").str() {
                    "" => text,
                    name => format!("{text} ({name})"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (singular, plural, text) in [
        ("Port", "Ports", describe("containerPort")),
        ("Host Port", "Host Ports", describe("hostPort")),
    ] {
        if text.contains(',') {
            put!(w, 2, "{plural}:\t{text}\n");
        } else {
            put!(w, 2, "{singular}:\t{}\n", string_or_none(&text));
        }
    }
}

fn seccomp_profile(w: &mut DescribeWriter, profile: Raw<'_>) {
    if !profile.exists() {
        return;
    }
    let kind = profile.at("type").str();
    put!(w, 2, "SeccompProfile:\t{kind}\n");
    if kind == "Localhost" {
        put!(
            w,
            3,
            "LocalhostProfile:\t{}\n",
            profile.at("localhostProfile").str()
        );
    }
}

/// `Command:` and `Args:`, one line per line of each argument.
fn command(w: &mut DescribeWriter, container: Raw<'_>) {
    for (title, field) in [("Command", "command"), ("Args", "args")] {
        if container.at(field).is_empty() {
            continue;
        }
        put!(w, 2, "{title}:\n");
        for argument in container.at(field).items() {
            for line in argument.str().split('\n') {
                put!(w, 3, "{line}\n");
            }
        }
    }
}

/// kubectl's `describeResources`: `Limits:` and `Requests:`, resources sorted by name.
pub(super) fn resources(w: &mut DescribeWriter, resources: Raw<'_>, level: usize) {
    for (title, field) in [("Limits", "limits"), ("Requests", "requests")] {
        let values = resources.at(field).entries();
        if !values.is_empty() {
            put!(w, level, "{title}:\n");
        }
        for (name, quantity) in values {
            put!(w, level + 1, "{name}:\t{}\n", quantity_text(quantity));
        }
    }
}

fn probes(w: &mut DescribeWriter, container: Raw<'_>) {
    for (title, field) in [
        ("Liveness", "livenessProbe"),
        ("Readiness", "readinessProbe"),
        ("Startup", "startupProbe"),
    ] {
        let probe = container.at(field);
        if probe.exists() {
            put!(w, 2, "{title}:\t{}\n", describe_probe(probe));
        }
    }
}

/// kubectl's `DescribeProbe`: the action, then delay, timeout, period and thresholds.
fn describe_probe(probe: Raw<'_>) -> String {
    let attributes = format!(
        "delay={}s timeout={}s period={}s successThreshold={} failureThreshold={}",
        probe.at("initialDelaySeconds").int(),
        probe.at("timeoutSeconds").int(),
        probe.at("periodSeconds").int(),
        probe.at("successThreshold").int(),
        probe.at("failureThreshold").int()
    );
    let exec = probe.at("exec");
    let http_get = probe.at("httpGet");
    let tcp_socket = probe.at("tcpSocket");
    let grpc = probe.at("grpc");
    if exec.exists() {
        let command = go_string_slice(exec.at("command").items().map(Raw::str));
        format!("exec {command} {attributes}")
    } else if http_get.exists() {
        format!("http-get {} {attributes}", http_get_url(http_get))
    } else if tcp_socket.exists() {
        format!(
            "tcp-socket {}:{} {attributes}",
            tcp_socket.at("host").str(),
            tcp_socket.at("port").int_or_string().unwrap_or_default()
        )
    } else if grpc.exists() {
        format!(
            "grpc <pod>:{} {} {attributes}",
            grpc.at("port").int(),
            grpc.at("service").str()
        )
    } else {
        format!("unknown {attributes}")
    }
}

/// The URL kubectl builds for an HTTP probe (Go's `url.URL.String()`): scheme in lower case,
/// `host:port` (an empty host gives `http://:8080/path`).
fn http_get_url(http_get: Raw<'_>) -> String {
    let scheme = http_get.at("scheme").str().to_lowercase();
    let host = http_get.at("host").str();
    let port = http_get.at("port").int_or_string().unwrap_or_default();
    let host = if port.is_empty() {
        host.to_string()
    } else {
        join_host_port(host, &port)
    };
    let path = http_get.at("path").str();
    let mut url = String::new();
    if !scheme.is_empty() {
        url.push_str(&scheme);
        url.push(':');
    }
    if !host.is_empty() || !path.is_empty() {
        url.push_str("//");
    }
    url.push_str(&host);
    if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
        url.push('/');
    }
    url.push_str(path);
    url
}

/// kubectl's `describeContainerEnvFrom`.
fn environment_from(w: &mut DescribeWriter, sources: Raw<'_>) {
    w.write(2, "Environment Variables from:\n");
    for source in sources.items() {
        let (from, reference) = if source.at("configMapRef").exists() {
            ("ConfigMap", source.at("configMapRef"))
        } else if source.at("secretRef").exists() {
            ("Secret", source.at("secretRef"))
        } else {
            ("", Raw::default())
        };
        let name = reference.at("name").str();
        let optional = reference.at("optional").bool();
        match source.at("prefix").str() {
            "" => put!(w, 3, "{name}\t{from}\tOptional: {optional}\n"),
            prefix => put!(
                w,
                3,
                "{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"
            ),
        }
    }
}

/// kubectl's `describeContainerEnvVars`. Values from secrets and config maps are named, never
/// read; a field reference takes its value from the pod (a template has none).
fn environment(w: &mut DescribeWriter, container: Raw<'_>, pod: Option<Raw<'_>>) {
    let variables = container.at("env");
    let none = if variables.is_empty() { "\t<none>" } else { "" };
    put!(w, 2, "Environment:{none}\n");
    for variable in variables.items() {
        let name = variable.at("name").str();
        let value_from = variable.at("valueFrom");
        if !value_from.exists() {
            for (index, line) in variable.at("value").str().split('\n').enumerate() {
                if index == 0 {
                    put!(w, 3, "{name}:\t{line}\n");
                } else {
                    put!(w, 3, "\t{line}\n");
                }
            }
            continue;
        }
        let field_ref = value_from.at("fieldRef");
        let resource_field_ref = value_from.at("resourceFieldRef");
        let secret_key_ref = value_from.at("secretKeyRef");
        let config_map_key_ref = value_from.at("configMapKeyRef");
        if field_ref.exists() {
            let api_version = field_ref.at("apiVersion").str();
            let field_path = field_ref.at("fieldPath").str();
            let value = pod.map_or("", |pod| field_value(pod, api_version, field_path));
            put!(w, 3, "{name}:\t{value} ({api_version}:{field_path})\n");
        } else if resource_field_ref.exists() {
            let resource = resource_field_ref.at("resource").str();
            let mut value =
                container_resource_value(resource_field_ref, container).unwrap_or_default();
            if value == "0" && matches!(resource, "limits.cpu" | "limits.memory") {
                value = "node allocatable".to_string();
            }
            put!(w, 3, "{name}:\t{value} ({resource})\n");
        } else if secret_key_ref.exists() {
            put!(
                w,
                3,
                "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                secret_key_ref.at("key").str(),
                secret_key_ref.at("name").str(),
                secret_key_ref.at("optional").bool()
            );
        } else if config_map_key_ref.exists() {
            put!(
                w,
                3,
                "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                config_map_key_ref.at("key").str(),
                config_map_key_ref.at("name").str(),
                config_map_key_ref.at("optional").bool()
            );
        }
    }
}

/// kubectl's `EnvValueRetriever`: the pod's field a reference names. kubectl converts the path
/// with its client scheme, which knows no pod field labels beyond `metadata.name` and
/// `metadata.namespace`, so every other path (`status.podIP`, labels) resolves to nothing.
fn field_value<'a>(pod: Raw<'a>, api_version: &str, field_path: &str) -> &'a str {
    // `schema.ParseGroupVersion` refuses more than one slash.
    if api_version.matches('/').count() > 1 {
        return "";
    }
    match field_path {
        "metadata.name" => pod.at("metadata").at("name").str(),
        "metadata.namespace" => pod.at("metadata").at("namespace").str(),
        _ => "",
    }
}

/// kubectl's `ExtractContainerResourceValue`: the container's request or limit divided by the
/// divisor (default 1) and rounded up; CPU in millicores first, as `MilliValue` does.
fn container_resource_value(field: Raw<'_>, container: Raw<'_>) -> Option<String> {
    const NANOS_PER_UNIT: i128 = 1_000_000_000;
    const NANOS_PER_MILLI: i128 = 1_000_000;
    let (section, name) = field.at("resource").str().split_once('.')?;
    if !matches!(section, "limits" | "requests")
        || !matches!(name, "cpu" | "memory" | "ephemeral-storage")
    {
        return None;
    }
    let nanos = |quantity: Raw<'_>| quantity.quantity().and_then(|q| Quantity(q).nanos());
    let divisor = nanos(field.at("divisor"))
        .filter(|divisor| *divisor != 0)
        .unwrap_or(NANOS_PER_UNIT);
    let value = nanos(container.at("resources").at(section).at(name)).unwrap_or(0);
    let unit = if name == "cpu" {
        NANOS_PER_MILLI
    } else {
        NANOS_PER_UNIT
    };
    let divisor = ceil_div(divisor, unit).max(1);
    Some(ceil_div(ceil_div(value, unit), divisor).to_string())
}

fn ceil_div(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    if numerator % denominator > 0 {
        quotient + 1
    } else {
        quotient
    }
}

/// kubectl's `describeContainerVolumes`: mounts sorted by path, then devices.
fn mounts(w: &mut DescribeWriter, container: Raw<'_>) {
    let mut mounts: Vec<Raw<'_>> = container.at("volumeMounts").items().collect();
    // kubectl computes this once, for mounts, and reuses it on the Devices line.
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    put!(w, 2, "Mounts:{none}\n");
    mounts.sort_by_key(|mount| mount.at("mountPath").str());
    for mount in mounts {
        let mut flags = vec![
            if mount.at("readOnly").bool() {
                "ro"
            } else {
                "rw"
            }
            .to_string(),
        ];
        let sub_path = mount.at("subPath").str();
        if !sub_path.is_empty() {
            flags.push(format!("path={}", go_quote(sub_path)));
        }
        put!(
            w,
            3,
            "{} from {} ({})\n",
            mount.at("mountPath").str(),
            mount.at("name").str(),
            flags.join(",")
        );
    }
    let mut devices: Vec<Raw<'_>> = container.at("volumeDevices").items().collect();
    if !devices.is_empty() {
        put!(w, 2, "Devices:{none}\n");
        devices.sort_by_key(|device| device.at("devicePath").str());
        for device in devices {
            put!(
                w,
                3,
                "{} from {}\n",
                device.at("devicePath").str(),
                device.at("name").str()
            );
        }
    }
}

/// A quantity as `Quantity.String()` prints it (canonically), or as written if it does not parse.
pub(super) fn quantity_text(quantity: Raw<'_>) -> String {
    match quantity.go_quantity() {
        Some(parsed) => parsed.to_string(),
        None => quantity.quantity().unwrap_or_default(),
    }
}
