//! Micro-benchmark of building a kill request of 100 ids: the ids checked and de-duplicated as
//! `Node::kill` does (through `dry_run`, which also copies them once), put in the spec's generated
//! `DeleteSessionRequestBody`, and serialised to the JSON body that is sent (and signed).
//!
//! ```text
//! cargo bench --bench requests
//! ```

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dds_sessions::generated::types::DeleteSessionRequestBody;
use dds_sessions::{Client, Credentials};

fn requests(c: &mut Criterion) {
    let client = Client::builder()
        .endpoint("http://127.0.0.1:9")
        .project_id("0123456789abcdef0123456789abcdef")
        .credentials(Credentials::ak_sk(
            "HPUABENCHAK00000001",
            "bench-secret-key",
        ))
        .build()
        .expect("a client");
    let node = client.node("520c58ba00a3497e97ce0b9604874dd6no02");
    let ids: Vec<String> = (34_600..34_700).map(|id| id.to_string()).collect();

    c.bench_function("kill request: 100 ids checked, built, serialised", |b| {
        b.iter_batched(
            || ids.clone(),
            |ids| {
                let sessions = node.kill(ids).dry_run().expect("valid ids");
                let body = DeleteSessionRequestBody { sessions };
                serde_json::to_vec(black_box(&body)).expect("serialisable")
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, requests);
criterion_main!(benches);
