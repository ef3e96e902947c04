#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///The sessions to terminate.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct DeleteSessionRequestBody {
        ///The IDs of the sessions to terminate, as `ListSessions` reports them.
        pub sessions: ::std::vec::Vec<::std::string::String>,
    }
    impl DeleteSessionRequestBody {
        pub fn builder() -> builder::DeleteSessionRequestBody {
            Default::default()
        }
    }
    ///An empty JSON object.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    #[serde(transparent)]
    pub struct DeleteSessionResponse(
        pub ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    );
    impl ::std::ops::Deref for DeleteSessionResponse {
        type Target = ::serde_json::Map<::std::string::String, ::serde_json::Value>;
        fn deref(
            &self,
        ) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
            &self.0
        }
    }
    impl ::std::convert::From<DeleteSessionResponse>
    for ::serde_json::Map<::std::string::String, ::serde_json::Value> {
        fn from(value: DeleteSessionResponse) -> Self {
            value.0
        }
    }
    impl ::std::convert::From<
        ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    > for DeleteSessionResponse {
        fn from(
            value: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        ) -> Self {
            Self(value)
        }
    }
    /**An error. The service answers `error_code` and `error_msg`; the API gateway adds
`request_id`.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///The error code, e.g. `DBS.301071` or `APIGW.0301`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error_code: ::std::option::Option<::std::string::String>,
        ///What went wrong.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error_msg: ::std::option::Option<::std::string::String>,
        ///The ID of the request (API gateway errors).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl ErrorResponse {
        pub fn builder() -> builder::ErrorResponse {
            Default::default()
        }
    }
    ///One page of sessions.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ListSessionsResponse {
        ///The sessions of this page.
        pub sessions: ::std::vec::Vec<QuerySessionResponse>,
        ///The number of sessions matching the filters, on all pages.
        pub total_count: i32,
    }
    impl ListSessionsResponse {
        pub fn builder() -> builder::ListSessionsResponse {
            Default::default()
        }
    }
    /**A session running on the node. Every field but `id` may be absent.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct QuerySessionResponse {
        ///Whether the session is active. Inactive sessions cannot be terminated.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub active: ::std::option::Option<bool>,
        ///The address of the client.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub client: ::std::option::Option<::std::string::String>,
        ///How long the operation has been running, in microseconds (a decimal string).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub cost_time: ::std::option::Option<::std::string::String>,
        ///The database the operation works on.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub db: ::std::option::Option<::std::string::String>,
        ///The connection description.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub description: ::std::option::Option<::std::string::String>,
        ///The host the session runs on.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub host: ::std::option::Option<::std::string::String>,
        ///The session ID, as `DeleteSession` takes it.
        pub id: ::std::string::String,
        ///The namespace (`database.collection`) the operation works on.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub namespace: ::std::option::Option<::std::string::String>,
        ///The operation the session is running.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub operation: ::std::option::Option<::std::string::String>,
        ///The execution plan of the operation (`COLLSCAN`, `IXSCAN`, …).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub plan_summary: ::std::option::Option<::std::string::String>,
        ///The type of the operation (`query`, `update`, `command`, …).
        #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
        pub type_: ::std::option::Option<::std::string::String>,
        ///The user running the operation. Only instances of version 4.2 or later report it.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<::std::string::String>,
    }
    impl QuerySessionResponse {
        pub fn builder() -> builder::QuerySessionResponse {
            Default::default()
        }
    }
    /// Types for composing complex structures.
    pub mod builder {
        #[derive(Clone, Debug)]
        pub struct DeleteSessionRequestBody {
            sessions: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for DeleteSessionRequestBody {
            fn default() -> Self {
                Self {
                    sessions: Err("no value supplied for sessions".to_string()),
                }
            }
        }
        impl DeleteSessionRequestBody {
            pub fn sessions<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.sessions = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for sessions: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<DeleteSessionRequestBody>
        for super::DeleteSessionRequestBody {
            type Error = super::error::ConversionError;
            fn try_from(
                value: DeleteSessionRequestBody,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { sessions: value.sessions? })
            }
        }
        impl ::std::convert::From<super::DeleteSessionRequestBody>
        for DeleteSessionRequestBody {
            fn from(value: super::DeleteSessionRequestBody) -> Self {
                Self {
                    sessions: Ok(value.sessions),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ErrorResponse {
            error_code: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            error_msg: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ErrorResponse {
            fn default() -> Self {
                Self {
                    error_code: Ok(Default::default()),
                    error_msg: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl ErrorResponse {
            pub fn error_code<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.error_code = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_code: {e}")
                    });
                self
            }
            pub fn error_msg<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.error_msg = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_msg: {e}")
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ErrorResponse> for super::ErrorResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ErrorResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    error_code: value.error_code?,
                    error_msg: value.error_msg?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::ErrorResponse> for ErrorResponse {
            fn from(value: super::ErrorResponse) -> Self {
                Self {
                    error_code: Ok(value.error_code),
                    error_msg: Ok(value.error_msg),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ListSessionsResponse {
            sessions: ::std::result::Result<
                ::std::vec::Vec<super::QuerySessionResponse>,
                ::std::string::String,
            >,
            total_count: ::std::result::Result<i32, ::std::string::String>,
        }
        impl ::std::default::Default for ListSessionsResponse {
            fn default() -> Self {
                Self {
                    sessions: Err("no value supplied for sessions".to_string()),
                    total_count: Err("no value supplied for total_count".to_string()),
                }
            }
        }
        impl ListSessionsResponse {
            pub fn sessions<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::QuerySessionResponse>>,
                T::Error: ::std::fmt::Display,
            {
                self.sessions = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for sessions: {e}")
                    });
                self
            }
            pub fn total_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<i32>,
                T::Error: ::std::fmt::Display,
            {
                self.total_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total_count: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ListSessionsResponse>
        for super::ListSessionsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ListSessionsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    sessions: value.sessions?,
                    total_count: value.total_count?,
                })
            }
        }
        impl ::std::convert::From<super::ListSessionsResponse> for ListSessionsResponse {
            fn from(value: super::ListSessionsResponse) -> Self {
                Self {
                    sessions: Ok(value.sessions),
                    total_count: Ok(value.total_count),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct QuerySessionResponse {
            active: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            client: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            cost_time: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            db: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            description: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            host: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            id: ::std::result::Result<::std::string::String, ::std::string::String>,
            namespace: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            operation: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            plan_summary: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            type_: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            user: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for QuerySessionResponse {
            fn default() -> Self {
                Self {
                    active: Ok(Default::default()),
                    client: Ok(Default::default()),
                    cost_time: Ok(Default::default()),
                    db: Ok(Default::default()),
                    description: Ok(Default::default()),
                    host: Ok(Default::default()),
                    id: Err("no value supplied for id".to_string()),
                    namespace: Ok(Default::default()),
                    operation: Ok(Default::default()),
                    plan_summary: Ok(Default::default()),
                    type_: Ok(Default::default()),
                    user: Ok(Default::default()),
                }
            }
        }
        impl QuerySessionResponse {
            pub fn active<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.active = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for active: {e}")
                    });
                self
            }
            pub fn client<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.client = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for client: {e}")
                    });
                self
            }
            pub fn cost_time<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.cost_time = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for cost_time: {e}")
                    });
                self
            }
            pub fn db<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.db = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for db: {e}"));
                self
            }
            pub fn description<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.description = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for description: {e}")
                    });
                self
            }
            pub fn host<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.host = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for host: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn namespace<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.namespace = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for namespace: {e}")
                    });
                self
            }
            pub fn operation<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.operation = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for operation: {e}")
                    });
                self
            }
            pub fn plan_summary<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.plan_summary = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for plan_summary: {e}")
                    });
                self
            }
            pub fn type_<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.type_ = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for type_: {e}")
                    });
                self
            }
            pub fn user<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.user = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for user: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<QuerySessionResponse>
        for super::QuerySessionResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: QuerySessionResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    active: value.active?,
                    client: value.client?,
                    cost_time: value.cost_time?,
                    db: value.db?,
                    description: value.description?,
                    host: value.host?,
                    id: value.id?,
                    namespace: value.namespace?,
                    operation: value.operation?,
                    plan_summary: value.plan_summary?,
                    type_: value.type_?,
                    user: value.user?,
                })
            }
        }
        impl ::std::convert::From<super::QuerySessionResponse> for QuerySessionResponse {
            fn from(value: super::QuerySessionResponse) -> Self {
                Self {
                    active: Ok(value.active),
                    client: Ok(value.client),
                    cost_time: Ok(value.cost_time),
                    db: Ok(value.db),
                    description: Ok(value.description),
                    host: Ok(value.host),
                    id: Ok(value.id),
                    namespace: Ok(value.namespace),
                    operation: Ok(value.operation),
                    plan_summary: Ok(value.plan_summary),
                    type_: Ok(value.type_),
                    user: Ok(value.user),
                }
            }
        }
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Huawei Cloud DDS session API

The two operations of Huawei Cloud Document Database Service (DDS, MongoDB-compatible) that find
the sessions running on an instance node and terminate them.

* `ListSessions` pages through the sessions of a node (`offset`/`limit`), optionally filtered.
* `DeleteSession` terminates sessions by their IDs, as `ListSessions` reports them.

Constraints of the service:

* Only DDS **Community Edition 3.4 or later** supports these operations.
* **Inactive sessions cannot be terminated**; asking to do so is answered `400 DBS.301071`.
* Terminating a session needs the IAM action `dds:instance:deleteSession`; listing needs
  `dds:instance:list`.
* Terminating a session twice changes nothing more than terminating it once.

Authentication is an IAM user token in `X-Auth-Token`, or AK/SK request signing
(`Authorization: SDK-HMAC-SHA256 …`) as every official Huawei Cloud SDK does. Requests signed
with AK/SK also carry `X-Sdk-Date` (UTC, `YYYYMMDDTHHMMSSZ`, at most 15 minutes off), `X-Project-Id`
and, for temporary credentials, `X-Security-Token`.

Every answer carries an `X-Request-Id` header naming the request; quote it to Huawei support.
Errors carry `{"error_code": "…", "error_msg": "…"}`; errors raised by the API gateway add
`request_id`. Throttled requests are answered `429` (`APIGW.0308`, `DBS.280443`).


Version: v3*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::hooks::Hooks,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::hooks::Hooks) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::hooks::Hooks,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::hooks::Hooks> for Client {
    fn api_version() -> &'static str {
        "v3"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::hooks::Hooks {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::hooks::Hooks>,
    {}
};
impl Client {
    /**List the sessions of an instance node

Lists the sessions running on an instance node, `limit` at a time from `offset`, with the
total number of sessions matching the filters. The node is a mongos node of a cluster
instance, or any node of a replica set or single-node instance. The IDs returned are the
ones `DeleteSession` takes.


Sends a `GET` request to `/v3/{project_id}/nodes/{node_id}/sessions`

Arguments:
- `project_id`: The ID of the tenant's project in the region.
- `node_id`: The ID of the instance node. For a cluster instance: any mongos, shard or config node
(`ListSessions` takes mongos nodes only). For a replica set: the primary or a secondary
node; any node of a replica set or single-node instance for `ListSessions`.

- `cost_time`: Only sessions that have been running for longer than this many microseconds.
- `limit`: The largest number of sessions to return, from 1 to 20.
- `namespace`: Only sessions working on this namespace (`database.collection`).
- `offset`: The index of the first session to return; the first session has index 0. Use it with
`limit` to page through the sessions.

- `plan_summary`: Only sessions whose execution plan is this one: `COLLSCAN`, `IXSCAN`, `FETCH`, `SORT`,
`LIMIT`, `SKIP`, `COUNT`, `COUNT_SCAN`, `TEXT`, `PROJECTION`, and so on. An unknown plan
is answered `400 DBS.301072`.

- `type_`: Only sessions running this type of operation: `none`, `update`, `insert`, `query`,
`command`, `getmore`, `remove`, `killcursors`, and so on. An unknown type is answered
`400 DBS.301073`.

```ignore
let response = client.list_sessions()
    .project_id(project_id)
    .node_id(node_id)
    .cost_time(cost_time)
    .limit(limit)
    .namespace(namespace)
    .offset(offset)
    .plan_summary(plan_summary)
    .type_(type_)
    .send()
    .await;
```*/
    pub fn list_sessions(&self) -> builder::ListSessions<'_> {
        builder::ListSessions::new(self)
    }
    /**Terminate sessions of an instance node

Terminates the given sessions of an instance node. The node is any mongos, shard or config
node of a cluster instance, or the primary or a secondary node of a replica set instance.
Only Community Edition 3.4 or later supports it, and inactive sessions cannot be
terminated (`400 DBS.301071`). Terminating a session twice has the effect of terminating
it once, so the request is safe to retry. Needs the IAM action `dds:instance:deleteSession`.


Sends a `POST` request to `/v3/{project_id}/nodes/{node_id}/session`

Arguments:
- `project_id`: The ID of the tenant's project in the region.
- `node_id`: The ID of the instance node. For a cluster instance: any mongos, shard or config node
(`ListSessions` takes mongos nodes only). For a replica set: the primary or a secondary
node; any node of a replica set or single-node instance for `ListSessions`.

- `body`: The IDs of the sessions to terminate.
```ignore
let response = client.delete_session()
    .project_id(project_id)
    .node_id(node_id)
    .body(body)
    .send()
    .await;
```*/
    pub fn delete_session(&self) -> builder::DeleteSession<'_> {
        builder::DeleteSession::new(self)
    }
}
/// Types for composing operation parameters.
#[allow(clippy::all)]
pub mod builder {
    use super::types;
    #[allow(unused_imports)]
    use super::{
        encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
        RequestBuilderExt, ResponseValue,
    };
    /**Builder for [`Client::list_sessions`]

[`Client::list_sessions`]: super::Client::list_sessions*/
    #[derive(Debug, Clone)]
    pub struct ListSessions<'a> {
        client: &'a super::Client,
        project_id: Result<::std::string::String, String>,
        node_id: Result<::std::string::String, String>,
        cost_time: Result<Option<i32>, String>,
        limit: Result<Option<::std::num::NonZeroU32>, String>,
        namespace: Result<Option<::std::string::String>, String>,
        offset: Result<Option<i32>, String>,
        plan_summary: Result<Option<::std::string::String>, String>,
        type_: Result<Option<::std::string::String>, String>,
    }
    impl<'a> ListSessions<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                project_id: Err("project_id was not initialized".to_string()),
                node_id: Err("node_id was not initialized".to_string()),
                cost_time: Ok(None),
                limit: Ok(None),
                namespace: Ok(None),
                offset: Ok(None),
                plan_summary: Ok(None),
                type_: Ok(None),
            }
        }
        pub fn project_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.project_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for project_id failed"
                        .to_string()
                });
            self
        }
        pub fn node_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.node_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for node_id failed"
                        .to_string()
                });
            self
        }
        pub fn cost_time<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i32>,
        {
            self.cost_time = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i32` for cost_time failed".to_string());
            self
        }
        pub fn limit<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::num::NonZeroU32>,
        {
            self.limit = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: num :: NonZeroU32` for limit failed"
                        .to_string()
                });
            self
        }
        pub fn namespace<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.namespace = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for namespace failed"
                        .to_string()
                });
            self
        }
        pub fn offset<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i32>,
        {
            self.offset = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i32` for offset failed".to_string());
            self
        }
        pub fn plan_summary<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.plan_summary = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for plan_summary failed"
                        .to_string()
                });
            self
        }
        pub fn type_<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.type_ = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for type_ failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/v3/{project_id}/nodes/{node_id}/sessions`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::ListSessionsResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self {
                client,
                project_id,
                node_id,
                cost_time,
                limit,
                namespace,
                offset,
                plan_summary,
                type_,
            } = self;
            let project_id = project_id.map_err(Error::InvalidRequest)?;
            let node_id = node_id.map_err(Error::InvalidRequest)?;
            let cost_time = cost_time.map_err(Error::InvalidRequest)?;
            let limit = limit.map_err(Error::InvalidRequest)?;
            let namespace = namespace.map_err(Error::InvalidRequest)?;
            let offset = offset.map_err(Error::InvalidRequest)?;
            let plan_summary = plan_summary.map_err(Error::InvalidRequest)?;
            let type_ = type_.map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v3/{}/nodes/{}/sessions", client.baseurl, encode_path(& project_id
                .to_string()), encode_path(& node_id.to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("cost_time", &cost_time))
                .query(&progenitor_client::QueryParam::new("limit", &limit))
                .query(&progenitor_client::QueryParam::new("namespace", &namespace))
                .query(&progenitor_client::QueryParam::new("offset", &offset))
                .query(
                    &progenitor_client::QueryParam::new("plan_summary", &plan_summary),
                )
                .query(&progenitor_client::QueryParam::new("type", &type_))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "list_sessions",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                502u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                503u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                504u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::delete_session`]

[`Client::delete_session`]: super::Client::delete_session*/
    #[derive(Debug, Clone)]
    pub struct DeleteSession<'a> {
        client: &'a super::Client,
        project_id: Result<::std::string::String, String>,
        node_id: Result<::std::string::String, String>,
        body: Result<types::builder::DeleteSessionRequestBody, String>,
    }
    impl<'a> DeleteSession<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                project_id: Err("project_id was not initialized".to_string()),
                node_id: Err("node_id was not initialized".to_string()),
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn project_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.project_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for project_id failed"
                        .to_string()
                });
            self
        }
        pub fn node_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.node_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for node_id failed"
                        .to_string()
                });
            self
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::DeleteSessionRequestBody>,
            <V as std::convert::TryInto<
                types::DeleteSessionRequestBody,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `DeleteSessionRequestBody` for body failed: {}", s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::DeleteSessionRequestBody,
            ) -> types::builder::DeleteSessionRequestBody,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v3/{project_id}/nodes/{node_id}/session`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::DeleteSessionResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, project_id, node_id, body } = self;
            let project_id = project_id.map_err(Error::InvalidRequest)?;
            let node_id = node_id.map_err(Error::InvalidRequest)?;
            let body = body
                .and_then(|v| {
                    types::DeleteSessionRequestBody::try_from(v)
                        .map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v3/{}/nodes/{}/session", client.baseurl, encode_path(& project_id
                .to_string()), encode_path(& node_id.to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "delete_session",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                502u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                503u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                504u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    pub use self::super::Client;
}
