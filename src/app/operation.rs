//! Mutations the user asks for: what each will do (shown before it is confirmed), refused in
//! read-only mode, carried out by the runtime and reported back verbatim.

use super::request::Request;
use super::resources::Key;
use super::selection::Held;
use super::state::{App, Mode};
use crate::model::kind::Target;
use crate::model::kind::WatchedKind;

/// An object a change was chosen for: which one, and the uid it had then (absent when the
/// local copy carries none). A change is refused if the object is gone or replaced meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub target: Target,
    pub key: Key,
    pub uid: Option<String>,
}

/// One mutation, fully decided: confirming it sends exactly this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Cordon {
        node: String,
    },
    Uncordon {
        node: String,
    },
    Delete {
        objects: Vec<Chosen>,
        grace_period_seconds: Option<i64>,
        force: bool,
    },
    /// The pods in phase Failed (Evicted, Error, OutOfcpu, ...) in the namespace or everywhere,
    /// as they were when asked: exactly these are deleted, each only if it is still the same pod.
    DeleteFailedPods {
        namespace: Option<String>,
        pods: Vec<(Chosen, String)>,
    },
    Scale {
        target: Target,
        key: Key,
        /// `spec.replicas` when asked, when the watches hold the object.
        from: Option<i64>,
        replicas: i32,
    },
    RestartRollout {
        target: Target,
        key: Key,
    },
    SetImage {
        target: Target,
        key: Key,
        container: String,
        image: String,
    },
    JobFromCronJob {
        namespace: String,
        cronjob: String,
    },
}

impl Operation {
    /// What it will do, in a few lines, for the confirmation.
    pub fn plan(&self) -> Vec<String> {
        match self {
            Operation::Cordon { node } => vec![
                format!("cordon node {node}: mark it unschedulable (spec.unschedulable=true)"),
                "pods already on it keep running".to_string(),
            ],
            Operation::Uncordon { node } => vec![format!(
                "uncordon node {node}: let the scheduler place pods on it again"
            )],
            Operation::Delete {
                objects,
                grace_period_seconds,
                force,
            } => {
                let mut lines = vec![format!(
                    "delete {} object{}{}:",
                    objects.len(),
                    if objects.len() == 1 { "" } else { "s" },
                    match (force, grace_period_seconds) {
                        (true, _) => " at once (--force --grace-period=0)".to_string(),
                        (false, Some(seconds)) => format!(" (--grace-period={seconds})"),
                        (false, None) => " (each with its own grace period)".to_string(),
                    }
                )];
                list_some(
                    &mut lines,
                    objects.iter().map(|c| c.target.title(&c.key)).collect(),
                );
                if *force {
                    lines.push(crate::model::deletion::FORCE_DELETE_WARNING.to_string());
                }
                lines
            }
            Operation::DeleteFailedPods { namespace, pods } => {
                let mut lines = vec![format!(
                    "delete {} pod{} in phase Failed {}:",
                    pods.len(),
                    if pods.len() == 1 { "" } else { "s" },
                    match namespace {
                        Some(namespace) => format!("in namespace {namespace}"),
                        None => "in all namespaces".to_string(),
                    }
                )];
                list_some(
                    &mut lines,
                    pods.iter()
                        .map(|(c, status)| format!("{} ({status})", c.target.title(&c.key)))
                        .collect(),
                );
                lines
            }
            Operation::Scale {
                target,
                key,
                from,
                replicas,
            } => {
                let change = match from {
                    Some(from) => format!("{from} →"),
                    None => "to".to_string(),
                };
                vec![format!(
                    "scale {} {change} {replicas} replica{}",
                    target.title(key),
                    if *replicas == 1 { "" } else { "s" }
                )]
            }
            Operation::RestartRollout { target, key } => vec![
                format!("restart the rollout of {}", target.title(key)),
                "sets spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]"
                    .to_string(),
            ],
            Operation::SetImage {
                target,
                key,
                container,
                image,
            } => vec![format!(
                "set the image of container {container} of {} to {image}",
                target.title(key)
            )],
            Operation::JobFromCronJob { namespace, cronjob } => vec![format!(
                "create a Job from cronjob {namespace}/{cronjob} now (as kubectl create job --from=cronjob/{cronjob})"
            )],
        }
    }

    /// The objects it changes, as named when it was proposed.
    pub fn subjects(&self) -> Vec<(Target, Key)> {
        let node = |name: &String| {
            (
                Target::Kind(WatchedKind::Nodes),
                (String::new(), name.clone()),
            )
        };
        match self {
            Operation::Cordon { node: name } | Operation::Uncordon { node: name } => {
                vec![node(name)]
            }
            Operation::Delete { objects, .. } => objects
                .iter()
                .map(|c| (c.target.clone(), c.key.clone()))
                .collect(),
            Operation::DeleteFailedPods { pods, .. } => pods
                .iter()
                .map(|(c, _)| (c.target.clone(), c.key.clone()))
                .collect(),
            Operation::Scale { target, key, .. }
            | Operation::RestartRollout { target, key }
            | Operation::SetImage { target, key, .. } => vec![(target.clone(), key.clone())],
            Operation::JobFromCronJob { namespace, cronjob } => vec![(
                Target::Kind(WatchedKind::CronJobs),
                (namespace.clone(), cronjob.clone()),
            )],
        }
    }

    /// A short name for messages ("scale", "delete", ...).
    pub fn verb(&self) -> &'static str {
        match self {
            Operation::Cordon { .. } => "cordon",
            Operation::Uncordon { .. } => "uncordon",
            Operation::Delete { .. } | Operation::DeleteFailedPods { .. } => "delete",
            Operation::Scale { .. } => "scale",
            Operation::RestartRollout { .. } => "restart",
            Operation::SetImage { .. } => "set image",
            Operation::JobFromCronJob { .. } => "create job",
        }
    }
}

/// The first twelve of `names`, indented under a plan's first line, and how many more.
fn list_some(lines: &mut Vec<String>, names: Vec<String>) {
    let more = names.len().saturating_sub(12);
    lines.extend(names.into_iter().take(12).map(|name| format!("  {name}")));
    if more > 0 {
        lines.push(format!("  ... and {more} more"));
    }
}

/// A value the user types for an operation (replicas, an image, a grace period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Replicas {
        target: Target,
        key: Key,
        /// `spec.replicas` now, when the watches hold the object.
        current: Option<i64>,
    },
    /// `container=image`, the container named first (the only one when there is one).
    Image { target: Target, key: Key },
    /// Seconds, or empty for each object's own grace period; `!` forces.
    DeleteGrace { objects: Vec<Chosen> },
}

impl Prompt {
    pub fn question(&self) -> String {
        match self {
            Prompt::Replicas {
                target,
                key,
                current: Some(current),
            } => format!("replicas for {} (now {current})", target.title(key)),
            Prompt::Replicas { target, key, .. } => format!("replicas for {}", target.title(key)),
            Prompt::Image { target, key } => {
                format!("new image for {} as container=image", target.title(key))
            }
            Prompt::DeleteGrace { objects } => format!(
                "delete {} object{}: grace period in seconds (empty: their own; ! to force now)",
                objects.len(),
                if objects.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

impl App {
    /// In read-only mode: says that `what` is refused, and answers true.
    pub(crate) fn refused_in_read_only(&mut self, what: &str) -> bool {
        if self.readonly {
            self.message = Some(format!(
                "read-only: {what} (kscope was started with --readonly)"
            ));
        }
        self.readonly
    }

    /// Asks for confirmation of `operation` (or refuses it in read-only mode).
    pub fn propose(&mut self, operation: Operation) {
        if self.refused_in_read_only(&format!("{} refused", operation.verb())) {
            self.mode = Mode::Normal;
            return;
        }
        // A delete's objects carry the uid they had when chosen (marked, say); the others are
        // named now, with the uid the watches hold.
        let chosen = match &operation {
            Operation::Delete { objects, .. } => objects.clone(),
            operation => operation
                .subjects()
                .into_iter()
                .map(|(target, key)| self.chosen(target, key))
                .collect(),
        };
        self.mode = Mode::Confirm { operation, chosen };
    }

    /// `key` of `target` as chosen now: with the uid the watches hold.
    pub(crate) fn chosen(&self, target: Target, key: Key) -> Chosen {
        let uid = match self.held_target(&target, &key) {
            Held::Present(uid) => uid,
            Held::Absent | Held::Unknown => None,
        };
        Chosen { target, key, uid }
    }

    /// Why a confirmed change must not be sent: an object it names was deleted or replaced
    /// (another uid under the same name) since it was chosen.
    fn changed_underneath(&self, chosen: &[Chosen]) -> Option<String> {
        chosen.iter().find_map(|c| {
            let title = c.target.title(&c.key);
            match (self.held_target(&c.target, &c.key), &c.uid) {
                (Held::Absent, _) => Some(format!(
                    "refused: {title} was deleted since it was chosen; nothing was sent"
                )),
                (Held::Present(Some(now)), Some(then)) if now != then.as_str() => Some(format!(
                    "refused: {title} was replaced since it was chosen (uid {then} is now {now}); nothing was sent"
                )),
                _ => None,
            }
        })
    }

    /// The answer to a confirmation: only `y` runs it.
    pub fn confirm(&mut self, yes: bool) {
        let Mode::Confirm { operation, chosen } = std::mem::replace(&mut self.mode, Mode::Normal)
        else {
            return;
        };
        if yes {
            if let Some(refusal) = self.changed_underneath(&chosen) {
                self.message = Some(refusal);
                return;
            }
            self.message = Some(format!("{}...", operation.plan()[0]));
            if let Operation::Delete { objects, .. } = &operation
                && let Some(marks) = self.marks.get_mut(&self.pane)
            {
                for chosen in objects {
                    marks.remove(&chosen.key);
                }
            }
            self.requests.push(Request::Run(operation));
        } else {
            self.message = Some(format!("{} cancelled", operation.verb()));
            self.reopen_view();
        }
    }

    /// An operation finished: the server's answer, verbatim.
    pub fn operation_done(&mut self, result: Result<String, String>) {
        self.message = Some(match result {
            Ok(text) | Err(text) => text,
        });
        // The view the change was started from is read again, so it shows the change.
        if matches!(self.mode, Mode::Normal) {
            self.reopen_view();
        }
    }

    /// Starts typing a value an operation needs.
    fn ask(&mut self, prompt: Prompt, initial: String) {
        if self.refused_in_read_only("changes are refused") {
            return;
        }
        self.mode = Mode::Prompt {
            prompt,
            text: initial,
        };
    }

    /// The typed value was submitted.
    pub fn answer(&mut self) {
        let Mode::Prompt { prompt, text } = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let text = text.trim().to_string();
        match prompt {
            Prompt::Replicas {
                target,
                key,
                current,
            } => match text.parse::<i32>() {
                Ok(replicas) if replicas >= 0 => self.propose(Operation::Scale {
                    target,
                    key,
                    from: current,
                    replicas,
                }),
                _ => {
                    self.message = Some(format!(
                        "replicas must be a whole number, 0 or more (not \"{text}\")"
                    ))
                }
            },
            Prompt::Image { target, key } => match text.split_once('=') {
                Some((container, image)) if !container.is_empty() && !image.is_empty() => self
                    .propose(Operation::SetImage {
                        target,
                        key,
                        container: container.trim().to_string(),
                        image: image.trim().to_string(),
                    }),
                _ => self.message = Some(format!("expected container=image (not \"{text}\")")),
            },
            Prompt::DeleteGrace { objects } => {
                let (grace, force) = match text.as_str() {
                    "" => (None, false),
                    "!" => (Some(0), true),
                    seconds => match seconds.parse::<i64>() {
                        Ok(seconds) if seconds >= 0 => (Some(seconds), false),
                        _ => {
                            self.message = Some(format!(
                                "a grace period is a number of seconds, empty, or ! (not \"{text}\")"
                            ));
                            return;
                        }
                    },
                };
                self.propose(Operation::Delete {
                    objects,
                    grace_period_seconds: grace,
                    force,
                })
            }
        }
    }

    /// The objects a delete applies to: the marked ones of this pane's kind, else the selected
    /// one (from a view: the object it shows), each with the uid it had when chosen.
    fn delete_targets(&self) -> Vec<Chosen> {
        let Some((target, key, _)) = self.subject() else {
            return Vec::new();
        };
        match self.marks_here().filter(|_| self.focus.is_none()) {
            Some(marks) => marks
                .iter()
                .map(|(key, uid)| Chosen {
                    target: target.clone(),
                    key: key.clone(),
                    uid: uid.clone(),
                })
                .collect(),
            None => vec![self.chosen(target, key)],
        }
    }

    /// `ctrl-d`: delete the marked objects (or the selected one), after a grace period prompt.
    pub fn start_delete(&mut self) {
        let objects = self.delete_targets();
        if objects.is_empty() {
            self.message = Some(self.nothing_selected());
            return;
        }
        self.ask(Prompt::DeleteGrace { objects }, String::new());
    }

    /// `s`: scale the selected Deployment, StatefulSet or ReplicaSet.
    pub fn start_scale(&mut self) {
        let Some((target, key, title)) = self.subject() else {
            self.message = Some("nothing selected".into());
            return;
        };
        if !target.can().scalable {
            let kinds = kinds_that(|can| can.scalable);
            self.message = Some(format!("{title}: only {kinds} scale"));
            return;
        }
        let current = match &target {
            Target::Kind(kind) => self
                .resources
                .generic
                .get(kind)
                .and_then(|objects| objects.get(&key))
                // A workload without spec.replicas has the API server's default, one.
                .map(|o| {
                    o.pointer("/spec/replicas")
                        .and_then(serde_json::Value::as_i64)
                        .unwrap_or(1)
                }),
            Target::Resource(_) => None,
        };
        let typed = current.map(|r| r.to_string()).unwrap_or_default();
        self.ask(
            Prompt::Replicas {
                target,
                key,
                current,
            },
            typed,
        );
    }

    /// `r` on a workload: restart its rollout; on a node: drain it.
    pub fn start_restart(&mut self) {
        let Some((target, key, title)) = self.subject() else {
            self.message = Some("nothing selected".into());
            return;
        };
        if target.can().restartable {
            self.propose(Operation::RestartRollout { target, key })
        } else {
            let kinds = kinds_that(|can| can.restartable);
            self.message = Some(format!("{title}: only {kinds} restart"))
        }
    }

    /// `i`: set the image of a container of the selected workload or pod.
    pub fn start_set_image(&mut self) {
        let Some((target, key, title)) = self.subject() else {
            self.message = Some("nothing selected".into());
            return;
        };
        let containers: Vec<(String, String)> = match (&target, target.can().containers) {
            (Target::Kind(WatchedKind::Pods), _) => self
                .resources
                .pods
                .get(&key)
                .map(|p| {
                    p.pod()
                        .spec
                        .containers
                        .iter()
                        .map(|c| (c.name.clone(), c.image.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            (Target::Kind(kind), Some(containers)) => self
                .resources
                .generic
                .get(kind)
                .and_then(|o| o.get(&key))
                .and_then(|o| o.pointer(containers))
                .and_then(serde_json::Value::as_array)
                .map(|containers| {
                    containers
                        .iter()
                        .map(|c| {
                            let text = |f: &str| c[f].as_str().unwrap_or("").to_string();
                            (text("name"), text("image"))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            _ => {
                self.message = Some(format!("{title}: set image works on pods and workloads"));
                return;
            }
        };
        let initial = containers
            .first()
            .map(|(name, image)| format!("{name}={image}"))
            .unwrap_or_default();
        self.ask(Prompt::Image { target, key }, initial);
    }

    /// `t`: create a Job from the selected CronJob now.
    pub fn start_job_from_cronjob(&mut self) {
        match self.subject() {
            Some((target, (namespace, cronjob), _)) if target.can().runs_jobs => {
                self.propose(Operation::JobFromCronJob { namespace, cronjob })
            }
            Some((_, _, title)) => {
                self.message = Some(format!("{title}: a Job is made from a CronJob (:cj)"))
            }
            None => self.message = Some("nothing selected".into()),
        }
    }

    /// `c` / `u` on a node.
    pub fn start_cordon(&mut self, cordon: bool) {
        let Some((_, (_, node), _)) = self.subject().filter(|(t, _, _)| t.can().drainable) else {
            self.message = Some("cordon and uncordon work on nodes (:nodes)".into());
            return;
        };
        self.propose(if cordon {
            Operation::Cordon { node }
        } else {
            Operation::Uncordon { node }
        });
    }

    /// `:delete-failed`: every Failed pod in scope.
    pub fn start_delete_failed(&mut self) {
        let pods: Vec<(Chosen, String)> = self
            .resources
            .pods
            .iter()
            .filter(|((namespace, _), _)| self.namespace.as_ref().is_none_or(|n| n == namespace))
            .filter(|(_, pod)| &*pod.selectable.phase == "Failed")
            .map(|(key, pod)| {
                let chosen = self.chosen(Target::Kind(WatchedKind::Pods), key.clone());
                (chosen, pod.row.status.to_string())
            })
            .collect();
        if pods.is_empty() {
            self.message = Some(match &self.namespace {
                Some(namespace) => format!("no pods in phase Failed in namespace {namespace}"),
                None => "no pods in phase Failed".to_string(),
            });
            return;
        }
        self.propose(Operation::DeleteFailedPods {
            namespace: self.namespace.clone(),
            pods,
        });
    }
}

/// The kinds that can do something, as a list for a message (`deployments, replicasets and
/// statefulsets`).
fn kinds_that(can: impl Fn(&crate::model::kind::Capabilities) -> bool) -> String {
    let kinds: Vec<&str> = crate::model::kind::KINDS
        .iter()
        .filter(|info| can(&info.can))
        .map(|info| info.plural)
        .collect();
    match kinds.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
