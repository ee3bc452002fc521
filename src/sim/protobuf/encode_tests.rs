//! The encoder judged by the decoder (itself checked against client-go's bytes in `tests.rs`):
//! every object of the seeded cluster whose kind has a schema, encoded and decoded again, is
//! the object it was.

use serde_json::{Value, json};

use super::tests::{Msg, body};
use super::wire::{Reader, WireType};
use super::{decode, encode_body, encode_list, encode_watch_event};
use crate::sim::resource::BUILT_IN;
use crate::sim::scenario::{ClusterShape, seed};
use crate::sim::schema::kind_schema;
use crate::sim::state::Sim;

fn encode(object: &Value, out: &mut Vec<u8>) -> Result<(), super::ProtobufError> {
    let text = |key: &str| object[key].as_str().unwrap_or("").to_string();
    encode_body(&text("apiVersion"), &text("kind"), object, out)
}

fn round_trip(object: &Value) -> Value {
    let mut body = Vec::new();
    encode(object, &mut body).unwrap_or_else(|e| panic!("encodes: {e}\n{object:#}"));
    decode(&body).unwrap_or_else(|e| panic!("decodes: {e}"))
}

/// The length-delimited fields of a message, by number.
fn fields(data: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let mut r = Reader::new(data);
    let mut out = Vec::new();
    while !r.is_empty() {
        let (number, wire_type) = r.key().expect("a key");
        assert_eq!(wire_type, WireType::Len, "field {number}");
        out.push((number, r.len_delimited().expect("a value").to_vec()));
    }
    out
}

#[test]
fn every_seeded_object_of_a_kind_with_a_schema_comes_back_as_it_was() {
    let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 7);
    let _ = seed(&sim, &ClusterShape::default());
    let mut pods = 0;
    for resource in BUILT_IN {
        if kind_schema(&resource.api_version(), resource.kind).is_none() {
            continue;
        }
        let (objects, _, _) = sim.store.list(resource, None, None, |_| true, 0);
        for object in objects {
            let mut object = (*object).clone();
            // Stored objects carry no apiVersion or kind of their own; served ones do.
            object["apiVersion"] = json!(resource.api_version());
            object["kind"] = json!(resource.kind);
            let mut differences = Vec::new();
            differ("", &object, &round_trip(&object), &mut differences);
            assert!(
                differences.is_empty(),
                "{} {}: {differences:?}",
                resource.kind,
                object["metadata"]["name"]
            );
            pods += usize::from(resource.kind == "Pod");
        }
    }
    assert!(pods >= 50, "the seeded cluster's pods were encoded: {pods}");
}

/// Go's zero values, which a Go client holds alike whether the field was sent or not: a
/// non-pointer field the simulator stored as `false`, `0`, `""`, `null` or empty decodes as
/// left out (the decoder drops what Go's JSON would omit), so those are not differences.
fn is_zero(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// Where `a` and `b` differ, as paths; a zero value in `a` that `b` lacks is no difference.
fn differ(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => differ(&format!("{path}/{k}"), v, w, out),
                    None if is_zero(v) => {}
                    None => out.push(format!("-{path}/{k}={v}")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("+{path}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differ(&format!("{path}/{i}"), v, w, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("~{path}: {a} {b}")),
    }
}

#[test]
fn scalars_at_their_edges() {
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "edge",
            "creationTimestamp": "1970-01-01T00:00:00Z",
            "deletionGracePeriodSeconds": 0,
            "managedFields": [{
                "manager": "m",
                "operation": "Update",
                "time": "2026-12-06T10:00:00Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:metadata": {}}
            }],
            "labels": {"b": "2", "a": ""}
        },
        "spec": {
            "containers": [{
                "name": "c",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "livenessProbe": {"httpGet": {"port": "http", "path": "/"}},
                "readinessProbe": {"tcpSocket": {"port": 8080}},
                "resources": {"limits": {"cpu": "1500m", "memory": "0"}}
            }],
            "priority": -7,
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false,
            "hostNetwork": true
        },
        "status": {"phase": "Running"}
    });
    assert_eq!(round_trip(&pod), pod);
}

#[test]
fn a_field_the_schema_does_not_know_is_refused_by_name() {
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "futureField": 1}]}
    });
    let error = encode(&pod, &mut Vec::new()).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "spec.containers: Container has no field \"futureField\" in the protobuf schema"
    );
    let unknown = json!({"apiVersion": "example.com/v1", "kind": "Widget"});
    let error = encode(&unknown, &mut Vec::new()).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "no protobuf schema for kind \"Widget\" in apiVersion \"example.com/v1\""
    );
}

#[test]
fn a_type_the_schema_does_not_expect_is_refused_by_path() {
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "labels": {"a": 1}}
    });
    let error = encode(&pod, &mut Vec::new()).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "metadata.labels.a: expected a string, found a number"
    );
}

#[test]
fn a_list_holds_its_metadata_and_each_item_as_its_message() {
    let items = [
        json!({"metadata": {"name": "a", "namespace": "n"}, "spec": {"nodeName": "w1"}}),
        json!({"metadata": {"name": "b", "namespace": "n"}, "status": {"phase": "Pending"}}),
    ];
    let metadata = json!({"resourceVersion": "42", "continue": "token", "remainingItemCount": 0});
    let mut encoded = Vec::new();
    encode_list("v1", "Pod", &metadata, &items, &mut encoded).expect("encodes");
    let envelope = fields(encoded.strip_prefix(b"k8s\0").expect("the magic"));
    let type_meta = fields(&envelope[0].1);
    assert_eq!(type_meta[0].1, b"v1");
    assert_eq!(type_meta[1].1, b"PodList");
    let list = fields(&envelope[1].1);
    let status = Msg::new().bytes(1, &list[0].1);
    let meta =
        decode(&body("v1", "Status", status)).expect("the list's metadata read as a Status's");
    assert_eq!(meta["metadata"], metadata);
    let decoded: Vec<Value> = list[1..]
        .iter()
        .map(|(number, item)| {
            assert_eq!(*number, 2);
            let mut pod = decode(&body("v1", "Pod", Msg(item.clone()))).expect("an item");
            let pod = pod.as_object_mut().expect("an object");
            pod.remove("apiVersion");
            pod.remove("kind");
            Value::Object(pod.clone())
        })
        .collect();
    assert_eq!(decoded, items);
}

#[test]
fn a_watch_event_is_framed_by_its_length_around_the_objects_body() {
    let pod = json!({"metadata": {"name": "a", "resourceVersion": "7"}});
    let mut stream = Vec::new();
    encode_watch_event("ADDED", "v1", "Pod", &pod, &mut stream).expect("encodes");
    let first = stream.len();
    let bookmark = json!({"metadata": {"resourceVersion": "9", "annotations": {"k8s.io/initial-events-end": "true"}}});
    encode_watch_event("BOOKMARK", "v1", "Pod", &bookmark, &mut stream).expect("encodes");
    let mut events = Vec::new();
    let mut rest = &stream[..];
    while !rest.is_empty() {
        let length = u32::from_be_bytes(rest[..4].try_into().expect("four bytes")) as usize;
        let event = fields(&rest[4..4 + length]);
        rest = &rest[4 + length..];
        let raw = fields(&event[1].1);
        assert_eq!(raw[0].0, 1, "RawExtension.raw");
        let object = decode(&raw[0].1).expect("the object's own body");
        events.push((String::from_utf8(event[0].1.clone()).expect("text"), object));
    }
    assert_eq!(
        first,
        4 + fields(&stream[4..first])
            .iter()
            .map(|(_, v)| v.len() + 2)
            .sum::<usize>()
    );
    assert_eq!(events[0].0, "ADDED");
    assert_eq!(events[0].1["metadata"]["name"], "a");
    assert_eq!(events[0].1["kind"], "Pod");
    assert_eq!(events[1].0, "BOOKMARK");
    assert_eq!(
        events[1].1["metadata"]["annotations"]["k8s.io/initial-events-end"],
        "true"
    );
}
