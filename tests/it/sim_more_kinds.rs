//! The simulator's administrative kinds, judged by the real kubectl at default flags and the
//! official Python client: a CertificateSigningRequest approved with `kubectl certificate
//! approve` and issued a certificate the simulator's CA signed (one denied, one refused by
//! validation); PriorityClasses resolving a pod's priority (an unknown class refused in the
//! admission plugin's words); ComponentStatuses with their deprecation warning; webhook
//! configurations stored and validated; each in `api-resources` with its short name.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;

use crate::support;
use support::kubectl::Cluster;

/// A CSR manifest asking `signer` for a certificate for `key` under `name`, with `usages`.
fn csr_manifest(name: &str, key: &rcgen::KeyPair, signer: &str, usages: &str) -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "dev");
    let pem = params.serialize_request(key).unwrap().pem().unwrap();
    let request = base64::engine::general_purpose::STANDARD.encode(pem);
    format!(
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n  request: {request}\n  signerName: {signer}\n  expirationSeconds: 86400\n  usages: [{usages}]\n"
    )
}

/// The DER of the first PEM block of `pem`.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM")
}

fn condition(c: &Cluster, name: &str) -> String {
    c.kubectl(&["get", "csr", name])
        .ok()
        .table()
        .row("NAME", name)
        .get("CONDITION")
        .to_string()
}

#[test]
fn a_certificate_signing_request_is_approved_and_issued_by_the_clusters_ca() {
    let c = Cluster::start();
    let key = rcgen::KeyPair::generate().unwrap();
    let manifest = csr_manifest(
        "alice",
        &key,
        "kubernetes.io/kube-apiserver-client",
        "client auth",
    );
    c.kubectl_stdin(&["create", "-f", "-"], manifest.as_bytes())
        .ok()
        .stdout_has("certificatesigningrequest.certificates.k8s.io/alice created");
    let table = c.kubectl(&["get", "csr"]).ok().table();
    assert_eq!(
        table.headers,
        [
            "NAME",
            "AGE",
            "SIGNERNAME",
            "REQUESTOR",
            "REQUESTEDDURATION",
            "CONDITION"
        ]
    );
    let row = table.row("NAME", "alice");
    assert_eq!(row.get("SIGNERNAME"), "kubernetes.io/kube-apiserver-client");
    // The requester is who created it, whatever the manifest says.
    assert_eq!(row.get("REQUESTOR"), "kubernetes-admin");
    assert_eq!(row.get("REQUESTEDDURATION"), "24h");
    assert_eq!(row.get("CONDITION"), "Pending");

    c.kubectl(&["certificate", "approve", "alice"])
        .ok()
        .stdout_has("certificatesigningrequest.certificates.k8s.io/alice approved");
    c.wait_for("alice issued", Duration::from_secs(20), || {
        let shown = condition(&c, "alice");
        (shown == "Approved,Issued").then_some(()).ok_or(shown)
    });
    let approval = c
        .kubectl(&[
            "get",
            "csr",
            "alice",
            "-o",
            "jsonpath={.status.conditions[0].type} {.status.conditions[0].reason} {.status.conditions[0].status}",
        ])
        .ok()
        .stdout;
    assert_eq!(approval, "Approved KubectlApprove True");

    // A real certificate: for our key, a client certificate the cluster's CA vouches for.
    let encoded = c
        .kubectl(&[
            "get",
            "csr",
            "alice",
            "-o",
            "jsonpath={.status.certificate}",
        ])
        .ok()
        .stdout;
    let pem = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .unwrap(),
    )
    .unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    let certificate = pem_der(&pem);
    let public_key = key.public_key_raw();
    assert!(
        certificate
            .windows(public_key.len())
            .any(|w| w == public_key),
        "the certificate carries the request's key"
    );
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(pem_der(&c.sim().ca_pem).into())
        .expect("the CA is a certificate");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
    verifier
        .verify_client_cert(&certificate.into(), &[], rustls::pki_types::UnixTime::now())
        .expect("a client certificate signed by the cluster's CA");

    // Denied, and then not approvable; a usage the signer does not issue fails the request.
    let bob = csr_manifest(
        "bob",
        &key,
        "kubernetes.io/kube-apiserver-client",
        "client auth",
    );
    c.kubectl_stdin(&["create", "-f", "-"], bob.as_bytes()).ok();
    c.kubectl(&["certificate", "deny", "bob"])
        .ok()
        .stdout_has("certificatesigningrequest.certificates.k8s.io/bob denied");
    assert_eq!(condition(&c, "bob"), "Denied");
    c.kubectl(&["certificate", "approve", "bob"])
        .fails()
        .stderr_has("certificate signing request \"bob\" is already Denied");
    let carol = csr_manifest(
        "carol",
        &key,
        "kubernetes.io/kube-apiserver-client",
        "server auth",
    );
    c.kubectl_stdin(&["create", "-f", "-"], carol.as_bytes())
        .ok();
    c.kubectl(&["certificate", "approve", "carol"]).ok();
    c.wait_for("carol failed", Duration::from_secs(20), || {
        let shown = condition(&c, "carol");
        (shown == "Approved,Failed").then_some(()).ok_or(shown)
    });

    // Validation in the API server's words.
    let empty = "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: empty}\nspec: {signerName: example, usages: [client auth]}\n";
    c.kubectl_stdin(&["create", "-f", "-"], empty.as_bytes())
        .fails()
        .stderr_has("spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST")
        .stderr_has("spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'");
}

#[test]
fn priority_classes_give_pods_their_priority() {
    let c = Cluster::start();
    let classes = c.kubectl(&["get", "pc"]).ok().table();
    assert_eq!(
        classes.headers,
        ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
    );
    let critical = classes.row("NAME", "system-cluster-critical");
    assert_eq!(critical.get("VALUE"), "2000000000");
    assert_eq!(critical.get("GLOBAL-DEFAULT"), "false");
    assert_eq!(critical.get("PREEMPTIONPOLICY"), "PreemptLowerPriority");
    assert_eq!(
        classes.row("NAME", "system-node-critical").get("VALUE"),
        "2000001000"
    );

    let pod = |name: &str, namespace: &str, class: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  priorityClassName: {class}\n  containers: [{{name: c, image: busybox, command: [sleep, '3600']}}]\n"
        )
    };
    c.kubectl_stdin(&["apply", "-f", "-"], pod("x", "default", "foo").as_bytes())
        .fails()
        .stderr_has("pods \"x\" is forbidden: no PriorityClass with name foo was found");
    c.kubectl_stdin(
        &["apply", "-f", "-"],
        pod("critical", "kube-system", "system-cluster-critical").as_bytes(),
    )
    .ok();
    let priority = c
        .kubectl(&[
            "get",
            "pod",
            "critical",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.spec.priority} {.spec.preemptionPolicy}",
        ])
        .ok()
        .stdout;
    assert_eq!(priority, "2000000000 PreemptLowerPriority");
    // The seeded control plane runs at the node-critical priority.
    let seeded = c
        .kubectl(&[
            "get",
            "pod",
            "etcd-cp-1",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.spec.priority}",
        ])
        .ok()
        .stdout;
    assert_eq!(seeded, "2000001000");

    // kubectl's typed client creates one; the system classes stay.
    c.kubectl(&["create", "priorityclass", "batch-low", "--value=100"])
        .ok();
    c.kubectl_stdin(
        &["apply", "-f", "-"],
        pod("low", "default", "batch-low").as_bytes(),
    )
    .ok();
    let low = c
        .kubectl(&["get", "pod", "low", "-o", "jsonpath={.spec.priority}"])
        .ok()
        .stdout;
    assert_eq!(low, "100");
    c.kubectl(&["delete", "pc", "system-node-critical"])
        .fails()
        .stderr_has("this is a system priority class and cannot be deleted");
}

#[test]
fn component_statuses_are_healthy_and_deprecated() {
    let c = Cluster::start();
    let run = c.kubectl(&["get", "cs"]).ok();
    run.stderr_has("Warning: v1 ComponentStatus is deprecated in v1.19+");
    let table = run.table();
    assert_eq!(table.headers, ["NAME", "STATUS", "MESSAGE", "ERROR"]);
    for component in ["scheduler", "controller-manager", "etcd-0"] {
        let row = table.row("NAME", component);
        assert_eq!(row.get("STATUS"), "Healthy");
        assert_eq!(row.get("MESSAGE"), "ok");
    }
    assert_eq!(table.rows.len(), 3);
    c.kubectl(&["delete", "cs", "scheduler"]).fails();
}

#[test]
fn webhook_configurations_are_stored_and_validated_but_never_called() {
    let c = Cluster::start();
    let webhook = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: pod-policy.example.com}\nwebhooks:\n- name: pod-policy.example.com\n  rules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Namespaced}]\n  clientConfig: {service: {namespace: example, name: example}}\n  admissionReviewVersions: [v1]\n  sideEffects: None\n";
    c.kubectl_stdin(&["apply", "-f", "-"], webhook.as_bytes())
        .ok();
    let table = c
        .kubectl(&["get", "validatingwebhookconfigurations"])
        .ok()
        .table();
    assert_eq!(table.headers, ["NAME", "WEBHOOKS", "AGE"]);
    assert_eq!(
        table.row("NAME", "pod-policy.example.com").get("WEBHOOKS"),
        "1"
    );
    let defaults = c
        .kubectl(&[
            "get",
            "validatingwebhookconfiguration",
            "pod-policy.example.com",
            "-o",
            "jsonpath={.webhooks[0].failurePolicy} {.webhooks[0].timeoutSeconds} {.webhooks[0].clientConfig.service.port}",
        ])
        .ok()
        .stdout;
    assert_eq!(defaults, "Fail 10 443");
    // The webhook is not called: pods are created as before.
    c.kubectl(&["run", "unhooked", "--image=busybox", "--", "sleep", "60"])
        .ok();
    let missing = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: inject}\nwebhooks:\n- name: inject.example.com\n  clientConfig: {url: 'https://inject.example.com/mutate'}\n";
    c.kubectl_stdin(&["create", "-f", "-"], missing.as_bytes())
        .fails()
        .stderr_has(
            "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
        )
        .stderr_has(
            "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
        );
    c.kubectl(&[
        "delete",
        "validatingwebhookconfiguration",
        "pod-policy.example.com",
    ])
    .ok();
}

#[test]
fn api_resources_lists_them_and_the_cluster_dumps() {
    let c = Cluster::start();
    let resources = c.kubectl(&["api-resources"]).ok().table();
    for (name, short, version) in [
        (
            "certificatesigningrequests",
            "csr",
            "certificates.k8s.io/v1",
        ),
        ("priorityclasses", "pc", "scheduling.k8s.io/v1"),
        ("componentstatuses", "cs", "v1"),
        (
            "mutatingwebhookconfigurations",
            "",
            "admissionregistration.k8s.io/v1",
        ),
        (
            "validatingwebhookconfigurations",
            "",
            "admissionregistration.k8s.io/v1",
        ),
    ] {
        let row = resources.row("NAME", name);
        assert_eq!(row.get("SHORTNAMES"), short, "{name}");
        assert_eq!(row.get("APIVERSION"), version, "{name}");
        assert_eq!(row.get("NAMESPACED"), "false", "{name}");
    }
    c.kubectl(&["cluster-info", "dump"]).ok();
}

#[test]
fn the_python_client_reads_them() {
    let c = Cluster::start();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "python");
    let pem = params.serialize_request(&key).unwrap().pem().unwrap();
    let request = base64::engine::general_purpose::STANDARD.encode(pem);
    let result = crate::python_client::run_fixture(
        &c,
        "python_client_admin_kinds.py",
        &["system-node-critical", &request],
    );
    assert_eq!(result["priority"], 2000001000, "{result}");
    assert_eq!(
        result["preemption_policy"], "PreemptLowerPriority",
        "{result}"
    );
    assert_eq!(result["csr_requestor"], "kubernetes-admin", "{result}");
    assert_eq!(
        result["csr_signer"], "kubernetes.io/kube-apiserver-client",
        "{result}"
    );
    assert_eq!(result["component_statuses"], 3, "{result}");
}

/// Every kind the simulator added for unmodified clients, listed and described by kubectl as on
/// a real cluster: each describer finds what it reads (a class's provisioner, a volume's claim, a
/// policy's rules, a slice's endpoints, a binding's subjects, a webhook's clients).
#[test]
fn each_added_kind_is_listed_and_described() {
    let c = Cluster::start();
    c.kubectl(&[
        "create",
        "role",
        "pod-reader",
        "-n",
        "shop",
        "--verb=get,list",
        "--resource=pods",
    ])
    .ok();
    c.kubectl(&[
        "create",
        "rolebinding",
        "read-pods",
        "-n",
        "shop",
        "--role=pod-reader",
        "--user=alice",
    ])
    .ok();
    let webhook = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: inject}\nwebhooks:\n- name: inject.example.com\n  clientConfig: {url: 'https://inject.example.com/mutate'}\n  admissionReviewVersions: [v1]\n  sideEffects: None\n";
    c.kubectl_stdin(&["apply", "-f", "-"], webhook.as_bytes())
        .ok();
    let validating = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: policy}\nwebhooks:\n- name: policy.example.com\n  clientConfig: {service: {namespace: example, name: example}}\n  admissionReviewVersions: [v1]\n  sideEffects: None\n";
    c.kubectl_stdin(&["apply", "-f", "-"], validating.as_bytes())
        .ok();
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = csr_manifest(
        "bob",
        &key,
        "kubernetes.io/kube-apiserver-client",
        "client auth",
    );
    c.kubectl_stdin(&["apply", "-f", "-"], csr.as_bytes()).ok();
    // (kind, namespace, a name `get` lists, lines its description holds)
    let kinds: [(&str, &str, &str, &[&str]); 14] = [
        (
            "storageclass",
            "",
            "standard",
            &[
                "IsDefaultClass:        Yes",
                "Provisioner:           rancher.io/local-path",
            ],
        ),
        (
            "persistentvolumeclaim",
            "data-infra",
            "data-cache-1",
            &["Status:        Bound", "StorageClass:  ceph-block"],
        ),
        (
            "ingressclass",
            "",
            "nginx",
            &["Controller:   k8s.io/ingress-nginx"],
        ),
        (
            "networkpolicy",
            "payments",
            "allow-from-shop",
            &["PodSelector:     app=payments-api", "To Port: 8080/TCP"],
        ),
        (
            "ingress",
            "shop",
            "storefront",
            &["Ingress Class:    nginx", "shop.example.com"],
        ),
        (
            "priorityclass",
            "",
            "system-node-critical",
            &["Value:             2000001000"],
        ),
        ("componentstatus", "", "etcd-0", &["Type:     Healthy"]),
        (
            "certificatesigningrequest",
            "",
            "bob",
            &["Signer:", "kubernetes.io/kube-apiserver-client"],
        ),
        (
            "role",
            "shop",
            "pod-reader",
            &["pods       []                 []              [get list]"],
        ),
        (
            "rolebinding",
            "shop",
            "read-pods",
            &["Name:  pod-reader", "User  alice"],
        ),
        ("clusterrole", "", "view", &["configmaps"]),
        (
            "clusterrolebinding",
            "",
            "cluster-admin",
            &["Kind:  ClusterRole", "Name:  cluster-admin"],
        ),
        (
            "validatingwebhookconfiguration",
            "",
            "policy",
            &[
                "Kind:         ValidatingWebhookConfiguration",
                "Failure Policy:  Fail",
            ],
        ),
        (
            "mutatingwebhookconfiguration",
            "",
            "inject",
            &[
                "Kind:         MutatingWebhookConfiguration",
                "https://inject.example.com/mutate",
            ],
        ),
    ];
    for (kind, namespace, name, lines) in kinds {
        let mut args = vec!["get", kind];
        if namespace.is_empty() {
            args.push("-A");
        } else {
            args.extend(["-n", namespace]);
        }
        let listed = c.kubectl(&args).ok();
        assert!(
            // A default class reads `standard (default)`.
            listed
                .table()
                .find("NAME", |n| n.split(' ').next() == Some(name))
                .is_some(),
            "{kind} {name} not listed:\n{}",
            listed.stdout
        );
        let mut args = vec!["describe", kind, name];
        if !namespace.is_empty() {
            args.extend(["-n", namespace]);
        }
        let described = c.kubectl(&args).ok();
        described.stdout_has("Name:").stdout_has(name);
        for line in lines {
            described.stdout_has(line);
        }
    }
    // The PersistentVolume bound to that claim, found from the claim, and its EndpointSlices by
    // their Service's label.
    let volume = c
        .kubectl(&[
            "get",
            "pvc",
            "data-cache-1",
            "-n",
            "data-infra",
            "-o",
            "jsonpath={.spec.volumeName}",
        ])
        .ok()
        .stdout;
    c.kubectl(&["describe", "pv", &volume])
        .ok()
        .stdout_has("Claim:           data-infra/data-cache-1")
        .stdout_has("Status:          Bound");
    c.kubectl(&[
        "describe",
        "endpointslices",
        "-n",
        "shop",
        "-l",
        "kubernetes.io/service-name=cart",
    ])
    .ok()
    .stdout_has("AddressType:  IPv4")
    .stdout_has("http  8080  TCP");
}
