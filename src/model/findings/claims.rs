//! PersistentVolumeClaims stuck Pending, by what the provisioner says (a class that does not
//! exist, a provisioning error): claims failing alike in a namespace are one finding, and the
//! pods waiting on them are its members rather than findings of their own.

use std::collections::HashMap;

use jiff::SignedDuration;

use super::{Affected, Builder, Severity, TriageInput, blank, earliest};
use crate::model::duration::human_duration;
use crate::model::event::Event;
use crate::model::workload_explain::text;

/// A claim Pending this long is not just being provisioned.
const PENDING_LONG: SignedDuration = SignedDuration::from_secs(60);

/// Places each claim Pending past a minute, with the Warning the provisioner last gave, and
/// the pods that mount it.
pub(super) fn claims(input: &TriageInput<'_>, builder: &mut Builder) {
    let mut warnings: HashMap<(&str, &str), &Event> = HashMap::new();
    for event in input.events {
        let object = &event.involved_object;
        if object.kind != "PersistentVolumeClaim" || event.type_ != "Warning" {
            continue;
        }
        let key = (object.namespace.as_str(), object.name.as_str());
        match warnings.get(&key) {
            Some(seen) if seen.last_seen() >= event.last_seen() => {}
            _ => {
                warnings.insert(key, event);
            }
        }
    }
    for (kind, claim) in input.workloads {
        if *kind != "PersistentVolumeClaim"
            || text(claim, "/status/phase") != "Pending"
            || claim.pointer("/metadata/deletionTimestamp").is_some()
        {
            continue;
        }
        let (namespace, name) = (
            text(claim, "/metadata/namespace"),
            text(claim, "/metadata/name"),
        );
        let created = text(claim, "/metadata/creationTimestamp")
            .parse::<jiff::Timestamp>()
            .ok();
        if created.is_some_and(|at| input.now.duration_since(at) < PENDING_LONG) {
            continue;
        }
        // Without a Warning, a claim waiting for its first consumer is as it should be.
        let Some(event) = warnings.get(&(namespace, name)) else {
            continue;
        };
        let message = event.message.trim();
        let id = format!("claims/{namespace}/{message}");
        let waiting: Vec<_> = input
            .pods
            .iter()
            .filter(|pod| {
                pod.metadata.namespace == namespace
                    && pod.metadata.deletion_timestamp.is_none()
                    && pod.spec.volumes.iter().any(|v| {
                        v.persistent_volume_claim
                            .as_ref()
                            .is_some_and(|c| c.claim_name == name)
                    })
            })
            .collect();
        let severity = if waiting.is_empty() {
            Severity::Warning
        } else {
            Severity::Critical
        };
        let finding = builder.entry(&id, || {
            blank(severity, format!("volume claim Pending: {message}"))
        });
        finding.severity = finding.severity.min(severity);
        finding.members.push(Affected::new(
            "PersistentVolumeClaim",
            namespace,
            name,
            text(claim, "/metadata/uid"),
        ));
        finding.scope.namespaces.push(namespace.to_string());
        finding.since = earliest(finding.since, created);
        let age = created
            .map(|at| human_duration(input.now.duration_since(at)))
            .unwrap_or_else(|| "-".into());
        let class = text(claim, "/spec/storageClassName");
        finding.evidence.push(format!(
            "persistentvolumeclaim {name}: Pending for {age}, storage class {}",
            if class.is_empty() { "(none)" } else { class }
        ));
        finding.evidence.push(format!(
            "{} ×{}: {message}",
            event.reason,
            event.count.unwrap_or(1).max(1)
        ));
        if let Some(missing) = message
            .strip_prefix("storageclass.storage.k8s.io \"")
            .and_then(|rest| rest.strip_suffix("\" not found"))
        {
            finding.hints.push(format!(
                "No StorageClass \"{missing}\" exists (`kubectl get storageclass`). Create it, or make the claim again with spec.storageClassName set to one that exists: a claim's class cannot be changed once made."
            ));
        } else {
            finding.hints.push(format!(
                "`kubectl describe pvc {name} -n {namespace}` shows the provisioner's events; check the provisioner of class {class} is running."
            ));
        }
        let mut placed = Vec::new();
        for pod in waiting {
            let meta = &pod.metadata;
            finding
                .members
                .push(Affected::new("Pod", &meta.namespace, &meta.name, &meta.uid));
            finding.pods += 1;
            let workload = super::pods::owner_workload(pod);
            if let Some(workload) = &workload {
                finding.scope.workloads.push(workload.clone());
            }
            placed.push((meta, workload));
        }
        for (meta, workload) in placed {
            builder.place(&meta.namespace, &meta.name, workload.as_ref(), &id);
        }
    }
}
