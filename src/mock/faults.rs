//! Faults on demand: answers the mock gives instead of (or before) its own.

use std::time::Duration;

/// A fault the mock injects into its next answers.
///
/// ```
/// use std::time::Duration;
/// use dds_sessions::mock::Fault;
/// let faults = [
///     Fault::status(503),
///     Fault::throttle(Some(1)),
///     Fault::drop_connection(),
///     Fault::delay(Duration::from_millis(200)),
///     Fault::status(502).with_body("text/html", "<html>Bad Gateway</html>"),
/// ];
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fault {
    /// What to answer instead; `None` answers normally (after the delay).
    pub answer: Option<FaultAnswer>,
    /// How long to wait before answering.
    pub delay: Duration,
}

/// The answer of a [`Fault`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAnswer {
    /// This status, headers and body.
    Respond {
        /// The HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    /// Answer `status` with a Huawei error body (`error_code` `MOCK.<status>`).
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::status(500);
    /// ```
    pub fn status(status: u16) -> Fault {
        let body = serde_json::json!({
            "error_code": format!("MOCK.{status}"),
            "error_msg": format!("injected fault: HTTP {status}"),
        });
        Fault::respond(status, Vec::new(), body.to_string().into_bytes())
    }

    /// Answer exactly this.
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::respond(200, vec![], b"{broken".to_vec());
    /// ```
    pub fn respond(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Fault {
        Fault {
            answer: Some(FaultAnswer::Respond {
                status,
                headers,
                body,
            }),
            delay: Duration::ZERO,
        }
    }

    /// `429 APIGW.0308`, with `Retry-After: seconds` if given.
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::throttle(Some(2));
    /// ```
    pub fn throttle(retry_after: Option<u64>) -> Fault {
        let body = serde_json::json!({"error_code": "APIGW.0308", "error_msg": "The request is throttled."});
        let headers = retry_after
            .map(|s| vec![("retry-after".to_string(), s.to_string())])
            .unwrap_or_default();
        Fault::respond(429, headers, body.to_string().into_bytes())
    }

    /// Close the connection without answering.
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::drop_connection();
    /// ```
    pub fn drop_connection() -> Fault {
        Fault {
            answer: Some(FaultAnswer::Drop),
            delay: Duration::ZERO,
        }
    }

    /// Answer normally, but only after `delay` (a slow server).
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::delay(std::time::Duration::from_secs(1));
    /// ```
    pub fn delay(delay: Duration) -> Fault {
        Fault {
            answer: None,
            delay,
        }
    }

    /// The same fault, given after `delay`.
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::status(503).after(std::time::Duration::from_millis(50));
    /// ```
    pub fn after(mut self, delay: Duration) -> Fault {
        self.delay = delay;
        self
    }

    /// The same fault with this body and `Content-Type` (for a `respond`/`status` fault).
    ///
    /// ```
    /// let f = dds_sessions::mock::Fault::status(502).with_body("text/html", "<html/>");
    /// ```
    pub fn with_body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        if let Some(FaultAnswer::Respond {
            headers, body: b, ..
        }) = &mut self.answer
        {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            headers.push(("content-type".to_string(), content_type.to_string()));
            *b = body.into();
        }
        self
    }
}
