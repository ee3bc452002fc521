//! The screen handed to a shell or an attached process: the UI leaves the alternate screen
//! (raw mode stays: the container's TTY does the line discipline), the key thread is paused
//! and the terminal's bytes go to the process as they are typed, its output to the terminal,
//! each resize to its terminal-size channel. When it ends (or ctrl-p ctrl-q detaches an
//! attach) the alternate screen comes back, redrawn whole.

use std::io::{Stdout, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, enable_raw_mode};
use kube::api::{AttachedProcess, TerminalSize};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::signal::unix::SignalKind;
use tokio::sync::mpsc;

use super::keys::Keys;
use crate::app::request::{SessionKind, TerminalSession};

/// ctrl-p then ctrl-q: the detach sequence of `kubectl attach` (and docker's).
const DETACH: [u8; 2] = [0x10, 0x11];

/// Runs the session with the screen handed over; the line says how it ended.
pub(super) async fn hand_over(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    keys: &Keys,
    mut process: AttachedProcess,
    session: &TerminalSession,
) -> Result<String> {
    keys.pause();
    let mut out = std::io::stdout();
    let _ = execute!(out, LeaveAlternateScreen, crossterm::cursor::Show);
    if session.kind == SessionKind::Attach {
        let keys = if session.stdin {
            "; ctrl-p ctrl-q detaches"
        } else {
            " (output only; ctrl-p ctrl-q detaches)"
        };
        let _ = write!(out, "{}{keys}\r\n", session.title());
        let _ = out.flush();
    }
    let ended = pump(&mut process, session).await;
    process.abort();
    let status = match process.take_status() {
        Some(status) if ended == Ended::Finished => {
            tokio::time::timeout(std::time::Duration::from_secs(2), status)
                .await
                .ok()
                .flatten()
        }
        _ => None,
    };
    enable_raw_mode().context("cannot put the terminal back in raw mode")?;
    execute!(out, EnterAlternateScreen, crossterm::cursor::Hide)
        .context("cannot reopen the alternate screen")?;
    terminal.clear().context("cannot redraw")?;
    keys.resume();
    Ok(match (ended, status) {
        (Ended::Detached, _) => format!("{}: detached", session.title()),
        (Ended::Failed(error), _) => format!("{}: {error}", session.title()),
        (Ended::Finished, Some(status)) if status.status.as_deref() == Some("Failure") => {
            format!(
                "{} ended: {}",
                session.title(),
                status.message.unwrap_or_default()
            )
        }
        (Ended::Finished, _) => format!("{} ended", session.title()),
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Finished,
    Detached,
    Failed(String),
}

/// Copies both ways until the process's output ends or the user detaches.
async fn pump(process: &mut AttachedProcess, session: &TerminalSession) -> Ended {
    let Some(mut output) = process.stdout() else {
        return Ended::Failed("no output stream".into());
    };
    let mut errors = process.stderr();
    let mut input = process.stdin();
    let mut sizes = process.terminal_size();
    let mut resized = match tokio::signal::unix::signal(SignalKind::window_change()) {
        Ok(signal) => Some(signal),
        Err(error) => return Ended::Failed(format!("cannot follow the terminal's size: {error}")),
    };
    let send_size = |sizes: &mut Option<futures::channel::mpsc::Sender<TerminalSize>>| {
        if let (Some(sender), Ok((width, height))) = (sizes.as_mut(), crossterm::terminal::size()) {
            let _ = sender.try_send(TerminalSize { width, height });
        }
    };
    send_size(&mut sizes);
    let typed = TerminalInput::start();
    let mut typed = match typed {
        Ok(typed) => typed,
        Err(error) => return Ended::Failed(format!("cannot read the terminal: {error}")),
    };
    let mut stdout = tokio::io::stdout();
    let (mut buffer, mut error_buffer) = (vec![0u8; 8192], vec![0u8; 8192]);
    // A ctrl-p held back until the next byte says whether it starts the detach sequence.
    let mut held = false;
    let ended = loop {
        tokio::select! {
            read = output.read(&mut buffer) => match read {
                Ok(0) => break Ended::Finished,
                Ok(n) => {
                    let bytes = if session.tty { buffer[..n].to_vec() } else { crlf(&buffer[..n]) };
                    if stdout.write_all(&bytes).await.is_err() || stdout.flush().await.is_err() {
                        break Ended::Failed("cannot write to the terminal".into());
                    }
                }
                Err(error) => break Ended::Failed(error.to_string()),
            },
            read = async { errors.as_mut().expect("guarded").read(&mut error_buffer).await }, if errors.is_some() => match read {
                Ok(n) if n > 0 => {
                    let _ = stdout.write_all(&crlf(&error_buffer[..n])).await;
                    let _ = stdout.flush().await;
                }
                _ => errors = None,
            },
            bytes = typed.bytes.recv() => {
                let Some(bytes) = bytes else { break Ended::Failed("the terminal closed".into()) };
                let mut send = Vec::with_capacity(bytes.len() + 1);
                let mut detached = false;
                for byte in bytes {
                    if session.kind == SessionKind::Attach {
                        if held {
                            held = false;
                            if byte == DETACH[1] {
                                detached = true;
                                break;
                            }
                            send.push(DETACH[0]);
                        } else if byte == DETACH[0] {
                            held = true;
                            continue;
                        }
                    }
                    send.push(byte);
                }
                if detached {
                    break Ended::Detached;
                }
                if let Some(stdin) = input.as_mut()
                    && !send.is_empty()
                    && stdin.write_all(&send).await.is_err()
                {
                    input = None;
                }
            }
            _ = async { resized.as_mut().expect("guarded").recv().await }, if resized.is_some() => {
                send_size(&mut sizes);
            }
        }
    };
    typed.stop();
    ended
}

/// Line ends as a terminal in raw mode needs them (output without a TTY has bare LFs).
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' && (i == 0 || bytes[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(byte);
    }
    out
}

/// The terminal's bytes, raw, read on a thread that polls so it can be stopped: a read left
/// blocked would take the first key meant for the explorer once the screen is back.
struct TerminalInput {
    bytes: mpsc::UnboundedReceiver<Vec<u8>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TerminalInput {
    fn start() -> std::io::Result<Self> {
        // The terminal crossterm reads: standard input when it is one, else /dev/tty.
        let tty = if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
            None
        } else {
            Some(std::fs::File::open("/dev/tty")?)
        };
        let (sender, bytes) = mpsc::unbounded_channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let fd: RawFd = tty.as_ref().map_or(libc::STDIN_FILENO, |f| f.as_raw_fd());
            let mut buffer = [0u8; 4096];
            while !stopping.load(Ordering::Acquire) {
                let mut poll = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd, for the length given.
                let ready = unsafe { libc::poll(&mut poll, 1, 25) };
                if ready <= 0 || poll.revents & libc::POLLIN == 0 {
                    if poll.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                        return;
                    }
                    continue;
                }
                // SAFETY: reads at most the buffer's length into it.
                let read = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
                if read <= 0 || sender.send(buffer[..read as usize].to_vec()).is_err() {
                    return;
                }
            }
        });
        Ok(Self {
            bytes,
            stop,
            thread: Some(thread),
        })
    }

    /// Stops reading, returning once the thread has let go of the terminal.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TerminalInput {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bare_line_feeds_get_their_carriage_return() {
        assert_eq!(super::crlf(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
    }
}
