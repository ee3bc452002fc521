//! The cluster's messages waiting to be taken in, one at a time between keys. The decoder sends
//! what it has ready as one batch (one wake of the loop for hundreds of objects); taken in whole,
//! a batch under churn held the loop 10 to 27 ms (measured at `kscope sim --churn 200`, 51,539
//! pods), and a key typed meanwhile waited for all of it. Split here, a key waits for one
//! object.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::model::inbox::ClusterMessage;

/// How many messages are taken in between two reads of the clock.
const BETWEEN_CLOCK_READS: usize = 32;

/// The messages received and not yet taken in, in the order they came.
#[derive(Debug, Default)]
pub struct Backlog {
    queued: VecDeque<ClusterMessage>,
    /// A list came in or a metrics reading replaced the last since the memory their decoding
    /// held was last given back (see `memory`).
    burst_ended: bool,
}

impl Backlog {
    pub fn is_empty(&self) -> bool {
        self.queued.is_empty()
    }

    /// Queues a message received, a batch as its messages.
    pub fn push(&mut self, message: ClusterMessage) {
        self.queued.extend(message.into_each());
    }

    /// Takes messages in, in order, refilling from `more` (what is already received), until
    /// none is left, a key waits, or `budget` has passed. A key waiting before the first is
    /// answered first: nothing is taken.
    pub fn take_in(
        &mut self,
        budget: Duration,
        key_waiting: impl Fn() -> bool,
        mut more: impl FnMut() -> Option<ClusterMessage>,
        mut take: impl FnMut(ClusterMessage),
    ) {
        let started = Instant::now();
        let mut taken = 0;
        loop {
            if key_waiting() {
                return;
            }
            if taken % BETWEEN_CLOCK_READS == BETWEEN_CLOCK_READS - 1 && started.elapsed() >= budget
            {
                return;
            }
            if self.queued.is_empty() {
                match more() {
                    Some(message) => self.push(message),
                    None => return,
                }
                continue;
            }
            let message = self.queued.pop_front().expect("not empty");
            self.burst_ended |= ends_a_burst(&message);
            take(message);
            taken += 1;
        }
    }

    /// Whether a burst ended since this was last asked (and it said so).
    pub fn burst_ended(&mut self) -> bool {
        std::mem::take(&mut self.burst_ended)
    }
}

/// A list is in, or a metrics reading arrived: what their decoding took is freed once the app
/// has them.
pub fn ends_a_burst(message: &ClusterMessage) -> bool {
    match message {
        ClusterMessage::Synced { .. } | ClusterMessage::Metrics(_) => true,
        ClusterMessage::Batch(messages) => messages.iter().any(ends_a_burst),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::model::kind::WatchedKind;

    fn listing() -> ClusterMessage {
        ClusterMessage::Listing {
            kind: WatchedKind::Pods,
        }
    }

    fn synced() -> ClusterMessage {
        ClusterMessage::Synced {
            kind: WatchedKind::Pods,
        }
    }

    fn removed(name: &str) -> ClusterMessage {
        ClusterMessage::Deleted {
            kind: WatchedKind::Pods,
            key: ("shop".into(), name.into()),
        }
    }

    fn named(message: &ClusterMessage) -> String {
        match message {
            ClusterMessage::Deleted { key, .. } => key.1.clone(),
            ClusterMessage::Listing { .. } => "listing".into(),
            ClusterMessage::Synced { .. } => "synced".into(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_batch_is_taken_in_message_by_message_in_order_with_what_came_after() {
        let mut backlog = Backlog::default();
        backlog.push(ClusterMessage::Batch(vec![removed("a"), removed("b")]));
        let mut received = vec![removed("d"), ClusterMessage::batch(vec![removed("c")])];
        let mut taken = Vec::new();
        backlog.take_in(
            Duration::from_secs(60),
            || false,
            || received.pop(),
            |message| taken.push(named(&message)),
        );
        assert_eq!(taken, ["a", "b", "c", "d"]);
        assert!(backlog.is_empty());
        assert!(!backlog.burst_ended());
    }

    #[test]
    fn a_key_waiting_stops_the_taking_after_the_object_in_hand() {
        let mut backlog = Backlog::default();
        backlog.push(ClusterMessage::Batch(vec![
            removed("a"),
            removed("b"),
            removed("c"),
        ]));
        let typed = Cell::new(false);
        let mut taken = Vec::new();
        backlog.take_in(
            Duration::from_secs(60),
            || typed.get(),
            || None,
            |message| {
                taken.push(named(&message));
                typed.set(true);
            },
        );
        assert_eq!(taken, ["a"]);
        // The key answered, the rest follows in order.
        typed.set(false);
        backlog.take_in(
            Duration::from_secs(60),
            || typed.get(),
            || None,
            |message| taken.push(named(&message)),
        );
        assert_eq!(taken, ["a", "b", "c"]);
    }

    #[test]
    fn a_key_waiting_first_is_answered_before_any_message() {
        let mut backlog = Backlog::default();
        backlog.push(removed("a"));
        let mut taken = 0;
        backlog.take_in(Duration::from_secs(60), || true, || None, |_| taken += 1);
        assert_eq!(taken, 0);
        assert!(!backlog.is_empty());
    }

    #[test]
    fn the_budget_spent_leaves_the_rest_queued() {
        let mut backlog = Backlog::default();
        backlog.push(ClusterMessage::Batch(
            (0..100).map(|i| removed(&i.to_string())).collect(),
        ));
        let mut taken = 0;
        backlog.take_in(Duration::ZERO, || false, || None, |_| taken += 1);
        assert_eq!(taken, BETWEEN_CLOCK_READS - 1);
        assert!(!backlog.is_empty());
    }

    #[test]
    fn a_list_in_or_a_metrics_reading_ends_a_burst_once() {
        let mut backlog = Backlog::default();
        backlog.push(ClusterMessage::Batch(vec![listing(), synced()]));
        backlog.take_in(Duration::from_secs(60), || false, || None, drop);
        assert!(backlog.burst_ended());
        assert!(!backlog.burst_ended());
        assert!(ends_a_burst(&ClusterMessage::Batch(vec![
            listing(),
            synced()
        ])));
        assert!(!ends_a_burst(&ClusterMessage::Batch(vec![
            listing(),
            listing()
        ])));
    }
}
