//! Events expire. The API server stores each Event under an etcd lease of `--event-ttl` (one
//! hour by default), granted again by every write of it: the events registry's `TTLFunc`
//! returns the TTL whatever the write (pkg/registry/core/event/storage/storage.go). When a
//! lease runs out etcd deletes the Event, which every watch sees as DELETED. Here the
//! controllers' loop keeps each Event's deadline from the changes it sees, and removes those
//! whose deadline has passed, each only if nothing wrote it since.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use super::resource::{ResourceType, find_built_in};
use super::state::Sim;
use super::store::{Change, ChangeType, object_key, object_revision};

/// Each stored Event's deadline.
pub struct EventTtl {
    /// Zero keeps Events for ever (a TTL of 0 means none, as the registry's calculateTTL
    /// reads it).
    ttl: Duration,
    events: &'static ResourceType,
    /// (deadline, namespace, name), soonest first.
    deadlines: BTreeSet<(Instant, String, String)>,
    /// (namespace, name) → (deadline, the revision the deadline was granted for).
    leases: HashMap<(String, String), (Instant, u64)>,
}

impl EventTtl {
    /// Events live `ttl` after their last write.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            events: find_built_in("", "v1", "events").expect("events are served"),
            deadlines: BTreeSet::new(),
            leases: HashMap::new(),
        }
    }

    /// Grants every stored Event a lease from now: at start (seeding wrote them all just now)
    /// and after the loop missed changes (any of them may have been written since).
    pub fn everything(&mut self, sim: &Sim, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        let (events, _, _) = sim.store.list(self.events, None, None, |_| true, 0);
        for event in events {
            self.grant(object_key(&event), object_revision(&event), now);
        }
    }

    /// Notes one change, seen at `now`: a write of an Event renews its lease, a deletion ends
    /// it.
    pub fn note(&mut self, change: &Change, now: Instant) {
        if self.ttl.is_zero() || !std::ptr::eq(change.resource, self.events) {
            return;
        }
        let key = (change.namespace.clone(), change.name.clone());
        match change.change {
            ChangeType::Added | ChangeType::Modified => {
                self.grant(key, change.revision, now);
            }
            ChangeType::Deleted => {
                if let Some((deadline, _)) = self.leases.remove(&key) {
                    self.deadlines.remove(&(deadline, key.0, key.1));
                }
            }
        }
    }

    fn grant(&mut self, key: (String, String), revision: u64, now: Instant) {
        let deadline = now + self.ttl;
        if let Some((old, _)) = self.leases.insert(key.clone(), (deadline, revision)) {
            self.deadlines.remove(&(old, key.0.clone(), key.1.clone()));
        }
        self.deadlines.insert((deadline, key.0, key.1));
    }

    /// Removes every Event whose lease has run out by `now`.
    pub fn expire(&mut self, sim: &Sim, now: Instant) {
        let mut expired = HashSet::new();
        while let Some(first) = self.deadlines.first() {
            if first.0 > now {
                break;
            }
            let Some((_, namespace, name)) = self.deadlines.pop_first() else {
                break;
            };
            let key = (namespace, name);
            let Some((_, revision)) = self.leases.remove(&key) else {
                continue;
            };
            // A write the loop has not seen yet keeps it: its own change renews the lease.
            if sim
                .store
                .remove_unchanged(self.events, &key.0, &key.1, revision)
                .is_ok()
            {
                expired.insert(key);
            }
        }
        if !expired.is_empty() {
            sim.events.forget(&expired);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, count: i64) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": "default"},
               "reason": "Probe", "count": count})
    }

    #[test]
    fn an_event_goes_a_ttl_after_its_last_write() {
        let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 1);
        let ttl = Duration::from_secs(60);
        let mut leases = EventTtl::new(ttl);
        let mut changes = sim.store.subscribe();
        let start = Instant::now();
        let events = leases.events;
        sim.store.create(events, event("once", 1)).expect("stored");
        sim.store.create(events, event("again", 1)).expect("stored");
        while let Ok(change) = changes.try_recv() {
            leases.note(&change, start);
        }
        // The second one is written again half a TTL later: its lease starts over.
        let later = start + ttl / 2;
        sim.store
            .update(events, event("again", 2), None)
            .expect("updated");
        while let Ok(change) = changes.try_recv() {
            leases.note(&change, later);
        }
        leases.expire(&sim, start + ttl - Duration::from_millis(1));
        assert!(
            sim.store.get(events, "default", "once").is_some(),
            "not yet"
        );
        leases.expire(&sim, start + ttl);
        assert!(
            sim.store.get(events, "default", "once").is_none(),
            "expired"
        );
        assert!(
            sim.store.get(events, "default", "again").is_some(),
            "renewed"
        );
        let deleted = changes.try_recv().expect("a DELETED change for watchers");
        assert_eq!(
            (deleted.change, deleted.name.as_str()),
            (ChangeType::Deleted, "once")
        );
        // A write the loop has not noted yet keeps the event past its old deadline.
        sim.store
            .update(events, event("again", 3), None)
            .expect("updated");
        leases.expire(&sim, later + ttl);
        assert!(
            sim.store.get(events, "default", "again").is_some(),
            "written since"
        );
    }

    #[test]
    fn a_zero_ttl_keeps_events() {
        let sim = Sim::new("token".into(), "127.0.0.1:0".into(), 1);
        let mut leases = EventTtl::new(Duration::ZERO);
        let events = leases.events;
        sim.store.create(events, event("kept", 1)).expect("stored");
        leases.everything(&sim, Instant::now());
        leases.expire(&sim, Instant::now() + Duration::from_secs(86_400 * 365));
        assert!(sim.store.get(events, "default", "kept").is_some());
    }
}
