//! Credentials, and where they come from: the same places and names as the official Huawei Cloud
//! SDKs, so a machine set up for them needs no change.
//!
//! [`Credentials::from_env`] tries, in order:
//!
//! 1. AK/SK from the environment: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, with the optional
//!    `HUAWEICLOUD_SDK_SECURITY_TOKEN` of temporary credentials. One without the other is an
//!    error, not a reason to look further.
//! 2. An IAM token from the environment: `HUAWEICLOUD_AUTH_TOKEN`.
//! 3. The credentials file: the path in `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else
//!    `$HOME/.huaweicloud/credentials` (on Windows `%USERPROFILE%` when `HOME` is unset). It is
//!    INI: the `[basic]` section holds `ak`, `sk` and optionally `security_token` and
//!    `project_id`; other sections are ignored. A file that exists but cannot be read, is
//!    malformed, has no `[basic]` section, or has only one of `ak`/`sk` is an error naming the
//!    file and the problem.
//!
//! Environment values are trimmed, and empty ones count as unset. Credentials come whole from one
//! source: `HUAWEICLOUD_SDK_SECURITY_TOKEN` is never combined with a key pair from the file.
//!
//! The project id is `HUAWEICLOUD_SDK_PROJECT_ID` when set, else the file's `[basic]`
//! `project_id`. When the credentials came from the environment the file is still read for the
//! project id, but leniently: a file that is missing, unreadable or malformed is then ignored
//! (logged at debug level), since the credentials themselves are fine.
//!
//! On unix a credentials file that group or others may access earns one `tracing` warning per
//! process, suggesting `chmod 600`, as ssh does for keys.
//!
//! No secret value (secret key, token, security token) ever appears in a `Debug` or `Display`
//! output, a log line or an error message.
//!
//! ```
//! use dds_sessions::Credentials;
//! use dds_sessions::auth::credentials::CredentialSource;
//!
//! let env = |name: &str| match name {
//!     "HUAWEICLOUD_SDK_AK" => Some("MY-AK".to_string()),
//!     "HUAWEICLOUD_SDK_SK" => Some("my-sk".to_string()),
//!     "HUAWEICLOUD_SDK_PROJECT_ID" => Some("0123456789abcdef".to_string()),
//!     _ => None,
//! };
//! let resolved = Credentials::from_env_with(env)?;
//! assert_eq!(resolved.credentials.access_key(), Some("MY-AK"));
//! assert_eq!(resolved.project_id.as_deref(), Some("0123456789abcdef"));
//! assert_eq!(resolved.source, CredentialSource::Environment);
//! # Ok::<(), dds_sessions::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::{Error, Result, Secret};

const AK_ENV: &str = "HUAWEICLOUD_SDK_AK";
const SK_ENV: &str = "HUAWEICLOUD_SDK_SK";
const SECURITY_TOKEN_ENV: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
const PROJECT_ID_ENV: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
const TOKEN_ENV: &str = "HUAWEICLOUD_AUTH_TOKEN";
const FILE_ENV: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// How requests are authenticated.
///
/// `Debug` prints the access key in full: it is an identifier, not a secret (IAM lists it and
/// every signed request carries it), and seeing it tells which key is in use. The secret key and
/// the tokens print as `** redacted **`.
///
/// ```
/// use dds_sessions::Credentials;
/// let credentials = Credentials::ak_sk("MY-AK", "my-secret-key").with_security_token("my-sts");
/// let printed = format!("{credentials:?}");
/// assert!(printed.contains("MY-AK"));
/// assert!(!printed.contains("my-secret-key") && !printed.contains("my-sts"));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// IAM user token, sent as `X-Auth-Token`.
    Token {
        /// The token.
        token: Secret,
    },
    /// AK/SK: requests are signed with SDK-HMAC-SHA256. Temporary credentials add a security
    /// token, sent as `X-Security-Token`.
    AkSk {
        /// The access key id (AK).
        access_key: String,
        /// The secret access key (SK).
        secret_key: Secret,
        /// The security token of temporary credentials.
        security_token: Option<Secret>,
    },
}

impl Credentials {
    /// An IAM token, sent as `X-Auth-Token`.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// let credentials = Credentials::token("MIIe-my-token");
    /// assert!(matches!(credentials, Credentials::Token { .. }));
    /// ```
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token {
            token: token.into(),
        }
    }

    /// An access key and its secret key, without a security token.
    ///
    /// ```
    /// let credentials = dds_sessions::Credentials::ak_sk("MY-AK", "my-sk");
    /// assert_eq!(credentials.access_key(), Some("MY-AK"));
    /// assert!(credentials.security_token().is_none());
    /// ```
    pub fn ak_sk(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Credentials::AkSk {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }

    /// The same AK/SK with the security token of temporary credentials. A token credential has
    /// no use for one and is returned unchanged.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// let temporary = Credentials::ak_sk("MY-AK", "my-sk").with_security_token("my-sts");
    /// assert_eq!(temporary.security_token().map(|t| t.expose()), Some("my-sts"));
    /// let token = Credentials::token("t").with_security_token("ignored");
    /// assert!(token.security_token().is_none());
    /// ```
    pub fn with_security_token(self, security_token: impl Into<Secret>) -> Self {
        match self {
            Credentials::AkSk {
                access_key,
                secret_key,
                ..
            } => Credentials::AkSk {
                access_key,
                secret_key,
                security_token: Some(security_token.into()),
            },
            other => other,
        }
    }

    /// The access key (AK), for AK/SK credentials.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// assert_eq!(Credentials::ak_sk("MY-AK", "sk").access_key(), Some("MY-AK"));
    /// assert_eq!(Credentials::token("t").access_key(), None);
    /// ```
    pub fn access_key(&self) -> Option<&str> {
        match self {
            Credentials::AkSk { access_key, .. } => Some(access_key),
            Credentials::Token { .. } => None,
        }
    }

    /// The secret key (SK), for AK/SK credentials.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// assert_eq!(Credentials::ak_sk("AK", "my-sk").secret_key().map(|s| s.expose()), Some("my-sk"));
    /// assert!(Credentials::token("t").secret_key().is_none());
    /// ```
    pub fn secret_key(&self) -> Option<&Secret> {
        match self {
            Credentials::AkSk { secret_key, .. } => Some(secret_key),
            Credentials::Token { .. } => None,
        }
    }

    /// The security token, for temporary AK/SK credentials.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// let temporary = Credentials::ak_sk("AK", "sk").with_security_token("sts");
    /// assert_eq!(temporary.security_token().map(|t| t.expose()), Some("sts"));
    /// ```
    pub fn security_token(&self) -> Option<&Secret> {
        match self {
            Credentials::AkSk { security_token, .. } => security_token.as_ref(),
            Credentials::Token { .. } => None,
        }
    }

    /// The credentials and project id of the default chain (see the [module docs](self)),
    /// read from the process environment.
    ///
    /// ```no_run
    /// let resolved = dds_sessions::Credentials::from_env()?;
    /// println!("credentials from {}", resolved.source);
    /// # Ok::<(), dds_sessions::Error>(())
    /// ```
    ///
    /// ```
    /// // Whatever the environment holds, an error never contains a secret.
    /// if let Err(error) = dds_sessions::Credentials::from_env() {
    ///     assert!(error.to_string().starts_with("configuration:"));
    /// }
    /// ```
    pub fn from_env() -> Result<ResolvedCredentials> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// The default chain (see the [module docs](self)), with `lookup` in place of the process
    /// environment; `HOME` is looked up through it too. Use it in tests, or to read settings
    /// from elsewhere.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    ///
    /// let env = |name: &str| (name == "HUAWEICLOUD_AUTH_TOKEN").then(|| "MIIe-token".to_string());
    /// let resolved = Credentials::from_env_with(env)?;
    /// assert!(matches!(resolved.credentials, Credentials::Token { .. }));
    ///
    /// let error = Credentials::from_env_with(|_| None).unwrap_err();
    /// assert!(error.to_string().contains("HUAWEICLOUD_AUTH_TOKEN"));
    /// # Ok::<(), dds_sessions::Error>(())
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<ResolvedCredentials> {
        let var = |name: &str| {
            lookup(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let env_project_id = var(PROJECT_ID_ENV);
        let file = credentials_file(&var);

        let from_env = match (var(AK_ENV), var(SK_ENV)) {
            (Some(access_key), Some(secret_key)) => Some(Credentials::AkSk {
                access_key,
                secret_key: secret_key.into(),
                security_token: var(SECURITY_TOKEN_ENV).map(Secret::from),
            }),
            (Some(_), None) => return Err(half_pair_in_env(AK_ENV, SK_ENV)),
            (None, Some(_)) => return Err(half_pair_in_env(SK_ENV, AK_ENV)),
            (None, None) => var(TOKEN_ENV).map(Credentials::token),
        };
        if let Some(credentials) = from_env {
            let project_id = env_project_id.or_else(|| {
                let (path, _) = file.as_ref()?;
                project_id_from(path)
            });
            return Ok(ResolvedCredentials {
                credentials,
                project_id,
                source: CredentialSource::Environment,
            });
        }

        let Some((path, origin)) = file else {
            return Err(nothing_found(&format!(
                "the credentials file (not looked for: neither {FILE_ENV} nor HOME is set)"
            )));
        };
        let Some(ini) = read_ini(&path)? else {
            return Err(nothing_found(&format!(
                "the credentials file {}{origin} (not found)",
                path.display()
            )));
        };
        let (credentials, file_project_id) = from_ini(&path, &ini)?;
        Ok(ResolvedCredentials {
            credentials,
            project_id: env_project_id.or(file_project_id),
            source: CredentialSource::CredentialsFile(path),
        })
    }

    /// The credentials and project id of the `[basic]` section of the credentials file at
    /// `path`. The environment is not consulted.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// use dds_sessions::auth::credentials::CredentialSource;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("credentials");
    /// std::fs::write(&path, "[basic]\nak = MY-AK\nsk = my-sk\nproject_id = 0123abcd\n").unwrap();
    /// let resolved = Credentials::from_file(&path)?;
    /// assert_eq!(resolved.credentials.access_key(), Some("MY-AK"));
    /// assert_eq!(resolved.project_id.as_deref(), Some("0123abcd"));
    /// assert_eq!(resolved.source, CredentialSource::CredentialsFile(path.clone()));
    ///
    /// let missing = Credentials::from_file(&dir.path().join("nope")).unwrap_err();
    /// assert!(missing.to_string().contains("does not exist"));
    /// # Ok::<(), dds_sessions::Error>(())
    /// ```
    pub fn from_file(path: &Path) -> Result<ResolvedCredentials> {
        let Some(ini) = read_ini(path)? else {
            return Err(Error::config(format!(
                "the credentials file {} does not exist; create it with a [basic] section \
                 holding ak = ... and sk = ..., or give another path",
                path.display()
            )));
        };
        let (credentials, project_id) = from_ini(path, &ini)?;
        Ok(ResolvedCredentials {
            credentials,
            project_id,
            source: CredentialSource::CredentialsFile(path.to_path_buf()),
        })
    }
}

/// Credentials with the project id that came with them, and where they came from.
///
/// ```
/// use dds_sessions::Credentials;
/// use dds_sessions::auth::credentials::{CredentialSource, ResolvedCredentials};
///
/// let resolved = ResolvedCredentials::explicit(Credentials::token("t"), Some("0123abcd".into()));
/// assert_eq!(resolved.project_id.as_deref(), Some("0123abcd"));
/// assert_eq!(resolved.source, CredentialSource::Explicit);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ResolvedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// The project id, if one was found.
    pub project_id: Option<String>,
    /// Where the credentials came from.
    pub source: CredentialSource,
}

impl ResolvedCredentials {
    /// Credentials given by the program, with their project id.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// use dds_sessions::auth::credentials::ResolvedCredentials;
    /// let resolved = ResolvedCredentials::explicit(Credentials::ak_sk("AK", "sk"), None);
    /// assert!(resolved.project_id.is_none());
    /// ```
    pub fn explicit(credentials: Credentials, project_id: Option<String>) -> Self {
        ResolvedCredentials {
            credentials,
            project_id,
            source: CredentialSource::Explicit,
        }
    }
}

impl From<Credentials> for ResolvedCredentials {
    /// Explicit credentials without a project id.
    ///
    /// ```
    /// use dds_sessions::Credentials;
    /// use dds_sessions::auth::credentials::{CredentialSource, ResolvedCredentials};
    /// let resolved = ResolvedCredentials::from(Credentials::token("t"));
    /// assert_eq!(resolved.source, CredentialSource::Explicit);
    /// ```
    fn from(credentials: Credentials) -> Self {
        ResolvedCredentials::explicit(credentials, None)
    }
}

/// Where credentials came from.
///
/// ```
/// use dds_sessions::auth::credentials::CredentialSource;
/// assert_eq!(CredentialSource::Environment.to_string(), "the environment");
/// assert_eq!(
///     CredentialSource::CredentialsFile("/root/.huaweicloud/credentials".into()).to_string(),
///     "the credentials file /root/.huaweicloud/credentials"
/// );
/// assert_eq!(CredentialSource::Explicit.to_string(), "the program");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Environment variables (`HUAWEICLOUD_SDK_AK`/`HUAWEICLOUD_SDK_SK` or
    /// `HUAWEICLOUD_AUTH_TOKEN`).
    Environment,
    /// The `[basic]` section of this credentials file.
    CredentialsFile(PathBuf),
    /// Given by the program.
    Explicit,
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Environment => f.write_str("the environment"),
            CredentialSource::CredentialsFile(path) => {
                write!(f, "the credentials file {}", path.display())
            }
            CredentialSource::Explicit => f.write_str("the program"),
        }
    }
}

/// The credentials file's path, and how it was chosen (text for error messages).
fn credentials_file(var: &dyn Fn(&str) -> Option<String>) -> Option<(PathBuf, &'static str)> {
    if let Some(path) = var(FILE_ENV) {
        return Some((
            PathBuf::from(path),
            " (from HUAWEICLOUD_SDK_CREDENTIALS_FILE)",
        ));
    }
    let home = var("HOME");
    #[cfg(windows)]
    let home = home.or_else(|| var("USERPROFILE"));
    Some((
        Path::new(&home?).join(".huaweicloud").join("credentials"),
        "",
    ))
}

fn half_pair_in_env(set: &str, unset: &str) -> Error {
    Error::config(format!(
        "{set} is set in the environment but {unset} is not; set both, or unset {set} \
         to use another source of credentials"
    ))
}

fn nothing_found(file: &str) -> Error {
    Error::config(format!(
        "no credentials found: looked for {AK_ENV}/{SK_ENV} and {TOKEN_ENV} in the environment, \
         and {file}; set {AK_ENV} and {SK_ENV}, or {TOKEN_ENV}, or write ak and sk under \
         [basic] in the credentials file"
    ))
}

/// Reads and parses the credentials file; `None` if it does not exist. Warns (once) when group
/// or others may access it.
fn read_ini(path: &Path) -> Result<Option<Ini>> {
    let mut text = String::new();
    let read = File::open(path).and_then(|mut file| {
        file.read_to_string(&mut text)?;
        file.metadata()
    });
    let text = Secret::new(text);
    match read {
        Ok(metadata) => warn_if_exposed(path, &metadata),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Error::config(format!(
                "cannot read the credentials file {}: {error}; make it a readable file, or \
                 point {FILE_ENV} at one",
                path.display()
            )));
        }
    }
    let ini = parse_ini(text.expose()).map_err(|error| {
        Error::config(format!(
            "the credentials file {} is malformed at line {}: {}; fix that line (the file \
             holds a [basic] section with lines ak = ... and sk = ...)",
            path.display(),
            error.line,
            error.problem
        ))
    })?;
    Ok(Some(ini))
}

/// The credentials and project id of a parsed credentials file's `[basic]` section.
fn from_ini(path: &Path, ini: &Ini) -> Result<(Credentials, Option<String>)> {
    let path = path.display();
    let Some(basic) = ini.get("basic") else {
        return Err(Error::config(format!(
            "the credentials file {path} has no [basic] section; add one with lines \
             ak = ... and sk = ..."
        )));
    };
    let value = |key: &str| basic.get(key).filter(|value| !value.expose().is_empty());
    let credentials = match (value("ak"), value("sk")) {
        (Some(ak), Some(sk)) => Credentials::AkSk {
            access_key: ak.expose().to_owned(),
            secret_key: sk.clone(),
            security_token: value("security_token").cloned(),
        },
        (Some(_), None) => return Err(half_pair_in_file(&path, "ak", "sk")),
        (None, Some(_)) => return Err(half_pair_in_file(&path, "sk", "ak")),
        (None, None) => {
            return Err(Error::config(format!(
                "the credentials file {path} has a [basic] section without ak and sk; \
                 add both"
            )));
        }
    };
    let project_id = value("project_id").map(|id| id.expose().to_owned());
    Ok((credentials, project_id))
}

fn half_pair_in_file(path: &dyn fmt::Display, set: &str, unset: &str) -> Error {
    Error::config(format!(
        "the credentials file {path} sets {set} but not {unset} in [basic]; add {unset}, \
         or remove {set}"
    ))
}

/// The `[basic]` `project_id` of the credentials file, if it can be read and parsed; problems
/// are only logged, since the credentials came from elsewhere.
fn project_id_from(path: &Path) -> Option<String> {
    match read_ini(path) {
        Ok(ini) => {
            let id = ini?.get("basic")?.get("project_id")?.expose().to_owned();
            (!id.is_empty()).then_some(id)
        }
        Err(error) => {
            tracing::debug!("credentials file ignored for the project id: {error}");
            None
        }
    }
}

#[cfg(unix)]
fn warn_if_exposed(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    static WARNED: std::sync::Once = std::sync::Once::new();
    if let Some(warning) = exposure_warning(path, metadata.permissions().mode()) {
        WARNED.call_once(|| tracing::warn!("{warning}"));
    }
}

#[cfg(not(unix))]
fn warn_if_exposed(_path: &Path, _metadata: &std::fs::Metadata) {}

/// The warning for a credentials file of this mode, if group or others may access it.
#[cfg(unix)]
fn exposure_warning(path: &Path, mode: u32) -> Option<String> {
    (mode & 0o077 != 0).then(|| {
        format!(
            "the credentials file {path} can be accessed by group or others (mode {mode:03o}); \
             restrict it with `chmod 600 {path}`",
            path = path.display(),
            mode = mode & 0o777
        )
    })
}

/// A parsed INI document: section → key → value, section names and keys in lowercase. Keys
/// before the first section header are in the section `""`. Values are [`Secret`]s so that
/// neither a `Debug` of the document nor its drop leaks them.
pub(crate) type Ini = BTreeMap<String, BTreeMap<String, Secret>>;

/// Why a line of an INI document was refused. Holds the line number, never its text (it may hold
/// a secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IniError {
    /// The line, counting from 1.
    pub(crate) line: usize,
    /// What is wrong with it.
    pub(crate) problem: &'static str,
}

/// Parses an INI document: `[section]` headers, `key = value` lines, and comment lines starting
/// with `#` or `;`. Whitespace around names, keys and values is ignored, as is a byte-order mark.
/// A value loses one pair of surrounding quotes (`"` or `'`), else an inline comment (`#` or `;`
/// after whitespace). A later key overrides an earlier one; repeated sections merge. Any other
/// line is an error. Never panics.
pub(crate) fn parse_ini(text: &str) -> std::result::Result<Ini, IniError> {
    let mut ini = Ini::new();
    let mut section = String::new();
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let error = |problem| IniError {
            line: index + 1,
            problem,
        };
        let line = line.trim();
        if is_comment_or_empty(line) {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let (name, rest) = header
                .split_once(']')
                .ok_or(error("a section header without its closing `]`"))?;
            if !is_comment_or_empty(rest) {
                return Err(error("text after a section header"));
            }
            if name.trim().is_empty() {
                return Err(error("a section header without a name"));
            }
            section = name.trim().to_ascii_lowercase();
            ini.entry(section.clone()).or_default();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or(error("expected `[section]`, `key = value` or a comment"))?;
        if key.trim().is_empty() {
            return Err(error("a `=` without a key before it"));
        }
        ini.entry(section.clone()).or_default().insert(
            key.trim().to_ascii_lowercase(),
            Secret::new(value_of(value)),
        );
    }
    Ok(ini)
}

fn is_comment_or_empty(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.starts_with(['#', ';'])
}

/// A value without surrounding whitespace and one pair of quotes, or else its inline comment.
fn value_of(raw: &str) -> &str {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some((value, rest)) = raw.strip_prefix(quote).and_then(|r| r.split_once(quote))
            && is_comment_or_empty(rest)
        {
            return value;
        }
    }
    let mut after_space = false;
    for (at, c) in raw.char_indices() {
        if after_space && matches!(c, '#' | ';') {
            return raw[..at].trim_end();
        }
        after_space = c.is_whitespace();
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Vec<(String, String, String)>, IniError> {
        let ini = parse_ini(text)?;
        Ok(ini
            .into_iter()
            .flat_map(|(section, keys)| {
                keys.into_iter()
                    .map(move |(k, v)| (section.clone(), k, v.expose().to_owned()))
            })
            .collect())
    }

    fn entries(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(s, k, v)| (s.to_string(), k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn ini_accepts_the_usual_forms() {
        type Entries = &'static [(&'static str, &'static str, &'static str)];
        let cases: &[(&str, Entries)] = &[
            ("", &[]),
            ("# only a comment\n; another\n\n   \n", &[]),
            (
                "[basic]\nak=A\nsk=B\n",
                &[("basic", "ak", "A"), ("basic", "sk", "B")],
            ),
            ("  [ Basic ]  \n  AK  =  A  \r\n", &[("basic", "ak", "A")]),
            ("\u{feff}[basic]\nak = A", &[("basic", "ak", "A")]),
            (
                "[basic]\nak = \"A B\"\nsk = 'C'\n",
                &[("basic", "ak", "A B"), ("basic", "sk", "C")],
            ),
            (
                "[basic]\nak = \"A # B\" # comment\n",
                &[("basic", "ak", "A # B")],
            ),
            (
                "[basic]\nak = A # comment\nsk = B;C ; other\n",
                &[("basic", "ak", "A"), ("basic", "sk", "B;C")],
            ),
            ("[basic]\nak = \"A\n", &[("basic", "ak", "\"A")]),
            ("[basic]\nak = a=b==\n", &[("basic", "ak", "a=b==")]),
            ("[basic]\nak =\n", &[("basic", "ak", "")]),
            ("[basic] # the default\nak = A\n", &[("basic", "ak", "A")]),
            ("top = 1\n[basic]\n", &[("", "top", "1")]),
            (
                "[basic]\nak = A\n[other]\nak = X\n[basic]\nak = B\n",
                &[("basic", "ak", "B"), ("other", "ak", "X")],
            ),
            ("[empty]\n", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(entries(expected)), "{text:?}");
        }
        assert!(parse_ini("[empty]\n").unwrap().contains_key("empty"));
    }

    #[test]
    fn ini_refuses_other_lines_by_number_without_echoing_them() {
        let cases: &[(&str, usize)] = &[
            ("[basic]\nak = A\nSECRETLINE\n", 3),
            ("[basic\nak = A\n", 1),
            ("[]\n", 1),
            ("[basic] extra\n", 1),
            ("[basic]\n= value\n", 2),
            ("\n\n  just words  \n", 3),
        ];
        for (text, line) in cases {
            let error = parse_ini(text).unwrap_err();
            assert_eq!(error.line, *line, "{text:?}");
            assert!(!format!("{error:?}").contains("SECRETLINE"));
        }
    }

    #[test]
    fn ini_debug_redacts_values() {
        let ini = parse_ini("[basic]\nsk = UNIT-SK-VALUE\n").unwrap();
        assert!(!format!("{ini:?}").contains("UNIT-SK-VALUE"));
    }

    #[cfg(unix)]
    #[test]
    fn exposure_warning_names_the_file_and_the_fix() {
        let path = Path::new("/home/u/.huaweicloud/credentials");
        assert_eq!(exposure_warning(path, 0o100600), None);
        assert_eq!(exposure_warning(path, 0o100400), None);
        let warning = exposure_warning(path, 0o100644).unwrap();
        assert!(
            warning.contains("/home/u/.huaweicloud/credentials"),
            "{warning}"
        );
        assert!(warning.contains("644"), "{warning}");
        assert!(
            warning.contains("chmod 600 /home/u/.huaweicloud/credentials"),
            "{warning}"
        );
        assert!(exposure_warning(path, 0o604).is_some());
        assert!(exposure_warning(path, 0o640).is_some());
    }

    #[test]
    fn env_values_are_trimmed_and_empty_ones_unset() {
        let env = |name: &str| match name {
            AK_ENV => Some("  AK \n".to_string()),
            SK_ENV => Some(" sk ".to_string()),
            SECURITY_TOKEN_ENV => Some("   ".to_string()),
            TOKEN_ENV => Some("token".to_string()),
            PROJECT_ID_ENV => Some(String::new()),
            _ => None,
        };
        let resolved = Credentials::from_env_with(env).unwrap();
        assert_eq!(resolved.credentials.access_key(), Some("AK"));
        assert_eq!(resolved.credentials.secret_key().unwrap().expose(), "sk");
        assert!(resolved.credentials.security_token().is_none());
        assert_eq!(resolved.project_id, None);

        let only_empty = |name: &str| (name == AK_ENV).then(String::new);
        let error = Credentials::from_env_with(only_empty).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("configuration: no credentials found")
        );
    }

    #[test]
    fn without_home_the_file_is_reported_as_not_looked_for() {
        let error = Credentials::from_env_with(|_| None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("not looked for"), "{error}");
        assert!(
            error.contains(FILE_ENV) && error.contains("HOME"),
            "{error}"
        );
    }

    #[test]
    fn file_errors_never_echo_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        for text in [
            "[basic]\nak = UNIT-AK\nUNIT-SECRET-LINE\n",
            "[basic]\nsk = UNIT-SECRET-SK\n",
            "[basic]\nak = UNIT-AK\n",
            "[other]\nsk = UNIT-SECRET-SK\n",
        ] {
            std::fs::write(&path, text).unwrap();
            let error = Credentials::from_file(&path).unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains("UNIT-SECRET"), "{shown}");
                assert!(!shown.contains("UNIT-AK"), "{shown}");
                assert!(shown.contains(&path.display().to_string()), "{shown}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ini_parser_never_panics(text in proptest::prelude::any::<String>()) {
            let _ = parse_ini(&text);
        }

        #[test]
        fn ini_parser_never_panics_on_ini_like_text(
            text in "([\\[\\]=#;\"' \t\r\n\u{feff}a-zA-Z0-9ü]{0,12}\n?){0,12}"
        ) {
            if let Err(error) = parse_ini(&text) {
                proptest::prop_assert!(error.line >= 1 && error.line <= text.lines().count());
            }
        }
    }
}
