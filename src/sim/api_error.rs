//! Errors as the API server sends them: a `metav1.Status` with the right code and reason.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::resource::ResourceType;

/// One field's error, as apimachinery's `field.Error`: its path, its type and the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    kind: FieldErrorKind,
    detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FieldErrorKind {
    Required,
    /// The bad value, already printed as `ErrorBody` prints it (`%q` for a string, `%#v` for a
    /// map).
    Invalid(String),
    Forbidden,
    /// The value (quoted) and the values supported.
    NotSupported(String, Vec<String>),
    /// The value repeated, already printed.
    Duplicate(String),
    /// Longer than this many bytes.
    TooLong(usize),
}

impl FieldError {
    /// `field.Required`.
    pub fn required(field: &str, detail: &str) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Required,
            detail: detail.into(),
        }
    }

    /// `field.Invalid` of a value already printed.
    pub fn invalid(field: &str, shown_value: &str, detail: &str) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Invalid(shown_value.into()),
            detail: detail.into(),
        }
    }

    /// `field.Forbidden`.
    pub fn forbidden(field: &str, detail: &str) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Forbidden,
            detail: detail.into(),
        }
    }

    /// `field.NotSupported` of a string value.
    pub fn not_supported(field: &str, value: &str, supported: &[&str]) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::NotSupported(
                format!("{value:?}"),
                supported.iter().map(|s| format!("{s:?}")).collect(),
            ),
            detail: String::new(),
        }
    }

    /// `field.Duplicate` of a value already printed.
    pub fn duplicate(field: &str, shown_value: &str) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Duplicate(shown_value.into()),
            detail: String::new(),
        }
    }

    /// `field.TooLong`, its value left out as upstream's validators leave it.
    pub fn too_long(field: &str, max: usize) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::TooLong(max),
            detail: String::new(),
        }
    }

    /// The cause's reason (`metav1.CauseType`).
    fn reason(&self) -> &'static str {
        match self.kind {
            FieldErrorKind::Required => "FieldValueRequired",
            FieldErrorKind::Invalid(_) => "FieldValueInvalid",
            FieldErrorKind::Forbidden => "FieldValueForbidden",
            FieldErrorKind::NotSupported(..) => "FieldValueNotSupported",
            FieldErrorKind::Duplicate(_) => "FieldValueDuplicate",
            FieldErrorKind::TooLong(_) => "FieldValueTooLong",
        }
    }

    /// `ErrorBody`: the type, the value when there is one, and the detail.
    fn body(&self) -> String {
        let mut body = match &self.kind {
            FieldErrorKind::Required => "Required value".to_string(),
            FieldErrorKind::Invalid(value) => format!("Invalid value: {value}"),
            FieldErrorKind::Forbidden => "Forbidden".to_string(),
            FieldErrorKind::Duplicate(value) => format!("Duplicate value: {value}"),
            FieldErrorKind::TooLong(max) => format!("Too long: must have at most {max} bytes"),
            FieldErrorKind::NotSupported(value, supported) => format!(
                "Unsupported value: {value}: supported values: {}",
                supported.join(", ")
            ),
        };
        if !self.detail.is_empty() {
            body.push_str(": ");
            body.push_str(&self.detail);
        }
        body
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// A failed request, answered with a Status object.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
    /// `metadata.continue` of the Status (an expired list's way on).
    pub list_continue: Option<String>,
}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            reason,
            message: message.into(),
            details: None,
            list_continue: None,
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 401.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "Forbidden", message)
    }

    /// 403 for one object of `resource` refused for `reason` (`errors.NewForbidden`, as
    /// admission's refusals are made): `pods "web-x" is forbidden: REASON`, the details naming
    /// the object.
    pub fn forbidden_object(resource: &ResourceType, name: &str, reason: &str) -> Self {
        let qualified = resource.qualified_plural();
        let message = if name.is_empty() {
            format!("{qualified} is forbidden: {reason}")
        } else {
            format!("{qualified} \"{name}\" is forbidden: {reason}")
        };
        let mut details = serde_json::Map::new();
        for (field, value) in [
            ("name", name),
            ("group", resource.group),
            ("kind", resource.plural),
        ] {
            if !value.is_empty() {
                details.insert(field.into(), json!(value));
            }
        }
        let mut error = Self::forbidden(message);
        error.details = Some(Value::Object(details));
        error
    }

    /// 404 for an object.
    pub fn not_found(resource: &ResourceType, name: &str) -> Self {
        let mut error = Self::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", resource.qualified_plural()),
        );
        error.details =
            Some(json!({"name": name, "group": resource.group, "kind": resource.plural}));
        error
    }

    /// 404 for a path the server does not serve. Its details are empty where a missing
    /// object's name the object: clients tell the two apart by them (`kubectl debug` reads an
    /// empty name as "ephemeral containers are disabled for this cluster").
    pub fn no_route() -> Self {
        let mut error = Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
        error.details = Some(json!({}));
        error
    }

    /// 405.
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(405, "MethodNotAllowed", message)
    }

    /// 409 AlreadyExists.
    pub fn already_exists(resource: &ResourceType, name: &str) -> Self {
        let mut error = Self::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", resource.qualified_plural()),
        );
        error.details =
            Some(json!({"name": name, "group": resource.group, "kind": resource.plural}));
        error
    }

    /// 409 Conflict on a stale resourceVersion.
    pub fn conflict(resource: &ResourceType, name: &str) -> Self {
        let mut error = Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                resource.qualified_plural()
            ),
        );
        error.details =
            Some(json!({"name": name, "group": resource.group, "kind": resource.plural}));
        error
    }

    /// 410 Gone for a resourceVersion older than the kept history.
    pub fn gone(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    /// 504 for a resourceVersion the store has not reached, as the watch cache answers once it
    /// has waited for it (`storage.NewTooLargeResourceVersionError`): a Timeout with its cause,
    /// asking the client to retry in a second.
    pub fn too_large_resource_version(requested: u64, current: u64) -> Self {
        let mut error = Self::new(
            504,
            "Timeout",
            format!("Timeout: Too large resource version: {requested}, current: {current}"),
        );
        error.details = Some(json!({
            "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
            "retryAfterSeconds": 1,
        }));
        error
    }

    /// 415.
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(415, "UnsupportedMediaType", message)
    }

    /// Nothing when `errors` is empty, else `invalid_fields` of the object named `name` of
    /// `resource`: how a validation ends.
    pub fn invalid_unless_empty(
        resource: &ResourceType,
        name: &str,
        errors: &[FieldError],
    ) -> Result<(), Self> {
        if errors.is_empty() {
            return Ok(());
        }
        Err(Self::invalid_fields(
            resource.group,
            resource.kind,
            name,
            errors,
        ))
    }

    /// 422 Invalid with every field error, as apimachinery's `errors.NewInvalid` makes it: the
    /// message `Kind.group "name" is invalid: ` and the errors (several as `[a, b]`, as
    /// `ToAggregate` prints them), each error a cause.
    pub fn invalid_fields(group: &str, kind: &str, name: &str, errors: &[FieldError]) -> Self {
        let qualified = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let mut texts: Vec<String> = Vec::new();
        for error in errors {
            let text = error.to_string();
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
        let aggregate = match texts.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let mut error = Self::new(
            422,
            "Invalid",
            format!("{qualified} {name:?} is invalid: {aggregate}"),
        );
        // StatusDetails' name, group and kind are omitted when empty.
        let mut details = serde_json::Map::new();
        for (key, value) in [("name", name), ("group", group), ("kind", kind)] {
            if !value.is_empty() {
                details.insert(key.into(), json!(value));
            }
        }
        details.insert(
            "causes".into(),
            errors
                .iter()
                .map(|e| json!({"reason": e.reason(), "message": e.body(), "field": e.field}))
                .collect(),
        );
        error.details = Some(Value::Object(details));
        error
    }

    /// 422 with one invalid field.
    pub fn invalid(resource: &ResourceType, name: &str, field: &str, detail: &str) -> Self {
        let mut error = Self::new(
            422,
            "Invalid",
            format!("{} \"{name}\" is invalid: {field}: {detail}", resource.kind),
        );
        error.details = Some(json!({
            "name": name, "group": resource.group, "kind": resource.kind,
            "causes": [{"reason": "FieldValueInvalid", "message": detail, "field": field}]
        }));
        error
    }

    /// 429 for an eviction that a PodDisruptionBudget refuses.
    pub fn disruption_budget(budget: &str, desired_healthy: i64, current_healthy: i64) -> Self {
        let mut error = Self::new(
            429,
            "TooManyRequests",
            "Cannot evict pod as it would violate the pod's disruption budget.",
        );
        error.details = Some(json!({
            "causes": [{"reason": "DisruptionBudget", "message": format!("The disruption budget {budget} needs {desired_healthy} healthy pods and has {current_healthy} currently")}]
        }));
        error
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    /// 500 for an error that is not a Status (ErrorToAPIStatus's default): no reason.
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::new(500, "", message)
    }

    /// The Status object.
    pub fn status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        // metav1.Status's reason is omitted when empty.
        if self.reason.is_empty()
            && let Some(fields) = status.as_object_mut()
        {
            fields.remove("reason");
        }
        if let Some(details) = &self.details {
            status["details"] = details.clone();
        }
        if let Some(token) = &self.list_continue {
            status["metadata"] = json!({"continue": token});
        }
        status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = self.status().to_string();
        (code, [("content-type", "application/json")], body).into_response()
    }
}
