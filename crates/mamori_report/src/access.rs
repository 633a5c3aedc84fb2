//! The dashboard's users and audit log for the terminal: `mamori user add|list|…` and
//! `mamori audit`.

use mamori_model::Lang;
use mamori_model::access::User;
use mamori_model::incident::LogLine;

use mamori_model::tr;

/// What `mamori user add` / `reset-totp` prints: the `otpauth://` URI and a QR code to scan
/// with an authenticator app. Shown once; the secret is not shown again.
pub fn render_new_totp(user: &str, uri: &str, lang: Lang) -> String {
    use qrcode::render::unicode::Dense1x2;
    let qr = qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<Dense1x2>()
                .dark_color(Dense1x2::Light)
                .light_color(Dense1x2::Dark)
                .build()
        })
        .unwrap_or_default();
    let head = match lang {
        Lang::Ja => format!(
            "{user} の確認コード（TOTP）を認証アプリに登録してください。この表示は一度だけです。"
        ),
        Lang::En => {
            format!("Register {user}'s TOTP in an authenticator app. This is shown once only.")
        }
    };
    format!("{head}\n{uri}\n\n{qr}\n")
}

/// `mamori user list`.
pub fn render_users(users: &[User], lang: Lang) -> String {
    if users.is_empty() {
        return tr(
            lang,
            "ユーザーはまだいません（mamori user add で追加します）。\n",
            "No users yet (add one with mamori user add).\n",
        )
        .to_owned();
    }
    let mut out = String::new();
    for u in users {
        let mut flags = vec![u.role.label().get(lang).to_owned()];
        if let Some(v) = &u.vendor {
            flags.push(v.clone());
        }
        if u.has_totp {
            flags.push("TOTP".into());
        }
        if u.disabled {
            flags.push(tr(lang, "無効", "disabled").into());
        }
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            u.name,
            flags.join(" / "),
            u.created_at
        ));
    }
    out
}

/// `mamori audit`: the lines, oldest first, and whether the chain adds up.
pub fn render_audit(lines: &[LogLine], broken_at: Option<i64>, json: bool, lang: Lang) -> String {
    if json {
        let v = serde_json::json!({"lines": lines, "chain_ok": broken_at.is_none(), "broken_at": broken_at});
        return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(&format!(
            "{:>5}  {}  {:<12} {:<18} {}\n",
            l.seq, l.at, l.who, l.kind, l.text
        ));
    }
    out.push_str(&match (broken_at, lang) {
        (None, Lang::Ja) => format!("{} 行。連鎖は整っています（改ざんなし）。\n", lines.len()),
        (None, Lang::En) => format!("{} lines; the hash chain adds up.\n", lines.len()),
        (Some(seq), Lang::Ja) => {
            format!("連鎖が {seq} 行目で途切れています。改ざんの可能性があります。\n")
        }
        (Some(seq), Lang::En) => {
            format!("The hash chain breaks at line {seq}: the log may have been tampered with.\n")
        }
    });
    out
}
