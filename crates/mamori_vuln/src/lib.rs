#![warn(missing_docs)]

//! Vulnerability intelligence, offline: CISA KEV, NVD CVE records, JVN iPedia and EPSS read
//! from files; CPE 2.3 names and NISTIR 7696 matching; vendor version notations; the ledger →
//! CPE mapping; and matching a site's devices against what is loaded.
//!
//! Pure: no SQL (the store keeps the records), no terminal, no findings (the `vuln.*` checks in
//! `mamori_checks` turn matches into findings).

pub mod blocklist;
pub mod cpe;
pub mod db;
pub mod epss;
pub mod feeds;
pub mod jvn;
pub mod kev;
pub mod matcher;
pub mod nvd;
pub mod products;
pub mod record;
pub mod sources;
pub mod version;

pub use db::{FeedSource, How, Loaded, Match, VulnDb};
pub use feeds::{FeedFile, FeedKind, Item};
