//! Every pane and view of the explorer, drawn with ratatui's TestBackend (views at 80x24 and
//! 160x50, panes at 80x24, 120x40 and 200x50) from the shipped examples with a fixed clock,
//! pinned as snapshots.

use crate::support;

use kscope::app::state::App;
use support::explorer::{answer_requests, loaded_app, press, screen};

#[test]
fn every_view_at_both_sizes() {
    let views: [(&str, &str); 21] = [
        ("pods", ""),
        ("pods_filtered", "/cache<enter>"),
        ("nodes", ":nodes<enter>"),
        ("namespaces", ":ns<enter>"),
        ("events", ":events<enter>"),
        ("stream", ":stream<enter>"),
        ("explain_pod", "/checkout<enter>x"),
        ("explain_namespace", ":ns<enter>x"),
        ("help", "?"),
        ("help_scrolled", "?jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj"),
        ("yaml_pod", "/orders<enter>y"),
        ("yaml_fetching", "/orders<enter>y"),
        ("describe_pod", "/check<enter>d"),
        ("describe_node", ":no<enter>d"),
        ("describe_namespace", ":ns<enter>d"),
        ("containers", "/check<enter><enter>"),
        ("confirm_cordon", ":no<enter>c"),
        ("drain_options", ":no<enter>r"),
        ("delete_prompt", "/check<enter><c-d>"),
        ("patch_compose", "/check<enter>p"),
        ("logs_connecting", "/check<enter>l"),
    ];
    for (name, keys) in views {
        for (width, height) in [(80, 24), (160, 50)] {
            let mut app = loaded_app();
            press(&mut app, keys);
            // The fetching view is the one drawn before the API server answers.
            if name != "yaml_fetching" {
                answer_requests(&mut app);
            }
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}"),
                screen(&mut app, width, height)
            );
        }
    }
}

/// The examples with two Deployments (one with a long name) and a metrics reading.
fn app_with_workloads_and_metrics() -> App {
    use kscope::model::inbox::ClusterMessage;
    use kscope::model::kind::WatchedKind;
    let mut app = loaded_app();
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Deployments,
    });
    for (namespace, name, ready) in [
        ("shop", "checkout", 2),
        (
            "observability",
            "prometheus-operator-kube-state-metrics-exporter",
            1,
        ),
    ] {
        let deployment = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"namespace": namespace, "name": name, "uid": format!("uid-{name}"),
                         "creationTimestamp": "2026-11-01T10:00:00Z"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": format!("registry.example.com/{name}:v1.2.3")}]}}},
            "status": {"replicas": 2, "readyReplicas": ready, "updatedReplicas": 2, "availableReplicas": ready},
        });
        app.on_cluster(ClusterMessage::applied(
            WatchedKind::Deployments,
            &deployment,
        ));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Deployments,
    });
    let mut pods = kscope::model::metrics::UsageMap::default();
    let mut nodes = kscope::model::metrics::UsageMap::default();
    for key in app.resources.pods.keys() {
        pods.insert(
            key.clone(),
            kscope::model::metrics::Usage {
                cpu_millis: 120,
                memory_bytes: 300 << 20,
            },
        );
    }
    for key in app.resources.nodes.keys() {
        nodes.insert(
            key.1.clone(),
            kscope::model::metrics::Usage {
                cpu_millis: 1500,
                memory_bytes: 6 << 30,
            },
        );
    }
    use kscope::model::metrics::MetricsReading;
    app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Pods(
        pods,
    ))));
    app.on_cluster(ClusterMessage::Metrics(Box::new(MetricsReading::Nodes(
        nodes,
    ))));
    app
}

/// Every pane at the three sizes the issue names: columns as wide as their content, the least
/// important dropped first (the title says how many), cut text ending in `…`, the wide set
/// (`ctrl-w`) and its sideways scroll.
#[test]
fn panes_fit_their_columns_at_three_sizes() {
    let panes: [(&str, &str); 11] = [
        ("pods", ""),
        ("pods_scrolled", "<right><right>"),
        ("pods_wide", "<c-w>"),
        ("pods_wide_scrolled", "<c-w><right><right><right>"),
        ("pods_in_namespace", ":ns<enter>/shop<enter><enter>"),
        ("nodes", ":nodes<enter>"),
        ("nodes_wide", ":nodes<enter><c-w>"),
        ("namespaces", ":ns<enter>"),
        ("events", ":events<enter>"),
        ("stream", ":stream<enter>"),
        ("deployments", ":deploy<enter>"),
    ];
    for (name, keys) in panes {
        for (width, height) in [(80, 24), (120, 40), (200, 50)] {
            let mut app = app_with_workloads_and_metrics();
            press(&mut app, keys);
            answer_requests(&mut app);
            insta::assert_snapshot!(
                format!("fit_{name}_{width}x{height}"),
                screen(&mut app, width, height)
            );
        }
    }
}

/// No silent cut: at every size, each pod's and node's name on screen is whole or ends in `…`
/// after a prefix of a real name.
#[test]
fn names_are_whole_or_marked_as_cut() {
    let mut app = app_with_workloads_and_metrics();
    let names: Vec<String> = app
        .resources
        .pods
        .keys()
        .chain(app.resources.nodes.keys())
        .map(|k| k.1.clone())
        .chain(
            app.resources
                .generic
                .values()
                .flat_map(|o| o.keys().map(|k| k.1.clone())),
        )
        .collect();
    for keys in ["", ":nodes<enter>", ":deploy<enter>"] {
        press(&mut app, keys);
        for width in [40, 60, 80, 100] {
            let text = screen(&mut app, width, 24);
            let mut seen = 0;
            for line in text.lines().skip(3) {
                for word in line.split(|c: char| c == '│' || c.is_whitespace()) {
                    if let Some(prefix) = word.strip_suffix('…') {
                        if names
                            .iter()
                            .any(|n| n.starts_with(prefix) && n.len() > prefix.len())
                        {
                            seen += 1;
                        }
                    } else if names.iter().any(|n| n == word) {
                        seen += 1;
                    } else if !word.is_empty()
                        && names
                            .iter()
                            .any(|n| n.starts_with(word) && n.len() > word.len() && word.len() > 6)
                    {
                        panic!("{word:?} is a name cut without a mark at {width}:\n{text}");
                    }
                }
            }
            assert!(seen > 0, "no names on screen at {width}:\n{text}");
        }
    }
}

#[test]
fn a_stale_watch_is_shown_in_the_header() {
    let mut app = loaded_app();
    app.on_cluster(kscope::model::inbox::ClusterMessage::Failed {
        kind: kscope::model::kind::WatchedKind::Pods,
        error: "connection refused".into(),
        forbidden: false,
    });
    let text = screen(&mut app, 80, 24);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("stale 0s: connection refused"),
        "{text}"
    );
}

#[test]
fn tiny_terminals_do_not_panic() {
    for keys in [
        "",
        ":nodes<enter>",
        ":ns<enter>",
        ":events<enter>",
        ":stream<enter>",
        "x",
        "?",
        "y",
        "d",
        ":deploy<enter>",
    ] {
        for (width, height) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
            let mut app = loaded_app();
            press(&mut app, keys);
            let _ = screen(&mut app, width, height);
        }
    }
}

/// `x` on a Deployment explains its numbers, as on a pod.
#[test]
fn x_on_a_deployment_explains_its_columns() {
    let mut app = app_with_workloads_and_metrics();
    press(&mut app, ":deploy<enter>/prometheus<enter>x");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("Deployment observability/prometheus-operator-kube-state-metrics-exporter"),
        "{text}"
    );
    assert!(
        text.contains("READY 1/2   UP-TO-DATE 2   AVAILABLE 1"),
        "{text}"
    );
    assert!(text.contains("= READY 1/2"), "{text}");
    insta::assert_snapshot!("explain_deployment_120x40", text);
}

/// A user's column set (`views.yaml`) replaces the pane's: its own columns by header, custom
/// ones from their JSONPath, as kubectl's custom-columns prints them.
#[test]
fn a_views_file_sets_a_panes_columns() {
    let mut app = app_with_workloads_and_metrics();
    app.views = kscope::app::views::Views::parse(
        "views:\n  nodes:\n    columns: [NAME, STATUS, 'TAINTS:.spec.taints', 'KUBELET:.status.nodeInfo.kubeletVersion']\n  pods:\n    columns: [NAME, 'IMAGE:.spec.containers[*].image', STATUS]\n",
        "views test",
    )
    .unwrap();
    press(&mut app, ":nodes<enter>");
    let text = screen(&mut app, 120, 12);
    assert!(
        text.contains("NAME     STATUS   TAINTS") && text.contains("KUBELET"),
        "{text}"
    );
    assert!(
        text.contains("[map[effect:NoSchedule key:node.kubernetes.io/unreachable"),
        "{text}"
    );
    assert!(!text.contains(" AGE"), "{text}");
    insta::assert_snapshot!("views_nodes_120x12", text);
    press(&mut app, ":pods<enter>");
    let text = screen(&mut app, 120, 12);
    assert!(text.contains("NAME                     IMAGE"), "{text}");
    assert!(text.contains("nginx:1.27-alpne"), "{text}");
    insta::assert_snapshot!("views_pods_120x12", text);
}
