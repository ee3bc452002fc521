//! CertificateSigningRequests (certificates.k8s.io/v1) as the API server keeps them
//! (pkg/registry/certificates, pkg/apis/certificates/validation): the requester named from who
//! created it, never from the body; a spec that cannot change; approval and denial only through
//! `/approval`, by someone allowed to `approve` for the signer; a certificate only through
//! `/status`, by someone allowed to `sign`; and the validation of each in the API server's
//! words. The signing itself is the signer controller's (`controllers/signer.rs`).

pub mod request;

use base64::Engine;
use serde_json::{Value, json};

use super::api_error::{ApiError, FieldError};
use super::decoding::go_quote;
use super::rbac::{Attributes, Target, UserInfo, authorize};
use super::resource::ResourceType;
use super::state::{Sim, time_text};
use super::validation::{DNS1123_SUBDOMAIN, is_dns1123_label};
use crate::sim::pointer::Pointer;

/// The signers of Kubernetes the simulator's signer issues for.
pub const KUBE_APISERVER_CLIENT: &str = "kubernetes.io/kube-apiserver-client";
pub const KUBE_APISERVER_CLIENT_KUBELET: &str = "kubernetes.io/kube-apiserver-client-kubelet";
pub const KUBELET_SERVING: &str = "kubernetes.io/kubelet-serving";
const LEGACY_UNKNOWN: &str = "kubernetes.io/legacy-unknown";

/// `allValidUsages`, as `sets.String.List()` sorts it.
const USAGES: [&str; 23] = [
    "any",
    "cert sign",
    "client auth",
    "code signing",
    "content commitment",
    "crl sign",
    "data encipherment",
    "decipher only",
    "digital signature",
    "email protection",
    "encipher only",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "key agreement",
    "key encipherment",
    "microsoft sgc",
    "netscape sgc",
    "ocsp signing",
    "s/mime",
    "server auth",
    "signing",
    "timestamping",
];

/// The condition types whose status may only be True.
const TRUE_ONLY: [&str; 3] = ["Approved", "Denied", "Failed"];

pub fn is_request(resource: &ResourceType) -> bool {
    resource.group == "certificates.k8s.io" && resource.kind == "CertificateSigningRequest"
}

fn strings<'a>(object: &'a Value, pointer: &str) -> Vec<&'a str> {
    object
        .at(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or(""))
        .collect()
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object.at(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The bytes of a `[]byte` field (base64 in JSON); none when absent or not base64 (which
/// decoding has refused already).
pub fn bytes_of(object: &Value, pointer: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text(object, pointer))
        .unwrap_or_default()
}

/// The strategy's create: no status but an empty one, and the requester as the request's user
/// (`PrepareForCreate`), whatever the body claimed.
pub fn set_requestor(resource: &ResourceType, user: &UserInfo, object: &mut Value) {
    if !is_request(resource) || !object.is_object() {
        return;
    }
    object["status"] = json!({});
    if !object.get("spec").is_some_and(Value::is_object) {
        object["spec"] = json!({});
    }
    let spec = object["spec"].as_object_mut().expect("an object");
    for field in ["username", "uid", "groups", "extra"] {
        spec.remove(field);
    }
    spec.insert("username".into(), json!(user.name));
    if !user.groups.is_empty() {
        spec.insert("groups".into(), json!(user.groups));
    }
}

/// What an update may change, by the path it came through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// The object: only its metadata.
    Object,
    /// `/approval`: the Approved and Denied conditions.
    Approval,
    /// `/status`: the certificate and the other conditions.
    Status,
}

/// `ValidateCertificateSigningRequestCreate`, for the object as it would be stored.
pub fn validate(object: &Value, errors: &mut Vec<FieldError>) {
    errors.extend(problems(object, None, Path::Object));
}

/// The strategy's update for each path (`PrepareForUpdate` of the object, its status and its
/// approval), then the validation and the authorization of that path.
pub fn prepare_update(
    sim: &Sim,
    user: &UserInfo,
    resource: &'static ResourceType,
    subresource: Option<&str>,
    current: &Value,
    merged: &mut Value,
) -> Result<(), ApiError> {
    if !is_request(resource) {
        return Ok(());
    }
    let path = match subresource {
        None => Path::Object,
        Some("approval") => Path::Approval,
        Some("status") => Path::Status,
        Some(_) => return Ok(()),
    };
    // The spec never changes after creation; the object's own path changes no status either.
    merged["spec"] = current.get("spec").cloned().unwrap_or(json!({}));
    match path {
        Path::Object => merged["status"] = current.get("status").cloned().unwrap_or(json!({})),
        Path::Status => preserve_approval(current, merged),
        Path::Approval => {}
    }
    default_conditions(merged);
    populate_timestamps(current, merged, &time_text(sim.now()));
    let name = text(current, "/metadata/name");
    if path != Path::Object {
        // The object's own path is validated with the other kinds, once it is merged.
        let problems = problems(merged, Some(current), path);
        if !problems.is_empty() {
            return Err(ApiError::invalid_fields(
                resource.group,
                resource.kind,
                name,
                &problems,
            ));
        }
    }
    let signer = text(current, "/spec/signerName");
    match path {
        Path::Approval if !may_for_signer(sim, user, "approve", signer) => {
            return Err(ApiError::forbidden_object(
                resource,
                name,
                &format!("user not permitted to approve requests with signerName {signer:?}"),
            ));
        }
        Path::Status
            if current.at("/status/certificate") != merged.at("/status/certificate")
                && !may_for_signer(sim, user, "sign", signer) =>
        {
            return Err(ApiError::forbidden_object(
                resource,
                name,
                &format!("user not permitted to sign requests with signerName {signer:?}"),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// `IsAuthorizedForSignerName`: `verb` on the `signers` resource of certificates.k8s.io named
/// after the signer, or after its domain and `*`.
fn may_for_signer(sim: &Sim, user: &UserInfo, verb: &str, signer: &str) -> bool {
    let domain_wildcard = signer
        .split_once('/')
        .map(|(domain, _)| format!("{domain}/*"));
    std::iter::once(signer.to_string())
        .chain(domain_wildcard)
        .any(|name| {
            let attributes = Attributes {
                verb: verb.into(),
                target: Target::Resource {
                    group: "certificates.k8s.io".into(),
                    resource: "signers".into(),
                    subresource: String::new(),
                    namespace: String::new(),
                    name,
                },
            };
            authorize(sim, user, &attributes).allowed
        })
}

/// The status path keeps the Approved and Denied conditions as they were, each instance in the
/// place of the new one, when there are as many (`preserveConditionInstances`).
fn preserve_approval(current: &Value, merged: &mut Value) {
    for kind in ["Approved", "Denied"] {
        let old: Vec<Value> = conditions(current)
            .into_iter()
            .filter(|c| c["type"] == kind)
            .cloned()
            .collect();
        let Some(new) = merged
            .at_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        let places: Vec<usize> = (0..new.len()).filter(|i| new[*i]["type"] == kind).collect();
        if places.len() == old.len() {
            for (place, condition) in places.into_iter().zip(old) {
                new[place] = condition;
            }
        }
    }
}

fn conditions(object: &Value) -> Vec<&Value> {
    object
        .at("/status/conditions")
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

/// A condition without a status is True (`SetDefaults_CertificateSigningRequestCondition`).
fn default_conditions(merged: &mut Value) {
    for condition in merged
        .at_mut("/status/conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        if condition
            .get("status")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            condition.insert("status".into(), json!("True"));
        }
    }
}

/// `populateConditionTimestamps`: a condition's update time is now when unset, and its
/// transition time that of the same condition before it, else now.
fn populate_timestamps(current: &Value, merged: &mut Value, now: &str) {
    let old: Vec<Value> = conditions(current).into_iter().cloned().collect();
    for condition in merged
        .at_mut("/status/conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        let unset = |c: &serde_json::Map<String, Value>, key: &str| {
            c.get(key).and_then(Value::as_str).is_none_or(str::is_empty)
        };
        if unset(condition, "lastUpdateTime") {
            condition.insert("lastUpdateTime".into(), json!(now));
        }
        if unset(condition, "lastTransitionTime") {
            let before = old
                .iter()
                .find(|o| {
                    o["type"] == condition["type"]
                        && o["status"] == condition["status"]
                        && !o["lastTransitionTime"].as_str().unwrap_or("").is_empty()
                })
                .map(|o| o["lastTransitionTime"].clone());
            condition.insert("lastTransitionTime".into(), before.unwrap_or(json!(now)));
        }
    }
}

/// Go's `%#v` of a `[]byte`: `[]byte(nil)` or `[]byte{0x2d, ...}`.
fn go_bytes(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "[]byte(nil)".into();
    }
    let items: Vec<String> = bytes.iter().map(|b| format!("{b:#x}")).collect();
    format!("[]byte{{{}}}", items.join(", "))
}

/// `validateCertificateSigningRequest`, and on an update `validateCertificateSigningRequestUpdate`
/// for `path` against `old`. What the stored object already got wrong is tolerated, as upstream
/// tolerates it for compatibility.
fn problems(csr: &Value, old: Option<&Value>, path: Path) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let request = bytes_of(csr, "/spec/request");
    if let Err(problem) = request::parse_and_verify(&request) {
        errors.push(FieldError::invalid(
            "spec.request",
            &go_bytes(&request),
            &problem,
        ));
    }
    let usages = strings(csr, "/spec/usages");
    if usages.is_empty() {
        errors.push(FieldError::required("spec.usages", ""));
    }
    let old_usages = old.map(|o| strings(o, "/spec/usages")).unwrap_or_default();
    if !old_usages.iter().any(|u| !USAGES.contains(u)) {
        for (index, usage) in usages.iter().enumerate() {
            if !USAGES.contains(usage) {
                errors.push(FieldError::not_supported(
                    &format!("spec.usages[{index}]"),
                    usage,
                    &USAGES,
                ));
            }
        }
    }
    let has_duplicates = |list: &[&str]| (1..list.len()).any(|i| list[..i].contains(&list[i]));
    if !has_duplicates(&old_usages) {
        for (index, usage) in usages.iter().enumerate() {
            if usages[..index].contains(usage) {
                errors.push(FieldError::duplicate(
                    &format!("spec.usages[{index}]"),
                    &go_quote(usage),
                ));
            }
        }
    }
    let signer = text(csr, "/spec/signerName");
    let legacy_before = old.is_some_and(|o| text(o, "/spec/signerName") == LEGACY_UNKNOWN);
    if signer == LEGACY_UNKNOWN && !legacy_before {
        errors.push(FieldError::invalid(
            "spec.signerName",
            &go_quote(signer),
            "the legacy signerName is not allowed via this API version",
        ));
    } else {
        signer_name(signer, &mut errors);
    }
    if let Some(seconds) = csr.at("/spec/expirationSeconds").and_then(Value::as_i64)
        && seconds < 600
    {
        errors.push(FieldError::invalid(
            "spec.expirationSeconds",
            &seconds.to_string(),
            "may not specify a duration less than 600 seconds (10 minutes)",
        ));
    }
    condition_problems(csr, old, &mut errors);
    let certificate = bytes_of(csr, "/status/certificate");
    let old_certificate = old.map(|o| bytes_of(o, "/status/certificate"));
    let arbitrary_allowed = old_certificate
        .as_ref()
        .is_some_and(|o| *o == certificate || certificate_problem(o).is_some());
    if !arbitrary_allowed && let Some(problem) = certificate_problem(&certificate) {
        errors.push(FieldError::invalid(
            "status.certificate",
            "\"<certificate data>\"",
            &problem,
        ));
    }
    let Some(old) = old else {
        return errors;
    };
    for kind in ["Approved", "Denied", "Failed"] {
        let count = |o: &Value| conditions(o).iter().filter(|c| c["type"] == kind).count();
        if count(csr) < count(old) {
            errors.push(FieldError::forbidden(
                "status.conditions",
                &format!("updates may not remove a condition of type {kind:?}"),
            ));
        } else if path != Path::Approval && kind != "Failed" && count(csr) > count(old) {
            errors.push(FieldError::forbidden(
                "status.conditions",
                &format!("updates may not add a condition of type {kind:?}"),
            ));
        }
    }
    if old_certificate.is_some_and(|o| o != certificate) {
        if path != Path::Status {
            errors.push(FieldError::forbidden(
                "status.certificate",
                "updates may not set certificate content",
            ));
        } else if !bytes_of(old, "/status/certificate").is_empty() {
            errors.push(FieldError::forbidden(
                "status.certificate",
                "updates may not modify existing certificate content",
            ));
        }
    }
    errors
}

/// `validateConditions`: each with a type and an allowed status, Approved and Denied not both,
/// no type twice (each tolerated when the stored object already had it).
fn condition_problems(csr: &Value, old: Option<&Value>, errors: &mut Vec<FieldError>) {
    let old_conditions = old.map(conditions).unwrap_or_default();
    let old_types: Vec<&str> = old_conditions
        .iter()
        .map(|c| c["type"].as_str().unwrap_or(""))
        .collect();
    let allow_both = old_types.contains(&"Approved") && old_types.contains(&"Denied");
    let allow_duplicates = (1..old_types.len()).any(|i| old_types[..i].contains(&old_types[i]));
    let allow_empty = old_types.contains(&"");
    let (mut approved, mut denied) = (false, false);
    let mut seen: Vec<&str> = Vec::new();
    for (index, condition) in conditions(csr).into_iter().enumerate() {
        let at = format!("status.conditions[{index}]");
        let kind = condition["type"].as_str().unwrap_or("");
        if kind.is_empty() && !allow_empty {
            errors.push(FieldError::required(&format!("{at}.type"), ""));
        }
        let allowed: &[&str] = if TRUE_ONLY.contains(&kind) {
            &["True"]
        } else {
            &["False", "True", "Unknown"]
        };
        match condition["status"].as_str().unwrap_or("") {
            "" => errors.push(FieldError::required(&format!("{at}.status"), "")),
            status if !allowed.contains(&status) => errors.push(FieldError::not_supported(
                &format!("{at}.status"),
                status,
                allowed,
            )),
            _ => {}
        }
        if !allow_both {
            let exclusive = match kind {
                "Approved" => {
                    approved = true;
                    denied
                }
                "Denied" => {
                    denied = true;
                    approved
                }
                _ => false,
            };
            if exclusive {
                errors.push(FieldError::invalid(
                    &format!("{at}.type"),
                    &go_quote(kind),
                    "Approved and Denied conditions are mutually exclusive",
                ));
            }
        }
        if !allow_duplicates {
            if seen.contains(&kind) {
                errors.push(FieldError::duplicate(
                    &format!("{at}.type"),
                    &go_quote(kind),
                ));
            }
            seen.push(kind);
        }
    }
}

/// `ValidateSignerName`: `domain/path`, the domain of DNS labels with a dot, the path of
/// subdomains, 571 characters at most.
fn signer_name(signer: &str, errors: &mut Vec<FieldError>) {
    const PATH: &str = "spec.signerName";
    if signer.is_empty() {
        errors.push(FieldError::required(PATH, ""));
        return;
    }
    let segments: Vec<&str> = signer.split('/').collect();
    let [domain, path] = segments[..] else {
        errors.push(FieldError::invalid(
            PATH,
            &go_quote(signer),
            "must be a fully qualified domain and path of the form 'example.com/signer-name'",
        ));
        return;
    };
    if domain.len() > 253 {
        errors.push(FieldError::too_long(PATH, 253));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if let Some(label) = labels.iter().find(|l| !is_dns1123_label(l)) {
        errors.push(FieldError::invalid(
            PATH,
            &go_quote(domain),
            &format!(
                "validating label {label:?}: {}",
                if label.len() > 63 {
                    "must be no more than 63 characters"
                } else {
                    super::validation::DNS1123_LABEL
                }
            ),
        ));
    }
    if labels.len() < 2 {
        errors.push(FieldError::invalid(
            PATH,
            &go_quote(domain),
            "should be a domain with at least two segments separated by dots",
        ));
    }
    let subdomain = |label: &&str| {
        label.len() <= 253 && !label.is_empty() && label.split('.').all(is_dns1123_label)
    };
    // The path's labels are split at dots, so each is one label checked as a subdomain.
    if let Some(label) = path.split('.').find(|l| !subdomain(l)) {
        errors.push(FieldError::invalid(
            PATH,
            &go_quote(path),
            &format!(
                "validating label {label:?}: {}",
                if label.len() > 253 {
                    "must be no more than 253 characters"
                } else {
                    DNS1123_SUBDOMAIN
                }
            ),
        ));
    }
    if signer.len() > 571 {
        errors.push(FieldError::too_long(PATH, 571));
    }
}

/// `validateCertificate`: nothing, or CERTIFICATE blocks only, each a certificate.
fn certificate_problem(pem: &[u8]) -> Option<String> {
    if pem.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(pem);
    let mut blocks = 0;
    let mut rest = text.as_ref();
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = after.find(&end_marker) else {
            break;
        };
        if label != "CERTIFICATE" {
            return Some(format!(
                "only CERTIFICATE PEM blocks are allowed, found {}",
                go_quote(label)
            ));
        }
        let body = &after[label_end + 5..end];
        if body.contains(':') {
            return Some("no PEM block headers are permitted".into());
        }
        let encoded: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap_or_default();
        if !request::looks_like_certificate(&der) {
            return Some("x509: malformed certificate".into());
        }
        blocks += 1;
        rest = &after[end + end_marker.len()..];
    }
    (blocks == 0).then(|| "must contain at least one CERTIFICATE PEM block".into())
}

#[cfg(test)]
mod tests;
