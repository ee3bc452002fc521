use std::collections::BTreeMap;

use super::super::resources::Resources;
use super::*;
use crate::model::health::Health;
use crate::model::kind::WatchedKind;
use crate::model::pod::Pod;
use crate::model::watched_pod::WatchedPod;

fn pod(name: &str, created: &str) -> Pod {
    serde_json::from_value(serde_json::json!({
        "metadata": {"namespace": "shop", "name": name, "creationTimestamp": created},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx"}]},
        "status": {"phase": "Running"},
    }))
    .expect("a pod")
}

/// The rows with ages, however the clock moved them on (in place, or made again), read as
/// rows made at that time from nothing.
#[test]
fn rows_with_ages_moved_on_by_the_clock_read_as_if_made_then() {
    let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
    let created = [
        "2026-12-03T09:59:58Z",
        "2026-12-03T09:58:01Z",
        "2026-12-03T09:50:30Z",
        "2026-12-03T07:00:00Z",
        "2026-11-20T10:00:00Z",
    ];
    let mut moved = Resources::default();
    for (index, at) in created.iter().enumerate() {
        moved.apply_pod(WatchedPod::new(pod(&format!("p{index}"), at), "{}".into()));
    }
    let mut now = start;
    for step in [1, 1, 58, 1, 20, 600, 1, 3600, 86_400] {
        now += jiff::SignedDuration::from_secs(step);
        let rows: Vec<String> = moved
            .pod_rows_with_ages(now)
            .rows()
            .iter()
            .map(str::to_string)
            .collect();
        let laid = moved.pod_rows_with_ages(now).rows().rows().text.to_string();
        let mut fresh = Resources::default();
        for (index, at) in created.iter().enumerate() {
            fresh.apply_pod(WatchedPod::new(pod(&format!("p{index}"), at), "{}".into()));
        }
        let search = fresh.pod_rows_with_ages(now);
        let expected: Vec<&str> = search.rows().iter().collect();
        assert_eq!(rows, expected, "after {step} s more");
        assert_eq!(
            laid,
            search.rows().rows().text,
            "laid out after {step} s more"
        );
    }
}

/// The statuses the property test's pods take: running and ready, pending, done, failed, and
/// running and ready after an OOMKill.
const STATUSES: usize = 5;

fn pod_in_status(name: &str, created: &str, status: usize) -> Pod {
    let ready = serde_json::json!({"name": "c", "ready": true, "restartCount": 0, "state": {"running": {}}});
    let oom_killed = serde_json::json!({
        "name": "c", "ready": true, "restartCount": 1, "state": {"running": {}},
        "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "finishedAt": created}},
    });
    let status = match status {
        0 => {
            serde_json::json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [ready]})
        }
        1 => serde_json::json!({"phase": "Pending"}),
        2 => serde_json::json!({"phase": "Succeeded"}),
        3 => serde_json::json!({"phase": "Failed"}),
        _ => {
            serde_json::json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [oom_killed]})
        }
    };
    serde_json::from_value(serde_json::json!({
        "metadata": {"namespace": "shop", "name": name, "creationTimestamp": created},
        "spec": {"nodeName": NODES[name.bytes().map(usize::from).sum::<usize>() % NODES.len()], "containers": [{"name": "c", "image": "nginx"}]},
        "status": status,
    }))
    .expect("a pod")
}

/// What a reader of the texts sees: the rows with ages, the buffer a regex scans, the cuts.
#[derive(Debug, PartialEq)]
struct Read {
    rows: Vec<String>,
    laid: String,
    cuts: Vec<(usize, Key)>,
}

fn texts_read(resources: &Resources, now: Timestamp) -> Read {
    let search = resources.pod_rows_with_ages(now);
    Read {
        rows: search.rows().iter().map(str::to_string).collect(),
        laid: search.rows().rows().text.to_string(),
        cuts: search.cuts().to_vec(),
    }
}

/// What a tally of the pods reads: the pods triage may read, and how many have each health.
type Tally = (Vec<Key>, Vec<usize>);

const HEALTHS: [Health; 5] = [
    Health::Healthy,
    Health::Progressing,
    Health::Done,
    Health::Failing,
    Health::Unknown,
];

/// The tally kept as the pods changed.
fn tally_kept(resources: &Resources) -> Tally {
    (
        resources
            .maybe_down()
            .keys()
            .map(|key| Key::clone(key))
            .collect(),
        HEALTHS.map(|h| resources.pods_with_health(h)).to_vec(),
    )
}

/// The tally of a pass over the pods.
fn tally_counted(resources: &Resources) -> Tally {
    let down = |name: &str| {
        resources
            .nodes
            .get(&(String::new(), name.to_string()))
            .is_some_and(|n| !matches!(n.health, Health::Healthy | Health::Progressing))
    };
    (
        resources
            .pods
            .iter()
            .filter(|(_, p)| {
                !matches!(p.health, Health::Healthy | Health::Done)
                    || p.oom_killed
                    || down(&p.node_name)
            })
            .map(|(key, _)| key.clone())
            .collect(),
        HEALTHS
            .map(|h| resources.pods.values().filter(|p| p.health == h).count())
            .to_vec(),
    )
}

#[derive(Debug, Clone)]
enum Change {
    Apply {
        pod: usize,
        minutes_old: u32,
        phase: usize,
    },
    Remove {
        pod: usize,
    },
    KeepOnly {
        mask: u32,
    },
    Read {
        seconds_on: u32,
    },
    /// Some rows gathered between keys (`make_some`).
    Slice {
        rows: usize,
    },
    /// A node the pods run on (`NODES`) comes, Ready or not, or goes.
    Node {
        node: usize,
        ready: Option<bool>,
    },
    /// The nodes listed again, keeping those `mask` names.
    KeepNodes {
        mask: u8,
    },
}

/// The nodes the property test's pods run on, by the pod's number.
const NODES: [&str; 3] = ["worker-0", "worker-1", "worker-2"];

fn node(name: &str, ready: bool) -> crate::model::node::Node {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": name},
        "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]},
    }))
    .expect("a node")
}

fn change() -> impl proptest::strategy::Strategy<Value = Change> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0usize..24, 0u32..200, 0usize..STATUSES)
            .prop_map(|(pod, minutes_old, phase)| Change::Apply { pod, minutes_old, phase }),
        2 => (0usize..24).prop_map(|pod| Change::Remove { pod }),
        1 => proptest::num::u32::ANY.prop_map(|mask| Change::KeepOnly { mask }),
        3 => (0u32..700).prop_map(|seconds_on| Change::Read { seconds_on }),
        3 => (1usize..8).prop_map(|rows| Change::Slice { rows }),
        2 => (0usize..NODES.len(), proptest::option::of(proptest::bool::ANY))
            .prop_map(|(node, ready)| Change::Node { node, ready }),
        1 => (0u8..8).prop_map(|mask| Change::KeepNodes { mask }),
    ]
}

proptest::proptest! {
    /// However pods come, change and go between reads and between slices of a gathering,
    /// the texts brought current (the changed rows written into them) read as texts made
    /// from nothing of the same pods; and what is kept of the pods as they change (the pods
    /// triage may read, the counts by health) is what a pass over them finds.
    #[test]
    fn texts_edited_under_churn_read_as_if_made_from_nothing(
        changes in proptest::collection::vec(change(), 1..40),
    ) {
        let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let mut now = start;
        let mut resources = Resources::default();
        let mut held: BTreeMap<usize, (String, usize)> = BTreeMap::new();
        let name = |pod: usize| format!("p{pod:02}");
        for change in changes {
            match change {
                Change::Apply { pod, minutes_old, phase } => {
                    let created = (start - jiff::SignedDuration::from_mins(minutes_old.into())).to_string();
                    resources.apply_pod(WatchedPod::new(pod_in_status(&name(pod), &created, phase), "{}".into()));
                    held.insert(pod, (created, phase));
                }
                Change::Remove { pod } => {
                    resources.remove_pod(&("shop".to_string(), name(pod)));
                    held.remove(&pod);
                }
                Change::KeepOnly { mask } => {
                    held.retain(|pod, _| mask & (1 << pod) != 0);
                    let keys = held.keys().map(|pod| ("shop".to_string(), name(*pod))).collect();
                    resources.keep_only(WatchedKind::Pods, &keys);
                }
                Change::Slice { rows } => {
                    resources.ready_pod_rows(now, rows);
                }
                Change::Node { node: index, ready } => {
                    let name = NODES[index];
                    match ready {
                        Some(ready) => {
                            resources.apply_node(node(name, ready), "{}".into(), now);
                        }
                        None => resources.remove_node(&(String::new(), name.to_string())),
                    }
                    proptest::prop_assert_eq!(tally_kept(&resources), tally_counted(&resources));
                }
                Change::KeepNodes { mask } => {
                    let keys = NODES
                        .iter()
                        .enumerate()
                        .filter(|(index, _)| mask & (1 << index) != 0)
                        .map(|(_, name)| (String::new(), name.to_string()))
                        .collect();
                    resources.keep_only(WatchedKind::Nodes, &keys);
                    proptest::prop_assert_eq!(tally_kept(&resources), tally_counted(&resources));
                }
                Change::Read { seconds_on } => {
                    now += jiff::SignedDuration::from_secs(seconds_on.into());
                    let mut fresh = Resources::default();
                    for (pod, (created, phase)) in &held {
                        fresh.apply_pod(WatchedPod::new(pod_in_status(&name(*pod), created, *phase), "{}".into()));
                    }
                    proptest::prop_assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
                    proptest::prop_assert_eq!(tally_kept(&resources), tally_counted(&resources));
                }
            }
        }
    }
}

/// Resources holding the pods `names`, all created at `created`.
fn holding(names: impl IntoIterator<Item = String>, created: &str) -> Resources {
    let mut resources = Resources::default();
    for name in names {
        resources.apply_pod(WatchedPod::new(pod(&name, created), "{}".into()));
    }
    resources
}

/// Gathered a slice at a time while pods change and the clock moves, the rows are then read
/// without being gathered again; a relist under way begins the gathering again.
#[test]
fn rows_gathered_in_slices_are_read_without_gathering_them_again() {
    let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
    let created = "2026-12-03T09:58:30Z";
    let mut resources = holding((0..10).map(|index| format!("p{index}")), created);
    assert!(!resources.ready_pod_rows(start, 4));
    // Before the slice's end, after it, and a pod gone from the part written.
    resources.apply_pod(WatchedPod::new(pod("a0", created), "{}".into()));
    resources.apply_pod(WatchedPod::new(pod("p9a", created), "{}".into()));
    resources.remove_pod(&("shop".to_string(), "p1".to_string()));
    let later = start + jiff::SignedDuration::from_secs(40);
    assert!(!resources.ready_pod_rows(later, 4));
    assert!(resources.ready_pod_rows(later, 4));
    assert_eq!(resources.pod_rows_gathered(), 0);
    let now = start + jiff::SignedDuration::from_secs(95);
    let fresh = holding(resources.pods.keys().map(|key| key.1.clone()), created);
    assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
    assert_eq!(
        resources.pod_rows_gathered(),
        0,
        "read on the rows gathered in slices"
    );
    // A relist while a gathering is under way: what was written is stale, and the
    // gathering begins again over the pods the list kept.
    let mut resources = holding((0..10).map(|index| format!("p{index}")), created);
    assert!(!resources.ready_pod_rows(start, 4));
    let kept = ["p0", "p5", "p7"].map(|name| ("shop".to_string(), name.to_string()));
    resources.keep_only(WatchedKind::Pods, &kept.iter().cloned().collect());
    assert!(!resources.ready_pod_rows(start, 2));
    assert!(resources.ready_pod_rows(start, 2));
    let fresh = holding(kept.iter().map(|key| key.1.clone()), created);
    assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
    assert_eq!(resources.pod_rows_gathered(), 0);
}

/// Cut in parts (above a part's worth of rows a core) where a fresh cut would be, after
/// pods came and went.
#[test]
fn edited_texts_are_cut_where_fresh_ones_are() {
    let now: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
    let count = 3 * ROWS_WORTH_A_THREAD + 5;
    let mut resources = Resources::default();
    for index in 0..count {
        resources.apply_pod(WatchedPod::new(
            pod(&format!("p{index:05}"), "2026-12-03T09:00:00Z"),
            "{}".into(),
        ));
    }
    let _ = resources.pod_rows_with_ages(now);
    for index in (0..count).step_by(7) {
        resources.remove_pod(&("shop".to_string(), format!("p{index:05}")));
    }
    resources.apply_pod(WatchedPod::new(
        pod("a-first", "2026-12-03T09:00:00Z"),
        "{}".into(),
    ));
    let mut fresh = Resources::default();
    for key in resources.pods.keys() {
        fresh.apply_pod(WatchedPod::new(
            pod(&key.1, "2026-12-03T09:00:00Z"),
            "{}".into(),
        ));
    }
    assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
    assert!(!resources.pod_rows_with_ages(now).cuts().is_empty());
}

/// The pods a scan kept, looked up by their rows' keys when they are few and walked when
/// they are many, are the pods at the kept rows, in order.
#[test]
fn the_pods_kept_are_those_at_the_kept_rows_however_few() {
    let now: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
    let mut resources = Resources::default();
    for index in 0..200 {
        resources.apply_pod(WatchedPod::new(
            pod(&format!("p{index:03}"), "2026-12-03T09:00:00Z"),
            "{}".into(),
        ));
    }
    let search = resources.pod_rows_with_ages(now);
    for every in [1, 2, 7, 9, 50, 201] {
        let kept: Vec<bool> = (0..200).map(|index| index % every == 3 % every).collect();
        let expected: Vec<&Key> = resources
            .pods
            .keys()
            .zip(&kept)
            .filter(|(_, kept)| **kept)
            .map(|(key, _)| key)
            .collect();
        let mut found: Vec<&Key> = Vec::new();
        search.kept(&resources.pods, &kept, |key, _| found.push(key));
        assert_eq!(found, expected, "every {every}th row kept");
    }
    let mut none = 0;
    search.kept(&resources.pods, &[false; 200], |_, _| none += 1);
    assert_eq!(none, 0);
}

/// While the rows are gathered, changes to pods whose rows are not yet gathered are not noted
/// (their rows are written as they are when gathered), and those to rows gathered are, however
/// many: under churn, a gathering whose changes passed a quarter of the rows began again
/// without end.
#[test]
fn a_gathering_under_churn_ends_though_every_pod_changes_meanwhile() {
    let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
    let created = "2026-12-03T09:00:00Z";
    let name = |index: usize| format!("p{index:04}");
    let mut status = vec![0; 5_000];
    let holding_as = |status: &[usize]| {
        let mut resources = Resources::default();
        for (index, status) in status.iter().enumerate() {
            let pod = pod_in_status(&name(index), created, *status);
            resources.apply_pod(WatchedPod::new(pod, "{}".into()));
        }
        resources
    };
    let mut resources = holding_as(&status);
    let mut slices = 0;
    while !resources.ready_pod_rows(start, 500) {
        slices += 1;
        assert!(slices < 20, "the gathering began again");
        // 300 pods change between slices, 2,700 before the end (past a quarter of the rows),
        // the last row gathered among them.
        let last = slices * 500 - 1;
        for index in (last..last + 300).map(|i| i % 5_000) {
            status[index] = (status[index] + 1) % STATUSES;
            let pod = pod_in_status(&name(index), created, status[index]);
            resources.apply_pod(WatchedPod::new(pod, "{}".into()));
        }
    }
    assert_eq!(slices, 9, "ten slices of 500 rows");
    let fresh = holding_as(&status);
    assert_eq!(texts_read(&resources, start), texts_read(&fresh, start));
    assert_eq!(resources.pod_rows_gathered(), 0);
}
