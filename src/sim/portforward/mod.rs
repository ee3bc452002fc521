//! `pods/portforward`: the checks the API server and the kubelet make before a forward opens
//! (each failure in the words of whoever refuses it), then the transport the client asked for:
//! SPDY/3.1 tunneled in a WebSocket (kubectl's default), plain SPDY/3.1 (its fallback), or the
//! WebSocket channel protocol (`v4.channel.k8s.io`, what kube-rs speaks).

mod channels;
pub mod spdy;
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
    // The API server's proxy to the kubelet only passes upgrades on.
    let upgrade = upgrade_to(&parts);
    if upgrade != "websocket" && upgrade != "spdy/3.1" {
        return Err(ApiError::bad_request("Upgrade request required"));
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
    if upgrade == "spdy/3.1" {
        return Ok(spdy_upgrade(parts, target));
    }
    let offered = crate::sim::stream::offered_protocols(&parts.headers);
    if offered.iter().any(|p| p == spdy::TUNNEL_PROTOCOL) {
        let mut upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => upgrade,
            Err(rejection) => return Ok(rejection.into_response()),
        };
        upgrade.set_selected_protocol(HeaderValue::from_static(spdy::TUNNEL_PROTOCOL));
        return Ok(upgrade
            .max_message_size(64 << 20)
            .on_upgrade(move |socket| spdy::serve_tunneled(socket, target)));
    }
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

/// The kubelet's SPDY/3.1 upgrade: 101 with the negotiated stream protocol, then the session
/// on the upgraded connection.
fn spdy_upgrade(parts: Parts, target: PodTarget) -> Response {
    let offered: Vec<String> = parts
        .headers
        .get_all("X-Stream-Protocol-Version")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !offered.is_empty() && !offered.iter().any(|p| p == spdy::PROTOCOL) {
        return kubelet_refusal(
            StatusCode::FORBIDDEN,
            format!(
                "unable to upgrade: unable to negotiate protocol: client supports {offered:?}, server accepts [\"{}\"]",
                spdy::PROTOCOL
            ),
        );
    }
    let request = axum::http::Request::from_parts(parts, ());
    let upgrade = hyper::upgrade::on(request);
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrade.await {
            spdy::serve_upgraded(upgraded, target).await;
        }
    });
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("SPDY/3.1"));
    if !offered.is_empty() {
        headers.insert(
            "X-Stream-Protocol-Version",
            HeaderValue::from_static(spdy::PROTOCOL),
        );
    }
    response
}
