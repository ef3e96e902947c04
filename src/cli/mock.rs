//! `mock`: the library's spec-validating mock DDS, served until ctrl-c or SIGTERM.

use dds_sessions::mock::MockServer;

use super::Failure;
use super::args::MockArgs;
use super::output;

/// Starts the mock, prints its base URL as the first line of standard output, and serves
/// until interrupted.
pub async fn run(args: &MockArgs) -> Result<(), Failure> {
    // Nobody can read the records of a standalone mock: keep none, so memory stays flat.
    let mut builder = MockServer::builder()
        .listen(args.listen)
        .record_requests(false)
        .latency(std::time::Duration::from_millis(args.latency_ms));
    if let Some(count) = args.sessions {
        builder = builder.sessions_per_node(count);
    }
    if let Some(token) = &args.token {
        builder = builder.token(token);
    }
    if let (Some(access_key), Some(secret_key)) = (&args.ak, &args.sk) {
        builder = builder.ak_sk(access_key, secret_key);
    }
    let mock = builder.start().await?;
    output::write_stdout(&format!("{}\n", mock.url()))?;
    tracing::info!(url = mock.url(), "mock DDS serving; stop it with ctrl-c");
    interrupted().await?;
    tracing::info!("mock DDS stopped");
    drop(mock);
    Ok(())
}

/// Waits for ctrl-c (SIGINT) or, on unix, SIGTERM.
async fn interrupted() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            outcome = tokio::signal::ctrl_c() => outcome,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
