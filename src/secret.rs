//! [`Secret`]: a string that never shows itself in `Debug`, `Display`, logs or errors.

use std::fmt;

/// A secret string: a secret key (SK), an IAM token or a security token.
///
/// `Debug` and `Display` both print `** redacted **`, so a `Secret` can sit in any struct that
/// is logged or formatted. [`Secret::expose`] is the only way to read the value.
///
/// Equality compares the bytes in constant time for values of the same length (only the length
/// can leak through timing).
///
/// On drop the bytes are overwritten with zeros (the whole allocation, spare capacity included).
/// This is best effort, done without `unsafe`: copies made before the value became a `Secret`
/// (the environment, a file buffer, a `String` that reallocated while it grew) are not wiped, and
/// nor are copies made by whoever calls [`Secret::expose`].
///
/// ```
/// use dds_sessions::Secret;
/// let sk = Secret::new("my-secret-key");
/// assert_eq!(format!("{sk:?}"), "** redacted **");
/// assert_eq!(sk.to_string(), "** redacted **");
/// assert_eq!(sk.expose(), "my-secret-key");
/// assert_eq!(sk.clone(), sk);
/// ```
#[derive(Clone)]
pub struct Secret(String);

/// What `Debug` and `Display` print instead of the value.
const REDACTED: &str = "** redacted **";

impl Secret {
    /// Wraps `value`.
    ///
    /// ```
    /// let token = dds_sessions::Secret::new(String::from("MIIe...token"));
    /// assert_eq!(token.expose(), "MIIe...token");
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. This is the only way to read it: call it where the value is used
    /// (signing a request, setting a header), and never format or log what it returns.
    ///
    /// ```
    /// let sk = dds_sessions::Secret::new("s3cr3t");
    /// assert_eq!(sk.expose().len(), 6);
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    /// Prints `** redacted **`.
    ///
    /// ```
    /// assert_eq!(format!("{:?}", dds_sessions::Secret::new("s3cr3t")), "** redacted **");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    /// Prints `** redacted **`.
    ///
    /// ```
    /// assert_eq!(dds_sessions::Secret::new("s3cr3t").to_string(), "** redacted **");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Constant time for values of the same length.
    ///
    /// ```
    /// use dds_sessions::Secret;
    /// assert_eq!(Secret::new("a"), Secret::new("a"));
    /// assert_ne!(Secret::new("a"), Secret::new("b"));
    /// ```
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    /// ```
    /// let sk: dds_sessions::Secret = String::from("s3cr3t").into();
    /// assert_eq!(sk.expose(), "s3cr3t");
    /// ```
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    /// ```
    /// let sk: dds_sessions::Secret = "s3cr3t".into();
    /// assert_eq!(sk.expose(), "s3cr3t");
    /// ```
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        wipe(&mut bytes);
    }
}

/// Overwrites every byte of `bytes`' allocation, spare capacity included, with zeros;
/// `black_box` keeps the compiler from dropping the writes as dead stores.
fn wipe(bytes: &mut Vec<u8>) {
    bytes.clear();
    bytes.resize(bytes.capacity(), 0);
    std::hint::black_box(bytes.as_slice());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_value() {
        let secret = Secret::new("UNIT-SECRET-VALUE-42");
        for text in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{:?}", Some(secret.clone())),
            format!("{:>40}", secret),
        ] {
            assert!(!text.contains("UNIT-SECRET"), "{text}");
            assert!(text.contains("** redacted **"), "{text}");
        }
    }

    #[test]
    fn conversions_and_equality() {
        assert_eq!(Secret::from("x"), Secret::from(String::from("x")));
        assert_eq!(Secret::new("x").expose(), "x");
        assert_ne!(Secret::new("x"), Secret::new("xy"));
        assert_ne!(Secret::new("xy"), Secret::new("xz"));
        assert_eq!(Secret::new(""), Secret::new(""));
        assert_eq!(Secret::new("ü").expose(), "ü");
    }

    #[test]
    fn wipe_zeroes_the_whole_allocation() {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(b"secret bytes");
        let capacity = bytes.capacity();
        wipe(&mut bytes);
        assert_eq!(bytes.len(), capacity);
        assert!(bytes.iter().all(|&b| b == 0));
        let mut empty = Vec::new();
        wipe(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn drop_of_clones_and_empty_values_is_fine() {
        let secret = Secret::new("abc");
        let copy = secret.clone();
        drop(secret);
        assert_eq!(copy.expose(), "abc");
        drop(Secret::new(""));
    }
}
