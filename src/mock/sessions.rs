//! The mock's sessions: a deterministic, realistic set per node, listed with the API's filters
//! and paging, and killed as DDS kills them.

use std::collections::HashMap;

use serde_json::{Value, json};

/// One session of the mock, as the API reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockSession {
    /// The session id.
    pub id: String,
    /// Whether it is active (inactive sessions cannot be killed).
    pub active: bool,
    /// The operation type (`query`, `update`, …).
    pub op_type: String,
    /// `database.collection`.
    pub namespace: String,
    /// Running time in microseconds.
    pub cost_us: u64,
    /// The execution plan.
    pub plan_summary: String,
    /// The connection number (for `description` and `client`).
    pub connection: u32,
}

impl MockSession {
    /// The session as the API's JSON object (`QuerySessionResponse`).
    pub fn to_json(&self) -> Value {
        let db = self.namespace.split('.').next().unwrap_or("admin");
        let operation = match self.op_type.as_str() {
            "update" => {
                json!({"update": collection(&self.namespace), "updates": [{"q": {"status": "open"}}]})
            }
            "insert" => json!({"insert": collection(&self.namespace), "ordered": true}),
            "command" => {
                json!({"aggregate": collection(&self.namespace), "pipeline": [{"$group": {"_id": "$status"}}]})
            }
            "getmore" => json!({"getMore": 0, "collection": collection(&self.namespace)}),
            "remove" => json!({"delete": collection(&self.namespace)}),
            _ => json!({"find": collection(&self.namespace), "filter": {"status": "open"}}),
        };
        let mut object = json!({
            "id": self.id,
            "active": self.active,
            "operation": operation.to_string(),
            "type": self.op_type,
            "cost_time": self.cost_us.to_string(),
            "plan_summary": self.plan_summary,
            "host": "192.168.0.12:8635",
            "client": format!("192.168.0.{}:{}", 40 + self.connection % 50, 40000 + self.connection % 20000),
            "description": format!("conn{}", self.connection),
            "namespace": self.namespace,
            "db": db,
        });
        if !self.connection.is_multiple_of(3) {
            object["user"] = json!("rwuser");
        }
        object
    }
}

fn collection(namespace: &str) -> &str {
    namespace.split_once('.').map_or(namespace, |(_, c)| c)
}

const TYPES: [&str; 8] = [
    "query", "query", "update", "insert", "command", "getmore", "remove", "none",
];
const NAMESPACES: [&str; 6] = [
    "shop.orders",
    "shop.users",
    "shop.carts",
    "logs.events",
    "analytics.daily",
    "admin.$cmd",
];
const PLANS: [&str; 7] = [
    "COLLSCAN",
    "IXSCAN { status: 1 }",
    "IXSCAN { user_id: 1, created: -1 }",
    "FETCH",
    "SORT",
    "COUNT_SCAN",
    "IDHACK",
];

/// The sessions `count` sessions of `node` start with: the same for the same node, count and seed.
pub(crate) fn generate(node: &str, count: usize, seed: u64) -> Vec<MockSession> {
    let mut rng = SplitMix(seed ^ fnv1a(node.as_bytes()));
    let mut next_id = 30_000 + rng.below(5_000);
    (0..count)
        .map(|i| {
            next_id += 1 + rng.below(97);
            let op_type = TYPES[rng.below(TYPES.len() as u64) as usize];
            // Running times spread over six orders of magnitude, like a real node's.
            let cost_us = 10u64.pow(1 + rng.below(7) as u32) + rng.below(1_000_000);
            MockSession {
                id: next_id.to_string(),
                active: op_type != "none" && rng.below(10) < 8,
                op_type: op_type.to_string(),
                namespace: NAMESPACES[rng.below(NAMESPACES.len() as u64) as usize].to_string(),
                cost_us,
                plan_summary: PLANS[rng.below(PLANS.len() as u64) as usize].to_string(),
                connection: 1_000 + i as u32,
            }
        })
        .collect()
}

/// The filters of a `ListSessions` request.
#[derive(Default)]
pub(crate) struct Filters {
    pub(crate) plan_summary: Option<String>,
    pub(crate) op_type: Option<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) cost_time: Option<u64>,
}

impl Filters {
    pub(crate) fn from_query(query: &HashMap<String, String>) -> Filters {
        Filters {
            plan_summary: query.get("plan_summary").cloned(),
            op_type: query.get("type").cloned(),
            namespace: query.get("namespace").cloned(),
            cost_time: query
                .get("cost_time")
                .and_then(|c| c.parse::<i64>().ok())
                .map(|c| c.max(0) as u64),
        }
    }

    fn keeps(&self, s: &MockSession) -> bool {
        let plan_ok = self.plan_summary.as_ref().is_none_or(|p| {
            s.plan_summary.len() >= p.len()
                && s.plan_summary.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        });
        plan_ok
            && self
                .op_type
                .as_ref()
                .is_none_or(|t| t.eq_ignore_ascii_case(&s.op_type))
            && self.namespace.as_ref().is_none_or(|n| *n == s.namespace)
            && self.cost_time.is_none_or(|c| s.cost_us > c)
    }
}

/// What a kill request did.
pub(crate) enum KillOutcome {
    /// The active sessions named were killed; ids the node does not have were ignored.
    Killed,
    /// An inactive session was named; nothing was killed.
    Inactive(String),
}

/// Every node's sessions.
pub(crate) struct Sessions {
    per_node: usize,
    seed: u64,
    nodes: HashMap<String, Vec<MockSession>>,
}

impl Sessions {
    pub(crate) fn new(per_node: usize, seed: u64) -> Sessions {
        Sessions {
            per_node,
            seed,
            nodes: HashMap::new(),
        }
    }

    pub(crate) fn node(&mut self, node: &str) -> &mut Vec<MockSession> {
        let (per_node, seed) = (self.per_node, self.seed);
        self.nodes
            .entry(node.to_string())
            .or_insert_with(|| generate(node, per_node, seed))
    }

    /// One page of `node`'s sessions matching `filters`, and how many match in all.
    pub(crate) fn list(
        &mut self,
        node: &str,
        filters: &Filters,
        offset: usize,
        limit: usize,
    ) -> (usize, Vec<Value>) {
        let matching: Vec<&MockSession> = self
            .node(node)
            .iter()
            .filter(|s| filters.keeps(s))
            .collect();
        let page = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|s| s.to_json())
            .collect();
        (matching.len(), page)
    }

    pub(crate) fn kill(&mut self, node: &str, ids: &[String]) -> KillOutcome {
        let sessions = self.node(node);
        if let Some(inactive) = ids
            .iter()
            .find(|id| sessions.iter().any(|s| &s.id == *id && !s.active))
        {
            return KillOutcome::Inactive(inactive.clone());
        }
        let doomed: std::collections::HashSet<&String> = ids.iter().collect();
        sessions.retain(|s| !doomed.contains(&s.id));
        KillOutcome::Killed
    }
}

/// splitmix64: small, fast, deterministic.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_per_node_and_seed() {
        assert_eq!(generate("n1", 50, 7), generate("n1", 50, 7));
        assert_ne!(generate("n1", 50, 7), generate("n2", 50, 7));
        assert_ne!(generate("n1", 50, 7), generate("n1", 50, 8));
        let sessions = generate("n1", 500, 0);
        let ids: std::collections::HashSet<_> = sessions.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), 500, "ids are unique");
        assert!(sessions.iter().any(|s| s.active) && sessions.iter().any(|s| !s.active));
        assert!(
            sessions
                .iter()
                .filter(|s| s.op_type == "none")
                .all(|s| !s.active)
        );
    }

    #[test]
    fn filters_and_paging() {
        let mut state = Sessions::new(200, 1);
        let all = state.node("n").clone();
        let filters = Filters {
            op_type: Some("query".into()),
            cost_time: Some(100_000),
            ..Filters::default()
        };
        let expected: Vec<&str> = all
            .iter()
            .filter(|s| s.op_type == "query" && s.cost_us > 100_000)
            .map(|s| s.id.as_str())
            .collect();
        let (total, first) = state.list("n", &filters, 0, 3);
        assert_eq!(total, expected.len());
        assert_eq!(
            first
                .iter()
                .map(|v| v["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            expected[..3]
        );
        let (_, past_the_end) = state.list("n", &filters, total, 20);
        assert!(past_the_end.is_empty());
    }

    #[test]
    fn kill_removes_active_sessions_and_refuses_inactive_ones() {
        let mut state = Sessions::new(100, 3);
        let sessions = state.node("n").clone();
        let active = sessions.iter().find(|s| s.active).unwrap().id.clone();
        let inactive = sessions.iter().find(|s| !s.active).unwrap().id.clone();
        assert!(
            matches!(state.kill("n", &[active.clone(), inactive.clone()]), KillOutcome::Inactive(id) if id == inactive)
        );
        assert_eq!(state.node("n").len(), 100, "nothing was killed");
        assert!(matches!(
            state.kill("n", &[active.clone(), "no-such-id".into()]),
            KillOutcome::Killed
        ));
        assert_eq!(state.node("n").len(), 99);
        assert!(
            matches!(
                state.kill("n", std::slice::from_ref(&active)),
                KillOutcome::Killed
            ),
            "killing twice changes nothing"
        );
    }
}
