//! One open file: its text, syntax tree, resolved program, names and findings, rebuilt on every
//! change. Everything here is linear in the file: the semantic analysis runs elsewhere
//! ([`semantic_findings`], on the server's worker thread).

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::lsp::index::Index;
use crate::lsp::settings::Settings;
use crate::model::Program;
use crate::resolve::NameRef;
use crate::source::Source;
use crate::syntax::ast;

/// An open file, as of one version.
pub struct Document {
    pub version: i32,
    pub source: Source,
    pub file: ast::File,
    /// What resolved, even in a file with errors (the names an editor can still use).
    pub program: Program,
    pub refs: Vec<NameRef>,
    pub index: Index,
    /// The findings last published for this version.
    pub diagnostics: Vec<Diagnostic>,
    /// The structural checks found no error: the semantic analysis has findings to add.
    pub semantic_pending: bool,
    /// What its `wfl.toml` sets, applied to its findings.
    pub settings: Arc<Settings>,
}

impl Document {
    /// Parses, resolves and runs the structural checks, every warning at its default level.
    /// `None` for a text over 4 GiB.
    pub fn new(version: i32, text: String) -> Option<Document> {
        Document::with_settings(version, text, Arc::new(Settings::default()))
    }

    /// [`Document::new`] with the levels and options of the file's `wfl.toml`.
    pub fn with_settings(version: i32, text: String, settings: Arc<Settings>) -> Option<Document> {
        let source = Source::new("", text)?;
        let text = source.text();
        let (file, mut diagnostics) = crate::syntax::parse(text);
        // Resolved even after a syntax error, for the names; its findings then wait for the
        // syntax to be right, as in `wfl check`.
        let (program, resolved, refs) = crate::resolve::resolve_with_refs(&file);
        let mut semantic_pending = false;
        if !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(resolved);
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.extend(crate::check::structural(&program));
                semantic_pending = !diagnostics.iter().any(Diagnostic::is_error);
            }
        }
        let mut diagnostics = crate::lint::apply(text, &file, diagnostics, &settings.levels);
        if semantic_pending {
            // A suppression of a semantic finding is not unused: its finding is yet to come.
            diagnostics.retain(|d| d.code != Code::W0002);
        }
        settings.finish(&mut diagnostics);
        crate::diagnostic::sort(&mut diagnostics);
        let index = Index::new(&program, &refs);
        Some(Document {
            version,
            source,
            file,
            program,
            refs,
            index,
            diagnostics,
            semantic_pending,
            settings,
        })
    }

    pub fn text(&self) -> &str {
        self.source.text()
    }

    /// The item (workflow, machine or scenario) whose span holds `offset`.
    pub fn item_at(&self, offset: usize) -> Option<&ast::Item> {
        self.file.items.iter().find(|item| {
            let span = item.span();
            (span.start as usize) <= offset && offset <= span.end as usize
        })
    }
}

/// Every finding of `wfl check` for `text`: the structural ones again, and the semantic analysis
/// (workflows' end states, machines explored within the bounds of `settings`), at the levels of
/// `settings`.
pub fn semantic_findings(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics =
        crate::check_text_with(text, &settings.levels, settings.exploration).diagnostics;
    settings.finish(&mut diagnostics);
    diagnostics
}
