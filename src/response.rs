//! The edge between the generated client and the layer: what a generated call returns becomes
//! a value or a [`crate::Error`] here, and nowhere else.
//!
//! By the time an answer gets here, [`crate::hooks`] has rewritten every error body into the
//! spec's `ErrorResponse` form and guarded every body with the size limit, so the mapping is
//! direct: status, `error_code`, `error_msg` and request id all survive.

use std::time::Duration;

use progenitor_client::{Error as GenError, ResponseValue};

use crate::error::excerpt;
use crate::generated::types::ErrorResponse;
use crate::hooks::{TooLarge, request_id};
use crate::{ApiError, Error, Result, TimeoutScope, TransportKind};

/// The value of a successful generated call, or the error it ended in.
pub(crate) async fn finish<T>(
    result: std::result::Result<ResponseValue<T>, GenError<ErrorResponse>>,
    attempt_timeout: Duration,
) -> Result<T> {
    match result {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(into_error(error, attempt_timeout).await),
    }
}

async fn into_error(error: GenError<ErrorResponse>, attempt_timeout: Duration) -> Error {
    match error {
        GenError::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let retry_after = retry_after(value.headers());
            let header_id = request_id(value.headers());
            let body = value.into_inner();
            api_error(status, body, header_id, retry_after)
        }
        GenError::UnexpectedResponse(response) => unexpected(response, attempt_timeout).await,
        GenError::InvalidResponsePayload(body, e) => Error::InvalidResponse {
            status: 200,
            reason: if body.is_empty() {
                "the body is empty".to_string()
            } else {
                format!("the body is not what the spec says: {e}")
            },
            excerpt: excerpt(&body),
            request_id: None,
        },
        GenError::CommunicationError(e)
        | GenError::ResponseBodyError(e)
        | GenError::InvalidUpgrade(e) => from_reqwest(&e, attempt_timeout),
        GenError::InvalidRequest(reason) => Error::invalid_input("request", reason),
        GenError::Custom(reason) => Error::invalid_input("request", reason),
    }
}

fn api_error(
    status: u16,
    body: ErrorResponse,
    header_id: Option<String>,
    retry_after: Option<Duration>,
) -> Error {
    let error = ApiError::new(
        status,
        body.error_code,
        body.error_msg,
        header_id.or(body.request_id),
    );
    if status == 429 {
        Error::Throttled { error, retry_after }
    } else {
        Error::Api(error)
    }
}

/// An answer whose status the spec does not document for the operation.
async fn unexpected(response: reqwest::Response, attempt_timeout: Duration) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let header_id = request_id(&headers);
    if status.is_redirection() {
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        return Error::Redirect {
            status: status.as_u16(),
            location,
            request_id: header_id,
        };
    }
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return from_reqwest(&e, attempt_timeout),
    };
    if status.is_success() || status.is_informational() {
        return Error::InvalidResponse {
            status: status.as_u16(),
            reason: format!(
                "the spec documents no {} answer for this operation",
                status.as_u16()
            ),
            excerpt: excerpt(&body),
            request_id: header_id,
        };
    }
    // Error bodies were rewritten into the spec's form by the hooks.
    let body: ErrorResponse = serde_json::from_slice(&body).unwrap_or_else(|_| ErrorResponse {
        error_code: None,
        error_msg: Some(excerpt(&body)),
        request_id: None,
    });
    api_error(status.as_u16(), body, header_id, retry_after(&headers))
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Huawei's gateway).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Classifies a failure of the HTTP stack.
pub(crate) fn from_reqwest(error: &reqwest::Error, attempt_timeout: Duration) -> Error {
    if let Some(too_large) = find::<TooLarge>(error) {
        return Error::ResponseTooLarge {
            limit: too_large.limit,
            request_id: too_large.request_id.clone(),
        };
    }
    if error.is_timeout() {
        let scope = if error.is_connect() {
            TimeoutScope::Connect
        } else {
            TimeoutScope::Attempt
        };
        return Error::Timeout {
            limit: attempt_timeout,
            scope,
        };
    }
    let kind = if find::<rustls::Error>(error).is_some() {
        TransportKind::Tls
    } else if error.is_connect() {
        TransportKind::Connect
    } else if error.is_request() || error.is_body() || find::<std::io::Error>(error).is_some() {
        TransportKind::Reset
    } else {
        TransportKind::Other
    };
    Error::Transport {
        kind,
        message: describe(error),
    }
}

/// The messages of an error and its sources, joined; the URL is left out.
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(error);
    parts.push(error_kind_text(error).to_string());
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

fn error_kind_text(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connecting failed"
    } else if error.is_timeout() {
        "timed out"
    } else if error.is_body() || error.is_decode() {
        "reading the answer failed"
    } else {
        "sending the request failed"
    }
}

/// The first error of type `T` in the source chain of `error`.
fn find<T: std::error::Error + 'static>(error: &reqwest::Error) -> Option<&T> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        source = e.source();
    }
    None
}
