//! How a long pipeline (a feed import, a download) tells how it is going without printing:
//! the caller hands it a [`Reporter`]. The binary's prints to the terminal; a web server's
//! would keep a job log; a test's collects the lines.

/// Receives the lines a long pipeline has to say, already in the user's language.
pub trait Reporter {
    /// A line worth keeping: a file read, a count, where the data went.
    fn note(&self, text: &str);
    /// Something that went wrong with one file or step; the pipeline goes on with the rest.
    fn error(&self, text: &str);
    /// A status line that replaces the previous one (empty: clear it). Only called when
    /// [`Reporter::wants_progress`] says so.
    fn progress(&self, text: &str);
    /// Whether status lines are wanted (a terminal is watching).
    fn wants_progress(&self) -> bool;
}

/// A reporter that keeps nothing (tests, callers that only want the result).
pub struct Silent;

impl Reporter for Silent {
    fn note(&self, _: &str) {}
    fn error(&self, _: &str) {}
    fn progress(&self, _: &str) {}
    fn wants_progress(&self) -> bool {
        false
    }
}
