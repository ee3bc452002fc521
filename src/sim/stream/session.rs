//! One exec or attach session over a WebSocket: client messages routed to the process's stdin
//! (and resizes read), the process's output framed by channel, and at the end the status on
//! the error channel and a close frame. The process is killed (exit 137, as when the runtime
//! stops the container) if the pod goes away or its container stops meanwhile.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use tokio::sync::mpsc;

use super::protocol::{self, Frame, Incoming, Outcome, Protocol};
use super::{Kind, Options};
use crate::sim::shell::io::{Output, RemoteInput, Sink, Stdin};
use crate::sim::shell::{self, Container, Fs, Io};
use crate::sim::state::Sim;

/// What a session needs, gathered before the upgrade.
pub struct Session {
    pub sim: Arc<Sim>,
    pub namespace: String,
    pub pod: String,
    pub uid: String,
    pub container: Arc<Container>,
    pub fs: Arc<Mutex<Fs>>,
    pub protocol: Protocol,
    pub options: Options,
    pub kind: Kind,
    pub attach_shell: bool,
}

/// The exit code of a process the runtime killed (SIGKILL).
const KILLED: i32 = 137;

fn message(frame: Frame) -> Message {
    match frame {
        Frame::Binary(bytes) => Message::Binary(bytes.into()),
        Frame::Text(text) => Message::Text(text.into()),
    }
}

impl Session {
    /// Runs the session to its end.
    pub async fn run(self, mut socket: WebSocket) {
        let (output, mut outputs) = mpsc::unbounded_channel::<Output>();
        let (stdin_sender, stdin_receiver) = mpsc::unbounded_channel::<Vec<u8>>();
        let mut stdin_sender = self.options.stdin.then_some(stdin_sender);
        let tty = self.options.tty;
        let input = RemoteInput::new(stdin_receiver, tty.then(|| output.clone()));
        let stdin = if self.options.stdin {
            Stdin::Remote(Arc::new(tokio::sync::Mutex::new(input)))
        } else {
            Stdin::Empty
        };
        let sink = |wanted: bool, stderr: bool| {
            if wanted {
                Sink::Remote {
                    sender: output.clone(),
                    stderr,
                    tty,
                }
            } else {
                Sink::Null
            }
        };
        let terminal = tty.then(crate::sim::shell::io::Terminal::default);
        let io = Io {
            stdin,
            out: sink(self.options.stdout, false),
            err: sink(self.options.stderr || (tty && self.options.stdout), true),
            terminal: terminal.clone(),
        };
        drop(output);
        let process = tokio::spawn(process(
            self.sim.clone(),
            self.namespace.clone(),
            self.pod.clone(),
            self.uid.clone(),
            self.container.clone(),
            self.fs.clone(),
            self.options.command.clone(),
            self.kind,
            self.attach_shell,
            io,
        ));
        let abort = process.abort_handle();
        let protocol = self.protocol;
        let mut process = process;
        let outcome = loop {
            tokio::select! {
                incoming = socket.recv() => {
                    let (bytes, text) = match incoming {
                        Some(Ok(Message::Binary(bytes))) => (bytes.to_vec(), false),
                        Some(Ok(Message::Text(text))) => (text.as_str().as_bytes().to_vec(), true),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                        // The client went away: so does the process.
                        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                            abort.abort();
                            return;
                        }
                    };
                    match protocol.read(&bytes, text) {
                        Incoming::Data(protocol::STDIN, data) => {
                            if let Some(sender) = &stdin_sender {
                                let _ = sender.send(data);
                            }
                        }
                        Incoming::Data(protocol::RESIZE, data) if protocol.resizes() => {
                            if let Some(terminal) = &terminal {
                                terminal.resize(&data);
                            }
                        }
                        Incoming::Close(protocol::STDIN) => stdin_sender = None,
                        _ => {}
                    }
                }
                Some(out) = outputs.recv() => {
                    if send_output(&mut socket, &protocol, out).await.is_err() {
                        abort.abort();
                        return;
                    }
                }
                finished = &mut process => {
                    break finished.unwrap_or(Outcome::Exited(KILLED));
                }
            }
        };
        while let Ok(out) = outputs.try_recv() {
            if send_output(&mut socket, &protocol, out).await.is_err() {
                return;
            }
        }
        let status = protocol::status(&protocol, &self.options.command, &outcome);
        if let Some(text) = protocol.status_message(&status) {
            let _ = socket
                .send(message(protocol.frame(protocol::ERROR, &text)))
                .await;
        }
        // A normal closure (1000): a close without a code (1005) is an error to gorilla's reader.
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: close_code::NORMAL,
                reason: "".into(),
            })))
            .await;
        // Read until the client closes its side, briefly, so the close handshake completes.
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(message)) = socket.recv().await {
                if matches!(message, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
}

async fn send_output(
    socket: &mut WebSocket,
    protocol: &Protocol,
    out: Output,
) -> Result<(), axum::Error> {
    let (channel, data) = match out {
        Output::Stdout(data) => (protocol::STDOUT, data),
        Output::Stderr(data) => (protocol::STDERR, data),
    };
    socket.send(message(protocol.frame(channel, &data))).await
}

/// Resolves when the pod is gone or replaced, or the container no longer runs.
async fn container_stopped(
    sim: Arc<Sim>,
    namespace: String,
    pod: String,
    uid: String,
    container: String,
) {
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let alive = sim.get("v1", "Pod", &namespace, &pod).is_some_and(|p| {
            p["metadata"]["uid"].as_str() == Some(uid.as_str()) && super::running(&p, &container)
        });
        if !alive {
            return;
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn process(
    sim: Arc<Sim>,
    namespace: String,
    pod: String,
    uid: String,
    container: Arc<Container>,
    fs: Arc<Mutex<Fs>>,
    command: Vec<String>,
    kind: Kind,
    attach_shell: bool,
    mut io: Io,
) -> Outcome {
    let stopped = container_stopped(
        sim.clone(),
        namespace.clone(),
        pod.clone(),
        uid.clone(),
        container.name.clone(),
    );
    let run = async {
        match kind {
            Kind::Exec => match shell::exec(container.clone(), fs, &command, &mut io).await {
                Ok(code) => Outcome::Exited(code),
                Err(shell::NotFound(program)) => Outcome::NotFound {
                    program,
                    exec_id: exec_id(&sim),
                },
            },
            Kind::Attach if attach_shell => {
                let argv = vec![
                    container
                        .cmdline
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "sh".into()),
                ];
                // Attach reports no exit code: the kubelet's attach ends with Success
                // whatever the process did.
                let exited = shell::exec(container.clone(), fs, &argv, &mut io).await;
                // An ephemeral container's shell is its process: when it exits, so does it.
                if let Ok(code) = exited
                    && container.ephemeral
                {
                    crate::sim::controllers::ephemeral_container_exited(
                        &sim,
                        &namespace,
                        &pod,
                        &uid,
                        &container.name,
                        code,
                    );
                }
                Outcome::Exited(0)
            }
            Kind::Attach => {
                attach_output(&sim, &namespace, &pod, &container.name, &mut io).await;
                Outcome::Exited(0)
            }
        }
    };
    tokio::select! {
        outcome = run => outcome,
        () = stopped => match kind {
            Kind::Exec => Outcome::Exited(KILLED),
            Kind::Attach => Outcome::Exited(0),
        },
    }
}

/// A container id's shape (64 hex digits) for the runtime's message.
fn exec_id(sim: &Sim) -> String {
    sim.with_rng(|rng| (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect())
}

/// Attach to a program that is not a shell: its output as its log shows it, live; whatever
/// arrives on stdin is read (the program never answers it).
async fn attach_output(sim: &Arc<Sim>, namespace: &str, pod: &str, container: &str, io: &mut Io) {
    let (lines, mut receiver) = mpsc::unbounded_channel::<String>();
    let follow = crate::sim::logs::live_output(
        sim.clone(),
        namespace.to_string(),
        pod.to_string(),
        container.to_string(),
        lines,
    );
    let stdin = io.stdin.clone();
    let drain_stdin = async move {
        if let Stdin::Remote(input) = stdin {
            let _ = input.lock().await.read_all().await;
        }
        std::future::pending::<()>().await
    };
    let forward = async {
        while let Some(line) = receiver.recv().await {
            io.out.print(&line);
        }
    };
    tokio::select! {
        () = follow => {}
        () = drain_stdin => {}
        () = forward => {}
    }
    while let Ok(line) = receiver.try_recv() {
        io.out.print(&line);
    }
}
