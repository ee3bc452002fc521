//! Real objects encoded by hand the way client-go's generated marshallers write them (every
//! non-pointer field present, zero or not), decoded and compared with the JSON exactly.

use proptest::prelude::*;
use serde_json::json;

use super::decode;
use super::decode::go_duration;
use super::wire::{WireType, write_key, write_len_field, write_varint, write_varint_field};

/// A test-only protobuf encoder (the encoder's tests put messages in envelopes with it too).
#[derive(Clone, Default)]
pub(super) struct Msg(pub(super) Vec<u8>);

impl Msg {
    pub(super) fn new() -> Self {
        Self::default()
    }

    fn raw_varint(&mut self, v: u64) {
        write_varint(&mut self.0, v);
    }

    fn tag(&mut self, number: u32, wire_type: WireType) {
        write_key(&mut self.0, number, wire_type);
    }

    fn int(mut self, number: u32, v: i64) -> Self {
        write_varint_field(&mut self.0, number, v as u64);
        self
    }

    fn boolean(self, number: u32, v: bool) -> Self {
        self.int(number, i64::from(v))
    }

    pub(super) fn bytes(mut self, number: u32, b: &[u8]) -> Self {
        write_len_field(&mut self.0, number, b);
        self
    }

    fn string(self, number: u32, s: &str) -> Self {
        self.bytes(number, s.as_bytes())
    }

    fn msg(self, number: u32, m: Msg) -> Self {
        self.bytes(number, &m.0)
    }

    /// A `map<string, string>` entry.
    fn entry(self, number: u32, key: &str, value: &str) -> Self {
        self.msg(number, Msg::new().string(1, key).string(2, value))
    }

    /// A `map<string, Quantity>` entry.
    fn quantity_entry(self, number: u32, key: &str, value: &str) -> Self {
        self.msg(number, Msg::new().string(1, key).msg(2, quantity(value)))
    }
}

fn quantity(s: &str) -> Msg {
    Msg::new().string(1, s)
}

fn int_or_string_int(i: i64) -> Msg {
    Msg::new().int(1, 0).int(2, i).string(3, "")
}

fn int_or_string_str(s: &str) -> Msg {
    Msg::new().int(1, 1).int(2, 0).string(3, s)
}

fn time(seconds: i64) -> Msg {
    Msg::new().int(1, seconds).int(2, 0)
}

/// Magic, then the `runtime.Unknown` envelope.
pub(super) fn body(api_version: &str, kind: &str, raw: Msg) -> Vec<u8> {
    let envelope = Msg::new()
        .msg(1, Msg::new().string(1, api_version).string(2, kind))
        .msg(2, raw)
        .string(3, "")
        .string(4, "");
    [b"k8s\0".as_slice(), &envelope.0].concat()
}

/// ObjectMeta as the marshaller writes it: every string field, an empty creationTimestamp.
fn object_meta(name: &str, namespace: &str) -> Msg {
    Msg::new()
        .string(1, name)
        .string(2, "")
        .string(3, namespace)
        .string(4, "")
        .string(5, "")
        .string(6, "")
        .int(7, 0)
        .msg(8, Msg::new())
}

/// `kubectl create job manual --from=cronjob/report -n batch`, with a richer template.
fn job() -> Vec<u8> {
    body("batch/v1", "Job", job_raw())
}

fn job_raw() -> Msg {
    let metadata = object_meta("manual", "batch")
        .entry(11, "app", "report")
        .entry(12, "cronjob.kubernetes.io/instantiate", "manual")
        .msg(
            13,
            Msg::new()
                .string(1, "CronJob")
                .string(3, "report")
                .string(4, "0d9c4f62-1111-4a2b-9c3d-5e6f7a8b9c0d")
                .string(5, "batch/v1")
                .boolean(6, true),
        );
    let container = Msg::new()
        .string(1, "report")
        .string(2, "busybox:1.36")
        .string(3, "sh")
        .string(3, "-c")
        .string(3, "echo hi")
        .string(5, "")
        .msg(
            6,
            Msg::new()
                .string(1, "")
                .int(2, 0)
                .int(3, 8080)
                .string(4, "TCP")
                .string(5, ""),
        )
        .msg(7, Msg::new().string(1, "MODE").string(2, "nightly"))
        .msg(
            7,
            Msg::new().string(1, "POD").string(2, "").msg(
                3,
                Msg::new().msg(1, Msg::new().string(1, "v1").string(2, "metadata.name")),
            ),
        )
        .msg(
            8,
            Msg::new()
                .quantity_entry(1, "cpu", "500m")
                .quantity_entry(1, "memory", "128Mi")
                .quantity_entry(2, "cpu", "100m"),
        )
        .string(13, "")
        .string(14, "")
        .boolean(16, false)
        .boolean(17, false)
        .boolean(18, false)
        .string(20, "");
    let pod_spec = Msg::new()
        .msg(2, container)
        .string(3, "OnFailure")
        .int(4, 30)
        .string(6, "")
        .string(8, "")
        .boolean(11, false)
        .msg(14, Msg::new());
    let template = Msg::new()
        .msg(
            1,
            Msg::new()
                .string(1, "")
                .string(3, "")
                .msg(8, Msg::new())
                .entry(11, "app", "report"),
        )
        .msg(2, pod_spec);
    let spec = Msg::new().int(7, 0).msg(6, template);
    Msg::new()
        .msg(1, metadata)
        .msg(2, spec)
        .msg(3, Msg::new().int(4, 0).int(5, 0).string(7, ""))
}

#[test]
fn job_from_a_cron_job() {
    assert_eq!(
        decode(&job()).unwrap(),
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": "manual",
                "namespace": "batch",
                "labels": {"app": "report"},
                "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
                "ownerReferences": [{
                    "apiVersion": "batch/v1",
                    "kind": "CronJob",
                    "name": "report",
                    "uid": "0d9c4f62-1111-4a2b-9c3d-5e6f7a8b9c0d",
                    "controller": true
                }]
            },
            "spec": {
                "backoffLimit": 0,
                "template": {
                    "metadata": {"labels": {"app": "report"}},
                    "spec": {
                        "containers": [{
                            "name": "report",
                            "image": "busybox:1.36",
                            "command": ["sh", "-c", "echo hi"],
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                            "env": [
                                {"name": "MODE", "value": "nightly"},
                                {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}
                            ],
                            "resources": {
                                "limits": {"cpu": "500m", "memory": "128Mi"},
                                "requests": {"cpu": "100m"}
                            }
                        }],
                        "restartPolicy": "OnFailure",
                        "terminationGracePeriodSeconds": 30,
                        "securityContext": {}
                    }
                }
            },
            "status": {}
        })
    );
}

#[test]
fn service_ports_with_int_or_string_target_ports() {
    let port = |name: &str, port: i64, target: Msg| {
        Msg::new()
            .string(1, name)
            .string(2, "TCP")
            .int(3, port)
            .msg(4, target)
            .int(5, 0)
    };
    let spec = Msg::new()
        .msg(1, port("http", 80, int_or_string_int(8080)))
        .msg(1, port("metrics", 9090, int_or_string_str("metrics")))
        .msg(1, port("dns", 53, int_or_string_int(0)))
        .entry(2, "app", "web")
        .string(3, "")
        .string(4, "ClusterIP")
        .string(7, "")
        .int(12, 0)
        .boolean(13, false);
    let raw = Msg::new()
        .msg(1, object_meta("svc1", "shop").entry(11, "app", "svc1"))
        .msg(2, spec)
        .msg(3, Msg::new().msg(1, Msg::new()));
    assert_eq!(
        decode(&body("v1", "Service", raw)).unwrap(),
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "svc1", "namespace": "shop", "labels": {"app": "svc1"}},
            "spec": {
                "ports": [
                    {"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080},
                    {"name": "metrics", "protocol": "TCP", "port": 9090, "targetPort": "metrics"},
                    {"name": "dns", "protocol": "TCP", "port": 53}
                ],
                "selector": {"app": "web"},
                "type": "ClusterIP"
            },
            "status": {"loadBalancer": {}}
        })
    );
}

#[test]
fn secret_bytes_are_base64() {
    let raw = Msg::new()
        .msg(1, object_meta("s1", "shop"))
        .boolean(5, false)
        .msg(2, Msg::new().string(1, "p").bytes(2, b"q"))
        .msg(2, Msg::new().string(1, "bin").bytes(2, &[0xff, 0x00, 0x10]))
        .msg(2, Msg::new().string(1, "empty"))
        .entry(4, "plain", "text")
        .string(3, "Opaque");
    assert_eq!(
        decode(&body("v1", "Secret", raw)).unwrap(),
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s1", "namespace": "shop"},
            "immutable": false,
            "data": {"p": "cQ==", "bin": "/wAQ", "empty": ""},
            "stringData": {"plain": "text"},
            "type": "Opaque"
        })
    );
}

fn deployment() -> Vec<u8> {
    let volumes = [
        Msg::new()
            .string(1, "cache")
            .msg(2, Msg::new().msg(2, Msg::new().string(1, ""))),
        Msg::new().string(1, "config").msg(
            2,
            Msg::new().msg(
                19,
                Msg::new()
                    .msg(1, Msg::new().string(1, "web-config"))
                    .int(3, 420),
            ),
        ),
        Msg::new().string(1, "creds").msg(
            2,
            Msg::new().msg(
                6,
                Msg::new()
                    .string(1, "creds")
                    .msg(2, Msg::new().string(1, "a").string(2, "b")),
            ),
        ),
    ];
    let readiness = Msg::new()
        .msg(
            1,
            Msg::new().msg(
                2,
                Msg::new()
                    .string(1, "/healthz")
                    .msg(2, int_or_string_str("http"))
                    .string(3, "")
                    .string(4, "HTTP"),
            ),
        )
        .int(2, 5)
        .int(3, 0)
        .int(4, 10)
        .int(5, 0)
        .int(6, 0);
    let liveness = Msg::new()
        .msg(
            1,
            Msg::new().msg(3, Msg::new().msg(1, int_or_string_int(80)).string(2, "")),
        )
        .int(2, 0);
    let container = Msg::new()
        .string(1, "nginx")
        .string(2, "nginx:1.27")
        .msg(6, Msg::new().string(1, "http").int(3, 80).string(4, "TCP"))
        .msg(8, Msg::new())
        .msg(
            9,
            Msg::new()
                .string(1, "cache")
                .boolean(2, true)
                .string(3, "/cache")
                .string(4, ""),
        )
        .msg(11, readiness)
        .msg(10, liveness);
    let mut pod_spec = Msg::new();
    for volume in volumes {
        pod_spec = pod_spec.msg(1, volume);
    }
    let pod_spec = pod_spec.msg(2, container);
    let template = Msg::new()
        .msg(1, Msg::new().msg(8, Msg::new()).entry(11, "app", "web2"))
        .msg(2, pod_spec);
    let spec = Msg::new()
        .int(1, 2)
        .msg(2, Msg::new().entry(1, "app", "web2"))
        .msg(3, template)
        .msg(
            4,
            Msg::new().string(1, "RollingUpdate").msg(
                2,
                Msg::new()
                    .msg(1, int_or_string_int(0))
                    .msg(2, int_or_string_str("25%")),
            ),
        )
        .int(5, 0)
        .boolean(7, false);
    let metadata = object_meta("web2", "shop")
        .msg(8, time(1_767_225_600))
        .entry(11, "app", "web2");
    body(
        "apps/v1",
        "Deployment",
        Msg::new().msg(1, metadata).msg(2, spec).msg(3, Msg::new()),
    )
}

#[test]
fn deployment_with_strategy_volumes_and_probes() {
    assert_eq!(
        decode(&deployment()).unwrap(),
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "web2",
                "namespace": "shop",
                "creationTimestamp": "2026-01-01T00:00:00Z",
                "labels": {"app": "web2"}
            },
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web2"}},
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}
                },
                "template": {
                    "metadata": {"labels": {"app": "web2"}},
                    "spec": {
                        "volumes": [
                            {"name": "cache", "emptyDir": {}},
                            {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
                            {"name": "creds", "secret": {"secretName": "creds", "items": [{"key": "a", "path": "b"}]}}
                        ],
                        "containers": [{
                            "name": "nginx",
                            "image": "nginx:1.27",
                            "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                            "resources": {},
                            "volumeMounts": [{"name": "cache", "readOnly": true, "mountPath": "/cache"}],
                            "readinessProbe": {
                                "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                                "initialDelaySeconds": 5,
                                "periodSeconds": 10
                            },
                            "livenessProbe": {"tcpSocket": {"port": 80}}
                        }]
                    }
                }
            },
            "status": {}
        })
    );
}

#[test]
fn an_empty_strategy_is_left_for_defaulting() {
    // `kubectl create deployment web2 --image=nginx:1.27 --replicas=2`.
    let template = Msg::new()
        .msg(1, Msg::new().msg(8, Msg::new()).entry(11, "app", "web2"))
        .msg(
            2,
            Msg::new().msg(
                2,
                Msg::new()
                    .string(1, "nginx")
                    .string(2, "nginx:1.27")
                    .msg(8, Msg::new()),
            ),
        );
    let spec = Msg::new()
        .int(1, 2)
        .msg(2, Msg::new().entry(1, "app", "web2"))
        .msg(3, template)
        .msg(4, Msg::new().string(1, ""))
        .int(5, 0);
    let raw = Msg::new()
        .msg(1, object_meta("web2", "shop").entry(11, "app", "web2"))
        .msg(2, spec)
        .msg(3, Msg::new());
    assert_eq!(
        decode(&body("apps/v1", "Deployment", raw)).unwrap(),
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web2", "namespace": "shop", "labels": {"app": "web2"}},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web2"}},
                "template": {
                    "metadata": {"labels": {"app": "web2"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "resources": {}}]}
                }
            },
            "status": {}
        })
    );
}

#[test]
fn eviction_with_delete_options() {
    let raw = Msg::new().msg(1, object_meta("web-1", "shop")).msg(
        2,
        Msg::new()
            .int(1, 0)
            .msg(2, Msg::new().string(1, "uid-1"))
            .string(5, "All"),
    );
    assert_eq!(
        decode(&body("policy/v1", "Eviction", raw)).unwrap(),
        json!({
            "apiVersion": "policy/v1",
            "kind": "Eviction",
            "metadata": {"name": "web-1", "namespace": "shop"},
            "deleteOptions": {"gracePeriodSeconds": 0, "preconditions": {"uid": "uid-1"}, "dryRun": ["All"]}
        })
    );
}

#[test]
fn scale_keeps_zero_replicas() {
    let raw = Msg::new()
        .msg(1, object_meta("web", "shop"))
        .msg(2, Msg::new().int(1, 0))
        .msg(3, Msg::new().int(1, 3).string(2, "app=web"));
    assert_eq!(
        decode(&body("autoscaling/v1", "Scale", raw)).unwrap(),
        json!({
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"replicas": 0},
            "status": {"replicas": 3, "selector": "app=web"}
        })
    );
}

#[test]
fn packed_and_unpacked_repeated_scalars() {
    // supplementalGroups [1, 2] packed, then 300 unpacked; a negative int32 (ten-byte varint).
    let security = Msg::new().bytes(4, &[0x01, 0x02]).int(4, 300).int(2, 0);
    let container = Msg::new().string(1, "c").msg(
        15,
        Msg::new().msg(12, Msg::new().string(1, "Localhost").string(2, "p")),
    );
    let spec = Msg::new().msg(2, container).msg(14, security).int(25, -5);
    let raw = Msg::new().msg(1, object_meta("p", "d")).msg(2, spec);
    assert_eq!(
        decode(&body("v1", "Pod", raw)).unwrap(),
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "d"},
            "spec": {
                "containers": [{"name": "c", "securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "p"}}}],
                "securityContext": {"supplementalGroups": [1, 2, 300], "runAsUser": 0},
                "priority": -5
            }
        })
    );
}

#[test]
fn managed_fields_and_micro_time() {
    let entry = Msg::new()
        .string(1, "kubectl-create")
        .string(2, "Update")
        .string(3, "v1")
        .msg(4, time(1_749_990_645))
        .string(6, "FieldsV1")
        .msg(7, Msg::new().bytes(1, br#"{"f:data":{".":{},"f:a":{}}}"#));
    let raw = Msg::new()
        .msg(1, object_meta("ev", "default").msg(17, entry))
        .msg(2, Msg::new().string(1, "Pod").string(3, "web-1"))
        .msg(10, Msg::new().int(1, 1_749_990_645).int(2, 123_456_789))
        .msg(11, Msg::new().int(1, 2).msg(2, time(0)));
    assert_eq!(
        decode(&body("v1", "Event", raw)).unwrap(),
        json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": "ev",
                "namespace": "default",
                "managedFields": [{
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2025-06-15T12:30:45Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:data": {".": {}, "f:a": {}}}
                }]
            },
            "involvedObject": {"kind": "Pod", "name": "web-1"},
            "eventTime": "2025-06-15T12:30:45.123456Z",
            "series": {"count": 2, "lastObservedTime": "1970-01-01T00:00:00.000000Z"}
        })
    );
}

#[test]
fn unknown_fields_are_skipped() {
    let mut raw = Msg::new()
        .msg(1, object_meta("cm", "shop").int(99, 7).string(98, "new"))
        .entry(2, "a", "b")
        .int(50, 1)
        .bytes(51, b"xyz");
    raw.tag(60, WireType::Fixed64);
    raw.0.extend_from_slice(&[0; 8]);
    raw.tag(61, WireType::Fixed32);
    raw.0.extend_from_slice(&[0; 4]);
    assert_eq!(
        decode(&body("v1", "ConfigMap", raw)).unwrap(),
        json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cm", "namespace": "shop"},
            "data": {"a": "b"}
        })
    );
}

#[test]
fn unknown_kinds_are_named() {
    let err = decode(&body("example.com/v1", "Widget", Msg::new())).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("\"Widget\"") && text.contains("\"example.com/v1\""),
        "{text}"
    );
    assert!(!text.contains('\n'));
}

#[test]
fn bad_envelopes() {
    for (bytes, expected) in [
        (b"{\"kind\":\"Pod\"}".to_vec(), "prefix"),
        (b"k8s\0".to_vec(), "empty"),
        (b"k8s\0\xff\xff\xff".to_vec(), "varint"),
        (b"k8s\0\x0a\x10abc".to_vec(), "runs past the end"),
        (b"k8s\0\x12\x00".to_vec(), "apiVersion and kind"),
    ] {
        let err = decode(&bytes).unwrap_err().to_string();
        assert!(
            err.contains(expected),
            "{err:?} should mention {expected:?}"
        );
    }
}

#[test]
fn errors_name_the_field() {
    // metadata.name as a varint.
    let raw = Msg::new().msg(1, Msg::new().int(1, 5));
    let err = decode(&body("v1", "Pod", raw)).unwrap_err().to_string();
    assert_eq!(
        err,
        "metadata.name: expected a length-delimited value, found varint"
    );
    // A length running past the end of spec.
    let mut spec = Msg::new();
    spec.tag(2, WireType::Len);
    spec.raw_varint(50);
    spec.0.extend_from_slice(b"short");
    let err = decode(&body("v1", "Pod", Msg::new().msg(2, spec)))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("spec.containers: "), "{err}");
    let bad_int_or_string = Msg::new().int(1, 7);
    let raw = Msg::new().msg(
        2,
        Msg::new().msg(1, Msg::new().int(3, 80).msg(4, bad_int_or_string)),
    );
    let err = decode(&body("v1", "Service", raw)).unwrap_err().to_string();
    assert_eq!(err, "spec.ports.targetPort: IntOrString has unknown type 7");
}

#[test]
fn truncation_errors_and_never_panics() {
    // The envelope without its trailing empty strings: `raw` is its last field.
    let raw = job_raw();
    let envelope = Msg::new()
        .msg(1, Msg::new().string(1, "batch/v1").string(2, "Job"))
        .msg(2, raw.clone());
    let full = [b"k8s\0".as_slice(), &envelope.0].concat();
    assert!(decode(&full).is_ok());
    let raw_start = full.len() - raw.0.len();
    for end in 0..full.len() {
        let result = decode(&full[..end]);
        if end >= raw_start {
            assert!(result.is_err(), "truncated at {end} of {}", full.len());
        }
    }
}

#[test]
fn nesting_deeper_than_64_is_refused() {
    // ControllerRevision.data holds a raw object, which may itself be a protobuf body.
    let mut inner = body("v1", "ConfigMap", Msg::new().entry(2, "a", "b"));
    for _ in 0..70 {
        inner = body(
            "apps/v1",
            "ControllerRevision",
            Msg::new().msg(2, Msg::new().bytes(1, &inner)).int(3, 1),
        );
    }
    let err = decode(&inner).unwrap_err().to_string();
    assert!(err.contains("deeper than 64"), "{err}");
    assert!(err.len() < 2000, "one reasonable line: {err}");
    // A few levels are fine.
    let shallow = body(
        "apps/v1",
        "ControllerRevision",
        Msg::new()
            .msg(
                2,
                Msg::new().bytes(1, &body("v1", "ConfigMap", Msg::new().entry(2, "a", "b"))),
            )
            .int(3, 2),
    );
    assert_eq!(
        decode(&shallow).unwrap(),
        json!({
            "apiVersion": "apps/v1",
            "kind": "ControllerRevision",
            "data": {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}},
            "revision": 2
        })
    );
}

#[test]
fn json_inside_the_envelope() {
    let envelope = Msg::new()
        .msg(1, Msg::new().string(1, "v1").string(2, "ConfigMap"))
        .bytes(2, br#"{"metadata":{"name":"x"}}"#)
        .string(4, "application/json");
    let bytes = [b"k8s\0".as_slice(), &envelope.0].concat();
    assert_eq!(
        decode(&bytes).unwrap(),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
    );
}

#[test]
fn go_durations() {
    for (nanos, text) in [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (1_500_000, "1.5ms"),
        (1_000_000_000, "1s"),
        (90_000_000_000, "1m30s"),
        (3_600_000_000_000, "1h0m0s"),
        (5_400_500_000_000, "1h30m0.5s"),
        (-2_000_000, "-2ms"),
        (i64::MIN, "-2562047h47m16.854775808s"),
    ] {
        assert_eq!(go_duration(nanos), text);
    }
}

#[test]
fn times_out_of_range_are_errors() {
    let raw = Msg::new().msg(1, object_meta("x", "y").msg(8, time(i64::MAX)));
    let err = decode(&body("v1", "ConfigMap", raw))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("metadata.creationTimestamp: "), "{err}");
    let raw = Msg::new().msg(1, object_meta("x", "y").msg(8, time(-62_135_596_800)));
    assert_eq!(
        decode(&body("v1", "ConfigMap", raw)).unwrap()["metadata"]["creationTimestamp"],
        "0001-01-01T00:00:00Z"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_after_the_magic_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&[b"k8s\0".as_slice(), &tail].concat());
    }

    #[test]
    fn arbitrary_objects_of_every_kind_never_panic(
        kind in prop::sample::select(vec![
            ("v1", "Pod"), ("v1", "Service"), ("v1", "Node"), ("v1", "Secret"),
            ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("batch/v1", "CronJob"),
            ("policy/v1", "Eviction"), ("apps/v1", "ControllerRevision"),
        ]),
        raw in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let envelope = Msg::new()
            .msg(1, Msg::new().string(1, kind.0).string(2, kind.1))
            .bytes(2, &raw);
        let _ = decode(&[b"k8s\0".as_slice(), &envelope.0].concat());
    }

    #[test]
    fn mutated_deployments_never_panic(at in 0usize..4096, byte in any::<u8>()) {
        let mut bytes = deployment();
        let at = at % bytes.len();
        bytes[at] = byte;
        let _ = decode(&bytes);
    }
}
