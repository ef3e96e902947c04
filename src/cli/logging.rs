//! Log lines on standard error: `warn` by default, more with each `-v`, or what `RUST_LOG` says.

use tracing_subscriber::EnvFilter;

/// The level for `-v` given `verbosity` times.
fn level(verbosity: u8) -> &'static str {
    match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    }
}

/// Sends log lines to standard error. `RUST_LOG`, when set and not blank, replaces the level
/// the `-v` flags chose; a `RUST_LOG` that cannot be read is reported and ignored.
pub fn init(verbosity: u8) {
    let fallback = level(verbosity);
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::try_new(&directives)
            .unwrap_or_else(|error| {
                eprintln!("warning: RUST_LOG ignored ({error}); logging at {fallback}");
                EnvFilter::new(fallback)
            }),
        _ => EnvFilter::new(fallback),
    };
    // Fails only if a subscriber is already installed, in which case that one serves.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_is_one_level_more() {
        let levels: Vec<&str> = (0..5).map(level).collect();
        assert_eq!(levels, ["warn", "info", "debug", "trace", "trace"]);
    }
}
