//! The application layer: every pipeline of mamori assembled in one place, as functions that
//! take options and return data.
//!
//! Nothing here prints, picks an exit code or formats a report: the `mamori` binary parses
//! arguments, calls these functions and renders what they return, and a web handler or the
//! syslog receiver can call the same functions without copying a line. Data flows one way —
//! sources (`mamori_ingest`, `mamori_hunt`, `mamori_vuln`) → checks (`mamori_checks`) →
//! findings → store (`mamori_store`) → the result types here, which `mamori_report` renders.
//! "Now" comes from a [`Clock`]; the site folder's layout from [`SiteFolder`].

#![warn(missing_docs)]

pub mod access;
pub mod ad;
pub mod assess;
pub mod backup;
pub mod checklist;
mod clock;
pub mod gateway;
pub mod holiday;
pub mod hunt;
pub mod incident;
pub mod init;
pub mod intel;
pub mod mail;
pub mod records;
mod reporter;
pub mod rules;
mod site_folder;
pub mod vuln;
pub mod vuln_import;
pub mod vuln_update;
pub mod watch;

pub use clock::{Clock, today_in_tokyo, tokyo};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename, so
/// a crash never leaves half a report, workbook or timeline behind.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
pub use reporter::{Reporter, Silent};
pub use site_folder::SiteFolder;
