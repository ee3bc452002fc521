//! The built binary in a pseudo-terminal: tmux on its own socket, driven by keys and read
//! back as text.

use std::process::Command;
use std::time::{Duration, Instant};

/// tmux on its own socket, so tests never touch a user's sessions.
pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (install it: apt-get install tmux)");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "e2e", key]);
            // Escape followed at once by another key reads as Alt+key; space them out.
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    /// Waits until the screen shows `needle` (or fails with the last screen).
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |screen| screen.contains(needle))
    }

    /// Waits until `holds` is true of the screen (or fails naming `what`, with the last screen).
    pub fn wait_until(&self, what: &str, holds: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if holds(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

impl Tmux {
    /// Starts `command` in a new 100x30 session on a socket of its own.
    pub fn start(name: &str, command: &str) -> Self {
        Self::start_sized(name, command, 100, 30)
    }

    /// Starts `command` in a new session of `width` x `height` (a wide one shows a whole
    /// header line).
    pub fn start_sized(name: &str, command: &str, width: u16, height: u16) -> Self {
        let tmux = Tmux {
            socket: format!("kscope-{name}-{}", std::process::id()),
        };
        let (width, height) = (width.to_string(), height.to_string());
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &width,
            "-y",
            &height,
            command,
        ]);
        tmux
    }
}
