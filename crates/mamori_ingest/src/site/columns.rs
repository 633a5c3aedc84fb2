//! The columns of each site table, with the header names accepted for them.
//!
//! Headers are compared after [`normalize_header`], so `Last Logon`, `last_logon` and
//! `ＬＡＳＴ＿ＬＯＧＯＮ` are the same column. `docs/site-format.md` lists these aliases; keep the
//! two in step.

use crate::value::normalize;

pub struct Column {
    /// The canonical (English) name, used in code and docs.
    pub name: &'static str,
    /// Other accepted headers, Japanese first.
    pub aliases: &'static [&'static str],
}

const fn col(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases }
}

pub const ASSETS: &[Column] = &[
    col(
        "id",
        &[
            "管理番号",
            "資産番号",
            "機器番号",
            "資産管理番号",
            "管理no",
            "no.",
            "no",
            "番号",
            "asset_id",
        ],
    ),
    col(
        "name",
        &[
            "名称",
            "機器名",
            "機器名称",
            "端末名",
            "コンピュータ名",
            "ホスト名",
            "hostname",
        ],
    ),
    col("kind", &["種別", "機器種別", "分類", "区分", "type"]),
    col("vendor", &["メーカー", "製造元", "manufacturer"]),
    col("product", &["製品", "製品名", "型番", "機種", "model"]),
    col(
        "version",
        &[
            "バージョン",
            "ファームウェア",
            "ファームウェアバージョン",
            "osバージョン",
            "firmware",
            "os",
        ],
    ),
    col("ip", &["IPアドレス", "ip", "ip_address", "address"]),
    col(
        "internet_facing",
        &["インターネット接続", "外部公開", "internet"],
    ),
    col("owner", &["管理者", "担当者", "管理部署"]),
    col("location", &["設置場所", "場所"]),
    col(
        "managed_by",
        &["保守事業者", "保守業者", "保守会社", "保守", "保守ベンダー"],
    ),
    col(
        "last_patched",
        &["最終パッチ適用日", "パッチ適用日", "最終更新日"],
    ),
    col(
        "av_updated",
        &["定義ファイル更新日", "ウイルス定義更新日", "av_definitions"],
    ),
    col(
        "end_of_support",
        &["サポート終了日", "保守期限", "eos", "eol"],
    ),
    col(
        "serial",
        &["シリアル番号", "製造番号", "serial_number", "s/n"],
    ),
    col("cpe", &[]),
];

pub const VENDORS: &[Column] = &[
    col(
        "id",
        &["事業者ID", "事業者番号", "no.", "no", "番号", "vendor_id"],
    ),
    col("name", &["事業者名", "会社名", "業者名", "名称"]),
    col("services", &["業務内容", "委託業務", "サービス"]),
    col("contract", &["契約", "契約内容", "契約種別"]),
    col("nda", &["守秘義務契約", "秘密保持契約", "NDA締結"]),
    col(
        "checklist_returned",
        &["事業者確認用回収日", "チェックリスト回収日"],
    ),
    col(
        "mds_sds_received",
        &["MDS/SDS受領日", "MDS受領日", "SDS受領日", "mds_sds"],
    ),
];

pub const CONNECTIONS: &[Column] = &[
    col(
        "id",
        &["接続ID", "接続番号", "no.", "no", "番号", "connection_id"],
    ),
    col(
        "vendor",
        &[
            "事業者",
            "事業者ID",
            "事業者名",
            "保守業者",
            "保守事業者",
            "業者",
            "vendor_id",
        ],
    ),
    col("asset", &["機器", "接続機器", "管理番号", "asset_id"]),
    col(
        "kind",
        &["種別", "接続種別", "接続方式", "回線種別", "type"],
    ),
    col("purpose", &["用途", "目的"]),
    col("source_restricted", &["接続元制限", "送信元制限", "ip制限"]),
    col("mfa", &["多要素認証", "二要素認証", "2fa"]),
    col("always_on", &["常時接続"]),
];

pub const ACCOUNTS: &[Column] = &[
    col("system", &["システム", "システム名", "対象システム"]),
    col(
        "username",
        &[
            "ユーザID",
            "ユーザーID",
            "ユーザー名",
            "ユーザ名",
            "ログインID",
            "ログイン名",
            "利用者ID",
            "アカウント",
            "アカウント名",
            "user",
            "samaccountname",
        ],
    ),
    col(
        "display_name",
        &["氏名", "表示名", "名前", "利用者", "使用者", "name"],
    ),
    col("employee_id", &["職員番号", "社員番号", "職員ID"]),
    col(
        "enabled",
        &["有効", "状態", "有効/無効", "利用状況", "enabled_status"],
    ),
    col("privileged", &["管理者権限", "特権", "admin"]),
    col("mfa", &["多要素認証", "二要素認証", "2fa"]),
    col(
        "last_logon",
        &[
            "最終ログオン",
            "最終ログイン",
            "最終ログオン日",
            "lastlogon",
            "lastlogondate",
        ],
    ),
    col(
        "password_last_set",
        &[
            "パスワード最終変更日",
            "パスワード変更日",
            "パスワード更新日",
            "pwdlastset",
        ],
    ),
    col("shared", &["共用", "共有", "共用アカウント"]),
];

pub const STAFF: &[Column] = &[
    col("employee_id", &["職員番号", "社員番号", "職員ID"]),
    col("name", &["氏名", "名前"]),
    col("department", &["部署", "所属"]),
    col("status", &["在籍状況", "在籍", "在籍区分", "状態"]),
    col("left_on", &["退職日"]),
];

pub const CONTACTS: &[Column] = &[
    col("role", &["区分", "種別", "役割"]),
    col("name", &["名称", "連絡先名", "氏名"]),
    col("phone", &["電話番号", "電話", "tel"]),
    col("email", &["メール", "メールアドレス", "e-mail", "mail"]),
    col("verified_on", &["確認日", "最終確認日"]),
];

/// バックアップ台帳.
pub const BACKUPS: &[Column] = &[
    col("system", &["システム", "対象システム", "機器", "管理番号"]),
    col("data", &["対象データ", "バックアップ対象", "内容"]),
    col("destination", &["保存先", "バックアップ先"]),
    col("destination_kind", &["保存先の種類", "保存先種別", "媒体"]),
    col("method", &["方式", "ソフト", "バックアップソフト", "方法"]),
    col("every", &["頻度", "取得頻度", "スケジュール"]),
    col("generations", &["世代数", "保存世代数", "世代"]),
    col(
        "offline_copy",
        &[
            "オフライン保管",
            "オフラインコピー",
            "不変コピー",
            "オフライン",
        ],
    ),
    col("offline_how", &["オフライン保管の方法", "保管方法"]),
    col(
        "separate_credentials",
        &["ドメインと別の認証", "専用アカウント", "認証情報の分離"],
    ),
    col(
        "last_success",
        &["最終成功日", "最終バックアップ日", "最終取得日"],
    ),
    col(
        "last_restore_test",
        &["最終復元テスト日", "最終リストアテスト日", "復元テスト日"],
    ),
    col(
        "restore_result",
        &["復元テスト結果", "リストア結果", "結果"],
    ),
    col(
        "restore_minutes",
        &["復元にかかった時間", "復元時間", "所要時間"],
    ),
];

/// 復元訓練記録.
pub const RESTORE_DRILLS: &[Column] = &[
    col("date", &["実施日", "訓練日", "日付"]),
    col("system", &["システム", "対象システム", "機器"]),
    col("restored", &["復元したもの", "復元対象", "内容"]),
    col("minutes", &["所要時間", "かかった時間", "復元時間"]),
    col("result", &["結果", "成否"]),
    col("by", &["実施者", "担当者"]),
];

/// BCP一覧.
pub const BCP: &[Column] = &[
    col("system", &["システム", "対象システム", "機器"]),
    col("priority", &["復旧優先順位", "優先順位", "優先度"]),
    col("rto", &["目標復旧時間", "RTO", "目標時間"]),
    col(
        "downtime_procedure",
        &["停止時の運用", "紙運用", "代替手順"],
    ),
    col("kept_at", &["保管場所", "計画の保管場所"]),
    col("last_exercise", &["最終訓練日", "訓練日"]),
    col("exercise_result", &["訓練結果"]),
    col("last_review", &["最終見直し日", "見直し日"]),
];

/// Lower case, full-width folded, without spaces, `_`, `-` and `・`.
pub fn normalize_header(h: &str) -> String {
    normalize(h.trim_start_matches('\u{FEFF}'))
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '・' | '\t'))
        .collect()
}

/// The canonical column a header stands for, if any.
pub fn resolve(columns: &[Column], header: &str) -> Option<&'static str> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    columns
        .iter()
        .find(|c| {
            normalize_header(c.name) == h || c.aliases.iter().any(|a| normalize_header(a) == h)
        })
        .map(|c| c.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_resolve_in_both_languages() {
        assert_eq!(resolve(ASSETS, "最終パッチ適用日"), Some("last_patched"));
        assert_eq!(resolve(ASSETS, "Last Patched"), Some("last_patched"));
        assert_eq!(resolve(ASSETS, "ＩＰアドレス"), Some("ip"));
        assert_eq!(resolve(ACCOUNTS, "ユーザID"), Some("username"));
        assert_eq!(resolve(ACCOUNTS, "\u{FEFF}system"), Some("system"));
        assert_eq!(resolve(ASSETS, "備考"), None);
        // What a clinic writes (issue 14).
        assert_eq!(resolve(ACCOUNTS, "ユーザー名"), Some("username"));
        assert_eq!(
            resolve(ACCOUNTS, "パスワード変更日"),
            Some("password_last_set")
        );
        assert_eq!(resolve(ASSETS, "No."), Some("id"));
        assert_eq!(resolve(ASSETS, "ＮＯ．"), Some("id"));
        assert_eq!(resolve(CONNECTIONS, "保守業者"), Some("vendor"));
    }

    #[test]
    fn no_alias_is_claimed_by_two_columns_of_one_table() {
        for table in [
            ASSETS,
            VENDORS,
            CONNECTIONS,
            ACCOUNTS,
            STAFF,
            CONTACTS,
            BACKUPS,
            RESTORE_DRILLS,
            BCP,
        ] {
            let mut seen = std::collections::HashMap::new();
            for c in table {
                for h in std::iter::once(&c.name).chain(c.aliases) {
                    if let Some(other) = seen.insert(normalize_header(h), c.name)
                        && other != c.name
                    {
                        panic!("header {h} claimed by {other} and {}", c.name);
                    }
                }
            }
        }
    }
}
