//! Any bytes as a `ListSessions` body: a page or an error message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    match dds_sessions::fuzzing::list_page(body) {
        Ok(page) => assert!(page.total_count <= i32::MAX as u64),
        Err(message) => assert!(!message.is_empty()),
    }
});
