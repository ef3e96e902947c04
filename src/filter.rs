//! Which sessions to list or kill: the API's filters, in the layer's terms.

use std::time::Duration;

use crate::{Error, Result, Session};

/// The API's session filters: plan summary, operation type, namespace and a minimum running
/// time. The server applies them when listing; [`crate::Node::kill_matching`] checks every
/// listed session against them again before killing it, so a server that ignored a filter
/// cannot widen a kill.
///
/// ```
/// use std::time::Duration;
/// use dds_sessions::SessionFilter;
/// let slow_scans = SessionFilter::new()
///     .plan_summary("COLLSCAN")
///     .op_type("query")
///     .namespace("shop.orders")
///     .min_cost(Duration::from_secs(5));
/// assert!(!slow_scans.is_empty());
/// assert!(SessionFilter::new().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct SessionFilter {
    plan_summary: Option<String>,
    op_type: Option<String>,
    namespace: Option<String>,
    min_cost: Option<Duration>,
}

impl SessionFilter {
    /// A filter that keeps every session.
    ///
    /// ```
    /// assert!(dds_sessions::SessionFilter::new().is_empty());
    /// ```
    pub fn new() -> Self {
        SessionFilter::default()
    }

    /// Only sessions with this execution plan (`COLLSCAN`, `IXSCAN`, …; the API's `plan_summary`).
    ///
    /// ```
    /// let f = dds_sessions::SessionFilter::new().plan_summary("COLLSCAN");
    /// assert_eq!(f.plan_summary_value(), Some("COLLSCAN"));
    /// ```
    pub fn plan_summary(mut self, plan: impl Into<String>) -> Self {
        self.plan_summary = Some(plan.into());
        self
    }

    /// Only sessions running this type of operation (`query`, `update`, `command`, …; the API's `type`).
    ///
    /// ```
    /// let f = dds_sessions::SessionFilter::new().op_type("update");
    /// assert_eq!(f.op_type_value(), Some("update"));
    /// ```
    pub fn op_type(mut self, op_type: impl Into<String>) -> Self {
        self.op_type = Some(op_type.into());
        self
    }

    /// Only sessions working on this namespace (`database.collection`).
    ///
    /// ```
    /// let f = dds_sessions::SessionFilter::new().namespace("shop.orders");
    /// assert_eq!(f.namespace_value(), Some("shop.orders"));
    /// ```
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Only sessions running for longer than this (the API's `cost_time`, sent in whole
    /// microseconds; at most `i32::MAX` µs, about 35 minutes, as the API takes a 32-bit count).
    ///
    /// ```
    /// use std::time::Duration;
    /// let f = dds_sessions::SessionFilter::new().min_cost(Duration::from_millis(1500));
    /// assert_eq!(f.min_cost_value(), Some(Duration::from_millis(1500)));
    /// ```
    pub fn min_cost(mut self, cost: Duration) -> Self {
        self.min_cost = Some(cost);
        self
    }

    /// The plan summary filter, if set.
    ///
    /// ```
    /// assert_eq!(dds_sessions::SessionFilter::new().plan_summary_value(), None);
    /// ```
    pub fn plan_summary_value(&self) -> Option<&str> {
        self.plan_summary.as_deref()
    }

    /// The operation type filter, if set.
    ///
    /// ```
    /// assert_eq!(dds_sessions::SessionFilter::new().op_type_value(), None);
    /// ```
    pub fn op_type_value(&self) -> Option<&str> {
        self.op_type.as_deref()
    }

    /// The namespace filter, if set.
    ///
    /// ```
    /// assert_eq!(dds_sessions::SessionFilter::new().namespace_value(), None);
    /// ```
    pub fn namespace_value(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The minimum running time, if set.
    ///
    /// ```
    /// assert_eq!(dds_sessions::SessionFilter::new().min_cost_value(), None);
    /// ```
    pub fn min_cost_value(&self) -> Option<std::time::Duration> {
        self.min_cost
    }

    /// Whether no filter is set (every session matches).
    ///
    /// ```
    /// assert!(dds_sessions::SessionFilter::new().is_empty());
    /// assert!(!dds_sessions::SessionFilter::new().op_type("query").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        *self == SessionFilter::default()
    }

    /// Whether `session` passes every filter set: the same type and namespace, a plan summary
    /// that starts with the filter's (the API reports `IXSCAN { status: 1 }` for `IXSCAN`), all
    /// compared without regard to ASCII case, and a known running time longer than the minimum.
    ///
    /// ```
    /// use dds_sessions::{Session, SessionFilter};
    /// let s = Session::from(serde_json::from_str::<dds_sessions::generated::types::QuerySessionResponse>(
    ///     r#"{"id":"1","type":"query","plan_summary":"IXSCAN { a: 1 }","cost_time":"2000000"}"#).unwrap());
    /// assert!(SessionFilter::new().op_type("query").plan_summary("IXSCAN").matches(&s));
    /// assert!(!SessionFilter::new().min_cost(std::time::Duration::from_secs(3)).matches(&s));
    /// ```
    pub fn matches(&self, session: &Session) -> bool {
        let same = |want: &Option<String>, got: &Option<String>| match (want, got) {
            (None, _) => true,
            (Some(w), Some(g)) => w.eq_ignore_ascii_case(g),
            (Some(_), None) => false,
        };
        let plan_ok = match (&self.plan_summary, &session.plan_summary) {
            (None, _) => true,
            (Some(w), Some(g)) => {
                g.len() >= w.len() && g.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
            }
            (Some(_), None) => false,
        };
        let cost_ok = match (self.min_cost, session.cost()) {
            (None, _) => true,
            (Some(min), Some(cost)) => cost > min,
            (Some(_), None) => false,
        };
        same(&self.op_type, &session.type_)
            && same(&self.namespace, &session.namespace)
            && plan_ok
            && cost_ok
    }

    /// The minimum running time as the API's `cost_time` (whole microseconds, 32-bit).
    pub(crate) fn cost_time(&self) -> Result<Option<i32>> {
        self.min_cost
            .map(|cost| {
                i32::try_from(cost.as_micros()).map_err(|_| {
                    Error::invalid_input(
                        "min_cost",
                        format!(
                            "{:?} is longer than the API's cost_time can say ({} µs)",
                            cost,
                            i32::MAX
                        ),
                    )
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::types::QuerySessionResponse;

    fn session(json: &str) -> Session {
        Session::from(serde_json::from_str::<QuerySessionResponse>(json).unwrap())
    }

    #[test]
    fn matching_is_checked_field_by_field() {
        let s = session(
            r#"{"id":"1","type":"query","namespace":"shop.orders","plan_summary":"COLLSCAN","cost_time":"5000001"}"#,
        );
        let cases = [
            (SessionFilter::new(), true),
            (SessionFilter::new().op_type("QUERY"), true),
            (SessionFilter::new().op_type("update"), false),
            (SessionFilter::new().namespace("shop.orders"), true),
            (SessionFilter::new().namespace("shop"), false),
            (SessionFilter::new().plan_summary("collscan"), true),
            (SessionFilter::new().plan_summary("COLLSCANX"), false),
            (SessionFilter::new().min_cost(Duration::from_secs(5)), true),
            (
                SessionFilter::new().min_cost(Duration::from_micros(5_000_001)),
                false,
            ),
        ];
        for (filter, expected) in cases {
            assert_eq!(filter.matches(&s), expected, "{filter:?}");
        }
        let bare = session(r#"{"id":"2"}"#);
        assert!(!SessionFilter::new().op_type("query").matches(&bare));
        assert!(!SessionFilter::new().min_cost(Duration::ZERO).matches(&bare));
        assert!(
            !SessionFilter::new()
                .plan_summary("é")
                .matches(&session(r#"{"id":"3","plan_summary":"x"}"#))
        );
    }

    #[test]
    fn cost_time_is_whole_microseconds_within_32_bits() {
        assert_eq!(SessionFilter::new().cost_time().unwrap(), None);
        assert_eq!(
            SessionFilter::new()
                .min_cost(Duration::from_nanos(1500))
                .cost_time()
                .unwrap(),
            Some(1)
        );
        assert_eq!(
            SessionFilter::new()
                .min_cost(Duration::from_micros(i32::MAX as u64))
                .cost_time()
                .unwrap(),
            Some(i32::MAX)
        );
        assert!(
            SessionFilter::new()
                .min_cost(Duration::from_secs(3600))
                .cost_time()
                .is_err()
        );
    }
}
