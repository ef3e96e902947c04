//! The `dds-sessions` command line (placeholder; see src/cli/).
fn main() {}
