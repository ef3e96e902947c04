//! `dds-sessions`: list and kill the sessions of a Huawei Cloud DDS node from the command line.
//! See `dds-sessions --help`.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
