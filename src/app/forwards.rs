//! The port-forwards started in this session, as they report themselves, and the `:pf` view
//! listing them: local address → namespace/pod:port, connections, bytes, age, last error;
//! ctrl-d stops the selected one after a confirmation (default no). The view owns its keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;

use super::request::{ForwardSpec, Request};
use super::state::{App, Mode};
use crate::model::port_forward::ForwardEvent;

/// One forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub id: u64,
    /// Where it listens (the port asked for until it says where it listens).
    pub local: String,
    pub namespace: String,
    pub pod: String,
    pub remote: u16,
    pub started: Timestamp,
    pub active: u64,
    pub total: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub last_error: Option<String>,
    /// Why it stopped, once it has.
    pub ended: Option<String>,
}

/// The forwards, in the order they were started.
#[derive(Debug, Clone, Default)]
pub struct Forwards {
    pub list: Vec<Forward>,
    last_id: u64,
}

impl Forwards {
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    pub fn started(&mut self, spec: &ForwardSpec, now: Timestamp) {
        self.list.push(Forward {
            id: spec.id,
            local: format!("{}:{}", spec.address, spec.local),
            namespace: spec.namespace.clone(),
            pod: spec.pod.clone(),
            remote: spec.remote,
            started: now,
            active: 0,
            total: 0,
            bytes_in: 0,
            bytes_out: 0,
            last_error: None,
            ended: None,
        });
    }

    /// What a forward reported; a line for the footer when the user should know at once (it
    /// listens elsewhere than asked, or could not start).
    pub fn report(&mut self, id: u64, event: ForwardEvent) -> Option<String> {
        let forward = self.list.iter_mut().find(|f| f.id == id)?;
        match event {
            ForwardEvent::Listening(address) => {
                let moved = address != forward.local;
                let line = format!(
                    "{} was taken: forwarding {address} → {}/{}:{}",
                    forward.local, forward.namespace, forward.pod, forward.remote
                );
                forward.local = address;
                if moved {
                    return Some(line);
                }
            }
            ForwardEvent::Traffic {
                active,
                total,
                bytes_in,
                bytes_out,
            } => {
                (forward.active, forward.total) = (active, total);
                (forward.bytes_in, forward.bytes_out) = (bytes_in, bytes_out);
            }
            ForwardEvent::Failed(error) => forward.last_error = Some(error),
            ForwardEvent::Ended(why) => {
                forward.active = 0;
                // Never listened: the footer says why at once.
                let line = (forward.total == 0 && !why.contains("stopped listening"))
                    .then(|| format!("port-forward {}: {why}", forward.local));
                forward.ended = Some(why);
                return line;
            }
        }
        None
    }

    /// The forwards still running.
    pub fn running(&self) -> usize {
        self.list.iter().filter(|f| f.ended.is_none()).count()
    }
}

impl App {
    /// `:pf`: the forwards.
    pub fn open_forwards(&mut self) {
        self.mode = Mode::Forwards {
            selected: 0,
            confirming: false,
        };
    }

    /// A key in the `:pf` view.
    pub fn forwards_key(&mut self, key: KeyEvent) {
        let Mode::Forwards {
            selected,
            confirming,
        } = &mut self.mode
        else {
            return;
        };
        let count = self.forwards.list.len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if *confirming {
            *confirming = false;
            let Some(forward) = self.forwards.list.get_mut(*selected) else {
                return;
            };
            if !ctrl && matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                if forward.ended.is_none() {
                    forward.ended = Some("stopped".into());
                    forward.active = 0;
                    self.requests.push(Request::StopForward(forward.id));
                }
                self.message = Some(format!("stopped the forward {}", forward.local));
            } else {
                self.message = Some("the forward keeps running".into());
            }
            return;
        }
        match (key.code, ctrl) {
            (KeyCode::Esc | KeyCode::Char('q'), false) => self.mode = Mode::Normal,
            (KeyCode::Down | KeyCode::Char('j'), false) => {
                *selected = (*selected + 1).min(count.saturating_sub(1))
            }
            (KeyCode::Up | KeyCode::Char('k'), false) => *selected = selected.saturating_sub(1),
            (KeyCode::Char('d'), true) => match self.forwards.list.get(*selected) {
                Some(forward) if forward.ended.is_none() => *confirming = true,
                Some(forward) => {
                    // An ended forward is taken off the list.
                    let id = forward.id;
                    self.forwards.list.retain(|f| f.id != id);
                    *selected = (*selected).min(self.forwards.list.len().saturating_sub(1));
                }
                None => self.message = Some("no forwards (shift-f on a pod starts one)".into()),
            },
            (KeyCode::Char(':'), false) => self.command_over_view(),
            _ => {}
        }
    }
}
