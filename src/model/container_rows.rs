//! A pod's containers as rows (the drill-down from a pod): init containers, sidecars and app
//! containers in the order the kubelet starts them, with their state as the kubelet reports it.

use jiff::Timestamp;

use super::duration::human_duration;
use super::health::Health;
use super::pod::{Container, ContainerState, ContainerStatus, Pod};

/// What role a container plays in its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerRole {
    Init,
    /// A restartable init container (`restartPolicy: Always`).
    Sidecar,
    App,
}

impl ContainerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerRole::Init => "init",
            ContainerRole::Sidecar => "sidecar",
            ContainerRole::App => "app",
        }
    }
}

/// One container's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRow {
    pub name: String,
    pub role: ContainerRole,
    pub image: String,
    pub ready: bool,
    /// `Running`, `Waiting: CrashLoopBackOff`, `Terminated: Completed (exit 0)`, or `-` before
    /// the kubelet has reported it.
    pub state: String,
    pub restarts: i32,
    /// The previous termination, e.g. `OOMKilled (exit 137) 5m ago`.
    pub last_termination: String,
    pub health: Health,
}

fn state_text(state: &ContainerState) -> String {
    if let Some(waiting) = &state.waiting {
        if waiting.reason.is_empty() {
            "Waiting".to_string()
        } else {
            format!("Waiting: {}", waiting.reason)
        }
    } else if let Some(terminated) = &state.terminated {
        format!(
            "Terminated: {} (exit {})",
            terminated.printed_reason(),
            terminated.exit_code
        )
    } else if state.running.is_some() {
        "Running".to_string()
    } else {
        "-".to_string()
    }
}

fn health_of(role: ContainerRole, status: Option<&ContainerStatus>) -> Health {
    let Some(status) = status else {
        return Health::Unknown;
    };
    let state = &status.state;
    if let Some(waiting) = &state.waiting {
        return match waiting.reason.as_str() {
            "" | "ContainerCreating" | "PodInitializing" => Health::Progressing,
            _ => Health::Failing,
        };
    }
    if let Some(terminated) = &state.terminated {
        return if terminated.exit_code == 0 {
            Health::Done
        } else {
            Health::Failing
        };
    }
    match (role, status.ready) {
        (ContainerRole::Init, _) | (_, true) => Health::Healthy,
        (_, false) => Health::Progressing,
    }
}

fn row(
    container: &Container,
    role: ContainerRole,
    status: Option<&ContainerStatus>,
    now: Timestamp,
) -> ContainerRow {
    let last_termination = status
        .and_then(|s| s.last_state.terminated.as_ref())
        .map(|t| {
            let ago = t
                .finished_at
                .map(|at| format!(" {} ago", human_duration(now.duration_since(at))))
                .unwrap_or_default();
            format!("{} (exit {}){ago}", t.printed_reason(), t.exit_code)
        })
        .unwrap_or_default();
    ContainerRow {
        name: container.name.clone(),
        role,
        image: container.image.clone(),
        ready: status.is_some_and(|s| s.ready),
        state: status.map_or_else(|| "-".to_string(), |s| state_text(&s.state)),
        restarts: status.map_or(0, |s| s.restart_count),
        last_termination,
        health: health_of(role, status),
    }
}

/// The pod's containers: init containers and sidecars first, in spec order, then app containers.
pub fn container_rows(pod: &Pod, now: Timestamp) -> Vec<ContainerRow> {
    let status_of = |statuses: &[ContainerStatus], name: &str| {
        statuses.iter().find(|s| s.name == name).cloned()
    };
    let mut rows = Vec::new();
    for container in &pod.spec.init_containers {
        let role = if container.is_sidecar() {
            ContainerRole::Sidecar
        } else {
            ContainerRole::Init
        };
        let status = status_of(&pod.status.init_container_statuses, &container.name);
        rows.push(row(container, role, status.as_ref(), now));
    }
    for container in &pod.spec.containers {
        let status = status_of(&pod.status.container_statuses, &container.name);
        rows.push(row(container, ContainerRole::App, status.as_ref(), now));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::manifest::parse_typed;

    #[test]
    fn init_sidecar_and_app_containers_in_start_order_with_their_states() {
        let pod: Pod = parse_typed(
            r#"
kind: Pod
metadata: {name: web}
spec:
  initContainers:
  - {name: migrate, image: db/migrate:2}
  - {name: proxy, image: envoy:1.30, restartPolicy: Always}
  containers:
  - {name: app, image: shop/app:1.4}
status:
  initContainerStatuses:
  - {name: migrate, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
  - {name: proxy, ready: true, restartCount: 1, state: {running: {startedAt: "2026-11-21T09:00:00Z"}}}
  containerStatuses:
  - name: app
    ready: false
    restartCount: 5
    state: {waiting: {reason: CrashLoopBackOff}}
    lastState: {terminated: {exitCode: 137, reason: OOMKilled, finishedAt: "2026-11-21T09:55:00Z"}}
"#,
        )
        .expect("parses");
        let now: Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
        let rows = container_rows(&pod, now);
        let summary: Vec<(&str, &str, &str, i32, Health)> = rows
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    r.role.as_str(),
                    r.state.as_str(),
                    r.restarts,
                    r.health,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "migrate",
                    "init",
                    "Terminated: Completed (exit 0)",
                    0,
                    Health::Done
                ),
                ("proxy", "sidecar", "Running", 1, Health::Healthy),
                (
                    "app",
                    "app",
                    "Waiting: CrashLoopBackOff",
                    5,
                    Health::Failing
                ),
            ]
        );
        assert_eq!(rows[2].last_termination, "OOMKilled (exit 137) 5m ago");
        assert_eq!(rows[2].image, "shop/app:1.4");
    }

    #[test]
    fn a_container_not_yet_reported_is_unknown() {
        let pod: Pod = parse_typed(
            "kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}]\n",
        )
        .expect("parses");
        let rows = container_rows(&pod, Timestamp::UNIX_EPOCH);
        assert_eq!(rows[0].state, "-");
        assert_eq!(rows[0].health, Health::Unknown);
        assert!(!rows[0].ready);
    }
}
