//! The explanation trace: which fields were read, in which order, and what they decided.
//! (The column values themselves are pinned by the upstream printer cases.)

use jiff::Timestamp;

use super::pod_columns;
use crate::model::manifest::parse_typed;
use crate::model::pod::Pod;
use crate::model::trace::Step;

fn trace(yaml: &str) -> (super::PodColumns, Vec<Step>) {
    let pod: Pod = parse_typed(yaml).expect("test pod parses");
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
    let mut steps = Vec::new();
    let columns = pod_columns(&pod, now, &mut steps);
    assert_eq!(
        columns,
        pod_columns(&pod, now, &mut ()),
        "tracing never changes the answer"
    );
    (columns, steps)
}

fn fields(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.field.as_str()).collect()
}

#[test]
fn lowest_index_reason_wins_and_the_trace_shows_the_reverse_walk() {
    let (columns, steps) = trace(
        "status:\n  phase: Running\n  containerStatuses:\n  - {name: a, restartCount: 1, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, finishedAt: '2026-11-21T09:55:00Z'}}}\n  - {name: b, state: {waiting: {reason: ErrImagePull}}}",
    );
    assert_eq!(columns.status, "CrashLoopBackOff");
    assert_eq!(columns.restarts, "1 (5m ago)");
    assert_eq!(
        fields(&steps),
        [
            "status.phase",
            "status.containerStatuses[1].state.waiting.reason",
            "status.containerStatuses[0].restartCount",
            "status.containerStatuses[0].lastState.terminated.finishedAt",
            "status.containerStatuses[0].state.waiting.reason",
            "READY",
            "RESTARTS",
            "STATUS",
        ]
    );
    assert_eq!(steps[1].value, "ErrImagePull");
    assert_eq!(steps[4].value, "CrashLoopBackOff");
    assert!(steps[3].value.starts_with("2026-11-21T09:55:00Z (5m ago)"));
}

#[test]
fn init_stop_and_gate_are_recorded() {
    let (columns, steps) = trace(
        "spec: {initContainers: [{name: a}, {name: b}], containers: [{name: c}]}\nstatus:\n  phase: Pending\n  initContainerStatuses:\n  - {name: a, state: {terminated: {exitCode: 0, signal: 9}}}\n  - {name: b, state: {running: {}}}\n  - {name: ignored, restartCount: 7, state: {running: {}}}",
    );
    assert_eq!(
        columns.status, "Init:1/2",
        "exit 0 is success whatever the signal"
    );
    assert_eq!(
        columns.restarts, "0",
        "statuses after the stopping one are ignored"
    );
    let f = fields(&steps);
    assert!(f.contains(&"status.initContainerStatuses[0].state.terminated.exitCode"));
    assert!(f.contains(&"status.conditions[type=Initialized]"), "{f:?}");
    assert!(
        !f.iter()
            .any(|f| f.starts_with("status.initContainerStatuses[2]"))
    );

    let (columns, steps) = trace(
        "spec: {initContainers: [{name: a}], containers: [{name: c}]}\nstatus:\n  phase: Running\n  conditions: [{type: Initialized, status: 'True'}]\n  initContainerStatuses: [{name: a, restartCount: 3, state: {terminated: {exitCode: 1, signal: 15}}}]\n  containerStatuses: [{name: c, ready: true, state: {running: {}}}]",
    );
    assert_eq!(
        columns.status, "Init:Signal:15",
        "Init: survives when no app container sets a reason"
    );
    assert_eq!(
        columns.restarts, "0",
        "regular init restarts drop once the gate opens"
    );
    let rules: Vec<&str> = steps.iter().map(|s| s.rule.as_str()).collect();
    assert!(
        rules
            .iter()
            .any(|r| r.contains("Initialized condition is True")),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.contains("drop out of RESTARTS")),
        "{rules:?}"
    );
}

#[test]
fn sidecars_count_and_keep_their_restarts() {
    let (columns, steps) = trace(
        "spec: {initContainers: [{name: proxy, restartPolicy: Always}], containers: [{name: app}]}\nstatus:\n  phase: Running\n  conditions: [{type: Initialized, status: 'True'}]\n  initContainerStatuses: [{name: proxy, ready: true, started: true, restartCount: 2, state: {running: {}}, lastState: {terminated: {exitCode: 1, finishedAt: '2026-11-21T09:00:00Z'}}}]\n  containerStatuses: [{name: app, ready: true, state: {running: {}}}]",
    );
    assert_eq!(
        (columns.ready.as_str(), columns.restarts.as_str()),
        ("2/2", "2 (60m ago)")
    );
    assert_eq!(steps[1].field, "spec.initContainers[0].restartPolicy");
    assert!(
        steps
            .iter()
            .any(|s| s.field == "status.initContainerStatuses[0].started"
                && s.rule.contains("READY counts it"))
    );
}

#[test]
fn deletion_overrides_are_recorded() {
    let (columns, steps) =
        trace("metadata: {deletionTimestamp: '2026-11-21T09:59:00Z'}\nstatus: {phase: Running}");
    assert_eq!(columns.status, "Terminating");
    assert!(
        steps
            .iter()
            .any(|s| s.field == "metadata.deletionTimestamp" && s.rule.contains("Terminating"))
    );
    let (columns, _) = trace(
        "metadata: {deletionTimestamp: '2026-11-21T09:59:00Z'}\nstatus: {phase: Succeeded, containerStatuses: [{state: {terminated: {exitCode: 0, reason: Completed}}}]}",
    );
    assert_eq!(
        columns.status, "Completed",
        "finished pods keep their status while deleted"
    );
}

#[test]
fn partial_objects_do_not_panic() {
    for yaml in [
        "{}",
        "status: {}",
        "spec: {initContainers: [{}, {}]}\nstatus: {initContainerStatuses: [{}, {}, {}]}",
        "status: {containerStatuses: [{}, {state: {}}, {lastState: {terminated: {}}}]}",
        "status: {containerStatuses: [{restartCount: 2147483647}, {restartCount: 2147483647}, {restartCount: -5}]}",
        "status: {containerStatuses: [{restartCount: 1, lastState: {terminated: {finishedAt: '0001-01-01T00:00:00Z'}}}]}",
        "metadata: {deletionTimestamp: '9999-12-31T23:59:59Z'}",
    ] {
        let (columns, steps) = trace(yaml);
        assert!(columns.ready.contains('/'));
        assert_eq!(steps.last().unwrap().field, "STATUS");
    }
    let (columns, _) = trace(
        "status: {containerStatuses: [{restartCount: 2147483647}, {restartCount: 2147483647}]}",
    );
    assert_eq!(columns.restarts, "4294967294", "sums do not overflow");
    let (columns, _) = trace(
        "status: {containerStatuses: [{restartCount: 1, lastState: {terminated: {finishedAt: '0001-01-01T00:00:00Z'}}}]}",
    );
    assert_eq!(
        columns.restarts, "1",
        "a zero finish time is no last restart"
    );
}
