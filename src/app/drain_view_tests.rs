//! Tests of `drain_view.rs`.

use crossterm::event::KeyEvent;
use jiff::Timestamp;

use super::*;
use crate::model::drain::{DaemonSetLookup, plan_drain};
use crate::model::meta::{ObjectMeta, OwnerReference};
use crate::model::pod::Pod;

const NODE: &str = "worker-1";

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(view: &mut DrainView, keys: &str) -> Vec<DrainViewOutcome> {
    keys.chars()
        .map(|c| view.on_key(key(KeyCode::Char(c))))
        .collect()
}

fn pod(namespace: &str, name: &str, controller: Option<(&str, &str)>) -> Pod {
    let mut pod = Pod {
        metadata: ObjectMeta {
            namespace: namespace.to_string(),
            name: name.to_string(),
            ..ObjectMeta::default()
        },
        ..Pod::default()
    };
    pod.spec.node_name = NODE.to_string();
    pod.status.phase = "Running".to_string();
    if let Some((kind, owner)) = controller {
        pod.metadata.owner_references.push(OwnerReference {
            api_version: "apps/v1".to_string(),
            kind: kind.to_string(),
            name: owner.to_string(),
            uid: "u-1".to_string(),
            controller: Some(true),
        });
    }
    pod
}

fn plan(pods: &[Pod], options: &DrainOptions) -> DrainPlan {
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
    plan_drain(NODE, pods, options, &|_, _| DaemonSetLookup::Exists, now).unwrap()
}

fn managed_pods() -> Vec<Pod> {
    vec![
        pod("shop", "web-1", Some(("ReplicaSet", "web-7d"))),
        pod("shop", "cart-0", Some(("StatefulSet", "cart"))),
        pod("kube-system", "proxy-x", Some(("DaemonSet", "proxy"))),
    ]
}

/// A view past the form, showing the plan of `pods` for its options.
fn planned(pods: &[Pod], options: DrainOptions) -> DrainView {
    let mut view = DrainView::new(NODE.to_string());
    view.options = options;
    assert_eq!(
        view.on_key(key(KeyCode::Char('p'))),
        DrainViewOutcome::Plan(view.options.clone())
    );
    view.on_plan(plan(pods, &view.options));
    view
}

fn ignoring_daemon_sets() -> DrainOptions {
    DrainOptions {
        ignore_daemonsets: true,
        ..DrainOptions::default()
    }
}

#[test]
fn a_new_view_has_kubectls_defaults() {
    let view = DrainView::new(NODE.to_string());
    assert_eq!(view.stage, DrainStage::Options);
    assert_eq!(view.options, DrainOptions::default());
    assert_eq!(view.options.requested_grace_period_seconds(), None);
    assert_eq!(view.options.timeout, None);
    assert!(!view.options.ignore_daemonsets);
    assert!(!view.options.delete_emptydir_data);
    assert!(!view.options.force);
    assert!(!view.options.disable_eviction);
    assert_eq!(
        OptionRow::GracePeriod.flag(&view.options).as_deref(),
        Some("--grace-period=-1")
    );
    assert_eq!(
        OptionRow::Timeout.flag(&view.options).as_deref(),
        Some("--timeout=0s")
    );
    assert_eq!(
        view.kubectl_command(),
        "kubectl drain worker-1 --grace-period=-1 --timeout=0s"
    );
    assert_eq!(view.selected_row(), OptionRow::GracePeriod);
}

#[test]
fn space_and_enter_toggle_the_flags() {
    let mut view = DrainView::new(NODE.to_string());
    press(&mut view, "jj ");
    assert_eq!(view.selected_row(), OptionRow::IgnoreDaemonSets);
    assert!(view.options.ignore_daemonsets);
    view.on_key(key(KeyCode::Down));
    view.on_key(key(KeyCode::Enter));
    assert!(view.options.delete_emptydir_data);
    press(&mut view, "j j ");
    assert!(view.options.force);
    assert!(view.options.disable_eviction);
    assert_eq!(
        view.kubectl_command(),
        "kubectl drain worker-1 --grace-period=-1 --timeout=0s --ignore-daemonsets --delete-emptydir-data --force --disable-eviction"
    );
    // A second toggle turns it off; k moves back up and stops at the first row.
    press(&mut view, "k ");
    assert!(!view.options.force);
    press(&mut view, "kkkkkkkk");
    assert_eq!(view.field, 0);
    press(&mut view, "jjjjjjjjjj");
    assert_eq!(view.selected_row(), OptionRow::ShowPlan);
}

#[test]
fn numbers_are_typed_kept_with_enter_and_undone_with_esc() {
    let mut view = DrainView::new(NODE.to_string());
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.editing.as_deref(), Some(""));
    // Letters are not seconds; j does not move while typing.
    press(&mut view, "1x2j0");
    assert_eq!(view.editing.as_deref(), Some("120"));
    view.on_key(key(KeyCode::Backspace));
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.editing, None);
    assert_eq!(view.options.grace_period_seconds, Some(12));
    assert_eq!(
        OptionRow::GracePeriod.meaning(&view.options),
        "12s for every pod"
    );

    // -1 goes back to each pod's own.
    press(&mut view, " -1");
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.options.grace_period_seconds, None);

    // Esc leaves the value as it was; so does enter with nothing typed.
    press(&mut view, "j 90");
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));
    assert_eq!(
        OptionRow::Timeout.flag(&view.options).as_deref(),
        Some("--timeout=1m30s")
    );
    press(&mut view, " 5");
    assert_eq!(
        view.on_key(key(KeyCode::Esc)),
        DrainViewOutcome::Nothing,
        "esc while typing does not close the dialog"
    );
    assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));
    view.on_key(key(KeyCode::Char(' ')));
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.options.timeout, Some(Duration::from_secs(90)));

    // 0 waits forever again; a minus sign is no timeout.
    press(&mut view, " -0");
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.options.timeout, None);
}

#[test]
fn a_number_too_big_for_kubectl_is_refused_digit_by_digit() {
    let mut view = DrainView::new(NODE.to_string());
    press(&mut view, "j 99999999999");
    assert_eq!(view.editing.as_deref(), Some("999999999"));
    view.on_key(key(KeyCode::Enter));
    assert_eq!(view.options.timeout, Some(Duration::from_secs(999_999_999)));
    press(&mut view, "k 99999999999999999999");
    assert_eq!(view.editing, Some("9".repeat(18)));
}

#[test]
fn p_or_the_last_row_asks_for_the_plan_and_esc_closes() {
    let mut view = DrainView::new(NODE.to_string());
    press(&mut view, "jj ");
    assert_eq!(
        view.on_key(key(KeyCode::Char('p'))),
        DrainViewOutcome::Plan(ignoring_daemon_sets())
    );
    assert!(view.planning);
    // The options stay as asked with until the plan comes.
    press(&mut view, "j ");
    assert_eq!(view.options, ignoring_daemon_sets());

    let mut view = DrainView::new(NODE.to_string());
    press(&mut view, "jjjjjj");
    assert_eq!(view.selected_row(), OptionRow::ShowPlan);
    assert_eq!(
        view.on_key(key(KeyCode::Enter)),
        DrainViewOutcome::Plan(DrainOptions::default())
    );
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);

    let mut view = DrainView::new(NODE.to_string());
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);
}

#[test]
fn a_failed_plan_is_shown_on_the_form() {
    let mut view = DrainView::new(NODE.to_string());
    press(&mut view, "p");
    view.on_plan_failed("pods is forbidden".to_string());
    assert!(!view.planning);
    assert_eq!(view.plan_error.as_deref(), Some("pods is forbidden"));
    assert_eq!(view.stage, DrainStage::Options);
    press(&mut view, "jj ");
    assert!(
        view.options.ignore_daemonsets,
        "the form takes changes again"
    );
}

#[test]
fn the_plan_arrives_and_y_starts_the_drain() {
    let mut view = planned(&managed_pods(), ignoring_daemon_sets());
    let DrainStage::Planned(plan) = &view.stage else {
        panic!("{:?}", view.stage);
    };
    assert!(plan.can_proceed());
    assert!(!view.planning);
    assert_eq!(
        view.prompt().as_deref(),
        Some("Drain node worker-1: cordon it and evict 2 pods? [y/N]")
    );
    assert_eq!(
        view.on_key(key(KeyCode::Char('y'))),
        DrainViewOutcome::Start(ignoring_daemon_sets())
    );
    assert_eq!(view.stage, DrainStage::Running);
    assert_eq!(
        view.pods,
        vec![
            ("shop".into(), "web-1".into(), PodState::Pending),
            ("shop".into(), "cart-0".into(), PodState::Pending),
        ]
    );
    // A second y starts nothing.
    assert_eq!(
        view.on_key(key(KeyCode::Char('y'))),
        DrainViewOutcome::Nothing
    );
}

#[test]
fn the_prompt_says_delete_and_counts_one_pod() {
    let options = DrainOptions {
        disable_eviction: true,
        ..ignoring_daemon_sets()
    };
    let view = planned(&managed_pods()[..1], options);
    assert_eq!(
        view.prompt().as_deref(),
        Some("Drain node worker-1: cordon it and delete 1 pod? [y/N]")
    );
}

#[test]
fn no_is_the_default_and_goes_back_to_the_options() {
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Char('n'),
        KeyCode::Char('N'),
    ] {
        let mut view = planned(&managed_pods(), ignoring_daemon_sets());
        assert_eq!(
            view.on_key(key(code)),
            DrainViewOutcome::Nothing,
            "{code:?}"
        );
        assert_eq!(view.stage, DrainStage::Options, "{code:?}");
        assert_eq!(view.options, ignoring_daemon_sets());
        // The form works again, and asks for a new plan.
        press(&mut view, "jjjj ");
        assert_eq!(
            view.on_key(key(KeyCode::Char('p'))),
            DrainViewOutcome::Plan(DrainOptions {
                force: true,
                ..ignoring_daemon_sets()
            })
        );
    }
}

#[test]
fn a_blocked_plan_takes_no_y_and_says_which_option_unblocks_it() {
    let pods = [
        pod("shop", "web-1", Some(("ReplicaSet", "web-7d"))),
        pod("default", "debug", None),
        pod("kube-system", "proxy-x", Some(("DaemonSet", "proxy"))),
        pod("default", "debug-2", None),
    ];
    let mut view = planned(&pods, DrainOptions::default());
    let DrainStage::Planned(plan) = &view.stage else {
        panic!("{:?}", view.stage);
    };
    assert!(!plan.can_proceed());
    assert_eq!(
        unblock_hints(plan),
        vec![
            "use force to delete pods that declare no controller",
            "use ignore DaemonSet pods to leave DaemonSet pods in place",
        ]
    );
    assert_eq!(view.prompt(), None);
    for c in ['y', 'Y'] {
        assert_eq!(
            view.on_key(key(KeyCode::Char(c))),
            DrainViewOutcome::Nothing
        );
        assert!(matches!(view.stage, DrainStage::Planned(_)));
    }
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Nothing);
    assert_eq!(view.stage, DrainStage::Options);
}

#[test]
fn a_plan_arriving_past_the_form_is_ignored() {
    let mut view = planned(&managed_pods(), ignoring_daemon_sets());
    let shown = view.stage.clone();
    view.on_plan(plan(&managed_pods()[..1], &ignoring_daemon_sets()));
    assert_eq!(view.stage, shown);
}

fn running() -> DrainView {
    let mut view = planned(&managed_pods(), ignoring_daemon_sets());
    view.on_key(key(KeyCode::Char('y')));
    view
}

fn budget_refusal() -> PodState {
    PodState::BlockedByBudget {
            budget: "cart-pdb".into(),
            message: "error when evicting pods/\"cart-0\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.".into(),
            allowed: 0,
            current: 2,
            desired: 2,
            expected: 2,
        }
}

fn pod_progress(namespace: &str, name: &str, state: PodState) -> DrainProgress {
    DrainProgress::Pod {
        namespace: namespace.into(),
        name: name.into(),
        state,
    }
}

#[test]
fn progress_updates_each_pod_in_plan_order() {
    let mut view = running();
    view.on_progress(DrainProgress::Cordoned);
    assert_eq!(view.cordon.as_deref(), Some("node/worker-1 cordoned"));
    // The drain's own plan: a pod appeared since the preview.
    let mut pods = managed_pods();
    pods.push(pod("shop", "web-2", Some(("ReplicaSet", "web-7d"))));
    view.on_progress(DrainProgress::Planned(plan(&pods, &ignoring_daemon_sets())));
    view.on_progress(pod_progress("shop", "web-2", PodState::Evicting));
    view.on_progress(pod_progress("shop", "cart-0", budget_refusal()));
    view.on_progress(pod_progress("shop", "web-1", PodState::Evicting));
    view.on_progress(pod_progress("shop", "web-1", PodState::Deleted));
    assert_eq!(view.stage, DrainStage::Running);
    assert_eq!(
        view.pods,
        vec![
            ("shop".into(), "web-1".into(), PodState::Deleted),
            ("shop".into(), "cart-0".into(), budget_refusal()),
            ("shop".into(), "web-2".into(), PodState::Evicting),
        ]
    );
    assert_eq!(view.counts_text(), "1 evicted, 1 blocked, 0 failed of 3");
    assert_eq!(
        pod_state_text(&budget_refusal()),
        "blocked by PodDisruptionBudget cart-pdb (allowed 0, current 2, desired 2, expected 2): retrying every 5s"
    );

    view.on_progress(pod_progress(
        "shop",
        "web-2",
        PodState::Failed("context deadline exceeded".into()),
    ));
    view.on_progress(pod_progress(
        "shop",
        "cart-0",
        PodState::Skipped(
            "pod \"cart-0\" has DeletionTimestamp older than 5 seconds, skipping".into(),
        ),
    ));
    assert_eq!(
        view.counts(),
        DrainCounts {
            removed: 1,
            blocked: 0,
            failed: 1,
            skipped: 1,
            total: 3
        }
    );
    assert_eq!(
        view.counts_text(),
        "1 evicted, 0 blocked, 1 failed, 1 skipped of 3"
    );
}

#[test]
fn the_cordon_line_is_kubectls() {
    let mut view = running();
    view.on_progress(DrainProgress::AlreadyCordoned);
    assert_eq!(
        view.cordon.as_deref(),
        Some("node/worker-1 already cordoned")
    );
    assert!(!view.cordon_failed);
    let mut view = running();
    let line = "error: unable to cordon node \"worker-1\": nodes is forbidden";
    view.on_progress(DrainProgress::CordonFailed(line.into()));
    assert_eq!(view.cordon.as_deref(), Some(line));
    assert!(view.cordon_failed);
}

fn summary(cancelled: bool, failed: usize, text: &str) -> DrainSummary {
    DrainSummary {
        evicted: 1,
        deleted: 0,
        failed,
        skipped: 1,
        cancelled,
        node_left_cordoned: true,
        text: text.into(),
    }
}

#[test]
fn esc_cancels_once_and_the_summary_ends_the_drain() {
    let mut view = running();
    view.on_progress(DrainProgress::Cordoned);
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Cancel);
    assert!(view.cancelling);
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Nothing);
    let cancelled = summary(
        true,
        0,
        "drain cancelled: node worker-1 stays cordoned; 1 pod was evicted, 1 not",
    );
    view.on_progress(DrainProgress::Finished(cancelled.clone()));
    assert_eq!(view.stage, DrainStage::Finished(cancelled.clone()));
    assert!(!view.drained());
    // Nothing after the end changes it.
    view.on_progress(pod_progress("shop", "web-1", PodState::Deleted));
    assert_eq!(view.stage, DrainStage::Finished(cancelled));
    assert_eq!(view.state_of("shop", "web-1"), Some(&PodState::Pending));
    assert_eq!(
        view.on_key(key(KeyCode::Char('y'))),
        DrainViewOutcome::Nothing
    );
    assert_eq!(view.on_key(key(KeyCode::Enter)), DrainViewOutcome::Close);
}

#[test]
fn a_drain_that_removed_every_pod_is_drained() {
    let mut view = running();
    view.on_progress(DrainProgress::Cordoned);
    view.on_progress(DrainProgress::Planned(plan(
        &managed_pods(),
        &ignoring_daemon_sets(),
    )));
    for name in ["web-1", "cart-0"] {
        view.on_progress(pod_progress("shop", name, PodState::Deleted));
    }
    view.on_progress(DrainProgress::Finished(summary(
        false,
        0,
        "node/worker-1 drained",
    )));
    assert!(view.drained());
    assert_eq!(view.on_key(key(KeyCode::Esc)), DrainViewOutcome::Close);
}

#[test]
fn ctrl_chords_are_left_to_the_app() {
    let mut view = DrainView::new(NODE.to_string());
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
    assert_eq!(view.on_key(ctrl_c), DrainViewOutcome::Nothing);
    assert_eq!(view.on_key(ctrl_j), DrainViewOutcome::Nothing);
    assert_eq!(view.field, 0);
}

#[test]
fn decisions_read_as_their_kind() {
    assert_eq!(decision_text(Decision::Evict), "evict");
    assert_eq!(
        decision_text(Decision::Skip(SkipReason::MirrorPod)),
        "skip: mirror pod"
    );
    assert_eq!(
        decision_text(Decision::Blocked(BlockReason::LocalStorage)),
        "blocked: local storage"
    );
}
