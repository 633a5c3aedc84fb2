//! Files people upload (evidence, logs, configurations, feeds): size-limited by the router,
//! type-checked by name *and* content, and written only inside the site folder, under a name
//! made safe here (never a path the browser chose).

use std::path::{Path, PathBuf};

/// An upload that could not be received: too large (413, with the limit), or cut off (400).
pub fn refused(
    v: &crate::guard::Viewer,
    e: &axum::extract::multipart::MultipartError,
) -> axum::response::Response {
    let mib = crate::UPLOAD_LIMIT / (1024 * 1024);
    crate::view::message(
        v,
        e.status(),
        &format!("ファイルを受け取れませんでした（{mib} MiB まで）: {e}"),
        &format!("the file could not be received (at most {mib} MiB): {e}"),
    )
}

/// A posted form with one file field: its text fields, and the file (name, bytes) when one
/// was chosen and is not empty.
pub struct Posted {
    /// Text fields by name.
    pub fields: std::collections::HashMap<String, String>,
    /// The file.
    pub file: Option<(String, Vec<u8>)>,
}

impl Posted {
    /// A text field ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads a multipart form whose file is in `file_field`. An upload over the limit or cut off
/// is an error ([`refused`] says so).
pub async fn read_posted(
    mut mp: axum::extract::Multipart,
    file_field: &str,
) -> Result<Posted, axum::extract::multipart::MultipartError> {
    let mut posted = Posted {
        fields: std::collections::HashMap::new(),
        file: None,
    };
    while let Some(field) = mp.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await?;
            if !file_name.is_empty() && !bytes.is_empty() {
                posted.file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await?;
            posted.fields.insert(name, text);
        }
    }
    Ok(posted)
}

/// Reads a form whose file `field` must be there: the form and its file, or the answer to give
/// (too large, cut off, no file chosen).
pub async fn receive(
    v: &crate::guard::Viewer,
    mp: axum::extract::Multipart,
    field: &str,
) -> Result<(Posted, (String, Vec<u8>)), axum::response::Response> {
    let mut posted = read_posted(mp, field).await.map_err(|e| refused(v, &e))?;
    let file = posted.file.take().ok_or_else(|| no_file(v))?;
    Ok((posted, file))
}

/// Keeps an uploaded file in `dir` (relative to the site folder `root`) once its name is made
/// safe and its content matches `accept`: its path relative to the site folder (`/`
/// separated), or the answer to give (400 naming what is accepted; 500 when it cannot be
/// written).
// The error is the page to answer with, handed straight back once per upload: its size is
// no cost worth boxing for.
#[allow(clippy::result_large_err)]
pub fn keep(
    v: &crate::guard::Viewer,
    root: &Path,
    dir: &Path,
    (name, bytes): &(String, Vec<u8>),
    accept: Accept,
) -> Result<String, axum::response::Response> {
    let Some(name) = safe_name(name).filter(|n| type_ok(accept, n, bytes)) else {
        let (ja, en) = accept.what();
        return Err(crate::view::message(
            v,
            axum::http::StatusCode::BAD_REQUEST,
            ja,
            en,
        ));
    };
    store(root, dir, &name, bytes)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .map_err(|e| crate::view::failure(v, &e))
}

/// 400: no file was chosen.
pub fn no_file(v: &crate::guard::Viewer) -> axum::response::Response {
    crate::view::message(
        v,
        axum::http::StatusCode::BAD_REQUEST,
        "ファイルを選んでください。",
        "Choose a file.",
    )
}

/// What kind of file a folder takes.
#[derive(Clone, Copy)]
pub enum Accept {
    /// Evidence for a checklist answer: PDF, images, office files, text.
    Evidence,
    /// Logs and configurations: text, EVTX, compressed logs.
    LogsAndConfigs,
    /// Vulnerability feeds: JSON (possibly gzip/zstd), XML.
    Feeds,
}

/// A file name made safe: the last path component, only letters, digits, Japanese, `.-_`;
/// `None` when nothing usable is left or it would be hidden.
pub fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next()?;
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (!clean.is_empty() && !clean.starts_with('.') && clean.len() <= 200).then_some(clean)
}

impl Accept {
    /// What the folder takes, said when a file is refused.
    fn what(self) -> (&'static str, &'static str) {
        match self {
            Accept::Evidence => (
                "証跡のファイルは PDF・PNG・JPEG・Excel・Word・テキストにしてください（中身と拡張子が合っていること）。",
                "Evidence must be PDF, PNG, JPEG, Excel, Word or text, with content matching its name.",
            ),
            Accept::LogsAndConfigs => (
                "ログ・設定はテキスト（.log .txt .conf .cfg .csv .json .xml）、EVTX、gzip・zstd 圧縮のファイルにしてください（中身と拡張子が合っていること）。",
                "Logs and configurations must be text (.log .txt .conf .cfg .csv .json .xml), EVTX, or gzip/zstd files, with content matching the name.",
            ),
            Accept::Feeds => (
                "脆弱性情報は JSON・XML（gzip・zstd 圧縮も可）のファイルにしてください。",
                "Feeds must be JSON or XML files (gzip or zstd allowed).",
            ),
        }
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_text(bytes: &[u8]) -> bool {
    !bytes.iter().take(64 * 1024).any(|b| *b == 0)
}

/// Whether the name and the first bytes agree with what the folder takes.
pub fn type_ok(accept: Accept, name: &str, bytes: &[u8]) -> bool {
    let ext = extension(name);
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let gz = starts(&[0x1f, 0x8b]);
    let zst = starts(&[0x28, 0xb5, 0x2f, 0xfd]);
    match (accept, ext.as_str()) {
        (Accept::Evidence, "pdf") => starts(b"%PDF-"),
        (Accept::Evidence, "png") => starts(b"\x89PNG\r\n\x1a\n"),
        (Accept::Evidence, "jpg" | "jpeg") => starts(&[0xff, 0xd8, 0xff]),
        (Accept::Evidence, "xlsx" | "docx") => starts(b"PK\x03\x04"),
        (Accept::Evidence | Accept::LogsAndConfigs, "txt" | "csv" | "md") => is_text(bytes),
        (Accept::LogsAndConfigs, "log" | "conf" | "cfg" | "json" | "xml" | "syslog") => {
            is_text(bytes)
        }
        (Accept::LogsAndConfigs, "evtx") => starts(b"ElfFile\0"),
        (Accept::LogsAndConfigs | Accept::Feeds, "gz") => gz,
        (Accept::LogsAndConfigs | Accept::Feeds, "zst") => zst,
        (Accept::Feeds, "json" | "xml") => is_text(bytes),
        _ => false,
    }
}

/// Writes an upload into `dir` (inside `root`), never over an existing file (a suffix is
/// added). Returns the path written.
pub fn store(root: &Path, dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let target_dir = root.join(dir);
    anyhow::ensure!(
        dir.components()
            .all(|c| matches!(c, std::path::Component::Normal(_))),
        "upload folder outside the site folder"
    );
    std::fs::create_dir_all(&target_dir)?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_owned(), format!(".{e}")),
        None => (name.to_owned(), String::new()),
    };
    for n in 0..1000 {
        let candidate = if n == 0 {
            name.to_owned()
        } else {
            format!("{stem}-{n}{ext}")
        };
        let path = target_dir.join(&candidate);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, bytes)?;
                return Ok(dir.join(candidate));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e.into()),
        }
    }
    anyhow::bail!("too many files named {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_paths_and_odd_characters() {
        assert_eq!(safe_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            safe_name("C:\\x\\報告 書.pdf").as_deref(),
            Some("報告_書.pdf")
        );
        assert_eq!(safe_name(".htaccess"), None);
        assert_eq!(safe_name("a/"), None);
    }

    #[test]
    fn content_must_match_the_name() {
        assert!(type_ok(Accept::Evidence, "a.pdf", b"%PDF-1.7 ..."));
        assert!(!type_ok(Accept::Evidence, "a.pdf", b"<html><script>"));
        assert!(!type_ok(Accept::Evidence, "a.html", b"<html>"));
        assert!(!type_ok(Accept::Evidence, "a.txt", b"MZ\0\0"));
        assert!(type_ok(
            Accept::LogsAndConfigs,
            "Security.evtx",
            b"ElfFile\0rest"
        ));
    }
}
