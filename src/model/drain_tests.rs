//! kubectl drain's filter chain: each filter, each option, their combinations, and the messages
//! kubectl prints (texts taken from kubectl 1.37.1 run against the simulator).

use std::cell::RefCell;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::*;

const NOW: &str = "2026-11-21T10:00:00Z";
const NODE: &str = "worker-1";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

/// A pod on [`NODE`] from `namespace/name` and extra JSON merged into it.
fn pod(key: &str, extra: Value) -> Pod {
    let (namespace, name) = key.split_once('/').expect("namespace/name");
    let mut object = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"nodeName": NODE, "containers": [{"name": "main", "image": "nginx"}]},
        "status": {"phase": "Running"},
    });
    merge(&mut object, extra);
    serde_json::from_value(object).expect("a pod")
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                merge(into.entry(key).or_insert(Value::Null), value);
            }
        }
        (into, from) => *into = from,
    }
}

fn owned_by(kind: &str, name: &str) -> Value {
    let api_version = match kind {
        "Job" => "batch/v1",
        _ => "apps/v1",
    };
    owned_by_version(api_version, kind, name)
}

fn owned_by_version(api_version: &str, kind: &str, name: &str) -> Value {
    json!({"metadata": {"ownerReferences": [
        {"apiVersion": api_version, "kind": kind, "name": name, "uid": "u-1", "controller": true}
    ]}})
}

fn with_empty_dir(mut extra: Value) -> Value {
    merge(
        &mut extra,
        json!({"spec": {"volumes": [{"name": "scratch", "emptyDir": {}}, {"name": "config", "configMap": {"name": "c"}}]}}),
    );
    extra
}

fn phase(mut extra: Value, phase: &str) -> Value {
    merge(&mut extra, json!({"status": {"phase": phase}}));
    extra
}

fn existing_daemon_sets(_: &str, _: &str) -> DaemonSetLookup {
    DaemonSetLookup::Exists
}

fn plan_with(
    pods: &[Pod],
    options: &DrainOptions,
    daemon_set: &dyn Fn(&str, &str) -> DaemonSetLookup,
) -> DrainPlan {
    plan_drain(NODE, pods, options, daemon_set, now()).expect("a valid plan")
}

fn plan(pods: &[Pod], options: &DrainOptions) -> DrainPlan {
    plan_with(pods, options, &existing_daemon_sets)
}

fn only(plan: &DrainPlan) -> &PlannedPod {
    assert_eq!(plan.pods.len(), 1, "{plan:#?}");
    &plan.pods[0]
}

fn options() -> DrainOptions {
    DrainOptions::default()
}

fn all_flags() -> DrainOptions {
    DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        force: true,
        ..DrainOptions::default()
    }
}

// ---------------------------------------------------------------------------------------------
// A plain managed pod

#[test]
fn a_managed_pod_is_evicted_silently() {
    let plan = plan(
        &[pod("shop/web-1", owned_by("ReplicaSet", "web-7d"))],
        &options(),
    );
    let web = only(&plan);
    assert_eq!(web.decision, Decision::Evict);
    assert_eq!(web.reason, "managed by ReplicaSet web-7d");
    assert_eq!(web.kubectl_message, None);
    assert!(plan.can_proceed());
    assert!(plan.errors.is_empty() && plan.warnings.is_empty());
    assert_eq!(plan.error_text(), None);
    assert_eq!(plan.failure_line(), None);
    assert_eq!(plan.warning_text(), None);
    assert_eq!(plan.dry_run_lines(), ["evicting pod shop/web-1 (dry run)"]);
}

#[test]
fn disable_eviction_deletes_instead() {
    let options = DrainOptions {
        disable_eviction: true,
        ..options()
    };
    let plan = plan(
        &[pod("shop/web-1", owned_by("ReplicaSet", "web-7d"))],
        &options,
    );
    assert_eq!(only(&plan).decision, Decision::Delete);
    // kubectl's client dry run says "evicting" whichever way it would remove the pod.
    assert_eq!(plan.dry_run_lines(), ["evicting pod shop/web-1 (dry run)"]);
}

// ---------------------------------------------------------------------------------------------
// skip deleted

fn deleted_at(seconds_ago: i64) -> Value {
    let at = now() - jiff::SignedDuration::from_secs(seconds_ago);
    let mut extra = owned_by("ReplicaSet", "web-7d");
    merge(
        &mut extra,
        json!({"metadata": {"deletionTimestamp": at.to_string()}}),
    );
    extra
}

fn skip_wait(seconds: i64) -> DrainOptions {
    DrainOptions {
        skip_wait_for_delete_timeout_seconds: seconds,
        ..options()
    }
}

#[test]
fn a_pod_deleted_longer_ago_than_the_skip_wait_timeout_is_skipped_silently() {
    let plan = plan(&[pod("shop/web-1", deleted_at(21))], &skip_wait(20));
    let web = only(&plan);
    assert_eq!(web.decision, Decision::Skip(SkipReason::AlreadyDeleted));
    assert!(web.reason.contains("21s ago"), "{}", web.reason);
    assert!(web.reason.contains("--skip-wait-for-delete-timeout=20"));
    assert_eq!(web.kubectl_message, None);
    assert!(plan.can_proceed());
    assert!(plan.pods_to_remove().is_empty());
    assert!(plan.warnings.is_empty());
}

#[test]
fn skip_wait_counts_whole_seconds_and_needs_strictly_more() {
    // Exactly the timeout is not older than it.
    let plan_at = |extra: Value, timeout| plan(&[pod("shop/web-1", extra)], &skip_wait(timeout));
    assert_eq!(only(&plan_at(deleted_at(20), 20)).decision, Decision::Evict);
    // 20.9 s truncates to 20, as Go's int(d.Seconds()) does.
    let mut extra = owned_by("ReplicaSet", "web-7d");
    let at = now() - jiff::SignedDuration::from_millis(20_900);
    merge(
        &mut extra,
        json!({"metadata": {"deletionTimestamp": at.to_string()}}),
    );
    assert_eq!(only(&plan_at(extra, 20)).decision, Decision::Evict);
}

#[test]
fn skip_wait_is_off_at_zero_or_below_and_ignores_future_or_missing_timestamps() {
    let old = || pod("shop/web-1", deleted_at(86_400));
    for timeout in [0, -5] {
        assert_eq!(
            only(&plan(&[old()], &skip_wait(timeout))).decision,
            Decision::Evict
        );
    }
    // A graceful deletion sets the timestamp in the future (now + grace period).
    let future = pod("shop/web-1", deleted_at(-30));
    assert_eq!(
        only(&plan(&[future], &skip_wait(1))).decision,
        Decision::Evict
    );
    let live = pod("shop/web-1", owned_by("ReplicaSet", "web-7d"));
    assert_eq!(
        only(&plan(&[live], &skip_wait(1))).decision,
        Decision::Evict
    );
    // Go's zero time is "not set".
    let zero = pod(
        "shop/web-1",
        json!({"metadata": {"deletionTimestamp": "0001-01-01T00:00:00Z"}}),
    );
    let forced = DrainOptions {
        force: true,
        ..skip_wait(1)
    };
    assert_eq!(only(&plan(&[zero], &forced)).decision, Decision::Evict);
}

#[test]
fn skip_deleted_runs_before_every_other_filter() {
    // A deleted DaemonSet pod with no DaemonSet, emptyDir data and no flags: skipped, and the
    // DaemonSet is never looked up.
    let mut extra = deleted_at(100);
    merge(&mut extra, owned_by("DaemonSet", "gone"));
    let pods = [pod("kube-system/agent-x", with_empty_dir(extra))];
    let plan = plan_with(&pods, &skip_wait(10), &|_, _| {
        panic!("kubectl does not read the DaemonSet of a skipped pod")
    });
    assert_eq!(
        only(&plan).decision,
        Decision::Skip(SkipReason::AlreadyDeleted)
    );
    assert!(plan.can_proceed());
}

// ---------------------------------------------------------------------------------------------
// DaemonSet

fn daemon_pod() -> Pod {
    pod(
        "kube-system/kube-proxy-x",
        owned_by("DaemonSet", "kube-proxy"),
    )
}

#[test]
fn a_daemon_set_pod_blocks_without_ignore_daemonsets() {
    let asked = RefCell::new(Vec::new());
    let lookup = |namespace: &str, name: &str| {
        asked.borrow_mut().push(format!("{namespace}/{name}"));
        DaemonSetLookup::Exists
    };
    let plan = plan_with(&[daemon_pod()], &options(), &lookup);
    assert_eq!(asked.borrow().as_slice(), ["kube-system/kube-proxy"]);
    let proxy = only(&plan);
    assert_eq!(proxy.decision, Decision::Blocked(BlockReason::DaemonSet));
    assert!(
        proxy.reason.contains("--ignore-daemonsets"),
        "{}",
        proxy.reason
    );
    assert!(!plan.can_proceed());
    assert_eq!(
        plan.errors,
        [
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-x"
        ]
    );
    assert_eq!(
        plan.failure_line().unwrap(),
        "error: unable to drain node \"worker-1\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-x, continuing command..."
    );
}

#[test]
fn ignore_daemonsets_leaves_them_with_a_warning() {
    let options = DrainOptions {
        ignore_daemonsets: true,
        ..options()
    };
    let plan = plan(&[daemon_pod()], &options);
    let proxy = only(&plan);
    assert_eq!(proxy.decision, Decision::Skip(SkipReason::DaemonSet));
    assert_eq!(
        proxy.kubectl_message.as_deref(),
        Some("ignoring DaemonSet-managed Pods")
    );
    assert_eq!(proxy.grace_period_seconds, None);
    assert!(plan.can_proceed());
    assert_eq!(
        plan.warning_text().unwrap(),
        "ignoring DaemonSet-managed Pods: kube-system/kube-proxy-x"
    );
}

#[test]
fn force_does_not_remove_a_daemon_set_pod_whose_daemon_set_exists() {
    let options = DrainOptions {
        force: true,
        delete_emptydir_data: true,
        ..options()
    };
    let plan = plan(&[daemon_pod()], &options);
    assert_eq!(
        only(&plan).decision,
        Decision::Blocked(BlockReason::DaemonSet)
    );
}

#[test]
fn a_missing_daemon_set_blocks_with_the_api_error_unless_force() {
    let missing = |_: &str, _: &str| DaemonSetLookup::NotFound;
    for ignore_daemonsets in [false, true] {
        let options = DrainOptions {
            ignore_daemonsets,
            ..options()
        };
        let plan = plan_with(&[daemon_pod()], &options, &missing);
        let proxy = only(&plan);
        assert_eq!(
            proxy.decision,
            Decision::Blocked(BlockReason::DaemonSetMissing)
        );
        assert!(proxy.reason.contains("--force"), "{}", proxy.reason);
        assert_eq!(
            plan.errors,
            ["cannot delete daemonsets.apps \"kube-proxy\" not found: kube-system/kube-proxy-x"]
        );
    }
    // With --force the orphan is removed, and kubectl's warning about it is overwritten by the
    // later filters, so nothing is printed.
    let options = DrainOptions {
        force: true,
        ..options()
    };
    let plan = plan_with(&[daemon_pod()], &options, &missing);
    let proxy = only(&plan);
    assert_eq!(proxy.decision, Decision::Evict);
    assert_eq!(proxy.kubectl_message, None);
    assert!(proxy.reason.contains("is gone"), "{}", proxy.reason);
    assert!(plan.warnings.is_empty() && plan.errors.is_empty());
}

#[test]
fn a_failed_daemon_set_lookup_blocks_even_with_force() {
    let forbidden = |_: &str, _: &str| {
        DaemonSetLookup::Failed(
            "daemonsets.apps \"kube-proxy\" is forbidden: User \"x\" cannot get resource".into(),
        )
    };
    let plan = plan_with(&[daemon_pod()], &all_flags(), &forbidden);
    assert_eq!(
        only(&plan).decision,
        Decision::Blocked(BlockReason::DaemonSetUnreadable)
    );
    assert_eq!(
        plan.errors,
        [
            "cannot delete daemonsets.apps \"kube-proxy\" is forbidden: User \"x\" cannot get resource: kube-system/kube-proxy-x"
        ]
    );
}

#[test]
fn an_empty_lookup_error_is_an_unexpected_error() {
    let plan = plan_with(&[daemon_pod()], &options(), &|_, _| {
        DaemonSetLookup::Failed(String::new())
    });
    assert_eq!(
        plan.errors,
        ["cannot delete unexpected error: kube-system/kube-proxy-x"]
    );
}

#[test]
fn a_finished_daemon_set_pod_is_removed_without_a_lookup() {
    for finished in ["Succeeded", "Failed"] {
        let pods = [pod(
            "kube-system/kube-proxy-x",
            phase(owned_by("DaemonSet", "kube-proxy"), finished),
        )];
        let plan = plan_with(&pods, &options(), &|_, _| panic!("no lookup"));
        let proxy = only(&plan);
        assert_eq!(proxy.decision, Decision::Evict, "{finished}");
        assert!(proxy.reason.contains(finished), "{}", proxy.reason);
    }
}

#[test]
fn only_an_apps_v1_daemon_set_controller_counts() {
    // kubectl 1.37 compares the whole apiVersion: other versions are ordinary controllers.
    for api_version in ["extensions/v1beta1", "apps/v1beta2", "example.com/v1"] {
        let pods = [pod(
            "kube-system/agent-x",
            owned_by_version(api_version, "DaemonSet", "agent"),
        )];
        let plan = plan_with(&pods, &options(), &|_, _| panic!("no lookup"));
        let agent = only(&plan);
        assert_eq!(agent.decision, Decision::Evict, "{api_version}");
        assert_eq!(agent.reason, "managed by DaemonSet agent");
    }
}

#[test]
fn a_daemon_set_owner_that_is_not_the_controller_does_not_count() {
    let pods = [pod(
        "kube-system/agent-x",
        json!({"metadata": {"ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "u"}
        ]}}),
    )];
    let plan = plan_with(&pods, &options(), &|_, _| panic!("no lookup"));
    assert_eq!(
        only(&plan).decision,
        Decision::Blocked(BlockReason::Unmanaged)
    );
}

#[test]
fn the_first_controller_reference_decides() {
    let pods = [pod(
        "kube-system/agent-x",
        json!({"metadata": {"ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "1", "controller": false},
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "2", "controller": true},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs2", "uid": "3", "controller": true}
        ]}}),
    )];
    assert_eq!(
        only(&plan(&pods, &options())).decision,
        Decision::Blocked(BlockReason::DaemonSet)
    );
}

// ---------------------------------------------------------------------------------------------
// mirror pods

fn mirror(extra: Value) -> Value {
    let mut extra = extra;
    merge(
        &mut extra,
        json!({"metadata": {"annotations": {"kubernetes.io/config.mirror": ""}}}),
    );
    extra
}

#[test]
fn a_mirror_pod_is_skipped_silently_whatever_else_it_has() {
    // No controller and emptyDir data: the mirror filter runs before both.
    let pods = [pod(
        "kube-system/etcd-cp-1",
        mirror(with_empty_dir(json!({}))),
    )];
    let plan = plan(&pods, &options());
    let etcd = only(&plan);
    assert_eq!(etcd.decision, Decision::Skip(SkipReason::MirrorPod));
    assert_eq!(etcd.kubectl_message, None);
    assert!(etcd.reason.contains("kubernetes.io/config.mirror"));
    assert!(plan.can_proceed());
    assert!(plan.warnings.is_empty() && plan.errors.is_empty());
}

#[test]
fn the_daemon_set_filter_runs_before_the_mirror_filter() {
    let pods = [pod(
        "kube-system/odd",
        mirror(owned_by("DaemonSet", "kube-proxy")),
    )];
    assert_eq!(
        only(&plan(&pods, &options())).decision,
        Decision::Blocked(BlockReason::DaemonSet)
    );
    // An orphan removed by --force still meets the mirror filter, which keeps it.
    let plan = plan_with(&pods, &all_flags(), &|_, _| DaemonSetLookup::NotFound);
    assert_eq!(only(&plan).decision, Decision::Skip(SkipReason::MirrorPod));
}

// ---------------------------------------------------------------------------------------------
// local storage

#[test]
fn empty_dir_data_blocks_without_delete_emptydir_data() {
    let pods = [pod(
        "shop/cache-0",
        with_empty_dir(owned_by("StatefulSet", "cache")),
    )];
    let plan = plan(&pods, &options());
    let cache = only(&plan);
    assert_eq!(cache.decision, Decision::Blocked(BlockReason::LocalStorage));
    assert!(cache.reason.contains("(scratch)"), "{}", cache.reason);
    assert!(cache.reason.contains("--delete-emptydir-data"));
    assert_eq!(
        plan.errors,
        [
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/cache-0"
        ]
    );
}

#[test]
fn delete_emptydir_data_removes_them_and_its_warning_is_never_printed() {
    let options = DrainOptions {
        delete_emptydir_data: true,
        ..options()
    };
    let pods = [pod(
        "shop/cache-0",
        with_empty_dir(owned_by("StatefulSet", "cache")),
    )];
    let plan = plan(&pods, &options);
    let cache = only(&plan);
    assert_eq!(cache.decision, Decision::Evict);
    assert!(cache.reason.contains("emptyDir data (scratch) is deleted"));
    assert_eq!(cache.kubectl_message, None);
    assert!(plan.warnings.is_empty());
}

#[test]
fn a_finished_pod_with_empty_dir_data_is_removed() {
    let pods = [pod(
        "batch/job-x",
        phase(with_empty_dir(owned_by("Job", "job")), "Failed"),
    )];
    let cache = plan(&pods, &options());
    assert_eq!(only(&cache).decision, Decision::Evict);
    assert!(only(&cache).reason.contains("finished (Failed)"));
}

#[test]
fn only_empty_dir_volumes_are_local_storage() {
    let pods = [pod(
        "shop/web-1",
        json!({
            "metadata": {"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "1", "controller": true}]},
            "spec": {"volumes": [
                {"name": "c", "configMap": {"name": "c"}},
                {"name": "h", "hostPath": {"path": "/var"}},
                {"name": "n", "emptyDir": null}
            ]}
        }),
    )];
    assert_eq!(only(&plan(&pods, &options())).decision, Decision::Evict);
}

// ---------------------------------------------------------------------------------------------
// unreplicated

#[test]
fn a_pod_without_a_controller_blocks_without_force() {
    let plan = plan(&[pod("default/bare", json!({}))], &options());
    let bare = only(&plan);
    assert_eq!(bare.decision, Decision::Blocked(BlockReason::Unmanaged));
    assert!(bare.reason.contains("--force"));
    assert_eq!(
        plan.errors,
        ["cannot delete Pods that declare no controller (use --force to override): default/bare"]
    );
}

#[test]
fn force_removes_it_with_a_warning() {
    let options = DrainOptions {
        force: true,
        ..options()
    };
    let plan = plan(&[pod("default/bare", json!({}))], &options);
    let bare = only(&plan);
    assert_eq!(bare.decision, Decision::Evict);
    assert_eq!(
        plan.warnings,
        ["deleting Pods that declare no controller: default/bare"]
    );
}

#[test]
fn an_owner_that_is_not_a_controller_is_no_controller() {
    let pods = [pod(
        "default/owned",
        json!({"metadata": {"ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "1"}
        ]}}),
    )];
    assert_eq!(
        only(&plan(&pods, &options())).decision,
        Decision::Blocked(BlockReason::Unmanaged)
    );
}

#[test]
fn a_finished_pod_without_a_controller_is_removed_silently() {
    for finished in ["Succeeded", "Failed"] {
        let pods = [pod("shop/debug-shell", phase(json!({}), finished))];
        let plan = plan(&pods, &options());
        assert_eq!(only(&plan).decision, Decision::Evict, "{finished}");
        assert!(plan.warnings.is_empty());
    }
    // Pending, Unknown and an unset phase are not finished.
    for unfinished in ["Pending", "Unknown", ""] {
        let pods = [pod("shop/debug-shell", phase(json!({}), unfinished))];
        assert_eq!(
            only(&plan(&pods, &options())).decision,
            Decision::Blocked(BlockReason::Unmanaged),
            "{unfinished:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Combinations: the chain stops at the first filter that keeps the pod

fn bare_with_empty_dir() -> Pod {
    pod("shop/netshoot", with_empty_dir(json!({})))
}

#[test]
fn local_storage_is_checked_before_the_controller() {
    let force_only = DrainOptions {
        force: true,
        ..options()
    };
    assert_eq!(
        only(&plan(&[bare_with_empty_dir()], &force_only)).decision,
        Decision::Blocked(BlockReason::LocalStorage)
    );
    let emptydir_only = DrainOptions {
        delete_emptydir_data: true,
        ..options()
    };
    assert_eq!(
        only(&plan(&[bare_with_empty_dir()], &emptydir_only)).decision,
        Decision::Blocked(BlockReason::Unmanaged)
    );
    // Both: removed, with the no-controller warning (the last filter's message wins).
    let plan = plan(&[bare_with_empty_dir()], &all_flags());
    let netshoot = only(&plan);
    assert_eq!(netshoot.decision, Decision::Evict);
    assert_eq!(
        netshoot.reason,
        "its emptyDir data (scratch) is deleted (--delete-emptydir-data); declares no controller, so nothing recreates it; removed because of --force"
    );
    assert_eq!(
        plan.warnings,
        ["deleting Pods that declare no controller: shop/netshoot"]
    );
}

#[test]
fn a_finished_bare_pod_with_empty_dir_data_needs_no_flag() {
    let pods = [pod(
        "default/done",
        phase(with_empty_dir(json!({})), "Succeeded"),
    )];
    let plan = plan(&pods, &options());
    let done = only(&plan);
    assert_eq!(done.decision, Decision::Evict);
    assert_eq!(
        done.reason,
        "finished (Succeeded), so its emptyDir data (scratch) does not keep it; finished (Succeeded), so declaring no controller does not keep it"
    );
}

// ---------------------------------------------------------------------------------------------
// Grace period, selection

#[test]
fn the_grace_period_is_the_option_when_non_negative_else_the_pods_own() {
    let with_own = |seconds: Option<i64>| {
        let mut extra = owned_by("ReplicaSet", "rs");
        if let Some(seconds) = seconds {
            merge(
                &mut extra,
                json!({"spec": {"terminationGracePeriodSeconds": seconds}}),
            );
        }
        pod("shop/web-1", extra)
    };
    let grace = |option: Option<i64>, own: Option<i64>| {
        let options = DrainOptions {
            grace_period_seconds: option,
            ..options()
        };
        only(&plan(&[with_own(own)], &options)).grace_period_seconds
    };
    assert_eq!(grace(None, Some(600)), Some(600));
    assert_eq!(grace(Some(-1), Some(600)), Some(600));
    assert_eq!(grace(None, None), Some(30));
    assert_eq!(grace(Some(0), Some(600)), Some(0));
    assert_eq!(grace(Some(15), None), Some(15));
    let requested = |seconds| {
        DrainOptions {
            grace_period_seconds: seconds,
            ..options()
        }
        .requested_grace_period_seconds()
    };
    assert_eq!(requested(None), None);
    assert_eq!(requested(Some(-1)), None);
    assert_eq!(requested(Some(0)), Some(0));
}

#[test]
fn only_pods_on_the_node_are_planned() {
    let mut elsewhere = pod("shop/web-2", owned_by("ReplicaSet", "rs"));
    elsewhere.spec.node_name = "worker-2".into();
    let mut unscheduled = pod("shop/web-3", owned_by("ReplicaSet", "rs"));
    unscheduled.spec.node_name = String::new();
    let here = pod("shop/web-1", owned_by("ReplicaSet", "rs"));
    let plan = plan(&[elsewhere, here, unscheduled], &options());
    assert_eq!(only(&plan).name, "web-1");
}

#[test]
fn the_pod_selector_limits_the_pods_considered() {
    let labelled = |key: &str, labels: Value| {
        let mut extra = json!({"metadata": {"labels": labels}});
        merge(&mut extra, owned_by("ReplicaSet", "rs"));
        pod(key, extra)
    };
    let pods = [
        labelled("shop/web-1", json!({"app": "web"})),
        // Blocked, but not selected: it does not stop the drain.
        pod(
            "default/bare",
            json!({"metadata": {"labels": {"app": "debug"}}}),
        ),
        labelled("shop/cart-1", json!({"app": "cart", "tier": "backend"})),
    ];
    let select = |selector: Option<&str>| {
        let options = DrainOptions {
            pod_selector: selector.map(str::to_string),
            ..options()
        };
        plan(&pods, &options)
    };
    let web = select(Some("app in (web, cart)"));
    assert!(web.can_proceed());
    assert_eq!(
        web.dry_run_lines(),
        [
            "evicting pod shop/web-1 (dry run)",
            "evicting pod shop/cart-1 (dry run)"
        ]
    );
    assert_eq!(select(Some("tier")).pods.len(), 1);
    assert_eq!(select(Some("")).pods.len(), 3);
    assert_eq!(select(None).pods.len(), 3);
    assert!(!select(None).can_proceed());
}

#[test]
fn an_invalid_pod_selector_is_kubectls_error() {
    let options = DrainOptions {
        pod_selector: Some("app in (".into()),
        ..options()
    };
    let error = plan_drain(NODE, &[], &options, &existing_daemon_sets, now()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "--pod-selector=<pod_selector> must be a valid label selector"
    );
    assert_eq!(error.selector, "app in (");
    assert!(std::error::Error::source(&error).is_some());
}

// ---------------------------------------------------------------------------------------------
// Messages: grouping, order, aggregation

/// worker-3 of the simulated cluster with extra pods, as kubectl 1.37.1 saw it.
fn worker_three() -> Vec<Pod> {
    vec![
        pod(
            "batch/report-1",
            phase(owned_by("Job", "report-1"), "Succeeded"),
        ),
        pod(
            "default/done-local",
            phase(with_empty_dir(json!({})), "Succeeded"),
        ),
        pod(
            "default/noncontroller-owner",
            json!({"metadata": {"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "w", "uid": "3"}]}}),
        ),
        pod("default/fake-mirror", mirror(with_empty_dir(json!({})))),
        pod(
            "kube-system/beta2-ds",
            owned_by_version("apps/v1beta2", "DaemonSet", "kube-proxy"),
        ),
        pod("kube-system/cilium-4xw5s", owned_by("DaemonSet", "cilium")),
        pod(
            "kube-system/ext-ghost",
            owned_by_version("extensions/v1beta1", "DaemonSet", "ghost2"),
        ),
        pod(
            "kube-system/kube-proxy-dgjqh",
            owned_by("DaemonSet", "kube-proxy"),
        ),
        pod("kube-system/orphan-ds", owned_by("DaemonSet", "ghost")),
        pod(
            "monitoring/node-exporter-tbtvx",
            owned_by("DaemonSet", "node-exporter"),
        ),
        pod("shop/netshoot", with_empty_dir(json!({}))),
        pod("shop/web-zt52d", owned_by("ReplicaSet", "web")),
    ]
}

fn worker_three_daemon_sets(namespace: &str, name: &str) -> DaemonSetLookup {
    let known = [
        ("kube-system", "cilium"),
        ("kube-system", "kube-proxy"),
        ("monitoring", "node-exporter"),
    ];
    known.contains(&(namespace, name)).into()
}

#[test]
fn every_error_is_grouped_by_message_in_order_of_its_first_pod() {
    let plan = plan_with(&worker_three(), &options(), &worker_three_daemon_sets);
    assert_eq!(
        plan.errors,
        [
            "cannot delete Pods that declare no controller (use --force to override): default/noncontroller-owner",
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/cilium-4xw5s, kube-system/kube-proxy-dgjqh, monitoring/node-exporter-tbtvx",
            "cannot delete daemonsets.apps \"ghost\" not found: kube-system/orphan-ds",
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/netshoot",
        ]
    );
    // kubectl printed these four in this order once; its order is Go map order.
    assert_eq!(
        plan.failure_line().unwrap(),
        "error: unable to drain node \"worker-1\" due to error: [cannot delete Pods that declare no controller (use --force to override): default/noncontroller-owner, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/cilium-4xw5s, kube-system/kube-proxy-dgjqh, monitoring/node-exporter-tbtvx, cannot delete daemonsets.apps \"ghost\" not found: kube-system/orphan-ds, cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/netshoot], continuing command..."
    );
    assert!(plan.warnings.is_empty());
    assert!(plan.pods_to_remove().is_empty());
    assert!(plan.dry_run_lines().is_empty());
    let blocked: Vec<String> = plan.blocked_pods().iter().map(|p| p.key()).collect();
    assert_eq!(
        blocked,
        [
            "default/noncontroller-owner",
            "kube-system/cilium-4xw5s",
            "kube-system/kube-proxy-dgjqh",
            "kube-system/orphan-ds",
            "monitoring/node-exporter-tbtvx",
            "shop/netshoot"
        ]
    );
}

#[test]
fn force_alone_leaves_local_storage_and_daemon_sets_blocking() {
    let options = DrainOptions {
        force: true,
        ..options()
    };
    let plan = plan_with(&worker_three(), &options, &worker_three_daemon_sets);
    assert_eq!(
        plan.error_text().unwrap(),
        "[cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/cilium-4xw5s, kube-system/kube-proxy-dgjqh, monitoring/node-exporter-tbtvx, cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/netshoot]"
    );
    // The warning for the no-controller pod is computed but kubectl never gets to print it.
    assert_eq!(
        plan.warnings,
        ["deleting Pods that declare no controller: default/noncontroller-owner"]
    );
}

#[test]
fn with_every_flag_the_node_drains_and_warnings_are_joined() {
    let plan = plan_with(&worker_three(), &all_flags(), &worker_three_daemon_sets);
    assert!(plan.can_proceed());
    assert_eq!(
        plan.warning_text().unwrap(),
        "deleting Pods that declare no controller: default/noncontroller-owner, shop/netshoot; ignoring DaemonSet-managed Pods: kube-system/cilium-4xw5s, kube-system/kube-proxy-dgjqh, monitoring/node-exporter-tbtvx"
    );
    let removed: Vec<String> = plan.pods_to_remove().iter().map(|p| p.key()).collect();
    assert_eq!(
        removed,
        [
            "batch/report-1",
            "default/done-local",
            "default/noncontroller-owner",
            "kube-system/beta2-ds",
            "kube-system/ext-ghost",
            "kube-system/orphan-ds",
            "shop/netshoot",
            "shop/web-zt52d"
        ]
    );
    let skipped: Vec<(String, Decision)> = plan
        .pods
        .iter()
        .filter(|p| !p.is_removed())
        .map(|p| (p.key(), p.decision))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "default/fake-mirror".into(),
                Decision::Skip(SkipReason::MirrorPod)
            ),
            (
                "kube-system/cilium-4xw5s".into(),
                Decision::Skip(SkipReason::DaemonSet)
            ),
            (
                "kube-system/kube-proxy-dgjqh".into(),
                Decision::Skip(SkipReason::DaemonSet)
            ),
            (
                "monitoring/node-exporter-tbtvx".into(),
                Decision::Skip(SkipReason::DaemonSet)
            ),
        ]
    );
}

#[test]
fn a_message_already_starting_with_cannot_delete_is_not_prefixed_again() {
    let plan = plan_with(&[daemon_pod(), daemon_pod()], &options(), &|_, _| {
        DaemonSetLookup::Failed("Cannot delete: server busy".into())
    });
    assert_eq!(
        plan.errors,
        ["Cannot delete: server busy: kube-system/kube-proxy-x, kube-system/kube-proxy-x"]
    );
}

#[test]
fn repeated_error_texts_are_aggregated_once() {
    // Two different messages can render the same error; the aggregate drops the repeat.
    let pods = [daemon_pod()];
    let plan = plan_with(&pods, &options(), &|_, _| {
        DaemonSetLookup::Failed("cannot delete x".into())
    });
    let doubled = DrainPlan {
        errors: vec![plan.errors[0].clone(), plan.errors[0].clone()],
        ..plan
    };
    assert_eq!(
        doubled.error_text().unwrap(),
        "cannot delete x: kube-system/kube-proxy-x"
    );
}
