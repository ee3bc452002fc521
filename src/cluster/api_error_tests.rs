//! The causes of failed calls named as kubectl users know them: made-up chains shaped as
//! hyper, rustls and kube-rs build them, and the real ones against closed ports and the
//! simulated cluster.

use std::error::Error;
use std::fmt;

use super::*;
use crate::model::api_error::ApiErrorKind;

/// A link of a chain, as hyper's errors are: its own text and a source.
#[derive(Debug)]
struct Link(&'static str, Box<dyn Error + Send + Sync>);

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Error for Link {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.1)
    }
}

fn service(inner: impl Error + Send + Sync + 'static) -> kube::Error {
    kube::Error::Service(Box::new(Link("client error (Connect)", Box::new(inner))))
}

#[test]
fn a_refused_connection_unknown_authority_and_failing_plugin_each_read_differently() {
    let refused = service(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
    assert_eq!(unreached(&refused), "connection refused");

    let unknown = service(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
    ));
    assert_eq!(
        unreached(&unknown),
        "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    );
    let expired = service(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::Expired),
    ));
    assert_eq!(
        unreached(&expired),
        "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
    );
    let plain_http = service(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
    ));
    assert!(
        unreached(&plain_http).starts_with("tls: first record does not look like a TLS handshake"),
        "{}",
        unreached(&plain_http)
    );

    use std::os::unix::process::ExitStatusExt;
    let plugin = kube::Error::Auth(kube::client::AuthError::AuthExecRun {
        cmd: "\"aws\" \"eks\" \"get-token\"".into(),
        out: Box::new(std::process::Output {
            status: std::process::ExitStatus::from_raw(1 << 8),
            stdout: Vec::new(),
            stderr: b"\nAn error occurred (ExpiredToken): the SSO session has expired\n".to_vec(),
        }),
    });
    assert_eq!(
        unreached(&plugin),
        "the credential plugin failed (exit status: 1): An error occurred (ExpiredToken): the SSO session has expired"
    );

    // A chain nothing here names keeps its texts, each once, without kube-rs's prefix.
    let other = service(Link("unexpected", "end of file".into()));
    assert_eq!(
        unreached(&other),
        "client error (Connect): unexpected: end of file"
    );
}

#[test]
fn the_api_error_of_an_unreached_server_carries_the_named_cause() {
    let refused = service(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
    let error = api_error("list pods", &refused);
    assert_eq!(error.kind, ApiErrorKind::Unreachable);
    assert_eq!(
        error.line(),
        "list pods: cannot reach the API server: connection refused"
    );
    assert_eq!(error_text(&refused), "connection refused");
}

/// A client of `url` trusting `ca` (DER) and sending `token`.
fn client(url: &str, ca: Vec<u8>, token: &str) -> kube::Client {
    let mut config = kube::Config::new(url.parse().unwrap());
    config.auth_info.token = Some(token.to_string().into());
    config.root_cert = Some(vec![ca]);
    config.default_retry = false;
    kube::Client::try_from(config).unwrap()
}

async fn version_error(client: &kube::Client) -> kube::Error {
    client
        .apiserver_version()
        .await
        .expect_err("the call fails")
}

#[tokio::test]
async fn real_failures_name_their_cause() {
    // A port nothing listens on: bound, then let go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let sim = crate::sim::start(
        "127.0.0.1:0".parse().unwrap(),
        crate::sim::ClusterShape::default(),
    )
    .await
    .unwrap();

    use rustls::pki_types::pem::PemObject;
    let ca = rustls::pki_types::CertificateDer::from_pem_slice(sim.ca_pem.as_bytes())
        .unwrap()
        .to_vec();
    let stranger = rcgen::generate_simple_self_signed(vec!["stranger".to_string()]).unwrap();

    let refused = version_error(&client(
        &format!("https://127.0.0.1:{port}"),
        ca.clone(),
        &sim.token,
    ))
    .await;
    assert_eq!(
        unreached(&refused),
        format!("connection refused (127.0.0.1:{port})")
    );

    let unknown = version_error(&client(&sim.url, stranger.cert.der().to_vec(), &sim.token)).await;
    assert_eq!(
        unreached(&unknown),
        "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    );

    let unauthorized = version_error(&client(&sim.url, ca, "wrong")).await;
    let read = api_error("get version", &unauthorized);
    assert_eq!(read.kind, ApiErrorKind::Unauthorized);
    assert_eq!(
        read.kubectl(),
        "error: You must be logged in to the server (Unauthorized)"
    );
    assert_eq!(
        read.line(),
        "get version: You must be logged in to the server (Unauthorized)"
    );
    sim.stop().await;
}
