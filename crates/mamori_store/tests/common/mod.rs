//! Locating the shared real-world test data (`../shared/data`, see SOURCES.md there).

#![allow(clippy::print_stderr, dead_code)]

use std::path::PathBuf;

/// The path under `../shared/data`, or `None` (with a visible message) when it is absent.
/// With `CI=true` absence is a failure.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared test data missing in CI: {}", path.display());
    }
    eprintln!("SKIPPED: shared test data not found: {}", path.display());
    None
}
