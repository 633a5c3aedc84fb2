//! Writing to the terminal and to files: the only place that prints.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use mamori_model::Lang;

/// Prints an error line to stderr: `mamori: エラー: …`.
pub fn error(message: &str) {
    let mut err = anstream::stderr();
    let _ = writeln!(err, "mamori: {message}");
}

/// Prints a note to stderr.
pub fn note(message: &str) {
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{message}");
}

/// Rewrites one status line on a terminal (`\r`, clear to end of line); empty clears it.
pub fn progress(message: &str) {
    let mut err = anstream::stderr();
    let _ = write!(err, "\r{message}\x1b[K");
    let _ = err.flush();
}

/// The terminal as a [`mamori_app::Reporter`]: notes and errors on stderr, status lines only
/// when stderr is a terminal.
pub struct Terminal;

impl mamori_app::Reporter for Terminal {
    fn note(&self, text: &str) {
        note(text);
    }
    fn error(&self, text: &str) {
        error(text);
    }
    fn progress(&self, text: &str) {
        progress(text);
    }
    fn wants_progress(&self) -> bool {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal()
    }
}

/// Writes text to stdout (styles removed when it is not a terminal).
pub fn stdout(text: &str) -> anyhow::Result<()> {
    let mut out = anstream::stdout();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`mamori assess … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes `text` to `path` atomically (see [`write_bytes`]).
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename, so
/// a crash never leaves half a report or workbook behind.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// `mamori rules`: every rule (site checks, then log detections) with its id, default severity
/// and title.
pub fn print_rules(lang: Lang) {
    let mut text = String::new();
    for r in mamori_app::rules::all() {
        let title = match lang {
            Lang::Ja => r.title.ja,
            Lang::En => r.title.en,
        };
        text.push_str(&format!(
            "{:<34} {:<8} {}\n",
            r.id,
            r.default_severity.label(lang),
            title
        ));
    }
    let _ = stdout(&text);
}
