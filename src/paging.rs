//! Listing sessions: one page, or every page as a stream fetched concurrently.
//!
//! The stream asks for the first page, learns `total_count` from it, then fetches every other
//! page at once (bounded by the concurrency) and yields the sessions in page order, each id once.

use std::collections::HashSet;
use std::future::ready;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::{Error, Node, Result, Session, SessionFilter, SessionPage, spec};

/// A listing of a node's sessions, from [`Node::sessions`].
///
/// ```no_run
/// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
/// use std::time::Duration;
/// use futures_util::TryStreamExt;
/// // One page, as the API gives it.
/// let page = node.sessions().offset(20).limit(20).page().await?;
/// // Every session running a query for over five seconds, all pages.
/// let slow: Vec<_> = node.sessions()
///     .op_type("query")
///     .min_cost(Duration::from_secs(5))
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct SessionQuery {
    node: Node,
    filter: SessionFilter,
    offset: Option<u32>,
    limit: Option<u32>,
    concurrency: Option<usize>,
}

impl SessionQuery {
    pub(crate) fn new(node: Node) -> SessionQuery {
        SessionQuery {
            node,
            filter: SessionFilter::new(),
            offset: None,
            limit: None,
            concurrency: None,
        }
    }

    /// Only sessions with this execution plan (`COLLSCAN`, `IXSCAN`, …).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().plan_summary("COLLSCAN"); }
    /// ```
    pub fn plan_summary(mut self, plan: impl Into<String>) -> Self {
        self.filter = self.filter.plan_summary(plan);
        self
    }

    /// Only sessions running this type of operation (`query`, `update`, …).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().op_type("update"); }
    /// ```
    pub fn op_type(mut self, op_type: impl Into<String>) -> Self {
        self.filter = self.filter.op_type(op_type);
        self
    }

    /// Only sessions working on this namespace (`database.collection`).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().namespace("shop.orders"); }
    /// ```
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.filter = self.filter.namespace(namespace);
        self
    }

    /// Only sessions running for longer than this (sent as whole microseconds).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().min_cost(std::time::Duration::from_secs(1)); }
    /// ```
    pub fn min_cost(mut self, cost: std::time::Duration) -> Self {
        self.filter = self.filter.min_cost(cost);
        self
    }

    /// Replaces every filter with `filter`.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) {
    /// let q = node.sessions().filter(dds_sessions::SessionFilter::new().namespace("shop.orders"));
    /// # }
    /// ```
    pub fn filter(mut self, filter: SessionFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Start at this index (the first session is 0). For [`stream`](Self::stream), where to start.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().offset(40); }
    /// ```
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The page size, within the spec's bounds ([`spec::LIMIT_MIN`] to [`spec::LIMIT_MAX`]).
    /// Unset, [`page`](Self::page) leaves it to the API (its default is [`spec::LIMIT_DEFAULT`])
    /// and [`stream`](Self::stream) uses the largest.
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().limit(20); }
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many pages [`stream`](Self::stream) fetches at once (default: the client's
    /// [`page_concurrency`](crate::ClientBuilder::page_concurrency), 8 unless configured).
    ///
    /// ```no_run
    /// # fn f(node: dds_sessions::Node) { let q = node.sessions().concurrency(8); }
    /// ```
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = Some(pages);
        self
    }

    /// Fetches one page.
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let page = node.sessions().limit(5).page().await?;
    /// for session in &page.sessions {
    ///     println!("{} {:?}", session.id, session.cost());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn page(self) -> Result<SessionPage> {
        self.check()?;
        self.node
            .list_page(&self.filter, self.offset, self.limit)
            .await
    }

    /// Every session from the offset on, over as many pages as it takes, as a stream. Pages
    /// after the first are fetched concurrently; sessions come in page order, each id once.
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// use futures_util::TryStreamExt;
    /// let mut sessions = node.sessions().stream();
    /// while let Some(session) = sessions.try_next().await? {
    ///     println!("{}", session.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<Session>> + Send + Unpin + 'static {
        let start = u64::from(self.offset.unwrap_or(0));
        let size = u64::from(self.limit.unwrap_or(spec::LIMIT_MAX as u32));
        let first = async move {
            self.check()?;
            let page = self.fetch(start, size).await?;
            Ok::<_, Error>((self, page))
        };
        let pages = stream::once(first)
            .map_ok(move |(query, first)| {
                let concurrency = query
                    .concurrency
                    .unwrap_or_else(|| query.node.client().page_concurrency())
                    .max(1);
                let offsets = (start + size..first.total_count).step_by(size as usize);
                let rest = stream::iter(offsets)
                    .map(move |offset| {
                        let query = query.clone();
                        async move { query.fetch(offset, size).await }
                    })
                    .buffered(concurrency);
                stream::once(ready(Ok(first))).chain(rest)
            })
            .try_flatten();
        let mut seen = HashSet::new();
        pages
            .map_ok(|page| stream::iter(page.sessions.into_iter().map(Ok)))
            .try_flatten()
            .try_filter(move |session| ready(seen.insert(session.id.clone())))
            .boxed()
    }

    /// Every session from the offset on, collected (see [`stream`](Self::stream)).
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let all = node.sessions().namespace("shop.orders").all().await?;
    /// # Ok(()) }
    /// ```
    pub async fn all(self) -> Result<Vec<Session>> {
        self.stream().try_collect().await
    }

    async fn fetch(&self, offset: u64, limit: u64) -> Result<SessionPage> {
        let offset = u32::try_from(offset)
            .map_err(|_| Error::invalid_input("offset", "is past the API's 32-bit range"))?;
        self.node
            .list_page(&self.filter, Some(offset), Some(limit as u32))
            .await
    }

    /// Refuses what the spec forbids, before anything is sent.
    fn check(&self) -> Result<()> {
        if let Some(limit) = self.limit {
            let limit = i64::from(limit);
            if !(spec::LIMIT_MIN..=spec::LIMIT_MAX).contains(&limit) {
                return Err(Error::invalid_input(
                    "limit",
                    format!(
                        "{limit} is outside {}..={}",
                        spec::LIMIT_MIN,
                        spec::LIMIT_MAX
                    ),
                ));
            }
        }
        if let Some(offset) = self.offset
            && (i64::from(offset) < spec::OFFSET_MIN || i32::try_from(offset).is_err())
        {
            return Err(Error::invalid_input(
                "offset",
                format!("{offset} is outside {}..={}", spec::OFFSET_MIN, i32::MAX),
            ));
        }
        if self.concurrency == Some(0) {
            return Err(Error::invalid_input("concurrency", "must be at least 1"));
        }
        Ok(())
    }
}
