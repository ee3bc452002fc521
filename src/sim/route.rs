//! Which API endpoint a request path names.

use super::registry::Registry;
use super::resource::ResourceType;

/// A request for objects of one type (and maybe one object, and maybe a subresource).
#[derive(Debug, Clone)]
pub struct ResourceRoute {
    pub resource: &'static ResourceType,
    /// Set for namespaced requests (`/namespaces/{ns}/...`).
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

/// The endpoints the simulator serves.
#[derive(Debug, Clone)]
pub enum Route {
    Version,
    Health,
    /// `/api`
    CoreVersions,
    /// `/apis`
    Groups,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1` or `/apis/{group}/{version}`
    Resources {
        group: String,
        version: String,
    },
    Resource(ResourceRoute),
    /// `/openapi/v2`, `/openapi/v3` and `/openapi/v3/{group-version path}`.
    OpenApi(super::openapi::Document),
}

/// Reads a path (without the query). `None` for paths nothing is served at.
pub fn route(path: &str, registry: &Registry) -> Option<Route> {
    let segments: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match segments.as_slice() {
        ["version"] => Some(Route::Version),
        ["healthz" | "livez" | "readyz"] => Some(Route::Health),
        ["api"] => Some(Route::CoreVersions),
        ["apis"] => Some(Route::Groups),
        ["openapi", "v2"] => Some(Route::OpenApi(super::openapi::Document::V2)),
        ["openapi", "v3"] => Some(Route::OpenApi(super::openapi::Document::V3Index)),
        ["openapi", "v3", rest @ ..] => {
            Some(Route::OpenApi(super::openapi::Document::V3(rest.join("/"))))
        }
        ["api", "v1"] => Some(Route::Resources {
            group: String::new(),
            version: "v1".into(),
        }),
        ["apis", group] => Some(Route::Group((*group).to_string())),
        ["apis", group, version] => Some(Route::Resources {
            group: (*group).to_string(),
            version: (*version).to_string(),
        }),
        ["api", "v1", rest @ ..] => resource_route("", "v1", rest, registry),
        ["apis", group, version, rest @ ..] => resource_route(group, version, rest, registry),
        _ => None,
    }
}

fn resource_route(group: &str, version: &str, rest: &[&str], registry: &Registry) -> Option<Route> {
    let find = |plural: &str| registry.find(group, version, plural);
    let route = |resource, namespace: Option<&str>, name: Option<&str>, sub: Option<&str>| {
        Some(Route::Resource(ResourceRoute {
            resource,
            namespace: namespace.map(str::to_string),
            name: name.map(str::to_string),
            subresource: sub.map(str::to_string),
        }))
    };
    match rest {
        // `/namespaces/{ns}/{plural}[/{name}[/{sub}]]` for namespaced types...
        ["namespaces", namespace, plural, tail @ ..]
            if find(plural).is_some_and(|r| r.namespaced) =>
        {
            let resource = find(plural)?;
            match tail {
                [] => route(resource, Some(namespace), None, None),
                [name] => route(resource, Some(namespace), Some(name), None),
                [name, sub] => route(resource, Some(namespace), Some(name), Some(sub)),
                _ => None,
            }
        }
        // ...while `/namespaces/{name}[/{sub}]` is the Namespace object itself.
        [plural, tail @ ..] => {
            let resource = find(plural)?;
            match tail {
                [] => route(resource, None, None, None),
                [name] if !resource.namespaced => route(resource, None, Some(name), None),
                [name, sub] if !resource.namespaced && resource.subresources.contains(sub) => {
                    route(resource, None, Some(name), Some(sub))
                }
                _ => None,
            }
        }
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(path: &str) -> (String, Option<String>, Option<String>, Option<String>) {
        let registry = Registry::new();
        match route(path, &registry) {
            Some(Route::Resource(r)) => (
                r.resource.qualified_plural(),
                r.namespace,
                r.name,
                r.subresource,
            ),
            other => panic!("{path}: {other:?}"),
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn paths() {
        assert_eq!(resource("/api/v1/pods"), ("pods".into(), None, None, None));
        assert_eq!(
            resource("/api/v1/namespaces/shop/pods"),
            ("pods".into(), s("shop"), None, None)
        );
        assert_eq!(
            resource("/api/v1/namespaces/shop/pods/web/log"),
            ("pods".into(), s("shop"), s("web"), s("log"))
        );
        assert_eq!(
            resource("/api/v1/namespaces"),
            ("namespaces".into(), None, None, None)
        );
        assert_eq!(
            resource("/api/v1/namespaces/shop"),
            ("namespaces".into(), None, s("shop"), None)
        );
        assert_eq!(
            resource("/api/v1/namespaces/shop/finalize"),
            ("namespaces".into(), None, s("shop"), s("finalize"))
        );
        assert_eq!(
            resource("/api/v1/nodes/n1/status"),
            ("nodes".into(), None, s("n1"), s("status"))
        );
        assert_eq!(
            resource("/apis/apps/v1/namespaces/shop/deployments/web/scale"),
            ("deployments.apps".into(), s("shop"), s("web"), s("scale"))
        );
        assert_eq!(
            resource("/apis/apps/v1/deployments"),
            ("deployments.apps".into(), None, None, None)
        );
        let registry = Registry::new();
        assert!(route("/api/v1/namespaces/shop/widgets", &registry).is_none());
        assert!(
            route("/api/v1/pods/web", &registry).is_none(),
            "namespaced objects need a namespace"
        );
        assert!(route("/apis/apps/v2/deployments", &registry).is_none());
        assert!(matches!(route("/apis/apps", &registry), Some(Route::Group(g)) if g == "apps"));
        assert!(matches!(route("/version", &registry), Some(Route::Version)));
    }
}
