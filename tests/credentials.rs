//! The credentials chain through the public API: environment, token, credentials file, project
//! id, errors, and that no secret ever shows in any output.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dds_sessions::auth::credentials::{CredentialSource, ResolvedCredentials};
use dds_sessions::{Credentials, Secret};

/// Every secret in these tests contains this, so one search finds any leak.
const CANARY: &str = "LEAK-CANARY";
const SK: &str = "SK-LEAK-CANARY-1";
const TOKEN: &str = "TOKEN-LEAK-CANARY-2";
const STS: &str = "STS-LEAK-CANARY-3";

const BASIC: &str = "[basic]\nak = FILE-AK\nsk = SK-LEAK-CANARY-1\nproject_id = file-project\n";
const DEFAULT_FILE: &str = "home/.huaweicloud/credentials";

#[derive(Debug)]
enum Expect {
    AkSk(&'static str, Option<&'static str>),
    Token,
    /// Fragments the error message must contain; `{dir}` stands for the test's directory.
    Error(&'static [&'static str]),
}

#[derive(Debug)]
enum Source {
    Env,
    /// A file, relative to the test's directory.
    File(&'static str),
}

struct Case {
    name: &'static str,
    /// Variables; `{dir}` in a value stands for the test's directory.
    env: &'static [(&'static str, &'static str)],
    /// Files to create, relative to the test's directory.
    files: &'static [(&'static str, &'static str)],
    expect: Expect,
    source: Source,
    project_id: Option<&'static str>,
}

const AK_SK_ENV: &[(&str, &str)] = &[
    ("HUAWEICLOUD_SDK_AK", "ENV-AK"),
    ("HUAWEICLOUD_SDK_SK", SK),
    ("HOME", "{dir}/home"),
];

fn cases() -> Vec<Case> {
    use Expect::*;
    let case = |name, env, files, expect, source, project_id| Case {
        name,
        env,
        files,
        expect,
        source,
        project_id,
    };
    vec![
        case(
            "ak/sk from env",
            AK_SK_ENV,
            &[],
            AkSk("ENV-AK", None),
            Source::Env,
            None,
        ),
        case(
            "ak/sk and security token from env",
            &[
                ("HUAWEICLOUD_SDK_AK", "ENV-AK"),
                ("HUAWEICLOUD_SDK_SK", SK),
                ("HUAWEICLOUD_SDK_SECURITY_TOKEN", STS),
            ],
            &[],
            AkSk("ENV-AK", Some(STS)),
            Source::Env,
            None,
        ),
        case(
            "ak only is an error",
            &[
                ("HUAWEICLOUD_SDK_AK", "ENV-AK"),
                ("HUAWEICLOUD_AUTH_TOKEN", TOKEN),
                ("HOME", "{dir}/home"),
            ],
            &[(DEFAULT_FILE, BASIC)],
            Error(&[
                "HUAWEICLOUD_SDK_AK is set",
                "HUAWEICLOUD_SDK_SK is not",
                "set both",
            ]),
            Source::Env,
            None,
        ),
        case(
            "sk only is an error",
            &[
                ("HUAWEICLOUD_SDK_SK", SK),
                ("HUAWEICLOUD_AUTH_TOKEN", TOKEN),
            ],
            &[],
            Error(&["HUAWEICLOUD_SDK_SK is set", "HUAWEICLOUD_SDK_AK is not"]),
            Source::Env,
            None,
        ),
        case(
            "token from env",
            &[("HUAWEICLOUD_AUTH_TOKEN", TOKEN)],
            &[],
            Token,
            Source::Env,
            None,
        ),
        case(
            "ak/sk env wins over token env",
            &[
                ("HUAWEICLOUD_SDK_AK", "ENV-AK"),
                ("HUAWEICLOUD_SDK_SK", SK),
                ("HUAWEICLOUD_AUTH_TOKEN", TOKEN),
            ],
            &[],
            AkSk("ENV-AK", None),
            Source::Env,
            None,
        ),
        case(
            "token env wins over the file",
            &[("HUAWEICLOUD_AUTH_TOKEN", TOKEN), ("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, BASIC)],
            Token,
            Source::Env,
            Some("file-project"),
        ),
        case(
            "file at the HOME default path",
            &[("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, BASIC)],
            AkSk("FILE-AK", None),
            Source::File(DEFAULT_FILE),
            Some("file-project"),
        ),
        case(
            "file named by HUAWEICLOUD_SDK_CREDENTIALS_FILE wins over HOME",
            &[
                ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "{dir}/custom.ini"),
                ("HOME", "{dir}/home"),
            ],
            &[
                (
                    "custom.ini",
                    "[basic]\nak = CUSTOM-AK\nsk = SK-LEAK-CANARY-1\n",
                ),
                (DEFAULT_FILE, BASIC),
            ],
            AkSk("CUSTOM-AK", None),
            Source::File("custom.ini"),
            None,
        ),
        case(
            "empty env values count as unset",
            &[
                ("HUAWEICLOUD_SDK_AK", ""),
                ("HUAWEICLOUD_SDK_SK", "  "),
                ("HUAWEICLOUD_AUTH_TOKEN", ""),
                ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", ""),
                ("HUAWEICLOUD_SDK_PROJECT_ID", ""),
                ("HOME", "{dir}/home"),
            ],
            &[(DEFAULT_FILE, BASIC)],
            AkSk("FILE-AK", None),
            Source::File(DEFAULT_FILE),
            Some("file-project"),
        ),
        case(
            "nothing anywhere lists all three",
            &[("HOME", "{dir}/home")],
            &[],
            Error(&[
                "no credentials found",
                "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK",
                "HUAWEICLOUD_AUTH_TOKEN",
                "the credentials file {dir}/home/.huaweicloud/credentials (not found)",
                "set ",
            ]),
            Source::Env,
            None,
        ),
        case(
            "a named file that does not exist",
            &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "{dir}/missing.ini")],
            &[],
            Error(&[
                "no credentials found",
                "{dir}/missing.ini (from HUAWEICLOUD_SDK_CREDENTIALS_FILE) (not found)",
            ]),
            Source::Env,
            None,
        ),
        case(
            "a directory is unreadable",
            &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "{dir}")],
            &[],
            Error(&["cannot read the credentials file {dir}:"]),
            Source::Env,
            None,
        ),
        case(
            "a path under a file is unreadable",
            &[(
                "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                "{dir}/plain/credentials",
            )],
            &[("plain", "not a directory")],
            Error(&["cannot read the credentials file {dir}/plain/credentials:"]),
            Source::Env,
            None,
        ),
        case(
            "a malformed file",
            &[("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, "[basic]\nak = FILE-AK\nSK-LEAK-CANARY-1\n")],
            Error(&[
                "the credentials file {dir}/home/.huaweicloud/credentials is malformed at line 3",
            ]),
            Source::Env,
            None,
        ),
        case(
            "a file without [basic]",
            &[("HOME", "{dir}/home")],
            &[(
                DEFAULT_FILE,
                "[default]\nak = FILE-AK\nsk = SK-LEAK-CANARY-1\n",
            )],
            Error(&["{dir}/home/.huaweicloud/credentials has no [basic] section"]),
            Source::Env,
            None,
        ),
        case(
            "[basic] without ak and sk",
            &[("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, "[basic]\nproject_id = p\n")],
            Error(&["{dir}/home/.huaweicloud/credentials has a [basic] section without ak and sk"]),
            Source::Env,
            None,
        ),
        case(
            "ak without sk in the file",
            &[("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, "[basic]\nak = FILE-AK\nsk =\n")],
            Error(&["{dir}/home/.huaweicloud/credentials sets ak but not sk"]),
            Source::Env,
            None,
        ),
        case(
            "sk without ak in the file",
            &[("HOME", "{dir}/home")],
            &[(DEFAULT_FILE, "[basic]\nsk = SK-LEAK-CANARY-1\n")],
            Error(&["{dir}/home/.huaweicloud/credentials sets sk but not ak"]),
            Source::Env,
            None,
        ),
        case(
            "security token from the file; the env one is not mixed in",
            &[
                ("HOME", "{dir}/home"),
                ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ENV-STS"),
            ],
            &[(
                DEFAULT_FILE,
                "[BASIC]\nAK = FILE-AK\nSK = \"SK-LEAK-CANARY-1\"\nsecurity_token = STS-LEAK-CANARY-3 # temporary\n",
            )],
            AkSk("FILE-AK", Some(STS)),
            Source::File(DEFAULT_FILE),
            None,
        ),
        case(
            "project id: env wins over the file",
            &[
                ("HOME", "{dir}/home"),
                ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
            ],
            &[(DEFAULT_FILE, BASIC)],
            AkSk("FILE-AK", None),
            Source::File(DEFAULT_FILE),
            Some("env-project"),
        ),
        case(
            "project id: env credentials take the file's",
            AK_SK_ENV,
            &[(DEFAULT_FILE, BASIC)],
            AkSk("ENV-AK", None),
            Source::Env,
            Some("file-project"),
        ),
        case(
            "project id: env credentials ignore a broken file",
            AK_SK_ENV,
            &[(
                DEFAULT_FILE,
                "[basic]\nproject_id = file-project\ngarbage\n",
            )],
            AkSk("ENV-AK", None),
            Source::Env,
            None,
        ),
        case(
            "project id: env credentials ignore an unreadable file",
            &[
                ("HUAWEICLOUD_AUTH_TOKEN", TOKEN),
                ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "{dir}"),
            ],
            &[],
            Token,
            Source::Env,
            None,
        ),
        case(
            "project id: env credentials and env project id",
            &[
                ("HUAWEICLOUD_SDK_AK", "ENV-AK"),
                ("HUAWEICLOUD_SDK_SK", SK),
                ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
                ("HOME", "{dir}/home"),
            ],
            &[(DEFAULT_FILE, BASIC)],
            AkSk("ENV-AK", None),
            Source::Env,
            Some("env-project"),
        ),
    ]
}

/// Writes `text` to `path` with mode 600, creating the parent directories.
fn write_private(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// Every way a result can be shown, for leak checks.
fn renderings(result: &dds_sessions::Result<ResolvedCredentials>) -> Vec<String> {
    match result {
        Ok(resolved) => vec![
            format!("{resolved:?}"),
            format!("{resolved:#?}"),
            format!("{:?}", resolved.credentials),
            format!("{:?}", resolved.credentials.secret_key()),
            format!("{:?}", resolved.credentials.security_token()),
            resolved.source.to_string(),
        ],
        Err(error) => vec![
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ],
    }
}

#[test]
fn the_chain() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        for (path, text) in case.files {
            write_private(&dir.path().join(path), text);
        }
        let lookup = |name: &str| {
            let (_, value) = case.env.iter().find(|(key, _)| *key == name)?;
            Some(value.replace("{dir}", root))
        };
        let result = Credentials::from_env_with(lookup);
        for shown in renderings(&result) {
            assert!(
                !shown.contains(CANARY),
                "{}: a secret leaked: {shown}",
                case.name
            );
        }

        if let Expect::Error(fragments) = case.expect {
            let message = result.expect_err(case.name).to_string();
            assert!(
                message.starts_with("configuration: "),
                "{}: {message}",
                case.name
            );
            for fragment in fragments {
                let fragment = fragment.replace("{dir}", root);
                assert!(
                    message.contains(&fragment),
                    "{}: {message:?} lacks {fragment:?}",
                    case.name
                );
            }
            continue;
        }
        let resolved = result.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        match (&case.expect, &resolved.credentials) {
            (Expect::Token, Credentials::Token { token }) => assert_eq!(token.expose(), TOKEN),
            (
                Expect::AkSk(ak, sts),
                Credentials::AkSk {
                    access_key,
                    secret_key,
                    security_token,
                },
            ) => {
                assert_eq!(access_key, ak, "{}", case.name);
                assert_eq!(secret_key.expose(), SK, "{}", case.name);
                assert_eq!(
                    security_token.as_ref().map(Secret::expose),
                    *sts,
                    "{}",
                    case.name
                );
            }
            (expected, got) => panic!("{}: expected {expected:?}, got {got:?}", case.name),
        }
        let source = match case.source {
            Source::Env => CredentialSource::Environment,
            Source::File(path) => CredentialSource::CredentialsFile(dir.path().join(path)),
        };
        assert_eq!(resolved.source, source, "{}", case.name);
        assert_eq!(
            resolved.project_id.as_deref(),
            case.project_id,
            "{}",
            case.name
        );
    }
}

#[test]
fn from_file_reads_only_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    write_private(
        &path,
        "# Huawei Cloud\n[global]\nak = OTHER\n\n[basic]\nak = FILE-AK ; the key\nsk = 'SK-LEAK-CANARY-1'\n",
    );
    let resolved = Credentials::from_file(&path).unwrap();
    assert_eq!(resolved.credentials.access_key(), Some("FILE-AK"));
    assert_eq!(
        resolved.credentials.secret_key().map(Secret::expose),
        Some(SK)
    );
    assert_eq!(resolved.project_id, None);
    assert_eq!(
        resolved.source,
        CredentialSource::CredentialsFile(path.clone())
    );

    let missing = dir.path().join("missing");
    let error = Credentials::from_file(&missing).unwrap_err().to_string();
    assert!(
        error.contains(&format!("{} does not exist", missing.display())),
        "{error}"
    );
    let error = Credentials::from_file(dir.path()).unwrap_err().to_string();
    assert!(
        error.contains("cannot read the credentials file"),
        "{error}"
    );
}

#[test]
fn constructors_and_accessors() {
    let credentials = Credentials::ak_sk("AK", SK);
    assert_eq!(credentials.access_key(), Some("AK"));
    assert_eq!(credentials.secret_key().map(Secret::expose), Some(SK));
    assert!(credentials.security_token().is_none());
    let temporary = credentials.clone().with_security_token(String::from(STS));
    assert_eq!(temporary.security_token().map(Secret::expose), Some(STS));

    let token = Credentials::token(Secret::new(TOKEN)).with_security_token(STS);
    assert!(token.access_key().is_none() && token.secret_key().is_none());
    assert!(token.security_token().is_none());

    let explicit = ResolvedCredentials::explicit(temporary, Some("p".into()));
    assert_eq!(explicit.source, CredentialSource::Explicit);
    assert_eq!(explicit.project_id.as_deref(), Some("p"));
    let from: ResolvedCredentials = token.into();
    assert_eq!(
        (from.source, from.project_id),
        (CredentialSource::Explicit, None)
    );
}

#[test]
fn no_public_type_shows_a_secret() {
    let values = [
        Secret::new(SK),
        Secret::from(TOKEN),
        Secret::from(String::from(STS)),
    ];
    let credentials = [
        Credentials::token(TOKEN),
        Credentials::ak_sk("AK", SK),
        Credentials::ak_sk("AK", SK).with_security_token(STS),
    ];
    let mut shown: Vec<String> = Vec::new();
    for secret in &values {
        shown.extend([
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
        ]);
    }
    for c in &credentials {
        let resolved = ResolvedCredentials::explicit(c.clone(), Some("p".into()));
        shown.extend([
            format!("{c:?}"),
            format!("{c:#?}"),
            format!("{resolved:?}"),
            format!("{resolved:#?}"),
        ]);
    }
    for text in &shown {
        assert!(!text.contains(CANARY), "{text}");
    }
    assert!(format!("{:?}", credentials[1]).contains("AK"));
}

#[test]
fn from_env_reads_the_process_environment_without_panicking() {
    // The real environment is whatever it is; only the shape of a failure is checked.
    if let Err(error) = Credentials::from_env() {
        assert!(error.to_string().starts_with("configuration: "), "{error}");
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The only test of this binary that creates a file group or others can read, so that it sees the
/// once-per-process warning (every other file here is written with mode 600).
#[cfg(unix)]
#[test]
fn an_exposed_file_warns_once_and_logs_no_secret() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("credentials");
    std::fs::write(
        &path,
        "[basic]\nak = FILE-AK\nsk = SK-LEAK-CANARY-1\nsecurity_token = STS-LEAK-CANARY-3\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let broken = dir.path().join("broken");
    write_private(&broken, "[basic]\nSK-LEAK-CANARY-1\n");

    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        Credentials::from_file(&path).unwrap();
        Credentials::from_file(&path).unwrap();
        let env = |name: &str| match name {
            "HUAWEICLOUD_AUTH_TOKEN" => Some(TOKEN.to_string()),
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE" => Some(broken.display().to_string()),
            _ => None,
        };
        Credentials::from_env_with(env).unwrap();
    });

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains(CANARY), "{log}");
    let warning = format!("chmod 600 {}", path.display());
    assert_eq!(log.matches(&warning).count(), 1, "{log}");
    assert!(log.contains("WARN"), "{log}");
    assert!(
        log.contains(&format!("{} is malformed at line 2", broken.display())),
        "{log}"
    );
}

proptest::proptest! {
    #[test]
    fn any_file_content_is_handled_without_panic_or_leak(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                "[a-z_\\[\\]=#;\"' \t]{0,16}",
                proptest::strategy::Just("[basic]".to_string()),
                proptest::strategy::Just("ak = file-ak".to_string()),
                proptest::strategy::Just("security_token = \"SK-LEAK-CANARY-1\"".to_string()),
            ],
            0..8,
        ),
        at in 0usize..8,
    ) {
        // The canary is upper case and cannot come out of the random lines, so it can only be
        // shown by leaking a secret value.
        let mut lines = lines;
        lines.insert(at.min(lines.len()), format!("sk = {SK}"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        write_private(&path, lines.join("\n"));
        let result = Credentials::from_file(&path);
        for shown in renderings(&result) {
            proptest::prop_assert!(!shown.contains(CANARY), "{}", shown);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        write_private(&path, bytes);
        let _ = Credentials::from_file(&path);
    }
}
