//! Micro-benchmarks of AK/SK signing (`SDK-HMAC-SHA256`): one kill request signed the way the
//! client signs it, the same through the plain-parts signer, and the canonical query of an
//! escaped, unsorted listing query. Goal: signing one request ≤ 2 µs (BENCHMARKS.md).
//!
//! ```text
//! cargo bench --bench signing
//! ```

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dds_sessions::auth::signer::{SignableRequest, canonical_query, sign, sign_reqwest};
use reqwest::header::HeaderValue;

const URL: &str = "https://dds.ap-southeast-1.myhuaweicloud.com/v3/0123456789abcdef0123456789abcdef/nodes/520c58ba00a3497e97ce0b9604874dd6no02/session";
const BODY: &str = r#"{"sessions":["34631"]}"#;
const HEADERS: [(&str, &str); 5] = [
    ("content-type", "application/json"),
    ("host", "dds.ap-southeast-1.myhuaweicloud.com"),
    ("user-agent", "dds-sessions/0.1.0"),
    ("x-project-id", "0123456789abcdef0123456789abcdef"),
    ("x-sdk-date", "20261128T080910Z"),
];
const ESCAPED_QUERY: &str = "type=query&plan_summary=COLLSCAN&namespace=shop%2Eorders%20v2&cost_time=6500000&offset=40&limit=20&db=caf%C3%A9+%2A";

/// A kill request with the headers the client sends, ready to be signed.
fn kill_request() -> reqwest::Request {
    let mut request = reqwest::Request::new(reqwest::Method::POST, URL.parse().expect("a URL"));
    for (name, value) in HEADERS {
        request
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    *request.body_mut() = Some(BODY.into());
    request
}

fn signing(c: &mut Criterion) {
    c.bench_function("sign_reqwest: one kill request", |b| {
        b.iter_batched_ref(
            kill_request,
            |request| {
                sign_reqwest(
                    request,
                    "HPUABENCHAK00000001",
                    black_box("bench-secret-key"),
                )
            },
            BatchSize::SmallInput,
        )
    });

    let path = URL.trim_start_matches("https://dds.ap-southeast-1.myhuaweicloud.com");
    c.bench_function("sign: one kill request (parts)", |b| {
        b.iter(|| {
            let request = SignableRequest {
                method: "POST",
                path: black_box(path),
                query: None,
                headers: &HEADERS,
                body: BODY.as_bytes(),
            };
            sign("HPUABENCHAK00000001", "bench-secret-key", &request)
        })
    });

    c.bench_function("canonical_query: escaped listing query", |b| {
        b.iter(|| canonical_query(Some(black_box(ESCAPED_QUERY))))
    });
}

criterion_group!(benches, signing);
criterion_main!(benches);
