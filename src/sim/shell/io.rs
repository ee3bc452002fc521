//! A process's standard streams: what it reads (the client's stdin, a pipe's bytes, or
//! nothing) and where it writes (the client's stdout or stderr, or a pipe). With a terminal,
//! input goes through a line discipline that echoes and edits as a tty does, and output has
//! its newlines turned into CR LF.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};

/// A session's terminal: its size (rows, columns) as the client's resize channel last said,
/// (0, 0) until it says (as a tty whose size was never set).
#[derive(Clone, Default)]
pub struct Terminal(Arc<std::sync::Mutex<(u16, u16)>>);

impl Terminal {
    pub fn size(&self) -> (u16, u16) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A resize message's `{"Width":80,"Height":24}`; a malformed one is ignored, as the
    /// kubelet ignores it.
    pub fn resize(&self, message: &[u8]) {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Size {
            width: u16,
            height: u16,
        }
        if let Ok(size) = serde_json::from_slice::<Size>(message) {
            *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = (size.height, size.width);
        }
    }
}

/// Output towards the client, by channel.
#[derive(Debug)]
pub enum Output {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

/// Where a process's output goes.
pub enum Sink {
    /// The client's stream: stdout or stderr (false/true), through a terminal or not.
    Remote {
        sender: mpsc::UnboundedSender<Output>,
        stderr: bool,
        tty: bool,
    },
    /// A pipe or a redirection: kept.
    Capture(Vec<u8>),
    /// `/dev/null`, or a stream the client did not ask for.
    Null,
}

impl Sink {
    /// Writes bytes (a terminal turns `\n` into `\r\n`).
    pub fn write(&mut self, bytes: &[u8]) {
        match self {
            Sink::Remote {
                sender,
                stderr,
                tty,
            } => {
                if bytes.is_empty() {
                    return;
                }
                let data = if *tty { crlf(bytes) } else { bytes.to_vec() };
                let _ = sender.send(if *stderr && !*tty {
                    Output::Stderr(data)
                } else {
                    Output::Stdout(data)
                });
            }
            Sink::Capture(kept) => kept.extend_from_slice(bytes),
            Sink::Null => {}
        }
    }

    /// Writes text.
    pub fn print(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    /// A sink to the same place (a capture starts a new, empty one).
    pub fn same_place(&self) -> Sink {
        match self {
            Sink::Remote {
                sender,
                stderr,
                tty,
            } => Sink::Remote {
                sender: sender.clone(),
                stderr: *stderr,
                tty: *tty,
            },
            Sink::Capture(_) => Sink::Capture(Vec::new()),
            Sink::Null => Sink::Null,
        }
    }
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

/// What the client sends on stdin, as it arrives; `None` once it closed stdin.
pub struct RemoteInput {
    receiver: mpsc::UnboundedReceiver<Vec<u8>>,
    pending: Vec<u8>,
    closed: bool,
    /// With a terminal: the echo goes here.
    echo: Option<mpsc::UnboundedSender<Output>>,
}

/// One line read through the terminal's line discipline.
pub enum Line {
    Text(String),
    /// Ctrl-C: the line is dropped.
    Interrupt,
    /// Ctrl-D on an empty line, or stdin closed.
    End,
}

impl RemoteInput {
    /// Input from the client; with `echo`, a terminal's line discipline.
    pub fn new(
        receiver: mpsc::UnboundedReceiver<Vec<u8>>,
        echo: Option<mpsc::UnboundedSender<Output>>,
    ) -> Self {
        Self {
            receiver,
            pending: Vec::new(),
            closed: false,
            echo,
        }
    }

    async fn fill(&mut self) -> bool {
        if self.closed {
            return false;
        }
        match self.receiver.recv().await {
            Some(bytes) => {
                self.pending.extend_from_slice(&bytes);
                true
            }
            None => {
                self.closed = true;
                false
            }
        }
    }

    fn echo(&self, bytes: &[u8]) {
        if let Some(echo) = &self.echo {
            let _ = echo.send(Output::Stdout(bytes.to_vec()));
        }
    }

    /// Everything until stdin closes (without a terminal).
    pub async fn read_all(&mut self) -> Vec<u8> {
        if self.echo.is_some() {
            let mut all = Vec::new();
            while let Line::Text(line) = self.read_line().await {
                all.extend_from_slice(line.as_bytes());
                all.push(b'\n');
            }
            return all;
        }
        while self.fill().await {}
        std::mem::take(&mut self.pending)
    }

    /// A line as a terminal in canonical mode delivers it: echoed, backspace erasing,
    /// Ctrl-C interrupting, Ctrl-D on an empty line ending the input.
    pub async fn read_line(&mut self) -> Line {
        let mut line: Vec<u8> = Vec::new();
        loop {
            if self.pending.is_empty() && !self.fill().await {
                return if line.is_empty() {
                    Line::End
                } else {
                    Line::Text(String::from_utf8_lossy(&line).into_owned())
                };
            }
            let bytes = std::mem::take(&mut self.pending);
            for (index, &b) in bytes.iter().enumerate() {
                let consumed = index + 1;
                match b {
                    b'\r' | b'\n' => {
                        self.echo(b"\r\n");
                        self.pending = bytes[consumed..].to_vec();
                        return Line::Text(String::from_utf8_lossy(&line).into_owned());
                    }
                    0x03 => {
                        self.echo(b"^C\r\n");
                        self.pending = bytes[consumed..].to_vec();
                        return Line::Interrupt;
                    }
                    0x04 if line.is_empty() => {
                        self.pending = bytes[consumed..].to_vec();
                        return Line::End;
                    }
                    0x7f | 0x08 => {
                        if line.pop().is_some() {
                            self.echo(b"\x08 \x08");
                        }
                    }
                    // Escape sequences (arrows) are not edited; they are dropped.
                    0x1b => {}
                    b if b < 0x20 && b != b'\t' => {}
                    b => {
                        line.push(b);
                        self.echo(&[b]);
                    }
                }
            }
        }
    }
}

/// What a process reads.
#[derive(Clone)]
pub enum Stdin {
    Remote(Arc<Mutex<RemoteInput>>),
    Bytes(Arc<Vec<u8>>),
    Empty,
}

impl Stdin {
    /// Everything it will give.
    pub async fn read_all(&self) -> Vec<u8> {
        match self {
            Stdin::Remote(input) => input.lock().await.read_all().await,
            Stdin::Bytes(bytes) => bytes.to_vec(),
            Stdin::Empty => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_terminal_echoes_edits_and_ends_on_ctrl_d() {
        let (sender, receiver) = mpsc::unbounded_channel();
        let (echo, mut echoed) = mpsc::unbounded_channel();
        let mut input = RemoteInput::new(receiver, Some(echo));
        sender.send(b"lx\x7fs /etc\r".to_vec()).unwrap();
        sender.send(b"\x04".to_vec()).unwrap();
        assert!(matches!(input.read_line().await, Line::Text(l) if l == "ls /etc"));
        assert!(matches!(input.read_line().await, Line::End));
        let mut seen = Vec::new();
        while let Ok(Output::Stdout(b)) = echoed.try_recv() {
            seen.extend(b);
        }
        assert_eq!(seen, b"lx\x08 \x08s /etc\r\n");
    }

    #[test]
    fn a_terminal_writes_crlf() {
        assert_eq!(crlf(b"a\nb\r\n"), b"a\r\nb\r\n");
    }
}
