//! Every detection fed the shared logs one event at a time finds what the batch run finds: the
//! contract `mamori watch` relies on. The events are the real EVTX and syslog files of
//! `../shared/data`, read as `mamori hunt` reads them, then unfolded back into single events.

use std::collections::BTreeSet;

use jiff::Timestamp;
use mamori_hunt::{
    Detector, Detectors, EventSet, HuntConfig, RULES, ReadOptions, Repeated, TimeContext,
};
use mamori_hunt::{detect, read_inputs};
use mamori_model::SourceRef;
use mamori_model::event::{EventKind, LogEvent, Outcome};
use mamori_testing::shared;

fn shared_events() -> Option<EventSet> {
    let paths = [shared("evtx")?, shared("syslog")?];
    let tc = TimeContext {
        zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
        reference: jiff::civil::date(2026, 11, 21),
    };
    let mut events = read_inputs(&paths, &ReadOptions::new(tc)).events;
    // No shared log disables an antivirus: one such event on top, so that every detection
    // has something to find.
    let mut av = LogEvent::new(
        EventKind::AvDisabled,
        Outcome::Success,
        SourceRef::row("synthetic", 1),
    );
    av.host = "PC-07".into();
    av.object = "Real-time protection".into();
    av.time = Some("2026-03-07T10:00:00Z".parse().unwrap());
    events.push(av);
    Some(events)
}

/// The single events a folded group stands for: the first at its own time, the repeats at the
/// group's last time (folding them again gives the same group).
fn unfold(group: &Repeated) -> impl Iterator<Item = LogEvent> + '_ {
    let repeat = LogEvent {
        time: group.last_time,
        ..group.event.clone()
    };
    std::iter::once(group.event.clone())
        .chain(std::iter::repeat_n(repeat, group.count as usize - 1))
}

#[test]
fn each_detection_fed_event_by_event_finds_what_the_batch_finds() {
    let Some(events) = shared_events() else {
        return;
    };
    let config = HuntConfig::default();
    let mut rules_with_findings = 0;
    for rule in RULES {
        // The rule's own function over every folded event: what a detector must not change
        // by keeping only the kinds it reads.
        let all: Vec<&Repeated> = events.groups().iter().collect();
        let mut expected = (rule.run)(&all, &config, rule);
        mamori_hunt::detect::sort_findings(&mut expected);
        // The batch path hands it only the kinds it reads, by reference: the same.
        let batch: Vec<_> = detect(events.groups(), &config)
            .into_iter()
            .filter(|f| f.rule_id == rule.id)
            .collect();
        assert_eq!(batch, expected, "{}", rule.id);
        let mut detector = Detector::new(rule, &config);
        for (i, event) in events.groups().iter().flat_map(unfold).enumerate() {
            detector.observe(event);
            if i % 500 == 0 {
                // A flush without a time forgets nothing and changes nothing.
                detector.flush(None);
            }
        }
        let mut streamed = detector.flush(None);
        mamori_hunt::detect::sort_findings(&mut streamed);
        assert_eq!(streamed, expected, "{}", rule.id);
        rules_with_findings += usize::from(!expected.is_empty());
    }
    // log.source-silent needs a receiver's "now": it reads no events over files.
    assert_eq!(
        rules_with_findings,
        RULES.iter().filter(|r| !r.reads.is_empty()).count(),
        "every detection that reads events finds something"
    );
}

#[test]
fn a_live_stream_finds_the_same_findings_and_keeps_only_its_windows() {
    let Some(events) = shared_events() else {
        return;
    };
    let config = HuntConfig::default();
    let batch = detect(events.groups(), &config);
    // As a receiver gets them: in time order, flushed as time passes.
    let mut stream: Vec<LogEvent> = events.groups().iter().flat_map(unfold).collect();
    stream.sort_by_key(|e| e.time);
    let total = stream.len();
    for rule in RULES {
        let expected: BTreeSet<&str> = batch
            .iter()
            .filter(|f| f.rule_id == rule.id)
            .map(|f| f.id.as_str())
            .collect();
        let mut detector = Detector::new(rule, &config);
        let mut found = BTreeSet::new();
        let mut now: Option<Timestamp> = None;
        for event in stream.iter().cloned() {
            now = now.max(event.time);
            detector.observe(event);
            found.extend(detector.flush(now).into_iter().map(|f| f.id));
        }
        let kept = detector.kept();
        found.extend(detector.flush(None).into_iter().map(|f| f.id));
        let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
        assert_eq!(found, expected, "{}", rule.id);
        // What it keeps is only the last window: once the window has passed (a day, or the
        // 14 days success-after-failures links back), nothing.
        assert!(kept < total, "{}: kept {kept} of {total}", rule.id);
        let window = (rule.window)(&config).max(jiff::SignedDuration::from_hours(24));
        let later = now.unwrap() + window + jiff::SignedDuration::from_mins(1);
        detector.flush(Some(later));
        assert_eq!(detector.kept(), 0, "{}", rule.id);
    }
}

#[test]
fn one_shared_fold_gives_what_a_detector_per_rule_gives_flush_by_flush() {
    let Some(events) = shared_events() else {
        return;
    };
    let config = HuntConfig::default();
    let mut stream: Vec<LogEvent> = events.groups().iter().flat_map(unfold).collect();
    stream.sort_by_key(|e| e.time);
    let mut shared_fold = Detectors::new(RULES, &config);
    let mut per_rule: Vec<Detector> = RULES.iter().map(|r| Detector::new(r, &config)).collect();
    let mut now: Option<Timestamp> = None;
    let (mut flushes, mut findings) = (0, 0);
    let compare = |shared_fold: &mut Detectors, per_rule: &mut Vec<Detector>, until| {
        let mut a = shared_fold.flush(until);
        let mut b: Vec<_> = per_rule.iter_mut().flat_map(|d| d.flush(until)).collect();
        mamori_hunt::detect::sort_findings(&mut a);
        mamori_hunt::detect::sort_findings(&mut b);
        assert_eq!(a, b, "until {until:?}");
        a.len()
    };
    for (i, event) in stream.iter().enumerate() {
        now = now.max(event.time);
        shared_fold.observe_ref(event, 1);
        for d in &mut per_rule {
            d.observe_ref(event, 1);
        }
        if i % 97 == 0 {
            findings += compare(&mut shared_fold, &mut per_rule, now);
            flushes += 1;
        }
    }
    findings += compare(&mut shared_fold, &mut per_rule, None);
    assert!(
        findings > 0 && flushes > 10,
        "{flushes} flushes, {findings} findings"
    );
    // Once every window has passed, nothing is kept.
    let later = now.unwrap() + jiff::SignedDuration::from_hours(24 * 15);
    compare(&mut shared_fold, &mut per_rule, Some(later));
    assert_eq!(shared_fold.kept(), 0);
}
