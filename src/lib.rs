// The README is the crate's front page; its examples use the mock, so without the `mock`
// feature a shorter page stands in for it.
#![cfg_attr(feature = "mock", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "mock"),
    doc = "Find and kill the sessions running on a Huawei Cloud DDS node. See the README for a tour."
)]
#![warn(missing_docs)]

pub mod auth;
mod client;
mod error;
mod filter;
#[doc(hidden)]
pub mod fuzzing;
pub mod generated;
pub mod hooks;
mod ids;
mod kill;
#[cfg(feature = "mock")]
pub mod mock;
mod node;
mod paging;
pub mod region;
mod response;
mod retry;
pub mod secret;
mod session;
pub mod spec;

pub use auth::credentials::Credentials;
pub use client::{
    Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_PAGE_CONCURRENCY, MAX_BATCH_SIZE,
};
pub use error::{ApiError, Error, Result, TimeoutScope, TransportKind};
pub use filter::SessionFilter;
pub use kill::{FailedBatch, Kill, KillMatching, KillProgress, KillReport};
pub use node::Node;
pub use paging::SessionQuery;
pub use retry::RetryConfig;
pub use secret::Secret;
pub use session::{Session, SessionPage};
