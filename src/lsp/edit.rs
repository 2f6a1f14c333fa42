//! What changes the file: rename (refused when the new name is not an identifier or is taken),
//! the quick fixes of findings, suppressions with a reason to fill in.

use crate::diagnostic::{Code, Diagnostic, Severity, written_name};
use crate::lsp::document::Document;
use crate::source::Span;

/// One replacement in the file.
pub type Edit = (Span, String);

/// The edits that rename the symbol at `offset` to `new_name`, or why not.
pub fn rename(doc: &Document, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
    let (at, _) = doc
        .index
        .at(offset)
        .ok_or_else(|| "there is no name to rename here".to_owned())?;
    let symbol = &doc.index.symbols[at];
    if !is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` is not an identifier (a letter or `_`, then letters, digits or `_`)"
        ));
    }
    let namespace = symbol.namespace();
    if let Some(taken) = (doc.index.symbols.iter())
        .find(|s| s.name == new_name && s.namespace() == namespace && s.def != symbol.def)
    {
        return Err(format!(
            "`{new_name}` is already the name of a {} here",
            taken.kind_words()
        ));
    }
    let mut spans: Vec<Span> = std::iter::once(symbol.span)
        .chain(doc.index.uses_of(at))
        .collect();
    spans.sort();
    spans.dedup();
    let edits: Vec<Edit> = spans
        .into_iter()
        .map(|span| (span, written_name(new_name)))
        .collect();
    // A name the language reserves (`state`, `and`, …) parses or resolves differently: refused
    // with what `wfl check` would say.
    let renamed = apply(doc.text(), &edits);
    let errors = |text: &str| {
        let (file, mut found) = crate::syntax::parse(text);
        if !found.iter().any(Diagnostic::is_error) {
            found.extend(crate::resolve::resolve(&file).1);
        }
        found.retain(Diagnostic::is_error);
        found
    };
    let before = errors(doc.text()).len();
    let after = errors(&renamed);
    if after.len() > before
        && let Some(first) = after.first()
    {
        return Err(format!(
            "`{new_name}` cannot be used here: {}",
            first.message
        ));
    }
    Ok(edits)
}

/// `text` with `edits` (not overlapping) applied.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, replacement) in sorted {
        if span.end as usize <= out.len() {
            out.replace_range(span.range(), replacement);
        }
    }
    out
}

pub fn is_identifier(name: &str) -> bool {
    written_name(name) == name
}

/// A code action: its title and its edits.
pub struct Action {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The finding it is about.
    pub diagnostic: usize,
    pub preferred: bool,
}

/// The code actions for the findings of `doc` that touch `span`: each finding's fix, and for a
/// warning or note, a suppression comment above its declaration with a reason to write.
pub fn actions(doc: &Document, span: Span) -> Vec<Action> {
    let mut out = Vec::new();
    let starts = crate::lint::suppress::declaration_starts(&doc.file);
    for (i, d) in doc.diagnostics.iter().enumerate() {
        let at = d.primary.span;
        if at.end < span.start || at.start > span.end {
            continue;
        }
        if let Some(fix) = &d.fix {
            let span = match fix.replacement.is_empty() {
                true => whole_lines(doc.text(), fix.span),
                false => fix.span,
            };
            out.push(Action {
                title: fix.title.clone(),
                edits: vec![(span, fix.replacement.clone())],
                diagnostic: i,
                preferred: true,
            });
        }
        if d.severity != Severity::Error
            && !matches!(d.code, Code::W0002 | Code::W0003)
            && let Some(edit) = suppression(doc, &starts, d)
        {
            out.push(Action {
                title: format!("suppress {} here, with a reason", d.code.as_str()),
                edits: vec![edit],
                diagnostic: i,
                preferred: false,
            });
        }
    }
    out
}

/// A removal of `span` widened to whole lines when nothing but blanks would be left on them: the
/// lines go with their line break, and so do the doc comments just above a declaration removed
/// (they would be left describing nothing, W0001). Otherwise `span` as it is. The JSON report's
/// `fix` keeps the exact span; an editor applying it gets no blank line in its place.
pub fn whole_lines(text: &str, span: Span) -> Span {
    let (start, end) = (span.start as usize, span.end as usize);
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return span;
    };
    if start == end {
        return span;
    }
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = after.find(['\n', '\r']).map_or(text.len(), |i| end + i);
    let blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t');
    if !blank(&text[line_start..start]) || !blank(&text[end..line_end]) {
        return span;
    }
    let rest = &text[line_end..];
    let break_len = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(!rest.is_empty())
    };
    let mut first = line_start;
    if !text[start..end].starts_with("//") {
        // The doc comment lines above, each `///` after blanks.
        while first > 0 {
            let above_end = first
                - if text[..first].ends_with("\r\n") {
                    2
                } else {
                    1
                };
            let above_start = text[..above_end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let line = text[above_start..above_end].trim_start_matches([' ', '\t']);
            let is_doc = line.starts_with("///") && !line.starts_with("////");
            if !is_doc {
                break;
            }
            first = above_start;
        }
    }
    Span::new(first, line_end + break_len)
}

/// The placeholder a suppression's reason starts as: the reason is required.
pub const REASON_PLACEHOLDER: &str = "REASON: why this finding does not apply";

/// `// wfl: allow(CODE) REASON` on a line of its own above the innermost declaration that holds
/// `d`'s primary span, indented like it.
fn suppression(
    doc: &Document,
    starts: &std::collections::HashMap<usize, Span>,
    d: &Diagnostic,
) -> Option<Edit> {
    let at = d.primary.span;
    let (&start, _) = starts
        .iter()
        .filter(|&(&start, span)| start <= at.start as usize && span.end >= at.end)
        .max_by_key(|&(&start, _)| start)?;
    let text = doc.text();
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = format!(
        "{indent}// wfl: allow({}) {REASON_PLACEHOLDER}\n",
        d.code.as_str()
    );
    Some((Span::new(line_start, line_start), comment))
}
