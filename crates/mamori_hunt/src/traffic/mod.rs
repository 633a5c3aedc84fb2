//! Traffic logs — DNS queries, connections, proxy and web requests — read into a
//! [`TrafficSummary`]: per internal host and destination, the first and last time, the count
//! and the minutes it was seen. The `net.*` rules ([`rules`]) read the summary.
//!
//! Traffic is not folded into `LogEvent`s like logons: a DNS server logs millions of queries a
//! day, and what the rules need is which host went where, when, how often — a summary that
//! grows with the number of distinct host–destination pairs and minutes, not with the lines.

pub mod formats;
pub mod rules;

use std::net::IpAddr;

use jiff::Timestamp;
use mamori_model::SourceRef;
use rustc_hash::FxHashMap;

pub use formats::{Layout, Parsed, RecordKind, TrafficFormat, TrafficRecord};

/// Minutes kept per pair (a month of every minute); beyond it the pair still counts.
const MAX_MINUTES: usize = 45_000;

/// Where traffic went.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Destination {
    /// A host name (a DNS query, a proxy request).
    Name(String),
    /// An address (a connection).
    Address(IpAddr),
}

impl Destination {
    /// The name or the address as text.
    pub fn text(&self) -> String {
        match self {
            Destination::Name(n) => n.clone(),
            Destination::Address(a) => a.to_string(),
        }
    }
}

/// One host's traffic to one destination.
#[derive(Clone, Debug)]
pub struct PairStats {
    /// DNS, connection or web.
    pub kind: RecordKind,
    /// Records.
    pub count: u64,
    /// Each minute it was seen (minutes since 1970) with the records in it, in order.
    pub minutes: Vec<(u32, u32)>,
    /// A port connected to (the first seen).
    pub port: Option<u16>,
    /// The client came from outside (a web server's visitor).
    pub inbound: bool,
    /// The first line it was read from.
    pub origin: SourceRef,
}

impl PairStats {
    /// The first minute seen.
    pub fn first(&self) -> Option<Timestamp> {
        self.minutes.first().and_then(|(m, _)| minute_time(*m))
    }

    /// The last minute seen.
    pub fn last(&self) -> Option<Timestamp> {
        self.minutes.last().and_then(|(m, _)| minute_time(*m))
    }

    fn add_minute(&mut self, minute: Option<u32>) {
        let Some(m) = minute else { return };
        let room = self.minutes.len() < MAX_MINUTES;
        match self.minutes.last_mut() {
            Some((last, n)) if *last == m => *n += 1,
            _ if room => self.minutes.push((m, 1)),
            _ => {}
        }
    }

    fn merge(&mut self, other: PairStats) {
        self.count += other.count;
        self.minutes.extend(other.minutes);
        self.minutes.sort_unstable_by_key(|(m, _)| *m);
        self.minutes.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        self.minutes.truncate(MAX_MINUTES);
        self.port = self.port.or(other.port);
    }
}

fn minute_of(t: Option<Timestamp>) -> Option<u32> {
    t.and_then(|t| u32::try_from(t.as_second().div_euclid(60)).ok())
}

/// The timestamp of a minute since 1970.
pub fn minute_time(m: u32) -> Option<Timestamp> {
    Timestamp::from_second(i64::from(m) * 60).ok()
}

/// Every host–destination pair of the traffic read.
#[derive(Clone, Debug, Default)]
pub struct TrafficSummary {
    /// Per (internal host, destination).
    pub pairs: FxHashMap<(Option<IpAddr>, Destination), PairStats>,
    /// Records read.
    pub records: u64,
}

impl TrafficSummary {
    /// Adds one record: its name and its address are each a destination.
    pub fn add(&mut self, record: &TrafficRecord, origin: impl Fn() -> SourceRef) {
        self.records += 1;
        let kind = record.kind.unwrap_or(RecordKind::Connection);
        let minute = minute_of(record.time);
        let mut put = |client: Option<IpAddr>, dest: Destination| {
            let stats = self
                .pairs
                .entry((client, dest))
                .or_insert_with(|| PairStats {
                    kind,
                    count: 0,
                    minutes: Vec::new(),
                    port: record.port,
                    inbound: record.inbound,
                    origin: origin(),
                });
            stats.count += 1;
            stats.add_minute(minute);
        };
        if let Some(name) = &record.name {
            put(record.client, Destination::Name(name.clone()));
        }
        if let Some(dest) = record.dest
            && (record.name.is_none() || kind != RecordKind::Dns)
        {
            put(record.client, Destination::Address(dest));
        }
        if record.inbound
            && let Some(client) = record.client
        {
            // A visitor of a web server: judged by its own address.
            put(None, Destination::Address(client));
        }
    }

    /// Adds another summary (a later block or file).
    pub fn merge(&mut self, other: TrafficSummary) {
        self.records += other.records;
        for (key, stats) in other.pairs {
            match self.pairs.get_mut(&key) {
                Some(mine) => mine.merge(stats),
                None => {
                    self.pairs.insert(key, stats);
                }
            }
        }
    }

    /// Only what happened between `from` and `to` (the year-end log review).
    pub fn within(mut self, from: Timestamp, to: Timestamp) -> TrafficSummary {
        let (Some(lo), Some(hi)) = (minute_of(Some(from)), minute_of(Some(to))) else {
            return self;
        };
        self.pairs.retain(|_, stats| {
            stats.minutes.retain(|(m, _)| *m >= lo && *m <= hi);
            stats.count = stats.minutes.iter().map(|(_, n)| u64::from(*n)).sum();
            stats.count > 0
        });
        self.records = self.pairs.values().map(|s| s.count).sum();
        self
    }

    /// Nothing read.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(client: &str, name: &str, second: i64) -> TrafficRecord {
        TrafficRecord {
            time: Timestamp::from_second(second).ok(),
            client: client.parse().ok(),
            name: Some(name.to_owned()),
            kind: Some(RecordKind::Dns),
            ..TrafficRecord::default()
        }
    }

    #[test]
    fn pairs_count_and_keep_minutes_across_merges() {
        let origin = || SourceRef::row("dns.log", 1);
        let mut a = TrafficSummary::default();
        a.add(&record("10.0.0.5", "evil.example", 60), origin);
        a.add(&record("10.0.0.5", "evil.example", 61), origin);
        let mut b = TrafficSummary::default();
        b.add(&record("10.0.0.5", "evil.example", 600), origin);
        b.add(&record("10.0.0.6", "evil.example", 600), origin);
        a.merge(b);
        let key = (
            "10.0.0.5".parse().ok(),
            Destination::Name("evil.example".into()),
        );
        let stats = &a.pairs[&key];
        assert_eq!(
            (stats.count, stats.minutes.clone()),
            (3, vec![(1, 2), (10, 1)])
        );
        assert_eq!(a.pairs.len(), 2);
        let windowed = a.within(
            Timestamp::from_second(300).unwrap(),
            Timestamp::from_second(900).unwrap(),
        );
        assert_eq!(windowed.pairs[&key].count, 1);
        assert_eq!(windowed.records, 2);
    }
}
