//! Removing one pod as the drain does: evicted through the Eviction API with kubectl's retries
//! of budget refusals (or deleted), then waited for until it is gone.

use super::*;

impl Drain<'_> {
    /// kubectl's `CheckEvictionSupport`: the `pods/eviction` subresource of core v1, with the
    /// group and version of its `Eviction`; plain deletion when the server has none.
    pub(super) async fn eviction_support(&self) -> Result<Removal, String> {
        let resources = self
            .client
            .list_core_api_resources("v1")
            .await
            .map_err(|error| error_text(&error))?;
        Ok(resources
            .resources
            .iter()
            .find(|resource| {
                resource.name == "pods/eviction"
                    && resource.kind == "Eviction"
                    && resource.group.as_deref().is_some_and(|g| !g.is_empty())
                    && resource.version.as_deref().is_some_and(|v| !v.is_empty())
            })
            .map_or(Removal::Delete, |resource| {
                let version = resource.version.as_deref().unwrap_or_default();
                // kubectl sends policy/v1 where the server has it, else the v1beta1 body.
                let api_version = if resource.group.as_deref() == Some("policy") && version == "v1"
                {
                    "policy/v1"
                } else {
                    "policy/v1beta1"
                };
                Removal::Evict {
                    api_version: api_version.to_string(),
                }
            }))
    }

    /// One pod's eviction, retried as kubectl retries it, then the wait for the pod to go.
    pub(super) async fn evict_and_wait(
        &self,
        target: &Target,
        api_version: &str,
        deadline: Option<Instant>,
    ) {
        let reporter = self.reporter;
        let (name, namespace) = (target.name.as_str(), target.namespace.as_str());
        let mut deleting = target.deleting;
        reporter.pod(target, PodState::Evicting);
        // After a refusal the pod shows the refusal until an attempt is granted, rather than
        // flickering back to Evicting on every attempt.
        let mut refused = false;
        loop {
            if passed(deadline) {
                reporter.pod(target, PodState::Failed(self.global_timeout(target)));
                return;
            }
            match self.post_eviction(target, api_version, deadline).await {
                Attempt::Accepted => break,
                Attempt::Gone => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Attempt::Refused(status) => {
                    let error = status.message.clone();
                    if status.code == 429 {
                        let line = format!(
                            "error when evicting pods/\"{name}\" -n \"{namespace}\" (will retry after 5s): {error}"
                        );
                        let state = match self.budget_refusal(target, &status, line.clone()).await {
                            Some(blocked) => blocked,
                            None => PodState::Retrying(line),
                        };
                        reporter.pod(target, state);
                    } else if status.code == 403 && has_cause(&status, NAMESPACE_TERMINATING_CAUSE)
                    {
                        // The eviction never succeeds there; a pod already being deleted is
                        // waited for, any other is asked for again until it is.
                        if deleting {
                            break;
                        }
                        reporter.pod(
                            target,
                            PodState::Retrying(format!(
                                "error when evicting pod \"{name}\" from terminating namespace \"{namespace}\" (will retry after 5s): {error}"
                            )),
                        );
                    } else {
                        reporter.pod(
                            target,
                            PodState::Failed(format!(
                                "error when evicting pods/\"{name}\" -n \"{namespace}\": {error}"
                            )),
                        );
                        return;
                    }
                }
                Attempt::RefusedOutOfSight(blocked) => reporter.pod(target, blocked),
                Attempt::Unreachable(error) => {
                    reporter.pod(
                        target,
                        PodState::Failed(format!(
                            "error when evicting pods/\"{name}\" -n \"{namespace}\": {error}"
                        )),
                    );
                    return;
                }
                Attempt::DeadlinePassed => {
                    reporter.pod(target, PodState::Failed(self.global_timeout(target)));
                    return;
                }
            }
            refused = true;
            tokio::time::sleep(EVICTION_RETRY_DELAY).await;
            // kubectl reads the pod again before the next attempt, and keeps the copy it had
            // when that fails.
            if let Ok(pod) = self.get_pod(target).await {
                deleting = pod.metadata.deletion_timestamp.is_some();
            }
        }
        reporter.accepted(target);
        if refused {
            reporter.pod(target, PodState::Evicting);
        }
        self.wait_until_gone(target, deadline).await;
    }

    /// kubectl's error for an eviction not started before `--timeout` ran out.
    pub(super) fn global_timeout(&self, target: &Target) -> String {
        let timeout = self.options.timeout.unwrap_or(Duration::MAX);
        format!(
            "error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {}",
            target.name,
            target.namespace,
            go_duration(timeout)
        )
    }

    /// One eviction request. An answer slower than [`RETRYING_CLIENT_PROBE`] may be a 429 the
    /// client is retrying out of sight: the pod's budgets are read then, and a budget that
    /// allows no disruption ends the attempt as a refusal.
    pub(super) async fn post_eviction(
        &self,
        target: &Target,
        api_version: &str,
        deadline: Option<Instant>,
    ) -> Attempt {
        let mut delete_options = json!({});
        if let Some(seconds) = self.options.requested_grace_period_seconds() {
            delete_options["gracePeriodSeconds"] = json!(seconds);
        }
        let eviction = json!({
            "apiVersion": api_version,
            "kind": "Eviction",
            "metadata": {"name": target.name, "namespace": target.namespace},
            "deleteOptions": delete_options,
        });
        let request = http::Request::post(format!(
            "/api/v1/namespaces/{}/pods/{}/eviction",
            target.namespace, target.name
        ))
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(eviction.to_string().into_bytes());
        let request = match request {
            Ok(request) => request,
            Err(error) => return Attempt::Unreachable(error.to_string()),
        };
        let answer = self.client.request_text(request);
        tokio::pin!(answer);
        loop {
            tokio::select! {
                result = &mut answer => {
                    return match result {
                        Ok(_) => Attempt::Accepted,
                        Err(kube::Error::Api(status)) if status.code == 404 => Attempt::Gone,
                        Err(kube::Error::Api(status)) => Attempt::Refused(status),
                        Err(error) => Attempt::Unreachable(error_text(&error)),
                    };
                }
                () = tokio::time::sleep(RETRYING_CLIENT_PROBE) => {
                    let pod = match self.get_pod(target).await {
                        Ok(pod) => pod,
                        Err(_) => continue,
                    };
                    if let Some(budget) = self.refusing_budget_of(&pod).await {
                        let line = format!(
                            "error when evicting pods/\"{}\" -n \"{}\" (will retry after 5s): {BUDGET_REFUSAL_MESSAGE}",
                            target.name, target.namespace
                        );
                        return Attempt::RefusedOutOfSight(blocked_by(&budget, line));
                    }
                }
                () = until(deadline) => return Attempt::DeadlinePassed,
            }
        }
    }

    /// The budget a 429 names (its `DisruptionBudget` cause), or else the one budget that
    /// selects the pod, as a [`PodState::BlockedByBudget`] with its status read now; `None`
    /// when the 429 is not a budget's.
    pub(super) async fn budget_refusal(
        &self,
        target: &Target,
        status: &kube::core::Status,
        line: String,
    ) -> Option<PodState> {
        let cause = status.details.as_ref().and_then(|d| {
            d.causes
                .iter()
                .find(|c| c.reason == DISRUPTION_BUDGET_CAUSE)
        });
        if cause.is_none() && !status.message.contains("disruption budget") {
            return None;
        }
        let named = cause.and_then(|c| budget_name_in(&c.message));
        let budget = match named {
            Some(name) => {
                let budgets: Api<PodDisruptionBudget> =
                    Api::namespaced(self.client.clone(), &target.namespace);
                budgets.get(name).await.ok()
            }
            None => None,
        };
        let budget = match budget {
            Some(budget) => Some(budget),
            None => match self.get_pod(target).await {
                Ok(pod) => self.budgets_selecting(&pod).await.into_iter().next(),
                Err(_) => None,
            },
        };
        match budget {
            Some(budget) => Some(blocked_by(&budget, line)),
            // A budget we cannot read: the refusal is still the budget's.
            None => Some(PodState::BlockedByBudget {
                budget: named.unwrap_or_default().to_string(),
                message: line,
                allowed: 0,
                current: 0,
                desired: 0,
                expected: 0,
            }),
        }
    }

    /// The pod's one budget when it allows no disruption now (as the API server decides: a pod
    /// that is not running, or is being deleted, needs no budget).
    pub(super) async fn refusing_budget_of(&self, pod: &Pod) -> Option<PodDisruptionBudget> {
        let phase = pod.status.phase.as_str();
        if matches!(phase, "Succeeded" | "Failed" | "Pending")
            || pod.metadata.deletion_timestamp.is_some()
        {
            return None;
        }
        let mut budgets = self.budgets_selecting(pod).await;
        if budgets.len() != 1 {
            return None;
        }
        let budget = budgets.remove(0);
        let allowed = budget
            .status
            .as_ref()
            .map_or(0, |status| status.disruptions_allowed);
        (allowed <= 0).then_some(budget)
    }

    /// The PodDisruptionBudgets of the pod's namespace whose selector matches it (policy/v1:
    /// no selector selects nothing, an empty one everything).
    pub(super) async fn budgets_selecting(&self, pod: &Pod) -> Vec<PodDisruptionBudget> {
        let budgets: Api<PodDisruptionBudget> =
            Api::namespaced(self.client.clone(), &pod.metadata.namespace);
        let Ok(list) = budgets.list(&Default::default()).await else {
            return Vec::new();
        };
        list.items
            .into_iter()
            .filter(|budget| {
                let spec: Option<LabelSelectorSpec> = budget
                    .spec
                    .as_ref()
                    .and_then(|spec| spec.selector.as_ref())
                    .and_then(|selector| serde_json::to_value(selector).ok())
                    .and_then(|value| serde_json::from_value(value).ok());
                LabelSelector::from_optional_spec(spec.as_ref())
                    .is_ok_and(|selector| selector.matches(&pod.metadata.labels))
            })
            .collect()
    }

    /// kubectl's delete path: DELETE each pod in turn, stopping at the first failure other
    /// than NotFound, then wait for those deleted. (kubectl stops waiting altogether on that
    /// failure; the pods already deleted are still followed here, so their rows end.)
    pub(super) async fn delete_and_wait(&self, targets: &[Target]) {
        let reporter = self.reporter;
        let mut deleted = Vec::new();
        for target in targets {
            reporter.pod(target, PodState::Deleting);
            let path = format!(
                "/api/v1/namespaces/{}/pods/{}",
                target.namespace, target.name
            );
            let mut options = json!({});
            if let Some(seconds) = self.options.requested_grace_period_seconds() {
                options["gracePeriodSeconds"] = json!(seconds);
            }
            let request = http::Request::delete(path)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(options.to_string().into_bytes());
            let result = match request {
                Ok(request) => self.client.request_text(request).await,
                Err(error) => {
                    reporter.pod(target, PodState::Failed(error.to_string()));
                    break;
                }
            };
            match result {
                Ok(_) => {
                    reporter.accepted(target);
                    deleted.push(target);
                }
                Err(error) if is_not_found(&error) => {
                    reporter.pod(target, PodState::Deleted);
                }
                Err(error) => {
                    reporter.pod(target, PodState::Failed(error_text(&error)));
                    break;
                }
            }
        }
        // kubectl's wait here is bounded by --timeout from when it starts.
        let deadline = self.options.timeout.map(|timeout| Instant::now() + timeout);
        futures::future::join_all(
            deleted
                .into_iter()
                .map(|target| self.wait_until_gone(target, deadline)),
        )
        .await;
    }

    /// Polls the pod every second (the first look at once) until it is gone or replaced by a
    /// pod of the same name with another UID.
    pub(super) async fn wait_until_gone(&self, target: &Target, deadline: Option<Instant>) {
        let reporter = self.reporter;
        let wait_error = |error: &str| {
            format!(
                "error when waiting for pod \"{}\" in namespace \"{}\" to terminate: {error}",
                target.name, target.namespace
            )
        };
        let skip_after = self.options.skip_wait_for_delete_timeout_seconds;
        loop {
            match self.get_pod(target).await {
                Err(error) if is_not_found(&error) => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Err(error) => {
                    reporter.pod(target, PodState::Failed(wait_error(&error_text(&error))));
                    return;
                }
                Ok(pod) if pod.metadata.uid != target.uid => {
                    reporter.pod(target, PodState::Deleted);
                    return;
                }
                Ok(pod) => {
                    let requested_long_ago = pod.metadata.deletion_timestamp.is_some_and(|at| {
                        skip_after > 0 && Timestamp::now().duration_since(at).as_secs() > skip_after
                    });
                    if requested_long_ago {
                        reporter.pod(
                            target,
                            PodState::Skipped(format!(
                                "pod \"{}\" has DeletionTimestamp older than {skip_after} seconds, skipping",
                                target.name
                            )),
                        );
                        return;
                    }
                }
            }
            if passed(deadline) {
                reporter.pod(target, PodState::Failed(wait_error(DEADLINE_EXCEEDED)));
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(WAIT_POLL_INTERVAL) => {}
                () = until(deadline) => {}
            }
        }
    }

    pub(super) async fn get_pod(&self, target: &Target) -> Result<Pod, kube::Error> {
        let text = self
            .get_text(&format!(
                "/api/v1/namespaces/{}/pods/{}",
                target.namespace, target.name
            ))
            .await?;
        serde_json::from_str(&text).map_err(kube::Error::SerdeError)
    }

    pub(super) async fn get_text(&self, path: &str) -> Result<String, kube::Error> {
        let request = http::Request::get(path)
            .body(Vec::new())
            .map_err(kube::Error::HttpError)?;
        self.client.request_text(request).await
    }
}

/// How one eviction request ended.
pub(super) enum Attempt {
    /// 2xx: the pod is being deleted.
    Accepted,
    /// 404: the pod is gone already.
    Gone,
    /// Any other answer of the API server.
    Refused(Box<kube::core::Status>),
    /// No answer while a budget of the pod allows no disruption: a 429 the client retries.
    RefusedOutOfSight(PodState),
    /// No answer at all (connection, TLS, a body that does not decode).
    Unreachable(String),
    /// `--timeout` ran out while waiting for the answer.
    DeadlinePassed,
}

/// A [`PodState::BlockedByBudget`] from a budget's status.
pub(super) fn blocked_by(budget: &PodDisruptionBudget, message: String) -> PodState {
    let status = budget.status.clone().unwrap_or_default();
    PodState::BlockedByBudget {
        budget: budget.metadata.name.clone().unwrap_or_default(),
        message,
        allowed: status.disruptions_allowed,
        current: status.current_healthy,
        desired: status.desired_healthy,
        expected: status.expected_pods,
    }
}

/// The budget's name in the API server's `DisruptionBudget` cause: "The disruption budget NAME
/// needs N healthy pods and has M currently" (or "… NAME is still being processed by the
/// server.").
pub(super) fn budget_name_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("The disruption budget ")?;
    let name = rest.split_whitespace().next()?;
    (!name.is_empty()).then_some(name)
}

pub(super) fn has_cause(status: &kube::core::Status, reason: &str) -> bool {
    status
        .details
        .as_ref()
        .is_some_and(|d| d.causes.iter().any(|c| c.reason == reason))
}

pub(super) fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 404)
}

/// Whether the deadline (if any) has passed.
pub(super) fn passed(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|deadline| Instant::now() >= deadline)
}

/// Resolves at the deadline; never without one.
pub(super) async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// An error as Go's `err.Error()` reads: the server's message verbatim for an API error, else
/// why the server was not reached.
pub(super) fn error_text(error: &kube::Error) -> String {
    crate::cluster::api_error::error_text(error)
}

/// kubectl's line for a failed call: `Error from server (Reason): message` for an API error,
/// else `error: …`.
pub(super) fn kubectl_error_line(error: &kube::Error) -> String {
    crate::cluster::api_error::api_error("", error).kubectl()
}
