//! The HTTP entry point: authentication, routing, and the dispatch of each verb.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::api_error::ApiError;
use super::query::Query;
use super::rbac;
use super::route::{ResourceRoute, Route, route};
use super::state::Sim;
use super::{aggregated_discovery, discovery};
use super::{deletion, eviction, list, logs, metrics, scale, stream, watch, write};

/// Requests larger than this are refused, as the API server refuses bodies over 3 MiB.
const MAX_BODY: usize = 3 * 1024 * 1024;

/// What a client asked to receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// The objects themselves.
    Object,
    /// A `meta.k8s.io/v1` Table.
    Table,
    /// The objects as Kubernetes protobuf, for a client that asks for it first (client-go's
    /// informers and typed clients do). Served for pods read with GET (one, a list, a watch);
    /// everything else is answered as JSON, which such a client accepts too.
    Protobuf,
}

impl Representation {
    /// What a request's `Accept` asks for.
    fn asked(accept: &str) -> Self {
        if accept.contains("as=Table") {
            return Representation::Table;
        }
        let protobuf_first = accept_clauses(accept).first().is_some_and(|clause| {
            clause.split(';').next().map(str::trim) == Some(super::protobuf::MEDIA_TYPE)
        });
        if protobuf_first {
            Representation::Protobuf
        } else {
            Representation::Object
        }
    }
}

/// The clauses of an `Accept` header in the order a server considers them, as goautoneg (the
/// API server's negotiation) sorts them: by quality, then the more specific first (`*/*` after
/// `application/*` after a full type), then as given. Clauses of quality 0 are left out; no
/// header at all is `*/*`.
pub fn accept_clauses(accept: &str) -> Vec<&str> {
    let accept = if accept.trim().is_empty() {
        "*/*"
    } else {
        accept
    };
    let mut clauses: Vec<(f32, u8, &str)> = accept
        .split(',')
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
        .map(|clause| {
            let mut parts = clause.split(';');
            let media_type = parts.next().unwrap_or("").trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse().ok())
                .unwrap_or(1.0);
            let specific = match media_type.split_once('/') {
                Some(("*", _)) => 0,
                Some((_, "*")) => 1,
                _ => 2,
            };
            (quality, specific, clause)
        })
        .filter(|(quality, _, _)| *quality > 0.0)
        .collect();
    clauses.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    clauses.into_iter().map(|(_, _, clause)| clause).collect()
}

/// Reads a request body of at most [`MAX_BODY`] bytes. A larger one is read to its end (up to
/// a bound) and discarded, so that the client, still sending, gets the 413 rather than a reset.
async fn read_body_limited(body: Body) -> Result<Vec<u8>, ApiError> {
    use futures::StreamExt;
    const DISCARD_LIMIT: usize = 64 * 1024 * 1024;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?;
        total += chunk.len();
        if total <= MAX_BODY {
            kept.extend_from_slice(&chunk);
        } else if total > DISCARD_LIMIT {
            break;
        }
    }
    if total > MAX_BODY {
        return Err(ApiError {
            code: 413,
            reason: "RequestEntityTooLarge",
            message: format!("Request entity too large: limit is {MAX_BODY}"),
            details: None,
            list_continue: None,
        });
    }
    Ok(kept)
}

/// Handles one request. A panic in a handler (a bug: every handler answers bad input with a
/// Status) is answered as the API server's panic recovery filter answers it (`WithPanicRecovery`
/// in k8s.io/apiserver/pkg/server/filters/wrap.go: a plain-text 500 from `http.Error`), so the
/// client gets an answer and the connection stays up rather than being dropped mid-request.
pub async fn handle(State(sim): State<Arc<Sim>>, request: Request) -> Response {
    use futures::FutureExt;
    let method = request.method().clone();
    let uri = request.uri().clone();
    let logged = sim
        .log_requests
        .load(std::sync::atomic::Ordering::Relaxed)
        .then(|| {
            (
                (method.clone(), uri.clone(), request.version()),
                std::time::Instant::now(),
            )
        });
    let response = match std::panic::AssertUnwindSafe(dispatch(sim, request))
        .catch_unwind()
        .await
    {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => error.into_response(),
        Err(_) => {
            tracing::error!("{method} {uri}: the handler panicked");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                "This request caused apiserver to panic. Look in the logs for details.\n",
            )
                .into_response()
        }
    };
    match logged {
        Some((request, started)) => super::request_log::logged(request, started, response),
        None => response,
    }
}

async fn dispatch(sim: Arc<Sim>, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    // Authentication comes before routing, as in the API server: without a token, a path that
    // exists and one that does not both answer 401, so nothing is revealed. Only the health
    // checks are open.
    let health = matches!(path.trim_matches('/'), "healthz" | "livez" | "readyz");
    let given = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let user = match given.and_then(|h| h.strip_prefix("Bearer ")) {
        Some(token) => {
            let requester = sim.authenticate(token).ok_or_else(ApiError::unauthorized)?;
            // The request URI as Go's `RequestURI` gives it: an HTTP/2 request's URI also
            // carries the scheme and authority.
            let uri = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            Some(rbac::acting_user(&sim, requester, &parts.headers, uri)?)
        }
        None if health => None,
        None => return Err(ApiError::unauthorized()),
    };
    // Authorization too comes before routing, judging the request as its path reads.
    if let Some(user) = &user {
        let attributes = rbac::attributes(parts.method.as_str(), &path, parts.uri.query());
        rbac::check(&sim, user, &attributes)?;
        // A WebSocket's exec, attach or port-forward is a GET, which the API server also
        // checks as the `create` it amounts to.
        if let rbac::Target::Resource { subresource, .. } = &attributes.target
            && matches!(subresource.as_str(), "exec" | "attach" | "portforward")
            && attributes.verb == "get"
        {
            let create = rbac::Attributes {
                verb: "create".into(),
                ..attributes.clone()
            };
            rbac::check(&sim, user, &create)?;
        }
    }
    let route = route(&path, &sim.registry).ok_or_else(ApiError::no_route)?;
    let mut query = Query::parse(parts.uri.query())?;
    query.user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // exec and attach are connections, not reads: they go on before the body is read (a
    // WebSocket upgrade has none) and keep the request's parts for the upgrade.
    if let Route::Resource(target) = &route
        && target.resource.plural == "pods"
        && target.resource.group.is_empty()
        && let (Some(name), Some(sub @ ("exec" | "attach"))) =
            (target.name.as_deref(), target.subresource.as_deref())
    {
        if parts.method != Method::GET && parts.method != Method::POST {
            return Err(ApiError::method_not_allowed(format!(
                "the server does not allow this method on the requested resource ({})",
                parts.method
            )));
        }
        let kind = if sub == "exec" {
            stream::Kind::Exec
        } else {
            stream::Kind::Attach
        };
        let (target, name) = (target.clone(), name.to_string());
        return stream::serve(sim, &target, &name, kind, parts).await;
    }
    if let Route::Resource(target) = &route
        && target.resource.plural == "pods"
        && target.resource.group.is_empty()
        && let (Some(name), Some("portforward")) =
            (target.name.as_deref(), target.subresource.as_deref())
    {
        if parts.method != Method::GET && parts.method != Method::POST {
            return Err(ApiError::method_not_allowed(format!(
                "the server does not allow this method on the requested resource ({})",
                parts.method
            )));
        }
        let (target, name) = (target.clone(), name.to_string());
        return super::portforward::serve(sim, &target, &name, parts).await;
    }
    let accept = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let representation = Representation::asked(&accept);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    let body = read_body_limited(body).await?;

    match route {
        Route::Health => Ok((StatusCode::OK, "ok").into_response()),
        Route::Version => Ok(json(discovery::version())),
        Route::CoreVersions => Ok(match aggregated_discovery::requested(&accept) {
            Some(version) => aggregated_discovery::response(
                &aggregated_discovery::core(&sim.registry, version),
                version,
                &parts.headers,
            ),
            None => json(discovery::core_versions(&sim.address)),
        }),
        Route::Groups => Ok(match aggregated_discovery::requested(&accept) {
            Some(version) => aggregated_discovery::response(
                &aggregated_discovery::groups(&sim.registry, version),
                version,
                &parts.headers,
            ),
            None => json(discovery::groups(&sim.registry)),
        }),
        Route::Group(group) => discovery::group(&sim.registry, &group)
            .map(json)
            .ok_or_else(ApiError::no_route),
        Route::Resources { group, version } => {
            discovery::resources(&sim.registry, &group, &version)
                .map(json)
                .ok_or_else(ApiError::no_route)
        }
        Route::OpenApi(document) => super::openapi::serve(&sim, &document, &accept, &query),
        Route::Resource(target) if target.resource.review => {
            let Some(user) = &user else {
                return Err(ApiError::unauthorized());
            };
            if parts.method != Method::POST || target.name.is_some() {
                return Err(ApiError::method_not_allowed(format!(
                    "the server does not allow this method on the requested resource ({})",
                    parts.method
                )));
            }
            rbac::create_review(&sim, user, target.resource, &content_type, &body)
        }
        Route::Resource(target) => {
            let Some(user) = &user else {
                return Err(ApiError::unauthorized());
            };
            resource_request(
                sim,
                user,
                parts.method,
                target,
                query,
                representation,
                &content_type,
                &body,
            )
            .await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn resource_request(
    sim: Arc<Sim>,
    user: &rbac::UserInfo,
    method: Method,
    target: ResourceRoute,
    query: Query,
    representation: Representation,
    content_type: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let resource = target.resource;
    let representation = match representation {
        Representation::Protobuf
            if method != Method::GET
                || !(resource.group.is_empty() && resource.plural == "pods")
                || target.subresource.is_some() =>
        {
            Representation::Object
        }
        other => other,
    };
    if resource.group == "metrics.k8s.io" {
        if method != Method::GET {
            return Err(ApiError::method_not_allowed(format!(
                "{} is read-only",
                resource.qualified_plural()
            )));
        }
        return metrics::serve_apart(sim, target, query).await;
    }
    if resource.group.is_empty() && resource.kind == "ComponentStatus" {
        return Ok(super::component_status::serve(
            &sim,
            &method,
            &target,
            &query,
            representation,
        ));
    }
    if !resource.writable && method != Method::GET {
        return Err(ApiError::method_not_allowed(format!(
            "{} is read-only",
            resource.qualified_plural()
        )));
    }
    let sub = target.subresource.as_deref();
    // A subresource the type does not serve is not found, whatever the verb (a DaemonSet has no
    // `scale`, a ConfigMap no `status`), as the API server routes it.
    if let Some(sub) = sub
        && !resource.subresources.contains(&sub)
    {
        return Err(ApiError::no_route());
    }
    if method == Method::GET && target.name.is_none() && sub.is_none() {
        let watch_list = sim.watch_list.load(std::sync::atomic::Ordering::Relaxed);
        query.validate_list_options(watch_list)?;
    }
    match (&method, target.name.as_deref(), sub) {
        (&Method::GET, None, None) if query.watch => {
            watch::serve(sim, &target, &query, representation)
        }
        (&Method::GET, None, None) => list::serve(&sim, &target, &query, representation).await,
        (
            &Method::GET,
            Some(name),
            None | Some("status") | Some("ephemeralcontainers") | Some("approval"),
        ) => {
            let object = write::current(&sim, &target, name)?;
            Ok(list::single(&sim, resource, object, representation, &query))
        }
        (&Method::GET, Some(name), Some("log")) if resource.plural == "pods" => {
            logs::serve(sim, &target, name, &query)
        }
        (&Method::GET, Some(name), Some("scale")) => scale::get(&sim, &target, name).map(json),
        (&Method::POST, None, None) => {
            let mut warnings = Vec::new();
            write::create(
                &sim,
                user,
                &target,
                &query,
                content_type,
                body,
                &mut warnings,
            )
            .map(|o| warned(created(&o), &warnings))
        }
        (&Method::POST, Some(name), Some("eviction")) if resource.plural == "pods" => {
            eviction::evict(&sim, &target, name, &query, content_type, body)
        }
        (&Method::POST, Some(name), Some("binding")) if resource.plural == "pods" => {
            write::bind(&sim, &target, name, content_type, body).map(|o| created(&o))
        }
        (
            &Method::PUT,
            Some(name),
            None
            | Some("status")
            | Some("finalize")
            | Some("ephemeralcontainers")
            | Some("approval"),
        ) => {
            let mut warnings = Vec::new();
            write::update(
                &sim,
                user,
                &target,
                name,
                &query,
                content_type,
                body,
                &mut warnings,
            )
            .map(|o| warned(json((*o).clone()), &warnings))
        }
        (&Method::PUT, Some(name), Some("scale")) => scale::update(
            &sim,
            &target,
            name,
            &query,
            scale::ScaleWrite::Replace(content_type),
            body,
        )
        .map(json),
        (
            &Method::PATCH,
            Some(name),
            None | Some("status") | Some("ephemeralcontainers") | Some("approval"),
        ) => {
            let mut warnings = Vec::new();
            write::patch(
                &sim,
                user,
                &target,
                name,
                &query,
                content_type,
                body,
                &mut warnings,
            )
            .map(|o| warned(json((*o).clone()), &warnings))
        }
        (&Method::PATCH, Some(name), Some("scale")) => scale::update(
            &sim,
            &target,
            name,
            &query,
            scale::ScaleWrite::Patch(content_type),
            body,
        )
        .map(json),
        (&Method::DELETE, Some(name), None) => {
            deletion::delete(&sim, &target, name, &query, content_type, body).map(json)
        }
        (&Method::DELETE, None, None) => {
            deletion::delete_collection(&sim, &target, &query, content_type, body).map(json)
        }
        (method, _, _) => Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({method})"
        ))),
    }
}

/// A response with the API server's `Warning` headers, one per warning.
fn warned(mut response: Response, warnings: &[String]) -> Response {
    for warning in warnings {
        if let Ok(value) = header::HeaderValue::from_str(&super::openapi::warning_header(warning)) {
            response.headers_mut().append(header::WARNING, value);
        }
    }
    response
}

/// A 200 JSON response.
pub fn json(value: Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// A 200 JSON response from bytes already serialised.
pub fn json_bytes(body: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// A 201 JSON response.
fn created(value: &Value) -> Response {
    (
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// A streamed response body (watch, log follow).
pub fn stream(content_type: &'static str, body: Body) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// A streamed response whose body is what `receiver` is sent, until its senders are gone.
pub fn streamed_from<E>(
    content_type: &'static str,
    receiver: tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, E>>,
) -> Response
where
    E: Into<axum::BoxError> + Send + 'static,
{
    let body = Body::from_stream(futures::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    ));
    stream(content_type, body)
}
