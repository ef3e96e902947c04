//! Any path and query as the signer's input: canonical forms hold only unreserved characters
//! and escapes, and canonicalising them again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Option<&str>)| {
    let (path, query) = input;
    let (uri, canonical_query) = dds_sessions::fuzzing::canonicalise(path, query);
    assert!(uri.ends_with('/'));
    assert!(
        uri.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~%/".contains(&b))
    );
    assert!(
        canonical_query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~%=&".contains(&b))
    );
    let (uri_again, query_again) =
        dds_sessions::fuzzing::canonicalise(&uri, Some(&canonical_query));
    assert_eq!(uri_again, uri);
    assert_eq!(query_again, canonical_query);
});
