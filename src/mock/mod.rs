//! A mock DDS that judges every request by the spec (feature `mock`).
//!
//! It is what a spec-validating mock such as Prism is for any OpenAPI document, but it knows
//! DDS: it authenticates like the API gateway (IAM token, or an `SDK-HMAC-SHA256` signature
//! recomputed from the bytes received, `X-Sdk-Date` within 15 minutes, `X-Security-Token`),
//! keeps realistic sessions per node, lists them with the real filters and paging, kills them
//! (an inactive one is `400 DBS.301071`), and answers every request with an `X-Request-Id`.
//!
//! Every request is checked against the embedded spec first: a violation is a `400` whose
//! `error_msg` names it (`query parameter limit: 21 is greater than the maximum of 20`), an
//! unknown path a `404`, a wrong method a `405`, failed authentication a `401 APIGW.0301`.
//! Faults can be queued for the next answers, and every request is recorded.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dds_sessions::Result<()> {
//! use dds_sessions::mock::{Fault, MockServer};
//! use dds_sessions::{Client, Credentials};
//!
//! let mock = MockServer::builder().token("test-token").sessions_per_node(30).start().await?;
//! let client = Client::builder()
//!     .endpoint(mock.url())
//!     .project_id("619d3e78f61b4be68bc5aa0b59edcf7b")
//!     .credentials(Credentials::token("test-token"))
//!     .build()?;
//! let node = client.node("520c58ba00a3497e97ce0b9604874dd6no02");
//!
//! mock.inject([Fault::status(503)]); // the next answer fails; the client retries
//! let page = node.sessions().limit(20).page().await?;
//! assert_eq!(page.total_count, 30);
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(()) }
//! ```

mod auth;
mod faults;
mod server;
mod sessions;
mod spec_check;

pub use faults::{Fault, FaultAnswer};
pub use server::{MockBuilder, MockServer, RecordedRequest};
pub use sessions::MockSession;
