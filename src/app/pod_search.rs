//! The pods' filter texts: each pod's row as the filter reads it, laid end to end in the pods'
//! order (`RowTexts`), with and without AGE, brought current when the pods changed by writing the
//! changed pods' rows into them, or by gathering them all again when most changed.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::resources::{Key, PodEntry};
use super::row_texts::{ROWS_WORTH_A_THREAD, RowEdit, RowTexts, cores};
use crate::model::duration::{age_lasts, write_age};

/// The pods' filter texts in the map's order, in one buffer made again when the pods changed,
/// and the same rows with AGE after them, made from that buffer when the clock moved (ages
/// change with it; copying one buffer is quick where gathering 50,000 strings is not).
#[derive(Debug, Default)]
pub struct SearchTexts {
    /// The `pod_changes` the columns were made at (None: never).
    columns_at: Option<u64>,
    /// Each pod's columns but AGE (`PodEntry::search`).
    columns: RowTexts,
    /// Each pod's creation time, for its AGE.
    created: Vec<Option<Timestamp>>,
    /// What the rows with ages were made from (None: never).
    rows_at: Option<RowsAt>,
    /// Each pod's columns and AGE, as the row shows them.
    rows: RowTexts,
    /// Where the rows are cut in parts of equal size, one per core, to be filtered in parallel:
    /// each part's first row and its key.
    cuts: Vec<(usize, Key)>,
    /// The pods changed since the columns were made, to be written into them (`edit`) rather
    /// than every pod gathered again; `None` when they are not kept (never made, or too many).
    changed: Option<BTreeSet<Key>>,
}

/// When the rows with ages were made and how long their texts stay true.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RowsAt {
    /// The `pod_changes` they were made at.
    pod_changes: u64,
    /// The time their ages were read at.
    made: Timestamp,
    /// The first time one of their ages reads differently (None: never).
    until: Option<Timestamp>,
}

impl RowsAt {
    fn holds(&self, pod_changes: u64, now: Timestamp) -> bool {
        self.pod_changes == pod_changes
            && self.made <= now
            && self.until.is_none_or(|until| now < until)
    }
}

impl SearchTexts {
    /// Each pod's columns but AGE; a row starts with the namespace and the name.
    pub fn columns(&self) -> &RowTexts {
        &self.columns
    }

    /// Each pod's columns and AGE (as of the last `Resources::pod_rows_with_ages`).
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
        let most = (self.columns.len() / 4).max(1024);
        if let Some(changed) = &mut self.changed {
            if changed.len() >= most {
                self.changed = None;
            } else if !changed.contains(key) {
                changed.insert(key.clone());
            }
        }
    }

    /// Writes the pods changed since the columns were made (`changed`) into the columns, their
    /// creation times, the rows with ages if those were made with the same columns (each new
    /// row aged as of when they were), and the cuts. False, changing nothing, when the changes
    /// were not kept.
    fn edit(&mut self, pods: &BTreeMap<Key, PodEntry>, pod_changes: u64) -> bool {
        let (Some(columns_at), Some(changed)) = (self.columns_at, self.changed.take()) else {
            return false;
        };
        let columns = self.columns.rows();
        let mut edits = Vec::with_capacity(changed.len());
        let mut entries = Vec::with_capacity(changed.len());
        for key in &changed {
            let wanted = (key.0.as_str(), key.1.as_str());
            // The rows are in the keys' order: the first row not before the key.
            let (mut low, mut high) = (0, columns.spans.len());
            while low < high {
                let middle = low + (high - low) / 2;
                if row_key(columns.row(middle)) < wanted {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            let at = low;
            let drops = at < columns.spans.len() && row_key(columns.row(at)) == wanted;
            let entry = pods.get(key);
            if drops || entry.is_some() {
                edits.push(RowEdit {
                    at,
                    drops,
                    adds: entry.is_some(),
                });
                entries.push(entry);
            }
        }
        let added = |number: usize| entries[number].expect("an edit that adds has its pod");
        self.columns
            .edit(&edits, |number, out| out.push_str(&added(number).search));
        if let Some(rows_at) = &mut self.rows_at
            && rows_at.pod_changes == columns_at
        {
            let made = rows_at.made;
            self.rows.edit(&edits, |number, out| {
                let pod = added(number);
                out.push_str(&pod.search);
                out.push(' ');
                write_age(out, pod.created, made);
            });
            rows_at.pod_changes = pod_changes;
            let until = entries
                .iter()
                .flatten()
                .filter_map(|pod| age_lasts(pod.created, made))
                .map(|lasts| made + lasts)
                .chain(rows_at.until)
                .min();
            rows_at.until = until;
        }
        let mut created = Vec::with_capacity(self.created.len() + edits.len());
        let mut next = 0;
        for (edit, entry) in edits.iter().zip(&entries) {
            if edit.at > next {
                created.extend_from_slice(&self.created[next..edit.at]);
                next = edit.at;
            }
            if let Some(pod) = entry {
                created.push(pod.created);
            }
            if edit.drops && edit.at >= next {
                next = edit.at + 1;
            }
        }
        created.extend_from_slice(&self.created[next..]);
        self.created = created;
        self.cut();
        self.columns_at = Some(pod_changes);
        self.changed = Some(BTreeSet::new());
        true
    }

    /// Cuts the rows in parts of equal size, one per core (`cuts`).
    fn cut(&mut self) {
        self.cuts.clear();
        let count = self.columns.len();
        let parts = (count / ROWS_WORTH_A_THREAD).clamp(1, cores());
        let part = count.div_ceil(parts).max(1);
        let columns = self.columns.rows();
        for index in (part..count).step_by(part) {
            let (namespace, name) = row_key(columns.row(index));
            self.cuts
                .push((index, (namespace.to_string(), name.to_string())));
        }
    }

    /// The rows were made at `pod_changes`, with the ages of `now`: until when they hold.
    fn rows_made(&mut self, pod_changes: u64, now: Timestamp) {
        let until = self
            .created
            .iter()
            .filter_map(|created| age_lasts(*created, now))
            .min()
            .map(|lasts| now + lasts);
        self.rows_at = Some(RowsAt {
            pod_changes,
            made: now,
            until,
        });
    }

    /// Moves the rows' ages from `made` to `now` by writing each age that reads differently
    /// over the old one. False when one cannot be (its text changed length: "9m59s" to "10m"):
    /// the rows must then be made again, whatever was written.
    fn age_rows_in_place(&mut self, made: Timestamp, now: Timestamp) -> bool {
        let (mut was, mut age) = (String::new(), String::new());
        for (index, created) in self.created.iter().enumerate() {
            let changed = age_lasts(*created, made).is_some_and(|lasts| made + lasts <= now);
            if !changed {
                continue;
            }
            was.clear();
            write_age(&mut was, *created, made);
            age.clear();
            write_age(&mut age, *created, now);
            if was.len() != age.len() || !self.rows.replace_row_end(index, &was, &age) {
                return false;
            }
        }
        true
    }
}

impl SearchTexts {
    /// Brings the columns current with `pods` (as of `pod_changes`).
    pub(super) fn bring_columns_current(
        &mut self,
        pods: &BTreeMap<Key, PodEntry>,
        pod_changes: u64,
    ) {
        if self.columns_at != Some(pod_changes) && !self.edit(pods, pod_changes) {
            self.make(pods, pod_changes, None);
        }
    }

    /// Brings the rows with ages current with `pods` (as of `pod_changes`) and the clock: made
    /// again only when the pods changed or one of the ages reads differently (on a cluster of
    /// pods days old, once an hour).
    pub(super) fn bring_rows_current(
        &mut self,
        pods: &BTreeMap<Key, PodEntry>,
        pod_changes: u64,
        now: Timestamp,
    ) {
        if self.columns_at != Some(pod_changes) && !self.edit(pods, pod_changes) {
            self.make(pods, pod_changes, Some(now));
            return;
        }
        if self.rows_at.is_some_and(|at| at.holds(pod_changes, now)) {
            return;
        }
        // Only the clock moved: the ages that read differently are written over their old
        // texts (at 50,000 pods a copy of every row took a keystroke's budget each second while
        // any pod was under ten minutes old).
        let aged_in_place = self.rows_at.is_some_and(|at| {
            at.pod_changes == pod_changes && at.made <= now && self.age_rows_in_place(at.made, now)
        });
        if !aged_in_place {
            let created = &self.created;
            self.rows.copy_rows_adding(&self.columns, |index, out| {
                out.push(' ');
                write_age(out, created[index], now);
            });
        }
        self.rows_made(pod_changes, now);
    }

    /// Gathers the pods' columns again, and with `ages_at` their rows with AGE in the same pass
    /// (when most pods changed: one pass over them, not a second copy).
    fn make(
        &mut self,
        pods: &BTreeMap<Key, PodEntry>,
        pod_changes: u64,
        ages_at: Option<Timestamp>,
    ) {
        self.columns.clear();
        self.created.clear();
        self.rows_at = None;
        if ages_at.is_some() {
            self.rows.clear();
        }
        for pod in pods.values() {
            self.columns.push_row(|out| out.push_str(&pod.search));
            if let Some(now) = ages_at {
                self.rows.push_row(|out| {
                    out.push_str(&pod.search);
                    out.push(' ');
                    write_age(out, pod.created, now);
                });
            }
            self.created.push(pod.created);
        }
        self.cut();
        self.changed = Some(BTreeSet::new());
        self.columns_at = Some(pod_changes);
        if let Some(now) = ages_at {
            self.rows_made(pod_changes, now);
        }
    }

    /// Forgets which pods changed: the texts are gathered again when next read (a relist).
    pub(super) fn forget_changes(&mut self) {
        self.changed = None;
    }
}

/// The namespace and name a pod's filter text starts with (`PodEntry::search`; neither holds
/// a space).
fn row_key(row: &str) -> (&str, &str) {
    let (namespace, rest) = row.split_once(' ').unwrap_or((row, ""));
    let name = rest.split_once(' ').map_or(rest, |(name, _)| name);
    (namespace, name)
}

#[cfg(test)]
mod tests {
    use super::super::resources::Resources;
    use super::*;
    use crate::model::kind::WatchedKind;
    use crate::model::pod::Pod;

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
            moved.apply_pod(pod(&format!("p{index}"), at), "{}".into(), start);
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
            let lower: Vec<String> = {
                let search = moved.pod_rows_with_ages(now);
                let lower = search.rows().lowercase();
                (0..rows.len()).map(|i| lower.row(i).to_string()).collect()
            };
            let mut fresh = Resources::default();
            for (index, at) in created.iter().enumerate() {
                fresh.apply_pod(pod(&format!("p{index}"), at), "{}".into(), start);
            }
            let search = fresh.pod_rows_with_ages(now);
            let expected: Vec<&str> = search.rows().iter().collect();
            assert_eq!(rows, expected, "after {step} s more");
            let fresh_lower = search.rows().lowercase();
            let expected_lower: Vec<&str> = (0..rows.len()).map(|i| fresh_lower.row(i)).collect();
            assert_eq!(lower, expected_lower, "lowercase after {step} s more");
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

    /// What a reader of the texts sees: the rows with ages and their lowercase, the columns,
    /// the cuts.
    #[derive(Debug, PartialEq)]
    struct Read {
        rows: Vec<String>,
        lower: Vec<String>,
        columns: Vec<String>,
        cuts: Vec<(usize, Key)>,
    }

    fn texts_read(resources: &Resources, now: Timestamp) -> Read {
        let search = resources.pod_rows_with_ages(now);
        let lower = search.rows().lowercase();
        Read {
            rows: search.rows().iter().map(str::to_string).collect(),
            lower: (0..search.rows().len())
                .map(|i| lower.row(i).to_string())
                .collect(),
            columns: search.columns().iter().map(str::to_string).collect(),
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
                        resources.apply_pod(pod_in_phase(&name(pod), &created, phases[phase]), "{}".into(), now);
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
                            fresh.apply_pod(pod_in_phase(&name(*pod), created, phases[*phase]), "{}".into(), now);
                        }
                        proptest::prop_assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
                        let columns: Vec<String> = resources.pod_search_texts().columns().iter().map(str::to_string).collect();
                        let fresh_columns: Vec<String> = fresh.pod_search_texts().columns().iter().map(str::to_string).collect();
                        proptest::prop_assert_eq!(columns, fresh_columns);
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
            resources.apply_pod(
                pod(&format!("p{index:05}"), "2026-12-03T09:00:00Z"),
                "{}".into(),
                now,
            );
        }
        let _ = resources.pod_rows_with_ages(now);
        for index in (0..count).step_by(7) {
            resources.remove_pod(&("shop".to_string(), format!("p{index:05}")));
        }
        resources.apply_pod(pod("a-first", "2026-12-03T09:00:00Z"), "{}".into(), now);
        let mut fresh = Resources::default();
        for key in resources.pods.keys() {
            fresh.apply_pod(pod(&key.1, "2026-12-03T09:00:00Z"), "{}".into(), now);
        }
        assert_eq!(texts_read(&resources, now), texts_read(&fresh, now));
        assert!(cores() == 1 || !resources.pod_search_texts().cuts().is_empty());
    }
}
