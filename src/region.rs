//! Regions and their DDS endpoints.
//!
//! The table comes from the spec's `servers` (see [`crate::spec::REGIONS`]); the official SDKs'
//! override convention applies on top: the environment variable
//! `HUAWEICLOUD_SDK_REGION_DDS_<REGION>` (region id upper-cased, `-` → `_`) replaces that
//! region's endpoint, and makes a region the table does not know usable.

use crate::{Error, Result, spec};

/// The environment variable that overrides the endpoint of `region`, as the official SDKs name it.
///
/// ```
/// assert_eq!(
///     dds_sessions::region::override_variable("ap-southeast-1"),
///     "HUAWEICLOUD_SDK_REGION_DDS_AP_SOUTHEAST_1"
/// );
/// ```
pub fn override_variable(region: &str) -> String {
    let mut name = String::from("HUAWEICLOUD_SDK_REGION_DDS_");
    name.extend(region.chars().map(|c| {
        if c == '-' {
            '_'
        } else {
            c.to_ascii_uppercase()
        }
    }));
    name
}

/// The built-in endpoint of `region`, if the spec names it.
///
/// ```
/// assert_eq!(
///     dds_sessions::region::builtin_endpoint("eu-west-101"),
///     Some("https://dds.eu-west-101.myhuaweicloud.eu")
/// );
/// assert_eq!(dds_sessions::region::builtin_endpoint("mars-north-1"), None);
/// ```
pub fn builtin_endpoint(region: &str) -> Option<&'static str> {
    spec::REGIONS
        .binary_search_by(|(name, _)| (*name).cmp(region))
        .ok()
        .map(|i| spec::REGIONS[i].1)
}

/// The endpoint of `region`: the override variable if set (read through `lookup`), else the
/// built-in table. An unknown region without an override is an error listing the known ones.
///
/// ```
/// use dds_sessions::region::endpoint;
/// let env = |name: &str| (name == "HUAWEICLOUD_SDK_REGION_DDS_AP_SOUTHEAST_1")
///     .then(|| "https://dds.internal.example".to_string());
/// assert_eq!(endpoint("ap-southeast-1", env).unwrap(), "https://dds.internal.example");
/// assert_eq!(endpoint("cn-north-4", |_| None).unwrap(), "https://dds.cn-north-4.myhuaweicloud.com");
/// assert!(endpoint("mars-north-1", |_| None).unwrap_err().to_string().contains("cn-north-4"));
/// ```
pub fn endpoint(region: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String> {
    let region = region.trim();
    if region.is_empty() {
        return Err(Error::invalid_input("region", "must not be empty"));
    }
    if let Some(url) = lookup(&override_variable(region)).filter(|v| !v.trim().is_empty()) {
        return Ok(url.trim().to_string());
    }
    builtin_endpoint(region).map(str::to_string).ok_or_else(|| {
        let known: Vec<&str> = spec::REGIONS.iter().map(|(name, _)| *name).collect();
        Error::config(format!(
            "unknown region `{region}`: the known regions are {}; for another region set {} to its \
             DDS endpoint, or give the endpoint itself",
            known.join(", "),
            override_variable(region)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(spec::REGIONS.windows(2).all(|w| w[0].0 < w[1].0));
        for (region, url) in spec::REGIONS {
            assert_eq!(builtin_endpoint(region), Some(*url));
            assert!(
                url.starts_with(&format!("https://dds.{region}.myhuaweicloud.")),
                "{url}"
            );
        }
        assert_eq!(
            builtin_endpoint("ap-southeast-1"),
            Some("https://dds.ap-southeast-1.myhuaweicloud.com")
        );
    }

    #[test]
    fn override_wins_and_empty_override_is_ignored() {
        let env = |value: &'static str| {
            move |name: &str| {
                (name == "HUAWEICLOUD_SDK_REGION_DDS_CN_NORTH_4").then(|| value.to_string())
            }
        };
        assert_eq!(
            endpoint("cn-north-4", env("http://127.0.0.1:9")).unwrap(),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            endpoint("cn-north-4", env("  ")).unwrap(),
            "https://dds.cn-north-4.myhuaweicloud.com"
        );
    }

    #[test]
    fn unknown_region_without_override_is_a_config_error() {
        let err = endpoint("xx-nowhere-1", |_| None).unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        let text = err.to_string();
        assert!(
            text.contains("HUAWEICLOUD_SDK_REGION_DDS_XX_NOWHERE_1"),
            "{text}"
        );
        assert!(text.contains("eu-west-101"), "{text}");
        let env = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_DDS_XX_NOWHERE_1")
                .then(|| "https://x.example".to_string())
        };
        assert_eq!(endpoint("xx-nowhere-1", env).unwrap(), "https://x.example");
        assert!(matches!(
            endpoint("", |_| None),
            Err(Error::InvalidInput { .. })
        ));
    }
}
