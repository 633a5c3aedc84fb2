//! The shared mail: every Phishing Pot sample is 注意 or 危険; the mail-parser fixtures
//! (malformed ones included) are read without a panic.

use mamori_mail::{MailContext, Verdict, check, source::read_mails};

fn samples(dir: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = mamori_testing::shared(&format!("mail/{dir}"))?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    Some(
        files
            .into_iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect(),
    )
}

#[test]
fn every_phishing_sample_is_caution_or_danger() {
    let Some(samples) = samples("phishing_pot") else {
        return;
    };
    assert_eq!(samples.len(), 43, "the shared Phishing Pot sample");
    let ctx = MailContext::default();
    let mut clean = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (name, bytes) in &samples {
        for mail in read_mails(name, bytes) {
            let checked = check(mail, &ctx);
            *counts.entry(checked.verdict).or_insert(0) += 1;
            if !matches!(checked.verdict, Verdict::Danger | Verdict::Caution) {
                clean.push(format!(
                    "{name}: {:?} {:?} from {:?} auth {:?}",
                    checked.verdict, checked.mail.subject, checked.mail.from, checked.mail.auth
                ));
            }
        }
    }
    mamori_testing::say(&format!("phishing_pot verdicts: {counts:?}"));
    assert!(clean.is_empty(), "judged harmless:\n{}", clean.join("\n"));
}

#[test]
fn the_parser_fixtures_are_read_without_a_panic() {
    let Some(samples) = samples("mail-parser") else {
        return;
    };
    assert_eq!(samples.len(), 7);
    for (name, bytes) in &samples {
        let mails = read_mails(name, bytes);
        assert_eq!(mails.len(), 1, "{name}");
        assert!(mails[0].readable, "{name}: {:?}", mails[0].problems);
    }
}
