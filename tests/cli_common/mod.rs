//! Runs the built `dds-sessions` binary in a controlled environment: no inherited
//! `HUAWEICLOUD_*` or `RUST_LOG`, `HOME` a fresh temporary directory (so a real
//! `~/.huaweicloud` is never read), `PATH` kept.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use dds_sessions::mock::MockServer;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_dds-sessions");
/// A project id of the real shape.
pub const PROJECT: &str = "619d3e78f61b4be68bc5aa0b59edcf7b";
/// A node id of the real shape.
pub const NODE: &str = "520c58ba00a3497e97ce0b9604874dd6no02";
/// The IAM token the mocks accept.
pub const TOKEN: &str = "MIIcli-test-token-Zq8vR2";
/// The access key the mocks accept.
pub const AK: &str = "HPUAEXAMPLEAK000001";
/// The secret key of [`AK`].
pub const SK: &str = "cli-test-secret-key-Xw3pT9";

/// One run of the binary, to configure and start.
#[derive(Clone, Debug, Default)]
pub struct Run {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    home: Option<PathBuf>,
}

/// How a run ended.
#[derive(Debug)]
pub struct Output {
    /// The exit status (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Standard output as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Asserts the exit status, showing everything printed if it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit status; {self:#?}");
        self
    }
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The strings of a JSON array.
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

impl Run {
    /// The binary with these arguments.
    pub fn new<S: AsRef<str>>(args: impl IntoIterator<Item = S>) -> Run {
        Run {
            args: args.into_iter().map(|a| a.as_ref().to_string()).collect(),
            ..Run::default()
        }
    }

    /// The binary against `mock`: `--endpoint` its URL, the token and the project id in the
    /// environment, then `args`.
    pub fn against<S: AsRef<str>>(mock: &MockServer, args: impl IntoIterator<Item = S>) -> Run {
        Run::new(["--endpoint", mock.url()])
            .args(args)
            .env("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
            .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
    }

    /// More arguments.
    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Run {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// An environment variable (replacing one set before).
    pub fn env(mut self, name: &str, value: &str) -> Run {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Without this environment variable.
    pub fn env_remove(mut self, name: &str) -> Run {
        self.env.retain(|(n, _)| n != name);
        self
    }

    /// This on standard input (else it is empty).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(input.into());
        self
    }

    /// This directory as `HOME` (else a fresh empty one).
    pub fn home(mut self, home: &Path) -> Run {
        self.home = Some(home.to_path_buf());
        self
    }

    /// The command, environment controlled, streams piped.
    fn command(&self, home: &Path) -> Command {
        let mut command = Command::new(BIN);
        command.args(&self.args).env_clear().env("HOME", home);
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs to the end, blocking.
    pub fn run_blocking(self) -> Output {
        let fresh = tempfile::tempdir().expect("a temporary HOME");
        let home = self
            .home
            .clone()
            .unwrap_or_else(|| fresh.path().to_path_buf());
        let mut child = self.command(&home).spawn().expect("the binary starts");
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = self.stdin.unwrap_or_default();
        // A child that stops reading early must not wedge the test.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("the binary runs");
        let _ = writer.join();
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs to the end on a blocking thread, so the mock keeps serving meanwhile.
    pub async fn run(self) -> Output {
        tokio::task::spawn_blocking(move || self.run_blocking())
            .await
            .expect("the run finishes")
    }

    /// Starts a long-running child (the `mock` command); its `HOME` lives as long as it.
    pub fn spawn(self) -> Spawned {
        let home = tempfile::tempdir().expect("a temporary HOME");
        let mut command = self.command(home.path());
        command.stdin(Stdio::null());
        let mut child = command.spawn().expect("the binary starts");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Spawned {
            child,
            stdout,
            _home: home,
        }
    }
}

/// A child still running.
pub struct Spawned {
    /// The process.
    pub child: Child,
    stdout: BufReader<std::process::ChildStdout>,
    _home: tempfile::TempDir,
}

impl Spawned {
    /// The next line of standard output, without its newline (blocks until it comes).
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("stdout is readable");
        line.trim_end().to_string()
    }

    /// Sends SIGTERM (through `kill`, by process id) and waits for the end; returns the exit
    /// status and standard error.
    pub fn terminate(mut self) -> (Option<i32>, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !sent {
            let _ = self.child.kill();
        }
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let status = self.child.wait().expect("the child ends");
        (status.code(), stderr)
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        // Only reached when a test failed before terminate(): do not leave the child behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
