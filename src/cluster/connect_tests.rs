//! Connecting with a credential plugin (slow, failing, answering; with the terminal withheld)
//! and with certificate authority data kube-rs could not use.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

/// A kubeconfig with one context, `plugged`, whose user runs `plugin` (a shell script's body)
/// and whose cluster has `ca` as its certificate-authority-data.
fn kubeconfig(dir: &Path, plugin: &str, ca: &str, interactive: &str) -> ClusterTarget {
    let script = dir.join("plugin.sh");
    std::fs::write(&script, format!("#!/bin/sh\n{plugin}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = dir.join("config");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: plugged\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\n    certificate-authority-data: {ca}\ncontexts:\n- name: plugged\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: {interactive}\n",
            script.display()
        ),
    )
    .unwrap();
    ClusterTarget {
        kubeconfig: Some(path),
        context: None,
    }
}

/// A certificate authority's PEM as kubeconfigs carry it (base64).
fn good_ca() -> String {
    let ca = rcgen::generate_simple_self_signed(vec!["ca".to_string()]).unwrap();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(ca.cert.pem())
}

fn script(dir: &Path) -> PathBuf {
    dir.join("plugin.sh")
}

const ANSWER: &str = r#"echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'"#;

#[tokio::test]
async fn a_plugin_that_does_not_answer_in_time_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = kubeconfig(
        dir.path(),
        &format!("sleep 5\n{ANSWER}"),
        &good_ca(),
        "Never",
    );
    let pending = prepare(&target, PluginTerminal::Withheld).await.unwrap();
    assert_eq!(pending.plugin(), Some(script(dir.path()).to_str().unwrap()));
    let error = pending
        .connect_within(Duration::from_secs(1))
        .await
        .err()
        .expect("the plugin is still asleep");
    assert_eq!(
        error.to_string(),
        format!(
            "credential plugin \"{}\" did not answer within 1s",
            script(dir.path()).display()
        )
    );
}

#[tokio::test]
async fn a_failing_plugin_is_named_with_its_status_and_last_words() {
    let dir = tempfile::tempdir().unwrap();
    let target = kubeconfig(
        dir.path(),
        "echo 'login expired' >&2\nexit 3",
        &good_ca(),
        "Never",
    );
    let error = connect(&target, PluginTerminal::Withheld)
        .await
        .err()
        .expect("the plugin fails");
    assert_eq!(
        format!("{error:#}"),
        format!(
            "cannot build a client for https://127.0.0.1:1/: credential plugin \"{}\" failed (exit status: 3): login expired",
            script(dir.path()).display()
        )
    );
}

#[tokio::test]
async fn with_the_screen_open_the_plugin_is_told_nobody_can_answer() {
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("exec-info");
    let target = kubeconfig(
        dir.path(),
        &format!(
            "echo \"$KUBERNETES_EXEC_INFO\" > {}\n{ANSWER}",
            seen.display()
        ),
        &good_ca(),
        "IfAvailable",
    );
    let connection = connect(&target, PluginTerminal::Withheld).await.unwrap();
    assert_eq!(connection.context, "plugged");
    let info = std::fs::read_to_string(&seen).unwrap();
    assert!(info.contains(r#""interactive":false"#), "{info}");

    // A plugin that insists on a terminal is refused before it runs.
    let always = kubeconfig(dir.path(), ANSWER, &good_ca(), "Always");
    let error = prepare(&always, PluginTerminal::Withheld)
        .await
        .err()
        .expect("refused");
    assert!(
        error
            .to_string()
            .contains("needs a terminal (interactiveMode: Always)"),
        "{error}"
    );
    assert!(prepare(&always, PluginTerminal::Shared).await.is_ok());
}

#[tokio::test]
async fn certificate_authority_data_that_holds_no_certificate_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // base64 of "not a cert"
        (
            "bm90IGEgY2VydA==",
            "no PEM certificate in it (-----BEGIN CERTIFICATE-----)",
        ),
        ("not-base64%", "not base64 ("),
        (
            // a PEM block whose body is no certificate
            "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
            "certificate 1 in it is not an X.509 certificate",
        ),
    ];
    for (data, says) in cases {
        let target = kubeconfig(dir.path(), ANSWER, data, "Never");
        let error = prepare(&target, PluginTerminal::Shared)
            .await
            .err()
            .expect("refused");
        let line = format!("{error:#}");
        assert!(
            line.starts_with("context \"plugged\" in kubeconfig ")
                && line.contains(": cannot read certificate-authority-data of cluster \"c\": ")
                && line.contains(says),
            "{data}: {line}"
        );
    }
}
