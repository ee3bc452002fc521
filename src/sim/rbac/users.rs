//! The simulator's users: the cluster admin of its kubeconfig's default context, the preset
//! users every run has, and those `--user NAME[:CLUSTERROLE]` adds, each known by a bearer
//! token of its own.

use std::sync::RwLock;

/// The admin's user name (kubeadm's), in `system:masters` and so bound to cluster-admin.
pub const ADMIN: &str = "kubernetes-admin";

/// The users every run has, with the ClusterRole each is bound to cluster-wide: a reader that
/// cannot read Secrets (`view`), and one that may read and change everything `edit` allows
/// except Secrets (the `no-secrets` ClusterRole).
pub const PRESETS: &[(&str, &str)] = &[("viewer", "view"), ("no-secrets", "no-secrets")];

/// Who a token belongs to (`user.Info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// A user authenticated by a token: in `system:authenticated`, as every such user is.
    pub fn authenticated(name: &str, mut groups: Vec<String>) -> Self {
        groups.push("system:authenticated".into());
        Self {
            name: name.to_string(),
            groups,
        }
    }

    /// The admin: in `system:masters`.
    pub fn admin() -> Self {
        Self::authenticated(ADMIN, vec!["system:masters".into()])
    }
}

/// A user to create at start: a name, and the ClusterRole bound to it cluster-wide (none: a
/// user with only what the cluster grants every authenticated user, until someone binds a
/// role to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    pub name: String,
    pub cluster_role: Option<String>,
}

impl SimUser {
    /// The preset users.
    pub fn presets() -> Vec<Self> {
        PRESETS
            .iter()
            .map(|(name, role)| Self {
                name: (*name).to_string(),
                cluster_role: Some((*role).to_string()),
            })
            .collect()
    }

    /// The kubeconfig context (and user entry) of this user.
    pub fn context(name: &str) -> String {
        format!("{name}@kscope-sim")
    }
}

impl std::str::FromStr for SimUser {
    type Err = String;

    /// `NAME` or `NAME:CLUSTERROLE`.
    fn from_str(text: &str) -> Result<Self, String> {
        let (name, role) = match text.split_once(':') {
            Some((name, role)) => (name, Some(role)),
            None => (text, None),
        };
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !name_ok {
            return Err(format!(
                "{text:?}: a user's name is letters, digits, '-', '.' and '_' (NAME or NAME:CLUSTERROLE)"
            ));
        }
        if name == ADMIN || name == "kscope-sim" {
            return Err(format!("{text:?}: {name} is the admin's name"));
        }
        let role = match role {
            None => None,
            Some(role)
                if !role.is_empty()
                    && role.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | ':')
                    }) =>
            {
                Some(role.to_string())
            }
            Some(_) => {
                return Err(format!(
                    "{text:?}: a ClusterRole's name is lower-case letters, digits, '-', '.' and ':'"
                ));
            }
        };
        Ok(Self {
            name: name.to_string(),
            cluster_role: role,
        })
    }
}

/// The users known by their tokens, besides the admin's (which the simulator holds itself).
#[derive(Debug, Default)]
pub struct Users {
    by_token: RwLock<Vec<(String, UserInfo)>>,
}

impl Users {
    /// Adds a user known by `token`.
    pub fn add(&self, token: String, user: UserInfo) {
        self.by_token
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push((token, user));
    }

    /// The user whose token this is.
    pub fn find(&self, token: &str) -> Option<UserInfo> {
        self.by_token
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(known, _)| known == token)
            .map(|(_, user)| user.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_a_name_and_maybe_a_cluster_role() {
        let alice: SimUser = "alice:view".parse().unwrap();
        assert_eq!(alice.name, "alice");
        assert_eq!(alice.cluster_role.as_deref(), Some("view"));
        let bob: SimUser = "bob".parse().unwrap();
        assert_eq!(bob.cluster_role, None);
        let system: SimUser = "ops:system:aggregate-to-view".parse().unwrap();
        assert_eq!(
            system.cluster_role.as_deref(),
            Some("system:aggregate-to-view")
        );
        assert!("".parse::<SimUser>().is_err());
        assert!("a b:view".parse::<SimUser>().is_err());
        assert!("alice:".parse::<SimUser>().is_err());
        assert!("alice:View".parse::<SimUser>().is_err());
        assert!("kubernetes-admin:view".parse::<SimUser>().is_err());
    }
}
