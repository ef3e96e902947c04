//! Properties of the parsers the client runs on bytes it does not control, of signing's
//! canonicalisation, and of paging (issue 7 §5).
//!
//! Every property honours `PROPTEST_CASES`. The default run keeps to a few seconds; the
//! `#[ignore]`d `long_run_*` tests repeat the parser properties with many more cases:
//!
//! ```sh
//! cargo test --test properties -- --ignored          # 200 000 cases per parser
//! PROPTEST_CASES=2000000 cargo test --release --test properties -- --ignored
//! ```
//!
//! `tests/signing.rs` already checks that encoded segments round-trip, that pair order does not
//! matter and that arbitrary input never panics; the properties here check the canonical form
//! against a model of the documented decoding rules, for arbitrary Unicode.

mod common;

use std::time::Duration;

use dds_sessions::fuzzing::{canonicalise, credentials_file, error_body, list_page};
use futures_util::TryStreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// A model of the signer's documented rules (src/auth/signer.rs, "Decoding rules").

/// Percent-decodes leniently: a `%` that does not start a valid escape is a literal `%`; `+` is
/// a space if `plus_is_space`.
fn lenient_decode(raw: &[u8], plus_is_space: bool) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'%' if i + 2 < raw.len() && hex(raw[i + 1]).is_some() && hex(raw[i + 2]).is_some() => {
                out.push(hex(raw[i + 1]).unwrap() << 4 | hex(raw[i + 2]).unwrap());
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Decodes a canonical component, in which every `%` must start an upper-case escape and
/// every other byte must be unreserved (or `/` in a URI).
fn strict_decode(canonical: &str, allow_slash: bool) -> Result<Vec<u8>, TestCaseError> {
    let bytes = canonical.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let escape = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| {
                        h.iter()
                            .all(|b| b.is_ascii_digit() || b"ABCDEF".contains(b))
                    })
                    .ok_or_else(|| {
                        TestCaseError::fail(format!("bad escape at {i} in {canonical:?}"))
                    })?;
                let escape = std::str::from_utf8(escape).unwrap();
                out.push(u8::from_str_radix(escape, 16).unwrap());
                i += 3;
            }
            b'/' if allow_slash => {
                out.push(b'/');
                i += 1;
            }
            byte if is_unreserved(byte) => {
                out.push(byte);
                i += 1;
            }
            byte => {
                return Err(TestCaseError::fail(format!(
                    "unescaped byte {byte:#04x} in {canonical:?}"
                )));
            }
        }
    }
    Ok(out)
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte)
}

/// RFC 3986 unreserved-only encoding: everything else as `%XX`, upper-case hex.
fn encode_unreserved(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if is_unreserved(b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// How a client might encode a query component: spaces as `+` or `%20`, unreserved characters
/// escaped or not, lower- or upper-case hex.
#[derive(Clone, Copy, Debug)]
struct Encoding {
    space_as_plus: bool,
    escape_unreserved: bool,
    lower_hex: bool,
}

fn encoding() -> impl Strategy<Value = Encoding> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(space_as_plus, escape_unreserved, lower_hex)| Encoding {
            space_as_plus,
            escape_unreserved,
            lower_hex,
        },
    )
}

fn encode_with(s: &str, how: Encoding) -> String {
    let mut out = String::new();
    for byte in s.bytes() {
        if byte == b' ' && how.space_as_plus {
            out.push('+');
        } else if is_unreserved(byte) && !how.escape_unreserved {
            out.push(char::from(byte));
        } else if how.lower_hex {
            out.push_str(&format!("%{byte:02x}"));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Unicode text weighted towards the characters that matter to encoding.
fn unicode() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 ~._*+%&=/?#é日本\u{1F600}\u{0}\u{7F}-]{0,16}",
    ]
}

// ---------------------------------------------------------------------------------------------
// (1) Canonical URI and query.

proptest! {
    /// Decoding the canonical query gives back exactly the pairs sent, sorted by key then
    /// value, whatever the encoding the sender chose.
    #[test]
    fn canonical_query_decodes_to_the_sorted_input_pairs(
        pairs in proptest::collection::vec((unicode(), unicode()), 0..8),
        how in encoding(),
    ) {
        let query = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_with(k, how), encode_with(v, how)))
            .collect::<Vec<_>>()
            .join("&");
        let (_, canonical) = canonicalise("/", Some(&query));

        let mut decoded = Vec::new();
        for piece in canonical.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = piece.split_once('=').expect("every canonical pair has a `=`");
            prop_assert_eq!(encode_unreserved(&strict_decode(key, false)?), key);
            prop_assert_eq!(encode_unreserved(&strict_decode(value, false)?), value);
            decoded.push((
                String::from_utf8(strict_decode(key, false)?).unwrap(),
                String::from_utf8(strict_decode(value, false)?).unwrap(),
            ));
        }
        let mut expected = pairs;
        expected.sort();
        prop_assert_eq!(decoded, expected);
    }

    /// For any raw query string (broken escapes, bare keys, empty pieces), the canonical query
    /// is the documented model: split on `&`, skip empty pieces, split at the first `=`,
    /// decode leniently, sort, re-encode unreserved-only. Canonicalising is idempotent.
    #[test]
    fn canonical_query_of_any_raw_string_follows_the_rules(query in unicode()) {
        let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = query
            .as_bytes()
            .split(|&b| b == b'&')
            .filter(|piece| !piece.is_empty())
            .map(|piece| match piece.iter().position(|&b| b == b'=') {
                Some(i) => (lenient_decode(&piece[..i], true), lenient_decode(&piece[i + 1..], true)),
                None => (lenient_decode(piece, true), Vec::new()),
            })
            .collect();
        pairs.sort();
        let expected = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_unreserved(k), encode_unreserved(v)))
            .collect::<Vec<_>>()
            .join("&");
        let (_, canonical) = canonicalise("/", Some(&query));
        prop_assert_eq!(&canonical, &expected);
        prop_assert_eq!(canonicalise("/", Some(&canonical)).1, canonical);
    }

    /// For any path — raw Unicode, encoded or broken — each canonical segment is the
    /// unreserved-only encoding of its decoded bytes, the whole decodes to the decoded path
    /// (with a `/` appended unless it ends in one), and canonicalising is idempotent.
    #[test]
    fn canonical_uri_segments_are_unreserved_encodings_of_the_decoded_path(
        segments in proptest::collection::vec(unicode(), 0..6),
        how in encoding(),
        encode_first in any::<bool>(),
    ) {
        let path: String = segments
            .iter()
            .map(|s| if encode_first { format!("/{}", encode_with(s, how)) } else { format!("/{s}") })
            .collect();
        let (uri, _) = canonicalise(&path, None);

        prop_assert!(uri.ends_with('/'));
        for segment in uri.split('/') {
            prop_assert_eq!(encode_unreserved(&strict_decode(segment, false)?), segment);
        }
        let mut expected = lenient_decode(path.as_bytes(), false);
        if expected.last() != Some(&b'/') {
            expected.push(b'/');
        }
        prop_assert_eq!(strict_decode(&uri, true)?, expected);
        prop_assert_eq!(canonicalise(&uri, None).0, uri);
    }
}

// ---------------------------------------------------------------------------------------------
// (2) Error and list bodies: any bytes give a value or a typed error, never a panic.

/// Bytes that are JSON-ish more often than uniformly random bytes would be.
fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        "[{}\\[\\]\":,0-9a-z_ \\\\né\u{0}-]{0,64}".prop_map(String::into_bytes),
        arbitrary_json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

/// Any JSON value, a few levels deep.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        unicode().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(page_key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Object keys that the parsers look for, and others.
fn page_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("total_count".to_string()),
        Just("sessions".to_string()),
        Just("id".to_string()),
        Just("active".to_string()),
        Just("cost_time".to_string()),
        Just("error_code".to_string()),
        Just("error_msg".to_string()),
        Just("request_id".to_string()),
        Just("error".to_string()),
        unicode(),
    ]
}

/// A JSON value for a field of a session: usually the right type, sometimes not.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        12 => unicode().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => arbitrary_json(),
    ]
}

/// The optional fields of a session.
const SESSION_FIELDS: &[&str] = &[
    "active",
    "type",
    "cost_time",
    "namespace",
    "plan_summary",
    "host",
    "client",
    "user",
    "db",
    "operation",
    "description",
];

/// An object shaped like a session: usually a string `id`, and some other fields, any types.
fn session_like() -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        8 => unicode().prop_map(|id| Some(Value::String(id))),
        1 => field_value().prop_map(Some),
        1 => Just(None),
    ];
    let others = proptest::collection::vec(
        (proptest::sample::select(SESSION_FIELDS), field_value()),
        0..6,
    );
    (id, others).prop_map(|(id, others)| {
        let mut session: serde_json::Map<String, Value> = others
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect();
        if let Some(id) = id {
            session.insert("id".into(), id);
        }
        Value::Object(session)
    })
}

/// An object shaped like a `ListSessions` page, with a total that may be negative, fractional,
/// huge or not a number, and sessions that may be malformed.
fn page_like() -> impl Strategy<Value = Value> {
    let total = prop_oneof![
        any::<i32>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        field_value(),
    ];
    let sessions = prop_oneof![
        4 => proptest::collection::vec(session_like(), 0..6).prop_map(Value::Array),
        1 => arbitrary_json(),
    ];
    (
        proptest::option::weighted(0.95, total),
        proptest::option::weighted(0.95, sessions),
    )
        .prop_map(|(total, sessions)| {
            let mut page = serde_json::Map::new();
            if let Some(total) = total {
                page.insert("total_count".into(), total);
            }
            if let Some(sessions) = sessions {
                page.insert("sessions".into(), sessions);
            }
            Value::Object(page)
        })
}

/// What a well-typed page must parse to; `None` when it is not well typed.
fn expected_page(page: &Value) -> Option<(u64, Vec<String>)> {
    let total = i32::try_from(page.get("total_count")?.as_i64()?).ok()?;
    let mut ids = Vec::new();
    for session in page.get("sessions")?.as_array()? {
        let session = session.as_object()?;
        for (name, value) in session {
            let well_typed = match name.as_str() {
                "active" => value.is_boolean() || value.is_null(),
                _ => value.is_string() || value.is_null(),
            };
            if !well_typed {
                return None;
            }
        }
        ids.push(session.get("id")?.as_str()?.to_string());
    }
    Some((u64::try_from(total).unwrap_or(0), ids))
}

fn check_error_body(body: &[u8]) -> Result<(), TestCaseError> {
    let (code, message, request_id) = error_body(body);
    let text = String::from_utf8_lossy(body);
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body.trim_ascii())
        && let (Some(Value::String(c)), Some(Value::String(m))) =
            (map.get("error_code"), map.get("error_msg"))
    {
        prop_assert_eq!(code.as_deref(), Some(c.as_str()));
        prop_assert_eq!(message.as_deref(), Some(m.as_str()));
        if let Some(Value::String(id)) = map.get("request_id") {
            prop_assert_eq!(request_id.as_deref(), Some(id.as_str()));
        }
    } else if !text.trim().is_empty() {
        // Whatever it is, the status is kept with *something* to show.
        prop_assert!(code.is_some() || message.is_some(), "{text:?}");
    }
    Ok(())
}

fn check_list_page(body: &[u8]) -> Result<(), TestCaseError> {
    match list_page(body) {
        Ok(page) => prop_assert!(page.total_count <= i32::MAX as u64),
        Err(message) => prop_assert!(!message.is_empty()),
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_bytes_as_an_error_body_give_parts_never_a_panic(body in body_bytes()) {
        check_error_body(&body)?;
    }

    #[test]
    fn error_bodies_in_the_documented_form_are_read_back(
        code in unicode(), message in unicode(), request_id in proptest::option::of(unicode()),
        nested in any::<bool>(),
    ) {
        let mut inner = json!({"error_code": code, "error_msg": message});
        if let Some(id) = &request_id {
            inner["request_id"] = json!(id);
        }
        let body = if nested { json!({"error": inner}) } else { inner };
        let (c, m, r) = error_body(body.to_string().as_bytes());
        prop_assert_eq!(c, Some(code));
        prop_assert_eq!(m, Some(message));
        prop_assert_eq!(r, request_id);
    }

    #[test]
    fn any_bytes_as_a_list_body_give_a_page_or_an_error(body in body_bytes()) {
        check_list_page(&body)?;
    }

    /// Page-shaped JSON: a page exactly when it is well typed, with its total (negative as 0)
    /// and its sessions in order.
    #[test]
    fn page_shaped_json_parses_exactly_when_well_typed(page in page_like()) {
        let result = list_page(page.to_string().as_bytes());
        match (expected_page(&page), result) {
            (Some((total, ids)), Ok(parsed)) => {
                prop_assert_eq!(parsed.total_count, total);
                let parsed_ids: Vec<&str> = parsed.sessions.iter().map(|s| s.id.as_str()).collect();
                prop_assert_eq!(parsed_ids, ids);
            }
            (None, Err(_)) => {}
            (expected, result) => prop_assert!(false, "{page} expected {expected:?}, got {result:?}"),
        }
    }

    #[test]
    fn any_text_as_a_credentials_file_gives_sections_or_a_line_error(text in unicode()) {
        if let Err(message) = credentials_file(&text) {
            prop_assert!(message.starts_with("line "), "{message}");
        }
    }
}

/// The parser properties with many more cases; run with `--ignored` (see the module docs).
mod long_run {
    use super::*;

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(200_000)
    }

    proptest! {
        #![proptest_config(Config { cases: cases(), failure_persistence: None, ..Config::default() })]

        #[test]
        #[ignore = "long run: cargo test --test properties -- --ignored"]
        fn long_run_error_body(body in body_bytes()) {
            check_error_body(&body)?;
        }

        #[test]
        #[ignore = "long run: cargo test --test properties -- --ignored"]
        fn long_run_list_page(body in body_bytes()) {
            check_list_page(&body)?;
        }

        #[test]
        #[ignore = "long run: cargo test --test properties -- --ignored"]
        fn long_run_credentials_file(text in unicode()) {
            let _ = credentials_file(&text);
        }

        #[test]
        #[ignore = "long run: cargo test --test properties -- --ignored"]
        fn long_run_canonicalise(path in unicode(), query in unicode()) {
            let (uri, canonical) = canonicalise(&path, Some(&query));
            prop_assert!(strict_decode(&uri, true).is_ok());
            prop_assert_eq!(canonicalise("/", Some(&canonical)).1, canonical);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (3) Paging: no gaps, no duplicates, the fewest requests.

/// For any number of sessions, page size and concurrency, the stream yields every served id
/// once, in order, in max(1, ceil(N/k)) requests each asking for its own page.
#[test]
fn paging_streams_every_session_once_in_order() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Each case serves up to 300 requests; 64 cases unless PROPTEST_CASES says otherwise.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let outcome = runner.run(
        &(0usize..=300, 1u32..=20, 1usize..=8),
        |(total, page_size, concurrency)| {
            runtime.block_on(check_paging(total, page_size, concurrency))
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

async fn check_paging(
    total: usize,
    page_size: u32,
    concurrency: usize,
) -> Result<(), TestCaseError> {
    let served: Vec<Value> = (0..total)
        .map(|i| common::session_json(i, i % 3 != 0))
        .collect();
    let server = common::TestServer::start(common::pages_of(served)).await;
    let client = common::builder(&server, dds_sessions::Credentials::token(common::TOKEN))
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .node(common::NODE)
        .sessions()
        .limit(page_size)
        .concurrency(concurrency)
        .stream()
        .map_ok(|session| session.id.clone())
        .try_collect()
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;

    let expected: Vec<String> = (0..total).map(|i| i.to_string()).collect();
    prop_assert_eq!(ids, expected);

    let requests = server.requests();
    let pages = total.div_ceil(page_size as usize).max(1);
    prop_assert_eq!(requests.len(), pages);
    let mut offsets: Vec<usize> = requests
        .iter()
        .map(|r| {
            let query = r.query.clone().unwrap_or_default();
            let param = |name: &str| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                    .map(str::to_string)
            };
            assert_eq!(param("limit"), Some(page_size.to_string()), "{query}");
            param("offset").map_or(0, |o| o.parse().unwrap())
        })
        .collect();
    offsets.sort_unstable();
    let expected_offsets: Vec<usize> = (0..pages).map(|p| p * page_size as usize).collect();
    prop_assert_eq!(offsets, expected_offsets);
    Ok(())
}
