//! Drill-downs: a node, namespace or workload to its pods, a pod to its containers.

use super::state::{App, Drill, Mode, Pane};
use crate::model::kind::{PodSelection, WatchedKind};

impl App {
    pub(crate) fn enter(&mut self) {
        match self.pane {
            Pane::Nodes => {
                if let Some((_, name)) =
                    self.visible_nodes().get(self.selection()).cloned().cloned()
                {
                    self.leave();
                    self.pane = Pane::Pods;
                    self.filter.clear();
                    self.drill = Some(Drill::Node(name));
                    self.select(0);
                }
            }
            Pane::Namespaces => {
                if let Some((_, name)) = self
                    .visible_namespaces()
                    .get(self.selection())
                    .cloned()
                    .cloned()
                {
                    // As in k9s: a namespace chosen here becomes the scope and a favourite.
                    self.leave();
                    self.pane = Pane::Pods;
                    self.filter.clear();
                    self.drill = None;
                    self.set_namespace(Some(name));
                }
            }
            Pane::Pods => {
                if let Some(key) = self.visible_pods().get(self.selection()) {
                    self.mode = Mode::Containers {
                        key: (*key).clone(),
                        selected: 0,
                    };
                }
            }
            Pane::Kind(kind) => self.open_workload(kind),
            Pane::Stream => self.open_from_stream(),
            _ => {}
        }
    }

    /// The object of the selected stream line, in its own pane with the cursor on it.
    fn open_from_stream(&mut self) {
        let Some((target, key, _)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        let crate::model::kind::Target::Kind(kind) = target else {
            return;
        };
        let pane = Pane::of_kind(kind);
        self.leave();
        self.pane = pane;
        self.drill = None;
        self.filter.clear();
        // Seen in every namespace, so it is on screen whatever the scope.
        if self.namespace.as_ref().is_some_and(|n| *n != key.0) && !key.0.is_empty() {
            self.set_namespace(None);
        }
        self.cursors.insert(
            pane,
            super::selection::Cursor {
                key: Some(key),
                row: 0,
            },
        );
        self.settle();
    }

    /// A workload's pods, through its selector.
    pub(crate) fn open_workload(&mut self, kind: WatchedKind) {
        let Some(key) = self
            .visible_objects(kind)
            .get(self.selection())
            .cloned()
            .cloned()
        else {
            return;
        };
        let raw = &self.resources.generic[&kind][&key];
        let title = format!("{} {}/{}", kind.kind_name().to_lowercase(), key.0, key.1);
        // A CronJob's Jobs: the Jobs it owns, each to its pods in turn.
        if kind.can().runs_jobs {
            let uid = raw
                .pointer("/metadata/uid")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string();
            self.leave();
            self.drill = Some(Drill::Owned {
                title,
                namespace: key.0.clone(),
                uid,
            });
            self.pane = Pane::Kind(WatchedKind::Jobs);
            // First visit: the runtime starts the Jobs' watch.
            self.health
                .entry(WatchedKind::Jobs)
                .or_insert(super::state::WatchHealth::Syncing);
            self.filter.clear();
            self.select(0);
            return;
        }
        let selector = match kind.can().pods {
            PodSelection::LabelSelector => raw.pointer("/spec/selector").cloned(),
            // A Service selects by plain labels.
            PodSelection::Labels => raw
                .pointer("/spec/selector")
                .map(|labels| serde_json::json!({"matchLabels": labels})),
            PodSelection::None => None,
        };
        match selector {
            Some(selector) => {
                self.leave();
                self.drill = Some(Drill::Workload {
                    title,
                    namespace: key.0.clone(),
                    selector: selector.to_string(),
                });
                self.pane = Pane::Pods;
                self.filter.clear();
                self.select(0);
            }
            None => self.message = Some(format!("{} select no pods", kind.plural())),
        }
    }
}
