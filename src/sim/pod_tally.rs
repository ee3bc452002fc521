//! Indexes of pods kept current from the store's changes: an index reads the changes since
//! its last revision (or every pod, once, or when the history no longer reaches back), so a
//! reader costs what changed, not every pod of a 50,000-pod cluster each time.

use std::sync::Mutex;

use serde_json::Value;

use super::resource::find_built_in;
use super::state::Sim;
use super::store::ChangeType;

/// An index over pods: what it keeps of one pod. Made empty (`Default`) before every pod is
/// counted again.
pub trait PodTally: Default {
    /// Takes out what it kept of the pod, if anything.
    fn forget(&mut self, key: &(String, String));
    /// Keeps what it needs of the pod as it is now.
    fn count(&mut self, key: (String, String), pod: &Value);
}

/// An index and the store revision it is at.
#[derive(Default)]
pub struct Tallied<T> {
    /// None: never built.
    revision: Option<u64>,
    index: T,
}

impl<T: PodTally> Tallied<T> {
    /// What `read` makes of the index behind `lock`, brought to the store's revision first and
    /// held while it reads. A lock poisoned by a panic elsewhere is taken all the same: the
    /// index is brought current again from the store's changes.
    pub fn read<R>(lock: &Mutex<Self>, sim: &Sim, read: impl FnOnce(&T) -> R) -> R {
        let mut tallied = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        read(tallied.current(sim))
    }

    /// The index, brought to the store's revision first.
    pub fn current(&mut self, sim: &Sim) -> &T {
        let pods = find_built_in("", "v1", "pods").expect("pods are served");
        let changes = self
            .revision
            .and_then(|revision| sim.store.changes_since(revision).ok());
        match changes {
            Some((changes, revision)) => {
                for change in changes.iter().filter(|c| std::ptr::eq(c.resource, pods)) {
                    let key = (change.namespace.clone(), change.name.clone());
                    self.index.forget(&key);
                    if change.change != ChangeType::Deleted {
                        self.index.count(key, &change.object);
                    }
                }
                self.revision = Some(revision);
            }
            None => {
                self.index = T::default();
                let (all, revision, _) = sim.store.list(pods, None, None, |_| true, 0);
                for pod in &all {
                    self.index.count(super::store::object_key(pod), pod);
                }
                self.revision = Some(revision);
            }
        }
        &self.index
    }
}
