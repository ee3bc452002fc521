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
