//! `mamori init`: a ready-to-fill site folder for a clinic or hospital that starts from nothing.
//!
//! One Excel workbook per table, under the Japanese name offices use (機器台帳.xlsx …): the first
//! sheet holds the header row (the Japanese names mamori reads) with drop-down lists for kinds
//! and yes/no, the second sheet 「記入のしかた」 explains each column with an example; then
//! `site.toml` with Japanese comments and `checklist.toml` with this fiscal year's MHLW items
//! ready to answer. Nothing is overwritten: a folder that already has files is refused.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use mamori_model::Localized;
use mamori_model::catalog::checklist_for;
use mamori_model::site::{SiteKind, fiscal_year};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use crate::Clock;

/// What to write.
#[derive(Clone, Debug)]
pub struct InitOptions {
    /// The folder to create (or an empty one to fill).
    pub dir: PathBuf,
    /// Clinic or hospital: decides the checklist items and the comments.
    pub kind: SiteKind,
    /// The institution's name for `site.toml`; a placeholder when `None`.
    pub name: Option<String>,
    /// Today, for the fiscal year of the checklist.
    pub clock: Clock,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct InitOutcome {
    /// The folder.
    pub dir: PathBuf,
    /// The files written, in the order to fill them in, each with what it is for.
    pub files: Vec<(String, Localized)>,
    /// The fiscal year of the checklist written.
    pub fiscal_year: i16,
}

/// How a column's cells are checked in the template.
#[derive(Clone, Copy)]
enum Entry {
    Text,
    Date,
    List(&'static [&'static str]),
}

const YES_NO: Entry = Entry::List(&["はい", "いいえ", "不明"]);

/// One column of a template: the header mamori reads, what to write, an example.
struct TemplateColumn {
    header: &'static str,
    help: &'static str,
    example: &'static str,
    entry: Entry,
}

const fn col(
    header: &'static str,
    help: &'static str,
    example: &'static str,
    entry: Entry,
) -> TemplateColumn {
    TemplateColumn {
        header,
        help,
        example,
        entry,
    }
}

/// One table's workbook.
struct Template {
    file: &'static str,
    purpose: &'static str,
    columns: &'static [TemplateColumn],
}

const TEMPLATES: &[Template] = &[
    Template {
        file: "接続点一覧.xlsx",
        purpose: "外部からつながる回線（保守業者の VPN・リモート保守、インターネット回線）。ランサムウェアの入口になる所なので最初に書いてください",
        columns: &[
            col(
                "接続ID",
                "接続ごとの番号。空欄なら行番号で区別します",
                "C1",
                Entry::Text,
            ),
            col(
                "保守業者",
                "この回線を使う事業者（事業者一覧の事業者ID）。自院のインターネット回線なら空欄",
                "V1",
                Entry::Text,
            ),
            col(
                "機器",
                "院内側の機器（機器台帳の管理番号）",
                "A4",
                Entry::Text,
            ),
            col(
                "接続方式",
                "回線の種類",
                "VPN",
                Entry::List(&[
                    "VPN",
                    "リモートデスクトップ",
                    "専用線",
                    "インターネット",
                    "クラウド",
                ]),
            ),
            col(
                "用途",
                "何のための回線か",
                "電子カルテのリモート保守",
                Entry::Text,
            ),
            col(
                "接続元制限",
                "決まった接続元（業者の固定 IP など）だけを許可しているか。分からなければ「不明」",
                "はい",
                YES_NO,
            ),
            col(
                "多要素認証",
                "パスワードのほかにワンタイムパスワードなどが要るか",
                "いいえ",
                YES_NO,
            ),
            col(
                "常時接続",
                "いつもつながっているか（保守の時だけなら「いいえ」）",
                "はい",
                YES_NO,
            ),
        ],
    },
    Template {
        file: "機器台帳.xlsx",
        purpose: "院内の機器。VPN装置・ルーター・サーバ・パソコン",
        columns: &[
            col(
                "管理番号",
                "機器ごとの番号。空欄なら行番号で区別します",
                "A4",
                Entry::Text,
            ),
            col("機器名", "ふだんの呼び名", "VPNルーター", Entry::Text),
            col(
                "種別",
                "機器の種類",
                "VPN装置",
                Entry::List(&[
                    "サーバ",
                    "端末",
                    "ネットワーク",
                    "ゲートウェイ",
                    "VPN装置",
                    "IoT機器",
                    "医療機器",
                    "プリンタ",
                    "NAS",
                    "その他",
                ]),
            ),
            col("メーカー", "製造元", "ヤマハ", Entry::Text),
            col("型番", "製品名・型番", "RTX1210", Entry::Text),
            col(
                "バージョン",
                "ファームウェアや OS の版（保守業者の報告書に書いてあります）",
                "Rev.14.01.42",
                Entry::Text,
            ),
            col("IPアドレス", "分かれば", "192.168.1.1", Entry::Text),
            col(
                "インターネット接続",
                "インターネットから直接つながるか",
                "はい",
                YES_NO,
            ),
            col("設置場所", "置いてある所", "事務室", Entry::Text),
            col(
                "保守事業者",
                "保守している事業者（事業者一覧の事業者ID）",
                "V1",
                Entry::Text,
            ),
            col(
                "最終パッチ適用日",
                "最後に更新した日。業者に任せているなら「業者管理」",
                "2026/10/1",
                Entry::Date,
            ),
            col(
                "定義ファイル更新日",
                "ウイルス対策ソフトの定義ファイルを最後に更新した日",
                "",
                Entry::Date,
            ),
            col(
                "サポート終了日",
                "メーカーの更新が終わる日",
                "2029/3/31",
                Entry::Date,
            ),
            col(
                "シリアル番号",
                "設定ファイルと機器を結びつけます",
                "",
                Entry::Text,
            ),
        ],
    },
    Template {
        file: "アカウント台帳.xlsx",
        purpose: "電子カルテ・パソコン・VPN などのアカウント。退職者のアカウントを見つけるのに使います",
        columns: &[
            col(
                "システム",
                "どのシステムのアカウントか。同じシステムが続く行は空欄でもかまいません",
                "電子カルテ",
                Entry::Text,
            ),
            col("ユーザー名", "ログインに使う名前", "suzuki", Entry::Text),
            col("氏名", "使っている人", "鈴木 花子", Entry::Text),
            col("職員番号", "職員名簿の職員番号", "S003", Entry::Text),
            col("有効", "今ログインできるか", "はい", YES_NO),
            col("管理者権限", "管理者の権限があるか", "いいえ", YES_NO),
            col(
                "多要素認証",
                "パスワードのほかに確認があるか",
                "いいえ",
                YES_NO,
            ),
            col(
                "最終ログイン",
                "最後にログインした日",
                "2026/11/18",
                Entry::Date,
            ),
            col(
                "パスワード変更日",
                "最後にパスワードを変えた日",
                "2026/4/1",
                Entry::Date,
            ),
            col("共用", "何人かで使うアカウントか", "いいえ", YES_NO),
        ],
    },
    Template {
        file: "職員名簿.xlsx",
        purpose: "職員と退職者。退職者のアカウントが残っていないかを調べます",
        columns: &[
            col("職員番号", "職員ごとの番号", "S003", Entry::Text),
            col("氏名", "名前", "鈴木 花子", Entry::Text),
            col("部署", "所属", "看護", Entry::Text),
            col(
                "在籍状況",
                "在職か退職か（休職・産休・パートも在職です）",
                "在職",
                Entry::List(&[
                    "在職",
                    "退職",
                    "休職中",
                    "産休中",
                    "育休中",
                    "パート",
                    "非常勤",
                    "派遣",
                ]),
            ),
            col("退職日", "退職した（する）日", "", Entry::Date),
        ],
    },
    Template {
        file: "緊急連絡先.xlsx",
        purpose: "被害にあったときに電話する相手。保守事業者・警察・厚生労働省・日本医師会を必ず入れてください",
        columns: &[
            col(
                "区分",
                "連絡先の種類",
                "保守事業者",
                Entry::List(&["保守事業者", "警察", "厚生労働省", "日本医師会", "院内"]),
            ),
            col("名称", "相手の名前", "みどり電算 サポート", Entry::Text),
            col(
                "電話番号",
                "夜間・休日もつながる番号",
                "03-0000-0002",
                Entry::Text,
            ),
            col("メール", "", "", Entry::Text),
            col(
                "確認日",
                "実際に電話やメールで確かめた日",
                "2026/10/1",
                Entry::Date,
            ),
        ],
    },
    Template {
        file: "事業者一覧.xlsx",
        purpose: "保守や委託をしている事業者",
        columns: &[
            col(
                "事業者ID",
                "事業者ごとの番号（接続点一覧・機器台帳から参照します）",
                "V1",
                Entry::Text,
            ),
            col("事業者名", "会社名", "みどり電算", Entry::Text),
            col(
                "業務内容",
                "何をしてもらっているか",
                "電子カルテ・VPN の保守",
                Entry::Text,
            ),
            col("守秘義務契約", "秘密保持の契約があるか", "はい", YES_NO),
            col(
                "事業者確認用回収日",
                "厚生労働省チェックリスト（事業者確認用）を回収した日",
                "",
                Entry::Date,
            ),
            col(
                "MDS/SDS受領日",
                "医療情報セキュリティ開示書を受け取った日",
                "",
                Entry::Date,
            ),
        ],
    },
    Template {
        file: "バックアップ台帳.xlsx",
        purpose: "バックアップの取り方。ランサムウェアはバックアップも暗号化します。ネットワークから切り離したコピーがあるかが要です",
        columns: &[
            col(
                "システム",
                "どのシステムのバックアップか（機器台帳の管理番号か、電子カルテなどの名前）",
                "電子カルテ",
                Entry::Text,
            ),
            col(
                "対象データ",
                "何を保存しているか",
                "データベース",
                Entry::Text,
            ),
            col(
                "保存先",
                "保存している場所（NAS の名前、フォルダ、サービス名）",
                "NAS-01",
                Entry::Text,
            ),
            col(
                "保存先の種類",
                "保存先の種類",
                "NAS",
                Entry::List(&["NAS", "サーバ", "外付けHDD", "テープ", "クラウド", "その他"]),
            ),
            col(
                "方式",
                "バックアップソフトややり方",
                "Windows Server バックアップ",
                Entry::Text,
            ),
            col(
                "頻度",
                "どのくらいの間隔で取るか",
                "毎日",
                Entry::List(&["毎日", "平日", "毎週", "毎月"]),
            ),
            col("世代数", "何回分を残しているか", "7", Entry::Text),
            col(
                "オフライン保管",
                "ネットワークから切り離したコピー（外付けHDDを外して保管、テープなど）があるか",
                "いいえ",
                YES_NO,
            ),
            col(
                "オフライン保管の方法",
                "どうやって切り離しているか",
                "外付けHDDを週1回交換して金庫に保管",
                Entry::Text,
            ),
            col(
                "ドメインと別の認証",
                "バックアップ先のパスワードが、Windows のログインと別になっているか",
                "はい",
                YES_NO,
            ),
            col(
                "最終成功日",
                "最後にバックアップが成功した日",
                "2026/11/20",
                Entry::Date,
            ),
            col(
                "最終復元テスト日",
                "最後に実際に戻してみた日",
                "2026/3/15",
                Entry::Date,
            ),
            col(
                "復元テスト結果",
                "そのときに戻せたか",
                "成功",
                Entry::List(&["成功", "失敗"]),
            ),
            col(
                "復元にかかった時間",
                "戻すのにかかった時間",
                "3時間",
                Entry::Text,
            ),
        ],
    },
    Template {
        file: "復元訓練記録.xlsx",
        purpose: "バックアップから実際に戻してみた記録。戻せることを確かめていないバックアップは当てにできません",
        columns: &[
            col("実施日", "訓練した日", "2026/3/15", Entry::Date),
            col("システム", "戻したシステム", "電子カルテ", Entry::Text),
            col(
                "復元したもの",
                "何を戻したか",
                "前日のデータベース",
                Entry::Text,
            ),
            col("所要時間", "戻すのにかかった時間", "3時間", Entry::Text),
            col("結果", "戻せたか", "成功", Entry::List(&["成功", "失敗"])),
            col("実施者", "だれが行ったか", "事務長 緑川", Entry::Text),
        ],
    },
    Template {
        file: "BCP一覧.xlsx",
        purpose: "システムが止まったときの運用（紙カルテなど）と、いつまでに戻すかの目標",
        columns: &[
            col("システム", "対象のシステム", "電子カルテ", Entry::Text),
            col("復旧優先順位", "戻す順番（1 が最初）", "1", Entry::Text),
            col("目標復旧時間", "いつまでに戻すか", "24時間", Entry::Text),
            col(
                "停止時の運用",
                "止まっている間どうするか",
                "紙カルテと手書き伝票で受付・診療を続ける",
                Entry::Text,
            ),
            col(
                "保管場所",
                "計画と用紙を置いている場所（印刷して）",
                "事務室の赤いファイル",
                Entry::Text,
            ),
            col(
                "最終訓練日",
                "計画どおりに動けるか試した日",
                "2026/9/1",
                Entry::Date,
            ),
            col(
                "訓練結果",
                "計画どおりにできたか",
                "成功",
                Entry::List(&["成功", "失敗"]),
            ),
            col(
                "最終見直し日",
                "計画を最後に見直した日",
                "2026/4/1",
                Entry::Date,
            ),
        ],
    },
];

/// The header row of every template, by file: what `mamori_ingest` must read back (tested).
pub fn template_headers() -> Vec<(&'static str, Vec<&'static str>)> {
    TEMPLATES
        .iter()
        .map(|t| (t.file, t.columns.iter().map(|c| c.header).collect()))
        .collect()
}

/// Writes the folder. Refuses a folder that already holds anything: nothing is overwritten.
pub fn init(options: &InitOptions) -> anyhow::Result<InitOutcome> {
    let dir = &options.dir;
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("{} を開けません", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} にはすでにファイルがあります。上書きしないよう、空のフォルダか新しいフォルダの名前を指定してください",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{} を作れません", dir.display()))?;
    let year = fiscal_year(options.clock.today());
    let mut files = Vec::new();
    let name = options.name.clone().unwrap_or_else(|| match options.kind {
        SiteKind::Clinic => "（ここに診療所の名前）".to_owned(),
        SiteKind::Hospital => "（ここに病院の名前）".to_owned(),
    });
    write(dir, "site.toml", &site_toml(&name, options.kind))?;
    files.push((
        "site.toml".to_owned(),
        Localized::new(
            "施設の名前・診療時間・休診日",
            "the institution's name, hours, closed days",
        ),
    ));
    for t in TEMPLATES {
        write_template(&dir.join(t.file), t).with_context(|| format!("{} を書けません", t.file))?;
        files.push((t.file.to_owned(), Localized::new(t.purpose, t.purpose)));
    }
    write(dir, "checklist.toml", &checklist_toml(year))?;
    files.push((
        "checklist.toml".to_owned(),
        Localized::new(
            format!(
                "令和{}年度の厚生労働省チェックリスト（医療機関確認用）の回答",
                mamori_model::site::reiwa(year)
            ),
            format!("answers to the MHLW checklist for fiscal {year}"),
        ),
    ));
    Ok(InitOutcome {
        dir: dir.clone(),
        files,
        fiscal_year: year,
    })
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    std::fs::write(dir.join(name), text).with_context(|| format!("{name} を書けません"))
}

fn write_template(path: &Path, t: &Template) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDEBF7");
    let sheet = book.add_worksheet();
    sheet.set_name(t.file.trim_end_matches(".xlsx"))?;
    for (i, c) in t.columns.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, c.header, &bold)?;
        sheet.set_column_width(col, (c.header.chars().count() as f64 * 2.2).max(12.0))?;
        let validation = match c.entry {
            Entry::Text => None,
            Entry::Date => Some(
                DataValidation::new()
                    .allow_any_value()
                    .set_input_title("日付")?
                    .set_input_message("2026/4/1 のように書きます（令和8年4月1日 も読めます）")?,
            ),
            Entry::List(values) => Some(
                DataValidation::new()
                    .allow_list_strings(values)?
                    .set_input_title(c.header)?
                    .set_input_message(c.help)?,
            ),
        };
        if let Some(v) = validation {
            sheet.add_data_validation(1, col, 1000, col, &v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let help = book.add_worksheet();
    help.set_name("記入のしかた")?;
    help.write_string(0, 0, t.purpose)?;
    help.write_string(
        1,
        0,
        "最初のシートの 2 行目から、1 行に 1 件ずつ書いてください。分からない欄は「不明」と書けば、mamori が確認を促します。",
    )?;
    for (col, h) in ["列", "書くこと", "記入例"].iter().enumerate() {
        help.write_string_with_format(3, col as u16, *h, &bold)?;
    }
    for (i, c) in t.columns.iter().enumerate() {
        let row = 4 + i as u32;
        help.write_string(row, 0, c.header)?;
        help.write_string(row, 1, c.help)?;
        help.write_string(row, 2, c.example)?;
    }
    help.set_column_width(0, 20)?;
    help.set_column_width(1, 70)?;
    help.set_column_width(2, 24)?;
    book.save(path)
}

fn site_toml(name: &str, kind: SiteKind) -> String {
    let kind = match kind {
        SiteKind::Clinic => "clinic",
        SiteKind::Hospital => "hospital",
    };
    format!(
        r#"# mamori のサイト設定。書き方の詳細は docs/site-format.md。
# 施設の名前（報告書の見出しになります）
name = "{name}"
# clinic（診療所）か hospital（病院）
kind = "{kind}"

# 診療時間。この時間の外や休診日のログインを「時間外」として調べます。
[hours]
open = "09:00"
close = "18:00"
days = ["月", "火", "水", "木", "金", "土"]

# 休診日。年末年始（12/29〜1/3）と祝日は最初から休みとして扱います。
[closures]
# 開院記念日などの休診日を足すときは extra_days = ["2027-06-01"] のように書きます。
extra_days = []
"#
    )
}

fn checklist_toml(year: i16) -> String {
    let mut out = String::from(
        "# 厚生労働省「医療機関におけるサイバーセキュリティ対策チェックリスト」（医療機関確認用）の回答。\n\
         # 項目ごとに answer（はい・いいえ・対象外）、checked_on（確認した日）、checked_by（確認した人）を書きます。\n\
         # 「いいえ」の項目は target_date（いつまでに行うか）も書いてください。`mamori checklist` で点検結果を見ながら記入できます。\n\
         # 書き方の詳細は docs/checklist.md。\n",
    );
    let Some(list) = checklist_for("institution", year) else {
        return out;
    };
    for item in &list.items {
        out.push_str(&format!(
            "\n# {} {}\n[[answer]]\nfiscal_year = {year}\nitem = \"{}\"\n# answer = \"はい\"\n# checked_on = {year}-12-01\n# checked_by = \"\"\n",
            item.number,
            item.ja,
            item.key
        ));
    }
    out
}
