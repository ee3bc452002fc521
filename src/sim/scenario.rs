//! The seeded cluster: nodes (one NotReady, one cordoned and tainted, a control plane),
//! namespaces (one stuck Terminating), workloads whose pods show every state of the pod
//! lifecycle, with history (ages, restarts, events) as if the cluster had been running for
//! weeks. Deterministic for a seed, apart from being anchored at the current time.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::admission::admit_create;
use super::controllers::Work;
use super::kubelet::{Surroundings, report};
use super::resource::{ResourceType, find_built_in};
use super::state::{Sim, time_text};
use crate::sim::pointer::Pointer;

mod analytics;

/// The size and liveliness of the simulated cluster.
#[derive(Debug, Clone)]
pub struct ClusterShape {
    /// Nodes in all (at least 4: a control plane, workers, one cordoned, one NotReady).
    pub nodes: usize,
    /// Extra generated pods (in `load-NN` namespaces), for scale work.
    pub pods: usize,
    /// Background changes per second.
    pub churn: f64,
    pub seed: u64,
    /// How long an Event lives after its last write (kube-apiserver's `--event-ttl`, one
    /// hour by default); zero keeps Events for ever.
    pub event_ttl: std::time::Duration,
    /// The users besides the admin, each bound to its ClusterRole cluster-wide: the presets
    /// (`viewer`, `no-secrets`) unless replaced.
    pub users: Vec<super::rbac::SimUser>,
    /// Whether the control loops and metrics answers run at the lowest priority, below the
    /// threads answering requests: `kscope sim` and `kscope demo`, where a client shares the
    /// machine. Off where the simulator serves the process it runs in (tests): there a busy
    /// neighbour at a normal priority can leave the loops a sliver of a core for seconds (nice
    /// 19 weighs 15 against 1,024), and what a test waits for, a graceful deletion's two rounds,
    /// does not come.
    pub loops_yield: bool,
}

impl Default for ClusterShape {
    fn default() -> Self {
        Self {
            nodes: 6,
            pods: 0,
            churn: 0.0,
            seed: 1,
            event_ttl: std::time::Duration::from_secs(3600),
            users: super::rbac::SimUser::presets(),
            loops_yield: false,
        }
    }
}

fn resource(group: &str, plural: &str) -> &'static ResourceType {
    find_built_in(group, "v1", plural).expect("built-in type")
}

/// Seeds the cluster; returns the controllers' pending work (timers for what changes next).
pub fn seed(sim: &Arc<Sim>, shape: &ClusterShape) -> Work {
    let mut seeder = Seeder {
        sim,
        now: sim.now(),
        nodes: Vec::new(),
        leases: Vec::new(),
    };
    seeder.nodes(shape.nodes.max(4));
    seeder.namespaces();
    let leases = resource("coordination.k8s.io", "leases");
    for (lease, age) in std::mem::take(&mut seeder.leases) {
        seeder.put(leases, lease, age);
    }
    seeder.custom_resources();
    seeder.access_control(&shape.users);
    seeder.system();
    seeder.shop();
    seeder.payments_and_edge();
    seeder.batch();
    seeder.data_infra();
    seeder.analytics();
    seeder.generated(shape.pods);
    // Let the controllers settle what seeding implies (statuses, endpoints, budgets) now, so
    // the first request sees a consistent cluster.
    let mut work = Work::default();
    work.everything(sim);
    // What each round changes is looked at in the next, as the running controllers would.
    let mut changes = sim.store.subscribe();
    for _ in 0..4 {
        super::controllers::reconcile(sim, &mut work);
        loop {
            match changes.try_recv() {
                Ok(change) => work.note(&change),
                Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) => work.everything(sim),
                Err(_) => break,
            }
        }
    }
    // Seeding is history nobody watched: dropping it frees the objects' first versions.
    sim.store.compact();
    work
}

struct Seeder<'a> {
    sim: &'a Arc<Sim>,
    now: Timestamp,
    /// Schedulable worker nodes, for placing seeded pods.
    nodes: Vec<String>,
    /// Node leases, stored once their namespace exists.
    leases: Vec<(Value, i64)>,
}

fn ago(now: Timestamp, seconds: i64) -> String {
    time_text(now - SignedDuration::from_secs(seconds))
}

impl Seeder<'_> {
    /// Stores an object as if created `age` seconds ago.
    fn put(&self, resource: &'static ResourceType, mut object: Value, age: i64) -> Arc<Value> {
        let namespace = object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Err(error) = admit_create(self.sim, resource, namespace.as_deref(), &mut object) {
            panic!("seed object rejected: {}", error.message);
        }
        object["metadata"]["creationTimestamp"] = json!(ago(self.now, age));
        if resource.kind == "CustomResourceDefinition" {
            self.sim.registry.add_definition(&object);
        }
        self.sim
            .store
            .create(resource, object)
            .expect("seed objects have unique names")
    }

    fn nodes(&mut self, count: usize) {
        let nodes = resource("", "nodes");
        let zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        let cluster_cidr = super::addressing::cluster_cidr(count);
        for i in 0..count {
            let control_plane = i == 0;
            let name = if control_plane {
                "cp-1".to_string()
            } else {
                format!("worker-{i}")
            };
            let cordoned = i == count - 2;
            let not_ready = i == count - 1;
            let mut labels = json!({
                "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
                "node.kubernetes.io/instance-type": if control_plane { "m6i.xlarge" } else { "m6i.2xlarge" },
                "topology.kubernetes.io/zone": zones[i % 3], "topology.kubernetes.io/region": "eu-west-1",
            });
            let mut taints = Vec::new();
            if control_plane {
                labels["node-role.kubernetes.io/control-plane"] = json!("");
                taints.push(
                    json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}),
                );
            } else {
                labels["node-role.kubernetes.io/worker"] = json!("");
            }
            if cordoned {
                taints.push(
                    json!({"key": "dedicated", "value": "maintenance", "effect": "NoSchedule"}),
                );
                taints.push(json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ago(self.now, 3 * 3600)}));
            }
            let heartbeat = if not_ready {
                ago(self.now, 420)
            } else {
                ago(self.now, 7 + i as i64 % 30)
            };
            let pressure = |type_: &str, reason: &str, message: &str| {
                if not_ready {
                    json!({"type": type_, "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status.", "lastHeartbeatTime": heartbeat, "lastTransitionTime": ago(self.now, 380)})
                } else {
                    json!({"type": type_, "status": "False", "reason": reason, "message": message, "lastHeartbeatTime": heartbeat, "lastTransitionTime": ago(self.now, 41 * 86400)})
                }
            };
            let ready = if not_ready {
                taints.push(json!({"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": ago(self.now, 380)}));
                taints.push(json!({"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": ago(self.now, 380)}));
                json!({"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status.", "lastHeartbeatTime": heartbeat, "lastTransitionTime": ago(self.now, 380)})
            } else {
                json!({"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": heartbeat, "lastTransitionTime": ago(self.now, 41 * 86400)})
            };
            let pod_cidr = super::addressing::node_pod_cidr(cluster_cidr, i);
            let internal_ip = super::addressing::node_internal_ip(i).to_string();
            let node = json!({
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": labels, "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
                "spec": {
                    "podCIDR": pod_cidr, "podCIDRs": [pod_cidr],
                    "providerID": format!("aws:///{}/i-0{:015x}", zones[i % 3], 0x5eed_0000u64 + i as u64),
                    "taints": taints,
                    "unschedulable": cordoned,
                },
                "status": {
                    "capacity": {"cpu": if control_plane { "4" } else { "8" }, "memory": if control_plane { "16093340Ki" } else { "32475844Ki" }, "pods": "110", "ephemeral-storage": "104845292Ki", "hugepages-2Mi": "0"},
                    "allocatable": {"cpu": if control_plane { "3920m" } else { "7910m" }, "memory": if control_plane { "15066268Ki" } else { "31448772Ki" }, "pods": "110", "ephemeral-storage": "96625420Ki", "hugepages-2Mi": "0"},
                    "conditions": [
                        pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                        pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                        pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                        ready,
                    ],
                    "addresses": [{"type": "InternalIP", "address": internal_ip}, {"type": "Hostname", "address": name}],
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                    "nodeInfo": {
                        "machineID": format!("{:032x}", 0xabcdefu64 * (i as u64 + 1)), "systemUUID": format!("ec2{:05x}-0000-0000-0000-000000000000", i), "bootID": format!("{:08x}-0000-0000-0000-000000000000", i),
                        "kernelVersion": "6.8.0-1021-aws", "osImage": "Ubuntu 24.04.2 LTS", "containerRuntimeVersion": "containerd://2.0.5",
                        "kubeletVersion": "v1.35.0", "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": "amd64"
                    }
                }
            });
            let stored = self.put(nodes, node, 41 * 86400 - i as i64 * 600);
            let renewed = if not_ready { 420 } else { i as i64 % 9 };
            let lease = json!({
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": name, "namespace": "kube-node-lease", "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": stored["metadata"]["uid"]}]},
                "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": super::state::micro_time_text(self.now - SignedDuration::from_secs(renewed))},
            });
            self.leases.push((lease, 41 * 86400 - i as i64 * 600));
            if !control_plane && !cordoned && !not_ready {
                self.nodes.push(name);
            }
        }
    }

    /// The default roles and bindings, and the users' bindings, as old as the cluster.
    fn access_control(&self, users: &[super::rbac::SimUser]) {
        for (resource, object) in super::rbac::bootstrap_objects(users) {
            self.put(resource, object, 41 * 86400);
        }
        // The API server's own PriorityClasses, made when it first started.
        let classes = resource("scheduling.k8s.io", "priorityclasses");
        for class in super::priority::system_classes() {
            self.put(classes, class, 41 * 86400);
        }
    }

    fn namespaces(&self) {
        let namespaces = resource("", "namespaces");
        for (name, age) in [
            ("default", 41 * 86400),
            ("kube-system", 41 * 86400),
            ("kube-public", 41 * 86400),
            ("kube-node-lease", 41 * 86400),
            ("monitoring", 40 * 86400),
            ("data-infra", 33 * 86400),
            ("rook-ceph", 30 * 86400),
            ("shop", 21 * 86400),
            ("payments", 14 * 86400),
            ("edge", 9 * 86400),
            ("batch", 6 * 86400),
            ("analytics", 4 * 86400),
            ("rook-ceph-legacy", 90 * 86400),
        ] {
            let object = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}}});
            self.put(namespaces, object, age);
            let service_accounts = resource("", "serviceaccounts");
            self.put(
                service_accounts,
                json!({"metadata": {"name": "default", "namespace": name}}),
                age,
            );
            self.put(resource("", "configmaps"), json!({"metadata": {"name": "kube-root-ca.crt", "namespace": name, "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}}, "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIWkN3ZHVtbXkwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n-----END CERTIFICATE-----\n"}}), age);
        }
        let kubernetes = json!({"metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}}, "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}});
        self.put(resource("", "services"), kubernetes, 41 * 86400);
        // The API server keeps the `kubernetes` Service's Endpoints itself (it has no
        // selector): its advertise address, the control plane's InternalIP, and secure port.
        let advertise_address = super::addressing::node_internal_ip(0).to_string();
        let endpoints = json!({"metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}}, "subsets": [{"addresses": [{"ip": advertise_address}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]});
        self.put(resource("", "endpoints"), endpoints, 41 * 86400);
        // And its EndpointSlice, named as the Service, which the API server also keeps.
        let slices = find_built_in("discovery.k8s.io", "v1", "endpointslices").expect("served");
        let slice = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"kubernetes.io/service-name": "kubernetes"}}, "addressType": "IPv4", "endpoints": [{"addresses": [advertise_address], "conditions": {"ready": true}}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]});
        self.put(slices, slice, 41 * 86400);
    }

    fn custom_resources(&self) {
        let crd = json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "cephclusters.ceph.rook.io"},
            "spec": {
                "group": "ceph.rook.io", "scope": "Namespaced",
                "names": {"plural": "cephclusters", "singular": "cephcluster", "kind": "CephCluster", "listKind": "CephClusterList"},
                "versions": [{
                    "name": "v1", "served": true, "storage": true,
                    "subresources": {"status": {}},
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
                    "additionalPrinterColumns": [
                        {"name": "DataDirHostPath", "type": "string", "jsonPath": ".spec.dataDirHostPath", "description": "Directory used on the K8s nodes"},
                        {"name": "MonCount", "type": "string", "jsonPath": ".spec.mon.count", "description": "Number of MONs"},
                        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                        {"name": "Phase", "type": "string", "jsonPath": ".status.phase", "description": "Phase"},
                        {"name": "Message", "type": "string", "jsonPath": ".status.message", "description": "Message"},
                        {"name": "Health", "type": "string", "jsonPath": ".status.ceph.health", "description": "Ceph Health"}
                    ]
                }]
            },
            "status": {"acceptedNames": {"plural": "cephclusters", "kind": "CephCluster"}, "storedVersions": ["v1"]}
        });
        self.put(
            find_built_in("apiextensions.k8s.io", "v1", "customresourcedefinitions").expect("CRDs"),
            crd,
            30 * 86400,
        );
        let clusters = self
            .sim
            .registry
            .find("ceph.rook.io", "v1", "cephclusters")
            .expect("the CRD is served");
        self.put(clusters, json!({
            "apiVersion": "ceph.rook.io/v1", "kind": "CephCluster",
            "metadata": {"name": "rook-ceph", "namespace": "rook-ceph", "finalizers": ["cephcluster.ceph.rook.io"]},
            "spec": {"dataDirHostPath": "/var/lib/rook", "mon": {"count": 3}, "cephVersion": {"image": "quay.io/ceph/ceph:v19.2.2"}},
            "status": {"phase": "Ready", "message": "Cluster created successfully", "state": "Created", "ceph": {"health": "HEALTH_OK"}}
        }), 30 * 86400);
        let mut legacy = json!({
            "apiVersion": "ceph.rook.io/v1", "kind": "CephCluster",
            "metadata": {"name": "legacy", "namespace": "rook-ceph-legacy", "finalizers": ["cephcluster.ceph.rook.io"]},
            "spec": {"dataDirHostPath": "/var/lib/rook-legacy", "mon": {"count": 3}},
            "status": {"phase": "Deleting", "message": "CephCluster \"rook-ceph-legacy/legacy\" will not be deleted until all dependents are removed: CephBlockPool: [replicapool]", "ceph": {"health": "HEALTH_WARN"}}
        });
        legacy["metadata"]["deletionTimestamp"] = json!(ago(self.now, 2 * 86400 + 3600));
        legacy["metadata"]["deletionGracePeriodSeconds"] = json!(0);
        let stored = self.put(clusters, legacy, 90 * 86400);
        // admission clears deletion fields; seeded history sets them back.
        let (namespace, name) = super::store::object_key(&stored);
        let deleted_at = ago(self.now, 2 * 86400 + 3600);
        let _ = self.sim.store.modify(clusters, &namespace, &name, |o| {
            o["metadata"]["deletionTimestamp"] = json!(deleted_at);
            o["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            true
        });
        let namespaces = resource("", "namespaces");
        let _ = self
            .sim
            .store
            .modify(namespaces, "", "rook-ceph-legacy", |ns| {
                ns["metadata"]["deletionTimestamp"] = json!(deleted_at);
                ns["status"]["phase"] = json!("Terminating");
                true
            });
    }

    /// A workload's pod template.
    fn template(&self, labels: Value, containers: Value, extra: Value) -> Value {
        let mut spec = json!({"containers": containers});
        if let Some(extra) = extra.as_object() {
            for (k, v) in extra {
                spec[k] = v.clone();
            }
        }
        json!({"metadata": {"labels": labels}, "spec": spec})
    }

    /// A Deployment with its ReplicaSet and pods, as if running for `age` seconds.
    fn deployment(
        &self,
        namespace: &str,
        name: &str,
        replicas: usize,
        template: Value,
        age: i64,
        nodes: &[&str],
    ) -> Vec<Arc<Value>> {
        let labels = template["metadata"]["labels"].clone();
        let deployment = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": labels, "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template},
        });
        let deployment = self.put(resource("apps", "deployments"), deployment, age);
        let hash = super::controllers::template_hash_of(&deployment["spec"]["template"]);
        let mut rs_template = deployment["spec"]["template"].clone();
        rs_template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
        let mut rs_labels = labels.clone();
        rs_labels["pod-template-hash"] = json!(hash);
        let rs_name = format!("{name}-{hash}");
        let rs = json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {
                "name": rs_name, "namespace": namespace, "labels": rs_labels,
                "annotations": {"deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": replicas.to_string(), "deployment.kubernetes.io/max-replicas": (replicas + replicas.div_ceil(4)).to_string()},
                "ownerReferences": [super::controllers::owner_reference_of(&deployment)],
            },
            "spec": {"replicas": replicas, "selector": {"matchLabels": rs_labels}, "template": rs_template},
        });
        let rs = self.put(resource("apps", "replicasets"), rs, age);
        (0..replicas)
            .map(|i| {
                let pod_name = format!("{rs_name}-{}", self.sim.with_rng(|r| r.suffix(5)));
                let node = nodes
                    .get(i % nodes.len().max(1))
                    .copied()
                    .unwrap_or("worker-1");
                self.pod_from(&rs, &pod_name, node, age - 5 - i as i64 * 3, &[])
            })
            .collect()
    }

    /// A pod of `owner` on `node`, started `age` seconds ago, with the status its kubelet
    /// would report now.
    fn pod_from(
        &self,
        owner: &Value,
        pod_name: &str,
        node: &str,
        age: i64,
        extra_labels: &[(&str, &str)],
    ) -> Arc<Value> {
        let mut pod = super::controllers::pod_from_template_of(
            owner,
            "/spec/template",
            pod_name,
            extra_labels,
        );
        pod["spec"]["nodeName"] = json!(node);
        self.place(pod, age)
    }

    /// Stores a pod bound to its node, with its fast-forwarded status and events.
    fn place(&self, mut pod: Value, age: i64) -> Arc<Value> {
        let pods = resource("", "pods");
        // A generated name already taken (five random characters, at hundreds of nodes) is
        // drawn again, as a controller retries generateName.
        let namespace = pod["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        while let Some(name) = pod["metadata"]["name"].as_str().map(str::to_string)
            && self.sim.store.get(pods, &namespace, &name).is_some()
            && name.len() > 6
        {
            let prefix = &name[..name.len() - 5];
            pod["metadata"]["name"] =
                json!(format!("{prefix}{}", self.sim.with_rng(|r| r.suffix(5))));
        }
        let node_name = pod
            .at("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut stored = (*self.put(pods, pod, age)).clone();
        let started = self.now - SignedDuration::from_secs(age - 1);
        let node = self.sim.store.get(resource("", "nodes"), "", &node_name);
        stored["status"]["startTime"] = json!(time_text(started));
        if let Some(node) = &node {
            let alive = |namespace: &str, name: &str, uid: &str| {
                self.sim
                    .store
                    .get(pods, namespace, name)
                    .is_some_and(|p| p["metadata"]["uid"] == uid)
            };
            if let Some(ip) = self
                .sim
                .pod_addresses
                .assign(&node_name, node, &stored, alive)
            {
                stored["status"]["podIP"] = json!(ip);
            }
        }
        let node_ready = node.as_ref().is_some_and(|n| super::state::is_ready(n));
        let namespace = stored
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let config_maps = resource("", "configmaps");
        let secrets = resource("", "secrets");
        let cm = |n: &str| self.sim.store.get(config_maps, &namespace, n).is_some();
        let secret = |n: &str| self.sim.store.get(secrets, &namespace, n).is_some();
        let host_ip = node
            .as_deref()
            .and_then(super::addressing::internal_ip_of)
            .unwrap_or_default()
            .to_string();
        let env = Surroundings {
            config_map_exists: &cm,
            secret_exists: &secret,
            host_ip: &host_ip,
            creating_reason: "ContainerCreating",
        };
        // A pod on a node that stopped reporting keeps what that node last said.
        let at = if node_ready {
            self.now
        } else {
            self.now - SignedDuration::from_secs(420)
        };
        // The report carries over the qosClass admission computed.
        stored["status"] = report(&stored, at, &env).status;
        let placed = self
            .sim
            .store
            .update(pods, stored, None)
            .expect("the seeded pod exists");
        self.history(&placed, &node_name, age);
        placed
    }

    /// The events a pod of this age would still have: one-off events only if recent (events
    /// expire an hour after they last happened), recurring ones with their counts.
    fn history(&self, pod: &Value, node: &str, age: i64) {
        use super::events::{EventType, Occurrences, controller, kubelet, record_history};
        let recent = |seconds_ago: i64| seconds_ago < 3600;
        let at = |seconds_ago: i64| self.now - SignedDuration::from_secs(seconds_ago.max(0));
        let once = |seconds_ago: i64| Occurrences {
            first: at(seconds_ago),
            last: at(seconds_ago),
            count: 1,
        };
        let name = pod
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let namespace = pod
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        if recent(age) {
            record_history(
                self.sim,
                pod,
                None,
                EventType::Normal,
                "Scheduled",
                &format!("Successfully assigned {namespace}/{name} to {node}"),
                controller("default-scheduler"),
                once(age),
            );
        }
        let source = kubelet(node);
        for (list, spec_list) in [
            ("initContainerStatuses", "initContainers"),
            ("containerStatuses", "containers"),
        ] {
            for status in pod["status"][list].as_array().into_iter().flatten() {
                let container = status["name"].as_str().unwrap_or("");
                let image = status["image"].as_str().unwrap_or("");
                let field = format!("spec.{spec_list}{{{container}}}");
                let restarts = status["restartCount"].as_i64().unwrap_or(0);
                let ever_started = status.at("/state/running").is_some()
                    || status.at("/state/terminated").is_some()
                    || restarts > 0;
                if ever_started && recent(age - 2) {
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                        source,
                        once(age - 2),
                    );
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Pulled",
                        &format!(
                            "Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting). Image size: 48213472 bytes."
                        ),
                        source,
                        once(age - 3),
                    );
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Created",
                        &format!("Created container: {container}"),
                        source,
                        once(age - 3),
                    );
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Normal,
                        "Started",
                        &format!("Started container {container}"),
                        source,
                        once(age - 3),
                    );
                }
                let message = status
                    .at("/state/waiting/message")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let span = |every: i64| Occurrences {
                    first: at(age - 5),
                    last: at(every.min(age) / 2),
                    count: (age / every).max(1),
                };
                if restarts > 0 && list == "containerStatuses"
                    || status.at("/state/waiting/reason").and_then(Value::as_str)
                        == Some("CrashLoopBackOff")
                {
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Warning,
                        "BackOff",
                        &format!("Back-off restarting failed container {container} in pod {name}"),
                        source,
                        Occurrences {
                            first: at(age - 120),
                            last: at(20),
                            count: restarts.max(1) * 3,
                        },
                    );
                }
                match status
                    .at("/state/waiting/reason")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                {
                    "ErrImagePull" | "ImagePullBackOff" => {
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "Failed",
                            &format!(
                                "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/{image}\": failed to resolve reference \"docker.io/library/{image}\": docker.io/library/{image}: not found"
                            ),
                            source,
                            span(300),
                        );
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "Failed",
                            "Error: ErrImagePull",
                            source,
                            span(300),
                        );
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Normal,
                            "BackOff",
                            &format!("Back-off pulling image \"{image}\""),
                            source,
                            span(15),
                        );
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "Failed",
                            "Error: ImagePullBackOff",
                            source,
                            span(15),
                        );
                    }
                    "CreateContainerConfigError" => {
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "Failed",
                            &format!("Error: {message}"),
                            source,
                            span(10),
                        );
                    }
                    "InvalidImageName" => {
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "InspectFailed",
                            message,
                            source,
                            span(10),
                        );
                        record_history(
                            self.sim,
                            pod,
                            Some(&field),
                            EventType::Warning,
                            "Failed",
                            "Error: InvalidImageName",
                            source,
                            span(10),
                        );
                    }
                    _ => {}
                }
                if status.at("/state/running").is_some()
                    && status["ready"] == false
                    && status["started"] == true
                {
                    record_history(
                        self.sim,
                        pod,
                        Some(&field),
                        EventType::Warning,
                        "Unhealthy",
                        "Readiness probe failed: HTTP probe failed with statuscode: 503",
                        source,
                        span(10),
                    );
                }
            }
        }
        let env_missing = pod
            .at("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "PodReadyToStartContainers" && c["status"] == "False")
            });
        if env_missing {
            for volume in pod
                .at("/spec/volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(secret) = volume.at("/secret/secretName").and_then(Value::as_str) {
                    let message = format!(
                        "MountVolume.SetUp failed for volume \"{}\" : secret \"{secret}\" not found",
                        volume["name"].as_str().unwrap_or("")
                    );
                    record_history(
                        self.sim,
                        pod,
                        None,
                        EventType::Warning,
                        "FailedMount",
                        &message,
                        source,
                        Occurrences {
                            first: at(age - 2),
                            last: at(30),
                            count: (age / 120).max(1),
                        },
                    );
                }
            }
        }
    }

    fn system(&self) {
        let all_tolerating = json!({"tolerations": [{"operator": "Exists"}], "priorityClassName": "system-node-critical", "hostNetwork": true});
        let nodes: Vec<String> = self
            .sim
            .store
            .list(resource("", "nodes"), None, None, |_| true, 0)
            .0
            .iter()
            .map(|n| n["metadata"]["name"].as_str().unwrap_or("").to_string())
            .collect();
        for (name, image) in [
            ("kube-proxy", "registry.k8s.io/kube-proxy:v1.35.0"),
            ("cilium", "quay.io/cilium/cilium:v1.18.2"),
        ] {
            self.daemonset(
                "kube-system",
                name,
                image,
                all_tolerating.clone(),
                &nodes,
                41 * 86400,
            );
        }
        self.daemonset(
            "monitoring",
            "node-exporter",
            "quay.io/prometheus/node-exporter:v1.9.1",
            json!({"tolerations": [{"operator": "Exists"}]}),
            &nodes,
            40 * 86400,
        );
        let dns = self.template(
            json!({"k8s-app": "kube-dns"}),
            json!([{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.12.1", "args": ["-conf", "/etc/coredns/Corefile"], "resources": {"requests": {"cpu": "100m", "memory": "70Mi"}, "limits": {"memory": "170Mi"}}, "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}}}]),
            json!({"priorityClassName": "system-cluster-critical", "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]}),
        );
        self.deployment(
            "kube-system",
            "coredns",
            2,
            dns,
            41 * 86400,
            &["cp-1", "worker-1"],
        );
        self.put(resource("policy", "poddisruptionbudgets"), json!({"metadata": {"name": "coredns", "namespace": "kube-system"}, "spec": {"minAvailable": 1, "selector": {"matchLabels": {"k8s-app": "kube-dns"}}}}), 41 * 86400);
        self.put(resource("", "services"), json!({"metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}, "spec": {"selector": {"k8s-app": "kube-dns"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53}, {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]}}), 41 * 86400);
        let metrics = self.template(json!({"k8s-app": "metrics-server"}), json!([{"name": "metrics-server", "image": "registry.k8s.io/metrics-server/metrics-server:v0.8.0", "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}}}]), json!({}));
        self.deployment(
            "kube-system",
            "metrics-server",
            1,
            metrics,
            41 * 86400,
            &["worker-2"],
        );
        // Static control-plane pods: mirror pods owned by their node.
        let cp = self
            .sim
            .store
            .get(resource("", "nodes"), "", "cp-1")
            .expect("cp-1");
        for (component, image, cpu) in [
            ("etcd", "registry.k8s.io/etcd:3.6.4-0", "100m"),
            (
                "kube-apiserver",
                "registry.k8s.io/kube-apiserver:v1.35.0",
                "250m",
            ),
            (
                "kube-controller-manager",
                "registry.k8s.io/kube-controller-manager:v1.35.0",
                "200m",
            ),
            (
                "kube-scheduler",
                "registry.k8s.io/kube-scheduler:v1.35.0",
                "100m",
            ),
        ] {
            let pod = json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {
                    "name": format!("{component}-cp-1"), "namespace": "kube-system",
                    "labels": {"component": component, "tier": "control-plane"},
                    "annotations": {"kubernetes.io/config.mirror": format!("{:032x}", component.len() * 7919), "kubernetes.io/config.source": "file", "kubernetes.io/config.hash": format!("{:032x}", component.len() * 7919)},
                    "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "cp-1", "uid": cp["metadata"]["uid"], "controller": true}],
                },
                "spec": {"nodeName": "cp-1", "hostNetwork": true, "priorityClassName": "system-node-critical", "tolerations": [{"operator": "Exists", "effect": "NoExecute"}], "containers": [{"name": component, "image": image, "resources": {"requests": {"cpu": cpu}}}]},
            });
            self.place(pod, 41 * 86400 - 60);
        }
    }

    fn daemonset(
        &self,
        namespace: &str,
        name: &str,
        image: &str,
        extra: Value,
        nodes: &[String],
        age: i64,
    ) {
        let labels = json!({"app.kubernetes.io/name": name});
        let template = self.template(labels.clone(), json!([{"name": name, "image": image, "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}]), extra);
        let set = self.put(resource("apps", "daemonsets"), json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name, "namespace": namespace, "labels": labels}, "spec": {"selector": {"matchLabels": labels}, "template": template}}), age);
        let hash = super::controllers::template_hash_of(&set["spec"]["template"]);
        for node in nodes {
            let pod_name = format!("{name}-{}", self.sim.with_rng(|r| r.suffix(5)));
            self.pod_from(
                &set,
                &pod_name,
                node,
                age - 30,
                &[
                    ("controller-revision-hash", hash.as_str()),
                    ("pod-template-generation", "1"),
                ],
            );
        }
    }

    fn shop(&self) {
        let web = self.template(json!({"app": "web"}), json!([{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}], "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}, "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}]), json!({}));
        self.deployment(
            "shop",
            "web",
            3,
            web,
            21 * 86400,
            &["worker-1", "worker-2", "worker-3"],
        );
        self.put(resource("", "services"), json!({"metadata": {"name": "web", "namespace": "shop"}, "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 80}]}}), 21 * 86400);
        let cart = self.template(json!({"app": "cart"}), json!([{"name": "cart", "image": "registry.example.com/shop/cart:2.8.1", "resources": {"requests": {"cpu": "200m", "memory": "256Mi"}, "limits": {"cpu": "200m", "memory": "256Mi"}}}]), json!({}));
        self.deployment(
            "shop",
            "cart",
            2,
            cart,
            21 * 86400,
            &["worker-1", "worker-2"],
        );
        self.put(resource("", "services"), json!({"metadata": {"name": "cart", "namespace": "shop"}, "spec": {"selector": {"app": "cart"}, "ports": [{"name": "http", "port": 8080}]}}), 21 * 86400);
        // Both cart pods must stay: any eviction of one is refused, so draining their nodes blocks.
        self.put(resource("policy", "poddisruptionbudgets"), json!({"metadata": {"name": "cart-pdb", "namespace": "shop"}, "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "cart"}}}}), 21 * 86400);
        let checkout = self.template(json!({"app": "checkout"}), json!([{"name": "checkout", "image": "registry.example.com/shop/checkout:1.14.2", "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}, "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}]), json!({}));
        self.deployment("shop", "checkout", 1, checkout, 2 * 3600, &["worker-2"]);
        let indexer = self.template(json!({"app": "search-indexer"}), json!([{"name": "indexer", "image": "registry.example.com/search/indexer:4.0.1", "readinessProbe": {"httpGet": {"path": "/ready", "port": 9200}}, "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}}]), json!({}));
        self.deployment(
            "shop",
            "search-indexer",
            1,
            indexer,
            5 * 3600,
            &["worker-3"],
        );
        let canary = self.template(
            json!({"app": "web-canary"}),
            json!([{"name": "nginx", "image": "nginx:1.27-alpne"}]),
            json!({}),
        );
        self.deployment("shop", "web-canary", 1, canary, 25 * 60, &["worker-1"]);
        // orders: a StatefulSet whose migration init container cannot reach its database.
        let labels = json!({"app": "orders"});
        let template = self.template(labels.clone(), json!([{"name": "orders", "image": "registry.example.com/shop/orders:5.1.0"}]), json!({"initContainers": [{"name": "migrate", "image": "registry.example.com/shop/orders:5.1.0-migrate"}, {"name": "warm-cache", "image": "busybox:1.37"}]}));
        let set = self.put(resource("apps", "statefulsets"), json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "orders", "namespace": "shop", "labels": labels}, "spec": {"replicas": 1, "serviceName": "orders", "selector": {"matchLabels": labels}, "template": template}}), 3 * 3600);
        let revision = format!(
            "orders-{}",
            super::controllers::template_hash_of(&set["spec"]["template"])
        );
        let mut pod = super::controllers::pod_from_template_of(
            &set,
            "/spec/template",
            "orders-0",
            &[
                ("statefulset.kubernetes.io/pod-name", "orders-0"),
                ("controller-revision-hash", revision.as_str()),
                ("apps.kubernetes.io/pod-index", "0"),
            ],
        );
        pod["spec"]["nodeName"] = json!("worker-1");
        pod["spec"]["hostname"] = json!("orders-0");
        pod["spec"]["subdomain"] = json!("orders");
        self.place(pod, 3 * 3600);
        // Unmanaged pods: a finished debug pod and a running one with local storage.
        self.place(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug-shell", "namespace": "shop"}, "spec": {"nodeName": "worker-2", "restartPolicy": "Never", "containers": [{"name": "debug", "image": "busybox:1.37", "command": ["sh", "-c", "nslookup cart.shop.svc"]}]}}), 50 * 60);
        self.place(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "netshoot", "namespace": "shop", "labels": {"run": "netshoot"}}, "spec": {"nodeName": "worker-3", "containers": [{"name": "netshoot", "image": "nicolaka/netshoot:v0.14", "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]}], "volumes": [{"name": "scratch", "emptyDir": {}}]}}), 3 * 86400);
    }

    fn payments_and_edge(&self) {
        self.put(resource("", "configmaps"), json!({"metadata": {"name": "payments-config", "namespace": "payments"}, "data": {"GATEWAY_URL": "https://gateway.example.com", "LOG_LEVEL": "info"}}), 14 * 86400);
        self.put(resource("", "secrets"), json!({"metadata": {"name": "payments-db", "namespace": "payments"}, "type": "Opaque", "data": {"username": "cGF5bWVudHM=", "password": "czNjcjN0LXBhc3N3MHJk"}}), 14 * 86400);
        let api = self.template(json!({"app": "payments-api"}), json!([{"name": "api", "image": "registry.example.com/payments/api:3.2.0", "envFrom": [{"configMapRef": {"name": "api-settings"}}], "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "payments-db", "key": "password"}}}], "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "250m", "memory": "256Mi"}}}]), json!({}));
        self.deployment("payments", "payments-api", 1, api, 40 * 60, &["worker-3"]);
        let ledger = self.template(json!({"app": "ledger"}), json!([{"name": "ledger", "image": "registry.example.com/payments/ledger:1.9.0", "volumeMounts": [{"name": "tls", "mountPath": "/etc/tls", "readOnly": true}]}]), json!({"volumes": [{"name": "tls", "secret": {"secretName": "ledger-tls"}}]}));
        self.deployment("payments", "ledger", 1, ledger, 12 * 60, &["worker-1"]);
        // Waits, in an init container, for a database service nobody created.
        let notifications = self.template(
            json!({"app": "notifications"}),
            json!([{"name": "notifications", "image": "registry.example.com/payments/notifications:2.4.0"}]),
            json!({"initContainers": [{"name": "wait-for-db", "image": "registry.example.com/tools/wait-for:1.2", "args": ["notifications-db.payments.svc:5432"]}]}),
        );
        self.deployment(
            "payments",
            "notifications",
            1,
            notifications,
            18 * 60,
            &["worker-2"],
        );
        let gateway = self.template(json!({"app": "gateway"}), json!([{"name": "gateway", "image": "registry.example.com/edge/gateway:0.9.1", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}}]), json!({"initContainers": [{"name": "proxy", "image": "envoyproxy/envoy:v1.32.0-rc1", "restartPolicy": "Always", "readinessProbe": {"httpGet": {"path": "/ready", "port": 9901}}}]}));
        self.deployment("edge", "gateway", 1, gateway, 9 * 86400, &["worker-2"]);
        let ingress = self.template(
            json!({"app": "ingress"}),
            json!([{"name": "ingress", "image": "Registry.Example.com/Edge/Ingress:Latest"}]),
            json!({}),
        );
        self.deployment("edge", "ingress", 1, ingress, 8 * 60, &["worker-3"]);
    }

    fn batch(&self) {
        let job_template = json!({"spec": {"backoffLimit": 2, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "report", "image": "registry.example.com/batch/nightly-report:2.3.0"}]}}}});
        let cronjob = self.put(resource("batch", "cronjobs"), json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "batch"}, "spec": {"schedule": "*/15 * * * *", "jobTemplate": job_template}}), 6 * 86400);
        // The last three runs, completed.
        let last_quarter = self.now.as_second() / 900 * 900;
        for k in (0..3).rev() {
            let at = last_quarter - k * 900;
            let age = self.now.as_second() - at;
            let job_name = format!("report-{}", at / 60);
            let mut job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": job_name, "namespace": "batch", "ownerReferences": [super::controllers::owner_reference_of(&cronjob)], "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": time_text(Timestamp::from_second(at).unwrap_or(self.now))}}, "spec": cronjob["spec"]["jobTemplate"]["spec"].clone()});
            if age < 60 {
                job["spec"]["suspend"] = json!(false);
            }
            let job = self.put(resource("batch", "jobs"), job, age);
            let uid = job["metadata"]["uid"].as_str().unwrap_or("").to_string();
            let pod_name = format!("{job_name}-{}", self.sim.with_rng(|r| r.suffix(5)));
            self.pod_from(
                &job,
                &pod_name,
                self.nodes[k as usize % self.nodes.len()].as_str(),
                age,
                &[
                    ("batch.kubernetes.io/controller-uid", uid.as_str()),
                    ("batch.kubernetes.io/job-name", job_name.as_str()),
                    ("controller-uid", uid.as_str()),
                    ("job-name", job_name.as_str()),
                ],
            );
        }
        let _ = self
            .sim
            .store
            .modify(resource("batch", "cronjobs"), "batch", "report", |c| {
                c["status"]["lastScheduleTime"] = json!(time_text(
                    Timestamp::from_second(last_quarter).unwrap_or(self.now)
                ));
                true
            });
        // A backfill that keeps failing.
        let etl = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "etl-backfill", "namespace": "batch"}, "spec": {"backoffLimit": 1, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "etl", "image": "registry.example.com/batch/etl:0.9.4", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]}}}});
        let job = self.put(resource("batch", "jobs"), etl, 3 * 3600);
        let uid = job["metadata"]["uid"].as_str().unwrap_or("").to_string();
        for (i, age) in [3 * 3600 - 10, 3 * 3600 - 60].into_iter().enumerate() {
            let pod_name = format!("etl-backfill-{}", self.sim.with_rng(|r| r.suffix(5)));
            self.pod_from(
                &job,
                &pod_name,
                self.nodes[i % self.nodes.len()].as_str(),
                age,
                &[
                    ("batch.kubernetes.io/controller-uid", uid.as_str()),
                    ("batch.kubernetes.io/job-name", "etl-backfill"),
                    ("controller-uid", uid.as_str()),
                    ("job-name", "etl-backfill"),
                ],
            );
        }
        // A training job nothing can fit, and a pod held by a scheduling gate.
        let training = self.put(resource("batch", "jobs"), json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "model-training", "namespace": "batch"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "nodeSelector": {"accelerator": "nvidia-a100"}, "containers": [{"name": "trainer", "image": "registry.example.com/ml/trainer:2.0.0", "resources": {"requests": {"cpu": "48", "memory": "200Gi"}, "limits": {"cpu": "48", "memory": "200Gi"}}}]}}}}), 70 * 60);
        let uid = training["metadata"]["uid"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let pending = super::controllers::pod_from_template_of(
            &training,
            "/spec/template",
            &format!("model-training-{}", self.sim.with_rng(|r| r.suffix(5))),
            &[
                ("batch.kubernetes.io/controller-uid", uid.as_str()),
                ("batch.kubernetes.io/job-name", "model-training"),
                ("controller-uid", uid.as_str()),
                ("job-name", "model-training"),
            ],
        );
        self.put(resource("", "pods"), pending, 70 * 60 - 1);
        self.put(resource("", "pods"), json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "quota-gated", "namespace": "batch", "labels": {"kueue.x-k8s.io/queue-name": "research"}}, "spec": {"schedulingGates": [{"name": "kueue.x-k8s.io/admission"}], "containers": [{"name": "work", "image": "registry.example.com/ml/trainer:2.0.0", "resources": {"requests": {"cpu": "2", "memory": "4Gi"}}}]}}), 35 * 60);
    }

    fn data_infra(&self) {
        let not_ready = self
            .sim
            .store
            .list(
                resource("", "nodes"),
                None,
                None,
                |n| n.at("/status/conditions/3/status") == Some(&json!("Unknown")),
                0,
            )
            .0;
        let lost = not_ready
            .first()
            .and_then(|n| n["metadata"]["name"].as_str())
            .unwrap_or("worker-5")
            .to_string();
        // Storage: a default class that waits for its first consumer, the Ceph class the cache
        // uses, and a claim of a class nobody made, Pending with its event.
        let classes = resource("storage.k8s.io", "storageclasses");
        self.put(classes, json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}), 41 * 86400);
        self.put(classes, json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "ceph-block"}, "provisioner": "rook-ceph.rbd.csi.ceph.com", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate", "allowVolumeExpansion": true}), 40 * 86400);
        let claims = resource("", "persistentvolumeclaims");
        for i in 0..3 {
            self.put(claims, json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": format!("data-cache-{i}"), "namespace": "data-infra", "labels": {"app": "cache"}}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "20Gi"}}, "storageClassName": "ceph-block"}}), 33 * 86400 - i * 40);
        }
        let archive = self.put(claims, json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "reports-archive", "namespace": "data-infra"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "500Gi"}}, "storageClassName": "fast-ssd"}}), 26 * 60);
        super::events::record_history(
            self.sim,
            &archive,
            None,
            super::events::EventType::Warning,
            "ProvisioningFailed",
            "storageclass.storage.k8s.io \"fast-ssd\" not found",
            super::events::controller("persistentvolume-controller"),
            super::events::Occurrences {
                first: self.now - SignedDuration::from_secs(26 * 60),
                last: self.now - SignedDuration::from_secs(15),
                count: 105,
            },
        );
        // Networking: the ingress controller's class, the shop's Ingress, and the payments
        // namespace closed to all but the shop.
        let networking = |plural| resource("networking.k8s.io", plural);
        self.put(networking("ingressclasses"), json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx", "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}}, "spec": {"controller": "k8s.io/ingress-nginx"}}), 41 * 86400);
        let ingress = self.put(networking("ingresses"), json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "storefront", "namespace": "shop"}, "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}], "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}, {"path": "/checkout", "pathType": "Prefix", "backend": {"service": {"name": "checkout", "port": {"number": 8080}}}}]}}]}}), 30 * 86400);
        let _ = self
            .sim
            .store
            .modify(networking("ingresses"), "shop", "storefront", |i| {
                i["status"] = json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}});
                true
            });
        drop(ingress);
        self.put(networking("networkpolicies"), json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "default-deny-ingress", "namespace": "payments"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}), 30 * 86400);
        self.put(networking("networkpolicies"), json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "allow-from-shop", "namespace": "payments"}, "spec": {"podSelector": {"matchLabels": {"app": "payments-api"}}, "policyTypes": ["Ingress"], "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}}], "ports": [{"protocol": "TCP", "port": 8080}]}]}}), 30 * 86400);
        // The storefront's autoscaler, held at its maximum.
        let autoscalers =
            find_built_in("autoscaling", "v2", "horizontalpodautoscalers").expect("served");
        self.put(autoscalers, json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 2, "maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 20}}}]}}), 21 * 86400);
        // cache: a StatefulSet; cache-2 was on the node that stopped reporting.
        let labels = json!({"app": "cache"});
        let template = self.template(labels.clone(), json!([{"name": "redis", "image": "redis:7.4", "resources": {"requests": {"cpu": "250m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}, "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]), json!({"terminationGracePeriodSeconds": 30}));
        let set = self.put(resource("apps", "statefulsets"), json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "cache", "namespace": "data-infra", "labels": labels}, "spec": {"replicas": 3, "serviceName": "cache", "selector": {"matchLabels": labels}, "template": template, "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "20Gi"}}, "storageClassName": "ceph-block"}}]}}), 33 * 86400);
        let revision = format!(
            "cache-{}",
            super::controllers::template_hash_of(&set["spec"]["template"])
        );
        for (i, node) in [
            (0, "worker-1".to_string()),
            (1, "worker-2".to_string()),
            (2, lost.clone()),
        ] {
            let pod_name = format!("cache-{i}");
            let mut pod = super::controllers::pod_from_template_of(
                &set,
                "/spec/template",
                &pod_name,
                &[
                    ("statefulset.kubernetes.io/pod-name", pod_name.as_str()),
                    ("controller-revision-hash", revision.as_str()),
                    ("apps.kubernetes.io/pod-index", &i.to_string()),
                ],
            );
            pod["spec"]["nodeName"] = json!(node);
            pod["spec"]["hostname"] = json!(pod_name);
            pod["spec"]["subdomain"] = json!("cache");
            pod["spec"]["volumes"] = json!([{"name": "data", "persistentVolumeClaim": {"claimName": format!("data-{pod_name}")}}]);
            let placed = self.place(pod, 33 * 86400 - i * 40);
            if node == lost {
                self.lose(&placed, 80, true);
            }
        }
        // A deployment pod that was on the lost node: Terminating; its replacement runs elsewhere.
        let connect = self.template(json!({"app": "kafka-connect"}), json!([{"name": "connect", "image": "quay.io/strimzi/kafka:0.47.0-kafka-4.0.0", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]), json!({}));
        let pods = self.deployment(
            "data-infra",
            "kafka-connect",
            1,
            connect,
            12 * 86400,
            &[lost.as_str()],
        );
        if let Some(pod) = pods.first() {
            self.lose(pod, 80, false);
            let rs = pod["metadata"]["ownerReferences"][0].clone();
            if let Some(owner) = self.sim.store.get(
                resource("apps", "replicasets"),
                "data-infra",
                rs["name"].as_str().unwrap_or(""),
            ) {
                let name = format!(
                    "{}-{}",
                    owner["metadata"]["name"].as_str().unwrap_or(""),
                    self.sim.with_rng(|r| r.suffix(5))
                );
                self.pod_from(&owner, &name, "worker-2", 75, &[]);
            }
        }
        // A migration that ignores SIGTERM, deleted with a long grace period.
        let pod = self.place(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db-migration-7f9c2", "namespace": "data-infra", "labels": {"app": "db-migration"}}, "spec": {"nodeName": "worker-1", "terminationGracePeriodSeconds": 3600, "containers": [{"name": "migrate", "image": "registry.example.com/data/migrator:3.1.0"}]}}), 2 * 3600);
        let deleted_at = ago(self.now + SignedDuration::from_secs(3600), 7 * 60);
        let (namespace, name) = super::store::object_key(&pod);
        let _ = self
            .sim
            .store
            .modify(resource("", "pods"), &namespace, &name, |p| {
                p["metadata"]["deletionTimestamp"] = json!(deleted_at);
                p["metadata"]["deletionGracePeriodSeconds"] = json!(3600);
                true
            });
        // spark-history: one pod evicted under memory pressure, one rejected for lack of CPU.
        let spark = self.template(json!({"app": "spark-history"}), json!([{"name": "history", "image": "apache/spark:3.5.6", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]), json!({}));
        let pods = self.deployment(
            "data-infra",
            "spark-history",
            1,
            spark,
            20 * 86400,
            &["worker-3"],
        );
        if let Some(pod) = pods.first() {
            let owner = self
                .sim
                .store
                .get(
                    resource("apps", "replicasets"),
                    "data-infra",
                    pod["metadata"]["ownerReferences"][0]["name"]
                        .as_str()
                        .unwrap_or(""),
                )
                .expect("the ReplicaSet");
            let evicted = self.pod_from(
                &owner,
                &format!(
                    "{}-{}",
                    owner["metadata"]["name"].as_str().unwrap_or(""),
                    self.sim.with_rng(|r| r.suffix(5))
                ),
                "worker-2",
                4 * 86400,
                &[],
            );
            self.fail(&evicted, "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 82Mi. Container history was using 2735Mi, request is 512Mi, has larger consumption of memory. ", 2 * 86400);
            let rejected = self.pod_from(
                &owner,
                &format!(
                    "{}-{}",
                    owner["metadata"]["name"].as_str().unwrap_or(""),
                    self.sim.with_rng(|r| r.suffix(5))
                ),
                "worker-1",
                3 * 86400,
                &[],
            );
            self.fail(&rejected, "OutOfcpu", "Pod was rejected: Node didn't have enough resource: cpu, requested: 500, used: 7700, capacity: 7910", 3 * 86400);
        }
    }

    /// Marks a pod as stranded on a node that stopped reporting.
    fn lose(&self, pod: &Value, deleted_ago: i64, node_lost: bool) {
        let (namespace, name) = super::store::object_key(pod);
        let deleted_at = ago(self.now + SignedDuration::from_secs(30), deleted_ago);
        let _ = self
            .sim
            .store
            .modify(resource("", "pods"), &namespace, &name, |p| {
                p["metadata"]["deletionTimestamp"] = json!(deleted_at);
                p["metadata"]["deletionGracePeriodSeconds"] = json!(30);
                if node_lost {
                    p["status"]["reason"] = json!("NodeLost");
                    p["status"]["message"] = json!(format!(
                        "Node {} which was running pod {name} is unresponsive",
                        p["spec"]["nodeName"].as_str().unwrap_or("")
                    ));
                }
                if let Some(conditions) =
                    p.at_mut("/status/conditions").and_then(Value::as_array_mut)
                {
                    for c in conditions.iter_mut().filter(|c| c["type"] == "Ready") {
                        c["status"] = json!("False");
                        c["reason"] = json!("NodeNotReady");
                    }
                }
                true
            });
    }

    /// Turns a pod into a failed one with a pod-level reason (evicted, rejected).
    fn fail(&self, pod: &Value, reason: &str, message: &str, ago_seconds: i64) {
        let (namespace, name) = super::store::object_key(pod);
        let at = ago(self.now, ago_seconds);
        let rejected = reason.starts_with("OutOf");
        let _ = self
            .sim
            .store
            .modify(resource("", "pods"), &namespace, &name, |p| {
                p["status"]["phase"] = json!("Failed");
                p["status"]["reason"] = json!(reason);
                p["status"]["message"] = json!(message);
                if rejected {
                    if let Some(map) = p["status"].as_object_mut() {
                        map.remove("containerStatuses");
                        map.remove("podIP");
                        map.remove("podIPs");
                    }
                } else if let Some(statuses) = p
                    .at_mut("/status/containerStatuses")
                    .and_then(Value::as_array_mut)
                {
                    // The evicted pod's containers are gone; what remains is the pod-level reason.
                    for s in statuses {
                        s["ready"] = json!(false);
                        s["started"] = json!(false);
                        s["state"] = json!({});
                    }
                }
                if let Some(conditions) =
                    p.at_mut("/status/conditions").and_then(Value::as_array_mut)
                {
                    for c in conditions
                        .iter_mut()
                        .filter(|c| c["type"] == "Ready" || c["type"] == "ContainersReady")
                    {
                        c["status"] = json!("False");
                        c["reason"] = json!("PodFailed");
                        c["lastTransitionTime"] = json!(at);
                    }
                }
                true
            });
    }

    /// `pods` extra pods in generated namespaces, 100 to a Deployment, spread over the nodes.
    fn generated(&self, pods: usize) {
        if pods == 0 {
            return;
        }
        let namespaces = resource("", "namespaces");
        let per_deployment = 100;
        let deployments = pods.div_ceil(per_deployment);
        let per_namespace = 25;
        let mut remaining = pods;
        let mut node_cursor = 0usize;
        let nodes: Vec<&str> = self.nodes.iter().map(String::as_str).collect();
        for d in 0..deployments {
            let namespace = format!("load-{:02}", d / per_namespace);
            if d % per_namespace == 0 {
                self.put(namespaces, json!({"metadata": {"name": namespace, "labels": {"kubernetes.io/metadata.name": namespace, "kscope.dev/generated": "true"}}}), 7 * 86400);
            }
            let replicas = remaining.min(per_deployment);
            remaining -= replicas;
            let name = format!("svc-{d:04}");
            let tier = ["frontend", "backend", "worker"][d % 3];
            let template = self.template(json!({"app": name, "tier": tier}), json!([{"name": "app", "image": format!("registry.example.com/load/app:1.{}.0", d % 7), "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}}}]), json!({}));
            let placement: Vec<&str> = (0..replicas)
                .map(|i| nodes[(node_cursor + i) % nodes.len()])
                .collect();
            node_cursor += replicas;
            self.deployment(
                &namespace,
                &name,
                replicas,
                template,
                7 * 86400 - d as i64,
                &placement,
            );
        }
    }
}
