//! `pods/exec` and `pods/attach`: the checks the API server and the kubelet make before a
//! stream opens (each failure in the words and status code of whichever refuses it), then a
//! WebSocket session carrying the channels to a simulated process.

mod protocol;
mod session;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::api_error::ApiError;
use super::route::ResourceRoute;
use super::state::Sim;
use super::write::current;
use crate::sim::pointer::Pointer;

/// Which subresource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Exec,
    Attach,
}

/// What the client asked for in the query.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub command: Vec<String>,
    pub container: Option<String>,
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub tty: bool,
}

fn options(query: Option<&str>) -> Result<Options, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("invalid query string: {e}")))?;
    let flag = |v: &str| matches!(v, "true" | "1" | "True" | "TRUE");
    let mut options = Options::default();
    for (key, value) in pairs {
        match key.as_str() {
            "command" => options.command.push(value),
            "container" => options.container = Some(value).filter(|c| !c.is_empty()),
            "stdin" => options.stdin = flag(&value),
            "stdout" => options.stdout = flag(&value),
            "stderr" => options.stderr = flag(&value),
            "tty" => options.tty = flag(&value),
            _ => {}
        }
    }
    Ok(options)
}

/// A refusal written as plain text, as the kubelet's streaming server answers (the API
/// server passes its response through).
fn kubelet_refusal(code: StatusCode, message: String) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// The container the request names, chosen as the API server's `streamLocation` does.
fn choose_container(pod: &Value, name: &str, requested: Option<&str>) -> Result<String, ApiError> {
    let names = |list: &str| -> Vec<String> {
        pod["spec"][list]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str().map(str::to_string))
            .collect()
    };
    let (containers, init, ephemeral) = (
        names("containers"),
        names("initContainers"),
        names("ephemeralContainers"),
    );
    match requested {
        Some(requested) => {
            if containers
                .iter()
                .chain(&init)
                .chain(&ephemeral)
                .any(|c| c == requested)
            {
                Ok(requested.to_string())
            } else {
                Err(ApiError::bad_request(format!(
                    "container {requested} is not valid for pod {name}"
                )))
            }
        }
        None if containers.len() == 1 => Ok(containers[0].clone()),
        None if containers.is_empty() => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}"
        ))),
        None => {
            let mut message = format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            );
            if !init.is_empty() {
                message.push_str(&format!(
                    " or one of the init containers: [{}]",
                    init.join(" ")
                ));
            }
            Err(ApiError::bad_request(message))
        }
    }
}

/// Whether the container is running now (the kubelet only finds running containers).
pub fn running(pod: &Value, container: &str) -> bool {
    [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .filter_map(|list| pod["status"][list].as_array())
    .flatten()
    .find(|s| s["name"] == container)
    .is_some_and(|s| s.at("/state/running").is_some())
}

/// The WebSocket subprotocols a request offers, in its order.
pub fn offered_protocols(headers: &http::HeaderMap) -> Vec<String> {
    protocol::offered(headers)
}

/// GET or POST pods/{name}/exec or pods/{name}/attach.
pub async fn serve(
    sim: Arc<Sim>,
    target: &ResourceRoute,
    name: &str,
    kind: Kind,
    mut parts: Parts,
) -> Result<Response, ApiError> {
    let options = options(parts.uri.query())?;
    let pod = current(&sim, target, name)?;
    let container = choose_container(&pod, name, options.container.as_deref())?;
    if pod["spec"]["nodeName"].as_str().unwrap_or("").is_empty() {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    // From here on the kubelet answers, in plain text.
    if !options.stdin && !options.stdout && !options.stderr {
        return Ok(kubelet_refusal(
            StatusCode::BAD_REQUEST,
            "you must specify at least 1 of stdin, stdout, stderr".into(),
        ));
    }
    if kind == Kind::Exec && options.command.is_empty() {
        return Ok(kubelet_refusal(
            StatusCode::BAD_REQUEST,
            "you must specify at least one command for the container".into(),
        ));
    }
    if !running(&pod, &container) {
        return Ok(kubelet_refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("container not found (\"{container}\")"),
        ));
    }
    let is_websocket = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if !is_websocket {
        // SPDY/3.1 is not spoken here; a client that falls back to it is told so.
        return Ok(kubelet_refusal(
            StatusCode::BAD_REQUEST,
            "unable to upgrade: this server streams exec and attach over WebSocket only (v5.channel.k8s.io, v4.channel.k8s.io, channel.k8s.io)".into(),
        ));
    }
    let protocol = match protocol::negotiate(&protocol::offered(&parts.headers)) {
        Ok(protocol) => protocol,
        Err(message) => return Ok(kubelet_refusal(StatusCode::BAD_REQUEST, message)),
    };
    let mut upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    if !protocol.name.is_empty() {
        upgrade.set_selected_protocol(header::HeaderValue::from_static(protocol.name));
    }
    let Some((view, fs)) = sim.filesystems.enter(&sim, &pod, &container) else {
        return Ok(kubelet_refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("container not found (\"{container}\")"),
        ));
    };
    let session = session::Session {
        sim: sim.clone(),
        namespace: super::write::namespace_of(target).to_string(),
        pod: name.to_string(),
        uid: pod["metadata"]["uid"].as_str().unwrap_or("").to_string(),
        container: view,
        fs,
        protocol,
        options,
        kind,
        attach_shell: attach_shell(&pod, &container),
    };
    Ok(upgrade
        .max_message_size(64 << 20)
        .on_upgrade(move |socket| session.run(socket)))
}

/// Whether the container's own process is a shell reading stdin (`kubectl run -it busybox -- sh`):
/// attaching to it then talks to that shell. A script it was given (`sh -c '…'`) reads no
/// stdin: attaching shows what it writes.
fn attach_shell(pod: &Value, container: &str) -> bool {
    let Some(spec) = super::shell::container::container_spec(pod, container) else {
        return false;
    };
    if super::program::read(spec).is_some() {
        return false;
    }
    let first = spec["command"][0]
        .as_str()
        .or_else(|| spec["args"][0].as_str())
        .unwrap_or("");
    let image = spec["image"].as_str().unwrap_or("");
    let shell_program = matches!(first.rsplit('/').next(), Some("sh" | "bash"))
        || (first.is_empty()
            && super::shell::container::image_shell(image) == super::shell::ImageShell::BusyBox);
    spec["stdin"].as_bool() == Some(true) && shell_program
}
