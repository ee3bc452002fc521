//! How fast the pod table path and the explainer path compute READY, STATUS and RESTARTS.
//!
//! The pods are built directly as model structs (no parsing), deterministically from a fixed
//! xorshift seed, and cover the pod lifecycle: running and ready, not ready, CrashLoopBackOff
//! (OOMKilled / Error), image pull failures, ContainerCreating, Completed, Error, init
//! containers (progress, CrashLoopBackOff, Error), sidecars, SchedulingGated, Evicted,
//! Terminating and NodeLost, with 1–4 app containers each.
//!
//! Run with `cargo bench --bench pod_status`.

use std::sync::LazyLock;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use jiff::{SignedDuration, Timestamp};
use kscope::model::meta::{Condition, ObjectMeta};
use kscope::model::pod::{
    Container, ContainerState, ContainerStatus, Pod, PodIp, PodSpec, PodStatus, SchedulingGate,
    StateRunning, StateTerminated, StateWaiting,
};
use kscope::model::pod_row::pod_row;
use kscope::model::pod_status::pod_columns;
use kscope::model::trace::Step;

/// Pods in the table-path benchmarks.
const POD_COUNT: usize = 100_000;
/// Pods in the explainer-path benchmark.
const TRACED_COUNT: usize = 10_000;
/// 2026-01-01T00:00:00Z: the clock every benchmark reads.
const NOW_SECONDS: i64 = 1_767_225_600;

fn main() {
    // Build the pods before any timing starts.
    LazyLock::force(&PODS);
    divan::main();
}

fn now() -> Timestamp {
    Timestamp::from_second(NOW_SECONDS).expect("fixed clock")
}

static PODS: LazyLock<Vec<Pod>> = LazyLock::new(|| {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    (0..POD_COUNT)
        .map(|index| make_pod(&mut rng, index))
        .collect()
});

/// `pod_columns` with the no-op trace over every pod: the `kubectl get pods` table path.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn table_pod_columns(bencher: Bencher) {
    let pods = PODS.as_slice();
    let now = now();
    bencher.counter(ItemsCount::new(pods.len())).bench(|| {
        for pod in pods {
            black_box(pod_columns(black_box(pod), now, &mut ()));
        }
    });
}

/// The table path over the first 10k pods only, whose data mostly stays in cache: the gap to
/// `table_pod_columns` is the cost of reading 100k pods from memory.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn table_pod_columns_first_10k(bencher: Bencher) {
    let pods = &PODS[..TRACED_COUNT];
    let now = now();
    bencher.counter(ItemsCount::new(pods.len())).bench(|| {
        for pod in pods {
            black_box(pod_columns(black_box(pod), now, &mut ()));
        }
    });
}

/// `pod_row` (columns plus AGE, IP, NODE, ...) over every pod.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn table_pod_row(bencher: Bencher) {
    let pods = PODS.as_slice();
    let now = now();
    bencher.counter(ItemsCount::new(pods.len())).bench(|| {
        for pod in pods {
            black_box(pod_row(black_box(pod), now));
        }
    });
}

/// `pod_columns` recording every step, over the first 10k pods: the explainer path.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn explain_pod_columns_traced(bencher: Bencher) {
    let pods = &PODS[..TRACED_COUNT];
    let now = now();
    bencher.counter(ItemsCount::new(pods.len())).bench(|| {
        for pod in pods {
            let mut steps: Vec<Step> = Vec::new();
            let columns = pod_columns(black_box(pod), now, &mut steps);
            black_box((columns, steps));
        }
    });
}

/// A xorshift64 generator: deterministic and dependency-free.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..bound` (`bound > 0`).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// A value in `low..=high`.
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The lifecycle scenarios the generated pods are spread over.
#[derive(Clone, Copy)]
enum Scenario {
    RunningReady,
    RunningNotReady,
    CrashLoopOomKilled,
    CrashLoopError,
    ImagePull,
    ContainerCreating,
    Completed,
    Error,
    InitProgress,
    InitCrashLoop,
    InitError,
    Sidecars,
    SchedulingGated,
    Evicted,
    Terminating,
    NodeLost,
}

const SCENARIOS: [Scenario; 16] = [
    Scenario::RunningReady,
    Scenario::RunningNotReady,
    Scenario::CrashLoopOomKilled,
    Scenario::CrashLoopError,
    Scenario::ImagePull,
    Scenario::ContainerCreating,
    Scenario::Completed,
    Scenario::Error,
    Scenario::InitProgress,
    Scenario::InitCrashLoop,
    Scenario::InitError,
    Scenario::Sidecars,
    Scenario::SchedulingGated,
    Scenario::Evicted,
    Scenario::Terminating,
    Scenario::NodeLost,
];

/// A time `0..=max_seconds` before now.
fn ago(rng: &mut XorShift, max_seconds: i64) -> Timestamp {
    now() - SignedDuration::from_secs(rng.range(0, max_seconds))
}

fn condition(type_: &str, status: &str, reason: &str) -> Condition {
    Condition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: reason.to_string(),
        ..Condition::default()
    }
}

fn running(rng: &mut XorShift) -> ContainerState {
    ContainerState {
        running: Some(StateRunning {
            started_at: Some(ago(rng, 86_400)),
        }),
        ..ContainerState::default()
    }
}

fn waiting(reason: &str, message: &str) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting {
            reason: reason.to_string(),
            message: message.to_string(),
        }),
        ..ContainerState::default()
    }
}

fn terminated(rng: &mut XorShift, exit_code: i32, reason: &str) -> ContainerState {
    let finished = ago(rng, 3_600);
    ContainerState {
        terminated: Some(StateTerminated {
            exit_code,
            reason: reason.to_string(),
            started_at: Some(finished - SignedDuration::from_secs(rng.range(1, 600))),
            finished_at: Some(finished),
            ..StateTerminated::default()
        }),
        ..ContainerState::default()
    }
}

fn status(name: &str, ready: bool, restart_count: i32, state: ContainerState) -> ContainerStatus {
    ContainerStatus {
        name: name.to_string(),
        ready,
        started: Some(state.running.is_some()),
        restart_count,
        state,
        image: format!("registry.example.com/{name}:1.0"),
        ..ContainerStatus::default()
    }
}

fn container(name: &str, sidecar: bool) -> Container {
    Container {
        name: name.to_string(),
        image: format!("registry.example.com/{name}:1.0"),
        restart_policy: sidecar.then(|| "Always".to_string()),
        ..Container::default()
    }
}

fn make_pod(rng: &mut XorShift, index: usize) -> Pod {
    let scenario = SCENARIOS[rng.below(SCENARIOS.len() as u64) as usize];
    let container_count = rng.range(1, 4) as usize;
    let names: Vec<String> = (0..container_count)
        .map(|i| {
            if i == 0 {
                "app".to_string()
            } else {
                format!("helper-{i}")
            }
        })
        .collect();
    let node = format!("node-{}", rng.below(500));
    let mut pod = Pod {
        metadata: ObjectMeta {
            name: format!("workload-{index:06}-{:05x}", rng.below(0x10_0000)),
            namespace: rng
                .pick(&["default", "kube-system", "payments", "web"])
                .to_string(),
            creation_timestamp: Some(ago(rng, 30 * 86_400)),
            ..ObjectMeta::default()
        },
        spec: PodSpec {
            containers: names.iter().map(|n| container(n, false)).collect(),
            node_name: node,
            restart_policy: "Always".to_string(),
            ..PodSpec::default()
        },
        status: PodStatus {
            phase: "Running".to_string(),
            pod_ip: format!(
                "10.{}.{}.{}",
                rng.below(256),
                rng.below(256),
                rng.below(256)
            ),
            ..PodStatus::default()
        },
    };
    pod.status.pod_ips = vec![PodIp {
        ip: pod.status.pod_ip.clone(),
    }];
    let all_running = |rng: &mut XorShift, ready: bool| -> Vec<ContainerStatus> {
        names
            .iter()
            .map(|n| status(n, ready, 0, running(rng)))
            .collect()
    };
    let ready_conditions = |ready: bool| {
        let word = if ready { "True" } else { "False" };
        vec![
            condition("PodScheduled", "True", ""),
            condition("Initialized", "True", ""),
            condition("ContainersReady", word, ""),
            condition("Ready", word, ""),
        ]
    };
    match scenario {
        Scenario::RunningReady => {
            pod.status.container_statuses = all_running(rng, true);
            if rng.chance(1, 4) {
                // Some restarted earlier and recovered.
                let restarts = rng.range(1, 20) as i32;
                let last = terminated(rng, 137, "Error");
                let first = &mut pod.status.container_statuses[0];
                first.restart_count = restarts;
                first.last_state = last;
            }
            pod.status.conditions = ready_conditions(true);
        }
        Scenario::RunningNotReady => {
            pod.status.container_statuses = all_running(rng, true);
            let which = rng.below(container_count as u64) as usize;
            pod.status.container_statuses[which].ready = false;
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::CrashLoopOomKilled | Scenario::CrashLoopError => {
            pod.status.container_statuses = all_running(rng, true);
            let which = rng.below(container_count as u64) as usize;
            let (exit_code, reason) = match scenario {
                Scenario::CrashLoopOomKilled => (137, "OOMKilled"),
                _ => (1, "Error"),
            };
            let last = terminated(rng, exit_code, reason);
            let restarts = rng.range(1, 500) as i32;
            let crashing = &mut pod.status.container_statuses[which];
            crashing.ready = false;
            crashing.started = Some(false);
            crashing.restart_count = restarts;
            crashing.state = waiting(
                "CrashLoopBackOff",
                "back-off 5m0s restarting failed container",
            );
            crashing.last_state = last;
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::ImagePull => {
            pod.status.phase = "Pending".to_string();
            let reason = rng.pick(&["ImagePullBackOff", "ErrImagePull"]);
            pod.status.container_statuses = names
                .iter()
                .map(|n| status(n, false, 0, waiting(reason, "Back-off pulling image")))
                .collect();
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::ContainerCreating => {
            pod.status.phase = "Pending".to_string();
            pod.status.container_statuses = names
                .iter()
                .map(|n| status(n, false, 0, waiting("ContainerCreating", "")))
                .collect();
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::Completed => {
            pod.status.phase = "Succeeded".to_string();
            pod.spec.restart_policy = "Never".to_string();
            pod.status.container_statuses = names
                .iter()
                .map(|n| status(n, false, 0, terminated(rng, 0, "Completed")))
                .collect();
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::Error => {
            pod.status.phase = "Failed".to_string();
            pod.spec.restart_policy = "Never".to_string();
            pod.status.container_statuses = names
                .iter()
                .map(|n| {
                    let code = if rng.chance(1, 2) { 1 } else { 0 };
                    let reason = if code == 0 { "Completed" } else { "Error" };
                    status(n, false, 0, terminated(rng, code, reason))
                })
                .collect();
            pod.status.container_statuses[0].state = terminated(rng, 2, "Error");
            pod.status.conditions = ready_conditions(false);
        }
        Scenario::InitProgress | Scenario::InitCrashLoop | Scenario::InitError => {
            pod.status.phase = "Pending".to_string();
            let init_count = rng.range(1, 3) as usize;
            let done = rng.below(init_count as u64) as usize;
            pod.spec.init_containers = (0..init_count)
                .map(|i| container(&format!("init-{i}"), false))
                .collect();
            pod.status.init_container_statuses = (0..init_count)
                .map(|i| {
                    let name = format!("init-{i}");
                    if i < done {
                        status(&name, false, 0, terminated(rng, 0, "Completed"))
                    } else if i == done {
                        match scenario {
                            Scenario::InitProgress => status(&name, false, 0, running(rng)),
                            Scenario::InitCrashLoop => {
                                let mut s = status(
                                    &name,
                                    false,
                                    rng.range(1, 50) as i32,
                                    waiting("CrashLoopBackOff", "back-off"),
                                );
                                s.last_state = terminated(rng, 1, "Error");
                                s
                            }
                            _ => status(&name, false, 0, terminated(rng, 1, "Error")),
                        }
                    } else {
                        status(&name, false, 0, waiting("PodInitializing", ""))
                    }
                })
                .collect();
            pod.status.container_statuses = names
                .iter()
                .map(|n| status(n, false, 0, waiting("PodInitializing", "")))
                .collect();
            pod.status.conditions = vec![
                condition("PodScheduled", "True", ""),
                condition("Initialized", "False", "ContainersNotInitialized"),
                condition("Ready", "False", "ContainersNotReady"),
            ];
        }
        Scenario::Sidecars => {
            let sidecars = rng.range(1, 2) as usize;
            pod.spec.init_containers = (0..sidecars)
                .map(|i| container(&format!("sidecar-{i}"), true))
                .collect();
            pod.spec
                .init_containers
                .insert(0, container("setup", false));
            let mut statuses = vec![status("setup", false, 0, terminated(rng, 0, "Completed"))];
            for i in 0..sidecars {
                let ready = rng.chance(3, 4);
                let mut s = status(&format!("sidecar-{i}"), ready, 0, running(rng));
                if rng.chance(1, 3) {
                    s.restart_count = rng.range(1, 10) as i32;
                    s.last_state = terminated(rng, 1, "Error");
                }
                statuses.push(s);
            }
            pod.status.init_container_statuses = statuses;
            pod.status.container_statuses = all_running(rng, true);
            pod.status.conditions = ready_conditions(true);
        }
        Scenario::SchedulingGated => {
            pod.status.phase = "Pending".to_string();
            pod.spec.node_name.clear();
            pod.status.pod_ip.clear();
            pod.status.pod_ips.clear();
            pod.spec.scheduling_gates = vec![SchedulingGate {
                name: "example.com/quota".to_string(),
            }];
            pod.status.conditions = vec![condition("PodScheduled", "False", "SchedulingGated")];
        }
        Scenario::Evicted => {
            pod.status.phase = "Failed".to_string();
            pod.status.reason = "Evicted".to_string();
            pod.status.message = "The node was low on resource: memory.".to_string();
            // Older kubelets left the container statuses out (STATUS Evicted); newer ones mark
            // them terminated with ContainerStatusUnknown, which then shows instead.
            if rng.chance(1, 3) {
                pod.status.container_statuses = names
                    .iter()
                    .map(|n| status(n, false, 0, terminated(rng, 137, "ContainerStatusUnknown")))
                    .collect();
            }
        }
        Scenario::Terminating => {
            pod.status.container_statuses = all_running(rng, true);
            pod.status.conditions = ready_conditions(true);
            pod.metadata.deletion_timestamp = Some(ago(rng, 600));
            pod.metadata.deletion_grace_period_seconds = Some(30);
        }
        Scenario::NodeLost => {
            pod.status.reason = "NodeLost".to_string();
            pod.status.container_statuses = all_running(rng, true);
            pod.status.conditions = ready_conditions(true);
            pod.metadata.deletion_timestamp = Some(ago(rng, 3_600));
        }
    }
    pod
}
