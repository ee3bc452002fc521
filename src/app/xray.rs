//! The owner tree's view (`:xray KIND`, or `X` on an object): its lines (`model::owner_tree`),
//! its cursor on an object rather than a row, and its folds. The view owns its moves and folds;
//! every other key acts on the object under the cursor through the pane machinery
//! (`App::act_on_xray_line`), as the same key would in that object's pane.

use std::collections::HashSet;

use super::action::Action;
use crate::model::kind::WatchedKind;
use crate::model::owner_tree::{Line, Subject};
use crate::model::watched::Key;

/// The keymap context of the view.
pub const XRAY: &str = "xray";

/// Pods show their containers unless the scope holds more pods than this: the containers are
/// read from each pod's kept text, which would cost a pass over every pod on each refresh.
pub const CONTAINERS_SHOWN_UP_TO: usize = 500;

/// What the tree starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XrayRoot {
    /// Every object of a kind in the namespace scope (`:xray deploy`).
    Kind(WatchedKind),
    /// One object (`X` on it).
    Object(WatchedKind, Key),
}

impl XrayRoot {
    pub fn kind(&self) -> WatchedKind {
        match self {
            XrayRoot::Kind(kind) | XrayRoot::Object(kind, _) => *kind,
        }
    }
}

/// The kinds a tree can start from, as `:xray` names them.
pub const TREE_KINDS: &[WatchedKind] = &[
    WatchedKind::Deployments,
    WatchedKind::ReplicaSets,
    WatchedKind::StatefulSets,
    WatchedKind::DaemonSets,
    WatchedKind::Jobs,
    WatchedKind::CronJobs,
    WatchedKind::Services,
    WatchedKind::Nodes,
    WatchedKind::Pods,
];

/// The tree's view.
#[derive(Debug, Clone)]
pub struct XrayView {
    pub root: XrayRoot,
    pub lines: Vec<Line>,
    /// The object under the cursor, and the line it was last seen on (only to pick a
    /// neighbour when it goes).
    pub cursor: Option<Subject>,
    pub row: usize,
    /// Lines folded or unfolded against their default (pods fold by default in big trees).
    pub toggled: HashSet<Subject>,
    /// Pods fold by default (the scope holds more than `CONTAINERS_SHOWN_UP_TO`).
    pub pods_folded: bool,
    /// The watches changed objects since the lines were made.
    pub stale: bool,
}

/// What a key in the view asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XrayOutcome {
    Nothing,
    /// The folds changed: make the lines again.
    Rebuild,
    Close,
    /// A key for the object under the cursor.
    Act(Action),
}

impl XrayView {
    pub fn new(root: XrayRoot) -> Self {
        XrayView {
            root,
            lines: Vec::new(),
            cursor: None,
            row: 0,
            toggled: HashSet::new(),
            pods_folded: false,
            stale: true,
        }
    }

    /// `xray deployments` or `xray deployment shop/web`.
    pub fn title(&self) -> String {
        match &self.root {
            XrayRoot::Kind(kind) => format!("xray {}", kind.plural()),
            XrayRoot::Object(kind, (namespace, name)) if namespace.is_empty() => {
                format!("xray {} {name}", kind.info().singular)
            }
            XrayRoot::Object(kind, (namespace, name)) => {
                format!("xray {} {namespace}/{name}", kind.info().singular)
            }
        }
    }

    /// Whether a line is folded: its default, unless the user toggled it.
    pub fn folded(&self, subject: &Subject) -> bool {
        let default = self.pods_folded && matches!(subject, Subject::Object(WatchedKind::Pods, _));
        default != self.toggled.contains(subject)
    }

    /// The line under the cursor.
    pub fn selected(&self) -> Option<&Line> {
        self.lines.get(self.row)
    }

    /// New lines: the cursor stays on its object wherever it now is; when it is gone, the
    /// line now where it was takes the cursor.
    pub fn set_lines(&mut self, lines: Vec<Line>) {
        self.lines = lines;
        self.stale = false;
        let found = self
            .cursor
            .as_ref()
            .and_then(|cursor| self.lines.iter().position(|l| l.subject == *cursor));
        self.row = match found {
            Some(row) => row,
            None => self.row.min(self.lines.len().saturating_sub(1)),
        };
        self.cursor = self.selected().map(|l| l.subject.clone());
    }

    fn move_to(&mut self, row: usize) {
        self.row = row.min(self.lines.len().saturating_sub(1));
        self.cursor = self.selected().map(|l| l.subject.clone());
    }

    /// The line of the object above this one in the tree.
    pub fn parent_row(&self, row: usize) -> Option<usize> {
        let own = depth(self.lines.get(row)?);
        (0..row).rev().find(|r| depth(&self.lines[*r]) < own)
    }

    fn toggle(&mut self, subject: Subject) -> XrayOutcome {
        if !self.toggled.remove(&subject) {
            self.toggled.insert(subject);
        }
        XrayOutcome::Rebuild
    }

    /// A key of the view's own; anything else is for the object under the cursor.
    pub fn on_action(&mut self, action: &Action, page: usize) -> XrayOutcome {
        let page = page.max(1);
        match action {
            Action::Down => self.move_to(self.row + 1),
            Action::Up => self.move_to(self.row.saturating_sub(1)),
            Action::PageDown => self.move_to(self.row + page),
            Action::PageUp => self.move_to(self.row.saturating_sub(page)),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(usize::MAX),
            Action::Back => return XrayOutcome::Close,
            // enter and space: fold or unfold the line.
            Action::Enter => match self.selected() {
                Some(line) if line.children => return self.toggle(line.subject.clone()),
                _ => {}
            },
            // right: unfold, or step to the first line under it.
            Action::Unfold => match self.selected() {
                Some(line) if line.folded => return self.toggle(line.subject.clone()),
                Some(line) if line.children => self.move_to(self.row + 1),
                _ => {}
            },
            // left: fold, or step to the line above it in the tree.
            Action::Fold => match self.selected() {
                Some(line) if line.children && !line.folded => {
                    return self.toggle(line.subject.clone());
                }
                Some(_) => {
                    if let Some(parent) = self.parent_row(self.row) {
                        self.move_to(parent);
                    }
                }
                None => {}
            },
            other => return XrayOutcome::Act(other.clone()),
        }
        XrayOutcome::Nothing
    }
}

/// How deep a line is (two glyph columns a level).
fn depth(line: &Line) -> usize {
    line.guides.chars().count() / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::health::Health;

    fn line(kind: WatchedKind, name: &str, guides: &str, children: bool) -> Line {
        Line {
            subject: Subject::Object(kind, ("shop".into(), name.into())),
            name: name.into(),
            guides: guides.into(),
            status: String::new(),
            health: Health::Healthy,
            children,
            folded: false,
        }
    }

    #[test]
    fn left_folds_then_steps_to_the_owner_and_right_unfolds() {
        let mut view = XrayView::new(XrayRoot::Kind(WatchedKind::Deployments));
        view.set_lines(vec![
            line(WatchedKind::Deployments, "web", "", true),
            line(WatchedKind::ReplicaSets, "web-1", "└─", true),
            line(WatchedKind::Pods, "web-1-a", "  └─", false),
        ]);
        view.move_to(2);
        assert_eq!(view.on_action(&Action::Fold, 10), XrayOutcome::Nothing);
        assert_eq!(view.row, 1);
        assert_eq!(view.on_action(&Action::Fold, 10), XrayOutcome::Rebuild);
        let rs = view.lines[1].subject.clone();
        assert!(view.folded(&rs));
        assert_eq!(view.on_action(&Action::Enter, 10), XrayOutcome::Rebuild);
        assert!(!view.folded(&rs));
        assert_eq!(
            view.on_action(&Action::Logs, 10),
            XrayOutcome::Act(Action::Logs)
        );
    }

    #[test]
    fn the_cursor_follows_its_object_and_a_neighbour_takes_it_when_it_goes() {
        let mut view = XrayView::new(XrayRoot::Kind(WatchedKind::Deployments));
        let a = line(WatchedKind::Pods, "a", "├─", false);
        let b = line(WatchedKind::Pods, "b", "├─", false);
        let c = line(WatchedKind::Pods, "c", "└─", false);
        view.set_lines(vec![a.clone(), b.clone(), c.clone()]);
        view.move_to(1);
        view.set_lines(vec![c.clone(), a.clone(), b.clone()]);
        assert_eq!(view.row, 2);
        view.set_lines(vec![c.clone(), a.clone()]);
        assert_eq!(view.row, 1);
        assert_eq!(view.cursor, Some(a.subject));
    }
}
