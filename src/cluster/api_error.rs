//! kube-rs's errors read into the one error type of `model::api_error`.

use crate::model::api_error::ApiError;

/// The failure of `call`, read from kube-rs's error: the API server's Status (code, reason,
/// message and causes) or, when it was not reached, the chain of causes, each once.
pub fn api_error(call: &str, error: &kube::Error) -> ApiError {
    match error {
        kube::Error::Api(status) => {
            let mut read = ApiError::answered(call, status.code, &status.reason, &status.message);
            read.causes = status
                .details
                .iter()
                .flat_map(|details| &details.causes)
                .map(|cause| {
                    if cause.field.is_empty() {
                        cause.message.clone()
                    } else {
                        format!("{}: {}", cause.field, cause.message)
                    }
                })
                .collect::<Vec<_>>()
                .into();
            read
        }
        other => ApiError::unreachable(call, &causes(other)),
    }
}

/// An error and its sources, each cause once (kube-rs repeats the source in its own text).
pub fn causes(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut causes: Vec<String> = Vec::new();
    let chain = std::iter::successors(Some(error), |e| e.source());
    for cause in chain.map(ToString::to_string) {
        if !causes.iter().any(|seen| seen.contains(&cause)) {
            causes.push(cause);
        }
    }
    causes
}
