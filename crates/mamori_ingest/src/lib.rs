//! Sources → records.
//!
//! Every parser here follows one contract: it never panics on bad input and never stops at the
//! first bad record. It returns the records it could read plus a list of what it could not,
//! each naming the file, row, column and value. Text is decoded at this edge (UTF-8 or CP932);
//! nothing downstream sees raw bytes or re-reads a file.

#![warn(missing_docs)]

pub mod configs;
pub mod decode;
pub mod files;
pub mod nmap;
pub mod site;
mod toml_text;
pub mod value;

pub use mamori_model::input::{InputError, InputSummary, SkippedInput};
pub use site::{SiteLoad, add_table, load_site};
