//! Entry points for fuzzers and property tests: each parser the client runs on bytes it does
//! not control, reachable from outside the crate. Not part of the supported API.

use crate::error::ErrorBody;
use crate::generated::types::ListSessionsResponse;
use crate::{SessionPage, auth};

/// Reads `body` as an error body in every Huawei form; never fails, never panics.
pub fn error_body(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    let parsed = ErrorBody::parse(body);
    (parsed.code, parsed.message, parsed.request_id)
}

/// Reads `body` as a `ListSessions` page, as the client does.
pub fn list_page(body: &[u8]) -> Result<SessionPage, String> {
    serde_json::from_slice::<ListSessionsResponse>(body)
        .map(SessionPage::from)
        .map_err(|e| e.to_string())
}

/// Reads `text` as a credentials file; whether it holds a `[basic]` section.
pub fn credentials_file(text: &str) -> Result<bool, String> {
    auth::credentials::parse_ini(text)
        .map(|ini| ini.contains_key("basic"))
        .map_err(|e| format!("line {}: {}", e.line, e.problem))
}

/// The signer's canonical URI and query of a request line.
pub fn canonicalise(path: &str, query: Option<&str>) -> (String, String) {
    (
        auth::signer::canonical_uri(path),
        auth::signer::canonical_query(query),
    )
}
