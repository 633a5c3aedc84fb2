//! One syslog line's header and the event every message of it starts from: shared by the
//! syslog reader and the programs whose messages it hands on (sshd), so that neither has to
//! reach into the other.

use mamori_model::SourceRef;
use mamori_model::event::{EventKind, LogEvent, Outcome};

/// The parts of a syslog line that matter here.
#[derive(Debug, PartialEq)]
pub struct Header<'a> {
    /// When, if the line says it (and the year could be placed).
    pub time: Option<jiff::Timestamp>,
    /// The host that logged it.
    pub host: &'a str,
    /// Program name without the pid: `sshd`, `sudo`.
    pub program: &'a str,
    /// The process id from `sshd[1234]` (RFC 5424 PROCID), or empty.
    pub pid: &'a str,
    /// The message after the header.
    pub message: &'a str,
}

/// The event a message of this line starts from: its time and host, and `what` produced it.
pub(crate) fn base(
    h: &Header,
    kind: EventKind,
    outcome: Outcome,
    origin: SourceRef,
    what: &str,
) -> LogEvent {
    let mut e = LogEvent::new(kind, outcome, origin);
    e.time = h.time;
    e.host = h.host.to_owned();
    e.source_event = what.to_owned();
    e
}
