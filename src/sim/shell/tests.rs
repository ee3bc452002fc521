//! The shell driven as exec drives it, on a pod built in the test.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::mpsc;

use super::io::{Output, Sink, Stdin};
use super::{Filesystems, Io, NotFound, exec};
use crate::sim::state::Sim;

fn pod(image: &str) -> serde_json::Value {
    json!({
        "metadata": {"name": "web-1", "namespace": "shop", "uid": "u-1", "labels": {"app": "web"}},
        "spec": {
            "nodeName": "worker-1",
            "containers": [{
                "name": "web", "image": image, "command": ["nginx", "-g", "daemon off;"],
                "env": [
                    {"name": "MODE", "value": "blue"},
                    {"name": "URL", "value": "http://$(MODE)"},
                    {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                ],
                "volumeMounts": [
                    {"name": "cache", "mountPath": "/cache"},
                    {"name": "info", "mountPath": "/etc/podinfo"},
                ],
            }],
            "volumes": [
                {"name": "cache", "emptyDir": {}},
                {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            ],
        },
        "status": {"podIP": "10.244.1.7"},
    })
}

/// Runs a command; returns (status, stdout, stderr).
async fn run(
    sim: &Sim,
    fs: &Filesystems,
    image: &str,
    argv: &[&str],
    stdin: &[u8],
) -> Result<(i32, String, String), NotFound> {
    let (view, files) = fs.enter(sim, &pod(image), "web").expect("the container");
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let mut io = Io {
        stdin: Stdin::Bytes(Arc::new(stdin.to_vec())),
        out: Sink::Remote {
            sender: sender.clone(),
            stderr: false,
            tty: false,
        },
        err: Sink::Remote {
            sender,
            stderr: true,
            tty: false,
        },
        terminal: None,
    };
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let code = exec(view, files, &argv, &mut io).await?;
    drop(io);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    while let Some(o) = receiver.recv().await {
        match o {
            Output::Stdout(b) => out.extend(b),
            Output::Stderr(b) => err.extend(b),
        }
    }
    Ok((
        code,
        String::from_utf8_lossy(&out).into(),
        String::from_utf8_lossy(&err).into(),
    ))
}

#[tokio::test]
async fn a_container_as_a_shell_sees_it() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let (code, out, _) = run(&sim, &fs, "nginx:1.27", &["ls", "/etc"], b"")
        .await
        .unwrap();
    assert_eq!(code, 0);
    for name in ["hostname", "hosts", "resolv.conf", "passwd", "podinfo"] {
        assert!(out.lines().any(|l| l == name), "{name} in {out}");
    }
    let (_, out, _) = run(&sim, &fs, "nginx:1.27", &["cat", "/etc/resolv.conf"], b"")
        .await
        .unwrap();
    assert!(
        out.starts_with("search shop.svc.cluster.local svc.cluster.local cluster.local\n"),
        "{out}"
    );
    let (_, out, _) = run(
        &sim,
        &fs,
        "nginx:1.27",
        &[
            "sh",
            "-c",
            "echo $URL $POD; hostname; cat /etc/podinfo/labels",
        ],
        b"",
    )
    .await
    .unwrap();
    // The kubelet writes a map one `key="value"` a line, without a last newline.
    assert_eq!(out, "http://blue web-1\nweb-1\napp=\"web\"");
    let (code, _, err) = run(&sim, &fs, "nginx:1.27", &["sh", "-c", "nope; exit 3"], b"")
        .await
        .unwrap();
    assert_eq!((code, err.as_str()), (3, "sh: nope: not found\n"));
    let (code, out, _) = run(&sim, &fs, "nginx:1.27", &["cat", "/proc/1/cmdline"], b"")
        .await
        .unwrap();
    assert_eq!((code, out.as_str()), (0, "nginx\0-g\0daemon off;\0"));
}

#[tokio::test]
async fn writes_land_where_volumes_allow_and_last() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let (code, _, _) = run(
        &sim,
        &fs,
        "busybox:1.37",
        &[
            "sh",
            "-c",
            "echo hi > /cache/a && mkdir -p /tmp/d && touch /tmp/d/x",
        ],
        b"",
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    let (_, out, _) = run(&sim, &fs, "busybox:1.37", &["cat", "/cache/a"], b"")
        .await
        .unwrap();
    assert_eq!(out, "hi\n");
    let (code, _, err) = run(&sim, &fs, "busybox:1.37", &["touch", "/etc/podinfo/x"], b"")
        .await
        .unwrap();
    assert_eq!(
        (code, err.as_str()),
        (1, "touch: /etc/podinfo/x: Read-only file system\n")
    );
    let (_, out, _) = run(
        &sim,
        &fs,
        "busybox:1.37",
        &["sh", "-c", "cat /etc/hosts | grep web | wc -l"],
        b"",
    )
    .await
    .unwrap();
    assert_eq!(out, "1\n");
}

#[tokio::test]
async fn tar_round_trips_as_kubectl_cp_uses_it() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(6);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, "notes/a.txt", &b"hello\n"[..])
        .unwrap();
    let archive = builder.into_inner().unwrap();
    let (code, _, err) = run(
        &sim,
        &fs,
        "busybox:1.37",
        &["tar", "-xmf", "-", "-C", "/tmp"],
        &archive,
    )
    .await
    .unwrap();
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, _, _) = run(
        &sim,
        &fs,
        "busybox:1.37",
        &["test", "-d", "/tmp/notes"],
        b"",
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    let (code, out, _) = run(
        &sim,
        &fs,
        "busybox:1.37",
        &["tar", "cf", "-", "/tmp/notes"],
        b"",
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    let mut read = tar::Archive::new(out.as_bytes());
    let names: Vec<String> = read
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["tmp/notes/", "tmp/notes/a.txt"]);
}

#[tokio::test]
async fn images_without_a_shell_cannot_exec_it() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let result = run(&sim, &fs, "gcr.io/distroless/static:nonroot", &["sh"], b"").await;
    assert_eq!(result.unwrap_err(), NotFound("sh".into()));
    let result = run(&sim, &fs, "nginx:1.27", &["frobnicate"], b"").await;
    assert_eq!(result.unwrap_err(), NotFound("frobnicate".into()));
}

#[tokio::test]
async fn the_shell_check_k9s_runs_picks_bash_where_the_image_has_it() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let check = "command -v bash >/dev/null && exec bash -c 'echo bash; exit 4' || exec sh -c 'echo sh; exit 5'; echo never";
    let (code, out, err) = run(&sim, &fs, "nginx:1.27", &["sh", "-c", check], b"")
        .await
        .unwrap();
    assert_eq!((code, out.as_str(), err.as_str()), (4, "bash\n", ""));
    let (code, out, err) = run(&sim, &fs, "busybox:1.36", &["sh", "-c", check], b"")
        .await
        .unwrap();
    assert_eq!((code, out.as_str(), err.as_str()), (5, "sh\n", ""));
    let (code, out, _) = run(
        &sim,
        &fs,
        "busybox:1.36",
        &["sh", "-c", "command -v ls cd nope"],
        b"",
    )
    .await
    .unwrap();
    assert_eq!((code, out.as_str()), (1, "/bin/ls\ncd\n"));
}

#[tokio::test]
async fn stty_reads_the_size_the_client_sent_and_needs_a_terminal() {
    let sim = Sim::new("t".into(), "127.0.0.1:1".into(), 1);
    let fs = Filesystems::default();
    let (code, out, err) = run(&sim, &fs, "nginx:1.27", &["stty", "size"], b"")
        .await
        .unwrap();
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (1, "", "stty: standard input: Not a tty\n")
    );
    let terminal = super::io::Terminal::default();
    assert_eq!(terminal.size(), (0, 0), "a tty whose size was never set");
    terminal.resize(br#"{"Width":120,"Height":40}"#);
    assert_eq!(terminal.size(), (40, 120));
    terminal.resize(b"{\"Width\":");
    assert_eq!(terminal.size(), (40, 120), "a malformed resize is ignored");
}
