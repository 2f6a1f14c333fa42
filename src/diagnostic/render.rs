//! Rendering findings: rustc-style text through codespan-reporting, and the JSON schema that
//! `specs/cli.md` documents.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, Config, WriteStyle};
use serde::Serialize;

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, Source, Sources, Span};

fn to_codespan(file: FileId, diagnostic: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let primary = cs::Label::primary(file, diagnostic.primary.span.range())
        .with_message(&diagnostic.primary.message);
    let labels = std::iter::once(primary)
        .chain(diagnostic.secondary.iter().map(|label| {
            cs::Label::secondary(file, label.span.range()).with_message(&label.message)
        }))
        .collect();
    let notes = diagnostic
        .notes
        .iter()
        .map(|note| format!("note: {note}"))
        .chain(diagnostic.help.iter().map(|help| format!("help: {help}")))
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Writes `diagnostics` of `file` as rustc-style text, styled when `out` supports colour.
pub fn human<W: WriteStyle + ?Sized>(
    out: &mut W,
    sources: &Sources,
    file: FileId,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = Config::default();
    for diagnostic in diagnostics {
        term::emit_to_write_style(out, &config, sources, &to_codespan(file, diagnostic)).map_err(
            |err| match err {
                codespan_reporting::files::Error::Io(io) => io,
                other => std::io::Error::other(other.to_string()),
            },
        )?;
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
}

impl JsonDiagnostic {
    pub fn new(source: &Source, diagnostic: &Diagnostic) -> JsonDiagnostic {
        let label = |label: &Label| JsonLabel {
            message: label.message.clone(),
            span: JsonSpan::new(source, label.span),
        };
        JsonDiagnostic {
            code: diagnostic.code.as_str(),
            name: diagnostic.code.name(),
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            file: source.name().to_owned(),
            span: JsonSpan::new(source, diagnostic.primary.span),
            label: diagnostic.primary.message.clone(),
            labels: diagnostic.secondary.iter().map(label).collect(),
            notes: diagnostic.notes.clone(),
            help: diagnostic.help.clone(),
        }
    }
}
