//! The mock's API gateway: checks an IAM token, or recomputes an `SDK-HMAC-SHA256` signature
//! from the bytes received, as Huawei's gateway does.

use std::time::{Duration, SystemTime};

use crate::auth::signer;

/// How far `X-Sdk-Date` may be from the mock's clock.
pub(crate) const CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The credentials the mock accepts.
#[derive(Clone, Default)]
pub(crate) struct Gate {
    pub(crate) tokens: Vec<String>,
    /// (AK, SK, security token required with it).
    pub(crate) keys: Vec<(String, String, Option<String>)>,
}

/// A request as the gateway sees it.
pub(crate) struct Presented<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a http::HeaderMap,
    pub(crate) body: &'a [u8],
}

impl Gate {
    /// Whether nothing is configured: every request is let through.
    pub(crate) fn is_open(&self) -> bool {
        self.tokens.is_empty() && self.keys.is_empty()
    }

    /// `Ok` if the request authenticates, else why not (for `APIGW.0301`'s message).
    pub(crate) fn check(&self, request: &Presented<'_>) -> Result<(), String> {
        if self.is_open() {
            return Ok(());
        }
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(token) = header("x-auth-token") {
            return if self.tokens.iter().any(|t| t == token) {
                Ok(())
            } else {
                Err("Incorrect IAM authentication information: the token is not valid".into())
            };
        }
        let Some(authorization) = header("authorization") else {
            return Err(
                "Incorrect IAM authentication information: no X-Auth-Token or Authorization header"
                    .into(),
            );
        };
        let parsed = parse_authorization(authorization)
            .ok_or("Incorrect IAM authentication information: malformed Authorization header")?;
        let Some((_, sk, security_token)) =
            self.keys.iter().find(|(ak, _, _)| *ak == parsed.access)
        else {
            return Err("Incorrect IAM authentication information: unknown access key".into());
        };
        let date = header("x-sdk-date")
            .ok_or("Incorrect IAM authentication information: X-Sdk-Date is missing")?;
        let signed_at = parse_sdk_date(date)
            .ok_or("Incorrect IAM authentication information: X-Sdk-Date is malformed")?;
        let now = SystemTime::now();
        let skew = now
            .duration_since(signed_at)
            .or_else(|e| Ok::<_, ()>(e.duration()))
            .unwrap_or_default();
        if skew > CLOCK_SKEW {
            return Err(
                "Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes off"
                    .into(),
            );
        }
        if let Some(required) = security_token {
            if header("x-security-token") != Some(required.as_str()) {
                return Err("Incorrect IAM authentication information: the security token is missing or wrong".into());
            }
            if !parsed
                .signed_headers
                .split(';')
                .any(|h| h == "x-security-token")
            {
                return Err(
                    "Incorrect IAM authentication information: X-Security-Token is not signed"
                        .into(),
                );
            }
        }
        let mut headers = Vec::new();
        for name in parsed.signed_headers.split(';') {
            let value = header(name).ok_or_else(|| {
                format!(
                    "Incorrect IAM authentication information: signed header {name} was not sent"
                )
            })?;
            headers.push((name, value));
        }
        let expected = signer::sign(
            parsed.access,
            sk,
            &signer::SignableRequest {
                method: request.method,
                path: request.path,
                query: request.query,
                headers: &headers,
                body: request.body,
            },
        );
        if expected.signature == parsed.signature {
            Ok(())
        } else {
            Err("Incorrect IAM authentication information: verify aksk signature fail".into())
        }
    }
}

struct Authorization<'a> {
    access: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(signer::ALGORITHM)?.trim_start();
    let (mut access, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=')? {
            ("Access", v) => access = Some(v),
            ("SignedHeaders", v) => signed_headers = Some(v),
            ("Signature", v) => signature = Some(v),
            _ => return None,
        }
    }
    Some(Authorization {
        access: access?,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

/// Reads `YYYYMMDDTHHMMSSZ`.
fn parse_sdk_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16
        || b[8] != b'T'
        || b[15] != b'Z'
        || !text[..8]
            .bytes()
            .chain(text[9..15].bytes())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().ok();
    let (year, month, day) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hour, minute, second) = (n(9..11)?, n(11..13)?, n(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_dates_round_trip() {
        for secs in [0u64, 1_764_662_950, 951_782_400, 4_107_542_400] {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(parse_sdk_date(&signer::sdk_date(time)), Some(time));
        }
        for bad in [
            "",
            "20251202T080910",
            "2025-12-02T08:09:10Z",
            "20251302T080910Z",
            "2025120xT080910Z",
            "20251202T250910Z",
        ] {
            assert_eq!(parse_sdk_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn authorization_headers_are_parsed_strictly() {
        let a = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(
            (a.access, a.signed_headers, a.signature),
            ("AK", "host;x-sdk-date", "abc")
        );
        for bad in [
            "Bearer x",
            "SDK-HMAC-SHA256 Access=AK",
            "SDK-HMAC-SHA256 Access=AK, Foo=1, SignedHeaders=h, Signature=s",
        ] {
            assert!(parse_authorization(bad).is_none(), "{bad}");
        }
    }
}
