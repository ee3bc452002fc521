use serde_json::{Value, json};

use super::*;
use crate::sim::resource::find_built_in;

fn pods() -> &'static ResourceType {
    find_built_in("", "v1", "pods").expect("pods")
}

fn deployments() -> &'static ResourceType {
    find_built_in("apps", "v1", "deployments").expect("deployments")
}

fn body_error(resource: &ResourceType, object: Value) -> Option<String> {
    check_body(resource, object.to_string().as_bytes(), &object)
        .err()
        .map(|e| {
            assert_eq!((e.code, e.reason), (400, "BadRequest"), "{e:?}");
            e.message
        })
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

#[test]
fn a_wrongly_typed_body_is_the_decoders_400() {
    assert_eq!(
        body_error(
            pods(),
            pod(json!({"containers": [{"name": "c", "image": "i"}]}))
        ),
        None
    );
    let cases = [
        (
            pods(),
            pod(json!("x")),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec",
        ),
        (
            pods(),
            pod(json!({"containers": "x"})),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
        ),
        (
            pods(),
            pod(json!({"containers": ["x"]})),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container",
        ),
        (
            pods(),
            pod(json!({"containers": [{"name": 5}]})),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string",
        ),
        (
            pods(),
            pod(json!({"restartPolicy": 1})),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy",
        ),
        (
            pods(),
            pod(json!({"containers": [{"resources": {"limits": {"cpu": "lots"}}}]})),
            "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        (
            pods(),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": "x"}}),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string",
        ),
        (
            pods(),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": 1}}}),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
        ),
        (
            deployments(),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": "three"}}),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            deployments(),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": "x"}}),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.template of type v1.PodTemplateSpec",
        ),
        (
            deployments(),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": 3000000000_i64}}),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            pods(),
            json!({"apiVersion": "v1", "kind": 5, "metadata": {"name": "p"}}),
            "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({\"apiVersion\":\"v1\",\"kind\":5,\"m ...)",
        ),
    ];
    for (resource, object, message) in cases {
        assert_eq!(
            body_error(resource, object.clone()).as_deref(),
            Some(message),
            "{object}"
        );
    }
}

#[test]
fn a_secrets_data_must_be_base64() {
    let secrets = find_built_in("", "v1", "secrets").expect("secrets");
    let secret = |data: Value| json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": data});
    assert_eq!(body_error(secrets, secret(json!({"a": "aGk="}))), None);
    assert_eq!(
        body_error(secrets, secret(json!({"a": "not base64!"}))).as_deref(),
        Some(
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3"
        )
    );
}

#[test]
fn a_custom_resource_has_only_its_metadata_typed() {
    let registry = crate::sim::registry::Registry::new();
    registry.add_definition(&json!({
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                 "scope": "Namespaced", "versions": [{"name": "v1", "served": true, "storage": true}]}
    }));
    let widgets = registry
        .find_kind("example.com/v1", "Widget")
        .expect("the CRD's type");
    let widget = |metadata: Value| json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": metadata, "spec": "anything"});
    assert_eq!(body_error(widgets, widget(json!({"name": "w"}))), None);
    assert_eq!(
        body_error(widgets, widget(json!({"name": "w", "labels": "x"}))).as_deref(),
        Some(
            "Widget in version \"v1\" cannot be handled as a Widget: json: cannot unmarshal string into Go struct field ObjectMeta.labels of type map[string]string"
        )
    );
}

fn patch_error(
    resource: &ResourceType,
    patch_type: PatchType,
    patch: Value,
    patched: Value,
) -> (String, Value) {
    let error = check_patched(resource, patch_type, patch.to_string().as_bytes(), &patched)
        .expect_err("the patched object does not decode");
    assert_eq!((error.code, error.reason), (422, "Invalid"), "{error:?}");
    (error.message, error.details.expect("details"))
}

#[test]
fn a_patch_that_leaves_a_wrong_type_is_invalid() {
    let patched =
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": "x"});
    let (message, details) = patch_error(
        pods(),
        PatchType::Merge,
        json!({"spec": "x"}),
        patched.clone(),
    );
    let value = r#""{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":\"x\"}""#;
    let cause = format!(
        "Invalid value: {value}: json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec"
    );
    assert_eq!(message, format!(" \"\" is invalid: patch: {cause}"));
    assert_eq!(
        details,
        json!({"causes": [{"reason": "FieldValueInvalid", "message": cause, "field": "patch"}]})
    );

    let (message, _) = patch_error(
        pods(),
        PatchType::StrategicMerge,
        json!({"spec": "x"}),
        patched,
    );
    assert_eq!(
        message,
        " \"\" is invalid: patch: Invalid value: \"map[spec:x]\": cannot restore struct from: string"
    );

    let patched = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": "three"}});
    let (message, _) = patch_error(
        deployments(),
        PatchType::StrategicMerge,
        json!({"spec": {"replicas": "three"}}),
        patched,
    );
    assert_eq!(
        message,
        " \"\" is invalid: patch: Invalid value: \"map[spec:map[replicas:three]]\": unrecognized type: int32"
    );

    let patched =
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": "x"}});
    let (message, _) = patch_error(
        pods(),
        PatchType::StrategicMerge,
        json!({"metadata": {"labels": "x"}}),
        patched,
    );
    assert_eq!(
        message,
        " \"\" is invalid: patch: Invalid value: \"map[metadata:map[labels:x]]\": cannot restore map from string"
    );
}
