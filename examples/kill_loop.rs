//! The reference loops of `bench/e2e.sh`: single-id kills, one shared client, N in flight (each a
//! task of its own), every request AK/SK-signed, every answer read and its status checked — no
//! retries, no checks, no report.
//!
//! - `minimal`: a hand-written reqwest request per kill (the URL parsed once) — the floor of
//!   what any reqwest-based client costs;
//! - `generated`: the same loop through the spec-generated client (`Client::generated()`) with
//!   its hooks (headers, signing, time limit, answer checks) — what the generated code costs.
//!
//! ```text
//! kill_loop ENDPOINT NODE_ID [COUNT=20000] [IN_FLIGHT=16] [current|multi] [minimal|generated]
//! ```
//!
//! Credentials from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_PROJECT_ID`.
//! Prints one JSON line: `{"tool":…,"requests":n,"seconds":s,"rate":r,"errors":e}`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

use dds_sessions::auth::signer::{sdk_date, sign_reqwest};
use dds_sessions::generated::types::DeleteSessionRequestBody;
use reqwest::header::{CONTENT_TYPE, HOST, HeaderValue};

struct Job {
    generated: Option<dds_sessions::Client>,
    node: String,
    client: reqwest::Client,
    url: reqwest::Url,
    host: HeaderValue,
    ak: String,
    sk: String,
    next: AtomicUsize,
    count: usize,
    errors: AtomicUsize,
}

impl Job {
    async fn worker(self: Arc<Self>) {
        loop {
            let id = self.next.fetch_add(1, Ordering::Relaxed);
            if id >= self.count {
                return;
            }
            if !self.kill(id + 1).await {
                self.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    async fn kill(&self, id: usize) -> bool {
        if let Some(client) = &self.generated {
            return client
                .generated()
                .delete_session()
                .project_id(client.project_id())
                .node_id(&self.node)
                .body(DeleteSessionRequestBody {
                    sessions: vec![id.to_string()],
                })
                .send()
                .await
                .is_ok();
        }
        let mut request = reqwest::Request::new(reqwest::Method::POST, self.url.clone());
        *request.body_mut() = Some(format!(r#"{{"sessions":["{id}"]}}"#).into());
        let headers = request.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(HOST, self.host.clone());
        let date = sdk_date(SystemTime::now());
        headers.insert("x-sdk-date", HeaderValue::from_str(&date).expect("a date"));
        if sign_reqwest(&mut request, &self.ak, &self.sk).is_err() {
            return false;
        }
        match self.client.execute(request).await {
            Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
            Err(_) => false,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, node, rest @ ..] = args.as_slice() else {
        eprintln!(
            "usage: kill_loop ENDPOINT NODE_ID [COUNT] [IN_FLIGHT] [current|multi] [minimal|generated]"
        );
        std::process::exit(2);
    };
    let count: usize = rest.first().map_or(20_000, |n| n.parse().expect("COUNT"));
    let in_flight: usize = rest.get(1).map_or(16, |n| n.parse().expect("IN_FLIGHT"));
    let flavour = rest.get(2).map_or("current", String::as_str);
    let mode = rest.get(3).map_or("minimal", String::as_str);
    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("set {name}"));

    let _ = rustls::crypto::ring::default_provider().install_default();
    let url: reqwest::Url = format!(
        "{}/v3/{}/nodes/{node}/session",
        endpoint.trim_end_matches('/'),
        env("HUAWEICLOUD_SDK_PROJECT_ID")
    )
    .parse()
    .expect("ENDPOINT is a URL");
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let generated = (mode == "generated").then(|| {
        dds_sessions::Client::builder()
            .endpoint(endpoint)
            .from_env()
            .and_then(|builder| builder.build())
            .expect("a client (credentials and project id from the environment)")
    });
    let job = Arc::new(Job {
        generated,
        node: node.clone(),
        // reqwest's defaults, but for its retry layer, which copies every request to be able to
        // resend it: the floor should not pay for what no caller here uses.
        client: reqwest::Client::builder()
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .build()
            .expect("a reqwest client"),
        host: HeaderValue::from_str(&host).expect("a host"),
        url,
        ak: env("HUAWEICLOUD_SDK_AK"),
        sk: env("HUAWEICLOUD_SDK_SK"),
        next: AtomicUsize::new(0),
        count,
        errors: AtomicUsize::new(0),
    });

    let runtime = match flavour {
        "multi" => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    }
    .expect("a runtime");
    let start = Instant::now();
    runtime.block_on(async {
        let workers: Vec<_> = (0..in_flight)
            .map(|_| tokio::spawn(job.clone().worker()))
            .collect();
        for worker in workers {
            worker.await.expect("a worker");
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    println!(
        r#"{{"tool":"{mode}-{flavour}","requests":{count},"seconds":{seconds:.4},"rate":{:.1},"errors":{}}}"#,
        count as f64 / seconds,
        job.errors.load(Ordering::Relaxed)
    );
    if job.errors.load(Ordering::Relaxed) > 0 {
        std::process::exit(1);
    }
}
