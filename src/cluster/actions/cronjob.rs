//! A Job made from a CronJob now, as `kubectl create job NAME --from=cronjob/CRONJOB` makes it.

use super::*;

/// The annotation kubectl puts on a Job created by hand from a CronJob.
const INSTANTIATE: &str = "cronjob.kubernetes.io/instantiate";
/// apimachinery's `rand.String` alphabet (the one `generateName` uses): no vowels, so no words,
/// and no 0, 1 or 3, which read as o, l and e.
pub(super) const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
pub(super) const NAME_SUFFIX_LENGTH: usize = 5;
/// A Job's name becomes the `job-name` label of its pods, and label values have at most 63
/// characters.
const MAX_JOB_NAME_LENGTH: usize = 63;
const CREATE_MANAGER: &str = "kubectl-create";

/// `kubectl create job NAME --from=cronjob/CRONJOB`: a Job made from the CronJob's job template
/// (see [`job_from_cronjob`]), POSTed with kubectl's field manager and strict field validation.
/// kubectl requires NAME; without one, kscope names the Job as k9s does, `CRONJOB-manual-`
/// and a random suffix (see [`manual_job_name`]). `now` only seeds the suffix.
pub async fn create_job_from_cronjob(
    client: &Client,
    namespace: &str,
    cronjob: &str,
    job_name: Option<String>,
    now: Timestamp,
    dry_run: bool,
) -> Result<ActionOutcome, String> {
    let call = format!("create job from cronjob \"{cronjob}\" in namespace \"{namespace}\"");
    let source = ObjectRef::watched(WatchedKind::CronJobs, namespace, cronjob);
    let cronjob_object = get(client, &source, &call).await?;
    let name = job_name.unwrap_or_else(|| manual_job_name(cronjob, &random_suffix(now)));
    let target = ObjectRef::watched(WatchedKind::Jobs, namespace, &name);
    let job = job_from_cronjob(&cronjob_object, &name);
    let body = serde_json::to_vec(&job).map_err(|error| format!("{call}: {error}"))?;
    let params = PostParams {
        dry_run,
        field_manager: Some(CREATE_MANAGER.to_string()),
    };
    let url = DynamicObject::url_path(&target.resource, Some(namespace));
    let mut request = kube::core::Request::new(url)
        .create(&params, body)
        .map_err(|error| format!("{call}: {error}"))?;
    // kube's PostParams has no fieldValidation; kubectl sends Strict, so unknown or duplicate
    // fields in the template are refused rather than dropped.
    let uri = format!("{}&fieldValidation=Strict", request.uri());
    *request.uri_mut() = uri
        .parse()
        .map_err(|error| format!("{call}: bad request path {uri}: {error}"))?;
    let created: Value = client
        .request(request)
        .await
        .map_err(|error| api_error(&call, error))?;
    let message = format!("{} created", target.kubectl_name());
    Ok(ActionOutcome::new(target, message, dry_run, Some(created)))
}

/// The Job kubectl's `createJobFromCronJob` builds: the template's spec, its labels, its
/// annotations over `cronjob.kubernetes.io/instantiate: manual`, and the CronJob as controlling
/// owner (without `blockOwnerDeletion`, which would need the cronjobs/finalizers permission).
pub fn job_from_cronjob(cronjob: &Value, name: &str) -> Value {
    let template = cronjob.pointer("/spec/jobTemplate");
    let mut annotations = Map::new();
    annotations.insert(INSTANTIATE.to_string(), json!("manual"));
    if let Some(own) = template
        .and_then(|t| t.pointer("/metadata/annotations"))
        .and_then(Value::as_object)
    {
        annotations.extend(own.clone());
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if let Some(namespace) = cronjob.pointer("/metadata/namespace") {
        metadata.insert("namespace".into(), namespace.clone());
    }
    metadata.insert("annotations".into(), Value::Object(annotations));
    if let Some(labels) = template
        .and_then(|t| t.pointer("/metadata/labels"))
        .filter(|labels| labels.as_object().is_some_and(|l| !l.is_empty()))
    {
        metadata.insert("labels".into(), labels.clone());
    }
    metadata.insert(
        "ownerReferences".into(),
        json!([{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cronjob.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
            "uid": cronjob.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
            "controller": true,
        }]),
    );
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": template
            .and_then(|t| t.get("spec"))
            .cloned()
            .unwrap_or_else(|| json!({})),
    })
}

/// `CRONJOB-manual-SUFFIX`, the CronJob's name shortened so the whole stays a valid label
/// value (at most 63 characters) for the pods' `job-name` label.
pub fn manual_job_name(cronjob: &str, suffix: &str) -> String {
    let tail = format!("-manual-{suffix}");
    let room = MAX_JOB_NAME_LENGTH.saturating_sub(tail.len());
    let head: String = cronjob.chars().take(room).collect();
    format!("{head}{tail}")
}

/// Five characters of apimachinery's name alphabet, different on every call.
pub(super) fn random_suffix(now: Timestamp) -> String {
    // RandomState is seeded from the OS once per process and advanced per instance; the counter
    // and the clock keep two calls in one process apart even so.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let mut bits = RandomState::new().hash_one((now.as_nanosecond(), call));
    let base = NAME_SUFFIX_ALPHABET.len() as u64;
    (0..NAME_SUFFIX_LENGTH)
        .map(|_| {
            let index = (bits % base) as usize;
            bits /= base;
            char::from(NAME_SUFFIX_ALPHABET[index])
        })
        .collect()
}
