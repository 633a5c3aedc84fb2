//! `mamori incident report`: the binder for the day of an attack. Made from the demo hospital;
//! from a folder whose ledgers (and even site.toml) are broken — an emergency cannot wait for
//! clean data; with the year-end Ministry number only inside the year-end window; as HTML with
//! every site string escaped.

mod support;

use support::{Env, demo_dir};

fn report(env: &Env, site: &std::path::Path, extra: &[&str]) -> (String, Option<i32>) {
    let mut args = vec!["incident", "report", site.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn the_demo_binder_has_the_steps_the_numbers_and_the_first_report() {
    let env = Env::new();
    let (text, code) = report(&env, &demo_dir(), &["--as-of", "2026-12-01"]);
    assert_eq!(code, Some(0));
    for needle in [
        "## 最初の 1 時間にやること",
        "電源は切らない",
        "切り離すバックアップの保存先: NAS-01",
        "03-6812-7837",
        "0120-179-066",
        "北斗ネットワークサービス 保守窓口（24時間）",
        "## 身代金は支払いません",
        "1. 電子カルテ（目標 4 時間）: 紙カルテ",
        "- **医療機関名**: さくら台総合病院",
        "日医発第1659号",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(
        !text.contains("080-2073-0768"),
        "the year-end number outside the window"
    );
    let (holidays, _) = report(&env, &demo_dir(), &["--as-of", "2026-12-29"]);
    assert!(holidays.contains("080-2073-0768"));
}

#[test]
fn broken_ledgers_still_give_the_whole_binder_and_html_is_escaped() {
    let env = Env::new();
    let site = env.dir.path().join("broken");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("site.toml"),
        "name = \"<script>x</script>医院\"\n",
    )
    .unwrap();
    std::fs::write(
        site.join("contacts.csv"),
        "区分,名称,電話番号,確認日\n保守事業者,<b>業者</b>,03-1,2026/13/45\n",
    )
    .unwrap();
    std::fs::write(site.join("assets.csv"), "\"unclosed,quote\n").unwrap();
    let (text, code) = report(&env, &site, &["--as-of", "2026-12-01"]);
    assert_eq!(code, Some(0));
    assert!(text.contains("台帳に読めない所が"), "{text}");
    assert!(text.contains("03-6812-7837") && text.contains("<b>業者</b>"));
    let (html, code) = report(&env, &site, &["--as-of", "2026-12-01", "--format", "html"]);
    assert_eq!(code, Some(0));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>") && !html.contains("<b>業者"));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;医院"));

    // Without a usable site.toml at all: still the steps and the public numbers.
    std::fs::write(site.join("site.toml"), "name = [broken").unwrap();
    let (text, code) = report(&env, &site, &[]);
    assert_eq!(code, Some(0));
    assert!(text.contains("最初の 1 時間") && text.contains("0120-179-066"));
}

/// An incident from start to close: lines logged, evidence hashed as `sha256sum` hashes it and
/// hunted (a real EVTX of a cleared security log), the chain verified, the incident closed.
#[test]
fn an_incident_is_logged_collected_verified_and_closed() {
    let Some(evtx) =
        mamori_testing::shared("evtx/evtx-attack-samples/DE_1102_security_log_cleared.evtx")
    else {
        return;
    };
    let env = Env::new();
    let site = env.demo_copy();
    let site = site.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = env.run(args);
        (String::from_utf8(out.stdout).unwrap(), out.status.code())
    };
    let (_, code) = run(&["incident", "log", site, "まだ始まっていない"]);
    assert_eq!(code, Some(2), "no open incident");
    let (said, code) = run(&[
        "incident",
        "start",
        site,
        "受付PCに脅迫文",
        "--by",
        "事務長",
    ]);
    assert_eq!(code, Some(0), "{said}");
    let (_, code) = run(&["incident", "start", site, "二つ目"]);
    assert_eq!(code, Some(2), "one open incident at a time");
    run(&[
        "incident",
        "log",
        site,
        "LAN",
        "ケーブルを抜いた",
        "--by",
        "事務長",
    ]);
    let (collected, code) = run(&["incident", "collect", site, evtx.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{collected}");
    let sum = std::process::Command::new("sha256sum")
        .arg(&evtx)
        .output()
        .unwrap();
    let sum = String::from_utf8(sum.stdout).unwrap();
    let expected = sum.split_whitespace().next().unwrap();
    assert!(collected.contains(expected), "{collected} vs {sum}");
    assert!(
        collected.contains("監査ログが消去された") || collected.contains("ログ"),
        "{collected}"
    );
    let (verified, code) = run(&["incident", "verify", site]);
    assert_eq!(code, Some(0));
    assert!(
        verified.contains("3 行は改ざんされていません"),
        "{verified}"
    );
    // While it is open: the binder carries it, and every report starts with it.
    let (binder, _) = run(&["incident", "report", site]);
    for needle in [
        "対応中のインシデント #1",
        "LAN ケーブルを抜いた",
        expected,
        "記録の改ざんはありません",
        "個人情報保護委員会への速報",
        "- **症状（画面・脅迫文・止まったもの）**: 受付PCに脅迫文",
    ] {
        assert!(binder.contains(needle), "{needle} missing from the binder");
    }
    let (assessed, _) = run(&["assess", site, "--no-store", "--as-of", "2026-11-21"]);
    let banner = assessed
        .find("対応中のインシデント #1")
        .expect("the assess banner");
    assert!(banner < assessed.find("まず今週やること").unwrap());
    let (_, code) = run(&["incident", "close", site]);
    assert_eq!(code, Some(0));
    let (_, code) = run(&["incident", "verify", site]);
    assert_eq!(code, Some(2), "nothing open any more");
}
