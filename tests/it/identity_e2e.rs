//! The defects of a row-number selection and of keys falling through views, driven end to end:
//! the built binary in tmux against the simulated cluster (and the demo, under churn).

use crate::support;

use support::simulated::Simulated;
use support::tmux::Tmux;

fn command(kubeconfig: &std::path::Path, env: &str, flags: &str) -> String {
    format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE=/dev/null {env} {} --kubeconfig {} -A {flags}; echo EXPLORER-EXIT=$?; sleep 60",
        env!("CARGO_BIN_EXE_kscope"),
        kubeconfig.display()
    )
}

/// Types `text` one key at a time.
fn type_text(tmux: &Tmux, text: &str) {
    let keys: Vec<String> = text.chars().map(|c| c.to_string()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    tmux.keys(&keys);
}

/// The title of the describe view on screen (`pod shop/cart-…`).
fn describe_title(screen: &str) -> String {
    screen
        .lines()
        .find_map(|line| {
            let start = line.find("┌ ")? + "┌ ".len();
            let rest = &line[start..];
            let end = rest.find(" ─")?;
            Some(rest[..end].to_string())
        })
        .unwrap_or_default()
}

/// The NAMESPACE and NAME of the row drawn in reverse video (the cursor), from a capture with
/// its attributes.
fn cursor_row(tmux: &Tmux) -> Option<(String, String)> {
    let screen = tmux.run(&["capture-pane", "-p", "-e", "-t", "e2e"]);
    // A table row (inside the pane's border) drawn reversed; the header's title is reversed too.
    let plain = screen
        .lines()
        .filter(|line| line.contains("\u{1b}[7m"))
        .map(strip_escapes)
        .find(|plain| plain.starts_with('│'))?;
    let mut words = plain
        .trim_matches(|c: char| c == '│' || c.is_whitespace())
        .split_whitespace();
    Some((words.next()?.to_string(), words.next()?.to_string()))
}

fn strip_escapes(line: &str) -> String {
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: up to and including the final letter.
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn a_filtered_selection_is_the_object_described_after_the_filter_is_cleared() {
    let simulated = Simulated::start();
    let tmux = Tmux::start("identity-filter", &command(&simulated.kubeconfig, "", ""));
    tmux.wait_for("live");
    tmux.wait_for("Pods [");
    tmux.keys(&["/"]);
    type_text(&tmux, "cart");
    tmux.keys(&["Enter", "j"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let chosen = cursor_row(&tmux).expect("a row under the cursor");
    assert!(chosen.1.starts_with("cart-"), "{chosen:?}");
    tmux.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        cursor_row(&tmux),
        Some(chosen.clone()),
        "esc clears the filter and keeps the cursor"
    );
    tmux.keys(&["d"]);
    let screen = tmux.wait_for("Name:");
    assert_eq!(
        describe_title(&screen),
        format!("pod {}/{}", chosen.0, chosen.1),
        "{screen}"
    );
    simulated.stop();
}

#[test]
fn marks_stay_with_their_kind_and_the_delete_names_the_selected_deployment() {
    let simulated = Simulated::start();
    let tmux = Tmux::start("identity-marks", &command(&simulated.kubeconfig, "", ""));
    tmux.wait_for("live");
    tmux.keys(&[":"]);
    type_text(&tmux, "svc");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Services [");
    tmux.keys(&["/"]);
    type_text(&tmux, "web");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Services [1]");
    tmux.keys(&["Space"]);
    tmux.wait_for("1 marked");
    tmux.keys(&[":"]);
    type_text(&tmux, "deploy");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Deployments [");
    assert!(!screen.contains("marked"), "{screen}");
    tmux.keys(&["/"]);
    type_text(&tmux, "cart");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Deployments [1]");
    tmux.keys(&["C-d", "Enter"]);
    let screen = tmux.wait_for("delete 1 object");
    assert!(screen.contains("deployment shop/cart"), "{screen}");
    assert!(!screen.contains("deployment shop/web"), "{screen}");
    tmux.keys(&["n"]);
    tmux.wait_for("delete cancelled");
    simulated.stop();
}

#[test]
fn a_command_typed_in_a_view_runs_and_no_key_reaches_the_pane() {
    let simulated = Simulated::start();
    let marker = simulated.dir.path().join("editor-ran");
    // An editor that leaves a trace: it must never run.
    let env = format!("EDITOR='touch {}'", marker.display());
    let tmux = Tmux::start("identity-views", &command(&simulated.kubeconfig, &env, ""));
    tmux.wait_for("live");
    tmux.wait_for("Pods [");
    for (view, open, shown) in [
        ("describe", "d", "Name:"),
        ("explain", "x", "Why "),
        ("yaml", "y", "apiVersion"),
    ] {
        tmux.keys(&[":"]);
        type_text(&tmux, "pods");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Pods [");
        tmux.keys(&[open]);
        tmux.wait_for(shown);
        tmux.keys(&[":"]);
        type_text(&tmux, "deploy");
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for("Deployments [");
        assert!(!screen.contains(shown), "{view}: the view closed\n{screen}");
        assert!(!marker.exists(), "{view}: the editor ran");
    }
    simulated.stop();
}

#[test]
fn esc_after_a_drill_down_returns_to_the_node_it_came_from() {
    let simulated = Simulated::start();
    let tmux = Tmux::start("identity-history", &command(&simulated.kubeconfig, "", ""));
    tmux.wait_for("live");
    tmux.keys(&[":"]);
    type_text(&tmux, "nodes");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Nodes [");
    tmux.keys(&["j", "j"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Pods on ");
    let node = screen
        .lines()
        .find_map(|line| {
            let rest = &line[line.find("Pods on ")? + "Pods on ".len()..];
            rest.split_whitespace().next().map(str::to_string)
        })
        .unwrap();
    assert!(
        screen.contains(&format!("Nodes › {node} › Pods")),
        "{screen}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("Nodes [");
    tmux.keys(&["d"]);
    let screen = tmux.wait_for("Name:");
    assert_eq!(describe_title(&screen), format!("node {node}"), "{screen}");
    tmux.keys(&["Escape", "-"]);
    tmux.wait_for(&format!("Pods on {node}"));
    simulated.stop();
}

#[test]
fn the_footer_follows_the_keymap_and_read_only_shows_in_the_header() {
    let simulated = Simulated::start();
    let keymap = simulated.dir.path().join("keymap.yaml");
    std::fs::write(&keymap, "quit: [ctrl-x]\nnodes:\n  drain: [D]\n").unwrap();
    let env = format!("KSCOPE_KEYMAP={}", keymap.display());
    let tmux = Tmux::start(
        "identity-keys",
        &command(&simulated.kubeconfig, &env, "--readonly"),
    );
    let screen = tmux.wait_for("live");
    assert!(
        screen.lines().next().unwrap().contains("read-only"),
        "{screen}"
    );
    let screen = tmux.wait_for("ctrl-x quit");
    assert!(!screen.contains(" q quit"), "{screen}");
    tmux.keys(&[":"]);
    type_text(&tmux, "nodes");
    tmux.keys(&["Enter"]);
    tmux.wait_for("D drain");
    tmux.keys(&["D"]);
    tmux.wait_for("read-only: drain refused");
    tmux.keys(&["C-x"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn under_churn_the_cursor_stays_on_its_pod_with_no_key_pressed() {
    let command = format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE=/dev/null {} demo --churn 25; echo EXPLORER-EXIT=$?; sleep 60",
        env!("CARGO_BIN_EXE_kscope")
    );
    let tmux = Tmux::start("identity-churn", &command);
    tmux.wait_for("live");
    tmux.wait_for("Pods [");
    // The control plane's etcd is never churned: choose it, then show every pod again.
    tmux.keys(&["/"]);
    type_text(&tmux, "etcd-cp");
    tmux.keys(&["Enter"]);
    tmux.wait_for("filter: etcd-cp");
    tmux.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let chosen = cursor_row(&tmux).expect("a row under the cursor");
    assert!(chosen.1.starts_with("etcd-"), "{chosen:?}");
    for _ in 0..8 {
        std::thread::sleep(std::time::Duration::from_secs(1));
        assert_eq!(cursor_row(&tmux), Some(chosen.clone()));
    }
    tmux.keys(&["d"]);
    let screen = tmux.wait_for("Name:");
    assert_eq!(
        describe_title(&screen),
        format!("pod {}/{}", chosen.0, chosen.1)
    );
    tmux.keys(&["q", "q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
}

#[test]
fn a_hanging_api_server_during_an_edit_leaves_keys_and_frames_responsive() {
    use support::proxy::FaultyProxy;
    let simulated = Simulated::start();
    let (proxy, kubeconfig) = FaultyProxy::before(&simulated);
    let marker = simulated.dir.path().join("editor-ran");
    let env = format!("EDITOR='touch {}'", marker.display());
    let tmux = Tmux::start("identity-hang", &command(&kubeconfig, &env, ""));
    tmux.wait_for("live");
    tmux.keys(&[":"]);
    type_text(&tmux, "deploy");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Deployments [");
    std::thread::sleep(std::time::Duration::from_millis(500));

    // From here the API server answers nothing: `e` asks for the object, and waits.
    proxy.hold();
    tmux.keys(&["e"]);
    tmux.wait_for("Fetching the object");
    // Keys and frames go on while the answer is held back: esc cancels, panes switch.
    tmux.keys(&["Escape"]);
    tmux.keys(&[":"]);
    type_text(&tmux, "nodes");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Nodes [");
    assert!(!screen.contains("Fetching the object"), "{screen}");
    tmux.keys(&["j", "k"]);
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (esc to close");
    tmux.keys(&["Escape"]);

    // The late answer, once the server answers again, opens no editor on a cancelled edit.
    proxy.release();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let screen = tmux.wait_for("Nodes [");
    assert!(
        !marker.exists(),
        "the editor ran for a cancelled edit\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}
