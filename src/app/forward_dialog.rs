//! `shift-f`: the port-forward dialog on a pod, a Service or a workload. It owns its keys:
//! up/down choose a declared port, digits type the local port, enter starts the forward, esc
//! closes. A Service or workload forwards to the pod kubectl would pick behind it.

use crossterm::event::{KeyCode, KeyEvent};

use super::request::{ForwardSpec, Request};
use super::selection::Held;
use super::state::{App, Mode, Pane};
use crate::model::kind::{PodSelection, Target, WatchedKind};
use crate::model::port_forward::{PortChoice, most_active, pod_ports, service_ports};
use crate::model::selector::{LabelSelector, LabelSelectorSpec};

/// The address forwards listen on (kubectl's default).
pub const ADDRESS: &str = "127.0.0.1";

/// The dialog's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardDialog {
    /// What was chosen, and the pod it goes to: `service shop/web → pod shop/web-1`.
    pub title: String,
    pub namespace: String,
    pub pod: String,
    pub uid: Option<String>,
    pub ports: Vec<PortChoice>,
    pub selected: usize,
    /// The local port as typed (the chosen port's default until the user types).
    pub local: String,
    pub typed: bool,
    /// Ports left out, or why the typed one will not do.
    pub notes: Vec<String>,
}

impl ForwardDialog {
    fn choose(&mut self, selected: usize) {
        self.selected = selected.min(self.ports.len().saturating_sub(1));
        if !self.typed {
            self.local = self.ports[self.selected].local.to_string();
        }
    }
}

impl App {
    /// `shift-f`: opens the dialog for the selected pod, Service or workload.
    pub fn start_port_forward(&mut self) {
        if self.refused_in_read_only("port-forward refused") {
            return;
        }
        let chosen = match &self.mode {
            Mode::Containers { key, .. } => {
                Some((Target::Kind(WatchedKind::Pods), key.clone(), String::new()))
            }
            _ => self.subject(),
        };
        let Some((target, key, title)) = chosen else {
            self.message = Some(self.nothing_selected());
            return;
        };
        let Target::Kind(kind) = target else {
            self.message = Some(PORT_FORWARD_KINDS.into());
            return;
        };
        let (pod_key, from) = match kind {
            WatchedKind::Pods => (key.clone(), None),
            kind if kind.can().pods != PodSelection::None && !kind.can().runs_jobs => {
                let Some(raw) = self.resources.generic.get(&kind).and_then(|o| o.get(&key)) else {
                    self.message = Some(format!("{title} is gone"));
                    return;
                };
                let selector = match kind.can().pods {
                    PodSelection::Labels => raw
                        .pointer("/spec/selector")
                        .map(|labels| serde_json::json!({"matchLabels": labels})),
                    _ => raw.pointer("/spec/selector").cloned(),
                };
                let selector = selector
                    .and_then(|s| serde_json::from_value::<LabelSelectorSpec>(s).ok())
                    .and_then(|spec| LabelSelector::from_spec(&spec).ok())
                    .filter(|s| !s.matches_nothing() && !s.matches_everything());
                let Some(selector) = selector else {
                    self.message = Some(format!("{title} selects no pods"));
                    return;
                };
                let pods: Vec<_> = self
                    .resources
                    .pods
                    .iter()
                    .filter(|((namespace, _), entry)| {
                        *namespace == key.0 && selector.matches(&entry.labels)
                    })
                    .map(|(key, entry)| (key.clone(), entry.pod()))
                    .collect();
                let Some(pod) = most_active(pods.iter().map(|(_, pod)| pod)) else {
                    self.message = Some(format!(
                        "{title}: no running pod to forward to (none of its pods is up)"
                    ));
                    return;
                };
                let name = pod.metadata.name.clone();
                (
                    (key.0.clone(), name),
                    Some((kind, raw.clone(), title.clone())),
                )
            }
            _ => {
                self.message = Some(PORT_FORWARD_KINDS.into());
                return;
            }
        };
        let Some(entry) = self.resources.pods.get(&pod_key) else {
            self.message = Some(format!("pod {}/{} is gone", pod_key.0, pod_key.1));
            return;
        };
        let pod = entry.pod();
        let pod_title = format!("pod {}/{}", pod_key.0, pod_key.1);
        let (ports, notes, title) = match &from {
            Some((WatchedKind::Services, service, title)) => {
                let (ports, notes) = service_ports(service, &pod);
                (ports, notes, format!("{title} → {pod_title}"))
            }
            Some((_, _, title)) => (
                pod_ports(&pod),
                Vec::new(),
                format!("{title} → {pod_title}"),
            ),
            None => (pod_ports(&pod), Vec::new(), pod_title.clone()),
        };
        if ports.is_empty() {
            let mut line = format!("{title}: no TCP ports declared to forward");
            if let Some(note) = notes.first() {
                line = format!("{title}: {note}");
            }
            self.message = Some(line);
            return;
        }
        let uid = match self.held_target(&Target::Kind(WatchedKind::Pods), &pod_key) {
            Held::Present(uid) => uid,
            _ => None,
        };
        let mut dialog = ForwardDialog {
            title,
            namespace: pod_key.0,
            pod: pod_key.1,
            uid,
            ports,
            selected: 0,
            local: String::new(),
            typed: false,
            notes,
        };
        dialog.choose(0);
        self.mode = Mode::Forward(Box::new(dialog));
    }

    /// A key in the dialog.
    pub fn forward_dialog_key(&mut self, key: KeyEvent) {
        let Mode::Forward(dialog) = &mut self.mode else {
            return;
        };
        match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Normal;
                self.message = Some("port-forward cancelled".into());
            }
            KeyCode::Down | KeyCode::Tab | KeyCode::Char('j') => {
                let next = (dialog.selected + 1) % dialog.ports.len();
                dialog.choose(next);
            }
            KeyCode::Up | KeyCode::BackTab | KeyCode::Char('k') => {
                let next = (dialog.selected + dialog.ports.len() - 1) % dialog.ports.len();
                dialog.choose(next);
            }
            KeyCode::Char(digit) if digit.is_ascii_digit() => {
                if !dialog.typed {
                    dialog.local.clear();
                    dialog.typed = true;
                }
                if dialog.local.len() < 5 {
                    dialog.local.push(digit);
                }
            }
            KeyCode::Backspace => {
                dialog.typed = true;
                dialog.local.pop();
            }
            KeyCode::Enter => self.submit_forward(),
            _ => {}
        }
    }

    fn submit_forward(&mut self) {
        let Mode::Forward(dialog) = &mut self.mode else {
            return;
        };
        let local = match dialog.local.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => {
                dialog.notes = vec![format!(
                    "a local port is a number from 1 to 65535 (not \"{}\")",
                    dialog.local
                )];
                return;
            }
        };
        // The pod must still be the one chosen.
        let key = (dialog.namespace.clone(), dialog.pod.clone());
        let Mode::Forward(dialog) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let held = self.held_target(&Target::Kind(WatchedKind::Pods), &key);
        let title = format!("pod {}/{}", key.0, key.1);
        match (&held, &dialog.uid) {
            (Held::Absent, _) => {
                self.message = Some(format!("refused: {title} was deleted since it was chosen"));
                return;
            }
            (Held::Present(Some(now)), Some(then)) if now != then => {
                self.message = Some(format!(
                    "refused: {title} was replaced since it was chosen (uid {then} is now {now})"
                ));
                return;
            }
            _ => {}
        }
        let port = &dialog.ports[dialog.selected];
        let spec = ForwardSpec {
            id: self.forwards.next_id(),
            namespace: dialog.namespace,
            pod: dialog.pod,
            uid: dialog.uid,
            remote: port.remote,
            address: ADDRESS.to_string(),
            local,
            any_free: !dialog.typed,
        };
        self.message = Some(format!(
            "forwarding {ADDRESS}:{local} → {}/{}:{} (:pf lists the forwards)",
            spec.namespace, spec.pod, spec.remote
        ));
        self.forwards.started(&spec, self.now);
        self.requests.push(Request::Forward(spec));
        if self.pane != Pane::Pods {
            self.dirty = true;
        }
    }
}

const PORT_FORWARD_KINDS: &str =
    "port-forward works on pods, services, deployments, statefulsets, daemonsets and replicasets";
