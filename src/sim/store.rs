//! The object store: every object by resource, namespace and name, one global revision
//! counter (the resourceVersion), and the change history that watches resume from.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::broadcast;

use super::resource::ResourceType;
use crate::sim::pointer::Pointer;

/// ADDED, MODIFIED or DELETED, as watch events name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

impl ChangeType {
    /// The watch event type.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "ADDED",
            ChangeType::Modified => "MODIFIED",
            ChangeType::Deleted => "DELETED",
        }
    }
}

/// One committed change.
#[derive(Debug, Clone)]
pub struct Change {
    pub resource: &'static ResourceType,
    pub change: ChangeType,
    pub namespace: String,
    pub name: String,
    /// The object after the change (for DELETED, its last state with the deletion revision).
    pub object: Arc<Value>,
    /// The object before the change, for MODIFIED and DELETED.
    pub previous: Option<Arc<Value>>,
    pub revision: u64,
    /// When it was committed, for the history's time window.
    at: Instant,
    /// The object as JSON, serialised once for every watcher that sends it as is.
    encoded: std::sync::OnceLock<Arc<[u8]>>,
}

impl Change {
    /// The object's JSON bytes.
    pub fn encoded(&self) -> Arc<[u8]> {
        self.encoded
            .get_or_init(|| {
                serde_json::to_vec(self.object.as_ref())
                    .unwrap_or_default()
                    .into()
            })
            .clone()
    }
}

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    AlreadyExists,
    NotFound,
    /// The caller's resourceVersion is not the stored one.
    Conflict,
}

/// A watch could not start from the requested revision: it is older than the history kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooOld {
    pub requested: u64,
    pub oldest: u64,
}

type Key = (&'static str, &'static str);

/// Changes still in history, and a receiver for the ones after them.
pub type WatchStart = (Vec<Arc<Change>>, broadcast::Receiver<Arc<Change>>);

struct Inner {
    revision: u64,
    objects: HashMap<Key, BTreeMap<(String, String), Arc<Value>>>,
    history: VecDeque<Arc<Change>>,
    /// Changes at or below this revision are no longer in `history`.
    compacted: u64,
    /// Objects by the uids their ownerReferences name (the garbage collector's graph), kept
    /// at every write: finding a deleted object's dependents by reading every stored object
    /// took a tenth of the controllers' core under churn.
    dependents: HashMap<String, BTreeMap<(Key, String, String), &'static ResourceType>>,
}

impl Inner {
    /// The changes after `revision`, or TooOld when history no longer reaches back to it.
    fn history_after(&self, revision: u64) -> Result<Vec<Arc<Change>>, TooOld> {
        if revision < self.compacted {
            return Err(TooOld {
                requested: revision,
                oldest: self.compacted,
            });
        }
        // History is in revision order.
        let first = self.history.partition_point(|c| c.revision <= revision);
        Ok(self.history.range(first..).cloned().collect())
    }
}

/// History is kept for this long at least (the API server's watch cache keeps its
/// `eventFreshDuration`, 75 s, growing to hold them)...
const HISTORY_WINDOW: Duration = Duration::from_secs(75);
/// ...up to this many changes (the watch cache's largest capacity)...
const HISTORY_MOST: usize = 100 * 1024;
/// ...and never fewer than this many, however old (its smallest).
const HISTORY_LEAST: usize = 100;

/// One page of a list, read at one revision.
#[derive(Debug, Default)]
pub struct Page {
    pub objects: Vec<Arc<Value>>,
    /// The revision the page was read at.
    pub revision: u64,
    /// Whether objects remain after the page.
    pub more: bool,
    /// How many remain, when asked to count them.
    pub remaining: Option<usize>,
}

/// The store. Cheap to share behind an `Arc`.
pub struct Store {
    inner: Mutex<Inner>,
    changes: broadcast::Sender<Arc<Change>>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

fn key(resource: &ResourceType) -> Key {
    (resource.group, resource.plural)
}

/// `metadata.namespace` and `metadata.name` of an object.
pub fn object_key(object: &Value) -> (String, String) {
    let text = |field: &str| {
        object
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (text("namespace"), text("name"))
}

/// `metadata.resourceVersion` as a number (0 if absent or not a number).
pub fn object_revision(object: &Value) -> u64 {
    object
        .at("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|rv| rv.parse().ok())
        .unwrap_or(0)
}

/// The uids an object's ownerReferences name, each once.
fn owner_uids(object: &Value) -> Vec<&str> {
    let mut uids: Vec<&str> = object
        .get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|owner| owner.get("uid")?.as_str())
        .collect();
    uids.sort_unstable();
    uids.dedup();
    uids
}

fn set_revision(object: &mut Value, revision: u64) {
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.insert(
            "resourceVersion".into(),
            Value::String(revision.to_string()),
        );
    }
}

impl Store {
    /// An empty store at revision 1.
    pub fn new() -> Self {
        let (changes, _) = broadcast::channel(65_536);
        Self {
            inner: Mutex::new(Inner {
                revision: 1,
                objects: HashMap::new(),
                history: VecDeque::new(),
                compacted: 1,
                dependents: HashMap::new(),
            }),
            changes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data (writes are single inserts).
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current revision.
    pub fn revision(&self) -> u64 {
        self.lock().revision
    }

    /// One object.
    pub fn get(&self, resource: &ResourceType, namespace: &str, name: &str) -> Option<Arc<Value>> {
        self.lock()
            .objects
            .get(&key(resource))?
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
    }

    /// The objects of a type stored under `keys` (those still there), read under one lock: a
    /// controller reading its 500 pods took the lock, and copied each key to look it up, once a
    /// pod.
    pub fn get_all(&self, resource: &ResourceType, keys: &[(String, String)]) -> Vec<Arc<Value>> {
        let inner = self.lock();
        let Some(objects) = inner.objects.get(&key(resource)) else {
            return Vec::new();
        };
        keys.iter()
            .filter_map(|key| objects.get(key).cloned())
            .collect()
    }

    /// Objects of a type (in one namespace, or all), ordered by namespace then name, starting
    /// after `after` (a continue key), at most `limit` (0 = all). Returns the objects, the
    /// revision they were read at, and whether more remain.
    pub fn list(
        &self,
        resource: &ResourceType,
        namespace: Option<&str>,
        after: Option<&(String, String)>,
        keep: impl FnMut(&Value) -> bool,
        limit: usize,
    ) -> (Vec<Arc<Value>>, u64, bool) {
        // Read now, history is not needed: this cannot be too old.
        let page = self
            .list_page(resource, namespace, after, keep, limit, None, false)
            .unwrap_or_default();
        (page.objects, page.revision, page.more)
    }

    /// A page of objects of a type as they were at revision `at` (None: now), ordered by
    /// namespace then name, starting after `after`, at most `limit` (0 = all): the current
    /// objects with the changes made since `at` undone, as etcd reads a past revision. TooOld
    /// when history no longer reaches back to `at`. `count` also counts what remains after the
    /// page.
    #[allow(clippy::too_many_arguments)]
    pub fn list_page(
        &self,
        resource: &ResourceType,
        namespace: Option<&str>,
        after: Option<&(String, String)>,
        mut keep: impl FnMut(&Value) -> bool,
        limit: usize,
        at: Option<u64>,
        count: bool,
    ) -> Result<Page, TooOld> {
        let inner = self.lock();
        let revision = at.unwrap_or(inner.revision).min(inner.revision);
        if revision < inner.revision && revision < inner.compacted {
            return Err(TooOld {
                requested: revision,
                oldest: inner.compacted,
            });
        }
        let in_range = |(ns, name): &(String, String)| {
            namespace.is_none_or(|n| n == ns)
                && after.is_none_or(|after| (ns, name) > (&after.0, &after.1))
        };
        // What each key changed since `revision` held then: the state before its first change.
        let mut then: BTreeMap<(String, String), Option<Arc<Value>>> = BTreeMap::new();
        if revision < inner.revision {
            let first = inner.history.partition_point(|c| c.revision <= revision);
            for change in inner.history.range(first..) {
                if key(change.resource) == key(resource) {
                    let key = (change.namespace.clone(), change.name.clone());
                    if in_range(&key) {
                        then.entry(key).or_insert_with(|| change.previous.clone());
                    }
                }
            }
        }
        let empty = BTreeMap::new();
        let objects = inner.objects.get(&key(resource)).unwrap_or(&empty);
        let start = match (namespace, after) {
            (_, Some(after)) => std::ops::Bound::Excluded(after.clone()),
            (Some(namespace), None) => {
                std::ops::Bound::Included((namespace.to_string(), String::new()))
            }
            (None, None) => std::ops::Bound::Unbounded,
        };
        let mut now = objects
            .range((start, std::ops::Bound::Unbounded))
            .take_while(|((ns, _), _)| namespace.is_none_or(|n| n == ns))
            .filter(|(key, _)| in_range(key))
            .peekable();
        let mut past = then.into_iter().peekable();
        // The objects as they were at `revision`, in order: the current ones merged with the
        // past versions of those changed since.
        let mut merged = std::iter::from_fn(|| {
            loop {
                let object = match (now.peek(), past.peek()) {
                    (None, None) => return None,
                    (Some((current, _)), Some((changed, _))) if *current < changed => {
                        now.next().map(|(_, object)| object.clone())
                    }
                    (Some((current, _)), Some((changed, _))) if *current == changed => {
                        now.next();
                        past.next().and_then(|(_, object)| object)
                    }
                    (Some(_), None) => now.next().map(|(_, object)| object.clone()),
                    _ => past.next().and_then(|(_, object)| object),
                };
                if object.is_some() {
                    return object;
                }
            }
        });
        let mut page = Page {
            revision,
            ..Page::default()
        };
        if limit == 0 {
            // A whole list is taken under the lock as pointers and read outside it: a selector
            // read on each of 51,539 pods held every request and every write for tens of
            // milliseconds.
            page.objects = merged.collect();
            drop(inner);
            page.objects.retain(|object| keep(object));
            return Ok(page);
        }
        let mut remaining = 0;
        for object in merged.by_ref() {
            if !keep(&object) {
                continue;
            }
            if page.more {
                remaining += 1;
                continue;
            }
            if page.objects.len() == limit {
                page.more = true;
                if !count {
                    break;
                }
                remaining += 1;
                continue;
            }
            page.objects.push(object);
        }
        page.remaining = (count && page.more).then_some(remaining);
        Ok(page)
    }

    /// Stores a new object, stamping its resourceVersion.
    pub fn create(
        &self,
        resource: &'static ResourceType,
        mut object: Value,
    ) -> Result<Arc<Value>, StoreError> {
        let (namespace, name) = object_key(&object);
        let mut inner = self.lock();
        let exists = inner
            .objects
            .get(&key(resource))
            .is_some_and(|m| m.contains_key(&(namespace.clone(), name.clone())));
        if exists {
            return Err(StoreError::AlreadyExists);
        }
        let revision = inner.revision + 1;
        set_revision(&mut object, revision);
        let object = Arc::new(object);
        inner
            .objects
            .entry(key(resource))
            .or_default()
            .insert((namespace.clone(), name.clone()), object.clone());
        self.commit(
            &mut inner,
            resource,
            ChangeType::Added,
            namespace,
            name,
            object.clone(),
            None,
        );
        Ok(object)
    }

    /// Replaces an object. With `expected` set, the stored resourceVersion must equal it.
    /// An unchanged object is not written (no new revision), as the API server does.
    pub fn update(
        &self,
        resource: &'static ResourceType,
        mut object: Value,
        expected: Option<u64>,
    ) -> Result<Arc<Value>, StoreError> {
        let (namespace, name) = object_key(&object);
        let mut inner = self.lock();
        let current = inner
            .objects
            .get(&key(resource))
            .and_then(|m| m.get(&(namespace.clone(), name.clone())))
            .cloned()
            .ok_or(StoreError::NotFound)?;
        let current_revision = object_revision(&current);
        if expected.is_some_and(|e| e != current_revision) {
            return Err(StoreError::Conflict);
        }
        set_revision(&mut object, current_revision);
        if object == *current {
            return Ok(current);
        }
        Ok(self.replace(&mut inner, resource, namespace, name, object, current))
    }

    /// Reads, changes and writes one object atomically. `change` returns false to leave it.
    pub fn modify(
        &self,
        resource: &'static ResourceType,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Value) -> bool,
    ) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let current = inner
            .objects
            .get(&key(resource))
            .and_then(|m| m.get(&(namespace.to_string(), name.to_string())))
            .cloned()
            .ok_or(StoreError::NotFound)?;
        let mut object = (*current).clone();
        if !change(&mut object) || object == *current {
            return Ok(current);
        }
        Ok(self.replace(
            &mut inner,
            resource,
            namespace.to_string(),
            name.to_string(),
            object,
            current,
        ))
    }

    /// Stores a changed object under the next revision and announces the change.
    fn replace(
        &self,
        inner: &mut Inner,
        resource: &'static ResourceType,
        namespace: String,
        name: String,
        mut object: Value,
        current: Arc<Value>,
    ) -> Arc<Value> {
        set_revision(&mut object, inner.revision + 1);
        let object = Arc::new(object);
        inner
            .objects
            .entry(key(resource))
            .or_default()
            .insert((namespace.clone(), name.clone()), object.clone());
        self.commit(
            inner,
            resource,
            ChangeType::Modified,
            namespace,
            name,
            object.clone(),
            Some(current),
        );
        object
    }

    /// Removes an object for good.
    pub fn remove(
        &self,
        resource: &'static ResourceType,
        namespace: &str,
        name: &str,
    ) -> Result<Arc<Value>, StoreError> {
        self.remove_if(resource, namespace, name, None)
    }

    /// Removes an object only while it is still at `revision`, as an expiring etcd lease
    /// removes the version it was granted with and never a later write (Conflict otherwise).
    pub fn remove_unchanged(
        &self,
        resource: &'static ResourceType,
        namespace: &str,
        name: &str,
        revision: u64,
    ) -> Result<Arc<Value>, StoreError> {
        self.remove_if(resource, namespace, name, Some(revision))
    }

    fn remove_if(
        &self,
        resource: &'static ResourceType,
        namespace: &str,
        name: &str,
        revision: Option<u64>,
    ) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let objects = inner
            .objects
            .get_mut(&key(resource))
            .ok_or(StoreError::NotFound)?;
        let object_key = (namespace.to_string(), name.to_string());
        let stored = objects.get(&object_key).ok_or(StoreError::NotFound)?;
        if revision.is_some_and(|r| r != object_revision(stored)) {
            return Err(StoreError::Conflict);
        }
        let current = objects.remove(&object_key).ok_or(StoreError::NotFound)?;
        let revision = inner.revision + 1;
        let mut last = (*current).clone();
        set_revision(&mut last, revision);
        let last = Arc::new(last);
        self.commit(
            &mut inner,
            resource,
            ChangeType::Deleted,
            namespace.to_string(),
            name.to_string(),
            last.clone(),
            Some(current),
        );
        Ok(last)
    }

    #[allow(clippy::too_many_arguments)]
    fn commit(
        &self,
        inner: &mut Inner,
        resource: &'static ResourceType,
        change: ChangeType,
        namespace: String,
        name: String,
        object: Arc<Value>,
        previous: Option<Arc<Value>>,
    ) {
        inner.revision += 1;
        let before = previous.as_deref().map(owner_uids).unwrap_or_default();
        let after = if change == ChangeType::Deleted {
            Vec::new()
        } else {
            owner_uids(&object)
        };
        if !before.is_empty() || !after.is_empty() {
            let kept = (key(resource), namespace.clone(), name.clone());
            for uid in before.iter().filter(|uid| !after.contains(uid)) {
                if let Some(dependents) = inner.dependents.get_mut(*uid) {
                    dependents.remove(&kept);
                    if dependents.is_empty() {
                        inner.dependents.remove(*uid);
                    }
                }
            }
            // Most writes keep their owners: the entry is there, only its type written again.
            for uid in after {
                match inner.dependents.get_mut(uid) {
                    Some(dependents) => match dependents.get_mut(&kept) {
                        Some(written_as) => *written_as = resource,
                        None => {
                            dependents.insert(kept.clone(), resource);
                        }
                    },
                    None => {
                        inner
                            .dependents
                            .insert(uid.to_string(), BTreeMap::from([(kept.clone(), resource)]));
                    }
                }
            }
        }
        let change = Arc::new(Change {
            resource,
            change,
            namespace,
            name,
            object,
            previous,
            revision: inner.revision,
            at: Instant::now(),
            encoded: std::sync::OnceLock::new(),
        });
        inner.history.push_back(change.clone());
        let now = change.at;
        while let Some(oldest) = inner.history.front() {
            let length = inner.history.len();
            let stale = now.duration_since(oldest.at) > HISTORY_WINDOW;
            if length > HISTORY_MOST || (stale && length > HISTORY_LEAST) {
                inner.compacted = oldest.revision;
                inner.history.pop_front();
            } else {
                break;
            }
        }
        // No receivers is fine: nobody is watching.
        let _ = self.changes.send(change);
    }

    /// Starts a watch: the changes after `revision` still in history, and a receiver for
    /// everything after them. `None` starts from now.
    pub fn watch_from(&self, revision: Option<u64>) -> Result<WatchStart, TooOld> {
        let inner = self.lock();
        // Subscribing under the lock means no change falls between backlog and receiver.
        let receiver = self.changes.subscribe();
        let Some(revision) = revision else {
            return Ok((Vec::new(), receiver));
        };
        Ok((inner.history_after(revision)?, receiver))
    }

    /// The changes after `revision` still in history, and the revision they reach.
    pub fn changes_since(&self, revision: u64) -> Result<(Vec<Arc<Change>>, u64), TooOld> {
        let inner = self.lock();
        Ok((inner.history_after(revision)?, inner.revision))
    }

    /// Every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.changes.subscribe()
    }

    /// Forgets history up to the current revision, as an etcd compaction does: watches from
    /// any earlier revision then get 410 Gone.
    pub fn compact(&self) {
        let mut inner = self.lock();
        inner.history.clear();
        inner.compacted = inner.revision;
    }

    /// Every stored object whose ownerReferences name `uid`, with the type it was written as.
    pub fn dependents(&self, uid: &str) -> Vec<(&'static ResourceType, Arc<Value>)> {
        let inner = self.lock();
        let Some(dependents) = inner.dependents.get(uid) else {
            return Vec::new();
        };
        dependents
            .iter()
            .filter_map(|((kind, namespace, name), resource)| {
                let object = inner
                    .objects
                    .get(kind)?
                    .get(&(namespace.clone(), name.clone()))?;
                Some((*resource, object.clone()))
            })
            .collect()
    }

    /// How many objects of a type are stored.
    pub fn count(&self, resource: &ResourceType) -> usize {
        self.lock()
            .objects
            .get(&key(resource))
            .map_or(0, BTreeMap::len)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sim::resource::find_built_in;

    fn names(found: &[(&'static ResourceType, Arc<Value>)]) -> Vec<String> {
        found
            .iter()
            .map(|(resource, object)| {
                format!(
                    "{} {}",
                    resource.kind,
                    object["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn the_dependents_of_an_owner_follow_every_write() {
        let store = Store::new();
        let pods = find_built_in("", "v1", "pods").unwrap();
        let sets = find_built_in("apps", "v1", "replicasets").unwrap();
        let owned = |name: &str, uids: &[&str]| {
            let owners: Vec<Value> = uids.iter().map(|uid| json!({"uid": uid})).collect();
            json!({"metadata": {"name": name, "namespace": "ns", "ownerReferences": owners}})
        };
        store.create(pods, owned("a", &["rs-1"])).unwrap();
        store
            .create(pods, owned("b", &["rs-1", "other", "rs-1"]))
            .unwrap();
        store.create(sets, owned("c", &["rs-1"])).unwrap();
        store.create(pods, owned("d", &[])).unwrap();
        assert_eq!(
            names(&store.dependents("rs-1")),
            ["Pod a", "Pod b", "ReplicaSet c"]
        );
        assert_eq!(names(&store.dependents("other")), ["Pod b"]);

        // An owner dropped, one added; the stored object is the one handed back.
        store.update(pods, owned("b", &["other"]), None).unwrap();
        store
            .modify(pods, "ns", "d", |pod| {
                pod["metadata"]["ownerReferences"] = json!([{"uid": "rs-1"}]);
                pod["metadata"]["labels"] = json!({"x": "y"});
                true
            })
            .unwrap();
        let found = store.dependents("rs-1");
        assert_eq!(names(&found), ["Pod a", "Pod d", "ReplicaSet c"]);
        assert_eq!(found[1].1["metadata"]["labels"]["x"], "y");

        // Removed, and the last dependent of an owner gone.
        store.remove(pods, "ns", "a").unwrap();
        store.remove(pods, "ns", "b").unwrap();
        assert_eq!(names(&store.dependents("rs-1")), ["Pod d", "ReplicaSet c"]);
        assert!(store.dependents("other").is_empty());
        assert!(!store.lock().dependents.contains_key("other"));
    }

    #[test]
    fn a_whole_list_is_filtered_outside_the_lock_a_page_as_before() {
        let store = Store::new();
        let pods = find_built_in("", "v1", "pods").unwrap();
        for (name, app) in [("a", "web"), ("b", "db"), ("c", "web")] {
            let pod =
                json!({"metadata": {"name": name, "namespace": "ns", "labels": {"app": app}}});
            store.create(pods, pod).unwrap();
        }
        let before = store.revision();
        store.remove(pods, "ns", "c").unwrap();
        let web = |pod: &Value| pod["metadata"]["labels"]["app"] == "web";
        let named = |objects: &[Arc<Value>]| -> Vec<String> {
            objects
                .iter()
                .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
                .collect()
        };
        // The filter runs while another request could take the lock.
        let mut unlocked = true;
        let (now, _, _) = store.list(
            pods,
            None,
            None,
            |pod| {
                unlocked &= store.inner.try_lock().is_ok();
                web(pod)
            },
            0,
        );
        assert!(unlocked, "a whole list's filter ran under the store's lock");
        assert_eq!(named(&now), ["a"]);
        // At a past revision, the object removed since is read as it was.
        let then = store
            .list_page(pods, None, None, web, 0, Some(before), false)
            .unwrap();
        assert_eq!(named(&then.objects), ["a", "c"]);
        // A page still stops at its limit and counts what remains.
        let page = store
            .list_page(pods, None, None, web, 1, Some(before), true)
            .unwrap();
        assert_eq!(named(&page.objects), ["a"]);
        assert!(page.more);
        assert_eq!(page.remaining, Some(1));
    }

    #[test]
    fn objects_read_by_their_keys_are_those_stored_now_in_the_keys_order() {
        let store = Store::new();
        let pods = find_built_in("", "v1", "pods").unwrap();
        let sets = find_built_in("apps", "v1", "replicasets").unwrap();
        let object = |namespace: &str, name: &str| json!({"metadata": {"name": name, "namespace": namespace}});
        for (namespace, name) in [("ns", "a"), ("ns", "b"), ("other", "a")] {
            store.create(pods, object(namespace, name)).unwrap();
        }
        store.create(sets, object("ns", "c")).unwrap();
        store
            .modify(pods, "ns", "b", |pod| {
                pod["metadata"]["labels"] = json!({"x": "y"});
                true
            })
            .unwrap();
        store.remove(pods, "ns", "a").unwrap();
        let key = |namespace: &str, name: &str| (namespace.to_string(), name.to_string());
        let keys = [
            key("other", "a"),
            key("ns", "a"),
            key("ns", "b"),
            key("ns", "c"),
        ];
        let found: Vec<String> = store
            .get_all(pods, &keys)
            .iter()
            .map(|pod| {
                let (namespace, name) = object_key(pod);
                format!("{namespace}/{name} {}", pod["metadata"]["labels"])
            })
            .collect();
        assert_eq!(found, ["other/a null", r#"ns/b {"x":"y"}"#]);
        let nodes = find_built_in("", "v1", "nodes").unwrap();
        assert!(store.get_all(nodes, &keys).is_empty());
    }
}
