//! Patching and editing objects through `cluster::patch` against the in-process simulated
//! cluster: the server-side preview changes nothing, applying does, custom resources take merge
//! patches only, the server's refusals arrive as it words them, an edit made against a stale
//! object is a conflict, and a patch answers as the real `kubectl patch` does.

use crate::support;

use kscope::cluster::actions::ObjectRef;
use kscope::cluster::patch::{patch_object, preview};
use kscope::model::api_error::{ApiError, ApiErrorKind};
use kscope::model::diff::{DiffKind, DiffLine};
use kscope::model::patch_text::{default_patch_type, edit_text, edit_to_patch, parse_patch};
use kscope::model::strategic_merge::PatchType;
use kscope::sim::{ClusterShape, RunningSim};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use serde_json::{Value, json};
use support::kubectl::Cluster;

/// A fresh simulator with the default seeded cluster, on a free loopback port.
async fn start() -> (RunningSim, Client) {
    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("a socket address"),
        ClusterShape::default(),
    )
    .await
    .expect("the simulator starts");
    let client = sim.client().expect("a client for the simulator");
    (sim, client)
}

fn resource(group: &str, kind: &str, plural: &str) -> ApiResource {
    let api_version = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    ApiResource {
        group: group.to_string(),
        version: "v1".to_string(),
        api_version,
        kind: kind.to_string(),
        plural: plural.to_string(),
    }
}

fn deployment(namespace: &str, name: &str) -> ObjectRef {
    ObjectRef {
        resource: resource("apps", "Deployment", "deployments"),
        namespaced: true,
        namespace: namespace.to_string(),
        name: name.to_string(),
        uid: None,
    }
}

fn ceph_cluster() -> ObjectRef {
    ObjectRef {
        resource: resource("ceph.rook.io", "CephCluster", "cephclusters"),
        namespaced: true,
        namespace: "rook-ceph".to_string(),
        name: "rook-ceph".to_string(),
        uid: None,
    }
}

/// The object as stored now.
async fn stored(client: &Client, target: &ObjectRef) -> Value {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), &target.namespace, &target.resource);
    serde_json::to_value(api.get(&target.name).await.expect("the object exists"))
        .expect("the object is JSON")
}

fn patch_of(patch_type: PatchType, text: &str) -> Value {
    parse_patch(patch_type, text)
        .expect("a valid patch")
        .expect("a patch, not only comments")
}

fn changed_lines(diff: &[DiffLine]) -> Vec<String> {
    diff.iter()
        .filter(|line| matches!(line.kind, DiffKind::Added | DiffKind::Removed))
        .map(DiffLine::unified_text)
        .collect()
}

fn failure<T: std::fmt::Debug>(result: Result<T, ApiError>) -> ApiError {
    result.expect_err("the API server refuses the patch")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_shows_the_change_and_changes_nothing() {
    let (sim, client) = start().await;
    let web = deployment("shop", "web");
    let before = stored(&client, &web).await;
    let patch = patch_of(
        PatchType::StrategicMerge,
        "# three is not enough\nspec:\n  replicas: 5\n",
    );

    let preview = preview(&client, &web, PatchType::StrategicMerge, &patch)
        .await
        .expect("the preview");
    assert_eq!(
        changed_lines(&preview.diff),
        ["-  replicas: 3", "+  replicas: 5"],
        "the generation and resource version a write changes are left out"
    );
    assert_eq!(preview.diff[0].kind, DiffKind::Hunk);
    assert_eq!(preview.before["spec"]["replicas"], 3);
    assert_eq!(preview.after["spec"]["replicas"], 5);
    assert!(preview.after["metadata"].get("managedFields").is_none());

    let after = stored(&client, &web).await;
    assert_eq!(after["spec"]["replicas"], 3, "a dry run stores nothing");
    assert_eq!(
        after["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applying_a_patch_changes_the_object() {
    let (sim, client) = start().await;
    let web = deployment("shop", "web");
    let patch = patch_of(
        PatchType::StrategicMerge,
        "spec:\n  replicas: 4\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.28\n",
    );
    let answered = patch_object(&client, &web, PatchType::StrategicMerge, &patch, false)
        .await
        .expect("the patch applies");
    assert_eq!(answered["spec"]["replicas"], 4);
    let after = stored(&client, &web).await;
    assert_eq!(after["spec"]["replicas"], 4);
    let containers = &after["spec"]["template"]["spec"]["containers"];
    assert_eq!(containers[0]["image"], "nginx:1.28");
    // Merged by name: the rest of the container stays.
    assert_eq!(
        containers[0]["ports"],
        json!([{"containerPort": 80, "protocol": "TCP"}])
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_resource_takes_a_merge_patch_and_refuses_a_strategic_one() {
    let (sim, client) = start().await;
    let cluster = ceph_cluster();
    assert_eq!(default_patch_type("ceph.rook.io", true), PatchType::Merge);
    let patch = patch_of(PatchType::Merge, "spec:\n  mon:\n    count: 5\n");
    let preview = preview(&client, &cluster, PatchType::Merge, &patch)
        .await
        .expect("the preview");
    assert_eq!(
        changed_lines(&preview.diff),
        ["-    count: 3", "+    count: 5"]
    );
    patch_object(&client, &cluster, PatchType::Merge, &patch, false)
        .await
        .expect("a merge patch applies");
    assert_eq!(stored(&client, &cluster).await["spec"]["mon"]["count"], 5);

    let refused =
        failure(patch_object(&client, &cluster, PatchType::StrategicMerge, &patch, false).await);
    assert_eq!(
        (refused.kind == ApiErrorKind::Conflict, refused.code, refused.line()),
        (
            false,
            Some(415),
            "patch cephcluster \"rook-ceph\" in namespace \"rook-ceph\": the API server answered 415: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml".to_string(),
        )
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_patch_whose_test_fails_is_refused_whole() {
    let (sim, client) = start().await;
    let cart = deployment("shop", "cart");
    let patch = patch_of(
        PatchType::Json,
        "- op: test\n  path: /spec/replicas\n  value: 7\n- op: replace\n  path: /spec/replicas\n  value: 4\n",
    );
    let expected = "the API server answered 422: the server rejected our request due to an error in our request";
    let refused = failure(preview(&client, &cart, PatchType::Json, &patch).await);
    assert_eq!(
        refused.line(),
        format!("patch deployment \"cart\" in namespace \"shop\" (server dry run): {expected}")
    );
    let refused = failure(patch_object(&client, &cart, PatchType::Json, &patch, false).await);
    assert_eq!(
        (
            refused.kind == ApiErrorKind::Conflict,
            refused.code,
            refused.line()
        ),
        (
            false,
            Some(422),
            format!("patch deployment \"cart\" in namespace \"shop\": {expected}")
        )
    );
    assert_eq!(stored(&client, &cart).await["spec"]["replicas"], 2);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_of_an_object_changed_meanwhile_is_a_conflict() {
    let (sim, client) = start().await;
    let cart = deployment("shop", "cart");
    let original = stored(&client, &cart).await;
    let mut edited = original.clone();
    edited["spec"]["replicas"] = json!(3);
    let text = edit_text(&edited);

    // Someone else changes the object while the editor is open.
    let label = patch_of(
        PatchType::Merge,
        "metadata:\n  labels:\n    tier: backend\n",
    );
    patch_object(&client, &cart, PatchType::Merge, &label, false)
        .await
        .expect("the other change applies");

    let (patch_type, patch) = edit_to_patch(&original, &text, "Deployment", true)
        .expect("a valid edit")
        .expect("a change");
    assert_eq!(patch_type, PatchType::StrategicMerge);
    let refused = failure(patch_object(&client, &cart, patch_type, &patch, false).await);
    assert_eq!(refused.kind, ApiErrorKind::Conflict, "{refused:?}");
    assert_eq!(refused.code, Some(409));
    assert_eq!(
        refused.line(),
        "patch deployment \"cart\" in namespace \"shop\": the API server answered 409: Operation cannot be fulfilled on deployments.apps \"cart\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let now = stored(&client, &cart).await;
    assert_eq!(
        now["spec"]["replicas"], 2,
        "nothing of the stale edit applies"
    );

    // The same edit made on the object as it is now goes through, keeping the other change.
    let mut edited = now.clone();
    edited["spec"]["replicas"] = json!(3);
    let (patch_type, patch) = edit_to_patch(&now, &edit_text(&edited), "Deployment", true)
        .expect("a valid edit")
        .expect("a change");
    patch_object(&client, &cart, patch_type, &patch, false)
        .await
        .expect("a fresh edit applies");
    let now = stored(&client, &cart).await;
    assert_eq!(now["spec"]["replicas"], 3);
    assert_eq!(now["metadata"]["labels"]["tier"], "backend");
    sim.stop().await;
}

/// The object without what differs between two dry runs of the same patch made by different
/// clients a moment apart: managedFields (the manager's name and time), the status the
/// controllers keep writing, and the resource version that follows it.
fn comparable(mut object: Value) -> Value {
    if let Some(fields) = object.as_object_mut() {
        fields.remove("status");
    }
    if let Some(metadata) = object["metadata"].as_object_mut() {
        metadata.remove("managedFields");
        metadata.remove("resourceVersion");
    }
    object
}

#[test]
fn a_patch_answers_as_kubectl_patch_does() {
    let c = Cluster::start();
    let patch = r#"{"spec":{"replicas":4,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28","env":[{"name":"MODE","value":"blue"}]}]}}}}"#;
    let run = c
        .kubectl(&[
            "patch",
            "deployment",
            "web",
            "-n",
            "shop",
            "--type",
            "strategic",
            "-p",
            patch,
            "--dry-run=server",
            "-o",
            "json",
        ])
        .ok();
    let kubectl: Value = serde_json::from_str(&run.stdout).expect("kubectl prints JSON");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for our client");
    let ours = runtime.block_on(async {
        let client = c.sim().client().expect("a client for the simulator");
        let patch = patch_of(PatchType::StrategicMerge, patch);
        patch_object(
            &client,
            &deployment("shop", "web"),
            PatchType::StrategicMerge,
            &patch,
            true,
        )
        .await
        .expect("the dry run")
    });
    assert_eq!(ours["spec"]["replicas"], 4);
    assert_eq!(
        ours["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "MODE", "value": "blue"}])
    );
    assert_eq!(comparable(ours), comparable(kubectl));
}
