//! Wire-level contract tests: what the client sends, and what it makes of what it is answered,
//! judged by `spec/dds-sessions.yaml` itself.
//!
//! The judge (`tests/support/contract.rs`) is built at test time from the YAML with `openapiv3`
//! and `jsonschema` (through the OpenAPI → JSON Schema converter of `tests/support/openapi.rs`).
//! It shares nothing with the generated client nor with the mock's own validator, so a mistake
//! in either cannot vouch for itself.
//!
//! 1. **Requests ⇔ spec**: inputs drawn from the spec's own constraints, sent by
//!    `dds_sessions::Client` (token and AK/SK) to a recording server; every request judged, and
//!    its decoded parameters and body compared with the inputs.
//! 2. **Responses ⇔ client**: every answer the spec documents is served (its success examples,
//!    each error status in each Huawei body form) and the typed result checked; answers that break
//!    the spec become `Error::InvalidResponse`, status kept.
//! 3. **The seed's example**, byte for byte, through the layer and through the raw client.
//! 4. **What the spec forbids** is refused by the client before sending, and by the mock.
//! 5. **The mock's own answers** are judged like the client's requests.
//!
//! `PROPTEST_CASES` sets the number of cases of each property (64 by default).
#![cfg(feature = "mock")]

mod common;
#[path = "support/contract.rs"]
mod contract;
#[path = "support/openapi.rs"]
mod openapi;

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::{NODE, PROJECT, Recorded, Reply, SK, TOKEN, TestServer};
use contract::{Contract, Location, OperationContract, WireRequest};
use dds_sessions::generated::types::{DeleteSessionRequestBody, ErrorResponse};
use dds_sessions::mock::MockServer;
use dds_sessions::{Client, Credentials, Error, RetryConfig, SessionQuery};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestCaseResult, TestRunner};
use serde_json::{Value, json};

// =============================================================================================
// The judge, the runner, the inputs
// =============================================================================================

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(Contract::load)
}

fn wire(request: &Recorded) -> WireRequest<'_> {
    WireRequest {
        method: &request.method,
        path: &request.path,
        query: request.query.as_deref(),
        headers: &request.headers,
        body: &request.body,
    }
}

/// The spec's verdict on a request the client sent; a failed case if it breaks the spec.
fn judged(request: &Recorded) -> Result<contract::Matched, TestCaseError> {
    contract()
        .check_request(&wire(request))
        .map_err(|violations| {
            TestCaseError::fail(format!(
                "{} {}?{} breaks the spec:\n  {}\nbody: {}",
                request.method,
                request.path,
                request.query.as_deref().unwrap_or(""),
                violations.join("\n  "),
                String::from_utf8_lossy(&request.body)
            ))
        })
}

/// Cases per property; `PROPTEST_CASES` overrides it.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64)
}

/// Runs a property; a failure panics with the label and the shrunk input.
fn check<S: Strategy>(label: &str, strategy: &S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(failure) = TestRunner::new(config).run(strategy, test) {
        panic!("{label}: {failure}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A recording server that answers `body` with 200 and hands each request over once: the
/// properties run thousands of cases, and `TestServer::requests` copies every request so far.
struct Tap {
    server: TestServer,
    taken: Arc<Mutex<Vec<Recorded>>>,
}

impl Tap {
    async fn start(body: &'static str) -> Tap {
        let taken = Arc::new(Mutex::new(Vec::new()));
        let sink = taken.clone();
        let server = TestServer::start(Reply::with(move |request| {
            sink.lock().unwrap().push(request.clone());
            Reply::json(200, body)
        }))
        .await;
        Tap { server, taken }
    }

    /// The requests received since the last call.
    fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.taken.lock().unwrap())
    }
}

/// Both kinds of credentials the client signs requests with.
fn credentials() -> [(&'static str, Credentials); 2] {
    [
        ("token", Credentials::token(TOKEN)),
        ("AK/SK", common::aksk()),
    ]
}

/// What each kind of credentials puts on the wire (the spec's `info.description`).
fn check_authentication(kind: &str, request: &Recorded) -> TestCaseResult {
    prop_assert_eq!(request.header("x-project-id"), Some(PROJECT));
    if kind == "token" {
        prop_assert_eq!(request.header("x-auth-token"), Some(TOKEN));
        prop_assert_eq!(request.header("authorization"), None);
    } else {
        prop_assert_eq!(request.header("x-auth-token"), None);
        prop_assert!(request.header("x-sdk-date").is_some());
        common::verify_signature(request, SK).map_err(TestCaseError::fail)?;
    }
    Ok(())
}

fn path_params(node: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("project_id".to_owned(), PROJECT.to_owned()),
        ("node_id".to_owned(), node.to_owned()),
    ])
}

/// Characters that URL encoding, form encoding, JSON or signing could get wrong.
const AWKWARD: &[char] = &[
    ' ', '+', '/', '&', '=', '%', '?', '#', ';', ',', ':', '@', '$', '!', '\'', '(', ')', '*', '~',
    '.', '-', '_', '"', '\\', '<', '>', '[', ']', '{', '}', '|', '^', '`', 'é', 'ß', '中', '😀',
    '\u{a0}', '\u{2028}', '\u{feff}',
];

fn awkward_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => select(AWKWARD),
        3 => proptest::char::range('a', 'z'),
        3 => any::<char>().prop_filter("no control characters", |c| !c.is_control()),
    ]
}

fn text(length: RangeInclusive<usize>) -> impl Strategy<Value = String> {
    vec(awkward_char(), length).prop_map(String::from_iter)
}

/// Any non-empty node id without control characters that is not `.` or `..` and holds none of
/// [`REFUSED_IN_NODE_IDS`].
fn node_id() -> impl Strategy<Value = String> {
    text(1..=24)
        .prop_filter("`.` and `..` are refused", |id| id != "." && id != "..")
        .prop_filter("refused by the layer", |id| {
            !id.contains(REFUSED_IN_NODE_IDS)
        })
}

/// Characters the layer refuses in a node id because the generated client would send the
/// request to another path: see [`a_backslash_in_a_node_id_stays_in_its_segment`].
const REFUSED_IN_NODE_IDS: &[char] = &['\\'];

/// Integers of `range`, its ends more often than chance would pick them.
fn within(range: RangeInclusive<i64>) -> BoxedStrategy<i64> {
    let (low, high) = (*range.start(), *range.end());
    prop_oneof![1 => Just(low), 1 => Just(high), 4 => range].boxed()
}

fn as_u32(n: i64) -> u32 {
    u32::try_from(n).expect("the spec's bound fits the layer's u32")
}

/// The judge itself: a request that follows the spec passes, and each way of breaking it is
/// caught and named. Without this, a lenient judge would let every test below pass.
#[test]
fn the_judge_catches_each_way_of_breaking_the_spec() {
    let list = format!("/v3/{PROJECT}/nodes/{NODE}/sessions");
    let kill = format!("/v3/{PROJECT}/nodes/{NODE}/session");
    let token = vec![("x-auth-token".to_owned(), TOKEN.to_owned())];
    let json_token = {
        let mut headers = token.clone();
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        headers
    };
    let signed = vec![("authorization".to_owned(), "SDK-HMAC-SHA256 …".to_owned())];
    let no_headers = Vec::new();
    let request = |method, path: &str, query, headers, body: &'static str| {
        (method, path.to_owned(), query, headers, body)
    };
    let good = [
        request("GET", &list, None, &token, ""),
        request(
            "GET",
            &list,
            Some("limit=20&offset=0&namespace=a+b%2Bc"),
            &token,
            "",
        ),
        request("GET", &list, Some(""), &signed, ""),
        request("POST", &kill, None, &json_token, r#"{"sessions":["1"]}"#),
        request(
            "GET",
            &format!("/v3/{PROJECT}/nodes/a%2Fb%20c/sessions"),
            None,
            &token,
            "",
        ),
    ];
    for (method, path, query, headers, body) in good {
        let wire = WireRequest {
            method,
            path: &path,
            query,
            headers,
            body: body.as_bytes(),
        };
        if let Err(violations) = contract().check_request(&wire) {
            panic!("{method} {path}?{query:?}: {violations:?}");
        }
    }
    let bad = [
        (
            request("POST", &list, None, &json_token, ""),
            "not an operation",
        ),
        (
            request("GET", &format!("{list}z"), None, &token, ""),
            "no path",
        ),
        (
            request(
                "GET",
                &format!("/v3/{PROJECT}/nodes//sessions"),
                None,
                &token,
                "",
            ),
            "no path",
        ),
        (
            request(
                "GET",
                &format!("/v3/{PROJECT}/nodes/a%zz/sessions"),
                None,
                &token,
                "",
            ),
            "percent escape",
        ),
        (
            request(
                "GET",
                &format!("/v3/{PROJECT}/nodes/%ff/sessions"),
                None,
                &token,
                "",
            ),
            "UTF-8",
        ),
        (
            request("GET", &list, Some("limit=5&foo=1"), &token, ""),
            "foo",
        ),
        (
            request("GET", &list, Some("limit=5&limit=6"), &token, ""),
            "repeated",
        ),
        (request("GET", &list, Some("limit=21"), &token, ""), "limit"),
        (
            request("GET", &list, Some("offset=-1"), &token, ""),
            "offset",
        ),
        (
            request("GET", &list, Some("limit=%2B5"), &token, ""),
            "not an integer",
        ),
        (
            request("GET", &list, Some("limit=5.0"), &token, ""),
            "not an integer",
        ),
        (
            request("GET", &list, Some("cost_time=2147483648"), &token, ""),
            "int32",
        ),
        (request("GET", &list, Some("limit"), &token, ""), "no `=`"),
        (
            request("GET", &list, None, &json_token, "{}"),
            "no request body",
        ),
        (request("GET", &list, None, &no_headers, ""), "security"),
        (
            request("POST", &kill, None, &token, r#"{"sessions":["1"]}"#),
            "Content-Type",
        ),
        (request("POST", &kill, None, &json_token, "{"), "not JSON"),
        (
            request("POST", &kill, None, &json_token, r#"{"sessions":[1]}"#),
            "/sessions/0",
        ),
        (
            request("POST", &kill, None, &json_token, r#"{"sessions":[]}"#),
            "/sessions",
        ),
        (request("POST", &kill, None, &json_token, "{}"), "sessions"),
        (request("POST", &kill, None, &json_token, ""), "required"),
        (
            request(
                "POST",
                &kill,
                Some("limit=5"),
                &json_token,
                r#"{"sessions":["1"]}"#,
            ),
            "limit",
        ),
    ];
    for ((method, path, query, headers, body), named) in bad {
        let wire = WireRequest {
            method,
            path: &path,
            query,
            headers,
            body: body.as_bytes(),
        };
        let label = format!("{method} {path}?{query:?} {body}");
        let violations = contract().check_request(&wire).expect_err(&label);
        assert!(
            violations.iter().any(|v| v.contains(named)),
            "{label}: {violations:?}"
        );
    }

    let example = contract().operation("ListSessions").responses[&200].examples[0]
        .1
        .to_string();
    let json = Some("application/json");
    let answers = [
        ("ListSessions", 200, json, example.as_str(), None),
        (
            "ListSessions",
            429,
            json,
            r#"{"error_code":"APIGW.0308"}"#,
            None,
        ),
        ("DeleteSession", 200, json, "{}", None),
        ("ListSessions", 418, json, "{}", Some("documents no 418")),
        (
            "ListSessions",
            200,
            Some("text/html"),
            example.as_str(),
            Some("Content-Type"),
        ),
        (
            "ListSessions",
            200,
            json,
            r#"{"sessions":[]}"#,
            Some("total_count"),
        ),
        (
            "ListSessions",
            400,
            json,
            r#"{"error_code":7}"#,
            Some("error_code"),
        ),
        ("DeleteSession", 200, json, "[]", Some("object")),
    ];
    for (operation, status, content_type, body, named) in answers {
        let verdict = contract().check_response(operation, status, content_type, body.as_bytes());
        match named {
            None => assert!(verdict.is_ok(), "{operation} {status} {body}: {verdict:?}"),
            Some(named) => {
                let why = verdict.expect_err(body);
                assert!(why.contains(named), "{operation} {status} {body}: {why}");
            }
        }
    }
}

// =============================================================================================
// 1. Requests ⇔ spec
// =============================================================================================

/// A listing, as the layer is asked for it.
#[derive(Clone, Debug)]
struct ListInput {
    node: String,
    offset: Option<u32>,
    limit: Option<u32>,
    plan_summary: Option<String>,
    op_type: Option<String>,
    namespace: Option<String>,
    /// Whole microseconds, and nanoseconds below one microsecond that must be dropped.
    min_cost: Option<(i64, u32)>,
}

impl ListInput {
    /// Drawn from the spec: `offset`, `limit` and `cost_time` within their bounds.
    fn strategy(op: &OperationContract) -> impl Strategy<Value = ListInput> + use<> {
        let bounds = |name| op.parameter(Location::Query, name).integer_range();
        (
            node_id(),
            proptest::option::of(within(bounds("offset")).prop_map(as_u32)),
            proptest::option::of(within(bounds("limit")).prop_map(as_u32)),
            proptest::option::of(text(0..=16)),
            proptest::option::of(text(0..=16)),
            proptest::option::of(text(0..=16)),
            proptest::option::of((within(bounds("cost_time")), 0..1000_u32)),
        )
            .prop_map(
                |(node, offset, limit, plan_summary, op_type, namespace, min_cost)| ListInput {
                    node,
                    offset,
                    limit,
                    plan_summary,
                    op_type,
                    namespace,
                    min_cost,
                },
            )
    }

    fn query(&self, client: &Client) -> SessionQuery {
        let mut query = client.node(&self.node).sessions();
        if let Some(offset) = self.offset {
            query = query.offset(offset);
        }
        if let Some(limit) = self.limit {
            query = query.limit(limit);
        }
        if let Some(plan) = &self.plan_summary {
            query = query.plan_summary(plan);
        }
        if let Some(op_type) = &self.op_type {
            query = query.op_type(op_type);
        }
        if let Some(namespace) = &self.namespace {
            query = query.namespace(namespace);
        }
        if let Some((micros, nanos)) = self.min_cost {
            let cost = Duration::from_micros(micros as u64) + Duration::from_nanos(nanos.into());
            query = query.min_cost(cost);
        }
        query
    }

    /// The query parameters the spec names, as they must arrive (decoded).
    fn expected_query(&self) -> BTreeMap<String, String> {
        [
            ("offset", self.offset.map(|n| n.to_string())),
            ("limit", self.limit.map(|n| n.to_string())),
            ("plan_summary", self.plan_summary.clone()),
            ("type", self.op_type.clone()),
            ("namespace", self.namespace.clone()),
            (
                "cost_time",
                self.min_cost.map(|(micros, _)| micros.to_string()),
            ),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value?)))
        .collect()
    }
}

#[test]
fn list_sessions_requests_follow_the_spec() {
    let op = contract().operation("ListSessions");
    // Every query parameter of the spec is drawn: one added to the spec must be added here.
    assert_eq!(
        op.parameter_names(Location::Query),
        BTreeSet::from([
            "cost_time",
            "limit",
            "namespace",
            "offset",
            "plan_summary",
            "type"
        ])
    );
    let strategy = ListInput::strategy(op);
    let runtime = runtime();
    let empty = r#"{"total_count":0,"sessions":[]}"#;
    let tap = runtime.block_on(Tap::start(empty));
    for (kind, credentials) in credentials() {
        let client = common::client(&tap.server, credentials);
        check(&format!("ListSessions, {kind}"), &strategy, |input| {
            let page = runtime
                .block_on(input.query(&client).page())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(page.total_count, 0);
            let requests = tap.take();
            prop_assert_eq!(requests.len(), 1, "one request per page");
            let request = &requests[0];
            let matched = judged(request)?;
            prop_assert_eq!(matched.operation_id, "ListSessions");
            prop_assert_eq!(matched.path, path_params(&input.node));
            prop_assert_eq!(matched.query, input.expected_query());
            check_authentication(kind, request)
        });
    }
}

/// A kill, as the layer is asked for it.
#[derive(Clone, Debug)]
struct KillInput {
    node: String,
    ids: Vec<String>,
}

impl KillInput {
    /// From the spec's `minItems` to 50 ids, any non-empty text without control characters,
    /// some repeated.
    fn strategy() -> impl Strategy<Value = KillInput> {
        let body = &contract().raw["components"]["schemas"]["DeleteSessionRequestBody"];
        let min_items = body["properties"]["sessions"]["minItems"].as_u64();
        let fewest = min_items.unwrap_or(0).max(1) as usize;
        let id = prop_oneof![3 => text(1..=12), 1 => (1..100_000_u32).prop_map(|n| n.to_string())];
        (node_id(), vec(id, fewest..=50), vec(any::<Index>(), 0..3)).prop_map(
            |(node, mut ids, repeats)| {
                for index in repeats {
                    let again = index.get(&ids).clone();
                    ids.push(again);
                }
                KillInput { node, ids }
            },
        )
    }

    /// The ids in their first order, each once: what the body must carry.
    fn unique(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.ids
            .iter()
            .filter(|id| seen.insert(id.as_str()))
            .cloned()
            .collect()
    }
}

#[test]
fn delete_session_requests_follow_the_spec() {
    assert!(contract().operation("DeleteSession").body.is_some());
    let strategy = KillInput::strategy();
    let runtime = runtime();
    let tap = runtime.block_on(Tap::start("{}"));
    for (kind, credentials) in credentials() {
        let client = common::client(&tap.server, credentials);
        check(&format!("DeleteSession, {kind}"), &strategy, |input| {
            let report = runtime
                .block_on(client.node(&input.node).kill(input.ids.clone()).send())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(report.is_complete(), "{:?}", report.failed);
            prop_assert_eq!(&report.killed, &input.unique());
            let requests = tap.take();
            prop_assert_eq!(requests.len(), 1, "50 ids are one batch");
            let request = &requests[0];
            let matched = judged(request)?;
            prop_assert_eq!(matched.operation_id, "DeleteSession");
            prop_assert_eq!(matched.path, path_params(&input.node));
            prop_assert!(matched.query.is_empty(), "{:?}", matched.query);
            prop_assert_eq!(request.json(), json!({ "sessions": input.unique() }));
            check_authentication(kind, request)
        });
    }
}

/// Known bug: progenitor's `encode_path` leaves `\` as it is, and the URL parser (WHATWG, as
/// for every `http(s)` URL) reads it as `/`. A node id holding a backslash becomes several path
/// segments, and `..` among them climbs out of `nodes/`: `other\..\..\nodes\victim` is sent to
/// node `victim`. `ids::node_id` accepts such ids; the fix belongs in the generated path encoding
/// (or in refusing them), not in this test.
#[tokio::test]
async fn a_backslash_in_a_node_id_stays_in_its_segment() {
    let tap = Tap::start("{}").await;
    let client = common::client(&tap.server, Credentials::token(TOKEN));
    for node in ["\\", "a\\b", "other\\..\\..\\nodes\\victim"] {
        let outcome = client.node(node).kill(["34631"]).await;
        let requests = tap.take();
        match outcome {
            // Refusing the id before sending would be a fix too.
            Err(error) => assert!(error.is_before_sending(), "{node:?}: {error}"),
            Ok(_) => {
                let matched = judged(&requests[0]).unwrap_or_else(|e| panic!("{node:?}: {e}"));
                assert_eq!(matched.path, path_params(node), "{node:?}");
            }
        }
    }
}

// =============================================================================================
// 2. Responses ⇔ client
// =============================================================================================

/// The two operations, as the layer calls them.
#[derive(Clone, Copy, Debug)]
enum Op {
    List,
    Kill,
}

impl Op {
    const ALL: [Op; 2] = [Op::List, Op::Kill];

    fn id(self) -> &'static str {
        match self {
            Op::List => "ListSessions",
            Op::Kill => "DeleteSession",
        }
    }

    /// Calls the operation through the layer: the page, or the kill's one failure.
    async fn call(self, client: &Client) -> Result<Option<dds_sessions::SessionPage>, Error> {
        match self {
            Op::List => client.node(NODE).sessions().page().await.map(Some),
            Op::Kill => {
                let mut report = client.node(NODE).kill(["34631"]).await?;
                match report.failed.pop() {
                    Some(failed) => Err(failed.error),
                    None => Ok(None),
                }
            }
        }
    }
}

/// A client that sees every answer as it came: no retries.
fn without_retries(server: &TestServer) -> Client {
    common::builder(server, Credentials::token(TOKEN))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_success_example_becomes_a_typed_value() {
    let server = TestServer::start(Reply::json(599, "{}")).await;
    let client = without_retries(&server);

    let list = &contract().operation("ListSessions").responses[&200];
    assert!(list.examples.len() >= 2, "{:?}", list.examples);
    for (label, example) in &list.examples {
        server.script([Reply::json(200, &example.to_string())]);
        let page = client.node(NODE).sessions().page().await.unwrap();
        assert_eq!(page.total_count, example["total_count"], "{label}");
        let sessions = example["sessions"].as_array().unwrap();
        assert_eq!(page.sessions.len(), sessions.len(), "{label}");
        for (session, expected) in page.sessions.iter().zip(sessions) {
            assert_eq!(session.id(), expected["id"], "{label}");
            assert_eq!(session.is_active(), expected["active"] == true, "{label}");
            let cost = expected["cost_time"].as_str().map(|c| c.parse().unwrap());
            assert_eq!(session.cost(), cost.map(Duration::from_micros), "{label}");
            assert_eq!(session.namespace.as_deref(), expected["namespace"].as_str());
        }
    }

    let kill = &contract().operation("DeleteSession").responses[&200];
    assert!(!kill.examples.is_empty());
    for (label, example) in &kill.examples {
        server.script([Reply::json(200, &example.to_string())]);
        let report = client.node(NODE).kill(["34631", "34703"]).await.unwrap();
        assert!(report.is_complete(), "{label}: {:?}", report.failed);
        assert_eq!(report.killed, ["34631", "34703"], "{label}");
    }
    assert_eq!(
        server.requests().len(),
        list.examples.len() + kill.examples.len()
    );
}

/// What an error answer must become.
struct Expected {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

/// Every form Huawei services and gateways give an error body in, for `status`.
fn error_forms(status: u16) -> Vec<(&'static str, Reply, Expected)> {
    let code = format!("DBS.{status}001");
    let message = format!("it failed ({status}) & \"badly\": é/中");
    let expected = |request_id: Option<&str>| Expected {
        code: Some(code.clone()),
        message: Some(message.clone()),
        request_id: request_id.map(str::to_owned),
    };
    let body = |value: Value| value.to_string();
    let html = format!("<html><body><h1>{status} Error</h1><p>nginx</p></body></html>");
    vec![
        (
            "error_code/error_msg",
            Reply::json(
                status,
                &body(json!({"error_code": code, "error_msg": message})),
            ),
            expected(None),
        ),
        (
            "errorCode/errorMsg",
            Reply::json(
                status,
                &body(json!({"errorCode": code, "errorMsg": message})),
            ),
            expected(None),
        ),
        (
            "code/message",
            Reply::json(status, &body(json!({"code": code, "message": message}))),
            expected(None),
        ),
        (
            "nested one level",
            Reply::json(
                status,
                &body(json!({"error": {"error_code": code, "error_msg": message}})),
            ),
            expected(None),
        ),
        (
            "request_id in the body",
            Reply::json(
                status,
                &body(json!({"error_code": code, "error_msg": message, "request_id": "body-rid"})),
            ),
            expected(Some("body-rid")),
        ),
        (
            "X-Request-Id header",
            Reply::json(
                status,
                &body(json!({"error_code": code, "error_msg": message})),
            )
            .with_header("x-request-id", "header-rid"),
            expected(Some("header-rid")),
        ),
        (
            "X-Request-Id header and request_id in the body: the header wins",
            Reply::json(
                status,
                &body(json!({"error_code": code, "error_msg": message, "request_id": "body-rid"})),
            )
            .with_header("x-request-id", "header-rid"),
            expected(Some("header-rid")),
        ),
        (
            "an HTML page from a proxy",
            Reply::raw(status, "text/html", &html),
            Expected {
                code: None,
                message: Some(html.clone()),
                request_id: None,
            },
        ),
    ]
}

#[tokio::test]
async fn every_documented_error_status_in_every_body_form_becomes_a_typed_error() {
    let server = TestServer::start(Reply::json(599, "{}")).await;
    let client = without_retries(&server);
    let mut calls = 0;
    for op in Op::ALL {
        let statuses = contract().operation(op.id()).error_statuses();
        // The spec documents client errors, throttling and gateway errors; all are served.
        assert!(
            statuses.contains(&400) && statuses.contains(&429) && statuses.contains(&503),
            "{}: {statuses:?}",
            op.id()
        );
        for status in statuses {
            for (form, reply, expected) in error_forms(status) {
                let case = format!("{} {status}, {form}", op.id());
                server.script([reply]);
                let error = op.call(&client).await.expect_err(&case);
                calls += 1;
                assert_eq!(server.requests().len(), calls, "{case}: sent once");
                if status == 429 {
                    assert!(
                        matches!(error, Error::Throttled { .. }),
                        "{case}: {error:?}"
                    );
                } else {
                    assert!(matches!(error, Error::Api(_)), "{case}: {error:?}");
                }
                assert_eq!(error.status(), Some(status), "{case}");
                assert_eq!(error.code(), expected.code.as_deref(), "{case}");
                assert_eq!(error.message(), expected.message.as_deref(), "{case}");
                assert_eq!(error.request_id(), expected.request_id.as_deref(), "{case}");
            }
        }
    }
}

#[tokio::test]
async fn answers_that_break_the_spec_are_invalid_responses_with_their_status() {
    let example = contract().operation("ListSessions").responses[&200].examples[0]
        .1
        .to_string();
    let list_cases: Vec<(&str, u16, &str)> = vec![
        ("broken JSON", 200, r#"{"total_count":2,"sessions":[{"id":"#),
        ("an array", 200, "[]"),
        ("a string", 200, r#""sessions""#),
        ("null", 200, "null"),
        ("total_count missing", 200, r#"{"sessions":[]}"#),
        ("sessions missing", 200, r#"{"total_count":0}"#),
        (
            "a session without its id",
            200,
            r#"{"total_count":1,"sessions":[{"active":true}]}"#,
        ),
        (
            "total_count a string",
            200,
            r#"{"total_count":"2","sessions":[]}"#,
        ),
        (
            "sessions an object",
            200,
            r#"{"total_count":0,"sessions":{}}"#,
        ),
        (
            "a numeric session id",
            200,
            r#"{"total_count":1,"sessions":[{"id":34631}]}"#,
        ),
        (
            "active a string",
            200,
            r#"{"total_count":1,"sessions":[{"id":"1","active":"yes"}]}"#,
        ),
        (
            "cost_time a number",
            200,
            r#"{"total_count":1,"sessions":[{"id":"1","cost_time":6500000}]}"#,
        ),
        ("an empty body", 200, ""),
        ("an undocumented 204", 204, ""),
        ("an undocumented 201", 201, &example),
    ];
    let kill_cases: Vec<(&str, u16, &str)> = vec![
        ("broken JSON", 200, "{"),
        ("an array", 200, "[]"),
        ("a string", 200, r#""done""#),
        ("a number", 200, "1"),
        ("null", 200, "null"),
        ("an undocumented 201", 201, "{}"),
    ];
    let server = TestServer::start(Reply::json(599, "{}")).await;
    let client = without_retries(&server);
    for (op, cases) in [(Op::List, list_cases), (Op::Kill, kill_cases)] {
        for (label, status, body) in cases {
            let case = format!("{} {status}: {label}", op.id());
            let served = Some("application/json");
            let verdict = contract().check_response(op.id(), status, served, body.as_bytes());
            assert!(verdict.is_err(), "{case}: the spec allows it");
            server.script([Reply::json(status, body)]);
            match op.call(&client).await {
                Err(Error::InvalidResponse { status: kept, .. }) => {
                    assert_eq!(kept, status, "{case}")
                }
                other => panic!("{case}: {other:?}"),
            }
        }
    }

    // By design (see `Node::kill_batch`), a kill answered with no body did what was asked,
    // though the spec documents `200 {}`.
    for (label, status) in [("an empty 200", 200), ("a 204", 204)] {
        let verdict = contract().check_response("DeleteSession", status, None, b"");
        assert!(verdict.is_err(), "{label}: the spec allows it");
        server.script([Reply::raw(status, "application/json", "")]);
        assert!(matches!(Op::Kill.call(&client).await, Ok(None)), "{label}");
    }
}

// =============================================================================================
// 3. The seed's example
// =============================================================================================

#[tokio::test]
async fn the_seed_example_goes_out_byte_for_byte_and_succeeds() {
    const SEED_PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
    const SEED_NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";
    const SEED_BODY: &[u8] = br#"{"sessions":["34631","34703"]}"#;
    let sessions = ["34631", "34703"];
    // It is the spec's own example of the request body.
    let spec_example = &contract().raw["paths"]["/v3/{project_id}/nodes/{node_id}/session"]["post"]
        ["requestBody"]["content"]["application/json"]["examples"]["two"]["value"];
    assert_eq!(
        *spec_example,
        serde_json::from_slice::<Value>(SEED_BODY).unwrap()
    );

    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = Client::builder()
        .endpoint(&server.url)
        .project_id(SEED_PROJECT)
        .credentials(Credentials::token(TOKEN))
        .env_lookup(|_| None)
        .build()
        .unwrap();

    let report = client.node(SEED_NODE).kill(sessions).await.unwrap();
    assert!(report.is_complete(), "{:?}", report.failed);
    assert_eq!(report.killed, sessions);

    let raw = client
        .generated()
        .delete_session()
        .project_id(SEED_PROJECT)
        .node_id(SEED_NODE)
        .body(DeleteSessionRequestBody {
            sessions: sessions.map(String::from).to_vec(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert!(raw.into_inner().is_empty(), "`{{}}`");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the layer's, then the raw client's");
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path,
            "/v3/619d3e78f61b4be68bc5aa0b59edcf7b/nodes/520c58ba00a3497e97ce0b9604874dd6no02/session"
        );
        assert_eq!(request.query, None);
        assert_eq!(
            String::from_utf8_lossy(&request.body),
            String::from_utf8_lossy(SEED_BODY)
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        let matched = judged(request).unwrap();
        assert_eq!(matched.operation_id, "DeleteSession");
    }
    assert_eq!(requests[0].body, requests[1].body);
}

// =============================================================================================
// 4. What the spec forbids
// =============================================================================================

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

/// A raw answer: status, content type, request id, body.
struct RawAnswer {
    status: u16,
    content_type: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
}

impl RawAnswer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

async fn send_raw(
    method: &str,
    url: reqwest::Url,
    token: Option<&str>,
    body: Option<&str>,
) -> RawAnswer {
    let mut request = http().request(method.parse().unwrap(), url);
    if let Some(token) = token {
        request = request.header("x-auth-token", token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    RawAnswer {
        status: response.status().as_u16(),
        content_type: header("content-type"),
        request_id: header("x-request-id"),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// `{base}/v3/{project}/nodes/{node}/{last}?{query}`, each part encoded.
fn url(base: &str, node: &str, last: &str, query: &[(&str, &str)]) -> reqwest::Url {
    let mut url = reqwest::Url::parse(base).unwrap();
    url.path_segments_mut()
        .unwrap()
        .extend(["v3", PROJECT, "nodes", node, last]);
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

async fn mock_with_token() -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .sessions_per_node(60)
        .seed(11)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn what_the_spec_forbids_is_refused_by_the_client_and_by_the_mock() {
    let list = contract().operation("ListSessions");
    let limit = list.parameter(Location::Query, "limit").integer_range();
    let offset = list.parameter(Location::Query, "offset").integer_range();
    let (below, above) = (limit.start() - 1, limit.end() + 1);
    assert_eq!((below, above), (0, 21), "the bounds the issue names");
    assert_eq!(*offset.start(), 0);

    // The layer refuses before sending: nothing reaches a server.
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = common::client(&server, Credentials::token(TOKEN));
    let node = client.node(NODE);
    let past_int32 = offset.end() + 1;
    let refused: Vec<(String, Result<(), Error>)> = vec![
        (
            format!("limit {below}"),
            node.sessions().limit(as_u32(below)).page().await.map(drop),
        ),
        (
            format!("limit {above}"),
            node.sessions().limit(as_u32(above)).page().await.map(drop),
        ),
        (
            format!("offset {past_int32}, past int32"),
            node.sessions()
                .offset(as_u32(past_int32))
                .page()
                .await
                .map(drop),
        ),
        (
            "no session id".into(),
            node.kill(Vec::<String>::new()).await.map(drop),
        ),
    ];
    for (case, outcome) in refused {
        let error = outcome.expect_err(&case);
        assert!(
            matches!(error, Error::InvalidInput { .. }) && error.is_before_sending(),
            "{case}: {error:?}"
        );
    }
    // An offset of -1 cannot even be written: the layer's offset is a u32.
    let _offset_is_unsigned: fn(SessionQuery, u32) -> SessionQuery = SessionQuery::offset;
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // The raw generated client checks only what its types say: limit 0 does not fit a
    // NonZeroU32, and a missing body is noticed before sending. Nothing reaches the mock.
    let mock = mock_with_token().await;
    let client = Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let raw = client.generated();
    let limit_zero = raw
        .list_sessions()
        .project_id(PROJECT)
        .node_id(NODE)
        .limit(0_u32)
        .send()
        .await;
    assert!(
        matches!(
            limit_zero,
            Err(dds_sessions::generated::Error::InvalidRequest(_))
        ),
        "{limit_zero:?}"
    );
    let no_body = raw
        .delete_session()
        .project_id(PROJECT)
        .node_id(NODE)
        .send()
        .await;
    assert!(
        matches!(
            no_body,
            Err(dds_sessions::generated::Error::InvalidRequest(_))
        ),
        "{no_body:?}"
    );
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());

    // What the raw client's types allow, it sends, and the mock refuses: 400 naming the
    // parameter and the value.
    type Sent = Result<(), dds_sessions::generated::Error<ErrorResponse>>;
    let sent: Vec<(&str, Sent, [&str; 2])> = vec![
        (
            "offset -1",
            raw.list_sessions()
                .project_id(PROJECT)
                .node_id(NODE)
                .offset(-1)
                .send()
                .await
                .map(drop),
            ["offset", "-1"],
        ),
        (
            "limit 21",
            raw.list_sessions()
                .project_id(PROJECT)
                .node_id(NODE)
                .limit(NonZeroU32::new(as_u32(above)).unwrap())
                .send()
                .await
                .map(drop),
            ["limit", "21"],
        ),
        (
            "no session id",
            raw.delete_session()
                .project_id(PROJECT)
                .node_id(NODE)
                .body(DeleteSessionRequestBody { sessions: vec![] })
                .send()
                .await
                .map(drop),
            ["sessions", "0 items"],
        ),
    ];
    for (case, outcome, names) in sent {
        match outcome {
            Err(dds_sessions::generated::Error::ErrorResponse(answer)) => {
                assert_eq!(answer.status(), 400, "{case}");
                let message = answer.error_msg.clone().unwrap_or_default();
                assert!(
                    names.iter().all(|n| message.contains(n)),
                    "{case}: {message}"
                );
            }
            other => panic!("{case}: {other:?}"),
        }
    }
    let recorded = mock.take_requests();
    assert_eq!(recorded.len(), 3, "the three were sent");
    assert_eq!(recorded[0].query.as_deref(), Some("offset=-1"));

    // Sent raw with reqwest: the mock refuses each with a 400 whose error_msg names the
    // violation, and the spec's judge agrees that each breaks the spec.
    let base = mock.url();
    let list_url = |query: &[(&str, &str)]| url(base, NODE, "sessions", query);
    let kill_url = url(base, NODE, "session", &[]);
    let (below, above) = (below.to_string(), above.to_string());
    /// A request sent raw, and the words the refusal must hold.
    struct Forbidden<'a> {
        case: &'a str,
        method: &'a str,
        url: reqwest::Url,
        body: Option<&'a str>,
        names: [&'a str; 2],
    }
    let cases = [
        Forbidden {
            case: "limit below the minimum",
            method: "GET",
            url: list_url(&[("limit", &below)]),
            body: None,
            names: ["limit", &below],
        },
        Forbidden {
            case: "limit above the maximum",
            method: "GET",
            url: list_url(&[("limit", &above)]),
            body: None,
            names: ["limit", &above],
        },
        Forbidden {
            case: "negative offset",
            method: "GET",
            url: list_url(&[("offset", "-1")]),
            body: None,
            names: ["offset", "-1"],
        },
        Forbidden {
            case: "no session id",
            method: "POST",
            url: kill_url.clone(),
            body: Some(r#"{"sessions":[]}"#),
            names: ["sessions", "0 items"],
        },
        Forbidden {
            case: "no body",
            method: "POST",
            url: kill_url,
            body: None,
            names: ["body", "required"],
        },
    ];
    for Forbidden {
        case,
        method,
        url,
        body,
        names,
    } in cases
    {
        let answer = send_raw(method, url.clone(), Some(TOKEN), body).await;
        assert_eq!(answer.status, 400, "{case}");
        let message = answer.json()["error_msg"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            names.iter().all(|n| message.contains(n)),
            "{case}: {message}"
        );
        assert!(answer.json()["error_code"].is_string(), "{case}");

        let mut headers = vec![("x-auth-token".to_owned(), TOKEN.to_owned())];
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let request = WireRequest {
            method,
            path: url.path(),
            query: url.query(),
            headers: &headers,
            body: body.unwrap_or("").as_bytes(),
        };
        let violations = contract().check_request(&request).expect_err(case);
        assert!(
            violations.iter().any(|v| v.contains(names[0])),
            "{case}: {violations:?}"
        );
    }
}

// =============================================================================================
// 5. The mock's own answers
// =============================================================================================

/// A request to the mock, to see what it answers.
#[derive(Clone, Debug)]
enum Probe {
    /// A listing within the spec: paging and filters.
    List {
        node: &'static str,
        query: Vec<(&'static str, String)>,
    },
    /// A listing with one parameter the spec refuses.
    BadList { name: &'static str, value: String },
    /// No token, or a wrong one.
    Unauthenticated { token: Option<&'static str> },
    /// A kill of some of the node's sessions (some inactive, perhaps), and perhaps an unknown id.
    Kill { picks: Vec<usize>, unknown: bool },
    /// A kill whose body breaks the spec.
    BadKill { body: &'static str },
    /// A path the spec does not have.
    UnknownPath { last: &'static str },
    /// A method the spec does not have on a path it has.
    WrongMethod {
        method: &'static str,
        last: &'static str,
    },
}

const NODES: [&str; 3] = [NODE, "replica-node-2", "a node/with é & spaces"];

fn probe() -> impl Strategy<Value = Probe> {
    let op = contract().operation("ListSessions");
    let bounds = |name| op.parameter(Location::Query, name).integer_range();
    let filter = |known: &'static [&'static str]| {
        proptest::option::of(
            prop_oneof![3 => select(known).prop_map(str::to_owned), 1 => text(0..=8)],
        )
    };
    let list = (
        select(NODES.as_slice()),
        proptest::option::of(0..=80_i64),
        proptest::option::of(within(bounds("limit"))),
        filter(&["COLLSCAN", "IXSCAN", "FETCH", "SORT"]),
        filter(&["query", "update", "insert", "command", "getmore", "none"]),
        filter(&["shop.orders", "shop.users", "logs.events"]),
        proptest::option::of(prop_oneof![Just(0_i64), 0..=2_000_000_i64]),
    )
        .prop_map(|(node, offset, limit, plan, op_type, namespace, cost)| {
            let query = [
                ("offset", offset.map(|n| n.to_string())),
                ("limit", limit.map(|n| n.to_string())),
                ("plan_summary", plan),
                ("type", op_type),
                ("namespace", namespace),
                ("cost_time", cost.map(|n| n.to_string())),
            ];
            Probe::List {
                node,
                query: query
                    .into_iter()
                    .filter_map(|(name, value)| Some((name, value?)))
                    .collect(),
            }
        });
    let (limit, offset) = (bounds("limit"), bounds("offset"));
    let bad_list = prop_oneof![
        Just(("limit", (limit.start() - 1).to_string())),
        Just(("limit", (limit.end() + 1).to_string())),
        Just(("limit", "ten".to_owned())),
        Just(("offset", (offset.start() - 1).to_string())),
        Just(("cost_time", "-5".to_owned())),
        Just(("cost_time", "99999999999".to_owned())),
    ]
    .prop_map(|(name, value)| Probe::BadList { name, value });
    prop_oneof![
        6 => list,
        2 => bad_list,
        1 => proptest::option::of(Just("not-the-token"))
            .prop_map(|token| Probe::Unauthenticated { token }),
        4 => (vec(any::<usize>(), 1..6), any::<bool>())
            .prop_map(|(picks, unknown)| Probe::Kill { picks, unknown }),
        1 => select(&[
            "{}",
            r#"{"sessions":[]}"#,
            r#"{"sessions":[1]}"#,
            r#"{"sessions":"1"}"#,
            "{",
        ][..])
        .prop_map(|body| Probe::BadKill { body }),
        1 => select(&["nothing", "sessionz", ""][..]).prop_map(|last| Probe::UnknownPath { last }),
        1 => select(&[("DELETE", "session"), ("PUT", "sessions"), ("GET", "session")][..])
            .prop_map(|(method, last)| Probe::WrongMethod { method, last }),
    ]
}

impl Probe {
    /// Sends it; the operation it names (none for an unknown path or method) and the answer.
    async fn send(&self, mock: &MockServer) -> (Option<&'static str>, RawAnswer) {
        let base = mock.url();
        let token = Some(TOKEN);
        match self {
            Probe::List { node, query } => {
                let query: Vec<(&str, &str)> =
                    query.iter().map(|(n, v)| (*n, v.as_str())).collect();
                let url = url(base, node, "sessions", &query);
                (
                    Some("ListSessions"),
                    send_raw("GET", url, token, None).await,
                )
            }
            Probe::BadList { name, value } => {
                let url = url(base, NODE, "sessions", &[(*name, value.as_str())]);
                (
                    Some("ListSessions"),
                    send_raw("GET", url, token, None).await,
                )
            }
            Probe::Unauthenticated { token } => {
                let url = url(base, NODE, "sessions", &[]);
                (
                    Some("ListSessions"),
                    send_raw("GET", url, *token, None).await,
                )
            }
            Probe::Kill { picks, unknown } => {
                let sessions = mock.sessions(NODE);
                let mut ids: Vec<String> = if sessions.is_empty() {
                    vec!["no-such-session".into()]
                } else {
                    picks
                        .iter()
                        .map(|i| sessions[i % sessions.len()].id.clone())
                        .collect()
                };
                if *unknown {
                    ids.push("no-such-session".into());
                }
                let body = json!({ "sessions": ids }).to_string();
                let url = url(base, NODE, "session", &[]);
                let answer = send_raw("POST", url, token, Some(&body)).await;
                (Some("DeleteSession"), answer)
            }
            Probe::BadKill { body } => {
                let url = url(base, NODE, "session", &[]);
                let answer = send_raw("POST", url, token, Some(body)).await;
                (Some("DeleteSession"), answer)
            }
            Probe::UnknownPath { last } => {
                let url = url(base, NODE, last, &[]);
                (None, send_raw("GET", url, token, None).await)
            }
            Probe::WrongMethod { method, last } => {
                let url = url(base, NODE, last, &[]);
                (None, send_raw(method, url, token, None).await)
            }
        }
    }
}

impl Probe {
    /// Sends it, and judges the answer by the spec; its status.
    async fn judge(&self, mock: &MockServer) -> Result<u16, String> {
        let (operation, answer) = self.send(mock).await;
        let body = String::from_utf8_lossy(&answer.body);
        let failure = |why: String| format!("{} {why}: {body}", answer.status);
        if answer.request_id.as_deref().is_none_or(str::is_empty) {
            return Err(failure("without X-Request-Id".into()));
        }
        match operation {
            Some(operation) => contract()
                .check_response(
                    operation,
                    answer.status,
                    answer.content_type.as_deref(),
                    &answer.body,
                )
                .map_err(failure)?,
            // No operation documents these; they are still errors in the spec's form.
            None => contract()
                .component("ErrorResponse")
                .validate(&answer.json())
                .map_err(|e| failure(e.to_string()))?,
        }
        let expected: &[u16] = match self {
            Probe::List { .. } => &[200],
            Probe::BadList { .. } | Probe::BadKill { .. } => &[400],
            Probe::Unauthenticated { .. } => &[401],
            // 400 if one of the sessions is inactive.
            Probe::Kill { .. } => &[200, 400],
            Probe::UnknownPath { .. } => &[404],
            Probe::WrongMethod { .. } => &[405],
        };
        if !expected.contains(&answer.status) {
            return Err(failure(format!("is not {expected:?}")));
        }
        Ok(answer.status)
    }
}

#[test]
fn the_mocks_own_answers_follow_the_spec() {
    let runtime = runtime();
    let mock = runtime.block_on(mock_with_token());
    // One probe of each kind, so that every kind of answer is judged whatever the draw…
    let each_kind = [
        Probe::List {
            node: NODE,
            query: vec![],
        },
        Probe::BadList {
            name: "limit",
            value: "0".into(),
        },
        Probe::Unauthenticated { token: None },
        Probe::Kill {
            picks: vec![0],
            unknown: true,
        },
        Probe::BadKill { body: "{}" },
        Probe::UnknownPath { last: "nothing" },
        Probe::WrongMethod {
            method: "DELETE",
            last: "session",
        },
    ];
    let mut seen = BTreeSet::new();
    for probe in each_kind {
        let status = runtime
            .block_on(probe.judge(&mock))
            .unwrap_or_else(|e| panic!("{probe:?}: {e}"));
        seen.insert(status);
    }
    assert!(
        [200, 400, 401, 404, 405].iter().all(|s| seen.contains(s)),
        "{seen:?}"
    );
    // …then many drawn at random.
    check("the mock's answers", &probe(), |probe| {
        runtime
            .block_on(probe.judge(&mock))
            .map(drop)
            .map_err(TestCaseError::fail)
    });
}
