//! Gateway configuration backups → configuration trees, secrets masked as they are read.
//!
//! Status (issue 5): FortiOS backups are parsed (`fortios`); Cisco ASA and YAMAHA RTX parsers
//! and the `gateway.*` checks that read these trees are not built yet.

pub mod fortios;
