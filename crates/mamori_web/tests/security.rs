//! The dashboard's security, point by point over real HTTP on loopback (issue 17, item 4):
//! sign-in with TOTP, CSRF, cookies and session rotation, lockout and throttling, headers,
//! escaping, uploads, roles, and the audit log.

mod support;

use support::{PASSWORD, Server, hidden_token, now};

#[test]
fn nothing_but_the_login_page_without_a_session() {
    let s = Server::start();
    let mut c = s.client();
    for path in [
        "/",
        "/findings",
        "/ledgers/assets",
        "/checklist",
        "/audit",
        "/run",
    ] {
        let r = c.get(path);
        assert_eq!(
            (r.status, r.header("location")),
            (303, Some("/login")),
            "{path}"
        );
    }
    assert_eq!(c.get("/api/findings").status, 401);
    let form = c.get("/login");
    assert_eq!(form.status, 200);
    for field in [
        "name=\"username\"",
        "name=\"password\"",
        "name=\"totp\"",
        "type=\"hidden\" name=\"csrf_token\"",
    ] {
        assert!(form.body.contains(field), "{field} in the login form");
    }
}

#[test]
fn totp_is_required_for_admins_within_one_step_and_only_once() {
    let s = Server::start();
    let secret = &s.admin_totp;
    let code_at = |offset: i64| {
        mamori_app::access::totp_code(secret, now() + jiff::SignedDuration::from_secs(offset))
            .unwrap()
    };
    let mut c = s.client();
    assert_eq!(c.login("admin", PASSWORD, "").status, 401, "no code");
    assert_eq!(
        c.login("admin", PASSWORD, &code_at(-90)).status,
        401,
        "three steps old"
    );
    assert_eq!(
        c.login("admin", "wrong-password-123", &code_at(0)).status,
        401,
        "wrong password"
    );
    let previous_step = code_at(-30);
    assert_eq!(
        c.login("admin", PASSWORD, &previous_step).status,
        303,
        "one step old is accepted"
    );
    let mut other = s.client();
    assert_eq!(
        other.login("admin", PASSWORD, &previous_step).status,
        401,
        "a used code is refused"
    );
    assert_eq!(
        other.login("admin", PASSWORD, &code_at(30)).status,
        303,
        "the next step is accepted"
    );
    assert_eq!(c.get("/audit").status, 200);
}

#[test]
fn state_changing_requests_need_the_sessions_csrf_token() {
    let s = Server::start();
    let mut c = s.signed_in("staff");
    let id = first_finding(&mut c);
    let path = format!("/findings/{id}/status");
    let fields = [("status", "in-progress"), ("owner", "高橋")];
    assert_eq!(c.post(&path, &fields).status, 403, "no token");
    let wrong = "0".repeat(64);
    assert_eq!(
        c.post(&path, &[("csrf_token", wrong.as_str()), fields[0]])
            .status,
        403,
        "wrong token"
    );
    let token = c.csrf();
    c.extra = vec![("Origin".into(), "http://evil.example".into())];
    assert_eq!(
        c.post(&path, &[("csrf_token", token.as_str()), fields[0]])
            .status,
        403,
        "another origin"
    );
    c.extra = vec![("Sec-Fetch-Site".into(), "cross-site".into())];
    assert_eq!(
        c.post(&path, &[("csrf_token", token.as_str()), fields[0]])
            .status,
        403,
        "cross-site fetch"
    );
    c.extra.clear();
    assert_eq!(
        c.post(
            &path,
            &[("csrf_token", token.as_str()), fields[0], fields[1]]
        )
        .status,
        303
    );
    // Another session's token does not do either.
    let mut other = s.signed_in("admin");
    let theirs = other.csrf();
    assert_ne!(theirs, token);
    assert_eq!(
        c.post(&path, &[("csrf_token", theirs.as_str()), fields[0]])
            .status,
        403
    );
    // The login form's own token: a post without the cookie's value is refused.
    let mut fresh = s.client();
    let page = fresh.get("/login");
    let mut stranger = s.client();
    let r = stranger.post(
        "/login",
        &[
            ("csrf_token", &hidden_token(&page.body)),
            ("username", "staff"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 403, "login without its cookie");
    assert!(s.audit().iter().any(|(_, kind, _)| kind == "csrf-refused"));
}

#[test]
fn cookies_are_http_only_strict_and_rotated_at_login() {
    let s = Server::start();
    let mut c = s.client();
    let r = c.login("staff", PASSWORD, "");
    let session = r
        .set_cookies()
        .into_iter()
        .find(|v| v.starts_with("mamori_session="))
        .unwrap()
        .to_owned();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && session.contains("Path=/"),
        "{session}"
    );
    assert!(
        !session.contains("Secure"),
        "no Secure flag without TLS (the browser would drop it)"
    );
    let first = c.cookies["mamori_session"].clone();
    assert_eq!(c.get("/").status, 200);
    // Signing in again gives a new token and ends the old session.
    let r = c.login("staff", PASSWORD, "");
    assert_eq!(r.status, 303);
    assert_ne!(c.cookies["mamori_session"], first);
    let mut old = s.client();
    old.cookies.insert("mamori_session".into(), first);
    assert_eq!(old.get("/").status, 303, "the old session is gone");
    // Sign-out ends the session in the store too.
    let kept = c.cookies["mamori_session"].clone();
    let token = c.csrf();
    assert_eq!(c.post("/logout", &[("csrf_token", &token)]).status, 303);
    let mut replay = s.client();
    replay.cookies.insert("mamori_session".into(), kept);
    assert_eq!(replay.get("/").status, 303);
}

#[test]
fn five_failures_lock_the_account_and_many_throttle_the_address() {
    let s = Server::start();
    let mut c = s.client();
    for _ in 0..5 {
        assert_eq!(c.login("staff", "not-the-password", "").status, 401);
    }
    let r = c.login("staff", PASSWORD, "");
    assert_eq!(r.status, 429, "locked even with the right password");
    assert!(r.body.contains("15 分間"), "says for how long");
    let audit = s.audit();
    assert_eq!(
        audit
            .iter()
            .filter(|(w, k, _)| w == "staff" && k == "login-failed")
            .count(),
        5
    );
    assert!(
        audit
            .iter()
            .any(|(w, k, t)| w == "staff" && k == "lockout" && t.contains("127.0.0.1"))
    );
    assert!(
        audit
            .iter()
            .any(|(w, k, _)| w == "staff" && k == "login-locked")
    );
    // Other accounts still sign in from here until the address has failed 20 times.
    assert_eq!(c.login("v02", PASSWORD, "").status, 303);
    for i in 0..14 {
        assert_eq!(c.login(&format!("nobody{i}"), "x", "").status, 401);
    }
    let r = c.login("v02", PASSWORD, "");
    assert_eq!(r.status, 429, "throttled address");
    assert!(s.audit().iter().any(|(_, k, _)| k == "login-throttled"));
}

#[test]
fn every_answer_carries_the_security_headers() {
    let s = Server::start();
    let mut c = s.signed_in("staff");
    for path in ["/", "/login", "/findings", "/nope", "/assets/style.css"] {
        let r = c.get(path);
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("CSP on {path}"));
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("script-src"),
            "no scripts at all: {csp}"
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    let page = c.get("/");
    assert!(!page.body.contains("<script"), "pages have no script");
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "nothing from elsewhere"
    );
}

#[test]
fn site_provided_strings_are_escaped() {
    let s = Server::start();
    let mut c = s.signed_in("staff");
    let r = c.get("/ledgers/vendors");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || r.body.contains("&lt;script&gt;alert(1)"),
        "escaped"
    );
    assert!(!r.body.contains("<script>alert(1)"), "never raw");
    assert!(!r.body.contains("<img src=x"), "never raw");
}

#[test]
fn uploads_are_checked_and_stay_inside_the_site_folder() {
    let s = Server::start();
    let mut c = s.signed_in("staff");
    let token = c.csrf();
    let path = format!("/checklist/answer?csrf_token={token}");
    let fields = [
        ("list", "institution"),
        ("fiscal_year", "2026"),
        ("item", "ledger"),
        ("answer", "はい"),
        ("notes", "整備済み"),
    ];
    let html_as_pdf = c.upload(
        &path,
        &fields,
        "evidence",
        "report.pdf",
        b"<html><script>alert(1)</script>",
    );
    assert_eq!(html_as_pdf.status, 400, "content must match the name");
    let html = c.upload(&path, &fields, "evidence", "page.html", b"<html>");
    assert_eq!(html.status, 400, "no HTML");
    let ok = c.upload(
        &path,
        &fields,
        "evidence",
        "../../../../tmp/台帳.pdf",
        b"%PDF-1.4 test",
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let saved = s.site().join("evidence/2026/台帳.pdf");
    assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF-1.4 test");
    assert!(!std::path::Path::new("/tmp/台帳.pdf").exists());
    let toml = std::fs::read_to_string(s.site().join("checklist.toml")).unwrap();
    assert!(toml.starts_with("# さくら台総合病院"), "comments kept");
    assert!(toml.contains("evidence/2026/台帳.pdf"));
    // Over the size limit: refused before anything is written.
    let big = vec![b'a'; mamori_web::UPLOAD_LIMIT + 1024];
    let r = c.upload(
        &format!("/run/upload?csrf_token={token}"),
        &[("target", "logs")],
        "file",
        "big.log",
        &big,
    );
    assert_eq!(r.status, 413);
    assert!(!s.site().join("logs/big.log").exists());
    let r = c.upload(
        &format!("/run/upload?csrf_token={token}"),
        &[("target", "logs")],
        "file",
        "fw.log",
        b"date=2026-11-20 time=01:00:00 devname=FW",
    );
    assert_eq!(r.status, 200);
    assert!(s.site().join("logs/fw.log").exists());
    let audit = s.audit();
    let answer = audit
        .iter()
        .find(|(_, k, _)| k == "checklist-answer")
        .expect("answer audited");
    assert!(
        answer.2.contains("\"before\":\"いいえ\"") && answer.2.contains("\"after\":\"はい\""),
        "{}",
        answer.2
    );
    assert!(
        audit
            .iter()
            .any(|(w, k, t)| w == "staff" && k == "upload" && t.contains("logs/fw.log"))
    );
}

#[test]
fn a_vendor_sees_its_own_and_nothing_else() {
    let s = Server::start();
    let mut v = s.signed_in("v02");
    for path in [
        "/audit",
        "/ledgers/accounts",
        "/run",
        "/holiday",
        "/vuln",
        "/checklist.xlsx",
        "/api/dashboard",
    ] {
        assert_eq!(v.get(path).status, 403, "{path}");
    }
    let vendors = v.get("/ledgers/vendors").body;
    assert!(
        vendors.contains("北斗ネットワークサービス") && !vendors.contains("ミドリ医療システム"),
        "only its own vendor row"
    );
    let connections = v.get("/ledgers/connections").body;
    assert!(connections.contains("C01") && !connections.contains("C02"));
    // Its findings: only subjects it maintains; another vendor's finding is not found.
    let api: serde_json::Value = serde_json::from_str(&v.get("/api/findings").body).unwrap();
    let mine = api["findings"].as_array().unwrap();
    assert!(
        !mine.is_empty(),
        "V02 maintains the firewall: it has findings"
    );
    let assets = ["FW-01"];
    for f in mine {
        let subject = &f["finding"]["subject"];
        let key = subject["key"].as_str().unwrap();
        assert!(
            key == "V02"
                || key == "C01"
                || assets.contains(&key)
                || s.state
                    .site()
                    .site
                    .assets
                    .iter()
                    .any(|a| a.id == key && a.managed_by == "V02"),
            "{subject}"
        );
    }
    let mut staff = s.signed_in("staff");
    let all: serde_json::Value =
        serde_json::from_str(&staff.get("/api/findings?kind=vendor&subject=V03").body).unwrap();
    let foreign = all["findings"][0]["finding"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(v.get(&format!("/findings/{foreign}")).status, 404);
    // Vendors only read: no status changes.
    let token = v.csrf();
    let r = v.post(
        &format!("/findings/{foreign}/status"),
        &[("csrf_token", &token), ("status", "done")],
    );
    assert_eq!(r.status, 403);
    // Staff do not see the audit log either.
    assert_eq!(staff.get("/audit").status, 403);
}

#[test]
fn changes_are_audited_with_who_where_before_and_after() {
    let s = Server::start();
    let mut c = s.signed_in("staff");
    let id = first_finding(&mut c);
    let token = c.csrf();
    let path = format!("/findings/{id}/status");
    let r = c.post(&path, &[("csrf_token", &token), ("status", "accepted")]);
    assert_eq!(r.status, 400, "accepting a risk needs a reason");
    let r = c.post(
        &path,
        &[
            ("csrf_token", &token),
            ("status", "accepted"),
            ("reason", "更新は 1 月の保守で"),
        ],
    );
    assert_eq!(r.status, 303);
    let r = c.post(
        &path,
        &[
            ("csrf_token", &token),
            ("status", "in-progress"),
            ("owner", "高橋"),
            ("due", "2026-12-20"),
        ],
    );
    assert_eq!(r.status, 303);
    let x = c.get("/checklist.xlsx");
    assert_eq!(x.status, 200);
    let audit = s.audit();
    let changes: Vec<_> = audit
        .iter()
        .filter(|(_, k, _)| k == "finding-status")
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(
        changes[1].2.contains("\"before\":{")
            && changes[1].2.contains("\"accepted\"")
            && changes[1].2.contains("\"in-progress\""),
        "{}",
        changes[1].2
    );
    assert!(changes[1].2.contains("\"from\":\"127.0.0.1\""));
    assert!(audit.iter().any(|(w, k, _)| w == "staff" && k == "login"));
    assert!(audit.iter().any(|(w, k, _)| w == "staff" && k == "export"));
    // The page shows the status and its history.
    let page = c.get(&format!("/findings/{id}")).body;
    assert!(page.contains("対応中") && page.contains("2026-12-20"));
    // Editing or deleting a line is refused by the database itself: mamori_store/tests/access.rs.
}

fn first_finding(c: &mut support::Client) -> String {
    let api: serde_json::Value = serde_json::from_str(&c.get("/api/findings").body).unwrap();
    api["findings"][0]["finding"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_incident_and_backup_pages_follow_the_same_rules() {
    let s = Server::start();
    let mut v = s.signed_in("v02");
    for path in ["/incident", "/backup", "/incident/binder"] {
        assert_eq!(v.get(path).status, 403, "{path}");
    }
    let mut c = s.signed_in("staff");
    let token = c.csrf();
    assert_eq!(
        c.post(
            "/incident",
            &[("action", "start"), ("text", "受付PCに脅迫文")]
        )
        .status,
        403,
        "no token"
    );
    let r = c.post(
        "/incident",
        &[
            ("csrf_token", &token),
            ("action", "start"),
            ("text", "受付PCに<b>脅迫文</b>"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post(
        "/incident",
        &[
            ("csrf_token", &token),
            ("action", "log"),
            ("text", "LAN ケーブルを抜いた"),
        ],
    );
    assert_eq!(r.status, 303);
    let page = c.get("/incident").body;
    assert!(page.contains("LAN ケーブルを抜いた") && page.contains("staff（ダッシュボード）"));
    assert!(
        page.contains("&#60;b&#62;") || page.contains("&lt;b&gt;"),
        "escaped"
    );
    assert!(page.contains("連鎖は整っています"));
    assert!(
        c.get("/").body.contains("インシデント対応中"),
        "the dashboard says so"
    );
    let binder = c.get("/incident/binder");
    assert_eq!(binder.status, 200);
    assert!(
        binder
            .header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    assert!(
        binder.body.contains("LAN ケーブルを抜いた"),
        "the binder carries the record"
    );
    assert_eq!(
        c.post("/incident", &[("csrf_token", &token), ("action", "close")])
            .status,
        303
    );
    assert!(!c.get("/").body.contains("インシデント対応中"));
    assert_eq!(
        s.audit()
            .iter()
            .filter(|(w, k, _)| w == "staff" && k == "incident")
            .count(),
        3
    );
    let backup = c.get("/backup");
    assert_eq!(backup.status, 200);
    assert!(backup.body.contains("/findings?rule=backup."));
    let listed = c.get("/findings?rule=backup.").body;
    assert!(
        listed.contains("backup") || listed.contains("バックアップ"),
        "the group's findings"
    );
}

#[test]
fn a_vendor_answers_its_own_checklist_only() {
    let s = Server::start();
    let mut v = s.signed_in("v02");
    let token = v.csrf();
    let path = format!("/checklist/answer?csrf_token={token}");
    let page = v.get("/checklist").body;
    assert!(
        page.contains("name=\"vendor\" value=\"V02\""),
        "its own sheet has the form"
    );
    assert!(!page.contains("value=\"V01\""), "no other vendor's sheet");
    let own = [
        ("list", "vendor"),
        ("vendor", "V02"),
        ("fiscal_year", "2026"),
        ("item", "two-factor"),
        ("answer", "はい"),
        ("notes", "12 月に導入済み"),
    ];
    let r = v.upload(&path, &own, "evidence", "mfa.pdf", b"%PDF-1.7 mfa");
    assert_eq!(r.status, 303, "{}", r.body);
    let other = [
        ("list", "vendor"),
        ("vendor", "V01"),
        ("fiscal_year", "2026"),
        ("item", "two-factor"),
        ("answer", "はい"),
    ];
    assert_eq!(
        v.upload(&path, &other, "evidence", "", b"").status,
        403,
        "another vendor's list"
    );
    let institution = [
        ("list", "institution"),
        ("fiscal_year", "2026"),
        ("item", "ledger"),
        ("answer", "はい"),
    ];
    assert_eq!(
        v.upload(&path, &institution, "evidence", "", b"").status,
        403,
        "the hospital's own list"
    );
    let toml = std::fs::read_to_string(s.site().join("checklist.toml")).unwrap();
    let at = toml.find("vendor = \"V02\"").unwrap();
    assert!(
        toml[at..].contains("12 月に導入済み") && toml[at..].contains("evidence/2026/mfa.pdf"),
        "{}",
        &toml[at..]
    );
    assert!(s.audit().iter().any(|(w, k, t)| w == "v02"
        && k == "checklist-answer"
        && t.contains("\"vendor\":\"V02\"")));
}
