//! Acting as another user (`kubectl --as NAME --as-group GROUP`): the `Impersonate-User` and
//! `Impersonate-Group` headers, each allowed only when the requester may `impersonate` that
//! user (or service account) and those groups, as the API server's impersonation filter
//! decides (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go).

use axum::http::HeaderMap;

use super::{Attributes, Target, UserInfo, authorize, forbidden};
use crate::sim::api_error::ApiError;

const USER: &str = "impersonate-user";
const GROUP: &str = "impersonate-group";

/// The user a request acts as: its requester, or the one it impersonates when allowed.
/// Groups without a user are refused as the filter refuses them (its words; a Status here
/// where the API server writes plain text).
pub fn acting_user(
    sim: &crate::sim::state::Sim,
    requester: UserInfo,
    headers: &HeaderMap,
    request_uri: &str,
) -> Result<UserInfo, ApiError> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    };
    let users = values(USER);
    let groups = values(GROUP);
    let Some(name) = users.first() else {
        if groups.is_empty() {
            return Ok(requester);
        }
        // `%v` of the ObjectReferences asked for: Kind, Namespace, Name and four empty fields.
        let asked: Vec<String> = groups
            .iter()
            .map(|g| format!("{{Group  {g}    }}"))
            .collect();
        return Err(ApiError::internal(format!(
            "Internal Server Error: \"{request_uri}\": requested [{}] without impersonating a user",
            asked.join(" ")
        )));
    };
    let check = |resource: &str, namespace: &str, name: &str| {
        let attributes = Attributes {
            verb: "impersonate".into(),
            target: Target::Resource {
                group: String::new(),
                resource: resource.into(),
                subresource: String::new(),
                namespace: namespace.into(),
                name: name.into(),
            },
        };
        let decision = authorize(sim, &requester, &attributes);
        if decision.allowed {
            Ok(())
        } else {
            Err(forbidden(&requester, &attributes, &decision.reason))
        }
    };
    let mut acting_groups = Vec::new();
    match name
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.split_once(':'))
    {
        Some((namespace, account)) => {
            check("serviceaccounts", namespace, account)?;
            if groups.is_empty() {
                acting_groups.extend([
                    "system:serviceaccounts".to_string(),
                    format!("system:serviceaccounts:{namespace}"),
                ]);
            }
        }
        None => check("users", "", name)?,
    }
    for group in &groups {
        check("groups", "", group)?;
        acting_groups.push(group.clone());
    }
    if name != "system:anonymous"
        && !acting_groups
            .iter()
            .any(|g| g == "system:authenticated" || g == "system:unauthenticated")
    {
        acting_groups.push("system:authenticated".into());
    }
    Ok(UserInfo {
        name: name.clone(),
        groups: acting_groups,
    })
}
