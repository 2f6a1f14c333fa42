//! Rendering findings: rustc-style text through codespan-reporting, and the JSON schema that
//! `specs/cli.md` documents.
//!
//! Every format shows the text of a finding the same way: hidden characters
//! ([`crate::source::is_hidden`]) escaped, so that nothing taken from a file can drive a terminal
//! or start a line of its own ([`line_text`], [`note_text`]).

use std::borrow::Cow;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, Config, WriteStyle};
use serde::Serialize;

use super::excerpt::Excerpt;
use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, Source, Sources, Span, escape_hidden, push_shown};

/// A message, label or help as every format shows it: one line, hidden characters escaped (line
/// breaks included).
pub fn line_text(text: &str) -> Cow<'_, str> {
    escape_hidden(text, false)
}

/// A note as every format shows it: hidden characters escaped, but the line breaks a note is made
/// of (a run, a scenario to paste) kept. A line break that is a name's own is escaped: one inside
/// a name quoted in backticks (a state named by a string with `\n`), and one before a line that
/// would start with `::` or `##[`, which no note's own line does and a CI runner would read as a
/// command (a name shown unquoted in a run).
pub fn note_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(crate::source::is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => {
                quoted = !quoted;
                out.push(c);
            }
            '\n' if !quoted && !starts_a_command(text.get(i + 1..).unwrap_or("")) => out.push(c),
            c => push_shown(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// Whether a line starting with `rest` would be read as a workflow command by a CI runner (GitHub
/// Actions reads `::command` and `##[command]`, after leading spaces).
fn starts_a_command(rest: &str) -> bool {
    let line = rest.trim_start_matches([' ', '\t']);
    line.starts_with("::") || line.starts_with("##[")
}

fn to_codespan(excerpt: &Excerpt<'_>, diagnostic: &Diagnostic) -> cs::Diagnostic<()> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let primary = cs::Label::primary((), excerpt.range(diagnostic.primary.span))
        .with_message(line_text(&diagnostic.primary.message));
    let labels = std::iter::once(primary)
        .chain(diagnostic.secondary.iter().map(|label| {
            cs::Label::secondary((), excerpt.range(label.span))
                .with_message(line_text(&label.message))
        }))
        .collect();
    let notes = diagnostic
        .notes
        .iter()
        .map(|note| format!("note: {}", note_text(note)))
        .chain(
            diagnostic
                .help
                .iter()
                .map(|help| format!("help: {}", line_text(help))),
        )
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(line_text(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Writes `diagnostics` of `file` as rustc-style text, styled when `out` supports colour. Each
/// shows only the lines of its labels, long lines cut around them ([`Excerpt`]).
pub fn human<W: WriteStyle + ?Sized>(
    out: &mut W,
    sources: &Sources,
    file: FileId,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let Some(source) = sources.get(file) else {
        return Ok(());
    };
    let config = Config::default();
    for diagnostic in diagnostics {
        let spans: Vec<Span> = std::iter::once(&diagnostic.primary)
            .chain(&diagnostic.secondary)
            .map(|label| label.span)
            .collect();
        let excerpt = Excerpt::new(source, &spans, &config);
        term::emit_to_write_style(out, &config, &excerpt, &to_codespan(&excerpt, diagnostic))
            .map_err(|err| match err {
                codespan_reporting::files::Error::Io(io) => io,
                other => std::io::Error::other(other.to_string()),
            })?;
    }
    Ok(())
}

/// Plain text of `diagnostics`, as `wfl check --color never` prints them (used by tests).
pub fn human_string(source: Source, diagnostics: &[Diagnostic]) -> String {
    let mut sources = Sources::new();
    let file = sources.add(source);
    let mut out = term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail, and every span comes from this file.
    let _ = human(&mut out, &sources, file, diagnostics);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// A position in the JSON output: byte range plus 1-based line and column at both ends.
#[derive(Debug, Serialize)]
pub struct JsonSpan {
    pub start: u32,
    pub end: u32,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl JsonSpan {
    pub fn new(source: &Source, span: Span) -> JsonSpan {
        let start = source.line_col(span.start as usize);
        let end = source.line_col(span.end as usize);
        JsonSpan {
            start: span.start,
            end: span.end,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub message: String,
    pub span: JsonSpan,
}

/// One finding in the JSON output (schema version 1, documented in `specs/cli.md`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub span: JsonSpan,
    pub label: String,
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The exact edit the help proposes, when it names one; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix>,
}

/// A finding's fix in the JSON output: replace the text at `span` with `replacement`.
#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub span: JsonSpan,
    pub replacement: String,
}

impl JsonDiagnostic {
    pub fn new(source: &Source, diagnostic: &Diagnostic) -> JsonDiagnostic {
        let label = |label: &Label| JsonLabel {
            message: line_text(&label.message).into_owned(),
            span: JsonSpan::new(source, label.span),
        };
        JsonDiagnostic {
            code: diagnostic.code.as_str(),
            name: diagnostic.code.name(),
            severity: diagnostic.severity,
            message: line_text(&diagnostic.message).into_owned(),
            file: source.name().to_owned(),
            span: JsonSpan::new(source, diagnostic.primary.span),
            label: line_text(&diagnostic.primary.message).into_owned(),
            labels: diagnostic.secondary.iter().map(label).collect(),
            notes: diagnostic
                .notes
                .iter()
                .map(|note| note_text(note).into_owned())
                .collect(),
            help: diagnostic
                .help
                .as_deref()
                .map(|help| line_text(help).into_owned()),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                title: line_text(&fix.title).into_owned(),
                span: JsonSpan::new(source, fix.span),
                replacement: fix.replacement.clone(),
            }),
        }
    }
}

/// JSON text (from serde_json) with every hidden character left in its strings written as a
/// `\uXXXX` escape: the same value once parsed, but no byte of the output can drive a terminal
/// it is printed on. serde_json escapes the C0 controls itself; this covers DEL, the C1 controls
/// and the bidirectional formatting characters (in file names, which JSON gives as they are).
pub fn json_without_hidden(json: String) -> String {
    if !json.chars().any(crate::source::is_hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Outside strings, JSON text is ASCII without controls but whitespace, which is kept.
        if crate::source::is_hidden(c) && !matches!(c, '\n' | '\r') {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_keeps_its_own_lines_only() {
        assert_eq!(note_text("a run:\n  x -> y\n}"), "a run:\n  x -> y\n}");
        assert_eq!(
            note_text("reach `a\nb`:\n  s: A -> B\n::error::x\n  ##[error]y\u{1b}"),
            "reach `a\\u{a}b`:\n  s: A -> B\\u{a}::error::x\\u{a}  ##[error]y\\u{1b}"
        );
        assert_eq!(line_text("a\nb\tc"), "a\\u{a}b\tc");
    }

    #[test]
    fn json_keeps_its_values_but_not_their_hidden_characters() {
        let json = "{\n  \"file\": \"a\u{202e}\u{9b}\u{1f600}.wfl\"\n}".to_owned();
        let clean = json_without_hidden(json.clone());
        assert_eq!(clean, "{\n  \"file\": \"a\\u202e\\u009b\u{1f600}.wfl\"\n}");
        let parsed: serde_json::Value = serde_json::from_str(&clean).expect("JSON");
        let original: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(parsed, original);
    }
}
