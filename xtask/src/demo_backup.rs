//! The demo hospital's backup story: the electronic records go to the NAS every night and to a
//! disk in the safe every week, restored in a drill in September (five hours, against a
//! four-hour target); PACS images go only to the same NAS, two generations, under the domain's
//! password, last restored in February 2025 and stale for three weeks; the file server's copy is
//! of unknown reach; the laboratory system is not backed up at all. The BCP list covers the
//! records, PACS (no target, never exercised, not reviewed since 2025) and the laboratory.

use std::path::Path;

use crate::write::{Table, csv_cp932, csv_utf8};

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn backups() -> Table {
    (
        vec![
            "システム",
            "対象データ",
            "保存先",
            "保存先の種類",
            "方式",
            "頻度",
            "世代数",
            "オフライン保管",
            "オフライン保管の方法",
            "ドメインと別の認証",
            "最終成功日",
            "最終復元テスト日",
            "復元テスト結果",
            "復元にかかった時間",
        ],
        vec![
            row(&[
                "電子カルテ",
                "データベース",
                "NAS-01",
                "NAS",
                "電子カルテ標準バックアップ",
                "毎日",
                "14",
                "いいえ",
                "",
                "いいえ",
                "2026-11-20",
                "2026-09-28",
                "成功",
                "5時間",
            ]),
            row(&[
                "",
                "データベース",
                "外付けHDD（事務室金庫）",
                "外付けHDD",
                "週次コピー",
                "毎週",
                "4",
                "はい",
                "週1回交換して金庫に保管",
                "はい",
                "2026-11-16",
                "",
                "",
                "",
            ]),
            row(&[
                "PACS",
                "画像",
                "NAS-01",
                "NAS",
                "PACS ベンダーの同期",
                "毎日",
                "2",
                "いいえ",
                "",
                "いいえ",
                "2026-11-02",
                "2025-02-10",
                "成功",
                "",
            ]),
            row(&[
                "院内ファイルサーバ",
                "共有フォルダ",
                "NAS-01",
                "NAS",
                "robocopy",
                "毎日",
                "7",
                "不明",
                "",
                "はい",
                "2026-11-20",
                "",
                "",
                "",
            ]),
        ],
    )
}

fn restore_drills() -> Table {
    (
        vec![
            "実施日",
            "システム",
            "復元したもの",
            "所要時間",
            "結果",
            "実施者",
        ],
        vec![row(&[
            "2026-09-28",
            "電子カルテ",
            "前日夜のデータベースを検証用サーバへ",
            "5時間",
            "成功",
            "情報システム係 高橋",
        ])],
    )
}

fn bcp() -> Table {
    (
        vec![
            "システム",
            "復旧優先順位",
            "目標復旧時間",
            "停止時の運用",
            "保管場所",
            "最終訓練日",
            "訓練結果",
            "最終見直し日",
        ],
        vec![
            row(&[
                "電子カルテ",
                "1",
                "4時間",
                "紙カルテ・手書き処方箋・検査伝票で外来と病棟を続ける",
                "各病棟と医事課の BCP ファイル（赤）",
                "2026-09-28",
                "成功",
                "2026-04-01",
            ]),
            row(&[
                "PACS",
                "2",
                "",
                "読影はフィルム出力と他院への依頼で代替",
                "放射線科",
                "",
                "",
                "2025-03-01",
            ]),
            row(&[
                "検査システムサーバ",
                "3",
                "24時間",
                "外注検査に切り替え、結果は紙で受け取る",
                "検査科",
                "2026-06-01",
                "成功",
                "2026-04-01",
            ]),
        ],
    )
}

/// Writes the three tables under their Japanese names (the ledger in CP932, as Excel saves it).
pub fn write(dir: &Path) -> anyhow::Result<()> {
    csv_cp932(&dir.join("バックアップ台帳.csv"), &backups())?;
    csv_utf8(&dir.join("復元訓練記録.csv"), &restore_drills(), false)?;
    csv_utf8(&dir.join("BCP一覧.csv"), &bcp(), true)?;
    Ok(())
}
