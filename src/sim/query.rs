//! The query parameters list, watch and write requests carry.

use std::collections::HashMap;

use super::api_error::ApiError;

/// Parsed query parameters. Unknown parameters are ignored, as the API server does.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub limit: usize,
    pub continue_token: Option<String>,
    pub resource_version: Option<String>,
    pub resource_version_match: Option<String>,
    pub watch: bool,
    pub allow_watch_bookmarks: bool,
    /// `sendInitialEvents`, when given (its absence means something else than false).
    pub send_initial_events: Option<bool>,
    pub timeout_seconds: Option<u64>,
    pub dry_run: bool,
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: Option<String>,
    pub include_object: Option<String>,
    pub raw: HashMap<String, String>,
    /// The client's User-Agent header: a write that names no `fieldManager` is recorded under
    /// the client's name.
    pub user_agent: Option<String>,
}

fn flag(value: &str) -> bool {
    matches!(value, "true" | "1" | "True" | "TRUE")
}

impl Query {
    /// The API server's checks of a list's or watch's options (apimachinery's
    /// `ValidateListOptions`), answered as it answers them: 422, `ListOptions.meta.k8s.io ""
    /// is invalid`, a cause per field. `watch_list`: the WatchList feature gate.
    pub fn validate_list_options(&self, watch_list: bool) -> Result<(), ApiError> {
        use super::api_error::FieldError;
        const NOT_OLDER_THAN: &str = "NotOlderThan";
        let mut errors = Vec::new();
        let matching = self.resource_version_match.as_deref();
        if self.watch {
            if self.send_initial_events.is_some() {
                if matching != Some(NOT_OLDER_THAN) {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                    ));
                }
                if !watch_list {
                    errors.push(FieldError::forbidden(
                        "sendInitialEvents",
                        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
                    ));
                }
            }
            if let Some(matching) = matching {
                if self.send_initial_events.is_none() {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                    ));
                }
                if matching != NOT_OLDER_THAN {
                    errors.push(FieldError::not_supported(
                        "resourceVersionMatch",
                        matching,
                        &[NOT_OLDER_THAN],
                    ));
                }
                if self.continue_token.is_some() {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided",
                    ));
                }
            }
        } else {
            if let Some(matching) = matching {
                if self.resource_version.is_none() {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided",
                    ));
                }
                if self.continue_token.is_some() {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided",
                    ));
                }
                if matching != "Exact" && matching != NOT_OLDER_THAN {
                    errors.push(FieldError::not_supported(
                        "resourceVersionMatch",
                        matching,
                        &["Exact", NOT_OLDER_THAN, ""],
                    ));
                }
                if matching == "Exact" && self.resource_version.as_deref() == Some("0") {
                    errors.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                    ));
                }
            }
            if self.send_initial_events.is_some() {
                errors.push(FieldError::forbidden(
                    "sendInitialEvents",
                    "sendInitialEvents is forbidden for list",
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_fields(
                "meta.k8s.io",
                "ListOptions",
                "",
                &errors,
            ))
        }
    }

    /// Reads a query string (without `?`).
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("invalid query string: {e}")))?;
        let mut out = Query::default();
        for (key, value) in pairs {
            match key.as_str() {
                "labelSelector" => out.label_selector = Some(value.clone()),
                "fieldSelector" => out.field_selector = Some(value.clone()),
                "limit" => {
                    let limit: i64 = value.parse().map_err(|_| {
                        ApiError::bad_request(format!(
                            "limit: invalid value {value:?}: must be an integer"
                        ))
                    })?;
                    out.limit = usize::try_from(limit).unwrap_or(0);
                }
                "continue" => out.continue_token = Some(value.clone()).filter(|v| !v.is_empty()),
                "resourceVersion" => {
                    out.resource_version = Some(value.clone()).filter(|v| !v.is_empty())
                }
                "resourceVersionMatch" => {
                    out.resource_version_match = Some(value.clone()).filter(|v| !v.is_empty())
                }
                "watch" => out.watch = flag(&value),
                "allowWatchBookmarks" => out.allow_watch_bookmarks = flag(&value),
                "sendInitialEvents" => out.send_initial_events = Some(flag(&value)),
                "timeoutSeconds" => out.timeout_seconds = Some(value.parse().map_err(|_| {
                    ApiError::bad_request(format!(
                        "timeoutSeconds: invalid value {value:?}: must be a non-negative integer"
                    ))
                })?),
                "dryRun" => {
                    if value != "All" {
                        return Err(ApiError::bad_request(format!(
                            "dryRun: Unsupported value: \"{value}\": supported values: \"All\""
                        )));
                    }
                    out.dry_run = true;
                }
                "gracePeriodSeconds" => {
                    out.grace_period_seconds = Some(value.parse().map_err(|_| {
                        ApiError::bad_request(format!(
                            "gracePeriodSeconds: invalid value {value:?}: must be an integer"
                        ))
                    })?)
                }
                "propagationPolicy" => out.propagation_policy = Some(value.clone()),
                "includeObject" => out.include_object = Some(value.clone()),
                _ => {}
            }
            out.raw.insert(key, value);
        }
        Ok(out)
    }

    /// The resourceVersion as a number, if one was given (`0` means "any"), or the storage's
    /// error for one that is not a number: APIObjectVersioner.ParseResourceVersion's
    /// field.Invalid with strconv.ParseUint's error (k8s.io/apiserver pkg/storage
    /// api_object_versioner.go). List and watch answer it differently (see their callers).
    pub fn revision(&self) -> Result<Option<u64>, String> {
        match &self.resource_version {
            None => Ok(None),
            Some(rv) => rv.parse().map(Some).map_err(|e: std::num::ParseIntError| {
                let why = match e.kind() {
                    std::num::IntErrorKind::PosOverflow => "value out of range",
                    _ => "invalid syntax",
                };
                let quoted = super::decoding::go_quote(rv);
                format!(
                    "resourceVersion: Invalid value: {quoted}: strconv.ParseUint: parsing {quoted}: {why}"
                )
            }),
        }
    }
}
