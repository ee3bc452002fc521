//! LimitRanges as the API server applies them (`SetDefaults_LimitRangeItem` and the LimitRanger
//! admission plugin, `plugin/pkg/admission/limitranger`): a container without a request or
//! limit gets the range's `defaultRequest` and `default` (the pod annotated with what was set),
//! and a container, a pod or a claim outside a range's `min`, `max` or `maxLimitRequestRatio`
//! is refused with the plugin's words.

use serde_json::{Map, Value, json};

use super::go_quantity::{GoQuantity, go_syntax};
use super::pod_resources::spec_totals;
use super::resource_list::{self, ResourceList};

/// The annotation the plugin leaves on a pod it gave defaults to.
pub(crate) const ANNOTATION: &str = "kubernetes.io/limit-ranger";

/// `SetDefaults_LimitRangeItem`, on each item of `spec.limits`: for containers, a missing
/// default limit is the max, a missing default request the default limit, else the min.
pub(crate) fn default_items(limit_range: &mut Value) {
    let Some(items) = limit_range
        .pointer_mut("/spec/limits")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for item in items.iter_mut().filter_map(Value::as_object_mut) {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let read = |item: &Map<String, Value>, field: &str| -> Map<String, Value> {
            item.get(field)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (max, min) = (read(item, "max"), read(item, "min"));
        let mut default = read(item, "default");
        for (name, quantity) in &max {
            default.entry(name.clone()).or_insert(quantity.clone());
        }
        let mut default_request = read(item, "defaultRequest");
        for (name, quantity) in default.iter().chain(&min) {
            default_request
                .entry(name.clone())
                .or_insert(quantity.clone());
        }
        item.insert("default".into(), Value::Object(default));
        item.insert("defaultRequest".into(), Value::Object(default_request));
    }
}

/// One item of a range, read.
struct Item {
    type_: String,
    min: ResourceList,
    max: ResourceList,
    default: ResourceList,
    default_request: ResourceList,
    ratio: ResourceList,
    /// The item as written, for the quantities' text.
    raw: Value,
}

fn items(limit_range: &Value) -> Vec<Item> {
    limit_range
        .pointer("/spec/limits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|item| Item {
            type_: item["type"].as_str().unwrap_or("").to_string(),
            min: resource_list::read(item.get("min")),
            max: resource_list::read(item.get("max")),
            default: resource_list::read(item.get("default")),
            default_request: resource_list::read(item.get("defaultRequest")),
            ratio: resource_list::read(item.get("maxLimitRequestRatio")),
            raw: item.clone(),
        })
        .collect()
}

/// `PodMutateLimitFunc`: each container and init container gets the range's container defaults
/// for what it does not set; the pod's `kubernetes.io/limit-ranger` annotation says what.
pub(crate) fn apply_defaults(limit_range: &Value, pod: &mut Value) {
    let mut requests = ResourceList::new();
    let mut limits = ResourceList::new();
    for item in items(limit_range)
        .into_iter()
        .filter(|i| i.type_ == "Container")
    {
        requests.extend(item.default_request);
        limits.extend(item.default);
    }
    let mut notes: Vec<String> = Vec::new();
    for (list, what) in [
        ("containers", "container"),
        ("initContainers", "init container"),
    ] {
        let Some(containers) = pod
            .pointer_mut(&format!("/spec/{list}"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for container in containers.iter_mut().filter(|c| c.is_object()) {
            let name = container["name"].as_str().unwrap_or("").to_string();
            let set_limits = merge(container, "limits", &limits);
            let set_requests = merge(container, "requests", &requests);
            if !set_requests.is_empty() {
                notes.push(format!(
                    "{} request for {what} {name}",
                    set_requests.join(", ")
                ));
            }
            if !set_limits.is_empty() {
                notes.push(format!("{} limit for {what} {name}", set_limits.join(", ")));
            }
        }
    }
    if notes.is_empty() {
        return;
    }
    if !pod["metadata"].is_object() {
        pod["metadata"] = json!({});
    }
    let metadata = &mut pod["metadata"];
    if !metadata["annotations"].is_object() {
        metadata["annotations"] = json!({});
    }
    metadata["annotations"][ANNOTATION] =
        json!(format!("LimitRanger plugin set: {}", notes.join("; ")));
}

/// Sets each of `defaults` the container's `resources.<field>` lacks; the names set, in order.
fn merge(container: &mut Value, field: &str, defaults: &ResourceList) -> Vec<String> {
    if defaults.is_empty() {
        return Vec::new();
    }
    if !container["resources"].is_object() {
        container["resources"] = json!({});
    }
    let resources = &mut container["resources"];
    if !resources[field].is_object() {
        resources[field] = json!({});
    }
    let Some(present) = resources[field].as_object_mut() else {
        return Vec::new();
    };
    let mut set = Vec::new();
    for (name, quantity) in defaults {
        if !present.contains_key(name) {
            present.insert(name.clone(), json!(quantity.to_string()));
            set.push(name.clone());
        }
    }
    set
}

/// `requestLimitEnforcedValues`: thousandths when none is too large for them, units otherwise.
fn comparable(request: GoQuantity, limit: GoQuantity, enforced: GoQuantity) -> (i64, i64, i64) {
    const MAX_MILLI_VALUE: i64 = i64::MAX / 1000;
    let units = (request.value(), limit.value(), enforced.value());
    if units.0 <= MAX_MILLI_VALUE && units.1 <= MAX_MILLI_VALUE && units.2 <= MAX_MILLI_VALUE {
        (
            request.milli_value(),
            limit.milli_value(),
            enforced.milli_value(),
        )
    } else {
        units
    }
}

fn min_constraint(
    type_: &str,
    name: &str,
    enforced: GoQuantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let Some(request) = requests.get(name).copied() else {
        return Some(format!(
            "minimum {name} usage per {type_} is {enforced}.  No request is specified"
        ));
    };
    let limit = limits.get(name).copied();
    let (request_value, limit_value, enforced_value) =
        comparable(request, limit.unwrap_or_default(), enforced);
    if request_value < enforced_value {
        return Some(format!(
            "minimum {name} usage per {type_} is {enforced}, but request is {request}"
        ));
    }
    match limit {
        Some(limit) if limit_value < enforced_value => Some(format!(
            "minimum {name} usage per {type_} is {enforced}, but limit is {limit}"
        )),
        _ => None,
    }
}

fn max_constraint(
    type_: &str,
    name: &str,
    enforced: GoQuantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let Some(limit) = limits.get(name).copied() else {
        return Some(format!(
            "maximum {name} usage per {type_} is {enforced}.  No limit is specified"
        ));
    };
    let request = requests.get(name).copied();
    let (request_value, limit_value, enforced_value) =
        comparable(request.unwrap_or_default(), limit, enforced);
    if limit_value > enforced_value {
        return Some(format!(
            "maximum {name} usage per {type_} is {enforced}, but limit is {limit}"
        ));
    }
    match request {
        Some(request) if request_value > enforced_value => Some(format!(
            "maximum {name} usage per {type_} is {enforced}, but request is {request}"
        )),
        _ => None,
    }
}

/// `maxRequestConstraint`: a claim's max, against its request only.
fn max_request_constraint(
    type_: &str,
    name: &str,
    enforced: GoQuantity,
    requests: &ResourceList,
) -> Option<String> {
    let Some(request) = requests.get(name).copied() else {
        return Some(format!(
            "maximum {name} usage per {type_} is {enforced}.  No request is specified"
        ));
    };
    let (request_value, _, enforced_value) = comparable(request, GoQuantity::default(), enforced);
    (request_value > enforced_value).then(|| {
        format!("maximum {name} usage per {type_} is {enforced}, but request is {request}")
    })
}

fn ratio_constraint(
    type_: &str,
    name: &str,
    enforced: GoQuantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let request = requests.get(name).copied();
    let limit = limits.get(name).copied();
    let (request_value, limit_value, _) = comparable(
        request.unwrap_or_default(),
        limit.unwrap_or_default(),
        enforced,
    );
    if request.is_none() || request_value == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {type_} is {enforced}, but no request is specified or request is 0"
        ));
    }
    if limit.is_none() || limit_value == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {type_} is {enforced}, but no limit is specified or limit is 0"
        ));
    }
    let observed = limit_value as f64 / request_value as f64;
    let (scaled, max) = if enforced.value() <= i64::MAX / 1000 {
        (observed * 1000.0, enforced.milli_value() as f64)
    } else {
        (observed, enforced.value() as f64)
    };
    (scaled > max).then(|| {
        format!(
            "{name} max limit to request ratio per {type_} is {enforced}, but provided ratio is {observed:.6}"
        )
    })
}

/// Checks one item's min, max and ratio against requests and limits, in resource order.
fn constrain(
    item: &Item,
    requests: &ResourceList,
    limits: &ResourceList,
    errors: &mut Vec<String>,
) {
    let type_ = item.type_.as_str();
    for (name, enforced) in &item.min {
        errors.extend(min_constraint(type_, name, *enforced, requests, limits));
    }
    for (name, enforced) in &item.max {
        errors.extend(max_constraint(type_, name, *enforced, requests, limits));
    }
    for (name, enforced) in &item.ratio {
        errors.extend(ratio_constraint(type_, name, *enforced, requests, limits));
    }
}

/// `utilerrors.NewAggregate(...).Error()`: one error as it is, several as `[a, b]`, repeats
/// once.
fn aggregate(errors: Vec<String>) -> Result<(), String> {
    let mut seen: Vec<String> = Vec::new();
    for error in errors {
        if !seen.contains(&error) {
            seen.push(error);
        }
    }
    match seen.as_slice() {
        [] => Ok(()),
        [one] => Err(one.clone()),
        many => Err(format!("[{}]", many.join(", "))),
    }
}

/// `PodValidateLimitFunc`: each container and init container against the range's Container
/// items, the pod's totals against its Pod items.
pub(crate) fn check_pod(limit_range: &Value, pod: &Value) -> Result<(), String> {
    let mut errors = Vec::new();
    for item in items(limit_range) {
        match item.type_.as_str() {
            "Container" => {
                for list in ["containers", "initContainers"] {
                    for container in pod
                        .pointer(&format!("/spec/{list}"))
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let requests =
                            resource_list::read(container.pointer("/resources/requests"));
                        let limits = resource_list::read(container.pointer("/resources/limits"));
                        constrain(&item, &requests, &limits, &mut errors);
                    }
                }
            }
            "Pod" => {
                let requests = spec_totals(pod, "requests");
                let limits = spec_totals(pod, "limits");
                constrain(&item, &requests, &limits, &mut errors);
            }
            _ => {}
        }
    }
    aggregate(errors)
}

/// `PersistentVolumeClaimValidateLimitFunc`: a claim's storage request within the range's
/// PersistentVolumeClaim items.
pub(crate) fn check_claim(limit_range: &Value, claim: &Value) -> Result<(), String> {
    let requests = resource_list::read(claim.pointer("/spec/resources/requests"));
    let mut errors = Vec::new();
    for item in items(limit_range)
        .into_iter()
        .filter(|i| i.type_ == "PersistentVolumeClaim")
    {
        let type_ = item.type_.as_str();
        for (name, enforced) in &item.min {
            errors.extend(min_constraint(
                type_,
                name,
                *enforced,
                &requests,
                &ResourceList::new(),
            ));
        }
        for (name, enforced) in &item.max {
            errors.extend(max_request_constraint(type_, name, *enforced, &requests));
        }
    }
    aggregate(errors)
}

/// One problem `ValidateLimitRange` finds: the field, the value shown (for an invalid one) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    Invalid {
        field: String,
        value: String,
        detail: String,
    },
    Forbidden {
        field: String,
        detail: String,
    },
    Required {
        field: String,
        detail: String,
    },
    Duplicate {
        field: String,
        value: String,
    },
    NotSupported {
        field: String,
        value: String,
        supported: &'static [&'static str],
    },
}

/// The limit types a range may name.
pub(crate) const TYPES: &[&str] = &["Container", "Pod", "PersistentVolumeClaim"];

/// `ValidateLimitRange` (after defaulting): known and distinct types, no defaults on a Pod item,
/// a storage bound on a claim item, and for each resource min ≤ default request ≤ default ≤ max
/// and a ratio of at least 1 that max/min allows.
pub(crate) fn validate(limit_range: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (index, item) in items(limit_range).into_iter().enumerate() {
        let at = |field: &str| format!("spec.limits[{index}].{field}");
        if !TYPES.contains(&item.type_.as_str()) {
            problems.push(Problem::NotSupported {
                field: at("type"),
                value: item.type_.clone(),
                supported: TYPES,
            });
        }
        if seen.contains(&item.type_) {
            problems.push(Problem::Duplicate {
                field: at("type"),
                value: item.type_.clone(),
            });
        }
        seen.push(item.type_.clone());
        if item.type_ == "Pod" {
            if !item.default.is_empty() {
                problems.push(Problem::Forbidden {
                    field: at("default"),
                    detail: "may not be specified when `type` is 'Pod'".into(),
                });
            }
            if !item.default_request.is_empty() {
                problems.push(Problem::Forbidden {
                    field: at("defaultRequest"),
                    detail: "may not be specified when `type` is 'Pod'".into(),
                });
            }
        }
        if item.type_ == "PersistentVolumeClaim"
            && !item.min.contains_key("storage")
            && !item.max.contains_key("storage")
        {
            problems.push(Problem::Required {
                field: at("limits"),
                detail:
                    "either minimum or maximum storage value is required, but neither was provided"
                        .into(),
            });
        }
        let mut names: Vec<&String> = item
            .min
            .keys()
            .chain(item.max.keys())
            .chain(item.default.keys())
            .chain(item.default_request.keys())
            .chain(item.ratio.keys())
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            let key = |field: &str| at(&format!("{field}[{name}]"));
            let (min, max) = (item.min.get(name), item.max.get(name));
            let (default, request) = (item.default.get(name), item.default_request.get(name));
            // The value shown is the quantity of `source` as Go prints the struct.
            let invalid = |field: &str, source: &str, detail: String| {
                let text = match item
                    .raw
                    .get(source)
                    .and_then(|list| list.get(name.as_str()))
                {
                    Some(Value::String(text)) => text.clone(),
                    Some(number @ Value::Number(_)) => number.to_string(),
                    _ => String::new(),
                };
                Problem::Invalid {
                    field: key(field),
                    value: go_syntax(&text).unwrap_or(text),
                    detail,
                }
            };
            // Upstream's pairs that must be ordered, in its order: when `lower` is greater
            // than `upper`, the error on `field` shows the quantity of `source`.
            let pairs = [
                ("min", "min", min, "min value", max, "max value"),
                (
                    "defaultRequest",
                    "defaultRequest",
                    min,
                    "min value",
                    request,
                    "default request value",
                ),
                (
                    "defaultRequest",
                    "defaultRequest",
                    request,
                    "default request value",
                    max,
                    "max value",
                ),
                (
                    "defaultRequest",
                    "defaultRequest",
                    request,
                    "default request value",
                    default,
                    "default limit value",
                ),
                ("default", "min", min, "min value", default, "default value"),
                ("default", "max", default, "default value", max, "max value"),
            ];
            for (field, source, lower, lower_is, upper, upper_is) in pairs {
                if let (Some(lower), Some(upper)) = (lower, upper)
                    && lower.compare(*upper).is_gt()
                {
                    let detail = format!("{lower_is} {lower} is greater than {upper_is} {upper}");
                    problems.push(invalid(field, source, detail));
                }
            }
            if let Some(ratio) = item.ratio.get(name) {
                if ratio.compare(GoQuantity::units(1)).is_lt() {
                    problems.push(invalid(
                        "maxLimitRequestRatio",
                        "maxLimitRequestRatio",
                        format!("ratio {ratio} is less than 1"),
                    ));
                }
                if let (Some(min), Some(max)) = (min, max) {
                    const MAX_MILLI_VALUE: i64 = i64::MAX / 1000;
                    let (ratio_value, min_value, max_value) = if ratio.value() < MAX_MILLI_VALUE
                        && min.value() < MAX_MILLI_VALUE
                        && max.value() < MAX_MILLI_VALUE
                    {
                        (
                            ratio.milli_value() as f64 / 1000.0,
                            min.milli_value(),
                            max.milli_value(),
                        )
                    } else {
                        (ratio.value() as f64, min.value(), max.value())
                    };
                    let allowed = max_value as f64 / min_value as f64;
                    if ratio_value > allowed {
                        problems.push(invalid(
                            "maxLimitRequestRatio",
                            "maxLimitRequestRatio",
                            format!("ratio {ratio} is greater than max/min = {allowed:.6}"),
                        ));
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests;
