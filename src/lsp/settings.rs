//! What a document's `wfl.toml` sets for its findings: lint levels, the machines' exploration
//! bounds, `deny-warnings` and `min-severity`, applied as `wfl check` applies them, so the editor
//! shows the findings `wfl check --format json` reports for the file.
//!
//! The server never reads a file: whoever starts it (`cli::lsp`) passes a [`Lookup`] that finds
//! and reads the `wfl.toml` of a document. It is asked again when a document is opened or saved
//! and when the client reports a changed `wfl.toml`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Uri;

use crate::analysis::machine::Limits;
use crate::analysis::machine_findings::DEFAULT_LIMITS;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Levels;

/// The settings of one document, as its `wfl.toml` gives them.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `[lints]`.
    pub levels: Arc<Levels>,
    /// `[check]`'s `children`, `max-states` and `max-memory`.
    pub exploration: Limits,
    /// `deny-warnings = true`: what the note on each warning turned into an error names
    /// (`` `deny-warnings = true` in `wfl.toml` ``).
    pub deny_warnings: Option<String>,
    /// `min-severity`: the findings below it are not shown.
    pub min_severity: Severity,
    /// The `wfl.toml` could not be used: why, in one line (the findings then have the defaults,
    /// and the editor shows the reason as a message).
    pub problem: Option<String>,
}

impl Default for Settings {
    /// No `wfl.toml`: every level and bound at `wfl check`'s default.
    fn default() -> Settings {
        Settings {
            levels: Arc::new(Levels::default()),
            exploration: DEFAULT_LIMITS,
            deny_warnings: None,
            min_severity: Severity::Note,
            problem: None,
        }
    }
}

impl Settings {
    /// The defaults, with why the `wfl.toml` could not be used.
    pub fn broken(problem: String) -> Settings {
        Settings {
            problem: Some(problem),
            ..Settings::default()
        }
    }

    /// Whether `other` gives the same findings (a `wfl.toml` saved unchanged changes nothing).
    pub fn same_as(&self, other: &Settings) -> bool {
        let bounds = |l: &Limits| (l.children, l.max_states, l.max_bytes);
        self.levels == other.levels
            && bounds(&self.exploration) == bounds(&other.exploration)
            && self.deny_warnings == other.deny_warnings
            && self.min_severity == other.min_severity
            && self.problem == other.problem
    }

    /// What `wfl check` does to a file's findings after the lint levels: `deny-warnings`, then
    /// `min-severity` (so a warning denied is kept as the error it became).
    pub fn finish(&self, diagnostics: &mut Vec<Diagnostic>) {
        if let Some(why) = &self.deny_warnings {
            crate::lint::deny_warnings(diagnostics, why);
        }
        diagnostics.retain(|d| d.severity >= self.min_severity);
    }
}

/// Finds the settings of a document: its path (`None` for a document that is not a file, such as
/// an unsaved buffer) to its `wfl.toml`'s settings.
pub type Lookup<'a> = dyn FnMut(Option<&Path>) -> Settings + 'a;

/// The path of a `file:` URI, percent-decoded; `None` for another scheme.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme()?;
    if !scheme.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    Some(PathBuf::from(path.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn file_uris_are_paths_and_others_are_not() {
        let uri = |s: &str| Uri::from_str(s).expect("a URI");
        assert_eq!(
            path_of(&uri("file:///work/my%20specs/a.wfl")),
            Some(PathBuf::from("/work/my specs/a.wfl"))
        );
        assert_eq!(
            path_of(&uri("file://localhost/work/a.wfl")),
            Some(PathBuf::from("/work/a.wfl"))
        );
        assert_eq!(path_of(&uri("untitled:Untitled-1")), None);
    }
}
