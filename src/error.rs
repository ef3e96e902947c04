//! One error type for everything the client can fail at, and the parser of Huawei error bodies.
//!
//! Every variant says what happened and what to do; API errors keep the HTTP status, the
//! `error_code`, the `error_msg` and the request id through every layer. No variant ever holds
//! a secret.

use std::fmt;
use std::time::Duration;

/// A `Result` whose error is [`enum@Error`].
///
/// ```
/// fn check() -> dds_sessions::Result<()> { Ok(()) }
/// assert!(check().is_ok());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, from bad input to a server that never answers.
///
/// ```
/// use dds_sessions::Error;
/// let error = Error::invalid_input("node_id", "must not be empty");
/// assert_eq!(error.to_string(), "invalid node_id: must not be empty (nothing was sent)");
/// assert!(!error.is_retryable());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument is not acceptable; nothing was sent.
    InvalidInput {
        /// The argument at fault, e.g. `node_id`.
        argument: String,
        /// Why it is refused.
        reason: String,
    },
    /// The client is not configured well enough to send anything (credentials, project id,
    /// endpoint); the message says what was looked for and what to do.
    Config {
        /// What is missing or wrong, and what to do.
        message: String,
    },
    /// DDS or its API gateway answered with an error.
    Api(ApiError),
    /// The request was throttled (`429`) and retries, if any, were exhausted.
    Throttled {
        /// The throttling answer.
        error: ApiError,
        /// How long the server asked us to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },
    /// An attempt or the whole operation took longer than its limit.
    Timeout {
        /// The limit that was reached.
        limit: Duration,
        /// Which limit: one attempt or the whole operation.
        scope: TimeoutScope,
    },
    /// The request could not be sent or its answer not received (connect, DNS, reset, TLS).
    Transport {
        /// What kind of failure.
        kind: TransportKind,
        /// A description of the failure, from the HTTP stack.
        message: String,
    },
    /// The server answered with a redirect, which is never followed (credentials must not go
    /// to another host).
    Redirect {
        /// The HTTP status (3xx).
        status: u16,
        /// The `Location` the server pointed to, if any.
        location: Option<String>,
        /// The request id, if the answer named one.
        request_id: Option<String>,
    },
    /// The answer is not what the spec says (broken JSON, wrong shape, unexpected status).
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// The start of the body, for diagnosis (at most 200 characters).
        excerpt: String,
        /// The request id, if the answer named one.
        request_id: Option<String>,
    },
    /// The answer was larger than the configured limit and was refused while reading.
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The request id, if the answer named one.
        request_id: Option<String>,
    },
}

/// Which time limit a [`Error::Timeout`] hit.
///
/// ```
/// use dds_sessions::TimeoutScope;
/// assert_eq!(TimeoutScope::Attempt.to_string(), "attempt");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// Connecting.
    Connect,
    /// One attempt (one HTTP request and its answer).
    Attempt,
    /// The whole operation, retries included.
    Operation,
}

impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Connect => "connect",
            TimeoutScope::Attempt => "attempt",
            TimeoutScope::Operation => "operation",
        })
    }
}

/// What kind of [`Error::Transport`] failure happened.
///
/// ```
/// use dds_sessions::TransportKind;
/// assert_eq!(TransportKind::Connect.to_string(), "could not connect");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made (refused, unreachable, name not resolved).
    Connect,
    /// The connection broke while the request or its answer was in flight.
    Reset,
    /// TLS failed (certificate, handshake).
    Tls,
    /// Anything else the HTTP stack reported.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Reset => "connection broken",
            TransportKind::Tls => "TLS failed",
            TransportKind::Other => "transport failed",
        })
    }
}

/// An error answer of DDS or its API gateway.
///
/// ```
/// use dds_sessions::ApiError;
/// let error = ApiError::new(400, Some("DBS.301071".into()), Some("Invalid session id".into()), Some("5b7c".into()));
/// assert_eq!(error.to_string(), r#"400 DBS.301071 "Invalid session id" (request id 5b7c)"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The Huawei error code, e.g. `DBS.301071` or `APIGW.0301`.
    pub code: Option<String>,
    /// The error message, or an excerpt of a body that was not JSON.
    pub message: Option<String>,
    /// The request id: the `X-Request-Id` header, else the body's `request_id`.
    pub request_id: Option<String>,
}

impl ApiError {
    /// An API error from its parts.
    ///
    /// ```
    /// let error = dds_sessions::ApiError::new(503, None, None, None);
    /// assert_eq!(error.status, 503);
    /// ```
    pub fn new(
        status: u16,
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            message,
            request_id,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, " {message:?}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl Error {
    /// An [`Error::InvalidInput`] for `argument`.
    ///
    /// ```
    /// let e = dds_sessions::Error::invalid_input("limit", "must be at most 20");
    /// assert!(e.to_string().contains("limit"));
    /// ```
    pub fn invalid_input(argument: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            argument: argument.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Config`] with a message saying what is wrong and what to do.
    ///
    /// ```
    /// let e = dds_sessions::Error::config("no project id: set HUAWEICLOUD_SDK_PROJECT_ID");
    /// assert!(e.to_string().contains("HUAWEICLOUD_SDK_PROJECT_ID"));
    /// ```
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The HTTP status of the answer, if there was one.
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Api(ApiError::new(404, None, None, None));
    /// assert_eq!(e.status(), Some(404));
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::Throttled { error: e, .. } => Some(e.status),
            Error::Redirect { status, .. } | Error::InvalidResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Huawei `error_code`, if the answer had one.
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Api(ApiError::new(400, Some("DBS.301071".into()), None, None));
    /// assert_eq!(e.code(), Some("DBS.301071"));
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|e| e.code.as_deref())
    }

    /// The Huawei `error_msg`, if the answer had one.
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Api(ApiError::new(400, None, Some("Invalid session id".into()), None));
    /// assert_eq!(e.message(), Some("Invalid session id"));
    /// ```
    pub fn message(&self) -> Option<&str> {
        self.api().and_then(|e| e.message.as_deref())
    }

    /// The request id the answer named (`X-Request-Id`, else the body's `request_id`).
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Api(ApiError::new(401, None, None, Some("5b7c".into())));
    /// assert_eq!(e.request_id(), Some("5b7c"));
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::Throttled { error: e, .. } => e.request_id.as_deref(),
            Error::Redirect { request_id, .. }
            | Error::InvalidResponse { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, for [`Error::Api`] and [`Error::Throttled`].
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Api(ApiError::new(500, None, None, None));
    /// assert_eq!(e.api().map(|a| a.status), Some(500));
    /// ```
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::Throttled { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// How long the server asked to wait before retrying (`Retry-After` of a `429`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dds_sessions::{ApiError, Error};
    /// let e = Error::Throttled { error: ApiError::new(429, None, None, None), retry_after: Some(Duration::from_secs(2)) };
    /// assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying again may succeed: throttling, `502`/`503`/`504`, a failed or broken
    /// connection, an attempt that timed out. Never another 4xx, never invalid input.
    ///
    /// ```
    /// use dds_sessions::{ApiError, Error};
    /// assert!(Error::Api(ApiError::new(503, None, None, None)).is_retryable());
    /// assert!(!Error::Api(ApiError::new(400, None, None, None)).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttled { .. } => true,
            Error::Api(e) => matches!(e.status, 502..=504),
            Error::Timeout { scope, .. } => *scope != TimeoutScope::Operation,
            Error::Transport { kind, .. } => {
                matches!(kind, TransportKind::Connect | TransportKind::Reset)
            }
            _ => false,
        }
    }

    /// Whether nothing reached the server: invalid input or configuration.
    ///
    /// ```
    /// assert!(dds_sessions::Error::invalid_input("ids", "empty").is_before_sending());
    /// ```
    pub fn is_before_sending(&self) -> bool {
        matches!(self, Error::InvalidInput { .. } | Error::Config { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { argument, reason } => {
                write!(f, "invalid {argument}: {reason} (nothing was sent)")
            }
            Error::Config { message } => write!(f, "configuration: {message}"),
            Error::Api(e) => write!(f, "DDS rejected the request: {e}{}", advice(e)),
            Error::Throttled { error, retry_after } => {
                write!(f, "DDS throttled the request: {error}")?;
                match retry_after {
                    Some(wait) => write!(f, "; retry after {} s", wait.as_secs()),
                    None => write!(f, "; retry later or lower the concurrency"),
                }
            }
            Error::Timeout { limit, scope } => write!(
                f,
                "the {scope} timed out after {:.1} s; the server may be overloaded or unreachable \
                 (raise the {scope} timeout if it is just slow)",
                limit.as_secs_f64()
            ),
            Error::Transport { kind, message } => {
                write!(f, "{kind}: {message}; check the endpoint and the network")
            }
            Error::Redirect {
                status,
                location,
                request_id,
            } => {
                write!(f, "the server redirected ({status}) to ")?;
                match location {
                    Some(location) => write!(f, "{location}")?,
                    None => f.write_str("no location")?,
                }
                write!(f, "; redirects are not followed, check the endpoint")?;
                request_id_suffix(f, request_id)
            }
            Error::InvalidResponse {
                status,
                reason,
                excerpt,
                request_id,
            } => {
                write!(f, "invalid answer ({status}): {reason}")?;
                if !excerpt.is_empty() {
                    write!(f, "; body starts {excerpt:?}")?;
                }
                request_id_suffix(f, request_id)
            }
            Error::ResponseTooLarge { limit, request_id } => {
                write!(
                    f,
                    "the answer is larger than the {limit}-byte limit and was refused"
                )?;
                request_id_suffix(f, request_id)
            }
        }
    }
}

fn request_id_suffix(f: &mut fmt::Formatter<'_>, request_id: &Option<String>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request id {id})"),
        None => Ok(()),
    }
}

/// A short hint for the statuses a person can act on.
fn advice(e: &ApiError) -> &'static str {
    match e.status {
        401 => {
            "; check the credentials (token expired, AK/SK wrong, or the clock off by over 15 minutes)"
        }
        403 => {
            "; the credentials lack permission (IAM action dds:instance:deleteSession or dds:instance:list)"
        }
        _ => "",
    }
}

impl std::error::Error for Error {}

/// The largest excerpt of a body an error keeps, in characters.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The start of `body` as text, at most [`EXCERPT_CHARS`] characters, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_CHARS * 4)]);
    let mut out: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(EXCERPT_CHARS)
        .collect();
    if text.chars().count() > EXCERPT_CHARS || body.len() > EXCERPT_CHARS * 4 {
        out.push('…');
    }
    out
}

/// The parts of a Huawei error body, in whichever form it came.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl ErrorBody {
    /// Reads an error body in any of the forms Huawei services and gateways answer:
    /// `error_code`/`error_msg`, `errorCode`/`errorMsg`, `code`/`message`, any of these nested one
    /// level deep in an object (`{"error": {...}}`), and bodies that are not JSON at all (an HTML
    /// page from a proxy), whose excerpt becomes the message. Never fails, never panics.
    pub(crate) fn parse(body: &[u8]) -> ErrorBody {
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() {
            return ErrorBody::default();
        }
        if let Ok(serde_json::Value::Object(map)) =
            serde_json::from_slice::<serde_json::Value>(trimmed)
        {
            let top = ErrorBody::from_object(&map);
            if top.code.is_some() || top.message.is_some() {
                return top;
            }
            for value in map.values() {
                if let serde_json::Value::Object(inner) = value {
                    let nested = ErrorBody::from_object(inner);
                    if nested.code.is_some() || nested.message.is_some() {
                        return ErrorBody {
                            request_id: nested.request_id.or(top.request_id),
                            ..nested
                        };
                    }
                }
            }
            return ErrorBody {
                message: Some(excerpt(trimmed)),
                ..top
            };
        }
        ErrorBody {
            message: Some(excerpt(trimmed)),
            ..ErrorBody::default()
        }
    }

    fn from_object(map: &serde_json::Map<String, serde_json::Value>) -> ErrorBody {
        let field = |names: &[&str]| {
            names.iter().find_map(|name| match map.get(*name) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        ErrorBody {
            code: field(&["error_code", "errorCode", "code"]),
            message: field(&["error_msg", "errorMsg", "message", "error_message", "msg"]),
            request_id: field(&["request_id", "requestId"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_body_form_is_read() {
        type Case = (
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (
                r#"{"error_code":"DBS.301071","error_msg":"Invalid session id"}"#,
                Some("DBS.301071"),
                Some("Invalid session id"),
                None,
            ),
            (
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"5b7c"}"#,
                Some("APIGW.0301"),
                Some("Incorrect IAM authentication information"),
                Some("5b7c"),
            ),
            (
                r#"{"errorCode":"DBS.280443","errorMsg":"Too many requests"}"#,
                Some("DBS.280443"),
                Some("Too many requests"),
                None,
            ),
            (
                r#"{"code":"APIG.0308","message":"throttled"}"#,
                Some("APIG.0308"),
                Some("throttled"),
                None,
            ),
            (
                r#"{"error":{"code":"DBS.200013","message":"node not found"},"request_id":"r1"}"#,
                Some("DBS.200013"),
                Some("node not found"),
                Some("r1"),
            ),
            (
                r#"{"error":{"error_code":"X.1","error_msg":"m","request_id":"inner"}}"#,
                Some("X.1"),
                Some("m"),
                Some("inner"),
            ),
            (
                r#"{"code":500,"message":"boom"}"#,
                Some("500"),
                Some("boom"),
                None,
            ),
            (
                "<html><body>502 Bad Gateway</body></html>",
                None,
                Some("<html><body>502 Bad Gateway</body></html>"),
                None,
            ),
            ("", None, None, None),
            ("   ", None, None, None),
            ("[1,2]", None, Some("[1,2]"), None),
            (
                r#"{"unrelated":true}"#,
                None,
                Some(r#"{"unrelated":true}"#),
                None,
            ),
        ];
        for (body, code, message, request_id) in cases {
            let parsed = ErrorBody::parse(body.as_bytes());
            assert_eq!(parsed.code.as_deref(), *code, "{body}");
            assert_eq!(parsed.message.as_deref(), *message, "{body}");
            assert_eq!(parsed.request_id.as_deref(), *request_id, "{body}");
        }
    }

    #[test]
    fn excerpts_are_short_and_single_line() {
        let long = "x".repeat(10_000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"a\nb\rc"), "abc");
        assert_eq!(excerpt(&[0xff, 0xfe, b'a']), "\u{fffd}\u{fffd}a");
    }

    #[test]
    fn display_is_one_actionable_line() {
        let e = Error::Api(ApiError::new(
            400,
            Some("DBS.301071".into()),
            Some("Invalid session id".into()),
            Some("5b7c".into()),
        ));
        assert_eq!(
            e.to_string(),
            r#"DDS rejected the request: 400 DBS.301071 "Invalid session id" (request id 5b7c)"#
        );
        let e = Error::Api(ApiError::new(401, Some("APIGW.0301".into()), None, None));
        assert!(e.to_string().contains("check the credentials"));
        for e in [
            Error::Timeout {
                limit: Duration::from_secs(30),
                scope: TimeoutScope::Attempt,
            },
            Error::Redirect {
                status: 302,
                location: Some("https://evil.example/".into()),
                request_id: None,
            },
            Error::ResponseTooLarge {
                limit: 8,
                request_id: Some("r".into()),
            },
            Error::InvalidResponse {
                status: 200,
                reason: "broken JSON".into(),
                excerpt: "{".into(),
                request_id: None,
            },
        ] {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }

    #[test]
    fn retryable_classification() {
        let api = |s| Error::Api(ApiError::new(s, None, None, None));
        for s in [502, 503, 504] {
            assert!(api(s).is_retryable(), "{s}");
        }
        for s in [400, 401, 403, 404, 405, 409, 500, 501] {
            assert!(!api(s).is_retryable(), "{s}");
        }
        assert!(
            Error::Throttled {
                error: ApiError::new(429, None, None, None),
                retry_after: None
            }
            .is_retryable()
        );
        assert!(
            Error::Transport {
                kind: TransportKind::Connect,
                message: String::new()
            }
            .is_retryable()
        );
        assert!(
            Error::Transport {
                kind: TransportKind::Reset,
                message: String::new()
            }
            .is_retryable()
        );
        assert!(
            !Error::Transport {
                kind: TransportKind::Tls,
                message: String::new()
            }
            .is_retryable()
        );
        assert!(
            Error::Timeout {
                limit: Duration::ZERO,
                scope: TimeoutScope::Attempt
            }
            .is_retryable()
        );
        assert!(
            !Error::Timeout {
                limit: Duration::ZERO,
                scope: TimeoutScope::Operation
            }
            .is_retryable()
        );
        assert!(!Error::invalid_input("a", "b").is_retryable());
    }
}
