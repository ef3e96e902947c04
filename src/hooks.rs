//! What happens to every request of the generated client: progenitor's `ClientHooks`.
//!
//! * **`pre`** — drops progenitor's `api-version` header, sets the per-attempt timeout and the
//!   headers every request carries (`Content-Type`, `X-Project-Id`, `User-Agent`, `Host`), then
//!   authenticates: `X-Auth-Token` for a token, or `X-Sdk-Date` (+ `X-Security-Token`) and an
//!   `SDK-HMAC-SHA256` signature over every header sent — progenitor's `Accept` included — for
//!   AK/SK. It runs once per attempt, so every retry is signed afresh.
//! * **`exec`** — sends, traces the answer (status, request id, elapsed; never a header value),
//!   refuses bodies over the size limit while reading them, and rewrites every error body into
//!   the spec's `ErrorResponse` form (`error_code`, `error_msg`, `request_id`) whatever form it
//!   came in — an HTML page from a proxy included — so no status is ever lost.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::BodyExt;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::auth::signer;
use crate::error::ErrorBody;
use crate::{Credentials, generated};

/// The per-client state the hooks need: credentials, project, limits. It is built by
/// [`crate::ClientBuilder`] and reached through [`crate::Client::generated`].
///
/// Its `Debug` shows no secret:
/// ```
/// # fn main() -> dds_sessions::Result<()> {
/// let client = dds_sessions::Client::builder()
///     .endpoint("http://127.0.0.1:9")
///     .project_id("619d3e78f61b4be68bc5aa0b59edcf7b")
///     .credentials(dds_sessions::Credentials::ak_sk("AK", "the-secret-key"))
///     .build()?;
/// let debug = format!("{:?}", client.generated());
/// assert!(!debug.contains("the-secret-key"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Hooks {
    state: Arc<HookState>,
}

struct HookState {
    credentials: Credentials,
    token: Option<HeaderValue>,
    security_token: Option<HeaderValue>,
    project_id: HeaderValue,
    host: HeaderValue,
    user_agent: HeaderValue,
    attempt_timeout: Duration,
    max_response_size: u64,
}

const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");
const API_VERSION: HeaderName = HeaderName::from_static("api-version");
/// The header naming a request, as DDS answers it.
pub(crate) const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
type BoxError = Box<dyn std::error::Error + Send + Sync>;
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("credentials", &self.state.credentials)
            .field("project_id", &self.state.project_id)
            .field("host", &self.state.host)
            .field("attempt_timeout", &self.state.attempt_timeout)
            .field("max_response_size", &self.state.max_response_size)
            .finish()
    }
}

/// The settings [`Hooks`] are built from.
pub(crate) struct HookSettings<'a> {
    pub(crate) credentials: Credentials,
    pub(crate) project_id: &'a str,
    pub(crate) host: &'a str,
    pub(crate) user_agent: &'a str,
    pub(crate) attempt_timeout: Duration,
    pub(crate) max_response_size: u64,
}

impl Hooks {
    pub(crate) fn new(settings: HookSettings<'_>) -> crate::Result<Hooks> {
        let value = |what: &str, v: &str| {
            HeaderValue::from_str(v).map_err(|_| {
                crate::Error::invalid_input(what, "must be printable ASCII to be sent in a header")
            })
        };
        let sensitive = |what: &str, v: &str| {
            let mut value = value(what, v)?;
            value.set_sensitive(true);
            Ok::<_, crate::Error>(value)
        };
        let (token, security_token) = match &settings.credentials {
            Credentials::Token { token } => (Some(sensitive("token", token.expose())?), None),
            Credentials::AkSk { security_token, .. } => {
                let st = security_token
                    .as_ref()
                    .map(|t| sensitive("security token", t.expose()))
                    .transpose()?;
                (None, st)
            }
        };
        Ok(Hooks {
            state: Arc::new(HookState {
                token,
                security_token,
                project_id: value("project_id", settings.project_id)?,
                host: value("endpoint host", settings.host)?,
                user_agent: value("user agent", settings.user_agent)?,
                attempt_timeout: settings.attempt_timeout,
                max_response_size: settings.max_response_size,
                credentials: settings.credentials,
            }),
        })
    }

    pub(crate) fn attempt_timeout(&self) -> Duration {
        self.state.attempt_timeout
    }

    /// Sets the headers, the timeout and the authentication of one attempt.
    fn prepare(&self, request: &mut reqwest::Request) -> Result<(), String> {
        let state = &self.state;
        *request.timeout_mut() = Some(state.attempt_timeout);
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        headers.insert(header::CONTENT_TYPE, APPLICATION_JSON);
        headers.insert(X_PROJECT_ID, state.project_id.clone());
        headers.insert(header::USER_AGENT, state.user_agent.clone());
        headers.insert(header::HOST, state.host.clone());
        match &state.credentials {
            Credentials::Token { .. } => {
                if let Some(token) = &state.token {
                    headers.insert(X_AUTH_TOKEN, token.clone());
                }
                Ok(())
            }
            Credentials::AkSk {
                access_key,
                secret_key,
                ..
            } => {
                let date = match signer::sdk_date_bytes(SystemTime::now()) {
                    Ok(bytes) => HeaderValue::from_bytes(&bytes),
                    Err(long) => HeaderValue::from_str(&long),
                };
                headers.insert(X_SDK_DATE, date.map_err(|e| e.to_string())?);
                if let Some(token) = &state.security_token {
                    headers.insert(X_SECURITY_TOKEN, token.clone());
                }
                signer::sign_reqwest(request, access_key, secret_key.expose())
                    .map_err(|e| format!("cannot sign the request: {e}"))
            }
        }
    }

    /// Applies the size limit to the body of a successful answer, and rewrites the body of an
    /// error answer into the spec's `ErrorResponse` form.
    async fn shape(&self, response: reqwest::Response) -> reqwest::Response {
        let limit = self.state.max_response_size;
        let status = response.status();
        let request_id = request_id(response.headers());
        if response.content_length().is_some_and(|len| len > limit) {
            return replace_body(response, Err(Box::new(TooLarge { limit, request_id })));
        }
        if status.is_success() && response.content_length().is_some() {
            // hyper holds the body to its declared length, which is within the limit.
            return response;
        }
        let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        let limited = http_body_util::Limited::new(body, limit as usize);
        if status.is_success() {
            let body = limited.map_err(move |e| -> BoxError {
                if e.is::<http_body_util::LengthLimitError>() {
                    Box::new(TooLarge {
                        limit,
                        request_id: request_id.clone(),
                    })
                } else {
                    e
                }
            });
            return http::Response::from_parts(parts, reqwest::Body::wrap(body)).into();
        }
        let response: reqwest::Response =
            http::Response::from_parts(parts, reqwest::Body::from(Bytes::new())).into();
        match limited.collect().await {
            Ok(collected) => {
                let body = ErrorBody::parse(&collected.to_bytes());
                replace_body(response, Ok(canonical_error(body, request_id)))
            }
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                replace_body(response, Err(Box::new(TooLarge { limit, request_id })))
            }
            Err(e) => replace_body(response, Err(Box::new(BrokenBody(e.to_string())))),
        }
    }
}

/// The request id an answer names in its `X-Request-Id` header.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The error body as the spec's `ErrorResponse`, serialised; the header's request id wins.
fn canonical_error(body: ErrorBody, header_request_id: Option<String>) -> Bytes {
    let canonical = generated::types::ErrorResponse {
        error_code: body.code,
        error_msg: body.message,
        request_id: body.request_id.or(header_request_id),
    };
    serde_json::to_vec(&canonical)
        .map(Bytes::from)
        .unwrap_or_default()
}

/// `response` with its body replaced by `body`: bytes, or an error its reader will meet.
fn replace_body(response: reqwest::Response, body: Result<Bytes, BoxError>) -> reqwest::Response {
    let (mut parts, _) = http::Response::<reqwest::Body>::from(response).into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = match body {
        Ok(bytes) => reqwest::Body::from(bytes),
        Err(error) => {
            let failing = futures_util::stream::once(async move { Err::<Bytes, BoxError>(error) });
            reqwest::Body::wrap_stream(failing)
        }
    };
    http::Response::from_parts(parts, body).into()
}

/// A body refused because it is larger than the limit. Found again by [`crate::response`] in
/// the error chain of the read that failed.
#[derive(Debug)]
pub(crate) struct TooLarge {
    pub(crate) limit: u64,
    pub(crate) request_id: Option<String>,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the answer is larger than {} bytes", self.limit)
    }
}

impl std::error::Error for TooLarge {}

/// An error body that broke while being read.
#[derive(Debug)]
struct BrokenBody(String);

impl fmt::Display for BrokenBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the error body broke while being read: {}", self.0)
    }
}

impl std::error::Error for BrokenBody {}

impl ClientHooks<Hooks> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        tracing::debug!(operation = info.operation_id, method = %request.method(), path = request.url().path(), "sending");
        self.inner()
            .prepare(request)
            .map_err(progenitor_client::Error::Custom)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let started = Instant::now();
        let response = self.client().execute(request).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match response {
            Ok(response) => {
                tracing::debug!(
                    operation = info.operation_id,
                    status = response.status().as_u16(),
                    request_id = request_id(response.headers()).as_deref().unwrap_or("-"),
                    elapsed_ms,
                    "answered"
                );
                Ok(self.inner().shape(response).await)
            }
            Err(error) => {
                tracing::debug!(operation = info.operation_id, elapsed_ms, error = %crate::response::describe(&error), "failed");
                Err(error)
            }
        }
    }
}
