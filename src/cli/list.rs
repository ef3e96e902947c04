//! `list`: one page of a node's sessions, or every page.

use dds_sessions::Client;

use super::Failure;
use super::args::{Format, ListArgs};
use super::output;

/// Lists the sessions `args` asks for and prints them as a table or as JSON.
///
/// One page prints the API's `total_count`; with `--all` every page is fetched (concurrently,
/// by the library's stream) and `total_count` is the number of sessions printed.
pub async fn run(client: &Client, args: &ListArgs, format: Format) -> Result<(), Failure> {
    let mut query = client
        .node(&args.node)
        .sessions()
        .filter(args.filter.to_filter());
    if let Some(offset) = args.offset {
        query = query.offset(offset);
    }
    if let Some(limit) = args.limit {
        query = query.limit(limit);
    }
    let (total_count, sessions) = if args.all {
        let sessions = query.concurrency(args.concurrency as usize).all().await?;
        (sessions.len() as u64, sessions)
    } else {
        let page = query.page().await?;
        (page.total_count, page.sessions)
    };
    let text = match format {
        Format::Json => output::sessions_json(total_count, &sessions),
        Format::Text => {
            let mut text = if sessions.is_empty() {
                String::new()
            } else {
                output::session_table(&sessions, output::width())
            };
            text.push_str(&format!("{} of {total_count} sessions\n", sessions.len()));
            text
        }
    };
    output::write_stdout(&text)?;
    Ok(())
}
