//! Triage's readings of the pods that may be down (`model::findings::read_pod`), kept between
//! refreshes. Unpacking and typing a pod and working out its cause is most of what triage
//! costs at tens of thousands of pods, so a pod is read again only when it or an event about it
//! changed, or when its reading has aged: causes turn on time (a pod still starting becomes a
//! finding after two minutes) and evidence names ages.
//!
//! The loop hands triage's worker (`findings_job`) the pods that can be down, their keys and
//! texts shared rather than copied, and the pods changed since the last time (`PodChanges`);
//! the worker decides which to read (`take_in`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use foldhash::fast::RandomState;
use jiff::{SignedDuration, Timestamp};

use super::resources::Key;
use crate::model::event::Event;
use crate::model::findings::{EventsByPod, PodReading, events_by_pod_among, read_pod};
use crate::model::packed_text::PackedText;

/// A reading older than this is read again.
pub const REREAD_AFTER: SignedDuration = SignedDuration::from_secs(10);
/// Aged readings read again in one refresh at most, so thousands of down pods aging together
/// are read again over a few ticks rather than in one.
const REREADS_PER_REFRESH: usize = 1_000;

/// The readings, by pod, with when each was taken.
#[derive(Debug, Default)]
pub struct PodReadings {
    /// By pod, the keys shared with the candidates the loop hands over.
    kept: HashMap<Arc<Key>, (Timestamp, PodReading), RandomState>,
    /// Pods read in the last refresh, for the record.
    pub last_read: usize,
}

/// The pods changed since the readings were last taken in (or whose events did).
#[derive(Debug, Default)]
pub struct PodChanges {
    pods: HashSet<Key, RandomState>,
    /// Every reading is to be taken again (the pods are being listed).
    all: bool,
}

impl PodChanges {
    /// Pod `key`, or an event about it, changed.
    pub fn changed(&mut self, key: Key) {
        self.changed_with(|| key);
    }

    /// The same, the key worked out only when it is noted: while a list is read every pod
    /// has changed, and 51,539 keys copied to be dropped were a few milliseconds of the loop's.
    pub fn changed_with(&mut self, key: impl FnOnce() -> Key) {
        if !self.all {
            self.pods.insert(key());
        }
    }

    /// Every pod may have changed (a list is being read).
    pub fn all_changed(&mut self) {
        self.all = true;
        self.pods.clear();
    }
}

impl PodReadings {
    /// The readings of `candidates` (the pods that can be down, in the pods' order, with their
    /// texts), read again where they changed (`changes`), have no reading, or aged; the
    /// readings of pods no longer candidates are let go.
    pub fn take_in(
        &mut self,
        candidates: &[(Arc<Key>, PackedText)],
        changes: PodChanges,
        events: &[&Event],
        now: Timestamp,
    ) -> Vec<&PodReading> {
        if changes.all {
            self.kept.clear();
        }
        for key in &changes.pods {
            self.kept.remove(key);
        }
        let held: HashSet<&Key, RandomState> = candidates.iter().map(|(key, _)| &**key).collect();
        self.kept.retain(|key, _| held.contains(&**key));
        // Which pods are read, decided first: the events are then gathered for those only.
        let mut rereads = 0;
        let read: Vec<&(Arc<Key>, PackedText)> = candidates
            .iter()
            .filter(|(key, _)| match self.kept.get(&**key) {
                None => true,
                Some((at, _)) => {
                    let aged =
                        now.duration_since(*at) >= REREAD_AFTER && rereads < REREADS_PER_REFRESH;
                    rereads += usize::from(aged);
                    aged
                }
            })
            .collect();
        self.last_read = read.len();
        let reading: HashSet<(&str, &str), RandomState> = read
            .iter()
            .map(|(key, _)| (key.0.as_str(), key.1.as_str()))
            .collect();
        let by_pod = if reading.is_empty() {
            EventsByPod::default()
        } else {
            events_by_pod_among(events, |pod| reading.contains(&pod))
        };
        for (key, text) in read {
            let events = by_pod
                .get(&(key.0.as_str(), key.1.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let reading = read_pod(&crate::model::watched::unpack_pod(text), events, now);
            self.kept.insert(key.clone(), (now, reading));
        }
        candidates
            .iter()
            .filter_map(|(key, _)| self.kept.get(&**key).map(|(_, reading)| reading))
            .collect()
    }
}
