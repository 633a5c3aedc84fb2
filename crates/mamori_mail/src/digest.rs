//! SHA-256 in lowercase hexadecimal: the key of a mail without a Message-ID and the hash of
//! each attachment (what VirusTotal and a vendor's advisory quote).

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes`, lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
