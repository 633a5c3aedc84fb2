//! The detections of `hunt`, run as messages arrive: each message through the per-source
//! mapper into one fold that every rule reads ([`Detectors`]); a flush as time passes gives the
//! findings, of which
//! only new ones (or ones quiet for a day) become alerts — a spray of 10,000 attempts is one.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use mamori_hunt::detect::{Detectors, HuntConfig, RULES};
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
    detectors: Detectors<'static>,
    /// Finding id → when it was last seen in a flush (and whether it was alerted).
    seen: HashMap<String, Timestamp>,
    /// The latest event time seen: the detections' clock (a log replayed or delayed keeps its
    /// own time; a quiet night forgets nothing it would still need).
    latest: Option<Timestamp>,
    /// Messages taken.
    pub messages: u64,
    /// Messages of no format mamori reads (kept in the archive all the same).
    pub unrecognised: u64,
    /// Silence: when each sender was last heard (receive time), those reported silent, the
    /// ledger's gateways (address, name), and when listening began.
    last_heard: HashMap<String, Timestamp>,
    reported_silent: std::collections::HashSet<String>,
    gateways: Vec<(String, String)>,
    silent_after: SignedDuration,
    started: Option<Timestamp>,
}

/// What the live detections need of the site beyond the thresholds.
pub struct Silence {
    /// `[watch] silent_hours`.
    pub after: SignedDuration,
    /// The ledger's gateways and VPN devices with an address: (address, name).
    pub gateways: Vec<(String, String)>,
}

impl Silence {
    /// From the site: its `[watch] silent_hours` and the boundary devices of the 機器台帳.
    pub fn of(site: &mamori_model::site::Site) -> Self {
        let gateways = site
            .assets
            .iter()
            .filter(|a| {
                a.kind
                    .is_some_and(mamori_model::site::AssetKind::is_boundary)
                    && !a.ip.trim().is_empty()
            })
            .map(|a| (a.ip.trim().to_owned(), a.name.clone()))
            .collect();
        Self {
            after: SignedDuration::from_hours(site.config.watch.silent_hours),
            gateways,
        }
    }
}

impl LiveDetection {
    /// Detections with the site's thresholds (`site.toml`), placing year-less timestamps in
    /// Tokyo time around `today`.
    pub fn new(config: HuntConfig, today: jiff::civil::Date, silence: Silence) -> Self {
        // One configuration for the life of the process: the detectors borrow it.
        let config: &'static HuntConfig = Box::leak(Box::new(config));
        let tc = TimeContext {
            zone: crate::tokyo(),
            reference: today,
        };
        Self {
            mapper: MessageMapper::new(tc),
            detectors: Detectors::new(RULES, config),
            seen: HashMap::new(),
            latest: None,
            messages: 0,
            unrecognised: 0,
            last_heard: HashMap::new(),
            reported_silent: std::collections::HashSet::new(),
            gateways: silence.gateways,
            silent_after: silence.after,
            started: None,
        }
    }

    /// Takes one message from `source`, received at `at`; `origin` names where it is archived.
    pub fn observe(&mut self, source: &str, at: Timestamp, message: &str, origin: SourceRef) {
        self.messages += 1;
        match self.last_heard.get_mut(source) {
            Some(t) => *t = at,
            None => {
                self.last_heard.insert(source.to_owned(), at);
            }
        }
        self.reported_silent.remove(source);
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
                // Folded once, with its count, when some rule reads its kind.
                detectors.observe_ref(&event, repeat);
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
        for finding in self.detectors.flush(self.latest) {
            let fresh = match self.seen.get(&finding.id) {
                None => true,
                Some(last) => now.duration_since(*last) > REALERT_AFTER,
            };
            self.seen.insert(finding.id.clone(), now);
            if fresh {
                alerts.push(Alert { finding, at: now });
            }
        }
        // Forget findings quiet for longer than the re-alert time: they would alert anew.
        self.seen
            .retain(|_, last| now.duration_since(*last) <= REALERT_AFTER);
        alerts.extend(
            self.silence(now)
                .into_iter()
                .map(|finding| Alert { finding, at: now }),
        );
        alerts
    }

    /// `log.source-silent`: senders quiet for `silent_after`, and gateways never heard once
    /// listening has gone on that long; each reported once per silence.
    fn silence(&mut self, now: Timestamp) -> Vec<Finding> {
        use mamori_hunt::detect::source_silent::{never_sent, silent};
        let started = *self.started.get_or_insert(now);
        let mut out = Vec::new();
        for (source, last) in &self.last_heard {
            if now.duration_since(*last) > self.silent_after
                && self.reported_silent.insert(source.clone())
            {
                out.push(silent(source, *last, now, self.silent_after));
            }
        }
        if now.duration_since(started) > self.silent_after {
            for (ip, name) in &self.gateways {
                if !self.last_heard.contains_key(ip) && self.reported_silent.insert(ip.clone()) {
                    out.push(never_sent(ip, name, started));
                }
            }
        }
        out
    }

    /// Groups of events kept for the detections (memory watch).
    pub fn kept(&self) -> usize {
        self.detectors.kept()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_gone_quiet_and_a_gateway_never_heard_are_reported_once() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let silence = Silence {
            after: SignedDuration::from_hours(6),
            gateways: vec![
                ("192.0.2.1".into(), "FW-01".into()),
                ("192.0.2.2".into(), "RT-05".into()),
            ],
        };
        let mut live = LiveDetection::new(
            HuntConfig::default(),
            jiff::civil::date(2026, 12, 30),
            silence,
        );
        let origin = || SourceRef::row("logs/received/x.log", 1);
        assert!(
            live.flush(t("2026-12-30T00:00:00Z")).is_empty(),
            "listening starts"
        );
        live.observe(
            "192.0.2.1",
            t("2026-12-30T00:10:00Z"),
            "<34>Dec 30 09:10:00 fw x: y",
            origin(),
        );
        live.observe(
            "10.0.0.5",
            t("2026-12-30T00:20:00Z"),
            "<34>Dec 30 09:20:00 srv x: y",
            origin(),
        );
        assert!(
            live.flush(t("2026-12-30T05:00:00Z")).is_empty(),
            "five hours: not yet"
        );
        let alerts = live.flush(t("2026-12-30T06:30:00Z"));
        let mut keys: Vec<&str> = alerts
            .iter()
            .map(|a| a.finding.subject.key.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["10.0.0.5", "192.0.2.1", "192.0.2.2"],
            "two silent senders and RT-05 never heard"
        );
        assert!(
            alerts
                .iter()
                .all(|a| a.finding.rule_id == "log.source-silent")
        );
        assert!(
            live.flush(t("2026-12-30T07:00:00Z")).is_empty(),
            "once per silence"
        );
        // Heard again, then silent again: a new alert.
        live.observe("192.0.2.1", t("2026-12-30T07:10:00Z"), "x", origin());
        assert!(live.flush(t("2026-12-30T08:00:00Z")).is_empty());
        assert_eq!(live.flush(t("2026-12-30T13:20:00Z")).len(), 1);
    }
}
