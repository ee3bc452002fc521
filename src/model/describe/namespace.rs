//! kubectl's Namespace describer: phase, conditions (present while it terminates), and the
//! namespace's resource quotas and limit ranges.

use serde_json::Value;

use super::metadata::{annotations_multiline, labels_multiline};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::rfc1123z;

pub(super) fn describe_namespace(namespace: Raw<'_>, related: &[&Value], w: &mut DescribeWriter) {
    let metadata = namespace.at("metadata");
    let status = namespace.at("status");
    put!(w, 0, "Name:\t{}\n", metadata.at("name").str());
    labels_multiline(w, "Labels", metadata.at("labels"));
    annotations_multiline(w, "Annotations", metadata.at("annotations"));
    put!(w, 0, "Status:\t{}\n", status.at("phase").str());
    if !status.at("conditions").is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write(1, "----\t------\t------------------\t------\t-------\n");
        for condition in status.at("conditions").items() {
            put!(
                w,
                1,
                "{}\t{}\t{}\t{}\t{}\n",
                condition.at("type").str(),
                condition.at("status").str(),
                rfc1123z(condition.at("lastTransitionTime").time()),
                condition.at("reason").str(),
                condition.at("message").str()
            );
        }
    }
    let name = metadata.at("name").str();
    let in_namespace = |kind: &'static str| {
        related
            .iter()
            .map(|value| Raw::new(value))
            .filter(move |object| {
                object.at("kind").str() == kind
                    && object.at("metadata").at("namespace").str() == name
            })
    };
    w.write(0, "\n");
    resource_quotas(w, in_namespace("ResourceQuota").collect());
    w.write(0, "\n");
    limit_ranges(w, in_namespace("LimitRange").collect());
}

/// kubectl's `DescribeResourceQuotas`: each quota by name, with used and hard amounts.
fn resource_quotas(w: &mut DescribeWriter, mut quotas: Vec<Raw<'_>>) {
    if quotas.is_empty() {
        w.write(0, "No resource quota.\n");
        return;
    }
    quotas.sort_by_key(|quota| quota.at("metadata").at("name").str());
    w.write(0, "Resource Quotas\n");
    for quota in quotas {
        put!(w, 1, "Name:\t{}\n", quota.at("metadata").at("name").str());
        let mut scopes: Vec<&str> = quota
            .at("spec")
            .at("scopes")
            .items()
            .map(Raw::str)
            .collect();
        if !scopes.is_empty() {
            scopes.sort_unstable();
            put!(w, 1, "Scopes:\t{}\n", scopes.join(", "));
            for scope in scopes {
                if let Some(help) = scope_help(scope) {
                    put!(w, 1, "* {help}\n");
                }
            }
        }
        w.write(1, "Resource\tUsed\tHard\n");
        w.write(1, "--------\t---\t---\n");
        let status = quota.at("status");
        for (resource, hard) in status.at("hard").entries() {
            // An amount with no usage recorded is Go's zero quantity, "0".
            let used = status
                .at("used")
                .at(resource)
                .quantity()
                .unwrap_or_else(|| "0".to_string());
            put!(
                w,
                1,
                "{resource}\t{used}\t{}\n",
                hard.quantity().unwrap_or_default()
            );
        }
    }
}

/// kubectl's `helpTextForResourceQuotaScope`.
fn scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on \
             a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include \
             long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best \
             effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a \
             burstable or guaranteed quality of service."
        }
        _ => return None,
    })
}

/// kubectl's `DescribeLimitRanges`: one row per limit type and resource.
fn limit_ranges(w: &mut DescribeWriter, limit_ranges: Vec<Raw<'_>>) {
    if limit_ranges.is_empty() {
        w.write(0, "No LimitRange resource.\n");
        return;
    }
    w.write(
        0,
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax \
         Limit/Request Ratio\n",
    );
    w.write(
        0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    for limit_range in limit_ranges {
        for item in limit_range.at("spec").at("limits").items() {
            let sources = [
                item.at("min"),
                item.at("max"),
                item.at("defaultRequest"),
                item.at("default"),
                item.at("maxLimitRequestRatio"),
            ];
            // kubectl walks a Go map here, in no fixed order; we sort the resources by name.
            let mut resources: Vec<&str> = sources
                .iter()
                .flat_map(|source| source.entries().into_iter().map(|(name, _)| name))
                .collect();
            resources.sort_unstable();
            resources.dedup();
            for resource in resources {
                let cells: Vec<String> = sources
                    .iter()
                    .map(|source| {
                        source
                            .at(resource)
                            .quantity()
                            .unwrap_or_else(|| "-".to_string())
                    })
                    .collect();
                put!(
                    w,
                    0,
                    " {}\t{resource}\t{}\n",
                    item.at("type").str(),
                    cells.join("\t")
                );
            }
        }
    }
}
