//! The mock's HTTP side: starting, answering, recording, shutting down.

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::auth::{Gate, Presented};
use super::faults::{Fault, FaultAnswer};
use super::sessions::{Filters, KillOutcome, MockSession, Sessions};
use super::spec_check::{SpecCheck, Verdict};
use crate::{Error, Result, spec};

/// A request as the mock received it.
///
/// ```
/// let r = dds_sessions::mock::RecordedRequest {
///     method: "GET".into(), path: "/v3/p/nodes/n/sessions".into(), query: None, headers: vec![], body: vec![],
/// };
/// assert_eq!(r.header("x-auth-token"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path as received, percent-encoded.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// The headers, names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (lower-case).
    ///
    /// ```
    /// let r = dds_sessions::mock::RecordedRequest {
    ///     method: "GET".into(), path: "/".into(), query: None,
    ///     headers: vec![("x-project-id".into(), "p1".into())], body: vec![],
    /// };
    /// assert_eq!(r.header("x-project-id"), Some("p1"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The session ids of a `DeleteSession` body, if it is one.
    ///
    /// ```
    /// let r = dds_sessions::mock::RecordedRequest {
    ///     method: "POST".into(), path: "/".into(), query: None, headers: vec![],
    ///     body: br#"{"sessions":["1","2"]}"#.to_vec(),
    /// };
    /// assert_eq!(r.killed_ids(), Some(vec!["1".to_string(), "2".to_string()]));
    /// ```
    pub fn killed_ids(&self) -> Option<Vec<String>> {
        let body: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        serde_json::from_value(body.get("sessions")?.clone()).ok()
    }
}

/// Configures a [`MockServer`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dds_sessions::Result<()> {
/// let mock = dds_sessions::mock::MockServer::builder()
///     .token("t")
///     .ak_sk("HPUAEXAMPLEAK000001", "secret")
///     .sessions_per_node(100)
///     .seed(42)
///     .start()
///     .await?;
/// assert!(mock.url().starts_with("http://127.0.0.1:"));
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct MockBuilder {
    listen: Option<SocketAddr>,
    gate: Gate,
    sessions_per_node: Option<usize>,
    seed: u64,
    forget_requests: bool,
    latency: Duration,
}

impl fmt::Debug for MockBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockBuilder")
            .field("listen", &self.listen)
            .field("tokens", &self.gate.tokens.len())
            .field(
                "access_keys",
                &self
                    .gate
                    .keys
                    .iter()
                    .map(|(ak, _, _)| ak)
                    .collect::<Vec<_>>(),
            )
            .field("sessions_per_node", &self.sessions_per_node)
            .field("seed", &self.seed)
            .field("latency", &self.latency)
            .finish()
    }
}

impl MockBuilder {
    /// Listen here instead of `127.0.0.1:0`.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().listen("127.0.0.1:0".parse().unwrap());
    /// ```
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = Some(address);
        self
    }

    /// Accept this IAM token in `X-Auth-Token`.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().token("t");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.gate.tokens.push(token.into());
        self
    }

    /// Accept `SDK-HMAC-SHA256` signatures made with this AK/SK.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().ak_sk("AK", "SK");
    /// ```
    pub fn ak_sk(mut self, access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        self.gate
            .keys
            .push((access_key.into(), secret_key.into(), None));
        self
    }

    /// Accept temporary credentials: this AK/SK, with this `X-Security-Token` (signed).
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().temporary_ak_sk("AK", "SK", "ST");
    /// ```
    pub fn temporary_ak_sk(
        mut self,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        self.gate.keys.push((
            access_key.into(),
            secret_key.into(),
            Some(security_token.into()),
        ));
        self
    }

    /// How many sessions each node starts with (default 50).
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().sessions_per_node(10_000);
    /// ```
    pub fn sessions_per_node(mut self, count: usize) -> Self {
        self.sessions_per_node = Some(count);
        self
    }

    /// The seed of the session generator (default 0): the same seed, the same sessions.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().seed(7);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether to keep every request received for [`MockServer::requests`] (default: yes). A
    /// long-running standalone mock turns it off so that its memory stays flat.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder().record_requests(false);
    /// ```
    pub fn record_requests(mut self, record: bool) -> Self {
        self.forget_requests = !record;
        self
    }

    /// Answer every request this much later (default: at once), as a real endpoint a network
    /// round trip away would; for benchmarks and timeout tests.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder()
    ///     .latency(std::time::Duration::from_millis(20));
    /// ```
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Starts serving. With no token and no AK/SK configured, requests are not authenticated.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::builder().start().await?;
    /// # Ok(()) }
    /// ```
    pub async fn start(self) -> Result<MockServer> {
        let spec = SpecCheck::new().map_err(Error::config)?;
        let address = self
            .listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = TcpListener::bind(address)
            .await
            .map_err(|e| Error::config(format!("the mock cannot listen on {address}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::config(e.to_string()))?;
        let state = Arc::new(State {
            spec,
            gate: self.gate,
            sessions: Mutex::new(Sessions::new(
                self.sessions_per_node.unwrap_or(50),
                self.seed,
            )),
            faults: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            next_request: AtomicU64::new(1),
            failing_kills: Mutex::new(None),
            record: !self.forget_requests,
            latency: self.latency,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept(listener, state.clone(), stopped));
        Ok(MockServer {
            url: format!("http://{local}"),
            address: local,
            state,
            stop,
            task: Some(task),
        })
    }
}

/// A running mock DDS. Stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dds_sessions::Result<()> {
/// let mock = dds_sessions::mock::MockServer::start_default().await?;
/// println!("mock DDS at {}", mock.url());
/// # Ok(()) }
/// ```
pub struct MockServer {
    url: String,
    address: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

struct State {
    spec: SpecCheck,
    gate: Gate,
    sessions: Mutex<Sessions>,
    faults: Mutex<VecDeque<Fault>>,
    requests: Mutex<Vec<RecordedRequest>>,
    next_request: AtomicU64,
    /// Kill requests that fail on every attempt: (per-million rate, seed).
    failing_kills: Mutex<Option<(u64, u64)>>,
    /// Whether requests are kept for [`MockServer::requests`].
    record: bool,
    /// How long every answer waits.
    latency: Duration,
}

/// Locks, recovering from a poisoned lock (a panicking test must not wedge the mock).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockServer {
    /// A builder: no authentication, 50 sessions a node, seed 0, `127.0.0.1:0`.
    ///
    /// ```
    /// let b = dds_sessions::mock::MockServer::builder();
    /// ```
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// Starts a mock with the defaults (no authentication).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// # Ok(()) }
    /// ```
    pub async fn start_default() -> Result<MockServer> {
        MockServer::builder().start().await
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// assert!(mock.url().starts_with("http://"));
    /// # Ok(()) }
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// assert!(mock.address().ip().is_loopback());
    /// # Ok(()) }
    /// ```
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Queues faults for the next answers, one answer each, in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// use dds_sessions::mock::{Fault, MockServer};
    /// let mock = MockServer::start_default().await?;
    /// mock.inject([Fault::throttle(Some(1)), Fault::status(503)]);
    /// # Ok(()) }
    /// ```
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.state.faults).extend(faults);
    }

    /// Every request received so far, in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// assert!(mock.requests().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Every request received so far, forgetting them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// assert!(mock.take_requests().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut lock(&self.state.requests))
    }

    /// The sessions node `node_id` has now (generated on first use).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::builder().sessions_per_node(5).start().await?;
    /// assert_eq!(mock.sessions("n1").len(), 5);
    /// # Ok(()) }
    /// ```
    pub fn sessions(&self, node_id: &str) -> Vec<MockSession> {
        lock(&self.state.sessions).node(node_id).clone()
    }

    /// Replaces the sessions of node `node_id`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// use dds_sessions::mock::{MockServer, MockSession};
    /// let mock = MockServer::start_default().await?;
    /// let session = MockSession {
    ///     id: "34631".into(), active: true, op_type: "query".into(), namespace: "shop.orders".into(),
    ///     cost_us: 6_500_000, plan_summary: "COLLSCAN".into(), connection: 1523,
    /// };
    /// mock.set_sessions("n1", vec![session]);
    /// assert_eq!(mock.sessions("n1")[0].id, "34631");
    /// # Ok(()) }
    /// ```
    pub fn set_sessions(&self, node_id: &str, sessions: Vec<MockSession>) {
        *lock(&self.state.sessions).node(node_id) = sessions;
    }
}

impl MockServer {
    /// Stops listening and closes every connection, then returns.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// mock.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl MockServer {
    /// Makes about `rate` (0.0 to 1.0) of kill requests fail with `503` on every attempt: whether
    /// a request fails depends only on its body and `seed`, so the retries of a failing batch
    /// fail too, as a batch that cannot be killed would. `0.0` turns it off.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dds_sessions::Result<()> {
    /// let mock = dds_sessions::mock::MockServer::start_default().await?;
    /// mock.fail_kills(0.1, 42);
    /// mock.fail_kills(0.0, 0);
    /// # Ok(()) }
    /// ```
    pub fn fail_kills(&self, rate: f64, seed: u64) {
        let per_million = (rate.clamp(0.0, 1.0) * 1_000_000.0) as u64;
        *lock(&self.state.failing_kills) = (per_million > 0).then_some((per_million, seed));
    }
}

/// Whether this kill request is one [`MockServer::fail_kills`] makes fail.
fn fails_for_good(state: &State, body: &[u8]) -> bool {
    match *lock(&state.failing_kills) {
        Some((per_million, seed)) => {
            (super::sessions::fnv1a(body) ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) % 1_000_000
                < per_million
        }
        None => false,
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| answer(state.clone(), request));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    // Dropping the set aborts the connections still open.
}

type Answer = Response<Full<Bytes>>;

/// A fault that closes the connection, as an error hyper turns into a dropped connection.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("injected fault: connection dropped")
    }
}

impl std::error::Error for DropConnection {}

async fn answer(
    state: Arc<State>,
    request: Request<Incoming>,
) -> std::result::Result<Answer, DropConnection> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if state.record {
        let recorded = RecordedRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.to_vec(),
        };
        lock(&state.requests).push(recorded);
    }
    let request_id = format!(
        "{:032x}",
        state.next_request.fetch_add(1, Ordering::Relaxed)
    );

    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let fault = lock(&state.faults).pop_front();
    if let Some(fault) = fault {
        if !fault.delay.is_zero() {
            tokio::time::sleep(fault.delay).await;
        }
        match fault.answer {
            Some(FaultAnswer::Drop) => return Err(DropConnection),
            Some(FaultAnswer::Respond {
                status,
                headers,
                body,
            }) => {
                let mut response = Response::builder()
                    .status(status)
                    .header("x-request-id", &request_id);
                if !headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                {
                    response = response.header("content-type", "application/json");
                }
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                return Ok(response
                    .body(Full::new(Bytes::from(body)))
                    .unwrap_or_else(|_| plain(500, &request_id)));
            }
            None => {}
        }
    }
    Ok(respond(&state, &parts, &body, &request_id))
}

fn plain(status: u16, request_id: &str) -> Answer {
    error(
        status,
        "MOCK.0001",
        "the mock could not build its answer",
        request_id,
    )
}

/// The mock's own answer: route, authenticate, validate, act.
fn respond(state: &State, parts: &http::request::Parts, body: &[u8], request_id: &str) -> Answer {
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let query = parts.uri.query();
    let verdict = state.spec.judge(method, path, query, &parts.headers, body);
    let (operation_id, path_params, query_params) = match verdict {
        Verdict::UnknownPath => {
            return error(
                404,
                "APIGW.0101",
                &format!("The API does not exist or has not been published: {method} {path}"),
                request_id,
            );
        }
        Verdict::WrongMethod(allowed) => {
            let mut answer = error(
                405,
                "APIGW.0103",
                &format!(
                    "{method} is not allowed here; allowed: {}",
                    allowed.join(", ")
                ),
                request_id,
            );
            if let Ok(value) = http::HeaderValue::from_str(&allowed.join(", ")) {
                answer.headers_mut().insert(http::header::ALLOW, value);
            }
            return answer;
        }
        verdict => {
            // Authentication comes before validation, as at the real gateway.
            let presented = Presented {
                method,
                path,
                query,
                headers: &parts.headers,
                body,
            };
            if let Err(why) = state.gate.check(&presented) {
                return error_with_request_id(401, "APIGW.0301", &why, request_id);
            }
            match verdict {
                Verdict::Invalid(violation) => {
                    return error(400, "DBS.200001", &violation, request_id);
                }
                Verdict::Operation {
                    operation_id,
                    path,
                    query,
                } => (operation_id, path, query),
                _ => unreachable!("handled above"),
            }
        }
    };
    let node = path_params
        .get("node_id")
        .map(String::as_str)
        .unwrap_or_default();
    match operation_id.as_str() {
        "ListSessions" => {
            let number = |name: &str, default: i64| {
                query_params
                    .get(name)
                    .and_then(|v| v.parse::<i64>().ok())
                    .unwrap_or(default)
            };
            let offset = number("offset", spec::OFFSET_DEFAULT).max(0) as usize;
            let limit = number("limit", spec::LIMIT_DEFAULT).max(0) as usize;
            let filters = Filters::from_query(&query_params);
            let (total, sessions) = lock(&state.sessions).list(node, &filters, offset, limit);
            json_answer(
                200,
                &json!({"total_count": total, "sessions": sessions}),
                request_id,
            )
        }
        "DeleteSession" => {
            if fails_for_good(state, body) {
                return error(
                    503,
                    "MOCK.0503",
                    "injected fault: this batch fails on every attempt",
                    request_id,
                );
            }
            let ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|b| serde_json::from_value(b.get("sessions")?.clone()).ok())
                .unwrap_or_default();
            match lock(&state.sessions).kill(node, &ids) {
                KillOutcome::Killed => json_answer(200, &json!({}), request_id),
                KillOutcome::Inactive(id) => error(
                    400,
                    "DBS.301071",
                    &format!(
                        "Invalid session id: session {id} is inactive and cannot be terminated"
                    ),
                    request_id,
                ),
            }
        }
        other => error(
            501,
            "MOCK.0501",
            &format!("the mock does not implement {other}"),
            request_id,
        ),
    }
}

fn json_answer(status: u16, body: &serde_json::Value, request_id: &str) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", request_id)
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// A DDS error body.
fn error(status: u16, code: &str, message: &str, request_id: &str) -> Answer {
    json_answer(
        status,
        &json!({"error_code": code, "error_msg": message}),
        request_id,
    )
}

/// An API gateway error body, which names the request.
fn error_with_request_id(status: u16, code: &str, message: &str, request_id: &str) -> Answer {
    json_answer(
        status,
        &json!({"error_code": code, "error_msg": message, "request_id": request_id}),
        request_id,
    )
}

#[doc(hidden)]
impl MockServer {
    /// Checks a JSON document against a component schema of the spec (for the mock's own tests).
    pub fn check_against_schema(
        &self,
        schema: &str,
        value: &serde_json::Value,
    ) -> std::result::Result<(), String> {
        let schema = self.state.spec.component_schema(schema)?;
        self.state.spec.validate(value, schema, "answer")
    }
}
