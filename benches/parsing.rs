//! Micro-benchmarks of reading what the server answers: a full `ListSessions` page (20 sessions,
//! every field set) into the layer's `SessionPage`, and an error body in each form the client
//! understands. Goal: a 20-session page ≤ 20 µs (BENCHMARKS.md).
//!
//! ```text
//! cargo bench --bench parsing
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dds_sessions::fuzzing::{error_body, list_page};

/// A page of 20 sessions as DDS answers it, every field of the spec's `QuerySessionResponse` set.
fn page_of_20() -> Vec<u8> {
    let sessions: Vec<serde_json::Value> = (0..20)
        .map(|i| {
            serde_json::json!({
                "id": (34_631 + i).to_string(),
                "active": i % 3 != 0,
                "operation": format!(r#"{{"find":"orders","filter":{{"status":"open","customer":{i}}},"sort":{{"created":-1}}}}"#),
                "type": if i % 2 == 0 { "query" } else { "update" },
                "cost_time": (6_500_000 + i * 1_000).to_string(),
                "plan_summary": "COLLSCAN",
                "host": "192.168.0.12:8635",
                "client": format!("192.168.0.45:{}", 53_512 + i),
                "description": format!("conn{}", 1_523 + i),
                "namespace": "shop.orders",
                "db": "shop",
                "user": "rwuser",
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "total_count": 10_000, "sessions": sessions }))
        .expect("serialisable")
}

/// Every error body form: the service's, the gateway's camelCase, nested, and a proxy's HTML.
const ERROR_BODIES: [(&str, &str); 4] = [
    (
        "error_code/error_msg",
        r#"{"error_code":"DBS.301071","error_msg":"Invalid session id: session 32701 is inactive and cannot be terminated","request_id":"5b7c9a1e0d6e4c0f9a2b3c4d5e6f7a8b"}"#,
    ),
    (
        "errorCode/errorMsg",
        r#"{"errorCode":"APIGW.0301","errorMsg":"Incorrect IAM authentication information: the token is not valid"}"#,
    ),
    (
        "nested error object",
        r#"{"error":{"code":"APIGW.0308","message":"The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute"},"request_id":"5b7c9a1e0d6e4c0f9a2b3c4d5e6f7a8b"}"#,
    ),
    (
        "html (not JSON)",
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    ),
];

fn parsing(c: &mut Criterion) {
    let page = page_of_20();
    assert_eq!(list_page(&page).expect("a page").sessions.len(), 20);
    c.bench_function("list page: 20 sessions", |b| {
        b.iter(|| list_page(black_box(&page)))
    });
    // Reference points for the same bytes: serde_json only scanning them (no value built, no
    // allocation) and building an untyped `Value` — the floor any serde_json-based client pays.
    let mut reference = c.benchmark_group("list page reference (serde_json)");
    reference.bench_function("scan only (IgnoredAny)", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&page)))
    });
    reference.bench_function("untyped Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&page)))
    });
    reference.finish();

    let mut group = c.benchmark_group("error body");
    for (form, body) in ERROR_BODIES {
        let parsed = error_body(body.as_bytes());
        assert!(
            parsed.0.is_some() || parsed.1.is_some(),
            "{form}: {parsed:?}"
        );
        group.bench_function(form, |b| b.iter(|| error_body(black_box(body.as_bytes()))));
    }
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
