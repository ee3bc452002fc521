//! A pod's Quality of Service class, by Kubernetes' rules.
//!
//! The API server computes `status.qosClass` once, at creation, and never changes it, so the
//! recorded class is the one shown. We compute it too: for manifests not yet submitted, and to
//! notice a recorded class that no longer matches the spec.

use std::fmt;

use serde::Serialize;

use super::pod::{Pod, ResourceRequirements};
use super::quantity::Quantity;
use super::trace::{Step, Trace};

/// Guaranteed, Burstable or BestEffort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

impl QosClass {
    /// The class as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "Guaranteed" => Some(QosClass::Guaranteed),
            "Burstable" => Some(QosClass::Burstable),
            "BestEffort" => Some(QosClass::BestEffort),
            _ => None,
        }
    }
}

impl fmt::Display for QosClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The class to show and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qos {
    /// `status.qosClass` when present, else the computed class.
    pub shown: String,
    /// What the spec says the class should be.
    pub computed: QosClass,
    /// True when `status.qosClass` is present and differs from the computed class.
    pub disagrees: bool,
}

/// Resources whose requests and limits decide QoS at the pod level.
fn is_supported(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

/// The shape of one requirements block: all zero, all equal, or anything else.
fn classify_block(resources: &ResourceRequirements) -> QosClass {
    if resources.requests.is_empty() && resources.limits.is_empty() {
        return QosClass::BestEffort;
    }
    let mut shapes = ["cpu", "memory"].into_iter().map(|name| {
        let limit = resources
            .limits
            .get(name)
            .and_then(Quantity::nanos)
            .unwrap_or(0);
        // API defaulting copies a limit into a missing request before the class is computed.
        let request = match resources.requests.get(name) {
            Some(request) => request.nanos().unwrap_or(0),
            None => limit,
        };
        if request != limit {
            QosClass::Burstable
        } else if limit == 0 {
            QosClass::BestEffort
        } else {
            QosClass::Guaranteed
        }
    });
    let cpu = shapes.next().unwrap_or(QosClass::BestEffort);
    let memory = shapes.next().unwrap_or(QosClass::BestEffort);
    if cpu == memory {
        cpu
    } else {
        QosClass::Burstable
    }
}

/// Computes the class from the spec alone.
pub fn compute_qos(pod: &Pod) -> QosClass {
    if let Some(resources) = &pod.spec.resources
        && resources
            .requests
            .keys()
            .chain(resources.limits.keys())
            .any(|name| is_supported(name))
    {
        return classify_block(resources);
    }
    let mut seen_best_effort = false;
    let mut seen_guaranteed = false;
    for container in pod.spec.init_containers.iter().chain(&pod.spec.containers) {
        match classify_block(&container.resources) {
            QosClass::Burstable => return QosClass::Burstable,
            QosClass::BestEffort => seen_best_effort = true,
            QosClass::Guaranteed => seen_guaranteed = true,
        }
    }
    match (seen_best_effort, seen_guaranteed) {
        (true, true) => QosClass::Burstable,
        (false, true) => QosClass::Guaranteed,
        _ => QosClass::BestEffort,
    }
}

/// The class to show for `pod`, recording how it was found.
pub fn pod_qos(pod: &Pod, trace: &mut impl Trace) -> Qos {
    let computed = compute_qos(pod);
    let recorded = pod.status.qos_class.as_str();
    let basis = if pod.spec.resources.as_ref().is_some_and(|r| {
        r.requests
            .keys()
            .chain(r.limits.keys())
            .any(|n| is_supported(n))
    }) {
        "from the pod-level spec.resources"
    } else {
        "from each container's cpu and memory requests and limits"
    };
    if recorded.is_empty() {
        trace.record(|| {
            Step::new(
                "spec.containers[*].resources",
                computed.as_str(),
                format!("no status.qosClass recorded: QoS computed {basis}"),
            )
        });
        return Qos {
            shown: computed.as_str().to_string(),
            computed,
            disagrees: false,
        };
    }
    let disagrees = QosClass::parse(recorded) != Some(computed);
    trace.record(|| {
        Step::new(
            "status.qosClass",
            recorded,
            if disagrees {
                format!(
                    "the class the API server recorded at creation is shown; the spec now reads as {computed} ({basis})"
                )
            } else {
                "the class the API server recorded at creation; the spec agrees".to_string()
            },
        )
    });
    Qos {
        shown: recorded.to_string(),
        computed,
        disagrees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> Pod {
        crate::model::manifest::parse_typed(yaml).expect("test pod parses")
    }

    fn qos(yaml: &str) -> QosClass {
        compute_qos(&pod(yaml))
    }

    #[test]
    fn no_resources_is_best_effort() {
        assert_eq!(qos("spec: {containers: [{name: a}]}"), QosClass::BestEffort);
        assert_eq!(qos("spec: {}"), QosClass::BestEffort);
    }

    #[test]
    fn equal_cpu_and_memory_is_guaranteed() {
        let yaml = "spec: {containers: [{name: a, resources: {requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: 0.1, memory: 1024Mi}}}]}";
        assert_eq!(qos(yaml), QosClass::Guaranteed);
    }

    #[test]
    fn limits_only_is_guaranteed_after_defaulting() {
        let yaml = "spec: {containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi}}}]}";
        assert_eq!(qos(yaml), QosClass::Guaranteed);
    }

    #[test]
    fn cpu_without_memory_is_burstable() {
        let yaml =
            "spec: {containers: [{name: a, resources: {requests: {cpu: 1}, limits: {cpu: 1}}}]}";
        assert_eq!(qos(yaml), QosClass::Burstable);
    }

    #[test]
    fn request_below_limit_is_burstable() {
        let yaml = "spec: {containers: [{name: a, resources: {requests: {memory: 128Mi}, limits: {memory: 256Mi}}}]}";
        assert_eq!(qos(yaml), QosClass::Burstable);
    }

    #[test]
    fn guaranteed_and_best_effort_containers_make_burstable() {
        let yaml = "spec: {containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi}}}, {name: b}]}";
        assert_eq!(qos(yaml), QosClass::Burstable);
        let yaml = "spec: {initContainers: [{name: i}], containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi}}}]}";
        assert_eq!(qos(yaml), QosClass::Burstable, "init containers count");
    }

    #[test]
    fn extended_resources_do_not_shape_the_class() {
        let yaml = "spec: {containers: [{name: a, resources: {requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}}]}";
        assert_eq!(qos(yaml), QosClass::BestEffort);
        let yaml = "spec: {containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi, hugepages-2Mi: 1Gi}}}]}";
        assert_eq!(qos(yaml), QosClass::Guaranteed);
    }

    #[test]
    fn pod_level_resources_win_over_containers() {
        let yaml = "spec: {resources: {limits: {cpu: 1, memory: 1Gi}}, containers: [{name: a, resources: {requests: {cpu: 100m}}}]}";
        assert_eq!(qos(yaml), QosClass::Guaranteed);
        let yaml = "spec: {resources: {requests: {cpu: 0, memory: 0}}, containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi}}}]}";
        assert_eq!(
            qos(yaml),
            QosClass::BestEffort,
            "zero pod-level quantities still count as set"
        );
        let yaml = "spec: {resources: {limits: {example.com/foo: 1}}, containers: [{name: a, resources: {limits: {cpu: 1, memory: 1Gi}}}]}";
        assert_eq!(
            qos(yaml),
            QosClass::Guaranteed,
            "unsupported pod-level names fall through to containers"
        );
    }

    #[test]
    fn recorded_class_is_shown_and_disagreement_noticed() {
        let p = pod("spec: {containers: [{name: a}]}\nstatus: {qosClass: Burstable}");
        let mut steps = Vec::new();
        let q = pod_qos(&p, &mut steps);
        assert_eq!(q.shown, "Burstable");
        assert_eq!(q.computed, QosClass::BestEffort);
        assert!(q.disagrees);
        assert_eq!(steps[0].field, "status.qosClass");
        let q = pod_qos(&pod("spec: {containers: [{name: a}]}"), &mut ());
        assert_eq!((q.shown.as_str(), q.disagrees), ("BestEffort", false));
    }
}
