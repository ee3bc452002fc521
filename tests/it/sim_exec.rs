//! exec, attach and cp into the simulator's containers, judged by the real kubectl at its
//! default flags (WebSocket, `v5.channel.k8s.io`) and by kube-rs: output, exit codes, stdin,
//! copies both ways, an interactive shell in a terminal, and the refusals of a real cluster.

use crate::support;

use std::time::Duration;

use support::kubectl::{Cluster, kubectl_path};
use support::tmux::Tmux;

#[test]
fn sim_exec_runs_commands_and_reports_exit_codes() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let run = c
        .kubectl(&["exec", "-n", "shop", &pod, "--", "ls", "/etc"])
        .ok();
    let names: Vec<&str> = run.stdout.lines().collect();
    for name in ["hostname", "hosts", "passwd", "resolv.conf"] {
        assert!(names.contains(&name), "{name} missing from ls /etc:\n{run}");
    }
    let run = c
        .kubectl(&["exec", "-n", "shop", &pod, "--", "cat", "/etc/hostname"])
        .ok();
    assert_eq!(run.stdout, format!("{pod}\n"));
    let run = c
        .kubectl(&[
            "exec",
            "-n",
            "shop",
            &pod,
            "--",
            "cat",
            "/var/run/secrets/kubernetes.io/serviceaccount/namespace",
        ])
        .ok();
    assert_eq!(run.stdout, "shop");
    let run = c.kubectl(&[
        "exec",
        "-n",
        "shop",
        &pod,
        "--",
        "sh",
        "-c",
        "echo partial; exit 3",
    ]);
    assert_eq!(run.code, Some(3), "{run}");
    assert_eq!(run.stdout, "partial\n");
    run.stderr_has("command terminated with exit code 3");
    let run = c.kubectl(&["exec", "-n", "shop", &pod, "--", "sh", "-c", "frobnicate"]);
    assert_eq!(run.code, Some(127), "{run}");
    run.stderr_has("sh: frobnicate: not found");
}

#[test]
fn sim_exec_reads_stdin_until_it_closes() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let input = "first line\nsecond line\n";
    let run = c
        .kubectl_stdin(
            &["exec", "-i", "-n", "shop", &pod, "--", "cat"],
            input.as_bytes(),
        )
        .ok();
    assert_eq!(run.stdout, input);
    let run = c
        .kubectl_stdin(
            &["exec", "-i", "-n", "shop", &pod, "--", "sh", "-c", "wc -l"],
            input.as_bytes(),
        )
        .ok();
    assert_eq!(run.stdout.trim(), "2");
}

#[test]
fn sim_exec_cp_copies_both_ways() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let local = tempfile::tempdir().expect("a temporary directory");
    let file = local.path().join("notes.txt");
    std::fs::write(&file, "copied in\n").expect("a file");
    std::fs::create_dir(local.path().join("tree")).expect("a directory");
    std::fs::write(local.path().join("tree/inner.txt"), "deeper\n").expect("a file");
    let file_arg = file.to_string_lossy().into_owned();
    let tree_arg = local.path().join("tree").to_string_lossy().into_owned();
    c.kubectl(&["cp", &file_arg, &format!("shop/{pod}:/tmp/notes.txt")])
        .ok();
    c.kubectl(&["cp", &tree_arg, &format!("shop/{pod}:/tmp/tree")])
        .ok();
    let run = c
        .kubectl(&[
            "exec",
            "-n",
            "shop",
            &pod,
            "--",
            "cat",
            "/tmp/notes.txt",
            "/tmp/tree/inner.txt",
        ])
        .ok();
    assert_eq!(run.stdout, "copied in\ndeeper\n");
    let back = local.path().join("back");
    c.kubectl(&[
        "cp",
        &format!("shop/{pod}:/tmp/tree"),
        &back.to_string_lossy(),
    ])
    .ok();
    assert_eq!(
        std::fs::read_to_string(back.join("inner.txt")).expect("copied back"),
        "deeper\n"
    );
    let hosts = local.path().join("hosts");
    c.kubectl(&[
        "cp",
        &format!("shop/{pod}:/etc/hosts"),
        &hosts.to_string_lossy(),
    ])
    .ok();
    let text = std::fs::read_to_string(hosts).expect("copied back");
    assert!(
        text.starts_with("# Kubernetes-managed hosts file.\n"),
        "{text}"
    );
    assert!(text.contains(&format!("\t{pod}\n")), "{text}");
    // A ConfigMap volume or the image's /etc refuses writes, as a read-only mount does.
    let run = c.kubectl(&[
        "exec",
        "-n",
        "shop",
        &pod,
        "--",
        "touch",
        "/var/run/secrets/kubernetes.io/serviceaccount/x",
    ]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("Read-only file system");
}

#[test]
fn sim_exec_attach_streams_the_containers_output() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let mut attach = c.spawn(&["attach", "-n", "shop", &pod]);
    // nginx's access log, as `kubectl logs` shows it, arriving live.
    attach.wait_for_line("of nginx's access log", Duration::from_secs(20), |line| {
        line.contains("\"GET /")
    });
}

#[test]
fn sim_exec_attach_talks_to_a_shell_that_reads_stdin() {
    let c = Cluster::start();
    let manifest = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "toolbox", "namespace": "default"},
        "spec": {"containers": [{"name": "toolbox", "image": "busybox:1.37", "command": ["sh"], "stdin": true}]}}"#;
    c.kubectl_stdin(&["create", "-f", "-"], manifest.as_bytes())
        .ok();
    c.wait_for("toolbox to run", Duration::from_secs(45), || {
        let run = c.kubectl(&["get", "pod", "toolbox", "-o", "jsonpath={.status.phase}"]);
        if run.stdout == "Running" {
            Ok(())
        } else {
            Err(run.to_string())
        }
    });
    let run = c
        .kubectl_stdin(
            &["attach", "-i", "toolbox"],
            b"echo attached to $HOSTNAME\n",
        )
        .ok();
    run.stdout_has("attached to toolbox\n");
}

#[test]
fn sim_exec_interactive_shell_in_a_terminal() {
    let c = Cluster::start();
    let pod = c.web_pod();
    let command = format!(
        "{} --kubeconfig {} exec -it -n shop {pod} -- sh; echo EXIT=$?; sleep 60",
        kubectl_path().display(),
        c.kubeconfig().display()
    );
    let tmux = Tmux::start("exec-it", &command);
    // Debian's `sh` prompts `# ` (the pane drops the trailing space).
    let screen = tmux.wait_for("#");
    assert_eq!(screen.lines().next(), Some("#"), "{screen}");
    tmux.keys(&["ls /etc", "Enter"]);
    tmux.wait_for("resolv.conf");
    tmux.keys(&["env", "Enter"]);
    tmux.wait_for("KUBERNETES_SERVICE_HOST=");
    tmux.keys(&["cd /tmp && pwd", "Enter"]);
    tmux.wait_for("\n/tmp\n");
    // kubectl sends the terminal's size, and again on each resize.
    tmux.keys(&["stty size", "Enter"]);
    tmux.wait_for("\n30 100\n");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.keys(&["stty size", "Enter"]);
    tmux.wait_for("\n40 120\n");
    tmux.keys(&["exit 3", "Enter"]);
    let screen = tmux.wait_for("EXIT=3");
    assert!(
        screen.contains("command terminated with exit code 3"),
        "{screen}"
    );
}

#[test]
fn sim_exec_refuses_as_a_real_cluster_does() {
    let c = Cluster::start();
    // A container that is not running (an init container keeps failing).
    let run = c.kubectl(&["exec", "-n", "shop", "orders-0", "-c", "orders", "--", "ls"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("error: unable to upgrade connection: container not found (\"orders\")");
    // An image without a shell: the runtime's words through the error channel.
    let coredns = c
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "kube-system",
            "-l",
            "k8s-app=kube-dns",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .ok()
        .stdout;
    let run = c.kubectl(&["exec", "-n", "kube-system", &coredns, "--", "sh"]);
    assert_eq!(run.code, Some(1), "{run}");
    run.stderr_has("error: Internal error occurred: Internal error occurred: error executing command in container:");
    run.stderr_has("exec: \"sh\": executable file not found in $PATH: unknown");
    // A completed pod, refused by kubectl before it asks.
    let run = c.kubectl(&["exec", "-n", "shop", "debug-shell", "--", "ls"]);
    run.stderr_has("cannot exec into a container in a completed pod; current phase is Succeeded");
}

#[test]
fn sim_exec_ends_when_the_pod_is_deleted() {
    let c = Cluster::start();
    let pod = c.web_pod();
    std::thread::scope(|scope| {
        let session =
            scope.spawn(|| c.kubectl(&["exec", "-n", "shop", &pod, "--", "sleep", "120"]));
        std::thread::sleep(Duration::from_secs(2));
        c.kubectl(&[
            "delete",
            "pod",
            "-n",
            "shop",
            &pod,
            "--grace-period=0",
            "--force",
        ])
        .ok();
        let run = session.join().expect("the session's thread");
        assert_eq!(run.code, Some(137), "{run}");
        run.stderr_has("command terminated with exit code 137");
    });
}

/// kube-rs (`ws` feature, `v5.channel.k8s.io`): stdout and stderr apart, the status with the
/// exit code, stdin closed by the v5 close message, and the API server's refusal of a container
/// the pod does not have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_exec_through_kube_rs() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::{Api, AttachParams};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        Default::default(),
    )
    .await
    .expect("the simulator starts");
    let client = sim.client().expect("a client");
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let pod = support::kubectl::running_web_pod(&pods).await;
    let work = async {
        let mut process = pods
            .exec(
                &pod,
                ["sh", "-c", "echo out; echo err >&2; exit 4"],
                &AttachParams::default().stderr(true),
            )
            .await
            .expect("exec starts");
        let (mut out, mut err) = (String::new(), String::new());
        process
            .stdout()
            .expect("stdout")
            .read_to_string(&mut out)
            .await
            .expect("stdout");
        process
            .stderr()
            .expect("stderr")
            .read_to_string(&mut err)
            .await
            .expect("stderr");
        let status = process
            .take_status()
            .expect("a status")
            .await
            .expect("the status");
        assert_eq!((out.as_str(), err.as_str()), ("out\n", "err\n"));
        assert_eq!(status.status.as_deref(), Some("Failure"));
        assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
        let cause = &status.details.expect("details").causes.expect("causes")[0];
        assert_eq!(
            (cause.reason.as_deref(), cause.message.as_deref()),
            (Some("ExitCode"), Some("4"))
        );

        let mut process = pods
            .exec(
                &pod,
                ["cat"],
                &AttachParams::default().stdin(true).stderr(false),
            )
            .await
            .expect("exec starts");
        let mut stdin = process.stdin().expect("stdin");
        stdin.write_all(b"through stdin\n").await.expect("written");
        // kube sends v5's close message once its stdin pipe is shut down.
        stdin.shutdown().await.expect("stdin closed");
        let mut out = String::new();
        process
            .stdout()
            .expect("stdout")
            .read_to_string(&mut out)
            .await
            .expect("stdout");
        let status = process
            .take_status()
            .expect("a status")
            .await
            .expect("the status");
        assert_eq!(out, "through stdin\n");
        assert_eq!(status.status.as_deref(), Some("Success"));

        let refused = pods
            .exec(&pod, ["ls"], &AttachParams::default().container("sidecar"))
            .await
            .err()
            .expect("an unknown container is refused");
        assert!(refused.to_string().contains("400"), "{refused}");
        let request = http::Request::get(format!(
            "/api/v1/namespaces/shop/pods/{pod}/exec?container=sidecar&command=ls&stdout=true"
        ))
        .body(Vec::new())
        .expect("a request");
        let error = client.request_text(request).await.expect_err("refused");
        assert!(
            error
                .to_string()
                .contains(&format!("container sidecar is not valid for pod {pod}")),
            "{error}"
        );
    };
    tokio::time::timeout(Duration::from_secs(60), work)
        .await
        .expect("within a minute");
    sim.stop().await;
}

/// One exec over a bare WebSocket offering `protocol`: the protocol the server chose, and each
/// channel's bytes (text messages decoded from base64).
async fn bare_exec(
    sim: &kscope::sim::RunningSim,
    pod: &str,
    protocol: &str,
    script: &str,
) -> (String, Vec<Vec<u8>>) {
    use base64::Engine as _;
    use futures::StreamExt as _;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

    let pem = sim
        .ca_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    let der = base64::engine::general_purpose::STANDARD
        .decode(pem)
        .expect("the CA's DER");
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der.into()).expect("the CA is a certificate");
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let address = sim.url.trim_start_matches("https://").to_string();
    let tcp = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("a name");
    let tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("a TLS session");
    let query: String = serde_urlencoded::to_string([
        ("command", "sh"),
        ("command", "-c"),
        ("command", script),
        ("stdout", "true"),
        ("stderr", "true"),
    ])
    .expect("a query");
    let mut request = format!("wss://{address}/api/v1/namespaces/shop/pods/{pod}/exec?{query}")
        .into_client_request()
        .expect("a request");
    let headers = request.headers_mut();
    headers.insert(
        "Authorization",
        format!("Bearer {}", sim.token).parse().expect("a header"),
    );
    headers.insert(
        "Sec-WebSocket-Protocol",
        protocol.parse().expect("a header"),
    );
    let (mut socket, response) = tokio_tungstenite::client_async(request, tls)
        .await
        .expect("the upgrade");
    let chosen = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut channels = vec![Vec::new(); 5];
    while let Some(message) = socket.next().await {
        let (channel, data) = match message.expect("a message") {
            Message::Binary(bytes) if !bytes.is_empty() => (bytes[0], bytes[1..].to_vec()),
            Message::Text(text) if !text.is_empty() => {
                let text = text.as_str();
                let data = base64::engine::general_purpose::STANDARD
                    .decode(&text[1..])
                    .expect("base64");
                (text.as_bytes()[0] - b'0', data)
            }
            Message::Close(_) => break,
            _ => continue,
        };
        channels[channel as usize].extend(data);
    }
    (chosen, channels)
}

/// The older channel protocols (what the Python client and older kube-rs ask for), each with
/// its framing and its error channel as the kubelet writes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_exec_speaks_the_older_channel_protocols() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::Api;

    let sim = kscope::sim::start(
        "127.0.0.1:0".parse().expect("an address"),
        Default::default(),
    )
    .await
    .expect("the simulator starts");
    let pods: Api<Pod> = Api::namespaced(sim.client().expect("a client"), "shop");
    let pod = support::kubectl::running_web_pod(&pods).await;
    let work = async {
        let script = "echo out; echo err >&2; exit 2";
        let kubelet_words = "command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 2], exit code 2";
        for protocol in ["v4.channel.k8s.io", "v4.base64.channel.k8s.io"] {
            let (chosen, channels) = bare_exec(&sim, &pod, protocol, script).await;
            assert_eq!(chosen, protocol);
            assert_eq!(
                (&channels[1][..], &channels[2][..]),
                (&b"out\n"[..], &b"err\n"[..]),
                "{protocol}"
            );
            let status: serde_json::Value = serde_json::from_slice(&channels[3]).expect("a Status");
            assert_eq!(status["reason"], "NonZeroExitCode", "{protocol}");
            assert_eq!(status["message"], kubelet_words, "{protocol}");
            assert_eq!(status["details"]["causes"][0]["message"], "2");
        }
        for protocol in ["channel.k8s.io", "base64.channel.k8s.io"] {
            let (chosen, channels) = bare_exec(&sim, &pod, protocol, script).await;
            assert_eq!(chosen, protocol);
            assert_eq!(channels[1], b"out\n", "{protocol}");
            assert_eq!(
                String::from_utf8_lossy(&channels[3]),
                kubelet_words,
                "{protocol}"
            );
        }
        let (chosen, channels) =
            bare_exec(&sim, &pod, "v2.channel.k8s.io, channel.k8s.io", "true").await;
        assert_eq!(chosen, "v2.channel.k8s.io");
        assert!(channels[3].is_empty(), "success says nothing before v4");
    };
    tokio::time::timeout(Duration::from_secs(60), work)
        .await
        .expect("within a minute");
    sim.stop().await;
}
