//! PriorityClasses (scheduling.k8s.io/v1) and the Priority admission plugin: the two system
//! classes the API server creates at start, a class's defaults and validation
//! (pkg/apis/scheduling/validation), at most one global default, system classes that cannot be
//! deleted, and every new pod's `spec.priority` resolved from its `priorityClassName` (or the
//! global default, or 0), with the plugin's refusals (plugin/pkg/admission/priority).

use serde_json::{Value, json};

use super::api_error::{ApiError, FieldError};
use super::resource::{ResourceType, find_built_in};
use super::state::Sim;
use crate::sim::pointer::Pointer;

/// `scheduling.SystemPriorityClassPrefix`.
const SYSTEM_PREFIX: &str = "system-";

/// `scheduling.HighestUserDefinablePriority`.
const HIGHEST_USER_DEFINABLE: i64 = 1_000_000_000;

/// The classes the API server creates at start (`SystemPriorityClasses`): name, value and
/// description.
pub const SYSTEM_CLASSES: [(&str, i64, &str); 2] = [
    (
        "system-node-critical",
        2_000_001_000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        2_000_000_000,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

const PREEMPTION_POLICIES: [&str; 2] = ["Never", "PreemptLowerPriority"];

fn is(resource: &ResourceType, group: &str, kind: &str) -> bool {
    resource.group == group && resource.kind == kind
}

fn classes() -> &'static ResourceType {
    find_built_in("scheduling.k8s.io", "v1", "priorityclasses").expect("PriorityClasses are served")
}

/// The system classes as the API server stores them, for seeding.
pub fn system_classes() -> impl Iterator<Item = Value> {
    SYSTEM_CLASSES.iter().map(|(name, value, description)| {
        json!({
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": value, "description": description,
        })
    })
}

/// A new class's defaults (`SetDefaults_PriorityClass`, the strategy's generation).
pub fn default_class(object: &mut Value) {
    if let Some(class) = object.as_object_mut() {
        class
            .entry("preemptionPolicy")
            .or_insert(json!("PreemptLowerPriority"));
    }
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.insert("generation".into(), json!(1));
    }
}

/// `ValidatePriorityClass`: a `system-` name only for the system classes as they are, a user
/// class's value at most a billion, a known preemption policy.
pub fn validate_class(object: &Value, errors: &mut Vec<FieldError>) {
    let name = object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let value = object.get("value").and_then(Value::as_i64).unwrap_or(0);
    let global_default = object
        .get("globalDefault")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if name.starts_with(SYSTEM_PREFIX) {
        // IsKnownSystemPriorityClass's reasons.
        let problem = match SYSTEM_CLASSES.iter().find(|(known, ..)| *known == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((_, known_value, _)) if *known_value != value => Some(format!(
                "value of {name} PriorityClass must be {known_value}"
            )),
            Some(_) if global_default => Some(format!(
                "globalDefault of {name} PriorityClass must be false"
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            errors.push(FieldError::forbidden(
                "metadata.name",
                &format!("priority class names with '{SYSTEM_PREFIX}' prefix are reserved for system use only. error: {problem}"),
            ));
        }
    } else if value > HIGHEST_USER_DEFINABLE {
        errors.push(FieldError::forbidden(
            "value",
            &format!(
                "maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE}"
            ),
        ));
    }
    if let Some(policy) = object.get("preemptionPolicy").and_then(Value::as_str)
        && !PREEMPTION_POLICIES.contains(&policy)
    {
        errors.push(FieldError::not_supported(
            "preemptionPolicy",
            policy,
            &PREEMPTION_POLICIES,
        ));
    }
}

/// `ValidatePriorityClassUpdate`: the value and the preemption policy cannot change.
pub fn check_update(
    resource: &ResourceType,
    current: &Value,
    merged: &Value,
) -> Result<(), ApiError> {
    if !is(resource, "scheduling.k8s.io", "PriorityClass") {
        return Ok(());
    }
    let mut errors = Vec::new();
    if current.get("value") != merged.get("value") {
        errors.push(FieldError::forbidden(
            "value",
            "may not be changed in an update.",
        ));
    }
    let policy = |o: &Value| o.get("preemptionPolicy").cloned().unwrap_or(Value::Null);
    if policy(current) != policy(merged) {
        errors.push(FieldError::invalid(
            "preemptionPolicy",
            &super::decoding::go_quote(
                merged
                    .get("preemptionPolicy")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            ),
            "field is immutable",
        ));
    }
    let name = current
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    ApiError::invalid_unless_empty(resource, name, &errors)
}

/// The global default class: of those marked, the one with the lowest value (as the plugin
/// picks when a race left several).
fn global_default(sim: &Sim) -> Option<Value> {
    let (marked, _, _) = sim.store.list(
        classes(),
        None,
        None,
        |class| class.get("globalDefault").and_then(Value::as_bool) == Some(true),
        0,
    );
    marked
        .iter()
        .min_by_key(|class| class.get("value").and_then(Value::as_i64).unwrap_or(0))
        .map(|class| (**class).clone())
}

/// The Priority admission plugin on a create: a pod's priority from its class, and at most one
/// global default class. `name` is the object's, generated already for a `generateName` (the
/// API server generates names before admission), as the plugin's refusal names it.
pub fn admit_create(
    sim: &Sim,
    resource: &ResourceType,
    name: &str,
    object: &mut Value,
) -> Result<(), ApiError> {
    if is(resource, "scheduling.k8s.io", "PriorityClass") {
        return refuse_second_default(sim, resource, name, object, true);
    }
    if !is(resource, "", "Pod") {
        return Ok(());
    }
    let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    let class_name = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let (priority, policy) = if class_name.is_empty() {
        match global_default(sim) {
            Some(class) => {
                let default = class["metadata"]["name"].as_str().unwrap_or("").to_string();
                spec.insert("priorityClassName".into(), json!(default));
                (
                    class.get("value").and_then(Value::as_i64).unwrap_or(0),
                    class.get("preemptionPolicy").cloned(),
                )
            }
            None => (0, Some(json!("PreemptLowerPriority"))),
        }
    } else {
        let Some(class) = sim.store.get(classes(), "", &class_name) else {
            return Err(ApiError::forbidden_object(
                resource,
                name,
                &format!("no PriorityClass with name {class_name} was found"),
            ));
        };
        (
            class.get("value").and_then(Value::as_i64).unwrap_or(0),
            class.get("preemptionPolicy").cloned(),
        )
    };
    if let Some(given) = spec.get("priority").and_then(Value::as_i64)
        && given != priority
    {
        return Err(ApiError::forbidden_object(
            resource,
            name,
            &format!(
                "the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
            ),
        ));
    }
    spec.insert("priority".into(), json!(priority));
    if let Some(policy) = policy.filter(Value::is_string) {
        if let Some(given) = spec.get("preemptionPolicy").and_then(Value::as_str)
            && Some(given) != policy.as_str()
        {
            return Err(ApiError::forbidden_object(
                resource,
                name,
                &format!(
                    "the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {} from the given PriorityClass name",
                    policy.as_str().unwrap_or("")
                ),
            ));
        }
        spec.insert("preemptionPolicy".into(), policy);
    }
    Ok(())
}

/// A class marked the global default while another is: refused, on a create and on an update
/// of another class.
fn refuse_second_default(
    sim: &Sim,
    resource: &ResourceType,
    name: &str,
    object: &Value,
    creating: bool,
) -> Result<(), ApiError> {
    if object.get("globalDefault").and_then(Value::as_bool) != Some(true) {
        return Ok(());
    }
    match global_default(sim) {
        Some(existing) if creating || existing["metadata"]["name"].as_str() != Some(name) => {
            Err(ApiError::forbidden_object(
                resource,
                name,
                &format!(
                    "PriorityClass {} is marked as default. Only one default can exist",
                    existing["metadata"]["name"].as_str().unwrap_or("")
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The plugin on an update: a class newly marked the global default while another is, is
/// refused; a pod keeps the priority it was given when the update leaves it out.
pub fn admit_update(
    sim: &Sim,
    resource: &ResourceType,
    current: &Value,
    merged: &mut Value,
) -> Result<(), ApiError> {
    if is(resource, "scheduling.k8s.io", "PriorityClass") {
        let name = current["metadata"]["name"].as_str().unwrap_or("");
        return refuse_second_default(sim, resource, name, merged, false);
    }
    if is(resource, "", "Pod")
        && let Some(spec) = merged.get_mut("spec").and_then(Value::as_object_mut)
    {
        for field in ["priority", "preemptionPolicy"] {
            if spec.get(field).is_none_or(Value::is_null)
                && let Some(kept) = current.at(&format!("/spec/{field}"))
            {
                spec.insert(field.into(), kept.clone());
            }
        }
    }
    Ok(())
}

/// The system classes cannot be deleted (the registry's Delete refuses them).
pub fn refuse_delete(resource: &ResourceType, name: &str) -> Result<(), ApiError> {
    if is(resource, "scheduling.k8s.io", "PriorityClass")
        && SYSTEM_CLASSES.iter().any(|(system, ..)| *system == name)
    {
        return Err(ApiError::forbidden_object(
            resource,
            name,
            "this is a system priority class and cannot be deleted",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(object: Value) -> Vec<String> {
        let mut errors = Vec::new();
        validate_class(&object, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn class_validation_in_the_api_servers_words() {
        assert!(errors_of(json!({"metadata": {"name": "high"}, "value": 1000})).is_empty());
        assert_eq!(
            errors_of(json!({"metadata": {"name": "huge"}, "value": 1_000_000_001})),
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
        );
        assert_eq!(
            errors_of(json!({"metadata": {"name": "system-mine"}, "value": 5})),
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"
            ]
        );
        assert!(
            errors_of(
                json!({"metadata": {"name": "system-node-critical"}, "value": 2_000_001_000})
            )
            .is_empty()
        );
        assert_eq!(
            errors_of(
                json!({"metadata": {"name": "x"}, "value": 1, "preemptionPolicy": "Sometimes"})
            ),
            [
                "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"Never\", \"PreemptLowerPriority\""
            ]
        );
    }

    #[test]
    fn system_classes_cannot_be_deleted() {
        let error = refuse_delete(classes(), "system-node-critical").unwrap_err();
        assert_eq!(
            error.message,
            "priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted"
        );
        assert!(refuse_delete(classes(), "high").is_ok());
    }
}
