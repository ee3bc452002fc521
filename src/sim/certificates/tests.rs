use base64::Engine;
use serde_json::{Value, json};

use super::*;
use crate::sim::resource::find_built_in;

fn requests() -> &'static ResourceType {
    find_built_in("certificates.k8s.io", "v1", "certificatesigningrequests").unwrap()
}

fn request_base64() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "alice");
    let pem = params.serialize_request(&key).unwrap().pem().unwrap();
    base64::engine::general_purpose::STANDARD.encode(pem)
}

fn csr(spec: Value) -> Value {
    json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
        "metadata": {"name": "alice"}, "spec": spec, "status": {}})
}

fn problems_of(object: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(object, &mut errors);
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn a_request_is_validated_in_the_api_servers_words() {
    let good = csr(
        json!({"request": request_base64(), "signerName": KUBE_APISERVER_CLIENT,
        "usages": ["client auth"], "expirationSeconds": 86400}),
    );
    assert!(problems_of(&good).is_empty(), "{:?}", problems_of(&good));
    assert_eq!(
        problems_of(&csr(json!({}))),
        [
            "spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST",
            "spec.usages: Required value",
            "spec.signerName: Required value"
        ]
    );
    let base = |signer: &str| {
        csr(json!({"request": request_base64(), "signerName": signer, "usages": ["client auth"]}))
    };
    assert_eq!(
        problems_of(&base("example")),
        [
            "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'"
        ]
    );
    assert_eq!(
        problems_of(&base("example/signer")),
        [
            "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots"
        ]
    );
    assert_eq!(
        problems_of(&base("kubernetes.io/legacy-unknown")),
        [
            "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version"
        ]
    );
    let mut short = base(KUBE_APISERVER_CLIENT);
    short["spec"]["expirationSeconds"] = json!(60);
    short["spec"]["usages"] = json!(["client auth", "client auth", "flying"]);
    let problems = problems_of(&short);
    assert!(problems.contains(&"spec.usages[1]: Duplicate value: \"client auth\"".to_string()));
    assert!(problems.iter().any(|p| p.starts_with(
        "spec.usages[2]: Unsupported value: \"flying\": supported values: \"any\", \"cert sign\""
    )));
    assert!(problems.contains(
        &"spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)".to_string()
    ));
    // A request's bytes are shown as Go's %#v of a []byte.
    let mut not_pem = base(KUBE_APISERVER_CLIENT);
    not_pem["spec"]["request"] = json!(base64::engine::general_purpose::STANDARD.encode("hi"));
    assert_eq!(
        problems_of(&not_pem),
        [
            "spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST"
        ]
    );
}

#[test]
fn the_requester_is_who_created_it() {
    let mut object = csr(json!({"request": "x", "username": "someone-else", "groups": ["x"]}));
    object["status"] = json!({"conditions": [{"type": "Approved", "status": "True"}]});
    set_requestor(requests(), &UserInfo::admin(), &mut object);
    assert_eq!(object["spec"]["username"], "kubernetes-admin");
    assert_eq!(
        object["spec"]["groups"],
        json!(["system:masters", "system:authenticated"])
    );
    assert_eq!(object["status"], json!({}));
}

#[test]
fn approval_changes_only_the_approval_conditions() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let current = csr(
        json!({"request": request_base64(), "signerName": KUBE_APISERVER_CLIENT,
        "usages": ["client auth"], "username": "alice"}),
    );
    // Approved through /approval: the condition defaulted and stamped.
    let mut approved = current.clone();
    approved["status"] = json!({"conditions": [{"type": "Approved", "reason": "KubectlApprove"}]});
    prepare_update(
        &sim,
        &UserInfo::admin(),
        requests(),
        Some("approval"),
        &current,
        &mut approved,
    )
    .unwrap();
    let condition = &approved["status"]["conditions"][0];
    assert_eq!(condition["status"], "True");
    assert!(condition["lastUpdateTime"].is_string());
    assert!(condition["lastTransitionTime"].is_string());
    // The object's own path cannot approve, nor change the spec.
    let mut sneaky = current.clone();
    sneaky["spec"]["usages"] = json!(["server auth"]);
    sneaky["status"] = approved["status"].clone();
    prepare_update(
        &sim,
        &UserInfo::admin(),
        requests(),
        None,
        &current,
        &mut sneaky,
    )
    .unwrap();
    assert_eq!(sneaky["spec"], current["spec"]);
    assert_eq!(sneaky["status"], current["status"]);
    // Approved and Denied together are refused.
    let mut both = approved.clone();
    both["status"]["conditions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "Denied", "status": "True"}));
    let error = prepare_update(
        &sim,
        &UserInfo::admin(),
        requests(),
        Some("approval"),
        &approved,
        &mut both,
    )
    .unwrap_err();
    assert_eq!(
        error.message,
        "CertificateSigningRequest.certificates.k8s.io \"alice\" is invalid: status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive"
    );
    // The status path cannot take the approval away, nor add one.
    let mut unapproved = approved.clone();
    unapproved["status"] = json!({});
    let error = prepare_update(
        &sim,
        &UserInfo::admin(),
        requests(),
        Some("status"),
        &approved,
        &mut unapproved,
    )
    .unwrap_err();
    assert!(
        error.message.contains(
            "status.conditions: Forbidden: updates may not remove a condition of type \"Approved\""
        ),
        "{}",
        error.message
    );
}

#[test]
fn approving_takes_the_approve_verb_on_the_signer() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let current = csr(
        json!({"request": request_base64(), "signerName": KUBE_APISERVER_CLIENT,
        "usages": ["client auth"]}),
    );
    let mut approved = current.clone();
    approved["status"] = json!({"conditions": [{"type": "Approved"}]});
    let dev = UserInfo::authenticated("dev", Vec::new());
    let error = prepare_update(
        &sim,
        &dev,
        requests(),
        Some("approval"),
        &current,
        &mut approved,
    )
    .unwrap_err();
    assert_eq!(error.code, 403);
    assert_eq!(
        error.message,
        "certificatesigningrequests.certificates.k8s.io \"alice\" is forbidden: user not permitted to approve requests with signerName \"kubernetes.io/kube-apiserver-client\""
    );
}
