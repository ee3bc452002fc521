//! Tests of `drain.rs`.

use super::*;

#[test]
fn durations_print_as_go_prints_them() {
    for (duration, text) in [
        (Duration::ZERO, "0s"),
        (Duration::from_secs(15), "15s"),
        (Duration::from_secs(60), "1m0s"),
        (Duration::from_secs(3600), "1h0m0s"),
        (Duration::from_millis(1500), "1.5s"),
        (Duration::from_millis(250), "250ms"),
        (Duration::from_micros(1500), "1.5ms"),
        (Duration::from_nanos(42), "42ns"),
        (Duration::from_secs(90), "1m30s"),
        (Duration::MAX, "2562047h47m16.854775807s"),
    ] {
        assert_eq!(go_duration(duration), text, "{duration:?}");
    }
}

#[test]
fn the_budget_name_is_read_from_the_servers_cause() {
    assert_eq!(
        budget_name_in("The disruption budget cart-pdb needs 2 healthy pods and has 2 currently"),
        Some("cart-pdb")
    );
    assert_eq!(
        budget_name_in("The disruption budget web is still being processed by the server."),
        Some("web")
    );
    assert_eq!(budget_name_in("something else"), None);
}

#[test]
fn errors_aggregate_as_apimachinery_prints_them() {
    assert_eq!(aggregate(&[]), None);
    assert_eq!(aggregate(&["a".into(), "a".into()]), Some("a".into()));
    assert_eq!(
        aggregate(&["a".into(), "b".into(), "a".into()]),
        Some("[a, b]".into())
    );
}

#[test]
fn cordon_lines_are_kubectls() {
    let mut outcome = CordonOutcome {
        node: "w".into(),
        unschedulable: true,
        changed: true,
        dry_run: false,
    };
    assert_eq!(outcome.text(), "node/w cordoned");
    outcome.changed = false;
    assert_eq!(outcome.text(), "node/w already cordoned");
    outcome.unschedulable = false;
    outcome.dry_run = true;
    assert_eq!(outcome.text(), "node/w already uncordoned (server dry run)");
}
