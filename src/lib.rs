//! wfl: workflow and state-machine specifications, checked and simulated.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! bytes ─ decode ─▶ text ─ syntax::parse ─▶ ast::File ─ resolve ─▶ model::Program ─ check ─▶ findings
//! ```
//!
//! ```
//! let text = "workflow w {\n  task a\n  task b\n  a -> b\n}\n";
//! let checked = wfl::check_text(text);
//! assert!(checked.diagnostics.is_empty());
//! assert_eq!(checked.program.map(|p| p.workflows[0].links.len()), Some(1));
//! ```
//!
//! The library never prints and never exits; `cli` is the only part that touches the terminal,
//! the file system and exit codes.

#![deny(clippy::unwrap_used)]

// pest runs without its `std` feature (see Cargo.toml); its derive then names `alloc`.
extern crate alloc;

pub mod analysis;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod draw;
pub mod fmt;
pub mod graph;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod resolve;
pub mod sim;
pub mod source;
pub mod syntax;

use analysis::machine_findings::DEFAULT_LIMITS;
use diagnostic::{Code, Diagnostic};
use source::{Source, Span};

/// What checking one file gives.
#[derive(Debug)]
pub struct Checked {
    /// The resolved program, when the file parsed without errors.
    pub program: Option<model::Program>,
    /// Every finding, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses, resolves and checks `text`. Each stage runs only when the one before it found no
/// error, so a mistake is reported once, not again through its consequences. The file's
/// suppression comments apply; every warning is at its default level.
pub fn check_text(text: &str) -> Checked {
    check_text_with(text, &lint::Levels::default(), DEFAULT_LIMITS)
}

/// [`check_text`] with lint levels (`wfl.toml`'s `[lints]`) and the bounds of the machines'
/// exploration (`wfl check --children`, `--max-states`, `--max-memory`): after every stage, the
/// file's suppressions and then `levels` are applied to the findings ([`lint::apply`]).
pub fn check_text_with(
    text: &str,
    levels: &lint::Levels,
    exploration: analysis::machine::Limits,
) -> Checked {
    let (file, mut diagnostics) = syntax::parse(text);
    let mut program = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let (resolved, found) = resolve::resolve(&file);
        diagnostics.extend(found);
        if !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(check::check(&resolved, exploration));
        }
        program = Some(resolved);
    }
    // Last, once every other finding exists: suppressions and lint levels.
    let mut diagnostics = lint::apply(text, &file, diagnostics, levels);
    diagnostic::sort(&mut diagnostics);
    Checked {
        program,
        diagnostics,
    }
}

/// Decodes `bytes` as UTF-8 and checks them. Invalid UTF-8 is one finding at the first bad byte
/// (the text is then shown with replacement characters); `None` when the file is over 4 GiB.
pub fn check_bytes(name: &str, bytes: Vec<u8>) -> Option<(Source, Checked)> {
    check_bytes_with(name, bytes, &lint::Levels::default(), DEFAULT_LIMITS)
}

/// [`check_bytes`] with lint levels, as [`check_text_with`].
pub fn check_bytes_with(
    name: &str,
    bytes: Vec<u8>,
    levels: &lint::Levels,
    exploration: analysis::machine::Limits,
) -> Option<(Source, Checked)> {
    let (text, invalid) = decode(bytes);
    let checked = match invalid {
        Some(diagnostic) => Checked {
            program: None,
            diagnostics: vec![diagnostic],
        },
        None => check_text_with(&text, levels, exploration),
    };
    Some((Source::new(name, text)?, checked))
}

/// Like [`check_bytes`], then runs the scenarios of a file without errors.
pub fn test_bytes(name: &str, bytes: Vec<u8>) -> Option<(Source, Tested)> {
    let (text, invalid) = decode(bytes);
    let tested = match invalid {
        Some(diagnostic) => Tested {
            checked: Checked {
                program: None,
                diagnostics: vec![diagnostic],
            },
            results: Vec::new(),
        },
        None => test_text(&text),
    };
    Some((Source::new(name, text)?, tested))
}

/// The text of `bytes`, and the E0002 finding when they are not UTF-8.
///
/// E0002 is then the file's only finding, so its text is only there to show the line of the first
/// bad byte: it is the file up to the end of that line (at most [`SHOWN_AFTER_BAD_BYTE`] bytes past
/// it), bad bytes shown as replacement characters. Converting the whole file could take three
/// times its bytes (each bad byte becomes the three of U+FFFD).
fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let bad = err.utf8_error().error_len().unwrap_or(1);
            let mut bytes = err.into_bytes();
            let line_end = bytes[at..]
                .iter()
                .take(SHOWN_AFTER_BAD_BYTE)
                .position(|&b| b == b'\n')
                .map_or_else(|| bytes.len().min(at + SHOWN_AFTER_BAD_BYTE), |i| at + i);
            let rest = String::from_utf8_lossy(&bytes[at..line_end]).into_owned();
            bytes.truncate(at);
            let mut text = String::from_utf8(bytes)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
            text.push_str(&rest);
            let shown = '\u{FFFD}'.len_utf8();
            let diagnostic = Diagnostic::new(
                Code::E0002,
                format!("the file is not valid UTF-8 (byte {at})"),
                Span::new(at, at + shown),
                if bad == 1 {
                    "this byte is not UTF-8".to_owned()
                } else {
                    format!("these {bad} bytes are not UTF-8")
                },
            )
            .with_help("save the file as UTF-8");
            (text, Some(diagnostic))
        }
    }
}

/// How much of the line of a file's first bad UTF-8 byte, after it, is kept to be shown.
const SHOWN_AFTER_BAD_BYTE: usize = 4096;

/// What `wfl test` learns about one file: the checker's findings and, when the file has no
/// error, each scenario's result.
#[derive(Debug)]
pub struct Tested {
    pub checked: Checked,
    pub results: Vec<sim::scenario::ScenarioResult>,
}

/// Checks `text` and, when it has no error, runs its scenarios.
pub fn test_text(text: &str) -> Tested {
    let mut checked = check_text(text);
    let mut results = Vec::new();
    if let Some(program) = &checked.program
        && !checked.diagnostics.iter().any(Diagnostic::is_error)
    {
        match sim::run_scenarios(program, text) {
            Ok(found) => results = found,
            Err(diagnostic) => checked.diagnostics.push(*diagnostic),
        }
    }
    Tested { checked, results }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_keeps_the_text_up_to_the_bad_line_only() {
        // Every bad byte would become three bytes of U+FFFD: only the bad line is kept.
        let mut bytes = b"workflow w {\n  task caf".to_vec();
        let at = bytes.len();
        bytes.extend(std::iter::repeat_n(0xE9, 100_000));
        bytes.extend(b"\n}\n");
        let (text, found) = decode(bytes);
        let d = found.expect("E0002");
        assert_eq!(d.code, Code::E0002);
        assert_eq!(d.primary.span, Span::new(at, at + 3));
        assert!(
            text.starts_with("workflow w {\n  task caf\u{FFFD}"),
            "{text:?}"
        );
        assert!(
            text.len() <= at + 3 * SHOWN_AFTER_BAD_BYTE,
            "{}",
            text.len()
        );
        // The bad line ends where the file's line does, when that is near.
        let (text, _) = decode(b"a\n\xffb\nc\n".to_vec());
        assert_eq!(text, "a\n\u{FFFD}b");
    }
}
