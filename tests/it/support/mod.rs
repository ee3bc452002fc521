//! Shared helpers for the integration tests.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

pub mod explorer;
pub mod fixed_api_server;
pub mod kubectl;
pub mod proxy;
pub mod sim_process;
pub mod simulated;
pub mod tmux;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Every byte of an HTTP body, read frame by frame (trailers skipped).
pub async fn body_bytes<B>(mut body: B) -> Vec<u8>
where
    B: hyper::body::Body + Unpin,
    B::Error: std::fmt::Debug,
{
    let mut bytes = Vec::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        if let Ok(data) = frame.expect("a body frame").into_data() {
            // Every piece of the frame's data (`put` reads them all, not its first chunk).
            bytes::BufMut::put(&mut bytes, data);
        }
    }
    bytes
}

/// The clock every test output is pinned to.
pub const NOW: &str = "2026-11-21T10:00:00Z";

/// Runs the built `kscope` binary with `args`, feeding `stdin`, with a clean environment for
/// colour and kubeconfig lookups.
pub fn kscope(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kscope"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .env_remove("NO_COLOR")
        .env("HOME", "/nonexistent-home-for-tests")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("kscope runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts input");
    child.wait_with_output().expect("kscope finishes")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts a runtime failure: exit 1 and exactly one line on stderr containing `needle`.
pub fn assert_one_line_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("kscope: error: "), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}
