//! Any bytes as an error body: the parser never fails and never panics, and whatever is not
//! empty leaves a code or a message to show.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let (code, message, _request_id) = dds_sessions::fuzzing::error_body(body);
    if !body.trim_ascii().is_empty() {
        assert!(code.is_some() || message.is_some());
    }
});
