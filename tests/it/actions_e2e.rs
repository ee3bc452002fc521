//! Actions from the keyboard, end to end: the built binary in tmux against the simulated
//! cluster, each mutation confirmed with `y` and then read back from the API server.

use crate::support;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Node;
use kube::Api;
use support::simulated::Simulated;
use support::tmux::Tmux;

fn command(kubeconfig: &std::path::Path, flags: &str) -> String {
    format!(
        "NO_COLOR=1 KSCOPE_LOG_FILE=/dev/null {} --kubeconfig {} -A {flags}; echo EXPLORER-EXIT=$?; sleep 60",
        env!("CARGO_BIN_EXE_kscope"),
        kubeconfig.display()
    )
}

#[test]
fn scale_and_cordon_from_the_keyboard_change_the_cluster() {
    let simulated = Simulated::start();
    let runtime = &simulated.runtime;
    let kubeconfig = &simulated.kubeconfig;
    let tmux = Tmux::start("actions", &command(kubeconfig, ""));
    tmux.wait_for("live");

    // Scale: s, the count, enter, then the confirmation says what it will do.
    tmux.keys(&[":", "d", "e", "p", "l", "o", "y", "Enter"]);
    tmux.wait_for("Deployments [");
    tmux.keys(&["/", "c", "h", "e", "c", "k", "o", "u", "t", "Enter"]);
    tmux.wait_for("Deployments [1]");
    tmux.keys(&["s", "BSpace", "3", "Enter"]);
    // The confirmation says what changes: the count now, and the one asked for.
    let screen = tmux.wait_for("→ 3 replicas");
    assert!(
        screen.contains("scale deployment shop/checkout "),
        "{screen}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("deployment.apps/checkout scaled");
    let client = simulated.client();
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    let replicas = runtime
        .block_on(deployments.get("checkout"))
        .unwrap()
        .spec
        .unwrap()
        .replicas;
    assert_eq!(replicas, Some(3));

    // Cordon: c on a node; n (or anything but y) declines and changes nothing.
    tmux.keys(&[
        "Escape", ":", "n", "o", "Enter", "/", "w", "o", "r", "k", "e", "r", "-", "1", "Enter",
    ]);
    tmux.wait_for("Nodes [1]");
    tmux.keys(&["c"]);
    tmux.wait_for("cordon node worker-1");
    tmux.keys(&["n"]);
    tmux.wait_for("cordon cancelled");
    let nodes: Api<Node> = Api::all(client);
    let unschedulable = |runtime: &tokio::runtime::Runtime| {
        runtime
            .block_on(nodes.get("worker-1"))
            .unwrap()
            .spec
            .and_then(|s| s.unschedulable)
            .unwrap_or(false)
    };
    assert!(!unschedulable(runtime));
    tmux.keys(&["c", "y"]);
    tmux.wait_for("node/worker-1 cordoned");
    assert!(unschedulable(runtime));

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn read_only_refuses_in_the_footer_and_changes_nothing() {
    let simulated = Simulated::start();
    let kubeconfig = &simulated.kubeconfig;
    let tmux = Tmux::start("readonly", &command(kubeconfig, "--readonly"));
    tmux.wait_for("live");
    tmux.keys(&[":", "n", "o", "Enter", "c"]);
    tmux.wait_for("read-only: cordon refused (kscope was started with --readonly)");
    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn edit_in_the_editor_and_an_inline_patch_are_previewed_then_applied() {
    let simulated = Simulated::start();
    let runtime = &simulated.runtime;
    let kubeconfig = &simulated.kubeconfig;
    let dir = &simulated.dir;
    // The "editor": changes the replica count in the file it is given, as a user would.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^  replicas: 1$/  replicas: 4/' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let flags = "";
    let command = command(kubeconfig, flags).replace(
        "NO_COLOR=1",
        &format!("NO_COLOR=1 KSCOPE_EDITOR={}", editor.display()),
    );
    let tmux = Tmux::start("edit", &command);
    tmux.wait_for("live");
    tmux.keys(&[":", "d", "e", "p", "l", "o", "y", "Enter"]);
    tmux.wait_for("Deployments [");
    tmux.keys(&["/", "c", "h", "e", "c", "k", "o", "u", "t", "Enter"]);
    tmux.wait_for("Deployments [1]");
    tmux.keys(&["e"]);
    let screen = tmux.wait_for("(server dry run)");
    assert!(
        screen.contains("-  replicas: 1") && screen.contains("+  replicas: 4"),
        "{screen}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("deployment.apps/checkout edited");
    let client = simulated.client();
    let deployments: Api<Deployment> = Api::namespaced(client, "shop");
    let replicas = |runtime: &tokio::runtime::Runtime| {
        runtime
            .block_on(deployments.get("checkout"))
            .unwrap()
            .spec
            .unwrap()
            .replicas
    };
    assert_eq!(replicas(runtime), Some(4));

    // An inline merge patch: 2 picks merge, i types it.
    tmux.keys(&["p", "2", "i"]);
    for c in r#"{"spec":{"replicas":2}}"#.chars() {
        tmux.keys(&[&c.to_string()]);
    }
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("(server dry run)");
    assert!(screen.contains("+  replicas: 2"), "{screen}");
    assert_eq!(replicas(runtime), Some(4), "the dry run changed nothing");
    tmux.keys(&["y"]);
    tmux.wait_for("deployment.apps/checkout patched");
    assert_eq!(replicas(runtime), Some(2));

    tmux.keys(&["q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}

#[test]
fn drain_a_node_from_its_plan_and_follow_a_pods_logs() {
    let simulated = Simulated::start();
    let runtime = &simulated.runtime;
    let kubeconfig = &simulated.kubeconfig;
    let tmux = Tmux::start("drain", &command(kubeconfig, ""));
    tmux.wait_for("live");
    tmux.keys(&[
        ":", "n", "o", "Enter", "/", "w", "o", "r", "k", "e", "r", "-", "3", "Enter",
    ]);
    tmux.wait_for("Nodes [1]");
    // kubectl's defaults first: the plan is blocked by DaemonSet pods and says which flag helps.
    tmux.keys(&["r", "p"]);
    let screen = tmux.wait_for("blocked: DaemonSet");
    assert!(screen.contains("--ignore-daemonsets"), "{screen}");
    tmux.keys(&["Escape", "j", "j", "Space", "j", "Space", "j", "Space", "p"]);
    tmux.wait_for("cordon it and evict");
    tmux.keys(&["y"]);
    tmux.wait_for("node/worker-3 drained");
    let client = simulated.client();
    let nodes: Api<Node> = Api::all(client.clone());
    let node = runtime.block_on(nodes.get("worker-3")).unwrap();
    assert_eq!(node.spec.unwrap().unschedulable, Some(true));
    let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::all(client);
    let left = runtime
        .block_on(pods.list(&kube::api::ListParams::default().fields("spec.nodeName=worker-3")))
        .unwrap();
    assert!(
        left.items.iter().all(|pod| pod
            .metadata
            .owner_references
            .as_ref()
            .is_some_and(|owners| owners.iter().any(|o| o.kind == "DaemonSet"))),
        "only DaemonSet pods stay"
    );

    // Logs: l on a pod follows all its containers.
    tmux.keys(&[
        "Escape", "Escape", ":", "p", "o", "Enter", "/", "g", "a", "t", "e", "w", "a", "y",
        "Enter", "l",
    ]);
    tmux.wait_for("streaming");
    tmux.wait_for("request handled");
    tmux.keys(&["q", "q"]);
    tmux.wait_for("EXPLORER-EXIT=0");
    simulated.stop();
}
