//! Terminal input, read on a thread of its own that can be paused: while `$EDITOR` runs, the
//! terminal's keys must reach the editor, and a reader that is merely idle would still take the
//! first one (crossterm's event stream reads ahead as soon as input is ready).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event};
use tokio::sync::mpsc;

pub struct Keys {
    pub events: mpsc::UnboundedReceiver<std::io::Result<Event>>,
    paused: Arc<AtomicBool>,
    /// Set by the reader once it has stopped reading (it checks between polls).
    idle: Arc<AtomicBool>,
}

/// How long the reader waits for input before it looks at the pause flag again: a pause waits
/// that long at most, and an idle explorer wakes ten times a second for it (each wake is a
/// context switch: at 25 ms the poll alone was a seventh of the idle CPU at 50,000 pods).
const POLL: Duration = Duration::from_millis(100);

impl Keys {
    pub fn start() -> Self {
        let (sender, events) = mpsc::unbounded_channel();
        let paused = Arc::new(AtomicBool::new(false));
        let idle = Arc::new(AtomicBool::new(false));
        let (thread_paused, thread_idle) = (paused.clone(), idle.clone());
        std::thread::spawn(move || {
            loop {
                if thread_paused.load(Ordering::Acquire) {
                    thread_idle.store(true, Ordering::Release);
                    std::thread::sleep(POLL);
                    continue;
                }
                thread_idle.store(false, Ordering::Release);
                let event = match event::poll(POLL) {
                    Ok(false) => continue,
                    Ok(true) => event::read(),
                    Err(error) => Err(error),
                };
                let failed = event.is_err();
                if sender.send(event).is_err() || failed {
                    return;
                }
            }
        });
        Keys {
            events,
            paused,
            idle,
        }
    }

    /// Stops reading the terminal, returning once the reader has let go of it.
    pub fn pause(&self) {
        self.idle.store(false, Ordering::Release);
        self.paused.store(true, Ordering::Release);
        for _ in 0..40 {
            if self.idle.load(Ordering::Acquire) {
                return;
            }
            std::thread::sleep(POLL / 10);
        }
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::Release);
    }
}
