//! `s` and `a` on a pod or one of its containers: a shell in the container, or an attach to
//! its process, with the screen handed over (the runtime does that; this decides which pod and
//! container, as the user picked them).

use super::request::{Effect, SessionKind, TerminalSession};
use super::selection::Held;
use super::state::{App, Mode, Pane};
use crate::model::container_rows::{ContainerRole, container_rows};
use crate::model::kind::{Target, WatchedKind};

/// The annotation that names the container `kubectl exec` and `attach` pick by default.
pub const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";

impl App {
    /// `s` (shell) or `a` (attach): on a container row, that container; on a pod with one
    /// container, that one; on a pod with several, its containers view opens on the default
    /// one (the annotation's, else the first) for the user to choose.
    pub fn start_terminal(&mut self, kind: SessionKind) {
        let verb = match kind {
            SessionKind::Shell => "shell",
            SessionKind::Attach => "attach",
        };
        if self.refused_in_read_only(&format!("{verb} refused")) {
            return;
        }
        let (key, picked) = match &self.mode {
            Mode::Containers { key, selected } => (key.clone(), Some(*selected)),
            Mode::Normal if self.pane == Pane::Pods => match self.selected_object() {
                Some((_, key, _)) => (key, None),
                None => {
                    self.message = Some(self.nothing_selected());
                    return;
                }
            },
            _ => {
                self.message = Some(format!("{verb} works on pods and their containers (:pods)"));
                return;
            }
        };
        let Some(entry) = self.resources.pods.get(&key) else {
            self.message = Some(format!("pod {}/{} is gone", key.0, key.1));
            return;
        };
        let pod = entry.pod();
        let rows = container_rows(&pod, self.now);
        let row = match picked {
            Some(selected) => rows.get(selected.min(rows.len().saturating_sub(1))),
            None => {
                let apps: Vec<_> = rows
                    .iter()
                    .filter(|r| r.role != ContainerRole::Init)
                    .collect();
                if apps.len() > 1 {
                    // Several: the user chooses, starting on the default one.
                    let default = pod
                        .metadata
                        .annotations
                        .get(DEFAULT_CONTAINER)
                        .and_then(|name| rows.iter().position(|r| &r.name == name))
                        .or_else(|| rows.iter().position(|r| r.role == ContainerRole::App))
                        .unwrap_or(0);
                    self.message = Some(format!(
                        "pod {}/{} has {} containers: choose one and press {} again",
                        key.0,
                        key.1,
                        apps.len(),
                        self.keymap
                            .view_key("containers", &kind_action(kind))
                            .unwrap_or_else(|| verb.to_string())
                    ));
                    self.mode = Mode::Containers {
                        key,
                        selected: default,
                    };
                    return;
                }
                apps.first().copied().or(rows.first())
            }
        };
        let Some(row) = row else {
            self.message = Some(format!("pod {}/{} has no containers", key.0, key.1));
            return;
        };
        let container = pod
            .spec
            .containers
            .iter()
            .chain(&pod.spec.init_containers)
            .find(|c| c.name == row.name);
        let (stdin, tty) = match kind {
            SessionKind::Shell => (true, true),
            SessionKind::Attach => container.map_or((false, false), |c| (c.stdin, c.tty)),
        };
        let uid = match self.held_target(&Target::Kind(WatchedKind::Pods), &key) {
            Held::Present(uid) => uid,
            Held::Absent | Held::Unknown => None,
        };
        let session = TerminalSession {
            kind,
            namespace: key.0.clone(),
            pod: key.1.clone(),
            uid,
            container: row.name.clone(),
            stdin,
            tty,
        };
        self.message = Some(format!("{}: connecting...", session.title()));
        self.effects.push(Effect::Terminal(Box::new(session)));
    }

    /// The screen is back from a shell or attach: how it ended, in one line.
    pub fn terminal_ended(&mut self, line: String) {
        self.message = Some(line);
        self.dirty = true;
    }
}

fn kind_action(kind: SessionKind) -> super::action::Action {
    match kind {
        SessionKind::Shell => super::action::Action::Shell,
        SessionKind::Attach => super::action::Action::Attach,
    }
}
