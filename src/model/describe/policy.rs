//! kubectl's PodDisruptionBudget describer.

use super::metadata::name_and_namespace;
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::format_label_selector;

pub(super) fn describe_pod_disruption_budget(budget: Raw<'_>, w: &mut DescribeWriter) {
    let spec = budget.at("spec");
    let status = budget.at("status");
    name_and_namespace(w, budget.at("metadata"));
    // kubectl shows one of the two; minAvailable wins if both are set.
    if let Some(min_available) = spec.at("minAvailable").int_or_string() {
        put!(w, 0, "Min available:\t{min_available}\n");
    } else if let Some(max_unavailable) = spec.at("maxUnavailable").int_or_string() {
        put!(w, 0, "Max unavailable:\t{max_unavailable}\n");
    }
    if spec.at("selector").exists() {
        put!(
            w,
            0,
            "Selector:\t{}\n",
            format_label_selector(spec.at("selector"))
        );
    } else {
        w.write(0, "Selector:\t<unset>\n");
    }
    w.write(0, "Status:\n");
    for (title, field) in [
        ("Allowed disruptions", "disruptionsAllowed"),
        ("Current", "currentHealthy"),
        ("Desired", "desiredHealthy"),
        ("Total", "expectedPods"),
    ] {
        put!(w, 2, "{title}:\t{}\n", status.at(field).int());
    }
}
