//! SDK-HMAC-SHA256 signing against the shared test vectors, plus properties of
//! the canonicalisation helpers.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dds_sessions::auth::signer::{
    ALGORITHM, SignError, SignableRequest, canonical_query, canonical_uri, sdk_date, sign,
    sign_reqwest,
};
use proptest::prelude::*;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    algorithm: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    ak: String,
    sk: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

impl Case {
    /// The query string as a client would send it, pairs in the given order.
    fn query_string(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key, true), encode(value, true)))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("&"))
    }

    fn reqwest_request(&self) -> reqwest::Request {
        let host = &self.headers["Host"];
        let query = self
            .query_string()
            .map(|query| format!("?{query}"))
            .unwrap_or_default();
        let url = format!("https://{host}{}{query}", self.path)
            .parse()
            .unwrap();
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut request = reqwest::Request::new(method, url);
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
            request
                .headers_mut()
                .insert(name, HeaderValue::from_str(value).unwrap());
        }
        if !self.body.is_empty() {
            *request.body_mut() = Some(self.body.clone().into());
        }
        request
    }
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("data/signing-vectors.json")).unwrap()
}

/// Percent-encodes everything but unreserved characters, spaces as `+` if asked.
fn encode(s: &str, space_as_plus: bool) -> String {
    let mut out = String::new();
    for byte in s.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            b' ' if space_as_plus => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[test]
fn vectors_reproduce_with_sign() {
    let vectors = vectors();
    assert_eq!(vectors.algorithm, ALGORITHM);
    assert!(!vectors.cases.is_empty());
    for case in &vectors.cases {
        let query = case.query_string();
        let headers: Vec<(&str, &str)> = case
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let request = SignableRequest {
            method: &case.method,
            path: &case.path,
            query: query.as_deref(),
            headers: &headers,
            body: case.body.as_bytes(),
        };
        let signature = sign(&case.ak, &case.sk, &request);
        let name = &case.name;
        assert_eq!(
            signature.canonical_request, case.canonical_request,
            "{name}"
        );
        assert_eq!(signature.string_to_sign, case.string_to_sign, "{name}");
        assert_eq!(signature.signature, case.signature, "{name}");
        assert_eq!(signature.authorization, case.authorization, "{name}");
        let signed_headers = case.canonical_request.split('\n').nth_back(1).unwrap();
        assert_eq!(signature.signed_headers, signed_headers, "{name}");
    }
}

#[test]
fn vectors_reproduce_with_sign_reqwest() {
    for case in &vectors().cases {
        let mut request = case.reqwest_request();
        sign_reqwest(&mut request, &case.ak, &case.sk).unwrap();
        assert_eq!(
            request.headers()["authorization"],
            case.authorization.as_str(),
            "{}",
            case.name
        );

        // Signing again (a retry) replaces the header rather than signing it.
        sign_reqwest(&mut request, &case.ak, &case.sk).unwrap();
        let values: Vec<_> = request.headers().get_all("authorization").iter().collect();
        assert_eq!(values, [case.authorization.as_str()], "{}", case.name);
    }
}

#[test]
fn sign_reqwest_rejects_what_it_cannot_sign() {
    let case = &vectors().cases[0];

    let mut request = case.reqwest_request();
    request.headers_mut().remove("x-sdk-date");
    assert_eq!(
        sign_reqwest(&mut request, &case.ak, &case.sk),
        Err(SignError::MissingDate)
    );

    let mut request = case.reqwest_request();
    let value = HeaderValue::from_bytes(b"caf\xE9").unwrap();
    request.headers_mut().insert("x-latin1", value);
    let error = sign_reqwest(&mut request, &case.ak, &case.sk).unwrap_err();
    assert_eq!(
        error,
        SignError::NonUtf8Header(HeaderName::from_static("x-latin1"))
    );

    let mut request = case.reqwest_request();
    *request.body_mut() = Some(reqwest::Body::wrap(case.body.clone()));
    assert_eq!(
        sign_reqwest(&mut request, &case.ak, &case.sk),
        Err(SignError::StreamingBody)
    );

    let mut request = case.reqwest_request();
    assert_eq!(
        sign_reqwest(&mut request, "AK\n", &case.sk),
        Err(SignError::InvalidAccessKey)
    );

    for error in [
        SignError::MissingDate,
        SignError::StreamingBody,
        SignError::InvalidAccessKey,
    ] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(&case.sk), "{shown}");
    }
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn sign_reqwest_signs_utf8_header_values_and_no_body_as_empty() {
    let url = "https://dds.example.com/v3/p/nodes/n/sessions"
        .parse()
        .unwrap();
    let mut request = reqwest::Request::new(reqwest::Method::GET, url);
    let headers = [
        ("host", "dds.example.com"),
        ("x-sdk-date", "20251202T080910Z"),
        ("x-note", "café"),
    ];
    for (name, value) in headers {
        let value = HeaderValue::from_bytes(value.as_bytes()).unwrap();
        request.headers_mut().insert(name, value);
    }
    sign_reqwest(&mut request, "AK", "SK").unwrap();

    let expected = sign(
        "AK",
        "SK",
        &SignableRequest {
            method: "GET",
            path: "/v3/p/nodes/n/sessions",
            query: None,
            headers: &headers,
            body: b"",
        },
    );
    assert_eq!(
        request.headers()["authorization"],
        expected.authorization.as_str()
    );
    assert!(expected.canonical_request.contains("\nx-note:café\n"));
}

#[test]
fn repeated_headers_are_one_signed_name_with_sorted_values() {
    let headers = [
        ("X-Tag", "b"),
        ("Host", "h"),
        ("x-tag", " a "),
        ("X-Sdk-Date", "20251202T080910Z"),
    ];
    let request = SignableRequest {
        method: "GET",
        path: "/",
        query: None,
        headers: &headers,
        body: b"",
    };
    let signature = sign("AK", "SK", &request);
    assert_eq!(signature.signed_headers, "host;x-sdk-date;x-tag");
    assert!(
        signature
            .canonical_request
            .contains("\nx-sdk-date:20251202T080910Z\nx-tag:a\nx-tag:b\n\n")
    );
}

#[test]
fn sdk_date_of_known_instants() {
    let at = |seconds: u64| UNIX_EPOCH + Duration::from_secs(seconds);
    let cases: [(SystemTime, &str); 9] = [
        (UNIX_EPOCH, "19700101T000000Z"),
        (UNIX_EPOCH - Duration::from_secs(1), "19691231T235959Z"),
        (at(253_402_300_799), "99991231T235959Z"),
        // Past the four-digit years the digits simply grow (no gateway would accept it).
        (at(253_402_300_800), "100000101T000000Z"),
        (at(1_764_662_950), "20251202T080910Z"),
        (
            at(1_764_662_950) + Duration::from_millis(999),
            "20251202T080910Z",
        ),
        (at(951_825_600), "20000229T120000Z"),
        (at(1_709_251_199), "20240229T235959Z"),
        (at(4_107_542_400), "21000301T000000Z"),
    ];
    for (time, expected) in cases {
        assert_eq!(sdk_date(time), expected);
    }
}

#[test]
fn canonical_uri_cases() {
    let cases = [
        ("", "/"),
        ("/", "/"),
        ("/v3/nodes", "/v3/nodes/"),
        ("/v3/nodes/", "/v3/nodes/"),
        ("/a b", "/a%20b/"),
        ("/a%20b", "/a%20b/"),
        ("/a+b", "/a%2Bb/"),
        ("/node%2Fid/x", "/node/id/x/"),
        ("/node%2fid", "/node/id/"),
        ("/a~b.c-d_e", "/a~b.c-d_e/"),
        ("/a%7Eb", "/a~b/"),
        ("/café/日本", "/caf%C3%A9/%E6%97%A5%E6%9C%AC/"),
        ("/caf%C3%A9", "/caf%C3%A9/"),
        ("/a*b:c@d", "/a%2Ab%3Ac%40d/"),
        ("/bad%zz%", "/bad%25zz%25/"),
        ("//double", "//double/"),
    ];
    for (path, expected) in cases {
        assert_eq!(canonical_uri(path), expected, "{path:?}");
    }
}

#[test]
fn canonical_query_cases() {
    let cases = [
        (None, ""),
        (Some(""), ""),
        (Some("&&"), ""),
        (Some("a=x+y"), "a=x%20y"),
        (Some("a=x%20y"), "a=x%20y"),
        (Some("a=x%2By"), "a=x%2By"),
        (Some("flag"), "flag="),
        (Some("flag="), "flag="),
        (Some("b=1&a=2"), "a=2&b=1"),
        (Some("k=2&k=10&k=1"), "k=1&k=10&k=2"),
        (Some("k=b&j=z&k=a"), "j=z&k=a&k=b"),
        (Some("a=1=2"), "a=1%3D2"),
        (Some("n=shop.orders~*"), "n=shop.orders~%2A"),
        (Some("n=%C3%A9&m=é"), "m=%C3%A9&n=%C3%A9"),
        (Some("n=%FF%zz"), "n=%FF%25zz"),
    ];
    for (query, expected) in cases {
        assert_eq!(canonical_query(query), expected, "{query:?}");
    }
}

/// Strings full of escapes, broken escapes and separators.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[%0-9a-fA-FzZ+&=/ é~.\u{0}]{0,40}",
        proptest::collection::vec(any::<u8>(), 0..40)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ]
}

proptest! {
    #[test]
    fn canonical_uri_round_trips_encoded_segments(segments in proptest::collection::vec("[^/]{0,12}", 0..6)) {
        let path: String = segments.iter().map(|segment| format!("/{}", encode(segment, false))).collect();
        let expected = if path.ends_with('/') { path.clone() } else { format!("{path}/") };
        prop_assert_eq!(canonical_uri(&path), expected);
    }

    #[test]
    fn canonical_query_ignores_pair_order(
        (pairs, shuffled) in proptest::collection::vec((any::<String>(), any::<String>()), 0..8)
            .prop_flat_map(|pairs| (Just(pairs.clone()), Just(pairs).prop_shuffle()))
    ) {
        let query = |pairs: &[(String, String)]| -> String {
            pairs.iter().map(|(k, v)| format!("{}={}", encode(k, true), encode(v, true))).collect::<Vec<_>>().join("&")
        };
        prop_assert_eq!(canonical_query(Some(&query(&pairs))), canonical_query(Some(&query(&shuffled))));
    }

    #[test]
    fn arbitrary_paths_and_queries_never_panic(path in tricky_string(), query in tricky_string()) {
        let uri = canonical_uri(&path);
        prop_assert!(uri.ends_with('/'));
        prop_assert!(uri.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%/".contains(&b)));
        let canonical = canonical_query(Some(&query));
        prop_assert!(canonical.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%=&".contains(&b)));

        let headers = [("Host", "h"), ("X-Sdk-Date", "20251202T080910Z")];
        let request = SignableRequest { method: "GET", path: &path, query: Some(&query), headers: &headers, body: b"" };
        let signature = sign("AK", "SK", &request);
        prop_assert_eq!(signature.signature.len(), 64);
    }
}
