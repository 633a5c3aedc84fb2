//! Grouping events by a key and finding the densest time window: the arithmetic shared by the
//! counting detections.

use std::collections::{BTreeMap, HashMap};

use crate::collect::Repeated;
use jiff::{SignedDuration, Timestamp};
use mamori_model::{Evidence, SourceRef};

/// Events grouped by key, in time order (events without a time sort first).
pub fn group_by<'a>(
    events: impl Iterator<Item = &'a Repeated>,
    key: impl Fn(&Repeated) -> String,
) -> BTreeMap<String, Vec<&'a Repeated>> {
    let mut groups: BTreeMap<String, Vec<&Repeated>> = BTreeMap::new();
    for e in events {
        groups.entry(key(e)).or_default().push(e);
    }
    for list in groups.values_mut() {
        list.sort_by_key(|e| e.time);
    }
    groups
}

/// The window (by time) with the most distinct values of `value`, as (distinct count, start
/// index, end index exclusive) over `events` sorted by time.
pub fn densest_distinct(
    events: &[&Repeated],
    window: SignedDuration,
    value: impl Fn(&Repeated) -> String,
) -> (usize, usize, usize) {
    let mut best = (0, 0, 0);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut start = 0;
    for end in 0..events.len() {
        *counts.entry(value(events[end])).or_default() += 1;
        while start < end && too_far(events[start].time, events[end].time, window) {
            let v = value(events[start]);
            if let Some(n) = counts.get_mut(&v) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(&v);
                }
            }
            start += 1;
        }
        if counts.len() > best.0 {
            best = (counts.len(), start, end + 1);
        }
    }
    best
}

/// The window with the most events (counting repeats), as (total, start, end).
pub fn densest_count(events: &[&Repeated], window: SignedDuration) -> (u64, usize, usize) {
    let weight = |e: &Repeated| e.count;
    let mut best = (0, 0, 0);
    let mut total = 0;
    let mut start = 0;
    for end in 0..events.len() {
        total += weight(events[end]);
        while start < end && too_far(events[start].time, events[end].time, window) {
            total -= weight(events[start]);
            start += 1;
        }
        if total > best.0 {
            best = (total, start, end + 1);
        }
    }
    best
}

fn too_far(a: Option<Timestamp>, b: Option<Timestamp>, window: SignedDuration) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => b.duration_since(a) > window,
        _ => false,
    }
}

/// Events counted with their repeats.
pub fn total(events: &[&Repeated]) -> u64 {
    events.iter().map(|e| e.count).sum()
}

/// Count, first/last seen and the first few raw references of a set of events.
pub fn evidence_of(events: &[&Repeated], count: u64, max_sources: usize) -> Evidence {
    let mut evidence = Evidence {
        count: Some(count),
        first_seen: events.iter().filter_map(|e| e.time).min(),
        last_seen: events.iter().filter_map(|e| e.last_time).max(),
        ..Evidence::default()
    };
    let mut sources: Vec<SourceRef> = events.iter().map(|e| e.origin.clone()).collect();
    sources.dedup();
    evidence.sources = sources.into_iter().take(max_sources).collect();
    evidence
}

/// The most frequent values (counting repeats), most frequent first, at most `n`.
pub fn top_values(
    events: &[&Repeated],
    n: usize,
    value: impl Fn(&Repeated) -> String,
) -> Vec<String> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for e in events {
        let v = value(e);
        if !v.is_empty() {
            *counts.entry(v).or_default() += e.count;
        }
    }
    let mut values: Vec<(String, u64)> = counts.into_iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.into_iter().take(n).map(|(v, _)| v).collect()
}

/// Events grouped by a subject key, in first-seen order of the key: detections that report
/// single events (an account created, a log cleared) give one finding per subject, counting
/// repeats, so that a finding id is never issued twice.
pub fn by_subject<'a>(
    events: impl Iterator<Item = &'a Repeated>,
    key: impl Fn(&Repeated) -> String,
) -> Vec<(String, Vec<&'a Repeated>)> {
    let mut order: Vec<(String, Vec<&Repeated>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for e in events {
        let k = key(e);
        match index.get(&k) {
            Some(&i) => order[i].1.push(e),
            None => {
                index.insert(k.clone(), order.len());
                order.push((k, vec![e]));
            }
        }
    }
    order
}

/// The first `n` values joined for a message: `a, b, c`.
pub fn examples(values: &[String], n: usize) -> String {
    values
        .iter()
        .take(n)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}
