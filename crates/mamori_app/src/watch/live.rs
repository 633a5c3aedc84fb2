//! The detections of `hunt`, run as messages arrive: each message through the per-source
//! mapper into every rule's [`Detector`]; a flush as time passes gives the findings, of which
//! only new ones (or ones quiet for a day) become alerts — a spray of 10,000 attempts is one.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use mamori_hunt::detect::{Detector, HuntConfig, RULES};
use mamori_hunt::stream::MessageMapper;
use mamori_hunt::syslog::TimeContext;
use mamori_model::{Finding, SourceRef};

/// A finding raised again after this long without being seen is a new alert.
const REALERT_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// One alert: the finding, and whether it was raised before (a new episode of it).
#[derive(Clone, Debug)]
pub struct Alert {
    /// The finding as the detection gives it now.
    pub finding: Finding,
    /// When it was raised.
    pub at: Timestamp,
}

/// Every log detection, fed one message at a time.
pub struct LiveDetection {
    mapper: MessageMapper,
    detectors: Vec<Detector<'static>>,
    /// Finding id → when it was last seen in a flush (and whether it was alerted).
    seen: HashMap<String, Timestamp>,
    /// The latest event time seen: the detections' clock (a log replayed or delayed keeps its
    /// own time; a quiet night forgets nothing it would still need).
    latest: Option<Timestamp>,
    /// Messages taken.
    pub messages: u64,
    /// Messages of no format mamori reads (kept in the archive all the same).
    pub unrecognised: u64,
}

impl LiveDetection {
    /// Detections with the site's thresholds (`site.toml`), placing year-less timestamps in
    /// Tokyo time around `today`.
    pub fn new(config: HuntConfig, today: jiff::civil::Date) -> Self {
        // One configuration for the life of the process: the detectors borrow it.
        let config: &'static HuntConfig = Box::leak(Box::new(config));
        let tc = TimeContext {
            zone: crate::tokyo(),
            reference: today,
        };
        Self {
            mapper: MessageMapper::new(tc),
            detectors: RULES
                .iter()
                .map(|rule| Detector::new(rule, config))
                .collect(),
            seen: HashMap::new(),
            latest: None,
            messages: 0,
            unrecognised: 0,
        }
    }

    /// Takes one message from `source`; `origin` names where it is archived.
    pub fn observe(&mut self, source: &str, message: &str, origin: SourceRef) {
        self.messages += 1;
        let detectors = &mut self.detectors;
        let latest = &mut self.latest;
        let known = self
            .mapper
            .map(source, message, origin, &mut |event, repeat| {
                if let Some(t) = event.time
                    && latest.is_none_or(|l| t > l)
                {
                    *latest = Some(t);
                }
                for _ in 1..repeat {
                    for d in detectors.iter_mut() {
                        d.observe(event.clone());
                    }
                }
                for d in detectors.iter_mut() {
                    d.observe(event.clone());
                }
            });
        if !known {
            self.unrecognised += 1;
        }
    }

    /// The alerts due at `now`: findings not alerted before, or not seen for a day. Events
    /// older than each rule's window before the latest event are forgotten, so memory stays
    /// bounded.
    pub fn flush(&mut self, now: Timestamp) -> Vec<Alert> {
        let mut alerts = Vec::new();
        for d in &mut self.detectors {
            for finding in d.flush(self.latest) {
                let fresh = match self.seen.get(&finding.id) {
                    None => true,
                    Some(last) => now.duration_since(*last) > REALERT_AFTER,
                };
                self.seen.insert(finding.id.clone(), now);
                if fresh {
                    alerts.push(Alert { finding, at: now });
                }
            }
        }
        // Forget findings quiet for longer than the re-alert time: they would alert anew.
        self.seen
            .retain(|_, last| now.duration_since(*last) <= REALERT_AFTER);
        alerts
    }

    /// Events kept by all detectors (memory watch).
    pub fn kept(&self) -> usize {
        self.detectors.iter().map(Detector::kept).sum()
    }
}
