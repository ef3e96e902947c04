//! Huawei Cloud API Gateway AK/SK request signing (`SDK-HMAC-SHA256`).
//!
//! The gateway rebuilds a *canonical request* from what it receives, hashes it,
//! and checks an HMAC-SHA256 of that hash keyed with the secret key:
//!
//! ```text
//! CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n
//!                    CanonicalHeaders \n SignedHeaders \n hex(SHA-256(body))
//! StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA-256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(secret key, StringToSign))
//! ```
//!
//! [`sign`] exposes every intermediate step (useful for tests and debugging);
//! [`sign_reqwest`] is the allocation-light path used on every request the
//! client sends.
//!
//! # Decoding rules
//!
//! Paths and query strings are percent-decoded to bytes before being
//! re-encoded with only `A-Z a-z 0-9 - _ . ~` left unescaped. A `%` that does
//! not start a valid escape is kept as a literal `%` byte, and decoded bytes
//! need not be UTF-8, so no input can make signing panic. Empty query pieces
//! (`a=1&&b=2`, a trailing `&`) are skipped.
//!
//! # Headers
//!
//! Header names are lower-cased and values trimmed. A name given more than
//! once is listed once in the signed headers, with one `name:value` line per
//! value, values sorted (as Huawei's own SDKs do).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hmac::{Hmac, Mac};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

/// The signing algorithm name, first line of the string to sign and first word
/// of the `Authorization` header.
///
/// ```
/// assert_eq!(dds_sessions::auth::signer::ALGORITHM, "SDK-HMAC-SHA256");
/// ```
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The header carrying the signing time, which is also part of the string to sign.
const DATE_HEADER: &str = "x-sdk-date";

/// Formats `time` as an `X-Sdk-Date` value: UTC, `%Y%m%dT%H%M%SZ`.
///
/// Sub-second precision is dropped (times before 1970 round down).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use dds_sessions::auth::signer::sdk_date;
///
/// let time = UNIX_EPOCH + Duration::from_secs(1_764_662_950);
/// assert_eq!(sdk_date(time), "20251202T080910Z");
/// ```
pub fn sdk_date(time: SystemTime) -> String {
    match sdk_date_bytes(time) {
        Ok(bytes) => bytes.iter().map(|&b| char::from(b)).collect(),
        Err(long) => long,
    }
}

/// [`sdk_date`] without formatting machinery or allocation, for the signing hot path: the 16
/// ASCII bytes, or (for a year outside 0..=9999) the longer text.
pub(crate) fn sdk_date_bytes(time: SystemTime) -> Result<[u8; 16], String> {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            -i64::try_from(before.as_secs()).unwrap_or(i64::MAX)
                - i64::from(before.subsec_nanos() > 0)
        }
    };
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    if !(0..=9999).contains(&year) {
        return Err(format!(
            "{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z"
        ));
    }
    let mut out = *b"00000000T000000Z";
    let mut put = |at: usize, width: usize, mut value: i64| {
        for place in (at..at + width).rev() {
            out[place] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year);
    put(4, 2, month);
    put(6, 2, day);
    put(9, 2, hour);
    put(11, 2, minute);
    put(13, 2, second);
    Ok(out)
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
///
/// Howard Hinnant's `civil_from_days`: shift the year to start on March 1st so
/// the leap day is the last day of the shifted year, then count 400-year eras.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The parts of a request that are signed.
///
/// ```
/// use dds_sessions::auth::signer::SignableRequest;
///
/// let request = SignableRequest {
///     method: "GET",
///     path: "/v3/my-project/nodes/my%20node/sessions",
///     query: Some("limit=20&offset=0"),
///     headers: &[("Host", "dds.example.com"), ("X-Sdk-Date", "20251202T080910Z")],
///     body: b"",
/// };
/// assert_eq!(request.method, "GET");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The HTTP method, upper case (`GET`, `POST`, ...).
    pub method: &'a str,
    /// The path exactly as sent, percent-encoded.
    pub path: &'a str,
    /// The raw query string as sent, without the leading `?`.
    pub query: Option<&'a str>,
    /// The headers to sign as `(name, value)`, in any order and case. They must
    /// include `Host` and `X-Sdk-Date`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes (empty when there is no body).
    pub body: &'a [u8],
}

/// The result of [`sign`], with every intermediate step. It holds no secret.
///
/// ```
/// use dds_sessions::auth::signer::{sign, SignableRequest};
///
/// let request = SignableRequest {
///     method: "GET",
///     path: "/v3",
///     query: None,
///     headers: &[("Host", "dds.example.com"), ("X-Sdk-Date", "20251202T080910Z")],
///     body: b"",
/// };
/// let signature = sign("AK", "SK", &request);
/// assert_eq!(signature.signed_headers, "host;x-sdk-date");
/// assert!(signature.string_to_sign.starts_with("SDK-HMAC-SHA256\n20251202T080910Z\n"));
/// assert_eq!(signature.signature.len(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request the gateway will rebuild.
    pub canonical_request: String,
    /// The string that is HMAC'd: algorithm, date and canonical request hash.
    pub string_to_sign: String,
    /// The lowercase hex HMAC-SHA256 of the string to sign.
    pub signature: String,
    /// The lower-case signed header names joined with `;`.
    pub signed_headers: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

/// Signs `request` with the access key / secret key pair.
///
/// The date of the string to sign is the value of the request's `X-Sdk-Date`
/// header (matched case-insensitively); if that header is missing an empty date
/// is signed, which the gateway will reject.
///
/// ```
/// use dds_sessions::auth::signer::{sign, SignableRequest};
///
/// let request = SignableRequest {
///     method: "POST",
///     path: "/v3/my-project/nodes/my-node/session",
///     query: None,
///     headers: &[
///         ("Content-Type", "application/json"),
///         ("Host", "dds.example.com"),
///         ("X-Sdk-Date", "20251202T080910Z"),
///     ],
///     body: br#"{"sessions":["1"]}"#,
/// };
/// let signature = sign("AK", "SK", &request);
/// assert!(signature.canonical_request.starts_with("POST\n/v3/my-project/nodes/my-node/session/\n\n"));
/// assert!(signature.authorization.starts_with(
///     "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature="
/// ));
/// ```
pub fn sign(access_key: &str, secret_key: &str, request: &SignableRequest<'_>) -> Signature {
    let headers = sorted_headers(request.headers.to_vec());
    let date = date_of(&headers).unwrap_or_default();

    let mut canonical_request = Vec::with_capacity(CANONICAL_CAPACITY);
    write_canonical_request(
        &mut canonical_request,
        request.method,
        request.path,
        request.query,
        &headers,
        request.body,
    );
    let request_hash = hex(&Sha256::digest(&canonical_request).into());
    let signature = hmac_hex(secret_key, date, &request_hash);

    let mut signed_headers = Vec::new();
    write_signed_headers(&mut signed_headers, &headers);
    let mut authorization = Vec::new();
    write_authorization(&mut authorization, access_key, &headers, &signature);

    Signature {
        canonical_request: into_string(canonical_request),
        string_to_sign: format!("{ALGORITHM}\n{date}\n{}", as_str(&request_hash)),
        signature: as_str(&signature).to_owned(),
        signed_headers: into_string(signed_headers),
        authorization: into_string(authorization),
    }
}

/// Why [`sign_reqwest`] could not sign a request. Never contains key material.
///
/// ```
/// use dds_sessions::auth::signer::SignError;
///
/// assert_eq!(SignError::MissingDate.to_string(), "the request has no X-Sdk-Date header to sign");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The request has no `X-Sdk-Date` header.
    MissingDate,
    /// A header value is not valid UTF-8, so it cannot be signed.
    NonUtf8Header(HeaderName),
    /// The body is a stream, so its bytes cannot be hashed before sending.
    StreamingBody,
    /// The access key contains characters not allowed in a header value.
    InvalidAccessKey,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingDate => f.write_str("the request has no X-Sdk-Date header to sign"),
            Self::NonUtf8Header(name) => {
                write!(f, "the value of header `{name}` is not valid UTF-8")
            }
            Self::StreamingBody => f.write_str("a streaming request body cannot be signed"),
            Self::InvalidAccessKey => f.write_str("the access key is not a valid header value"),
        }
    }
}

impl std::error::Error for SignError {}

/// Signs a `reqwest` request in place by inserting its `Authorization` header.
///
/// Every header already on the request is signed (except a previous
/// `Authorization`, which is replaced), so the caller must set `Host`,
/// `X-Sdk-Date` and any other header first. The method, path and query are
/// read from the request as they will be sent, and the body must be in memory.
///
/// ```
/// use dds_sessions::auth::signer::sign_reqwest;
/// use reqwest::{Method, Request, header::HeaderValue};
///
/// let url = "https://dds.example.com/v3/my-project/nodes/my-node/sessions?limit=20".parse().unwrap();
/// let mut request = Request::new(Method::GET, url);
/// request.headers_mut().insert("host", HeaderValue::from_static("dds.example.com"));
/// request.headers_mut().insert("x-sdk-date", HeaderValue::from_static("20251202T080910Z"));
///
/// sign_reqwest(&mut request, "AK", "SK")?;
/// let authorization = request.headers()["authorization"].to_str().unwrap();
/// assert!(authorization.starts_with("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature="));
/// # Ok::<(), dds_sessions::auth::signer::SignError>(())
/// ```
pub fn sign_reqwest(
    request: &mut reqwest::Request,
    access_key: &str,
    secret_key: &str,
) -> Result<(), SignError> {
    let body = match request.body() {
        None => &[][..],
        Some(body) => body.as_bytes().ok_or(SignError::StreamingBody)?,
    };
    let mut headers = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        if name == AUTHORIZATION {
            continue;
        }
        let value = std::str::from_utf8(value.as_bytes())
            .map_err(|_| SignError::NonUtf8Header(name.clone()))?;
        headers.push((name.as_str(), value));
    }
    let headers = sorted_headers(headers);
    let date = date_of(&headers).ok_or(SignError::MissingDate)?;

    // One buffer: first the canonical request, then the Authorization value.
    let mut buffer = Vec::with_capacity(CANONICAL_CAPACITY);
    let url = request.url();
    write_canonical_request(
        &mut buffer,
        request.method().as_str(),
        url.path(),
        url.query(),
        &headers,
        body,
    );
    let request_hash = hex(&Sha256::digest(&buffer).into());
    let signature = hmac_hex(secret_key, date, &request_hash);
    buffer.clear();
    write_authorization(&mut buffer, access_key, &headers, &signature);

    let authorization = HeaderValue::from_maybe_shared(Bytes::from(buffer))
        .map_err(|_| SignError::InvalidAccessKey)?;
    request.headers_mut().insert(AUTHORIZATION, authorization);
    Ok(())
}

/// The canonical URI of a percent-encoded `path`: decoded, then each
/// `/`-separated piece re-encoded with only unreserved characters left as is,
/// always ending in `/`.
///
/// A `%2F` therefore becomes a separator, and a `+` stays a plus (`%2B`).
///
/// ```
/// use dds_sessions::auth::signer::canonical_uri;
///
/// assert_eq!(canonical_uri("/v3/nodes/a%20b%2Fc"), "/v3/nodes/a%20b/c/");
/// assert_eq!(canonical_uri("/v3/caf\u{e9}"), "/v3/caf%C3%A9/");
/// ```
pub fn canonical_uri(path: &str) -> String {
    let mut out = Vec::with_capacity(path.len() + 1);
    write_canonical_uri(&mut out, path);
    into_string(out)
}

/// The canonical query of a raw query string (without `?`): pairs decoded
/// (`+` is a space, a bare key has an empty value, empty pieces are skipped),
/// sorted by key then value, re-encoded and joined with `&`.
///
/// ```
/// use dds_sessions::auth::signer::canonical_query;
///
/// assert_eq!(canonical_query(Some("b=2&a=x+y&flag")), "a=x%20y&b=2&flag=");
/// assert_eq!(canonical_query(None), "");
/// ```
pub fn canonical_query(query: Option<&str>) -> String {
    let mut out = Vec::with_capacity(query.map_or(0, str::len));
    write_canonical_query(&mut out, query);
    into_string(out)
}

/// hex(SHA-256("")), the body hash of every request without a body.
const EMPTY_BODY_HASH: &[u8; 64] =
    b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Enough for a typical API request, so building it rarely reallocates.
const CANONICAL_CAPACITY: usize = 512;

/// Sorts headers by lower-case name, then by value, as the gateway does.
fn sorted_headers<'a>(mut headers: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    headers.sort_unstable_by(|(a_name, a_value), (b_name, b_value)| {
        lowercase(a_name)
            .cmp(lowercase(b_name))
            .then_with(|| a_value.cmp(b_value))
    });
    headers
}

/// The value of the `X-Sdk-Date` header, if any.
fn date_of<'a>(headers: &[(&str, &'a str)]) -> Option<&'a str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(DATE_HEADER))
        .map(|(_, value)| value.trim())
}

fn write_canonical_request(
    out: &mut Vec<u8>,
    method: &str,
    path: &str,
    query: Option<&str>,
    sorted_headers: &[(&str, &str)],
    body: &[u8],
) {
    out.extend_from_slice(method.as_bytes());
    out.push(b'\n');
    write_canonical_uri(out, path);
    out.push(b'\n');
    write_canonical_query(out, query);
    out.push(b'\n');
    for (name, value) in sorted_headers {
        write_lowercase(out, name);
        out.push(b':');
        out.extend_from_slice(value.trim().as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    write_signed_headers(out, sorted_headers);
    out.push(b'\n');
    if body.is_empty() {
        out.extend_from_slice(EMPTY_BODY_HASH);
    } else {
        out.extend_from_slice(&hex(&Sha256::digest(body).into()));
    }
}

fn write_canonical_uri(out: &mut Vec<u8>, path: &str) {
    write_reencoded(out, path.as_bytes(), false, true);
    if out.last() != Some(&b'/') {
        out.push(b'/');
    }
}

fn write_canonical_query(out: &mut Vec<u8>, query: Option<&str>) {
    let mut pairs: Vec<(&[u8], &[u8])> = query
        .unwrap_or_default()
        .as_bytes()
        .split(|&byte| byte == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.iter().position(|&byte| byte == b'=') {
            Some(equals) => (&piece[..equals], &piece[equals + 1..]),
            None => (piece, &[][..]),
        })
        .collect();
    pairs.sort_unstable_by(|(a_key, a_value), (b_key, b_value)| {
        decode(a_key, true)
            .cmp(decode(b_key, true))
            .then_with(|| decode(a_value, true).cmp(decode(b_value, true)))
    });
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push(b'&');
        }
        write_reencoded(out, key, true, false);
        out.push(b'=');
        write_reencoded(out, value, true, false);
    }
}

/// Appends `raw` percent-decoded, then re-encoded so that only unreserved
/// characters (and `/`, if `keep_slash`) appear unescaped.
fn write_reencoded(out: &mut Vec<u8>, raw: &[u8], plus_is_space: bool, keep_slash: bool) {
    let mut rest = raw;
    loop {
        // Copy the run that needs no work in one go, then handle one byte.
        let run = rest
            .iter()
            .position(|&byte| !(is_unreserved(byte) || (keep_slash && byte == b'/')))
            .unwrap_or(rest.len());
        out.extend_from_slice(&rest[..run]);
        let mut decoded = decode(&rest[run..], plus_is_space);
        match decoded.next() {
            None => return,
            Some(b'/') if keep_slash => out.push(b'/'),
            Some(byte) => push_encoded(out, byte),
        }
        rest = decoded.rest;
    }
}

/// Writes the distinct lower-case names of already sorted headers, `;`-separated.
fn write_signed_headers(out: &mut Vec<u8>, sorted_headers: &[(&str, &str)]) {
    let mut previous: Option<&str> = None;
    for (name, _) in sorted_headers {
        if previous.is_some_and(|previous| previous.eq_ignore_ascii_case(name)) {
            continue;
        }
        if previous.is_some() {
            out.push(b';');
        }
        write_lowercase(out, name);
        previous = Some(name);
    }
}

fn write_authorization(
    out: &mut Vec<u8>,
    access_key: &str,
    sorted_headers: &[(&str, &str)],
    signature: &[u8; 64],
) {
    for piece in [ALGORITHM, " Access=", access_key, ", SignedHeaders="] {
        out.extend_from_slice(piece.as_bytes());
    }
    write_signed_headers(out, sorted_headers);
    out.extend_from_slice(b", Signature=");
    out.extend_from_slice(signature);
}

/// Hex HMAC-SHA256 of the string to sign, fed to the MAC piece by piece.
fn hmac_hex(secret_key: &str, date: &str, request_hash: &[u8; 64]) -> [u8; 64] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC accepts keys of any length");
    for piece in [
        ALGORITHM.as_bytes(),
        b"\n",
        date.as_bytes(),
        b"\n",
        request_hash,
    ] {
        mac.update(piece);
    }
    hex(&mac.finalize().into_bytes().into())
}

/// The bytes of `s` lower-cased as ASCII, for comparing header names.
fn lowercase(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().map(|byte| byte.to_ascii_lowercase())
}

/// Appends `name` lower-cased as ASCII (copied in one go, then lowered in place).
fn write_lowercase(out: &mut Vec<u8>, name: &str) {
    let start = out.len();
    out.extend_from_slice(name.as_bytes());
    out[start..].make_ascii_lowercase();
}

/// Percent-decodes `raw`; a `%` not followed by two hex digits is kept.
fn decode(raw: &[u8], plus_is_space: bool) -> Decode<'_> {
    Decode {
        rest: raw,
        plus_is_space,
    }
}

/// Iterator returned by [`decode`].
struct Decode<'a> {
    rest: &'a [u8],
    plus_is_space: bool,
}

impl Iterator for Decode<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.rest.split_first()?;
        self.rest = rest;
        match first {
            b'%' => {
                if let [high, low, tail @ ..] = rest
                    && let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low))
                {
                    self.rest = tail;
                    return Some(high << 4 | low);
                }
                Some(b'%')
            }
            b'+' if self.plus_is_space => Some(b' '),
            _ => Some(first),
        }
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn is_unreserved(byte: u8) -> bool {
    UNRESERVED[usize::from(byte)]
}

/// `A-Z a-z 0-9 - _ . ~` as a lookup table, so scanning runs is branch-light.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

/// Appends `byte`, percent-encoded (upper-case hex) unless it is unreserved.
fn push_encoded(out: &mut Vec<u8>, byte: u8) {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    if is_unreserved(byte) {
        out.push(byte);
    } else {
        out.extend_from_slice(&[
            b'%',
            UPPER[usize::from(byte >> 4)],
            UPPER[usize::from(byte & 0xF)],
        ]);
    }
}

/// Lower-case hex of a SHA-256 sized digest, on the stack.
fn hex(bytes: &[u8; 32]) -> [u8; 64] {
    const LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0; 64];
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = LOWER[usize::from(byte >> 4)];
        pair[1] = LOWER[usize::from(byte & 0xF)];
    }
    out
}

/// Views the output of [`hex`] as text.
fn as_str(hex: &[u8; 64]) -> &str {
    std::str::from_utf8(hex).expect("hex digits are ASCII")
}

/// Turns a buffer built by the writers above into text. They only write UTF-8
/// input (`&str` pieces) and ASCII, so this cannot fail.
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("the writers only produce UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
    }

    #[test]
    fn sdk_date_before_epoch_rounds_down() {
        let time = UNIX_EPOCH - std::time::Duration::from_millis(1);
        assert_eq!(sdk_date(time), "19691231T235959Z");
    }

    #[test]
    fn decode_keeps_bad_escapes() {
        let decoded = |s: &str, plus| decode(s.as_bytes(), plus).collect::<Vec<u8>>();
        assert_eq!(decoded("a%2fb", false), b"a/b");
        assert_eq!(decoded("%zz%4%", false), b"%zz%4%");
        assert_eq!(decoded("a+b", false), b"a+b");
        assert_eq!(decoded("a+b", true), b"a b");
        assert_eq!(decoded("%C3", true), [0xC3]);
    }

    #[test]
    fn encode_leaves_only_unreserved() {
        let mut out = Vec::new();
        for byte in *b"aZ09-_.~ /+*%" {
            push_encoded(&mut out, byte);
        }
        push_encoded(&mut out, 0xFF);
        assert_eq!(out, b"aZ09-_.~%20%2F%2B%2A%25%FF");
    }

    #[test]
    fn empty_body_hash_is_sha256_of_nothing() {
        assert_eq!(EMPTY_BODY_HASH, &hex(&Sha256::digest(b"").into()));
    }

    #[test]
    fn hex_is_lowercase() {
        let mut bytes = [0; 32];
        bytes[0] = 0xAB;
        bytes[31] = 0x0F;
        let hex = hex(&bytes);
        assert!(as_str(&hex).starts_with("ab00"));
        assert!(as_str(&hex).ends_with("000f"));
    }

    #[test]
    fn headers_sort_case_insensitively_and_names_are_listed_once() {
        let headers = sorted_headers(vec![
            ("X-B", "2"),
            ("x-a", "1"),
            ("X-A", "0"),
            ("Host", "h"),
        ]);
        assert_eq!(
            headers,
            [("Host", "h"), ("X-A", "0"), ("x-a", "1"), ("X-B", "2")]
        );
        let mut signed = Vec::new();
        write_signed_headers(&mut signed, &headers);
        assert_eq!(signed, b"host;x-a;x-b");
        assert_eq!(
            date_of(&[("X-SDK-Date", " 20251202T080910Z ")]),
            Some("20251202T080910Z")
        );
        assert_eq!(date_of(&headers), None);
    }

    #[test]
    fn errors_do_not_leak_secrets() {
        let mut request =
            reqwest::Request::new(reqwest::Method::GET, "https://h/".parse().unwrap());
        let error = sign_reqwest(&mut request, "AK", "very-secret").unwrap_err();
        assert_eq!(error, SignError::MissingDate);
        assert!(!format!("{error} {error:?}").contains("very-secret"));
    }
}
