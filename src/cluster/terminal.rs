//! A shell in a container (`pods/exec`) or an attach to its process (`pods/attach`), opened
//! through kube-rs's WebSocket streams for the runtime to hand the screen to. The pod is
//! read first, as kubectl reads it: a pod replaced since it was chosen, a completed pod and a
//! container that is not running are refused in one line before anything is opened.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams, AttachedProcess};

use crate::app::request::{SessionKind, TerminalSession};

/// What k9s runs for a shell: bash where the image has it, else sh.
pub const SHELL_CHECK: &str = "command -v bash >/dev/null && exec bash || exec sh";

/// Opens the session; `Err` is one line for the footer.
pub async fn open(
    client: kube::Client,
    session: &TerminalSession,
) -> Result<AttachedProcess, String> {
    let pods: Api<Pod> = Api::namespaced(client, &session.namespace);
    let title = format!("pod {}/{}", session.namespace, session.pod);
    let pod = pods
        .get(&session.pod)
        .await
        .map_err(|error| super::api_error::api_error(&format!("get {title}"), &error).line())?;
    refusal(&pod, session).map_or(Ok(()), Err)?;
    let params = AttachParams {
        container: Some(session.container.clone()),
        stdin: session.stdin,
        stdout: true,
        // With a TTY the terminal carries both streams, as kubectl asks for it.
        stderr: !session.tty,
        tty: session.tty,
        ..AttachParams::default()
    };
    let opened = match session.kind {
        SessionKind::Shell => {
            pods.exec(&session.pod, ["sh", "-c", SHELL_CHECK], &params)
                .await
        }
        SessionKind::Attach => pods.attach(&session.pod, &params).await,
    };
    opened.map_err(|error| format!("{}: {}", session.title(), stream_error(&error)))
}

/// Why the session must not be opened on `pod` as it now is, in kubectl's words where it
/// has them.
pub fn refusal(pod: &Pod, session: &TerminalSession) -> Option<String> {
    let title = format!("pod {}/{}", session.namespace, session.pod);
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    if let Some(chosen) = session.uid.as_deref()
        && chosen != uid
    {
        return Some(format!(
            "refused: {title} was replaced since it was chosen (uid {chosen} is now {uid}); nothing was opened"
        ));
    }
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
    if matches!(phase, "Succeeded" | "Failed") {
        return Some(match session.kind {
            SessionKind::Shell => {
                format!("cannot exec into a container in a completed pod; current phase is {phase}")
            }
            SessionKind::Attach => {
                format!("cannot attach a container in a completed pod; current phase is {phase}")
            }
        });
    }
    let spec = pod.spec.as_ref()?;
    let declared = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .any(|c| c.name == session.container);
    if !declared {
        return Some(format!(
            "container {} not found in pod {}",
            session.container, session.pod
        ));
    }
    let running = status
        .into_iter()
        .flat_map(|s| {
            s.container_statuses
                .iter()
                .flatten()
                .chain(s.init_container_statuses.iter().flatten())
        })
        .find(|c| c.name == session.container)
        .and_then(|c| c.state.as_ref())
        .is_some_and(|state| state.running.is_some());
    // The kubelet's answer, as kubectl prints it.
    (!running).then(|| {
        format!(
            "unable to upgrade connection: container not found (\"{}\")",
            session.container
        )
    })
}

/// A failed upgrade in kubectl's words where kube-rs keeps them.
fn stream_error(error: &kube::Error) -> String {
    match error {
        kube::Error::UpgradeConnection(upgrade) => {
            format!("unable to upgrade connection: {upgrade}")
        }
        other => super::api_error::error_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(uid: &str, phase: &str, running: bool) -> Pod {
        let state = if running {
            serde_json::json!({"running": {}})
        } else {
            serde_json::json!({"waiting": {"reason": "CrashLoopBackOff"}})
        };
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-1", "namespace": "shop", "uid": uid},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            "status": {"phase": phase, "containerStatuses": [{
                "name": "nginx", "ready": running, "restartCount": 0, "image": "nginx",
                "imageID": "", "state": state}]},
        }))
        .unwrap()
    }

    fn session(kind: SessionKind, container: &str) -> TerminalSession {
        TerminalSession {
            kind,
            namespace: "shop".into(),
            pod: "web-1".into(),
            uid: Some("u-1".into()),
            container: container.into(),
            stdin: true,
            tty: true,
        }
    }

    #[test]
    fn a_session_opens_only_on_the_pod_chosen_with_its_container_running() {
        let shell = session(SessionKind::Shell, "nginx");
        assert_eq!(refusal(&pod("u-1", "Running", true), &shell), None);
        assert_eq!(
            refusal(&pod("u-2", "Running", true), &shell).as_deref(),
            Some(
                "refused: pod shop/web-1 was replaced since it was chosen (uid u-1 is now u-2); nothing was opened"
            )
        );
        assert_eq!(
            refusal(&pod("u-1", "Succeeded", false), &shell).as_deref(),
            Some("cannot exec into a container in a completed pod; current phase is Succeeded")
        );
        assert_eq!(
            refusal(
                &pod("u-1", "Failed", false),
                &session(SessionKind::Attach, "nginx")
            )
            .as_deref(),
            Some("cannot attach a container in a completed pod; current phase is Failed")
        );
        assert_eq!(
            refusal(&pod("u-1", "Running", false), &shell).as_deref(),
            Some("unable to upgrade connection: container not found (\"nginx\")")
        );
        assert_eq!(
            refusal(
                &pod("u-1", "Running", true),
                &session(SessionKind::Shell, "sidecar")
            )
            .as_deref(),
            Some("container sidecar not found in pod web-1")
        );
    }
}
