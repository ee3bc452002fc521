//! The operations of a resource type as the API server's OpenAPI documents list them: each
//! path with its verbs, each operation with its `x-kubernetes-group-version-kind` and query
//! parameters. kubectl reads the PATCH operation's parameters to learn whether the server does
//! field validation (`fieldValidation`), and so whether to send `?fieldValidation=Strict`.
//! Written once in a neutral form and rendered as v2 (Swagger) or v3.

use serde_json::{Map, Value, json};

use crate::sim::resource::ResourceType;

/// Which OpenAPI version a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2,
    V3,
}

impl Version {
    /// Where definitions live in this version's documents.
    pub fn reference(self, name: &str) -> String {
        match self {
            Version::V2 => format!("#/definitions/{name}"),
            Version::V3 => format!("#/components/schemas/{name}"),
        }
    }
}

/// A query or path parameter: name, where, type, description.
struct Parameter(&'static str, &'static str, &'static str, &'static str);

const NAME: Parameter = Parameter("name", "path", "string", "name of the object");
const NAMESPACE: Parameter = Parameter(
    "namespace",
    "path",
    "string",
    "object name and auth scope, such as for teams and projects",
);
const PRETTY: Parameter = Parameter(
    "pretty",
    "query",
    "string",
    "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
);
const DRY_RUN: Parameter = Parameter(
    "dryRun",
    "query",
    "string",
    "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
);
const FIELD_MANAGER: Parameter = Parameter(
    "fieldManager",
    "query",
    "string",
    "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
);
const FIELD_VALIDATION: Parameter = Parameter(
    "fieldValidation",
    "query",
    "string",
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
);
const FORCE: Parameter = Parameter(
    "force",
    "query",
    "boolean",
    "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.",
);
const LIST: &[Parameter] = &[
    Parameter(
        "allowWatchBookmarks",
        "query",
        "boolean",
        "allowWatchBookmarks requests watch events with type \"BOOKMARK\".",
    ),
    Parameter(
        "continue",
        "query",
        "string",
        "The continue option should be set when retrieving more results from the server.",
    ),
    Parameter(
        "fieldSelector",
        "query",
        "string",
        "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
    ),
    Parameter(
        "labelSelector",
        "query",
        "string",
        "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
    ),
    Parameter(
        "limit",
        "query",
        "integer",
        "limit is a maximum number of responses to return for a list call.",
    ),
    Parameter(
        "resourceVersion",
        "query",
        "string",
        "resourceVersion sets a constraint on what resource versions a request may be served from.",
    ),
    Parameter(
        "resourceVersionMatch",
        "query",
        "string",
        "resourceVersionMatch determines how resourceVersion is applied to list calls.",
    ),
    Parameter(
        "sendInitialEvents",
        "query",
        "boolean",
        "`sendInitialEvents=true` may be set together with `watch=true`.",
    ),
    Parameter(
        "timeoutSeconds",
        "query",
        "integer",
        "Timeout for the list/watch call.",
    ),
    Parameter(
        "watch",
        "query",
        "boolean",
        "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.",
    ),
];
const DELETE: &[Parameter] = &[
    DRY_RUN,
    Parameter(
        "gracePeriodSeconds",
        "query",
        "integer",
        "The duration in seconds before the object should be deleted.",
    ),
    Parameter(
        "propagationPolicy",
        "query",
        "string",
        "Whether and how garbage collection will be performed.",
    ),
];

impl Parameter {
    fn render(&self, version: Version) -> Value {
        let Parameter(name, place, kind, description) = *self;
        let mut parameter = json!({"name": name, "in": place, "description": description});
        if place == "path" {
            parameter["required"] = true.into();
        }
        let mut schema = json!({"type": kind});
        if place == "query" || place == "path" {
            schema["uniqueItems"] = true.into();
        }
        match version {
            Version::V2 => {
                for (key, value) in schema.as_object().into_iter().flatten() {
                    parameter[key] = value.clone();
                }
            }
            Version::V3 => parameter["schema"] = schema,
        }
        parameter
    }
}

/// One operation: its id, action, body and answer.
struct Operation<'a> {
    id: String,
    action: &'static str,
    parameters: &'a [Parameter],
    body: Option<Body>,
    answer: String,
}

/// What an operation's body is: an object of a definition, or a patch.
enum Body {
    Object(String),
    Patch,
}

const PATCH_TYPES: &[&str] = &[
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
];
const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

/// The patch types a kind's PATCH takes: a custom resource takes no strategic merge patch
/// (kubectl's apply reads this list to choose between one and a merge patch).
fn patch_types(resource: &ResourceType) -> &'static [&'static str] {
    if resource.is_built_in() {
        PATCH_TYPES
    } else {
        &PATCH_TYPES[..3]
    }
}

impl Operation<'_> {
    fn render(&self, version: Version, resource: &ResourceType) -> Value {
        let mut parameters: Vec<Value> =
            self.parameters.iter().map(|p| p.render(version)).collect();
        let mut operation = json!({
            "description": format!("{} {}", self.action, resource.kind),
            "operationId": self.id,
            "tags": [tag(resource)],
            "x-kubernetes-action": self.action,
            "x-kubernetes-group-version-kind": {
                "group": resource.group,
                "kind": resource.kind,
                "version": resource.version,
            },
        });
        let answer = json!({"$ref": version.reference(&self.answer)});
        match version {
            Version::V2 => {
                if let Some(body) = &self.body {
                    let schema = match body {
                        Body::Object(name) => json!({"$ref": version.reference(name)}),
                        Body::Patch => json!({"$ref": version.reference(PATCH)}),
                    };
                    parameters.insert(
                        0,
                        json!({"name": "body", "in": "body", "required": true, "schema": schema}),
                    );
                }
                if matches!(self.body, Some(Body::Patch)) {
                    operation["consumes"] = json!(patch_types(resource));
                } else {
                    operation["consumes"] = json!(["*/*"]);
                }
                operation["produces"] = json!([
                    "application/json",
                    "application/yaml",
                    "application/vnd.kubernetes.protobuf"
                ]);
                operation["responses"] = json!({
                    "200": {"description": "OK", "schema": answer},
                    "401": {"description": "Unauthorized"},
                });
            }
            Version::V3 => {
                match &self.body {
                    Some(Body::Object(name)) => {
                        operation["requestBody"] = json!({
                            "content": {"*/*": {"schema": {"$ref": version.reference(name)}}},
                            "required": true,
                        });
                    }
                    Some(Body::Patch) => {
                        let content: Map<String, Value> = patch_types(resource)
                            .iter()
                            .map(|t| {
                                let schema = json!({"schema": {"$ref": version.reference(PATCH)}});
                                ((*t).to_string(), schema)
                            })
                            .collect();
                        operation["requestBody"] = json!({"content": content, "required": true});
                    }
                    None => {}
                }
                operation["responses"] = json!({
                    "200": {"description": "OK", "content": {"application/json": {"schema": answer}}},
                    "401": {"description": "Unauthorized"},
                });
            }
        }
        operation["parameters"] = parameters.into();
        operation
    }
}

/// `coreV1`, `appsV1`, `eventsV1` (the first part of a group's name), as operation ids start.
fn tag(resource: &ResourceType) -> String {
    let group = if resource.group.is_empty() {
        "core"
    } else {
        resource.group.split('.').next().unwrap_or(resource.group)
    };
    let mut words = String::new();
    for (i, part) in group.split('-').chain([resource.version]).enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                words.push(first.to_ascii_lowercase());
            } else {
                words.push(first.to_ascii_uppercase());
            }
            words.extend(chars);
        }
    }
    words
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The paths of a resource type: its collection, an object, and its status (or approval) when it
/// has one.
/// `definition` names the kind's schema, `list` its list's.
pub fn resource_paths(
    version: Version,
    resource: &ResourceType,
    definition: &str,
    list: &str,
) -> Map<String, Value> {
    let prefix = if resource.group.is_empty() {
        format!("/api/{}", resource.version)
    } else {
        format!("/apis/{}/{}", resource.group, resource.version)
    };
    let (base, scope) = if resource.namespaced {
        (
            format!("{prefix}/namespaces/{{namespace}}/{}", resource.plural),
            "Namespaced",
        )
    } else {
        (format!("{prefix}/{}", resource.plural), "")
    };
    let id = |verb: &str, suffix: &str| {
        format!(
            "{verb}{}{scope}{}{suffix}",
            capitalised(&tag(resource)),
            resource.kind
        )
    };
    let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    let write = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
    let patch = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];
    let mut paths = Map::new();
    let path_parameters = |named: bool| {
        let mut parameters = Vec::new();
        if named {
            parameters.push(NAME.render(version));
        }
        if resource.namespaced {
            parameters.push(NAMESPACE.render(version));
        }
        parameters.push(PRETTY.render(version));
        Value::Array(parameters)
    };
    let mut collection = json!({"parameters": path_parameters(false)});
    let create = || {
        Operation {
            id: id("create", ""),
            action: "post",
            parameters: &write,
            body: Some(Body::Object(definition.into())),
            answer: definition.into(),
        }
        .render(version, resource)
    };
    // A review is only created: the API server serves no other operation for it.
    if resource.review {
        collection["post"] = create();
        paths.insert(base, collection);
        return paths;
    }
    if resource.writable {
        collection["post"] = create();
        collection["delete"] = Operation {
            id: id("deleteCollection", ""),
            action: "deletecollection",
            parameters: DELETE,
            body: None,
            answer: status.into(),
        }
        .render(version, resource);
    }
    collection["get"] = Operation {
        id: id("list", ""),
        action: "list",
        parameters: LIST,
        body: None,
        answer: list.into(),
    }
    .render(version, resource);
    paths.insert(base.clone(), collection);
    // GET, and for what may be written PUT and PATCH, of an object or of its status: the same
    // operations but for their ids.
    let read_write = |path: &mut Value, suffix: &str, writable: bool| {
        path["get"] = Operation {
            id: id("read", suffix),
            action: "get",
            parameters: &[],
            body: None,
            answer: definition.into(),
        }
        .render(version, resource);
        if writable {
            path["put"] = Operation {
                id: id("replace", suffix),
                action: "put",
                parameters: &write,
                body: Some(Body::Object(definition.into())),
                answer: definition.into(),
            }
            .render(version, resource);
            path["patch"] = Operation {
                id: id("patch", suffix),
                action: "patch",
                parameters: &patch,
                body: Some(Body::Patch),
                answer: definition.into(),
            }
            .render(version, resource);
        }
    };
    let mut object = json!({"parameters": path_parameters(true)});
    read_write(&mut object, "", resource.writable);
    if resource.writable {
        object["delete"] = Operation {
            id: id("delete", ""),
            action: "delete",
            parameters: DELETE,
            body: None,
            answer: status.into(),
        }
        .render(version, resource);
    }
    paths.insert(format!("{base}/{{name}}"), object);
    // The subresources that read and write the whole object: its status, and a
    // CertificateSigningRequest's approval.
    for sub in ["status", "approval"] {
        if resource.writable && resource.subresources.contains(&sub) {
            let mut sub_path = json!({"parameters": path_parameters(true)});
            read_write(&mut sub_path, &capitalised(sub), true);
            paths.insert(format!("{base}/{{name}}/{sub}"), sub_path);
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::resource::find_built_in;

    #[test]
    fn the_patch_operation_names_its_kind_and_takes_field_validation() {
        let pods = find_built_in("", "v1", "pods").unwrap();
        let paths = resource_paths(
            Version::V3,
            pods,
            "io.k8s.api.core.v1.Pod",
            "io.k8s.api.core.v1.PodList",
        );
        let patch = &paths["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"];
        assert_eq!(patch["operationId"], "patchCoreV1NamespacedPod");
        assert_eq!(
            patch["x-kubernetes-group-version-kind"],
            json!({"group": "", "kind": "Pod", "version": "v1"})
        );
        let names: Vec<&str> = patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["dryRun", "fieldManager", "fieldValidation", "force"]
        );
        assert_eq!(patch["parameters"][2]["schema"]["type"], "string");
        let deployments = find_built_in("apps", "v1", "deployments").unwrap();
        let v2 = resource_paths(Version::V2, deployments, "D", "DL");
        let create = &v2["/apis/apps/v1/namespaces/{namespace}/deployments"]["post"];
        assert_eq!(create["operationId"], "createAppsV1NamespacedDeployment");
        assert_eq!(create["parameters"][0]["schema"]["$ref"], "#/definitions/D");
        assert_eq!(create["parameters"][3]["name"], "fieldValidation");
        assert_eq!(create["parameters"][3]["type"], "string");
    }
}
