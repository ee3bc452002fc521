//! The real kubectl at its default flags against the simulator's OpenAPI documents and field
//! validation: `--validate=strict` (the default) asks the v3 document whether the server
//! validates fields, then sends `fieldValidation=Strict`; `explain` reads the schemas;
//! client-side apply computes its patches from the patch tags.

use crate::support;

use support::kubectl::Cluster;

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: oa-web
  labels: {app: oa-web}
spec:
  replicas: 2
  selector: {matchLabels: {app: oa-web}}
  template:
    metadata: {labels: {app: oa-web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        env: [{name: MODE, value: one}, {name: KEEP, value: kept}]
";

const POD_WITH_UNKNOWN_FIELD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: oa-unknown
spec:
  containers:
  - name: c
    image: nginx
    colour: red
";

fn jsonpath(c: &Cluster, args: &[&str], path: &str) -> String {
    let expression = format!("jsonpath={path}");
    let mut all = args.to_vec();
    all.extend(["-o", &expression]);
    c.kubectl(&all).ok().stdout
}

#[test]
fn create_apply_twice_and_replace_work_at_default_flags() {
    let c = Cluster::start();
    let file = c.write_kubeconfig("deployment.yaml", DEPLOYMENT);
    let file = file.to_str().unwrap();
    c.kubectl(&["create", "-f", file])
        .ok()
        .stdout_has("deployment.apps/oa-web created");
    c.kubectl(&["delete", "-f", file]).ok();
    c.kubectl(&["apply", "-f", file])
        .ok()
        .stdout_has("deployment.apps/oa-web created");
    // Someone else scales it and adds an env var of their own; the second apply changes the
    // file's value and drops nothing it did not own (three-way merge, env merged by name).
    c.kubectl(&[
        "patch",
        "deployment",
        "oa-web",
        "--type=strategic",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"OTHER","value":"theirs"}]}]}}}}"#,
    ])
    .ok();
    let changed = DEPLOYMENT.replace("value: one", "value: two");
    let file = c.write_kubeconfig("deployment.yaml", &changed);
    let file = file.to_str().unwrap();
    c.kubectl(&["apply", "-f", file])
        .ok()
        .stdout_has("deployment.apps/oa-web configured");
    let env = jsonpath(
        &c,
        &["get", "deployment", "oa-web"],
        "{range .spec.template.spec.containers[0].env[*]}{.name}={.value} {end}",
    );
    assert_eq!(
        env.trim(),
        "OTHER=theirs MODE=two KEEP=kept",
        "env after the second apply"
    );
    // `replace` reads the deployment's resourceVersion and sends it back with the file: while
    // the rollout the apply began is still moving, its status changes in between and the API
    // server answers Conflict, as it would on any cluster. Replace once it has settled.
    c.kubectl(&["rollout", "status", "deployment/oa-web", "--timeout=60s"])
        .ok();
    let replaced = changed.replace("replicas: 2", "replicas: 3");
    let file = c.write_kubeconfig("deployment.yaml", &replaced);
    c.kubectl(&["replace", "-f", file.to_str().unwrap()])
        .ok()
        .stdout_has("deployment.apps/oa-web replaced");
    assert_eq!(
        jsonpath(&c, &["get", "deployment", "oa-web"], "{.spec.replicas}"),
        "3"
    );
}

#[test]
fn unknown_fields_are_refused_by_name_or_warned_about() {
    let c = Cluster::start();
    let file = c.write_kubeconfig("pod.yaml", POD_WITH_UNKNOWN_FIELD);
    let file = file.to_str().unwrap();
    c.kubectl(&["create", "-f", file]).fails().stderr_has(
        r#"Error from server (BadRequest): error when creating "#,
    ).stderr_has(
        r#"Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].colour""#,
    );
    c.kubectl(&["apply", "-f", file])
        .fails()
        .stderr_has(r#"strict decoding error: unknown field "spec.containers[0].colour""#);
    // Warn: created, the field named in a warning and dropped, as decoding drops it.
    c.kubectl(&["create", "-f", file, "--validate=warn"])
        .ok()
        .stdout_has("pod/oa-unknown created")
        .stderr_has(r#"Warning: unknown field "spec.containers[0].colour""#);
    let container = jsonpath(&c, &["get", "pod", "oa-unknown"], "{.spec.containers[0]}");
    assert!(!container.contains("colour"), "{container}");
}

#[test]
fn edit_validates_as_apply_does() {
    let c = Cluster::start();
    let file = c.write_kubeconfig("deployment.yaml", DEPLOYMENT);
    c.kubectl(&["apply", "-f", file.to_str().unwrap()]).ok();
    let editor = |name: &str, sed: &str| {
        let path = c.write_kubeconfig(name, &format!("#!/bin/sh\nsed -i '{sed}' \"$1\"\n"));
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        path.to_str().unwrap().to_string()
    };
    let scale = editor("scale.sh", "s/replicas: 2/replicas: 4/");
    c.kubectl_env(
        &[("KUBE_EDITOR", &scale)],
        &["edit", "deployment", "oa-web"],
    )
    .ok()
    .stdout_has("deployment.apps/oa-web edited");
    assert_eq!(
        jsonpath(&c, &["get", "deployment", "oa-web"], "{.spec.replicas}"),
        "4"
    );
    let bogus = editor("bogus.sh", r"s/^spec:/spec:\n  bogus: 1/");
    c.kubectl_env(
        &[("KUBE_EDITOR", &bogus)],
        &["edit", "deployment", "oa-web"],
    )
    .fails()
    .stderr_has(r#"strict decoding error: unknown field "spec.bogus""#);
}

#[test]
fn explain_reads_the_schemas() {
    let c = Cluster::start();
    let run = c.kubectl(&["explain", "pods.spec.containers"]).ok();
    for line in [
        "KIND:       Pod",
        "VERSION:    v1",
        "FIELD: containers <[]Container>",
        "    List of containers belonging to the pod. Containers cannot currently be",
        "  image\t<string>",
        "  name\t<string> -required-",
        "  ports\t<[]ContainerPort>",
    ] {
        run.stdout_has(line);
    }
    c.kubectl(&["explain", "deployment.spec"])
        .ok()
        .stdout_has("GROUP:      apps")
        .stdout_has("FIELD: spec <DeploymentSpec>")
        .stdout_has("  template\t<PodTemplateSpec> -required-");
    c.kubectl(&["explain", "pods", "--recursive"])
        .ok()
        .stdout_has("      containerPort\t<integer> -required-");
}

const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.oa.example.com
spec:
  group: oa.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties:
              size: {type: integer, description: How big.}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
";

#[test]
fn custom_resources_are_explained_and_validated_from_their_schema() {
    let c = Cluster::start();
    let file = c.write_kubeconfig("crd.yaml", CRD);
    c.kubectl(&["apply", "-f", file.to_str().unwrap()]).ok();
    c.kubectl(&["explain", "widgets.spec"])
        .ok()
        .stdout_has("GROUP:      oa.example.com")
        .stdout_has("  size\t<integer>");
    let widget = "apiVersion: oa.example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 2, extra: {anything: {goes: 1}}}
";
    let file = c.write_kubeconfig("widget.yaml", widget);
    c.kubectl(&["apply", "-f", file.to_str().unwrap()])
        .ok()
        .stdout_has("widget.oa.example.com/w created");
    let bad = widget.replace("size: 2", "size: 2, colour: red");
    let file = c.write_kubeconfig("widget.yaml", &bad);
    c.kubectl(&["apply", "-f", file.to_str().unwrap()])
        .fails()
        .stderr_has(r#"unknown field "spec.colour""#);
}

const REVIEW: &str = "apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
spec:
  resourceAttributes: {verb: list, resource: pods, namespace: shop}
";

#[test]
fn a_kind_without_a_patch_operation_is_validated_against_the_v2_document_in_protobuf() {
    let c = Cluster::start();
    // The v3 document has no PATCH for a review, so kubectl asks /openapi/v2, in protobuf only,
    // then validates the review (no metadata, as a review is written) against it.
    let file = c.write_kubeconfig("review.yaml", REVIEW);
    let file = file.to_str().unwrap();
    let run = c
        .kubectl(&["create", "-f", file, "-o", "jsonpath={.status.allowed}"])
        .ok();
    assert_eq!(run.stdout, "true", "{run}");
    // An unknown field in it is refused by that validation, by name.
    let wrong = c.write_kubeconfig(
        "wrong-review.yaml",
        &REVIEW.replace("spec:", "spec:\n  colour: red"),
    );
    c.kubectl(&["create", "-f", wrong.to_str().unwrap()])
        .fails()
        .stderr_has(
            "unknown field \"colour\" in io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec",
        );
    // explain reads the same document when asked for its v2 output.
    c.kubectl(&[
        "explain",
        "pods.spec.containers.ports",
        "--output=plaintext-openapiv2",
    ])
    .ok()
    .stdout_has("RESOURCE: ports <[]Object>")
    .stdout_has("   containerPort\t<integer> -required-");
}
