//! Whether a written object decodes into its kind's Go type, and the API server's answer when
//! it does not. The API server never stores a wrongly typed object: every body is decoded into
//! the kind's Go struct first, so `"spec": "x"` on a Pod, `"replicas": "three"` on a Deployment
//! or `"labels": "x"` anywhere is refused before anything else looks at it. The simulator keeps
//! objects as JSON, so it walks them against the Go types (`sim::schema`) instead, reporting
//! what Go's decoders report:
//!
//! - create and update (k8s.io/apiserver handlers/create.go, update.go): the body's decode
//!   error through `transformDecodeError`, a 400 BadRequest `Pod in version "v1" cannot be
//!   handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec of type
//!   v1.PodSpec`;
//! - JSON and merge patches (handlers/patch.go, `jsonPatcher`): the patched object's decode
//!   error as a 422 Invalid on the field `patch`, its value the patched object's JSON;
//! - strategic merge patches (`applyPatchToObject`): the unstructured converter's error as a
//!   422 Invalid on `patch`, its value the patch printed as a Go map (`map[spec:x]`).

mod custom;
mod go_text;
mod json;
mod unstructured;

use serde_json::Value;

use super::api_error::{ApiError, FieldError};
use super::resource::ResourceType;
use super::schema::{Kind, kind_schema, metadata_field, object_meta};
use crate::model::strategic_merge::PatchType;
use json::Struct;

pub use go_text::{go_json, go_quote};

/// What an object of a type decodes into.
enum Target {
    /// A built-in kind: its Go struct (only its metadata for a kind the schema does not know).
    Typed(Struct),
    /// A custom resource: decoded as unstructured JSON, of which only the metadata is typed
    /// (apiextensions-apiserver's `GetObjectMeta`, an `ObjectMeta` decoded on its own).
    Custom,
}

fn target(resource: &ResourceType) -> Target {
    if !resource.is_built_in() {
        return Target::Custom;
    }
    Target::Typed(match kind_schema(&resource.api_version(), resource.kind) {
        Some(message) => Struct {
            name: message.name,
            fields: message.fields,
        },
        None => Struct {
            name: resource.kind,
            fields: std::slice::from_ref(metadata_field()),
        },
    })
}

/// The first error decoding `object` as encoding/json would.
fn json_error(resource: &ResourceType, object: &Value) -> Option<String> {
    match target(resource) {
        Target::Typed(root) => json::first_error(root, object),
        Target::Custom => match object.get("metadata") {
            Some(metadata) => {
                json::first_error_as(Kind::Msg(object_meta()), "v1.ObjectMeta", metadata)
            }
            None => None,
        },
    }
}

/// `apiVersion` and `kind` are read first, on their own (json.SimpleMetaFactory's Interpret,
/// k8s.io/apimachinery runtime/serializer/json/meta.go), into an unnamed struct of two strings.
fn type_meta_error(object: &Value) -> Option<String> {
    ["apiVersion", "kind"].into_iter().find_map(|field| {
        let value = object.get(field)?;
        (!value.is_null() && !value.is_string()).then(|| {
            format!(
                "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{field} of type string",
                custom::json_kind(value)
            )
        })
    })
}

/// Checks the body of a create or an update (`body` is its text, `object` the JSON read from
/// it) as the API server decodes it: a 400 BadRequest naming the first wrongly typed field.
pub fn check_body(resource: &ResourceType, body: &[u8], object: &Value) -> Result<(), ApiError> {
    if let Some(error) = type_meta_error(object) {
        // transformDecodeError without a kind: "the object provided is unrecognized", and
        // summarizeData's first 30 bytes of the body.
        let summary = match body {
            [] => "<empty>".to_string(),
            [0x0a, ..] => "<protobuf>".to_string(),
            _ if body.len() > 30 => format!("{} ...", String::from_utf8_lossy(&body[..30])),
            _ => String::from_utf8_lossy(body).into_owned(),
        };
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): {error} ({summary})",
            resource.kind
        )));
    }
    let Some(error) = json_error(resource, object) else {
        return Ok(());
    };
    // transformDecodeError: "%s in version %q cannot be handled as a %s: %v", with the kind and
    // version the body names (the URL's when it names none).
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or(resource.kind);
    let version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .map_or(resource.version, |v| v.rsplit('/').next().unwrap_or(v));
    Err(ApiError::bad_request(format!(
        "{kind} in version {} cannot be handled as a {}: {error}",
        go_text::go_quote(version),
        resource.kind
    )))
}

/// Checks the result of a patch as the API server decodes it: a 422 Invalid on the field
/// `patch`, worded by the decoder the patch type goes through.
pub fn check_patched(
    resource: &ResourceType,
    patch_type: PatchType,
    patch: &[u8],
    patched: &Value,
) -> Result<(), ApiError> {
    let (shown, error) = match patch_type {
        // applyPatchToObject: field.Invalid(field.NewPath("patch"), fmt.Sprintf("%+v",
        // patchMap), err.Error()) with FromUnstructured's error.
        PatchType::StrategicMerge => {
            let error = match (type_meta_error(patched), target(resource)) {
                (Some(error), _) => Some(error),
                (None, Target::Typed(root)) => unstructured::first_error(root, patched),
                (None, Target::Custom) => json_error(resource, patched),
            };
            let patch_map: Value = serde_json::from_slice(patch).unwrap_or_default();
            (go_text::go_format(&patch_map), error)
        }
        // jsonPatcher: field.Invalid(field.NewPath("patch"), string(patchedObjJS),
        // err.Error()) with the decode's error. The real patched JSON keeps the untouched
        // parts in Go's field order; this one has every object's keys sorted.
        PatchType::Json | PatchType::Merge => {
            let error = type_meta_error(patched).or_else(|| json_error(resource, patched));
            (go_text::go_json(patched), error)
        }
    };
    match error {
        None => Ok(()),
        Some(error) => Err(ApiError::invalid_fields(
            "",
            "",
            "",
            &[FieldError::invalid(
                "patch",
                &go_text::go_quote(&shown),
                &error,
            )],
        )),
    }
}

#[cfg(test)]
mod tests;
