//! Indexes of pods kept current from the store's changes: an index reads the changes since
//! its last revision (or every pod, once, or when the history no longer reaches back), so a
//! reader costs what changed, not every pod of a 50,000-pod cluster each time.

use serde_json::Value;

use super::resource::find_built_in;
use super::state::Sim;
use super::store::ChangeType;

/// An index over pods: what it keeps of one pod, and the revision it is at.
pub trait PodTally {
    /// The store revision the index is at (None: never built).
    fn revision(&mut self) -> &mut Option<u64>;
    /// Forgets everything, before every pod is counted again.
    fn clear(&mut self);
    /// Takes out what it kept of the pod, if anything.
    fn forget(&mut self, key: &(String, String));
    /// Keeps what it needs of the pod as it is now.
    fn count(&mut self, key: (String, String), pod: &Value);

    /// Brings the index to the store's revision.
    fn catch_up(&mut self, sim: &Sim) {
        let pods = find_built_in("", "v1", "pods").expect("pods are served");
        let changes = self
            .revision()
            .and_then(|revision| sim.store.changes_since(revision).ok());
        match changes {
            Some((changes, revision)) => {
                for change in changes.iter().filter(|c| std::ptr::eq(c.resource, pods)) {
                    let key = (change.namespace.clone(), change.name.clone());
                    self.forget(&key);
                    if change.change != ChangeType::Deleted {
                        self.count(key, &change.object);
                    }
                }
                *self.revision() = Some(revision);
            }
            None => {
                self.clear();
                let (all, revision, _) = sim.store.list(pods, None, None, |_| true, 0);
                for pod in &all {
                    self.count(super::store::object_key(pod), pod);
                }
                *self.revision() = Some(revision);
            }
        }
    }
}
