//! Faults as an operator's worst day brings them, to the built binary in tmux against the
//! simulated cluster: a network cut and restored.

use std::time::Instant;

use crate::support;

use support::proxy::FaultyProxy;
use support::simulated::Simulated;
use support::tmux::Tmux;

/// The header's freshness word: the text after the breadcrumb's pane title is not read.
fn freshness(screen: &str) -> &str {
    let header = screen.lines().next().unwrap_or("");
    if header.contains(" stale ") {
        "stale"
    } else if header.contains(" live") {
        "live"
    } else {
        "other"
    }
}

/// Waits until the header's freshness reads `word`; returns how long it took.
fn wait_for_freshness(tmux: &Tmux, word: &str) -> std::time::Duration {
    let start = Instant::now();
    loop {
        let screen = tmux.screen();
        if freshness(&screen) == word {
            return start.elapsed();
        }
        assert!(
            start.elapsed().as_secs() < 30,
            "waited for {word:?} in the header; the screen shows:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A network cut: every connection closed and new ones refused, then restored. The header says
/// stale while nothing flows and live again once events flow, without a relist.
#[test]
fn the_header_is_stale_while_cut_and_live_again_once_events_flow() {
    let simulated = Simulated::start();
    let (proxy, kubeconfig) = FaultyProxy::before(&simulated);
    let command = format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE=/dev/null {} --kubeconfig {} -A; echo EXPLORER-EXIT=$?; sleep 60",
        env!("CARGO_BIN_EXE_kscope"),
        kubeconfig.display()
    );
    let tmux = Tmux::start_sized("faults-cut", &command, 160, 30);
    tmux.wait_for("Pods [");
    wait_for_freshness(&tmux, "live");

    proxy.cut();
    let stale_after = wait_for_freshness(&tmux, "stale");
    // Still stale a while later: nothing flows while cut.
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(freshness(&tmux.screen()), "stale", "{}", tmux.screen());

    proxy.restore();
    let restored = Instant::now();
    // An event to flow: a pod labelled through the simulator directly.
    let client = simulated.client();
    simulated.runtime.block_on(async {
        use k8s_openapi::api::core::v1::Pod;
        use kube::api::{Api, Patch, PatchParams};
        let pods: Api<Pod> = Api::namespaced(client, "shop");
        let names: Vec<String> = pods
            .list(&Default::default())
            .await
            .expect("pods")
            .items
            .into_iter()
            .filter_map(|p| p.metadata.name)
            .collect();
        let patch = serde_json::json!({"metadata": {"labels": {"touched": "yes"}}});
        pods.patch(&names[0], &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .expect("labelled");
    });
    wait_for_freshness(&tmux, "live");
    eprintln!(
        "stale {:.1} s after the cut; live {:.1} s after the restore",
        stale_after.as_secs_f64(),
        restored.elapsed().as_secs_f64()
    );
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}
