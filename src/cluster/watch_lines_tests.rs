use super::*;
use std::time::Duration;

fn listed(line: &str) -> Option<String> {
    match read_line(Bytes::copy_from_slice(line.as_bytes()), true) {
        Line::Listed(text) => Some(String::from_utf8(text.to_vec()).expect("UTF-8")),
        _ => None,
    }
}

#[test]
fn an_added_object_of_the_list_is_taken_as_its_line_holds_it() {
    let object = r#"{"kind":"Pod","metadata":{"name":"a","namespace":"b"},"spec":{"x":"}"}}"#;
    let line = format!(r#"{{"type":"ADDED","object":{object}}}"#);
    assert_eq!(listed(&line).as_deref(), Some(object));
    // With a carriage return or spaces around it, as a proxy may leave.
    assert_eq!(listed(&format!(" {line}\r")).as_deref(), Some(object));
    // Once the list is in, an added object is read as kube-rs reads it (its resource version
    // is needed).
    match read_line(Bytes::copy_from_slice(line.as_bytes()), false) {
        Line::Event(event) => match *event {
            WatchEvent::Added(object) => assert_eq!(object.key(), ("b".into(), "a".into())),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_lines_are_read_as_kube_reads_them() {
    // Written otherwise than the API server writes it: read whole.
    let spaced = r#"{"type": "ADDED", "object": {"metadata": {"name": "a"}}}"#;
    match read_line(Bytes::copy_from_slice(spaced.as_bytes()), true) {
        Line::Event(event) => assert!(matches!(*event, WatchEvent::Added(_))),
        other => panic!("{other:?}"),
    }
    let bookmark = r#"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12","annotations":{"k8s.io/initial-events-end":"true"}}}}"#;
    match read_line(Bytes::copy_from_slice(bookmark.as_bytes()), true) {
        Line::Event(event) => match *event {
            WatchEvent::Bookmark(bookmark) => {
                assert_eq!(bookmark.metadata.resource_version, "12");
                assert!(
                    bookmark
                        .metadata
                        .annotations
                        .contains_key("k8s.io/initial-events-end")
                );
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let gone = r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#;
    match read_line(Bytes::copy_from_slice(gone.as_bytes()), true) {
        Line::Event(event) => match *event {
            WatchEvent::Error(status) => assert_eq!(status.code, 410),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // A Status in place of an event.
    let status = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden","reason":"Forbidden","code":403}"#;
    match read_line(Bytes::copy_from_slice(status.as_bytes()), true) {
        Line::Status(status) => assert_eq!(status.code, 403),
        other => panic!("{other:?}"),
    }
    // Not JSON: said; empty, or cut short where the answer ended: nothing.
    assert!(matches!(
        read_line(Bytes::from_static(b"<html>"), true),
        Line::Unreadable(_)
    ));
    assert!(matches!(
        read_line(Bytes::from_static(b"  \r"), true),
        Line::Nothing
    ));
    assert!(matches!(
        read_line(
            Bytes::from_static(br#"{"type":"MODIFIED","object":{"metadata""#),
            false
        ),
        Line::Nothing
    ));
    // An added "object" that is not one is no listed text: kube-rs's reading refuses it.
    assert!(listed(r#"{"type":"ADDED","object":[1]}"#).is_none());
    assert!(matches!(
        read_line(
            Bytes::from_static(br#"{"type":"ADDED","object":[1]}"#),
            true
        ),
        Line::Unreadable(_)
    ));
}

#[test]
fn an_object_that_is_not_json_is_taken_and_found_out_by_the_decoder() {
    // The line is not walked before the decoder types it; the typing finds it out.
    let text = listed(r#"{"type":"ADDED","object":{"metadata":{"name":"a"},"spec":{]}}"#)
        .expect("taken as it stands");
    let mut packer = crate::model::packed_text::Packer::default();
    assert!(
        crate::model::watched::WatchedObject::read_packing(WatchedKind::Pods, &text, &mut packer)
            .is_none()
    );
    let good = listed(r#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"b"}}}"#)
        .expect("taken");
    let object =
        crate::model::watched::WatchedObject::read_packing(WatchedKind::Pods, &good, &mut packer)
            .expect("read");
    assert_eq!(object.key(), ("b".into(), "a".into()));
    // Nor is it checked for being UTF-8 until then: a line that is not is the list's failure.
    let line =
        Bytes::from_static(b"{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"\xff\"}}}");
    let Line::Listed(text) = read_line(line, true) else {
        panic!("taken as it stands");
    };
    let messages = crate::cluster::watch::decode_steps(
        WatchedKind::Pods,
        vec![crate::cluster::watch::Step::Listed(text)],
        &mut packer,
    );
    match &messages[..] {
        [crate::model::inbox::ClusterMessage::Failed { error, .. }] => {
            assert!(error.contains("not JSON"), "{error}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lines_are_cut_wherever_the_bytes_arrive_split() {
    let text = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":\"x\\ny\"}\n{\"d\":";
    for cut in 0..text.len() {
        for second in cut..text.len() {
            let mut lines = Lines::default();
            let mut read = Vec::new();
            for part in [&text[..cut], &text[cut..second], &text[second..]] {
                lines.push(bytes::Bytes::copy_from_slice(part.as_bytes()));
                while let Some(line) = lines.next_line() {
                    read.push(String::from_utf8(line.to_vec()).unwrap());
                }
            }
            assert_eq!(
                read,
                ["{\"a\":1}", "{\"b\":2}\r", "", "{\"c\":\"x\\ny\"}"],
                "cut at {cut} and {second}"
            );
            assert_eq!(lines.rest(), b"{\"d\":");
        }
    }
}

#[test]
fn a_line_that_arrived_whole_is_a_slice_of_its_piece() {
    let piece = bytes::Bytes::from_static(b"{\"a\":1}\n{\"b\":2}\n{\"c\"");
    let within = |line: &bytes::Bytes| {
        let start = piece.as_ptr() as usize;
        let at = line.as_ptr() as usize;
        at >= start && at + line.len() <= start + piece.len()
    };
    let mut lines = Lines::default();
    lines.push(piece.clone());
    let first = lines.next_line().expect("a line");
    let second = lines.next_line().expect("a line");
    assert_eq!(
        (&first[..], &second[..]),
        (&b"{\"a\":1}"[..], &b"{\"b\":2}"[..])
    );
    assert!(within(&first) && within(&second));
    assert!(lines.next_line().is_none());
    // The line split across two pieces is put together.
    lines.push(bytes::Bytes::from_static(b":3}\n"));
    assert_eq!(&lines.next_line().expect("a line")[..], b"{\"c\":3}");
    assert!(lines.next_line().is_none());
    assert_eq!(lines.rest(), b"");
}

/// A server that answers watches of pods from a script, one answer per request, noting each
/// request's query.
async fn scripted_server(
    answers: Vec<(u16, String)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::sync::{Arc, Mutex};
    let asked = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(std::collections::VecDeque::from(answers)));
    let noted = asked.clone();
    let app = axum::Router::new().route(
        "/api/v1/pods",
        axum::routing::get(move |query: axum::extract::RawQuery| {
            let (noted, script) = (noted.clone(), script.clone());
            async move {
                noted.lock().unwrap().push(query.0.unwrap_or_default());
                let next = script.lock().unwrap().pop_front();
                match next {
                    Some((code, body)) => (
                        axum::http::StatusCode::from_u16(code).unwrap(),
                        [("content-type", "application/json")],
                        body,
                    ),
                    // Nothing more to say: an answer that stays open and silent.
                    None => std::future::pending().await,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), asked)
}

fn added(kind: &str, name: &str, version: u32) -> String {
    format!(
        r#"{{"type":"{kind}","object":{{"kind":"Pod","apiVersion":"v1","metadata":{{"name":"{name}","namespace":"ns","resourceVersion":"{version}"}}}}}}"#
    )
}

fn bookmark(version: u32, ends_list: bool) -> String {
    let annotations = if ends_list {
        r#","annotations":{"k8s.io/initial-events-end":"true"}"#
    } else {
        ""
    };
    format!(
        r#"{{"type":"BOOKMARK","object":{{"kind":"Pod","apiVersion":"v1","metadata":{{"resourceVersion":"{version}"{annotations}}}}}}}"#
    )
}

/// What a watch said, a word per message: `listing`, `applied NAME`, `deleted NAME`, `synced`,
/// `failed: ERROR`.
async fn said(
    receiver: &mut tokio::sync::mpsc::UnboundedReceiver<crate::model::inbox::ClusterMessage>,
    count: usize,
) -> Vec<String> {
    use crate::model::inbox::ClusterMessage;
    let mut words = Vec::new();
    while words.len() < count {
        let received = tokio::time::timeout(Duration::from_secs(20), receiver.recv())
            .await
            .expect("a message within 20 s")
            .expect("the watch runs");
        words.extend(
            received
                .into_each()
                .into_iter()
                .map(|message| match message {
                    ClusterMessage::Listing { .. } => "listing".to_string(),
                    ClusterMessage::Applied { object, .. } => format!("applied {}", object.key().1),
                    ClusterMessage::Deleted { key, .. } => format!("deleted {}", key.1),
                    ClusterMessage::Synced { .. } => "synced".to_string(),
                    ClusterMessage::Failed { error, .. } => format!("failed: {error}"),
                    other => format!("{other:?}"),
                }),
        );
    }
    words
}

#[tokio::test]
async fn a_streamed_watch_resumes_where_it_was_and_lists_again_when_its_version_is_gone() {
    let lines = |lines: &[String]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let gone = r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 6 (9)","reason":"Expired","code":410}}"#;
    let (url, asked) = scripted_server(vec![
        // The list, then the answer ends (the server's timeout).
        (
            200,
            lines(&[
                added("ADDED", "a", 3),
                added("ADDED", "b", 4),
                bookmark(5, true),
            ]),
        ),
        // Resumed at 5: a change, a deletion, a bookmark, then the version is gone.
        (
            200,
            lines(&[
                added("MODIFIED", "a", 6),
                added("DELETED", "b", 7),
                bookmark(8, false),
                gone.to_string(),
            ]),
        ),
        // Listed again: one pod, and a line cut short where the answer ends.
        (
            200,
            lines(&[added("ADDED", "c", 10), bookmark(10, true)])
                + r#"{"type":"MODIFIED","object":{"#,
        ),
    ])
    .await;
    let client = kube::Client::try_from(kube::Config::new(url.parse().unwrap())).unwrap();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let lists = super::super::watch::ListStrategy::default();
    let watch = super::super::watch::spawn_watch(client, WatchedKind::Pods, None, lists, sender);
    let words = said(&mut receiver, 10).await;
    assert_eq!(
        words,
        [
            "listing",
            "applied a",
            "applied b",
            "synced",
            "applied a",
            "deleted b",
            "failed: watch pods: the API server answered 410: too old resource version: 6 (9)",
            "listing",
            "applied c",
            "synced",
        ]
    );
    // The cut line is nothing; the watch resumes from 10, and the server stays silent.
    for _ in 0..100 {
        if asked.lock().unwrap().len() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    watch.abort();
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked[0].contains("sendInitialEvents=true"), "{}", asked[0]);
    assert!(asked[0].contains("resourceVersion=0"), "{}", asked[0]);
    assert!(asked[1].contains("resourceVersion=5"), "{}", asked[1]);
    assert!(!asked[1].contains("sendInitialEvents"), "{}", asked[1]);
    assert!(asked[2].contains("sendInitialEvents=true"), "{}", asked[2]);
    assert!(asked[3].contains("resourceVersion=10"), "{}", asked[3]);
}
