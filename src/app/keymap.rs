//! Keys to actions, with k9s's keys where users' fingers already know them.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::state::{Mode, SortColumn};

/// The default keys, as shipped in assets/keymap.yaml.
const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.yaml");

/// Normal-mode keys: (key, control held) to action.
#[derive(Debug, Clone)]
pub struct Keymap {
    normal: HashMap<(KeyCode, bool), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keymap = Keymap {
            normal: HashMap::new(),
        };
        keymap
            .apply(DEFAULT_KEYMAP, "the built-in keymap")
            .expect("the built-in keymap is valid");
        keymap
    }
}

impl Keymap {
    /// The defaults, overridden by the user's file: `$KSCOPE_KEYMAP`, else `keymap.yaml` in the
    /// config directory. A bad file is an error naming the file and the entry.
    pub fn load() -> Result<Self> {
        let mut keymap = Keymap::default();
        let path = match std::env::var_os("KSCOPE_KEYMAP") {
            Some(path) => Some(PathBuf::from(path)),
            None => directories::ProjectDirs::from("dev", "kscope", "kscope")
                .map(|dirs| dirs.config_dir().join("keymap.yaml")),
        };
        if let Some(path) = path.filter(|p| p.exists()) {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read keymap {}", path.display()))?;
            keymap.apply(&text, &format!("keymap {}", path.display()))?;
        }
        Ok(keymap)
    }

    /// Applies a keymap file's entries: each action named takes exactly the keys listed.
    fn apply(&mut self, text: &str, source: &str) -> Result<()> {
        let entries: std::collections::BTreeMap<String, Vec<String>> = if text.trim().is_empty() {
            Default::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("");
                anyhow!(
                    "{source}: expected `action: [keys]` entries: {}",
                    first.strip_prefix("error: ").unwrap_or(first)
                )
            })?
        };
        for (name, keys) in entries {
            let action = action_named(&name).ok_or_else(|| {
                anyhow!(
                    "{source}: unknown action \"{name}\" (actions: {})",
                    ACTIONS.join(", ")
                )
            })?;
            self.normal.retain(|_, bound| *bound != action);
            for key in keys {
                let parsed = parse_key(&key)
                    .ok_or_else(|| anyhow!("{source}: action \"{name}\": unknown key \"{key}\""))?;
                self.normal.insert(parsed, action.clone());
            }
        }
        Ok(())
    }

    /// The action a key means in the current mode, if any.
    pub fn action_for(&self, key: KeyEvent, mode: &Mode) -> Option<Action> {
        action_in(self, key, mode)
    }
}

/// Action names a keymap file may use.
const ACTIONS: &[&str] = &[
    "quit",
    "up",
    "down",
    "page_up",
    "page_down",
    "top",
    "bottom",
    "enter",
    "back",
    "explain",
    "yaml",
    "describe",
    "copy",
    "help",
    "command",
    "filter",
    "pause",
    "all_namespaces",
    "delete",
    "scale",
    "restart",
    "set_image",
    "trigger_job",
    "uncordon",
    "patch",
    "edit",
    "logs",
    "favourite_1",
    "favourite_2",
    "favourite_3",
    "favourite_4",
    "favourite_5",
    "favourite_6",
    "favourite_7",
    "favourite_8",
    "favourite_9",
    "sort_name",
    "sort_age",
    "sort_status",
    "sort_restarts",
    "sort_cpu",
    "sort_memory",
];

fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "quit" => Action::Quit,
        "up" => Action::Up,
        "down" => Action::Down,
        "page_up" => Action::PageUp,
        "page_down" => Action::PageDown,
        "top" => Action::Top,
        "bottom" => Action::Bottom,
        "enter" => Action::Enter,
        "back" => Action::Back,
        "explain" => Action::Explain,
        "yaml" => Action::Yaml,
        "describe" => Action::Describe,
        "copy" => Action::Copy,
        "help" => Action::Help,
        "command" => Action::CommandMode,
        "filter" => Action::FilterMode,
        "pause" => Action::TogglePause,
        "all_namespaces" => Action::AllNamespaces,
        "delete" => Action::Delete,
        "scale" => Action::Scale,
        "restart" => Action::Restart,
        "set_image" => Action::SetImage,
        "trigger_job" => Action::TriggerJob,
        "uncordon" => Action::Uncordon,
        "patch" => Action::Patch,
        "edit" => Action::Edit,
        "logs" => Action::Logs,
        favourite if favourite.starts_with("favourite_") => {
            let number: u8 = favourite["favourite_".len()..].parse().ok()?;
            if !(1..=9).contains(&number) {
                return None;
            }
            Action::Favourite(number)
        }
        "sort_name" => Action::Sort(SortColumn::Name),
        "sort_age" => Action::Sort(SortColumn::Age),
        "sort_status" => Action::Sort(SortColumn::Status),
        "sort_restarts" => Action::Sort(SortColumn::Restarts),
        "sort_cpu" => Action::Sort(SortColumn::Cpu),
        "sort_memory" => Action::Sort(SortColumn::Memory),
        _ => return None,
    })
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
pub fn action_for(key: KeyEvent, mode: &Mode) -> Option<Action> {
    static DEFAULT: std::sync::OnceLock<Keymap> = std::sync::OnceLock::new();
    action_in(DEFAULT.get_or_init(Keymap::default), key, mode)
}

fn action_in(keymap: &Keymap, key: KeyEvent, mode: &Mode) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
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
        Mode::Command(_) | Mode::Filter(_) | Mode::Prompt { .. } => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Tab => Some(Action::Complete),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        // Changes can start from the object's YAML or description; the view is read again
        // once the change is done.
        Mode::Yaml { .. } | Mode::Describe { .. } if ctrl && key.code == KeyCode::Char('d') => {
            Some(Action::Delete)
        }
        Mode::Yaml { .. } | Mode::Describe { .. }
            if !ctrl && matches!(key.code, KeyCode::Char('e' | 'p' | 's' | 'r' | 'i')) =>
        {
            Some(match key.code {
                KeyCode::Char('e') => Action::Edit,
                KeyCode::Char('p') => Action::Patch,
                KeyCode::Char('s') => Action::Scale,
                KeyCode::Char('r') => Action::Restart,
                _ => Action::SetImage,
            })
        }
        Mode::Yaml { .. } => match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('y') => Some(Action::Back),
            KeyCode::Char('x') => Some(Action::Reveal),
            KeyCode::Char('c') => Some(Action::Copy),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            _ => None,
        },
        Mode::Help { .. } | Mode::Explain { .. } | Mode::Describe { .. } => match key.code {
            KeyCode::Esc
            | KeyCode::Char('q')
            | KeyCode::Char('x')
            | KeyCode::Char('?')
            | KeyCode::Char('d') => Some(Action::Back),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            _ => None,
        },
        Mode::Logs(_) | Mode::Drain(_) => Some(Action::Key(key)),
        Mode::Containers { .. } => match key.code {
            KeyCode::Char('l') => Some(Action::Logs),
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::Char('x') => Some(Action::Explain),
            _ => None,
        },
        Mode::Fetching { .. } => match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            _ => None,
        },
        Mode::Normal => keymap.normal.get(&(key.code, ctrl)).cloned(),
    }
}

/// The keys the footer and the help view list, per mode: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    (
        ":",
        "type a command: a pane or kind (below), :ctx, :delete-failed, :q",
    ),
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
        "j k / up down, g G / home end, ctrl-f ctrl-b / pagedown pageup",
        "move",
    ),
    (
        "enter",
        "drill down: node or workload -> its pods; namespace -> scope; pod -> containers and events",
    ),
    ("x", "explain why the selected object shows its status"),
    (
        "d",
        "describe the selected object, as kubectl describe does",
    ),
    (
        "y",
        "YAML of the selected object (Secrets masked; x reveals)",
    ),
    (
        "c",
        "copy the name, or the YAML shown, to the clipboard (OSC 52); on nodes: cordon",
    ),
    (
        "/",
        "filter by name; /-l app=web label selector; /-f status.phase=Running field selector (esc clears)",
    ),
    (
        ":KIND, tab",
        "any kind the API server serves, CRDs too, with its own columns; tab completes",
    ),
    (
        ":ctx, :ctx NAME",
        "list the kubeconfig's contexts, switch to one",
    ),
    (
        "0, 1-9",
        "all namespaces; favourite namespaces (the ones chosen in :ns)",
    ),
    (
        "N A S R C M (shift)",
        "sort by name, age, status, restarts, cpu, memory (again: reverse)",
    ),
    (
        "l",
        "follow logs: a pod (all containers), a container (in enter's view), a workload's pods",
    ),
    ("s", "scale a deployment, statefulset or replicaset"),
    (
        "r",
        "restart a rollout; on a node: drain it (options, plan, confirm, live progress)",
    ),
    ("c / u (nodes)", "cordon / uncordon the node"),
    ("i", "set a container's image (container=image)"),
    ("t", "create a Job from the selected CronJob now"),
    (
        "p",
        "patch: strategic, merge or JSON; in $EDITOR or inline; dry-run diff first",
    ),
    (
        "e",
        "edit the whole object in $EDITOR; dry-run diff first; a conflict offers re-apply",
    ),
    (
        "space",
        "mark for delete (on the stream pane: pause / resume)",
    ),
    (
        "ctrl-d",
        "delete the marked objects, or the selected one (grace period, ! forces)",
    ),
    (
        ":delete-failed",
        "delete every Failed pod (Evicted, Error, ...) in the namespace scope",
    ),
    (
        "changes",
        "every change says what it will do and waits for y (default no); --readonly refuses all; from a YAML or describe view, the view is read again when it is done",
    ),
    ("esc", "back"),
    (
        "mouse (--mouse)",
        "wheel moves, a click selects a row, a second click opens it",
    ),
    ("?", "this help"),
    ("q, ctrl-c", "quit"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_help_names_every_key_of_the_keymap() {
        let defaults: std::collections::BTreeMap<String, Vec<String>> =
            serde_saphyr::from_str(include_str!("../../assets/keymap.yaml")).expect("parses");
        let named: Vec<String> = HELP
            .iter()
            .flat_map(|(keys, _)| {
                keys.split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|k| !k.is_empty())
                    .map(str::to_string)
            })
            .collect();
        let mut missing = Vec::new();
        for (action, keys) in &defaults {
            for key in keys {
                // `1`-`9` are listed as a range, the shifted sort keys as letters.
                let listed = named.iter().any(|n| n == key)
                    || (key.len() == 1
                        && key.chars().all(|c| c.is_ascii_digit())
                        && named.iter().any(|n| n == "1-9"));
                if !listed {
                    missing.push(format!("{action}: {key}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys the help does not list: {missing:?}"
        );
    }

    #[test]
    fn defaults_and_overrides() {
        let defaults = Keymap::default();
        assert_eq!(
            defaults.action_for(key(KeyCode::Char('j')), &Mode::Normal),
            Some(Action::Down)
        );
        assert_eq!(
            defaults.action_for(
                KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
                &Mode::Normal
            ),
            Some(Action::PageDown)
        );
        assert_eq!(
            defaults.action_for(key(KeyCode::Char('M')), &Mode::Normal),
            Some(Action::Sort(SortColumn::Memory))
        );
        let mut custom = Keymap::default();
        custom
            .apply("down: [n, down]\nquit: [ctrl-x]\n", "test")
            .unwrap();
        assert_eq!(
            custom.action_for(key(KeyCode::Char('n')), &Mode::Normal),
            Some(Action::Down)
        );
        assert_eq!(
            custom.action_for(key(KeyCode::Char('j')), &Mode::Normal),
            None,
            "an action takes exactly the keys listed"
        );
        assert_eq!(
            custom.action_for(key(KeyCode::Char('q')), &Mode::Normal),
            None
        );
        assert_eq!(
            custom.action_for(
                KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL),
                &Mode::Normal
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            custom.action_for(key(KeyCode::Char('k')), &Mode::Normal),
            Some(Action::Up),
            "others keep their defaults"
        );
    }

    #[test]
    fn bad_files_say_what_and_where() {
        let error = |text: &str| {
            Keymap::default()
                .apply(text, "keymap /x.yaml")
                .unwrap_err()
                .to_string()
        };
        assert!(
            error("fly: [f]")
                .starts_with("keymap /x.yaml: unknown action \"fly\" (actions: quit, up"),
            "{}",
            error("fly: [f]")
        );
        assert_eq!(
            error("up: [ctrl-k]\ndown: [hyper-k]"),
            "keymap /x.yaml: action \"down\": unknown key \"hyper-k\""
        );
        assert!(
            error("- up").starts_with("keymap /x.yaml: expected `action: [keys]` entries"),
            "{}",
            error("- up")
        );
    }
}
