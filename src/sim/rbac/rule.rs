//! One RBAC rule and whether it allows a request, as the API server's RBAC authorizer decides
//! (`RuleAllows` in plugin/pkg/auth/authorizer/rbac/rbac.go and the matchers of
//! pkg/apis/rbac/v1/evaluation_helpers.go).

use serde_json::{Value, json};

use super::Attributes;

/// `*` in verbs, apiGroups and resources; `*` as a non-resource URL.
const ALL: &str = "*";

/// A `PolicyRule`, read leniently from a stored Role or ClusterRole (a field of the wrong type
/// reads as empty, which matches nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

fn strings(value: &Value, field: &str) -> Vec<String> {
    value
        .get(field)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl PolicyRule {
    /// Reads one rule.
    pub fn from_json(rule: &Value) -> Self {
        Self {
            verbs: strings(rule, "verbs"),
            api_groups: strings(rule, "apiGroups"),
            resources: strings(rule, "resources"),
            resource_names: strings(rule, "resourceNames"),
            non_resource_urls: strings(rule, "nonResourceURLs"),
        }
    }

    /// The rules of a Role or ClusterRole.
    pub fn of_role(role: &Value) -> Vec<Self> {
        role.get("rules")
            .and_then(Value::as_array)
            .map(|rules| rules.iter().map(Self::from_json).collect())
            .unwrap_or_default()
    }

    /// The rule as JSON, with Go's `omitempty` (verbs is always written).
    pub fn to_json(&self) -> Value {
        let mut rule = json!({"verbs": self.verbs});
        for (field, values) in [
            ("apiGroups", &self.api_groups),
            ("resources", &self.resources),
            ("resourceNames", &self.resource_names),
            ("nonResourceURLs", &self.non_resource_urls),
        ] {
            if !values.is_empty() {
                rule[field] = json!(values);
            }
        }
        rule
    }

    /// Whether this rule allows the request (`RuleAllows`).
    pub fn allows(&self, attributes: &Attributes) -> bool {
        if !self.verb_matches(&attributes.verb) {
            return false;
        }
        match &attributes.target {
            super::Target::Resource {
                group,
                resource,
                subresource,
                name,
                ..
            } => {
                let combined = if subresource.is_empty() {
                    resource.clone()
                } else {
                    format!("{resource}/{subresource}")
                };
                self.api_group_matches(group)
                    && self.resource_matches(&combined, subresource)
                    && self.resource_name_matches(name)
            }
            super::Target::NonResource { path } => self.non_resource_url_matches(path),
        }
    }

    fn verb_matches(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == ALL || v == verb)
    }

    fn api_group_matches(&self, group: &str) -> bool {
        self.api_groups.iter().any(|g| g == ALL || g == group)
    }

    /// `*`, the resource exactly (`pods/log` for a subresource), or `*/log` for a subresource.
    fn resource_matches(&self, combined: &str, subresource: &str) -> bool {
        self.resources.iter().any(|rule| {
            rule == ALL
                || rule == combined
                || (!subresource.is_empty()
                    && rule
                        .strip_prefix("*/")
                        .is_some_and(|sub| sub == subresource))
        })
    }

    /// No names: any object; else the request must name one of them (a list names none).
    fn resource_name_matches(&self, name: &str) -> bool {
        self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == name)
    }

    /// `*`, the path exactly, or a prefix ending in `*`.
    fn non_resource_url_matches(&self, path: &str) -> bool {
        self.non_resource_urls.iter().any(|rule| {
            rule == ALL
                || rule == path
                || rule
                    .strip_suffix('*')
                    .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Attributes, Target};
    use super::*;

    fn rule(value: Value) -> PolicyRule {
        PolicyRule::from_json(&value)
    }

    fn resource(verb: &str, group: &str, resource: &str, sub: &str, name: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            target: Target::Resource {
                group: group.into(),
                resource: resource.into(),
                subresource: sub.into(),
                namespace: "default".into(),
                name: name.into(),
            },
        }
    }

    fn path(verb: &str, path: &str) -> Attributes {
        Attributes {
            verb: verb.into(),
            target: Target::NonResource { path: path.into() },
        }
    }

    #[test]
    fn verbs_groups_and_resources_match_exactly_or_by_star() {
        let read_pods = rule(
            json!({"verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["pods"]}),
        );
        assert!(read_pods.allows(&resource("list", "", "pods", "", "")));
        assert!(read_pods.allows(&resource("get", "", "pods", "", "web-1")));
        assert!(!read_pods.allows(&resource("delete", "", "pods", "", "web-1")));
        assert!(!read_pods.allows(&resource("list", "apps", "pods", "", "")));
        assert!(!read_pods.allows(&resource("list", "", "secrets", "", "")));
        let everything = rule(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}));
        assert!(everything.allows(&resource("deletecollection", "apps", "deployments", "", "")));
        assert!(everything.allows(&resource("create", "", "pods", "exec", "web-1")));
        // A rule without apiGroups matches no resource request.
        let no_groups = rule(json!({"verbs": ["*"], "resources": ["*"]}));
        assert!(!no_groups.allows(&resource("get", "", "pods", "", "")));
    }

    #[test]
    fn a_subresource_is_matched_as_resource_slash_subresource_or_star_slash_subresource() {
        let pods = rule(json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}));
        assert!(!pods.allows(&resource("get", "", "pods", "log", "web-1")));
        let logs = rule(json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]}));
        assert!(logs.allows(&resource("get", "", "pods", "log", "web-1")));
        assert!(!logs.allows(&resource("get", "", "pods", "", "web-1")));
        let any_status =
            rule(json!({"verbs": ["get"], "apiGroups": ["*"], "resources": ["*/status"]}));
        assert!(any_status.allows(&resource("get", "apps", "deployments", "status", "web")));
        assert!(!any_status.allows(&resource("get", "apps", "deployments", "scale", "web")));
        assert!(!any_status.allows(&resource("get", "apps", "deployments", "", "web")));
    }

    #[test]
    fn resource_names_limit_a_rule_to_named_requests() {
        let one = rule(
            json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["settings"]}),
        );
        assert!(one.allows(&resource("get", "", "configmaps", "", "settings")));
        assert!(!one.allows(&resource("get", "", "configmaps", "", "other")));
        // A list names no object, so a rule with names does not allow it.
        assert!(!one.allows(&resource("list", "", "configmaps", "", "")));
    }

    #[test]
    fn non_resource_urls_match_exactly_by_star_or_by_prefix() {
        let discovery =
            rule(json!({"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/version"]}));
        assert!(discovery.allows(&path("get", "/api")));
        assert!(discovery.allows(&path("get", "/api/v1")));
        assert!(discovery.allows(&path("get", "/version")));
        assert!(!discovery.allows(&path("get", "/version/extra")));
        assert!(!discovery.allows(&path("post", "/api")));
        assert!(!discovery.allows(&path("get", "/apis")));
        let all = rule(json!({"verbs": ["*"], "nonResourceURLs": ["*"]}));
        assert!(all.allows(&path("get", "/metrics")));
        // A non-resource rule allows no resource request, and a resource rule no path.
        assert!(!all.allows(&resource("get", "", "pods", "", "")));
        let pods = rule(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}));
        assert!(!pods.allows(&path("get", "/healthz")));
    }

    #[test]
    fn a_rule_reads_back_as_written() {
        let written =
            json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "pods/log"]});
        assert_eq!(rule(written.clone()).to_json(), written);
        assert_eq!(rule(json!({"verbs": "get"})).verbs, Vec::<String>::new());
    }
}
