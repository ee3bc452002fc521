//! The simulator's shared state: the store, the served types, and what only the simulated
//! nodes know (how each container behaves).

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use serde_json::Value;

use super::events::EventIndex;
use super::registry::Registry;
use super::resource::ResourceType;
use super::rng::Rng;
use super::store::Store;

/// Everything request handlers and controllers share.
pub struct Sim {
    pub store: Store,
    pub registry: Registry,
    /// The admin's bearer token.
    pub token: String,
    /// The other users, by their tokens.
    pub users: super::rbac::Users,
    /// `host:port` the server listens on, for discovery.
    pub address: String,
    /// Names, UIDs and IPs for new objects.
    pub rng: Mutex<Rng>,
    /// Recorded events, so that repeats are counted.
    pub events: EventIndex,
    /// Running pods' usage per node, for metrics.k8s.io.
    pub usage: super::metrics::UsageIndex,
    /// Active pods' requests per node, for the scheduler.
    pub(crate) requested:
        std::sync::Mutex<super::pod_tally::Tallied<super::controllers::scheduler::Requested>>,
    /// Pods by their controller's uid, for the workload controllers.
    pub(crate) controlled:
        std::sync::Mutex<super::pod_tally::Tallied<super::controllers::owned::PodsByController>>,
    /// Write a line per request to standard error (`kscope sim --log-requests`).
    pub log_requests: std::sync::atomic::AtomicBool,
    /// The control loops and metrics answers run at the lowest priority (`ClusterShape::loops_yield`).
    pub loops_yield: std::sync::atomic::AtomicBool,
    /// The WatchList feature gate: watches stream initial lists (`sendInitialEvents`).
    pub watch_list: std::sync::atomic::AtomicBool,
    /// The certificate authority's PEM, which pods find as their service account's `ca.crt`.
    pub ca_pem: std::sync::OnceLock<String>,
    /// The certificate authority, which signs the certificates approved requests ask for.
    pub authority: std::sync::OnceLock<super::tls::CertificateAuthority>,
    /// The containers' filesystems that exec sessions have entered.
    pub filesystems: super::shell::Filesystems,
    /// The pod IPs each node has handed out.
    pub pod_addresses: super::addressing::PodAddresses,
}

impl Sim {
    /// A simulator with an empty store.
    pub fn new(token: String, address: String, seed: u64) -> Arc<Self> {
        Arc::new(Self {
            store: Store::new(),
            registry: Registry::new(),
            token,
            users: Default::default(),
            address,
            rng: Mutex::new(Rng::new(seed)),
            events: EventIndex::default(),
            usage: Default::default(),
            requested: Default::default(),
            controlled: Default::default(),
            log_requests: Default::default(),
            loops_yield: Default::default(),
            watch_list: std::sync::atomic::AtomicBool::new(true),
            ca_pem: Default::default(),
            authority: Default::default(),
            filesystems: Default::default(),
            pod_addresses: Default::default(),
        })
    }

    /// The user a bearer token belongs to.
    pub fn authenticate(&self, token: &str) -> Option<super::rbac::UserInfo> {
        if token == self.token {
            Some(super::rbac::UserInfo::admin())
        } else {
            self.users.find(token)
        }
    }

    /// Runs `f` with the shared random source.
    pub fn with_rng<T>(&self, f: impl FnOnce(&mut Rng) -> T) -> T {
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut rng)
    }

    /// The wall clock (one place, so that every timestamp the simulator writes agrees).
    pub fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    /// A type by kind and apiVersion.
    pub fn resource_of(&self, api_version: &str, kind: &str) -> Option<&'static ResourceType> {
        self.registry.find_kind(api_version, kind)
    }

    /// An object by kind.
    pub fn get(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Arc<Value>> {
        let resource = self.resource_of(api_version, kind)?;
        self.store.get(resource, namespace, name)
    }
}

/// RFC 3339 with microseconds, as metav1.MicroTime serialises.
pub fn micro_time_text(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// RFC 3339 with whole seconds, as metav1.Time serialises.
pub fn time_text(time: Timestamp) -> String {
    time.round(jiff::Unit::Second)
        .unwrap_or(time)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Whether an object's Ready condition is True (pods and nodes write it the same way).
pub fn is_ready(object: &Value) -> bool {
    // Indexed, not by pointer: the scheduler asks it of every node for every pod it binds.
    object["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}
