//! Any text as a `~/.huaweicloud/credentials` file: sections or an error naming a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(message) = dds_sessions::fuzzing::credentials_file(text) {
        assert!(message.starts_with("line "));
    }
});
