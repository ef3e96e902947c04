//! The mock DDS: it judges every request by the spec, authenticates like the gateway, keeps
//! sessions like DDS, injects faults and records what it received.
#![cfg(feature = "mock")]

use std::time::{Duration, SystemTime};

use dds_sessions::auth::signer;
use dds_sessions::mock::{Fault, MockServer, MockSession};
use dds_sessions::{Client, Credentials, Error, SessionFilter};

const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
const NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";
const TOKEN: &str = "mock-token";
const AK: &str = "HPUAEXAMPLEAK000001";
const SK: &str = "exampleSecretKeyDoNotUse0123456789abcdef";

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

async fn mock() -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .ak_sk(AK, SK)
        .sessions_per_node(45)
        .seed(3)
        .start()
        .await
        .unwrap()
}

fn client(mock: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(credentials)
        .retry(
            dds_sessions::RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_retry_after(Duration::from_millis(10)),
        )
        .build()
        .unwrap()
}

struct Answer {
    status: u16,
    request_id: Option<String>,
    allow: Option<String>,
    body: serde_json::Value,
}

async fn raw(
    mock: &MockServer,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request = http().request(
        method.parse().unwrap(),
        format!("{}{path_and_query}", mock.url()),
    );
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body(body.to_string()).send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (request_id, allow) = (header("x-request-id"), header("allow"));
    let status = response.status().as_u16();
    let body =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        request_id,
        allow,
        body,
    }
}

const JSON: (&str, &str) = ("content-type", "application/json");
const AUTH: (&str, &str) = ("x-auth-token", TOKEN);

#[tokio::test]
async fn requests_outside_the_spec_get_huawei_style_errors() {
    let mock = mock().await;
    let list = format!("/v3/{PROJECT}/nodes/{NODE}/sessions");
    let kill = format!("/v3/{PROJECT}/nodes/{NODE}/session");
    let cases: Vec<(&str, String, &str, u16, &str, &str)> = vec![
        (
            "GET",
            format!("{list}?limit=21"),
            "",
            400,
            "DBS.200001",
            "query parameter limit: 21 is greater than the maximum of 20",
        ),
        (
            "GET",
            format!("{list}?limit=0"),
            "",
            400,
            "DBS.200001",
            "query parameter limit: 0 is less than the minimum of 1",
        ),
        (
            "GET",
            format!("{list}?offset=-1"),
            "",
            400,
            "DBS.200001",
            "query parameter offset: -1 is less than the minimum of 0",
        ),
        (
            "GET",
            format!("{list}?limit=x"),
            "",
            400,
            "DBS.200001",
            "query parameter limit: \"x\" is not an integer",
        ),
        (
            "POST",
            kill.clone(),
            "",
            400,
            "DBS.200001",
            "the request body is required",
        ),
        (
            "POST",
            kill.clone(),
            r#"{"sessions":[]}"#,
            400,
            "DBS.200001",
            "body.sessions: has 0 items, fewer than the minimum of 1",
        ),
        (
            "POST",
            kill.clone(),
            r#"{"ids":["1"]}"#,
            400,
            "DBS.200001",
            "body: the required property sessions is missing",
        ),
        (
            "POST",
            kill.clone(),
            r#"{"sessions":[7]}"#,
            400,
            "DBS.200001",
            "body.sessions[0]: 7 is not a string",
        ),
        (
            "GET",
            format!("/v3/{PROJECT}/nodes/{NODE}/other"),
            "",
            404,
            "APIGW.0101",
            "The API does not exist",
        ),
        (
            "GET",
            "/".to_string(),
            "",
            404,
            "APIGW.0101",
            "The API does not exist",
        ),
        (
            "DELETE",
            kill.clone(),
            "",
            405,
            "APIGW.0103",
            "DELETE is not allowed here; allowed: POST",
        ),
        (
            "POST",
            list.clone(),
            "{}",
            405,
            "APIGW.0103",
            "POST is not allowed here; allowed: GET",
        ),
    ];
    for (method, path, body, status, code, message) in cases {
        let answer = raw(&mock, method, &path, &[JSON, AUTH], body).await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        assert_eq!(answer.body["error_code"], code, "{method} {path}");
        let got = answer.body["error_msg"].as_str().unwrap();
        assert!(got.starts_with(message), "{method} {path}: {got}");
        assert!(
            answer.request_id.is_some(),
            "every answer names its request"
        );
    }
    assert_eq!(
        raw(&mock, "PUT", &kill, &[JSON, AUTH], "")
            .await
            .allow
            .as_deref(),
        Some("POST")
    );
    let wrong_type = raw(
        &mock,
        "POST",
        &kill,
        &[("content-type", "text/plain"), AUTH],
        r#"{"sessions":["1"]}"#,
    )
    .await;
    assert_eq!(wrong_type.status, 400);
}

#[tokio::test]
async fn authentication_is_checked_like_the_gateway() {
    let mock = mock().await;
    let list = format!("/v3/{PROJECT}/nodes/{NODE}/sessions");
    for headers in [
        vec![],
        vec![("x-auth-token", "wrong")],
        vec![("authorization", "Bearer x")],
    ] {
        let answer = raw(&mock, "GET", &list, &headers, "").await;
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body["error_code"], "APIGW.0301");
        assert_eq!(
            answer.body["request_id"].as_str(),
            answer.request_id.as_deref(),
            "gateway errors name the request in the body"
        );
    }
    assert_eq!(raw(&mock, "GET", &list, &[AUTH], "").await.status, 200);
    // Authentication comes before validation.
    assert_eq!(
        raw(&mock, "GET", &format!("{list}?limit=99"), &[], "")
            .await
            .status,
        401
    );

    // The client's signature is accepted; the same signature on other bytes is not.
    let report = client(&mock, Credentials::ak_sk(AK, SK))
        .node(NODE)
        .kill(["1"])
        .await
        .unwrap();
    assert!(report.is_complete(), "{:?}", report.failed);
    let signed = mock.requests().pop().unwrap();
    let replay: Vec<(&str, &str)> = signed
        .headers
        .iter()
        .filter(|(n, _)| n != "content-length")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        raw(
            &mock,
            "POST",
            &signed.path,
            &replay,
            r#"{"sessions":["1"]}"#
        )
        .await
        .status,
        200,
        "the same bytes pass"
    );
    let tampered = raw(
        &mock,
        "POST",
        &signed.path,
        &replay,
        r#"{"sessions":["2"]}"#,
    )
    .await;
    assert_eq!(tampered.status, 401);
    assert!(
        tampered.body["error_msg"]
            .as_str()
            .unwrap()
            .contains("signature")
    );

    let wrong_key = client(&mock, Credentials::ak_sk(AK, "not-the-key"))
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap_err();
    assert_eq!(
        (wrong_key.status(), wrong_key.code()),
        (Some(401), Some("APIGW.0301"))
    );
    let unknown_key = client(&mock, Credentials::ak_sk("OTHER", SK))
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap_err();
    assert_eq!(unknown_key.status(), Some(401));
}

#[tokio::test]
async fn a_signature_older_than_15_minutes_is_refused() {
    let mock = mock().await;
    let path = format!("/v3/{PROJECT}/nodes/{NODE}/sessions");
    let host = mock.url().trim_start_matches("http://").to_string();
    for (age, status) in [
        (Duration::ZERO, 200),
        (Duration::from_secs(14 * 60), 200),
        (Duration::from_secs(16 * 60), 401),
    ] {
        let date = signer::sdk_date(SystemTime::now() - age);
        let headers = [
            ("content-type", "application/json"),
            ("host", host.as_str()),
            ("x-project-id", PROJECT),
            ("x-sdk-date", date.as_str()),
        ];
        let signature = signer::sign(
            AK,
            SK,
            &signer::SignableRequest {
                method: "GET",
                path: &path,
                query: None,
                headers: &headers,
                body: b"",
            },
        );
        let mut sent = headers.to_vec();
        sent.push(("authorization", &signature.authorization));
        assert_eq!(
            raw(&mock, "GET", &path, &sent, "").await.status,
            status,
            "signed {age:?} ago"
        );
    }
}

#[tokio::test]
async fn temporary_credentials_need_their_security_token() {
    let mock = MockServer::builder()
        .temporary_ak_sk(AK, SK, "st-123")
        .start()
        .await
        .unwrap();
    assert!(
        client(
            &mock,
            Credentials::ak_sk(AK, SK).with_security_token("st-123")
        )
        .node(NODE)
        .sessions()
        .page()
        .await
        .is_ok()
    );
    let missing = client(&mock, Credentials::ak_sk(AK, SK))
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(401));
    let wrong = client(
        &mock,
        Credentials::ak_sk(AK, SK).with_security_token("st-999"),
    )
    .node(NODE)
    .sessions()
    .page()
    .await
    .unwrap_err();
    assert_eq!(wrong.status(), Some(401));
}

#[tokio::test]
async fn sessions_are_listed_with_the_real_filters_and_paging() {
    let mock = mock().await;
    let node = client(&mock, Credentials::token(TOKEN)).node(NODE);
    let all = mock.sessions(NODE);
    assert_eq!(all.len(), 45);

    let default_page = node.sessions().page().await.unwrap();
    assert_eq!(default_page.total_count, 45);
    assert_eq!(
        default_page.sessions.len(),
        dds_sessions::spec::LIMIT_DEFAULT as usize,
        "the spec's default limit"
    );
    let listed: Vec<String> = node
        .sessions()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(listed, all.iter().map(|s| s.id.clone()).collect::<Vec<_>>());

    let slow = node
        .sessions()
        .op_type("query")
        .min_cost(Duration::from_millis(100))
        .all()
        .await
        .unwrap();
    let expected: Vec<&MockSession> = all
        .iter()
        .filter(|s| s.op_type == "query" && s.cost_us > 100_000)
        .collect();
    assert_eq!(slow.len(), expected.len());
    assert!(
        slow.iter().all(|s| s.type_.as_deref() == Some("query")
            && s.cost().unwrap() > Duration::from_millis(100))
    );
    let in_orders = node
        .sessions()
        .namespace("shop.orders")
        .plan_summary("IXSCAN")
        .all()
        .await
        .unwrap();
    assert!(
        in_orders
            .iter()
            .all(|s| s.namespace.as_deref() == Some("shop.orders")
                && s.plan_summary.as_deref().unwrap().starts_with("IXSCAN"))
    );
}

#[tokio::test]
async fn kill_removes_active_sessions_and_refuses_inactive_ones() {
    let mock = mock().await;
    let node = client(&mock, Credentials::token(TOKEN)).node(NODE);
    let sessions = mock.sessions(NODE);
    let active: Vec<&str> = sessions
        .iter()
        .filter(|s| s.active)
        .map(|s| s.id.as_str())
        .collect();
    let inactive = sessions.iter().find(|s| !s.active).unwrap().id.clone();

    let report = node.kill([active[0], inactive.as_str()]).await.unwrap();
    let error = &report.failed[0].error;
    assert_eq!(
        (error.status(), error.code()),
        (Some(400), Some("DBS.301071"))
    );
    assert!(error.message().unwrap().contains(&inactive));
    assert_eq!(mock.sessions(NODE).len(), 45, "nothing was killed");

    let report = node.kill(active.iter().copied()).await.unwrap();
    assert!(report.is_complete());
    assert!(mock.sessions(NODE).iter().all(|s| !s.active));
    assert!(
        node.kill(["no-such-session"]).await.unwrap().is_complete(),
        "unknown ids are nothing to kill"
    );

    let matching = node
        .kill_matching(SessionFilter::new().op_type("query"))
        .await
        .unwrap();
    assert!(
        matching.killed.is_empty(),
        "only inactive sessions are left"
    );
}

#[tokio::test]
async fn faults_are_injected_in_order_then_answers_are_normal() {
    let mock = mock().await;
    let node = client(&mock, Credentials::token(TOKEN)).node(NODE);
    mock.inject([
        Fault::throttle(Some(0)),
        Fault::drop_connection(),
        Fault::status(503),
    ]);
    assert_eq!(
        node.sessions().page().await.unwrap_err().status(),
        Some(503),
        "three attempts: 429, dropped, 503"
    );
    assert_eq!(mock.take_requests().len(), 3);

    mock.inject([Fault::drop_connection()]);
    assert!(
        node.kill(["1"]).await.unwrap().is_complete(),
        "a dropped connection is retried"
    );
    assert_eq!(mock.take_requests().len(), 2);

    mock.inject([Fault::status(502).with_body("text/html", "<html>Bad Gateway</html>")]);
    let page = node.sessions().page().await.unwrap();
    assert_eq!(page.total_count, 45);
    assert_eq!(mock.take_requests().len(), 2);

    mock.inject([Fault::respond(200, vec![], b"{broken".to_vec())]);
    assert!(matches!(
        node.sessions().page().await,
        Err(Error::InvalidResponse { .. })
    ));

    let slow = Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .attempt_timeout(Duration::from_millis(100))
        .retry(dds_sessions::RetryConfig::disabled())
        .build()
        .unwrap();
    mock.inject([Fault::delay(Duration::from_secs(5))]);
    assert!(matches!(
        slow.node(NODE).sessions().page().await,
        Err(Error::Timeout { .. })
    ));
}

#[tokio::test]
async fn every_request_is_recorded_as_received() {
    let mock = mock().await;
    client(&mock, Credentials::token(TOKEN))
        .node(NODE)
        .kill(["34631", "34703"])
        .await
        .unwrap();
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(
        recorded[0].path,
        format!("/v3/{PROJECT}/nodes/{NODE}/session")
    );
    assert_eq!(recorded[0].header("x-auth-token"), Some(TOKEN));
    assert_eq!(
        recorded[0].killed_ids(),
        Some(vec!["34631".to_string(), "34703".to_string()])
    );
}

#[tokio::test]
async fn the_mock_stops_when_shut_down() {
    let mock = mock().await;
    let client = client(&mock, Credentials::token(TOKEN));
    assert!(client.node(NODE).sessions().page().await.is_ok());
    mock.shutdown().await;
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn the_mock_is_deterministic() {
    let a = MockServer::builder()
        .seed(9)
        .sessions_per_node(20)
        .start()
        .await
        .unwrap();
    let b = MockServer::builder()
        .seed(9)
        .sessions_per_node(20)
        .start()
        .await
        .unwrap();
    assert_eq!(a.sessions(NODE), b.sessions(NODE));
    assert_ne!(a.sessions(NODE), a.sessions("another-node"));
}

#[tokio::test]
async fn failing_kills_fail_on_every_attempt_and_rerunning_the_rest_completes() {
    let mock = MockServer::builder()
        .token(TOKEN)
        .sessions_per_node(0)
        .start()
        .await
        .unwrap();
    let node = client(&mock, Credentials::token(TOKEN)).node(NODE);
    let ids: Vec<String> = (0..5_000).map(|i| i.to_string()).collect();
    mock.fail_kills(0.1, 7);
    let report = node
        .kill(ids.clone())
        .batch_size(10)
        .concurrency(16)
        .await
        .unwrap();
    let failed: Vec<String> = report.failed_ids().map(str::to_string).collect();
    assert!(
        (25..=75).contains(&report.failed.len()),
        "about 10% of 500 batches: {}",
        report.failed.len()
    );
    assert!(report.failed.iter().all(|f| f.error.status() == Some(503)));
    assert_eq!(
        report.killed.len() + failed.len(),
        ids.len(),
        "every id accounted for"
    );
    let attempts = mock.take_requests().len();
    assert_eq!(
        attempts,
        500 + 2 * report.failed.len(),
        "each failing batch was tried three times"
    );

    mock.fail_kills(0.0, 0);
    let rerun = node.kill(failed.clone()).batch_size(10).await.unwrap();
    assert!(rerun.is_complete());
    assert_eq!(rerun.killed.len(), failed.len());
}

#[tokio::test]
async fn a_mock_told_not_to_record_keeps_nothing() {
    let mock = MockServer::builder()
        .token(TOKEN)
        .record_requests(false)
        .start()
        .await
        .unwrap();
    client(&mock, Credentials::token(TOKEN))
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap();
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_mock_with_latency_answers_late_enough_to_time_out_an_attempt() {
    let mock = MockServer::builder()
        .token(TOKEN)
        .latency(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .attempt_timeout(Duration::from_millis(200))
        .retry(dds_sessions::RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.node(NODE).sessions().page().await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { .. }),
        "the answer waits 30 s, the attempt gives up after 200 ms: {error}"
    );
    assert_eq!(
        mock.requests().len(),
        1,
        "the request arrived; its answer waited"
    );
}
