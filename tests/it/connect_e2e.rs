//! Connecting, end to end against the simulated cluster: a slow credential plugin leaves the
//! screen answering (on `:ctx` and at start), each reason a server is not reached reads
//! differently (refused, unknown authority, unreadable CA data, a refused token), and `:ctx`
//! of the current context reads a rotated token from the kubeconfig.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support;
use support::simulated::Simulated;
use support::tmux::Tmux;

/// One kubeconfig context: its name, server, certificate authority data (base64) and the
/// YAML of its user (indented under `user:`).
struct Context<'a> {
    name: &'a str,
    server: &'a str,
    ca: &'a str,
    user: String,
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Writes a kubeconfig of `contexts` (each with its own cluster and user), the first current.
fn write_kubeconfig(path: &Path, contexts: &[Context<'_>]) {
    let mut clusters = String::new();
    let mut named = String::new();
    let mut users = String::new();
    for context in contexts {
        let name = context.name;
        clusters.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: {}\n    certificate-authority-data: {}\n",
            context.server, context.ca
        ));
        named.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n    namespace: default\n"
        ));
        users.push_str(&format!("- name: {name}\n  user:\n{}", context.user));
    }
    std::fs::write(
        path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: {}\nclusters:\n{clusters}contexts:\n{named}users:\n{users}",
            contexts[0].name
        ),
    )
    .unwrap();
}

fn token_user(token: &str) -> String {
    format!("    token: {token}\n")
}

/// A user whose token comes from `script`, an exec credential plugin.
fn plugin_user(script: &Path) -> String {
    format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n",
        script.display()
    )
}

/// A credential plugin that says it started (`started`), waits until the test opens `gate`
/// (failing after 15 s, so a test that never opens it still ends), then gives `token`.
fn gated_plugin(dir: &Path, token: &str) -> (PathBuf, PathBuf, PathBuf) {
    let (script, started, gate) = (
        dir.join("plugin.sh"),
        dir.join("plugin-started"),
        dir.join("gate"),
    );
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntouch {started}\ni=0\nwhile [ ! -e {gate} ]; do\n  i=$((i+1)); [ $i -gt 150 ] && exit 1\n  sleep 0.1\ndone\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"%s\"}}}}\\n' {token}\n",
            started = started.display(),
            gate = gate.display(),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    (script, started, gate)
}

/// Waits for `path` to exist (or fails after 15 s).
fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn explorer(dir: &Path, kubeconfig: &Path, args: &str) -> String {
    format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE={} {} --kubeconfig {} {args}; echo EXPLORER-EXIT=$?; sleep 60",
        dir.join("kscope.log").display(),
        env!("CARGO_BIN_EXE_kscope"),
        kubeconfig.display()
    )
}

/// Types `text` into the explorer, a key at a time.
fn type_text(tmux: &Tmux, text: &str) {
    let keys: Vec<String> = text
        .chars()
        .map(|c| {
            if c == ' ' {
                "Space".into()
            } else {
                c.to_string()
            }
        })
        .collect();
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_slow_credential_plugin_leaves_the_screen_answering_while_it_works() {
    let simulated = Simulated::start();
    let dir = simulated.dir.path();
    let (script, started, gate) = gated_plugin(dir, &simulated.sim.token);
    let ca = base64(simulated.sim.ca_pem.as_bytes());
    let kubeconfig = dir.join("contexts");
    write_kubeconfig(
        &kubeconfig,
        &[
            Context {
                name: "sim",
                server: &simulated.sim.url,
                ca: &ca,
                user: token_user(&simulated.sim.token),
            },
            Context {
                name: "slow",
                server: &simulated.sim.url,
                ca: &ca,
                user: plugin_user(&script),
            },
        ],
    );
    let tmux = Tmux::start("slow-plugin", &explorer(dir, &kubeconfig, ""));
    tmux.wait_for("live");

    tmux.keys(&[":"]);
    type_text(&tmux, "ctx slow");
    tmux.keys(&["Enter"]);
    tmux.wait_for("→ slow authenticating…");
    wait_for_file(&started);
    // The plugin waits for the gate, which is still shut: keys typed now are answered on the
    // screen, so the loop is neither blocked nor starved while the plugin works.
    tmux.keys(&[":"]);
    type_text(&tmux, "typed");
    let screen = tmux.wait_for(":typed");
    assert!(screen.contains("→ slow authenticating…"), "{screen}");
    assert!(
        screen.contains("ctx sim"),
        "the old cluster is still shown: {screen}"
    );
    tmux.keys(&["Escape"]);

    std::fs::write(&gate, "").unwrap();
    tmux.wait_for("switched to context slow");
    let screen = tmux.wait_for("live");
    assert!(screen.contains("ctx slow"), "{screen}");
    assert!(!screen.contains("authenticating"), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn a_slow_credential_plugin_at_start_is_named_and_ctrl_c_ends_the_wait() {
    let simulated = Simulated::start();
    let dir = simulated.dir.path();
    let (script, started, _gate) = gated_plugin(dir, &simulated.sim.token);
    let kubeconfig = dir.join("slow");
    write_kubeconfig(
        &kubeconfig,
        &[Context {
            name: "slow",
            server: &simulated.sim.url,
            ca: &base64(simulated.sim.ca_pem.as_bytes()),
            user: plugin_user(&script),
        }],
    );
    let tmux = Tmux::start("slow-start", &explorer(dir, &kubeconfig, ""));
    // ctrl-c ends the shell around the explorer too: keep the pane to read it after.
    tmux.run(&["set-option", "-g", "remain-on-exit", "on"]);
    wait_for_file(&started);
    // The screen is not open yet (the kubeconfig is checked first); what is awaited is said.
    let screen = tmux.wait_for("kscope: waiting for credential plugin");
    assert!(
        screen.contains(&format!(
            "waiting for credential plugin \"{}\" of context \"slow\" (ctrl-c stops)",
            script.display()
        )),
        "{screen}"
    );
    let shell = tmux.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]);
    let pid = std::process::Command::new("pgrep")
        .args(["-P", shell.trim(), "kscope"])
        .output()
        .expect("pgrep runs");
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_string();
    assert!(!pid.is_empty(), "the explorer's process");

    tmux.keys(&["C-c"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(Instant::now() < deadline, "ctrl-c did not end the explorer");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "0",
        "the screen was never taken"
    );
    simulated.stop();
}

/// The simulated cluster and a kubeconfig of contexts that fail.
struct Failing {
    simulated: Simulated,
    kubeconfig: PathBuf,
    dir: PathBuf,
    /// The port nothing listens on.
    closed: u16,
}

/// A kubeconfig whose contexts fail each in its own way: `refused` (a closed port),
/// `stranger` (another certificate authority), `unreadable` (CA data that is no certificate),
/// `wrong-token` (refused by the server); and `sim`, which works.
fn failing_contexts(simulated: Simulated) -> Failing {
    let dir = simulated.dir.path().to_path_buf();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = format!("https://127.0.0.1:{port}");
    let ca = base64(simulated.sim.ca_pem.as_bytes());
    let stranger = rcgen::generate_simple_self_signed(vec!["stranger".to_string()]).unwrap();
    let stranger = base64(stranger.cert.pem().as_bytes());
    let url = &simulated.sim.url;
    let token = token_user(&simulated.sim.token);
    let kubeconfig = dir.join("failing");
    write_kubeconfig(
        &kubeconfig,
        &[
            Context {
                name: "sim",
                server: url,
                ca: &ca,
                user: token.clone(),
            },
            Context {
                name: "refused",
                server: &refused,
                ca: &ca,
                user: token.clone(),
            },
            Context {
                name: "stranger",
                server: url,
                ca: &stranger,
                user: token.clone(),
            },
            Context {
                name: "unreadable",
                server: url,
                ca: &base64(b"not a certificate"),
                user: token.clone(),
            },
            Context {
                name: "wrong-token",
                server: url,
                ca: &ca,
                user: token_user("wrong"),
            },
        ],
    );
    Failing {
        simulated,
        kubeconfig,
        dir,
        closed: port,
    }
}

const UNKNOWN_AUTHORITY: &str =
    "tls: failed to verify certificate: x509: certificate signed by unknown authority";
const UNAUTHORIZED: &str = "You must be logged in to the server (Unauthorized)";
const UNREADABLE: &str =
    "cannot read certificate-authority-data of cluster \"unreadable\": no PEM certificate in it";

#[test]
fn each_reason_a_server_is_not_reached_reads_differently_on_one_line() {
    let failing = failing_contexts(Simulated::start());
    let kubeconfig = failing.kubeconfig.to_str().unwrap();
    let refused = format!("connection refused (127.0.0.1:{})", failing.closed);
    for (context, says) in [
        ("refused", refused.as_str()),
        ("stranger", UNKNOWN_AUTHORITY),
        ("unreadable", UNREADABLE),
        ("wrong-token", UNAUTHORIZED),
    ] {
        let output = support::kscope(
            &[
                "explain",
                "node/worker-1",
                "--kubeconfig",
                kubeconfig,
                "--context",
                context,
            ],
            "",
            &[],
        );
        support::assert_one_line_error(&output, says);
        let error = support::stderr(&output);
        assert!(
            !error.contains("client error (Connect)") && !error.contains("Status {"),
            "{context}: {error}"
        );
    }
    failing.simulated.stop();
}

#[test]
fn each_reason_reads_differently_in_the_explorer_and_ctx_reloads_a_rotated_token() {
    let failing = failing_contexts(Simulated::start());
    let tmux = Tmux::start_sized(
        "failures",
        &explorer(&failing.dir, &failing.kubeconfig, ""),
        220,
        30,
    );
    tmux.wait_for("live");
    let refused = format!(
        "list pods: cannot reach the API server: connection refused (127.0.0.1:{})",
        failing.closed
    );
    let stranger = format!("list pods: cannot reach the API server: {UNKNOWN_AUTHORITY}");
    let unauthorized = format!("list pods: {UNAUTHORIZED}");
    for (context, says) in [
        ("refused", &refused),
        ("stranger", &stranger),
        ("wrong-token", &unauthorized),
    ] {
        tmux.keys(&[":"]);
        type_text(&tmux, &format!("ctx {context}"));
        tmux.keys(&["Enter"]);
        tmux.wait_for(&format!("switched to context {context}"));
        // The watches fail and the header says why.
        let screen = tmux.wait_for(says);
        assert!(screen.contains(&format!("ctx {context}")), "{screen}");
        assert!(!screen.contains("client error (Connect)"), "{screen}");
    }

    // The screen stays on wrong-token (its watches failing with a 401), and unreadable CA
    // data refuses the switch before anything is sent.
    tmux.keys(&[":"]);
    type_text(&tmux, "ctx unreadable");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!(
        "context not switched: context \"unreadable\" in kubeconfig {}: {UNREADABLE}",
        failing.kubeconfig.display()
    ));

    // The token is rotated in the file; `:ctx` of the current context reads it again.
    let text = std::fs::read_to_string(&failing.kubeconfig).unwrap();
    let rotated = text.replace(
        "token: wrong",
        &format!("token: {}", failing.simulated.sim.token),
    );
    std::fs::write(&failing.kubeconfig, rotated).unwrap();
    tmux.keys(&[":"]);
    type_text(&tmux, "ctx wrong-token");
    tmux.keys(&["Enter"]);
    tmux.wait_for("reloaded the kubeconfig for context wrong-token");
    let screen = tmux.wait_for("live");
    assert!(!screen.contains(UNAUTHORIZED), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    failing.simulated.stop();
}
