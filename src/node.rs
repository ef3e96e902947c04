//! A node handle: the two API operations, on one node, for the layers above.

use std::fmt;
use std::sync::Arc;

use crate::generated::types::DeleteSessionRequestBody;
use crate::kill::{Kill, KillMatching};
use crate::paging::SessionQuery;
use crate::{Client, Result, SessionFilter, SessionPage, ids};

/// One node of a DDS instance: list its sessions, kill them.
///
/// ```no_run
/// # async fn run(client: dds_sessions::Client) -> dds_sessions::Result<()> {
/// let node = client.node("520c58ba00a3497e97ce0b9604874dd6no02");
/// let page = node.sessions().limit(20).page().await?;
/// println!("{} sessions in all", page.total_count);
/// let report = node.kill(["34631", "34703"]).await?;
/// assert!(report.is_complete());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Node {
    client: Client,
    id: Arc<str>,
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Node {
    pub(crate) fn new(client: Client, id: String) -> Node {
        Node {
            client,
            id: id.into(),
        }
    }

    /// The node id.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// # let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:9").project_id("p")
    /// #     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// assert_eq!(client.node("n1").id(), "n1");
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The client this node belongs to.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// # let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:9").project_id("p")
    /// #     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// assert_eq!(client.node("n1").client().project_id(), "p");
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Lists the node's sessions: one page, or every page as a stream. See [`SessionQuery`].
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = node.sessions().op_type("query").stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn sessions(&self) -> SessionQuery {
        SessionQuery::new(self.clone())
    }

    /// Kills sessions by id, in batches run concurrently. See [`Kill`].
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// let report = node.kill(["34631", "34703"]).batch_size(100).concurrency(4).await?;
    /// println!("killed {}, failed {}", report.killed.len(), report.failed_ids().count());
    /// # Ok(()) }
    /// ```
    pub fn kill<I, S>(&self, ids: I) -> Kill
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Kill::new(self.clone(), ids.into_iter().map(Into::into).collect())
    }

    /// Kills the active sessions that match `filter`, found by listing every page. See
    /// [`KillMatching`].
    ///
    /// ```no_run
    /// # async fn run(node: dds_sessions::Node) -> dds_sessions::Result<()> {
    /// use std::time::Duration;
    /// let filter = dds_sessions::SessionFilter::new().min_cost(Duration::from_secs(30));
    /// let would_kill = node.kill_matching(filter.clone()).dry_run().await?;
    /// let report = node.kill_matching(filter).await?;
    /// # Ok(()) }
    /// ```
    pub fn kill_matching(&self, filter: SessionFilter) -> KillMatching {
        KillMatching::new(self.clone(), filter)
    }

    /// `ListSessions`: one page, retried as the client's policy says.
    pub(crate) async fn list_page(
        &self,
        filter: &SessionFilter,
        offset: Option<u32>,
        limit: Option<u32>,
    ) -> Result<SessionPage> {
        ids::node_id(&self.id)?;
        let cost_time = filter.cost_time()?;
        let page = self
            .client
            .call("ListSessions", |raw| {
                let mut request = raw
                    .list_sessions()
                    .project_id(self.client.project_id())
                    .node_id(&*self.id);
                if let Some(offset) = offset {
                    request = request.offset(offset as i32);
                }
                if let Some(limit) = limit.and_then(std::num::NonZeroU32::new) {
                    request = request.limit(limit);
                }
                if let Some(plan) = filter.plan_summary_value() {
                    request = request.plan_summary(plan);
                }
                if let Some(op_type) = filter.op_type_value() {
                    request = request.type_(op_type);
                }
                if let Some(namespace) = filter.namespace_value() {
                    request = request.namespace(namespace);
                }
                if let Some(cost_time) = cost_time {
                    request = request.cost_time(cost_time);
                }
                request.send()
            })
            .await?;
        Ok(SessionPage::from(page))
    }

    /// `DeleteSession`: one batch of ids, retried as the client's policy says. The ids have
    /// been checked by the caller.
    pub(crate) async fn kill_batch(&self, sessions: &[String]) -> Result<()> {
        let outcome = self
            .client
            .call("DeleteSession", |raw| {
                raw.delete_session()
                    .project_id(self.client.project_id())
                    .node_id(&*self.id)
                    .body(DeleteSessionRequestBody {
                        sessions: sessions.to_vec(),
                    })
                    .send()
            })
            .await;
        match outcome {
            Ok(_) => Ok(()),
            // A kill answered with an empty success body (or 204) did what was asked.
            Err(crate::Error::InvalidResponse {
                status: 200..=299,
                excerpt,
                ..
            }) if excerpt.is_empty() => Ok(()),
            Err(e) => Err(e),
        }
    }
}
