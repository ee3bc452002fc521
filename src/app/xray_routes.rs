//! The owner tree in the app: its lines made from what the watches hold, its keys, the pane
//! keys acting on its selected line as they would in that object's pane, and `J` from an
//! object to its owner in any pane.

use super::action::Action;
use super::resources::Key;
use super::selection::{Cursor, Held};
use super::state::{App, Mode, Pane, WatchHealth};
use super::xray::{CONTAINERS_SHOWN_UP_TO, TREE_KINDS, XrayOutcome, XrayRoot, XrayView};
use crate::model::container_rows::container_rows;
use crate::model::kind::{Target, WatchedKind};
use crate::model::meta::OwnerReference;
use crate::model::owner_tree::{
    Inventory, Line, Subject, TreeObject, TreePod, object_status, tree_lines,
};
use crate::model::selector::LabelSelector;

/// The kinds whose objects a tree links, besides pods and nodes.
const LINKED: &[WatchedKind] = &[
    WatchedKind::Deployments,
    WatchedKind::ReplicaSets,
    WatchedKind::StatefulSets,
    WatchedKind::DaemonSets,
    WatchedKind::Jobs,
    WatchedKind::CronJobs,
    WatchedKind::Services,
];

impl App {
    /// `:xray KIND`.
    pub(crate) fn xray_command(&mut self, word: Option<&str>) {
        let names = "deploy, rs, sts, ds, job, cj, svc, node, pod";
        let Some(word) = word else {
            self.message = Some(format!("xray needs a kind: :xray {{{names}}}"));
            return;
        };
        match WatchedKind::named(word).filter(|kind| TREE_KINDS.contains(kind)) {
            Some(kind) => self.open_xray(XrayRoot::Kind(kind)),
            None => self.message = Some(format!("no owner tree for {word:?} (kinds: {names})")),
        }
    }

    /// `X`: the tree rooted at the selected object.
    pub(crate) fn xray_selected(&mut self) {
        let Some((target, key, title)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        match target {
            Target::Kind(kind) if TREE_KINDS.contains(&kind) => {
                self.open_xray(XrayRoot::Object(kind, key))
            }
            _ => self.message = Some(format!("{title} owns nothing the owner tree shows")),
        }
    }

    /// Opens a tree: the kinds it links are watched from now on (the first time, the runtime
    /// starts their watches), and its lines are made at once.
    pub(crate) fn open_xray(&mut self, root: XrayRoot) {
        let kind = root.kind();
        let mut wanted = vec![kind];
        wanted.extend(kind.can().controls);
        if kind == WatchedKind::Deployments {
            wanted.push(WatchedKind::ReplicaSets);
        }
        for kind in wanted {
            if !WatchedKind::from_start().any(|k| k == kind) {
                self.health.entry(kind).or_insert(WatchHealth::Syncing);
            }
        }
        self.xray_under = None;
        let mut view = XrayView::new(root);
        self.make_xray_lines(&mut view);
        self.mode = Mode::Xray(Box::new(view));
    }

    /// On the clock's tick: the tree's lines again if the watches changed objects since.
    pub(crate) fn refresh_xray(&mut self) {
        let Mode::Xray(view) = &mut self.mode else {
            return;
        };
        if !view.stale {
            return;
        }
        let mut view = std::mem::replace(view, Box::new(XrayView::new(view.root.clone())));
        self.make_xray_lines(&mut view);
        self.mode = Mode::Xray(view);
        self.dirty = true;
    }

    /// The tree's lines from what the watches hold in the namespace scope.
    pub(crate) fn make_xray_lines(&self, view: &mut XrayView) {
        let lines = self.xray_lines(view);
        view.set_lines(lines);
    }

    fn xray_lines(&self, view: &mut XrayView) -> Vec<Line> {
        let now = self.now;
        let scope = self.namespace.as_deref();
        let in_scope =
            |namespace: &str| namespace.is_empty() || scope.is_none_or(|s| s == namespace);
        let mut inventory = Inventory::default();
        for kind in LINKED {
            let Some(objects) = self.resources.generic.get(kind) else {
                continue;
            };
            for (key, raw) in objects.iter().filter(|(key, _)| in_scope(&key.0)) {
                let (status, health) = object_status(*kind, raw, now);
                let text = |pointer: &str| raw.pointer(pointer).and_then(|v| v.as_str());
                let selector = (*kind == WatchedKind::Services)
                    .then(|| raw.pointer("/spec/selector"))
                    .flatten()
                    .and_then(|labels| serde_json::from_value(labels.clone()).ok())
                    .filter(|labels: &std::collections::BTreeMap<String, String>| {
                        !labels.is_empty()
                    })
                    .and_then(|labels| LabelSelector::from_set(&labels).ok());
                inventory.objects.push(TreeObject {
                    kind: *kind,
                    key,
                    uid: text("/metadata/uid").unwrap_or_default(),
                    controller: raw
                        .pointer("/metadata/ownerReferences")
                        .and_then(|v| v.as_array())
                        .into_iter()
                        .flatten()
                        .find(|o| o.get("controller").and_then(|c| c.as_bool()) == Some(true))
                        .and_then(|o| o.get("uid").and_then(|u| u.as_str())),
                    selector,
                    publish_not_ready: raw
                        .pointer("/spec/publishNotReadyAddresses")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                    status,
                    health,
                });
            }
        }
        for (key, node) in &self.resources.nodes {
            inventory.objects.push(TreeObject {
                kind: WatchedKind::Nodes,
                key,
                uid: &node.object.metadata.uid,
                controller: None,
                selector: None,
                publish_not_ready: false,
                status: node.status.clone(),
                health: node.health,
            });
        }
        for (key, pod) in self
            .resources
            .pods
            .iter()
            .filter(|(key, _)| in_scope(&key.0))
        {
            let row = &pod.row;
            inventory.pods.push(TreePod {
                key,
                controller: pod.controller.as_deref(),
                node: &pod.node_name,
                labels: &pod.labels,
                has_ip: !row.ip.is_empty() && &*row.ip != "<none>",
                phase: &pod.selectable.phase,
                // The printer says Terminating for a pod being deleted (Unknown when its node
                // is lost, which the endpoints controller drops as well).
                terminating: &*row.status == "Terminating",
                ready: &row.ready,
                status: &row.status,
                restarts: row.restart_count,
                last_restart: row.last_restart,
                health: pod.health,
            });
        }
        let roots: Vec<Subject> = match &view.root {
            XrayRoot::Object(kind, key) => vec![Subject::Object(*kind, key.clone())],
            XrayRoot::Kind(kind) => {
                let mut keys: Vec<&Key> = match kind {
                    WatchedKind::Pods => inventory.pods.iter().map(|p| p.key).collect(),
                    kind => inventory
                        .objects
                        .iter()
                        .filter(|o| o.kind == *kind)
                        .map(|o| o.key)
                        .collect(),
                };
                keys.sort();
                keys.into_iter()
                    .map(|key| Subject::Object(*kind, key.clone()))
                    .collect()
            }
        };
        view.pods_folded = inventory.pods.len() > CONTAINERS_SHOWN_UP_TO;
        let pods = &self.resources.pods;
        let mut containers = |key: &Key| {
            pods.get(key)
                .map(|entry| container_rows(&entry.pod(), now))
                .unwrap_or_default()
        };
        let view = &*view;
        tree_lines(
            &inventory,
            &roots,
            &|subject| view.folded(subject),
            &mut containers,
            now,
        )
    }

    /// A key in the tree's view.
    pub(crate) fn xray_action(&mut self, action: Action) {
        let page = self.page_rows;
        let Mode::Xray(view) = &mut self.mode else {
            return;
        };
        match view.on_action(&action, page) {
            XrayOutcome::Nothing => {}
            XrayOutcome::Close => self.mode = Mode::Normal,
            XrayOutcome::Rebuild => {
                let mut view = std::mem::replace(view, Box::new(XrayView::new(view.root.clone())));
                self.make_xray_lines(&mut view);
                self.mode = Mode::Xray(view);
            }
            XrayOutcome::Act(action) => self.act_on_xray_line(action),
        }
    }

    /// A pane key on the tree's selected line: done as in the object's pane with the cursor
    /// on it (the same intents, refusals and confirmations); a container's line takes the
    /// containers view's keys (logs, shell, attach, port-forward). A view it opens returns to
    /// the tree when closed.
    fn act_on_xray_line(&mut self, action: Action) {
        let Mode::Xray(view) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let Some(line) = view.selected().cloned() else {
            self.message = Some("nothing selected".into());
            self.mode = Mode::Xray(view);
            return;
        };
        match action {
            Action::Quit => {
                self.quit = true;
                self.mode = Mode::Xray(view);
                return;
            }
            Action::Help => {
                self.mode = Mode::Help { scroll: 0 };
                self.xray_under = Some(view);
                return;
            }
            Action::Xray => {
                match &line.subject {
                    Subject::Object(kind, key) if TREE_KINDS.contains(kind) => {
                        self.open_xray(XrayRoot::Object(*kind, key.clone()))
                    }
                    _ => {
                        self.message = Some("a container owns nothing".into());
                        self.mode = Mode::Xray(view);
                    }
                }
                return;
            }
            Action::Owner => {
                self.mode = Mode::Xray(view);
                self.xray_owner();
                return;
            }
            _ => {}
        }
        let (kind, key, container) = match &line.subject {
            Subject::Object(kind, key) => (*kind, key.clone(), None),
            Subject::Container(pod, name) => (WatchedKind::Pods, pod.clone(), Some(name.clone())),
        };
        let target = Target::Kind(kind);
        if !matches!(self.held_target(&target, &key), Held::Present(_)) {
            self.message = Some(format!("{} is gone", target.title(&key)));
            self.mode = Mode::Xray(view);
            return;
        }
        // The object's pane, narrowed to nothing else, with its cursor on the object.
        let pane = Pane::of_kind(kind);
        let saved = (
            self.pane,
            self.drill.take(),
            std::mem::take(&mut self.filter),
            self.cursors.get(&pane).cloned(),
        );
        self.pane = pane;
        self.cursors.insert(
            pane,
            Cursor {
                key: Some(key.clone()),
                row: 0,
            },
        );
        if self.selected_object().map(|(_, k, _)| k) == Some(key.clone()) {
            let for_container = matches!(
                action,
                Action::Logs | Action::Shell | Action::Attach | Action::PortForward
            );
            match container.filter(|_| for_container) {
                Some(name) => {
                    let selected = self
                        .resources
                        .pods
                        .get(&key)
                        .map(|entry| container_rows(&entry.pod(), self.now))
                        .and_then(|rows| rows.iter().position(|r| r.name == name))
                        .unwrap_or(0);
                    self.mode = Mode::Containers { key, selected };
                    self.route(action);
                    if matches!(self.mode, Mode::Containers { .. }) {
                        self.mode = Mode::Normal;
                    }
                }
                None => self.normal(action),
            }
        } else {
            self.message = Some(format!("{} is not in the scope shown", target.title(&key)));
        }
        let (pane_before, drill, filter, cursor) = saved;
        match cursor {
            Some(cursor) => self.cursors.insert(pane, cursor),
            None => self.cursors.remove(&pane),
        };
        self.pane = pane_before;
        self.drill = drill;
        self.filter = filter;
        if matches!(self.mode, Mode::Normal) {
            self.mode = Mode::Xray(view);
        } else {
            self.xray_under = Some(view);
        }
    }

    /// After a key: a view opened from the tree that closed (back to the panes) gives the
    /// screen back to the tree, its lines made again.
    pub(crate) fn return_to_xray(&mut self) {
        if !matches!(self.mode, Mode::Normal) {
            return;
        }
        if let Some(mut view) = self.xray_under.take() {
            self.make_xray_lines(&mut view);
            self.mode = Mode::Xray(view);
        }
    }

    /// `J` in the tree: the owner's line when the line above is its owner (a pod's ReplicaSet,
    /// a container's pod), else its owner's pane as `J` in a pane goes.
    fn xray_owner(&mut self) {
        let Mode::Xray(view) = &mut self.mode else {
            return;
        };
        let Some(line) = view.selected() else {
            return;
        };
        let parent = view.parent_row(view.row);
        let owned_by_parent = match (&line.subject, parent.map(|r| &view.lines[r].subject)) {
            (Subject::Container(..), Some(_)) => true,
            (_, Some(Subject::Object(kind, _))) => {
                !matches!(kind, WatchedKind::Services | WatchedKind::Nodes)
            }
            _ => false,
        };
        if owned_by_parent && let Some(parent) = parent {
            view.row = parent;
            view.cursor = Some(view.lines[parent].subject.clone());
            return;
        }
        let Subject::Object(kind, key) = line.subject.clone() else {
            return;
        };
        match self.owner_of(kind, &key) {
            Ok((owner, owner_key)) => {
                self.mode = Mode::Normal;
                self.show_in_pane(owner, owner_key);
            }
            Err(message) => self.message = Some(message),
        }
    }

    /// `J` in a pane: the selected object's owner, in its pane with the cursor on it.
    pub(crate) fn jump_to_owner(&mut self) {
        let Some((target, key, title)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        let Target::Kind(kind) = target else {
            self.message = Some(format!(
                "{title}: owners are followed for the explorer's own kinds"
            ));
            return;
        };
        match self.owner_of(kind, &key) {
            Ok((owner, owner_key)) => self.show_in_pane(owner, owner_key),
            Err(message) => self.message = Some(message),
        }
    }

    /// An object in its pane with the cursor on it (another scope if it is not in this one).
    fn show_in_pane(&mut self, kind: WatchedKind, key: Key) {
        let pane = Pane::of_kind(kind);
        self.leave();
        self.pane = pane;
        self.drill = None;
        self.filter.clear();
        if self.namespace.as_ref().is_some_and(|n| *n != key.0) && !key.0.is_empty() {
            self.set_namespace(None);
        }
        self.cursors.insert(
            pane,
            Cursor {
                key: Some(key),
                row: 0,
            },
        );
        self.settle();
    }

    /// The object's controller as the watches hold it, or why not, in one line.
    fn owner_of(&mut self, kind: WatchedKind, key: &Key) -> Result<(WatchedKind, Key), String> {
        let title = Target::Kind(kind).title(key);
        let owner: Option<OwnerReference> = match kind {
            WatchedKind::Pods => self
                .resources
                .pods
                .get(key)
                .and_then(|entry| entry.pod().metadata.controller().cloned()),
            kind => self
                .resources
                .generic
                .get(&kind)
                .and_then(|objects| objects.get(key))
                .and_then(|raw| raw.pointer("/metadata/ownerReferences"))
                .and_then(|refs| serde_json::from_value::<Vec<OwnerReference>>(refs.clone()).ok())
                .and_then(|refs| refs.into_iter().find(|r| r.controller == Some(true))),
        };
        let Some(owner) = owner else {
            return Err(format!("{title} has no owner"));
        };
        let named = format!("{} {}/{}", owner.kind, key.0, owner.name);
        let Some(owner_kind) = WatchedKind::named(&owner.kind) else {
            return Err(format!(
                "{title} is owned by {named}, a kind kscope does not watch"
            ));
        };
        let owner_key = (
            if owner_kind.namespaced() {
                key.0.clone()
            } else {
                String::new()
            },
            owner.name.clone(),
        );
        match self.held_target(&Target::Kind(owner_kind), &owner_key) {
            Held::Present(uid) if uid.as_deref().is_none_or(|uid| uid == owner.uid) => {
                Ok((owner_kind, owner_key))
            }
            Held::Present(_) => Err(format!(
                "{title} is owned by {named} as it was before it was replaced"
            )),
            Held::Absent if self.health.get(&owner_kind) == Some(&WatchHealth::Live) => {
                Err(format!("{title} is owned by {named}, which is gone"))
            }
            Held::Absent | Held::Unknown => {
                // Watched from now on: the next J finds it once listed.
                self.health
                    .entry(owner_kind)
                    .or_insert(WatchHealth::Syncing);
                Err(format!(
                    "{title} is owned by {named}, not listed yet: {} are being listed, J again in a moment",
                    owner_kind.plural()
                ))
            }
        }
    }
}
