//! The certificate signer, as kube-controller-manager's `csrsigning` controller: an approved
//! request for one of the Kubernetes signers it serves (`kube-apiserver-client`,
//! `kube-apiserver-client-kubelet`, `kubelet-serving`) that meets that signer's rules is issued a
//! certificate signed by the simulator's certificate authority (the one its kubeconfig trusts),
//! for the subject, names and key the request holds and the usages it asked for, valid from five
//! minutes ago for what it asked (a year at most, the default `--cluster-signing-duration`); one
//! that breaks the rules gets a Failed condition with the reason. A request for any other signer
//! waits for that signer, as on a cluster without it.

use std::net::IpAddr;
use std::time::Duration;

use rcgen::{
    CertificateParams, DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, KeyUsagePurpose,
    PublicKeyData, SanType, SignatureAlgorithm,
};
use rustls::pki_types::alg_id;
use serde_json::{Value, json};

use crate::sim::certificates::request::{Request, oid, parse_and_verify};
use crate::sim::certificates::{
    KUBE_APISERVER_CLIENT, KUBE_APISERVER_CLIENT_KUBELET, KUBELET_SERVING, bytes_of,
};
use crate::sim::pointer::Pointer;
use crate::sim::resource::find_built_in;
use crate::sim::state::{Sim, time_text};

/// How far back a certificate's validity starts (the signer's backdating, for clock skew).
const BACKDATE: Duration = Duration::from_secs(5 * 60);

/// The longest validity issued: `--cluster-signing-duration`'s default, 8760h.
const LONGEST: Duration = Duration::from_secs(8760 * 3600);

/// Looks at one request and issues (or fails) it when it is due.
pub fn reconcile(sim: &Sim, name: &str) {
    let requests = find_built_in("certificates.k8s.io", "v1", "certificatesigningrequests")
        .expect("CertificateSigningRequests are served");
    let Some(csr) = sim.store.get(requests, "", name) else {
        return;
    };
    let has = |kind: &str| {
        csr.at("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|c| c.iter().any(|c| c["type"] == kind && c["status"] == "True"))
    };
    if !has("Approved") || has("Denied") || has("Failed") {
        return;
    }
    if !bytes_of(&csr, "/status/certificate").is_empty() {
        return;
    }
    let signer = csr
        .at("/spec/signerName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if ![
        KUBE_APISERVER_CLIENT,
        KUBE_APISERVER_CLIENT_KUBELET,
        KUBELET_SERVING,
    ]
    .contains(&signer)
    {
        return;
    }
    let Some(authority) = sim.authority.get() else {
        return;
    };
    // Validated when it was created, so a request that does not parse now is left alone.
    let Ok(request) = parse_and_verify(&bytes_of(&csr, "/spec/request")) else {
        return;
    };
    let usages: Vec<&str> = csr
        .at("/spec/usages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let now = sim.now();
    let now_text = time_text(now);
    let outcome = match signer_rules(signer, &request, &usages) {
        Err(problem) => Err(problem),
        Ok(()) => {
            let requested = csr
                .at("/spec/expirationSeconds")
                .and_then(Value::as_u64)
                .map(Duration::from_secs);
            issue(authority, &request, &usages, requested, now)
                .ok_or_else(|| "the request's key is not one the signer can sign".to_string())
        }
    };
    let _ = sim.store.modify(requests, "", name, |csr| {
        let Some(object) = csr.as_object_mut() else {
            return false;
        };
        let status = object.entry("status").or_insert_with(|| json!({}));
        if !status.is_object() {
            *status = json!({});
        }
        match &outcome {
            Ok(pem) => {
                use base64::Engine;
                status["certificate"] =
                    json!(base64::engine::general_purpose::STANDARD.encode(pem));
            }
            Err(problem) => {
                let conditions = status
                    .as_object_mut()
                    .expect("an object")
                    .entry("conditions")
                    .or_insert_with(|| json!([]));
                if let Some(conditions) = conditions.as_array_mut() {
                    conditions.push(json!({
                        "type": "Failed", "status": "True", "reason": "SignerValidationFailure",
                        "message": problem, "lastUpdateTime": now_text, "lastTransitionTime": now_text,
                    }));
                }
            }
        }
        true
    });
}

/// What each signer requires of a request (`validAPIServerClientUsages`,
/// `ValidateKubeletClientCSR`, `ValidateKubeletServingCSR`), in their words.
fn signer_rules(signer: &str, request: &Request, usages: &[&str]) -> Result<(), String> {
    let mut set: Vec<&str> = usages.to_vec();
    set.sort_unstable();
    set.dedup();
    match signer {
        KUBE_APISERVER_CLIENT => {
            for usage in usages {
                if !["digital signature", "key encipherment", "client auth"].contains(usage) {
                    return Err(format!("invalid usage for client certificate: {usage}"));
                }
            }
            if !usages.contains(&"client auth") {
                return Err("missing required usage for client certificate: client auth".into());
            }
            Ok(())
        }
        KUBE_APISERVER_CLIENT_KUBELET => {
            node_organization(request)?;
            if !request.dns_names.is_empty() {
                return Err("DNS subjectAltNames are not allowed".into());
            }
            if !request.emails.is_empty() {
                return Err("Email subjectAltNames are not allowed".into());
            }
            if !request.ip_addresses.is_empty() {
                return Err("IP subjectAltNames are not allowed".into());
            }
            if !request.uris.is_empty() {
                return Err("URI subjectAltNames are not allowed".into());
            }
            node_common_name(request)?;
            if set != ["client auth", "digital signature", "key encipherment"]
                && set != ["client auth", "digital signature"]
            {
                return Err(
                    "usages did not match [client auth digital signature key encipherment]".into(),
                );
            }
            Ok(())
        }
        _ => {
            node_organization(request)?;
            if request.dns_names.is_empty() && request.ip_addresses.is_empty() {
                return Err("DNS or IP subjectAltName is required".into());
            }
            if !request.emails.is_empty() {
                return Err("Email subjectAltNames are not allowed".into());
            }
            if !request.uris.is_empty() {
                return Err("URI subjectAltNames are not allowed".into());
            }
            if set != ["digital signature", "key encipherment", "server auth"]
                && set != ["digital signature", "server auth"]
            {
                return Err(
                    "usages did not match [digital signature key encipherment server auth]".into(),
                );
            }
            node_common_name(request)
        }
    }
}

fn node_organization(request: &Request) -> Result<(), String> {
    if request.subject_values(oid::ORGANIZATION) != ["system:nodes"] {
        return Err("subject organization is not system:nodes".into());
    }
    Ok(())
}

fn node_common_name(request: &Request) -> Result<(), String> {
    let common_name = request
        .subject_values(oid::COMMON_NAME)
        .first()
        .copied()
        .unwrap_or("");
    if !common_name.starts_with("system:node:") {
        return Err("subject common name does not begin with system:node:".into());
    }
    Ok(())
}

/// The request's public key, for the certificate that carries it.
struct RequestKey<'a> {
    key: &'a [u8],
    algorithm: &'static SignatureAlgorithm,
}

impl PublicKeyData for RequestKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.key
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        self.algorithm
    }
}

/// The key algorithm rcgen writes the same SubjectPublicKeyInfo for.
fn key_algorithm(identifier: &[u8]) -> Option<&'static SignatureAlgorithm> {
    let known: [(&[u8], &'static SignatureAlgorithm); 4] = [
        (alg_id::ECDSA_P256.as_ref(), &rcgen::PKCS_ECDSA_P256_SHA256),
        (alg_id::ECDSA_P384.as_ref(), &rcgen::PKCS_ECDSA_P384_SHA384),
        (alg_id::RSA_ENCRYPTION.as_ref(), &rcgen::PKCS_RSA_SHA256),
        (alg_id::ED25519.as_ref(), &rcgen::PKCS_ED25519),
    ];
    known
        .into_iter()
        .find(|(id, _)| *id == identifier)
        .map(|(_, algorithm)| algorithm)
}

/// An object identifier's arcs from its DER content.
fn arcs(der: &[u8]) -> Vec<u64> {
    let mut arcs = Vec::new();
    let mut value = 0u64;
    for byte in der {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs
}

/// The certificate the signer issues for an approved request, as PEM.
fn issue(
    authority: &crate::sim::tls::CertificateAuthority,
    request: &Request,
    usages: &[&str],
    requested: Option<Duration>,
    now: jiff::Timestamp,
) -> Option<String> {
    let algorithm = key_algorithm(&request.key_algorithm)?;
    let mut params = CertificateParams::default();
    for (kind, value) in &request.subject {
        let kind = match kind.as_slice() {
            oid::COMMON_NAME => DnType::CommonName,
            oid::ORGANIZATION => DnType::OrganizationName,
            [0x55, 0x04, 0x0b] => DnType::OrganizationalUnitName,
            [0x55, 0x04, 0x06] => DnType::CountryName,
            [0x55, 0x04, 0x08] => DnType::StateOrProvinceName,
            [0x55, 0x04, 0x07] => DnType::LocalityName,
            other => DnType::CustomDnType(arcs(other)),
        };
        params
            .distinguished_name
            .push(kind, DnValue::Utf8String(value.clone()));
    }
    let ia5 = |text: &String| text.clone().try_into().ok();
    params.subject_alt_names = request
        .dns_names
        .iter()
        .filter_map(|n| ia5(n).map(SanType::DnsName))
        .chain(
            request
                .ip_addresses
                .iter()
                .map(|ip: &IpAddr| SanType::IpAddress(*ip)),
        )
        .chain(
            request
                .emails
                .iter()
                .filter_map(|e| ia5(e).map(SanType::Rfc822Name)),
        )
        .chain(request.uris.iter().filter_map(|u| ia5(u).map(SanType::URI)))
        .collect();
    params.is_ca = IsCa::ExplicitNoCa;
    params.use_authority_key_identifier_extension = true;
    for usage in usages {
        match *usage {
            "signing" | "digital signature" => {
                params.key_usages.push(KeyUsagePurpose::DigitalSignature)
            }
            "content commitment" => params.key_usages.push(KeyUsagePurpose::ContentCommitment),
            "key encipherment" => params.key_usages.push(KeyUsagePurpose::KeyEncipherment),
            "key agreement" => params.key_usages.push(KeyUsagePurpose::KeyAgreement),
            "data encipherment" => params.key_usages.push(KeyUsagePurpose::DataEncipherment),
            "cert sign" => params.key_usages.push(KeyUsagePurpose::KeyCertSign),
            "crl sign" => params.key_usages.push(KeyUsagePurpose::CrlSign),
            "encipher only" => params.key_usages.push(KeyUsagePurpose::EncipherOnly),
            "decipher only" => params.key_usages.push(KeyUsagePurpose::DecipherOnly),
            other => {
                let purpose = match other {
                    "any" => ExtendedKeyUsagePurpose::Any,
                    "server auth" => ExtendedKeyUsagePurpose::ServerAuth,
                    "client auth" => ExtendedKeyUsagePurpose::ClientAuth,
                    "code signing" => ExtendedKeyUsagePurpose::CodeSigning,
                    "email protection" | "s/mime" => ExtendedKeyUsagePurpose::EmailProtection,
                    "timestamping" => ExtendedKeyUsagePurpose::TimeStamping,
                    "ocsp signing" => ExtendedKeyUsagePurpose::OcspSigning,
                    "ipsec end system" => {
                        ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 5, 5, 7, 3, 5])
                    }
                    "ipsec tunnel" => {
                        ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 5, 5, 7, 3, 6])
                    }
                    "ipsec user" => ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 5, 5, 7, 3, 7]),
                    "microsoft sgc" => {
                        ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 4, 1, 311, 10, 3, 3])
                    }
                    "netscape sgc" => {
                        ExtendedKeyUsagePurpose::Other(vec![2, 16, 840, 1, 113730, 4, 1])
                    }
                    _ => continue,
                };
                if !params.extended_key_usages.contains(&purpose) {
                    params.extended_key_usages.push(purpose);
                }
            }
        }
    }
    params.key_usages.dedup();
    let seconds = u64::try_from(now.as_second()).ok()?;
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    let lasts = requested.map_or(LONGEST, |d| d.min(LONGEST));
    params.not_before = epoch + Duration::from_secs(seconds) - BACKDATE;
    params.not_after = epoch + Duration::from_secs(seconds) + lasts;
    let mut serial = [0u8; 16];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut serial)
        .ok()?;
    serial[0] &= 0x7f;
    params.serial_number = Some(serial.to_vec().into());
    authority
        .sign(
            &params,
            &RequestKey {
                key: &request.key,
                algorithm,
            },
        )
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_identifiers_read_into_arcs() {
        assert_eq!(arcs(&[0x55, 0x04, 0x03]), [2, 5, 4, 3]);
        assert_eq!(
            arcs(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e]),
            [1, 2, 840, 113549, 1, 9, 14]
        );
    }

    fn node_request(organization: &str, names: Vec<String>) -> Request {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "system:node:worker-1");
        params
            .distinguished_name
            .push(DnType::OrganizationName, organization);
        let pem = params.serialize_request(&key).unwrap().pem().unwrap();
        parse_and_verify(pem.as_bytes()).unwrap()
    }

    #[test]
    fn each_signer_holds_requests_to_its_rules() {
        let client = node_request("dev", vec![]);
        assert_eq!(
            signer_rules(KUBE_APISERVER_CLIENT, &client, &["server auth"]),
            Err("invalid usage for client certificate: server auth".into())
        );
        assert_eq!(
            signer_rules(KUBE_APISERVER_CLIENT, &client, &["digital signature"]),
            Err("missing required usage for client certificate: client auth".into())
        );
        assert!(signer_rules(KUBE_APISERVER_CLIENT, &client, &["client auth"]).is_ok());
        assert_eq!(
            signer_rules(KUBELET_SERVING, &client, &["server auth"]),
            Err("subject organization is not system:nodes".into())
        );
        let serving = node_request("system:nodes", vec!["worker-1".into()]);
        assert!(
            signer_rules(
                KUBELET_SERVING,
                &serving,
                &["digital signature", "server auth"]
            )
            .is_ok()
        );
        assert_eq!(
            signer_rules(KUBE_APISERVER_CLIENT_KUBELET, &serving, &["client auth"]),
            Err("DNS subjectAltNames are not allowed".into())
        );
        let kubelet = node_request("system:nodes", vec![]);
        assert_eq!(
            signer_rules(KUBELET_SERVING, &kubelet, &["server auth"]),
            Err("DNS or IP subjectAltName is required".into())
        );
        assert!(
            signer_rules(
                KUBE_APISERVER_CLIENT_KUBELET,
                &kubelet,
                &["digital signature", "client auth"]
            )
            .is_ok()
        );
    }
}
