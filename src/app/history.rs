//! Where the user has been, as in k9s: esc goes back one step (a drill-down returns to the
//! pane it came from, with that pane's selection and filter), `-` toggles the last two places,
//! `[` and `]` go back and forward. The breadcrumb names where the user is.

use super::selection::Cursor;
use super::state::{App, Drill, Mode, Pane};

/// One place: a pane, narrowed or not by a drill-down, with its filter and its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub pane: Pane,
    pub drill: Option<Drill>,
    pub filter: super::filter::Filter,
    pub cursor: Cursor,
}

/// The places behind and ahead of the current one.
#[derive(Debug, Clone, Default)]
pub struct History {
    back: Vec<Location>,
    forward: Vec<Location>,
    /// The place the user was at just before this one, however they left it (for `-`).
    last: Option<Location>,
}

/// How many places are remembered.
const DEPTH: usize = 50;

impl History {
    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }
}

impl App {
    /// The current place.
    pub fn location(&self) -> Location {
        Location {
            pane: self.pane,
            drill: self.drill.clone(),
            filter: self.filter.clone(),
            cursor: self.cursor(),
        }
    }

    /// Puts the app at `location` as it was left.
    fn restore(&mut self, location: Location) {
        self.pane = location.pane;
        self.drill = location.drill;
        self.filter = location.filter;
        self.cursors.insert(location.pane, location.cursor);
        self.column_offset = 0;
        self.settle();
    }

    /// Remembers the current place before going somewhere else (a new place forgets the ones
    /// ahead, as a browser does).
    pub(crate) fn leave(&mut self) {
        // Another place starts with its columns unscrolled.
        self.column_offset = 0;
        let here = self.location();
        self.history.last = Some(here.clone());
        if self.history.back.last() != Some(&here) {
            self.history.back.push(here);
        }
        if self.history.back.len() > DEPTH {
            self.history.back.remove(0);
        }
        self.history.forward.clear();
    }

    /// One step back; false when there is nowhere to go.
    pub fn go_back(&mut self) -> bool {
        let Some(previous) = self.history.back.pop() else {
            return false;
        };
        let here = self.location();
        self.history.last = Some(here.clone());
        self.history.forward.push(here);
        self.restore(previous);
        true
    }

    /// One step forward again (after going back).
    pub fn go_forward(&mut self) -> bool {
        let Some(next) = self.history.forward.pop() else {
            return false;
        };
        let here = self.location();
        self.history.last = Some(here.clone());
        self.history.back.push(here);
        self.restore(next);
        true
    }

    /// `-`: the place the user was at just before this one (however they left it), and
    /// again back here. It counts as going somewhere: `esc` then returns.
    pub fn toggle_last(&mut self) -> bool {
        let Some(previous) = self.history.last.take() else {
            return false;
        };
        self.leave();
        self.restore(previous);
        true
    }

    /// Takes a step through the history, or says that `nowhere` when there is none.
    pub(crate) fn step(&mut self, step: fn(&mut App) -> bool, nowhere: &str) {
        if !step(self) {
            self.message = Some(nowhere.to_string());
        }
    }

    /// Where the user is, for the header: `Nodes › worker-5 › Pods`.
    pub fn breadcrumb(&self) -> Vec<String> {
        // A view that takes the whole screen says so, rather than the pane beneath it.
        match &self.mode {
            Mode::Triage { .. } => return vec!["Triage".into()],
            Mode::Xray(view) => {
                let title = view.title();
                let root = title.strip_prefix("xray ").unwrap_or(&title);
                return vec!["Xray".into(), root.to_string()];
            }
            Mode::Forwards { .. } => return vec!["Port-forwards".into()],
            _ => {}
        }
        let pane_title = match self.pane {
            Pane::Table(index) => self
                .tables
                .get(index)
                .map(|t| t.resource.kind.clone())
                .unwrap_or_else(|| "Resources".to_string()),
            pane => pane.title().to_string(),
        };
        match &self.drill {
            Some(Drill::Node(node)) => vec!["Nodes".into(), node.clone(), pane_title],
            Some(Drill::Workload { title, .. } | Drill::Owned { title, .. }) => {
                // `deployment shop/web`: the kind's pane, then the object.
                let (kind, name) = title.split_once(' ').unwrap_or(("", title));
                let kind_pane = Pane::from_command(kind)
                    .map(|p| p.title().to_string())
                    .unwrap_or_else(|| kind.to_string());
                vec![kind_pane, name.to_string(), pane_title]
            }
            Some(Drill::Members { title, .. }) => vec!["Triage".into(), title.clone(), pane_title],
            None => vec![pane_title],
        }
    }
}
