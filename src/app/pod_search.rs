//! The pods' filter texts: each pod's row as the filter reads it (its columns and AGE), laid end to
//! end in the pods' order (`RowTexts`), brought current when the pods changed by writing the
//! changed pods' rows into them, and when the clock moved by writing the ages that read
//! differently; gathered again from every pod only when most changed. While the pods pane is
//! open they are gathered a slice at a time between keys (`make_some`, on the clock's tick) and
//! kept current, so a filter opens on rows already made rather than gathering 50,000 of them on
//! the `/` (18 ms on a quiet machine, 25 to 150 ms on a busy one).

use std::collections::BTreeSet;
use std::ops::Bound;

use jiff::Timestamp;

use super::resources::{Key, PodEntry, PodMap};
use super::row_texts::{EditStep, ROWS_WORTH_A_THREAD, RowEdit, RowTexts, walk_edits};
use crate::model::duration::{age_lasts, write_age};

/// The pods' rows as the filter reads them, in the map's order, in one buffer.
#[derive(Debug, Default)]
pub struct SearchTexts {
    /// Each pod's columns (`PodEntry::write_search`) and AGE, as the row shows them.
    rows: RowTexts,
    /// Each pod's creation time, for its AGE.
    created: Vec<Option<Timestamp>>,
    /// The creation times the last edit left, their room kept for the next (as `RowTexts`).
    spare_created: Vec<Option<Timestamp>>,
    /// What the rows were made from (None: never).
    made: Option<Made>,
    /// Where the rows are cut in parts of equal size, one per core, to be filtered in parallel:
    /// each part's first row and its key.
    cuts: Vec<(usize, Key)>,
    /// The pods changed since the rows were made, to be written into them (`edit`) rather than
    /// every pod gathered again; `None` when they are not kept (never made, or too many).
    changed: Option<BTreeSet<Key>>,
    /// A gathering under way a slice at a time (`make_some`); `rows` holds its first part.
    making: Option<Making>,
    /// How many times every row was gathered at once, on a read (for the tests).
    #[cfg(test)]
    pub(super) gathered: usize,
}

/// A gathering of every pod's row made a slice at a time: the rows of the pods up to `last`
/// are written, their ages as of `at`. A pod up to `last` that changes meanwhile is noted in
/// `changed` and written in by the edit that brings the rows current once they are whole.
#[derive(Clone, Debug)]
struct Making {
    /// The pods' `pod_changes` when it began (what the rows hold, but for the changes noted).
    pod_changes: u64,
    at: Timestamp,
    /// The last pod whose row is written (None: none yet).
    last: Option<Key>,
}

/// What the rows were made from, and how long their ages stay true.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Made {
    /// The pods' `pod_changes` they hold.
    pod_changes: u64,
    /// The time their ages were read at.
    at: Timestamp,
    /// The first time one of their ages reads differently (None: never).
    until: Option<Timestamp>,
}

impl SearchTexts {
    /// Each pod's columns and AGE (as of the last `Resources::pod_rows_with_ages`); a row
    /// starts with the namespace and the name.
    pub fn rows(&self) -> &RowTexts {
        &self.rows
    }

    /// Each part's first row (but the first part's) and its key.
    pub fn cuts(&self) -> &[(usize, Key)] {
        &self.cuts
    }

    /// Notes that the pod at `key` changed (added, modified or removed).
    pub(super) fn note_changed(&mut self, key: &Key) {
        // While the rows are gathered, a row not yet gathered is written as its pod is when it
        // is, and the changes to those gathered are noted however many: under `--churn 200`
        // at 51,539 pods, the changes over a gathering's thirteen ticks passed the quarter
        // below, and the gathering began again without end.
        if let Some(making) = &self.making {
            if making.last.as_ref().is_some_and(|last| key <= last)
                && let Some(changed) = &mut self.changed
            {
                changed.insert(key.clone());
            }
            return;
        }
        // Past a quarter of the rows, gathering them all again is about as quick.
        let most = (self.rows.len() / 4).max(1024);
        if let Some(changed) = &mut self.changed {
            if changed.len() >= most {
                self.changed = None;
            } else if !changed.contains(key) {
                changed.insert(key.clone());
            }
        }
    }

    /// Forgets which pods changed: the rows are gathered again when next read (a relist).
    pub(super) fn forget_changes(&mut self) {
        self.changed = None;
    }

    /// Whether the rows are made (gathered whole, if not current).
    pub(super) fn made(&self) -> bool {
        self.made.is_some()
    }

    /// Gathers up to `rows` more pods' rows, beginning a gathering if the rows were never made
    /// or cannot be brought current by an edit, and writes the pods changed since into them
    /// once they are whole: called between keys, so that a filter finds them made. True when
    /// they are.
    pub(super) fn make_some(
        &mut self,
        pods: &PodMap,
        pod_changes: u64,
        now: Timestamp,
        rows: usize,
    ) -> bool {
        // Never made, too many changes since, or a relist (while they were gathered too): what
        // was written is stale.
        if self.changed.is_none() {
            self.begin_gathering(pod_changes, now);
        }
        if !self.gather(pods, rows) {
            return false;
        }
        // Kept current with the pods; their ages are moved on when they are read (on a quiet
        // cluster that was the tick's only work here, over every row).
        if self
            .made
            .is_some_and(|made| made.pod_changes != pod_changes)
        {
            self.edit(pods, pod_changes);
        }
        true
    }

    /// Brings the rows current with `pods` (as of `pod_changes`) and with the clock at `now`.
    pub(super) fn bring_current(&mut self, pods: &PodMap, pod_changes: u64, now: Timestamp) {
        // A filter typed before the slices were done: the rest at once.
        self.gather(pods, usize::MAX);
        let Some(made) = self.made.filter(|made| made.at <= now) else {
            return self.make(pods, pod_changes, now);
        };
        if made.pod_changes != pod_changes && !self.edit(pods, pod_changes) {
            return self.make(pods, pod_changes, now);
        }
        let aged = self.made.and_then(|made| made.until);
        if aged.is_some_and(|until| until <= now) {
            self.age(now);
        }
    }

    /// Gathers every pod's row again.
    fn make(&mut self, pods: &PodMap, pod_changes: u64, now: Timestamp) {
        #[cfg(test)]
        {
            self.gathered += 1;
        }
        self.begin_gathering(pod_changes, now);
        self.gather(pods, usize::MAX);
    }

    /// Forgets the rows and begins gathering every pod's, their ages as of `now`.
    fn begin_gathering(&mut self, pod_changes: u64, now: Timestamp) {
        self.rows.clear();
        self.created.clear();
        self.made = None;
        self.changed = Some(BTreeSet::new());
        self.making = Some(Making {
            pod_changes,
            at: now,
            last: None,
        });
    }

    /// Writes up to `rows` more rows of the gathering under way; once every pod's is written,
    /// the rows are made (readied for edits, cut). True when they are made.
    fn gather(&mut self, pods: &PodMap, rows: usize) -> bool {
        let Some(making) = self.making.as_mut() else {
            return self.made.is_some();
        };
        let from = making
            .last
            .as_ref()
            .map_or(Bound::Unbounded, Bound::Excluded);
        let mut slice = pods.range::<Key, _>((from, Bound::Unbounded)).peekable();
        let at = making.at;
        let mut last = None;
        for (key, pod) in slice.by_ref().take(rows) {
            self.rows.push_row(|out| write_row(out, key, pod, at));
            self.created.push(pod.created);
            last = Some(key);
        }
        if slice.peek().is_some() {
            making.last = last.cloned();
            return false;
        }
        let making = self.making.take().expect("a gathering under way");
        self.rows.ready_spare();
        self.cut();
        self.made = Some(Made {
            pod_changes: making.pod_changes,
            at: making.at,
            until: self.first_change_of_age(making.at),
        });
        true
    }

    /// Writes the pods changed since the rows were made (`changed`) into the rows (aged as of
    /// when they were made), their creation times and the cuts. False, changing nothing, when
    /// the changes were not kept.
    fn edit(&mut self, pods: &PodMap, pod_changes: u64) -> bool {
        let (Some(made), Some(changed)) = (&mut self.made, self.changed.take()) else {
            return false;
        };
        let rows = self.rows.rows();
        let mut edits = Vec::with_capacity(changed.len());
        let mut entries = Vec::with_capacity(changed.len());
        for key in &changed {
            let wanted = (key.0.as_str(), key.1.as_str());
            // The rows are in the keys' order: the first row not before the key.
            let low = rows.spans.partition_point(|&(start, end)| {
                row_key(&rows.text[start as usize..end as usize]) < wanted
            });
            let drops = low < rows.spans.len() && row_key(rows.row(low)) == wanted;
            let entry = pods.get_key_value(key);
            if drops || entry.is_some() {
                edits.push(RowEdit {
                    at: low,
                    drops,
                    adds: entry.is_some(),
                });
                entries.push(entry);
            }
        }
        let at = made.at;
        self.rows.edit(&edits, |number, out| {
            let (key, pod) = entries[number].expect("an edit that adds has its pod");
            write_row(out, key, pod, at);
        });
        made.pod_changes = pod_changes;
        made.until = entries
            .iter()
            .flatten()
            .filter_map(|(_, pod)| age_lasts(pod.created, at))
            .map(|lasts| at + lasts)
            .chain(made.until)
            .min();
        let mut created = std::mem::take(&mut self.spare_created);
        created.clear();
        created.reserve(self.created.len() + edits.len());
        walk_edits(&edits, self.created.len(), |step| match step {
            EditStep::Keep(rows) => created.extend_from_slice(&self.created[rows]),
            EditStep::Add(number) => created.extend(entries[number].map(|(_, pod)| pod.created)),
        });
        self.spare_created = std::mem::replace(&mut self.created, created);
        self.cut();
        self.changed = Some(BTreeSet::new());
        true
    }

    /// Moves the rows' ages on to `now`: each age that reads differently is written over the old
    /// one where it is as long, and its row written again where it is not ("9m59s" to "10m").
    fn age(&mut self, now: Timestamp) {
        let Some(made) = self.made else { return };
        let (mut was, mut age) = (String::new(), String::new());
        // The rows whose AGE takes another length, with how many of their bytes stay.
        let mut ends = Vec::new();
        for (index, created) in self.created.iter().enumerate() {
            let changed = age_lasts(*created, made.at).is_some_and(|lasts| made.at + lasts <= now);
            if !changed {
                continue;
            }
            was.clear();
            write_age(&mut was, *created, made.at);
            age.clear();
            write_age(&mut age, *created, now);
            if !self.rows.replace_row_end(index, &was, &age) {
                let row = self.rows.rows().row(index);
                let kept = row.strip_suffix(was.as_str()).unwrap_or(row);
                ends.push((index, kept.len()));
            }
        }
        if !ends.is_empty() {
            let created = &self.created;
            self.rows.rewrite_ends(&ends, |number, out| {
                write_age(out, created[ends[number].0], now)
            });
        }
        self.made = Some(Made {
            at: now,
            until: self.first_change_of_age(now),
            ..made
        });
    }

    /// The first time after `now` one of the rows' ages reads differently (None: never).
    fn first_change_of_age(&self, now: Timestamp) -> Option<Timestamp> {
        self.created
            .iter()
            .filter_map(|created| age_lasts(*created, now))
            .min()
            .map(|lasts| now + lasts)
    }

    /// Hands `each` the pods whose rows `kept` marks (as `scan` returned it for these rows),
    /// in the rows' order, gathering none of them: the first letter of a filter keeps nearly
    /// every row, and a vector of 53,000 pods, fresh memory each time, had cost that key 220
    /// page faults. A filter typed out keeps a few rows of 50,000: those are looked up by the
    /// key their row starts with, rather than every pod walked (2 ms of cache misses a frame).
    pub fn kept<'p>(
        &self,
        pods: &'p PodMap,
        kept: &[bool],
        mut each: impl FnMut(&'p Key, &'p PodEntry),
    ) {
        let count = kept.iter().filter(|kept| **kept).count();
        if count > kept.len() / 8 {
            for ((key, pod), _) in pods.iter().zip(kept).filter(|(_, kept)| **kept) {
                each(key, pod);
            }
            return;
        }
        let rows = self.rows.rows();
        for (index, _) in kept.iter().enumerate().filter(|(_, kept)| **kept) {
            let (namespace, name) = row_key(rows.row(index));
            if let Some((key, pod)) = pods.get_key_value(&(namespace.to_string(), name.to_string()))
            {
                each(key, pod);
            }
        }
    }

    /// Cuts the rows in parts of `ROWS_WORTH_A_THREAD` rows (`cuts`), which the cores claim as
    /// they come to them (`claim_parts`).
    fn cut(&mut self) {
        self.cuts.clear();
        let count = self.rows.len();
        let part = ROWS_WORTH_A_THREAD;
        let rows = self.rows.rows();
        for index in (part..count).step_by(part) {
            let (namespace, name) = row_key(rows.row(index));
            self.cuts
                .push((index, (namespace.to_string(), name.to_string())));
        }
    }
}

/// A pod's filter text: its columns (`PodEntry::write_search`) and its AGE at `at`.
fn write_row(out: &mut String, key: &Key, pod: &PodEntry, at: Timestamp) {
    pod.write_search(key, out);
    out.push(' ');
    write_age(out, pod.created, at);
}

/// The namespace and name a pod's filter text starts with (`PodEntry::write_search`; neither holds
/// a space).
fn row_key(row: &str) -> (&str, &str) {
    let (namespace, rest) = row.split_once(' ').unwrap_or((row, ""));
    let name = rest.split_once(' ').map_or(rest, |(name, _)| name);
    (namespace, name)
}

#[cfg(test)]
#[path = "pod_search_tests.rs"]
mod tests;
