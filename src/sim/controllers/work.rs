//! What the controllers still have to look at: objects changed since they last looked, and
//! timers for changes that happen by themselves (a container crashing, a grace period ending).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::sim::pointer::Pointer;
use crate::sim::resource::{ResourceType, find_built_in};
use crate::sim::state::Sim;
use crate::sim::store::{Change, ChangeType, object_key};

/// Dirty sets and timers.
#[derive(Default)]
pub struct Work {
    pods: BTreeSet<(String, String)>,
    owners: BTreeSet<(String, String, String)>,
    namespaces: BTreeSet<String>,
    budget_namespaces: BTreeSet<String>,
    /// Namespaces whose claims may bind now; `claims_everywhere` for all of them (a class
    /// changed, or at start).
    claim_namespaces: BTreeSet<String>,
    claims_everywhere: bool,
    /// Namespaces whose quotas to count again; `quotas_everywhere` for all of them (at start,
    /// and on the controller's resync period).
    quota_namespaces: BTreeSet<String>,
    quotas_everywhere: bool,
    next_quota_resync: Option<Timestamp>,
    /// Owners (kind, namespace, name) whose last round had a creation refused, with how many
    /// rounds in a row, and when each is tried again.
    refused: HashMap<(String, String, String), u32>,
    owner_timers: BinaryHeap<Reverse<(Timestamp, String, String, String)>>,
    nodes_changed: bool,
    cron_due: bool,
    unscheduled: HashSet<(String, String)>,
    timers: BinaryHeap<Reverse<(Timestamp, String, String)>>,
    next_cron: Option<Timestamp>,
    /// Objects the garbage collector holds (Foreground or Orphan deletion), by uid.
    collecting: BTreeMap<String, Collected>,
    /// Of those, the ones whose dependents changed since it last looked.
    collect_dirty: BTreeSet<String>,
    /// CertificateSigningRequests changed since the signer last looked.
    certificate_requests: BTreeSet<String>,
}

/// How often the resource quota controller counts every quota again
/// (`--resource-quota-sync-period`).
const QUOTA_RESYNC: SignedDuration = SignedDuration::from_secs(300);

/// The longest an owner whose creations are refused waits before trying again.
const MAX_BACKOFF: SignedDuration = SignedDuration::from_secs(30);

/// An object held by the garbage collector: its type, namespace and name.
pub type Collected = (&'static ResourceType, String, String);

fn uid_of(object: &Value) -> &str {
    object
        .at("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn controller_of(object: &Value) -> Option<(String, String)> {
    object
        .at("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|o| o["controller"].as_bool() == Some(true))
        .map(|o| {
            (
                o["kind"].as_str().unwrap_or("").to_string(),
                o["name"].as_str().unwrap_or("").to_string(),
            )
        })
}

impl Work {
    /// Marks every pod, workload and namespace dirty (at start, or after missed changes).
    pub fn everything(&mut self, sim: &Sim) {
        self.claims_everywhere = true;
        self.quotas_everywhere = true;
        for (group, plural) in [
            ("", "pods"),
            ("apps", "replicasets"),
            ("", "replicationcontrollers"),
            ("apps", "deployments"),
            ("apps", "statefulsets"),
            ("apps", "daemonsets"),
            ("batch", "jobs"),
            ("", "namespaces"),
        ] {
            let resource = find_built_in(group, "v1", plural).expect("built-in type");
            let (objects, _, _) = sim.store.list(resource, None, None, |_| true, 0);
            for object in objects {
                let (namespace, name) = object_key(&object);
                match resource.kind {
                    "Pod" => {
                        self.budget_namespaces.insert(namespace.clone());
                        self.pods.insert((namespace, name));
                    }
                    "Namespace" => {
                        self.namespaces.insert(name);
                    }
                    kind => {
                        self.owners.insert((kind.to_string(), namespace, name));
                    }
                }
            }
        }
        self.nodes_changed = true;
        self.cron_due = true;
        if let Some(requests) =
            find_built_in("certificates.k8s.io", "v1", "certificatesigningrequests")
        {
            let (all, _, _) = sim.store.list(requests, None, None, |_| true, 0);
            self.certificate_requests
                .extend(all.iter().map(|csr| object_key(csr).1));
        }
        for resource in sim.registry.all() {
            let (held, _, _) = sim.store.list(
                resource,
                None,
                None,
                super::garbage_collector::awaits_collector,
                0,
            );
            for object in held {
                self.hold(resource, &object);
            }
        }
    }

    fn hold(&mut self, resource: &'static ResourceType, object: &Value) {
        let uid = uid_of(object).to_string();
        let (namespace, name) = object_key(object);
        self.collecting
            .insert(uid.clone(), (resource, namespace, name));
        self.collect_dirty.insert(uid);
    }

    /// Notes a change for the garbage collector: an object it now holds, or a dependent of one
    /// it holds that changed or went.
    fn note_for_collector(&mut self, change: &Change) {
        let object = &change.object;
        let uid = uid_of(object);
        if change.change != ChangeType::Deleted
            && super::garbage_collector::awaits_collector(object)
        {
            self.hold(change.resource, object);
        } else if self.collecting.remove(uid).is_some() {
            self.collect_dirty.remove(uid);
        }
        if self.collecting.is_empty() {
            return;
        }
        for owner in object
            .at("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(
                change
                    .previous
                    .as_deref()
                    .and_then(|p| p.at("/metadata/ownerReferences"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
        {
            if let Some(owner_uid) = owner["uid"].as_str()
                && self.collecting.contains_key(owner_uid)
            {
                self.collect_dirty.insert(owner_uid.to_string());
            }
        }
    }

    /// The held objects to look at again.
    pub fn take_collections(&mut self) -> Vec<Collected> {
        std::mem::take(&mut self.collect_dirty)
            .into_iter()
            .filter_map(|uid| self.collecting.get(&uid).cloned())
            .collect()
    }

    /// Notes one change.
    pub fn note(&mut self, change: &Change) {
        self.note_for_collector(change);
        let object = &change.object;
        let namespace = change.namespace.clone();
        let name = change.name.clone();
        match (change.resource.group, change.resource.kind) {
            ("", "Pod") => {
                if let Some((kind, owner)) = controller_of(object) {
                    self.owners.insert((kind, namespace.clone(), owner));
                }
                // A claim waiting for its first consumer binds once that pod is scheduled.
                if object
                    .at("/spec/volumes")
                    .and_then(Value::as_array)
                    .is_some_and(|v| v.iter().any(|v| v.get("persistentVolumeClaim").is_some()))
                {
                    self.claim_namespaces.insert(namespace.clone());
                }
                self.budget_namespaces.insert(namespace.clone());
                self.pods.insert((namespace, name));
            }
            ("apps", "ReplicaSet") => {
                if let Some((kind, owner)) = controller_of(object) {
                    self.owners.insert((kind, namespace.clone(), owner));
                }
                self.owners.insert(("ReplicaSet".into(), namespace, name));
            }
            ("apps", kind @ ("Deployment" | "StatefulSet" | "DaemonSet"))
            | ("", kind @ "ReplicationController")
            | ("batch", kind @ "Job") => {
                self.owners.insert((kind.to_string(), namespace, name));
            }
            ("", "Node") => self.nodes_changed = true,
            ("", "Namespace") => {
                self.namespaces.insert(name);
            }
            ("policy", "PodDisruptionBudget") | ("", "Service") => {
                self.budget_namespaces.insert(namespace);
            }
            ("", "PersistentVolumeClaim") => {
                self.claim_namespaces.insert(namespace);
            }
            ("storage.k8s.io", "StorageClass") => self.claims_everywhere = true,
            ("certificates.k8s.io", "CertificateSigningRequest")
                if change.change != ChangeType::Deleted =>
            {
                self.certificate_requests.insert(name);
            }
            ("batch", "CronJob") => self.cron_due = true,
            // Any object leaving a terminating namespace may let it finish.
            _ => {}
        }
        if !change.namespace.is_empty() {
            self.namespaces.insert(change.namespace.clone());
            // What quotas count may have changed (Events are not counted). A quota whose spec
            // is as it was (admission charging it, this controller counting it) is not a reason
            // to count again, as upstream's controller watches quotas' specs only: counted
            // between a create's charge and its object being stored, the charge was undone and
            // a `get quota` right after the create read the old usage.
            if change.resource.kind != "Event" && !quota_status_only(change) {
                self.quota_namespaces.insert(change.namespace.clone());
            }
        }
    }

    /// Moves due timers into the dirty sets.
    pub fn fire_timers(&mut self, now: Timestamp) {
        while let Some(Reverse((at, _, _))) = self.timers.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((_, namespace, name))) = self.timers.pop() {
                self.pods.insert((namespace, name));
            }
        }
        if self.next_cron.is_none_or(|at| at <= now) {
            self.cron_due = true;
        }
        while let Some(Reverse((at, _, _, _))) = self.owner_timers.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((_, kind, namespace, name))) = self.owner_timers.pop() {
                self.owners.insert((kind, namespace, name));
            }
        }
        if self.next_quota_resync.is_none_or(|at| at <= now) {
            self.quotas_everywhere = true;
            self.next_quota_resync = Some(now + QUOTA_RESYNC);
        }
    }

    /// An owner's round had a creation refused: it is looked at again after a back-off that
    /// doubles with each refused round in a row, from a second up to `MAX_BACKOFF` (a
    /// controller's work queue backs off up to 1000 s; the simulator's clusters move faster).
    pub fn creation_refused(&mut self, kind: &str, namespace: &str, name: &str, now: Timestamp) {
        let key = (kind.to_string(), namespace.to_string(), name.to_string());
        let rounds = self.refused.entry(key).or_insert(0);
        *rounds += 1;
        let backoff = SignedDuration::from_secs(1 << (*rounds - 1).min(5)).min(MAX_BACKOFF);
        self.owner_timers.push(Reverse((
            now + backoff,
            kind.to_string(),
            namespace.to_string(),
            name.to_string(),
        )));
    }

    /// An owner's round created all it wanted: its back-off starts again from a second.
    pub fn creations_done(&mut self, kind: &str, namespace: &str, name: &str) {
        if !self.refused.is_empty() {
            self.refused
                .remove(&(kind.to_string(), namespace.to_string(), name.to_string()));
        }
    }

    /// The namespaces whose quotas to count, and whether that is all of them.
    pub fn take_quota_namespaces(&mut self) -> (BTreeSet<String>, bool) {
        (
            std::mem::take(&mut self.quota_namespaces),
            std::mem::take(&mut self.quotas_everywhere),
        )
    }

    /// Looks at a pod again at `at`.
    pub fn pod_timer(&mut self, at: Timestamp, namespace: String, name: String) {
        self.timers.push(Reverse((at, namespace, name)));
    }

    /// Remembers a pod no node could take, to try again when nodes change.
    pub fn unschedulable(&mut self, namespace: &str, name: &str, now: Timestamp) {
        self.unscheduled
            .insert((namespace.to_string(), name.to_string()));
        self.pod_timer(
            now + SignedDuration::from_secs(30),
            namespace.to_string(),
            name.to_string(),
        );
    }

    /// Nodes changed: every pod waiting for one is tried again.
    pub fn retry_unscheduled(&mut self) {
        for pod in self.unscheduled.drain() {
            self.pods.insert(pod);
        }
    }

    /// The periodic controllers (CronJobs, node lifecycle) next run in 5 seconds.
    pub fn schedule_cron(&mut self, now: Timestamp) {
        self.next_cron = Some(now + SignedDuration::from_secs(5));
    }

    pub fn take_pods(&mut self) -> BTreeSet<(String, String)> {
        std::mem::take(&mut self.pods)
    }

    pub fn take_owners(&mut self) -> Vec<(String, String, String)> {
        // Deployments first: what they change is then seen by the ReplicaSet pass.
        let mut owners: Vec<_> = std::mem::take(&mut self.owners).into_iter().collect();
        owners.sort_by_key(|(kind, _, _)| if kind == "Deployment" { 0 } else { 1 });
        owners
    }

    pub fn take_namespaces(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.namespaces)
    }

    pub fn take_budget_namespaces(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.budget_namespaces)
    }

    /// The namespaces whose claims to look at, and whether that is all of them.
    pub fn take_claim_namespaces(&mut self) -> (BTreeSet<String>, bool) {
        (
            std::mem::take(&mut self.claim_namespaces),
            std::mem::take(&mut self.claims_everywhere),
        )
    }

    /// The certificate signing requests to look at.
    pub fn take_certificate_requests(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.certificate_requests)
    }

    pub fn take_nodes_changed(&mut self) -> bool {
        std::mem::take(&mut self.nodes_changed)
    }

    pub fn take_cron_due(&mut self) -> bool {
        std::mem::take(&mut self.cron_due)
    }
}

/// Whether a change is a ResourceQuota's whose spec stayed as it was.
fn quota_status_only(change: &Change) -> bool {
    change.resource.group.is_empty()
        && change.resource.kind == "ResourceQuota"
        && change.change == ChangeType::Modified
        && change
            .previous
            .as_ref()
            .is_some_and(|previous| previous.get("spec") == change.object.get("spec"))
}
