//! The watch stream: a timestamped feed of what changed, like `kubectl get --watch-only` with a
//! time on every line and the transition spelled out.

use std::collections::VecDeque;

use jiff::Timestamp;

use super::resources::Key;
use crate::model::health::Health;
use crate::model::kind::WatchedKind;

/// How many lines the feed keeps.
pub const STREAM_CAPACITY: usize = 2_000;

/// ADDED, MODIFIED or DELETED.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

impl Change {
    /// As the watch API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "ADDED",
            Change::Modified => "MODIFIED",
            Change::Deleted => "DELETED",
        }
    }
}

/// One line of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamLine {
    pub at: Timestamp,
    pub change: Change,
    /// `pod`, `node`, `namespace`.
    pub kind: &'static str,
    /// `namespace/name` or `name`.
    pub name: String,
    /// What changed, e.g. `0/1 Running -> 0/1 CrashLoopBackOff`, or the current status.
    pub detail: String,
    pub health: Health,
    /// The object the line is about, to act on from the stream.
    pub object: WatchedKind,
    pub key: Key,
    /// The line's place in the feed (given when kept): the stream's cursor names a line by it.
    pub seq: u64,
}

/// The feed, newest last, bounded.
#[derive(Debug, Default)]
pub struct Stream {
    pub lines: VecDeque<StreamLine>,
    pub paused: bool,
    /// Lines that arrived while paused and were not kept.
    pub missed: usize,
    /// The selected line, or `None` to follow the newest.
    pub cursor: Option<u64>,
    next_seq: u64,
}

impl Stream {
    /// Adds a line unless paused.
    pub fn push(&mut self, mut line: StreamLine) {
        if self.paused {
            self.missed += 1;
            return;
        }
        line.seq = self.next_seq;
        self.next_seq += 1;
        if self.lines.len() == STREAM_CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }
}
