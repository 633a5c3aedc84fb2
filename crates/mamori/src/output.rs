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

/// Writes `bytes` to `path` atomically ([`mamori_app::write_atomic`]).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    mamori_app::write_atomic(path, bytes)
}

/// Says where a file was written: 「{what}を {path} に書き出しました。」.
pub fn wrote(path: &Path, lang: Lang, what_ja: &str, what_en: &str) {
    note(&match lang {
        Lang::Ja => format!("{what_ja}を {} に書き出しました。", path.display()),
        Lang::En => format!("{what_en} written to {}.", path.display()),
    });
}

/// Writes `text` to `out` (saying so) or to stdout.
pub fn emit(text: &str, out: Option<&Path>, lang: Lang, what: (&str, &str)) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            write_bytes(path, text.as_bytes())?;
            wrote(path, lang, what.0, what.1);
            Ok(())
        }
        None => stdout(text),
    }
}
