//! The ergonomic client against a scripted local server: the wire, authentication, errors,
//! retries, time limits, transport safety, paging and bulk kill.

mod common;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use dds_sessions::{Credentials, Error, SessionFilter, TimeoutScope, TransportKind};
use futures_util::TryStreamExt;

// ---------------------------------------------------------------- the wire

#[tokio::test]
async fn the_seed_example_goes_out_exactly() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = client(&server, Credentials::token(TOKEN));
    let report = client.node(NODE).kill(["34631", "34703"]).await.unwrap();
    assert!(report.is_complete());
    assert_eq!(report.killed, ["34631", "34703"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/v3/{PROJECT}/nodes/{NODE}/session"));
    assert_eq!(request.query, None);
    assert_eq!(request.body, br#"{"sessions":["34631","34703"]}"#);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-auth-token"), Some(TOKEN));
    assert_eq!(request.header("x-project-id"), Some(PROJECT));
    assert_eq!(
        request.header("api-version"),
        None,
        "progenitor's api-version header is not sent"
    );
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("dds-sessions/")
    );
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn list_sends_the_filters_as_the_spec_names_them() {
    let server = TestServer::start(Reply::json(200, r#"{"total_count":0,"sessions":[]}"#)).await;
    let client = client(&server, Credentials::token(TOKEN));
    let page = client
        .node(NODE)
        .sessions()
        .offset(40)
        .limit(20)
        .plan_summary("COLLSCAN")
        .op_type("query")
        .namespace("shop orders+x/é")
        .min_cost(Duration::from_millis(1500))
        .page()
        .await
        .unwrap();
    assert_eq!(page.total_count, 0);
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("/v3/{PROJECT}/nodes/{NODE}/sessions"));
    let query: HashSet<(String, String)> =
        url::form_urlencoded::parse(request.query.as_deref().unwrap().as_bytes())
            .into_owned()
            .collect();
    let expected: HashSet<(String, String)> = [
        ("offset", "40"),
        ("limit", "20"),
        ("plan_summary", "COLLSCAN"),
        ("type", "query"),
        ("namespace", "shop orders+x/é"),
        ("cost_time", "1500000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn unset_parameters_are_not_sent() {
    let server = TestServer::start(Reply::json(200, r#"{"total_count":0,"sessions":[]}"#)).await;
    client(&server, Credentials::token(TOKEN))
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap();
    assert_eq!(server.requests()[0].query, None);
}

// ---------------------------------------------------------------- AK/SK

#[tokio::test]
async fn a_server_that_recomputes_the_signature_accepts_both_operations() {
    let server = TestServer::start(Reply::with(|request| match verify_signature(request, SK) {
        Ok(()) if request.method == "POST" => Reply::json(200, "{}"),
        Ok(()) => Reply::json(200, r#"{"total_count":0,"sessions":[]}"#),
        Err(why) => Reply::json(
            401,
            &serde_json::json!({"error_code": "APIGW.0301", "error_msg": why}).to_string(),
        ),
    }))
    .await;
    let client = client(&server, aksk());
    for node in [NODE, "node with space/../x", "é/ü?#%", "a+b&c=d", "..."] {
        let n = client.node(node);
        n.kill(["34631", "shard0001:12345"])
            .await
            .map(|r| assert!(r.is_complete(), "{node}: {:?}", r.failed))
            .unwrap();
        n.sessions()
            .namespace("shop orders+x/é~*")
            .op_type("query")
            .plan_summary("IXSCAN")
            .min_cost(Duration::from_micros(1))
            .offset(3)
            .limit(7)
            .page()
            .await
            .unwrap_or_else(|e| panic!("{node}: {e}"));
    }
    for request in server.requests() {
        assert!(
            request.path.starts_with(&format!("/v3/{PROJECT}/nodes/")),
            "{}",
            request.path
        );
        assert_eq!(
            request.path.matches('/').count(),
            5,
            "the node id stays one segment: {}",
            request.path
        );
        let date = request.header("x-sdk-date").unwrap();
        assert_eq!(date.len(), 16, "{date}");
        assert!(date.ends_with('Z') && date.as_bytes()[8] == b'T');
    }
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_security_token() {
    let server = TestServer::start(Reply::with(|request| match verify_signature(request, SK) {
        Ok(()) => Reply::json(200, "{}"),
        Err(why) => Reply::json(
            401,
            &serde_json::json!({"error_code": "APIGW.0301", "error_msg": why}).to_string(),
        ),
    }))
    .await;
    let client = client(&server, aksk().with_security_token(SECURITY_TOKEN));
    client.node(NODE).kill(["1"]).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("x-security-token"), Some(SECURITY_TOKEN));
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("x-security-token"),
        "{authorization}"
    );
    assert!(authorization.starts_with(&format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")));
}

#[tokio::test]
async fn every_retry_is_signed_afresh() {
    let server = TestServer::start(Reply::with(|request| match verify_signature(request, SK) {
        Ok(()) => Reply::json(200, "{}"),
        Err(why) => Reply::json(
            401,
            &serde_json::json!({"error_code": "APIGW.0301", "error_msg": why}).to_string(),
        ),
    }))
    .await;
    server.script([Reply::json(
        503,
        r#"{"error_code":"APIGW.0202","error_msg":"busy"}"#,
    )]);
    let report = client(&server, aksk())
        .node(NODE)
        .kill(["1"])
        .await
        .unwrap();
    assert!(report.is_complete(), "{:?}", report.failed);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(verify_signature(&requests[1], SK).is_ok());
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn every_error_body_form_keeps_status_code_message_and_request_id() {
    type Case = (
        Reply,
        u16,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            Reply::json(
                400,
                r#"{"error_code":"DBS.301071","error_msg":"Invalid session id"}"#,
            )
            .with_header("x-request-id", "hdr-1"),
            400,
            Some("DBS.301071"),
            Some("Invalid session id"),
            Some("hdr-1"),
        ),
        (
            Reply::json(
                401,
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"body-1"}"#,
            ),
            401,
            Some("APIGW.0301"),
            Some("Incorrect IAM authentication information"),
            Some("body-1"),
        ),
        (
            Reply::json(403, r#"{"errorCode":"DBS.200019","errorMsg":"forbidden"}"#),
            403,
            Some("DBS.200019"),
            Some("forbidden"),
            None,
        ),
        (
            Reply::json(404, r#"{"code":"DBS.200013","message":"node not found"}"#),
            404,
            Some("DBS.200013"),
            Some("node not found"),
            None,
        ),
        (
            Reply::json(
                500,
                r#"{"error":{"code":"DBS.200001","message":"boom"},"request_id":"r9"}"#,
            ),
            500,
            Some("DBS.200001"),
            Some("boom"),
            Some("r9"),
        ),
        (
            Reply::raw(
                502,
                "text/html",
                "<html><body>502 Bad Gateway</body></html>",
            ),
            502,
            None,
            Some("<html><body>502 Bad Gateway</body></html>"),
            None,
        ),
        (
            Reply::raw(503, "text/html", "<h1>Service Unavailable</h1>")
                .with_header("x-request-id", "h503"),
            503,
            None,
            Some("<h1>Service Unavailable</h1>"),
            Some("h503"),
        ),
        (
            Reply::json(
                504,
                r#"{"error_code":"APIGW.0203","error_msg":"Gateway timeout"}"#,
            ),
            504,
            Some("APIGW.0203"),
            Some("Gateway timeout"),
            None,
        ),
        (
            Reply::raw(418, "text/plain", "teapot"),
            418,
            None,
            Some("teapot"),
            None,
        ),
        (
            Reply::raw(409, "application/json", ""),
            409,
            None,
            None,
            None,
        ),
    ];
    for (reply, status, code, message, request_id) in cases {
        let server = TestServer::start(reply).await;
        let client = dds_sessions_client_without_retries(&server);
        for error in [
            client.node(NODE).sessions().page().await.unwrap_err(),
            client
                .node(NODE)
                .kill(["1"])
                .await
                .unwrap()
                .failed
                .remove(0)
                .error,
        ] {
            assert_eq!(error.status(), Some(status), "{error}");
            assert_eq!(error.code(), code, "{error}");
            assert_eq!(error.message(), message, "{error}");
            assert_eq!(error.request_id(), request_id, "{error}");
            let text = error.to_string();
            assert!(text.contains(&status.to_string()), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
    }
}

fn dds_sessions_client_without_retries(server: &TestServer) -> dds_sessions::Client {
    builder(server, Credentials::token(TOKEN))
        .retry(dds_sessions::RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn answers_that_break_the_spec_are_invalid_responses() {
    let cases = [
        (
            Reply::json(200, r#"{"total_count":1,"sessions":[{"id":"#),
            "not what the spec says",
        ),
        (Reply::json(200, r#"{"sessions":[]}"#), "total_count"),
        (
            Reply::json(200, r#"{"total_count":"x","sessions":[]}"#),
            "not what the spec says",
        ),
        (
            Reply::json(200, r#"{"total_count":1,"sessions":[{"active":true}]}"#),
            "id",
        ),
        (Reply::json(200, ""), "empty"),
        (Reply::raw(204, "application/json", ""), "204"),
    ];
    for (reply, reason) in cases {
        let server = TestServer::start(reply).await;
        let error = client(&server, Credentials::token(TOKEN))
            .node(NODE)
            .sessions()
            .page()
            .await
            .unwrap_err();
        match &error {
            Error::InvalidResponse { reason: r, .. } => assert!(
                r.contains(reason) || error.to_string().contains(reason),
                "{error}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(server.requests().len(), 1, "not retried: {error}");
    }
}

#[tokio::test]
async fn a_kill_answered_empty_or_204_succeeded_but_broken_json_did_not() {
    for (reply, ok) in [
        (Reply::json(200, "{}"), true),
        (Reply::json(200, ""), true),
        (Reply::raw(204, "application/json", ""), true),
        (Reply::json(200, r#"{"extra":"fields are fine"}"#), true),
        (Reply::json(200, "{broken"), false),
        (Reply::json(200, "[]"), false),
    ] {
        let server = TestServer::start(reply).await;
        let report = client(&server, Credentials::token(TOKEN))
            .node(NODE)
            .kill(["1"])
            .await
            .unwrap();
        assert_eq!(report.is_complete(), ok, "{:?}", report.failed);
    }
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn throttling_is_retried_honouring_retry_after() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    server.script([Reply::json(
        429,
        r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
    )
    .with_header("retry-after", "0")]);
    let report = client(&server, Credentials::token(TOKEN))
        .node(NODE)
        .kill(["1"])
        .await
        .unwrap();
    assert!(report.is_complete());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_follow_the_classification() {
    let throttled = || Reply::json(429, r#"{"error_code":"DBS.280443","error_msg":"too many"}"#);
    let cases: Vec<(Vec<Reply>, usize, bool)> = vec![
        (vec![throttled()], 2, true),
        (vec![Reply::json(503, "{}")], 2, true),
        (
            vec![
                Reply::raw(502, "text/html", "<html/>"),
                Reply::json(504, "{}"),
            ],
            3,
            true,
        ),
        (vec![Reply::Reset], 2, true),
        (vec![throttled(), throttled(), throttled()], 3, false),
        (
            vec![Reply::json(
                400,
                r#"{"error_code":"DBS.301071","error_msg":"x"}"#,
            )],
            1,
            false,
        ),
        (vec![Reply::json(401, "{}")], 1, false),
        (vec![Reply::json(404, "{}")], 1, false),
        (vec![Reply::json(500, "{}")], 1, false),
    ];
    for (script, attempts, ok) in cases {
        let server = TestServer::start(Reply::json(200, "{}")).await;
        server.script(script);
        let report = client(&server, Credentials::token(TOKEN))
            .node(NODE)
            .kill(["1"])
            .await
            .unwrap();
        assert_eq!(server.requests().len(), attempts);
        assert_eq!(report.is_complete(), ok);
        if !ok && attempts == 3 {
            assert!(
                matches!(report.failed[0].error, Error::Throttled { .. }),
                "{:?}",
                report.failed[0].error
            );
        }
    }
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = TestServer::start(Reply::json(503, "{}")).await;
    let error = dds_sessions_client_without_retries(&server)
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------- time limits

#[tokio::test]
async fn a_server_that_never_answers_times_out_each_attempt() {
    let server = TestServer::start(Reply::Stall).await;
    let client = builder(&server, Credentials::token(TOKEN))
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                scope: TimeoutScope::Attempt,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3, "three attempts");
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let server = TestServer::start(Reply::HeadersThenStall).await;
    let client = builder(&server, Credentials::token(TOKEN))
        .attempt_timeout(Duration::from_millis(200))
        .retry(dds_sessions::RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_retries() {
    let server = TestServer::start(Reply::Stall).await;
    let client = builder(&server, Credentials::token(TOKEN))
        .attempt_timeout(Duration::from_secs(60))
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .node(NODE)
        .kill(["1"])
        .await
        .unwrap()
        .failed
        .remove(0)
        .error;
    assert!(
        matches!(
            error,
            Error::Timeout {
                scope: TimeoutScope::Operation,
                ..
            }
        ),
        "{error:?}"
    );
}

// ---------------------------------------------------------------- transport safety

#[tokio::test]
async fn redirects_are_refused_and_the_other_host_receives_nothing() {
    let other = TestServer::start(Reply::json(200, "{}")).await;
    let location = format!("{}/v3/{PROJECT}/nodes/{NODE}/session", other.url);
    for status in [301, 302, 307, 308] {
        let server =
            TestServer::start(Reply::json(status, "").with_header("location", &location)).await;
        let report = client(&server, Credentials::token(TOKEN))
            .node(NODE)
            .kill(["1"])
            .await
            .unwrap();
        match &report.failed[0].error {
            Error::Redirect {
                status: s,
                location: Some(l),
                ..
            } => {
                assert_eq!(*s, status);
                assert_eq!(l, &location);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.requests().len(), 1, "a redirect is not retried");
    }
    assert!(other.requests().is_empty());
}

#[tokio::test]
async fn a_64_mib_body_is_refused_while_reading() {
    for declare_length in [false, true] {
        let server = TestServer::start(Reply::Huge {
            size: 64 << 20,
            declare_length,
        })
        .await;
        let client = builder(&server, Credentials::token(TOKEN))
            .retry(dds_sessions::RetryConfig::disabled())
            .build()
            .unwrap();
        let error = client.node(NODE).sessions().page().await.unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit, .. } if limit == dds_sessions::DEFAULT_MAX_RESPONSE_SIZE),
            "{error:?}"
        );
        // The client hung up early: far less than the body was ever sent, so it was never held.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let written = server.huge_bytes_written.load(Ordering::SeqCst);
        assert!(
            written < 32 << 20,
            "{written} bytes were sent before the client gave up"
        );
    }
}

#[tokio::test]
async fn the_size_limit_is_configurable() {
    let body = serde_json::json!({"total_count": 30, "sessions": (0..30).map(|i| session_json(i, true)).collect::<Vec<_>>()}).to_string();
    let server = TestServer::start(Reply::json(200, &body)).await;
    let small = builder(&server, Credentials::token(TOKEN))
        .max_response_size(100)
        .build()
        .unwrap();
    assert!(matches!(
        small.node(NODE).sessions().page().await,
        Err(Error::ResponseTooLarge { limit: 100, .. })
    ));
    let enough = builder(&server, Credentials::token(TOKEN))
        .max_response_size(body.len() as u64)
        .build()
        .unwrap();
    assert_eq!(
        enough
            .node(NODE)
            .sessions()
            .page()
            .await
            .unwrap()
            .sessions
            .len(),
        30
    );
}

#[tokio::test]
async fn refused_and_unresolvable_connections_are_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = dds_sessions::Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .retry(dds_sessions::RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());

    let client = dds_sessions::Client::builder()
        .endpoint("https://no-such-host.invalid")
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .retry(dds_sessions::RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
}

// ---------------------------------------------------------------- input checks

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = client(&server, Credentials::token(TOKEN));
    let node = client.node(NODE);
    let no_ids: [&str; 0] = [];
    let errors = vec![
        node.kill(no_ids).await.unwrap_err(),
        node.kill(["1", ""]).await.unwrap_err(),
        node.kill(["1\n2"]).await.unwrap_err(),
        node.kill(["1"]).batch_size(0).await.unwrap_err(),
        node.kill(["1"]).batch_size(501).await.unwrap_err(),
        node.kill(["1"]).concurrency(0).await.unwrap_err(),
        client.node("").kill(["1"]).await.unwrap_err(),
        client.node(".").kill(["1"]).await.unwrap_err(),
        client.node("..").sessions().page().await.unwrap_err(),
        client.node("a\u{7}").sessions().page().await.unwrap_err(),
        node.sessions().limit(0).page().await.unwrap_err(),
        node.sessions().limit(21).page().await.unwrap_err(),
        node.sessions().offset(u32::MAX).page().await.unwrap_err(),
        node.sessions()
            .min_cost(Duration::from_secs(3600))
            .page()
            .await
            .unwrap_err(),
        node.kill_matching(SessionFilter::new()).await.unwrap_err(),
    ];
    for error in errors {
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_limit_bound_comes_from_the_spec() {
    let server = TestServer::start(Reply::json(200, r#"{"total_count":0,"sessions":[]}"#)).await;
    let node = client(&server, Credentials::token(TOKEN)).node(NODE);
    let max = dds_sessions::spec::LIMIT_MAX as u32;
    assert!(node.sessions().limit(max).page().await.is_ok());
    assert!(node.sessions().limit(max + 1).page().await.is_err());
}

// ---------------------------------------------------------------- paging

#[tokio::test]
async fn the_stream_yields_every_session_once_fetching_pages_concurrently() {
    for total in [0usize, 1, 19, 20, 21, 95, 400] {
        let sessions: Vec<_> = (0..total).map(|i| session_json(i, i % 3 != 0)).collect();
        let server = TestServer::start(pages_of(sessions)).await;
        let client = builder(&server, Credentials::token(TOKEN))
            .concurrency(8)
            .build()
            .unwrap();
        let got: Vec<_> = client
            .node(NODE)
            .sessions()
            .stream()
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<String> = got.iter().map(|s| s.id.clone()).collect();
        let expected: Vec<String> = (0..total).map(|i| i.to_string()).collect();
        assert_eq!(ids, expected, "total {total}");
        let pages = total.div_ceil(20).max(1);
        assert_eq!(server.requests().len(), pages, "total {total}");
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.query.as_deref().unwrap().contains("limit=20"))
        );
        if got.len() > 2 {
            assert_eq!(got[2].cost(), Some(Duration::from_millis(2)));
        }
    }
}

#[tokio::test]
async fn the_stream_drops_duplicates_when_sessions_shift_between_pages() {
    // Every page overlaps the previous one by a session: ids must still come once.
    let server = TestServer::start(Reply::with(|request| {
        let query = request.query.clone().unwrap_or_default();
        let offset: usize = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("offset="))
            .unwrap()
            .parse()
            .unwrap();
        let start = offset.saturating_sub(1);
        let page: Vec<_> = (start..(offset + 20).min(50))
            .map(|i| session_json(i, true))
            .collect();
        Reply::json(
            200,
            &serde_json::json!({"total_count": 50, "sessions": page}).to_string(),
        )
    }))
    .await;
    let got: Vec<_> = client(&server, Credentials::token(TOKEN))
        .node(NODE)
        .sessions()
        .all()
        .await
        .unwrap();
    let ids: Vec<_> = got.iter().map(|s| s.id.parse::<usize>().unwrap()).collect();
    assert_eq!(ids, (0..50).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_failed_page_fails_the_stream() {
    let sessions: Vec<_> = (0..60).map(|i| session_json(i, true)).collect();
    let server = TestServer::start(pages_of(sessions)).await;
    server.script([Reply::json(200, &serde_json::json!({"total_count": 60, "sessions": (0..20).map(|i| session_json(i, true)).collect::<Vec<_>>()}).to_string()), Reply::json(403, r#"{"error_code":"DBS.200019","error_msg":"no"}"#)]);
    let error = builder(&server, Credentials::token(TOKEN))
        .concurrency(1)
        .build()
        .unwrap()
        .node(NODE)
        .sessions()
        .all()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403));
}

// ---------------------------------------------------------------- bulk kill

#[tokio::test]
async fn bulk_kill_batches_deduplicates_and_accounts_for_every_id() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = client(&server, Credentials::token(TOKEN));
    let mut ids: Vec<String> = (0..2_000).map(|i| i.to_string()).collect();
    ids.extend(["5".to_string(), "7".to_string()]);
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = progress.clone();
    let report = client
        .node(NODE)
        .kill(ids)
        .batch_size(300)
        .concurrency(4)
        .on_progress(move |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    assert!(report.is_complete());
    assert_eq!(report.killed.len(), 2_000);
    let requests = server.requests();
    assert_eq!(requests.len(), 7);
    let mut sent = Vec::new();
    for request in &requests {
        let batch: Vec<String> =
            serde_json::from_value(request.json()["sessions"].clone()).unwrap();
        assert!(batch.len() <= 300);
        sent.extend(batch);
    }
    assert_eq!(sent.len(), 2_000, "every id exactly once");
    assert_eq!(sent.iter().collect::<HashSet<_>>().len(), 2_000);
    assert!(server.max_in_flight.load(Ordering::SeqCst) <= 4);
    let progress = progress.lock().unwrap();
    assert_eq!(progress.len(), 7);
    assert_eq!(progress.last().unwrap().done, 2_000);
    assert!(
        progress.windows(2).all(|p| p[0].done < p[1].done),
        "progress only grows, though the batches run in separate tasks: {progress:?}"
    );
}

#[tokio::test]
async fn a_panicking_progress_callback_stops_the_kill_and_is_raised() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let node = client(&server, Credentials::token(TOKEN)).node(NODE);
    let ids: Vec<String> = (0..10).map(|i| i.to_string()).collect();
    let kill = node
        .kill(ids)
        .batch_size(1)
        .concurrency(1)
        .on_progress(|_| panic!("the progress display broke"));
    let outcome = tokio::spawn(kill.send()).await;
    let panic = outcome.expect_err("the callback's panic reaches the caller");
    assert!(panic.is_panic());
    assert_eq!(
        server.requests().len(),
        1,
        "no batch is sent after the callback panicked"
    );
}

#[tokio::test]
async fn a_partial_failure_names_exactly_the_ids_not_killed() {
    let server = TestServer::start(Reply::with(|request| {
        let batch: Vec<String> =
            serde_json::from_value(request.json()["sessions"].clone()).unwrap();
        if batch.contains(&"150".to_string()) {
            Reply::json(
                400,
                r#"{"error_code":"DBS.301071","error_msg":"Invalid session id"}"#,
            )
        } else {
            Reply::json(200, "{}")
        }
    }))
    .await;
    let ids: Vec<String> = (0..300).map(|i| i.to_string()).collect();
    let report = client(&server, Credentials::token(TOKEN))
        .node(NODE)
        .kill(ids.clone())
        .batch_size(100)
        .await
        .unwrap();
    let failed: Vec<&str> = report.failed_ids().collect();
    let expected: Vec<String> = (100..200).map(|i| i.to_string()).collect();
    assert_eq!(failed, expected);
    assert_eq!(report.failed[0].error.code(), Some("DBS.301071"));
    let mut all: Vec<&str> = report
        .killed
        .iter()
        .map(String::as_str)
        .chain(failed)
        .collect();
    all.sort_by_key(|id| id.parse::<u32>().unwrap());
    assert_eq!(all, ids);
}

#[tokio::test]
async fn kill_matching_kills_only_active_matching_sessions_and_dry_run_kills_nothing() {
    let mut sessions: Vec<_> = (0..45).map(|i| session_json(i, i % 3 != 0)).collect();
    // A session the server should have filtered out: the client checks again.
    sessions.push(serde_json::json!({"id": "intruder", "active": true, "type": "update", "cost_time": "99999999"}));
    let listing = pages_of(sessions);
    let server = TestServer::start(Reply::with(move |request| match request.method.as_str() {
        "GET" => match &listing {
            Reply::With(f) => f(request),
            _ => unreachable!(),
        },
        _ => Reply::json(200, "{}"),
    }))
    .await;
    let node = client(&server, Credentials::token(TOKEN)).node(NODE);
    let filter = SessionFilter::new()
        .op_type("query")
        .min_cost(Duration::from_millis(10));
    let expected: Vec<String> = (0..45)
        .filter(|i| i % 3 != 0 && i % 2 == 0 && i * 1000 > 10_000)
        .map(|i| i.to_string())
        .collect();

    let planned: Vec<String> = node
        .kill_matching(filter.clone())
        .dry_run()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(planned, expected);
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "a dry run sends no kill"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.query.as_deref().unwrap().contains("type=query"))
    );

    let report = node.kill_matching(filter).await.unwrap();
    let mut killed = report.killed.clone();
    killed.sort_by_key(|id| id.parse::<u32>().unwrap());
    assert_eq!(killed, expected);
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn secrets_never_reach_logs_or_errors_even_at_trace() {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(Reply::json(200, "{}")).await;
    server.script([
        Reply::json(503, "{}"),
        Reply::json(401, r#"{"error_code":"APIGW.0301","error_msg":"bad"}"#),
        Reply::Reset,
        Reply::raw(502, "text/html", "<html/>"),
    ]);
    let mut texts = Vec::new();
    for credentials in [
        Credentials::token(TOKEN),
        aksk().with_security_token(SECURITY_TOKEN),
    ] {
        let client = client(&server, credentials.clone());
        texts.push(format!("{client:?} {credentials:?}"));
        for _ in 0..3 {
            match client.node(NODE).kill(["1"]).await {
                Ok(report) => texts.extend(
                    report
                        .failed
                        .iter()
                        .map(|f| format!("{} {:?}", f.error, f.error)),
                ),
                Err(e) => texts.push(format!("{e} {e:?}")),
            }
            if let Err(e) = client.node(NODE).sessions().page().await {
                texts.push(format!("{e} {e:?}"));
            }
        }
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("sending"), "TRACE logging was captured");
    for secret in [SK, TOKEN, SECURITY_TOKEN] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
        for text in &texts {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }
}
