//! The rows of RoleBindings and ClusterRoleBindings (`printRoleBinding`,
//! `printClusterRoleBinding`). Roles and ClusterRoles have no printer: the API server answers
//! them with its default Table (Name, Created At).

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::{Options, Row, age_of, name_of};

/// NAME, ROLE (`Kind/name` of the roleRef), AGE; wide: USERS, GROUPS, SERVICEACCOUNTS, each
/// joined by `, ` (a service account as `namespace/name`).
pub(super) fn binding(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let role_ref = o.get("roleRef");
    let mut cells = vec![
        name_of(o),
        format!(
            "{}/{}",
            role_ref.get("kind").str(),
            role_ref.get("name").str()
        )
        .into(),
        age_of(o, now),
    ];
    if options.wide {
        let (mut users, mut groups, mut service_accounts) = (Vec::new(), Vec::new(), Vec::new());
        for subject in o.get("subjects").items() {
            let name = subject.get("name").str();
            match subject.get("kind").str() {
                "ServiceAccount" => {
                    service_accounts.push(format!("{}/{name}", subject.get("namespace").str()))
                }
                "User" => users.push(name.to_string()),
                "Group" => groups.push(name.to_string()),
                _ => {}
            }
        }
        cells.extend([
            users.join(", ").into(),
            groups.join(", ").into(),
            service_accounts.join(", ").into(),
        ]);
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}
