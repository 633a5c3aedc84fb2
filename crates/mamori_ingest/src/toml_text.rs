//! The TOML reader's messages in words a clinic's office manager can act on. The `toml` crate
//! speaks English and Rust (`unknown variant`, `expected i64`); the known shapes are said in
//! Japanese with what to write instead, and anything else keeps the original after a Japanese
//! lead.

use mamori_model::Localized;

/// `message` from the `toml` crate, as a Japanese and an English sentence.
pub fn explain(file: &str, message: &str) -> Localized {
    let message = message.trim();
    let ja = japanese(message).unwrap_or_else(|| {
        format!("TOML の書き方として読めません。引用符「\"」・括弧・「=」の対応を確かめてください（{message}）")
    });
    Localized::new(
        format!("{file} を読めません: {ja}"),
        format!("cannot read {file}: {message}"),
    )
}

fn japanese(message: &str) -> Option<String> {
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, w)| w.to_owned())
            .collect()
    };
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let words = quoted(rest);
        let (value, allowed) = words.split_first()?;
        return Some(format!(
            "「{value}」は使えない値です。次のどれかを書いてください: {}",
            allowed.join("、")
        ));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let words = quoted(rest);
        let (field, allowed) = words.split_first()?;
        return Some(format!(
            "「{field}」という項目はありません（書き間違いではありませんか）。使える項目: {}",
            allowed.join("、")
        ));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = quoted(rest).into_iter().next()?;
        return Some(format!(
            "必要な項目「{field}」がありません。書き足してください"
        ));
    }
    if message.starts_with("duplicate key") {
        return Some("同じ項目が二度書かれています。どちらか一方を消してください".to_owned());
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.rsplit_once("expected ").map_or("", |(_, e)| e);
        let want = if expected.contains("integer")
            || expected.starts_with('i')
            || expected.starts_with('u')
        {
            "数値（引用符なし。例: 90）"
        } else if expected.contains("string") {
            "文字列（引用符で囲む。例: \"12-29\"）"
        } else if expected.contains("bool") {
            "true か false"
        } else if expected.contains("sequence") || expected.contains("array") {
            "一覧（角括弧で囲む。例: [\"月\", \"火\"]）"
        } else {
            return None;
        };
        return Some(format!(
            "値の種類が違います。ここには{want}を書いてください"
        ));
    }
    if message.contains("basic string") || message.contains("expected `\"`") {
        return Some(
            "引用符「\"」が閉じていません。値の終わりにも「\"」を書いてください".to_owned(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_are_said_in_japanese_without_codes() {
        let cases = [
            (
                "unknown variant `clinik`, expected `hospital` or `clinic`",
                "「clinik」は使えない値です。次のどれかを書いてください: hospital、clinic",
            ),
            (
                "unknown field `thresholdz`, expected one of `id`, `name`",
                "「thresholdz」という項目はありません",
            ),
            ("missing field `name`", "必要な項目「name」がありません"),
            ("duplicate key", "同じ項目が二度書かれています"),
            (
                "invalid type: string \"90\", expected i64",
                "数値（引用符なし。例: 90）",
            ),
            (
                "invalid basic string, expected `\"`",
                "引用符「\"」が閉じていません",
            ),
        ];
        for (message, expected) in cases {
            let l = explain("site.toml", message);
            assert!(l.ja.contains(expected), "{message}: {}", l.ja);
            assert!(!l.ja.contains("expected"), "{}", l.ja);
            assert!(l.en.ends_with(message));
        }
        let odd = explain("site.toml", "something new");
        assert!(
            odd.ja.contains("TOML の書き方として読めません") && odd.ja.contains("something new")
        );
    }
}
