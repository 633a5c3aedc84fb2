//! Ordinary mail a clinic gets — a vendor's ISO-2022-JP notice, a Shift_JIS reply from a
//! colleague, an HTML newsletter whose links say where they go, a vendor returning an XLSX
//! checklist — must be 問題なし; the same mails with one thing changed must not.

use std::io::Write;

use base64::Engine;
use mamori_mail::context::Party;
use mamori_mail::{MailContext, Verdict, check, parse_mail};

const AUTH_PASS: &str = "Authentication-Results: mx.minato-hp.jp; spf=pass smtp.mailfrom=medsys.co.jp; dkim=pass header.d=medsys.co.jp; dmarc=pass header.from=medsys.co.jp\r\n";

fn site() -> MailContext {
    MailContext {
        institution: Party {
            names: vec!["みなと病院".into()],
            domains: vec!["minato-hp.jp".into()],
        },
        partners: vec![Party {
            names: vec!["メディカルシステムズ".into()],
            domains: vec!["medsys.co.jp".into()],
        }],
        staff: vec!["山田 花子".into(), "佐藤 一郎".into()],
        ..MailContext::default()
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn encoded_word(charset: &'static encoding_rs::Encoding, label: &str, text: &str) -> String {
    format!("=?{label}?B?{}?=", b64(&charset.encode(text).0))
}

fn vendor_notice() -> Vec<u8> {
    let jis = encoding_rs::ISO_2022_JP;
    let mut mail = AUTH_PASS.as_bytes().to_vec();
    let from = encoded_word(
        jis,
        "ISO-2022-JP",
        "株式会社メディカルシステムズ サポートセンター",
    );
    let subject = encoded_word(
        jis,
        "ISO-2022-JP",
        "【重要なお知らせ】電子カルテシステム定期メンテナンスのご案内",
    );
    write!(
        mail,
        "From: {from} <support@medsys.co.jp>\r\nTo: jimu@minato-hp.jp\r\nSubject: {subject}\r\nMessage-ID: <20261201.1@medsys.co.jp>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
    )
    .unwrap();
    let body = "みなと病院 ご担当者様\r\n\r\nいつもお世話になっております。\r\n12月28日（月）18時から22時まで、電子カルテシステムの定期メンテナンスを行います。\r\n作業中は電子カルテをご利用いただけません。\r\n作業内容の詳細は弊社サポートサイト https://support.medsys.co.jp/maintenance/2026-12 をご覧ください。\r\nご不明な点は担当営業までお問い合わせください。\r\n\r\n株式会社メディカルシステムズ サポートセンター\r\n";
    mail.extend_from_slice(&jis.encode(body).0);
    mail
}

fn colleague_reply() -> Vec<u8> {
    let sjis = encoding_rs::SHIFT_JIS;
    let mut mail = Vec::new();
    let from = encoded_word(sjis, "Shift_JIS", "山田 花子");
    let subject = encoded_word(sjis, "Shift_JIS", "Re: 年末年始の当番表について");
    write!(
        mail,
        "Authentication-Results: mx.minato-hp.jp; spf=pass smtp.mailfrom=minato-hp.jp; dkim=pass header.d=minato-hp.jp; dmarc=pass\r\nFrom: {from} <h-yamada@minato-hp.jp>\r\nTo: i-sato@minato-hp.jp\r\nSubject: {subject}\r\nMessage-ID: <r1@minato-hp.jp>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    .unwrap();
    let body = "佐藤さん\r\n\r\n当番表ありがとうございます。30日の午前は私が入ります。\r\n共有フォルダの最新版に反映しておきます。\r\n\r\n> 年末年始の当番表を作りました。ご確認ください。\r\n\r\n山田\r\n";
    mail.extend_from_slice(&sjis.encode(body).0);
    mail
}

fn newsletter() -> Vec<u8> {
    newsletter_with(
        "<html><body><p>日本医師会からのお知らせです。</p>\
        <p>年末年始のサイバーセキュリティ対策について、資料を公開しました。</p>\
        <p><a href=\"https://www.med.or.jp/doctor/sien/cyber/\">https://www.med.or.jp/doctor/sien/cyber/</a></p>\
        <p><a href=\"https://www.med.or.jp/news/\">詳しくはこちら</a> ・ <a href=\"https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000516275_00006.html\">厚生労働省のページ</a></p>\
        <p><a href=\"mailto:info@med.or.jp\">お問い合わせ</a></p></body></html>",
    )
}

fn newsletter_with(html: &str) -> Vec<u8> {
    format!(
        "Authentication-Results: mx.minato-hp.jp; spf=pass smtp.mailfrom=bounce.med.or.jp; dkim=pass header.d=med.or.jp; dmarc=pass header.from=med.or.jp\r\nReturn-Path: <bounce-123@bounce.mailer.example.net>\r\nFrom: =?UTF-8?B?{}?= <news@med.or.jp>\r\nTo: jimu@minato-hp.jp\r\nSubject: =?UTF-8?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        b64("日本医師会".as_bytes()),
        b64("年末年始のサイバーセキュリティ対策のご案内".as_bytes()),
        b64(html.as_bytes())
    )
    .into_bytes()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

fn with_attachment(name: &str, content_type: &str, bytes: &[u8], body: &str) -> Vec<u8> {
    format!(
        "{AUTH_PASS}From: =?UTF-8?B?{}?= <tanaka@medsys.co.jp>\r\nTo: jimu@minato-hp.jp\r\nSubject: =?UTF-8?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1\r\nContent-Type: {content_type}; name=\"=?UTF-8?B?{}?=\"\r\nContent-Disposition: attachment; filename=\"=?UTF-8?B?{}?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
        b64("メディカルシステムズ 田中".as_bytes()),
        b64("事業者確認用チェックリストの返送".as_bytes()),
        b64(body.as_bytes()),
        b64(name.as_bytes()),
        b64(name.as_bytes()),
        b64(bytes)
    )
    .into_bytes()
}

fn checklist_return() -> Vec<u8> {
    let xlsx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
    ]);
    with_attachment(
        "事業者確認用チェックリスト.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &xlsx,
        "みなと病院 事務局 御中\r\n\r\n事業者確認用チェックリストに記入しましたので返送いたします。\r\nよろしくお願いいたします。\r\n",
    )
}

#[test]
fn ordinary_mail_is_clean() {
    let ctx = site();
    for (name, raw) in [
        ("vendor-notice.eml", vendor_notice()),
        ("colleague-reply.eml", colleague_reply()),
        ("newsletter.eml", newsletter()),
        ("checklist-return.eml", checklist_return()),
    ] {
        let checked = check(parse_mail(name, &raw), &ctx);
        let reasons: Vec<String> = checked
            .findings
            .iter()
            .map(|f| format!("{} {:?}: {}", f.rule_id, f.severity, f.message.ja))
            .collect();
        assert_eq!(checked.verdict, Verdict::Clean, "{name}: {reasons:#?}");
        assert!(
            checked.mail.problems.is_empty(),
            "{name}: {:?}",
            checked.mail.problems
        );
    }
}

#[test]
fn the_japanese_encodings_are_decoded() {
    let notice = parse_mail("n.eml", &vendor_notice());
    assert_eq!(
        notice.subject,
        "【重要なお知らせ】電子カルテシステム定期メンテナンスのご案内"
    );
    assert!(notice.text.contains("定期メンテナンスを行います"));
    assert_eq!(
        notice.from.unwrap().name,
        "株式会社メディカルシステムズ サポートセンター"
    );
    let reply = parse_mail("r.eml", &colleague_reply());
    assert_eq!(reply.subject, "Re: 年末年始の当番表について");
    assert!(reply.text.contains("30日の午前は私が入ります"));
}

#[test]
fn one_change_makes_an_ordinary_mail_suspicious() {
    let ctx = site();
    let judge = |raw: Vec<u8>| check(parse_mail("x.eml", &raw), &ctx).verdict;
    // The vendor's notice from a free-mail address.
    let spoofed = String::from_utf8_lossy(&vendor_notice())
        .replace("<support@medsys.co.jp>", "<medsys.support@gmail.com>")
        .into_bytes();
    assert_eq!(judge(spoofed), Verdict::Danger, "a partner's name on gmail");
    // The newsletter's link text shows med.or.jp and opens another site.
    let relinked = newsletter_with(
        "<a href=\"https://med-or-jp.example.net/login\">https://www.med.or.jp/</a>",
    );
    assert_eq!(
        judge(relinked),
        Verdict::Danger,
        "link shows one host, opens another"
    );
    // The vendor's checklist with macros.
    let xlsm = zip_of(&[("xl/workbook.xml", b"<w/>"), ("xl/vbaProject.bin", b"vba")]);
    let body = "チェックリストを返送します。";
    let macro_mail = with_attachment(
        "チェックリスト.xlsx",
        "application/octet-stream",
        &xlsm,
        body,
    );
    assert_eq!(
        judge(macro_mail),
        Verdict::Danger,
        "an XLSX carrying macros"
    );
    // An encrypted ZIP: 注意 alone, 危険 with the password in the body.
    let mut zip = zip_of(&[("請求書.doc", b"doc")]);
    set_encrypted_flag(&mut zip);
    let quiet = with_attachment(
        "請求書.zip",
        "application/zip",
        &zip,
        "請求書を送付します。",
    );
    assert_eq!(judge(quiet), Verdict::Caution);
    let told = "請求書を送付します。\r\n解凍パスワード: 8Kx2pQ\r\n";
    let loud = with_attachment("請求書.zip", "application/zip", &zip, told);
    assert_eq!(
        judge(loud),
        Verdict::Danger,
        "Emotet's password-in-the-body"
    );
}

/// Sets the "encrypted" bit of every entry (local and central headers), as a ZIP made with a
/// password has it.
fn set_encrypted_flag(zip: &mut [u8]) {
    for (signature, offset) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
        let mut at = 0;
        while let Some(found) = zip[at..].windows(4).position(|w| w == signature) {
            zip[at + found + offset] |= 1;
            at += found + 4;
        }
    }
}
