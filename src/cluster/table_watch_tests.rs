//! Tests of `table_watch.rs`.

use super::*;
use serde_json::json;

fn target(namespace: Option<&str>, group: &str, plural: &str) -> Target {
    let resource = ResourceInfo {
        group: group.into(),
        version: "v1".into(),
        kind: "Thing".into(),
        plural: plural.into(),
        singular: "thing".into(),
        short_names: Vec::new(),
        namespaced: true,
        verbs: vec!["list".into(), "watch".into()],
    };
    Target {
        name: resource.qualified_plural(),
        namespace: namespace.map(str::to_string),
        resource,
    }
}

fn api_error(code: u16, message: &str) -> kube::Error {
    kube::Error::Api(
        kube::core::Status::failure(message, "")
            .with_code(code)
            .boxed(),
    )
}

#[test]
fn a_refusal_names_the_verb_the_resource_and_the_scope() {
    let everywhere = target(None, "ceph.rook.io", "cephclusters");
    assert_eq!(
        everywhere.stop_for(
            "list",
            &api_error(403, "cephclusters.ceph.rook.io is forbidden")
        ),
        Stop::Failed {
            error: "forbidden (403): cannot list resource \"cephclusters\" in API group \
                        \"ceph.rook.io\" at the cluster scope"
                .into(),
            forbidden: true,
        }
    );
    let scoped = target(Some("rook-ceph"), "ceph.rook.io", "cephclusters");
    let Stop::Failed { error, forbidden } = scoped.stop_for_status("watch", 403, "") else {
        panic!("a failure");
    };
    assert!(forbidden);
    assert!(
        error.starts_with("forbidden (403): cannot watch resource"),
        "{error}"
    );
    assert!(error.ends_with("in the namespace \"rook-ceph\""), "{error}");
}

#[test]
fn gone_relists_and_other_errors_are_one_line() {
    let pods = target(None, "", "pods");
    assert_eq!(
        pods.stop_for("watch", &api_error(410, "too old")),
        Stop::Expired
    );
    assert_eq!(
        pods.stop_for("list", &api_error(503, "service\n  unavailable")),
        Stop::Failed {
            error: "list pods: the API server answered 503: service; unavailable".into(),
            forbidden: false,
        }
    );
}

#[test]
fn requests_ask_for_tables_of_the_collection_in_its_scope() {
    let scoped = target(Some("rook-ceph"), "ceph.rook.io", "cephclusters");
    let request = scoped
        .request("watch", &[("watch", "true"), ("resourceVersion", "5")])
        .expect("a request");
    assert_eq!(
        request.uri().to_string(),
        "/apis/ceph.rook.io/v1/namespaces/rook-ceph/cephclusters?watch=true&resourceVersion=5"
    );
    assert_eq!(request.headers()[ACCEPT], TABLE_ACCEPT);
    assert_eq!(request.headers()[ACCEPT_ENCODING], "identity");
    let core = target(None, "", "pods")
        .request("list", &[("limit", "500")])
        .expect("a request");
    assert_eq!(core.uri().to_string(), "/api/v1/pods?limit=500");
    assert!(core.headers().get(ACCEPT_ENCODING).is_none());
}

#[test]
fn table_rows_are_keyed_by_their_metadata_and_nulls_read_as_empty() {
    let deployments = target(None, "apps", "deployments");
    let table: Document = serde_json::from_value(json!({
        "kind": "Table", "metadata": {"resourceVersion": "9", "continue": null},
        "columnDefinitions": [{"name": "Name", "type": "string", "format": "name",
                               "priority": 0, "description": "d"}],
        "rows": [
            {"cells": ["web"], "object": {"metadata": {"name": "web", "namespace": "shop",
             "resourceVersion": "8", "creationTimestamp": "2026-01-01T00:00:00Z"}}},
            {"cells": ["bare"]}
        ]
    }))
    .expect("a table");
    assert_eq!(table.resource_version().as_deref(), Some("9"));
    let columns = table.column_definitions.clone();
    let rows = deployments.rows_of(table, &columns, true);
    assert_eq!(rows[0].key, ("shop".into(), "web".into()));
    assert_eq!(
        rows[0].created,
        Some("2026-01-01T00:00:00Z".parse().expect("a time"))
    );
    assert_eq!(rows[1].key, (String::new(), "bare".into()));
    assert_eq!(rows[1].created, None);
    let empty: Document =
        serde_json::from_value(json!({"kind": "Table", "rows": null})).expect("a table");
    assert!(deployments.rows_of(empty, &columns, false).is_empty());
}

/// A watch of `target` whose client is never called, and the receiving end of its messages.
fn watch_of(
    target: Target,
) -> (
    TableWatch,
    tokio::sync::mpsc::UnboundedReceiver<TableMessage>,
) {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let config = kube::Config::new("http://127.0.0.1:9".parse().expect("a URL"));
    let watch = TableWatch {
        client: Client::try_from(config).expect("a client"),
        target,
        sender,
        columns: Vec::new(),
    };
    (watch, receiver)
}

fn event(value: Value) -> WatchEvent {
    serde_json::from_value(value).expect("a watch event")
}

#[tokio::test]
async fn watch_events_become_rows_deletions_columns_and_versions() {
    let (mut watch, mut receiver) = watch_of(target(Some("shop"), "apps", "deployments"));
    let mut version = "1".to_string();
    let column = |name: &str| json!({"name": name, "type": "string", "format": "", "priority": 0, "description": ""});
    let row = |name: &str, version: &str| json!({"cells": [name, "1/1"], "object": {"metadata": {"name": name, "namespace": "shop", "resourceVersion": version}}});
    let added = event(json!({"type": "ADDED", "object": {"kind": "Table",
            "columnDefinitions": [column("Name"), column("Ready")], "rows": [row("web", "5")]}}));
    watch.apply(added, &mut version).expect("applied");
    assert_eq!(version, "5", "a row's version when the Table has none");
    let Ok(TableMessage::Columns { columns, .. }) = receiver.try_recv() else {
        panic!("new columns are sent");
    };
    assert_eq!(columns.len(), 2);
    assert!(
        matches!(receiver.try_recv(), Ok(TableMessage::Row { key, .. }) if key == ("shop".into(), "web".into()))
    );

    let modified = event(json!({"type": "MODIFIED", "object": {"kind": "Table",
            "metadata": {"resourceVersion": "6"}, "columnDefinitions": null, "rows": [row("web", "6")]}}));
    watch.apply(modified, &mut version).expect("applied");
    assert_eq!(version, "6");
    assert!(
        matches!(receiver.try_recv(), Ok(TableMessage::Row { .. })),
        "no columns again"
    );

    let deleted =
        event(json!({"type": "DELETED", "object": {"kind": "Table", "rows": [row("web", "7")]}}));
    watch.apply(deleted, &mut version).expect("applied");
    assert!(
        matches!(receiver.try_recv(), Ok(TableMessage::Deleted { key, .. }) if key == ("shop".into(), "web".into()))
    );

    let bookmark = event(
        json!({"type": "BOOKMARK", "object": {"kind": "Deployment", "metadata": {"resourceVersion": "90"}}}),
    );
    watch.apply(bookmark, &mut version).expect("applied");
    assert_eq!(version, "90");
    assert!(receiver.try_recv().is_err(), "a bookmark sends nothing");

    let gone = event(
        json!({"type": "ERROR", "object": {"kind": "Status", "code": 410, "message": "too old resource version"}}),
    );
    assert_eq!(watch.apply(gone, &mut version), Err(Stop::Expired));
    let refused =
        event(json!({"type": "ERROR", "object": {"kind": "Status", "code": 403, "message": "no"}}));
    assert!(matches!(
        watch.apply(refused, &mut version),
        Err(Stop::Failed {
            forbidden: true,
            ..
        })
    ));
}

#[test]
fn without_tables_a_list_or_object_gets_the_name_and_age_columns() {
    let things = target(None, "example.com", "things");
    let list: Document = serde_json::from_value(json!({
        "kind": "ThingList", "metadata": {"resourceVersion": "3"},
        "items": [{"metadata": {"name": "a", "namespace": "x",
                                "creationTimestamp": "2020-01-01T00:00:00Z"}, "spec": {}}]
    }))
    .expect("a list");
    let rows = things.rows_of(list, &default_columns(), true);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, ("x".into(), "a".into()));
    assert_eq!(rows[0].cells[0], json!("a"));
    assert!(
        rows[0].cells[1]
            .as_str()
            .is_some_and(|age| age.contains('y'))
    );
    let object: Document = serde_json::from_value(json!({
        "kind": "Thing", "metadata": {"name": "b", "namespace": "x"}
    }))
    .expect("an object");
    let rows = things.rows_of(object, &default_columns(), false);
    assert_eq!(rows[0].key, ("x".into(), "b".into()));
    assert_eq!(rows[0].cells[1], json!("<unknown>"));
    let columns: Vec<String> = default_columns().into_iter().map(|c| c.name).collect();
    assert_eq!(columns, ["Name", "Age"]);
}
