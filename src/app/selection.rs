//! The selection and the marks as object identities. A live update, a re-sort, a filter or a
//! namespace switch never moves the cursor onto another object; when the selected object goes
//! away the cursor moves to its neighbour and the footer says so. Marks belong to one pane's
//! kind and remember the uid each object had when it was marked, so a delete never reaches an
//! object that merely took a marked one's name.

use std::collections::BTreeMap;

use super::resources::Key;
use super::state::{App, Pane};
use crate::model::kind::Target;
use crate::model::kind::WatchedKind;

/// A pane's cursor: the object chosen, and the row it was last seen at, which only serves to
/// choose a neighbour when the object goes away. The stream pane, whose lines are not
/// objects, uses the row alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    pub key: Option<Key>,
    pub row: usize,
}

impl Cursor {
    /// Where its object is among `keys`, the rows shown in order.
    fn row_among(&self, keys: &[&Key]) -> Option<usize> {
        let wanted = self.key.as_ref()?;
        keys.iter().position(|k| *k == wanted)
    }
}

/// The objects marked in one pane's kind, each with the uid it had when marked.
pub type Marks = BTreeMap<Key, Option<String>>;

/// What the watches hold of an object now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// Held, with its uid (absent when the local copy does not carry one).
    Present(Option<String>),
    /// Not held: deleted, or never seen.
    Absent,
    /// No watch holds this kind, so nothing can be said.
    Unknown,
}

#[derive(serde::Deserialize)]
struct UidOnly {
    #[serde(default)]
    metadata: MetadataUid,
}

#[derive(serde::Deserialize, Default)]
struct MetadataUid {
    #[serde(default)]
    uid: Option<String>,
}

impl App {
    /// The current pane's cursor.
    pub fn cursor(&self) -> Cursor {
        self.cursors.get(&self.pane).cloned().unwrap_or_default()
    }

    /// The selected row among `keys`, the rows the current pane shows in order: where its
    /// object is, else (it went away) the row it was last seen at, kept within bounds.
    pub fn selection_in(&self, keys: &[&Key]) -> usize {
        let cursor = self.cursors.get(&self.pane);
        cursor.and_then(|c| c.row_among(keys)).unwrap_or_else(|| {
            cursor
                .map_or(0, |c| c.row)
                .min(keys.len().saturating_sub(1))
        })
    }

    /// The selected row of the current pane.
    pub fn selection(&self) -> usize {
        if self.pane == Pane::Stream {
            let lines = self.visible_stream();
            let last = lines.len().saturating_sub(1);
            // Following: the newest line; else the chosen line, or the one before it when
            // it is no longer shown.
            return match self.stream.cursor {
                None => last,
                Some(seq) => lines.iter().rposition(|line| line.seq <= seq).unwrap_or(0),
            };
        }
        self.selection_in(&self.visible_keys())
    }

    /// Puts the cursor on row `row` (kept within bounds) and on the object shown there.
    pub(crate) fn select(&mut self, row: usize) {
        if self.pane == Pane::Stream {
            // The last line follows the stream; any other stays on its line.
            let lines = self.visible_stream();
            self.stream.cursor = match lines.get(row) {
                Some(line) if row + 1 < lines.len() => Some(line.seq),
                _ => None,
            };
            return;
        }
        let keys = self.visible_keys();
        let row = row.min(keys.len().saturating_sub(1));
        let cursor = Cursor {
            key: keys.get(row).map(|k| (*k).clone()),
            row,
        };
        self.cursors.insert(self.pane, cursor);
    }

    /// `keep_or_first` without listing the rows now: the cursor keeps its object and falls back
    /// to the first row, so the next frame's one listing finds either (a keystroke in the
    /// filter line lists 50,000 rows once, not twice).
    pub(crate) fn keep_or_first_lazily(&mut self) {
        if self.pane == Pane::Stream {
            return;
        }
        let mut cursor = self.cursor();
        cursor.row = 0;
        self.cursors.insert(self.pane, cursor);
    }

    /// Keeps the cursor on its object if the pane still shows it, else puts it on the first
    /// row (a filter, a scope or a drill-down that hides the object starts from the top).
    pub(crate) fn keep_or_first(&mut self) {
        let keys = self.visible_keys();
        let cursor = self.cursor();
        let found = cursor.row_among(&keys);
        let next = match found {
            Some(row) => Cursor {
                key: cursor.key.clone(),
                row,
            },
            None => Cursor {
                key: keys.first().map(|k| (*k).clone()),
                row: 0,
            },
        };
        self.cursors.insert(self.pane, next);
    }

    /// Follows the selected object after a change: notes the row it is on now, or, when it
    /// went away, moves to its neighbour (the row it was on) and says so in the footer.
    pub fn settle(&mut self) {
        if self.pane == Pane::Stream {
            return;
        }
        let keys = self.visible_keys();
        let cursor = self.cursor();
        let found = cursor.row_among(&keys);
        let next = match found {
            Some(row) if row == cursor.row => return,
            Some(row) => Cursor {
                key: cursor.key.clone(),
                row,
            },
            None => {
                let row = cursor.row.min(keys.len().saturating_sub(1));
                Cursor {
                    key: keys.get(row).map(|k| (*k).clone()),
                    row,
                }
            }
        };
        if next.key == cursor.key {
            self.cursors.insert(self.pane, next);
            return;
        }
        // Gone from the cluster (not merely hidden by a filter): say where the cursor went.
        if let Some(gone) = &cursor.key
            && self.is_gone(self.pane, gone)
        {
            let title = |key: &Key| self.pane_target().map(|t| t.title(key));
            if let Some(gone) = title(gone) {
                self.message = Some(match next.key.as_ref().and_then(title) {
                    Some(now) => format!("{gone} is gone; the cursor moved to {now}"),
                    None => format!("{gone} is gone"),
                });
                self.dirty = true;
            }
        }
        self.cursors.insert(self.pane, next);
    }

    /// Settles the cursor when a frame needs it: it has no object yet, or its object is gone.
    /// Otherwise the rows need not be listed an extra time (a pane of 50,000 pods costs
    /// milliseconds to list).
    pub fn settle_if_needed(&mut self) {
        let needed = match &self.cursor().key {
            None => true,
            Some(key) => self.is_gone(self.pane, key),
        };
        if needed {
            self.settle();
        }
    }

    /// Whether the watches no longer hold the object `key` of a pane's kind: a lookup, without
    /// reading the object (a frame asks it).
    fn is_gone(&self, pane: Pane, key: &Key) -> bool {
        match pane {
            Pane::Stream => false,
            Pane::Table(index) => self
                .tables
                .get(index)
                .is_some_and(|t| !t.rows.contains_key(key)),
            pane => pane
                .kind()
                .is_some_and(|kind| self.holds(kind, key) == Some(false)),
        }
    }

    /// Whether the watches hold the object `key` of `kind` now, by lookup; `None` when nothing
    /// holds that kind yet.
    pub(crate) fn holds(&self, kind: WatchedKind, key: &Key) -> Option<bool> {
        let resources = &self.resources;
        Some(match kind {
            WatchedKind::Pods => resources.pods.contains_key(key),
            WatchedKind::Nodes => resources.nodes.contains_key(key),
            WatchedKind::Namespaces => resources.namespaces.contains_key(key),
            WatchedKind::Events => resources.events.contains_key(key),
            kind => resources.generic.get(&kind)?.contains_key(key),
        })
    }

    /// How the current pane's objects are asked for (none for the stream).
    pub fn pane_target(&self) -> Option<Target> {
        match self.pane {
            Pane::Table(index) => Some(Target::Resource(self.tables.get(index)?.resource.clone())),
            pane => pane.kind().map(Target::Kind),
        }
    }

    /// What the watches hold of the object `key` of a pane's kind.
    pub fn held(&self, pane: Pane, key: &Key) -> Held {
        match pane {
            Pane::Table(index) => match self.tables.get(index) {
                Some(table) => match table.rows.get(key) {
                    Some(row) => Held::Present(row.uid.clone()),
                    None => Held::Absent,
                },
                None => Held::Unknown,
            },
            Pane::Stream => Held::Unknown,
            pane => match pane.kind() {
                Some(kind) => self.held_of_kind(kind, key),
                None => Held::Unknown,
            },
        }
    }

    /// What the watches hold of the object `key` of a target (a watched kind, or a kind one
    /// of the table panes shows).
    pub fn held_target(&self, target: &Target, key: &Key) -> Held {
        match target {
            Target::Kind(kind) => self.held_of_kind(*kind, key),
            Target::Resource(resource) => {
                let name = resource.qualified_plural();
                match self.tables.iter().position(|t| t.name() == name) {
                    Some(index) => self.held(Pane::Table(index), key),
                    None => Held::Unknown,
                }
            }
        }
    }

    fn held_of_kind(&self, kind: WatchedKind, key: &Key) -> Held {
        let uid_of_text = |text: &str| {
            serde_json::from_str::<UidOnly>(text)
                .ok()
                .and_then(|o| o.metadata.uid)
                .filter(|uid| !uid.is_empty())
        };
        let non_empty = |uid: &str| (!uid.is_empty()).then(|| uid.to_string());
        let found = match kind {
            WatchedKind::Pods => self
                .resources
                .pods
                .get(key)
                .map(|p| uid_of_text(&p.text.unpack())),
            WatchedKind::Nodes => self
                .resources
                .nodes
                .get(key)
                .map(|n| non_empty(&n.object.metadata.uid)),
            WatchedKind::Namespaces => self
                .resources
                .namespaces
                .get(key)
                .map(|n| non_empty(&n.object.metadata.uid)),
            WatchedKind::Events => self
                .resources
                .events
                .get(key)
                .map(|e| non_empty(&e.metadata.uid)),
            kind => match self.resources.generic.get(&kind) {
                Some(objects) => objects.get(key).map(|o| {
                    o.pointer("/metadata/uid")
                        .and_then(serde_json::Value::as_str)
                        .and_then(non_empty)
                }),
                None => return Held::Unknown,
            },
        };
        match found {
            Some(uid) => Held::Present(uid),
            None => Held::Absent,
        }
    }

    /// The object an action applies to: the one a view shows when the action started there,
    /// else the pane's selected object.
    pub(crate) fn subject(&self) -> Option<(Target, Key, String)> {
        self.focus.clone().or_else(|| self.selected_object())
    }

    /// The marks of the current pane's kind.
    pub fn marks_here(&self) -> Option<&Marks> {
        self.marks.get(&self.pane).filter(|m| !m.is_empty())
    }

    /// `space`: marks the selected object (with its uid now), or unmarks it.
    pub fn toggle_mark(&mut self) {
        let Some((_, key, _)) = self.selected_object() else {
            return;
        };
        let uid = match self.held(self.pane, &key) {
            Held::Present(uid) => uid,
            Held::Absent | Held::Unknown => None,
        };
        let marks = self.marks.entry(self.pane).or_default();
        if marks.remove(&key).is_none() {
            marks.insert(key, uid);
        }
    }
}
