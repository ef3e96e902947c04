//! Killing sessions in bulk: checked ids, batches, bounded concurrency, and a report that
//! accounts for every id.
//!
//! Killing a session twice changes nothing more than killing it once, so every batch is
//! retried by the client's retry policy like any other request. A batch that still fails is
//! reported with its ids and its error; it never hides an id that was not killed.

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::stream::TryStreamExt;
use tracing::Instrument;

use crate::client::MAX_BATCH_SIZE;
use crate::{Error, Node, Result, Session, SessionFilter, ids, spec};

/// How far a kill has got, for progress displays.
///
/// ```
/// let p = dds_sessions::KillProgress { done: 3, total: 10, failed: 1 };
/// assert_eq!(p.done, 3);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KillProgress {
    /// Ids whose batch has finished, killed or not.
    pub done: usize,
    /// Ids in all.
    pub total: usize,
    /// Ids whose batch failed.
    pub failed: usize,
}

type ProgressFn = Arc<dyn Fn(KillProgress) + Send + Sync>;

/// A kill of sessions by id, from [`Node::kill`]. Await it (or call [`send`](Self::send)).
///
/// The ids are checked first (at least one; none empty or holding control characters) and
/// duplicates dropped; then they go in batches of [`batch_size`](Self::batch_size), at most
/// [`concurrency`](Self::concurrency) batches in flight, sent by as many Tokio tasks (so a kill
/// runs inside a Tokio runtime, as reqwest does; dropping the kill aborts those tasks).
///
/// ```no_run
/// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
/// let ids: Vec<String> = (0..2_000).map(|i| i.to_string()).collect();
/// let report = node.kill(ids).batch_size(200).concurrency(8).await?;
/// for failed in &report.failed {
///     eprintln!("{} ids not killed: {}", failed.sessions.len(), failed.error);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a kill does nothing until it is awaited"]
pub struct Kill {
    node: Node,
    ids: Vec<String>,
    batch_size: Option<usize>,
    concurrency: Option<usize>,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for Kill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kill")
            .field("node", &self.node)
            .field("ids", &self.ids.len())
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl Kill {
    pub(crate) fn new(node: Node, ids: Vec<String>) -> Kill {
        Kill {
            node,
            ids,
            batch_size: None,
            concurrency: None,
            progress: None,
        }
    }

    /// Ids per request, 1 to 500 (default: the client's, 100 unless configured).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let k = node.kill(["1"]).batch_size(50); }
    /// ```
    pub fn batch_size(mut self, ids: usize) -> Self {
        self.batch_size = Some(ids);
        self
    }

    /// Batches in flight at once (default: the client's, 4 unless configured).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let k = node.kill(["1"]).concurrency(16); }
    /// ```
    pub fn concurrency(mut self, batches: usize) -> Self {
        self.concurrency = Some(batches);
        self
    }

    /// Called after every batch with how far the kill has got.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) {
    /// let k = node.kill(["1", "2"]).on_progress(|p| eprintln!("{}/{}", p.done, p.total));
    /// # }
    /// ```
    pub fn on_progress(mut self, report: impl Fn(KillProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// The ids the kill would send, checked and without duplicates, in their first order;
    /// nothing is sent. Refuses what [`send`](Self::send) would refuse.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// # let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:9").project_id("p")
    /// #     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// let node = client.node("n1");
    /// assert_eq!(node.kill(["2", "1", "2"]).dry_run()?, ["2", "1"]);
    /// assert!(node.kill(["1", ""]).dry_run().is_err());
    /// # Ok(()) }
    /// ```
    pub fn dry_run(&self) -> Result<Vec<String>> {
        self.settings()?;
        checked(self.ids.clone())
    }

    /// The batch size and concurrency to use, once checked with the node id.
    fn settings(&self) -> Result<(usize, usize)> {
        let client = self.node.client();
        let batch_size = self.batch_size.unwrap_or_else(|| client.batch_size());
        let concurrency = self.concurrency.unwrap_or_else(|| client.concurrency());
        if batch_size == 0 || batch_size > MAX_BATCH_SIZE {
            return Err(Error::invalid_input(
                "batch_size",
                format!("must be 1 to {MAX_BATCH_SIZE}, not {batch_size}"),
            ));
        }
        if concurrency == 0 {
            return Err(Error::invalid_input("concurrency", "must be at least 1"));
        }
        ids::node_id(self.node.id())?;
        Ok((batch_size, concurrency))
    }

    /// Runs the kill. `Err` only for input refused before anything was sent; failures of
    /// batches are in the report.
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let report = node.kill(["34631"]).send().await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(mut self) -> Result<KillReport> {
        let (batch_size, concurrency) = self.settings()?;
        let ids = checked(std::mem::take(&mut self.ids))?;
        let total = ids.len();
        let batches = total.div_ceil(batch_size);

        // Each of `concurrency` tasks takes the next batch (a range of the ids, which stay in one
        // shared list) until none is left. Separate tasks, rather than one task polling every
        // request, let the runtime schedule each request on its own, which measurably cuts the
        // cost of a request (BENCHMARKS.md). Dropping this future aborts the tasks and tells
        // them to stop.
        let shared = Arc::new(Shared {
            ids,
            batch_size,
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            state: Mutex::new(State {
                answered: vec![false; batches],
                failures: Vec::new(),
                progress: KillProgress {
                    done: 0,
                    total,
                    failed: 0,
                },
                panic: None,
            }),
        });
        let stop_on_drop = StopOnDrop(shared.clone());
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..concurrency.min(batches) {
            let worker = work(shared.clone(), self.node.clone(), self.progress.clone());
            workers.spawn(worker.instrument(tracing::Span::current()));
        }
        while let Some(joined) = workers.join_next().await {
            if let Err(error) = joined
                && error.is_panic()
            {
                std::panic::resume_unwind(error.into_panic());
            }
        }
        drop(stop_on_drop);

        // Every task has ended: the ids can be moved into the report, batch by batch.
        let (ids, state) = match Arc::try_unwrap(shared) {
            Ok(shared) => (shared.ids, into_inner(shared.state)),
            Err(shared) => (
                shared.ids.clone(),
                std::mem::take(&mut *lock(&shared.state)),
            ),
        };
        if let Some(panic) = state.panic {
            std::panic::resume_unwind(panic);
        }
        let mut failures: std::collections::HashMap<usize, Error> =
            state.failures.into_iter().collect();
        let mut report = KillReport {
            node_id: self.node.id().to_string(),
            killed: Vec::with_capacity(total),
            failed: Vec::new(),
        };
        let mut ids = ids.into_iter();
        for (index, answered) in state.answered.into_iter().enumerate() {
            let sessions: Vec<String> = ids.by_ref().take(batch_size).collect();
            let error = match failures.remove(&index) {
                Some(error) => error,
                None if answered => {
                    report.killed.extend(sessions);
                    continue;
                }
                // A batch a cancelled task left unanswered (the runtime shutting down), or one
                // no task took: reported, never lost.
                None => Error::Transport {
                    kind: crate::TransportKind::Other,
                    message: "the kill stopped before this batch was answered (its task was \
                              cancelled: the runtime is shutting down); it may not have been killed"
                        .to_string(),
                },
            };
            report.failed.push(FailedBatch { sessions, error });
        }
        Ok(report)
    }
}

/// What a kill's tasks share: the ids (batch `i` is the `i`-th run of `batch_size`), the next
/// batch to take, and what has been answered.
struct Shared {
    ids: Vec<String>,
    batch_size: usize,
    next: AtomicUsize,
    /// Set when the kill is dropped or a progress callback panicked: take no more batches.
    stop: AtomicBool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Whether each batch has been answered (killed or failed).
    answered: Vec<bool>,
    /// The batches that failed, by index, with why.
    failures: Vec<(usize, Error)>,
    progress: KillProgress,
    /// A progress callback's panic, raised again once every task has stopped.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// Tells the tasks to stop when the kill is dropped (aborting them is asynchronous).
struct StopOnDrop(Arc<Shared>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Relaxed);
    }
}

/// One of the kill's tasks: takes the next batch, sends it, records the outcome, reports
/// progress; until no batch is left or it is told to stop.
async fn work(shared: Arc<Shared>, node: Node, progress: Option<ProgressFn>) {
    while !shared.stop.load(Ordering::Relaxed) {
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        let start = index.saturating_mul(shared.batch_size);
        if start >= shared.ids.len() {
            return;
        }
        let batch = &shared.ids[start..shared.ids.len().min(start + shared.batch_size)];
        let outcome = node.kill_batch(batch).await;
        let mut state = lock(&shared.state);
        state.answered[index] = true;
        state.progress.done += batch.len();
        if let Err(error) = outcome {
            state.progress.failed += batch.len();
            tracing::debug!(node = node.id(), ids = batch.len(), %error, "kill batch failed");
            state.failures.push((index, error));
        }
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        if let Some(callback) = &progress {
            let now = state.progress;
            let called = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(now)));
            if let Err(panic) = called {
                state.panic.get_or_insert(panic);
                shared.stop.store(true, Ordering::Relaxed);
                return;
            }
        }
    }
}

/// Locks, recovering from a poisoned lock.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl IntoFuture for Kill {
    type Output = Result<KillReport>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<KillReport>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The ids in their first order, each once, and at least as many as the spec requires;
/// refuses an empty id or one with control characters.
fn checked(ids: Vec<String>) -> Result<Vec<String>> {
    let ids = unique(ids)?;
    let least = spec::SESSIONS_MIN_ITEMS.max(1);
    if ids.len() < least {
        return Err(Error::invalid_input(
            "session ids",
            format!("give at least {least} session id"),
        ));
    }
    Ok(ids)
}

/// The ids in their first order, each once; refuses an empty id or one with control characters.
fn unique(ids: Vec<String>) -> Result<Vec<String>> {
    // First which to keep (borrowing, so no id is copied), then keep them.
    let mut seen = HashSet::with_capacity(ids.len());
    let mut keep = Vec::with_capacity(ids.len());
    for id in &ids {
        ids::session_id(id)?;
        keep.push(seen.insert(id.as_str()));
    }
    drop(seen);
    let mut keep = keep.into_iter();
    let mut ids = ids;
    ids.retain(|_| keep.next().unwrap_or(false));
    Ok(ids)
}

/// What a kill did with every id.
///
/// ```
/// use dds_sessions::{ApiError, Error, FailedBatch, KillReport};
/// let report = KillReport {
///     node_id: "n1".into(),
///     killed: vec!["1".into()],
///     failed: vec![FailedBatch { sessions: vec!["2".into()], error: Error::Api(ApiError::new(400, None, None, None)) }],
/// };
/// assert!(!report.is_complete());
/// assert_eq!(report.failed_ids().collect::<Vec<_>>(), ["2"]);
/// ```
#[derive(Clone, Debug)]
pub struct KillReport {
    /// The node the sessions ran on.
    pub node_id: String,
    /// The ids of the sessions killed, in the order their batches finished.
    pub killed: Vec<String>,
    /// The batches that failed, after retries: their ids and why.
    pub failed: Vec<FailedBatch>,
}

impl KillReport {
    /// Whether every id was killed.
    ///
    /// ```
    /// let r = dds_sessions::KillReport { node_id: "n".into(), killed: vec!["1".into()], failed: vec![] };
    /// assert!(r.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

    /// The ids that were not killed, batch after batch.
    ///
    /// ```
    /// let r = dds_sessions::KillReport { node_id: "n".into(), killed: vec![], failed: vec![] };
    /// assert_eq!(r.failed_ids().count(), 0);
    /// ```
    pub fn failed_ids(&self) -> impl Iterator<Item = &str> {
        self.failed
            .iter()
            .flat_map(|batch| batch.sessions.iter().map(String::as_str))
    }
}

/// A batch of ids that could not be killed, and why.
///
/// ```
/// use dds_sessions::{ApiError, Error, FailedBatch};
/// let failed = FailedBatch { sessions: vec!["34703".into()], error: Error::Api(ApiError::new(400, Some("DBS.301071".into()), None, None)) };
/// assert_eq!(failed.error.code(), Some("DBS.301071"));
/// ```
#[derive(Clone, Debug)]
pub struct FailedBatch {
    /// The ids of the batch.
    pub sessions: Vec<String>,
    /// Why the batch failed (its last attempt).
    pub error: Error,
}

/// A kill of the active sessions matching a filter, from [`Node::kill_matching`].
///
/// It lists every page with the filter, keeps the sessions that are **active** (inactive ones
/// cannot be killed) and that pass the filter again on the client's side, and kills them in
/// batches. An empty filter is refused: it would kill every active session of the node.
///
/// ```no_run
/// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
/// use std::time::Duration;
/// use dds_sessions::SessionFilter;
/// let filter = SessionFilter::new().plan_summary("COLLSCAN").min_cost(Duration::from_secs(10));
/// for session in node.kill_matching(filter.clone()).dry_run().await? {
///     println!("would kill {} ({:?})", session.id, session.cost());
/// }
/// let report = node.kill_matching(filter).concurrency(8).await?;
/// # Ok(()) }
/// ```
#[must_use = "a kill does nothing until it is awaited"]
pub struct KillMatching {
    filter: SessionFilter,
    /// The kill to run once the targets are known: its settings, no ids yet.
    kill: Kill,
}

impl fmt::Debug for KillMatching {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KillMatching")
            .field("filter", &self.filter)
            .field("kill", &self.kill)
            .finish()
    }
}

impl KillMatching {
    pub(crate) fn new(node: Node, filter: SessionFilter) -> KillMatching {
        KillMatching {
            filter,
            kill: Kill::new(node, Vec::new()),
        }
    }

    /// Ids per kill request, 1 to 500.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let k = node.kill_matching(dds_sessions::SessionFilter::new().op_type("query")).batch_size(50); }
    /// ```
    pub fn batch_size(mut self, ids: usize) -> Self {
        self.kill = self.kill.batch_size(ids);
        self
    }

    /// Requests in flight at once, for listing and for killing.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let k = node.kill_matching(dds_sessions::SessionFilter::new().op_type("query")).concurrency(8); }
    /// ```
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.kill = self.kill.concurrency(requests);
        self
    }

    /// Called after every kill batch with how far the kill has got.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) {
    /// let k = node.kill_matching(dds_sessions::SessionFilter::new().op_type("query"))
    ///     .on_progress(|p| eprintln!("{}/{}", p.done, p.total));
    /// # }
    /// ```
    pub fn on_progress(mut self, report: impl Fn(KillProgress) + Send + Sync + 'static) -> Self {
        self.kill = self.kill.on_progress(report);
        self
    }

    /// The sessions that would be killed; nothing is killed.
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let targets = node.kill_matching(dds_sessions::SessionFilter::new().op_type("query")).dry_run().await?;
    /// # Ok(()) }
    /// ```
    pub async fn dry_run(&self) -> Result<Vec<Session>> {
        if self.filter.is_empty() {
            return Err(Error::invalid_input(
                "filter",
                "is empty: it would kill every active session of the node; give at least one filter",
            ));
        }
        let mut query = self.kill.node.sessions().filter(self.filter.clone());
        if let Some(concurrency) = self.kill.concurrency {
            query = query.concurrency(concurrency);
        }
        let filter = &self.filter;
        query
            .stream()
            .try_filter(|s| std::future::ready(s.is_active() && filter.matches(s)))
            .try_collect()
            .await
    }

    /// Lists, then kills what [`dry_run`](Self::dry_run) would name. No match is an empty,
    /// complete report.
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let report = node.kill_matching(dds_sessions::SessionFilter::new().op_type("query")).send().await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<KillReport> {
        let targets = self.dry_run().await?;
        if targets.is_empty() {
            return Ok(KillReport {
                node_id: self.kill.node.id().to_string(),
                killed: Vec::new(),
                failed: Vec::new(),
            });
        }
        let mut kill = self.kill;
        kill.ids = targets.into_iter().map(|s| s.into_raw().id).collect();
        kill.send().await
    }
}

impl IntoFuture for KillMatching {
    type Output = Result<KillReport>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<KillReport>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_deduplicated_in_order() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            unique(ids(&["3", "1", "3", "2", "1"])).unwrap(),
            ids(&["3", "1", "2"])
        );
        for bad in [&["1", ""][..], &["1\n2"], &["\u{0}"]] {
            assert!(
                matches!(unique(ids(bad)), Err(Error::InvalidInput { .. })),
                "{bad:?}"
            );
        }
    }
}
