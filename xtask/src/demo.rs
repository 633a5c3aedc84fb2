//! The demo hospital: さくら台総合病院 (fictional, ~200 beds). Every name, address and phone
//! number here is invented.
//!
//! The story, as of 2026-11-21, in the spirit of the Japanese incidents:
//! - the FortiGate (FW-01) has not been patched for three months, and its built-in `admin`
//!   account is still used, without MFA;
//! - the catering contractor (V03, no NDA) has its own always-on VPN router (RT-05) into the
//!   hospital, open to any source, password only, version unknown — the Osaka path;
//! - a nurse who left in September still has a working VPN account;
//! - the file server runs an OS past end of support; an ultrasound unit runs Windows 7;
//! - the cloud backup goes to a vendor missing from the vendor list;
//! - the JMA hotline is missing from the phone list, and one vendor number is unverified;
//! - `configs/FW-01.conf`: the FortiGate's backup says 7.0.9 where the ledger says 7.0.12,
//!   management open on the internet side, SSL-VPN from any address with password-only users
//!   (see `fortigate_config`);
//! - `configs/RT-02.txt`: the home-nursing station's YAMAHA RTX830, maintained by the network
//!   vendor (V02): its web GUI answers on the internet side, as the WAN filter list ends in
//!   `pass * * * * *` after the usual NetBIOS rejects; no syslog host (see `RTX_CONFIG`);
//! - `feeds/`: the KEV catalog (fresh) and NVD records (three weeks old) for these devices:
//!   FW-01's 7.0.9 is on three known-exploited SSL-VPN/fgfm flaws, the old file server on
//!   PrintNightmare (see `demo_feeds`);
//! - `logs/`: over the 2025/26 New Year an SSL-VPN spray, a success with that leaver's VPN
//!   account, and a new FortiGate administrator the next night (see `fortigate_log`); the next
//!   morning the file server calls a listed server every ten minutes, first seen that night
//!   (`fortigate-fw01-traffic.log`, `feeds/blocklists/`: see `demo_traffic`).
//!
//! Everything else is in order.

use std::path::Path;

use anyhow::Context;

use crate::names::{DEPARTMENTS, GIVEN, Lcg, ROMAJI, SURNAMES};
use crate::write::{Table, csv_cp932, csv_utf8, xlsx};

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

const SITE_TOML: &str = r#"# さくら台総合病院（架空）のサイト設定 / demo site settings (fictional hospital)
id = "sakuradai-general"
name = "さくら台総合病院"
kind = "hospital"

[hours]
open = "08:30"
close = "17:30"
days = ["月", "火", "水", "木", "金", "土"]

[closures]
# 年末年始は 12/29–1/3（既定値と同じ）。創立記念日は休診。
year_end = ["12-29", "01-03"]
extra_days = ["2026-06-01", "2027-06-01"]

[thresholds]
# 既定値のまま。変える場合は docs/site-format.md を参照。
account_stale_days = 90
"#;

struct Person {
    employee_id: String,
    name: String,
    romaji: String,
    department: &'static str,
    left_on: Option<&'static str>,
}

fn staff(rng: &mut Lcg) -> Vec<Person> {
    let mut people = Vec::new();
    let mut used = std::collections::HashSet::new();
    for i in 1..=128 {
        let s = rng.below(SURNAMES.len());
        let g = rng.pick(GIVEN);
        let mut romaji = format!("{}.{}", ROMAJI[s], (b'a' + rng.below(26) as u8) as char);
        while !used.insert(romaji.clone()) {
            romaji.push((b'a' + rng.below(26) as u8) as char);
        }
        // Six leavers: three whose accounts were cleaned up, three whose were not (below).
        let left_on = match i {
            17 => Some("2026-09-30"),
            42 => Some("2026-03-31"),
            63 => Some("2025-12-31"),
            77 => Some("2026-06-30"),
            95 => Some("2026-10-31"),
            110 => Some("2026-03-31"),
            _ => None,
        };
        people.push(Person {
            employee_id: format!("E{:04}", 1000 + i),
            name: format!("{} {}", SURNAMES[s], g),
            romaji,
            department: rng.pick(DEPARTMENTS),
            left_on,
        });
    }
    people
}

fn date_days_before(days: u32) -> String {
    // Days before 2026-11-21, without a date crate: walk back month by month.
    let month_len = |y: i32, m: u32| match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if y % 4 == 0 => 29,
        _ => 28,
    };
    let (mut y, mut m, mut d) = (2026i32, 11u32, 21i64 - i64::from(days));
    while d < 1 {
        m = if m == 1 { 12 } else { m - 1 };
        if m == 12 {
            y -= 1;
        }
        d += month_len(y, m);
    }
    format!("{y:04}-{m:02}-{d:02}")
}

#[expect(
    clippy::too_many_lines,
    reason = "the demo data written out row by row: a table reads best whole"
)]
fn assets(rng: &mut Lcg) -> Table {
    let header = vec![
        "管理番号",
        "機器名",
        "種別",
        "メーカー",
        "型番",
        "バージョン",
        "IPアドレス",
        "インターネット接続",
        "管理者",
        "設置場所",
        "保守事業者",
        "最終パッチ適用日",
        "定義ファイル更新日",
        "サポート終了日",
        "備考",
    ];
    let mut rows = vec![
        row(&[
            "FW-01",
            "基幹ファイアウォール（SSL-VPN）",
            "gateway",
            "Fortinet",
            "FortiGate 100F",
            "7.0.12",
            "203.0.113.10",
            "有",
            "情報システム係",
            "サーバ室",
            "V02",
            "2026-08-20",
            "",
            "2030-12-31",
            "保守用SSL-VPNを提供",
        ]),
        row(&[
            "RT-05",
            "給食委託事業者VPNルータ",
            "vpn",
            "YAMAHA",
            "RTX1210",
            "",
            "203.0.113.25",
            "有",
            "栄養科",
            "栄養科事務室",
            "V03",
            "業者管理",
            "",
            "",
            "事業者が設置。院内LANに直結",
        ]),
        row(&[
            "RT-02",
            "訪問看護ステーション接続ルータ",
            "vpn",
            "YAMAHA",
            "RTX830",
            "15.02.26",
            "203.0.113.30",
            "有",
            "情報システム係",
            "訪問看護ステーション",
            "V02",
            "2025-11-12",
            "",
            "",
            "ステーションと本院を結ぶ拠点間VPN",
        ]),
        row(&[
            "SW-01",
            "コアスイッチ",
            "network",
            "Cisco",
            "Catalyst 9300",
            "17.9.4",
            "10.0.0.2",
            "無",
            "情報システム係",
            "サーバ室",
            "V02",
            "2026-09-30",
            "",
            "2029-10-31",
            "",
        ]),
        row(&[
            "SW-02",
            "フロアスイッチ 2F",
            "network",
            "Cisco",
            "Catalyst 1000",
            "15.2(7)E9",
            "10.0.0.12",
            "無",
            "情報システム係",
            "2F EPS",
            "V02",
            "2026-09-30",
            "",
            "2029-10-31",
            "",
        ]),
        row(&[
            "AP-01",
            "無線LANコントローラ",
            "network",
            "Aruba",
            "7010",
            "8.10.0.12",
            "10.0.0.20",
            "無",
            "情報システム係",
            "サーバ室",
            "V02",
            "2026-10-05",
            "",
            "2028-03-31",
            "",
        ]),
        row(&[
            "SRV-EMR-01",
            "電子カルテサーバ（主）",
            "server",
            "Microsoft",
            "Windows Server 2019",
            "10.0.17763.6414",
            "10.0.10.11",
            "無",
            "情報システム係",
            "サーバ室",
            "V01",
            "2026-10-15",
            "2026-11-20",
            "2029-01-09",
            "",
        ]),
        row(&[
            "SRV-EMR-02",
            "電子カルテサーバ（副）",
            "server",
            "Microsoft",
            "Windows Server 2019",
            "10.0.17763.6414",
            "10.0.10.12",
            "無",
            "情報システム係",
            "サーバ室",
            "V01",
            "2026-10-15",
            "2026-11-20",
            "2029-01-09",
            "",
        ]),
        row(&[
            "SRV-AD-01",
            "ドメインコントローラ",
            "server",
            "Microsoft",
            "Windows Server 2016",
            "10.0.14393.7428",
            "10.0.10.5",
            "無",
            "情報システム係",
            "サーバ室",
            "V01",
            "2026-10-15",
            "2026-11-20",
            "2027-01-12",
            "更新を来年度予算で計画中",
        ]),
        row(&[
            "SRV-FILE-01",
            "院内ファイルサーバ",
            "server",
            "Microsoft",
            "Windows Server 2012 R2",
            "6.3.9600",
            "10.0.10.20",
            "無",
            "総務課",
            "サーバ室",
            "V01",
            "2023-10-10",
            "2026-11-19",
            "2023-10-10",
            "移行先未定",
        ]),
        row(&[
            "SRV-LAB-01",
            "検査システムサーバ",
            "server",
            "Microsoft",
            "Windows Server 2022",
            "10.0.20348.2849",
            "10.0.10.31",
            "無",
            "臨床検査科",
            "サーバ室",
            "V01",
            "2026-10-15",
            "2026-11-20",
            "2031-10-14",
            "",
        ]),
        row(&[
            "SRV-RX-01",
            "薬剤部門システム",
            "server",
            "Microsoft",
            "Windows Server 2022",
            "10.0.20348.2849",
            "10.0.10.32",
            "無",
            "薬剤部",
            "サーバ室",
            "V01",
            "2026-10-15",
            "2026-11-20",
            "2031-10-14",
            "",
        ]),
        row(&[
            "PACS-01",
            "PACSサーバ",
            "server",
            "Microsoft",
            "Windows Server 2019",
            "10.0.17763.6414",
            "10.0.20.10",
            "無",
            "放射線科",
            "サーバ室",
            "V04",
            "2026-09-10",
            "2026-11-20",
            "2029-01-09",
            "",
        ]),
        row(&[
            "NAS-01",
            "バックアップNAS",
            "nas",
            "Synology",
            "RS1221+",
            "7.2.2-72806",
            "10.0.10.50",
            "無",
            "情報システム係",
            "サーバ室",
            "",
            "2026-10-01",
            "",
            "2030-06-30",
            "夜間バックアップ・クラウド転送",
        ]),
        row(&[
            "WEB-01",
            "病院ホームページ",
            "server",
            "",
            "レンタルサーバ（CMS）",
            "6.6.2",
            "198.51.100.40",
            "有",
            "総務課",
            "外部データセンター",
            "",
            "2026-11-02",
            "",
            "",
            "",
        ]),
        row(&[
            "MD-CT-01",
            "CT装置",
            "medical-device",
            "キヤノンメディカル",
            "Aquilion",
            "10.2",
            "10.0.20.21",
            "無",
            "放射線科",
            "CT室",
            "V04",
            "2026-10-20",
            "",
            "2031-03-31",
            "",
        ]),
        row(&[
            "MD-MR-01",
            "MRI装置",
            "medical-device",
            "シーメンス",
            "MAGNETOM",
            "XA50",
            "10.0.20.22",
            "無",
            "放射線科",
            "MRI室",
            "V04",
            "2026-10-20",
            "",
            "2030-03-31",
            "",
        ]),
        row(&[
            "MD-US-01",
            "超音波診断装置（旧）",
            "medical-device",
            "GE",
            "LOGIQ",
            "Windows 7 Embedded",
            "10.0.20.31",
            "無",
            "臨床検査科",
            "生理検査室",
            "V04",
            "2019-12-01",
            "",
            "2020-10-13",
            "更新まで院内LANから分離予定",
        ]),
        row(&[
            "MD-US-02",
            "超音波診断装置",
            "medical-device",
            "GE",
            "LOGIQ E10",
            "R3",
            "10.0.20.32",
            "無",
            "臨床検査科",
            "生理検査室",
            "V04",
            "2026-10-20",
            "",
            "2032-03-31",
            "",
        ]),
        row(&[
            "MD-XR-01",
            "一般撮影装置",
            "medical-device",
            "富士フイルム",
            "FCR",
            "V9.1",
            "10.0.20.23",
            "無",
            "放射線科",
            "撮影室1",
            "V04",
            "2026-10-20",
            "",
            "2030-03-31",
            "",
        ]),
        row(&[
            "MD-EN-01",
            "内視鏡システム",
            "medical-device",
            "オリンパス",
            "EVIS X1",
            "1.5",
            "10.0.20.41",
            "無",
            "内科",
            "内視鏡室",
            "V04",
            "2026-09-25",
            "",
            "2032-03-31",
            "",
        ]),
        row(&[
            "IOT-CAM-01",
            "監視カメラ（正面玄関）",
            "iot",
            "パナソニック",
            "WV-S1536",
            "3.40",
            "10.0.30.11",
            "無",
            "総務課",
            "正面玄関",
            "V05",
            "2026-04-01",
            "",
            "2029-03-31",
            "",
        ]),
        row(&[
            "IOT-CAM-02",
            "監視カメラ（救急入口）",
            "iot",
            "パナソニック",
            "WV-S1536",
            "3.40",
            "10.0.30.12",
            "無",
            "総務課",
            "救急入口",
            "V05",
            "2026-10-01",
            "",
            "2029-03-31",
            "",
        ]),
        row(&[
            "IOT-NC-01",
            "ナースコール親機",
            "iot",
            "ケアコム",
            "Vi-nurse",
            "4.2",
            "10.0.30.21",
            "無",
            "看護部",
            "3階ナースステーション",
            "V05",
            "2026-10-01",
            "",
            "2030-03-31",
            "",
        ]),
        row(&[
            "PRN-01",
            "複合機（医事課）",
            "printer",
            "リコー",
            "IM C3010",
            "1.08",
            "10.0.40.11",
            "無",
            "医事課",
            "医事課",
            "",
            "2026-09-01",
            "",
            "2029-12-31",
            "",
        ]),
        row(&[
            "PRN-02",
            "プリンタ（3階病棟）",
            "printer",
            "エプソン",
            "LP-S380",
            "1.02",
            "10.0.40.12",
            "無",
            "看護部",
            "3階ナースステーション",
            "",
            "2026-09-01",
            "",
            "2029-12-31",
            "",
        ]),
    ];
    // 35 electronic-record terminals and office PCs; two have stalled antivirus updates.
    for i in 1..=35 {
        let dept = rng.pick(DEPARTMENTS);
        let av = match i {
            7 => "2026-10-02".to_owned(),
            23 => "2026-11-01".to_owned(),
            _ => date_days_before(rng.below(3) as u32),
        };
        rows.push(vec![
            format!("PC-{i:03}"),
            format!("電子カルテ端末 {dept}"),
            "pc".into(),
            "NEC".into(),
            "Mate".into(),
            "Windows 11 23H2".into(),
            format!("10.0.50.{}", 10 + i),
            "無".into(),
            dept.into(),
            dept.into(),
            "V01".into(),
            "2026-11-12".into(),
            av,
            "2027-11-10".into(),
            String::new(),
        ]);
    }
    (header, rows)
}

fn vendors() -> Table {
    (
        vec![
            "id",
            "事業者名",
            "業務内容",
            "契約",
            "守秘義務契約",
            "事業者確認用回収日",
            "MDS/SDS受領日",
        ],
        vec![
            row(&[
                "V01",
                "ミドリ医療システム株式会社",
                "電子カルテ・部門システム保守",
                "保守契約（年次）",
                "有",
                "2026-06-10",
                "2025-05-01",
            ]),
            row(&[
                "V02",
                "北斗ネットワークサービス株式会社",
                "ネットワーク・ファイアウォール保守",
                "保守契約（年次）",
                "有",
                "2025-07-01",
                "2025-07-01",
            ]),
            row(&[
                "V03",
                "株式会社あおば給食サービス",
                "給食業務委託（献立・発注システム）",
                "業務委託契約",
                "無",
                "",
                "",
            ]),
            row(&[
                "V04",
                "東洋画像システム株式会社",
                "PACS・医療機器保守",
                "保守契約（年次）",
                "有",
                "2026-05-20",
                "",
            ]),
            row(&[
                "V05",
                "有限会社ひかり設備",
                "監視カメラ・ナースコール保守",
                "保守契約（年次）",
                "有",
                "2026-09-01",
                "2024-04-01",
            ]),
        ],
    )
}

fn connections() -> Table {
    (
        vec![
            "id",
            "事業者",
            "機器",
            "種別",
            "用途",
            "接続元制限",
            "多要素認証",
            "常時接続",
        ],
        vec![
            row(&[
                "C01",
                "V02",
                "FW-01",
                "vpn",
                "ネットワーク保守のSSL-VPN",
                "有",
                "有",
                "無",
            ]),
            row(&[
                "C02",
                "V03",
                "RT-05",
                "vpn",
                "給食委託事業者の献立・発注システム",
                "無",
                "無",
                "有",
            ]),
            row(&[
                "C03",
                "V01",
                "SRV-EMR-01",
                "リモートデスクトップ",
                "電子カルテのリモート保守（FW-01 経由）",
                "有",
                "",
                "無",
            ]),
            row(&[
                "C04",
                "V04",
                "PACS-01",
                "専用線",
                "PACS・医療機器の遠隔保守（閉域網）",
                "有",
                "",
                "有",
            ]),
            row(&[
                "C05",
                "",
                "FW-01",
                "インターネット",
                "インターネット接続（光回線）",
                "有",
                "",
                "有",
            ]),
            row(&[
                "C06",
                "V06",
                "NAS-01",
                "クラウド",
                "バックアップのクラウド転送",
                "有",
                "有",
                "有",
            ]),
        ],
    )
}

#[expect(
    clippy::too_many_lines,
    reason = "the demo data written out row by row: a table reads best whole"
)]
fn accounts(people: &[Person], rng: &mut Lcg) -> Table {
    let header = vec![
        "システム",
        "ユーザID",
        "氏名",
        "職員番号",
        "有効",
        "管理者権限",
        "多要素認証",
        "最終ログオン",
        "パスワード最終変更日",
        "共用",
    ];
    let mut rows = Vec::new();
    // Leavers whose accounts were not cleaned up: E1017 (AD), E1095 (電子カルテ), E1077 (VPN).
    let forgotten = ["E1017", "E1095", "E1077"];
    for (i, p) in people.iter().enumerate() {
        let left = p.left_on.is_some();
        if left && !forgotten.contains(&p.employee_id.as_str()) {
            continue; // cleaned up properly
        }
        let last_logon = match i {
            30 | 58 | 99 => date_days_before(120 + rng.below(200) as u32),
            _ if left => p.left_on.unwrap_or_default().to_owned(),
            _ => date_days_before(rng.below(20) as u32),
        };
        let pwd = match i {
            12 | 44 => "2024-04-01".to_owned(),
            _ => date_days_before(30 + rng.below(300) as u32),
        };
        rows.push(vec![
            "AD".into(),
            p.romaji.clone(),
            p.name.clone(),
            p.employee_id.clone(),
            "有効".into(),
            "×".into(),
            String::new(),
            last_logon,
            pwd,
            String::new(),
        ]);
    }
    // 電子カルテ accounts for a handful of people (the rest log in through AD single sign-on).
    for p in people
        .iter()
        .filter(|p| ["E1095", "E1003", "E1008"].contains(&p.employee_id.as_str()))
    {
        rows.push(row(&[
            "電子カルテ",
            &p.romaji,
            &p.name,
            &p.employee_id,
            "有効",
            "×",
            "",
            "2026-10-30",
            "2026-04-01",
            "",
        ]));
    }
    // The VPN users on FW-01; E1077 left in June.
    for p in people
        .iter()
        .filter(|p| ["E1077", "E1005", "E1011"].contains(&p.employee_id.as_str()))
    {
        rows.push(row(&[
            "FW-01",
            &format!("vpn-{}", p.romaji),
            &p.name,
            &p.employee_id,
            "有効",
            "×",
            "有",
            "2026-11-18",
            "2026-05-01",
            "",
        ]));
    }
    let fixed: &[&[&str]] = &[
        &[
            "AD",
            "adm-kondo",
            "近藤 達也（管理者用）",
            "E1004",
            "有効",
            "○",
            "無",
            "2026-11-20",
            "2026-02-01",
            "",
        ],
        &[
            "AD",
            "adm-it-ishii",
            "石井 舞（管理者用）",
            "E1009",
            "有効",
            "○",
            "有",
            "2026-11-19",
            "2026-08-01",
            "",
        ],
        &[
            "AD",
            "Administrator",
            "",
            "",
            "無効",
            "○",
            "",
            "2024-01-10",
            "2019-04-01",
            "",
        ],
        &[
            "AD",
            "svc-backup",
            "バックアップ用サービス",
            "",
            "有効",
            "○",
            "",
            "2026-11-21",
            "2023-03-01",
            "",
        ],
        &["AD", "guest", "", "", "無効", "×", "", "", "", ""],
        &[
            "AD",
            "ward3f",
            "3階病棟 共用端末",
            "",
            "有効",
            "×",
            "",
            "2026-11-21",
            "2022-10-01",
            "○",
        ],
        &[
            "電子カルテ",
            "midori-hoshu",
            "ミドリ医療システム 保守",
            "",
            "有効",
            "○",
            "有",
            "2026-11-02",
            "2026-06-01",
            "",
        ],
        &[
            "電子カルテ",
            "test01",
            "導入時テスト用",
            "",
            "有効",
            "×",
            "",
            "2025-03-02",
            "2023-11-01",
            "",
        ],
        &[
            "FW-01",
            "admin",
            "",
            "",
            "有効",
            "○",
            "無",
            "2026-11-15",
            "2021-06-01",
            "",
        ],
        &[
            "FW-01",
            "hokuto-support",
            "北斗ネットワーク 保守",
            "",
            "有効",
            "○",
            "有",
            "2026-10-28",
            "2026-04-01",
            "",
        ],
        &[
            "RT-05",
            "aoba",
            "あおば給食 接続用",
            "",
            "有効",
            "○",
            "無",
            "2026-11-20",
            "",
            "",
        ],
        &[
            "PACS",
            "toyo-service",
            "東洋画像 保守",
            "",
            "有効",
            "○",
            "有",
            "2026-09-10",
            "2026-03-01",
            "",
        ],
    ];
    rows.extend(fixed.iter().map(|r| row(r)));
    (header, rows)
}

fn staff_table(people: &[Person]) -> Table {
    (
        vec!["職員番号", "氏名", "部署", "在籍状況", "退職日"],
        people
            .iter()
            .map(|p| {
                vec![
                    p.employee_id.clone(),
                    p.name.clone(),
                    p.department.into(),
                    if p.left_on.is_some() {
                        "退職"
                    } else {
                        "在職"
                    }
                    .into(),
                    p.left_on.unwrap_or_default().into(),
                ]
            })
            .collect(),
    )
}

fn contacts() -> Table {
    (
        vec!["区分", "名称", "電話番号", "メール", "確認日"],
        vec![
            row(&[
                "保守事業者",
                "北斗ネットワークサービス 保守窓口（24時間）",
                "03-5555-0101",
                "support@hokuto-net.example",
                "2026-10-01",
            ]),
            row(&[
                "保守事業者",
                "ミドリ医療システム サポートセンター",
                "03-5555-0102",
                "help@midori-med.example",
                "2026-04-10",
            ]),
            row(&[
                "警察",
                "さくら県警察本部 サイバー犯罪相談窓口",
                "045-555-0110",
                "",
                "2026-10-01",
            ]),
            row(&[
                "厚生労働省",
                "医政局 医療情報担当の窓口（通常時）",
                "03-5555-0103",
                "",
                "2026-10-01",
            ]),
            row(&[
                "厚生労働省",
                "医政局 医療情報担当の窓口（年末年始）",
                "080-5555-0104",
                "",
                "2026-10-01",
            ]),
            row(&[
                "院内",
                "情報システム係（内線 2101）",
                "2101",
                "it@sakuradai-hp.example",
                "2026-11-01",
            ]),
        ],
    )
}

/// FortiGate FW-01's event log around the 2025/26 year-end closure (times JST):
/// a vendor's routine VPN session; from 198.51.100.77 a password spray against the SSL-VPN on
/// 12/30 at night; on 12/31 at night a success with the VPN account of a nurse who left in
/// June (E1077, still enabled in accounts.csv); on 1/1 at night an administrator login to the
/// FortiGate from the same address and a new administrator account, `support2`.
fn fortigate_log(people: &[Person]) -> String {
    let leaver = people
        .iter()
        .find(|p| p.employee_id == "E1077")
        .expect("E1077 exists");
    let leaver_vpn = format!("vpn-{}", leaver.romaji);
    let head = |date: &str, time: &str, logid: &str| {
        format!(
            "date={date} time={time} devname=\"FW-01\" devid=\"FG100FTK20000001\" tz=\"+0900\" logid=\"{logid}\" type=\"event\""
        )
    };
    let fail = |date: &str, time: &str, user: &str, ip: &str| {
        format!(
            "{} subtype=\"vpn\" level=\"alert\" vd=\"root\" logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 remip={ip} tunnelip=(null) user=\"{user}\" group=\"N/A\" dst_host=\"N/A\" reason=\"sslvpn_login_permission_denied\" msg=\"SSL user failed to logged in\"",
            head(date, time, "0101039426")
        )
    };
    let up = |date: &str, time: &str, user: &str, ip: &str| {
        format!(
            "{} subtype=\"vpn\" level=\"information\" vd=\"root\" logdesc=\"SSL VPN tunnel up\" action=\"tunnel-up\" tunneltype=\"ssl-tunnel\" tunnelid=1234 remip={ip} tunnelip=10.212.134.200 user=\"{user}\" group=\"SSLVPN\" dst_host=\"N/A\" reason=\"N/A\" msg=\"SSL tunnel established\"",
            head(date, time, "0101039947")
        )
    };
    let mut lines = vec![
        up("2025-12-25", "10:15:02", "hokuto-support", "203.0.113.50"),
        format!(
            "{} subtype=\"system\" level=\"alert\" vd=\"root\" logdesc=\"Admin login failed\" sn=0 user=\"root\" ui=ssh(192.0.2.200) action=login status=failed reason=\"name_invalid\" msg=\"Administrator root login failed from ssh(192.0.2.200) because of invalid user name\"",
            head("2025-12-27", "14:02:11", "0100032002")
        ),
    ];
    // The spray: 14 names, two rounds, 30 seconds apart, from 01:10 on 12/30.
    let names = [
        "admin",
        "administrator",
        "test",
        "user",
        "guest",
        "vpn",
        "support",
        "fortinet",
        "vpn-user",
        "sakuradai",
        "soumu",
        "iryo",
        "hoshu",
        "kanri",
    ];
    let mut second = 0;
    for round in 0..2 {
        for name in names {
            let t = 10 * 60 + second;
            lines.push(fail(
                "2025-12-30",
                &format!("01:{:02}:{:02}", t / 60, t % 60),
                name,
                "198.51.100.77",
            ));
            second += 30;
            let _ = round;
        }
    }
    // The way in: the leaver's account, three tries, then a tunnel.
    for (i, time) in ["02:47:10", "02:48:02", "02:49:40"].iter().enumerate() {
        let _ = i;
        lines.push(fail("2025-12-31", time, &leaver_vpn, "198.51.100.77"));
    }
    lines.push(up("2025-12-31", "02:51:15", &leaver_vpn, "198.51.100.77"));
    // The next night: the FortiGate's own admin account, and a new administrator.
    lines.push(format!("{} subtype=\"system\" level=\"information\" vd=\"root\" logdesc=\"Admin login successful\" sn=1767198600 user=\"admin\" ui=https(198.51.100.77) action=login status=success reason=none profile=\"super_admin\" msg=\"Administrator admin logged in successfully from https(198.51.100.77)\"", head("2026-01-01", "01:30:41", "0100032001")));
    lines.push(format!("{} subtype=\"system\" level=\"information\" vd=\"root\" logdesc=\"Object attribute configured\" user=\"admin\" ui=\"GUI(198.51.100.77)\" action=Add cfgtid=4194305 cfgpath=\"system.admin\" cfgobj=\"support2\" cfgattr=\"accprofile[super_admin]\" msg=\"Add system.admin support2\"", head("2026-01-01", "01:34:09", "0100044547")));
    lines.push(up(
        "2026-01-06",
        "09:40:27",
        "hokuto-support",
        "203.0.113.50",
    ));
    lines.join("\n") + "\n"
}

/// RT-02's configuration (`configs/RT-02.txt`), as `show config` prints it: the station's
/// site-to-site IPsec tunnel to the hospital, the GUI open to anyone (`httpd host any`) and a
/// WAN filter list whose NetBIOS rejects name source ports and whose last filter passes all,
/// so the GUI is reachable from the internet; no `syslog host`. Passwords and keys are fake.
const RTX_CONFIG: &str = "# RTX830 Rev.15.02.26 (Fri Jul 12 10:00:00 2024)
# MAC Address : 00:a0:de:00:02:01, 00:a0:de:00:02:02
# Memory 256Mbytes, 2LAN
# main:  RTX830 ver=00 serial=S5Z000202 MAC-Address=00:a0:de:00:02:01
# Reporting Date: Nov 20 09:00:00 2026
login password encrypted DEMOONLYloginHashRT020000000000
administrator password encrypted DEMOONLYadminHashRT02000000000
console character ja.sj
console prompt RT-02
login timer 1800
ip route default gateway dhcp lan2
ip route 10.0.0.0/16 gateway tunnel 1
ip lan1 address 192.168.70.1/24
ip lan2 address dhcp
ip lan2 secure filter in 200020 200021 200099 dynamic 200080 200081
ip lan2 nat descriptor 1000
tunnel select 1
 tunnel name SAKURADAI-HONIN
 ipsec tunnel 101
  ipsec sa policy 101 1 esp aes-cbc sha-hmac
  ipsec ike keepalive use 1 on
  ipsec ike local address 1 192.168.70.1
  ipsec ike pre-shared-key 1 text DEMOONLY-ipsec-psk-RT02
  ipsec ike remote address 1 203.0.113.10
 ip tunnel tcp mss limit auto
 tunnel enable 1
tunnel select none
ip filter 200020 reject * * udp,tcp 135 *
ip filter 200021 reject * * udp,tcp * 135
ip filter 200080 * * udp * *
ip filter 200081 * * tcp * *
ip filter 200099 pass * * * * *
ip filter dynamic 200080 * * udp
ip filter dynamic 200081 * * tcp
nat descriptor type 1000 masquerade
nat descriptor masquerade static 1000 1 192.168.70.1 udp 500
nat descriptor masquerade static 1000 2 192.168.70.1 esp
ipsec auto refresh on
httpd host any
sshd service off
dhcp service server
dhcp scope 1 192.168.70.2-192.168.70.100/24
dns server dhcp lan2
";

/// FW-01's configuration backup (`configs/FW-01.conf`), as the hospital would export it from
/// the GUI. It tells the same story as the logs and the ledger: the ledger says 7.0.12 (the
/// August update was recorded) but the device still runs 7.0.9; HTTPS/SSH/FGFM management is
/// open on wan1; the built-in `admin` has no trusted host and no token; the SSL-VPN on wan1
/// accepts any source, and the staff VPN users — the leaver among them — and the catering
/// contractor's account log in with a password alone; logs go nowhere but the device.
/// The `ENC` values are invented and mamori masks them anyway.
#[expect(
    clippy::too_many_lines,
    reason = "the demo data written out row by row: a table reads best whole"
)]
fn fortigate_config(people: &[Person]) -> String {
    let vpn_users: Vec<String> = people
        .iter()
        .filter(|p| ["E1077", "E1005", "E1011"].contains(&p.employee_id.as_str()))
        .map(|p| format!("vpn-{}", p.romaji))
        .collect();
    let mut users = String::new();
    for (i, user) in vpn_users.iter().enumerate() {
        users.push_str(&format!(
            "    edit \"{user}\"\n        set type password\n        set email-to \"{user}@sakuradai.example.jp\"\n        set passwd ENC DEMOONLY{i}x9kQ2mZ0aXBhc3N3b3JkLWRlbW8tb25seQ==\n    next\n"
        ));
    }
    let members: Vec<String> = vpn_users.iter().map(|u| format!("\"{u}\"")).collect();
    let members = members.join(" ");
    format!(
        r#"#config-version=FG100F-7.0.9-FW-build0444-221121:opmode=0:vdom=0:user=admin
#conf_file_ver=3184021654021455
#buildno=0444
#global_vdom=1
config system global
    set admin-https-ssl-versions tlsv1-1 tlsv1-2 tlsv1-3
    set alias "FortiGate-100F"
    set hostname "FW-01"
    set timezone 60
end
config system interface
    edit "wan1"
        set vdom "root"
        set ip 203.0.113.10 255.255.255.240
        set allowaccess ping https ssh fgfm
        set type physical
        set role wan
        set snmp-index 1
    next
    edit "internal1"
        set vdom "root"
        set ip 10.0.0.1 255.255.0.0
        set allowaccess ping https ssh telnet
        set type physical
        set role lan
        set snmp-index 3
    next
    edit "ssl.root"
        set vdom "root"
        set type tunnel
        set alias "SSL VPN interface"
        set snmp-index 7
    next
end
config system admin
    edit "admin"
        set accprofile "super_admin"
        set vdom "root"
        set password ENC SH2DEMOONLYnb3RhLXJlYWwtaGFzaC1kZW1vLW9ubHk=
    next
    edit "hokuto-admin"
        set accprofile "super_admin"
        set vdom "root"
        set trusthost1 203.0.113.50 255.255.255.255
        set two-factor fortitoken
        set fortitoken "FTKMOB0000DEMO01"
        set password ENC SH2DEMOONLYaG9rdXRvLWRlbW8tb25seQ==
    next
end
config user local
    edit "hokuto-support"
        set type password
        set two-factor fortitoken
        set fortitoken "FTKMOB0000DEMO02"
        set passwd ENC DEMOONLYaG9rdXRvLXN1cHBvcnQtZGVtbw==
    next
    edit "kyushoku-v03"
        set type password
        set passwd ENC DEMOONLYa3l1c2hva3UtZGVtby1vbmx5
    next
{users}end
config user ldap
    edit "AD-LDAP"
        set server "10.0.1.10"
        set cnid "sAMAccountName"
        set dn "dc=sakuradai,dc=local"
        set type regular
        set username "cn=fgt-bind,cn=Users,dc=sakuradai,dc=local"
        set password ENC DEMOONLYbGRhcC1iaW5kLWRlbW8tb25seQ==
    next
end
config user group
    edit "SSLVPN"
        set member {members} "AD-LDAP"
    next
    edit "VENDORS"
        set member "hokuto-support" "kyushoku-v03"
    next
end
config vpn ssl settings
    set ssl-min-proto-ver tls1-1
    set servercert "Fortinet_Factory"
    set tunnel-ip-pools "SSLVPN_TUNNEL_ADDR1"
    set port 10443
    set source-interface "wan1"
    set source-address "all"
    set default-portal "web-access"
    config authentication-rule
        edit 1
            set groups "SSLVPN"
            set portal "full-access"
        next
        edit 2
            set groups "VENDORS"
            set portal "full-access"
        next
    end
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
config firewall policy
    edit 1
        set name "SSLVPN-to-LAN"
        set srcintf "ssl.root"
        set dstintf "internal1"
        set srcaddr "SSLVPN_TUNNEL_ADDR1"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set groups "SSLVPN" "VENDORS"
    next
end
"#
    )
}

pub fn write_demo(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let mut rng = Lcg::new(20261121);
    let people = staff(&mut rng);
    std::fs::write(dir.join("site.toml"), SITE_TOML)?;
    xlsx(
        &dir.join("assets.xlsx"),
        "さくら台総合病院 機器台帳（令和8年度）",
        &assets(&mut rng),
    )?;
    csv_utf8(&dir.join("vendors.csv"), &vendors(), false)?;
    csv_utf8(&dir.join("connections.csv"), &connections(), false)?;
    csv_cp932(&dir.join("accounts.csv"), &accounts(&people, &mut rng))?;
    csv_utf8(&dir.join("staff.csv"), &staff_table(&people), true)?;
    csv_utf8(&dir.join("contacts.csv"), &contacts(), false)?;
    std::fs::create_dir_all(dir.join("logs"))?;
    std::fs::write(dir.join("logs/fortigate-fw01.log"), fortigate_log(&people))?;
    std::fs::create_dir_all(dir.join("configs"))?;
    std::fs::write(dir.join("configs/FW-01.conf"), fortigate_config(&people))?;
    std::fs::write(dir.join("configs/RT-02.txt"), RTX_CONFIG)?;
    std::fs::create_dir_all(dir.join("feeds"))?;
    std::fs::write(
        dir.join("feeds/known_exploited_vulnerabilities.json"),
        crate::demo_feeds::kev_json(),
    )?;
    std::fs::write(
        dir.join("feeds/nvdcve-demo.json"),
        crate::demo_feeds::nvd_json(),
    )?;
    crate::demo_checklist::write(dir)?;
    crate::demo_backup::write(dir)?;
    crate::demo_traffic::write(dir)?;
    crate::demo_scan::write(dir)?;
    Ok(())
}

/// A large synthetic site for benchmarks: `assets` devices and `accounts` accounts, with a
/// few percent of every kind of problem so that every check does real work.
#[expect(
    clippy::too_many_lines,
    reason = "the benchmark site, one table after another: it reads best in one go"
)]
pub fn write_large_site(dir: &Path, assets: usize, accounts: usize) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let mut rng = Lcg::new(7);
    std::fs::write(
        dir.join("site.toml"),
        "name = \"ベンチマーク病院\"\nid = \"bench\"\nkind = \"hospital\"\n",
    )?;
    let kinds = [
        "pc",
        "pc",
        "pc",
        "server",
        "network",
        "iot",
        "medical-device",
        "printer",
        "gateway",
    ];
    let asset_rows = (0..assets)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            vec![
                format!("A-{i:06}"),
                format!("機器{i}"),
                kind.into(),
                "Vendor".into(),
                "Product".into(),
                if i % 50 == 0 {
                    String::new()
                } else {
                    "1.0".into()
                },
                format!("10.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256),
                if i % 40 == 0 { "有" } else { "無" }.into(),
                "情報システム係".into(),
                "本館".into(),
                format!("V{:02}", i % 20),
                date_days_before(rng.below(200) as u32),
                date_days_before(rng.below(12) as u32),
                if i % 30 == 0 {
                    "2025-01-01".into()
                } else {
                    "2030-01-01".into()
                },
            ]
        })
        .collect();
    csv_utf8(
        &dir.join("assets.csv"),
        &(
            vec![
                "id",
                "name",
                "kind",
                "vendor",
                "product",
                "version",
                "ip",
                "internet_facing",
                "owner",
                "location",
                "managed_by",
                "last_patched",
                "av_updated",
                "end_of_support",
            ],
            asset_rows,
        ),
        false,
    )?;
    let staff_count = accounts / 2;
    let staff_rows = (0..staff_count)
        .map(|i| {
            let left = i % 25 == 0;
            vec![
                format!("E{i:06}"),
                format!("{} {}", rng.pick(SURNAMES), rng.pick(GIVEN)),
                rng.pick(DEPARTMENTS).into(),
                if left { "退職" } else { "在職" }.into(),
                if left { "2026-03-31" } else { "" }.into(),
            ]
        })
        .collect();
    csv_utf8(
        &dir.join("staff.csv"),
        &(
            vec!["職員番号", "氏名", "部署", "在籍状況", "退職日"],
            staff_rows,
        ),
        true,
    )?;
    let account_rows = (0..accounts)
        .map(|i| {
            let system = ["AD", "電子カルテ"][i % 2];
            vec![
                system.into(),
                if i % 500 == 0 {
                    format!("user{i}")
                } else {
                    format!("u{i:06}")
                },
                format!("{} {}", rng.pick(SURNAMES), rng.pick(GIVEN)),
                format!("E{:06}", (i / 2) % staff_count.max(1)),
                if i % 100 == 0 { "無効" } else { "有効" }.into(),
                if i % 200 == 0 { "○" } else { "×" }.into(),
                if i % 3 == 0 { "有" } else { "" }.into(),
                date_days_before(rng.below(150) as u32),
                date_days_before(rng.below(500) as u32),
                String::new(),
            ]
        })
        .collect();
    csv_cp932(
        &dir.join("accounts.csv"),
        &(
            vec![
                "システム",
                "ユーザID",
                "氏名",
                "職員番号",
                "有効",
                "管理者権限",
                "多要素認証",
                "最終ログオン",
                "パスワード最終変更日",
                "共用",
            ],
            account_rows,
        ),
    )?;
    let vendor_rows = (0..20)
        .map(|i| {
            vec![
                format!("V{i:02}"),
                format!("事業者{i}"),
                "保守".into(),
                "保守契約".into(),
                if i % 4 == 0 { "無" } else { "有" }.into(),
                if i % 3 == 0 { "" } else { "2026-05-01" }.into(),
                if i % 5 == 0 { "" } else { "2026-05-01" }.into(),
            ]
        })
        .collect();
    csv_utf8(
        &dir.join("vendors.csv"),
        &(
            vec![
                "id",
                "name",
                "services",
                "contract",
                "nda",
                "checklist_returned",
                "mds_sds_received",
            ],
            vendor_rows,
        ),
        false,
    )?;
    Ok(())
}
