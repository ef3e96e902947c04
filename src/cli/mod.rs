//! The `dds-sessions` command line, on the library's public API only.
//!
//! [`run`] sets up logging and a current-thread runtime, builds the client the way the
//! library's `from_env` does (flags first), runs one command and turns its outcome into an
//! exit status: 0 success, 1 the API or the network failed, 2 invalid usage or input (nothing
//! was sent).

mod args;
mod kill;
mod list;
mod logging;
mod mock;
mod output;
mod progress;

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use dds_sessions::{Client, Error};

pub use args::Cli;
use args::{Command, GlobalArgs, KillArgs};

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line is unusable (clap's format, with the usage line); nothing was sent.
    Usage(clap::Error),
    /// The input is unusable (standard input); nothing was sent.
    Input(String),
    /// The client could not be configured; nothing was sent.
    Setup(Error),
    /// The library refused the input (nothing sent) or the API or the network failed.
    Library(Error),
    /// The command ran but some of its work failed; its output says what.
    Incomplete,
    /// Standard input or output, or the runtime, failed.
    Io(io::Error),
    /// A bug: the panic hook has said where.
    Panic,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Library(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Io(error)
    }
}

impl Failure {
    /// The exit status: 2 when nothing was sent because of the input, else 1.
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) | Failure::Input(_) => 2,
            Failure::Setup(error) | Failure::Library(error) if error.is_before_sending() => 2,
            _ => 1,
        }
    }

    /// Says what went wrong on standard error, in one or two lines.
    fn report(&self) {
        let mut stderr = io::stderr().lock();
        let _ = match self {
            Failure::Usage(error) => write!(stderr, "{}", error.render()),
            Failure::Input(message) => writeln!(stderr, "error: {message}"),
            Failure::Setup(error @ Error::Config { .. }) => writeln!(
                stderr,
                "error: {error}\nhint: `dds-sessions --help` says where credentials, the project \
                 id and the region are read from"
            ),
            Failure::Setup(error) | Failure::Library(error) => writeln!(stderr, "error: {error}"),
            Failure::Io(error) => writeln!(stderr, "error: {error}"),
            Failure::Incomplete | Failure::Panic => Ok(()),
        };
    }
}

/// Runs the command `cli` names and returns its exit status. Never panics out: a bug is one
/// line on standard error and status 1.
pub fn run(cli: Cli) -> ExitCode {
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown cause");
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            io::stderr(),
            "error: internal error{place}: {message} (a bug; please report it)"
        );
    }));
    logging::init(cli.global.verbose);
    let outcome =
        panic::catch_unwind(AssertUnwindSafe(|| execute(cli))).unwrap_or(Err(Failure::Panic));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs one command on a current-thread runtime.
fn execute(cli: Cli) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let Cli { global, command } = cli;
    match command {
        Command::List(args) => runtime.block_on(async {
            let client = client(&global, Concurrency::Pages(args.concurrency))?;
            list::run(&client, &args, global.output).await
        }),
        Command::Kill(args) => {
            let target = kill::Target::from_args(&args)?;
            runtime.block_on(async {
                let client = client(&global, Concurrency::Kills(&args))?;
                kill::run(&client, &args, target, global.output).await
            })
        }
        Command::Mock(args) => runtime.block_on(mock::run(&args)),
    }
}

/// What the command sends at once: pages of a listing, or kill batches (of this size).
enum Concurrency<'a> {
    Pages(u32),
    Kills(&'a KillArgs),
}

/// The client the global options describe: flags first, then the environment and the
/// credentials file, as the library's `from_env` reads them.
fn client(global: &GlobalArgs, concurrency: Concurrency<'_>) -> Result<Client, Failure> {
    let mut builder = Client::builder().attempt_timeout(global.timeout.0);
    if let Some(region) = &global.region {
        builder = builder.region(region);
    }
    if let Some(endpoint) = &global.endpoint {
        builder = builder.endpoint(endpoint);
    }
    if let Some(project_id) = &global.project_id {
        builder = builder.project_id(project_id);
    }
    builder = match concurrency {
        Concurrency::Pages(pages) => builder.page_concurrency(pages as usize),
        Concurrency::Kills(kill) => builder
            .batch_size(kill.batch_size as usize)
            .concurrency(kill.concurrency as usize),
    };
    builder
        .from_env()
        .and_then(|builder| builder.build())
        .map_err(Failure::Setup)
}
