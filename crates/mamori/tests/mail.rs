//! `mamori mail check` and `mamori intel import|status` end to end: the shared phishing
//! samples and blocklists, a real SQLite file, exit codes, JSON and the staff notice.

use serde_json::Value;

mod support;

use support::Env;

fn shared(rel: &str) -> Option<std::path::PathBuf> {
    mamori_testing::shared(rel)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn intel_import_then_mail_check_finds_a_listed_link() {
    let (Some(lists), Some(_)) = (shared("feeds/blocklists"), shared("mail/phishing_pot")) else {
        return;
    };
    let env = Env::new();
    let db = env.db();
    let db = db.to_str().unwrap();
    let out = env.run(&["--db", db, "intel", "import", lists.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("maltrail_lockbit.txt"));
    let status = env.run(&["--db", db, "intel", "status", "--format", "json"]);
    let rows: Vec<Value> = stdout(&status)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter()
            .any(|r| r["name"] == "urlhaus_hostfile_2020-10-11.txt"
                && r["stamp"].as_str().unwrap().starts_with("2020-10-11"))
    );

    // A mail whose link goes to a domain on the LockBit trail.
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("leak.eml");
    std::fs::write(
        &mail,
        "Authentication-Results: mx.example.jp; spf=pass; dkim=pass; dmarc=pass\r\nFrom: Support <help@example.org>\r\nSubject: files\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee https://www.lockbit-decryptor.com/chat\r\n",
    )
    .unwrap();
    let out = env.run(&[
        "--db",
        db,
        "mail",
        "check",
        mail.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["verdict"], "danger");
    let finding = &line["findings"][0];
    assert_eq!(finding["rule_id"], "mail.blocklisted");
    assert!(
        finding["message"]["ja"]
            .as_str()
            .unwrap()
            .contains("maltrail_lockbit.txt")
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "no --fail-on: findings are not an error"
    );
    let failing = env.run(&[
        "--db",
        db,
        "mail",
        "check",
        mail.to_str().unwrap(),
        "--fail-on",
        "high",
    ]);
    assert_eq!(failing.status.code(), Some(1));
}

#[test]
fn the_phishing_samples_are_never_clean_and_a_notice_is_written() {
    let Some(samples) = shared("mail/phishing_pot") else {
        return;
    };
    let env = Env::new();
    let db = env.db();
    let (db, samples) = (db.to_str().unwrap(), samples.to_str().unwrap());
    let out = env.run(&["--db", db, "mail", "check", samples, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let verdicts: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["verdict"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(verdicts.len(), 43);
    assert!(
        verdicts.iter().all(|v| v == "danger" || v == "caution"),
        "{verdicts:?}"
    );
    let table = stdout(&env.run(&["--db", db, "mail", "check", samples]));
    assert!(
        table.contains("43 通") && table.contains("問題なし 0"),
        "{table}"
    );
    assert!(
        table.contains("ブロックリストがないため"),
        "no list: said, not implied clean"
    );
    let notice = stdout(&env.run(&["--db", db, "mail", "check", samples, "--notice"]));
    assert!(notice.starts_with("【注意喚起】"), "{notice}");
    assert!(notice.contains("Secure_Payment_CapitalOne_Accont.html"));
    assert!(notice.contains("LAN ケーブルを抜く"));
}

#[test]
fn what_is_no_mail_is_unread_and_exits_2() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.eml");
    std::fs::write(&empty, b"").unwrap();
    let db = env.db();
    let out = env.run(&[
        "--db",
        db.to_str().unwrap(),
        "mail",
        "check",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("未確認") && text.contains("メールとして読めません"),
        "{text}"
    );
    assert!(
        !text.contains("問題なし  "),
        "never 問題なし for what was not read"
    );
}
