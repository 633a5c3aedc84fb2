//! `mamori watch`, the parts that are not networking: the raw archive of what was received,
//! the detections run live over it, and the alerts they raise. The receiver (`mamori_watch`)
//! hands each message here; nothing here opens a socket.

mod archive;
mod live;

pub use archive::{Archive, ArchiveError};
pub use live::{Alert, LiveDetection, Silence};
