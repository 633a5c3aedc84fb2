//! `scans/`: network scans saved by nmap (`nmap -oX FILE …`), read into the hosts they found up
//! so that `assess` can compare what answers on the network with the 機器台帳.

use std::path::Path;

use mamori_model::Localized;
use mamori_model::input::{InputSummary, SkippedInput};

use super::SiteLoad;
use crate::files::{read_limited, walk_within};
use crate::nmap::parse_nmap_xml;

/// The folder of network scans in a site folder.
pub const SCANS_DIR: &str = "scans";

/// Reads every file under `dir/scans/` (subfolders too). The folder is optional: without it
/// the comparison with the network is not made, and nothing says the ledger is complete.
pub fn load_scans(dir: &Path, load: &mut SiteLoad) {
    let scans = dir.join(SCANS_DIR);
    if std::fs::symlink_metadata(&scans).is_err() {
        return;
    }
    let relative = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    let walked = walk_within(&scans, dir);
    for (path, reason) in walked.skipped {
        load.skipped.push(SkippedInput {
            file: relative(&path),
            reason,
        });
    }
    for path in walked.files {
        let file = relative(&path);
        let bytes = match read_limited(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                load.skipped.push(SkippedInput {
                    file,
                    reason: Localized::new(
                        format!("読み込めません: {e}"),
                        format!("cannot be read: {e}"),
                    ),
                });
                continue;
            }
        };
        // nmap writes UTF-8; a stray byte is not worth losing the scan over.
        let text = String::from_utf8_lossy(&bytes);
        match parse_nmap_xml(&text, &file) {
            Ok(scan) => {
                let mut notes: Vec<Localized> = scan
                    .problems
                    .iter()
                    .map(|(line, why)| {
                        Localized::new(
                            format!("{line} 行目: {}", why.ja),
                            format!("line {line}: {}", why.en),
                        )
                    })
                    .collect();
                if scan.hosts_down > 0 {
                    notes.push(Localized::new(
                        format!(
                            "応答のなかったホスト {} 台は数えていません",
                            scan.hosts_down
                        ),
                        format!(
                            "{} hosts that did not answer are not counted",
                            scan.hosts_down
                        ),
                    ));
                }
                load.inputs.push(InputSummary {
                    file,
                    table: "scans",
                    encoding: "XML",
                    rows_read: scan.hosts.len(),
                    rows_rejected: scan.problems.len(),
                    ignored_columns: Vec::new(),
                    notes,
                });
                load.site.discovered.extend(scan.hosts);
            }
            Err(reason) => load.skipped.push(SkippedInput { file, reason }),
        }
    }
}
