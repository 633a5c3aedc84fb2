//! The dashboard's accounts from the command line: no account exists until an admin adds one,
//! passwords come on stdin and are checked, admins get a TOTP URI and QR code, every change is
//! in the audit log (`mamori audit`, whose chain is verified); `serve` refuses to listen
//! beyond loopback without TLS.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use support::{Env, demo_dir};

fn with_stdin(env: &Env, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(args)
        .env("MAMORI_DB", env.db())
        .env("USER", "admin-tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn users_are_added_checked_listed_changed_and_audited() {
    let env = Env::new();
    let list = env.run(&["user", "list"]);
    assert!(
        text(&list.stdout).contains("ユーザーはまだいません"),
        "no default account"
    );

    let short = with_stdin(
        &env,
        &[
            "user",
            "add",
            "takahashi",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(
        text(&short.stderr).contains("8 文字以上"),
        "{}",
        text(&short.stderr)
    );

    let add = with_stdin(
        &env,
        &[
            "user",
            "add",
            "takahashi",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "correct-horse-battery\n",
    );
    assert_eq!(add.status.code(), Some(0), "{}", text(&add.stderr));
    let out = text(&add.stdout);
    assert!(
        out.contains("otpauth://totp/mamori:takahashi?secret="),
        "{out}"
    );
    assert!(
        out.contains('█') || out.contains('▀') || out.contains('▄'),
        "a QR code: {out}"
    );

    let staff = with_stdin(
        &env,
        &[
            "user",
            "add",
            "yamada",
            "--role",
            "staff",
            "--password-stdin",
        ],
        "twelve-chars\n",
    );
    assert_eq!(staff.status.code(), Some(2), "13 characters without TOTP");
    let vendor = with_stdin(
        &env,
        &[
            "user",
            "add",
            "hokuto",
            "--role",
            "vendor",
            "--password-stdin",
        ],
        "correct-horse-battery\n",
    );
    assert_eq!(
        vendor.status.code(),
        Some(2),
        "a vendor user needs --vendor"
    );
    let vendor = with_stdin(
        &env,
        &[
            "user",
            "add",
            "hokuto",
            "--role",
            "vendor",
            "--vendor",
            "V02",
            "--password-stdin",
        ],
        "correct-horse-battery\n",
    );
    assert_eq!(vendor.status.code(), Some(0));
    let again = with_stdin(
        &env,
        &[
            "user",
            "add",
            "hokuto",
            "--role",
            "staff",
            "--password-stdin",
        ],
        "correct-horse-battery\n",
    );
    assert_eq!(again.status.code(), Some(2), "the name is taken");
    changes_are_audited(&env);
}

fn changes_are_audited(env: &Env) {
    assert_eq!(
        env.run(&["user", "disable", "hokuto"]).status.code(),
        Some(0)
    );
    let reset = with_stdin(
        env,
        &["user", "reset-password", "takahashi"],
        "another-long-password\n",
    );
    assert_eq!(reset.status.code(), Some(0));
    let totp = env.run(&["user", "reset-totp", "takahashi"]);
    assert!(text(&totp.stdout).contains("otpauth://"));
    let listed = text(&env.run(&["user", "list"]).stdout);
    assert!(
        listed.contains("takahashi\t管理者 / TOTP")
            && listed.contains("hokuto\t保守事業者 / V02 / 無効"),
        "{listed}"
    );

    let audit = env.run(&["audit", "--format", "json"]);
    assert_eq!(audit.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(v["chain_ok"], true);
    let kinds: Vec<&str> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "user-add",
            "user-add",
            "user-disable",
            "user-reset-password",
            "user-reset-totp"
        ]
    );
    assert!(
        v["lines"][0]["who"]
            .as_str()
            .unwrap()
            .starts_with("admin-tester")
    );
    assert!(
        !text(&audit.stdout).contains("correct-horse-battery"),
        "no password in the log"
    );
}

#[test]
fn serve_beyond_loopback_needs_tls() {
    let env = Env::new();
    let out = env.run(&[
        "serve",
        demo_dir().to_str().unwrap(),
        "--listen",
        "0.0.0.0:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("TLS が必要です"),
        "{}",
        text(&out.stderr)
    );
    let en = env.run(&[
        "--lang",
        "en",
        "serve",
        demo_dir().to_str().unwrap(),
        "--listen",
        "0.0.0.0:0",
    ]);
    assert!(
        text(&en.stderr).contains("needs TLS"),
        "{}",
        text(&en.stderr)
    );
}
