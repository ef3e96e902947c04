//! The command line's grammar: options, commands and their bounds (clap derive).
//!
//! Bounds come from the library (the spec's paging limits, the largest kill batch), never
//! from numbers written here.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use dds_sessions::{
    DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_PAGE_CONCURRENCY,
    MAX_BATCH_SIZE, SessionFilter, spec,
};

/// The command line: global options and one command.
#[derive(Debug, Parser)]
#[command(
    name = "dds-sessions",
    version,
    about = "Find and kill the sessions running on a Huawei Cloud DDS node",
    long_about = None,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where credentials and endpoints come from, and what the exit status means.
const AFTER_HELP: &str = "\
Credentials are read as the Huawei Cloud SDKs read them: HUAWEICLOUD_SDK_AK and
HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN), else HUAWEICLOUD_AUTH_TOKEN, else
the [basic] section of the credentials file ($HUAWEICLOUD_SDK_CREDENTIALS_FILE, else
~/.huaweicloud/credentials), which may also hold project_id. HUAWEICLOUD_SDK_REGION_DDS_<REGION>
replaces the endpoint of a region. Flags win over the environment.

Exit status: 0 success; 1 the API or the network failed, or some sessions were not killed;
2 the command line or its input is invalid, and nothing was sent.";

/// Where requests go, how patient to be, what to print.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Region id, e.g. ap-southeast-1 [default: $HUAWEICLOUD_SDK_REGION]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Use this endpoint instead of the region's (http:// only to a loopback address)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Project id [default: $HUAWEICLOUD_SDK_PROJECT_ID, else project_id in the credentials file]
    #[arg(long, global = true, value_name = "ID")]
    pub project_id: Option<String>,
    /// Time limit of one attempt (a request and its answer), in seconds
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = Seconds(DEFAULT_ATTEMPT_TIMEOUT))]
    pub timeout: Seconds,
    /// Output format: text for people, json (one document) for scripts
    #[arg(long, global = true, value_name = "FORMAT", value_enum, default_value_t = Format::Text)]
    pub output: Format,
    /// More log detail on standard error (-v info, -vv debug, -vvv trace); RUST_LOG, when set, wins
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    // (Plain comments: a doc comment here would become clap help and lengthen every --help.)
    // Tables and summaries.
    Text,
    // One JSON document.
    Json,
}

/// A positive number of seconds, possibly fractional (`30`, `0.5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seconds(pub Duration);

impl FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let seconds: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a number of seconds"))?;
        match Duration::try_from_secs_f64(seconds) {
            Ok(duration) if !duration.is_zero() => Ok(Seconds(duration)),
            _ => Err(format!(
                "{text} s is not a usable time limit: give more than 0"
            )),
        }
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the sessions of a node: one page, or every page with --all
    List(ListArgs),
    /// Kill sessions of a node: by id, or the active ones matching filters
    Kill(KillArgs),
    /// Run the spec-validating mock DDS until interrupted; prints its base URL first
    Mock(MockArgs),
}

/// `list`: which node, which page, which sessions.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The node whose sessions to list
    #[arg(long, value_name = "NODE_ID")]
    pub node: String,
    /// Skip this many sessions (where --all starts)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(spec::OFFSET_MIN..=i64::from(i32::MAX)))]
    pub offset: Option<u32>,
    /// Page size (within the spec's bounds) [default: the API's; with --all the largest]
    #[arg(long, value_name = "N",
          help = format!("Page size, {} to {} [default: the API's; with --all the largest]", spec::LIMIT_MIN, spec::LIMIT_MAX),
          value_parser = clap::value_parser!(u32).range(spec::LIMIT_MIN..=spec::LIMIT_MAX))]
    pub limit: Option<u32>,
    /// Every page, fetched concurrently; JSON total_count is then the number of sessions printed
    #[arg(long)]
    pub all: bool,
    /// With --all, pages in flight at once (1 fetches them one after another)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PAGE_CONCURRENCY as u32,
          value_parser = clap::value_parser!(u32).range(1..), requires = "all")]
    pub concurrency: u32,
    /// Which sessions.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The API's session filters, shared by `list` and `kill`.
#[derive(Debug, Args)]
#[group(id = "filters", multiple = true)]
pub struct FilterArgs {
    /// Only sessions running this type of operation (query, update, command, …)
    #[arg(long = "type", value_name = "TYPE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub op_type: Option<String>,
    /// Only sessions working on this namespace (database.collection)
    #[arg(long, value_name = "NS", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub namespace: Option<String>,
    /// Only sessions with this execution plan (COLLSCAN, IXSCAN, …)
    #[arg(long, value_name = "PLAN", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub plan_summary: Option<String>,
    /// Only sessions running for longer than this many microseconds (the API's cost_time)
    #[arg(long, value_name = "N")]
    pub min_cost_us: Option<u64>,
}

impl FilterArgs {
    /// The filters as the library takes them.
    pub fn to_filter(&self) -> SessionFilter {
        let mut filter = SessionFilter::new();
        if let Some(op_type) = &self.op_type {
            filter = filter.op_type(op_type);
        }
        if let Some(namespace) = &self.namespace {
            filter = filter.namespace(namespace);
        }
        if let Some(plan) = &self.plan_summary {
            filter = filter.plan_summary(plan);
        }
        if let Some(micros) = self.min_cost_us {
            filter = filter.min_cost(Duration::from_micros(micros));
        }
        filter
    }
}

/// The JSON `kill` prints, for scripts.
const KILL_AFTER_HELP: &str = "\
JSON output: {\"node_id\", \"killed\": [ids], \"failed\": [{\"sessions\": [ids], \"error\": {\"status\",
\"code\", \"message\", \"request_id\", \"kind\", \"text\"}}]}; with --dry-run: {\"node_id\", \"dry_run\": true,
\"would_kill\": [ids]}, plus \"sessions\" (the API's objects) when filters chose them.";

/// `kill`: which node, which sessions, how.
#[derive(Debug, Args)]
#[command(after_help = KILL_AFTER_HELP)]
pub struct KillArgs {
    /// The node whose sessions to kill
    #[arg(long, value_name = "NODE_ID")]
    pub node: String,
    /// Session ids, or - to read them from standard input (one a line); without ids, a filter
    /// is required, and the active sessions matching it are killed
    #[arg(value_name = "SESSION_ID", conflicts_with = "filters")]
    pub ids: Vec<String>,
    /// Which sessions, when no id is given.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print what would be killed; kill nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Session ids per kill request (at most the library's largest batch)
    #[arg(long, value_name = "N", help = format!("Session ids per kill request, 1 to {MAX_BATCH_SIZE}"),
          default_value_t = DEFAULT_BATCH_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH_SIZE as i64))]
    pub batch_size: u32,
    /// Requests in flight at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: u32,
}

/// `mock`: where to listen, what to hold, whom to let in.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on (127.0.0.1:0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Sessions each node starts with [default: the mock's]
    #[arg(long, value_name = "N")]
    pub sessions: Option<usize>,
    /// Accept this IAM token (X-Auth-Token)
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
    /// Accept requests signed with this access key (needs --sk)
    #[arg(long, value_name = "AK", requires = "sk")]
    pub ak: Option<String>,
    /// The secret key of --ak
    #[arg(long, value_name = "SK", requires = "ak")]
    pub sk: Option<String>,
    /// Answer every request this many milliseconds late, like an endpoint a network away
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
}

/// A usage error of `subcommand` (or of the top level), formatted as clap formats its own:
/// the message, the usage line, where to find help. Its exit code is 2.
pub fn usage_error(
    subcommand: &str,
    kind: clap::error::ErrorKind,
    message: impl fmt::Display,
) -> clap::Error {
    let mut command = Cli::command();
    command.build();
    match command.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(kind, message),
        None => command.error(kind, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn seconds_parse_and_print() {
        assert_eq!(
            "30".parse::<Seconds>(),
            Ok(Seconds(Duration::from_secs(30)))
        );
        assert_eq!(
            "0.5".parse::<Seconds>(),
            Ok(Seconds(Duration::from_millis(500)))
        );
        for bad in ["0", "-1", "abc", "", "inf", "NaN", "1e30"] {
            assert!(bad.parse::<Seconds>().is_err(), "{bad}");
        }
        assert_eq!(Seconds(DEFAULT_ATTEMPT_TIMEOUT).to_string(), "30");
    }

    #[test]
    fn filters_map_to_the_library() {
        let args = FilterArgs {
            op_type: Some("query".into()),
            namespace: None,
            plan_summary: None,
            min_cost_us: Some(1500),
        };
        let filter = args.to_filter();
        assert_eq!(filter.op_type_value(), Some("query"));
        assert_eq!(filter.min_cost_value(), Some(Duration::from_micros(1500)));
    }
}
