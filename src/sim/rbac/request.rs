//! A request's attributes as the API server's `RequestInfoFactory` reads them from the method,
//! path and query, before routing (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).

use super::{Attributes, Target};

/// A request's attributes, read from its method, path and query as the API server's
/// `RequestInfoFactory` reads them (before routing, so a path nothing serves is judged too):
/// `/api/v1/...` and `/apis/GROUP/VERSION/...` with something after the version are resource
/// requests, anything else a path; a GET of a collection is `list` or `watch`, naming one object
/// when its field selector requires `metadata.name`; a DELETE of one is `deletecollection`.
pub fn attributes(method: &str, path: &str, query: Option<&str>) -> Attributes {
    let non_resource = || Attributes {
        verb: method.to_ascii_lowercase(),
        target: Target::NonResource {
            path: path.to_string(),
        },
    };
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, rest) = match parts.as_slice() {
        ["api", _version, rest @ ..] => ("", rest),
        ["apis", group, _version, rest @ ..] => (*group, rest),
        _ => return non_resource(),
    };
    if rest.is_empty() {
        return non_resource();
    }
    let mut verb = match method {
        "POST" => "create",
        "GET" | "HEAD" => "get",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "",
    }
    .to_string();
    let mut rest = rest;
    if rest.first() == Some(&"watch") {
        verb = "watch".into();
        rest = &rest[1..];
    }
    let mut namespace = "";
    if rest.first() == Some(&"namespaces") && rest.len() > 1 {
        namespace = rest[1];
        if rest.len() > 2 && !matches!(rest[2], "status" | "finalize") {
            rest = &rest[2..];
        }
    }
    let resource = rest.first().copied().unwrap_or("");
    let mut name = rest.get(1).copied().unwrap_or("").to_string();
    let subresource = rest.get(2).copied().unwrap_or("");
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let param = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    if name.is_empty() && verb == "get" {
        verb = if matches!(param("watch"), Some("true" | "1")) {
            "watch".into()
        } else {
            "list".into()
        };
        if let Some(selector) = param("fieldSelector")
            && let Some(exact) = selector.split(',').find_map(|term| {
                let term = term.trim();
                term.strip_prefix("metadata.name==")
                    .or_else(|| term.strip_prefix("metadata.name="))
            })
        {
            name = exact.to_string();
        }
    }
    if name.is_empty() && verb == "delete" {
        verb = "deletecollection".into();
    }
    Attributes {
        verb,
        target: Target::Resource {
            group: group.to_string(),
            resource: resource.to_string(),
            subresource: subresource.to_string(),
            namespace: namespace.to_string(),
            name,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(
        verb: &str,
        group: &str,
        resource: &str,
        sub: &str,
        ns: &str,
        name: &str,
    ) -> Attributes {
        Attributes {
            verb: verb.into(),
            target: Target::Resource {
                group: group.into(),
                resource: resource.into(),
                subresource: sub.into(),
                namespace: ns.into(),
                name: name.into(),
            },
        }
    }

    #[test]
    fn requests_are_read_as_the_api_server_reads_them() {
        assert_eq!(
            attributes("GET", "/api/v1/namespaces/default/secrets", None),
            resource("list", "", "secrets", "", "default", "")
        );
        assert_eq!(
            attributes("GET", "/api/v1/pods", Some("watch=true&resourceVersion=1")),
            resource("watch", "", "pods", "", "", "")
        );
        assert_eq!(
            attributes(
                "GET",
                "/api/v1/namespaces/shop/pods",
                Some("fieldSelector=metadata.name%3Dweb-1&watch=1")
            ),
            resource("watch", "", "pods", "", "shop", "web-1")
        );
        assert_eq!(
            attributes("GET", "/api/v1/namespaces/shop/pods/web-1/log", None),
            resource("get", "", "pods", "log", "shop", "web-1")
        );
        assert_eq!(
            attributes(
                "PATCH",
                "/apis/apps/v1/namespaces/shop/deployments/web/scale",
                None
            ),
            resource("patch", "apps", "deployments", "scale", "shop", "web")
        );
        assert_eq!(
            attributes("DELETE", "/api/v1/namespaces/shop/configmaps", None),
            resource("deletecollection", "", "configmaps", "", "shop", "")
        );
        // A namespace is in itself.
        assert_eq!(
            attributes("GET", "/api/v1/namespaces/shop", None),
            resource("get", "", "namespaces", "", "shop", "shop")
        );
        assert_eq!(
            attributes("PUT", "/api/v1/namespaces/shop/finalize", None),
            resource("update", "", "namespaces", "finalize", "shop", "shop")
        );
        assert_eq!(
            attributes(
                "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                None
            ),
            resource(
                "create",
                "authorization.k8s.io",
                "selfsubjectaccessreviews",
                "",
                "",
                ""
            )
        );
        for path in [
            "/api",
            "/api/v1",
            "/apis",
            "/apis/apps",
            "/apis/apps/v1",
            "/version",
            "/openapi/v3",
        ] {
            assert_eq!(
                attributes("GET", path, None),
                Attributes {
                    verb: "get".into(),
                    target: Target::NonResource { path: path.into() }
                }
            );
        }
    }
}
