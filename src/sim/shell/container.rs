//! What a process started in a container finds: its filesystem (the image's few files, the
//! kubelet's `/etc/hosts`, `/etc/hostname` and `/etc/resolv.conf`, every mounted volume, the
//! service account's token) and its environment, both built from the pod and the objects it
//! references, as the kubelet would build them.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use super::fs::Fs;
use crate::sim::state::Sim;

/// What the image ships as its shell, which decides the prompt and the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageShell {
    /// No shell at all (distroless, scratch).
    None,
    /// BusyBox `sh` (busybox, Alpine-based images).
    BusyBox,
    /// Debian-like: `dash` as `sh`, and `bash`.
    Bash,
}

/// Reads the image reference: the distroless and scratch-built images have no shell.
pub fn image_shell(image: &str) -> ImageShell {
    let image = image.to_ascii_lowercase();
    let repository = image.split('@').next().unwrap_or(&image);
    let repository = match repository.rfind(':') {
        Some(colon) if !repository[colon..].contains('/') => &repository[..colon],
        _ => repository,
    };
    let tag = image.rsplit_once(':').map(|(_, t)| t).unwrap_or("");
    const SHELLLESS: &[&str] = &[
        "distroless",
        "registry.k8s.io/coredns/coredns",
        "registry.k8s.io/metrics-server/metrics-server",
        "registry.k8s.io/pause",
    ];
    if SHELLLESS.iter().any(|s| repository.contains(s)) {
        ImageShell::None
    } else if repository.ends_with("busybox")
        || repository.contains("alpine")
        || tag.contains("alpine")
    {
        ImageShell::BusyBox
    } else {
        ImageShell::Bash
    }
}

/// A container as a process sees it from inside.
#[derive(Debug, Clone)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub shell: ImageShell,
    pub hostname: String,
    pub env: Vec<(String, String)>,
    pub uid: i64,
    pub gid: i64,
    pub workdir: String,
    /// PID 1's command line.
    pub cmdline: Vec<String>,
    /// An ephemeral container (`kubectl debug`), which ends for good when its process does.
    pub ephemeral: bool,
}

/// The pod's container spec of that name (regular, init or ephemeral).
pub fn container_spec<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|list| pod["spec"][list].as_array())
        .flatten()
        .find(|c| c["name"] == name)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

/// A ConfigMap's or Secret's entries as bytes (a Secret's decoded).
fn object_entries(
    sim: &Sim,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<BTreeMap<String, Vec<u8>>> {
    let object = sim.get("v1", kind, namespace, name)?;
    let mut entries = BTreeMap::new();
    if let Some(data) = object["data"].as_object() {
        for (key, value) in data {
            let bytes = if kind == "Secret" {
                base64::engine::general_purpose::STANDARD
                    .decode(text(value))
                    .unwrap_or_default()
            } else {
                text(value).as_bytes().to_vec()
            };
            entries.insert(key.clone(), bytes);
        }
    }
    if let Some(data) = object["binaryData"].as_object() {
        for (key, value) in data {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text(value))
                .unwrap_or_default();
            entries.insert(key.clone(), bytes);
        }
    }
    if let Some(data) = object["stringData"].as_object() {
        for (key, value) in data {
            entries.insert(key.clone(), text(value).as_bytes().to_vec());
        }
    }
    Some(entries)
}

/// A downward API field (`metadata.name`, `metadata.labels`, `status.podIP`, ...).
fn field_value(pod: &Value, path: &str) -> String {
    let map_text = |map: &Value| -> String {
        map.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}=\"{}\"\n", text(v)))
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .unwrap_or_default()
    };
    if let Some(key) = path
        .strip_prefix("metadata.labels['")
        .and_then(|k| k.strip_suffix("']"))
    {
        return text(&pod["metadata"]["labels"][key]).to_string();
    }
    if let Some(key) = path
        .strip_prefix("metadata.annotations['")
        .and_then(|k| k.strip_suffix("']"))
    {
        return text(&pod["metadata"]["annotations"][key]).to_string();
    }
    match path {
        "metadata.name" => text(&pod["metadata"]["name"]).into(),
        "metadata.namespace" => text(&pod["metadata"]["namespace"]).into(),
        "metadata.uid" => text(&pod["metadata"]["uid"]).into(),
        "metadata.labels" => map_text(&pod["metadata"]["labels"]),
        "metadata.annotations" => map_text(&pod["metadata"]["annotations"]),
        "spec.nodeName" => text(&pod["spec"]["nodeName"]).into(),
        "spec.serviceAccountName" => text(&pod["spec"]["serviceAccountName"]).into(),
        "status.podIP" => text(&pod["status"]["podIP"]).into(),
        "status.hostIP" => text(&pod["status"]["hostIP"]).into(),
        _ => String::new(),
    }
}

/// The container's environment in the kubelet's order: the service links, then `envFrom`,
/// then `env` (later entries win), with the image's own defaults first.
fn environment(
    sim: &Sim,
    pod: &Value,
    spec: &Value,
    hostname: &str,
    shell: ImageShell,
) -> Vec<(String, String)> {
    let namespace = text(&pod["metadata"]["namespace"]);
    let mut env: Vec<(String, String)> = Vec::new();
    let set = |env: &mut Vec<(String, String)>, key: String, value: String| match env
        .iter_mut()
        .find(|(k, _)| *k == key)
    {
        Some(slot) => slot.1 = value,
        None => env.push((key, value)),
    };
    set(
        &mut env,
        "PATH".into(),
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
    );
    set(&mut env, "HOSTNAME".into(), hostname.into());
    if shell != ImageShell::None {
        set(&mut env, "HOME".into(), "/root".into());
    }
    // Service links: the `kubernetes` Service always, the namespace's own unless disabled.
    let mut services: Vec<(String, String, i64)> = Vec::new();
    let default_kubernetes = sim.get("v1", "Service", "default", "kubernetes");
    let kubernetes_ip = default_kubernetes
        .as_ref()
        .map(|s| text(&s["spec"]["clusterIP"]).to_string())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "10.96.0.1".into());
    services.push(("kubernetes".into(), kubernetes_ip, 443));
    if pod["spec"]["enableServiceLinks"].as_bool() != Some(false) {
        let resource = sim.resource_of("v1", "Service");
        if let Some(resource) = resource {
            for service in sim
                .store
                .list(resource, Some(namespace), None, |_| true, 0)
                .0
            {
                let name = text(&service["metadata"]["name"]).to_string();
                let ip = text(&service["spec"]["clusterIP"]).to_string();
                let port = service["spec"]["ports"][0]["port"].as_i64();
                if name == "kubernetes" || ip.is_empty() || ip == "None" {
                    continue;
                }
                if let Some(port) = port {
                    services.push((name, ip, port));
                }
            }
        }
    }
    for (name, ip, port) in services {
        let prefix = name.to_ascii_uppercase().replace('-', "_");
        set(&mut env, format!("{prefix}_SERVICE_HOST"), ip.clone());
        set(&mut env, format!("{prefix}_SERVICE_PORT"), port.to_string());
        set(
            &mut env,
            format!("{prefix}_PORT"),
            format!("tcp://{ip}:{port}"),
        );
    }
    for source in spec["envFrom"].as_array().into_iter().flatten() {
        let prefix = text(&source["prefix"]);
        let entries = if let Some(name) = source["configMapRef"]["name"].as_str() {
            object_entries(sim, "ConfigMap", namespace, name)
        } else if let Some(name) = source["secretRef"]["name"].as_str() {
            object_entries(sim, "Secret", namespace, name)
        } else {
            None
        };
        for (key, value) in entries.unwrap_or_default() {
            set(
                &mut env,
                format!("{prefix}{key}"),
                String::from_utf8_lossy(&value).into_owned(),
            );
        }
    }
    for variable in spec["env"].as_array().into_iter().flatten() {
        let Some(name) = variable["name"].as_str() else {
            continue;
        };
        let from = &variable["valueFrom"];
        let value = if let Some(value) = variable["value"].as_str() {
            expand_references(value, &env)
        } else if let Some(reference) = from.get("configMapKeyRef") {
            object_entries(sim, "ConfigMap", namespace, text(&reference["name"]))
                .and_then(|e| e.get(text(&reference["key"])).cloned())
                .map(|v| String::from_utf8_lossy(&v).into_owned())
                .unwrap_or_default()
        } else if let Some(reference) = from.get("secretKeyRef") {
            object_entries(sim, "Secret", namespace, text(&reference["name"]))
                .and_then(|e| e.get(text(&reference["key"])).cloned())
                .map(|v| String::from_utf8_lossy(&v).into_owned())
                .unwrap_or_default()
        } else if let Some(reference) = from.get("fieldRef") {
            field_value(pod, text(&reference["fieldPath"]))
        } else if let Some(reference) = from.get("resourceFieldRef") {
            let resource = text(&reference["resource"]);
            let (kind, what) = resource.split_once('.').unwrap_or(("", resource));
            text(&spec["resources"][kind][what]).to_string()
        } else {
            String::new()
        };
        set(&mut env, name.to_string(), value);
    }
    env
}

/// `$(VAR)` references in an `env` value, expanded from the variables defined before it.
fn expand_references(value: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find("$(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match env.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[at..at + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A service account token's shape (a signed JWT); the signature is not a real one.
fn token(pod: &Value, account: &str) -> String {
    let encode = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let namespace = text(&pod["metadata"]["namespace"]);
    let header = serde_json::json!({"alg": "RS256", "kid": "kscope-sim"});
    let claims = serde_json::json!({
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {
            "namespace": namespace,
            "pod": {"name": text(&pod["metadata"]["name"]), "uid": text(&pod["metadata"]["uid"])},
            "serviceaccount": {"name": account},
        },
        "sub": format!("system:serviceaccount:{namespace}:{account}"),
    });
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(text(&pod["metadata"]["uid"]).as_bytes());
    format!("{}.{}.{}", encode(&header), encode(&claims), signature)
}

/// A file of a volume: its path relative to the mount point, its bytes and mode.
type VolumeFile = (String, Vec<u8>, u32);

/// A volume's files, the filesystem `df` names it by, and whether it takes writes.
type MountedVolume = (Vec<VolumeFile>, &'static str, bool);

/// Files of one volume, relative to its mount point.
fn volume_files(sim: &Sim, pod: &Value, volume: &Value) -> Option<MountedVolume> {
    let namespace = text(&pod["metadata"]["namespace"]);
    let mode_of = |source: &Value, default: u32| {
        source["defaultMode"]
            .as_u64()
            .map(|m| m as u32)
            .unwrap_or(default)
    };
    let keyed = |entries: BTreeMap<String, Vec<u8>>,
                 source: &Value,
                 mode: u32|
     -> Vec<(String, Vec<u8>, u32)> {
        match source["items"].as_array() {
            Some(items) => items
                .iter()
                .filter_map(|item| {
                    let data = entries.get(text(&item["key"]))?.clone();
                    let path = item["path"].as_str().unwrap_or(text(&item["key"]));
                    Some((
                        path.to_string(),
                        data,
                        item["mode"].as_u64().map(|m| m as u32).unwrap_or(mode),
                    ))
                })
                .collect(),
            None => entries.into_iter().map(|(k, v)| (k, v, mode)).collect(),
        }
    };
    let downward = |source: &Value| -> Vec<(String, Vec<u8>, u32)> {
        source["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|item| {
                let value = field_value(pod, text(&item["fieldRef"]["fieldPath"]));
                (text(&item["path"]).to_string(), value.into_bytes(), 0o644)
            })
            .collect()
    };
    if let Some(source) = volume.get("configMap") {
        let entries =
            object_entries(sim, "ConfigMap", namespace, text(&source["name"])).unwrap_or_default();
        return Some((
            keyed(entries, source, mode_of(source, 0o644)),
            "tmpfs",
            false,
        ));
    }
    if let Some(source) = volume.get("secret") {
        let entries = object_entries(sim, "Secret", namespace, text(&source["secretName"]))
            .unwrap_or_default();
        return Some((
            keyed(entries, source, mode_of(source, 0o644)),
            "tmpfs",
            false,
        ));
    }
    if let Some(source) = volume.get("downwardAPI") {
        return Some((downward(source), "tmpfs", false));
    }
    if let Some(source) = volume.get("projected") {
        let mut files = Vec::new();
        for part in source["sources"].as_array().into_iter().flatten() {
            if let Some(s) = part.get("configMap") {
                let entries = object_entries(sim, "ConfigMap", namespace, text(&s["name"]))
                    .unwrap_or_default();
                files.extend(keyed(entries, s, 0o644));
            } else if let Some(s) = part.get("secret") {
                let entries =
                    object_entries(sim, "Secret", namespace, text(&s["name"])).unwrap_or_default();
                files.extend(keyed(entries, s, 0o644));
            } else if let Some(s) = part.get("downwardAPI") {
                files.extend(downward(s));
            } else if let Some(s) = part.get("serviceAccountToken") {
                let account = pod["spec"]["serviceAccountName"]
                    .as_str()
                    .unwrap_or("default");
                files.push((
                    text(&s["path"]).to_string(),
                    token(pod, account).into_bytes(),
                    0o600,
                ));
            }
        }
        return Some((files, "tmpfs", false));
    }
    if volume.get("emptyDir").is_some() {
        let medium = if volume["emptyDir"]["medium"] == "Memory" {
            "tmpfs"
        } else {
            "/dev/vda1"
        };
        return Some((Vec::new(), medium, true));
    }
    None
}

/// The container's filesystem and process view, from the pod as it is now.
pub fn build(sim: &Sim, pod: &Value, name: &str, ca_pem: &str) -> Option<(Container, Fs)> {
    let spec = container_spec(pod, name)?;
    let image = text(&spec["image"]).to_string();
    let shell = image_shell(&image);
    let namespace = text(&pod["metadata"]["namespace"]).to_string();
    let pod_name = text(&pod["metadata"]["name"]);
    let hostname = pod["spec"]["hostname"]
        .as_str()
        .unwrap_or(pod_name)
        .to_string();
    let read_only_root = spec["securityContext"]["readOnlyRootFilesystem"].as_bool() == Some(true);
    let mut fs = Fs::new(!read_only_root);
    for dir in ["/dev", "/proc", "/sys", "/tmp", "/var", "/run"] {
        fs.make_dirs(dir);
    }
    if shell != ImageShell::None {
        for dir in [
            "/bin",
            "/home",
            "/root",
            "/usr/bin",
            "/usr/local/bin",
            "/var/log",
            "/mnt",
            "/opt",
        ] {
            fs.make_dirs(dir);
        }
        for program in super::commands::NAMES {
            fs.put(&format!("/bin/{program}"), Vec::<u8>::new(), 0o755);
        }
        if shell == ImageShell::Bash {
            fs.put("/bin/bash", Vec::<u8>::new(), 0o755);
        }
        fs.put("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", 0o644);
        fs.put("/etc/group", "root:x:0:\nnogroup:x:65534:\n", 0o644);
        let release = if shell == ImageShell::BusyBox {
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\n"
        } else {
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
        };
        fs.put("/etc/os-release", release, 0o644);
    }
    let pod_ip = text(&pod["status"]["podIP"]);
    let mut hosts = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    if !pod_ip.is_empty() {
        match pod["spec"]["subdomain"].as_str() {
            Some(sub) => hosts.push_str(&format!(
                "{pod_ip}\t{hostname}.{sub}.{namespace}.svc.cluster.local\t{hostname}\n"
            )),
            None => hosts.push_str(&format!("{pod_ip}\t{hostname}\n")),
        }
    }
    fs.put("/etc/hosts", hosts, 0o644);
    fs.put("/etc/hostname", format!("{hostname}\n"), 0o644);
    let dns = sim
        .get("v1", "Service", "kube-system", "kube-dns")
        .map(|s| text(&s["spec"]["clusterIP"]).to_string())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "10.96.0.10".into());
    fs.put(
        "/etc/resolv.conf",
        format!("search {namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {dns}\noptions ndots:5\n"),
        0o644,
    );
    let mut cmdline: Vec<String> = spec["command"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spec["args"].as_array().into_iter().flatten())
        .map(|v| text(v).to_string())
        .collect();
    if cmdline.is_empty() {
        cmdline = vec![super::commands::entrypoint(&image)];
    }
    let proc_line: Vec<u8> = cmdline.iter().flat_map(|a| a.bytes().chain([0])).collect();
    fs.put("/proc/1/cmdline", proc_line, 0o444);
    fs.mount("/proc", "proc", false);
    fs.mount("/dev", "tmpfs", true);
    fs.mount("/sys", "sysfs", false);
    // The volumes, mounted where this container asks, as the kubelet mounts them.
    let volumes = pod["spec"]["volumes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mounts = spec["volumeMounts"].as_array().cloned().unwrap_or_default();
    let mut token_mounted = false;
    for mount in &mounts {
        let path = super::fs::resolve("/", text(&mount["mountPath"]));
        let Some(volume) = volumes.iter().find(|v| v["name"] == mount["name"]) else {
            continue;
        };
        let Some((files, source, writable)) = volume_files(sim, pod, volume) else {
            continue;
        };
        token_mounted |= path == "/var/run/secrets/kubernetes.io/serviceaccount";
        let read_only = mount["readOnly"].as_bool() == Some(true);
        let sub_path = text(&mount["subPath"]);
        if !sub_path.is_empty() {
            if let Some((_, data, mode)) = files.iter().find(|(p, _, _)| p == sub_path) {
                fs.put(&path, data.clone(), *mode);
            }
            continue;
        }
        fs.make_dirs(&path);
        for (file, data, mode) in files {
            fs.put(&super::fs::resolve(&path, &file), data, mode);
        }
        fs.mount(&path, source, writable && !read_only);
    }
    let automount = pod["spec"]["automountServiceAccountToken"].as_bool() != Some(false)
        && spec["automountServiceAccountToken"].as_bool() != Some(false);
    if automount && !token_mounted {
        let account = pod["spec"]["serviceAccountName"]
            .as_str()
            .unwrap_or("default");
        let dir = "/var/run/secrets/kubernetes.io/serviceaccount";
        fs.put(&format!("{dir}/token"), token(pod, account), 0o644);
        fs.put(&format!("{dir}/ca.crt"), ca_pem, 0o644);
        fs.put(&format!("{dir}/namespace"), namespace.clone(), 0o644);
        fs.mount(dir, "tmpfs", false);
    }
    if read_only_root && !mounts.iter().any(|m| text(&m["mountPath"]) == "/tmp") {
        // A read-only root keeps /tmp read-only unless a volume is mounted there.
    } else if !fs.mounts.iter().any(|m| m.path == "/tmp") {
        fs.mount("/tmp", "overlay", !read_only_root);
    }
    let security = |field: &str| {
        spec["securityContext"][field]
            .as_i64()
            .or_else(|| pod["spec"]["securityContext"][field].as_i64())
    };
    let env = environment(sim, pod, spec, &hostname, shell);
    let home = if security("runAsUser").unwrap_or(0) == 0 {
        "/root"
    } else {
        "/"
    };
    let env = env
        .into_iter()
        .map(|(k, v)| {
            if k == "HOME" {
                (k, home.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    let workdir = spec["workingDir"]
        .as_str()
        .map(|w| super::fs::resolve("/", w))
        .unwrap_or_else(|| "/".into());
    fs.make_dirs(&workdir);
    Some((
        Container {
            name: name.to_string(),
            image,
            shell,
            hostname,
            env,
            uid: security("runAsUser").unwrap_or(0),
            gid: security("runAsGroup").unwrap_or(0),
            workdir,
            cmdline,
            ephemeral: pod["spec"]["ephemeralContainers"]
                .as_array()
                .is_some_and(|list| list.iter().any(|c| c["name"] == name)),
        },
        fs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_without_a_shell() {
        assert_eq!(
            image_shell("gcr.io/distroless/static:nonroot"),
            ImageShell::None
        );
        assert_eq!(
            image_shell("registry.k8s.io/coredns/coredns:v1.12.1"),
            ImageShell::None
        );
        assert_eq!(image_shell("busybox:1.37"), ImageShell::BusyBox);
        assert_eq!(image_shell("nginx:1.27-alpine"), ImageShell::BusyBox);
        assert_eq!(image_shell("nginx:1.27"), ImageShell::Bash);
        assert_eq!(image_shell("localhost:5000/app"), ImageShell::Bash);
    }

    #[test]
    fn env_references_expand_from_earlier_variables() {
        let env = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand_references("$(A)/$(B)", &env), "x/$(B)");
    }
}
