//! What `mamori init` says: the files written, in the order to fill them, and what to do next.

use std::fmt::Write as _;
use std::path::Path;

use mamori_model::{Lang, Localized};

/// The folder written, each file with what it is for, then the next steps.
pub fn render_init(dir: &Path, files: &[(String, Localized)], lang: Lang) -> String {
    let mut out = String::new();
    let shown = dir.display();
    writeln!(
        out,
        "{}",
        match lang {
            Lang::Ja =>
                format!("サイトフォルダ {shown} を作りました。上から順に記入してください。"),
            Lang::En => format!("Wrote the site folder {shown}; fill the files in this order."),
        }
    )
    .unwrap();
    for (i, (file, purpose)) in files.iter().enumerate() {
        writeln!(out, "  {}. {file} — {}", i + 1, purpose.get(lang)).unwrap();
    }
    let next = match lang {
        Lang::Ja => format!(
            "\n各 Excel ファイルの「記入のしかた」シートに、列ごとの書き方と記入例があります。分からない欄は「不明」と書いてください。\n書けたところで、次のコマンドで点検します（書きかけでもかまいません）:\n  mamori assess {shown}"
        ),
        Lang::En => format!(
            "\nEach workbook's 記入のしかた sheet explains every column with an example; write 不明 where you do not know.\nThen assess the folder (a partly filled one is fine):\n  mamori assess {shown}"
        ),
    };
    writeln!(out, "{next}").unwrap();
    out
}
