//! Serving over TLS, as every API server does (kubectl will not send a bearer token over plain
//! HTTP): a fresh certificate authority and serving certificate per run, ALPN offering HTTP/2
//! and HTTP/1.1, and a listener that completes handshakes off the accept path. The authority is
//! kept to sign what the CertificateSigningRequest signer issues.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, PublicKeyData,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// The simulator's certificates.
pub struct ServingCertificate {
    /// The certificate authority, PEM (for kubeconfigs).
    pub ca_pem: String,
    /// The certificate authority, DER (for in-process clients).
    pub ca_der: Vec<u8>,
    /// The certificate authority itself, until the simulator takes it.
    pub authority: Option<CertificateAuthority>,
    config: Arc<rustls::ServerConfig>,
}

/// The simulator's certificate authority: its key and name, to sign certificates with.
pub struct CertificateAuthority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl CertificateAuthority {
    /// A certificate of `params` for `public_key`, signed by this authority, as PEM.
    pub fn sign(
        &self,
        params: &CertificateParams,
        public_key: &impl PublicKeyData,
    ) -> Result<String, rcgen::Error> {
        Ok(params.signed_by(public_key, &self.issuer)?.pem())
    }
}

/// Makes a CA and a serving certificate for `localhost` and the listening address.
pub fn generate(address: SocketAddr) -> Result<ServingCertificate> {
    let ca_key = KeyPair::generate().context("cannot generate the CA key")?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).context("CA parameters")?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "kscope-sim-ca");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
        .context("cannot sign the CA certificate")?;
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
        "kubernetes.default.svc".to_string(),
    ];
    let ip = address.ip().to_string();
    if !names.contains(&ip) && !address.ip().is_unspecified() {
        names.push(ip);
    }
    let leaf_key = KeyPair::generate().context("cannot generate the serving key")?;
    let mut leaf_params =
        CertificateParams::new(names).context("serving certificate parameters")?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "kscope-sim");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .context("cannot sign the serving certificate")?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), CertificateDer::from(ca.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .context("cannot use the serving certificate")?;
    // HTTP/2 for the clients that offer it (Go's, so kubectl), HTTP/1.1 for the others and for
    // upgrades (exec, attach, port-forward), which clients make over connections of their own
    // offering only HTTP/1.1. The server reads which one a connection speaks from its first
    // bytes, so a client that offers nothing is served too.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(ServingCertificate {
        ca_pem: ca.pem(),
        ca_der: ca.der().to_vec(),
        authority: Some(CertificateAuthority { issuer: ca }),
        config: Arc::new(config),
    })
}

/// Accepts TCP connections and hands out those whose TLS handshake completed.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `listener` with `certificate`.
    pub fn new(listener: TcpListener, certificate: &ServingCertificate) -> Result<Self> {
        let local = listener.local_addr().context("listening address")?;
        let acceptor = TlsAcceptor::from(certificate.config.clone());
        let (sender, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                // Small writes go out at once, as Go's listeners set it on every connection:
                // an HTTP/2 connection writes many small frames, which Nagle's algorithm would
                // hold for the peer's delayed acknowledgement (40 ms a round).
                let _ = stream.set_nodelay(true);
                let acceptor = acceptor.clone();
                let handshaken = sender.clone();
                // Handshakes run on their own, so a slow client cannot hold up the others.
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await
                    {
                        let _ = handshaken.send((tls, peer)).await;
                    }
                });
                if sender.is_closed() {
                    return;
                }
            }
        });
        Ok(Self { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept task only ends when this listener is dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
