//! The views that read one object: its explanation, its description and its YAML (fetched
//! whole when the watches keep only part of it).

use super::request::{Effect, Purpose, Request};
use super::resources::Key;
use super::state::{App, Mode};
use crate::model::explanation::{Explanation, explain_namespace, explain_node, explain_pod};
use crate::model::kind::{Target, WatchedKind};

impl App {
    /// Opens again (read anew from the API server) the view a change was started from.
    pub fn reopen_view(&mut self) {
        if let Some((target, key, title, purpose)) = self.reopen.take() {
            let message = self.message.take();
            self.fetch_selected(target, key, title, purpose);
            self.message = message;
        }
    }

    /// Asks the cluster for the selected object whole, to show it for `purpose` once it arrives.
    pub(crate) fn fetch_selected(
        &mut self,
        target: Target,
        key: Key,
        title: String,
        purpose: Purpose,
    ) {
        self.requests.push(Request::Fetch {
            target: target.clone(),
            key: key.clone(),
            purpose,
        });
        self.mode = Mode::Fetching {
            title,
            target,
            key,
            purpose,
        };
    }

    /// Opens the YAML of the selected object: at once for kinds kept whole, else once fetched.
    pub(crate) fn open_yaml(&mut self) {
        let Some((target, key, title)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        let kept = match &target {
            Target::Kind(kind) => self.resources.generic.get(kind).and_then(|o| o.get(&key)),
            Target::Resource(_) => None,
        };
        match kept {
            Some(raw) => {
                self.mode = Mode::Yaml {
                    title,
                    raw: Box::new(serde_json::Value::clone(raw)),
                    revealed: false,
                    managed_fields: false,
                    reader: Default::default(),
                    subject: Some(Box::new((target, key))),
                }
            }
            None => self.fetch_selected(target, key, title, Purpose::Yaml),
        }
    }

    /// A fetched object arrived: show it if it is still wanted.
    pub(crate) fn fetched(
        &mut self,
        target: Target,
        key: Key,
        result: Result<Box<serde_json::Value>, String>,
        events: Option<Vec<crate::model::event::Event>>,
    ) {
        let Mode::Fetching {
            title,
            target: wanted_target,
            key: wanted_key,
            purpose,
        } = &self.mode
        else {
            return;
        };
        if *wanted_target != target || *wanted_key != key {
            return;
        }
        let (title, purpose) = (title.clone(), *purpose);
        match (purpose, result) {
            (purpose @ (Purpose::Yaml | Purpose::YamlWithManagedFields), Ok(raw)) => {
                if purpose == Purpose::YamlWithManagedFields
                    && raw.pointer("/metadata/managedFields").is_none()
                {
                    self.message =
                        Some("the API server keeps no managedFields for this object".to_string());
                }
                self.mode = Mode::Yaml {
                    title,
                    raw,
                    revealed: false,
                    managed_fields: purpose == Purpose::YamlWithManagedFields,
                    reader: Default::default(),
                    subject: Some(Box::new((target, key))),
                }
            }
            (Purpose::Describe, Ok(raw)) => {
                let kind = match target {
                    Target::Kind(kind) => Some(kind),
                    Target::Resource(_) => None,
                };
                let text = self.describe_raw(kind, &raw, events.as_deref());
                self.mode = Mode::Describe {
                    title,
                    text,
                    reader: Default::default(),
                    subject: Some(Box::new((target, key))),
                }
            }
            (Purpose::Editor(job), Ok(object)) => {
                self.mode = Mode::Normal;
                self.effects
                    .push(Effect::OpenEditor(Box::new(super::request::Editing {
                        job,
                        target,
                        key,
                        object: *object,
                    })));
            }
            (Purpose::Editor(_), Err(error)) => {
                self.mode = Mode::Normal;
                self.message = Some(error);
                self.reopen_view();
            }
            (_, Err(error)) => {
                self.mode = Mode::Normal;
                self.message = Some(error);
            }
        }
    }

    pub(crate) fn describe_selected(&mut self) {
        let Some((target, key, title)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        // Once the store has let old Events go, some of this object's may be among them:
        // they are listed from the API server with the object, as kubectl lists them.
        if self.resources.events.let_go() > 0 {
            self.fetch_selected(target, key, title, Purpose::Describe);
            return;
        }
        let subject = Some(Box::new((target.clone(), key.clone())));
        let described = match &target {
            // Pods and nodes are kept with their JSON text, which is what describe reads.
            Target::Kind(WatchedKind::Pods) => self
                .resources
                .pods
                .get(&key)
                .and_then(|entry| entry.json())
                .map(|raw| {
                    (
                        format!("pod {}/{}", key.0, key.1),
                        self.describe_raw(Some(WatchedKind::Pods), &raw, None),
                    )
                }),
            Target::Kind(WatchedKind::Nodes) => self
                .resources
                .nodes
                .get(&key)
                .and_then(|entry| serde_json::from_str::<serde_json::Value>(&entry.text).ok())
                .map(|raw| {
                    (
                        format!("node {}", key.1),
                        self.describe_raw(Some(WatchedKind::Nodes), &raw, None),
                    )
                }),
            Target::Kind(kind) if self.resources.generic.contains_key(kind) => self
                .resources
                .generic
                .get(kind)
                .and_then(|objects| objects.get(&key))
                .map(|raw| (title.clone(), self.describe_raw(Some(*kind), raw, None))),
            // Kept typed only, or not kept: the object is fetched whole, then described.
            _ => {
                self.fetch_selected(target, key, title, Purpose::Describe);
                return;
            }
        };
        match described {
            Some((title, text)) => {
                self.mode = Mode::Describe {
                    title,
                    text,
                    reader: Default::default(),
                    subject,
                }
            }
            None => self.message = Some("nothing selected".to_string()),
        }
    }

    /// `kubectl describe` of an object given whole, with the objects it owns that the watches
    /// hold (a Deployment's ReplicaSets, a workload's pods) and the Events about it.
    /// `listed`: the Events listed with it (None: those the store keeps).
    pub(crate) fn describe_raw(
        &self,
        kind: Option<WatchedKind>,
        raw: &serde_json::Value,
        listed: Option<&[crate::model::event::Event]>,
    ) -> String {
        let key = crate::model::watched::key_of(raw);
        // An object listed without its kind is described as the kind it was watched as.
        let filled;
        let raw = match (raw.get("kind"), kind) {
            (None, Some(kind)) => {
                let mut with_kind = raw.clone();
                if let Some(object) = with_kind.as_object_mut() {
                    object.insert("kind".into(), kind.kind_name().into());
                }
                filled = with_kind;
                &filled
            }
            _ => raw,
        };
        let events = match listed {
            Some(listed) => crate::model::describe::events_for_describe(raw, listed.iter()),
            None => {
                crate::model::describe::events_for_describe(raw, self.resources.events.values())
            }
        };
        let in_namespace = |objects: Option<
            &std::collections::BTreeMap<Key, std::sync::Arc<serde_json::Value>>,
        >| {
            objects
                .into_iter()
                .flat_map(|o| o.iter())
                .filter(|((namespace, _), _)| *namespace == key.0)
                .map(|(_, v)| serde_json::Value::clone(v))
                .collect::<Vec<_>>()
        };
        let related: Vec<serde_json::Value> = match kind.unwrap_or(WatchedKind::Events) {
            WatchedKind::Deployments => {
                in_namespace(self.resources.generic.get(&WatchedKind::ReplicaSets))
            }
            WatchedKind::ReplicaSets | WatchedKind::StatefulSets | WatchedKind::DaemonSets => self
                .resources
                .pods
                .range((key.0.clone(), String::new())..)
                .take_while(|((namespace, _), _)| *namespace == key.0)
                .filter_map(|(_, pod)| pod.json())
                .collect(),
            // The pods on the node, in the order the API server lists them (by namespace and
            // name). Leases are not watched, so the Lease section is left out.
            WatchedKind::Nodes => self
                .resources
                .pods
                .values()
                .filter(|pod| *pod.node_name == *key.1)
                .filter_map(|pod| pod.json())
                .collect(),
            _ => Vec::new(),
        };
        let related: Vec<&serde_json::Value> = related.iter().collect();
        crate::model::describe::describe_object_with(raw, &related, &events, self.now)
    }

    pub(crate) fn explain_selected(&mut self) {
        let Some((target, key, _)) = self.selected_object() else {
            self.message = Some(self.nothing_selected());
            return;
        };
        let explanation = match target {
            Target::Kind(WatchedKind::Pods) => self.resources.pods.get(&key).map(|entry| {
                let pod = &entry.pod();
                let events: Vec<_> = self
                    .resources
                    .events
                    .values()
                    .filter(|e| e.is_about("Pod", &pod.metadata))
                    .collect();
                Explanation::Pod(explain_pod(pod, &events, self.now))
            }),
            Target::Kind(WatchedKind::Nodes) => self
                .resources
                .nodes
                .get(&key)
                .map(|entry| Explanation::Node(explain_node(&entry.object, self.now))),
            Target::Kind(WatchedKind::Namespaces) => self
                .resources
                .namespaces
                .get(&key)
                .map(|entry| Explanation::Namespace(explain_namespace(&entry.object, self.now))),
            Target::Kind(kind) => self.explain_workload(kind, &key),
            Target::Resource(_) => None,
        };
        match explanation {
            Some(explanation) => {
                self.mode = Mode::Explain {
                    explanation: Box::new(explanation),
                    reader: Default::default(),
                }
            }
            None => {
                self.message = Some(
                    "nothing to explain here: x explains pods, nodes, namespaces, workloads and services"
                        .to_string(),
                )
            }
        }
    }

    /// A workload or Service explained with the pods its selector picks, what it controls
    /// (a Deployment's ReplicaSets, a CronJob's Jobs) and the events of its namespace.
    fn explain_workload(&self, kind: WatchedKind, key: &Key) -> Option<Explanation> {
        let object = self.resources.generic.get(&kind)?.get(key)?;
        let kind_name = kind.kind_name();
        let selector = crate::model::workload_explain::pod_selector(kind_name, object);
        // Only the pods the selector picks are decoded.
        let pods: Vec<crate::model::pod::Pod> = match &selector {
            Some(selector) => self
                .resources
                .pods
                .range((key.0.clone(), String::new())..)
                .take_while(|((namespace, _), _)| *namespace == key.0)
                .filter(|(_, entry)| selector.matches(&entry.labels))
                .map(|(_, entry)| entry.pod())
                .collect(),
            None => Vec::new(),
        };
        let pods: Vec<&crate::model::pod::Pod> = pods.iter().collect();
        let owned: Vec<&serde_json::Value> = kind
            .info()
            .can
            .controls
            .and_then(|controlled| self.resources.generic.get(&controlled))
            .map(|objects| {
                objects
                    .range((key.0.clone(), String::new())..)
                    .take_while(|((namespace, _), _)| *namespace == key.0)
                    .map(|(_, object)| &**object)
                    .collect()
            })
            .unwrap_or_default();
        let events: Vec<&crate::model::event::Event> = self
            .resources
            .events
            .range((key.0.clone(), String::new())..)
            .take_while(|((namespace, _), _)| *namespace == key.0)
            .map(|(_, event)| &**event)
            .collect();
        let related = crate::model::workload_explain::Related {
            pods: &pods,
            owned: &owned,
            events: &events,
        };
        crate::model::explanation::explain_workload(kind_name, object, &related, self.now)
    }
}
