//! The admission webhook configurations and ValidatingAdmissionPolicies
//! (admissionregistration.k8s.io/v1): stored, defaulted and validated as the API server does
//! (pkg/apis/admissionregistration/v1 defaults, pkg/apis/admissionregistration/validation), but
//! never called: the simulator admits every write by its own rules, so a webhook configured here
//! changes nothing, and a policy's CEL expressions are neither compiled nor run.

use serde_json::{Map, Value, json};

use super::api_error::FieldError;
use super::decoding::go_quote;
use super::validation::{DNS1123_SUBDOMAIN, is_dns1123_label};
use crate::sim::pointer::Pointer;

/// `AcceptedAdmissionReviewVersions`.
const REVIEW_VERSIONS: [&str; 2] = ["v1", "v1beta1"];

/// The side effects a webhook written through v1 may declare (`noSideEffectClasses`).
const SIDE_EFFECTS: [&str; 2] = ["None", "NoneOnDryRun"];

const FAILURE_POLICIES: [&str; 2] = ["Fail", "Ignore"];
const MATCH_POLICIES: [&str; 2] = ["Equivalent", "Exact"];
const REINVOCATION_POLICIES: [&str; 2] = ["IfNeeded", "Never"];
const OPERATIONS: [&str; 5] = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];

fn is_registration(group: &str) -> bool {
    group == "admissionregistration.k8s.io"
}

/// A new configuration's or policy's defaults (`SetDefaults_ValidatingWebhook` and its kin) and
/// the generation its strategy starts at.
pub fn default(group: &str, kind: &str, object: &mut Value) {
    if !is_registration(group) {
        return;
    }
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.insert("generation".into(), json!(1));
    }
    match kind {
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => {
            let mutating = kind == "MutatingWebhookConfiguration";
            for hook in object
                .get_mut("webhooks")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                default_webhook(hook, mutating);
            }
        }
        "ValidatingAdmissionPolicy" => {
            if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("failurePolicy").or_insert(json!("Fail"));
                if let Some(constraints) = spec
                    .get_mut("matchConstraints")
                    .and_then(Value::as_object_mut)
                {
                    default_match(constraints, "resourceRules");
                }
            }
        }
        _ => {}
    }
}

/// A match's defaults: Equivalent, selectors matching everything, rules of any scope.
fn default_match(matching: &mut Map<String, Value>, rules: &str) {
    matching.entry("matchPolicy").or_insert(json!("Equivalent"));
    matching.entry("namespaceSelector").or_insert(json!({}));
    matching.entry("objectSelector").or_insert(json!({}));
    for rule in matching
        .get_mut(rules)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        rule.entry("scope").or_insert(json!("*"));
    }
}

fn default_webhook(hook: &mut Map<String, Value>, mutating: bool) {
    hook.entry("failurePolicy").or_insert(json!("Fail"));
    default_match(hook, "rules");
    hook.entry("timeoutSeconds").or_insert(json!(10));
    if mutating {
        hook.entry("reinvocationPolicy").or_insert(json!("Never"));
    }
    if let Some(service) = hook
        .get_mut("clientConfig")
        .and_then(Value::as_object_mut)
        .and_then(|config| config.get_mut("service"))
        .and_then(Value::as_object_mut)
    {
        service.entry("port").or_insert(json!(443));
    }
}

/// The strategy's update: a change to the webhooks (or the policy's spec) is a new generation.
pub fn prepare_update(group: &str, current: &Value, merged: &mut Value) {
    if !is_registration(group) {
        return;
    }
    let spec_of = |o: &Value| o.get("webhooks").or_else(|| o.get("spec")).cloned();
    if spec_of(current) != spec_of(merged)
        && let Some(generation) = current.at("/metadata/generation").and_then(Value::as_i64)
        && let Some(metadata) = merged.get_mut("metadata").and_then(Value::as_object_mut)
    {
        metadata.insert("generation".into(), json!(generation + 1));
    }
}

/// Validates a configuration or policy as the API server does on a create; on an update the
/// API server relaxes some rules for what was stored before, which the simulator does not.
pub fn validate(kind: &str, object: &Value, errors: &mut Vec<FieldError>) {
    match kind {
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => {
            let mutating = kind == "MutatingWebhookConfiguration";
            let mut names: Vec<&str> = Vec::new();
            let hooks = object.get("webhooks").and_then(Value::as_array);
            for (index, hook) in hooks.into_iter().flatten().enumerate() {
                let path = format!("webhooks[{index}]");
                webhook(hook, mutating, &path, errors);
                review_versions(hook, &format!("{path}.admissionReviewVersions"), errors);
                let name = hook.get("name").and_then(Value::as_str).unwrap_or("");
                if !name.is_empty() {
                    if names.contains(&name) {
                        errors.push(FieldError::duplicate(
                            &format!("{path}.name"),
                            &go_quote(name),
                        ));
                    } else {
                        names.push(name);
                    }
                }
            }
        }
        "ValidatingAdmissionPolicy" => policy(object, errors),
        _ => {}
    }
}

fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

/// `validateValidatingWebhook` and `validateMutatingWebhook`.
fn webhook(hook: &Value, mutating: bool, path: &str, errors: &mut Vec<FieldError>) {
    fully_qualified_name(
        text(hook, "name").unwrap_or(""),
        &format!("{path}.name"),
        errors,
    );
    for (index, rule) in hook
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        operations(rule, &format!("{path}.rules[{index}]"), errors);
    }
    let supported = |field: &str, allowed: &[&str], errors: &mut Vec<FieldError>| {
        if let Some(value) = text(hook, field)
            && !allowed.contains(&value)
        {
            errors.push(FieldError::not_supported(
                &format!("{path}.{field}"),
                value,
                allowed,
            ));
        }
    };
    supported("failurePolicy", &FAILURE_POLICIES, errors);
    supported("matchPolicy", &MATCH_POLICIES, errors);
    match text(hook, "sideEffects") {
        None => errors.push(FieldError::required(
            &format!("{path}.sideEffects"),
            &format!("must specify one of {}", SIDE_EFFECTS.join(", ")),
        )),
        Some(_) => supported("sideEffects", &SIDE_EFFECTS, errors),
    }
    if let Some(timeout) = hook.get("timeoutSeconds").and_then(Value::as_i64)
        && !(1..=30).contains(&timeout)
    {
        errors.push(FieldError::invalid(
            &format!("{path}.timeoutSeconds"),
            &timeout.to_string(),
            "the timeout value must be between 1 and 30 seconds",
        ));
    }
    if mutating {
        supported("reinvocationPolicy", &REINVOCATION_POLICIES, errors);
    }
    let config = hook.get("clientConfig").unwrap_or(&Value::Null);
    let url = config.get("url").and_then(Value::as_str);
    let service = config.get("service").filter(|s| s.is_object());
    match (url, service) {
        (Some(url), None) => webhook_url(url, &format!("{path}.clientConfig.url"), errors),
        (None, Some(service)) => {
            webhook_service(service, &format!("{path}.clientConfig.service"), errors)
        }
        _ => errors.push(FieldError::required(
            &format!("{path}.clientConfig"),
            "exactly one of url or service is required",
        )),
    }
}

/// `IsFullyQualifiedName`: a DNS subdomain of at least three segments.
fn fully_qualified_name(name: &str, path: &str, errors: &mut Vec<FieldError>) {
    if name.is_empty() {
        errors.push(FieldError::required(path, ""));
    } else if name.len() > 253 {
        errors.push(FieldError::invalid(
            path,
            &go_quote(name),
            "must be no more than 253 characters",
        ));
    } else if !name.split('.').all(is_dns1123_label) {
        errors.push(FieldError::invalid(
            path,
            &go_quote(name),
            DNS1123_SUBDOMAIN,
        ));
    } else if name.split('.').count() < 3 {
        errors.push(FieldError::invalid(
            path,
            &go_quote(name),
            "should be a domain with at least three segments separated by dots",
        ));
    }
}

/// A rule's operations: at least one, `*` alone, each one known.
fn operations(rule: &Value, path: &str, errors: &mut Vec<FieldError>) {
    let operations: Vec<&str> = rule
        .get("operations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| o.as_str().unwrap_or(""))
        .collect();
    if operations.is_empty() {
        errors.push(FieldError::required(&format!("{path}.operations"), ""));
    }
    if operations.len() > 1 && operations.contains(&"*") {
        errors.push(FieldError::invalid(
            &format!("{path}.operations"),
            &go_string_slice(&operations),
            "if '*' is present, must not specify other operations",
        ));
    }
    for (index, operation) in operations.iter().enumerate() {
        if !OPERATIONS.contains(operation) {
            errors.push(FieldError::not_supported(
                &format!("{path}.operations[{index}]"),
                operation,
                &OPERATIONS,
            ));
        }
    }
}

/// Go's `%#v` of a `[]string`.
fn go_string_slice(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| go_quote(item)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// `validateAdmissionReviewVersions`: at least one, no duplicates, DNS-1035 labels, one this
/// server accepts.
fn review_versions(hook: &Value, path: &str, errors: &mut Vec<FieldError>) {
    let versions: Vec<&str> = hook
        .get("admissionReviewVersions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or(""))
        .collect();
    if versions.is_empty() {
        errors.push(FieldError::required(
            path,
            &format!("must specify one of {}", REVIEW_VERSIONS.join(", ")),
        ));
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (index, version) in versions.iter().enumerate() {
        if seen.contains(version) {
            errors.push(FieldError::invalid(
                &format!("{path}[{index}]"),
                &go_quote(version),
                "duplicate version",
            ));
            continue;
        }
        seen.push(version);
        if let Some(problem) = dns1035_label_problem(version) {
            errors.push(FieldError::invalid(
                &format!("{path}[{index}]"),
                &go_quote(version),
                problem,
            ));
        }
    }
    if !versions.iter().any(|v| REVIEW_VERSIONS.contains(v)) {
        errors.push(FieldError::invalid(
            path,
            &go_string_slice(&versions),
            &format!(
                "must include at least one of {}",
                REVIEW_VERSIONS.join(", ")
            ),
        ));
    }
}

/// `IsDNS1035Label`'s message for a value that is not one.
fn dns1035_label_problem(value: &str) -> Option<&'static str> {
    let bytes = value.as_bytes();
    if bytes.len() > 63 {
        return Some("must be no more than 63 characters");
    }
    let valid = !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    (!valid).then_some("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
}

/// `ValidateWebhookURL` with https required: a scheme and a host.
fn webhook_url(url: &str, path: &str, errors: &mut Vec<FieldError>) {
    const FORM: &str = "; desired format: https://host[/path]";
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    if scheme != "https" {
        errors.push(FieldError::invalid(
            path,
            &go_quote(scheme),
            &format!("'https' is the only allowed URL scheme{FORM}"),
        ));
    }
    let host = if url.contains("://") {
        rest.split(['/', '?', '#']).next().unwrap_or("")
    } else {
        ""
    };
    if host.is_empty() {
        errors.push(FieldError::invalid(
            path,
            &go_quote(host),
            &format!("host must be specified{FORM}"),
        ));
    }
}

/// `ValidateWebhookService`: a name, a namespace, a valid port, a path starting with `/`.
fn webhook_service(service: &Value, path: &str, errors: &mut Vec<FieldError>) {
    if text(service, "name").unwrap_or("").is_empty() {
        errors.push(FieldError::required(
            &format!("{path}.name"),
            "service name is required",
        ));
    }
    if text(service, "namespace").unwrap_or("").is_empty() {
        errors.push(FieldError::required(
            &format!("{path}.namespace"),
            "service namespace is required",
        ));
    }
    if let Some(port) = service.get("port").and_then(Value::as_i64)
        && !(1..=65535).contains(&port)
    {
        errors.push(FieldError::invalid(
            &format!("{path}.port"),
            &port.to_string(),
            "port is not valid: must be between 1 and 65535, inclusive",
        ));
    }
    if let Some(url_path) = text(service, "path")
        && !url_path.is_empty()
        && !url_path.starts_with('/')
    {
        errors.push(FieldError::invalid(
            &format!("{path}.path"),
            &go_quote(url_path),
            "must start with a '/'",
        ));
    }
}

/// `validateValidatingAdmissionPolicySpec`'s required parts: what it matches, and at least one
/// validation or audit annotation, each validation with an expression.
fn policy(object: &Value, errors: &mut Vec<FieldError>) {
    let spec = object.get("spec").unwrap_or(&Value::Null);
    match spec.get("matchConstraints").filter(|m| m.is_object()) {
        None => errors.push(FieldError::required("spec.matchConstraints", "")),
        Some(constraints) => {
            let rules = constraints
                .get("resourceRules")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if rules == 0 {
                errors.push(FieldError::required(
                    "spec.matchConstraints.resourceRules",
                    "",
                ));
            }
        }
    }
    let validations = spec.get("validations").and_then(Value::as_array);
    let annotations = spec.get("auditAnnotations").and_then(Value::as_array);
    if validations.is_none_or(Vec::is_empty) && annotations.is_none_or(Vec::is_empty) {
        errors.push(FieldError::required(
            "spec.validations",
            "validations or auditAnnotations must contain at least one item",
        ));
    }
    for (index, validation) in validations.into_iter().flatten().enumerate() {
        if text(validation, "expression")
            .unwrap_or("")
            .trim()
            .is_empty()
        {
            errors.push(FieldError::required(
                &format!("spec.validations[{index}].expression"),
                "",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(kind: &str, mut object: Value) -> Vec<String> {
        default("admissionregistration.k8s.io", kind, &mut object);
        let mut errors = Vec::new();
        validate(kind, &object, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_webhook_needs_its_side_effects_and_review_versions() {
        let bare = json!({"metadata": {"name": "policy"}, "webhooks": [{"name": "check.example.com", "clientConfig": {"service": {"name": "hook", "namespace": "default"}}}]});
        assert_eq!(
            errors_of("ValidatingWebhookConfiguration", bare),
            [
                "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
                "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"
            ]
        );
        let wrong = json!({"webhooks": [{"name": "check", "sideEffects": "Some", "admissionReviewVersions": ["v2"], "clientConfig": {"url": "http://hook"}, "rules": [{"operations": ["CREATE", "*"]}]}]});
        assert_eq!(
            errors_of("MutatingWebhookConfiguration", wrong),
            [
                "webhooks[0].name: Invalid value: \"check\": should be a domain with at least three segments separated by dots",
                "webhooks[0].rules[0].operations: Invalid value: []string{\"CREATE\", \"*\"}: if '*' is present, must not specify other operations",
                "webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"",
                "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
                "webhooks[0].admissionReviewVersions: Invalid value: []string{\"v2\"}: must include at least one of v1, v1beta1"
            ]
        );
        let good = json!({"webhooks": [{"name": "a.example.com", "sideEffects": "None", "admissionReviewVersions": ["v1"], "clientConfig": {"url": "https://hook.example.com/validate"}}, {"name": "a.example.com", "sideEffects": "None", "admissionReviewVersions": ["v1"], "clientConfig": {"service": {"name": "h", "namespace": "d"}}}]});
        assert_eq!(
            errors_of("ValidatingWebhookConfiguration", good),
            ["webhooks[1].name: Duplicate value: \"a.example.com\""]
        );
    }

    #[test]
    fn defaults_as_the_api_server_sets_them() {
        let mut object = json!({"metadata": {"name": "m"}, "webhooks": [{"name": "a.example.com", "clientConfig": {"service": {"name": "h", "namespace": "d"}}, "rules": [{"operations": ["CREATE"]}]}]});
        default(
            "admissionregistration.k8s.io",
            "MutatingWebhookConfiguration",
            &mut object,
        );
        let hook = &object["webhooks"][0];
        assert_eq!(hook["failurePolicy"], "Fail");
        assert_eq!(hook["matchPolicy"], "Equivalent");
        assert_eq!(hook["timeoutSeconds"], 10);
        assert_eq!(hook["reinvocationPolicy"], "Never");
        assert_eq!(hook["namespaceSelector"], json!({}));
        assert_eq!(hook["rules"][0]["scope"], "*");
        assert_eq!(hook["clientConfig"]["service"]["port"], 443);
        assert_eq!(object["metadata"]["generation"], 1);
    }

    #[test]
    fn a_policy_needs_what_it_matches_and_what_it_checks() {
        assert_eq!(
            errors_of("ValidatingAdmissionPolicy", json!({"spec": {}})),
            [
                "spec.matchConstraints: Required value",
                "spec.validations: Required value: validations or auditAnnotations must contain at least one item"
            ]
        );
    }
}
