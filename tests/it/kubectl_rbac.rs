//! RBAC in the simulator judged by the real kubectl and the official Python client: the
//! default ClusterRoles and bindings, the preset users and `--user` ones, `auth can-i`,
//! `auth whoami`, and the API server's 403 for what a user may not do.

use std::process::Command;

use kscope::sim::{ClusterShape, SimUser};

use crate::support;
use support::kubectl::Cluster;

/// Text with every run of whitespace made one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn auth_can_i_says_yes_and_no_as_the_users_roles_allow() {
    let c = Cluster::start();
    let admin = c.kubectl(&["auth", "can-i", "list", "pods"]).ok();
    assert_eq!(admin.stdout.trim(), "yes", "{admin}");
    let admin = c.kubectl(&["auth", "can-i", "create", "deployments"]).ok();
    assert_eq!(admin.stdout.trim(), "yes", "{admin}");
    let viewer = c
        .kubectl_as("viewer", &["auth", "can-i", "list", "pods"])
        .ok();
    assert_eq!(viewer.stdout.trim(), "yes", "{viewer}");
    let viewer = c
        .kubectl_as("viewer", &["auth", "can-i", "create", "deployments"])
        .fails();
    assert_eq!(viewer.stdout.trim(), "no", "{viewer}");
    let viewer = c
        .kubectl_as("viewer", &["auth", "can-i", "get", "secrets", "-n", "shop"])
        .fails();
    assert_eq!(viewer.stdout.trim(), "no", "{viewer}");
    let no_secrets = c
        .kubectl_as(
            "no-secrets",
            &["auth", "can-i", "delete", "configmaps", "-n", "shop"],
        )
        .ok();
    assert_eq!(no_secrets.stdout.trim(), "yes", "{no_secrets}");
    let no_secrets = c
        .kubectl_as("no-secrets", &["auth", "can-i", "list", "secrets", "-A"])
        .fails();
    assert_eq!(no_secrets.stdout.trim(), "no", "{no_secrets}");
}

#[test]
fn auth_whoami_names_the_user_and_its_groups() {
    let c = Cluster::start();
    let viewer = c.kubectl_as("viewer", &["auth", "whoami"]).ok();
    assert_eq!(
        squash(&viewer.stdout),
        "ATTRIBUTE VALUE Username viewer Groups [system:authenticated]",
        "{viewer}"
    );
    let admin = c
        .kubectl(&["auth", "whoami", "-o", "jsonpath={.status.userInfo}"])
        .ok();
    let info: serde_json::Value = serde_json::from_str(&admin.stdout).expect("JSON");
    assert_eq!(info["username"], "kubernetes-admin", "{admin}");
    assert_eq!(
        info["groups"],
        serde_json::json!(["system:masters", "system:authenticated"]),
        "{admin}"
    );
}

#[test]
fn the_viewer_is_refused_secrets_in_the_api_servers_words() {
    let c = Cluster::start();
    let listed = c.kubectl_as("viewer", &["get", "secrets"]).fails();
    assert_eq!(
        listed.stderr,
        "Error from server (Forbidden): secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"\n",
        "{listed}"
    );
    let everywhere = c.kubectl_as("viewer", &["get", "secrets", "-A"]).fails();
    everywhere.stderr_has(
        "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" at the cluster scope",
    );
    let one = c
        .kubectl_as(
            "viewer",
            &["get", "secret", "payments-db", "-n", "payments"],
        )
        .fails();
    one.stderr_has(
        "Error from server (Forbidden): secrets \"payments-db\" is forbidden: User \"viewer\" cannot get resource \"secrets\" in API group \"\" in the namespace \"payments\"",
    );
    let watched = c.kubectl_as("viewer", &["get", "secrets", "-w"]).fails();
    watched.stderr_has("cannot list resource \"secrets\"");
    // Nodes are not in view: cluster-scoped reads need a role of their own.
    let nodes = c.kubectl_as("viewer", &["get", "nodes"]).fails();
    nodes.stderr_has(
        "nodes is forbidden: User \"viewer\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
    );
    // What view allows works, logs included.
    let pods = c.kubectl_as("viewer", &["get", "pods", "-n", "shop"]).ok();
    assert!(pods.table().rows.len() > 3, "{pods}");
    let web = c.web_pod();
    c.kubectl_as("viewer", &["logs", "-n", "shop", &web, "--tail", "1"])
        .ok();
    // A change is refused, an exec (create on pods/exec) too; no-secrets may exec.
    let scaled = c
        .kubectl_as(
            "viewer",
            &[
                "scale",
                "deployment",
                "web",
                "-n",
                "shop",
                "--replicas",
                "5",
            ],
        )
        .fails();
    scaled.stderr_has(
        "deployments.apps \"web\" is forbidden: User \"viewer\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"shop\"",
    );
    let exec = c
        .kubectl_as("viewer", &["exec", "-n", "shop", &web, "--", "true"])
        .fails();
    exec.stderr_has(
        "cannot create resource \"pods/exec\" in API group \"\" in the namespace \"shop\"",
    );
    let exec = c
        .kubectl_as(
            "no-secrets",
            &["exec", "-n", "shop", &web, "--", "echo", "hi"],
        )
        .ok();
    assert_eq!(exec.stdout, "hi\n", "{exec}");
}

#[test]
fn the_default_cluster_roles_and_bindings_are_listed_and_described() {
    let c = Cluster::start();
    let roles = c.kubectl(&["get", "clusterroles"]).ok();
    let table = roles.table();
    assert_eq!(table.headers, ["NAME", "CREATED AT"], "{roles}");
    for name in ["cluster-admin", "admin", "edit", "view"] {
        let created = table.row("NAME", name).get("CREATED AT");
        assert!(
            created.parse::<jiff::Timestamp>().is_ok() && created.ends_with('Z'),
            "{name} created at {created:?}:\n{roles}"
        );
    }
    let bindings = c
        .kubectl(&["get", "clusterrolebindings", "-o", "wide"])
        .ok();
    let table = bindings.table();
    assert_eq!(
        table.headers,
        ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"],
        "{bindings}"
    );
    let admin = table.row("NAME", "cluster-admin");
    assert_eq!(admin.get("ROLE"), "ClusterRole/cluster-admin", "{bindings}");
    assert_eq!(admin.get("GROUPS"), "system:masters", "{bindings}");
    let viewer = table.row("USERS", "viewer");
    assert_eq!(viewer.get("ROLE"), "ClusterRole/view", "{bindings}");
    let described = c.kubectl(&["describe", "clusterrole", "view"]).ok();
    let text = squash(&described.stdout);
    for phrase in [
        "Name: view",
        "Labels: kubernetes.io/bootstrapping=rbac-defaults",
        "PolicyRule: Resources Non-Resource URLs Resource Names Verbs",
        "pods/log [] [] [get list watch]",
        "deployments.apps [] [] [get list watch]",
    ] {
        assert!(text.contains(phrase), "{phrase:?} missing:\n{described}");
    }
    assert!(
        !text.contains(" secrets "),
        "view reads no secrets:\n{described}"
    );
    let admin = c
        .kubectl(&["describe", "clusterrole", "cluster-admin"])
        .ok();
    assert!(
        squash(&admin.stdout).contains("*.* [] [] [*] [*] [] [*]"),
        "{admin}"
    );
    // No namespace has a RoleBinding yet.
    let none = c.kubectl(&["get", "rolebindings", "-A"]).ok();
    none.stderr_has("No resources found");
    // system:masters is allowed before RBAC is asked: without its binding the admin still is.
    c.kubectl(&["delete", "clusterrolebinding", "cluster-admin"])
        .ok();
    c.kubectl(&["get", "pods", "-n", "shop"]).ok();
    let yes = c.kubectl(&["auth", "can-i", "delete", "nodes"]).ok();
    assert_eq!(yes.stdout.trim(), "yes", "{yes}");
}

#[test]
fn a_role_bound_in_one_namespace_is_honoured_there_only() {
    let mut shape = ClusterShape::default();
    shape.users.push("dev".parse::<SimUser>().expect("a user"));
    let c = Cluster::with_shape(shape);
    let before = c.kubectl_as("dev", &["get", "pods", "-n", "shop"]).fails();
    before.stderr_has(
        "User \"dev\" cannot list resource \"pods\" in API group \"\" in the namespace \"shop\"",
    );
    c.kubectl(&[
        "create",
        "role",
        "pod-reader",
        "--verb=get,list,watch",
        "--resource=pods",
        "-n",
        "shop",
    ])
    .ok();
    c.kubectl(&[
        "create",
        "rolebinding",
        "dev-reads",
        "--role=pod-reader",
        "--user=dev",
        "-n",
        "shop",
    ])
    .ok();
    let bindings = c.kubectl(&["get", "rolebindings", "-A", "-o", "wide"]).ok();
    let row = bindings.table().row("NAME", "dev-reads").clone();
    assert_eq!(row.get("NAMESPACE"), "shop", "{bindings}");
    assert_eq!(row.get("ROLE"), "Role/pod-reader", "{bindings}");
    assert_eq!(row.get("USERS"), "dev", "{bindings}");
    let pods = c.kubectl_as("dev", &["get", "pods", "-n", "shop"]).ok();
    assert!(pods.table().rows.len() > 3, "{pods}");
    let yes = c
        .kubectl_as("dev", &["auth", "can-i", "list", "pods", "-n", "shop"])
        .ok();
    assert_eq!(yes.stdout.trim(), "yes", "{yes}");
    let elsewhere = c
        .kubectl_as("dev", &["get", "pods", "-n", "payments"])
        .fails();
    elsewhere.stderr_has("User \"dev\" cannot list resource \"pods\" in API group \"\" in the namespace \"payments\"");
    let everywhere = c.kubectl_as("dev", &["get", "pods", "-A"]).fails();
    everywhere.stderr_has("at the cluster scope");
    let other_kind = c
        .kubectl_as("dev", &["get", "services", "-n", "shop"])
        .fails();
    other_kind.stderr_has("cannot list resource \"services\"");
    // A binding whose role is gone grants nothing, and the refusal says why.
    c.kubectl(&["delete", "role", "pod-reader", "-n", "shop"])
        .ok();
    let gone = c.kubectl_as("dev", &["get", "pods", "-n", "shop"]).fails();
    gone.stderr_has(
        "User \"dev\" cannot list resource \"pods\" in API group \"\" in the namespace \"shop\": RBAC: role.rbac.authorization.k8s.io \"pod-reader\" not found",
    );
}

#[test]
fn auth_can_i_list_shows_the_viewers_rules() {
    let c = Cluster::start();
    let run = c
        .kubectl_as("viewer", &["auth", "can-i", "--list", "-n", "shop"])
        .ok();
    let table = run.table();
    assert_eq!(
        table.headers,
        ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"],
        "{run}"
    );
    let verbs = |resource: &str| table.row("Resources", resource).get("Verbs").to_string();
    assert_eq!(verbs("pods"), "[get list watch]", "{run}");
    assert_eq!(verbs("deployments.apps"), "[get list watch]", "{run}");
    assert_eq!(
        verbs("selfsubjectaccessreviews.authorization.k8s.io"),
        "[create]",
        "{run}"
    );
    assert!(
        table.find("Resources", |r| r == "secrets").is_none(),
        "{run}"
    );
    let discovery = table.row("Non-Resource URLs", "[/api/*]");
    assert_eq!(discovery.get("Verbs"), "[get]", "{run}");
}

#[test]
fn the_python_client_meets_the_api_servers_403() {
    let c = Cluster::start();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/python_client_forbidden.py"
    );
    let run = Command::new("python3")
        .arg(script)
        .arg(c.kubeconfig())
        .args(["viewer@kscope-sim", "default"])
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "the Python client failed (`pip install kubernetes` if it is missing):\n{stderr}"
    );
    let result: serde_json::Value =
        serde_json::from_slice(&run.stdout).expect("the script prints JSON");
    assert_eq!(result["refused"], true, "{result}");
    assert_eq!(result["status"], 403, "{result}");
    assert_eq!(result["reason"], "Forbidden", "{result}");
    let body = &result["body"];
    assert_eq!(body["kind"], "Status", "{result}");
    assert_eq!(body["reason"], "Forbidden", "{result}");
    assert_eq!(body["code"], 403, "{result}");
    assert_eq!(
        body["message"],
        "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"",
        "{result}"
    );
    assert_eq!(
        body["details"],
        serde_json::json!({"kind": "secrets"}),
        "{result}"
    );
    assert_eq!(result["may_list_pods"], true, "{result}");
    assert_eq!(result["subject_review_refused"], 403, "{result}");
    assert_eq!(result["viewer_may_get_pods"], true, "{result}");
    assert_eq!(
        result["viewer_reason"],
        "RBAC: allowed by ClusterRoleBinding \"kscope-sim:viewer\" of ClusterRole \"view\" to User \"viewer\"",
        "{result}"
    );
}

/// `kscope sim --user NAME:CLUSTERROLE` writes a context for the user, whose token is bound to
/// that role; a name already taken, or not a name, is refused in one line.
#[test]
fn kscope_sim_user_adds_a_context_bound_to_its_cluster_role() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().expect("a temporary directory");
    let kubeconfig = dir.path().join("kubeconfig");
    let mut sim = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["sim", "--write-kubeconfig"])
        .arg(&kubeconfig)
        .args(["--user", "ops:edit", "--user", "newcomer"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kscope sim starts");
    let mut serving = String::new();
    BufReader::new(sim.stdout.take().expect("piped stdout"))
        .read_line(&mut serving)
        .expect("a line");
    assert!(
        serving.starts_with("kscope sim: serving https://"),
        "{serving}"
    );
    let kubectl = |context: &str, args: &[&str]| {
        Command::new(support::kubectl::kubectl_path())
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .args(["--context", context])
            .args(args)
            .env("HOME", dir.path())
            .output()
            .expect("kubectl runs")
    };
    let ops = kubectl(
        "ops@kscope-sim",
        &["auth", "can-i", "create", "deployments"],
    );
    let newcomer = kubectl("newcomer@kscope-sim", &["auth", "can-i", "list", "pods"]);
    let whoami = kubectl("newcomer@kscope-sim", &["auth", "whoami"]);
    let _ = sim.kill();
    let _ = sim.wait();
    assert_eq!(String::from_utf8_lossy(&ops.stdout).trim(), "yes");
    assert_eq!(newcomer.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&newcomer.stdout).trim(), "no");
    assert!(
        squash(&String::from_utf8_lossy(&whoami.stdout)).contains("Username newcomer"),
        "{whoami:?}"
    );

    let taken = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["sim", "--user", "viewer:edit"])
        .output()
        .expect("kscope runs");
    let stderr = String::from_utf8_lossy(&taken.stderr);
    assert_eq!(taken.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--user viewer: there is already a user of that name"),
        "{stderr}"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_kscope"))
        .args(["sim", "--user", "two words"])
        .output()
        .expect("kscope runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("a user's name is letters, digits"),
        "{bad:?}"
    );
}

/// A namespace's admin may make Roles and bindings there, but grant nothing it does not hold
/// itself, in the API server's words.
#[test]
fn a_namespace_admin_cannot_grant_what_it_does_not_hold() {
    let mut shape = ClusterShape::default();
    shape.users.push("dev".parse::<SimUser>().expect("a user"));
    let c = Cluster::with_shape(shape);
    c.kubectl(&[
        "create",
        "rolebinding",
        "dev-admin",
        "--clusterrole=admin",
        "--user=dev",
        "-n",
        "shop",
    ])
    .ok();
    c.kubectl_as(
        "dev",
        &[
            "create",
            "role",
            "pod-reader",
            "--verb=get,list",
            "--resource=pods",
            "-n",
            "shop",
        ],
    )
    .ok();
    let nodes = c
        .kubectl_as(
            "dev",
            &[
                "create",
                "role",
                "node-reader",
                "--verb=list",
                "--resource=nodes",
                "-n",
                "shop",
            ],
        )
        .fails();
    assert_eq!(
        nodes.stderr,
        "Error from server (Forbidden): roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"dev\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"list\"]}\n",
        "{nodes}"
    );
    let bound = c
        .kubectl_as(
            "dev",
            &[
                "create",
                "rolebinding",
                "root",
                "--clusterrole=cluster-admin",
                "--user=dev",
                "-n",
                "shop",
            ],
        )
        .fails();
    bound.stderr_has(
        "rolebindings.rbac.authorization.k8s.io \"root\" is forbidden: user \"dev\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}",
    );
    c.kubectl_as(
        "dev",
        &[
            "create",
            "rolebinding",
            "readers",
            "--role=pod-reader",
            "--group=readers",
            "-n",
            "shop",
        ],
    )
    .ok();
    // The admin is in system:masters, which may grant anything.
    c.kubectl(&[
        "create",
        "role",
        "node-reader",
        "--verb=list",
        "--resource=nodes",
        "-n",
        "shop",
    ])
    .ok();
}

/// `--as` and `--as-group`: the admin may act as anyone, a viewer as no one.
#[test]
fn impersonation_is_allowed_to_the_admin_and_refused_to_the_viewer() {
    let c = Cluster::start();
    let no = c
        .kubectl(&["auth", "can-i", "list", "secrets", "--as", "viewer"])
        .fails();
    assert_eq!(no.stdout.trim(), "no", "{no}");
    let refused = c.kubectl(&["get", "secrets", "--as", "viewer"]).fails();
    refused.stderr_has(
        "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"",
    );
    let whoami = c
        .kubectl(&["auth", "whoami", "--as", "alice", "--as-group", "devs"])
        .ok();
    assert_eq!(
        squash(&whoami.stdout),
        "ATTRIBUTE VALUE Username alice Groups [devs system:authenticated]",
        "{whoami}"
    );
    let escalated = c
        .kubectl_as("viewer", &["get", "secrets", "--as", "kubernetes-admin"])
        .fails();
    escalated.stderr_has(
        "Error from server (Forbidden): users \"kubernetes-admin\" is forbidden: User \"viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
    );
}
