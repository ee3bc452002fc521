//! The built binary in a real pseudo-terminal (tmux) against the simulated cluster: it opens,
//! moves between panes, filters, explains, quits, and leaves the terminal as it found it.

use crate::support;

use std::process::Command;

use support::simulated::Simulated;
use support::tmux::Tmux;

#[test]
fn explore_filter_explain_and_quit_cleanly() {
    assert!(
        Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success()),
        "these tests drive the binary through tmux: install it (apt-get install tmux)"
    );
    let simulated = Simulated::start();
    let log = simulated.dir.path().join("kscope.log");
    let command = format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE={} {} --kubeconfig {} -A; echo EXPLORER-EXIT=$?; sleep 60",
        log.display(),
        env!("CARGO_BIN_EXE_kscope"),
        simulated.kubeconfig.display()
    );
    let tmux = Tmux::start("e2e", &command);

    let screen = tmux.wait_for("live");
    assert!(screen.contains("Pods ["), "{screen}");
    tmux.wait_for("SchedulingGated");

    tmux.keys(&[":", "n", "o", "Enter"]);
    let screen = tmux.wait_for("Nodes [6]");
    assert!(
        screen.contains("Ready,SchedulingDisabled") && screen.contains("NotReady"),
        "{screen}"
    );

    // The filter reads the whole row: `5` is in every node's VERSION, `r-5` only in a name.
    tmux.keys(&["/", "r", "-", "5", "Enter"]);
    let screen = tmux.wait_for("Nodes [1]");
    assert!(screen.contains("worker-5"), "{screen}");

    tmux.keys(&["x"]);
    let screen = tmux.wait_for("Why node worker-5 is NotReady");
    assert!(screen.contains("node-monitor-grace-period"), "{screen}");

    tmux.keys(&[
        "Escape", "Escape", ":", "p", "o", "Enter", "/", "o", "r", "d", "e", "r", "s", "Enter",
    ]);
    let screen = tmux.wait_for("Init:CrashLoopBackOff");
    assert!(screen.contains("orders-0"), "{screen}");

    // Any kind the API server serves, with its own columns (here a custom resource's).
    tmux.keys(&[
        "Escape", ":", "c", "e", "p", "h", "c", "l", "u", "s", "t", "e", "r", "s", "Enter",
    ]);
    let screen = tmux.wait_for("CephCluster [2]");
    assert!(
        screen.contains("MONCOUNT") && screen.contains("HEALTH_WARN"),
        "{screen}"
    );
    // Its YAML is fetched whole through the discovered resource.
    tmux.keys(&["y"]);
    tmux.wait_for("apiVersion: ceph.rook.io/v1");
    tmux.keys(&["Escape"]);

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXPLORER-EXIT=0");
    // Back on the normal screen: nothing of the explorer is left, and the cursor is shown.
    assert!(!screen.contains("Pods ["), "{screen}");
    assert_eq!(
        tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "0"
    );
    assert_eq!(
        tmux.run(&["display-message", "-p", "-t", "e2e", "#{cursor_flag}"])
            .trim(),
        "1"
    );

    // The log went to its file, not the screen.
    let logged = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(logged.contains("session started"), "{logged}");
    assert!(logged.contains("first frame drawn"), "{logged}");
    assert!(!screen.contains("session started"), "{screen}");

    simulated.stop();
}

#[test]
fn a_bad_context_is_one_line_before_any_screen_change() {
    let output = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["--kubeconfig", "/nonexistent/kubeconfig"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains('\x1b'),
        "no escape sequences were written"
    );
}

#[test]
fn a_bad_keymap_is_one_line_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let keymap = dir.path().join("keymap.yaml");
    std::fs::write(&keymap, "teleport: [t]\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .arg("demo")
        .env("KSCOPE_KEYMAP", &keymap)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "keymap {}: unknown action \"teleport\"",
            keymap.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_views_file_is_one_line_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let views = dir.path().join("views.yaml");
    std::fs::write(
        &views,
        "views:\n  nodes:\n    columns: [NAME, 'TAINTS:.spec.taints[']\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .arg("demo")
        .env("KSCOPE_VIEWS", &views)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "views {}: views.nodes.columns[1] \"TAINTS:.spec.taints[\": \".spec.taints[\" is not a JSONPath expression",
            views.display()
        )),
        "{stderr}"
    );
}

#[test]
fn every_signal_that_ends_the_explorer_restores_the_terminal_first() {
    for signal in ["INT", "QUIT", "USR1", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let modes = dir.path().join("stty");
        let log = dir.path().join("kscope.log");
        let command = format!(
            "KSCOPE_LOG_FILE={} {} demo --churn 0; stty -a > {}; echo SIGNALLED-EXIT; sleep 60",
            log.display(),
            env!("CARGO_BIN_EXE_kscope"),
            modes.display()
        );
        let tmux = Tmux::start(&format!("signal-{signal}"), &command);
        tmux.wait_for("live");
        let shell = tmux.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]);
        let pid = std::process::Command::new("pgrep")
            .args(["-P", shell.trim(), "kscope"])
            .output()
            .expect("pgrep runs");
        let pid = String::from_utf8_lossy(&pid.stdout).trim().to_string();
        assert!(!pid.is_empty(), "{signal}: the explorer's process");
        std::process::Command::new("kill")
            .args([format!("-{signal}"), pid])
            .status()
            .expect("kill runs");
        tmux.wait_for("SIGNALLED-EXIT");
        let modes = std::fs::read_to_string(&modes).unwrap();
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                modes.split_whitespace().any(|m| m == mode),
                "{signal}: {mode} is back on: {modes}"
            );
        }
        let screen = tmux.screen();
        assert!(
            !screen.contains("Pods ["),
            "{signal}: the alternate screen is left\n{screen}"
        );
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
            0o600,
            "the log is private"
        );
    }
}
