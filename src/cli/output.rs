//! What the commands print: session tables, running times, kill summaries, and their JSON forms.
//!
//! Everything is built as a `String` and written at once by [`write_stdout`]. Text from the
//! API is made printable (control characters escaped) before it reaches a terminal; JSON is
//! escaped by serde.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use dds_sessions::generated::types::QuerySessionResponse;
use dds_sessions::{Error, FailedBatch, KillReport, Session};
use serde::Serialize;

/// The width used when neither the terminal nor `$COLUMNS` says.
const DEFAULT_WIDTH: usize = 120;
/// The fewest characters of the operation column: on a terminal too narrow for the other
/// columns, lines run over rather than lose the operation.
const MIN_OPERATION_WIDTH: usize = 10;
/// Space between two columns.
const GAP: &str = "  ";
/// The most ids named in one line of a text summary.
const IDS_NAMED: usize = 3;

/// The width to fit tables to: the terminal's, else `$COLUMNS`, else 120.
pub fn width() -> usize {
    if let Some((terminal_size::Width(columns), _)) = terminal_size::terminal_size() {
        return usize::from(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .filter(|columns: &usize| *columns > 0)
        .unwrap_or(DEFAULT_WIDTH)
}

/// Writes `text` to standard output. A reader that went away (a closed pipe) is not an error.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Whether standard error is a terminal (for progress bars).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// A running time as people read it: `120µs`, `850ms`, `6.5s`, `1m02s`, `2h05m`.
pub fn duration(cost: Duration) -> String {
    let micros = cost.as_micros();
    let seconds = cost.as_secs();
    if micros < 1_000 {
        format!("{micros}µs")
    } else if micros < 1_000_000 {
        format!("{}ms", micros / 1_000)
    } else if seconds < 60 {
        format!("{seconds}.{}s", cost.subsec_millis() / 100)
    } else if seconds < 3_600 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{}h{:02}m", seconds / 3_600, seconds % 3_600 / 60)
    }
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), safe to print on a terminal.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` cut to `width` characters, the last one `…` when something was cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The sessions as an aligned table fitting `width` (the operation is cut to fit).
pub fn session_table(sessions: &[Session], width: usize) -> String {
    const HEADERS: [&str; 8] = [
        "ID",
        "ACTIVE",
        "TYPE",
        "COST",
        "NAMESPACE",
        "PLAN",
        "CLIENT",
        "OPERATION",
    ];
    // The columns laid out differently: the cost aligned right, the operation cut to fit.
    const COST: usize = 3;
    const OPERATION: usize = 7;
    let text = |value: &Option<String>| value.as_deref().map_or_else(|| "-".to_string(), printable);
    let rows: Vec<[String; 8]> = sessions
        .iter()
        .map(|s| {
            [
                printable(s.id()),
                match s.active {
                    Some(true) => "yes".to_string(),
                    Some(false) => "no".to_string(),
                    None => "-".to_string(),
                },
                text(&s.type_),
                s.cost().map_or_else(|| text(&s.cost_time), duration),
                text(&s.namespace),
                text(&s.plan_summary),
                text(&s.client),
                text(&s.operation),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let fixed: usize = widths[..OPERATION].iter().map(|w| w + GAP.len()).sum();
    widths[OPERATION] = width.saturating_sub(fixed).max(MIN_OPERATION_WIDTH);

    let mut out = String::new();
    let header = HEADERS.map(str::to_string);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            match i {
                COST => {
                    let _ = write!(line, "{cell:>w$}{GAP}");
                }
                OPERATION => line.push_str(&cut(cell, w)),
                _ => {
                    let _ = write!(line, "{cell:<w$}{GAP}");
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The JSON of `list`: `{"total_count": N, "sessions": [the API's objects]}`.
pub fn sessions_json(total_count: u64, sessions: &[Session]) -> String {
    #[derive(Serialize)]
    struct Listing<'a> {
        total_count: u64,
        sessions: Vec<&'a QuerySessionResponse>,
    }
    json_line(&Listing {
        total_count,
        sessions: sessions.iter().map(Session::raw).collect(),
    })
}

/// The JSON of a dry run: the node, the ids that would be killed and, when they were found by
/// filters, the sessions themselves.
pub fn dry_run_json(node_id: &str, ids: &[&str], sessions: Option<&[Session]>) -> String {
    #[derive(Serialize)]
    struct DryRun<'a> {
        node_id: &'a str,
        dry_run: bool,
        would_kill: &'a [&'a str],
        #[serde(skip_serializing_if = "Option::is_none")]
        sessions: Option<Vec<&'a QuerySessionResponse>>,
    }
    let sessions = sessions.map(|s| s.iter().map(Session::raw).collect());
    json_line(&DryRun {
        node_id,
        dry_run: true,
        would_kill: ids,
        sessions,
    })
}

/// The text of a dry run by ids: the ids, one a line, then what would happen.
pub fn dry_run_ids_text(ids: &[&str]) -> String {
    let mut out: String = ids.iter().map(|id| printable(id) + "\n").collect();
    let _ = writeln!(
        out,
        "would kill {} sessions (dry run: nothing was sent)",
        ids.len()
    );
    out
}

/// The text of a dry run by filters: the matching active sessions, then what would happen.
pub fn dry_run_sessions_text(sessions: &[Session], width: usize) -> String {
    let mut out = if sessions.is_empty() {
        String::new()
    } else {
        session_table(sessions, width)
    };
    let _ = writeln!(
        out,
        "would kill {} sessions (dry run: nothing was killed)",
        sessions.len()
    );
    out
}

/// The JSON of a kill: every id killed, every failed batch with its ids and its error.
pub fn kill_json(report: &KillReport) -> String {
    #[derive(Serialize)]
    struct Kill<'a> {
        node_id: &'a str,
        killed: &'a [String],
        failed: Vec<Failed<'a>>,
    }
    #[derive(Serialize)]
    struct Failed<'a> {
        sessions: &'a [String],
        error: serde_json::Value,
    }
    let failed = report.failed.iter().map(|f| Failed {
        sessions: &f.sessions,
        error: error_json(&f.error),
    });
    json_line(&Kill {
        node_id: &report.node_id,
        killed: &report.killed,
        failed: failed.collect(),
    })
}

/// The text summary of a kill: `killed N, failed M`, then one line per failed batch.
pub fn kill_text(report: &KillReport) -> String {
    let failed: usize = report.failed.iter().map(|f| f.sessions.len()).sum();
    let mut out = format!("killed {}, failed {failed}\n", report.killed.len());
    for batch in &report.failed {
        let _ = writeln!(
            out,
            "  not killed: {}: {}",
            name_ids(batch),
            printable(&batch.error.to_string())
        );
    }
    out
}

/// The ids of a failed batch, the first few by name.
fn name_ids(batch: &FailedBatch) -> String {
    let count = batch.sessions.len();
    let named: Vec<String> = batch
        .sessions
        .iter()
        .take(IDS_NAMED)
        .map(|id| printable(id))
        .collect();
    let noun = if count == 1 { "session" } else { "sessions" };
    match count.saturating_sub(IDS_NAMED) {
        0 => format!("{count} {noun} ({})", named.join(", ")),
        more => format!("{count} {noun} ({}, and {more} more)", named.join(", ")),
    }
}

/// An error as JSON: its HTTP status, Huawei code and message, request id, kind and text.
pub fn error_json(error: &Error) -> serde_json::Value {
    serde_json::json!({
        "status": error.status(),
        "code": error.code(),
        "message": error.message(),
        "request_id": error.request_id(),
        "kind": error_kind(error),
        "text": error.to_string(),
    })
}

/// A stable name for the kind of `error`, for scripts.
pub fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::InvalidInput { .. } => "invalid_input",
        Error::Config { .. } => "config",
        Error::Api(_) => "api",
        Error::Throttled { .. } => "throttled",
        Error::Timeout { .. } => "timeout",
        Error::Transport { .. } => "transport",
        Error::Redirect { .. } => "redirect",
        Error::InvalidResponse { .. } => "invalid_response",
        Error::ResponseTooLarge { .. } => "response_too_large",
        _ => "other",
    }
}

/// `value` as one line of JSON.
fn json_line(value: &impl Serialize) -> String {
    // Serialising these plain structs cannot fail; an empty object is the harmless fallback.
    let mut line = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use dds_sessions::ApiError;

    fn session(json: &str) -> Session {
        Session::from(serde_json::from_str::<QuerySessionResponse>(json).unwrap())
    }

    #[test]
    fn durations_read_like_people_write_them() {
        let cases = [
            (Duration::from_micros(0), "0µs"),
            (Duration::from_micros(120), "120µs"),
            (Duration::from_micros(999), "999µs"),
            (Duration::from_micros(850_400), "850ms"),
            (Duration::from_millis(1_000), "1.0s"),
            (Duration::from_millis(6_500), "6.5s"),
            (Duration::from_millis(59_990), "59.9s"),
            (Duration::from_secs(62), "1m02s"),
            (Duration::from_secs(3_599), "59m59s"),
            (Duration::from_secs(7_500), "2h05m"),
        ];
        for (cost, text) in cases {
            assert_eq!(duration(cost), text, "{cost:?}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(printable("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
    }

    #[test]
    fn tables_align_and_fit_the_width() {
        let sessions = [
            session(
                r#"{"id":"34631","active":true,"type":"query","cost_time":"6500000","namespace":"shop.orders","plan_summary":"COLLSCAN","client":"10.0.0.1:4000","operation":"{\"find\":\"orders\",\"filter\":{\"status\":\"open\",\"long\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}"}"#,
            ),
            session(r#"{"id":"7","cost_time":"abc"}"#),
        ];
        let table = session_table(&sessions, 100);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].starts_with("ID     ACTIVE  TYPE   COST"),
            "{table}"
        );
        assert!(
            lines[1].contains("6.5s") && lines[1].ends_with('…'),
            "{table}"
        );
        assert!(
            lines[2].contains("abc") && lines[2].contains(" - "),
            "{table}"
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 100), "{table}");
        let narrow = session_table(&sessions, 10);
        assert!(narrow.lines().nth(1).unwrap().ends_with('…'), "{narrow}");
    }

    #[test]
    fn kill_reports_name_every_failure() {
        let report = KillReport {
            node_id: "n1".into(),
            killed: vec!["1".into()],
            failed: vec![FailedBatch {
                sessions: (2..8).map(|i| i.to_string()).collect(),
                error: Error::Api(ApiError::new(
                    400,
                    Some("DBS.301071".into()),
                    Some("inactive".into()),
                    Some("r1".into()),
                )),
            }],
        };
        let text = kill_text(&report);
        assert!(text.starts_with("killed 1, failed 6\n"), "{text}");
        assert!(
            text.contains("6 sessions (2, 3, 4, and 3 more)") && text.contains("DBS.301071"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&kill_json(&report)).unwrap();
        let error = &json["failed"][0]["error"];
        assert_eq!(error["kind"], "api");
        assert_eq!(error["status"], 400);
        assert_eq!(error["request_id"], "r1");
    }
}
