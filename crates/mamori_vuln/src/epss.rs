//! FIRST EPSS daily CSV: `#model_version:…,score_date:…` then `cve,epss,percentile`.

use std::io::{BufRead, BufReader, Read};

use crate::nvd::RecordProblem;
use crate::record::Epss;

/// An EPSS CSV file as read: its header facts, the scores, and the rows that could not be read.
#[derive(Debug, Default)]
pub struct EpssFile {
    /// `model_version` from the comment line.
    pub model_version: Option<String>,
    /// `score_date` from the comment line (`2025-09-03T12:55:00Z` or `…+0000`).
    pub score_date: Option<String>,
    /// (CVE id, score) per readable row.
    pub scores: Vec<(String, Epss)>,
    /// Rows that could not be read.
    pub problems: Vec<RecordProblem>,
}

/// Reads FIRST's EPSS CSV (`#model_version…` comment line, then `cve,epss,percentile`).
pub fn read_epss(reader: impl Read) -> std::io::Result<EpssFile> {
    let mut out = EpssFile::default();
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line?;
        let line = line.trim();
        if let Some(meta) = line.strip_prefix('#') {
            for pair in meta.split(',') {
                match pair.split_once(':') {
                    Some(("model_version", v)) => out.model_version = Some(v.trim().to_owned()),
                    Some(("score_date", v)) => out.score_date = Some(v.trim().to_owned()),
                    _ => {}
                }
            }
            continue;
        }
        if line.is_empty() || line.starts_with("cve,") {
            continue;
        }
        let mut cols = line.split(',');
        let parsed = match (cols.next(), cols.next(), cols.next()) {
            (Some(cve), Some(e), Some(p)) if cve.starts_with("CVE-") => {
                match (e.trim().parse::<f32>(), p.trim().parse::<f32>()) {
                    (Ok(score), Ok(percentile))
                        if (0.0..=1.0).contains(&score) && (0.0..=1.0).contains(&percentile) =>
                    {
                        Ok((cve.trim().to_owned(), Epss { score, percentile }))
                    }
                    _ => Err("epss and percentile must be numbers between 0 and 1"),
                }
            }
            _ => Err("expected cve,epss,percentile"),
        };
        match parsed {
            Ok(row) => out.scores.push(row),
            Err(message) => out.problems.push(RecordProblem {
                index: i + 1,
                id: line.split(',').next().map(str::to_owned),
                message: message.into(),
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_daily_file_layout() {
        let text = "#model_version:v2025.03.14,score_date:2025-09-03T12:55:00Z\ncve,epss,percentile\nCVE-2024-21762,0.92941,0.99766\nCVE-1999-0001,abc,0.1\n";
        let f = read_epss(text.as_bytes()).unwrap();
        assert_eq!(f.model_version.as_deref(), Some("v2025.03.14"));
        assert_eq!(f.score_date.as_deref(), Some("2025-09-03T12:55:00Z"));
        assert_eq!(f.scores.len(), 1);
        assert!((f.scores[0].1.score - 0.92941).abs() < 1e-6);
        assert_eq!(f.problems[0].index, 4);
    }
}
