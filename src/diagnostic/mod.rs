//! Findings about an input file: code, message, spans, notes and help.
//!
//! Every stage returns its findings as [`Diagnostic`]s; none prints. `render` turns them into
//! rustc-style text (codespan-reporting) or the documented JSON schema, `github` into GitHub
//! Actions workflow commands, `sarif` into a SARIF 2.1.0 log.

pub mod bound;
mod codes;
mod excerpt;
pub mod github;
pub mod markdown;
pub mod render;
pub mod sarif;
pub mod suggest;

pub use codes::{Code, DIAGNOSTICS_MD, explanation_section};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Not a problem: something the user should know about the check itself (what it could not
    /// cover). Notes are shown and counted, but never fail a check.
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span with a message: what is wrong here (primary) or why (secondary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// An exact edit that fixes a finding: the text at `span` replaced by `replacement`. What a
/// help proposes in words, an editor applies as a quick fix (`wfl lsp`'s code actions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, in the words of a help: "replace with `load`".
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

/// One finding in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Lowercase, no trailing period, names in backticks.
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The edit the help proposes, when it names an exact one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding with the code's own severity; `label` says what is wrong at `span`.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds the fix that replaces the text at `span` with `replacement`.
    pub fn with_fix(
        mut self,
        title: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Diagnostic {
        self.fix = Some(Fix {
            title: title.into(),
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// Adds the fix that removes item `i` of a comma-separated list whose items are at `items`
    /// (in order), with the comma that joins it to the next item (to the previous one, for the
    /// last); when it is the list's only item, the fix removes `whole`, the statement.
    pub fn with_list_removal(
        self,
        title: impl Into<String>,
        items: &[Span],
        i: usize,
        whole: Span,
    ) -> Diagnostic {
        let span = match (
            i.checked_sub(1).and_then(|p| items.get(p)),
            items.get(i),
            items.get(i + 1),
        ) {
            (_, Some(item), Some(next)) => Span::new(item.start as usize, next.start as usize),
            (Some(previous), Some(item), None) => {
                Span::new(previous.end as usize, item.end as usize)
            }
            _ => whole,
        };
        self.with_fix(title, span, "")
    }

    /// Adds "did you mean `x`?" for the name a [`suggest::Suggester`] found close, if any, and
    /// the fix that writes it instead of the primary span (which must be the misspelt name;
    /// otherwise see [`Diagnostic::with_suggestion_help`]). A name that is not an identifier is
    /// written as a string.
    pub fn with_suggestion(self, close: Option<&str>) -> Diagnostic {
        match close {
            Some(close) => {
                let span = self.primary.span;
                self.with_suggestion_help(Some(close)).with_fix(
                    format!("replace with `{close}`"),
                    span,
                    written_name(close),
                )
            }
            None => self,
        }
    }

    /// Adds "did you mean `x`?" only: for a finding whose primary span is not the name itself.
    pub fn with_suggestion_help(self, close: Option<&str>) -> Diagnostic {
        match close {
            Some(close) => self.with_help(format!("did you mean `{close}`?")),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `name` as a file writes it: bare when it is an identifier, else quoted (a state name with a
/// space or a dash, `"in review"`).
pub fn written_name(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

/// Sorts findings by position, then code, so output is stable whatever order stages ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.primary.span.end, a.code, &a.message).cmp(&(
            b.primary.span.start,
            b.primary.span.end,
            b.code,
            &b.message,
        ))
    });
}

/// At most this many names are listed in one message: a list as long as the file, in each of
/// many findings, would make the output grow with the square of the input.
pub const MAX_LISTED: usize = 8;

/// `items` joined by `separator`; past [`MAX_LISTED`] items, the first ones and how many there
/// are in all: `` `a`, `b`, …, `h`, … (300 in all) ``. Only the items shown are formatted.
pub fn join_listed<T: std::fmt::Display>(
    items: impl ExactSizeIterator<Item = T>,
    separator: &str,
) -> String {
    let all = items.len();
    let mut out = String::new();
    for (i, item) in items.take(MAX_LISTED).enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&item.to_string());
    }
    if all > MAX_LISTED {
        out.push_str(&format!("{separator}… ({all} in all)"));
    }
    out
}
