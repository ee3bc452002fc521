//! A resource the API server serves (custom resources included), as discovery names it, and
//! which of them a user's word (`po`, `deploy`, `cephclusters.ceph.rook.io`) names, resolved
//! as kubectl resolves it.

/// One listable, watchable resource in the preferred version of its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub short_names: Vec<String>,
    pub namespaced: bool,
    pub verbs: Vec<String>,
}

impl ResourceInfo {
    /// `v1` or `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `pods` or `cephclusters.ceph.rook.io`: the resource named without ambiguity.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// Whether Kubernetes serves this kind itself (its strategic merge keys are known), as
    /// opposed to a custom resource.
    pub fn is_built_in(&self) -> bool {
        is_built_in_group(&self.group)
    }

    /// Every word that names this resource on its own: plural, singular, short names, the kind
    /// in lower case, and `plural.group`. Lower case, without repeats.
    pub fn names(&self) -> Vec<String> {
        let mut names = vec![self.plural.to_lowercase(), self.singular.to_lowercase()];
        names.extend(self.short_names.iter().map(|s| s.to_lowercase()));
        names.push(self.kind.to_lowercase());
        if !self.group.is_empty() {
            names.push(self.qualified_plural().to_lowercase());
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|name| !name.is_empty() && seen.insert(name.clone()));
        names
    }

    /// Whether `word` (lower case, unqualified) is this resource's plural, singular or kind.
    fn is_named(&self, word: &str) -> bool {
        self.plural.eq_ignore_ascii_case(word)
            || self.singular.eq_ignore_ascii_case(word)
            || self.kind.eq_ignore_ascii_case(word)
    }

    /// Whether `word` is one of this resource's short names.
    fn is_short_named(&self, word: &str) -> bool {
        self.short_names
            .iter()
            .any(|s| s.eq_ignore_ascii_case(word))
    }

    /// kubectl's preference when one word names resources in several groups: the core group,
    /// then the groups Kubernetes itself serves, then everything else (CRDs, aggregated APIs).
    fn group_rank(&self) -> u8 {
        if self.group.is_empty() {
            0
        } else if is_built_in_group(&self.group) {
            1
        } else {
            2
        }
    }
}

/// Groups Kubernetes serves itself: the unqualified ones (`apps`, `batch`, `policy`) and the
/// `*.k8s.io` ones. Third parties must use a domain they own.
fn is_built_in_group(group: &str) -> bool {
    !group.contains('.') || group.ends_with(".k8s.io")
}

/// The resource a user's word names, as kubectl resolves it: case-insensitive; a word with a
/// dot is `name.group` or `name.version.group` and only looks in that group; otherwise a
/// plural, singular or kind wins over a short name, and when several groups match, the core
/// group wins, then the built-in groups, then the first in discovery order.
pub fn resolve<'a>(resources: &'a [ResourceInfo], name: &str) -> Option<&'a ResourceInfo> {
    let word = name.trim().to_lowercase();
    if word.is_empty() {
        return None;
    }
    if let Some((base, qualifier)) = word.split_once('.') {
        let in_qualifier = |r: &&ResourceInfo| {
            r.group == qualifier
                || qualifier
                    .split_once('.')
                    .is_some_and(|(version, group)| r.version == version && r.group == group)
        };
        let qualified: Vec<&ResourceInfo> = resources.iter().filter(in_qualifier).collect();
        return preferred(qualified.iter().copied(), |r| r.is_named(base))
            .or_else(|| preferred(qualified.iter().copied(), |r| r.is_short_named(base)));
    }
    preferred(resources.iter(), |r| r.is_named(&word))
        .or_else(|| preferred(resources.iter(), |r| r.is_short_named(&word)))
}

/// The best-ranked matching resource; the first in discovery order among equals.
fn preferred<'a>(
    resources: impl Iterator<Item = &'a ResourceInfo>,
    matches: impl Fn(&ResourceInfo) -> bool,
) -> Option<&'a ResourceInfo> {
    resources
        .filter(|r| matches(r))
        .min_by_key(|r| r.group_rank())
}

/// The names beginning with `prefix` (case-insensitive), for completing `:` commands: sorted,
/// without repeats.
pub fn completions(resources: &[ResourceInfo], prefix: &str) -> Vec<String> {
    let prefix = prefix.trim().to_lowercase();
    let mut names: Vec<String> = resources
        .iter()
        .flat_map(ResourceInfo::names)
        .filter(|name| name.starts_with(&prefix))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(group: &str, plural: &str, kind: &str, short: &[&str]) -> ResourceInfo {
        ResourceInfo {
            group: group.into(),
            version: "v1".into(),
            kind: kind.into(),
            plural: plural.into(),
            singular: kind.to_lowercase(),
            short_names: short.iter().map(|s| s.to_string()).collect(),
            namespaced: true,
            verbs: vec!["list".into(), "watch".into()],
        }
    }

    fn resources() -> Vec<ResourceInfo> {
        vec![
            info("", "pods", "Pod", &["po"]),
            info("", "events", "Event", &["ev"]),
            info("apps", "deployments", "Deployment", &["deploy"]),
            info("events.k8s.io", "events", "Event", &["ev"]),
            // A CRD that reuses a built-in short name and a built-in plural.
            info("example.com", "widgets", "Widget", &["po"]),
            info("example.com", "deployments", "Deployment", &[]),
        ]
    }

    #[test]
    fn names_include_the_group_qualified_plural_only_for_named_groups() {
        let all = resources();
        assert_eq!(all[0].names(), ["pods", "pod", "po"]);
        assert_eq!(
            all[2].names(),
            ["deployments", "deployment", "deploy", "deployments.apps"]
        );
    }

    #[test]
    fn the_core_group_wins_then_the_built_in_groups() {
        let all = resources();
        assert_eq!(resolve(&all, "events").map(|r| r.group.as_str()), Some(""));
        assert_eq!(resolve(&all, "ev").map(|r| r.group.as_str()), Some(""));
        assert_eq!(resolve(&all, "po").map(|r| r.plural.as_str()), Some("pods"));
        assert_eq!(
            resolve(&all, "Deployment").map(|r| r.group.as_str()),
            Some("apps")
        );
    }

    #[test]
    fn a_qualified_word_looks_only_in_its_group() {
        let all = resources();
        let in_group = |word| resolve(&all, word).map(|r| r.group.clone());
        assert_eq!(
            in_group("deployments.example.com"),
            Some("example.com".into())
        );
        assert_eq!(in_group("deployment.v1.apps"), Some("apps".into()));
        assert_eq!(
            in_group("events.events.k8s.io"),
            Some("events.k8s.io".into())
        );
        assert_eq!(in_group("po.example.com"), Some("example.com".into()));
        assert_eq!(in_group("pods.apps"), None);
    }

    #[test]
    fn a_name_wins_over_a_short_name() {
        let mut all = resources();
        all.insert(0, info("example.com", "gadgets", "Gadget", &["widgets"]));
        assert_eq!(
            resolve(&all, "widgets").map(|r| r.kind.as_str()),
            Some("Widget")
        );
        assert_eq!(resolve(&all, "nothing"), None);
        assert_eq!(resolve(&all, " "), None);
    }

    #[test]
    fn completions_are_sorted_without_repeats() {
        assert_eq!(
            completions(&resources(), "EV"),
            ["ev", "event", "events", "events.events.k8s.io"]
        );
        assert!(completions(&resources(), "zz").is_empty());
    }
}
