//! Strings many pods repeat (a status, a node's name, a label's key and value), kept once and
//! shared: at 50,000 pods the copies were most of a pod's row and labels.

use std::collections::HashSet;
use std::sync::Arc;

/// One shared copy of each string many objects repeat. A string no object holds any more is
/// let go once the set has doubled since it was last swept, so under churn (pods replaced by
/// pods with new names and hashes) the set stays the size of what is held.
#[derive(Debug, Default)]
pub struct Interned {
    /// foldhash: the set is asked once per string of every pod a watch delivers, and the
    /// standard hasher's DoS resistance is not needed for names the API server sent.
    strings: HashSet<Arc<str>, foldhash::fast::RandomState>,
    /// The set's size after the last sweep.
    swept_at: usize,
}

/// Below this many strings the set is not swept.
const SWEEP_FROM: usize = 1024;

impl Interned {
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(text) {
            return shared.clone();
        }
        if self.strings.len() >= SWEEP_FROM.max(2 * self.swept_at) {
            self.strings.retain(|s| Arc::strong_count(s) > 1);
            self.swept_at = self.strings.len();
        }
        let shared: Arc<str> = Arc::from(text);
        self.strings.insert(shared.clone());
        shared
    }

    /// How many strings are kept.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// An object's labels, compactly: the pairs in one allocation, sorted by key, each string
/// shared (a pod's `app`, `pod-template-hash` and their values are its siblings' too). The
/// pairs are shared too: triage's worker is handed the labels of tens of thousands of pods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSet(Arc<[(Arc<str>, Arc<str>)]>);

impl LabelSet {
    /// `labels` (sorted by key, as a `BTreeMap` gives them) with their strings from `interned`.
    pub fn new<'a>(
        labels: impl IntoIterator<Item = (&'a String, &'a String)>,
        interned: &mut Interned,
    ) -> Self {
        LabelSet(
            labels
                .into_iter()
                .map(|(key, value)| (interned.get(key), interned.get(value)))
                .collect(),
        )
    }

    /// The labels in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|at| &*self.0[at].1)
    }
}

impl crate::model::selector::Labels for LabelSet {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn labels_are_found_by_key_and_share_their_strings() {
        let mut interned = Interned::default();
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let one = LabelSet::new(&map(&[("tier", "web"), ("app", "shop")]), &mut interned);
        let two = LabelSet::new(&map(&[("app", "shop")]), &mut interned);
        assert_eq!(one.get("app"), Some("shop"));
        assert_eq!(one.get("tier"), Some("web"));
        assert_eq!(one.get("zone"), None);
        assert_eq!(
            one.iter().collect::<Vec<_>>(),
            [("app", "shop"), ("tier", "web")]
        );
        assert!(Arc::ptr_eq(&one.0[0].1, &two.0[0].1), "one copy of `shop`");
        assert_eq!(interned.len(), 4);
        let selector: crate::model::selector::LabelSelector = "app=shop,tier!=db".parse().unwrap();
        assert!(selector.matches(&one));
    }

    #[test]
    fn strings_nobody_holds_are_let_go_as_the_set_grows() {
        let mut interned = Interned::default();
        let held: Vec<Arc<str>> = (0..10)
            .map(|i| interned.get(&format!("held-{i}")))
            .collect();
        // Pods come and go, each with a name of its own that nothing holds once it is gone.
        for i in 0..100_000 {
            drop(interned.get(&format!("gone-{i}")));
        }
        assert!(
            interned.len() <= 2 * SWEEP_FROM + held.len(),
            "{} kept",
            interned.len()
        );
        for (i, shared) in held.iter().enumerate() {
            assert!(Arc::ptr_eq(shared, &interned.get(&format!("held-{i}"))));
        }
    }
}
