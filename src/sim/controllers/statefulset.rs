//! The StatefulSet controller: pods `<name>-0 … <name>-N-1`, created in order, each only once
//! the one before it is running and ready; scaled down from the highest ordinal.

use serde_json::{Value, json};

use super::owned::{
    Creations, is_active, is_ready, name, namespace_terminating, owned_by, pod_from_template, pods,
    replicas, resource, template_hash, uid, write_status,
};
use crate::sim::deletion::delete_default;
use crate::sim::events::{EventType, controller, record};
use crate::sim::fields;
use crate::sim::pointer::Pointer;
use crate::sim::state::Sim;
use crate::sim::write::create_object;

/// Reconciles one StatefulSet; a pod the API server refused is a `FailedCreate` event and the
/// set is tried again later.
pub fn reconcile(sim: &Sim, namespace: &str, set_name: &str) -> Creations {
    let sets = resource("apps", "statefulsets");
    let Some(set) = sim.store.get(sets, namespace, set_name) else {
        return Creations::Done;
    };
    if set.at("/metadata/deletionTimestamp").is_some() {
        return Creations::Done;
    }
    let mut creations = Creations::Done;
    let want = replicas(&set);
    let revision = format!("{set_name}-{}", template_hash(&set["spec"]["template"]));
    let owned = owned_by(sim, pods(), namespace, uid(&set));
    let ordinal = |pod: &Value| {
        name(pod)
            .strip_prefix(&format!("{set_name}-"))
            .and_then(|n| n.parse::<i64>().ok())
    };
    let present: Vec<i64> = owned.iter().filter_map(|p| ordinal(p)).collect();
    for i in 0..want {
        if present.contains(&i) {
            let pod = owned.iter().find(|p| ordinal(p) == Some(i));
            // OrderedReady: wait for each pod before making the next.
            if pod.is_some_and(|p| !is_ready(p)) {
                break;
            }
            continue;
        }
        let pod_name = format!("{set_name}-{i}");
        let mut pod = pod_from_template(
            &set,
            "/spec/template",
            &pod_name,
            &[
                ("statefulset.kubernetes.io/pod-name", pod_name.as_str()),
                ("controller-revision-hash", revision.as_str()),
                ("apps.kubernetes.io/pod-index", &i.to_string()),
            ],
        );
        // The template's spec is an object here: pod_from_template makes one of anything else.
        let _ = fields::set(&mut pod, &["spec", "hostname"], json!(pod_name));
        if let Some(service) = set.at("/spec/serviceName").and_then(Value::as_str) {
            let _ = fields::set(&mut pod, &["spec", "subdomain"], json!(service));
        }
        for claim in set
            .at("/spec/volumeClaimTemplates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let claim_name = claim
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("data");
            let Some(spec) = fields::object_at(&mut pod, &["spec"]) else {
                break;
            };
            let volumes = spec.entry("volumes").or_insert(json!([]));
            if !volumes.is_array() {
                *volumes = json!([]);
            }
            if let Some(volumes) = volumes.as_array_mut() {
                volumes.push(json!({"name": claim_name, "persistentVolumeClaim": {"claimName": format!("{claim_name}-{pod_name}")}}));
            }
            claim_for(sim, &set, namespace, claim, claim_name, &pod_name);
        }
        match create_object(sim, pods(), Some(namespace), pod) {
            Ok(_) => record(
                sim,
                &set,
                None,
                EventType::Normal,
                "SuccessfulCreate",
                &format!("create Pod {pod_name} in StatefulSet {set_name} successful"),
                controller("statefulset-controller"),
            ),
            Err(error) if !namespace_terminating(&error) => {
                record(
                    sim,
                    &set,
                    None,
                    EventType::Warning,
                    "FailedCreate",
                    &format!(
                        "create Pod {pod_name} in StatefulSet {set_name} failed error: {}",
                        error.message
                    ),
                    controller("statefulset-controller"),
                );
                creations = Creations::Refused;
            }
            Err(_) => {}
        }
        break;
    }
    for pod in owned
        .iter()
        .filter(|p| ordinal(p).is_some_and(|i| i >= want) && is_active(p))
    {
        let pod_name = name(pod).to_string();
        if delete_default(sim, pods(), namespace, &pod_name, None).is_ok() {
            record(
                sim,
                &set,
                None,
                EventType::Normal,
                "SuccessfulDelete",
                &format!("delete Pod {pod_name} in StatefulSet {set_name} successful"),
                controller("statefulset-controller"),
            );
        }
    }
    let active: Vec<_> = owned
        .iter()
        .filter(|p| is_active(p) && ordinal(p).is_some_and(|i| i < want))
        .collect();
    let ready = active.iter().filter(|p| is_ready(p)).count();
    let status = json!({
        "observedGeneration": set.at("/metadata/generation").cloned().unwrap_or(json!(1)),
        "replicas": active.len(),
        "readyReplicas": ready,
        "currentReplicas": active.len(),
        "updatedReplicas": active.len(),
        "availableReplicas": ready,
        "currentRevision": revision,
        "updateRevision": revision,
        "collisionCount": 0,
    });
    write_status(sim, sets, namespace, set_name, status);
    creations
}

/// The claim `{template}-{pod}` a pod of the set mounts, made from its template (with the
/// set's selector labels) unless it is there already: claims outlive their pods.
fn claim_for(
    sim: &Sim,
    set: &Value,
    namespace: &str,
    template: &Value,
    template_name: &str,
    pod_name: &str,
) {
    let claims = super::owned::resource("", "persistentvolumeclaims");
    let name = format!("{template_name}-{pod_name}");
    if sim.store.get(claims, namespace, &name).is_some() {
        return;
    }
    let claim = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {
            "name": name, "namespace": namespace,
            "labels": set.at("/spec/selector/matchLabels").cloned().unwrap_or(json!({})),
        },
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
    });
    if create_object(sim, claims, Some(namespace), claim).is_ok() {
        let set_name = set
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        record(
            sim,
            set,
            None,
            EventType::Normal,
            "SuccessfulCreate",
            &format!("create Claim {name} Pod {pod_name} in StatefulSet {set_name} success"),
            controller("statefulset-controller"),
        );
    }
}
