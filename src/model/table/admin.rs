//! The columns and rows of the kinds a cluster's administrators read: CertificateSigningRequests,
//! PriorityClasses, ComponentStatuses, the admission webhook configurations and
//! ValidatingAdmissionPolicies (`printCertificateSigningRequest`, `printPriorityClass`,
//! `printComponentStatus`, `printMutatingWebhook`, `printValidatingWebhook`,
//! `printValidatingAdmissionPolicy`).

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::column::{AGE, NAME, Spec};
use super::field::Field;
use super::{Row, age_of, name_of};
use crate::model::duration::human_duration;

/// `certificatesv1beta1.CertificateSigningRequestSpec{}.SwaggerDoc()["signerName"]`.
const CSR_SIGNER_NAME: &str = "Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`.\nIf empty, it will be defaulted:\n 1. If it's a kubelet client certificate, it is assigned\n    \"kubernetes.io/kube-apiserver-client-kubelet\".\n 2. If it's a kubelet serving certificate, it is assigned\n    \"kubernetes.io/kubelet-serving\".\n 3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\nDistribution of trust for signers happens out of band.\nYou can select on this field using `spec.signerName`.";

/// `...SwaggerDoc()["request"]`: upstream describes the Requestor column with the request's
/// documentation.
const CSR_REQUEST: &str = "Base64-encoded PKCS#10 CSR data";

/// `...SwaggerDoc()["expirationSeconds"]`.
const CSR_EXPIRATION_SECONDS: &str = "expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the requested duration\n  3. Signer whose configured minimum is longer than the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes.";

/// `certificatesv1beta1.CertificateSigningRequestStatus{}.SwaggerDoc()["conditions"]`.
const CSR_CONDITIONS: &str = "Conditions applied to the request, such as approval or denial.";

/// `schedulingv1.PriorityClass{}.SwaggerDoc()`'s `value`, `globalDefault`, `preemptionPolicy`.
const PC_VALUE: &str = "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.";
const PC_GLOBAL_DEFAULT: &str = "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.\nOnly one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.";
const PC_PREEMPTION_POLICY: &str = "preemptionPolicy is the Policy for preempting pods with lower priority.\nOne of Never, PreemptLowerPriority.\nDefaults to PreemptLowerPriority if unset.";

const WEBHOOKS: &str = "Webhooks indicates the number of webhooks registered in this configuration";

/// The columns upstream declares for each kind of this module.
pub(super) fn specs(kind: &str) -> Option<Vec<Spec>> {
    let s = |name, type_, description| (name, type_, "", 0, description);
    Some(match kind {
        "CertificateSigningRequest" => vec![
            NAME,
            AGE,
            s("SignerName", "string", CSR_SIGNER_NAME),
            s("Requestor", "string", CSR_REQUEST),
            s("RequestedDuration", "string", CSR_EXPIRATION_SECONDS),
            s("Condition", "string", CSR_CONDITIONS),
        ],
        // PreemptionPolicy is a default column, though its cell is printed only when wide (as the
        // API server always prints).
        "PriorityClass" => vec![
            NAME,
            s("Value", "integer", PC_VALUE),
            s("Global-Default", "boolean", PC_GLOBAL_DEFAULT),
            AGE,
            s("PreemptionPolicy", "string", PC_PREEMPTION_POLICY),
        ],
        "ComponentStatus" => vec![
            NAME,
            s("Status", "string", "Status of the component conditions"),
            s("Message", "string", "Message of the component conditions"),
            s("Error", "string", "Error of the component conditions"),
        ],
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => {
            vec![NAME, s("Webhooks", "integer", WEBHOOKS), AGE]
        }
        "ValidatingAdmissionPolicy" => vec![
            NAME,
            s(
                "Validations",
                "integer",
                "Validations indicates the number of validation rules defined in this configuration",
            ),
            s(
                "ParamKind",
                "string",
                "ParamKind specifies the kind of resources used to parameterize this policy",
            ),
            AGE,
        ],
        _ => return None,
    })
}

/// Prints one object of a kind of this module.
pub(super) fn print(kind: &str, object: &Value, now: Timestamp, wide: bool) -> Option<Row> {
    let cells = match kind {
        "CertificateSigningRequest" => certificate_signing_request(object, now),
        "PriorityClass" => priority_class(object, now, wide),
        "ComponentStatus" => component_status(object),
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => {
            let o = Field::of(object);
            vec![
                name_of(o),
                (o.get("webhooks").len() as i64).into(),
                age_of(o, now),
            ]
        }
        "ValidatingAdmissionPolicy" => validating_admission_policy(object, now),
        _ => return None,
    };
    Some(Row {
        cells,
        conditions: Vec::new(),
    })
}

/// NAME, AGE, SIGNERNAME (`<none>` unset), REQUESTOR (`spec.username`), REQUESTEDDURATION
/// (`spec.expirationSeconds` as a human duration, `<none>` unset), CONDITION.
fn certificate_signing_request(object: &Value, now: Timestamp) -> Vec<Value> {
    let o = Field::of(object);
    let spec = o.get("spec");
    let signer = match spec.get("signerName").str() {
        "" => "<none>",
        signer => signer,
    };
    let duration = match spec.get("expirationSeconds").opt_int() {
        Some(seconds) => human_duration(SignedDuration::from_secs(seconds)),
        None => "<none>".to_string(),
    };
    vec![
        name_of(o),
        age_of(o, now),
        signer.into(),
        spec.get("username").str().into(),
        duration.into(),
        csr_condition(object).into(),
    ]
}

/// `extractCSRStatus`: `Denied`, else `Approved`, else `Pending`; then `,Failed` for a Failed
/// condition and `,Issued` once a certificate is there. A condition counts whatever its status
/// (validation allows only True for these three).
fn csr_condition(object: &Value) -> String {
    let o = Field::of(object);
    let has = |wanted: &str| {
        o.at(&["status", "conditions"])
            .items()
            .any(|c| c.get("type").str() == wanted)
    };
    let mut status = if has("Denied") {
        "Denied"
    } else if has("Approved") {
        "Approved"
    } else {
        "Pending"
    }
    .to_string();
    if has("Failed") {
        status.push_str(",Failed");
    }
    if !o.at(&["status", "certificate"]).str().is_empty() {
        status.push_str(",Issued");
    }
    status
}

/// NAME, VALUE (an integer), GLOBAL-DEFAULT (a boolean), AGE; wide: PREEMPTIONPOLICY (`""`
/// unset).
fn priority_class(object: &Value, now: Timestamp, wide: bool) -> Vec<Value> {
    let o = Field::of(object);
    let mut cells = vec![
        name_of(o),
        o.get("value").int().into(),
        o.get("globalDefault").opt_bool().unwrap_or(false).into(),
        age_of(o, now),
    ];
    if wide {
        cells.push(o.get("preemptionPolicy").str().into());
    }
    cells
}

/// NAME, STATUS (`Healthy` or `Unhealthy` by the Healthy condition, `Unknown` without one), and
/// that condition's MESSAGE and ERROR.
fn component_status(object: &Value) -> Vec<Value> {
    let o = Field::of(object);
    let healthy = o
        .get("conditions")
        .items()
        .find(|c| c.get("type").str() == "Healthy");
    let (status, message, error) = match healthy {
        Some(condition) => (
            if condition.get("status").str() == "True" {
                "Healthy"
            } else {
                "Unhealthy"
            },
            condition.get("message").str(),
            condition.get("error").str(),
        ),
        None => ("Unknown", "", ""),
    };
    vec![name_of(o), status.into(), message.into(), error.into()]
}

/// NAME, VALIDATIONS (how many), PARAMKIND (`apiVersion/kind`, `<unset>` without one), AGE.
fn validating_admission_policy(object: &Value, now: Timestamp) -> Vec<Value> {
    let o = Field::of(object);
    let spec = o.get("spec");
    let param_kind = match spec.get("paramKind").object() {
        Some(_) => format!(
            "{}/{}",
            spec.at(&["paramKind", "apiVersion"]).str(),
            spec.at(&["paramKind", "kind"]).str()
        ),
        None => "<unset>".to_string(),
    };
    vec![
        name_of(o),
        (spec.get("validations").len() as i64).into(),
        param_kind.into(),
        age_of(o, now),
    ]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{Options, cells, columns, print};

    fn now() -> jiff::Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn headers(kind: &str) -> Vec<String> {
        columns(kind)
            .unwrap()
            .iter()
            .filter(|c| c.priority == 0)
            .map(|c| c.name.to_uppercase())
            .collect()
    }

    #[test]
    fn columns_as_kubectl_heads_them() {
        assert_eq!(
            headers("CertificateSigningRequest"),
            [
                "NAME",
                "AGE",
                "SIGNERNAME",
                "REQUESTOR",
                "REQUESTEDDURATION",
                "CONDITION"
            ]
        );
        assert_eq!(
            headers("PriorityClass"),
            ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
        );
        assert_eq!(
            headers("ComponentStatus"),
            ["NAME", "STATUS", "MESSAGE", "ERROR"]
        );
        for kind in [
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ] {
            assert_eq!(headers(kind), ["NAME", "WEBHOOKS", "AGE"]);
        }
        assert_eq!(
            headers("ValidatingAdmissionPolicy"),
            ["NAME", "VALIDATIONS", "PARAMKIND", "AGE"]
        );
    }

    #[test]
    fn certificate_signing_requests() {
        let mut csr = json!({
            "metadata": {"name": "alice", "creationTimestamp": "2025-12-31T23:00:00Z"},
            "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "kubernetes-admin", "expirationSeconds": 86400},
        });
        let row = |csr: &serde_json::Value| cells("CertificateSigningRequest", csr, now()).unwrap();
        assert_eq!(
            row(&csr),
            [
                json!("alice"),
                json!("60m"),
                json!("kubernetes.io/kube-apiserver-client"),
                json!("kubernetes-admin"),
                json!("24h"),
                json!("Pending")
            ]
        );
        csr["status"] = json!({"conditions": [{"type": "Approved", "status": "True"}]});
        assert_eq!(row(&csr)[5], json!("Approved"));
        csr["status"]["certificate"] = json!("LS0tLS1CRUdJTg==");
        assert_eq!(row(&csr)[5], json!("Approved,Issued"));
        csr["status"] = json!({"conditions": [{"type": "Approved"}, {"type": "Failed"}]});
        assert_eq!(row(&csr)[5], json!("Approved,Failed"));
        // Denied takes precedence, as extractCSRStatus orders them.
        csr["status"] = json!({"conditions": [{"type": "Approved"}, {"type": "Denied"}]});
        assert_eq!(row(&csr)[5], json!("Denied"));
        let bare = json!({"metadata": {"name": "x"}, "spec": {}});
        assert_eq!(row(&bare)[2], json!("<none>"));
        assert_eq!(row(&bare)[4], json!("<none>"));
    }

    #[test]
    fn priority_classes_print_the_policy_only_when_wide() {
        let class = json!({
            "metadata": {"name": "system-node-critical", "creationTimestamp": "2025-12-01T00:00:00Z"},
            "value": 2000001000, "preemptionPolicy": "PreemptLowerPriority",
        });
        let row = print("PriorityClass", &class, now(), Options { wide: true }).unwrap();
        assert_eq!(
            row.cells,
            [
                json!("system-node-critical"),
                json!(2000001000),
                json!(false),
                json!("31d"),
                json!("PreemptLowerPriority")
            ]
        );
        let narrow = print("PriorityClass", &class, now(), Options { wide: false }).unwrap();
        assert_eq!(narrow.cells.len(), 4);
    }

    #[test]
    fn component_statuses_and_webhook_configurations() {
        let healthy = json!({"metadata": {"name": "etcd-0"}, "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]});
        assert_eq!(
            cells("ComponentStatus", &healthy, now()).unwrap(),
            [json!("etcd-0"), json!("Healthy"), json!("ok"), json!("")]
        );
        let sick = json!({"metadata": {"name": "scheduler"}, "conditions": [{"type": "Healthy", "status": "False", "error": "connection refused"}]});
        assert_eq!(
            cells("ComponentStatus", &sick, now()).unwrap()[1..],
            [json!("Unhealthy"), json!(""), json!("connection refused")]
        );
        assert_eq!(
            cells("ComponentStatus", &json!({}), now()).unwrap()[1],
            json!("Unknown")
        );
        let hooks = json!({"metadata": {"name": "policy", "creationTimestamp": "2025-12-31T00:00:00Z"}, "webhooks": [{}, {}]});
        assert_eq!(
            cells("ValidatingWebhookConfiguration", &hooks, now()).unwrap(),
            [json!("policy"), json!(2), json!("24h")]
        );
        let policy = json!({"metadata": {"name": "replicas"}, "spec": {"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"}, "validations": [{"expression": "true"}]}});
        assert_eq!(
            cells("ValidatingAdmissionPolicy", &policy, now()).unwrap()[1..3],
            [json!(1), json!("v1/ConfigMap")]
        );
    }
}
