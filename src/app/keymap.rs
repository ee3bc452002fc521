//! Keys to actions, with k9s's keys where users' fingers already know them. The bindings of
//! the panes come from `assets/keymap.yaml`, overridden by the user's file: keys for every pane
//! (`panes`), and keys a pane kind gives a meaning of its own (`nodes: {drain: [r]}`), which
//! take precedence on that pane. The help and the footer are made from the bindings in force.

use super::line::LineEdit;
use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, BINDABLE};
use super::state::{App, Mode, Pane};
use crate::model::owner_tree::Subject;

/// The default keys, as shipped in assets/keymap.yaml.
const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.yaml");

/// The context whose keys hold on every pane.
pub const PANES: &str = "panes";

/// The contexts a keymap file may name: every pane, then each pane kind.
pub const CONTEXTS: &[&str] = &[
    PANES,
    "pods",
    "nodes",
    "namespaces",
    "events",
    "stream",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "services",
    "configmaps",
    "secrets",
    "poddisruptionbudgets",
    "persistentvolumeclaims",
    "resources",
    "yaml",
    "describe",
    "explain",
    "help",
    "containers",
    "triage",
    "xray",
    "fetching",
    "logs",
    "drain",
];

/// A key: its code, and whether control is held.
type Chord = (KeyCode, bool);

/// The panes' keys, per context.
#[derive(Debug, Clone)]
pub struct Keymap {
    contexts: HashMap<&'static str, HashMap<Chord, Action>>,
}

/// One entry of a keymap file: an action's keys (for every pane), or a context's own entries.
enum Entry {
    Keys(Vec<String>),
    Context(BTreeMap<String, Vec<String>>),
}

// Read by hand rather than as an untagged enum: keys are asked for as strings, so `N` or `y`
// stay the letters they are and never become YAML booleans.
impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> serde::de::Visitor<'de> for EntryVisitor {
            type Value = Entry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of keys, or a context's `action: [keys]` entries")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Entry, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<String>()? {
                    keys.push(key);
                }
                Ok(Entry::Keys(keys))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entry, A::Error> {
                let mut actions = BTreeMap::new();
                while let Some((action, keys)) = map.next_entry::<String, Vec<String>>()? {
                    actions.insert(action, keys);
                }
                Ok(Entry::Context(actions))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keymap = Keymap {
            contexts: HashMap::new(),
        };
        keymap
            .apply(DEFAULT_KEYMAP, "the built-in keymap")
            .expect("the built-in keymap is valid");
        keymap
    }
}

impl Pane {
    /// The keymap context of the pane's kind.
    pub fn context(self) -> &'static str {
        match self {
            Pane::Pods => "pods",
            Pane::Nodes => "nodes",
            Pane::Namespaces => "namespaces",
            Pane::Events => "events",
            Pane::Stream => "stream",
            Pane::Kind(kind) => kind.plural(),
            Pane::Table(_) => "resources",
        }
    }
}

impl Mode {
    /// The keymap context of a view that takes its keys from the keymap (the log view and the
    /// drain dialog read theirs themselves; prompts and the command line take text).
    pub fn context(&self) -> Option<&'static str> {
        match self {
            Mode::Yaml { .. } => Some("yaml"),
            Mode::Describe { .. } => Some("describe"),
            Mode::Explain { .. } => Some("explain"),
            Mode::Help { .. } => Some("help"),
            Mode::Containers { .. } => Some("containers"),
            Mode::Triage { .. } => Some("triage"),
            Mode::Xray(_) => Some(super::xray::XRAY),
            Mode::Fetching { .. } => Some("fetching"),
            Mode::Logs(_) => Some(super::log_view::LOGS),
            Mode::Drain(_) => Some(super::drain_view::DRAIN),
            _ => None,
        }
    }
}

impl Keymap {
    /// The built-in keys, read once.
    pub fn builtin() -> &'static Keymap {
        static BUILTIN: std::sync::OnceLock<Keymap> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(Keymap::default)
    }

    /// The defaults, overridden by the user's file: `$KSCOPE_KEYMAP`, else `keymap.yaml` in the
    /// config directory. A bad file is an error naming the file and the entry.
    pub fn load() -> Result<Self> {
        let mut keymap = Keymap::default();
        if let Some(path) = super::user_file("KSCOPE_KEYMAP", "keymap.yaml") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read keymap {}", path.display()))?;
            keymap.apply(&text, &format!("keymap {}", path.display()))?;
        }
        Ok(keymap)
    }

    /// Applies a keymap file's entries: each action named takes exactly the keys listed, in
    /// its context (`action: [keys]` at the top is the `panes` context).
    pub fn apply(&mut self, text: &str, source: &str) -> Result<()> {
        let entries: BTreeMap<String, Entry> = if text.trim().is_empty() {
            Default::default()
        } else {
            crate::model::yaml::from_str(text).map_err(|e| {
                anyhow!(
                    "{source}: expected `action: [keys]` or `context: {{action: [keys]}}` entries: {e}"
                )
            })?
        };
        for (name, entry) in entries {
            match entry {
                Entry::Keys(keys) => self.bind(PANES, &name, &keys, source)?,
                Entry::Context(actions) => {
                    let context = CONTEXTS.iter().find(|c| **c == name).ok_or_else(|| {
                        anyhow!(
                            "{source}: unknown context \"{name}\" (contexts: {})",
                            CONTEXTS.join(", ")
                        )
                    })?;
                    for (action, keys) in actions {
                        self.bind(context, &action, &keys, &format!("{source}: {name}"))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn bind(
        &mut self,
        context: &'static str,
        name: &str,
        keys: &[String],
        source: &str,
    ) -> Result<()> {
        let action = Action::named(name).ok_or_else(|| {
            anyhow!(
                "{source}: unknown action \"{name}\" (actions: {})",
                BINDABLE
                    .iter()
                    .map(|b| b.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let bindings = self.contexts.entry(context).or_default();
        bindings.retain(|_, bound| *bound != action);
        for key in keys {
            let parsed = parse_key(key)
                .ok_or_else(|| anyhow!("{source}: action \"{name}\": unknown key \"{key}\""))?;
            bindings.insert(parsed, action.clone());
        }
        Ok(())
    }

    /// The action a key means on `pane`: the pane kind's own binding, else the panes'.
    pub fn pane_action(&self, pane: Pane, chord: Chord) -> Option<Action> {
        self.contexts
            .get(pane.context())
            .and_then(|own| own.get(&chord))
            .or_else(|| self.contexts.get(PANES).and_then(|all| all.get(&chord)))
            .cloned()
    }

    /// The action a key means in a view's own context (no other context's keys reach a view).
    pub fn view_action(&self, context: &str, chord: Chord) -> Option<Action> {
        self.contexts
            .get(context)
            .and_then(|own| own.get(&chord))
            .cloned()
    }

    /// The keys bound to `action` in `context` alone, as a keymap file writes them: letters
    /// before names (so `k` comes before `up`), then in order.
    fn bound_in(&self, context: &str, action: &Action) -> Vec<String> {
        let Some(bindings) = self.contexts.get(context) else {
            return Vec::new();
        };
        let mut chords: Vec<&Chord> = bindings
            .iter()
            .filter(|(_, bound)| *bound == action)
            .map(|(chord, _)| chord)
            .collect();
        chords.sort_by_key(|chord| {
            (
                !matches!(chord.0, KeyCode::Char(_)),
                chord.1,
                key_text(**chord),
            )
        });
        chords.into_iter().map(|c| key_text(*c)).collect()
    }

    /// The keys that do `action` in a view's context, as a keymap file writes them.
    pub fn view_keys_for(&self, context: &str, action: &Action) -> Vec<String> {
        self.bound_in(context, action)
    }

    /// The one key a view's footer offers for `action`: esc to close (what people try first),
    /// else the first bound.
    pub fn view_key(&self, context: &str, action: &Action) -> Option<String> {
        let keys = self.bound_in(context, action);
        match keys.iter().find(|k| *k == "esc") {
            Some(esc) if *action == Action::Back => Some(esc.clone()),
            _ => keys.into_iter().next(),
        }
    }

    /// The keys that do `action` on `pane`, as a keymap file writes them (`ctrl-d`, `space`).
    pub fn keys_for(&self, pane: Pane, action: &Action) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for context in [pane.context(), PANES] {
            for key in self.bound_in(context, action) {
                // A key the pane kind rebinds does something else there.
                let means = parse_key(&key).and_then(|chord| self.pane_action(pane, chord));
                if means.as_ref() == Some(action) && !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// Every binding of a context, in the help's order: (keys, what the action does).
    pub fn bindings(&self, context: &str) -> Vec<(String, &'static str)> {
        BINDABLE
            .iter()
            .filter_map(|bindable| {
                let keys = self.bound_in(context, &bindable.action);
                (!keys.is_empty()).then(|| (keys.join(" "), bindable))
            })
            .fold(
                Vec::new(),
                |mut lines: Vec<(String, &'static str)>, (keys, bindable)| {
                    // The nine favourites read as one line.
                    let favourite = matches!(bindable.action, Action::Favourite(_));
                    match lines.last_mut() {
                        Some((earlier, does)) if favourite && *does == FAVOURITES => {
                            earlier.push(' ');
                            earlier.push_str(&keys);
                        }
                        _ if favourite => lines.push((keys, FAVOURITES)),
                        _ => lines.push((keys, bindable.does)),
                    }
                    lines
                },
            )
    }

    /// The action a key means where the app is: a view's own key, else the pane's binding.
    pub fn action_for(&self, key: KeyEvent, app: &App) -> Option<Action> {
        action_in(self, key, &app.mode, app.pane)
    }
}

/// A key as a keymap file writes it.
fn key_text((code, ctrl): Chord) -> String {
    let name = match code {
        KeyCode::Enter => "enter".to_string(),
        KeyCode::Esc => "esc".to_string(),
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Up => "up".to_string(),
        KeyCode::Down => "down".to_string(),
        KeyCode::Left => "left".to_string(),
        KeyCode::Right => "right".to_string(),
        KeyCode::Home => "home".to_string(),
        KeyCode::End => "end".to_string(),
        KeyCode::PageUp => "pageup".to_string(),
        KeyCode::PageDown => "pagedown".to_string(),
        KeyCode::Tab => "tab".to_string(),
        KeyCode::Backspace => "backspace".to_string(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}").to_lowercase(),
    };
    if ctrl { format!("ctrl-{name}") } else { name }
}

/// A key as a keymap file writes it.
fn parse_key(text: &str) -> Option<(KeyCode, bool)> {
    let (ctrl, name) = match text.strip_prefix("ctrl-") {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, text),
    };
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        single if single.chars().count() == 1 => KeyCode::Char(single.chars().next()?),
        _ => return None,
    };
    Some((code, ctrl))
}

/// The action a key means in the current mode, with the default keys.
pub fn action_for(key: KeyEvent, app: &App) -> Option<Action> {
    app.keymap.action_for(key, app)
}

/// The changes a YAML or describe view starts on the object it shows.
const CHANGES_FROM_VIEWS: &[Action] = &[
    Action::Edit,
    Action::Patch,
    Action::Scale,
    Action::RestartRollout,
    Action::SetImage,
    Action::Delete,
    Action::Drain,
    Action::Cordon,
    Action::Uncordon,
    Action::TriggerJob,
];

/// The pane keys that work on the owner tree's selected line, as in the object's own pane.
const ON_TREE_LINES: &[Action] = &[
    Action::Explain,
    Action::Yaml,
    Action::Describe,
    Action::Copy,
    Action::Logs,
    Action::Shell,
    Action::Attach,
    Action::PortForward,
    Action::Edit,
    Action::Patch,
    Action::Scale,
    Action::RestartRollout,
    Action::SetImage,
    Action::Delete,
    Action::Drain,
    Action::Cordon,
    Action::Uncordon,
    Action::TriggerJob,
    Action::Xray,
    Action::Owner,
    Action::Help,
    Action::Quit,
];

/// Whether a view is taking text (a search, a value), so `:` is a character there.
fn typing(mode: &Mode) -> bool {
    match mode {
        Mode::Command(_) | Mode::Filter { .. } | Mode::Prompt { .. } | Mode::Forward(_) => true,
        // `:` there is its own key (the view opens the command line over itself).
        Mode::Forwards { .. } => true,
        Mode::PatchCompose { inline, .. } => inline.is_some(),
        Mode::Logs(view) => view.typing(),
        view if view.reader().is_some_and(|r| r.is_typing()) => true,
        Mode::Drain(view) => {
            view.editing.is_some() || matches!(view.stage, super::drain_view::DrainStage::Running)
        }
        _ => false,
    }
}

fn action_in(keymap: &Keymap, key: KeyEvent, mode: &Mode, pane: Pane) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    // `:` opens the command line from any view; what follows is typed into it, never taken
    // as the view's or the pane's keys.
    if !ctrl && key.code == KeyCode::Char(':') && !matches!(mode, Mode::Normal) && !typing(mode) {
        return Some(Action::CommandMode);
    }
    match mode {
        Mode::PatchCompose {
            inline: Some(_), ..
        } => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        Mode::PatchCompose { .. } => match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        Mode::PatchReview { .. } => match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('y') | KeyCode::Char('Y') if !ctrl => Some(Action::Confirm(true)),
            _ => Some(Action::Confirm(false)),
        },
        Mode::PatchConflict { .. } => Some(Action::Confirm(
            !ctrl && matches!(key.code, KeyCode::Char('r')),
        )),
        Mode::Confirm { .. } => Some(Action::Confirm(
            !ctrl && matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')),
        )),
        Mode::Command(_) | Mode::Filter { .. } => line_action(key),
        Mode::Prompt { .. } => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        Mode::Logs(view) if view.typing() => Some(Action::Key(key)),
        // A reading view's search line edits like the filter line.
        view if view.reader().is_some_and(|r| r.is_typing()) => line_action(key),
        Mode::Drain(view) if view.typing() => Some(Action::Key(key)),
        // The port-forward dialog and the `:pf` view read their keys themselves.
        Mode::Forward(_) | Mode::Forwards { .. } => Some(Action::Key(key)),
        Mode::Normal => keymap.pane_action(pane, (key.code, ctrl)),
        // The tree's own keys first; the others as the pane of the object under the cursor
        // binds them, for the actions that work on one object.
        Mode::Xray(view) => keymap
            .view_action(super::xray::XRAY, (key.code, ctrl))
            .or_else(|| {
                let kind = match &view.selected()?.subject {
                    Subject::Object(kind, _) => *kind,
                    Subject::Container(..) => crate::model::kind::WatchedKind::Pods,
                };
                keymap
                    .pane_action(Pane::of_kind(kind), (key.code, ctrl))
                    .filter(|action| ON_TREE_LINES.contains(action))
            }),
        // A view's own keys first. Changes can start from the object's YAML or description
        // with the pane's keys for them; they apply to the object shown, and the view is read
        // again once done.
        view => {
            let context = view.context()?;
            keymap.view_action(context, (key.code, ctrl)).or_else(|| {
                matches!(view, Mode::Yaml { .. } | Mode::Describe { .. })
                    .then(|| keymap.pane_action(pane, (key.code, ctrl)))
                    .flatten()
                    .filter(|action| CHANGES_FROM_VIEWS.contains(action))
            })
        }
    }
}

/// The keys of the command and filter lines: a line editor's, as readline has them.
fn line_action(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match (key.code, ctrl, alt) {
        (KeyCode::Esc, ..) => Action::Back,
        (KeyCode::Enter, ..) => Action::Submit,
        (KeyCode::Tab, ..) => Action::Complete,
        (KeyCode::Backspace, _, true) | (KeyCode::Char('w'), true, _) => {
            Action::Line(LineEdit::DeleteWordBack)
        }
        (KeyCode::Backspace, ..) | (KeyCode::Char('h'), true, _) => Action::Erase,
        (KeyCode::Delete, ..) | (KeyCode::Char('d'), true, _) => {
            Action::Line(LineEdit::DeleteForward)
        }
        (KeyCode::Left, true, _) | (KeyCode::Char('b'), _, true) => {
            Action::Line(LineEdit::WordLeft)
        }
        (KeyCode::Right, true, _) | (KeyCode::Char('f'), _, true) => {
            Action::Line(LineEdit::WordRight)
        }
        (KeyCode::Left, ..) | (KeyCode::Char('b'), true, _) => Action::Line(LineEdit::Left),
        (KeyCode::Right, ..) | (KeyCode::Char('f'), true, _) => Action::Line(LineEdit::Right),
        (KeyCode::Home, ..) | (KeyCode::Char('a'), true, _) => Action::Line(LineEdit::Home),
        (KeyCode::End, ..) | (KeyCode::Char('e'), true, _) => Action::Line(LineEdit::End),
        (KeyCode::Char('u'), true, _) => Action::Line(LineEdit::DeleteToStart),
        (KeyCode::Char('k'), true, _) => Action::Line(LineEdit::DeleteToEnd),
        (KeyCode::Up, ..) | (KeyCode::Char('p'), true, _) => Action::Line(LineEdit::Older),
        (KeyCode::Down, ..) | (KeyCode::Char('n'), true, _) => Action::Line(LineEdit::Newer),
        (KeyCode::Char(c), false, false) => Action::Type(c),
        _ => return None,
    })
}

/// The help's line for the favourite namespaces.
const FAVOURITES: &str = "favourite namespaces 1 to 9 (the ones chosen in :ns)";

/// What the help says besides the bindings: commands, and the keys of the views.
pub const HELP_COMMANDS: &[(&str, &str)] = &[
    (
        ":pods :nodes :ns :events :stream",
        "switch pane (also :po :no :ev)",
    ),
    (
        ":deploy :rs :sts :ds :jobs :cj",
        "workloads (enter: their pods)",
    ),
    (
        ":svc :cm :secrets :pdb",
        "services, config, secrets (no values), budgets",
    ),
    (
        ":KIND, tab",
        "any kind the API server serves, CRDs too, with its own columns; tab completes",
    ),
    (
        ":xray KIND",
        "owner tree of deploy, rs, sts, ds, job, cj, svc, node or pod: left/right fold, enter folds, the panes' keys act on the line",
    ),
    (
        ":ctx, :ctx NAME",
        "list the kubeconfig's contexts, switch to one",
    ),
    (
        ":delete-failed",
        "delete every Failed pod (Evicted, Error, ...) in the namespace scope",
    ),
    (
        ":pf",
        "the port-forwards (address → pod:port, connections, bytes, age, last error); ctrl-d stops one",
    ),
    (
        "shift-f dialog",
        "up/down a declared port, digits the local port (default: the same, or a free one), enter starts, esc closes",
    ),
    (
        ": in any view",
        "the command line opens over the view; esc returns to it",
    ),
    (
        "views",
        "j k scroll, g G top and bottom, / searches (n N next and previous), esc closes; YAML: x reveals a Secret, m shows managedFields, c copies; e p s r i ctrl-d change the object shown",
    ),
    (
        "changes",
        "every change says what it will do and waits for y (default no); --readonly refuses all; an object deleted or replaced since it was chosen is refused",
    ),
    (
        "mouse (--mouse)",
        "wheel moves, a click selects a row, a second click opens it",
    ),
    ("ctrl-c", "quit"),
];

/// The help: the keys of every pane, then each pane kind's own, then commands and views.
pub fn help_lines(keymap: &Keymap) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    for context in CONTEXTS {
        let bindings = keymap.bindings(context);
        if bindings.is_empty() {
            continue;
        }
        lines.push((String::new(), String::new()));
        lines.push((format!("{context}:"), String::new()));
        lines.extend(
            bindings
                .into_iter()
                .map(|(keys, does)| (keys, does.to_string())),
        );
    }
    lines.push((String::new(), String::new()));
    lines.push(("commands and views:".to_string(), String::new()));
    lines.extend(
        HELP_COMMANDS
            .iter()
            .map(|(keys, does)| (keys.to_string(), does.to_string())),
    );
    lines.remove(0);
    lines
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
