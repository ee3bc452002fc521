//! The built binary in tmux against the simulator: `--triage` opens on the view listing the seeded problems with the
//! pulse and the count in the header, a problem fixed on the cluster turns resolved on screen
//! as the watches bring the change, and `enter` opens a finding's pods.

use crate::support;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, DeleteParams};
use support::simulated::Simulated;
use support::tmux::Tmux;

#[test]
fn triage_shows_the_clusters_problems_live() {
    let simulated = Simulated::start();
    let log = simulated.dir.path().join("kscope.log");
    let command = format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE={} {} --kubeconfig {} -A --triage; echo EXPLORER-EXIT=$?; sleep 60",
        log.display(),
        env!("CARGO_BIN_EXE_kscope"),
        simulated.kubeconfig.display()
    );
    let tmux = Tmux::start_sized("triage", &command, 160, 45);
    // `--triage` opens on the view; the header counts the problems once they are worked out.
    let screen = tmux.wait_for("image not found: nginx:1.27-alpne");
    assert!(
        screen.lines().next().unwrap().contains(" problems "),
        "{screen}"
    );
    assert!(screen.contains("Triage: "), "{screen}");
    assert!(screen.contains("node unreachable"), "{screen}");
    assert!(screen.contains("nodes 5/6 Ready"), "{screen}");

    // The broken canary is deleted: its finding resolves on screen, greyed and marked.
    let client = simulated.client();
    simulated
        .runtime
        .block_on(async {
            Api::<Deployment>::namespaced(client, "shop")
                .delete("web-canary", &DeleteParams::background())
                .await
        })
        .expect("the canary is deleted");
    let screen = tmux.wait_for("resolved ");
    let resolved = screen
        .lines()
        .find(|l| l.contains("image not found: nginx:1.27-alpne"))
        .expect("still listed");
    assert!(resolved.contains("resolved "), "{screen}");

    // The first finding's pods, as a pods pane.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Triage › ");
    assert!(screen.contains("Pods"), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    drop(tmux);
    simulated.stop();
}
