//! Soak client: lists and kills through a mock DDS with many concurrent requests for a long
//! time, injecting a few faults, and reports what happened. `bench/soak.sh` runs it against the
//! `dds-sessions mock` command line; see RELIABILITY.md.
//!
//! ```sh
//! SOAK_MOCK_URL=http://127.0.0.1:8080 SOAK_TOKEN=T cargo run --release --example soak
//! SOAK_IN_PROCESS=1 cargo run --release --example soak   # the mock in this process, with Fault injection
//! ```
//!
//! Settings (environment): `SOAK_MOCK_URL` (the mock to use), `SOAK_TOKEN` (`T`),
//! `SOAK_SECONDS` (600), `SOAK_REQUESTS` (1 000 000), `SOAK_CONCURRENCY` (64),
//! `SOAK_FAULT_EVERY` (one fault per this many requests, 2 000; 0 for none),
//! `SOAK_IN_PROCESS` (start the mock here, with `--sessions` `SOAK_SESSIONS`, 2 000, and inject
//! `mock::Fault`s instead of client-side faults).
//!
//! Requests alternate: one page of 20 sessions of one of 16 nodes, then a kill of an id the node
//! does not have (the mock answers `200 {}`, so the sessions stay for the next pages). With an
//! external mock the faults are made on the client's side: a list with a wrong token (`401`) and
//! a kill of an inactive session (`400 DBS.301071`). In process, the mock is told to answer
//! `503`, `429` or drop the connection; the client retries those, so most never surface.
//!
//! The last lines of standard output are `key=value` figures; the exit status is 1 if any
//! error was not an injected one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dds_sessions::{Client, Credentials, Error};

const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
const NODES: usize = 16;
/// The node whose inactive session the kill faults name; nothing else touches it.
const FAULT_NODE: &str = "soak-fault-node";

fn node_id(n: u64) -> String {
    format!("soak-node-{:02}", n % NODES as u64)
}

fn setting(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a whole number")),
        Err(_) => default,
    }
}

/// This process's resident memory in KiB, from `/proc/self/status` (0 where there is none).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[derive(Default)]
struct Counters {
    /// Operations started (each one HTTP request unless retried).
    started: AtomicU64,
    done: AtomicU64,
    listed: AtomicU64,
    killed: AtomicU64,
    faults_made: AtomicU64,
    /// Errors that were the expected outcome of an injected fault.
    injected_errors: AtomicU64,
    unexpected_errors: AtomicU64,
}

/// What one operation was meant to do.
enum Operation {
    List(u64),
    Kill(u64),
    /// A client-side fault: the error it must end in.
    WrongToken,
    KillInactive,
}

struct Soak {
    client: Client,
    wrong_token: Client,
    inactive_id: String,
    counters: Counters,
    deadline: Instant,
    max_requests: u64,
    fault_every: u64,
    client_side_faults: bool,
}

impl Soak {
    fn next_operation(&self) -> Option<Operation> {
        let n = self.counters.started.fetch_add(1, Ordering::Relaxed);
        if n >= self.max_requests || Instant::now() >= self.deadline {
            return None;
        }
        if self.client_side_faults && self.fault_every > 0 && n % self.fault_every == 1 {
            self.counters.faults_made.fetch_add(1, Ordering::Relaxed);
            return Some(if (n / self.fault_every).is_multiple_of(2) {
                Operation::WrongToken
            } else {
                Operation::KillInactive
            });
        }
        Some(if n.is_multiple_of(2) {
            Operation::List(n)
        } else {
            Operation::Kill(n)
        })
    }

    async fn run(&self, operation: Operation) -> Result<(), (bool, Error)> {
        match operation {
            Operation::List(n) => {
                let offset = (n / 2 % 100) as u32 * 20;
                let page = self
                    .client
                    .node(node_id(n))
                    .sessions()
                    .offset(offset)
                    .limit(20)
                    .page()
                    .await
                    .map_err(|e| (false, e))?;
                assert!(page.sessions.len() <= 20);
                self.counters.listed.fetch_add(1, Ordering::Relaxed);
            }
            Operation::Kill(n) => {
                // An id no node has: the mock answers 200 {} and kills nothing.
                let id = (1_000_000_000 + n).to_string();
                let report = self
                    .client
                    .node(node_id(n))
                    .kill([id])
                    .await
                    .map_err(|e| (false, e))?;
                if let Some(batch) = report.failed.into_iter().next() {
                    return Err((false, batch.error));
                }
                self.counters.killed.fetch_add(1, Ordering::Relaxed);
            }
            Operation::WrongToken => {
                let outcome = self.wrong_token.node(node_id(0)).sessions().page().await;
                match outcome {
                    Err(e) if e.status() == Some(401) => return Err((true, e)),
                    Err(e) => return Err((false, e)),
                    Ok(_) => panic!("the mock accepted a wrong token"),
                }
            }
            Operation::KillInactive => {
                let report = self
                    .client
                    .node(FAULT_NODE)
                    .kill([self.inactive_id.as_str()])
                    .await
                    .map_err(|e| (false, e))?;
                let batch = report
                    .failed
                    .into_iter()
                    .next()
                    .expect("the mock killed an inactive session");
                let expected = batch.error.code() == Some("DBS.301071");
                return Err((expected, batch.error));
            }
        }
        Ok(())
    }

    async fn worker(self: Arc<Self>) {
        while let Some(operation) = self.next_operation() {
            let outcome = self.run(operation).await;
            self.counters.done.fetch_add(1, Ordering::Relaxed);
            if let Err((injected, error)) = outcome {
                // Without client-side faults, only the retryable answers the mock injects may
                // surface (after three attempts in a row hit a fault).
                let expected = injected
                    || (!self.client_side_faults
                        && (error.is_retryable()
                            || error.code().is_some_and(|c| c.starts_with("MOCK."))));
                if expected {
                    self.counters
                        .injected_errors
                        .fetch_add(1, Ordering::Relaxed);
                } else {
                    let count = self
                        .counters
                        .unexpected_errors
                        .fetch_add(1, Ordering::Relaxed);
                    if count < 10 {
                        eprintln!("unexpected error: {error}");
                    }
                }
            }
        }
    }
}

fn build_client(url: &str, token: &str, concurrency: usize) -> Result<Client, Error> {
    Client::builder()
        .endpoint(url)
        .project_id(PROJECT)
        .credentials(Credentials::token(token))
        .env_lookup(|_| None)
        .concurrency(concurrency)
        .build()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds = setting("SOAK_SECONDS", 600);
    let max_requests = setting("SOAK_REQUESTS", 1_000_000);
    let concurrency = setting("SOAK_CONCURRENCY", 64).max(1) as usize;
    let fault_every = setting("SOAK_FAULT_EVERY", 2_000);
    let token = std::env::var("SOAK_TOKEN").unwrap_or_else(|_| "T".to_string());
    let in_process = std::env::var_os("SOAK_IN_PROCESS").is_some_and(|v| v != "0");

    let mock = if in_process {
        start_mock(&token).await?
    } else {
        None
    };
    let url = match (&mock, std::env::var("SOAK_MOCK_URL")) {
        (Some(mock), _) => mock_url(mock),
        (None, Ok(url)) => url,
        (None, Err(_)) => return Err("set SOAK_MOCK_URL (or SOAK_IN_PROCESS=1)".into()),
    };

    let client = build_client(&url, &token, concurrency)?;
    let wrong_token = build_client(&url, "not-the-token", 1)?;
    let inactive_id = client
        .node(FAULT_NODE)
        .sessions()
        .all()
        .await?
        .into_iter()
        .find(|s| !s.is_active())
        .map(|s| s.id.clone())
        .ok_or("the fault node has no inactive session")?;

    let soak = Arc::new(Soak {
        client,
        wrong_token,
        inactive_id,
        counters: Counters::default(),
        deadline: Instant::now() + Duration::from_secs(seconds),
        max_requests,
        fault_every,
        client_side_faults: mock.is_none(),
    });
    let rss_start = rss_kib();
    println!(
        "soak: {url}, {concurrency} concurrent, {seconds} s or {max_requests} requests, \
         client VmRSS {rss_start} KiB"
    );

    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(soak.clone().worker()))
        .collect();
    let reporter = tokio::spawn(report_progress(soak.clone(), started));
    let injector = mock.map(|mock| tokio::spawn(inject_faults(mock, soak.clone())));
    for worker in workers {
        worker.await?;
    }
    reporter.abort();
    if let Some(injector) = injector {
        injector.abort();
    }

    let elapsed = started.elapsed().as_secs_f64();
    let c = &soak.counters;
    let done = c.done.load(Ordering::Relaxed);
    let unexpected = c.unexpected_errors.load(Ordering::Relaxed);
    println!("elapsed_seconds={elapsed:.1}");
    println!("requests={done}");
    println!("requests_per_second={:.0}", done as f64 / elapsed);
    println!("listed={}", c.listed.load(Ordering::Relaxed));
    println!("kill_requests_ok={}", c.killed.load(Ordering::Relaxed));
    println!("faults_injected={}", c.faults_made.load(Ordering::Relaxed));
    println!(
        "injected_errors={}",
        c.injected_errors.load(Ordering::Relaxed)
    );
    println!("unexpected_errors={unexpected}");
    println!("client_rss_start_kib={rss_start}");
    println!("client_rss_end_kib={}", rss_kib());
    if unexpected > 0 {
        std::process::exit(1);
    }
    Ok(())
}

async fn report_progress(soak: Arc<Soak>, started: Instant) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    tick.tick().await;
    loop {
        tick.tick().await;
        let c = &soak.counters;
        eprintln!(
            "soak: {:>4.0} s, {} requests, {} injected errors, {} unexpected, client VmRSS {} KiB",
            started.elapsed().as_secs_f64(),
            c.done.load(Ordering::Relaxed),
            c.injected_errors.load(Ordering::Relaxed),
            c.unexpected_errors.load(Ordering::Relaxed),
            rss_kib(),
        );
    }
}

#[cfg(feature = "mock")]
type Mock = dds_sessions::mock::MockServer;
#[cfg(not(feature = "mock"))]
type Mock = std::convert::Infallible;

#[cfg(feature = "mock")]
async fn start_mock(token: &str) -> Result<Option<Mock>, Error> {
    let sessions = setting("SOAK_SESSIONS", 2_000) as usize;
    let mock = Mock::builder()
        .token(token)
        .sessions_per_node(sessions)
        .start()
        .await?;
    Ok(Some(mock))
}

#[cfg(not(feature = "mock"))]
async fn start_mock(_token: &str) -> Result<Option<Mock>, Error> {
    Err(Error::config("SOAK_IN_PROCESS needs the `mock` feature"))
}

#[cfg(feature = "mock")]
fn mock_url(mock: &Mock) -> String {
    mock.url().to_string()
}

#[cfg(not(feature = "mock"))]
fn mock_url(mock: &Mock) -> String {
    match *mock {}
}

/// Every `fault_every` requests, has the in-process mock answer one fault, in turn a `503`, a
/// `429` and a dropped connection; and forgets the requests it recorded, which would otherwise
/// grow for the whole run.
#[cfg(feature = "mock")]
async fn inject_faults(mock: Mock, soak: Arc<Soak>) {
    use dds_sessions::mock::Fault;
    let mut next = soak.fault_every.max(1);
    let mut turn = 0u64;
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let _ = mock.take_requests();
        if soak.fault_every == 0 || soak.counters.started.load(Ordering::Relaxed) < next {
            continue;
        }
        next += soak.fault_every;
        let fault = match turn % 3 {
            0 => Fault::status(503),
            1 => Fault::throttle(Some(0)),
            _ => Fault::drop_connection(),
        };
        turn += 1;
        mock.inject([fault]);
        soak.counters.faults_made.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(not(feature = "mock"))]
async fn inject_faults(mock: Mock, _soak: Arc<Soak>) {
    match mock {}
}
