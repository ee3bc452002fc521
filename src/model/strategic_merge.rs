//! Applying patches: JSON patch, JSON merge patch and strategic merge patch.
//!
//! [`apply_patch`] does what the API server's PATCH handler does to the stored object
//! (`k8s.io/apiserver/pkg/endpoints/handlers/patch.go`), and [`create_strategic_merge_patch`]
//! what `kubectl edit` does to turn an edited object into a patch
//! (`strategicpatch.CreateTwoWayMergePatch`). The strategic merge follows
//! `k8s.io/apimachinery/pkg/util/strategicpatch/patch.go` as of v0.36, including its quirks
//! (items a patch adds to a merged list without `$setElementOrder` go first; `$patch: delete` on a
//! map leaves an empty map), because clients see them.
//!
//! The API server decodes the patched map into a Go struct, which drops `null`s and the leftover
//! directive keys of values it copied verbatim from the patch. We never decode, so we drop those
//! from such values ourselves; everything else is left as the merge produced it.

use std::fmt;

use serde_json::{Map, Value};

#[path = "strategic_merge_schema.rs"]
mod schema;

use schema::{Field, Strategy, Ty};

#[cfg(test)]
#[path = "strategic_merge_tests.rs"]
mod tests;

const DIRECTIVE_MARKER: &str = "$patch";
const RETAIN_KEYS_DIRECTIVE: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST_PREFIX: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER_PREFIX: &str = "$setElementOrder";

/// The API server refuses JSON patches longer than this (`maxJSONPatchOperations`).
const MAX_JSON_PATCH_OPERATIONS: usize = 10_000;

/// The message of the API server's 415 for a strategic merge patch on a custom resource.
const CUSTOM_RESOURCE_MEDIA_TYPES: &str = "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

/// What `NewGenericServerResponse` says for a 422, dropping the underlying error.
const GENERIC_INVALID_MESSAGE: &str =
    "the server rejected our request due to an error in our request";

type JsonMap = Map<String, Value>;

/// The three PATCH body formats (server-side apply is not a patch we apply here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatchType {
    /// RFC 6902 JSON patch: a list of operations.
    Json,
    /// RFC 7386 JSON merge patch.
    Merge,
    /// Kubernetes strategic merge patch: a merge patch whose lists merge by key where the type
    /// says so.
    StrategicMerge,
}

impl PatchType {
    /// The patch type of a `Content-Type` header, ignoring parameters such as `; charset=utf-8`.
    /// Matching is exact otherwise, as in the API server.
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        let content_type = content_type.trim();
        // The API server cuts at the first ';' unless the header starts with one.
        let media_type = match content_type.find(';') {
            Some(index) if index > 0 => &content_type[..index],
            _ => content_type,
        };
        match media_type {
            "application/json-patch+json" => Some(PatchType::Json),
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/strategic-merge-patch+json" => Some(PatchType::StrategicMerge),
            _ => None,
        }
    }

    /// The `Content-Type` a client sends with this patch type.
    pub fn content_type(&self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::StrategicMerge => "application/strategic-merge-patch+json",
        }
    }
}

/// The API groups the API server itself serves; an object in any other group is a custom
/// resource, for which the API server has no struct tags and so no strategic merge.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];

/// The kind of object a patch applies to, which decides how its lists merge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKind {
    api_version: String,
    kind: String,
    custom: bool,
}

impl ObjectKind {
    /// The kind named by an object's `apiVersion` and `kind`; it is a custom resource unless
    /// its API group is one the API server serves itself.
    pub fn new(api_version: &str, kind: &str) -> ObjectKind {
        let custom = !BUILT_IN_GROUPS.contains(&group_of(api_version));
        ObjectKind {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            custom,
        }
    }

    /// A built-in kind, whatever its group.
    pub fn built_in(api_version: &str, kind: &str) -> ObjectKind {
        ObjectKind {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            custom: false,
        }
    }

    /// A custom resource (served from a CustomResourceDefinition), whatever its group.
    pub fn custom(api_version: &str, kind: &str) -> ObjectKind {
        ObjectKind {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            custom: true,
        }
    }

    /// `v1` or `group/version`.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The kind, such as `Deployment`.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The API group; empty for the core group.
    pub fn group(&self) -> &str {
        group_of(&self.api_version)
    }

    /// Whether this is a custom resource, which takes no strategic merge patch.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    fn schema(&self) -> Ty {
        schema::root(self.group(), &self.kind)
    }
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Why a patch could not be applied or created, typed by the HTTP status the API server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchError {
    /// The body is not JSON, or not the JSON shape its patch type needs: a JSON patch that is not
    /// a list of operations, a merge patch that is not an object. 400 BadRequest.
    InvalidBody {
        patch_type: PatchType,
        reason: String,
    },
    /// A JSON patch of more than 10,000 operations. 413 RequestEntityTooLarge.
    TooManyOperations { count: usize },
    /// A JSON patch operation failed: a `test` that did not match, a path that does not exist, an
    /// unknown `op`. 422 Invalid (the API server keeps only a generic message).
    OperationFailed { reason: String },
    /// A strategic merge patch sent for a custom resource. 415 UnsupportedMediaType.
    StrategicMergeUnsupported,
    /// A malformed `$retainKeys`, `$setElementOrder/…` or `$deleteFromPrimitiveList/…` directive,
    /// which the API server reports as a bad request. 400 BadRequest.
    InvalidDirective { reason: String },
    /// A `$patch` directive with a value other than `replace`, `delete` (or `merge` on a map).
    /// The API server passes the bare error on, so it answers 500.
    UnknownDirective { reason: String },
    /// The strategic merge failed for another reason: a list element without its merge key,
    /// `$setElementOrder` disagreeing with the patch list, elements of different types, `$patch:
    /// merge` in a list. The API server passes the bare error on, so it answers 500.
    MergeFailed { reason: String },
    /// A merged list whose elements are lists. 422 Invalid.
    ListOfLists,
    /// The patched (or original) document is not a JSON object. 422 Invalid.
    NotAnObject,
}

impl PatchError {
    /// The HTTP status the API server answers with.
    ///
    /// From `handlers/patch.go`: a body that does not decode is `NewBadRequest` (400); a failing
    /// JSON patch operation is `NewGenericServerResponse(422)`; more than
    /// `maxJSONPatchOperations` is 413; `interpretStrategicMergePatchError` maps the mergepatch
    /// format errors to 400 and `ErrNoListOfLists` to 422 and passes other errors on bare, which
    /// `ErrorToAPIStatus` turns into 500; a patched document that does not decode into the object
    /// is `NewInvalid` (422). A strategic merge patch on a custom resource is refused before the
    /// body is read, because the CRD handler does not list its content type (415).
    pub fn http_status(&self) -> u16 {
        match self {
            PatchError::InvalidBody { .. } | PatchError::InvalidDirective { .. } => 400,
            PatchError::TooManyOperations { .. } => 413,
            PatchError::StrategicMergeUnsupported => 415,
            PatchError::OperationFailed { .. }
            | PatchError::ListOfLists
            | PatchError::NotAnObject => 422,
            PatchError::UnknownDirective { .. } | PatchError::MergeFailed { .. } => 500,
        }
    }

    /// The `reason` of the API server's `Status` (empty for its bare 500s, as `ErrorToAPIStatus`
    /// sets `StatusReasonUnknown`).
    pub fn status_reason(&self) -> &'static str {
        match self.http_status() {
            400 => "BadRequest",
            413 => "RequestEntityTooLarge",
            415 => "UnsupportedMediaType",
            422 => "Invalid",
            _ => "",
        }
    }

    /// The `message` of the API server's `Status`, which for some errors is less specific than
    /// [`Display`](fmt::Display).
    pub fn status_message(&self) -> String {
        match self {
            PatchError::InvalidBody {
                patch_type: PatchType::StrategicMerge,
                reason,
            } => reason.clone(),
            PatchError::InvalidBody { reason, .. } => format!("error decoding patch: {reason}"),
            PatchError::TooManyOperations { count } => format!(
                "Request entity too large: The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {count}"
            ),
            PatchError::OperationFailed { .. } | PatchError::ListOfLists => {
                GENERIC_INVALID_MESSAGE.to_string()
            }
            PatchError::NotAnObject => {
                "Invalid value: the patched object is not a JSON object".to_string()
            }
            PatchError::StrategicMergeUnsupported => CUSTOM_RESOURCE_MEDIA_TYPES.to_string(),
            PatchError::InvalidDirective { reason }
            | PatchError::UnknownDirective { reason }
            | PatchError::MergeFailed { reason } => reason.clone(),
        }
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchError::InvalidBody { patch_type, reason } => {
                write!(f, "invalid {} body: {reason}", patch_type.content_type())
            }
            PatchError::TooManyOperations { count } => write!(
                f,
                "the allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {count}"
            ),
            PatchError::OperationFailed { reason } => write!(f, "JSON patch failed: {reason}"),
            PatchError::StrategicMergeUnsupported => f.write_str(CUSTOM_RESOURCE_MEDIA_TYPES),
            PatchError::InvalidDirective { reason }
            | PatchError::UnknownDirective { reason }
            | PatchError::MergeFailed { reason } => f.write_str(reason),
            PatchError::ListOfLists => f.write_str("lists of lists are not supported"),
            PatchError::NotAnObject => f.write_str("the patched object is not a JSON object"),
        }
    }
}

impl std::error::Error for PatchError {}

/// Applies a PATCH body to an object, as the API server does before validating the result.
pub fn apply_patch(
    kind: &ObjectKind,
    original: &Value,
    patch_type: PatchType,
    patch: &[u8],
) -> Result<Value, PatchError> {
    match patch_type {
        PatchType::Json => apply_json_patch(original, patch),
        PatchType::Merge => apply_merge_patch(original, patch),
        PatchType::StrategicMerge => {
            if kind.is_custom() {
                return Err(PatchError::StrategicMergeUnsupported);
            }
            let patch = match parse_body(PatchType::StrategicMerge, patch)? {
                // Go decodes `null` into a nil map, which merges as an empty patch.
                Value::Null => return Ok(original.clone()),
                Value::Object(patch) => patch,
                other => {
                    return Err(PatchError::InvalidBody {
                        patch_type,
                        reason: format!("cannot unmarshal {} into an object", describe(&other)),
                    });
                }
            };
            let Value::Object(original) = original else {
                return Err(PatchError::NotAnObject);
            };
            merge_map(original.clone(), patch, kind.schema()).map(Value::Object)
        }
    }
}

/// A two-way strategic merge patch that turns `original` into `modified` when applied with
/// [`apply_patch`], as `kubectl edit` builds it (with `$setElementOrder` lists). A `null` in
/// `modified` becomes a deletion, so the patched object lacks that key.
pub fn create_strategic_merge_patch(
    kind: &ObjectKind,
    original: &Value,
    modified: &Value,
) -> Result<Value, PatchError> {
    if kind.is_custom() {
        return Err(PatchError::StrategicMergeUnsupported);
    }
    let (Value::Object(original), Value::Object(modified)) = (original, modified) else {
        return Err(PatchError::NotAnObject);
    };
    diff_maps(original, modified, kind.schema(), false).map(Value::Object)
}

/// An RFC 7386 merge patch that turns `original` into `modified` (for custom resources, which
/// take no strategic merge patch). A `null` in `modified` becomes a deletion.
pub fn create_merge_patch(original: &Value, modified: &Value) -> Value {
    match (original, modified) {
        (Value::Object(original), Value::Object(modified)) => {
            let mut patch = JsonMap::new();
            for key in original.keys() {
                if !modified.contains_key(key) {
                    patch.insert(key.clone(), Value::Null);
                }
            }
            for (key, new) in modified {
                match original.get(key) {
                    Some(old @ Value::Object(_)) if new.is_object() => {
                        let inner = create_merge_patch(old, new);
                        if inner.as_object().is_some_and(|inner| !inner.is_empty()) {
                            patch.insert(key.clone(), inner);
                        }
                    }
                    Some(old) if old == new => {}
                    _ => {
                        patch.insert(key.clone(), new.clone());
                    }
                }
            }
            Value::Object(patch)
        }
        _ => modified.clone(),
    }
}

/// The patch a client sends for an edited object: strategic merge for built-in kinds, merge
/// patch for custom resources.
pub fn create_patch(
    kind: &ObjectKind,
    original: &Value,
    modified: &Value,
) -> Result<(PatchType, Value), PatchError> {
    if kind.is_custom() {
        Ok((PatchType::Merge, create_merge_patch(original, modified)))
    } else {
        Ok((
            PatchType::StrategicMerge,
            create_strategic_merge_patch(kind, original, modified)?,
        ))
    }
}

fn parse_body(patch_type: PatchType, body: &[u8]) -> Result<Value, PatchError> {
    serde_json::from_slice(body).map_err(|error| PatchError::InvalidBody {
        patch_type,
        reason: error.to_string(),
    })
}

/// "a string", "an array", … for error messages (the simulator's protobuf encoder says its
/// type mismatches so too).
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn apply_json_patch(original: &Value, body: &[u8]) -> Result<Value, PatchError> {
    let invalid = |reason: String| PatchError::InvalidBody {
        patch_type: PatchType::Json,
        reason,
    };
    let operations = match parse_body(PatchType::Json, body)? {
        // Go decodes `null` into an empty list of operations.
        Value::Null => Vec::new(),
        Value::Array(operations) => operations,
        other => {
            return Err(invalid(format!(
                "cannot unmarshal {} into a list of operations",
                describe(&other)
            )));
        }
    };
    // The API server decodes the operations strictly first: each must be an object whose `op`,
    // `path` and `from` are strings. Anything else about them fails later, when applied (422).
    for (index, operation) in operations.iter().enumerate() {
        match operation {
            Value::Object(fields) => {
                for name in ["op", "path", "from"] {
                    if fields
                        .get(name)
                        .is_some_and(|value| !value.is_null() && !value.is_string())
                    {
                        return Err(invalid(format!(
                            "the \"{name}\" of operation {index} is not a string"
                        )));
                    }
                }
            }
            Value::Null => {}
            other => {
                return Err(invalid(format!(
                    "operation {index} is {}, not an object",
                    describe(other)
                )));
            }
        }
    }
    if operations.len() > MAX_JSON_PATCH_OPERATIONS {
        return Err(PatchError::TooManyOperations {
            count: operations.len(),
        });
    }
    let mut parsed = Vec::with_capacity(operations.len());
    for (index, mut operation) in operations.into_iter().enumerate() {
        // evanphx/json-patch treats a missing `value` of add and replace as null.
        if let Value::Object(fields) = &mut operation
            && matches!(
                fields.get("op").and_then(Value::as_str),
                Some("add" | "replace")
            )
        {
            fields.entry("value").or_insert(Value::Null);
        }
        let operation =
            serde_json::from_value::<json_patch::PatchOperation>(operation).map_err(|error| {
                PatchError::OperationFailed {
                    reason: format!("operation {index}: {error}"),
                }
            })?;
        parsed.push(operation);
    }
    let mut document = original.clone();
    json_patch::patch(&mut document, &parsed).map_err(|error| PatchError::OperationFailed {
        reason: error.to_string(),
    })?;
    if !document.is_object() {
        return Err(PatchError::NotAnObject);
    }
    Ok(document)
}

fn apply_merge_patch(original: &Value, body: &[u8]) -> Result<Value, PatchError> {
    let mut patch = match parse_body(PatchType::Merge, body)? {
        patch @ Value::Object(_) => patch,
        // The API server decodes the patch into a map before merging; a `null` then fails the
        // merge itself as "invalid JSON Patch". Both are bad requests.
        Value::Null => {
            return Err(PatchError::InvalidBody {
                patch_type: PatchType::Merge,
                reason: "invalid JSON Patch".to_string(),
            });
        }
        other => {
            return Err(PatchError::InvalidBody {
                patch_type: PatchType::Merge,
                reason: format!("cannot unmarshal {} into an object", describe(&other)),
            });
        }
    };
    // evanphx/json-patch also drops nulls inside objects in the lists it copies in; RFC 7386 (and
    // json_patch::merge) copy lists verbatim.
    prune_nulls_in_lists(&mut patch);
    let mut document = original.clone();
    json_patch::merge(&mut document, &patch);
    Ok(document)
}

fn prune_nulls_in_lists(value: &mut Value) {
    match value {
        Value::Object(map) => map.values_mut().for_each(prune_nulls_in_lists),
        Value::Array(items) => items.iter_mut().for_each(discard_nulls),
        _ => {}
    }
}

/// Removes null-valued keys from every map in `value` (`discardNullValuesFromPatch`); null list
/// elements stay.
fn discard_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, value| !value.is_null());
            map.values_mut().for_each(discard_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(discard_nulls),
        _ => {}
    }
}

/// Drops every map holding a `$patch` directive (`removeDirectives`); `None` if `value` itself
/// is one.
fn remove_directives(value: Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            if map.contains_key(DIRECTIVE_MARKER) {
                return None;
            }
            let map = map
                .into_iter()
                .filter_map(|(key, value)| remove_directives(value).map(|value| (key, value)));
            Some(Value::Object(map.collect()))
        }
        Value::Array(items) => Some(Value::Array(
            items.into_iter().filter_map(remove_directives).collect(),
        )),
        other => Some(other),
    }
}

fn is_directive_key(key: &str) -> bool {
    key == DIRECTIVE_MARKER
        || key == RETAIN_KEYS_DIRECTIVE
        || key.starts_with(SET_ELEMENT_ORDER_PREFIX)
        || key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
}

/// Removes directive keys left in a value copied from the patch, as decoding into a Go struct
/// drops them as unknown fields.
fn strip_directive_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !is_directive_key(key));
            map.values_mut().for_each(strip_directive_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_directive_keys),
        _ => {}
    }
}

/// A value the merge copies verbatim from the patch, as it reads after decoding.
fn verbatim(mut value: Value) -> Value {
    discard_nulls(&mut value);
    strip_directive_keys(&mut value);
    value
}

/// A patch value for a key the original lacks (or holds with another type): nulls discarded,
/// directive maps removed. `None` if the value itself is a directive map.
fn inserted(mut value: Value) -> Option<Value> {
    discard_nulls(&mut value);
    let mut value = remove_directives(value)?;
    strip_directive_keys(&mut value);
    Some(value)
}

/// A JSON value's Go type after decoding: ints and floats differ, which decides whether a
/// patch value replaces or merges and whether list elements are alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonType {
    Null,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
}

fn json_type(value: &Value) -> JsonType {
    match value {
        Value::Null => JsonType::Null,
        Value::Bool(_) => JsonType::Bool,
        Value::Number(number) if number.is_f64() => JsonType::Float,
        Value::Number(_) => JsonType::Int,
        Value::String(_) => JsonType::String,
        Value::Array(_) => JsonType::List,
        Value::Object(_) => JsonType::Map,
    }
}

fn merge_failed(reason: impl Into<String>) -> PatchError {
    PatchError::MergeFailed {
        reason: reason.into(),
    }
}

fn no_merge_key(item: &JsonMap, merge_key: &str) -> PatchError {
    merge_failed(format!(
        "map: {} does not contain declared merge key: {merge_key}",
        Value::Object(item.clone())
    ))
}

fn not_a_map(item: &Value) -> PatchError {
    merge_failed(format!("expected a map, but received {}", describe(item)))
}

/// The key a `$deleteFromPrimitiveList/…` or `$setElementOrder/…` key is about.
fn extract_key(key: &str, prefix: &str) -> Result<String, PatchError> {
    match key.split_once('/') {
        Some((head, rest)) if head == prefix => Ok(rest.to_string()),
        _ => Err(PatchError::InvalidDirective {
            reason: if prefix == SET_ELEMENT_ORDER_PREFIX {
                "invalid patch format of setElementOrder list".to_string()
            } else {
                "invalid patch format of primitive list".to_string()
            },
        }),
    }
}

/// Merges `patch` into `original` (`mergeMap` with `MergeParallelList` and
/// `IgnoreUnmatchedNulls`, as the API server calls it).
fn merge_map(mut original: JsonMap, mut patch: JsonMap, ty: Ty) -> Result<JsonMap, PatchError> {
    if let Some(directive) = patch.remove(DIRECTIVE_MARKER) {
        return match directive.as_str() {
            // The patch's own keys, not merged with anything.
            Some("replace") => match verbatim(Value::Object(patch)) {
                Value::Object(map) => Ok(map),
                _ => Ok(JsonMap::new()),
            },
            Some("delete") => Ok(JsonMap::new()),
            _ => {
                patch.insert(DIRECTIVE_MARKER.to_string(), directive.clone());
                Err(PatchError::UnknownDirective {
                    reason: format!(
                        "unknown patch type: {} in map: {}",
                        scalar_text(&directive),
                        Value::Object(patch)
                    ),
                })
            }
        };
    }
    apply_retain_keys(&mut original, &mut patch)?;
    apply_element_order(&mut original, &mut patch, ty)?;

    for (key, patch_value) in patch {
        let (key, is_delete_list) = if key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
            (extract_key(&key, DELETE_FROM_PRIMITIVE_LIST_PREFIX)?, true)
        } else {
            (key, false)
        };
        if patch_value.is_null() {
            original.remove(&key);
            continue;
        }
        let Some(original_value) = original.remove(&key) else {
            if !is_delete_list && let Some(value) = inserted(patch_value) {
                original.insert(key, value);
            }
            continue;
        };
        if json_type(&original_value) != json_type(&patch_value) {
            // A deletion list for a key holding something else deletes nothing.
            let value = if is_delete_list {
                Some(original_value)
            } else {
                inserted(patch_value)
            };
            if let Some(value) = value {
                original.insert(key, value);
            }
            continue;
        }
        let merged = match (original_value, patch_value) {
            (Value::Object(original_map), Value::Object(patch_map)) => {
                let field = schema::field(ty, &key);
                if field.strategy == Strategy::Replace {
                    verbatim(Value::Object(patch_map))
                } else {
                    Value::Object(merge_map(original_map, patch_map, field.ty)?)
                }
            }
            (Value::Array(original_list), Value::Array(patch_list)) => {
                let field = schema::field(ty, &key);
                // A deletion list deletes whatever the field's strategy.
                if field.strategy == Strategy::Merge || is_delete_list {
                    Value::Array(merge_list(original_list, patch_list, field, is_delete_list)?.0)
                } else {
                    verbatim(Value::Array(patch_list))
                }
            }
            (_, scalar) => scalar,
        };
        original.insert(key, merged);
    }
    Ok(original)
}

/// `$retainKeys`: keys of the original missing from the list are cleared, and every key the
/// patch sets must be in it.
fn apply_retain_keys(original: &mut JsonMap, patch: &mut JsonMap) -> Result<(), PatchError> {
    let Some(retain) = patch.remove(RETAIN_KEYS_DIRECTIVE) else {
        return Ok(());
    };
    let invalid = || PatchError::InvalidDirective {
        reason: "invalid patch format of retainKeys".to_string(),
    };
    let Value::Array(retain) = retain else {
        return Err(invalid());
    };
    let retained = |key: &str| retain.iter().any(|item| item.as_str() == Some(key));
    for (key, value) in patch.iter() {
        let is_parallel_list = key.starts_with(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            || key.starts_with(SET_ELEMENT_ORDER_PREFIX);
        if !value.is_null() && !is_parallel_list && !retained(key) {
            return Err(invalid());
        }
    }
    original.retain(|key, _| retained(key));
    Ok(())
}

/// `$setElementOrder/…` lists (`mergePatchIntoOriginal`): merges each such list's field first
/// and orders the result as the directive says, keeping server-only items near their neighbours.
fn apply_element_order(
    original: &mut JsonMap,
    patch: &mut JsonMap,
    ty: Ty,
) -> Result<(), PatchError> {
    let keys: Vec<String> = patch
        .keys()
        .filter(|key| key.starts_with(SET_ELEMENT_ORDER_PREFIX))
        .cloned()
        .collect();
    for key in keys {
        let Some(order) = patch.remove(&key) else {
            continue;
        };
        let Value::Array(order) = order else {
            return Err(merge_failed(format!(
                "expected a list in {key}, but received {}",
                describe(&order)
            )));
        };
        let field_key = extract_key(&key, SET_ELEMENT_ORDER_PREFIX)?;
        let original_list = match original.get(&field_key) {
            None => None,
            Some(Value::Array(list)) => Some(list.clone()),
            Some(other) => {
                return Err(merge_failed(format!(
                    "expected a list at {field_key}, but received {}",
                    describe(other)
                )));
            }
        };
        let patch_list = match patch.get(&field_key) {
            None => None,
            Some(Value::Array(list)) => Some(list.clone()),
            Some(other) => {
                return Err(merge_failed(format!(
                    "expected a list at {field_key}, but received {}",
                    describe(other)
                )));
            }
        };
        let field = schema::field(ty, &field_key);
        validate_element_order(
            patch_list.as_deref().unwrap_or_default(),
            &order,
            field.merge_key,
        )?;

        // Upstream orders the server-only items by the original list as the merge left it in
        // place: Go's deletions shift items left and its appends write into the freed slots of
        // the same array. Where they end up in a patch that both adds and deletes depends on it.
        let mut server_order = None;
        let merged = match (&original_list, &patch_list) {
            (Some(original_list), None) => original_list.clone(),
            (None, Some(patch_list)) => match inserted(Value::Array(patch_list.clone())) {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            },
            (Some(original_list), Some(patch_list)) => {
                if field.strategy == Strategy::Merge {
                    let (merged, view) =
                        merge_list(original_list.clone(), patch_list.clone(), field, false)?;
                    server_order = Some(view);
                    merged
                } else {
                    patch_list.iter().cloned().map(verbatim).collect()
                }
            }
            (None, None) => continue,
        };
        let (in_order, server_only) = match field.merge_key {
            None => partition_primitives(merged, &order),
            Some(merge_key) => partition_maps(merged, &order, merge_key)?,
        };
        let server_order = server_order.or(original_list).unwrap_or_default();
        let patch_list = patch_list.unwrap_or_default();
        if server_order.is_empty() && patch_list.is_empty() {
            // Nothing to order. Upstream fails here ("no elements in any of the given slices"),
            // but never meets it: the API server's objects omit empty lists.
            original.insert(field_key.clone(), Value::Array(in_order));
            patch.remove(&field_key);
            continue;
        }
        let element_type = slice_element_type(&[server_order.as_slice(), patch_list.as_slice()])?;
        let ordered = normalize_element_order(
            in_order,
            server_only,
            &order,
            &server_order,
            field.merge_key,
            element_type,
        )?;
        original.insert(field_key.clone(), Value::Array(ordered));
        patch.remove(&field_key);
    }
    Ok(())
}

/// The patch list must list its items in the same relative order as `$setElementOrder`
/// (`validatePatchWithSetOrderList`); deletions and other directive items are ignored.
fn validate_element_order(
    patch_list: &[Value],
    order: &[Value],
    merge_key: Option<&str>,
) -> Result<(), PatchError> {
    if order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let kept: Vec<&Value> = if merge_key.is_some() {
        let mut kept = Vec::new();
        for item in patch_list {
            let Value::Object(map) = item else {
                return Err(not_a_map(item));
            };
            if map.get(DIRECTIVE_MARKER).and_then(Value::as_str) != Some("delete") {
                kept.push(item);
            }
        }
        kept
    } else {
        patch_list.iter().collect()
    };
    let (mut patch_index, mut order_index) = (0, 0);
    while patch_index < kept.len() && order_index < order.len() {
        if kept[patch_index].get(DIRECTIVE_MARKER).is_some() {
            patch_index += 1;
            continue;
        }
        if merge_key_value_equal(kept[patch_index], &order[order_index], merge_key)? {
            patch_index += 1;
        }
        order_index += 1;
    }
    if patch_index < kept.len() && order_index >= order.len() {
        return Err(merge_failed(format!(
            "The order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER_PREFIX} list:\n{}\n",
            Value::Array(patch_list.to_vec()),
            Value::Array(order.to_vec())
        )));
    }
    Ok(())
}

fn merge_key_value_equal(
    left: &Value,
    right: &Value,
    merge_key: Option<&str>,
) -> Result<bool, PatchError> {
    let Some(merge_key) = merge_key else {
        return Ok(left == right);
    };
    let (Value::Object(left_map), Value::Object(right_map)) = (left, right) else {
        return Err(not_a_map(if left.is_object() { right } else { left }));
    };
    let left_value = left_map
        .get(merge_key)
        .ok_or_else(|| no_merge_key(left_map, merge_key))?;
    let right_value = right_map
        .get(merge_key)
        .ok_or_else(|| no_merge_key(right_map, merge_key))?;
    Ok(left_value == right_value)
}

/// The one type of every element of `lists` (`sliceElementType`).
fn slice_element_type(lists: &[&[Value]]) -> Result<JsonType, PatchError> {
    let mut element_type = None;
    for item in lists.iter().flat_map(|list| list.iter()) {
        let current = json_type(item);
        match element_type {
            None if current == JsonType::List => return Err(PatchError::ListOfLists),
            None if current == JsonType::Null => {
                return Err(merge_failed("list elements must not be null"));
            }
            None => element_type = Some(current),
            Some(previous) if previous != current => {
                let lists: Vec<Value> = lists
                    .iter()
                    .map(|list| Value::Array(list.to_vec()))
                    .collect();
                return Err(merge_failed(format!(
                    "list element types are not identical: {}",
                    Value::Array(lists)
                )));
            }
            Some(_) => {}
        }
    }
    element_type.ok_or_else(|| merge_failed("no elements in any of the given slices"))
}

/// Merges a list field with the `merge` strategy (or a `$deleteFromPrimitiveList`) (`mergeSlice`).
///
/// Also returns the original list as Go's slice of it reads after the merge worked on its array
/// in place (see [`apply_element_order`]).
fn merge_list(
    original: Vec<Value>,
    patch: Vec<Value>,
    field: Field,
    is_delete_list: bool,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    if original.is_empty() && patch.is_empty() {
        return Ok((original, Vec::new()));
    }
    let element_type = slice_element_type(&[&original, &patch])?;
    let (original, patch, merged, view) = if element_type != JsonType::Map {
        if is_delete_list {
            let kept = original
                .iter()
                .filter(|item| !patch.contains(item))
                .cloned()
                .collect();
            return Ok((kept, original));
        }
        let mut merged: Vec<Value> = Vec::with_capacity(original.len() + patch.len());
        for item in original.iter().chain(&patch) {
            if !merged.contains(item) {
                merged.push(item.clone());
            }
        }
        let view = original.clone();
        (original, patch, merged, view)
    } else {
        let Some(merge_key) = field.merge_key else {
            return Err(merge_failed("cannot merge lists without merge key"));
        };
        let mut view = original.clone();
        let (original, patch) = apply_list_directives(original, patch, merge_key, &mut view)?;
        let merged = merge_list_items(original.clone(), &patch, merge_key, field.ty, &mut view)?;
        (original, patch, merged, view)
    };
    let (in_patch, server_only) = match field.merge_key {
        None => partition_primitives(merged, &patch),
        Some(merge_key) => partition_maps(merged, &patch, merge_key)?,
    };
    let merged = normalize_element_order(
        in_patch,
        server_only,
        &patch,
        &original,
        field.merge_key,
        element_type,
    )?;
    Ok((merged, view))
}

/// Handles list items carrying `$patch` (`mergeSliceWithSpecialElements`): `delete` removes
/// every original item with that merge key, `replace` makes the other patch items the whole
/// list. Returns the original and the patch without those items; `view` follows Go's array.
fn apply_list_directives(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
    view: &mut [Value],
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let mut plain = Vec::with_capacity(patch.len());
    let mut replace = false;
    for item in patch {
        let Value::Object(map) = &item else {
            return Err(not_a_map(&item));
        };
        let Some(directive) = map.get(DIRECTIVE_MARKER) else {
            plain.push(item);
            continue;
        };
        match directive.as_str() {
            Some("delete") => {
                let value = map
                    .get(merge_key)
                    .ok_or_else(|| no_merge_key(map, merge_key))?;
                while let Some(index) = find_by_merge_key(&original, merge_key, value)? {
                    // `append(s[:i], s[i+1:]...)` shifts the tail left and leaves the last slot.
                    for slot in index..original.len() - 1 {
                        view[slot] = view[slot + 1].clone();
                    }
                    original.remove(index);
                }
            }
            // Keep going, so the other directive items are pruned too.
            Some("replace") => replace = true,
            Some("merge") => {
                return Err(merge_failed(
                    "merging lists cannot yet be specified in the patch",
                ));
            }
            _ => {
                return Err(PatchError::UnknownDirective {
                    reason: format!(
                        "unknown patch type: {} in map: {item}",
                        scalar_text(directive)
                    ),
                });
            }
        }
    }
    if replace {
        Ok((plain.into_iter().map(verbatim).collect(), Vec::new()))
    } else {
        Ok((original, plain))
    }
}

/// Merges each patch item into the original item with the same merge key, or appends it
/// (`mergeSliceWithoutSpecialElements`); `view` follows Go's array.
fn merge_list_items(
    mut original: Vec<Value>,
    patch: &[Value],
    merge_key: &str,
    ty: Ty,
    view: &mut [Value],
) -> Result<Vec<Value>, PatchError> {
    for item in patch {
        let Value::Object(map) = item else {
            return Err(not_a_map(item));
        };
        let value = map
            .get(merge_key)
            .ok_or_else(|| no_merge_key(map, merge_key))?;
        let (index, merged) = match find_by_merge_key(&original, merge_key, value)? {
            Some(index) => {
                let Value::Object(original_map) = std::mem::take(&mut original[index]) else {
                    return Err(not_a_map(&original[index]));
                };
                original[index] = Value::Object(merge_map(original_map, map.clone(), ty)?);
                (index, &original[index])
            }
            None => {
                original.push(verbatim(item.clone()));
                (original.len() - 1, &original[original.len() - 1])
            }
        };
        // The original array has room up to its length, so appends land in freed slots.
        if let Some(slot) = view.get_mut(index) {
            *slot = merged.clone();
        }
    }
    Ok(original)
}

/// The first item whose merge key has `value` (`findMapInSliceBasedOnKeyValue`).
fn find_by_merge_key(
    list: &[Value],
    merge_key: &str,
    value: &Value,
) -> Result<Option<usize>, PatchError> {
    for (index, item) in list.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(merge_failed(format!("value for key {index} is not a map.")));
        };
        if map.get(merge_key) == Some(value) {
            return Ok(Some(index));
        }
    }
    Ok(None)
}

fn partition_primitives(merged: Vec<Value>, by: &[Value]) -> (Vec<Value>, Vec<Value>) {
    merged.into_iter().partition(|item| by.contains(item))
}

fn partition_maps(
    merged: Vec<Value>,
    by: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let mut in_list = Vec::with_capacity(merged.len());
    let mut server_only = Vec::with_capacity(merged.len());
    for item in merged {
        let Value::Object(map) = &item else {
            return Err(not_a_map(&item));
        };
        let value = map
            .get(merge_key)
            .ok_or_else(|| no_merge_key(map, merge_key))?;
        if find_by_merge_key(by, merge_key, value)?.is_some() {
            in_list.push(item);
        } else {
            server_only.push(item);
        }
    }
    Ok((in_list, server_only))
}

/// The identity an item is ordered by: its merge key value for maps, itself otherwise.
fn order_identity<'a>(
    item: &'a Value,
    merge_key: Option<&str>,
    element_type: JsonType,
) -> Option<&'a Value> {
    if element_type == JsonType::Map {
        item.get(merge_key.unwrap_or_default())
    } else {
        Some(item)
    }
}

fn index_in(
    order: &[Value],
    item: &Value,
    merge_key: Option<&str>,
    element_type: JsonType,
) -> Option<usize> {
    let identity = order_identity(item, merge_key, element_type);
    order
        .iter()
        .position(|other| order_identity(other, merge_key, element_type) == identity)
}

/// Sorts `items` by their position in `order`, deletions last (`normalizeSliceOrder`).
fn normalize_slice_order(
    items: Vec<Value>,
    order: &[Value],
    merge_key: Option<&str>,
    element_type: JsonType,
) -> Result<Vec<Value>, PatchError> {
    let (mut items, deletions): (Vec<Value>, Vec<Value>) = if element_type == JsonType::Map {
        let key = merge_key.unwrap_or_default();
        for item in items.iter().chain(order) {
            let Value::Object(map) = item else {
                return Err(not_a_map(item));
            };
            if !map.contains_key(key) {
                return Err(no_merge_key(map, key));
            }
        }
        items
            .into_iter()
            .partition(|item| item.get(DIRECTIVE_MARKER).and_then(Value::as_str) != Some("delete"))
    } else {
        (items, Vec::new())
    };
    // Every item is in `order` in the merges that reach here; one that is not keeps its place
    // among the others at the end.
    items.sort_by_key(|item| index_in(order, item, merge_key, element_type).unwrap_or(usize::MAX));
    items.extend(deletions);
    Ok(items)
}

/// Orders the patch's items as the patch (or `$setElementOrder`) lists them and the
/// server-only items as the original did, then interleaves them (`normalizeElementOrder`).
fn normalize_element_order(
    patch_items: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: Option<&str>,
    element_type: JsonType,
) -> Result<Vec<Value>, PatchError> {
    let patch_items = normalize_slice_order(patch_items, patch_order, merge_key, element_type)?;
    let server_only = normalize_slice_order(server_only, server_order, merge_key, element_type)?;
    Ok(merge_sorted(
        server_only,
        patch_items,
        server_order,
        merge_key,
        element_type,
    ))
}

/// Interleaves server-only items into the patch items (`mergeSortedSlice`): a server-only item
/// goes first only if the original had it before the next patch item, so items new to the
/// original come before the server-only ones.
fn merge_sorted(
    server_only: Vec<Value>,
    patch_items: Vec<Value>,
    server_order: &[Value],
    merge_key: Option<&str>,
    element_type: JsonType,
) -> Vec<Value> {
    let mut merged = Vec::with_capacity(server_only.len() + patch_items.len());
    let mut left = server_only.into_iter().peekable();
    let mut right = patch_items.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                match (
                    index_in(server_order, l, merge_key, element_type),
                    index_in(server_order, r, merge_key, element_type),
                ) {
                    (Some(li), Some(ri)) => li < ri,
                    _ => false,
                }
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        merged.extend(next);
    }
    merged
}

/// Go's `%v` of a scalar, which orders list items in a diff.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "<nil>".to_string(),
        other => other.to_string(),
    }
}

/// A two-way diff of two maps (`diffMaps` with `SetElementOrder`).
fn diff_maps(
    original: &JsonMap,
    modified: &JsonMap,
    ty: Ty,
    build_retain_keys: bool,
) -> Result<JsonMap, PatchError> {
    let mut patch = JsonMap::new();
    let mut retain = Vec::new();
    for (key, modified_value) in modified {
        if build_retain_keys && !modified_value.is_null() {
            retain.push(key.clone());
        }
        let Some(original_value) = original.get(key) else {
            patch.insert(key.clone(), modified_value.clone());
            continue;
        };
        if key == DIRECTIVE_MARKER {
            let (Some(old), Some(new)) = (original_value.as_str(), modified_value.as_str()) else {
                return Err(merge_failed(format!(
                    "invalid value for special key: {DIRECTIVE_MARKER}"
                )));
            };
            if old != new {
                patch.insert(key.clone(), modified_value.clone());
            }
            continue;
        }
        if json_type(original_value) != json_type(modified_value) {
            patch.insert(key.clone(), modified_value.clone());
            continue;
        }
        match (original_value, modified_value) {
            (Value::Object(old), Value::Object(new)) => {
                let field = schema::field(ty, key);
                if field.strategy == Strategy::Replace {
                    // Upstream sends a replaced map even when it did not change.
                    patch.insert(key.clone(), modified_value.clone());
                } else {
                    let inner = diff_maps(old, new, field.ty, field.retain_keys)?;
                    if !inner.is_empty() {
                        patch.insert(key.clone(), Value::Object(inner));
                    }
                }
            }
            (Value::Array(old), Value::Array(new)) => {
                let field = schema::field(ty, key);
                if field.strategy == Strategy::Merge {
                    let (changes, deletions, order) = diff_lists(old, new, field)?;
                    if !changes.is_empty() {
                        patch.insert(key.clone(), Value::Array(changes));
                    }
                    if !deletions.is_empty() {
                        patch.insert(
                            format!("{DELETE_FROM_PRIMITIVE_LIST_PREFIX}/{key}"),
                            Value::Array(deletions),
                        );
                    }
                    if !order.is_empty() {
                        patch.insert(
                            format!("{SET_ELEMENT_ORDER_PREFIX}/{key}"),
                            Value::Array(order),
                        );
                    }
                } else if old != new {
                    patch.insert(key.clone(), modified_value.clone());
                }
            }
            _ if original_value != modified_value => {
                patch.insert(key.clone(), modified_value.clone());
            }
            _ => {}
        }
    }
    for key in original.keys() {
        if !modified.contains_key(key) {
            patch.insert(key.clone(), Value::Null);
        }
    }
    let clears_a_key = original
        .iter()
        .any(|(key, value)| !value.is_null() && !modified.contains_key(key));
    if !retain.is_empty() && (!patch.is_empty() || clears_a_key) {
        retain.sort();
        patch.insert(
            RETAIN_KEYS_DIRECTIVE.to_string(),
            Value::Array(retain.into_iter().map(Value::String).collect()),
        );
    }
    Ok(patch)
}

type ListDiff = (Vec<Value>, Vec<Value>, Vec<Value>);

/// A two-way diff of a merged list (`diffLists`): the items to add or change (and, for maps,
/// `$patch: delete` items), the primitives to delete, and the `$setElementOrder` list.
fn diff_lists(
    original: &[Value],
    modified: &[Value],
    field: Field,
) -> Result<ListDiff, PatchError> {
    if original.is_empty() {
        return Ok((modified.to_vec(), Vec::new(), Vec::new()));
    }
    match slice_element_type(&[original, modified])? {
        JsonType::Map => {
            let merge_key = field.merge_key.unwrap_or_default();
            let (changes, deletions) = diff_lists_of_maps(original, modified, merge_key, field)?;
            let mut changes =
                normalize_slice_order(changes, modified, Some(merge_key), JsonType::Map)?;
            let order_same = original.len() == modified.len()
                && original
                    .iter()
                    .zip(modified)
                    .try_fold(true, |same, (old, new)| {
                        Ok(same && merge_key_value_equal(old, new, Some(merge_key))?)
                    })?;
            changes.extend(deletions);
            let order = if !changes.is_empty() || !order_same {
                modified
                    .iter()
                    .map(|item| {
                        let value = item.get(merge_key).cloned().unwrap_or(Value::Null);
                        Value::Object(JsonMap::from_iter([(merge_key.to_string(), value)]))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Ok((changes, Vec::new(), order))
        }
        JsonType::List => Err(PatchError::ListOfLists),
        element_type => {
            let (additions, deletions) = diff_lists_of_scalars(original, modified);
            let additions =
                normalize_slice_order(additions, modified, field.merge_key, element_type)?;
            // Upstream sorts the original in place before this comparison, so an unchanged list
            // that is not in sorted order still gets a `$setElementOrder`.
            let sorted_original: Vec<Value> = sorted_by_text(original, scalar_text)
                .into_iter()
                .map(|(_, item)| item.clone())
                .collect();
            let changed = sorted_original.as_slice() != modified;
            let order = if !deletions.is_empty() || changed {
                modified.to_vec()
            } else {
                Vec::new()
            };
            Ok((additions, deletions, order))
        }
    }
}

/// Sorts by Go's `%v` text, as upstream pairs items by walking both lists in that order.
fn sorted_by_text(list: &[Value], text: impl Fn(&Value) -> String) -> Vec<(String, &Value)> {
    let mut sorted: Vec<(String, &Value)> = list.iter().map(|item| (text(item), item)).collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
}

fn diff_lists_of_scalars(original: &[Value], modified: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let original = sorted_by_text(original, scalar_text);
    let modified = sorted_by_text(modified, scalar_text);
    let (mut additions, mut deletions) = (Vec::new(), Vec::<Value>::new());
    let (mut o, mut m) = (0, 0);
    loop {
        match (original.get(o), modified.get(m)) {
            (None, None) => break,
            (Some(old), Some(new)) if old.0 == new.0 => {
                o += 1;
                m += 1;
            }
            // The modified list has an item the original lacks.
            (None, Some(new)) => {
                additions.push(new.1.clone());
                m += 1;
            }
            (Some(old), Some(new)) if old.0 > new.0 => {
                additions.push(new.1.clone());
                m += 1;
            }
            // The original has an item the modified list lacks.
            (Some(old), _) => {
                if !deletions.contains(old.1) {
                    deletions.push(old.1.clone());
                }
                o += 1;
            }
        }
    }
    (additions, deletions)
}

fn map_and_key<'a>(
    item: &'a Value,
    merge_key: &str,
) -> Result<(&'a JsonMap, &'a Value), PatchError> {
    let Value::Object(map) = item else {
        return Err(not_a_map(item));
    };
    let value = map
        .get(merge_key)
        .ok_or_else(|| no_merge_key(map, merge_key))?;
    Ok((map, value))
}

fn diff_lists_of_maps(
    original: &[Value],
    modified: &[Value],
    merge_key: &str,
    field: Field,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let key_text = |item: &Value| {
        item.get(merge_key)
            .map_or_else(|| "<nil>".to_string(), scalar_text)
    };
    let original = sorted_by_text(original, key_text);
    let modified = sorted_by_text(modified, key_text);
    let (mut changes, mut deletions) = (Vec::new(), Vec::new());
    let (mut o, mut m) = (0, 0);
    loop {
        match (original.get(o), modified.get(m)) {
            (None, None) => break,
            (Some(old), Some(new)) if old.0 == new.0 => {
                let (old_map, _) = map_and_key(old.1, merge_key)?;
                let (new_map, value) = map_and_key(new.1, merge_key)?;
                let mut inner = diff_maps(old_map, new_map, field.ty, field.retain_keys)?;
                if !inner.is_empty() {
                    inner.insert(merge_key.to_string(), value.clone());
                    changes.push(Value::Object(inner));
                }
                o += 1;
                m += 1;
            }
            // The modified list has an item the original lacks.
            (None, Some(new)) => {
                map_and_key(new.1, merge_key)?;
                changes.push(new.1.clone());
                m += 1;
            }
            (Some(old), Some(new)) if old.0 > new.0 => {
                map_and_key(new.1, merge_key)?;
                changes.push(new.1.clone());
                m += 1;
            }
            // The original has an item the modified list lacks.
            (Some(old), _) => {
                let (_, value) = map_and_key(old.1, merge_key)?;
                deletions.push(Value::Object(JsonMap::from_iter([
                    (
                        DIRECTIVE_MARKER.to_string(),
                        Value::String("delete".to_string()),
                    ),
                    (merge_key.to_string(), value.clone()),
                ])));
                o += 1;
            }
        }
    }
    Ok((changes, deletions))
}

/// The fields that key a merged list's items, as upstream's `x-kubernetes-list-map-keys` name
/// them (server-side apply reads these, a strategic merge patch only the merge key): the merge
/// key, and beside a port's number its protocol (53/TCP and 53/UDP are two items).
pub fn list_map_keys(merge_key: &'static str) -> Vec<&'static str> {
    match merge_key {
        "containerPort" | "port" => vec![merge_key, "protocol"],
        key => vec![key],
    }
}

/// The patch tags of one struct of a built-in kind, as the merge reads them: what the OpenAPI
/// documents publish as `x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key`, so
/// a client computing a patch from them merges as the server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatchTags(Ty);

/// What the tags of one field say, as the Go struct tag writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldTags {
    /// `patchStrategy` (`merge`, `replace`, `retainKeys`, `merge,retainKeys`), when tagged.
    pub strategy: Option<&'static str>,
    /// `patchMergeKey`, for merged lists of maps.
    pub merge_key: Option<&'static str>,
    /// The tags of the struct the field holds (for a list, its elements').
    pub inner: PatchTags,
}

impl PatchTags {
    /// The top-level struct of a kind in an API group.
    pub fn of_kind(group: &str, kind: &str) -> Self {
        Self(schema::root(group, kind))
    }

    /// Whether nothing beneath this struct is tagged.
    pub fn is_plain(self) -> bool {
        self.0 == Ty::Plain
    }

    /// The tags of field `key`.
    pub fn field(self, key: &str) -> FieldTags {
        let field: Field = schema::field(self.0, key);
        let strategy = match (field.strategy, field.retain_keys) {
            (Strategy::Merge, true) => Some("merge,retainKeys"),
            (Strategy::Merge, false) => Some("merge"),
            (Strategy::Replace, _) => Some("replace"),
            (Strategy::Default, true) => Some("retainKeys"),
            (Strategy::Default, false) => None,
        };
        FieldTags {
            strategy,
            merge_key: field.merge_key,
            inner: Self(field.ty),
        }
    }
}
