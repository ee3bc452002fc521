//! What every workload controller needs: its pods, building a pod from a template, and reading
//! pod readiness.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::sim::api_error::ApiError;
use crate::sim::events::{EventType, controller, record};
use crate::sim::pod_tally::{PodTally, Tallied};
use crate::sim::pointer::Pointer;
use crate::sim::resource::{ResourceType, find_built_in};
use crate::sim::state::Sim;

/// The pods type.
pub fn pods() -> &'static ResourceType {
    find_built_in("", "v1", "pods").expect("pods are served")
}

/// A built-in type by group and plural (all controllers' types are v1).
pub fn resource(group: &str, plural: &str) -> &'static ResourceType {
    find_built_in(group, "v1", plural).expect("built-in type")
}

/// The string at `pointer`, or "" when there is none.
pub fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object.at(pointer).and_then(Value::as_str).unwrap_or("")
}

/// `metadata.uid`.
pub fn uid(object: &Value) -> &str {
    object
        .at("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `metadata.name`.
pub fn name(object: &Value) -> &str {
    object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Objects of `resource` in `namespace` whose controller is the object with `owner_uid`. Pods
/// are found through `PodsByController`: a ReplicaSet's reconcile, at every change of one of
/// its pods, reads its own pods rather than each of the 2,500 in its namespace; other kinds
/// through the store's graph of owners.
pub fn owned_by(
    sim: &Sim,
    resource: &ResourceType,
    namespace: &str,
    owner_uid: &str,
) -> Vec<Arc<Value>> {
    if std::ptr::eq(resource, pods()) {
        let keys: Vec<(String, String)> = with_controlled(sim, namespace, owner_uid, |pods| {
            pods.map(|(key, _)| key.clone()).collect()
        });
        return sim
            .store
            .get_all(resource, &keys)
            .into_iter()
            .filter(|pod| controller_uids(pod).any(|uid| uid == owner_uid))
            .collect();
    }
    sim.store
        .dependents(owner_uid)
        .into_iter()
        .filter(|(kind, object)| {
            (kind.group, kind.plural) == (resource.group, resource.plural)
                && object.at("/metadata/namespace").and_then(Value::as_str) == Some(namespace)
                && controller_uids(object).any(|uid| uid == owner_uid)
        })
        .map(|(_, object)| object)
        .collect()
}

/// How many of the pods `owner_uid` controls in `namespace` are active, and how many of
/// those are ready: read from the index alone. A set with the replicas it wants learns its
/// status without reading its 100 pods at each change of one of them.
pub fn owned_pod_counts(sim: &Sim, namespace: &str, owner_uid: &str) -> (usize, usize) {
    with_controlled(sim, namespace, owner_uid, |pods| {
        pods.filter(|(_, state)| state.active)
            .fold((0, 0), |(active, ready), (_, state)| {
                (active + 1, ready + usize::from(state.ready))
            })
    })
}

/// What `read` makes of the pods `owner_uid` controls in `namespace`, with their states, from
/// the index brought to the store's revision (and held while it reads).
fn with_controlled<R>(
    sim: &Sim,
    namespace: &str,
    owner_uid: &str,
    read: impl FnOnce(&mut dyn Iterator<Item = (&(String, String), &PodState)>) -> R,
) -> R {
    Tallied::read(&sim.controlled, sim, |index| {
        let mut pods = index
            .by_controller
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter(|((ns, _), _)| ns == namespace);
        read(&mut pods)
    })
}

/// The uids of the owners an object names as its controller.
fn controller_uids(object: &Value) -> impl Iterator<Item = &str> {
    object
        .at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|o| o["controller"].as_bool() == Some(true))
        .filter_map(|o| o["uid"].as_str())
}

/// What a controller counts of one of its pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodState {
    /// `is_active`.
    pub active: bool,
    /// `is_ready`.
    pub ready: bool,
}

/// Pods by the uid of their controller, with their states, kept from the store's changes
/// (`PodTally`).
#[derive(Default)]
pub struct PodsByController {
    /// Each pod's controllers' uids.
    controllers: HashMap<(String, String), Vec<String>>,
    by_controller: HashMap<String, BTreeMap<(String, String), PodState>>,
}

impl PodTally for PodsByController {
    fn forget(&mut self, key: &(String, String)) {
        for uid in self.controllers.remove(key).into_iter().flatten() {
            if let Some(pods) = self.by_controller.get_mut(&uid) {
                pods.remove(key);
                if pods.is_empty() {
                    self.by_controller.remove(&uid);
                }
            }
        }
    }

    fn count(&mut self, key: (String, String), pod: &Value) {
        let uids: Vec<String> = controller_uids(pod).map(str::to_string).collect();
        if uids.is_empty() {
            return;
        }
        let state = PodState {
            active: is_active(pod),
            ready: is_ready(pod),
        };
        for uid in &uids {
            self.by_controller
                .entry(uid.clone())
                .or_default()
                .insert(key.clone(), state);
        }
        self.controllers.insert(key, uids);
    }
}

/// Neither finished nor being deleted.
pub fn is_active(pod: &Value) -> bool {
    pod.at("/metadata/deletionTimestamp").is_none()
        && !matches!(
            pod.at("/status/phase").and_then(Value::as_str),
            Some("Succeeded" | "Failed")
        )
}

pub use crate::sim::state::is_ready;

/// A controller owner reference to `owner`.
pub fn owner_reference(owner: &Value) -> Value {
    json!({
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// A new pod from `owner`'s pod template at `template_pointer`, named `pod_name`.
pub fn pod_from_template(
    owner: &Value,
    template_pointer: &str,
    pod_name: &str,
    extra_labels: &[(&str, &str)],
) -> Value {
    let template = owner.at(template_pointer).cloned().unwrap_or(json!({}));
    let mut metadata = template.get("metadata").cloned().unwrap_or(json!({}));
    if !metadata.is_object() {
        metadata = json!({});
    }
    metadata["name"] = json!(pod_name);
    metadata["namespace"] = owner["metadata"]["namespace"].clone();
    if !metadata["labels"].is_object() {
        metadata["labels"] = json!({});
    }
    for (key, value) in extra_labels {
        metadata["labels"][*key] = json!(value);
    }
    metadata["ownerReferences"] = json!([owner_reference(owner)]);
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        // A template without an object for a spec gives a pod with an empty one, which admission
        // refuses as the API server would (no containers), rather than a pod of any shape.
        "spec": template.get("spec").filter(|s| s.is_object()).cloned().unwrap_or(json!({})),
    })
}

/// A stable hash of a pod template, spelled like the pod-template-hash label (10 characters).
pub fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in template.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..10)
        .map(|i| ALPHABET[((h >> (i * 6)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// `spec.replicas` (default 1).
pub fn replicas(object: &Value) -> i64 {
    object
        .at("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0)
}

/// Writes `status` (and keeps everything else) if it changed.
pub fn write_status(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: &str,
    name: &str,
    status: Value,
) {
    let _ = sim.store.modify(resource, namespace, name, |object| {
        if object["status"] == status {
            return false;
        }
        object["status"] = status;
        true
    });
}

/// Whether a controller's round left objects it wanted uncreated, the API server having
/// refused them: it is tried again after a back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creations {
    Done,
    Refused,
}

/// Whether the API server refused a creation because the namespace is being terminated, where
/// every creation fails and controllers say nothing of it.
pub fn namespace_terminating(error: &ApiError) -> bool {
    error
        .details
        .as_ref()
        .and_then(|d| d.get("causes"))
        .and_then(Value::as_array)
        .is_some_and(|causes| causes.iter().any(|c| c["reason"] == "NamespaceTerminating"))
}

/// A pod creation refused, as `PodControl` reports it: a Warning `FailedCreate` event about the
/// owner, `Error creating: ` and the API server's message (none when the namespace is being
/// terminated).
pub fn record_failed_create(sim: &Sim, owner: &Value, error: &ApiError, component: &str) {
    if namespace_terminating(error) {
        return;
    }
    record(
        sim,
        owner,
        None,
        EventType::Warning,
        "FailedCreate",
        &format!("Error creating: {}", error.message),
        controller(component),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, owner: &str, ready: bool, deleting: bool) -> Value {
        let mut pod = json!({
            "metadata": {"name": name, "namespace": "ns", "ownerReferences": [
                {"uid": owner, "controller": true}, {"uid": "not-the-controller"}]},
            "status": {"phase": "Running", "conditions": [
                {"type": "Ready", "status": if ready { "True" } else { "False" }}]},
        });
        if deleting {
            pod["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        }
        pod
    }

    fn states(index: &PodsByController, uid: &str) -> Vec<(String, PodState)> {
        index
            .by_controller
            .get(uid)
            .into_iter()
            .flatten()
            .map(|((_, name), state)| (name.clone(), *state))
            .collect()
    }

    #[test]
    fn a_controllers_pods_are_kept_with_their_state_as_they_change() {
        let mut index = PodsByController::default();
        let key = |name: &str| ("ns".to_string(), name.to_string());
        index.count(key("a"), &pod("a", "rs-1", true, false));
        index.count(key("b"), &pod("b", "rs-1", false, false));
        let ready = PodState {
            active: true,
            ready: true,
        };
        let starting = PodState {
            active: true,
            ready: false,
        };
        assert_eq!(
            states(&index, "rs-1"),
            [("a".to_string(), ready), ("b".to_string(), starting)]
        );
        // Only the controller's reference counts.
        assert!(states(&index, "not-the-controller").is_empty());

        // A change is a pod forgotten and counted again.
        index.forget(&key("a"));
        index.count(key("a"), &pod("a", "rs-1", true, true));
        index.forget(&key("b"));
        index.count(key("b"), &pod("b", "rs-1", true, false));
        let deleting = PodState {
            active: false,
            ready: true,
        };
        assert_eq!(
            states(&index, "rs-1"),
            [("a".to_string(), deleting), ("b".to_string(), ready)]
        );

        index.forget(&key("a"));
        index.forget(&key("b"));
        assert!(!index.by_controller.contains_key("rs-1"));
    }
}
