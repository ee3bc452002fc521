//! The `/` filter on every pane: a smart-case regex over the whole row, `!` inverse, `-f` fuzzy,
//! `-l` labels, `-F` fields, errors in the prompt; applied as it is typed, edited as a line.

use kscope::app::state::{App, Mode};
use kscope::model::inbox::ClusterMessage;
use kscope::model::kind::WatchedKind;

use crate::support::explorer::{loaded_app, press};

/// The names the current pane shows, in order.
fn shown(app: &App) -> Vec<String> {
    app.visible_keys().iter().map(|k| k.1.clone()).collect()
}

fn filtered(app: &mut App, filter: &str) -> Vec<String> {
    app.filter.clear();
    press(app, &format!("/{filter}<enter>"));
    shown(app)
}

/// A Ready node with its labels, cordoned or not.
fn add_node(app: &mut App, name: &str, role: &str, unschedulable: bool) {
    let node = serde_json::json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "creationTimestamp": "2026-09-01T00:00:00Z",
                     "labels": {format!("node-role.kubernetes.io/{role}"): ""}},
        "spec": {"unschedulable": unschedulable},
        "status": {"nodeInfo": {"kubeletVersion": "v1.35.1"},
                   "conditions": [{"type": "Ready", "status": "True"}]}
    });
    app.on_cluster(ClusterMessage::applied(WatchedKind::Nodes, &node));
}

#[test]
fn the_filter_applies_as_it_is_typed_and_esc_in_the_line_puts_back_the_last_one() {
    let mut app = loaded_app();
    let all = shown(&app).len();
    press(&mut app, "/crash");
    assert!(matches!(app.mode, Mode::Filter { .. }));
    let crashing = shown(&app);
    assert!(!crashing.is_empty() && crashing.len() < all, "{crashing:?}");
    press(&mut app, "<enter>");
    assert_eq!(shown(&app), crashing);
    press(&mut app, "/<bs><bs><bs><bs><bs>zzz");
    assert!(shown(&app).is_empty());
    press(&mut app, "<esc>");
    assert_eq!(
        app.filter.text(),
        "crash",
        "esc in the line keeps the filter it had"
    );
    assert_eq!(shown(&app), crashing);
}

#[test]
fn a_plain_filter_reads_every_column_with_smart_case() {
    let mut app = loaded_app();
    // STATUS is a column: found by what it says, not only by name.
    let image_pull = filtered(&mut app, "imagepull");
    assert_eq!(image_pull.len(), 1, "{image_pull:?}");
    assert_eq!(filtered(&mut app, "ImagePull"), image_pull);
    assert!(
        filtered(&mut app, "IMAGEPULL").is_empty(),
        "a capital is exact"
    );
    // NAMESPACE is a column too.
    let shop = filtered(&mut app, "^shop ");
    assert!(!shop.is_empty());
    assert!(app.visible_keys().iter().all(|k| k.0 == "shop"));
    // A regex across columns, and its inverse.
    let checkout = filtered(&mut app, "checkout.*CrashLoop");
    assert_eq!(checkout.len(), 1, "{checkout:?}");
    let all = filtered(&mut app, "").len();
    assert_eq!(filtered(&mut app, "!^shop ").len(), all - shop.len());
}

#[test]
fn every_pane_takes_every_filter_form() {
    let mut app = loaded_app();
    // Nodes: status words, a role label, the spec.unschedulable field.
    add_node(&mut app, "cp-1", "control-plane", false);
    add_node(&mut app, "worker-5", "worker", true);
    press(&mut app, ":nodes<enter>");
    assert_eq!(shown(&app), ["cp-1", "worker-4", "worker-5"]);
    assert_eq!(filtered(&mut app, "notready"), ["worker-4"]);
    assert_eq!(filtered(&mut app, "!notready"), ["cp-1", "worker-5"]);
    assert_eq!(filtered(&mut app, "SchedulingDisabled"), ["worker-5"]);
    assert_eq!(
        filtered(&mut app, "-l node-role.kubernetes.io/worker"),
        ["worker-4", "worker-5"]
    );
    assert_eq!(
        filtered(&mut app, "-l !node-role.kubernetes.io/worker"),
        ["cp-1"]
    );
    assert_eq!(
        filtered(&mut app, "-F spec.unschedulable=true"),
        ["worker-5"]
    );
    assert_eq!(filtered(&mut app, "-f wkr5"), ["worker-5"]);
    assert!(filtered(&mut app, "-F status.phase=Running").is_empty());
    assert_eq!(
        app.filter_problem().as_deref(),
        Some("field label not supported: status.phase")
    );

    // Namespaces: the phase, the status.phase field, fuzzy.
    for name in ["shop", "shipping"] {
        let namespace = serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
            "status": {"phase": "Active"}
        });
        app.on_cluster(ClusterMessage::applied(WatchedKind::Namespaces, &namespace));
    }
    press(&mut app, ":ns<enter>");
    assert_eq!(
        filtered(
            &mut app,
            "-l kubernetes.io/metadata.name in (shop,shipping)"
        ),
        ["shipping", "shop"]
    );
    let terminating = filtered(&mut app, "terminating");
    assert!(!terminating.is_empty());
    assert_eq!(
        filtered(&mut app, "-F status.phase=Terminating"),
        terminating
    );
    assert_eq!(
        filtered(&mut app, "-F metadata.name=shop"),
        ["shop"],
        "every kind takes its name"
    );
    assert_eq!(filtered(&mut app, "-f hop"), ["shop"]);
    assert_eq!(filtered(&mut app, "-f shp").len(), 2);

    // Events: the reason, the message, the involved object's fields.
    press(&mut app, ":events<enter>");
    let backoff = filtered(&mut app, "BackOff");
    assert!(!backoff.is_empty());
    let about_checkout = filtered(&mut app, "-F involvedObject.name=checkout-7d9f8b6c5-x2k4q");
    assert!(!about_checkout.is_empty());
    assert_eq!(
        filtered(&mut app, "-F reason=BackOff,involvedObject.kind=Pod").len(),
        app.resources
            .events
            .values()
            .filter(|e| e.reason == "BackOff" && e.involved_object.kind == "Pod")
            .count()
    );
    assert_eq!(filtered(&mut app, "-f pod/chk").len(), about_checkout.len());
}

#[test]
fn fuzzy_ranks_the_best_match_first_over_the_sort() {
    let mut app = loaded_app();
    let ranked = filtered(&mut app, "-f web");
    assert!(!ranked.is_empty());
    assert!(ranked[0].starts_with("web"), "{ranked:?}");
    assert!(app.filter.ranks());
    let matched = app.filter.matched_chars(&ranked[0]);
    assert_eq!(matched, [0, 1, 2]);
}

#[test]
fn what_does_not_parse_is_said_in_the_prompt_and_shows_nothing() {
    let mut app = loaded_app();
    press(&mut app, "/web(");
    assert_eq!(
        app.filter_problem().as_deref(),
        Some("bad regex: unclosed group")
    );
    assert!(shown(&app).is_empty());
    press(&mut app, "<esc>/-l app in (web<enter>");
    let problem = app.filter_problem().expect("a selector error");
    assert!(!problem.contains('\n'), "{problem}");
    assert!(shown(&app).is_empty());
}

#[test]
fn the_filter_line_edits_and_recalls_what_was_typed_before() {
    let mut app = loaded_app();
    press(&mut app, "/crash<enter><esc>");
    assert!(app.filter.is_empty());
    press(&mut app, "/web<enter><esc>");
    // Up recalls the last filter, again the one before; editing happens at the cursor.
    press(&mut app, "/<up><up>");
    assert_eq!(app.filter.text(), "crash");
    press(&mut app, "<home>!<enter>");
    assert_eq!(app.filter.text(), "!crash");
    press(
        &mut app,
        "/<c-u>check<left><left><left><left><left>^<enter>",
    );
    assert_eq!(app.filter.text(), "^check");
    press(&mut app, "/<c-w><enter>");
    assert_eq!(app.filter.text(), "^", "ctrl-w takes the last word");
    // The command line is a line editor too, with its own history.
    press(&mut app, ":nodes<enter>:<up><enter>");
    assert_eq!(app.pane, kscope::app::state::Pane::Nodes);
}

#[test]
fn workload_panes_filter_on_their_printed_columns_labels_and_fields() {
    let mut app = loaded_app();
    press(&mut app, ":rs<enter>");
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::ReplicaSets,
    });
    for (name, app_label, ready) in [
        ("web-1", "web", 2),
        ("web-2", "web", 0),
        ("cart-1", "cart", 1),
    ] {
        let replica_set = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "shop", "labels": {"app": app_label},
                         "creationTimestamp": "2026-11-20T10:00:00Z"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": app_label}},
                     "template": {"spec": {"containers": [{"name": "app", "image": format!("shop/{app_label}:1")}]}}},
            "status": {"replicas": if ready == 0 { 0 } else { 2 }, "readyReplicas": ready}
        });
        app.on_cluster(ClusterMessage::applied(
            WatchedKind::ReplicaSets,
            &replica_set,
        ));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::ReplicaSets,
    });
    assert_eq!(shown(&app).len(), 3);
    // READY is printed `2 2 1`: a regex over the columns finds the one not ready.
    assert_eq!(filtered(&mut app, "shop web-2 2 0"), ["web-2"]);
    assert_eq!(filtered(&mut app, "-l app=web"), ["web-1", "web-2"]);
    assert_eq!(filtered(&mut app, "-F status.replicas=0"), ["web-2"]);
    assert_eq!(filtered(&mut app, "-F metadata.name!=web-1").len(), 2);
    assert!(filtered(&mut app, "-F spec.replicas=2").is_empty());
    assert_eq!(
        app.filter_problem().as_deref(),
        Some("field label not supported: spec.replicas")
    );
    assert_eq!(filtered(&mut app, "-f crt"), ["cart-1"]);
}

#[test]
fn the_prompt_shows_the_forms_and_says_what_does_not_parse() {
    let mut app = loaded_app();
    press(&mut app, "/");
    let screen = crate::identity::screen(&app, 120, 30);
    assert!(
        screen.contains("regex  !inverse  -f fuzzy  -l labels  -F fields"),
        "{screen}"
    );
    press(&mut app, "web(");
    let screen = crate::identity::screen(&app, 120, 30);
    assert!(screen.contains("/web("), "{screen}");
    assert!(screen.contains("bad regex: unclosed group"), "{screen}");
    // Kept, it stays visible in the footer with its error.
    press(&mut app, "<enter>");
    let screen = crate::identity::screen(&app, 120, 30);
    assert!(
        screen.contains("filter: web( (bad regex: unclosed group)"),
        "{screen}"
    );
}

/// The regex filter reads the pods' texts from one buffer made when they change: as pods come,
/// change and go, every filter keeps exactly the rows whose text matches now.
#[test]
fn the_regex_filter_follows_pods_as_they_come_change_and_go() {
    let pod = |name: &str, phase: &str, reason: Option<&str>| {
        let state = match reason {
            Some(reason) => serde_json::json!({"waiting": {"reason": reason}}),
            None => serde_json::json!({"running": {}}),
        };
        serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "lab", "uid": format!("uid-{name}"),
                         "creationTimestamp": "2026-11-21T09:00:00Z"},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "c"}]},
            "status": {"phase": phase, "containerStatuses": [{"name": "c", "restartCount": 0, "state": state}]}
        })
    };
    let mut app = loaded_app();
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &pod("alpha", "Running", None),
    ));
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &pod("beta", "Pending", Some("ErrImagePull")),
    ));
    assert_eq!(filtered(&mut app, "errimagepull"), ["beta"]);
    // A pod that changes its status, one that comes (sorting before the others), one that goes.
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &pod("alpha", "Pending", Some("ErrImagePull")),
    ));
    app.on_cluster(ClusterMessage::applied(
        WatchedKind::Pods,
        &pod("aardvark", "Pending", Some("ErrImagePull")),
    ));
    app.on_cluster(ClusterMessage::deleted(
        WatchedKind::Pods,
        &pod("beta", "Pending", None),
    ));
    assert_eq!(shown(&app), ["aardvark", "alpha"]);
    assert_eq!(filtered(&mut app, "lab.*running"), Vec::<String>::new());
    assert_eq!(
        filtered(&mut app, "!errimagepull").len(),
        app.resources.pods.len() - 2
    );
    let rest = filtered(&mut app, "!errimagepull");
    assert!(
        !rest.iter().any(|n| n == "alpha" || n == "aardvark"),
        "{rest:?}"
    );
}

/// A name as a row the filter reads on its own, one at a time.
struct NameRow(String);

impl kscope::app::filter::Filterable for NameRow {
    fn name(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.0)
    }
    fn write_row(&self, out: &mut String) {
        out.push_str(&self.0);
    }
    fn matches_labels(&self, selector: &kscope::model::selector::LabelSelector) -> bool {
        selector.matches(&std::collections::BTreeMap::new())
    }
    fn field(&self, _: &str) -> Option<String> {
        None
    }
}

/// At tens of thousands of pods the rows are filtered in parts on every core: the pane shows
/// what one pass over the rows in their order gives, ties in the pane's order, at the cuts too.
#[test]
fn filtering_in_parts_gives_what_one_pass_gives() {
    let mut app = App::new("test", None, "2026-11-21T10:00:00Z".parse().expect("time"));
    app.on_cluster(ClusterMessage::Listing {
        kind: WatchedKind::Pods,
    });
    for i in 0..20_000 {
        let pod = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("{}-{:05}", ["web", "cart", "wbe-x", "db"][i % 4], i * 7919 % 20_000),
                         "namespace": format!("ns-{}", i % 13), "uid": format!("uid-{i}"),
                         "creationTimestamp": "2026-11-21T09:00:00Z"},
            "spec": {"nodeName": format!("worker-{}", i % 9), "containers": [{"name": "c"}]},
            "status": {"phase": "Running"}
        });
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    }
    app.on_cluster(ClusterMessage::Synced {
        kind: WatchedKind::Pods,
    });
    let keys: Vec<_> = app.resources.pods.keys().cloned().collect();
    for typed in ["-f web", "-f wb1", "-f e0 9", "-f zz"] {
        let filter = kscope::app::filter::Filter::new(typed);
        let one_pass: Vec<String> = filter
            .select(keys.iter().map(|k| (k, NameRow(k.1.clone()))), &[])
            .into_iter()
            .map(|k| k.1.clone())
            .collect();
        let shown = filtered(&mut app, typed);
        assert_eq!(shown.len(), one_pass.len(), "{typed}");
        assert!(shown == one_pass, "{typed}: the order differs");
    }
    let web = filtered(&mut app, "web-1.*worker-[34]");
    let expected = app
        .resources
        .pods
        .iter()
        .filter(|((_, name), pod)| {
            name.starts_with("web-1") && ["worker-3", "worker-4"].contains(&&*pod.node_name)
        })
        .count();
    assert_eq!(web.len(), expected);
    assert!(expected > 100, "{expected}");
}

/// AGE is part of the row a filter reads, and it moves with the clock.
#[test]
fn the_filter_reads_each_rows_age_as_the_clock_moves() {
    let now: jiff::Timestamp = "2026-11-21T10:00:00Z".parse().unwrap();
    let mut app = App::new("test", None, now);
    for (name, created) in [
        ("young", "2026-11-21T09:55:00Z"),
        ("old", "2026-11-01T10:00:00Z"),
    ] {
        let pod = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "lab", "uid": format!("uid-{name}"),
                         "creationTimestamp": created},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "c"}]},
            "status": {"phase": "Running"}
        });
        app.on_cluster(ClusterMessage::applied(WatchedKind::Pods, &pod));
    }
    assert_eq!(filtered(&mut app, "lab.* 5m"), ["young"]);
    assert_eq!(filtered(&mut app, "20d"), ["old"]);
    assert!(filtered(&mut app, "5m30s").is_empty());
    app.tick(now + jiff::SignedDuration::from_secs(30));
    assert_eq!(filtered(&mut app, "5m30s"), ["young"]);
    assert_eq!(filtered(&mut app, "!5m30s"), ["old"]);
    // The rows are kept while every age reads the same, and made again once one does not.
    app.tick(now + jiff::SignedDuration::from_secs(31));
    assert_eq!(filtered(&mut app, "5m31s"), ["young"]);
    app.tick(now + jiff::SignedDuration::from_secs(86_399));
    assert_eq!(filtered(&mut app, " 20d$"), ["old"]);
    app.tick(now + jiff::SignedDuration::from_secs(86_400));
    assert_eq!(filtered(&mut app, " 21d$"), ["old"]);
    assert!(filtered(&mut app, " 20d$").is_empty());
}
