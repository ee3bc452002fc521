//! Tests of `drain_view.rs`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::*;
use crate::model::drain::{DaemonSetLookup, DrainOptions, MIRROR_POD_ANNOTATION, plan_drain};
use crate::model::drain_progress::DrainProgress;
use crate::model::meta::{ObjectMeta, OwnerReference};
use crate::model::pod::Pod;

const NODE: &str = "worker-1";

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

fn mirror_pod() -> Pod {
    let mut pod = pod("kube-system", "etcd-worker-1", None);
    pod.metadata
        .annotations
        .insert(MIRROR_POD_ANNOTATION.to_string(), "abc".to_string());
    pod
}

fn plan(pods: &[Pod], options: &DrainOptions) -> DrainPlan {
    let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
    plan_drain(NODE, pods, options, &|_, _| DaemonSetLookup::Exists, now).unwrap()
}

fn node_pods() -> Vec<Pod> {
    vec![
        pod("shop", "web-1", Some(("ReplicaSet", "web-7d"))),
        pod("shop", "cart-0", Some(("StatefulSet", "cart"))),
        pod("kube-system", "proxy-x", Some(("DaemonSet", "proxy"))),
        mirror_pod(),
    ]
}

fn ignoring_daemon_sets() -> DrainOptions {
    DrainOptions {
        ignore_daemonsets: true,
        ..DrainOptions::default()
    }
}

fn press(view: &mut DrainView, code: KeyCode) {
    view.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn planned(pods: &[Pod], options: DrainOptions) -> DrainView {
    let mut view = DrainView::new(NODE.to_string());
    view.options = options;
    press(&mut view, KeyCode::Char('p'));
    view.on_plan(plan(pods, &view.options));
    view
}

fn running() -> DrainView {
    let mut view = planned(&node_pods(), ignoring_daemon_sets());
    press(&mut view, KeyCode::Char('y'));
    view.on_progress(DrainProgress::Cordoned);
    view.on_progress(DrainProgress::Planned(plan(
        &node_pods(),
        &ignoring_daemon_sets(),
    )));
    view
}

fn pod_progress(namespace: &str, name: &str, state: PodState) -> DrainProgress {
    DrainProgress::Pod {
        namespace: namespace.into(),
        name: name.into(),
        state,
    }
}

fn render(view: &DrainView, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| draw(frame, frame.area(), view, Keymap::builtin(), &Theme::dark()))
        .expect("draws");
    terminal.backend().buffer().clone()
}

fn screen(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cell where `needle` first starts on screen.
fn position(buffer: &Buffer, needle: &str) -> (u16, u16) {
    let needle: Vec<char> = needle.chars().collect();
    for y in 0..buffer.area.height {
        // One char per cell (the border is not ASCII, so byte offsets would not do).
        let row: Vec<char> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().chars().next().unwrap_or(' '))
            .collect();
        if let Some(x) = row.windows(needle.len()).position(|cells| cells == needle) {
            return (x as u16, y);
        }
    }
    panic!("{needle:?} is not on screen:\n{}", screen(buffer));
}

fn colour_of(buffer: &Buffer, needle: &str) -> Color {
    buffer[position(buffer, needle)].fg
}

fn health_colour(health: Health) -> Color {
    Theme::dark().health(health).fg.expect("a colour")
}

#[test]
fn the_options_form_shows_kubectls_flags_and_the_selected_row() {
    let mut view = DrainView::new(NODE.to_string());
    for code in [KeyCode::Down, KeyCode::Down, KeyCode::Char(' ')] {
        press(&mut view, code);
    }
    let buffer = render(&view, 100, 20);
    let text = screen(&buffer);
    for expected in [
        "Drain node worker-1",
        "kubectl drain worker-1 --grace-period=-1 --timeout=0s --ignore-daemonsets",
        "grace period",
        "--grace-period=-1",
        "each pod's own terminationGracePeriodSeconds",
        "--timeout=0s",
        "wait forever",
        "[x] --ignore-daemonsets",
        "[ ] --delete-emptydir-data",
        "[ ] --force",
        "[ ] --disable-eviction",
        "Show plan",
        "p show plan",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let selected = buffer[position(&buffer, "ignore DaemonSet pods")].modifier;
    assert!(selected.contains(Modifier::REVERSED), "{selected:?}");
    let other = buffer[position(&buffer, "grace period")].modifier;
    assert!(!other.contains(Modifier::REVERSED), "{other:?}");
}

#[test]
fn a_number_being_typed_is_shown_with_a_cursor() {
    let mut view = DrainView::new(NODE.to_string());
    for code in [KeyCode::Enter, KeyCode::Char('4'), KeyCode::Char('5')] {
        press(&mut view, code);
    }
    let text = screen(&render(&view, 100, 20));
    assert!(text.contains("--grace-period=45_"), "{text}");
    assert!(text.contains("-1 leaves each pod its own"), "{text}");
    assert!(text.contains("enter keep"), "{text}");
}

#[test]
fn the_plan_is_coloured_by_decision_and_asks_to_confirm() {
    let view = planned(&node_pods(), ignoring_daemon_sets());
    let buffer = render(&view, 140, 24);
    let text = screen(&buffer);
    for expected in [
        "NAMESPACE",
        "NAME",
        "DECISION",
        "REASON",
        "4 pods on the node: 2 to evict, 2 to skip, 0 blocked",
        "managed by ReplicaSet web-7d",
        "Warning: ignoring DaemonSet-managed Pods: kube-system/proxy-x",
        "Drain node worker-1: cordon it and evict 2 pods? [y/N]",
        "y drain",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert_eq!(
        colour_of(&buffer, "evict "),
        health_colour(Health::Progressing)
    );
    assert_eq!(
        colour_of(&buffer, "skip: DaemonSet"),
        health_colour(Health::Done)
    );
    assert_eq!(
        colour_of(&buffer, "skip: mirror pod"),
        health_colour(Health::Done)
    );
}

#[test]
fn a_blocked_plan_says_why_and_what_would_unblock_it() {
    let mut pods = node_pods();
    pods.push(pod("default", "debug", None));
    let view = planned(&pods, DrainOptions::default());
    let buffer = render(&view, 160, 30);
    let text = screen(&buffer);
    for expected in [
        "blocked: unmanaged",
        "blocked: DaemonSet",
        "cannot delete",
        "use force to delete pods that declare no controller",
        "use ignore DaemonSet pods to leave DaemonSet pods in place",
        "esc back to the options",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert!(!text.contains("[y/N]"), "{text}");
    assert_eq!(
        colour_of(&buffer, "blocked: unmanaged"),
        health_colour(Health::Failing)
    );
}

#[test]
fn the_running_drain_shows_counts_and_each_pods_state() {
    let mut view = running();
    view.on_progress(pod_progress("shop", "web-1", PodState::Deleted));
    view.on_progress(pod_progress(
            "shop",
            "cart-0",
            PodState::BlockedByBudget {
                budget: "cart-pdb".into(),
                message: "error when evicting pods/\"cart-0\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.".into(),
                allowed: 0,
                current: 2,
                desired: 2,
                expected: 2,
            },
        ));
    let buffer = render(&view, 160, 20);
    let text = screen(&buffer);
    let budget = "blocked by PodDisruptionBudget cart-pdb (allowed 0, current 2, desired 2, expected 2): retrying every 5s";
    for expected in [
        "node/worker-1 cordoned",
        "1 evicted, 1 blocked, 0 failed of 2",
        "STATE",
        "Deleted",
        budget,
        "esc cancels further evictions; the node stays cordoned",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert_eq!(colour_of(&buffer, budget), health_colour(Health::Failing));
    assert_eq!(colour_of(&buffer, "Deleted"), health_colour(Health::Done));
    // The pods in plan order.
    assert!(position(&buffer, "web-1").1 < position(&buffer, "cart-0").1);

    view.on_progress(pod_progress(
        "shop",
        "web-1",
        PodState::Failed("context deadline exceeded".into()),
    ));
    press(&mut view, KeyCode::Esc);
    let buffer = render(&view, 160, 20);
    let text = screen(&buffer);
    assert!(text.contains("Failed: context deadline exceeded"), "{text}");
    assert!(text.contains("Cancelling"), "{text}");
    assert!(!text.contains("esc cancel"), "{text}");
}

#[test]
fn the_summary_shows_how_the_drain_ended() {
    let mut view = running();
    for name in ["web-1", "cart-0"] {
        view.on_progress(pod_progress("shop", name, PodState::Deleted));
    }
    view.on_progress(DrainProgress::Finished(DrainSummary {
        evicted: 2,
        deleted: 0,
        failed: 0,
        skipped: 2,
        cancelled: false,
        node_left_cordoned: true,
        text: "node/worker-1 drained".into(),
    }));
    let buffer = render(&view, 100, 20);
    let text = screen(&buffer);
    for expected in [
        "node/worker-1 drained",
        "2 evicted, 0 deleted, 0 failed, 2 skipped; the node stays cordoned",
        "esc/space/enter close",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert_eq!(
        colour_of(&buffer, "node/worker-1 drained"),
        health_colour(Health::Healthy)
    );
}

#[test]
fn a_drain_stopped_by_its_own_plan_shows_the_blocked_pods() {
    let mut view = running();
    let mut pods = node_pods();
    pods.push(pod("default", "debug", None));
    let blocked = plan(&pods, &ignoring_daemon_sets());
    let failure = blocked.failure_line().expect("blocked");
    view.on_progress(DrainProgress::Planned(blocked));
    view.on_progress(DrainProgress::Finished(DrainSummary {
        evicted: 0,
        deleted: 0,
        failed: 0,
        skipped: 2,
        cancelled: false,
        node_left_cordoned: true,
        text: failure,
    }));
    let buffer = render(&view, 160, 24);
    let text = screen(&buffer);
    assert!(text.contains("error: unable to drain node"), "{text}");
    assert_eq!(
        colour_of(&buffer, "error: unable to drain node"),
        health_colour(Health::Failing)
    );
    assert!(text.contains("blocked: unmanaged"), "{text}");
}

#[test]
fn every_stage_draws_in_a_tiny_area() {
    let mut views = vec![DrainView::new(NODE.to_string())];
    views.push(planned(&node_pods(), ignoring_daemon_sets()));
    views.push(planned(&node_pods(), DrainOptions::default()));
    views.push(running());
    let mut finished = running();
    finished.on_progress(DrainProgress::Finished(DrainSummary {
        evicted: 0,
        deleted: 0,
        failed: 0,
        skipped: 0,
        cancelled: true,
        node_left_cordoned: true,
        text: "drain cancelled".into(),
    }));
    views.push(finished);
    for view in &views {
        for (width, height) in [(1, 1), (12, 4), (30, 8)] {
            render(view, width, height);
        }
    }
}

#[test]
fn scrolling_keeps_the_last_row_in_sight() {
    let pods: Vec<Pod> = (0..30)
        .map(|i| {
            pod(
                "shop",
                &format!("web-{i:02}"),
                Some(("ReplicaSet", "web-7d")),
            )
        })
        .collect();
    let mut view = planned(&pods, DrainOptions::default());
    for _ in 0..40 {
        press(&mut view, KeyCode::Char('j'));
    }
    let text = screen(&render(&view, 100, 20));
    assert!(text.contains("web-29"), "{text}");
    assert!(!text.contains("web-00"), "{text}");
}

#[test]
fn text_wraps_at_spaces_and_cuts_long_words() {
    assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
    assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    assert_eq!(wrap("", 5), vec![""]);
}
