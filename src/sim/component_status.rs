//! ComponentStatuses (v1, deprecated): the API server's look at the components it depends on,
//! made when asked and never stored (pkg/registry/core/componentstatus). The simulator's
//! scheduler, controllers and store run in its own process, so each is as healthy as the server
//! answering. Only get and list are served, as upstream; every answer carries the deprecation
//! warning the API server adds for v1 ComponentStatus.

use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::handler::{Representation, json};
use super::list::Filter;
use super::query::Query;
use super::route::ResourceRoute;
use super::state::Sim;
use super::table_output::{IncludeObjectParam, table_for};

/// The warning on every answer about ComponentStatuses (the API's deprecation, in the words of
/// the type's prerelease-lifecycle tags).
const DEPRECATED: &str = "v1 ComponentStatus is deprecated in v1.19+";

/// The components the API server checks, in name order.
const COMPONENTS: [&str; 3] = ["controller-manager", "etcd-0", "scheduler"];

/// One component's status: Healthy with the probe's `ok`.
fn status(name: &str) -> Value {
    json!({
        "kind": "ComponentStatus",
        "apiVersion": "v1",
        "metadata": {"name": name},
        "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}],
    })
}

/// Answers a request for ComponentStatuses, with the deprecation warning whatever the answer.
pub fn serve(
    sim: &Sim,
    method: &Method,
    target: &ResourceRoute,
    query: &Query,
    representation: Representation,
) -> Response {
    let mut response = match answer(sim, method, target, query, representation) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    if let Ok(value) = header::HeaderValue::from_str(&super::openapi::warning_header(DEPRECATED)) {
        response.headers_mut().append(header::WARNING, value);
    }
    response
}

fn answer(
    sim: &Sim,
    method: &Method,
    target: &ResourceRoute,
    query: &Query,
    representation: Representation,
) -> Result<Response, ApiError> {
    let resource = target.resource;
    if method != Method::GET || target.subresource.is_some() {
        return Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({method})"
        )));
    }
    let include = IncludeObjectParam::from_query(query)?;
    if let Some(name) = &target.name {
        let object = COMPONENTS
            .contains(&name.as_str())
            .then(|| status(name))
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        return Ok(match representation {
            Representation::Object | Representation::Protobuf => json(object),
            Representation::Table => json(table_for(sim, resource, &[object], include)),
        });
    }
    if query.watch {
        // The storage has no watch: NewMethodNotSupported.
        let mut error = ApiError::method_not_allowed(format!(
            "watch is not supported on resources of kind \"{}\"",
            resource.qualified_plural()
        ));
        error.details = Some(json!({"kind": resource.plural}));
        return Err(error);
    }
    let filter = Filter::new(resource, query)?;
    let items: Vec<Value> = COMPONENTS
        .iter()
        .map(|name| status(name))
        .filter(|object| filter.matches(object))
        .collect();
    Ok(match representation {
        Representation::Object | Representation::Protobuf => json(json!({
            "kind": "ComponentStatusList",
            "apiVersion": "v1",
            "metadata": {},
            "items": items,
        })),
        Representation::Table => json(table_for(sim, resource, &items, include)),
    })
}
