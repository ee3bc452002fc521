//! The built binary in tmux against the simulator: `s` hands the screen to a shell in the
//! selected pod's container and `exit` gives it back intact; `a` attaches to a container
//! whose process reads stdin.

use crate::support;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, PostParams};
use support::simulated::Simulated;
use support::tmux::Tmux;

/// A running pod of `app=web` in shop.
fn web_pod(simulated: &Simulated) -> String {
    let pods: Api<Pod> = Api::namespaced(simulated.client(), "shop");
    let list = simulated
        .runtime
        .block_on(
            pods.list(
                &ListParams::default()
                    .labels("app=web")
                    .fields("status.phase=Running"),
            ),
        )
        .unwrap();
    list.items[0].metadata.name.clone().unwrap()
}

fn explorer(simulated: &Simulated, namespace: &str) -> String {
    format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE={} {} --kubeconfig {} -n {namespace}; echo EXPLORER-EXIT=$?; sleep 60",
        simulated.dir.path().join("kscope.log").display(),
        env!("CARGO_BIN_EXE_kscope"),
        simulated.kubeconfig.display()
    )
}

#[test]
fn s_opens_a_shell_in_the_pod_and_exit_returns_to_the_explorer() {
    let simulated = Simulated::start();
    let pod = web_pod(&simulated);
    let tmux = Tmux::start("shell", &explorer(&simulated, "shop"));
    tmux.wait_for("live");
    let mut keys = vec!["/".to_string()];
    keys.extend(pod.chars().map(String::from));
    keys.push("Enter".into());
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    tmux.wait_for(") [1]");
    tmux.keys(&["s"]);
    // nginx's image has bash: its prompt names the user and the host (the pod).
    let screen = tmux.wait_for(&format!("root@{pod}:/#"));
    assert!(
        !screen.contains("Pods ["),
        "the explorer left the screen:\n{screen}"
    );
    tmux.keys(&["ls /etc", "Enter"]);
    tmux.wait_for("resolv.conf");
    // The shell's terminal is the screen's size, and follows it when the window is resized.
    tmux.keys(&["stty size", "Enter"]);
    tmux.wait_for("\n30 100\n");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.keys(&["stty size", "Enter"]);
    tmux.wait_for("\n40 120\n");
    tmux.keys(&["exit", "Enter"]);
    let screen = tmux.wait_for(") [1]");
    assert!(
        screen.contains(&format!("shell in shop/{pod} (nginx) ended")),
        "{screen}"
    );
    assert!(
        !screen.contains("resolv.conf"),
        "the shell's output is left on the explorer:\n{screen}"
    );
    // The keys are the explorer's again.
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn a_attaches_to_a_process_reading_stdin_and_ctrl_p_ctrl_q_detaches() {
    let simulated = Simulated::start();
    let pods: Api<Pod> = Api::namespaced(simulated.client(), "default");
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "toolbox", "namespace": "default"},
        "spec": {"containers": [{"name": "toolbox", "image": "busybox:1.36", "command": ["sh"], "stdin": true, "tty": true}]}
    }))
    .unwrap();
    simulated
        .runtime
        .block_on(pods.create(&PostParams::default(), &pod))
        .unwrap();
    let tmux = Tmux::start("attach", &explorer(&simulated, "default"));
    tmux.wait_for("Running");
    tmux.keys(&["/", "t", "o", "o", "l", "b", "o", "x", "Enter"]);
    tmux.wait_for(") [1]");
    tmux.keys(&["a"]);
    tmux.wait_for("ctrl-p ctrl-q detaches");
    tmux.keys(&["echo attached to $HOSTNAME", "Enter"]);
    tmux.wait_for("attached to toolbox");
    tmux.keys(&["C-p", "C-q"]);
    let screen = tmux.wait_for("attach to default/toolbox (toolbox): detached");
    assert!(screen.contains(") [1]"), "{screen}");
    simulated.stop();
}

/// A local port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET / over a plain TCP connection; the whole answer.
fn get(port: u16) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn shift_f_forwards_a_local_port_that_a_client_then_reaches() {
    let simulated = Simulated::start();
    let pod = web_pod(&simulated);
    let tmux = Tmux::start("forward", &explorer(&simulated, "shop"));
    tmux.wait_for("live");
    let mut keys = vec!["/".to_string()];
    keys.extend(pod.chars().map(String::from));
    keys.push("Enter".into());
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    tmux.wait_for(") [1]");
    tmux.keys(&["F"]);
    tmux.wait_for("Port-forward");
    let port = free_port();
    let mut keys: Vec<String> = port.to_string().chars().map(String::from).collect();
    keys.push("Enter".into());
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    tmux.wait_for(&format!("forwarding 127.0.0.1:{port} → shop/{pod}:80"));
    let answer = get(port).expect("the forwarded port answers");
    assert!(
        answer.starts_with("HTTP/1.1 200 OK") && answer.contains("Welcome to nginx!"),
        "{answer}"
    );
    tmux.keys(&[":", "p", "f", "Enter"]);
    let screen = tmux.wait_for("0/1");
    let row = screen
        .lines()
        .find(|line| line.contains(&format!("127.0.0.1:{port}")))
        .unwrap_or_else(|| panic!("no row for the forward:\n{screen}"));
    // Every byte counted: the answer in, the request out.
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".len();
    assert!(
        row.contains(&format!("{} B", answer.len()))
            && row.contains(&format!("{request} B"))
            && row.contains("listening"),
        "{row}"
    );
    // Forwards go on while the user navigates, and stop when kscope quits.
    tmux.keys(&["Escape", ":", "n", "o", "Enter"]);
    tmux.wait_for("Nodes [6]");
    assert!(get(port).unwrap().contains("Welcome to nginx!"));
    // Quitting stops it.
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    assert!(get(port).is_err(), "still listening after quit");
    simulated.stop();
}

#[test]
fn a_forward_whose_pod_goes_away_says_so_and_stops_listening() {
    let simulated = Simulated::start();
    let pod = web_pod(&simulated);
    let tmux = Tmux::start("forward-gone", &explorer(&simulated, "shop"));
    tmux.wait_for("live");
    let mut keys = vec!["/".to_string()];
    keys.extend(pod.chars().map(String::from));
    keys.push("Enter".into());
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    tmux.wait_for(") [1]");
    let port = free_port();
    let mut keys: Vec<String> = vec!["F".into()];
    keys.extend(port.to_string().chars().map(String::from));
    keys.push("Enter".into());
    tmux.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    tmux.wait_for(&format!("forwarding 127.0.0.1:{port}"));
    assert!(get(port).unwrap().contains("Welcome to nginx!"));
    let pods: Api<Pod> = Api::namespaced(simulated.client(), "shop");
    simulated
        .runtime
        .block_on(pods.delete(
            &pod,
            &kube::api::DeleteParams {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        ))
        .unwrap();
    tmux.keys(&[":", "p", "f", "Enter"]);
    tmux.wait_for(&format!("pod shop/{pod} is gone; stopped listening"));
    assert!(get(port).is_err(), "still listening for a pod that is gone");
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn a_shell_that_cannot_open_is_one_line_in_the_footer_on_an_intact_screen() {
    let simulated = Simulated::start();
    // orders-0's init container keeps failing: its app container never runs.
    let tmux = Tmux::start("shell-refused", &explorer(&simulated, "shop"));
    tmux.wait_for("live");
    tmux.keys(&["/", "o", "r", "d", "e", "r", "s", "-", "0", "Enter"]);
    tmux.wait_for(") [1]");
    tmux.keys(&["s"]);
    let screen = tmux.wait_for("unable to upgrade connection: container not found (\"orders\")");
    assert!(screen.contains("Init:"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    drop(tmux);
    // coredns's image has no shell: the runtime's words (`exec: "sh": executable file not
    // found in $PATH`, past the screen's edge) come back through the error channel.
    // Wide, for most of the footer's line.
    let tmux = Tmux::start_sized("shell-none", &explorer(&simulated, "kube-system"), 250, 30);
    tmux.wait_for("live");
    tmux.keys(&["/", "c", "o", "r", "e", "d", "n", "s", "Enter"]);
    tmux.wait_for("coredns");
    tmux.keys(&["s"]);
    let screen = tmux.wait_for("error executing command in container: failed to exec in container");
    assert!(screen.contains("shell in kube-system/coredns-"), "{screen}");
    assert!(
        screen.contains(") ["),
        "the explorer is not back:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}
