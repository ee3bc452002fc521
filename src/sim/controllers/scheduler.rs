//! The scheduler: binds each pending pod to a Ready, schedulable node whose taints it
//! tolerates, whose labels match its nodeSelector, and which has room for its requests; or
//! reports why no node fits, in the scheduler's words.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::{Value, json};

use super::owned::{is_active, name, pods, resource};
use super::work::Work;
use crate::model::quantity::Quantity;
use crate::sim::events::{EventType, controller, record};
use crate::sim::fields;
use crate::sim::pod_tally::PodTally;
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, is_ready, time_text};

/// Whether the pod spec tolerates every NoSchedule/NoExecute taint of the node.
pub fn tolerates_all(spec: &Value, node: &Value) -> bool {
    first_untolerated(spec, hard_taints(node)).is_none()
}

/// A node's taints that keep pods off it (NoSchedule and NoExecute).
fn hard_taints(node: &Value) -> impl Iterator<Item = &Value> {
    node["spec"]["taints"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| matches!(t["effect"].as_str(), Some("NoSchedule" | "NoExecute")))
}

/// The first of `taints` the pod spec does not tolerate.
fn first_untolerated<'a>(
    spec: &Value,
    mut taints: impl Iterator<Item = &'a Value>,
) -> Option<&'a Value> {
    let tolerations = spec["tolerations"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    taints.find(|taint| {
        !tolerations.iter().any(|toleration| {
            let effect_ok = toleration["effect"]
                .as_str()
                .is_none_or(|e| e.is_empty() || Some(e) == taint["effect"].as_str());
            let key = toleration["key"].as_str().unwrap_or("");
            let operator = toleration["operator"].as_str().unwrap_or("Equal");
            effect_ok
                && match (key.is_empty(), operator) {
                    (true, "Exists") => true,
                    (false, "Exists") => Some(key) == taint["key"].as_str(),
                    (false, _) => {
                        Some(key) == taint["key"].as_str()
                            && toleration["value"].as_str().unwrap_or("")
                                == taint["value"].as_str().unwrap_or("")
                    }
                    _ => false,
                }
        })
    })
}

/// Whether the node's labels satisfy the pod spec's nodeSelector.
pub fn node_selector_matches(spec: &Value, node: &Value) -> bool {
    spec["nodeSelector"]
        .as_object()
        .is_none_or(|selector| labels_match(selector, node))
}

fn labels_match(selector: &serde_json::Map<String, Value>, node: &Value) -> bool {
    let labels = &node["metadata"]["labels"];
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn nanos(value: Option<&Value>) -> i128 {
    value
        .map(|q| {
            Quantity(q.as_str().map_or_else(|| q.to_string(), str::to_string))
                .nanos()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// (cpu, memory) requested by a pod spec, in nano-units.
fn requests(spec: &Value) -> (i128, i128) {
    let mut cpu = 0;
    let mut memory = 0;
    for container in spec["containers"].as_array().into_iter().flatten() {
        cpu += nanos(container.at("/resources/requests/cpu"));
        memory += nanos(container.at("/resources/requests/memory"));
    }
    (cpu, memory)
}

/// What the pods bound to each node and still active request: CPU and memory in nano-units,
/// and their count. Kept from the store's changes (`PodTally`): under churn every pod created
/// is scheduled, and summing 50,000 pods' requests for each one took the simulator a core.
#[derive(Default)]
pub struct Requested {
    /// Each counted pod's node and requests.
    pods: HashMap<(String, String), (String, (i128, i128))>,
    nodes: HashMap<String, (i128, i128, usize)>,
}

impl Requested {
    /// The keys of the active pods bound to `node`, in no order.
    pub fn pods_on(&self, node: &str) -> Vec<(String, String)> {
        self.pods
            .iter()
            .filter(|(_, (on, _))| on == node)
            .map(|(key, _)| key.clone())
            .collect()
    }
}

impl PodTally for Requested {
    fn forget(&mut self, key: &(String, String)) {
        if let Some((node, (cpu, memory))) = self.pods.remove(key)
            && let Some(used) = self.nodes.get_mut(&node)
        {
            used.0 -= cpu;
            used.1 -= memory;
            used.2 -= 1;
        }
    }

    /// Counts a pod bound to a node that has not finished.
    fn count(&mut self, key: (String, String), pod: &Value) {
        let Some(node) = pod.at("/spec/nodeName").and_then(Value::as_str) else {
            return;
        };
        if !is_active(pod) {
            return;
        }
        let (cpu, memory) = requests(&pod["spec"]);
        let used = self.nodes.entry(node.to_string()).or_default();
        used.0 += cpu;
        used.1 += memory;
        used.2 += 1;
        self.pods.insert(key, (node.to_string(), (cpu, memory)));
    }
}

/// The nodes as the scheduler reads them, with what it asks of each for every pod: read once a
/// round, as a scheduler reads its informer's cache. Read again for each pod, parsing every
/// node's readiness and allocatable quantities, 1,400 pods waiting for room at 500 nodes kept
/// the controllers' core busy.
pub struct Nodes(Vec<(Arc<Value>, NodeFacts)>);

struct NodeFacts {
    name: String,
    ready: bool,
    unschedulable: bool,
    /// Its NoSchedule and NoExecute taints.
    taints: Vec<Value>,
    /// Allocatable CPU and memory in nano-units, and pods.
    cpu: i128,
    memory: i128,
    pods: usize,
}

impl Nodes {
    pub fn read(sim: &Sim) -> Self {
        let (nodes, _, _) = sim
            .store
            .list(resource("", "nodes"), None, None, |_| true, 0);
        let read = nodes
            .into_iter()
            .map(|node| {
                // Indexed, not by pointer, as `is_ready`.
                let allocatable = &node["status"]["allocatable"];
                let facts = NodeFacts {
                    name: name(&node).to_string(),
                    ready: is_ready(&node),
                    unschedulable: node["spec"]["unschedulable"].as_bool() == Some(true),
                    taints: hard_taints(&node).cloned().collect(),
                    cpu: nanos(allocatable.get("cpu")),
                    memory: nanos(allocatable.get("memory")),
                    pods: allocatable
                        .get("pods")
                        .and_then(|p| {
                            p.as_str()
                                .and_then(|s| s.parse::<usize>().ok())
                                .or(p.as_u64().map(|n| n as usize))
                        })
                        .unwrap_or(110),
                };
                (node, facts)
            })
            .collect();
        Nodes(read)
    }
}

/// Tries to schedule one pod, on `nodes` (read on the first pod of a round that needs them).
pub fn reconcile(
    sim: &Sim,
    work: &mut Work,
    nodes: &mut Option<Nodes>,
    namespace: &str,
    pod_name: &str,
) {
    let Some(pod) = sim.store.get(pods(), namespace, pod_name) else {
        return;
    };
    if pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty())
        || !is_active(&pod)
    {
        return;
    }
    let now = sim.now();
    let gates = pod
        .at("/spec/schedulingGates")
        .and_then(Value::as_array)
        .is_some_and(|g| !g.is_empty());
    if gates {
        set_scheduled_condition(
            sim,
            namespace,
            pod_name,
            "False",
            "SchedulingGated",
            "Scheduling is blocked due to non-empty scheduling gates",
            &time_text(now),
        );
        return;
    }
    let spec = &pod["spec"];
    let (cpu, memory) = requests(spec);
    let Nodes(nodes) = nodes.get_or_insert_with(|| Nodes::read(sim));
    let mut requested = sim
        .requested
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let used = &requested.current(sim).nodes;
    let mut reasons: BTreeMap<Cow<'static, str>, usize> = BTreeMap::new();
    let mut fits: Vec<(&str, i128)> = Vec::new();
    // What the pod asks of every node, read once.
    let tolerates_unschedulable = spec["tolerations"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|t| t["key"] == "node.kubernetes.io/unschedulable");
    let selector = spec["nodeSelector"].as_object();
    for (node, facts) in nodes.iter() {
        let node_name = facts.name.as_str();
        let reason = if facts.unschedulable && !tolerates_unschedulable {
            Some(Cow::Borrowed("node(s) were unschedulable"))
        } else if let Some(taint) = first_untolerated(spec, facts.taints.iter()) {
            Some(Cow::Owned(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint["key"].as_str().unwrap_or(""),
                taint["value"].as_str().unwrap_or("")
            )))
        } else if !facts.ready {
            Some(Cow::Borrowed(
                "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
            ))
        } else if !selector.is_none_or(|selector| labels_match(selector, node)) {
            Some(Cow::Borrowed(
                "node(s) didn't match Pod's node affinity/selector",
            ))
        } else {
            let (used_cpu, used_memory, count) = used.get(node_name).copied().unwrap_or_default();
            if count + 1 > facts.pods {
                Some(Cow::Borrowed("Too many pods"))
            } else if used_cpu + cpu > facts.cpu {
                Some(Cow::Borrowed("Insufficient cpu"))
            } else if used_memory + memory > facts.memory {
                Some(Cow::Borrowed("Insufficient memory"))
            } else {
                fits.push((node_name, used_cpu));
                None
            }
        };
        if let Some(reason) = reason {
            *reasons.entry(reason).or_default() += 1;
        }
    }
    drop(requested);
    // The least-requested node wins; ties go to the first by name.
    let best = fits
        .iter()
        .min_by(|(a, a_used), (b, b_used)| a_used.cmp(b_used).then_with(|| a.cmp(b)));
    match best {
        Some((node, _)) => {
            let node_name = node.to_string();
            let mut placed = false;
            let bound = sim.store.modify(pods(), namespace, pod_name, |pod| {
                placed = fields::set(pod, &["spec", "nodeName"], json!(node_name))
                    && set_condition(pod, "PodScheduled", "True", None, None, &time_text(now));
                placed
            });
            if let (Ok(bound), true) = (bound, placed) {
                record(
                    sim,
                    &bound,
                    None,
                    EventType::Normal,
                    "Scheduled",
                    &format!("Successfully assigned {namespace}/{pod_name} to {node_name}"),
                    controller("default-scheduler"),
                );
            }
        }
        None => {
            let total = nodes.len();
            let mut parts: Vec<String> = reasons
                .iter()
                .map(|(reason, count)| format!("{count} {reason}"))
                .collect();
            parts.sort();
            let message = format!(
                "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
                parts.join(", ")
            );
            set_scheduled_condition(
                sim,
                namespace,
                pod_name,
                "False",
                "Unschedulable",
                &message,
                &time_text(now),
            );
            if let Some(pod) = sim.store.get(pods(), namespace, pod_name) {
                record(
                    sim,
                    &pod,
                    None,
                    EventType::Warning,
                    "FailedScheduling",
                    &message,
                    controller("default-scheduler"),
                );
            }
            work.unschedulable(namespace, pod_name, now);
        }
    }
}

/// Sets one of the pod's conditions; false when its status is not an object to write it in.
fn set_condition(
    pod: &mut Value,
    type_: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: &str,
) -> bool {
    let Some(pod_status) = fields::object_at(pod, &["status"]) else {
        return false;
    };
    let conditions = pod_status.entry("conditions").or_insert(json!([]));
    if !conditions.is_array() {
        *conditions = json!([]);
    }
    let Some(conditions) = conditions.as_array_mut() else {
        return false;
    };
    let mut condition =
        json!({"type": type_, "status": status, "lastProbeTime": null, "lastTransitionTime": now});
    if let Some(reason) = reason {
        condition["reason"] = json!(reason);
    }
    if let Some(message) = message {
        condition["message"] = json!(message);
    }
    match conditions.iter_mut().find(|c| c["type"] == type_) {
        Some(existing) => {
            if existing["status"] == status {
                condition["lastTransitionTime"] = existing["lastTransitionTime"].clone();
            }
            *existing = condition;
        }
        None => conditions.push(condition),
    }
    true
}

fn set_scheduled_condition(
    sim: &Sim,
    namespace: &str,
    pod_name: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: &str,
) {
    let _ = sim.store.modify(pods(), namespace, pod_name, |pod| {
        let before = pod.clone();
        set_condition(
            pod,
            "PodScheduled",
            status,
            Some(reason),
            Some(message),
            now,
        ) && *pod != before
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::state::Sim;

    fn pod(name: &str, cpu: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "default"},
               "spec": {"containers": [{"name": "app", "image": "nginx",
                                        "resources": {"requests": {"cpu": cpu}}}]},
               "status": {"phase": "Pending"}})
    }

    fn node_of(sim: &Sim, name: &str) -> Option<String> {
        sim.store.get(pods(), "default", name).and_then(|p| {
            p.at("/spec/nodeName")
                .and_then(Value::as_str)
                .map(String::from)
        })
    }

    /// A node's room is what its bound, unfinished pods request, as the pods come, change
    /// and go (the sums are kept from the store's changes, not summed again each time).
    #[test]
    fn a_node_has_room_for_what_its_pods_do_not_request() {
        let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 7);
        sim.store
            .create(
                resource("", "nodes"),
                json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                       "status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "110"},
                                  "conditions": [{"type": "Ready", "status": "True"}]}}),
            )
            .unwrap();
        let mut work = Work::default();
        // One round: the nodes are read once, and each pod placed counts against the next.
        let mut nodes = None;
        for (name, cpu) in [("a", "600m"), ("b", "600m"), ("c", "300m")] {
            sim.store.create(pods(), pod(name, cpu)).unwrap();
            reconcile(&sim, &mut work, &mut nodes, "default", name);
        }
        assert_eq!(node_of(&sim, "a").as_deref(), Some("n1"));
        assert_eq!(
            node_of(&sim, "b"),
            None,
            "600m does not fit beside 600m of 1 CPU"
        );
        let scheduled = sim.store.get(pods(), "default", "b").unwrap();
        assert!(
            scheduled.to_string().contains("Insufficient cpu"),
            "{scheduled}"
        );
        assert_eq!(node_of(&sim, "c").as_deref(), Some("n1"));
        // a finishes: its request no longer counts, and b fits (beside c's 300m).
        sim.store
            .modify(pods(), "default", "a", |p| {
                p["status"]["phase"] = json!("Succeeded");
                true
            })
            .unwrap();
        reconcile(&sim, &mut work, &mut None, "default", "b");
        assert_eq!(node_of(&sim, "b").as_deref(), Some("n1"));
        // b goes, and a new pod takes its place.
        sim.store.remove(pods(), "default", "b").unwrap();
        sim.store.create(pods(), pod("d", "700m")).unwrap();
        reconcile(&sim, &mut work, &mut None, "default", "d");
        assert_eq!(node_of(&sim, "d").as_deref(), Some("n1"));
        sim.store.create(pods(), pod("e", "100m")).unwrap();
        reconcile(&sim, &mut work, &mut None, "default", "e");
        assert_eq!(node_of(&sim, "e"), None, "c and d request 1 CPU");
    }
}
