//! One module per page. Each handler reads the store or the site as last read, calls
//! `mamori_app` for anything that changes data, and renders a template.

pub mod audit;
pub mod backup;
pub mod checklist;
pub mod dashboard;
pub mod findings;
pub mod holiday;
pub mod incident;
pub mod ledgers;
pub mod login;
pub mod run;
pub mod vuln;
