#![warn(missing_docs)]

//! The vocabulary every part of mamori speaks.
//!
//! Data flows one way: sources → parsers → records ([`site`]) → checks → [`Finding`]s → store →
//! reports. This crate holds the types on that path and nothing that does IO: no files, no SQL,
//! no terminal. The measures catalog and the MHLW checklist items are embedded data
//! ([`catalog`]), so every finding can point back to the notice it serves.

pub mod access;
pub mod answers;
pub mod backup;
pub mod calendar;
pub mod catalog;
pub mod directory;
pub mod discovery;
pub mod event;
pub mod evidence;
pub mod finding;
pub mod gateway;
pub mod incident;
pub mod input;
pub mod lang;
pub mod programme;
pub mod rule;
pub mod site;

pub use evidence::{CveDetail, Entities};
pub use finding::{Evidence, Finding, Severity, SourceRef, Subject, SubjectKind};
pub use lang::{Lang, Localized, Refusal, Text, tr};
pub use rule::RuleInfo;
