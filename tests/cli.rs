//! The `dds-sessions` command line, run as a separate process against the in-process mock DDS
//! (or against its own `mock` command): every command and option, the JSON shapes, exit
//! statuses, authentication from the environment and the credentials file, and secrets.
//!
//! Help texts are snapshots in `tests/snapshots/cli-help-*.txt`; refresh them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test cli` after a deliberate interface change.

mod cli_common;

use std::collections::HashSet;
use std::time::Duration;

use cli_common::{AK, NODE, PROJECT, Run, SK, TOKEN, keys, strings};
use dds_sessions::mock::{Fault, MockServer, MockSession, RecordedRequest};

/// A mock accepting [`TOKEN`], with `sessions` generated sessions a node.
async fn mock(sessions: usize) -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .sessions_per_node(sessions)
        .start()
        .await
        .expect("the mock starts")
}

/// A session of the mock.
fn session(id: &str, active: bool, op_type: &str, cost_us: u64) -> MockSession {
    MockSession {
        id: id.into(),
        active,
        op_type: op_type.into(),
        namespace: "shop.orders".into(),
        cost_us,
        plan_summary: "COLLSCAN".into(),
        connection: 1523,
    }
}

fn ids(sessions: &[MockSession]) -> Vec<String> {
    sessions.iter().map(|s| s.id.clone()).collect()
}

/// The ids of the first `n` active sessions of the node.
fn active_ids(mock: &MockServer, n: usize) -> Vec<String> {
    let active: Vec<MockSession> = mock
        .sessions(NODE)
        .into_iter()
        .filter(|s| s.active)
        .collect();
    ids(&active[..n.min(active.len())])
}

fn posts(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests.iter().filter(|r| r.method == "POST").collect()
}

// --- help and version ---------------------------------------------------------------------

#[test]
fn help_texts_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for (name, args) in [
        ("top", vec!["--help"]),
        ("list", vec!["list", "--help"]),
        ("kill", vec!["kill", "--help"]),
        ("mock", vec!["mock", "--help"]),
    ] {
        let output = Run::new(args).env("COLUMNS", "100").run_blocking();
        output.assert_code(0);
        assert!(output.stderr.is_empty(), "{output:?}");
        let path = dir.join(format!("cli-help-{name}.txt"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &output.stdout).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; create it with UPDATE_SNAPSHOTS=1 cargo test --test cli",
                path.display()
            )
        });
        assert_eq!(
            output.stdout, expected,
            "`{name}` help changed; if deliberate, refresh with UPDATE_SNAPSHOTS=1"
        );
    }
}

#[test]
fn version_is_the_package_version() {
    let output = Run::new(["--version"]).run_blocking();
    output.assert_code(0);
    assert_eq!(
        output.stdout.trim(),
        format!("dds-sessions {}", env!("CARGO_PKG_VERSION"))
    );
}

// --- list ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_one_page_as_a_table_fitting_the_width() {
    let mock = mock(30).await;
    let output = Run::against(&mock, ["list", "--node", NODE])
        .env("COLUMNS", "110")
        .run()
        .await;
    output.assert_code(0);
    assert!(output.stderr.is_empty(), "{output:?}");
    let lines: Vec<&str> = output.stdout.lines().collect();
    let expected = &ids(&mock.sessions(NODE))[..10];
    assert_eq!(lines.len(), 1 + 10 + 1, "{}", output.stdout);
    assert!(
        lines[0].starts_with("ID")
            && lines[0].contains("ACTIVE")
            && lines[0].ends_with("OPERATION"),
        "{}",
        lines[0]
    );
    for (line, id) in lines[1..11].iter().zip(expected) {
        assert!(line.starts_with(id.as_str()), "{line} should show {id}");
    }
    assert_eq!(lines[11], "10 of 30 sessions");
    assert!(
        lines.iter().all(|l| l.chars().count() <= 110),
        "{}",
        output.stdout
    );

    let past_the_end = Run::against(&mock, ["list", "--node", NODE, "--offset", "30"])
        .run()
        .await;
    past_the_end.assert_code(0);
    assert_eq!(past_the_end.stdout, "0 of 30 sessions\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_json_is_the_apis_page() {
    let mock = mock(30).await;
    let output = Run::against(
        &mock,
        [
            "list", "--node", NODE, "--offset", "5", "--limit", "7", "--output", "json",
        ],
    )
    .run()
    .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(keys(&json), ["sessions", "total_count"]);
    assert_eq!(json["total_count"], 30);
    let expected: Vec<serde_json::Value> = mock.sessions(NODE)[5..12]
        .iter()
        .map(MockSession::to_json)
        .collect();
    assert_eq!(
        json["sessions"].as_array().unwrap(),
        &expected,
        "the API's own objects, unchanged"
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let query = requests[0].query.as_deref().unwrap_or_default();
    assert!(
        query.contains("offset=5") && query.contains("limit=7"),
        "{query}"
    );
    assert_eq!(
        requests[0].path,
        format!("/v3/{PROJECT}/nodes/{NODE}/sessions")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_all_merges_every_page() {
    let mock = mock(45).await;
    let output = Run::against(&mock, ["list", "--node", NODE, "--all", "--output", "json"])
        .run()
        .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(keys(&json), ["sessions", "total_count"]);
    assert_eq!(
        json["total_count"], 45,
        "total_count is the number of sessions printed"
    );
    let listed: Vec<String> = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, ids(&mock.sessions(NODE)));
    assert_eq!(mock.take_requests().len(), 3, "pages of the largest size");

    let output = Run::against(
        &mock,
        [
            "list", "--node", NODE, "--all", "--limit", "10", "--offset", "20",
        ],
    )
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(output.stdout.lines().last(), Some("25 of 25 sessions"));
    assert_eq!(mock.take_requests().len(), 3, "offsets 20, 30, 40");

    // One page after another prints the same, page for page.
    let sequential = Run::against(
        &mock,
        [
            "list",
            "--node",
            NODE,
            "--all",
            "--limit",
            "10",
            "--concurrency",
            "1",
            "--output",
            "json",
        ],
    )
    .run()
    .await;
    sequential.assert_code(0);
    assert_eq!(sequential.json(), json);
    let offsets: Vec<Option<String>> = mock.requests().iter().map(|r| r.query.clone()).collect();
    assert_eq!(offsets.len(), 5, "pages of 10: {offsets:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_filters_reach_the_api() {
    let mock = mock(300).await;
    let args = [
        "list",
        "--node",
        NODE,
        "--all",
        "--type",
        "query",
        "--namespace",
        "shop.orders",
        "--plan-summary",
        "IXSCAN",
        "--min-cost-us",
        "1000",
        "--output",
        "json",
    ];
    let output = Run::against(&mock, args).run().await;
    output.assert_code(0);
    let expected: Vec<String> = mock
        .sessions(NODE)
        .iter()
        .filter(|s| {
            s.op_type == "query"
                && s.namespace == "shop.orders"
                && s.plan_summary.starts_with("IXSCAN")
                && s.cost_us > 1000
        })
        .map(|s| s.id.clone())
        .collect();
    assert!(!expected.is_empty(), "the seed gives matches");
    let json = output.json();
    let listed: Vec<String> = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, expected);
    let query = mock.requests()[0].query.clone().unwrap_or_default();
    for part in [
        "type=query",
        "namespace=shop.orders",
        "plan_summary=IXSCAN",
        "cost_time=1000",
    ] {
        assert!(query.contains(part), "{part} in {query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn costs_read_as_durations_and_operations_are_cut_to_the_width() {
    let mock = mock(0).await;
    let sessions = vec![
        session("1", true, "query", 6_500_000),
        session("2", true, "update", 62_000_000),
        session("3", false, "query", 850_000),
        session("4", true, "insert", 120),
    ];
    mock.set_sessions(NODE, sessions);
    let output = Run::against(&mock, ["list", "--node", NODE])
        .env("COLUMNS", "90")
        .run()
        .await;
    output.assert_code(0);
    let lines: Vec<&str> = output.stdout.lines().collect();
    for (line, cost) in lines[1..5].iter().zip(["6.5s", "1m02s", "850ms", "120µs"]) {
        assert!(line.contains(&format!(" {cost} ")), "{cost} in {line}");
    }
    assert!(
        lines.iter().all(|l| l.chars().count() <= 90),
        "{}",
        output.stdout
    );
    assert!(
        lines[1].ends_with('…'),
        "the operation is cut: {}",
        lines[1]
    );
    assert!(lines[3].contains(" no "), "inactive: {}", lines[3]);
}

// --- kill ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn kill_by_ids_kills_them() {
    let mock = mock(30).await;
    let before = mock.sessions(NODE);
    let doomed: Vec<String> = before
        .iter()
        .filter(|s| s.active)
        .take(3)
        .map(|s| s.id.clone())
        .collect();
    let output = Run::against(&mock, ["kill", "--node", NODE])
        .args(&doomed)
        .run()
        .await;
    output.assert_code(0);
    assert_eq!(output.stdout, "killed 3, failed 0\n");
    assert!(output.stderr.is_empty(), "{output:?}");
    let requests = mock.requests();
    assert_eq!(posts(&requests).len(), 1);
    assert_eq!(posts(&requests)[0].killed_ids(), Some(doomed.clone()));
    let after = ids(&mock.sessions(NODE));
    assert_eq!(after.len(), before.len() - 3);
    assert!(doomed.iter().all(|id| !after.contains(id)));
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_json_names_the_node_and_every_id() {
    let mock = mock(30).await;
    let doomed: Vec<String> = active_ids(&mock, 2);
    let output = Run::against(&mock, ["kill", "--node", NODE, "--output", "json"])
        .args(&doomed)
        .run()
        .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(keys(&json), ["failed", "killed", "node_id"]);
    assert_eq!(json["node_id"], NODE);
    assert_eq!(
        strings(&json["killed"]).into_iter().collect::<HashSet<_>>(),
        doomed.into_iter().collect()
    );
    assert_eq!(json["failed"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_reads_ids_from_standard_input() {
    let mock = mock(30).await;
    let doomed: Vec<String> = active_ids(&mock, 2);
    let input = format!("  {} \n\n\t\n{}\r\n\n", doomed[0], doomed[1]);
    let output = Run::against(&mock, ["kill", "--node", NODE, "-"])
        .stdin(input)
        .run()
        .await;
    output.assert_code(0);
    assert_eq!(output.stdout, "killed 2, failed 0\n");
    assert_eq!(posts(&mock.requests())[0].killed_ids(), Some(doomed));
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_with_ids_sends_nothing() {
    let mock = mock(30).await;
    let output = Run::against(
        &mock,
        [
            "kill",
            "--node",
            NODE,
            "--dry-run",
            "34631",
            "34703",
            "34631",
        ],
    )
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(
        output.stdout,
        "34631\n34703\nwould kill 2 sessions (dry run: nothing was sent)\n"
    );

    let output = Run::against(
        &mock,
        ["kill", "--node", NODE, "--dry-run", "-", "--output", "json"],
    )
    .stdin("34631\n\n34703\n")
    .run()
    .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(keys(&json), ["dry_run", "node_id", "would_kill"]);
    assert_eq!(json["dry_run"], true);
    assert_eq!(strings(&json["would_kill"]), ["34631", "34703"]);
    assert!(mock.requests().is_empty(), "a dry run by ids sends nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_with_filters_lists_but_kills_nothing() {
    let mock = mock(100).await;
    let before = mock.sessions(NODE);
    let expected: Vec<String> = before
        .iter()
        .filter(|s| s.active && s.op_type == "query")
        .map(|s| s.id.clone())
        .collect();
    let output = Run::against(
        &mock,
        [
            "kill",
            "--node",
            NODE,
            "--type",
            "query",
            "--dry-run",
            "--output",
            "json",
        ],
    )
    .run()
    .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(
        keys(&json),
        ["dry_run", "node_id", "sessions", "would_kill"]
    );
    assert_eq!(strings(&json["would_kill"]), expected);
    assert_eq!(json["sessions"].as_array().unwrap().len(), expected.len());
    assert!(
        mock.requests().iter().all(|r| r.method == "GET"),
        "no kill was sent"
    );
    assert_eq!(mock.sessions(NODE), before);

    let output = Run::against(
        &mock,
        ["kill", "--node", NODE, "--type", "query", "--dry-run"],
    )
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(output.stdout.lines().count(), 1 + expected.len() + 1);
    assert!(output.stdout.ends_with(&format!(
        "would kill {} sessions (dry run: nothing was killed)\n",
        expected.len()
    )));
    assert!(posts(&mock.requests()).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_by_filter_kills_only_the_active_matching_sessions() {
    let mock = mock(100).await;
    let before = mock.sessions(NODE);
    let is_target = |s: &MockSession| s.active && s.op_type == "query" && s.cost_us > 1_000;
    let targets: HashSet<String> = before
        .iter()
        .filter(|s| is_target(s))
        .map(|s| s.id.clone())
        .collect();
    assert!(
        targets.len() > 1 && before.iter().any(|s| !s.active && s.op_type == "query"),
        "the seed gives both kinds"
    );
    let output = Run::against(
        &mock,
        [
            "kill",
            "--node",
            NODE,
            "--type",
            "query",
            "--min-cost-us",
            "1000",
            "--output",
            "json",
        ],
    )
    .run()
    .await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(
        strings(&json["killed"]).into_iter().collect::<HashSet<_>>(),
        targets
    );
    let expected_after: Vec<MockSession> = before.into_iter().filter(|s| !is_target(s)).collect();
    assert_eq!(
        mock.sessions(NODE),
        expected_after,
        "inactive and unmatched sessions live on"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_thousand_ids_go_in_batches() {
    let mock = mock(0).await;
    let ids: Vec<String> = (0..2_000).map(|i| format!("s{i}")).collect();
    let input: String = ids.iter().map(|id| format!("{id}\n")).collect();
    for (extra, posts_expected, largest) in [
        (vec![], 20, 100),
        (vec!["--batch-size", "500", "--concurrency", "2"], 4, 500),
        (vec!["--batch-size", "333"], 7, 333),
    ] {
        let output = Run::against(&mock, ["kill", "--node", NODE, "-", "--output", "json"])
            .args(&extra)
            .stdin(input.clone())
            .run()
            .await;
        output.assert_code(0);
        assert_eq!(output.json()["killed"].as_array().unwrap().len(), 2_000);
        let requests = mock.take_requests();
        let batches: Vec<Vec<String>> = posts(&requests)
            .iter()
            .map(|r| r.killed_ids().unwrap())
            .collect();
        assert_eq!(batches.len(), posts_expected, "{extra:?}");
        assert!(batches.iter().all(|b| b.len() <= largest), "{extra:?}");
        assert_eq!(batches.iter().map(Vec::len).max(), Some(largest));
        let sent: HashSet<&String> = batches.iter().flatten().collect();
        assert_eq!(sent.len(), 2_000, "every id once");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_batches_exit_1_and_say_why() {
    let mock = mock(0).await;
    mock.set_sessions(
        NODE,
        vec![
            session("100", true, "query", 5),
            session("200", false, "query", 5),
        ],
    );
    let output = Run::against(
        &mock,
        [
            "kill",
            "--node",
            NODE,
            "--batch-size",
            "1",
            "--output",
            "json",
            "100",
            "200",
        ],
    )
    .run()
    .await;
    output.assert_code(1);
    let json = output.json();
    assert_eq!(strings(&json["killed"]), ["100"]);
    let failed = json["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(keys(&failed[0]), ["error", "sessions"]);
    assert_eq!(strings(&failed[0]["sessions"]), ["200"]);
    let error = &failed[0]["error"];
    assert_eq!(
        keys(error),
        ["code", "kind", "message", "request_id", "status", "text"]
    );
    assert_eq!(error["status"], 400);
    assert_eq!(error["code"], "DBS.301071");
    assert_eq!(error["kind"], "api");
    assert!(error["message"].as_str().unwrap().contains("inactive"));
    assert!(!error["request_id"].as_str().unwrap().is_empty());
    assert!(error["text"].as_str().unwrap().contains("DBS.301071"));

    let output = Run::against(&mock, ["kill", "--node", NODE, "200"])
        .run()
        .await;
    output.assert_code(1);
    assert!(
        output.stdout.starts_with("killed 0, failed 1\n"),
        "{output:?}"
    );
    assert!(
        output.stdout.contains("1 session (200)") && output.stdout.contains("DBS.301071"),
        "{output:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_exit_1_naming_status_code_message_and_request_id() {
    let mock = mock(30).await;
    mock.inject([Fault::status(400)]);
    let output = Run::against(&mock, ["list", "--node", NODE]).run().await;
    output.assert_code(1);
    assert!(output.stdout.is_empty());
    for part in [
        "error: ",
        "400",
        "MOCK.400",
        "injected fault: HTTP 400",
        "request id ",
    ] {
        assert!(output.stderr.contains(part), "{part} in {}", output.stderr);
    }
    assert!(output.stderr.lines().count() <= 2, "{}", output.stderr);

    mock.inject([Fault::status(500)]);
    let output = Run::against(&mock, ["kill", "--node", NODE, "--type", "query"])
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("500"), "{}", output.stderr);
    assert!(
        posts(&mock.requests()).is_empty(),
        "the listing failed, so nothing was killed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_that_does_not_stop_exits_1() {
    let mock = mock(30).await;
    mock.inject((0..3).map(|_| Fault::throttle(Some(0))));
    let output = Run::against(&mock, ["list", "--node", NODE]).run().await;
    output.assert_code(1);
    assert!(
        output.stderr.contains("429") && output.stderr.contains("APIGW.0308"),
        "{}",
        output.stderr
    );
    assert_eq!(mock.take_requests().len(), 3, "three attempts");

    mock.inject((0..3).map(|_| Fault::throttle(Some(0))));
    let output = Run::against(&mock, ["kill", "--node", NODE, "--output", "json", "1"])
        .run()
        .await;
    output.assert_code(1);
    assert_eq!(output.json()["failed"][0]["error"]["kind"], "throttled");
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_bounds_each_attempt() {
    let mock = mock(30).await;
    mock.inject((0..3).map(|_| Fault::delay(Duration::from_secs(10))));
    let started = std::time::Instant::now();
    let output = Run::against(&mock, ["--timeout", "0.2", "list", "--node", NODE])
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("timed out"), "{}", output.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_exits_2_and_sends_nothing() {
    let mock = mock(30).await;
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["list", "--node", NODE, "--limit", "0"], ""),
        (vec!["list", "--node", NODE, "--limit", "21"], ""),
        (vec!["list", "--node", NODE, "--offset=-1"], ""),
        (vec!["list", "--node", NODE, "--offset", "-1"], ""),
        (vec!["list", "--node", NODE, "--offset", "2147483648"], ""),
        (vec!["list", "--node", ""], ""),
        (vec!["list", "--node", "."], ""),
        (vec!["list", "--node", ".."], ""),
        (vec!["list", "--node", "a\u{7}b"], ""),
        (
            vec!["list", "--node", NODE, "--min-cost-us", "3000000000"],
            "",
        ),
        (vec!["list", "--node", NODE, "--type", ""], ""),
        (
            vec!["list", "--node", NODE, "--all", "--concurrency", "0"],
            "",
        ),
        (vec!["list", "--node", NODE, "--concurrency", "2"], ""),
        (vec!["mock", "--latency-ms", "soon"], ""),
        (vec!["list"], ""),
        (vec!["kill", "--node", NODE], ""),
        (vec!["kill", "--node", NODE, "--dry-run"], ""),
        (vec!["kill", "--node", NODE, "1", "--type", "query"], ""),
        (vec!["kill", "--node", NODE, ""], ""),
        (vec!["kill", "--node", NODE, "1", "a\u{1}b"], ""),
        (vec!["kill", "--node", NODE, "1", "-"], ""),
        (vec!["kill", "--node", NODE, "-"], "\n  \n"),
        (vec!["kill", "--node", NODE, "-"], "1\na\u{7}b\n"),
        (vec!["kill", "--node", NODE, "1", "--batch-size", "0"], ""),
        (vec!["kill", "--node", NODE, "1", "--batch-size", "501"], ""),
        (vec!["kill", "--node", NODE, "1", "--concurrency", "0"], ""),
        (vec!["kill", "--node", ".", "1"], ""),
        (vec!["kill", "--node", ".", "--dry-run", "1"], ""),
        (vec!["kill", "--node", NODE, "--dry-run", "1", ""], ""),
        (vec!["kill", "--node", "..", "--type", "query"], ""),
        (
            vec![
                "kill",
                "--node",
                NODE,
                "--type",
                "query",
                "--min-cost-us",
                "3000000000",
            ],
            "",
        ),
        (vec!["--output", "xml", "list", "--node", NODE], ""),
        (vec!["--timeout", "0", "list", "--node", NODE], ""),
        (vec!["--timeout", "soon", "list", "--node", NODE], ""),
        (vec!["--project-id", "a b", "list", "--node", NODE], ""),
        (vec!["mock", "--ak", AK], ""),
        (vec!["mock", "--sk", SK], ""),
        (vec!["mock", "--listen", "nowhere"], ""),
        (vec!["frobnicate"], ""),
    ];
    for (args, stdin) in cases {
        let output = Run::against(&mock, &args).stdin(stdin).run().await;
        assert_eq!(output.code, 2, "{args:?}: {output:#?}");
        assert!(
            output.stderr.starts_with("error: "),
            "{args:?}: {}",
            output.stderr
        );
        assert!(
            !output.stderr.contains("panicked") && !output.stderr.contains("RUST_BACKTRACE"),
            "{args:?}: {}",
            output.stderr
        );
        assert!(output.stdout.is_empty(), "{args:?}: {}", output.stdout);
    }
    let output = Run::against(&mock, ["kill", "--node", NODE, "-"])
        .stdin(&b"1\n\xff\n"[..])
        .run()
        .await;
    output.assert_code(2);
    assert!(
        output.stderr.starts_with("error: cannot read session ids"),
        "{}",
        output.stderr
    );
    for endpoint in ["http://10.0.0.1", "ftp://dds.example", "not a url"] {
        let output = Run::new(["--endpoint", endpoint, "list", "--node", NODE])
            .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .run()
            .await;
        assert_eq!(output.code, 2, "{endpoint}: {output:#?}");
        assert!(
            output.stderr.contains("endpoint"),
            "{endpoint}: {}",
            output.stderr
        );
    }
    assert!(
        mock.requests().is_empty(),
        "nothing was sent: {:#?}",
        mock.requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_say_what_is_wrong() {
    let mock = mock(30).await;
    let said = |args: Vec<&str>, stdin: &str| {
        let run = Run::against(&mock, args).stdin(stdin);
        async move { run.run().await.stderr }
    };
    assert!(
        said(vec!["kill", "--node", NODE], "")
            .await
            .contains("at least one filter")
    );
    assert!(
        said(vec!["kill", "--node", NODE, "-"], "\n")
            .await
            .contains("no session ids on standard input")
    );
    assert!(
        said(vec!["list", "--node", "."], "")
            .await
            .contains("node_id")
    );
    assert!(
        said(vec!["list", "--node", NODE, "--limit", "21"], "")
            .await
            .contains("1..=20")
    );
    assert!(
        said(vec!["kill", "--node", NODE, "1", "--batch-size", "501"], "")
            .await
            .contains("1..=500")
    );
    assert!(
        said(vec!["kill", "--node", NODE, "a\u{1}b"], "")
            .await
            .contains("control character")
    );
    assert!(mock.requests().is_empty());
}

// --- configuration and authentication -----------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn missing_configuration_exits_2_saying_what_to_set() {
    let mock = mock(30).await;
    let output = Run::against(&mock, ["list", "--node", NODE])
        .env_remove("HUAWEICLOUD_AUTH_TOKEN")
        .run()
        .await;
    output.assert_code(2);
    assert!(
        output.stderr.contains("HUAWEICLOUD_SDK_AK")
            && output.stderr.contains("HUAWEICLOUD_AUTH_TOKEN"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.lines().count() <= 2, "{}", output.stderr);

    let output = Run::against(&mock, ["list", "--node", NODE])
        .env_remove("HUAWEICLOUD_SDK_PROJECT_ID")
        .run()
        .await;
    output.assert_code(2);
    assert!(
        output.stderr.contains("HUAWEICLOUD_SDK_PROJECT_ID"),
        "{}",
        output.stderr
    );

    let output = Run::new(["--region", "mars-north-1", "list", "--node", NODE])
        .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .run()
        .await;
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("HUAWEICLOUD_SDK_REGION_DDS_MARS_NORTH_1"),
        "{}",
        output.stderr
    );

    let output = Run::new(["list", "--node", NODE])
        .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .run()
        .await;
    output.assert_code(2);
    assert!(
        output.stderr.contains("HUAWEICLOUD_SDK_REGION"),
        "no region: {}",
        output.stderr
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_the_environment_authenticates() {
    let mock = mock(30).await;
    Run::against(&mock, ["list", "--node", NODE])
        .run()
        .await
        .assert_code(0);
    assert_eq!(mock.take_requests()[0].header("x-auth-token"), Some(TOKEN));

    let output = Run::against(&mock, ["list", "--node", NODE])
        .env("HUAWEICLOUD_AUTH_TOKEN", "some-other-token")
        .run()
        .await;
    output.assert_code(1);
    assert!(
        output.stderr.contains("401")
            && output.stderr.contains("APIGW.0301")
            && output.stderr.contains("check the credentials"),
        "{}",
        output.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ak_sk_from_the_environment_signs_every_request() {
    let mock = MockServer::builder()
        .ak_sk(AK, SK)
        .sessions_per_node(30)
        .start()
        .await
        .unwrap();
    let signed = |args: Vec<String>| {
        Run::new(["--endpoint", mock.url(), "--project-id", PROJECT])
            .args(args)
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
    };
    signed(vec!["list".into(), "--node".into(), NODE.into()])
        .run()
        .await
        .assert_code(0);
    let active = mock
        .sessions(NODE)
        .into_iter()
        .find(|s| s.active)
        .unwrap()
        .id;
    signed(vec!["kill".into(), "--node".into(), NODE.into(), active])
        .run()
        .await
        .assert_code(0);
    let requests = mock.take_requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.starts_with(&format!("SDK-HMAC-SHA256 Access={AK}")),
            "{authorization}"
        );
    }

    let output = signed(vec!["list".into(), "--node".into(), NODE.into()])
        .env("HUAWEICLOUD_SDK_SK", "not-the-secret")
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("401"), "{}", output.stderr);
}

/// Writes a credentials file with mode 0600 (the library warns about looser ones).
fn credentials_file(path: &std::path::Path, project_id: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {project_id}\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_credentials_file_supplies_keys_and_project() {
    let mock = MockServer::builder()
        .ak_sk(AK, SK)
        .sessions_per_node(30)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("creds.ini");
    credentials_file(&file, "fileproject01");
    let output = Run::new(["--endpoint", mock.url(), "list", "--node", NODE])
        .env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.to_str().unwrap())
        .run()
        .await;
    output.assert_code(0);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    assert_eq!(
        mock.take_requests()[0].path,
        format!("/v3/fileproject01/nodes/{NODE}/sessions")
    );

    // The default place, under HOME.
    let home = tempfile::tempdir().unwrap();
    credentials_file(
        &home.path().join(".huaweicloud/credentials"),
        "homeproject02",
    );
    let output = Run::new(["--endpoint", mock.url(), "list", "--node", NODE])
        .home(home.path())
        .run()
        .await;
    output.assert_code(0);
    assert_eq!(
        mock.take_requests()[0].path,
        format!("/v3/homeproject02/nodes/{NODE}/sessions")
    );

    // A flag wins over the file.
    let output = Run::new([
        "--endpoint",
        mock.url(),
        "--project-id",
        "flagproject03",
        "list",
        "--node",
        NODE,
    ])
    .home(home.path())
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(
        mock.take_requests()[0].path,
        format!("/v3/flagproject03/nodes/{NODE}/sessions")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_override_in_the_environment_is_honoured() {
    let mock = mock(30).await;
    let base = || {
        Run::new(["list", "--node", NODE])
            .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .env("HUAWEICLOUD_SDK_REGION_DDS_AP_SOUTHEAST_1", mock.url())
    };
    base()
        .args(["--region", "ap-southeast-1"])
        .run()
        .await
        .assert_code(0);
    base()
        .env("HUAWEICLOUD_SDK_REGION", "ap-southeast-1")
        .run()
        .await
        .assert_code(0);
    // The flag wins over HUAWEICLOUD_SDK_REGION (a region with no endpoint would fail).
    base()
        .env("HUAWEICLOUD_SDK_REGION", "mars-north-1")
        .args(["--region", "ap-southeast-1"])
        .run()
        .await
        .assert_code(0);
    // So does --project-id over HUAWEICLOUD_SDK_PROJECT_ID.
    base()
        .args(["--region", "ap-southeast-1", "--project-id", "flagproject"])
        .run()
        .await
        .assert_code(0);
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 4);
    assert_eq!(paths[3], format!("/v3/flagproject/nodes/{NODE}/sessions"));
}

// --- the mock command ---------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_command_serves_until_terminated() {
    let mut child = Run::new([
        "mock",
        "--listen",
        "127.0.0.1:0",
        "--sessions",
        "7",
        "--token",
        TOKEN,
        "--ak",
        AK,
        "--sk",
        SK,
        "-vvv",
    ])
    .env("RUST_LOG", "trace")
    .spawn();
    let url = tokio::task::block_in_place(|| child.line());
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let output = Run::new([
        "--endpoint",
        &url,
        "--project-id",
        PROJECT,
        "list",
        "--node",
        NODE,
        "--output",
        "json",
    ])
    .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(output.json()["total_count"], 7);
    let output = Run::new([
        "--endpoint",
        &url,
        "--project-id",
        PROJECT,
        "list",
        "--node",
        NODE,
    ])
    .env("HUAWEICLOUD_SDK_AK", AK)
    .env("HUAWEICLOUD_SDK_SK", SK)
    .run()
    .await;
    output.assert_code(0);
    let output = Run::new([
        "--endpoint",
        &url,
        "--project-id",
        PROJECT,
        "list",
        "--node",
        NODE,
    ])
    .env("HUAWEICLOUD_AUTH_TOKEN", "wrong")
    .run()
    .await;
    output.assert_code(1);

    let (code, stderr) = tokio::task::block_in_place(|| child.terminate());
    if cfg!(unix) {
        assert_eq!(code, Some(0), "a clean exit on SIGTERM; stderr: {stderr}");
    }
    assert!(!stderr.contains(SK) && !stderr.contains(TOKEN), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_command_refuses_a_busy_address() {
    let busy = mock(0).await;
    let output = Run::new(["mock", "--listen", &busy.address().to_string()])
        .run()
        .await;
    output.assert_code(2);
    assert!(output.stderr.contains("cannot listen"), "{}", output.stderr);
}

// --- logging and secrets ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn verbosity_and_rust_log_choose_the_log_lines() {
    let mock = mock(30).await;
    let quiet = Run::against(&mock, ["list", "--node", NODE]).run().await;
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let debug = Run::against(&mock, ["-vv", "list", "--node", NODE])
        .run()
        .await;
    assert!(
        debug.stderr.contains("DEBUG") && debug.stderr.contains("sending"),
        "{}",
        debug.stderr
    );
    let info = Run::against(&mock, ["list", "--node", NODE, "-v"])
        .run()
        .await;
    assert!(!info.stderr.contains("DEBUG"), "{}", info.stderr);
    let silenced = Run::against(&mock, ["-vvv", "list", "--node", NODE])
        .env("RUST_LOG", "off")
        .run()
        .await;
    assert!(
        silenced.stderr.is_empty(),
        "RUST_LOG wins: {}",
        silenced.stderr
    );
    let by_env = Run::against(&mock, ["list", "--node", NODE])
        .env("RUST_LOG", "debug")
        .run()
        .await;
    assert!(by_env.stderr.contains("sending"), "{}", by_env.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_never_appear_at_any_verbosity() {
    let security_token = "cli-test-security-token-Hn4k";
    let mock = MockServer::builder()
        .token(TOKEN)
        .ak_sk(AK, SK)
        .temporary_ak_sk("HPUATEMPORARYAK00002", SK, security_token)
        .sessions_per_node(30)
        .start()
        .await
        .unwrap();
    let active: Vec<String> = mock
        .sessions(NODE)
        .into_iter()
        .filter(|s| s.active)
        .map(|s| s.id)
        .take(3)
        .collect();
    let loud = |args: Vec<&str>| {
        Run::against(&mock, ["-vvv"])
            .args(args)
            .env("RUST_LOG", "trace")
    };
    let runs = vec![
        loud(vec!["list", "--node", NODE]),
        loud(vec!["kill", "--node", NODE, active[0].as_str()]),
        loud(vec!["list", "--node", NODE])
            .env("HUAWEICLOUD_AUTH_TOKEN", "wrong-token-but-secret-too"),
        loud(vec!["list", "--node", NODE, "--output", "json"])
            .env_remove("HUAWEICLOUD_AUTH_TOKEN")
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK),
        loud(vec!["kill", "--node", NODE, active[1].as_str()])
            .env_remove("HUAWEICLOUD_AUTH_TOKEN")
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK),
        loud(vec!["kill", "--node", NODE, active[2].as_str()])
            .env_remove("HUAWEICLOUD_AUTH_TOKEN")
            .env("HUAWEICLOUD_SDK_AK", "HPUATEMPORARYAK00002")
            .env("HUAWEICLOUD_SDK_SK", SK)
            .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", security_token),
        loud(vec!["list", "--node", NODE])
            .env_remove("HUAWEICLOUD_AUTH_TOKEN")
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", "wrong-sk-but-secret-too"),
    ];
    for (label, run) in runs.into_iter().enumerate() {
        let output = run.run().await;
        assert!(
            !output.stderr.is_empty(),
            "trace logging is on in run {label}"
        );
        for secret in [
            SK,
            TOKEN,
            security_token,
            "wrong-token-but-secret-too",
            "wrong-sk-but-secret-too",
        ] {
            assert!(
                !output.stdout.contains(secret) && !output.stderr.contains(secret),
                "a secret printed by run {label}"
            );
        }
    }
}

/// Configuration that cannot work is refused before anything is sent, saying what is wrong.
#[tokio::test(flavor = "multi_thread")]
async fn bad_configuration_exits_2_naming_the_problem() {
    let mock = mock(30).await;
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path.to_string_lossy().into_owned()
    };
    let malformed = file("malformed", "[basic]\nthis line is not a key\n");
    let no_basic = file("no-basic", "[other]\nak = A\nsk = S\n");
    let a_directory = dir.path().to_string_lossy().into_owned();
    let ak_only = file("ak-only", "[basic]\nak = A\nproject_id = p\n");
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec!["--endpoint", "not a url"], vec![], "endpoint"),
        (vec!["--endpoint", "http://10.0.0.1"], vec![], "plain http"),
        (vec!["--project-id", ""], vec![], "project"),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_AK", AK)],
            "HUAWEICLOUD_SDK_SK",
        ),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_SK", SK)],
            "HUAWEICLOUD_SDK_AK",
        ),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &malformed)],
            "line 2",
        ),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &no_basic)],
            "[basic]",
        ),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &a_directory)],
            "credentials file",
        ),
        (
            vec![],
            vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &ak_only)],
            "sk",
        ),
    ];
    for (global, env, said) in cases {
        let list = ["list", "--node", NODE];
        let mut run = if global.contains(&"--endpoint") {
            Run::new(global.iter().copied().chain(list))
                .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
                .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        } else {
            Run::against(&mock, global.iter().copied().chain(list))
        };
        if !env.is_empty() {
            run = run.env_remove("HUAWEICLOUD_AUTH_TOKEN");
        }
        for (name, value) in &env {
            run = run.env(name, value);
        }
        let output = run.run().await;
        assert_eq!(output.code, 2, "{global:?} {env:?}: {output:#?}");
        assert!(
            output.stderr.contains(said),
            "{global:?} {env:?}: {}",
            output.stderr
        );
        assert!(output.stderr.lines().count() <= 2, "{}", output.stderr);
    }
    assert!(mock.requests().is_empty());
}
