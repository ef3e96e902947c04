//! Authentication: where credentials come from, and how requests are signed with them.

pub mod credentials;
pub mod signer;
