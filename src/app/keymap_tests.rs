//! Tests of `keymap.rs`.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn on(keymap: &Keymap, pane: Pane, event: KeyEvent) -> Option<Action> {
    action_in(keymap, event, &Mode::Normal, pane)
}

#[test]
fn the_help_names_every_key_of_the_keymap() {
    let defaults: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        crate::model::yaml::from_str(DEFAULT_KEYMAP).expect("parses");
    let keymap = Keymap::default();
    let help = help_lines(&keymap);
    let mut missing = Vec::new();
    for (context, actions) in &defaults {
        // The help lists a context's keys under its name.
        let start = help
            .iter()
            .position(|(keys, _)| *keys == format!("{context}:"))
            .unwrap_or_else(|| panic!("the help has no section {context}"));
        let section: Vec<&str> = help[start + 1..]
            .iter()
            .take_while(|(keys, _)| !keys.is_empty())
            .flat_map(|(keys, _)| keys.split(' '))
            .collect();
        for (action, keys) in actions {
            for key in keys {
                if !section.contains(&key.as_str()) {
                    missing.push(format!("{context}: {action}: {key}"));
                }
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
        on(&defaults, Pane::Pods, key(KeyCode::Char('j'))),
        Some(Action::Down)
    );
    assert_eq!(
        on(
            &defaults,
            Pane::Pods,
            KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL)
        ),
        Some(Action::PageDown)
    );
    assert_eq!(
        on(&defaults, Pane::Pods, key(KeyCode::Char('M'))),
        Some(Action::Sort(super::super::state::SortColumn::Memory))
    );
    let mut custom = Keymap::default();
    custom
        .apply("down: [n, down]\nquit: [ctrl-x]\n", "test")
        .unwrap();
    assert_eq!(
        on(&custom, Pane::Pods, key(KeyCode::Char('n'))),
        Some(Action::Down)
    );
    assert_eq!(
        on(&custom, Pane::Pods, key(KeyCode::Char('j'))),
        None,
        "an action takes exactly the keys listed"
    );
    assert_eq!(on(&custom, Pane::Pods, key(KeyCode::Char('q'))), None);
    assert_eq!(
        on(
            &custom,
            Pane::Pods,
            KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)
        ),
        Some(Action::Quit)
    );
    assert_eq!(
        on(&custom, Pane::Pods, key(KeyCode::Char('k'))),
        Some(Action::Up),
        "others keep their defaults"
    );
    assert_eq!(custom.keys_for(Pane::Pods, &Action::Quit), ["ctrl-x"]);
}

#[test]
fn a_pane_kind_gives_keys_a_meaning_of_its_own() {
    let keymap = Keymap::default();
    let r = key(KeyCode::Char('r'));
    let space = key(KeyCode::Char(' '));
    assert_eq!(on(&keymap, Pane::Nodes, r), Some(Action::Drain));
    assert_eq!(
        on(
            &keymap,
            Pane::Kind(crate::model::kind::WatchedKind::Deployments),
            r
        ),
        Some(Action::RestartRollout)
    );
    assert_eq!(on(&keymap, Pane::Stream, space), Some(Action::Pause));
    assert_eq!(on(&keymap, Pane::Pods, space), Some(Action::Mark));
    assert_eq!(
        on(&keymap, Pane::Nodes, key(KeyCode::Char('c'))),
        Some(Action::Cordon)
    );
    assert_eq!(
        on(&keymap, Pane::Pods, key(KeyCode::Char('c'))),
        Some(Action::Copy)
    );
    let mut custom = Keymap::default();
    custom.apply("nodes:\n  drain: [D]\n", "test").unwrap();
    assert_eq!(
        on(&custom, Pane::Nodes, key(KeyCode::Char('D'))),
        Some(Action::Drain)
    );
    assert_eq!(
        on(&custom, Pane::Nodes, r),
        Some(Action::RestartRollout),
        "without its own binding, the panes' key holds"
    );
    assert_eq!(custom.keys_for(Pane::Nodes, &Action::Drain), ["D"]);
}

#[test]
fn a_colon_opens_the_command_line_from_any_view_but_is_typed_where_text_is() {
    let keymap = Keymap::default();
    let colon = key(KeyCode::Char(':'));
    let help = Mode::Help { scroll: 0 };
    assert_eq!(
        action_in(&keymap, colon, &help, Pane::Pods),
        Some(Action::CommandMode)
    );
    let filter = Mode::Filter {
        line: Default::default(),
        before: Default::default(),
    };
    assert_eq!(
        action_in(&keymap, colon, &filter, Pane::Pods),
        Some(Action::Type(':'))
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
            .starts_with("keymap /x.yaml: unknown action \"fly\" (actions: command, filter"),
        "{}",
        error("fly: [f]")
    );
    assert_eq!(
        error("up: [ctrl-k]\ndown: [hyper-k]"),
        "keymap /x.yaml: action \"down\": unknown key \"hyper-k\""
    );
    assert!(
        error("- up").starts_with("keymap /x.yaml: expected `action: [keys]`"),
        "{}",
        error("- up")
    );
    assert!(
        error("planets:\n  up: [k]").starts_with("keymap /x.yaml: unknown context \"planets\""),
        "{}",
        error("planets:\n  up: [k]")
    );
    assert_eq!(
        error("nodes:\n  fly: [f]").split(" (").next().unwrap(),
        "keymap /x.yaml: nodes: unknown action \"fly\""
    );
}
