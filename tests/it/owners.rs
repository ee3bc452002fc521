//! Drill-downs through owners: a CronJob to the Jobs it owns, a Job to its pods.

use kscope::app::state::{App, Drill, Pane};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;
use serde_json::{Value, json};

use crate::support::explorer::{loaded_app, press};

fn job(name: &str, uid: &str, owner: Option<&str>) -> Value {
    let owners = match owner {
        Some(owner) => json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": "report",
                               "uid": owner, "controller": true}]),
        None => json!([]),
    };
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": "batch", "uid": uid, "ownerReferences": owners,
                     "creationTimestamp": "2026-11-21T09:00:00Z"},
        "spec": {"selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}},
                 "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": uid, "job-name": name}},
                              "spec": {"restartPolicy": "Never", "containers": [{"name": "report", "image": "report:1"}]}}},
        "status": {"active": 1}
    })
}

fn pod(name: &str, job_uid: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "batch", "uid": format!("uid-{name}"),
                     "labels": {"batch.kubernetes.io/controller-uid": job_uid},
                     "creationTimestamp": "2026-11-21T09:00:00Z"},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "report", "image": "report:1"}]},
        "status": {"phase": "Running"}
    })
}

fn listed(app: &mut App, kind: WatchedKind, objects: &[Value]) {
    app.on_cluster(ClusterMessage::Listing { kind });
    for object in objects {
        app.on_cluster(ClusterMessage::applied(kind, object));
    }
    app.on_cluster(ClusterMessage::Synced { kind });
}

#[test]
fn a_cronjob_opens_its_jobs_and_a_job_its_pods() {
    let mut app = loaded_app();
    for (name, owner) in [
        ("report-1-abcde", "uid-report-1"),
        ("report-2-fghij", "uid-report-2"),
        ("adhoc-klmno", "uid-adhoc"),
    ] {
        app.on_cluster(ClusterMessage::applied(
            WatchedKind::Pods,
            &pod(name, owner),
        ));
    }
    press(&mut app, ":cj<enter>");
    let cronjob = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "report", "namespace": "batch", "uid": "uid-cron",
                     "creationTimestamp": "2026-11-20T09:00:00Z"},
        "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "containers": [{"name": "report", "image": "report:1"}]}}}}}
    });
    listed(&mut app, WatchedKind::CronJobs, &[cronjob]);
    listed(
        &mut app,
        WatchedKind::Jobs,
        &[
            job("report-1", "uid-report-1", Some("uid-cron")),
            job("report-2", "uid-report-2", Some("uid-cron")),
            job("adhoc", "uid-adhoc", None),
        ],
    );
    press(&mut app, "<enter>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Jobs));
    assert!(
        matches!(&app.drill, Some(Drill::Owned { title, .. }) if title == "cronjob batch/report")
    );
    let jobs: Vec<String> = app.visible_keys().iter().map(|k| k.1.clone()).collect();
    assert_eq!(jobs, ["report-1", "report-2"], "only the jobs it owns");
    assert_eq!(app.breadcrumb(), ["CronJobs", "batch/report", "Jobs"]);

    press(&mut app, "j<enter>");
    assert_eq!(app.pane, Pane::Pods);
    let pods: Vec<String> = app.visible_pods().iter().map(|k| k.1.clone()).collect();
    assert_eq!(pods, ["report-2-fghij"], "the job's pods, by its selector");

    // Back: the cronjob's jobs again, then the cronjobs.
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::Jobs));
    assert_eq!(app.visible_keys().len(), 2);
    press(&mut app, "<esc>");
    assert_eq!(app.pane, Pane::Kind(WatchedKind::CronJobs));
    assert!(app.drill.is_none());
}
