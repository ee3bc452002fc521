//! Triage's readings of the pods that may be down (`model::findings::read_pod`), kept between
//! refreshes. Unpacking and typing a pod and working out its cause is most of what triage
//! costs at tens of thousands of pods, so a pod is read again only when it or an event about it
//! changed, or when its reading has aged: causes turn on time (a pod still starting becomes a
//! finding after two minutes) and evidence names ages.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};

use super::resources::{Key, PodEntry};
use crate::model::event::Event;
use crate::model::findings::{EventsByPod, PodReading, events_by_pod_among, read_pod};

/// A reading older than this is read again.
pub const REREAD_AFTER: SignedDuration = SignedDuration::from_secs(10);
/// Aged readings read again in one refresh at most, so thousands of down pods aging together
/// are read again over a few ticks rather than in one.
const REREADS_PER_REFRESH: usize = 1_000;

/// A pod's reading, with when it was taken.
type Kept = (Key, (Timestamp, PodReading));

/// The readings, by pod, with when each was taken.
#[derive(Debug, Default)]
pub struct PodReadings {
    /// In the pods' order, so a finding's evidence lines are the same from one refresh to the
    /// next.
    kept: Vec<Kept>,
    /// Pods changed since the last refresh (or whose events did).
    changed: HashSet<Key, RandomState>,
    /// Every reading is to be taken again (the pods are being listed).
    all_changed: bool,
    /// Pods read in the last refresh, for the record.
    pub last_read: usize,
}

impl PodReadings {
    /// Pod `key`, or an event about it, changed.
    pub fn changed(&mut self, key: Key) {
        if !self.all_changed {
            self.changed.insert(key);
        }
    }

    /// Every pod may have changed (a list is being read).
    pub fn all_changed(&mut self) {
        self.all_changed = true;
        self.changed.clear();
    }

    /// The readings of `candidates` (the pods that can be down, in the pods' order), read again
    /// where they changed or aged; readings of pods no longer candidates are let go.
    pub fn refresh<'a>(
        &mut self,
        candidates: impl Iterator<Item = (&'a Key, &'a PodEntry)>,
        events: &[&Event],
        now: Timestamp,
    ) -> Vec<&PodReading> {
        let mut old: HashMap<Key, (Timestamp, PodReading), RandomState> =
            if std::mem::take(&mut self.all_changed) {
                self.kept.clear();
                HashMap::default()
            } else {
                self.kept.drain(..).collect()
            };
        for key in self.changed.drain() {
            old.remove(&key);
        }
        // Which readings are kept and which pods are read again, decided first: the events are
        // then gathered for those pods only.
        let mut rereads = 0;
        let planned: Vec<(&Key, &PodEntry, Option<Kept>)> = candidates
            .map(|(key, entry)| {
                let kept = old.remove_entry(key).filter(|(_, (at, _))| {
                    if now.duration_since(*at) < REREAD_AFTER || rereads == REREADS_PER_REFRESH {
                        return true;
                    }
                    rereads += 1;
                    false
                });
                (key, entry, kept)
            })
            .collect();
        let read: HashSet<(&str, &str), RandomState> = planned
            .iter()
            .filter(|(_, _, kept)| kept.is_none())
            .map(|(key, _, _)| (key.0.as_str(), key.1.as_str()))
            .collect();
        let by_pod = if read.is_empty() {
            EventsByPod::default()
        } else {
            events_by_pod_among(events, |pod| read.contains(&pod))
        };
        self.last_read = read.len();
        for (key, entry, kept) in planned {
            let (key, reading) = match kept {
                Some(kept) => kept,
                None => {
                    let events = by_pod
                        .get(&(key.0.as_str(), key.1.as_str()))
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    (key.clone(), (now, read_pod(&entry.pod(), events, now)))
                }
            };
            self.kept.push((key, reading));
        }
        self.kept.iter().map(|(_, (_, reading))| reading).collect()
    }
}
