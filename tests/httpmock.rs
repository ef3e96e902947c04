//! progenitor's typed httpmock helpers (feature `httpmock`), driven through `dds_sessions::Client`:
//! a mock set up with the generated types answers the layer's requests, and the typed errors
//! it answers come back as the layer's typed errors.
#![cfg(feature = "httpmock")]

use std::num::NonZeroU32;

use dds_sessions::generated::httpmock::MockServerExt;
use dds_sessions::generated::types::{
    DeleteSessionRequestBody, DeleteSessionResponse, ErrorResponse, ListSessionsResponse,
};
use dds_sessions::{Client, Credentials, Error, RetryConfig};
use serde_json::json;

const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
const NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";
const TOKEN: &str = "httpmock-token";

fn client(server: &httpmock::MockServer) -> Client {
    Client::builder()
        .endpoint(server.base_url())
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .env_lookup(|_| None)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_generated_helper_mocks_list_sessions_for_the_client() {
    let server = httpmock::MockServer::start_async().await;
    let page: ListSessionsResponse = serde_json::from_value(json!({
        "total_count": 41,
        "sessions": [
            {"id": "34631", "active": true, "type": "query", "cost_time": "6500000"},
            {"id": "34703", "active": false, "type": "query"},
        ],
    }))
    .unwrap();
    // Matches only the request the layer must send: this node, these parameters.
    let mock = server.list_sessions(|when, then| {
        when.project_id(PROJECT)
            .node_id(NODE)
            .offset(20)
            .limit(NonZeroU32::new(20))
            .type_("query")
            .namespace(None)
            .into_inner()
            .header("x-auth-token", TOKEN);
        then.ok(&page);
    });

    let got = client(&server)
        .node(NODE)
        .sessions()
        .offset(20)
        .limit(20)
        .op_type("query")
        .page()
        .await
        .unwrap();
    assert_eq!(got.total_count, 41);
    let ids: Vec<&str> = got.sessions.iter().map(|s| s.id()).collect();
    assert_eq!(ids, ["34631", "34703"]);
    assert_eq!(
        got.sessions[0].cost(),
        Some(std::time::Duration::from_micros(6_500_000))
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn a_generated_error_answer_becomes_the_layers_typed_error() {
    let server = httpmock::MockServer::start_async().await;
    let throttled = ErrorResponse {
        error_code: Some("APIGW.0308".into()),
        error_msg: Some("The request is throttled.".into()),
        request_id: Some("5b7c9a1e".into()),
    };
    let mock = server.list_sessions(|when, then| {
        when.node_id(NODE);
        then.too_many_requests(&throttled);
    });

    let error = client(&server)
        .node(NODE)
        .sessions()
        .page()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Throttled { .. }), "{error:?}");
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.code(), Some("APIGW.0308"));
    assert_eq!(error.message(), Some("The request is throttled."));
    assert_eq!(error.request_id(), Some("5b7c9a1e"));
    mock.assert_async().await;
}

#[tokio::test]
async fn a_generated_helper_matches_the_kill_body() {
    let server = httpmock::MockServer::start_async().await;
    let body = DeleteSessionRequestBody {
        sessions: vec!["34631".into(), "34703".into()],
    };
    let mock = server.delete_session(|when, then| {
        when.project_id(PROJECT).node_id(NODE).body(&body);
        then.ok(&DeleteSessionResponse(serde_json::Map::new()));
    });

    let report = client(&server)
        .node(NODE)
        .kill(["34631", "34703", "34631"])
        .await
        .unwrap();
    assert!(report.is_complete(), "{:?}", report.failed);
    assert_eq!(report.killed, ["34631", "34703"]);
    mock.assert_async().await;
}
