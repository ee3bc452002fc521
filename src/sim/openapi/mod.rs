//! The OpenAPI documents the API server publishes, and the field validation they advertise.
//!
//! `/openapi/v2` is one JSON document; `/openapi/v3` an index of per group-version documents
//! (`/openapi/v3/apis/apps/v1?hash=...`), which is what kubectl reads: `explain` its schemas,
//! client-side apply its patch tags, and `--validate` (on by default) the `fieldValidation`
//! parameter of each kind's PATCH operation, after which it sends `?fieldValidation=Strict` and
//! leaves the unknown fields to the server. The built-in kinds' documents are generated once, on
//! the first request, from k8s-openapi's schemas; custom resources' from their CRDs, when asked.

mod definitions;
mod documents;
mod duplicate_fields;
mod gnostic;
mod paths;
mod unknown_fields;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::api_error::{ApiError, FieldError};
use super::decoding::go_quote;
use super::query::Query;
use super::resource::{BUILT_IN, ResourceType, find_built_in};
use super::state::Sim;
use crate::model::strategic_merge::PatchType;
use definitions::Definitions;
use documents::{Schema, Served};

/// Which document a request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    V2,
    V3Index,
    /// `api/v1`, `apis/apps/v1`.
    V3(String),
}

/// The built-in definitions, generated on first use.
fn built_in_definitions() -> &'static Definitions {
    static DEFINITIONS: OnceLock<Definitions> = OnceLock::new();
    DEFINITIONS.get_or_init(definitions::generate)
}

/// A serialised document and its hash (uppercase hex, as the index and ETag carry it).
struct Rendered {
    body: Vec<u8>,
    hash: String,
}

impl Rendered {
    fn new(document: &Value) -> Self {
        let body = serde_json::to_vec(document).unwrap_or_default();
        Self {
            hash: Self::hash_of(&body),
            body,
        }
    }

    fn hash_of(body: &[u8]) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        format!("{:016X}", hasher.finish())
    }
}

/// Whether `/openapi/v2` is answered in protobuf (true) or JSON (false), or `None` when the
/// client accepts neither: the first clause that names one of them (or a wildcard, which is
/// JSON), as kube-openapi's handler negotiates.
fn v2_encoding(accept: &str) -> Option<bool> {
    super::handler::accept_clauses(accept)
        .into_iter()
        .find_map(
            |clause| match clause.split(';').next().unwrap_or("").trim() {
                "application/json" | "application/*" | "*/*" => Some(false),
                protobuf if gnostic::REQUESTED.contains(&protobuf) => Some(true),
                _ => None,
            },
        )
}

/// The built-in group-versions' v3 documents, rendered on first use.
fn built_in_documents() -> &'static BTreeMap<String, Rendered> {
    static DOCUMENTS: OnceLock<BTreeMap<String, Rendered>> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        let all: Vec<&'static ResourceType> = BUILT_IN.iter().collect();
        let served = documents::built_in(&all);
        documents::by_group_version(&served)
            .into_iter()
            .map(|(path, kinds)| {
                let document = documents::v3(built_in_definitions(), &kinds);
                (path, Rendered::new(&document))
            })
            .collect()
    })
}

/// The custom resource types being served, each with its CRD's schema for its version.
fn custom_served(sim: &Sim) -> Vec<Served<'static>> {
    sim.registry
        .all()
        .into_iter()
        .filter(|r| !r.is_built_in())
        .map(|resource| Served {
            resource,
            schema: Schema::Custom(crd_schema(sim, resource)),
        })
        .collect()
}

/// The openAPIV3Schema a CRD gives a custom resource's version.
fn crd_schema(sim: &Sim, resource: &ResourceType) -> Option<Value> {
    let crds = find_built_in("apiextensions.k8s.io", "v1", "customresourcedefinitions")?;
    let name = format!("{}.{}", resource.plural, resource.group);
    let crd = sim.store.get(crds, "", &name)?;
    crd["spec"]["versions"]
        .as_array()?
        .iter()
        .find(|v| v["name"] == resource.version)
        .map(|v| v["schema"]["openAPIV3Schema"].clone())
        .filter(Value::is_object)
}

/// Answers a request for an OpenAPI document.
pub fn serve(
    sim: &Sim,
    document: &Document,
    accept: &str,
    query: &Query,
) -> Result<Response, ApiError> {
    match document {
        Document::V2 => {
            let Some(protobuf) = v2_encoding(accept) else {
                // The OpenAPI handler's refusal: a bare 406.
                return Ok(StatusCode::NOT_ACCEPTABLE.into_response());
            };
            let built_in: Vec<&'static ResourceType> = BUILT_IN.iter().collect();
            let mut served = documents::built_in(&built_in);
            served.extend(custom_served(sim));
            let document = documents::v2(built_in_definitions(), &served);
            if protobuf {
                let body = gnostic::document(&document);
                let hash = Rendered::hash_of(&body);
                let mut response = answer(body, &hash, false);
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static(gnostic::CONTENT_TYPE),
                );
                return Ok(response);
            }
            let rendered = Rendered::new(&document);
            Ok(answer(rendered.body, &rendered.hash, false))
        }
        Document::V3Index => {
            let mut paths = serde_json::Map::new();
            let mut add = |path: &str, hash: &str| {
                paths.insert(
                    path.to_string(),
                    serde_json::json!({"serverRelativeURL": format!("/openapi/v3/{path}?hash={hash}")}),
                );
            };
            for (path, rendered) in built_in_documents() {
                add(path, &rendered.hash);
            }
            for (path, rendered) in custom_documents(sim) {
                add(&path, &rendered.hash);
            }
            let body = serde_json::to_vec(&serde_json::json!({"paths": paths})).unwrap_or_default();
            Ok((
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response())
        }
        Document::V3(path) => {
            let custom;
            let rendered = match built_in_documents().get(path) {
                Some(rendered) => rendered,
                None => {
                    custom = custom_documents(sim)
                        .remove(path)
                        .ok_or_else(ApiError::no_route)?;
                    &custom
                }
            };
            match query.raw.get("hash") {
                // An old hash is sent on to the current one, as the API server redirects it.
                Some(hash) if *hash != rendered.hash => Ok((
                    StatusCode::MOVED_PERMANENTLY,
                    [(
                        header::LOCATION,
                        format!("/openapi/v3/{path}?hash={}", rendered.hash),
                    )],
                )
                    .into_response()),
                hash => Ok(answer(
                    rendered.body.clone(),
                    &rendered.hash,
                    hash.is_some(),
                )),
            }
        }
    }
}

/// The custom group-versions' documents, by path.
fn custom_documents(sim: &Sim) -> BTreeMap<String, Rendered> {
    let served = custom_served(sim);
    documents::by_group_version(&served)
        .into_iter()
        // A group-version the built-ins serve too is not the CRD's to describe.
        .filter(|(path, _)| !built_in_documents().contains_key(path))
        .map(|(path, kinds)| {
            let document = documents::v3(built_in_definitions(), &kinds);
            (path, Rendered::new(&document))
        })
        .collect()
}

fn answer(body: Vec<u8>, hash: &str, immutable: bool) -> Response {
    let cache = if immutable {
        "public, immutable"
    } else {
        "no-cache, private"
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::ETAG, format!("\"{hash}\"")),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        body,
    )
        .into_response()
}

/// What a write asks to be done with unknown fields (`fieldValidation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValidation {
    Ignore,
    Warn,
    Strict,
}

/// Which write a field check is for, which decides the error's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Create,
    Update,
    Patch,
}

impl Write {
    fn options(self) -> &'static str {
        match self {
            Write::Create => "CreateOptions",
            Write::Update => "UpdateOptions",
            Write::Patch => "PatchOptions",
        }
    }
}

/// The write's `fieldValidation`: Warn when absent, as the API server defaults it.
pub fn field_validation(query: &Query, write: Write) -> Result<FieldValidation, ApiError> {
    match query.raw.get("fieldValidation").map(String::as_str) {
        None | Some("") | Some("Warn") => Ok(FieldValidation::Warn),
        Some("Strict") => Ok(FieldValidation::Strict),
        Some("Ignore") => Ok(FieldValidation::Ignore),
        Some(other) => Err(ApiError::invalid_fields(
            "meta.k8s.io",
            write.options(),
            "",
            &[FieldError::not_supported(
                "fieldValidation",
                &go_quote(other),
                &["Ignore", "Strict", "Warn"],
            )],
        )),
    }
}

/// What a write sent, for its strict decoding: a create's or update's object (with its text
/// when that was JSON, whose repeated keys are then found), a patch of a type with its text,
/// or a server-side apply's configuration.
#[derive(Debug, Clone, Copy)]
pub enum Sent<'a> {
    Object(Option<&'a [u8]>),
    Patch(PatchType, &'a [u8]),
    Applied,
}

/// Checks a written object's fields as the API server's strict decoding does: fields its
/// kind's schema does not declare, and keys the body repeats. Under Strict, an error naming
/// every one (a 400, or for a JSON or merge patch the 422 on `patch` its handler makes);
/// under Warn, one warning each, returned to go in the answer's `Warning` headers; under Warn
/// and Ignore the unknown fields are dropped, as decoding into the Go type (or pruning a
/// custom resource) drops them, and of a repeated key the last value is kept, as JSON
/// decoding keeps it.
pub fn check_fields(
    sim: &Sim,
    resource: &ResourceType,
    object: &mut Value,
    validation: FieldValidation,
    sent: Sent<'_>,
) -> Result<Vec<String>, ApiError> {
    let unknown = unknown_fields_of(sim, resource, object);
    let errors = if validation == FieldValidation::Ignore {
        Vec::new()
    } else {
        strict_errors(resource, &unknown, sent)
    };
    if validation != FieldValidation::Strict || errors.is_empty() {
        unknown_fields::prune(object, &unknown);
        return Ok(match validation {
            FieldValidation::Warn => errors,
            _ => Vec::new(),
        });
    }
    let strict = format!("strict decoding error: {}", errors.join(", "));
    Err(match sent {
        // transformDecodeError, as for any decoding error of a create's or update's body.
        Sent::Object(_) => {
            let kind = object["kind"].as_str().unwrap_or(resource.kind);
            let version = object["apiVersion"]
                .as_str()
                .map_or(resource.version, |v| v.rsplit('/').next().unwrap_or(v));
            ApiError::bad_request(format!(
                "{kind} in version {} cannot be handled as a {}: {strict}",
                go_quote(version),
                resource.kind
            ))
        }
        // jsonPatcher: the patched object's JSON as the value of an invalid `patch`.
        Sent::Patch(PatchType::Json | PatchType::Merge, _) => ApiError::invalid_fields(
            "",
            "",
            "",
            &[FieldError::invalid(
                "patch",
                &go_quote(&super::decoding::go_json(object)),
                &strict,
            )],
        ),
        Sent::Patch(PatchType::StrategicMerge, _) | Sent::Applied => ApiError::bad_request(strict),
    })
}

/// The strict decoding errors of a write, in the decoder's order. A create's or update's
/// body is decoded once: into a built-in kind's Go type, where a key repeated or unknown is
/// reported where it is met (and keys under an unknown field are skipped, not read), or for a
/// custom resource into a map, whose repeated keys come before the pruned unknown fields. A
/// patch's repeated keys are found decoding the patch itself (a JSON patch's with `json
/// patch` before them), before the patched object's unknown fields.
fn strict_errors(resource: &ResourceType, unknown: &[String], sent: Sent<'_>) -> Vec<String> {
    let unknown_error = |path: &String| format!("unknown field {}", go_quote(path));
    let duplicate_error = |path: &String| format!("duplicate field {}", go_quote(path));
    let keys = match sent {
        Sent::Object(Some(body)) | Sent::Patch(_, body) => duplicate_fields::keys(body),
        Sent::Object(None) | Sent::Applied => None,
    };
    let Some(keys) = keys else {
        return unknown.iter().map(unknown_error).collect();
    };
    match sent {
        Sent::Patch(patch_type, _) => {
            let prefix = if patch_type == PatchType::Json {
                "json patch "
            } else {
                ""
            };
            keys.duplicates
                .iter()
                .map(|(path, _)| format!("{prefix}{}", duplicate_error(path)))
                .chain(unknown.iter().map(unknown_error))
                .collect()
        }
        _ if !resource.is_built_in() => keys
            .duplicates
            .iter()
            .map(|(path, _)| duplicate_error(path))
            .chain(unknown.iter().map(unknown_error))
            .collect(),
        _ => {
            let under_unknown = |path: &str| {
                unknown.iter().any(|u| {
                    path.strip_prefix(u.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                })
            };
            let mut met: Vec<(usize, String)> = keys
                .duplicates
                .iter()
                .filter(|(path, _)| !under_unknown(path))
                .map(|(path, at)| (*at, duplicate_error(path)))
                .chain(unknown.iter().map(|path| {
                    (
                        keys.first_met(path).unwrap_or(usize::MAX),
                        unknown_error(path),
                    )
                }))
                .collect();
            met.sort_by_key(|(at, _)| *at);
            met.into_iter().map(|(_, error)| error).collect()
        }
    }
}

fn unknown_fields_of(sim: &Sim, resource: &ResourceType, object: &Value) -> Vec<String> {
    let definitions = built_in_definitions();
    if resource.is_built_in() {
        return match definitions::definition_name(resource) {
            Some(name) => {
                let schema = serde_json::json!({"$ref": format!("#/definitions/{name}")});
                unknown_fields::unknown_fields(definitions, &schema, object)
            }
            None => Vec::new(),
        };
    }
    let schema = crd_schema(sim, resource);
    unknown_fields::unknown_custom_fields(definitions, schema.as_ref(), object)
}

/// A warning as the `Warning` header carries it (RFC 7234: code 299, no agent).
pub fn warning_header(text: &str) -> String {
    format!("299 - {}", go_quote(text))
}
