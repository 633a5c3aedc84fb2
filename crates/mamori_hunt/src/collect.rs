//! Events as the detections keep them: identical events within the same minute folded into one
//! with a count.
//!
//! This is what bounds memory. An internet-facing sshd log is mostly the same few attackers
//! failing on the same few accounts, thousands of times an hour; keeping every line as an event
//! made memory grow with the input (1.3 GB for 450 MB of log). Folded, memory grows with the
//! distinct (minute, source, account, host, reason) combinations instead. Windows are then
//! measured from each group's first time: a count "within 10 minutes" may include events up to
//! one minute later than the exact sliding window would.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Deref;

use jiff::Timestamp;
use rayon::prelude::*;
use std::net::IpAddr;

use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome};

/// One event and how many identical ones followed it within its minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeated {
    /// The first of the group: its time and raw reference.
    pub event: LogEvent,
    /// How many identical events the group stands for (1 for a single event).
    pub count: u64,
    /// The time of the last of the group.
    pub last_time: Option<Timestamp>,
}

impl Deref for Repeated {
    type Target = LogEvent;
    fn deref(&self) -> &LogEvent {
        &self.event
    }
}

/// The events of a hunt, folded. Merging keeps the order of first appearance, so a set built
/// from chunks read in parallel and merged in file order equals the one read sequentially.
#[derive(Clone, Debug, Default)]
pub struct EventSet {
    groups: Vec<Repeated>,
    /// Fold-key hash → index in `groups`. A hash collision between different events is
    /// resolved by re-hashing with the next salt.
    index: HashMap<u64, usize, BuildHasherDefault<IdentityHasher>>,
    total: u64,
}

impl EventSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one event, folding it into its minute's group when an identical one is there.
    pub fn push(&mut self, event: LogEvent) {
        self.push_repeated_event(event, 1);
    }

    /// An event the source logged as repeated (`message repeated 3 times`).
    pub fn push_repeated_event(&mut self, event: LogEvent, count: u64) {
        let last_time = event.time;
        self.push_repeated(Repeated {
            event,
            count,
            last_time,
        });
    }

    /// Adds a group as it is (its count and last time), folding it into an identical one.
    pub fn push_repeated(&mut self, r: Repeated) {
        self.add_group(r);
    }

    /// [`Self::push_repeated`], saying whether the group is a new one (appended at the end).
    fn add_group(&mut self, r: Repeated) -> bool {
        self.total += r.count;
        let key = FoldKey::of(&r.event);
        let mut salt = 0u64;
        loop {
            let h = key.hash_with(salt);
            match self.index.get(&h) {
                Some(&i) if FoldKey::of(&self.groups[i].event) == key => {
                    let g = &mut self.groups[i];
                    g.count += r.count;
                    g.last_time = g.last_time.max(r.last_time);
                    if r.event.time < g.event.time {
                        // The earlier one is the group's representative.
                        let count = g.count;
                        let last_time = g.last_time;
                        *g = Repeated {
                            event: r.event,
                            count,
                            last_time,
                        };
                    }
                    return false;
                }
                Some(_) => salt += 1,
                None => {
                    self.index.insert(h, self.groups.len());
                    self.groups.push(r);
                    return true;
                }
            }
        }
    }

    /// Forgets the groups whose last event is before `from` (and those without a time): what a
    /// live detector no longer needs. The order of the rest is kept.
    pub fn forget_before(&mut self, from: Timestamp) {
        let groups = std::mem::take(&mut self.groups);
        *self = EventSet::new();
        for r in groups {
            if r.last_time.is_some_and(|t| t >= from) {
                self.push_repeated(r);
            }
        }
    }

    /// Appends `other`'s groups after this set's.
    pub fn merge(&mut self, other: EventSet) {
        if self.groups.is_empty() {
            *self = other;
            return;
        }
        for r in other.groups {
            self.push_repeated(r);
        }
    }

    /// The groups in order of first appearance: what the detections read.
    pub fn groups(&self) -> &[Repeated] {
        &self.groups
    }

    /// The groups, in order of first appearance.
    pub fn iter(&self) -> std::slice::Iter<'_, Repeated> {
        self.groups.iter()
    }

    /// No event at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Events pushed, counting repeats.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Only the events at or after `from` and before `to` (events without a time are left out:
    /// they cannot be placed in the window). A folded group is kept when its first event is in
    /// the window.
    pub fn within(self, from: Timestamp, to: Timestamp) -> EventSet {
        let mut out = EventSet::new();
        for r in self.groups {
            if r.event.time.is_some_and(|t| from <= t && t < to) {
                out.push_repeated(r);
            }
        }
        out
    }
}

/// One block's groups split by shard of the fold key, each with its place in the file
/// (block number in the high 32 bits, index in the block's set in the low ones).
type Split = Vec<Vec<(u64, Repeated)>>;

impl EventSet {
    /// Splits the groups into `shards` lists by fold key, for [`ShardedFold`].
    fn split(self, block: u64, shards: usize) -> Split {
        let mut out: Split = (0..shards).map(|_| Vec::new()).collect();
        for (i, r) in self.groups.into_iter().enumerate() {
            let shard = (FoldKey::of(&r.event).hash_with(u64::MAX) % shards as u64) as usize;
            out[shard].push(((block << 32) | i as u64, r));
        }
        out
    }
}

/// The fold of a file's blocks by several threads at once. Merging each block into one set in
/// file order is a serial chain (≈ 20 % of the work of a one-thread hunt of sshd text, a bound
/// of ≈ 4.5× on any number of cores); here an event's fold key picks a shard, each shard folds its share
/// of every block in file order on its own thread, and [`ShardedFold::finish`] puts the groups
/// back in order of first appearance. The result equals [`EventSet::merge`] of the blocks in
/// order: same groups, same representatives, same counts, same order.
pub(crate) struct ShardedFold {
    /// Each shard's groups and, beside them, where each first appeared.
    shards: Vec<(EventSet, Vec<u64>)>,
}

impl ShardedFold {
    /// `shards`: 1 folds on the calling thread as [`EventSet::merge`] does; more shards than
    /// threads keep every thread busy.
    pub fn new(shards: usize) -> Self {
        Self {
            shards: (0..shards.max(1)).map(|_| Default::default()).collect(),
        }
    }

    /// Folds the sets of consecutive blocks, given in file order with their block numbers.
    pub fn fold(&mut self, blocks: Vec<(u64, EventSet)>) {
        let n = self.shards.len();
        if n == 1 {
            for (_, set) in blocks {
                self.shards[0].0.merge(set);
            }
            return;
        }
        let splits: Vec<Split> = blocks
            .into_par_iter()
            .map(|(block, set)| set.split(block, n))
            .collect();
        let mut per_shard: Vec<Vec<Vec<(u64, Repeated)>>> = (0..n).map(|_| Vec::new()).collect();
        for split in splits {
            for (shard, list) in split.into_iter().enumerate() {
                per_shard[shard].push(list);
            }
        }
        self.shards
            .par_iter_mut()
            .zip(per_shard)
            .for_each(|((set, first_seen), lists)| {
                for (place, r) in lists.into_iter().flatten() {
                    if set.add_group(r) {
                        first_seen.push(place);
                    }
                }
            });
    }

    /// The groups of every shard, in order of first appearance: each shard's groups are in
    /// that order already, so this is a merge of sorted runs.
    pub fn finish(mut self) -> EventSet {
        if self.shards.len() == 1 {
            return self.shards.pop().map(|(set, _)| set).unwrap_or_default();
        }
        let mut runs: Vec<_> = self
            .shards
            .into_iter()
            .map(|(set, first_seen)| first_seen.into_iter().zip(set.groups).peekable())
            .collect();
        let mut heads: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize)>> = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(i, run)| run.peek().map(|(place, _)| std::cmp::Reverse((*place, i))))
            .collect();
        let mut out = EventSet::new();
        while let Some(std::cmp::Reverse((_, i))) = heads.pop() {
            if let Some((_, r)) = runs[i].next() {
                out.push_repeated(r);
            }
            if let Some((place, _)) = runs[i].peek() {
                heads.push(std::cmp::Reverse((*place, i)));
            }
        }
        out
    }
}

impl FromIterator<LogEvent> for EventSet {
    fn from_iter<I: IntoIterator<Item = LogEvent>>(iter: I) -> Self {
        let mut set = EventSet::new();
        for e in iter {
            set.push(e);
        }
        set
    }
}

/// The index is keyed by a hash already: hashing it again would be wasted work.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What makes two events the same for folding: everything but the exact time (the minute
/// stays) and the raw reference.
#[derive(Hash)]
struct FoldKey<'a> {
    minute: i64,
    kind: EventKind,
    outcome: Outcome,
    method: Option<AuthMethod>,
    host: &'a str,
    source_ip: Option<IpAddr>,
    source_host: &'a str,
    user: &'a str,
    domain: &'a str,
    actor: &'a str,
    reason: &'a str,
    object: &'a str,
    privileged_group: bool,
    source_event: &'a str,
}

/// Compared on every event read (the fold): the numbers first, then the texts, short ones
/// without a call to `memcmp` (most are empty or a few bytes: a user name, a host).
impl PartialEq for FoldKey<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.minute == o.minute
            && self.kind == o.kind
            && self.outcome == o.outcome
            && self.method == o.method
            && self.source_ip == o.source_ip
            && self.privileged_group == o.privileged_group
            && same_text(self.user, o.user)
            && same_text(self.host, o.host)
            && same_text(self.source_host, o.source_host)
            && same_text(self.domain, o.domain)
            && same_text(self.actor, o.actor)
            && same_text(self.reason, o.reason)
            && same_text(self.object, o.object)
            && same_text(self.source_event, o.source_event)
    }
}

#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    a == b
}

impl<'a> FoldKey<'a> {
    fn of(e: &'a LogEvent) -> Self {
        Self {
            minute: e.time.map_or(i64::MIN, |t| t.as_second().div_euclid(60)),
            kind: e.kind,
            outcome: e.outcome,
            method: e.method,
            host: &e.host,
            source_ip: e.source_ip,
            source_host: &e.source_host,
            user: &e.user,
            domain: &e.domain,
            actor: &e.actor,
            reason: &e.reason,
            object: &e.object,
            privileged_group: e.privileged_group,
            source_event: &e.source_event,
        }
    }

    fn hash_with(&self, salt: u64) -> u64 {
        // FxHasher: fast, and without random keys, so the folding is reproducible.
        let mut h = rustc_hash::FxHasher::default();
        salt.hash(&mut h);
        self.hash(&mut h);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_model::SourceRef;
    use mamori_model::event::{EventKind, Outcome};

    fn failure(user: &str, secs: i64, line: u64) -> LogEvent {
        let mut e = LogEvent::new(
            EventKind::Logon,
            Outcome::Failure,
            SourceRef::row("auth.log", line),
        );
        e.user = user.into();
        e.time = Some(Timestamp::from_second(1_700_000_040 + secs).unwrap());
        e
    }

    #[test]
    fn identical_events_of_a_minute_fold_and_order_is_kept() {
        let events = [
            failure("root", 0, 1),
            failure("admin", 1, 2),
            failure("root", 2, 3),
            failure("root", 70, 4),
        ];
        let set: EventSet = events.iter().cloned().collect();
        let summary: Vec<(&str, u64, Option<u64>)> = set
            .groups()
            .iter()
            .map(|g| (g.user.as_str(), g.count, g.origin.line))
            .collect();
        assert_eq!(
            summary,
            [
                ("root", 2, Some(1)),
                ("admin", 1, Some(2)),
                ("root", 1, Some(4))
            ]
        );
        assert_eq!(set.groups()[0].last_time, events[2].time);
        assert_eq!(set.total(), 4);

        // Read as two chunks and merged: the same set.
        let mut a: EventSet = events[..2].iter().cloned().collect();
        a.merge(events[2..].iter().cloned().collect());
        assert_eq!(a.groups(), set.groups());
    }

    #[test]
    fn the_earliest_event_represents_its_group() {
        let mut set = EventSet::new();
        set.push(failure("root", 30, 9));
        set.push(failure("root", 5, 3));
        let g = &set.groups()[0];
        assert_eq!((g.count, g.origin.line), (2, Some(3)));
        assert_eq!(g.last_time, failure("root", 30, 9).time);
    }
}
