//! kube-rs's errors read into the one error type of `model::api_error`, and the reason a server
//! was not reached named in the words kubectl users know.

use std::error::Error;
use std::io::ErrorKind;

use crate::model::api_error::ApiError;

/// The failure of `call`, read from kube-rs's error: the API server's Status (code, reason,
/// message and causes) or, when it was not reached, the cause named.
pub fn api_error(call: &str, error: &kube::Error) -> ApiError {
    match error {
        kube::Error::Api(status) => {
            let mut read = ApiError::answered(call, status.code, &status.reason, &status.message);
            read.causes = status
                .details
                .iter()
                .flat_map(|details| &details.causes)
                .map(|cause| {
                    if cause.field.is_empty() {
                        cause.message.clone()
                    } else {
                        format!("{}: {}", cause.field, cause.message)
                    }
                })
                .collect::<Vec<_>>()
                .into();
            read
        }
        other => ApiError::unreachable(call, &[unreached(other)]),
    }
}

/// An error answer as kube reads one: the API server's Status, or what a proxy answered instead
/// (its text, with the answer's code).
pub fn answered_error(code: http::StatusCode, body: &[u8]) -> kube::Error {
    let text = String::from_utf8_lossy(body);
    let status = serde_json::from_str::<kube::core::Status>(&text).unwrap_or_else(|_| {
        kube::core::Status::failure(text.trim(), "Failed to parse error data")
            .with_code(code.as_u16())
    });
    kube::Error::Api(status.boxed())
}

/// An error as Go's `err.Error()` reads for an API error (the server's message verbatim),
/// else why the server was not reached.
pub fn error_text(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) => status.message.clone(),
        other => unreached(other),
    }
}

/// Why a request got no answer, on one line: the first cause in the chain that has a name
/// people know (a refused connection and where to, an unknown certificate authority, a
/// credential plugin that failed), else the chain's texts, each once. Every cause reads
/// differently, where hyper's own text is "client error (Connect)" for all of them.
pub fn unreached(error: &(dyn Error + 'static)) -> String {
    let chain: Vec<&(dyn Error + 'static)> =
        std::iter::successors(Some(error), |e| (*e).source()).collect();
    // hyper-util keeps the address it dialled private; its Debug is the only place it shows.
    let address = chain.iter().find_map(|e| dialled_address(*e));
    for link in &chain {
        if let Some(named) = named(*link, address.as_deref()) {
            return named;
        }
    }
    // kube-rs's own wrapper only repeats its source with a prefix (`ServiceError: `).
    let start = match error.downcast_ref::<kube::Error>() {
        Some(_) if error.source().is_some() => 1,
        _ => 0,
    };
    let mut texts: Vec<String> = Vec::new();
    for text in chain[start..].iter().map(ToString::to_string) {
        if !texts.iter().any(|seen| seen.contains(&text)) {
            texts.push(text);
        }
    }
    crate::model::inbox::one_line(&texts.join(": "))
}

/// The address a failed TCP connect was to, from hyper-util's `ConnectError` (shown in its
/// Debug as `ConnectError("tcp connect error", 127.0.0.1:1, Os { .. })`).
fn dialled_address(error: &(dyn Error + 'static)) -> Option<String> {
    if error.to_string() != "tcp connect error" {
        return None;
    }
    let debug = format!("{error:?}");
    let address = debug.split(", ").nth(1)?;
    address
        .parse::<std::net::SocketAddr>()
        .ok()
        .map(|a| a.to_string())
}

/// The name of one cause, when it is one we know.
fn named(error: &(dyn Error + 'static), address: Option<&str>) -> Option<String> {
    let to = |text: &str| match address {
        Some(address) => format!("{text} ({address})"),
        None => text.to_string(),
    };
    if let Some(auth) = error.downcast_ref::<kube::client::AuthError>() {
        return Some(plugin_failure(auth, "the credential plugin"));
    }
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls_words(tls));
    }
    let mut io = error.downcast_ref::<std::io::Error>()?;
    // An io error made from another error hides that error from `source()` (the connector
    // wraps the TLS stream's io error, which holds rustls's): look inside.
    while let Some(inner) = io.get_ref() {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls_words(tls));
        }
        match inner.downcast_ref::<std::io::Error>() {
            Some(wrapped) => io = wrapped,
            None => break,
        }
    }
    Some(match io.kind() {
        ErrorKind::ConnectionRefused => to("connection refused"),
        ErrorKind::ConnectionReset => to("connection reset by peer"),
        ErrorKind::ConnectionAborted => to("connection aborted"),
        ErrorKind::TimedOut => to("timed out"),
        ErrorKind::HostUnreachable => to("no route to host"),
        ErrorKind::NetworkUnreachable => to("network is unreachable"),
        ErrorKind::AddrNotAvailable => to("address not available"),
        ErrorKind::UnexpectedEof => "the server closed the connection".to_string(),
        _ => return None,
    })
}

/// A TLS failure as Go's crypto/tls and crypto/x509 word it (what kubectl prints).
fn tls_words(error: &rustls::Error) -> String {
    use rustls::{AlertDescription, CertificateError, Error as Tls, InvalidMessage};
    let verify = |reason: &str| format!("tls: failed to verify certificate: x509: {reason}");
    match error {
        Tls::InvalidCertificate(certificate) => match certificate {
            // A CA with the right name but another key fails on the signature: to the user it
            // is the same wrong authority.
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                verify("certificate signed by unknown authority")
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => {
                verify("certificate has expired or is not yet valid")
            }
            CertificateError::NotValidForNameContext {
                expected,
                presented,
            } => verify(&format!(
                "certificate is valid for {}, not {}",
                if presented.is_empty() {
                    "no names".to_string()
                } else {
                    presented.join(", ")
                },
                expected.to_str()
            )),
            CertificateError::NotValidForName => {
                verify("certificate is not valid for the server's name")
            }
            CertificateError::Revoked => verify("certificate has been revoked"),
            CertificateError::BadEncoding => verify("malformed certificate"),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                verify("certificate specifies an incompatible key usage")
            }
            other => format!("tls: failed to verify certificate: {other}"),
        },
        Tls::AlertReceived(alert) => format!(
            "remote error: tls: {}",
            match alert {
                AlertDescription::BadCertificate => "bad certificate".to_string(),
                AlertDescription::CertificateRequired => "certificate required".to_string(),
                AlertDescription::UnknownCA => "unknown certificate authority".to_string(),
                AlertDescription::HandshakeFailure => "handshake failure".to_string(),
                AlertDescription::CertificateExpired => "expired certificate".to_string(),
                AlertDescription::ProtocolVersion => "protocol version not supported".to_string(),
                other => format!("{other:?}"),
            }
        ),
        Tls::InvalidMessage(InvalidMessage::InvalidContentType) => {
            "tls: first record does not look like a TLS handshake (does the server speak plain HTTP?)"
                .to_string()
        }
        other => format!("tls: {other}"),
    }
}

/// The failure of the credential plugin `command` (as the kubeconfig names it), when the
/// error is one.
pub fn plugin_error(error: &kube::Error, command: &str) -> Option<String> {
    match error {
        kube::Error::Auth(auth) => Some(plugin_failure(
            auth,
            &format!("credential plugin \"{command}\""),
        )),
        _ => None,
    }
}

/// A credential plugin's failure, the plugin named as `plugin` (kube-rs's own text holds Rust's
/// dump of the process and its output).
fn plugin_failure(error: &kube::client::AuthError, plugin: &str) -> String {
    use kube::client::AuthError;
    match error {
        AuthError::AuthExecStart(io) => format!("cannot run {plugin}: {io}"),
        AuthError::AuthExecRun { out, .. } => {
            let said = last_line(&out.stderr).or_else(|| last_line(&out.stdout));
            match said {
                Some(said) => format!("{plugin} failed ({}): {said}", out.status),
                None => format!("{plugin} failed ({})", out.status),
            }
        }
        AuthError::AuthExecParse(parse) => format!(
            "{plugin} answered something that is not an ExecCredential: {}",
            crate::model::inbox::one_line(&parse.to_string())
        ),
        AuthError::ExecPluginFailed => {
            format!("{plugin} answered without a status (no token or certificate)")
        }
        other => crate::model::inbox::one_line(&other.to_string()),
    }
}

/// The last line a process wrote that has text in it (where tools put the error).
fn last_line(output: &[u8]) -> Option<String> {
    String::from_utf8_lossy(output)
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
#[path = "api_error_tests.rs"]
mod tests;
