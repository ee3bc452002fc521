//! The built binary in tmux against the simulator: `:xray deploy` shows a seeded Deployment
//! down to its ReplicaSet, pods and containers, and esc leaves it for the panes.

use crate::support;

use support::simulated::Simulated;
use support::tmux::Tmux;

#[test]
fn xray_shows_a_seeded_deployments_pods() {
    let simulated = Simulated::start();
    let command = format!(
        "NO_COLOR=1 {} --kubeconfig {} -A; echo EXPLORER-EXIT=$?; sleep 60",
        env!("CARGO_BIN_EXE_kscope"),
        simulated.kubeconfig.display()
    );
    let tmux = Tmux::start_sized("xray", &command, 160, 60);
    tmux.wait_for(" pods ");
    tmux.keys(&[":xray deploy", "Enter"]);
    let screen = tmux.wait_for("deploy kube-system/coredns");
    assert!(screen.contains("xray deployments"), "{screen}");
    // coredns's ReplicaSet under it, its pods under that, each with its container.
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("deploy kube-system/coredns"))
        .unwrap();
    assert!(lines[at + 1].contains("rs     coredns-"), "{screen}");
    assert!(lines[at + 2].contains("po     coredns-"), "{screen}");
    assert!(lines[at + 2].contains("Running, restarts 0"), "{screen}");
    assert!(
        lines[at + 3].contains("co     coredns  Running, ready"),
        "{screen}"
    );

    tmux.keys(&["Escape"]);
    tmux.wait_for("NAMESPACE");
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    drop(tmux);
    simulated.stop();
}
