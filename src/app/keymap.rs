//! Keys to actions, with k9s's keys where users' fingers already know them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::state::{Mode, SortColumn};

/// The action a key means in the current mode, if any.
pub fn action_for(key: KeyEvent, mode: &Mode) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Command(_) | Mode::Filter(_) => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
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
        Mode::Help | Mode::Explain { .. } | Mode::Describe { .. } => match key.code {
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
        Mode::Normal => match key.code {
            KeyCode::Char('f') if ctrl => Some(Action::PageDown),
            KeyCode::Char('b') if ctrl => Some(Action::PageUp),
            KeyCode::Char('q') => Some(Action::Quit),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            KeyCode::Char('G') | KeyCode::End => Some(Action::Bottom),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Char('x') => Some(Action::Explain),
            KeyCode::Char('y') => Some(Action::Yaml),
            KeyCode::Char('d') => Some(Action::Describe),
            KeyCode::Char('c') => Some(Action::Copy),
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char(':') => Some(Action::CommandMode),
            KeyCode::Char('/') => Some(Action::FilterMode),
            KeyCode::Char(' ') => Some(Action::TogglePause),
            KeyCode::Char('0') => Some(Action::AllNamespaces),
            KeyCode::Char('N') => Some(Action::Sort(SortColumn::Name)),
            KeyCode::Char('A') => Some(Action::Sort(SortColumn::Age)),
            KeyCode::Char('S') => Some(Action::Sort(SortColumn::Status)),
            KeyCode::Char('R') => Some(Action::Sort(SortColumn::Restarts)),
            KeyCode::Char('C') => Some(Action::Sort(SortColumn::Cpu)),
            KeyCode::Char('M') => Some(Action::Sort(SortColumn::Memory)),
            _ => None,
        },
    }
}

/// The keys the footer and the help view list, per mode: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
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
    ("j k / arrows, g G, ctrl-f ctrl-b", "move"),
    (
        "enter",
        "drill down: node, namespace or workload -> its pods; pod -> explain",
    ),
    ("x", "explain why the selected object shows its status"),
    (
        "y",
        "YAML of the selected object (Secrets masked; x reveals)",
    ),
    (
        "c",
        "copy the name, or the YAML shown, to the clipboard (OSC 52)",
    ),
    ("/", "filter by name (esc clears)"),
    ("0", "all namespaces"),
    (
        "N A S R C M (shift)",
        "sort pods by name, age, status, restarts, cpu, memory (again: reverse)",
    ),
    ("space", "pause / resume the watch stream"),
    ("esc", "back"),
    ("?", "this help"),
    ("q, ctrl-c", "quit"),
];
