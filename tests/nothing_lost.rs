//! Issue 7 §3, nothing lost: a bulk kill sends every id exactly once and its report accounts
//! for every id exactly once — killed or failed, never both, never neither — through the
//! library and the command line, with and without batches that fail for good.
//!
//! The mock has no sessions (`sessions_per_node(0)`), so an unknown id is simply nothing to
//! kill; `fail_kills` makes about a tenth of the batches fail on every attempt.

#[allow(dead_code)]
mod cli_common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use cli_common::{NODE, PROJECT, Run, TOKEN};
use dds_sessions::mock::{MockServer, RecordedRequest};
use dds_sessions::{Client, Credentials, KillReport, RetryConfig};

/// Attempts per batch, the default policy's.
const ATTEMPTS: usize = 3;

async fn mock() -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .sessions_per_node(0)
        .start()
        .await
        .expect("the mock starts")
}

/// A client of `mock`: default batch size (100), three attempts, fast back-off.
fn client(mock: &MockServer) -> Client {
    Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN))
        .env_lookup(|_| None)
        .retry(
            RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("the client builds")
}

fn numbered(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("s{i}")).collect()
}

fn set<'a>(ids: impl IntoIterator<Item = &'a String>) -> HashSet<&'a str> {
    ids.into_iter().map(String::as_str).collect()
}

/// The kill batches the mock received, each with the number of times it was sent.
fn batches_sent(requests: &[RecordedRequest]) -> HashMap<Vec<String>, usize> {
    let mut sent = HashMap::new();
    for request in requests {
        assert_eq!(request.method, "POST", "only kills were sent");
        let batch = request.killed_ids().expect("a DeleteSession body");
        *sent.entry(batch).or_insert(0) += 1;
    }
    sent
}

/// The batches that failed for good: under `fail_kills` a batch either succeeds at once or
/// gets a 503 on every attempt, so it was sent once or [`ATTEMPTS`] times.
fn failed_for_good(sent: &HashMap<Vec<String>, usize>) -> HashSet<Vec<String>> {
    for (batch, times) in sent {
        assert!(
            *times == 1 || *times == ATTEMPTS,
            "a batch sent {times} times: {:?}…",
            &batch[..batch.len().min(3)]
        );
    }
    sent.iter()
        .filter(|(_, times)| **times == ATTEMPTS)
        .map(|(batch, _)| batch.clone())
        .collect()
}

/// The report names every id of `input` exactly once, killed or failed.
#[track_caller]
fn assert_accounts_for_every_id(report: &KillReport, input: &HashSet<&str>) {
    let killed = set(&report.killed);
    let failed: HashSet<&str> = report.failed_ids().collect();
    assert_eq!(killed.len(), report.killed.len(), "an id killed twice");
    assert_eq!(
        failed.len(),
        report.failed_ids().count(),
        "an id failed twice"
    );
    assert!(killed.is_disjoint(&failed), "an id both killed and failed");
    assert_eq!(&(&killed | &failed), input, "killed ∪ failed = the input");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_kill_sends_every_id_once_and_reports_every_id() {
    let mock = mock().await;
    let ids = numbered(100_000);
    let report = client(&mock)
        .node(NODE)
        .kill(ids.clone())
        .concurrency(64)
        .await
        .unwrap();
    let input = set(&ids);
    assert!(report.is_complete(), "{:?}", report.failed.first());
    assert_accounts_for_every_id(&report, &input);

    let requests = mock.take_requests();
    assert_eq!(requests.len(), 1_000, "100 ids a request");
    let sent: Vec<String> = requests
        .iter()
        .flat_map(|r| r.killed_ids().expect("a DeleteSession body"))
        .collect();
    assert_eq!(sent.len(), ids.len(), "no id sent twice");
    assert_eq!(set(&sent), input, "every id sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_names_exactly_the_batches_that_failed_for_good() {
    let mock = mock().await;
    mock.fail_kills(0.1, 7);
    let ids = numbered(20_000);
    let report = client(&mock)
        .node(NODE)
        .kill(ids.clone())
        .concurrency(16)
        .await
        .unwrap();
    assert_accounts_for_every_id(&report, &set(&ids));

    let sent = batches_sent(&mock.take_requests());
    assert_eq!(sent.len(), 200, "every batch was sent");
    let failed = failed_for_good(&sent);
    assert!(
        (5..=50).contains(&failed.len()),
        "about a tenth of 200 batches fail: {}",
        failed.len()
    );
    let reported: HashSet<Vec<String>> = report.failed.iter().map(|f| f.sessions.clone()).collect();
    assert_eq!(
        reported.len(),
        report.failed.len(),
        "a batch reported twice"
    );
    assert_eq!(reported, failed, "the failed batches, exactly");
    for batch in &report.failed {
        assert_eq!(batch.error.status(), Some(503), "{}", batch.error);
        assert_eq!(batch.error.code(), Some("MOCK.0503"), "{}", batch.error);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_names_the_ids_not_killed_and_a_rerun_of_them_completes() {
    let mock = mock().await;
    mock.fail_kills(0.1, 11);
    let ids = numbered(10_000);
    let stdin: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let kill = |format: &str, input: String| {
        Run::against(&mock, ["kill", "--node", NODE, "-", "--concurrency", "16"])
            .args(["--output", format])
            .stdin(input)
    };

    // JSON: the failed batches are exactly those the mock failed on every attempt.
    let output = kill("json", stdin.clone()).run().await;
    output.assert_code(1);
    let failed = failed_for_good(&batches_sent(&mock.take_requests()));
    assert!(!failed.is_empty(), "some batches failed");
    let json = output.json();
    let reported: HashSet<Vec<String>> = json["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|batch| cli_common::strings(&batch["sessions"]))
        .collect();
    assert_eq!(
        reported, failed,
        "failed[].sessions: exactly the failed batches"
    );
    let not_killed: HashSet<&String> = failed.iter().flatten().collect();
    let killed = cli_common::strings(&json["killed"]);
    assert_eq!(killed.len() + not_killed.len(), ids.len());
    assert!(killed.iter().all(|id| !not_killed.contains(id)));

    // Text: the same batches fail (they fail by content); each is named by its first ids.
    let output = kill("text", stdin).run().await;
    output.assert_code(1);
    assert_eq!(
        failed_for_good(&batches_sent(&mock.take_requests())),
        failed,
        "the same batches fail again"
    );
    let summary = format!("killed {}, failed {}", killed.len(), not_killed.len());
    assert_eq!(output.stdout.lines().next(), Some(summary.as_str()));
    let lines: Vec<&str> = output
        .stdout
        .lines()
        .filter(|l| l.starts_with("  not killed: "))
        .collect();
    assert_eq!(lines.len(), failed.len(), "{}", output.stdout);
    for batch in &failed {
        let named = format!("{} sessions ({}, {}", batch.len(), batch[0], batch[1]);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&named) && l.contains("503")),
            "{named} in {}",
            output.stdout
        );
    }

    // The rerun of exactly the ids not killed completes the job.
    mock.fail_kills(0.0, 0);
    let rest: String = not_killed.iter().map(|id| format!("{id}\n")).collect();
    let output = kill("json", rest).run().await;
    output.assert_code(0);
    let json = output.json();
    assert_eq!(json["failed"], serde_json::json!([]));
    let rerun_killed = cli_common::strings(&json["killed"]);
    assert_eq!(rerun_killed.len(), not_killed.len());
    assert_eq!(rerun_killed.iter().collect::<HashSet<_>>(), not_killed);
    let sent: Vec<String> = mock
        .take_requests()
        .iter()
        .flat_map(|r| r.killed_ids().expect("a DeleteSession body"))
        .collect();
    assert_eq!(sent.len(), not_killed.len(), "only the rest, once each");
    assert_eq!(sent.iter().collect::<HashSet<_>>(), not_killed);
}

#[test]
fn any_ids_any_batch_size_any_failures_every_id_is_accounted_for_once() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime.block_on(mock());
    let node = client(&mock).node(NODE);
    let strategy = (
        // Few distinct ids, so duplicates are common.
        proptest::collection::vec((0u32..300).prop_map(|n| n.to_string()), 1..600),
        1usize..=500,
        0.0f64..=1.0,
        any::<u64>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(ids, batch_size, failure_rate, seed)| {
            mock.fail_kills(failure_rate, seed);
            mock.take_requests();
            let report = runtime
                .block_on(
                    node.kill(ids.clone())
                        .batch_size(batch_size)
                        .concurrency(8)
                        .send(),
                )
                .unwrap();
            let unique: HashSet<&str> = set(&ids);
            let killed = set(&report.killed);
            let failed: HashSet<&str> = report.failed_ids().collect();
            prop_assert_eq!(killed.len(), report.killed.len(), "an id killed twice");
            prop_assert_eq!(
                failed.len(),
                report.failed_ids().count(),
                "an id failed twice"
            );
            prop_assert!(killed.is_disjoint(&failed), "an id both killed and failed");
            prop_assert_eq!(
                &killed | &failed,
                unique,
                "killed ∪ failed = the unique input"
            );
            let sent = batches_sent(&mock.take_requests());
            prop_assert!(sent.keys().all(|batch| batch.len() <= batch_size));
            let reported: HashSet<Vec<String>> =
                report.failed.iter().map(|f| f.sessions.clone()).collect();
            prop_assert_eq!(reported, failed_for_good(&sent));
            Ok(())
        })
        .unwrap();
}
