//! What the API server does to an object before storing it: checks the envelope, fills in
//! metadata, validates names, applies the defaults of each kind, then validates the result
//! (`sim::validation`).

use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::resource::ResourceType;
use super::state::{Sim, time_text};
use crate::sim::pointer::Pointer;

/// Prepares a new object for `resource` in `namespace` (from the URL), charging it to the
/// namespace's quotas.
pub fn admit_create(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    object: &mut Value,
) -> Result<(), ApiError> {
    admit(sim, resource, namespace, object, false)
}

/// As `admit_create` for a dry run: checked against the quotas, charged to none.
pub fn admit_dry_run_create(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    object: &mut Value,
) -> Result<(), ApiError> {
    admit(sim, resource, namespace, object, true)
}

/// Admission in the API server's order: defaults, the mutating LimitRanger, validation, then
/// the validating LimitRanger and ResourceQuota.
fn admit(
    sim: &Sim,
    resource: &'static ResourceType,
    namespace: Option<&str>,
    object: &mut Value,
    dry_run: bool,
) -> Result<(), ApiError> {
    check_envelope(resource, object)?;
    let metadata = metadata_mut(object);
    let generate_name = metadata
        .get("generateName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut name = metadata
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if name.is_empty() && !generate_name.is_empty() {
        name = format!("{generate_name}{}", sim.with_rng(|r| r.suffix(5)));
        metadata.insert("name".into(), json!(name));
    }
    if name.is_empty() {
        return Err(ApiError::invalid(
            resource,
            "",
            "metadata.name",
            "Required value: name or generateName is required",
        ));
    }
    validate_name(resource, &name)?;
    let body_namespace = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if resource.namespaced {
        let namespace = namespace.unwrap_or("");
        if !body_namespace.is_empty() && body_namespace != namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        metadata.insert("namespace".into(), json!(namespace));
        check_namespace_accepts(sim, resource, namespace, &name)?;
    } else {
        metadata.remove("namespace");
    }
    let now = time_text(sim.now());
    metadata.insert("uid".into(), json!(sim.with_rng(|r| r.uuid())));
    metadata.insert("creationTimestamp".into(), json!(now));
    metadata.remove("resourceVersion");
    metadata.remove("deletionTimestamp");
    metadata.remove("deletionGracePeriodSeconds");
    metadata.remove("managedFields");
    if object.get("spec").is_some()
        || matches!(
            resource.kind,
            "Deployment"
                | "ReplicaSet"
                | "ReplicationController"
                | "StatefulSet"
                | "DaemonSet"
                | "Job"
                | "CronJob"
        )
    {
        metadata_mut(object).insert("generation".into(), json!(1));
    }
    super::priority::admit_create(sim, resource, &name, object)?;
    apply_defaults(sim, resource, object);
    let namespace = namespace.unwrap_or("");
    if resource.namespaced {
        super::limit_ranger::default_pod(sim, resource, namespace, object);
        if resource.group.is_empty() && resource.kind == "Pod" {
            // The QoS class is the pod's once admission has given it its defaults.
            super::pod_defaults::set_qos_class(object);
        }
    }
    super::validation::validate(resource, object)?;
    if resource.namespaced {
        super::limit_ranger::validate(sim, resource, namespace, object, false)?;
        super::quota_admission::admit(sim, resource, namespace, object, None, dry_run)?;
    }
    Ok(())
}

/// `object[field]`, made an object if it is anything else.
pub(super) fn ensure_object<'a>(object: &'a mut Value, field: &str) -> &'a mut Map<String, Value> {
    if !object.get(field).is_some_and(Value::is_object) {
        object[field] = json!({});
    }
    object[field].as_object_mut().expect("just made an object")
}

fn metadata_mut(object: &mut Value) -> &mut Map<String, Value> {
    if !object.get("metadata").is_some_and(Value::is_object) {
        object["metadata"] = json!({});
    }
    object["metadata"]
        .as_object_mut()
        .expect("metadata is an object")
}

/// The body must be an object of this type; `kind` and `apiVersion` are filled in if absent.
pub fn check_envelope(resource: &ResourceType, object: &mut Value) -> Result<(), ApiError> {
    if !object.is_object() {
        return Err(ApiError::bad_request(
            "the body of the request must be a JSON object",
        ));
    }
    let api_version = resource.api_version();
    match object.get("apiVersion").and_then(Value::as_str) {
        Some(given) if given != api_version => {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({given}) does not match the expected API version ({api_version})"
            )));
        }
        _ => object["apiVersion"] = json!(api_version),
    }
    match object.get("kind").and_then(Value::as_str) {
        Some(given) if given != resource.kind => {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({given}) does not match the expected kind ({})",
                resource.kind
            )));
        }
        _ => object["kind"] = json!(resource.kind),
    }
    if object.get("metadata").is_some_and(|m| !m.is_object()) {
        return Err(ApiError::bad_request("metadata: expected an object"));
    }
    if resource.group.is_empty() && resource.kind == "Secret" {
        merge_string_data(object);
    }
    Ok(())
}

/// As the API server converts a Secret on every write: each `stringData` value goes into
/// `data` base64-encoded (over a `data` value of the same key), and `stringData` is not stored.
fn merge_string_data(object: &mut Value) {
    use base64::Engine;
    let Some(fields) = object.as_object_mut() else {
        return;
    };
    let Some(Value::Object(strings)) = fields.remove("stringData") else {
        return;
    };
    let data = fields.entry("data").or_insert_with(|| json!({}));
    if !data.is_object() {
        *data = json!({});
    }
    for (key, value) in strings {
        if let Some(text) = value.as_str() {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            data[key.as_str()] = Value::String(encoded);
        }
    }
}

/// Names are DNS-1123 subdomains (253 characters); a few kinds are stricter labels.
fn validate_name(resource: &ResourceType, name: &str) -> Result<(), ApiError> {
    if resource.group == "rbac.authorization.k8s.io" {
        return validate_path_segment_name(resource, name);
    }
    let label_only = matches!(resource.kind, "Namespace" | "Service");
    let max = if label_only { 63 } else { 253 };
    let valid_part = |part: &str| {
        !part.is_empty()
            && part.len() <= 63
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && part.as_bytes()[0].is_ascii_alphanumeric()
            && part.as_bytes()[part.len() - 1].is_ascii_alphanumeric()
    };
    let valid = name.len() <= max
        && if label_only {
            valid_part(name)
        } else {
            name.split('.').all(valid_part)
        };
    // Events are named `<object>.<hex>`; custom resources may have looser names, but the
    // subdomain rule holds for both.
    if valid {
        return Ok(());
    }
    let rule = if label_only {
        super::validation::DNS1123_LABEL
    } else {
        super::validation::DNS1123_SUBDOMAIN
    };
    Err(ApiError::invalid(
        resource,
        name,
        "metadata.name",
        &format!("Invalid value: \"{name}\": {rule}"),
    ))
}

/// RBAC objects' names only need to be a path segment (`ValidateRBACName`, which is
/// `path.IsValidPathSegmentName`), so `system:discovery` is a name.
fn validate_path_segment_name(resource: &ResourceType, name: &str) -> Result<(), ApiError> {
    let problem = if name == "." || name == ".." {
        Some(format!("may not be '{name}'"))
    } else if name.contains('/') {
        Some("may not contain '/'".to_string())
    } else if name.contains('%') {
        Some("may not contain '%'".to_string())
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(ApiError::invalid(
            resource,
            name,
            "metadata.name",
            &format!("Invalid value: \"{name}\": {problem}"),
        )),
    }
}

/// A namespaced object may only be created in a namespace that exists and is not terminating.
fn check_namespace_accepts(
    sim: &Sim,
    resource: &ResourceType,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    // Events are accepted while a namespace terminates, so that its teardown can be reported.
    let namespaces = sim
        .resource_of("v1", "Namespace")
        .expect("namespaces are served");
    let Some(ns) = sim.store.get(namespaces, "", namespace) else {
        return Err(ApiError::not_found(namespaces, namespace));
    };
    if resource.kind != "Event" && ns.at("/metadata/deletionTimestamp").is_some() {
        let mut error = ApiError::forbidden(format!(
            "{} \"{name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
            resource.qualified_plural()
        ));
        error.details = Some(json!({
            "name": name, "kind": resource.plural,
            "causes": [{"reason": "NamespaceTerminating", "message": format!("namespace {namespace} is being terminated"), "field": "metadata.namespace"}]
        }));
        return Err(error);
    }
    Ok(())
}

/// Kind-specific defaults, as the API server's defaulting functions set them.
/// A Job's labels default to its template's (batch/v1 defaults); then, unless it asks for a
/// manual selector, the API server generates one from the Job's uid and labels the template
/// with it (the job strategy's `generateSelector`), so its pods are found by uid and name.
/// The labels the API server puts on a Job's pod template, from the Job's uid and name.
pub(super) fn job_labels<'a>(uid: &'a str, name: &'a str) -> [(&'static str, &'a str); 4] {
    [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ]
}

fn job_selector(job: &mut Value) {
    let template_labels = job
        .at("/spec/template/metadata/labels")
        .filter(|labels| labels.as_object().is_some_and(|l| !l.is_empty()))
        .cloned();
    let metadata = metadata_mut(job);
    let has_labels = metadata
        .get("labels")
        .and_then(Value::as_object)
        .is_some_and(|l| !l.is_empty());
    if let (Some(labels), false) = (template_labels, has_labels) {
        metadata.insert("labels".into(), labels);
    }
    if job.at("/spec/manualSelector") == Some(&json!(true)) {
        return;
    }
    let uid = job["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let name = job["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let template = ensure_object(
        ensure_object(job, "spec")
            .entry("template")
            .or_insert(json!({})),
        "metadata",
    );
    let labels = template.entry("labels").or_insert(json!({}));
    if !labels.is_object() {
        *labels = json!({});
    }
    for (key, value) in job_labels(&uid, &name) {
        labels[key] = json!(value);
    }
    ensure_object(job, "spec").insert(
        "selector".into(),
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
    );
}

/// `SetDefaults_ReplicationController`: a selector and labels left out (or empty) are the
/// template's labels, one replica unless told.
fn default_replication_controller(object: &mut Value) {
    let template_labels = object
        .at("/spec/template/metadata/labels")
        .filter(|l| l.as_object().is_some_and(|l| !l.is_empty()))
        .cloned();
    let spec = ensure_object(object, "spec");
    spec.entry("replicas").or_insert(json!(1));
    if let Some(labels) = template_labels {
        if spec
            .get("selector")
            .and_then(Value::as_object)
            .is_none_or(|s| s.is_empty())
        {
            spec.insert("selector".into(), labels.clone());
        }
        let metadata = ensure_object(object, "metadata");
        if metadata
            .get("labels")
            .and_then(Value::as_object)
            .is_none_or(|l| l.is_empty())
        {
            metadata.insert("labels".into(), labels);
        }
    }
    super::pod_defaults::default_template(object, "/spec/template");
}

fn apply_defaults(sim: &Sim, resource: &ResourceType, object: &mut Value) {
    match (resource.group, resource.kind) {
        ("", "Namespace") => {
            if object.at("/spec/finalizers").is_none() {
                object["spec"] = json!({"finalizers": ["kubernetes"]});
            }
            object["status"] = json!({"phase": "Active"});
        }
        ("", "Pod") => super::pod_defaults::default_pod(object),
        ("", "PersistentVolumeClaim") => default_claim(sim, object),
        ("scheduling.k8s.io", "PriorityClass") => super::priority::default_class(object),
        ("admissionregistration.k8s.io", kind) => {
            super::webhooks::default(resource.group, kind, object)
        }
        ("", "ResourceQuota") => {
            // Its status is the controller's to count; the limits are kept canonical.
            if let Some(map) = object.as_object_mut() {
                map.remove("status");
            }
            if let Some(hard) = object.at_mut("/spec/hard")
                && hard.is_object()
            {
                let mut canonical = hard.clone();
                for (name, quantity) in crate::model::quota::read_list(Some(hard)) {
                    canonical[name.as_str()] = json!(quantity.to_string());
                }
                *hard = canonical;
            }
        }
        ("", "LimitRange") => crate::model::limit_range::default_items(object),
        ("autoscaling", "HorizontalPodAutoscaler") => {
            // autoscaling/v2's defaults: one replica at least, CPU at 80% when no metric is
            // given.
            let spec = ensure_object(object, "spec");
            spec.entry("minReplicas").or_insert(json!(1));
            let metrics = spec.entry("metrics").or_insert(json!([]));
            if metrics.as_array().is_none_or(Vec::is_empty) {
                *metrics = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]);
            }
        }
        ("", "Service") => {
            let spec = ensure_object(object, "spec");
            spec.entry("type").or_insert(json!("ClusterIP"));
            spec.entry("sessionAffinity").or_insert(json!("None"));
            if spec.get("type").and_then(Value::as_str) != Some("ExternalName")
                && !spec.contains_key("clusterIP")
            {
                let ip = sim.with_rng(|r| format!("10.96.{}.{}", r.below(256), 1 + r.below(254)));
                spec.insert("clusterIP".into(), json!(ip));
                spec.insert("clusterIPs".into(), json!([ip]));
            }
            if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
                for port in ports {
                    if let Some(port) = port.as_object_mut() {
                        port.entry("protocol").or_insert(json!("TCP"));
                        if let Some(p) = port.get("port").cloned() {
                            port.entry("targetPort").or_insert(p);
                        }
                    }
                }
            }
            object
                .as_object_mut()
                .expect("object")
                .entry("status")
                .or_insert(json!({"loadBalancer": {}}));
        }
        ("", "Secret") => {
            object
                .as_object_mut()
                .expect("object")
                .entry("type")
                .or_insert(json!("Opaque"));
        }
        ("apps", "Deployment") => {
            let spec = ensure_object(object, "spec");
            spec.entry("replicas").or_insert(json!(1));
            spec.entry("revisionHistoryLimit").or_insert(json!(10));
            spec.entry("progressDeadlineSeconds").or_insert(json!(600));
            spec.entry("strategy").or_insert(json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}));
            super::pod_defaults::default_template(object, "/spec/template");
        }
        ("apps", "ReplicaSet") | ("apps", "StatefulSet") => {
            ensure_object(object, "spec")
                .entry("replicas")
                .or_insert(json!(1));
            if resource.kind == "StatefulSet" {
                let spec = ensure_object(object, "spec");
                spec.entry("podManagementPolicy")
                    .or_insert(json!("OrderedReady"));
                spec.entry("updateStrategy")
                    .or_insert(json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}));
            }
            super::pod_defaults::default_template(object, "/spec/template");
        }
        ("", "ReplicationController") => default_replication_controller(object),
        ("apps", "DaemonSet") => {
            ensure_object(object, "spec")
                .entry("updateStrategy")
                .or_insert(json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}));
            super::pod_defaults::default_template(object, "/spec/template");
        }
        ("batch", "Job") => {
            let spec = ensure_object(object, "spec");
            spec.entry("parallelism").or_insert(json!(1));
            spec.entry("completions").or_insert(json!(1));
            spec.entry("backoffLimit").or_insert(json!(6));
            spec.entry("completionMode").or_insert(json!("NonIndexed"));
            spec.entry("suspend").or_insert(json!(false));
            super::pod_defaults::default_template(object, "/spec/template");
            if let Some(template) = object
                .at_mut("/spec/template/spec")
                .and_then(Value::as_object_mut)
            {
                template.insert(
                    "restartPolicy".into(),
                    template
                        .get("restartPolicy")
                        .cloned()
                        .filter(|p| p != "Always")
                        .unwrap_or(json!("Never")),
                );
            }
            job_selector(object);
        }
        ("batch", "CronJob") => {
            let spec = ensure_object(object, "spec");
            spec.entry("suspend").or_insert(json!(false));
            spec.entry("concurrencyPolicy").or_insert(json!("Allow"));
            spec.entry("successfulJobsHistoryLimit").or_insert(json!(3));
            spec.entry("failedJobsHistoryLimit").or_insert(json!(1));
            super::pod_defaults::default_template(object, "/spec/jobTemplate/spec/template");
        }
        _ => {}
    }
}

/// A claim's defaults: Filesystem, Pending, and the DefaultStorageClass admission plugin's
/// class when it names none and one class is marked the default.
fn default_claim(sim: &Sim, object: &mut Value) {
    let spec = ensure_object(object, "spec");
    spec.entry("volumeMode").or_insert(json!("Filesystem"));
    if !spec.contains_key("storageClassName")
        && let Some(class) = default_storage_class(sim)
    {
        spec.insert("storageClassName".into(), json!(class));
    }
    object["status"] = json!({"phase": "Pending"});
}

/// The class marked `storageclass.kubernetes.io/is-default-class: "true"` (the newest, when
/// several are, as the plugin picks).
fn default_storage_class(sim: &Sim) -> Option<String> {
    let classes = super::resource::find_built_in("storage.k8s.io", "v1", "storageclasses")?;
    let (all, _, _) = sim.store.list(
        classes,
        None,
        None,
        |c| {
            c.at("/metadata/annotations/storageclass.kubernetes.io~1is-default-class")
                .and_then(Value::as_str)
                == Some("true")
        },
        0,
    );
    all.iter()
        .max_by_key(|c| {
            c.at("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .and_then(|c| c.at("/metadata/name")?.as_str().map(str::to_string))
}
