//! The checks every identifier passes before it is put into a request.
//!
//! Node ids become one percent-encoded path segment, so the ones a URL parser would drop or
//! reinterpret (empty, `.`, `..`, and any holding `\`, which the generated client leaves
//! unencoded and URL parsers read as `/`) are refused, as are control characters anywhere.

use crate::{Error, Result};

/// Refuses a node id that cannot be one path segment.
pub(crate) fn node_id(id: &str) -> Result<()> {
    match id {
        "" => Err(Error::invalid_input("node_id", "must not be empty")),
        "." | ".." => Err(Error::invalid_input(
            "node_id",
            format!("`{id}` is not a node id (it would change the request path)"),
        )),
        _ if id.contains('\\') => Err(Error::invalid_input(
            "node_id",
            format!("{id:?} holds `\\`, which would be sent as `/` and change the request path"),
        )),
        _ => no_control_characters("node_id", id),
    }
}

/// Refuses an empty session id, or one with control characters (newlines included).
pub(crate) fn session_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input("session id", "must not be empty"));
    }
    no_control_characters("session id", id)
}

/// Refuses a project id that is empty or holds anything but ASCII letters, digits, `-` and `_`.
pub(crate) fn project_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input("project_id", "must not be empty"));
    }
    match id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(Error::invalid_input(
            "project_id",
            format!("{c:?} is not allowed: a project id holds letters, digits, `-` and `_` only"),
        )),
        None => Ok(()),
    }
}

fn no_control_characters(argument: &str, id: &str) -> Result<()> {
    match id.chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::invalid_input(
            argument,
            format!("{id:?} holds the control character {c:?}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids() {
        for bad in [
            "",
            ".",
            "..",
            "a\nb",
            "a\u{0}",
            "\u{7f}",
            "\\",
            "a\\b",
            "x\\..\\..\\nodes\\victim",
        ] {
            assert!(node_id(bad).is_err(), "{bad:?}");
        }
        for good in [
            "520c58ba00a3497e97ce0b9604874dd6no02",
            "...",
            "a/b",
            "node with space",
            "é",
        ] {
            assert!(node_id(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn session_ids() {
        for bad in ["", "1\n", "\t1", "a\rb"] {
            assert!(session_id(bad).is_err(), "{bad:?}");
        }
        for good in ["34631", "shard0001:12345", ".", "x y"] {
            assert!(session_id(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn project_ids() {
        for bad in ["", "a b", "a/b", "p?x", "é"] {
            assert!(project_id(bad).is_err(), "{bad:?}");
        }
        for good in ["619d3e78f61b4be68bc5aa0b59edcf7b", "proj-1_a"] {
            assert!(project_id(good).is_ok(), "{good:?}");
        }
    }
}
