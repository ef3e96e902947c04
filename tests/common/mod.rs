//! A scripted HTTP/1.1 server on 127.0.0.1:0 for the client's integration tests: it records
//! every request exactly as received and answers from a script, including answers no real
//! server would give (stalls, resets, endless bodies).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

/// One answer.
#[derive(Clone)]
pub enum Reply {
    /// A complete answer.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, never answer.
    Stall,
    /// Send the status line and headers announcing a body, then stall.
    HeadersThenStall,
    /// Close the connection without answering.
    Reset,
    /// Close the connection as soon as it is accepted, before reading the request (which is
    /// therefore not recorded; [`TestServer::connections`] counts it).
    ResetBeforeRead,
    /// A 200 whose body is `size` bytes, chunked (no Content-Length) or with Content-Length.
    Huge { size: usize, declare_length: bool },
    /// Computed from the request.
    With(Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn with(f: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Reply {
        Reply::With(Arc::new(f))
    }
}

#[derive(Clone)]
pub struct TestServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
    fallback: Arc<Mutex<Reply>>,
    /// Bytes of `Huge` bodies actually written before the peer went away.
    pub huge_bytes_written: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
    /// Connections accepted, whatever became of them.
    pub connections: Arc<AtomicUsize>,
    /// Answers finished (written in full, or given up on), for [`TestServer::answers_finished`].
    finished: Arc<tokio::sync::watch::Sender<usize>>,
}

impl TestServer {
    /// Starts a server that answers `fallback` once the script is used up.
    pub async fn start(fallback: Reply) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = TestServer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            requests: Arc::default(),
            script: Arc::default(),
            fallback: Arc::new(Mutex::new(fallback)),
            huge_bytes_written: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
            connections: Arc::default(),
            finished: Arc::new(tokio::sync::watch::Sender::new(0)),
        };
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(accepting.clone().serve(stream));
            }
        });
        server
    }

    /// Queues answers to give, in order, before the fallback.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.script.lock().unwrap().extend(replies);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// Waits until `count` answers have finished: written in full, or abandoned because the
    /// peer went away (a `Stall` never finishes).
    pub async fn answers_finished(&self, count: usize) {
        let mut finished = self.finished.subscribe();
        let _ = finished.wait_for(|done| *done >= count).await;
    }

    /// Whether the next answer is [`Reply::ResetBeforeRead`]; if so it is used up.
    fn take_reset_before_read(&self) -> bool {
        let mut script = self.script.lock().unwrap();
        match script.front() {
            Some(Reply::ResetBeforeRead) => {
                script.pop_front();
                true
            }
            Some(_) => false,
            None => matches!(*self.fallback.lock().unwrap(), Reply::ResetBeforeRead),
        }
    }

    async fn serve(self, mut stream: TcpStream) {
        self.connections.fetch_add(1, Ordering::SeqCst);
        let mut buffer = Vec::new();
        loop {
            if self.take_reset_before_read() {
                return;
            }
            let Some(request) = read_request(&mut stream, &mut buffer).await else {
                return;
            };
            self.requests.lock().unwrap().push(request.clone());
            let reply = self
                .script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| self.fallback.lock().unwrap().clone());
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            let keep_going = self.answer(&mut stream, reply, &request).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            self.finished.send_modify(|done| *done += 1);
            if !keep_going {
                return;
            }
        }
    }

    async fn answer(&self, stream: &mut TcpStream, reply: Reply, request: &Recorded) -> bool {
        match reply {
            Reply::With(f) => Box::pin(self.answer(stream, f(request), request)).await,
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let mut bytes = head.into_bytes();
                bytes.extend_from_slice(&body);
                stream.write_all(&bytes).await.is_ok()
            }
            Reply::Stall => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                false
            }
            Reply::HeadersThenStall => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"total").await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                false
            }
            Reply::Reset | Reply::ResetBeforeRead => false,
            Reply::Huge {
                size,
                declare_length,
            } => {
                let head = if declare_length {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                    )
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_string()
                };
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return false;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut written = 0;
                while written < size {
                    let piece = &chunk[..chunk.len().min(size - written)];
                    let ok = if declare_length {
                        stream.write_all(piece).await.is_ok()
                    } else {
                        let mut framed = format!("{:x}\r\n", piece.len()).into_bytes();
                        framed.extend_from_slice(piece);
                        framed.extend_from_slice(b"\r\n");
                        stream.write_all(&framed).await.is_ok()
                    };
                    if !ok {
                        break;
                    }
                    written += piece.len();
                    self.huge_bytes_written.store(written, Ordering::SeqCst);
                }
                false
            }
        }
    }
}

/// Reads one request; `None` when the peer closed the connection.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target, None),
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
    })
}

pub const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
pub const NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";
pub const AK: &str = "HPUAEXAMPLEAK000001";
pub const SK: &str = "exampleSecretKeyDoNotUse0123456789abcdef";
pub const TOKEN: &str = "MIIT-a-token-that-must-never-leak";
pub const SECURITY_TOKEN: &str = "st-a-security-token-that-must-never-leak";

/// A client of `server` with fast retries and short timeouts.
pub fn client(server: &TestServer, credentials: dds_sessions::Credentials) -> dds_sessions::Client {
    builder(server, credentials).build().unwrap()
}

pub fn builder(
    server: &TestServer,
    credentials: dds_sessions::Credentials,
) -> dds_sessions::ClientBuilder {
    dds_sessions::Client::builder()
        .endpoint(&server.url)
        .project_id(PROJECT)
        .credentials(credentials)
        .env_lookup(|_| None)
        .attempt_timeout(Duration::from_secs(5))
        .retry(
            dds_sessions::RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5))
                .with_max_retry_after(Duration::from_millis(20)),
        )
}

pub fn aksk() -> dds_sessions::Credentials {
    dds_sessions::Credentials::ak_sk(AK, SK)
}

/// Checks an `SDK-HMAC-SHA256` signature from the bytes received, as the gateway does.
pub fn verify_signature(request: &Recorded, sk: &str) -> Result<(), String> {
    use dds_sessions::auth::signer;
    let authorization = request
        .header("authorization")
        .ok_or("no authorization header")?;
    let rest = authorization
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("not SDK-HMAC-SHA256")?;
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected part {part}")),
        }
    }
    let (access, signed, signature) = (
        access.ok_or("no Access")?,
        signed.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    let mut headers = Vec::new();
    for name in signed.split(';') {
        let value = request
            .header(name)
            .ok_or(format!("signed header {name} was not sent"))?;
        headers.push((name, value));
    }
    for required in ["host", "x-sdk-date", "x-project-id", "content-type"] {
        if !signed.split(';').any(|n| n == required) {
            return Err(format!("{required} is not signed"));
        }
    }
    let recomputed = signer::sign(
        access,
        sk,
        &signer::SignableRequest {
            method: &request.method,
            path: &request.path,
            query: request.query.as_deref(),
            headers: &headers,
            body: &request.body,
        },
    );
    if recomputed.signature == signature {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch: canonical request was\n{}",
            recomputed.canonical_request
        ))
    }
}

/// Serves `ListSessions` pages from `sessions` (JSON objects) honouring offset and limit.
pub fn pages_of(sessions: Vec<serde_json::Value>) -> Reply {
    Reply::with(move |request| {
        let query = request.query.clone().unwrap_or_default();
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .and_then(|v| v.parse::<usize>().ok())
        };
        let offset = param("offset").unwrap_or(0);
        let limit = param("limit").unwrap_or(10);
        let page: Vec<_> = sessions.iter().skip(offset).take(limit).cloned().collect();
        Reply::json(
            200,
            &serde_json::json!({"total_count": sessions.len(), "sessions": page}).to_string(),
        )
    })
}

pub fn session_json(id: usize, active: bool) -> serde_json::Value {
    serde_json::json!({
        "id": id.to_string(), "active": active, "type": if id.is_multiple_of(2) { "query" } else { "update" },
        "cost_time": (id * 1000).to_string(), "namespace": "shop.orders", "plan_summary": "COLLSCAN",
    })
}
