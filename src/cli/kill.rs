//! `kill`: sessions by id (from the command line or standard input), or the active sessions
//! matching filters; for real or as a dry run.

use std::io::{self, BufRead};

use clap::error::ErrorKind;
use dds_sessions::{Client, KillReport, SessionFilter};

use super::Failure;
use super::args::{Format, KillArgs, usage_error};
use super::output;
use super::progress::ProgressBar;

/// The sessions a kill is aimed at.
#[derive(Debug)]
pub enum Target {
    /// These ids, as given.
    Ids(Vec<String>),
    /// The active sessions matching this filter (never empty).
    Matching(SessionFilter),
}

impl Target {
    /// The target the command line names, reading standard input for `-`. Refuses a kill with
    /// neither ids nor filters: it would kill every session of the node.
    pub fn from_args(args: &KillArgs) -> Result<Target, Failure> {
        match args.ids.as_slice() {
            [] => {
                let filter = args.filter.to_filter();
                if filter.is_empty() {
                    return Err(Failure::Usage(usage_error(
                        "kill",
                        ErrorKind::MissingRequiredArgument,
                        "give session ids (or - to read them from standard input), or at least one \
                         filter (--type, --namespace, --plan-summary, --min-cost-us); a kill of \
                         every session of the node is refused",
                    )));
                }
                Ok(Target::Matching(filter))
            }
            [dash] if dash == "-" => read_ids(io::stdin().lock()).map(Target::Ids),
            ids if ids.iter().any(|id| id == "-") => Err(Failure::Usage(usage_error(
                "kill",
                ErrorKind::ArgumentConflict,
                "`-` reads the session ids from standard input; it cannot be mixed with ids",
            ))),
            ids => Ok(Target::Ids(ids.to_vec())),
        }
    }
}

/// The ids in `input`, one a line, trimmed; blank lines are skipped. None at all is an error.
fn read_ids(input: impl BufRead) -> Result<Vec<String>, Failure> {
    let mut ids = Vec::new();
    for line in input.lines() {
        let line = line.map_err(|e| {
            Failure::Input(format!("cannot read session ids from standard input: {e}"))
        })?;
        let id = line.trim();
        if !id.is_empty() {
            ids.push(id.to_string());
        }
    }
    if ids.is_empty() {
        return Err(Failure::Input(
            "no session ids on standard input: give one a line".to_string(),
        ));
    }
    Ok(ids)
}

/// Kills (or, with `--dry-run`, names) the target's sessions and prints what happened. Some
/// sessions not killed is [`Failure::Incomplete`], after the report is printed.
pub async fn run(
    client: &Client,
    args: &KillArgs,
    target: Target,
    format: Format,
) -> Result<(), Failure> {
    let node = client.node(&args.node);
    let batch_size = args.batch_size as usize;
    let concurrency = args.concurrency as usize;
    if args.dry_run {
        let text = match target {
            Target::Ids(ids) => {
                let ids = node
                    .kill(ids)
                    .batch_size(batch_size)
                    .concurrency(concurrency)
                    .dry_run()?;
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                match format {
                    Format::Json => output::dry_run_json(node.id(), &ids, None),
                    Format::Text => output::dry_run_ids_text(&ids),
                }
            }
            Target::Matching(filter) => {
                let sessions = node
                    .kill_matching(filter)
                    .concurrency(concurrency)
                    .dry_run()
                    .await?;
                match format {
                    Format::Json => {
                        let ids: Vec<&str> = sessions.iter().map(|s| s.id()).collect();
                        output::dry_run_json(node.id(), &ids, Some(&sessions))
                    }
                    Format::Text => output::dry_run_sessions_text(&sessions, output::width()),
                }
            }
        };
        output::write_stdout(&text)?;
        return Ok(());
    }

    let bar = ProgressBar::on_terminal(batch_size);
    let outcome = match target {
        Target::Ids(ids) => {
            let mut kill = node
                .kill(ids)
                .batch_size(batch_size)
                .concurrency(concurrency);
            if let Some(bar) = &bar {
                kill = kill.on_progress(bar.callback());
            }
            kill.await
        }
        Target::Matching(filter) => {
            let mut kill = node
                .kill_matching(filter)
                .batch_size(batch_size)
                .concurrency(concurrency);
            if let Some(bar) = &bar {
                kill = kill.on_progress(bar.callback());
            }
            kill.await
        }
    };
    if let Some(bar) = &bar {
        bar.finish();
    }
    let report: KillReport = outcome?;
    output::write_stdout(&match format {
        Format::Json => output::kill_json(&report),
        Format::Text => output::kill_text(&report),
    })?;
    if report.is_complete() {
        Ok(())
    } else {
        Err(Failure::Incomplete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_one_a_line() {
        let ids = read_ids(&b"  34631 \n\n\t34703\r\n   \nshard0:1\n"[..]).unwrap();
        assert_eq!(ids, ["34631", "34703", "shard0:1"]);
        assert!(matches!(read_ids(&b"\n \n"[..]), Err(Failure::Input(_))));
        assert!(matches!(
            read_ids(&b"1\n\xff\n"[..]),
            Err(Failure::Input(_))
        ));
    }
}
