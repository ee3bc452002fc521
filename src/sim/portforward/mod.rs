//! `pods/portforward`: the checks the API server and the kubelet make before a forward opens
//! (each failure in the words of whoever refuses it), then the transport the client asked for:
//! the WebSocket channel protocol (`v4.channel.k8s.io`, what kube-rs speaks).

mod channels;
mod target;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::route::ResourceRoute;
use super::state::Sim;
use super::write::{current, namespace_of};
use target::PodTarget;

/// A refusal written as plain text, as the kubelet answers (the API server passes it through).
fn kubelet_refusal(code: StatusCode, message: String) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

fn upgrade_to(parts: &Parts) -> String {
    parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// GET or POST pods/{name}/portforward.
pub async fn serve(
    sim: Arc<Sim>,
    route: &ResourceRoute,
    name: &str,
    mut parts: Parts,
) -> Result<Response, ApiError> {
    let pod = current(&sim, route, name)?;
    if pod["spec"]["nodeName"].as_str().unwrap_or("").is_empty() {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    // From here on the kubelet (and the runtime behind it) answers, in plain text.
    if matches!(
        pod["status"]["phase"].as_str(),
        Some("Succeeded" | "Failed")
    ) {
        return Ok(kubelet_refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "rpc error: code = Unknown desc = sandbox container is not running".into(),
        ));
    }
    let target = PodTarget::new(sim.clone(), namespace_of(route), &pod);
    let upgrade = upgrade_to(&parts);
    if upgrade != "websocket" {
        return Ok(kubelet_refusal(
            StatusCode::BAD_REQUEST,
            "unable to upgrade: this server forwards ports over WebSocket only (v4.channel.k8s.io)"
                .into(),
        ));
    }
    let offered = crate::sim::stream::offered_protocols(&parts.headers);
    let ports = match channels::ports(parts.uri.query()) {
        Ok(ports) => ports,
        Err(message) => return Ok(kubelet_refusal(StatusCode::BAD_REQUEST, message)),
    };
    let (protocol, base64) = match channels::negotiate(&offered) {
        Ok(chosen) => chosen,
        Err(message) => return Ok(kubelet_refusal(StatusCode::BAD_REQUEST, message)),
    };
    let mut upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    if !protocol.is_empty() {
        upgrade.set_selected_protocol(HeaderValue::from_static(protocol));
    }
    Ok(upgrade
        .max_message_size(64 << 20)
        .on_upgrade(move |socket| channels::run(socket, target, ports, base64)))
}
