//! The client and its builder: where requests go, who signs them, and how patient to be.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ClientInfo;

use crate::hooks::{HookSettings, Hooks};
use crate::node::Node;
use crate::{Credentials, Error, Result, RetryConfig, generated, ids, region};

/// The default time to connect.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time one attempt (a request and its whole answer) may take.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default largest answer accepted, in bytes (8 MiB).
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 8 * 1024 * 1024;
/// The default number of session ids one kill request carries.
pub const DEFAULT_BATCH_SIZE: usize = 100;
/// The largest number of session ids one kill request may carry.
pub const MAX_BATCH_SIZE: usize = 500;
/// The default number of kill requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The default number of pages in flight at once when listing every page. Listing changes
/// nothing, and a page waits mostly on the network, so more are fetched at once than kills.
pub const DEFAULT_PAGE_CONCURRENCY: usize = 8;

/// A client of the DDS session API of one project in one region.
///
/// Cheap to clone; clones share their connection pool.
///
/// ```
/// # fn main() -> dds_sessions::Result<()> {
/// use dds_sessions::{Client, Credentials};
/// let client = Client::builder()
///     .region("ap-southeast-1")
///     .project_id("619d3e78f61b4be68bc5aa0b59edcf7b")
///     .credentials(Credentials::ak_sk("HPUAEXAMPLEAK000001", "secret"))
///     .build()?;
/// assert_eq!(client.endpoint(), "https://dds.ap-southeast-1.myhuaweicloud.com");
/// let node = client.node("520c58ba00a3497e97ce0b9604874dd6no02");
/// assert_eq!(node.id(), "520c58ba00a3497e97ce0b9604874dd6no02");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    raw: generated::Client,
    project_id: String,
    retry: RetryConfig,
    operation_timeout: Option<Duration>,
    batch_size: usize,
    concurrency: usize,
    page_concurrency: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint())
            .field("project_id", &self.inner.project_id)
            .field("retry", &self.inner.retry)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("batch_size", &self.inner.batch_size)
            .field("concurrency", &self.inner.concurrency)
            .field("page_concurrency", &self.inner.page_concurrency)
            .field("hooks", self.inner.raw.inner())
            .finish()
    }
}

impl Client {
    /// A builder with the defaults: 10 s to connect, 30 s an attempt, three attempts, 8 MiB
    /// answers, kill batches of 100 ids, four kill requests and eight pages in flight.
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder();
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured the way the official SDKs and twelve-factor apps expect: the region
    /// from `HUAWEICLOUD_SDK_REGION`, the credentials and project id from the default chain
    /// ([`Credentials::from_env`]), region overrides from `HUAWEICLOUD_SDK_REGION_DDS_<REGION>`.
    ///
    /// ```no_run
    /// # fn main() -> dds_sessions::Result<()> {
    /// let client = dds_sessions::Client::from_env()?;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Client> {
        Client::builder().from_env()?.build()
    }

    /// A handle on one node of an instance, to list and kill its sessions. The id is checked
    /// when an operation runs.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// # let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:9").project_id("p")
    /// #     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// let node = client.node("520c58ba00a3497e97ce0b9604874dd6no02");
    /// # Ok(()) }
    /// ```
    pub fn node(&self, node_id: impl Into<String>) -> Node {
        Node::new(self.clone(), node_id.into())
    }

    /// The generated, spec-level client, with this client's authentication, headers, time
    /// limits and size limit applied by its hooks. For the raw API; no retry, no validation.
    ///
    /// ```no_run
    /// # async fn run(client: dds_sessions::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let page = client.generated().list_sessions()
    ///     .project_id(client.project_id())
    ///     .node_id("520c58ba00a3497e97ce0b9604874dd6no02")
    ///     .limit(std::num::NonZeroU32::new(5).unwrap())
    ///     .send().await?;
    /// println!("{} sessions", page.total_count);
    /// # Ok(()) }
    /// ```
    pub fn generated(&self) -> &generated::Client {
        &self.inner.raw
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:8080/").project_id("p")
    ///     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// assert_eq!(client.endpoint(), "http://127.0.0.1:8080");
    /// # Ok(()) }
    /// ```
    pub fn endpoint(&self) -> &str {
        self.inner.raw.baseurl()
    }

    /// The project every request names.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// let client = dds_sessions::Client::builder().endpoint("http://127.0.0.1:9").project_id("p1")
    ///     .credentials(dds_sessions::Credentials::token("t")).build()?;
    /// assert_eq!(client.project_id(), "p1");
    /// # Ok(()) }
    /// ```
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    pub(crate) fn batch_size(&self) -> usize {
        self.inner.batch_size
    }

    pub(crate) fn concurrency(&self) -> usize {
        self.inner.concurrency
    }

    pub(crate) fn page_concurrency(&self) -> usize {
        self.inner.page_concurrency
    }

    /// Runs one operation: every attempt built afresh by `attempt` (so it is signed afresh),
    /// retried by the policy, bounded by the operation timeout, traced.
    pub(crate) async fn call<'a, T, F, Fut>(
        &'a self,
        operation: &'static str,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut(&'a generated::Client) -> Fut,
        Fut: Future<
            Output = std::result::Result<
                progenitor_client::ResponseValue<T>,
                progenitor_client::Error<generated::types::ErrorResponse>,
            >,
        >,
    {
        use tracing::Instrument;
        let attempt_timeout = self.inner.raw.inner().attempt_timeout();
        let attempts = self.inner.retry.run(operation, |number| {
            let sent = attempt(&self.inner.raw);
            // Boxed: the generated request future is kilobytes; every layer above it (retries,
            // timeouts, the kill's batches in flight) then moves a pointer, not the future.
            Box::pin(
                async move { crate::response::finish(sent.await, attempt_timeout).await }
                    .instrument(tracing::debug_span!("attempt", number)),
            )
        });
        let span = tracing::info_span!("dds", operation);
        match self.inner.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempts).instrument(span).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Error::Timeout {
                    limit,
                    scope: crate::TimeoutScope::Operation,
                }),
            },
            None => attempts.instrument(span).await,
        }
    }
}

/// Configures a [`Client`].
///
/// Set the credentials, the project and where to send requests (a region or an endpoint);
/// everything else has a default.
///
/// ```
/// # fn main() -> dds_sessions::Result<()> {
/// use std::time::Duration;
/// use dds_sessions::{Client, Credentials, RetryConfig};
/// let client = Client::builder()
///     .region("cn-north-4")
///     .project_id("619d3e78f61b4be68bc5aa0b59edcf7b")
///     .credentials(Credentials::token("an IAM token"))
///     .connect_timeout(Duration::from_secs(5))
///     .attempt_timeout(Duration::from_secs(10))
///     .operation_timeout(Duration::from_secs(60))
///     .retry(RetryConfig::default().with_max_attempts(5))
///     .user_agent_suffix("my-ops-tool/1.2")
///     .max_response_size(1 << 20)
///     .batch_size(200)
///     .concurrency(8)
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    project_id: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    operation_timeout: Option<Duration>,
    retry: RetryConfig,
    user_agent_suffix: Option<String>,
    max_response_size: u64,
    batch_size: usize,
    concurrency: Option<usize>,
    page_concurrency: Option<usize>,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    env: EnvLookup,
}

/// Where a builder reads environment variables from.
type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            endpoint: None,
            project_id: None,
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            operation_timeout: None,
            retry: RetryConfig::default(),
            user_agent_suffix: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            batch_size: DEFAULT_BATCH_SIZE,
            concurrency: None,
            page_concurrency: None,
            http_client: None,
            allow_insecure_http: false,
            env: Arc::new(|name| std::env::var(name).ok().filter(|v| !v.is_empty())),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("project_id", &self.project_id)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .field("page_concurrency", &self.page_concurrency)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The region, e.g. `ap-southeast-1`; its endpoint comes from the built-in table or from
    /// `HUAWEICLOUD_SDK_REGION_DDS_<REGION>`. An explicit [`endpoint`](Self::endpoint) wins.
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder().region("eu-west-101");
    /// ```
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Send requests to this base URL instead of the region's endpoint. `https://` is
    /// required, but for loopback addresses or after [`allow_insecure_http`](Self::allow_insecure_http).
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder().endpoint("https://dds.internal.example");
    /// ```
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The project id (`HUAWEICLOUD_SDK_PROJECT_ID` in the official SDKs).
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder().project_id("619d3e78f61b4be68bc5aa0b59edcf7b");
    /// ```
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The credentials: a token or AK/SK.
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder()
    ///     .credentials(dds_sessions::Credentials::ak_sk("AK", "SK"));
    /// ```
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Fills what is not set yet from the environment: the region from
    /// `HUAWEICLOUD_SDK_REGION`, the credentials and the project id from the default chain
    /// ([`Credentials::from_env`]). Fails if no credentials are found anywhere.
    ///
    /// ```
    /// # fn main() -> dds_sessions::Result<()> {
    /// let env = |name: &str| match name {
    ///     "HUAWEICLOUD_SDK_REGION" => Some("cn-north-4".to_string()),
    ///     "HUAWEICLOUD_AUTH_TOKEN" => Some("token".to_string()),
    ///     "HUAWEICLOUD_SDK_PROJECT_ID" => Some("p1".to_string()),
    ///     _ => None,
    /// };
    /// let client = dds_sessions::Client::builder().env_lookup(env).from_env()?.build()?;
    /// assert_eq!(client.endpoint(), "https://dds.cn-north-4.myhuaweicloud.com");
    /// assert_eq!(client.project_id(), "p1");
    /// # Ok(()) }
    /// ```
    pub fn from_env(mut self) -> Result<Self> {
        let env = self.env.clone();
        if self.region.is_none() {
            self.region = env("HUAWEICLOUD_SDK_REGION");
        }
        if self.credentials.is_none() || self.project_id.is_none() {
            let resolved = Credentials::from_env_with(|name| env(name))?;
            self.credentials.get_or_insert(resolved.credentials);
            if self.project_id.is_none() {
                self.project_id = resolved.project_id;
            }
        }
        Ok(self)
    }

    /// Where environment variables are read from: the process environment by default. Tests
    /// and embedders can supply their own.
    ///
    /// ```
    /// let builder = dds_sessions::Client::builder().env_lookup(|_| None);
    /// ```
    pub fn env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Arc::new(lookup);
        self
    }

    /// The longest time to connect (default 10 s).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().connect_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// The longest time one attempt may take, from sending to the end of the answer (default 30 s).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().attempt_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.attempt_timeout = limit;
        self
    }

    /// The longest time a whole operation may take, retries and waits included (default: no
    /// limit beyond attempts × attempt timeout + waits).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().operation_timeout(std::time::Duration::from_secs(90));
    /// ```
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.operation_timeout = Some(limit);
        self
    }

    /// How failed attempts are retried ([`RetryConfig::disabled`] turns retries off).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().retry(dds_sessions::RetryConfig::disabled());
    /// ```
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Appended to the `User-Agent` (`dds-sessions/<version> <suffix>`).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().user_agent_suffix("ops-bot/2");
    /// ```
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The largest answer accepted, in bytes (default 8 MiB); a larger one is refused while
    /// it is read, never held in memory.
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().max_response_size(1 << 20);
    /// ```
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The default number of session ids one kill request carries (1 to 500, default 100).
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().batch_size(250);
    /// ```
    pub fn batch_size(mut self, ids: usize) -> Self {
        self.batch_size = ids;
        self
    }

    /// The default number of kill requests in flight at once (default 4); also the pages in
    /// flight when listing, unless [`page_concurrency`](Self::page_concurrency) is set.
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().concurrency(16);
    /// ```
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = Some(requests);
        self
    }

    /// The default number of pages in flight at once when listing every page: this, else the
    /// [`concurrency`](Self::concurrency) if one was set, else 8.
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().page_concurrency(16);
    /// ```
    pub fn page_concurrency(mut self, pages: usize) -> Self {
        self.page_concurrency = Some(pages);
        self
    }

    /// Use this `reqwest::Client` (its pool, proxy and TLS settings). It should not follow
    /// redirects (`reqwest::redirect::Policy::none()`), or credentials could reach another
    /// host; the connect timeout set here does not apply to it.
    ///
    /// ```
    /// // reqwest is built without a default TLS provider: install one (ring) first.
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let b = dds_sessions::Client::builder().http_client(http);
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allow a plain `http://` endpoint on a host that is not a loopback address. Requests and
    /// their authentication then cross the network unencrypted; for test rigs only.
    ///
    /// ```
    /// let b = dds_sessions::Client::builder().allow_insecure_http(true);
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    ///
    /// ```
    /// let error = dds_sessions::Client::builder().build().unwrap_err();
    /// assert!(error.to_string().contains("credentials"));
    /// ```
    pub fn build(self) -> Result<Client> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "no credentials: give .credentials(...) or use Client::from_env() \
                 (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, HUAWEICLOUD_AUTH_TOKEN, or ~/.huaweicloud/credentials)",
            )
        })?;
        let project_id = self.project_id.ok_or_else(|| {
            Error::config(
                "no project id: give .project_id(...), set HUAWEICLOUD_SDK_PROJECT_ID, \
                 or add project_id to the [basic] section of the credentials file",
            )
        })?;
        ids::project_id(&project_id)?;
        let endpoint = match (self.endpoint, &self.region) {
            (Some(endpoint), _) => endpoint,
            (None, Some(region)) => region::endpoint(region, |name| (self.env)(name))?,
            (None, None) => {
                return Err(Error::config(
                    "no region or endpoint: give .region(\"ap-southeast-1\") (or set HUAWEICLOUD_SDK_REGION), \
                     or .endpoint(\"https://...\")",
                ));
            }
        };
        let url = check_endpoint(&endpoint, self.allow_insecure_http)?;
        if self.batch_size == 0 || self.batch_size > MAX_BATCH_SIZE {
            return Err(Error::invalid_input(
                "batch_size",
                format!("must be 1 to {MAX_BATCH_SIZE}, not {}", self.batch_size),
            ));
        }
        let concurrency = self.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        let page_concurrency = self
            .page_concurrency
            .or(self.concurrency)
            .unwrap_or(DEFAULT_PAGE_CONCURRENCY);
        if concurrency == 0 {
            return Err(Error::invalid_input("concurrency", "must be at least 1"));
        }
        if page_concurrency == 0 {
            return Err(Error::invalid_input(
                "page_concurrency",
                "must be at least 1",
            ));
        }
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => return Err(Error::invalid_input("endpoint", "has no host")),
        };
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => format!("dds-sessions/{} {suffix}", env!("CARGO_PKG_VERSION")),
            None => format!("dds-sessions/{}", env!("CARGO_PKG_VERSION")),
        };
        let hooks = Hooks::new(HookSettings {
            credentials,
            project_id: &project_id,
            host: &host,
            user_agent: &user_agent,
            attempt_timeout: self.attempt_timeout,
            max_response_size: self.max_response_size,
        })?;
        let http = match self.http_client {
            Some(client) => client,
            None => http_client(self.connect_timeout, concurrency.max(page_concurrency))?,
        };
        let baseurl = url.as_str().trim_end_matches('/');
        Ok(Client {
            inner: Arc::new(Inner {
                raw: generated::Client::new_with_client(baseurl, http, hooks),
                project_id,
                retry: self.retry,
                operation_timeout: self.operation_timeout,
                batch_size: self.batch_size,
                concurrency,
                page_concurrency,
            }),
        })
    }
}

/// The endpoint as a URL, if it is one requests may go to.
fn check_endpoint(endpoint: &str, allow_insecure_http: bool) -> Result<reqwest::Url> {
    let invalid = |reason: String| Error::invalid_input("endpoint", reason);
    let url = reqwest::Url::parse(endpoint.trim())
        .map_err(|e| invalid(format!("{endpoint:?} is not a URL ({e}); give e.g. https://dds.ap-southeast-1.myhuaweicloud.com")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not hold a user name or password".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not hold a query or a fragment".into()));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_insecure_http || is_loopback(&url) => Ok(url),
        "http" => Err(invalid(format!(
            "{endpoint} is plain http to a host that is not a loopback address: use https, \
             or allow_insecure_http(true) for a test rig"
        ))),
        other => Err(invalid(format!(
            "the scheme {other:?} is not http or https"
        ))),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The HTTP client built by default: rustls with the ring provider, no redirects, a pool
/// sized for the configured concurrency.
fn http_client(connect_timeout: Duration, concurrency: usize) -> Result<reqwest::Client> {
    // Installs ring as the process's default provider unless one is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // The layer retries (and knows which failures are safe to retry); reqwest's own retry
        // layer would otherwise copy every request's headers to be able to resend it.
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .connect_timeout(connect_timeout)
        .pool_max_idle_per_host(concurrency.max(DEFAULT_CONCURRENCY) * 2)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config(format!("cannot set up HTTPS: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder()
            .project_id("p")
            .credentials(Credentials::token("t"))
            .env_lookup(|_| None)
    }

    #[test]
    fn endpoints_are_checked() {
        let ok = [
            "https://dds.example",
            "http://127.0.0.1:1",
            "http://localhost:8080/",
            "http://[::1]:9",
            "https://h/base/",
        ];
        for endpoint in ok {
            assert!(builder().endpoint(endpoint).build().is_ok(), "{endpoint}");
        }
        let bad = [
            "",
            "dds.example",
            "ftp://h",
            "http://10.0.0.1",
            "http://dds.example",
            "https://u:p@h",
            "https://h/?q=1",
            "https://h/#f",
            "https://",
        ];
        for endpoint in bad {
            let error = builder().endpoint(endpoint).build().unwrap_err();
            assert!(
                matches!(error, Error::InvalidInput { .. }),
                "{endpoint}: {error}"
            );
        }
        assert!(
            builder()
                .endpoint("http://10.0.0.1")
                .allow_insecure_http(true)
                .build()
                .is_ok()
        );
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let client = builder().endpoint("https://h/base/").build().unwrap();
        assert_eq!(client.endpoint(), "https://h/base");
    }

    #[test]
    fn missing_pieces_are_config_errors_that_say_what_to_do() {
        let e = Client::builder()
            .env_lookup(|_| None)
            .project_id("p")
            .region("cn-north-4")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("HUAWEICLOUD_SDK_AK"), "{e}");
        let e = Client::builder()
            .credentials(Credentials::token("t"))
            .region("cn-north-4")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("HUAWEICLOUD_SDK_PROJECT_ID"), "{e}");
        let e = builder().build().unwrap_err();
        assert!(e.to_string().contains("HUAWEICLOUD_SDK_REGION"), "{e}");
        for bad in ["", "a b", "../x"] {
            assert!(
                matches!(
                    builder().project_id(bad).region("cn-north-4").build(),
                    Err(Error::InvalidInput { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn batch_size_and_concurrency_are_bounded() {
        let at = |b: ClientBuilder| b.endpoint("https://h").build();
        assert!(at(builder().batch_size(0)).is_err());
        assert!(at(builder().batch_size(MAX_BATCH_SIZE + 1)).is_err());
        assert!(at(builder().batch_size(MAX_BATCH_SIZE)).is_ok());
        assert!(at(builder().concurrency(0)).is_err());
        assert!(at(builder().page_concurrency(0)).is_err());
        assert!(at(builder().page_concurrency(1)).is_ok());
    }

    #[test]
    fn pages_follow_the_concurrency_unless_set_themselves() {
        let pages = |b: ClientBuilder| b.endpoint("https://h").build().unwrap().page_concurrency();
        let kills = |b: ClientBuilder| b.endpoint("https://h").build().unwrap().concurrency();
        assert_eq!(pages(builder()), DEFAULT_PAGE_CONCURRENCY);
        assert_eq!(kills(builder()), DEFAULT_CONCURRENCY);
        assert_eq!(
            pages(builder().concurrency(2)),
            2,
            "a limit set for rate limits holds"
        );
        assert_eq!(pages(builder().concurrency(2).page_concurrency(3)), 3);
        assert_eq!(kills(builder().concurrency(2).page_concurrency(3)), 2);
    }

    #[test]
    fn region_override_from_the_environment() {
        let client = builder()
            .env_lookup(|name| {
                (name == "HUAWEICLOUD_SDK_REGION_DDS_AP_SOUTHEAST_1")
                    .then(|| "http://127.0.0.1:7".to_string())
            })
            .region("ap-southeast-1")
            .build()
            .unwrap();
        assert_eq!(client.endpoint(), "http://127.0.0.1:7");
    }

    #[test]
    fn debug_shows_no_secret() {
        let client = Client::builder()
            .endpoint("https://h")
            .project_id("p")
            .credentials(
                Credentials::ak_sk("AKID", "sk-very-secret").with_security_token("st-very-secret"),
            )
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("very-secret"), "{debug}");
        let debug = format!(
            "{:?}",
            Client::builder().credentials(Credentials::token("tok-very-secret"))
        );
        assert!(!debug.contains("very-secret"), "{debug}");
    }
}
