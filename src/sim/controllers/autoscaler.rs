//! The horizontal pod autoscaler: each HorizontalPodAutoscaler (autoscaling/v2) reads its
//! target's pods' CPU or memory usage from the simulator's metrics, as a share of their
//! requests, and scales the target toward its utilization goal within min and max replicas:
//! up at once, down only five minutes after the last change (the controller's downscale
//! stabilization), within a 10% tolerance. Its status says what it read and why it may not
//! scale further, in the controller's words.

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::owned::{is_ready, pods, resource, text};
use crate::model::selector::{LabelSelector, LabelSelectorSpec};
use crate::sim::events::{self, EventType};
use crate::sim::pointer::Pointer;
use crate::sim::state::{Sim, time_text};

/// Below this ratio's distance from 1, no scaling (the controller's default tolerance).
const TOLERANCE: f64 = 0.1;
/// How long after a change a scale down waits.
const DOWNSCALE_WAIT: SignedDuration = SignedDuration::from_secs(5 * 60);

/// The autoscalers' type (autoscaling/v2).
fn autoscalers() -> &'static crate::sim::resource::ResourceType {
    crate::sim::resource::find_built_in("autoscaling", "v2", "horizontalpodautoscalers")
        .expect("served")
}

/// Reconciles every autoscaler.
pub fn reconcile_all(sim: &Sim) {
    let autoscalers = autoscalers();
    let (all, _, _) = sim.store.list(autoscalers, None, None, |_| true, 0);
    for hpa in all {
        reconcile(sim, &hpa);
    }
}

/// The target's kind and its plural in its group.
fn target_resource(kind: &str) -> Option<&'static crate::sim::resource::ResourceType> {
    Some(match kind {
        "Deployment" => resource("apps", "deployments"),
        "StatefulSet" => resource("apps", "statefulsets"),
        "ReplicaSet" => resource("apps", "replicasets"),
        _ => return None,
    })
}

fn reconcile(sim: &Sim, hpa: &Value) {
    let namespace = text(hpa, "/metadata/namespace");
    let name = text(hpa, "/metadata/name");
    let kind = text(hpa, "/spec/scaleTargetRef/kind");
    let target_name = text(hpa, "/spec/scaleTargetRef/name");
    let min = hpa
        .at("/spec/minReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let max = hpa
        .at("/spec/maxReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let now = sim.now();
    let Some(target) = target_resource(kind)
        .and_then(|r| sim.store.get(r, namespace, target_name).map(|t| (r, t)))
    else {
        set_status(
            sim,
            namespace,
            name,
            hpa,
            None,
            &[condition(
                "AbleToScale",
                "False",
                "FailedGetScale",
                &format!(
                    "the HPA controller was unable to get the target's current scale: {}.apps \"{target_name}\" not found",
                    kind.to_lowercase()
                ),
                now,
            )],
        );
        return;
    };
    let (target_resource, target) = target;
    let current = target
        .at("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    // The first Resource metric with a utilization goal (the default: CPU at 80%).
    let metric = hpa
        .at("/spec/metrics")
        .and_then(Value::as_array)
        .and_then(|metrics| {
            metrics.iter().find(|m| {
                text(m, "/type") == "Resource" && text(m, "/resource/target/type") == "Utilization"
            })
        });
    let (resource_name, goal) = match metric {
        Some(m) => (
            text(m, "/resource/name").to_string(),
            m.at("/resource/target/averageUtilization")
                .and_then(Value::as_i64)
                .unwrap_or(80),
        ),
        None => ("cpu".to_string(), 80),
    };
    let selector = target
        .at("/spec/selector")
        .and_then(|s| serde_json::from_value::<LabelSelectorSpec>(s.clone()).ok());
    let Some(selector) = selector.and_then(|s| LabelSelector::from_spec(&s).ok()) else {
        return;
    };
    let (running, _, _) = sim.store.list(
        pods(),
        Some(namespace),
        None,
        |p| {
            text(p, "/status/phase") == "Running"
                && p.at("/metadata/deletionTimestamp").is_none()
                && is_ready(p)
                && selector.matches(&labels(p))
        },
        0,
    );
    let (mut used, mut requested) = (0u128, 0u128);
    for pod in &running {
        for (container, cpu, memory) in crate::sim::metrics::container_usage(pod) {
            let request = pod
                .at("/spec/containers")
                .and_then(Value::as_array)
                .and_then(|cs| cs.iter().find(|c| text(c, "/name") == container))
                .and_then(|c| c.at(&format!("/resources/requests/{resource_name}")))
                .and_then(|q| {
                    crate::model::quantity::Quantity(q.as_str().unwrap_or("").to_string()).nanos()
                });
            let Some(request) = request else { continue };
            let (use_now, request) = if resource_name == "cpu" {
                (u128::from(cpu), request.max(0) as u128)
            } else {
                (u128::from(memory), (request.max(0) as u128) / 1_000_000_000)
            };
            used += use_now;
            requested += request;
        }
    }
    if running.is_empty() || requested == 0 {
        set_status(
            sim,
            namespace,
            name,
            hpa,
            Some(current),
            &[
                condition(
                    "AbleToScale",
                    "True",
                    "SucceededGetScale",
                    "the HPA controller was able to get the target's current scale",
                    now,
                ),
                condition(
                    "ScalingActive",
                    "False",
                    "FailedGetResourceMetric",
                    &format!(
                        "the HPA was unable to compute the replica count: failed to get {resource_name} utilization: missing request for {resource_name} in containers of the pods"
                    ),
                    now,
                ),
            ],
        );
        return;
    }
    let utilization = (used * 100 / requested) as i64;
    let ratio = utilization as f64 / goal as f64;
    let ready = running.len() as i64;
    let wanted = if (ratio - 1.0).abs() <= TOLERANCE {
        current
    } else {
        (ratio * ready as f64).ceil() as i64
    };
    let desired = wanted.clamp(min, max);
    let last_scale = hpa
        .at("/status/lastScaleTime")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    let may_scale = desired > current
        || (desired < current
            && last_scale.is_none_or(|at| now.duration_since(at) >= DOWNSCALE_WAIT));
    let mut scaled_at = last_scale;
    if desired != current && may_scale {
        let moved = sim
            .store
            .modify(target_resource, namespace, target_name, |t| {
                t["spec"]["replicas"] = json!(desired);
                true
            });
        if moved.is_ok() {
            scaled_at = Some(now);
            let direction = if desired > current { "above" } else { "below" };
            events::record(
                sim,
                hpa,
                None,
                EventType::Normal,
                "SuccessfulRescale",
                &format!(
                    "New size: {desired}; reason: {resource_name} resource utilization (percentage of request) {direction} target"
                ),
                events::controller("horizontal-pod-autoscaler"),
            );
        }
    }
    let limited = if wanted > max {
        condition(
            "ScalingLimited",
            "True",
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
            now,
        )
    } else if wanted < min {
        condition(
            "ScalingLimited",
            "True",
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
            now,
        )
    } else {
        condition(
            "ScalingLimited",
            "False",
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
            now,
        )
    };
    let average = if resource_name == "cpu" {
        format!("{}m", used / 1_000_000 / running.len() as u128)
    } else {
        format!("{}", used / running.len() as u128)
    };
    let mut status = json!({
        "currentReplicas": current,
        "desiredReplicas": desired,
        "currentMetrics": [{"type": "Resource", "resource": {"name": resource_name, "current": {"averageUtilization": utilization, "averageValue": average}}}],
        "conditions": [
            condition("AbleToScale", "True", if may_scale || desired == current { "ReadyForNewScale" } else { "ScaleDownStabilized" }, if may_scale || desired == current { "recommended size matches current size" } else { "recent recommendations were higher than current one, applying the highest recent recommendation" }, now),
            condition("ScalingActive", "True", "ValidMetricFound", &format!("the HPA was able to successfully calculate a replica count from {resource_name} resource utilization (percentage of request)"), now),
            limited,
        ],
    });
    if let Some(at) = scaled_at {
        status["lastScaleTime"] = json!(time_text(at));
    }
    write_status(sim, namespace, name, status);
}

fn labels(pod: &Value) -> std::collections::BTreeMap<String, String> {
    pod.at("/metadata/labels")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .unwrap_or_default()
}

fn condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: jiff::Timestamp,
) -> Value {
    json!({"type": type_, "status": status, "reason": reason, "message": message, "lastTransitionTime": time_text(now)})
}

fn set_status(
    sim: &Sim,
    namespace: &str,
    name: &str,
    hpa: &Value,
    current: Option<i64>,
    conditions: &[Value],
) {
    let mut status = json!({"desiredReplicas": hpa.at("/status/desiredReplicas").cloned().unwrap_or(json!(0)), "conditions": conditions});
    if let Some(current) = current {
        status["currentReplicas"] = json!(current);
    }
    write_status(sim, namespace, name, status);
}

/// Writes the status, keeping each condition's transition time while its status holds.
fn write_status(sim: &Sim, namespace: &str, name: &str, mut status: Value) {
    let _ = sim.store.modify(autoscalers(), namespace, name, |hpa| {
        if let (Some(old), Some(new)) = (
            hpa.at("/status/conditions").and_then(Value::as_array),
            status.get_mut("conditions").and_then(Value::as_array_mut),
        ) {
            for condition in new.iter_mut() {
                if let Some(before) = old
                    .iter()
                    .find(|c| c["type"] == condition["type"] && c["status"] == condition["status"])
                {
                    condition["lastTransitionTime"] = before["lastTransitionTime"].clone();
                }
            }
        }
        if hpa.get("status") == Some(&status) {
            return false;
        }
        hpa["status"] = status.clone();
        true
    });
}
