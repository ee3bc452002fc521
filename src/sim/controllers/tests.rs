//! The controllers against objects of any shape: every field of one object of each kind the
//! controllers read is made a string, a number or a list in turn, and a round of reconciling
//! it (and of its owners, namespace and budgets) must not panic. Objects of a wrong shape can
//! reach the store from before validation existed, from a type without a schema, or from a bug;
//! a controller that panics on one stops reconciling the whole cluster.

use std::cell::RefCell;
use std::sync::{Arc, Once};

use serde_json::{Value, json};

use super::{Work, reconcile};
use crate::sim::pointer::Pointer;
use crate::sim::resource::{ResourceType, find_built_in};
use crate::sim::scenario::{ClusterShape, seed};
use crate::sim::state::Sim;
use crate::sim::store::object_key;

thread_local! {
    /// Panics on this thread, even those something caught, as the hook saw them.
    static PANICS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records every panic on the thread where it happens, then lets the usual hook report it.
fn record_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.borrow_mut().push(info.to_string()));
            previous(info);
        }));
    });
}

fn taken_panics() -> Vec<String> {
    PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// The paths of `value`'s fields, as JSON pointers, down to `depth` object levels (list items
/// are looked into at the first two positions without counting a level).
fn field_paths(value: &Value, prefix: &str, depth: usize, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if depth > 0 => {
            for (key, child) in map {
                let path = format!("{prefix}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(path.clone());
                field_paths(child, &path, depth - 1, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().take(2).enumerate() {
                let path = format!("{prefix}/{index}");
                out.push(path.clone());
                field_paths(item, &path, depth, out);
            }
        }
        _ => {}
    }
}

fn replaced(object: &Value, pointer: &str, with: &Value) -> Value {
    let mut out = object.clone();
    if let Some(slot) = out.at_mut(pointer) {
        *slot = with.clone();
    }
    out
}

/// Stores `object` as it is, bypassing admission, and runs one round of the controllers that
/// care about it. Returns the panics the round caused.
fn reconcile_with(sim: &Arc<Sim>, resource: &'static ResourceType, object: Value) -> Vec<String> {
    let mut changes = sim.store.subscribe();
    let (namespace, name) = object_key(&object);
    if sim.store.get(resource, &namespace, &name).is_some() {
        let _ = sim.store.update(resource, object, None);
    } else {
        let _ = sim.store.create(resource, object);
    }
    // A fresh Work: no timers of its own, and the periodic controllers (CronJobs, node
    // lifecycle, leases) due at once, so every controller looks.
    let mut work = Work::default();
    while let Ok(change) = changes.try_recv() {
        work.note(&change);
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reconcile(sim, &mut work)));
    taken_panics()
}

fn first_of(sim: &Sim, resource: &'static ResourceType, keep: impl Fn(&Value) -> bool) -> Value {
    let (objects, _, _) = sim.store.list(resource, None, None, |o| keep(o), 0);
    objects
        .first()
        .map(|o| (**o).clone())
        .unwrap_or_else(|| panic!("the seeded cluster has a {}", resource.kind))
}

#[test]
fn controllers_survive_objects_of_any_shape() {
    record_panics();
    let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 7);
    let _ = seed(&sim, &ClusterShape::default());
    let kind = |group: &str, plural: &str| find_built_in(group, "v1", plural).expect("built in");
    let pods = kind("", "pods");
    // A pod no node has taken yet, as a controller would create it.
    let mut unscheduled = first_of(&sim, pods, |p| {
        p.at("/metadata/ownerReferences/0/kind") == Some(&json!("ReplicaSet"))
    });
    unscheduled["metadata"]["name"] = json!("fresh-pod");
    if let Some(spec) = unscheduled["spec"].as_object_mut() {
        spec.remove("nodeName");
    }
    unscheduled["status"] = json!({"phase": "Pending"});
    let mut terminating = first_of(&sim, pods, |p| p.at("/spec/nodeName").is_some());
    terminating["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
    let mut targets: Vec<(&'static ResourceType, Value)> = vec![
        (pods, unscheduled),
        (pods, terminating),
        (
            pods,
            first_of(&sim, pods, |p| {
                p.at("/metadata/ownerReferences/0/kind") == Some(&json!("StatefulSet"))
            }),
        ),
        (
            pods,
            first_of(&sim, pods, |p| {
                p.at("/metadata/ownerReferences/0/kind") == Some(&json!("Job"))
            }),
        ),
    ];
    for (group, plural) in [
        ("", "nodes"),
        ("", "namespaces"),
        ("", "services"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("apps", "statefulsets"),
        ("apps", "daemonsets"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
        ("policy", "poddisruptionbudgets"),
        ("coordination.k8s.io", "leases"),
    ] {
        let resource = kind(group, plural);
        targets.push((resource, first_of(&sim, resource, |_| true)));
    }
    let shapes = [json!("x"), json!(7), json!(["x"])];
    let mut failures = Vec::new();
    for (resource, original) in targets {
        let mut paths = Vec::new();
        field_paths(&original, "", 3, &mut paths);
        // The object's identity stays, so that each change is a change of the same object.
        paths.retain(|p| !matches!(p.as_str(), "/metadata/name" | "/metadata/namespace"));
        for path in paths {
            for shape in &shapes {
                let panics = reconcile_with(&sim, resource, replaced(&original, &path, shape));
                let restored = reconcile_with(&sim, resource, original.clone());
                if let Some(first) = panics.into_iter().chain(restored).next() {
                    failures.push(format!("{} {path} = {shape}: {first}", resource.kind));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} shapes panicked a controller:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_charge_admission_made_stands_while_its_object_is_being_stored() {
    let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 7);
    let quotas = find_built_in("", "v1", "resourcequotas").expect("built in");
    let pods = find_built_in("", "v1", "pods").expect("built in");
    sim.store
        .create(
            quotas,
            json!({"apiVersion": "v1", "kind": "ResourceQuota",
                "metadata": {"name": "compute", "namespace": "qt"},
                "spec": {"hard": {"pods": "3"}}}),
        )
        .expect("stored");
    let used = || {
        sim.store
            .get(quotas, "qt", "compute")
            .and_then(|q| q.at("/status/used/pods").cloned())
    };
    // The first round counts every quota.
    let mut work = Work::default();
    reconcile(&sim, &mut work);
    assert_eq!(used(), Some(json!("0")));
    let mut changes = sim.store.subscribe();
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p1", "namespace": "qt"},
        "spec": {"containers": [{"name": "app", "image": "nginx"}]}});
    crate::sim::quota_admission::admit(&sim, pods, "qt", &pod, None, false).expect("admitted");
    assert_eq!(used(), Some(json!("1")));
    // A round between the charge and the pod being stored: the charge is the controller's own
    // kind of change, and upstream's controller counts again on a quota's spec only.
    while let Ok(change) = changes.try_recv() {
        work.note(&change);
    }
    reconcile(&sim, &mut work);
    assert_eq!(used(), Some(json!("1")), "the charge was undone");
    sim.store.create(pods, pod).expect("stored");
    while let Ok(change) = changes.try_recv() {
        work.note(&change);
    }
    reconcile(&sim, &mut work);
    assert_eq!(used(), Some(json!("1")));
}
