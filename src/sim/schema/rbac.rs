//! `rbac.authorization.k8s.io/v1`, `authorization.k8s.io/v1` and `authentication.k8s.io/v1`:
//! the roles and bindings, and the reviews kubectl's typed clients send (`kubectl create
//! role`, `auth can-i`, `auth whoami`). Field numbers and JSON names from the Go types'
//! `protobuf` and `json` tags in `k8s.io/api`.

use super::Kind::{Bool, Msg, Str};
use super::Shape::{Opt, Ptr, Rep, Req};
use super::{LABEL_SELECTOR, Message, OBJECT_META, f, message};

pub(super) static POLICY_RULE: Message = message(
    "PolicyRule",
    &[
        f(1, "verbs", Str, Rep),
        f(2, "apiGroups", Str, Rep),
        f(3, "resources", Str, Rep),
        f(4, "resourceNames", Str, Rep),
        f(5, "nonResourceURLs", Str, Rep),
    ],
);
static AGGREGATION_RULE: Message = message(
    "AggregationRule",
    &[f(1, "clusterRoleSelectors", Msg(&LABEL_SELECTOR), Rep)],
);
static SUBJECT: Message = message(
    "Subject",
    &[
        f(1, "kind", Str, Req),
        f(2, "apiGroup", Str, Opt),
        f(3, "name", Str, Req),
        f(4, "namespace", Str, Opt),
    ],
);
static ROLE_REF: Message = message(
    "RoleRef",
    &[
        f(1, "apiGroup", Str, Req),
        f(2, "kind", Str, Req),
        f(3, "name", Str, Req),
    ],
);
pub(super) static ROLE: Message = message(
    "Role",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "rules", Msg(&POLICY_RULE), Rep),
    ],
);
pub(super) static CLUSTER_ROLE: Message = message(
    "ClusterRole",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "rules", Msg(&POLICY_RULE), Rep),
        f(3, "aggregationRule", Msg(&AGGREGATION_RULE), Ptr),
    ],
);
pub(super) static ROLE_BINDING: Message = message(
    "RoleBinding",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "subjects", Msg(&SUBJECT), Rep),
        f(3, "roleRef", Msg(&ROLE_REF), Opt),
    ],
);
pub(super) static CLUSTER_ROLE_BINDING: Message = message(
    "ClusterRoleBinding",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "subjects", Msg(&SUBJECT), Rep),
        f(3, "roleRef", Msg(&ROLE_REF), Opt),
    ],
);

// authorization.k8s.io/v1

static RESOURCE_ATTRIBUTES: Message = message(
    "ResourceAttributes",
    &[
        f(1, "namespace", Str, Opt),
        f(2, "verb", Str, Opt),
        f(3, "group", Str, Opt),
        f(4, "version", Str, Opt),
        f(5, "resource", Str, Opt),
        f(6, "subresource", Str, Opt),
        f(7, "name", Str, Opt),
    ],
);
static NON_RESOURCE_ATTRIBUTES: Message = message(
    "NonResourceAttributes",
    &[f(1, "path", Str, Opt), f(2, "verb", Str, Opt)],
);
static SUBJECT_ACCESS_REVIEW_STATUS: Message = message(
    "SubjectAccessReviewStatus",
    &[
        f(1, "allowed", Bool, Req),
        f(4, "denied", Bool, Opt),
        f(2, "reason", Str, Opt),
        f(3, "evaluationError", Str, Opt),
    ],
);
static SELF_SUBJECT_ACCESS_REVIEW_SPEC: Message = message(
    "SelfSubjectAccessReviewSpec",
    &[
        f(1, "resourceAttributes", Msg(&RESOURCE_ATTRIBUTES), Ptr),
        f(
            2,
            "nonResourceAttributes",
            Msg(&NON_RESOURCE_ATTRIBUTES),
            Ptr,
        ),
    ],
);
pub(super) static SELF_SUBJECT_ACCESS_REVIEW: Message = message(
    "SelfSubjectAccessReview",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SELF_SUBJECT_ACCESS_REVIEW_SPEC), Req),
        f(3, "status", Msg(&SUBJECT_ACCESS_REVIEW_STATUS), Opt),
    ],
);
static SUBJECT_ACCESS_REVIEW_SPEC: Message = message(
    "SubjectAccessReviewSpec",
    &[
        f(1, "resourceAttributes", Msg(&RESOURCE_ATTRIBUTES), Ptr),
        f(
            2,
            "nonResourceAttributes",
            Msg(&NON_RESOURCE_ATTRIBUTES),
            Ptr,
        ),
        f(3, "user", Str, Opt),
        f(4, "groups", Str, Rep),
        f(6, "uid", Str, Opt),
    ],
);
pub(super) static SUBJECT_ACCESS_REVIEW: Message = message(
    "SubjectAccessReview",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SUBJECT_ACCESS_REVIEW_SPEC), Req),
        f(3, "status", Msg(&SUBJECT_ACCESS_REVIEW_STATUS), Opt),
    ],
);
static SELF_SUBJECT_RULES_REVIEW_SPEC: Message =
    message("SelfSubjectRulesReviewSpec", &[f(1, "namespace", Str, Opt)]);
static RESOURCE_RULE: Message = message(
    "ResourceRule",
    &[
        f(1, "verbs", Str, Rep),
        f(2, "apiGroups", Str, Rep),
        f(3, "resources", Str, Rep),
        f(4, "resourceNames", Str, Rep),
    ],
);
static NON_RESOURCE_RULE: Message = message(
    "NonResourceRule",
    &[f(1, "verbs", Str, Rep), f(2, "nonResourceURLs", Str, Rep)],
);
static SUBJECT_RULES_REVIEW_STATUS: Message = message(
    "SubjectRulesReviewStatus",
    &[
        f(1, "resourceRules", Msg(&RESOURCE_RULE), Rep),
        f(2, "nonResourceRules", Msg(&NON_RESOURCE_RULE), Rep),
        f(3, "incomplete", Bool, Req),
        f(4, "evaluationError", Str, Opt),
    ],
);
pub(super) static SELF_SUBJECT_RULES_REVIEW: Message = message(
    "SelfSubjectRulesReview",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SELF_SUBJECT_RULES_REVIEW_SPEC), Req),
        f(3, "status", Msg(&SUBJECT_RULES_REVIEW_STATUS), Opt),
    ],
);

// authentication.k8s.io/v1

static USER_INFO: Message = message(
    "UserInfo",
    &[
        f(1, "username", Str, Opt),
        f(2, "uid", Str, Opt),
        f(3, "groups", Str, Rep),
    ],
);
static SELF_SUBJECT_REVIEW_STATUS: Message = message(
    "SelfSubjectReviewStatus",
    &[f(1, "userInfo", Msg(&USER_INFO), Opt)],
);
pub(super) static SELF_SUBJECT_REVIEW: Message = message(
    "SelfSubjectReview",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "status", Msg(&SELF_SUBJECT_REVIEW_STATUS), Opt),
    ],
);
