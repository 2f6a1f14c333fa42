//! What happens to the findings once every stage has run: inline suppressions
//! (`// wfl: allow(W0201) reason`, [`suppress`]) and lint levels (`wfl.toml`'s `[lints]`,
//! [`levels`]).
//!
//! [`apply`] is the one place both are applied, after every other finding exists, so a
//! suppression sees every finding it could cover and knows whether it covered any. Only warnings
//! are subject to either: an error means the file cannot be run, and no comment or setting changes
//! that.

pub mod levels;
pub mod suppress;

pub use levels::{CONFIG_KEYS, ConfigError, Flags, Level, Levels, rule};

use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::ast;

/// Applies the suppressions written in `text` and then `levels` to `diagnostics`, the findings of
/// every stage for `text` (parsed as `file`). Returns the findings to report, unsorted: those not
/// suppressed, at their level, plus W0002 (`unused_suppression`) and W0003
/// (`malformed_suppression`) findings about the suppression comments themselves.
///
/// When `diagnostics` hold an error, the later stages did not run, so a suppression that covers
/// nothing may only be waiting for them: it is then not reported as unused, and a suppression that
/// is not above a declaration (perhaps one that did not parse) is not reported either.
pub fn apply(
    text: &str,
    file: &ast::File,
    diagnostics: Vec<Diagnostic>,
    levels: &Levels,
) -> Vec<Diagnostic> {
    let complete = !diagnostics.iter().any(Diagnostic::is_error);
    let mut kept = suppress::apply(text, file, diagnostics, complete);
    levels.apply(&mut kept);
    kept
}

/// `--deny warnings` and `deny-warnings = true`: every warning becomes an error, with a note
/// naming `why` (`` `--deny warnings` ``). Applied after [`apply`], by `wfl check` and `wfl lsp`.
pub fn deny_warnings(diagnostics: &mut [Diagnostic], why: &str) {
    for d in diagnostics {
        if d.severity == Severity::Warning {
            d.severity = Severity::Error;
            d.notes
                .push(format!("{why} turns this warning into an error"));
        }
    }
}
