//! Property tests: parsing and explaining never panic, whatever text or object shape arrives,
//! and the explanations keep their promised shape.
//!
//! Run with `cargo test --test explain_fuzz`.

use std::sync::LazyLock;

use jiff::Timestamp;
use kscope::model::explanation::{Explanation, explain_objects};
use kscope::model::manifest::{KubeObject, parse_objects};
use kscope::model::pod_row::pod_row;
use kscope::model::pod_status::pod_columns;
use kscope::model::trace::Step;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// The fixed clock explanations are computed at.
const NOW: &str = "2026-01-01T00:00:00Z";

static FIXED_NOW: LazyLock<Timestamp> = LazyLock::new(|| NOW.parse().expect("fixed clock"));

fn now() -> Timestamp {
    *FIXED_NOW
}

// ---------------------------------------------------------------------------------------------
// Checks shared by every property.
// ---------------------------------------------------------------------------------------------

/// `<digits>/<digits>`.
fn is_ready_shape(ready: &str) -> bool {
    ready.split_once('/').is_some_and(|(done, total)| {
        !done.is_empty()
            && !total.is_empty()
            && done.bytes().all(|b| b.is_ascii_digit())
            && total.bytes().all(|b| b.is_ascii_digit())
    })
}

/// How many explanations `objects` should produce: one per Pod, Node and Namespace.
fn explainable(objects: &[KubeObject]) -> usize {
    objects
        .iter()
        .filter(|o| !matches!(o, KubeObject::Event(_)))
        .count()
}

/// Explains `objects` at `now` and checks the shape of every explanation.
fn check_explanations(objects: &[KubeObject], now: Timestamp) -> Result<(), TestCaseError> {
    let explanations = explain_objects(objects, now);
    prop_assert_eq!(explanations.len(), explainable(objects));
    for explanation in &explanations {
        let steps = match explanation {
            Explanation::Pod(pod) => &pod.steps,
            Explanation::Node(node) => &node.steps,
            Explanation::Namespace(namespace) => &namespace.steps,
            other => &other.workload().expect("a workload").1.steps,
        };
        prop_assert!(!steps.is_empty(), "no steps in {:?}", explanation);
        let value = serde_json::to_value(explanation).expect("explanations serialise");
        if let Explanation::Pod(pod) = explanation {
            prop_assert!(
                is_ready_shape(&pod.ready),
                "READY {:?} is not <digits>/<digits>",
                pod.ready
            );
            let object = value.as_object().expect("a pod explanation is an object");
            for key in [
                "kind", "name", "ready", "status", "restarts", "qos", "steps", "hints",
            ] {
                prop_assert!(object.contains_key(key), "{} missing from {}", key, value);
            }
            prop_assert_eq!(&object["kind"], "Pod");
        }
    }
    Ok(())
}

/// Parses `text`; when it parses, explains it and checks the explanations.
fn check_text(text: &str) -> Result<(), TestCaseError> {
    if let Ok(objects) = parse_objects(text) {
        check_explanations(&objects, now())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Leaf strategies.
// ---------------------------------------------------------------------------------------------

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    select(items).prop_map(str::to_string)
}

/// Free text: often empty, often a plausible name, sometimes any printable Unicode.
fn word() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        4 => "[a-z][a-z0-9-]{0,10}",
        1 => "\\PC{0,12}",
        1 => "[ -~]{0,16}",
    ]
    .boxed()
}

/// One of the known values, the empty string, or free text.
fn known_or_word(known: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![6 => pick(known), 2 => Just(String::new()), 1 => word()].boxed()
}

/// A small pool of names (so duplicates are common), or free text.
fn name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(&["app", "sidecar", "init", "web", "db", ""]),
        1 => word(),
    ]
    .boxed()
}

/// Timestamps Go writes but jiff cannot hold: jiff's range ends at 9999-12-30T22:00:00Z (so that
/// any offset can be applied), and objects carrying these fail to parse (with an error).
const BEYOND_JIFF: &[&str] = &[
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999999999Z",
    "9999-12-30T22:00:01Z",
];

/// RFC 3339 timestamps: Go's zero time, the far future (up to jiff's last instant, and rarely
/// past it), fractional seconds, offsets, and times around the fixed clock (including just ahead
/// of it).
fn timestamp() -> BoxedStrategy<String> {
    let now_seconds = NOW.parse::<Timestamp>().expect("fixed clock").as_second();
    prop_oneof![
        6 => Just("0001-01-01T00:00:00Z".to_string()),
        2 => Just("0001-01-01T00:00:00.000000001Z".to_string()),
        4 => Just("9999-12-30T22:00:00Z".to_string()),
        2 => Just("9999-12-30T21:59:59.999999999Z".to_string()),
        2 => Just("9999-12-30T21:55:00Z".to_string()),
        2 => Just("1970-01-01T00:00:00Z".to_string()),
        2 => Just("2024-06-01T12:00:00+02:00".to_string()),
        2 => Just("2024-06-01T12:00:00.123-07:30".to_string()),
        1 => pick(BEYOND_JIFF),
        12 => (
            1u32..=9999,
            1u32..=12,
            1u32..=28,
            0u32..24,
            0u32..60,
            0u32..60,
            option::of("[0-9]{1,9}"),
        )
            .prop_map(|(y, mo, d, h, mi, s, fraction)| {
                let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}Z")
            }),
        40 => (-40_000_000i64..40_000_000, option::of(0i32..1_000_000_000)).prop_map(
            move |(offset, nanos)| {
                let time = Timestamp::new(now_seconds + offset, nanos.unwrap_or(0))
                    .expect("within range");
                time.to_string()
            }
        ),
    ]
    .boxed()
}

/// Resource quantities: valid ones, numbers, and garbage (including overflowing exponents).
fn quantity() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => pick(&[
            "100m", "1Gi", "0.5", "1", "0", "250Mi", "2k", "1e3", "1E-3", "+2", "-1", ".5", "5.",
            "1n", "128974848", "129e6", "123Mi", "1.5Gi", "0.0000000001", "500u", "2Ei",
        ])
        .prop_map(Value::from),
        3 => pick(&[
            "1Q", "", "1e999", "abc", "-", ".", " ", "1.2.3", "1e", "1Ei1", "1e40",
            "99999999999999999999999999999999999999999999", "9223372036854775807Ei", "  1  ",
            "1e2147483647", "1e-2147483648", "1.5e-2147483648", "1.5e2147483647",
            "160000000000000000000000000000000000000e-47",
            "170141183460469231731687303715884105727n", "-0", "0x10", "1_000", "∞",
        ])
        .prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => (-1e12f64..1e12).prop_map(Value::from),
        1 => word().prop_map(Value::from),
    ]
    .boxed()
}

fn quantity_map() -> BoxedStrategy<Value> {
    btree_map(
        known_or_word(&[
            "cpu",
            "memory",
            "hugepages-2Mi",
            "nvidia.com/gpu",
            "ephemeral-storage",
            "pods",
        ]),
        quantity(),
        0..4,
    )
    .prop_map(|map| Value::Object(map.into_iter().collect()))
    .boxed()
}

fn resources() -> BoxedStrategy<Value> {
    (option::of(quantity_map()), option::of(quantity_map()))
        .prop_map(|(requests, limits)| object([("requests", requests), ("limits", limits)]))
        .boxed()
}

fn exit_code() -> impl Strategy<Value = i32> + Clone {
    prop_oneof![
        4 => select(&[0, 1, 2, 126, 127, 137, 139, 143, 255, -1][..]),
        1 => Just(i32::MIN),
        1 => Just(i32::MAX),
        2 => any::<i32>(),
    ]
}

fn signal() -> impl Strategy<Value = i32> + Clone {
    prop_oneof![
        6 => Just(0),
        2 => select(&[9, 15, -1][..]),
        1 => Just(i32::MIN),
        1 => Just(i32::MAX),
        1 => any::<i32>(),
    ]
}

fn restart_count() -> impl Strategy<Value = i32> + Clone {
    prop_oneof![
        6 => 0..5i32,
        2 => 0..1000i32,
        1 => Just(i32::MAX),
        1 => 0..=i32::MAX,
    ]
}

/// A JSON object from `(key, Option<value>)` pairs, leaving out the `None`s.
fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let mut map = Map::new();
    for (key, value) in fields {
        if let Some(value) = value {
            map.insert(key.to_string(), value);
        }
    }
    Value::Object(map)
}

/// A value, sometimes replaced by an explicit `null` (which reads as absent).
fn or_null<S: Strategy<Value = Value> + Clone>(
    strategy: S,
) -> impl Strategy<Value = Option<Value>> + Clone {
    prop_oneof![
        12 => strategy.prop_map(Some),
        2 => Just(None),
        1 => Just(Some(Value::Null)),
    ]
}

fn conditions(
    types: &'static [&'static str],
    reasons: &'static [&'static str],
) -> BoxedStrategy<Value> {
    vec(
        (
            known_or_word(types),
            known_or_word(&["True", "False", "Unknown"]),
            known_or_word(reasons),
            word(),
            option::of(timestamp()),
            option::of(timestamp()),
        )
            .prop_map(|(type_, status, reason, message, transition, heartbeat)| {
                object([
                    ("type", Some(type_.into())),
                    ("status", Some(status.into())),
                    ("reason", Some(reason.into())),
                    ("message", Some(message.into())),
                    ("lastTransitionTime", transition.map(Value::from)),
                    ("lastHeartbeatTime", heartbeat.map(Value::from)),
                ])
            }),
        0..5,
    )
    .prop_map(Value::Array)
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Pods.
// ---------------------------------------------------------------------------------------------

const WAITING_REASONS: &[&str] = &[
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ContainerCreating",
    "PodInitializing",
    "CreateContainerConfigError",
    "CreateContainerError",
    "InvalidImageName",
    "RunContainerError",
    "StartError",
];

const TERMINATED_REASONS: &[&str] = &[
    "Completed",
    "Error",
    "OOMKilled",
    "ContainerCannotRun",
    "ContainerStatusUnknown",
    "DeadlineExceeded",
];

fn container_state() -> BoxedStrategy<Value> {
    let waiting = (known_or_word(WAITING_REASONS), word())
        .prop_map(|(reason, message)| json!({ "reason": reason, "message": message }));
    let running = option::of(timestamp())
        .prop_map(|started| object([("startedAt", started.map(Value::from))]));
    let terminated = (
        exit_code(),
        signal(),
        known_or_word(TERMINATED_REASONS),
        word(),
        option::of(timestamp()),
        option::of(timestamp()),
    )
        .prop_map(|(exit_code, signal, reason, message, started, finished)| {
            object([
                ("exitCode", Some(exit_code.into())),
                ("signal", Some(signal.into())),
                ("reason", Some(reason.into())),
                ("message", Some(message.into())),
                ("startedAt", started.map(Value::from)),
                ("finishedAt", finished.map(Value::from)),
            ])
        });
    prop_oneof![
        4 => waiting.clone().prop_map(|w| json!({ "waiting": w })),
        4 => running.clone().prop_map(|r| json!({ "running": r })),
        4 => terminated.clone().prop_map(|t| json!({ "terminated": t })),
        1 => Just(json!({})),
        2 => (option::of(waiting), option::of(running), option::of(terminated)).prop_map(
            |(waiting, running, terminated)| {
                object([
                    ("waiting", waiting),
                    ("running", running),
                    ("terminated", terminated),
                ])
            }
        ),
    ]
    .boxed()
}

fn container_status() -> BoxedStrategy<Value> {
    (
        name(),
        any::<bool>(),
        option::of(any::<bool>()),
        restart_count(),
        or_null(container_state()),
        or_null(container_state()),
        word(),
    )
        .prop_map(
            |(name, ready, started, restarts, state, last_state, image)| {
                object([
                    ("name", Some(name.into())),
                    ("ready", Some(ready.into())),
                    ("started", started.map(Value::from)),
                    ("restartCount", Some(restarts.into())),
                    ("state", state),
                    ("lastState", last_state),
                    ("image", Some(image.into())),
                ])
            },
        )
        .boxed()
}

fn env() -> BoxedStrategy<Value> {
    let key_ref = (word(), word(), option::of(any::<bool>())).prop_map(|(name, key, optional)| {
        object([
            ("name", Some(name.into())),
            ("key", Some(key.into())),
            ("optional", optional.map(Value::from)),
        ])
    });
    vec(
        (
            word(),
            option::of(key_ref.clone()),
            option::of(key_ref),
            any::<bool>(),
        )
            .prop_map(|(name, config_map, secret, has_source)| {
                let source = has_source
                    .then(|| object([("configMapKeyRef", config_map), ("secretKeyRef", secret)]));
                object([("name", Some(name.into())), ("valueFrom", source)])
            }),
        0..3,
    )
    .prop_map(Value::Array)
    .boxed()
}

fn env_from() -> BoxedStrategy<Value> {
    let name_ref = (word(), option::of(any::<bool>())).prop_map(|(name, optional)| {
        object([
            ("name", Some(name.into())),
            ("optional", optional.map(Value::from)),
        ])
    });
    vec(
        (option::of(name_ref.clone()), option::of(name_ref)).prop_map(|(config_map, secret)| {
            object([("configMapRef", config_map), ("secretRef", secret)])
        }),
        0..2,
    )
    .prop_map(Value::Array)
    .boxed()
}

fn container() -> BoxedStrategy<Value> {
    (
        name(),
        word(),
        option::of(known_or_word(&["Always", "Never", "OnFailure", "always"])),
        or_null(resources()),
        any::<bool>(),
        env(),
        env_from(),
    )
        .prop_map(
            |(name, image, restart_policy, resources, probe, env, env_from)| {
                object([
                    ("name", Some(name.into())),
                    ("image", Some(image.into())),
                    ("restartPolicy", restart_policy.map(Value::from)),
                    ("resources", resources),
                    (
                        "readinessProbe",
                        probe.then(|| json!({ "httpGet": { "path": "/healthz", "port": 8080 } })),
                    ),
                    ("env", Some(env)),
                    ("envFrom", Some(env_from)),
                ])
            },
        )
        .boxed()
}

const POD_CONDITION_TYPES: &[&str] = &[
    "PodScheduled",
    "Initialized",
    "ContainersReady",
    "Ready",
    "PodReadyToStartContainers",
    "DisruptionTarget",
    "example.com/gate",
];

const POD_CONDITION_REASONS: &[&str] = &[
    "SchedulingGated",
    "Unschedulable",
    "ContainersNotReady",
    "ContainersNotInitialized",
    "PodCompleted",
];

fn pod_metadata() -> BoxedStrategy<Value> {
    (
        name(),
        known_or_word(&["default", "kube-system"]),
        option::of("[0-9a-f]{8}"),
        option::of(timestamp()),
        prop_oneof![2 => Just(None), 1 => timestamp().prop_map(Some)],
        option::of(prop_oneof![3 => 0i64..120, 1 => any::<i64>()]),
        vec(
            known_or_word(&["kubernetes.io/pvc-protection", "example.com/hold"]),
            0..3,
        ),
    )
        .prop_map(
            |(name, namespace, uid, created, deleted, grace, finalizers)| {
                object([
                    ("name", Some(name.into())),
                    ("namespace", Some(namespace.into())),
                    ("uid", uid.map(Value::from)),
                    ("creationTimestamp", created.map(Value::from)),
                    ("deletionTimestamp", deleted.map(Value::from)),
                    ("deletionGracePeriodSeconds", grace.map(Value::from)),
                    ("finalizers", Some(finalizers.into())),
                ])
            },
        )
        .boxed()
}

fn toleration() -> BoxedStrategy<Value> {
    (
        known_or_word(&["node.kubernetes.io/not-ready", "dedicated"]),
        known_or_word(&["Exists", "Equal"]),
        word(),
        known_or_word(&["NoExecute", "NoSchedule"]),
        option::of(any::<i64>()),
    )
        .prop_map(|(key, operator, value, effect, seconds)| {
            object([
                ("key", Some(key.into())),
                ("operator", Some(operator.into())),
                ("value", Some(value.into())),
                ("effect", Some(effect.into())),
                ("tolerationSeconds", seconds.map(Value::from)),
            ])
        })
        .boxed()
}

fn pod_spec() -> BoxedStrategy<Value> {
    let gates = |types: &'static [&'static str], key: &'static str| {
        vec(
            known_or_word(types).prop_map(move |t| json!({ key: t })),
            0..3,
        )
        .prop_map(Value::Array)
    };
    (
        or_null(vec(container(), 0..5).prop_map(Value::Array)),
        or_null(vec(container(), 0..4).prop_map(Value::Array)),
        known_or_word(&["node-a", "node-b"]),
        gates(POD_CONDITION_TYPES, "conditionType"),
        gates(&["example.com/quota", "kueue.x-k8s.io/admission"], "name"),
        option::of(resources()),
        known_or_word(&["Always", "OnFailure", "Never"]),
        option::of(prop_oneof![3 => 0i64..120, 1 => any::<i64>()]),
        vec(word().prop_map(|name| json!({ "name": name })), 0..2),
        btree_map(word(), word(), 0..3),
        vec(toleration(), 0..3),
        any::<bool>(),
    )
        .prop_map(
            |(
                containers,
                init_containers,
                node_name,
                readiness_gates,
                scheduling_gates,
                resources,
                restart_policy,
                grace,
                pull_secrets,
                node_selector,
                tolerations,
                affinity,
            )| {
                object([
                    ("containers", containers),
                    ("initContainers", init_containers),
                    ("nodeName", Some(node_name.into())),
                    ("readinessGates", Some(readiness_gates)),
                    ("schedulingGates", Some(scheduling_gates)),
                    ("resources", resources),
                    ("restartPolicy", Some(restart_policy.into())),
                    ("terminationGracePeriodSeconds", grace.map(Value::from)),
                    ("imagePullSecrets", Some(pull_secrets.into())),
                    (
                        "nodeSelector",
                        Some(Value::Object(
                            node_selector
                                .into_iter()
                                .map(|(k, v)| (k, v.into()))
                                .collect(),
                        )),
                    ),
                    ("tolerations", Some(tolerations.into())),
                    ("affinity", affinity.then(|| json!({ "nodeAffinity": {} }))),
                ])
            },
        )
        .boxed()
}

fn pod_status() -> BoxedStrategy<Value> {
    (
        known_or_word(&["Pending", "Running", "Succeeded", "Failed", "Unknown"]),
        known_or_word(&[
            "Evicted",
            "NodeLost",
            "OutOfcpu",
            "OutOfmemory",
            "UnexpectedAdmissionError",
            "NodeAffinity",
            "Shutdown",
        ]),
        word(),
        or_null(conditions(POD_CONDITION_TYPES, POD_CONDITION_REASONS)),
        or_null(vec(container_status(), 0..5).prop_map(Value::Array)),
        or_null(vec(container_status(), 0..6).prop_map(Value::Array)),
        known_or_word(&["10.0.0.1", "fd00::1"]),
        vec(word().prop_map(|ip| json!({ "ip": ip })), 0..3),
        known_or_word(&["Guaranteed", "Burstable", "BestEffort"]),
        option::of(timestamp()),
        word(),
    )
        .prop_map(
            |(
                phase,
                reason,
                message,
                conditions,
                init_statuses,
                statuses,
                pod_ip,
                pod_ips,
                qos,
                start,
                nominated,
            )| {
                object([
                    ("phase", Some(phase.into())),
                    ("reason", Some(reason.into())),
                    ("message", Some(message.into())),
                    ("conditions", conditions),
                    ("initContainerStatuses", init_statuses),
                    ("containerStatuses", statuses),
                    ("podIP", Some(pod_ip.into())),
                    ("podIPs", Some(pod_ips.into())),
                    ("qosClass", Some(qos.into())),
                    ("startTime", start.map(Value::from)),
                    ("nominatedNodeName", Some(nominated.into())),
                ])
            },
        )
        .boxed()
}

fn pod() -> BoxedStrategy<Value> {
    (
        or_null(pod_metadata()),
        or_null(pod_spec()),
        or_null(pod_status()),
    )
        .prop_map(|(metadata, spec, status)| {
            object([
                ("apiVersion", Some("v1".into())),
                ("kind", Some("Pod".into())),
                ("metadata", metadata),
                ("spec", spec),
                ("status", status),
            ])
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Nodes, Namespaces and Events.
// ---------------------------------------------------------------------------------------------

/// A node's Ready condition, as the kubelet and node controller write it.
fn ready_condition() -> BoxedStrategy<Value> {
    (
        known_or_word(&["True", "False", "Unknown"]),
        known_or_word(&["KubeletReady", "KubeletNotReady", "NodeStatusUnknown"]),
        word(),
        option::of(timestamp()),
    )
        .prop_map(|(status, reason, message, heartbeat)| {
            object([
                ("type", Some("Ready".into())),
                ("status", Some(status.into())),
                ("reason", Some(reason.into())),
                ("message", Some(message.into())),
                ("lastHeartbeatTime", heartbeat.map(Value::from)),
            ])
        })
        .boxed()
}

/// `conditions` with `ready` appended (the printer reads the last Ready condition).
fn with_ready(conditions: Option<Value>, ready: Option<Value>) -> Option<Value> {
    match (conditions, ready) {
        (Some(Value::Array(mut items)), Some(ready)) => {
            items.push(ready);
            Some(Value::Array(items))
        }
        (None | Some(Value::Null), Some(ready)) => Some(Value::Array(vec![ready])),
        (conditions, None) => conditions,
        (Some(other), Some(_)) => Some(other),
    }
}

fn node() -> BoxedStrategy<Value> {
    let labels = btree_map(
        known_or_word(&[
            "node-role.kubernetes.io/control-plane",
            "node-role.kubernetes.io/worker",
            "node-role.kubernetes.io/",
            "kubernetes.io/role",
            "kubernetes.io/hostname",
        ]),
        word(),
        0..4,
    );
    // Biased towards the taints whose timeAdded starts the eviction timer.
    let taint = (
        prop_oneof![
            3 => pick(&["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]),
            2 => known_or_word(&[
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/unschedulable",
                "dedicated",
            ]),
        ],
        word(),
        prop_oneof![
            3 => Just("NoExecute".to_string()),
            2 => known_or_word(&["NoSchedule", "PreferNoSchedule"]),
        ],
        prop_oneof![3 => timestamp().prop_map(Some), 1 => Just(None)],
    )
        .prop_map(|(key, value, effect, added)| {
            object([
                ("key", Some(key.into())),
                ("value", Some(value.into())),
                ("effect", Some(effect.into())),
                ("timeAdded", added.map(Value::from)),
            ])
        });
    let address = (
        known_or_word(&["InternalIP", "ExternalIP", "Hostname"]),
        word(),
    )
        .prop_map(|(type_, address)| json!({ "type": type_, "address": address }));
    let info = (word(), word(), word(), word(), word()).prop_map(
        |(kubelet, os, kernel, runtime, architecture)| {
            json!({
                "kubeletVersion": kubelet,
                "osImage": os,
                "kernelVersion": kernel,
                "containerRuntimeVersion": runtime,
                "architecture": architecture,
            })
        },
    );
    (
        name(),
        labels,
        option::of(timestamp()),
        option::of(any::<bool>()),
        vec(taint, 0..4),
        option::of(ready_condition()),
        or_null(conditions(
            &[
                "Ready",
                "MemoryPressure",
                "DiskPressure",
                "PIDPressure",
                "NetworkUnavailable",
            ],
            &[
                "KubeletReady",
                "KubeletNotReady",
                "NodeStatusUnknown",
                "KubeletHasSufficientMemory",
            ],
        )),
        vec(address, 0..3),
        option::of(info),
        quantity_map(),
        quantity_map(),
    )
        .prop_map(
            |(
                name,
                labels,
                created,
                unschedulable,
                taints,
                ready,
                conditions,
                addresses,
                info,
                capacity,
                allocatable,
            )| {
                json!({
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": object([
                        ("name", Some(name.into())),
                        ("labels", Some(Value::Object(
                            labels.into_iter().map(|(k, v)| (k, v.into())).collect(),
                        ))),
                        ("creationTimestamp", created.map(Value::from)),
                    ]),
                    "spec": object([
                        ("unschedulable", unschedulable.map(Value::from)),
                        ("taints", Some(taints.into())),
                    ]),
                    "status": object([
                        ("conditions", with_ready(conditions, ready)),
                        ("addresses", Some(addresses.into())),
                        ("nodeInfo", info),
                        ("capacity", Some(capacity)),
                        ("allocatable", Some(allocatable)),
                    ]),
                })
            },
        )
        .boxed()
}

fn namespace() -> BoxedStrategy<Value> {
    (
        name(),
        option::of(timestamp()),
        prop_oneof![2 => Just(None), 1 => timestamp().prop_map(Some)],
        vec(known_or_word(&["kubernetes", "example.com/cleanup"]), 0..3),
        vec(known_or_word(&["kubernetes", "example.com/cleanup"]), 0..3),
        known_or_word(&["Active", "Terminating"]),
        or_null(conditions(
            &[
                "NamespaceDeletionDiscoveryFailure",
                "NamespaceDeletionGroupVersionParsingFailure",
                "NamespaceDeletionContentFailure",
                "NamespaceFinalizersRemaining",
                "NamespaceContentRemaining",
            ],
            &[
                "DiscoveryFailed",
                "ContentDeleted",
                "SomeFinalizersRemain",
                "SomeResourcesRemain",
            ],
        )),
    )
        .prop_map(
            |(name, created, deleted, metadata_finalizers, spec_finalizers, phase, conditions)| {
                json!({
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": object([
                        ("name", Some(name.into())),
                        ("creationTimestamp", created.map(Value::from)),
                        ("deletionTimestamp", deleted.map(Value::from)),
                        ("finalizers", Some(metadata_finalizers.into())),
                    ]),
                    "spec": { "finalizers": spec_finalizers },
                    "status": object([
                        ("phase", Some(phase.into())),
                        ("conditions", conditions),
                    ]),
                })
            },
        )
        .boxed()
}

/// An Event, in core/v1 or events.k8s.io/v1 spelling, often about one of the pool's pods.
fn event() -> BoxedStrategy<Value> {
    (
        known_or_word(&[
            "FailedScheduling",
            "Unhealthy",
            "Failed",
            "FailedMount",
            "FailedAttachVolume",
            "FailedCreatePodSandBox",
            "BackOff",
        ]),
        known_or_word(&[
            "Failed to pull image \"x\": not found",
            "0/3 nodes are available.",
        ]),
        name(),
        known_or_word(&["default", "kube-system"]),
        option::of(timestamp()),
        option::of(timestamp()),
        option::of(any::<i64>()),
        any::<bool>(),
    )
        .prop_map(
            |(reason, message, name, namespace, last, event_time, count, new_api)| {
                let about = json!({ "kind": "Pod", "name": name, "namespace": namespace });
                if new_api {
                    object([
                        ("apiVersion", Some("events.k8s.io/v1".into())),
                        ("kind", Some("Event".into())),
                        ("regarding", Some(about)),
                        ("reason", Some(reason.into())),
                        ("note", Some(message.into())),
                        ("deprecatedCount", count.map(Value::from)),
                        ("deprecatedLastTimestamp", last.map(Value::from)),
                        ("eventTime", event_time.map(Value::from)),
                    ])
                } else {
                    object([
                        ("apiVersion", Some("v1".into())),
                        ("kind", Some("Event".into())),
                        ("involvedObject", Some(about)),
                        ("reason", Some(reason.into())),
                        ("message", Some(message.into())),
                        ("count", count.map(Value::from)),
                        ("lastTimestamp", last.map(Value::from)),
                        ("eventTime", event_time.map(Value::from)),
                    ])
                }
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Whole documents.
// ---------------------------------------------------------------------------------------------

fn any_object() -> BoxedStrategy<Value> {
    prop_oneof![4 => pod(), 2 => node(), 2 => namespace(), 1 => event()].boxed()
}

/// How a set of objects is laid out in the text.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// Each object its own JSON value, one after another.
    Stream,
    /// One `kind: List` object.
    List,
    /// Each object its own YAML document (JSON is YAML's flow style).
    YamlDocuments,
}

/// Valid JSON (or YAML) text holding 1–4 generated objects.
fn document() -> BoxedStrategy<String> {
    (
        vec(any_object(), 1..5),
        select(&[Layout::Stream, Layout::List, Layout::YamlDocuments][..]),
        any::<bool>(),
    )
        .prop_map(|(objects, layout, pretty)| {
            let render = |value: &Value| {
                if pretty {
                    serde_json::to_string_pretty(value).expect("serialises")
                } else {
                    serde_json::to_string(value).expect("serialises")
                }
            };
            match layout {
                Layout::Stream => objects.iter().map(render).collect::<Vec<_>>().join("\n"),
                Layout::List => render(&json!({
                    "apiVersion": "v1",
                    "kind": "List",
                    "items": objects,
                })),
                Layout::YamlDocuments => objects
                    .iter()
                    .map(|o| format!("---\n{}\n", render(o)))
                    .collect(),
            }
        })
        .boxed()
}

/// Fragments of YAML and JSON syntax and Kubernetes field names, for token-soup inputs.
const TOKENS: &[&str] = &[
    "kind: Pod\n",
    "kind: Node\n",
    "kind: Namespace\n",
    "kind: Event\n",
    "kind: List\n",
    "kind: PodList\n",
    "items:\n",
    "- ",
    "  ",
    "\n",
    "---\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "\"",
    "'",
    "metadata:\n",
    "name: a\n",
    "deletionTimestamp: 9999-12-31T23:59:59Z\n",
    "creationTimestamp: 0001-01-01T00:00:00Z\n",
    "spec:\n",
    "status:\n",
    "phase: Running\n",
    "reason: NodeLost\n",
    "containers:\n",
    "initContainers:\n",
    "containerStatuses:\n",
    "initContainerStatuses:\n",
    "restartPolicy: Always\n",
    "restartCount: 2147483647\n",
    "restartCount: 2147483648\n",
    "state: {terminated: {exitCode: -2147483648}}\n",
    "state: {waiting: {reason: CrashLoopBackOff}}\n",
    "lastState: {terminated: {finishedAt: '9999-12-31T23:59:59Z'}}\n",
    "conditions: [{type: Ready, status: 'False'}]\n",
    "taints: [{key: node.kubernetes.io/not-ready, effect: NoExecute, timeAdded: '9999-12-31T23:59:59Z'}]\n",
    "resources: {limits: {cpu: 1e2147483647, memory: 1Gi}}\n",
    "null",
    "~",
    "0644",
    "&a ",
    "*a",
    "!!str ",
    "<<: ",
    "#",
    "\t",
    "\u{feff}",
    "é",
];

fn token_soup() -> impl Strategy<Value = String> {
    vec(select(TOKENS), 0..48).prop_map(|tokens| tokens.concat())
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

proptest! {
    // No failure persistence: a failure prints its minimal input instead of writing a
    // regressions file next to this one.
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// (a) Arbitrary bytes (as text, invalid UTF-8 replaced) never panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..512)) {
        check_text(&String::from_utf8_lossy(&bytes))?;
    }

    /// (a) Arbitrary text never panics.
    #[test]
    fn arbitrary_text_never_panics(text in prop_oneof![any::<String>(), "\\PC{0,200}"]) {
        check_text(&text)?;
    }

    /// (a) Text made of YAML/JSON syntax and field names, which gets further than random
    /// bytes, never panics.
    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        check_text(&text)?;
    }

    /// (a) Valid documents with a slice cut out and a token spliced in never panic.
    #[test]
    fn damaged_documents_never_panic(
        text in document(),
        at in any::<prop::sample::Index>(),
        cut in 0usize..40,
        token in select(TOKENS),
    ) {
        let start = floor_char_boundary(&text, at.index(text.len() + 1));
        let end = floor_char_boundary(&text, (start + cut).min(text.len()));
        let damaged = format!("{}{}{}", &text[..start], token, &text[end..]);
        check_text(&damaged)?;
    }

    /// (b) Generated Pods, Nodes, Namespaces (and Events) always parse, explain without
    /// panicking, and explain into the promised shape.
    #[test]
    fn generated_objects_explain(text in document()) {
        let objects = parse_objects(&text);
        if let Err(error) = &objects {
            // The one accepted failure: a timestamp past jiff's range.
            prop_assert!(
                BEYOND_JIFF.iter().any(|t| text.contains(t)),
                "generated text did not parse: {:#}\n{}",
                error,
                text
            );
            return Ok(());
        }
        check_explanations(&objects.unwrap(), now())?;
    }

    /// (c) Recording the trace never changes the columns, at the fixed clock or any other.
    #[test]
    fn trace_does_not_change_the_answer(text in pod().prop_map(|p| p.to_string()), at in timestamp()) {
        let Ok(objects) = parse_objects(&text) else {
            prop_assert!(BEYOND_JIFF.iter().any(|t| text.contains(t)), "generated pod did not parse:\n{}", text);
            return Ok(());
        };
        let clocks = [Some(now()), at.parse::<Timestamp>().ok()];
        for object in objects {
            let KubeObject::Pod(pod) = object else { continue };
            for now in clocks.into_iter().flatten() {
                let plain = pod_columns(&pod, now, &mut ());
                let mut steps: Vec<Step> = Vec::new();
                let traced = pod_columns(&pod, now, &mut steps);
                prop_assert_eq!(&plain, &traced);
                prop_assert!(!steps.is_empty());
                prop_assert!(is_ready_shape(&plain.ready), "READY {:?}", plain.ready);
                prop_assert_eq!(pod_row(&pod, now).columns, plain);
            }
        }
    }
}

/// The largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}
