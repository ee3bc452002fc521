//! LIST (and single-object GET output): selectors, paging, and Table output.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::event_conversion::present;
use super::handler::{Representation, json};
use super::query::Query;
use super::resource::ResourceType;
use super::route::ResourceRoute;
use super::state::Sim;
use super::table_output::{IncludeObjectParam, table_for};
use crate::model::selector::{FieldSelector, LabelSelector};
use crate::sim::pointer::Pointer;

/// The label and field selectors of a request, ready to test objects of one type.
pub struct Filter {
    resource: &'static ResourceType,
    labels: Option<LabelSelector>,
    fields: Option<FieldSelector>,
}

impl Filter {
    /// Parses the request's selectors; a field the type cannot be selected by is a 400.
    pub fn new(resource: &'static ResourceType, query: &Query) -> Result<Self, ApiError> {
        let labels = match query
            .label_selector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(text) => {
                Some(LabelSelector::parse(text).map_err(|e| ApiError::bad_request(e.to_string()))?)
            }
            None => None,
        };
        let fields = match query
            .field_selector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(text) => {
                let selector =
                    FieldSelector::parse(text).map_err(|e| ApiError::bad_request(e.to_string()))?;
                for requirement in selector.requirements() {
                    if field_value(resource, &json!({}), requirement.field()).is_none() {
                        return Err(ApiError::bad_request(format!(
                            "field label not supported: {}",
                            requirement.field()
                        )));
                    }
                }
                Some(selector)
            }
            None => None,
        };
        Ok(Self {
            resource,
            labels,
            fields,
        })
    }

    /// Whether an object passes both selectors.
    pub fn matches(&self, object: &Value) -> bool {
        if let Some(labels) = &self.labels {
            let map: BTreeMap<String, String> = object
                .at("/metadata/labels")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            if !labels.matches(&map) {
                return false;
            }
        }
        if let Some(fields) = &self.fields
            && !fields.matches(|field| field_value(self.resource, object, field))
        {
            return false;
        }
        true
    }
}

/// The value of a selectable field of an object, or `None` if the type does not support
/// selecting by it. Absent values read as "".
pub fn field_value(resource: &ResourceType, object: &Value, field: &str) -> Option<String> {
    let text = |pointer: &str| -> String {
        match object.at(pointer) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let pointer = match field {
        "metadata.name" => "/metadata/name",
        "metadata.namespace" => "/metadata/namespace",
        _ => match (resource.group, resource.kind, field) {
            ("", "Pod", "spec.nodeName") => "/spec/nodeName",
            ("", "Pod", "spec.restartPolicy") => "/spec/restartPolicy",
            ("", "Pod", "spec.schedulerName") => "/spec/schedulerName",
            ("", "Pod", "spec.serviceAccountName") => "/spec/serviceAccountName",
            ("", "Pod", "status.phase") => "/status/phase",
            ("", "Pod", "status.podIP") => "/status/podIP",
            ("", "Pod", "status.nominatedNodeName") => "/status/nominatedNodeName",
            ("", "Pod", "spec.hostNetwork") => {
                return Some(
                    object
                        .at("/spec/hostNetwork")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string(),
                );
            }
            ("", "Node", "spec.unschedulable") => {
                return Some(
                    object
                        .at("/spec/unschedulable")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string(),
                );
            }
            ("", "Namespace", "status.phase") => "/status/phase",
            ("", "Secret", "type") => "/type",
            ("", "Event", "involvedObject.kind") => "/involvedObject/kind",
            ("", "Event", "involvedObject.namespace") => "/involvedObject/namespace",
            ("", "Event", "involvedObject.name") => "/involvedObject/name",
            ("", "Event", "involvedObject.uid") => "/involvedObject/uid",
            ("", "Event", "involvedObject.apiVersion") => "/involvedObject/apiVersion",
            ("", "Event", "involvedObject.resourceVersion") => "/involvedObject/resourceVersion",
            ("", "Event", "involvedObject.fieldPath") => "/involvedObject/fieldPath",
            ("", "Event", "reason") => "/reason",
            ("", "Event", "reportingComponent") => "/reportingComponent",
            ("", "Event", "source") => "/source/component",
            ("", "Event", "type") => "/type",
            ("events.k8s.io", "Event", "regarding.kind") => "/involvedObject/kind",
            ("events.k8s.io", "Event", "regarding.namespace") => "/involvedObject/namespace",
            ("events.k8s.io", "Event", "regarding.name") => "/involvedObject/name",
            ("events.k8s.io", "Event", "regarding.uid") => "/involvedObject/uid",
            ("events.k8s.io", "Event", "reason") => "/reason",
            ("events.k8s.io", "Event", "type") => "/type",
            ("batch", "Job", "status.successful") => "/status/succeeded",
            ("certificates.k8s.io", "CertificateSigningRequest", "spec.signerName") => {
                "/spec/signerName"
            }
            _ => return None,
        },
    };
    Some(text(pointer))
}

/// A continue token: where the next page starts, and the revision of the first page (0: the
/// latest, for a list continued inconsistently after its revision was compacted, as the API
/// server's token with revision -1).
fn encode_continue(revision: u64, key: &(String, String)) -> String {
    let raw = format!("{revision}\u{0}{}\u{0}{}", key.0, key.1);
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_continue(token: &str) -> Result<(u64, (String, String)), ApiError> {
    let invalid = || ApiError::bad_request("continue key is not valid: please restart the list");
    if !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes: Result<Vec<u8>, _> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16))
        .collect();
    let text = String::from_utf8(bytes.map_err(|_| invalid())?).map_err(|_| invalid())?;
    let mut parts = text.split('\u{0}');
    let revision = parts
        .next()
        .and_then(|r| r.parse().ok())
        .ok_or_else(invalid)?;
    let namespace = parts.next().ok_or_else(invalid)?.to_string();
    let name = parts.next().ok_or_else(invalid)?.to_string();
    Ok((revision, (namespace, name)))
}

/// 410 for a continue token whose revision is older than the history kept, worded as the API
/// server words it, with a token that continues the list at the latest revision.
fn continue_expired(after: Option<&(String, String)>) -> ApiError {
    let mut error = ApiError::gone(
        "The provided continue parameter is too old to display a consistent list result. \
         You can start a new list without the continue parameter, or use the continue token in \
         this response to retrieve the remainder of the results. Continuing with the provided \
         token results in an inconsistent list - objects that were created, modified, or \
         deleted between the time the first chunk was returned and now may show up in the list.",
    );
    if let Some(after) = after {
        error.list_continue = Some(encode_continue(0, after));
    }
    error
}

/// The storage type behind a served type (events.k8s.io Events are core Events).
pub fn storage_of(resource: &'static ResourceType) -> &'static ResourceType {
    if resource.group == "events.k8s.io" {
        super::resource::find_built_in("", "v1", "events").expect("core events are served")
    } else {
        resource
    }
}

/// A list's resourceVersion is checked as storage.ValidateListOptions checks it (k8s.io/apiserver
/// pkg/storage/interfaces.go): none with a continue token, and a number, else a 400 wrapping
/// the versioner's error. A watch parses it too, but answers its error otherwise (watch.rs).
fn validate_revision(query: &Query) -> Result<(), ApiError> {
    let Some(rv) = query.resource_version.as_deref() else {
        return Ok(());
    };
    if query.continue_token.is_some() && rv != "0" {
        return Err(ApiError::bad_request(
            "specifying resource version is not allowed when using continue",
        ));
    }
    query
        .revision()
        .map(|_| ())
        .map_err(|e| ApiError::bad_request(format!("invalid resource version: {e}")))
}

/// Which state of the store a list reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadAt {
    /// The latest: no resourceVersion (a consistent read) or "0" (any).
    Latest,
    /// This revision and no other.
    Exact(u64),
    /// This revision or a later one (the latest, here).
    NotOlderThan(u64),
}

impl ReadAt {
    /// The read a list's options ask for, as storage.ValidateListOptions reads them: `Exact`
    /// and `NotOlderThan` as `resourceVersionMatch` says, and without it a resourceVersion other
    /// than "0" is exact when a limit is given (the legacy meaning of a paged list) and a lower
    /// bound otherwise. The options have been checked (`validate_list_options`).
    fn of(query: &Query) -> Result<Self, ApiError> {
        let revision = query
            .revision()
            .map_err(|e| ApiError::bad_request(format!("invalid resource version: {e}")))?;
        Ok(match (revision, query.resource_version_match.as_deref()) {
            (None, _) => ReadAt::Latest,
            (Some(revision), Some("Exact")) => ReadAt::Exact(revision),
            (Some(0), _) => ReadAt::Latest,
            (Some(revision), Some(_)) => ReadAt::NotOlderThan(revision),
            (Some(revision), None) if query.limit > 0 => ReadAt::Exact(revision),
            (Some(revision), None) => ReadAt::NotOlderThan(revision),
        })
    }
}

/// How long a list waits for the store to reach a resourceVersion it has not reached yet, as
/// the watch cache waits for it (`blockTimeout` in its waitUntilFreshAndBlock).
const FRESHNESS_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Waits until the store's revision reaches `revision`, or answers the watch cache's 504.
async fn wait_until_fresh(sim: &Sim, revision: u64) -> Result<(), ApiError> {
    let mut changes = sim.store.subscribe();
    let deadline = tokio::time::Instant::now() + FRESHNESS_WAIT;
    loop {
        let current = sim.store.revision();
        if current >= revision {
            return Ok(());
        }
        // Any change (or a lagging receiver) is a reason to look again.
        if tokio::time::timeout_at(deadline, changes.recv())
            .await
            .is_err()
        {
            return Err(ApiError::too_large_resource_version(
                revision,
                sim.store.revision(),
            ));
        }
    }
}

/// 410 for an exact list at a revision older than the history kept, in the storage's words.
fn list_expired() -> ApiError {
    ApiError::gone("The resourceVersion for the provided list is too old.")
}

/// GET on a collection.
pub async fn serve(
    sim: &Sim,
    target: &ResourceRoute,
    query: &Query,
    representation: Representation,
) -> Result<Response, ApiError> {
    let resource = target.resource;
    let storage = storage_of(resource);
    let filter = Filter::new(resource, query)?;
    let (start_revision, after) = match &query.continue_token {
        Some(token) => {
            let (revision, key) = decode_continue(token)?;
            (Some(revision), Some(key))
        }
        None => (None, None),
    };
    validate_revision(query)?;
    // A continued list reads its first page's revision (0: the latest); another reads what its
    // resourceVersion asks, once the store has reached it.
    let at = match start_revision {
        Some(revision) => revision,
        None => match ReadAt::of(query)? {
            ReadAt::Latest => 0,
            ReadAt::Exact(revision) => {
                wait_until_fresh(sim, revision).await?;
                revision
            }
            ReadAt::NotOlderThan(revision) => {
                wait_until_fresh(sim, revision).await?;
                0
            }
        },
    };
    // Every page of a list is read at its first page's revision, as etcd serves them; the
    // number remaining is told when no selector filters the list.
    let unfiltered = query.label_selector.is_none() && query.field_selector.is_none();
    let page = sim
        .store
        .list_page(
            storage,
            target.namespace.as_deref(),
            after.as_ref(),
            |object| filter.matches(object),
            query.limit,
            Some(at).filter(|r| *r != 0),
            unfiltered,
        )
        .map_err(|_| match after.as_ref() {
            Some(after) => continue_expired(Some(after)),
            None => list_expired(),
        })?;
    let (objects, list_revision, more) = (page.objects, page.revision, page.more);
    let continue_token = if more {
        objects
            .last()
            .map(|last| encode_continue(list_revision, &super::store::object_key(last)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let mut metadata = json!({"resourceVersion": list_revision.to_string()});
    if !continue_token.is_empty() {
        metadata["continue"] = json!(continue_token);
    }
    if let Some(remaining) = page.remaining {
        metadata["remainingItemCount"] = json!(remaining);
    }
    let converted = !std::ptr::eq(resource, storage);
    match representation {
        Representation::Table => {
            let include = IncludeObjectParam::from_query(query)?;
            let mut table = if converted {
                let presented: Vec<Value> = objects.iter().map(|o| present(resource, o)).collect();
                table_for(sim, resource, &presented, include)
            } else {
                let borrowed: Vec<&Value> = objects.iter().map(|o| o.as_ref()).collect();
                table_for(sim, resource, &borrowed, include)
            };
            table["metadata"] = metadata;
            Ok(json(table))
        }
        // Encoded whole (its length leads it), on a blocking thread: a runtime worker held for
        // the 0.6 s of a 51,539-pod list would hold every request queued behind it.
        Representation::Protobuf => tokio::task::spawn_blocking(move || {
            let mut body = Vec::new();
            super::protobuf::encode_list(
                &resource.api_version(),
                resource.kind,
                &metadata,
                objects.iter().map(|o| o.as_ref()),
                &mut body,
            )
            .map(|()| protobuf(body))
            .map_err(|e| ApiError::internal(format!("the list could not be encoded: {e}")))
        })
        .await
        .map_err(|e| ApiError::internal(format!("the list's encoding failed: {e}")))?,
        Representation::Object => {
            let mut head = format!(
                "{{\"kind\":\"{}List\",\"apiVersion\":\"{}\",\"metadata\":",
                resource.kind,
                resource.api_version()
            )
            .into_bytes();
            serde_json::to_writer(&mut head, &metadata)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            head.extend_from_slice(b",\"items\":[");
            super::list_body::respond(resource, converted, head, objects)
                .map_err(|e| ApiError::internal(e.to_string()))
        }
    }
}

/// One object (GET by name), as an object or a one-row Table.
pub fn single(
    sim: &Sim,
    resource: &'static ResourceType,
    object: Arc<Value>,
    representation: Representation,
    query: &Query,
) -> Response {
    let object = present(resource, &object);
    match representation {
        Representation::Object => json(object),
        Representation::Protobuf => {
            let mut body = Vec::new();
            match super::protobuf::encode_body(
                &resource.api_version(),
                resource.kind,
                &object,
                &mut body,
            ) {
                Ok(()) => protobuf(body),
                Err(error) => {
                    ApiError::internal(format!("the object could not be encoded: {error}"))
                        .into_response()
                }
            }
        }
        Representation::Table => {
            let include = IncludeObjectParam::from_query(query).unwrap_or_default();
            let mut table = table_for(sim, resource, std::slice::from_ref(&object), include);
            table["metadata"] = json!({"resourceVersion": object.at("/metadata/resourceVersion").cloned().unwrap_or(json!(""))});
            json(table)
        }
    }
}

/// A 200 answer of protobuf.
fn protobuf(body: Vec<u8>) -> Response {
    (
        axum::http::StatusCode::OK,
        [(
            axum::http::header::CONTENT_TYPE,
            super::protobuf::MEDIA_TYPE,
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_at(query: &str) -> ReadAt {
        ReadAt::of(&Query::parse(Some(query)).expect("a query")).expect("a read")
    }

    #[test]
    fn a_lists_resource_version_reads_as_the_storage_reads_it() {
        assert_eq!(read_at(""), ReadAt::Latest);
        assert_eq!(read_at("limit=500"), ReadAt::Latest);
        assert_eq!(read_at("resourceVersion=0"), ReadAt::Latest);
        assert_eq!(read_at("resourceVersion=0&limit=500"), ReadAt::Latest);
        assert_eq!(
            read_at("resourceVersion=0&resourceVersionMatch=NotOlderThan"),
            ReadAt::Latest
        );
        assert_eq!(
            read_at("resourceVersion=7&resourceVersionMatch=Exact"),
            ReadAt::Exact(7)
        );
        assert_eq!(
            read_at("resourceVersion=7&resourceVersionMatch=NotOlderThan&limit=5"),
            ReadAt::NotOlderThan(7)
        );
        // Without resourceVersionMatch: exact when paged (the legacy meaning), else a bound.
        assert_eq!(read_at("resourceVersion=7&limit=5"), ReadAt::Exact(7));
        assert_eq!(read_at("resourceVersion=7"), ReadAt::NotOlderThan(7));
    }
}
