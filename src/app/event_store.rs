//! The Events the watch delivered, as many as are worth keeping. A cluster under churn writes
//! Events without end (at `kscope sim --churn 200`, 1,600 a second: each pod Scheduled, Pulling,
//! Pulled, Created, Started, Killing), and the API server keeps each for its hour-long TTL, so
//! keeping all of them would grow the explorer by hundreds of megabytes in minutes. The newest
//! are what the events pane, the explainer and triage read; so the store keeps the
//! `KEPT_PER_TYPE` seen last of the Warnings and as many of the others (a burst of Normal
//! events does not push the Warnings out), and lets the older ones go, counting them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use jiff::Timestamp;

use super::resources::Key;
use crate::model::event::Event;

/// How many Events of each type (Warning, other) are kept.
pub const KEPT_PER_TYPE: usize = 10_000;

/// The Events kept, by key; read as the map (`Deref`), changed through the store.
#[derive(Debug)]
pub struct EventStore {
    /// Each Event apart from the map: inline (608 bytes, most of it the metadata fields an
    /// Event leaves empty) the map's two-thirds-full nodes left a third of 20,000 Events' room
    /// empty. Shared, as triage's worker is handed them all (`shared`).
    events: BTreeMap<Key, Arc<Event>>,
    /// The Warnings and the others, each by when last seen (oldest first).
    warnings: BTreeSet<(Option<Timestamp>, Key)>,
    others: BTreeSet<(Option<Timestamp>, Key)>,
    kept_per_type: usize,
    /// How many were let go since the store was made.
    let_go: u64,
}

impl Default for EventStore {
    fn default() -> Self {
        EventStore::keeping(KEPT_PER_TYPE)
    }
}

impl std::ops::Deref for EventStore {
    type Target = BTreeMap<Key, Arc<Event>>;

    fn deref(&self) -> &Self::Target {
        &self.events
    }
}

impl EventStore {
    /// A store that keeps `kept_per_type` Warnings and as many others.
    pub fn keeping(kept_per_type: usize) -> Self {
        EventStore {
            events: BTreeMap::new(),
            warnings: BTreeSet::new(),
            others: BTreeSet::new(),
            kept_per_type,
            let_go: 0,
        }
    }

    /// The Events, by key.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Key, &Event)> + Clone {
        self.events.iter().map(|(key, event)| (key, &**event))
    }

    /// The Events, in their keys' order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Event> + Clone {
        self.events.values().map(|event| &**event)
    }

    /// The Events, shared, in their keys' order.
    pub fn shared(&self) -> impl Iterator<Item = &Arc<Event>> {
        self.events.values()
    }

    /// The Event of a key.
    pub fn get(&self, key: &Key) -> Option<&Event> {
        self.events.get(key).map(|event| &**event)
    }

    /// How many Events were let go (the oldest, beyond what is kept).
    pub fn let_go(&self) -> u64 {
        self.let_go
    }

    /// Stores an Event (added or changed), letting the oldest of its type go if there are now
    /// too many. Returns the keys of those let go.
    pub fn insert(&mut self, key: Key, event: Event) -> Vec<Key> {
        self.unindex(&key);
        let seen = (event.last_seen(), key.clone());
        let warning = is_warning(&event);
        self.events.insert(key, Arc::new(event));
        let order = if warning {
            &mut self.warnings
        } else {
            &mut self.others
        };
        order.insert(seen);
        let mut gone = Vec::new();
        while order.len() > self.kept_per_type {
            let Some((_, oldest)) = order.pop_first() else {
                break;
            };
            self.events.remove(&oldest);
            self.let_go += 1;
            gone.push(oldest);
        }
        gone
    }

    /// Removes an Event (deleted by the API server).
    pub fn remove(&mut self, key: &Key) -> Option<Event> {
        self.unindex(key);
        self.events.remove(key).map(Arc::unwrap_or_clone)
    }

    /// Drops the Events not in `keys` (what a relist no longer delivered).
    pub fn keep_only(&mut self, keys: &HashSet<Key>) {
        self.events.retain(|key, _| keys.contains(key));
        self.warnings.retain(|(_, key)| keys.contains(key));
        self.others.retain(|(_, key)| keys.contains(key));
    }

    fn unindex(&mut self, key: &Key) {
        if let Some(before) = self.events.get(key) {
            let seen = (before.last_seen(), key.clone());
            if is_warning(before) {
                self.warnings.remove(&seen);
            } else {
                self.others.remove(&seen);
            }
        }
    }
}

fn is_warning(event: &Event) -> bool {
    event.type_ == "Warning"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(name: &str, type_: &str, seen_second: i64) -> (Key, Event) {
        let mut event = Event::default();
        event.metadata.namespace = "shop".into();
        event.metadata.name = name.into();
        event.type_ = type_.into();
        event.last_timestamp = Some(Timestamp::from_second(seen_second).unwrap());
        (("shop".into(), name.into()), event)
    }

    fn names(store: &EventStore) -> Vec<&str> {
        store.keys().map(|(_, name)| name.as_str()).collect()
    }

    #[test]
    fn the_oldest_of_a_type_go_first_and_are_counted() {
        let mut store = EventStore::keeping(2);
        for (name, type_, second) in [
            ("a", "Normal", 10),
            ("w1", "Warning", 5),
            ("b", "Normal", 30),
            ("c", "Normal", 20),
        ] {
            let (key, one) = made(name, type_, second);
            store.insert(key, one);
        }
        // `a` is the oldest Normal one; the Warning, older still, is of the other type.
        assert_eq!(names(&store), ["b", "c", "w1"]);
        assert_eq!(store.let_go(), 1);
        let (key, one) = made("w2", "Warning", 1);
        assert!(store.insert(key, one).is_empty());
        let (key, one) = made("w3", "Warning", 2);
        assert_eq!(store.insert(key, one), [("shop".into(), "w2".into())]);
        assert_eq!(names(&store), ["b", "c", "w1", "w3"]);
        assert_eq!(store.let_go(), 2);
    }

    #[test]
    fn an_event_seen_again_is_kept_as_new() {
        let mut store = EventStore::keeping(2);
        for (name, second) in [("a", 10), ("b", 20)] {
            let (key, one) = made(name, "Normal", second);
            store.insert(key, one);
        }
        // `a` is counted again, later than `b`: `b` is now the oldest.
        let (key, again) = made("a", "Normal", 40);
        store.insert(key, again);
        let (key, one) = made("c", "Normal", 30);
        store.insert(key, one);
        assert_eq!(names(&store), ["a", "c"]);
        // A changed type moves it between the two orders.
        let (key, warning) = made("a", "Warning", 50);
        store.insert(key, warning);
        let (key, one) = made("d", "Normal", 60);
        store.insert(key, one);
        assert_eq!(names(&store), ["a", "c", "d"]);
        assert_eq!(store.let_go(), 1);
    }

    #[test]
    fn removed_and_relisted_events_leave_the_order() {
        let mut store = EventStore::keeping(1);
        let (key, one) = made("a", "Normal", 10);
        store.insert(key.clone(), one);
        assert!(store.remove(&key).is_some());
        store.keep_only(&HashSet::new());
        let (key, one) = made("b", "Normal", 5);
        assert!(store.insert(key, one).is_empty());
        assert_eq!(names(&store), ["b"]);
        assert_eq!(store.let_go(), 0);
    }
}
