//! Issue 7 §1, the fault matrix: every way a server or the network can fail, against both
//! operations (`ListSessions`, `DeleteSession`) and both front ends (the library, the
//! `dds-sessions` binary).
//!
//! [`rows`] is the one table. Each row names a fault, how to stage it, what each operation must
//! end in, and how many attempts that takes. Each test runs every row once, bounded by
//! [`BOUND`] (a bound, not a timing assertion), and reports every row that went wrong at once.

#[allow(dead_code)]
mod cli_common;
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{AK, NODE, PROJECT, Reply, SECURITY_TOKEN, SK, TOKEN, TestServer, session_json};
use dds_sessions::{
    Client, Credentials, DEFAULT_MAX_RESPONSE_SIZE, Error, RetryConfig, TimeoutScope, TransportKind,
};
use futures_util::StreamExt;

/// The longest any row may take, retries included.
const BOUND: Duration = Duration::from_secs(10);
/// The per-attempt time limit of every client here.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(200);
/// The same, as the command line takes it.
const CLI_TIMEOUT: &str = "0.2";
/// The size of the endless answer.
const HUGE: usize = 64 << 20;
/// The session the kills aim at.
const SESSION: &str = "34631";

// --- the table ----------------------------------------------------------------------------

/// How a fault is staged.
#[derive(Clone)]
enum Setup {
    /// A scripted server: `first` answers, in order, then `then` for every later request.
    Server { first: Vec<Reply>, then: Reply },
    /// A server that redirects every request to another host (a healthy server).
    Redirect,
    /// A port nobody listens on.
    Refused,
    /// A host name that cannot resolve.
    Unresolvable,
}

/// What an operation must end in.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    Ok,
    Api {
        status: u16,
        code: Option<&'static str>,
        /// A part of the message (error bodies that are HTML are kept as an excerpt).
        message: &'static str,
        request_id: Option<&'static str>,
    },
    Throttled {
        retry_after: Option<Duration>,
    },
    /// One attempt timed out (the last of them).
    AttemptTimeout,
    Transport(TransportKind),
    /// A `302` naming the other host, not followed.
    Redirect,
    InvalidResponse {
        status: u16,
    },
    TooLarge,
}

struct Row {
    fault: &'static str,
    setup: Setup,
    list: Expect,
    kill: Expect,
    /// Attempts the client makes (the server records as many, unless it never reads them).
    attempts: usize,
}

fn rows() -> Vec<Row> {
    let always = |reply: Reply| Setup::Server {
        first: vec![],
        then: reply,
    };
    let once_then_healthy = |reply: Reply| Setup::Server {
        first: vec![reply],
        then: healthy(),
    };
    let both = |expect: Expect| (expect.clone(), expect);
    let api = |status, code, message, request_id| Expect::Api {
        status,
        code,
        message,
        request_id,
    };
    let throttle = |retry_after: Option<&str>| {
        let reply = Reply::json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#,
        );
        match retry_after {
            Some(seconds) => reply.with_header("retry-after", seconds),
            None => reply,
        }
    };
    let table: Vec<(&str, Setup, (Expect, Expect), usize)> = vec![
        (
            "400 with a DDS error",
            always(
                Reply::json(
                    400,
                    r#"{"error_code":"DBS.301071","error_msg":"Invalid session id"}"#,
                )
                .with_header("x-request-id", "rid-400"),
            ),
            both(api(
                400,
                Some("DBS.301071"),
                "Invalid session id",
                Some("rid-400"),
            )),
            1,
        ),
        (
            "401 gateway error, request id in the body",
            always(Reply::json(
                401,
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"rid-401"}"#,
            )),
            both(api(
                401,
                Some("APIGW.0301"),
                "Incorrect IAM authentication information",
                Some("rid-401"),
            )),
            1,
        ),
        (
            "403",
            always(
                Reply::json(
                    403,
                    r#"{"error_code":"DBS.200019","error_msg":"Permission denied"}"#,
                )
                .with_header("x-request-id", "rid-403"),
            ),
            both(api(
                403,
                Some("DBS.200019"),
                "Permission denied",
                Some("rid-403"),
            )),
            1,
        ),
        (
            "404",
            always(Reply::json(
                404,
                r#"{"error_code":"DBS.200013","error_msg":"The node does not exist"}"#,
            )),
            both(api(
                404,
                Some("DBS.200013"),
                "The node does not exist",
                None,
            )),
            1,
        ),
        (
            "429 with Retry-After, then success",
            once_then_healthy(throttle(Some("0"))),
            both(Expect::Ok),
            2,
        ),
        (
            "429 without Retry-After, then success",
            once_then_healthy(throttle(None)),
            both(Expect::Ok),
            2,
        ),
        (
            "429 with Retry-After, retries exhausted",
            always(throttle(Some("0"))),
            both(Expect::Throttled {
                retry_after: Some(Duration::ZERO),
            }),
            3,
        ),
        (
            "429 without Retry-After, retries exhausted",
            always(throttle(None)),
            both(Expect::Throttled { retry_after: None }),
            3,
        ),
        (
            "500",
            always(
                Reply::json(
                    500,
                    r#"{"error_code":"DBS.200001","error_msg":"Internal error"}"#,
                )
                .with_header("x-request-id", "rid-500"),
            ),
            both(api(
                500,
                Some("DBS.200001"),
                "Internal error",
                Some("rid-500"),
            )),
            1,
        ),
        (
            "502 with an HTML body",
            always(Reply::raw(
                502,
                "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )),
            both(api(502, None, "502 Bad Gateway", None)),
            3,
        ),
        (
            "503 with an HTML body",
            always(
                Reply::raw(
                    503,
                    "text/html",
                    "<html><body>503 Service Temporarily Unavailable</body></html>",
                )
                .with_header("x-request-id", "rid-503"),
            ),
            both(api(
                503,
                None,
                "503 Service Temporarily Unavailable",
                Some("rid-503"),
            )),
            3,
        ),
        (
            "504",
            always(Reply::json(
                504,
                r#"{"error_code":"APIGW.0203","error_msg":"Backend timeout"}"#,
            )),
            both(api(504, Some("APIGW.0203"), "Backend timeout", None)),
            3,
        ),
        (
            "200 with broken JSON",
            always(Reply::json(200, r#"{"total_count":1,"sessions":[{"id":"#)),
            both(Expect::InvalidResponse { status: 200 }),
            1,
        ),
        (
            "200 with JSON of the wrong shape",
            always(Reply::json(200, r#"[{"id":"34631"}]"#)),
            both(Expect::InvalidResponse { status: 200 }),
            1,
        ),
        (
            "200 with an empty body",
            always(Reply::json(200, "")),
            // A kill answered with nothing did what was asked; a page must have a body.
            (Expect::InvalidResponse { status: 200 }, Expect::Ok),
            1,
        ),
        (
            "204",
            always(Reply::raw(204, "application/json", "")),
            (Expect::InvalidResponse { status: 204 }, Expect::Ok),
            1,
        ),
        (
            "302 to another host",
            Setup::Redirect,
            both(Expect::Redirect),
            1,
        ),
        (
            "accepts and never answers",
            always(Reply::Stall),
            both(Expect::AttemptTimeout),
            3,
        ),
        (
            "headers, then the body stalls",
            always(Reply::HeadersThenStall),
            both(Expect::AttemptTimeout),
            3,
        ),
        (
            "reset before the request is read",
            always(Reply::ResetBeforeRead),
            both(Expect::Transport(TransportKind::Reset)),
            3,
        ),
        (
            "reset after the request is read",
            always(Reply::Reset),
            both(Expect::Transport(TransportKind::Reset)),
            3,
        ),
        (
            "64 MiB body, chunked",
            always(Reply::Huge {
                size: HUGE,
                declare_length: false,
            }),
            both(Expect::TooLarge),
            1,
        ),
        (
            "64 MiB body, Content-Length",
            always(Reply::Huge {
                size: HUGE,
                declare_length: true,
            }),
            both(Expect::TooLarge),
            1,
        ),
        (
            "connection refused",
            Setup::Refused,
            both(Expect::Transport(TransportKind::Connect)),
            3,
        ),
        (
            "unresolvable host",
            Setup::Unresolvable,
            both(Expect::Transport(TransportKind::Connect)),
            3,
        ),
    ];
    table
        .into_iter()
        .map(|(fault, setup, (list, kill), attempts)| Row {
            fault,
            setup,
            list,
            kill,
            attempts,
        })
        .collect()
}

/// Answers both operations as the spec says: a page of one session, or `{}`.
fn healthy() -> Reply {
    let page =
        serde_json::json!({"total_count": 1, "sessions": [session_json(1, true)]}).to_string();
    Reply::with(move |request| match request.method.as_str() {
        "GET" => Reply::json(200, &page),
        _ => Reply::json(200, "{}"),
    })
}

// --- staging and judging --------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    List,
    Kill,
}

/// A staged fault: where to send requests, and the servers to question afterwards.
struct Rig {
    endpoint: String,
    server: Option<TestServer>,
    /// For a redirect: the host redirected to, and the `Location` given.
    other: Option<(TestServer, String)>,
}

impl Setup {
    async fn stage(&self) -> Rig {
        match self {
            Setup::Server { first, then } => {
                let server = TestServer::start(then.clone()).await;
                server.script(first.iter().cloned());
                Rig {
                    endpoint: server.url.clone(),
                    server: Some(server),
                    other: None,
                }
            }
            Setup::Redirect => {
                let other = TestServer::start(healthy()).await;
                let location = format!("{}/v3/{PROJECT}/nodes/{NODE}/sessions", other.url);
                let server =
                    TestServer::start(Reply::json(302, "").with_header("location", &location))
                        .await;
                Rig {
                    endpoint: server.url.clone(),
                    server: Some(server),
                    other: Some((other, location)),
                }
            }
            Setup::Refused => {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let port = listener.local_addr().unwrap().port();
                drop(listener);
                Rig {
                    endpoint: format!("http://127.0.0.1:{port}"),
                    server: None,
                    other: None,
                }
            }
            Setup::Unresolvable => Rig {
                endpoint: "https://no-such-host.invalid".to_string(),
                server: None,
                other: None,
            },
        }
    }
}

impl Rig {
    /// What the servers saw, checked against the row: `attempts` requests received (or
    /// connections cut before reading), nothing at the host redirected to, and an endless
    /// body abandoned early.
    async fn check_servers(&self, row: &Row, problems: &mut Vec<String>) {
        if let Some(server) = &self.server {
            let cut_before_reading = matches!(
                row.setup,
                Setup::Server {
                    then: Reply::ResetBeforeRead,
                    ..
                }
            );
            // A connection cut before reading is one attempt, and no request on record.
            let (connections, requests) = if cut_before_reading {
                (Some(row.attempts), 0)
            } else {
                (None, row.attempts)
            };
            let accepted = server.connections.load(Ordering::SeqCst);
            if connections.is_some_and(|expected| accepted != expected) {
                problems.push(format!("{accepted} connections, expected {}", row.attempts));
            }
            let received = server.requests().len();
            if received != requests {
                problems.push(format!(
                    "the server received {received} requests, expected {requests}"
                ));
            }
            if let Setup::Server {
                then: Reply::Huge { .. },
                ..
            } = row.setup
            {
                server.answers_finished(1).await;
                let written = server.huge_bytes_written.load(Ordering::SeqCst);
                if written >= HUGE / 2 {
                    problems.push(format!("{written} bytes of the 64 MiB body were sent"));
                }
            }
        }
        if let Some((other, _)) = &self.other
            && !other.requests().is_empty()
        {
            problems.push("the host redirected to received a request".to_string());
        }
    }

    fn location(&self) -> Option<&str> {
        self.other.as_ref().map(|(_, location)| location.as_str())
    }
}

impl Expect {
    /// Whether `outcome` is what was expected.
    fn matches(&self, outcome: &Result<(), Error>, rig: &Rig) -> bool {
        let error = match (self, outcome) {
            (Expect::Ok, Ok(())) => return true,
            (_, Ok(())) | (Expect::Ok, Err(_)) => return false,
            (_, Err(error)) => error,
        };
        match (self, error) {
            (
                Expect::Api {
                    status,
                    code,
                    message,
                    request_id,
                },
                Error::Api(_),
            ) => {
                error.status() == Some(*status)
                    && error.code() == *code
                    && error.message().is_some_and(|m| m.contains(message))
                    && error.request_id() == *request_id
            }
            (Expect::Throttled { retry_after }, Error::Throttled { .. }) => {
                error.retry_after() == *retry_after
                    && error.status() == Some(429)
                    && error.code() == Some("APIGW.0308")
            }
            (
                Expect::AttemptTimeout,
                Error::Timeout {
                    scope: TimeoutScope::Attempt,
                    limit,
                },
            ) => *limit == ATTEMPT_TIMEOUT,
            (Expect::Transport(expected), Error::Transport { kind, .. }) => kind == expected,
            (
                Expect::Redirect,
                Error::Redirect {
                    status: 302,
                    location,
                    ..
                },
            ) => location.as_deref() == rig.location(),
            (
                Expect::InvalidResponse { status: expected },
                Error::InvalidResponse { status, .. },
            ) => status == expected,
            (Expect::TooLarge, Error::ResponseTooLarge { limit, .. }) => {
                *limit == DEFAULT_MAX_RESPONSE_SIZE
            }
            _ => false,
        }
    }

    /// The `kind` the command line's JSON gives this error.
    fn kind(&self) -> Option<&'static str> {
        Some(match self {
            Expect::Ok => return None,
            Expect::Api { .. } => "api",
            Expect::Throttled { .. } => "throttled",
            Expect::AttemptTimeout => "timeout",
            Expect::Transport(_) => "transport",
            Expect::Redirect => "redirect",
            Expect::InvalidResponse { .. } => "invalid_response",
            Expect::TooLarge => "response_too_large",
        })
    }

    /// The HTTP status the error names, if any.
    fn status(&self) -> Option<u16> {
        match self {
            Expect::Api { status, .. } | Expect::InvalidResponse { status } => Some(*status),
            Expect::Throttled { .. } => Some(429),
            Expect::Redirect => Some(302),
            _ => None,
        }
    }

    fn code(&self) -> Option<&'static str> {
        match self {
            Expect::Api { code, .. } => *code,
            Expect::Throttled { .. } => Some("APIGW.0308"),
            _ => None,
        }
    }

    fn request_id(&self) -> Option<&'static str> {
        match self {
            Expect::Api { request_id, .. } => *request_id,
            _ => None,
        }
    }

    /// What the one-line message of this error must say.
    fn fragments(&self) -> Vec<String> {
        let mut parts: Vec<String> = match self {
            Expect::Ok => vec![],
            Expect::Api { message, .. } => vec![message.to_string()],
            Expect::Throttled { .. } => vec!["throttled".into()],
            Expect::AttemptTimeout => vec!["attempt timed out".into()],
            Expect::Transport(TransportKind::Connect) => vec!["could not connect".into()],
            Expect::Transport(_) => vec!["connection broken".into()],
            Expect::Redirect => vec!["redirected".into()],
            Expect::InvalidResponse { .. } => vec!["invalid answer".into()],
            Expect::TooLarge => vec!["larger than".into()],
        };
        parts.extend(self.status().map(|s| s.to_string()));
        parts.extend(self.code().map(str::to_string));
        parts.extend(self.request_id().map(|id| format!("request id {id}")));
        parts
    }
}

/// Runs every row, `run` judging one; fails naming every row that went wrong.
async fn matrix<F, Fut>(front: &str, concurrency: usize, run: F)
where
    F: Fn(Row) -> Fut,
    Fut: Future<Output = Vec<String>>,
{
    let failures: Vec<String> = futures_util::stream::iter(rows())
        .map(|row| {
            let fault = row.fault;
            let judged = tokio::time::timeout(BOUND, run(row));
            async move {
                match judged.await {
                    Ok(problems) if problems.is_empty() => None,
                    Ok(problems) => Some(format!("{fault}: {}", problems.join("; "))),
                    Err(_) => Some(format!("{fault}: not finished within {BOUND:?}")),
                }
            }
        })
        .buffer_unordered(concurrency)
        .filter_map(std::future::ready)
        .collect()
        .await;
    assert!(
        failures.is_empty(),
        "{front}: {} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// --- the library --------------------------------------------------------------------------

/// The secrets no log line, error or message may hold.
const SECRETS: [&str; 3] = [TOKEN, SK, SECURITY_TOKEN];

/// Lists with a token; kills with temporary AK/SK credentials, so that every secret kind goes
/// through every fault.
fn credentials(operation: Operation) -> Credentials {
    match operation {
        Operation::List => Credentials::token(TOKEN),
        Operation::Kill => Credentials::ak_sk(AK, SK).with_security_token(SECURITY_TOKEN),
    }
}

fn client(endpoint: &str, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .project_id(PROJECT)
        .credentials(credentials)
        .env_lookup(|_| None)
        .connect_timeout(Duration::from_secs(2))
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .retry(
            RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5))
                .with_max_retry_after(Duration::from_millis(20)),
        )
        .build()
        .expect("the client builds")
}

/// Counts the attempts the client makes (its `sending` event, once per attempt), on this
/// thread only: the library matrix runs its rows one after another on a current-thread
/// runtime.
#[derive(Clone, Default)]
struct Attempts(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Attempts {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct IsSending(bool);
        impl tracing::field::Visit for IsSending {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" && format!("{value:?}") == "sending" {
                    self.0 = true;
                }
            }
        }
        let mut visitor = IsSending(false);
        event.record(&mut visitor);
        if visitor.0 && event.metadata().target().starts_with("dds_sessions") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Attempts {
    fn take(&self) -> usize {
        self.0.swap(0, Ordering::SeqCst)
    }
}

/// One operation through the library, its outcome as `Result<(), Error>`; a panic inside the
/// library is caught and reported.
async fn library(operation: Operation, endpoint: &str) -> Result<Result<(), Error>, String> {
    let node = client(endpoint, credentials(operation)).node(NODE);
    let task = tokio::spawn(async move {
        match operation {
            Operation::List => node.sessions().page().await.map(|_| ()),
            Operation::Kill => {
                let mut report = node.kill([SESSION]).await.expect("the id is valid");
                match report.failed.pop() {
                    None if report.killed == [SESSION] => Ok(()),
                    Some(batch)
                        if report.killed.is_empty()
                            && report.failed.is_empty()
                            && batch.sessions == [SESSION] =>
                    {
                        Err(batch.error)
                    }
                    _ => panic!("the report does not account for the id once: {report:?}"),
                }
            }
        }
    });
    task.await.map_err(|e| format!("panicked: {e}"))
}

/// Everything the library logs, at TRACE.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn library_matrix(operation: Operation) {
    let attempts = Attempts::default();
    let captured = Captured::default();
    let subscriber = {
        use tracing_subscriber::layer::SubscriberExt;
        let writer = captured.clone();
        // No filter: every event, TRACE included.
        let logs = tracing_subscriber::fmt::layer().with_writer(move || writer.clone());
        tracing_subscriber::registry()
            .with(attempts.clone())
            .with(logs)
    };
    let _guard = tracing::subscriber::set_default(subscriber);
    matrix(&format!("library {operation:?}"), 1, |row| {
        let attempts = attempts.clone();
        async move {
            let expect = match operation {
                Operation::List => &row.list,
                Operation::Kill => &row.kill,
            };
            let rig = row.setup.stage().await;
            attempts.take();
            let mut problems = Vec::new();
            match library(operation, &rig.endpoint).await {
                Err(panic) => problems.push(panic),
                Ok(outcome) => {
                    if !expect.matches(&outcome, &rig) {
                        problems.push(format!("expected {expect:?}, got {outcome:?}"));
                    }
                    if let Err(error) = &outcome
                        && error.to_string().contains('\n')
                    {
                        problems.push(format!("the message is not one line: {error}"));
                    }
                    if let Err(error) = &outcome {
                        let text = format!("{error} {error:?}");
                        if SECRETS.iter().any(|secret| text.contains(secret)) {
                            problems.push(format!("a secret is in the error: {text}"));
                        }
                    }
                }
            }
            let sent = attempts.take();
            if sent != row.attempts {
                problems.push(format!("{sent} attempts, expected {}", row.attempts));
            }
            rig.check_servers(&row, &mut problems).await;
            problems
        }
    })
    .await;
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("sending"), "TRACE logs were captured");
    for secret in SECRETS {
        assert!(!logs.contains(secret), "{secret} is in the TRACE logs");
    }
}

#[tokio::test]
async fn library_list_sessions_under_every_fault() {
    library_matrix(Operation::List).await;
}

#[tokio::test]
async fn library_delete_session_under_every_fault() {
    library_matrix(Operation::Kill).await;
}

// --- the command line ---------------------------------------------------------------------

/// Text no failure of the binary may print.
const PANIC_TEXT: [&str; 4] = [
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "internal error",
];

async fn cli_matrix(operation: Operation) {
    matrix(&format!("cli {operation:?}"), 4, |row| async move {
        let rig = row.setup.stage().await;
        let args: Vec<&str> = match operation {
            Operation::List => vec!["list", "--node", NODE],
            Operation::Kill => vec!["kill", "--node", NODE, "--output", "json", SESSION],
        };
        let output = cli_common::Run::new(["--endpoint", &rig.endpoint, "--timeout", CLI_TIMEOUT])
            .args(args)
            .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
            .run()
            .await;
        let mut problems = Vec::new();
        let expect = match operation {
            Operation::List => &row.list,
            Operation::Kill => &row.kill,
        };
        let code = if *expect == Expect::Ok { 0 } else { 1 };
        if output.code != code {
            problems.push(format!("exit {}, expected {code}", output.code));
        }
        if let Some(text) = PANIC_TEXT.iter().find(|t| output.stderr.contains(*t)) {
            problems.push(format!("stderr says {text:?}: {}", output.stderr));
        }
        match operation {
            Operation::List => check_list_output(expect, &output, &mut problems),
            Operation::Kill => check_kill_output(expect, &output, &mut problems),
        }
        rig.check_servers(&row, &mut problems).await;
        if !problems.is_empty() {
            problems.push(format!("{output:?}"));
        }
        problems
    })
    .await;
}

/// A failed list says why on standard error, in one or two lines, and prints nothing else.
fn check_list_output(expect: &Expect, output: &cli_common::Output, problems: &mut Vec<String>) {
    if *expect == Expect::Ok {
        if output.stdout.is_empty() || !output.stderr.is_empty() {
            problems.push("a listed page with nothing on stderr expected".into());
        }
        return;
    }
    if !output.stdout.is_empty() {
        problems.push("stdout is not empty".into());
    }
    let lines = output.stderr.lines().count();
    if !(1..=2).contains(&lines) || !output.stderr.starts_with("error: ") {
        problems.push(format!(
            "stderr is not one or two `error: ` lines ({lines})"
        ));
    }
    for fragment in expect.fragments() {
        if !output.stderr.contains(&fragment) {
            problems.push(format!("stderr does not say {fragment:?}"));
        }
    }
}

/// A kill prints its report; a failed batch names its id and its error's status, code,
/// request id and kind.
fn check_kill_output(expect: &Expect, output: &cli_common::Output, problems: &mut Vec<String>) {
    if output.stderr.lines().count() > 2 {
        problems.push("stderr is longer than two lines".into());
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&output.stdout) else {
        problems.push("stdout is not JSON".into());
        return;
    };
    let (killed, failed): (&[&str], &[&str]) = match expect {
        Expect::Ok => (&[SESSION], &[]),
        _ => (&[], &[SESSION]),
    };
    if json["killed"] != serde_json::json!(killed) {
        problems.push(format!("killed is {}, expected {killed:?}", json["killed"]));
    }
    let failed_ids: Vec<&serde_json::Value> = json["failed"]
        .as_array()
        .map(|batches| batches.iter().map(|b| &b["sessions"]).collect())
        .unwrap_or_default();
    let expected_failed: Vec<serde_json::Value> =
        failed.iter().map(|id| serde_json::json!([id])).collect();
    if failed_ids != expected_failed.iter().collect::<Vec<_>>() {
        problems.push(format!("failed is {}, expected {failed:?}", json["failed"]));
    }
    let Some(kind) = expect.kind() else { return };
    let error = &json["failed"][0]["error"];
    let expected = serde_json::json!({
        "kind": kind,
        "status": expect.status(),
        "code": expect.code(),
        "request_id": expect.request_id(),
    });
    for field in ["kind", "status", "code", "request_id"] {
        if error[field] != expected[field] {
            problems.push(format!(
                "error.{field} is {}, expected {}",
                error[field], expected[field]
            ));
        }
    }
    let text = error["text"].as_str().unwrap_or_default();
    for fragment in expect.fragments() {
        if !text.contains(&fragment) {
            problems.push(format!("error.text does not say {fragment:?}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_list_under_every_fault() {
    cli_matrix(Operation::List).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_kill_under_every_fault() {
    cli_matrix(Operation::Kill).await;
}
