//! A namespace's STATUS, and what holds a namespace in Terminating.

use jiff::Timestamp;

use super::duration::{age, human_duration};
use super::namespace::Namespace;
use super::pod_status::{shown, timestamp_shown};
use super::trace::{Step, Trace};

/// One row of `kubectl get namespaces`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceRow {
    pub name: String,
    pub status: String,
    pub age: String,
}

/// Computes the namespace's row, recording what its state rests on.
pub fn namespace_row(
    namespace: &Namespace,
    now: Timestamp,
    trace: &mut impl Trace,
) -> NamespaceRow {
    let phase = &namespace.status.phase;
    trace.record(|| {
        Step::new(
            "status.phase",
            shown(phase),
            "STATUS is the namespace's phase",
        )
    });
    if let Some(deleted) = namespace.metadata.deletion_timestamp {
        trace.record(|| {
            Step::new(
                "metadata.deletionTimestamp",
                timestamp_shown(Some(deleted), now),
                "deletion was requested: the namespace controller deletes every object in it, then clears spec.finalizers",
            )
        });
    }
    for (index, finalizer) in namespace.spec.finalizers.iter().enumerate() {
        trace.record(|| {
            Step::new(
                format!("spec.finalizers[{index}]"),
                finalizer,
                "the namespace is not removed until this finalizer is cleared",
            )
        });
    }
    for (index, finalizer) in namespace.metadata.finalizers.iter().enumerate() {
        trace.record(|| {
            Step::new(
                format!("metadata.finalizers[{index}]"),
                finalizer,
                "an object finalizer: the controller that owns it must remove it",
            )
        });
    }
    for (index, condition) in namespace.status.conditions.iter().enumerate() {
        if condition.status == "True" {
            trace.record(|| {
                Step::new(
                    format!("status.conditions[{index}]"),
                    format!("{}=True", condition.type_),
                    if condition.message.is_empty() {
                        condition.reason.clone()
                    } else {
                        condition.message.clone()
                    },
                )
            });
        }
    }
    NamespaceRow {
        name: namespace.metadata.name.clone(),
        status: phase.clone(),
        age: age(namespace.metadata.creation_timestamp, now),
    }
}

/// Why a namespace is stuck, and what to do.
pub fn namespace_hints(namespace: &Namespace, now: Timestamp) -> Vec<String> {
    let name = &namespace.metadata.name;
    let terminating =
        namespace.status.phase == "Terminating" || namespace.metadata.deletion_timestamp.is_some();
    if !terminating {
        return Vec::new();
    }
    let mut hints = Vec::new();
    let since = namespace
        .metadata
        .deletion_timestamp
        .map(|t| format!(" for {}", human_duration(now.duration_since(t))))
        .unwrap_or_default();
    let condition = |type_: &str| {
        namespace
            .status
            .conditions
            .iter()
            .find(|c| c.type_ == type_ && c.status == "True")
    };
    if let Some(c) = condition("NamespaceDeletionDiscoveryFailure") {
        hints.push(format!(
            "Deletion cannot list every resource type{since}: {}. Usually an aggregated API (for example metrics.k8s.io) is unavailable: find it with `kubectl get apiservices | grep False`, then fix or delete that APIService.",
            condition_text(c)
        ));
    }
    if let Some(c) = condition("NamespaceDeletionGroupVersionParsingFailure") {
        hints.push(format!(
            "Some API group versions could not be parsed: {}.",
            condition_text(c)
        ));
    }
    if let Some(c) = condition("NamespaceDeletionContentFailure") {
        hints.push(format!(
            "Deleting the contents failed: {}. Check the namespace controller's permissions and the failing resource.",
            condition_text(c)
        ));
    }
    if let Some(c) = condition("NamespaceFinalizersRemaining") {
        hints.push(format!(
            "Objects in the namespace still carry finalizers: {}. The controllers that own these finalizers must finish (is their operator still running?). Find them with `kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 kubectl get -n {name} --ignore-not-found -o name`; remove a finalizer only once you know what its controller would have cleaned up.",
            condition_text(c)
        ));
    }
    if let Some(c) = condition("NamespaceContentRemaining") {
        hints.push(format!(
            "Objects remain in the namespace: {}.",
            condition_text(c)
        ));
    }
    if hints.is_empty() {
        if namespace.spec.finalizers.is_empty() {
            hints.push(format!(
                "The namespace has been terminating{since} with no finalizer left in spec and no failure reported: it should disappear shortly."
            ));
        } else {
            hints.push(format!(
                "The namespace has been terminating{since}; spec.finalizers still holds {} and no condition explains why. Check the kube-controller-manager's namespace controller logs.",
                namespace.spec.finalizers.join(", ")
            ));
        }
    }
    hints
}

fn condition_text(condition: &super::meta::Condition) -> String {
    if condition.message.is_empty() {
        shown(&condition.reason)
    } else {
        condition.message.clone()
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::model::manifest::parse_typed;

    fn now() -> Timestamp {
        "2026-11-21T10:00:00Z".parse().unwrap()
    }

    fn explain(yaml: &str) -> (NamespaceRow, Vec<Step>, Vec<String>) {
        let namespace: Namespace = parse_typed(yaml).expect("test namespace parses");
        let mut steps = Vec::new();
        let row = namespace_row(&namespace, now(), &mut steps);
        (row, steps, namespace_hints(&namespace, now()))
    }

    #[test]
    fn active_namespace_needs_nothing() {
        let (row, steps, hints) = explain(
            "metadata: {name: default, creationTimestamp: '2026-01-01T00:00:00Z'}\nstatus: {phase: Active}",
        );
        assert_eq!((row.status.as_str(), row.age.as_str()), ("Active", "324d"));
        assert_eq!(steps.len(), 1);
        assert!(hints.is_empty());
    }

    #[test]
    fn discovery_failure_points_at_apiservices() {
        let (_, steps, hints) = explain(
            "metadata: {name: x, deletionTimestamp: '2026-11-21T08:00:00Z'}\nspec: {finalizers: [kubernetes]}\nstatus:\n  phase: Terminating\n  conditions: [{type: NamespaceDeletionDiscoveryFailure, status: 'True', reason: DiscoveryFailed, message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request'}]",
        );
        assert!(
            steps
                .iter()
                .any(|s| s.field == "spec.finalizers[0]" && s.value == "kubernetes")
        );
        assert!(
            hints[0].contains("for 120m")
                && hints[0].contains("metrics.k8s.io/v1beta1")
                && hints[0].contains("kubectl get apiservices"),
            "{hints:?}"
        );
    }

    #[test]
    fn terminating_without_a_reason() {
        let (_, _, hints) = explain(
            "metadata: {name: x, deletionTimestamp: '2026-11-21T09:59:00Z'}\nstatus: {phase: Terminating}",
        );
        assert!(hints[0].contains("should disappear shortly"), "{hints:?}");
        let (_, _, hints) = explain(
            "metadata: {name: x}\nspec: {finalizers: [kubernetes]}\nstatus: {phase: Terminating}",
        );
        assert!(
            hints[0].contains("spec.finalizers still holds kubernetes"),
            "{hints:?}"
        );
    }
}
