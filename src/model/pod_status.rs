//! A pod's READY, STATUS and RESTARTS columns, computed as the API server's table printer does
//! (Kubernetes 1.35), with the trace of every decision that produced them.

use jiff::Timestamp;

use super::duration::{human_duration, is_zero_time};
use super::meta::first_condition;
use super::pod::{ContainerState, ContainerStatus, Pod};
use super::trace::{Step, Trace};

/// The three computed columns of `kubectl get pods`, plus the numbers behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodColumns {
    /// `ready/total`, e.g. `1/2`.
    pub ready: String,
    pub ready_containers: i64,
    pub total_containers: i64,
    /// The printed STATUS, e.g. `CrashLoopBackOff`.
    pub status: String,
    /// The printed RESTARTS, e.g. `5 (2m ago)` or `0`.
    pub restarts: String,
    pub restart_count: i64,
    /// The latest termination among the containers whose restarts are counted.
    pub last_restart: Option<Timestamp>,
}

/// The latest termination seen so far, and where it was read (for the trace: the statuses'
/// list and the index in it, written out only when a trace keeps it).
#[derive(Default, Clone)]
struct LastRestart {
    time: Option<Timestamp>,
    at: (&'static str, usize),
}

impl LastRestart {
    /// Advances to `state.terminated.finishedAt` of `statuses[index]` if strictly later; a zero
    /// time never advances.
    fn advance(
        &mut self,
        last_state: &ContainerState,
        statuses: &'static str,
        index: usize,
    ) -> bool {
        let Some(finished) = last_state.terminated.as_ref().and_then(|t| t.finished_at) else {
            return false;
        };
        if is_zero_time(finished) || self.time.is_some_and(|current| finished <= current) {
            return false;
        }
        self.time = Some(finished);
        self.at = (statuses, index);
        true
    }

    /// The field the time was read from.
    fn field(&self) -> String {
        let (statuses, index) = self.at;
        format!("status.{statuses}[{index}].lastState.terminated.finishedAt")
    }
}

/// Computes READY, STATUS and RESTARTS for `pod` at `now`, recording each decision in `trace`.
pub fn pod_columns(pod: &Pod, now: Timestamp, trace: &mut impl Trace) -> PodColumns {
    let status = &pod.status;
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut ready: i64 = 0;
    let mut total = pod.spec.containers.len() as i64;
    let mut last_restart = LastRestart::default();
    let mut sidecar_last_restart = LastRestart::default();

    let mut reason = status.phase.clone();
    trace.record(|| {
        Step::new(
            "status.phase",
            shown(&status.phase),
            "STATUS starts as the pod's phase",
        )
    });
    if !status.reason.is_empty() {
        reason = status.reason.clone();
        trace.record(|| {
            Step::new(
                "status.reason",
                &status.reason,
                "a pod-level reason replaces the phase",
            )
        });
    }
    if let Some(index) = status
        .conditions
        .iter()
        .position(|c| c.type_ == "PodScheduled" && c.reason == "SchedulingGated")
    {
        reason = "SchedulingGated".to_string();
        trace.record(|| {
            Step::new(
                format!("status.conditions[{index}].reason"),
                "SchedulingGated",
                "scheduling is held by spec.schedulingGates: STATUS becomes SchedulingGated",
            )
        });
    }

    // Sidecars count in READY's denominator whether or not they have a status yet.
    for (index, container) in pod.spec.init_containers.iter().enumerate() {
        if container.is_sidecar() {
            total += 1;
            trace.record(|| {
                Step::new(
                    format!("spec.initContainers[{index}].restartPolicy"),
                    "Always",
                    format!(
                        "init container {} is a sidecar: it counts in READY's total",
                        quoted(&container.name)
                    ),
                )
            });
        }
    }
    let is_sidecar = |name: &str| {
        // A later init container with the same name shadows an earlier one, as in the printer.
        pod.spec
            .init_containers
            .iter()
            .rev()
            .find(|c| c.name == name)
            .is_some_and(|c| c.is_sidecar())
    };

    let mut initializing = false;
    for (index, container) in status.init_container_statuses.iter().enumerate() {
        let path = || format!("status.initContainerStatuses[{index}]");
        let sidecar = is_sidecar(&container.name);
        restarts += i64::from(container.restart_count);
        count_restarts(trace, &path, container, "init container");
        if last_restart.advance(&container.last_state, "initContainerStatuses", index) {
            record_latest(trace, &last_restart, now);
        }
        if sidecar {
            sidecar_restarts += i64::from(container.restart_count);
            sidecar_last_restart.advance(&container.last_state, "initContainerStatuses", index);
        }
        let terminated = container.state.terminated.as_ref();
        if terminated.is_some_and(|t| t.exit_code == 0) {
            trace.record(|| {
                Step::new(
                    format!("{}.state.terminated.exitCode", path()),
                    "0",
                    format!(
                        "init container {} completed successfully; the next one is examined",
                        quoted(&container.name)
                    ),
                )
            });
            continue;
        }
        if sidecar && container.started == Some(true) {
            if container.ready {
                ready += 1;
            }
            trace.record(|| {
                Step::new(
                    format!("{}.started", path()),
                    "true",
                    if container.ready {
                        format!(
                            "sidecar {} has started and is ready: READY counts it",
                            quoted(&container.name)
                        )
                    } else {
                        format!(
                            "sidecar {} has started but is not ready: READY does not count it",
                            quoted(&container.name)
                        )
                    },
                )
            });
            continue;
        }
        initializing = true;
        if let Some(terminated) = terminated {
            reason = format!("Init:{}", terminated.printed_reason());
            trace.record(|| {
                let (field, value) = terminated.printed_from();
                Step::new(
                    format!("{}.state.terminated.{field}", path()),
                    value,
                    format!("init container {} failed: STATUS becomes {reason} and initialisation stops here", quoted(&container.name)),
                )
            });
        } else if let Some(waiting) = container
            .state
            .waiting
            .as_ref()
            .filter(|w| !w.reason.is_empty() && w.reason != "PodInitializing")
        {
            reason = format!("Init:{}", waiting.reason);
            trace.record(|| {
                Step::new(
                    format!("{}.state.waiting.reason", path()),
                    &waiting.reason,
                    format!("init container {} is waiting: STATUS becomes {reason} and initialisation stops here", quoted(&container.name)),
                )
            });
        } else {
            reason = format!("Init:{index}/{}", pod.spec.init_containers.len());
            trace.record(|| {
                Step::new(
                    format!("{}.state", path()),
                    state_summary(&container.state),
                    format!(
                        "init container {} has not finished: STATUS becomes {reason} ({index} of {} init containers done)",
                        quoted(&container.name),
                        pod.spec.init_containers.len()
                    ),
                )
            });
        }
        break;
    }

    let initialized_condition = first_condition(&status.conditions, "Initialized");
    let initialized_true = initialized_condition.is_some_and(|(_, c)| c.status == "True");
    if !initializing || initialized_true {
        if initializing {
            let (index, _) = initialized_condition.expect("checked above");
            trace.record(|| {
                Step::new(
                    format!("status.conditions[{index}].status"),
                    "True",
                    "the Initialized condition is True, so the app containers are examined anyway",
                )
            });
        }
        if restarts != sidecar_restarts {
            trace.record(|| {
                Step::new(
                    "status.initContainerStatuses[*].restartCount",
                    (restarts - sidecar_restarts).to_string(),
                    "initialisation is over: restarts of regular init containers drop out of RESTARTS (sidecars' stay)",
                )
            });
        }
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        let mut error_reason: Option<(String, usize)> = None;
        for (index, container) in status.container_statuses.iter().enumerate().rev() {
            let path = || format!("status.containerStatuses[{index}]");
            restarts += i64::from(container.restart_count);
            count_restarts(trace, &path, container, "container");
            if last_restart.advance(&container.last_state, "containerStatuses", index) {
                record_latest(trace, &last_restart, now);
            }
            if let Some(waiting) = container
                .state
                .waiting
                .as_ref()
                .filter(|w| !w.reason.is_empty())
            {
                reason = waiting.reason.clone();
                trace.record(|| {
                    Step::new(
                        format!("{}.state.waiting.reason", path()),
                        &waiting.reason,
                        format!(
                            "container {} is waiting: its reason becomes STATUS",
                            quoted(&container.name)
                        ),
                    )
                });
            } else if let Some(terminated) = &container.state.terminated {
                reason = terminated.printed_reason();
                if terminated.exit_code != 0 {
                    error_reason = Some((reason.clone(), index));
                }
                trace.record(|| {
                    let (field, value) = terminated.printed_from();
                    Step::new(
                        format!("{}.state.terminated.{field}", path()),
                        value,
                        format!(
                            "container {} has terminated (exit code {}): STATUS becomes {reason}",
                            quoted(&container.name),
                            terminated.exit_code
                        ),
                    )
                });
            } else if container.ready && container.state.running.is_some() {
                has_running = true;
                ready += 1;
                trace.record(|| {
                    Step::new(
                        format!("{}.ready", path()),
                        "true",
                        format!(
                            "container {} is running and ready: READY counts it",
                            quoted(&container.name)
                        ),
                    )
                });
            } else {
                trace.record(|| {
                    Step::new(
                        format!("{}.ready", path()),
                        container.ready.to_string(),
                        format!(
                            "container {} is {}: READY does not count it",
                            quoted(&container.name),
                            if container.ready {
                                "marked ready but not running"
                            } else {
                                "not ready"
                            }
                        ),
                    )
                });
            }
        }
        if reason == "Completed" {
            let ready_condition = status
                .conditions
                .iter()
                .position(|c| c.type_ == "Ready" && c.status == "True");
            if has_running && let Some(index) = ready_condition {
                reason = "Running".to_string();
                trace.record(|| {
                    Step::new(
                        format!("status.conditions[{index}].status"),
                        "True",
                        "one container completed but another is running and the pod is Ready: STATUS is Running",
                    )
                });
            } else if let Some((error, index)) = error_reason {
                reason = error;
                let exit_code = status.container_statuses[index]
                    .state
                    .terminated
                    .as_ref()
                    .map_or(0, |t| t.exit_code);
                trace.record(|| {
                    Step::new(
                        format!("status.containerStatuses[{index}].state.terminated.exitCode"),
                        exit_code.to_string(),
                        format!("a container failed while another completed: the failure {reason} is shown, not Completed"),
                    )
                });
            } else if has_running {
                reason = "NotReady".to_string();
                trace.record(|| {
                    Step::new(
                        "status.conditions[type=Ready]",
                        "not True",
                        "one container completed, another is running, but the pod is not Ready: STATUS is NotReady",
                    )
                });
            }
        }
    } else {
        trace.record(|| {
            Step::new(
                "status.conditions[type=Initialized]",
                initialized_condition
                    .map(|(_, c)| shown(&c.status))
                    .unwrap_or_else(|| "(absent)".to_string()),
                "initialisation is unfinished: app containers are not examined and RESTARTS counts init containers",
            )
        });
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason == "NodeLost" {
            reason = "Unknown".to_string();
            trace.record(|| {
                Step::new(
                    "metadata.deletionTimestamp",
                    timestamp_shown(pod.metadata.deletion_timestamp, now),
                    "the pod is being deleted and status.reason is NodeLost (its node stopped reporting): STATUS is Unknown",
                )
            });
        } else if !pod.is_finished() {
            reason = "Terminating".to_string();
            trace.record(|| {
                Step::new(
                    "metadata.deletionTimestamp",
                    timestamp_shown(pod.metadata.deletion_timestamp, now),
                    "the pod is being deleted and has not finished: STATUS is Terminating",
                )
            });
        } else {
            trace.record(|| {
                Step::new(
                    "metadata.deletionTimestamp",
                    timestamp_shown(pod.metadata.deletion_timestamp, now),
                    "the pod is being deleted but already finished: STATUS keeps its value",
                )
            });
        }
    }

    let ready_text = format!("{ready}/{total}");
    trace.record(|| {
        Step::new(
            "READY",
            &ready_text,
            format!("{ready} of {total} containers (app containers and sidecars) are ready"),
        )
    });
    let restarts_text = match last_restart.time {
        Some(time) if restarts != 0 => {
            format!(
                "{restarts} ({} ago)",
                human_duration(now.duration_since(time))
            )
        }
        _ => restarts.to_string(),
    };
    trace.record(|| {
        Step::new(
            "RESTARTS",
            &restarts_text,
            match last_restart.time {
                Some(_) if restarts != 0 => format!(
                    "restarts summed over the counted containers; the age is of the latest termination ({})",
                    last_restart.field()
                ),
                _ if restarts != 0 => {
                    "restarts summed over the counted containers; no termination time is recorded".to_string()
                }
                _ => "no counted container has restarted".to_string(),
            },
        )
    });
    trace.record(|| Step::new("STATUS", shown(&reason), "the final STATUS"));

    PodColumns {
        ready: ready_text,
        ready_containers: ready,
        total_containers: total,
        status: reason,
        restarts: restarts_text,
        restart_count: restarts,
        last_restart: last_restart.time,
    }
}

fn count_restarts(
    trace: &mut impl Trace,
    path: &impl Fn() -> String,
    container: &ContainerStatus,
    what: &str,
) {
    if container.restart_count != 0 {
        trace.record(|| {
            Step::new(
                format!("{}.restartCount", path()),
                container.restart_count.to_string(),
                format!(
                    "{what} {} restarts are added to RESTARTS",
                    quoted(&container.name)
                ),
            )
        });
    }
}

fn record_latest(trace: &mut impl Trace, last_restart: &LastRestart, now: Timestamp) {
    trace.record(|| {
        Step::new(
            last_restart.field(),
            timestamp_shown(last_restart.time, now),
            "the latest termination so far: RESTARTS shows its age",
        )
    });
}

/// How a timestamp reads in a step: RFC 3339 and its age.
pub(crate) fn timestamp_shown(time: Option<Timestamp>, now: Timestamp) -> String {
    match time {
        Some(time) => format!("{time} ({} ago)", human_duration(now.duration_since(time))),
        None => "(absent)".to_string(),
    }
}

/// A state as one word for the trace: `running`, `waiting`, `terminated`, or `(empty)`.
fn state_summary(state: &ContainerState) -> String {
    if let Some(waiting) = &state.waiting {
        if waiting.reason.is_empty() {
            "waiting".to_string()
        } else {
            format!("waiting ({})", waiting.reason)
        }
    } else if state.running.is_some() {
        "running".to_string()
    } else if state.terminated.is_some() {
        "terminated".to_string()
    } else {
        "(empty)".to_string()
    }
}

/// An empty string made visible.
pub(crate) fn shown(value: &str) -> String {
    if value.is_empty() {
        "(empty)".to_string()
    } else {
        value.to_string()
    }
}

/// A container name in quotes, or `(unnamed)`.
pub(crate) fn quoted(name: &str) -> String {
    if name.is_empty() {
        "(unnamed)".to_string()
    } else {
        format!("\"{name}\"")
    }
}

#[cfg(test)]
#[path = "pod_status_tests.rs"]
mod tests;
