//! The built binary in tmux against the simulator: `--triage` opens on the view listing the seeded problems with the
//! pulse and the count in the header, a problem fixed on the cluster turns resolved on screen
//! as the watches bring the change, and `enter` opens a finding's pods; under churn, opened
//! by the config file, the pulse follows the cluster.

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
    // Tall enough for every finding and the resolved one under them.
    let tmux = Tmux::start_sized("triage", &command, 160, 60);
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
    // Other findings may resolve meanwhile (a pod moving from one cause to the next): wait for
    // this one's line.
    let canary_resolved = |screen: &str| {
        screen
            .lines()
            .any(|l| l.contains("image not found: nginx:1.27-alpne") && l.contains("resolved "))
    };
    tmux.wait_until("the canary's finding resolved", canary_resolved);

    // The first finding's pods, as a pods pane.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Triage › ");
    assert!(screen.contains("Pods"), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    drop(tmux);
    simulated.stop();
}

/// The pulse's counts and the events a second, read off the screen.
fn pulse(screen: &str) -> (String, u64) {
    let counts = screen
        .lines()
        .find(|l| l.contains("pods ") && l.contains(" Ready"))
        .unwrap_or_else(|| panic!("the pulse: {screen}"))
        .to_string();
    let trend = screen
        .lines()
        .find(|l| l.contains("events "))
        .unwrap_or_else(|| panic!("the trend line: {screen}"));
    let rate = trend
        .split("events ")
        .nth(1)
        .and_then(|rest| rest.split("/s").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("a rate: {trend}"));
    (counts, rate)
}

#[test]
fn under_churn_the_view_opened_by_the_config_follows_the_cluster() {
    let simulated = Simulated::start_shaped(kscope::sim::ClusterShape {
        churn: 40.0,
        ..Default::default()
    });
    let config = simulated.dir.path().join("config.yaml");
    std::fs::write(&config, "open: triage\n").unwrap();
    let command = format!(
        "NO_COLOR=1 KSCOPE_CONFIG={} {} --kubeconfig {} -A; echo EXPLORER-EXIT=$?; sleep 60",
        config.display(),
        env!("CARGO_BIN_EXE_kscope"),
        simulated.kubeconfig.display()
    );
    let tmux = Tmux::start_sized("triage-churn", &command, 160, 45);
    // The config opens the view.
    let first = tmux.wait_for("node unreachable");
    assert!(first.contains("Triage: "), "{first}");
    let (counts, _) = pulse(&first);
    // The changes flow: the events a second are counted, and the pods' counts move.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    let (mut moved, mut rate_seen) = (false, 0);
    while std::time::Instant::now() < deadline && !(moved && rate_seen > 0) {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let screen = tmux.screen();
        let (now_counts, rate) = pulse(&screen);
        moved |= now_counts != counts;
        rate_seen = rate_seen.max(rate);
        // The header and the view agree on the problems.
        let header = screen.lines().next().unwrap();
        let title = screen.lines().find(|l| l.contains("Triage: ")).unwrap();
        if let Some(count) = title
            .split("Triage: ")
            .nth(1)
            .and_then(|t| t.split(" problem").next())
        {
            assert!(header.contains(&format!(" {count} problem")), "{screen}");
        }
    }
    assert!(rate_seen > 0, "no events a second shown: {}", tmux.screen());
    assert!(
        moved,
        "the pulse never moved from {counts}: {}",
        tmux.screen()
    );
    // q leaves the view for the pods pane, then quits.
    tmux.keys(&["q"]);
    tmux.wait_for("Pods [");
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    drop(tmux);
    simulated.stop();
}
