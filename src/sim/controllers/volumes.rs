//! The persistent volume controller with the simulator as every class's provisioner: a claim
//! of a class that exists gets a volume of its size and is bound to it, at once for
//! `Immediate` classes and once a scheduled pod uses it for `WaitForFirstConsumer` ones; a
//! claim of a class that does not exist stays Pending with the `ProvisioningFailed` event the
//! external provisioner's controller writes; a volume whose claim is gone is deleted (policy
//! `Delete`) or Released (`Retain`).

use serde_json::{Value, json};

use super::owned::{pods, resource, text};
use crate::sim::events::{self, EventType};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};

/// Reconciles the claims of one namespace and the volumes they held.
pub fn reconcile(sim: &Sim, namespace: &str) {
    let claims = resource("", "persistentvolumeclaims");
    let (all, _, _) = sim.store.list(claims, Some(namespace), None, |_| true, 0);
    for claim in &all {
        let bound = claim.at("/spec/volumeName").and_then(Value::as_str);
        if bound.is_some_and(|v| !v.is_empty()) || claim.at("/metadata/deletionTimestamp").is_some()
        {
            continue;
        }
        provision(sim, namespace, claim);
    }
    release(sim, namespace, &all);
}

/// Provisions and binds a volume for a Pending claim, when its class allows it now.
fn provision(sim: &Sim, namespace: &str, claim: &Value) {
    let name = text(claim, "/metadata/name");
    let class_name = text(claim, "/spec/storageClassName");
    let controller = events::controller("persistentvolume-controller");
    if class_name.is_empty() {
        // No class and no default one: only a volume created by hand could bind it.
        return;
    }
    let Some(class) = sim
        .store
        .get(resource("storage.k8s.io", "storageclasses"), "", class_name)
    else {
        events::record(
            sim,
            claim,
            None,
            EventType::Warning,
            "ProvisioningFailed",
            &format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            controller,
        );
        return;
    };
    if text(&class, "/volumeBindingMode") == "WaitForFirstConsumer"
        && !consumed(sim, namespace, name)
    {
        events::record(
            sim,
            claim,
            None,
            EventType::Normal,
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
            controller,
        );
        return;
    }
    let volume_name = format!("pvc-{}", text(claim, "/metadata/uid"));
    let size = claim
        .at("/spec/resources/requests/storage")
        .cloned()
        .unwrap_or(json!("1Gi"));
    let access_modes = claim
        .at("/spec/accessModes")
        .cloned()
        .unwrap_or(json!(["ReadWriteOnce"]));
    let reclaim = match text(&class, "/reclaimPolicy") {
        "" => "Delete",
        policy => policy,
    };
    let provisioner = text(&class, "/provisioner");
    let volume = json!({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {
            "name": volume_name,
            "uid": sim.with_rng(|r| r.uuid()),
            // Provisioned as the claim was made (a seeded claim's volume is as old as it).
            "creationTimestamp": claim.at("/metadata/creationTimestamp").cloned()
                .unwrap_or_else(|| json!(time_text(sim.now()))),
            "annotations": {"pv.kubernetes.io/provisioned-by": provisioner},
            "finalizers": ["kubernetes.io/pv-protection"],
        },
        "spec": {
            "capacity": {"storage": size},
            "accessModes": access_modes,
            "persistentVolumeReclaimPolicy": reclaim,
            "storageClassName": class_name,
            "volumeMode": claim.at("/spec/volumeMode").cloned().unwrap_or(json!("Filesystem")),
            "hostPath": {"path": format!("/var/lib/kscope/volumes/{volume_name}"), "type": ""},
            "claimRef": {
                "kind": "PersistentVolumeClaim", "apiVersion": "v1", "namespace": namespace,
                "name": name, "uid": claim["metadata"]["uid"],
                "resourceVersion": claim["metadata"]["resourceVersion"],
            },
        },
        "status": {"phase": "Bound"},
    });
    let volumes = resource("", "persistentvolumes");
    if sim.store.create(volumes, volume).is_err() {
        return;
    }
    let claims = resource("", "persistentvolumeclaims");
    let bound = sim.store.modify(claims, namespace, name, |c| {
        c["spec"]["volumeName"] = json!(volume_name);
        let annotations = c["metadata"]
            .as_object_mut()
            .map(|m| m.entry("annotations").or_insert_with(|| json!({})));
        if let Some(Value::Object(annotations)) = annotations {
            annotations.insert("pv.kubernetes.io/bind-completed".into(), json!("yes"));
            annotations.insert("pv.kubernetes.io/bound-by-controller".into(), json!("yes"));
        }
        c["status"] =
            json!({"phase": "Bound", "accessModes": access_modes, "capacity": {"storage": size}});
        true
    });
    if let Ok(claim) = bound {
        events::record(
            sim,
            &claim,
            None,
            EventType::Normal,
            "ProvisioningSucceeded",
            &format!("Successfully provisioned volume {volume_name}"),
            events::controller(provisioner),
        );
    }
}

/// Whether a scheduled pod in `namespace` mounts claim `name`.
fn consumed(sim: &Sim, namespace: &str, name: &str) -> bool {
    let (found, _, _) = sim.store.list(
        pods(),
        Some(namespace),
        None,
        |pod| {
            !text(pod, "/spec/nodeName").is_empty()
                && pod
                    .at("/spec/volumes")
                    .and_then(Value::as_array)
                    .is_some_and(|volumes| {
                        volumes
                            .iter()
                            .any(|v| text(v, "/persistentVolumeClaim/claimName") == name)
                    })
        },
        1,
    );
    !found.is_empty()
}

/// Volumes bound to claims of `namespace` that are gone: deleted, or Released to be kept.
fn release(sim: &Sim, namespace: &str, claims: &[std::sync::Arc<Value>]) {
    let volumes = resource("", "persistentvolumes");
    let (held, _, _) = sim.store.list(
        volumes,
        None,
        None,
        |v| text(v, "/spec/claimRef/namespace") == namespace && text(v, "/status/phase") == "Bound",
        0,
    );
    for volume in held {
        let claim_uid = text(&volume, "/spec/claimRef/uid");
        if claims.iter().any(|c| text(c, "/metadata/uid") == claim_uid) {
            continue;
        }
        let name = text(&volume, "/metadata/name");
        if text(&volume, "/spec/persistentVolumeReclaimPolicy") == "Delete" {
            let _ = sim.store.remove(volumes, "", name);
        } else {
            let _ = sim.store.modify(volumes, "", name, |v| {
                v["status"] = json!({"phase": "Released"});
                true
            });
        }
    }
}
