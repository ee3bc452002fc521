//! The review APIs: a user asks whether it may do something (`SelfSubjectAccessReview`, what
//! `kubectl auth can-i` sends), what it may do in a namespace (`SelfSubjectRulesReview`,
//! `auth can-i --list`), who it is (`SelfSubjectReview`, `auth whoami`), and an admin asks
//! for someone else (`SubjectAccessReview`). Each is answered at once and never stored.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Attributes, Target, UserInfo, authorize, rules_for};
use crate::sim::api_error::{ApiError, FieldError};
use crate::sim::resource::ResourceType;
use crate::sim::state::Sim;
use crate::sim::write::read_body;

/// Creates a review of `resource` for `user`: the request's object with its status filled in,
/// as 201 Created.
pub fn create(
    sim: &Sim,
    user: &UserInfo,
    resource: &ResourceType,
    content_type: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let mut review = read_body(content_type, body)?;
    if !review.is_object() {
        return Err(ApiError::bad_request(format!(
            "the body of the request is not a {} object",
            resource.kind
        )));
    }
    let status = match resource.kind {
        "SelfSubjectReview" => json!({"userInfo": {
            "username": user.name,
            "groups": user.groups,
        }}),
        "SelfSubjectAccessReview" => access_status(sim, user, resource, &review["spec"])?,
        "SubjectAccessReview" => {
            let spec = &review["spec"];
            let subject = UserInfo {
                name: spec["user"].as_str().unwrap_or("").to_string(),
                groups: spec["groups"]
                    .as_array()
                    .map(|groups| {
                        groups
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if subject.name.is_empty() && subject.groups.is_empty() {
                return Err(invalid(
                    resource,
                    FieldError::invalid(
                        "spec.user",
                        "\"\"",
                        "at least one of user or group must be specified",
                    ),
                ));
            }
            access_status(sim, &subject, resource, spec)?
        }
        "SelfSubjectRulesReview" => {
            let namespace = review["spec"]["namespace"].as_str().unwrap_or("");
            rules_status(sim, user, namespace)
        }
        other => return Err(ApiError::internal(format!("{other} is not a review"))),
    };
    review["apiVersion"] = json!(resource.api_version());
    review["kind"] = json!(resource.kind);
    if !review["metadata"].is_object() {
        review["metadata"] = json!({});
    }
    review["status"] = status;
    Ok((
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        review.to_string(),
    )
        .into_response())
}

fn invalid(resource: &ResourceType, error: FieldError) -> ApiError {
    ApiError::invalid_fields(resource.group, resource.kind, "", &[error])
}

/// A `SubjectAccessReviewStatus`: `allowed`, and the authorizer's reason when it gives one.
fn access_status(
    sim: &Sim,
    user: &UserInfo,
    resource: &ResourceType,
    spec: &Value,
) -> Result<Value, ApiError> {
    let text = |value: &Value, field: &str| value[field].as_str().unwrap_or("").to_string();
    let attributes = match (
        spec["resourceAttributes"].as_object(),
        spec["nonResourceAttributes"].as_object(),
    ) {
        (Some(_), None) => {
            let r = &spec["resourceAttributes"];
            Attributes {
                verb: text(r, "verb"),
                target: Target::Resource {
                    group: text(r, "group"),
                    resource: text(r, "resource"),
                    subresource: text(r, "subresource"),
                    namespace: text(r, "namespace"),
                    name: text(r, "name"),
                },
            }
        }
        (None, Some(_)) => {
            let n = &spec["nonResourceAttributes"];
            Attributes {
                verb: text(n, "verb"),
                target: Target::NonResource {
                    path: text(n, "path"),
                },
            }
        }
        (Some(_), Some(_)) => {
            return Err(invalid(
                resource,
                FieldError::invalid(
                    "spec.nonResourceAttributes",
                    &format!("{:?}", spec["nonResourceAttributes"].to_string()),
                    "cannot be specified in combination with resourceAttributes",
                ),
            ));
        }
        (None, None) => {
            return Err(invalid(
                resource,
                FieldError::invalid(
                    "spec.resourceAttributes",
                    "\"null\"",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified",
                ),
            ));
        }
    };
    let decision = authorize(sim, user, &attributes);
    let mut status = json!({"allowed": decision.allowed});
    if !decision.reason.is_empty() {
        status["reason"] = json!(decision.reason);
    }
    Ok(status)
}

/// A `SubjectRulesReviewStatus`: the rules of every binding that applies in `namespace`, split
/// into resource and non-resource rules as the RBAC authorizer's `RulesFor` splits them.
fn rules_status(sim: &Sim, user: &UserInfo, namespace: &str) -> Value {
    let (rules, errors) = rules_for(sim, user, namespace);
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    for rule in rules {
        if !rule.resources.is_empty() {
            let mut entry = json!({
                "verbs": rule.verbs,
                "apiGroups": rule.api_groups,
                "resources": rule.resources,
            });
            if !rule.resource_names.is_empty() {
                entry["resourceNames"] = json!(rule.resource_names);
            }
            resource_rules.push(entry);
        }
        if !rule.non_resource_urls.is_empty() {
            non_resource_rules.push(json!({
                "verbs": rule.verbs,
                "nonResourceURLs": rule.non_resource_urls,
            }));
        }
    }
    let mut status = json!({
        "resourceRules": resource_rules,
        "nonResourceRules": non_resource_rules,
        "incomplete": !errors.is_empty(),
    });
    match errors.as_slice() {
        [] => {}
        [one] => status["evaluationError"] = json!(one),
        many => status["evaluationError"] = json!(format!("[{}]", many.join(", "))),
    }
    status
}
