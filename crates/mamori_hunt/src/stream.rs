//! Messages one at a time, as a syslog receiver hears them: routers, firewalls and servers on
//! the same port, so the format is judged per message, and each source keeps its own line state
//! (year-less timestamps, open sshd sessions).

use std::collections::HashMap;

use mamori_model::SourceRef;
use mamori_model::event::LogEvent;

use crate::syslog::{self, LineState, TimeContext};
use crate::{asa, fortigate};

/// Turns received messages into events.
pub struct MessageMapper {
    tc: TimeContext,
    states: HashMap<String, LineState>,
}

impl MessageMapper {
    /// A mapper that places year-less timestamps with `tc`.
    pub fn new(tc: TimeContext) -> Self {
        Self {
            tc,
            states: HashMap::new(),
        }
    }

    /// The events of one message from `source` (each with the attempts it stands for); `false`
    /// when the message is of no format mamori reads.
    pub fn map(
        &mut self,
        source: &str,
        message: &str,
        origin: SourceRef,
        emit: &mut dyn FnMut(LogEvent, u32),
    ) -> bool {
        let line = message.trim_end_matches(['\r', '\n']);
        if fortigate::looks_like(line) {
            if let Some(e) = fortigate::map_line(line, &self.tc, origin) {
                emit(e, 1);
            }
            return true;
        }
        if asa::looks_like(line) {
            if let Some(e) = asa::map_line(line, &self.tc, origin) {
                emit(e, 1);
            }
            return true;
        }
        let state = match self.states.get_mut(source) {
            Some(s) => s,
            None => self.states.entry(source.to_owned()).or_default(),
        };
        let Some(header) = syslog::parse_header_cached(line, &self.tc, &mut state.minutes) else {
            return false;
        };
        syslog::map_message_in(&header, origin, state, emit);
        true
    }

    /// Sources with line state kept (for a receiver's memory watch).
    pub fn sources(&self) -> usize {
        self.states.len()
    }
}
