//! The owner tree (k9s's xray): workloads down to their pods and containers, as the
//! controllers link them. A Deployment owns ReplicaSets, which own pods; a StatefulSet,
//! DaemonSet or Job owns pods; a CronJob owns Jobs; a Service picks pods by its selector as the
//! endpoints controller does; a node runs pods. Links are the controller owner references (the
//! uid, so a Deployment deleted and made again under the same name owns nothing of the old
//! one), not names or labels, except for Services, which own nothing.
//!
//! Built from what the watches hold, described by the caller in plain facts, so it is pure and
//! tested without a cluster; the time is passed in.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

use super::container_rows::ContainerRow;
use super::health::Health;
use super::kind::WatchedKind;
use super::selector::{LabelSelector, Labels};
use super::watched::Key;

/// One line's object: a kind's object by key, or a pod's container by name. The tree's cursor
/// is one of these, so it stays on its object whatever comes and goes around it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Object(WatchedKind, Key),
    Container(Key, String),
}

impl Subject {
    /// The short word the line shows for its kind (kubectl's short name: `deploy`, `po`).
    pub fn abbreviation(&self) -> &'static str {
        match self {
            Subject::Object(kind, _) => kind
                .info()
                .short_names
                .first()
                .copied()
                .unwrap_or(kind.info().singular),
            Subject::Container(..) => "co",
        }
    }

    /// The name a line shows: `namespace/name` when the line above it is in another
    /// namespace or there is none (a root, a node's pods), else the name.
    pub fn name(&self, namespace_above: Option<&str>) -> String {
        match self {
            Subject::Object(_, (namespace, name))
                if !namespace.is_empty() && namespace_above != Some(namespace.as_str()) =>
            {
                format!("{namespace}/{name}")
            }
            Subject::Object(_, (_, name)) | Subject::Container(_, name) => name.clone(),
        }
    }

    /// The namespace the object is in (a container: its pod's); empty for a node.
    pub fn namespace(&self) -> &str {
        match self {
            Subject::Object(_, (namespace, _)) | Subject::Container((namespace, _), _) => namespace,
        }
    }
}

/// A workload, Service or node as the tree needs it.
#[derive(Debug, Clone)]
pub struct TreeObject<'a> {
    pub kind: WatchedKind,
    pub key: &'a Key,
    pub uid: &'a str,
    /// The uid of its controller (the owner reference with `controller: true`).
    pub controller: Option<&'a str>,
    /// A Service's selector (plain labels); None selects nothing.
    pub selector: Option<LabelSelector>,
    /// A Service's `spec.publishNotReadyAddresses`.
    pub publish_not_ready: bool,
    pub status: String,
    pub health: Health,
}

/// A pod as the tree needs it.
pub struct TreePod<'a> {
    pub key: &'a Key,
    pub controller: Option<&'a str>,
    pub node: &'a str,
    pub labels: &'a dyn Labels,
    /// It has an IP (`status.podIP`).
    pub has_ip: bool,
    /// `status.phase`.
    pub phase: &'a str,
    /// Being deleted (`metadata.deletionTimestamp`).
    pub terminating: bool,
    /// READY and STATUS as the printer shows them.
    pub ready: &'a str,
    pub status: &'a str,
    pub restarts: i64,
    /// When a counted container last ended (RESTARTS' "(5m ago)").
    pub last_restart: Option<Timestamp>,
    pub health: Health,
}

impl TreePod<'_> {
    /// The line's status: READY, STATUS and RESTARTS as `kubectl get pods` prints them.
    fn line_status(&self, now: Timestamp) -> String {
        let restarts = match self.last_restart {
            Some(at) if self.restarts != 0 => format!(
                "{} ({} ago)",
                self.restarts,
                super::duration::human_duration(now.duration_since(at))
            ),
            _ => self.restarts.to_string(),
        };
        format!("{} {}, restarts {restarts}", self.ready, self.status)
    }
}

/// Everything the watches hold that a tree may show.
#[derive(Default)]
pub struct Inventory<'a> {
    pub objects: Vec<TreeObject<'a>>,
    pub pods: Vec<TreePod<'a>>,
}

/// One line of the tree, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub subject: Subject,
    /// What it is called on the line (`Subject::name`).
    pub name: String,
    /// The branch glyphs before it (`│ ├─`); empty for a root.
    pub guides: String,
    pub status: String,
    pub health: Health,
    /// It has lines under it (shown, or folded away).
    pub children: bool,
    pub folded: bool,
}

impl Line {
    pub fn is_root(&self) -> bool {
        self.guides.is_empty()
    }
}

/// The inventory's links, worked out once per tree.
struct Index<'i, 'a> {
    inventory: &'i Inventory<'a>,
    /// Objects by kind and key.
    objects: HashMap<(WatchedKind, &'i Key), usize>,
    /// Objects by their controller's uid.
    owned_objects: HashMap<&'a str, Vec<usize>>,
    /// Pods by their controller's uid.
    owned_pods: HashMap<&'a str, Vec<usize>>,
    /// Pods by node, and by namespace (for Services).
    pods_on: HashMap<&'a str, Vec<usize>>,
    pods_in: HashMap<&'i str, Vec<usize>>,
    now: Timestamp,
}

impl<'i, 'a> Index<'i, 'a> {
    fn new(inventory: &'i Inventory<'a>, now: Timestamp) -> Self {
        let mut index = Index {
            inventory,
            objects: HashMap::new(),
            owned_objects: HashMap::new(),
            owned_pods: HashMap::new(),
            pods_on: HashMap::new(),
            pods_in: HashMap::new(),
            now,
        };
        for (i, object) in inventory.objects.iter().enumerate() {
            index.objects.insert((object.kind, object.key), i);
            if let Some(owner) = object.controller {
                index.owned_objects.entry(owner).or_default().push(i);
            }
        }
        for (i, pod) in inventory.pods.iter().enumerate() {
            if let Some(owner) = pod.controller {
                index.owned_pods.entry(owner).or_default().push(i);
            }
            index.pods_on.entry(pod.node).or_default().push(i);
            index.pods_in.entry(pod.key.0.as_str()).or_default().push(i);
        }
        index
    }

    /// The lines under an object, in name order, without their own children.
    fn children(
        &self,
        subject: &Subject,
        containers: &mut dyn FnMut(&Key) -> Vec<ContainerRow>,
    ) -> Vec<(Subject, String, Health)> {
        let pods = self.inventory.pods.as_slice();
        let now = self.now;
        let pod_line = |i: &usize| {
            let pod = &pods[*i];
            (
                Subject::Object(WatchedKind::Pods, pod.key.clone()),
                pod.line_status(now),
                pod.health,
            )
        };
        let mut children: Vec<(Subject, String, Health)> = match subject {
            Subject::Container(..) => Vec::new(),
            Subject::Object(WatchedKind::Pods, key) => containers(key)
                .into_iter()
                .map(|row| {
                    (
                        Subject::Container(key.clone(), row.name.clone()),
                        container_status(&row),
                        row.health,
                    )
                })
                .collect(),
            Subject::Object(WatchedKind::Nodes, (_, node)) => self
                .pods_on
                .get(node.as_str())
                .into_iter()
                .flatten()
                .map(pod_line)
                .collect(),
            Subject::Object(WatchedKind::Services, key) => {
                let Some(service) = self.object(WatchedKind::Services, key) else {
                    return Vec::new();
                };
                let Some(selector) = &service.selector else {
                    return Vec::new();
                };
                self.pods_in
                    .get(key.0.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|i| {
                        let pod = &pods[**i];
                        selector.matches(pod.labels)
                            && picked_by_endpoints(pod, service.publish_not_ready)
                    })
                    .map(pod_line)
                    .collect()
            }
            Subject::Object(kind, key) => {
                let Some(object) = self.object(*kind, key) else {
                    return Vec::new();
                };
                let mut lines: Vec<(Subject, String, Health)> = self
                    .owned_objects
                    .get(object.uid)
                    .into_iter()
                    .flatten()
                    .map(|i| &self.inventory.objects[*i])
                    // Owned objects live in their owner's namespace.
                    .filter(|owned| owned.key.0 == key.0)
                    .map(|owned| {
                        (
                            Subject::Object(owned.kind, owned.key.clone()),
                            owned.status.clone(),
                            owned.health,
                        )
                    })
                    .collect();
                lines.extend(
                    self.owned_pods
                        .get(object.uid)
                        .into_iter()
                        .flatten()
                        .filter(|i| pods[**i].key.0 == key.0)
                        .map(pod_line),
                );
                lines
            }
        };
        if !matches!(subject, Subject::Object(WatchedKind::Pods, _)) {
            // Containers keep the pod's order (init, sidecars, app); the rest go by name.
            children.sort_by(|a, b| a.0.cmp(&b.0));
        }
        children
    }

    fn object(&self, kind: WatchedKind, key: &Key) -> Option<&'i TreeObject<'a>> {
        self.objects
            .get(&(kind, key))
            .map(|i| &self.inventory.objects[*i])
    }

    fn root(&self, subject: &Subject) -> Option<(String, Health)> {
        match subject {
            Subject::Object(WatchedKind::Pods, key) => self
                .inventory
                .pods
                .iter()
                .find(|pod| pod.key == key)
                .map(|pod| (pod.line_status(self.now), pod.health)),
            Subject::Object(kind, key) => self
                .object(*kind, key)
                .map(|o| (o.status.clone(), o.health)),
            Subject::Container(..) => None,
        }
    }
}

/// Whether the endpoints controller lists a pod its Service selects: one with an IP, not
/// finished (Succeeded or Failed), not being deleted unless the Service publishes addresses
/// that are not ready (`ShouldPodBeInEndpoints`).
pub fn picked_by_endpoints(pod: &TreePod<'_>, publish_not_ready: bool) -> bool {
    pod.has_ip
        && !matches!(pod.phase, "Succeeded" | "Failed")
        && (!pod.terminating || publish_not_ready)
}

/// The tree's lines from `roots` (those the inventory no longer holds are left out), each
/// object's children under it unless `folded` says it is folded. `containers` gives a pod's containers,
/// asked only for pods whose lines are unfolded and shown.
pub fn tree_lines(
    inventory: &Inventory<'_>,
    roots: &[Subject],
    folded: &dyn Fn(&Subject) -> bool,
    containers: &mut dyn FnMut(&Key) -> Vec<ContainerRow>,
    now: Timestamp,
) -> Vec<Line> {
    let index = Index::new(inventory, now);
    let mut lines = Vec::new();
    for root in roots {
        let Some((status, health)) = index.root(root) else {
            continue;
        };
        push(
            &index,
            &mut lines,
            (root.clone(), status, health),
            None,
            "",
            folded,
            containers,
        );
    }
    lines
}

/// A line and, unless folded, the lines under it; `guides` is its own glyphs, `below` what
/// its children's glyphs start with.
fn push(
    index: &Index<'_, '_>,
    lines: &mut Vec<Line>,
    (subject, mut status, mut health): (Subject, String, Health),
    namespace_above: Option<&str>,
    guides: &str,
    folded: &dyn Fn(&Subject) -> bool,
    containers: &mut dyn FnMut(&Key) -> Vec<ContainerRow>,
) {
    let is_folded = folded(&subject);
    let children = if is_folded {
        // Folded: only whether there is anything under it. A pod always has containers.
        match &subject {
            Subject::Object(WatchedKind::Pods, _) => Vec::new(),
            _ => index.children(&subject, containers),
        }
    } else {
        index.children(&subject, containers)
    };
    if let Subject::Object(WatchedKind::Services, key) = &subject
        && index
            .object(WatchedKind::Services, key)
            .is_some_and(|s| s.selector.is_some())
    {
        let ready = children
            .iter()
            .filter(|(_, _, health)| *health == Health::Healthy)
            .count();
        status = format!("{status}, {ready}/{} pods ready", children.len());
        health = if ready == 0 {
            Health::Failing
        } else {
            Health::Healthy
        };
    }
    let has_children = match &subject {
        Subject::Object(WatchedKind::Pods, _) if is_folded => true,
        _ => !children.is_empty(),
    };
    let name = subject.name(namespace_above);
    lines.push(Line {
        name,
        subject,
        guides: guides.to_string(),
        status,
        health,
        children: has_children,
        folded: is_folded && has_children,
    });
    if is_folded {
        return;
    }
    // The glyphs of the children: this line's, with its own branch turned into a rail.
    let rail = match guides.strip_suffix("├─") {
        Some(before) => format!("{before}│ "),
        None => match guides.strip_suffix("└─") {
            Some(before) => format!("{before}  "),
            None => guides.to_string(),
        },
    };
    let count = children.len();
    let namespace = lines
        .last()
        .map(|l| l.subject.namespace().to_string())
        .unwrap_or_default();
    let namespace = namespace.as_str();
    for (i, child) in children.into_iter().enumerate() {
        let branch = if i + 1 == count { "└─" } else { "├─" };
        push(
            index,
            lines,
            child,
            Some(namespace),
            &format!("{rail}{branch}"),
            folded,
            containers,
        );
    }
}

/// A container's line: its state as the kubelet reports it, whether it is ready, its restarts.
fn container_status(row: &ContainerRow) -> String {
    let ready = if row.ready { "ready" } else { "not ready" };
    format!("{}, {ready}, restarts {}", row.state, row.restarts)
}

/// A workload's or Service's line, in the words of its `kubectl get` row, and its health:
/// Deployments, ReplicaSets and StatefulSets `READY ready/desired`, DaemonSets `ready/desired`
/// of the nodes it should run on, Jobs their STATUS and COMPLETIONS, CronJobs whether
/// suspended and how many Jobs run, Services their type.
pub fn object_status(kind: WatchedKind, object: &Value, now: Timestamp) -> (String, Health) {
    let int = |pointer: &str| object.pointer(pointer).and_then(Value::as_i64).unwrap_or(0);
    let cells = super::table::cells(kind.kind_name(), object, now).unwrap_or_default();
    let cell = |i: usize| {
        cells
            .get(i)
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    let counted = |ready: i64, desired: i64| {
        let health = if ready >= desired {
            if desired == 0 {
                Health::Done
            } else {
                Health::Healthy
            }
        } else {
            Health::Progressing
        };
        (format!("{ready}/{desired} ready"), health)
    };
    match kind {
        WatchedKind::Deployments => {
            let (text, health) = counted(int("/status/readyReplicas"), int("/spec/replicas"));
            let stuck = object
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| {
                    c.get("reason").and_then(Value::as_str) == Some("ProgressDeadlineExceeded")
                        || (c.get("type").and_then(Value::as_str) == Some("ReplicaFailure")
                            && c.get("status").and_then(Value::as_str) == Some("True"))
                });
            (text, if stuck { Health::Failing } else { health })
        }
        WatchedKind::ReplicaSets | WatchedKind::StatefulSets => {
            counted(int("/status/readyReplicas"), int("/spec/replicas"))
        }
        WatchedKind::DaemonSets => counted(
            int("/status/numberReady"),
            int("/status/desiredNumberScheduled"),
        ),
        // NAME, STATUS, COMPLETIONS, ...
        WatchedKind::Jobs => {
            let status = cell(1);
            let health = match status.as_str() {
                "Complete" | "SuccessCriteriaMet" => Health::Done,
                "Failed" | "FailureTarget" => Health::Failing,
                _ => Health::Progressing,
            };
            (format!("{status} {}", cell(2)), health)
        }
        // NAME, SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, ...
        WatchedKind::CronJobs => {
            let suspended = cell(3) == "True";
            let text = format!(
                "{}{}, active {}, last schedule {}",
                cell(1),
                if suspended { " (suspended)" } else { "" },
                cell(4),
                cell(5)
            );
            (text, Health::Healthy)
        }
        // NAME, TYPE, ...
        WatchedKind::Services => (cell(1), Health::Healthy),
        _ => (String::new(), Health::Unknown),
    }
}

#[cfg(test)]
#[path = "owner_tree_tests.rs"]
mod tests;
