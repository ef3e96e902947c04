//! The library's main job, end to end, with nothing to set up: start the embedded mock DDS,
//! list a node's sessions, pick the slow active ones, kill them, list again.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Against a real region, only the client changes: `Client::from_env()` reads
//! `HUAWEICLOUD_SDK_REGION`, `HUAWEICLOUD_SDK_AK`/`HUAWEICLOUD_SDK_SK` (or `HUAWEICLOUD_AUTH_TOKEN`)
//! and `HUAWEICLOUD_SDK_PROJECT_ID`, as the official SDKs do.

use std::time::Duration;

use dds_sessions::mock::MockServer;
use dds_sessions::{Client, Credentials, Session};

const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
const NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A mock DDS on 127.0.0.1: it checks every request against the spec and verifies
    //    AK/SK signatures like Huawei's API gateway.
    let mock = MockServer::builder()
        .ak_sk("HPUAEXAMPLEAK000001", "example-secret-key")
        .sessions_per_node(60)
        .start()
        .await?;
    println!("mock DDS listening at {}", mock.url());

    // 2. The client, signing every request with AK/SK.
    let client = Client::builder()
        .endpoint(mock.url())
        .project_id(PROJECT)
        .credentials(Credentials::ak_sk(
            "HPUAEXAMPLEAK000001",
            "example-secret-key",
        ))
        .build()?;
    let node = client.node(NODE);

    // 3. Every session of the node: pages fetched concurrently.
    let sessions = node.sessions().all().await?;
    println!(
        "\nnode {NODE} runs {} sessions; the five slowest:",
        sessions.len()
    );
    let mut by_cost = sessions.clone();
    by_cost.sort_by_key(|s| std::cmp::Reverse(s.cost()));
    for session in by_cost.iter().take(5) {
        print_session(session);
    }

    // 4. The slow active ones: running for over five seconds. Inactive ones cannot be killed.
    let threshold = Duration::from_secs(5);
    let slow: Vec<&Session> = sessions
        .iter()
        .filter(|s| s.is_active() && s.cost().is_some_and(|c| c > threshold))
        .collect();
    println!(
        "\n{} active sessions have run for over {threshold:?}; killing them",
        slow.len()
    );

    // 5. Kill them, in batches; the report accounts for every id.
    let report = node.kill(slow.iter().map(|s| s.id())).await?;
    println!(
        "killed {}, failed {}",
        report.killed.len(),
        report.failed_ids().count()
    );
    for failed in &report.failed {
        println!("  not killed {:?}: {}", failed.sessions, failed.error);
    }

    // 6. List again: the slow active sessions are gone.
    let after = node.sessions().min_cost(threshold).all().await?;
    let still_active = after.iter().filter(|s| s.is_active()).count();
    println!(
        "\nnow {} sessions run for over {threshold:?}, {still_active} of them active",
        after.len()
    );
    println!(
        "the mock received {} requests, every one signed and valid by the spec",
        mock.requests().len()
    );
    Ok(())
}

fn print_session(s: &Session) {
    println!(
        "  {:>6}  {:<8} {:<9} {:>9}  {}",
        s.id,
        if s.is_active() { "active" } else { "inactive" },
        s.type_.as_deref().unwrap_or("-"),
        s.cost()
            .map(|c| format!("{:.1}s", c.as_secs_f64()))
            .unwrap_or_else(|| "-".into()),
        s.namespace.as_deref().unwrap_or("-"),
    );
}
