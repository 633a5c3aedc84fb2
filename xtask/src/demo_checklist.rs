//! The demo hospital's `checklist.toml` and `holiday.toml`: a realistic state in November —
//! most 「いいえ」 with target dates, one 「はい」 that the checks disprove (不要アカウント: a
//! leaver's account is still enabled), one item without its date checked, one 「いいえ」
//! without a target date; vendor checklists sent and partly returned; last year's holiday done.

use std::path::Path;

pub const CHECKLIST_TOML: &str = r#"# さくら台総合病院 チェックリストの回答（架空）/ demo checklist answers (fictional)
# 書き方は docs/checklist.md。項目はキー（unneeded-accounts）か番号（2-⑤）で指定します。

[[answer]]
fiscal_year = 2026
item = "system-in-use"
answer = "はい"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"

[[answer]]
fiscal_year = 2026
item = "security-officer"
answer = "はい"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
evidence = ["evidence/2026/officer-appointment.txt"]

[[answer]]
fiscal_year = 2026
item = "ledger"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-01-29
notes = "台帳の版・保守事業者の欄を整備中"

[[answer]]
fiscal_year = 2026
item = "remote-maintenance"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2026-12-18
notes = "給食委託事業者の接続経路を確認中"

[[answer]]
fiscal_year = 2026
item = "mds-sds"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-02-26
notes = "V03・V04 に提出を依頼済み"

[[answer]]
fiscal_year = 2026
item = "access-rights"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-03-31
notes = "病棟の共用 ID を個人 ID に切り替える"

[[answer]]
fiscal_year = 2026
item = "unneeded-accounts"
answer = "はい"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
notes = "人事課の退職者一覧と照合済み"

[[answer]]
fiscal_year = 2026
item = "access-log"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-03-31

[[answer]]
fiscal_year = 2026
item = "security-patches"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2026-12-18
notes = "FW-01 のファームウェア更新を北斗ネットワークサービスと調整中"

[[answer]]
fiscal_year = 2026
item = "source-restriction"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2026-12-18

[[answer]]
fiscal_year = 2026
item = "unneeded-services"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2026-12-18
notes = "FW-01 の telnet を止める"

[[answer]]
fiscal_year = 2026
item = "incident-contacts"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2026-12-11
notes = "警察（サイバー犯罪相談窓口）の連絡先を追加する"

[[answer]]
fiscal_year = 2026
item = "backup-restore"
answer = "はい"
checked_on = 2026-09-30
checked_by = "情報システム係 高橋"
evidence = ["evidence/2026/restore-drill-2026-09.txt"]

[[answer]]
fiscal_year = 2026
item = "bcp"
answer = "いいえ"
checked_by = "事務長 森"
target_date = 2027-03-31
notes = "確認日の記入漏れ。PACS の目標復旧時間と訓練、ファイルサーバの計画が未定"

[[answer]]
fiscal_year = 2026
item = "operations-rules"
answer = "はい"
checked_on = 2026-06-15
checked_by = "事務長 森"

[[answer]]
fiscal_year = 2026
item = "password-rules"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-03-31

[[answer]]
fiscal_year = 2026
item = "external-media"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"

[[answer]]
fiscal_year = 2026
item = "two-factor"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "情報システム係 高橋"
target_date = 2027-09-30
notes = "VPN から順に導入（令和9年度までが目標）"

[[bcp]]
fiscal_year = 2026
item = "bcp-contact-chart"
answer = "いいえ"
checked_on = 2026-06-15
checked_by = "事務長 森"
target_date = 2026-12-11

[[bcp]]
fiscal_year = 2026
item = "bcp-training"
answer = "はい"
checked_on = 2026-09-30
checked_by = "事務長 森"
notes = "9 月に電子カルテ停止を想定した訓練を実施"

[[vendor]]
vendor = "V01"
fiscal_year = 2026
sent_on = 2026-05-01
returned_on = 2026-06-10
file = "evidence/2026/V01-checklist-2026.txt"

[[vendor.answer]]
item = "security-patches"
answer = "はい"
checked_on = 2026-06-05

[[vendor.answer]]
item = "remote-maintenance"
answer = "はい"
checked_on = 2026-06-05

[[vendor.answer]]
item = "two-factor"
answer = "いいえ"
checked_on = 2026-06-05
target_date = 2027-12-28

[[vendor]]
vendor = "V02"
fiscal_year = 2026
sent_on = 2026-05-01
notes = "10 月に催促済み"
"#;

pub const HOLIDAY_TOML: &str = r#"# さくら台総合病院 年末年始の対策の記録（架空）/ demo holiday record (fictional)
# 書き方は docs/checklist.md。year は年末年始が始まる 12 月の年です。

[[done]]
year = 2025
step = "connection-rules"
done_on = 2025-12-19
by = "事務長 森"

[[done]]
year = 2025
step = "takeout-rules"
done_on = 2025-12-19
by = "事務長 森"

[[done]]
year = 2025
step = "log-review"
done_on = 2026-01-06
by = "情報システム係 高橋"

[[taken_out]]
year = 2025
device = "ノート PC（医局 3 号機）"
person = "内科 田中"
out_on = 2025-12-26
back_on = 2026-01-05
scanned = true

[[done]]
year = 2026
step = "connection-rules"
done_on = 2026-11-18
by = "事務長 森"
notes = "朝礼と院内メールで周知"
"#;

/// Writes both files and the evidence files they name.
pub fn write(dir: &Path) -> anyhow::Result<()> {
    std::fs::write(dir.join("checklist.toml"), CHECKLIST_TOML)?;
    std::fs::write(dir.join("holiday.toml"), HOLIDAY_TOML)?;
    let evidence = dir.join("evidence/2026");
    std::fs::create_dir_all(&evidence)?;
    for (name, text) in [
        (
            "officer-appointment.txt",
            "医療情報システム安全管理責任者 任命書（架空）\n任命日: 2026-04-01\n氏名: 情報システム係長 高橋\n",
        ),
        (
            "restore-drill-2026-09.txt",
            "バックアップからの復旧訓練 記録（架空）\n実施日: 2026-09-30\n対象: 電子カルテ DB（前日分のバックアップから検証環境へ復元、所要 3 時間 10 分）\n",
        ),
        (
            "V01-checklist-2026.txt",
            "事業者確認用チェックリスト 令和8年度 ミドリ医療システム株式会社（架空）\n回収日: 2026-06-10\n",
        ),
    ] {
        std::fs::write(evidence.join(name), text)?;
    }
    Ok(())
}
