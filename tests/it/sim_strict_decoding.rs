//! Keys a JSON body repeats, under each `fieldValidation`, as the API server's strict decoding
//! reports them: the body sent as written by the real kubectl's `create --raw` and `replace
//! --raw` (its other commands decode a manifest first, which keeps one of each key), and
//! patches sent by the official Python client's connection. Under Strict a 400 naming every
//! repeated and unknown field in the decoder's order (a JSON or merge patch's the 422 on
//! `patch`), under Warn (the default) a `Warning` each and the last value kept, under Ignore
//! nothing said.

use crate::python_client::run_fixture;
use crate::support;
use support::kubectl::Cluster;

/// A Deployment repeating `spec.replicas` and a container's image, with an unknown field
/// between them.
const DEPLOYMENT: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},"spec":{"replicas":1,"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},"template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"web","image":"nginx","colour":"red","image":"nginx:1.27"}]}}}}"#;

fn deployment(name: &str) -> String {
    DEPLOYMENT.replace("NAME", name)
}

fn create_raw(c: &Cluster, validation: Option<&str>, body: &str) -> support::kubectl::Run {
    let mut path = "/apis/apps/v1/namespaces/default/deployments".to_string();
    if let Some(validation) = validation {
        path.push_str(&format!("?fieldValidation={validation}"));
    }
    c.kubectl_stdin(&["create", "--raw", &path, "-f", "-"], body.as_bytes())
}

#[test]
fn repeated_keys_are_refused_under_strict_warned_about_by_default_and_ignored_when_asked() {
    let c = Cluster::start();
    create_raw(&c, Some("Strict"), &deployment("strict"))
        .fails()
        .stderr_has(
            r#"Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "spec.replicas", unknown field "spec.template.spec.containers[0].colour", duplicate field "spec.template.spec.containers[0].image""#,
        );
    c.kubectl(&["get", "deployment", "strict"]).fails();

    // Warn, the default: stored with the last of each, every field named in a warning.
    let warned = create_raw(&c, None, &deployment("warned")).ok();
    warned
        .stderr_has(r#"Warning: duplicate field "spec.replicas""#)
        .stderr_has(r#"Warning: unknown field "spec.template.spec.containers[0].colour""#)
        .stderr_has(r#"Warning: duplicate field "spec.template.spec.containers[0].image""#);
    let stored = c
        .kubectl(&[
            "get",
            "deployment",
            "warned",
            "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}",
        ])
        .ok();
    assert_eq!(stored.stdout, "2 nginx:1.27", "{stored}");

    let ignored = create_raw(&c, Some("Ignore"), &deployment("ignored")).ok();
    assert!(!ignored.stderr.contains("Warning"), "{ignored}");

    // A PUT is decoded as a POST is.
    let replaced = deployment("warned").replace(
        r#""metadata":{"name":"warned"}"#,
        r#""metadata":{"name":"warned","labels":{"tier":"a","tier":"b"}}"#,
    );
    c.kubectl_stdin(
        &[
            "replace",
            "--raw",
            "/apis/apps/v1/namespaces/default/deployments/warned?fieldValidation=Strict",
            "-f",
            "-",
        ],
        replaced.as_bytes(),
    )
    .fails()
    .stderr_has(r#"strict decoding error: duplicate field "metadata.labels.tier", duplicate field "spec.replicas""#);
}

#[test]
fn a_patch_repeating_a_key_is_refused_as_its_type_is_or_warned_about() {
    let c = Cluster::start();
    c.kubectl(&["create", "configmap", "dup", "--from-literal=k=v"])
        .ok();
    let result = run_fixture(&c, "python_client_duplicate_fields.py", &["default", "dup"]);
    let case = |name: &str| &result[name];
    // A strategic merge patch: a 400 with the decoder's words.
    assert_eq!(case("strategic_strict")["status"], 400, "{result}");
    assert_eq!(
        case("strategic_strict")["message"],
        r#"strict decoding error: duplicate field "metadata.labels.tier""#,
        "{result}"
    );
    // A merge or JSON patch: the 422 on `patch`, with the patched object (NewInvalid of no
    // kind and no name, as the handler makes it).
    assert_eq!(case("merge_strict")["status"], 422, "{result}");
    let message = case("merge_strict")["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with(r#" "" is invalid: patch: Invalid value: "{"#)
            && message
                .ends_with(r#": strict decoding error: duplicate field "metadata.labels.tier""#),
        "{message}"
    );
    assert_eq!(case("json_strict")["status"], 422, "{result}");
    let message = case("json_strict")["message"].as_str().unwrap_or("");
    assert!(
        message.ends_with(r#": strict decoding error: json patch duplicate field "[0].op""#),
        "{message}"
    );
    // Warn: patched with the last value, and a warning.
    assert_eq!(case("merge_warn")["status"], 200, "{result}");
    assert_eq!(case("merge_warn")["labels"]["tier"], "b", "{result}");
    assert_eq!(
        case("merge_warn")["warnings"],
        serde_json::json!([r#"299 - "duplicate field \"metadata.labels.tier\"""#]),
        "{result}"
    );
    assert_eq!(case("merge_ignore")["status"], 200, "{result}");
    assert_eq!(
        case("merge_ignore")["warnings"],
        serde_json::json!([]),
        "{result}"
    );
    // Nothing refused was written.
    let data = c
        .kubectl(&["get", "configmap", "dup", "-o", "jsonpath={.data.k}"])
        .ok();
    assert_eq!(data.stdout, "v", "{data}");
}
