//! The spec itself, and the values the client takes from it.
//!
//! Everything here is read from `spec/dds-sessions.yaml` when the crate is built; editing the
//! spec and rebuilding is the only way to change it.
//!
//! ```
//! assert_eq!(dds_sessions::spec::LIMIT_MAX, 20);
//! assert!(dds_sessions::spec::YAML.starts_with("openapi: 3.0.3"));
//! ```

include!(concat!(env!("OUT_DIR"), "/spec_constants.rs"));

/// The OpenAPI 3.0.3 document the client is generated from, as published in `spec/`.
pub const YAML: &str = include_str!("../spec/dds-sessions.yaml");
