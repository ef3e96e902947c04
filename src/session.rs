//! A session as the layer hands it out: the API's own object, plus its running time as a
//! [`Duration`].

use std::ops::Deref;
use std::time::Duration;

use crate::generated::types::{ListSessionsResponse, QuerySessionResponse};

/// A session running on a node.
///
/// It dereferences to the API's own object ([`QuerySessionResponse`], generated from the
/// spec), so every field the spec knows is there as the API sent it: `s.id`, `s.active`,
/// `s.namespace`, `s.type_`, `s.cost_time` (a string of microseconds)… It adds the running
/// time as a [`Duration`].
///
/// ```
/// use std::time::Duration;
/// use dds_sessions::{Session, generated::types::QuerySessionResponse};
/// let raw: QuerySessionResponse = serde_json::from_str(
///     r#"{"id":"34631","active":true,"cost_time":"6500000","namespace":"shop.orders"}"#).unwrap();
/// let session = Session::from(raw);
/// assert_eq!(session.id, "34631");
/// assert!(session.is_active());
/// assert_eq!(session.cost(), Some(Duration::from_micros(6_500_000)));
/// assert_eq!(session.namespace.as_deref(), Some("shop.orders"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    raw: QuerySessionResponse,
    cost: Option<Duration>,
}

impl Session {
    /// The session id, as [`crate::Node::kill`] takes it.
    ///
    /// ```
    /// # let s = dds_sessions::Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(r#"{"id":"7"}"#).unwrap());
    /// assert_eq!(s.id(), "7");
    /// ```
    pub fn id(&self) -> &str {
        &self.raw.id
    }

    /// Whether the API reports the session active; a session it says nothing about counts as
    /// inactive (inactive sessions cannot be killed).
    ///
    /// ```
    /// # let s = dds_sessions::Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(r#"{"id":"7"}"#).unwrap());
    /// assert!(!s.is_active());
    /// ```
    pub fn is_active(&self) -> bool {
        self.raw.active == Some(true)
    }

    /// How long the operation has been running: `cost_time` read as microseconds. `None` when
    /// the API sent no `cost_time`, or one that is not a whole number (the raw string stays in
    /// `cost_time`).
    ///
    /// ```
    /// # let s = dds_sessions::Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(r#"{"id":"7","cost_time":"abc"}"#).unwrap());
    /// assert_eq!(s.cost(), None);
    /// assert_eq!(s.cost_time.as_deref(), Some("abc"));
    /// ```
    pub fn cost(&self) -> Option<Duration> {
        self.cost
    }

    /// The API's object, as it was sent.
    ///
    /// ```
    /// # let s = dds_sessions::Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(r#"{"id":"7"}"#).unwrap());
    /// assert_eq!(s.raw().id, "7");
    /// ```
    pub fn raw(&self) -> &QuerySessionResponse {
        &self.raw
    }

    /// The API's object, as it was sent.
    ///
    /// ```
    /// # let s = dds_sessions::Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(r#"{"id":"7"}"#).unwrap());
    /// let raw = s.into_raw();
    /// assert_eq!(raw.id, "7");
    /// ```
    pub fn into_raw(self) -> QuerySessionResponse {
        self.raw
    }
}

impl From<QuerySessionResponse> for Session {
    fn from(raw: QuerySessionResponse) -> Self {
        let cost = raw
            .cost_time
            .as_deref()
            .and_then(|c| c.trim().parse::<u64>().ok())
            .map(Duration::from_micros);
        Session { raw, cost }
    }
}

impl Deref for Session {
    type Target = QuerySessionResponse;

    fn deref(&self) -> &QuerySessionResponse {
        &self.raw
    }
}

/// One page of a node's sessions.
///
/// ```
/// use dds_sessions::SessionPage;
/// let page = SessionPage::from(serde_json::from_str::<dds_sessions::generated::types::ListSessionsResponse>(
///     r#"{"total_count":41,"sessions":[{"id":"1"},{"id":"2"}]}"#).unwrap());
/// assert_eq!(page.total_count, 41);
/// assert_eq!(page.sessions.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SessionPage {
    /// How many sessions match the filters, on all pages.
    pub total_count: u64,
    /// The sessions of this page.
    pub sessions: Vec<Session>,
}

impl From<ListSessionsResponse> for SessionPage {
    fn from(page: ListSessionsResponse) -> Self {
        SessionPage {
            total_count: u64::try_from(page.total_count).unwrap_or(0),
            sessions: page.sessions.into_iter().map(Session::from).collect(),
        }
    }
}
