//! The schemas of the built-in kinds, generated from k8s-openapi's types (the Kubernetes
//! OpenAPI definitions, under the names the API server gives them: `io.k8s.api.core.v1.Pod`),
//! with the extensions the API server adds and k8s-openapi leaves out:
//! `x-kubernetes-group-version-kind` on the kinds and their lists, and the patch tags
//! (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, and the list types they
//! imply) read from the table the simulator's own strategic merge patch reads.
//!
//! References are written `#/definitions/NAME` (OpenAPI v2); `documents` rewrites them for v3.

use k8s_openapi::api::{
    apps, authentication, authorization, batch, coordination, core, policy, rbac,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiextensions;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use crate::model::strategic_merge::PatchTags;
use crate::sim::resource::{BUILT_IN, ResourceType};

/// The definitions of every built-in kind and of the types they reach, by name.
pub type Definitions = Map<String, Value>;

/// A built-in kind's definition name, for the kinds k8s-openapi has (not the metrics).
pub fn definition_name(resource: &ResourceType) -> Option<&'static str> {
    Some(match (resource.group, resource.kind) {
        ("", "Namespace") => "io.k8s.api.core.v1.Namespace",
        ("", "Node") => "io.k8s.api.core.v1.Node",
        ("", "Pod") => "io.k8s.api.core.v1.Pod",
        ("", "Event") => "io.k8s.api.core.v1.Event",
        ("", "Service") => "io.k8s.api.core.v1.Service",
        ("", "Endpoints") => "io.k8s.api.core.v1.Endpoints",
        ("", "ConfigMap") => "io.k8s.api.core.v1.ConfigMap",
        ("", "Secret") => "io.k8s.api.core.v1.Secret",
        ("", "ServiceAccount") => "io.k8s.api.core.v1.ServiceAccount",
        ("", "PersistentVolumeClaim") => "io.k8s.api.core.v1.PersistentVolumeClaim",
        ("", "PersistentVolume") => "io.k8s.api.core.v1.PersistentVolume",
        ("", "ReplicationController") => "io.k8s.api.core.v1.ReplicationController",
        ("", "ComponentStatus") => "io.k8s.api.core.v1.ComponentStatus",
        ("", "ResourceQuota") => "io.k8s.api.core.v1.ResourceQuota",
        ("", "LimitRange") => "io.k8s.api.core.v1.LimitRange",
        ("storage.k8s.io", "StorageClass") => "io.k8s.api.storage.v1.StorageClass",
        ("discovery.k8s.io", "EndpointSlice") => "io.k8s.api.discovery.v1.EndpointSlice",
        ("autoscaling", "HorizontalPodAutoscaler") => {
            "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"
        }
        ("networking.k8s.io", "Ingress") => "io.k8s.api.networking.v1.Ingress",
        ("networking.k8s.io", "IngressClass") => "io.k8s.api.networking.v1.IngressClass",
        ("networking.k8s.io", "NetworkPolicy") => "io.k8s.api.networking.v1.NetworkPolicy",
        ("scheduling.k8s.io", "PriorityClass") => "io.k8s.api.scheduling.v1.PriorityClass",
        ("certificates.k8s.io", "CertificateSigningRequest") => {
            "io.k8s.api.certificates.v1.CertificateSigningRequest"
        }
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration") => {
            "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration"
        }
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration") => {
            "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration"
        }
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy") => {
            "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy"
        }
        ("apps", "Deployment") => "io.k8s.api.apps.v1.Deployment",
        ("apps", "ReplicaSet") => "io.k8s.api.apps.v1.ReplicaSet",
        ("apps", "StatefulSet") => "io.k8s.api.apps.v1.StatefulSet",
        ("apps", "DaemonSet") => "io.k8s.api.apps.v1.DaemonSet",
        ("batch", "Job") => "io.k8s.api.batch.v1.Job",
        ("batch", "CronJob") => "io.k8s.api.batch.v1.CronJob",
        ("policy", "PodDisruptionBudget") => "io.k8s.api.policy.v1.PodDisruptionBudget",
        ("events.k8s.io", "Event") => "io.k8s.api.events.v1.Event",
        ("coordination.k8s.io", "Lease") => "io.k8s.api.coordination.v1.Lease",
        ("rbac.authorization.k8s.io", "Role") => "io.k8s.api.rbac.v1.Role",
        ("rbac.authorization.k8s.io", "RoleBinding") => "io.k8s.api.rbac.v1.RoleBinding",
        ("rbac.authorization.k8s.io", "ClusterRole") => "io.k8s.api.rbac.v1.ClusterRole",
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => {
            "io.k8s.api.rbac.v1.ClusterRoleBinding"
        }
        ("authorization.k8s.io", "SelfSubjectAccessReview") => {
            "io.k8s.api.authorization.v1.SelfSubjectAccessReview"
        }
        ("authorization.k8s.io", "SelfSubjectRulesReview") => {
            "io.k8s.api.authorization.v1.SelfSubjectRulesReview"
        }
        ("authorization.k8s.io", "SubjectAccessReview") => {
            "io.k8s.api.authorization.v1.SubjectAccessReview"
        }
        ("authentication.k8s.io", "SelfSubjectReview") => {
            "io.k8s.api.authentication.v1.SelfSubjectReview"
        }
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"
        }
        _ => return None,
    })
}

/// The definition name of a kind's list (`io.k8s.api.core.v1.PodList`).
pub fn list_name(definition: &str) -> String {
    format!("{definition}List")
}

/// Generates the definitions: each served kind with everything it references, the kinds'
/// lists, and the option and status types every group-version's operations name.
pub fn generate() -> Definitions {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/definitions".into();
        s.meta_schema = None;
    });
    let mut generator = SchemaGenerator::new(settings);
    add::<core::v1::Namespace>(&mut generator);
    add::<core::v1::Node>(&mut generator);
    add::<core::v1::Pod>(&mut generator);
    add::<core::v1::Event>(&mut generator);
    add::<core::v1::Service>(&mut generator);
    add::<core::v1::Endpoints>(&mut generator);
    add::<core::v1::ConfigMap>(&mut generator);
    add::<core::v1::Secret>(&mut generator);
    add::<core::v1::ServiceAccount>(&mut generator);
    add::<core::v1::PersistentVolumeClaim>(&mut generator);
    add::<core::v1::PersistentVolume>(&mut generator);
    add::<core::v1::ReplicationController>(&mut generator);
    add::<core::v1::ComponentStatus>(&mut generator);
    add::<core::v1::ResourceQuota>(&mut generator);
    add::<core::v1::LimitRange>(&mut generator);
    add::<k8s_openapi::api::storage::v1::StorageClass>(&mut generator);
    add::<k8s_openapi::api::discovery::v1::EndpointSlice>(&mut generator);
    add::<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>(&mut generator);
    add::<k8s_openapi::api::networking::v1::Ingress>(&mut generator);
    add::<k8s_openapi::api::networking::v1::IngressClass>(&mut generator);
    add::<k8s_openapi::api::networking::v1::NetworkPolicy>(&mut generator);
    add::<k8s_openapi::api::scheduling::v1::PriorityClass>(&mut generator);
    add::<k8s_openapi::api::certificates::v1::CertificateSigningRequest>(&mut generator);
    add::<k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration>(
        &mut generator,
    );
    add::<k8s_openapi::api::admissionregistration::v1::ValidatingWebhookConfiguration>(
        &mut generator,
    );
    add::<k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy>(&mut generator);
    add::<apps::v1::Deployment>(&mut generator);
    add::<apps::v1::ReplicaSet>(&mut generator);
    add::<apps::v1::StatefulSet>(&mut generator);
    add::<apps::v1::DaemonSet>(&mut generator);
    add::<batch::v1::Job>(&mut generator);
    add::<batch::v1::CronJob>(&mut generator);
    add::<policy::v1::PodDisruptionBudget>(&mut generator);
    add::<k8s_openapi::api::events::v1::Event>(&mut generator);
    add::<coordination::v1::Lease>(&mut generator);
    add::<rbac::v1::Role>(&mut generator);
    add::<rbac::v1::RoleBinding>(&mut generator);
    add::<rbac::v1::ClusterRole>(&mut generator);
    add::<rbac::v1::ClusterRoleBinding>(&mut generator);
    add::<authorization::v1::SelfSubjectAccessReview>(&mut generator);
    add::<authorization::v1::SelfSubjectRulesReview>(&mut generator);
    add::<authorization::v1::SubjectAccessReview>(&mut generator);
    add::<authentication::v1::SelfSubjectReview>(&mut generator);
    add::<apiextensions::CustomResourceDefinition>(&mut generator);
    add::<meta::ListMeta>(&mut generator);
    add::<meta::Status>(&mut generator);
    add::<meta::DeleteOptions>(&mut generator);
    add::<meta::Patch>(&mut generator);
    let mut definitions = generator.take_definitions(false);
    // k8s-openapi's types hold `metadata` as a value, so their schemas require it; the API
    // server's never do (it is `omitempty` in every Go type), and kubectl's validation against
    // them refuses an object written without it (a SelfSubjectAccessReview has none).
    for schema in definitions.values_mut() {
        let Some(schema) = schema.as_object_mut() else {
            continue;
        };
        if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|field| field != "metadata");
            if required.is_empty() {
                schema.remove("required");
            }
        }
    }
    for resource in BUILT_IN {
        let Some(name) = definition_name(resource) else {
            continue;
        };
        let gvk = json!([{
            "group": resource.group,
            "kind": resource.kind,
            "version": resource.version,
        }]);
        if let Some(Value::Object(schema)) = definitions.get_mut(name) {
            schema.insert("x-kubernetes-group-version-kind".into(), gvk.clone());
        }
        // A review is never stored, so it has no list.
        if !resource.review {
            let list = list_definition(resource, name);
            definitions.insert(list_name(name), list);
        }
        annotate_patch_tags(
            &mut definitions,
            name,
            PatchTags::of_kind(resource.group, resource.kind),
        );
    }
    definitions
}

fn add<T: JsonSchema>(generator: &mut SchemaGenerator) {
    generator.subschema_for::<T>();
}

/// A kind's list, as the API server's definitions write it (k8s-openapi has no schema for
/// its generic `List<T>`).
fn list_definition(resource: &ResourceType, item: &str) -> Value {
    json!({
        "description": format!("{}List is a list of {} objects.", resource.kind, resource.kind),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                "type": "string",
            },
            "items": {
                "description": format!("List of {}.", resource.plural),
                "type": "array",
                "items": {"$ref": format!("#/definitions/{item}")},
            },
            "kind": {
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "type": "string",
            },
            "metadata": {
                "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
            },
        },
        "x-kubernetes-group-version-kind": [{
            "group": resource.group,
            "kind": format!("{}List", resource.kind),
            "version": resource.version,
        }],
    })
}

/// The definition a property holds: its `$ref`, or its items' or values' `$ref`.
fn referenced(property: &Value) -> Option<String> {
    let reference = property
        .get("$ref")
        .or_else(|| property.get("items").and_then(|i| i.get("$ref")))?;
    reference
        .as_str()?
        .strip_prefix("#/definitions/")
        .map(str::to_string)
}

/// Writes the patch tags of `name`'s properties, following the tagged structs beneath it.
fn annotate_patch_tags(definitions: &mut Definitions, name: &str, tags: PatchTags) {
    if tags.is_plain() {
        return;
    }
    let mut below = Vec::new();
    let Some(properties) = definitions
        .get_mut(name)
        .and_then(|d| d.get_mut("properties"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (key, property) in properties.iter_mut() {
        let field = tags.field(key);
        let Value::Object(property) = property else {
            continue;
        };
        if let Some(strategy) = field.strategy {
            property.insert("x-kubernetes-patch-strategy".into(), strategy.into());
            let is_list = property.get("type").and_then(Value::as_str) == Some("array");
            if let Some(merge_key) = field.merge_key {
                property.insert("x-kubernetes-patch-merge-key".into(), merge_key.into());
                if is_list {
                    property.insert("x-kubernetes-list-type".into(), "map".into());
                    property.insert(
                        "x-kubernetes-list-map-keys".into(),
                        json!(crate::model::strategic_merge::list_map_keys(merge_key)),
                    );
                }
            } else if is_list && strategy == "merge" {
                property.insert("x-kubernetes-list-type".into(), "set".into());
            }
        }
        if !field.inner.is_plain()
            && let Some(child) = referenced(&Value::Object(property.clone()))
        {
            below.push((child, field.inner));
        }
    }
    for (child, tags) in below {
        annotate_patch_tags(definitions, &child, tags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_carry_their_group_version_kind_and_lists_exist() {
        let definitions = generate();
        let deployment = &definitions["io.k8s.api.apps.v1.Deployment"];
        assert_eq!(
            deployment["x-kubernetes-group-version-kind"],
            json!([{"group": "apps", "kind": "Deployment", "version": "v1"}])
        );
        assert_eq!(
            deployment["properties"]["spec"]["$ref"],
            "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"
        );
        let list = &definitions["io.k8s.api.core.v1.PodList"];
        assert_eq!(
            list["properties"]["items"]["items"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.Pod"
        );
        assert!(definitions.contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        assert!(definitions.contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"));
        // metadata is never required, as in the API server's definitions; other fields are.
        let review = &definitions["io.k8s.api.authorization.v1.SelfSubjectAccessReview"];
        assert_eq!(review["required"], json!(["spec"]));
        assert!(deployment.get("required").is_none());
        assert!(definitions.values().all(|d| {
            !d["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!("metadata")))
        }));
    }

    #[test]
    fn patch_tags_come_from_the_strategic_merge_table() {
        let definitions = generate();
        let containers = &definitions["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(containers["x-kubernetes-list-type"], "map");
        let env = &definitions["io.k8s.api.core.v1.Container"]["properties"]["env"];
        assert_eq!(env["x-kubernetes-patch-merge-key"], "name");
        let volumes = &definitions["io.k8s.api.core.v1.PodSpec"]["properties"]["volumes"];
        assert_eq!(volumes["x-kubernetes-patch-strategy"], "merge,retainKeys");
        let strategy = &definitions["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["strategy"];
        assert_eq!(strategy["x-kubernetes-patch-strategy"], "retainKeys");
        let finalizers = &definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]
            ["finalizers"];
        assert_eq!(finalizers["x-kubernetes-list-type"], "set");
        // Untagged: replaced whole, so no tag.
        let tolerations = &definitions["io.k8s.api.core.v1.PodSpec"]["properties"]["tolerations"];
        assert!(tolerations.get("x-kubernetes-patch-strategy").is_none());
    }
}
