//! Snapshots of what build.rs generates from the spec: progenitor's client and types
//! (`generated.rs`) and the constants taken from the spec (`spec_constants.rs`).
//!
//! A change to the spec, to build.rs or to progenitor's version changes the public API; these
//! tests make that change visible in review. When it is intended, refresh the snapshots with
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test --test generated_snapshot
//! ```
//!
//! and commit `tests/snapshots/` with the change. Nothing is normalised: the generated files
//! hold no path or other machine-specific text (`generated_files_hold_nothing_machine_specific`
//! makes sure), so every target directory generates the same bytes.

use std::path::PathBuf;

const REFRESH: &str = "UPDATE_SNAPSHOTS=1 cargo test --test generated_snapshot";

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/generated.rs"));
const SPEC_CONSTANTS: &str = include_str!(concat!(env!("OUT_DIR"), "/spec_constants.rs"));

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `current` with `tests/snapshots/{name}`, or writes it there when updating.
fn check_snapshot(name: &str, current: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if updating() {
        std::fs::create_dir_all(path.parent().expect("a parent"))
            .and_then(|()| std::fs::write(&path, current))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let snapshot = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the snapshot {}: {e}\nCreate it with: {REFRESH}",
            path.display()
        )
    });
    if snapshot == current {
        return;
    }
    let (line, was, now) = first_difference(&snapshot, current);
    panic!(
        "the generated {name} differs from its snapshot {} (first at line {line}):\n\
         \x20 snapshot:  {was}\n\
         \x20 generated: {now}\n\
         If the change is intended, refresh the snapshot with\n\
         \x20 {REFRESH}\n\
         and review it with `git diff tests/snapshots/`.",
        path.display()
    );
}

/// The 1-based number of the first line where `a` and `b` differ, and the two lines there.
fn first_difference<'a>(a: &'a str, b: &'a str) -> (usize, &'a str, &'a str) {
    let (mut a_lines, mut b_lines) = (a.lines(), b.lines());
    for line in 1.. {
        match (a_lines.next(), b_lines.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return (line, "(only line endings differ)", ""),
            (x, y) => {
                return (
                    line,
                    x.unwrap_or("(end of file)"),
                    y.unwrap_or("(end of file)"),
                );
            }
        }
    }
    unreachable!()
}

#[test]
fn generated_client_matches_snapshot() {
    check_snapshot("generated.rs", GENERATED);
}

#[test]
fn spec_constants_match_snapshot() {
    check_snapshot("spec_constants.rs", SPEC_CONSTANTS);
}

#[test]
fn generated_files_hold_nothing_machine_specific() {
    let machine_specific = [
        ("the crate's directory", env!("CARGO_MANIFEST_DIR")),
        ("OUT_DIR", env!("OUT_DIR")),
        ("a home directory", "/home/"),
        ("a root home directory", "/root/"),
        ("cargo's registry", ".cargo/registry"),
    ];
    for (file, text) in [
        ("generated.rs", GENERATED),
        ("spec_constants.rs", SPEC_CONSTANTS),
    ] {
        for (what, needle) in machine_specific {
            assert!(
                !text.contains(needle),
                "{file} names {what} (`{needle}`): strip it before snapshotting"
            );
        }
    }
}

#[test]
fn first_difference_points_at_the_changed_line() {
    assert_eq!(first_difference("a\nb\nc\n", "a\nB\nc\n"), (2, "b", "B"));
    assert_eq!(first_difference("a\n", "a\nb\n"), (2, "(end of file)", "b"));
    assert_eq!(
        first_difference("a\n", "a\r\n"),
        (2, "(only line endings differ)", "")
    );
}
