//! `l`: the log tail of the selected pod, container or workload, in the log view.

use super::log_view::{LogView, LogViewOutcome};
use super::request::{Effect, Request};
use super::state::{App, Drill, Mode, Pane};
use crate::model::container_rows::container_rows;
use crate::model::log_stream::{ContainerChoice, LogRequest};

impl App {
    /// Opens the log view: a container (from the containers view), a pod (all its containers
    /// when it has several), or every pod of a workload, interleaved with pod prefixes.
    pub fn start_logs(&mut self) {
        let (title, request, containers) = match (&self.mode, self.pane) {
            (Mode::Containers { key, selected }, _) => {
                let Some(entry) = self.resources.pods.get(key) else {
                    self.message = Some("the pod is gone".into());
                    return;
                };
                let rows = container_rows(&entry.pod(), self.now);
                let Some(row) = rows.get((*selected).min(rows.len().saturating_sub(1))) else {
                    return;
                };
                let names = rows.iter().map(|r| r.name.clone()).collect();
                (
                    format!("logs {}/{} ({})", key.0, key.1, row.name),
                    LogRequest::following(
                        key.0.clone(),
                        vec![key.1.clone()],
                        ContainerChoice::One(row.name.clone()),
                    ),
                    names,
                )
            }
            (_, Pane::Pods) => {
                let Some(key) = self
                    .visible_pods()
                    .get(self.selection())
                    .map(|k| (*k).clone())
                else {
                    self.message = Some("nothing selected".into());
                    return;
                };
                let pod = self.resources.pods[&key].pod();
                let names: Vec<String> = pod
                    .spec
                    .init_containers
                    .iter()
                    .chain(&pod.spec.containers)
                    .map(|c| c.name.clone())
                    .collect();
                let choice = match pod.spec.containers.as_slice() {
                    [only] if pod.spec.init_containers.is_empty() => {
                        ContainerChoice::One(only.name.clone())
                    }
                    _ => ContainerChoice::All,
                };
                let label = match &choice {
                    ContainerChoice::One(name) => name.clone(),
                    ContainerChoice::All => "all".to_string(),
                };
                (
                    format!("logs {}/{} ({label})", key.0, key.1),
                    LogRequest::following(key.0.clone(), vec![key.1.clone()], choice),
                    names,
                )
            }
            (_, Pane::Kind(kind)) if kind.can().runs_jobs => {
                self.message = Some(
                    "a cronjob has no pods of its own: enter lists its jobs, l on one follows it"
                        .into(),
                );
                return;
            }
            (_, Pane::Kind(kind)) => {
                // The workload's pods, through its selector, as the drill-down finds them.
                let before = (self.pane, self.drill.clone());
                self.open_workload(kind);
                let title = match &self.drill {
                    Some(Drill::Workload { title, .. }) => title.clone(),
                    _ => String::new(),
                };
                let pods: Vec<(String, String)> =
                    self.visible_pods().into_iter().cloned().collect();
                (self.pane, self.drill) = before;
                let Some(namespace) = pods.first().map(|p| p.0.clone()) else {
                    self.message = Some(format!("{title}: no pods to read logs from"));
                    return;
                };
                (
                    format!("logs {title} ({} pods)", pods.len()),
                    LogRequest::following(
                        namespace,
                        pods.into_iter().map(|p| p.1).collect(),
                        ContainerChoice::All,
                    ),
                    Vec::new(),
                )
            }
            _ => {
                self.message = Some("logs: select a pod, a container or a workload".into());
                return;
            }
        };
        self.log_generation += 1;
        self.requests.push(Request::TailLogs {
            generation: self.log_generation,
            request: request.clone(),
        });
        self.mode = Mode::Logs(Box::new(LogView::new(
            title,
            request,
            containers,
            self.log_lines,
        )));
    }

    /// A key in the log view.
    pub fn log_key(&mut self, key: crossterm::event::KeyEvent) {
        let page = self.page_rows.max(1);
        let Mode::Logs(view) = &mut self.mode else {
            return;
        };
        let outcome = view.on_key(key, page);
        self.log_outcome(outcome);
    }

    /// An action of the log view's keymap context.
    pub fn log_action(&mut self, action: &super::action::Action) {
        let page = self.page_rows.max(1);
        let Mode::Logs(view) = &mut self.mode else {
            return;
        };
        let outcome = view.on_action(action, page);
        self.log_outcome(outcome);
    }

    fn log_outcome(&mut self, outcome: LogViewOutcome) {
        match outcome {
            LogViewOutcome::Nothing => {}
            LogViewOutcome::Close => {
                self.requests.push(Request::StopLogs);
                self.mode = Mode::Normal;
            }
            LogViewOutcome::Restart(request) => {
                self.log_generation += 1;
                self.requests.push(Request::TailLogs {
                    generation: self.log_generation,
                    request,
                });
            }
            LogViewOutcome::Save(path) => self.effects.push(Effect::SaveLogs(path)),
        }
    }

    /// Lines from the tail; those of a stream since replaced are dropped.
    pub fn log_message(&mut self, generation: u64, message: crate::model::log_stream::LogMessage) {
        if generation != self.log_generation {
            return;
        }
        if let Mode::Logs(view) = &mut self.mode {
            view.on_message(message);
        }
    }
}
