//! One error type for the API calls the explorer makes: what kind of failure it was (read from
//! the answer's status, never from its text), the call it failed, and the server's words;
//! rendered once as a line for the footer, once as kubectl words it.

/// What kind of failure, from the HTTP status of the API server's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 400: the request is wrong (a kubelet's refusal of a log request, say).
    BadRequest,
    /// 401: the credentials were refused.
    Unauthorized,
    /// 403: not allowed (RBAC, a terminating namespace).
    Forbidden,
    /// 404.
    NotFound,
    /// 409: the object changed, or already exists.
    Conflict,
    /// 410: the resource version is too old.
    Gone,
    /// 422: the object is invalid.
    Invalid,
    /// 429: a disruption budget, or the server's flow control.
    TooManyRequests,
    /// Another status the server answered with.
    Other,
    /// The server was not reached.
    Unreachable,
    /// The request could not be made, or the answer could not be read.
    Unreadable,
}

/// A failed API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// What was asked: `get pod "web" in namespace "shop"`.
    pub call: Box<str>,
    pub kind: ApiErrorKind,
    /// The HTTP status, when the server answered.
    pub code: Option<u16>,
    /// The Status's reason (`NotFound`, `Invalid`), when it gave one.
    pub reason: Box<str>,
    /// The server's message as it sent it (its lines joined), or why it was not reached.
    pub message: Box<str>,
    /// The Status's causes, each as `field: message`.
    pub causes: Box<[String]>,
    /// The server's address, for "cannot reach".
    pub server: Option<Box<str>>,
}

impl ApiError {
    /// An answer of the API server with this status.
    pub fn answered(call: &str, code: u16, reason: &str, message: &str) -> Self {
        ApiError {
            call: call.into(),
            kind: kind_of(code),
            code: Some(code),
            reason: reason.into(),
            message: joined(message).into(),
            causes: Box::default(),
            server: None,
        }
    }

    /// The server was not reached (or answered something unreadable); `causes` from the outer
    /// error to the root.
    pub fn unreachable(call: &str, causes: &[String]) -> Self {
        ApiError {
            call: call.into(),
            kind: ApiErrorKind::Unreachable,
            code: None,
            reason: "".into(),
            message: joined(&causes.join(": ")).into(),
            causes: Box::default(),
            server: None,
        }
    }

    /// A request that could not be made, or an answer that could not be read: `message` says
    /// what (`not a list of JSON patch operations: …`).
    pub fn unreadable(call: &str, message: &str) -> Self {
        ApiError {
            call: call.into(),
            kind: ApiErrorKind::Unreadable,
            code: None,
            reason: "".into(),
            message: joined(message).into(),
            causes: Box::default(),
            server: None,
        }
    }

    /// The same, naming the server (in "cannot reach").
    pub fn at(mut self, server: &str) -> Self {
        self.server = Some(server.into());
        self
    }

    /// One line for the footer or a command's error, naming the call.
    pub fn line(&self) -> String {
        let call = &self.call;
        match (self.kind, self.code) {
            (ApiErrorKind::Unauthorized, Some(_)) => format!("{call}: {}", self.logged_in()),
            (ApiErrorKind::Unreachable, _) => match &self.server {
                Some(server) => format!(
                    "{call}: cannot reach the API server at {server}: {}",
                    self.message
                ),
                None => format!("{call}: cannot reach the API server: {}", self.message),
            },
            (_, Some(code)) => {
                format!("{call}: the API server answered {code}: {}", self.message)
            }
            (_, None) => format!("{call}: {}", self.message),
        }
    }

    /// As kubectl prints it: `Error from server (NotFound): pods "x" not found`.
    pub fn kubectl(&self) -> String {
        match self.kind {
            ApiErrorKind::Unreachable | ApiErrorKind::Unreadable => {
                format!("error: {}", self.message)
            }
            ApiErrorKind::Unauthorized => format!("error: {}", self.logged_in()),
            _ if self.reason.is_empty() => format!("Error from server: {}", self.message),
            _ => format!("Error from server ({}): {}", self.reason, self.message),
        }
    }

    /// kubectl's words for a 401, with the server's message (`Unauthorized` from a real API
    /// server): the credentials are missing, wrong or expired.
    fn logged_in(&self) -> String {
        let message = if self.message.is_empty() {
            "Unauthorized"
        } else {
            &self.message
        };
        format!("You must be logged in to the server ({message})")
    }

    /// Whether trying again later can succeed (the server busy, failing or unreached).
    pub fn passing(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::TooManyRequests | ApiErrorKind::Unreachable
        ) || self.code.is_some_and(|code| code >= 500)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line())
    }
}

impl std::error::Error for ApiError {}

fn kind_of(code: u16) -> ApiErrorKind {
    match code {
        400 => ApiErrorKind::BadRequest,
        401 => ApiErrorKind::Unauthorized,
        403 => ApiErrorKind::Forbidden,
        404 => ApiErrorKind::NotFound,
        409 => ApiErrorKind::Conflict,
        410 => ApiErrorKind::Gone,
        422 => ApiErrorKind::Invalid,
        429 => ApiErrorKind::TooManyRequests,
        _ => ApiErrorKind::Other,
    }
}

/// The text's lines, trimmed and joined with `; `, so a message stays on one line.
fn joined(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_status_and_the_line_names_the_call() {
        let error = ApiError::answered(
            "delete pod \"web\" in namespace \"shop\"",
            404,
            "NotFound",
            "pods \"web\" not found",
        );
        assert_eq!(error.kind, ApiErrorKind::NotFound);
        assert_eq!(
            error.line(),
            "delete pod \"web\" in namespace \"shop\": the API server answered 404: pods \"web\" not found"
        );
        assert_eq!(
            error.kubectl(),
            "Error from server (NotFound): pods \"web\" not found"
        );
        let forbidden = ApiError::answered("list secrets", 403, "Forbidden", "no\n  access");
        assert_eq!(forbidden.kind, ApiErrorKind::Forbidden);
        assert_eq!(&*forbidden.message, "no; access");
        assert!(!forbidden.passing());
        assert!(ApiError::answered("x", 429, "", "").passing());
        assert!(ApiError::answered("x", 503, "", "").passing());
    }

    #[test]
    fn unreachable_and_unauthorized_read_as_people_say_them() {
        let error = ApiError::unreachable(
            "get pod \"web\"",
            &[
                "error trying to connect".into(),
                "Connection refused".into(),
            ],
        )
        .at("https://127.0.0.1:1/");
        assert_eq!(
            error.line(),
            "get pod \"web\": cannot reach the API server at https://127.0.0.1:1/: error trying to connect: Connection refused"
        );
        assert!(error.passing());
        let refused = ApiError::answered("get pod \"web\"", 401, "Unauthorized", "Unauthorized");
        assert_eq!(
            refused.line(),
            "get pod \"web\": You must be logged in to the server (Unauthorized)"
        );
        assert_eq!(
            refused.kubectl(),
            "error: You must be logged in to the server (Unauthorized)"
        );
    }
}
