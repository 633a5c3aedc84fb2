//! Every detection fed the shared logs one event at a time finds what the batch run finds: the
//! contract `mamori watch` relies on. The events are the real EVTX and syslog files of
//! `../shared/data`, read as `mamori hunt` reads them, then unfolded back into single events.

use std::collections::BTreeSet;

use jiff::Timestamp;
use mamori_hunt::{Detector, EventSet, HuntConfig, RULES, ReadOptions, Repeated, TimeContext};
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
