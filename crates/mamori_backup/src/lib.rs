//! Backup destinations as they are, not as the ledger says: `mamori backup scan` and `assess`
//! walk a folder or mounted share, read a few blocks of each file (never a whole file), and
//! report its generations, its newest backup, and the marks ransomware leaves — files whose
//! content does not match their name, encrypted-looking text, ransomware extensions, ransom
//! notes — plus a manifest to compare with the next scan.

#![warn(missing_docs)]

pub mod generations;
pub mod names;
pub mod scan;
pub mod sniff;

pub use generations::Repository;
pub use scan::{DestinationScan, ManifestEntry, ScanOptions, scan_destination};
pub use sniff::Suspicion;
