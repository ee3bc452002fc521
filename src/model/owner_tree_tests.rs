use std::collections::{BTreeMap, HashSet};

use serde_json::json;

use super::*;
use crate::model::container_rows::ContainerRole;

fn key(namespace: &str, name: &str) -> Key {
    (namespace.to_string(), name.to_string())
}

fn object<'a>(
    kind: WatchedKind,
    key: &'a Key,
    uid: &'a str,
    controller: Option<&'a str>,
) -> TreeObject<'a> {
    TreeObject {
        kind,
        key,
        uid,
        controller,
        selector: None,
        publish_not_ready: false,
        status: format!("{} status", kind.kind_name()),
        health: Health::Healthy,
    }
}

fn pod<'a>(
    key: &'a Key,
    controller: Option<&'a str>,
    node: &'a str,
    labels: &'a BTreeMap<String, String>,
) -> TreePod<'a> {
    TreePod {
        key,
        controller,
        node,
        labels,
        has_ip: true,
        phase: "Running",
        terminating: false,
        ready: "1/1",
        status: "Running",
        restarts: 0,
        last_restart: None,
        health: Health::Healthy,
    }
}

fn app_container(name: &str) -> ContainerRow {
    ContainerRow {
        name: name.into(),
        role: ContainerRole::App,
        image: "nginx".into(),
        ready: true,
        state: "Running".into(),
        restarts: 0,
        last_termination: String::new(),
        health: Health::Healthy,
    }
}

fn now() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn one_container(_: &Key) -> Vec<ContainerRow> {
    vec![app_container("web")]
}

/// Each line as `guides abbreviation name`.
fn drawn(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            format!(
                "{}{} {}{}",
                l.guides,
                l.subject.abbreviation(),
                l.name,
                if l.folded { " +" } else { "" }
            )
        })
        .collect()
}

#[test]
fn a_deployment_down_to_its_containers_by_owner_uid() {
    let (deploy, rs_new, rs_old) = (
        key("shop", "web"),
        key("shop", "web-2"),
        key("shop", "web-1"),
    );
    let (p1, p2, stray) = (
        key("shop", "web-2-a"),
        key("shop", "web-2-b"),
        key("shop", "web-x"),
    );
    let labels = BTreeMap::new();
    let inventory = Inventory {
        objects: vec![
            object(WatchedKind::Deployments, &deploy, "d1", None),
            object(WatchedKind::ReplicaSets, &rs_new, "r2", Some("d1")),
            object(WatchedKind::ReplicaSets, &rs_old, "r1", Some("d1")),
        ],
        pods: vec![
            pod(&p2, Some("r2"), "n1", &labels),
            pod(&p1, Some("r2"), "n1", &labels),
            // Owned by a ReplicaSet of the same name made again: not this tree's.
            pod(&stray, Some("r-gone"), "n1", &labels),
        ],
    };
    let roots = [Subject::Object(WatchedKind::Deployments, deploy.clone())];
    let lines = tree_lines(
        &inventory,
        &roots,
        &|_: &Subject| false,
        &mut one_container,
        now(),
    );
    assert_eq!(
        drawn(&lines),
        [
            "deploy shop/web",
            "├─rs web-1",
            "└─rs web-2",
            "  ├─po web-2-a",
            "  │ └─co web",
            "  └─po web-2-b",
            "    └─co web",
        ]
    );
    assert_eq!(lines[3].status, "1/1 Running, restarts 0");
    assert_eq!(lines[4].status, "Running, ready, restarts 0");
    assert!(lines[2].children && !lines[1].children);
}

#[test]
fn folded_lines_hide_what_is_under_them_and_containers_are_not_asked_for() {
    let (deploy, rs) = (key("shop", "web"), key("shop", "web-2"));
    let p1 = key("shop", "web-2-a");
    let labels = BTreeMap::new();
    let inventory = Inventory {
        objects: vec![
            object(WatchedKind::Deployments, &deploy, "d1", None),
            object(WatchedKind::ReplicaSets, &rs, "r2", Some("d1")),
        ],
        pods: vec![pod(&p1, Some("r2"), "n1", &labels)],
    };
    let roots = [Subject::Object(WatchedKind::Deployments, deploy.clone())];
    let asked = std::cell::Cell::new(0);
    let mut containers = |_: &Key| {
        asked.set(asked.get() + 1);
        vec![app_container("web")]
    };
    let folded: HashSet<Subject> = [Subject::Object(WatchedKind::Pods, p1.clone())].into();
    let lines = tree_lines(
        &inventory,
        &roots,
        &|s: &Subject| folded.contains(s),
        &mut containers,
        now(),
    );
    assert_eq!(
        drawn(&lines),
        ["deploy shop/web", "└─rs web-2", "  └─po web-2-a +"]
    );
    assert_eq!(asked.get(), 0);
    let folded: HashSet<Subject> = [Subject::Object(WatchedKind::ReplicaSets, rs.clone())].into();
    let lines = tree_lines(
        &inventory,
        &roots,
        &|s: &Subject| folded.contains(s),
        &mut containers,
        now(),
    );
    assert_eq!(drawn(&lines), ["deploy shop/web", "└─rs web-2 +"]);
}

#[test]
fn a_cronjob_owns_jobs_which_own_pods() {
    let (cj, job) = (key("batch", "report"), key("batch", "report-1"));
    let p = key("batch", "report-1-x");
    let labels = BTreeMap::new();
    let inventory = Inventory {
        objects: vec![
            object(WatchedKind::CronJobs, &cj, "c1", None),
            object(WatchedKind::Jobs, &job, "j1", Some("c1")),
        ],
        pods: vec![pod(&p, Some("j1"), "n1", &labels)],
    };
    let roots = [Subject::Object(WatchedKind::CronJobs, cj.clone())];
    let lines = tree_lines(
        &inventory,
        &roots,
        &|_: &Subject| false,
        &mut one_container,
        now(),
    );
    assert_eq!(
        drawn(&lines),
        [
            "cj batch/report",
            "└─job report-1",
            "  └─po report-1-x",
            "    └─co web",
        ]
    );
}

#[test]
fn a_service_has_the_pods_the_endpoints_controller_lists() {
    let svc = key("shop", "web");
    let (ready, no_ip, done, going, other_ns) = (
        key("shop", "a"),
        key("shop", "b"),
        key("shop", "c"),
        key("shop", "d"),
        key("other", "e"),
    );
    let web: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
    let mut service = object(WatchedKind::Services, &svc, "s1", None);
    service.selector = Some(LabelSelector::from_set(&web).unwrap());
    service.status = "ClusterIP".into();
    let mut pods = vec![
        pod(&ready, None, "n1", &web),
        pod(&no_ip, None, "n1", &web),
        pod(&done, None, "n1", &web),
        pod(&going, None, "n1", &web),
        pod(&other_ns, None, "n1", &web),
    ];
    pods[1].has_ip = false;
    pods[2].phase = "Succeeded";
    pods[3].terminating = true;
    pods[3].health = Health::Progressing;
    let inventory = Inventory {
        objects: vec![service],
        pods,
    };
    let roots = [Subject::Object(WatchedKind::Services, svc.clone())];
    let folded: HashSet<Subject> = [Subject::Object(WatchedKind::Pods, ready.clone())].into();
    let lines = tree_lines(
        &inventory,
        &roots,
        &|s: &Subject| folded.contains(s),
        &mut one_container,
        now(),
    );
    assert_eq!(drawn(&lines), ["svc shop/web", "└─po a +"]);
    assert_eq!(lines[0].status, "ClusterIP, 1/1 pods ready");
    assert_eq!(lines[0].health, Health::Healthy);

    // Publishing addresses that are not ready keeps a terminating pod, not ready.
    let mut inventory = inventory;
    inventory.objects[0].publish_not_ready = true;
    let lines = tree_lines(
        &inventory,
        &roots,
        &|s: &Subject| folded.contains(s),
        &mut one_container,
        now(),
    );
    assert_eq!(lines[0].status, "ClusterIP, 1/2 pods ready");

    // Selecting pods none of which is ready: nothing answers it.
    inventory.pods.remove(0);
    let lines = tree_lines(
        &inventory,
        &roots,
        &|s: &Subject| folded.contains(s),
        &mut one_container,
        now(),
    );
    assert_eq!(lines[0].status, "ClusterIP, 0/1 pods ready");
    assert_eq!(lines[0].health, Health::Failing);
}

#[test]
fn a_node_has_the_pods_it_runs() {
    let node = key("", "worker-1");
    let (a, b) = (key("shop", "a"), key("shop", "b"));
    let labels = BTreeMap::new();
    let inventory = Inventory {
        objects: vec![object(WatchedKind::Nodes, &node, "n1", None)],
        pods: vec![
            pod(&a, None, "worker-1", &labels),
            pod(&b, None, "worker-2", &labels),
        ],
    };
    let mut inventory = inventory;
    inventory.pods[0].restarts = 3;
    inventory.pods[0].last_restart = Some(now() - jiff::SignedDuration::from_secs(300));
    let roots = [Subject::Object(WatchedKind::Nodes, node.clone())];
    let lines = tree_lines(
        &inventory,
        &roots,
        &|_: &Subject| false,
        &mut one_container,
        now(),
    );
    assert_eq!(drawn(&lines), ["no worker-1", "└─po shop/a", "  └─co web"]);
    assert_eq!(lines[1].status, "1/1 Running, restarts 3 (5m ago)");
}

#[test]
fn roots_no_longer_held_are_left_out() {
    let gone = key("shop", "gone");
    let inventory = Inventory::default();
    let roots = [Subject::Object(WatchedKind::Deployments, gone)];
    let lines = tree_lines(
        &inventory,
        &roots,
        &|_: &Subject| false,
        &mut one_container,
        now(),
    );
    assert!(lines.is_empty());
}

#[test]
fn workload_status_in_kubectl_words() {
    let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let deploy = json!({"metadata": {"name": "web"}, "spec": {"replicas": 3},
        "status": {"readyReplicas": 2}});
    assert_eq!(
        object_status(WatchedKind::Deployments, &deploy, now),
        ("2/3 ready".to_string(), Health::Progressing)
    );
    let stuck = json!({"metadata": {"name": "web"}, "spec": {"replicas": 3},
        "status": {"readyReplicas": 2, "conditions": [
            {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}});
    assert_eq!(
        object_status(WatchedKind::Deployments, &stuck, now).1,
        Health::Failing
    );
    let old_rs = json!({"metadata": {"name": "web-1"}, "spec": {"replicas": 0}, "status": {}});
    assert_eq!(
        object_status(WatchedKind::ReplicaSets, &old_rs, now),
        ("0/0 ready".to_string(), Health::Done)
    );
    let ds = json!({"metadata": {"name": "agent"},
        "status": {"numberReady": 4, "desiredNumberScheduled": 4}});
    assert_eq!(
        object_status(WatchedKind::DaemonSets, &ds, now),
        ("4/4 ready".to_string(), Health::Healthy)
    );
    let job = json!({"metadata": {"name": "report-1"}, "spec": {"completions": 1},
        "status": {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}});
    assert_eq!(
        object_status(WatchedKind::Jobs, &job, now),
        ("Complete 1/1".to_string(), Health::Done)
    );
    let failed = json!({"metadata": {"name": "report-2"}, "spec": {"completions": 1},
        "status": {"failed": 1, "conditions": [{"type": "Failed", "status": "True"}]}});
    assert_eq!(
        object_status(WatchedKind::Jobs, &failed, now),
        ("Failed 0/1".to_string(), Health::Failing)
    );
    let cj = json!({"metadata": {"name": "report"}, "spec": {"schedule": "*/5 * * * *",
        "suspend": true}, "status": {}});
    assert_eq!(
        object_status(WatchedKind::CronJobs, &cj, now).0,
        "*/5 * * * * (suspended), active 0, last schedule <none>"
    );
}
