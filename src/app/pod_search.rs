//! The pods' filter texts: each pod's row as the filter reads it (its columns and AGE), laid end to
//! end in the pods' order (`RowTexts`), brought current when the pods changed by writing the
//! changed pods' rows into them, and when the clock moved by writing the ages that read
//! differently; gathered again from every pod only when most changed.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::resources::{Key, PodEntry, PodMap};
use super::row_texts::{EditStep, ROWS_WORTH_A_THREAD, RowEdit, RowTexts, cores, walk_edits};
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

    /// Brings the rows current with `pods` (as of `pod_changes`) and with the clock at `now`.
    pub(super) fn bring_current(&mut self, pods: &PodMap, pod_changes: u64, now: Timestamp) {
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
        self.rows.clear();
        self.created.clear();
        for (key, pod) in pods {
            self.rows.push_row(|out| {
                pod.write_search(key, out);
                out.push(' ');
                write_age(out, pod.created, now);
            });
            self.created.push(pod.created);
        }
        self.rows.ready_spare();
        self.cut();
        self.changed = Some(BTreeSet::new());
        self.made = Some(Made {
            pod_changes,
            at: now,
            until: self.first_change_of_age(now),
        });
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
            pod.write_search(key, out);
            out.push(' ');
            write_age(out, pod.created, at);
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
        let mut edits = Vec::new();
        let mut rewritten = Vec::new();
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
                rewritten.push(format!("{kept}{age}"));
                edits.push(RowEdit {
                    at: index,
                    drops: true,
                    adds: true,
                });
            }
        }
        if !edits.is_empty() {
            self.rows
                .edit(&edits, |number, out| out.push_str(&rewritten[number]));
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

    /// The pods whose rows `kept` marks (as `scan` returned it for these rows), in the rows'
    /// order. A filter typed out keeps a few rows of 50,000: those are looked up by the key
    /// their row starts with, rather than every pod walked (2 ms of cache misses a frame).
    pub fn kept<'p>(&self, pods: &'p PodMap, kept: &[bool]) -> Vec<(&'p Key, &'p PodEntry)> {
        let count = kept.iter().filter(|kept| **kept).count();
        if count > kept.len() / 8 {
            return pods
                .iter()
                .zip(kept)
                .filter(|(_, kept)| **kept)
                .map(|((key, pod), _)| (key, &**pod))
                .collect();
        }
        let rows = self.rows.rows();
        kept.iter()
            .enumerate()
            .filter(|(_, kept)| **kept)
            .filter_map(|(index, _)| {
                let (namespace, name) = row_key(rows.row(index));
                pods.get_key_value(&(namespace.to_string(), name.to_string()))
            })
            .map(|(key, pod)| (key, &**pod))
            .collect()
    }

    /// Cuts the rows in parts of equal size, one per core (`cuts`).
    fn cut(&mut self) {
        self.cuts.clear();
        let count = self.rows.len();
        let parts = (count / ROWS_WORTH_A_THREAD).clamp(1, cores());
        let part = count.div_ceil(parts).max(1);
        let rows = self.rows.rows();
        for index in (part..count).step_by(part) {
            let (namespace, name) = row_key(rows.row(index));
            self.cuts
                .push((index, (namespace.to_string(), name.to_string())));
        }
    }
}

/// The namespace and name a pod's filter text starts with (`PodEntry::write_search`; neither holds
/// a space).
fn row_key(row: &str) -> (&str, &str) {
    let (namespace, rest) = row.split_once(' ').unwrap_or((row, ""));
    let name = rest.split_once(' ').map_or(rest, |(name, _)| name);
    (namespace, name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::resources::Resources;
    use super::*;
    use crate::model::kind::WatchedKind;
    use crate::model::pod::Pod;
    use crate::model::watched_pod::WatchedPod;

    fn pod(name: &str, created: &str) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"namespace": "shop", "name": name, "creationTimestamp": created},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx"}]},
            "status": {"phase": "Running"},
        }))
        .expect("a pod")
    }

    /// The rows with ages, however the clock moved them on (in place, or made again), read as
    /// rows made at that time from nothing.
    #[test]
    fn rows_with_ages_moved_on_by_the_clock_read_as_if_made_then() {
        let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let created = [
            "2026-12-03T09:59:58Z",
            "2026-12-03T09:58:01Z",
            "2026-12-03T09:50:30Z",
            "2026-12-03T07:00:00Z",
            "2026-11-20T10:00:00Z",
        ];
        let mut moved = Resources::default();
        for (index, at) in created.iter().enumerate() {
            moved.apply_pod(WatchedPod::new(pod(&format!("p{index}"), at), "{}".into()));
        }
        let mut now = start;
        for step in [1, 1, 58, 1, 20, 600, 1, 3600, 86_400] {
            now += jiff::SignedDuration::from_secs(step);
            let rows: Vec<String> = moved
                .pod_rows_with_ages(now)
                .rows()
                .iter()
                .map(str::to_string)
                .collect();
            let laid = moved.pod_rows_with_ages(now).rows().rows().text.to_string();
            let mut fresh = Resources::default();
            for (index, at) in created.iter().enumerate() {
                fresh.apply_pod(WatchedPod::new(pod(&format!("p{index}"), at), "{}".into()));
            }
            let search = fresh.pod_rows_with_ages(now);
            let expected: Vec<&str> = search.rows().iter().collect();
            assert_eq!(rows, expected, "after {step} s more");
            assert_eq!(
                laid,
                search.rows().rows().text,
                "laid out after {step} s more"
            );
        }
    }

    fn pod_in_phase(name: &str, created: &str, phase: &str) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"namespace": "shop", "name": name, "creationTimestamp": created},
            "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx"}]},
            "status": {"phase": phase},
        }))
        .expect("a pod")
    }

    /// What a reader of the texts sees: the rows with ages, the buffer a regex scans, the cuts.
    #[derive(Debug, PartialEq)]
    struct Read {
        rows: Vec<String>,
        laid: String,
        cuts: Vec<(usize, Key)>,
    }

    fn texts_read(resources: &Resources, now: Timestamp) -> Read {
        let search = resources.pod_rows_with_ages(now);
        Read {
            rows: search.rows().iter().map(str::to_string).collect(),
            laid: search.rows().rows().text.to_string(),
            cuts: search.cuts().to_vec(),
        }
    }

    #[derive(Debug, Clone)]
    enum Change {
        Apply {
            pod: usize,
            minutes_old: u32,
            phase: usize,
        },
        Remove {
            pod: usize,
        },
        KeepOnly {
            mask: u32,
        },
        Read {
            seconds_on: u32,
        },
    }

    fn change() -> impl proptest::strategy::Strategy<Value = Change> {
        use proptest::prelude::*;
        prop_oneof![
            4 => (0usize..24, 0u32..200, 0usize..3)
                .prop_map(|(pod, minutes_old, phase)| Change::Apply { pod, minutes_old, phase }),
            2 => (0usize..24).prop_map(|pod| Change::Remove { pod }),
            1 => proptest::num::u32::ANY.prop_map(|mask| Change::KeepOnly { mask }),
            3 => (0u32..700).prop_map(|seconds_on| Change::Read { seconds_on }),
        ]
    }

    proptest::proptest! {
        /// However pods come, change and go between reads, the texts brought current (the
        /// changed rows written into them) read as texts made from nothing of the same pods.
        #[test]
        fn texts_edited_under_churn_read_as_if_made_from_nothing(
            changes in proptest::collection::vec(change(), 1..40),
        ) {
            let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
            let phases = ["Running", "Pending", "Succeeded"];
            let mut now = start;
            let mut resources = Resources::default();
            let mut held: BTreeMap<usize, (String, usize)> = BTreeMap::new();
            let name = |pod: usize| format!("p{pod:02}");
            for change in changes {
                match change {
                    Change::Apply { pod, minutes_old, phase } => {
                        let created = (start - jiff::SignedDuration::from_mins(minutes_old.into())).to_string();
                        resources.apply_pod(WatchedPod::new(pod_in_phase(&name(pod), &created, phases[phase]), "{}".into()));
                        held.insert(pod, (created, phase));
                    }
                    Change::Remove { pod } => {
                        resources.remove_pod(&("shop".to_string(), name(pod)));
                        held.remove(&pod);
                    }
                    Change::KeepOnly { mask } => {
                        held.retain(|pod, _| mask & (1 << pod) != 0);
                        let keys = held.keys().map(|pod| ("shop".to_string(), name(*pod))).collect();
                        resources.keep_only(WatchedKind::Pods, &keys);
                    }
                    Change::Read { seconds_on } => {
                        now += jiff::SignedDuration::from_secs(seconds_on.into());
                        let mut fresh = Resources::default();
                        for (pod, (created, phase)) in &held {
                            fresh.apply_pod(WatchedPod::new(pod_in_phase(&name(*pod), created, phases[*phase]), "{}".into()));
                        }
                        proptest::prop_assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
                    }
                }
            }
        }
    }

    /// Cut in parts (above a part's worth of rows a core) where a fresh cut would be, after
    /// pods came and went.
    #[test]
    fn edited_texts_are_cut_where_fresh_ones_are() {
        let now: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let count = 3 * ROWS_WORTH_A_THREAD + 5;
        let mut resources = Resources::default();
        for index in 0..count {
            resources.apply_pod(WatchedPod::new(
                pod(&format!("p{index:05}"), "2026-12-03T09:00:00Z"),
                "{}".into(),
            ));
        }
        let _ = resources.pod_rows_with_ages(now);
        for index in (0..count).step_by(7) {
            resources.remove_pod(&("shop".to_string(), format!("p{index:05}")));
        }
        resources.apply_pod(WatchedPod::new(
            pod("a-first", "2026-12-03T09:00:00Z"),
            "{}".into(),
        ));
        let mut fresh = Resources::default();
        for key in resources.pods.keys() {
            fresh.apply_pod(WatchedPod::new(
                pod(&key.1, "2026-12-03T09:00:00Z"),
                "{}".into(),
            ));
        }
        assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
        assert!(cores() == 1 || !resources.pod_rows_with_ages(now).cuts().is_empty());
    }

    /// The pods a scan kept, looked up by their rows' keys when they are few and walked when
    /// they are many, are the pods at the kept rows, in order.
    #[test]
    fn the_pods_kept_are_those_at_the_kept_rows_however_few() {
        let now: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let mut resources = Resources::default();
        for index in 0..200 {
            resources.apply_pod(WatchedPod::new(
                pod(&format!("p{index:03}"), "2026-12-03T09:00:00Z"),
                "{}".into(),
            ));
        }
        let search = resources.pod_rows_with_ages(now);
        for every in [1, 2, 7, 9, 50, 201] {
            let kept: Vec<bool> = (0..200).map(|index| index % every == 3 % every).collect();
            let expected: Vec<&Key> = resources
                .pods
                .keys()
                .zip(&kept)
                .filter(|(_, kept)| **kept)
                .map(|(key, _)| key)
                .collect();
            let found: Vec<&Key> = search
                .kept(&resources.pods, &kept)
                .into_iter()
                .map(|(key, _)| key)
                .collect();
            assert_eq!(found, expected, "every {every}th row kept");
        }
        let none = search.kept(&resources.pods, &[false; 200]);
        assert!(none.is_empty());
    }
}
