//! The API server's validation of what a pod or a workload cannot work without, run on every
//! create, update and patch after defaulting: a pod's containers with their names and images,
//! a workload's selector, its template's labels matching it, and replicas that are not negative.
//! The rules and their messages are those of k8s.io/kubernetes pkg/apis/core/validation
//! (ValidatePodSpec, validateContainers) and pkg/apis/apps/validation (ValidateDeploymentSpec,
//! ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec); every error is
//! reported at once, as `field.ErrorList` collects them, in their order.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::api_error::{ApiError, FieldError};
use super::decoding::{go_json, go_quote};
use super::resource::ResourceType;
use crate::model::selector::{LabelSelector, LabelSelectorSpec};
use crate::sim::pointer::Pointer;

/// `validation.IsDNS1123Subdomain`'s message for a name that does not match.
pub const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// `validation.IsDNS1123Label`'s message for a name that does not match.
pub const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// Validates an object of `resource` as it would be stored; the errors as one 422 Invalid.
pub fn validate(resource: &ResourceType, object: &Value) -> Result<(), ApiError> {
    let spec = object.get("spec").unwrap_or(&Value::Null);
    let mut errors = Vec::new();
    match (resource.group, resource.kind) {
        ("", "Pod") => pod_spec(spec, "spec", &mut errors),
        ("apps", kind @ ("Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")) => {
            workload(kind, spec, &mut errors)
        }
        ("", "ReplicationController") => replication_controller(spec, &mut errors),
        // A Job's selector is the API server's own; only its pod template is the user's.
        ("batch", "Job") => pod_spec(
            spec.at("/template/spec").unwrap_or(&Value::Null),
            "spec.template.spec",
            &mut errors,
        ),
        ("", "LimitRange") => limit_range(object, &mut errors),
        ("batch", "CronJob") => pod_spec(
            spec.at("/jobTemplate/spec/template/spec")
                .unwrap_or(&Value::Null),
            "spec.jobTemplate.spec.template.spec",
            &mut errors,
        ),
        ("scheduling.k8s.io", "PriorityClass") => {
            super::priority::validate_class(object, &mut errors)
        }
        ("certificates.k8s.io", "CertificateSigningRequest") => {
            super::certificates::validate(object, &mut errors)
        }
        ("admissionregistration.k8s.io", kind) => {
            super::webhooks::validate(kind, object, &mut errors)
        }
        _ => {}
    }
    let name = object
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    ApiError::invalid_unless_empty(resource, name, &errors)
}

/// `ValidateLimitRange`'s problems as field errors.
fn limit_range(object: &Value, errors: &mut Vec<FieldError>) {
    use crate::model::limit_range::Problem;
    for problem in crate::model::limit_range::validate(object) {
        errors.push(match problem {
            Problem::Invalid {
                field,
                value,
                detail,
            } => FieldError::invalid(&field, &value, &detail),
            Problem::Forbidden { field, detail } => FieldError::forbidden(&field, &detail),
            Problem::Required { field, detail } => FieldError::required(&field, &detail),
            Problem::Duplicate { field, value } => {
                FieldError::duplicate(&field, &format!("{value:?}"))
            }
            Problem::NotSupported {
                field,
                value,
                supported,
            } => FieldError::not_supported(&field, &value, supported),
        });
    }
}

/// ValidateReplicationControllerSpec: a selector that is a plain label map (required, not
/// empty), replicas that are not negative, and a template (required) whose labels the selector
/// matches and whose pods restart `Always`.
fn replication_controller(spec: &Value, errors: &mut Vec<FieldError>) {
    let selector: BTreeMap<String, String> = spec
        .get("selector")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    if selector.is_empty() {
        errors.push(FieldError::required("spec.selector", ""));
    }
    if let Some(replicas) = spec.get("replicas").and_then(Value::as_i64)
        && replicas < 0
    {
        errors.push(FieldError::invalid(
            "spec.replicas",
            &replicas.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    let Some(template) = spec.get("template").filter(|t| t.is_object()) else {
        errors.push(FieldError::required("spec.template", ""));
        return;
    };
    let labels_value = template
        .at("/metadata/labels")
        .filter(|l| l.is_object())
        .cloned()
        .unwrap_or(Value::Null);
    let labels = labels_value.as_object();
    let matches = selector.iter().all(|(key, value)| {
        labels
            .and_then(|l| l.get(key))
            .and_then(Value::as_str)
            .is_some_and(|v| v == value)
    });
    if !selector.is_empty() && !matches {
        errors.push(FieldError::invalid(
            "spec.template.metadata.labels",
            &go_json(&labels_value),
            "`selector` does not match template `labels`",
        ));
    }
    let pod = template.get("spec").unwrap_or(&Value::Null);
    pod_spec(pod, "spec.template.spec", errors);
    // Admission defaulted the policy to Always; one set otherwise is refused.
    if let Some(policy) = pod.get("restartPolicy").and_then(Value::as_str)
        && policy != "Always"
    {
        errors.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            policy,
            &["Always"],
        ));
    }
}

/// ValidatePodSpec's containers: at least one, each named with a DNS label and with an image.
fn pod_spec(spec: &Value, path: &str, errors: &mut Vec<FieldError>) {
    let containers = spec
        .get("containers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if containers.is_empty() {
        errors.push(FieldError::required(&format!("{path}.containers"), ""));
    }
    for (index, container) in containers.iter().enumerate() {
        let at = format!("{path}.containers[{index}]");
        match container.get("name").and_then(Value::as_str).unwrap_or("") {
            "" => errors.push(FieldError::required(&format!("{at}.name"), "")),
            name if !is_dns1123_label(name) => errors.push(FieldError::invalid(
                &format!("{at}.name"),
                &go_quote(name),
                if name.len() > 63 {
                    "must be no more than 63 characters"
                } else {
                    DNS1123_LABEL
                },
            )),
            _ => {}
        }
        if container
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
        {
            errors.push(FieldError::required(&format!("{at}.image"), ""));
        }
    }
}

/// `validation.IsDNS1123Label`.
pub fn is_dns1123_label(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

/// The apps kinds' spec: replicas, the selector (required, not empty, matching the template's
/// labels) and the pod template.
fn workload(kind: &str, spec: &Value, errors: &mut Vec<FieldError>) {
    if kind != "DaemonSet"
        && let Some(replicas) = spec.get("replicas").and_then(Value::as_i64)
        && replicas < 0
    {
        // ValidateNonnegativeField: an int64 is shown with %v.
        errors.push(FieldError::invalid(
            "spec.replicas",
            &replicas.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    let selector_value = spec.get("selector").filter(|s| !s.is_null());
    // LabelSelectorAsSelector: no selector selects nothing, an empty one everything.
    let selector = match selector_value {
        None => {
            errors.push(FieldError::required("spec.selector", ""));
            Some(LabelSelector::nothing())
        }
        Some(value) => {
            let spec_selector: LabelSelectorSpec =
                serde_json::from_value(value.clone()).unwrap_or_default();
            if spec_selector.match_labels.is_empty() && spec_selector.match_expressions.is_empty() {
                errors.push(FieldError::invalid(
                    "spec.selector",
                    &go_json(value),
                    &format!("empty selector is invalid for {}", kind.to_lowercase()),
                ));
            }
            match LabelSelector::from_spec(&spec_selector) {
                Ok(selector) => Some(selector),
                Err(_) => {
                    let detail = if kind == "Deployment" || kind == "ReplicaSet" {
                        "invalid label selector"
                    } else {
                        ""
                    };
                    errors.push(FieldError::invalid(
                        "spec.selector",
                        &go_json(value),
                        detail,
                    ));
                    None
                }
            }
        }
    };
    let template = spec.get("template").unwrap_or(&Value::Null);
    if let Some(selector) = selector
        && !selector.matches_everything()
    {
        let labels_value = template
            .at("/metadata/labels")
            .cloned()
            .unwrap_or(Value::Null);
        let labels: BTreeMap<String, String> = labels_value
            .as_object()
            .map(|map| {
                map.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if !selector.matches(&labels) {
            errors.push(FieldError::invalid(
                "spec.template.metadata.labels",
                &go_json(if labels_value.is_object() {
                    &labels_value
                } else {
                    &json!(null)
                }),
                "`selector` does not match template `labels`",
            ));
        }
    }
    pod_spec(
        template.get("spec").unwrap_or(&Value::Null),
        "spec.template.spec",
        errors,
    );
}

/// ValidatePodEphemeralContainersUpdate: ephemeral containers are only added, each named and
/// with an image; one added earlier may be neither changed nor removed.
pub fn ephemeral_containers(
    resource: &ResourceType,
    name: &str,
    current: &Value,
    updated: &Value,
) -> Result<(), ApiError> {
    let list = |pod: &Value| -> Vec<Value> {
        pod.at("/spec/ephemeralContainers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (before, after) = (list(current), list(updated));
    let mut errors = Vec::new();
    for old in &before {
        let old_name = old["name"].as_str().unwrap_or("");
        match after.iter().find(|c| c["name"] == old["name"]) {
            None => errors.push(FieldError::forbidden(
                "spec.ephemeralContainers",
                &format!("existing ephemeral containers \"{old_name}\" may not be removed"),
            )),
            Some(new) if new != old => errors.push(FieldError::forbidden(
                "spec.ephemeralContainers",
                &format!("existing ephemeral containers \"{old_name}\" may not be changed"),
            )),
            Some(_) => {}
        }
    }
    for (index, container) in after.iter().enumerate() {
        let at = format!("spec.ephemeralContainers[{index}]");
        match container.get("name").and_then(Value::as_str).unwrap_or("") {
            "" => errors.push(FieldError::required(&format!("{at}.name"), "")),
            bad if !is_dns1123_label(bad) => errors.push(FieldError::invalid(
                &format!("{at}.name"),
                &go_quote(bad),
                DNS1123_LABEL,
            )),
            _ => {}
        }
        if container["image"].as_str().unwrap_or("").is_empty() {
            errors.push(FieldError::required(&format!("{at}.image"), ""));
        }
    }
    ApiError::invalid_unless_empty(resource, name, &errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::resource::find_built_in;

    fn message(group: &str, plural: &str, object: Value) -> Option<String> {
        let resource = find_built_in(group, "v1", plural).expect("built in");
        validate(resource, &object).err().map(|e| {
            assert_eq!((e.code, e.reason), (422, "Invalid"));
            e.message
        })
    }

    #[test]
    fn a_pod_needs_containers_with_names_and_images() {
        let pod = |spec: Value| json!({"metadata": {"name": "p"}, "spec": spec});
        assert_eq!(
            message(
                "",
                "pods",
                pod(json!({"containers": [{"name": "c", "image": "nginx"}]}))
            ),
            None
        );
        assert_eq!(
            message("", "pods", pod(json!({}))).as_deref(),
            Some("Pod \"p\" is invalid: spec.containers: Required value")
        );
        assert_eq!(
            message(
                "",
                "pods",
                pod(json!({"containers": [{}, {"name": "Web", "image": "x"}]}))
            )
            .as_deref(),
            Some(
                "Pod \"p\" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value, spec.containers[1].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]"
            )
        );
    }

    #[test]
    fn a_deployment_needs_a_selector_matching_its_template() {
        let template = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let deployment = |spec: Value| json!({"metadata": {"name": "d"}, "spec": spec});
        assert_eq!(
            message(
                "apps",
                "deployments",
                deployment(
                    json!({"selector": {"matchLabels": {"app": "web"}}, "template": template})
                )
            ),
            None
        );
        assert_eq!(
            message(
                "apps",
                "deployments",
                deployment(json!({"template": template}))
            )
            .as_deref(),
            Some(
                "Deployment.apps \"d\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`]"
            )
        );
        assert_eq!(
            message(
                "apps",
                "deployments",
                deployment(json!({"replicas": -1, "selector": {}, "template": {}}))
            )
            .as_deref(),
            Some(
                "Deployment.apps \"d\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Invalid value: {}: empty selector is invalid for deployment, spec.template.spec.containers: Required value]"
            )
        );
    }
}
