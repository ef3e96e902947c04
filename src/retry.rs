//! Retries: which failures are worth another attempt, how long to wait, and the attempt loop.
//!
//! Both operations are safe to retry: listing changes nothing, and killing a session twice
//! changes nothing more than killing it once. So by default every operation is tried up to
//! three times when it is throttled (`429`), when the gateway fails (`502`, `503`, `504`), when
//! the connection fails or breaks, or when an attempt times out — never on another 4xx. The
//! waits grow exponentially with full jitter, and a `Retry-After` is honoured up to a cap.

use std::future::Future;
use std::time::Duration;

use crate::{Error, Result};

/// How failed attempts are retried.
///
/// ```
/// use std::time::Duration;
/// use dds_sessions::RetryConfig;
/// let retry = RetryConfig::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(50))
///     .with_max_backoff(Duration::from_secs(2));
/// assert_eq!(retry.max_attempts(), 5);
/// assert_eq!(RetryConfig::disabled().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryConfig {
    /// Three attempts in all, waits from 100 ms doubling up to 5 s (full jitter), `Retry-After`
    /// honoured up to 30 s.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryConfig {
    /// One attempt, no retry.
    ///
    /// ```
    /// assert_eq!(dds_sessions::RetryConfig::disabled().max_attempts(), 1);
    /// ```
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// The number of attempts in all, the first included (at least 1).
    ///
    /// ```
    /// assert_eq!(dds_sessions::RetryConfig::default().with_max_attempts(0).max_attempts(), 1);
    /// ```
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest first wait; each later wait may be twice as long, up to the maximum.
    ///
    /// ```
    /// use std::time::Duration;
    /// let r = dds_sessions::RetryConfig::default().with_initial_backoff(Duration::from_millis(10));
    /// assert_eq!(r.initial_backoff(), Duration::from_millis(10));
    /// ```
    pub fn with_initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait between two attempts, `Retry-After` aside.
    ///
    /// ```
    /// use std::time::Duration;
    /// let r = dds_sessions::RetryConfig::default().with_max_backoff(Duration::from_secs(1));
    /// assert_eq!(r.max_backoff(), Duration::from_secs(1));
    /// ```
    pub fn with_max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` honoured; a longer one is cut to this.
    ///
    /// ```
    /// use std::time::Duration;
    /// let r = dds_sessions::RetryConfig::default().with_max_retry_after(Duration::from_secs(3));
    /// assert_eq!(r.max_retry_after(), Duration::from_secs(3));
    /// ```
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts in all.
    ///
    /// ```
    /// assert_eq!(dds_sessions::RetryConfig::default().max_attempts(), 3);
    /// ```
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest first wait.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(dds_sessions::RetryConfig::default().initial_backoff(), Duration::from_millis(100));
    /// ```
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts, `Retry-After` aside.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(dds_sessions::RetryConfig::default().max_backoff(), Duration::from_secs(5));
    /// ```
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(dds_sessions::RetryConfig::default().max_retry_after(), Duration::from_secs(30));
    /// ```
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// How long to wait after failed attempt number `attempt` (1-based) that ended in `error`:
    /// the server's `Retry-After` (capped) if it gave one, else a random wait between zero and
    /// `initial_backoff × 2^(attempt-1)`, capped at `max_backoff`.
    fn wait_after(&self, attempt: u32, error: &Error) -> Duration {
        if let Some(wait) = error.retry_after() {
            return wait.min(self.max_retry_after);
        }
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }

    /// Runs `attempt` (given the 1-based attempt number) until it succeeds, fails for good, or
    /// the attempts run out; returns the last outcome.
    pub(crate) async fn run<T, F, Fut>(&self, operation: &'static str, mut attempt: F) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut number = 1;
        loop {
            match attempt(number).await {
                Err(error) if number < self.max_attempts && error.is_retryable() => {
                    let wait = self.wait_after(number, &error);
                    tracing::debug!(operation, attempt = number, wait_ms = wait.as_millis() as u64, %error, "retrying");
                    tokio::time::sleep(wait).await;
                    number += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;
    use std::cell::Cell;

    fn api(status: u16) -> Error {
        Error::Api(ApiError::new(status, None, None, None))
    }

    fn throttled(after: Option<u64>) -> Error {
        Error::Throttled {
            error: ApiError::new(429, Some("APIGW.0308".into()), None, None),
            retry_after: after.map(Duration::from_secs),
        }
    }

    fn fast() -> RetryConfig {
        RetryConfig::default()
            .with_initial_backoff(Duration::ZERO)
            .with_max_retry_after(Duration::ZERO)
    }

    async fn attempts_for(config: &RetryConfig, errors: Vec<Error>) -> (u32, Result<u32>) {
        let count = Cell::new(0);
        let result = config
            .run("test", |n| {
                count.set(n);
                let outcome = errors.get(n as usize - 1).cloned().map_or(Ok(n), Err);
                async move { outcome }
            })
            .await;
        (count.get(), result)
    }

    #[tokio::test]
    async fn retries_only_what_may_succeed_later() {
        let cases: Vec<(Vec<Error>, u32, bool)> = vec![
            (vec![], 1, true),
            (vec![api(503)], 2, true),
            (vec![api(502), api(504)], 3, true),
            (vec![throttled(Some(1)), throttled(None)], 3, true),
            (vec![api(503), api(503), api(503)], 3, false),
            (vec![api(400)], 1, false),
            (vec![api(404)], 1, false),
            (vec![api(500)], 1, false),
            (vec![Error::invalid_input("x", "y")], 1, false),
        ];
        for (errors, attempts, ok) in cases {
            let label = format!("{errors:?}");
            let (n, result) = attempts_for(&fast(), errors).await;
            assert_eq!(n, attempts, "{label}");
            assert_eq!(result.is_ok(), ok, "{label}");
        }
    }

    #[tokio::test]
    async fn disabled_means_one_attempt() {
        let (n, result) = attempts_for(&RetryConfig::disabled(), vec![api(503)]).await;
        assert_eq!(n, 1);
        assert_eq!(result.unwrap_err().status(), Some(503));
    }

    #[test]
    fn waits_are_bounded() {
        let config = RetryConfig::default();
        for attempt in 1..40 {
            let wait = config.wait_after(attempt, &api(503));
            assert!(wait <= config.max_backoff(), "{attempt}: {wait:?}");
            let first_ceiling = config.initial_backoff() * 2u32.pow(attempt.min(20) - 1);
            assert!(wait <= first_ceiling, "{attempt}: {wait:?}");
        }
        assert_eq!(
            config.wait_after(1, &throttled(Some(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            config.wait_after(1, &throttled(Some(3600))),
            config.max_retry_after()
        );
    }
}
