//! A one-line progress bar on standard error, redrawn in place with `\r`, for kills long
//! enough to watch.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dds_sessions::KillProgress;

/// The characters of the bar itself.
const BAR_WIDTH: usize = 30;

/// A progress bar for a kill, drawn only on a terminal and only when the kill takes more than
/// one batch.
#[derive(Clone, Debug)]
pub struct ProgressBar {
    batch_size: usize,
    drawn: Arc<AtomicBool>,
}

impl ProgressBar {
    /// A bar for kills in batches of `batch_size`, if standard error is a terminal.
    pub fn on_terminal(batch_size: usize) -> Option<ProgressBar> {
        super::output::stderr_is_terminal().then(|| ProgressBar {
            batch_size,
            drawn: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The callback for the library's `on_progress`: redraws the bar.
    pub fn callback(&self) -> impl Fn(KillProgress) + Send + Sync + 'static {
        let bar = self.clone();
        move |progress| bar.draw(progress)
    }

    fn draw(&self, progress: KillProgress) {
        if progress.total <= self.batch_size {
            return;
        }
        self.drawn.store(true, Ordering::Relaxed);
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r{}", render(progress));
        let _ = stderr.flush();
    }

    /// Ends the bar's line, if one was drawn, so what follows starts on a line of its own.
    pub fn finish(&self) {
        if self.drawn.load(Ordering::Relaxed) {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// The bar's line: `[#########.....................] 300/1000 sessions, 0 failed`.
pub fn render(progress: KillProgress) -> String {
    let KillProgress {
        done,
        total,
        failed,
    } = progress;
    let filled = (done.min(total) * BAR_WIDTH)
        .checked_div(total)
        .unwrap_or(BAR_WIDTH);
    format!(
        "[{}{}] {done}/{total} sessions, {failed} failed",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_work_done() {
        let line = |done, total| {
            render(KillProgress {
                done,
                total,
                failed: 0,
            })
        };
        assert_eq!(
            line(0, 1000),
            format!("[{}] 0/1000 sessions, 0 failed", ".".repeat(30))
        );
        assert_eq!(
            line(500, 1000),
            format!(
                "[{}{}] 500/1000 sessions, 0 failed",
                "#".repeat(15),
                ".".repeat(15)
            )
        );
        assert_eq!(
            line(1000, 1000),
            format!("[{}] 1000/1000 sessions, 0 failed", "#".repeat(30))
        );
        assert!(line(0, 0).starts_with(&format!("[{}]", "#".repeat(30))));
    }
}
