//! `dds-sessions`: list and kill the sessions of a Huawei Cloud DDS node from the command line.
//! See `dds-sessions --help`.

mod cli;

use clap::Parser;

// A faster allocator than the system's for a bulk kill's many small, short-lived requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
